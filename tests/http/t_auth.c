/*
 * Signing in and out over HTTP: passwords, lockout, sessions and their
 * expiry, CSRF, password change, disabled accounts, the address throttle
 * and the client's address.  Two-step verification: t_auth_2fa.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "http/harness.h"

#define MAX_FAILURES 3
#define LOCK_SECONDS 3
#define IDLE_SECONDS 2
#define ABSOLUTE_SECONDS 3

static struct site *site;
static struct server *srv;      /* the lockout rules above */
static struct server *idle_srv; /* sessions end after IDLE_SECONDS idle */
static struct server *abs_srv;  /* and after ABSOLUTE_SECONDS in all */

static int
setup(void **state)
{
	(void)state;
	site = site_new(true);
	/* All three start before any session exists: each purges expired
	 * sessions (by its own rules) as it starts. */
	const char *main_env[] = {"ATIS_LOGIN_MAX_FAILURES=3",
				  "ATIS_LOGIN_LOCK_SECONDS=3", NULL};
	const char *idle_env[] = {"ATIS_SESSION_IDLE_SECONDS=2", NULL};
	const char *abs_env[] = {"ATIS_SESSION_ABSOLUTE_SECONDS=3", NULL};
	srv = server_start(site, main_env);
	idle_srv = server_start(site, idle_env);
	abs_srv = server_start(site, abs_env);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	int rc =
		server_stop(srv) | server_stop(idle_srv) | server_stop(abs_srv);
	srv = idle_srv = abs_srv = NULL;
	site_free(site);
	return rc == 0 ? 0 : -1;
}

static void
pause_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&t, NULL);
}

static void
test_login_ok(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/login");
	assert_status(r, 200);
	assert_non_null(reply_set_cookie(r, "atis_csrf"));
	/* E-mail addresses are matched without regard to case. */
	r = client_post(c, "/login", "email", "Focal@PH.demo.atis.invalid",
			"password", DEMO_PW, NULL);
	assert_redirect(r, "/staff");
	const char *set = reply_set_cookie(r, "atis_session");
	assert_non_null(set);
	assert_non_null(strstr(set, "HttpOnly"));
	assert_non_null(strstr(set, "SameSite="));
	r = client_get(c, "/staff");
	assert_status(r, 200);
	assert_string_equal(reply_header(r, "Cache-Control"), "no-store");
	assert_true(reply_has(r, "DEMO Focal Point (PH)"));
	/* Signed in, the login page sends one on. */
	assert_redirect(client_get(c, "/login"), "/staff");
	assert_true(site_audit_count(site, "login.ok", FP_PH_EMAIL) >= 1);
	client_free(c);
}

/* Asserts that a browser would stay on this site going to `loc`: it
 * drops tabs and newlines from a URL before reading it. */
