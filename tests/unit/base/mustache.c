/*
 * Tests for src/base/mustache.c: every test of the official Mustache spec
 * (read from $MUSTACHE_SPEC_DIR, by default ../shared/data/mustache-spec
 * from the repository root), then escaping, the {{#_}} translation
 * extension, syntax errors, output limits and recursion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/mustache.h"

#define S(lit) lit, sizeof(lit) - 1

/* ---- the spec --------------------------------------------------------- */

struct partial {
	const char *name;
	struct mustache *t;
};

struct partials {
	struct partial *v;
	size_t n;
};

static const struct mustache *
find_partial(void *ud, const char *name)
{
	const struct partials *p = ud;
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].t;
	return NULL;
}

/* Runs one spec test; prints why it failed and returns false. */
static bool
spec_one(const char *file, json_t *test)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	const char *tpl = json_string_value(json_object_get(test, "template"));
	const char *want = json_string_value(json_object_get(test, "expected"));
	json_t *data = json_object_get(test, "data");
	json_t *pj = json_object_get(test, "partials");
	struct partials parts = {NULL, 0};
	struct mustache *t = NULL;
	struct buf err, out;
	bool ok = false;

	buf_init(&err, 0);
	buf_init(&out, 0);
	parts.v = xcalloc(json_object_size(pj) + 1, sizeof(*parts.v));
	const char *pname;
	json_t *psrc;
	json_object_foreach (pj, pname, psrc) {
		struct partial *p = &parts.v[parts.n++];
		p->name = pname;
		const char *src = json_string_value(psrc);
		if (mustache_compile(src, strlen(src), NULL, NULL, &p->t,
				     &err)) {
			print_error("FAIL %s: %s: partial %s: %s\n", file, name,
				    pname, buf_cstr(&err));
			goto out;
		}
	}
	if (mustache_compile(tpl, strlen(tpl), NULL, NULL, &t, &err)) {
		print_error("FAIL %s: %s: %s\n", file, name, buf_cstr(&err));
		goto out;
	}
	enum err rc = mustache_render(t, data, find_partial, &parts, &out);
	ok = rc == ERR_OK && out.len == strlen(want) &&
	     memcmp(buf_cstr(&out), want, out.len) == 0;
	if (!ok)
		print_error("FAIL %s: %s\n"
			    "  template: \"%s\"\n"
			    "  expected: \"%s\"\n"
			    "  got:      \"%s\" (%s)\n",
			    file, name, tpl, want, buf_cstr(&out), err_str(rc));
out:
	for (size_t i = 0; i < parts.n; i++)
		mustache_free(parts.v[i].t);
	free(parts.v);
	mustache_free(t);
	buf_release(&err);
	buf_release(&out);
	return ok;
}

static void
spec_file(const char *file)
{
	const char *dir = getenv("MUSTACHE_SPEC_DIR");
	char path[4096];
	json_error_t jerr;
	size_t i, failed = 0;
	json_t *test;

	if (dir == NULL || *dir == '\0')
		dir = "../shared/data/mustache-spec";
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	json_t *spec = json_load_file(path, 0, &jerr);
	if (spec == NULL)
		fail_msg("cannot read %s: %s", path, jerr.text);
	json_t *tests = json_object_get(spec, "tests");
	json_array_foreach (tests, i, test)
		failed += !spec_one(file, test);
	size_t n = json_array_size(tests);
	print_message("mustache spec %s: %zu/%zu passed\n", file, n - failed,
		      n);
	json_decref(spec);
	assert_true(n > 0);
	assert_int_equal(failed, 0);
}

static void
test_spec(void **state)
{
	spec_file(*state);
}

#define SPEC_TEST(file)                                                        \
	{                                                                      \
		.name = "spec " file, .test_func = test_spec,                  \
		.initial_state = (void *)(file)                                \
	}

/* ---- the rest ---------------------------------------------------------- */

