/*
 * mem.h — allocation that never returns NULL.
 *
 * ATIS has one out-of-memory policy: log and abort.  So a NULL pointer in
 * this code base always means "absent", never "no memory".
 */
#ifndef ATIS_BASE_MEM_H
#define ATIS_BASE_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
