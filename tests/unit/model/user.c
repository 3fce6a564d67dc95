/*
 * Tests for src/model/user.c: which roles fit which organisations,
 * user_create (validation, lower-cased e-mail, duplicates, audit),
 * user_update (what ends sessions, what is audited), user_set_password,
 * user_set_totp, user_auth_by_email / _by_id and user_list.
 *
 * Argon2id is slow on purpose, so only the tests about passwords hash
 * one; the other accounts are put in with plain SQL (fixture_user).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/str.h"
#include "model/audit.h"
#include "model/session.h"
#include "model/user.h"
#include "unit/model/fixture.h"

#define PASSWORD "a long enough password"

static struct actor
admin_actor(void)
{
	struct actor a = {.user_id = 1,
			  .org_id = 1,
			  .country = "SG",
			  .role = ROLE_REGIONAL_ADMIN,
			  .label = "admin@example.org",
			  .address = "192.0.2.1"};
	return a;
}

static int64_t
sessions_of(struct db *db, int64_t user_id)
{
	int64_t n = -1;
	db_query_int(db, &n, "SELECT count(*) FROM session WHERE user_id = ?",
		     "i", user_id);
	return n;
}

/* A session for `user_id`; returns its id. */
static int64_t
add_session(struct db *db, int64_t user_id)
{
	char token[CRYPTO_TOKEN_CHARS + 1];
	assert_int_equal(session_create(db, user_id, SESSION_FULL, 3600, token),
			 ERR_OK);
	int64_t id = 0;
	db_query_int(db, &id, "SELECT max(id) FROM session", "");
	return id;
}

static void
test_role_fits_org(void **state)
{
	(void)state;
	static const char *const kinds[] = {
		"regional_secretariat",
		"affiliate",
		"government_agency",
		"ngo",
		"cso",
		"international",
		"",
		NULL,
	};
	/* Columns follow `kinds`. */
	static const struct {
		enum role role;
		const char *fits;
	} want[] = {
		{ROLE_NONE, "........"},
		{ROLE_REGIONAL_ADMIN, "Y......."},
		{ROLE_AFFILIATE_ADMIN, ".Y......"},
		{ROLE_FOCAL_POINT, ".Y......"},
		{ROLE_PARTNER_USER, "..YYYY.."},
		{ROLE__MAX, "........"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			bool got = user_role_fits_org(want[i].role, kinds[k]);
			if (got != (want[i].fits[k] == 'Y'))
				fail_msg("role %d in a %s: got %d",
					 want[i].role,
					 kinds[k] ? kinds[k] : "NULL", got);
		}
}

static void
test_create(void **state)
{
	struct fixture *f = *state;
	int64_t org = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	struct actor who = admin_actor();
	struct user_input in = {
		.email = "Alice.Example@Mail.ORG",
		.name = "Alice Example",
		.org_id = org,
		.role = ROLE_FOCAL_POINT,
		.password = PASSWORD,
		.language = "th",
	};
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(user_create(f->db, &who, &in, &c, &id), ERR_OK);
	assert_true(id > 0);
	assert_int_equal(c.n, 0);

	json_t *u = user_get(f->db, id);
	assert_non_null(u);
	assert_string_equal(json_string_value(json_object_get(u, "email")),
			    "alice.example@mail.org");
	assert_string_equal(json_string_value(json_object_get(u, "name")),
			    "Alice Example");
	assert_string_equal(json_string_value(json_object_get(u, "role")),
			    "focal_point");
	assert_int_equal(json_integer_value(json_object_get(u, "org_id")), org);
	assert_string_equal(json_string_value(json_object_get(u, "org_name")),
			    "Thai Union");
	assert_string_equal(json_string_value(json_object_get(u, "org_kind")),
			    "affiliate");
	assert_string_equal(json_string_value(json_object_get(u, "country")),
			    "TH");
	assert_string_equal(json_string_value(json_object_get(u, "language")),
			    "th");
	assert_true(json_is_false(json_object_get(u, "disabled")));
	assert_true(json_is_false(json_object_get(u, "totp_enabled")));
	assert_true(json_is_false(json_object_get(u, "is_demo")));
	/* Never the secrets. */
	char *dump = json_dumps(u, 0);
	assert_null(strstr(dump, "argon2"));
	assert_null(strstr(dump, PASSWORD));
	free(dump);
	assert_null(json_object_get(u, "password_hash"));
	assert_null(json_object_get(u, "totp_secret"));
	json_decref(u);

	/* Only an Argon2id hash of the password is stored. */
	struct user_auth a;
	assert_int_equal(user_auth_by_id(f->db, id, &a), ERR_OK);
	assert_true(str_starts(a.password_hash, "$argon2id$"));
	assert_true(crypto_password_verify(a.password_hash, PASSWORD));
	user_auth_release(&a);

	/* Audited, about the new account in its organisation. */
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " action = 'user.create' AND target_type"
				       " = 'user' AND actor_label = ?",
				       "admin@example.org"),
			 1);
	int64_t torg = 0, tid = 0;
	db_query_int(f->db, &torg, "SELECT target_org_id FROM audit_log", "");
	db_query_int(f->db, &tid, "SELECT target_id FROM audit_log", "");
	assert_int_equal(torg, org);
	assert_int_equal(tid, id);
	char *detail = fixture_audit_detail(f->db, "user.create");
	assert_non_null(strstr(detail, "\"email\":\"alice.example@mail.org\""));
	assert_non_null(strstr(detail, "\"role\":\"focal_point\""));
	assert_null(strstr(detail, PASSWORD));
	free(detail);
}

