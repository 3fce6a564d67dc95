/*
 * Tests for src/model/login.c: right and wrong passwords, the per-account
 * count and lock (which holds even against the right password until it
 * expires), unknown and disabled accounts, the per-address throttle, when
 * a second factor is required, and the audit entries of each.
 *
 * Every login_password call checks one Argon2id hash (also for unknown
 * accounts, on purpose), so the calls here are counted and kept few.
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
#include "model/login.h"
#include "model/setting.h"
#include "model/user.h"
#include "unit/model/fixture.h"

#define PASSWORD "correct horse battery"
#define WRONG "incorrect horse battery"
#define ADDR "192.0.2.10"
#define ADDR_HASH "hash-of-192.0.2.10"

static char hash[CRYPTO_PWHASH_MAX];

static int
group_setup(void **state)
{
	if (fixture_group_setup(state))
		return -1;
	return crypto_password_hash(PASSWORD, hash) == ERR_OK ? 0 : -1;
}

static const struct login_policy policy = {
	.max_failures = 3,
	.lock_seconds = 900,
	.ip_max_failures = 100,
};

struct world {
	int64_t sec, th, ngo;
	int64_t regional, affiliate, focal, partner;
};

static struct world
add_world(struct db *db)
{
	struct world w;
	w.sec = fixture_org(db, "Secretariat", "regional_secretariat", "SG");
	w.th = fixture_org(db, "Thai Union", "affiliate", "TH");
	w.ngo = fixture_org(db, "Shelter", "ngo", "TH");
	w.regional = fixture_user(db, w.sec, "reg@example.org",
				  ROLE_REGIONAL_ADMIN, hash);
	w.affiliate = fixture_user(db, w.th, "aff@example.org",
				   ROLE_AFFILIATE_ADMIN, hash);
	w.focal = fixture_user(db, w.th, "focal@example.org", ROLE_FOCAL_POINT,
			       hash);
	w.partner = fixture_user(db, w.ngo, "partner@example.org",
				 ROLE_PARTNER_USER, hash);
	return w;
}

static enum err
login(struct db *db, const struct login_policy *p, const char *email,
      const char *password, const char *addr_hash, struct login_result *res)
{
	return login_password(db, p, email, password, ADDR, addr_hash, res);
}

static struct user_auth
auth_of(struct db *db, int64_t id)
{
	struct user_auth a;
	assert_int_equal(user_auth_by_id(db, id, &a), ERR_OK);
	return a;
}

static int64_t
failed_logins(struct db *db, int64_t id)
{
	struct user_auth a = auth_of(db, id);
	int64_t n = a.failed_logins;
	user_auth_release(&a);
	return n;
}

static int64_t
locked_until(struct db *db, int64_t id)
{
	struct user_auth a = auth_of(db, id);
	int64_t n = a.locked_until;
	user_auth_release(&a);
	return n;
}

static int64_t
count_fail(struct db *db, const char *reason)
{
	char detail[80];
	snprintf(detail, sizeof detail, "{\"reason\":\"%s\"}", reason);
	return fixture_count(db,
			     "SELECT count(*) FROM audit_log WHERE action ="
			     " 'login.fail' AND detail = ?",
			     detail);
}

/* One check. */
static void
test_ok(void **state)
{
	struct fixture *f = *state;
	struct world w = add_world(f->db);
	struct login_result res;
	/* The e-mail address in any case. */
	assert_int_equal(login(f->db, &policy, "Focal@Example.ORG", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_int_equal(res.user_id, w.focal);
	assert_false(res.totp_enrolled);
	assert_false(res.totp_required);
	/* Nothing to audit yet: the login completes later. */
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM audit_log", NULL),
		0);

	struct actor who = {.user_id = w.focal,
			    .org_id = w.th,
			    .country = "TH",
			    .role = ROLE_FOCAL_POINT,
			    .label = "focal@example.org",
			    .address = ADDR};
	assert_int_equal(login_complete(f->db, &who), ERR_OK);
	assert_int_equal(fixture_audit_count(f->db, "login.ok"), 1);
	int64_t last = 0;
	db_query_int(f->db, &last,
		     "SELECT last_login_at FROM app_user WHERE"
		     " id = ?",
		     "i", w.focal);
	assert_true(last >= (int64_t)time(NULL) - 60);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'login.ok' AND address = ?",
				       ADDR),
			 1);

	assert_int_equal(login_factor_failed(f->db, &policy, &who,
					     "wrong one-time code"),
			 ERR_DENIED);
	assert_int_equal(count_fail(f->db, "wrong one-time code"), 1);
	assert_int_equal(failed_logins(f->db, w.focal), 1);
	/* Wrong codes lock the account like wrong passwords. */
	enum err rc = ERR_DENIED;
	for (int i = 1; i < policy.max_failures; i++)
		rc = login_factor_failed(f->db, &policy, &who,
					 "wrong one-time code");
	assert_int_equal(rc, ERR_LOCKED);
	assert_true(locked_until(f->db, w.focal) > (int64_t)time(NULL));
	assert_int_equal(fixture_audit_count(f->db, "account.locked"), 1);
	/* A right password does not clear the count before the code: only a
	 * complete login does. */
	assert_int_equal(login_complete(f->db, &who), ERR_OK);
	assert_int_equal(failed_logins(f->db, w.focal), 0);
}

