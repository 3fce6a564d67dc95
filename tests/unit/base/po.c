/*
 * Tests for src/base/po.c on PO files written to a temporary directory:
 * a good catalog (sorted, fuzzy and untranslated entries skipped and
 * counted, obsolete ones ignored), syntax errors with FILE:LINE, a missing
 * Language header, translations that change the {{tags}}, plural forms,
 * a missing file, and loading again after an error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/po.h"

#define HEADER                                                                 \
	"msgid \"\"\n"                                                         \
	"msgstr \"\"\n"                                                        \
	"\"Project-Id-Version: ATIS\\n\"\n"                                    \
	"\"Language: th\\n\"\n"                                                \
	"\"MIME-Version: 1.0\\n\"\n"                                           \
	"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"                     \
	"\"Content-Transfer-Encoding: 8bit\\n\"\n"                             \
	"\n"

/*
 * Under LeakSanitizer: libgettextpo itself keeps a copy of each file name
 * it reads (lex_start) and loses the token it was reading when a fatal
 * error makes po.c jump out of the parser (po_gram_lex).  Those are the
 * library's; everything allocated on po.c's own behalf is still checked.
 * The library has no frame pointers, so the slow unwinder is needed for
 * these suppressions to see the library's frames.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libgettextpo_lex_start\n"
	       "leak:libgettextpo_po_gram_lex\n";
}

struct fixture {
	char dir[64];
	char path[128];
	struct po_catalog cat;
	struct buf err;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/atis-po-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/th.po", f->dir);
	buf_init(&f->err, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	po_release(&f->cat);
	buf_release(&f->err);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static enum err
load(struct fixture *f, const char *text)
{
	write_file(f->path, text);
	po_release(&f->cat);
	buf_reset(&f->err);
	return po_load(f->path, &f->cat, &f->err);
}

static void
test_ok(void **state)
{
	struct fixture *f = *state;
	enum err rc = load(f, HEADER
			   "#. a comment\n"
			   "#: templates/x.mustache:1\n"
			   "msgid \"Zebra\"\n"
			   "msgstr \"ม้าลาย\"\n"
			   "\n"
			   "msgid \"Hello {{name}}, you have {{n}} cases\"\n"
			   "msgstr \"มี {{n}} กรณี สวัสดี {{name}}\"\n"
			   "\n"
			   "#, fuzzy\n"
			   "msgid \"Fuzzy one\"\n"
			   "msgstr \"ไม่แน่ใจ\"\n"
			   "\n"
			   "msgid \"Untranslated\"\n"
			   "msgstr \"\"\n"
			   "\n"
			   "msgid \"Apple\"\n"
			   "msgstr \"\"\n"
			   "\"แอป\"\n"
			   "\"เปิ้ล\"\n"
			   "\n"
			   "msgid \"{{#_}}Save{{/_}}\"\n"
			   "msgstr \"{{#_}}บันทึก{{/_}}\"\n"
			   "\n"
			   "#~ msgid \"Obsolete\"\n"
			   "#~ msgstr \"เก่า\"\n");
	if (rc != ERR_OK)
		fail_msg("po_load: %s", buf_cstr(&f->err));
	assert_int_equal(f->err.len, 0);
	assert_string_equal(f->cat.language, "th");
	assert_int_equal(f->cat.n, 4);
	assert_int_equal(f->cat.untranslated, 2);
	/* Sorted by msgid with strcmp. */
	assert_string_equal(f->cat.entries[0].msgid, "Apple");
	assert_string_equal(f->cat.entries[0].msgstr, "แอปเปิ้ล");
	assert_string_equal(f->cat.entries[1].msgid,
			    "Hello {{name}}, you have {{n}} cases");
	assert_string_equal(f->cat.entries[1].msgstr,
			    "มี {{n}} กรณี สวัสดี {{name}}");
	assert_string_equal(f->cat.entries[2].msgid, "Zebra");
	assert_string_equal(f->cat.entries[3].msgid, "{{#_}}Save{{/_}}");
	for (size_t i = 0; i < f->cat.n; i++) {
		assert_string_not_equal(f->cat.entries[i].msgid, "Fuzzy one");
		assert_string_not_equal(f->cat.entries[i].msgid, "Obsolete");
	}
}

static void
test_header_only(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(load(f, HEADER), ERR_OK);
	assert_string_equal(f->cat.language, "th");
	assert_int_equal(f->cat.n, 0);
	assert_int_equal(f->cat.untranslated, 0);
}

/* The message names this file and `line`. */
static void
assert_at(const struct fixture *f, int line)
{
	char want[160];
	snprintf(want, sizeof want, "%s:%d:", f->path, line);
	if (strstr(buf_cstr(&f->err), want) == NULL)
		fail_msg("\"%s\" does not name %s", buf_cstr(&f->err), want);
}

