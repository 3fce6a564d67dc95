/*
 * Tests for the case search: src/base/trigram.c (tokens, normalising,
 * trigram_similarity), src/db/search_tokenizer.c (the "atis_hashed" FTS5
 * tokenizer) and db_fts_match / db_set_search_key in src/db/db.c.
 *
 * The searches use real sentences of the languages ATIS serves — Thai,
 * Khmer, Burmese and Lao (written without spaces between words),
 * Vietnamese (diacritics that change the meaning) and English — against
 * the case_fts table made by the migrations.  Then what must never
 * happen: text indexed or searched without a key, a search under another
 * key finding anything, and the workers' words appearing in the database
 * file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/trigram.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db/search_tokenizer.h"

struct fixture {
	char dir[64];
	char path[128]; /* dir/t.db */
	struct db *db;
	struct buf msg;
};

static const unsigned char key_a[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char key_b[32] = "fedcba9876543210fedcba9876543210";

static void
remove_db_files(const char *path)
{
	char p[160];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/atis-search-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	buf_init(&f->msg, 0);
	if (db_open(f->path, DB_OPEN_CREATE, &f->db, &f->msg) != ERR_OK)
		return -1;
	int from, to;
	if (db_migrate(f->db, &from, &to, &f->msg) != ERR_OK)
		return -1;
	db_set_search_key(f->db, key_a);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	buf_release(&f->msg);
	remove_db_files(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
add(struct db *db, int64_t id, const char *text)
{
	assert_int_equal(db_run(db,
				"INSERT INTO case_fts (rowid, body)"
				" VALUES (?, ?)",
				"it", id, text),
			 ERR_OK);
}

/*
 * Runs the search the case list runs, for a raw MATCH expression: the
 * newest 20 first.  Fills `ids`, returns how many; -1 when the query
 * failed.
 */
static int
match_raw(struct db *db, const char *expr, int64_t ids[20])
{
	struct db_stmt *st = db_query(db,
				      "SELECT rowid FROM case_fts"
				      " WHERE case_fts MATCH ?"
				      " ORDER BY rowid DESC LIMIT 20",
				      "t", expr);
	if (st == NULL)
		return -1;
	int n = 0;
	while (db_step(st))
		ids[n++] = db_col_int(st, 0);
	if (db_stmt_err(st) != ERR_OK)
		n = -1;
	db_finalize(st);
	return n;
}

/* The same, for what a person typed. */
static int
search(struct db *db, const char *typed, int64_t ids[20])
{
	struct buf expr;
	buf_init(&expr, 0);
	assert_true(db_fts_match(&expr, typed));
	int n = match_raw(db, buf_cstr(&expr), ids);
	buf_release(&expr);
	return n;
}

/* True when searching for `typed` finds exactly the one case `id`. */
static bool
finds_only(struct db *db, const char *typed, int64_t id)
{
	int64_t ids[20];
	return search(db, typed, ids) == 1 && ids[0] == id;
}

static bool
finds_nothing(struct db *db, const char *typed)
{
	int64_t ids[20];
	return search(db, typed, ids) == 0;
}

/* ---- languages written without spaces ---------------------------------- */

static void
test_thai(void **state)
{
	struct fixture *f = *state;
	/* "The employer has not paid wages for three months." */
	add(f->db, 1, "นายจ้างไม่จ่ายค่าจ้างสามเดือน");
	/* "The room has no water." */
	add(f->db, 2, "ห้องพักไม่มีน้ำ");
	assert_true(finds_only(f->db, "ค่าจ้าง", 1));   /* wages */
	assert_true(finds_only(f->db, "สามเดือน", 1)); /* three months */
	assert_true(finds_only(f->db, "น้ำ", 2));      /* water */
	/* "salary": เดือน (month) is in the text, เงิน (money) is not. */
	assert_true(finds_nothing(f->db, "เงินเดือน"));
	/* Both words, in either case: AND across the two sentences
	 * matches neither. */
	assert_true(finds_nothing(f->db, "ค่าจ้าง น้ำ"));
	int64_t ids[20];
	assert_int_equal(search(f->db, "ไม่", ids), 2); /* "not", in both */
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 1);
}

static void
test_khmer(void **state)
{
	struct fixture *f = *state;
	/* "The company did not pay the monthly wage." */
	add(f->db, 1, "ក្រុមហ៊ុនមិនបានបើកប្រាក់ខែ");
	/* The same with the zero-width spaces some keyboards put between
	 * Khmer words: they must not hide a word that spans them. */
	add(f->db, 2, "ក្រុមហ៊ុន\u200bមិនបាន\u200bបើក\u200bប្រាក់\u200bខែ។");
	int64_t ids[20];
	assert_int_equal(search(f->db, "ប្រាក់ខែ", ids), 2); /* wage */
	assert_int_equal(search(f->db, "មិនបានបើក", ids), 2);
	assert_true(finds_nothing(f->db, "ផ្ទះ")); /* house */
}

static void
test_burmese(void **state)
{
	struct fixture *f = *state;
	/* "The employer does not pay the salary." */
	add(f->db, 1, "အလုပ်ရှင်က လစာမပေးဘူး။");
	assert_true(finds_only(f->db, "လစာ", 1));   /* salary */
	assert_true(finds_only(f->db, "အလုပ်ရှင်", 1)); /* employer */
	assert_true(finds_nothing(f->db, "ဆေးရုံ"));  /* hospital */
}

static void
test_lao(void **state)
{
	struct fixture *f = *state;
	/* "The employer does not pay the salary." */
	add(f->db, 1, "ນາຍຈ້າງບໍ່ຈ່າຍເງິນເດືອນ");
	assert_true(finds_only(f->db, "ເງິນເດືອນ", 1)); /* salary */
	assert_true(finds_only(f->db, "ນາຍຈ້າງ", 1));  /* employer */
	/* ເຮືອນ (house) shares its ending with ເດືອນ (month). */
	assert_true(finds_nothing(f->db, "ເຮືອນ"));
}

/* ---- Vietnamese and English -------------------------------------------- */

static void
test_vietnamese(void **state)
{
	struct fixture *f = *state;
	/* "The employer has not paid wages for three months." */
	add(f->db, 1, "Chủ lao động không trả LƯƠNG ba tháng.");
	/* "My mother is ill, in hospital." */
	add(f->db, 2, "Mẹ tôi bị ốm, ở bệnh viện");
	assert_true(finds_only(f->db, "lương", 1));
	assert_true(finds_only(f->db, "Lương", 1));
	assert_true(finds_only(f->db, "THÁNG", 1));
	assert_true(finds_only(f->db, "chủ lao động", 1));
	assert_true(finds_only(f->db, "MẸ", 2));
	/* Diacritics make other words: luong, thang, me are not these. */
	assert_true(finds_nothing(f->db, "luong"));
	assert_true(finds_nothing(f->db, "thang"));
	assert_true(finds_nothing(f->db, "tháng luong"));
	/* Typed with separate combining marks (u + horn, o + horn), and
	 * with the two marks of ệ in either order. */
	assert_true(finds_only(f->db, "lu\u031bo\u031bng", 1));
	assert_true(finds_only(f->db, "Me\u0323", 2));
	assert_true(finds_only(f->db, "be\u0302\u0323nh", 2));
	assert_true(finds_only(f->db, "BE\u0323\u0302NH", 2));
	assert_true(finds_only(f->db, "\u00f4\u0301m", 2)); /* ô + acute */
}

static void
test_english_case(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "My employer kept my PASSPORT and my phone.");
	assert_true(finds_only(f->db, "passport", 1));
	assert_true(finds_only(f->db, "Passport", 1));
	assert_true(finds_only(f->db, "EMPLOYER kept", 1));
	assert_true(finds_only(f->db, "ass", 1)); /* inside a word */
	assert_true(finds_only(f->db, "my", 1));  /* a word of two */
	assert_true(finds_nothing(f->db, "passports"));
	assert_true(finds_nothing(f->db, "visa"));
}

static void
test_and(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "unpaid wages and no contract");
	add(f->db, 2, "unpaid overtime");
	assert_true(finds_only(f->db, "unpaid wages", 1));
	assert_true(finds_only(f->db, "overtime unpaid", 2));
	assert_true(finds_nothing(f->db, "wages overtime"));
	int64_t ids[20];
	assert_int_equal(search(f->db, "unpaid", ids), 2);
}

