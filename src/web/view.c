#include "web/view.h"

#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/i18n.h"
#include "base/mem.h"
#include "base/mustache.h"
#include "base/str.h"

#define PREFIX "templates/"
#define SUFFIX ".mustache"

struct view {
	char name[64];
	struct mustache *tmpl;
};

struct view_lang {
	const char *lang;
	struct view *items;
	size_t n;
};

struct views {
	struct view_lang *langs;
	size_t n;
};

static const char *
translate(void *ud, const char *msgid)
{
	return i18n_gettext(ud, msgid);
}

static const struct mustache *
partial(void *ud, const char *name)
{
	const struct view_lang *vl = ud;
	for (size_t i = 0; i < vl->n; i++)
		if (strcmp(vl->items[i].name, name) == 0)
			return vl->items[i].tmpl;
	return NULL;
}

enum err
views_new(struct views **OUT, struct buf *msg)
{
	struct views *v = xcalloc(1, sizeof *v);
	v->langs = xcalloc(i18n_lang_count, sizeof *v->langs);
	v->n = i18n_lang_count;
	enum err rc = ERR_OK;
	for (size_t l = 0; l < i18n_lang_count && rc == ERR_OK; l++) {
		struct view_lang *vl = &v->langs[l];
		vl->lang = i18n_langs[l].tag;
		vl->items = xcalloc(embedded_count, sizeof *vl->items);
		for (size_t i = 0; i < embedded_count; i++) {
			const struct embedded_file *f = &embedded_files[i];
			size_t plen = strlen(f->path);
			if (!str_starts(f->path, PREFIX) ||
			    plen < strlen(SUFFIX) ||
			    strcmp(f->path + plen - strlen(SUFFIX), SUFFIX) !=
				    0)
				continue;
			struct view *w = &vl->items[vl->n];
			size_t nlen = plen - strlen(PREFIX) - strlen(SUFFIX);
			if (nlen >= sizeof w->name)
				continue;
			memcpy(w->name, f->path + strlen(PREFIX), nlen);
			w->name[nlen] = '\0';
			rc = mustache_compile((const char *)f->data, f->len,
					      translate, (void *)vl->lang,
					      &w->tmpl, msg);
			if (rc) {
				buf_printf(msg, " (in %s, language %s)",
					   f->path, vl->lang);
				break;
			}
			vl->n++;
		}
	}
	if (rc) {
		views_free(v);
		return rc;
	}
	*OUT = v;
	return ERR_OK;
}

void
views_free(struct views *v)
{
	if (v == NULL)
		return;
	for (size_t l = 0; l < v->n; l++) {
		for (size_t i = 0; i < v->langs[l].n; i++)
			mustache_free(v->langs[l].items[i].tmpl);
		free(v->langs[l].items);
	}
	free(v->langs);
	free(v);
}

enum err
views_render(const struct views *v, const char *lang, const char *name,
	     json_t *data, struct buf *out)
{
	const struct view_lang *vl = &v->langs[0];
	for (size_t l = 0; l < v->n; l++)
		if (strcmp(v->langs[l].lang, lang) == 0)
			vl = &v->langs[l];
	const struct mustache *t = partial((void *)vl, name);
	if (t == NULL)
		return ERR_NOTFOUND;
	return mustache_render(t, data, partial, (void *)vl, out);
}
