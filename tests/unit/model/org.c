/*
 * Tests for src/model/org.c: kinds, every field's validation limit,
 * org_create (audited; a duplicate name in the same country is
 * ERR_EXISTS), org_update (only what changed is audited), org_get,
 * org_find_by_name, and org_list's filters, sorting and paging.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/str.h"
#include "model/audit.h"
#include "model/org.h"
#include "unit/model/fixture.h"

static char *
repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

static struct org
valid_org(void)
{
	struct org o = {
		.name = "Migrant Workers Centre",
		.kind = ORG_NGO,
		.country = "TH",
		.languages = "th en my",
		.services = "Advice\nShelter",
		.contact_email = "info@mwc.example.org",
		.contact_phone = "+66 2 000 0000",
		.address = "1 Road\nBangkok",
		.website = "https://mwc.example.org",
		.referral_partner = true,
	};
	return o;
}

static void
test_kinds(void **state)
{
	(void)state;
	for (int k = ORG_NONE + 1; k < ORG__MAX; k++) {
		const char *name = org_kind_name((enum org_kind)k);
		assert_false(str_empty(name));
		assert_int_equal(org_kind_parse(name), k);
		assert_false(str_empty(org_kind_label((enum org_kind)k)));
	}
	assert_string_equal(org_kind_name(ORG_REGIONAL_SECRETARIAT),
			    "regional_secretariat");
	assert_string_equal(org_kind_name(ORG_AFFILIATE), "affiliate");
	assert_string_equal(org_kind_name(ORG_NONE), "");
	assert_string_equal(org_kind_name(ORG__MAX), "");
	assert_string_equal(org_kind_label(ORG_NONE), "");
	assert_int_equal(org_kind_parse("NGO"), ORG_NONE);
	assert_int_equal(org_kind_parse(""), ORG_NONE);
	assert_int_equal(org_kind_parse(NULL), ORG_NONE);
}

static void
test_validate_ok(void **state)
{
	(void)state;
	struct org o = valid_org();
	struct check c = {0};
	assert_true(org_validate(&o, &c));
	assert_int_equal(c.n, 0);
	/* Only name, kind and country are required. */
	struct org min = {.name = "X", .kind = ORG_CSO, .country = "VN"};
	assert_true(org_validate(&min, &c));
	struct org empty = {.name = "X",
			    .kind = ORG_CSO,
			    .country = "VN",
			    .languages = "",
			    .services = "",
			    .contact_email = "",
			    .contact_phone = "",
			    .address = "",
			    .website = ""};
	assert_true(org_validate(&empty, &c));
	assert_int_equal(c.n, 0);
	o.website = "http://plain.example.org";
	assert_true(org_validate(&o, &c));
}

/* One field set to `value` must pass (want true) or fail on `field`. */
static void
expect_field(const char *field, const char *value, bool want)
{
	struct org o = valid_org();
	if (strcmp(field, "name") == 0)
		o.name = value;
	else if (strcmp(field, "languages") == 0)
		o.languages = value;
	else if (strcmp(field, "services") == 0)
		o.services = value;
	else if (strcmp(field, "contact_email") == 0)
		o.contact_email = value;
	else if (strcmp(field, "contact_phone") == 0)
		o.contact_phone = value;
	else if (strcmp(field, "address") == 0)
		o.address = value;
	else if (strcmp(field, "website") == 0)
		o.website = value;
	else if (strcmp(field, "country") == 0)
		o.country = value;
	else
		fail_msg("no field %s", field);
	struct check c = {0};
	bool got = org_validate(&o, &c);
	if (got != want)
		fail_msg("%s = \"%.40s…\" (%zu bytes): got %s", field,
			 value ? value : "NULL", value ? strlen(value) : 0,
			 got ? "valid" : "invalid");
	if (!want) {
		assert_int_equal(c.n, 1);
		assert_non_null(check_message(&c, field));
	}
}

