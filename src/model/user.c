#include "model/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/crypto.h"
#include "base/i18n.h"
#include "base/mem.h"
#include "base/str.h"
#include "model/audit.h"

bool
user_role_fits_org(enum role role, const char *kind)
{
	switch (role) {
	case ROLE_REGIONAL_ADMIN: return str_eq(kind, "regional_secretariat");
	case ROLE_AFFILIATE_ADMIN:
	case ROLE_FOCAL_POINT: return str_eq(kind, "affiliate");
	case ROLE_PARTNER_USER:
		return !str_eq(kind, "regional_secretariat") &&
		       !str_eq(kind, "affiliate") && !str_empty(kind);
	default: return false;
	}
}

static void
check_common(struct db *db, const struct user_input *in, struct check *c,
	     char **OUT_org_kind)
{
	check_text(c, "name", in->name, true, 200, false);
	if (in->role == ROLE_NONE)
		check_fail(c, "role",
			   N_("Please choose a role from the list."));
	if (!str_empty(in->language) && i18n_lang_find(in->language) == NULL)
		check_fail(c, "language",
			   N_("Please choose a language from the list."));
	*OUT_org_kind = NULL;
	struct db_stmt *st =
		db_query(db, "SELECT kind FROM organisation WHERE id = ?", "i",
			 in->org_id);
	if (st != NULL && db_step(st))
		*OUT_org_kind = xstrdup(db_col_text(st, 0));
	db_finalize(st);
	if (*OUT_org_kind == NULL)
		check_fail(c, "org_id",
			   N_("Please choose an organisation from the list."));
	else if (in->role != ROLE_NONE &&
		 !user_role_fits_org(in->role, *OUT_org_kind))
		check_fail(c, "role",
			   N_("This role does not fit this kind of "
			      "organisation."));
}

enum err
user_create(struct db *db, const struct actor *who, const struct user_input *in,
	    struct check *c, int64_t *OUT_id)
{
	char *kind = NULL;
	char email[256] = "";
	if (check_email(c, "email", in->email, true)) {
		snprintf(email, sizeof email, "%s", in->email);
		str_lower(email);
	}
	check_password(c, "password", in->password);
	check_common(db, in, c, &kind);
	free(kind);
	if (c->n)
		return ERR_INVALID;
	char hash[CRYPTO_PWHASH_MAX];
	if (crypto_password_hash(in->password, hash))
		return ERR_IO;
	int64_t now = (int64_t)time(NULL);
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_query_int(db, OUT_id,
			  "INSERT INTO app_user (org_id, email, name, role, "
			  "password_hash,"
			  " language, is_demo, password_changed_at, "
			  "created_at, updated_at)"
			  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			  "itttttiiii", in->org_id, email, in->name,
			  role_name(in->role), hash,
			  in->language ? in->language : "",
			  (int64_t)in->is_demo, now, now, now);
	if (rc == ERR_EXISTS)
		check_fail(c, "email",
			   N_("There is already an account with this e-mail "
			      "address."));
	if (rc)
		goto fail;
	json_t *d = json_pack("{ss ss sI}", "email", email, "role",
			      role_name(in->role), "org_id",
			      (json_int_t)in->org_id);
	char *detail = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	struct audit_event ev = {"user.create", "user", *OUT_id, in->org_id,
				 detail};
	rc = audit_append(db, who, &ev);
	free(detail);
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(db);
	return rc;
}

/* Ends every session of `id` except `keep` (0 ends them all). */
static enum err
end_sessions(struct db *db, int64_t id, int64_t keep)
{
	return db_run(db, "DELETE FROM session WHERE user_id = ? AND id <> ?",
		      "ii", id, keep);
}

