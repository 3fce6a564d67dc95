/*
 * mustache.c — compile a Mustache template into a tree, render the tree.
 *
 * Compiling runs in three steps over one piece of source.
 *
 * 1. The tokenizer cuts the source into text and tags, following
 *    set-delimiter tags as it goes.  Text is cut after every newline, so no
 *    text token spans two lines; that makes the next step simple.  The
 *    translation section {{#_}}…{{/_}} is handled here: its raw text becomes
 *    a msgid, the translation is compiled on its own (same pipeline, no
 *    nested {{#_}}) and comes back as one GROUP token.
 *
 * 2. The standalone pass walks the tokens line by line.  A line that holds
 *    only whitespace and non-interpolating tags (section, inverted, close,
 *    comment, partial, parent, block, set-delimiter) is "standalone": its
 *    whitespace, newline included, is dropped.  The spec's rule is one tag
 *    per line; parent tags are not counted, since the text around them is
 *    ignored anyway, so "{{<layout}}{{$body}}" or "{{/body}}{{/layout}}"
 *    are standalone too (the inheritance spec asks for that).  The
 *    indentation of a standalone partial, parent or block is kept on its
 *    token: it is prepended to every line the tag renders.
 *
 * 3. The tree builder links tokens into nodes: sections, parents and
 *    blocks own their children, close tags must match.  A block override
 *    (a block directly inside a parent) whose tag was standalone has its
 *    common indentation removed ("dedent"): it gets the indentation of the
 *    place where it lands instead.  A standalone block whose tag had no
 *    indentation of its own takes that of its default content.
 *
 * Everything a template holds lives in one arena, so a compiled template is
 * one allocation to free and is never written again: rendering keeps all
 * its state (output, current indentation, context stack, parent frames) on
 * the stack of the rendering thread.
 *
 * Rendering walks the tree.  Indentation is "lazy": the renderer remembers
 * whether it is at the beginning of a template line and writes the current
 * indentation before the first byte of each line.  Newlines inside data do
 * not start a template line, so data is never indented.  Parents push a
 * frame holding their block overrides; a block takes the outermost
 * override in the frame list, so the top-level template wins.
 */
#include "base/mustache.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/mem.h"

enum {
	MUSTACHE_MAX_NEST = 64,  /* tags open at once in one template */
	MUSTACHE_MAX_DEPTH = 64, /* partials and parents inside each other */
};

enum kind {
	K_TEXT,
	K_VAR,      /* {{name}}, HTML-escaped */
	K_RAW,      /* {{{name}}} or {{&name}} */
	K_SECTION,  /* {{#name}} */
	K_INVERTED, /* {{^name}} */
	K_CLOSE,    /* {{/name}}; a token only, never a node */
	K_COMMENT,  /* {{! … }}; token only */
	K_DELIM,    /* {{=<% %>=}}; token only */
	K_PARTIAL,  /* {{>name}} */
	K_PARENT,   /* {{<name}}: children are its block overrides */
	K_BLOCK,    /* {{$name}}: children are the default content */
	K_GROUP,    /* a compiled translation of {{#_}}…{{/_}} */
};

struct node {
	enum kind kind;
	bool dynamic;    /* {{>*name}}: the partial's name is in the data */
	bool standalone; /* partial, parent, block: its line was dropped */
	bool drop;       /* compile time: whitespace of a standalone line */
	int line;
	const char *s; /* text (not NUL-terminated), or name (NUL-terminated) */
	size_t n;
	/* Partial, parent, block: indentation pushed while rendering it.
	 * A block that is not standalone keeps the whitespace before it on
	 * its line here, for the lines after the first. */
	const char *indent;
	size_t indent_len;
	struct node *kids;
	struct node *next;
};

struct mustache {
	struct arena *arena; /* holds this struct, every node and string */
	struct node *root;
};

/* ---- compiling -------------------------------------------------------- */

struct compiler {
	struct arena *arena;
	mustache_translate_fn translate;
	void *ud;
	struct buf *errmsg; /* may be NULL */
};