/* Limits in characters: a field `max` long passes, `max + 1` fails. */
static void
expect_limit(const char *field, size_t max, const char *unit)
{
	char *at = repeat(unit, max), *over = repeat(unit, max + 1);
	expect_field(field, at, true);
	expect_field(field, over, false);
	free(at);
	free(over);
}

static void
test_validate_limits(void **state)
{
	(void)state;
	expect_limit("name", ORG_NAME_MAX, "a");
	expect_limit("name", ORG_NAME_MAX, "ไ"); /* three bytes each */
	expect_limit("services", ORG_TEXT_MAX, "é");
	expect_limit("address", ORG_TEXT_MAX, "x");
	expect_limit("contact_phone", 50, "1");
	expect_limit("languages", 200, "a");

	char *site = repeat("w", 300 - strlen("https://"));
	char url[400];
	snprintf(url, sizeof url, "https://%s", site);
	expect_field("website", url, true);
	snprintf(url, sizeof url, "https://%sw", site);
	expect_field("website", url, false);
	free(site);
}

static void
test_validate_fields(void **state)
{
	(void)state;
	expect_field("name", NULL, false);
	expect_field("name", "", false);
	expect_field("name", "Two\nlines", false);
	expect_field("name", "Bell\a", false);
	expect_field("name", "Bad \xc3 byte", false);
	expect_field("name", "ศูนย์แรงงาน", true);
	expect_field("country", "XX", false);
	expect_field("country", "th", false);
	expect_field("country", NULL, false);
	expect_field("country", "", false);
	expect_field("languages", "en fil th", true);
	expect_field("languages", "zh-Hant en-GB", true);
	expect_field("languages", "en,fil", false);
	expect_field("languages", "en;th", false);
	expect_field("languages", "<script>", false);
	expect_field("languages", "en\nth", false);
	expect_field("services", "Line 1\nLine 2\r\n", true);
	expect_field("services", "Esc\x1b", false);
	expect_field("address", "Line 1\nLine 2", true);
	expect_field("contact_phone", "+66\n1", false);
	expect_field("contact_email", "not-an-address", false);
	expect_field("contact_email", "a@b", false);
	expect_field("website", "ftp://example.org", false);
	expect_field("website", "javascript:alert(1)", false);
	expect_field("website", "example.org", false);
	expect_field("website", "https://example.org/\n", false);

	struct org o = valid_org();
	o.kind = ORG_NONE;
	struct check c = {0};
	assert_false(org_validate(&o, &c));
	assert_non_null(check_message(&c, "kind"));
	o.kind = ORG__MAX;
	struct check d = {0};
	assert_false(org_validate(&o, &d));
	assert_non_null(check_message(&d, "kind"));

	/* Every failing field is reported at once. */
	struct org bad = {.name = "",
			  .kind = ORG_NONE,
			  .country = "ZZ",
			  .languages = "a,b",
			  .services = "\x01",
			  .contact_email = "x",
			  .contact_phone = "\x02",
			  .address = "\x03",
			  .website = "ftp://x"};
	struct check all = {0};
	assert_false(org_validate(&bad, &all));
	assert_int_equal(all.n, 9);
}

