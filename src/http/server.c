#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <zlib.h>

#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"

#define GZIP_MIN 256
/* Past the body cap we go on reading (and dropping) this much more so the
 * client can be told 413; after that the connection is cut. */
#define DISCARD_MAX (4u << 20)
#define LOG_PATH_MAX 200

static const char CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; font-src 'self'; object-src 'none'; "
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static const struct http_header security_headers[] = {
	{"Content-Security-Policy", CSP},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
	{"Permissions-Policy", "camera=(), microphone=(), geolocation=()"},
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_server_config cfg;
	struct form_limits lim;
	unsigned port;
	pthread_key_t thread_key; /* set on workers that ran thread_init */
	bool has_key;
};

/* Everything one request needs, from the request line to completion. */
struct conn_state {
	struct http_server *srv;
	struct http_request req;
	struct http_response resp;
	struct buf body;
	const char *raw_uri; /* as sent, in the arena */
	struct timespec start;
	size_t discarded;
	bool started;
	bool toobig;
	bool truncating; /* a form over the limit, to be cut (see server.h) */
	bool replied;
};

static struct conn_state *
state_new(struct http_server *srv, const char *uri)
{
	struct conn_state *st = xcalloc(1, sizeof(*st));
	st->srv = srv;
	st->req.arena = arena_new();
	st->raw_uri = arena_strdup(st->req.arena, uri ? uri : "");
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	http_request_new_id(&st->req);
	http_response_init(&st->resp, st->req.arena, srv->cfg.https,
			   srv->cfg.max_response);
	buf_init(&st->body, srv->cfg.max_body);
	return st;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the first thing MHD tells us of a request,
 * with the URI exactly as sent; the result becomes *req_cls. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)conn;
	return state_new(cls, uri);
}

/* MHD_OPTION_NOTIFY_COMPLETED: the request's memory goes in one go. */
static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
	     enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	struct conn_state *st = *req_cls;
	if (st == NULL)
		return;
	buf_release(&st->body);
	http_response_release(&st->resp);
	arena_free(st->req.arena);
	free(st);
	*req_cls = NULL;
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_warn("mhd: %s", line);
}

/* Copies `s` for a log line: at most LOG_PATH_MAX bytes, anything outside
 * printable ASCII shown as '?' so nothing can forge log lines. */
static void
log_safe(char *out, size_t size, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		out[o++] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[o] = '\0';
}

static bool
status_ok(int status)
{
	if (status < 200 || status > 599)
		return false;
	return strcmp(MHD_get_reason_phrase_for((unsigned)status), "Unknown") !=
	       0;
}

static bool
type_compressible(const char *ct)
{
	if (ct == NULL)
		return false;
	return strncasecmp(ct, "text/", 5) == 0 || strcasestr(ct, "json") ||
	       strcasestr(ct, "javascript") || strcasestr(ct, "svg") ||
	       strcasestr(ct, "xml");
}

/* Whether an Accept-Encoding value allows gzip (an explicit q=0 refuses). */
static bool
accepts_gzip(const char *ae)
{
	bool star = false, gzip = false, gzip_listed = false;
	while (ae != NULL && *ae) {
		while (*ae == ' ' || *ae == '\t' || *ae == ',')
			ae++;
		size_t tlen = strcspn(ae, ",; \t");
		const char *tok = ae;
		size_t elen = strcspn(ae, ",");
		const char *q = memchr(ae, ';', elen);
		bool zero = false;
		if (q != NULL) {
			const char *v = strstr(q, "q=");
			if (v != NULL && v < ae + elen) {
				v += 2;
				zero = v[0] == '0';
				for (v++; zero && v < ae + elen && *v != ' ' &&
					  *v != ';';
				     v++)
					zero = *v == '0' || *v == '.';
			}
		}
		if (tlen == 4 && strncasecmp(tok, "gzip", 4) == 0) {
			gzip_listed = true;
			gzip = !zero;
		} else if (tlen == 1 && tok[0] == '*') {
			star = !zero;
		}
		ae += elen;
	}
	return gzip_listed ? gzip : star;
}