static void
test_create_duplicate(void **state)
{
	struct fixture *f = *state;
	int64_t org = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	/* The first account without hashing: put in directly. */
	fixture_user(f->db, org, "bob@example.org", ROLE_FOCAL_POINT, "x");
	struct actor who = admin_actor();
	struct user_input in = {.email = "BOB@Example.org",
				.name = "Bob 2",
				.org_id = org,
				.role = ROLE_FOCAL_POINT,
				.password = PASSWORD};
	struct check c = {0};
	int64_t id = 0;
	assert_int_equal(user_create(f->db, &who, &in, &c, &id), ERR_EXISTS);
	assert_non_null(check_message(&c, "email"));
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM app_user", NULL), 1);
	assert_int_equal(fixture_audit_count(f->db, "user.create"), 0);
	assert_int_equal(db_begin(f->db), ERR_OK); /* nothing left open */
	assert_int_equal(db_commit(f->db), ERR_OK);
}

/* Each bad input is refused before any hashing or writing. */
static void
test_create_invalid(void **state)
{
	struct fixture *f = *state;
	int64_t aff = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t ngo = fixture_org(f->db, "Shelter", "ngo", "TH");
	int64_t sec =
		fixture_org(f->db, "Secretariat", "regional_secretariat", "SG");
	struct actor who = admin_actor();
	static const struct {
		const char *email, *name;
		int which_org; /* 0 aff, 1 ngo, 2 sec, 3 none */
		enum role role;
		const char *password, *language, *field;
	} bad[] = {
		{"a@b.org", "A", 0, ROLE_PARTNER_USER, PASSWORD, "", "role"},
		{"a@b.org", "A", 1, ROLE_FOCAL_POINT, PASSWORD, "", "role"},
		{"a@b.org", "A", 1, ROLE_AFFILIATE_ADMIN, PASSWORD, "", "role"},
		{"a@b.org", "A", 0, ROLE_REGIONAL_ADMIN, PASSWORD, "", "role"},
		{"a@b.org", "A", 2, ROLE_AFFILIATE_ADMIN, PASSWORD, "", "role"},
		{"a@b.org", "A", 0, ROLE_NONE, PASSWORD, "", "role"},
		{"a@b.org", "A", 3, ROLE_FOCAL_POINT, PASSWORD, "", "org_id"},
		{"a@b.org", "A", 0, ROLE_FOCAL_POINT, "short", "", "password"},
		{"a@b.org", "A", 0, ROLE_FOCAL_POINT, NULL, "", "password"},
		{"not-mail", "A", 0, ROLE_FOCAL_POINT, PASSWORD, "", "email"},
		{"", "A", 0, ROLE_FOCAL_POINT, PASSWORD, "", "email"},
		{"a@b.org", "", 0, ROLE_FOCAL_POINT, PASSWORD, "", "name"},
		{"a@b.org", "A\nB", 0, ROLE_FOCAL_POINT, PASSWORD, "", "name"},
		{"a@b.org", "A", 0, ROLE_FOCAL_POINT, PASSWORD, "fr",
		 "language"},
	};
	int64_t orgs[] = {aff, ngo, sec, 4242};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct user_input in = {.email = bad[i].email,
					.name = bad[i].name,
					.org_id = orgs[bad[i].which_org],
					.role = bad[i].role,
					.password = bad[i].password,
					.language = bad[i].language};
		struct check c = {0};
		int64_t id = 0;
		if (user_create(f->db, &who, &in, &c, &id) != ERR_INVALID)
			fail_msg("case %zu was not refused", i);
		if (check_message(&c, bad[i].field) == NULL)
			fail_msg("case %zu: no message for %s", i,
				 bad[i].field);
	}
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM app_user", NULL), 0);
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM audit_log", NULL),
		0);
}

