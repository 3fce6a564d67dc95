#include "http/response.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Headers only the server writes (see response.h). */
static const char *const owned_headers[] = {
	"Content-Security-Policy",
	"X-Content-Type-Options",
	"Referrer-Policy",
	"X-Frame-Options",
	"Permissions-Policy",
	"Cache-Control",
	"Content-Type",
	"Content-Length",
	"Content-Encoding",
	"ETag",
	"Vary",
	"Transfer-Encoding",
	"Connection",
	"Strict-Transport-Security",
	"Set-Cookie",
	"Date",
};

void
http_response_init(struct http_response *resp, struct arena *arena, bool https,
		   size_t body_limit)
{
	memset(resp, 0, sizeof(*resp));
	resp->status = 200;
	buf_init(&resp->body, body_limit);
	resp->content_type = "text/html; charset=utf-8";
	resp->arena = arena;
	resp->https = https;
	resp->no_store = true;
	resp->compress = true;
}

void
http_response_release(struct http_response *resp)
{
	buf_release(&resp->body);
	resp->headers = NULL;
	resp->nheaders = resp->cap_headers = 0;
}

static bool
is_token(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') ||
			  strchr("!#$%&'*+-.^_`|~", c) != NULL;
		if (!ok)
			return false;
	}
	return true;
}

/* Header values: visible ASCII, space, tab and UTF-8 bytes; never CR, LF,
 * NUL or other controls. */
static bool
value_ok(const char *s)
{
	if (s == NULL)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

/* Appends without the ownership check: for this module's own headers. */
static void
add_header(struct http_response *resp, const char *name, const char *value)
{
	if (resp->nheaders == resp->cap_headers) {
		size_t ncap = resp->cap_headers ? resp->cap_headers * 2 : 8;
		struct http_header *h =
			arena_alloc(resp->arena, ncap * sizeof(*h));
		if (resp->nheaders)
			memcpy(h, resp->headers, resp->nheaders * sizeof(*h));
		resp->headers = h;
		resp->cap_headers = ncap;
	}
	resp->headers[resp->nheaders++] =
		(struct http_header){arena_strdup(resp->arena, name),
				     arena_strdup(resp->arena, value)};
}

enum err
http_response_header(struct http_response *resp, const char *name,
		     const char *value)
{
	if (!is_token(name) || !value_ok(value))
		return ERR_INVALID;
	for (size_t i = 0; i < sizeof owned_headers / sizeof *owned_headers;
	     i++)
		if (strcasecmp(name, owned_headers[i]) == 0)
			return ERR_INVALID;
	add_header(resp, name, value);
	return ERR_OK;
}

const char *
http_response_get_header(const struct http_response *resp, const char *name)
{
	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

enum err
http_response_text(struct http_response *resp, const char *content_type,
		   const char *s, size_t n)
{
	buf_reset(&resp->body);
	resp->content_type = content_type;
	return buf_append(&resp->body, s, n);
}

enum err
http_cookie_name(bool https, const char *base, char *out, size_t size)
{
	int n = snprintf(out, size, "%s%s", https ? "__Host-" : "", base);
	if (n < 0 || (size_t)n >= size)
		return ERR_TOOBIG;
	return ERR_OK;
}

/* RFC 6265 cookie-octet. */
static bool
cookie_value_ok(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' ||
		    c == ';' || c == '\\')
			return false;
	}
	return true;
}

enum err
http_set_cookie(struct http_response *resp, const struct http_cookie_opts *o)
{
	const char *same_site = o->same_site ? o->same_site : "Lax";
	const char *value = o->value ? o->value : "";
	if (!is_token(o->name) || !cookie_value_ok(value))
		return ERR_INVALID;
	if (strcmp(same_site, "Lax") != 0 && strcmp(same_site, "Strict") != 0)
		return ERR_INVALID;
	if (o->max_age < -1)
		return ERR_INVALID;
	char name[256];
	if (http_cookie_name(resp->https, o->name, name, sizeof name))
		return ERR_INVALID;
	struct buf b;
	buf_init(&b, 4096);
	buf_printf(&b, "%s=%s; Path=/", name, o->max_age == 0 ? "" : value);
	if (o->max_age >= 0)
		buf_printf(&b, "; Max-Age=%ld", o->max_age);
	if (o->max_age == 0)
		buf_puts(&b, "; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
	if (resp->https)
		buf_puts(&b, "; Secure");
	if (o->http_only)
		buf_puts(&b, "; HttpOnly");
	buf_printf(&b, "; SameSite=%s", same_site);
	enum err rc = b.toobig ? ERR_INVALID : ERR_OK;
	if (rc == ERR_OK)
		add_header(resp, "Set-Cookie", buf_cstr(&b));
	buf_release(&b);
	return rc;
}

int
http_redirect(struct http_response *resp, const char *location)
{
	/* Only a path on this site: no scheme, no "//host", and nothing a
	 * browser strips before it reads the URL (tabs, spaces, controls),
	 * since "/\t/evil.example" would become "//evil.example". */
	bool ok = location != NULL && location[0] == '/' &&
		  location[1] != '/' && location[1] != '\\' &&
		  strchr(location, '\\') == NULL;
	for (const char *p = location; ok && *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			ok = false;
	const char *to = ok ? location : "/";
	for (size_t i = 0; i < resp->nheaders; i++) {
		if (strcasecmp(resp->headers[i].name, "Location") == 0) {
			resp->headers[i].value = arena_strdup(resp->arena, to);
			to = NULL;
		}
	}
	if (to != NULL)
		add_header(resp, "Location", to);
	buf_reset(&resp->body);
	resp->status = 303;
	return 303;
}
