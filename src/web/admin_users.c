/* Staff accounts: list, add, edit, reset password, reset two-step. */
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "model/org.h"
#include "model/user.h"
#include "web/admin.h"
#include "web/app.h"

/* The authz target for an account: its organisation and role. */
static struct authz_target
user_target(json_t *u)
{
	struct authz_target t = {
		.org_id = json_integer_value(json_object_get(u, "org_id")),
		.country = json_string_value(json_object_get(u, "country")),
		.org_is_secretariat = str_eq(
			json_string_value(json_object_get(u, "org_kind")),
			"regional_secretariat"),
		.role = role_parse(
			json_string_value(json_object_get(u, "role"))),
	};
	return t;
}

/* The target for an account placed in org `org_id` with role `role`. */
static struct authz_target
placement(struct ctx *c, int64_t org_id, enum role role, json_t **keep)
{
	json_t *org = org_get(c->db, org_id);
	struct authz_target t = {.org_id = org_id, .role = role};
	if (org) {
		t.country = json_string_value(json_object_get(org, "country"));
		t.org_is_secretariat =
			str_eq(json_string_value(json_object_get(org, "kind")),
			       "regional_secretariat");
	}
	*keep = org;
	return t;
}

static json_t *
role_options(struct ctx *c, const char *selected)
{
	json_t *a = json_array();
	for (int r = ROLE_NONE + 1; r < ROLE__MAX; r++) {
		struct authz_target t = {.country = c->actor.country,
					 .role = (enum role)r};
		if (!authz_can(&c->actor, AUTHZ_USER_CREATE, &t))
			continue;
		json_array_append_new(
			a,
			json_pack("{ss ss sb}", "value", role_name(r), "label",
				  ctx_t(c, role_label(r)), "selected",
				  str_eq(selected, role_name(r))));
	}
	return a;
}

static bool
found_selected(json_t *options, int64_t id)
{
	size_t i;
	json_t *o;
	json_array_foreach (options, i, o)
		if (json_integer_value(json_object_get(o, "id")) == id)
			return true;
	return false;
}

/* Organisations an account may be placed in by this admin. */
static json_t *
org_options(struct ctx *c, int64_t selected)
{
	struct org_filter f = {.per_page = ORG_LIST_MAX, .sort = "country"};
	if (c->actor.role != ROLE_REGIONAL_ADMIN)
		f.country = c->actor.country;
	json_t *all = json_array();
	org_list(c->db, &f, all, NULL);
	json_t *out = json_array();
	size_t i;
	json_t *o;
	json_array_foreach (all, i, o) {
		bool sec = str_eq(json_string_value(json_object_get(o, "kind")),
				  "regional_secretariat");
		if (sec && c->actor.role != ROLE_REGIONAL_ADMIN)
			continue;
		json_int_t id = json_integer_value(json_object_get(o, "id"));
		json_array_append_new(
			out, json_pack("{sI sO sO sb}", "id", id, "name",
				       json_object_get(o, "name"), "country",
				       json_object_get(o, "country"),
				       "selected", id == selected));
	}
	json_decref(all);
	/* The account's own organisation is always there and chosen, even
	 * when the list leaves it out (archived, or past its length): a
	 * save must never move someone without the admin choosing to. */
	if (selected != 0 && !found_selected(out, selected)) {
		json_t *org = org_get(c->db, selected);
		if (org != NULL) {
			json_array_insert_new(
				out, 0,
				json_pack("{sI sO sO sb}", "id",
					  (json_int_t)selected, "name",
					  json_object_get(org, "name"),
					  "country",
					  json_object_get(org, "country"),
					  "selected", 1));
			json_decref(org);
		}
	}
	return out;
}

static json_t *
lang_options(const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < i18n_lang_count; i++)
		json_array_append_new(
			a, json_pack("{ss ss sb}", "tag", i18n_langs[i].tag,
				     "native", i18n_langs[i].native, "selected",
				     str_eq(selected, i18n_langs[i].tag)));
	return a;
}

