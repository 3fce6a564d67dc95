/*
 * The staff's side of cases over HTTP: the inbox (/cases), staff intake
 * (/cases/new), the case page and its actions, the printable summary,
 * merging, evidence added by staff, and the audit trail of it all.
 *
 * Who sees what (src/model/authz.c): a focal point works the cases of
 * their own organisation; an affiliate admin those of every organisation
 * of their country but never the secretariat's; the regional admin all;
 * a partner user none.  A case out of reach answers 404 — page, print,
 * file, merge and every action alike — so that its existence is not
 * told.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "base/str.h"
#include "http/harness.h"

#define FP_TH_EMAIL "focal@th.demo.atis.invalid"
#define AA_TH_EMAIL "admin@th.demo.atis.invalid"
#define FP_MY_EMAIL "focal@my.demo.atis.invalid"

static struct site *site;
static struct server *srv;
static struct client *fp; /* the Thai focal point */
static struct client *aa; /* the Thai affiliate admin */
static struct client *ra; /* the regional admin */
static struct client *pu; /* the Malaysian partner user */
/* A server of its own for the tests that download evidence: should one
 * of them bring a server down, the others still run (and its exit
 * status tells). */
static struct server *side;

static int64_t th_org, gov_th_org, sec_org;
static int64_t fp_id, fp_my_id, pu_id;
/* Demo cases, found by their employer. */
static int64_t c_canning; /* TH, new, osh, in Thai */
static int64_t c_towers;  /* TH, verified, wages */
static int64_t c_palm;    /* MY, new */
static int64_t c_marina;  /* SG, resolved */

static char *jpg, *pdf, *txt;
static size_t jpg_len, pdf_len, txt_len;

/* Handed on between tests. */
static int64_t c_worked; /* assigned, remedied, triaged … */
static int64_t c_walk;   /* through the whole workflow */
static int64_t c_spam;   /* rejected, then back to new */
static int64_t c_merged_into, c_merged;
static int64_t c_attached, att_internal;

static int64_t
id_of(const char *sql, const char *key)
{
	return site_int(site, sql, key);
}

static char *
load(const char *path, size_t *len)
{
	char *p = harness_read_file(path, len);
	if (p == NULL)
		fail_msg("cannot read %s (run from the top of the tree)", path);
	return p;
}

static int
setup(void **state)
{
	(void)state;
	jpg = load("tests/data/exif-gps.jpg", &jpg_len);
	pdf = load("tests/data/sample.pdf", &pdf_len);
	txt = load("tests/data/not-a-photo.jpg", &txt_len);
	site = site_new(true);
	srv = server_start(site, NULL);
	fp = client_new(srv);
	client_sign_in(fp, FP_TH_EMAIL, DEMO_PW);
	aa = client_new(srv);
	client_sign_in(aa, AA_TH_EMAIL, DEMO_PW);
	ra = client_new(srv);
	client_sign_in(ra, RA_EMAIL, DEMO_PW);
	pu = client_new(srv);
	client_sign_in(pu, PU_MY_EMAIL, DEMO_PW);

	const char *org = "SELECT id FROM organisation WHERE name = ?";
	th_org = id_of(org, "DEMO Thai Union Centre");
	gov_th_org = id_of(org, "DEMO Provincial Labour Office");
	sec_org = id_of(org, "DEMO Regional Secretariat");
	const char *user = "SELECT id FROM app_user WHERE email = ?";
	fp_id = id_of(user, FP_TH_EMAIL);
	fp_my_id = id_of(user, FP_MY_EMAIL);
	pu_id = id_of(user, PU_MY_EMAIL);
	const char *by_employer =
		"SELECT min(id) FROM case_rec WHERE employer = ?";
	c_canning = id_of(by_employer, "DEMO Canning Factory");
	c_towers = id_of(by_employer, "DEMO Bangkok Towers Ltd.");
	c_palm = id_of(by_employer, "DEMO Palm Estate Sdn Bhd");
	c_marina = id_of(by_employer, "DEMO Marina Builders");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(fp);
	client_free(aa);
	client_free(ra);
	client_free(pu);
	fp = aa = ra = pu = NULL;
	server_stop(side);
	side = NULL;
	int rc = server_stop(srv);
	srv = NULL;
	site_free(site);
	free(jpg);
	free(pdf);
	free(txt);
	return rc == 0 ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------------ */

static struct server *
side_start(void)
{
	server_stop(side);
	side = NULL;
	side = server_start(site, NULL);
	return side;
}

/* Stops the side server and asserts that it stopped cleanly. */
static void
side_stop(void)
{
	int rc = server_stop(side);
	side = NULL;
	assert_int_equal(rc, 0);
}

/* "/cases/ID" or "/cases/ID/WHAT", in one of a few rotating buffers so
 * that a path may be passed while another is in use. */
static const char *
cpath(int64_t id, const char *what)
{
	static char bufs[4][96];
	static int next;
	char *b = bufs[next++ % 4];
	if (what == NULL)
		snprintf(b, sizeof bufs[0], "/cases/%lld", (long long)id);
	else
		snprintf(b, sizeof bufs[0], "/cases/%lld/%s", (long long)id,
			 what);
	return b;
}

/* The reference of a case as pages show it: "123-456-7890". */
static void
ref_of(int64_t id, char out[16])
{
	struct db_stmt *st = db_query(
		site->db, "SELECT reference FROM case_rec WHERE id = ?", "i",
		id);
	assert_true(db_step(st));
	const char *r = db_col_text(st, 0);
	snprintf(out, 16, "%.3s-%.3s-%.4s", r, r + 3, r + 6);
	db_finalize(st);
}

/* An integer of case `id`: "SELECT <expr> FROM case_rec WHERE id = ". */
static int64_t
case_int(int64_t id, const char *expr)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT %s FROM case_rec WHERE id = %lld",
		 expr, (long long)id);
	return site_int(site, sql, NULL);
}

static bool
case_status_is(int64_t id, const char *status)
{
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM case_rec WHERE id = %lld AND"
		 " status = ?",
		 (long long)id);
	return site_int(site, sql, status) == 1;
}

/* Audit entries of `action` about case `id` by user `user` (0: anyone). */
static int64_t
audits(const char *action, int64_t id, int64_t user)
{
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit_log WHERE action = ? AND"
		 " target_type = 'case' AND target_id = %lld%s",
		 (long long)id, user ? " AND actor_user_id = " : "");
	if (user) {
		char more[32];
		snprintf(more, sizeof more, "%lld", (long long)user);
		strncat(sql, more, sizeof sql - strlen(sql) - 1);
	}
	return site_int(site, sql, action);
}

static void
urlenc(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_')
			buf_putc(b, (char)ch);
		else
			buf_printf(b, "%%%02X", ch);
	}
}

/* `path` + "?" + the url-encoded pairs (name, value, …, NULL); in a
 * static buffer. */
static const char *
query(const char *path, const char *const *kv)
{
	static char out[2048];
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, path);
	for (size_t i = 0; kv[i]; i += 2) {
		buf_putc(&b, i ? '&' : '?');
		urlenc(&b, kv[i]);
		buf_putc(&b, '=');
		urlenc(&b, kv[i + 1]);
	}
	snprintf(out, sizeof out, "%s", buf_cstr(&b));
	buf_release(&b);
	return out;
}

/* The inbox with the query given; asserts 200. */
static struct reply *
inbox(struct client *c, const char *const *kv)
{
	struct reply *r = client_get(c, query("/cases", kv));
	assert_status(r, 200);
	return r;
}

/* The case ids of an inbox page, in their order; returns how many. */
static size_t
row_ids(struct reply *r, int64_t *ids, size_t max)
{
	static const char mark[] = "<td><a href=\"/cases/";
	size_t n = 0;
	for (const char *p = strstr(r->body, mark); p && n < max;
	     p = strstr(p + 1, mark))
		ids[n++] = strtoll(p + strlen(mark), NULL, 10);
	return n;
}

