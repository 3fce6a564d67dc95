/*
 * trigram.h — the text functions behind case search and duplicate
 * detection: normalising, splitting into runs, and trigrams.
 *
 * Thai, Lao, Khmer and Burmese are written without spaces between words,
 * so a whole sentence may be one run of letters and no word list could
 * split it reliably.  Instead a text is cut into every sequence of three
 * consecutive code points ("trigrams"); a word then matches wherever its
 * trigrams appear in a row, in any script, without knowing where words
 * begin or end.
 *
 * Normalising folds case (ASCII, Latin-1, Latin Extended-A/B, Vietnamese
 * letters of Latin Extended Additional, basic Greek, Cyrillic, Armenian)
 * and composes a Latin, Greek or Cyrillic letter followed by combining
 * accents into its precomposed form, so "Ế", "ế" and "e" + U+0302 +
 * U+0301 are the same letter.  Diacritics are never removed: in
 * Vietnamese "mã", "má" and "ma" are different words.
 *
 * A run is a maximal sequence of letters, digits and combining marks;
 * whitespace, punctuation and symbols separate runs, and so do bytes that
 * are not valid UTF-8.  Invisible characters (zero-width space and
 * joiners, soft hyphen, byte order mark, variation selectors, direction
 * marks) are skipped without ending the run: some keyboards put a
 * zero-width space between Khmer or Burmese words and a person searching
 * cannot see or type it.
 *
 * Nothing here allocates except trigram_similarity (bounded; see there).
 */
#ifndef ATIS_BASE_TRIGRAM_H
#define ATIS_BASE_TRIGRAM_H

#include <stdbool.h>
#include <stddef.h>

/* Three code points of at most 4 bytes each. */
#define TRIGRAM_MAX_BYTES 12

/*
 * One token: a trigram of a run of three or more code points, or the
 * whole of a run of one or two.  `bytes` is normalised UTF-8, not
 * NUL-terminated.  [start, end) are the byte offsets in the input of the
 * text it was made from (which may be longer than `len` when accents were
 * composed or invisible characters skipped).  `pos` counts tokens from 0
 * and goes on across runs, so the tokens of "wages paid" are at the
 * positions 0 1 2 3 4 and a phrase can match across the space.
 */
struct trigram_token {
	char bytes[TRIGRAM_MAX_BYTES];
	size_t len;
	size_t start;
	size_t end;
	int pos;
};

/*
 * Calls `fn` for each token of the `len` bytes at `text`, in order.  When
 * `fn` returns non-zero the iteration stops and that value is returned;
 * else 0.
 */
int trigram_each(const char *text, size_t len,
		 int (*fn)(void *ctx, const struct trigram_token *tok),
		 void *ctx);

/* The number of tokens of `text` (NUL-terminated): 0 when it has nothing
 * searchable (only spaces, punctuation or symbols). */
size_t trigram_count(const char *text);

/*
 * How alike two texts are, for finding a case sent twice: the Jaccard
 * index |A ∩ B| / |A ∪ B| of their sets of tokens, from 0 (nothing in
 * common, or either text empty) to 1 (the same tokens).  Only the first
 * TRIGRAM_SIMILARITY_MAX distinct tokens of each text count, so memory and
 * time stay bounded whatever is pasted into a form.
 */
#define TRIGRAM_SIMILARITY_MAX 4096
double trigram_similarity(const char *a, const char *b);

/* The length in bytes of the whitespace character at `s` (of `n` bytes),
 * ASCII or Unicode (no-break, ideographic, …); 0 when there is none. */
size_t trigram_space_len(const char *s, size_t n);

#endif
