/*
 * The application: the route table, the guard every request passes, the
 * error pages, and what every rendered page carries.
 */
#include "web/app.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/embed.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "db/migrate.h"
#include "model/case.h"
#include "model/evidence.h"
#include "web/cache.h"
#include "web/view.h"

/* The whole site on one screen. */
const struct http_route app_routes[] = {
	{HTTP_GET, "/", public_home, ACCESS_PUBLIC},
	{HTTP_GET, "/lang", public_lang, ACCESS_PUBLIC},
	{HTTP_GET, "/static/*", public_static, ACCESS_PUBLIC},
	{HTTP_GET, "/healthz", public_health, ACCESS_PUBLIC},
	{HTTP_GET, "/help", help_form, ACCESS_PUBLIC},
	{HTTP_POST, "/help", help_submit, ACCESS_PUBLIC_FORM},
	{HTTP_GET, "/help/danger", help_danger, ACCESS_PUBLIC},
	{HTTP_GET, "/track", track_form, ACCESS_PUBLIC},
	{HTTP_POST, "/track", track_open, ACCESS_PUBLIC_FORM},
	{HTTP_GET, "/track/case", track_case, ACCESS_PUBLIC},
	{HTTP_POST, "/track/reply", track_reply, ACCESS_PUBLIC_FORM},
	{HTTP_GET, "/track/files/:id", track_file, ACCESS_PUBLIC},
	{HTTP_POST, "/track/leave", track_leave, ACCESS_PUBLIC},
	{HTTP_GET, "/login", auth_login_form, ACCESS_PUBLIC},
	{HTTP_POST, "/login", auth_login, ACCESS_PUBLIC},
	{HTTP_GET, "/login/2fa", auth_2fa_form, ACCESS_HALF},
	{HTTP_POST, "/login/2fa", auth_2fa, ACCESS_HALF},
	{HTTP_POST, "/logout", auth_logout, ACCESS_HALF},
	{HTTP_GET, "/staff", staff_home, ACCESS_STAFF},
	{HTTP_GET, "/cases", cases_inbox, ACCESS_STAFF},
	{HTTP_GET, "/cases/new", cases_new_form, ACCESS_STAFF},
	{HTTP_POST, "/cases/new", cases_create, ACCESS_STAFF},
	{HTTP_GET, "/cases/:id", case_page, ACCESS_STAFF},
	{HTTP_GET, "/cases/:id/print", case_print, ACCESS_STAFF},
	{HTTP_GET, "/cases/:id/merge", case_merge_form, ACCESS_STAFF},
	{HTTP_GET, "/cases/:id/files/:file", case_file, ACCESS_STAFF},
	{HTTP_POST, "/cases/:id/:action", case_action, ACCESS_STAFF},
	{HTTP_GET, "/account", account_page, ACCESS_STAFF},
	{HTTP_POST, "/account/password", account_password, ACCESS_STAFF},
	{HTTP_POST, "/account/2fa/start", account_2fa_start, ACCESS_STAFF},
	{HTTP_POST, "/account/2fa/off", account_2fa_off, ACCESS_STAFF},
	{HTTP_GET, "/admin/orgs", orgs_list, ACCESS_STAFF},
	{HTTP_GET, "/admin/orgs/new", orgs_new_form, ACCESS_STAFF},
	{HTTP_POST, "/admin/orgs/new", orgs_create, ACCESS_STAFF},
	{HTTP_GET, "/admin/orgs/:id", orgs_view, ACCESS_STAFF},
	{HTTP_GET, "/admin/orgs/:id/edit", orgs_edit_form, ACCESS_STAFF},
	{HTTP_POST, "/admin/orgs/:id/edit", orgs_update, ACCESS_STAFF},
	{HTTP_GET, "/admin/users", users_list, ACCESS_STAFF},
	{HTTP_GET, "/admin/users/new", users_new_form, ACCESS_STAFF},
	{HTTP_POST, "/admin/users/new", users_create, ACCESS_STAFF},
	{HTTP_GET, "/admin/users/:id", users_edit_form, ACCESS_STAFF},
	{HTTP_POST, "/admin/users/:id", users_update, ACCESS_STAFF},
	{HTTP_POST, "/admin/users/:id/password", users_password, ACCESS_STAFF},
	{HTTP_POST, "/admin/users/:id/2fa-reset", users_2fa_reset,
	 ACCESS_STAFF},
	{HTTP_GET, "/admin/hotlines", hotlines_page, ACCESS_STAFF},
	{HTTP_POST, "/admin/hotlines/new", hotlines_create, ACCESS_STAFF},
	{HTTP_GET, "/admin/hotlines/:id", hotlines_edit_form, ACCESS_STAFF},
	{HTTP_POST, "/admin/hotlines/:id", hotlines_update, ACCESS_STAFF},
	{HTTP_GET, "/admin/hotlines/:id/delete", hotlines_delete_form,
	 ACCESS_STAFF},
	{HTTP_POST, "/admin/hotlines/:id/delete", hotlines_delete,
	 ACCESS_STAFF},
	{HTTP_GET, "/admin/routing", routing_page, ACCESS_STAFF},
	{HTTP_POST, "/admin/routing", routing_create, ACCESS_STAFF},
	{HTTP_POST, "/admin/routing/:id/delete", routing_delete, ACCESS_STAFF},
	{HTTP_GET, "/admin/deadlines", deadlines_page, ACCESS_STAFF},
	{HTTP_POST, "/admin/deadlines", deadlines_save, ACCESS_STAFF},
	{HTTP_GET, "/admin/audit", audit_page, ACCESS_STAFF},
	{HTTP_GET, "/admin/settings", settings_page, ACCESS_STAFF},
	{HTTP_POST, "/admin/settings", settings_save, ACCESS_STAFF},
};
const size_t app_route_count = sizeof app_routes / sizeof app_routes[0];