static bool
lists(struct reply *r, int64_t id)
{
	int64_t ids[64];
	size_t n = row_ids(r, ids, 64);
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* POSTs `kv` (name, value, …, NULL) url-encoded, after "csrf" = `csrf`
 * when that is not NULL. */
static struct reply *
post_kv(struct client *c, const char *path, const char *csrf,
	const char *const *kv)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "");
	if (csrf != NULL) {
		buf_puts(&b, "csrf=");
		urlenc(&b, csrf);
	}
	for (size_t i = 0; kv && kv[i]; i += 2) {
		if (b.len)
			buf_putc(&b, '&');
		urlenc(&b, kv[i]);
		buf_putc(&b, '=');
		urlenc(&b, kv[i + 1]);
	}
	struct reply *r =
		client_request(c, "POST", path, NULL, buf_cstr(&b), b.len);
	buf_release(&b);
	return r;
}

/* A valid hotline call for Thailand, with `kv` on top. */
/* clang-format off */
static const char *const intake_defaults[] = {
	"channel",        "hotline",
	"kind",           "complaint",
	"category",       "wages",
	"description",    "The caller says the overtime was never paid.",
	"country_work",   "TH",
	"contact_method", "none",
	NULL,
};
/* clang-format on */

static bool
has_key(const char *const *kv, const char *name)
{
	for (size_t i = 0; kv && kv[i]; i += 2)
		if (str_eq(kv[i], name))
			return true;
	return false;
}

static struct reply *
post_intake(struct client *c, const char *const *kv)
{
	if (c->csrf[0] == '\0')
		assert_status(client_get(c, "/cases/new"), 200);
	const char *all[64];
	size_t n = 0;
	for (size_t i = 0; intake_defaults[i]; i += 2)
		if (!has_key(kv, intake_defaults[i])) {
			all[n++] = intake_defaults[i];
			all[n++] = intake_defaults[i + 1];
		}
	for (size_t i = 0; kv && kv[i]; i += 2) {
		assert_true(n < 60);
		all[n++] = kv[i];
		all[n++] = kv[i + 1];
	}
	all[n] = NULL;
	char csrf[64];
	snprintf(csrf, sizeof csrf, "%s", c->csrf);
	return post_kv(c, "/cases/new", csrf, all);
}

struct created {
	int64_t id;
	char ref[16];
	char pin[16];
};

static bool
shaped(const char *s, const char *shape)
{
	for (; *shape; s++, shape++)
		if (*shape == '9' ? !isdigit((unsigned char)*s) : *s != *shape)
			return false;
	return *s == '\0';
}

/* Staff intake that must work; fills `out` (may be NULL). */
static int64_t
intake(struct client *c, const char *const *kv, struct created *out)
{
	struct reply *r = post_intake(c, kv);
	assert_status(r, 201);
	assert_true(reply_has(r, "Case saved"));
	static const char mark[] = "<dd class=\"secret\">";
	const char *a = strstr(r->body, mark);
	assert_non_null(a);
	a += strlen(mark);
	const char *b = strstr(a, mark);
	assert_non_null(b);
	b += strlen(mark);
	struct created cr;
	snprintf(cr.ref, sizeof cr.ref, "%.*s", (int)strcspn(a, "<"), a);
	snprintf(cr.pin, sizeof cr.pin, "%.*s", (int)strcspn(b, "<"), b);
	assert_true(shaped(cr.ref, "999-999-9999"));
	assert_true(shaped(cr.pin, "9999 9999"));
	const char *open =
		strstr(r->body, "<a class=\"button\" href=\"/cases/");
	assert_non_null(open);
	cr.id = strtoll(open + strlen("<a class=\"button\" href=\"/cases/"),
			NULL, 10);
	assert_true(cr.id > 0);
	char digits[11];
	snprintf(digits, sizeof digits, "%.3s%.3s%.4s", cr.ref, cr.ref + 4,
		 cr.ref + 8);
	assert_int_equal(
		id_of("SELECT id FROM case_rec WHERE reference = ?", digits),
		cr.id);
	if (out)
		*out = cr;
	return cr.id;
}

/* Opens case `id` (so that the client has its token) and POSTs one
 * action with `kv`. */
static struct reply *
act(struct client *c, int64_t id, const char *action, const char *const *kv)
{
	if (c->csrf[0] == '\0')
		assert_status(client_get(c, "/staff"), 200);
	char csrf[64];
	snprintf(csrf, sizeof csrf, "%s", c->csrf);
	return post_kv(c, cpath(id, action), csrf, kv);
}

/* An action that must work: 303 back to the case. */
static void
act_ok(struct client *c, int64_t id, const char *action, const char *const *kv)
{
	struct reply *r = act(c, id, action, kv);
	if (r->status != 303)
		print_error("POST %s\n", cpath(id, action));
	assert_redirect(r, cpath(id, NULL));
}

/* The case page, 200. */
static struct reply *
page(struct client *c, int64_t id)
{
	struct reply *r = client_get(c, cpath(id, NULL));
	assert_status(r, 200);
	return r;
}

/* The text of the page from `from` to `to` (or to the end). */
static const char *
section(struct reply *r, const char *from, const char *to)
{
	const char *a = strstr(r->body, from);
	if (a == NULL)
		return "";
	const char *b = to ? strstr(a, to) : NULL;
	size_t n = b ? (size_t)(b - a) : strlen(a);
	static char bufs[2][65536];
	static int next;
	char *out = bufs[next++ % 2];
	snprintf(out, sizeof bufs[0], "%.*s",
		 (int)(n < sizeof bufs[0] ? n : sizeof bufs[0] - 1), a);
	return out;
}

