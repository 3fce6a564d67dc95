/*
 * What the case work rests on: the emergency numbers shown to a worker in
 * danger (/admin/hotlines), the routing rules that choose who receives a
 * new case (/admin/routing), and each organisation's deadlines
 * (/admin/deadlines).
 *
 * Who: every staff member who may open the inbox (AUTHZ_CASE_LIST) reads
 * these pages; changes need AUTHZ_HOTLINE_EDIT (the number's country),
 * AUTHZ_ROUTING_EDIT or AUTHZ_DEADLINE_EDIT (the organisation).  The
 * numbers and rules are no secret inside the staff area, so a record one
 * may not change answers 403, not 404.
 */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "model/check.h"
#include "model/hotline.h"
#include "model/org.h"
#include "model/routing.h"
#include "web/admin.h"
#include "web/app.h"

/* May this person read these pages at all? */
static bool
may_read(struct ctx *c)
{
	struct authz_target mine = {.org_id = c->actor.org_id,
				    .country = c->actor.country};
	return authz_can(&c->actor, AUTHZ_CASE_LIST, &mine);
}

static const char *
country_name(struct ctx *c, const char *code)
{
	const struct country *ct = country_find(code);
	return ct ? ctx_t(c, ct->name) : (code ? code : "");
}

/* ---- emergency numbers -------------------------------------------------- */

static bool
may_edit_country(struct ctx *c, const char *country)
{
	struct authz_target t = {.country = country};
	return authz_can(&c->actor, AUTHZ_HOTLINE_EDIT, &t);
}

/* The countries whose numbers this person may change, as {code, name,
 * selected}. */
static json_t *
editable_countries(struct ctx *c, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < country_count; i++)
		if (may_edit_country(c, countries[i].code))
			json_array_append_new(
				a,
				json_pack("{ss ss sb}", "code",
					  countries[i].code, "name",
					  ctx_t(c, countries[i].name),
					  "selected",
					  str_eq(selected, countries[i].code)));
	return a;
}

/* A tel: link target: the number without spaces (a tel: URI allows the
 * other separators). */
static const char *
tel_of(struct http_request *req, const char *number)
{
	char *t = arena_strdup(req->arena, number ? number : "");
	char *o = t;
	for (const char *p = t; *p; p++)
		if (*p != ' ')
			*o++ = *p;
	*o = '\0';
	return t;
}

/* Adds what the pages show beside the stored fields. */
static void
decorate_hotline(struct http_request *req, json_t *h)
{
	struct ctx *c = ctx_of(req);
	const char *country = json_string_value(json_object_get(h, "country"));
	json_object_set_new(h, "country_name",
			    json_string(country_name(c, country)));
	json_object_set_new(
		h, "tel",
		json_string(tel_of(
			req, json_string_value(json_object_get(h, "number")))));
	json_object_set_new(h, "can_edit",
			    json_boolean(may_edit_country(c, country)));
}

/* The number described by the form; sort -1 when it is not a number. */
static struct hotline
hotline_from_form(struct http_request *req)
{
	struct hotline h = {
		.country = http_form(req, "country"),
		.name = http_form(req, "name"),
		.number = http_form(req, "number"),
		.source_url = http_form(req, "source_url"),
		.checked_on = http_form(req, "checked_on"),
	};
	const char **trim[] = {&h.name, &h.number, &h.source_url,
			       &h.checked_on};
	for (size_t i = 0; i < sizeof trim / sizeof trim[0]; i++)
		if (*trim[i] != NULL)
			*trim[i] = str_trim(arena_strdup(req->arena, *trim[i]));
	const char *sort = http_form(req, "sort");
	int64_t v = 0;
	if (!str_empty(sort) &&
	    str_to_i64(sort, 0, HOTLINE_SORT_MAX, &v) != ERR_OK)
		v = -1;
	h.sort = (int)v;
	return h;
}

static json_t *
hotline_form_json(struct http_request *req, const struct hotline *h)
{
	const char *sort = http_form(req, "sort");
	return json_pack(
		"{ss ss ss ss ss ss}", "country", h->country ? h->country : "",
		"name", h->name ? h->name : "", "number",
		h->number ? h->number : "", "source_url",
		h->source_url ? h->source_url : "", "checked_on",
		h->checked_on ? h->checked_on : "", "sort", sort ? sort : "");
}

