/* Signing in and out: password, then the one-time code where needed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/otp.h"
#include "base/qr.h"
#include "base/str.h"
#include "model/audit.h"
#include "model/login.h"
#include "model/setting.h"
#include "model/user.h"
#include "web/app.h"

#define COOKIE_SESSION "atis_session"

/* Only local paths are followed after login. */
static const char *
safe_next(const char *next)
{
	if (str_empty(next) || next[0] != '/' || next[1] == '/' ||
	    next[1] == '\\' || strlen(next) > 1000)
		return "/staff";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '\\')
			return "/staff";
	return next;
}

static int
login_page(struct http_request *req, struct http_response *resp, int status,
	   const char *error, const char *email)
{
	struct ctx *c = ctx_of(req);
	ctx_need_csrf(req, resp);
	json_t *d = json_pack("{ss ss}", "next",
			      safe_next(http_query(req, "next")
						? http_query(req, "next")
						: http_form(req, "next")),
			      "email", email ? email : "");
	if (error)
		json_object_set_new(d, "error", json_string(ctx_t(c, error)));
	return page_render(req, resp, status, "login", d);
}

int
auth_login_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (c->signed_in && c->sess.stage == SESSION_FULL)
		return http_redirect(resp, "/staff");
	return login_page(req, resp, 200, NULL, NULL);
}

static void
set_session_cookie(struct http_response *resp, const char *token)
{
	struct http_cookie_opts o = {COOKIE_SESSION, token, -1, true, "Lax"};
	http_set_cookie(resp, &o);
}

int
auth_login(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const struct config *cfg = c->app->cfg;
	const char *email = http_form(req, "email");
	const char *password = http_form(req, "password");
	if (str_empty(email) || str_empty(password) || strlen(email) > 254 ||
	    strlen(password) > 1024)
		return login_page(req, resp, 400,
				  N_("Please type your e-mail address and "
				     "password."),
				  email && strlen(email) <= 254 ? email : "");
	char addr_hash[CRYPTO_TOKEN_CHARS + 1];
	crypto_hmac_b64(&c->app->index_key, c->actor.address,
			strlen(c->actor.address), addr_hash);
	struct login_policy pol = {cfg->login_max_failures, cfg->login_lock,
				   cfg->login_ip_max};
	struct login_result res;
	enum err rc = login_password(c->db, &pol, email, password,
				     c->actor.address, addr_hash, &res);
	switch (rc) {
	case ERR_OK: break;
	case ERR_DENIED:
	case ERR_LOCKED:
		/* One answer for both, so that it does not tell which
		 * e-mail addresses have an account. */
		return login_page(req, resp, 401,
				  N_("That e-mail address and password do not "
				     "match, or the account is locked for a "
				     "while after too many tries. Please try "
				     "again later or ask your admin."),
				  email);
	case ERR_THROTTLED:
		return login_page(req, resp, 429,
				  N_("Too many failed sign-ins from this "
				     "network. Please wait a few minutes."),
				  email);
	default: return 500;
	}
	/* A new session on every login: an old token never gains rights. */
	if (c->signed_in)
		session_destroy(c->db, c->sess.id);
	char token[CRYPTO_TOKEN_CHARS + 1];
	enum session_stage stage =
		res.totp_required ? SESSION_PASSWORD_OK : SESSION_FULL;
	if (session_create(c->db, res.user_id, stage, cfg->session_absolute,
			   token))
		return 500;
	set_session_cookie(resp, token);
	crypto_wipe(token, sizeof token);
	const char *next = safe_next(http_form(req, "next"));
	if (stage == SESSION_PASSWORD_OK) {
		struct buf loc;
		buf_init(&loc, 4096);
		buf_puts(&loc, "/login/2fa?next=");
		buf_urlarg(&loc, next, strlen(next));
		int s = http_redirect(resp, buf_cstr(&loc));
		buf_release(&loc);
		return s;
	}
	struct user_auth u;
	if (user_auth_by_id(c->db, res.user_id, &u) == ERR_OK) {
		struct actor who = {.user_id = u.id,
				    .org_id = u.org_id,
				    .label = u.email,
				    .address = c->actor.address,
				    .role = u.role};
		rc = login_complete(c->db, &who);
		user_auth_release(&u);
		if (rc)
			return 500;
	}
	return http_redirect(resp, next);
}

