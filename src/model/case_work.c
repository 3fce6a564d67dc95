/*
 * Staff work on a case: verify or reject, move along the workflow, assign,
 * prioritise, triage, write to the worker, keep notes, record the remedy
 * and face-to-face contacts, merge duplicates.  Each action runs in one
 * write transaction with its timeline event and audit entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/mem.h"
#include "base/str.h"
#include "model/case_internal.h"
#include "model/routing.h"

/* What the actions need to know of a case, read under the write lock. */
struct row {
	int64_t id;
	enum case_status status;
	int64_t org_id;
	int priority;
	int64_t created_at;
};

static enum err
load(struct db *db, int64_t id, struct row *OUT)
{
	struct db_stmt *st = db_query(db,
				      "SELECT status, owner_org_id, priority, "
				      "created_at FROM case_rec"
				      " WHERE id = ?",
				      "i", id);
	if (st == NULL)
		return ERR_DB;
	enum err rc = ERR_NOTFOUND;
	if (db_step(st)) {
		OUT->id = id;
		OUT->status = case_status_parse(db_col_text(st, 0));
		OUT->org_id = db_col_int(st, 1);
		OUT->priority = (int)db_col_int(st, 2);
		OUT->created_at = db_col_int(st, 3);
		rc = ERR_OK;
	} else if (db_stmt_err(st)) {
		rc = db_stmt_err(st);
	}
	db_finalize(st);
	return rc;
}

/* Begins the transaction and loads the row; on failure nothing is open. */
static enum err
begin(struct db *db, int64_t id, struct row *r)
{
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	if ((rc = load(db, id, r)))
		db_rollback(db);
	return rc;
}

/* Writes event and audit entry, then commits; rolls back on failure. */
static enum err
finish(struct db *db, const struct actor *who, const struct row *r,
       const char *event, bool public, const char *action, json_t *detail,
       int64_t now)
{
	enum err rc;
	if ((rc = db_run(db, "UPDATE case_rec SET updated_at = ? WHERE id = ?",
			 "ii", now, r->id)) ||
	    (rc = case_event_add(db, r->id, who->user_id, event, public,
				 detail ? json_deep_copy(detail) : NULL,
				 now)) ||
	    (rc = case_audit(db, who, action, r->id, r->org_id, detail)) ||
	    (rc = db_commit(db))) {
		db_rollback(db);
		return rc;
	}
	return ERR_OK;
}

static enum err
refuse(struct db *db, struct check *c, const char *field, const char *msgid)
{
	db_rollback(db);
	check_fail(c, field, msgid);
	return ERR_INVALID;
}

/* A status change with its consequences: the open flag, the deadline
 * (none once resolved; a fresh one on reopening), the closing time. */
static enum err
move(struct db *db, const struct row *r, enum case_status to, int64_t now)
{
	bool open = case_status_open(to);
	int64_t deadline =
		now + 3600 * routing_deadline_hours(db, r->org_id, r->priority);
	return db_run(db,
		      "UPDATE case_rec SET status = ?, is_open = ?,"
		      " deadline_at = CASE WHEN ? = 1 THEN"
		      "   COALESCE(deadline_at, ?) ELSE NULL END,"
		      " escalated_at = CASE WHEN ? = 1 THEN escalated_at"
		      "   ELSE NULL END,"
		      " closed_at = CASE WHEN ? = 1 THEN NULL ELSE ? END,"
		      " reject_reason = CASE WHEN ? = 1 THEN '' ELSE"
		      "   reject_reason END"
		      " WHERE id = ?",
		      "tiiiiiiii", case_status_name(to), (int64_t)open,
		      (int64_t)open, deadline, (int64_t)open, (int64_t)open,
		      now, (int64_t)open, r->id);
}

static json_t *
status_detail(enum case_status from, enum case_status to)
{
	return json_pack("{ss ss}", "from", case_status_name(from), "to",
			 case_status_name(to));
}

enum err
case_verify(struct db *db, const struct actor *who, int64_t id, struct check *c)
{
	return case_set_status(db, who, id, CASE_VERIFIED, c);
}

