/*
 * Regression tests for defects found in review and fixed: the account
 * lock against half-signed-in sessions, one-time codes used once, the
 * enrolment secret bound to its account, one answer for every refused
 * sign-in, the address throttle, wrong current passwords counted, the
 * affiliate admin's reach over accounts, an archived organisation kept
 * on save, searches and names in Thai script.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
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
			     "ATIS_LOGIN_LOCK_SECONDS=600", NULL};
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

/* ---- helpers ----------------------------------------------------------- */

static int64_t
user_id_of(const char *email)
{
	return site_int(site, "SELECT id FROM app_user WHERE email = ?", email);
}

static int64_t
half_sessions_of(const char *email)
{
	return site_int(site,
			"SELECT count(*) FROM session WHERE stage = 1 AND"
			" user_id = (SELECT id FROM app_user WHERE email = ?)",
			email);
}

static int64_t
sessions_of(const char *email)
{
	return site_int(site,
			"SELECT count(*) FROM session WHERE"
			" user_id = (SELECT id FROM app_user WHERE email = ?)",
			email);
}

static void
set_user(const char *sql_with_email_arg, const char *email)
{
	assert_int_equal(db_run(site->db, sql_with_email_arg, "t", email),
			 ERR_OK);
}

/* A 6-digit code that is not valid now, nor two steps either side. */
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

/* `n` Thai letters (U+0E01 …), 3 bytes each in UTF-8 (caller frees). */
static char *
thai(size_t n)
{
	char *s = xmalloc(3 * n + 1);
	for (size_t i = 0; i < n; i++) {
		unsigned cp = 0x0E01 + (unsigned)(i % 46);
		s[3 * i] = (char)0xE0;
		s[3 * i + 1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3 * i + 2] = (char)(0x80 | (cp & 0x3F));
	}
	s[3 * n] = '\0';
	return s;
}

/* `path` + "?q=" + `q` url-encoded, GET; returns the status. */
static long
search_status(struct client *c, const char *path, const char *q)
{
	char *arg = form_encode("q", q, NULL);
	size_t n = strlen(path) + strlen(arg) + 2;
	char *url = xmalloc(n);
	snprintf(url, n, "%s?%s", path, arg);
	long st = client_get(c, url)->status;
	free(arg);
	free(url);
	return st;
}

/*
 * The value a browser sends for <select id="`id`"> of the last page: the
 * option marked selected, else the first one.  Asserts there is one.
 */
static void
select_value(struct reply *r, const char *id, char *out, size_t size)
{
	char open[128];
	snprintf(open, sizeof open, "<select id=\"%s\"", id);
	const char *block = reply_between(r, open, "</select>");
	assert_non_null(block);
	static const char opt[] = "<option value=\"";
	const char *first = NULL, *chosen = NULL;
	for (const char *p = strstr(block, opt); p; p = strstr(p, opt)) {
		p += strlen(opt);
		if (first == NULL)
			first = p;
		const char *q = strchr(p, '"');
		assert_non_null(q);
		if (strncmp(q, "\" selected", 10) == 0 && chosen == NULL)
			chosen = p;
	}
	const char *v = chosen ? chosen : first;
	assert_non_null(v);
	snprintf(out, size, "%.*s", (int)strcspn(v, "\""), v);
}

/* The body of the last reply with the first `cut` removed (caller
 * frees): to compare pages that differ only in an echoed value. */
static char *
body_without(const struct reply *r, const char *cut)
{
	const char *p = strstr(r->body, cut);
	if (p == NULL)
		return xstrdup(r->body);
	size_t before = (size_t)(p - r->body);
	size_t n = r->len - strlen(cut);
	char *out = xmalloc(n + 1);
	memcpy(out, r->body, before);
	memcpy(out + before, p + strlen(cut), n - before);
	out[n] = '\0';
	return out;
}

/* Signs in (enrolling where asked) then signs out again, so the account
 * has a second factor and the site remembers its secret. */
