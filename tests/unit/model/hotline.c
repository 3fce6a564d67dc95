/*
 * Tests for src/model/hotline.c: each field's validation, create / update
 * / delete with their audit entries (and nothing written when invalid),
 * the lists' order and filter, and the demo numbers.
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
#include "model/hotline.h"
#include "unit/model/fixture.h"

static char *
repeat(char ch, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, ch, n);
	s[n] = '\0';
	return s;
}

static struct hotline
valid_hotline(void)
{
	struct hotline h = {
		.country = "TH",
		.name = "Police",
		.number = "191",
		.source_url = "https://www.royalthaipolice.go.th/",
		.checked_on = "2025-03-31",
		.sort = 10,
	};
	return h;
}

/* One text field set to `value` must pass (want true) or fail on it. */
static void
expect_field(const char *field, const char *value, bool want)
{
	struct hotline h = valid_hotline();
	if (strcmp(field, "country") == 0)
		h.country = value;
	else if (strcmp(field, "name") == 0)
		h.name = value;
	else if (strcmp(field, "number") == 0)
		h.number = value;
	else if (strcmp(field, "source_url") == 0)
		h.source_url = value;
	else if (strcmp(field, "checked_on") == 0)
		h.checked_on = value;
	else
		fail_msg("no field %s", field);
	struct check c = {0};
	bool got = hotline_validate(&h, &c);
	if (got != want)
		fail_msg("%s = \"%.40s\": got %s", field,
			 value ? value : "NULL", got ? "valid" : "invalid");
	if (!want) {
		assert_int_equal(c.n, 1);
		assert_non_null(check_message(&c, field));
	}
}

static void
test_validate_ok(void **state)
{
	(void)state;
	struct hotline h = valid_hotline();
	struct check c = {0};
	assert_true(hotline_validate(&h, &c));
	assert_int_equal(c.n, 0);
	h.checked_on = NULL; /* optional */
	assert_true(hotline_validate(&h, &c));
	h.checked_on = "";
	h.sort = 0;
	assert_true(hotline_validate(&h, &c));
	h.sort = HOTLINE_SORT_MAX;
	assert_true(hotline_validate(&h, &c));
	assert_int_equal(c.n, 0);
}

static void
test_validate_fields(void **state)
{
	(void)state;
	expect_field("country", "ZZ", false);
	expect_field("country", "th", false);
	expect_field("country", "", false);
	expect_field("country", NULL, false);

	expect_field("name", "", false);
	expect_field("name", NULL, false);
	expect_field("name", "Two\nlines", false);
	expect_field("name", "สายด่วน 1300", true);
	char *at = repeat('n', HOTLINE_NAME_MAX);
	char *over = repeat('n', HOTLINE_NAME_MAX + 1);
	expect_field("name", at, true);
	expect_field("name", over, false);
	free(at);
	free(over);

	expect_field("number", "", false);
	expect_field("number", NULL, false);
	expect_field("number", "+66 (2) 123-4567", true);
	expect_field("number", "1300", true);
	expect_field("number", "call 191", false);
	expect_field("number", "191a", false);
	expect_field("number", "191#", false);
	expect_field("number", "+ - ( )", false); /* no digit */
	expect_field("number", "191\n", false);
	at = repeat('1', HOTLINE_NUMBER_MAX);
	over = repeat('1', HOTLINE_NUMBER_MAX + 1);
	expect_field("number", at, true);
	expect_field("number", over, false);
	free(at);
	free(over);

	expect_field("source_url", "", false);
	expect_field("source_url", NULL, false);
	expect_field("source_url", "http://example.go.th/", true);
	expect_field("source_url", "www.example.go.th", false);
	expect_field("source_url", "ftp://example.go.th/", false);
	expect_field("source_url", "javascript:alert(1)", false);
	expect_field("source_url", "https://a b/", false);
	char url[400];
	char *host = repeat('w', HOTLINE_URL_MAX - strlen("https://"));
	snprintf(url, sizeof url, "https://%s", host);
	expect_field("source_url", url, true);
	snprintf(url, sizeof url, "https://%sw", host);
	expect_field("source_url", url, false);
	free(host);

	expect_field("checked_on", "2024-02-29", true);
	expect_field("checked_on", "2025-02-29", false);
	expect_field("checked_on", "2025-13-01", false);
	expect_field("checked_on", "2025-04-31", false);
	expect_field("checked_on", "2025-00-10", false);
	expect_field("checked_on", "31/03/2025", false);
	expect_field("checked_on", "2025-3-31", false);
	expect_field("checked_on", "yesterday", false);

	struct hotline h = valid_hotline();
	h.sort = -1;
	struct check c = {0};
	assert_false(hotline_validate(&h, &c));
	assert_non_null(check_message(&c, "sort"));
	h.sort = HOTLINE_SORT_MAX + 1;
	struct check d = {0};
	assert_false(hotline_validate(&h, &d));

	/* Every bad field at once. */
	struct hotline bad = {.country = "ZZ",
			      .name = "",
			      .number = "abc",
			      .source_url = "example.org",
			      .checked_on = "soon",
			      .sort = -5};
	struct check all = {0};
	assert_false(hotline_validate(&bad, &all));
	assert_int_equal(all.n, 6);
}

