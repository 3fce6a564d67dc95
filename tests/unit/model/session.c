/*
 * Tests for src/model/session.c: a session is found by its token (of
 * which only the SHA-256 is stored), carries its account's details, ends
 * after `idle` seconds without a request or `absolute` seconds after it
 * began, ends at once for a disabled account, and on destroy; purge
 * removes only expired sessions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/session.h"
#include "unit/model/fixture.h"

#define IDLE 1800
#define ABSOLUTE 43200

struct accounts {
	int64_t org, user;
};

static struct accounts
add_account(struct db *db)
{
	struct accounts a;
	a.org = fixture_org(db, "Thai Union", "affiliate", "TH");
	a.user = fixture_user(db, a.org, "ivy@example.org",
			      ROLE_AFFILIATE_ADMIN, "x");
	db_run(db,
	       "UPDATE app_user SET name = 'Ivy', language = 'th'"
	       " WHERE id = ?",
	       "i", a.user);
	return a;
}

/* created_at of the session with this token's hash. */
static int64_t
created_at(struct db *db, const char *token)
{
	char hash[CRYPTO_HASH_HEX];
	crypto_sha256_hex(token, strlen(token), hash);
	int64_t t = -1;
	db_query_int(db, &t,
		     "SELECT created_at FROM session WHERE"
		     " token_hash = ?",
		     "t", hash);
	return t;
}

static int64_t
session_count(struct db *db)
{
	return fixture_count(db, "SELECT count(*) FROM session", NULL);
}

static void
test_create_find(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char token[CRYPTO_TOKEN_CHARS + 1];
	assert_int_equal(
		session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, token),
		ERR_OK);
	assert_int_equal(strlen(token), CRYPTO_TOKEN_CHARS);

	/* Only the hash is stored, never the token. */
	char hash[CRYPTO_HASH_HEX];
	crypto_sha256_hex(token, strlen(token), hash);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM session WHERE"
				       " token_hash = ?",
				       hash),
			 1);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM session WHERE"
				       " token_hash = ?",
				       token),
			 0);

	int64_t t0 = created_at(f->db, token);
	assert_true(t0 > 0);
	struct session s;
	assert_int_equal(session_find(f->db, token, IDLE, (time_t)t0, &s),
			 ERR_OK);
	assert_true(s.id > 0);
	assert_int_equal(s.user_id, a.user);
	assert_int_equal(s.stage, SESSION_FULL);
	assert_int_equal(s.created_at, t0);
	assert_int_equal(s.expires_at, t0 + ABSOLUTE);
	assert_int_equal(s.org_id, a.org);
	assert_int_equal(s.role, ROLE_AFFILIATE_ADMIN);
	assert_string_equal(s.country, "TH");
	assert_string_equal(s.email, "ivy@example.org");
	assert_string_equal(s.name, "Ivy");
	assert_string_equal(s.language, "th");
	assert_string_equal(s.token_hash, hash);

	/* Two sessions of one account have different tokens. */
	char token2[CRYPTO_TOKEN_CHARS + 1];
	assert_int_equal(session_create(f->db, a.user, SESSION_PASSWORD_OK,
					ABSOLUTE, token2),
			 ERR_OK);
	assert_string_not_equal(token, token2);
	struct session s2;
	assert_int_equal(session_find(f->db, token2, IDLE, (time_t)t0, &s2),
			 ERR_OK);
	assert_int_equal(s2.stage, SESSION_PASSWORD_OK);
	assert_true(s2.id != s.id);
}

static void
test_unknown_tokens(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char token[CRYPTO_TOKEN_CHARS + 1];
	assert_int_equal(
		session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, token),
		ERR_OK);
	time_t now = (time_t)created_at(f->db, token);
	struct session s;
	char other[CRYPTO_TOKEN_CHARS + 1];
	crypto_token(other);
	assert_int_equal(session_find(f->db, other, IDLE, now, &s),
			 ERR_NOTFOUND);
	assert_int_equal(session_find(f->db, NULL, IDLE, now, &s),
			 ERR_NOTFOUND);
	assert_int_equal(session_find(f->db, "", IDLE, now, &s), ERR_NOTFOUND);
	char shorter[CRYPTO_TOKEN_CHARS + 1];
	memcpy(shorter, token, CRYPTO_TOKEN_CHARS);
	shorter[CRYPTO_TOKEN_CHARS - 1] = '\0';
	assert_int_equal(session_find(f->db, shorter, IDLE, now, &s),
			 ERR_NOTFOUND);
	char longer[CRYPTO_TOKEN_CHARS + 2];
	snprintf(longer, sizeof longer, "%sA", token);
	assert_int_equal(session_find(f->db, longer, IDLE, now, &s),
			 ERR_NOTFOUND);
	/* The real one still works. */
	assert_int_equal(session_find(f->db, token, IDLE, now, &s), ERR_OK);
}