static void
add_errors(struct ctx *c, json_t *d, const struct check *chk)
{
	if (chk == NULL || chk->n == 0)
		return;
	json_object_set_new(d, "errors", json_true());
	json_object_set_new(d, "e", check_json(c, chk));
}

/*
 * The list with its filter and the form to add a number; `form` (consumed;
 * NULL for an empty one) and `chk` show what was sent back with its
 * errors.
 */
static int
hotlines_render(struct http_request *req, struct http_response *resp,
		int status, const char *filter, json_t *form,
		const struct check *chk)
{
	struct ctx *c = ctx_of(req);
	json_t *list = hotline_list_all(c->db, filter);
	if (list == NULL) {
		json_decref(form);
		return 500;
	}
	size_t i;
	json_t *h;
	json_array_foreach (list, i, h)
		decorate_hotline(req, h);
	if (form == NULL)
		form = json_pack("{ss ss}", "country",
				 str_empty(filter) ? c->actor.country : filter,
				 "sort", "10");
	json_t *editable = editable_countries(
		c, json_string_value(json_object_get(form, "country")));
	bool can_create = json_array_size(editable) > 0;
	json_t *d = json_pack("{so so ss so so sb}", "hotlines", list,
			      "country_options", country_options(c, filter),
			      "filter", filter ? filter : "", "form", form,
			      "new_country_options", editable, "can_create",
			      can_create);
	add_errors(c, d, chk);
	return page_render(req, resp, status, "hotlines", d);
}

int
hotlines_page(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!may_read(c))
		return 403;
	const char *filter = http_query(req, "country");
	if (!str_empty(filter) && country_find(filter) == NULL)
		return 400;
	return hotlines_render(req, resp, 200, filter, NULL, NULL);
}

static const char *
hotlines_url(struct http_request *req, const char *country)
{
	/* A country the model accepted: two capital letters. */
	return arena_printf(req->arena, "/admin/hotlines?country=%s", country);
}

int
hotlines_create(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct hotline h = hotline_from_form(req);
	if (!may_edit_country(c, h.country))
		return 403;
	struct check chk = {0};
	int64_t id = 0;
	enum err rc = hotline_create(c->db, &c->actor, &h, &chk, &id);
	if (rc == ERR_INVALID)
		return hotlines_render(req, resp, 400,
				       country_find(h.country) ? h.country
							       : NULL,
				       hotline_form_json(req, &h), &chk);
	if (rc)
		return 500;
	return redirect_flash(req, resp, hotlines_url(req, h.country),
			      N_("Saved."));
}

static int
hotline_form(struct http_request *req, struct http_response *resp, int status,
	     int64_t id, json_t *h, const struct check *chk)
{
	struct ctx *c = ctx_of(req);
	json_t *d = json_pack(
		"{sI so so}", "id", (json_int_t)id, "h", h, "country_options",
		editable_countries(
			c, json_string_value(json_object_get(h, "country"))));
	add_errors(c, d, chk);
	return page_render(req, resp, status, "hotline_form", d);
}

/*
 * The number of the route's :id that this person may change, or NULL
 * with *OUT_status set (404 none, 403 not theirs).  The caller decrefs.
 */
static json_t *
editable_hotline(struct http_request *req, int *OUT_status)
{
	struct ctx *c = ctx_of(req);
	json_t *h = hotline_get(c->db, param_id(req, 0));
	if (h == NULL) {
		*OUT_status = 404;
		return NULL;
	}
	if (!may_edit_country(
		    c, json_string_value(json_object_get(h, "country")))) {
		json_decref(h);
		*OUT_status = may_read(c) ? 403 : 404;
		return NULL;
	}
	return h;
}

int
hotlines_edit_form(struct http_request *req, struct http_response *resp)
{
	int status;
	json_t *h = editable_hotline(req, &status);
	if (h == NULL)
		return status;
	/* The form shows the order as text, like what comes back. */
	json_object_set_new(
		h, "sort",
		json_string(arena_printf(req->arena, "%lld",
					 (long long)json_integer_value(
						 json_object_get(h, "sort")))));
	return hotline_form(req, resp, 200, param_id(req, 0), h, NULL);
}

