/*
 * What spans many cases: the inbox, its search, the counts on the staff
 * home page, duplicate suggestions and the escalation of overdue cases.
 *
 * The inbox must answer in milliseconds at a million cases, so its SQL is
 * put together for each request in the shape the indexes serve (see the
 * migration's case_rec_inbox_* indexes): scope and open/closed first,
 * then "danger first, newest next".  Only values from ATIS's own lists
 * (checked here) and integers are written into the SQL text; what a
 * person typed is always bound as a parameter.  A search runs the other
 * way round: the index hands out matches newest first (rowid order, no
 * ranking), and the first page stops after a page of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/trigram.h"
#include "model/case_internal.h"

/* Appends the actor's scope; false when the actor sees no case at all. */
static bool
scope_sql(struct buf *sql, const struct actor *who)
{
	if (who->role == ROLE_REGIONAL_ADMIN || who->secretariat) {
		buf_puts(sql, " AND 1 = 1");
		return who->role != ROLE_PARTNER_USER;
	}
	if (who->role == ROLE_AFFILIATE_ADMIN) {
		if (country_find(who->country) == NULL)
			return false;
		buf_printf(sql,
			   " AND c.owner_country = '%s' AND c.owner_org_id"
			   " NOT IN (SELECT id FROM organisation WHERE kind ="
			   " 'regional_secretariat')",
			   country_find(who->country)->code);
		return true;
	}
	if (who->role == ROLE_FOCAL_POINT) {
		buf_printf(sql, " AND c.owner_org_id = %lld",
			   (long long)who->org_id);
		return true;
	}
	return false;
}

/* What the search box holds, once recognised. */
enum query_kind { Q_NONE, Q_REFERENCE, Q_CONTACT, Q_WORDS };

static enum query_kind
query_kind(const struct case_keys *k, const char *q, struct buf *param)
{
	if (str_empty(q))
		return Q_NONE;
	char ref[CASE_REFERENCE_LEN + 1];
	if (case_reference_parse(q, ref)) {
		/* Ten digits may also be a phone number typed without its
		 * "+": look for both (a NUL separates the two parameters). */
		char h[CRYPTO_TOKEN_CHARS + 1];
		case_keyed_hash(k, "contact", ref, h);
		buf_puts(param, ref);
		buf_append(param, "", 1);
		buf_puts(param, h);
		return Q_REFERENCE;
	}
	int digits = 0;
	bool phone = true;
	for (const char *p = q; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+-() .", *p))
			phone = false;
	}
	char h[CRYPTO_TOKEN_CHARS + 1];
	if (strchr(q, '@') != NULL && strchr(q, ' ') == NULL) {
		char *s = str_lower(str_trim(xstrdup(q)));
		case_keyed_hash(k, "contact", s, h);
		free(s);
		buf_puts(param, h);
		return Q_CONTACT;
	}
	if (phone && digits >= 6) {
		char d[64];
		size_t n = 0;
		for (const char *p = q; *p && n + 1 < sizeof d; p++)
			if (*p >= '0' && *p <= '9')
				d[n++] = *p;
		d[n] = '\0';
		case_keyed_hash(k, "contact", d, h);
		buf_puts(param, h);
		return Q_CONTACT;
	}
	return db_fts_match(param, q) ? Q_WORDS : Q_NONE;
}

static const char *
listed(const struct case_choice *list, const char *v)
{
	const struct case_choice *c = case_choice_find(list, v);
	return c ? c->name : NULL;
}

/* The WHERE clause after the scope, from the filter's listed values. */
static void
filter_sql(struct buf *sql, const struct case_filter *f)
{
	const char *status = str_empty(f->status) ? "open" : f->status;
	enum case_status s = case_status_parse(status);
	if (str_eq(status, "open"))
		buf_puts(sql, " AND c.is_open = 1");
	else if (s != CASE_STATUS_NONE)
		buf_printf(sql, " AND c.is_open = %d AND c.status = '%s'",
			   case_status_open(s) ? 1 : 0, case_status_name(s));
	const char *v;
	if ((v = listed(case_categories, f->category)))
		buf_printf(sql, " AND c.category = '%s'", v);
	if ((v = listed(case_channels, f->channel)))
		buf_printf(sql, " AND c.channel = '%s'", v);
	if ((v = listed(case_sectors, f->sector)))
		buf_printf(sql, " AND c.sector = '%s'", v);
	if (country_find(f->country_work))
		buf_printf(sql, " AND c.country_work = '%s'",
			   country_find(f->country_work)->code);
	if (country_find(f->country_origin))
		buf_printf(sql, " AND c.country_origin = '%s'",
			   country_find(f->country_origin)->code);
	if (f->priority >= CASE_PRIORITY_LOW &&
	    f->priority <= CASE_PRIORITY_URGENT)
		buf_printf(sql, " AND c.priority = %d", f->priority);
	if (f->overdue)
		buf_printf(sql, " AND c.is_open = 1 AND c.deadline_at < %lld",
			   (long long)f->now);
	if (f->escalated)
		buf_puts(sql, " AND c.is_open = 1 AND c.escalated_at IS NOT "
			      "NULL");
	if (f->assignee == -1)
		buf_puts(sql, " AND c.assignee_id IS NULL");
	else if (f->assignee > 0)
		buf_printf(sql, " AND c.assignee_id = %lld",
			   (long long)f->assignee);
}