static void
assert_local(const char *loc)
{
	char seen[512];
	size_t n = 0;
	for (const char *p = loc; *p && n + 1 < sizeof seen; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			seen[n++] = *p;
	seen[n] = '\0';
	if (seen[0] != '/' || seen[1] == '/' || seen[1] == '\\')
		print_error("Location \"%s\" leads off the site\n", loc);
	assert_true(seen[0] == '/' && seen[1] != '/' && seen[1] != '\\');
}

/* After signing in, only a path of this site is followed. */
static void
test_login_next_stays_on_site(void **state)
{
	(void)state;
	static const char *const nexts[] = {
		"/admin/orgs", "//evil.example", "https://evil.example",
		"/\\evil.example", "/\t/evil.example"};
	for (size_t i = 0; i < sizeof nexts / sizeof nexts[0]; i++) {
		struct client *c = client_new(srv);
		assert_status(client_get(c, "/login"), 200);
		struct reply *r = client_post(c, "/login", "email", FP_PH_EMAIL,
					      "password", DEMO_PW, "next",
					      nexts[i], NULL);
		assert_status(r, 303);
		const char *loc = reply_header(r, "Location");
		assert_non_null(loc);
		if (i == 0)
			assert_string_equal(loc, "/admin/orgs");
		else
			assert_local(loc);
		client_free(c);
	}
}

static void
test_wrong_password(void **state)
{
	(void)state;
	const char *email = "focal@id.demo.atis.invalid";
	struct client *c = client_new(srv);
	struct reply *r = client_login(c, email, "not-the-password");
	assert_status(r, 401);
	assert_true(reply_has(r, "That e-mail address and password do not "
				 "match, or the account is locked"));
	assert_string_equal(reply_input(r, "email"), email);
	assert_null(reply_set_cookie(r, "atis_session"));
	assert_true(site_audit_count(site, "login.fail", email) >= 1);
	/* An unknown account gets the very same answer. */
	r = client_login(c, "nobody@nowhere.invalid", DEMO_PW);
	assert_status(r, 401);
	assert_true(reply_has(r, "That e-mail address and password do not "
				 "match, or the account is locked"));
	/* Nothing typed. */
	r = client_login(c, "", "");
	assert_status(r, 400);
	/* The right password after one wrong one still works. */
	assert_redirect(client_login(c, email, DEMO_PW), "/staff");
	client_free(c);
}

static void
test_lockout(void **state)
{
	(void)state;
	const char *email = "focal@my.demo.atis.invalid";
	struct client *c = client_new(srv);
	for (int i = 1; i < MAX_FAILURES; i++)
		assert_status(client_login(c, email, "wrong-password-1"), 401);
	struct reply *r = client_login(c, email, "wrong-password-1");
	/* The same answer as a wrong password: it must not tell that the
	 * account exists. */
	assert_status(r, 401);
	assert_true(reply_has(r, "the account is locked for a while"));
	/* Locked: even the right password is refused. */
	r = client_login(c, email, DEMO_PW);
	assert_status(r, 401);
	assert_null(reply_set_cookie(r, "atis_session"));
	assert_status(client_get(c, "/staff"), 303);

	assert_true(site_audit_count(site, "login.fail", email) >=
		    MAX_FAILURES + 1);
	assert_int_equal(site_audit_count(site, "account.locked", email), 1);
	assert_int_equal(site_audit_count(site, "login.ok", email), 0);
	assert_true(
		site_int(site,
			 "SELECT locked_until FROM app_user WHERE email = ?",
			 email) > time(NULL));

	/* The lock ends by itself. */
	pause_ms(LOCK_SECONDS * 1000 + 200);
	assert_redirect(client_login(c, email, DEMO_PW), "/staff");
	assert_int_equal(site_audit_count(site, "login.ok", email), 1);
	client_free(c);
}

static void
test_logout_ends_session(void **state)
{
	(void)state;
	const char *email = "focal@sg.demo.atis.invalid";
	struct client *c = client_new(srv);
	client_sign_in(c, email, DEMO_PW);
	const char *tok = client_cookie(c, "atis_session");
	assert_non_null(tok);
	char token[128];
	snprintf(token, sizeof token, "%s", tok);

	/* Without its token the form does nothing. */
	assert_status(client_post_form(c, "/logout", NULL), 403);
	assert_status(client_post_form(c, "/logout", "csrf", "forged", NULL),
		      403);
	assert_status(client_get(c, "/staff"), 200);

	struct reply *r = client_post(c, "/logout", NULL);
	assert_redirect(r, "/");
	const char *del = reply_set_cookie(r, "atis_session");
	assert_non_null(del);
	assert_non_null(strstr(del, "Max-Age=0"));
	assert_true(reply_has(client_get(c, "/"), "You are signed out."));
	assert_redirect(client_get(c, "/staff"), "/login?next=%2Fstaff");
	assert_int_equal(
		site_int(site,
			 "SELECT count(*) FROM session s JOIN app_user u"
			 " ON u.id = s.user_id WHERE u.email = ?",
			 email),
		0);
	assert_int_equal(site_audit_count(site, "logout", email), 1);

	/* The old cookie, replayed, opens nothing. */
	struct client *thief = client_new(srv);
	client_set_cookie(thief, "atis_session", token);
	assert_redirect(client_get(thief, "/staff"), "/login?next=%2Fstaff");
	assert_redirect(client_get(thief, "/account"),
			"/login?next=%2Faccount");
	client_free(thief);
	client_free(c);
}

static void
test_idle_expiry(void **state)
{
	(void)state;
	struct client *c = client_new(idle_srv);
	client_sign_in(c, "focal@th.demo.atis.invalid", DEMO_PW);
	pause_ms(IDLE_SECONDS * 1000 + 200);
	struct reply *r = client_get(c, "/staff");
	assert_redirect(r, "/login?next=%2Fstaff");
	r = client_get(c, "/login?next=%2Fstaff");
	assert_status(r, 200);
	assert_true(reply_has(r, "Your session has ended. Please sign in "
				 "again."));
	client_free(c);
}

static void
test_absolute_expiry(void **state)
{
	(void)state;
	struct client *c = client_new(abs_srv);
	client_sign_in(c, "focal@kh.demo.atis.invalid", DEMO_PW);
	/* In use all along, yet it ends. */
	pause_ms(500);
	assert_status(client_get(c, "/staff"), 200);
	pause_ms(ABSOLUTE_SECONDS * 1000 - 300);
	assert_redirect(client_get(c, "/staff"), "/login?next=%2Fstaff");
	client_free(c);
}

static void
test_csrf(void **state)
{
	(void)state;
	const char *email = "focal@la.demo.atis.invalid";
	struct client *c = client_new(srv);
	struct client *other = client_new(srv);
	assert_status(client_get(other, "/login"), 200);
	char other_token[64];
	snprintf(other_token, sizeof other_token, "%s", other->csrf);

	/* The login form. */
	assert_status(client_get(c, "/login"), 200);
	assert_true(strlen(c->csrf) > 20);
	assert_status(client_post_form(c, "/login", "email", email, "password",
				       DEMO_PW, NULL),
		      403);
	assert_status(client_post_form(c, "/login", "csrf", "x", "email", email,
				       "password", DEMO_PW, NULL),
		      403);
	assert_status(client_post_form(c, "/login", "csrf", other_token,
				       "email", email, "password", DEMO_PW,
				       NULL),
		      403);
	/* Without the cookie it is bound to, a token is worth nothing. */
	struct client *bare = client_new(srv);
	assert_status(client_post_form(bare, "/login", "csrf", c->csrf, "email",
				       email, "password", DEMO_PW, NULL),
		      403);
	client_free(bare);
	assert_int_equal(site_audit_count(site, "login.ok", email), 0);

	/* Logout, signed in: a visitor's token or another session's fails. */
	client_sign_in(c, email, DEMO_PW);
	client_sign_in(other, email, DEMO_PW);
	assert_status(client_post_form(c, "/logout", "csrf", other_token, NULL),
		      403);
	assert_status(client_post_form(c, "/logout", "csrf", other->csrf, NULL),
		      403);
	assert_status(client_get(c, "/staff"), 200);

	/* An admin form. */
	struct client *ra = client_new(srv);
	client_sign_in(ra, RA_EMAIL, DEMO_PW);
	assert_status(client_get(ra, "/admin/settings"), 200);
	assert_status(client_post_form(ra, "/admin/settings", "require_2fa_all",
				       "1", NULL),
		      403);
	assert_status(client_post_form(ra, "/admin/settings", "csrf",
				       other->csrf, "require_2fa_all", "1",
				       NULL),
		      403);
	assert_int_equal(
		site_int(site, "SELECT count(*) FROM setting WHERE value = '1'",
			 NULL),
		0);
	client_free(ra);
	client_free(other);
	client_free(c);
}

static void
test_password_change(void **state)
{
	(void)state;
	const char *email = "focal@vn.demo.atis.invalid";
	const char *newpw = "a-new-password-456";
	struct client *c = client_new(srv);
	struct client *elsewhere = client_new(srv);
	client_sign_in(elsewhere, email, DEMO_PW);
	client_sign_in(c, email, DEMO_PW);
	assert_status(client_get(c, "/account"), 200);

	struct reply *r =
		client_post(c, "/account/password", "current", "wrong-password",
			    "password", newpw, "password2", newpw, NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "Your current password is not right."));
	r = client_post(c, "/account/password", "current", DEMO_PW, "password",
			newpw, "password2", "something-else-1", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "The two new passwords are not the same."));
	r = client_post(c, "/account/password", "current", DEMO_PW, "password",
			"short", "password2", "short", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "Use a password of at least 10 characters."));
	assert_int_equal(site_audit_count(site, "password.change", email), 0);

	r = client_post(c, "/account/password", "current", DEMO_PW, "password",
			newpw, "password2", newpw, NULL);
	assert_redirect(r, "/account");
	assert_true(reply_has(client_get(c, "/account"),
			      "Your password has been changed."));
	assert_int_equal(site_audit_count(site, "password.change", email), 1);
	/* This session goes on; the others are ended. */
	assert_status(client_get(c, "/staff"), 200);
	assert_redirect(client_get(elsewhere, "/staff"),
			"/login?next=%2Fstaff");

	assert_redirect(client_post(c, "/logout", NULL), "/");
	assert_status(client_login(c, email, DEMO_PW), 401);
	assert_redirect(client_login(c, email, newpw), "/staff");
	client_free(elsewhere);
	client_free(c);
}

