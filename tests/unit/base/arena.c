/*
 * Tests for src/base/arena.c: 16-byte alignment, allocations larger than a
 * block, that big allocations leave the current block usable, and the
 * string helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"

static int
setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int
teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static void
assert_aligned(const void *p)
{
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 16, 0);
}

static void
test_alignment(void **state)
{
	struct arena *a = *state;
	/* Odd sizes, enough of them to fill several blocks. */
	for (size_t n = 0; n < 600; n++) {
		unsigned char *p = arena_alloc(a, n % 37 + 1);
		assert_aligned(p);
		memset(p, 0xAB, n % 37 + 1); /* ASan: the bytes are ours */
	}
	assert_aligned(arena_alloc(a, 0));
	assert_aligned(arena_zalloc(a, 3));
	assert_aligned(arena_strdup(a, "x"));
	assert_aligned(arena_printf(a, "%d", 7));
}

/* Allocations do not overlap: each keeps the bytes written into it. */
static void
test_no_overlap(void **state)
{
	struct arena *a = *state;
	enum { N = 300 };
	unsigned char *p[N];
	size_t len[N];
	for (size_t i = 0; i < N; i++) {
		len[i] = (i * 7919) % 200 + 1;
		p[i] = arena_alloc(a, len[i]);
		memset(p[i], (int)(i & 0xFF), len[i]);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < len[i]; k++)
			assert_int_equal(p[i][k], i & 0xFF);
}

static void
test_big(void **state)
{
	struct arena *a = *state;
	char *small1 = arena_strdup(a, "before");
	/* Far larger than a block (8 KiB). */
	size_t big_n = 1024 * 1024 + 3;
	unsigned char *big = arena_alloc(a, big_n);
	assert_aligned(big);
	memset(big, 0x5A, big_n);
	/* Small allocations after a big one still work and do not land in
	 * the big one. */
	char *small2 = arena_strdup(a, "after");
	assert_aligned(small2);
	assert_true((unsigned char *)small2 + 6 <= big ||
		    (unsigned char *)small2 >= big + big_n);
	assert_string_equal(small1, "before");
	assert_string_equal(small2, "after");
	assert_int_equal(big[0], 0x5A);
	assert_int_equal(big[big_n - 1], 0x5A);
	/* Exactly a block, and a block plus one. */
	unsigned char *b1 = arena_alloc(a, 8192);
	memset(b1, 1, 8192);
	unsigned char *b2 = arena_alloc(a, 8193);
	memset(b2, 2, 8193);
	assert_aligned(b1);
	assert_aligned(b2);
	assert_int_equal(b1[8191], 1);
	assert_int_equal(b2[8192], 2);
}

static void
test_used(void **state)
{
	struct arena *a = *state;
	assert_int_equal(arena_used(a), 0);
	arena_alloc(a, 10);
	assert_int_equal(arena_used(a), 10);
	arena_alloc(a, 100000);
	assert_int_equal(arena_used(a), 100010);
	arena_strdup(a, "abc"); /* 4 with the NUL */
	assert_int_equal(arena_used(a), 100014);
}

static void
test_zalloc(void **state)
{
	struct arena *a = *state;
	/* Dirty a block first so zeroing is not a fresh-page accident. */
	unsigned char *d = arena_alloc(a, 64);
	memset(d, 0xFF, 64);
	unsigned char *z = arena_zalloc(a, 5000);
	for (size_t i = 0; i < 5000; i++)
		assert_int_equal(z[i], 0);
	unsigned char *zb = arena_zalloc(a, 20000);
	for (size_t i = 0; i < 20000; i++)
		assert_int_equal(zb[i], 0);
}

static void
test_strings(void **state)
{
	struct arena *a = *state;
	const char src[] = "hello world";
	char *s = arena_strdup(a, src);
	assert_string_equal(s, "hello world");
	assert_ptr_not_equal(s, src);
	assert_string_equal(arena_strndup(a, src, 5), "hello");
	assert_string_equal(arena_strndup(a, src, 0), "");
	assert_string_equal(arena_strdup(a, ""), "");
	/* strndup copies exactly n bytes, even without a NUL in them. */
	const char raw[3] = {'a', 'b', 'c'};
	assert_string_equal(arena_strndup(a, raw, 3), "abc");
}

static char *
vp(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

static void
test_printf(void **state)
{
	struct arena *a = *state;
	assert_string_equal(arena_printf(a, "%s-%d-%05.1f", "x", 42, 3.14159),
			    "x-42-003.1");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	assert_string_equal(vp(a, "%c%c%lld", 'o', 'k', (long long)-9), "ok-9");
	/* A result larger than a block. */
	size_t n = 20000;
	char *big = malloc(n + 1);
	memset(big, 'q', n);
	big[n] = '\0';
	char *s = arena_printf(a, "<%s>", big);
	assert_int_equal(strlen(s), n + 2);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[n], 'q');
	assert_int_equal(s[n + 1], '>');
	free(big);
}

static void
test_free_null(void **state)
{
	(void)state;
	arena_free(NULL);
	struct arena *a = arena_new();
	assert_int_equal(arena_used(a), 0);
	arena_free(a); /* empty arena */
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_alignment), T(test_no_overlap),
		T(test_big),       T(test_used),
		T(test_zalloc),    T(test_strings),
		T(test_printf),    cmocka_unit_test(test_free_null),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
