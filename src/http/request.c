#include "http/request.h"

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "base/str.h"

enum http_method
http_method_of(const char *name)
{
	static const struct {
		const char *name;
		enum http_method m;
	} table[] = {
		{"GET", HTTP_GET}, {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
		{"PUT", HTTP_PUT}, {"DELETE", HTTP_DELETE},
	};
	for (size_t i = 0; name && i < sizeof table / sizeof *table; i++)
		if (strcmp(name, table[i].name) == 0)
			return table[i].m;
	return HTTP_OTHER;
}

const char *
http_method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET: return "GET";
	case HTTP_HEAD: return "HEAD";
	case HTTP_POST: return "POST";
	case HTTP_PUT: return "PUT";
	case HTTP_DELETE: return "DELETE";
	case HTTP_OTHER: break;
	}
	return "OTHER";
}

/*
 * Request ids: 20 random bits drawn once per thread, 12 bits of thread
 * number and a 32-bit per-thread counter.  Within one process two threads
 * never share a prefix (up to 4096 threads), so ids are unique; the random
 * part keeps several processes apart in the logs.
 */
void
http_request_new_id(struct http_request *req)
{
	static atomic_uint next_thread;
	static _Thread_local uint64_t prefix;
	static _Thread_local uint32_t counter;
	static _Thread_local bool ready;
	if (!ready) {
		uint32_t r = 0;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r = (uint32_t)time(NULL) ^ (uint32_t)(uintptr_t)&r;
		unsigned t = atomic_fetch_add(&next_thread, 1) & 0xfffu;
		prefix = ((uint64_t)(r & 0xfffffu) << 44) | ((uint64_t)t << 32);
		ready = true;
	}
	uint64_t v = prefix | counter++;
	unsigned char bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(v >> (56 - 8 * i));
	hex_encode(bytes, sizeof bytes, req->id);
}

const char *
http_header(const struct http_request *req, const char *name)
{
	if (req->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static const struct http_param *
find(const struct http_param *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

const char *
http_query(const struct http_request *req, const char *name)
{
	const struct http_param *p = find(req->query, req->nquery, name);
	return p ? p->value : NULL;
}

const char *
http_form(const struct http_request *req, const char *name)
{
	const struct http_param *p = find(req->form, req->nform, name);
	return p ? p->value : NULL;
}

const char *
http_cookie(const struct http_request *req, const char *name)
{
	const struct http_param *p = find(req->cookies, req->ncookies, name);
	return p ? p->value : NULL;
}

const char *
http_cookie_site(const struct http_request *req, const char *base)
{
	if (!req->https)
		return http_cookie(req, base);
	for (size_t i = 0; i < req->ncookies; i++) {
		const char *n = req->cookies[i].name;
		if (str_starts(n, "__Host-") && strcmp(n + 7, base) == 0)
			return req->cookies[i].value;
	}
	return NULL;
}

size_t
http_form_all(const struct http_request *req, const char *name,
	      const char **OUT, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < req->nform; i++) {
		if (strcmp(req->form[i].name, name) != 0)
			continue;
		if (k < max)
			OUT[k] = req->form[i].value;
		k++;
	}
	return k;
}

const struct http_file *
http_file(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nfiles; i++)
		if (strcmp(req->files[i].field, name) == 0)
			return &req->files[i];
	return NULL;
}

const char *
http_param(const struct http_request *req, size_t i)
{
	return i < req->nparams ? req->params[i] : NULL;
}
