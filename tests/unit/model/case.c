/*
 * Tests for src/model/case*.c, through model/case.h only, against a real
 * migrated database (no mocks):
 *   - the workflow matrix, written out below as data, and what
 *     case_set_status, case_verify and case_reject do to a case;
 *   - references (check digit) and PINs (hashed, throttled);
 *   - intake: validation per field, routing, priority and deadline,
 *     sealing of what the worker wrote, contact hashes;
 *   - the worker's view against the staff view;
 *   - staff actions: assign, priority, remedy, contacts, triage;
 *   - the inbox: scope per role, filters, sort, paging, search;
 *   - duplicates and merging, escalation and the counts;
 *   - the audit entry each action writes, and the chain at the end.
 *
 * case_create costs one Argon2id hash (~75 ms): the tests create about
 * sixty cases in all (some 7 s).
 *
 * Two tests, test_bug_*, show bugs of the model and fail until it is
 * fixed; each says what is wrong above it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/str.h"
#include "model/audit.h"
#include "model/case.h"
#include "model/routing.h"
#include "unit/model/fixture.h"

#define CANARY "CANARY-XYZZY"

/* ---- helpers ---------------------------------------------------------- */

static char *
repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

static const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int64_t
jint(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

/* An actor as the session would build it. */
static struct actor
actor(int64_t user_id, int64_t org_id, const char *country, enum role role,
      bool secretariat, const char *label)
{
	struct actor a = {.user_id = user_id,
			  .org_id = org_id,
			  .role = role,
			  .secretariat = secretariat,
			  .label = label,
			  .address = "192.0.2.10"};
	snprintf(a.country, sizeof a.country, "%s", country);
	return a;
}

/* The public: a worker on the web form or their case page. */
static struct actor
public_actor(void)
{
	struct actor a = {.role = ROLE_NONE,
			  .label = "public",
			  .address = "198.51.100.1"};
	return a;
}

/*
 * The organisations and people of most tests:
 *   th      the affiliate in Thailand
 *   th_cso  another organisation in Thailand (a CSO)
 *   mm      the affiliate in Myanmar
 *   sg      the regional secretariat, in Singapore
 */
struct world {
	int64_t th, th_cso, mm, sg;
	struct actor fp_th, fp_th2, admin_th, partner_th, fp_cso, fp_mm,
		regional, fp_sg, partner_sg, worker;
};

static struct actor
add_user(struct db *db, int64_t org, const char *country, const char *email,
	 enum role role, bool secretariat)
{
	int64_t id = fixture_user(db, org, email, role, "x");
	assert_true(id > 0);
	return actor(id, org, country, role, secretariat, email);
}

static void
world_init(struct fixture *f, struct world *w)
{
	struct db *db = f->db;
	w->sg = fixture_org(db, "Regional Secretariat", "regional_secretariat",
			    "SG");
	w->th = fixture_org(db, "Thai Labour Congress", "affiliate", "TH");
	w->th_cso = fixture_org(db, "Bangkok Workers Network", "cso", "TH");
	w->mm = fixture_org(db, "Myanmar Trade Union Confederation",
			    "affiliate", "MM");
	assert_true(w->sg > 0 && w->th > 0 && w->th_cso > 0 && w->mm > 0);
	w->fp_th = add_user(db, w->th, "TH", "fp.th@example.org",
			    ROLE_FOCAL_POINT, false);
	w->fp_th2 = add_user(db, w->th, "TH", "fp2.th@example.org",
			     ROLE_FOCAL_POINT, false);
	w->admin_th = add_user(db, w->th, "TH", "admin.th@example.org",
			       ROLE_AFFILIATE_ADMIN, false);
	w->partner_th = add_user(db, w->th, "TH", "partner.th@example.org",
				 ROLE_PARTNER_USER, false);
	w->fp_cso = add_user(db, w->th_cso, "TH", "fp.cso@example.org",
			     ROLE_FOCAL_POINT, false);
	w->fp_mm = add_user(db, w->mm, "MM", "fp.mm@example.org",
			    ROLE_FOCAL_POINT, false);
	w->regional = add_user(db, w->sg, "SG", "regional@example.org",
			       ROLE_REGIONAL_ADMIN, true);
	w->fp_sg = add_user(db, w->sg, "SG", "fp.sg@example.org",
			    ROLE_FOCAL_POINT, true);
	w->partner_sg = add_user(db, w->sg, "SG", "partner.sg@example.org",
				 ROLE_PARTNER_USER, true);
	w->worker = public_actor();
}

/* A valid intake: a wage complaint from Myanmar about work in Thailand,
 * anonymous. */
static struct case_input
input(const char *description)
{
	struct case_input in = {
		.kind = "complaint",
		.category = "wages",
		.description = description,
		.country_work = "TH",
		.country_origin = "MM",
		.sector = "",
		.employer = "",
		.agency = "",
		.started_on = "",
		.language = "en",
		.gender = "",
		.name = "",
		.contact_method = "none",
		.contact = "",
		.channel = "web",
	};
	return in;
}

/* case_create that must succeed; ref and pin may be NULL. */
static int64_t
create(struct fixture *f, const struct actor *who, const struct case_input *in,
       char *ref, char *pin)
{
	char r[CASE_REFERENCE_LEN + 1], p[CASE_PIN_LEN + 1];
	struct check c = {0};
	int64_t id = 0;
	enum err rc = case_create(f->db, &f->keys, who, in, &c, &id, r, p);
	if (rc != ERR_OK)
		fail_msg("case_create: %s (%s: %s)", err_str(rc),
			 c.n ? c.items[0].field : "-",
			 c.n ? c.items[0].msgid : "-");
	assert_true(id > 0);
	if (ref)
		memcpy(ref, r, sizeof r);
	if (pin)
		memcpy(pin, p, sizeof p);
	return id;
}

static int64_t
create_simple(struct fixture *f, const char *description)
{
	struct actor pub = public_actor();
	struct case_input in = input(description);
	return create(f, &pub, &in, NULL, NULL);
}

/* One integer column of a case; `col` is the test's own text. */
static int64_t
col_int(struct db *db, const char *col, int64_t id)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT %s FROM case_rec WHERE id = ?", col);
	int64_t v = -1;
	assert_int_equal(db_query_int(db, &v, sql, "i", id), ERR_OK);
	return v;
}

static bool
col_is_null(struct db *db, const char *col, int64_t id)
{
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT %s IS NULL FROM case_rec WHERE id = ?", col);
	int64_t v = -1;
	assert_int_equal(db_query_int(db, &v, sql, "i", id), ERR_OK);
	return v != 0;
}

/* One text column of a case (malloc'd). */
static char *
col_text(struct db *db, const char *col, int64_t id)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT %s FROM case_rec WHERE id = ?", col);
	struct db_stmt *st = db_query(db, sql, "i", id);
	assert_non_null(st);
	assert_true(db_step(st));
	char *s = strdup(db_col_text(st, 0) ? db_col_text(st, 0) : "");
	db_finalize(st);
	return s;
}

static char *
status_of(struct db *db, int64_t id)
{
	return col_text(db, "status", id);
}

static void
expect_status(struct db *db, int64_t id, const char *want)
{
	char *s = status_of(db, id);
	if (strcmp(s, want) != 0)
		fail_msg("case %lld: status %s, want %s", (long long)id, s,
			 want);
	free(s);
}

/* Timeline events of one case (not merged ones) of a kind. */
static int64_t
events(struct db *db, int64_t id, const char *kind)
{
	int64_t n = -1;
	assert_int_equal(db_query_int(db, &n,
				      "SELECT count(*) FROM case_event WHERE"
				      " case_id = ? AND kind = ?",
				      "it", id, kind),
			 ERR_OK);
	return n;
}

static int64_t
all_events(struct db *db, int64_t id)
{
	int64_t n = -1;
	assert_int_equal(db_query_int(db, &n,
				      "SELECT count(*) FROM case_event WHERE"
				      " case_id = ?",
				      "i", id),
			 ERR_OK);
	return n;
}

/* Audit entries with this action about this case. */
static int64_t
audits(struct db *db, const char *action, int64_t id)
{
	int64_t n = -1;
	assert_int_equal(db_query_int(db, &n,
				      "SELECT count(*) FROM audit_log WHERE"
				      " action = ? AND target_type = 'case'"
				      " AND target_id = ?",
				      "ti", action, id),
			 ERR_OK);
	return n;
}

static int64_t
audit_rows(struct db *db)
{
	return fixture_count(db, "SELECT count(*) FROM audit_log", NULL);
}

/* The chain is intact and holds every row. */
static void
audit_intact(struct db *db)
{
	int64_t count = -1, bad = -1;
	struct buf msg;
	buf_init(&msg, 0);
	enum err rc = audit_verify(db, &count, &bad, &msg);
	if (rc != ERR_OK)
		fail_msg("audit_verify: %s", buf_cstr(&msg));
	assert_int_equal(count, audit_rows(db));
	assert_true(count > 0);
	buf_release(&msg);
}

/* True when an array of events holds one of this kind. */
static bool
has_kind(const json_t *evs, const char *kind)
{
	size_t i;
	json_t *e;
	json_array_foreach (evs, i, e)
		if (strcmp(jstr(e, "kind"), kind) == 0)
			return true;
	return false;
}

/* db_contains names where it finds what it should not, unless told. */
static bool scan_quiet;

/* How many values anywhere in the database (every column of every
 * table, the search index's own tables included) contain `needle`. */
static int64_t
db_contains(struct db *db, const char *needle)
{
	char *tables[64];
	size_t nt = 0;
	struct db_stmt *st = db_query(db,
				      "SELECT name FROM sqlite_schema WHERE"
				      " type = 'table' AND sql NOT LIKE"
				      " 'CREATE VIRTUAL%'",
				      "");
	assert_non_null(st);
	while (db_step(st) && nt < 64)
		tables[nt++] = strdup(db_col_text(st, 0));
	db_finalize(st);
	assert_true(nt > 10);
	int64_t hits = 0;
	for (size_t t = 0; t < nt; t++) {
		char *cols[64];
		size_t nc = 0;
		st = db_query(db, "SELECT name FROM pragma_table_info(?)", "t",
			      tables[t]);
		assert_non_null(st);
		while (db_step(st) && nc < 64)
			cols[nc++] = strdup(db_col_text(st, 0));
		db_finalize(st);
		for (size_t c = 0; c < nc; c++) {
			char sql[400];
			snprintf(sql, sizeof sql,
				 "SELECT count(*) FROM \"%s\" WHERE"
				 " instr(CAST(\"%s\" AS BLOB),"
				 " CAST(? AS BLOB)) > 0",
				 tables[t], cols[c]);
			int64_t n = 0;
			assert_int_equal(db_query_int(db, &n, sql, "t", needle),
					 ERR_OK);
			if (n && !scan_quiet)
				fprintf(stderr, "found \"%s\" in %s.%s\n",
					needle, tables[t], cols[c]);
			hits += n;
			free(cols[c]);
		}
		free(tables[t]);
	}
	return hits;
}

/* The Damm check digit, as the reference uses it (an independent copy:
 * the test must not ask the code under test what is valid). */
