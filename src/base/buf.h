/*
 * buf.h — a growable byte buffer with a cap.
 *
 * Every buffer is given its limit when it is made; an append that would go
 * past it appends nothing, sets `toobig` and returns ERR_TOOBIG, so callers
 * can answer 413 instead of growing without bound.  `data` is always
 * NUL-terminated once anything was appended (and buf_cstr() never returns
 * NULL).  The owner releases with buf_release().
 */
#ifndef ATIS_BASE_BUF_H
#define ATIS_BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit; /* 0 means no limit */
	bool toobig;
};

void buf_init(struct buf *b, size_t limit);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the memory */

enum err buf_append(struct buf *b, const void *p, size_t n);
enum err buf_puts(struct buf *b, const char *s);
enum err buf_putc(struct buf *b, char c);
enum err buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Never NULL: "" for an empty buffer. */
const char *buf_cstr(const struct buf *b);
/* Hands the bytes to the caller (free with free()); the buffer is empty. */
char *buf_detach(struct buf *b, size_t *OUT_len);

/* Escaping by output context: each appends `s` (of `n` bytes) escaped. */
enum err buf_html(struct buf *b, const char *s, size_t n);
enum err buf_urlarg(struct buf *b, const char *s, size_t n);

#endif
