/*
 * fixture.h — what the model tests share: a fresh, migrated SQLite
 * database in a temporary directory for each test, and quick ways to put
 * organisations and accounts into it with plain SQL (no audit entries, no
 * Argon2id: a test that is about org_create or user_create calls those).
 *
 * Header-only (static inline) because the Makefile builds every .c under
 * tests/unit/ into its own program.
 */
#ifndef ATIS_TESTS_UNIT_MODEL_FIXTURE_H
#define ATIS_TESTS_UNIT_MODEL_FIXTURE_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/otp.h"
#include "db/db.h"
#include "db/migrate.h"
#include "model/authz.h"
#include "model/case.h"

struct fixture {
	char dir[64];
	char path[128];
	struct db *db;
	/* Fresh random keys for sealing and hashing case fields. */
	struct crypto_key field, index;
	struct case_keys keys;
};

/* For cmocka_run_group_tests. */
static inline int
fixture_group_setup(void **state)
{
	(void)state;
	log_set_level(LOG_WARN);
	if (crypto_init() != ERR_OK || otp_init() != ERR_OK)
		return -1;
	return 0;
}

/* For cmocka_unit_test_setup_teardown: *state is a struct fixture. */
static inline int
fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/atis-model-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/atis.db", f->dir);
	struct buf msg;
	buf_init(&msg, 0);
	int from, to;
	enum err rc = db_open(f->path, DB_OPEN_CREATE, &f->db, &msg);
	if (rc == ERR_OK)
		rc = db_migrate(f->db, &from, &to, &msg);
	if (rc != ERR_OK)
		fprintf(stderr, "fixture: %s\n", buf_cstr(&msg));
	buf_release(&msg);
	crypto_random(f->field.bytes, sizeof f->field.bytes);
	crypto_random(f->index.bytes, sizeof f->index.bytes);
	f->keys.field = &f->field;
	f->keys.index = &f->index;
	if (rc == ERR_OK)
		db_set_search_key(f->db, f->index.bytes);
	*state = f;
	return rc == ERR_OK ? 0 : -1;
}

static inline int
fixture_teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	DIR *d = opendir(f->dir);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[400];
		snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
		unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* An organisation, straight into the table; returns its id. */
static inline int64_t
fixture_org(struct db *db, const char *name, const char *kind,
	    const char *country)
{
	int64_t id = 0;
	int64_t now = (int64_t)time(NULL);
	if (db_query_int(db, &id,
			 "INSERT INTO organisation (name, kind, country,"
			 " created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
			 " RETURNING id",
			 "tttii", name, kind, country, now, now) != ERR_OK)
		return 0;
	return id;
}

/* An account with the given password hash (any text will do where no
 * password is checked); returns its id. */
static inline int64_t
fixture_user(struct db *db, int64_t org_id, const char *email, enum role role,
	     const char *hash)
{
	int64_t id = 0;
	int64_t now = (int64_t)time(NULL);
	if (db_query_int(db, &id,
			 "INSERT INTO app_user (org_id, email, name, role,"
			 " password_hash, password_changed_at, created_at,"
			 " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
			 " RETURNING id",
			 "ittttiii", org_id, email, email, role_name(role),
			 hash, now, now, now) != ERR_OK)
		return 0;
	return id;
}

/* How many rows a query with one text parameter counts. */
static inline int64_t
fixture_count(struct db *db, const char *sql, const char *arg)
{
	int64_t n = -1;
	if (db_query_int(db, &n, sql, arg ? "t" : "", arg) != ERR_OK)
		return -1;
	return n;
}

/* Audit entries with this action. */
static inline int64_t
fixture_audit_count(struct db *db, const char *action)
{
	return fixture_count(
		db, "SELECT count(*) FROM audit_log WHERE action = ?", action);
}

/* The detail of the newest audit entry with this action (malloc'd), or
 * NULL. */
static inline char *
fixture_audit_detail(struct db *db, const char *action)
{
	struct db_stmt *st =
		db_query(db,
			 "SELECT detail FROM audit_log WHERE action = ?"
			 " ORDER BY id DESC LIMIT 1",
			 "t", action);
	char *d = NULL;
	if (st != NULL && db_step(st))
		d = strdup(db_col_text(st, 0));
	db_finalize(st);
	return d;
}

/* The system actor of command-line tools. */
static inline struct actor
fixture_system(void)
{
	struct actor a = {.label = "system", .address = ""};
	return a;
}

#endif