static int
damm(const char *digits, size_t n)
{
	static const unsigned char t[10][10] = {
		{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
		{4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
		{6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
		{5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
		{9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
	};
	int x = 0;
	for (size_t i = 0; i < n; i++)
		x = t[x][digits[i] - '0'];
	return x;
}

/* Nine digits + their check digit. */
static void
with_check(const char nine[10], char out[CASE_REFERENCE_LEN + 1])
{
	memcpy(out, nine, 9);
	out[9] = (char)('0' + damm(nine, 9));
	out[10] = '\0';
}

/* case_list that must succeed: the ids it returned, in order, must be
 * the `n` given, and the total `total`. */
static void
expect_list(struct fixture *f, const struct actor *who,
	    const struct case_filter *flt, int64_t total, int n, ...)
{
	char want[512] = "", got[512] = "";
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(want);
		snprintf(want + l, sizeof want - l, "%s%lld", i ? "," : "",
			 (long long)va_arg(ap, int64_t));
	}
	va_end(ap);
	json_t *out = json_array();
	int64_t t = -1;
	assert_int_equal(case_list(f->db, &f->keys, who, flt, out, &t), ERR_OK);
	size_t i;
	json_t *o;
	json_array_foreach (out, i, o) {
		size_t l = strlen(got);
		snprintf(got + l, sizeof got - l, "%s%lld", i ? "," : "",
			 (long long)jint(o, "id"));
	}
	json_decref(out);
	if (t != total || strcmp(got, want) != 0)
		fail_msg("%s (q \"%s\"): got %lld [%s], want %lld [%s]",
			 who->label, flt->q ? flt->q : "", (long long)t, got,
			 (long long)total, want);
}

/* An inbox filter that filters nothing yet (priority -1: any). */
static struct case_filter
filter(void)
{
	struct case_filter flt = {.priority = -1, .now = (int64_t)time(NULL)};
	return flt;
}

/* ---- 1. the workflow ------------------------------------------------- */

/*
 * Moves staff may make with case_set_status.  Each string is one `from`
 * status's answers for `to` = new, verified, in_progress, referred,
 * resolved, closed, rejected, merged: 'Y' allowed, '.' refused.
 * Written from the rules in case.h ("new → verified → in progress →
 * resolved → closed, and nothing else: no step is skipped"; referred is
 * left for in progress or resolved; reopen: resolved or closed → in
 * progress, rejected → new), not computed.
 */
/* clang-format off */
static const char *const moves[CASE_STATUS__MAX] = {
	[CASE_STATUS_NONE] = "........",
	/*                    NVIRDCJM */
	[CASE_NEW]         = ".Y......",
	[CASE_VERIFIED]    = "..Y.....",
	[CASE_IN_PROGRESS] = "....Y...",
	[CASE_REFERRED]    = "..Y.Y...",
	[CASE_RESOLVED]    = "..Y..Y..",
	[CASE_CLOSED]      = "..Y.....",
	[CASE_REJECTED]    = "Y.......",
	[CASE_MERGED]      = "........",
};
/* clang-format on */

static void
test_status_matrix(void **state)
{
	(void)state;
	for (int from = CASE_STATUS_NONE; from <= CASE_STATUS__MAX; from++) {
		for (int to = CASE_STATUS_NONE; to <= CASE_STATUS__MAX; to++) {
			bool want = false;
			if (from > CASE_STATUS_NONE &&
			    from < CASE_STATUS__MAX && to > CASE_STATUS_NONE &&
			    to < CASE_STATUS__MAX)
				want = moves[from][to - 1] == 'Y';
			bool got = case_status_can_move((enum case_status)from,
							(enum case_status)to);
			if (got != want)
				fail_msg("%s -> %s: got %s, want %s",
					 case_status_name(from),
					 case_status_name(to),
					 got ? "allowed" : "refused",
					 want ? "allowed" : "refused");
			if (from == to)
				assert_false(got);
		}
	}
	/* Names, labels and the open flag. */
	static const char *const names[] = {
		"",         "new",    "verified", "in_progress", "referred",
		"resolved", "closed", "rejected", "merged"};
	for (int s = CASE_STATUS_NONE + 1; s < CASE_STATUS__MAX; s++) {
		assert_string_equal(case_status_name(s), names[s]);
		assert_int_equal(case_status_parse(names[s]), s);
		assert_false(str_empty(case_status_label(s)));
		assert_false(str_empty(case_status_plain(s)));
		bool open = s == CASE_NEW || s == CASE_VERIFIED ||
			    s == CASE_IN_PROGRESS || s == CASE_REFERRED;
		assert_int_equal(case_status_open(s), open);
	}
	assert_string_equal(case_status_name(CASE_STATUS_NONE), "");
	assert_string_equal(case_status_name(CASE_STATUS__MAX), "");
	assert_int_equal(case_status_parse("open"), CASE_STATUS_NONE);
	assert_int_equal(case_status_parse(NULL), CASE_STATUS_NONE);
	assert_int_equal(case_status_parse("NEW"), CASE_STATUS_NONE);
}

/* A refused move writes nothing: no change, no event, no audit entry. */
static void
expect_refused_move(struct fixture *f, const struct actor *who, int64_t id,
		    enum case_status to)
{
	char *before = status_of(f->db, id);
	int64_t ev = all_events(f->db, id), au = audit_rows(f->db);
	int64_t upd = col_int(f->db, "updated_at", id);
	struct check c = {0};
	assert_int_equal(case_set_status(f->db, who, id, to, &c), ERR_INVALID);
	assert_non_null(check_message(&c, "status"));
	expect_status(f->db, id, before);
	assert_int_equal(all_events(f->db, id), ev);
	assert_int_equal(audit_rows(f->db), au);
	assert_int_equal(col_int(f->db, "updated_at", id), upd);
	free(before);
}

static void
set_status_ok(struct fixture *f, const struct actor *who, int64_t id,
	      enum case_status to)
{
	struct check c = {0};
	enum err rc = case_set_status(f->db, who, id, to, &c);
	if (rc != ERR_OK)
		fail_msg("case %lld -> %s: %s", (long long)id,
			 case_status_name(to), err_str(rc));
	expect_status(f->db, id, case_status_name(to));
}

/* Moves a new case along the workflow, step by step, up to `to`. */
static void
walk_to(struct fixture *f, const struct actor *who, int64_t id,
	enum case_status to)
{
	static const enum case_status path[] = {CASE_VERIFIED, CASE_IN_PROGRESS,
						CASE_RESOLVED, CASE_CLOSED};
	for (size_t i = 0; i < sizeof path / sizeof path[0]; i++) {
		set_status_ok(f, who, id, path[i]);
		if (path[i] == to)
			return;
	}
	fail_msg("no way to %s", case_status_name(to));
}

static void
test_set_status(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "My employer has not paid me.");
	expect_status(f->db, id, "new");
	assert_int_equal(col_int(f->db, "is_open", id), 1);
	assert_false(col_is_null(f->db, "deadline_at", id));

	/* new → only verified. */
	expect_refused_move(f, &w.fp_th, id, CASE_IN_PROGRESS);
	expect_refused_move(f, &w.fp_th, id, CASE_RESOLVED);
	expect_refused_move(f, &w.fp_th, id, CASE_NEW);
	expect_refused_move(f, &w.fp_th, id, CASE_MERGED);
	expect_refused_move(f, &w.fp_th, id, CASE_REFERRED);

	struct check c = {0};
	assert_int_equal(case_verify(f->db, &w.fp_th, id, &c), ERR_OK);
	expect_status(f->db, id, "verified");
	assert_int_equal(events(f->db, id, "status"), 1);
	assert_int_equal(audits(f->db, "case.verify", id), 1);
	json_t *tl = case_timeline(f->db, id, false);
	json_t *last = json_array_get(tl, json_array_size(tl) - 1);
	assert_string_equal(jstr(last, "kind"), "status");
	assert_string_equal(jstr(json_object_get(last, "detail"), "from"),
			    "new");
	assert_string_equal(jstr(json_object_get(last, "detail"), "to"),
			    "verified");
	assert_string_equal(jstr(last, "user_name"), "fp.th@example.org");
	json_decref(tl);
	/* Verifying twice is refused like any move to itself. */
	struct check c2 = {0};
	assert_int_equal(case_verify(f->db, &w.fp_th, id, &c2), ERR_INVALID);
	assert_non_null(check_message(&c2, "status"));
	expect_refused_move(f, &w.fp_th, id, CASE_VERIFIED);
	expect_refused_move(f, &w.fp_th, id, CASE_REFERRED);
	/* No step is skipped. */
	expect_refused_move(f, &w.fp_th, id, CASE_RESOLVED);
	expect_refused_move(f, &w.fp_th, id, CASE_CLOSED);

	set_status_ok(f, &w.fp_th, id, CASE_IN_PROGRESS);
	assert_int_equal(audits(f->db, "case.status", id), 1);
	assert_int_equal(col_int(f->db, "is_open", id), 1);
	expect_refused_move(f, &w.fp_th, id, CASE_IN_PROGRESS);
	expect_refused_move(f, &w.fp_th, id, CASE_CLOSED);

	/* An overdue, escalated case is resolved: nothing is due any more. */
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(db_run(f->db,
				"UPDATE case_rec SET deadline_at = ?,"
				" escalated_at = ? WHERE id = ?",
				"iii", now - 7200, now - 3600, id),
			 ERR_OK);
	set_status_ok(f, &w.fp_th, id, CASE_RESOLVED);
	assert_int_equal(col_int(f->db, "is_open", id), 0);
	assert_true(col_is_null(f->db, "deadline_at", id));
	assert_true(col_is_null(f->db, "escalated_at", id));
	assert_false(col_is_null(f->db, "closed_at", id));
	assert_int_equal(events(f->db, id, "reopened"), 0);

	/* Reopening: a "reopened" event, open again, a fresh deadline. */
	int64_t t0 = (int64_t)time(NULL);
	set_status_ok(f, &w.fp_th, id, CASE_IN_PROGRESS);
	int64_t t1 = (int64_t)time(NULL);
	assert_int_equal(events(f->db, id, "reopened"), 1);
	assert_int_equal(audits(f->db, "case.reopen", id), 1);
	assert_int_equal(col_int(f->db, "is_open", id), 1);
	assert_true(col_is_null(f->db, "closed_at", id));
	assert_true(col_is_null(f->db, "escalated_at", id));
	int64_t hours = routing_deadline_hours(
		f->db, w.th, (int)col_int(f->db, "priority", id));
	assert_true(hours > 0);
	int64_t dl = col_int(f->db, "deadline_at", id);
	assert_in_range(dl, t0 + hours * 3600, t1 + hours * 3600);
	json_t *k = case_get(f->db, &f->keys, id, false, t1);
	assert_true(json_is_false(json_object_get(k, "overdue")));
	assert_true(json_is_true(json_object_get(k, "is_open")));
	json_decref(k);

	/* Closed; closed → in progress reopens. */
	int64_t id2 = create_simple(f, "A question about my work permit.");
	walk_to(f, &w.fp_th, id2, CASE_CLOSED);
	assert_int_equal(col_int(f->db, "is_open", id2), 0);
	assert_true(col_is_null(f->db, "deadline_at", id2));
	assert_false(col_is_null(f->db, "closed_at", id2));
	expect_refused_move(f, &w.fp_th, id2, CASE_CLOSED);
	expect_refused_move(f, &w.fp_th, id2, CASE_RESOLVED);
	expect_refused_move(f, &w.fp_th, id2, CASE_VERIFIED);
	set_status_ok(f, &w.fp_th, id2, CASE_IN_PROGRESS);
	tl = case_timeline(f->db, id2, false);
	last = json_array_get(tl, json_array_size(tl) - 1);
	assert_string_equal(jstr(last, "kind"), "reopened");
	assert_string_equal(jstr(json_object_get(last, "detail"), "from"),
			    "closed");
	json_decref(tl);
	assert_int_equal(col_int(f->db, "is_open", id2), 1);
	assert_false(col_is_null(f->db, "deadline_at", id2));

	/* A case that does not exist. */
	struct check c3 = {0};
	assert_int_equal(
		case_set_status(f->db, &w.fp_th, id2 + 100, CASE_VERIFIED, &c3),
		ERR_NOTFOUND);
	audit_intact(f->db);
}

/*
 * Regression: resolved → closed is a status change, not a reopen (the
 * reopen was once decided from the status the case came from alone).
 */
static void
test_resolved_to_closed_is_no_reopen(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "My employer has not paid me.");
	walk_to(f, &w.fp_th, id, CASE_CLOSED);
	assert_int_equal(col_int(f->db, "is_open", id), 0);
	assert_int_equal(events(f->db, id, "reopened"), 0);
	assert_int_equal(audits(f->db, "case.reopen", id), 0);
	assert_int_equal(events(f->db, id, "status"), 4);
	assert_int_equal(audits(f->db, "case.status", id), 3);
	/* The worker reads "closed", not "reopened". */
	json_t *tl = case_timeline(f->db, id, true);
	json_t *last = json_array_get(tl, json_array_size(tl) - 1);
	assert_string_equal(jstr(last, "kind"), "status");
	assert_string_equal(jstr(json_object_get(last, "detail"), "to"),
			    "closed");
	json_decref(tl);
}

static void
test_reject(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "Buy cheap watches at example.com");
	int64_t au = audit_rows(f->db);
	struct check c = {0};
	assert_int_equal(
		case_reject(f->db, &f->keys, &w.fp_th, id, "boring", "", &c),
		ERR_INVALID);
	assert_non_null(check_message(&c, "reason"));
	assert_non_null(check_message(&c, "why"));
	assert_int_equal(audit_rows(f->db), au);
	expect_status(f->db, id, "new");

	struct check c2 = {0};
	assert_int_equal(case_reject(f->db, &f->keys, &w.fp_th, id, "spam",
				     "Advertising, not a worker.", &c2),
			 ERR_OK);
	expect_status(f->db, id, "rejected");
	assert_int_equal(col_int(f->db, "is_open", id), 0);
	assert_true(col_is_null(f->db, "deadline_at", id));
	char *reason = col_text(f->db, "reject_reason", id);
	assert_string_equal(reason, "spam");
	free(reason);
	assert_int_equal(audits(f->db, "case.reject", id), 1);
	assert_int_equal(events(f->db, id, "rejected"), 1);
	/* The explanation is an internal note, sealed. */
	json_t *notes = case_notes(f->db, &f->keys, id);
	assert_int_equal(json_array_size(notes), 1);
	assert_string_equal(jstr(json_array_get(notes, 0), "body"),
			    "Advertising, not a worker.");
	json_decref(notes);
	assert_int_equal(db_contains(f->db, "Advertising, not a worker."), 0);
	/* The worker sees the status, not the explanation. */
	json_t *tl = case_timeline(f->db, id, true);
	assert_false(has_kind(tl, "rejected"));
	assert_true(has_kind(tl, "status"));
	char *dump = json_dumps(tl, 0);
	assert_null(strstr(dump, "Advertising"));
	free(dump);
	json_decref(tl);

	/* Only a new or verified case can be rejected. */
	struct check c3 = {0};
	assert_int_equal(case_reject(f->db, &f->keys, &w.fp_th, id, "spam",
				     "Again.", &c3),
			 ERR_INVALID);
	assert_non_null(check_message(&c3, "reason"));

	/* Rejected → new: reopened. */
	expect_refused_move(f, &w.fp_th, id, CASE_VERIFIED);
	set_status_ok(f, &w.fp_th, id, CASE_NEW);
	assert_int_equal(events(f->db, id, "reopened"), 1);
	assert_int_equal(col_int(f->db, "is_open", id), 1);
	assert_false(col_is_null(f->db, "deadline_at", id));
	audit_intact(f->db);
}

/* ---- 2. references and PINs ------------------------------------------ */

static void
test_reference(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in = input("My employer has not paid me.");
	char ref[CASE_REFERENCE_LEN + 1];
	int64_t id = create(f, &pub, &in, ref, NULL);
	assert_int_equal(strlen(ref), CASE_REFERENCE_LEN);
	for (size_t i = 0; i < CASE_REFERENCE_LEN; i++)
		assert_true(ref[i] >= '0' && ref[i] <= '9');
	assert_true(ref[0] != '0');
	assert_int_equal(damm(ref, CASE_REFERENCE_LEN), 0);

	char fmt[16];
	case_reference_format(ref, fmt);
	char want[16];
	snprintf(want, sizeof want, "%.3s-%.3s-%.4s", ref, ref + 3, ref + 6);
	assert_string_equal(fmt, want);
	char other[16];
	case_reference_format("12345", other);
	assert_string_equal(other, "12345");

	/* However it is typed: dashes, spaces, both, around it. */
	char typed[64], out[CASE_REFERENCE_LEN + 1];
	const char *shapes[] = {"%.10s", "%.3s-%.3s-%.4s", "%.3s %.3s %.4s",
				" %.3s - %.3s  %.4s ", "%.3s-%.3s %.4s"};
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		if (s == 0)
			snprintf(typed, sizeof typed, shapes[s], ref);
		else
			snprintf(typed, sizeof typed, shapes[s], ref, ref + 3,
				 ref + 6);
		memset(out, 'x', sizeof out);
		if (!case_reference_parse(typed, out))
			fail_msg("\"%s\" refused", typed);
		assert_string_equal(out, ref);
	}
	snprintf(typed, sizeof typed, "%.5s-%.5s", ref, ref + 5);
	assert_true(case_reference_parse(typed, out));
	assert_int_equal(case_find_reference(f->db, fmt), id);

	/* Every single-digit error is caught. */
	for (size_t i = 0; i < CASE_REFERENCE_LEN; i++) {
		for (char d = '0'; d <= '9'; d++) {
			if (d == ref[i])
				continue;
			char bad[CASE_REFERENCE_LEN + 1];
			memcpy(bad, ref, sizeof bad);
			bad[i] = d;
			if (case_reference_parse(bad, out))
				fail_msg("%s (from %s) accepted", bad, ref);
			assert_int_equal(case_find_reference(f->db, bad), 0);
		}
	}
	/* Every swap of two neighbouring digits is caught. */
	for (size_t i = 0; i + 1 < CASE_REFERENCE_LEN; i++) {
		if (ref[i] == ref[i + 1])
			continue;
		char bad[CASE_REFERENCE_LEN + 1];
		memcpy(bad, ref, sizeof bad);
		bad[i] = ref[i + 1];
		bad[i + 1] = ref[i];
		if (case_reference_parse(bad, out))
			fail_msg("%s (swap of %s) accepted", bad, ref);
	}
	/* And the same for a fixed number with every neighbour distinct. */
	char fixed[CASE_REFERENCE_LEN + 1];
	with_check("482155307", fixed);
	assert_true(case_reference_parse(fixed, out));
	for (size_t i = 0; i + 1 < CASE_REFERENCE_LEN; i++) {
		char bad[CASE_REFERENCE_LEN + 1];
		memcpy(bad, fixed, sizeof bad);
		bad[i] = fixed[i + 1];
		bad[i + 1] = fixed[i];
		if (strcmp(bad, fixed) != 0)
			assert_false(case_reference_parse(bad, out));
	}

	/* Nine or eleven digits. */
	snprintf(typed, sizeof typed, "%.9s", ref);
	assert_false(case_reference_parse(typed, out));
	for (char d = '0'; d <= '9'; d++) {
		snprintf(typed, sizeof typed, "%s%c", ref, d);
		assert_false(case_reference_parse(typed, out));
		snprintf(typed, sizeof typed, "%c%s", d, ref);
		assert_false(case_reference_parse(typed, out));
	}
	/* Letters, other punctuation, nothing. */
	snprintf(typed, sizeof typed, "%.9sa", ref);
	assert_false(case_reference_parse(typed, out));
	snprintf(typed, sizeof typed, "A%s", ref);
	assert_false(case_reference_parse(typed, out));
	snprintf(typed, sizeof typed, "%.3s/%.3s/%.4s", ref, ref + 3, ref + 6);
	assert_false(case_reference_parse(typed, out));
	snprintf(typed, sizeof typed, "#%s", ref);
	assert_false(case_reference_parse(typed, out));
	assert_false(case_reference_parse("", out));
	assert_false(case_reference_parse(NULL, out));
	assert_false(case_reference_parse("REF-ABC-DEFG", out));
	/* A leading zero, even with a right check digit. */
	char zero[CASE_REFERENCE_LEN + 1];
	with_check("012345678", zero);
	assert_int_equal(damm(zero, CASE_REFERENCE_LEN), 0);
	assert_false(case_reference_parse(zero, out));
	with_check("123456780", zero);
	assert_true(case_reference_parse(zero, out)); /* zero elsewhere: ok */
	assert_int_equal(case_find_reference(f->db, zero), 0);
}

