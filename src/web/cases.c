/*
 * The staff's side of cases: the inbox, intake of hotline calls and
 * walk-ins, the case page with its actions, the printable summary and
 * merging.  Every page asks authz about the case's owning organisation;
 * a case outside the actor's reach is a 404, so that its existence is not
 * told.  Every read of a case is audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/str.h"
#include "model/case.h"
#include "model/evidence.h"
#include "web/admin.h"
#include "web/app.h"
#include "web/case_view.h"

/* 0 when the actor may do `action` on case `id`; else the status to
 * answer.  `t` and `country` describe the owner on success. */
static int
case_allowed(struct ctx *c, int64_t id, enum authz_action action,
	     struct authz_target *t, char country[3])
{
	if (id == 0)
		return 404;
	enum err rc = case_owner(c->db, id, t, country);
	if (rc == ERR_NOTFOUND)
		return 404;
	if (rc)
		return 500;
	if (authz_can(&c->actor, action, t))
		return 0;
	return authz_can(&c->actor, AUTHZ_CASE_VIEW, t) ? 403 : 404;
}

static int
query_int(struct http_request *req, const char *name, int dflt)
{
	int64_t v;
	const char *s = http_query(req, name);
	if (s == NULL || str_to_i64(s, -1, 1000000, &v))
		return dflt;
	return (int)v;
}

int
cases_inbox(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_CASE_LIST, NULL))
		return 403;
	int64_t now = (int64_t)time(NULL);
	app_escalate(c->app, c->db, now);
	const char *assignee = http_query(req, "assignee");
	struct case_filter f = {
		.status = http_query(req, "status"),
		.category = http_query(req, "category"),
		.priority = query_int(req, "priority", -1),
		.overdue = str_eq(http_query(req, "overdue"), "1"),
		.escalated = str_eq(http_query(req, "escalated"), "1"),
		.assignee = str_eq(assignee, "me")       ? c->actor.user_id
			    : str_eq(assignee, "nobody") ? -1
							 : 0,
		.channel = http_query(req, "channel"),
		.country_work = http_query(req, "country_work"),
		.country_origin = http_query(req, "country_origin"),
		.sector = http_query(req, "sector"),
		.q = http_query(req, "q"),
		.sort = http_query(req, "sort"),
		.page = query_page(req),
		.per_page = 25,
		.now = now,
	};
	if (!query_fits(f.q, 200))
		return 400;
	struct case_keys k = case_keys_of(c->app);
	json_t *rows = json_array();
	int64_t total = 0;
	if (case_list(c->db, &k, &c->actor, &f, rows, &total)) {
		json_decref(rows);
		return 500;
	}
	size_t i;
	json_t *r;
	json_array_foreach (rows, i, r)
		case_decorate(req, r);
	static const struct option_text statuses[] = {
		{"open", N_("Open (to be worked)")},
		{"new", N_("New")},
		{"verified", N_("Verified")},
		{"in_progress", N_("In progress")},
		{"referred", N_("Referred")},
		{"resolved", N_("Resolved")},
		{"closed", N_("Closed")},
		{"rejected", N_("Rejected")},
		{"merged", N_("Merged")},
		{"all", N_("All")},
	};
	static const struct option_text sorts[] = {
		{"urgent", N_("In danger first, then newest")},
		{"newest", N_("Newest first")},
		{"oldest", N_("Oldest first")},
	};
	static const struct option_text assignees[] = {
		{"", N_("Anyone")},
		{"me", N_("Me")},
		{"nobody", N_("Nobody yet")},
	};
	char prio[4];
	snprintf(prio, sizeof prio, "%d", f.priority);
	/* A word search is not counted past the page (model/case.h). */
	bool searched = !str_empty(f.q) && total > 0 &&
			(int64_t)f.page * f.per_page < total &&
			total == (int64_t)f.page * f.per_page + 1;
	bool capped = searched || total > CASE_LIST_COUNT_CAP;
	json_t *d = json_pack(
		"{so so so so so so so so so so sb sb ss sb}", "cases", rows,
		"statuses",
		option_list(c, statuses, sizeof statuses / sizeof statuses[0],
			    f.status ? f.status : "open"),
		"sorts",
		option_list(c, sorts, sizeof sorts / sizeof sorts[0], f.sort),
		"assignees",
		option_list(c, assignees, 3, assignee ? assignee : ""),
		"categories", choice_options(c, case_categories, f.category),
		"channels", choice_options(c, case_channels, f.channel),
		"sectors", choice_options(c, case_sectors, f.sector),
		"priorities", choice_options(c, case_priorities, prio),
		"countries_work", country_options(c, f.country_work),
		"countries_origin", country_options(c, f.country_origin),
		"overdue", f.overdue, "escalated", f.escalated, "q",
		f.q ? f.q : "", "capped", capped);
	json_object_set_new(d, "pager",
			    pager_json(req, total, f.page, f.per_page));
	return page_render(req, resp, 200, "cases", d);
}

