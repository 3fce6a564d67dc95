#include "model/check.h"

#include <string.h>

#include "base/i18n.h"
#include "base/str.h"

void
check_fail(struct check *c, const char *field, const char *msgid)
{
	if (c->n < CHECK_MAX && check_message(c, field) == NULL) {
		c->items[c->n].field = field;
		c->items[c->n].msgid = msgid;
		c->n++;
	}
}

const char *
check_message(const struct check *c, const char *field)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->items[i].field, field) == 0)
			return c->items[i].msgid;
	return NULL;
}

bool
check_text(struct check *c, const char *field, const char *value, bool required,
	   size_t max, bool multiline)
{
	size_t n = value ? strlen(value) : 0;
	/* Spaces and line breaks alone are no answer. */
	size_t blank = 0;
	while (blank < n && strchr(" \t\r\n", value[blank]))
		blank++;
	if (n == 0 || (required && blank == n)) {
		if (required)
			check_fail(c, field, N_("Please fill in this field."));
		return !required;
	}
	if (!utf8_valid(value, n)) {
		check_fail(c, field,
			   N_("This text contains characters that "
			      "cannot be read. Please type it again."));
		return false;
	}
	if (str_has_control(value, n) ||
	    (!multiline && (strchr(value, '\n') || strchr(value, '\r')))) {
		check_fail(c, field,
			   N_("Please remove line breaks and special "
			      "characters from this field."));
		return false;
	}
	if (utf8_count(value, n) > max) {
		check_fail(c, field,
			   N_("This is too long. Please shorten it."));
		return false;
	}
	return true;
}

bool
check_email(struct check *c, const char *field, const char *value,
	    bool required)
{
	if (!check_text(c, field, value, required, 254, false))
		return false;
	if (str_empty(value))
		return true;
	if (strlen(value) > 254) { /* the limit of an address is in bytes */
		check_fail(c, field,
			   N_("This is too long. Please shorten it."));
		return false;
	}
	const char *at = strchr(value, '@');
	if (at == NULL || at == value || strchr(at + 1, '@') != NULL ||
	    strchr(at, '.') == NULL || strchr(value, ' ') != NULL ||
	    at[strlen(at) - 1] == '.') {
		check_fail(c, field,
			   N_("Please enter an e-mail address such as "
			      "name@example.org."));
		return false;
	}
	return true;
}

bool
check_password(struct check *c, const char *field, const char *value)
{
	size_t n = value ? strlen(value) : 0;
	if (n == 0) {
		check_fail(c, field, N_("Please fill in this field."));
		return false;
	}
	if (!utf8_valid(value, n) || utf8_count(value, n) < 10) {
		check_fail(c, field,
			   N_("Use a password of at least 10 characters."));
		return false;
	}
	if (utf8_count(value, n) > 128) {
		check_fail(c, field,
			   N_("Use a password of at most 128 characters."));
		return false;
	}
	return true;
}

const struct country countries[] = {
	{"BD", N_("Bangladesh")},  {"BN", N_("Brunei")},
	{"KH", N_("Cambodia")},    {"CN", N_("China")},
	{"HK", N_("Hong Kong")},   {"IN", N_("India")},
	{"ID", N_("Indonesia")},   {"JP", N_("Japan")},
	{"KR", N_("South Korea")}, {"LA", N_("Laos")},
	{"MY", N_("Malaysia")},    {"MM", N_("Myanmar")},
	{"NP", N_("Nepal")},       {"PH", N_("Philippines")},
	{"QA", N_("Qatar")},       {"SA", N_("Saudi Arabia")},
	{"SG", N_("Singapore")},   {"LK", N_("Sri Lanka")},
	{"TW", N_("Taiwan")},      {"TH", N_("Thailand")},
	{"TL", N_("Timor-Leste")}, {"AE", N_("United Arab Emirates")},
	{"VN", N_("Vietnam")},
};
const size_t country_count = sizeof countries / sizeof countries[0];

const struct country *
country_find(const char *code)
{
	for (size_t i = 0; code != NULL && i < country_count; i++)
		if (strcmp(countries[i].code, code) == 0)
			return &countries[i];
	return NULL;
}

bool
check_country(struct check *c, const char *field, const char *value)
{
	if (country_find(value) == NULL) {
		check_fail(c, field,
			   N_("Please choose a country from the list."));
		return false;
	}
	return true;
}