struct toks {
	struct node **v;
	size_t n, cap;
};

struct lexer {
	const char *s; /* the source, copied into the arena */
	size_t n, pos;
	int line;
	const char *otag, *ctag;
	size_t olen, clen;
	bool in_trans; /* compiling a translation: no {{#_}} inside */
};

static enum err compile_text(struct compiler *cc, const char *src, size_t n,
			     const struct lexer *outer, int line,
			     struct node **OUT);

static enum err __attribute__((format(printf, 3, 4)))
syntax_error(struct compiler *cc, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	if (cc->errmsg == NULL)
		return ERR_INVALID;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_printf(cc->errmsg, "line %d: %s", line, msg);
	return ERR_INVALID;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static int
count_lines(const char *s, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static struct node *
tok_push(struct compiler *cc, struct toks *tk, enum kind kind, int line)
{
	if (tk->n == tk->cap) {
		tk->cap = tk->cap ? 2 * tk->cap : 64;
		tk->v = xrealloc(tk->v, tk->cap * sizeof(*tk->v));
	}
	struct node *t = arena_zalloc(cc->arena, sizeof(*t));
	t->kind = kind;
	t->line = line;
	tk->v[tk->n++] = t;
	return t;
}

/* Text is cut after each newline: a text token never spans two lines. */
static void
push_text(struct compiler *cc, struct toks *tk, struct lexer *lx, size_t end)
{
	while (lx->pos < end) {
		const char *s = lx->s + lx->pos;
		const char *nl = memchr(s, '\n', end - lx->pos);
		size_t k = nl ? (size_t)(nl - s) + 1 : end - lx->pos;
		struct node *t = tok_push(cc, tk, K_TEXT, lx->line);
		t->s = s;
		t->n = k;
		lx->pos += k;
		lx->line += nl != NULL;
	}
}

/* Finds `c` followed by the close tag, from `from`; returns the position of
 * `c`, or -1. */
static long
find_with_ctag(const struct lexer *lx, size_t from, char c)
{
	size_t i = from;
	while (i < lx->n) {
		const char *p =
			memmem(lx->s + i, lx->n - i, lx->ctag, lx->clen);
		if (p == NULL)
			return -1;
		size_t at = (size_t)(p - lx->s);
		if (c == '\0')
			return (long)at;
		if (at > from && lx->s[at - 1] == c)
			return (long)at - 1;
		i = at + 1;
	}
	return -1;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

/* {{=<% %>=}}: two words, no '=' in either. */
static enum err
set_delimiters(struct lexer *lx, const char *s, size_t n)
{
	trim(&s, &n);
	size_t a = 0;
	while (a < n && !is_space(s[a]))
		a++;
	const char *b = s + a;
	size_t bn = n - a;
	trim(&b, &bn);
	if (a == 0 || bn == 0 || memchr(s, '=', n) != NULL)
		return ERR_INVALID;
	for (size_t i = 0; i < bn; i++)
		if (is_space(b[i]))
			return ERR_INVALID;
	lx->otag = s;
	lx->olen = a;
	lx->ctag = b;
	lx->clen = bn;
	return ERR_OK;
}

/* Is there a {{/_}} tag at `at` (the position of an open delimiter)? */
static bool
is_trans_close(const struct lexer *lx, size_t at, size_t *OUT_end)
{
	size_t i = at + lx->olen;
	if (i >= lx->n || lx->s[i] != '/')
		return false;
	for (i++; i < lx->n && is_space(lx->s[i]); i++)
		;
	if (i >= lx->n || lx->s[i] != '_')
		return false;
	for (i++; i < lx->n && is_space(lx->s[i]); i++)
		;
	if (lx->n - i < lx->clen || memcmp(lx->s + i, lx->ctag, lx->clen))
		return false;
	*OUT_end = i + lx->clen;
	return true;
}

/* {{#_}}raw{{/_}} has just been read; lx->pos is after the open tag. */
static enum err
tokenize_trans(struct compiler *cc, struct toks *tk, struct lexer *lx, int line)
{
	size_t at = lx->pos, end = 0;
	for (;;) {
		const char *p =
			memmem(lx->s + at, lx->n - at, lx->otag, lx->olen);
		if (p == NULL)
			return syntax_error(cc, line, "{{#_}} is not closed");
		at = (size_t)(p - lx->s);
		if (is_trans_close(lx, at, &end))
			break;
		at++;
	}
	const char *raw = lx->s + lx->pos;
	size_t rawn = at - lx->pos;
	char *msgid = mustache_msgid(raw, rawn);
	const char *text = cc->translate ? cc->translate(cc->ud, msgid) : NULL;
	if (text == NULL)
		text = msgid;
	struct node *t = tok_push(cc, tk, K_GROUP, line);
	enum err rc = compile_text(cc, text, strlen(text), lx, line, &t->kids);
	free(msgid);
	lx->line += count_lines(lx->s + lx->pos, end - lx->pos);
	lx->pos = end;
	return rc;
}

static enum err
tokenize(struct compiler *cc, struct toks *tk, struct lexer *lx)
{
	while (lx->pos < lx->n) {
		const char *p = memmem(lx->s + lx->pos, lx->n - lx->pos,
				       lx->otag, lx->olen);
		push_text(cc, tk, lx, p ? (size_t)(p - lx->s) : lx->n);
		if (p == NULL)
			break;
		int line = lx->line;
		size_t q = lx->pos + lx->olen; /* first byte inside the tag */
		char sigil = q < lx->n ? lx->s[q] : '\0';
		enum kind kind;
		size_t from = q + 1;
		char closer = '\0';
		switch (sigil) {
		case '#': kind = K_SECTION; break;
		case '^': kind = K_INVERTED; break;
		case '/': kind = K_CLOSE; break;
		case '!': kind = K_COMMENT; break;
		case '>': kind = K_PARTIAL; break;
		case '<': kind = K_PARENT; break;
		case '$': kind = K_BLOCK; break;
		case '&': kind = K_RAW; break;
		case '{':
			kind = K_RAW;
			closer = '}';
			break;
		case '=':
			kind = K_DELIM;
			closer = '=';
			break;
		default:
			kind = K_VAR;
			from = q;
			break;
		}
		long e = find_with_ctag(lx, from, closer);
		if (e < 0)
			return syntax_error(cc, line, "tag is not closed");
		const char *name = lx->s + from;
		size_t namen = (size_t)e - from;
		size_t end = (size_t)e + (closer ? 1 : 0) + lx->clen;
		lx->line += count_lines(lx->s + lx->pos, end - lx->pos);
		lx->pos = end;
		if (kind == K_COMMENT) {
			tok_push(cc, tk, K_COMMENT, line); /* for step 2 */
			continue;
		}
		if (kind == K_DELIM) {
			if (set_delimiters(lx, name, namen))
				return syntax_error(cc, line,
						    "bad set-delimiter tag");
			tok_push(cc, tk, K_DELIM, line);
			continue;
		}
		trim(&name, &namen);
		bool named = kind == K_PARTIAL || kind == K_PARENT ||
			     kind == K_CLOSE; /* may be {{>*dynamic}} */
		bool dynamic = false;
		if (named && namen && name[0] == '*') {
			dynamic = true;
			name++;
			namen--;
			trim(&name, &namen);
		}
		if (namen == 0)
			return syntax_error(cc, line, "empty tag");
		if (kind == K_SECTION && namen == 1 && name[0] == '_') {
			if (lx->in_trans)
				return syntax_error(cc, line, "nested {{#_}}");
			enum err rc = tokenize_trans(cc, tk, lx, line);
			if (rc)
				return rc;
			continue;
		}
		struct node *t = tok_push(cc, tk, kind, line);
		t->s = arena_strndup(cc->arena, name, namen);
		t->n = namen;
		t->dynamic = dynamic;
	}
	return ERR_OK;
}

/* Spaces and tabs at the start of text `t`. */
static size_t
leading_ws(const struct node *t)
{
	size_t k = 0;
	while (k < t->n && (t->s[k] == ' ' || t->s[k] == '\t'))
		k++;
	return k;
}

/* Spaces and tabs only, but for a final "\n" or "\r\n". */
static bool
is_blank(const struct node *t)
{
	size_t k = leading_ws(t);
	return k == t->n || (k + 1 == t->n && t->s[k] == '\n') ||
	       (k + 2 == t->n && t->s[k] == '\r' && t->s[k + 1] == '\n');
}

static bool
ends_line(const struct node *t)
{
	return t->kind == K_TEXT && t->n && t->s[t->n - 1] == '\n';
}

/*
 * Step 2: standalone lines (see the top of the file).  `open` follows the
 * nesting only to tell which close tags close a parent; the tree builder
 * reports nesting errors later.
 */
static void
mark_standalone(struct toks *tk)
{
	enum kind open[MUSTACHE_MAX_NEST];
	size_t depth = 0;
	size_t i = 0;
	while (i < tk->n) {
		size_t j = i;
		while (j < tk->n && !ends_line(tk->v[j]))
			j++;
		if (j < tk->n)
			j++; /* the line is [i, j) */
		bool ok = true;
		size_t tags = 0, counted = 0, first = j;
		for (size_t k = i; k < j; k++) {
			struct node *t = tk->v[k];
			bool parent_tag = t->kind == K_PARENT;
			switch (t->kind) {
			case K_TEXT: ok = ok && is_blank(t); continue;
			case K_VAR:
			case K_RAW:
			case K_GROUP: ok = false; break;
			case K_SECTION:
			case K_INVERTED:
			case K_PARENT:
			case K_BLOCK:
				if (depth < MUSTACHE_MAX_NEST)
					open[depth] = t->kind;
				depth++;
				break;
			case K_CLOSE:
				if (depth > 0 && depth <= MUSTACHE_MAX_NEST)
					parent_tag =
						open[depth - 1] == K_PARENT;
				depth -= depth > 0;
				break;
			default: break;
			}
			if (first == j)
				first = k;
			tags++;
			counted += !parent_tag;
		}
		struct node *lead = first > i ? tk->v[i] : NULL;
		struct node *ft = first < j ? tk->v[first] : NULL;
		bool indentable =
			ft && (ft->kind == K_PARTIAL || ft->kind == K_PARENT ||
			       ft->kind == K_BLOCK);
		if (ok && tags > 0 && counted <= 1) {
			for (size_t k = i; k < j; k++) {
				struct node *t = tk->v[k];
				t->drop = t->kind == K_TEXT;
				t->standalone = t->kind == K_PARTIAL ||
						t->kind == K_PARENT ||
						t->kind == K_BLOCK;
			}
		}
		/* A block not alone on its line still indents its later
		 * lines by the whitespace in front of it. */
		if (indentable && lead &&
		    (ft->standalone ||
		     (ft->kind == K_BLOCK && is_blank(lead)))) {
			ft->indent = lead->s;
			ft->indent_len = lead->n;
		}
		i = j;
	}
}

/*
 * Dedent: measuring the common indentation of some content, and removing
 * it.  Text nodes hold at most one line (the newline last), so the
 * indentation of a line is the leading whitespace of its first text node,
 * or the indentation kept on a standalone tag.  Sections are transparent;
 * a parent's overrides are left alone (they were dedented on their own).
 */
struct dedent {
	bool strip;       /* false: measure; true: remove `common` */
	bool bol;         /* at the beginning of a line */
	bool have;        /* `common` holds a measure */
	const char *pend; /* whitespace of the line so far, from a blank text */
	size_t pend_len;
	const char *common;
	size_t common_len;
};

static void
measure(struct dedent *d, const char *ws, size_t n)
{
	if (d->strip)
		return;
	if (!d->have) {
		d->have = true;
		d->common = ws;
		d->common_len = n;
		return;
	}
	size_t k = 0;
	while (k < n && k < d->common_len && ws[k] == d->common[k])
		k++;
	d->common_len = k;
}

static bool
has_prefix(const struct dedent *d, const char *s, size_t n)
{
	return d->strip && d->common_len && n >= d->common_len &&
	       memcmp(s, d->common, d->common_len) == 0;
}

static void
strip_indent(struct dedent *d, struct node *t)
{
	if (has_prefix(d, t->indent, t->indent_len)) {
		t->indent += d->common_len;
		t->indent_len -= d->common_len;
	}
}

static void
dedent_nodes(struct dedent *d, struct node *t)
{
	for (; t != NULL; t = t->next) {
		if (t->kind == K_TEXT) {
			size_t ws = leading_ws(t);
			bool blank = is_blank(t), nl = ends_line(t);
			if (d->bol && d->pend_len == 0) { /* a line's start */
				if (!blank)
					measure(d, t->s, ws);
				if (has_prefix(d, t->s, ws)) {
					t->s += d->common_len;
					t->n -= d->common_len;
				}
				if (blank && !nl) {
					d->pend = t->s;
					d->pend_len = ws;
				}
			} else if (d->bol && !blank) {
				measure(d, d->pend, d->pend_len);
			}
			if (!blank || nl) {
				d->bol = nl;
				d->pend_len = 0;
			}
			continue;
		}
		if ((t->kind == K_PARTIAL || t->kind == K_PARENT ||
		     t->kind == K_BLOCK) &&
		    t->standalone) {
			measure(d, t->indent, t->indent_len);
			strip_indent(d, t);
			d->pend_len = 0;
		} else if (t->kind != K_SECTION && t->kind != K_INVERTED) {
			if (d->bol)
				measure(d, d->pend, d->pend_len);
			if (t->kind == K_BLOCK)
				strip_indent(d, t);
			d->bol = false;
			d->pend_len = 0;
		}
		if (t->kind == K_SECTION || t->kind == K_INVERTED ||
		    t->kind == K_BLOCK)
			dedent_nodes(d, t->kids);
	}
}

/* A standalone block override loses its common indentation. */
static void
dedent_override(struct node *block)
{
	struct dedent d = {.bol = true};
	dedent_nodes(&d, block->kids);
	if (!d.have || d.common_len == 0)
		return;
	d.strip = true;
	d.bol = true;
	d.pend_len = 0;
	dedent_nodes(&d, block->kids);
}

/* A standalone block with no indentation of its own takes its default
 * content's ("intrinsic indentation"); runs once the tree is complete. */
static void
intrinsic_indent(struct node *t)
{
	for (; t != NULL; t = t->next) {
		if (t->kind == K_BLOCK && t->standalone && t->indent_len == 0) {
			struct dedent d = {.bol = true};
			dedent_nodes(&d, t->kids);
			if (d.have) {
				t->indent = d.common;
				t->indent_len = d.common_len;
			}
		}
		intrinsic_indent(t->kids);
	}
}

static const char sigil_of[] = {
	[K_SECTION] = '#',
	[K_INVERTED] = '^',
	[K_PARENT] = '<',
	[K_BLOCK] = '$',
};

/* Step 3: links the tokens that were not dropped into a tree. */
static enum err
build_tree(struct compiler *cc, struct toks *tk, struct node **OUT)
{
	struct level {
		struct node *owner;
		struct node **tail;
		struct node *last;
	} st[MUSTACHE_MAX_NEST + 1];
	size_t depth = 0;
	st[0] = (struct level){NULL, OUT, NULL};
	*OUT = NULL;
	for (size_t i = 0; i < tk->n; i++) {
		struct node *t = tk->v[i];
		struct level *l = &st[depth];
		if (t->drop || t->kind == K_COMMENT || t->kind == K_DELIM)
			continue;
		if (t->kind == K_TEXT && l->last && l->last->kind == K_TEXT &&
		    !ends_line(l->last)) {
			/* Two pieces of one line (a tag between them was
			 * dropped): one node, so a line has one start. */
			char *s = arena_alloc(cc->arena, l->last->n + t->n);
			memcpy(s, l->last->s, l->last->n);
			memcpy(s + l->last->n, t->s, t->n);
			l->last->s = s;
			l->last->n += t->n;
			continue;
		}
		if (t->kind == K_CLOSE) {
			struct node *o = l->owner;
			if (o == NULL)
				return syntax_error(cc, t->line,
						    "{{/%.40s}} closes nothing",
						    t->s);
			if (o->dynamic != t->dynamic || strcmp(o->s, t->s))
				return syntax_error(
					cc, t->line,
					"{{/%.40s}} does not close {{%c%.40s}} "
					"(line %d)",
					t->s, sigil_of[o->kind], o->s, o->line);
			if (o->kind == K_BLOCK && o->standalone && depth >= 2 &&
			    st[depth - 1].owner->kind == K_PARENT)
				dedent_override(o);
			depth--;
			continue;
		}
		*l->tail = t;
		l->tail = &t->next;
		l->last = t;
		if (t->kind == K_SECTION || t->kind == K_INVERTED ||
		    t->kind == K_PARENT || t->kind == K_BLOCK) {
			if (depth == MUSTACHE_MAX_NEST)
				return syntax_error(cc, t->line,
						    "tags nested too deeply");
			st[++depth] = (struct level){t, &t->kids, NULL};
		}
	}
	if (depth > 0) {
		struct node *o = st[depth].owner;
		return syntax_error(cc, o->line, "{{%c%.40s}} is not closed",
				    sigil_of[o->kind], o->s);
	}
	return ERR_OK;
}

/* Steps 1 to 3 on `src`; `outer` gives the delimiters of a translation's
 * surroundings, NULL for a whole template. */
static enum err
compile_text(struct compiler *cc, const char *src, size_t n,
	     const struct lexer *outer, int line, struct node **OUT)
{
	struct toks tk = {0};
	struct lexer lx = {
		.s = arena_strndup(cc->arena, src, n),
		.n = n,
		.line = line,
		.otag = "{{",
		.ctag = "}}",
		.olen = 2,
		.clen = 2,
	};
	if (outer != NULL) {
		lx.otag = outer->otag;
		lx.olen = outer->olen;
		lx.ctag = outer->ctag;
		lx.clen = outer->clen;
		lx.in_trans = true;
	}
	enum err rc = tokenize(cc, &tk, &lx);
	if (rc)
		goto out;
	mark_standalone(&tk);
	rc = build_tree(cc, &tk, OUT);
out:
	free(tk.v);
	return rc;
}

enum err
mustache_compile(const char *src, size_t n, mustache_translate_fn translate,
		 void *ud, struct mustache **OUT, struct buf *errmsg)
{
	struct compiler cc = {arena_new(), translate, ud, errmsg};
	struct node *root = NULL;
	*OUT = NULL;
	enum err rc = compile_text(&cc, src, n, NULL, 1, &root);
	if (rc)
		goto out;
	intrinsic_indent(root);
	struct mustache *t = arena_zalloc(cc.arena, sizeof(*t));
	t->arena = cc.arena;
	t->root = root;
	*OUT = t;
	cc.arena = NULL;
out:
	arena_free(cc.arena);
	return rc;
}

void
mustache_free(struct mustache *t)
{
	if (t != NULL)
		arena_free(t->arena);
}

char *
mustache_msgid(const char *raw, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t k = 0;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		if (is_space(raw[i])) {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = false;
		out[k++] = raw[i];
	}
	out[k] = '\0';
	return out;
}

/* ---- rendering -------------------------------------------------------- */

struct ctx {
	json_t *v;
	const struct ctx *up;
};

struct frame {
	const struct node *parent; /* its K_BLOCK children override */
	const struct frame *up;
};

struct render {
	mustache_partial_fn partial;
	void *ud;
	struct buf *out;
	struct buf indent; /* written before each template line */
	bool bol;          /* nothing written yet on this template line */
	int depth;         /* partials and parents being rendered */
};

static enum err render_nodes(struct render *r, const struct node *t,
			     const struct ctx *c, const struct frame *f);

/* Template text: indented line by line. */
static enum err
put_text(struct render *r, const char *s, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		enum err rc = ERR_OK;
		if (r->bol && r->indent.len)
			rc = buf_append(r->out, r->indent.data, r->indent.len);
		if (rc == ERR_OK)
			rc = buf_append(r->out, s, k);
		if (rc)
			return rc;
		r->bol = nl != NULL;
		s += k;
		n -= k;
	}
	return ERR_OK;
}

/* Data: indented only where it starts a line; its newlines start none. */
static enum err
put_data(struct render *r, const char *s, size_t n, bool escape)
{
	enum err rc = ERR_OK;
	if (n == 0)
		return ERR_OK;
	if (r->bol && r->indent.len)
		rc = buf_append(r->out, r->indent.data, r->indent.len);
	r->bol = false;
	if (rc)
		return rc;
	return escape ? buf_html(r->out, s, n) : buf_append(r->out, s, n);
}

static enum err
put_json(struct render *r, const json_t *v, bool escape)
{
	char num[40];
	int k;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return put_data(r, json_string_value(v), json_string_length(v),
				escape);
	case JSON_INTEGER:
		k = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
			     json_integer_value(v));
		return put_data(r, num, (size_t)k, false);
	case JSON_REAL:
		/* The shortest form that reads back the same: 1.21, not
		 * 1.2099999999999999644. */
		for (int prec = 15; prec <= 17; prec++) {
			k = snprintf(num, sizeof(num), "%.*g", prec,
				     json_real_value(v));
			if (strtod(num, NULL) == json_real_value(v))
				break;
		}
		return put_data(r, num, (size_t)k, false);
	case JSON_TRUE: return put_data(r, "true", 4, false);
	case JSON_FALSE: return put_data(r, "false", 5, false);
	default: /* null, objects and lists print nothing */ return ERR_OK;
	}
}

