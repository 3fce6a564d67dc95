/*
 * Tests for src/base/str.c: the bounded number parser, strict UTF-8
 * (overlongs, surrogates, the top of Unicode, truncation), control
 * characters, trim/lower and hex.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/str.h"

#define S(lit) lit, sizeof(lit) - 1

static void
test_eq_starts_empty(void **state)
{
	(void)state;
	assert_true(str_eq("a", "a"));
	assert_false(str_eq("a", "b"));
	assert_false(str_eq("a", "ab"));
	assert_true(str_eq(NULL, NULL));
	assert_false(str_eq(NULL, ""));
	assert_false(str_eq("", NULL));
	assert_true(str_starts("login.ok", "login."));
	assert_true(str_starts("abc", ""));
	assert_false(str_starts("log", "login."));
	assert_true(str_empty(NULL));
	assert_true(str_empty(""));
	assert_false(str_empty(" "));
}

static void
test_i64_ok(void **state)
{
	(void)state;
	int64_t v = -1;
	assert_int_equal(str_to_i64("0", 0, 10, &v), ERR_OK);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_i64("-5", -10, 10, &v), ERR_OK);
	assert_int_equal(v, -5);
	assert_int_equal(str_to_i64("007", 0, 10, &v), ERR_OK);
	assert_int_equal(v, 7);
	/* Bounds are inclusive. */
	assert_int_equal(str_to_i64("10", 1, 10, &v), ERR_OK);
	assert_int_equal(v, 10);
	assert_int_equal(str_to_i64("1", 1, 10, &v), ERR_OK);
	assert_int_equal(v, 1);
	assert_int_equal(
		str_to_i64("9223372036854775807", INT64_MIN, INT64_MAX, &v),
		ERR_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(
		str_to_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v),
		ERR_OK);
	assert_true(v == INT64_MIN);
}

static void
test_i64_bad(void **state)
{
	(void)state;
	static const char *const bad[] =
		{
			"",      " 1",   "1 ",  "\t1", "1\n",   "1x",
			"x1",    "0x10", "1e3", "1.0", "1,000", "--1",
			"-",     "+",    "١", /* Arabic-Indic digit one */
			"12 34",
		};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v;
		if (str_to_i64(bad[i], INT64_MIN, INT64_MAX, &v) != ERR_INVALID)
			fail_msg("\"%s\" was accepted", bad[i]);
	}
	int64_t v = 0;
	assert_int_equal(str_to_i64(NULL, 0, 10, &v), ERR_INVALID);
	/* Out of [min, max]. */
	assert_int_equal(str_to_i64("11", 1, 10, &v), ERR_INVALID);
	assert_int_equal(str_to_i64("0", 1, 10, &v), ERR_INVALID);
	assert_int_equal(str_to_i64("-1", 0, 10, &v), ERR_INVALID);
	/* Beyond int64_t: overflow is refused, not clamped. */
	assert_int_equal(
		str_to_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v),
		ERR_INVALID);
	assert_int_equal(
		str_to_i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v),
		ERR_INVALID);
	assert_int_equal(
		str_to_i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v),
		ERR_INVALID);
}

static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid(S("")));
	assert_true(utf8_valid(S("plain ASCII ~")));
	assert_true(utf8_valid(S("\xc3\xa9")));         /* é U+00E9 */
	assert_true(utf8_valid(S("\xc2\x80")));         /* U+0080 */
	assert_true(utf8_valid(S("\xdf\xbf")));         /* U+07FF */
	assert_true(utf8_valid(S("\xe0\xa0\x80")));     /* U+0800 */
	assert_true(utf8_valid(S("\xe2\x82\xac")));     /* € */
	assert_true(utf8_valid(S("\xed\x9f\xbf")));     /* U+D7FF */
	assert_true(utf8_valid(S("\xee\x80\x80")));     /* U+E000 */
	assert_true(utf8_valid(S("\xef\xbf\xbf")));     /* U+FFFF */
	assert_true(utf8_valid(S("\xf0\x90\x80\x80"))); /* U+10000 */
	assert_true(utf8_valid(S("\xf0\x9f\x98\x80"))); /* 😀 */
	assert_true(utf8_valid(S("\xf4\x8f\xbf\xbf"))); /* U+10FFFF */
	assert_true(utf8_valid(S("ภาษาไทย Tiếng Việt বাংলা")));
	/* A NUL byte inside the range is a valid (if unwelcome) byte. */
	assert_true(utf8_valid("a\0b", 3));
	/* Only `n` bytes are looked at. */
	assert_true(utf8_valid("ab\xff", 2));
}

