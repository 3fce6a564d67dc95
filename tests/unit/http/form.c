/* Tests for src/http/form.c: url-encoded, query, cookies, multipart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "http/form.h"

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

#define S(lit) lit, sizeof(lit) - 1

static void
test_url_decode(void **state)
{
	struct arena *a = *state;
	char *out;
	size_t n;
	assert_int_equal(
		form_url_decode(a, S("a%20b+c%2B%e2%82%AC"), true, &out, &n),
		ERR_OK);
	assert_string_equal(out, "a b c+\xe2\x82\xac");
	assert_int_equal(n, 9);
	assert_int_equal(form_url_decode(a, S("a+b"), false, &out, &n), ERR_OK);
	assert_string_equal(out, "a+b");
	assert_int_equal(form_url_decode(a, S("%"), true, &out, &n),
			 ERR_INVALID);
	assert_int_equal(form_url_decode(a, S("%4"), true, &out, &n),
			 ERR_INVALID);
	assert_int_equal(form_url_decode(a, S("%zz"), true, &out, &n),
			 ERR_INVALID);
	assert_int_equal(form_url_decode(a, S("ab%4g"), true, &out, &n),
			 ERR_INVALID);
}

static void
test_urlencoded(void **state)
{
	struct arena *a = *state;
	struct http_param *p;
	size_t n;
	assert_int_equal(form_parse_urlencoded(a, S("a=1&b=x+y&&c&d=%C3%A9"),
					       NULL, &p, &n),
			 ERR_OK);
	assert_int_equal(n, 4);
	assert_string_equal(p[0].name, "a");
	assert_string_equal(p[0].value, "1");
	assert_string_equal(p[1].value, "x y");
	assert_string_equal(p[2].name, "c");
	assert_string_equal(p[2].value, "");
	assert_int_equal(p[2].len, 0);
	assert_string_equal(p[3].value, "\xc3\xa9");
	assert_int_equal(p[3].len, 2);

	assert_int_equal(form_parse_urlencoded(a, S(""), NULL, &p, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(form_parse_query(a, S("?q=x"), NULL, &p, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_string_equal(p[0].name, "q");
}

static void
test_urlencoded_bad(void **state)
{
	struct arena *a = *state;
	struct http_param *p = NULL;
	size_t n = 99;
	/* bad escapes, empty name, invalid UTF-8, overlong, NUL */
	assert_int_equal(form_parse_urlencoded(a, S("a=%G1"), NULL, &p, &n),
			 ERR_INVALID);
	assert_int_equal(form_parse_urlencoded(a, S("a=%"), NULL, &p, &n),
			 ERR_INVALID);
	assert_int_equal(form_parse_urlencoded(a, S("=x"), NULL, &p, &n),
			 ERR_INVALID);
	assert_int_equal(form_parse_urlencoded(a, S("a=%FF"), NULL, &p, &n),
			 ERR_INVALID);
	assert_int_equal(form_parse_urlencoded(a, S("a=%C0%AF"), NULL, &p, &n),
			 ERR_INVALID);
	assert_int_equal(
		form_parse_urlencoded(a, S("a=%ED%A0%80"), NULL, &p, &n),
		ERR_INVALID);
	assert_int_equal(form_parse_urlencoded(a, S("a=x%00y"), NULL, &p, &n),
			 ERR_INVALID);
	assert_int_equal(form_parse_urlencoded(a, S("%FF=1"), NULL, &p, &n),
			 ERR_INVALID);
	/* outputs untouched on error */
	assert_null(p);
	assert_int_equal(n, 99);
}

static void
test_urlencoded_limits(void **state)
{
	struct arena *a = *state;
	struct http_param *p;
	size_t n;
	struct form_limits lim = {.max_fields = 2, .max_field = 4};
	assert_int_equal(form_parse_urlencoded(a, S("a=1&b=2"), &lim, &p, &n),
			 ERR_OK);
	assert_int_equal(
		form_parse_urlencoded(a, S("a=1&b=2&c=3"), &lim, &p, &n),
		ERR_TOOBIG);
	assert_int_equal(form_parse_urlencoded(a, S("a=1234"), &lim, &p, &n),
			 ERR_OK);
	assert_int_equal(form_parse_urlencoded(a, S("a=12345"), &lim, &p, &n),
			 ERR_TOOBIG);
	/* the limit is on decoded bytes */
	assert_int_equal(
		form_parse_urlencoded(a, S("a=%41%41%41%41"), &lim, &p, &n),
		ERR_OK);
	assert_int_equal(form_parse_urlencoded(a, S("abcde=1"), &lim, &p, &n),
			 ERR_TOOBIG);
	/* default limit: 200 fields */
	char big[2000];
	size_t len = 0;
	for (int i = 0; i < 201; i++) {
		memcpy(big + len, "a=1&", 4);
		len += 4;
	}
	assert_int_equal(form_parse_urlencoded(a, big, len, NULL, &p, &n),
			 ERR_TOOBIG);
	assert_int_equal(form_parse_urlencoded(a, big, len - 4, NULL, &p, &n),
			 ERR_OK);
	assert_int_equal(n, 200);
}