#define COOKIE_SESSION "atis_session"
#define COOKIE_CSRF "atis_csrf"
#define COOKIE_LANG "atis_lang"
#define COOKIE_FLASH "atis_flash"

/* One-off messages carried across a redirect by their index. */
static const char *const flashes[] = {
	N_("Saved."),
	N_("You are signed out."),
	N_("Your password has been changed."),
	N_("Two-step verification is on."),
	N_("Two-step verification is off."),
	N_("The password has been reset and the person's sessions ended."),
	N_("Two-step verification was reset for this account."),
	N_("Your session has ended. Please sign in again."),
	N_("Sent. Thank you."),
	N_("You have left your case on this phone. To see it again, type "
	   "your reference number and PIN."),
	N_("The case is verified."),
	N_("The case is rejected."),
	N_("The status is changed."),
	N_("The case is assigned."),
	N_("The priority is changed."),
	N_("Your message is sent to the worker."),
	N_("The note is saved."),
	N_("The outcome is recorded."),
	N_("The contact is recorded."),
	N_("The file is added."),
	N_("The cases are merged."),
	N_("No case with that reference number is in your reach."),
	N_("Deleted."),
};

static _Thread_local struct db *thread_db;

enum err
app_init(struct app *app, const struct config *cfg,
	 const struct crypto_key *master, struct buf *msg)
{
	memset(app, 0, sizeof *app);
	app->cfg = cfg;
	crypto_key_derive(master, CRYPTO_PURPOSE_CSRF, &app->csrf_key);
	crypto_key_derive(master, CRYPTO_PURPOSE_FIELD, &app->field_key);
	crypto_key_derive(master, CRYPTO_PURPOSE_INDEX, &app->index_key);
	app->static_files = xcalloc(embedded_count, sizeof *app->static_files);
	size_t n = 0;
	for (size_t i = 0; i < embedded_count; i++)
		if (str_starts(embedded_files[i].path, "static/")) {
			app->static_files[n].path = embedded_files[i].path;
			app->static_files[n].data = embedded_files[i].data;
			app->static_files[n].len = embedded_files[i].len;
			n++;
		}
	http_static_init(&app->statics, app->static_files, n, "static/");
	app->home_cache = page_cache_new(i18n_lang_count, 1000);
	return views_new(&app->views, msg);
}