/* Positions go on across spaces, so a quoted phrase matches words in a
 * row and only in that order. */
static void
test_phrase_across_space(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "they did not pay wages for three months");
	int64_t ids[20];
	assert_int_equal(match_raw(f->db, "\"wages for\"", ids), 1);
	assert_int_equal(match_raw(f->db, "\"pay wages for three\"", ids), 1);
	/* A piece of one or two letters matches only a word that short. */
	assert_int_equal(match_raw(f->db, "\"ages fo\"", ids), 0);
	assert_int_equal(match_raw(f->db, "\"wages three\"", ids), 0);
	assert_int_equal(match_raw(f->db, "\"for wages\"", ids), 0);
	assert_int_equal(match_raw(f->db, "\"wagesfor\"", ids), 0);
}

/* ---- the life of an index entry ---------------------------------------- */

static void
test_delete(void **state)
{
	struct fixture *f = *state;
	const char *text = "นายจ้างยึดหนังสือเดินทาง"; /* kept the passport */
	add(f->db, 5, text);
	add(f->db, 6, "หนังสือเดินทางหาย"); /* passport lost */
	int64_t ids[20];
	assert_int_equal(search(f->db, "หนังสือเดินทาง", ids), 2);
	/* A contentless table forgets a row when given its old text. */
	assert_int_equal(db_run(f->db,
				"INSERT INTO case_fts (case_fts, rowid, body)"
				" VALUES ('delete', ?, ?)",
				"it", (int64_t)5, text),
			 ERR_OK);
	assert_true(finds_only(f->db, "หนังสือเดินทาง", 6));
	assert_true(finds_nothing(f->db, "นายจ้าง"));
}