enum err
case_set_status(struct db *db, const struct actor *who, int64_t id,
		enum case_status to, struct check *c)
{
	int64_t now = (int64_t)time(NULL);
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	if (!case_status_can_move(r.status, to))
		return refuse(db, c, "status",
			      N_("This case cannot move to that status from "
				 "where it is now."));
	if ((rc = move(db, &r, to, now))) {
		db_rollback(db);
		return rc;
	}
	/* Reopening: out of an ended status back into work. */
	bool reopen = !case_status_open(r.status) && case_status_open(to);
	const char *action = to == CASE_VERIFIED ? "case.verify"
			     : reopen            ? "case.reopen"
						 : "case.status";
	json_t *d = status_detail(r.status, to);
	return finish(db, who, &r, reopen ? "reopened" : "status", true, action,
		      d, now);
}

enum err
case_reject(struct db *db, const struct case_keys *k, const struct actor *who,
	    int64_t id, const char *reason, const char *why, struct check *c)
{
	if (!str_eq(reason, "spam") && !str_eq(reason, "duplicate"))
		check_fail(c, "reason", N_("Choose why: spam or a duplicate."));
	check_text(c, "why", why, true, 500, true);
	if (c->n)
		return ERR_INVALID;
	int64_t now = (int64_t)time(NULL);
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	if (r.status != CASE_NEW && r.status != CASE_VERIFIED)
		return refuse(db, c, "reason",
			      N_("Only a new or verified case can be "
				 "rejected."));
	if ((rc = move(db, &r, CASE_REJECTED, now)) ||
	    (rc = db_run(db,
			 "UPDATE case_rec SET reject_reason = ? WHERE id = ?",
			 "ti", reason, id))) {
		db_rollback(db);
		return rc;
	}
	/* The reason stays with staff: the worker reads only the status. */
	json_t *d = status_detail(r.status, CASE_REJECTED);
	rc = case_event_add(db, id, who->user_id, "status", true,
			    json_deep_copy(d), now);
	/* The explanation is staff's own note, sealed like every note. */
	if (rc == ERR_OK) {
		char *sealed = case_seal(k, why);
		rc = db_run(db,
			    "INSERT INTO case_note (case_id, at, user_id,"
			    " body_sealed) VALUES (?, ?, ?, ?)",
			    "iiit", id, now, who->user_id, sealed);
		free(sealed);
	}
	json_decref(d);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	json_t *ad = json_pack("{ss}", "reason", reason);
	return finish(db, who, &r, "rejected", false, "case.reject", ad, now);
}

enum err
case_assign(struct db *db, const struct actor *who, int64_t id,
	    int64_t assignee, struct check *c)
{
	int64_t now = (int64_t)time(NULL);
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	if (assignee != 0) {
		int64_t ok = 0;
		rc = db_query_int(db, &ok,
				  "SELECT count(*) FROM app_user WHERE id = ?"
				  " AND org_id = ? AND disabled = 0 AND role"
				  " IN ('focal_point', 'affiliate_admin',"
				  " 'regional_admin')",
				  "ii", assignee, r.org_id);
		if (rc) {
			db_rollback(db);
			return rc;
		}
		if (!ok)
			return refuse(db, c, "assignee",
				      N_("Choose a person of the organisation "
					 "that owns this case."));
	}
	if ((rc = db_run(db,
			 "UPDATE case_rec SET assignee_id = NULLIF(?, 0)"
			 " WHERE id = ?",
			 "ii", assignee, id))) {
		db_rollback(db);
		return rc;
	}
	json_t *d = json_pack("{sI}", "assignee", (json_int_t)assignee);
	return finish(db, who, &r, "assigned", false, "case.assign", d, now);
}

enum err
case_set_priority(struct db *db, const struct actor *who, int64_t id,
		  int priority, struct check *c)
{
	if (priority < CASE_PRIORITY_LOW || priority > CASE_PRIORITY_URGENT) {
		check_fail(c, "priority", N_("Please choose from the list."));
		return ERR_INVALID;
	}
	int64_t now = (int64_t)time(NULL);
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	/* The deadline follows the priority, counted from intake. */
	int64_t deadline =
		r.created_at +
		3600 * routing_deadline_hours(db, r.org_id, priority);
	if ((rc = db_run(db,
			 "UPDATE case_rec SET priority = ?,"
			 " deadline_at = CASE WHEN is_open = 1 THEN ? ELSE"
			 " NULL END, escalated_at = CASE WHEN ? > ? THEN NULL"
			 " ELSE escalated_at END WHERE id = ?",
			 "iiiii", (int64_t)priority, deadline, deadline, now,
			 id))) {
		db_rollback(db);
		return rc;
	}
	json_t *d = json_pack("{si si}", "from", r.priority, "to", priority);
	return finish(db, who, &r, "priority", false, "case.priority", d, now);
}

