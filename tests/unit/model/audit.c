/*
 * Tests for src/model/audit.c: appending builds a hash chain that
 * audit_verify accepts; the database refuses UPDATE and DELETE; with the
 * triggers dropped, a changed, removed or re-linked entry is found and
 * named; audit_list's filters (exact action, "prefix." actions, actor,
 * time, country scoping), order and keyset paging.
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
#include "unit/model/fixture.h"

#define GENESIS                                                                \
	"0000000000000000000000000000000000000000000000000000000000000000"

static void
append(struct db *db, const struct actor *who, const char *action,
       int64_t target_id, int64_t target_org, const char *detail)
{
	struct audit_event ev = {action, target_id ? "user" : "", target_id,
				 target_org, detail};
	assert_int_equal(db_begin_write(db), ERR_OK);
	assert_int_equal(audit_append(db, who, &ev), ERR_OK);
	assert_int_equal(db_commit(db), ERR_OK);
}

/* Five entries by different actors. */
static void
append_five(struct db *db)
{
	struct actor a = {.user_id = 3,
			  .org_id = 2,
			  .label = "ann@example.org",
			  .address = "192.0.2.3"};
	struct actor sys = fixture_system();
	append(db, &a, "login.ok", 3, 2, NULL);
	append(db, &a, "user.update", 4, 2, "{\"name\":true}");
	append(db, &sys, "org.create", 0, 0, "{\"name\":\"X\"}");
	append(db, NULL, "setting.update", 0, 0, "{\"require_2fa_all\":true}");
	append(db, &a, "login.fail", 3, 2, "{\"reason\":\"wrong password\"}");
}

static void
verify_ok(struct db *db, int64_t want_count)
{
	int64_t count = -1, bad = -1;
	struct buf msg;
	buf_init(&msg, 0);
	enum err rc = audit_verify(db, &count, &bad, &msg);
	if (rc != ERR_OK)
		fail_msg("audit_verify: %s", buf_cstr(&msg));
	assert_int_equal(count, want_count);
	assert_int_equal(bad, 0);
	buf_release(&msg);
}

/* audit_verify must fail at `want_bad` with a message naming it. */
static void
verify_broken(struct db *db, int64_t want_bad, int64_t want_count)
{
	int64_t count = -1, bad = -1;
	struct buf msg;
	buf_init(&msg, 0);
	assert_int_equal(audit_verify(db, &count, &bad, &msg), ERR_CORRUPT);
	assert_int_equal(bad, want_bad);
	assert_int_equal(count, want_count); /* the intact ones before it */
	char want[32];
	snprintf(want, sizeof want, "entry %lld", (long long)want_bad);
	if (strstr(buf_cstr(&msg), want) == NULL)
		fail_msg("\"%s\" does not name %s", buf_cstr(&msg), want);
	buf_release(&msg);
}

static void
test_empty(void **state)
{
	struct fixture *f = *state;
	verify_ok(f->db, 0);
	json_t *arr = json_array();
	int more = -1;
	struct audit_filter flt = {0};
	assert_int_equal(audit_list(f->db, &flt, arr, &more), ERR_OK);
	assert_int_equal(json_array_size(arr), 0);
	assert_int_equal(more, 0);
	json_decref(arr);
}

static void
test_chain(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	verify_ok(f->db, 5);

	struct db_stmt *st = db_query(
		f->db,
		"SELECT id, prev_hash, hash, actor_label, actor_user_id,"
		" address, detail FROM audit_log ORDER BY id",
		"");
	char prev[65] = GENESIS;
	int64_t want_id = 1;
	while (db_step(st)) {
		assert_int_equal(db_col_int(st, 0), want_id);
		assert_string_equal(db_col_text(st, 1), prev);
		const char *h = db_col_text(st, 2);
		assert_int_equal(strlen(h), 64);
		assert_int_equal(strspn(h, "0123456789abcdef"), 64);
		assert_string_not_equal(h, prev);
		snprintf(prev, sizeof prev, "%s", h);
		want_id++;
	}
	db_finalize(st);
	assert_int_equal(want_id, 6);

	/* Who and what were recorded; NULL actor and detail are "system"
	 * and "". */
	st = db_query(f->db,
		      "SELECT actor_label, actor_user_id, address, detail FROM"
		      " audit_log WHERE id = ?",
		      "i", (int64_t)4);
	assert_true(db_step(st));
	assert_string_equal(db_col_text(st, 0), "system");
	assert_int_equal(db_col_int(st, 1), 0);
	assert_string_equal(db_col_text(st, 2), "");
	assert_string_equal(db_col_text(st, 3), "{\"require_2fa_all\":true}");
	db_finalize(st);
	st = db_query(f->db,
		      "SELECT actor_label, actor_user_id, address, detail, at"
		      " FROM audit_log WHERE id = 1",
		      "");
	assert_true(db_step(st));
	assert_string_equal(db_col_text(st, 0), "ann@example.org");
	assert_int_equal(db_col_int(st, 1), 3);
	assert_string_equal(db_col_text(st, 2), "192.0.2.3");
	assert_string_equal(db_col_text(st, 3), "");
	assert_true(db_col_int(st, 4) >= (int64_t)time(NULL) - 60);
	db_finalize(st);
}

