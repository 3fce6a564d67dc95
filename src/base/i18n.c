#include "base/i18n.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"

const struct i18n_lang i18n_langs[] = {
	{"en", "English", "latin"},
	{"fil", "Filipino", "latin"},
	{"id", "Bahasa Indonesia", "latin"},
	{"ms", "Bahasa Melayu", "latin"},
	{"th", "ไทย", "thai"},
	{"vi", "Tiếng Việt", "latin"},
	{"km", "ខ្មែរ", "khmer"},
	{"my", "မြန်မာ", "myanmar"},
	{"lo", "ລາວ", "lao"},
	{"ne", "नेपाली", "devanagari"},
	{"bn", "বাংলা", "bengali"},
};
const size_t i18n_lang_count = sizeof i18n_langs / sizeof i18n_langs[0];

const struct i18n_lang *
i18n_lang_find(const char *tag)
{
	if (tag == NULL)
		return NULL;
	for (size_t i = 0; i < i18n_lang_count; i++)
		if (strcmp(i18n_langs[i].tag, tag) == 0)
			return &i18n_langs[i];
	return NULL;
}

static int
cmp_msg(const void *key, const void *elem)
{
	return strcmp(key, ((const struct i18n_msg *)elem)->id);
}

const char *
i18n_gettext(const char *lang, const char *msgid)
{
	for (size_t i = 0; i < i18n_catalog_count; i++) {
		const struct i18n_catalog *c = &i18n_catalogs[i];
		if (strcmp(c->lang, lang) != 0)
			continue;
		const struct i18n_msg *m =
			bsearch(msgid, c->msgs, c->n, sizeof *c->msgs, cmp_msg);
		return m ? m->str : msgid;
	}
	return msgid;
}

/* Maps one Accept-Language range ("ms-MY", "tl", "*") to a shipped tag. */
static const char *
match_range(const char *range, size_t n)
{
	static const struct {
		const char *primary, *tag;
	} aliases[] = {
		{"tl", "fil"}, /* Tagalog: Filipino is its standard form */
		{"in", "id"},  /* the withdrawn code for Indonesian */
		{"zsm", "ms"},
		{"zlm", "ms"},
	};
	size_t plen = 0;
	while (plen < n && range[plen] != '-' && range[plen] != '_')
		plen++;
	if (plen == 0 || plen > 8)
		return NULL;
	for (size_t i = 0; i < i18n_lang_count; i++)
		if (strlen(i18n_langs[i].tag) == plen &&
		    strncasecmp(i18n_langs[i].tag, range, plen) == 0)
			return i18n_langs[i].tag;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strlen(aliases[i].primary) == plen &&
		    strncasecmp(aliases[i].primary, range, plen) == 0)
			return aliases[i].tag;
	return NULL;
}

/* Parses "q=0.8" (the part after ';'); returns q in thousandths. */
static int
parse_q(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return 1000;
	p += 2;
	int q = 0;
	if (*p == '1')
		return 1000;
	if (*p != '0')
		return 0;
	p++;
	if (p < end && *p == '.') {
		p++;
		int scale = 100;
		while (p < end && *p >= '0' && *p <= '9' && scale > 0) {
			q += (*p - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	return q;
}

const char *
i18n_negotiate(const char *chosen, const char *accept_language,
	       const char *fallback)
{
	const struct i18n_lang *l = i18n_lang_find(chosen);
	if (l != NULL)
		return l->tag;
	const char *best = NULL;
	int best_q = 0;
	const char *p = accept_language;
	while (p != NULL && *p != '\0') {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		const char *semi = p;
		while (semi < end && *semi != ';')
			semi++;
		const char *rend = semi;
		if (semi == end)
			semi = NULL;
		while (rend > p && (rend[-1] == ' ' || rend[-1] == '\t'))
			rend--;
		int q = semi ? parse_q(semi + 1, end) : 1000;
		const char *tag = match_range(p, (size_t)(rend - p));
		if (tag != NULL && q > best_q) {
			best = tag;
			best_q = q;
		}
		p = comma ? comma + 1 : NULL;
	}
	if (best != NULL)
		return best;
	l = i18n_lang_find(fallback);
	return l ? l->tag : "en";
}