/* Compiles `tpl` (which must be valid) and renders it with `json`. */
static char *
render(const char *tpl, const char *json, mustache_translate_fn tr, void *ud)
{
	struct mustache *t = NULL;
	struct buf out;
	json_t *data = json_loads(json, JSON_DECODE_ANY, NULL);
	assert_non_null(data);
	assert_int_equal(mustache_compile(tpl, strlen(tpl), tr, ud, &t, NULL),
			 ERR_OK);
	buf_init(&out, 0);
	assert_int_equal(mustache_render(t, data, NULL, NULL, &out), ERR_OK);
	mustache_free(t);
	json_decref(data);
	return buf_detach(&out, NULL);
}

static void
check(const char *tpl, const char *json, const char *want)
{
	char *got = render(tpl, json, NULL, NULL);
	assert_string_equal(got, want);
	free(got);
}

static void
test_escape(void **state)
{
	(void)state;
	check("{{x}}|{{{x}}}|{{&x}}", "{\"x\": \"& < > \\\" '\"}",
	      "&amp; &lt; &gt; &quot; &#39;|& < > \" '|& < > \" '");
	check("<a title=\"{{t}}\">{{b}}</a>",
	      "{\"t\": \"\\\"><script>\", \"b\": \"a&amp;b\"}",
	      "<a title=\"&quot;&gt;&lt;script&gt;\">a&amp;amp;b</a>");
}

static void
test_values(void **state)
{
	(void)state;
	check("{{i}} {{r}} {{t}} {{f}} {{n}}[{{o}}{{l}}]",
	      "{\"i\": -42, \"r\": 0.1, \"t\": true, \"f\": false, "
	      "\"n\": null, \"o\": {}, \"l\": [1]}",
	      "-42 0.1 true false []");
	/* Falsy as in JavaScript. */
	check("{{#s}}s{{/s}}{{#z}}z{{/z}}{{#e}}e{{/e}}{{^s}}!s{{/s}}"
	      "{{^z}}!z{{/z}}{{#o}}o{{/o}}",
	      "{\"s\": \"\", \"z\": 0, \"e\": [], \"o\": {}}", "!s!zo");
	/* A list element by number, as the templates use for "not empty". */
	check("{{#l.0}}first={{.}}{{/l.0}}{{^e.0}}none{{/e.0}}{{l.1}}{{l.9}}"
	      "{{l.x}}{{l.-1}}",
	      "{\"l\": [\"a\", \"b\"], \"e\": []}", "first=anoneb");
	/* No data at all. */
	check("[{{x}}{{.}}]", "null", "[]");
}

static void
test_msgid(void **state)
{
	(void)state;
	char *m = mustache_msgid(S("\n  Hello,\n\t  {{name}}!  \r\n"));
	assert_string_equal(m, "Hello, {{name}}!");
	free(m);
	m = mustache_msgid(S(" \n "));
	assert_string_equal(m, "");
	free(m);
	m = mustache_msgid(S("one"));
	assert_string_equal(m, "one");
	free(m);
}

struct catalog {
	char seen[8][64]; /* msgids the callback was asked for */
	int n;
};

static const char *
translate_fr(void *ud, const char *msgid)
{
	struct catalog *c = ud;
	if (c->n < 8)
		snprintf(c->seen[c->n++], sizeof(c->seen[0]), "%s", msgid);
	if (strcmp(msgid, "Hello, {{name}}!") == 0)
		return "Bonjour, {{name}} !";
	if (strcmp(msgid, "{{#n}}{{n}} new{{/n}}{{^n}}none{{/n}}") == 0)
		return "{{#n}}{{n}} nouveaux{{/n}}{{^n}}aucun{{/n}}";
	if (strcmp(msgid, "Oops") == 0)
		return "{{#x}}";
	return NULL;
}