/* The secret being enrolled lives sealed in a short cookie until the
 * first code proves the app has it; only then is it stored. */
#define COOKIE_ENROL "atis_enrol"

static int
twofa_page(struct http_request *req, struct http_response *resp, int status,
	   const char *error, const char *new_secret)
{
	struct ctx *c = ctx_of(req);
	const char *next =
		safe_next(http_query(req, "next") ? http_query(req, "next")
						  : http_form(req, "next"));
	json_t *d =
		json_pack("{ss sb}", "next", next, "enrol", new_secret != NULL);
	if (error)
		json_object_set_new(d, "error", json_string(ctx_t(c, error)));
	if (new_secret) {
		struct buf uri;
		buf_init(&uri, 1024);
		buf_puts(&uri, "otpauth://totp/ATIS:");
		buf_urlarg(&uri, c->sess.email, strlen(c->sess.email));
		buf_printf(&uri, "?secret=%s&issuer=ATIS", new_secret);
		char *svg = qr_svg(buf_cstr(&uri),
				   ctx_t(c, N_("QR code for the authenticator "
					       "app")));
		buf_release(&uri);
		json_object_set_new(d, "secret", json_string(new_secret));
		if (svg)
			json_object_set_new(d, "qr_svg", json_string(svg));
		free(svg);
	}
	return page_render(req, resp, status, "login_2fa", d);
}

/* The secret to enrol: from the cookie if one is pending for this
 * account, else new.  The cookie seals "USER_ID:SECRET", so a secret
 * left in a shared browser is never offered to the next person. */
static const char *
pending_secret(struct http_request *req, struct http_response *resp, bool make)
{
	struct ctx *c = ctx_of(req);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "%lld:", (long long)c->sess.user_id);
	const char *sealed = http_cookie_site(req, COOKIE_ENROL);
	if (sealed != NULL) {
		char *plain = crypto_open_text(&c->app->field_key, sealed);
		const char *s = NULL;
		if (plain != NULL && str_starts(plain, prefix))
			s = arena_strdup(req->arena, plain + strlen(prefix));
		if (plain != NULL) {
			crypto_wipe(plain, strlen(plain));
			free(plain);
		}
		if (s != NULL)
			return s;
	}
	if (!make)
		return NULL;
	char secret[OTP_BASE32_MAX + 1];
	otp_new_secret(secret);
	char both[OTP_BASE32_MAX + 32];
	snprintf(both, sizeof both, "%s%s", prefix, secret);
	char *seal = crypto_seal_text(&c->app->field_key, both);
	crypto_wipe(both, sizeof both);
	struct http_cookie_opts o = {COOKIE_ENROL, seal, 900, true, "Strict"};
	http_set_cookie(resp, &o);
	free(seal);
	return arena_strdup(req->arena, secret);
}

static void
forget_enrolment(struct http_response *resp)
{
	struct http_cookie_opts del = {COOKIE_ENROL, "", 0, true, "Strict"};
	http_set_cookie(resp, &del);
}

int
auth_2fa_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (c->sess.stage == SESSION_FULL)
		return http_redirect(resp, "/staff");
	struct user_auth u;
	if (user_auth_by_id(c->db, c->sess.user_id, &u))
		return 500;
	bool enrolled = u.totp_sealed != NULL;
	user_auth_release(&u);
	return twofa_page(req, resp, 200, NULL,
			  enrolled ? NULL : pending_secret(req, resp, true));
}

