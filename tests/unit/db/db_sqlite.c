/*
 * Tests for src/db/db_sqlite.c: what every connection promises — WAL
 * journal, synchronous=FULL, foreign keys on, a busy timeout — read back
 * with PRAGMA queries on new and on reopened databases, and that readers
 * are not blocked by a writer.
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
#include "db/db.h"

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
	struct buf msg;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/atis-sqlite-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	buf_init(&f->msg, 0);
	if (db_open(f->path, DB_OPEN_CREATE, &f->db, &f->msg) != ERR_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	buf_release(&f->msg);
	char p[160];
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
assert_pragmas(struct db *db)
{
	struct db_stmt *st = db_query(db, "PRAGMA journal_mode", "");
	assert_non_null(st);
	assert_true(db_step(st));
	assert_string_equal(db_col_text(st, 0), "wal");
	db_finalize(st);

	int64_t v = -1;
	assert_int_equal(db_query_int(db, &v, "PRAGMA synchronous", ""),
			 ERR_OK);
	assert_int_equal(v, 2); /* FULL */
	assert_int_equal(db_query_int(db, &v, "PRAGMA foreign_keys", ""),
			 ERR_OK);
	assert_int_equal(v, 1);
	assert_int_equal(db_query_int(db, &v, "PRAGMA busy_timeout", ""),
			 ERR_OK);
	assert_true(v >= 1000); /* writers wait instead of failing */
}

static void
test_pragmas_new(void **state)
{
	struct fixture *f = *state;
	assert_pragmas(f->db);
}

/* synchronous and foreign_keys are per connection: a reopened database
 * must get them again. */
static void
test_pragmas_reopened(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (a INTEGER)"), ERR_OK);
	db_close(f->db);
	f->db = NULL;
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &f->db, &f->msg),
			 ERR_OK);
	assert_pragmas(f->db);
}

static void
test_wal_file(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (a INTEGER);"
					"INSERT INTO t VALUES (1)"),
			 ERR_OK);
	char wal[160];
	snprintf(wal, sizeof wal, "%s-wal", f->path);
	struct stat sb;
	assert_int_equal(stat(wal, &sb), 0);
}

/* In WAL mode a reader goes on while another connection writes. */
static void
test_reader_not_blocked(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(db_exec(f->db, "CREATE TABLE t (a INTEGER);"
					"INSERT INTO t VALUES (1)"),
			 ERR_OK);
	struct db *reader = NULL;
	assert_int_equal(db_open(f->path, DB_OPEN_EXISTING, &reader, &f->msg),
			 ERR_OK);
	assert_int_equal(db_begin_write(f->db), ERR_OK);
	assert_int_equal(db_run(f->db, "INSERT INTO t VALUES (2)", ""), ERR_OK);
	int64_t n = 0;
	assert_int_equal(db_query_int(reader, &n, "SELECT count(*) FROM t", ""),
			 ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(db_commit(f->db), ERR_OK);
	assert_int_equal(db_query_int(reader, &n, "SELECT count(*) FROM t", ""),
			 ERR_OK);
	assert_int_equal(n, 2);
	db_close(reader);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_pragmas_new),
		T(test_pragmas_reopened),
		T(test_wal_file),
		T(test_reader_not_blocked),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