static void
test_syntax_error(void **state)
{
	struct fixture *f = *state;
	/* HEADER is 8 lines, so the second line after it is line 10. */
	enum err rc = load(f, HEADER "msgid \"A\"\nthis is not PO\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_at(f, 10);
	assert_null(f->cat.entries);
	assert_int_equal(f->cat.n, 0);

	/* libgettextpo (like msgfmt) reports a string left open at the
	 * line where it noticed: the next one. */
	rc = load(f, HEADER "msgid \"Good\"\n"
			    "msgstr \"unterminated\n"
			    "\n"
			    "msgid \"Later\"\n"
			    "msgstr \"ภายหลัง\"\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_at(f, 11);
	assert_non_null(strstr(buf_cstr(&f->err), "within string"));

	/* A msgid given twice. */
	rc = load(f, HEADER "msgid \"A\"\nmsgstr \"ก\"\n\n"
			    "msgid \"A\"\nmsgstr \"ข\"\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_at(f, 12);
}

static void
test_no_language(void **state)
{
	struct fixture *f = *state;
	enum err rc = load(f, "msgid \"\"\n"
			      "msgstr \"\"\n"
			      "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
			      "\n"
			      "msgid \"A\"\nmsgstr \"ก\"\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), f->path));
	assert_non_null(strstr(buf_cstr(&f->err), "Language"));
	assert_null(f->cat.language);

	/* No header at all. */
	rc = load(f, "msgid \"A\"\nmsgstr \"ก\"\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "Language"));

	/* An empty Language field. */
	rc = load(f, "msgid \"\"\n"
		     "msgstr \"\"\n"
		     "\"Language: \\n\"\n"
		     "\"Content-Type: text/plain; charset=UTF-8\\n\"\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "Language"));
}

static void
test_tag_dropped(void **state)
{
	struct fixture *f = *state;
	enum err rc = load(f, HEADER "msgid \"Hello {{name}}\"\n"
				     "msgstr \"สวัสดี\"\n"
				     "\n"
				     "msgid \"Fine\"\n"
				     "msgstr \"ดี\"\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), f->path));
	assert_non_null(strstr(buf_cstr(&f->err), "Hello {{name}}"));
	assert_int_equal(f->cat.n, 0); /* nothing handed out */
}

static void
test_tag_changed(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[][2] = {
		/* renamed */
		{"Hello {{name}}", "สวัสดี {{nmae}}"},
		/* added */
		{"Hello", "สวัสดี {{name}}"},
		/* one of two dropped */
		{"{{a}} and {{b}}", "{{a}} และ"},
		/* escaping changed: {{{x}}} is raw, {{x}} escaped */
		{"Link {{url}}", "ลิงก์ {{{url}}}"},
		/* a section closed under another name */
		{"{{#_}}Save{{/_}}", "{{#_}}บันทึก{{/x}}"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text,
			 HEADER "msgid \"%s\"\nmsgstr \"%s\"\n", bad[i][0],
			 bad[i][1]);
		if (load(f, text) != ERR_INVALID)
			fail_msg("\"%s\" -> \"%s\" was accepted", bad[i][0],
				 bad[i][1]);
		assert_non_null(strstr(buf_cstr(&f->err), "{{tags}}"));
	}
	/* Reordering is allowed. */
	assert_int_equal(load(f, HEADER "msgid \"{{a}} then {{b}}\"\n"
					"msgstr \"{{b}} แล้ว {{a}}\"\n"),
			 ERR_OK);
	assert_int_equal(f->cat.n, 1);
}

/*
 * The tags are compared as multisets: a repeated tag counts as many times
 * as it appears, and a tag is not "found" inside a longer one.
 */
static void
test_tag_multiset(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[][2] = {
		/* one repeated tag turned into another one */
		{"{{a}} or {{a}}", "{{a}} หรือ {{b}}"},
		/* a tag swapped for a longer one that ends with it */
		{"{{name}} {{username}}", "{{username}} {{xxxx}}"},
	};
	int accepted = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text,
			 HEADER "msgid \"%s\"\nmsgstr \"%s\"\n", bad[i][0],
			 bad[i][1]);
		if (load(f, text) != ERR_INVALID) {
			print_error("\"%s\" -> \"%s\" was accepted\n",
				    bad[i][0], bad[i][1]);
			accepted++;
		}
	}
	assert_int_equal(accepted, 0);
	/* The same tag twice, kept twice, is fine. */
	assert_int_equal(load(f, HEADER "msgid \"{{a}} or {{a}}\"\n"
					"msgstr \"{{a}} หรือ {{a}}\"\n"),
			 ERR_OK);
}

static void
test_plural(void **state)
{
	struct fixture *f = *state;
	enum err rc = load(f, HEADER "msgid \"one case\"\n"
				     "msgid_plural \"{{n}} cases\"\n"
				     "msgstr[0] \"{{n}} กรณี\"\n");
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "plural"));
}

static void
test_missing_file(void **state)
{
	struct fixture *f = *state;
	buf_reset(&f->err);
	assert_int_equal(po_load(f->path, &f->cat, &f->err), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), f->path));
}

/* A failed load leaves nothing behind that spoils the next one. */
static void
test_after_error(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(load(f, HEADER "msgid \"A\"\nmsgstr \"broken\n"),
			 ERR_INVALID);
	assert_int_equal(load(f, HEADER "msgid \"A\"\nmsgstr \"ก\"\n"), ERR_OK);
	assert_int_equal(f->cat.n, 1);
	assert_int_equal(f->err.len, 0);
	assert_int_equal(load(f, HEADER "msgid \"A\"\nmsgstr \"{{x}}\"\n"),
			 ERR_INVALID);
	assert_int_equal(load(f, HEADER "msgid \"B\"\nmsgstr \"ข\"\n"), ERR_OK);
	assert_string_equal(f->cat.entries[0].msgid, "B");
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_ok),           T(test_header_only), T(test_syntax_error),
		T(test_no_language),  T(test_tag_dropped), T(test_tag_changed),
		T(test_tag_multiset), T(test_plural),      T(test_missing_file),
		T(test_after_error),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
