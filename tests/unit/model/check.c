/*
 * Tests for src/model/check.c: collecting field messages, text limits
 * counted in code points, invalid UTF-8, control characters and line
 * breaks, e-mail addresses (including the 254-byte limit), countries and
 * passwords of 10 to 128 characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/str.h"
#include "model/check.h"

/* `n` copies of `unit` (malloc'd). */
static char *
repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

static void
test_messages(void **state)
{
	(void)state;
	struct check c = {0};
	assert_null(check_message(&c, "name"));
	check_fail(&c, "name", "first");
	check_fail(&c, "name", "second"); /* the first message stays */
	check_fail(&c, "email", "bad e-mail");
	assert_int_equal(c.n, 2);
	assert_string_equal(check_message(&c, "name"), "first");
	assert_string_equal(check_message(&c, "email"), "bad e-mail");
	assert_null(check_message(&c, "phone"));
	/* At most CHECK_MAX fields; more are dropped, not overflowed. */
	static const char *const fields[] = {
		"f0", "f1",  "f2",  "f3",  "f4",  "f5",  "f6",  "f7",  "f8",
		"f9", "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17"};
	struct check many = {0};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		check_fail(&many, fields[i], "x");
	assert_int_equal(many.n, CHECK_MAX);
	assert_null(check_message(&many, "f17"));
}

static void
test_text_required(void **state)
{
	(void)state;
	struct check c = {0};
	assert_false(check_text(&c, "a", NULL, true, 10, false));
	assert_false(check_text(&c, "b", "", true, 10, false));
	assert_non_null(check_message(&c, "a"));
	assert_non_null(check_message(&c, "b"));
	struct check ok = {0};
	assert_true(check_text(&ok, "a", NULL, false, 10, false));
	assert_true(check_text(&ok, "b", "", false, 10, false));
	assert_true(check_text(&ok, "c", "x", true, 10, false));
	assert_int_equal(ok.n, 0);
}

static void
test_text_code_points(void **state)
{
	(void)state;
	struct check c = {0};
	/* Five characters fit in five, whatever their size in bytes. */
	assert_true(check_text(&c, "a", "abcde", true, 5, false));
	assert_true(check_text(&c, "b", "ééééé", true, 5, false));  /* 10 B */
	assert_true(check_text(&c, "c", "ไทยไทย", true, 6, false)); /* 18 B */
	assert_true(check_text(&c, "d", "😀😀😀😀😀", true, 5, false));  /* 20 B */
	assert_int_equal(c.n, 0);
	assert_false(check_text(&c, "e", "abcdef", true, 5, false));
	assert_false(check_text(&c, "f", "éééééé", true, 5, false));
	assert_false(check_text(&c, "g", "😀😀😀😀😀😀", true, 5, false));
	assert_int_equal(c.n, 3);
	assert_non_null(strstr(check_message(&c, "e"), "too long"));

	char *s = repeat("ภ", 200);
	struct check d = {0};
	assert_true(check_text(&d, "x", s, true, 200, false));
	assert_false(check_text(&d, "y", s, true, 199, false));
	free(s);
}

static void
test_text_bad_bytes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"caf\xc3",      /* cut short */
		"\xc0\xaf",     /* overlong */
		"\xed\xa0\x80", /* surrogate */
		"abc\xff",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct check c = {0};
		assert_false(check_text(&c, "t", bad[i], true, 100, true));
		assert_non_null(check_message(&c, "t"));
	}
}

static void
test_text_control(void **state)
{
	(void)state;
	static const char *const single_bad[] = {
		"a\nb",  "a\rb",        "a\r\nb",  "\n",
		"a\x01", "esc\x1b[31m", "del\x7f", "\x0b",
	};
	for (size_t i = 0; i < sizeof single_bad / sizeof single_bad[0]; i++) {
		struct check c = {0};
		if (check_text(&c, "t", single_bad[i], true, 100, false))
			fail_msg("single-line text %zu was accepted", i);
	}
	/* Multi-line text takes line breaks, not other controls. */
	struct check m = {0};
	assert_true(check_text(&m, "t", "line 1\nline 2\r\nline 3", true, 100,
			       true));
	assert_true(check_text(&m, "u", "tab\tseparated", true, 100, false));
	assert_int_equal(m.n, 0);
	assert_false(check_text(&m, "v", "line\n\x01", true, 100, true));
	assert_false(check_text(&m, "w", "bell\a", true, 100, true));
}

static void
test_email(void **state)
{
	(void)state;
	static const char *const good[] = {
		"a@b.org",
		"Alice.Smith+atis@Example.ORG",
		"x@mail.example.co.th",
		"ไทย@example.org",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct check c = {0};
		if (!check_email(&c, "email", good[i], true))
			fail_msg("\"%s\" was refused", good[i]);
	}
	static const char *const bad[] = {
		"ab.org",   "@b.org",    "a@b@c.org",   "a@borg", "a b@c.org",
		"a@b.org.", "a@b.org\n", "a@b.\x01org", "a@b",    "a@",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct check c = {0};
		if (check_email(&c, "email", bad[i], true))
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_non_null(check_message(&c, "email"));
	}
	struct check c = {0};
	assert_false(check_email(&c, "email", "", true));
	assert_false(check_email(&c, "email2", NULL, true));
	assert_true(check_email(&c, "email3", "", false));
	assert_true(check_email(&c, "email4", NULL, false));
	assert_int_equal(c.n, 2);
}