static const char *
enrol(const char *email)
{
	struct client *c = client_new(srv);
	client_sign_in(c, email, DEMO_PW);
	assert_status(client_get(c, "/staff"), 200);
	assert_redirect(client_post(c, "/logout", NULL), "/");
	client_free(c);
	const char *secret = site_secret(site, email);
	assert_non_null(secret);
	return secret;
}

/* A new client half signed in as `email` (password right, code
 * awaited), holding the CSRF token of /login/2fa. */
static struct client *
half_signed_in(const char *email)
{
	struct client *c = client_new(srv);
	assert_redirect(client_login(c, email, DEMO_PW),
			"/login/2fa?next=%2Fstaff");
	struct reply *r = client_get(c, "/login/2fa?next=%2Fstaff");
	assert_status(r, 200);
	assert_false(reply_has(r, "class=\"secret\""));
	return c;
}

/* ---- 1. a lock ends every half-signed-in session ----------------------- */

static void
test_lock_ends_other_half_sessions(void **state)
{
	(void)state;
	const char *email = "admin@id.demo.atis.invalid";
	const char *secret = enrol(email);
	struct client *a = half_signed_in(email);
	struct client *b = half_signed_in(email);
	assert_int_equal(half_sessions_of(email), 2);
	/* Not the code of the enrolment: B's right code must be usable. */
	set_user("UPDATE app_user SET totp_last_step = 0 WHERE email = ?",
		 email);

	char bad[7], good[7];
	wrong_code(secret, bad);
	for (int i = 0; i < MAX_FAILURES - 1; i++)
		assert_status(client_post(a, "/login/2fa", "next", "/staff",
					  "code", bad, NULL),
			      401);
	assert_redirect(client_post(a, "/login/2fa", "next", "/staff", "code",
				    bad, NULL),
			"/login");
	assert_true(
		site_int(site,
			 "SELECT locked_until FROM app_user WHERE email = ?",
			 email) > (int64_t)time(NULL));
	assert_int_equal(site_audit_count(site, "account.locked", email), 1);
	/* The lock ended B's half-made session as well as A's. */
	assert_int_equal(half_sessions_of(email), 0);

	/* B, with the right code, does not get in. */
	totp_code(secret, 0, good);
	struct reply *r = client_post(b, "/login/2fa", "next", "/staff", "code",
				      good, NULL);
	const char *loc = r->status == 303 ? reply_header(r, "Location") : NULL;
	if (!(r->status == 403 ||
	      (loc != NULL && strncmp(loc, "/login", 6) == 0 &&
	       strncmp(loc, "/login/2fa", 10) != 0))) {
		print_error("the right code in the other session was answered "
			    "%ld%s%s\n",
			    r->status, loc ? " → " : "", loc ? loc : "");
		fail();
	}
	assert_redirect(client_get(b, "/staff"), "/login?next=%2Fstaff");
	assert_redirect(client_get(a, "/staff"), "/login?next=%2Fstaff");
	assert_int_equal(sessions_of(email), 0);
	assert_int_equal(site_audit_count(site, "login.ok", email), 1);

	/* And where a half session outlives a lock (one made by another
	 * way than a wrong code), the code page itself refuses it. */
	set_user("UPDATE app_user SET locked_until = 0, failed_logins = 0"
		 " WHERE email = ?",
		 email);
	struct client *c = half_signed_in(email);
	set_user("UPDATE app_user SET totp_last_step = 0,"
		 " locked_until = CAST(strftime('%s','now') AS INTEGER) + 600"
		 " WHERE email = ?",
		 email);
	totp_code(secret, 0, good);
	assert_redirect(client_post(c, "/login/2fa", "next", "/staff", "code",
				    good, NULL),
			"/login");
	assert_redirect(client_get(c, "/staff"), "/login?next=%2Fstaff");
	assert_int_equal(half_sessions_of(email), 0);
	assert_int_equal(site_audit_count(site, "login.ok", email), 1);
	client_free(c);
	client_free(b);
	client_free(a);
}

/* ---- 2. a one-time code is good once ------------------------------------ */