/* If-None-Match against our ETag, weak comparison (RFC 9110 13.1.2). */
static bool
etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL || etag == NULL)
		return false;
	if (str_starts(etag, "W/"))
		etag += 2;
	size_t elen = strlen(etag);
	while (*inm) {
		while (*inm == ' ' || *inm == '\t' || *inm == ',')
			inm++;
		size_t n = strcspn(inm, ",");
		size_t t = n;
		while (t > 0 && (inm[t - 1] == ' ' || inm[t - 1] == '\t'))
			t--;
		const char *tag = inm;
		if (t == 1 && tag[0] == '*')
			return true;
		if (t >= 2 && tag[0] == 'W' && tag[1] == '/') {
			tag += 2;
			t -= 2;
		}
		if (t == elen && memcmp(tag, etag, t) == 0)
			return true;
		inm += n;
	}
	return false;
}

/* gzip (RFC 1952) of `in` into a malloc'd buffer; false if it failed. */
static bool
gzip_bytes(const char *in, size_t n, char **OUT, size_t *OUT_len)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (n > UINT32_MAX / 2 || deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8,
					       Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	size_t cap = deflateBound(&zs, (uLong)n) + 64;
	char *out = xmalloc(cap);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	int rc = deflate(&zs, Z_FINISH);
	size_t len = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(out);
		return false;
	}
	*OUT = out;
	*OUT_len = len;
	return true;
}

static void
add(struct MHD_Response *mr, const char *name, const char *value)
{
	if (MHD_add_response_header(mr, name, value) != MHD_YES)
		log_warn("header %s refused by libmicrohttpd", name);
}

/*
 * Turns st->resp into a libmicrohttpd response and queues it: error page,
 * 304, gzip, headers; then the log line.
 */
static enum MHD_Result
reply(struct conn_state *st, int status)
{
	struct http_server *srv = st->srv;
	struct http_request *req = &st->req;
	struct http_response *resp = &st->resp;
	st->replied = true;
	if (!status_ok(status)) {
		log_error("[req=%s] handler returned status %d", req->id,
			  status);
		status = 500;
		buf_reset(&resp->body);
		resp->etag = NULL;
		resp->max_age = 0;
	}
	if (status >= 400 && resp->body.len == 0) {
		resp->content_type = "text/html; charset=utf-8";
		if (srv->cfg.error_page != NULL)
			srv->cfg.error_page(req, resp, status);
		if (resp->body.len == 0) {
			resp->content_type = "text/plain; charset=utf-8";
			buf_printf(&resp->body, "%d %s\n", status,
				   MHD_get_reason_phrase_for((unsigned)status));
		}
	}
	if (status == 200 && resp->etag != NULL &&
	    etag_matches(http_header(req, "If-None-Match"), resp->etag))
		status = 304;
	if (status == 204 || status == 304)
		buf_reset(&resp->body);

	bool compressible =
		resp->compress && type_compressible(resp->content_type);
	size_t len;
	char *data = buf_detach(&resp->body, &len);
	bool gz = false;
	if (compressible && len > GZIP_MIN &&
	    accepts_gzip(http_header(req, "Accept-Encoding"))) {
		char *z;
		size_t zlen;
		if (gzip_bytes(data, len, &z, &zlen)) {
			if (zlen < len) {
				free(data);
				data = z;
				len = zlen;
				gz = true;
			} else {
				free(z);
			}
		}
	}
	struct MHD_Response *mr = MHD_create_response_from_buffer(
		len, data, MHD_RESPMEM_MUST_FREE);
	if (mr == NULL) {
		free(data);
		log_error("[req=%s] cannot make a response", req->id);
		return MHD_NO;
	}
	if (status != 304 && resp->content_type != NULL)
		add(mr, "Content-Type", resp->content_type);
	if (gz)
		add(mr, "Content-Encoding", "gzip");
	if (compressible)
		add(mr, "Vary", "Accept-Encoding");
	for (size_t i = 0; i < resp->nheaders; i++)
		add(mr, resp->headers[i].name, resp->headers[i].value);
	if (resp->etag != NULL)
		add(mr, "ETag", resp->etag);
	if (resp->max_age > 0) {
		char cc[80];
		snprintf(cc, sizeof cc, "public, max-age=%ld, immutable",
			 resp->max_age);
		add(mr, "Cache-Control", cc);
	} else if (resp->no_store) {
		add(mr, "Cache-Control", "no-store");
	}
	for (size_t i = 0;
	     i < sizeof security_headers / sizeof *security_headers; i++)
		add(mr, security_headers[i].name, security_headers[i].value);
	if (srv->cfg.https)
		add(mr, "Strict-Transport-Security",
		    "max-age=31536000; includeSubDomains");
	enum MHD_Result rc =
		MHD_queue_response(req->conn, (unsigned)status, mr);
	MHD_destroy_response(mr);

	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long us = (long long)(now.tv_sec - st->start.tv_sec) * 1000000 +
		       (now.tv_nsec - st->start.tv_nsec) / 1000;
	char method[16], path[LOG_PATH_MAX + 1];
	log_safe(method, sizeof method, req->method_name,
		 strlen(req->method_name));
	/* The path as sent (still %-encoded), never the query string. */
	log_safe(path, sizeof path, st->raw_uri, strcspn(st->raw_uri, "?#"));
	log_msg(status >= 500 ? LOG_ERROR : LOG_INFO, req->id,
		"%s %s %d %lldus", method, path, status, us);
	return rc;
}

