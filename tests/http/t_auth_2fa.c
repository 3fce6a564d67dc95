/*
 * Two-step verification over HTTP: enrolment at the first sign-in, the
 * code at every later one, codes used once only, wrong codes counted
 * towards the account lock, the site-wide rule, and staff who turn it on
 * and off for themselves.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/harness.h"

#define MAX_FAILURES 3

static struct site *site;
static struct server *srv;

static int
setup(void **state)
{
	(void)state;
	site = site_new(true);
	const char *env[] = {"ATIS_LOGIN_MAX_FAILURES=3",
			     "ATIS_LOGIN_LOCK_SECONDS=60", NULL};
	srv = server_start(site, env);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	int rc = server_stop(srv);
	srv = NULL;
	site_free(site);
	return rc == 0 ? 0 : -1;
}

/* A 6-digit code that is not valid now, nor a step either side. */
static void
wrong_code(const char *secret, char out[7])
{
	char near[5][7];
	for (int i = 0; i < 5; i++)
		totp_code(secret, i - 2, near[i]);
	snprintf(out, 7, "%s", near[2]);
	for (;;) {
		out[5] = out[5] == '9' ? '0' : (char)(out[5] + 1);
		bool clash = false;
		for (int i = 0; i < 5; i++)
			clash |= strcmp(out, near[i]) == 0;
		if (!clash)
			return;
	}
}

static void
test_two_step_enrolment_and_login(void **state)
{
	(void)state;
	const char *email = "admin@th.demo.atis.invalid";
	struct client *c = client_new(srv);
	struct reply *r = client_login(c, email, DEMO_PW);
	assert_redirect(r, "/login/2fa?next=%2Fstaff");
	assert_int_equal(site_audit_count(site, "login.password_ok", email), 1);
	/* Half signed in opens no staff page. */
	assert_redirect(client_get(c, "/staff"), "/login/2fa");
	assert_redirect(client_get(c, "/admin/users"), "/login/2fa");
	assert_redirect(client_get(c, "/account"), "/login/2fa");

	r = client_get(c, "/login/2fa?next=%2Fstaff");
	assert_status(r, 200);
	const char *shown =
		reply_between(r, "<code class=\"secret\">", "</code>");
	assert_non_null(shown);
	char secret[64];
	snprintf(secret, sizeof secret, "%s", shown);
	assert_true(strlen(secret) >= 16);
	assert_true(reply_has(r, "<svg"));

	char code[7];
	wrong_code(secret, code);
	r = client_post(c, "/login/2fa", "next", "/staff", "code", code, NULL);
	assert_status(r, 401);
	assert_true(reply_has(r, "That code is not right."));
	/* The same secret is offered again. */
	assert_non_null(strstr(r->body, secret));
	assert_redirect(client_get(c, "/staff"), "/login/2fa");
	assert_true(site_int(site,
			     "SELECT totp_secret IS NULL FROM app_user"
			     " WHERE email = ?",
			     email));

	totp_code(secret, 0, code);
	r = client_post(c, "/login/2fa", "next", "/staff", "code", code, NULL);
	assert_redirect(r, "/staff");
	assert_status(client_get(c, "/staff"), 200);
	assert_int_equal(site_audit_count(site, "totp.enable", email), 1);
	assert_int_equal(site_audit_count(site, "login.ok", email), 1);

	/* Stored sealed, not as the key the person typed. */
	struct db_stmt *st = db_query(
		site->db, "SELECT totp_secret FROM app_user WHERE email = ?",
		"t", email);
	assert_true(db_step(st));
	const char *stored = db_col_text(st, 0);
	assert_non_null(stored);
	assert_string_not_equal(stored, secret);
	assert_null(strstr(stored, secret));
	db_finalize(st);

	/* The next sign-in asks for a code, showing no secret. */
	assert_redirect(client_post(c, "/logout", NULL), "/");
	r = client_login(c, email, DEMO_PW);
	assert_redirect(r, "/login/2fa?next=%2Fstaff");
	r = client_get(c, "/login/2fa?next=%2Fstaff");
	assert_status(r, 200);
	assert_false(reply_has(r, "class=\"secret\""));
	assert_null(strstr(r->body, secret));
	totp_code(secret, 1, code); /* the step after the one used */
	assert_redirect(client_post(c, "/login/2fa", "next", "/staff", "code",
				    code, NULL),
			"/staff");
	assert_status(client_get(c, "/staff"), 200);
	client_free(c);
}

