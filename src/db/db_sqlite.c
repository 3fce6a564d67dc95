/*
 * The SQLite engine.  Every connection runs in WAL mode with
 * synchronous=FULL (a commit survives a power cut once it returns), foreign
 * keys on and a busy timeout, so concurrent writers wait instead of failing.
 * Each also has the search tokenizer (search_tokenizer.c) and the key it
 * hashes with, which the connection owns and wipes when it closes.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/crypto.h"
#include "base/log.h"
#include "base/mem.h"
#include "db/db_internal.h"
#include "db/search_tokenizer.h"

#define BUSY_TIMEOUT_MS 5000

struct sqlite_db {
	struct db base;
	sqlite3 *handle;
	/* Read by the tokenizer of every FTS5 table on this connection. */
	struct search_key search_key;
};

struct sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *handle;
	int last; /* last sqlite3_step() result */
};

static sqlite3 *
handle_of(struct db *db)
{
	return ((struct sqlite_db *)db)->handle;
}

static enum err
map_code(int code)
{
	switch (code & 0xFF) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW: return ERR_OK;
	case SQLITE_CONSTRAINT: return ERR_EXISTS;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return ERR_BUSY;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT: return ERR_CORRUPT;
	default: return ERR_DB;
	}
}

static void
sq_close(struct db *db)
{
	struct sqlite_db *sdb = (struct sqlite_db *)db;
	sqlite3_close_v2(sdb->handle);
	crypto_wipe(&sdb->search_key, sizeof sdb->search_key);
	free(sdb);
}

static void
sq_set_search_key(struct db *db, const unsigned char key[32])
{
	struct search_key *k = &((struct sqlite_db *)db)->search_key;
	memcpy(k->bytes, key, sizeof k->bytes);
	k->set = true;
}

static enum err
sq_exec(struct db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(handle_of(db), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		log_debug("sqlite: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_code(rc);
	}
	return ERR_OK;
}

static struct db_stmt *
sq_prepare(struct db *db, const char *sql)
{
	sqlite3_stmt *h;
	int rc = sqlite3_prepare_v2(handle_of(db), sql, -1, &h, NULL);
	if (rc != SQLITE_OK) {
		log_error("sqlite: cannot prepare a statement: %s",
			  sqlite3_errmsg(handle_of(db)));
		return NULL;
	}
	struct sqlite_stmt *st = xcalloc(1, sizeof *st);
	st->base.db = db;
	st->handle = h;
	st->last = SQLITE_OK;
	return &st->base;
}

static sqlite3_stmt *
stmt_of(struct db_stmt *st)
{
	return ((struct sqlite_stmt *)st)->handle;
}

static void
sq_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(stmt_of(st), idx, v);
}

static void
sq_bind_text(struct db_stmt *st, int idx, const char *s)
{
	sqlite3_bind_text(stmt_of(st), idx, s, -1, SQLITE_TRANSIENT);
}

static void
sq_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(stmt_of(st), idx);
}

static void
sq_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
	sqlite3_bind_blob64(stmt_of(st), idx, len ? data : "", len,
			    SQLITE_TRANSIENT);
}

static bool
sq_step(struct db_stmt *base)
{
	struct sqlite_stmt *st = (struct sqlite_stmt *)base;
	st->last = sqlite3_step(st->handle);
	if (st->last == SQLITE_ROW)
		return true;
	if (st->last != SQLITE_DONE)
		log_debug("sqlite: step: %s",
			  sqlite3_errmsg(handle_of(base->db)));
	return false;
}

static enum err
sq_stmt_err(const struct db_stmt *base)
{
	return map_code(((const struct sqlite_stmt *)base)->last);
}

static void
sq_finalize(struct db_stmt *base)
{
	sqlite3_finalize(stmt_of(base));
	free(base);
}

static int64_t
sq_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(stmt_of(st), col);
}

static const char *
sq_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(stmt_of(st), col);
}

static bool
sq_col_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(stmt_of(st), col) == SQLITE_NULL;
}

static const void *
sq_col_blob(struct db_stmt *st, int col, size_t *OUT_len)
{
	const void *p = sqlite3_column_blob(stmt_of(st), col);
	*OUT_len = (size_t)sqlite3_column_bytes(stmt_of(st), col);
	return p;
}

