/*
 * db_internal.h — what an engine provides behind db.h.
 * Only db.c and the engine files include this.
 */
#ifndef ATIS_DB_INTERNAL_H
#define ATIS_DB_INTERNAL_H

#include <stdarg.h>

#include "db/db.h"

struct db_ops {
	const char *name;
	void (*close)(struct db *db);
	enum err (*exec)(struct db *db, const char *sql);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	void (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	void (*bind_text)(struct db_stmt *st, int idx, const char *s);
	void (*bind_null)(struct db_stmt *st, int idx);
	void (*bind_blob)(struct db_stmt *st, int idx, const void *data,
			  size_t len);
	bool (*step)(struct db_stmt *st);
	enum err (*stmt_err)(const struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	bool (*col_null)(struct db_stmt *st, int col);
	const void *(*col_blob)(struct db_stmt *st, int col, size_t *OUT_len);
	const char *begin_write_sql;
	/* What `@ID@` in a migration becomes: an auto-numbered key. */
	const char *id_column;
	/* What `@BLOB@` becomes: a column of bytes. */
	const char *blob_column;
	const char *(*errmsg)(struct db *db);
	enum err (*integrity_check)(struct db *db, struct buf *msg);
	/* Keeps a copy of the search index key for this connection. */
	void (*set_search_key)(struct db *db, const unsigned char key[32]);
	/* SQL with one `?` (a table name) whose first column counts the
	 * tables of that name. */
	const char *table_exists_sql;
};

/* Every engine's struct db starts with this. */
struct db {
	const struct db_ops *ops;
};

/* Every engine's struct db_stmt starts with this. */
struct db_stmt {
	struct db *db;
};

enum err db_sqlite_open(const char *path, enum db_open_mode mode,
			struct db **OUT, struct buf *msg);

#endif
