/*
 * gencases — fills an ATIS database with many realistic cases, for the
 * inbox and search benchmarks (bench/run.sh cases N, docs/benchmarks.md).
 *
 *   usage: gencases --db PATH --count N [--seed S] [--batch B]
 *
 * PATH must be a database made by `atis init` and `atis demo` (its key
 * file is PATH.key, as for atis itself).  N cases are added in
 * transactions of B rows (10,000 by default), sealed and indexed exactly
 * as case_create() in src/model/case.c does it: name, contact and
 * description sealed with case_seal() under the FIELD key, the contact's
 * keyed hash by case_keyed_hash() under the INDEX key (canonical form as
 * in case.c), the search index row by case_fts_put(), a "created"
 * timeline event by case_event_add(), is_demo = 1.  Every case passes
 * case_validate() before it is written.
 *
 * What differs from intake, on purpose:
 *   - One PIN hash, made once at start (a random PIN, thrown away), is
 *     shared by every generated case.  case_create() hashes a fresh PIN
 *     with Argon2id (~75 ms): a million of them would take a day.  A
 *     BENCHMARK SHORTCUT: nobody can open these cases from the worker's
 *     side, and no PIN check is benchmarked.
 *   - No "case.create" audit entry (the audit log is not benchmarked).
 *   - Cases are created in the past: created_at spreads over the three
 *     years before now, rising with the id; status, deadline, escalation
 *     and closing time are set as the workflow would have left them
 *     (closed cases have no deadline; an open case past its deadline is
 *     escalated, with its "escalated" event, as case_escalate_due() would
 *     have done).  Older cases are more often closed: ~15 % are open
 *     overall, most of them recent.
 *   - Bulk-load settings on this connection only: a 512 MiB page cache.
 *
 * The mix (weights in the tables below): kinds, categories (mostly
 * wages, recruitment fees and documents taken), countries of work TH MY
 * SG, origins MM KH LA ID PH VN NP BD weighted per country of work,
 * sectors, channels, ~1 % in danger, ~70 % with a contact (some repeated:
 * the same worker writing again, so duplicates exist), employers and
 * agencies from a few hundred fictitious "DEMO …" names, descriptions of
 * 100-600 characters from bench/phrases.h.  The owner is whatever
 * routing_resolve() says for the countries (the affiliate of the country
 * of work), so the owners follow the routing rule of the database.
 *
 * With --seed the choices repeat from run to run (the sealed bytes do not:
 * every seal has a random nonce).
 *
 *   cc -std=c17 -D_GNU_SOURCE -O2 -Isrc $(pkg-config --cflags jansson) \
 *      -o gencases bench/gencases.c build/libatis.a $(LIBS of the Makefile)
 */
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/str.h"
#include "db/db.h"
#include "model/case.h"
#include "model/case_internal.h"
#include "model/check.h"
#include "model/routing.h"

#include "phrases.h"

#define YEAR (365 * 86400LL)
#define SPAN (3 * YEAR)

/* ---- random numbers (xoshiro256**, seeded by splitmix64) ---------------- */

static uint64_t rs[4];

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rnd(void)
{
	uint64_t r = rs[1] * 5;
	r = ((r << 7) | (r >> 57)) * 9;
	uint64_t t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = (rs[3] << 45) | (rs[3] >> 19);
	return r;
}

