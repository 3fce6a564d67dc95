/*
 * Reading one case: its fields, timeline, messages, notes, evidence and
 * contacts.  The worker's view (for_worker) is built by leaving things
 * out in SQL — internal notes are never even queried for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "base/str.h"
#include "model/audit.h"
#include "model/case_internal.h"

#define GET_COLUMNS                                                            \
	"c.id, c.reference, c.kind, c.category, c.status, c.danger,"           \
	" c.priority, c.channel, c.country_work, c.country_origin,"            \
	" c.sector, c.employer, c.agency, c.started_on, c.language,"           \
	" c.gender, c.name_sealed, c.contact_method, c.contact_sealed,"        \
	" c.description_sealed, c.consent_contact, c.consent_share,"           \
	" c.owner_org_id, c.owner_country, o.name, o.kind, c.assignee_id,"     \
	" u.name, c.merged_into, c.deadline_at, c.escalated_at,"               \
	" c.remedy_kind, c.remedy_amount, c.remedy_currency, c.remedy_date,"   \
	" c.remedy_note_sealed, c.created_at, c.updated_at, c.is_demo,"        \
	" c.reject_reason, c.is_open, m.reference, c.contact_hash"

json_t *
case_get(struct db *db, const struct case_keys *k, int64_t id, bool for_worker,
	 int64_t now)
{
	struct db_stmt *st =
		db_query(db,
			 "SELECT " GET_COLUMNS " FROM case_rec c"
			 " JOIN organisation o ON o.id = c.owner_org_id"
			 " LEFT JOIN app_user u ON u.id = c.assignee_id"
			 " LEFT JOIN case_rec m ON m.id = c.merged_into"
			 " WHERE c.id = ?",
			 "i", id);
	if (st == NULL)
		return NULL;
	json_t *o = NULL;
	if (db_step(st)) {
		char ref[16];
		case_reference_format(case_nz(db_col_text(st, 1)), ref);
		char *name = case_open(k, db_col_text(st, 16));
		char *contact = case_open(k, db_col_text(st, 18));
		char *desc = case_open(k, db_col_text(st, 19));
		char *remedy_note = case_open(k, db_col_text(st, 35));
		int64_t deadline = db_col_int(st, 29);
		bool open = db_col_int(st, 40) != 0;
		o = json_object();
		json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
		json_object_set_new(o, "reference",
				    json_string(case_nz(db_col_text(st, 1))));
		json_object_set_new(o, "reference_text", json_string(ref));
		static const struct {
			const char *key;
			int col;
		} texts[] = {
			{"kind", 2},
			{"category", 3},
			{"status", 4},
			{"channel", 7},
			{"country_work", 8},
			{"country_origin", 9},
			{"sector", 10},
			{"employer", 11},
			{"agency", 12},
			{"started_on", 13},
			{"language", 14},
			{"gender", 15},
			{"contact_method", 17},
			{"remedy_kind", 31},
			{"remedy_currency", 33},
			{"remedy_date", 34},
		};
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
			json_object_set_new(o, texts[i].key,
					    json_string(case_nz(db_col_text(
						    st, texts[i].col))));
		json_object_set_new(o, "danger",
				    json_boolean(db_col_int(st, 5)));
		json_object_set_new(o, "priority",
				    json_integer(db_col_int(st, 6)));
		json_object_set_new(o, "name", json_string(name));
		json_object_set_new(o, "contact", json_string(contact));
		json_object_set_new(o, "description", json_string(desc));
		json_object_set_new(o, "consent_contact",
				    json_boolean(db_col_int(st, 20)));
		json_object_set_new(o, "consent_share",
				    json_boolean(db_col_int(st, 21)));
		json_object_set_new(o, "is_open", json_boolean(open));
		json_object_set_new(o, "created_at",
				    json_integer(db_col_int(st, 36)));
		json_object_set_new(o, "updated_at",
				    json_integer(db_col_int(st, 37)));
		json_object_set_new(o, "is_demo",
				    json_boolean(db_col_int(st, 38)));
		if (!db_col_null(st, 32))
			json_object_set_new(o, "remedy_amount",
					    json_integer(db_col_int(st, 32)));
		if (!for_worker) {
			json_object_set_new(o, "remedy_note",
					    json_string(remedy_note));
			json_object_set_new(o, "owner_org_id",
					    json_integer(db_col_int(st, 22)));
			json_object_set_new(
				o, "owner_country",
				json_string(case_nz(db_col_text(st, 23))));
			json_object_set_new(
				o, "owner_name",
				json_string(case_nz(db_col_text(st, 24))));
			json_object_set_new(
				o, "owner_org_secretariat",
				json_boolean(str_eq(db_col_text(st, 25),
						    "regional_secretariat")));
			json_object_set_new(o, "assignee_id",
					    json_integer(db_col_int(st, 26)));
			json_object_set_new(
				o, "assignee_name",
				json_string(case_nz(db_col_text(st, 27))));
			json_object_set_new(o, "merged_into",
					    json_integer(db_col_int(st, 28)));
			char mref[16] = "";
			if (!db_col_null(st, 41))
				case_reference_format(db_col_text(st, 41),
						      mref);
			json_object_set_new(o, "merged_into_reference",
					    json_string(mref));
			json_object_set_new(
				o, "reject_reason",
				json_string(case_nz(db_col_text(st, 39))));
			if (!db_col_null(st, 29))
				json_object_set_new(o, "deadline_at",
						    json_integer(deadline));
			json_object_set_new(o, "overdue",
					    json_boolean(open &&
							 !db_col_null(st, 29) &&
							 deadline < now));
			if (!db_col_null(st, 30))
				json_object_set_new(
					o, "escalated_at",
					json_integer(db_col_int(st, 30)));
		}
		free(name);
		free(contact);
		free(desc);
		free(remedy_note);
	}
	db_finalize(st);
	return o;
}

enum err
case_owner(struct db *db, int64_t id, struct authz_target *OUT, char country[3])
{
	struct db_stmt *st = db_query(
		db,
		"SELECT c.owner_org_id, o.country, o.kind FROM case_rec c"
		" JOIN organisation o ON o.id = c.owner_org_id WHERE c.id = ?",
		"i", id);
	if (st == NULL)
		return ERR_DB;
	enum err rc = ERR_NOTFOUND;
	if (db_step(st)) {
		memset(OUT, 0, sizeof *OUT);
		OUT->org_id = db_col_int(st, 0);
		snprintf(country, 3, "%s", case_nz(db_col_text(st, 1)));
		OUT->country = country;
		OUT->org_is_secretariat =
			str_eq(db_col_text(st, 2), "regional_secretariat");
		rc = ERR_OK;
	} else if (db_stmt_err(st)) {
		rc = db_stmt_err(st);
	}
	db_finalize(st);
	return rc;
}

/* The case and those merged into it, for staff views. */
#define WITH_MERGED                                                            \
	"(SELECT ? UNION SELECT id FROM case_rec WHERE merged_into = ?)"

