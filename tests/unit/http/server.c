/*
 * Tests for src/http/server.c: a real server on a random port with a tiny
 * route table, driven with libcurl.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/log.h"
#include "http/server.h"
#include "http/static.h"

static atomic_int error_pages;
static atomic_int thread_inits;
static atomic_int thread_releases;
static struct http_static statics;
static int app_marker;

static const char LONG_TEXT[] =
	"Lorem ipsum dolor sit amet, consectetur adipiscing elit. Lorem ipsum "
	"dolor sit amet, consectetur adipiscing elit. Lorem ipsum dolor sit "
	"amet, consectetur adipiscing elit. Lorem ipsum dolor sit amet, "
	"consectetur adipiscing elit. Lorem ipsum dolor sit amet, consectetur "
	"adipiscing elit. Lorem ipsum dolor sit amet.\n";

static const unsigned char CSS[] = "body{color:#000}\n";
static const unsigned char PNG[] = "\x89PNG\r\n\x1a\n";
static const struct http_static_file files[] = {
	{"static/atis.css", CSS, sizeof CSS - 1},
	{"static/logo.png", PNG, sizeof PNG - 1},
	{"templates/secret.mustache", CSS, sizeof CSS - 1},
};

static int
h_home(struct http_request *req, struct http_response *resp)
{
	assert_ptr_equal(req->app, &app_marker);
	buf_puts(&resp->body, "hello");
	return 200;
}

static int
h_big(struct http_request *req, struct http_response *resp)
{
	(void)req;
	resp->content_type = "text/plain; charset=utf-8";
	buf_puts(&resp->body, LONG_TEXT);
	return 200;
}

static int
h_echo(struct http_request *req, struct http_response *resp)
{
	const char *vals[4];
	size_t n = http_form_all(req, "tag", vals, 4);
	const struct http_file *f = http_file(req, "up");
	buf_printf(&resp->body, "name=%s tags=%zu cookie=%s q=%s file=%s:%zu",
		   http_form(req, "name") ? http_form(req, "name") : "-", n,
		   http_cookie(req, "c") ? http_cookie(req, "c") : "-",
		   http_query(req, "q") ? http_query(req, "q") : "-",
		   f ? f->filename : "-", f ? f->len : 0);
	return 200;
}

static int
h_case(struct http_request *req, struct http_response *resp)
{
	buf_printf(&resp->body, "case %s path %s id %zu addr %s",
		   http_param(req, 0), req->path, strlen(req->id),
		   req->remote_addr);
	return 200;
}

static int
h_etag(struct http_request *req, struct http_response *resp)
{
	(void)req;
	resp->etag = "\"v1\"";
	buf_puts(&resp->body, "tagged");
	return 200;
}

static int
h_weird(struct http_request *req, struct http_response *resp)
{
	(void)req;
	buf_puts(&resp->body, "should not be seen");
	return 999;
}

static int
h_gone(struct http_request *req, struct http_response *resp)
{
	(void)req;
	(void)resp;
	return 404;
}

static int
h_static(struct http_request *req, struct http_response *resp)
{
	return http_static_serve(req, resp, &statics, http_param(req, 0));
}

static int
h_cookie(struct http_request *req, struct http_response *resp)
{
	(void)req;
	struct http_cookie_opts o = {.name = "sid",
				     .value = "tok",
				     .max_age = -1,
				     .http_only = true};
	http_set_cookie(resp, &o);
	return http_redirect(resp, "/next");
}

static int
guard(struct http_request *req, struct http_response *resp,
      const struct http_route *route)
{
	(void)req;
	(void)resp;
	return route->access == 1 ? 403 : 0;
}

static void
error_page(struct http_request *req, struct http_response *resp, int status)
{
	(void)req;
	atomic_fetch_add(&error_pages, 1);
	buf_printf(&resp->body, "<p>error %d</p>", status);
}

static void
thread_init(void *app)
{
	assert_ptr_equal(app, &app_marker);
	atomic_fetch_add(&thread_inits, 1);
}

static void
thread_release(void *app)
{
	assert_ptr_equal(app, &app_marker);
	atomic_fetch_add(&thread_releases, 1);
}

static const struct http_route routes[] = {
	{HTTP_GET, "/", h_home, 0},
	{HTTP_GET, "/big", h_big, 0},
	{HTTP_POST, "/echo", h_echo, 0},
	{HTTP_GET, "/echo", h_echo, 0},
	{HTTP_GET, "/cases/:id", h_case, 0},
	{HTTP_GET, "/etag", h_etag, 0},
	{HTTP_GET, "/weird", h_weird, 0},
	{HTTP_GET, "/gone", h_gone, 0},
	{HTTP_GET, "/guarded", h_home, 1},
	{HTTP_GET, "/static/*", h_static, 0},
	{HTTP_POST, "/login", h_cookie, 0},
};

static struct http_server *server;
static char base_url[64];

struct reply {
	long status;
	struct buf body;
	struct buf headers;
};

static size_t
on_body(char *p, size_t size, size_t n, void *ud)
{
	buf_append(ud, p, size * n);
	return size * n;
}

static void
reply_free(struct reply *r)
{
	buf_release(&r->body);
	buf_release(&r->headers);
}

/* The value of response header `name` (first one), copied into `out`. */
static const char *
header_of(const struct reply *r, const char *name, char *out, size_t size)
{
	const char *h = buf_cstr(&r->headers);
	size_t nlen = strlen(name);
	while (*h) {
		const char *eol = strstr(h, "\r\n");
		if (eol == NULL)
			break;
		if (strncasecmp(h, name, nlen) == 0 && h[nlen] == ':') {
			const char *v = h + nlen + 1;
			while (*v == ' ')
				v++;
			snprintf(out, size, "%.*s", (int)(eol - v), v);
			return out;
		}
		h = eol + 2;
	}
	return NULL;
}

