/*
 * Tests for src/model/setting.c: booleans default to false, are saved and
 * read back, and every change is audited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/audit.h"
#include "model/setting.h"
#include "unit/model/fixture.h"

static void
test_default(void **state)
{
	struct fixture *f = *state;
	assert_false(setting_get_bool(f->db, SETTING_REQUIRE_2FA_ALL));
	assert_false(setting_get_bool(f->db, "no_such_setting"));
	assert_false(setting_get_bool(f->db, ""));
}

static void
test_set_get(void **state)
{
	struct fixture *f = *state;
	struct actor who = {.user_id = 1,
			    .org_id = 1,
			    .country = "SG",
			    .role = ROLE_REGIONAL_ADMIN,
			    .label = "admin@example.org",
			    .address = "192.0.2.1"};
	assert_int_equal(
		setting_set_bool(f->db, &who, SETTING_REQUIRE_2FA_ALL, true),
		ERR_OK);
	assert_true(setting_get_bool(f->db, SETTING_REQUIRE_2FA_ALL));
	/* Other settings are separate. */
	assert_false(setting_get_bool(f->db, "another"));
	/* One row per setting, however often it is set. */
	assert_int_equal(
		setting_set_bool(f->db, &who, SETTING_REQUIRE_2FA_ALL, true),
		ERR_OK);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM setting WHERE"
				       " name = ?",
				       SETTING_REQUIRE_2FA_ALL),
			 1);
	assert_int_equal(
		setting_set_bool(f->db, &who, SETTING_REQUIRE_2FA_ALL, false),
		ERR_OK);
	assert_false(setting_get_bool(f->db, SETTING_REQUIRE_2FA_ALL));

	/* Each change is audited, with the actor and the new value. */
	assert_int_equal(fixture_audit_count(f->db, "setting.update"), 3);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'setting.update' AND"
				       " target_type = 'setting' AND"
				       " actor_label = ?",
				       "admin@example.org"),
			 3);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " detail = ?",
				       "{\"require_2fa_all\":true}"),
			 2);
	char *d = fixture_audit_detail(f->db, "setting.update");
	assert_string_equal(d, "{\"require_2fa_all\":false}");
	free(d);
	int64_t count, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &count, &bad, &msg), ERR_OK);
	assert_int_equal(count, 3);
	buf_release(&msg);
}

/* Only "1" reads as true. */
static void
test_stored_values(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *value;
		bool want;
	} v[] = {{"1", true},
		 {"0", false},
		 {"true", false},
		 {"", false},
		 {"yes", false}};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		db_run(f->db, "DELETE FROM setting", "");
		db_run(f->db,
		       "INSERT INTO setting (name, value, updated_at)"
		       " VALUES ('x', ?, 0)",
		       "t", v[i].value);
		assert_int_equal(setting_get_bool(f->db, "x"), v[i].want);
	}
}

/* It opens its own write transaction: inside another one it fails and
 * writes nothing. */
static void
test_in_transaction(void **state)
{
	struct fixture *f = *state;
	struct actor sys = fixture_system();
	assert_int_equal(db_begin(f->db), ERR_OK);
	log_set_level((enum log_level)(LOG_ERROR + 1));
	assert_int_not_equal(setting_set_bool(f->db, &sys, "x", true), ERR_OK);
	log_set_level(LOG_WARN);
	db_rollback(f->db);
	assert_false(setting_get_bool(f->db, "x"));
	assert_int_equal(fixture_audit_count(f->db, "setting.update"), 0);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_default),
		T(test_set_get),
		T(test_stored_values),
		T(test_in_transaction),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