json_t *
case_timeline(struct db *db, int64_t id, bool for_worker)
{
	struct db_stmt *st =
		for_worker
			? db_query(db,
				   "SELECT e.at, e.kind, '', e.detail, ''"
				   " FROM case_event e WHERE e.case_id = ?"
				   " AND e.public = 1 ORDER BY e.id",
				   "i", id)
			: db_query(db,
				   "SELECT e.at, e.kind, u.name, e.detail,"
				   " CASE WHEN e.case_id = ? THEN ''"
				   " ELSE c.reference END"
				   " FROM case_event e"
				   " JOIN case_rec c ON c.id = e.case_id"
				   " LEFT JOIN app_user u ON u.id = e.user_id"
				   " WHERE e.case_id IN " WITH_MERGED
				   " ORDER BY e.at, e.id",
				   "iii", id, id, id);
	json_t *a = json_array();
	if (st == NULL)
		return a;
	while (db_step(st)) {
		json_t *detail =
			json_loads(case_nz(db_col_text(st, 3)), 0, NULL);
		char ref[16] = "";
		if (!str_empty(db_col_text(st, 4)))
			case_reference_format(db_col_text(st, 4), ref);
		json_array_append_new(
			a, json_pack("{sI ss ss so ss}", "at",
				     (json_int_t)db_col_int(st, 0), "kind",
				     case_nz(db_col_text(st, 1)), "user_name",
				     case_nz(db_col_text(st, 2)), "detail",
				     detail ? detail : json_object(),
				     "case_reference", ref));
	}
	db_finalize(st);
	return a;
}