static void
test_code_used_once_across_sessions(void **state)
{
	(void)state;
	const char *email = "admin@th.demo.atis.invalid";
	const char *secret = enrol(email);
	struct client *a = half_signed_in(email);
	struct client *b = half_signed_in(email);
	set_user("UPDATE app_user SET totp_last_step = 0 WHERE email = ?",
		 email);
	char code[7];
	totp_code(secret, 0, code);
	assert_redirect(client_post(a, "/login/2fa", "next", "/staff", "code",
				    code, NULL),
			"/staff");
	assert_status(client_get(a, "/staff"), 200);
	struct reply *r = client_post(b, "/login/2fa", "next", "/staff", "code",
				      code, NULL);
	assert_status(r, 401);
	assert_true(reply_has(r, "That code is not right."));
	assert_redirect(client_get(b, "/staff"), "/login/2fa");
	assert_int_equal(half_sessions_of(email), 1);
	client_free(b);
	client_free(a);
}

/* Two sessions send the same code at the same moment. */
struct racer {
	struct client *c;
	const char *code;
	pthread_barrier_t *start;
	long status;
};

static void *
race_code(void *p)
{
	struct racer *r = p;
	pthread_barrier_wait(r->start);
	/* Only the request here: cmocka may fail in the main thread only. */
	r->status = client_post(r->c, "/login/2fa", "next", "/staff", "code",
				r->code, NULL)
			    ->status;
	return NULL;
}

/* Whether the racer's reply was a way in. */
static bool
got_in(struct racer *r)
{
	const char *loc =
		r->status == 303 ? reply_header(&r->c->r, "Location") : NULL;
	return loc != NULL && strcmp(loc, "/staff") == 0;
}

static void
test_code_used_once_when_racing(void **state)
{
	(void)state;
	const char *email = "admin@kh.demo.atis.invalid";
	const char *secret = enrol(email);
	for (int round = 0; round < 3; round++) {
		struct client *a = half_signed_in(email);
		struct client *b = half_signed_in(email);
		set_user("UPDATE app_user SET totp_last_step = 0,"
			 " failed_logins = 0 WHERE email = ?",
			 email);
		char code[7];
		totp_code(secret, 0, code);
		pthread_barrier_t start;
		pthread_barrier_init(&start, NULL, 2);
		struct racer ra = {a, code, &start, 0};
		struct racer rb = {b, code, &start, 0};
		pthread_t ta, tb;
		assert_int_equal(pthread_create(&ta, NULL, race_code, &ra), 0);
		assert_int_equal(pthread_create(&tb, NULL, race_code, &rb), 0);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		pthread_barrier_destroy(&start);
		int in = got_in(&ra) + got_in(&rb);
		int refused = (ra.status == 401) + (rb.status == 401);
		if (in != 1 || refused != 1)
			print_error(
				"round %d: the same code sent twice at once "
				"was answered %ld and %ld (%d got in)\n",
				round, ra.status, rb.status, in);
		assert_int_equal(in, 1);
		assert_int_equal(refused, 1);
		assert_int_equal(half_sessions_of(email), 1);
		client_free(b);
		client_free(a);
		set_user("DELETE FROM session WHERE user_id ="
			 " (SELECT id FROM app_user WHERE email = ?)",
			 email);
	}
}

/* ---- 3. an enrolment secret belongs to one account ---------------------- */