static void
test_idle(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char token[CRYPTO_TOKEN_CHARS + 1];
	session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, token);
	time_t t0 = (time_t)created_at(f->db, token);
	struct session s;
	/* A request just before the idle limit keeps it alive and moves
	 * the limit on. */
	assert_int_equal(session_find(f->db, token, IDLE, t0 + IDLE - 1, &s),
			 ERR_OK);
	int64_t seen = 0;
	db_query_int(f->db, &seen, "SELECT last_seen_at FROM session", "");
	assert_int_equal(seen, t0 + IDLE - 1);
	assert_int_equal(
		session_find(f->db, token, IDLE, t0 + 2 * IDLE - 2, &s),
		ERR_OK);
	/* Then a full idle period without a request: gone, and deleted. */
	time_t last = t0 + 2 * IDLE - 2;
	assert_int_equal(session_find(f->db, token, IDLE, last + IDLE, &s),
			 ERR_NOTFOUND);
	assert_int_equal(session_count(f->db), 0);
	assert_int_equal(session_find(f->db, token, IDLE, last, &s),
			 ERR_NOTFOUND);
}

static void
test_idle_exact(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char token[CRYPTO_TOKEN_CHARS + 1];
	session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, token);
	time_t t0 = (time_t)created_at(f->db, token);
	struct session s;
	/* Exactly `idle` seconds after the last request is too late. */
	assert_int_equal(session_find(f->db, token, IDLE, t0 + IDLE, &s),
			 ERR_NOTFOUND);
	assert_int_equal(session_count(f->db), 0);
}

static void
test_absolute(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char token[CRYPTO_TOKEN_CHARS + 1];
	session_create(f->db, a.user, SESSION_FULL, 100, token);
	time_t t0 = (time_t)created_at(f->db, token);
	struct session s;
	/* Busy all along, with a long idle limit: still ends at t0+100. */
	for (time_t t = t0; t < t0 + 100; t += 10)
		assert_int_equal(session_find(f->db, token, IDLE, t, &s),
				 ERR_OK);
	assert_int_equal(session_find(f->db, token, IDLE, t0 + 99, &s), ERR_OK);
	assert_int_equal(session_find(f->db, token, IDLE, t0 + 100, &s),
			 ERR_NOTFOUND);
	assert_int_equal(session_count(f->db), 0);
}

static void
test_disabled(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char token[CRYPTO_TOKEN_CHARS + 1];
	session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, token);
	time_t t0 = (time_t)created_at(f->db, token);
	struct session s;
	assert_int_equal(session_find(f->db, token, IDLE, t0, &s), ERR_OK);
	/* Disabled behind the session's back (not through user_update,
	 * which would end the sessions itself). */
	assert_int_equal(db_run(f->db,
				"UPDATE app_user SET disabled = 1"
				" WHERE id = ?",
				"i", a.user),
			 ERR_OK);
	assert_int_equal(session_find(f->db, token, IDLE, t0, &s),
			 ERR_NOTFOUND);
	assert_int_equal(session_count(f->db), 0);
	/* Enabling the account again does not bring the session back. */
	db_run(f->db, "UPDATE app_user SET disabled = 0 WHERE id = ?", "i",
	       a.user);
	assert_int_equal(session_find(f->db, token, IDLE, t0, &s),
			 ERR_NOTFOUND);
}

static void
test_destroy(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char t1[CRYPTO_TOKEN_CHARS + 1], t2[CRYPTO_TOKEN_CHARS + 1];
	session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, t1);
	session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, t2);
	time_t t0 = (time_t)created_at(f->db, t1);
	struct session s;
	assert_int_equal(session_find(f->db, t1, IDLE, t0, &s), ERR_OK);
	assert_int_equal(session_destroy(f->db, s.id), ERR_OK);
	assert_int_equal(session_find(f->db, t1, IDLE, t0, &s), ERR_NOTFOUND);
	/* The other session is untouched. */
	assert_int_equal(session_find(f->db, t2, IDLE, t0, &s), ERR_OK);
	/* Destroying what is gone is not an error. */
	assert_int_equal(session_destroy(f->db, 12345), ERR_OK);
}

static void
test_purge(void **state)
{
	struct fixture *f = *state;
	struct accounts a = add_account(f->db);
	char live[CRYPTO_TOKEN_CHARS + 1], idle[CRYPTO_TOKEN_CHARS + 1],
		old[CRYPTO_TOKEN_CHARS + 1];
	session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, live);
	session_create(f->db, a.user, SESSION_FULL, ABSOLUTE, idle);
	session_create(f->db, a.user, SESSION_FULL, 50, old);
	time_t t0 = (time_t)created_at(f->db, live);
	struct session s;
	/* Keep `live` busy; leave `idle` alone. */
	assert_int_equal(session_find(f->db, live, 60, t0 + 40, &s), ERR_OK);
	assert_int_equal(session_purge(f->db, 60, t0 + 70), ERR_OK);
	/* idle: last seen t0, 70 >= 60 → gone; old: expired at t0+50. */
	assert_int_equal(session_count(f->db), 1);
	assert_int_equal(session_find(f->db, live, 60, t0 + 70, &s), ERR_OK);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_create_find), T(test_unknown_tokens), T(test_idle),
		T(test_idle_exact),  T(test_absolute),       T(test_disabled),
		T(test_destroy),     T(test_purge),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