/* ---- staff intake ---------------------------------------------------------
 */

static int
intake_page(struct http_request *req, struct http_response *resp, int status,
	    json_t *v, const struct check *chk)
{
	struct ctx *c = ctx_of(req);
#define SV(key) (json_string_value(json_object_get(v, key)))
	json_t *d = json_pack(
		"{so so so so so so so so so}", "v", v, "kinds",
		choice_options(c, case_kinds, SV("kind")), "categories",
		choice_options(c, case_categories, SV("category")), "sectors",
		choice_options(c, case_sectors, SV("sector")), "methods",
		choice_options(c, case_contact_methods, SV("contact_method")),
		"genders", choice_options(c, case_genders, SV("gender")),
		"channels", choice_options(c, case_channels, SV("channel")),
		"countries_work", country_options(c, SV("country_work")),
		"countries_origin", country_options(c, SV("country_origin")));
#undef SV
	if (chk && chk->n) {
		json_object_set_new(d, "errors", json_true());
		json_object_set_new(d, "e", check_json(c, chk));
	}
	return page_render(req, resp, status, "case_new", d);
}

int
cases_new_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_CASE_CREATE, NULL))
		return 403;
	return intake_page(req, resp, 200,
			   json_pack("{ss ss ss ss sb}", "kind", "complaint",
				     "channel", "hotline", "contact_method",
				     "phone", "country_work", c->actor.country,
				     "mine", true),
			   NULL);
}

int
cases_create(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	if (!authz_can(&c->actor, AUTHZ_CASE_CREATE, NULL))
		return 403;
	bool mine = str_eq(http_form(req, "mine"), "1");
	struct case_input in = case_input_from_form(req, NULL);
	in.owner_org_id = mine ? c->actor.org_id : 0;
	struct case_keys k = case_keys_of(c->app);
	struct check chk = {0};
	int64_t id = 0;
	char ref[CASE_REFERENCE_LEN + 1], pin[CASE_PIN_LEN + 1];
	enum err rc =
		case_create(c->db, &k, &c->actor, &in, &chk, &id, ref, pin);
	if (rc == ERR_INVALID) {
		json_t *v = json_pack(
			"{ss ss ss ss ss ss ss ss ss ss ss ss ss ss ss sb sb "
			"sb sb}",
			"kind", in.kind, "category", in.category, "description",
			in.description, "country_work", in.country_work,
			"country_origin", in.country_origin, "sector",
			in.sector, "employer", in.employer, "agency", in.agency,
			"started_on", in.started_on, "gender", in.gender,
			"name", in.name, "contact_method", in.contact_method,
			"contact", in.contact, "channel", in.channel,
			"language", in.language, "consent_contact",
			in.consent_contact, "consent_share", in.consent_share,
			"danger", in.danger, "mine", mine);
		return intake_page(req, resp, 400, v, &chk);
	}
	if (rc)
		return 500;
	char ref_text[16];
	case_reference_format(ref, ref_text);
	char pin_text[CASE_PIN_LEN + 2];
	snprintf(pin_text, sizeof pin_text, "%.4s %.4s", pin, pin + 4);
	crypto_wipe(pin, sizeof pin);
	json_t *d = json_pack("{ss ss sI}", "reference", ref_text, "pin",
			      pin_text, "id", (json_int_t)id);
	crypto_wipe(pin_text, sizeof pin_text);
	resp->no_store = true;
	return page_render(req, resp, 201, "case_created", d);
}