/* Member `name` (`k` bytes) of an object, or element of a list when the
 * name is a number ("rows.0"), or NULL. */
static json_t *
member(json_t *v, const char *name, size_t k)
{
	size_t i = 0;
	if (json_is_object(v))
		return json_object_getn(v, name, k);
	if (!json_is_array(v) || k == 0 || k > 9)
		return NULL;
	for (size_t j = 0; j < k; j++) {
		if (name[j] < '0' || name[j] > '9')
			return NULL;
		i = 10 * i + (size_t)(name[j] - '0');
	}
	return json_array_get(v, i);
}

/* Name resolution as in the spec: the first part up the context stack,
 * the other parts only inside what the first found. */
static json_t *
lookup(const struct ctx *c, const char *name)
{
	if (strcmp(name, ".") == 0)
		return c->v;
	const char *dot = strchr(name, '.');
	size_t k = dot ? (size_t)(dot - name) : strlen(name);
	json_t *v = NULL;
	for (; c != NULL && v == NULL; c = c->up)
		if (json_is_object(c->v))
			v = json_object_getn(c->v, name, k);
	while (v != NULL && dot != NULL) {
		name = dot + 1;
		dot = strchr(name, '.');
		k = dot ? (size_t)(dot - name) : strlen(name);
		v = member(v, name, k);
	}
	return v;
}

