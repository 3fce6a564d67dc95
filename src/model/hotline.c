#include "model/hotline.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "model/audit.h"

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* Digits, spaces and + - ( ), with at least one digit. */
static bool
number_ok(const char *s)
{
	bool digit = false;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (!strchr(" +-()", *p))
			return false;
	}
	return digit;
}

/* A real calendar date written YYYY-MM-DD (years 1900 … 2999). */
static bool
date_ok(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

bool
hotline_validate(const struct hotline *h, struct check *c)
{
	size_t before = c->n;
	check_country(c, "country", h->country);
	check_text(c, "name", h->name, true, HOTLINE_NAME_MAX, false);
	if (check_text(c, "number", h->number, true, HOTLINE_NUMBER_MAX,
		       false) &&
	    !number_ok(h->number))
		check_fail(c, "number",
			   N_("A phone number may hold only digits, spaces "
			      "and + - ( )."));
	if (check_text(c, "source_url", h->source_url, true, HOTLINE_URL_MAX,
		       false) &&
	    ((!str_starts(h->source_url, "https://") &&
	      !str_starts(h->source_url, "http://")) ||
	     strchr(h->source_url, ' ') != NULL))
		check_fail(
			c, "source_url",
			N_("A web address starts with https:// or http://."));
	if (!str_empty(h->checked_on) && !date_ok(h->checked_on))
		check_fail(c, "checked_on",
			   N_("Please enter a date such as 2025-03-31."));
	if (h->sort < 0 || h->sort > HOTLINE_SORT_MAX)
		check_fail(c, "sort",
			   N_("Please enter a whole number from 0 to 9999."));
	return c->n == before;
}

#define HOTLINE_COLUMNS                                                        \
	"id, country, name, number, source_url, checked_on, sort, is_demo,"    \
	" updated_at"

static json_t *
hotline_row(struct db_stmt *st)
{
	return json_pack("{sI ss ss ss ss ss sI sb sI}", "id",
			 (json_int_t)db_col_int(st, 0), "country",
			 db_col_text(st, 1), "name", db_col_text(st, 2),
			 "number", db_col_text(st, 3), "source_url",
			 db_col_text(st, 4), "checked_on", db_col_text(st, 5),
			 "sort", (json_int_t)db_col_int(st, 6), "is_demo",
			 (int)db_col_int(st, 7), "updated_at",
			 (json_int_t)db_col_int(st, 8));
}

json_t *
hotline_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_query(
		db, "SELECT " HOTLINE_COLUMNS " FROM hotline WHERE id = ?", "i",
		id);
	if (st == NULL)
		return NULL;
	json_t *h = db_step(st) ? hotline_row(st) : NULL;
	db_finalize(st);
	return h;
}

/* The rows of a query as an array, or NULL when the database fails. */
static json_t *
rows_of(struct db_stmt *st)
{
	if (st == NULL)
		return NULL;
	json_t *a = json_array();
	while (db_step(st))
		json_array_append_new(a, hotline_row(st));
	if (db_stmt_err(st)) {
		json_decref(a);
		a = NULL;
	}
	db_finalize(st);
	return a;
}

json_t *
hotline_list(struct db *db, const char *country)
{
	return rows_of(db_query(db,
				"SELECT " HOTLINE_COLUMNS " FROM hotline"
				" WHERE country = ? ORDER BY sort, id LIMIT ?",
				"ti", nz(country), (int64_t)HOTLINE_LIST_MAX));
}

json_t *
hotline_list_all(struct db *db, const char *country_filter)
{
	const char *country = str_empty(country_filter) ? NULL : country_filter;
	return rows_of(
		db_query(db,
			 "SELECT " HOTLINE_COLUMNS " FROM hotline"
			 " WHERE (CAST(? AS TEXT) IS NULL OR country = ?)"
			 " ORDER BY country, sort, id LIMIT ?",
			 "tti", country, country, (int64_t)HOTLINE_LIST_MAX));
}

/* The fields of a number as an audit detail (malloc'd JSON text). */
static char *
detail_of(const struct hotline *h)
{
	json_t *d = json_pack("{ss ss ss ss ss si}", "country", nz(h->country),
			      "name", nz(h->name), "number", nz(h->number),
			      "source_url", nz(h->source_url), "checked_on",
			      nz(h->checked_on), "sort", h->sort);
	char *s = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	return s;
}

/* Inserts and audits inside the caller's transaction. */
static enum err
insert(struct db *db, const struct actor *who, const struct hotline *h,
       bool is_demo, int64_t *OUT_id)
{
	enum err rc = db_query_int(
		db, OUT_id,
		"INSERT INTO hotline (country, name, number, source_url,"
		" checked_on, sort, is_demo, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		"tttttiii", h->country, h->name, h->number, h->source_url,
		nz(h->checked_on), (int64_t)h->sort, (int64_t)is_demo,
		(int64_t)time(NULL));
	if (rc)
		return rc;
	char *detail = detail_of(h);
	struct audit_event ev = {"hotline.create", "hotline", *OUT_id, 0,
				 detail};
	rc = audit_append(db, who, &ev);
	free(detail);
	return rc;
}

