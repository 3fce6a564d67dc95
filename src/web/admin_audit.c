/* The audit log viewer and the site settings. */
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "model/audit.h"
#include "model/setting.h"
#include "web/admin.h"
#include "web/app.h"

static const char *const actions[] = {
	"login.ok",
	"login.fail",
	"login.password_ok",
	"logout",
	"account.locked",
	"password.change",
	"totp.enable",
	"totp.disable",
	"user.create",
	"user.update",
	"user.password_reset",
	"org.create",
	"org.update",
	"setting.update",
	"case.create",
	"case.view",
	"case.print",
	"case.file",
	"case.verify",
	"case.reject",
	"case.status",
	"case.reopen",
	"case.assign",
	"case.priority",
	"case.triage",
	"case.message",
	"case.reply",
	"case.note",
	"case.attach",
	"case.remedy",
	"case.contact",
	"case.merge",
	"case.merge_into",
	"case.escalate",
	"hotline.create",
	"hotline.update",
	"hotline.delete",
	"routing.create",
	"routing.delete",
	"deadline.update",
	"login.",
	"user.",
	"org.",
	"case.",
	"hotline.",
	"routing.",
};

int
audit_page(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_AUDIT_VIEW, NULL))
		return 403;
	const char *action = http_query(req, "action");
	bool known = str_empty(action);
	for (size_t i = 0; !known && i < sizeof actions / sizeof *actions; i++)
		known = str_eq(action, actions[i]);
	if (!known)
		return 400;
	const char *actor = http_query(req, "actor");
	if (!query_fits(actor, 100))
		return 400;
	int64_t before = 0;
	const char *b = http_query(req, "before");
	if (b && str_to_i64(b, 1, INT64_MAX, &before))
		return 400;
	const char *from = http_query(req, "from");
	const char *to = http_query(req, "to");
	struct audit_filter f = {
		.action = action,
		.actor = actor,
		.from = parse_date(from),
		.to = parse_date(to) ? parse_date(to) + 86400 : 0,
		/* An affiliate admin reads what concerns their country. */
		.country = c->actor.role == ROLE_REGIONAL_ADMIN
				   ? NULL
				   : c->actor.country,
		.before_id = before,
		.limit = 50,
	};
	json_t *entries = json_array();
	int more = 0;
	if (audit_list(c->db, &f, entries, &more)) {
		json_decref(entries);
		return 500;
	}
	size_t i;
	json_t *e;
	int64_t last = 0;
	json_array_foreach (entries, i, e) {
		last = json_integer_value(json_object_get(e, "id"));
		json_object_set_new(
			e, "when",
			json_string(format_time(
				req,
				json_integer_value(json_object_get(e, "at")))));
	}
	json_t *opts = json_array();
	for (size_t k = 0; k < sizeof actions / sizeof *actions; k++)
		json_array_append_new(opts,
				      json_pack("{ss sb}", "value", actions[k],
						"selected",
						str_eq(action, actions[k])));
	json_t *d = json_pack(
		"{so so s{ss ss ss}}", "entries", entries, "action_options",
		opts, "f", "actor", actor ? actor : "", "from",
		parse_date(from) ? from : "", "to", parse_date(to) ? to : "");
	if (more) {
		struct buf l;
		buf_init(&l, 4096);
		buf_puts(&l, "/admin/audit?");
		const char *keys[] = {"action", "actor", "from", "to"};
		for (size_t k = 0; k < 4; k++) {
			const char *v = http_query(req, keys[k]);
			if (str_empty(v))
				continue;
			buf_printf(&l, "%s=", keys[k]);
			buf_urlarg(&l, v, strlen(v));
			buf_putc(&l, '&');
		}
		buf_printf(&l, "before=%lld", (long long)last);
		json_object_set_new(d, "older", json_string(buf_cstr(&l)));
		buf_release(&l);
	}
	return page_render(req, resp, 200, "audit", d);
}

int
settings_page(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_SETTINGS_EDIT, NULL))
		return 403;
	return page_render(
		req, resp, 200, "settings",
		json_pack("{sb}", "require_2fa_all",
			  setting_get_bool(c->db, SETTING_REQUIRE_2FA_ALL)));
}

int
settings_save(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_SETTINGS_EDIT, NULL))
		return 403;
	bool want = str_eq(http_form(req, "require_2fa_all"), "1");
	if (want != setting_get_bool(c->db, SETTING_REQUIRE_2FA_ALL) &&
	    setting_set_bool(c->db, &c->actor, SETTING_REQUIRE_2FA_ALL, want))
		return 500;
	return redirect_flash(req, resp, "/admin/settings", N_("Saved."));
}