/* `s` with what is not printable ASCII as "?", for messages (static). */
static const char *
printable(const char *s)
{
	static char out[64];
	if (s == NULL)
		return "(none)";
	size_t i = 0;
	for (; s[i] && i < sizeof out - 1; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
	return out;
}

/* ---- the inbox ------------------------------------------------------------
 */

static void
test_inbox_scope(void **state)
{
	(void)state;
	/* Every demo case: listed for the focal point exactly when owned
	 * by the Thai union centre. */
	static const char *const all[] = {"status", "all", NULL};
	struct reply *r = inbox(fp, all);
	int64_t ids[64];
	size_t n = row_ids(r, ids, 64);
	assert_int_equal((int64_t)n,
			 site_int(site,
				  "SELECT count(*) FROM case_rec WHERE"
				  " owner_org_id = (SELECT id FROM organisation"
				  " WHERE name = ?)",
				  "DEMO Thai Union Centre"));
	struct db_stmt *st = db_query(
		site->db, "SELECT id, reference, owner_org_id FROM case_rec",
		"");
	int rows = 0, wrong = 0;
	while (db_step(st)) {
		const char *d = db_col_text(st, 1);
		char ref[16];
		snprintf(ref, sizeof ref, "%.3s-%.3s-%.4s", d, d + 3, d + 6);
		bool mine = db_col_int(st, 2) == th_org;
		if (reply_has(r, ref) != mine) {
			print_error("case %s (owner %lld) %s\n", ref,
				    (long long)db_col_int(st, 2),
				    mine ? "missing" : "listed");
			wrong++;
		}
		rows++;
	}
	db_finalize(st);
	assert_true(rows >= 12); /* the demo's dozen */
	assert_int_equal(wrong, 0);
	assert_true(n >= 5);
	char ref[16];
	ref_of(c_palm, ref);
	assert_false(reply_has(r, ref));
	ref_of(c_marina, ref);
	assert_false(reply_has(r, ref));

	/* The default view: the open ones. */
	r = inbox(fp, (const char *const[]){NULL});
	assert_true(lists(r, c_canning));
	assert_true(lists(r, c_towers));
	assert_true(reply_has(r, "name=\"q\""));

	/* The affiliate admin: the country's; the regional admin: all. */
	r = inbox(aa, all);
	assert_true(lists(r, c_canning));
	assert_false(lists(r, c_palm));
	assert_false(lists(r, c_marina));
	r = inbox(ra, all);
	assert_true(lists(r, c_canning));
	assert_true(lists(r, c_palm));
	assert_true(lists(r, c_marina));
}

static void
test_inbox_search(void **state)
{
	(void)state;
	/* A word of the Thai demo story ("factory"). */
	static const char *const thai[] = {"q", "โรงงาน", NULL};
	struct reply *r = inbox(fp, thai);
	assert_true(lists(r, c_canning));
	assert_false(lists(r, c_towers));
	assert_string_equal(reply_input(r, "q"), "โรงงาน");
	/* Two words, both needed. */
	static const char *const two[] = {"q", "อุปกรณ์ โรงงาน", NULL};
	assert_true(lists(inbox(fp, two), c_canning));
	static const char *const none[] = {"q", "โรงงาน zebra", NULL};
	r = inbox(fp, none);
	assert_false(lists(r, c_canning));
	assert_true(reply_has(r, "No case matches these filters."));

	/* By reference, typed in three ways. */
	char ref[16], digits[11], spaced[16];
	ref_of(c_towers, ref);
	snprintf(digits, sizeof digits, "%.3s%.3s%.4s", ref, ref + 4, ref + 8);
	snprintf(spaced, sizeof spaced, " %.3s %.3s %.4s ", ref, ref + 4,
		 ref + 8);
	const char *const forms[] = {ref, digits, spaced};
	for (size_t i = 0; i < 3; i++) {
		const char *const q[] = {"q", forms[i], NULL};
		r = inbox(fp, q);
		int64_t ids[8];
		if (row_ids(r, ids, 8) != 1 || ids[0] != c_towers)
			print_error("search for \"%s\"\n", forms[i]);
		assert_int_equal(row_ids(r, ids, 8), 1);
		assert_int_equal(ids[0], c_towers);
	}
	/* By phone number: both Sea Harvest cases. */
	static const char *const phone[] = {"q", "+66 81 000 0001", NULL};
	r = inbox(fp, phone);
	int64_t ids[8];
	assert_int_equal(row_ids(r, ids, 8), 2);
	assert_false(lists(r, c_canning));
	/* Another country's case is not found, not even by reference. */
	ref_of(c_palm, ref);
	const char *const other[] = {"q", ref, NULL};
	r = inbox(fp, other);
	assert_false(lists(r, c_palm));
	assert_true(reply_has(r, "No case matches these filters."));
	r = inbox(ra, other);
	assert_true(lists(r, c_palm));
	/* Patterns are text. */
	static const char *const pct[] = {"q", "%", NULL};
	assert_true(reply_has(inbox(fp, pct), "No case matches"));
}

static void
test_inbox_filters_and_order(void **state)
{
	(void)state;
	static const char *const is_new[] = {"status", "new", NULL};
	struct reply *r = inbox(fp, is_new);
	assert_true(lists(r, c_canning));
	assert_false(lists(r, c_towers)); /* verified */
	assert_true(reply_has(r, "<option value=\"new\" selected>"));
	static const char *const wages[] = {"status", "all", "category",
					    "wages", NULL};
	r = inbox(fp, wages);
	assert_true(lists(r, c_towers));
	assert_false(lists(r, c_canning)); /* osh */
	static const char *const verified_wages[] = {"status", "verified",
						     "category", "wages", NULL};
	r = inbox(fp, verified_wages);
	int64_t ids[64];
	assert_int_equal(row_ids(r, ids, 64), 1);
	assert_int_equal(ids[0], c_towers);

	/* Overdue: a deadline an hour ago. */
	static const char *const overdue[] = {"overdue", "1", NULL};
	assert_false(lists(inbox(fp, overdue), c_towers));
	char sql[128];
	snprintf(sql, sizeof sql,
		 "UPDATE case_rec SET deadline_at = %lld WHERE id = %lld",
		 (long long)time(NULL) - 3600, (long long)c_towers);
	site_exec(site, sql);
	r = inbox(fp, overdue);
	assert_int_equal(row_ids(r, ids, 64), 1);
	assert_int_equal(ids[0], c_towers);
	assert_true(reply_has(r, "tag-overdue"));
	/* Seeing the inbox escalated it. */
	static const char *const escalated[] = {"escalated", "1", NULL};
	assert_true(lists(inbox(fp, escalated), c_towers));
	r = page(fp, c_towers);
	assert_true(reply_has(r, "This case is overdue"));
	assert_true(reply_has(r, "Overdue: escalated to the affiliate admin"));

	/* Order. */
	static const char *const oldest[] = {"status", "all", "sort", "oldest",
					     NULL};
	static const char *const newest[] = {"status", "all", "sort", "newest",
					     NULL};
	size_t n = row_ids(inbox(fp, oldest), ids, 64);
	assert_true(n >= 5);
	for (size_t i = 1; i < n; i++)
		assert_true(ids[i - 1] < ids[i]);
	int64_t first_oldest = ids[0];
	n = row_ids(inbox(fp, newest), ids, 64);
	for (size_t i = 1; i < n; i++)
		assert_true(ids[i - 1] > ids[i]);
	assert_int_equal(ids[n - 1], first_oldest);
	assert_int_equal(first_oldest,
			 id_of("SELECT min(id) FROM case_rec WHERE"
			       " owner_org_id = (SELECT id FROM organisation"
			       " WHERE name = ?)",
			       "DEMO Thai Union Centre"));
	/* Values that are not on the lists change nothing and break
	 * nothing. */
	/* clang-format off */
	static const char *const odd[] = {
		"status",   "x' OR 1=1 --",
		"category", "nope",
		"sort",     "sideways",
		"priority", "99",
		NULL,
	};
	/* clang-format on */
	assert_status(client_get(fp, query("/cases", odd)), 200);
	assert_false(lists(&fp->r, c_palm));
}

/* ---- who may see what --------------------------------------------------- */

static const char *const action_names[] = {
	"verify",  "reject", "status", "assign",  "priority", "triage",
	"message", "note",   "remedy", "contact", "attach",   "merge",
};

static const char *const action_fields[] = {
	"to",      "in_progress", "reason",   "spam",        "why",
	"test",    "assignee",    "me",       "priority",    "3",
	"kind",    "complaint",   "category", "wages",       "body",
	"hello",   "note",        "a note",   "remedy_kind", "apology",
	"on_date", "2026-01-01",  "place",    "office",      "who",
	"someone", "summary",     "met",      "into",        "1",
	NULL,
};

static void
test_cases_out_of_reach(void **state)
{
	(void)state;
	char ref[16];
	ref_of(c_canning, ref);
	/* Own case. */
	struct reply *r = page(fp, c_canning);
	assert_true(reply_has(r, ref));
	assert_true(reply_has(r, "DEMO Thai Union Centre"));

	/* A Malaysian case: as if it did not exist. */
	int64_t notes = site_int(site, "SELECT count(*) FROM case_note", NULL);
	int64_t palm_priority = case_int(c_palm, "priority");
	int64_t events =
		site_int(site, "SELECT count(*) FROM case_event", NULL);
	char mref[16];
	ref_of(c_palm, mref);
	char merge[96];
	snprintf(merge, sizeof merge, "/cases/%lld/merge?into=%s",
		 (long long)c_palm, ref);
	const char *const gets[] = {
		cpath(c_palm, NULL),      cpath(c_palm, "print"), merge,
		cpath(c_palm, "files/1"), "/cases/99999999",      "/cases/abc"};
	for (size_t i = 0; i < sizeof gets / sizeof gets[0]; i++) {
		r = client_get(fp, gets[i]);
		if (r->status != 404)
			print_error("GET %s\n", gets[i]);
		assert_status(r, 404);
		assert_false(reply_has(r, mref));
	}
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0];
	     i++) {
		r = act(fp, c_palm, action_names[i], action_fields);
		if (r->status != 404)
			print_error("POST %s\n",
				    cpath(c_palm, action_names[i]));
		assert_status(r, 404);
	}
	/* An unknown action on an own case, too. */
	assert_status(act(fp, c_canning, "explode", NULL), 404);
	assert_true(case_status_is(c_palm, "new"));
	assert_int_equal(case_int(c_palm, "priority"), palm_priority);
	assert_int_equal(site_int(site, "SELECT count(*) FROM case_note", NULL),
			 notes);
	assert_int_equal(
		site_int(site, "SELECT count(*) FROM case_event", NULL),
		events);
	/* Merging an own case into a Malaysian one. */
	char into[32];
	snprintf(into, sizeof into, "%lld", (long long)c_palm);
	const char *const kv[] = {"into", into, NULL};
	r = act(fp, c_canning, "merge", kv);
	assert_status(r, 400);
	assert_true(reply_has(r, "No case with that reference number is in "
				 "your reach."));
	assert_true(case_status_is(c_canning, "new"));

	/* A partner user: no inbox, no case. */
	assert_status(client_get(pu, "/cases"), 403);
	assert_status(client_get(pu, "/cases/new"), 403);
	assert_status(client_get(pu, cpath(c_canning, NULL)), 404);
	assert_status(client_get(pu, cpath(c_palm, NULL)), 404);
	assert_status(client_get(pu, cpath(c_palm, "print")), 404);
	assert_status(act(pu, c_palm, "note", action_fields), 404);
	assert_status(act(pu, c_canning, "verify", NULL), 404);
	assert_true(case_status_is(c_canning, "new"));
	assert_false(reply_has(client_get(pu, "/staff"), "href=\"/cases\""));
	assert_true(reply_has(client_get(fp, "/staff"), "href=\"/cases\""));
}

