/* The directory of organisations: list, view, add, edit. */
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "model/check.h"
#include "model/org.h"
#include "web/admin.h"
#include "web/app.h"

static struct authz_target
target_of(json_t *org)
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

/* Adds the translated type and country name to an organisation. */
static void
decorate(struct ctx *c, json_t *o)
{
	enum org_kind k =
		org_kind_parse(json_string_value(json_object_get(o, "kind")));
	json_object_set_new(o, "kind_text",
			    json_string(ctx_t(c, org_kind_label(k))));
	const struct country *ct =
		country_find(json_string_value(json_object_get(o, "country")));
	json_object_set_new(o, "country_name",
			    json_string(ct ? ctx_t(c, ct->name) : ""));
}

static json_t *
kind_options(struct ctx *c, const char *selected)
{
	json_t *a = json_array();
	for (int k = ORG_NONE + 1; k < ORG__MAX; k++)
		json_array_append_new(
			a, json_pack("{ss ss sb}", "value", org_kind_name(k),
				     "label", ctx_t(c, org_kind_label(k)),
				     "selected",
				     str_eq(selected, org_kind_name(k))));
	return a;
}

int
orgs_list(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct authz_target mine = {.org_id = c->actor.org_id,
				    .country = c->actor.country};
	struct org_filter f = {
		.q = http_query(req, "q"),
		.country = http_query(req, "country"),
		.kind = http_query(req, "kind"),
		.include_archived = str_eq(http_query(req, "archived"), "1"),
		.sort = http_query(req, "sort"),
		.page = query_page(req),
		.per_page = 25,
	};
	if (!authz_can(&c->actor, AUTHZ_ORG_LIST, &mine)) {
		/* Partner users see only their own organisation. */
		if (!authz_can(&c->actor, AUTHZ_ORG_VIEW, &mine))
			return 403;
		f.only_id = c->actor.org_id;
	}
	if (!query_fits(f.q, 100))
		return 400;
	json_t *orgs = json_array();
	int64_t total = 0;
	if (org_list(c->db, &f, orgs, &total)) {
		json_decref(orgs);
		return 500;
	}
	size_t i;
	json_t *o;
	json_array_foreach (orgs, i, o)
		decorate(c, o);
	static const struct option_text sorts[] = {
		{"name", N_("Name")},
		{"country", N_("Country")},
		{"kind", N_("Type")},
		{"updated", N_("Last changed")},
	};
	json_t *sort_opts = option_list(c, sorts, 4, f.sort);
	struct authz_target new_local = {.country = c->actor.country};
	json_t *d =
		json_pack("{so so so so so sb}", "orgs", orgs, "f",
			  json_pack("{ss sb}", "q", f.q ? f.q : "", "archived",
				    f.include_archived),
			  "country_options", country_options(c, f.country),
			  "kind_options", kind_options(c, f.kind),
			  "sort_options", sort_opts, "can_create",
			  authz_can(&c->actor, AUTHZ_ORG_CREATE, &new_local));
	json_object_set_new(d, "pager",
			    pager_json(req, total, f.page, f.per_page));
	return page_render(req, resp, 200, "orgs", d);
}

int
orgs_view(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	json_t *org = org_get(c->db, param_id(req, 0));
	if (org == NULL)
		return 404;
	struct authz_target t = target_of(org);
	if (!authz_can(&c->actor, AUTHZ_ORG_VIEW, &t)) {
		json_decref(org);
		return 404; /* do not tell that it exists */
	}
	decorate(c, org);
	bool can_edit = authz_can(&c->actor, AUTHZ_ORG_EDIT, &t);
	return page_render(
		req, resp, 200, "org_view",
		json_pack("{so sb}", "org", org, "can_edit", can_edit));
}

/* The organisation described by the form. */
static struct org
org_from_form(struct http_request *req)
{
	struct org o = {
		.name = http_form(req, "name"),
		.kind = org_kind_parse(http_form(req, "kind")),
		.country = http_form(req, "country"),
		.languages = http_form(req, "languages"),
		.services = http_form(req, "services"),
		.contact_email = http_form(req, "contact_email"),
		.contact_phone = http_form(req, "contact_phone"),
		.address = http_form(req, "address"),
		.website = http_form(req, "website"),
		.referral_partner =
			str_eq(http_form(req, "referral_partner"), "1"),
		.archived = str_eq(http_form(req, "archived"), "1"),
	};
	if (o.name)
		o.name = str_trim(arena_strdup(req->arena, o.name));
	return o;
}

