/*
 * Tests for src/model/demo.c: demo_fill makes the secretariat and the
 * affiliates of the nine countries with their accounts, all marked as
 * demo data, audits them, and refuses a second time (ERR_EXISTS) while
 * still printing the logins.
 *
 * demo_fill hashes every demo password (21 Argon2id hashes), so it runs
 * in two tests only; a second call returns before hashing.
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
#include "model/demo.h"
#include "model/user.h"
#include "unit/model/fixture.h"

static int64_t
count(struct db *db, const char *sql)
{
	return fixture_count(db, sql, NULL);
}

/* demo_fill into `db`; returns what it printed (malloc'd). */
static char *
fill(struct fixture *f, enum err want)
{
	struct db *db = f->db;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	assert_int_equal(demo_fill(db, &f->keys, out), want);
	fclose(out);
	return text;
}

static void
test_fill(void **state)
{
	struct fixture *f = *state;
	assert_false(demo_present(f->db));
	char *text = fill(f, ERR_OK);
	assert_true(demo_present(f->db));
	assert_non_null(strstr(text, DEMO_PASSWORD));
	assert_non_null(strstr(text, "admin@secretariat.demo.atis.invalid"));
	free(text);

	/* One secretariat. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM organisation WHERE"
				      " kind = 'regional_secretariat'"),
			 1);
	/* An affiliate in each of the nine countries, one each. */
	static const char *const nine[] = {"PH", "ID", "MY", "SG", "TH",
					   "VN", "KH", "MM", "LA"};
	for (size_t i = 0; i < 9; i++)
		if (fixture_count(f->db,
				  "SELECT count(*) FROM organisation WHERE"
				  " kind = 'affiliate' AND country = ?",
				  nine[i]) != 1)
			fail_msg("no single affiliate in %s", nine[i]);
	assert_int_equal(count(f->db, "SELECT count(*) FROM organisation WHERE"
				      " kind = 'affiliate'"),
			 9);
	/* Some partners too. */
	assert_true(count(f->db, "SELECT count(*) FROM organisation WHERE kind"
				 " NOT IN ('affiliate',"
				 " 'regional_secretariat')") >= 1);

	/* Everything says it is demo data. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM organisation WHERE"
				      " is_demo <> 1"),
			 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM organisation WHERE"
				      " instr(name, 'DEMO') = 0"),
			 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM app_user WHERE"
				      " is_demo <> 1"),
			 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM app_user WHERE"
				      " instr(name, 'DEMO') = 0"),
			 0);

	/* Accounts: a regional admin; an affiliate admin and a focal point
	 * in each affiliate; a partner user in each partner. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM app_user u JOIN"
				      " organisation o ON o.id = u.org_id"
				      " WHERE u.role = 'regional_admin' AND"
				      " o.kind = 'regional_secretariat'"),
			 1);
	for (size_t i = 0; i < 9; i++) {
		assert_int_equal(fixture_count(f->db,
					       "SELECT count(*) FROM app_user u"
					       " JOIN organisation o ON o.id ="
					       " u.org_id WHERE o.kind ="
					       " 'affiliate' AND o.country = ?"
					       " AND u.role ="
					       " 'affiliate_admin'",
					       nine[i]),
				 1);
		assert_int_equal(fixture_count(f->db,
					       "SELECT count(*) FROM app_user u"
					       " JOIN organisation o ON o.id ="
					       " u.org_id WHERE o.kind ="
					       " 'affiliate' AND o.country = ?"
					       " AND u.role = 'focal_point'",
					       nine[i]),
				 1);
	}
	assert_true(count(f->db, "SELECT count(*) FROM app_user WHERE role ="
				 " 'partner_user'") >= 1);
	/* Every account's role fits its organisation. */
	struct db_stmt *st = db_query(f->db,
				      "SELECT u.role, o.kind FROM app_user u"
				      " JOIN organisation o ON o.id = u.org_id",
				      "");
	int accounts = 0;
	while (db_step(st)) {
		accounts++;
		assert_true(user_role_fits_org(role_parse(db_col_text(st, 0)),
					       db_col_text(st, 1)));
	}
	db_finalize(st);
	assert_true(accounts >= 20);

	/* The logins printed exist, and the password works (one check). */
	struct user_auth a;
	static const char reg[] = "admin@secretariat.demo.atis.invalid";
	assert_int_equal(user_auth_by_email(f->db, reg, &a), ERR_OK);
	assert_int_equal(a.role, ROLE_REGIONAL_ADMIN);
	assert_true(crypto_password_verify(a.password_hash, DEMO_PASSWORD));
	user_auth_release(&a);
	assert_int_equal(
		user_auth_by_email(f->db, "admin@ph.demo.atis.invalid", &a),
		ERR_OK);
	assert_int_equal(a.role, ROLE_AFFILIATE_ADMIN);
	assert_string_equal(a.country, "PH");
	user_auth_release(&a);
	assert_int_equal(user_auth_by_email(
				 f->db, "partner@ngo-my.demo.atis.invalid", &a),
			 ERR_OK);
	assert_int_equal(a.role, ROLE_PARTNER_USER);
	user_auth_release(&a);

	/* Audited like any other creation, in an intact chain. */
	assert_int_equal(fixture_audit_count(f->db, "org.create"),
			 count(f->db, "SELECT count(*) FROM organisation"));
	assert_int_equal(fixture_audit_count(f->db, "user.create"),
			 count(f->db, "SELECT count(*) FROM app_user"));
	int64_t entries, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &entries, &bad, &msg), ERR_OK);
	buf_release(&msg);

	/* A second time: refused, nothing added, the logins printed. */
	int64_t orgs = count(f->db, "SELECT count(*) FROM organisation");
	int64_t users = count(f->db, "SELECT count(*) FROM app_user");
	text = fill(f, ERR_EXISTS);
	assert_non_null(strstr(text, DEMO_PASSWORD));
	free(text);
	assert_int_equal(count(f->db, "SELECT count(*) FROM organisation"),
			 orgs);
	assert_int_equal(count(f->db, "SELECT count(*) FROM app_user"), users);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit_log"),
			 entries);
}

/* Real data beside it is left alone, and does not count as demo data. */
static void
test_real_data(void **state)
{
	struct fixture *f = *state;
	int64_t real = fixture_org(f->db, "Real Union", "affiliate", "TH");
	fixture_user(f->db, real, "real@example.org", ROLE_FOCAL_POINT, "x");
	assert_false(demo_present(f->db));
	free(fill(f, ERR_OK));
	assert_true(demo_present(f->db));
	assert_int_equal(fixture_count(f->db,
				       "SELECT is_demo FROM organisation"
				       " WHERE name = ?",
				       "Real Union"),
			 0);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM app_user WHERE"
				       " email = ? AND is_demo = 0",
				       "real@example.org"),
			 1);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_fill),
		T(test_real_data),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
