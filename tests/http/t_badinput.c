/*
 * What the server does with requests it cannot serve: unknown pages,
 * wrong methods, bodies over the limit, malformed forms and cookies,
 * text that is not UTF-8, fields over their length, a failing database.
 * After all of it, it still answers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "http/harness.h"

#define MAX_BODY 4096

static struct site *site;
static struct server *srv;

static int
setup(void **state)
{
	(void)state;
	site = site_new(true);
	const char *env[] = {"ATIS_MAX_BODY=4096", NULL};
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

/* The request id an error page shows (16 hex digits), checked against
 * the server's log line for it. */
static void
assert_request_id_logged(struct reply *r, long status)
{
	const char *id = reply_between(r, "<code>", "</code>");
	assert_non_null(id);
	assert_int_equal(strlen(id), 16);
	for (const char *p = id; *p; p++)
		assert_non_null(strchr("0123456789abcdef", *p));
	char line[64];
	snprintf(line, sizeof line, "[req=%s]", id);
	char *log = server_log(srv);
	const char *at = strstr(log, line);
	assert_non_null(at);
	char code[8];
	snprintf(code, sizeof code, " %ld ", status);
	const char *eol = strchr(at, '\n');
	const char *st = strstr(at, code);
	assert_true(st != NULL && (eol == NULL || st < eol));
	free(log);
}

static void
test_not_found(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/no/such/page");
	assert_status(r, 404);
	assert_string_equal(reply_header(r, "Content-Type"),
			    "text/html; charset=utf-8");
	assert_true(reply_has(r, "<html lang=\"en\">"));
	assert_true(reply_has(r, "Page not found"));
	assert_request_id_logged(r, 404);

	/* In the visitor's language. */
	client_add_header(c, "Accept-Language: vi");
	r = client_get(c, "/no/such/page");
	assert_status(r, 404);
	assert_true(reply_has(r, "<html lang=\"vi\">"));
	assert_false(reply_has(r, "Page not found"));
	assert_request_id_logged(r, 404);
	/* Chosen with the switcher, it holds for error pages too. */
	assert_status(client_get(c, "/lang?to=th&next=/"), 303);
	r = client_get(c, "/static/nothing.css");
	assert_status(r, 404);
	assert_true(reply_has(r, "<html lang=\"th\">"));
	client_free(c);
}

static void
test_method_not_allowed(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path, *allow;
	} cases[] = {
		{"DELETE", "/", "GET, HEAD"},
		{"PUT", "/", "GET, HEAD"},
		{"POST", "/staff", "GET, HEAD"},
		{"POST", "/healthz", "GET, HEAD"},
		{"DELETE", "/login", "GET, HEAD, POST"},
		{"GET", "/logout", "POST"},
		{"PATCH", "/admin/orgs/1", "GET, HEAD"},
	};
	struct client *c = client_new(srv);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reply *r = client_request(
			c, cases[i].method, cases[i].path, NULL,
			strcmp(cases[i].method, "POST") == 0 ? "a=b" : NULL,
			(size_t)-1);
		if (r->status != 405)
			print_error("%s %s\n", cases[i].method, cases[i].path);
		assert_status(r, 405);
		assert_string_equal(reply_header(r, "Allow"), cases[i].allow);
		assert_true(reply_has(r, "This page cannot be used this way."));
	}
	client_free(c);
}

static void
test_body_too_big(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	char *body = malloc(3 * MAX_BODY);
	memset(body, 'a', 3 * MAX_BODY);
	memcpy(body, "email=", 6);
	struct reply *r =
		client_request(c, "POST", "/login", NULL, body, 3 * MAX_BODY);
	assert_status(r, 413);
	assert_true(reply_has(r, "Too much was sent"));
	/* Without a Content-Length: found out while reading. */
	struct client *d = client_new(srv);
	const char *chunked[] = {"Transfer-Encoding: chunked", NULL};
	r = client_request(d, "POST", "/login", chunked, body, 3 * MAX_BODY);
	assert_status(r, 413);
	client_free(d);
	/* Just under the limit is read (and refused for its missing token). */
	r = client_request(c, "POST", "/login", NULL, body, MAX_BODY - 10);
	assert_status(r, 403);
	free(body);
	assert_status(client_get(c, "/healthz"), 200);
	client_free(c);
}

