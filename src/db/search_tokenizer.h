/*
 * search_tokenizer.h — the SQLite FTS5 tokenizer "atis_hashed".
 *
 * The full-text index of cases must not hold the workers' words, not even
 * cut into pieces.  This tokenizer cuts text into trigrams (base/trigram.h)
 * and hands FTS5, instead of each trigram, a keyed hash of it: 16
 * lowercase base32 characters.  The same text under the same key always
 * gives the same tokens, so FTS5 indexes and matches as usual (a quoted
 * phrase finds any text containing it, as with SQLite's own trigram
 * tokenizer), but what the index stores reads as noise to anyone without
 * the key.
 *
 * The key lives in a `struct search_key` owned by the connection
 * (db_sqlite.c), which must outlive it.  Until `set` is true, tokenizing
 * fails with SQLITE_ERROR: text is never indexed, or searched for, under a
 * missing key.  Neither trigrams nor their hashes are ever logged.
 */
#ifndef ATIS_DB_SEARCH_TOKENIZER_H
#define ATIS_DB_SEARCH_TOKENIZER_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define SEARCH_KEY_BYTES 32
#define SEARCH_TOKEN_CHARS 16 /* 10 bytes of hash in base32 */

struct search_key {
	unsigned char bytes[SEARCH_KEY_BYTES];
	bool set;
};

/* Registers "atis_hashed" on the connection `h`, tokenizing under `key`
 * (which is read each time, so setting it later takes effect).  ERR_DB
 * when this SQLite has no FTS5. */
enum err search_tokenizer_register(sqlite3 *h, struct search_key *key);

/* The token stored for the `len` bytes of normalised text at `text`
 * under `key`, NUL-terminated; for tests. */
void search_token(const unsigned char key[SEARCH_KEY_BYTES], const char *text,
		  size_t len, char out[SEARCH_TOKEN_CHARS + 1]);

#endif
