/*
 * Tests for src/base/i18n.c: the language table, the compiled catalogs
 * (every catalog is a shipped language and sorted for bsearch),
 * i18n_gettext's fallback to the msgid, and i18n_negotiate (remembered
 * choice, Accept-Language q-values, aliases, region subtags, fallback).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/i18n.h"
#include "base/str.h"

static void
test_langs(void **state)
{
	(void)state;
	static const char *const shipped[] = {"en", "fil", "id", "ms",
					      "th", "vi",  "km", "my",
					      "lo", "ne",  "bn"};
	assert_int_equal(i18n_lang_count, sizeof shipped / sizeof shipped[0]);
	assert_string_equal(i18n_langs[0].tag, "en"); /* English first */
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		const struct i18n_lang *l = i18n_lang_find(shipped[i]);
		if (l == NULL)
			fail_msg("%s is not in i18n_langs", shipped[i]);
		assert_string_equal(l->tag, shipped[i]);
		assert_false(str_empty(l->native));
		assert_false(str_empty(l->script));
		assert_true(utf8_valid(l->native, strlen(l->native)));
	}
	/* Tags are unique. */
	for (size_t i = 0; i < i18n_lang_count; i++)
		for (size_t k = i + 1; k < i18n_lang_count; k++)
			assert_string_not_equal(i18n_langs[i].tag,
						i18n_langs[k].tag);
	assert_null(i18n_lang_find(NULL));
	assert_null(i18n_lang_find(""));
	assert_null(i18n_lang_find("fr"));
	assert_null(i18n_lang_find("TH")); /* tags are stored lower-case */
	assert_null(i18n_lang_find("fi")); /* not a prefix match */
	assert_null(i18n_lang_find("th-TH"));
}

static void
test_catalogs(void **state)
{
	(void)state;
	/* Every language but English has a catalog. */
	assert_int_equal(i18n_catalog_count, i18n_lang_count - 1);
	for (size_t i = 0; i < i18n_catalog_count; i++) {
		const struct i18n_catalog *c = &i18n_catalogs[i];
		if (i18n_lang_find(c->lang) == NULL)
			fail_msg("catalog %s is not a shipped language",
				 c->lang);
		assert_string_not_equal(c->lang, "en");
		assert_true(c->n > 0);
		for (size_t k = 0; k < c->n; k++) {
			if (k > 0 &&
			    strcmp(c->msgs[k - 1].id, c->msgs[k].id) >= 0)
				fail_msg("catalog %s is not sorted at \"%s\"",
					 c->lang, c->msgs[k].id);
			assert_true(utf8_valid(c->msgs[k].str,
					       strlen(c->msgs[k].str)));
		}
	}
	for (size_t i = 1; i < i18n_lang_count; i++) {
		bool found = false;
		for (size_t k = 0; k < i18n_catalog_count; k++)
			found |= str_eq(i18n_catalogs[k].lang,
					i18n_langs[i].tag);
		if (!found)
			fail_msg("%s has no catalog", i18n_langs[i].tag);
	}
}

static void
test_gettext(void **state)
{
	(void)state;
	/* Every entry of every catalog is found by lookup. */
	for (size_t i = 0; i < i18n_catalog_count; i++) {
		const struct i18n_catalog *c = &i18n_catalogs[i];
		for (size_t k = 0; k < c->n; k++)
			assert_ptr_equal(i18n_gettext(c->lang, c->msgs[k].id),
					 c->msgs[k].str);
	}
	assert_string_equal(i18n_gettext("fil", "My account"), "Aking account");
	/* No translation: the very msgid comes back. */
	static const char msgid[] = "No such message, surely";
	assert_ptr_equal(i18n_gettext("fil", msgid), msgid);
	assert_ptr_equal(i18n_gettext("en", msgid), msgid);
	assert_ptr_equal(i18n_gettext("xx", msgid), msgid);
	static const char mine[] = "My account";
	assert_ptr_equal(i18n_gettext("en", mine), mine);
	assert_ptr_equal(i18n_gettext("fr", mine), mine);
	assert_ptr_equal(i18n_gettext("", mine), mine);
}

