/*
 * Tests for src/model/routing.c: routing_resolve's five branches in their
 * order (rules before the default of their country, archived
 * organisations skipped), the rules' creation and removal with their
 * audit entries, and the deadlines (defaults, overrides, limits, audit).
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
#include "model/routing.h"
#include "unit/model/fixture.h"

/* The organisations of the routing tests. */
struct orgs {
	int64_t sec, th_aff, th_aff2, th_ngo, ph_aff, ph_ngo, my_ngo;
};

static struct orgs
add_orgs(struct db *db)
{
	struct orgs o;
	o.sec = fixture_org(db, "Secretariat", "regional_secretariat", "SG");
	o.th_aff = fixture_org(db, "Thai Union Centre", "affiliate", "TH");
	o.th_aff2 = fixture_org(db, "Second Thai Centre", "affiliate", "TH");
	o.th_ngo = fixture_org(db, "Thai Shelter", "ngo", "TH");
	o.ph_aff =
		fixture_org(db, "Philippine Union Centre", "affiliate", "PH");
	o.ph_ngo = fixture_org(db, "Philippine Help Desk", "ngo", "PH");
	o.my_ngo = fixture_org(db, "Malaysian Shelter", "ngo", "MY");
	assert_true(o.sec > 0 && o.my_ngo > 0);
	return o;
}

static void
archive(struct db *db, int64_t id)
{
	assert_int_equal(db_run(db,
				"UPDATE organisation SET archived = 1"
				" WHERE id = ?",
				"i", id),
			 ERR_OK);
}

/* routing_resolve must give `org` for `why`. */
static void
expect_route(struct db *db, const char *work, const char *origin, int64_t org,
	     const char *why)
{
	int64_t got = -1;
	const char *got_why = "(unset)";
	enum err rc = routing_resolve(db, work, origin, &got, &got_why);
	if (rc != ERR_OK || got != org || strcmp(got_why, why) != 0)
		fail_msg("work %s, origin %s: got %s org %lld (%s), want org "
			 "%lld (%s)",
			 work ? work : "NULL", origin ? origin : "NULL",
			 err_str(rc), (long long)got, got_why, (long long)org,
			 why);
}

static void
add_rule(struct db *db, const char *country, const char *applies_to,
	 int64_t org)
{
	struct actor who = fixture_system();
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(routing_rule_create(db, &who, country, applies_to, org,
					     &c, &id),
			 ERR_OK);
	assert_true(id > 0);
}

static void
test_resolve_default(void **state)
{
	struct fixture *f = *state;
	struct orgs o = add_orgs(f->db);
	/* The affiliate of the country of work, the oldest of two. */
	expect_route(f->db, "TH", "PH", o.th_aff, "affiliate_work");
	expect_route(f->db, "TH", "", o.th_aff, "affiliate_work");
	expect_route(f->db, "TH", NULL, o.th_aff, "affiliate_work");
	/* No affiliate where they work (an NGO does not count): origin. */
	expect_route(f->db, "MY", "PH", o.ph_aff, "affiliate_origin");
	expect_route(f->db, "", "PH", o.ph_aff, "affiliate_origin");
	expect_route(f->db, NULL, "PH", o.ph_aff, "affiliate_origin");
	/* Neither: the secretariat. */
	expect_route(f->db, "MY", "LA", o.sec, "secretariat");
	expect_route(f->db, "", "", o.sec, "secretariat");
	expect_route(f->db, NULL, NULL, o.sec, "secretariat");
	/* The secretariat's own country has no affiliate here. */
	expect_route(f->db, "SG", "", o.sec, "secretariat");

	/* Archived affiliates are skipped. */
	archive(f->db, o.th_aff);
	expect_route(f->db, "TH", "PH", o.th_aff2, "affiliate_work");
	archive(f->db, o.th_aff2);
	expect_route(f->db, "TH", "PH", o.ph_aff, "affiliate_origin");
	archive(f->db, o.ph_aff);
	expect_route(f->db, "TH", "PH", o.sec, "secretariat");
	/* Even an archived secretariat beats losing the case. */
	archive(f->db, o.sec);
	expect_route(f->db, "TH", "PH", o.sec, "secretariat");
}