enum err
hotline_create(struct db *db, const struct actor *who, const struct hotline *h,
	       struct check *c, int64_t *OUT_id)
{
	if (!hotline_validate(h, c))
		return ERR_INVALID;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = insert(db, who, h, false, OUT_id);
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* Adds "field": [old, new] to `changes` when they differ. */
static void
diff_text(json_t *changes, json_t *old, const char *field, const char *now)
{
	const char *was = json_string_value(json_object_get(old, field));
	if (!str_eq(nz(was), nz(now)))
		json_object_set_new(changes, field,
				    json_pack("[ss]", nz(was), nz(now)));
}

enum err
hotline_update(struct db *db, const struct actor *who, const struct hotline *h,
	       struct check *c)
{
	if (!hotline_validate(h, c))
		return ERR_INVALID;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	json_t *changes = json_object();
	json_t *old = hotline_get(db, h->id);
	if (old == NULL) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	diff_text(changes, old, "country", h->country);
	diff_text(changes, old, "name", h->name);
	diff_text(changes, old, "number", h->number);
	diff_text(changes, old, "source_url", h->source_url);
	diff_text(changes, old, "checked_on", h->checked_on);
	json_int_t was_sort = json_integer_value(json_object_get(old, "sort"));
	if (was_sort != h->sort)
		json_object_set_new(
			changes, "sort",
			json_pack("[II]", was_sort, (json_int_t)h->sort));
	if (json_object_size(changes) == 0)
		goto out; /* nothing to save: not an error */
	rc = db_run(db,
		    "UPDATE hotline SET country = ?, name = ?, number = ?,"
		    " source_url = ?, checked_on = ?, sort = ?, updated_at = ?"
		    " WHERE id = ?",
		    "tttttiii", h->country, h->name, h->number, h->source_url,
		    nz(h->checked_on), (int64_t)h->sort, (int64_t)time(NULL),
		    h->id);
	if (rc)
		goto out;
	/* Where it is now, so the entry says which country it concerns. */
	json_object_set_new(changes, "at", json_string(h->country));
	char *detail = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
	struct audit_event ev = {"hotline.update", "hotline", h->id, 0, detail};
	rc = audit_append(db, who, &ev);
	free(detail);
out:
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	json_decref(old);
	json_decref(changes);
	return rc;
}

enum err
hotline_delete(struct db *db, const struct actor *who, int64_t id)
{
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	json_t *old = hotline_get(db, id);
	if (old == NULL) {
		rc = ERR_NOTFOUND;
		goto out;
	}
	rc = db_run(db, "DELETE FROM hotline WHERE id = ?", "i", id);
	if (rc)
		goto out;
	struct hotline h = {
		.country = json_string_value(json_object_get(old, "country")),
		.name = json_string_value(json_object_get(old, "name")),
		.number = json_string_value(json_object_get(old, "number")),
		.source_url =
			json_string_value(json_object_get(old, "source_url")),
		.checked_on =
			json_string_value(json_object_get(old, "checked_on")),
		.sort = (int)json_integer_value(json_object_get(old, "sort")),
	};
	char *detail = detail_of(&h);
	struct audit_event ev = {"hotline.delete", "hotline", id, 0, detail};
	rc = audit_append(db, who, &ev);
	free(detail);
out:
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	json_decref(old);
	return rc;
}

/*
 * Only numbers we are sure of: each country's national police or
 * emergency number, Singapore's ambulance and fire line, and Thailand's
 * 1300 social-assistance hotline (which also takes trafficking reports).
 * The sources are the governments' own sites; a deployment replaces all
 * of this with numbers someone has checked.
 */
static const struct hotline demo_numbers[] = {
	{0, "PH", "National emergency hotline (demo — check before use)", "911",
	 "https://www.dilg.gov.ph/", "", 10},
	{0, "ID", "National emergency number (demo — check before use)", "112",
	 "https://www.komdigi.go.id/", "", 10},
	{0, "ID", "Police (demo — check before use)", "110",
	 "https://www.polri.go.id/", "", 20},
	{0, "MY", "Police and ambulance, MERS 999 (demo — check before use)",
	 "999", "https://www.rmp.gov.my/", "", 10},
	{0, "SG", "Police (demo — check before use)", "999",
	 "https://www.police.gov.sg/", "", 10},
	{0, "SG", "Ambulance and fire (demo — check before use)", "995",
	 "https://www.scdf.gov.sg/", "", 20},
	{0, "TH", "Police (demo — check before use)", "191",
	 "https://www.royalthaipolice.go.th/", "", 10},
	{0, "TH",
	 "1300 Prachabodi social assistance and anti-trafficking hotline "
	 "(demo — check before use)",
	 "1300", "https://www.m-society.go.th/", "", 20},
	{0, "VN", "Police (demo — check before use)", "113",
	 "https://bocongan.gov.vn/", "", 10},
	{0, "KH", "Police (demo — check before use)", "117",
	 "https://www.interior.gov.kh/", "", 10},
	{0, "MM", "Police (demo — check before use)", "199",
	 "https://www.moha.gov.mm/", "", 10},
};

enum err
hotline_add_demo(struct db *db)
{
	struct actor sys = {.label = "atis demo", .address = ""};
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	int64_t have = 0;
	rc = db_query_int(db, &have,
			  "SELECT count(*) FROM hotline WHERE is_demo = 1", "");
	for (size_t i = 0; rc == ERR_OK && have == 0 &&
			   i < sizeof demo_numbers / sizeof demo_numbers[0];
	     i++) {
		struct check c = {0};
		if (!hotline_validate(&demo_numbers[i], &c)) {
			log_error("demo: hotline %zu is invalid (%s)", i,
				  c.items[0].field);
			rc = ERR_INVALID;
			break;
		}
		int64_t id;
		rc = insert(db, &sys, &demo_numbers[i], true, &id);
	}
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}
