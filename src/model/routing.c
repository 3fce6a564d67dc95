#include "model/routing.h"

#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "model/audit.h"

/* ---- routing ------------------------------------------------------------ */

/* The organisation of the rule (country, applies_to), unless archived. */
static enum err
rule_org(struct db *db, const char *country, const char *applies_to,
	 int64_t *OUT)
{
	return db_query_int(db, OUT,
			    "SELECT r.org_id FROM routing_rule r"
			    " JOIN organisation o ON o.id = r.org_id"
			    " WHERE r.country = ? AND r.applies_to = ?"
			    " AND o.archived = 0",
			    "tt", country, applies_to);
}

/* The country's affiliate: not archived, the oldest when several. */
static enum err
affiliate_of(struct db *db, const char *country, int64_t *OUT)
{
	return db_query_int(db, OUT,
			    "SELECT id FROM organisation WHERE country = ?"
			    " AND kind = 'affiliate' AND archived = 0"
			    " ORDER BY id LIMIT 1",
			    "t", country);
}

enum err
routing_resolve(struct db *db, const char *country_work,
		const char *country_origin, int64_t *OUT_org_id,
		const char **OUT_why)
{
	static const struct {
		bool origin;  /* which country the step looks at */
		bool is_rule; /* a rule, or the affiliate */
		const char *why;
	} steps[] = {
		{false, true, "rule_work"},
		{false, false, "affiliate_work"},
		{true, true, "rule_origin"},
		{true, false, "affiliate_origin"},
	};
	enum err rc;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		const char *country =
			steps[i].origin ? country_origin : country_work;
		if (str_empty(country))
			continue;
		if (steps[i].is_rule)
			rc = rule_org(db, country,
				      steps[i].origin ? "origin" : "work",
				      OUT_org_id);
		else
			rc = affiliate_of(db, country, OUT_org_id);
		if (rc == ERR_OK) {
			*OUT_why = steps[i].why;
			return ERR_OK;
		}
		if (rc != ERR_NOTFOUND)
			return rc;
	}
	/* An archived secretariat still beats losing the case. */
	rc = db_query_int(db, OUT_org_id,
			  "SELECT id FROM organisation"
			  " WHERE kind = 'regional_secretariat'"
			  " ORDER BY archived, id LIMIT 1",
			  "");
	if (rc == ERR_OK)
		*OUT_why = "secretariat";
	return rc;
}