/* ---- one case ----------------------------------------------------------- */

static json_t *
status_moves(struct ctx *c, const char *status)
{
	enum case_status from = case_status_parse(status);
	json_t *a = json_array();
	for (int s = CASE_STATUS_NONE + 1; s < CASE_STATUS__MAX; s++)
		if (case_status_can_move(from, (enum case_status)s))
			json_array_append_new(
				a,
				json_pack("{ss ss}", "value",
					  case_status_name((enum case_status)s),
					  "label",
					  ctx_t(c,
						case_status_label(
							(enum case_status)s))));
	return a;
}

/* The case page; `chk` and `typed` (the form sent, may be NULL) show a
 * refused action with what was typed. */
static int
case_page_render(struct http_request *req, struct http_response *resp,
		 int status, int64_t id, const struct authz_target *t,
		 const struct check *chk, json_t *typed)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	int64_t now = (int64_t)time(NULL);
	json_t *kase = case_get(c->db, &k, id, false, now);
	if (kase == NULL) {
		json_decref(typed);
		return 404;
	}
	if (case_audit_read(c->db, &c->actor, id, t->org_id, "case.view")) {
		json_decref(kase);
		json_decref(typed);
		return 500;
	}
	case_decorate(req, kase);
	const char *st = json_string_value(json_object_get(kase, "status"));
	bool open = case_status_open(case_status_parse(st));
	json_t *events = case_timeline(c->db, id, false);
	timeline_decorate(req, events, false);
	json_t *messages = case_messages(c->db, &k, id, false);
	times_decorate(req, messages);
	json_t *notes = case_notes(c->db, &k, id);
	times_decorate(req, notes);
	json_t *files = case_attachments(c->db, &k, id, false);
	times_decorate(req, files);
	json_t *contacts = case_contacts(c->db, &k, id);
	json_t *dups = open ? case_duplicates(c->db, &k, id) : json_array();
	size_t di;
	json_t *dv;
	json_array_foreach (dups, di, dv) {
		const char *why =
			json_string_value(json_object_get(dv, "reason"));
		bool contact = str_eq(why, "contact");
		json_object_set_new(dv, "same_contact", json_boolean(contact));
		json_object_set_new(
			dv, "reason_text",
			json_string(ctx_t(c, contact ? N_("same contact")
						     : N_("similar words"))));
		enum case_status ds = case_status_parse(
			json_string_value(json_object_get(dv, "status")));
		json_object_set_new(
			dv, "status_text",
			json_string(ctx_t(c, case_status_label(ds))));
	}
	const char *rr =
		json_string_value(json_object_get(kase, "reject_reason"));
	if (!str_empty(rr))
		json_object_set_new(
			kase, "reject_reason_text",
			json_string(ctx_t(c, str_eq(rr, "spam")
						     ? N_("Spam")
						     : N_("Duplicate"))));
	char prio[4];
	snprintf(prio, sizeof prio, "%lld",
		 (long long)json_integer_value(
			 json_object_get(kase, "priority")));
	json_t *assignable = case_assignable(c->db, t->org_id);
	int64_t assignee =
		json_integer_value(json_object_get(kase, "assignee_id"));
	size_t i;
	json_t *u;
	json_array_foreach (assignable, i, u)
		json_object_set_new(
			u, "selected",
			json_boolean(json_integer_value(json_object_get(
					     u, "id")) == assignee));
	bool can_work = authz_can(&c->actor, AUTHZ_CASE_WORK, t);
	const char *sv_cat =
		json_string_value(json_object_get(kase, "category"));
	json_t *d = json_pack(
		"{so so so so so so so so so so so so so so sb sb sb}", "case",
		kase, "events", events, "messages", messages, "notes", notes,
		"files", files, "contacts", contacts, "duplicates", dups,
		"moves", status_moves(c, st), "assignable", assignable,
		"priorities", choice_options(c, case_priorities, prio),
		"remedies",
		choice_options(c, case_remedies,
			       json_string_value(
				       json_object_get(kase, "remedy_kind"))),
		"kinds",
		choice_options(
			c, case_kinds,
			json_string_value(json_object_get(kase, "kind"))),
		"categories", choice_options(c, case_categories, sv_cat),
		"sectors",
		choice_options(
			c, case_sectors,
			json_string_value(json_object_get(kase, "sector"))),
		"can_work", can_work, "is_open", open, "can_reject",
		can_work && (str_eq(st, "new") || str_eq(st, "verified")));
	json_object_set_new(
		d, "countries_work",
		country_options(c, json_string_value(json_object_get(
					   kase, "country_work"))));
	json_object_set_new(
		d, "countries_origin",
		country_options(c, json_string_value(json_object_get(
					   kase, "country_origin"))));
	json_object_set_new(d, "typed", typed ? typed : json_object());
	if (chk && chk->n) {
		json_object_set_new(d, "errors", json_true());
		json_object_set_new(d, "e", check_json(c, chk));
	}
	return page_render(req, resp, status, "case", d);
}