static void
test_enrolment_secret_not_shared(void **state)
{
	(void)state;
	const char *first = "admin@my.demo.atis.invalid";
	const char *second = "admin@vn.demo.atis.invalid";
	struct client *c = client_new(srv);
	assert_redirect(client_login(c, first, DEMO_PW),
			"/login/2fa?next=%2Fstaff");
	struct reply *r = client_get(c, "/login/2fa?next=%2Fstaff");
	assert_status(r, 200);
	const char *shown =
		reply_between(r, "<code class=\"secret\">", "</code>");
	assert_non_null(shown);
	char secret1[64], cookie1[512];
	snprintf(secret1, sizeof secret1, "%s", shown);
	const char *ck = client_cookie(c, "atis_enrol");
	assert_non_null(ck);
	snprintf(cookie1, sizeof cookie1, "%s", ck);
	assert_redirect(client_post(c, "/logout", NULL), "/");

	assert_redirect(client_login(c, second, DEMO_PW),
			"/login/2fa?next=%2Fstaff");
	r = client_get(c, "/login/2fa?next=%2Fstaff");
	assert_status(r, 200);
	shown = reply_between(r, "<code class=\"secret\">", "</code>");
	assert_non_null(shown);
	assert_string_not_equal(shown, secret1);
	assert_false(reply_has(r, secret1));

	/* Nor when the first account's enrolment cookie is still there
	 * (a browser that kept it). */
	client_set_cookie(c, "atis_enrol", cookie1);
	r = client_get(c, "/login/2fa?next=%2Fstaff");
	assert_status(r, 200);
	shown = reply_between(r, "<code class=\"secret\">", "</code>");
	assert_non_null(shown);
	assert_string_not_equal(shown, secret1);
	assert_false(reply_has(r, secret1));
	/* The first secret's code does not enrol the second account. */
	char code[7];
	totp_code(secret1, 0, code);
	client_set_cookie(c, "atis_enrol", cookie1);
	assert_status(client_post(c, "/login/2fa", "next", "/staff", "code",
				  code, NULL),
		      400);
	assert_true(site_int(site,
			     "SELECT totp_secret IS NULL FROM app_user"
			     " WHERE email = ?",
			     second));
	assert_redirect(client_get(c, "/staff"), "/login/2fa");
	client_free(c);
}

/* ---- 4. a locked account answers like a wrong password ----------------- */

#define REFUSAL_OPEN "<p class=\"error\" role=\"alert\">"

static void
test_locked_answers_like_wrong_password(void **state)
{
	(void)state;
	const char *locked = "focal@kh.demo.atis.invalid";
	const char *other = "focal@la.demo.atis.invalid";
	const char *unknown = "nobody@kh.demo.atis.invalid";
	struct client *c = client_new(srv);
	for (int i = 0; i < MAX_FAILURES; i++)
		assert_status(client_login(c, locked, "wrong-password-1"), 401);
	assert_true(
		site_int(site,
			 "SELECT locked_until FROM app_user WHERE email = ?",
			 locked) > (int64_t)time(NULL));

	const char *emails[3] = {unknown, other, locked};
	const char *passwords[3] = {DEMO_PW, "wrong-password-1", DEMO_PW};
	char *pages[3];
	char msg[3][512];
	for (int i = 0; i < 3; i++) {
		struct reply *r = client_login(c, emails[i], passwords[i]);
		assert_status(r, 401);
		assert_null(reply_set_cookie(r, "atis_session"));
		const char *m = reply_between(r, REFUSAL_OPEN, "</p>");
		assert_non_null(m);
		snprintf(msg[i], sizeof msg[i], "%s", m);
		pages[i] = body_without(r, emails[i]);
	}
	assert_string_equal(msg[0], msg[1]);
	assert_string_equal(msg[2], msg[1]);
	assert_string_equal(pages[0], pages[1]);
	assert_string_equal(pages[2], pages[1]);
	for (int i = 0; i < 3; i++)
		free(pages[i]);
	assert_redirect(client_get(c, "/staff"), "/login?next=%2Fstaff");
	client_free(c);
}

/* ---- 5. a throttled address gets 429, right password or not ----------- */

static void
test_throttled_address_stays_429(void **state)
{
	(void)state;
	site_exec(site, "DELETE FROM login_throttle");
	const char *env[] = {"ATIS_LOGIN_MAX_FAILURES=3",
			     "ATIS_LOGIN_IP_MAX_FAILURES=3", NULL};
	struct server *t = server_start(site, env);
	struct client *c = client_new(t);
	for (int i = 0; i < 3; i++)
		assert_status(
			client_login(c, "nobody@nowhere.invalid", "guess-1234"),
			401);
	struct reply *r =
		client_login(c, "nobody@nowhere.invalid", "guess-1234");
	assert_status(r, 429);
	assert_true(
		reply_has(r, "Too many failed sign-ins from this network."));
	for (int i = 0; i < 2; i++) {
		r = client_login(c, "focal@sg.demo.atis.invalid", DEMO_PW);
		assert_status(r, 429);
		assert_true(reply_has(
			r, "Too many failed sign-ins from this network."));
		assert_null(reply_set_cookie(r, "atis_session"));
	}
	assert_redirect(client_get(c, "/staff"), "/login?next=%2Fstaff");
	assert_int_equal(sessions_of("focal@sg.demo.atis.invalid"), 0);
	client_free(c);
	assert_int_equal(server_stop(t), 0);
	site_exec(site, "DELETE FROM login_throttle");
}