static void
test_admin_scopes(void **state)
{
	(void)state;
	/* A case the secretariat took itself, about Thailand. */
	/* clang-format off */
	static const char *const mine[] = {
		"mine",        "1",
		"description", "Secretariat case about a Thai employer 31a.",
		NULL,
	};
	/* clang-format on */
	assert_status(client_get(ra, "/cases/new"), 200);
	int64_t c_sec = intake(ra, mine, NULL);
	assert_int_equal(case_int(c_sec, "owner_org_id"), sec_org);
	/* A case of the Thai labour office (a second Thai organisation). */
	int64_t c_gov = intake(fp, NULL, NULL);
	char sql[160];
	snprintf(sql, sizeof sql,
		 "UPDATE case_rec SET owner_org_id = %lld, owner_country ="
		 " 'TH' WHERE id = %lld",
		 (long long)gov_th_org, (long long)c_gov);
	site_exec(site, sql);

	static const char *const all[] = {"status", "all", NULL};
	struct reply *r = inbox(aa, all);
	assert_true(lists(r, c_canning));
	assert_true(lists(r, c_gov));
	assert_false(lists(r, c_sec));
	assert_false(lists(r, c_palm));
	assert_status(client_get(aa, cpath(c_gov, NULL)), 200);
	assert_status(client_get(aa, cpath(c_canning, NULL)), 200);
	assert_status(client_get(aa, cpath(c_sec, NULL)), 404);
	assert_status(client_get(aa, cpath(c_sec, "print")), 404);
	assert_status(client_get(aa, cpath(c_palm, NULL)), 404);
	static const char *const note[] = {"note", "Seen by the admin.", NULL};
	act_ok(aa, c_gov, "note", note);
	assert_status(act(aa, c_sec, "note", note), 404);
	assert_status(act(aa, c_palm, "note", note), 404);

	/* The focal point: their own organisation only. */
	r = inbox(fp, all);
	assert_false(lists(r, c_gov));
	assert_false(lists(r, c_sec));
	assert_status(client_get(fp, cpath(c_gov, NULL)), 404);
	assert_status(client_get(fp, cpath(c_sec, NULL)), 404);

	/* The regional admin: everything. */
	r = inbox(ra, all);
	assert_true(lists(r, c_sec));
	assert_true(lists(r, c_gov));
	assert_true(lists(r, c_palm));
	const int64_t every[] = {c_sec, c_gov, c_palm, c_marina, c_canning};
	for (size_t i = 0; i < sizeof every / sizeof every[0]; i++)
		assert_status(client_get(ra, cpath(every[i], NULL)), 200);
	act_ok(ra, c_palm, "note", note);
}

/* ---- the workflow ----------------------------------------------------- */

static void
test_workflow(void **state)
{
	(void)state;
	int64_t id = c_walk = intake(fp, NULL, NULL);
	assert_true(case_status_is(id, "new"));
	act_ok(fp, id, "verify", NULL);
	assert_true(case_status_is(id, "verified"));

	/* No step may be skipped. */
	static const char *const closed[] = {"to", "closed", NULL};
	struct reply *r = act(fp, id, "status", closed);
	assert_status(r, 400);
	assert_true(reply_has(r, "This case cannot move to that status from "
				 "where it is now."));
	assert_true(reply_has(r, "That was not done"));
	assert_true(case_status_is(id, "verified"));
	static const char *const bogus[] = {"to", "finished", NULL};
	r = act(fp, id, "status", bogus);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please choose from the list."));
	r = act(fp, id, "verify", NULL); /* verified twice */
	assert_status(r, 400);

	static const char *const steps[] = {"in_progress", "resolved", "closed",
					    "in_progress"};
	for (size_t i = 0; i < 4; i++) {
		const char *const kv[] = {"to", steps[i], NULL};
		act_ok(fp, id, "status", kv);
		assert_true(case_status_is(id, steps[i]));
	}
	assert_int_equal(case_int(id, "is_open"), 1);
	r = page(fp, id);
	const char *tl = section(r, "id=\"tl-h\"", NULL);
	static const char *const shown[] = {
		"Case received",
		"Status changed — Verified",
		"Status changed — In progress",
		"Status changed — Resolved",
		"Status changed — Closed",
		"Case reopened — In progress",
	};
	const char *at = tl;
	for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
		const char *p = strstr(at, shown[i]);
		if (p == NULL)
			print_error("timeline lacks \"%s\" (in order)\n%s\n",
				    shown[i], tl);
		assert_non_null(p);
		at = p + 1;
	}
	/* Who did it. */
	assert_non_null(strstr(tl, "DEMO Focal Point (TH)"));
	assert_int_equal(audits("case.verify", id, fp_id), 1);
	assert_int_equal(audits("case.status", id, fp_id), 3);
	assert_int_equal(audits("case.reopen", id, fp_id), 1);

	/* Rejecting: needs a reason and why; only new or verified. */
	int64_t spam = c_spam = intake(fp, NULL, NULL);
	static const char *const no_reason[] = {"why", "typed why 81", NULL};
	r = act(fp, spam, "reject", no_reason);
	assert_status(r, 400);
	assert_true(reply_has(r, "Choose why: spam or a duplicate."));
	assert_true(reply_has(r, ">typed why 81</textarea>"));
	static const char *const reject[] = {"reason", "spam", "why",
					     "An advert for loans, no worker.",
					     NULL};
	act_ok(fp, spam, "reject", reject);
	assert_true(case_status_is(spam, "rejected"));
	r = page(fp, spam);
	assert_non_null(
		strcasestr(r->body, "<strong>Rejected</strong> (spam)"));
	assert_true(reply_has(r, "An advert for loans, no worker."));
	assert_status(act(fp, spam, "reject", reject), 400);
	assert_status(act(fp, id, "reject", reject), 400); /* in progress */
	assert_true(case_status_is(id, "in_progress"));
	assert_true(case_status_is(spam, "rejected"));
	/* Rejected by mistake: back to new. */
	static const char *const to_new[] = {"to", "new", NULL};
	act_ok(fp, spam, "status", to_new);
	assert_true(case_status_is(spam, "new"));
	assert_int_equal(audits("case.reject", spam, fp_id), 1);
}

