/*
 * libFuzzer harness for the Mustache compiler and renderer
 * (src/base/mustache.c): the input is a template, compiled with a
 * translation callback and rendered against a small fixed context, with
 * itself available as a partial (so recursion is exercised too).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *
translate(void *ud, const char *msgid)
{
	(void)ud;
	return msgid[0] == 'x' ? "{{name}} {{#list}}{{.}}{{/list}}" : NULL;
}

static const struct mustache *
partial(void *ud, const char *name)
{
	(void)name;
	return ud;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mustache *t = NULL;
	struct buf err, out;
	buf_init(&err, 4096);
	buf_init(&out, 1 << 20);
	if (mustache_compile((const char *)data, size, translate, NULL, &t,
			     &err) == ERR_OK) {
		json_t *ctx = json_pack("{ss s[iii] s{s{ss}} sb sn}", "name",
					"<b>&\"'", "list", 1, 2, 3, "a", "b",
					"c", "deep", "flag", 1, "none");
		mustache_render(t, ctx, partial, t, &out);
		json_decref(ctx);
		mustache_free(t);
	}
	buf_release(&err);
	buf_release(&out);
	return 0;
}