static void
test_pin(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in = input("My employer has not paid me.");
	char ref[CASE_REFERENCE_LEN + 1], pin[CASE_PIN_LEN + 1];
	int64_t id = create(f, &pub, &in, ref, pin);
	assert_int_equal(strlen(pin), CASE_PIN_LEN);
	for (size_t i = 0; i < CASE_PIN_LEN; i++)
		assert_true(pin[i] >= '0' && pin[i] <= '9');

	/* Only a hash is stored: Argon2id, and the PIN nowhere. */
	char *hash = col_text(f->db, "pin_hash", id);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_null(strstr(hash, pin));
	free(hash);
	assert_int_equal(db_contains(f->db, pin), 0);

	int64_t now = (int64_t)time(NULL);
	const char *addr = "198.51.100.7";
	int64_t got = 0;
	char fmt[16];
	case_reference_format(ref, fmt);
	assert_int_equal(
		case_pin_check(f->db, &f->keys, fmt, pin, addr, now, &got),
		ERR_OK);
	assert_int_equal(got, id);
	/* A PIN typed in two groups. */
	char spaced[32];
	snprintf(spaced, sizeof spaced, "%.4s %.4s", pin, pin + 4);
	got = 0;
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, spaced, addr, now, &got),
		ERR_OK);
	assert_int_equal(got, id);
	snprintf(spaced, sizeof spaced, "%.4s-%.4s", pin, pin + 4);
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, spaced, addr, now, &got),
		ERR_OK);

	/* A wrong PIN; the shape of it does not matter. */
	char wrong[CASE_PIN_LEN + 1];
	memcpy(wrong, pin, sizeof wrong);
	wrong[7] = wrong[7] == '9' ? '0' : (char)(wrong[7] + 1);
	got = 0;
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, wrong, addr, now, &got),
		ERR_DENIED);
	assert_int_equal(got, 0);
	char longer[16];
	snprintf(longer, sizeof longer, "%s1", pin);
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, longer, addr, now, &got),
		ERR_DENIED);
	snprintf(longer, sizeof longer, "%.7s", pin);
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, longer, addr, now, &got),
		ERR_DENIED);
	snprintf(longer, sizeof longer, "%.7sx", pin);
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, longer, addr, now, &got),
		ERR_DENIED);
	/* Four wrong ones so far; the right PIN clears the count. */
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, pin, addr, now, &got),
		ERR_OK);

	/* Five wrong ones for this reference: then not even the right PIN,
	 * from any address, until the window has passed. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(case_pin_check(f->db, &f->keys, ref, wrong,
						addr, now + i, &got),
				 ERR_DENIED);
	got = 0;
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, pin, addr, now + 10, &got),
		ERR_THROTTLED);
	assert_int_equal(got, 0);
	assert_int_equal(case_pin_check(f->db, &f->keys, ref, pin, "192.0.2.99",
					now + 10, &got),
			 ERR_THROTTLED);
	assert_int_equal(case_pin_check(f->db, &f->keys, ref, pin, addr,
					now + 16 * 60, &got),
			 ERR_OK);
	assert_int_equal(got, id);

	/* A typo in the reference is told apart from a wrong PIN. */
	char typo[CASE_REFERENCE_LEN + 1];
	memcpy(typo, ref, sizeof typo);
	typo[4] = typo[4] == '9' ? '0' : (char)(typo[4] + 1);
	assert_int_equal(case_pin_check(f->db, &f->keys, typo, pin, addr,
					now + 16 * 60, &got),
			 ERR_INVALID);
	assert_int_equal(case_pin_check(f->db, &f->keys, "", pin, addr,
					now + 16 * 60, &got),
			 ERR_INVALID);

	/* Unknown references are wrong tries too, counted per address:
	 * after 20 of them, this address may try nothing, not even a real
	 * reference with its PIN; another address still may. */
	const char *guesser = "203.0.113.9";
	int64_t later = now + 20 * 60;
	for (int i = 0; i < 20; i++) {
		char nine[10], unknown[CASE_REFERENCE_LEN + 1];
		snprintf(nine, sizeof nine, "%09d", 555000000 + i * 7);
		with_check(nine, unknown);
		assert_string_not_equal(unknown, ref);
		enum err rc = case_pin_check(f->db, &f->keys, unknown, pin,
					     guesser, later, &got);
		if (rc != ERR_DENIED)
			fail_msg("guess %d: %s", i, err_str(rc));
	}
	assert_int_equal(
		case_pin_check(f->db, &f->keys, ref, pin, guesser, later, &got),
		ERR_THROTTLED);
	assert_int_equal(case_pin_check(f->db, &f->keys, ref, pin, "192.0.2.50",
					later, &got),
			 ERR_OK);
	/* An hour later the address may try again. */
	assert_int_equal(case_pin_check(f->db, &f->keys, ref, pin, guesser,
					later + 3601, &got),
			 ERR_OK);
	/* The throttle keeps no address and no reference in clear. */
	assert_int_equal(db_contains(f->db, guesser), 0);
	char like[32];
	snprintf(like, sizeof like, "%%%s%%", ref);
	assert_int_equal(
		fixture_count(f->db,
			      "SELECT count(*) FROM throttle WHERE key LIKE ?",
			      like),
		0);
	assert_true(fixture_count(f->db, "SELECT count(*) FROM throttle",
				  NULL) > 0);
}

static void
test_intake_throttle(void **state)
{
	struct fixture *f = *state;
	int64_t now = (int64_t)time(NULL);
	for (int i = 0; i < 3; i++)
		assert_true(case_intake_allowed(f->db, &f->keys, "192.0.2.1", 3,
						now + i));
	assert_false(
		case_intake_allowed(f->db, &f->keys, "192.0.2.1", 3, now + 5));
	assert_true(
		case_intake_allowed(f->db, &f->keys, "192.0.2.2", 3, now + 5));
	assert_true(case_intake_allowed(f->db, &f->keys, "192.0.2.1", 3,
					now + 3601));
}

/* ---- 3. intake -------------------------------------------------------- */

/* `in` must fail on `field` (and, with `only`, on nothing else). */
static void
expect_invalid(const struct case_input *in, const char *field, bool only)
{
	struct check c = {0};
	if (case_validate(in, &c))
		fail_msg("accepted; wanted a message for %s", field);
	if (check_message(&c, field) == NULL)
		fail_msg("no message for %s (first: %s)", field,
			 c.n ? c.items[0].field : "-");
	if (only && c.n != 1)
		fail_msg("%zu messages for %s, first %s", c.n, field,
			 c.items[0].field);
}

static void
expect_valid(const struct case_input *in)
{
	struct check c = {0};
	if (!case_validate(in, &c))
		fail_msg("refused: %s: %s", c.items[0].field, c.items[0].msgid);
	assert_int_equal(c.n, 0);
}

static void
test_validate(void **state)
{
	(void)state;
	struct case_input in = input("My employer has not paid me.");
	expect_valid(&in);

	/* The description: 10 to 5000 characters (not bytes). */
	in.description = "Too short";
	expect_invalid(&in, "description", true);
	in.description = "Not paid!!!"; /* 10 letters; spaces do not count */
	expect_valid(&in);
	in.description = "Not short!"; /* 9 letters and a space */
	expect_invalid(&in, "description", true);
	in.description = "            \n\n   ";
	expect_invalid(&in, "description", true);
	in.description = "ééééééééé"; /* 9 letters, 18 bytes */
	expect_invalid(&in, "description", true);
	in.description = "ค่าจ้างค้าง"; /* 11 code points */
	expect_valid(&in);
	in.description = "";
	expect_invalid(&in, "description", true);
	in.description = NULL;
	expect_invalid(&in, "description", true);
	char *max = repeat("a", CASE_TEXT_MAX);
	char *over = repeat("a", CASE_TEXT_MAX + 1);
	char *thai = repeat("ก", CASE_TEXT_MAX);
	in.description = max;
	expect_valid(&in);
	in.description = thai;
	expect_valid(&in);
	in.description = over;
	expect_invalid(&in, "description", true);
	in.description = "Line one\nline two\r\n";
	expect_valid(&in);
	in.description = "Control\x01 character";
	expect_invalid(&in, "description", true);
	in = input("My employer has not paid me.");

	in.category = "salary";
	expect_invalid(&in, "category", true);
	in.category = "";
	expect_invalid(&in, "category", true);
	in.category = "wages";
	in.kind = "petition";
	expect_invalid(&in, "kind", true);
	in.kind = NULL;
	expect_invalid(&in, "kind", true);
	in.kind = "inquiry";
	expect_valid(&in);

	in.country_work = "XX";
	expect_invalid(&in, "country_work", true);
	in.country_work = "th";
	expect_invalid(&in, "country_work", true);
	in.country_work = "";
	expect_valid(&in);
	in.country_origin = "ZZ";
	expect_invalid(&in, "country_origin", true);
	in.country_origin = "";
	expect_valid(&in);
	in = input("My employer has not paid me.");

	in.sector = "mining";
	expect_invalid(&in, "sector", true);
	in.sector = "fishing";
	expect_valid(&in);
	in.gender = "x";
	expect_invalid(&in, "gender", true);
	in.gender = "woman";
	expect_valid(&in);
	in.channel = "fax";
	expect_invalid(&in, "channel", true);
	in.channel = "";
	expect_invalid(&in, "channel", true);
	in.channel = "hotline";
	expect_valid(&in);
	char *long_name = repeat("n", CASE_SHORT_MAX + 1);
	in.employer = long_name;
	expect_invalid(&in, "employer", true);
	in.employer = "Sea Harvest";
	in.agency = long_name;
	expect_invalid(&in, "agency", true);
	in.agency = "";
	in.name = long_name;
	expect_invalid(&in, "name", true);
	in.name = "Aung";
	expect_valid(&in);
	in = input("My employer has not paid me.");

	/* Started on: a month or a day. */
	in.started_on = "2026-13";
	expect_invalid(&in, "started_on", true);
	in.started_on = "2026-00";
	expect_invalid(&in, "started_on", true);
	in.started_on = "March";
	expect_invalid(&in, "started_on", true);
	in.started_on = "2026-03-32";
	expect_invalid(&in, "started_on", true);
	in.started_on = "2026-3";
	expect_invalid(&in, "started_on", true);
	in.started_on = "2026-03";
	expect_valid(&in);
	in.started_on = "2026-03-15";
	expect_valid(&in);
	in = input("My employer has not paid me.");

	/* Contacts. */
	in.contact_method = "phone";
	in.contact = "+66 81 CALL ME";
	in.consent_contact = true;
	expect_invalid(&in, "contact", true);
	in.contact = "12345"; /* too few digits */
	expect_invalid(&in, "contact", true);
	in.contact = "";
	expect_invalid(&in, "contact", true);
	in.contact = "+66 (81) 234-5678";
	expect_valid(&in);
	in.consent_contact = false;
	expect_invalid(&in, "consent_contact", true);
	in.contact_method = "email";
	in.contact = "worker.example.org";
	in.consent_contact = true;
	expect_invalid(&in, "contact", true);
	in.contact = "worker@example.org";
	expect_valid(&in);
	in.consent_contact = false;
	expect_invalid(&in, "consent_contact", true);
	in.contact_method = "messaging";
	in.contact = "";
	in.consent_contact = true;
	expect_invalid(&in, "contact", true);
	in.contact = "LINE aung_1990";
	expect_valid(&in);
	in.contact_method = "pigeon";
	expect_invalid(&in, "contact_method", true);

	/* Anonymous: no way back, no name, no consent needed. */
	in = input("My employer has not paid me.");
	in.contact_method = "none";
	in.name = "";
	in.consent_contact = false;
	expect_valid(&in);
	in.contact_method = "";
	in.name = NULL;
	in.contact = NULL;
	expect_valid(&in);

	/* Every bad field at once. */
	struct case_input bad = {.kind = "x",
				 .category = "x",
				 .description = "short",
				 .country_work = "XX",
				 .country_origin = "YY",
				 .sector = "x",
				 .started_on = "x",
				 .gender = "x",
				 .contact_method = "email",
				 .contact = "x",
				 .channel = "x"};
	struct check c = {0};
	assert_false(case_validate(&bad, &c));
	assert_int_equal(c.n, 10);
	free(max);
	free(over);
	free(thai);
	free(long_name);
}

