/*
 * db.h — the one storage interface of ATIS.
 *
 * Two engines sit behind it: SQLite now (db_sqlite.c) and PostgreSQL later
 * (db_pg.c), each as a table of operations (db_internal.h).  SQL given to
 * it is portable: `?` placeholders (the PostgreSQL engine numbers them),
 * BIGINT/TEXT/INTEGER columns, `INSERT … RETURNING id`, no engine-specific
 * functions; where an engine needs its own text, the migrations have
 * per-engine files (see migrate.c).
 *
 * A `struct db` is one connection, used by one thread at a time: the
 * server gives each worker thread its own.  Statements belong to their
 * connection and are finalized by whoever prepared them.  Text returned by
 * db_col_text() is valid until the next db_step() or db_finalize().
 */
#ifndef ATIS_DB_DB_H
#define ATIS_DB_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct db;
struct db_stmt;

enum db_open_mode {
	DB_OPEN_EXISTING, /* fail if the database is not there */
	DB_OPEN_CREATE,   /* create it, but only if it is not there */
};

/*
 * Opens the database named by `target` (a file path for SQLite).  A
 * missing file with DB_OPEN_EXISTING is ERR_NOTFOUND, an existing one with
 * DB_OPEN_CREATE is ERR_EXISTS, a file that is not a database is
 * ERR_CORRUPT; each with a sentence in `msg` for the person at the
 * terminal.  So a typo never creates a second, empty database.
 */
enum err db_open(const char *target, enum db_open_mode mode, struct db **OUT,
		 struct buf *msg);
void db_close(struct db *db);

/* Runs SQL without parameters, possibly several statements. */
enum err db_exec(struct db *db, const char *sql);

/*
 * Prepares `sql` and binds the values described by `types`, one letter per
 * `?`: 'i' int64_t, 't' const char * (NULL binds SQL NULL), 'n' nothing
 * (binds NULL), 'b' bytes, given as two arguments: const void *, size_t.
 * Returns NULL on failure (logged).
 */
struct db_stmt *db_query(struct db *db, const char *sql, const char *types,
			 ...);
/* Like db_query, then steps to the end: for statements without rows. */
enum err db_run(struct db *db, const char *sql, const char *types, ...);
/* Runs a query whose first row's first column is an integer into OUT;
 * ERR_NOTFOUND when there is no row. */
enum err db_query_int(struct db *db, int64_t *OUT, const char *sql,
		      const char *types, ...);

/* true: a row is ready; false: done or failed (see db_stmt_err). */
bool db_step(struct db_stmt *st);
/* ERR_OK after a clean end, else ERR_EXISTS (unique/constraint), ERR_BUSY
 * or ERR_DB. */
enum err db_stmt_err(const struct db_stmt *st);
void db_finalize(struct db_stmt *st);

int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col); /* NULL for NULL */
bool db_col_null(struct db_stmt *st, int col);
/* The bytes of a blob column and their number; valid like db_col_text. */
const void *db_col_blob(struct db_stmt *st, int col, size_t *OUT_len);

/* Transactions.  db_begin_write takes the write lock at once (SQLite
 * BEGIN IMMEDIATE), so read-then-write sequences do not deadlock. */
enum err db_begin(struct db *db);
enum err db_begin_write(struct db *db);
enum err db_commit(struct db *db);
void db_rollback(struct db *db);

/* Appends to `out` a LIKE pattern that finds `s` anywhere in a text,
 * with % _ and \ escaped (use it with ESCAPE '\'); appends nothing for
 * an empty `s`. */
void db_like_contains(struct buf *out, const char *s);

/*
 * The key the search index hashes its tokens with (the INDEX purpose key
 * of base/crypto.h); the connection keeps a copy and wipes it on close.
 * Call on every connection before writing or searching case text: until
 * then, both fail (ERR_DB) rather than index or search under no key.
 */
void db_set_search_key(struct db *db, const unsigned char key[32]);

/*
 * Appends to `out` an FTS5 MATCH expression for what a person typed:
 * each whitespace-separated word becomes a quoted phrase (a " doubled),
 * joined by spaces, so every word must appear (AND), each anywhere inside
 * a word of the text.  FTS5 syntax typed by a person (OR, NEAR, *, ^,
 * parentheses) is taken as words.  Words with nothing searchable (only
 * punctuation) are left out, words of 1-2 characters kept; after 16 words
 * the rest are ignored.  Returns false, appending nothing, when `q` has no
 * searchable word (or `out` would grow past its limit).
 */
bool db_fts_match(struct buf *out, const char *q);

/* True when the database has a table called `name`. */
bool db_table_exists(struct db *db, const char *name);

const char *db_errmsg(struct db *db);
const char *db_engine_name(const struct db *db);

/* Checks the file's integrity (SQLite PRAGMA integrity_check). */
enum err db_integrity_check(struct db *db, struct buf *msg);

#endif