enum err
case_list(struct db *db, const struct case_keys *k, const struct actor *who,
	  const struct case_filter *f, json_t *out, int64_t *OUT_total)
{
	struct buf where, param, sql;
	buf_init(&where, 0);
	buf_init(&param, 0);
	buf_init(&sql, 0);
	enum err rc = ERR_OK;
	*OUT_total = 0;
	if (!scope_sql(&where, who))
		goto out;
	filter_sql(&where, f);
	char *q = f->q ? str_trim(xstrdup(f->q)) : NULL;
	enum query_kind qk = query_kind(k, q, &param);
	bool asked = !str_empty(q);
	free(q);
	if (asked && qk == Q_NONE)
		goto out; /* nothing searchable: nothing found */
	const char *from = " FROM case_rec c";
	if (qk == Q_REFERENCE)
		buf_puts(&where,
			 " AND (c.reference = ? OR c.contact_hash = ?)");
	else if (qk == Q_CONTACT)
		buf_puts(&where, " AND c.contact_hash = ?");
	else if (qk == Q_WORDS)
		/* CROSS JOIN keeps the index outside: it hands out matches
		 * newest first, and each is looked up by its key.  The other
		 * way round, every case would re-run the MATCH. */
		from = " FROM case_fts f CROSS JOIN case_rec c";
	if (qk == Q_WORDS)
		buf_puts(&where, " AND c.id = f.rowid AND case_fts MATCH ?");
	const char *types = qk == Q_NONE ? "" : qk == Q_REFERENCE ? "tt" : "t";
	const char *p = buf_cstr(&param);
	const char *p2 = qk == Q_REFERENCE ? p + strlen(p) + 1 : NULL;

	const char *order;
	if (qk == Q_WORDS || str_eq(f->sort, "newest"))
		order = qk == Q_WORDS ? " ORDER BY f.rowid DESC"
				      : " ORDER BY c.id DESC";
	else if (str_eq(f->sort, "oldest"))
		order = " ORDER BY c.id ASC";
	else
		order = " ORDER BY c.danger DESC, c.id DESC";

	int per = f->per_page > 0 ? f->per_page : 25;
	int page = f->page > 0 ? f->page : 1;
	/* A word search is not counted: a common word can match most cases,
	 * and each match costs a look.  The page asks for one row more, to
	 * know whether there is a next page. */
	bool counted = qk != Q_WORDS;
	if (counted) {
		buf_printf(&sql,
			   "SELECT count(*) FROM (SELECT 1%s WHERE 1 = 1%s"
			   " LIMIT %d)",
			   from, buf_cstr(&where), CASE_LIST_COUNT_CAP + 1);
		if ((rc = db_query_int(db, OUT_total, buf_cstr(&sql), types, p,
				       p2)))
			goto out;
		if ((int64_t)(page - 1) * per >= *OUT_total)
			goto out;
		buf_reset(&sql);
	}
	buf_printf(&sql,
		   "SELECT c.id, c.reference, c.kind, c.category, c.status,"
		   " c.danger, c.priority, c.channel, c.country_work,"
		   " c.country_origin, c.sector, c.deadline_at,"
		   " c.escalated_at, c.created_at, c.updated_at,"
		   " (SELECT name FROM app_user WHERE id = c.assignee_id),"
		   " (SELECT name FROM organisation WHERE id = c.owner_org_id),"
		   " c.is_open%s WHERE 1 = 1%s%s LIMIT %d OFFSET %lld",
		   from, buf_cstr(&where), order, counted ? per : per + 1,
		   (long long)(page - 1) * per);
	struct db_stmt *st = db_query(db, buf_cstr(&sql), types, p, p2);
	if (st == NULL) {
		rc = ERR_DB;
		goto out;
	}
	int rows = 0;
	while (db_step(st)) {
		if (++rows > per) {
			/* The extra row of a word search: there is more. */
			*OUT_total = (int64_t)(page - 1) * per + per + 1;
			break;
		}
		if (!counted)
			*OUT_total = (int64_t)(page - 1) * per + rows;
		char ref[16];
		case_reference_format(case_nz(db_col_text(st, 1)), ref);
		bool open = db_col_int(st, 17) != 0;
		int64_t deadline = db_col_int(st, 11);
		json_t *o = json_pack(
			"{sI ss ss ss ss sb si ss ss ss ss sI sb sI sI ss ss "
			"sb}",
			"id", (json_int_t)db_col_int(st, 0), "reference_text",
			ref, "kind", case_nz(db_col_text(st, 2)), "category",
			case_nz(db_col_text(st, 3)), "status",
			case_nz(db_col_text(st, 4)), "danger",
			db_col_int(st, 5) != 0, "priority",
			(int)db_col_int(st, 6), "channel",
			case_nz(db_col_text(st, 7)), "country_work",
			case_nz(db_col_text(st, 8)), "country_origin",
			case_nz(db_col_text(st, 9)), "sector",
			case_nz(db_col_text(st, 10)), "deadline_at",
			(json_int_t)deadline, "overdue",
			open && !db_col_null(st, 11) && deadline < f->now,
			"created_at", (json_int_t)db_col_int(st, 13),
			"updated_at", (json_int_t)db_col_int(st, 14),
			"assignee_name", case_nz(db_col_text(st, 15)),
			"owner_name", case_nz(db_col_text(st, 16)), "escalated",
			open && !db_col_null(st, 12));
		json_array_append_new(out, o);
	}
	rc = db_stmt_err(st);
	db_finalize(st);
out:
	crypto_wipe(param.data, param.len);
	buf_release(&where);
	buf_release(&param);
	buf_release(&sql);
	return rc;
}