/* Performs one request; `hdrs` is a NULL-terminated list or NULL. */
static void
fetch(const char *method, const char *path, const char *const *hdrs,
      const char *body, size_t body_len, struct reply *r)
{
	char url[512];
	snprintf(url, sizeof url, "%s%s", base_url, path);
	buf_init(&r->body, 0);
	buf_init(&r->headers, 0);
	CURL *c = curl_easy_init();
	struct curl_slist *list = NULL;
	for (size_t i = 0; hdrs && hdrs[i]; i++)
		list = curl_slist_append(list, hdrs[i]);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		fail_msg("%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
}

static void
get(const char *path, struct reply *r)
{
	fetch("GET", path, NULL, NULL, 0, r);
}

static int
setup(void **state)
{
	(void)state;
	log_set_level(LOG_WARN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	http_static_init(&statics, files, sizeof files / sizeof *files,
			 "static/");
	struct http_server_config cfg = {
		.port = 0,
		.threads = 2,
		.max_body = 4096,
		.max_field = 100,
		.routes = routes,
		.nroutes = sizeof routes / sizeof *routes,
		.app = &app_marker,
		.guard = guard,
		.error_page = error_page,
		.thread_init = thread_init,
		.thread_release = thread_release,
	};
	if (http_server_start(&cfg, &server) != ERR_OK)
		return -1;
	snprintf(base_url, sizeof base_url, "http://127.0.0.1:%u",
		 http_server_port(server));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	http_server_stop(server);
	/* every worker that was set up was released */
	if (atomic_load(&thread_releases) != atomic_load(&thread_inits)) {
		fprintf(stderr, "thread_init %d, thread_release %d\n",
			atomic_load(&thread_inits),
			atomic_load(&thread_releases));
		return -1;
	}
	http_static_release(&statics);
	curl_global_cleanup();
	return 0;
}

static void
assert_security_headers(const struct reply *r)
{
	char v[512];
	assert_non_null(header_of(r, "Content-Security-Policy", v, sizeof v));
	assert_non_null(strstr(v, "default-src 'self'"));
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	assert_string_equal(header_of(r, "X-Content-Type-Options", v, sizeof v),
			    "nosniff");
	assert_string_equal(header_of(r, "Referrer-Policy", v, sizeof v),
			    "no-referrer");
	assert_string_equal(header_of(r, "X-Frame-Options", v, sizeof v),
			    "DENY");
	assert_non_null(header_of(r, "Permissions-Policy", v, sizeof v));
	assert_null(header_of(r, "Strict-Transport-Security", v, sizeof v));
}

static void
test_ok(void **state)
{
	(void)state;
	struct reply r;
	char v[256];
	get("/", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_cstr(&r.body), "hello");
	assert_string_equal(header_of(&r, "Content-Type", v, sizeof v),
			    "text/html; charset=utf-8");
	assert_string_equal(header_of(&r, "Cache-Control", v, sizeof v),
			    "no-store");
	assert_security_headers(&r);
	reply_free(&r);
	assert_true(atomic_load(&thread_inits) >= 1);

	fetch("HEAD", "/", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	assert_string_equal(header_of(&r, "Content-Length", v, sizeof v), "5");
	reply_free(&r);

	get("/cases/%E0%B8%AA42?x=1", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_cstr(&r.body), "case \xe0\xb8\xaa"
					       "42 path /cases/\xe0\xb8\xaa"
					       "42 id 16 addr 127.0.0.1");
	reply_free(&r);
}

static void
test_not_found_and_method(void **state)
{
	(void)state;
	struct reply r;
	char v[256];
	int before = atomic_load(&error_pages);
	get("/nope", &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(buf_cstr(&r.body), "<p>error 404</p>");
	assert_security_headers(&r);
	reply_free(&r);
	fetch("DELETE", "/", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(header_of(&r, "Allow", v, sizeof v), "GET, HEAD");
	assert_string_equal(buf_cstr(&r.body), "<p>error 405</p>");
	reply_free(&r);
	/* a handler's empty 404 also gets the error page */
	get("/gone", &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(buf_cstr(&r.body), "<p>error 404</p>");
	reply_free(&r);
	/* the guard stops the handler */
	get("/guarded", &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(buf_cstr(&r.body), "<p>error 403</p>");
	reply_free(&r);
	/* an impossible status is a 500, not a crash */
	get("/weird", &r);
	assert_int_equal(r.status, 500);
	assert_string_equal(buf_cstr(&r.body), "<p>error 500</p>");
	reply_free(&r);
	assert_int_equal(atomic_load(&error_pages) - before, 5);
}

static void
test_forms(void **state)
{
	(void)state;
	struct reply r;
	const char *const urlenc[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Cookie: c=v1; other=x", NULL};
	const char body[] = "name=J%C3%B6+D&tag=a&tag=b";
	fetch("POST", "/echo?q=s", urlenc, body, sizeof body - 1, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_cstr(&r.body), "name=J\xc3\xb6 D tags=2 "
					       "cookie=v1 q=s file=-:0");
	reply_free(&r);

	const char *const mp[] = {
		"Content-Type: multipart/form-data; boundary=b0undary", NULL};
	const char mbody[] =
		"--b0undary\r\nContent-Disposition: form-data; name=\"name\""
		"\r\n\r\nAnn\r\n--b0undary\r\nContent-Disposition: form-data; "
		"name=\"up\"; filename=\"e.bin\"\r\nContent-Type: "
		"application/"
		"octet-stream\r\n\r\n\x00\x01\x02\r\n--b0undary--\r\n";
	fetch("POST", "/echo", mp, mbody, sizeof mbody - 1, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_cstr(&r.body), "name=Ann tags=0 cookie=- q=- "
					       "file=e.bin:3");
	reply_free(&r);
}

static void
test_bad_input(void **state)
{
	(void)state;
	struct reply r;
	const char *const badcookie[] = {"Cookie: novalue", NULL};
	fetch("GET", "/", badcookie, NULL, 0, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(buf_cstr(&r.body), "<p>error 400</p>");
	assert_security_headers(&r);
	reply_free(&r);

	const char *const urlenc[] = {
		"Content-Type: application/x-www-form-urlencoded", NULL};
	fetch("POST", "/echo", urlenc, "name=%zz", 8, &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	fetch("POST", "/echo", urlenc, "name=%ff", 8, &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	const char *const mp[] = {"Content-Type: multipart/form-data", NULL};
	fetch("POST", "/echo", mp, "--x--", 5, &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);

	/* a field over max_field (100) */
	char big[300] = "name=";
	memset(big + 5, 'a', 200);
	fetch("POST", "/echo", urlenc, big, 205, &r);
	assert_int_equal(r.status, 413);
	reply_free(&r);

	/* path: bad escape, invalid UTF-8, NUL */
	get("/cases/%zz", &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	get("/cases/%ff", &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	get("/cases/a%00b", &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
	get("/echo?q=%ff", &r);
	assert_int_equal(r.status, 400);
	reply_free(&r);
}

static void
test_too_big(void **state)
{
	(void)state;
	struct reply r;
	size_t n = 20000;
	char *body = malloc(n);
	memset(body, 'a', n);
	memcpy(body, "name=", 5);
	const char *const urlenc[] = {
		"Expect: 100-continue",
		"Content-Type: application/x-www-form-urlencoded", NULL};
	/* Content-Length over the limit: refused before the body is read */
	fetch("POST", "/echo", urlenc, body, n, &r);
	assert_int_equal(r.status, 413);
	assert_security_headers(&r);
	reply_free(&r);
	/* the same without Expect, as browsers send it */
	fetch("POST", "/echo", urlenc + 1, body, n, &r);
	assert_int_equal(r.status, 413);
	reply_free(&r);
	/* chunked: no length up front, caught while reading */
	const char *const chunked[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Transfer-Encoding: chunked", NULL};
	fetch("POST", "/echo", chunked, body, 5000, &r);
	assert_int_equal(r.status, 413);
	reply_free(&r);
	/* just under the limit is fine (the field limit aside) */
	fetch("POST", "/echo", chunked, body, 60, &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	free(body);
	/* the server still works */
	get("/", &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
}

static void
test_gzip(void **state)
{
	(void)state;
	struct reply r;
	char v[256];
	const char *const gz[] = {"Accept-Encoding: gzip, deflate", NULL};
	fetch("GET", "/big", gz, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header_of(&r, "Content-Encoding", v, sizeof v),
			    "gzip");
	assert_string_equal(header_of(&r, "Vary", v, sizeof v),
			    "Accept-Encoding");
	assert_true(r.body.len < sizeof LONG_TEXT - 1);
	unsigned char out[2048];
	z_stream zs = {0};
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)r.body.data;
	zs.avail_in = (unsigned)r.body.len;
	zs.next_out = out;
	zs.avail_out = sizeof out;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, sizeof LONG_TEXT - 1);
	assert_memory_equal(out, LONG_TEXT, sizeof LONG_TEXT - 1);
	inflateEnd(&zs);
	reply_free(&r);

	/* not asked, or refused with q=0: plain */
	get("/big", &r);
	assert_null(header_of(&r, "Content-Encoding", v, sizeof v));
	assert_string_equal(header_of(&r, "Vary", v, sizeof v),
			    "Accept-Encoding");
	assert_string_equal(buf_cstr(&r.body), LONG_TEXT);
	reply_free(&r);
	const char *const q0[] = {"Accept-Encoding: gzip;q=0, br", NULL};
	fetch("GET", "/big", q0, NULL, 0, &r);
	assert_null(header_of(&r, "Content-Encoding", v, sizeof v));
	reply_free(&r);
	/* small bodies are sent as they are */
	fetch("GET", "/", gz, NULL, 0, &r);
	assert_null(header_of(&r, "Content-Encoding", v, sizeof v));
	assert_string_equal(buf_cstr(&r.body), "hello");
	reply_free(&r);
}

static void
test_etag(void **state)
{
	(void)state;
	struct reply r;
	char v[256];
	get("/etag", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header_of(&r, "ETag", v, sizeof v), "\"v1\"");
	reply_free(&r);
	const char *const inm[] = {"If-None-Match: \"x\", W/\"v1\"", NULL};
	fetch("GET", "/etag", inm, NULL, 0, &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body.len, 0);
	assert_security_headers(&r);
	reply_free(&r);
	const char *const other[] = {"If-None-Match: \"v2\"", NULL};
	fetch("GET", "/etag", other, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	reply_free(&r);
}

static void
test_static(void **state)
{
	(void)state;
	struct reply r;
	char v[256];
	char etag[64];
	get("/static/atis.css", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(buf_cstr(&r.body), (const char *)CSS);
	assert_string_equal(header_of(&r, "Content-Type", v, sizeof v),
			    "text/css; charset=utf-8");
	assert_string_equal(header_of(&r, "Cache-Control", v, sizeof v),
			    "public, max-age=31536000, immutable");
	assert_non_null(header_of(&r, "ETag", etag, sizeof etag));
	assert_int_equal(strlen(etag), 18);
	reply_free(&r);
	char hdr[128];
	snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
	const char *const inm[] = {hdr, NULL};
	fetch("GET", "/static/atis.css", inm, NULL, 0, &r);
	assert_int_equal(r.status, 304);
	reply_free(&r);
	get("/static/logo.png", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(header_of(&r, "Content-Type", v, sizeof v),
			    "image/png");
	assert_null(header_of(&r, "Vary", v, sizeof v));
	reply_free(&r);
	/* outside the prefix, or missing */
	get("/static/../templates/secret.mustache", &r);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	get("/static/none.css", &r);
	assert_int_equal(r.status, 404);
	reply_free(&r);
	assert_non_null(http_static_version(&statics, "atis.css"));
	assert_null(http_static_version(&statics, "secret.mustache"));
}

static void
test_cookie_redirect(void **state)
{
	(void)state;
	struct reply r;
	char v[256];
	fetch("POST", "/login", NULL, "", 0, &r);
	assert_int_equal(r.status, 303);
	assert_string_equal(header_of(&r, "Location", v, sizeof v), "/next");
	assert_string_equal(header_of(&r, "Set-Cookie", v, sizeof v),
			    "sid=tok; Path=/; HttpOnly; SameSite=Lax");
	assert_int_equal(r.body.len, 0);
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_etag),
		cmocka_unit_test(test_static),
		cmocka_unit_test(test_cookie_redirect),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
