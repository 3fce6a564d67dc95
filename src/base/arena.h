/*
 * arena.h — a region allocator: many allocations, one free.
 *
 * Each HTTP request owns one arena, made when the request arrives and freed
 * in one go when it completes; nothing allocated from it may outlive it.
 * Allocations are 16-byte aligned and never fail (see mem.h).  An arena is
 * used by one thread at a time.
 */
#ifndef ATIS_BASE_ARENA_H
#define ATIS_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Frees every block; `a` may be NULL. */
void arena_free(struct arena *a);

void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
/* Bytes handed out so far (for tests and limits). */
size_t arena_used(const struct arena *a);

#endif
