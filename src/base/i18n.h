/*
 * i18n.h — languages and translated strings.
 *
 * The catalogs come from po/LANG.po, compiled into the binary at build time
 * (tools/pocompile.c), so looking a string up is a binary search in a
 * read-only table and safe from any thread.  A string with no translation
 * falls back to its English msgid.
 *
 * In C code, mark strings with N_("…") where they are defined and
 * translate them where they are shown with i18n_gettext(lang, msgid);
 * `make pot` extracts both, and the {{#_}}…{{/_}} sections of templates.
 */
#ifndef ATIS_BASE_I18N_H
#define ATIS_BASE_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define N_(s) s

struct i18n_msg {
	const char *id;
	const char *str;
};

struct i18n_catalog {
	const char *lang;
	const struct i18n_msg *msgs; /* sorted by id with strcmp */
	size_t n;
};

/* Generated from po/ (build/gen/catalog.c). */
extern const struct i18n_catalog i18n_catalogs[];
extern const size_t i18n_catalog_count;

struct i18n_lang {
	const char *tag;    /* BCP 47, e.g. "fil" */
	const char *native; /* the language's name in itself */
	const char *script; /* CSS class naming the font stack */
};

/* The languages ATIS ships, English first. */
extern const struct i18n_lang i18n_langs[];
extern const size_t i18n_lang_count;

/* The table entry for `tag`, or NULL if ATIS does not ship it. */
const struct i18n_lang *i18n_lang_find(const char *tag);

/* The translation of `msgid` in `lang`, else `msgid` itself. */
const char *i18n_gettext(const char *lang, const char *msgid);

/*
 * Chooses the page language: `chosen` (the user's remembered choice) if
 * ATIS ships it, else the best match of an Accept-Language header, else
 * `fallback`.  Returns a tag from i18n_langs (static storage).
 */
const char *i18n_negotiate(const char *chosen, const char *accept_language,
			   const char *fallback);

#endif