json_t *
case_counts(struct db *db, const struct actor *who, int64_t now)
{
	json_t *o = json_pack("{si si si si si}", "new", 0, "open", 0,
			      "overdue", 0, "escalated", 0, "mine", 0);
	struct buf sql;
	buf_init(&sql, 0);
	buf_puts(&sql, "SELECT count(*), COALESCE(SUM(c.status = 'new'), 0),"
		       " COALESCE(SUM(c.deadline_at < ?), 0),"
		       " COALESCE(SUM(c.escalated_at IS NOT NULL), 0),"
		       " COALESCE(SUM(c.assignee_id = ?), 0)"
		       " FROM case_rec c WHERE c.is_open = 1");
	if (scope_sql(&sql, who)) {
		struct db_stmt *st =
			db_query(db, buf_cstr(&sql), "ii", now, who->user_id);
		if (st && db_step(st)) {
			json_object_set_new(o, "open",
					    json_integer(db_col_int(st, 0)));
			json_object_set_new(o, "new",
					    json_integer(db_col_int(st, 1)));
			json_object_set_new(o, "overdue",
					    json_integer(db_col_int(st, 2)));
			json_object_set_new(o, "escalated",
					    json_integer(db_col_int(st, 3)));
			json_object_set_new(o, "mine",
					    json_integer(db_col_int(st, 4)));
		}
		db_finalize(st);
	}
	buf_release(&sql);
	return o;
}

#define DUP_CANDIDATES 200
#define DUP_WINDOW (90 * 86400)
#define DUP_SIMILAR 0.5

static void
add_duplicate(json_t *a, int64_t id, const char *ref, const char *status,
	      const char *reason, double similarity)
{
	size_t i;
	json_t *v;
	json_array_foreach (a, i, v)
		if (json_integer_value(json_object_get(v, "id")) == id)
			return;
	char text[16];
	case_reference_format(ref, text);
	json_array_append_new(a, json_pack("{sI ss ss ss si}", "id",
					   (json_int_t)id, "reference_text",
					   text, "status", status, "reason",
					   reason, "similarity",
					   (int)(similarity * 100 + 0.5)));
}

