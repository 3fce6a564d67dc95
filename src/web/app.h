/*
 * app.h — what every page handler shares: the application (built once at
 * start-up, read-only afterwards) and the per-request context.
 *
 * A handler's way: ctx_of(req) → ask authz → model calls → page_render()
 * or a redirect; it returns the HTTP status.  The guard (app.c) has by
 * then loaded the session, chosen the language and checked the CSRF token
 * of every POST.
 */
#ifndef ATIS_WEB_APP_H
#define ATIS_WEB_APP_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "base/config.h"
#include "base/crypto.h"
#include "db/db.h"
#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/static.h"
#include "model/authz.h"
#include "model/session.h"

/* What a route needs before its handler runs. */
enum access {
	ACCESS_PUBLIC = 0, /* anyone */
	ACCESS_HALF,       /* password given, one-time code awaited */
	ACCESS_STAFF,      /* fully signed in */
	/* Anyone; a POST whose CSRF token is stale is not refused but
	 * handed over with ctx.csrf_stale set: the handler must then change
	 * nothing and show the form again with what was typed. */
	ACCESS_PUBLIC_FORM,
};

struct views;      /* compiled templates per language (view.c) */
struct page_cache; /* rendered public pages (cache.c) */

struct app {
	const struct config *cfg;
	struct crypto_key csrf_key;
	struct crypto_key field_key; /* seals TOTP secrets */
	struct crypto_key index_key; /* keyed hashes (throttle addresses) */
	struct views *views;
	struct page_cache *home_cache; /* one slot per language */
	struct http_static statics;    /* static/ files, with ETags */
	struct http_static_file *static_files;
	bool demo; /* the database holds demo data */
	/* When overdue cases were last escalated (app_escalate): the one
	 * field that changes after start-up, atomically. */
	_Atomic int64_t last_escalation;
};

/* Per request, in the request arena (req->user). */
struct ctx {
	struct app *app;
	struct db *db;       /* this thread's connection */
	const char *lang;    /* chosen page language */
	bool signed_in;      /* a session of any stage */
	struct session sess; /* valid when signed_in */
	struct actor actor;  /* ROLE_NONE for the public */
	char csrf[CRYPTO_TOKEN_CHARS + 1];
	const char *flash; /* one-off message from the previous page */
	bool csrf_stale;   /* ACCESS_PUBLIC_FORM: the token did not match */
};

enum err app_init(struct app *app, const struct config *cfg,
		  const struct crypto_key *master, struct buf *msg);
void app_release(struct app *app);

/* The route table and the hooks for http_server_config. */
extern const struct http_route app_routes[];
extern const size_t app_route_count;
int app_guard(struct http_request *req, struct http_response *resp,
	      const struct http_route *route);
void app_error_page(struct http_request *req, struct http_response *resp,
		    int status);
void app_thread_init(void *app);
/* Closes this thread's database connection (at thread exit). */
void app_thread_release(void *app);

static inline struct ctx *
ctx_of(struct http_request *req)
{
	return req->user;
}

/* Escalates overdue cases (model/case.h) at most once every
 * cases.escalation_seconds (60) per process, from the pages staff open;
 * cheap when it is not yet time. */
void app_escalate(struct app *app, struct db *db, int64_t now);

/* Makes sure the page can carry a CSRF token: a visitor without a
 * session gets the cookie it is bound to. */
void ctx_need_csrf(struct http_request *req, struct http_response *resp);

/* The translation of `msgid` in the request's language. */
const char *ctx_t(const struct ctx *c, const char *msgid);

/*
 * Renders templates/NAME.mustache into resp with `data` (consumed: the
 * function decrefs it) plus what every page shows: language, user, CSRF
 * token, menus.  Returns `status`, or 500 when rendering failed.
 */
int page_render(struct http_request *req, struct http_response *resp,
		int status, const char *name, json_t *data);

/* Sets a one-off message shown on the next page, then redirects (303). */
int redirect_flash(struct http_request *req, struct http_response *resp,
		   const char *location, const char *msgid);

/* Parses a positive id from a route capture; 0 when malformed. */
int64_t param_id(struct http_request *req, size_t i);

/* A date "YYYY-MM-DD" as seconds at 00:00 UTC; 0 when empty or invalid. */
int64_t parse_date(const char *s);
/* Seconds as "YYYY-MM-DD HH:MM" UTC, in the arena. */
const char *format_time(struct http_request *req, int64_t t);

/* Handlers, by file. */
int public_home(struct http_request *, struct http_response *);
int public_lang(struct http_request *, struct http_response *);
int public_static(struct http_request *, struct http_response *);
int public_health(struct http_request *, struct http_response *);
int help_form(struct http_request *, struct http_response *);
int help_submit(struct http_request *, struct http_response *);
int help_danger(struct http_request *, struct http_response *);
int track_form(struct http_request *, struct http_response *);
int track_open(struct http_request *, struct http_response *);
int track_case(struct http_request *, struct http_response *);
int track_reply(struct http_request *, struct http_response *);
int track_file(struct http_request *, struct http_response *);
int track_leave(struct http_request *, struct http_response *);
int cases_inbox(struct http_request *, struct http_response *);
int cases_new_form(struct http_request *, struct http_response *);
int cases_create(struct http_request *, struct http_response *);
int case_page(struct http_request *, struct http_response *);
int case_print(struct http_request *, struct http_response *);
int case_merge_form(struct http_request *, struct http_response *);
int case_file(struct http_request *, struct http_response *);
int case_action(struct http_request *, struct http_response *);
int auth_login_form(struct http_request *, struct http_response *);
int auth_login(struct http_request *, struct http_response *);
int auth_2fa_form(struct http_request *, struct http_response *);
int auth_2fa(struct http_request *, struct http_response *);
int auth_logout(struct http_request *, struct http_response *);
int account_page(struct http_request *, struct http_response *);
int account_password(struct http_request *, struct http_response *);
int account_2fa_start(struct http_request *, struct http_response *);
int account_2fa_off(struct http_request *, struct http_response *);
int staff_home(struct http_request *, struct http_response *);
int orgs_list(struct http_request *, struct http_response *);
int orgs_new_form(struct http_request *, struct http_response *);
int orgs_create(struct http_request *, struct http_response *);
int orgs_view(struct http_request *, struct http_response *);
int orgs_edit_form(struct http_request *, struct http_response *);
int orgs_update(struct http_request *, struct http_response *);
int users_list(struct http_request *, struct http_response *);
int users_new_form(struct http_request *, struct http_response *);
int users_create(struct http_request *, struct http_response *);
int users_edit_form(struct http_request *, struct http_response *);
int users_update(struct http_request *, struct http_response *);
int users_password(struct http_request *, struct http_response *);
int users_2fa_reset(struct http_request *, struct http_response *);
int hotlines_page(struct http_request *, struct http_response *);
int hotlines_create(struct http_request *, struct http_response *);
int hotlines_edit_form(struct http_request *, struct http_response *);
int hotlines_update(struct http_request *, struct http_response *);
int hotlines_delete_form(struct http_request *, struct http_response *);
int hotlines_delete(struct http_request *, struct http_response *);
int routing_page(struct http_request *, struct http_response *);
int routing_create(struct http_request *, struct http_response *);
int routing_delete(struct http_request *, struct http_response *);
int deadlines_page(struct http_request *, struct http_response *);
int deadlines_save(struct http_request *, struct http_response *);
int audit_page(struct http_request *, struct http_response *);
int settings_page(struct http_request *, struct http_response *);
int settings_save(struct http_request *, struct http_response *);

#endif