static void
test_intake(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();

	/* Refused: nothing written. */
	struct case_input in = input("Short");
	struct check c = {0};
	int64_t id = 0;
	char ref[CASE_REFERENCE_LEN + 1], pin[CASE_PIN_LEN + 1];
	assert_int_equal(
		case_create(f->db, &f->keys, &pub, &in, &c, &id, ref, pin),
		ERR_INVALID);
	assert_non_null(check_message(&c, "description"));
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM case_rec", NULL), 0);
	assert_int_equal(audit_rows(f->db), 0);

	/* Anonymous, from the web: accepted as it is. */
	int64_t before = (int64_t)time(NULL);
	in = input("My employer has not paid me for two months.");
	int64_t anon = create(f, &pub, &in, NULL, NULL);
	int64_t after = (int64_t)time(NULL);
	json_t *k = case_get(f->db, &f->keys, anon, false, after);
	assert_non_null(k);
	assert_int_equal(jint(k, "id"), anon);
	assert_string_equal(jstr(k, "status"), "new");
	assert_string_equal(jstr(k, "kind"), "complaint");
	assert_string_equal(jstr(k, "category"), "wages");
	assert_string_equal(jstr(k, "channel"), "web");
	assert_string_equal(jstr(k, "name"), "");
	assert_string_equal(jstr(k, "contact"), "");
	assert_string_equal(jstr(k, "contact_method"), "none");
	assert_string_equal(jstr(k, "description"),
			    "My employer has not paid me for two months.");
	assert_string_equal(jstr(k, "language"), "en");
	assert_true(json_is_false(json_object_get(k, "consent_contact")));
	assert_true(json_is_false(json_object_get(k, "danger")));
	assert_int_equal(jint(k, "priority"), CASE_PRIORITY_NORMAL);
	assert_true(json_is_true(json_object_get(k, "is_open")));
	assert_in_range(jint(k, "created_at"), before, after);
	assert_int_equal(jint(k, "assignee_id"), 0);
	json_decref(k);
	char *ch = col_text(f->db, "contact_hash", anon);
	assert_string_equal(ch, "");
	free(ch);
	assert_true(col_is_null(f->db, "created_by", anon));
	assert_int_equal(audits(f->db, "case.create", anon), 1);
	assert_int_equal(events(f->db, anon, "created"), 1);
	json_t *tl = case_timeline(f->db, anon, true);
	assert_int_equal(json_array_size(tl), 1);
	assert_string_equal(jstr(json_array_get(tl, 0), "kind"), "created");
	json_decref(tl);

	/* Without a way to contact, a contact given is not kept. */
	in.contact = "+66 81 111 2222";
	int64_t nocontact = create(f, &pub, &in, NULL, NULL);
	k = case_get(f->db, &f->keys, nocontact, false, after);
	assert_string_equal(jstr(k, "contact"), "");
	json_decref(k);
	in.contact = "";

	/* In danger: urgent, due within the day (the default deadline). */
	in.danger = true;
	int64_t danger = create(f, &pub, &in, NULL, NULL);
	in.danger = false;
	assert_int_equal(col_int(f->db, "danger", danger), 1);
	assert_int_equal(col_int(f->db, "priority", danger),
			 CASE_PRIORITY_URGENT);
	assert_int_equal(col_int(f->db, "deadline_at", danger) -
				 col_int(f->db, "created_at", danger),
			 24 * 3600);
	assert_int_equal(
		routing_deadline_hours(f->db, w.th, CASE_PRIORITY_URGENT), 24);
	/* Forced labour or a plea for help: high. */
	in.category = "forced_labour";
	int64_t high = create(f, &pub, &in, NULL, NULL);
	assert_int_equal(col_int(f->db, "priority", high), CASE_PRIORITY_HIGH);
	in.category = "wages";
	/* Normal cases get their deadline too. */
	assert_int_equal(col_int(f->db, "deadline_at", anon) -
				 col_int(f->db, "created_at", anon),
			 3600 * (int64_t)routing_deadline_hours(
					f->db, w.th, CASE_PRIORITY_NORMAL));

	/* Routing: the country of work's affiliate first. */
	assert_int_equal(col_int(f->db, "owner_org_id", anon), w.th);
	char *oc = col_text(f->db, "owner_country", anon);
	assert_string_equal(oc, "TH");
	free(oc);
	in.country_work = "";
	in.country_origin = "MM";
	int64_t origin = create(f, &pub, &in, NULL, NULL);
	assert_int_equal(col_int(f->db, "owner_org_id", origin), w.mm);
	oc = col_text(f->db, "owner_country", origin);
	assert_string_equal(oc, "MM");
	free(oc);
	in.country_origin = "";
	int64_t neither = create(f, &pub, &in, NULL, NULL);
	assert_int_equal(col_int(f->db, "owner_org_id", neither), w.sg);
	k = case_get(f->db, &f->keys, neither, false, after);
	assert_true(json_is_true(json_object_get(k, "owner_org_secretariat")));
	json_decref(k);
	/* A country without an affiliate falls through to the next rule. */
	in.country_work = "MY";
	in.country_origin = "MM";
	int64_t my = create(f, &pub, &in, NULL, NULL);
	assert_int_equal(col_int(f->db, "owner_org_id", my), w.mm);

	/* Staff intake names the organisation. */
	in.country_work = "TH";
	in.country_origin = "MM";
	in.channel = "walk_in";
	in.owner_org_id = w.mm;
	int64_t staff = create(f, &w.fp_mm, &in, NULL, NULL);
	assert_int_equal(col_int(f->db, "owner_org_id", staff), w.mm);
	assert_int_equal(col_int(f->db, "created_by", staff), w.fp_mm.user_id);
	k = case_get(f->db, &f->keys, staff, false, after);
	assert_string_equal(jstr(k, "channel"), "walk_in");
	assert_string_equal(jstr(k, "owner_country"), "MM");
	assert_string_equal(jstr(k, "owner_name"),
			    "Myanmar Trade Union Confederation");
	json_decref(k);
	assert_int_equal(
		fixture_count(f->db,
			      "SELECT count(*) FROM audit_log WHERE"
			      " action = 'case.create' AND actor_user_id"
			      " = (SELECT id FROM app_user WHERE"
			      " email = ?)",
			      "fp.mm@example.org"),
		1);
	audit_intact(f->db);
}

static void
test_sealing(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in =
		input("The boss at " CANARY " took my passport and my pay.");
	in.name = "Aung " CANARY;
	in.contact_method = "messaging";
	in.contact = "LINE " CANARY;
	in.consent_contact = true;
	in.employer = "Sea Harvest Co.";
	int64_t id = create(f, &pub, &in, NULL, NULL);

	/* Not in any column of any table, the row's own included. */
	assert_int_equal(db_contains(f->db, CANARY), 0);
	assert_int_equal(db_contains(f->db, "canary-xyzzy"), 0);
	assert_int_equal(db_contains(f->db, "passport"), 0);
	const char *sealed[] = {"name_sealed", "contact_sealed",
				"description_sealed"};
	for (size_t i = 0; i < 3; i++) {
		char *s = col_text(f->db, sealed[i], id);
		assert_true(strlen(s) > 20);
		free(s);
	}
	/* The scan does find what is stored plain (the employer). */
	scan_quiet = true;
	assert_int_equal(db_contains(f->db, "Sea Harvest Co."), 1);
	scan_quiet = false;
	/* What is not the worker's words stays plain, for the inbox. */
	char *emp = col_text(f->db, "employer", id);
	assert_string_equal(emp, "Sea Harvest Co.");
	free(emp);

	/* case_get opens them again, for staff and for the worker. */
	for (int worker = 0; worker < 2; worker++) {
		json_t *k = case_get(f->db, &f->keys, id, worker,
				     (int64_t)time(NULL));
		assert_string_equal(jstr(k, "name"), "Aung " CANARY);
		assert_string_equal(jstr(k, "contact"), "LINE " CANARY);
		assert_string_equal(jstr(k, "contact_method"), "messaging");
		assert_string_equal(jstr(k, "description"), in.description);
		assert_true(
			json_is_true(json_object_get(k, "consent_contact")));
		json_decref(k);
	}
	/* Under another key nothing opens. */
	struct crypto_key other;
	crypto_random(other.bytes, sizeof other.bytes);
	struct case_keys wrong = {.field = &other, .index = &f->index};
	log_set_level((enum log_level)(LOG_ERROR + 1));
	json_t *k = case_get(f->db, &wrong, id, false, (int64_t)time(NULL));
	log_set_level(LOG_WARN);
	assert_string_equal(jstr(k, "name"), "");
	assert_string_equal(jstr(k, "description"), "");
	json_decref(k);

	/* The contact's hash: the same number typed two ways, the same
	 * address in two cases. */
	struct case_input p = input("My employer has not paid me.");
	p.contact_method = "phone";
	p.consent_contact = true;
	p.contact = "+66 81-234 5678";
	int64_t p1 = create(f, &pub, &p, NULL, NULL);
	p.contact = "66812345678";
	int64_t p2 = create(f, &pub, &p, NULL, NULL);
	p.contact_method = "email";
	p.contact = "A@B.example";
	int64_t e1 = create(f, &pub, &p, NULL, NULL);
	p.contact = "a@b.example";
	int64_t e2 = create(f, &pub, &p, NULL, NULL);
	char *h1 = col_text(f->db, "contact_hash", p1);
	char *h2 = col_text(f->db, "contact_hash", p2);
	char *h3 = col_text(f->db, "contact_hash", e1);
	char *h4 = col_text(f->db, "contact_hash", e2);
	char *h5 = col_text(f->db, "contact_hash", id);
	assert_true(strlen(h1) >= 20);
	assert_string_equal(h1, h2);
	assert_true(strlen(h3) >= 20);
	assert_string_equal(h3, h4);
	assert_string_not_equal(h1, h3);
	assert_string_not_equal(h1, h5);
	assert_null(strstr(h1, "66812345678"));
	free(h1);
	free(h2);
	free(h3);
	free(h4);
	free(h5);
	/* As typed, in its sealed field. */
	k = case_get(f->db, &f->keys, p1, false, (int64_t)time(NULL));
	assert_string_equal(jstr(k, "contact"), "+66 81-234 5678");
	json_decref(k);
	assert_int_equal(db_contains(f->db, "812345678"), 0);
	assert_int_equal(db_contains(f->db, "a@b.example"), 0);
	assert_int_equal(db_contains(f->db, "A@B.example"), 0);
	audit_intact(f->db);
}

/* ---- 4. the worker's view and the staff's --------------------------- */