/*
 * An address the check accepts must be stored as typed.  130 two-byte
 * letters make a 266-byte address: it must be refused (check.h: at most
 * 254 bytes), not cut to fit user.c's 256-byte buffer.
 */
static void
test_create_long_email(void **state)
{
	struct fixture *f = *state;
	int64_t org = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	char email[400];
	size_t n = 0;
	for (int i = 0; i < 130; i++)
		n += (size_t)snprintf(email + n, sizeof email - n, "é");
	snprintf(email + n, sizeof email - n, "@b.org");
	struct actor who = admin_actor();
	struct user_input in = {.email = email,
				.name = "Long",
				.org_id = org,
				.role = ROLE_FOCAL_POINT,
				.password = PASSWORD};
	struct check c = {0};
	int64_t id = 0;
	enum err rc = user_create(f->db, &who, &in, &c, &id);
	if (rc == ERR_OK) {
		struct db_stmt *st = db_query(f->db,
					      "SELECT email FROM app_user"
					      " WHERE id = ?",
					      "i", id);
		assert_true(db_step(st));
		const char *stored = db_col_text(st, 0);
		json_t *u = user_get(f->db, id);
		print_error("accepted; stored as %zu bytes (%s UTF-8), typed "
			    "%zu; user_get %s\n",
			    strlen(stored),
			    utf8_valid(stored, strlen(stored)) ? "valid"
							       : "invalid",
			    strlen(email), u ? "works" : "returns NULL");
		json_decref(u);
		db_finalize(st);
	}
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(check_message(&c, "email"));
}

static void
test_update(void **state)
{
	struct fixture *f = *state;
	int64_t th = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t vn = fixture_org(f->db, "Viet Union", "affiliate", "VN");
	int64_t id = fixture_user(f->db, th, "carol@example.org",
				  ROLE_FOCAL_POINT, "x");
	struct actor who = admin_actor();
	add_session(f->db, id);
	add_session(f->db, id);
	struct user_input in = {.name = "Carol New",
				.org_id = th,
				.role = ROLE_FOCAL_POINT,
				.language = ""};

	/* The name: saved, audited, sessions kept. */
	struct check c = {0};
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_OK);
	json_t *u = user_get(f->db, id);
	assert_string_equal(json_string_value(json_object_get(u, "name")),
			    "Carol New");
	json_decref(u);
	char *d = fixture_audit_detail(f->db, "user.update");
	assert_string_equal(d, "{\"name\":true}");
	free(d);
	assert_int_equal(sessions_of(f->db, id), 2);

	/* The language: sessions kept. */
	in.language = "vi";
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_OK);
	d = fixture_audit_detail(f->db, "user.update");
	assert_string_equal(d, "{\"language\":\"vi\"}");
	free(d);
	assert_int_equal(sessions_of(f->db, id), 2);

	/* Nothing changed: nothing written. */
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_OK);
	assert_int_equal(fixture_audit_count(f->db, "user.update"), 2);

	/* The role: every session ends. */
	in.role = ROLE_AFFILIATE_ADMIN;
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_OK);
	d = fixture_audit_detail(f->db, "user.update");
	assert_string_equal(d,
			    "{\"role\":[\"focal_point\",\"affiliate_admin\"]}");
	free(d);
	assert_int_equal(sessions_of(f->db, id), 0);

	/* The organisation: every session ends. */
	add_session(f->db, id);
	in.org_id = vn;
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_OK);
	d = fixture_audit_detail(f->db, "user.update");
	char want[64];
	snprintf(want, sizeof want, "{\"org_id\":[%lld,%lld]}", (long long)th,
		 (long long)vn);
	assert_string_equal(d, want);
	free(d);
	assert_int_equal(sessions_of(f->db, id), 0);
	/* The audit entry belongs to the new organisation. */
	int64_t torg = 0;
	db_query_int(f->db, &torg,
		     "SELECT target_org_id FROM audit_log ORDER BY id DESC"
		     " LIMIT 1",
		     "");
	assert_int_equal(torg, vn);

	/* Disabling: every session ends. */
	add_session(f->db, id);
	add_session(f->db, id);
	in.disabled = true;
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_OK);
	d = fixture_audit_detail(f->db, "user.update");
	assert_string_equal(d, "{\"disabled\":true}");
	free(d);
	assert_int_equal(sessions_of(f->db, id), 0);
	u = user_get(f->db, id);
	assert_true(json_is_true(json_object_get(u, "disabled")));
	json_decref(u);

	/* Other accounts keep their sessions throughout. */
	int64_t other = fixture_user(f->db, th, "dave@example.org",
				     ROLE_FOCAL_POINT, "x");
	add_session(f->db, other);
	in.disabled = false;
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_OK);
	assert_int_equal(sessions_of(f->db, other), 1);

	int64_t count, bad;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(f->db, &count, &bad, &msg), ERR_OK);
	assert_int_equal(count, 6);
	buf_release(&msg);
}