void
app_release(struct app *app)
{
	views_free(app->views);
	page_cache_free(app->home_cache);
	http_static_release(&app->statics);
	free(app->static_files);
	crypto_wipe(&app->csrf_key, sizeof app->csrf_key);
	crypto_wipe(&app->field_key, sizeof app->field_key);
	crypto_wipe(&app->index_key, sizeof app->index_key);
}

void
app_thread_init(void *p)
{
	(void)p;
}

void
app_thread_release(void *p)
{
	(void)p;
	db_close(thread_db);
	thread_db = NULL;
	evidence_thread_release();
}

/* This worker thread's connection, opened on first use. */
static struct db *
thread_connection(struct app *app)
{
	if (thread_db != NULL)
		return thread_db;
	struct buf msg;
	buf_init(&msg, 1024);
	if (db_open(app->cfg->db, DB_OPEN_EXISTING, &thread_db, &msg))
		log_error("cannot open the database: %s", buf_cstr(&msg));
	else
		db_set_search_key(thread_db, app->index_key.bytes);
	buf_release(&msg);
	return thread_db;
}

static void
make_csrf(struct ctx *c, const char *seed)
{
	struct buf b;
	buf_init(&b, 0);
	buf_printf(&b, "%s:%s", c->signed_in ? "s" : "a", seed);
	crypto_hmac_b64(&c->app->csrf_key, b.data, b.len, c->csrf);
	buf_release(&b);
}

void
ctx_need_csrf(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (c->csrf[0] != '\0')
		return;
	char seed[CRYPTO_TOKEN_CHARS + 1];
	crypto_token(seed);
	struct http_cookie_opts set = {COOKIE_CSRF, seed, -1, true, "Lax"};
	http_set_cookie(resp, &set);
	make_csrf(c, seed);
}

void
app_escalate(struct app *app, struct db *db, int64_t now)
{
	int64_t last = app->last_escalation;
	if (now - last < app->cfg->escalation_seconds ||
	    !atomic_compare_exchange_strong(&app->last_escalation, &last, now))
		return;
	case_escalate_due(db, now);
}

const char *
ctx_t(const struct ctx *c, const char *msgid)
{
	return i18n_gettext(c->lang, msgid);
}

/* The language: the remembered choice, then Accept-Language, then the
 * deployment's default. */
static const char *
choose_lang(struct http_request *req, const struct config *cfg)
{
	return i18n_negotiate(http_cookie_site(req, COOKIE_LANG),
			      http_header(req, "Accept-Language"),
			      cfg->default_language);
}

/*
 * The worker's or staff member's address: the peer's, or — when the peer
 * is the configured reverse proxy — the last hop it appended to
 * X-Forwarded-For (earlier hops are whatever the client claimed).
 */
static const char *
client_address(struct http_request *req, const struct config *cfg)
{
	const char *peer = req->remote_addr ? req->remote_addr : "";
	if (str_empty(cfg->trusted_proxy) || !str_eq(peer, cfg->trusted_proxy))
		return peer;
	const char *xff = http_header(req, "X-Forwarded-For");
	if (str_empty(xff))
		return peer;
	const char *last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	size_t n = strspn(last, "0123456789abcdefABCDEF:.");
	if (n == 0 || n > 45 || last[n + strspn(last + n, " \t")] != '\0')
		return peer;
	return arena_strndup(req->arena, last, n);
}