static void
test_translate(void **state)
{
	(void)state;
	static const char tpl[] = "<p>\n"
				  "  {{#_}}\n"
				  "    Hello,\n"
				  "    {{name}}!\n"
				  "  {{/_}}\n"
				  "</p>\n"
				  "{{#_}}Goodbye{{/_}}.";
	static const char json[] = "{\"name\": \"<Zo\u00e9>\"}";
	struct catalog c = {0};
	char *got = render(tpl, json, translate_fr, &c);
	assert_string_equal(got, "<p>\n  Bonjour, &lt;Zo\xc3\xa9&gt; !\n</p>\n"
				 "Goodbye.");
	free(got);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.seen[0], "Hello, {{name}}!");
	assert_string_equal(c.seen[1], "Goodbye");

	/* Without a catalog the msgid itself is the text. */
	got = render(tpl, json, NULL, NULL);
	assert_string_equal(got, "<p>\n  Hello, &lt;Zo\xc3\xa9&gt;!\n</p>\n"
				 "Goodbye.");
	free(got);

	/* A translation with sections in it; other delimiters carry over. */
	c.n = 0;
	got = render("{{#_}}{{#n}}{{n}} new{{/n}}{{^n}}none{{/n}}{{/_}}|"
		     "{{=<% %>=}}<%#_%>Hello, <%name%>!<%/_%>",
		     "{\"n\": 3, \"name\": \"x\"}", translate_fr, &c);
	assert_string_equal(got, "3 nouveaux|Hello, x!");
	free(got);

	/* A broken translation is a compile error. */
	struct mustache *t = (struct mustache *)1;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(mustache_compile(S("a\n{{#_}}Oops{{/_}}"),
					  translate_fr, &c, &t, &err),
			 ERR_INVALID);
	assert_null(t);
	assert_non_null(strstr(buf_cstr(&err), "line 2"));
	buf_reset(&err);
	assert_int_equal(
		mustache_compile(S("{{#_}}no end"), NULL, NULL, &t, &err),
		ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&err), "line 1"));
	buf_release(&err);
}

/* Compiles `tpl`, which must fail with a message holding `want`. */
static void
check_error(const char *tpl, const char *want)
{
	struct mustache *t = NULL;
	struct buf err;
	buf_init(&err, 0);
	assert_int_equal(
		mustache_compile(tpl, strlen(tpl), NULL, NULL, &t, &err),
		ERR_INVALID);
	assert_null(t);
	if (strstr(buf_cstr(&err), want) == NULL)
		fail_msg("error for \"%s\" is \"%s\", wanted \"%s\"", tpl,
			 buf_cstr(&err), want);
	assert_null(strchr(buf_cstr(&err), '\n'));
	buf_release(&err);
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	check_error("a\nb\n{{#items}}\n{{x}}\n",
		    "line 3: {{#items}} is not closed");
	check_error("{{#a}}\n{{#b}}\n{{/a}}\n",
		    "line 3: {{/a}} does not close {{#b}} (line 2)");
	check_error("x\n{{/a}}", "line 2: {{/a}} closes nothing");
	check_error("{{<p}}{{$b}}{{/p}}",
		    "line 1: {{/p}} does not close {{$b}}");
	check_error("\n\n{{x", "line 3: tag is not closed");
	check_error("{{=<% =}}", "line 1: bad set-delimiter tag");
	check_error("{{ }}", "line 1: empty tag");
	/* Lines are counted through multi-line comments. */
	check_error("{{!\n\n}}\n{{^x}}", "line 4: {{^x}} is not closed");

	/* errmsg may be NULL. */
	struct mustache *t = NULL;
	assert_int_equal(mustache_compile(S("{{#a}}"), NULL, NULL, &t, NULL),
			 ERR_INVALID);
	assert_null(t);
}

static void
test_toobig(void **state)
{
	(void)state;
	struct mustache *t = NULL;
	struct buf out;
	json_t *data = json_pack("{s:[i,i,i]}", "list", 1, 2, 3);
	assert_int_equal(mustache_compile(S("{{#list}}0123456789{{/list}}"),
					  NULL, NULL, &t, NULL),
			 ERR_OK);
	buf_init(&out, 25);
	assert_int_equal(mustache_render(t, data, NULL, NULL, &out),
			 ERR_TOOBIG);
	assert_true(out.toobig);
	assert_string_equal(buf_cstr(&out), "01234567890123456789");
	/* Escaped data hits the limit too. */
	buf_release(&out);
	buf_init(&out, 10);
	json_object_set_new(data, "x", json_string("<<<<<<<<"));
	mustache_free(t);
	assert_int_equal(mustache_compile(S("{{x}}"), NULL, NULL, &t, NULL),
			 ERR_OK);
	assert_int_equal(mustache_render(t, data, NULL, NULL, &out),
			 ERR_TOOBIG);
	assert_true(out.len <= 10);
	buf_release(&out);
	mustache_free(t);
	json_decref(data);
}

