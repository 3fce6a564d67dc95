/*
 * Tests for src/db/db.c (through the SQLite engine): db_open's modes,
 * binding and reading values, db_run / db_query / db_query_int, the error
 * mapping (unique and foreign-key violations are ERR_EXISTS), and
 * transactions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/log.h"
#include "db/db.h"

struct fixture {
	char dir[64];
	char path[128]; /* dir/t.db */
	struct db *db;
	struct buf msg;
};

static void
remove_db_files(const char *path)
{
	char p[160];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-journal", path);
	unlink(p);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/atis-db-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	buf_init(&f->msg, 0);
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

/* A fresh database with a table t. */
static int
setup_table(void **state)
{
	if (setup(state))
		return -1;
	struct fixture *f = *state;
	if (db_open(f->path, DB_OPEN_CREATE, &f->db, &f->msg) != ERR_OK)
		return -1;
	return db_exec(f->db,
		       "CREATE TABLE t (id INTEGER PRIMARY KEY,"
		       " name TEXT UNIQUE, n BIGINT, note TEXT);"
		       "CREATE TABLE child (id INTEGER PRIMARY KEY,"
		       " t_id BIGINT NOT NULL REFERENCES t (id))") == ERR_OK
		       ? 0
		       : -1;
}

static bool
exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static void
test_open_missing(void **state)
{
	struct fixture *f = *state;
	struct db *db = NULL;
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &db, &f->msg),
			 ERR_NOTFOUND);
	assert_null(db);
	assert_false(exists(f->path)); /* a typo creates nothing */
	assert_non_null(strstr(buf_cstr(&f->msg), f->path));
}

static void
test_open_create(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_open(f->path, DB_OPEN_CREATE, &f->db, &f->msg),
			 ERR_OK);
	assert_non_null(f->db);
	assert_true(exists(f->path));
	assert_string_equal(db_engine_name(f->db), "sqlite");
	assert_int_equal(db_exec(f->db, "CREATE TABLE x (a INTEGER)"), ERR_OK);
	db_close(f->db);
	f->db = NULL;

	/* Create again: refused, the file is kept as it was. */
	struct db *db = NULL;
	assert_int_equal(db_open(f->path, DB_OPEN_CREATE, &db, &f->msg),
			 ERR_EXISTS);
	assert_null(db);
	assert_non_null(strstr(buf_cstr(&f->msg), f->path));

	/* Open the existing one: the table is there. */
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &f->db, &f->msg),
			 ERR_OK);
	int64_t n = -1;
	assert_int_equal(db_query_int(f->db, &n,
				      "SELECT count(*) FROM sqlite_schema"
				      " WHERE name = 'x'",
				      ""),
			 ERR_OK);
	assert_int_equal(n, 1);
}

static void
test_open_not_a_db(void **state)
{
	struct fixture *f = *state;
	unsigned char junk[4096];
	crypto_random(junk, sizeof junk);
	FILE *fp = fopen(f->path, "wb");
	assert_non_null(fp);
	fwrite(junk, 1, sizeof junk, fp);
	fclose(fp);
	struct db *db = NULL;
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &db, &f->msg),
			 ERR_CORRUPT);
	assert_null(db);
	assert_non_null(strstr(buf_cstr(&f->msg), f->path));
	/* The file is left alone. */
	unsigned char back[4096];
	fp = fopen(f->path, "rb");
	assert_int_equal(fread(back, 1, sizeof back, fp), sizeof back);
	fclose(fp);
	assert_memory_equal(junk, back, sizeof junk);

	/* A text file too. */
	fp = fopen(f->path, "w");
	fputs("[server]\nlisten = 127.0.0.1:8080\n", fp);
	fclose(fp);
	buf_reset(&f->msg);
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &db, &f->msg),
			 ERR_CORRUPT);
}

static void
test_open_directory(void **state)
{
	struct fixture *f = *state;
	struct db *db = NULL;
	assert_int_equal(db_open(f->dir, DB_OPEN_EXISTING, &db, &f->msg),
			 ERR_CORRUPT);
	assert_null(db);
	assert_non_null(strstr(buf_cstr(&f->msg), f->dir));
}