/* POSTs the edit form of account `email` as stored, with `disabled`. */
static struct reply *
post_user_form(struct client *c, const char *email, bool disabled)
{
	int64_t id = site_int(site, "SELECT id FROM app_user WHERE email = ?",
			      email);
	char path[64], org[32], name[256], role[32];
	snprintf(path, sizeof path, "/admin/users/%lld", (long long)id);
	struct reply *r = client_get(c, path);
	assert_status(r, 200);
	snprintf(name, sizeof name, "%s", reply_input(r, "name"));
	snprintf(org, sizeof org, "%lld",
		 (long long)site_int(
			 site, "SELECT org_id FROM app_user WHERE email = ?",
			 email));
	struct db_stmt *st = db_query(
		site->db, "SELECT role FROM app_user WHERE id = ?", "i", id);
	assert_true(db_step(st));
	snprintf(role, sizeof role, "%s", db_col_text(st, 0));
	db_finalize(st);
	return client_post(c, path, "name", name, "org_id", org, "role", role,
			   "language", "", "disabled", disabled ? "1" : "",
			   NULL);
}

/* A disabled account loses its sessions and cannot sign in. */
static void
test_disabled_account(void **state)
{
	(void)state;
	const char *email = "focal@id.demo.atis.invalid";
	struct client *victim = client_new(srv);
	client_sign_in(victim, email, DEMO_PW);
	struct client *ra = client_new(srv);
	client_sign_in(ra, RA_EMAIL, DEMO_PW);
	struct reply *r = post_user_form(ra, email, true);
	assert_status(r, 303);
	assert_true(str_starts(reply_header(r, "Location"), "/admin/users/"));
	assert_redirect(client_get(victim, "/staff"), "/login?next=%2Fstaff");
	r = client_login(victim, email, DEMO_PW);
	assert_status(r, 401);
	assert_null(reply_set_cookie(r, "atis_session"));

	/* Enabled again, the password works again. */
	assert_status(post_user_form(ra, email, false), 303);
	assert_redirect(client_login(victim, email, DEMO_PW), "/staff");

	/* Nobody disables themselves, and is told why. */
	r = post_user_form(ra, RA_EMAIL, true);
	assert_status(r, 400);
	assert_true(reply_has(r, "You cannot disable your own account."));
	assert_status(client_get(ra, "/staff"), 200);
	client_free(ra);
	client_free(victim);
}