/* Collects every Cookie header (a proxy may split them). */
static enum MHD_Result
collect_cookie(void *cls, enum MHD_ValueKind kind, const char *key,
	       const char *value)
{
	(void)kind;
	struct buf *b = cls;
	if (key == NULL || value == NULL || strcasecmp(key, "Cookie") != 0)
		return MHD_YES;
	if (b->len > 0)
		buf_puts(b, "; ");
	buf_puts(b, value);
	return MHD_YES;
}

static int
status_of(enum err rc)
{
	return rc == ERR_TOOBIG ? 413 : 400;
}

/*
 * The headers are in: fill the request from the request line, headers and
 * peer, and refuse what is already wrong.  Returns 0 or an error status.
 * Cookies come first so that an error page for a bad path or query can
 * still see them (e.g. the language).
 */
static int
request_begin(struct conn_state *st, struct MHD_Connection *conn,
	      const char *method)
{
	struct http_server *srv = st->srv;
	struct http_request *req = &st->req;
	struct arena *a = req->arena;
	req->conn = conn;
	req->method = http_method_of(method);
	req->method_name = arena_strdup(a, method ? method : "");
	req->https = srv->cfg.https;
	req->app = srv->cfg.app;
	req->body = "";
	req->path = ""; /* until it is known good */
	req->remote_addr = "";
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		char ip[INET6_ADDRSTRLEN];
		const struct sockaddr *sa = ci->client_addr;
		const void *src = NULL;
		if (sa->sa_family == AF_INET)
			src = &((const struct sockaddr_in *)sa)->sin_addr;
		else if (sa->sa_family == AF_INET6)
			src = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (src && inet_ntop(sa->sa_family, src, ip, sizeof ip))
			req->remote_addr = arena_strdup(a, ip);
	}

	struct buf cookies;
	buf_init(&cookies, srv->cfg.max_header_bytes);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_cookie,
				  &cookies);
	enum err rc = cookies.toobig ? ERR_TOOBIG : ERR_OK;
	if (rc == ERR_OK)
		rc = form_parse_cookies(a, buf_cstr(&cookies), cookies.len,
					&srv->lim, &req->cookies,
					&req->ncookies);
	buf_release(&cookies);
	if (rc)
		return status_of(rc);

	const char *uri = st->raw_uri;
	size_t plen = strcspn(uri, "?#");
	char *path;
	size_t path_len;
	if (form_url_decode(a, uri, plen, false, &path, &path_len) ||
	    path_len == 0 || path[0] != '/' ||
	    memchr(path, '\0', path_len) != NULL || !utf8_valid(path, path_len))
		return 400;
	req->path = path;
	if (uri[plen] == '?') {
		const char *q = uri + plen + 1;
		rc = form_parse_query(a, q, strcspn(q, "#"), &srv->lim,
				      &req->query, &req->nquery);
		if (rc)
			return status_of(rc);
	}

	const char *cl = http_header(req, "Content-Length");
	if (cl != NULL) {
		int64_t n;
		if (str_to_i64(cl, 0, INT64_MAX, &n))
			return 400;
		if ((uint64_t)n > srv->cfg.max_body) {
			const char *ct = http_header(req, "Content-Type");
			if ((uint64_t)n > srv->cfg.max_truncated_form ||
			    ct == NULL ||
			    strncasecmp(ct, "multipart/form-data", 19) != 0)
				return 413;
			st->truncating = true;
		}
	}
	return 0;
}