/* Four checks. */
static void
test_wrong_password(void **state)
{
	struct fixture *f = *state;
	struct world w = add_world(f->db);
	struct login_result res;
	assert_int_equal(login(f->db, &policy, "focal@example.org", WRONG,
			       ADDR_HASH, &res),
			 ERR_DENIED);
	assert_int_equal(res.user_id, 0);
	assert_int_equal(failed_logins(f->db, w.focal), 1);
	assert_int_equal(
		login(f->db, &policy, "focal@example.org", "", ADDR_HASH, &res),
		ERR_DENIED);
	assert_int_equal(failed_logins(f->db, w.focal), 2);
	assert_int_equal(locked_until(f->db, w.focal), 0);
	assert_int_equal(count_fail(f->db, "wrong password"), 2);
	/* Audited with the account and the address, never the password. */
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " actor_label = 'focal@example.org'"
				       " AND address = ?",
				       ADDR),
			 2);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " instr(detail, ?) > 0",
				       WRONG),
			 0);
	/* The address's failures are counted under its hash. */
	assert_int_equal(fixture_count(f->db,
				       "SELECT failures FROM login_throttle"
				       " WHERE address_hash = ?",
				       ADDR_HASH),
			 2);
	/* Another account is not affected. */
	assert_int_equal(failed_logins(f->db, w.partner), 0);
	/* The right password resets the count. */
	assert_int_equal(login(f->db, &policy, "focal@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_int_equal(failed_logins(f->db, w.focal), 0);
	/* One wrong try after a success counts from one again. */
	assert_int_equal(login(f->db, &policy, "focal@example.org", WRONG,
			       ADDR_HASH, &res),
			 ERR_DENIED);
	assert_int_equal(failed_logins(f->db, w.focal), 1);
}

/* Eight checks. */
static void
test_lock(void **state)
{
	struct fixture *f = *state;
	struct world w = add_world(f->db);
	struct login_result res;
	const char *who = "partner@example.org";
	assert_int_equal(login(f->db, &policy, who, WRONG, ADDR_HASH, &res),
			 ERR_DENIED);
	assert_int_equal(login(f->db, &policy, who, WRONG, ADDR_HASH, &res),
			 ERR_DENIED);
	/* The max_failures-th wrong password locks the account. */
	int64_t before = (int64_t)time(NULL);
	assert_int_equal(login(f->db, &policy, who, WRONG, ADDR_HASH, &res),
			 ERR_LOCKED);
	int64_t until = locked_until(f->db, w.partner);
	assert_true(until >= before + policy.lock_seconds);
	assert_true(until <= (int64_t)time(NULL) + policy.lock_seconds);
	assert_int_equal(fixture_audit_count(f->db, "account.locked"), 1);

	/* Locked: even the right password is refused. */
	assert_int_equal(login(f->db, &policy, who, PASSWORD, ADDR_HASH, &res),
			 ERR_LOCKED);
	assert_int_equal(res.user_id, 0);
	assert_int_equal(login(f->db, &policy, who, WRONG, ADDR_HASH, &res),
			 ERR_LOCKED);
	assert_int_equal(count_fail(f->db, "locked"), 2);
	/* Still locked just before it ends. */
	assert_int_equal(db_run(f->db,
				"UPDATE app_user SET locked_until = ? WHERE"
				" id = ?",
				"ii", (int64_t)time(NULL) + 5, w.partner),
			 ERR_OK);
	assert_int_equal(login(f->db, &policy, who, PASSWORD, ADDR_HASH, &res),
			 ERR_LOCKED);

	/* Once the lock has ended, the count starts afresh... */
	assert_int_equal(db_run(f->db,
				"UPDATE app_user SET locked_until = ? WHERE"
				" id = ?",
				"ii", (int64_t)time(NULL) - 1, w.partner),
			 ERR_OK);
	assert_int_equal(login(f->db, &policy, who, WRONG, ADDR_HASH, &res),
			 ERR_DENIED);
	assert_int_equal(failed_logins(f->db, w.partner), 1);
	/* ...and the right password works. */
	assert_int_equal(login(f->db, &policy, who, PASSWORD, ADDR_HASH, &res),
			 ERR_OK);
	assert_int_equal(res.user_id, w.partner);
	assert_int_equal(failed_logins(f->db, w.partner), 0);

	int64_t count, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &count, &bad, &msg), ERR_OK);
	buf_release(&msg);
}

