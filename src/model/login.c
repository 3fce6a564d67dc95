#include "model/login.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "base/log.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/setting.h"
#include "model/user.h"

/* An Argon2id hash of a random password, checked for unknown accounts so
 * that they take as long as known ones.  Made once, on first use. */
static char dummy[CRYPTO_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	char pw[CRYPTO_TOKEN_CHARS + 1];
	crypto_token(pw);
	crypto_password_hash(pw, dummy);
}

static const char *
dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy;
}

static enum err
note_address_failure(struct db *db, const struct login_policy *p,
		     const char *address_hash, int64_t now)
{
	/* One row per address: a new window starts when the old one ends. */
	return db_run(
		db,
		"INSERT INTO login_throttle (address_hash, failures, "
		"window_start)"
		" VALUES (?, 1, ?) ON CONFLICT (address_hash) DO UPDATE SET"
		" failures = CASE WHEN login_throttle.window_start + ? <= ?"
		"   THEN 1 ELSE login_throttle.failures + 1 END,"
		" window_start = CASE WHEN login_throttle.window_start + ? <= ?"
		"   THEN ? ELSE login_throttle.window_start END",
		"tiiiiii", address_hash, now, p->lock_seconds, now,
		p->lock_seconds, now, now);
}

/* A lock ends the sessions still waiting for their one-time code, so
 * guesses cannot go on in other browsers. */
static enum err
end_half_sessions(struct db *db, int64_t user_id)
{
	return db_run(db, "DELETE FROM session WHERE user_id = ? AND stage = ?",
		      "ii", user_id, (int64_t)SESSION_PASSWORD_OK);
}

static bool
address_throttled(struct db *db, const struct login_policy *p,
		  const char *address_hash, int64_t now)
{
	int64_t failures = 0;
	if (db_query_int(db, &failures,
			 "SELECT failures FROM login_throttle WHERE"
			 " address_hash = ? AND window_start + ? > ?",
			 "tii", address_hash, p->lock_seconds, now))
		return false;
	return failures >= p->ip_max_failures;
}

static enum err
audit_login(struct db *db, const char *action, int64_t user_id, int64_t org_id,
	    const char *label, const char *address, const char *detail)
{
	struct actor who = {.user_id = user_id,
			    .org_id = org_id,
			    .label = label,
			    .address = address};
	struct audit_event ev = {action, user_id ? "user" : "", user_id, org_id,
				 detail};
	return audit_append(db, &who, &ev);
}

