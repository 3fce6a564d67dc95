/*
 * response.h — what a handler fills in; the server turns it into bytes.
 *
 * The server makes one `struct http_response` per request with
 * http_response_init() and releases it with http_response_release() once
 * it has been queued; handlers only fill it in.  Header names and values
 * are copied into the request arena, so callers may pass temporaries.
 *
 * Defaults after init: status 200, content type "text/html;
 * charset=utf-8", empty body (capped at the limit given to init; an
 * append past it returns ERR_TOOBIG), no_store true (pages may carry
 * personal data: a handler must clear it to allow caching), compress true,
 * no etag, max_age 0.
 *
 * Headers the server owns — security headers, Cache-Control, Content-Type,
 * Content-Length, Content-Encoding, ETag, Vary, Transfer-Encoding,
 * Connection, Strict-Transport-Security, Set-Cookie (use
 * http_set_cookie) — are refused by http_response_header(); set the field
 * of the struct instead.
 */
#ifndef ATIS_HTTP_RESPONSE_H
#define ATIS_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

struct http_header {
	const char *name;
	const char *value;
};

struct http_response {
	int status;
	struct buf body;             /* the owner is the response */
	const char *content_type;    /* NULL: none is sent */
	struct http_header *headers; /* in the arena; nheaders of them */
	size_t nheaders, cap_headers;
	struct arena *arena; /* the request's */
	bool https;          /* from the server config: cookie naming */
	bool no_store;       /* send Cache-Control: no-store */
	/* Allows gzip; only text types (text/..., json, javascript, svg, xml)
	 * are ever compressed, and only bodies over 256 bytes. */
	bool compress;
	const char *etag; /* complete, with quotes: "\"abc\"" */
	long max_age;     /* > 0: public, max-age=N, immutable */
};

void http_response_init(struct http_response *resp, struct arena *arena,
			bool https, size_t body_limit);
void http_response_release(struct http_response *resp);

/*
 * Adds a header.  ERR_INVALID when the name is not a token or is one the
 * server owns, or the value holds CR, LF, NUL or another control character
 * (header injection).
 */
enum err http_response_header(struct http_response *resp, const char *name,
			      const char *value);
/* The first value set for `name` (case-insensitive), or NULL. */
const char *http_response_get_header(const struct http_response *resp,
				     const char *name);

/* Replaces the body with `s` (n bytes) and sets the content type. */
enum err http_response_text(struct http_response *resp,
			    const char *content_type, const char *s, size_t n);

struct http_cookie_opts {
	const char *name;  /* the base name; see http_cookie_name() */
	const char *value; /* cookie-octets only: no space " , ; \ or CTL */
	long max_age;      /* -1 session cookie, 0 delete, > 0 seconds */
	bool http_only;
	const char *same_site; /* "Lax" or "Strict"; NULL means "Lax" */
};

/*
 * Appends a Set-Cookie header.  When resp->https the name gets the
 * `__Host-` prefix and `Secure; Path=/` (never a Domain); otherwise the
 * plain name with `Path=/`.  ERR_INVALID for a bad name, value or
 * same_site.
 */
enum err http_set_cookie(struct http_response *resp,
			 const struct http_cookie_opts *opts);

/*
 * Writes the name a cookie set under `base` really has ("__Host-base" when
 * https, else "base") into `out` of `size` bytes.  ERR_TOOBIG if it does
 * not fit.  Readers use it (or http_cookie_site() in request.h) so they
 * look up the same name the writer set.
 */
enum err http_cookie_name(bool https, const char *base, char *out, size_t size);

/*
 * Answers 303 See Other with a Location of `location` when it is a
 * relative path: starts with exactly one '/', no backslash, no control
 * characters.  Anything else (absolute URLs, `//host`, `/\host`, NULL)
 * redirects to "/", so user-supplied "next" parameters cannot send anyone
 * elsewhere.  Returns 303 so a handler can `return http_redirect(…)`.
 */
int http_redirect(struct http_response *resp, const char *location);

#endif
