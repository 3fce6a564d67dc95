/*
 * login.h — checking a password, with throttling and lockout.
 *
 * - After `max_failures` wrong passwords in a row an account is locked for
 *   `lock_seconds`; the lock is audited.
 * - A source address with `ip_max_failures` failures within `lock_seconds`
 *   is refused before any password is checked (ERR_THROTTLED).
 * - Unknown accounts cost the same time as known ones (a dummy hash is
 *   checked), so the answer does not tell which e-mail addresses exist.
 * Every success and failure is audited.
 */
#ifndef ATIS_MODEL_LOGIN_H
#define ATIS_MODEL_LOGIN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"

struct login_policy {
	int64_t max_failures;
	int64_t lock_seconds;
	int64_t ip_max_failures;
};

struct login_result {
	int64_t user_id;
	bool totp_enrolled; /* has a secret: ask for the code */
	bool totp_required; /* by role or by site setting */
};

/*
 * ERR_OK: password right; look at `res` to decide on a second factor.
 * ERR_DENIED: wrong e-mail or password.  ERR_LOCKED: the account is locked.
 * ERR_THROTTLED: too many failures from this address.
 * `address` is shown in the audit log; `address_hash` (a keyed hash of
 * it) keys the throttle table.
 */
enum err login_password(struct db *db, const struct login_policy *p,
			const char *email, const char *password,
			const char *address, const char *address_hash,
			struct login_result *OUT);

/* Records the end of a full login (after the second factor, if any) and
 * clears the account's failure count. */
enum err login_complete(struct db *db, const struct actor *who);
/*
 * Records a wrong second proof from someone whose password was right: a
 * one-time code, or the current password asked again before a change.
 * `reason` ("wrong one-time code", …) goes into the audit entry.  These
 * count towards the account lock like wrong passwords: ERR_LOCKED when
 * this one locked the account, else ERR_DENIED (or a database error).
 */
enum err login_factor_failed(struct db *db, const struct login_policy *p,
			     const struct actor *who, const char *reason);

#endif