static const char *
sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(handle_of(db));
}

static enum err
sq_integrity_check(struct db *db, struct buf *msg)
{
	sqlite3_stmt *h;
	if (sqlite3_prepare_v2(handle_of(db), "PRAGMA integrity_check", -1, &h,
			       NULL) != SQLITE_OK) {
		buf_puts(msg, sqlite3_errmsg(handle_of(db)));
		return ERR_CORRUPT;
	}
	enum err rc = ERR_OK;
	int step;
	while ((step = sqlite3_step(h)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(h, 0);
		if (line != NULL && strcmp(line, "ok") != 0) {
			buf_printf(msg, "%s\n", line);
			rc = ERR_CORRUPT;
		}
	}
	if (step != SQLITE_DONE) {
		buf_puts(msg, sqlite3_errmsg(handle_of(db)));
		rc = ERR_CORRUPT;
	}
	sqlite3_finalize(h);
	return rc;
}

static const struct db_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.stmt_err = sq_stmt_err,
	.finalize = sq_finalize,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.col_blob = sq_col_blob,
	.begin_write_sql = "BEGIN IMMEDIATE",
	.id_column = "INTEGER PRIMARY KEY",
	.blob_column = "BLOB",
	.errmsg = sq_errmsg,
	.integrity_check = sq_integrity_check,
	.set_search_key = sq_set_search_key,
	.table_exists_sql = "SELECT count(*) FROM sqlite_schema"
			    " WHERE type = 'table' AND name = ?",
};

/* SQLite keeps process-wide memory statistics behind one mutex, taken on
 * every allocation; ATIS never reads them.  Turned off before SQLite's
 * first use (a later call would be refused, harmlessly). */
static pthread_once_t configure_once = PTHREAD_ONCE_INIT;

static void
configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum err
db_sqlite_open(const char *path, enum db_open_mode mode, struct db **OUT,
	       struct buf *msg)
{
	pthread_once(&configure_once, configure);
	struct stat sb;
	bool exists = stat(path, &sb) == 0;
	if (mode == DB_OPEN_EXISTING && !exists) {
		buf_printf(msg,
			   "there is no database at %s (create one with "
			   "`atis init --db %s`)",
			   path, path);
		return ERR_NOTFOUND;
	}
	if (mode == DB_OPEN_CREATE && exists) {
		buf_printf(msg, "%s already exists; ATIS will not overwrite it",
			   path);
		return ERR_EXISTS;
	}
	if (exists && !S_ISREG(sb.st_mode)) {
		buf_printf(msg, "%s is not a regular file", path);
		return ERR_CORRUPT;
	}
	/* SQLite would take an empty file for a new database and write to
	 * it; an ATIS database is never empty. */
	if (exists && mode == DB_OPEN_EXISTING && sb.st_size == 0) {
		buf_printf(msg, "%s is empty: it is not an ATIS database",
			   path);
		return ERR_CORRUPT;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == DB_OPEN_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(path, &h, flags, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(msg, "cannot open %s: %s", path,
			   h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close_v2(h);
		return ERR_IO;
	}
	struct sqlite_db *db = xcalloc(1, sizeof *db);
	db->base.ops = &sqlite_ops;
	db->handle = h;
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(h, 1);
	/* The first statement reads the file header: this is where a file
	 * that is not a database is found out. */
	char *err = NULL;
	rc = sqlite3_exec(h,
			  "PRAGMA journal_mode=WAL;"
			  "PRAGMA synchronous=FULL;"
			  "PRAGMA foreign_keys=ON;"
			  "SELECT count(*) FROM sqlite_schema;",
			  NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		enum err e = map_code(rc);
		buf_printf(msg, "%s is not a usable ATIS database: %s", path,
			   err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		sq_close(&db->base);
		return e == ERR_BUSY ? ERR_BUSY : ERR_CORRUPT;
	}
	/* On every connection, not only the one that created the tables:
	 * FTS5 looks the tokenizer up by name whenever it opens case_fts. */
	if (search_tokenizer_register(h, &db->search_key) != ERR_OK) {
		buf_printf(msg,
			   "cannot set up full-text search on %s: this SQLite "
			   "has no FTS5",
			   path);
		sq_close(&db->base);
		return ERR_DB;
	}
	*OUT = &db->base;
	return ERR_OK;
}
