/*
 * Tests for src/base/crypto.c: the key file (never overwritten, mode
 * 0600, exact size), key derivation, Argon2id password hashes, tokens,
 * SHA-256 and HMAC, constant-time comparison and sealed text.
 *
 * Known answers (HMAC, key derivation) were computed with Python's hmac
 * and hashlib.blake2b, so a change of algorithm or context string, which
 * would make existing data unreadable, fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/crypto.h"
#include "base/str.h"

static char dir[64];
static char path[128];

static int
group_setup(void **state)
{
	(void)state;
	if (crypto_init() != ERR_OK)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/atis-crypto-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/site.key", dir);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void
write_bytes(const char *p, const void *data, size_t n)
{
	FILE *fp = fopen(p, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, n, fp), n);
	fclose(fp);
}

static size_t
read_bytes(const char *p, void *data, size_t cap)
{
	FILE *fp = fopen(p, "rb");
	assert_non_null(fp);
	size_t n = fread(data, 1, cap, fp);
	fclose(fp);
	return n;
}

static void
test_key_create(void **state)
{
	(void)state;
	assert_int_equal(crypto_key_create(path), ERR_OK);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	assert_int_equal(sb.st_size, CRYPTO_KEY_BYTES);
	unsigned char first[64];
	assert_int_equal(read_bytes(path, first, sizeof first), 32);

	/* A second create refuses and leaves the key as it was. */
	assert_int_equal(crypto_key_create(path), ERR_EXISTS);
	unsigned char again[64];
	assert_int_equal(read_bytes(path, again, sizeof again), 32);
	assert_memory_equal(first, again, 32);

	struct crypto_key k;
	assert_int_equal(crypto_key_load(path, &k), ERR_OK);
	assert_memory_equal(k.bytes, first, 32);
}

static void
test_key_create_refuses_any_file(void **state)
{
	(void)state;
	write_bytes(path, "not a key", 9);
	assert_int_equal(crypto_key_create(path), ERR_EXISTS);
	char buf[16];
	assert_int_equal(read_bytes(path, buf, sizeof buf), 9);
	assert_memory_equal(buf, "not a key", 9);
}

static void
test_key_create_random(void **state)
{
	(void)state;
	char p2[160];
	snprintf(p2, sizeof p2, "%s/other.key", dir);
	assert_int_equal(crypto_key_create(path), ERR_OK);
	assert_int_equal(crypto_key_create(p2), ERR_OK);
	struct crypto_key a, b;
	assert_int_equal(crypto_key_load(path, &a), ERR_OK);
	assert_int_equal(crypto_key_load(p2, &b), ERR_OK);
	assert_memory_not_equal(a.bytes, b.bytes, 32);
	unlink(p2);
	/* In a directory that is not there: an I/O error. */
	snprintf(p2, sizeof p2, "%s/no/such/dir.key", dir);
	assert_int_equal(crypto_key_create(p2), ERR_IO);
}

static void
test_key_load_errors(void **state)
{
	(void)state;
	struct crypto_key k;
	assert_int_equal(crypto_key_load(path, &k), ERR_IO); /* missing */
	unsigned char bytes[40] = {0};
	static const size_t sizes[] = {0, 1, 31, 33, 40};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		write_bytes(path, bytes, sizes[i]);
		if (crypto_key_load(path, &k) != ERR_CORRUPT)
			fail_msg("a key file of %zu bytes was accepted",
				 sizes[i]);
	}
	write_bytes(path, bytes, 32);
	assert_int_equal(crypto_key_load(path, &k), ERR_OK);
}