/* An entry appended in a transaction that rolls back leaves no trace and
 * no gap. */
static void
test_rollback(void **state)
{
	struct fixture *f = *state;
	struct actor sys = fixture_system();
	append(f->db, &sys, "org.create", 0, 0, NULL);
	struct audit_event ev = {"org.update", "", 0, 0, NULL};
	assert_int_equal(db_begin_write(f->db), ERR_OK);
	assert_int_equal(audit_append(f->db, &sys, &ev), ERR_OK);
	db_rollback(f->db);
	append(f->db, &sys, "org.update", 0, 0, NULL);
	verify_ok(f->db, 2);
}

static void
test_no_update_delete(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	log_set_level((enum log_level)(LOG_ERROR + 1));
	assert_int_not_equal(db_run(f->db,
				    "UPDATE audit_log SET detail = 'x'"
				    " WHERE id = 2",
				    ""),
			     ERR_OK);
	assert_int_not_equal(db_run(f->db, "UPDATE audit_log SET at = 0", ""),
			     ERR_OK);
	assert_int_not_equal(
		db_run(f->db, "DELETE FROM audit_log WHERE id = 5", ""),
		ERR_OK);
	assert_int_not_equal(db_run(f->db, "DELETE FROM audit_log", ""),
			     ERR_OK);
	log_set_level(LOG_WARN);
	assert_int_equal(
		fixture_count(f->db, "SELECT count(*) FROM audit_log", NULL),
		5);
	assert_int_equal(fixture_count(f->db,
				       "SELECT count(*) FROM audit_log WHERE"
				       " detail = ?",
				       "{\"name\":true}"),
			 1);
	verify_ok(f->db, 5);
}

static void
test_tamper_update(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_log_no_update"),
			 ERR_OK);
	assert_int_equal(db_run(f->db,
				"UPDATE audit_log SET detail = ? WHERE id = 3",
				"t", "{\"name\":\"Y\"}"),
			 ERR_OK);
	verify_broken(f->db, 3, 2);
}

static void
test_tamper_fields(void **state)
{
	(void)state;
	/* Every column counts: change each in turn on entry 2. */
	static const char *const changes[] = {
		"UPDATE audit_log SET at = at + 1 WHERE id = 2",
		"UPDATE audit_log SET actor_user_id = 99 WHERE id = 2",
		"UPDATE audit_log SET actor_label = 'eve' WHERE id = 2",
		"UPDATE audit_log SET actor_org_id = 99 WHERE id = 2",
		"UPDATE audit_log SET action = 'login.ok' WHERE id = 2",
		"UPDATE audit_log SET target_type = 'org' WHERE id = 2",
		"UPDATE audit_log SET target_id = 99 WHERE id = 2",
		"UPDATE audit_log SET target_org_id = 99 WHERE id = 2",
		"UPDATE audit_log SET address = '198.51.100.1' WHERE id = 2",
		"UPDATE audit_log SET detail = '{}' WHERE id = 2",
		"UPDATE audit_log SET hash = prev_hash WHERE id = 2",
	};
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		void *st = NULL;
		assert_int_equal(fixture_setup(&st), 0);
		struct fixture *f = st;
		append_five(f->db);
		assert_int_equal(
			db_exec(f->db, "DROP TRIGGER audit_log_no_update"),
			ERR_OK);
		assert_int_equal(db_exec(f->db, changes[i]), ERR_OK);
		verify_broken(f->db, 2, 1);
		fixture_teardown(&st);
	}
}

/* A changed stored hash breaks its entry; fixing the next entry's link
 * to match does not mend it. */
