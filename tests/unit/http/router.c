/* Tests for src/http/router.c: matching, captures, 404, 405 + Allow, HEAD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "http/router.h"

static int h_home(struct http_request *r, struct http_response *s);
static int h_case(struct http_request *r, struct http_response *s);
static int h_post(struct http_request *r, struct http_response *s);

static int
h_home(struct http_request *r, struct http_response *s)
{
	(void)r;
	(void)s;
	return 200;
}

static int
h_case(struct http_request *r, struct http_response *s)
{
	(void)r;
	(void)s;
	return 200;
}

static int
h_post(struct http_request *r, struct http_response *s)
{
	(void)r;
	(void)s;
	return 200;
}

static const struct http_route routes[] = {
	{HTTP_GET, "/", h_home, 0},
	{HTTP_GET, "/cases", h_home, 1},
	{HTTP_POST, "/cases", h_post, 2},
	{HTTP_GET, "/cases/:id", h_case, 3},
	{HTTP_GET, "/cases/:id/files/:file", h_case, 4},
	{HTTP_DELETE, "/cases/:id", h_post, 5},
	{HTTP_PUT, "/only-put", h_post, 6},
	{HTTP_GET, "/static/*", h_home, 7},
	{HTTP_GET, "/a/:b/c/:d/e/:f/g/:h/i/:j", h_home, 8},
};
#define NROUTES (sizeof routes / sizeof *routes)

static int
setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int
teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static int
match(void **state, enum http_method m, const char *path,
      struct http_match *out)
{
	return http_router_match(routes, NROUTES, m, path, *state, out);
}

static void
test_literal(void **state)
{
	struct http_match m;
	assert_int_equal(match(state, HTTP_GET, "/", &m), 200);
	assert_ptr_equal(m.route, &routes[0]);
	assert_int_equal(m.nparams, 0);
	assert_int_equal(match(state, HTTP_GET, "/cases", &m), 200);
	assert_int_equal(m.route->access, 1);
	assert_int_equal(match(state, HTTP_POST, "/cases", &m), 200);
	assert_int_equal(m.route->access, 2);
}

static void
test_captures(void **state)
{
	struct http_match m;
	assert_int_equal(match(state, HTTP_GET, "/cases/42", &m), 200);
	assert_int_equal(m.route->access, 3);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.params[0], "42");
	assert_int_equal(match(state, HTTP_GET, "/cases/7/files/x.png", &m),
			 200);
	assert_int_equal(m.route->access, 4);
	assert_int_equal(m.nparams, 2);
	assert_string_equal(m.params[0], "7");
	assert_string_equal(m.params[1], "x.png");
	assert_int_equal(match(state, HTTP_GET, "/static/css/a.css", &m), 200);
	assert_int_equal(m.nparams, 1);
	assert_string_equal(m.params[0], "css/a.css");
	assert_int_equal(match(state, HTTP_GET, "/static/", &m), 200);
	assert_string_equal(m.params[0], "");
	/* UTF-8 captures pass through */
	assert_int_equal(match(state, HTTP_GET, "/cases/\xe0\xb8\xaa", &m),
			 200);
	assert_string_equal(m.params[0], "\xe0\xb8\xaa");
}

static void
test_not_found(void **state)
{
	struct http_match m;
	static const char *const paths[] = {
		"/nope",
		"/cases/",
		"/cases/1/",
		"/cases/1/files",
		"/static",
		"/casesx",
		"",
		"/cases//files/x",
		"/a/1/c/2/e/3/g/4/i/5",
	};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		if (match(state, HTTP_GET, paths[i], &m) != 404)
			fail_msg("%s did not give 404", paths[i]);
		assert_null(m.route);
	}
}

static void
test_method_not_allowed(void **state)
{
	struct http_match m;
	assert_int_equal(match(state, HTTP_PUT, "/cases", &m), 405);
	assert_null(m.route);
	assert_string_equal(m.allow, "GET, HEAD, POST");
	assert_int_equal(match(state, HTTP_POST, "/cases/9", &m), 405);
	assert_string_equal(m.allow, "GET, HEAD, DELETE");
	assert_int_equal(match(state, HTTP_GET, "/only-put", &m), 405);
	assert_string_equal(m.allow, "PUT");
	assert_int_equal(match(state, HTTP_HEAD, "/only-put", &m), 405);
	assert_int_equal(match(state, HTTP_OTHER, "/", &m), 405);
	assert_string_equal(m.allow, "GET, HEAD");
}

static void
test_head(void **state)
{
	struct http_match m;
	assert_int_equal(match(state, HTTP_HEAD, "/cases/5", &m), 200);
	assert_int_equal(m.route->access, 3);
	assert_string_equal(m.params[0], "5");
	assert_int_equal(match(state, HTTP_DELETE, "/cases/5", &m), 200);
	assert_int_equal(m.route->access, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_literal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_captures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_found, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_method_not_allowed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_head, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
