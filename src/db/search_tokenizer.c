/*
 * The "atis_hashed" FTS5 tokenizer; see search_tokenizer.h.
 *
 * libsodium is called here directly rather than through base/crypto.h:
 * this runs once per trigram of every text indexed or searched, and needs
 * BLAKE2b with a personalisation string, which crypto.h has no use for
 * elsewhere.
 */
#include "db/search_tokenizer.h"

#include <sodium.h>
#include <stdlib.h>

#include "base/mem.h"
#include "base/trigram.h"

/* 80 bits: two different trigrams share a token only after some 2^40 of
 * them, far more than there are in any case database, and a shorter
 * token keeps the index smaller. */
#define TOKEN_HASH_BYTES 10

/* BLAKE2b's personalisation keeps these hashes apart from any other
 * keyed hash made with the same INDEX key (contact look-ups, PIN
 * pepper): the same bytes hashed for another purpose give another value.
 * Exactly 16 bytes. */
static const unsigned char personal[crypto_generichash_blake2b_PERSONALBYTES] =
	"atis-fts-trigram";

static const char base32[] = "abcdefghijklmnopqrstuvwxyz234567";

void
search_token(const unsigned char key[SEARCH_KEY_BYTES], const char *text,
	     size_t len, char out[SEARCH_TOKEN_CHARS + 1])
{
	/* libsodium's BLAKE2b makes at least 16 bytes; the first 10 are
	 * kept. */
	unsigned char h[crypto_generichash_blake2b_BYTES_MIN];
	crypto_generichash_blake2b_salt_personal(
		h, sizeof h, (const unsigned char *)text, len, key,
		SEARCH_KEY_BYTES, NULL, personal);
	/* 10 bytes are 80 bits: 16 groups of 5, most significant first. */
	unsigned bits = 0, nbits = 0;
	size_t o = 0;
	for (size_t i = 0; i < TOKEN_HASH_BYTES; i++) {
		bits = (bits << 8) | h[i];
		nbits += 8;
		while (nbits >= 5) {
			nbits -= 5;
			out[o++] = base32[(bits >> nbits) & 31];
		}
	}
	out[o] = '\0';
	sodium_memzero(h, sizeof h);
}

/* One tokenizer per FTS5 table that uses it; it only points at the key
 * of its connection. */
struct hashed_tokenizer {
	const struct search_key *key;
};

static int
hashed_create(void *user, const char **argv, int argc, Fts5Tokenizer **OUT)
{
	(void)argv;
	/* No options: a misspelt tokenize= argument is an error rather than
	 * an index built some other way. */
	if (argc > 0)
		return SQLITE_ERROR;
	struct hashed_tokenizer *t = xmalloc(sizeof *t);
	t->key = user;
	*OUT = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
hashed_delete(Fts5Tokenizer *tok)
{
	free(tok);
}

struct hashed_emit {
	const struct search_key *key;
	void *fts_ctx;
	int (*token)(void *ctx, int flags, const char *token, int len,
		     int start, int end);
};

static int
emit_hashed(void *ctx, const struct trigram_token *tok)
{
	struct hashed_emit *e = ctx;
	char out[SEARCH_TOKEN_CHARS + 1];
	search_token(e->key->bytes, tok->bytes, tok->len, out);
	/* Offsets fit: FTS5 gives the text's length as an int. */
	return e->token(e->fts_ctx, 0, out, SEARCH_TOKEN_CHARS, (int)tok->start,
			(int)tok->end);
}

static int
hashed_tokenize(Fts5Tokenizer *tok, void *fts_ctx, int flags, const char *text,
		int len,
		int (*token)(void *ctx, int flags, const char *token, int len,
			     int start, int end))
{
	const struct search_key *key = ((struct hashed_tokenizer *)tok)->key;
	/* Without the key, an INSERT would index tokens no later search
	 * could match, and a search would silently find nothing: fail
	 * loudly instead. */
	if (!key->set)
		return SQLITE_ERROR;
	/* A prefix query ("wag"*) would compare prefixes of hashes, which
	 * mean nothing; trigrams already match inside words. */
	if (flags & FTS5_TOKENIZE_PREFIX)
		return SQLITE_ERROR;
	if (text == NULL || len <= 0)
		return SQLITE_OK;
	struct hashed_emit e = {key, fts_ctx, token};
	int rc = trigram_each(text, (size_t)len, emit_hashed, &e);
	/* FTS5 answers SQLITE_DONE when it has read all it wants. */
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The documented way to reach FTS5's registration functions: its fts5()
 * SQL function writes the pointer through a bound pointer value. */
static fts5_api *
fts5_api_of(sqlite3 *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

enum err
search_tokenizer_register(sqlite3 *h, struct search_key *key)
{
	fts5_api *api = fts5_api_of(h);
	if (api == NULL || api->iVersion < 2)
		return ERR_DB;
	/* FTS5 copies the structure. */
	fts5_tokenizer tokenizer = {
		.xCreate = hashed_create,
		.xDelete = hashed_delete,
		.xTokenize = hashed_tokenize,
	};
	if (api->xCreateTokenizer(api, "atis_hashed", key, &tokenizer, NULL) !=
	    SQLITE_OK)
		return ERR_DB;
	return ERR_OK;
}