static void
test_update_errors(void **state)
{
	struct fixture *f = *state;
	int64_t th = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t ngo = fixture_org(f->db, "Shelter", "ngo", "TH");
	int64_t id = fixture_user(f->db, th, "erin@example.org",
				  ROLE_FOCAL_POINT, "x");
	add_session(f->db, id);
	struct actor who = admin_actor();
	/* A role that does not fit the organisation. */
	struct user_input in = {
		.name = "Erin", .org_id = ngo, .role = ROLE_FOCAL_POINT};
	struct check c = {0};
	assert_int_equal(user_update(f->db, &who, id, &in, &c), ERR_INVALID);
	assert_non_null(check_message(&c, "role"));
	assert_int_equal(sessions_of(f->db, id), 1);
	/* No such account. */
	in.org_id = th;
	struct check c2 = {0};
	assert_int_equal(user_update(f->db, &who, 999, &in, &c2), ERR_NOTFOUND);
	assert_int_equal(fixture_audit_count(f->db, "user.update"), 0);
}

/* Two Argon2id hashes and one check. */
static void
test_set_password(void **state)
{
	struct fixture *f = *state;
	int64_t th = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t id = fixture_user(f->db, th, "fay@example.org",
				  ROLE_FOCAL_POINT, "old hash");
	assert_int_equal(db_run(f->db,
				"UPDATE app_user SET failed_logins = 3,"
				" locked_until = ? WHERE id = ?",
				"ii", (int64_t)time(NULL) + 600, id),
			 ERR_OK);
	int64_t s1 = add_session(f->db, id);
	int64_t s2 = add_session(f->db, id);
	int64_t s3 = add_session(f->db, id);
	struct actor who = {.user_id = id,
			    .org_id = th,
			    .country = "TH",
			    .role = ROLE_FOCAL_POINT,
			    .label = "fay@example.org",
			    .address = ""};
	struct check c = {0};
	assert_int_equal(user_set_password(f->db, &who, id, "new password 1",
					   s2, "password.change", &c),
			 ERR_OK);
	/* The session in use stays; the others end. */
	assert_int_equal(sessions_of(f->db, id), 1);
	int64_t gone = -1, left = 0;
	db_query_int(f->db, &gone,
		     "SELECT count(*) FROM session WHERE id IN (?, ?)", "ii",
		     s1, s3);
	assert_int_equal(gone, 0);
	db_query_int(f->db, &left, "SELECT id FROM session", "");
	assert_int_equal(left, s2);

	struct user_auth a;
	assert_int_equal(user_auth_by_id(f->db, id, &a), ERR_OK);
	assert_true(crypto_password_verify(a.password_hash, "new password 1"));
	assert_int_equal(a.failed_logins, 0); /* a new password unlocks */
	assert_int_equal(a.locked_until, 0);
	user_auth_release(&a);
	assert_int_equal(fixture_audit_count(f->db, "password.change"), 1);

	/* An admin's reset ends every session. */
	struct actor adm = admin_actor();
	assert_int_equal(user_set_password(f->db, &adm, id, "new password 2", 0,
					   "user.password_reset", &c),
			 ERR_OK);
	assert_int_equal(sessions_of(f->db, id), 0);
	assert_int_equal(fixture_audit_count(f->db, "user.password_reset"), 1);

	/* Checked like any password; nothing changes. */
	struct check c2 = {0};
	assert_int_equal(user_set_password(f->db, &adm, id, "short", 0,
					   "user.password_reset", &c2),
			 ERR_INVALID);
	assert_non_null(check_message(&c2, "password"));
	assert_int_equal(fixture_audit_count(f->db, "user.password_reset"), 1);
}