static void
test_create(void **state)
{
	struct fixture *f = *state;
	struct actor who = fixture_system();
	struct org o = valid_org();
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(org_create(f->db, &who, &o, &c, &id), ERR_OK);
	assert_true(id > 0);
	assert_int_equal(c.n, 0);

	json_t *j = org_get(f->db, id);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
	assert_string_equal(json_string_value(json_object_get(j, "name")),
			    o.name);
	assert_string_equal(json_string_value(json_object_get(j, "kind")),
			    "ngo");
	assert_string_equal(json_string_value(json_object_get(j, "country")),
			    "TH");
	assert_string_equal(json_string_value(json_object_get(j, "languages")),
			    o.languages);
	assert_string_equal(json_string_value(json_object_get(j, "services")),
			    o.services);
	assert_string_equal(
		json_string_value(json_object_get(j, "contact_email")),
		o.contact_email);
	assert_string_equal(
		json_string_value(json_object_get(j, "contact_phone")),
		o.contact_phone);
	assert_string_equal(json_string_value(json_object_get(j, "address")),
			    o.address);
	assert_string_equal(json_string_value(json_object_get(j, "website")),
			    o.website);
	assert_true(json_is_true(json_object_get(j, "referral_partner")));
	assert_true(json_is_false(json_object_get(j, "archived")));
	assert_true(json_is_false(json_object_get(j, "is_demo")));
	assert_true(json_integer_value(json_object_get(j, "created_at")) > 0);
	json_decref(j);

	/* Audited, with the entry pointing at the new organisation. */
	assert_int_equal(fixture_audit_count(f->db, "org.create"), 1);
	int64_t tid = 0;
	assert_int_equal(db_query_int(f->db, &tid,
				      "SELECT target_id FROM audit_log"
				      " WHERE action = 'org.create'"
				      " AND target_type = 'organisation'"
				      " AND target_org_id = target_id",
				      ""),
			 ERR_OK);
	assert_int_equal(tid, id);
	char *detail = fixture_audit_detail(f->db, "org.create");
	json_t *d = json_loads(detail, 0, NULL);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "name")),
			    o.name);
	assert_string_equal(json_string_value(json_object_get(d, "country")),
			    "TH");
	json_decref(d);
	free(detail);

	assert_int_equal(org_find_by_name(f->db, o.name), id);
	assert_int_equal(org_find_by_name(f->db, "Migrant Workers"), 0);
	assert_int_equal(org_find_by_name(f->db, "migrant workers centre"), 0);
	assert_null(org_get(f->db, id + 100));
}

static void
test_create_optional_null(void **state)
{
	struct fixture *f = *state;
	struct actor who = fixture_system();
	struct org o = {.name = "Bare",
			.kind = ORG_CSO,
			.country = "KH",
			.is_demo = true};
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(org_create(f->db, &who, &o, &c, &id), ERR_OK);
	json_t *j = org_get(f->db, id);
	assert_string_equal(json_string_value(json_object_get(j, "website")),
			    "");
	assert_string_equal(json_string_value(json_object_get(j, "languages")),
			    "");
	assert_true(json_is_true(json_object_get(j, "is_demo")));
	json_decref(j);
}

static void
test_create_invalid(void **state)
{
	struct fixture *f = *state;
	struct actor who = fixture_system();
	struct org o = valid_org();
	o.country = "ZZ";
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(org_create(f->db, &who, &o, &c, &id), ERR_INVALID);
	assert_non_null(check_message(&c, "country"));
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM organisation", NULL),
		0);
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM audit_log", NULL),
		0);
}

static void
test_create_duplicate(void **state)
{
	struct fixture *f = *state;
	struct actor who = fixture_system();
	struct org o = valid_org();
	struct check c = {0};
	int64_t id1 = 0, id2 = 0;
	assert_int_equal(org_create(f->db, &who, &o, &c, &id1), ERR_OK);
	struct check c2 = {0};
	assert_int_equal(org_create(f->db, &who, &o, &c2, &id2), ERR_EXISTS);
	assert_non_null(check_message(&c2, "name"));
	/* Nothing written: one row, one audit entry, an intact chain. */
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM organisation", NULL),
		1);
	assert_int_equal(fixture_audit_count(f->db, "org.create"), 1);
	/* The same name in another country is another organisation. */
	o.country = "VN";
	struct check c3 = {0};
	assert_int_equal(org_create(f->db, &who, &o, &c3, &id2), ERR_OK);
	assert_true(id2 != id1);
	int64_t count, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &count, &bad, &msg), ERR_OK);
	assert_int_equal(count, 2);
	buf_release(&msg);
	/* The connection has no transaction left open. */
	assert_int_equal(db_begin(f->db), ERR_OK);
	assert_int_equal(db_commit(f->db), ERR_OK);
}

