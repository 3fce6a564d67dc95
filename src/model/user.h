/*
 * user.h — staff accounts.  All SQL about accounts is here.
 *
 * E-mail addresses are stored lower-cased and are the login name.  A
 * password is stored only as an Argon2id hash; a TOTP secret only sealed
 * with the site's field key (the caller seals and opens it).
 */
#ifndef ATIS_MODEL_USER_H
#define ATIS_MODEL_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"
#include "model/check.h"

struct user_input {
	const char *email;
	const char *name;
	int64_t org_id;
	enum role role;
	const char *password; /* create only */
	const char *language; /* "" for the site default */
	bool disabled;        /* update only */
	bool is_demo;
};

/* True when an account of `role` may belong to an organisation of `kind`
 * (see model/org.h): the secretariat has regional admins, affiliates have
 * affiliate admins and focal points, partners have partner users. */
bool user_role_fits_org(enum role role, const char *org_kind);

enum err user_create(struct db *db, const struct actor *who,
		     const struct user_input *in, struct check *c,
		     int64_t *OUT_id);
/* Saves name, org, role, language and disabled; a disabled account loses
 * its sessions at once. */
enum err user_update(struct db *db, const struct actor *who, int64_t id,
		     const struct user_input *in, struct check *c);
/* Sets a new password (checked) and ends the account's other sessions
 * (all but `keep_session_id`, 0 for none). `action` names the audit entry:
 * "password.change" (by the user) or "user.password_reset" (by an admin). */
enum err user_set_password(struct db *db, const struct actor *who, int64_t id,
			   const char *password, int64_t keep_session_id,
			   const char *action, struct check *c);
/* Stores a sealed TOTP secret (NULL turns two-factor off) and audits it. */
enum err user_set_totp(struct db *db, const struct actor *who, int64_t id,
		       const char *sealed_secret, int64_t last_step);
/* Records that the code of `step` was used; ERR_NOTFOUND when that step
 * (or a later one) was used already, so a code works only once. */
enum err user_set_totp_step(struct db *db, int64_t id, int64_t step);

/* One account as JSON (never the hashes or secrets), with its
 * organisation's name, kind and country; NULL if none.  Caller decrefs. */
json_t *user_get(struct db *db, int64_t id);

/* What login needs; strings are malloc'd, free with user_auth_release. */
struct user_auth {
	int64_t id;
	int64_t org_id;
	char *email;
	char *password_hash;
	char *totp_sealed; /* NULL: two-factor not set up */
	int64_t totp_last_step;
	int64_t failed_logins;
	int64_t locked_until;
	bool disabled;
	enum role role;
	char country[3];
};
enum err user_auth_by_email(struct db *db, const char *email,
			    struct user_auth *OUT);
enum err user_auth_by_id(struct db *db, int64_t id, struct user_auth *OUT);
void user_auth_release(struct user_auth *u);

struct user_filter {
	const char *q; /* substring of e-mail or name */
	int64_t org_id;
	const char *role;
	/* accounts of this country's organisations, the secretariat's
	 * excepted (what an affiliate admin may manage) */
	const char *country;
	bool staff_only;  /* only focal points and partner users */
	const char *sort; /* "email" (default), "name", "org", "last_login" */
	int page;
	int per_page;
};
enum err user_list(struct db *db, const struct user_filter *f, json_t *out,
		   int64_t *OUT_total);

#endif