static void
test_resolve_no_secretariat(void **state)
{
	struct fixture *f = *state;
	int64_t ph = fixture_org(f->db, "PH centre", "affiliate", "PH");
	expect_route(f->db, "PH", "", ph, "affiliate_work");
	int64_t got = 0;
	const char *why = "";
	assert_int_equal(routing_resolve(f->db, "TH", "VN", &got, &why),
			 ERR_NOTFOUND);
}

static void
test_resolve_rules(void **state)
{
	struct fixture *f = *state;
	struct orgs o = add_orgs(f->db);
	/* A work rule beats the affiliate of the country of work. */
	add_rule(f->db, "TH", "work", o.th_ngo);
	expect_route(f->db, "TH", "PH", o.th_ngo, "rule_work");
	/* An origin rule beats the affiliate of the country of origin... */
	add_rule(f->db, "PH", "origin", o.ph_ngo);
	expect_route(f->db, "MY", "PH", o.ph_ngo, "rule_origin");
	expect_route(f->db, "", "PH", o.ph_ngo, "rule_origin");
	/* ...but not the affiliate of the country of work. */
	expect_route(f->db, "PH", "PH", o.ph_aff, "affiliate_work");
	add_rule(f->db, "VN", "origin", o.my_ngo);
	expect_route(f->db, "TH", "VN", o.th_ngo, "rule_work");
	archive(f->db, o.th_ngo);
	expect_route(f->db, "TH", "VN", o.th_aff, "affiliate_work");
	/* A rule applies only to its side: PH as country of work has no
	 * work rule, so its affiliate takes the case. */
	expect_route(f->db, "PH", "", o.ph_aff, "affiliate_work");
	/* A work rule for a country without an affiliate. */
	add_rule(f->db, "MY", "work", o.my_ngo);
	expect_route(f->db, "MY", "PH", o.my_ngo, "rule_work");
	/* Archived rule targets are skipped, whatever the side. */
	archive(f->db, o.my_ngo);
	expect_route(f->db, "MY", "PH", o.ph_ngo, "rule_origin");
	expect_route(f->db, "MY", "VN", o.sec, "secretariat");
	archive(f->db, o.ph_ngo);
	expect_route(f->db, "MY", "PH", o.ph_aff, "affiliate_origin");

	assert_string_equal(routing_why_label("rule_origin"),
			    "a rule for the country of origin");
	assert_string_equal(routing_why_label("other"), "");
}

