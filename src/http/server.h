/*
 * server.h — the libmicrohttpd adapter.
 *
 * http_server_start() copies the config (but not what its pointers point
 * to: the route table, `app` and the strings must outlive the server) and
 * starts a pool of `threads` worker threads.  The caller owns the server
 * and stops it with http_server_stop(), which waits for the workers.
 *
 * A request's way through (see DESIGN.md): the request line arrives → a
 * request arena and id are made → the path (percent-decoded, UTF-8, no
 * NUL), query string and Cookie header are parsed (malformed → 400, over a
 * limit → 413) → a Content-Length over `max_body` is refused with 413
 * before any of the body is read (and the body buffer is capped at
 * `max_body` while reading) → at the end of the body, url-encoded and
 * multipart forms are parsed → router (404, or 405 with Allow) → guard →
 * handler → finishing touches (error page, ETag/304, gzip, security
 * headers, Cache-Control) → one log line.  The arena and body are freed
 * when libmicrohttpd says the request completed.
 *
 * A handler may return any int: statuses that are not real HTTP statuses
 * in 200..599 become 500.  Handlers run on the worker threads, several at
 * once; `thread_init` runs once on each worker before its first request
 * and `thread_release` when that worker exits (for per-thread database
 * connections).
 */
#ifndef ATIS_HTTP_SERVER_H
#define ATIS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"

struct http_server_config {
	const char *address; /* IPv4 or IPv6 literal; NULL = 127.0.0.1 */
	unsigned port;       /* 0 = any free port; see http_server_port() */
	unsigned threads;    /* worker threads; 0 = 4 */
	unsigned timeout_s;  /* idle connection timeout; 0 = 30 */
	unsigned max_connections; /* open at once; 0 = 1024 */
	size_t max_body;   /* request body bytes; 0 = 1 MiB; above → 413 */
	size_t max_field;  /* one form/query/cookie value; 0 = 64 KiB */
	size_t max_fields; /* form/query/cookie pairs each; 0 = 200 */
	size_t max_files;  /* multipart files; 0 = 10 */
	/* A multipart form over max_body is not refused at once: up to this
	 * many bytes in all are read, the first max_body kept, and the parts
	 * that arrived whole are handed on with req->truncated set (the
	 * guard decides who may take such a request).  0: refuse with 413,
	 * as for any other body. */
	size_t max_truncated_form;
	size_t max_header_bytes; /* request line + headers; 0 = 32 KiB */
	size_t max_response;     /* response body cap; 0 = 32 MiB */
	bool https;              /* served over HTTPS (behind a proxy) */
	const struct http_route *routes;
	size_t nroutes;
	void *app; /* copied into every request's `app` */
	/* Before the handler: 0 to go on, else the status to stop with (the
	 * guard may fill `resp`, e.g. with a redirect).  May be NULL. */
	int (*guard)(struct http_request *req, struct http_response *resp,
		     const struct http_route *route);
	/* Fills the body of an error response (status >= 400) that was left
	 * empty; may be NULL (a plain-text line is sent then).  It may run
	 * before routing, on a request refused early: then req->path is ""
	 * when the path itself was bad, and form, files, params and even
	 * cookies may be empty; req->user is whatever the guard left. */
	void (*error_page)(struct http_request *req, struct http_response *resp,
			   int status);
	/* Runs once on each worker thread before its first request. */
	void (*thread_init)(void *app);
	/* Runs as such a worker thread exits (http_server_stop), on that
	 * thread: e.g. to close its database connection.  May be NULL. */
	void (*thread_release)(void *app);
};

struct http_server;

/* ERR_IO when the daemon cannot start (e.g. the port is taken),
 * ERR_INVALID for a bad address. */
enum err http_server_start(const struct http_server_config *cfg,
			   struct http_server **OUT);
/* The port really bound (useful when 0 was asked for). */
unsigned http_server_port(const struct http_server *s);
/* Stops the workers and frees the server; `s` may be NULL. */
void http_server_stop(struct http_server *s);

#endif