static void
expect(const char *chosen, const char *accept, const char *fallback,
       const char *want)
{
	const char *got = i18n_negotiate(chosen, accept, fallback);
	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("negotiate(%s, \"%s\", %s) = %s, not %s",
			 chosen ? chosen : "NULL", accept ? accept : "NULL",
			 fallback ? fallback : "NULL", got ? got : "NULL",
			 want);
	/* The answer is the table's own string. */
	assert_ptr_equal(got, i18n_lang_find(want)->tag);
}

static void
test_negotiate_chosen(void **state)
{
	(void)state;
	/* The remembered choice wins over the header and the fallback. */
	expect("th", "vi,en;q=0.9", "en", "th");
	expect("bn", NULL, "fil", "bn");
	expect("en", "th", "vi", "en");
	/* A choice ATIS does not ship is ignored. */
	expect("fr", "vi", "en", "vi");
	expect("", "vi", "en", "vi");
	expect("TH", "vi", "en", "vi");
	expect(NULL, "km", "en", "km");
}

static void
test_negotiate_accept(void **state)
{
	(void)state;
	expect(NULL, "th", "en", "th");
	expect(NULL, "vi;q=0.5, th;q=0.9", "en", "th");
	expect(NULL, "vi;q=0.9, th;q=0.5", "en", "vi");
	expect(NULL, "en-US,en;q=0.9,fil;q=0.8", "th", "en");
	expect(NULL, "fr-FR, fr;q=0.9, de;q=0.8, my;q=0.1", "en", "my");
	expect(NULL, "fr;q=1.0, lo;q=0.3", "en", "lo");
	expect(NULL, "ne;q=0.3,bn;q=0.301", "en", "bn");
	expect(NULL, "ne;q=0.300,bn;q=0.299", "en", "ne");
	expect(NULL, "km;q=1, th;q=1.0", "en", "km"); /* a tie: first wins */
	expect(NULL, "id ; q=0.4 ,  ms ;q=0.6", "en", "ms");
	expect(NULL, "th;Q=0.2, vi;q=0.1", "en", "th");
	/* No quality at all means 1. */
	expect(NULL, "vi;q=0.9, th", "en", "th");
	/* q=0 means "not acceptable". */
	expect(NULL, "th;q=0", "vi", "vi");
	expect(NULL, "th;q=0.000, km;q=0.001", "en", "km");
	/* Region subtags and case. */
	expect(NULL, "ms-MY", "en", "ms");
	expect(NULL, "MS-my", "en", "ms");
	expect(NULL, "th-TH;q=0.8, vi-VN;q=0.7", "en", "th");
	expect(NULL, "fil-PH", "en", "fil");
	expect(NULL, "FIL", "en", "fil");
	expect(NULL, "ms_MY", "en", "ms");
	expect(NULL, "zh-Hant-TW, bn-IN;q=0.2", "en", "bn");
}

static void
test_negotiate_aliases(void **state)
{
	(void)state;
	expect(NULL, "tl", "en", "fil");
	expect(NULL, "tl-PH", "en", "fil");
	expect(NULL, "TL", "en", "fil");
	expect(NULL, "in", "en", "id");
	expect(NULL, "in-ID;q=0.9, en;q=0.1", "en", "id");
	expect(NULL, "zsm", "en", "ms");
	expect(NULL, "zlm-MY", "en", "ms");
	/* An alias competes on quality like any tag. */
	expect(NULL, "tl;q=0.2, vi;q=0.4", "en", "vi");
}

static void
test_negotiate_fallback(void **state)
{
	(void)state;
	expect(NULL, NULL, "vi", "vi");
	expect(NULL, "", "vi", "vi");
	expect(NULL, "fr, de;q=0.9", "th", "th");
	expect(NULL, "*", "km", "km");
	expect(NULL, "*;q=0.5", "km", "km");
	expect(NULL, ",,, ;;; ,", "lo", "lo");
	expect(NULL, "thx, t, fi, e", "ne", "ne"); /* no prefix matching */
	expect(NULL, "verylongprimarytag", "ne", "ne");
	/* A fallback ATIS does not ship becomes English. */
	expect(NULL, "fr", "de", "en");
	expect(NULL, NULL, NULL, "en");
	expect(NULL, NULL, "", "en");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_langs),
		cmocka_unit_test(test_catalogs),
		cmocka_unit_test(test_gettext),
		cmocka_unit_test(test_negotiate_chosen),
		cmocka_unit_test(test_negotiate_accept),
		cmocka_unit_test(test_negotiate_aliases),
		cmocka_unit_test(test_negotiate_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