static void
test_newest_first(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_begin_write(f->db), ERR_OK);
	for (int64_t id = 1; id <= 30; id++) {
		char text[64];
		snprintf(text, sizeof text, "case %d: wages unpaid", (int)id);
		add(f->db, id, text);
	}
	add(f->db, 31, "something else");
	assert_int_equal(db_commit(f->db), ERR_OK);
	int64_t ids[20];
	assert_int_equal(search(f->db, "Wages", ids), 20);
	for (int i = 0; i < 20; i++)
		assert_int_equal(ids[i], 30 - i);
}

/* ---- keys -------------------------------------------------------------- */

static void
test_no_key(void **state)
{
	struct fixture *f = *state;
	struct db *other = NULL;
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &other, &f->msg),
			 ERR_OK);
	/* Neither written nor searched: an error, not silent success. */
	assert_int_not_equal(db_run(other,
				    "INSERT INTO case_fts (rowid, body)"
				    " VALUES (1, 'unpaid wages')",
				    ""),
			     ERR_OK);
	int64_t ids[20];
	assert_int_equal(match_raw(other, "\"wages\"", ids), -1);
	db_close(other);
	/* And the failed insert left nothing behind. */
	assert_true(finds_nothing(f->db, "wages"));
}

static void
test_wrong_key(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "unpaid wages ค่าจ้าง");
	db_set_search_key(f->db, key_b);
	assert_true(finds_nothing(f->db, "wages"));
	assert_true(finds_nothing(f->db, "ค่าจ้าง"));
	db_set_search_key(f->db, key_a);
	assert_true(finds_only(f->db, "wages", 1));

	char ta[SEARCH_TOKEN_CHARS + 1], tb[SEARCH_TOKEN_CHARS + 1];
	char ta2[SEARCH_TOKEN_CHARS + 1];
	search_token(key_a, "wag", 3, ta);
	search_token(key_b, "wag", 3, tb);
	search_token(key_a, "wag", 3, ta2);
	assert_int_equal(strlen(ta), SEARCH_TOKEN_CHARS);
	assert_string_not_equal(ta, tb);
	assert_string_equal(ta, ta2);
}