static void
test_worker_view(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in = input("My employer has not paid me.");
	int64_t id = create(f, &pub, &in, NULL, NULL);
	int64_t other = create(f, &pub, &in, NULL, NULL);
	struct check c = {0};
	assert_int_equal(case_verify(f->db, &w.fp_th, id, &c), ERR_OK);
	assert_int_equal(case_assign(f->db, &w.fp_th, id, w.fp_th.user_id, &c),
			 ERR_OK);
	assert_int_equal(case_set_priority(f->db, &w.fp_th, id, 2, &c), ERR_OK);
	assert_int_equal(case_add_note(f->db, &f->keys, &w.fp_th, id,
				       "NOTE-SECRET: the employer is a"
				       " relative of the inspector.",
				       &c),
			 ERR_OK);
	assert_int_equal(case_add_message(f->db, &f->keys, &w.fp_th, id,
					  "Please send a photo of your"
					  " contract.",
					  &c),
			 ERR_OK);
	assert_int_equal(case_add_message(f->db, &f->keys, &pub, id,
					  "Here it is, thank you.", &c),
			 ERR_OK);
	static const char photo[] = "JPEG-BYTES-EVIDENCE-0123456789";
	static const char memo[] = "INTERNAL-MEMO-BYTES";
	assert_int_equal(case_attach(f->db, &f->keys, &pub, id, "contract.jpg",
				     "image/jpeg", photo, sizeof photo - 1,
				     true, false),
			 ERR_OK);
	assert_int_equal(case_attach(f->db, &f->keys, &w.fp_th, id,
				     "inspector-memo.txt", "text/plain", memo,
				     sizeof memo - 1, false, true),
			 ERR_OK);
	assert_int_equal(c.n, 0);
	int64_t now = (int64_t)time(NULL);

	/* The case: no owner, assignee, deadline for the worker. */
	json_t *wk = case_get(f->db, &f->keys, id, true, now);
	json_t *st = case_get(f->db, &f->keys, id, false, now);
	static const char *const staff_only[] = {
		"assignee_id", "assignee_name", "owner_org_id",
		"owner_name",  "owner_country", "owner_org_secretariat",
		"merged_into", "deadline_at",   "overdue",
		"escalated_at"};
	for (size_t i = 0; i < sizeof staff_only / sizeof staff_only[0]; i++) {
		if (json_object_get(wk, staff_only[i]) != NULL)
			fail_msg("the worker's view has %s", staff_only[i]);
	}
	assert_string_equal(jstr(wk, "status"), "verified");
	assert_false(str_empty(jstr(wk, "reference_text")));
	assert_int_equal(jint(st, "assignee_id"), w.fp_th.user_id);
	assert_string_equal(jstr(st, "assignee_name"), "fp.th@example.org");
	assert_int_equal(jint(st, "owner_org_id"), w.th);
	assert_string_equal(jstr(st, "owner_name"), "Thai Labour Congress");
	assert_string_equal(jstr(st, "owner_country"), "TH");
	assert_true(json_object_get(st, "deadline_at") != NULL);
	json_decref(st);

	/* The timeline: public events only, without staff names. */
	json_t *wt = case_timeline(f->db, id, true);
	json_t *stl = case_timeline(f->db, id, false);
	static const char *const internal[] = {"note", "assigned", "priority"};
	for (size_t i = 0; i < 3; i++) {
		if (has_kind(wt, internal[i]))
			fail_msg("the worker's timeline has \"%s\"",
				 internal[i]);
		assert_true(has_kind(stl, internal[i]));
	}
	assert_true(has_kind(wt, "created"));
	assert_true(has_kind(wt, "status"));
	assert_true(has_kind(wt, "message_out"));
	assert_true(has_kind(wt, "message_in"));
	size_t i;
	json_t *e;
	int att_w = 0, att_s = 0;
	json_array_foreach (wt, i, e) {
		assert_string_equal(jstr(e, "user_name"), "");
		att_w += strcmp(jstr(e, "kind"), "attachment") == 0;
	}
	json_array_foreach (stl, i, e)
		att_s += strcmp(jstr(e, "kind"), "attachment") == 0;
	assert_int_equal(att_w, 1);
	assert_int_equal(att_s, 2);
	assert_true(json_array_size(stl) > json_array_size(wt));
	/* The public events, and only they, are the worker's: the same
	 * number as in the table. */
	assert_int_equal(json_array_size(wt),
			 fixture_count(f->db,
				       "SELECT count(*) FROM case_event WHERE"
				       " public = 1 AND case_id ="
				       " (SELECT min(id) FROM case_rec)",
				       NULL));

	/* Notes are staff's only. */
	json_t *notes = case_notes(f->db, &f->keys, id);
	assert_int_equal(json_array_size(notes), 1);
	assert_true(strncmp(jstr(json_array_get(notes, 0), "body"),
			    "NOTE-SECRET", 11) == 0);
	assert_string_equal(jstr(json_array_get(notes, 0), "user_name"),
			    "fp.th@example.org");
	json_decref(notes);

	/* Messages: from the worker or from staff (named for staff only). */
	json_t *wm = case_messages(f->db, &f->keys, id, true);
	json_t *sm = case_messages(f->db, &f->keys, id, false);
	assert_int_equal(json_array_size(wm), 2);
	assert_int_equal(json_array_size(sm), 2);
	json_t *m0 = json_array_get(wm, 0), *m1 = json_array_get(wm, 1);
	assert_true(json_is_false(json_object_get(m0, "from_worker")));
	assert_string_equal(jstr(m0, "user_name"), "");
	assert_string_equal(jstr(m0, "body"),
			    "Please send a photo of your contract.");
	assert_true(json_is_true(json_object_get(m1, "from_worker")));
	assert_string_equal(jstr(m1, "body"), "Here it is, thank you.");
	assert_string_equal(jstr(json_array_get(sm, 0), "user_name"),
			    "fp.th@example.org");
	assert_true(json_is_true(
		json_object_get(json_array_get(sm, 1), "from_worker")));
	assert_int_equal(events(f->db, id, "message_out"), 1);
	assert_int_equal(events(f->db, id, "message_in"), 1);
	assert_int_equal(audits(f->db, "case.message", id), 1);
	assert_int_equal(audits(f->db, "case.reply", id), 1);

	/* Evidence: the internal one is hidden from the worker. */
	json_t *wa = case_attachments(f->db, &f->keys, id, true);
	json_t *sa = case_attachments(f->db, &f->keys, id, false);
	assert_int_equal(json_array_size(wa), 1);
	assert_int_equal(json_array_size(sa), 2);
	json_t *pub_att = json_array_get(wa, 0);
	assert_string_equal(jstr(pub_att, "filename"), "contract.jpg");
	assert_string_equal(jstr(pub_att, "mime"), "image/jpeg");
	assert_int_equal(jint(pub_att, "size"), sizeof photo - 1);
	assert_true(json_is_true(json_object_get(pub_att, "from_worker")));
	assert_true(json_is_true(json_object_get(pub_att, "stripped")));
	assert_true(json_is_false(json_object_get(pub_att, "internal")));
	json_t *int_att = json_array_get(sa, 1);
	assert_true(json_is_true(json_object_get(int_att, "internal")));
	assert_true(json_is_false(json_object_get(int_att, "from_worker")));
	int64_t pub_id = jint(pub_att, "id"), int_id = jint(int_att, "id");

	void *data = NULL;
	size_t len = 0;
	char *mime = NULL, *fn = NULL;
	assert_int_equal(case_attachment_data(f->db, &f->keys, id, int_id, true,
					      &data, &len, &mime, &fn),
			 ERR_NOTFOUND);
	assert_null(data);
	assert_int_equal(case_attachment_data(f->db, &f->keys, id, int_id,
					      false, &data, &len, &mime, &fn),
			 ERR_OK);
	assert_int_equal(len, sizeof memo - 1);
	assert_memory_equal(data, memo, len);
	assert_string_equal(mime, "text/plain");
	assert_string_equal(fn, "inspector-memo.txt");
	free(data);
	free(mime);
	free(fn);
	assert_int_equal(case_attachment_data(f->db, &f->keys, id, pub_id, true,
					      &data, &len, &mime, &fn),
			 ERR_OK);
	assert_int_equal(len, sizeof photo - 1);
	assert_memory_equal(data, photo, len);
	free(data);
	free(mime);
	free(fn);
	/* Not through another case's number. */
	data = NULL;
	assert_int_equal(case_attachment_data(f->db, &f->keys, other, pub_id,
					      true, &data, &len, &mime, &fn),
			 ERR_NOTFOUND);
	assert_int_equal(case_attachment_data(f->db, &f->keys, other, int_id,
					      false, &data, &len, &mime, &fn),
			 ERR_NOTFOUND);
	assert_null(data);
	/* Sealed in the database, bytes and names. */
	assert_int_equal(db_contains(f->db, "JPEG-BYTES-EVIDENCE"), 0);
	assert_int_equal(db_contains(f->db, "INTERNAL-MEMO"), 0);
	assert_int_equal(db_contains(f->db, "inspector-memo"), 0);
	assert_int_equal(db_contains(f->db, "NOTE-SECRET"), 0);
	assert_int_equal(audits(f->db, "case.attach", id), 2);

	/* Nothing of what is internal reaches anything the worker gets. */
	json_t *all = json_pack("[OOOO]", wk, wt, wm, wa);
	char *dump = json_dumps(all, 0);
	assert_null(strstr(dump, "NOTE-SECRET"));
	assert_null(strstr(dump, "inspector-memo"));
	assert_null(strstr(dump, "fp.th@example.org"));
	assert_null(strstr(dump, "Thai Labour Congress"));
	free(dump);
	json_decref(all);
	json_decref(wk);
	json_decref(wt);
	json_decref(stl);
	json_decref(wm);
	json_decref(sm);
	json_decref(wa);
	json_decref(sa);
	audit_intact(f->db);
}

/* ---- 5. staff actions ---------------------------------------------- */

static void
test_assign(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "My employer has not paid me.");
	int64_t disabled = fixture_user(f->db, w.th, "gone.th@example.org",
					ROLE_FOCAL_POINT, "x");
	assert_int_equal(db_run(f->db,
				"UPDATE app_user SET disabled = 1 WHERE id = ?",
				"i", disabled),
			 ERR_OK);
	int64_t refused[] = {
		w.fp_mm.user_id,    w.fp_cso.user_id, w.partner_th.user_id,
		w.regional.user_id, disabled,         999999};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		int64_t ev = all_events(f->db, id), au = audit_rows(f->db);
		struct check c = {0};
		if (case_assign(f->db, &w.fp_th, id, refused[i], &c) !=
		    ERR_INVALID)
			fail_msg("assignee %lld accepted",
				 (long long)refused[i]);
		assert_non_null(check_message(&c, "assignee"));
		assert_true(col_is_null(f->db, "assignee_id", id));
		assert_int_equal(all_events(f->db, id), ev);
		assert_int_equal(audit_rows(f->db), au);
	}

	struct check c = {0};
	assert_int_equal(case_assign(f->db, &w.fp_th, id, w.fp_th2.user_id, &c),
			 ERR_OK);
	assert_int_equal(col_int(f->db, "assignee_id", id), w.fp_th2.user_id);
	assert_int_equal(events(f->db, id, "assigned"), 1);
	assert_int_equal(audits(f->db, "case.assign", id), 1);
	char *d = fixture_audit_detail(f->db, "case.assign");
	json_t *dj = json_loads(d, 0, NULL);
	assert_int_equal(jint(dj, "assignee"), w.fp_th2.user_id);
	json_decref(dj);
	free(d);
	/* An admin of the owner may be assigned too; 0 is nobody. */
	assert_int_equal(
		case_assign(f->db, &w.fp_th, id, w.admin_th.user_id, &c),
		ERR_OK);
	assert_int_equal(col_int(f->db, "assignee_id", id), w.admin_th.user_id);
	assert_int_equal(case_assign(f->db, &w.fp_th, id, 0, &c), ERR_OK);
	assert_true(col_is_null(f->db, "assignee_id", id));
	assert_int_equal(events(f->db, id, "assigned"), 3);
	assert_int_equal(c.n, 0);

	/* Whom the form offers: the owner's active staff. */
	json_t *a = case_assignable(f->db, w.th);
	assert_int_equal(json_array_size(a), 3);
	size_t i;
	json_t *o;
	json_array_foreach (a, i, o) {
		int64_t uid = jint(o, "id");
		assert_true(uid == w.fp_th.user_id || uid == w.fp_th2.user_id ||
			    uid == w.admin_th.user_id);
	}
	json_decref(a);
	struct check c2 = {0};
	assert_int_equal(
		case_assign(f->db, &w.fp_th, id + 50, w.fp_th.user_id, &c2),
		ERR_NOTFOUND);
	audit_intact(f->db);
}

static void
test_priority(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "My employer has not paid me.");
	int bad[] = {-1, 4, 100};
	for (size_t i = 0; i < 3; i++) {
		int64_t au = audit_rows(f->db);
		struct check c = {0};
		assert_int_equal(
			case_set_priority(f->db, &w.fp_th, id, bad[i], &c),
			ERR_INVALID);
		assert_non_null(check_message(&c, "priority"));
		assert_int_equal(col_int(f->db, "priority", id), 1);
		assert_int_equal(audit_rows(f->db), au);
	}
	int64_t created = col_int(f->db, "created_at", id);
	for (int p = CASE_PRIORITY_LOW; p <= CASE_PRIORITY_URGENT; p++) {
		struct check c = {0};
		assert_int_equal(case_set_priority(f->db, &w.fp_th, id, p, &c),
				 ERR_OK);
		assert_int_equal(col_int(f->db, "priority", id), p);
		/* The deadline follows, counted from intake. */
		assert_int_equal(col_int(f->db, "deadline_at", id),
				 created +
					 3600 * (int64_t)routing_deadline_hours(
							f->db, w.th, p));
	}
	assert_int_equal(events(f->db, id, "priority"), 4);
	assert_int_equal(audits(f->db, "case.priority", id), 4);
	audit_intact(f->db);
}

static void
expect_remedy_invalid(struct fixture *f, const struct actor *who, int64_t id,
		      struct case_remedy r, const char *field)
{
	int64_t au = audit_rows(f->db);
	struct check c = {0};
	if (case_record_remedy(f->db, &f->keys, who, id, &r, &c) != ERR_INVALID)
		fail_msg("remedy %s/%s/%s/%s accepted", r.kind ? r.kind : "",
			 r.amount ? r.amount : "", r.currency ? r.currency : "",
			 r.date ? r.date : "");
	if (check_message(&c, field) == NULL)
		fail_msg("no message for %s", field);
	assert_int_equal(audit_rows(f->db), au);
}

static void
expect_remedy_amount(struct fixture *f, const struct actor *who, int64_t id,
		     const char *amount, int64_t minor)
{
	struct case_remedy r = {.kind = "money_recovered",
				.amount = amount,
				.currency = "THB",
				.date = "2026-03-01",
				.note = ""};
	struct check c = {0};
	assert_int_equal(case_record_remedy(f->db, &f->keys, who, id, &r, &c),
			 ERR_OK);
	if (col_int(f->db, "remedy_amount", id) != minor)
		fail_msg("\"%s\": %lld, want %lld", amount,
			 (long long)col_int(f->db, "remedy_amount", id),
			 (long long)minor);
}

static void
test_remedy(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "My employer has not paid me.");
	struct case_remedy r = {.kind = "money_recovered",
				.amount = "1,500.50",
				.currency = "THB",
				.date = "2026-03-01",
				.note = "Paid in cash at the labour office."};
	struct check c = {0};
	assert_int_equal(
		case_record_remedy(f->db, &f->keys, &w.fp_th, id, &r, &c),
		ERR_OK);
	assert_int_equal(col_int(f->db, "remedy_amount", id), 150050);
	json_t *k = case_get(f->db, &f->keys, id, true, (int64_t)time(NULL));
	/* The worker reads the outcome, not staff's note about it. */
	assert_null(json_object_get(k, "remedy_note"));
	json_decref(k);
	k = case_get(f->db, &f->keys, id, false, (int64_t)time(NULL));
	assert_string_equal(jstr(k, "remedy_kind"), "money_recovered");
	assert_int_equal(jint(k, "remedy_amount"), 150050);
	assert_string_equal(jstr(k, "remedy_currency"), "THB");
	assert_string_equal(jstr(k, "remedy_date"), "2026-03-01");
	assert_string_equal(jstr(k, "remedy_note"),
			    "Paid in cash at the labour office.");
	json_decref(k);
	assert_int_equal(db_contains(f->db, "labour office"), 0);
	assert_int_equal(events(f->db, id, "remedy"), 1);
	assert_int_equal(audits(f->db, "case.remedy", id), 1);
	char *d = fixture_audit_detail(f->db, "case.remedy");
	json_t *dj = json_loads(d, 0, NULL);
	assert_int_equal(jint(dj, "amount"), 150050);
	assert_string_equal(jstr(dj, "currency"), "THB");
	json_decref(dj);
	free(d);

	/* Amounts as people type them, in minor units. */
	expect_remedy_amount(f, &w.fp_th, id, "1500", 150000);
	expect_remedy_amount(f, &w.fp_th, id, "1500.5", 150050);
	expect_remedy_amount(f, &w.fp_th, id, "1 500", 150000);
	expect_remedy_amount(f, &w.fp_th, id, "0.75", 75);
	expect_remedy_amount(f, &w.fp_th, id, "12,000", 1200000);

	struct case_remedy bad = r;
	bad.amount = "abc";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_amount");
	bad.amount = "1.505";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_amount");
	bad.amount = "1.5.0";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_amount");
	bad.amount = "-100";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_amount");
	bad.amount = ".50";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_amount");
	bad = r;
	bad.currency = "th";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_currency");
	bad.currency = "THBX";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_currency");
	bad.currency = "";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_currency");
	bad.currency = NULL;
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_currency");
	bad = r;
	bad.kind = "lottery";
	expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_kind");
	/* The date: YYYY-MM-DD, month 1-12, day 1-31. */
	const char *bad_dates[] = {"2026/03/01", "01-03-2026", "2026-3-1",
				   "2026-13-01", "2026-00-10", "2026-03-32",
				   "2026-03-00", "1900-01-01", "2026-03-01x",
				   "March 1"};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++) {
		bad = r;
		bad.date = bad_dates[i];
		expect_remedy_invalid(f, &w.fp_th, id, bad, "remedy_date");
	}
	/* Only the ranges are checked, not the calendar: 30 February
	 * passes (documented rule: YYYY-MM-DD, month 1-12, day 1-31). */
	struct case_remedy feb = r;
	feb.date = "2026-02-30";
	assert_int_equal(
		case_record_remedy(f->db, &f->keys, &w.fp_th, id, &feb, &c),
		ERR_OK);
	/* Without an amount: none stored, no currency needed. */
	struct case_remedy none = {.kind = "documents_returned",
				   .amount = "",
				   .currency = "",
				   .date = "",
				   .note = NULL};
	assert_int_equal(
		case_record_remedy(f->db, &f->keys, &w.fp_th, id, &none, &c),
		ERR_OK);
	assert_true(col_is_null(f->db, "remedy_amount", id));
	k = case_get(f->db, &f->keys, id, false, (int64_t)time(NULL));
	assert_null(json_object_get(k, "remedy_amount"));
	assert_string_equal(jstr(k, "remedy_currency"), "");
	assert_string_equal(jstr(k, "remedy_kind"), "documents_returned");
	json_decref(k);
	assert_int_equal(c.n, 0);
	audit_intact(f->db);
}