int
hotlines_update(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int status;
	json_t *old = editable_hotline(req, &status);
	if (old == NULL)
		return status;
	json_decref(old);
	struct hotline h = hotline_from_form(req);
	h.id = param_id(req, 0);
	/* Nor may it be moved to a country out of reach. */
	if (!may_edit_country(c, h.country))
		return 403;
	struct check chk = {0};
	enum err rc = hotline_update(c->db, &c->actor, &h, &chk);
	if (rc == ERR_INVALID)
		return hotline_form(req, resp, 400, h.id,
				    hotline_form_json(req, &h), &chk);
	if (rc == ERR_NOTFOUND)
		return 404;
	if (rc)
		return 500;
	return redirect_flash(req, resp, hotlines_url(req, h.country),
			      N_("Saved."));
}

int
hotlines_delete_form(struct http_request *req, struct http_response *resp)
{
	int status;
	json_t *h = editable_hotline(req, &status);
	if (h == NULL)
		return status;
	decorate_hotline(req, h);
	return page_render(req, resp, 200, "hotline_delete",
			   json_pack("{so}", "h", h));
}

int
hotlines_delete(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int status;
	json_t *h = editable_hotline(req, &status);
	if (h == NULL)
		return status;
	const char *back = hotlines_url(
		req, json_string_value(json_object_get(h, "country")));
	json_decref(h);
	enum err rc = hotline_delete(c->db, &c->actor, param_id(req, 0));
	if (rc == ERR_NOTFOUND)
		return 404;
	if (rc)
		return 500;
	return redirect_flash(req, resp, back, N_("Deleted."));
}

/* ---- routing rules ------------------------------------------------------ */

static const struct option_text applies_opts[] = {
	{"work", N_("Country of work")},
	{"origin", N_("Country of origin")},
};

static const char *
applies_label(const char *applies_to)
{
	for (size_t i = 0; i < sizeof applies_opts / sizeof applies_opts[0];
	     i++)
		if (str_eq(applies_to, applies_opts[i].value))
			return applies_opts[i].label;
	return "";
}

/* Organisations a rule may point at: every one not archived, by country
 * then name, as {id, name, country, selected}. */
static json_t *
rule_org_options(struct ctx *c, int64_t selected)
{
	struct org_filter f = {.per_page = ORG_LIST_MAX, .sort = "country"};
	json_t *all = json_array();
	org_list(c->db, &f, all, NULL);
	json_t *out = json_array();
	size_t i;
	json_t *o;
	json_array_foreach (all, i, o) {
		json_int_t id = json_integer_value(json_object_get(o, "id"));
		json_array_append_new(
			out, json_pack("{sI sO sO sb}", "id", id, "name",
				       json_object_get(o, "name"), "country",
				       json_object_get(o, "country"),
				       "selected", id == selected));
	}
	json_decref(all);
	return out;
}

/* "Where would a case go?": the answer for ?work=&origin=, or NULL when
 * neither was asked.  *OUT_bad when a code is not a country. */
static json_t *
try_routing(struct http_request *req, bool *OUT_bad)
{
	struct ctx *c = ctx_of(req);
	const char *work = http_query(req, "work");
	const char *origin = http_query(req, "origin");
	*OUT_bad = (!str_empty(work) && !country_find(work)) ||
		   (!str_empty(origin) && !country_find(origin));
	if (*OUT_bad || (work == NULL && origin == NULL))
		return NULL;
	int64_t org_id = 0;
	const char *why = "";
	json_t *r = json_pack("{ss ss}", "work", work ? work : "", "origin",
			      origin ? origin : "");
	enum err rc = routing_resolve(c->db, work, origin, &org_id, &why);
	json_t *org = rc == ERR_OK ? org_get(c->db, org_id) : NULL;
	if (org != NULL) {
		json_object_set_new(r, "found", json_true());
		json_object_set(r, "org_name", json_object_get(org, "name"));
		json_object_set_new(
			r, "org_country",
			json_string(country_name(
				c, json_string_value(
					   json_object_get(org, "country")))));
		json_object_set_new(
			r, "why",
			json_string(ctx_t(c, routing_why_label(why))));
		json_decref(org);
	}
	return r;
}

/* The page, with the form to add a rule (values in `form`, consumed, may
 * be NULL) and its errors. */