static json_t *
org_json_from_form(const struct org *o)
{
	return json_pack("{ss ss ss ss ss ss ss ss ss sb sb}", "name",
			 o->name ? o->name : "", "kind", org_kind_name(o->kind),
			 "country", o->country ? o->country : "", "languages",
			 o->languages ? o->languages : "", "services",
			 o->services ? o->services : "", "contact_email",
			 o->contact_email ? o->contact_email : "",
			 "contact_phone",
			 o->contact_phone ? o->contact_phone : "", "address",
			 o->address ? o->address : "", "website",
			 o->website ? o->website : "", "referral_partner",
			 o->referral_partner, "archived", o->archived);
}

static int
org_form(struct http_request *req, struct http_response *resp, int status,
	 json_t *o, int64_t id, const struct check *chk)
{
	struct ctx *c = ctx_of(req);
	const char *kind = json_string_value(json_object_get(o, "kind"));
	const char *country = json_string_value(json_object_get(o, "country"));
	json_t *d = json_pack(
		"{so so so sb ss}", "o", o, "kind_options",
		kind_options(c, kind), "country_options",
		country_options(c, country ? country : c->actor.country),
		"edit", id != 0, "action",
		id ? arena_printf(req->arena, "/admin/orgs/%lld/edit",
				  (long long)id)
		   : "/admin/orgs/new");
	if (chk && chk->n) {
		json_object_set_new(d, "errors", json_true());
		json_object_set_new(d, "e", check_json(c, chk));
	}
	return page_render(req, resp, status, "org_form", d);
}

int
orgs_new_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct authz_target t = {.country = c->actor.country};
	if (!authz_can(&c->actor, AUTHZ_ORG_CREATE, &t))
		return 403;
	return org_form(req, resp, 200,
			json_pack("{ss ss}", "country", c->actor.country,
				  "kind", "ngo"),
			0, NULL);
}

int
orgs_create(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct org o = org_from_form(req);
	struct authz_target t = {
		.country = o.country,
		.org_is_secretariat = o.kind == ORG_REGIONAL_SECRETARIAT,
	};
	if (!authz_can(&c->actor, AUTHZ_ORG_CREATE, &t))
		return 403;
	struct check chk = {0};
	int64_t id = 0;
	enum err rc = org_create(c->db, &c->actor, &o, &chk, &id);
	if (rc == ERR_INVALID || (rc == ERR_EXISTS && chk.n))
		return org_form(req, resp, 400, org_json_from_form(&o), 0,
				&chk);
	if (rc)
		return 500;
	return redirect_flash(
		req, resp,
		arena_printf(req->arena, "/admin/orgs/%lld", (long long)id),
		N_("Saved."));
}

int
orgs_edit_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	json_t *org = org_get(c->db, id);
	if (org == NULL)
		return 404;
	struct authz_target t = target_of(org);
	if (!authz_can(&c->actor, AUTHZ_ORG_EDIT, &t)) {
		bool visible = authz_can(&c->actor, AUTHZ_ORG_VIEW, &t);
		json_decref(org);
		return visible ? 403 : 404;
	}
	return org_form(req, resp, 200, org, id, NULL);
}

int
orgs_update(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	json_t *org = org_get(c->db, id);
	if (org == NULL)
		return 404;
	struct authz_target t = target_of(org);
	/* t points into org: keep it until the checks are done. */
	struct org o = org_from_form(req);
	o.id = id;
	/* Both the record as it is and as it would become must be in reach:
	 * an affiliate admin cannot move an organisation abroad. */
	struct authz_target after = {
		.org_id = id,
		.country = o.country,
		.org_is_secretariat = o.kind == ORG_REGIONAL_SECRETARIAT,
	};
	bool may = authz_can(&c->actor, AUTHZ_ORG_EDIT, &t) &&
		   authz_can(&c->actor, AUTHZ_ORG_EDIT, &after);
	bool visible = authz_can(&c->actor, AUTHZ_ORG_VIEW, &t);
	json_decref(org);
	if (!may)
		return visible ? 403 : 404;
	struct check chk = {0};
	enum err rc = org_update(c->db, &c->actor, &o, &chk);
	if (rc == ERR_INVALID || (rc == ERR_EXISTS && chk.n))
		return org_form(req, resp, 400, org_json_from_form(&o), id,
				&chk);
	if (rc == ERR_NOTFOUND)
		return 404;
	if (rc)
		return 500;
	return redirect_flash(
		req, resp,
		arena_printf(req->arena, "/admin/orgs/%lld", (long long)id),
		N_("Saved."));
}