/* A prefix query would compare prefixes of hashes: refused. */
static void
test_prefix_refused(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "unpaid wages");
	int64_t ids[20];
	assert_int_equal(match_raw(f->db, "wag*", ids), -1);
}

/* ---- what the file holds ----------------------------------------------- */

/* Every term FTS5 stored is a token of 16 base32 characters. */
static void
test_index_holds_only_hashes(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "My employer kept my PASSPORT");
	add(f->db, 2, "นายจ้างไม่จ่ายค่าจ้างสามเดือน");
	add(f->db, 3, "Chủ lao động không trả lương");
	assert_int_equal(db_exec(f->db,
				 "CREATE VIRTUAL TABLE temp.vocab"
				 " USING fts5vocab(main, case_fts, row)"),
			 ERR_OK);
	struct db_stmt *st = db_query(f->db, "SELECT term FROM vocab", "");
	assert_non_null(st);
	int terms = 0;
	while (db_step(st)) {
		const char *t = db_col_text(st, 0);
		assert_int_equal(strlen(t), SEARCH_TOKEN_CHARS);
		assert_int_equal(strspn(t, "abcdefghijklmnopqrstuvwxyz234567"),
				 SEARCH_TOKEN_CHARS);
		terms++;
	}
	assert_int_equal(db_stmt_err(st), ERR_OK);
	db_finalize(st);
	assert_true(terms > 30);
	/* And the hash of "pas" under the key is one of them. */
	char tok[SEARCH_TOKEN_CHARS + 1];
	search_token(key_a, "pas", 3, tok);
	int64_t n = 0;
	assert_int_equal(db_query_int(f->db, &n,
				      "SELECT count(*) FROM vocab"
				      " WHERE term = ?",
				      "t", tok),
			 ERR_OK);
	assert_int_equal(n, 1);
}

static char *
read_file(const char *path, size_t *OUT_len)
{
	*OUT_len = 0;
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	struct buf b;
	buf_init(&b, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&b, chunk, n);
	fclose(fp);
	return buf_detach(&b, OUT_len);
}

static void
assert_absent(const char *data, size_t len, const char *needle)
{
	if (data != NULL && memmem(data, len, needle, strlen(needle)) != NULL)
		fail_msg("the database file holds \"%s\"", needle);
}

static void
test_canary(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "The CANARYWORD is here, ค่าจ้างแคนารี ok");
	add(f->db, 2, "canaryword again, in small letters");
	assert_true(finds_only(f->db, "canaryWORD here", 1));
	/* The control: plain text in a plain table is found by the scan. */
	assert_int_equal(db_exec(f->db, "CREATE TABLE control (t TEXT);"
					"INSERT INTO control VALUES"
					" ('CONTROLWORD')"),
			 ERR_OK);
	db_close(f->db);
	f->db = NULL;

	static const char *const suffix[] = {"", "-wal"};
	bool control = false;
	for (size_t i = 0; i < 2; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", f->path, suffix[i]);
		size_t len;
		char *data = read_file(p, &len);
		if (i == 0)
			assert_true(data != NULL && len > 0);
		assert_absent(data, len, "CANARYWORD");
		assert_absent(data, len, "canaryword");
		assert_absent(data, len, "ค่าจ้างแคนารี");
		assert_absent(data, len, "แคนารี");
		if (data != NULL && memmem(data, len, "CONTROLWORD", 11))
			control = true;
		free(data);
	}
	assert_true(control);
}

/* ---- db_fts_match ------------------------------------------------------ */

static void
assert_match(const char *typed, const char *expect)
{
	struct buf b;
	buf_init(&b, 0);
	assert_true(db_fts_match(&b, typed));
	assert_string_equal(buf_cstr(&b), expect);
	buf_release(&b);
}

static void
assert_no_match(const char *typed)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "x");
	assert_false(db_fts_match(&b, typed));
	assert_string_equal(buf_cstr(&b), "x"); /* nothing appended */
	buf_release(&b);
}