static void
test_contact(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "My employer has not paid me.");
	struct case_meeting m = {.on_date = "2026-03-02",
				 .place = "Mae Sot hub",
				 .who = "Aung and a focal point",
				 .summary = "Went through the payslips."};
	struct case_meeting bad = m;
	bad.place = "";
	struct check c = {0};
	assert_int_equal(
		case_add_contact(f->db, &f->keys, &w.fp_th, id, &bad, &c),
		ERR_INVALID);
	assert_non_null(check_message(&c, "place"));
	bad = m;
	bad.place = NULL;
	struct check c2 = {0};
	assert_int_equal(
		case_add_contact(f->db, &f->keys, &w.fp_th, id, &bad, &c2),
		ERR_INVALID);
	assert_non_null(check_message(&c2, "place"));
	bad = m;
	bad.on_date = "2 March";
	bad.who = "";
	bad.summary = "";
	struct check c3 = {0};
	assert_int_equal(
		case_add_contact(f->db, &f->keys, &w.fp_th, id, &bad, &c3),
		ERR_INVALID);
	assert_non_null(check_message(&c3, "on_date"));
	assert_non_null(check_message(&c3, "who"));
	assert_non_null(check_message(&c3, "summary"));
	assert_int_equal(events(f->db, id, "contact"), 0);

	struct check c4 = {0};
	assert_int_equal(
		case_add_contact(f->db, &f->keys, &w.fp_th, id, &m, &c4),
		ERR_OK);
	json_t *a = case_contacts(f->db, &f->keys, id);
	assert_int_equal(json_array_size(a), 1);
	json_t *o = json_array_get(a, 0);
	assert_string_equal(jstr(o, "on_date"), "2026-03-02");
	assert_string_equal(jstr(o, "place"), "Mae Sot hub");
	assert_string_equal(jstr(o, "who"), "Aung and a focal point");
	assert_string_equal(jstr(o, "summary"), "Went through the payslips.");
	assert_string_equal(jstr(o, "user_name"), "fp.th@example.org");
	json_decref(a);
	assert_int_equal(db_contains(f->db, "payslips"), 0);
	assert_int_equal(events(f->db, id, "contact"), 1);
	assert_int_equal(audits(f->db, "case.contact", id), 1);
	json_t *wt = case_timeline(f->db, id, true);
	assert_false(has_kind(wt, "contact"));
	json_decref(wt);
	audit_intact(f->db);
}

static void
test_triage(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in =
		input("They keep my wages back every month at the pier.");
	in.employer = "Sunrise Fisheries";
	in.agency = "Bright Path Recruitment";
	int64_t id = create(f, &pub, &in, NULL, NULL);
	struct case_filter flt = filter();
	flt.status = "all";
	flt.q = "Sunrise";
	expect_list(f, &w.fp_th, &flt, 1, 1, id);
	flt.q = "Bright Path";
	expect_list(f, &w.fp_th, &flt, 1, 1, id);

	struct case_input t = in;
	t.kind = "inquiry";
	t.category = "recruitment_fees";
	t.sector = "fishing";
	t.employer = "Golden Canning";
	t.agency = "";
	t.country_origin = "KH";
	struct check c = {0};
	assert_int_equal(case_triage(f->db, &f->keys, &w.fp_th, id, &t, &c),
			 ERR_OK);
	json_t *k = case_get(f->db, &f->keys, id, false, (int64_t)time(NULL));
	assert_string_equal(jstr(k, "kind"), "inquiry");
	assert_string_equal(jstr(k, "category"), "recruitment_fees");
	assert_string_equal(jstr(k, "sector"), "fishing");
	assert_string_equal(jstr(k, "employer"), "Golden Canning");
	assert_string_equal(jstr(k, "agency"), "");
	assert_string_equal(jstr(k, "country_origin"), "KH");
	/* The description is not triage's to change. */
	assert_string_equal(jstr(k, "description"), in.description);
	json_decref(k);
	assert_int_equal(events(f->db, id, "triaged"), 1);
	assert_int_equal(audits(f->db, "case.triage", id), 1);
	char *d = fixture_audit_detail(f->db, "case.triage");
	json_t *dj = json_loads(d, 0, NULL);
	json_t *changed = json_object_get(dj, "changed");
	assert_int_equal(json_array_size(changed), 2);
	json_decref(dj);
	free(d);

	/* The search follows: the new employer, not the old ones. */
	flt.q = "Golden";
	expect_list(f, &w.fp_th, &flt, 1, 1, id);
	flt.q = "golden canning";
	expect_list(f, &w.fp_th, &flt, 1, 1, id);
	flt.q = "Sunrise";
	expect_list(f, &w.fp_th, &flt, 0, 0);
	flt.q = "Bright Path";
	expect_list(f, &w.fp_th, &flt, 0, 0);
	flt.q = "pier";
	expect_list(f, &w.fp_th, &flt, 1, 1, id);
	/* A second triage keeps the index right. */
	t.employer = "Sunrise Fisheries";
	assert_int_equal(case_triage(f->db, &f->keys, &w.fp_th, id, &t, &c),
			 ERR_OK);
	flt.q = "Sunrise";
	expect_list(f, &w.fp_th, &flt, 1, 1, id);
	flt.q = "Golden";
	expect_list(f, &w.fp_th, &flt, 0, 0);

	/* Refused: nothing changes. */
	struct case_input bad = t;
	bad.kind = "petition";
	bad.country_work = "XX";
	bad.employer = "Someone Else";
	struct check c2 = {0};
	assert_int_equal(case_triage(f->db, &f->keys, &w.fp_th, id, &bad, &c2),
			 ERR_INVALID);
	assert_non_null(check_message(&c2, "kind"));
	assert_non_null(check_message(&c2, "country_work"));
	char *emp = col_text(f->db, "employer", id);
	assert_string_equal(emp, "Sunrise Fisheries");
	free(emp);
	assert_int_equal(events(f->db, id, "triaged"), 2);
	audit_intact(f->db);
}

/* ---- 6. the inbox ------------------------------------------------- */

static void
test_inbox_scope(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	/* A secretariat office in Thailand: the secretariat's, not the
	 * Thai affiliate admin's. */
	int64_t th_sec = fixture_org(f->db, "Secretariat Bangkok office",
				     "regional_secretariat", "TH");
	struct case_input in = input("My employer has not paid me.");
	int64_t c_th = create(f, &pub, &in, NULL, NULL);
	in.owner_org_id = w.th_cso;
	int64_t c_cso = create(f, &w.fp_cso, &in, NULL, NULL);
	in.owner_org_id = th_sec;
	int64_t c_tsec = create(f, &w.fp_sg, &in, NULL, NULL);
	in.owner_org_id = w.mm;
	int64_t c_mm = create(f, &w.fp_mm, &in, NULL, NULL);
	in.owner_org_id = w.sg;
	int64_t c_sg = create(f, &w.fp_sg, &in, NULL, NULL);

	struct case_filter flt = filter();
	flt.sort = "oldest";
	expect_list(f, &w.fp_th, &flt, 1, 1, c_th);
	expect_list(f, &w.fp_th2, &flt, 1, 1, c_th);
	expect_list(f, &w.fp_cso, &flt, 1, 1, c_cso);
	expect_list(f, &w.fp_mm, &flt, 1, 1, c_mm);
	expect_list(f, &w.admin_th, &flt, 2, 2, c_th, c_cso);
	expect_list(f, &w.regional, &flt, 5, 5, c_th, c_cso, c_tsec, c_mm,
		    c_sg);
	expect_list(f, &w.fp_sg, &flt, 5, 5, c_th, c_cso, c_tsec, c_mm, c_sg);
	expect_list(f, &w.partner_th, &flt, 0, 0);
	expect_list(f, &w.partner_sg, &flt, 0, 0);
	expect_list(f, &w.worker, &flt, 0, 0);
	/* A regional admin is regional wherever they sit. */
	struct actor ra = w.regional;
	ra.secretariat = false;
	expect_list(f, &ra, &flt, 5, 5, c_th, c_cso, c_tsec, c_mm, c_sg);
	/* An affiliate admin with no country sees nothing. */
	struct actor nowhere = w.admin_th;
	nowhere.country[0] = '\0';
	expect_list(f, &nowhere, &flt, 0, 0);

	/* The same scope for a search and for the counts. */
	char ref[16];
	char *raw = col_text(f->db, "reference", c_mm);
	case_reference_format(raw, ref);
	free(raw);
	flt.q = ref;
	expect_list(f, &w.fp_th, &flt, 0, 0);
	expect_list(f, &w.admin_th, &flt, 0, 0);
	expect_list(f, &w.fp_mm, &flt, 1, 1, c_mm);
	expect_list(f, &w.regional, &flt, 1, 1, c_mm);
	flt.q = "paid";
	expect_list(f, &w.fp_th, &flt, 1, 1, c_th);
	expect_list(f, &w.partner_th, &flt, 0, 0);
	int64_t now = (int64_t)time(NULL);
	struct {
		const struct actor *who;
		int64_t open;
	} counts[] = {{&w.fp_th, 1}, {&w.admin_th, 2},   {&w.regional, 5},
		      {&w.fp_sg, 5}, {&w.partner_th, 0}, {&w.partner_sg, 0},
		      {&w.fp_mm, 1}, {&w.worker, 0}};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		json_t *o = case_counts(f->db, counts[i].who, now);
		if (jint(o, "open") != counts[i].open ||
		    jint(o, "new") != counts[i].open)
			fail_msg("%s: open %lld new %lld, want %lld",
				 counts[i].who->label,
				 (long long)jint(o, "open"),
				 (long long)jint(o, "new"),
				 (long long)counts[i].open);
		json_decref(o);
	}
}

static void
test_inbox_filters(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	const struct actor *me = &w.fp_th;
	struct check c = {0};
	struct case_input in = input("Locked in the dormitory at night.");
	in.category = "forced_labour";
	in.danger = true;
	int64_t c1 = create(f, &pub, &in, NULL, NULL);
	in = input("My employer has not paid me.");
	int64_t c2 = create(f, &pub, &in, NULL, NULL);
	int64_t c3 = create(f, &pub, &in, NULL, NULL);
	walk_to(f, me, c3, CASE_RESOLVED);
	in.category = "osh";
	in.channel = "hotline";
	int64_t c4 = create(f, me, &in, NULL, NULL);
	walk_to(f, me, c4, CASE_CLOSED);
	in.category = "recruitment_fees";
	in.channel = "web";
	in.country_origin = "KH";
	int64_t c5 = create(f, &pub, &in, NULL, NULL);
	assert_int_equal(case_assign(f->db, me, c5, me->user_id, &c), ERR_OK);
	in.category = "wages";
	in.country_origin = "MM";
	int64_t c6 = create(f, &pub, &in, NULL, NULL);
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(db_run(f->db,
				"UPDATE case_rec SET deadline_at = ? WHERE"
				" id = ?",
				"ii", now - 60, c6),
			 ERR_OK);

	/* Open ones by default, danger first, then newest. */
	struct case_filter flt = filter();
	flt.now = now;
	expect_list(f, me, &flt, 4, 4, c1, c6, c5, c2);
	flt.status = "open";
	expect_list(f, me, &flt, 4, 4, c1, c6, c5, c2);
	flt.sort = "urgent";
	expect_list(f, me, &flt, 4, 4, c1, c6, c5, c2);
	flt.sort = "newest";
	expect_list(f, me, &flt, 4, 4, c6, c5, c2, c1);
	flt.sort = "oldest";
	expect_list(f, me, &flt, 4, 4, c1, c2, c5, c6);
	flt.sort = "id; DROP TABLE case_rec";
	expect_list(f, me, &flt, 4, 4, c1, c6, c5, c2);
	flt.sort = NULL;
	flt.status = "all";
	expect_list(f, me, &flt, 6, 6, c1, c6, c5, c4, c3, c2);
	flt.status = "resolved";
	expect_list(f, me, &flt, 1, 1, c3);
	flt.status = "closed";
	expect_list(f, me, &flt, 1, 1, c4);
	flt.status = "new";
	expect_list(f, me, &flt, 4, 4, c1, c6, c5, c2);
	flt.status = NULL;

	flt.category = "wages";
	expect_list(f, me, &flt, 2, 2, c6, c2);
	flt.status = "all";
	expect_list(f, me, &flt, 3, 3, c6, c3, c2);
	flt.status = NULL;
	flt.category = "";
	flt.channel = "hotline";
	expect_list(f, me, &flt, 0, 0);
	flt.status = "all";
	expect_list(f, me, &flt, 1, 1, c4);
	flt.status = NULL;
	flt.channel = NULL;
	flt.country_origin = "KH";
	expect_list(f, me, &flt, 1, 1, c5);
	flt.country_origin = NULL;
	flt.priority = CASE_PRIORITY_URGENT;
	expect_list(f, me, &flt, 1, 1, c1);
	flt.priority = -1;
	expect_list(f, me, &flt, 4, 4, c1, c6, c5, c2);

	flt.overdue = true;
	expect_list(f, me, &flt, 1, 1, c6);
	flt.overdue = false;
	json_t *out = json_array();
	int64_t total;
	assert_int_equal(case_list(f->db, &f->keys, me, &flt, out, &total),
			 ERR_OK);
	size_t i;
	json_t *o;
	json_array_foreach (out, i, o) {
		int64_t id = jint(o, "id");
		assert_int_equal(json_is_true(json_object_get(o, "overdue")),
				 id == c6);
		assert_int_equal(json_is_true(json_object_get(o, "danger")),
				 id == c1);
		char ref[16];
		char *raw = col_text(f->db, "reference", id);
		case_reference_format(raw, ref);
		free(raw);
		assert_string_equal(jstr(o, "reference_text"), ref);
		assert_string_equal(jstr(o, "owner_name"),
				    "Thai Labour Congress");
		assert_string_equal(jstr(o, "assignee_name"),
				    id == c5 ? "fp.th@example.org" : "");
		/* The inbox opens no sealed field. */
		assert_null(json_object_get(o, "description"));
		assert_null(json_object_get(o, "name"));
	}
	json_decref(out);

	flt.assignee = -1;
	expect_list(f, me, &flt, 3, 3, c1, c6, c2);
	flt.assignee = me->user_id;
	expect_list(f, me, &flt, 1, 1, c5);
	flt.assignee = w.fp_th2.user_id;
	expect_list(f, me, &flt, 0, 0);
	flt.assignee = 0;

	/* Pages of two. */
	flt.per_page = 2;
	flt.page = 1;
	expect_list(f, me, &flt, 4, 2, c1, c6);
	flt.page = 2;
	expect_list(f, me, &flt, 4, 2, c5, c2);
	flt.page = 3;
	expect_list(f, me, &flt, 4, 0);
	flt.page = 0;
	expect_list(f, me, &flt, 4, 2, c1, c6);
	flt.per_page = 0; /* the default */
	flt.page = 1;
	expect_list(f, me, &flt, 4, 4, c1, c6, c5, c2);
	audit_intact(f->db);
}