/* Uniform in [0, n). */
static uint64_t
below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* Uniform in [0, 1). */
static double
unit(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static bool
chance(double p)
{
	return unit() < p;
}

/* ---- weighted choices ---------------------------------------------------- */

struct wv {
	const char *v;
	int w;
};

static const char *
pick(const struct wv *t)
{
	int sum = 0;
	for (const struct wv *p = t; p->v; p++)
		sum += p->w;
	int r = (int)below((uint64_t)sum);
	for (const struct wv *p = t; p->v; p++) {
		if (r < p->w)
			return p->v;
		r -= p->w;
	}
	return t->v;
}

static const struct wv kinds[] = {
	{"complaint", 75}, {"inquiry", 18}, {"assistance", 7}, {NULL, 0}};

static const struct wv categories[] = {
	{"wages", 30},
	{"recruitment_fees", 18},
	{"document_retention", 14},
	{"contract_substitution", 8},
	{"osh", 6},
	{"immigration_status", 5},
	{"abuse_violence", 5},
	{"social_security", 4},
	{"forced_labour", 3},
	{"repatriation", 3},
	{"death_injury", 2},
	{"other", 2},
	{NULL, 0},
};

static const struct wv works[] = {
	{"TH", 45}, {"MY", 35}, {"SG", 20}, {NULL, 0}};

static const struct wv origins_th[] = {{"MM", 55}, {"KH", 25}, {"LA", 15},
				       {"VN", 3},  {"", 2},    {NULL, 0}};
static const struct wv origins_my[] = {{"ID", 35}, {"NP", 18}, {"BD", 18},
				       {"MM", 12}, {"PH", 6},  {"VN", 5},
				       {"KH", 3},  {"", 3},    {NULL, 0}};
static const struct wv origins_sg[] = {{"BD", 30}, {"PH", 28}, {"ID", 15},
				       {"MM", 15}, {"VN", 4},  {"NP", 3},
				       {"", 5},    {NULL, 0}};

static const struct wv sectors_th[] = {{"fishing", 14},
				       {"construction", 20},
				       {"manufacturing", 22},
				       {"agriculture", 15},
				       {"domestic_work", 9},
				       {"hospitality", 9},
				       {"services", 5},
				       {"care", 1},
				       {"other", 2},
				       {"", 3},
				       {NULL, 0}};
static const struct wv sectors_my[] = {{"manufacturing", 28},
				       {"agriculture", 22},
				       {"construction", 18},
				       {"domestic_work", 10},
				       {"services", 9},
				       {"hospitality", 6},
				       {"fishing", 2},
				       {"care", 1},
				       {"other", 1},
				       {"", 3},
				       {NULL, 0}};
static const struct wv sectors_sg[] = {{"construction", 30},
				       {"domestic_work", 28},
				       {"manufacturing", 10},
				       {"services", 12},
				       {"hospitality", 8},
				       {"care", 6},
				       {"other", 2},
				       {"", 4},
				       {NULL, 0}};

static const struct wv channels[] = {
	{"web", 60},  {"hotline", 20},    {"walk_in", 12}, {"sms", 3},
	{"email", 3}, {"referral_in", 2}, {NULL, 0}};

static const struct wv remedies[] = {{"money_recovered", 40},
				     {"documents_returned", 14},
				     {"repatriation", 8},
				     {"contract_corrected", 8},
				     {"reinstatement", 5},
				     {"compensation", 5},
				     {"legal_case_filed", 4},
				     {"apology", 4},
				     {"other", 4},
				     {"none", 8},
				     {NULL, 0}};

/* The language a worker from `origin` writes in (bench/phrases.h). */
static const char *
language_of(const char *origin, const char *work)
{
	static const struct wv mm[] = {
		{"my", 55}, {"th", 15}, {"en", 30}, {NULL, 0}};
	static const struct wv kh[] = {
		{"km", 55}, {"th", 20}, {"en", 25}, {NULL, 0}};
	static const struct wv la[] = {{"th", 65}, {"en", 35}, {NULL, 0}};
	static const struct wv id[] = {{"id", 85}, {"en", 15}, {NULL, 0}};
	static const struct wv ph[] = {{"fil", 50}, {"en", 50}, {NULL, 0}};
	static const struct wv vn[] = {{"vi", 85}, {"en", 15}, {NULL, 0}};
	static const struct wv th[] = {{"th", 50}, {"en", 50}, {NULL, 0}};
	if (str_eq(origin, "MM"))
		return pick(mm);
	if (str_eq(origin, "KH"))
		return pick(kh);
	if (str_eq(origin, "LA"))
		return pick(la);
	if (str_eq(origin, "ID"))
		return pick(id);
	if (str_eq(origin, "PH"))
		return pick(ph);
	if (str_eq(origin, "VN"))
		return pick(vn);
	if (str_empty(origin) && str_eq(work, "TH"))
		return pick(th);
	return "en"; /* NP, BD, unknown */
}

/* ---- employers and agencies ------------------------------------------- */

static const char *const stems_th[] = {
	"Siam", "Chao Phraya",     "Samut",        "Andaman", "Lanna",
	"Isan", "Golden Elephant", "Royal Orchid", "Krung",   "Mekong"};
static const char *const stems_my[] = {
	"Selangor", "Johor",    "Penang", "Borneo", "Malacca",
	"Perak",    "Kinabalu", "Klang",  "Pahang", "Kedah"};
static const char *const stems_sg[] = {
	"Marina",  "Jurong",  "Tuas",    "Changi",    "Raffles",
	"Sentosa", "Orchard", "Kallang", "Woodlands", "Tampines"};

/* Kinds of business per sector (case_sectors order; "" = other). */
static const struct {
	const char *sector;
	const char *types[4];
} business[] = {
	{"fishing", {"Seafood", "Fishing Fleet", "Marine Products", NULL}},
	{"construction", {"Builders", "Construction", "Engineering", NULL}},
	{"manufacturing", {"Garment", "Electronics", "Gloves", "Canning"}},
	{"agriculture",
	 {"Palm Estate", "Rubber Plantation", "Fruit Farm", "Poultry"}},
	{"domestic_work", {"Household Services", "Home Helpers", NULL, NULL}},
	{"hospitality", {"Hotel", "Restaurant", "Mart", NULL}},
	{"care", {"Care Home", "Elderly Care", NULL, NULL}},
	{"services", {"Cleaning Services", "Security Services", NULL, NULL}},
	{"", {"Trading", "Logistics", NULL, NULL}},
};

/* A skewed index in [0, n): a few employers get many of the cases. */
static size_t
skewed(size_t n)
{
	double u = unit();
	size_t i = (size_t)(n * u * u);
	return i < n ? i : n - 1;
}

static void
employer_name(char *out, size_t len, const char *work, const char *sector)
{
	const char *const *stems = str_eq(work, "TH")   ? stems_th
				   : str_eq(work, "MY") ? stems_my
							: stems_sg;
	const char *suffix = str_eq(work, "TH")   ? "Co., Ltd."
			     : str_eq(work, "MY") ? "Sdn Bhd"
						  : "Pte Ltd";
	size_t b = sizeof business / sizeof business[0] - 1;
	for (size_t i = 0; i < sizeof business / sizeof business[0]; i++)
		if (str_eq(business[i].sector, sector))
			b = i;
	size_t nt = 0;
	while (nt < 4 && business[b].types[nt])
		nt++;
	snprintf(out, len, "DEMO %s %s %s", stems[skewed(10)],
		 business[b].types[below(nt)], suffix);
}

static void
agency_name(char *out, size_t len, const char *origin)
{
	static const struct {
		const char *country;
		const char *cities[4];
	} places[] = {
		{"MM", {"Yangon", "Mandalay", "Mawlamyine", "Myawaddy"}},
		{"KH", {"Phnom Penh", "Battambang", "Poipet", NULL}},
		{"LA", {"Vientiane", "Savannakhet", "Pakse", NULL}},
		{"ID", {"Jakarta", "Surabaya", "Lombok", "Semarang"}},
		{"PH", {"Manila", "Cebu", "Davao", NULL}},
		{"VN", {"Hanoi", "Nghe An", "Ha Tinh", NULL}},
		{"NP", {"Kathmandu", "Pokhara", NULL, NULL}},
		{"BD", {"Dhaka", "Chittagong", "Sylhet", NULL}},
	};
	static const char *const types[] = {
		"Overseas Employment", "Manpower", "Recruitment Agency",
		"Labour Export", "Golden Bridge Services"};
	const char *city = "Bangkok";
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
		if (str_eq(places[i].country, origin)) {
			size_t n = 0;
			while (n < 4 && places[i].cities[n])
				n++;
			city = places[i].cities[skewed(n)];
		}
	snprintf(out, len, "DEMO %s %s", city, types[skewed(5)]);
}

/* ---- names and contacts ------------------------------------------------- */

static const char *
person_name(const char *origin, char *out, size_t len)
{
	static const char *const mm[] = {"Aung", "Ko Ko", "Thandar",
					 "Hnin", "Zaw",   "Su Su"};
	static const char *const kh[] = {"Sokha", "Dara", "Srey Mom", "Vannak",
					 "Chenda"};
	static const char *const la[] = {"Noy", "Somchai", "Khamla", "Bounmy",
					 "Keo"};
	static const char *const id[] = {"Siti", "Dewi", "Agus",
					 "Budi", "Rina", "Wati"};
	static const char *const ph[] = {"Maria", "Jocelyn", "Rodel", "Liza",
					 "Mark"};
	static const char *const vn[] = {"Nguyen Van", "Tran Thi", "Le Van",
					 "Pham Thi"};
	static const char *const sa[] = {"Ram",   "Sita", "Rahim",
					 "Karim", "Anju", "Bikash"};
	const char *const *l = sa;
	size_t n = 6;
#define USE(a) (l = a, n = sizeof a / sizeof a[0])
	if (str_eq(origin, "MM"))
		USE(mm);
	else if (str_eq(origin, "KH"))
		USE(kh);
	else if (str_eq(origin, "LA"))
		USE(la);
	else if (str_eq(origin, "ID"))
		USE(id);
	else if (str_eq(origin, "PH"))
		USE(ph);
	else if (str_eq(origin, "VN"))
		USE(vn);
#undef USE
	snprintf(out, len, "%s %c. (demo)", l[below(n)],
		 (char)('A' + below(26)));
	return out;
}

/* The contact of worker number `who`: the same worker always has the
 * same one (the canonical form is case.c's contact_canonical). */
static void
contact_of(uint64_t who, const char *method, const char *work, char *out,
	   size_t len, char *canon, size_t clen)
{
	uint64_t x = who * 2654435761ULL + 12345;
	uint64_t d = splitmix(&x) % 100000000ULL; /* 8 digits */
	const char *cc = str_eq(work, "TH")   ? "66"
			 : str_eq(work, "MY") ? "60"
					      : "65";
	if (str_eq(method, "phone")) {
		snprintf(out, len, "+%s %02llu %03llu %04llu", cc,
			 (unsigned long long)(d / 10000000ULL % 10 + 80),
			 (unsigned long long)(d / 10000 % 1000),
			 (unsigned long long)(d % 10000));
		size_t o = 0;
		for (const char *p = out; *p && o + 1 < clen; p++)
			if (*p >= '0' && *p <= '9')
				canon[o++] = *p;
		canon[o] = '\0';
		return;
	}
	if (str_eq(method, "email"))
		snprintf(out, len, "worker%llu@example.invalid",
			 (unsigned long long)who);
	else
		snprintf(out, len, "%s demo-%llu",
			 d % 3 == 0   ? "WhatsApp"
			 : d % 3 == 1 ? "LINE"
				      : "Viber",
			 (unsigned long long)who);
	snprintf(canon, clen, "%s", out);
	str_lower(str_trim(canon));
}

/* ---- descriptions -------------------------------------------------------- */

static enum topic
topic_of(const char *category)
{
	static const struct {
		const char *c;
		enum topic t;
	} m[] = {
		{"wages", T_WAGES},
		{"recruitment_fees", T_FEES},
		{"document_retention", T_DOCS},
		{"contract_substitution", T_CONTRACT},
		{"osh", T_INJURY},
		{"death_injury", T_INJURY},
		{"abuse_violence", T_ABUSE},
		{"forced_labour", T_FORCED},
		{"social_security", T_SOCIAL},
		{"immigration_status", T_VISA},
		{"repatriation", T_HOME},
	};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		if (str_eq(m[i].c, category))
			return m[i].t;
	return T_GENERAL;
}

#define NPHRASES (sizeof phrases / sizeof phrases[0])

/* A random phrase of `lang` on `topic`, or -1 when there is none. */
static int
phrase_of(const char *lang, enum topic topic)
{
	int idx[NPHRASES];
	int n = 0;
	for (size_t i = 0; i < NPHRASES; i++)
		if (phrases[i].topic == topic && str_eq(phrases[i].lang, lang))
			idx[n++] = (int)i;
	return n ? idx[below((uint64_t)n)] : -1;
}

static size_t
codepoints(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Appends phrase `p` with its placeholders filled in. */
static void
put_phrase(struct buf *b, int p, const char *work)
{
	const char *cur = str_eq(work, "TH")   ? "baht"
			  : str_eq(work, "MY") ? "ringgit"
					       : "dollars";
	if (b->len)
		buf_puts(b, " ");
	for (const char *s = phrases[p].text; *s;) {
		if (str_starts(s, "{n}")) {
			buf_printf(b, "%d", 2 + (int)below(5));
			s += 3;
		} else if (str_starts(s, "{h}")) {
			buf_printf(b, "%d", 12 + (int)below(7));
			s += 3;
		} else if (str_starts(s, "{m}")) {
			buf_printf(b, "%d,%03d", 1 + (int)below(60),
				   (int)below(10) * 100);
			s += 3;
		} else if (str_starts(s, "{cur}")) {
			buf_puts(b, cur);
			s += 5;
		} else {
			buf_putc(b, *s++);
		}
	}
}

/*
 * 100-600 characters (code points): a sentence on the case's topic, then
 * more on it, on nearby topics or general ones, never the same sentence
 * twice, until the length drawn for this case is reached; sometimes an
 * English sentence in between, as people mix languages.
 */
static void
make_description(struct buf *b, const char *lang, const char *category,
		 const char *work)
{
	buf_reset(b);
	double u = unit();
	size_t target = 100 + (size_t)(500 * u * sqrt(u));
	enum topic main = topic_of(category);
	bool used[NPHRASES] = {false};
	int tries = 0;
	while (tries++ < 60) {
		size_t have = codepoints(b->data, b->len);
		if (have >= target)
			break;
		const char *l = (tries > 1 && chance(0.12)) ? "en" : lang;
		enum topic t;
		if (tries == 1 || chance(0.35))
			t = main;
		else if (chance(0.4))
			t = T_GENERAL;
		else
			t = (enum topic)below(T_RARE); /* any but rare */
		if (tries > 1 && chance(1.0 / 10000))
			t = T_RARE;
		int p = phrase_of(l, t);
		if (p < 0)
			p = phrase_of(l, tries == 1 ? T_WAGES : T_GENERAL);
		if (p < 0 || used[p])
			continue;
		/* Too long with it: stop once there is enough text. */
		size_t add =
			codepoints(phrases[p].text, strlen(phrases[p].text));
		if (have + add + 8 > 600) {
			if (have >= 100)
				break;
			continue;
		}
		used[p] = true;
		put_phrase(b, p, work);
	}
	/* Short phrase banks: pad with general sentences (every language
	 * has some). */
	while (codepoints(b->data, b->len) < 100)
		put_phrase(b, phrase_of(lang, T_GENERAL), work);
}

/* ---- references (case.c's: 9 random digits and a Damm check digit) ---- */

static const unsigned char damm[10][10] = {
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

static void
new_reference(char out[CASE_REFERENCE_LEN + 1])
{
	out[0] = (char)('1' + below(9));
	for (int i = 1; i < CASE_REFERENCE_LEN - 1; i++)
		out[i] = (char)('0' + below(10));
	int interim = 0;
	for (int i = 0; i < CASE_REFERENCE_LEN - 1; i++)
		interim = damm[interim][out[i] - '0'];
	out[CASE_REFERENCE_LEN - 1] = (char)('0' + interim);
	out[CASE_REFERENCE_LEN] = '\0';
}

/* ---- what the database holds -------------------------------------------- */

struct owner {
	char work[3], origin[3];
	int64_t org_id;
	char country[3];
	const char *why;
	int64_t focal, admin; /* staff of that organisation, or 0 */
	int64_t hours[4];
};

static struct owner owners[64];
static size_t nowners;

static int64_t
staff_of(struct db *db, int64_t org, const char *role)
{
	int64_t id = 0;
	db_query_int(db, &id,
		     "SELECT id FROM app_user WHERE org_id = ? AND role = ?"
		     " AND disabled = 0 ORDER BY id LIMIT 1",
		     "it", org, role);
	return id;
}

static const struct owner *
owner_of(struct db *db, const char *work, const char *origin)
{
	for (size_t i = 0; i < nowners; i++)
		if (str_eq(owners[i].work, work) &&
		    str_eq(owners[i].origin, origin))
			return &owners[i];
	if (nowners == sizeof owners / sizeof owners[0])
		return NULL;
	struct owner *o = &owners[nowners];
	memset(o, 0, sizeof *o);
	snprintf(o->work, sizeof o->work, "%s", work);
	snprintf(o->origin, sizeof o->origin, "%s", origin);
	if (routing_resolve(db, work, origin, &o->org_id, &o->why))
		return NULL;
	struct db_stmt *st =
		db_query(db, "SELECT country FROM organisation WHERE id = ?",
			 "i", o->org_id);
	if (st && db_step(st))
		snprintf(o->country, sizeof o->country, "%s",
			 case_nz(db_col_text(st, 0)));
	db_finalize(st);
	o->focal = staff_of(db, o->org_id, "focal_point");
	o->admin = staff_of(db, o->org_id, "affiliate_admin");
	if (o->admin == 0)
		o->admin = staff_of(db, o->org_id, "regional_admin");
	for (int p = 0; p < 4; p++)
		o->hours[p] = routing_deadline_hours(db, o->org_id, p);
	nowners++;
	return o;
}

/* ---- one case ----------------------------------------------------------- */

#define RECENT 2048

struct gen {
	struct db *db;
	struct case_keys k;
	char pin_hash[CRYPTO_PWHASH_MAX];
	int64_t now, t0;
	uint64_t total;
	uint64_t next_worker;
	uint64_t recent[RECENT]; /* workers who wrote lately, for repeats */
	const char *recent_work[RECENT];
	size_t nrecent;
	struct buf desc;
	uint64_t open, danger, contacts, repeats, escalated;
};

static void
ymd(int64_t t, char *out, size_t len, bool day)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, len, day ? "%Y-%m-%d" : "%Y-%m", &tm);
}

static enum err
one_case(struct gen *g, uint64_t i)
{
	/* In id order over three years, with a little jitter. */
	int64_t created =
		g->t0 + (int64_t)((double)SPAN * ((double)i + unit()) /
				  (double)g->total);
	if (created > g->now - 60)
		created = g->now - 60;
	double age_days = (double)(g->now - created) / 86400.0;

	/* A contact for 70 %; now and then the same worker again (so the
	 * same contact: a duplicate), working in the same country. */
	bool with_contact = chance(0.70);
	uint64_t who = 0;
	const char *work;
	if (with_contact && g->nrecent > 0 && chance(0.08)) {
		size_t n = g->nrecent < RECENT ? g->nrecent : RECENT;
		size_t r = below(n);
		who = g->recent[r];
		work = g->recent_work[r];
		g->repeats++;
	} else {
		work = pick(works);
		if (with_contact)
			who = g->next_worker++;
	}
	if (with_contact) {
		g->recent[g->nrecent % RECENT] = who;
		g->recent_work[g->nrecent % RECENT] = work;
		g->nrecent++;
	}
	const char *origin = pick(str_eq(work, "TH")   ? origins_th
				  : str_eq(work, "MY") ? origins_my
						       : origins_sg);
	const char *sector = pick(str_eq(work, "TH")   ? sectors_th
				  : str_eq(work, "MY") ? sectors_my
						       : sectors_sg);
	const char *kind = pick(kinds);
	const char *category = pick(categories);
	bool danger = chance(0.01);
	if (danger && chance(0.5))
		kind = "assistance";
	const char *lang = language_of(origin, work);
	const char *channel = pick(channels);

	char employer[128] = "", agency[128] = "", name[64] = "";
	if (chance(0.85))
		employer_name(employer, sizeof employer, work, sector);
	if (chance(0.5) && !str_empty(origin))
		agency_name(agency, sizeof agency, origin);
	if (chance(0.6))
		person_name(origin, name, sizeof name);

	char contact[128] = "", canon[128] = "";
	const char *method = "none";
	if (with_contact) {
		/* The method follows the worker: one each. */
		uint64_t x = who;
		const char *const m3[] = {"phone", "messaging", "email"};
		uint64_t r = splitmix(&x) % 100;
		method = m3[r < 55 ? 0 : r < 85 ? 1 : 2];
		contact_of(who, method, work, contact, sizeof contact, canon,
			   sizeof canon);
		g->contacts++;
	}
	bool has_contact = !str_eq(method, "none");

	char started[16] = "";
	if (chance(0.6))
		ymd(created - (int64_t)below(3 * YEAR / 2), started,
		    sizeof started, false);

	make_description(&g->desc, lang, category, work);

	const struct owner *o = owner_of(g->db, work, origin);
	if (o == NULL)
		return ERR_NOTFOUND;

	struct case_input in = {
		.kind = kind,
		.category = category,
		.description = buf_cstr(&g->desc),
		.country_work = work,
		.country_origin = origin,
		.sector = sector,
		.employer = employer,
		.agency = agency,
		.started_on = started,
		.language = lang,
		.gender = str_eq(sector, "domestic_work") ||
					  str_eq(sector, "care")
				  ? (chance(0.9) ? "woman" : "man")
				  : pick((const struct wv[]){{"man", 55},
							     {"woman", 40},
							     {"", 4},
							     {"other", 1},
							     {NULL, 0}}),
		.name = name,
		.contact_method = method,
		.contact = contact,
		.consent_contact = has_contact,
		.consent_share = chance(0.4),
		.danger = danger,
		.channel = channel,
		.is_demo = true,
	};
	struct check chk = {0};
	if (!case_validate(&in, &chk)) {
		fprintf(stderr,
			"gencases: case %llu does not validate: %s: %s\n",
			(unsigned long long)i, chk.items[0].field,
			chk.items[0].msgid);
		return ERR_INVALID;
	}

	/* case.c's initial_priority. */
	int priority = danger ? CASE_PRIORITY_URGENT
		       : (str_eq(category, "forced_labour") ||
			  str_eq(category, "abuse_violence") ||
			  str_eq(category, "death_injury") ||
			  str_eq(kind, "assistance"))
			       ? CASE_PRIORITY_HIGH
			       : CASE_PRIORITY_NORMAL;

	/* Where the workflow has left it by now. */
	bool open = chance(0.10 + 0.90 * exp(-age_days / 60.0));
	const char *status;
	if (open) {
		status = age_days < 2   ? "new"
			 : chance(0.25) ? "new"
			 : chance(0.25) ? "verified"
			 : chance(0.85) ? "in_progress"
					: "referred";
	} else {
		status = chance(0.03)  ? "rejected"
			 : chance(0.3) ? "resolved"
				       : "closed";
	}
	int64_t created_by = 0;
	if (str_eq(channel, "hotline") || str_eq(channel, "walk_in"))
		created_by = o->focal;
	int64_t assignee = 0;
	if (!str_eq(status, "new") && !str_eq(status, "rejected"))
		assignee = chance(0.8) ? o->focal : o->admin;
	int64_t deadline = 0, escalated = 0, closed = 0, updated = created;
	if (open) {
		deadline = created + 3600 * o->hours[priority];
		if (deadline < g->now) {
			escalated = deadline;
			updated = escalated;
			g->escalated++;
		}
		g->open++;
	} else {
		closed = created + 3600 + (int64_t)below(120 * 86400);
		if (closed > g->now - 60)
			closed = g->now - 60;
		updated = closed;
	}
	if (danger)
		g->danger++;
	const char *reject = str_eq(status, "rejected")
				     ? (chance(0.6) ? "duplicate" : "spam")
				     : "";
	const char *remedy = "", *currency = "";
	int64_t amount = 0;
	char remedy_date[16] = "";
	if ((str_eq(status, "resolved") || str_eq(status, "closed")) &&
	    chance(0.55)) {
		remedy = pick(remedies);
		ymd(closed, remedy_date, sizeof remedy_date, true);
		if (str_eq(remedy, "money_recovered") ||
		    str_eq(remedy, "compensation")) {
			currency = str_eq(work, "TH")   ? "THB"
				   : str_eq(work, "MY") ? "MYR"
							: "SGD";
			amount = (int64_t)(500 + below(80000)) * 100;
		}
	}

	char contact_hash[CRYPTO_TOKEN_CHARS + 1] = "";
	if (has_contact)
		case_keyed_hash(&g->k, "contact", canon, contact_hash);
	char *name_s = case_seal(&g->k, name);
	char *contact_s = case_seal(&g->k, has_contact ? contact : "");
	char *desc_s = case_seal(&g->k, in.description);

	enum err rc;
	int64_t id = 0;
	for (int attempt = 0;; attempt++) {
		char ref[CASE_REFERENCE_LEN + 1];
		new_reference(ref);
		rc = db_query_int(
			g->db, &id,
			"INSERT INTO case_rec (reference, pin_hash, kind,"
			" category, status, is_open, reject_reason, danger,"
			" priority, channel, country_work, country_origin,"
			" sector, employer, agency, started_on, language,"
			" gender, name_sealed, contact_method, contact_sealed,"
			" contact_hash, description_sealed, consent_contact,"
			" consent_share, owner_org_id, owner_country,"
			" assignee_id, created_by, deadline_at, escalated_at,"
			" remedy_kind, remedy_amount, remedy_currency,"
			" remedy_date, is_demo, created_at, updated_at,"
			" closed_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
			" ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0),"
			" NULLIF(?, 0), NULLIF(?, 0), NULLIF(?, 0), ?,"
			" NULLIF(?, 0), ?, ?, 1, ?, ?, NULLIF(?, 0))"
			" RETURNING id",
			"ttttt"
			"it"
			"ii"
			"tttttttttttttt"
			"ii"
			"it"
			"iiii"
			"t"
			"i"
			"tt"
			"iii",
			ref, g->pin_hash, kind, category, status, (int64_t)open,
			reject, (int64_t)danger, (int64_t)priority, channel,
			work, origin, sector, employer, agency, started, lang,
			in.gender, name_s, method, contact_s, contact_hash,
			desc_s, (int64_t)has_contact, (int64_t)in.consent_share,
			o->org_id, o->country, assignee, created_by, deadline,
			escalated, remedy, amount, currency, remedy_date,
			created, updated, closed);
		if (rc != ERR_EXISTS || attempt == 20)
			break; /* ERR_EXISTS: the reference is taken */
	}
	free(name_s);
	free(contact_s);
	free(desc_s);
	if (rc)
		return rc;
	if ((rc = case_fts_put(g->db, id, in.description, employer, agency,
			       false)))
		return rc;
	json_t *d = json_pack("{ss ss ss sb si}", "channel", channel, "routed",
			      o->why, "kind", kind, "danger", danger,
			      "priority", priority);
	if ((rc = case_event_add(g->db, id, created_by, "created", true, d,
				 created)))
		return rc;
	if (escalated && (rc = case_event_add(g->db, id, 0, "escalated", false,
					      NULL, escalated)))
		return rc;
	return ERR_OK;
}

/* ---- main ---------------------------------------------------------------- */

static double
seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
usage(FILE *f, int status)
{
	fputs("usage: gencases --db PATH --count N [--seed S] [--batch B]\n"
	      "Adds N generated cases (is_demo = 1) to an ATIS database made\n"
	      "by `atis init` and `atis demo`; its key file is PATH.key.\n"
	      "Commits every B cases (10000).  See the top of "
	      "bench/gencases.c.\n",
	      f);
	return status;
}

int
main(int argc, char **argv)
{
	const char *path = NULL;
	int64_t count = -1, seed = 1, batch = 10000;
	int bad = 0;
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"count", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"batch", required_argument, NULL, 'b'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'n':
			bad |= str_to_i64(optarg, 0, INT64_MAX, &count);
			break;
		case 's': bad |= str_to_i64(optarg, 0, INT64_MAX, &seed); break;
		case 'b':
			bad |= str_to_i64(optarg, 1, INT64_MAX, &batch);
			break;
		case 'h': return usage(stdout, 0);
		default: return usage(stderr, 2);
		}
	}
	if (bad || path == NULL || count < 0 || optind < argc)
		return usage(stderr, 2);
	if (crypto_init()) {
		fprintf(stderr, "gencases: cannot start libsodium\n");
		return 1;
	}
	log_set_level(LOG_WARN);

	struct gen g = {0};
	struct buf msg;
	buf_init(&msg, 1024);
	if (db_open(path, DB_OPEN_EXISTING, &g.db, &msg)) {
		fprintf(stderr, "gencases: %s\n", buf_cstr(&msg));
		return 1;
	}
	char keyfile[4096];
	snprintf(keyfile, sizeof keyfile, "%s.key", path);
	struct crypto_key master, field, index;
	if (crypto_key_load(keyfile, &master)) {
		fprintf(stderr, "gencases: cannot read the key file %s\n",
			keyfile);
		return 1;
	}
	crypto_key_derive(&master, CRYPTO_PURPOSE_FIELD, &field);
	crypto_key_derive(&master, CRYPTO_PURPOSE_INDEX, &index);
	crypto_wipe(&master, sizeof master);
	db_set_search_key(g.db, index.bytes);
	g.k = (struct case_keys){&field, &index};

	int64_t orgs = 0;
	if (db_query_int(g.db, &orgs,
			 "SELECT count(*) FROM organisation WHERE is_demo = 1",
			 "") ||
	    orgs == 0) {
		fprintf(stderr,
			"gencases: %s has no demo organisations: run "
			"`atis demo --db %s` first\n",
			path, path);
		return 1;
	}
	db_exec(g.db, "PRAGMA cache_size = -524288");

	/* The benchmark shortcut: one PIN hash for every case. */
	char pin[CASE_PIN_LEN + 1];
	for (int i = 0; i < CASE_PIN_LEN; i++) {
		unsigned char b;
		crypto_random(&b, 1);
		pin[i] = (char)('0' + b % 10);
	}
	pin[CASE_PIN_LEN] = '\0';
	if (crypto_pin_hash(&index, pin, g.pin_hash)) {
		fprintf(stderr, "gencases: cannot hash a PIN\n");
		return 1;
	}
	crypto_wipe(pin, sizeof pin);

	uint64_t sx = (uint64_t)seed;
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix(&sx);
	g.now = (int64_t)time(NULL);
	g.t0 = g.now - SPAN;
	g.total = (uint64_t)count;
	g.next_worker = 1 + (uint64_t)seed * 100000000ULL;
	buf_init(&g.desc, 0);

	int64_t before = 0;
	db_query_int(g.db, &before, "SELECT count(*) FROM case_rec", "");
	printf("gencases: adding %lld cases to %s (%lld there), %lld per "
	       "transaction, seed %lld\n",
	       (long long)count, path, (long long)before, (long long)batch,
	       (long long)seed);
	fflush(stdout);
	double start = seconds(), last = start;
	uint64_t done = 0;
	enum err rc = ERR_OK;
	while (done < (uint64_t)count && rc == ERR_OK) {
		uint64_t n = (uint64_t)count - done;
		if (n > (uint64_t)batch)
			n = (uint64_t)batch;
		if ((rc = db_begin_write(g.db)))
			break;
		for (uint64_t j = 0; j < n && rc == ERR_OK; j++)
			rc = one_case(&g, done + j);
		if (rc || (rc = db_commit(g.db))) {
			db_rollback(g.db);
			fprintf(stderr,
				"gencases: failed at case %llu: %s (%s)\n",
				(unsigned long long)done, err_str(rc),
				db_errmsg(g.db));
			break;
		}
		done += n;
		double t = seconds();
		printf("gencases: %llu/%lld  %.0f rows/s (last batch %.0f "
		       "rows/s)  %.0f s\n",
		       (unsigned long long)done, (long long)count,
		       done / (t - start), n / (t - last), t - start);
		fflush(stdout);
		last = t;
	}
	double gen_s = seconds() - start;
	/* Everything into the database file, so that its size is the size. */
	db_exec(g.db, "PRAGMA wal_checkpoint(TRUNCATE)");
	double total_s = seconds() - start;
	db_close(g.db);
	crypto_wipe(&field, sizeof field);
	crypto_wipe(&index, sizeof index);
	buf_release(&g.desc);
	buf_release(&msg);
	if (rc)
		return 1;
	struct stat sb;
	long long size = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
	printf("gencases: done: %llu cases in %.1f s (%.0f rows/s), %.1f s "
	       "with the final checkpoint\n",
	       (unsigned long long)done, gen_s, done / gen_s, total_s);
	printf("gencases: open %llu (%.1f %%), in danger %llu, escalated "
	       "%llu, with a contact %llu (%llu repeated)\n",
	       (unsigned long long)g.open, done ? 100.0 * g.open / done : 0,
	       (unsigned long long)g.danger, (unsigned long long)g.escalated,
	       (unsigned long long)g.contacts, (unsigned long long)g.repeats);
	printf("gencases: %s is %lld bytes (%.1f MiB)\n", path, size,
	       size / 1048576.0);
	printf("GENCASES count=%llu seconds=%.1f rows_per_s=%.0f bytes=%lld\n",
	       (unsigned long long)done, total_s, done / total_s, size);
	return 0;
}
