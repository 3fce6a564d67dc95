/*
 * libFuzzer harness for the parsers of outside input in src/http/form.c:
 * url-encoded bodies, query strings, Cookie headers and multipart bodies.
 * The first byte picks the parser; for multipart the input's first line is
 * the Content-Type value and the rest the body.  Run with `make fuzz`.
 */
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct arena *a = arena_new();
	struct form_limits lim = {
		.max_fields = 50, .max_field = 4096, .max_files = 4};
	const char *s = (const char *)data + 1;
	size_t n = size - 1;
	/* The parsers take length-delimited text; give them a copy without
	 * a terminator past `n` so reads beyond it are caught. */
	char *copy = arena_alloc(a, n ? n : 1);
	memcpy(copy, s, n);
	struct http_param *params;
	size_t np;
	switch (data[0] % 4) {
	case 0: form_parse_urlencoded(a, copy, n, &lim, &params, &np); break;
	case 1: form_parse_query(a, copy, n, &lim, &params, &np); break;
	case 2: form_parse_cookies(a, copy, n, &lim, &params, &np); break;
	case 3: {
		const char *nl = memchr(copy, '\n', n);
		if (nl == NULL)
			break;
		char *ct = arena_strndup(a, copy, (size_t)(nl - copy));
		struct http_file *files;
		size_t nfiles;
		form_parse_multipart(a, ct, nl + 1, n - (size_t)(nl - copy) - 1,
				     &lim, &params, &np, &files, &nfiles);
		break;
	}
	}
	arena_free(a);
	return 0;
}
