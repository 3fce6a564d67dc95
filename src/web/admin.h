/*
 * admin.h — helpers shared by the admin pages (admin.c).
 */
#ifndef ATIS_WEB_ADMIN_H
#define ATIS_WEB_ADMIN_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"
#include "model/check.h"
#include "web/app.h"

/* True when a search text is absent or at most `max` characters (the
 * maxlength of its field, which counts characters, not bytes). */
bool query_fits(const char *s, size_t max);
/* The ?page= of the request, from 1; 1 when absent or malformed. */
int query_page(struct http_request *req);
/* {total, page, pages, prev, next} with links that keep the other query
 * parameters; NULL (no pager) when everything fits on one page. */
json_t *pager_json(struct http_request *req, int64_t total, int page,
		   int per_page);
/* Countries as {code, name (translated), selected}. */
json_t *country_options(struct ctx *c, const char *selected);
/* A choice in a <select>: the value sent and its English label. */
struct option_text {
	const char *value;
	const char *label;
};
/* Choices as {value, label (translated), selected}. */
json_t *option_list(struct ctx *c, const struct option_text *opts, size_t n,
		    const char *selected);
/* Field errors as {field: translated message}. */
json_t *check_json(struct ctx *c, const struct check *chk);

#endif