enum err
case_triage(struct db *db, const struct case_keys *k, const struct actor *who,
	    int64_t id, const struct case_input *in, struct check *c)
{
	if (case_choice_find(case_kinds, in->kind) == NULL)
		check_fail(c, "kind", N_("Please choose from the list."));
	if (case_choice_find(case_categories, in->category) == NULL)
		check_fail(c, "category", N_("Please choose from the list."));
	if (!str_empty(in->sector) &&
	    case_choice_find(case_sectors, in->sector) == NULL)
		check_fail(c, "sector", N_("Please choose from the list."));
	if (!str_empty(in->country_work))
		check_country(c, "country_work", in->country_work);
	if (!str_empty(in->country_origin))
		check_country(c, "country_origin", in->country_origin);
	check_text(c, "employer", in->employer, false, CASE_SHORT_MAX, false);
	check_text(c, "agency", in->agency, false, CASE_SHORT_MAX, false);
	if (c->n)
		return ERR_INVALID;
	int64_t now = (int64_t)time(NULL);
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	/* The index holds what it was given: take out the old text before
	 * putting in the new. */
	char *desc = NULL, *employer = NULL, *agency = NULL;
	struct db_stmt *st = db_query(
		db,
		"SELECT description_sealed, employer, agency FROM case_rec"
		" WHERE id = ?",
		"i", id);
	if (st && db_step(st)) {
		desc = case_open(k, db_col_text(st, 0));
		employer = xstrdup(case_nz(db_col_text(st, 1)));
		agency = xstrdup(case_nz(db_col_text(st, 2)));
	}
	db_finalize(st);
	if (desc == NULL) {
		db_rollback(db);
		return ERR_DB;
	}
	json_t *changed = json_array();
	if (!str_eq(employer, case_nz(in->employer)))
		json_array_append_new(changed, json_string("employer"));
	if (!str_eq(agency, case_nz(in->agency)))
		json_array_append_new(changed, json_string("agency"));
	if ((rc = case_fts_put(db, id, desc, employer, agency, true)) ||
	    (rc = db_run(db,
			 "UPDATE case_rec SET kind = ?, category = ?,"
			 " sector = ?, country_work = ?, country_origin = ?,"
			 " employer = ?, agency = ? WHERE id = ?",
			 "ttttttti", in->kind, in->category,
			 case_nz(in->sector), case_nz(in->country_work),
			 case_nz(in->country_origin), case_nz(in->employer),
			 case_nz(in->agency), id)) ||
	    (rc = case_fts_put(db, id, desc, in->employer, in->agency,
			       false))) {
		db_rollback(db);
	} else {
		json_t *d = json_pack(
			"{ss ss ss ss ss so}", "kind", in->kind, "category",
			in->category, "sector", case_nz(in->sector),
			"country_work", case_nz(in->country_work),
			"country_origin", case_nz(in->country_origin),
			"changed", changed);
		changed = NULL;
		rc = finish(db, who, &r, "triaged", false, "case.triage", d,
			    now);
	}
	json_decref(changed);
	crypto_wipe(desc, strlen(desc));
	free(desc);
	free(employer);
	free(agency);
	return rc;
}