/* Too many failures from one address: even a right password waits. */
static void
test_address_throttle(void **state)
{
	(void)state;
	const char *env[] = {"ATIS_LOGIN_IP_MAX_FAILURES=3", NULL};
	struct server *t = server_start(site, env);
	struct client *c = client_new(t);
	for (int i = 0; i < 3; i++) {
		long st =
			client_login(c, "nobody@nowhere.invalid", "guess-1234")
				->status;
		assert_true(st == 401 || st == 429);
	}
	struct reply *r = client_login(c, FP_PH_EMAIL, DEMO_PW);
	assert_status(r, 429);
	assert_true(
		reply_has(r, "Too many failed sign-ins from this network."));
	assert_null(reply_set_cookie(r, "atis_session"));
	client_free(c);
	assert_int_equal(server_stop(t), 0);
}

/* Signed in, pages come in the account's language unless this browser
 * chose another. */
static void
test_account_language(void **state)
{
	(void)state;
	const char *email = "focal@sg.demo.atis.invalid";
	assert_int_equal(db_run(site->db,
				"UPDATE app_user SET language = 'th'"
				" WHERE email = ?",
				"t", email),
			 ERR_OK);
	struct client *c = client_new(srv);
	client_add_header(c, "Accept-Language: vi");
	assert_true(reply_has(client_get(c, "/"), "<html lang=\"vi\">"));
	client_sign_in(c, email, DEMO_PW);
	assert_true(reply_has(client_get(c, "/staff"), "<html lang=\"th\">"));
	assert_redirect(client_get(c, "/lang?to=ms&next=/staff"), "/staff");
	assert_true(reply_has(client_get(c, "/staff"), "<html lang=\"ms\">"));
	client_free(c);
}

