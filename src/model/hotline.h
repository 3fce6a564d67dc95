/*
 * hotline.h — emergency and anti-trafficking numbers.
 *
 * A worker who says "I am in danger now" is shown at once the numbers of
 * the country, each with the official source it was taken from, so that
 * the worker (and staff) can see where it comes from and when someone
 * last checked it.  All SQL about these numbers is here; every change
 * writes its audit entry ("hotline.create", "hotline.update",
 * "hotline.delete"; target_type "hotline") in the same transaction.
 *
 * JSON results are new references the caller decrefs.
 */
#ifndef ATIS_MODEL_HOTLINE_H
#define ATIS_MODEL_HOTLINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"
#include "model/check.h"

#define HOTLINE_NAME_MAX 100  /* characters */
#define HOTLINE_NUMBER_MAX 30 /* digits, spaces, + - ( ) */
#define HOTLINE_URL_MAX 300   /* characters */
#define HOTLINE_SORT_MAX 9999 /* sort is 0 … this */
#define HOTLINE_LIST_MAX 1000 /* most numbers one list returns */

/* Input of one number.  Strings are borrowed; NULL reads as "". */
struct hotline {
	int64_t id; /* for hotline_update */
	const char *country;
	const char *name;
	const char *number;
	const char *source_url;
	const char *checked_on; /* "" or YYYY-MM-DD */
	int sort;               /* display order within the country */
};

/*
 * Checks every field, fills `c` with one message per bad field and
 * returns false on any failure: name required, ≤ 100 characters; number
 * required, ≤ 30 characters of digits, spaces and + - ( ), at least one
 * digit; source_url required, http:// or https://, ≤ 300 characters;
 * checked_on empty or a real date YYYY-MM-DD; sort 0 … 9999; country
 * one ATIS knows.
 */
bool hotline_validate(const struct hotline *h, struct check *c);

/* Adds it (with its audit entry); *OUT_id is its id.  ERR_INVALID: see
 * `c`, nothing written. */
enum err hotline_create(struct db *db, const struct actor *who,
			const struct hotline *h, struct check *c,
			int64_t *OUT_id);
/* Saves every field of h->id, auditing what changed (nothing changed:
 * ERR_OK, no entry).  ERR_INVALID (see `c`), ERR_NOTFOUND. */
enum err hotline_update(struct db *db, const struct actor *who,
			const struct hotline *h, struct check *c);
/* Removes it; the audit entry keeps what it said.  ERR_NOTFOUND. */
enum err hotline_delete(struct db *db, const struct actor *who, int64_t id);

/* One number as {id, country, name, number, source_url, checked_on, sort,
 * is_demo, updated_at}, or NULL when there is none. */
json_t *hotline_get(struct db *db, int64_t id);

/* The numbers of one country in display order (sort, then id) as JSON
 * objects shaped like hotline_get's; an empty array when none.  NULL
 * only when the database fails (logged). */
json_t *hotline_list(struct db *db, const char *country);

/* Every number (for the admin page), ordered by country then sort; only
 * one country's when `country_filter` is neither NULL nor "".  NULL only
 * when the database fails. */
json_t *hotline_list_all(struct db *db, const char *country_filter);

/*
 * Demo data: the national police and emergency numbers of the demo
 * countries, each marked is_demo, named "… (demo — check before use)" and
 * pointing at a government site.  Laos is left out: no number for it was
 * certain enough.  Audited as "hotline.create" by "atis demo".  Does
 * nothing (ERR_OK) when demo numbers are there already.
 */
enum err hotline_add_demo(struct db *db);

#endif