static void
test_tamper_rehash(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_log_no_update"),
			 ERR_OK);
	assert_int_equal(db_exec(f->db,
				 "UPDATE audit_log SET hash = CASE WHEN"
				 " substr(hash, 1, 1) = '0' THEN '1' ELSE '0'"
				 " END || substr(hash, 2) WHERE id = 4"),
			 ERR_OK);
	verify_broken(f->db, 4, 3);
	/* Someone who also fixes the next link breaks entry 5's hash. */
	assert_int_equal(db_exec(f->db,
				 "UPDATE audit_log SET prev_hash = (SELECT hash"
				 " FROM audit_log WHERE id = 4) WHERE id = 5"),
			 ERR_OK);
	verify_broken(f->db, 4, 3);
}

static void
test_tamper_delete(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_log_no_delete"),
			 ERR_OK);
	assert_int_equal(db_exec(f->db, "DELETE FROM audit_log WHERE id = 3"),
			 ERR_OK);
	verify_broken(f->db, 4, 2);
}

static void
test_tamper_delete_first(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_log_no_delete"),
			 ERR_OK);
	assert_int_equal(db_exec(f->db, "DELETE FROM audit_log WHERE id = 1"),
			 ERR_OK);
	verify_broken(f->db, 2, 0);
}

/* The actions of a list result, newest first, joined by '|'. */
static char *
actions_of(json_t *arr)
{
	struct buf b;
	buf_init(&b, 0);
	size_t i;
	json_t *o;
	json_array_foreach (arr, i, o) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, json_string_value(json_object_get(o, "action")));
	}
	return buf_detach(&b, NULL);
}

static void
expect_list(struct db *db, const struct audit_filter *flt, const char *want,
	    int want_more)
{
	json_t *arr = json_array();
	int more = -1;
	assert_int_equal(audit_list(db, flt, arr, &more), ERR_OK);
	char *got = actions_of(arr);
	if (strcmp(got, want) != 0 || more != want_more)
		fail_msg("got \"%s\" more=%d, want \"%s\" more=%d", got, more,
			 want, want_more);
	free(got);
	json_decref(arr);
}

static void
test_list_filters(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	struct actor sys = fixture_system();
	append(f->db, &sys, "loginx.other", 0, 0, NULL);
	append(f->db, &sys, "account.locked", 0, 0, NULL);

	struct audit_filter flt = {0};
	expect_list(f->db, &flt,
		    "account.locked|loginx.other|login.fail|setting.update|"
		    "org.create|user.update|login.ok",
		    0);
	/* A prefix ending in '.' takes the whole family, nothing else. */
	flt.action = "login.";
	expect_list(f->db, &flt, "login.fail|login.ok", 0);
	/* Without the dot it is an exact action. */
	flt.action = "login";
	expect_list(f->db, &flt, "", 0);
	flt.action = "login.ok";
	expect_list(f->db, &flt, "login.ok", 0);
	flt.action = "user.";
	expect_list(f->db, &flt, "user.update", 0);
	flt.action = "%";
	expect_list(f->db, &flt, "", 0);
	flt.action = NULL;

	/* The actor: a substring of the label. */
	flt.actor = "ann@";
	expect_list(f->db, &flt, "login.fail|user.update|login.ok", 0);
	flt.actor = "system";
	expect_list(f->db, &flt,
		    "account.locked|loginx.other|setting.update|org.create", 0);
	flt.actor = "_";
	expect_list(f->db, &flt, "", 0);
	flt.actor = "%";
	expect_list(f->db, &flt, "", 0);
	flt.actor = NULL;

	/* Both. */
	flt.action = "login.";
	flt.actor = "nobody";
	expect_list(f->db, &flt, "", 0);
}

static void
test_list_time(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	/* Spread the entries over time (the trigger must go for this). */
	assert_int_equal(db_exec(f->db, "DROP TRIGGER audit_log_no_update;"
					"UPDATE audit_log SET at = id * 100"),
			 ERR_OK);
	struct audit_filter flt = {.from = 200, .to = 400};
	expect_list(f->db, &flt, "org.create|user.update", 0);
	flt.from = 0;
	expect_list(f->db, &flt, "org.create|user.update|login.ok", 0);
	flt.to = 0;
	flt.from = 401;
	expect_list(f->db, &flt, "login.fail", 0);
}