/* Falsy as in JavaScript: missing, null, false, 0, "", and the empty list. */
static bool
truthy(const json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
	case JSON_FALSE: return false;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	default: return true;
	}
}

static enum err
render_section(struct render *r, const struct node *t, const struct ctx *c,
	       const struct frame *f)
{
	json_t *v = lookup(c, t->s);
	if (t->kind == K_INVERTED)
		return truthy(v) ? ERR_OK : render_nodes(r, t->kids, c, f);
	if (!truthy(v))
		return ERR_OK;
	if (!json_is_array(v)) {
		struct ctx sub = {v, c};
		return render_nodes(r, t->kids, &sub, f);
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		struct ctx sub = {json_array_get(v, i), c};
		enum err rc = render_nodes(r, t->kids, &sub, f);
		if (rc)
			return rc;
	}
	return ERR_OK;
}

/* Renders `kids` with the indentation of `t` added. */
static enum err
render_indented(struct render *r, const struct node *t, const struct node *kids,
		const struct ctx *c, const struct frame *f)
{
	size_t saved = r->indent.len;
	enum err rc = buf_append(&r->indent, t->indent, t->indent_len);
	if (rc == ERR_OK)
		rc = render_nodes(r, kids, c, f);
	r->indent.len = saved;
	return rc;
}