int
users_list(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct authz_target mine = {.org_id = c->actor.org_id,
				    .country = c->actor.country};
	if (!authz_can(&c->actor, AUTHZ_USER_LIST, &mine))
		return 403;
	struct user_filter f = {
		.q = http_query(req, "q"),
		.role = http_query(req, "role"),
		.sort = http_query(req, "sort"),
		.page = query_page(req),
		.per_page = 25,
	};
	if (!query_fits(f.q, 100))
		return 400;
	if (c->actor.role != ROLE_REGIONAL_ADMIN) {
		f.country = c->actor.country;
		f.staff_only = true; /* the accounts authz lets them manage */
	}
	json_t *users = json_array();
	int64_t total = 0;
	if (user_list(c->db, &f, users, &total)) {
		json_decref(users);
		return 500;
	}
	size_t i;
	json_t *u;
	json_array_foreach (users, i, u) {
		enum role r = role_parse(
			json_string_value(json_object_get(u, "role")));
		json_object_set_new(u, "role_text",
				    json_string(ctx_t(c, role_label(r))));
	}
	static const struct option_text sorts[] = {
		{"email", N_("E-mail address")},
		{"name", N_("Name")},
		{"org", N_("Organisation")},
		{"last_login", N_("Last sign-in")},
	};
	json_t *sort_opts = option_list(c, sorts, 4, f.sort);
	json_t *roles = json_array();
	for (int r = ROLE_NONE + 1; r < ROLE__MAX; r++)
		json_array_append_new(
			roles,
			json_pack("{ss ss sb}", "value", role_name(r), "label",
				  ctx_t(c, role_label(r)), "selected",
				  str_eq(f.role, role_name(r))));
	json_t *d = json_pack("{so so so so}", "users", users, "f",
			      json_pack("{ss}", "q", f.q ? f.q : ""),
			      "sort_options", sort_opts, "role_options", roles);
	json_object_set_new(d, "pager",
			    pager_json(req, total, f.page, f.per_page));
	return page_render(req, resp, 200, "users", d);
}

static int
user_form(struct http_request *req, struct http_response *resp, int status,
	  json_t *u, int64_t id, const struct check *chk)
{
	struct ctx *c = ctx_of(req);
	json_t *d = json_pack(
		"{so so so so sb ss}", "u", u, "role_options",
		role_options(c, json_string_value(json_object_get(u, "role"))),
		"org_options",
		org_options(c,
			    json_integer_value(json_object_get(u, "org_id"))),
		"lang_options",
		lang_options(json_string_value(json_object_get(u, "language"))),
		"edit", id != 0, "action",
		id ? arena_printf(req->arena, "/admin/users/%lld",
				  (long long)id)
		   : "/admin/users/new");
	if (chk && chk->n) {
		json_object_set_new(d, "errors", json_true());
		json_object_set_new(d, "e", check_json(c, chk));
	}
	return page_render(req, resp, status, "user_form", d);
}

int
users_new_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct authz_target t = {.org_id = c->actor.org_id,
				 .country = c->actor.country,
				 .role = ROLE_FOCAL_POINT};
	if (!authz_can(&c->actor, AUTHZ_USER_CREATE, &t))
		return 403;
	return user_form(req, resp, 200,
			 json_pack("{sI ss}", "org_id",
				   (json_int_t)c->actor.org_id, "role",
				   "focal_point"),
			 0, NULL);
}

/* The account described by the form. */
static struct user_input
input_from_form(struct http_request *req)
{
	int64_t org_id = 0;
	str_to_i64(http_form(req, "org_id"), 1, INT64_MAX, &org_id);
	struct user_input in = {
		.email = http_form(req, "email"),
		.name = http_form(req, "name"),
		.org_id = org_id,
		.role = role_parse(http_form(req, "role")),
		.password = http_form(req, "password"),
		.language = http_form(req, "language"),
		.disabled = str_eq(http_form(req, "disabled"), "1"),
	};
	if (in.name)
		in.name = str_trim(arena_strdup(req->arena, in.name));
	if (in.email)
		in.email = str_trim(arena_strdup(req->arena, in.email));
	return in;
}

static json_t *
input_json(const struct user_input *in, json_t *base)
{
	json_t *u = base ? base : json_object();
	if (!base)
		json_object_set_new(u, "email",
				    json_string(in->email ? in->email : ""));
	json_object_set_new(u, "name", json_string(in->name ? in->name : ""));
	json_object_set_new(u, "org_id", json_integer(in->org_id));
	json_object_set_new(
		u, "role",
		json_string(role_name(in->role) ? role_name(in->role) : ""));
	json_object_set_new(u, "language",
			    json_string(in->language ? in->language : ""));
	json_object_set_new(u, "disabled", json_boolean(in->disabled));
	return u;
}