/* ---- 6. wrong current passwords count towards the lock ----------------- */

static void
test_wrong_current_password_locks(void **state)
{
	(void)state;
	const char *email = "focal@id.demo.atis.invalid";
	struct client *c = client_new(srv);
	client_sign_in(c, email, DEMO_PW);
	assert_status(client_get(c, "/account"), 200);
	for (int i = 0; i < MAX_FAILURES - 1; i++) {
		struct reply *r = client_post(
			c, "/account/password", "current", "not-my-password",
			"password", "brand-new-password-1", "password2",
			"brand-new-password-1", NULL);
		assert_status(r, 400);
		assert_true(
			reply_has(r, "Your current password is not right."));
	}
	assert_redirect(client_post(c, "/account/password", "current",
				    "not-my-password", "password",
				    "brand-new-password-1", "password2",
				    "brand-new-password-1", NULL),
			"/login");
	assert_redirect(client_get(c, "/staff"), "/login?next=%2Fstaff");
	assert_int_equal(sessions_of(email), 0);
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM audit_log WHERE"
				  " action = 'login.fail' AND actor_label = ?"
				  " AND detail LIKE '%wrong current password%'",
				  email),
			 MAX_FAILURES);
	assert_int_equal(site_audit_count(site, "account.locked", email), 1);
	assert_true(
		site_int(site,
			 "SELECT locked_until FROM app_user WHERE email = ?",
			 email) > (int64_t)time(NULL));
	/* The password did not change, and the account is locked. */
	assert_status(client_login(c, email, "brand-new-password-1"), 401);
	assert_status(client_login(c, email, DEMO_PW), 401);
	client_free(c);
}

/* ---- 7. an affiliate admin manages no admin account -------------------- */