static void
test_derive(void **state)
{
	(void)state;
	struct crypto_key master, csrf, field, index, csrf2;
	for (int i = 0; i < 32; i++)
		master.bytes[i] = (unsigned char)i;
	crypto_key_derive(&master, CRYPTO_PURPOSE_CSRF, &csrf);
	crypto_key_derive(&master, CRYPTO_PURPOSE_FIELD, &field);
	crypto_key_derive(&master, CRYPTO_PURPOSE_INDEX, &index);
	crypto_key_derive(&master, CRYPTO_PURPOSE_CSRF, &csrf2);
	assert_memory_equal(csrf.bytes, csrf2.bytes, 32); /* deterministic */
	assert_memory_not_equal(csrf.bytes, field.bytes, 32);
	assert_memory_not_equal(csrf.bytes, index.bytes, 32);
	assert_memory_not_equal(field.bytes, index.bytes, 32);
	assert_memory_not_equal(csrf.bytes, master.bytes, 32);
	assert_memory_not_equal(field.bytes, master.bytes, 32);
	assert_memory_not_equal(index.bytes, master.bytes, 32);

	char hex[65];
	hex_encode(csrf.bytes, 32, hex);
	assert_string_equal(hex, "8e3ec85da881dc97d89fe2745a56762a"
				 "d6a96f6ba59496375bad6f8136f1ca98");
	hex_encode(field.bytes, 32, hex);
	assert_string_equal(hex, "a2cbf7101d6335ebbd59826c759ab0b7"
				 "fd6c69773cddf6be818965118222c2a4");
	hex_encode(index.bytes, 32, hex);
	assert_string_equal(hex, "d9ee1790de7fff42eedec5202f5abd21"
				 "3a970cfacb6fe26b0745c6d612c671e6");

	/* Another master gives other keys. */
	master.bytes[0] ^= 1;
	crypto_key_derive(&master, CRYPTO_PURPOSE_CSRF, &csrf2);
	assert_memory_not_equal(csrf.bytes, csrf2.bytes, 32);
}

/* Two Argon2id hashes: keep this test cheap. */
static void
test_password(void **state)
{
	(void)state;
	char h1[CRYPTO_PWHASH_MAX], h2[CRYPTO_PWHASH_MAX];
	assert_int_equal(crypto_password_hash("correct horse ✓", h1), ERR_OK);
	assert_int_equal(crypto_password_hash("correct horse ✓", h2), ERR_OK);
	assert_true(str_starts(h1, "$argon2id$"));
	assert_true(strlen(h1) < CRYPTO_PWHASH_MAX);
	assert_string_not_equal(h1, h2); /* salted */
	assert_null(strstr(h1, "correct"));
	assert_true(crypto_password_verify(h1, "correct horse ✓"));
	assert_true(crypto_password_verify(h2, "correct horse ✓"));
	assert_false(crypto_password_verify(h1, "correct horse"));
	assert_false(crypto_password_verify(h1, "Correct horse ✓"));
	assert_false(crypto_password_verify(h1, ""));
	assert_false(crypto_password_verify("not a hash", "x"));
	assert_false(crypto_password_needs_rehash(h1));
	/* A weaker (older) parameter set needs a rehash. */
	assert_true(crypto_password_needs_rehash(
		"$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$"
		"RdescudvJCsgt3ub+b+dWRWJTmaaJObG"));
}

static bool
is_b64url(const char *s)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789-_") == strlen(s);
}

static void
test_token(void **state)
{
	(void)state;
	char a[CRYPTO_TOKEN_CHARS + 1], b[CRYPTO_TOKEN_CHARS + 1];
	crypto_token(a);
	crypto_token(b);
	assert_int_equal(strlen(a), 43);
	assert_int_equal(strlen(b), 43);
	assert_true(is_b64url(a));
	assert_true(is_b64url(b));
	assert_string_not_equal(a, b);

	unsigned char r1[32] = {0}, r2[32] = {0};
	crypto_random(r1, sizeof r1);
	crypto_random(r2, sizeof r2);
	assert_memory_not_equal(r1, r2, 32);
}

static void
test_sha256(void **state)
{
	(void)state;
	char out[CRYPTO_HASH_HEX];
	crypto_sha256_hex("abc", 3, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223"
				 "b00361a396177a9cb410ff61f20015ad");
	crypto_sha256_hex("", 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb924"
				 "27ae41e4649b934ca495991b7852b855");
}

