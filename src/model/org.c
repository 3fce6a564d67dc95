#include "model/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "model/audit.h"

static const char *const kind_names[ORG__MAX] = {
	[ORG_REGIONAL_SECRETARIAT] = "regional_secretariat",
	[ORG_AFFILIATE] = "affiliate",
	[ORG_GOVERNMENT_AGENCY] = "government_agency",
	[ORG_NGO] = "ngo",
	[ORG_CSO] = "cso",
	[ORG_INTERNATIONAL] = "international",
};

static const char *const kind_labels[ORG__MAX] = {
	[ORG_REGIONAL_SECRETARIAT] = N_("Regional secretariat"),
	[ORG_AFFILIATE] = N_("National union centre or affiliate"),
	[ORG_GOVERNMENT_AGENCY] = N_("Government agency"),
	[ORG_NGO] = N_("Non-governmental organisation (NGO)"),
	[ORG_CSO] = N_("Civil society organisation (CSO)"),
	[ORG_INTERNATIONAL] = N_("International organisation"),
};

const char *
org_kind_name(enum org_kind k)
{
	return (k > ORG_NONE && k < ORG__MAX) ? kind_names[k] : "";
}

const char *
org_kind_label(enum org_kind k)
{
	return (k > ORG_NONE && k < ORG__MAX) ? kind_labels[k] : "";
}

enum org_kind
org_kind_parse(const char *name)
{
	for (int k = ORG_NONE + 1; k < ORG__MAX; k++)
		if (str_eq(kind_names[k], name))
			return (enum org_kind)k;
	return ORG_NONE;
}

static bool
check_languages(struct check *c, const char *langs)
{
	if (!check_text(c, "languages", langs, false, 200, false))
		return false;
	/* Space-separated tags of letters, digits and hyphens. */
	for (const char *p = langs ? langs : ""; *p; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == ' ')) {
			check_fail(
				c, "languages",
				N_("List language codes separated by spaces, "
				   "for example: en fil th."));
			return false;
		}
	}
	return true;
}

bool
org_validate(const struct org *o, struct check *c)
{
	check_text(c, "name", o->name, true, ORG_NAME_MAX, false);
	if (o->kind <= ORG_NONE || o->kind >= ORG__MAX)
		check_fail(c, "kind",
			   N_("Please choose a type from the list."));
	check_country(c, "country", o->country);
	check_languages(c, o->languages);
	check_text(c, "services", o->services, false, ORG_TEXT_MAX, true);
	check_email(c, "contact_email", o->contact_email, false);
	check_text(c, "contact_phone", o->contact_phone, false, 50, false);
	check_text(c, "address", o->address, false, ORG_TEXT_MAX, true);
	if (check_text(c, "website", o->website, false, 300, false) &&
	    !str_empty(o->website) && !str_starts(o->website, "https://") &&
	    !str_starts(o->website, "http://"))
		check_fail(
			c, "website",
			N_("A web address starts with https:// or http://."));
	return c->n == 0;
}

static const char *
nz(const char *s)
{
	return s ? s : "";
}

enum err
org_create(struct db *db, const struct actor *who, const struct org *o,
	   struct check *c, int64_t *OUT_id)
{
	if (!org_validate(o, c))
		return ERR_INVALID;
	int64_t now = (int64_t)time(NULL);
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_query_int(
		db, OUT_id,
		"INSERT INTO organisation (name, kind, country, languages,"
		" services, contact_email, contact_phone, address, website,"
		" referral_partner, is_demo, archived, created_at, updated_at)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING "
		"id",
		"tttttttttiiii", o->name, org_kind_name(o->kind), o->country,
		nz(o->languages), nz(o->services), nz(o->contact_email),
		nz(o->contact_phone), nz(o->address), nz(o->website),
		(int64_t)o->referral_partner, (int64_t)o->is_demo, now, now);
	if (rc == ERR_EXISTS) {
		check_fail(c, "name",
			   N_("An organisation with this name already "
			      "exists in this country."));
		goto fail;
	}
	if (rc)
		goto fail;
	json_t *d = json_pack("{ss ss ss}", "name", o->name, "kind",
			      org_kind_name(o->kind), "country", o->country);
	char *detail = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	struct audit_event ev = {"org.create", "organisation", *OUT_id, *OUT_id,
				 detail};
	rc = audit_append(db, who, &ev);
	free(detail);
	if (rc)
		goto fail;
	rc = db_commit(db);
	if (rc)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return rc;
}