int
case_page(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	struct authz_target t;
	char country[3];
	int refused = case_allowed(c, id, AUTHZ_CASE_VIEW, &t, country);
	if (refused)
		return refused;
	return case_page_render(req, resp, 200, id, &t, NULL, NULL);
}

int
case_print(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	struct authz_target t;
	char country[3];
	int refused = case_allowed(c, id, AUTHZ_CASE_VIEW, &t, country);
	if (refused)
		return refused;
	struct case_keys k = case_keys_of(c->app);
	bool with_notes = str_eq(http_query(req, "notes"), "1");
	json_t *kase = case_get(c->db, &k, id, false, (int64_t)time(NULL));
	if (kase == NULL)
		return 404;
	if (case_audit_read(c->db, &c->actor, id, t.org_id, "case.print")) {
		json_decref(kase);
		return 500;
	}
	case_decorate(req, kase);
	json_t *events = case_timeline(c->db, id, false);
	timeline_decorate(req, events, false);
	json_t *messages = case_messages(c->db, &k, id, false);
	times_decorate(req, messages);
	json_t *contacts = case_contacts(c->db, &k, id);
	json_t *files = case_attachments(c->db, &k, id, false);
	times_decorate(req, files);
	json_t *d = json_pack("{so so so so so ss sb}", "case", kase, "events",
			      events, "messages", messages, "contacts",
			      contacts, "files", files, "printed_at",
			      format_time(req, (int64_t)time(NULL)),
			      "with_notes", with_notes);
	if (with_notes) {
		json_t *notes = case_notes(c->db, &k, id);
		times_decorate(req, notes);
		json_object_set_new(d, "notes", notes);
	}
	return page_render(req, resp, 200, "case_print", d);
}

int
case_file(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	struct authz_target t;
	char country[3];
	int refused = case_allowed(c, id, AUTHZ_CASE_VIEW, &t, country);
	if (refused)
		return refused;
	struct case_keys k = case_keys_of(c->app);
	void *data = NULL;
	size_t len = 0;
	char *mime = NULL, *name = NULL;
	enum err rc = case_attachment_data(c->db, &k, id, param_id(req, 1),
					   false, &data, &len, &mime, &name);
	if (rc)
		return rc == ERR_NOTFOUND ? 404 : 500;
	if (case_audit_read(c->db, &c->actor, id, t.org_id, "case.file")) {
		free(data);
		free(mime);
		free(name);
		return 500;
	}
	/* The response keeps the type's pointer until it is sent. */
	http_response_text(resp, arena_strdup(req->arena, mime), data, len);
	const char *ext = str_eq(mime, "application/pdf") ? "pdf"
			  : str_eq(mime, "image/png")     ? "png"
							  : "jpg";
	http_response_header(
		resp, "Content-Disposition",
		arena_printf(req->arena,
			     "attachment; filename=\"case-%lld-file-%lld.%s\"",
			     (long long)id, (long long)param_id(req, 1), ext));
	free(data);
	free(mime);
	free(name);
	return 200;
}

