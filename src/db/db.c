#include "db/db.h"

#include <stdarg.h>
#include <string.h>

#include "base/log.h"
#include "base/trigram.h"
#include "db/db_internal.h"

enum err
db_open(const char *target, enum db_open_mode mode, struct db **OUT,
	struct buf *msg)
{
	/* PostgreSQL URLs will be told apart here. */
	return db_sqlite_open(target, mode, OUT, msg);
}

void
db_close(struct db *db)
{
	if (db != NULL)
		db->ops->close(db);
}

const void *
db_col_blob(struct db_stmt *st, int col, size_t *OUT_len)
{
	return st->db->ops->col_blob(st, col, OUT_len);
}

enum err
db_exec(struct db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}

static struct db_stmt *
query_v(struct db *db, const char *sql, const char *types, va_list ap)
{
	struct db_stmt *st = db->ops->prepare(db, sql);
	if (st == NULL)
		return NULL;
	for (int i = 0; types != NULL && types[i] != '\0'; i++) {
		switch (types[i]) {
		case 'i':
			db->ops->bind_int(st, i + 1, va_arg(ap, int64_t));
			break;
		case 't': {
			const char *s = va_arg(ap, const char *);
			if (s == NULL)
				db->ops->bind_null(st, i + 1);
			else
				db->ops->bind_text(st, i + 1, s);
			break;
		}
		case 'b': {
			const void *data = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			db->ops->bind_blob(st, i + 1, data, len);
			break;
		}
		default: db->ops->bind_null(st, i + 1); break;
		}
	}
	return st;
}

struct db_stmt *
db_query(struct db *db, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = query_v(db, sql, types, ap);
	va_end(ap);
	return st;
}

enum err
db_run(struct db *db, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = query_v(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return ERR_DB;
	while (db_step(st))
		;
	enum err rc = db_stmt_err(st);
	db_finalize(st);
	return rc;
}

enum err
db_query_int(struct db *db, int64_t *OUT, const char *sql, const char *types,
	     ...)
{
	va_list ap;
	va_start(ap, types);
	struct db_stmt *st = query_v(db, sql, types, ap);
	va_end(ap);
	if (st == NULL)
		return ERR_DB;
	enum err rc = ERR_NOTFOUND;
	if (db_step(st)) {
		*OUT = db_col_int(st, 0);
		rc = ERR_OK;
	} else if (db_stmt_err(st)) {
		rc = db_stmt_err(st);
	}
	db_finalize(st);
	return rc;
}

bool
db_step(struct db_stmt *st)
{
	return st->db->ops->step(st);
}

enum err
db_stmt_err(const struct db_stmt *st)
{
	return st->db->ops->stmt_err(st);
}

void
db_finalize(struct db_stmt *st)
{
	if (st != NULL)
		st->db->ops->finalize(st);
}

int64_t
db_col_int(struct db_stmt *st, int col)
{
	return st->db->ops->col_int(st, col);
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return st->db->ops->col_text(st, col);
}

bool
db_col_null(struct db_stmt *st, int col)
{
	return st->db->ops->col_null(st, col);
}

enum err
db_begin(struct db *db)
{
	return db->ops->exec(db, "BEGIN");
}

enum err
db_begin_write(struct db *db)
{
	return db->ops->exec(db, db->ops->begin_write_sql);
}

enum err
db_commit(struct db *db)
{
	return db->ops->exec(db, "COMMIT");
}

void
db_rollback(struct db *db)
{
	if (db->ops->exec(db, "ROLLBACK") != ERR_OK)
		log_debug("rollback without a transaction");
}

void
db_like_contains(struct buf *out, const char *s)
{
	if (s == NULL || *s == '\0')
		return;
	buf_putc(out, '%');
	for (const char *p = s; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_putc(out, '\\');
		buf_putc(out, *p);
	}
	buf_putc(out, '%');
}

void
db_set_search_key(struct db *db, const unsigned char key[32])
{
	db->ops->set_search_key(db, key);
}

/* Bounds the work of one search: each word is a phrase of trigrams that
 * FTS5 intersects with every other. */
#define FTS_MAX_WORDS 16

bool
db_fts_match(struct buf *out, const char *q)
{
	if (q == NULL)
		return false;
	struct buf expr, word;
	buf_init(&expr, 0);
	buf_init(&word, 0);
	size_t n = strlen(q), i = 0;
	int words = 0;
	while (i < n && words < FTS_MAX_WORDS) {
		size_t sp;
		while (i < n && (sp = trigram_space_len(q + i, n - i)) > 0)
			i += sp;
		size_t start = i;
		while (i < n && trigram_space_len(q + i, n - i) == 0)
			i++;
		if (i == start)
			break;
		buf_reset(&word);
		buf_append(&word, q + start, i - start);
		/* A phrase of no tokens ("!!", "—") matches nothing, which
		 * would make the whole AND match nothing. */
		if (trigram_count(buf_cstr(&word)) == 0)
			continue;
		if (words > 0)
			buf_putc(&expr, ' ');
		/* Inside double quotes FTS5 reads everything as text, a
		 * doubled quote as one quote: no operator can get in. */
		buf_putc(&expr, '"');
		for (const char *p = buf_cstr(&word); *p; p++) {
			if (*p == '"')
				buf_putc(&expr, '"');
			buf_putc(&expr, *p);
		}
		buf_putc(&expr, '"');
		words++;
	}
	bool ok = words > 0 && buf_append(out, expr.data, expr.len) == ERR_OK;
	buf_release(&word);
	buf_release(&expr);
	return ok;
}

bool
db_table_exists(struct db *db, const char *name)
{
	int64_t n = 0;
	return db_query_int(db, &n, db->ops->table_exists_sql, "t", name) ==
		       ERR_OK &&
	       n > 0;
}

const char *
db_errmsg(struct db *db)
{
	return db->ops->errmsg(db);
}

const char *
db_engine_name(const struct db *db)
{
	return db->ops->name;
}

enum err
db_integrity_check(struct db *db, struct buf *msg)
{
	return db->ops->integrity_check(db, msg);
}