static int64_t
add(struct db *db, const char *country, const char *name, const char *number,
    int sort)
{
	struct actor who = fixture_system();
	struct hotline h = valid_hotline();
	h.country = country;
	h.name = name;
	h.number = number;
	h.sort = sort;
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(hotline_create(db, &who, &h, &c, &id), ERR_OK);
	assert_true(id > 0);
	return id;
}

static void
test_create_and_lists(void **state)
{
	struct fixture *f = *state;
	int64_t tel = add(f->db, "TH", "Social assistance", "1300", 20);
	int64_t pol = add(f->db, "TH", "Police", "191", 10);
	int64_t ph = add(f->db, "PH", "Emergency", "911", 10);

	json_t *h = hotline_get(f->db, pol);
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "id")), pol);
	assert_string_equal(json_string_value(json_object_get(h, "country")),
			    "TH");
	assert_string_equal(json_string_value(json_object_get(h, "name")),
			    "Police");
	assert_string_equal(json_string_value(json_object_get(h, "number")),
			    "191");
	assert_string_equal(json_string_value(json_object_get(h, "source_url")),
			    "https://www.royalthaipolice.go.th/");
	assert_string_equal(json_string_value(json_object_get(h, "checked_on")),
			    "2025-03-31");
	assert_true(json_is_false(json_object_get(h, "is_demo")));
	json_decref(h);
	assert_null(hotline_get(f->db, ph + 100));

	/* One country, in display order. */
	json_t *th = hotline_list(f->db, "TH");
	assert_int_equal(json_array_size(th), 2);
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(th, 0), "id")),
			 pol);
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(th, 1), "id")),
			 tel);
	json_decref(th);
	json_t *none = hotline_list(f->db, "LA");
	assert_non_null(none);
	assert_int_equal(json_array_size(none), 0);
	json_decref(none);

	/* All of them by country then order; or one country's. */
	json_t *all = hotline_list_all(f->db, NULL);
	assert_int_equal(json_array_size(all), 3);
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(all, 0), "id")),
			 ph);
	assert_int_equal(json_integer_value(
				 json_object_get(json_array_get(all, 1), "id")),
			 pol);
	json_decref(all);
	all = hotline_list_all(f->db, "");
	assert_int_equal(json_array_size(all), 3);
	json_decref(all);
	all = hotline_list_all(f->db, "PH");
	assert_int_equal(json_array_size(all), 1);
	json_decref(all);

	/* Audited: one entry each, about the number. */
	assert_int_equal(fixture_audit_count(f->db, "hotline.create"), 3);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'hotline.create' AND"
				       " target_type = ?",
				       "hotline"),
			 3);
	char *detail = fixture_audit_detail(f->db, "hotline.create");
	json_t *d = json_loads(detail, 0, NULL);
	assert_non_null(d);
	assert_string_equal(json_string_value(json_object_get(d, "number")),
			    "911");
	assert_string_equal(json_string_value(json_object_get(d, "country")),
			    "PH");
	json_decref(d);
	free(detail);
}

static void
test_create_invalid(void **state)
{
	struct fixture *f = *state;
	struct actor who = fixture_system();
	struct hotline h = valid_hotline();
	h.number = "one nine one";
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(hotline_create(f->db, &who, &h, &c, &id), ERR_INVALID);
	assert_non_null(check_message(&c, "number"));
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM hotline", NULL), 0);
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM audit_log", NULL),
		0);
}