static void
test_cookies(void **state)
{
	struct arena *a = *state;
	struct http_param *p;
	size_t n;
	assert_int_equal(form_parse_cookies(a,
					    S("sid=abc; __Host-x=\"q v\" ;"
					      "e=;  lang=th"),
					    NULL, &p, &n),
			 ERR_OK);
	assert_int_equal(n, 4);
	assert_string_equal(p[0].name, "sid");
	assert_string_equal(p[0].value, "abc");
	assert_string_equal(p[1].name, "__Host-x");
	assert_string_equal(p[1].value, "q v");
	assert_string_equal(p[2].name, "e");
	assert_string_equal(p[2].value, "");
	assert_string_equal(p[3].value, "th");
	/* values are not %-decoded */
	assert_int_equal(form_parse_cookies(a, S("a=%41"), NULL, &p, &n),
			 ERR_OK);
	assert_string_equal(p[0].value, "%41");
	assert_int_equal(form_parse_cookies(a, S(""), NULL, &p, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(form_parse_cookies(a, S(" ; ;"), NULL, &p, &n),
			 ERR_OK);
	assert_int_equal(n, 0);
}

static void
test_cookies_bad(void **state)
{
	struct arena *a = *state;
	struct http_param *p;
	size_t n;
	static const char *const bad[] = {
		"novalue",   "=x",   "a b=1",  "a=\"x", "a=x\"y", "a=\x01",
		"a=1; junk", "a(=1", "a=\xff", "a=\"",  "a=\x7f",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(form_parse_cookies(a, bad[i], strlen(bad[i]),
						    NULL, &p, &n),
				 ERR_INVALID);
	/* an embedded NUL is a control character */
	assert_int_equal(form_parse_cookies(a, "a=x\0y", 5, NULL, &p, &n),
			 ERR_INVALID);
	struct form_limits lim = {.max_fields = 1, .max_field = 3};
	assert_int_equal(form_parse_cookies(a, S("a=1; b=2"), &lim, &p, &n),
			 ERR_TOOBIG);
	assert_int_equal(form_parse_cookies(a, S("a=1234"), &lim, &p, &n),
			 ERR_TOOBIG);
}

#define CT "multipart/form-data; boundary=XyZ"

static void
test_boundary(void **state)
{
	struct arena *a = *state;
	const char *b;
	assert_int_equal(form_multipart_boundary(a, CT, &b), ERR_OK);
	assert_string_equal(b, "XyZ");
	assert_int_equal(
		form_multipart_boundary(
			a,
			"Multipart/Form-Data; charset=utf-8; boundary=\"a b\"",
			&b),
		ERR_OK);
	assert_string_equal(b, "a b");
	assert_int_equal(form_multipart_boundary(a, "multipart/form-data", &b),
			 ERR_INVALID);
	assert_int_equal(form_multipart_boundary(a,
						 "multipart/form-data; "
						 "boundary=",
						 &b),
			 ERR_INVALID);
	assert_int_equal(
		form_multipart_boundary(a, "text/plain; boundary=x", &b),
		ERR_INVALID);
	assert_int_equal(form_multipart_boundary(a,
						 "multipart/form-data; "
						 "boundary=\"abc",
						 &b),
			 ERR_INVALID);
	char longb[200];
	int len =
		snprintf(longb, sizeof longb, "multipart/form-data; boundary=");
	memset(longb + len, 'x', 71);
	longb[len + 71] = '\0';
	assert_int_equal(form_multipart_boundary(a, longb, &b), ERR_INVALID);
}

static const char good_body[] =
	"--XyZ\r\n"
	"Content-Disposition: form-data; name=\"title\"\r\n"
	"\r\n"
	"Hello \xe0\xb8\xaa\r\nworld\r\n"
	"--XyZ\r\n"
	"content-disposition: form-data; name=\"photo\"; "
	"filename=\"C:\\\\dir\\\\p\xc3\xa9.png\"\r\n"
	"Content-Type: image/png\r\n"
	"\r\n"
	"\x89PNG\0\xff\r\n-"
	"\r\n--XyZ\r\n"
	"Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
	"Content-Type: application/octet-stream\r\n"
	"\r\n"
	"\r\n--XyZ\r\n"
	"Content-Disposition: form-data; name=\"tick\"\r\n"
	"\r\n"
	"\r\n--XyZ--\r\n"
	"epilogue";

static void
test_multipart(void **state)
{
	struct arena *a = *state;
	struct http_param *f;
	struct http_file *files;
	size_t nf, nfiles;
	assert_int_equal(form_parse_multipart(a, CT, good_body,
					      sizeof good_body - 1, NULL, &f,
					      &nf, &files, &nfiles),
			 ERR_OK);
	assert_int_equal(nf, 2);
	assert_string_equal(f[0].name, "title");
	assert_string_equal(f[0].value, "Hello \xe0\xb8\xaa\r\nworld");
	assert_int_equal(f[0].len, strlen(f[0].value));
	assert_string_equal(f[1].name, "tick");
	assert_string_equal(f[1].value, "");
	assert_int_equal(nfiles, 1);
	assert_string_equal(files[0].field, "photo");
	assert_string_equal(files[0].filename, "p\xc3\xa9.png");
	assert_string_equal(files[0].content_type, "image/png");
	assert_int_equal(files[0].len, 9);
	assert_memory_equal(files[0].data, "\x89PNG\0\xff\r\n-", 9);
}

static enum err
mp(struct arena *a, const char *body, const struct form_limits *lim)
{
	struct http_param *f;
	struct http_file *files;
	size_t nf, nfiles;
	return form_parse_multipart(a, CT, body, strlen(body), lim, &f, &nf,
				    &files, &nfiles);
}

static void
test_multipart_bad(void **state)
{
	struct arena *a = *state;
	static const char *const bad[] = {
		/* no final delimiter */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
		"\r\n--XyZ",
		/* does not start with the delimiter */
		"junk\r\n--XyZ--\r\n",
		"",
		/* no name */
		"--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--",
		/* not form-data */
		"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1"
		"\r\n--XyZ--",
		/* headers never end */
		"--XyZ\r\nContent-Disposition: form-data; "
		"name=\"a\"\r\n--XyZ--",
		/* header line without colon */
		"--XyZ\r\nbogus\r\n\r\n1\r\n--XyZ--",
		/* unterminated quote */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1"
		"\r\n--XyZ--",
		/* invalid UTF-8 in a text field */
		"--XyZ\r\nContent-Disposition: form-data; "
		"name=\"a\"\r\n\r\n\xff"
		"\r\n--XyZ--",
		/* garbage after a delimiter */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1"
		"\r\n--XyZjunk\r\n--XyZ--",
		/* invalid UTF-8 in a file name */
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; "
		"filename=\"\xff\"\r\n\r\n1\r\n--XyZ--",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		enum err rc = mp(a, bad[i], NULL);
		if (rc != ERR_INVALID)
			fail_msg("case %zu gave %d", i, rc);
	}
	/* a NUL inside a text field */
	static const char nul[] = "--XyZ\r\nContent-Disposition: form-data; "
				  "name=\"a\"\r\n\r\nx\0y\r\n--XyZ--";
	struct http_param *f;
	struct http_file *files;
	size_t nf, nfiles;
	assert_int_equal(form_parse_multipart(a, CT, nul, sizeof nul - 1, NULL,
					      &f, &nf, &files, &nfiles),
			 ERR_INVALID);
	/* no boundary in the content type */
	assert_int_equal(form_parse_multipart(a, "multipart/form-data",
					      good_body, sizeof good_body - 1,
					      NULL, &f, &nf, &files, &nfiles),
			 ERR_INVALID);
}

static void
test_multipart_limits(void **state)
{
	struct arena *a = *state;
	struct form_limits lim = {
		.max_fields = 1, .max_field = 5, .max_files = 1};
	const char *ok = "--XyZ\r\nContent-Disposition: form-data; name=\"a\""
			 "\r\n\r\n12345\r\n--XyZ--";
	const char *big = "--XyZ\r\nContent-Disposition: form-data; name=\"a\""
			  "\r\n\r\n123456\r\n--XyZ--";
	const char *two = "--XyZ\r\nContent-Disposition: form-data; name=\"a\""
			  "\r\n\r\n1\r\n--XyZ\r\nContent-Disposition: "
			  "form-data; name=\"b\"\r\n\r\n2\r\n--XyZ--";
	const char *files = "--XyZ\r\nContent-Disposition: form-data; "
			    "name=\"f\"; filename=\"a\"\r\n\r\n123456789\r\n"
			    "--XyZ\r\nContent-Disposition: form-data; "
			    "name=\"g\"; filename=\"b\"\r\n\r\n1\r\n--XyZ--";
	assert_int_equal(mp(a, ok, &lim), ERR_OK);
	assert_int_equal(mp(a, big, &lim), ERR_TOOBIG);
	assert_int_equal(mp(a, two, &lim), ERR_TOOBIG);
	/* file bodies are not held to max_field, but to max_files */
	assert_int_equal(mp(a, files, &lim), ERR_TOOBIG);
	lim.max_files = 2;
	assert_int_equal(mp(a, files, &lim), ERR_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_url_decode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_bad, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_urlencoded_limits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_cookies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookies_bad, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multipart, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_multipart_bad, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_multipart_limits, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