int
app_guard(struct http_request *req, struct http_response *resp,
	  const struct http_route *route)
{
	struct app *app = req->app;
	struct ctx *c = arena_zalloc(req->arena, sizeof *c);
	req->user = c;
	c->app = app;
	c->lang = choose_lang(req, app->cfg);
	c->actor.address = client_address(req, app->cfg);
	c->actor.label = "";
	if (route->handler == public_static || route->handler == public_health)
		return 0; /* no session, no database */

	c->db = thread_connection(app);
	if (c->db == NULL)
		return 503;

	const char *flash = http_cookie_site(req, COOKIE_FLASH);
	int64_t fi;
	if (flash != NULL) {
		if (str_to_i64(flash, 0,
			       (int64_t)(sizeof flashes / sizeof flashes[0]) -
				       1,
			       &fi) == ERR_OK)
			c->flash = ctx_t(c, flashes[fi]);
		struct http_cookie_opts del = {COOKIE_FLASH, "", 0, true,
					       "Lax"};
		http_set_cookie(resp, &del);
	}

	const char *token = http_cookie_site(req, COOKIE_SESSION);
	bool had_token = token != NULL;
	enum err found = ERR_NOTFOUND;
	if (token != NULL)
		found = session_find(c->db, token, app->cfg->session_idle,
				     time(NULL), &c->sess);
	/* A database failure is not a signed-out visitor. */
	if (found != ERR_OK && found != ERR_NOTFOUND)
		return found == ERR_BUSY ? 503 : 500;
	if (found == ERR_OK) {
		c->signed_in = true;
		c->actor.user_id = c->sess.user_id;
		c->actor.org_id = c->sess.org_id;
		c->actor.secretariat = c->sess.secretariat;
		snprintf(c->actor.country, sizeof c->actor.country, "%s",
			 c->sess.country);
		c->actor.label = arena_strdup(req->arena, c->sess.email);
		/* Until the second factor, a session grants nothing. */
		c->actor.role = c->sess.stage == SESSION_FULL ? c->sess.role
							      : ROLE_NONE;
		make_csrf(c, c->sess.token_hash);
		resp->no_store = true;
		/* The account's language, unless the person chose another
		 * on this browser. */
		if (http_cookie_site(req, COOKIE_LANG) == NULL &&
		    i18n_lang_find(c->sess.language) != NULL)
			c->lang = i18n_lang_find(c->sess.language)->tag;
	} else {
		if (had_token) {
			struct http_cookie_opts del = {COOKIE_SESSION, "", 0,
						       true, "Lax"};
			http_set_cookie(resp, &del);
		}
		/* A visitor's CSRF token is bound to a random cookie, made
		 * when a page with a form first needs it (ctx_need_csrf). */
		const char *seed = http_cookie_site(req, COOKIE_CSRF);
		if (seed != NULL && strlen(seed) == CRYPTO_TOKEN_CHARS)
			make_csrf(c, seed);
	}

	if (req->method == HTTP_POST) {
		const char *sent = http_form(req, "csrf");
		if (sent == NULL || c->csrf[0] == '\0' ||
		    !crypto_str_equal(sent, c->csrf)) {
			/* A worker's form is never thrown away: its handler
			 * shows it again, filled in, with a fresh token. */
			if (route->access == ACCESS_PUBLIC_FORM) {
				c->csrf_stale = true;
				c->csrf[0] = '\0';
				return 0;
			}
			log_warn("[req=%s] refused a form without a valid CSRF "
				 "token",
				 req->id);
			return 403;
		}
	}

	/* A cut form (http/server.h) goes only to a worker's form, which
	 * shows it again with what was typed. */
	if (req->truncated && route->access != ACCESS_PUBLIC_FORM)
		return 413;

	switch ((enum access)route->access) {
	case ACCESS_PUBLIC:
	case ACCESS_PUBLIC_FORM: return 0;
	case ACCESS_HALF:
		if (c->signed_in)
			return 0;
		break;
	case ACCESS_STAFF:
		if (c->signed_in && c->sess.stage == SESSION_FULL)
			return 0;
		if (c->signed_in)
			return http_redirect(resp, "/login/2fa");
		break;
	}
	/* Not signed in: to the login page, then back here. */
	struct buf loc;
	buf_init(&loc, 4096);
	buf_puts(&loc, "/login?next=");
	buf_urlarg(&loc, req->path, strlen(req->path));
	if (had_token) {
		struct http_cookie_opts f = {COOKIE_FLASH, "7", 60, true,
					     "Lax"};
		http_set_cookie(resp, &f);
	}
	int status = http_redirect(resp, buf_cstr(&loc));
	buf_release(&loc);
	return status;
}

