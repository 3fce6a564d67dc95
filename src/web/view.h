/*
 * view.h — templates compiled once per language at start-up.
 *
 * Every templates/NAME.mustache is compiled for every shipped language,
 * with its {{#_}}…{{/_}} sections replaced by that language's catalog, so
 * rendering a page does no translation work.  The set is read-only after
 * views_new(), so all threads share it.
 */
#ifndef ATIS_WEB_VIEW_H
#define ATIS_WEB_VIEW_H

#include <jansson.h>

#include "base/buf.h"
#include "base/err.h"

struct views;

enum err views_new(struct views **OUT, struct buf *msg);
void views_free(struct views *v);
/* Renders NAME in `lang` (falls back to English) into `out`. */
enum err views_render(const struct views *v, const char *lang, const char *name,
		      json_t *data, struct buf *out);

#endif
