#include "base/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"

enum err
crypto_init(void)
{
	return sodium_init() < 0 ? ERR_IO : ERR_OK;
}

enum err
crypto_key_create(const char *path)
{
	struct crypto_key key;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? ERR_EXISTS : ERR_IO;
	crypto_random(key.bytes, sizeof key.bytes);
	ssize_t n = write(fd, key.bytes, sizeof key.bytes);
	crypto_wipe(&key, sizeof key);
	enum err rc = ERR_OK;
	if (n != (ssize_t)sizeof key.bytes || fsync(fd) != 0)
		rc = ERR_IO;
	if (close(fd) != 0)
		rc = ERR_IO;
	if (rc)
		unlink(path);
	return rc;
}

enum err
crypto_key_load(const char *path, struct crypto_key *OUT)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ERR_IO;
	unsigned char extra;
	ssize_t n = read(fd, OUT->bytes, sizeof OUT->bytes);
	ssize_t more = read(fd, &extra, 1);
	close(fd);
	if (n != (ssize_t)sizeof OUT->bytes || more != 0) {
		crypto_wipe(OUT, sizeof *OUT);
		return ERR_CORRUPT;
	}
	return ERR_OK;
}

void
crypto_key_derive(const struct crypto_key *master, enum crypto_purpose purpose,
		  struct crypto_key *OUT)
{
	crypto_kdf_derive_from_key(OUT->bytes, sizeof OUT->bytes,
				   (uint64_t)purpose, "ATIS-key",
				   master->bytes);
}

void
crypto_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

enum err
crypto_password_hash(const char *password, char out[CRYPTO_PWHASH_MAX])
{
	_Static_assert(CRYPTO_PWHASH_MAX >= crypto_pwhash_STRBYTES,
		       "password hash buffer too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return ERR_IO;
	return ERR_OK;
}

bool
crypto_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

bool
crypto_password_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(
		       hash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
		       crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

void
crypto_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void
crypto_token(char out[CRYPTO_TOKEN_CHARS + 1])
{
	unsigned char raw[CRYPTO_TOKEN_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, CRYPTO_TOKEN_CHARS + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void
crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, CRYPTO_HASH_HEX, h, sizeof h);
}

void
crypto_hmac_b64(const struct crypto_key *key, const void *data, size_t n,
		char out[CRYPTO_TOKEN_CHARS + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, key->bytes, sizeof key->bytes);
	crypto_auth_hmacsha256_update(&st, data, n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2base64(out, CRYPTO_TOKEN_CHARS + 1, mac, sizeof mac,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool
crypto_str_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return sodium_memcmp(a, b, la) == 0;
}

char *
crypto_seal_text(const struct crypto_key *key, const char *plain)
{
	size_t plen = strlen(plain);
	size_t rawlen =
		crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plen;
	unsigned char *raw = xmalloc(rawlen);
	randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES,
			      (const unsigned char *)plain, plen, raw,
			      key->bytes);
	size_t outlen = sodium_base64_ENCODED_LEN(
		rawlen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = xmalloc(outlen);
	sodium_bin2base64(out, outlen, raw, rawlen,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	free(raw);
	return out;
}

char *
crypto_open_text(const struct crypto_key *key, const char *sealed)
{
	size_t slen = strlen(sealed);
	unsigned char *raw = xmalloc(slen + 1);
	size_t rawlen;
	char *plain = NULL;
	if (sodium_base642bin(raw, slen + 1, sealed, slen, NULL, &rawlen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    rawlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		goto out;
	size_t plen = rawlen - crypto_secretbox_NONCEBYTES -
		      crypto_secretbox_MACBYTES;
	plain = xmalloc(plen + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain,
				       raw + crypto_secretbox_NONCEBYTES,
				       rawlen - crypto_secretbox_NONCEBYTES,
				       raw, key->bytes) != 0) {
		free(plain);
		plain = NULL;
		goto out;
	}
	plain[plen] = '\0';
out:
	free(raw);
	return plain;
}

/*
 * PINs.  A PIN is short (8 digits), so what protects it against someone
 * holding a copy of the database is, first, the pepper: the PIN is
 * HMAC'd with the INDEX key before hashing, so without the key file no
 * guess can even be tested; and second, Argon2id with more work than the
 * staff-password hash (measured in docs/security.md: 3 passes over 64 MiB,
 * about 75 ms on a 2-core server, so 10^8 PINs cost some 86 core-days per
 * case even with the key).
 */
#define PIN_OPSLIMIT 3ULL
#define PIN_MEMLIMIT (64UL << 20)

static void
pin_pepper(const struct crypto_key *pepper, const char *pin,
	   char out[CRYPTO_TOKEN_CHARS + 1])
{
	crypto_hmac_b64(pepper, pin, strlen(pin), out);
}

enum err
crypto_pin_hash(const struct crypto_key *pepper, const char *pin,
		char out[CRYPTO_PWHASH_MAX])
{
	char peppered[CRYPTO_TOKEN_CHARS + 1];
	pin_pepper(pepper, pin, peppered);
	int rc = crypto_pwhash_str_alg(out, peppered, strlen(peppered),
				       PIN_OPSLIMIT, PIN_MEMLIMIT,
				       crypto_pwhash_ALG_ARGON2ID13);
	sodium_memzero(peppered, sizeof peppered);
	return rc == 0 ? ERR_OK : ERR_IO;
}

bool
crypto_pin_verify(const struct crypto_key *pepper, const char *hash,
		  const char *pin)
{
	char peppered[CRYPTO_TOKEN_CHARS + 1];
	pin_pepper(pepper, pin, peppered);
	bool ok =
		crypto_pwhash_str_verify(hash, peppered, strlen(peppered)) == 0;
	sodium_memzero(peppered, sizeof peppered);
	return ok;
}

void *
crypto_seal(const struct crypto_key *key, const void *plain, size_t n,
	    size_t *OUT_len)
{
	size_t len =
		crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *out = xmalloc(len);
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, plain, n, out,
			      key->bytes);
	*OUT_len = len;
	return out;
}

void *
crypto_open(const struct crypto_key *key, const void *sealed, size_t n,
	    size_t *OUT_len)
{
	const unsigned char *s = sealed;
	if (n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return NULL;
	size_t len =
		n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	unsigned char *out = xmalloc(len ? len : 1);
	if (crypto_secretbox_open_easy(out, s + crypto_secretbox_NONCEBYTES,
				       n - crypto_secretbox_NONCEBYTES, s,
				       key->bytes) != 0) {
		free(out);
		return NULL;
	}
	*OUT_len = len;
	return out;
}