static enum err
add_text(struct db *db, const struct case_keys *k, const struct actor *who,
	 int64_t id, const char *body, struct check *c, bool note)
{
	if (!check_text(c, note ? "note" : "body", body, true, CASE_TEXT_MAX,
			true))
		return ERR_INVALID;
	int64_t now = (int64_t)time(NULL);
	bool from_worker = who == NULL || who->role == ROLE_NONE;
	struct actor public_actor = {.label = "worker", .address = ""};
	if (who == NULL)
		who = &public_actor;
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	/* A worker whose case was merged still writes to it: the kept
	 * case's page shows the messages of the cases merged into it. */
	char *sealed = case_seal(k, body);
	if (note)
		rc = db_run(db,
			    "INSERT INTO case_note (case_id, at, user_id,"
			    " body_sealed) VALUES (?, ?, ?, ?)",
			    "iiit", id, now, who->user_id, sealed);
	else
		rc = db_run(db,
			    "INSERT INTO case_message (case_id, at, user_id,"
			    " body_sealed) VALUES (?, ?, NULLIF(?, 0), ?)",
			    "iiit", id, now, who->user_id, sealed);
	free(sealed);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	/* A worker writing after the end is not done: a resolved or closed
	 * case goes back to work, and the case a merged one was joined to
	 * hears of it, so the message is not left unread. */
	if (from_worker &&
	    (r.status == CASE_RESOLVED || r.status == CASE_CLOSED)) {
		json_t *d = status_detail(r.status, CASE_IN_PROGRESS);
		if ((rc = move(db, &r, CASE_IN_PROGRESS, now)) ||
		    (rc = case_event_add(db, id, 0, "reopened", true,
					 json_deep_copy(d), now)) ||
		    (rc = case_audit(db, who, "case.reopen", id, r.org_id,
				     d))) {
			db_rollback(db);
			return rc;
		}
	} else if (from_worker && r.status == CASE_MERGED) {
		if ((rc = db_run(db,
				 "UPDATE case_rec SET updated_at = ? WHERE id ="
				 " (SELECT merged_into FROM case_rec WHERE"
				 " id = ?)",
				 "ii", now, id)) ||
		    (rc = db_run(db,
				 "INSERT INTO case_event (case_id, at, kind,"
				 " public, detail) SELECT merged_into, ?,"
				 " 'message_in', 0, '' FROM case_rec WHERE"
				 " id = ?",
				 "ii", now, id))) {
			db_rollback(db);
			return rc;
		}
	}
	const char *event = note          ? "note"
			    : from_worker ? "message_in"
					  : "message_out";
	const char *action = note          ? "case.note"
			     : from_worker ? "case.reply"
					   : "case.message";
	return finish(db, who, &r, event, !note, action, NULL, now);
}

enum err
case_add_message(struct db *db, const struct case_keys *k,
		 const struct actor *who, int64_t id, const char *body,
		 struct check *c)
{
	return add_text(db, k, who, id, body, c, false);
}

enum err
case_add_note(struct db *db, const struct case_keys *k, const struct actor *who,
	      int64_t id, const char *body, struct check *c)
{
	return add_text(db, k, who, id, body, c, true);
}

static bool
valid_date(const char *s)
{
	int y, m, d;
	char extra;
	return s && strlen(s) == 10 &&
	       sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 &&
	       y >= 1950 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* "1500" or "1500.5" or "1,500.50" → 150050 minor units (two decimals:
 * the currencies of the region that have minor units use two). */
static bool
parse_amount(const char *s, int64_t *OUT)
{
	int64_t units = 0, cents = 0;
	int decimals = -1, digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (decimals >= 0) {
				if (++decimals > 2)
					return false;
				cents = cents * 10 + (*p - '0');
			} else {
				if (++digits > 13)
					return false;
				units = units * 10 + (*p - '0');
			}
		} else if (*p == '.' && decimals < 0) {
			decimals = 0;
		} else if (*p != ',' && *p != ' ') {
			return false;
		}
	}
	if (digits == 0)
		return false;
	if (decimals == 1)
		cents *= 10;
	*OUT = units * 100 + cents;
	return true;
}

enum err
case_record_remedy(struct db *db, const struct case_keys *k,
		   const struct actor *who, int64_t id,
		   const struct case_remedy *rm, struct check *c)
{
	if (case_choice_find(case_remedies, rm->kind) == NULL)
		check_fail(c, "remedy_kind",
			   N_("Please choose from the list."));
	int64_t amount = 0;
	bool has_amount = !str_empty(rm->amount);
	if (has_amount && !parse_amount(rm->amount, &amount))
		check_fail(c, "remedy_amount",
			   N_("Write the amount in digits, for example "
			      "1500 or 1500.50."));
	bool cur_ok = rm->currency && strlen(rm->currency) == 3 &&
		      rm->currency[0] >= 'A' && rm->currency[0] <= 'Z' &&
		      rm->currency[1] >= 'A' && rm->currency[1] <= 'Z' &&
		      rm->currency[2] >= 'A' && rm->currency[2] <= 'Z';
	if (has_amount && !cur_ok)
		check_fail(c, "remedy_currency",
			   N_("Give the currency as three capital letters, "
			      "for example THB, MYR or USD."));
	if (!str_empty(rm->date) && !valid_date(rm->date))
		check_fail(c, "remedy_date",
			   N_("Give the date as YYYY-MM-DD."));
	check_text(c, "remedy_note", rm->note, false, CASE_TEXT_MAX, true);
	if (c->n)
		return ERR_INVALID;
	int64_t now = (int64_t)time(NULL);
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	char *note = case_seal(k, rm->note);
	rc = db_run(db,
		    "UPDATE case_rec SET remedy_kind = ?, remedy_amount ="
		    " CASE WHEN ? = 1 THEN ? ELSE NULL END,"
		    " remedy_currency = ?, remedy_date = ?,"
		    " remedy_note_sealed = ? WHERE id = ?",
		    "tiittti", rm->kind, (int64_t)has_amount, amount,
		    has_amount ? rm->currency : "", case_nz(rm->date), note,
		    id);
	free(note);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	json_t *d = json_pack("{ss}", "kind", rm->kind);
	if (has_amount) {
		json_object_set_new(d, "amount", json_integer(amount));
		json_object_set_new(d, "currency", json_string(rm->currency));
	}
	return finish(db, who, &r, "remedy", true, "case.remedy", d, now);
}