int
users_create(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct user_input in = input_from_form(req);
	json_t *org;
	struct authz_target t = placement(c, in.org_id, in.role, &org);
	/* An unknown organisation or role is a form error (shown by
	 * user_create); a known one out of reach is refused. */
	struct authz_target own = {.org_id = c->actor.org_id,
				   .country = c->actor.country};
	bool allowed = (org == NULL || in.role == ROLE_NONE)
			       ? authz_can(&c->actor, AUTHZ_USER_LIST, &own)
			       : authz_can(&c->actor, AUTHZ_USER_CREATE, &t);
	json_decref(org);
	if (!allowed)
		return 403;
	struct check chk = {0};
	int64_t id = 0;
	enum err rc = user_create(c->db, &c->actor, &in, &chk, &id);
	if (rc == ERR_INVALID || (rc == ERR_EXISTS && chk.n))
		return user_form(req, resp, 400, input_json(&in, NULL), 0,
				 &chk);
	if (rc)
		return 500;
	return redirect_flash(
		req, resp,
		arena_printf(req->arena, "/admin/users/%lld", (long long)id),
		N_("Saved."));
}

/* Loads account `id` and checks the actor may edit it; a status on
 * failure (404 hides accounts one may not see). */
static int
load_editable(struct ctx *c, int64_t id, json_t **OUT)
{
	json_t *u = user_get(c->db, id);
	if (u == NULL)
		return 404;
	struct authz_target t = user_target(u);
	if (!authz_can(&c->actor, AUTHZ_USER_EDIT, &t)) {
		json_decref(u);
		return 404;
	}
	*OUT = u;
	return 0;
}

int
users_edit_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	json_t *u;
	int s = load_editable(c, id, &u);
	if (s)
		return s;
	return user_form(req, resp, 200, u, id, NULL);
}

int
users_update(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	json_t *u;
	int s = load_editable(c, id, &u);
	if (s)
		return s;
	struct user_input in = input_from_form(req);
	json_t *org;
	struct authz_target after = placement(c, in.org_id, in.role, &org);
	bool ok = org == NULL || in.role == ROLE_NONE ||
		  authz_can(&c->actor, AUTHZ_USER_EDIT, &after);
	json_decref(org);
	if (!ok) {
		json_decref(u);
		return 403;
	}
	if (id == c->actor.user_id && in.disabled) {
		struct check chk = {0};
		check_fail(&chk, "disabled",
			   N_("You cannot disable your own account."));
		return user_form(req, resp, 400, input_json(&in, u), id, &chk);
	}
	struct check chk = {0};
	enum err rc = user_update(c->db, &c->actor, id, &in, &chk);
	if (rc == ERR_INVALID)
		return user_form(req, resp, 400, input_json(&in, u), id, &chk);
	json_decref(u);
	if (rc)
		return rc == ERR_NOTFOUND ? 404 : 500;
	return redirect_flash(
		req, resp,
		arena_printf(req->arena, "/admin/users/%lld", (long long)id),
		N_("Saved."));
}

int
users_password(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	json_t *u;
	/* One's own password and second factor change on /account, where
	 * the current password is asked for. */
	if (id == c->actor.user_id)
		return 403;
	int s = load_editable(c, id, &u);
	if (s)
		return s;
	struct check chk = {0};
	enum err rc = user_set_password(c->db, &c->actor, id,
					http_form(req, "password"), 0,
					"user.password_reset", &chk);
	if (rc == ERR_INVALID) {
		struct check shown = {0};
		check_fail(&shown, "newpw", check_message(&chk, "password"));
		return user_form(req, resp, 400, u, id, &shown);
	}
	json_decref(u);
	if (rc)
		return 500;
	return redirect_flash(
		req, resp,
		arena_printf(req->arena, "/admin/users/%lld", (long long)id),
		N_("The password has been reset and the person's sessions "
		   "ended."));
}

int
users_2fa_reset(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	json_t *u;
	/* One's own password and second factor change on /account, where
	 * the current password is asked for. */
	if (id == c->actor.user_id)
		return 403;
	int s = load_editable(c, id, &u);
	if (s)
		return s;
	json_decref(u);
	if (!str_eq(http_form(req, "confirm"), "1"))
		return 400;
	if (user_set_totp(c->db, &c->actor, id, NULL, 0) ||
	    db_run(c->db, "DELETE FROM session WHERE user_id = ?", "i", id))
		return 500;
	return redirect_flash(
		req, resp,
		arena_printf(req->arena, "/admin/users/%lld", (long long)id),
		N_("Two-step verification was reset for this account."));
}