enum err
user_update(struct db *db, const struct actor *who, int64_t id,
	    const struct user_input *in, struct check *c)
{
	char *kind = NULL;
	check_common(db, in, c, &kind);
	free(kind);
	if (c->n)
		return ERR_INVALID;
	json_t *old = user_get(db, id);
	if (old == NULL)
		return ERR_NOTFOUND;
	json_t *ch = json_object();
	const char *lang = in->language ? in->language : "";
	if (!str_eq(json_string_value(json_object_get(old, "name")), in->name))
		json_object_set_new(ch, "name", json_true());
	if (json_integer_value(json_object_get(old, "org_id")) != in->org_id)
		json_object_set_new(
			ch, "org_id",
			json_pack("[II]",
				  json_integer_value(
					  json_object_get(old, "org_id")),
				  (json_int_t)in->org_id));
	if (!str_eq(json_string_value(json_object_get(old, "role")),
		    role_name(in->role)))
		json_object_set_new(ch, "role",
				    json_pack("[ss]",
					      json_string_value(json_object_get(
						      old, "role")),
					      role_name(in->role)));
	if (!str_eq(json_string_value(json_object_get(old, "language")), lang))
		json_object_set_new(ch, "language", json_string(lang));
	bool was_disabled = json_is_true(json_object_get(old, "disabled"));
	if (was_disabled != in->disabled)
		json_object_set_new(ch, "disabled", json_boolean(in->disabled));
	enum err rc = ERR_OK;
	if (json_object_size(ch) == 0)
		goto out;
	rc = db_begin_write(db);
	if (rc)
		goto out;
	rc = db_run(db,
		    "UPDATE app_user SET name = ?, org_id = ?, role = ?,"
		    " language = ?, disabled = ?, updated_at = ? WHERE id = ?",
		    "tittiii", in->name, in->org_id, role_name(in->role), lang,
		    (int64_t)in->disabled, (int64_t)time(NULL), id);
	/* A disabled account, or one whose role or organisation changed,
	 * must sign in again under its new rights. */
	if (rc == ERR_OK && (in->disabled || json_object_get(ch, "role") ||
			     json_object_get(ch, "org_id")))
		rc = end_sessions(db, id, 0);
	if (rc == ERR_OK) {
		char *detail = json_dumps(ch, JSON_COMPACT | JSON_SORT_KEYS);
		struct audit_event ev = {"user.update", "user", id, in->org_id,
					 detail};
		rc = audit_append(db, who, &ev);
		free(detail);
	}
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
out:
	json_decref(old);
	json_decref(ch);
	return rc;
}

enum err
user_set_password(struct db *db, const struct actor *who, int64_t id,
		  const char *password, int64_t keep_session_id,
		  const char *action, struct check *c)
{
	if (!check_password(c, "password", password))
		return ERR_INVALID;
	char hash[CRYPTO_PWHASH_MAX];
	if (crypto_password_hash(password, hash))
		return ERR_IO;
	int64_t org_id = 0;
	if (db_query_int(db, &org_id,
			 "SELECT org_id FROM app_user WHERE id = ?", "i", id))
		return ERR_NOTFOUND;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_run(db,
		    "UPDATE app_user SET password_hash = ?, failed_logins = 0,"
		    " locked_until = 0, password_changed_at = ?, updated_at = ?"
		    " WHERE id = ?",
		    "tiii", hash, (int64_t)time(NULL), (int64_t)time(NULL), id);
	if (rc == ERR_OK)
		rc = end_sessions(db, id, keep_session_id);
	if (rc == ERR_OK) {
		struct audit_event ev = {action, "user", id, org_id, NULL};
		rc = audit_append(db, who, &ev);
	}
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	crypto_wipe(hash, sizeof hash);
	return rc;
}