/* A refused rejection says why, like every other refused action. */
static void
test_refused_reject_says_why(void **state)
{
	(void)state;
	assert_true(c_walk > 0);
	static const char *const reject[] = {"reason", "duplicate", "why",
					     "Same as another case.", NULL};
	struct reply *r = act(fp, c_walk, "reject", reject);
	assert_status(r, 400);
	assert_true(reply_has(r, "That was not done: see the message below."));
	if (!reply_has(r, "Only a new or verified case can be rejected."))
		print_error("POST %s: 400, but the page does not say why\n",
			    cpath(c_walk, "reject"));
	assert_true(reply_has(r, "Only a new or verified case can be "
				 "rejected."));
}

static void
test_assign_priority_remedy_triage(void **state)
{
	(void)state;
	static const char *const f[] = {"employer", "Alpha Original Employer",
					NULL};
	int64_t id = c_worked = intake(fp, f, NULL);

	/* Assigning: only to the owning organisation's staff. */
	char other[32], partner[32], me[32];
	snprintf(other, sizeof other, "%lld", (long long)fp_my_id);
	snprintf(partner, sizeof partner, "%lld", (long long)pu_id);
	snprintf(me, sizeof me, "%lld", (long long)fp_id);
	const char *const to_other[] = {"assignee", other, NULL};
	struct reply *r = act(fp, id, "assign", to_other);
	assert_status(r, 400);
	assert_true(reply_has(r, "Choose a person of the organisation that "
				 "owns this case."));
	const char *const to_partner[] = {"assignee", partner, NULL};
	assert_status(act(fp, id, "assign", to_partner), 400);
	static const char *const to_junk[] = {"assignee", "abc", NULL};
	assert_status(act(fp, id, "assign", to_junk), 400);
	assert_int_equal(case_int(id, "assignee_id IS NULL"), 1);
	const char *const to_me[] = {"assignee", me, NULL};
	act_ok(fp, id, "assign", to_me);
	assert_int_equal(case_int(id, "assignee_id"), fp_id);
	r = page(fp, id);
	assert_true(reply_has(r, "assigned to DEMO Focal Point (TH)"));
	assert_true(reply_has(r, "Assignment changed"));
	static const char *const mine[] = {"assignee", "me", NULL};
	assert_true(lists(inbox(fp, mine), id));
	static const char *const nobody[] = {"assignee", "nobody", NULL};
	assert_false(lists(inbox(fp, nobody), id));

	/* Priority. */
	static const char *const urgent[] = {"priority", "3", NULL};
	act_ok(fp, id, "priority", urgent);
	assert_int_equal(case_int(id, "priority"), 3);
	static const char *const nine[] = {"priority", "9", NULL};
	r = act(fp, id, "priority", nine);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please choose from the list."));
	assert_int_equal(case_int(id, "priority"), 3);
	static const char *const p3[] = {"priority", "3", NULL};
	assert_true(lists(inbox(fp, p3), id));
	assert_true(reply_has(page(fp, id), "Urgent"));

	/* The remedy, with an amount as people write it. */
	/* clang-format off */
	static const char *const remedy[] = {
		"remedy_kind",     "money_recovered",
		"remedy_amount",   "1,500.50",
		"remedy_currency", "THB",
		"remedy_date",     "2026-03-01",
		"remedy_note",     "Paid in cash at the office.",
		NULL,
	};
	/* clang-format on */
	act_ok(fp, id, "remedy", remedy);
	assert_int_equal(case_int(id, "remedy_amount"), 150050);
	r = page(fp, id);
	assert_true(reply_has(r, "1500.50 THB"));
	assert_true(reply_has(r, "Money recovered"));
	/* clang-format off */
	static const char *const bad_amount[] = {
		"remedy_kind",     "money_recovered",
		"remedy_amount",   "abc",
		"remedy_currency", "THB",
		"remedy_note",     "Typed remedy note 77",
		NULL,
	};
	/* clang-format on */
	r = act(fp, id, "remedy", bad_amount);
	assert_status(r, 400);
	assert_true(reply_has(r, "Write the amount in digits"));
	assert_true(reply_has(r, ">Typed remedy note 77</textarea>"));
	assert_string_equal(reply_input(r, "remedy_amount"), "abc");
	assert_int_equal(case_int(id, "remedy_amount"), 150050);
	/* clang-format off */
	static const char *const bad_currency[] = {
		"remedy_kind",     "money_recovered",
		"remedy_amount",   "10",
		"remedy_currency", "baht",
		NULL,
	};
	/* clang-format on */
	r = act(fp, id, "remedy", bad_currency);
	assert_status(r, 400);
	assert_true(reply_has(r, "three capital letters"));

	/* A face-to-face contact. */
	/* clang-format off */
	static const char *const meeting[] = {
		"on_date", "2026-03-02",
		"place",   "Mae Sot hub",
		"who",     "Worker and FP",
		"summary", "Met at the hub.",
		NULL,
	};
	/* clang-format on */
	act_ok(fp, id, "contact", meeting);
	r = page(fp, id);
	assert_true(reply_has(r, "Mae Sot hub"));
	assert_true(reply_has(r, "Met at the hub."));
	/* clang-format off */
	static const char *const bad_date[] = {
		"on_date", "02/03/2026",
		"place",   "Typed place 12",
		"who",     "Typed who",
		"summary", "Typed summary",
		NULL,
	};
	/* clang-format on */
	r = act(fp, id, "contact", bad_date);
	assert_status(r, 400);
	assert_true(reply_has(r, "Give the date as YYYY-MM-DD."));
	assert_string_equal(reply_input(r, "place"), "Typed place 12");
	assert_true(reply_has(r, ">Typed summary</textarea>"));

	/* A note and a message. */
	static const char *const note[] = {"note", "Internal note 5521.", NULL};
	act_ok(fp, id, "note", note);
	static const char *const msg[] = {"body", "We will call the employer.",
					  NULL};
	act_ok(fp, id, "message", msg);
	r = page(fp, id);
	assert_non_null(strstr(section(r, "id=\"note-h\"", "id=\"files-h\""),
			       "Internal note 5521."));
	assert_non_null(strstr(section(r, "id=\"msg-h\"", "id=\"note-h\""),
			       "We will call the employer."));
	static const char *const no_msg[] = {"body", "", NULL};
	r = act(fp, id, "message", no_msg);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please fill in this field."));

	/* Triage: a new employer, found by search; the old one is not. */
	/* clang-format off */
	static const char *const triage[] = {
		"kind",         "complaint",
		"category",     "wages",
		"sector",       "fishing",
		"country_work", "TH",
		"employer",     "Zeta Unique Employer 4242",
		"agency",       "",
		NULL,
	};
	/* clang-format on */
	act_ok(fp, id, "triage", triage);
	assert_int_equal(
		id_of("SELECT count(*) FROM case_rec WHERE employer = ?",
		      "Zeta Unique Employer 4242"),
		1);
	assert_true(reply_has(page(fp, id), "Details updated"));
	static const char *const q_new[] = {"q", "Zeta Unique", NULL};
	assert_true(lists(inbox(fp, q_new), id));
	static const char *const q_old[] = {"q", "Alpha Original", NULL};
	assert_false(lists(inbox(fp, q_old), id));
	static const char *const bad_triage[] = {"kind", "complaint",
						 "category", "lottery", NULL};
	r = act(fp, id, "triage", bad_triage);
	assert_status(r, 400);
	assert_int_equal(
		id_of("SELECT count(*) FROM case_rec WHERE employer = ?",
		      "Zeta Unique Employer 4242"),
		1);

	const char *const done[] = {
		"case.assign", "case.priority", "case.remedy", "case.contact",
		"case.note",   "case.message",  "case.triage"};
	for (size_t i = 0; i < sizeof done / sizeof done[0]; i++) {
		if (audits(done[i], id, fp_id) != 1)
			print_error("audit %s: %lld\n", done[i],
				    (long long)audits(done[i], id, fp_id));
		assert_int_equal(audits(done[i], id, fp_id), 1);
	}
}

/* A refused note shows its message beside the note, not the message
 * form. */