static void
test_affiliate_admin_reach(void **state)
{
	(void)state;
	const char *me = "admin@my.demo.atis.invalid";
	struct client *c = client_new(srv);
	client_sign_in(c, me, DEMO_PW);
	const char *admins[] = {me, "admin@ph.demo.atis.invalid",
				"admin@sg.demo.atis.invalid", RA_EMAIL};
	char path[128], own_pw[128];
	for (size_t i = 0; i < sizeof admins / sizeof admins[0]; i++) {
		snprintf(path, sizeof path, "/admin/users/%lld",
			 (long long)user_id_of(admins[i]));
		struct reply *r = client_get(c, path);
		if (r->status != 404)
			print_error("%s: GET %s (%s) answered %ld\n", me, path,
				    admins[i], r->status);
		assert_status(r, 404);
		/* The CSRF token of a page of ours, as a forged form would
		 * carry it. */
		assert_status(client_get(c, "/admin/users"), 200);
		r = client_post(c, path, "name", "Taken over", "org_id", "1",
				"role", "affiliate_admin", "language", "",
				NULL);
		if (r->status != 404)
			print_error("%s: POST %s (%s) answered %ld\n", me, path,
				    admins[i], r->status);
		assert_status(r, 404);
	}
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM app_user WHERE"
				  " name = 'Taken over'",
				  NULL),
			 0);
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM audit_log WHERE"
				  " action = 'user.update' AND actor_label = ?",
				  me),
			 0);

	/* Their own password: not here (on /account, with the current
	 * one), and no other admin's either. */
	char *hash_before = NULL;
	{
		struct db_stmt *st = db_query(
			site->db,
			"SELECT password_hash FROM app_user WHERE email = ?",
			"t", me);
		assert_true(db_step(st));
		hash_before = xstrdup(db_col_text(st, 0));
		db_finalize(st);
	}
	snprintf(own_pw, sizeof own_pw, "/admin/users/%lld/password",
		 (long long)user_id_of(me));
	assert_status(client_get(c, "/admin/users"), 200);
	long st = client_post(c, own_pw, "password", "taken-over-password-1",
			      NULL)
			  ->status;
	if (st != 403 && st != 404)
		print_error("%s: POST %s answered %ld\n", me, own_pw, st);
	assert_true(st == 403 || st == 404);
	snprintf(path, sizeof path, "/admin/users/%lld/password",
		 (long long)user_id_of("admin@ph.demo.atis.invalid"));
	assert_status(
		client_post(c, path, "password", "taken-over-password-1", NULL),
		404);
	assert_int_equal(site_int(site,
				  "SELECT password_hash = ? FROM app_user"
				  " WHERE email = 'admin@my.demo.atis.invalid'",
				  hash_before),
			 1);
	free(hash_before);
	assert_int_equal(site_audit_count(site, "user.password_reset", me), 0);

	/* Their own country's focal point they do manage. */
	snprintf(path, sizeof path, "/admin/users/%lld",
		 (long long)user_id_of("focal@my.demo.atis.invalid"));
	assert_status(client_get(c, path), 200);

	/* The list: focal points and partner users of Malaysia, no one
	 * else. */
	struct reply *r = client_get(c, "/admin/users");
	assert_status(r, 200);
	const char *rows = reply_between(r, "<tbody>", "</tbody>");
	assert_non_null(rows);
	assert_non_null(strstr(rows, "focal@my.demo.atis.invalid"));
	assert_non_null(strstr(rows, "partner@ngo-my.demo.atis.invalid"));
	assert_null(strstr(rows, "admin@"));
	assert_null(strstr(rows, "focal@ph.demo.atis.invalid"));
	assert_null(strstr(rows, "partner@gov-th.demo.atis.invalid"));
	int n = 0;
	for (const char *p = strstr(rows, "<tr>"); p; p = strstr(p + 4, "<tr>"))
		n++;
	assert_int_equal(n, 2);
	r = client_get(c, "/admin/users?role=affiliate_admin");
	assert_status(r, 200);
	assert_null(reply_between(r, "<tbody>", "</tbody>"));
	assert_true(reply_has(r, "No user matches this search."));
	client_free(c);
}

/* ---- 8. saving keeps an archived organisation ------------------------- */

static void
test_save_keeps_archived_org(void **state)
{
	(void)state;
	const char *email = "partner@gov-th.demo.atis.invalid";
	int64_t org = site_int(
		site, "SELECT org_id FROM app_user WHERE email = ?", email);
	site_exec(site, "UPDATE organisation SET archived = 1"
			" WHERE name = 'DEMO Provincial Labour Office'");
	assert_int_equal(site_int(site,
				  "SELECT archived FROM organisation WHERE"
				  " name = 'DEMO Provincial Labour Office'",
				  NULL),
			 1);
	struct client *ra = client_new(srv);
	client_sign_in(ra, RA_EMAIL, DEMO_PW);
	char path[64], want[32];
	snprintf(path, sizeof path, "/admin/users/%lld",
		 (long long)user_id_of(email));
	snprintf(want, sizeof want, "%lld", (long long)org);
	struct reply *r = client_get(ra, path);
	assert_status(r, 200);
	char org_v[32], role_v[64], lang_v[32];
	select_value(r, "org_id", org_v, sizeof org_v);
	select_value(r, "role", role_v, sizeof role_v);
	select_value(r, "language", lang_v, sizeof lang_v);
	/* The page shows the archived organisation, chosen. */
	assert_string_equal(org_v, want);
	assert_string_equal(role_v, "partner_user");
	assert_redirect(client_post(ra, path, "name", "DEMO Partner Renamed",
				    "org_id", org_v, "role", role_v, "language",
				    lang_v, NULL),
			path);
	assert_int_equal(site_int(site,
				  "SELECT org_id FROM app_user WHERE email = ?",
				  email),
			 org);
	assert_int_equal(site_int(site,
				  "SELECT name = 'DEMO Partner Renamed'"
				  " FROM app_user WHERE email = ?",
				  email),
			 1);
	assert_int_equal(site_int(site,
				  "SELECT archived FROM organisation WHERE"
				  " name = 'DEMO Provincial Labour Office'",
				  NULL),
			 1);
	client_free(ra);
}

