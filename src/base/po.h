/*
 * po.h — reads a gettext PO file with libgettextpo.
 *
 * Used by the build (tools/pocompile turns po/LANG.po into tables compiled
 * into atis) and by tests.  Fuzzy, obsolete and untranslated entries are
 * skipped, so a missing translation falls back to the English msgid.
 * Plural forms are not used by ATIS and are refused.
 */
#ifndef ATIS_BASE_PO_H
#define ATIS_BASE_PO_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct po_entry {
	char *msgid;
	char *msgstr;
};

struct po_catalog {
	char *language;           /* from the header's Language: field */
	struct po_entry *entries; /* sorted by msgid (strcmp) */
	size_t n;
	size_t untranslated; /* entries skipped as fuzzy or empty */
};

/* On a syntax error, a missing Language header or a translation whose
 * {{tags}} differ from its msgid's, returns ERR_INVALID and appends
 * messages naming the file and line to `err`. */
enum err po_load(const char *path, struct po_catalog *OUT, struct buf *err);
void po_release(struct po_catalog *cat);

#endif