enum err
case_add_contact(struct db *db, const struct case_keys *k,
		 const struct actor *who, int64_t id,
		 const struct case_meeting *m, struct check *c)
{
	if (!valid_date(m->on_date))
		check_fail(c, "on_date", N_("Give the date as YYYY-MM-DD."));
	check_text(c, "place", m->place, true, CASE_SHORT_MAX, false);
	check_text(c, "who", m->who, true, CASE_SHORT_MAX, false);
	check_text(c, "summary", m->summary, true, CASE_TEXT_MAX, true);
	if (c->n)
		return ERR_INVALID;
	int64_t now = (int64_t)time(NULL);
	struct row r;
	enum err rc = begin(db, id, &r);
	if (rc)
		return rc;
	char *summary = case_seal(k, m->summary);
	rc = db_run(db,
		    "INSERT INTO case_contact (case_id, on_date, place, who,"
		    " summary_sealed, user_id, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "ittttii", id, m->on_date, m->place, m->who, summary,
		    who->user_id, now);
	free(summary);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	json_t *d = json_pack("{ss}", "on_date", m->on_date);
	return finish(db, who, &r, "contact", false, "case.contact", d, now);
}

enum err
case_merge(struct db *db, const struct actor *who, int64_t into, int64_t dup,
	   struct check *c)
{
	if (into == dup) {
		check_fail(c, "into",
			   N_("A case cannot be merged into itself."));
		return ERR_INVALID;
	}
	int64_t now = (int64_t)time(NULL);
	struct row a, b;
	enum err rc = begin(db, into, &a);
	if (rc)
		return rc;
	if ((rc = load(db, dup, &b))) {
		db_rollback(db);
		return rc;
	}
	if (!case_status_open(a.status))
		return refuse(db, c, "into",
			      N_("Merge into a case that is still open."));
	/* The kept case shows the notes and files of the merged one: both
	 * must belong to the same organisation. */
	if (a.org_id != b.org_id)
		return refuse(db, c, "into",
			      N_("Only cases of the same organisation can be "
				 "merged."));
	if (!case_status_open(b.status))
		return refuse(db, c, "into",
			      N_("Only an open case can be merged into "
				 "another."));
	/* Cases merged into dup follow it, so no chain forms. */
	if ((rc = move(db, &b, CASE_MERGED, now)) ||
	    (rc = db_run(db,
			 "UPDATE case_rec SET merged_into = ? WHERE id = ? OR"
			 " merged_into = ?",
			 "iii", into, dup, dup))) {
		db_rollback(db);
		return rc;
	}
	char ra[16] = "", rb[16] = "";
	struct db_stmt *st = db_query(
		db, "SELECT id, reference FROM case_rec WHERE id IN (?, ?)",
		"ii", into, dup);
	while (st && db_step(st))
		case_reference_format(case_nz(db_col_text(st, 1)),
				      db_col_int(st, 0) == into ? ra : rb);
	db_finalize(st);
	if ((rc = case_event_add(db, dup, who->user_id, "merged", true,
				 json_pack("{ss}", "reference", ra), now)) ||
	    (rc = case_audit(db, who, "case.merge", dup, b.org_id,
			     json_pack("{sI}", "into", (json_int_t)into)))) {
		db_rollback(db);
		return rc;
	}
	json_t *d =
		json_pack("{ss sI}", "reference", rb, "case", (json_int_t)dup);
	return finish(db, who, &a, "merged_from", false, "case.merge_into", d,
		      now);
}