static int
routing_render(struct http_request *req, struct http_response *resp, int status,
	       json_t *form, const struct check *chk)
{
	struct ctx *c = ctx_of(req);
	bool bad = false;
	json_t *tried = try_routing(req, &bad);
	if (bad) {
		json_decref(form);
		return 400;
	}
	json_t *rules = routing_list(c->db);
	if (rules == NULL) {
		json_decref(form);
		json_decref(tried);
		return 500;
	}
	size_t i;
	json_t *r;
	json_array_foreach (rules, i, r) {
		json_object_set_new(
			r, "country_name",
			json_string(country_name(
				c, json_string_value(
					   json_object_get(r, "country")))));
		json_object_set_new(
			r, "applies_text",
			json_string(ctx_t(
				c,
				applies_label(json_string_value(
					json_object_get(r, "applies_to"))))));
	}
	bool can_edit = authz_can(&c->actor, AUTHZ_ROUTING_EDIT, NULL);
	json_t *d = json_pack("{so sb}", "rules", rules, "can_edit", can_edit);
	if (can_edit) {
		if (form == NULL)
			form = json_pack("{ss ss sI}", "country", "",
					 "applies_to", "work", "org_id",
					 (json_int_t)0);
		const char *country =
			json_string_value(json_object_get(form, "country"));
		json_object_set_new(d, "country_options",
				    country_options(c, country));
		json_object_set_new(
			d, "applies_options",
			option_list(c, applies_opts, 2,
				    json_string_value(json_object_get(
					    form, "applies_to"))));
		json_object_set_new(
			d, "org_options",
			rule_org_options(c, json_integer_value(json_object_get(
						    form, "org_id"))));
	}
	json_decref(form);
	const char *tw = json_string_value(json_object_get(tried, "work"));
	const char *to = json_string_value(json_object_get(tried, "origin"));
	json_object_set_new(d, "try_work_options", country_options(c, tw));
	json_object_set_new(d, "try_origin_options", country_options(c, to));
	if (tried != NULL)
		json_object_set_new(d, "tried", tried);
	add_errors(c, d, chk);
	return page_render(req, resp, status, "routing", d);
}

int
routing_page(struct http_request *req, struct http_response *resp)
{
	if (!may_read(ctx_of(req)))
		return 403;
	return routing_render(req, resp, 200, NULL, NULL);
}

int
routing_create(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_ROUTING_EDIT, NULL))
		return 403;
	const char *country = http_form(req, "country");
	const char *applies_to = http_form(req, "applies_to");
	int64_t org_id = 0;
	if (str_to_i64(http_form(req, "org_id"), 1, INT64_MAX, &org_id))
		org_id = 0;
	struct check chk = {0};
	int64_t id = 0;
	enum err rc = routing_rule_create(c->db, &c->actor, country, applies_to,
					  org_id, &chk, &id);
	if (rc == ERR_INVALID || (rc == ERR_EXISTS && chk.n))
		return routing_render(req, resp, 400,
				      json_pack("{ss ss sI}", "country",
						country ? country : "",
						"applies_to",
						applies_to ? applies_to : "",
						"org_id", (json_int_t)org_id),
				      &chk);
	if (rc)
		return 500;
	return redirect_flash(req, resp, "/admin/routing", N_("Saved."));
}

int
routing_delete(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_ROUTING_EDIT, NULL))
		return 403;
	int64_t id = param_id(req, 0);
	if (id == 0)
		return 404;
	enum err rc = routing_rule_delete(c->db, &c->actor, id);
	if (rc == ERR_NOTFOUND)
		return 404;
	if (rc)
		return 500;
	return redirect_flash(req, resp, "/admin/routing", N_("Deleted."));
}

/* ---- deadlines ---------------------------------------------------------- */

static struct authz_target
org_target(json_t *org)
{
	struct authz_target t = {
		.org_id = json_integer_value(json_object_get(org, "id")),
		.country = json_string_value(json_object_get(org, "country")),
		.org_is_secretariat =
			str_eq(json_string_value(json_object_get(org, "kind")),
			       "regional_secretariat"),
	};
	return t;
}

/* Organisations whose deadlines this person may set, as {id, name,
 * country, selected}: more than one only for those who may pick. */
static json_t *
deadline_org_options(struct ctx *c, int64_t selected)
{
	struct org_filter f = {.per_page = ORG_LIST_MAX, .sort = "country"};
	json_t *all = json_array();
	org_list(c->db, &f, all, NULL);
	json_t *out = json_array();
	size_t i;
	json_t *o;
	json_array_foreach (all, i, o) {
		struct authz_target t = org_target(o);
		if (!authz_can(&c->actor, AUTHZ_DEADLINE_EDIT, &t))
			continue;
		json_array_append_new(
			out,
			json_pack("{sI sO sO sb}", "id", (json_int_t)t.org_id,
				  "name", json_object_get(o, "name"), "country",
				  json_object_get(o, "country"), "selected",
				  t.org_id == selected));
	}
	json_decref(all);
	return out;
}