static void
test_update(void **state)
{
	struct fixture *f = *state;
	struct actor who = {.user_id = 7,
			    .org_id = 1,
			    .country = "TH",
			    .role = ROLE_REGIONAL_ADMIN,
			    .label = "admin@example.org",
			    .address = "192.0.2.9"};
	struct org o = valid_org();
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(org_create(f->db, &who, &o, &c, &id), ERR_OK);

	o.id = id;
	o.name = "Migrant Workers Centre Bangkok";
	o.contact_phone = "+66 2 111 1111";
	o.referral_partner = false;
	assert_int_equal(org_update(f->db, &who, &o, &c), ERR_OK);
	assert_int_equal(c.n, 0);
	json_t *j = org_get(f->db, id);
	assert_string_equal(json_string_value(json_object_get(j, "name")),
			    o.name);
	assert_string_equal(
		json_string_value(json_object_get(j, "contact_phone")),
		o.contact_phone);
	assert_true(json_is_false(json_object_get(j, "referral_partner")));
	json_decref(j);

	/* The audit entry holds exactly what changed, old and new. */
	assert_int_equal(fixture_audit_count(f->db, "org.update"), 1);
	char *detail = fixture_audit_detail(f->db, "org.update");
	json_t *d = json_loads(detail, 0, NULL);
	assert_non_null(d);
	assert_int_equal(json_object_size(d), 3);
	json_t *name = json_object_get(d, "name");
	assert_string_equal(json_string_value(json_array_get(name, 0)),
			    "Migrant Workers Centre");
	assert_string_equal(json_string_value(json_array_get(name, 1)),
			    "Migrant Workers Centre Bangkok");
	json_t *phone = json_object_get(d, "contact_phone");
	assert_string_equal(json_string_value(json_array_get(phone, 0)),
			    "+66 2 000 0000");
	assert_string_equal(json_string_value(json_array_get(phone, 1)),
			    "+66 2 111 1111");
	json_t *rp = json_object_get(d, "referral_partner");
	assert_true(json_is_true(json_array_get(rp, 0)));
	assert_true(json_is_false(json_array_get(rp, 1)));
	json_decref(d);
	free(detail);
	/* ...with the actor. */
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'org.update' AND"
				       " actor_user_id = 7 AND"
				       " actor_label = ?",
				       "admin@example.org"),
			 1);

	/* Saving the same values again changes and audits nothing. */
	assert_int_equal(org_update(f->db, &who, &o, &c), ERR_OK);
	assert_int_equal(fixture_audit_count(f->db, "org.update"), 1);

	/* Archiving is a change like any other. */
	o.archived = true;
	assert_int_equal(org_update(f->db, &who, &o, &c), ERR_OK);
	assert_int_equal(fixture_audit_count(f->db, "org.update"), 2);
	detail = fixture_audit_detail(f->db, "org.update");
	assert_non_null(strstr(detail, "\"archived\":[false,true]"));
	free(detail);
	int64_t count, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &count, &bad, &msg), ERR_OK);
	assert_int_equal(count, 3);
	buf_release(&msg);
}

static void
test_update_errors(void **state)
{
	struct fixture *f = *state;
	struct actor who = fixture_system();
	struct org a = valid_org(), b = valid_org();
	b.name = "Other Centre";
	struct check c = {0};
	int64_t ida, idb;
	assert_int_equal(org_create(f->db, &who, &a, &c, &ida), ERR_OK);
	assert_int_equal(org_create(f->db, &who, &b, &c, &idb), ERR_OK);

	/* Renaming b to a's name in the same country. */
	b.id = idb;
	b.name = a.name;
	struct check c2 = {0};
	assert_int_equal(org_update(f->db, &who, &b, &c2), ERR_EXISTS);
	assert_non_null(check_message(&c2, "name"));
	json_t *j = org_get(f->db, idb);
	assert_string_equal(json_string_value(json_object_get(j, "name")),
			    "Other Centre");
	json_decref(j);

	/* Invalid input writes nothing. */
	b.name = "";
	struct check c3 = {0};
	assert_int_equal(org_update(f->db, &who, &b, &c3), ERR_INVALID);
	assert_non_null(check_message(&c3, "name"));

	/* No such organisation. */
	struct org ghost = valid_org();
	ghost.id = 999;
	struct check c4 = {0};
	assert_int_equal(org_update(f->db, &who, &ghost, &c4), ERR_NOTFOUND);
	assert_int_equal(fixture_audit_count(f->db, "org.update"), 0);
	assert_int_equal(db_begin(f->db), ERR_OK); /* nothing left open */
	assert_int_equal(db_commit(f->db), ERR_OK);
}

