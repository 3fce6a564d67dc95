/* A staff member's own account: password and two-step verification. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "base/i18n.h"
#include "base/str.h"
#include "model/case.h"
#include "model/login.h"
#include "model/setting.h"
#include "model/user.h"
#include "web/app.h"

int
staff_home(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	json_t *d = json_object();
	if (authz_can(&c->actor, AUTHZ_CASE_LIST, NULL)) {
		int64_t now = (int64_t)time(NULL);
		/* Overdue cases escalate here too: the affiliate admin's
		 * first page shows them. */
		app_escalate(c->app, c->db, now);
		json_object_set_new(d, "counts",
				    case_counts(c->db, &c->actor, now));
	}
	return page_render(req, resp, 200, "staff", d);
}

static bool
totp_required(struct ctx *c)
{
	return authz_role_requires_2fa(c->actor.role) ||
	       setting_get_bool(c->db, SETTING_REQUIRE_2FA_ALL);
}

static int
account_render(struct http_request *req, struct http_response *resp, int status,
	       const char *pw_error)
{
	struct ctx *c = ctx_of(req);
	json_t *d = json_pack("{sb}", "totp_required", totp_required(c));
	if (pw_error)
		json_object_set_new(d, "pw_error",
				    json_string(ctx_t(c, pw_error)));
	return page_render(req, resp, status, "account", d);
}

int
account_page(struct http_request *req, struct http_response *resp)
{
	return account_render(req, resp, 200, NULL);
}

/*
 * Checks the current password of the signed-in user.  A wrong one counts
 * towards the account lock, so a borrowed session cannot guess it; when
 * it locks the account every session ends.  Returns 0 when it is right,
 * else the status the handler returns (or -1: show the form again).
 */
static int
check_current_password(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const char *password = http_form(req, "current");
	struct user_auth u;
	if (user_auth_by_id(c->db, c->actor.user_id, &u))
		return 500;
	bool ok = !str_empty(password) &&
		  crypto_password_verify(u.password_hash, password);
	user_auth_release(&u);
	if (ok)
		return 0;
	const struct config *cfg = c->app->cfg;
	struct login_policy pol = {cfg->login_max_failures, cfg->login_lock,
				   cfg->login_ip_max};
	enum err rc = login_factor_failed(c->db, &pol, &c->actor,
					  "wrong current password");
	if (rc == ERR_LOCKED) {
		if (session_destroy_user(c->db, c->actor.user_id))
			return 500;
		return http_redirect(resp, "/login");
	}
	return rc == ERR_DENIED ? -1 : 500;
}

int
account_password(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const char *pw = http_form(req, "password");
	int s = check_current_password(req, resp);
	if (s > 0)
		return s;
	if (s < 0)
		return account_render(
			req, resp, 400,
			N_("Your current password is not right."));
	if (!str_eq(pw, http_form(req, "password2")))
		return account_render(req, resp, 400,
				      N_("The two new passwords are not the "
					 "same."));
	struct check chk = {0};
	enum err rc = user_set_password(c->db, &c->actor, c->actor.user_id, pw,
					c->sess.id, "password.change", &chk);
	if (rc == ERR_INVALID)
		return account_render(req, resp, 400,
				      check_message(&chk, "password"));
	if (rc)
		return 500;
	return redirect_flash(req, resp, "/account",
			      N_("Your password has been changed."));
}

int
account_2fa_start(struct http_request *req, struct http_response *resp)
{
	/* Enrolment runs through the same page as at sign-in: the session
	 * steps back to "password given" until a code proves the app. */
	struct ctx *c = ctx_of(req);
	if (db_run(c->db, "UPDATE session SET stage = ? WHERE id = ?", "ii",
		   (int64_t)SESSION_PASSWORD_OK, c->sess.id))
		return 500;
	return http_redirect(resp, "/login/2fa?next=/account");
}

int
account_2fa_off(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (totp_required(c))
		return 403;
	int s = check_current_password(req, resp);
	if (s > 0)
		return s;
	if (s < 0)
		return account_render(
			req, resp, 400,
			N_("Your current password is not right."));
	if (user_set_totp(c->db, &c->actor, c->actor.user_id, NULL, 0))
		return 500;
	return redirect_flash(req, resp, "/account",
			      N_("Two-step verification is off."));
}
