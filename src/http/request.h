/*
 * request.h — one HTTP request as handlers see it.
 *
 * The server builds a `struct http_request` for each request inside the
 * request's arena (`arena`), which is freed in one go when the request
 * completes: every pointer reachable from here, and everything a handler
 * allocates from `arena`, is valid until then and not a moment longer.
 * Nothing in it may be kept across requests.  A request is used by one
 * thread at a time.
 *
 * By the time a handler runs, what came from outside has been checked:
 * `path` is percent-decoded, valid UTF-8 and free of NUL; query, form and
 * cookie names and values obey the rules in form.h (UTF-8, no NUL, limits);
 * a malformed one made the server answer 400 (or 413) before any handler.
 * Header values (http_header) are as the client sent them: not checked.
 */
#ifndef ATIS_HTTP_REQUEST_H
#define ATIS_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "http/form.h"

#define HTTP_MAX_PARAMS 4

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_DELETE,
	HTTP_OTHER
};

struct MHD_Connection;

struct http_request {
	struct arena *arena;
	enum http_method method;
	const char *method_name;  /* as sent, e.g. "OPTIONS" for HTTP_OTHER */
	const char *path;         /* decoded; starts with '/'; no query */
	struct http_param *query; /* from the query string */
	size_t nquery;
	struct http_param *form; /* urlencoded or multipart text fields */
	size_t nform;
	struct http_file *files; /* multipart parts with a filename */
	size_t nfiles;
	struct http_param *cookies;
	size_t ncookies;
	const char *remote_addr; /* text IP of the peer (the proxy, if any) */
	char id[17];             /* 16 hex digits, unique per request */
	const char *body;        /* raw body, NUL-terminated; "" when none */
	size_t body_len;
	const char *params[HTTP_MAX_PARAMS]; /* route captures, in order */
	size_t nparams;
	bool https; /* from the server config */
	/* A multipart body over the limit: only the parts that arrived
	 * whole are in form/files (see max_truncated_form in server.h). */
	bool truncated;
	void *app;                   /* from the server config */
	void *user;                  /* free for the web layer (e.g. session) */
	struct MHD_Connection *conn; /* private to http/; NULL in unit tests */
};

enum http_method http_method_of(const char *name);
const char *http_method_name(enum http_method m);

/* Fills req->id with 16 fresh hex digits (per-thread counter + random). */
void http_request_new_id(struct http_request *req);

/* A request header, case-insensitive name; NULL if absent. */
const char *http_header(const struct http_request *req, const char *name);
/* The first query parameter / form field / cookie called `name`, or NULL. */
const char *http_query(const struct http_request *req, const char *name);
const char *http_form(const struct http_request *req, const char *name);
const char *http_cookie(const struct http_request *req, const char *name);
/* The cookie that http_set_cookie() set under `base`, i.e. read under
 * "__Host-base" when req->https (see http_cookie_name in response.h). */
const char *http_cookie_site(const struct http_request *req, const char *base);
/* Stores up to `max` values of form field `name` in OUT (for checkboxes
 * and multi-selects); returns how many there are in all. */
size_t http_form_all(const struct http_request *req, const char *name,
		     const char **OUT, size_t max);
/* The first uploaded file of field `name`, or NULL. */
const struct http_file *http_file(const struct http_request *req,
				  const char *name);
/* Route capture `i`, or NULL when there is none. */
const char *http_param(const struct http_request *req, size_t i);

#endif
