/*
 * The public pages over HTTP: language choice, security headers,
 * compression, static files and their caching.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "http/harness.h"

static struct site *site;
static struct server *srv;

static int
setup(void **state)
{
	(void)state;
	site = site_new(true);
	srv = server_start(site, NULL);
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

static const char EN_TITLE[] = "<h1>Help for migrant workers</h1>";

static void
assert_lang(struct reply *r, const char *tag)
{
	char want[64];
	snprintf(want, sizeof want, "<html lang=\"%s\">", tag);
	if (!reply_has(r, want))
		print_error("expected %s in:\n%.600s\n", want, r->body);
	assert_true(reply_has(r, want));
}

static void
test_home_in_english_by_default(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/");
	assert_status(r, 200);
	assert_string_equal(reply_header(r, "Content-Type"),
			    "text/html; charset=utf-8");
	assert_lang(r, "en");
	assert_true(reply_has(r, EN_TITLE));
	/* The directory of unions is on it, demo data marked as such. */
	assert_true(reply_has(r, "DEMO Philippine Union Centre"));
	assert_true(reply_has(r, "This site holds demo data"));
	/* HEAD: the same headers, no body. */
	r = client_request(c, "HEAD", "/", NULL, NULL, 0);
	assert_status(r, 200);
	assert_int_equal(r->len, 0);
	client_free(c);
}

static void
test_accept_language(void **state)
{
	(void)state;
	static const struct {
		const char *header, *lang;
	} cases[] = {
		{"Accept-Language: th", "th"},
		{"Accept-Language: th-TH,th;q=0.9,en;q=0.8", "th"},
		{"Accept-Language: fr, vi;q=0.5, en;q=0.4", "vi"},
		{"Accept-Language: en;q=0.3, km;q=0.7", "km"},
		{"Accept-Language: tl", "fil"}, /* Tagalog → Filipino */
		{"Accept-Language: fr, de", "en"},
		{"Accept-Language: ;;;,,q=", "en"},
	};
	struct client *c = client_new(srv);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *h[] = {cases[i].header, NULL};
		struct reply *r = client_request(c, "GET", "/", h, NULL, 0);
		assert_status(r, 200);
		assert_lang(r, cases[i].lang);
	}
	client_free(c);
}

static void
test_language_switcher(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	client_add_header(c, "Accept-Language: th");
	struct reply *r = client_get(c, "/lang?to=km&next=/");
	assert_redirect(r, "/");
	const char *set = reply_set_cookie(r, "atis_lang");
	assert_non_null(set);
	assert_non_null(strstr(set, "atis_lang=km"));
	assert_non_null(strstr(set, "Max-Age="));
	/* Remembered: it wins over Accept-Language. */
	assert_lang(client_get(c, "/"), "km");
	assert_lang(client_get(c, "/login"), "km");

	/* An unknown language changes nothing. */
	r = client_get(c, "/lang?to=xx&next=/login");
	assert_redirect(r, "/login");
	assert_null(reply_set_cookie(r, "atis_lang"));
	assert_lang(client_get(c, "/"), "km");

	/* A new visitor with an unknown language gets the default. */
	struct client *d = client_new(srv);
	assert_redirect(client_get(d, "/lang?to=klingon&next=/"), "/");
	assert_lang(client_get(d, "/"), "en");
	client_free(d);
	client_free(c);
}

/* `next` never leads off the site. */
static void
test_language_switcher_stays_on_site(void **state)
{
	(void)state;
	static const char *const nexts[] = {
		"//evil.example/",     "https://evil.example/",
		"/%5Cevil.example",    "%2F%2Fevil.example",
		"/%09/evil.example",   "/%0D%0ALocation:%20http://evil",
		"javascript:alert(1)",
	};
	struct client *c = client_new(srv);
	for (size_t i = 0; i < sizeof nexts / sizeof nexts[0]; i++) {
		char path[256];
		snprintf(path, sizeof path, "/lang?to=vi&next=%s", nexts[i]);
		struct reply *r = client_get(c, path);
		assert_status(r, 303);
		const char *loc = reply_header(r, "Location");
		assert_non_null(loc);
		/* What a browser makes of it: tabs and newlines dropped. */
		char seen[256];
		size_t n = 0;
		for (const char *p = loc; *p && n + 1 < sizeof seen; p++)
			if (*p != '\t' && *p != '\n' && *p != '\r')
				seen[n++] = *p;
		seen[n] = '\0';
		if (seen[0] != '/' || seen[1] == '/' || seen[1] == '\\')
			print_error("next=%s gave Location \"%s\"\n", nexts[i],
				    loc);
		assert_true(seen[0] == '/');
		assert_true(seen[1] != '/' && seen[1] != '\\');
	}
	client_free(c);
}