static void
test_run_query(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	assert_int_equal(db_run(db,
				"INSERT INTO t (name, n, note)"
				" VALUES (?, ?, ?)",
				"tit", "alpha", (int64_t)1, "first"),
			 ERR_OK);
	assert_int_equal(db_run(db,
				"INSERT INTO t (name, n, note)"
				" VALUES (?, ?, ?)",
				"tit", "beta", INT64_MAX, (const char *)NULL),
			 ERR_OK);
	assert_int_equal(db_run(db,
				"INSERT INTO t (name, n, note)"
				" VALUES (?, ?, ?)",
				"tin", "gamma", INT64_MIN),
			 ERR_OK);

	struct db_stmt *st =
		db_query(db,
			 "SELECT id, name, n, note FROM t WHERE n <> ?"
			 " ORDER BY id",
			 "i", (int64_t)12345);
	assert_non_null(st);
	assert_true(db_step(st));
	assert_int_equal(db_col_int(st, 0), 1);
	assert_string_equal(db_col_text(st, 1), "alpha");
	assert_int_equal(db_col_int(st, 2), 1);
	assert_string_equal(db_col_text(st, 3), "first");
	assert_false(db_col_null(st, 3));
	assert_true(db_step(st));
	assert_string_equal(db_col_text(st, 1), "beta");
	assert_true(db_col_int(st, 2) == INT64_MAX);
	assert_true(db_col_null(st, 3)); /* 't' with NULL binds NULL */
	assert_null(db_col_text(st, 3));
	assert_true(db_step(st));
	assert_string_equal(db_col_text(st, 1), "gamma");
	assert_true(db_col_int(st, 2) == INT64_MIN);
	assert_true(db_col_null(st, 3)); /* 'n' binds NULL */
	assert_false(db_step(st));
	assert_int_equal(db_stmt_err(st), ERR_OK);
	db_finalize(st);
	db_finalize(NULL); /* harmless */

	/* Values are bound, never pasted into the SQL. */
	const char *evil = "x'); DROP TABLE t; --";
	assert_int_equal(
		db_run(db, "INSERT INTO t (name) VALUES (?)", "t", evil),
		ERR_OK);
	int64_t id = 0;
	assert_int_equal(db_query_int(db, &id,
				      "SELECT id FROM t WHERE name = ?", "t",
				      evil),
			 ERR_OK);
	assert_int_equal(id, 4);
	/* Text comes back byte for byte. */
	const char *thai = "ภาษาไทย \"quoted\" \\ back";
	assert_int_equal(
		db_run(db, "UPDATE t SET note = ? WHERE id = 4", "t", thai),
		ERR_OK);
	st = db_query(db, "SELECT note FROM t WHERE id = ?", "i", (int64_t)4);
	assert_true(db_step(st));
	assert_string_equal(db_col_text(st, 0), thai);
	db_finalize(st);
}

static void
test_query_int(void **state)
{
	struct fixture *f = *state;
	int64_t v = -1;
	assert_int_equal(db_query_int(f->db, &v, "SELECT count(*) FROM t", ""),
			 ERR_OK);
	assert_int_equal(v, 0);
	assert_int_equal(db_query_int(f->db, &v, "SELECT ? + ?", "ii",
				      (int64_t)40, (int64_t)2),
			 ERR_OK);
	assert_int_equal(v, 42);
	/* No row: ERR_NOTFOUND. */
	v = 7;
	assert_int_equal(db_query_int(f->db, &v,
				      "SELECT id FROM t WHERE id = ?", "i",
				      (int64_t)1),
			 ERR_NOTFOUND);
	/* RETURNING gives the new id. */
	assert_int_equal(db_query_int(f->db, &v,
				      "INSERT INTO t (name) VALUES (?)"
				      " RETURNING id",
				      "t", "one"),
			 ERR_OK);
	assert_int_equal(v, 1);
	assert_int_equal(db_query_int(f->db, &v, "SELECT count(*) FROM t", ""),
			 ERR_OK);
	assert_int_equal(v, 1);
}

static void
test_unique(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(
		db_run(f->db, "INSERT INTO t (name) VALUES (?)", "t", "same"),
		ERR_OK);
	assert_int_equal(
		db_run(f->db, "INSERT INTO t (name) VALUES (?)", "t", "same"),
		ERR_EXISTS);
	/* Through RETURNING too. */
	int64_t id = 0;
	assert_int_equal(db_query_int(f->db, &id,
				      "INSERT INTO t (name) VALUES (?)"
				      " RETURNING id",
				      "t", "same"),
			 ERR_EXISTS);
	/* Through a statement: stepping stops, the error says why. */
	struct db_stmt *st =
		db_query(f->db, "INSERT INTO t (name) VALUES (?)", "t", "same");
	assert_non_null(st);
	assert_false(db_step(st));
	assert_int_equal(db_stmt_err(st), ERR_EXISTS);
	db_finalize(st);
	int64_t n = 0;
	db_query_int(f->db, &n, "SELECT count(*) FROM t", "");
	assert_int_equal(n, 1);
	/* The connection is fine afterwards. */
	assert_int_equal(
		db_run(f->db, "INSERT INTO t (name) VALUES (?)", "t", "other"),
		ERR_OK);
}