int
case_merge_form(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	struct authz_target t, t2;
	char country[3], country2[3];
	int refused = case_allowed(c, id, AUTHZ_CASE_WORK, &t, country);
	if (refused)
		return refused;
	int64_t into = case_find_reference(c->db, http_query(req, "into"));
	if (into == 0 || case_allowed(c, into, AUTHZ_CASE_WORK, &t2, country2))
		return redirect_flash(
			req, resp,
			arena_printf(req->arena, "/cases/%lld", (long long)id),
			N_("No case with that reference number is in your "
			   "reach."));
	struct case_keys k = case_keys_of(c->app);
	int64_t now = (int64_t)time(NULL);
	json_t *a = case_get(c->db, &k, id, false, now);
	json_t *b = case_get(c->db, &k, into, false, now);
	if (a == NULL || b == NULL) {
		json_decref(a);
		json_decref(b);
		return 404;
	}
	if (case_audit_read(c->db, &c->actor, id, t.org_id, "case.view") ||
	    case_audit_read(c->db, &c->actor, into, t2.org_id, "case.view")) {
		json_decref(a);
		json_decref(b);
		return 500;
	}
	case_decorate(req, a);
	case_decorate(req, b);
	return page_render(req, resp, 200, "case_merge",
			   json_pack("{so so}", "dup", a, "into", b));
}

/* ---- actions --------------------------------------------------------------
 */

typedef enum err (*action_fn)(struct http_request *req, int64_t id,
			      struct check *chk);

static enum err
act_verify(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	return case_verify(c->db, &c->actor, id, chk);
}

static enum err
act_reject(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	return case_reject(c->db, &k, &c->actor, id, http_form(req, "reason"),
			   http_form(req, "why"), chk);
}

static enum err
act_status(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	enum case_status to = case_status_parse(http_form(req, "to"));
	if (to == CASE_STATUS_NONE) {
		check_fail(chk, "status", N_("Please choose from the list."));
		return ERR_INVALID;
	}
	return case_set_status(c->db, &c->actor, id, to, chk);
}

static enum err
act_assign(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	int64_t who = 0;
	const char *v = http_form(req, "assignee");
	if (str_eq(v, "me"))
		who = c->actor.user_id;
	else if (!str_empty(v) && str_to_i64(v, 0, INT64_MAX, &who)) {
		check_fail(chk, "assignee", N_("Please choose from the list."));
		return ERR_INVALID;
	}
	return case_assign(c->db, &c->actor, id, who, chk);
}

static enum err
act_priority(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	int64_t p = -1;
	if (str_to_i64(http_form(req, "priority"), 0, 3, &p))
		p = -1;
	return case_set_priority(c->db, &c->actor, id, (int)p, chk);
}

static enum err
act_triage(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	struct case_input in = {
		.kind = form_or(req, "kind", ""),
		.category = form_or(req, "category", ""),
		.sector = form_or(req, "sector", ""),
		.country_work = form_or(req, "country_work", ""),
		.country_origin = form_or(req, "country_origin", ""),
		.employer = form_or(req, "employer", ""),
		.agency = form_or(req, "agency", ""),
	};
	return case_triage(c->db, &k, &c->actor, id, &in, chk);
}

static enum err
act_message(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	return case_add_message(c->db, &k, &c->actor, id,
				form_or(req, "body", ""), chk);
}

static enum err
act_note(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	return case_add_note(c->db, &k, &c->actor, id, form_or(req, "note", ""),
			     chk);
}

static enum err
act_remedy(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	struct case_remedy r = {
		.kind = http_form(req, "remedy_kind"),
		.amount = form_or(req, "remedy_amount", ""),
		.currency = form_or(req, "remedy_currency", ""),
		.date = form_or(req, "remedy_date", ""),
		.note = form_or(req, "remedy_note", ""),
	};
	return case_record_remedy(c->db, &k, &c->actor, id, &r, chk);
}

static enum err
act_contact(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	struct case_meeting m = {
		.on_date = form_or(req, "on_date", ""),
		.place = form_or(req, "place", ""),
		.who = form_or(req, "who", ""),
		.summary = form_or(req, "summary", ""),
	};
	return case_add_contact(c->db, &k, &c->actor, id, &m, chk);
}

