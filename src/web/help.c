/*
 * The worker's side: asking for help or reporting a problem without an
 * account, the emergency numbers for someone in danger, and "check my
 * case" with the reference and PIN.
 *
 * Nothing here needs JavaScript.  What a worker typed is never thrown
 * away: every refusal (a field to correct, a stale form, too many sends,
 * a file that cannot be added) shows the form again, filled in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/qr.h"
#include "base/str.h"
#include "model/case.h"
#include "model/check.h"
#include "model/evidence.h"
#include "model/hotline.h"
#include "web/admin.h"
#include "web/app.h"
#include "web/case_view.h"

#define COOKIE_CASE "atis_case"
#define CASE_ACCESS_SECONDS (30 * 60)

/* The country a worker reading this language most likely works in or
 * comes from: the first guess for the emergency numbers. */
static const char *
country_of_lang(const char *lang)
{
	static const struct {
		const char *lang, *country;
	} map[] = {
		{"th", "TH"}, {"ms", "MY"}, {"id", "ID"}, {"fil", "PH"},
		{"vi", "VN"}, {"km", "KH"}, {"my", "MM"}, {"lo", "LA"},
		{"ne", "NP"}, {"bn", "BD"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (str_eq(map[i].lang, lang))
			return map[i].country;
	return "";
}

/* The values to show in the form again. */
static json_t *
input_json(const struct case_input *in)
{
	return json_pack(
		"{ss ss ss ss ss ss ss ss ss ss ss sb sb sb}", "description",
		in->description, "employer", in->employer, "agency", in->agency,
		"started_on", in->started_on, "name", in->name, "contact",
		in->contact, "kind", in->kind, "category", in->category,
		"contact_method", in->contact_method, "sector", in->sector,
		"gender", in->gender, "consent_contact", in->consent_contact,
		"consent_share", in->consent_share, "danger", in->danger);
}

static json_t *
language_options(struct ctx *c, const char *selected)
{
	json_t *a = json_array();
	for (size_t i = 0; i < i18n_lang_count; i++)
		json_array_append_new(
			a, json_pack("{ss ss sb}", "value", i18n_langs[i].tag,
				     "label", i18n_langs[i].native, "selected",
				     str_eq(selected, i18n_langs[i].tag)));
	(void)c;
	return a;
}

static json_t *
country_choices(struct ctx *c, const char *selected)
{
	return country_options(c, selected);
}

/* Renders the form with `in` (NULL: empty) and what went wrong. */
static int
help_form_page(struct http_request *req, struct http_response *resp, int status,
	       const struct case_input *in, const struct check *chk,
	       json_t *file_errors, const char *notice)
{
	struct ctx *c = ctx_of(req);
	ctx_need_csrf(req, resp);
	struct case_input empty = {
		.kind = "complaint",
		.contact_method = "none",
		.language = c->lang,
		.description = "",
		.employer = "",
		.agency = "",
		.started_on = "",
		.name = "",
		.contact = "",
		.category = "",
		.sector = "",
		.gender = "",
		.country_work = country_of_lang(c->lang),
		.country_origin = "",
	};
	if (in == NULL) {
		in = &empty;
		if (str_eq(http_query(req, "danger"), "1"))
			empty.danger = true;
	}
	json_t *d = json_pack(
		"{so so so so so so so so so si si}", "v", input_json(in),
		"kinds", choice_options(c, case_kinds, in->kind), "categories",
		choice_options(c, case_categories, in->category), "sectors",
		choice_options(c, case_sectors, in->sector), "methods",
		choice_options(c, case_contact_methods, in->contact_method),
		"genders", choice_options(c, case_genders, in->gender),
		"countries_work", country_choices(c, in->country_work),
		"countries_origin", country_choices(c, in->country_origin),
		"languages_pref", language_options(c, in->language),
		"max_files", EVIDENCE_MAX_FILES, "max_mb",
		(int)(EVIDENCE_MAX_BYTES >> 20));
	if (chk && chk->n) {
		json_object_set_new(d, "errors", json_true());
		json_object_set_new(d, "e", check_json(c, chk));
	}
	if (file_errors && json_array_size(file_errors))
		json_object_set_new(d, "file_errors", file_errors);
	else
		json_decref(file_errors);
	if (notice)
		json_object_set_new(d, "notice", json_string(ctx_t(c, notice)));
	return page_render(req, resp, status, "help", d);
}

int
help_form(struct http_request *req, struct http_response *resp)
{
	return help_form_page(req, resp, 200, NULL, NULL, NULL, NULL);
}

/* The emergency numbers of a country, for the danger page and the
 * receipt of a case sent in danger. */
static json_t *
hotlines_for(struct ctx *c, const char *country)
{
	if (country_find(country) == NULL)
		return json_array();
	json_t *a = hotline_list(c->db, country);
	return a ? a : json_array();
}

int
help_danger(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const char *country = http_query(req, "country");
	if (country == NULL)
		country = country_of_lang(c->lang);
	if (!str_empty(country) && country_find(country) == NULL)
		country = "";
	const struct country *ct = country_find(country);
	json_t *d = json_pack("{so so ss ss}", "hotlines",
			      hotlines_for(c, country), "countries",
			      country_choices(c, country), "country", country,
			      "country_name", ct ? ctx_t(c, ct->name) : "");
	return page_render(req, resp, 200, "help_danger", d);
}

/* The files of one form: each accepted one checked and cleaned, with the
 * request file it came from; each refused one described. */
struct checked_files {
	struct evidence ev[EVIDENCE_MAX_FILES];
	size_t from[EVIDENCE_MAX_FILES]; /* index into req->files */
	size_t n;
	json_t *bad; /* [{name, message}] */
};

static void
check_files(struct http_request *req, struct checked_files *cf)
{
	struct ctx *c = ctx_of(req);
	cf->bad = json_array();
	cf->n = 0;
	for (size_t i = 0; i < req->nfiles; i++) {
		const struct http_file *f = &req->files[i];
		if (!str_eq(f->field, "evidence"))
			continue;
		const char *msgid = NULL;
		if (cf->n >= EVIDENCE_MAX_FILES) {
			msgid = N_("Too many files: at most 5 can be sent at "
				   "once. Add the others later with \"Check "
				   "my case\".");
		} else if (evidence_accept(f->data, f->len, &cf->ev[cf->n],
					   &msgid) == ERR_OK) {
			cf->from[cf->n++] = i;
			continue;
		}
		json_array_append_new(cf->bad,
				      json_pack("{ss ss}", "name", f->filename,
						"message", ctx_t(c, msgid)));
	}
}

static void
release_files(struct checked_files *cf)
{
	for (size_t i = 0; i < cf->n; i++)
		evidence_release(&cf->ev[i]);
	cf->n = 0;
}

/* Stores the accepted files on the case, each in its own transaction;
 * one that cannot be stored joins the refused ones. */
static void
attach_files(struct http_request *req, const struct actor *who, int64_t id,
	     struct checked_files *cf)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	for (size_t j = 0; j < cf->n; j++) {
		const struct http_file *f = &req->files[cf->from[j]];
		const struct evidence *e = &cf->ev[j];
		if (case_attach(c->db, &k, who, id, f->filename, e->mime,
				e->data, e->len, e->stripped, false))
			json_array_append_new(
				cf->bad,
				json_pack("{ss ss}", "name", f->filename,
					  "message",
					  ctx_t(c, N_("This file could not be "
						      "saved. Please try again "
						      "later with \"Check my "
						      "case\"."))));
	}
}

int
help_submit(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	struct case_input in = case_input_from_form(req, "web");
	if (c->csrf_stale)
		return help_form_page(
			req, resp, 400, &in, NULL, NULL,
			N_("This page was open for a long time. Nothing was "
			   "lost: check your answers and press Send again. "
			   "Files must be chosen again."));
	if (req->truncated)
		return help_form_page(
			req, resp, 413, &in, NULL, NULL,
			N_("Your files were too big to send together (26 MB at "
			   "most). Nothing was lost: your text is below. "
			   "Choose "
			   "fewer or smaller photos and press Send again."));
	/* A field people cannot see: only robots fill it in. */
	if (!str_empty(http_form(req, "website")))
		return help_form_page(
			req, resp, 400, &in, NULL, NULL,
			N_("Please leave the field \"Leave this empty\" "
			   "empty and send again."));
	struct case_keys k = case_keys_of(c->app);
	struct check chk = {0};
	if (!case_validate(&in, &chk))
		return help_form_page(req, resp, 400, &in, &chk, NULL,
				      req->nfiles ? N_("Files must be chosen "
						       "again.")
						  : NULL);
	if (!case_intake_allowed(c->db, &k, c->actor.address,
				 (int)c->app->cfg->intake_per_hour,
				 (int64_t)time(NULL)))
		return help_form_page(
			req, resp, 429, &in, NULL, NULL,
			N_("Many cases were sent from this connection in the "
			   "last hour, so this one was not sent. Your text is "
			   "still here: please try again later, or call one "
			   "of the numbers on the home page."));

	struct checked_files cf;
	check_files(req, &cf);

	/* No address: a worker's IP is personal data the audit log does
	 * not need (the throttles keep only keyed hashes of it). */
	struct actor worker = {.label = "worker (web form)", .address = ""};
	int64_t id = 0;
	char ref[CASE_REFERENCE_LEN + 1], pin[CASE_PIN_LEN + 1];
	enum err rc = case_create(c->db, &k, &worker, &in, &chk, &id, ref, pin);
	if (rc == ERR_INVALID) {
		release_files(&cf);
		json_decref(cf.bad);
		return help_form_page(req, resp, 400, &in, &chk, NULL, NULL);
	}
	if (rc) {
		release_files(&cf);
		json_decref(cf.bad);
		log_error("[req=%s] a case could not be saved: %s", req->id,
			  err_str(rc));
		return help_form_page(
			req, resp, 503, &in, NULL, NULL,
			N_("Your case could not be saved just now. Nothing was "
			   "sent: please press Send again in a minute."));
	}
	attach_files(req, &worker, id, &cf);
	release_files(&cf);

	char ref_text[16];
	case_reference_format(ref, ref_text);
	char pin_text[CASE_PIN_LEN + 2];
	snprintf(pin_text, sizeof pin_text, "%.4s %.4s", pin, pin + 4);
	crypto_wipe(pin, sizeof pin);
	json_t *d =
		json_pack("{ss ss sb so}", "reference", ref_text, "pin",
			  pin_text, "danger", in.danger, "file_errors", cf.bad);
	crypto_wipe(pin_text, sizeof pin_text);
	if (in.danger) {
		const char *country = !str_empty(in.country_work)
					      ? in.country_work
					      : in.country_origin;
		json_object_set_new(d, "hotlines", hotlines_for(c, country));
	}
	const char *base = c->app->cfg->public_url;
	if (!str_empty(base)) {
		char *svg = qr_svg(
			arena_printf(req->arena, "%s/track?ref=%s", base, ref),
			ctx_t(c, N_("Link to check your case")));
		if (svg) {
			json_object_set_new(d, "qr", json_string(svg));
			free(svg);
		}
	}
	/* The PIN is on this page only: never cached, never stored. */
	resp->no_store = true;
	return page_render(req, resp, 201, "help_received", d);
}

/* ---- check my case ------------------------------------------------------ */

/* The case this browser opened with its PIN, or 0. */
static int64_t
case_access(struct http_request *req)
{
	struct ctx *c = ctx_of(req);
	const char *v = http_cookie_site(req, COOKIE_CASE);
	if (v == NULL)
		return 0;
	char *plain = crypto_open_text(&c->app->field_key, v);
	if (plain == NULL)
		return 0;
	long long id = 0, until = 0;
	int n = sscanf(plain, "case:%lld:%lld", &id, &until);
	free(plain);
	if (n != 2 || until < (long long)time(NULL) || id <= 0)
		return 0;
	return (int64_t)id;
}

static void
grant_access(struct http_request *req, struct http_response *resp, int64_t id)
{
	struct ctx *c = ctx_of(req);
	char plain[64];
	snprintf(plain, sizeof plain, "case:%lld:%lld", (long long)id,
		 (long long)time(NULL) + CASE_ACCESS_SECONDS);
	char *sealed = crypto_seal_text(&c->app->field_key, plain);
	struct http_cookie_opts o = {COOKIE_CASE, sealed, CASE_ACCESS_SECONDS,
				     true, "Strict"};
	http_set_cookie(resp, &o);
	free(sealed);
}

static int track_case_page(struct http_request *req, struct http_response *resp,
			   int status, int64_t id, const struct check *chk,
			   const char *body, json_t *file_errors);

/* `body`: a message typed before the half hour ran out, carried through
 * the sign-in so that it is not lost. */
static int
track_form_page(struct http_request *req, struct http_response *resp,
		int status, const char *ref, const char *error)
{
	struct ctx *c = ctx_of(req);
	ctx_need_csrf(req, resp);
	const char *body = http_form(req, "body");
	json_t *d = json_pack("{ss ss}", "ref", ref ? ref : "", "body",
			      body ? body : "");
	if (error)
		json_object_set_new(d, "error", json_string(ctx_t(c, error)));
	return page_render(req, resp, status, "track", d);
}

int
track_form(struct http_request *req, struct http_response *resp)
{
	const char *ref = http_query(req, "ref");
	if (ref && strlen(ref) > 20)
		ref = NULL;
	return track_form_page(req, resp, 200, ref, NULL);
}

int
track_open(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	const char *ref = form_or(req, "reference", "");
	if (strlen(ref) > 20)
		ref = "";
	if (c->csrf_stale)
		return track_form_page(req, resp, 400, ref,
				       N_("This page was open for a long time. "
					  "Please type your PIN again."));
	struct case_keys k = case_keys_of(c->app);
	int64_t id = 0;
	enum err rc =
		case_pin_check(c->db, &k, ref, form_or(req, "pin", ""),
			       c->actor.address, (int64_t)time(NULL), &id);
	switch (rc) {
	case ERR_OK: break;
	case ERR_INVALID:
		return track_form_page(
			req, resp, 400, ref,
			N_("This reference number is not right. "
			   "It has 10 digits, like 482-155-3071: "
			   "please check them."));
	case ERR_DENIED:
		return track_form_page(req, resp, 403, ref,
				       N_("The reference number or the PIN is "
					  "wrong. Please check both."));
	case ERR_THROTTLED:
		return track_form_page(req, resp, 429, ref,
				       N_("Too many wrong tries. For your "
					  "safety, please wait 15 minutes and "
					  "try again."));
	default:
		log_error("[req=%s] a PIN could not be checked: %s", req->id,
			  err_str(rc));
		return track_form_page(req, resp, 503, ref,
				       N_("Your case could not be opened just "
					  "now. Please try again in a "
					  "minute."));
	}
	grant_access(req, resp, id);
	const char *body = http_form(req, "body");
	if (!str_empty(body))
		return track_case_page(req, resp, 200, id, NULL, body, NULL);
	return http_redirect(resp, "/track/case");
}

static int
track_case_page(struct http_request *req, struct http_response *resp,
		int status, int64_t id, const struct check *chk,
		const char *body, json_t *file_errors)
{
	struct ctx *c = ctx_of(req);
	struct case_keys k = case_keys_of(c->app);
	json_t *kase = case_get(c->db, &k, id, true, (int64_t)time(NULL));
	if (kase == NULL) {
		json_decref(file_errors);
		return 404;
	}
	case_decorate(req, kase);
	json_t *events = case_timeline(c->db, id, true);
	timeline_decorate(req, events, true);
	json_t *messages = case_messages(c->db, &k, id, true);
	times_decorate(req, messages);
	json_t *files = case_attachments(c->db, &k, id, true);
	times_decorate(req, files);
	ctx_need_csrf(req, resp);
	json_t *d =
		json_pack("{so so so so ss si si}", "case", kase, "events",
			  events, "messages", messages, "files", files, "body",
			  body ? body : "", "max_files", EVIDENCE_MAX_FILES,
			  "max_mb", (int)(EVIDENCE_MAX_BYTES >> 20));
	if (chk && chk->n)
		json_object_set_new(d, "e", check_json(c, chk));
	if (file_errors && json_array_size(file_errors))
		json_object_set_new(d, "file_errors", file_errors);
	else
		json_decref(file_errors);
	resp->no_store = true;
	return page_render(req, resp, status, "track_case", d);
}

int
track_case(struct http_request *req, struct http_response *resp)
{
	int64_t id = case_access(req);
	if (id == 0)
		return http_redirect(resp, "/track");
	return track_case_page(req, resp, 200, id, NULL, NULL, NULL);
}

int
track_reply(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = case_access(req);
	const char *body = form_or(req, "body", "");
	if (id == 0) {
		/* The half hour is over: the PIN is needed again, and the
		 * text rides along through the sign-in form. */
		return track_form_page(
			req, resp, 403, "",
			N_("For your safety, your case page "
			   "closes after 30 minutes. Please type "
			   "your reference and PIN again: your "
			   "message is kept."));
	}
	if (c->csrf_stale) {
		struct check chk = {0};
		check_fail(&chk, "body",
			   N_("This page was open for a long time. Nothing "
			      "was lost: press Send again."));
		return track_case_page(req, resp, 400, id, &chk, body, NULL);
	}
	if (req->truncated) {
		struct check chk = {0};
		check_fail(&chk, "body",
			   N_("Your files were too big to send together (26 MB "
			      "at most). Your message is still here: choose "
			      "fewer or smaller photos and press Send again."));
		return track_case_page(req, resp, 413, id, &chk, body, NULL);
	}
	struct case_keys k = case_keys_of(c->app);
	struct actor worker = {.label = "worker (check my case)",
			       .address = ""};
	struct checked_files cf;
	check_files(req, &cf);
	struct check chk = {0};
	bool has_text = !str_empty(str_trim(arena_strdup(req->arena, body)));
	if (!has_text && cf.n == 0 && json_array_size(cf.bad) == 0) {
		check_fail(&chk, "body",
			   N_("Write a message or choose a file to send."));
		json_decref(cf.bad);
		return track_case_page(req, resp, 400, id, &chk, body, NULL);
	}
	if (has_text) {
		enum err rc =
			case_add_message(c->db, &k, &worker, id, body, &chk);
		if (rc) {
			release_files(&cf);
			json_decref(cf.bad);
			if (rc != ERR_INVALID) {
				/* Not saved: say so, and keep the text. */
				log_error("[req=%s] a reply was not saved: %s",
					  req->id, err_str(rc));
				check_fail(&chk, "body",
					   N_("Your message could not be sent "
					      "just now. It is still here: "
					      "press Send again in a "
					      "minute."));
			}
			return track_case_page(req, resp,
					       rc == ERR_INVALID ? 400 : 503,
					       id, &chk, body, NULL);
		}
	}
	attach_files(req, &worker, id, &cf);
	release_files(&cf);
	if (json_array_size(cf.bad))
		return track_case_page(req, resp, 400, id, NULL, "", cf.bad);
	json_decref(cf.bad);
	return redirect_flash(req, resp, "/track/case", N_("Sent. Thank you."));
}

int
track_file(struct http_request *req, struct http_response *resp)
{
	struct ctx *c = ctx_of(req);
	int64_t id = case_access(req);
	if (id == 0)
		return http_redirect(resp, "/track");
	struct case_keys k = case_keys_of(c->app);
	void *data = NULL;
	size_t len = 0;
	char *mime = NULL, *name = NULL;
	enum err rc = case_attachment_data(c->db, &k, id, param_id(req, 0),
					   true, &data, &len, &mime, &name);
	if (rc)
		return rc == ERR_NOTFOUND ? 404 : 500;
	/* The response keeps the type's pointer until it is sent. */
	http_response_text(resp, arena_strdup(req->arena, mime), data, len);
	const char *ext = str_eq(mime, "application/pdf") ? "pdf"
			  : str_eq(mime, "image/png")     ? "png"
							  : "jpg";
	http_response_header(
		resp, "Content-Disposition",
		arena_printf(req->arena, "attachment; filename=\"evidence.%s\"",
			     ext));
	resp->no_store = true;
	free(data);
	free(mime);
	free(name);
	return 200;
}

int
track_leave(struct http_request *req, struct http_response *resp)
{
	(void)req;
	struct http_cookie_opts o = {COOKIE_CASE, "", 0, true, "Strict"};
	http_set_cookie(resp, &o);
	return redirect_flash(
		req, resp, "/track",
		N_("You have left your case on this phone. To see it again, "
		   "type your reference number and PIN."));
}