static void
test_update(void **state)
{
	struct fixture *f = *state;
	struct actor who = {.user_id = 3,
			    .org_id = 1,
			    .country = "TH",
			    .role = ROLE_AFFILIATE_ADMIN,
			    .label = "admin@th.example.org",
			    .address = "192.0.2.1"};
	int64_t id = add(f->db, "TH", "Police", "191", 10);
	struct hotline h = valid_hotline();
	h.id = id;
	h.number = "1191";
	h.checked_on = "2025-04-01";
	struct check c = {0};
	assert_int_equal(hotline_update(f->db, &who, &h, &c), ERR_OK);
	json_t *j = hotline_get(f->db, id);
	assert_string_equal(json_string_value(json_object_get(j, "number")),
			    "1191");
	assert_string_equal(json_string_value(json_object_get(j, "checked_on")),
			    "2025-04-01");
	json_decref(j);

	/* Exactly what changed, old and new, by whom. */
	assert_int_equal(fixture_audit_count(f->db, "hotline.update"), 1);
	char *detail = fixture_audit_detail(f->db, "hotline.update");
	json_t *d = json_loads(detail, 0, NULL);
	assert_non_null(d);
	json_t *num = json_object_get(d, "number");
	assert_string_equal(json_string_value(json_array_get(num, 0)), "191");
	assert_string_equal(json_string_value(json_array_get(num, 1)), "1191");
	assert_non_null(json_object_get(d, "checked_on"));
	assert_null(json_object_get(d, "name"));
	json_decref(d);
	free(detail);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'hotline.update' AND"
				       " actor_user_id = 3 AND target_id > 0"
				       " AND actor_label = ?",
				       "admin@th.example.org"),
			 1);

	/* The same again: nothing changes, nothing is audited. */
	assert_int_equal(hotline_update(f->db, &who, &h, &c), ERR_OK);
	assert_int_equal(fixture_audit_count(f->db, "hotline.update"), 1);

	/* Invalid: nothing written. */
	h.source_url = "www.example.org";
	struct check c2 = {0};
	assert_int_equal(hotline_update(f->db, &who, &h, &c2), ERR_INVALID);
	assert_non_null(check_message(&c2, "source_url"));
	j = hotline_get(f->db, id);
	assert_string_equal(json_string_value(json_object_get(j, "source_url")),
			    "https://www.royalthaipolice.go.th/");
	json_decref(j);

	/* No such number. */
	h = valid_hotline();
	h.id = id + 100;
	struct check c3 = {0};
	assert_int_equal(hotline_update(f->db, &who, &h, &c3), ERR_NOTFOUND);
	assert_int_equal(fixture_audit_count(f->db, "hotline.update"), 1);
	assert_int_equal(db_begin(f->db), ERR_OK); /* nothing left open */
	assert_int_equal(db_commit(f->db), ERR_OK);
}

static void
test_delete(void **state)
{
	struct fixture *f = *state;
	struct actor who = fixture_system();
	int64_t keep = add(f->db, "TH", "Police", "191", 10);
	int64_t gone = add(f->db, "TH", "Social assistance", "1300", 20);
	assert_int_equal(hotline_delete(f->db, &who, gone), ERR_OK);
	assert_null(hotline_get(f->db, gone));
	json_t *k = hotline_get(f->db, keep);
	assert_non_null(k);
	json_decref(k);
	assert_int_equal(fixture_audit_count(f->db, "hotline.delete"), 1);
	char *detail = fixture_audit_detail(f->db, "hotline.delete");
	assert_non_null(strstr(detail, "\"number\":\"1300\""));
	free(detail);
	assert_int_equal(hotline_delete(f->db, &who, gone), ERR_NOTFOUND);
	assert_int_equal(fixture_audit_count(f->db, "hotline.delete"), 1);

	int64_t count, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &count, &bad, &msg), ERR_OK);
	assert_int_equal(count, 3);
	buf_release(&msg);
}

static void
test_demo(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(hotline_add_demo(f->db), ERR_OK);
	int64_t n = fixture_count(
		f->db, "SELECT count(*) FROM hotline WHERE is_demo = 1", NULL);
	assert_true(n >= 8);
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM hotline", NULL), n);
	/* Each says it is demo data; a few per demo country, none for
	 * Laos. */
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM hotline WHERE"
				       " instr(name, ?) = 0",
				       "(demo — check before use)"),
			 0);
	static const char *const with[] = {"PH", "ID", "MY", "SG",
					   "TH", "VN", "KH", "MM"};
	for (size_t i = 0; i < sizeof with / sizeof with[0]; i++) {
		json_t *l = hotline_list(f->db, with[i]);
		assert_true(json_array_size(l) >= 1);
		json_t *first = json_array_get(l, 0);
		assert_true(json_is_true(json_object_get(first, "is_demo")));
		assert_true(str_starts(
			json_string_value(json_object_get(first, "source_url")),
			"https://"));
		json_decref(l);
	}
	json_t *th = hotline_list(f->db, "TH");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(th, 0), "number")),
			    "191");
	json_decref(th);
	assert_int_equal(fixture_audit_count(f->db, "hotline.create"), n);
	/* A second time adds nothing. */
	assert_int_equal(hotline_add_demo(f->db), ERR_OK);
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM hotline", NULL), n);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_fields),
		T(test_create_and_lists),
		T(test_create_invalid),
		T(test_update),
		T(test_delete),
		T(test_demo),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