static void
test_malformed_form(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		"email=%zz&password=x", "email=abc%", "email=%4", "=value",
		"email=a&%=b",
	};
	struct client *c = client_new(srv);
	assert_status(client_get(c, "/login"), 200);
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		char body[256];
		snprintf(body, sizeof body, "csrf=%s&%s", c->csrf, bodies[i]);
		struct reply *r = client_request(c, "POST", "/login", NULL,
						 body, (size_t)-1);
		if (r->status != 400)
			print_error("body: %s\n", bodies[i]);
		assert_status(r, 400);
		assert_true(
			reply_has(r, "Something in this request was wrong"));
	}
	/* The same in a query string or a path. */
	assert_status(client_get(c, "/?lang=%zz"), 400);
	assert_status(client_get(c, "/login?next=%"), 400);
	assert_status(client_get(c, "/stat%zzic/atis.css"), 400);
	client_free(c);
}

static void
test_malformed_cookie(void **state)
{
	(void)state;
	static const char *const cookies[] = {
		"Cookie: atis_lang",        "Cookie: =th",
		"Cookie: atis_lang=\"th",   "Cookie: a b=c",
		"Cookie: atis_lang=t\x01h",
	};
	struct client *c = client_new(srv);
	for (size_t i = 0; i < sizeof cookies / sizeof cookies[0]; i++) {
		const char *h[] = {cookies[i], NULL};
		struct reply *r = client_request(c, "GET", "/", h, NULL, 0);
		if (r->status != 400)
			print_error("%s\n", cookies[i]);
		assert_status(r, 400);
	}
	/* Well-formed ones, unknown or not, are fine. */
	const char *ok[] = {"Cookie: atis_lang=th; other=\"x\";  third=3",
			    NULL};
	struct reply *r = client_request(c, "GET", "/", ok, NULL, 0);
	assert_status(r, 200);
	assert_true(reply_has(r, "<html lang=\"th\">"));
	client_free(c);
}

static void
test_invalid_utf8(void **state)
{
	(void)state;
	static const char *const fields[] = {
		"email=%FF%FE@x.invalid",
		"email=%C3%28",
		"email=%ED%A0%80",
		"email=%C0%AF",
		"email=a%00b",
		"password=%F8%88%80%80%80",
	};
	struct client *c = client_new(srv);
	assert_status(client_get(c, "/login"), 200);
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char body[256];
		snprintf(body, sizeof body, "csrf=%s&password=x&%s", c->csrf,
			 fields[i]);
		struct reply *r = client_request(c, "POST", "/login", NULL,
						 body, (size_t)-1);
		if (r->status != 400)
			print_error("field: %s\n", fields[i]);
		assert_status(r, 400);
	}
	assert_status(client_get(c, "/%FF"), 400);
	assert_status(client_get(c, "/?q=%C3%28"), 400);
	assert_status(client_get(c, "/a%00b"), 400);
	/* Valid UTF-8 goes through (the login then fails normally). */
	struct reply *r =
		client_post(c, "/login", "email", "ท\xc3\xa9st@example.invalid",
			    "password", "whatever-it-is", NULL);
	assert_status(r, 401);
	client_free(c);
}

static void
test_org_name_too_long(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	client_sign_in(c, AA_PH_EMAIL, DEMO_PW);
	assert_status(client_get(c, "/admin/orgs/new"), 200);
	char name[202];
	memset(name, 'n', 201);
	name[201] = '\0';
	struct reply *r = client_post(
		c, "/admin/orgs/new", "name", name, "kind", "cso", "country",
		"PH", "languages", "fil en", "services",
		"Typed services <text>", "contact_email",
		"typed@example.invalid", "contact_phone", "+63 555 0101",
		"address", "Typed address", "website",
		"https://typed.example.org", "referral_partner", "1", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "This is too long. Please shorten it."));
	assert_true(reply_has(r, "aria-invalid=\"true\""));
	/* Everything typed comes back, escaped. */
	assert_string_equal(reply_input(r, "name"), name);
	assert_string_equal(reply_input(r, "languages"), "fil en");
	assert_string_equal(reply_input(r, "contact_email"),
			    "typed@example.invalid");
	assert_string_equal(reply_input(r, "contact_phone"), "+63 555 0101");
	assert_string_equal(reply_input(r, "website"),
			    "https://typed.example.org");
	assert_true(reply_has(r, "Typed services &lt;text&gt;"));
	assert_true(reply_has(r, "Typed address"));
	assert_true(reply_has(r, "<option value=\"cso\" selected>"));
	assert_true(
		reply_has(r, "name=\"referral_partner\" value=\"1\" checked"));
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM organisation WHERE"
				  " name LIKE 'nnn%'",
				  NULL),
			 0);

	/* The limit counts characters, not bytes: 200 Thai ones pass. */
	char thai[200 * 3 + 1];
	for (int i = 0; i < 200; i++)
		memcpy(thai + 3 * i, "\xe0\xb8\x81", 3); /* ก */
	thai[600] = '\0';
	r = client_post(c, "/admin/orgs/new", "name", thai, "kind", "cso",
			"country", "PH", NULL);
	assert_status(r, 303);
	assert_int_equal(
		site_int(site,
			 "SELECT count(*) FROM organisation WHERE name = ?",
			 thai),
		1);
	/* A line break has no place in a name. */
	assert_status(client_get(c, "/admin/orgs/new"), 200);
	r = client_post(c, "/admin/orgs/new", "name", "Two\nlines", "kind",
			"cso", "country", "PH", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please remove line breaks"));
	client_free(c);
}