/* Renders `kids` (of another template, or an override) for `t`, one
 * level deeper: partials and overrides may recurse without end. */
static enum err
render_deeper(struct render *r, const struct node *t, const struct node *kids,
	      const struct ctx *c, const struct frame *f)
{
	if (r->depth >= MUSTACHE_MAX_DEPTH)
		return ERR_TOOBIG;
	r->depth++;
	enum err rc = render_indented(r, t, kids, c, f);
	r->depth--;
	return rc;
}

/* A partial or a parent: another template, with this one's context. */
static enum err
render_partial(struct render *r, const struct node *t, const struct ctx *c,
	       const struct frame *f)
{
	const char *name = t->s;
	if (t->dynamic) {
		json_t *v = lookup(c, t->s);
		name = json_is_string(v) ? json_string_value(v) : NULL;
	}
	const struct mustache *m =
		name && r->partial ? r->partial(r->ud, name) : NULL;
	if (m == NULL)
		return ERR_OK;
	struct frame sub = {t, f};
	return render_deeper(r, t, m->root, c, t->kind == K_PARENT ? &sub : f);
}

/* A block: the outermost override of it, or its default content. */
static enum err
render_block(struct render *r, const struct node *t, const struct ctx *c,
	     const struct frame *f)
{
	const struct node *found = NULL;
	for (const struct frame *up = f; up != NULL; up = up->up)
		for (const struct node *k = up->parent->kids; k; k = k->next)
			if (k->kind == K_BLOCK && strcmp(k->s, t->s) == 0) {
				found = k;
				break;
			}
	if (found == NULL)
		return render_nodes(r, t->kids, c, f);
	return render_deeper(r, t, found->kids, c, f);
}