const char *
routing_why_label(const char *why)
{
	static const struct {
		const char *why, *label;
	} labels[] = {
		{"rule_work", N_("a rule for the country of work")},
		{"affiliate_work", N_("the affiliate in the country of work")},
		{"rule_origin", N_("a rule for the country of origin")},
		{"affiliate_origin",
		 N_("the affiliate in the country of origin")},
		{"secretariat", N_("the regional secretariat")},
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (str_eq(why, labels[i].why))
			return labels[i].label;
	return "";
}

json_t *
routing_list(struct db *db)
{
	struct db_stmt *st = db_query(
		db,
		"SELECT r.id, r.country, r.applies_to, r.org_id, o.name,"
		" o.country, o.archived, r.created_at FROM routing_rule r"
		" JOIN organisation o ON o.id = r.org_id"
		" ORDER BY r.country, r.applies_to DESC, r.id LIMIT ?",
		"i", (int64_t)ROUTING_RULES_MAX);
	if (st == NULL)
		return NULL;
	json_t *a = json_array();
	while (db_step(st))
		json_array_append_new(
			a, json_pack("{sI ss ss sI ss ss sb sI}", "id",
				     (json_int_t)db_col_int(st, 0), "country",
				     db_col_text(st, 1), "applies_to",
				     db_col_text(st, 2), "org_id",
				     (json_int_t)db_col_int(st, 3), "org_name",
				     db_col_text(st, 4), "org_country",
				     db_col_text(st, 5), "org_archived",
				     (int)db_col_int(st, 6), "created_at",
				     (json_int_t)db_col_int(st, 7)));
	if (db_stmt_err(st)) {
		json_decref(a);
		a = NULL;
	}
	db_finalize(st);
	return a;
}

static char *
rule_detail(const char *country, const char *applies_to, int64_t org_id)
{
	json_t *d = json_pack("{ss ss sI}", "country", country, "applies_to",
			      applies_to, "org_id", (json_int_t)org_id);
	char *s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	return s;
}

enum err
routing_rule_create(struct db *db, const struct actor *who, const char *country,
		    const char *applies_to, int64_t org_id, struct check *c,
		    int64_t *OUT_id)
{
	size_t before = c->n;
	check_country(c, "country", country);
	if (!str_eq(applies_to, "work") && !str_eq(applies_to, "origin"))
		check_fail(c, "applies_to",
			   N_("Please choose country of work or country of "
			      "origin."));
	if (c->n != before)
		return ERR_INVALID;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	int64_t ok = 0;
	rc = db_query_int(db, &ok,
			  "SELECT id FROM organisation WHERE id = ?"
			  " AND archived = 0",
			  "i", org_id);
	if (rc == ERR_NOTFOUND) {
		check_fail(c, "org_id",
			   N_("Please choose an organisation from the list."));
		rc = ERR_INVALID;
		goto fail;
	}
	if (rc)
		goto fail;
	rc = db_query_int(db, OUT_id,
			  "INSERT INTO routing_rule (country, applies_to,"
			  " org_id, created_at) VALUES (?, ?, ?, ?)"
			  " RETURNING id",
			  "ttii", country, applies_to, org_id,
			  (int64_t)time(NULL));
	if (rc == ERR_EXISTS) {
		check_fail(c, "country",
			   N_("This country already has a rule for this "
			      "choice. Delete that rule first."));
		goto fail;
	}
	if (rc)
		goto fail;
	char *detail = rule_detail(country, applies_to, org_id);
	struct audit_event ev = {"routing.create", "routing_rule", *OUT_id,
				 org_id, detail};
	rc = audit_append(db, who, &ev);
	free(detail);
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return rc;
}

enum err
routing_rule_delete(struct db *db, const struct actor *who, int64_t id)
{
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	char *detail = NULL;
	int64_t org_id = 0;
	struct db_stmt *st =
		db_query(db,
			 "SELECT country, applies_to, org_id FROM routing_rule"
			 " WHERE id = ?",
			 "i", id);
	if (st == NULL) {
		rc = ERR_DB;
		goto out;
	}
	if (db_step(st)) {
		org_id = db_col_int(st, 2);
		detail = rule_detail(db_col_text(st, 0), db_col_text(st, 1),
				     org_id);
	} else {
		rc = db_stmt_err(st);
		if (rc == ERR_OK)
			rc = ERR_NOTFOUND;
	}
	db_finalize(st);
	if (rc)
		goto out;
	rc = db_run(db, "DELETE FROM routing_rule WHERE id = ?", "i", id);
	if (rc)
		goto out;
	struct audit_event ev = {"routing.delete", "routing_rule", id, org_id,
				 detail};
	rc = audit_append(db, who, &ev);
out:
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	free(detail);
	return rc;
}

/* ---- deadlines ---------------------------------------------------------- */

static const char *const priority_labels[ROUTING_PRIORITIES] = {
	N_("Low"),
	N_("Normal"),
	N_("High"),
	N_("Urgent"),
};

/* Keys of the audit detail. */
static const char *const priority_keys[ROUTING_PRIORITIES] = {"low", "normal",
							      "high", "urgent"};

/* Field names for struct check (it keeps the pointer). */
static const char *const hours_fields[ROUTING_PRIORITIES] = {
	"hours_0", "hours_1", "hours_2", "hours_3"};

static const int64_t default_hours[ROUTING_PRIORITIES] = {336, 168, 72, 24};

static int
clamp_priority(int p)
{
	return p < 0 ? 0 : p >= ROUTING_PRIORITIES ? ROUTING_PRIORITIES - 1 : p;
}

const char *
routing_priority_label(int priority)
{
	if (priority < 0 || priority >= ROUTING_PRIORITIES)
		return "";
	return priority_labels[priority];
}

int64_t
routing_default_hours(int priority)
{
	return default_hours[clamp_priority(priority)];
}

/* The stored value, or 0 when there is none (or the database failed). */
static int64_t
stored_hours(struct db *db, int64_t org_id, int priority)
{
	int64_t h = 0;
	enum err rc = db_query_int(db, &h,
				   "SELECT hours FROM case_deadline"
				   " WHERE org_id = ? AND priority = ?",
				   "ii", org_id, (int64_t)priority);
	if (rc && rc != ERR_NOTFOUND)
		log_error("deadline of organisation %lld: %s",
			  (long long)org_id, err_str(rc));
	return rc ? 0 : h;
}

int64_t
routing_deadline_hours(struct db *db, int64_t org_id, int priority)
{
	int p = clamp_priority(priority);
	int64_t h = stored_hours(db, org_id, p);
	return h > 0 ? h : default_hours[p];
}

json_t *
routing_deadlines(struct db *db, int64_t org_id)
{
	int64_t stored[ROUTING_PRIORITIES] = {0};
	struct db_stmt *st =
		db_query(db,
			 "SELECT priority, hours FROM case_deadline"
			 " WHERE org_id = ?",
			 "i", org_id);
	if (st == NULL)
		return NULL;
	while (db_step(st)) {
		int64_t p = db_col_int(st, 0);
		if (p >= 0 && p < ROUTING_PRIORITIES)
			stored[p] = db_col_int(st, 1);
	}
	enum err rc = db_stmt_err(st);
	db_finalize(st);
	if (rc)
		return NULL;
	json_t *a = json_array();
	for (int p = 0; p < ROUTING_PRIORITIES; p++)
		json_array_append_new(
			a,
			json_pack("{si ss sI sI sb}", "priority", p, "label",
				  priority_labels[p], "hours",
				  (json_int_t)(stored[p] > 0
						       ? stored[p]
						       : default_hours[p]),
				  "default_hours", (json_int_t)default_hours[p],
				  "is_default", stored[p] <= 0));
	return a;
}

enum err
routing_deadlines_save(struct db *db, const struct actor *who, int64_t org_id,
		       const int64_t hours[ROUTING_PRIORITIES], struct check *c)
{
	size_t before = c->n;
	for (int p = 0; p < ROUTING_PRIORITIES; p++)
		if (hours[p] < 1 || hours[p] > ROUTING_HOURS_MAX)
			check_fail(c, hours_fields[p],
				   N_("Please enter a whole number of hours "
				      "from 1 to 8760."));
	if (c->n != before)
		return ERR_INVALID;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	json_t *changes = json_object();
	int64_t found = 0;
	rc = db_query_int(db, &found,
			  "SELECT id FROM organisation WHERE id = ?", "i",
			  org_id);
	if (rc)
		goto out;
	for (int p = 0; p < ROUTING_PRIORITIES && rc == ERR_OK; p++) {
		int64_t was = routing_deadline_hours(db, org_id, p);
		if (was == hours[p] && (stored_hours(db, org_id, p) > 0) ==
					       (hours[p] != default_hours[p]))
			continue;
		rc = db_run(db,
			    "DELETE FROM case_deadline"
			    " WHERE org_id = ? AND priority = ?",
			    "ii", org_id, (int64_t)p);
		if (rc == ERR_OK && hours[p] != default_hours[p])
			rc = db_run(db,
				    "INSERT INTO case_deadline (org_id,"
				    " priority, hours) VALUES (?, ?, ?)",
				    "iii", org_id, (int64_t)p, hours[p]);
		if (was != hours[p])
			json_object_set_new(changes, priority_keys[p],
					    json_pack("[II]", (json_int_t)was,
						      (json_int_t)hours[p]));
	}
	if (rc || json_object_size(changes) == 0)
		goto out;
	char *detail = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
	struct audit_event ev = {"deadline.update", "organisation", org_id,
				 org_id, detail};
	rc = audit_append(db, who, &ev);
	free(detail);
out:
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	json_decref(changes);
	return rc;
}
