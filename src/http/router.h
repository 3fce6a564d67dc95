/*
 * router.h — the declarative route table.
 *
 * The web layer writes the whole site as one array of `struct http_route`
 * (method, pattern, handler, required role) and hands it to the server;
 * the table is read-only and may be shared by all threads.
 *
 * Patterns are matched segment by segment against the decoded path:
 *   "/cases"            literal segments, compared byte for byte;
 *   "/cases/:id"        `:name` captures one non-empty segment;
 *   "/static/" + "*"    a trailing `*` captures the rest (possibly empty,
 *                       possibly holding '/'); it does not match "/static".
 * At most HTTP_MAX_PARAMS captures per pattern, stored in order.  The first
 * route in table order that matches path and method wins.  HEAD matches
 * GET routes (and HEAD routes); HTTP_OTHER never matches.
 */
#ifndef ATIS_HTTP_ROUTER_H
#define ATIS_HTTP_ROUTER_H

#include <stddef.h>

#include "base/arena.h"
#include "http/request.h"
#include "http/response.h"

/* Returns the HTTP status of what it put into `resp`. */
typedef int (*http_handler_fn)(struct http_request *req,
			       struct http_response *resp);

struct http_route {
	enum http_method method;
	const char *pattern;
	http_handler_fn handler;
	int access; /* opaque to http: the web layer's required role */
};

struct http_match {
	int status; /* 200 found, 404 no such path, 405 wrong method */
	const struct http_route *route;      /* when 200 */
	const char *params[HTTP_MAX_PARAMS]; /* captures, in the arena */
	size_t nparams;
	char allow[48]; /* when 405: e.g. "GET, HEAD, POST" */
};

/* Fills OUT and returns OUT->status.  Captures are copied into `a`. */
int http_router_match(const struct http_route *routes, size_t nroutes,
		      enum http_method method, const char *path,
		      struct arena *a, struct http_match *OUT);

#endif