static json_t *
languages_json(struct http_request *req, const char *current)
{
	json_t *a = json_array();
	struct buf next;
	buf_init(&next, 4096);
	buf_urlarg(&next, req->path, strlen(req->path));
	for (size_t i = 0; i < i18n_lang_count; i++)
		json_array_append_new(
			a,
			json_pack("{ss ss ss sb ss}", "tag", i18n_langs[i].tag,
				  "native", i18n_langs[i].native, "script",
				  i18n_langs[i].script, "current",
				  strcmp(i18n_langs[i].tag, current) == 0,
				  "next", buf_cstr(&next)));
	buf_release(&next);
	return a;
}

/* The signed-in user as pages see them, with what the menus may show. */
static json_t *
user_json(struct ctx *c)
{
	if (!c->signed_in || c->sess.stage != SESSION_FULL)
		return NULL;
	const struct actor *a = &c->actor;
	struct authz_target mine = {.org_id = a->org_id, .country = a->country};
	json_t *org = NULL;
	struct db_stmt *st = db_query(
		c->db,
		"SELECT o.name, u.totp_secret IS NOT NULL FROM app_user u"
		" JOIN organisation o ON o.id = u.org_id WHERE u.id = ?",
		"i", a->user_id);
	bool totp = false;
	if (st != NULL && db_step(st)) {
		org = json_string(db_col_text(st, 0));
		totp = db_col_int(st, 1) != 0;
	}
	db_finalize(st);
	json_t *u = json_pack(
		"{sI ss ss ss ss so* sb sb sb sb sb}", "id",
		(json_int_t)a->user_id, "name", c->sess.name, "email",
		c->sess.email, "role", role_name(a->role), "role_label",
		ctx_t(c, role_label(a->role)), "org_name", org, "totp_enabled",
		totp, "can_orgs", authz_can(a, AUTHZ_ORG_LIST, &mine),
		"can_users", authz_can(a, AUTHZ_USER_LIST, &mine), "can_audit",
		authz_can(a, AUTHZ_AUDIT_VIEW, NULL), "can_settings",
		authz_can(a, AUTHZ_SETTINGS_EDIT, NULL));
	json_object_set_new(u, "can_cases",
			    json_boolean(authz_can(a, AUTHZ_CASE_LIST, NULL)));
	/* Staff who work cases read the numbers, rules and deadlines;
	 * the pages themselves say who may change them. */
	bool cases = authz_can(a, AUTHZ_CASE_LIST, NULL);
	json_object_set_new(u, "can_hotlines", json_boolean(cases));
	json_object_set_new(u, "can_routing", json_boolean(cases));
	json_object_set_new(u, "can_deadlines", json_boolean(cases));
	return u;
}

int
page_render(struct http_request *req, struct http_response *resp, int status,
	    const char *name, json_t *data)
{
	struct ctx *c = ctx_of(req);
	const struct i18n_lang *l = i18n_lang_find(c->lang);
	json_object_set_new(data, "lang", json_string(c->lang));
	json_object_set_new(data, "script",
			    json_string(l ? l->script : "latin"));
	json_object_set_new(data, "languages", languages_json(req, c->lang));
	/* The style sheet's URL changes with its content, so browsers may
	 * keep it for a year and still never show a stale one. */
	const char *v = http_static_version(&c->app->statics, "atis.css");
	json_object_set_new(data, "css_version", json_string(v ? v : "0"));
	if (c->csrf[0] != '\0')
		json_object_set_new(data, "csrf", json_string(c->csrf));
	json_object_set_new(data, "demo", json_boolean(c->app->demo));
	if (c->flash)
		json_object_set_new(data, "flash", json_string(c->flash));
	json_t *u = c->db ? user_json(c) : NULL;
	if (u != NULL)
		json_object_set_new(data, "user", u);
	buf_reset(&resp->body);
	enum err rc =
		views_render(c->app->views, c->lang, name, data, &resp->body);
	json_decref(data);
	if (rc) {
		log_error("[req=%s] cannot render %s: %s", req->id, name,
			  err_str(rc));
		buf_reset(&resp->body);
		return 500;
	}
	resp->content_type = "text/html; charset=utf-8";
	return status;
}