static enum err
act_attach(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	bool shown = str_eq(http_form(req, "shown"), "1");
	size_t n = 0;
	for (size_t i = 0; i < req->nfiles; i++) {
		const struct http_file *f = &req->files[i];
		if (!str_eq(f->field, "evidence"))
			continue;
		if (++n > EVIDENCE_MAX_FILES) {
			check_fail(chk, "evidence",
				   N_("At most 5 files at once."));
			return ERR_INVALID;
		}
		struct evidence ev;
		const char *msgid = NULL;
		enum err rc = evidence_accept(f->data, f->len, &ev, &msgid);
		if (rc) {
			check_fail(chk, "evidence", msgid);
			return ERR_INVALID;
		}
		rc = case_attach(c->db, &k, &c->actor, id, f->filename, ev.mime,
				 ev.data, ev.len, ev.stripped, !shown);
		evidence_release(&ev);
		if (rc)
			return rc;
	}
	if (n == 0) {
		check_fail(chk, "evidence", N_("Choose a file first."));
		return ERR_INVALID;
	}
	return ERR_OK;
}

static enum err
act_merge(struct http_request *req, int64_t id, struct check *chk)
{
	struct ctx *c = ctx_of(req);
	int64_t into = 0;
	struct authz_target t;
	char country[3];
	if (str_to_i64(http_form(req, "into"), 1, INT64_MAX, &into) ||
	    case_allowed(c, into, AUTHZ_CASE_WORK, &t, country)) {
		check_fail(chk, "into",
			   N_("No case with that reference number is in your "
			      "reach."));
		return ERR_INVALID;
	}
	return case_merge(c->db, &c->actor, into, id, chk);
}

static const struct {
	const char *name;
	action_fn fn;
	const char *done; /* the flash message */
} actions[] = {
	{"verify", act_verify, N_("The case is verified.")},
	{"reject", act_reject, N_("The case is rejected.")},
	{"status", act_status, N_("The status is changed.")},
	{"assign", act_assign, N_("The case is assigned.")},
	{"priority", act_priority, N_("The priority is changed.")},
	{"triage", act_triage, N_("Saved.")},
	{"message", act_message, N_("Your message is sent to the worker.")},
	{"note", act_note, N_("The note is saved.")},
	{"remedy", act_remedy, N_("The outcome is recorded.")},
	{"contact", act_contact, N_("The contact is recorded.")},
	{"attach", act_attach, N_("The file is added.")},
	{"merge", act_merge, N_("The cases are merged.")},
};

/* The form fields sent, to show them again after a refusal. */
static json_t *
typed_of(struct http_request *req)
{
	json_t *o = json_object();
	for (size_t i = 0; i < req->nform; i++)
		if (!str_eq(req->form[i].name, "csrf"))
			json_object_set_new(o, req->form[i].name,
					    json_string(req->form[i].value));
	return o;
}

int
case_action(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = param_id(req, 0);
	const char *name = http_param(req, 1);
	size_t i;
	for (i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (str_eq(actions[i].name, name))
			break;
	if (i == sizeof actions / sizeof actions[0])
		return 404;
	struct authz_target t;
	char country[3];
	int refused = case_allowed(c, id, AUTHZ_CASE_WORK, &t, country);
	if (refused)
		return refused;
	struct check chk = {0};
	enum err rc = actions[i].fn(req, id, &chk);
	if (rc == ERR_INVALID)
		return case_page_render(req, resp, 400, id, &t, &chk,
					typed_of(req));
	if (rc == ERR_NOTFOUND)
		return 404;
	if (rc) {
		log_error("[req=%s] case action %s failed: %s", req->id, name,
			  err_str(rc));
		return rc == ERR_BUSY ? 503 : 500;
	}
	/* After a merge, the case that goes on is the other one. */
	int64_t to = id;
	if (str_eq(name, "merge"))
		str_to_i64(http_form(req, "into"), 1, INT64_MAX, &to);
	return redirect_flash(
		req, resp,
		arena_printf(req->arena, "/cases/%lld", (long long)to),
		actions[i].done);
}