/* The address of the last login.ok of `email`, as the audit log has it. */
static void
last_login_address(const char *email, char out[64])
{
	struct db_stmt *st = db_query(
		site->db,
		"SELECT address FROM audit_log WHERE action = 'login.ok' AND"
		" actor_label = ? ORDER BY id DESC LIMIT 1",
		"t", email);
	assert_true(db_step(st));
	snprintf(out, 64, "%s", db_col_text(st, 0));
	db_finalize(st);
}

/* X-Forwarded-For counts only from the configured proxy, and then only
 * its last hop (the one the proxy itself added). */
static void
test_client_address(void **state)
{
	(void)state;
	char addr[64];
	struct client *c = client_new(srv);
	client_add_header(c, "X-Forwarded-For: 203.0.113.9");
	assert_redirect(client_login(c, FP_PH_EMAIL, DEMO_PW), "/staff");
	last_login_address(FP_PH_EMAIL, addr);
	assert_string_equal(addr, "127.0.0.1");
	client_free(c);

	const char *env[] = {"ATIS_TRUSTED_PROXY=127.0.0.1", NULL};
	struct server *proxied = server_start(site, env);
	static const char *const xff[][2] = {
		{"X-Forwarded-For: 198.51.100.1, 203.0.113.9", "203.0.113.9"},
		{"X-Forwarded-For: 2001:db8::7", "2001:db8::7"},
		{"X-Forwarded-For: 203.0.113.9, <script>", "127.0.0.1"},
		{"X-Forwarded-For: ", "127.0.0.1"},
	};
	for (size_t i = 0; i < sizeof xff / sizeof xff[0]; i++) {
		c = client_new(proxied);
		client_add_header(c, xff[i][0]);
		assert_redirect(client_login(c, FP_PH_EMAIL, DEMO_PW),
				"/staff");
		last_login_address(FP_PH_EMAIL, addr);
		if (strcmp(addr, xff[i][1]) != 0)
			print_error("%s\n", xff[i][0]);
		assert_string_equal(addr, xff[i][1]);
		client_free(c);
	}
	assert_int_equal(server_stop(proxied), 0);
}

static void
test_servers_stop_cleanly(void **state)
{
	(void)state;
	int a = server_stop(srv), b = server_stop(idle_srv),
	    d = server_stop(abs_srv);
	srv = idle_srv = abs_srv = NULL;
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	assert_int_equal(d, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_ok),
		cmocka_unit_test(test_login_next_stays_on_site),
		cmocka_unit_test(test_wrong_password),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_logout_ends_session),
		cmocka_unit_test(test_idle_expiry),
		cmocka_unit_test(test_absolute_expiry),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_password_change),
		cmocka_unit_test(test_disabled_account),
		cmocka_unit_test(test_address_throttle),
		cmocka_unit_test(test_client_address),
		cmocka_unit_test(test_account_language),
		cmocka_unit_test(test_servers_stop_cleanly),
	};
	return cmocka_run_group_tests_name("signing in", tests, setup,
					   teardown);
}