static void
test_foreign_key(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_run(f->db, "INSERT INTO child (t_id) VALUES (?)",
				"i", (int64_t)99),
			 ERR_EXISTS);
	assert_int_equal(
		db_run(f->db, "INSERT INTO t (id, name) VALUES (1, 'a')", ""),
		ERR_OK);
	assert_int_equal(db_run(f->db, "INSERT INTO child (t_id) VALUES (?)",
				"i", (int64_t)1),
			 ERR_OK);
	assert_int_equal(db_run(f->db, "DELETE FROM t WHERE id = 1", ""),
			 ERR_EXISTS);
}

static void
test_bad_sql(void **state)
{
	struct fixture *f = *state;
	/* The failures below are logged as errors: keep the output clean. */
	log_set_level((enum log_level)(LOG_ERROR + 1));
	assert_null(db_query(f->db, "SELEKT 1", ""));
	assert_int_equal(db_run(f->db, "INSERT INTO nowhere VALUES (1)", ""),
			 ERR_DB);
	int64_t v;
	assert_int_equal(db_query_int(f->db, &v, "SELECT nope FROM t", ""),
			 ERR_DB);
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (x)"), ERR_DB);
	assert_int_equal(db_exec(f->db, "this is not sql"), ERR_DB);
	log_set_level(LOG_INFO);
	assert_non_null(db_errmsg(f->db));
}

static void
test_exec_many(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, "INSERT INTO t (name) VALUES ('a');"
					"INSERT INTO t (name) VALUES ('b');"
					"UPDATE t SET n = 5;"),
			 ERR_OK);
	int64_t v = 0;
	db_query_int(f->db, &v, "SELECT sum(n) FROM t", "");
	assert_int_equal(v, 10);
	/* A failing statement in the middle: exec reports it. */
	assert_int_equal(db_exec(f->db, "INSERT INTO t (name) VALUES ('c');"
					"INSERT INTO t (name) VALUES ('a');"),
			 ERR_EXISTS);
}

static int64_t
count(struct db *db)
{
	int64_t n = -1;
	assert_int_equal(db_query_int(db, &n, "SELECT count(*) FROM t", ""),
			 ERR_OK);
	return n;
}

static void
test_transactions(void **state)
{
	struct fixture *f = *state;
	struct db *db = f->db;
	assert_int_equal(db_begin(db), ERR_OK);
	db_run(db, "INSERT INTO t (name) VALUES ('rolled back')", "");
	assert_int_equal(count(db), 1);
	db_rollback(db);
	assert_int_equal(count(db), 0);

	assert_int_equal(db_begin_write(db), ERR_OK);
	db_run(db, "INSERT INTO t (name) VALUES ('kept')", "");
	assert_int_equal(db_commit(db), ERR_OK);
	assert_int_equal(count(db), 1);

	/* No nesting; the outer transaction survives the attempt. */
	assert_int_equal(db_begin_write(db), ERR_OK);
	assert_int_not_equal(db_begin(db), ERR_OK);
	db_run(db, "INSERT INTO t (name) VALUES ('inner')", "");
	db_rollback(db);
	assert_int_equal(count(db), 1);

	/* Commit or rollback without a transaction. */
	assert_int_not_equal(db_commit(db), ERR_OK);
	log_set_level(LOG_ERROR);
	db_rollback(db); /* harmless */
	log_set_level(LOG_INFO);

	/* Committed data is on disk: another connection sees it. */
	struct db *other = NULL;
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &other, &f->msg),
			 ERR_OK);
	assert_int_equal(count(other), 1);
	/* And does not see what is not committed yet. */
	assert_int_equal(db_begin_write(db), ERR_OK);
	db_run(db, "INSERT INTO t (name) VALUES ('pending')", "");
	assert_int_equal(count(other), 1);
	assert_int_equal(db_commit(db), ERR_OK);
	assert_int_equal(count(other), 2);
	db_close(other);
}

static void
test_integrity(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_integrity_check(f->db, &f->msg), ERR_OK);
	assert_int_equal(f->msg.len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_create, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_not_a_db, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_directory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_run_query, setup_table,
						teardown),
		cmocka_unit_test_setup_teardown(test_query_int, setup_table,
						teardown),
		cmocka_unit_test_setup_teardown(test_unique, setup_table,
						teardown),
		cmocka_unit_test_setup_teardown(test_foreign_key, setup_table,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_sql, setup_table,
						teardown),
		cmocka_unit_test_setup_teardown(test_exec_many, setup_table,
						teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup_table,
						teardown),
		cmocka_unit_test_setup_teardown(test_integrity, setup_table,
						teardown),
	};
	if (crypto_init() != ERR_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