static void
test_search(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in = input("นายจ้างไม่จ่ายค่าจ้างสามเดือน");
	in.language = "th";
	int64_t a = create(f, &pub, &in, NULL, NULL);
	in = input("The agency kept my Passport and my work permit.");
	in.contact_method = "phone";
	in.contact = "+66 81-234 5678";
	in.consent_contact = true;
	char ref_b[CASE_REFERENCE_LEN + 1];
	int64_t b = create(f, &pub, &in, ref_b, NULL);
	in = input("Overtime is not paid at the garment factory.");
	in.contact_method = "email";
	in.contact = "Worker.One@Example.org";
	in.consent_contact = true;
	int64_t c = create(f, &pub, &in, NULL, NULL);
	/* Another organisation's case, with the same words. */
	in = input("The broker in Yangon kept my passport.");
	in.country_work = "";
	int64_t d = create(f, &pub, &in, NULL, NULL);
	assert_int_equal(col_int(f->db, "owner_org_id", d), w.mm);

	struct case_filter flt = filter();
	const struct actor *me = &w.fp_th;
	/* Thai, with no spaces between words. */
	flt.q = "ค่าจ้าง";
	expect_list(f, me, &flt, 1, 1, a);
	flt.q = "สามเดือน";
	expect_list(f, me, &flt, 1, 1, a);
	/* English, in any case; only in this organisation's cases. */
	flt.q = "passport";
	expect_list(f, me, &flt, 1, 1, b);
	flt.q = "PASSPORT";
	expect_list(f, me, &flt, 1, 1, b);
	flt.q = "Garment";
	expect_list(f, me, &flt, 1, 1, c);
	flt.q = "Yangon";
	expect_list(f, me, &flt, 0, 0);
	expect_list(f, &w.fp_mm, &flt, 1, 1, d);
	flt.q = "passport";
	expect_list(f, &w.fp_mm, &flt, 1, 1, d);
	expect_list(f, &w.regional, &flt, 2, 2, d, b);
	flt.q = "kept";
	expect_list(f, &w.regional, &flt, 2, 2, d, b);
	flt.q = "nonexistentword";
	expect_list(f, me, &flt, 0, 0);
	/* The reference, as it is written or typed. */
	char fmt[16];
	case_reference_format(ref_b, fmt);
	flt.q = fmt;
	expect_list(f, me, &flt, 1, 1, b);
	flt.q = ref_b;
	expect_list(f, me, &flt, 1, 1, b);
	char spaced[32];
	snprintf(spaced, sizeof spaced, "%.3s %.3s %.4s", ref_b, ref_b + 3,
		 ref_b + 6);
	flt.q = spaced;
	expect_list(f, me, &flt, 1, 1, b);
	/* The phone number, typed another way. */
	flt.q = "66812345678";
	expect_list(f, me, &flt, 1, 1, b);
	flt.q = "+66 (81) 234-5678";
	expect_list(f, me, &flt, 1, 1, b);
	flt.q = "+66 81 234 5679";
	expect_list(f, me, &flt, 0, 0);
	/* The e-mail address, in any case. */
	flt.q = "worker.one@example.org";
	expect_list(f, me, &flt, 1, 1, c);
	flt.q = "WORKER.ONE@EXAMPLE.ORG";
	expect_list(f, me, &flt, 1, 1, c);
	flt.q = "worker.two@example.org";
	expect_list(f, me, &flt, 0, 0);
	/* Search and filters together. */
	flt.q = "passport";
	flt.category = "osh";
	expect_list(f, me, &flt, 0, 0);
	flt.category = "wages";
	expect_list(f, me, &flt, 1, 1, b);
	flt.category = NULL;
	/* Resolved cases are found with status "all". */
	walk_to(f, me, b, CASE_RESOLVED);
	expect_list(f, me, &flt, 0, 0);
	flt.status = "all";
	expect_list(f, me, &flt, 1, 1, b);
	/* Odd input finds nothing and breaks nothing. */
	const char *odd[] = {"\"",        "'", "*", "AND",
			     "OR NOT",    "(", "^", "passport\"",
			     "NEAR(a b)", "-", "%", "_"};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		flt.q = odd[i];
		json_t *out = json_array();
		int64_t total = -1;
		if (case_list(f->db, &f->keys, me, &flt, out, &total) != ERR_OK)
			fail_msg("q \"%s\" failed", odd[i]);
		json_decref(out);
	}
	audit_intact(f->db);
}

/*
 * Regression: an e-mail address pasted with spaces around it is still
 * found as a contact (the search once decided before trimming).
 */
static void
test_search_email_with_spaces(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in = input("Overtime is not paid at the factory.");
	in.contact_method = "email";
	in.contact = "worker.one@example.org";
	in.consent_contact = true;
	int64_t c = create(f, &pub, &in, NULL, NULL);
	struct case_filter flt = filter();
	flt.q = "worker.one@example.org";
	expect_list(f, &w.fp_th, &flt, 1, 1, c);
	flt.q = " worker.one@example.org ";
	expect_list(f, &w.fp_th, &flt, 1, 1, c);
}

/* ---- 7. duplicates and merging ------------------------------------- */

/* The reason `want` is listed for `other` among id's duplicates
 * (NULL: not listed). */
static void
expect_dup(struct fixture *f, int64_t id, int64_t other, const char *want)
{
	json_t *a = case_duplicates(f->db, &f->keys, id);
	const char *got = NULL;
	size_t i;
	json_t *o;
	json_array_foreach (a, i, o) {
		assert_true(jint(o, "id") != id);
		if (jint(o, "id") == other) {
			got = jstr(o, "reason");
			if (strcmp(got, "text") == 0)
				assert_in_range(jint(o, "similarity"), 50, 100);
			char ref[16];
			char *raw = col_text(f->db, "reference", other);
			case_reference_format(raw, ref);
			free(raw);
			assert_string_equal(jstr(o, "reference_text"), ref);
		}
	}
	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
		fail_msg("duplicates of %lld: %lld listed as %s, want %s",
			 (long long)id, (long long)other, got ? got : "nothing",
			 want ? want : "nothing");
	json_decref(a);
}

static void
test_duplicates(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in =
		input("My employer did not pay overtime this month.");
	in.contact_method = "phone";
	in.contact = "+66 81 555 0101";
	in.consent_contact = true;
	int64_t p1 = create(f, &pub, &in, NULL, NULL);
	in.description = "I was injured at the construction site yesterday.";
	in.contact = "66815550101";
	int64_t p2 = create(f, &pub, &in, NULL, NULL);
	/* The same phone in another organisation's case. */
	in.owner_org_id = w.mm;
	int64_t p3 = create(f, &w.fp_mm, &in, NULL, NULL);
	in = input("The factory owner took our passports and will not give "
		   "them back to us.");
	int64_t t1 = create(f, &pub, &in, NULL, NULL);
	in.description = "The factory owner took our passports and will not "
			 "give them back.";
	int64_t t2 = create(f, &pub, &in, NULL, NULL);
	in.description = "A question about renewing my visa next year.";
	int64_t u = create(f, &pub, &in, NULL, NULL);

	expect_dup(f, p1, p2, "contact");
	expect_dup(f, p2, p1, "contact");
	expect_dup(f, p1, p3, NULL);
	expect_dup(f, p3, p1, NULL);
	expect_dup(f, t1, t2, "text");
	expect_dup(f, t2, t1, "text");
	expect_dup(f, p1, t1, NULL);
	expect_dup(f, t1, p1, NULL);
	int64_t all[] = {p1, p2, t1, t2};
	for (size_t i = 0; i < 4; i++) {
		expect_dup(f, all[i], u, NULL);
		expect_dup(f, u, all[i], NULL);
	}
	json_t *a = case_duplicates(f->db, &f->keys, u);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
	a = case_duplicates(f->db, &f->keys, u + 100);
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);

	/* Merged cases are no longer suggested. */
	struct check c = {0};
	assert_int_equal(case_merge(f->db, &w.fp_th, t1, t2, &c), ERR_OK);
	expect_dup(f, t1, t2, NULL);
	audit_intact(f->db);
}

static void
test_merge(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	struct case_input in = input("The factory owner took our passports.");
	char ref_a[CASE_REFERENCE_LEN + 1], ref_b[CASE_REFERENCE_LEN + 1];
	int64_t a = create(f, &pub, &in, ref_a, NULL);
	in.description = "The factory owner has our passports.";
	int64_t b = create(f, &pub, &in, ref_b, NULL);
	int64_t x = create(f, &pub, &in, NULL, NULL);
	int64_t closed = create(f, &pub, &in, NULL, NULL);
	struct check c = {0};
	assert_int_equal(case_add_message(f->db, &f->keys, &w.fp_th, a,
					  "Message on A.", &c),
			 ERR_OK);
	assert_int_equal(case_add_message(f->db, &f->keys, &pub, b,
					  "Message on B from the worker.", &c),
			 ERR_OK);
	assert_int_equal(
		case_add_note(f->db, &f->keys, &w.fp_th, b, "Note on B.", &c),
		ERR_OK);
	static const char ev[] = "photo";
	assert_int_equal(case_attach(f->db, &f->keys, &pub, b, "b.jpg",
				     "image/jpeg", ev, sizeof ev - 1, true,
				     false),
			 ERR_OK);
	walk_to(f, &w.fp_th, closed, CASE_CLOSED);
	assert_int_equal(c.n, 0);

	/* Refused: into itself, a closed case either way. */
	struct check c1 = {0};
	assert_int_equal(case_merge(f->db, &w.fp_th, a, a, &c1), ERR_INVALID);
	assert_non_null(check_message(&c1, "into"));
	int64_t au = audit_rows(f->db);
	struct check c2 = {0};
	assert_int_equal(case_merge(f->db, &w.fp_th, a, closed, &c2),
			 ERR_INVALID);
	assert_true(c2.n > 0);
	struct check c3 = {0};
	assert_int_equal(case_merge(f->db, &w.fp_th, closed, a, &c3),
			 ERR_INVALID);
	assert_true(c3.n > 0);
	assert_int_equal(audit_rows(f->db), au);
	expect_status(f->db, closed, "closed");
	expect_status(f->db, a, "new");
	struct check c4 = {0};
	assert_int_equal(case_merge(f->db, &w.fp_th, a, a + 100, &c4),
			 ERR_NOTFOUND);

	assert_int_equal(case_merge(f->db, &w.fp_th, a, b, &c), ERR_OK);
	expect_status(f->db, b, "merged");
	assert_int_equal(col_int(f->db, "merged_into", b), a);
	assert_int_equal(col_int(f->db, "is_open", b), 0);
	assert_true(col_is_null(f->db, "deadline_at", b));
	expect_status(f->db, a, "new");
	json_t *kb = case_get(f->db, &f->keys, b, false, (int64_t)time(NULL));
	char fmt_a[16], fmt_b[16];
	case_reference_format(ref_a, fmt_a);
	case_reference_format(ref_b, fmt_b);
	assert_int_equal(jint(kb, "merged_into"), a);
	/* (Given as the bare 10 digits, where reference_text has 3-3-4.) */
	char parsed[CASE_REFERENCE_LEN + 1];
	assert_true(case_reference_parse(jstr(kb, "merged_into_reference"),
					 parsed));
	assert_string_equal(parsed, ref_a);
	json_decref(kb);
	assert_int_equal(audits(f->db, "case.merge", b), 1);
	assert_int_equal(audits(f->db, "case.merge_into", a), 1);
	assert_int_equal(events(f->db, b, "merged"), 1);
	assert_int_equal(events(f->db, a, "merged_from"), 1);

	/* A's page shows B's history, marked with B's reference. */
	json_t *tl = case_timeline(f->db, a, false);
	size_t i;
	json_t *e;
	int from_b = 0, b_created = 0;
	json_array_foreach (tl, i, e) {
		if (strcmp(jstr(e, "case_reference"), fmt_b) == 0) {
			from_b++;
			b_created += strcmp(jstr(e, "kind"), "created") == 0;
		} else {
			assert_string_equal(jstr(e, "case_reference"), "");
		}
	}
	assert_int_equal(from_b, all_events(f->db, b));
	assert_int_equal(b_created, 1);
	assert_true(has_kind(tl, "merged_from"));
	json_decref(tl);
	/* Its messages, notes and evidence, for staff. */
	json_t *m = case_messages(f->db, &f->keys, a, false);
	assert_int_equal(json_array_size(m), 2);
	assert_string_equal(jstr(json_array_get(m, 1), "body"),
			    "Message on B from the worker.");
	json_decref(m);
	json_t *notes = case_notes(f->db, &f->keys, a);
	assert_int_equal(json_array_size(notes), 1);
	json_decref(notes);
	json_t *att = case_attachments(f->db, &f->keys, a, false);
	assert_int_equal(json_array_size(att), 1);
	int64_t att_id = jint(json_array_get(att, 0), "id");
	json_decref(att);
	void *data = NULL;
	size_t len;
	char *mime = NULL, *fn = NULL;
	assert_int_equal(case_attachment_data(f->db, &f->keys, a, att_id, false,
					      &data, &len, &mime, &fn),
			 ERR_OK);
	free(data);
	free(mime);
	free(fn);
	/* The worker of A sees only A's own. */
	m = case_messages(f->db, &f->keys, a, true);
	assert_int_equal(json_array_size(m), 1);
	json_decref(m);
	att = case_attachments(f->db, &f->keys, a, true);
	assert_int_equal(json_array_size(att), 0);
	json_decref(att);
	tl = case_timeline(f->db, a, true);
	json_array_foreach (tl, i, e)
		assert_string_equal(jstr(e, "case_reference"), "");
	json_decref(tl);
	/* The worker of B still has theirs, and is told of the merge. */
	m = case_messages(f->db, &f->keys, b, true);
	assert_int_equal(json_array_size(m), 1);
	json_decref(m);
	tl = case_timeline(f->db, b, true);
	assert_true(has_kind(tl, "merged"));
	json_decref(tl);
	/* The worker of a merged case can still write (staff read it on
	 * the kept case), but the merged case makes no moves. */
	struct check c5 = {0};
	assert_int_equal(
		case_add_message(f->db, &f->keys, &pub, b, "Hello again?", &c5),
		ERR_OK);
	m = case_messages(f->db, &f->keys, a, false);
	bool seen = false;
	size_t mi;
	json_t *mv;
	json_array_foreach (m, mi, mv)
		seen = seen || strcmp(jstr(mv, "body"), "Hello again?") == 0;
	assert_true(seen);
	json_decref(m);
	for (int s = CASE_NEW; s < CASE_STATUS__MAX; s++)
		expect_refused_move(f, &w.fp_th, b, (enum case_status)s);
	struct check c6 = {0};
	assert_int_equal(case_merge(f->db, &w.fp_th, x, b, &c6), ERR_INVALID);
	struct check c7 = {0};
	assert_int_equal(case_merge(f->db, &w.fp_th, b, x, &c7), ERR_INVALID);

	/* Merging A elsewhere takes B along: no chains. */
	assert_int_equal(case_merge(f->db, &w.fp_th, x, a, &c), ERR_OK);
	assert_int_equal(col_int(f->db, "merged_into", a), x);
	assert_int_equal(col_int(f->db, "merged_into", b), x);
	m = case_messages(f->db, &f->keys, x, false);
	assert_int_equal(json_array_size(m), 3);
	json_decref(m);
	audit_intact(f->db);
}