static void
test_hmac(void **state)
{
	(void)state;
	struct crypto_key k, k2;
	for (int i = 0; i < 32; i++)
		k.bytes[i] = (unsigned char)i;
	k2 = k;
	k2.bytes[31] ^= 0x80;
	char a[CRYPTO_TOKEN_CHARS + 1], b[CRYPTO_TOKEN_CHARS + 1];
	const char msg[] = "The quick brown fox";
	crypto_hmac_b64(&k, msg, strlen(msg), a);
	crypto_hmac_b64(&k, msg, strlen(msg), b);
	assert_int_equal(strlen(a), 43);
	assert_true(is_b64url(a));
	assert_string_equal(a, b); /* deterministic */
	assert_string_equal(a, "a1v1H82HTl8k0A7vrzQMxijZa8OLHoZVgZrffOwVNNs");
	crypto_hmac_b64(&k, msg, strlen(msg) - 1, b);
	assert_string_not_equal(a, b); /* other data */
	crypto_hmac_b64(&k2, msg, strlen(msg), b);
	assert_string_not_equal(a, b); /* other key */
}

static void
test_str_equal(void **state)
{
	(void)state;
	assert_true(crypto_str_equal("", ""));
	assert_true(crypto_str_equal("abc", "abc"));
	assert_false(crypto_str_equal("abc", "abd"));
	assert_false(crypto_str_equal("abc", "abcd"));
	assert_false(crypto_str_equal("abcd", "abc"));
	assert_false(crypto_str_equal("", "a"));
}

static void
test_seal_open(void **state)
{
	(void)state;
	struct crypto_key k, other;
	crypto_random(k.bytes, sizeof k.bytes);
	crypto_random(other.bytes, sizeof other.bytes);
	static const char *const texts[] = {
		"",
		"x",
		"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
		"ภาษาไทย & <html>",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char *s1 = crypto_seal_text(&k, texts[i]);
		char *s2 = crypto_seal_text(&k, texts[i]);
		assert_true(is_b64url(s1));
		assert_string_not_equal(s1, s2); /* a fresh nonce each time */
		if (strlen(texts[i]) > 8)
			assert_null(strstr(s1, texts[i]));
		char *p1 = crypto_open_text(&k, s1);
		char *p2 = crypto_open_text(&k, s2);
		assert_non_null(p1);
		assert_non_null(p2);
		assert_string_equal(p1, texts[i]);
		assert_string_equal(p2, texts[i]);
		assert_null(crypto_open_text(&other, s1)); /* wrong key */
		free(p1);
		free(p2);
		free(s1);
		free(s2);
	}
}

static void
test_seal_tamper(void **state)
{
	(void)state;
	struct crypto_key k;
	crypto_random(k.bytes, sizeof k.bytes);
	char *s = crypto_seal_text(&k, "a secret worth keeping");
	size_t n = strlen(s);
	/* Change one character anywhere but the last (whose low bits may
	 * be padding): nonce, tag and ciphertext are all covered. */
	for (size_t i = 0; i + 1 < n; i++) {
		char saved = s[i];
		s[i] = saved == 'A' ? 'B' : 'A';
		char *p = crypto_open_text(&k, s);
		if (p != NULL)
			fail_msg("opened after changing character %zu", i);
		s[i] = saved;
	}
	/* Truncated, extended, garbage. */
	char *cut = strndup(s, n - 4);
	assert_null(crypto_open_text(&k, cut));
	free(cut);
	size_t m = n + 8;
	char *longer = malloc(m + 1);
	snprintf(longer, m + 1, "%sAAAAAAAA", s);
	assert_null(crypto_open_text(&k, longer));
	free(longer);
	assert_null(crypto_open_text(&k, ""));
	assert_null(crypto_open_text(&k, "AAAA"));
	assert_null(crypto_open_text(&k, "!!!! not base64 !!!!"));
	assert_null(crypto_open_text(&k, "////++++====")); /* other variant */
	/* Unchanged, it still opens. */
	char *p = crypto_open_text(&k, s);
	assert_non_null(p);
	assert_string_equal(p, "a secret worth keeping");
	free(p);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_key_create, teardown),
		cmocka_unit_test_teardown(test_key_create_refuses_any_file,
					  teardown),
		cmocka_unit_test_teardown(test_key_create_random, teardown),
		cmocka_unit_test_teardown(test_key_load_errors, teardown),
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hmac),
		cmocka_unit_test(test_str_equal),
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_seal_tamper),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