int
redirect_flash(struct http_request *req, struct http_response *resp,
	       const char *location, const char *msgid)
{
	size_t i;
	for (i = 0; i < sizeof flashes / sizeof flashes[0]; i++)
		if (strcmp(flashes[i], msgid) == 0) {
			char v[8];
			snprintf(v, sizeof v, "%zu", i);
			struct http_cookie_opts f = {COOKIE_FLASH, v, 60, true,
						     "Lax"};
			http_set_cookie(resp, &f);
			break;
		}
	/* Only messages of the table travel (the cookie holds an index);
	 * one missing from it is a bug to see in the log, not to hide. */
	if (i == sizeof flashes / sizeof flashes[0])
		log_error("[req=%s] flash message not in app.c's table: %s",
			  req->id, msgid);
	return http_redirect(resp, location);
}

int64_t
param_id(struct http_request *req, size_t i)
{
	int64_t id;
	const char *p = http_param(req, i);
	if (p == NULL || str_to_i64(p, 1, INT64_MAX, &id))
		return 0;
	return id;
}

int64_t
parse_date(const char *s)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	struct tm tm = {0};
	if (strptime(s, "%Y-%m-%d", &tm) == NULL)
		return 0;
	time_t t = timegm(&tm);
	return t < 0 ? 0 : (int64_t)t;
}

const char *
format_time(struct http_request *req, int64_t t)
{
	if (t <= 0)
		return "";
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	char out[32];
	strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(req->arena, out);
}

struct error_text {
	int status;
	const char *heading;
	const char *message;
};

static const struct error_text errors[] = {
	{400, N_("Something in this request was wrong"),
	 N_("The page could not read what was sent. Please go back and try "
	    "again.")},
	{403, N_("Not allowed"),
	 N_("You may not open this page, or the form was too old. Please go "
	    "back, reload the page and try again.")},
	{404, N_("Page not found"),
	 N_("There is no page at this address. Check the address, or start "
	    "again from the home page.")},
	{405, N_("Not allowed"),
	 N_("This page cannot be used this way. Please start again from the "
	    "home page.")},
	{413, N_("Too much was sent"),
	 N_("What you sent is too big. Please shorten the text or send "
	    "smaller files.")},
	{429, N_("Please wait a moment"),
	 N_("There were too many tries. Please wait a few minutes and try "
	    "again.")},
	{500, N_("Something went wrong on our side"),
	 N_("Nothing you did caused this. Please try again in a few "
	    "minutes.")},
	{503, N_("ATIS is not available right now"),
	 N_("Please try again in a few minutes.")},
};

void
app_error_page(struct http_request *req, struct http_response *resp, int status)
{
	struct app *app = req->app;
	struct ctx *c = ctx_of(req);
	if (c == NULL) {
		/* The request failed before the guard ran (a malformed
		 * form, a wrong method …): a minimal context will do. */
		c = arena_zalloc(req->arena, sizeof *c);
		c->app = app;
		c->lang = choose_lang(req, app->cfg);
		req->user = c;
	}
	const struct error_text *e = &errors[6];
	for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
		if (errors[i].status == status)
			e = &errors[i];
	struct db *keep = c->db;
	c->db = NULL; /* an error page touches no database */
	json_t *d = json_pack("{ss ss ss}", "heading", ctx_t(c, e->heading),
			      "message", ctx_t(c, e->message), "request_id",
			      req->id);
	int rc = page_render(req, resp, status, "error", d);
	c->db = keep;
	if (rc != status) {
		buf_reset(&resp->body);
		buf_puts(&resp->body, ctx_t(c, e->heading));
		resp->content_type = "text/plain; charset=utf-8";
	}
}