/* ---- 8. escalation and counts --------------------------------------- */

static void
test_escalation(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t e1 = create_simple(f, "My employer has not paid me.");
	int64_t e2 = create_simple(f, "My employer has not paid me either.");
	int64_t e3 = create_simple(f, "My employer paid me in the end.");
	walk_to(f, &w.fp_th, e3, CASE_RESOLVED);
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(case_escalate_due(f->db, now), 0);
	assert_int_equal(db_run(f->db,
				"UPDATE case_rec SET deadline_at = ? WHERE"
				" id IN (?, ?)",
				"iii", now - 60, e1, e3),
			 ERR_OK);

	/* Before: one overdue. */
	json_t *o = case_counts(f->db, &w.fp_th, now);
	assert_int_equal(jint(o, "new"), 2);
	assert_int_equal(jint(o, "open"), 2);
	assert_int_equal(jint(o, "overdue"), 1);
	assert_int_equal(jint(o, "escalated"), 0);
	assert_int_equal(jint(o, "mine"), 0);
	json_decref(o);

	assert_int_equal(case_escalate_due(f->db, now), 1);
	assert_int_equal(col_int(f->db, "escalated_at", e1), now);
	assert_true(col_is_null(f->db, "escalated_at", e2));
	assert_true(col_is_null(f->db, "escalated_at", e3));
	assert_int_equal(events(f->db, e1, "escalated"), 1);
	assert_int_equal(audits(f->db, "case.escalate", e1), 1);
	/* Once only. */
	assert_int_equal(case_escalate_due(f->db, now + 60), 0);
	assert_int_equal(events(f->db, e1, "escalated"), 1);
	assert_int_equal(fixture_audit_count(f->db, "case.escalate"), 1);
	/* Staff's business, not the worker's. */
	json_t *tl = case_timeline(f->db, e1, true);
	assert_false(has_kind(tl, "escalated"));
	json_decref(tl);
	tl = case_timeline(f->db, e1, false);
	assert_true(has_kind(tl, "escalated"));
	json_decref(tl);
	json_t *k = case_get(f->db, &f->keys, e1, false, now);
	assert_int_equal(jint(k, "escalated_at"), now);
	assert_true(json_is_true(json_object_get(k, "overdue")));
	json_decref(k);

	struct check c = {0};
	assert_int_equal(case_assign(f->db, &w.fp_th, e2, w.fp_th.user_id, &c),
			 ERR_OK);
	assert_int_equal(case_verify(f->db, &w.fp_th, e2, &c), ERR_OK);
	o = case_counts(f->db, &w.fp_th, now);
	assert_int_equal(jint(o, "new"), 1);
	assert_int_equal(jint(o, "open"), 2);
	assert_int_equal(jint(o, "overdue"), 1);
	assert_int_equal(jint(o, "escalated"), 1);
	assert_int_equal(jint(o, "mine"), 1);
	json_decref(o);
	/* The same counts for the secretariat; none for another country
	 * or a partner. */
	o = case_counts(f->db, &w.regional, now);
	assert_int_equal(jint(o, "open"), 2);
	assert_int_equal(jint(o, "escalated"), 1);
	assert_int_equal(jint(o, "mine"), 0);
	json_decref(o);
	const struct actor *none[] = {&w.fp_mm, &w.partner_th, &w.fp_cso};
	for (size_t i = 0; i < 3; i++) {
		o = case_counts(f->db, none[i], now);
		assert_int_equal(jint(o, "open"), 0);
		assert_int_equal(jint(o, "overdue"), 0);
		assert_int_equal(jint(o, "escalated"), 0);
		json_decref(o);
	}
	struct case_filter flt = filter();
	flt.escalated = true;
	flt.now = now;
	expect_list(f, &w.fp_th, &flt, 1, 1, e1);
	flt.escalated = false;
	flt.overdue = true;
	expect_list(f, &w.fp_th, &flt, 1, 1, e1);

	/* A later deadline (urgent: a day from intake) lifts it. */
	assert_int_equal(case_set_priority(f->db, &w.fp_th, e1,
					   CASE_PRIORITY_URGENT, &c),
			 ERR_OK);
	assert_true(col_is_null(f->db, "escalated_at", e1));
	assert_true(col_int(f->db, "deadline_at", e1) > now);
	assert_int_equal(case_escalate_due(f->db, now + 60), 0);
	o = case_counts(f->db, &w.fp_th, now);
	assert_int_equal(jint(o, "overdue"), 0);
	assert_int_equal(jint(o, "escalated"), 0);
	json_decref(o);
	/* And past that deadline it escalates again. */
	assert_int_equal(case_escalate_due(f->db, now + 400 * 86400), 2);
	audit_intact(f->db);
}

/* ---- 9. the audit log ------------------------------------------------ */

struct audit_row {
	char action[40];
	int64_t target_id, target_org_id;
	char label[64];
};

/* The audit entries about case `id`, oldest first. */
static size_t
audit_of(struct db *db, int64_t id, struct audit_row *out, size_t max)
{
	struct db_stmt *st = db_query(
		db,
		"SELECT action, target_id, target_org_id, actor_label FROM"
		" audit_log WHERE target_type = 'case' AND target_id = ?"
		" ORDER BY id",
		"i", id);
	assert_non_null(st);
	size_t n = 0;
	while (db_step(st) && n < max) {
		snprintf(out[n].action, sizeof out[n].action, "%s",
			 db_col_text(st, 0));
		out[n].target_id = db_col_int(st, 1);
		out[n].target_org_id = db_col_int(st, 2);
		snprintf(out[n].label, sizeof out[n].label, "%s",
			 db_col_text(st, 3) ? db_col_text(st, 3) : "");
		n++;
	}
	db_finalize(st);
	return n;
}

static void
test_audit(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	struct actor pub = public_actor();
	const struct actor *me = &w.fp_th;
	struct case_input in = input("The boss " CANARY " keeps my pay.");
	in.name = "Ko " CANARY;
	in.contact_method = "email";
	in.contact = "canary@example.org";
	in.consent_contact = true;
	int64_t id = create(f, &pub, &in, NULL, NULL);
	struct check c = {0};
	assert_int_equal(case_verify(f->db, me, id, &c), ERR_OK);
	set_status_ok(f, me, id, CASE_IN_PROGRESS);
	assert_int_equal(case_assign(f->db, me, id, me->user_id, &c), ERR_OK);
	assert_int_equal(case_add_message(f->db, &f->keys, me, id,
					  "Dear " CANARY ", we are on it.", &c),
			 ERR_OK);
	assert_int_equal(case_add_message(f->db, &f->keys, &pub, id,
					  "Thanks, " CANARY " here.", &c),
			 ERR_OK);
	assert_int_equal(case_add_note(f->db, &f->keys, me, id,
				       "Called " CANARY ".", &c),
			 ERR_OK);
	assert_int_equal(case_set_priority(f->db, me, id, 2, &c), ERR_OK);
	struct case_input t = in;
	t.employer = "Harbour Co.";
	assert_int_equal(case_triage(f->db, &f->keys, me, id, &t, &c), ERR_OK);
	struct case_remedy r = {.kind = "money_recovered",
				.amount = "900",
				.currency = "THB",
				.date = "2026-03-01",
				.note = "Paid to " CANARY "."};
	assert_int_equal(case_record_remedy(f->db, &f->keys, me, id, &r, &c),
			 ERR_OK);
	struct case_meeting m = {.on_date = "2026-03-02",
				 .place = "Hub",
				 .who = "Staff",
				 .summary = "Met " CANARY "."};
	assert_int_equal(case_add_contact(f->db, &f->keys, me, id, &m, &c),
			 ERR_OK);
	assert_int_equal(case_attach(f->db, &f->keys, me, id, CANARY ".pdf",
				     "application/pdf", CANARY, 12, false,
				     true),
			 ERR_OK);
	assert_int_equal(case_audit_read(f->db, me, id, w.th, NULL), ERR_OK);
	assert_int_equal(case_audit_read(f->db, me, id, w.th, "case.export"),
			 ERR_OK);
	set_status_ok(f, me, id, CASE_RESOLVED);
	set_status_ok(f, me, id, CASE_IN_PROGRESS);
	assert_int_equal(c.n, 0);

	static const char *const want[] = {
		"case.create",  "case.verify", "case.status",  "case.assign",
		"case.message", "case.reply",  "case.note",    "case.priority",
		"case.triage",  "case.remedy", "case.contact", "case.attach",
		"case.view",    "case.export", "case.status",  "case.reopen"};
	size_t nwant = sizeof want / sizeof want[0];
	struct audit_row rows[32];
	size_t n = audit_of(f->db, id, rows, 32);
	for (size_t i = 0; i < n && i < nwant; i++) {
		if (strcmp(rows[i].action, want[i]) != 0)
			fail_msg("audit entry %zu: %s, want %s", i,
				 rows[i].action, want[i]);
		assert_int_equal(rows[i].target_org_id, w.th);
		/* Who did it: the worker for intake and the reply. */
		bool worker = i == 0 || i == 5;
		if (!worker)
			assert_string_equal(rows[i].label, me->label);
	}
	assert_int_equal(n, nwant);

	/* Reject and merge, on other cases. */
	int64_t spam = create_simple(f, "Cheap watches, best prices!");
	assert_int_equal(case_reject(f->db, &f->keys, me, spam, "duplicate",
				     "Same as the other one.", &c),
			 ERR_OK);
	assert_int_equal(audits(f->db, "case.reject", spam), 1);
	int64_t dup = create_simple(f, "The boss keeps my pay.");
	assert_int_equal(case_merge(f->db, me, id, dup, &c), ERR_OK);
	assert_int_equal(audits(f->db, "case.merge", dup), 1);
	assert_int_equal(audits(f->db, "case.merge_into", id), 1);
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(db_run(f->db,
				"UPDATE case_rec SET deadline_at = ? WHERE"
				" id = ?",
				"ii", now - 1, id),
			 ERR_OK);
	assert_int_equal(case_escalate_due(f->db, now), 1);
	assert_int_equal(audits(f->db, "case.escalate", id), 1);

	/* Every action had its entry: as many as the actions taken. */
	assert_int_equal(audit_rows(f->db), (int64_t)nwant + 2 /* spam */ +
						    2 /* dup create+merge */ +
						    1 /* merge_into */ +
						    1 /* escalate */);
	/* Failed actions leave none. */
	int64_t before = audit_rows(f->db);
	struct check bad = {0};
	case_set_priority(f->db, me, id, 9, &bad);
	case_assign(f->db, me, id, w.fp_mm.user_id, &bad);
	case_add_message(f->db, &f->keys, me, id, "", &bad);
	case_add_note(f->db, &f->keys, me, id, NULL, &bad);
	case_merge(f->db, me, id, id, &bad);
	case_set_status(f->db, me, id, CASE_NEW, &bad);
	assert_int_equal(audit_rows(f->db), before);

	/* No entry, event or index holds what the worker wrote. */
	assert_int_equal(db_contains(f->db, CANARY), 0);
	assert_int_equal(db_contains(f->db, "canary@example.org"), 0);
	audit_intact(f->db);
}

/* A worker who writes after their case was resolved puts it back to
 * work; a merge never joins cases of two organisations (the kept case
 * would show the other's notes and files). */
static void
test_worker_reopens_and_merge_scope(void **state)
{
	struct fixture *f = *state;
	struct world w;
	world_init(f, &w);
	int64_t id = create_simple(f, "My employer has not paid me at all.");
	struct check c = {0};
	assert_int_equal(case_verify(f->db, &w.fp_th, id, &c), ERR_OK);
	assert_int_equal(
		case_set_status(f->db, &w.fp_th, id, CASE_IN_PROGRESS, &c),
		ERR_OK);
	assert_int_equal(
		case_set_status(f->db, &w.fp_th, id, CASE_RESOLVED, &c),
		ERR_OK);
	assert_int_equal(case_add_message(f->db, &f->keys, &w.worker, id,
					  "It is not over, they stopped again.",
					  &c),
			 ERR_OK);
	json_t *k = case_get(f->db, &f->keys, id, false, (int64_t)time(NULL));
	assert_string_equal(jstr(k, "status"), "in_progress");
	json_decref(k);
	assert_int_equal(events(f->db, id, "reopened"), 1);

	/* One case of the TH union, one routed to MM by its origin. */
	struct case_input mm =
		input("Passport kept by the employer for months.");
	mm.country_work = "";
	int64_t other = create(f, &w.worker, &mm, NULL, NULL);
	assert_int_equal(col_int(f->db, "owner_org_id", other), w.mm);
	struct check c2 = {0};
	assert_int_equal(case_merge(f->db, &w.regional, id, other, &c2),
			 ERR_INVALID);
	assert_non_null(check_message(&c2, "into"));
	k = case_get(f->db, &f->keys, other, false, (int64_t)time(NULL));
	assert_string_equal(jstr(k, "status"), "new");
	json_decref(k);
	audit_intact(f->db);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_matrix),
		T(test_set_status),
		T(test_resolved_to_closed_is_no_reopen),
		T(test_reject),
		T(test_reference),
		T(test_pin),
		T(test_intake_throttle),
		cmocka_unit_test(test_validate),
		T(test_intake),
		T(test_sealing),
		T(test_worker_view),
		T(test_assign),
		T(test_priority),
		T(test_remedy),
		T(test_contact),
		T(test_triage),
		T(test_inbox_scope),
		T(test_inbox_filters),
		T(test_search),
		T(test_search_email_with_spaces),
		T(test_duplicates),
		T(test_merge),
		T(test_escalation),
		T(test_audit),
		T(test_worker_reopens_and_merge_scope),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
