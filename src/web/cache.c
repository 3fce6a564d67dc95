#include "web/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"

struct slot {
	pthread_mutex_t lock;
	char *data;
	size_t len;
	int64_t expires_ms;
};

struct page_cache {
	struct slot *slots;
	size_t n;
	int64_t ttl_ms;
};

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct page_cache *
page_cache_new(size_t nslots, int64_t ttl_ms)
{
	struct page_cache *pc = xcalloc(1, sizeof *pc);
	pc->slots = xcalloc(nslots, sizeof *pc->slots);
	pc->n = nslots;
	pc->ttl_ms = ttl_ms;
	for (size_t i = 0; i < nslots; i++)
		pthread_mutex_init(&pc->slots[i].lock, NULL);
	return pc;
}

void
page_cache_free(struct page_cache *pc)
{
	if (pc == NULL)
		return;
	for (size_t i = 0; i < pc->n; i++) {
		pthread_mutex_destroy(&pc->slots[i].lock);
		free(pc->slots[i].data);
	}
	free(pc->slots);
	free(pc);
}

bool
page_cache_get(struct page_cache *pc, size_t i, struct buf *out)
{
	if (i >= pc->n || pc->ttl_ms <= 0)
		return false;
	struct slot *s = &pc->slots[i];
	bool hit = false;
	pthread_mutex_lock(&s->lock);
	if (s->data != NULL && now_ms() < s->expires_ms)
		hit = buf_append(out, s->data, s->len) == ERR_OK;
	pthread_mutex_unlock(&s->lock);
	return hit;
}

void
page_cache_put(struct page_cache *pc, size_t i, const char *data, size_t len)
{
	if (i >= pc->n || pc->ttl_ms <= 0)
		return;
	char *copy = xmalloc(len);
	memcpy(copy, data, len);
	struct slot *s = &pc->slots[i];
	pthread_mutex_lock(&s->lock);
	char *old = s->data;
	s->data = copy;
	s->len = len;
	s->expires_ms = now_ms() + pc->ttl_ms;
	pthread_mutex_unlock(&s->lock);
	free(old);
}
