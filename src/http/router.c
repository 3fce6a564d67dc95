#include "http/router.h"

#include <string.h>

/*
 * Matches `pattern` against `path`; on success stores the captures (as
 * pointer/length pairs into `path`) and returns true.
 */
static bool
pattern_match(const char *pattern, const char *path, const char **cap,
	      size_t *caplen, size_t *OUT_ncap)
{
	const char *p = pattern, *s = path;
	size_t ncap = 0;
	for (;;) {
		if (*p == '\0')
			break;
		if (*p == '*' && p[1] == '\0') {
			if (ncap == HTTP_MAX_PARAMS)
				return false;
			cap[ncap] = s;
			caplen[ncap++] = strlen(s);
			s += strlen(s);
			p++;
			break;
		}
		if (*p == ':' && p > pattern && p[-1] == '/') {
			const char *pend = strchr(p, '/');
			const char *send = strchr(s, '/');
			size_t slen = send ? (size_t)(send - s) : strlen(s);
			if (slen == 0 || ncap == HTTP_MAX_PARAMS)
				return false;
			cap[ncap] = s;
			caplen[ncap++] = slen;
			s += slen;
			p = pend ? pend : p + strlen(p);
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*s != '\0')
		return false;
	*OUT_ncap = ncap;
	return true;
}

static bool
method_fits(enum http_method route, enum http_method asked)
{
	if (asked == HTTP_OTHER)
		return false;
	return route == asked || (asked == HTTP_HEAD && route == HTTP_GET);
}

int
http_router_match(const struct http_route *routes, size_t nroutes,
		  enum http_method method, const char *path, struct arena *a,
		  struct http_match *OUT)
{
	static const char *const names[] = {
		[HTTP_GET] = "GET",       [HTTP_HEAD] = "HEAD",
		[HTTP_POST] = "POST",     [HTTP_PUT] = "PUT",
		[HTTP_DELETE] = "DELETE",
	};
	bool allowed[HTTP_OTHER] = {false};
	bool path_found = false;
	memset(OUT, 0, sizeof(*OUT));
	for (size_t i = 0; i < nroutes; i++) {
		const char *cap[HTTP_MAX_PARAMS];
		size_t caplen[HTTP_MAX_PARAMS], ncap;
		if (routes[i].pattern == NULL ||
		    !pattern_match(routes[i].pattern, path, cap, caplen, &ncap))
			continue;
		path_found = true;
		if (routes[i].method < HTTP_OTHER)
			allowed[routes[i].method] = true;
		if (!method_fits(routes[i].method, method))
			continue;
		OUT->status = 200;
		OUT->route = &routes[i];
		OUT->nparams = ncap;
		for (size_t k = 0; k < ncap; k++)
			OUT->params[k] = arena_strndup(a, cap[k], caplen[k]);
		return 200;
	}
	if (!path_found) {
		OUT->status = 404;
		return 404;
	}
	if (allowed[HTTP_GET])
		allowed[HTTP_HEAD] = true;
	size_t off = 0;
	for (int m = 0; m < HTTP_OTHER; m++) {
		if (!allowed[m])
			continue;
		size_t len = strlen(names[m]);
		if (off + len + 3 > sizeof OUT->allow)
			break;
		if (off) {
			memcpy(OUT->allow + off, ", ", 2);
			off += 2;
		}
		memcpy(OUT->allow + off, names[m], len);
		off += len;
	}
	OUT->allow[off] = '\0';
	OUT->status = 405;
	return 405;
}
