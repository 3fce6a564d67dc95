#include "db/migrate.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/embed.h"
#include "base/log.h"
#include "base/str.h"
#include "db/db_internal.h"

#define MIGRATION_DIR "src/db/migrations/"

/* The number of a migration file, or 0 if `path` is not one. */
static int
migration_number(const char *path)
{
	if (!str_starts(path, MIGRATION_DIR))
		return 0;
	const char *name = path + strlen(MIGRATION_DIR);
	int n = 0;
	for (int i = 0; i < 4; i++) {
		if (name[i] < '0' || name[i] > '9')
			return 0;
		n = n * 10 + (name[i] - '0');
	}
	return name[4] == '_' ? n : 0;
}

/* Which engine a file is for: NULL for all. */
static const char *
migration_engine(const char *path, struct buf *tmp)
{
	size_t n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, ".sql") != 0)
		return NULL;
	const char *dot = NULL;
	for (const char *p = path + n - 5; p > path && *p != '/'; p--)
		if (*p == '.') {
			dot = p;
			break;
		}
	if (dot == NULL)
		return NULL;
	buf_reset(tmp);
	buf_append(tmp, dot + 1, (size_t)(path + n - 4 - dot - 1));
	return buf_cstr(tmp);
}

int
db_migrations_latest(void)
{
	int latest = 0;
	for (size_t i = 0; i < embedded_count; i++) {
		int n = migration_number(embedded_files[i].path);
		if (n > latest)
			latest = n;
	}
	return latest;
}

/* Reading the version writes nothing: a database that is not ATIS's
 * stays as it was. */
enum err
db_schema_version(struct db *db, int *OUT)
{
	*OUT = 0;
	if (!db_table_exists(db, "schema_migrations"))
		return ERR_OK;
	int64_t v = 0;
	enum err rc = db_query_int(
		db, &v,
		"SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
	*OUT = (int)v;
	return rc;
}

/* Runs one file's SQL with @ID@ and @BLOB@ replaced. */
static enum err
run_file(struct db *db, const struct embedded_file *f)
{
	struct buf sql;
	buf_init(&sql, 0);
	const char *p = (const char *)f->data;
	for (;;) {
		const char *id = strstr(p, "@ID@");
		const char *blob = strstr(p, "@BLOB@");
		const char *at = id && (!blob || id < blob) ? id : blob;
		if (at == NULL)
			break;
		buf_append(&sql, p, (size_t)(at - p));
		if (at == id) {
			buf_puts(&sql, db->ops->id_column);
			p = at + 4;
		} else {
			buf_puts(&sql, db->ops->blob_column);
			p = at + 6;
		}
	}
	buf_puts(&sql, p);
	enum err rc = db_exec(db, buf_cstr(&sql));
	buf_release(&sql);
	return rc;
}

static enum err
apply_one(struct db *db, int number, struct buf *msg)
{
	struct buf eng;
	buf_init(&eng, 0);
	enum err rc = db_begin_write(db);
	if (rc)
		goto out;
	/* The common file first, then the engine's own. */
	for (int pass = 0; pass < 2 && rc == ERR_OK; pass++) {
		for (size_t i = 0; i < embedded_count && rc == ERR_OK; i++) {
			const struct embedded_file *f = &embedded_files[i];
			if (migration_number(f->path) != number)
				continue;
			const char *engine = migration_engine(f->path, &eng);
			if (pass == 0 && engine != NULL)
				continue;
			if (pass == 1 && (engine == NULL ||
					  strcmp(engine, db->ops->name) != 0))
				continue;
			rc = run_file(db, f);
			if (rc)
				buf_printf(msg, "migration %s failed: %s",
					   f->path, db_errmsg(db));
		}
	}
	if (rc == ERR_OK)
		rc = db_run(
			db,
			"INSERT INTO schema_migrations (version, applied_at) "
			"VALUES (?, ?)",
			"ii", (int64_t)number, (int64_t)time(NULL));
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
out:
	buf_release(&eng);
	return rc;
}

enum err
db_migrate(struct db *db, int *OUT_from, int *OUT_to, struct buf *msg)
{
	int current;
	enum err rc = db_schema_version(db, &current);
	if (rc) {
		buf_printf(msg, "cannot read the schema version: %s",
			   db_errmsg(db));
		return rc;
	}
	rc = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations "
			 "(version INTEGER PRIMARY KEY, "
			 "applied_at BIGINT NOT NULL)");
	if (rc) {
		buf_printf(msg, "cannot record schema versions: %s",
			   db_errmsg(db));
		return rc;
	}
	int latest = db_migrations_latest();
	*OUT_from = current;
	*OUT_to = current;
	if (current > latest) {
		buf_printf(msg,
			   "the database is at schema version %d but this atis "
			   "knows only up to %d: use a newer atis",
			   current, latest);
		return ERR_INVALID;
	}
	for (int n = current + 1; n <= latest; n++) {
		rc = apply_one(db, n, msg);
		if (rc)
			return rc;
		log_info("applied migration %04d", n);
		*OUT_to = n;
	}
	return ERR_OK;
}

enum err
db_check_schema(struct db *db, struct buf *msg)
{
	int current;
	enum err rc = db_schema_version(db, &current);
	if (rc) {
		buf_printf(msg, "cannot read the schema version: %s",
			   db_errmsg(db));
		return rc;
	}
	int latest = db_migrations_latest();
	if (current < latest) {
		buf_printf(msg,
			   "the database is at schema version %d and this atis "
			   "needs %d: run `atis migrate` first",
			   current, latest);
		return ERR_INVALID;
	}
	if (current > latest) {
		buf_printf(msg,
			   "the database is at schema version %d, newer than "
			   "this atis (%d): use a newer atis",
			   current, latest);
		return ERR_INVALID;
	}
	return ERR_OK;
}
