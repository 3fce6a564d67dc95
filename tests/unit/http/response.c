/* Tests for src/http/response.c: headers, cookies, redirects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "http/request.h"
#include "http/response.h"

struct fixture {
	struct arena *a;
	struct http_response resp;
};

static int
setup_http(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->a = arena_new();
	http_response_init(&f->resp, f->a, false, 1024);
	*state = f;
	return 0;
}

static int
setup_https(void **state)
{
	setup_http(state);
	struct fixture *f = *state;
	f->resp.https = true;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	http_response_release(&f->resp);
	arena_free(f->a);
	free(f);
	return 0;
}

static void
test_defaults(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(f->resp.status, 200);
	assert_true(f->resp.no_store);
	assert_true(f->resp.compress);
	assert_string_equal(f->resp.content_type, "text/html; charset=utf-8");
	assert_int_equal(f->resp.body.len, 0);
}

static void
test_headers(void **state)
{
	struct http_response *r = &((struct fixture *)*state)->resp;
	assert_int_equal(http_response_header(r, "X-A", "1"), ERR_OK);
	assert_int_equal(http_response_header(r, "Allow", "GET, HEAD"), ERR_OK);
	assert_string_equal(http_response_get_header(r, "x-a"), "1");
	/* header injection */
	assert_int_equal(http_response_header(r, "X-B", "a\r\nSet-Cookie: x=1"),
			 ERR_INVALID);
	assert_int_equal(http_response_header(r, "X-B", "a\nb"), ERR_INVALID);
	assert_int_equal(http_response_header(r, "X-B", "a\rb"), ERR_INVALID);
	assert_int_equal(http_response_header(r, "X-B", "a\x01"), ERR_INVALID);
	assert_int_equal(http_response_header(r, "X-B\r\nX-C", "1"),
			 ERR_INVALID);
	assert_int_equal(http_response_header(r, "X B", "1"), ERR_INVALID);
	assert_int_equal(http_response_header(r, "", "1"), ERR_INVALID);
	assert_int_equal(http_response_header(r, "X-B", NULL), ERR_INVALID);
	/* the server's own */
	assert_int_equal(http_response_header(r, "content-security-policy",
					      "default-src *"),
			 ERR_INVALID);
	assert_int_equal(http_response_header(r, "Set-Cookie", "a=1"),
			 ERR_INVALID);
	assert_null(http_response_get_header(r, "X-B"));
	assert_int_equal(r->nheaders, 2);
	/* tab and UTF-8 are fine */
	assert_int_equal(http_response_header(r, "X-T", "a\tb \xc3\xa9"),
			 ERR_OK);
}

static void
test_cookie_http(void **state)
{
	struct http_response *r = &((struct fixture *)*state)->resp;
	struct http_cookie_opts o = {.name = "sid",
				     .value = "abc123",
				     .max_age = -1,
				     .http_only = true,
				     .same_site = "Lax"};
	assert_int_equal(http_set_cookie(r, &o), ERR_OK);
	assert_string_equal(http_response_get_header(r, "Set-Cookie"),
			    "sid=abc123; Path=/; HttpOnly; SameSite=Lax");
	char name[64];
	assert_int_equal(http_cookie_name(false, "sid", name, sizeof name),
			 ERR_OK);
	assert_string_equal(name, "sid");
	assert_int_equal(http_cookie_name(false, "sid", name, 3), ERR_TOOBIG);
}

static void
test_cookie_https(void **state)
{
	struct http_response *r = &((struct fixture *)*state)->resp;
	struct http_cookie_opts o = {.name = "sid",
				     .value = "abc",
				     .max_age = 3600,
				     .http_only = true,
				     .same_site = "Strict"};
	assert_int_equal(http_set_cookie(r, &o), ERR_OK);
	assert_string_equal(http_response_get_header(r, "Set-Cookie"),
			    "__Host-sid=abc; Path=/; Max-Age=3600; Secure; "
			    "HttpOnly; SameSite=Strict");
	assert_null(strstr(r->headers[0].value, "Domain"));
	char name[64];
	assert_int_equal(http_cookie_name(true, "sid", name, sizeof name),
			 ERR_OK);
	assert_string_equal(name, "__Host-sid");

	/* delete */
	o = (struct http_cookie_opts){
		.name = "lang", .value = "th", .max_age = 0};
	assert_int_equal(http_set_cookie(r, &o), ERR_OK);
	assert_int_equal(r->nheaders, 2);
	assert_string_equal(r->headers[1].value,
			    "__Host-lang=; Path=/; Max-Age=0; Expires=Thu, 01 "
			    "Jan 1970 00:00:00 GMT; Secure; SameSite=Lax");

	/* the reader finds what the writer set */
	struct http_param c[] = {{"sid", "wrong", 5}, {"__Host-sid", "ok", 2}};
	struct http_request req = {.cookies = c, .ncookies = 2, .https = true};
	assert_string_equal(http_cookie_site(&req, "sid"), "ok");
	req.https = false;
	assert_string_equal(http_cookie_site(&req, "sid"), "wrong");
}

static void
test_cookie_bad(void **state)
{
	struct http_response *r = &((struct fixture *)*state)->resp;
	struct http_cookie_opts o = {
		.name = "sid", .value = "a;b", .max_age = -1};
	assert_int_equal(http_set_cookie(r, &o), ERR_INVALID);
	o.value = "a b";
	assert_int_equal(http_set_cookie(r, &o), ERR_INVALID);
	o.value = "a\r\nb";
	assert_int_equal(http_set_cookie(r, &o), ERR_INVALID);
	o.value = "ok";
	o.name = "s=id";
	assert_int_equal(http_set_cookie(r, &o), ERR_INVALID);
	o.name = "sid";
	o.same_site = "None";
	assert_int_equal(http_set_cookie(r, &o), ERR_INVALID);
	o.same_site = NULL;
	o.max_age = -2;
	assert_int_equal(http_set_cookie(r, &o), ERR_INVALID);
	assert_int_equal(r->nheaders, 0);
}

static void
test_redirect(void **state)
{
	struct http_response *r = &((struct fixture *)*state)->resp;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"/cases/1?x=2", "/cases/1?x=2"},
		{"/", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"cases", "/"},
		{"", "/"},
		{NULL, "/"},
		{"/a\r\nSet-Cookie: x=1", "/"},
		{"/a\\b", "/"},
		{"/a b", "/"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_puts(&r->body, "old");
		assert_int_equal(http_redirect(r, cases[i].in), 303);
		assert_int_equal(r->status, 303);
		assert_int_equal(r->body.len, 0);
		assert_string_equal(http_response_get_header(r, "Location"),
				    cases[i].out);
		/* one Location only, however often it is called */
		assert_int_equal(r->nheaders, 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup_http,
						teardown),
		cmocka_unit_test_setup_teardown(test_headers, setup_http,
						teardown),
		cmocka_unit_test_setup_teardown(test_cookie_http, setup_http,
						teardown),
		cmocka_unit_test_setup_teardown(test_cookie_https, setup_https,
						teardown),
		cmocka_unit_test_setup_teardown(test_cookie_bad, setup_https,
						teardown),
		cmocka_unit_test_setup_teardown(test_redirect, setup_http,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
