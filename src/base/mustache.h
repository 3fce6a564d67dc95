/*
 * mustache.h — the project's own Mustache renderer.
 *
 * It passes the official specification (comments, delimiters,
 * interpolation, inverted, partials, sections, ~dynamic-names,
 * ~inheritance; no lambdas).  Data is a jansson value.  `{{name}}` is
 * HTML-escaped (& < > " ' ), `{{{name}}}` and `{{&name}}` are not.
 *
 * Where the spec leaves it to the implementation: falsy values are
 * missing, null, false, 0, "" and the empty list (as in JavaScript); a
 * number in a dotted name indexes a list, so `{{#rows.0}}…{{/rows.0}}`
 * means "rows is not empty"; null, objects and lists interpolate as "".
 *
 * Templates are compiled once and rendered many times: a compiled template
 * is immutable, so any number of threads may render it at once.
 *
 * One extension, for translations: the section `{{#_}}some text{{/_}}` is
 * replaced, at compile time, by the template text that the `translate`
 * callback returns for the msgid "some text" (whitespace runs collapsed to
 * one space, ends trimmed; see mustache_msgid()).  The returned text is
 * compiled in place, so a translation may itself hold tags such as
 * `{{count}}`.  Sections named `_` do not nest.  With a NULL callback the
 * msgid itself is compiled.
 */
#ifndef ATIS_BASE_MUSTACHE_H
#define ATIS_BASE_MUSTACHE_H

#include <jansson.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

struct mustache;

/* Returns the translation of `msgid`, or NULL to keep it; the string must
 * stay valid until mustache_compile returns. */
typedef const char *(*mustache_translate_fn)(void *ud, const char *msgid);

/* Returns the compiled partial (or parent, for inheritance) called `name`,
 * or NULL for none (renders as empty). */
typedef const struct mustache *(*mustache_partial_fn)(void *ud,
						      const char *name);

/*
 * Compiles `src` (`n` bytes).  On a syntax error returns ERR_INVALID and,
 * if `errmsg` is not NULL, appends a one-line message with the line number.
 * The caller frees the result with mustache_free().
 */
enum err mustache_compile(const char *src, size_t n,
			  mustache_translate_fn translate, void *ud,
			  struct mustache **OUT, struct buf *errmsg);
void mustache_free(struct mustache *t);

/*
 * Renders `t` with `data` as the context stack's root, appending to `out`.
 * Returns ERR_TOOBIG if `out` hits its limit, or if partials, parents and
 * block overrides nest more than 64 deep (runaway recursion); else ERR_OK.
 * What was rendered before stopping stays in `out`.
 */
enum err mustache_render(const struct mustache *t, json_t *data,
			 mustache_partial_fn partial, void *ud,
			 struct buf *out);

/* Normalises the raw text of a `{{#_}}` section into its msgid, the same
 * way the string extractor does: whitespace runs become one space, ends
 * are trimmed.  Returns a string the caller frees. */
char *mustache_msgid(const char *raw, size_t n);

#endif