static void
test_match_quoting(void **state)
{
	(void)state;
	assert_match("wages", "\"wages\"");
	assert_match("  unpaid\twages\n", "\"unpaid\" \"wages\"");
	assert_match("say \"hi\" now", "\"say\" \"\"\"hi\"\"\" \"now\"");
	assert_match("a b", "\"a\" \"b\"");
	/* Operators and their punctuation are words, or nothing. */
	assert_match("NEAR OR * wages", "\"NEAR\" \"OR\" \"wages\"");
	assert_match("NEAR(a b)", "\"NEAR(a\" \"b)\"");
	assert_match("wages*", "\"wages*\"");
	assert_match("body:wages ^x -y", "\"body:wages\" \"^x\" \"-y\"");
	/* Unicode spaces separate words too (ideographic, no-break). */
	assert_match("ค่าจ้าง\u3000เดือน\u00a0x", "\"ค่าจ้าง\" \"เดือน\" \"x\"");
	assert_no_match("");
	assert_no_match("   ");
	assert_no_match("\" * ( ) — !!");
	assert_no_match(NULL);
	/* At most 16 words. */
	struct buf b;
	buf_init(&b, 0);
	assert_true(db_fts_match(&b, "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"
				     " 17 18"));
	assert_string_equal(buf_cstr(&b),
			    "\"1\" \"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\""
			    " \"9\" \"10\" \"11\" \"12\" \"13\" \"14\" \"15\""
			    " \"16\"");
	buf_release(&b);
	/* An output buffer too small gets nothing. */
	buf_init(&b, 8);
	assert_false(db_fts_match(&b, "unpaid wages"));
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

/* What a person types can never be FTS5 syntax, so never an error. */
static void
test_operators_are_words(void **state)
{
	struct fixture *f = *state;
	add(f->db, 1, "rent or wages");
	add(f->db, 2, "rent only");
	assert_true(finds_only(f->db, "rent OR wages", 1));
	assert_true(finds_only(f->db, "wages*", 1));
	assert_true(finds_nothing(f->db, "NEAR(rent wages)"));
	assert_true(finds_nothing(f->db, "body:rent"));
	assert_true(finds_nothing(f->db, "rent NOT wages"));
	int64_t ids[20];
	assert_int_equal(search(f->db, "rent\"", ids), 2);
	assert_int_equal(search(f->db, "(rent)", ids), 2);
	assert_int_equal(search(f->db, "^rent", ids), 2);
}

/* ---- trigram.c --------------------------------------------------------- */

struct collected {
	char text[512]; /* tokens, each followed by '|' */
	size_t start[32], end[32];
	int pos[32];
	int n;
};

static int
collect(void *ctx, const struct trigram_token *tok)
{
	struct collected *c = ctx;
	size_t used = strlen(c->text);
	assert_true(used + tok->len + 2 < sizeof c->text);
	memcpy(c->text + used, tok->bytes, tok->len);
	c->text[used + tok->len] = '|';
	c->text[used + tok->len + 1] = '\0';
	if (c->n < 32) {
		c->start[c->n] = tok->start;
		c->end[c->n] = tok->end;
		c->pos[c->n] = tok->pos;
	}
	c->n++;
	return 0;
}

static void
tokens(const char *text, struct collected *c)
{
	memset(c, 0, sizeof *c);
	assert_int_equal(trigram_each(text, strlen(text), collect, c), 0);
}

static void
test_trigram_tokens(void **state)
{
	(void)state;
	struct collected c;
	tokens("Ab, cdE!", &c);
	assert_string_equal(c.text, "ab|cde|");
	assert_int_equal(c.start[0], 0);
	assert_int_equal(c.end[0], 2);
	assert_int_equal(c.start[1], 4);
	assert_int_equal(c.end[1], 7);
	assert_int_equal(c.pos[1], 1);

	tokens("wages paid", &c);
	assert_string_equal(c.text, "wag|age|ges|pai|aid|");
	for (int i = 0; i < 5; i++)
		assert_int_equal(c.pos[i], i);

	/* Bytes that are not UTF-8 separate, like a space. */
	tokens("abc\xff"
	       "def\xc3",
	       &c);
	assert_string_equal(c.text, "abc|def|");
	tokens("\xc0\xaf\xed\xa0\x80", &c); /* overlong '/', a surrogate */
	assert_string_equal(c.text, "");

	/* Capitals, precomposed or not, are one letter. */
	struct collected d;
	tokens("\u1ebe", &c);        /* Ế */
	tokens("e\u0302\u0301", &d); /* e + circumflex + acute */
	assert_string_equal(c.text, "\u1ebf|");
	assert_string_equal(d.text, "\u1ebf|");
	assert_int_equal(d.end[0], 5);
	tokens("ĐƯỜNG Ωμέγα ПРИВЕТ", &c);
	assert_string_equal(c.text, "đườ|ườn|ờng|ωμέ|μέγ|έγα|при|рив|иве|вет|");

	/* A zero-width space is invisible and joins; a Thai sentence is
	 * one run. */
	tokens("ab\u200bcd", &c);
	assert_string_equal(c.text, "abc|bcd|");
	tokens("สามเดือน", &c);
	assert_int_equal(c.n, 6);
	tokens("ค่า", &c); /* 3 code points: consonant, tone mark, vowel */
	assert_string_equal(c.text, "ค่า|");

	assert_int_equal(trigram_count("— !! ..."), 0);
	assert_int_equal(trigram_count("ok"), 1);
}

static void
test_similarity(void **state)
{
	(void)state;
	const char *a = "My employer has not paid my wages for three months "
			"and kept my passport.";
	const char *b = "My employer did not pay my wages for three months and "
			"he kept my passport";
	assert_true(trigram_similarity(a, a) == 1.0);
	assert_true(trigram_similarity("WAGES unpaid", "wages, UNPAID!") ==
		    1.0);
	assert_true(trigram_similarity("abcdef", "uvwxyz") == 0.0);
	assert_true(trigram_similarity("", "") == 0.0);
	assert_true(trigram_similarity("", "abc") == 0.0);
	assert_true(trigram_similarity("!!", "??") == 0.0);
	double near = trigram_similarity(a, b);
	assert_true(near > 0.5 && near < 1.0);
	assert_true(trigram_similarity(a, "The room has no water and the "
					  "toilet is broken") < 0.2);
	double thai = trigram_similarity("นายจ้างไม่จ่ายค่าจ้างสามเดือน",
					 "นายจ้างไม่จ่ายค่าจ้างสามเดือนแล้ว");
	assert_true(thai > 0.5 && thai < 1.0);
	assert_true(trigram_similarity("นายจ้างไม่จ่ายค่าจ้างสามเดือน",
				       "ห้องพักไม่มีน้ำ") < 0.2);
	/* Symmetric. */
	assert_true(trigram_similarity(a, b) == trigram_similarity(b, a));
}

/* Texts far past the cap: bounded, and still a sensible answer. */
static void
test_similarity_large(void **state)
{
	(void)state;
	size_t n = 200000;
	char *a = malloc(n + 1), *b = malloc(n + 1);
	/* Pseudo-random letters give about as many distinct trigrams as
	 * there are letters. */
	uint32_t x = 1;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		a[i] = b[i] = (char)('a' + (x >> 16) % 26);
	}
	a[n] = b[n] = '\0';
	assert_true(trigram_similarity(a, b) == 1.0);
	b[0] = ' ';
	double s = trigram_similarity(a, b);
	assert_true(s > 0.9 && s <= 1.0);
	free(a);
	free(b);
}

int
main(void)
{
	if (crypto_init() != ERR_OK)
		return 1;
	log_set_level(LOG_WARN); /* no "applied migration" lines */
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_thai),
		T(test_khmer),
		T(test_burmese),
		T(test_lao),
		T(test_vietnamese),
		T(test_english_case),
		T(test_and),
		T(test_phrase_across_space),
		T(test_delete),
		T(test_newest_first),
		T(test_no_key),
		T(test_wrong_key),
		T(test_prefix_refused),
		T(test_index_holds_only_hashes),
		T(test_canary),
		T(test_operators_are_words),
		cmocka_unit_test(test_match_quoting),
		cmocka_unit_test(test_trigram_tokens),
		cmocka_unit_test(test_similarity),
		cmocka_unit_test(test_similarity_large),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