static void
test_rule_create_delete(void **state)
{
	struct fixture *f = *state;
	struct orgs o = add_orgs(f->db);
	struct actor who = {.user_id = 9,
			    .org_id = o.sec,
			    .country = "SG",
			    .role = ROLE_REGIONAL_ADMIN,
			    .label = "ra@example.org",
			    .address = ""};
	int64_t id = 0;
	struct check c = {0};
	assert_int_equal(routing_rule_create(f->db, &who, "TH", "work",
					     o.th_ngo, &c, &id),
			 ERR_OK);

	/* Bad input: each field has its message; nothing is written. */
	struct check c1 = {0};
	int64_t other = 0;
	assert_int_equal(routing_rule_create(f->db, &who, "ZZ", "home",
					     o.th_ngo, &c1, &other),
			 ERR_INVALID);
	assert_non_null(check_message(&c1, "country"));
	assert_non_null(check_message(&c1, "applies_to"));
	struct check c2 = {0};
	assert_int_equal(routing_rule_create(f->db, &who, "VN", "origin",
					     o.my_ngo + 100, &c2, &other),
			 ERR_INVALID);
	assert_non_null(check_message(&c2, "org_id"));
	archive(f->db, o.th_aff2);
	struct check c3 = {0};
	assert_int_equal(routing_rule_create(f->db, &who, "VN", "origin",
					     o.th_aff2, &c3, &other),
			 ERR_INVALID);
	assert_non_null(check_message(&c3, "org_id"));
	struct check c4 = {0};
	assert_int_equal(routing_rule_create(f->db, &who, "TH", NULL, o.th_ngo,
					     &c4, &other),
			 ERR_INVALID);
	/* One rule per country and side. */
	struct check c5 = {0};
	assert_int_equal(routing_rule_create(f->db, &who, "TH", "work",
					     o.th_aff, &c5, &other),
			 ERR_EXISTS);
	assert_non_null(check_message(&c5, "country"));
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM routing_rule", NULL),
		1);
	/* The other side of the same country is another rule. */
	struct check c6 = {0};
	int64_t id2 = 0;
	assert_int_equal(routing_rule_create(f->db, &who, "TH", "origin",
					     o.th_aff, &c6, &id2),
			 ERR_OK);
	assert_int_equal(fixture_audit_count(f->db, "routing.create"), 2);
	char *detail = fixture_audit_detail(f->db, "routing.create");
	assert_non_null(strstr(detail, "\"applies_to\":\"origin\""));
	assert_non_null(strstr(detail, "\"country\":\"TH\""));
	free(detail);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'routing.create' AND"
				       " target_type = ? AND actor_user_id = 9",
				       "routing_rule"),
			 2);

	/* The list, with the organisations' names. */
	json_t *l = routing_list(f->db);
	assert_int_equal(json_array_size(l), 2);
	json_t *r0 = json_array_get(l, 0);
	assert_string_equal(
		json_string_value(json_object_get(r0, "applies_to")), "work");
	assert_string_equal(json_string_value(json_object_get(r0, "org_name")),
			    "Thai Shelter");
	assert_int_equal(json_integer_value(json_object_get(r0, "id")), id);
	json_decref(l);

	/* Removal, audited with what the rule said. */
	assert_int_equal(routing_rule_delete(f->db, &who, id), ERR_OK);
	assert_int_equal(routing_rule_delete(f->db, &who, id), ERR_NOTFOUND);
	assert_int_equal(fixture_audit_count(f->db, "routing.delete"), 1);
	detail = fixture_audit_detail(f->db, "routing.delete");
	assert_non_null(strstr(detail, "\"applies_to\":\"work\""));
	free(detail);
	expect_route(f->db, "TH", "", o.th_aff, "affiliate_work");
	/* Deleted, the key is free again. */
	struct check c7 = {0};
	assert_int_equal(routing_rule_create(f->db, &who, "TH", "work",
					     o.th_ngo, &c7, &other),
			 ERR_OK);

	int64_t count, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &count, &bad, &msg), ERR_OK);
	assert_int_equal(count, 4);
	buf_release(&msg);
	assert_int_equal(db_begin(f->db), ERR_OK); /* nothing left open */
	assert_int_equal(db_commit(f->db), ERR_OK);
}

static void
expect_hours(struct db *db, int64_t org, int64_t low, int64_t normal,
	     int64_t high, int64_t urgent)
{
	int64_t want[4] = {low, normal, high, urgent};
	for (int p = 0; p < 4; p++)
		if (routing_deadline_hours(db, org, p) != want[p])
			fail_msg("org %lld priority %d: %lld hours, want %lld",
				 (long long)org, p,
				 (long long)routing_deadline_hours(db, org, p),
				 (long long)want[p]);
}

