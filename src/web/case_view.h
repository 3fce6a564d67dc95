/*
 * case_view.h — what the worker's pages (help.c) and the staff's pages
 * (cases.c) both need to show a case: translated labels for its codes,
 * the timeline in words, choices for the forms.
 */
#ifndef ATIS_WEB_CASE_VIEW_H
#define ATIS_WEB_CASE_VIEW_H

#include <jansson.h>

#include "model/case.h"
#include "web/app.h"

struct case_keys case_keys_of(const struct app *app);

/* Choices as {value, label (translated), icon, selected}. */
json_t *choice_options(struct ctx *c, const struct case_choice *list,
		       const char *selected);

/* Adds to a case (from case_get or case_list) the translated texts of its
 * codes: kind_text, category_text, category_icon, status_text,
 * status_plain, sector_text, channel_text, priority_text,
 * country_work_name, country_origin_name, created_text, deadline_text,
 * remedy_kind_text, remedy_amount_text. */
void case_decorate(struct http_request *req, json_t *k);

/* Adds `text` (translated, in words) and `at_text` to each event. */
void timeline_decorate(struct http_request *req, json_t *events,
		       bool for_worker);
/* Adds at_text to each item of a list with an "at" member. */
void times_decorate(struct http_request *req, json_t *items);

/* "1,500.50 THB" from minor units and a currency; in the arena. */
const char *money_text(struct http_request *req, int64_t minor,
		       const char *currency);

/* A form field, or `dflt` when it was not sent. */
const char *form_or(struct http_request *req, const char *name,
		    const char *dflt);
/* The intake fields of a form (the worker's or staff's); `channel` NULL:
 * from the form's "channel" field. */
struct case_input case_input_from_form(struct http_request *req,
				       const char *channel);

#endif
