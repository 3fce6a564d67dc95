/*
 * Reading a PO file.  libgettextpo reports problems through an error
 * handler whose fatal case must not return, so the handler jumps back to
 * po_load with longjmp; everything it jumps over is freed after the jump.
 * The handler state is per call (thread-local) so loads may run in
 * parallel.
 */
#include "base/po.h"

#include <gettext-po.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/str.h"

struct po_load_state {
	struct buf *err;
	const char *path;
	int errors;
	jmp_buf fatal;
	/* Kept here, not in locals, so their values survive the longjmp. */
	po_file_t file;
	po_message_iterator_t it;
	struct po_catalog cat;
	size_t cap;
};

static _Thread_local struct po_load_state *cur;

static void
on_xerror(int severity, po_message_t message, const char *filename,
	  size_t lineno, size_t column, int multiline, const char *text)
{
	(void)message;
	(void)column;
	(void)multiline;
	if (severity == PO_SEVERITY_WARNING)
		return;
	buf_printf(cur->err, "%s:%zu: %s\n", filename ? filename : cur->path,
		   lineno, text);
	cur->errors++;
	if (severity == PO_SEVERITY_FATAL_ERROR)
		longjmp(cur->fatal, 1);
}

static void
on_xerror2(int severity, po_message_t m1, const char *f1, size_t l1, size_t c1,
	   int ml1, const char *t1, po_message_t m2, const char *f2, size_t l2,
	   size_t c2, int ml2, const char *t2)
{
	(void)m2;
	(void)f2;
	(void)l2;
	(void)c2;
	(void)ml2;
	(void)t2;
	on_xerror(severity, m1, f1, l1, c1, ml1, t1);
}

static const struct po_xerror_handler handler = {on_xerror, on_xerror2};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct po_entry *)a)->msgid,
		      ((const struct po_entry *)b)->msgid);
}

/* The tags ({{…}}) of a string, sorted, one per line. */
static void
tag_list(const char *s, struct buf *out)
{
	char *tags[64];
	size_t n = 0;
	const char *p = s;
	while (n < 64 && (p = strstr(p, "{{")) != NULL) {
		const char *end = strstr(p + 2, "}}");
		if (end == NULL)
			break;
		tags[n++] = xstrndup(p + 2, (size_t)(end - p - 2));
		p = end + 2;
	}
	qsort(tags, n, sizeof *tags, cmp_str);
	for (size_t i = 0; i < n; i++) {
		buf_puts(out, tags[i]);
		buf_putc(out, '\n');
		free(tags[i]);
	}
}

/* A translation may move tags but must keep exactly the same ones, as
 * many times each: compare the sorted lists. */
static bool
same_tags(const char *a, const char *b)
{
	struct buf ta, tb;
	buf_init(&ta, 0);
	buf_init(&tb, 0);
	tag_list(a, &ta);
	tag_list(b, &tb);
	bool same = str_eq(buf_cstr(&ta), buf_cstr(&tb));
	buf_release(&ta);
	buf_release(&tb);
	return same;
}

enum err
po_load(const char *path, struct po_catalog *OUT, struct buf *err)
{
	static _Thread_local struct po_load_state st;
	volatile enum err rc = ERR_INVALID;

	memset(&st, 0, sizeof st);
	st.err = err;
	st.path = path;
	cur = &st;
	if (setjmp(st.fatal) != 0)
		goto out;
	st.file = po_file_read(path, &handler);
	if (st.file == NULL) {
		if (st.errors == 0)
			buf_printf(err, "%s: cannot read this file\n", path);
		goto out;
	}
	/* libgettextpo hands out a copy of the header: ours to free. */
	char *header = (char *)po_file_domain_header(st.file, NULL);
	char *lang = header ? po_header_field(header, "Language") : NULL;
	free(header);
	if (str_empty(lang)) {
		free(lang);
		buf_printf(err, "%s: the header has no Language field\n", path);
		goto out;
	}
	st.cat.language = lang;

	st.it = po_message_iterator(st.file, NULL);
	po_message_t m;
	while ((m = po_next_message(st.it)) != NULL) {
		const char *id = po_message_msgid(m);
		const char *str = po_message_msgstr(m);
		if (*id == '\0' || po_message_is_obsolete(m))
			continue; /* the header, or a dead entry */
		if (po_message_msgid_plural(m) != NULL) {
			buf_printf(err,
				   "%s: plural forms are not used: \"%.40s\"\n",
				   path, id);
			st.errors++;
			continue;
		}
		if (po_message_is_fuzzy(m) || *str == '\0') {
			st.cat.untranslated++;
			continue;
		}
		if (!same_tags(id, str)) {
			buf_printf(err,
				   "%s: the translation of \"%.40s\" must keep "
				   "the same {{tags}}\n",
				   path, id);
			st.errors++;
			continue;
		}
		struct po_catalog *cat = &st.cat;
		if (cat->n == st.cap) {
			st.cap = st.cap ? st.cap * 2 : 64;
			cat->entries = xrealloc(cat->entries,
						st.cap * sizeof *cat->entries);
		}
		cat->entries[cat->n].msgid = xstrdup(id);
		cat->entries[cat->n].msgstr = xstrdup(str);
		cat->n++;
	}
	if (st.cat.n > 1)
		qsort(st.cat.entries, st.cat.n, sizeof *st.cat.entries,
		      cmp_entry);
	if (st.errors == 0)
		rc = ERR_OK;
out:
	if (st.it != NULL)
		po_message_iterator_free(st.it);
	if (st.file != NULL)
		po_file_free(st.file);
	cur = NULL;
	if (rc)
		po_release(&st.cat);
	else
		*OUT = st.cat;
	return rc;
}

void
po_release(struct po_catalog *cat)
{
	for (size_t i = 0; i < cat->n; i++) {
		free(cat->entries[i].msgid);
		free(cat->entries[i].msgstr);
	}
	free(cat->entries);
	free(cat->language);
	memset(cat, 0, sizeof *cat);
}
