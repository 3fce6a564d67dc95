/*
 * Tests for src/db/migrate.c: a fresh database goes to the latest
 * version with every table and the engine's own triggers; migrating again
 * does nothing; db_check_schema and db_migrate explain an older or a newer
 * database.
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
#include "base/log.h"
#include "db/db.h"
#include "db/migrate.h"

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
	snprintf(f->dir, sizeof f->dir, "/tmp/atis-migrate-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
	buf_init(&f->msg, 0);
	if (db_open(f->path, DB_OPEN_CREATE, &f->db, &f->msg) != ERR_OK)
		return -1;
	log_set_level(LOG_WARN); /* no "applied migration" lines */
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

static int64_t
count_schema(struct db *db, const char *type, const char *name)
{
	int64_t n = -1;
	assert_int_equal(db_query_int(db, &n,
				      "SELECT count(*) FROM sqlite_schema"
				      " WHERE type = ? AND name = ?",
				      "tt", type, name),
			 ERR_OK);
	return n;
}

static void
test_latest(void **state)
{
	(void)state;
	/* The binary knows at least 0001_foundation. */
	assert_true(db_migrations_latest() >= 1);
}

static void
test_fresh(void **state)
{
	struct fixture *f = *state;
	int v = -1;
	assert_int_equal(db_schema_version(f->db, &v), ERR_OK);
	assert_int_equal(v, 0);

	int from = -1, to = -1;
	assert_int_equal(db_migrate(f->db, &from, &to, &f->msg), ERR_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, db_migrations_latest());
	assert_int_equal(f->msg.len, 0);
	assert_int_equal(db_schema_version(f->db, &v), ERR_OK);
	assert_int_equal(v, db_migrations_latest());

	static const char *const tables[] = {
		"organisation",      "app_user", "session",
		"login_throttle",    "setting",  "audit_log",
		"schema_migrations",
	};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (count_schema(f->db, "table", tables[i]) != 1)
			fail_msg("table %s is missing", tables[i]);
	/* The engine's own file ran as well. */
	assert_int_equal(count_schema(f->db, "trigger", "audit_log_no_update"),
			 1);
	assert_int_equal(count_schema(f->db, "trigger", "audit_log_no_delete"),
			 1);
	/* @ID@ became an auto-numbered key. */
	int64_t id = 0;
	assert_int_equal(db_query_int(f->db, &id,
				      "INSERT INTO setting (name, value,"
				      " updated_at) VALUES ('x', '1', 0)"
				      " RETURNING rowid",
				      ""),
			 ERR_OK);
	assert_int_equal(db_query_int(f->db, &id,
				      "INSERT INTO organisation (name, kind,"
				      " country, created_at, updated_at)"
				      " VALUES ('o', 'ngo', 'TH', 0, 0)"
				      " RETURNING id",
				      ""),
			 ERR_OK);
	assert_int_equal(id, 1);
	/* One row per migration applied, with a time. */
	int64_t n = 0;
	assert_int_equal(db_query_int(f->db, &n,
				      "SELECT count(*) FROM schema_migrations"
				      " WHERE applied_at > 0",
				      ""),
			 ERR_OK);
	assert_int_equal(n, db_migrations_latest());
	assert_int_equal(db_check_schema(f->db, &f->msg), ERR_OK);
	assert_int_equal(f->msg.len, 0);
}

static void
test_idempotent(void **state)
{
	struct fixture *f = *state;
	int from, to;
	assert_int_equal(db_migrate(f->db, &from, &to, &f->msg), ERR_OK);
	int latest = db_migrations_latest();
	assert_int_equal(db_migrate(f->db, &from, &to, &f->msg), ERR_OK);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	assert_int_equal(db_migrate(f->db, &from, &to, &f->msg), ERR_OK);
	assert_int_equal(from, latest);
	assert_int_equal(to, latest);
	int64_t n = 0;
	db_query_int(f->db, &n, "SELECT count(*) FROM schema_migrations", "");
	assert_int_equal(n, latest);
	assert_int_equal(f->msg.len, 0);
}

static void
test_check_older(void **state)
{
	struct fixture *f = *state;
	/* A database never migrated is older than the binary. */
	assert_int_equal(db_check_schema(f->db, &f->msg), ERR_INVALID);
	const char *m = buf_cstr(&f->msg);
	assert_non_null(strstr(m, "atis migrate"));
	assert_non_null(strstr(m, "version 0"));

	/* So is one a version behind. */
	int from, to;
	assert_int_equal(db_migrate(f->db, &from, &to, &f->msg), ERR_OK);
	int latest = db_migrations_latest();
	assert_int_equal(db_run(f->db,
				"DELETE FROM schema_migrations"
				" WHERE version = ?",
				"i", (int64_t)latest),
			 ERR_OK);
	buf_reset(&f->msg);
	assert_int_equal(db_check_schema(f->db, &f->msg), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->msg), "atis migrate"));
}

static void
test_newer(void **state)
{
	struct fixture *f = *state;
	int from, to;
	assert_int_equal(db_migrate(f->db, &from, &to, &f->msg), ERR_OK);
	int latest = db_migrations_latest();
	assert_int_equal(db_run(f->db,
				"INSERT INTO schema_migrations (version,"
				" applied_at) VALUES (?, 1)",
				"i", (int64_t)latest + 1),
			 ERR_OK);
	assert_int_equal(db_check_schema(f->db, &f->msg), ERR_INVALID);
	const char *m = buf_cstr(&f->msg);
	assert_non_null(strstr(m, "newer"));
	assert_null(strstr(m, "atis migrate"));
	char want[32];
	snprintf(want, sizeof want, "version %d", latest + 1);
	assert_non_null(strstr(m, want));

	/* db_migrate refuses too, and changes nothing. */
	buf_reset(&f->msg);
	assert_int_equal(db_migrate(f->db, &from, &to, &f->msg), ERR_INVALID);
	assert_int_equal(from, latest + 1);
	assert_int_equal(to, latest + 1);
	assert_non_null(strstr(buf_cstr(&f->msg), "newer atis"));
	int v = 0;
	assert_int_equal(db_schema_version(f->db, &v), ERR_OK);
	assert_int_equal(v, latest + 1);
}

/* A migration that fails leaves nothing of itself behind. */
static void
test_failure_rolls_back(void **state)
{
	struct fixture *f = *state;
	/* A table in the way of 0001. */
	assert_int_equal(db_exec(f->db, "CREATE TABLE session (x INTEGER)"),
			 ERR_OK);
	int from = -1, to = -1;
	log_set_level((enum log_level)(LOG_ERROR + 1));
	enum err rc = db_migrate(f->db, &from, &to, &f->msg);
	log_set_level(LOG_WARN);
	assert_int_not_equal(rc, ERR_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, 0);
	assert_non_null(strstr(buf_cstr(&f->msg), "0001"));
	int v = -1;
	assert_int_equal(db_schema_version(f->db, &v), ERR_OK);
	assert_int_equal(v, 0);
	/* What 0001 made before the failing statement is gone. */
	assert_int_equal(count_schema(f->db, "table", "organisation"), 0);
	assert_int_equal(count_schema(f->db, "table", "app_user"), 0);
	/* The connection is usable, with no transaction left open. */
	assert_int_equal(db_begin(f->db), ERR_OK);
	assert_int_equal(db_commit(f->db), ERR_OK);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_latest),
		T(test_fresh),
		T(test_idempotent),
		T(test_check_older),
		T(test_newer),
		T(test_failure_rolls_back),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
