/*
 * cache.h — rendered public pages, kept for a moment.
 *
 * A public page that is the same for every visitor (no session, no form,
 * no message) is rendered once per language and served from memory for
 * `ttl_ms`; the slot is rendered again after that.  So a change in the
 * directory shows on the home page within the lifetime, whichever app
 * server made it, and a burst of visitors costs one render a second.
 * Thread-safe: one mutex per slot, held only to copy bytes.
 */
#ifndef ATIS_WEB_CACHE_H
#define ATIS_WEB_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

struct page_cache;

struct page_cache *page_cache_new(size_t nslots, int64_t ttl_ms);
void page_cache_free(struct page_cache *pc);
/* Appends slot `i`'s page to `out` if it is fresh; false otherwise. */
bool page_cache_get(struct page_cache *pc, size_t i, struct buf *out);
void page_cache_put(struct page_cache *pc, size_t i, const char *data,
		    size_t len);

#endif
