/*
 * str.h — small string and number helpers.
 *
 * Numbers from outside are parsed only with str_to_i64() (bounded, whole
 * string, no atoi).  UTF-8 from outside is checked with utf8_valid() before
 * it is stored or shown.
 */
#ifndef ATIS_BASE_STR_H
#define ATIS_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

bool str_eq(const char *a, const char *b); /* NULL-safe */
bool str_starts(const char *s, const char *prefix);
bool str_empty(const char *s); /* NULL or "" */

/* Parses all of `s` as a decimal integer in [min, max]. */
enum err str_to_i64(const char *s, int64_t min, int64_t max, int64_t *OUT);

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF. */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_count(const char *s, size_t n);
/* True when `s` holds control characters other than tab, CR and LF. */
bool str_has_control(const char *s, size_t n);

/* Trims ASCII whitespace in place; returns `s`. */
char *str_trim(char *s);
/* Lower-cases ASCII letters in place; returns `s`. */
char *str_lower(char *s);

/* Writes 2*n hex digits and a NUL into `out` (size 2*n+1). */
void hex_encode(const unsigned char *in, size_t n, char *out);
/* Decodes exactly 2*n hex digits; ERR_INVALID on anything else. */
enum err hex_decode(const char *in, unsigned char *out, size_t n);

#endif