/*
 * Keeps the parts of a cut multipart body that arrived whole: the body is
 * cut before the last delimiter and given a final one.  false when not
 * even one part is whole.
 */
static bool
cut_form(struct conn_state *st, const char *ct)
{
	struct http_request *req = &st->req;
	const char *boundary;
	if (form_multipart_boundary(req->arena, ct, &boundary))
		return false;
	size_t blen = strlen(boundary);
	const char *body = st->body.data;
	size_t n = st->body.len;
	/* The last "\r\n--boundary" in what arrived. */
	size_t cut = 0;
	for (size_t i = 0; i + 4 + blen <= n; i++)
		if (body[i] == '\r' && body[i + 1] == '\n' &&
		    body[i + 2] == '-' && body[i + 3] == '-' &&
		    memcmp(body + i + 4, boundary, blen) == 0)
			cut = i;
	if (cut == 0)
		return false;
	size_t len = cut + 2 + 2 + blen + 4;
	char *copy = arena_alloc(req->arena, len + 1);
	memcpy(copy, body, cut);
	snprintf(copy + cut, len + 1 - cut, "\r\n--%s--\r\n", boundary);
	req->body = copy;
	req->body_len = len;
	req->truncated = true;
	return true;
}

/* The body is in: parse forms, route, guard, handler.  Returns the status. */
static int
request_run(struct conn_state *st)
{
	struct http_server *srv = st->srv;
	struct http_request *req = &st->req;
	struct http_response *resp = &st->resp;
	const char *ct = http_header(req, "Content-Type");
	req->body = buf_cstr(&st->body);
	req->body_len = st->body.len;
	if (st->toobig && !(st->truncating && cut_form(st, ct)))
		return 413;

	enum err rc = ERR_OK;
	if (ct != NULL &&
	    strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		rc = form_parse_urlencoded(req->arena, req->body, req->body_len,
					   &srv->lim, &req->form, &req->nform);
	else if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0)
		rc = form_parse_multipart(
			req->arena, ct, req->body, req->body_len, &srv->lim,
			&req->form, &req->nform, &req->files, &req->nfiles);
	if (rc)
		return status_of(rc);

	struct http_match m;
	int status = http_router_match(srv->cfg.routes, srv->cfg.nroutes,
				       req->method, req->path, req->arena, &m);
	if (status == 405)
		http_response_header(resp, "Allow", m.allow);
	if (status != 200)
		return status;
	for (size_t i = 0; i < m.nparams; i++)
		req->params[i] = m.params[i];
	req->nparams = m.nparams;
	if (srv->cfg.guard != NULL) {
		status = srv->cfg.guard(req, resp, m.route);
		if (status != 0)
			return status;
	}
	if (m.route->handler == NULL)
		return 500;
	return m.route->handler(req, resp);
}