/* "≤ 254 bytes" (check.h), so an address fits the 256-byte buffers that
 * hold it (model/user.c, struct session). */
static void
test_email_length(void **state)
{
	(void)state;
	char *local = repeat("a", 246);
	char addr[400];
	snprintf(addr, sizeof addr, "%s@b.org", local); /* 252 bytes */
	struct check c = {0};
	assert_true(check_email(&c, "e", addr, true));
	snprintf(addr, sizeof addr, "%s@bc.org", local); /* 253 */
	assert_true(check_email(&c, "e", addr, true));
	snprintf(addr, sizeof addr, "%s@bcd.org", local); /* 254 */
	assert_true(check_email(&c, "e", addr, true));
	assert_int_equal(c.n, 0);
	snprintf(addr, sizeof addr, "%s@bcde.org", local); /* 255 */
	assert_false(check_email(&c, "e", addr, true));
	free(local);

	/* Counted in bytes, not characters: 130 two-byte letters make
	 * 136 characters but 266 bytes. */
	char *wide = repeat("é", 130);
	snprintf(addr, sizeof addr, "%s@b.org", wide);
	free(wide);
	assert_int_equal(strlen(addr), 266);
	struct check w = {0};
	assert_false(check_email(&w, "e", addr, true));
}

static void
test_country(void **state)
{
	(void)state;
	static const char *const asean[] = {"PH", "ID", "MY", "SG", "TH", "VN",
					    "KH", "MM", "LA", "BN", "TL"};
	for (size_t i = 0; i < sizeof asean / sizeof asean[0]; i++) {
		struct check c = {0};
		assert_true(check_country(&c, "country", asean[i]));
		assert_non_null(country_find(asean[i]));
		assert_string_equal(country_find(asean[i])->code, asean[i]);
	}
	static const char *const bad[] = {"th", "XX", "", "THA", "T", " TH"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct check c = {0};
		assert_false(check_country(&c, "country", bad[i]));
		assert_non_null(check_message(&c, "country"));
	}
	struct check c = {0};
	assert_false(check_country(&c, "country", NULL));
	assert_null(country_find(NULL));
	/* The table: unique two-letter upper-case codes with names. */
	for (size_t i = 0; i < country_count; i++) {
		assert_int_equal(strlen(countries[i].code), 2);
		assert_true(countries[i].code[0] >= 'A' &&
			    countries[i].code[0] <= 'Z');
		assert_false(str_empty(countries[i].name));
		for (size_t k = i + 1; k < country_count; k++)
			assert_string_not_equal(countries[i].code,
						countries[k].code);
	}
}

static void
test_password(void **state)
{
	(void)state;
	struct check c = {0};
	char *p9 = repeat("a", 9), *p10 = repeat("a", 10);
	char *p128 = repeat("a", 128), *p129 = repeat("a", 129);
	assert_false(check_password(&c, "p", p9));
	assert_non_null(strstr(check_message(&c, "p"), "at least 10"));
	struct check d = {0};
	assert_true(check_password(&d, "p", p10));
	assert_true(check_password(&d, "p", p128));
	assert_int_equal(d.n, 0);
	assert_false(check_password(&d, "p", p129));
	assert_non_null(strstr(check_message(&d, "p"), "at most 128"));
	free(p9);
	free(p10);
	free(p128);
	free(p129);

	/* In characters: ten two-byte letters are ten characters, 128
	 * three-byte letters are 384 bytes but 128 characters. */
	char *e9 = repeat("é", 9), *e10 = repeat("é", 10);
	char *t128 = repeat("ก", 128), *t129 = repeat("ก", 129);
	struct check e = {0};
	assert_true(check_password(&e, "p", e10));
	assert_true(check_password(&e, "p", t128));
	assert_int_equal(e.n, 0);
	assert_false(check_password(&e, "a", e9));
	assert_false(check_password(&e, "b", t129));
	free(e9);
	free(e10);
	free(t128);
	free(t129);

	struct check f = {0};
	assert_false(check_password(&f, "a", ""));
	assert_false(check_password(&f, "b", NULL));
	assert_false(check_password(&f, "c",
				    "\xff\xfe\xfd\xfc\xfb\xfa\xf9"
				    "\xf8\xf7\xf6\xf5"));
	assert_int_equal(f.n, 3);
	/* Spaces and symbols are allowed. */
	assert_true(check_password(&f, "d", "correct horse battery"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_text_required),
		cmocka_unit_test(test_text_code_points),
		cmocka_unit_test(test_text_bad_bytes),
		cmocka_unit_test(test_text_control),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_email_length),
		cmocka_unit_test(test_country),
		cmocka_unit_test(test_password),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
