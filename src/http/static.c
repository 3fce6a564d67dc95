#include "http/static.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "base/str.h"

#define ONE_YEAR 31536000L

const char *
http_static_type(const char *name)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
		{".json", "application/json"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
		if (strcasecmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* FNV-1a, 64 bits, seeded with the length: enough to tell versions of a
 * file apart (it is not a defence against anyone). */
static uint64_t
hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)n;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void
http_static_init(struct http_static *st, const struct http_static_file *files,
		 size_t n, const char *prefix)
{
	size_t plen = prefix ? strlen(prefix) : 0;
	st->entries = xcalloc(n ? n : 1, sizeof(*st->entries));
	st->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (files[i].path == NULL ||
		    strncmp(files[i].path, prefix ? prefix : "", plen) != 0 ||
		    files[i].path[plen] == '\0')
			continue;
		struct http_static_entry *e = &st->entries[st->n++];
		e->file = &files[i];
		e->name = files[i].path + plen;
		e->content_type = http_static_type(e->name);
		uint64_t h = hash_bytes(files[i].data, files[i].len);
		unsigned char b[8];
		for (int k = 0; k < 8; k++)
			b[k] = (unsigned char)(h >> (56 - 8 * k));
		hex_encode(b, sizeof b, e->version);
		snprintf(e->etag, sizeof e->etag, "\"%s\"", e->version);
	}
}

void
http_static_release(struct http_static *st)
{
	free(st->entries);
	st->entries = NULL;
	st->n = 0;
}

static const struct http_static_entry *
lookup(const struct http_static *st, const char *name)
{
	for (size_t i = 0; name && i < st->n; i++)
		if (strcmp(st->entries[i].name, name) == 0)
			return &st->entries[i];
	return NULL;
}

const char *
http_static_version(const struct http_static *st, const char *name)
{
	const struct http_static_entry *e = lookup(st, name);
	return e ? e->version : NULL;
}

int
http_static_serve(struct http_request *req, struct http_response *resp,
		  const struct http_static *st, const char *name)
{
	(void)req;
	const struct http_static_entry *e = lookup(st, name);
	if (e == NULL)
		return 404;
	buf_reset(&resp->body);
	if (buf_append(&resp->body, e->file->data, e->file->len))
		return 500;
	resp->content_type = e->content_type;
	resp->etag = e->etag;
	resp->max_age = ONE_YEAR;
	resp->no_store = false;
	return 200;
}
