/*
 * check.h — validation at the boundary: field errors with messages a
 * person understands.
 *
 * Model functions that take input fill a `struct check` with one message
 * per failing field (an English msgid, translated by the page) and return
 * ERR_INVALID; nothing is written when any check fails.
 */
#ifndef ATIS_MODEL_CHECK_H
#define ATIS_MODEL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define CHECK_MAX 16

struct check {
	struct {
		const char *field;
		const char *msgid;
	} items[CHECK_MAX];
	size_t n;
};

void check_fail(struct check *c, const char *field, const char *msgid);
/* The message for `field`, or NULL. */
const char *check_message(const struct check *c, const char *field);

/* Text rules: required or not, at most `max` characters (code points),
 * valid UTF-8, no control characters (newlines allowed if `multiline`). */
bool check_text(struct check *c, const char *field, const char *value,
		bool required, size_t max, bool multiline);
/* A plausible e-mail address (one @, a dot in the domain, ≤ 254 bytes). */
bool check_email(struct check *c, const char *field, const char *value,
		 bool required);
/* An ISO 3166-1 alpha-2 code of a country ATIS knows. */
bool check_country(struct check *c, const char *field, const char *value);
/* A password: 10 to 128 characters. */
bool check_password(struct check *c, const char *field, const char *value);

/* The ISO 3166-1 alpha-2 countries ATIS lists, with English names. */
struct country {
	const char *code;
	const char *name; /* English; translate for pages */
};
extern const struct country countries[];
extern const size_t country_count;
const struct country *country_find(const char *code);

#endif