enum err
user_set_totp(struct db *db, const struct actor *who, int64_t id,
	      const char *sealed_secret, int64_t last_step)
{
	int64_t org_id = 0;
	if (db_query_int(db, &org_id,
			 "SELECT org_id FROM app_user WHERE id = ?", "i", id))
		return ERR_NOTFOUND;
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_run(db,
		    "UPDATE app_user SET totp_secret = ?, totp_last_step = ?,"
		    " updated_at = ? WHERE id = ?",
		    "tiii", sealed_secret, last_step, (int64_t)time(NULL), id);
	if (rc == ERR_OK) {
		struct audit_event ev = {sealed_secret ? "totp.enable"
						       : "totp.disable",
					 "user", id, org_id, NULL};
		rc = audit_append(db, who, &ev);
	}
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

enum err
user_set_totp_step(struct db *db, int64_t id, int64_t step)
{
	/* One statement checks and records: of two requests racing with
	 * the same code, only one finds the step still unused. */
	int64_t got;
	return db_query_int(db, &got,
			    "UPDATE app_user SET totp_last_step = ?"
			    " WHERE id = ? AND totp_last_step < ? RETURNING id",
			    "iii", step, id, step);
}

#define USER_COLUMNS                                                           \
	"u.id, u.email, u.name, u.role, u.org_id, o.name, o.kind,"             \
	" o.country, u.disabled, u.language, u.is_demo, u.last_login_at,"      \
	" u.totp_secret IS NOT NULL, u.locked_until, u.created_at"

static json_t *
user_row(struct db_stmt *st)
{
	enum role r = role_parse(db_col_text(st, 3));
	return json_pack("{sI ss ss ss ss sI ss ss ss sb ss sb sI sb sI sI}",
			 "id", (json_int_t)db_col_int(st, 0), "email",
			 db_col_text(st, 1), "name", db_col_text(st, 2), "role",
			 db_col_text(st, 3), "role_label", role_label(r),
			 "org_id", (json_int_t)db_col_int(st, 4), "org_name",
			 db_col_text(st, 5), "org_kind", db_col_text(st, 6),
			 "country", db_col_text(st, 7), "disabled",
			 (int)db_col_int(st, 8), "language", db_col_text(st, 9),
			 "is_demo", (int)db_col_int(st, 10), "last_login_at",
			 (json_int_t)db_col_int(st, 11), "totp_enabled",
			 (int)db_col_int(st, 12), "locked_until",
			 (json_int_t)db_col_int(st, 13), "created_at",
			 (json_int_t)db_col_int(st, 14));
}

json_t *
user_get(struct db *db, int64_t id)
{
	struct db_stmt *st = db_query(db,
				      "SELECT " USER_COLUMNS
				      " FROM app_user u JOIN organisation o"
				      " ON o.id = u.org_id WHERE u.id = ?",
				      "i", id);
	if (st == NULL)
		return NULL;
	json_t *u = db_step(st) ? user_row(st) : NULL;
	db_finalize(st);
	return u;
}

static enum err
auth_query(struct db *db, const char *where, const char *types, const char *s,
	   int64_t i, struct user_auth *OUT)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT u.id, u.org_id, u.email, u.password_hash, "
		 "u.totp_secret,"
		 " u.totp_last_step, u.failed_logins, u.locked_until, "
		 "u.disabled,"
		 " u.role, o.country FROM app_user u JOIN organisation o"
		 " ON o.id = u.org_id WHERE %s",
		 where);
	struct db_stmt *st = types[0] == 't' ? db_query(db, sql, "t", s)
					     : db_query(db, sql, "i", i);
	if (st == NULL)
		return ERR_DB;
	enum err rc = ERR_NOTFOUND;
	memset(OUT, 0, sizeof *OUT);
	if (db_step(st)) {
		OUT->id = db_col_int(st, 0);
		OUT->org_id = db_col_int(st, 1);
		OUT->email = xstrdup(db_col_text(st, 2));
		OUT->password_hash = xstrdup(db_col_text(st, 3));
		OUT->totp_sealed =
			db_col_null(st, 4) ? NULL : xstrdup(db_col_text(st, 4));
		OUT->totp_last_step = db_col_int(st, 5);
		OUT->failed_logins = db_col_int(st, 6);
		OUT->locked_until = db_col_int(st, 7);
		OUT->disabled = db_col_int(st, 8) != 0;
		OUT->role = role_parse(db_col_text(st, 9));
		snprintf(OUT->country, sizeof OUT->country, "%s",
			 db_col_text(st, 10));
		rc = ERR_OK;
	} else if (db_stmt_err(st)) {
		rc = db_stmt_err(st);
	}
	db_finalize(st);
	return rc;
}

