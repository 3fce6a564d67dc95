#include "model/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "base/str.h"

#define GENESIS                                                                \
	"0000000000000000000000000000000000000000000000000000000000000000"

/*
 * The bytes hashed for one entry: the previous hash and every field, each
 * followed by a unit separator (0x1F), which no field can contain (labels
 * and details are checked text; numbers are printed).
 */
static void
entry_hash(const char *prev, int64_t id, int64_t at, int64_t actor_id,
	   const char *label, int64_t actor_org, const char *action,
	   const char *ttype, int64_t tid, int64_t torg, const char *address,
	   const char *detail, char out[CRYPTO_HASH_HEX])
{
	struct buf b;
	buf_init(&b, 0);
	buf_printf(&b,
		   "%s\x1f%" PRId64 "\x1f%" PRId64 "\x1f%" PRId64
		   "\x1f%s\x1f%" PRId64 "\x1f%s\x1f%s\x1f%" PRId64
		   "\x1f%" PRId64 "\x1f%s\x1f%s\x1f",
		   prev, id, at, actor_id, label, actor_org, action, ttype, tid,
		   torg, address, detail);
	crypto_sha256_hex(b.data, b.len, out);
	buf_release(&b);
}

enum err
audit_append(struct db *db, const struct actor *who,
	     const struct audit_event *ev)
{
	char prev[CRYPTO_HASH_HEX] = GENESIS;
	int64_t id = 1;
	struct db_stmt *st = db_query(
		db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
		"");
	if (st == NULL)
		return ERR_DB;
	if (db_step(st)) {
		id = db_col_int(st, 0) + 1;
		snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
	}
	enum err rc = db_stmt_err(st);
	db_finalize(st);
	if (rc)
		return rc;

	int64_t at = (int64_t)time(NULL);
	const char *label = who && who->label ? who->label : "system";
	const char *address = who && who->address ? who->address : "";
	int64_t actor_id = who ? who->user_id : 0;
	int64_t actor_org = who ? who->org_id : 0;
	const char *ttype = ev->target_type ? ev->target_type : "";
	const char *detail = ev->detail ? ev->detail : "";
	char hash[CRYPTO_HASH_HEX];
	entry_hash(prev, id, at, actor_id, label, actor_org, ev->action, ttype,
		   ev->target_id, ev->target_org_id, address, detail, hash);
	return db_run(
		db,
		"INSERT INTO audit_log (id, at, actor_user_id, actor_label,"
		" actor_org_id, action, target_type, target_id,"
		" target_org_id, address, detail, prev_hash, hash)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"iiitittiitttt", id, at, actor_id, label, actor_org, ev->action,
		ttype, ev->target_id, ev->target_org_id, address, detail, prev,
		hash);
}

enum err
audit_list(struct db *db, const struct audit_filter *f, json_t *out,
	   int *OUT_more)
{
	/* Every filter is a bound value; an unused one matches all rows. */
	const char *action = str_empty(f->action) ? NULL : f->action;
	bool prefix = action && action[strlen(action) - 1] == '.';
	struct buf like;
	buf_init(&like, 0);
	db_like_contains(&like, f->actor);
	int limit = f->limit > 0 && f->limit <= 200 ? f->limit : 50;
	struct db_stmt *st = db_query(
		db,
		"SELECT a.id, a.at, a.actor_label, a.action, a.target_type,"
		" a.target_id, a.address, a.detail, o.name"
		" FROM audit_log a LEFT JOIN organisation o ON o.id = "
		"a.target_org_id"
		" LEFT JOIN organisation ao ON ao.id = a.actor_org_id"
		" WHERE (CAST(? AS TEXT) IS NULL OR a.action = ? OR (? = 1 AND"
		"   substr(a.action, 1, length(?)) = ?))"
		" AND (CAST(? AS TEXT) IS NULL OR a.actor_label LIKE ? ESCAPE "
		"'\\')"
		" AND (? = 0 OR a.at >= ?) AND (? = 0 OR a.at < ?)"
		" AND (CAST(? AS TEXT) IS NULL"
		"   OR (o.country = ? AND o.kind <> 'regional_secretariat')"
		"   OR (ao.country = ? AND ao.kind <> 'regional_secretariat'))"
		" AND (? = 0 OR a.id < ?)"
		" ORDER BY a.id DESC LIMIT ?",
		"ttittttiiiitttiii", action, action, (int64_t)prefix, action,
		action, like.len ? buf_cstr(&like) : NULL,
		like.len ? buf_cstr(&like) : NULL, f->from, f->from, f->to,
		f->to, f->country, f->country, f->country, f->before_id,
		f->before_id, (int64_t)limit + 1);
	buf_release(&like);
	if (st == NULL)
		return ERR_DB;
	int n = 0;
	*OUT_more = 0;
	while (db_step(st)) {
		if (n == limit) {
			*OUT_more = 1;
			break;
		}
		json_t *e = json_pack(
			"{sI sI ss ss ss sI ss ss ss}", "id",
			(json_int_t)db_col_int(st, 0), "at",
			(json_int_t)db_col_int(st, 1), "actor",
			db_col_text(st, 2), "action", db_col_text(st, 3),
			"target_type", db_col_text(st, 4), "target_id",
			(json_int_t)db_col_int(st, 5), "address",
			db_col_text(st, 6), "detail", db_col_text(st, 7),
			"target_org",
			db_col_text(st, 8) ? db_col_text(st, 8) : "");
		json_array_append_new(out, e);
		n++;
	}
	enum err rc = db_stmt_err(st);
	db_finalize(st);
	return rc;
}

enum err
audit_verify(struct db *db, int64_t *OUT_count, int64_t *OUT_bad_id,
	     struct buf *msg)
{
	*OUT_count = 0;
	*OUT_bad_id = 0;
	struct db_stmt *st = db_query(
		db,
		"SELECT id, at, actor_user_id, actor_label, actor_org_id, "
		"action,"
		" target_type, target_id, target_org_id, address, detail,"
		" prev_hash, hash FROM audit_log ORDER BY id",
		"");
	if (st == NULL)
		return ERR_DB;
	char prev[CRYPTO_HASH_HEX] = GENESIS;
	int64_t expect_id = 0;
	enum err rc = ERR_OK;
	while (db_step(st)) {
		int64_t id = db_col_int(st, 0);
		char hash[CRYPTO_HASH_HEX];
		entry_hash(prev, id, db_col_int(st, 1), db_col_int(st, 2),
			   db_col_text(st, 3), db_col_int(st, 4),
			   db_col_text(st, 5), db_col_text(st, 6),
			   db_col_int(st, 7), db_col_int(st, 8),
			   db_col_text(st, 9), db_col_text(st, 10), hash);
		const char *why = NULL;
		if (expect_id != 0 && id != expect_id)
			why = "an entry before it is missing";
		else if (strcmp(db_col_text(st, 11), prev) != 0)
			why = "it does not link to the entry before it";
		else if (strcmp(db_col_text(st, 12), hash) != 0)
			why = "its contents do not match its hash";
		if (why != NULL) {
			*OUT_bad_id = id;
			buf_printf(msg, "entry %" PRId64 " is broken: %s", id,
				   why);
			rc = ERR_CORRUPT;
			break;
		}
		snprintf(prev, sizeof prev, "%s", db_col_text(st, 12));
		expect_id = id + 1;
		(*OUT_count)++;
	}
	if (rc == ERR_OK)
		rc = db_stmt_err(st);
	db_finalize(st);
	return rc;
}