static void
test_two_step_code_used_once(void **state)
{
	(void)state;
	const char *email = "admin@id.demo.atis.invalid";
	struct client *c = client_new(srv);
	client_sign_in(c, email, DEMO_PW); /* enrols */
	const char *secret = site_secret(site, email);
	assert_non_null(secret);
	char used[7];
	totp_code(secret, 0, used);
	assert_redirect(client_post(c, "/logout", NULL), "/");

	/* Sign in with a code, then try that very code again. */
	assert_status(client_login(c, email, DEMO_PW), 303);
	assert_status(client_get(c, "/login/2fa"), 200);
	site_exec(site, "UPDATE app_user SET totp_last_step = 0");
	assert_redirect(client_post(c, "/login/2fa", "code", used, NULL),
			"/staff");
	assert_status(client_get(c, "/staff"), 200);
	assert_redirect(client_post(c, "/logout", NULL), "/");
	assert_status(client_login(c, email, DEMO_PW), 303);
	assert_status(client_get(c, "/login/2fa"), 200);
	assert_status(client_post(c, "/login/2fa", "code", used, NULL), 401);
	assert_redirect(client_get(c, "/staff"), "/login/2fa");
	char next[7];
	totp_code(secret, 1, next);
	assert_redirect(client_post(c, "/login/2fa", "code", next, NULL),
			"/staff");
	client_free(c);
}

/*
 * Wrong codes count towards the lock like wrong passwords: typing the
 * (stolen) password again must not give a fresh set of guesses.
 */
static void
test_two_step_guesses_are_limited(void **state)
{
	(void)state;
	const char *email = "admin@vn.demo.atis.invalid";
	struct client *c = client_new(srv);
	client_sign_in(c, email, DEMO_PW);
	const char *secret = site_secret(site, email);
	assert_non_null(secret);
	assert_redirect(client_post(c, "/logout", NULL), "/");
	char bad[7];
	wrong_code(secret, bad);

	/* MAX_FAILURES - 1 wrong codes … */
	assert_redirect(client_login(c, email, DEMO_PW),
			"/login/2fa?next=%2Fstaff");
	assert_status(client_get(c, "/login/2fa"), 200);
	for (int i = 0; i < MAX_FAILURES - 1; i++)
		assert_status(client_post(c, "/login/2fa", "code", bad, NULL),
			      401);
	/* … the password again, and one more wrong code: that is
	 * MAX_FAILURES in a row, so the account locks and the half-made
	 * session ends. */
	assert_redirect(client_login(c, email, DEMO_PW),
			"/login/2fa?next=%2Fstaff");
	assert_status(client_get(c, "/login/2fa"), 200);
	struct reply *r = client_post(c, "/login/2fa", "code", bad, NULL);
	if (r->status != 303)
		print_error("wrong code number %d was answered %ld: signing in "
			    "with the password reset the count of wrong "
			    "codes\n",
			    MAX_FAILURES, r->status);
	assert_redirect(r, "/login");
	/* Locked: the right password is refused like a wrong one. */
	assert_status(client_login(c, email, DEMO_PW), 401);
	assert_true(
		site_int(site,
			 "SELECT locked_until FROM app_user WHERE email = ?",
			 email) > (int64_t)time(NULL));
	client_free(c);
}

