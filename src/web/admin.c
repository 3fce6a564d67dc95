#include "web/admin.h"

#include <string.h>

#include "base/buf.h"
#include "base/str.h"

bool
query_fits(const char *s, size_t max)
{
	if (s == NULL)
		return true;
	size_t n = strlen(s);
	return n <= 4 * max && utf8_count(s, n) <= max;
}

int
query_page(struct http_request *req)
{
	int64_t p;
	if (str_to_i64(http_query(req, "page"), 1, 100000, &p))
		return 1;
	return (int)p;
}

static const char *
page_link(struct http_request *req, int page)
{
	struct buf b;
	buf_init(&b, 8192);
	buf_puts(&b, req->path);
	buf_putc(&b, '?');
	for (size_t i = 0; i < req->nquery; i++) {
		if (strcmp(req->query[i].name, "page") == 0)
			continue;
		buf_urlarg(&b, req->query[i].name, strlen(req->query[i].name));
		buf_putc(&b, '=');
		buf_urlarg(&b, req->query[i].value, req->query[i].len);
		buf_putc(&b, '&');
	}
	buf_printf(&b, "page=%d", page);
	const char *s = arena_strdup(req->arena, buf_cstr(&b));
	buf_release(&b);
	return s;
}

json_t *
pager_json(struct http_request *req, int64_t total, int page, int per_page)
{
	int64_t pages = (total + per_page - 1) / per_page;
	if (pages <= 1 && page <= 1)
		return json_null();
	json_t *p = json_pack("{sI sI sI}", "total", (json_int_t)total, "page",
			      (json_int_t)page, "pages", (json_int_t)pages);
	if (page > 1)
		json_object_set_new(p, "prev",
				    json_string(page_link(req, page - 1)));
	if (page < pages)
		json_object_set_new(p, "next",
				    json_string(page_link(req, page + 1)));
	return p;
}

json_t *
country_options(struct ctx *c, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < country_count; i++)
		json_array_append_new(
			a, json_pack("{ss ss sb}", "code", countries[i].code,
				     "name", ctx_t(c, countries[i].name),
				     "selected",
				     str_eq(selected, countries[i].code)));
	return a;
}

json_t *
option_list(struct ctx *c, const struct option_text *opts, size_t n,
	    const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			a,
			json_pack("{ss ss sb}", "value", opts[i].value, "label",
				  ctx_t(c, opts[i].label), "selected",
				  str_eq(selected, opts[i].value)));
	return a;
}

json_t *
check_json(struct ctx *c, const struct check *chk)
{
	json_t *e = json_object();
	for (size_t i = 0; i < chk->n; i++)
		json_object_set_new(e, chk->items[i].field,
				    json_string(ctx_t(c, chk->items[i].msgid)));
	return e;
}