static void
test_set_totp(void **state)
{
	struct fixture *f = *state;
	int64_t th = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t id = fixture_user(f->db, th, "gil@example.org",
				  ROLE_AFFILIATE_ADMIN, "x");
	struct actor who = admin_actor();
	assert_int_equal(user_set_totp(f->db, &who, id, "sealed-secret", 1234),
			 ERR_OK);
	json_t *u = user_get(f->db, id);
	assert_true(json_is_true(json_object_get(u, "totp_enabled")));
	char *dump = json_dumps(u, 0);
	assert_null(strstr(dump, "sealed-secret"));
	free(dump);
	json_decref(u);
	struct user_auth a;
	assert_int_equal(user_auth_by_id(f->db, id, &a), ERR_OK);
	assert_string_equal(a.totp_sealed, "sealed-secret");
	assert_int_equal(a.totp_last_step, 1234);
	user_auth_release(&a);
	assert_int_equal(fixture_audit_count(f->db, "totp.enable"), 1);

	assert_int_equal(user_set_totp_step(f->db, id, 5678), ERR_OK);
	assert_int_equal(user_auth_by_id(f->db, id, &a), ERR_OK);
	assert_int_equal(a.totp_last_step, 5678);
	user_auth_release(&a);

	assert_int_equal(user_set_totp(f->db, &who, id, NULL, 0), ERR_OK);
	assert_int_equal(user_auth_by_id(f->db, id, &a), ERR_OK);
	assert_null(a.totp_sealed);
	user_auth_release(&a);
	assert_int_equal(fixture_audit_count(f->db, "totp.disable"), 1);
	assert_int_equal(user_set_totp(f->db, &who, 999, NULL, 0),
			 ERR_NOTFOUND);
}

static void
test_auth_lookup(void **state)
{
	struct fixture *f = *state;
	int64_t th = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t id = fixture_user(f->db, th, "hana@example.org",
				  ROLE_AFFILIATE_ADMIN, "the hash");
	struct user_auth a;
	assert_int_equal(user_auth_by_email(f->db, "HANA@Example.Org", &a),
			 ERR_OK);
	assert_int_equal(a.id, id);
	assert_int_equal(a.org_id, th);
	assert_string_equal(a.email, "hana@example.org");
	assert_string_equal(a.password_hash, "the hash");
	assert_null(a.totp_sealed);
	assert_int_equal(a.failed_logins, 0);
	assert_int_equal(a.locked_until, 0);
	assert_false(a.disabled);
	assert_int_equal(a.role, ROLE_AFFILIATE_ADMIN);
	assert_string_equal(a.country, "TH");
	user_auth_release(&a);
	assert_null(a.email);
	assert_null(a.password_hash);

	assert_int_equal(user_auth_by_email(f->db, "nobody@example.org", &a),
			 ERR_NOTFOUND);
	assert_int_equal(user_auth_by_email(f->db, "hana@example.org ", &a),
			 ERR_NOTFOUND);
	assert_int_equal(user_auth_by_email(f->db, "", &a), ERR_NOTFOUND);
	assert_int_equal(user_auth_by_email(f->db, NULL, &a), ERR_NOTFOUND);
	assert_int_equal(user_auth_by_id(f->db, id + 1, &a), ERR_NOTFOUND);

	db_run(f->db, "UPDATE app_user SET disabled = 1 WHERE id = ?", "i", id);
	assert_int_equal(user_auth_by_id(f->db, id, &a), ERR_OK);
	assert_true(a.disabled);
	user_auth_release(&a);
}

