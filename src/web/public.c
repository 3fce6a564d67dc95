/* Public pages: home, language choice, static files, health check. */
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "http/static.h"
#include "model/check.h"
#include "model/org.h"
#include "web/app.h"
#include "web/cache.h"

/* The home page is the same for every visitor without a session, so it
 * comes from the page cache (web/cache.h) for them. */
int
public_home(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const struct i18n_lang *l = i18n_lang_find(c->lang);
	size_t slot = (size_t)(l - i18n_langs);
	bool shared = !c->signed_in && c->flash == NULL;
	if (shared && page_cache_get(c->app->home_cache, slot, &resp->body)) {
		resp->content_type = "text/html; charset=utf-8";
		return 200;
	}
	/* Where to go: the unions of the network, from the directory. */
	json_t *contacts = json_array();
	struct org_filter f = {
		.kind = "affiliate", .sort = "country", .per_page = 50};
	if (org_list(c->db, &f, contacts, NULL)) {
		json_decref(contacts);
		return 500;
	}
	size_t i;
	json_t *o;
	json_array_foreach (contacts, i, o) {
		const struct country *k = country_find(
			json_string_value(json_object_get(o, "country")));
		json_object_set_new(o, "country_name",
				    json_string(k ? ctx_t(c, k->name) : ""));
	}
	int status = page_render(req, resp, 200, "home",
				 json_pack("{so}", "contacts", contacts));
	if (status == 200 && shared)
		page_cache_put(c->app->home_cache, slot, resp->body.data,
			       resp->body.len);
	return status;
}

int
public_lang(struct http_request *req, struct http_response *resp)
{
	const struct i18n_lang *l = i18n_lang_find(http_query(req, "to"));
	const char *next = http_query(req, "next");
	if (l != NULL) {
		struct http_cookie_opts o = {"atis_lang", l->tag,
					     365L * 24 * 3600, true, "Lax"};
		http_set_cookie(resp, &o);
	}
	/* http_redirect refuses anything but a local path. */
	return http_redirect(resp, str_empty(next) ? "/" : next);
}

int
public_static(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	return http_static_serve(req, resp, &c->app->statics,
				 http_param(req, 0));
}

int
public_health(struct http_request *req, struct http_response *resp)
{
	(void)req;
	http_response_text(resp, "text/plain; charset=utf-8", "ok\n", 3);
	return 200;
}