enum err
user_auth_by_email(struct db *db, const char *email, struct user_auth *OUT)
{
	char lower[256];
	snprintf(lower, sizeof lower, "%s", email ? email : "");
	str_lower(lower);
	return auth_query(db, "u.email = ?", "t", lower, 0, OUT);
}

enum err
user_auth_by_id(struct db *db, int64_t id, struct user_auth *OUT)
{
	return auth_query(db, "u.id = ?", "i", NULL, id, OUT);
}

void
user_auth_release(struct user_auth *u)
{
	free(u->email);
	if (u->password_hash)
		crypto_wipe(u->password_hash, strlen(u->password_hash));
	free(u->password_hash);
	free(u->totp_sealed);
	memset(u, 0, sizeof *u);
}

enum err
user_list(struct db *db, const struct user_filter *f, json_t *out,
	  int64_t *OUT_total)
{
	const char *order = "u.email, u.id";
	if (str_eq(f->sort, "name"))
		order = "u.name, u.id";
	else if (str_eq(f->sort, "org"))
		order = "o.name, u.email, u.id";
	else if (str_eq(f->sort, "last_login"))
		order = "u.last_login_at DESC, u.id";
	struct buf like;
	buf_init(&like, 0);
	db_like_contains(&like, f->q);
	const char *q = like.len ? buf_cstr(&like) : NULL;
	const char *role = str_empty(f->role) ? NULL : f->role;
	const char *country = str_empty(f->country) ? NULL : f->country;
	const char *where =
		" FROM app_user u JOIN organisation o ON o.id = u.org_id"
		" WHERE (CAST(? AS TEXT) IS NULL OR lower(u.email) LIKE "
		"lower(?)"
		" ESCAPE '\\' OR lower(u.name) LIKE lower(?) ESCAPE '\\')"
		" AND (? = 0 OR u.org_id = ?)"
		" AND (CAST(? AS TEXT) IS NULL OR u.role = ?)"
		" AND (CAST(? AS TEXT) IS NULL OR (o.country = ?"
		"   AND o.kind <> 'regional_secretariat'))"
		" AND (? = 0 OR u.role IN ('focal_point', 'partner_user'))";
	int per = f->per_page > 0 && f->per_page <= 200 ? f->per_page : 25;
	int page = f->page > 0 ? f->page : 1;
	char sql[1024];
	snprintf(sql, sizeof sql, "SELECT count(*)%s", where);
	enum err rc = db_query_int(db, OUT_total, sql, "tttiitttti", q, q, q,
				   f->org_id, f->org_id, role, role, country,
				   country, (int64_t)f->staff_only);
	if (rc)
		goto out;
	snprintf(sql, sizeof sql,
		 "SELECT " USER_COLUMNS "%s ORDER BY %s LIMIT ? OFFSET ?",
		 where, order);
	struct db_stmt *st =
		db_query(db, sql, "tttiittttiii", q, q, q, f->org_id, f->org_id,
			 role, role, country, country, (int64_t)f->staff_only,
			 (int64_t)per, (int64_t)(page - 1) * per);
	if (st == NULL) {
		rc = ERR_DB;
		goto out;
	}
	while (db_step(st))
		json_array_append_new(out, user_row(st));
	rc = db_stmt_err(st);
	db_finalize(st);
out:
	buf_release(&like);
	return rc;
}