/* ---- 9. searches are limited in characters, not bytes ------------------ */

static void
test_search_length_in_characters(void **state)
{
	(void)state;
	struct client *ra = client_new(srv);
	client_sign_in(ra, RA_EMAIL, DEMO_PW);
	char *t40 = thai(40), *t100 = thai(100), *t101 = thai(101);
	char a100[101], a101[102];
	memset(a100, 'a', 100);
	a100[100] = '\0';
	memset(a101, 'a', 101);
	a101[101] = '\0';
	const char *paths[] = {"/admin/orgs", "/admin/users"};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(search_status(ra, paths[i], t40), 200);
		/* The search is shown back as typed. */
		assert_true(reply_has(&ra->r, t40));
		assert_int_equal(search_status(ra, paths[i], t100), 200);
		assert_int_equal(search_status(ra, paths[i], a100), 200);
		assert_int_equal(search_status(ra, paths[i], a101), 400);
		assert_int_equal(search_status(ra, paths[i], t101), 400);
	}
	free(t40);
	free(t100);
	free(t101);
	client_free(ra);
}

/* ---- 10. a long name in Thai script ------------------------------------ */

static void
test_long_thai_name_signs_in(void **state)
{
	(void)state;
	const char *email = "focal@th.demo.atis.invalid";
	char *name = thai(150);
	/* Given through the admin form. */
	struct client *ra = client_new(srv);
	client_sign_in(ra, RA_EMAIL, DEMO_PW);
	char path[64];
	snprintf(path, sizeof path, "/admin/users/%lld",
		 (long long)user_id_of(email));
	struct reply *r = client_get(ra, path);
	assert_status(r, 200);
	char org_v[32], role_v[64], lang_v[32];
	select_value(r, "org_id", org_v, sizeof org_v);
	select_value(r, "role", role_v, sizeof role_v);
	select_value(r, "language", lang_v, sizeof lang_v);
	assert_redirect(client_post(ra, path, "name", name, "org_id", org_v,
				    "role", role_v, "language", lang_v, NULL),
			path);
	assert_int_equal(
		site_int(site, "SELECT count(*) FROM app_user WHERE name = ?",
			 name),
		1);
	client_free(ra);

	struct client *c = client_new(srv);
	client_sign_in(c, email, DEMO_PW);
	r = client_get(c, "/staff");
	assert_status(r, 200);
	size_t n = strlen(name) + 32;
	char *line = xmalloc(n);
	snprintf(line, n, "Signed in as %s (", name);
	assert_true(reply_has(r, line));
	free(line);
	assert_true(reply_has(r, "action=\"/logout\""));
	assert_true(reply_has(r, ">Sign out</button>"));
	/* And it works. */
	assert_redirect(client_post(c, "/logout", NULL), "/");
	assert_redirect(client_get(c, "/staff"), "/login?next=%2Fstaff");
	free(name);
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
		cmocka_unit_test(test_lock_ends_other_half_sessions),
		cmocka_unit_test(test_code_used_once_across_sessions),
		cmocka_unit_test(test_code_used_once_when_racing),
		cmocka_unit_test(test_enrolment_secret_not_shared),
		cmocka_unit_test(test_locked_answers_like_wrong_password),
		cmocka_unit_test(test_throttled_address_stays_429),
		cmocka_unit_test(test_wrong_current_password_locks),
		cmocka_unit_test(test_affiliate_admin_reach),
		cmocka_unit_test(test_save_keeps_archived_org),
		cmocka_unit_test(test_search_length_in_characters),
		cmocka_unit_test(test_long_thai_name_signs_in),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("regressions", tests, setup,
					   teardown);
}
