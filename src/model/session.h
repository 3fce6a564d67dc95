/*
 * session.h — staff sessions, kept in the database so that any app server
 * can serve any request.
 *
 * The browser holds a 256-bit random token; the database holds only its
 * SHA-256, so a copy of the database does not let anyone in.  A session
 * ends after `idle` seconds without a request or `absolute` seconds after
 * it began, whichever comes first, and at logout.
 */
#ifndef ATIS_MODEL_SESSION_H
#define ATIS_MODEL_SESSION_H

#include <stdint.h>
#include <time.h>

#include "base/crypto.h"
#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"

enum session_stage {
	SESSION_PASSWORD_OK = 1, /* awaiting the one-time code */
	SESSION_FULL = 2,
};

struct session {
	int64_t id;
	int64_t user_id;
	enum session_stage stage;
	int64_t created_at;
	int64_t expires_at;
	/* the account, for building the actor */
	int64_t org_id;
	enum role role;
	char country[3];
	bool secretariat; /* the organisation is the regional secretariat */
	char email[256];
	char name[4 * 200 + 1]; /* 200 characters of up to 4 bytes */
	char language[16];
	char token_hash[CRYPTO_HASH_HEX];
};

/* Starts a session; `token` receives the secret for the cookie. */
enum err session_create(struct db *db, int64_t user_id,
			enum session_stage stage, int64_t absolute,
			char token[CRYPTO_TOKEN_CHARS + 1]);
/* Finds the live session of `token` and records this request as its last
 * activity.  ERR_NOTFOUND for unknown, expired or disabled-account
 * sessions (an expired one is deleted). */
enum err session_find(struct db *db, const char *token, int64_t idle,
		      time_t now, struct session *OUT);
enum err session_destroy(struct db *db, int64_t id);
/* Ends every session of an account. */
enum err session_destroy_user(struct db *db, int64_t user_id);
/* Removes every expired session (housekeeping). */
enum err session_purge(struct db *db, int64_t idle, time_t now);

#endif