int
auth_2fa(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const struct config *cfg = c->app->cfg;
	if (c->sess.stage == SESSION_FULL)
		return http_redirect(resp, "/staff");
	struct user_auth u;
	if (user_auth_by_id(c->db, c->sess.user_id, &u))
		return 500;
	struct actor who = {.user_id = u.id,
			    .org_id = u.org_id,
			    .label = arena_strdup(req->arena, u.email),
			    .address = c->actor.address,
			    .role = u.role};
	const char *secret = NULL;
	char *opened = NULL;
	int status;
	int64_t step = 0;
	/* A lock or a disabled account stops every half-signed-in session,
	 * not just the one that made the last wrong guess. */
	if (u.disabled || u.locked_until > (int64_t)time(NULL)) {
		session_destroy(c->db, c->sess.id);
		status = http_redirect(resp, "/login");
		goto out;
	}
	if (u.totp_sealed != NULL) {
		opened = crypto_open_text(&c->app->field_key, u.totp_sealed);
		secret = opened;
	} else {
		secret = pending_secret(req, resp, false);
	}
	if (secret == NULL) {
		/* An enrolment cookie that expired: start again. */
		status = twofa_page(
			req, resp, 400,
			N_("That took too long. Please scan the new "
			   "code."),
			u.totp_sealed ? NULL : pending_secret(req, resp, true));
		goto out;
	}
	const char *code = http_form(req, "code");
	if (otp_verify(secret, code, time(NULL), u.totp_last_step, &step)) {
		struct login_policy pol = {cfg->login_max_failures,
					   cfg->login_lock, cfg->login_ip_max};
		enum err rc = login_factor_failed(c->db, &pol, &who,
						  "wrong one-time code");
		if (rc == ERR_LOCKED) {
			session_destroy(c->db, c->sess.id);
			status = http_redirect(resp, "/login");
			goto out;
		}
		if (rc != ERR_DENIED) {
			status = 500;
			goto out;
		}
		status = twofa_page(
			req, resp, 401,
			N_("That code is not right. Check the time on "
			   "your phone and try the newest code."),
			u.totp_sealed ? NULL : secret);
		goto out;
	}
	enum err rc;
	if (u.totp_sealed == NULL) {
		char *seal = crypto_seal_text(&c->app->field_key, secret);
		rc = user_set_totp(c->db, &who, u.id, seal, step);
		free(seal);
		forget_enrolment(resp);
	} else {
		rc = user_set_totp_step(c->db, u.id, step);
		if (rc == ERR_NOTFOUND) {
			/* The same code, used a moment ago by another
			 * request. */
			status = twofa_page(
				req, resp, 401,
				N_("That code is not right. Check the time on "
				   "your phone and try the newest code."),
				NULL);
			goto out;
		}
	}
	/* Rotate the token as the session gains its rights. */
	char token[CRYPTO_TOKEN_CHARS + 1];
	if (rc || session_destroy(c->db, c->sess.id) ||
	    session_create(c->db, u.id, SESSION_FULL, cfg->session_absolute,
			   token) ||
	    login_complete(c->db, &who)) {
		status = 500;
		goto out;
	}
	set_session_cookie(resp, token);
	crypto_wipe(token, sizeof token);
	status = http_redirect(resp, safe_next(http_form(req, "next")));
out:
	if (opened) {
		crypto_wipe(opened, strlen(opened));
		free(opened);
	}
	user_auth_release(&u);
	return status;
}

int
auth_logout(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (db_begin_write(c->db) == ERR_OK) {
		struct audit_event ev = {"logout", "user", c->sess.user_id,
					 c->sess.org_id, NULL};
		if (session_destroy(c->db, c->sess.id) ||
		    audit_append(c->db, &c->actor, &ev) || db_commit(c->db)) {
			db_rollback(c->db);
			return 500;
		}
	}
	struct http_cookie_opts del = {COOKIE_SESSION, "", 0, true, "Lax"};
	http_set_cookie(resp, &del);
	forget_enrolment(resp);
	return redirect_flash(req, resp, "/", N_("You are signed out."));
}