static void
test_refused_note_shows_by_the_note(void **state)
{
	(void)state;
	assert_true(c_worked > 0);
	static const char *const empty[] = {"note", "", NULL};
	struct reply *r = act(fp, c_worked, "note", empty);
	assert_status(r, 400);
	const char *notes = section(r, "id=\"note-h\"", "id=\"files-h\"");
	const char *msgs = section(r, "id=\"msg-h\"", "id=\"note-h\"");
	if (strstr(notes, "field-error") == NULL)
		print_error("the note's error is not in the notes section%s\n",
			    strstr(msgs, "field-error")
				    ? " (it is shown by the message form)"
				    : "");
	assert_non_null(strstr(notes, "field-error"));
	assert_null(strstr(msgs, "field-error"));
}

/* Text of nothing but spaces is no message and no note. */
static void
test_blank_texts_refused(void **state)
{
	(void)state;
	assert_true(c_worked > 0);
	int64_t msgs =
		site_int(site, "SELECT count(*) FROM case_message", NULL);
	int64_t notes = site_int(site, "SELECT count(*) FROM case_note", NULL);
	static const char *const blank_msg[] = {"body", "   \r\n  ", NULL};
	long m = act(fp, c_worked, "message", blank_msg)->status;
	static const char *const blank_note[] = {"note", "   ", NULL};
	long n = act(fp, c_worked, "note", blank_note)->status;
	if (m != 400 || n != 400)
		print_error("a message of spaces: %ld, a note of spaces: %ld "
			    "(400 expected)\n",
			    m, n);
	assert_int_equal(m, 400);
	assert_int_equal(n, 400);
	assert_int_equal(
		site_int(site, "SELECT count(*) FROM case_message", NULL),
		msgs);
	assert_int_equal(site_int(site, "SELECT count(*) FROM case_note", NULL),
			 notes);
}

/* ---- evidence from staff --------------------------------------------------
 */

static struct reply *
attach(struct client *c, int64_t id, const char *name, const char *data,
       size_t len, const char *type, bool shown)
{
	struct form_part parts[3] = {
		{.name = "csrf", .value = c->csrf},
		{.name = "evidence",
		 .value = data,
		 .len = len,
		 .filename = name,
		 .type = type},
		{.name = "shown", .value = "1"},
	};
	return client_post_multipart(c, cpath(id, "attach"), parts,
				     shown ? 3 : 2);
}

static void
test_staff_attachments(void **state)
{
	(void)state;
	struct client *f = client_new(side_start());
	client_sign_in(f, FP_TH_EMAIL, DEMO_PW);
	struct created cr;
	int64_t id = c_attached = intake(f, NULL, &cr);
	struct client *w = client_new(side);
	assert_status(client_get(w, "/track"), 200);
	assert_redirect(client_post(w, "/track", "reference", cr.ref, "pin",
				    cr.pin, NULL),
			"/track/case");

	/* Internal unless said otherwise. */
	page(f, id);
	struct reply *r =
		attach(f, id, "scan.jpg", jpg, jpg_len, "image/jpeg", false);
	assert_redirect(r, cpath(id, NULL));
	char sql[128];
	snprintf(sql, sizeof sql,
		 "SELECT max(id) FROM case_attachment WHERE case_id = %lld",
		 (long long)id);
	att_internal = site_int(site, sql, NULL);
	snprintf(sql, sizeof sql,
		 "SELECT internal FROM case_attachment WHERE id = %lld",
		 (long long)att_internal);
	assert_int_equal(site_int(site, sql, NULL), 1);
	r = page(f, id);
	assert_true(reply_has(r, "scan.jpg"));
	assert_true(reply_has(r, "· internal"));
	r = client_get(w, "/track/case");
	assert_status(r, 200);
	assert_false(reply_has(r, "/track/files/"));
	assert_false(reply_has(r, "scan.jpg"));
	char wpath[64];
	snprintf(wpath, sizeof wpath, "/track/files/%lld",
		 (long long)att_internal);
	assert_status(client_get(w, wpath), 404);
	/* Not through another case's address. */
	char spath[96];
	snprintf(spath, sizeof spath, "/cases/%lld/files/%lld",
		 (long long)c_canning, (long long)att_internal);
	assert_status(client_get(f, spath), 404);

	/* Shown to the worker when ticked. */
	page(f, id);
	r = attach(f, id, "letter.pdf", pdf, pdf_len, "application/pdf", true);
	assert_redirect(r, cpath(id, NULL));
	r = client_get(w, "/track/case");
	assert_status(r, 200);
	assert_true(reply_has(r, "letter.pdf"));
	assert_false(reply_has(r, "scan.jpg"));
	assert_true(reply_has(r, "A file was added."));
	char *p = strstr(r->body, "href=\"/track/files/");
	assert_non_null(p);
	int64_t shown = strtoll(p + strlen("href=\"/track/files/"), NULL, 10);

	/* Refusals. */
	page(f, id);
	struct form_part only_csrf[] = {{.name = "csrf", .value = f->csrf}};
	r = client_post_multipart(f, cpath(id, "attach"), only_csrf, 1);
	assert_status(r, 400);
	assert_true(reply_has(r, "Choose a file first."));
	page(f, id);
	r = attach(f, id, "not-a-photo.jpg", txt, txt_len, "image/jpeg", false);
	assert_status(r, 400);
	assert_true(reply_has(r, "This kind of file cannot be added."));
	assert_int_equal(audits("case.attach", id, fp_id), 2);

	/* Last, the downloads: staff get the photo, cleaned … */
	snprintf(spath, sizeof spath, "/cases/%lld/files/%lld", (long long)id,
		 (long long)att_internal);
	r = client_get(f, spath);
	assert_status(r, 200);
	assert_memory_equal(r->body, "\xFF\xD8\xFF", 3);
	assert_null(memmem(r->body, r->len, "GPSLatitude", 11));
	assert_true(audits("case.file", id, fp_id) >= 1);
	/* … and the worker the file they may see. */
	snprintf(wpath, sizeof wpath, "/track/files/%lld", (long long)shown);
	r = client_get(w, wpath);
	assert_status(r, 200);
	assert_memory_equal(r->body, "%PDF", 4);
	client_free(w);
	client_free(f);
	side_stop();
}

/* What a staff download says about itself. */
static void
test_staff_download_headers(void **state)
{
	(void)state;
	assert_true(att_internal > 0);
	struct client *f = client_new(side_start());
	client_sign_in(f, FP_TH_EMAIL, DEMO_PW);
	char spath[96];
	snprintf(spath, sizeof spath, "/cases/%lld/files/%lld",
		 (long long)c_attached, (long long)att_internal);
	struct reply *r = client_get(f, spath);
	assert_status(r, 200);
	const char *type = reply_header(r, "Content-Type");
	const char *disp = reply_header(r, "Content-Disposition");
	char want[96];
	snprintf(want, sizeof want,
		 "attachment; filename=\"case-%lld-file-%lld.jpg\"",
		 (long long)c_attached, (long long)att_internal);
	if (type == NULL || !str_eq(type, "image/jpeg"))
		print_error("%s: Content-Type \"%s\"\n", spath,
			    printable(type));
	bool ok = disp != NULL && str_eq(disp, want) && type != NULL &&
		  str_eq(type, "image/jpeg");
	client_free(f);
	side_stop();
	assert_true(ok);
}

/* ---- merging ------------------------------------------------------------ */