static const struct mustache *
one_partial(void *ud, const char *name)
{
	(void)name;
	return ud;
}

/* Recursion stops after 64 levels of partials, parents and overrides. */
static void
test_recursion(void **state)
{
	(void)state;
	static const struct {
		const char *src;
		const char *partial; /* NULL: the template itself */
		size_t len;          /* of the output, one "x" a level */
	} cases[] = {
		{"x{{>self}}", NULL, 65},
		{"x{{<self}}{{/self}}", NULL, 65},
		{"x{{$b}}{{<self}}{{/self}}{{/b}}", NULL, 65},
		{"x{{#a}}{{>*a}}{{/a}}", NULL, 65}, /* a dynamic name */
		/* An override that holds its own block: the parent is one
		 * level, the overrides the other 63. */
		{"{{<p}}{{$b}}x{{$b}}{{/b}}{{/b}}{{/p}}", "{{$b}}{{/b}}", 63},
	};
	json_t *data = json_pack("{s:s}", "a", "self");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mustache *t = NULL, *p = NULL;
		struct buf out;
		const char *ps = cases[i].partial;
		assert_int_equal(mustache_compile(cases[i].src,
						  strlen(cases[i].src), NULL,
						  NULL, &t, NULL),
				 ERR_OK);
		if (ps != NULL)
			assert_int_equal(mustache_compile(ps, strlen(ps), NULL,
							  NULL, &p, NULL),
					 ERR_OK);
		buf_init(&out, 0);
		assert_int_equal(
			mustache_render(t, data, one_partial, p ? p : t, &out),
			ERR_TOOBIG);
		assert_int_equal(out.len, cases[i].len);
		buf_release(&out);
		mustache_free(t);
		mustache_free(p);
	}
	json_decref(data);
}

struct shared {
	const struct mustache *t;
	json_t *data;
	const char *want;
	int bad;
};

static void *
render_loop(void *arg)
{
	struct shared *sh = arg;
	struct buf out;
	buf_init(&out, 0);
	for (int i = 0; i < 200; i++) {
		buf_reset(&out);
		if (mustache_render(sh->t, sh->data, NULL, NULL, &out) ||
		    strcmp(buf_cstr(&out), sh->want) != 0)
			__atomic_add_fetch(&sh->bad, 1, __ATOMIC_RELAXED);
	}
	buf_release(&out);
	return NULL;
}

/* One compiled template, many threads rendering it. */
static void
test_threads(void **state)
{
	(void)state;
	static const char tpl[] = "{{#rows}}\n  <li>{{name}}</li>\n{{/rows}}\n";
	struct mustache *t = NULL;
	pthread_t th[4];
	assert_int_equal(mustache_compile(S(tpl), NULL, NULL, &t, NULL),
			 ERR_OK);
	struct shared sh = {
		.t = t,
		.data = json_loads("{\"rows\": [{\"name\": \"a\"}, "
				   "{\"name\": \"<b>\"}]}",
				   0, NULL),
		.want = "  <li>a</li>\n  <li>&lt;b&gt;</li>\n",
	};
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, render_loop, &sh),
				 0);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(sh.bad, 0);
	json_decref(sh.data);
	mustache_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		SPEC_TEST("comments.json"),
		SPEC_TEST("delimiters.json"),
		SPEC_TEST("interpolation.json"),
		SPEC_TEST("inverted.json"),
		SPEC_TEST("partials.json"),
		SPEC_TEST("sections.json"),
		SPEC_TEST("~dynamic-names.json"),
		SPEC_TEST("~inheritance.json"),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_msgid),
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_toobig),
		cmocka_unit_test(test_recursion),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("base/mustache", tests, NULL, NULL);
}