/* Adds "field": [old, new] to `changes` when they differ. */
static void
diff_field(json_t *changes, json_t *old, const char *field, const char *now)
{
	const char *was = json_string_value(json_object_get(old, field));
	if (!str_eq(was ? was : "", now ? now : ""))
		json_object_set_new(changes, field,
				    json_pack("[ss]", was ? was : "", nz(now)));
}

static void
diff_bool(json_t *changes, json_t *old, const char *field, bool now)
{
	bool was = json_is_true(json_object_get(old, field));
	if (was != now)
		json_object_set_new(changes, field,
				    json_pack("[bb]", was, now));
}

enum err
org_update(struct db *db, const struct actor *who, const struct org *o,
	   struct check *c)
{
	if (!org_validate(o, c))
		return ERR_INVALID;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	json_t *old = org_get(db, o->id);
	json_t *changes = json_object();
	if (old == NULL) {
		rc = ERR_NOTFOUND;
		goto fail;
	}
	diff_field(changes, old, "name", o->name);
	diff_field(changes, old, "kind", org_kind_name(o->kind));
	diff_field(changes, old, "country", o->country);
	diff_field(changes, old, "languages", o->languages);
	diff_field(changes, old, "services", o->services);
	diff_field(changes, old, "contact_email", o->contact_email);
	diff_field(changes, old, "contact_phone", o->contact_phone);
	diff_field(changes, old, "address", o->address);
	diff_field(changes, old, "website", o->website);
	diff_bool(changes, old, "referral_partner", o->referral_partner);
	diff_bool(changes, old, "archived", o->archived);
	if (json_object_size(changes) == 0)
		goto fail; /* nothing to save: not an error */
	rc = db_run(db,
		    "UPDATE organisation SET name = ?, kind = ?, country = ?,"
		    " languages = ?, services = ?, contact_email = ?,"
		    " contact_phone = ?, address = ?, website = ?,"
		    " referral_partner = ?, archived = ?, updated_at = ?"
		    " WHERE id = ?",
		    "tttttttttiiii", o->name, org_kind_name(o->kind),
		    o->country, nz(o->languages), nz(o->services),
		    nz(o->contact_email), nz(o->contact_phone), nz(o->address),
		    nz(o->website), (int64_t)o->referral_partner,
		    (int64_t)o->archived, (int64_t)time(NULL), o->id);
	if (rc == ERR_EXISTS)
		check_fail(c, "name",
			   N_("An organisation with this name already "
			      "exists in this country."));
	if (rc)
		goto fail;
	/* Cases keep a copy of their owner's country for the inbox index
	 * (model/case_list.c): it moves with the organisation. */
	rc = db_run(db,
		    "UPDATE case_rec SET owner_country = ? WHERE"
		    " owner_org_id = ? AND owner_country != ?",
		    "tit", o->country, o->id, o->country);
	if (rc)
		goto fail;
	char *detail = json_dumps(changes, JSON_COMPACT | JSON_SORT_KEYS);
	struct audit_event ev = {"org.update", "organisation", o->id, o->id,
				 detail};
	rc = audit_append(db, who, &ev);
	free(detail);
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		goto fail;
	json_decref(old);
	json_decref(changes);
	return ERR_OK;
fail:
	db_rollback(db);
	json_decref(old);
	json_decref(changes);
	return rc;
}

#define ORG_COLUMNS                                                            \
	"id, name, kind, country, languages, services, contact_email,"         \
	" contact_phone, address, website, referral_partner, is_demo,"         \
	" archived, created_at, updated_at"