static enum err
render_nodes(struct render *r, const struct node *t, const struct ctx *c,
	     const struct frame *f)
{
	enum err rc = ERR_OK;
	for (; t != NULL && rc == ERR_OK; t = t->next) {
		switch (t->kind) {
		case K_TEXT: rc = put_text(r, t->s, t->n); break;
		case K_VAR:
		case K_RAW: {
			json_t *v = lookup(c, t->s);
			if (v != NULL)
				rc = put_json(r, v, t->kind == K_VAR);
			break;
		}
		case K_SECTION:
		case K_INVERTED: rc = render_section(r, t, c, f); break;
		case K_PARTIAL:
		case K_PARENT: rc = render_partial(r, t, c, f); break;
		case K_BLOCK: rc = render_block(r, t, c, f); break;
		case K_GROUP: rc = render_nodes(r, t->kids, c, f); break;
		default: break;
		}
	}
	return rc;
}

enum err
mustache_render(const struct mustache *t, json_t *data,
		mustache_partial_fn partial, void *ud, struct buf *out)
{
	struct render r = {
		.partial = partial, .ud = ud, .out = out, .bol = true};
	struct ctx root = {data, NULL};
	buf_init(&r.indent, 0);
	enum err rc = render_nodes(&r, t->root, &root, NULL);
	buf_release(&r.indent);
	return rc;
}