/* pthread key destructor: a worker that ran thread_init is exiting. */
static void
on_thread_exit(void *value)
{
	struct http_server *srv = value;
	srv->cfg.thread_release(srv->cfg.app);
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url,
	  const char *method, const char *version, const char *upload_data,
	  size_t *upload_data_size, void **req_cls)
{
	(void)version;
	static _Thread_local const struct http_server *thread_ready;
	struct http_server *srv = cls;
	struct conn_state *st = *req_cls;
	if (st == NULL) /* only if MHD skipped the URI callback */
		st = *req_cls = state_new(srv, url);
	if (thread_ready != srv) {
		if (srv->cfg.thread_init != NULL)
			srv->cfg.thread_init(srv->cfg.app);
		if (srv->has_key)
			pthread_setspecific(srv->thread_key, srv);
		thread_ready = srv;
	}
	if (st->replied) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!st->started) {
		st->started = true;
		int status = request_begin(st, conn, method);
		return status ? reply(st, status) : MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (!st->toobig &&
		    buf_append(&st->body, upload_data, *upload_data_size))
			st->toobig = true;
		if (st->toobig) {
			st->discarded += *upload_data_size;
			/* A form being cut is read to its end (its size was
			 * checked against max_truncated_form up front). */
			if (st->discarded > DISCARD_MAX && !st->truncating)
				return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	return reply(st, request_run(st));
}

enum err
http_server_start(const struct http_server_config *cfg,
		  struct http_server **OUT)
{
	enum err rc = ERR_OK;
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	struct http_server_config *c = &srv->cfg;
	if (c->threads == 0)
		c->threads = 4;
	if (c->timeout_s == 0)
		c->timeout_s = 30;
	if (c->max_connections == 0)
		c->max_connections = 1024;
	if (c->max_body == 0)
		c->max_body = 1u << 20;
	if (c->max_field == 0)
		c->max_field = 64u << 10;
	if (c->max_header_bytes == 0)
		c->max_header_bytes = 32u << 10;
	if (c->max_header_bytes < 16u << 10)
		c->max_header_bytes = 16u << 10;
	if (c->max_response == 0)
		c->max_response = 32u << 20;
	srv->lim =
		(struct form_limits){c->max_fields, c->max_field, c->max_files};

	if (c->thread_release != NULL) {
		if (pthread_key_create(&srv->thread_key, on_thread_exit) != 0) {
			rc = ERR_IO;
			goto out;
		}
		srv->has_key = true;
	}

	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	const char *addr = c->address ? c->address : "127.0.0.1";
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (c->port > 65535) {
		rc = ERR_INVALID;
		goto out;
	}
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)c->port);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)c->port);
		flags |= MHD_USE_IPv6;
	} else {
		rc = ERR_INVALID;
		goto out;
	}
	srv->daemon = MHD_start_daemon(
		flags, (uint16_t)c->port, NULL, NULL, on_access, srv,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)c->threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)c->timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)c->max_connections,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)c->max_header_bytes,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		log_error("cannot listen on %s port %u", addr, c->port);
		rc = ERR_IO;
		goto out;
	}
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : c->port;
	log_info("listening on %s port %u (%u threads)", addr, srv->port,
		 c->threads);
out:
	if (rc) {
		if (srv->has_key)
			pthread_key_delete(srv->thread_key);
		free(srv);
		srv = NULL;
	}
	*OUT = srv;
	return rc;
}

unsigned
http_server_port(const struct http_server *s)
{
	return s->port;
}

void
http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	/* Joins the workers, which runs thread_release on each. */
	MHD_stop_daemon(s->daemon);
	if (s->has_key)
		pthread_key_delete(s->thread_key);
	free(s);
}