/* Two checks. */
static void
test_unknown_and_disabled(void **state)
{
	struct fixture *f = *state;
	struct world w = add_world(f->db);
	struct login_result res;
	assert_int_equal(login(f->db, &policy, "nobody@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_DENIED);
	assert_int_equal(res.user_id, 0);
	assert_int_equal(count_fail(f->db, "unknown account"), 1);
	/* The address typed is not written down (it may be a password
	 * typed into the wrong field). */
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " instr(actor_label || detail, ?) > 0",
				       "nobody"),
			 0);

	db_run(f->db, "UPDATE app_user SET disabled = 1 WHERE id = ?", "i",
	       w.affiliate);
	assert_int_equal(login(f->db, &policy, "aff@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_DENIED);
	assert_int_equal(res.user_id, 0);
	assert_int_equal(count_fail(f->db, "disabled"), 1);
	assert_int_equal(fixture_count(f->db,
				       "SELECT failures FROM login_throttle"
				       " WHERE address_hash = ?",
				       ADDR_HASH),
			 2);
}

/* Seven checks. */
static void
test_throttle(void **state)
{
	struct fixture *f = *state;
	struct world w = add_world(f->db);
	struct login_policy p = {
		.max_failures = 100, .lock_seconds = 900, .ip_max_failures = 3};
	struct login_result res;
	/* Three failures from one address, on several accounts. */
	assert_int_equal(
		login(f->db, &p, "focal@example.org", WRONG, ADDR_HASH, &res),
		ERR_DENIED);
	assert_int_equal(
		login(f->db, &p, "partner@example.org", WRONG, ADDR_HASH, &res),
		ERR_DENIED);
	assert_int_equal(
		login(f->db, &p, "ghost@example.org", WRONG, ADDR_HASH, &res),
		ERR_DENIED);
	/* Now that address is refused, right password or not. */
	assert_int_equal(login(f->db, &p, "focal@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_THROTTLED);
	assert_int_equal(res.user_id, 0);
	/* The refusal does not count against the account. */
	assert_int_equal(failed_logins(f->db, w.focal), 1);
	/* Another address is served. */
	assert_int_equal(login(f->db, &p, "focal@example.org", PASSWORD,
			       "hash-of-198.51.100.7", &res),
			 ERR_OK);
	assert_int_equal(res.user_id, w.focal);
	/* Once the window has passed, the address is served again. */
	assert_int_equal(db_run(f->db,
				"UPDATE login_throttle SET window_start ="
				" window_start - ? WHERE address_hash = ?",
				"it", p.lock_seconds, ADDR_HASH),
			 ERR_OK);
	assert_int_equal(login(f->db, &p, "partner@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	/* And a failure then starts a new window at one. */
	assert_int_equal(
		login(f->db, &p, "partner@example.org", WRONG, ADDR_HASH, &res),
		ERR_DENIED);
	assert_int_equal(fixture_count(f->db,
				       "SELECT failures FROM login_throttle"
				       " WHERE address_hash = ?",
				       ADDR_HASH),
			 1);
}

/* Seven checks. */
static void
test_totp_required(void **state)
{
	struct fixture *f = *state;
	struct world w = add_world(f->db);
	struct login_result res;
	/* Admins must use a second factor; others need not. */
	assert_int_equal(login(f->db, &policy, "reg@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_true(res.totp_required);
	assert_false(res.totp_enrolled);
	assert_int_equal(login(f->db, &policy, "aff@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_true(res.totp_required);
	assert_int_equal(fixture_audit_count(f->db, "login.password_ok"), 2);
	assert_int_equal(login(f->db, &policy, "focal@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_false(res.totp_required);

	/* Anyone who has set it up is asked for it. */
	struct actor sys = fixture_system();
	assert_int_equal(user_set_totp(f->db, &sys, w.focal, "sealed", 0),
			 ERR_OK);
	assert_int_equal(login(f->db, &policy, "focal@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_true(res.totp_enrolled);
	assert_true(res.totp_required);

	/* The site setting makes it everyone's duty. */
	assert_int_equal(login(f->db, &policy, "partner@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_false(res.totp_required);
	assert_int_equal(
		setting_set_bool(f->db, &sys, SETTING_REQUIRE_2FA_ALL, true),
		ERR_OK);
	assert_int_equal(login(f->db, &policy, "partner@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_true(res.totp_required);
	assert_false(res.totp_enrolled);
	assert_int_equal(res.user_id, w.partner);
	/* And off again. */
	assert_int_equal(
		setting_set_bool(f->db, &sys, SETTING_REQUIRE_2FA_ALL, false),
		ERR_OK);
	assert_int_equal(login(f->db, &policy, "partner@example.org", PASSWORD,
			       ADDR_HASH, &res),
			 ERR_OK);
	assert_false(res.totp_required);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_ok),       T(test_wrong_password),
		T(test_lock),     T(test_unknown_and_disabled),
		T(test_throttle), T(test_totp_required),
	};
#undef T
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