json_t *
case_duplicates(struct db *db, const struct case_keys *k, int64_t id)
{
	json_t *a = json_array();
	int64_t org = 0, created = 0;
	char hash[CRYPTO_TOKEN_CHARS + 1] = "";
	char *desc = NULL;
	struct db_stmt *st =
		db_query(db,
			 "SELECT owner_org_id, created_at, contact_hash,"
			 " description_sealed FROM case_rec WHERE id = ?",
			 "i", id);
	if (st && db_step(st)) {
		org = db_col_int(st, 0);
		created = db_col_int(st, 1);
		snprintf(hash, sizeof hash, "%s", case_nz(db_col_text(st, 2)));
		desc = case_open(k, db_col_text(st, 3));
	}
	db_finalize(st);
	if (desc == NULL)
		return a;
	/* The same person: the same contact, in the same organisation's
	 * cases (another organisation's are not this viewer's to see). */
	if (hash[0]) {
		st = db_query(db,
			      "SELECT id, reference, status FROM case_rec"
			      " WHERE contact_hash = ? AND id != ? AND"
			      " owner_org_id = ? AND status != 'merged'"
			      " ORDER BY id DESC LIMIT 10",
			      "tii", hash, id, org);
		while (st && db_step(st))
			add_duplicate(a, db_col_int(st, 0),
				      case_nz(db_col_text(st, 1)),
				      case_nz(db_col_text(st, 2)), "contact",
				      1.0);
		db_finalize(st);
	}
	/* The same story: a recent case whose words are mostly the same. */
	st = db_query(db,
		      "SELECT id, reference, status, description_sealed FROM"
		      " case_rec WHERE owner_org_id = ? AND id != ? AND"
		      " created_at BETWEEN ? AND ? AND status != 'merged'"
		      " ORDER BY id DESC LIMIT ?",
		      "iiiii", org, id, created - DUP_WINDOW,
		      created + DUP_WINDOW, (int64_t)DUP_CANDIDATES);
	while (st && db_step(st)) {
		char *other = case_open(k, db_col_text(st, 3));
		double sim = trigram_similarity(desc, other);
		if (sim >= DUP_SIMILAR)
			add_duplicate(a, db_col_int(st, 0),
				      case_nz(db_col_text(st, 1)),
				      case_nz(db_col_text(st, 2)), "text", sim);
		crypto_wipe(other, strlen(other));
		free(other);
	}
	db_finalize(st);
	crypto_wipe(desc, strlen(desc));
	free(desc);
	return a;
}

int
case_escalate_due(struct db *db, int64_t now)
{
	/* Cheap when there is nothing to do: one step of a partial index. */
	int64_t due = 0;
	if (db_query_int(db, &due,
			 "SELECT count(*) FROM (SELECT 1 FROM case_rec WHERE"
			 " deadline_at < ? AND escalated_at IS NULL LIMIT 1)",
			 "i", now) ||
	    due == 0)
		return 0;
	if (db_begin_write(db))
		return 0;
	struct actor sys = {.label = "system", .address = ""};
	int n = 0;
	int64_t ids[200], orgs[200];
	struct db_stmt *st = db_query(
		db,
		"SELECT id, owner_org_id FROM case_rec WHERE deadline_at < ?"
		" AND escalated_at IS NULL AND is_open = 1 LIMIT 200",
		"i", now);
	while (st && db_step(st) && n < 200) {
		ids[n] = db_col_int(st, 0);
		orgs[n] = db_col_int(st, 1);
		n++;
	}
	db_finalize(st);
	enum err rc = ERR_OK;
	for (int i = 0; i < n && rc == ERR_OK; i++) {
		if ((rc = db_run(db,
				 "UPDATE case_rec SET escalated_at = ? WHERE"
				 " id = ?",
				 "ii", now, ids[i])) ||
		    (rc = case_event_add(db, ids[i], 0, "escalated", false,
					 NULL, now)))
			break;
		rc = case_audit(db, &sys, "case.escalate", ids[i], orgs[i],
				NULL);
	}
	if (rc || db_commit(db)) {
		db_rollback(db);
		log_error("case: escalation failed: %s", err_str(rc));
		return 0;
	}
	return n;
}

json_t *
case_assignable(struct db *db, int64_t org_id)
{
	json_t *a = json_array();
	struct db_stmt *st = db_query(
		db,
		"SELECT id, name FROM app_user WHERE org_id = ? AND"
		" disabled = 0 AND role IN ('focal_point', 'affiliate_admin',"
		" 'regional_admin') ORDER BY name",
		"i", org_id);
	while (st && db_step(st))
		json_array_append_new(
			a, json_pack("{sI ss}", "id",
				     (json_int_t)db_col_int(st, 0), "name",
				     case_nz(db_col_text(st, 1))));
	db_finalize(st);
	return a;
}

int64_t
case_find_reference(struct db *db, const char *typed)
{
	char ref[CASE_REFERENCE_LEN + 1];
	int64_t id = 0;
	if (!case_reference_parse(typed, ref) ||
	    db_query_int(db, &id, "SELECT id FROM case_rec WHERE reference = ?",
			 "t", ref) != ERR_OK)
		return 0;
	return id;
}