static void
test_require_two_step_for_all(void **state)
{
	(void)state;
	const char *focal = "focal@mm.demo.atis.invalid";
	struct client *ra = client_new(srv);
	client_sign_in(ra, RA_EMAIL, DEMO_PW);
	struct reply *r = client_get(ra, "/admin/settings");
	assert_status(r, 200);
	assert_false(reply_has(r, "checked"));
	assert_redirect(client_post(ra, "/admin/settings", "require_2fa_all",
				    "1", NULL),
			"/admin/settings");
	r = client_get(ra, "/admin/settings");
	assert_true(reply_has(r, "value=\"1\" checked"));
	assert_true(reply_has(r, "Saved."));
	assert_int_equal(site_audit_count(site, "setting.update", RA_EMAIL), 1);

	/* A focal point now enrols at sign-in … */
	struct client *c = client_new(srv);
	r = client_login(c, focal, DEMO_PW);
	assert_redirect(r, "/login/2fa?next=%2Fstaff");
	r = client_second_factor(c, focal);
	assert_redirect(r, "/staff");
	assert_true(site_int(site,
			     "SELECT totp_secret IS NOT NULL FROM app_user"
			     " WHERE email = ?",
			     focal));
	/* … and may not turn it off while the rule stands. */
	assert_status(client_get(c, "/account"), 200);
	assert_status(
		client_post(c, "/account/2fa/off", "current", DEMO_PW, NULL),
		403);
	client_free(c);

	/* Off again: a focal point who never enrolled signs in directly. */
	assert_status(client_get(ra, "/admin/settings"), 200);
	assert_redirect(client_post(ra, "/admin/settings", NULL),
			"/admin/settings");
	assert_int_equal(
		site_int(site, "SELECT count(*) FROM setting WHERE value = '1'",
			 NULL),
		0);
	c = client_new(srv);
	assert_redirect(client_login(c, FP_PH_EMAIL, DEMO_PW), "/staff");
	client_free(c);
	client_free(ra);
}

/* Focal points may turn two-step verification on, and off again. */
static void
test_two_step_optional_for_focal_point(void **state)
{
	(void)state;
	const char *email = "focal@la.demo.atis.invalid";
	struct client *c = client_new(srv);
	client_sign_in(c, email, DEMO_PW);
	struct reply *r = client_get(c, "/account");
	assert_true(reply_has(r, "action=\"/account/2fa/start\""));
	assert_redirect(client_post(c, "/account/2fa/start", NULL),
			"/login/2fa?next=/account");
	/* Until a code proves the app, the session is only half there. */
	assert_redirect(client_get(c, "/staff"), "/login/2fa");
	r = client_get(c, "/login/2fa?next=/account");
	assert_status(r, 200);
	const char *shown =
		reply_between(r, "<code class=\"secret\">", "</code>");
	assert_non_null(shown);
	char secret[64], code[7];
	snprintf(secret, sizeof secret, "%s", shown);
	totp_code(secret, 0, code);
	r = client_post(c, "/login/2fa", "next", reply_input(r, "next"), "code",
			code, NULL);
	assert_redirect(r, "/account");
	r = client_get(c, "/account");
	assert_status(r, 200);
	assert_true(reply_has(r, "action=\"/account/2fa/off\""));
	assert_int_equal(site_audit_count(site, "totp.enable", email), 1);

	/* Now every sign-in asks for a code. */
	assert_redirect(client_post(c, "/logout", NULL), "/");
	assert_redirect(client_login(c, email, DEMO_PW),
			"/login/2fa?next=%2Fstaff");
	r = client_get(c, "/login/2fa?next=%2Fstaff");
	assert_false(reply_has(r, "class=\"secret\""));
	totp_code(secret, 1, code);
	assert_redirect(client_post(c, "/login/2fa", "code", code, NULL),
			"/staff");
	assert_status(client_get(c, "/account"), 200);
	r = client_post(c, "/account/2fa/off", "current", "wrong-password",
			NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "Your current password is not right."));
	assert_redirect(
		client_post(c, "/account/2fa/off", "current", DEMO_PW, NULL),
		"/account");
	assert_int_equal(site_audit_count(site, "totp.disable", email), 1);
	assert_redirect(client_post(c, "/logout", NULL), "/");
	assert_redirect(client_login(c, email, DEMO_PW), "/staff");

	/* An admin cannot turn it off. */
	struct client *a = client_new(srv);
	client_sign_in(a, "admin@kh.demo.atis.invalid", DEMO_PW);
	assert_status(client_get(a, "/account"), 200);
	assert_false(reply_has(&a->r, "action=\"/account/2fa/off\""));
	assert_status(
		client_post(a, "/account/2fa/off", "current", DEMO_PW, NULL),
		403);
	client_free(a);
	client_free(c);
}

static void
test_server_stops_cleanly(void **state)
{
	(void)state;
	int rc = server_stop(srv);
	srv = NULL;
	assert_int_equal(rc, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_step_enrolment_and_login),
		cmocka_unit_test(test_two_step_code_used_once),
		cmocka_unit_test(test_two_step_guesses_are_limited),
		cmocka_unit_test(test_require_two_step_for_all),
		cmocka_unit_test(test_two_step_optional_for_focal_point),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("two-step verification", tests,
					   setup, teardown);
}