static void
test_utf8_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		/* overlongs */
		"\xc0\x80",         /* NUL in two bytes */
		"\xc0\xaf",         /* '/' in two bytes */
		"\xc1\xbf",         /* U+007F in two bytes */
		"\xe0\x80\x80",     /* NUL in three */
		"\xe0\x80\xaf",     /* '/' in three */
		"\xe0\x9f\xbf",     /* U+07FF in three */
		"\xf0\x80\x80\x80", /* NUL in four */
		"\xf0\x8f\xbf\xbf", /* U+FFFF in four */
		/* UTF-16 surrogates */
		"\xed\xa0\x80",             /* U+D800 */
		"\xed\xad\xbf",             /* U+DB7F */
		"\xed\xb0\x80",             /* U+DC00 */
		"\xed\xbf\xbf",             /* U+DFFF */
		"\xed\xa0\x80\xed\xb0\x80", /* a CESU-8 pair */
		/* above U+10FFFF */
		"\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80",
		"\xf7\xbf\xbf\xbf",
		"\xf8\x88\x80\x80\x80",
		"\xfc\x84\x80\x80\x80\x80",
		/* bytes that never appear */
		"\xfe",
		"\xff",
		/* lone continuation bytes */
		"\x80",
		"\xbf",
		"a\x80z",
		/* truncated sequences */
		"\xc3",
		"\xe2\x82",
		"\xf0\x9f\x98",
		"abc\xe2",
		/* a non-continuation where one is due */
		"\xc3\x28",
		"\xe2\x28\xa1",
		"\xe2\x82\x28",
		"\xf0\x28\x8c\xbc",
		"\xf0\x90\x28\xbc",
		"\xf0\x9f\x98\x28",
		"\xc3\xc3\xa9",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (utf8_valid(bad[i], strlen(bad[i])))
			fail_msg("bad sequence %zu was accepted", i);
	/* A good prefix cut inside a sequence is refused. */
	assert_false(utf8_valid("\xe2\x82\xac", 2));
}

static void
test_utf8_count(void **state)
{
	(void)state;
	assert_int_equal(utf8_count(S("")), 0);
	assert_int_equal(utf8_count(S("abc")), 3);
	assert_int_equal(utf8_count(S("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")),
			 4);
	assert_int_equal(utf8_count(S("ไทย")), 3);
}

static void
test_control(void **state)
{
	(void)state;
	assert_false(str_has_control(S("")));
	assert_false(str_has_control(S("tab\there\r\nline")));
	assert_false(str_has_control(S("é € ไทย")));
	assert_true(str_has_control(S("a\x01")));
	assert_true(str_has_control(S("esc\x1b[0m")));
	assert_true(str_has_control(S("del\x7f")));
	assert_true(str_has_control(S("\x0b"))); /* vertical tab */
	assert_true(str_has_control(S("\x0c"))); /* form feed */
	assert_true(str_has_control("nul\0here", 8));
}

static void
test_trim(void **state)
{
	(void)state;
	char a[] = "  a b \t\r\n";
	assert_string_equal(str_trim(a), "a b");
	assert_ptr_equal(str_trim(a), a);
	char b[] = " \t\n ";
	assert_string_equal(str_trim(b), "");
	char c[] = "";
	assert_string_equal(str_trim(c), "");
	char d[] = "x";
	assert_string_equal(str_trim(d), "x");
	char e[] = "\n\nlead";
	assert_string_equal(str_trim(e), "lead");
	char f[] = "trail  ";
	assert_string_equal(str_trim(f), "trail");
}

static void
test_lower(void **state)
{
	(void)state;
	char a[] = "Alice@Example.ORG";
	assert_string_equal(str_lower(a), "alice@example.org");
	assert_ptr_equal(str_lower(a), a);
	/* Non-ASCII bytes are left alone. */
	char b[] = "ÉCOLE-Ünï 9[Z]";
	assert_string_equal(str_lower(b), "École-Ünï 9[z]");
	char c[] = "";
	assert_string_equal(str_lower(c), "");
}

static void
test_hex(void **state)
{
	(void)state;
	const unsigned char in[] = {0x00, 0xff, 0x1a, 0x9c, 0x7e};
	char out[11];
	hex_encode(in, sizeof in, out);
	assert_string_equal(out, "00ff1a9c7e");
	hex_encode(in, 0, out);
	assert_string_equal(out, "");

	unsigned char back[5] = {0};
	assert_int_equal(hex_decode("00ff1a9c7e", back, 5), ERR_OK);
	assert_memory_equal(back, in, 5);
	assert_int_equal(hex_decode("00FF1A9C7E", back, 5), ERR_OK);
	assert_memory_equal(back, in, 5);
	/* Exactly 2n digits. */
	assert_int_equal(hex_decode("00ff1a9c7", back, 5), ERR_INVALID);
	assert_int_equal(hex_decode("00ff1a9c7e00", back, 5), ERR_INVALID);
	assert_int_equal(hex_decode("", back, 5), ERR_INVALID);
	/* Only hex digits. */
	assert_int_equal(hex_decode("0g", back, 1), ERR_INVALID);
	assert_int_equal(hex_decode("g0", back, 1), ERR_INVALID);
	assert_int_equal(hex_decode(" 0", back, 1), ERR_INVALID);
	assert_int_equal(hex_decode("-1", back, 1), ERR_INVALID);
	assert_int_equal(hex_decode("", back, 0), ERR_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eq_starts_empty),
		cmocka_unit_test(test_i64_ok),
		cmocka_unit_test(test_i64_bad),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_count),
		cmocka_unit_test(test_control),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_lower),
		cmocka_unit_test(test_hex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
