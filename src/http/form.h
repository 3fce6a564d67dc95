/*
 * form.h — parsers for what a client sends: url-encoded forms and query
 * strings, the Cookie header, and multipart/form-data bodies.
 *
 * These are pure functions over (pointer, length) input; they never read
 * past `n` bytes, need no NUL terminator and touch no global state, so they
 * can be fuzzed on their own (tests/fuzz/).  Everything they produce is
 * allocated from the arena `a` and lives exactly as long as it — with one
 * exception: the `data` of a multipart file points into the body that was
 * parsed, so the body must outlive the results (in the server both live
 * until the request completes).
 *
 * Rules that hold for every result:
 *   - names and text values are NUL-terminated, valid UTF-8 and contain no
 *     NUL byte (`len` is the value's length without the terminator);
 *   - names are never empty;
 *   - order is the order in the input; a name may appear more than once.
 *
 * Errors: ERR_INVALID for malformed input (bad %-escape, invalid UTF-8,
 * missing multipart boundary or final delimiter, cookie without '=' …),
 * ERR_TOOBIG when a limit in `struct form_limits` is passed.  On error the
 * outputs are left untouched (what was allocated stays in the arena).
 */
#ifndef ATIS_HTTP_FORM_H
#define ATIS_HTTP_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

/* One name=value pair of a query string, form or Cookie header. */
struct http_param {
	const char *name;
	const char *value;
	size_t len; /* of value */
};

/* One multipart part that came with a (non-empty) filename. */
struct http_file {
	const char *field;        /* the form field's name */
	const char *filename;     /* UTF-8, without any directory part */
	const char *content_type; /* as the client claims; never trust it */
	const char *data;         /* points into the parsed body: bytes */
	size_t len;
};

struct form_limits {
	size_t max_fields; /* name=value pairs (text fields); 0 = 200 */
	size_t max_field;  /* bytes of one name or text value; 0 = 64 KiB */
	size_t max_files;  /* multipart parts with a filename; 0 = 10 */
};

/*
 * Decodes %XX escapes (and '+' as a space when `plus` is set) of `s` into a
 * NUL-terminated arena copy.  ERR_INVALID on a bad escape.  Does not check
 * UTF-8: callers do that for what they keep.
 */
enum err form_url_decode(struct arena *a, const char *s, size_t n, bool plus,
			 char **OUT, size_t *OUT_len);

/*
 * Parses application/x-www-form-urlencoded text: `a=1&b=x+y&c`.  Empty
 * pieces (`a=1&&b=2`) are skipped; a piece without '=' has the value "".
 * An empty name is ERR_INVALID.
 */
enum err form_parse_urlencoded(struct arena *a, const char *s, size_t n,
			       const struct form_limits *lim,
			       struct http_param **OUT, size_t *OUT_n);

/* A query string: the same, after an optional leading '?'. */
enum err form_parse_query(struct arena *a, const char *s, size_t n,
			  const struct form_limits *lim,
			  struct http_param **OUT, size_t *OUT_n);

/*
 * Parses a Cookie header: `name=value; name2="quoted"`.  Names are tokens
 * (RFC 7230); values are taken as they are (not %-decoded), with one pair
 * of surrounding double quotes removed.  A pair without '=', an empty or
 * non-token name, a control character or an unbalanced quote is
 * ERR_INVALID.  Empty pieces (`a=1;;b=2`) are skipped.
 */
enum err form_parse_cookies(struct arena *a, const char *s, size_t n,
			    const struct form_limits *lim,
			    struct http_param **OUT, size_t *OUT_n);

/*
 * Extracts the boundary from a multipart/form-data Content-Type value into
 * an arena string.  ERR_INVALID when it is not multipart/form-data or has
 * no boundary (or one longer than 70 characters).
 */
enum err form_multipart_boundary(struct arena *a, const char *content_type,
				 const char **OUT);

/*
 * Parses a multipart/form-data body whose Content-Type header value is
 * `content_type`.  The body must start with the first delimiter and end
 * with the final one (`--boundary--`; anything after it is ignored).  Each
 * part needs `Content-Disposition: form-data; name="…"`.  A part with a
 * non-empty filename becomes a file (its bytes are not checked); a part
 * with `filename=""` (a file input left empty) is dropped; every other
 * part is a text field and obeys the rules above.
 */
enum err form_parse_multipart(struct arena *a, const char *content_type,
			      const char *body, size_t n,
			      const struct form_limits *lim,
			      struct http_param **OUT_fields,
			      size_t *OUT_nfields, struct http_file **OUT_files,
			      size_t *OUT_nfiles);

#endif