/*
 * The deadlines of organisation org_id; `entered` (the four texts sent,
 * or NULL) and `chk` show a form sent back with its errors.
 */
static int
deadlines_render(struct http_request *req, struct http_response *resp,
		 int status, int64_t org_id, const char *const *entered,
		 const struct check *chk)
{
	struct ctx *c = ctx_of(req);
	json_t *org = org_get(c->db, org_id);
	if (org == NULL)
		return 404;
	struct authz_target t = org_target(org);
	bool can_edit = authz_can(&c->actor, AUTHZ_DEADLINE_EDIT, &t);
	/* Staff read their own organisation's; admins what they may set. */
	if (!can_edit && !(org_id == c->actor.org_id && may_read(c))) {
		json_decref(org);
		return 403;
	}
	json_t *rows = routing_deadlines(c->db, org_id);
	if (rows == NULL) {
		json_decref(org);
		return 500;
	}
	size_t i;
	json_t *r;
	json_array_foreach (rows, i, r) {
		int p = (int)json_integer_value(json_object_get(r, "priority"));
		char field[16];
		snprintf(field, sizeof field, "hours_%d", p);
		json_object_set_new(
			r, "label",
			json_string(ctx_t(c, routing_priority_label(p))));
		json_object_set_new(r, "field", json_string(field));
		json_object_set_new(
			r, "value",
			json_string(
				entered && entered[p]
					? entered[p]
					: arena_printf(
						  req->arena, "%lld",
						  (long long)json_integer_value(
							  json_object_get(
								  r,
								  "hours")))));
		const char *msg = chk ? check_message(chk, field) : NULL;
		if (msg != NULL)
			json_object_set_new(r, "error",
					    json_string(ctx_t(c, msg)));
	}
	json_t *picker = deadline_org_options(c, org_id);
	json_t *d =
		json_pack("{so so sb}", "org",
			  json_pack("{sI sO ss}", "id", (json_int_t)org_id,
				    "name", json_object_get(org, "name"),
				    "country_name", country_name(c, t.country)),
			  "rows", rows, "can_edit", can_edit);
	json_decref(org);
	if (json_array_size(picker) > 1)
		json_object_set_new(d, "org_options", picker);
	else
		json_decref(picker);
	add_errors(c, d, chk);
	return page_render(req, resp, status, "deadlines", d);
}

int
deadlines_page(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const char *org = http_query(req, "org");
	int64_t org_id = c->actor.org_id;
	if (!str_empty(org) && str_to_i64(org, 1, INT64_MAX, &org_id))
		return 404;
	return deadlines_render(req, resp, 200, org_id, NULL, NULL);
}

int
deadlines_save(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const char *org = http_form(req, "org_id");
	int64_t org_id = c->actor.org_id;
	if (!str_empty(org) && str_to_i64(org, 1, INT64_MAX, &org_id))
		return 404;
	json_t *o = org_get(c->db, org_id);
	if (o == NULL)
		return 404;
	struct authz_target t = org_target(o);
	bool may = authz_can(&c->actor, AUTHZ_DEADLINE_EDIT, &t);
	json_decref(o);
	if (!may)
		return 403;
	static const char *const fields[ROUTING_PRIORITIES] = {
		"hours_0", "hours_1", "hours_2", "hours_3"};
	const char *entered[ROUTING_PRIORITIES];
	int64_t hours[ROUTING_PRIORITIES];
	for (int p = 0; p < ROUTING_PRIORITIES; p++) {
		entered[p] = http_form(req, fields[p]);
		if (entered[p] == NULL)
			entered[p] = "";
		/* Not a number in range: 0, which the model refuses with
		 * the message for this field. */
		if (str_to_i64(entered[p], 1, ROUTING_HOURS_MAX, &hours[p]))
			hours[p] = 0;
	}
	struct check chk = {0};
	enum err rc =
		routing_deadlines_save(c->db, &c->actor, org_id, hours, &chk);
	if (rc == ERR_INVALID)
		return deadlines_render(req, resp, 400, org_id, entered, &chk);
	if (rc == ERR_NOTFOUND)
		return 404;
	if (rc)
		return 500;
	return redirect_flash(req, resp,
			      arena_printf(req->arena,
					   "/admin/deadlines?org=%lld",
					   (long long)org_id),
			      N_("Saved."));
}