static void
assert_escaped(struct reply *r)
{
	assert_status(r, 200);
	assert_null(strstr(r->body, "<script>alert"));
	assert_null(strstr(r->body, "<img src=x"));
	assert_null(strstr(r->body, "<svg onload"));
	assert_true(reply_has(r, "&lt;script&gt;alert(&quot;n&quot;)"
				 "&lt;/script&gt; &amp; &#39;Co&#39;"));
}

/* Text from people is shown as text, wherever it is shown. */
static void
test_markup_is_escaped(void **state)
{
	(void)state;
	static const char name[] = "<script>alert(\"n\")</script> & 'Co'";
	static const char services[] = "<img src=x onerror=alert(1)>";
	static const char phone[] = "\"><svg onload=alert(2)>";
	struct client *c = client_new(srv);
	client_sign_in(c, AA_PH_EMAIL, DEMO_PW);
	assert_status(client_get(c, "/admin/orgs/new"), 200);
	struct reply *r =
		client_post(c, "/admin/orgs/new", "name", name, "kind",
			    "affiliate", "country", "PH", "services", services,
			    "contact_phone", phone, NULL);
	assert_status(r, 303);
	char view[64];
	snprintf(view, sizeof view, "%s", reply_header(r, "Location"));
	struct client *anon = client_new(srv);
	assert_escaped(client_get(anon, "/"));
	assert_escaped(client_get(c, "/admin/orgs"));
	r = client_get(c, view);
	assert_escaped(r);
	assert_true(reply_has(r, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_true(reply_has(r, "&quot;&gt;&lt;svg onload=alert(2)&gt;"));

	/* A search is for the text typed, not a pattern. */
	r = client_get(c, "/admin/orgs?q=%25");
	assert_status(r, 200);
	assert_true(reply_has(r, "No organisation matches this search."));
	r = client_get(c, "/admin/orgs?q=_");
	assert_true(reply_has(r, "No organisation matches this search."));
	r = client_get(c, "/admin/orgs?q=%3Cscript");
	assert_true(reply_has(r, "&lt;script&gt;alert"));
	assert_false(reply_has(r, "DEMO Philippine Union Centre"));
	client_free(anon);
	client_free(c);
}

/* The database fails under a request; the server answers 500 and goes
 * on serving once it is back.  On a server of its own, so that what the
 * failure leaves behind (a leak, say) shows as its exit status. */
static void
test_database_error(void **state)
{
	(void)state;
	struct server *s = server_start(site, NULL);
	struct client *c = client_new(s);
	/* A signed-in page: the public home page may come from the page
	 * cache without touching the database. */
	client_sign_in(c, FP_PH_EMAIL, DEMO_PW);
	assert_status(client_get(c, "/staff"), 200);
	site_exec(site, "ALTER TABLE organisation RENAME TO organisation_x");
	struct reply *r = client_get(c, "/staff");
	assert_status(r, 500);
	assert_true(reply_has(r, "Something went wrong on our side"));
	const char *id = reply_between(r, "<code>", "</code>");
	assert_non_null(id);
	char want[64];
	snprintf(want, sizeof want, "[req=%s] GET /staff 500", id);
	char *log = server_log(s);
	assert_non_null(strstr(log, want));
	free(log);
	assert_status(client_get(c, "/healthz"), 200);
	site_exec(site, "ALTER TABLE organisation_x RENAME TO organisation");
	r = client_get(c, "/staff");
	assert_status(r, 200);
	r = client_get(c, "/");
	assert_status(r, 200);
	assert_true(reply_has(r, "DEMO Philippine Union Centre"));
	client_free(c);
	assert_int_equal(server_stop(s), 0);
}

static void
test_still_serving(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/healthz");
	assert_status(r, 200);
	assert_string_equal(r->body, "ok\n");
	assert_status(client_get(c, "/"), 200);
	client_sign_in(c, FP_PH_EMAIL, DEMO_PW);
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
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_body_too_big),
		cmocka_unit_test(test_malformed_form),
		cmocka_unit_test(test_malformed_cookie),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_org_name_too_long),
		cmocka_unit_test(test_markup_is_escaped),
		cmocka_unit_test(test_database_error),
		cmocka_unit_test(test_still_serving),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("bad input", tests, setup, teardown);
}