static void
test_merge(void **state)
{
	(void)state;
	/* clang-format off */
	static const char *const a_fields[] = {
		"contact_method",  "phone",
		"contact",         "+66 89 123 4567",
		"consent_contact", "1",
		"description",     "First call: no pay for the rice harvest.",
		NULL,
	};
	/* clang-format on */
	/* clang-format off */
	static const char *const b_fields[] = {
		"contact_method",  "phone",
		"contact",         "66-89-123-4567",
		"consent_contact", "1",
		"description",     "Second call about the harvest work, again.",
		NULL,
	};
	/* clang-format on */
	struct created a, b;
	c_merged_into = intake(fp, a_fields, &a);
	c_merged = intake(fp, b_fields, &b);

	struct reply *r = page(fp, a.id);
	const char *dups = section(r, "id=\"dup-h\"", "</section>");
	if (strstr(dups, b.ref) == NULL)
		print_error("case %s does not list %s as a duplicate\n", a.ref,
			    b.ref);
	assert_non_null(strstr(dups, "Possible duplicates"));
	assert_non_null(strstr(dups, b.ref));
	char link[96];
	snprintf(link, sizeof link, "href=\"/cases/%lld/merge?into=%s\"",
		 (long long)b.id, a.ref);
	assert_non_null(strstr(dups, link));

	char path[96];
	snprintf(path, sizeof path, "/cases/%lld/merge?into=%s",
		 (long long)b.id, a.ref);
	r = client_get(fp, path);
	assert_status(r, 200);
	char title[96];
	snprintf(title, sizeof title, "Merge case %s into case %s?", b.ref,
		 a.ref);
	assert_true(reply_has(r, title));
	assert_true(reply_has(r, "First call: no pay for the rice harvest."));
	assert_true(reply_has(r, "Second call about the harvest work"));
	char into[32];
	snprintf(into, sizeof into, "%lld", (long long)a.id);
	assert_string_equal(reply_input(r, "into"), into);
	/* A reference out of reach, or none: back to the case. */
	char mref[16];
	ref_of(c_palm, mref);
	snprintf(path, sizeof path, "/cases/%lld/merge?into=%s",
		 (long long)b.id, mref);
	assert_redirect(client_get(fp, path), cpath(b.id, NULL));
	snprintf(path, sizeof path, "/cases/%lld/merge?into=123",
		 (long long)b.id);
	assert_redirect(client_get(fp, path), cpath(b.id, NULL));

	/* Not into itself. */
	char self[32];
	snprintf(self, sizeof self, "%lld", (long long)b.id);
	const char *const to_self[] = {"into", self, NULL};
	r = act(fp, b.id, "merge", to_self);
	assert_status(r, 400);
	assert_true(reply_has(r, "A case cannot be merged into itself."));

	const char *const kv[] = {"into", into, NULL};
	client_get(fp, cpath(b.id, NULL));
	r = act(fp, b.id, "merge", kv);
	assert_redirect(r, cpath(a.id, NULL));
	assert_true(case_status_is(b.id, "merged"));
	assert_int_equal(case_int(b.id, "merged_into"), a.id);
	assert_int_equal(case_int(b.id, "is_open"), 0);

	r = page(fp, a.id);
	const char *tl = section(r, "id=\"tl-h\"", NULL);
	char want[96];
	snprintf(want, sizeof want,
		 "Another case was merged into this one — %s", b.ref);
	if (strstr(tl, want) == NULL)
		print_error("timeline of %s:\n%s\n", a.ref, tl);
	assert_non_null(strstr(tl, want));
	r = page(fp, b.id);
	snprintf(want, sizeof want, "This case was merged into case %s.",
		 a.ref);
	assert_true(reply_has(r, want));
	assert_true(reply_has(r, "Merged into another case"));

	/* Into a merged case: refused. */
	int64_t c = intake(fp, NULL, NULL);
	const char *const into_merged[] = {"into", self, NULL};
	r = act(fp, c, "merge", into_merged);
	assert_status(r, 400);
	assert_true(reply_has(r, "Merge into a case that is still open."));
	assert_int_equal(audits("case.merge", b.id, fp_id), 1);
	assert_int_equal(audits("case.merge_into", a.id, fp_id), 1);
}

/* ---- staff intake ---------------------------------------------------------
 */

static void
test_staff_intake(void **state)
{
	(void)state;
	struct reply *r = client_get(fp, "/cases/new");
	assert_status(r, 200);
	assert_true(reply_has(r, "<option value=\"hotline\" selected>"));
	assert_true(
		reply_has(r, "<form method=\"post\" action=\"/cases/new\""));
	int64_t before = site_int(site, "SELECT count(*) FROM case_rec", NULL);

	static const char *const walk_in[] = {
		"channel",         "walk_in", "name",    "Walk-in Worker",
		"contact_method",  "phone",   "contact", "+66 81 555 0199",
		"consent_contact", "1",       NULL,
	};
	struct created cr;
	int64_t id = intake(fp, walk_in, &cr);
	assert_int_equal(case_int(id, "channel = 'walk_in'"), 1);
	assert_int_equal(case_int(id, "created_by"), fp_id);
	assert_int_equal(case_int(id, "owner_org_id"), th_org);
	r = page(fp, id);
	assert_true(reply_has(r, "Walk-in at an office or hub"));
	assert_true(reply_has(r, "Walk-in Worker"));
	assert_true(reply_has(r, "+66 81 555 0199"));
	/* The worker can open it with what staff read out. */
	struct client *w = client_new(srv);
	assert_status(client_get(w, "/track"), 200);
	assert_redirect(client_post(w, "/track", "reference", cr.ref, "pin",
				    cr.pin, NULL),
			"/track/case");
	client_free(w);
	/* Routed by the rules unless "mine": a Malaysian case goes to
	 * Malaysia. */
	static const char *const abroad[] = {"country_work", "MY", NULL};
	int64_t my = intake(fp, abroad, NULL);
	assert_int_equal(case_int(my, "owner_country = 'MY'"), 1);
	assert_status(client_get(fp, cpath(my, NULL)), 404);
	static const char *const abroad_mine[] = {"country_work", "MY", "mine",
						  "1", NULL};
	int64_t kept = intake(fp, abroad_mine, NULL);
	assert_int_equal(case_int(kept, "owner_org_id"), th_org);

	/* Mistakes: all of them at once, with what was typed. */
	/* clang-format off */
	static const char *const bad[] = {
		"description",     "",
		"employer",        "Typed Employer 31",
		"agency",          "Typed Agency 32",
		"name",            "Typed Name 33",
		"contact_method",  "phone",
		"contact",         "abc",
		"consent_contact", "1",
		"started_on",      "March",
		NULL,
	};
	/* clang-format on */
	r = post_intake(fp, bad);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please correct the fields marked below."));
	assert_true(reply_has(r, "Please fill in this field."));
	assert_true(reply_has(r, "Write a phone number with its digits"));
	assert_true(reply_has(r, "Give a month like 2026-03"));
	assert_string_equal(reply_input(r, "employer"), "Typed Employer 31");
	assert_string_equal(reply_input(r, "agency"), "Typed Agency 32");
	assert_string_equal(reply_input(r, "name"), "Typed Name 33");
	assert_string_equal(reply_input(r, "contact"), "abc");
	assert_string_equal(reply_input(r, "started_on"), "March");
	assert_true(reply_has(r, "<option value=\"phone\" selected>"));
	assert_true(reply_has(r, "<option value=\"hotline\" selected>"));
	static const char *const pigeon[] = {"channel", "pigeon", NULL};
	r = post_intake(fp, pigeon);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please choose how the case came in."));
	assert_int_equal(site_int(site, "SELECT count(*) FROM case_rec", NULL),
			 before + 3);
	assert_int_equal(audits("case.create", id, fp_id), 1);
}

/* ---- the printable summary ------------------------------------------------
 */

static void
test_print(void **state)
{
	(void)state;
	assert_true(c_worked > 0);
	struct reply *r = client_get(fp, cpath(c_worked, "print"));
	assert_status(r, 200);
	assert_true(reply_has(r, "The caller says the overtime was never "
				 "paid."));
	assert_true(reply_has(r, "We will call the employer."));
	assert_true(reply_has(r, "Zeta Unique Employer 4242"));
	assert_true(reply_has(r, "1500.50 THB"));
	assert_true(reply_has(r, "Printed"));
	assert_false(reply_has(r, "Internal note 5521."));
	assert_true(reply_has(r, "href=\"/cases/"));
	r = client_get(fp, query(cpath(c_worked, "print"),
				 (const char *const[]){"notes", "1", NULL}));
	assert_status(r, 200);
	assert_true(reply_has(r, "Internal note 5521."));
	assert_true(reply_has(r, "Internal notes"));
	assert_int_equal(audits("case.print", c_worked, fp_id), 2);
	/* The rejection's explanation is a note too. */
	r = client_get(fp, cpath(c_spam, "print"));
	assert_status(r, 200);
	assert_false(reply_has(r, "An advert for loans"));
	r = client_get(fp, query(cpath(c_spam, "print"),
				 (const char *const[]){"notes", "1", NULL}));
	assert_true(reply_has(r, "An advert for loans"));
}

