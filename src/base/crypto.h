/*
 * crypto.h — every use of libsodium in ATIS goes through here.
 *
 * The site key (32 random bytes) lives in a file beside the database,
 * created by `atis init` with mode 0600.  Sub-keys for separate purposes
 * (CSRF tokens, field encryption, blind indexes) are derived from it with
 * crypto_kdf, so one leaked derived key does not expose the others.
 * Call crypto_init() once before anything else.
 */
#ifndef ATIS_BASE_CRYPTO_H
#define ATIS_BASE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define CRYPTO_KEY_BYTES 32
#define CRYPTO_TOKEN_BYTES 32 /* 256-bit session tokens */
/* base64url (no padding) of a 32-byte value is 43 characters. */
#define CRYPTO_TOKEN_CHARS 43
#define CRYPTO_HASH_HEX 65    /* 64 hex digits + NUL */
#define CRYPTO_PWHASH_MAX 128 /* Argon2id string, with NUL */

struct crypto_key {
	unsigned char bytes[CRYPTO_KEY_BYTES];
};

enum crypto_purpose {
	CRYPTO_PURPOSE_CSRF = 1,
	CRYPTO_PURPOSE_FIELD = 2, /* secretbox of sensitive fields */
	CRYPTO_PURPOSE_INDEX = 3, /* keyed hashes (blind indexes) */
};

enum err crypto_init(void);

/* Creates `path` with a new random key (mode 0600); ERR_EXISTS if it is
 * there already, so a key is never overwritten. */
enum err crypto_key_create(const char *path);
/* Reads the key; ERR_IO if missing, ERR_CORRUPT if not 32 bytes. */
enum err crypto_key_load(const char *path, struct crypto_key *OUT);
void crypto_key_derive(const struct crypto_key *master,
		       enum crypto_purpose purpose, struct crypto_key *OUT);
void crypto_wipe(void *p, size_t n);

/* Argon2id with libsodium's "interactive" limits; `out` gets the encoded
 * string with its salt and parameters. */
enum err crypto_password_hash(const char *password,
			      char out[CRYPTO_PWHASH_MAX]);
bool crypto_password_verify(const char *hash, const char *password);
/* True when the hash was made with older parameters than today's. */
bool crypto_password_needs_rehash(const char *hash);

void crypto_random(void *buf, size_t n);
/* A new 256-bit token as base64url (43 chars + NUL). */
void crypto_token(char out[CRYPTO_TOKEN_CHARS + 1]);
/* SHA-256 of `n` bytes as lowercase hex. */
void crypto_sha256_hex(const void *data, size_t n, char out[CRYPTO_HASH_HEX]);
/* HMAC-SHA-256 of `n` bytes under `key`, as base64url (43 chars + NUL). */
void crypto_hmac_b64(const struct crypto_key *key, const void *data, size_t n,
		     char out[CRYPTO_TOKEN_CHARS + 1]);
/* Constant-time comparison of two NUL-terminated strings. */
bool crypto_str_equal(const char *a, const char *b);

/* Authenticated encryption (XSalsa20-Poly1305) of a short secret into
 * base64url text: nonce || box.  The caller frees the result. */
char *crypto_seal_text(const struct crypto_key *key, const char *plain);
/* Returns the plaintext (caller frees) or NULL when it does not open. */
char *crypto_open_text(const struct crypto_key *key, const char *sealed);

/* A worker's PIN: HMAC'd under `pepper` (the INDEX key), then Argon2id
 * with the parameters measured in docs/security.md. */
enum err crypto_pin_hash(const struct crypto_key *pepper, const char *pin,
			 char out[CRYPTO_PWHASH_MAX]);
bool crypto_pin_verify(const struct crypto_key *pepper, const char *hash,
		       const char *pin);

/* The same box for bytes: returns nonce || box (malloc'd, *OUT_len
 * bytes); crypto_open returns the plaintext or NULL. */
void *crypto_seal(const struct crypto_key *key, const void *plain, size_t n,
		  size_t *OUT_len);
void *crypto_open(const struct crypto_key *key, const void *sealed, size_t n,
		  size_t *OUT_len);

#endif