json_t *
case_messages(struct db *db, const struct case_keys *k, int64_t id,
	      bool for_worker)
{
	struct db_stmt *st =
		for_worker
			? db_query(db,
				   "SELECT m.id, m.at, m.user_id IS NULL, '',"
				   " m.body_sealed FROM case_message m"
				   " WHERE m.case_id = ? ORDER BY m.id",
				   "i", id)
			: db_query(db,
				   "SELECT m.id, m.at, m.user_id IS NULL, "
				   "u.name,"
				   " m.body_sealed FROM case_message m"
				   " LEFT JOIN app_user u ON u.id = m.user_id"
				   " WHERE m.case_id IN " WITH_MERGED
				   " ORDER BY m.at, m.id",
				   "ii", id, id);
	json_t *a = json_array();
	if (st == NULL)
		return a;
	while (db_step(st)) {
		char *body = case_open(k, db_col_text(st, 4));
		json_array_append_new(
			a,
			json_pack("{sI sI sb ss ss}", "id",
				  (json_int_t)db_col_int(st, 0), "at",
				  (json_int_t)db_col_int(st, 1), "from_worker",
				  db_col_int(st, 2) != 0, "user_name",
				  case_nz(db_col_text(st, 3)), "body", body));
		free(body);
	}
	db_finalize(st);
	return a;
}

json_t *
case_notes(struct db *db, const struct case_keys *k, int64_t id)
{
	struct db_stmt *st = db_query(
		db,
		"SELECT n.at, u.name, n.body_sealed FROM case_note n"
		" JOIN app_user u ON u.id = n.user_id"
		" WHERE n.case_id IN " WITH_MERGED " ORDER BY n.at, n.id",
		"ii", id, id);
	json_t *a = json_array();
	if (st == NULL)
		return a;
	while (db_step(st)) {
		char *body = case_open(k, db_col_text(st, 2));
		json_array_append_new(
			a,
			json_pack("{sI ss ss}", "at",
				  (json_int_t)db_col_int(st, 0), "user_name",
				  case_nz(db_col_text(st, 1)), "body", body));
		free(body);
	}
	db_finalize(st);
	return a;
}

json_t *
case_attachments(struct db *db, const struct case_keys *k, int64_t id,
		 bool for_worker)
{
	struct db_stmt *st = db_query(
		db,
		"SELECT a.id, a.at, a.filename_sealed, a.mime, a.size,"
		" a.internal, a.user_id IS NULL, a.stripped, a.case_id"
		" FROM case_attachment a WHERE (a.case_id = ? AND"
		" (a.internal = 0 OR ? = 0)) OR (? = 0 AND a.case_id IN"
		" (SELECT id FROM case_rec WHERE merged_into = ?))"
		" ORDER BY a.at, a.id",
		"iiii", id, (int64_t)for_worker, (int64_t)for_worker, id);
	json_t *a = json_array();
	if (st == NULL)
		return a;
	while (db_step(st)) {
		char *fn = case_open(k, db_col_text(st, 2));
		json_array_append_new(
			a, json_pack("{sI sI ss ss sI sb sb sb sI}", "id",
				     (json_int_t)db_col_int(st, 0), "at",
				     (json_int_t)db_col_int(st, 1), "filename",
				     fn, "mime", case_nz(db_col_text(st, 3)),
				     "size", (json_int_t)db_col_int(st, 4),
				     "internal", db_col_int(st, 5) != 0,
				     "from_worker", db_col_int(st, 6) != 0,
				     "stripped", db_col_int(st, 7) != 0,
				     "case_id", (json_int_t)db_col_int(st, 8)));
		free(fn);
	}
	db_finalize(st);
	return a;
}