static json_t *
org_row(struct db_stmt *st)
{
	enum org_kind k = org_kind_parse(db_col_text(st, 2));
	return json_pack(
		"{sI ss ss ss ss ss ss ss ss ss ss sb sb sb sI sI}", "id",
		(json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
		"kind", db_col_text(st, 2), "kind_label", org_kind_label(k),
		"country", db_col_text(st, 3), "languages", db_col_text(st, 4),
		"services", db_col_text(st, 5), "contact_email",
		db_col_text(st, 6), "contact_phone", db_col_text(st, 7),
		"address", db_col_text(st, 8), "website", db_col_text(st, 9),
		"referral_partner", (int)db_col_int(st, 10), "is_demo",
		(int)db_col_int(st, 11), "archived", (int)db_col_int(st, 12),
		"created_at", (json_int_t)db_col_int(st, 13), "updated_at",
		(json_int_t)db_col_int(st, 14));
}

json_t *
org_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_query(
		db, "SELECT " ORG_COLUMNS " FROM organisation WHERE id = ?",
		"i", id);
	if (st == NULL)
		return NULL;
	json_t *o = db_step(st) ? org_row(st) : NULL;
	db_finalize(st);
	return o;
}

int64_t
org_find_by_name(struct db *db, const char *name)
{
	int64_t id = 0;
	if (db_query_int(
		    db, &id,
		    "SELECT id FROM organisation WHERE name = ? ORDER BY id"
		    " LIMIT 1",
		    "t", name))
		return 0;
	return id;
}

enum err
org_list(struct db *db, const struct org_filter *f, json_t *out,
	 int64_t *OUT_total)
{
	/* The sort column comes from a fixed list, never from the request. */
	const char *order = "name, id";
	if (str_eq(f->sort, "country"))
		order = "country, name, id";
	else if (str_eq(f->sort, "kind"))
		order = "kind, name, id";
	else if (str_eq(f->sort, "updated"))
		order = "updated_at DESC, id DESC";
	struct buf like;
	buf_init(&like, 0);
	db_like_contains(&like, f->q);
	const char *q = like.len ? buf_cstr(&like) : NULL;
	const char *country = str_empty(f->country) ? NULL : f->country;
	const char *kind = str_empty(f->kind) ? NULL : f->kind;
	const char *where =
		" WHERE (CAST(? AS TEXT) IS NULL OR lower(name) LIKE lower(?)"
		" ESCAPE '\\')"
		" AND (CAST(? AS TEXT) IS NULL OR country = ?)"
		" AND (CAST(? AS TEXT) IS NULL OR kind = ?)"
		" AND (? = 1 OR archived = 0) AND (? = 0 OR id = ?)";
	int per = f->per_page > 0 && f->per_page <= ORG_LIST_MAX ? f->per_page
								 : 25;
	int page = f->page > 0 ? f->page : 1;
	char sql[1024];
	enum err rc = ERR_OK;
	if (OUT_total != NULL) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM organisation%s",
			 where);
		rc = db_query_int(db, OUT_total, sql, "ttttttiii", q, q,
				  country, country, kind, kind,
				  (int64_t)f->include_archived, f->only_id,
				  f->only_id);
		if (rc)
			goto out;
	}
	snprintf(sql, sizeof sql,
		 "SELECT " ORG_COLUMNS " FROM organisation%s ORDER BY %s"
		 " LIMIT ? OFFSET ?",
		 where, order);
	struct db_stmt *st =
		db_query(db, sql, "ttttttiiiii", q, q, country, country, kind,
			 kind, (int64_t)f->include_archived, f->only_id,
			 f->only_id, (int64_t)per, (int64_t)(page - 1) * per);
	if (st == NULL) {
		rc = ERR_DB;
		goto out;
	}
	while (db_step(st))
		json_array_append_new(out, org_row(st));
	rc = db_stmt_err(st);
	db_finalize(st);
out:
	buf_release(&like);
	return rc;
}
