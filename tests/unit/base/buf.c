/*
 * Tests for src/base/buf.c: growth, the limit (ERR_TOOBIG, the toobig
 * flag, nothing appended), detach, and escaping for HTML and URL
 * arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"

#define S(lit) lit, sizeof(lit) - 1

static void
test_empty(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_non_null(buf_cstr(&b));
	assert_string_equal(buf_cstr(&b), "");
	assert_int_equal(b.len, 0);
	assert_false(b.toobig);
	buf_reset(&b); /* on a buffer that never allocated */
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
	buf_release(&b); /* twice is harmless */
	assert_string_equal(buf_cstr(&b), "");
}

static void
test_append(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "abc"), ERR_OK);
	assert_int_equal(buf_putc(&b, '-'), ERR_OK);
	assert_int_equal(buf_append(&b, "xyz", 2), ERR_OK);
	assert_int_equal(buf_printf(&b, "%d/%s", 42, "q"), ERR_OK);
	assert_int_equal(buf_append(&b, NULL, 0), ERR_OK);
	assert_string_equal(buf_cstr(&b), "abc-xy42/q");
	assert_int_equal(b.len, 10);
	/* Embedded NUL bytes are kept and counted. */
	assert_int_equal(buf_append(&b, "\0z", 2), ERR_OK);
	assert_int_equal(b.len, 12);
	assert_int_equal(b.data[10], '\0');
	assert_int_equal(b.data[11], 'z');
	assert_int_equal(b.data[12], '\0');
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
}

static void
test_growth(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(buf_printf(&b, "%04d", i), ERR_OK);
	assert_int_equal(b.len, 40000);
	assert_true(b.cap > b.len);
	assert_memory_equal(b.data, "000000010002", 12);
	assert_memory_equal(b.data + 39996, "9999", 5); /* with the NUL */
	buf_release(&b);
}

static void
test_limit(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), ERR_OK); /* exactly */
	assert_false(b.toobig);
	assert_int_equal(buf_putc(&b, 'x'), ERR_TOOBIG);
	assert_true(b.toobig);
	assert_int_equal(b.len, 10);
	assert_string_equal(buf_cstr(&b), "0123456789");
	/* Nothing, not even part, is appended past the limit. */
	assert_int_equal(buf_append(&b, "", 0), ERR_OK);
	buf_reset(&b);
	assert_false(b.toobig);
	assert_int_equal(buf_puts(&b, "01234"), ERR_OK);
	assert_int_equal(buf_puts(&b, "567890"), ERR_TOOBIG);
	assert_true(b.toobig);
	assert_string_equal(buf_cstr(&b), "01234");
	assert_int_equal(buf_printf(&b, "%s", "abcdef"), ERR_TOOBIG);
	assert_string_equal(buf_cstr(&b), "01234");
	assert_int_equal(buf_printf(&b, "%s", "abcde"), ERR_OK);
	assert_string_equal(buf_cstr(&b), "01234abcde");
	buf_release(&b);
}

/* A length near SIZE_MAX must not wrap around the limit check. */
static void
test_limit_huge(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 100);
	buf_puts(&b, "ab");
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 1), ERR_TOOBIG);
	assert_true(b.toobig);
	assert_int_equal(b.len, 2);
	assert_int_equal(buf_append(&b, "x", 101), ERR_TOOBIG);
	buf_release(&b);
}

static void
test_detach(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "hello");
	size_t n = 0;
	char *p = buf_detach(&b, &n);
	assert_string_equal(p, "hello");
	assert_int_equal(n, 5);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	free(p);
	/* An empty buffer detaches as "" (never NULL). */
	p = buf_detach(&b, NULL);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
	/* Still usable afterwards. */
	buf_puts(&b, "again");
	assert_string_equal(buf_cstr(&b), "again");
	buf_release(&b);
}

static void
test_html(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_html(&b, S("<a href=\"x\">'Tom' & Jerry</a>")),
			 ERR_OK);
	assert_string_equal(buf_cstr(&b),
			    "&lt;a href=&quot;x&quot;&gt;&#39;Tom&#39; &amp; "
			    "Jerry&lt;/a&gt;");
	buf_reset(&b);
	assert_int_equal(buf_html(&b, S("plain ภาษาไทย text")), ERR_OK);
	assert_string_equal(buf_cstr(&b), "plain ภาษาไทย text");
	buf_reset(&b);
	/* Only `n` bytes are read. */
	assert_int_equal(buf_html(&b, "<b>", 1), ERR_OK);
	assert_string_equal(buf_cstr(&b), "&lt;");
	buf_reset(&b);
	assert_int_equal(buf_html(&b, "", 0), ERR_OK);
	assert_string_equal(buf_cstr(&b), "");
	buf_reset(&b);
	assert_int_equal(buf_html(&b, S("&&")), ERR_OK);
	assert_string_equal(buf_cstr(&b), "&amp;&amp;");
	buf_release(&b);
}

static void
test_html_limit(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	/* "<" becomes 4 bytes: "a&lt;" fits, "a&lt;b&lt;" does not. */
	assert_int_equal(buf_html(&b, S("a<")), ERR_OK);
	assert_string_equal(buf_cstr(&b), "a&lt;");
	assert_int_equal(buf_html(&b, S("b<")), ERR_TOOBIG);
	assert_true(b.toobig);
	assert_true(b.len <= 8);
	buf_release(&b);
}

static void
test_urlarg(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_urlarg(&b, S("a b&c=d/e?f#g+h%é~-_.Z9")), ERR_OK);
	assert_string_equal(buf_cstr(&b),
			    "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25%C3%A9~-_.Z9");
	buf_reset(&b);
	assert_int_equal(buf_urlarg(&b, "\0\n\xff", 3), ERR_OK);
	assert_string_equal(buf_cstr(&b), "%00%0A%FF");
	buf_reset(&b);
	assert_int_equal(buf_urlarg(&b, "", 0), ERR_OK);
	assert_string_equal(buf_cstr(&b), "");
	buf_release(&b);
}

static void
test_urlarg_limit(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 5);
	assert_int_equal(buf_urlarg(&b, S("ab ")), ERR_OK); /* "ab%20" */
	assert_string_equal(buf_cstr(&b), "ab%20");
	assert_int_equal(buf_urlarg(&b, S("c")), ERR_TOOBIG);
	assert_true(b.toobig);
	assert_string_equal(buf_cstr(&b), "ab%20");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_limit_huge),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_html_limit),
		cmocka_unit_test(test_urlarg),
		cmocka_unit_test(test_urlarg_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