/* ---- audit ----------------------------------------------------------------
 */

static void
test_audit(void **state)
{
	(void)state;
	int64_t before = audits("case.view", c_canning, fp_id);
	page(fp, c_canning);
	assert_int_equal(audits("case.view", c_canning, fp_id), before + 1);
	/* Who read it, from where. */
	struct db_stmt *st = db_query(
		site->db,
		"SELECT actor_label, target_org_id, address FROM audit_log"
		" WHERE action = 'case.view' AND target_id = ?"
		" ORDER BY id DESC LIMIT 1",
		"i", c_canning);
	assert_true(db_step(st));
	assert_string_equal(db_col_text(st, 0), FP_TH_EMAIL);
	assert_int_equal(db_col_int(st, 1), th_org);
	assert_string_equal(db_col_text(st, 2), "127.0.0.1");
	db_finalize(st);
	/* A refused view of another organisation's case is no read. */
	int64_t palm = audits("case.view", c_palm, fp_id);
	assert_status(client_get(fp, cpath(c_palm, NULL)), 404);
	assert_int_equal(audits("case.view", c_palm, fp_id), palm);
	/* Listing reads no case. */
	int64_t views = site_int(site,
				 "SELECT count(*) FROM audit_log WHERE"
				 " action = 'case.view'",
				 NULL);
	inbox(fp, (const char *const[]){"status", "all", NULL});
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM audit_log WHERE"
				  " action = 'case.view'",
				  NULL),
			 views);

	/* The chain holds, with the server still running. */
	struct proc_result pr;
	const char *argv[] = {"audit", "verify", "--db", site->db_path, NULL};
	proc_run(argv, NULL, &pr);
	if (pr.status != 0)
		print_error("atis audit verify: %s%s\n", pr.out, pr.err);
	assert_int_equal(pr.status, 0);
	assert_non_null(strstr(pr.out, "audit log intact"));
	proc_result_release(&pr);
}

/* ---- CSRF -----------------------------------------------------------------
 */

static void
test_csrf(void **state)
{
	(void)state;
	int64_t id = intake(fp, NULL, NULL);
	int64_t events =
		site_int(site, "SELECT count(*) FROM case_event", NULL);
	int wrong = 0;
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0];
	     i++) {
		const char *path = cpath(id, action_names[i]);
		long none = post_kv(fp, path, NULL, action_fields)->status;
		long bad = post_kv(fp, path,
				   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
				   "AAAAAAA",
				   action_fields)
				   ->status;
		if (none != 403 || bad != 403) {
			print_error("POST %s without a token: %ld, with a "
				    "wrong one: %ld\n",
				    path, none, bad);
			wrong++;
		}
	}
	/* The form of the worker's intake is not a staff one: staff intake
	 * is refused too. */
	long st = post_kv(fp, "/cases/new", NULL, intake_defaults)->status;
	if (st != 403) {
		print_error("POST /cases/new without a token: %ld\n", st);
		wrong++;
	}
	struct form_part file[] = {{.name = "evidence",
				    .value = pdf,
				    .len = pdf_len,
				    .filename = "x.pdf",
				    .type = "application/pdf"}};
	st = client_post_multipart(fp, cpath(id, "attach"), file, 1)->status;
	if (st != 403) {
		print_error("POST attach without a token: %ld\n", st);
		wrong++;
	}
	/* Another user's token is not this one's. */
	page(aa, c_canning);
	char other[64];
	snprintf(other, sizeof other, "%s", aa->csrf);
	st = post_kv(fp, cpath(id, "verify"), other, NULL)->status;
	if (st != 403) {
		print_error("POST verify with another user's token: %ld\n", st);
		wrong++;
	}
	assert_int_equal(wrong, 0);
	assert_true(case_status_is(id, "new"));
	assert_int_equal(
		site_int(site, "SELECT count(*) FROM case_event", NULL),
		events);
	/* And with it, it works. */
	page(fp, id);
	act_ok(fp, id, "verify", NULL);
}

/* The flash messages the case actions promise after their redirect. */
static void
test_action_flash_messages(void **state)
{
	(void)state;
	int64_t id = intake(fp, NULL, NULL);
	act_ok(fp, id, "verify", NULL);
	struct reply *r = page(fp, id);
	bool verified = reply_has(r, "The case is verified.");
	static const char *const note[] = {"note", "Flash note.", NULL};
	act_ok(fp, id, "note", note);
	r = page(fp, id);
	bool noted = reply_has(r, "The note is saved.");
	if (!verified || !noted)
		print_error("after an action, the case page shows no flash "
			    "(\"The case is verified.\": %s, \"The note is "
			    "saved.\": %s)\n",
			    verified ? "yes" : "no", noted ? "yes" : "no");
	assert_true(verified);
	assert_true(noted);
}

/* ---- pages of the inbox ---------------------------------------------------
 */

static void
test_pagination(void **state)
{
	(void)state;
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM case_rec WHERE owner_org_id = %lld"
		 " AND is_open = 1",
		 (long long)th_org);
	int64_t open = site_int(site, sql, NULL);
	for (; open < 27; open++)
		intake(fp, NULL, NULL);
	struct reply *r = inbox(fp, (const char *const[]){NULL});
	int64_t ids[64];
	assert_int_equal(row_ids(r, ids, 64), 25);
	char want[64];
	snprintf(want, sizeof want, "%lld found · page 1 of 2",
		 (long long)open);
	assert_true(reply_has(r, want));
	assert_true(reply_has(r, "<a href=\"/cases?page=2\" rel=\"next\">"));
	assert_false(reply_has(r, "rel=\"prev\""));
	int64_t first_page_last = ids[24];
	r = inbox(fp, (const char *const[]){"page", "2", NULL});
	size_t n = row_ids(r, ids, 64);
	assert_int_equal((int64_t)n, open - 25);
	assert_true(ids[0] < first_page_last);
	assert_true(reply_has(r, "rel=\"prev\""));
	assert_false(reply_has(r, "rel=\"next\""));
	/* The filters ride along. */
	r = inbox(fp, (const char *const[]){"category", "wages", NULL});
	if (reply_has(r, "rel=\"next\""))
		assert_true(reply_has(r, "category=wages&amp;page=2"));
	/* Past the end: an empty page, not an error. */
	r = inbox(fp, (const char *const[]){"page", "9", NULL});
	assert_int_equal(row_ids(r, ids, 64), 0);
}

static void
test_server_stops_cleanly(void **state)
{
	(void)state;
	int rc = server_stop(srv);
	srv = NULL;
	assert_int_equal(rc, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* First, while only the demo cases exist. */
		cmocka_unit_test(test_inbox_scope),
		cmocka_unit_test(test_inbox_search),
		cmocka_unit_test(test_inbox_filters_and_order),
		cmocka_unit_test(test_cases_out_of_reach),
		cmocka_unit_test(test_admin_scopes),
		cmocka_unit_test(test_workflow),
		cmocka_unit_test(test_refused_reject_says_why),
		cmocka_unit_test(test_assign_priority_remedy_triage),
		cmocka_unit_test(test_refused_note_shows_by_the_note),
		cmocka_unit_test(test_blank_texts_refused),
		cmocka_unit_test(test_staff_attachments),
		cmocka_unit_test(test_staff_download_headers),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_staff_intake),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_action_flash_messages),
		cmocka_unit_test(test_pagination),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("staff side of cases", tests, setup,
					   teardown);
}