static void
test_deadlines(void **state)
{
	struct fixture *f = *state;
	struct orgs o = add_orgs(f->db);
	struct actor who = fixture_system();
	/* The defaults. */
	expect_hours(f->db, o.th_aff, 336, 168, 72, 24);
	assert_int_equal(routing_deadline_hours(f->db, o.th_aff, -1), 336);
	assert_int_equal(routing_deadline_hours(f->db, o.th_aff, 9), 24);
	assert_string_equal(routing_priority_label(0), "Low");
	assert_string_equal(routing_priority_label(3), "Urgent");
	assert_string_equal(routing_priority_label(4), "");
	json_t *d = routing_deadlines(f->db, o.th_aff);
	assert_int_equal(json_array_size(d), 4);
	json_t *u = json_array_get(d, 3);
	assert_int_equal(json_integer_value(json_object_get(u, "priority")), 3);
	assert_string_equal(json_string_value(json_object_get(u, "label")),
			    "Urgent");
	assert_int_equal(json_integer_value(json_object_get(u, "hours")), 24);
	assert_true(json_is_true(json_object_get(u, "is_default")));
	json_decref(d);

	/* An override for one organisation only. */
	int64_t mine[4] = {336, 120, 48, 12};
	struct check c = {0};
	assert_int_equal(
		routing_deadlines_save(f->db, &who, o.th_aff, mine, &c),
		ERR_OK);
	expect_hours(f->db, o.th_aff, 336, 120, 48, 12);
	expect_hours(f->db, o.ph_aff, 336, 168, 72, 24);
	d = routing_deadlines(f->db, o.th_aff);
	assert_true(json_is_true(
		json_object_get(json_array_get(d, 0), "is_default")));
	assert_true(json_is_false(
		json_object_get(json_array_get(d, 3), "is_default")));
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(d, 3), "default_hours")),
			 24);
	json_decref(d);
	assert_int_equal(fixture_audit_count(f->db, "deadline.update"), 1);
	char *detail = fixture_audit_detail(f->db, "deadline.update");
	json_t *j = json_loads(detail, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_object_size(j), 3);
	json_t *urgent = json_object_get(j, "urgent");
	assert_int_equal(json_integer_value(json_array_get(urgent, 0)), 24);
	assert_int_equal(json_integer_value(json_array_get(urgent, 1)), 12);
	json_decref(j);
	free(detail);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'deadline.update' AND"
				       " target_type = ?",
				       "organisation"),
			 1);

	/* The same again: no change, no entry. */
	assert_int_equal(
		routing_deadlines_save(f->db, &who, o.th_aff, mine, &c),
		ERR_OK);
	assert_int_equal(fixture_audit_count(f->db, "deadline.update"), 1);

	/* Limits: 1 … 8760, every bad one named. */
	int64_t bad[4] = {0, 8761, -3, 8760};
	struct check c2 = {0};
	assert_int_equal(
		routing_deadlines_save(f->db, &who, o.th_aff, bad, &c2),
		ERR_INVALID);
	assert_int_equal(c2.n, 3);
	assert_non_null(check_message(&c2, "hours_0"));
	assert_non_null(check_message(&c2, "hours_1"));
	assert_non_null(check_message(&c2, "hours_2"));
	assert_null(check_message(&c2, "hours_3"));
	expect_hours(f->db, o.th_aff, 336, 120, 48, 12);
	int64_t edges[4] = {8760, 1, 72, 24};
	struct check c3 = {0};
	assert_int_equal(
		routing_deadlines_save(f->db, &who, o.th_aff, edges, &c3),
		ERR_OK);
	expect_hours(f->db, o.th_aff, 8760, 1, 72, 24);

	/* Back to the defaults: nothing stored, is_default again. */
	int64_t defaults[4] = {336, 168, 72, 24};
	assert_int_equal(
		routing_deadlines_save(f->db, &who, o.th_aff, defaults, &c3),
		ERR_OK);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM case_deadline",
				       NULL),
			 0);
	d = routing_deadlines(f->db, o.th_aff);
	for (size_t i = 0; i < 4; i++)
		assert_true(json_is_true(
			json_object_get(json_array_get(d, i), "is_default")));
	json_decref(d);

	/* No such organisation. */
	assert_int_equal(
		routing_deadlines_save(f->db, &who, o.my_ngo + 100, mine, &c3),
		ERR_NOTFOUND);
	assert_int_equal(fixture_audit_count(f->db, "deadline.update"), 3);
	assert_int_equal(db_begin(f->db), ERR_OK); /* nothing left open */
	assert_int_equal(db_commit(f->db), ERR_OK);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_resolve_default), T(test_resolve_no_secretariat),
		T(test_resolve_rules),   T(test_rule_create_delete),
		T(test_deadlines),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