static void
test_list_paging(void **state)
{
	struct fixture *f = *state;
	append_five(f->db);
	struct audit_filter flt = {.limit = 2};
	expect_list(f->db, &flt, "login.fail|setting.update", 1);
	flt.before_id = 4;
	expect_list(f->db, &flt, "org.create|user.update", 1);
	flt.before_id = 2;
	expect_list(f->db, &flt, "login.ok", 0);
	flt.before_id = 0;
	flt.limit = 5;
	expect_list(f->db, &flt,
		    "login.fail|setting.update|org.create|user.update|login.ok",
		    0);
	flt.limit = 4;
	expect_list(f->db, &flt,
		    "login.fail|setting.update|org.create|user.update", 1);

	/* The entries as JSON. */
	json_t *arr = json_array();
	int more;
	flt.limit = 1;
	assert_int_equal(audit_list(f->db, &flt, arr, &more), ERR_OK);
	json_t *e = json_array_get(arr, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "id")), 5);
	assert_string_equal(json_string_value(json_object_get(e, "actor")),
			    "ann@example.org");
	assert_string_equal(json_string_value(json_object_get(e, "address")),
			    "192.0.2.3");
	assert_string_equal(json_string_value(json_object_get(e, "detail")),
			    "{\"reason\":\"wrong password\"}");
	assert_int_equal(json_integer_value(json_object_get(e, "target_id")),
			 3);
	assert_true(json_integer_value(json_object_get(e, "at")) > 0);
	json_decref(arr);
}

/*
 * Country scoping: an affiliate admin of TH reads the entries about TH
 * organisations (as target, or as the acting account's organisation),
 * never those about the secretariat — even one placed in TH — nor about
 * other countries, nor system entries about no organisation.
 */
static void
test_list_country(void **state)
{
	struct fixture *f = *state;
	int64_t sec =
		fixture_org(f->db, "Secretariat", "regional_secretariat", "TH");
	int64_t th = fixture_org(f->db, "Thai Union", "affiliate", "TH");
	int64_t ngo = fixture_org(f->db, "Bangkok Shelter", "ngo", "TH");
	int64_t vn = fixture_org(f->db, "Viet Union", "affiliate", "VN");
	struct actor reg = {.user_id = 1, .org_id = sec, .label = "reg"};
	struct actor thu = {.user_id = 2, .org_id = th, .label = "th-admin"};
	struct actor vnu = {.user_id = 3, .org_id = vn, .label = "vn-admin"};
	struct actor sys = fixture_system();
	append(f->db, &reg, "org.update", 0, th, NULL);    /* 1: TH target */
	append(f->db, &reg, "org.update", 0, sec, NULL);   /* 2: secretariat */
	append(f->db, &reg, "org.update", 0, vn, NULL);    /* 3: VN */
	append(f->db, &thu, "login.ok", 2, th, NULL);      /* 4: TH actor */
	append(f->db, &vnu, "login.ok", 3, vn, NULL);      /* 5: VN */
	append(f->db, &sys, "org.create", 0, ngo, NULL);   /* 6: TH NGO */
	append(f->db, &sys, "setting.update", 0, 0, NULL); /* 7: nobody's */
	append(f->db, &reg, "login.ok", 1, sec, NULL);     /* 8: secretariat */

	json_t *arr = json_array();
	int more;
	struct audit_filter flt = {.country = "TH"};
	assert_int_equal(audit_list(f->db, &flt, arr, &more), ERR_OK);
	struct buf ids;
	buf_init(&ids, 0);
	size_t i;
	json_t *e;
	json_array_foreach (arr, i, e) {
		json_int_t id = json_integer_value(json_object_get(e, "id"));
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)id);
	}
	assert_string_equal(buf_cstr(&ids), "6,4,1");
	json_t *first = json_array_get(arr, 0);
	assert_string_equal(
		json_string_value(json_object_get(first, "target_org")),
		"Bangkok Shelter");
	json_decref(arr);

	flt.country = "VN";
	buf_reset(&ids);
	arr = json_array();
	assert_int_equal(audit_list(f->db, &flt, arr, &more), ERR_OK);
	json_array_foreach (arr, i, e) {
		json_int_t id = json_integer_value(json_object_get(e, "id"));
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)id);
	}
	assert_string_equal(buf_cstr(&ids), "5,3");
	json_decref(arr);
	buf_release(&ids);

	/* With the country and an action prefix together. */
	flt.country = "TH";
	flt.action = "login.";
	expect_list(f->db, &flt, "login.ok", 0);
}

int
main(void)
{
#define T(fn)                                                                  \
	cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)
	const struct CMUnitTest tests[] = {
		T(test_empty),
		T(test_chain),
		T(test_rollback),
		T(test_no_update_delete),
		T(test_tamper_update),
		cmocka_unit_test(test_tamper_fields),
		T(test_tamper_rehash),
		T(test_tamper_delete),
		T(test_tamper_delete_first),
		T(test_list_filters),
		T(test_list_time),
		T(test_list_paging),
		T(test_list_country),
	};
#undef T
	return cmocka_run_group_tests(tests, fixture_group_setup, NULL);
}