enum err
login_password(struct db *db, const struct login_policy *p, const char *email,
	       const char *password, const char *address,
	       const char *address_hash, struct login_result *OUT)
{
	int64_t now = (int64_t)time(NULL);
	struct user_auth u;
	memset(OUT, 0, sizeof *OUT);
	/* A throttled address costs no password hash (checked again under
	 * the write lock below). */
	if (address_throttled(db, p, address_hash, now)) {
		log_warn("login refused: too many failures from one address");
		return ERR_THROTTLED;
	}
	enum err found = user_auth_by_email(db, email, &u);
	if (found != ERR_OK && found != ERR_NOTFOUND)
		return found;
	/* The slow hash runs before the write lock is taken. */
	bool right = crypto_password_verify(
		found == ERR_OK ? u.password_hash : dummy_hash(), password);

	/* Every write below must land, audit entries included, or none:
	 * `w` keeps the first failure and the transaction is rolled back. */
	enum err w = ERR_OK;
	enum err rc = db_begin_write(db);
	if (rc)
		goto out;
	if (address_throttled(db, p, address_hash, now)) {
		log_warn("login refused: too many failures from one address");
		rc = ERR_THROTTLED;
		goto commit;
	}
	if (found == ERR_NOTFOUND || u.disabled) {
		w = note_address_failure(db, p, address_hash, now);
		if (!w)
			w = audit_login(
				db, "login.fail", found == ERR_OK ? u.id : 0,
				found == ERR_OK ? u.org_id : 0,
				found == ERR_OK ? u.email : "unknown account",
				address,
				found == ERR_OK
					? "{\"reason\":\"disabled\"}"
					: "{\"reason\":\"unknown account\"}");
		rc = ERR_DENIED;
		goto commit;
	}
	/* The counts as they are now, under the write lock: what was read
	 * before the hash may be stale when sign-ins run side by side. */
	struct db_stmt *st = db_query(db,
				      "SELECT failed_logins, locked_until"
				      " FROM app_user WHERE id = ?",
				      "i", u.id);
	if (st == NULL || !db_step(st)) {
		db_finalize(st);
		w = ERR_DB;
		goto commit;
	}
	u.failed_logins = db_col_int(st, 0);
	u.locked_until = db_col_int(st, 1);
	db_finalize(st);
	if (u.locked_until > now) {
		w = note_address_failure(db, p, address_hash, now);
		if (!w)
			w = audit_login(db, "login.fail", u.id, u.org_id,
					u.email, address,
					"{\"reason\":\"locked\"}");
		rc = ERR_LOCKED;
		goto commit;
	}
	if (!right) {
		int64_t failures = u.failed_logins + 1;
		bool lock = failures >= p->max_failures;
		w = note_address_failure(db, p, address_hash, now);
		if (!w)
			w = db_run(db,
				   "UPDATE app_user SET failed_logins = ?,"
				   " locked_until = ? WHERE id = ?",
				   "iii", lock ? (int64_t)0 : failures,
				   lock ? now + p->lock_seconds : (int64_t)0,
				   u.id);
		if (!w)
			w = audit_login(db, "login.fail", u.id, u.org_id,
					u.email, address,
					"{\"reason\":\"wrong password\"}");
		if (!w && lock)
			w = audit_login(db, "account.locked", u.id, u.org_id,
					u.email, address, NULL);
		if (!w && lock)
			w = end_half_sessions(db, u.id);
		rc = lock ? ERR_LOCKED : ERR_DENIED;
		goto commit;
	}
	OUT->user_id = u.id;
	OUT->totp_enrolled = u.totp_sealed != NULL;
	OUT->totp_required = OUT->totp_enrolled ||
			     authz_role_requires_2fa(u.role) ||
			     setting_get_bool(db, SETTING_REQUIRE_2FA_ALL);
	/* With a second factor to come, the failures count on: a right
	 * password must not buy fresh guesses at the code.  The count is
	 * cleared by login_complete(). */
	if (!OUT->totp_required)
		w = db_run(db,
			   "UPDATE app_user SET failed_logins = 0 WHERE id = ?",
			   "i", u.id);
	else
		w = audit_login(db, "login.password_ok", u.id, u.org_id,
				u.email, address, NULL);
	rc = ERR_OK;
commit:
	if (w || db_commit(db) != ERR_OK) {
		db_rollback(db);
		memset(OUT, 0, sizeof *OUT);
		rc = ERR_DB;
	}
out:
	if (found == ERR_OK)
		user_auth_release(&u);
	return rc;
}

enum err
login_complete(struct db *db, const struct actor *who)
{
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_run(db,
		    "UPDATE app_user SET last_login_at = ?, failed_logins = 0"
		    " WHERE id = ?",
		    "ii", (int64_t)time(NULL), who->user_id);
	if (rc == ERR_OK) {
		struct audit_event ev = {"login.ok", "user", who->user_id,
					 who->org_id, NULL};
		rc = audit_append(db, who, &ev);
	}
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

enum err
login_factor_failed(struct db *db, const struct login_policy *p,
		    const struct actor *who, const char *reason)
{
	int64_t now = (int64_t)time(NULL);
	int64_t failures = 0;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_query_int(db, &failures,
			  "SELECT failed_logins FROM app_user WHERE id = ?",
			  "i", who->user_id);
	bool lock = rc == ERR_OK && failures + 1 >= p->max_failures;
	if (rc == ERR_OK)
		rc = db_run(db,
			    "UPDATE app_user SET failed_logins = ?,"
			    " locked_until = ? WHERE id = ?",
			    "iii", lock ? (int64_t)0 : failures + 1,
			    lock ? now + p->lock_seconds : (int64_t)0,
			    who->user_id);
	if (rc == ERR_OK) {
		char detail[96];
		snprintf(detail, sizeof detail, "{\"reason\":\"%s\"}", reason);
		struct audit_event ev = {"login.fail", "user", who->user_id,
					 who->org_id, detail};
		rc = audit_append(db, who, &ev);
	}
	if (rc == ERR_OK && lock) {
		struct audit_event ev = {"account.locked", "user", who->user_id,
					 who->org_id, NULL};
		rc = audit_append(db, who, &ev);
	}
	if (rc == ERR_OK && lock)
		rc = end_half_sessions(db, who->user_id);
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return lock ? ERR_LOCKED : ERR_DENIED;
}