/* Six organisations for the list tests; returns their ids in `id`. */
static void
add_list_orgs(struct db *db, int64_t id[6])
{
	struct actor who = fixture_system();
	static const struct {
		const char *name;
		enum org_kind kind;
		const char *country;
		bool archived;
	} rows[] = {
		{"Bangkok Shelter", ORG_NGO, "TH", false},
		{"Alpha Union", ORG_AFFILIATE, "TH", false},
		{"Hanoi Legal Aid", ORG_NGO, "VN", false},
		{"Closed 100% Office", ORG_GOVERNMENT_AGENCY, "TH", true},
		{"Delta_Workers", ORG_CSO, "MY", false},
		{"charlie centre", ORG_INTERNATIONAL, "SG", false},
	};
	for (size_t i = 0; i < 6; i++) {
		struct org o = {.name = rows[i].name,
				.kind = rows[i].kind,
				.country = rows[i].country};
		struct check c = {0};
		assert_int_equal(org_create(db, &who, &o, &c, &id[i]), ERR_OK);
		if (rows[i].archived) {
			o.id = id[i];
			o.archived = true;
			assert_int_equal(org_update(db, &who, &o, &c), ERR_OK);
		}
	}
}

/* The names in a list result, joined by '|'. */
static char *
names_of(json_t *arr)
{
	struct buf b;
	buf_init(&b, 0);
	size_t i;
	json_t *o;
	json_array_foreach (arr, i, o) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, json_string_value(json_object_get(o, "name")));
	}
	return buf_detach(&b, NULL);
}

static void
expect_list(struct db *db, const struct org_filter *flt, int64_t total,
	    const char *names)
{
	json_t *arr = json_array();
	int64_t t = -1;
	assert_int_equal(org_list(db, flt, arr, &t), ERR_OK);
	char *got = names_of(arr);
	if (t != total || strcmp(got, names) != 0)
		fail_msg("got %lld \"%s\", want %lld \"%s\"", (long long)t, got,
			 (long long)total, names);
	free(got);
	json_decref(arr);
}

static void
test_list_filters(void **state)
{
	struct fixture *f = *state;
	int64_t id[6];
	add_list_orgs(f->db, id);
	struct org_filter flt = {0};
	/* Archived ones are hidden unless asked for; sorted by name. */
	expect_list(f->db, &flt, 5,
		    "Alpha Union|Bangkok Shelter|Delta_Workers|Hanoi Legal Aid|"
		    "charlie centre");
	flt.include_archived = true;
	expect_list(f->db, &flt, 6,
		    "Alpha Union|Bangkok Shelter|Closed 100% Office|"
		    "Delta_Workers|Hanoi Legal Aid|charlie centre");
	flt.include_archived = false;

	flt.country = "TH";
	expect_list(f->db, &flt, 2, "Alpha Union|Bangkok Shelter");
	flt.country = "";
	flt.kind = "ngo";
	expect_list(f->db, &flt, 2, "Bangkok Shelter|Hanoi Legal Aid");
	flt.country = "VN";
	expect_list(f->db, &flt, 1, "Hanoi Legal Aid");
	flt.country = NULL;
	flt.kind = NULL;

	/* Substring of the name, any case. */
	flt.q = "CENTRE";
	expect_list(f->db, &flt, 1, "charlie centre");
	flt.q = "aN";
	expect_list(f->db, &flt, 2, "Bangkok Shelter|Hanoi Legal Aid");
	/* LIKE wildcards in the search are plain characters. */
	flt.q = "_";
	expect_list(f->db, &flt, 1, "Delta_Workers");
	flt.q = "%";
	flt.include_archived = true;
	expect_list(f->db, &flt, 1, "Closed 100% Office");
	flt.q = "nothing like it";
	expect_list(f->db, &flt, 0, "");
	flt.q = NULL;
	flt.include_archived = false;

	/* A partner user's view: just their own. */
	flt.only_id = id[2];
	expect_list(f->db, &flt, 1, "Hanoi Legal Aid");
	flt.only_id = id[3]; /* archived */
	expect_list(f->db, &flt, 0, "");
}