static void
assert_security_headers(struct reply *r)
{
	const char *csp = reply_header(r, "Content-Security-Policy");
	assert_non_null(csp);
	assert_null(strstr(csp, "unsafe-inline"));
	assert_null(strstr(csp, "unsafe-eval"));
	assert_non_null(strstr(csp, "frame-ancestors 'none'"));
	assert_non_null(strstr(csp, "default-src 'self'"));
	assert_string_equal(reply_header(r, "X-Content-Type-Options"),
			    "nosniff");
	assert_string_equal(reply_header(r, "Referrer-Policy"), "no-referrer");
	assert_non_null(reply_header(r, "X-Frame-Options"));
}

static void
test_security_headers_everywhere(void **state)
{
	(void)state;
	static const struct {
		const char *method, *path;
		long status;
	} cases[] = {
		{"GET", "/", 200},
		{"GET", "/login", 200},
		{"GET", "/healthz", 200},
		{"GET", "/static/atis.css", 200},
		{"GET", "/lang?to=th&next=/", 303},
		{"GET", "/staff", 303},
		{"GET", "/no/such/page", 404},
		{"DELETE", "/", 405},
		{"POST", "/login", 403}, /* no CSRF token */
		{"GET", "/?x=%zz", 400},
	};
	struct client *c = client_new(srv);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reply *r = client_request(
			c, cases[i].method, cases[i].path, NULL,
			strcmp(cases[i].method, "POST") == 0 ? "a=b" : NULL,
			(size_t)-1);
		assert_status(r, cases[i].status);
		assert_security_headers(r);
	}
	client_free(c);
}

/* gunzips `in` into a new string (caller frees). */
static char *
gunzip(const char *in, size_t n, size_t *OUT_len)
{
	size_t cap = 1 << 20;
	char *out = malloc(cap + 1);
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	*OUT_len = zs.total_out;
	out[zs.total_out] = '\0';
	inflateEnd(&zs);
	return out;
}

static void
test_gzip(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/");
	assert_status(r, 200);
	assert_null(reply_header(r, "Content-Encoding"));
	size_t plain_len = r->len;
	char *plain = strdup(r->body);

	const char *gz[] = {"Accept-Encoding: gzip, deflate", NULL};
	r = client_request(c, "GET", "/", gz, NULL, 0);
	assert_status(r, 200);
	assert_string_equal(reply_header(r, "Content-Encoding"), "gzip");
	assert_non_null(strstr(reply_header(r, "Vary"), "Accept-Encoding"));
	assert_true(r->len < plain_len);
	assert_true(r->len > 2 && (unsigned char)r->body[0] == 0x1f &&
		    (unsigned char)r->body[1] == 0x8b);
	size_t n;
	char *unz = gunzip(r->body, r->len, &n);
	assert_int_equal(n, plain_len);
	assert_string_equal(unz, plain);
	free(unz);

	/* Refused with q=0: sent as it is. */
	const char *no[] = {"Accept-Encoding: gzip;q=0, identity", NULL};
	r = client_request(c, "GET", "/", no, NULL, 0);
	assert_null(reply_header(r, "Content-Encoding"));
	assert_int_equal(r->len, plain_len);

	/* The stylesheet too. */
	r = client_request(c, "GET", "/static/atis.css", gz, NULL, 0);
	assert_status(r, 200);
	assert_string_equal(reply_header(r, "Content-Encoding"), "gzip");
	free(plain);
	client_free(c);
}

static void
test_static_etag(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/static/atis.css");
	assert_status(r, 200);
	assert_string_equal(reply_header(r, "Content-Type"),
			    "text/css; charset=utf-8");
	assert_true(r->len > 0);
	assert_non_null(strstr(reply_header(r, "Cache-Control"), "max-age="));
	const char *etag = reply_header(r, "ETag");
	assert_non_null(etag);
	assert_true(etag[0] == '"' || strncmp(etag, "W/\"", 3) == 0);
	char inm[160], weak[170];
	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	snprintf(weak, sizeof weak, "If-None-Match: \"other\", W/%s", etag);

	const char *h1[] = {inm, NULL};
	r = client_request(c, "GET", "/static/atis.css", h1, NULL, 0);
	assert_status(r, 304);
	assert_int_equal(r->len, 0);
	assert_non_null(reply_header(r, "ETag"));
	const char *h2[] = {weak, NULL};
	r = client_request(c, "GET", "/static/atis.css", h2, NULL, 0);
	assert_status(r, 304);
	const char *h3[] = {"If-None-Match: \"not-it\"", NULL};
	r = client_request(c, "GET", "/static/atis.css", h3, NULL, 0);
	assert_status(r, 200);
	assert_true(r->len > 0);

	/* Only static/ is served from there. */
	assert_status(client_get(c, "/static/nope.css"), 404);
	assert_status(client_get(c, "/static/../templates/layout.mustache"),
		      404);
	assert_status(client_get(c, "/static/%2e%2e/templates/layout.mustache"),
		      404);
	client_free(c);
}