/* The e-mail addresses in a list result, joined by '|'. */
static char *
emails_of(json_t *arr)
{
	struct buf b;
	buf_init(&b, 0);
	size_t i;
	json_t *o;
	json_array_foreach (arr, i, o) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, json_string_value(json_object_get(o, "email")));
	}
	return buf_detach(&b, NULL);
}

static void
expect_list(struct db *db, const struct user_filter *flt, int64_t total,
	    const char *emails)
{
	json_t *arr = json_array();
	int64_t t = -1;
	assert_int_equal(user_list(db, flt, arr, &t), ERR_OK);
	char *got = emails_of(arr);
	if (t != total || strcmp(got, emails) != 0)
		fail_msg("got %lld \"%s\", want %lld \"%s\"", (long long)t, got,
			 (long long)total, emails);
	free(got);
	json_decref(arr);
}

static void
test_list(void **state)
{
	struct fixture *f = *state;
	/* The secretariat sits in Thailand here, so that the country
	 * filter must leave it out by its kind. */
	int64_t sec =
		fixture_org(f->db, "Secretariat", "regional_secretariat", "TH");
	int64_t th = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t ngo = fixture_org(f->db, "Bangkok Shelter", "ngo", "TH");
	int64_t vn = fixture_org(f->db, "Viet Union", "affiliate", "VN");
	fixture_user(f->db, sec, "reg@example.org", ROLE_REGIONAL_ADMIN, "x");
	fixture_user(f->db, th, "aff.th@example.org", ROLE_AFFILIATE_ADMIN,
		     "x");
	fixture_user(f->db, th, "focal.th@example.org", ROLE_FOCAL_POINT, "x");
	fixture_user(f->db, ngo, "partner@example.org", ROLE_PARTNER_USER, "x");
	int64_t v = fixture_user(f->db, vn, "aff.vn@example.org",
				 ROLE_AFFILIATE_ADMIN, "x");
	db_run(f->db,
	       "UPDATE app_user SET name = 'Zed Nguyen_1',"
	       " last_login_at = 500 WHERE id = ?",
	       "i", v);

	struct user_filter flt = {0};
	expect_list(f->db, &flt, 5,
		    "aff.th@example.org|aff.vn@example.org|"
		    "focal.th@example.org|partner@example.org|"
		    "reg@example.org");
	flt.country = "TH";
	expect_list(f->db, &flt, 3,
		    "aff.th@example.org|focal.th@example.org|"
		    "partner@example.org");
	flt.role = "affiliate_admin";
	expect_list(f->db, &flt, 1, "aff.th@example.org");
	flt.country = NULL;
	expect_list(f->db, &flt, 2, "aff.th@example.org|aff.vn@example.org");
	flt.role = NULL;
	flt.org_id = th;
	expect_list(f->db, &flt, 2, "aff.th@example.org|focal.th@example.org");
	flt.org_id = 0;
	/* Substring of the e-mail or the name, any case. */
	flt.q = "FOCAL";
	expect_list(f->db, &flt, 1, "focal.th@example.org");
	flt.q = "nguyen";
	expect_list(f->db, &flt, 1, "aff.vn@example.org");
	flt.q = "_";
	expect_list(f->db, &flt, 1, "aff.vn@example.org");
	flt.q = "%";
	expect_list(f->db, &flt, 0, "");
	flt.q = NULL;

	flt.sort = "last_login";
	json_t *arr = json_array();
	int64_t total;
	assert_int_equal(user_list(f->db, &flt, arr, &total), ERR_OK);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(arr, 0), "email")),
			    "aff.vn@example.org");
	json_decref(arr);
	flt.sort = "org";
	expect_list(f->db, &flt, 5,
		    "partner@example.org|reg@example.org|aff.th@example.org|"
		    "focal.th@example.org|aff.vn@example.org");

	flt.sort = NULL;
	flt.per_page = 2;
	flt.page = 2;
	expect_list(f->db, &flt, 5, "focal.th@example.org|partner@example.org");
	flt.page = 3;
	expect_list(f->db, &flt, 5, "reg@example.org");
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_fits_org),
		T(test_create),
		T(test_create_duplicate),
		T(test_create_invalid),
		T(test_create_long_email),
		T(test_update),
		T(test_update_errors),
		T(test_set_password),
		T(test_set_totp),
		T(test_auth_lookup),
		T(test_list),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