static void
test_list_sort_page(void **state)
{
	struct fixture *f = *state;
	int64_t id[6];
	add_list_orgs(f->db, id);
	struct org_filter flt = {.sort = "country"};
	expect_list(f->db, &flt, 5,
		    "Delta_Workers|charlie centre|Alpha Union|Bangkok Shelter|"
		    "Hanoi Legal Aid");
	flt.sort = "kind";
	expect_list(f->db, &flt, 5,
		    "Alpha Union|Delta_Workers|charlie centre|Bangkok Shelter|"
		    "Hanoi Legal Aid");
	/* Unknown sort keys fall back to the name. */
	flt.sort = "name; DROP TABLE organisation";
	expect_list(f->db, &flt, 5,
		    "Alpha Union|Bangkok Shelter|Delta_Workers|Hanoi Legal Aid|"
		    "charlie centre");
	/* Most recently updated first. */
	assert_int_equal(db_run(f->db,
				"UPDATE organisation SET updated_at = ? WHERE"
				" id = ?",
				"ii", (int64_t)time(NULL) + 100, id[4]),
			 ERR_OK);
	flt.sort = "updated";
	json_t *arr = json_array();
	int64_t total;
	assert_int_equal(org_list(f->db, &flt, arr, &total), ERR_OK);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(arr, 0), "name")),
			    "Delta_Workers");
	json_decref(arr);

	/* Pages of two: the total counts everything. */
	flt.sort = NULL;
	flt.per_page = 2;
	flt.page = 1;
	expect_list(f->db, &flt, 5, "Alpha Union|Bangkok Shelter");
	flt.page = 2;
	expect_list(f->db, &flt, 5, "Delta_Workers|Hanoi Legal Aid");
	flt.page = 3;
	expect_list(f->db, &flt, 5, "charlie centre");
	flt.page = 4;
	expect_list(f->db, &flt, 5, "");
	flt.page = 0; /* means 1 */
	expect_list(f->db, &flt, 5, "Alpha Union|Bangkok Shelter");
	flt.page = -3;
	expect_list(f->db, &flt, 5, "Alpha Union|Bangkok Shelter");
	/* Out-of-range page sizes become the default (25). */
	flt.page = 1;
	flt.per_page = 0;
	expect_list(f->db, &flt, 5,
		    "Alpha Union|Bangkok Shelter|Delta_Workers|Hanoi Legal Aid|"
		    "charlie centre");
	flt.per_page = 100000;
	expect_list(f->db, &flt, 5,
		    "Alpha Union|Bangkok Shelter|Delta_Workers|Hanoi Legal Aid|"
		    "charlie centre");
}

static void
test_list_json(void **state)
{
	struct fixture *f = *state;
	int64_t id[6];
	add_list_orgs(f->db, id);
	struct org_filter flt = {.country = "VN"};
	json_t *arr = json_array();
	int64_t total;
	assert_int_equal(org_list(f->db, &flt, arr, &total), ERR_OK);
	json_t *o = json_array_get(arr, 0);
	assert_int_equal(json_integer_value(json_object_get(o, "id")), id[2]);
	assert_string_equal(json_string_value(json_object_get(o, "kind")),
			    "ngo");
	assert_string_equal(json_string_value(json_object_get(o, "kind_label")),
			    org_kind_label(ORG_NGO));
	json_decref(arr);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_limits),
		cmocka_unit_test(test_validate_fields),
		T(test_create),
		T(test_create_optional_null),
		T(test_create_invalid),
		T(test_create_duplicate),
		T(test_update),
		T(test_update_errors),
		T(test_list_filters),
		T(test_list_sort_page),
		T(test_list_json),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