static void
test_health(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/healthz");
	assert_status(r, 200);
	assert_string_equal(r->body, "ok\n");
	client_free(c);
}

/* The text of the home page's <h1>, in the arena of the reply. */
static const char *
title_of(struct reply *r)
{
	return reply_between(r, "<h1>", "</h1>");
}

static void
test_every_language(void **state)
{
	(void)state;
	static const char *const tags[] = {"en", "fil", "id", "ms", "th", "vi",
					   "km", "my",  "lo", "ne", "bn"};
	struct client *c = client_new(srv);
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		char cookie[64];
		snprintf(cookie, sizeof cookie, "/lang?to=%s&next=/", tags[i]);
		assert_redirect(client_get(c, cookie), "/");
		struct reply *r = client_get(c, "/");
		assert_status(r, 200);
		assert_lang(r, tags[i]);
		const char *title = title_of(r);
		assert_non_null(title);
		bool english = strcmp(title, "Help for migrant workers") == 0;
		if (english != (i == 0))
			print_error("%s: the home page's title is \"%s\"\n",
				    tags[i], title);
		assert_int_equal(english, i == 0);
		/* The same through Accept-Language on a new visitor. */
		struct client *d = client_new(srv);
		char al[64];
		snprintf(al, sizeof al, "Accept-Language: %s", tags[i]);
		const char *h[] = {al, NULL};
		r = client_request(d, "GET", "/login", h, NULL, 0);
		assert_status(r, 200);
		assert_lang(r, tags[i]);
		client_free(d);
	}
	client_free(c);
}

/* Behind HTTPS: __Host- cookies, Secure, HSTS; a plain-named cookie
 * (which any subdomain could plant) is not read. */
static void
test_https_deployment(void **state)
{
	(void)state;
	const char *env[] = {"ATIS_PUBLIC_URL=https://atis.example.org", NULL};
	struct server *s = server_start(site, env);
	struct client *c = client_new(s);
	struct reply *r = client_get(c, "/login");
	assert_status(r, 200);
	assert_non_null(reply_header(r, "Strict-Transport-Security"));
	const char *set = reply_set_cookie(r, "__Host-atis_csrf");
	assert_non_null(set);
	assert_non_null(strstr(set, "; Path=/"));
	assert_non_null(strstr(set, "; Secure"));
	assert_null(strstr(set, "Domain="));
	assert_null(reply_set_cookie(r, "atis_csrf"));
	set = reply_set_cookie(client_get(c, "/lang?to=th&next=/"),
			       "__Host-atis_lang");
	assert_non_null(set);
	assert_non_null(strstr(set, "; Secure"));

	client_clear_cookies(c);
	const char *planted[] = {"Cookie: atis_lang=km", NULL};
	assert_lang(client_request(c, "GET", "/", planted, NULL, 0), "en");
	const char *proper[] = {"Cookie: __Host-atis_lang=km", NULL};
	assert_lang(client_request(c, "GET", "/", proper, NULL, 0), "km");
	client_free(c);
	assert_int_equal(server_stop(s), 0);
}

static void
test_server_stops_cleanly(void **state)
{
	(void)state;
	int rc = server_stop(srv);
	srv = NULL;
	assert_int_equal(rc, 0);
}

/* The home page is cached for visitors, but a change in the directory
 * shows within the cache's lifetime (one second). */
static void
test_home_cache_refreshes(void **state)
{
	(void)state;
	struct client *c = client_new(srv);
	struct reply *r = client_get(c, "/");
	assert_status(r, 200);
	assert_false(reply_has(r, "Newly Added Union Centre"));
	site_exec(
		site,
		"INSERT INTO organisation (name, kind, country, created_at,"
		" updated_at) VALUES ('Newly Added Union Centre', 'affiliate',"
		" 'BN', 0, 0)");
	usleep(1200 * 1000);
	r = client_get(c, "/");
	assert_status(r, 200);
	assert_true(reply_has(r, "Newly Added Union Centre"));
	site_exec(site, "DELETE FROM organisation WHERE name ="
			" 'Newly Added Union Centre'");
	client_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_home_in_english_by_default),
		cmocka_unit_test(test_accept_language),
		cmocka_unit_test(test_language_switcher),
		cmocka_unit_test(test_language_switcher_stays_on_site),
		cmocka_unit_test(test_security_headers_everywhere),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_static_etag),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_home_cache_refreshes),
		cmocka_unit_test(test_every_language),
		cmocka_unit_test(test_https_deployment),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("public pages", tests, setup,
					   teardown);
}
