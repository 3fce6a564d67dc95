/*
 * org.h — organisations: the secretariat, affiliates and every partner in
 * the directory.  All SQL about organisations is here.
 */
#ifndef ATIS_MODEL_ORG_H
#define ATIS_MODEL_ORG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"
#include "model/check.h"

enum org_kind {
	ORG_NONE = 0,
	ORG_REGIONAL_SECRETARIAT,
	ORG_AFFILIATE, /* national union centre or affiliate */
	ORG_GOVERNMENT_AGENCY,
	ORG_NGO,
	ORG_CSO,
	ORG_INTERNATIONAL,
	ORG__MAX
};

const char *org_kind_name(enum org_kind k);  /* as stored */
const char *org_kind_label(enum org_kind k); /* English, to translate */
enum org_kind org_kind_parse(const char *name);

#define ORG_NAME_MAX 200
#define ORG_TEXT_MAX 2000

/* Input and output of one organisation.  Strings are borrowed (input) or
 * owned by the json/arena that produced them (output). */
struct org {
	int64_t id;
	const char *name;
	enum org_kind kind;
	const char *country;
	const char *languages; /* space-separated BCP 47 tags */
	const char *services;
	const char *contact_email;
	const char *contact_phone;
	const char *address;
	const char *website;
	bool referral_partner;
	bool is_demo;
	bool archived;
};

/* Checks every field; fills `c` and returns false on any failure. */
bool org_validate(const struct org *o, struct check *c);

/* Creates it with an audit entry; *OUT_id is its id.  ERR_INVALID (see
 * `c`), ERR_EXISTS (same name in that country, also put in `c`). */
enum err org_create(struct db *db, const struct actor *who, const struct org *o,
		    struct check *c, int64_t *OUT_id);
/* Saves every field of o->id, auditing what changed. */
enum err org_update(struct db *db, const struct actor *who, const struct org *o,
		    struct check *c);

/* One organisation as a JSON object (fields as in struct org, kind as its
 * name), or NULL when there is none.  The caller decrefs. */
json_t *org_get(struct db *db, int64_t id);
/* The id of the organisation called `name` (exact), or 0. */
int64_t org_find_by_name(struct db *db, const char *name);

#define ORG_LIST_MAX 1000 /* most organisations one org_list() returns */

struct org_filter {
	const char *q; /* substring of the name */
	const char *country;
	const char *kind;
	bool include_archived;
	int64_t only_id;  /* partner users: just their own */
	const char *sort; /* "name" (default), "country", "kind", "updated" */
	int page;         /* from 1 */
	int per_page;
};

/* Appends matching organisations to `out`; *OUT_total counts them all
 * (pass NULL when the count is not needed: it costs a query). */
enum err org_list(struct db *db, const struct org_filter *f, json_t *out,
		  int64_t *OUT_total);

#endif
