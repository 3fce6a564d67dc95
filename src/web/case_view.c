/* Showing a case in words: labels, the timeline, choices. */
#include "web/case_view.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "base/str.h"
#include "http/request.h"
#include "model/check.h"

struct case_keys
case_keys_of(const struct app *app)
{
	struct case_keys k = {&app->field_key, &app->index_key};
	return k;
}

json_t *
choice_options(struct ctx *c, const struct case_choice *list,
	       const char *selected)
{
	json_t *a = json_array();
	for (; list->name != NULL; list++)
		json_array_append_new(
			a,
			json_pack("{ss ss ss sb}", "value", list->name, "label",
				  ctx_t(c, list->label), "icon", list->icon,
				  "selected", str_eq(selected, list->name)));
	return a;
}

static const char *
sget(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void
set_label(struct ctx *c, json_t *k, const char *key, const char *out,
	  const struct case_choice *list)
{
	const struct case_choice *ch = case_choice_find(list, sget(k, key));
	json_object_set_new(k, out, json_string(ch ? ctx_t(c, ch->label) : ""));
}

static void
set_country(struct ctx *c, json_t *k, const char *key, const char *out)
{
	const struct country *ct = country_find(sget(k, key));
	json_object_set_new(k, out, json_string(ct ? ctx_t(c, ct->name) : ""));
}

const char *
money_text(struct http_request *req, int64_t minor, const char *currency)
{
	return arena_printf(req->arena, "%" PRId64 ".%02d %s", minor / 100,
			    (int)(minor % 100), currency);
}

void
case_decorate(struct http_request *req, json_t *k)
{
	struct ctx *c = ctx_of(req);
	set_label(c, k, "kind", "kind_text", case_kinds);
	set_label(c, k, "category", "category_text", case_categories);
	const struct case_choice *cat =
		case_choice_find(case_categories, sget(k, "category"));
	json_object_set_new(k, "category_icon",
			    json_string(cat ? cat->icon : ""));
	set_label(c, k, "sector", "sector_text", case_sectors);
	set_label(c, k, "channel", "channel_text", case_channels);
	set_label(c, k, "contact_method", "contact_method_text",
		  case_contact_methods);
	set_label(c, k, "gender", "gender_text", case_genders);
	set_label(c, k, "remedy_kind", "remedy_kind_text", case_remedies);
	enum case_status s = case_status_parse(sget(k, "status"));
	json_object_set_new(k, "status_text",
			    json_string(ctx_t(c, case_status_label(s))));
	json_object_set_new(k, "status_plain",
			    json_string(ctx_t(c, case_status_plain(s))));
	int p = (int)json_integer_value(json_object_get(k, "priority"));
	if (p >= 0 && p <= 3)
		json_object_set_new(
			k, "priority_text",
			json_string(ctx_t(c, case_priorities[p].label)));
	json_object_set_new(k, "priority_high", json_boolean(p >= 2));
	set_country(c, k, "country_work", "country_work_name");
	set_country(c, k, "country_origin", "country_origin_name");
	json_object_set_new(
		k, "created_text",
		json_string(format_time(req, json_integer_value(json_object_get(
						     k, "created_at")))));
	json_t *d = json_object_get(k, "deadline_at");
	if (d)
		json_object_set_new(
			k, "deadline_text",
			json_string(format_time(req, json_integer_value(d))));
	json_t *m = json_object_get(k, "remedy_amount");
	if (m)
		json_object_set_new(
			k, "remedy_amount_text",
			json_string(money_text(req, json_integer_value(m),
					       sget(k, "remedy_currency"))));
}

struct event_text {
	const char *kind;
	const char *staff;
	const char *worker; /* NULL: as for staff */
};

/* clang-format off */
static const struct event_text event_texts[] = {
	{"created", N_("Case received"), N_("We received your case.")},
	{"status", N_("Status changed"), N_("The status of your case changed.")},
	{"reopened", N_("Case reopened"), N_("Your case was opened again.")},
	{"rejected", N_("Rejected"), NULL},
	{"assigned", N_("Assignment changed"), NULL},
	{"priority", N_("Priority changed"), NULL},
	{"triaged", N_("Details updated"), NULL},
	{"message_in", N_("Message from the worker"), N_("You sent a message.")},
	{"message_out", N_("Message to the worker"), N_("A helper wrote to you.")},
	{"note", N_("Internal note added"), NULL},
	{"attachment", N_("Evidence added"), N_("A file was added.")},
	{"remedy", N_("Outcome recorded"), N_("The outcome of your case was recorded.")},
	{"contact", N_("Face-to-face contact recorded"), NULL},
	{"merged", N_("Merged into another case"), N_("Your case was joined with another case about the same problem.")},
	{"merged_from", N_("Another case was merged into this one"), NULL},
	{"escalated", N_("Overdue: escalated to the affiliate admin"), NULL},
	{NULL, NULL, NULL},
};
/* clang-format on */

void
times_decorate(struct http_request *req, json_t *items)
{
	size_t i;
	json_t *e;
	json_array_foreach (items, i, e)
		json_object_set_new(
			e, "at_text",
			json_string(format_time(
				req,
				json_integer_value(json_object_get(e, "at")))));
}

void
timeline_decorate(struct http_request *req, json_t *events, bool for_worker)
{
	struct ctx *c = ctx_of(req);
	size_t i;
	json_t *e;
	times_decorate(req, events);
	json_array_foreach (events, i, e) {
		const char *kind = sget(e, "kind");
		const char *text = kind;
		for (const struct event_text *t = event_texts; t->kind; t++)
			if (str_eq(t->kind, kind)) {
				text = for_worker && t->worker ? t->worker
							       : t->staff;
				break;
			}
		json_object_set_new(e, "text", json_string(ctx_t(c, text)));
		json_t *d = json_object_get(e, "detail");
		const char *to = sget(d, "to");
		if (str_eq(kind, "status") || str_eq(kind, "reopened")) {
			enum case_status s = case_status_parse(to);
			json_object_set_new(
				e, "more",
				json_string(ctx_t(c, case_status_label(s))));
		} else if (!for_worker && str_eq(kind, "created")) {
			const struct case_choice *ch = case_choice_find(
				case_channels, sget(d, "channel"));
			json_object_set_new(
				e, "more",
				json_string(ch ? ctx_t(c, ch->label) : ""));
		} else if (!for_worker && (str_eq(kind, "merged") ||
					   str_eq(kind, "merged_from"))) {
			json_object_set_new(e, "more",
					    json_string(sget(d, "reference")));
		} else if (!for_worker && str_eq(kind, "rejected")) {
			json_object_set_new(e, "more",
					    json_string(sget(d, "reason")));
		}
		/* The worker's page gets the words, not the codes behind. */
		if (for_worker)
			json_object_del(e, "detail");
	}
}

const char *
form_or(struct http_request *req, const char *name, const char *dflt)
{
	const char *v = http_form(req, name);
	return v ? v : dflt;
}

struct case_input
case_input_from_form(struct http_request *req, const char *channel)
{
	struct ctx *c = ctx_of(req);
	struct case_input in = {
		.kind = form_or(req, "kind", ""),
		.category = form_or(req, "category", ""),
		.description = form_or(req, "description", ""),
		.country_work = form_or(req, "country_work", ""),
		.country_origin = form_or(req, "country_origin", ""),
		.sector = form_or(req, "sector", ""),
		.employer = form_or(req, "employer", ""),
		.agency = form_or(req, "agency", ""),
		.started_on = form_or(req, "started_on", ""),
		.language = form_or(req, "language", c->lang),
		.gender = form_or(req, "gender", ""),
		.name = form_or(req, "name", ""),
		.contact_method = form_or(req, "contact_method", "none"),
		.contact = form_or(req, "contact", ""),
		.consent_contact =
			str_eq(http_form(req, "consent_contact"), "1"),
		.consent_share = str_eq(http_form(req, "consent_share"), "1"),
		.danger = str_eq(http_form(req, "danger"), "1"),
		.channel = channel ? channel : form_or(req, "channel", ""),
		.is_demo = c->app->demo,
	};
	if (i18n_lang_find(in.language) == NULL)
		in.language = c->lang;
	return in;
}