json_t *
case_contacts(struct db *db, const struct case_keys *k, int64_t id)
{
	struct db_stmt *st = db_query(
		db,
		"SELECT t.on_date, t.place, t.who, t.summary_sealed, u.name"
		" FROM case_contact t JOIN app_user u ON u.id = t.user_id"
		" WHERE t.case_id IN " WITH_MERGED " ORDER BY t.on_date, t.id",
		"ii", id, id);
	json_t *a = json_array();
	if (st == NULL)
		return a;
	while (db_step(st)) {
		char *summary = case_open(k, db_col_text(st, 3));
		json_array_append_new(
			a, json_pack("{ss ss ss ss ss}", "on_date",
				     case_nz(db_col_text(st, 0)), "place",
				     case_nz(db_col_text(st, 1)), "who",
				     case_nz(db_col_text(st, 2)), "summary",
				     summary, "user_name",
				     case_nz(db_col_text(st, 4))));
		free(summary);
	}
	db_finalize(st);
	return a;
}

enum err
case_attachment_data(struct db *db, const struct case_keys *k, int64_t case_id,
		     int64_t att_id, bool for_worker, void **OUT_data,
		     size_t *OUT_len, char **OUT_mime, char **OUT_filename)
{
	/* Staff may open the evidence of cases merged into this one. */
	struct db_stmt *st = db_query(
		db,
		"SELECT a.data, a.mime, a.filename_sealed FROM case_attachment "
		"a"
		" JOIN case_rec c ON c.id = a.case_id WHERE a.id = ? AND"
		" ((a.case_id = ? AND (a.internal = 0 OR ? = 0)) OR"
		"  (? = 0 AND c.merged_into = ?))",
		"iiiii", att_id, case_id, (int64_t)for_worker,
		(int64_t)for_worker, case_id);
	if (st == NULL)
		return ERR_DB;
	enum err rc = ERR_NOTFOUND;
	if (db_step(st)) {
		size_t n = 0;
		const void *sealed = db_col_blob(st, 0, &n);
		*OUT_data = crypto_open(k->field, sealed, n, OUT_len);
		if (*OUT_data == NULL) {
			rc = ERR_CORRUPT;
		} else {
			*OUT_mime = xstrdup(case_nz(db_col_text(st, 1)));
			*OUT_filename = case_open(k, db_col_text(st, 2));
			rc = ERR_OK;
		}
	} else if (db_stmt_err(st)) {
		rc = db_stmt_err(st);
	}
	db_finalize(st);
	return rc;
}

enum err
case_attach(struct db *db, const struct case_keys *k, const struct actor *who,
	    int64_t id, const char *filename, const char *mime,
	    const void *data, size_t len, bool stripped, bool internal)
{
	int64_t now = (int64_t)time(NULL);
	size_t slen = 0;
	void *sealed = crypto_seal(k->field, data, len, &slen);
	char *fn = case_seal(k, str_empty(filename) ? "file" : filename);
	int64_t user = who ? who->user_id : 0;
	int64_t org = 0;
	enum err rc = db_begin_write(db);
	if (rc)
		goto out;
	if ((rc = db_query_int(db, &org,
			       "SELECT owner_org_id FROM case_rec WHERE id = ?",
			       "i", id)))
		goto fail;
	int64_t att = 0;
	if ((rc = db_query_int(
		     db, &att,
		     "INSERT INTO case_attachment (case_id, at, user_id,"
		     " internal, filename_sealed, mime, size, stripped, data)"
		     " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?) RETURNING "
		     "id",
		     "iiiittiib", id, now, user, (int64_t)internal, fn, mime,
		     (int64_t)len, (int64_t)stripped, sealed, slen)))
		goto fail;
	json_t *d = json_pack("{sI ss sI sb}", "attachment", (json_int_t)att,
			      "mime", mime, "size", (json_int_t)len, "internal",
			      internal);
	if ((rc = case_event_add(db, id, user, "attachment", !internal,
				 json_deep_copy(d), now)) ||
	    (rc = db_run(db, "UPDATE case_rec SET updated_at = ? WHERE id = ?",
			 "ii", now, id)) ||
	    (rc = case_audit(db, who, "case.attach", id, org, d)) ||
	    (rc = db_commit(db)))
		goto fail;
	goto out;
fail:
	db_rollback(db);
out:
	free(sealed);
	free(fn);
	return rc;
}

enum err
case_audit_read(struct db *db, const struct actor *who, int64_t id,
		int64_t org_id, const char *action)
{
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	if ((rc = case_audit(db, who, action ? action : "case.view", id, org_id,
			     NULL)) ||
	    (rc = db_commit(db)))
		db_rollback(db);
	return rc;
}
