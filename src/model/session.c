#include "model/session.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"

enum err
session_create(struct db *db, int64_t user_id, enum session_stage stage,
	       int64_t absolute, char token[CRYPTO_TOKEN_CHARS + 1])
{
	char hash[CRYPTO_HASH_HEX];
	crypto_token(token);
	crypto_sha256_hex(token, strlen(token), hash);
	int64_t now = (int64_t)time(NULL);
	return db_run(db,
		      "INSERT INTO session (token_hash, user_id, stage,"
		      " created_at, last_seen_at, expires_at)"
		      " VALUES (?, ?, ?, ?, ?, ?)",
		      "tiiiii", hash, user_id, (int64_t)stage, now, now,
		      now + absolute);
}

enum err
session_find(struct db *db, const char *token, int64_t idle, time_t now,
	     struct session *OUT)
{
	if (token == NULL || strlen(token) != CRYPTO_TOKEN_CHARS)
		return ERR_NOTFOUND;
	char hash[CRYPTO_HASH_HEX];
	crypto_sha256_hex(token, strlen(token), hash);
	struct db_stmt *st = db_query(
		db,
		"SELECT s.id, s.user_id, s.stage, s.created_at, s.expires_at,"
		" s.last_seen_at, u.org_id, u.role, o.country, u.email, u.name,"
		" u.language, u.disabled, o.kind FROM session s"
		" JOIN app_user u ON u.id = s.user_id"
		" JOIN organisation o ON o.id = u.org_id WHERE s.token_hash = "
		"?",
		"t", hash);
	if (st == NULL)
		return ERR_DB;
	enum err rc = ERR_NOTFOUND;
	int64_t last_seen = 0;
	bool disabled = false;
	memset(OUT, 0, sizeof *OUT);
	if (db_step(st)) {
		OUT->id = db_col_int(st, 0);
		OUT->user_id = db_col_int(st, 1);
		OUT->stage = (enum session_stage)db_col_int(st, 2);
		OUT->created_at = db_col_int(st, 3);
		OUT->expires_at = db_col_int(st, 4);
		last_seen = db_col_int(st, 5);
		OUT->org_id = db_col_int(st, 6);
		OUT->role = role_parse(db_col_text(st, 7));
		snprintf(OUT->country, sizeof OUT->country, "%s",
			 db_col_text(st, 8));
		snprintf(OUT->email, sizeof OUT->email, "%s",
			 db_col_text(st, 9));
		snprintf(OUT->name, sizeof OUT->name, "%s",
			 db_col_text(st, 10));
		snprintf(OUT->language, sizeof OUT->language, "%s",
			 db_col_text(st, 11));
		disabled = db_col_int(st, 12) != 0;
		OUT->secretariat =
			str_eq(db_col_text(st, 13), "regional_secretariat");
		memcpy(OUT->token_hash, hash, sizeof hash);
		rc = ERR_OK;
	} else if (db_stmt_err(st)) {
		rc = db_stmt_err(st);
	}
	db_finalize(st);
	if (rc)
		return rc;
	if (disabled || now >= OUT->expires_at || now >= last_seen + idle) {
		session_destroy(db, OUT->id);
		return ERR_NOTFOUND;
	}
	/* Only write when the second changed: a burst of requests from one
	 * page load costs one write. */
	if (now > last_seen)
		db_run(db, "UPDATE session SET last_seen_at = ? WHERE id = ?",
		       "ii", (int64_t)now, OUT->id);
	return ERR_OK;
}

enum err
session_destroy(struct db *db, int64_t id)
{
	return db_run(db, "DELETE FROM session WHERE id = ?", "i", id);
}

enum err
session_destroy_user(struct db *db, int64_t user_id)
{
	return db_run(db, "DELETE FROM session WHERE user_id = ?", "i",
		      user_id);
}

enum err
session_purge(struct db *db, int64_t idle, time_t now)
{
	return db_run(db,
		      "DELETE FROM session WHERE expires_at <= ?"
		      " OR last_seen_at + ? <= ?",
		      "iii", (int64_t)now, idle, (int64_t)now);
}
