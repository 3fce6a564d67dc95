/*
 * The authorization matrix over HTTP: role × action × whose record.
 *
 * Expected answers come from the rules written in src/model/authz.c:
 * a regional admin does everything; an affiliate admin administers the
 * organisations and accounts of their own country (never the secretariat,
 * never a regional admin) and reads the whole directory; a focal point
 * reads the directory; a partner user sees only their own organisation.
 * Records one may not see answer 404 (their existence is not told);
 * records one may see but not change answer 403.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/str.h"
#include "http/harness.h"

enum actor { RA, AA, FP, PU, NACTORS };
static const char *const actor_names[NACTORS] = {
	"regional admin", "affiliate admin PH", "focal point PH",
	"partner user MY"};
static const char *const actor_emails[NACTORS] = {RA_EMAIL, AA_PH_EMAIL,
						  FP_PH_EMAIL, PU_MY_EMAIL};

/* Organisations: own (for PH staff), same country, abroad, the partner's
 * own, the secretariat. */
enum org { PH_AFF, PH_NGO, MY_AFF, MY_NGO, SEC, NORGS };
static const char *const org_names[NORGS] = {
	"DEMO Philippine Union Centre", "Test PH Workers Centre",
	"DEMO Malaysian Union Centre", "DEMO Migrant Shelter NGO",
	"DEMO Regional Secretariat"};

/* Accounts: the PH admin (self, for AA), the PH focal point, a partner in
 * PH, the MY admin, the MY partner, the regional admin. */
enum user { U_AA_PH, U_FP_PH, U_PU_PH, U_AA_MY, U_PU_MY, U_RA, NUSERS };
static const char *const user_emails[NUSERS] = {AA_PH_EMAIL,
						FP_PH_EMAIL,
						"partner@test-ph.invalid",
						"admin@my.demo.atis.invalid",
						PU_MY_EMAIL,
						RA_EMAIL};

static struct site *site;
static struct server *srv;
static struct client *as[NACTORS];
static int64_t org_id[NORGS];
static int64_t user_id[NUSERS];
static int mismatches;

static int64_t
id_of(const char *sql, const char *key)
{
	return site_int(site, sql, key);
}

static int
setup(void **state)
{
	(void)state;
	site = site_new(true);
	srv = server_start(site, NULL);
	for (int a = 0; a < NACTORS; a++) {
		as[a] = client_new(srv);
		client_sign_in(as[a], actor_emails[a], DEMO_PW);
	}
	/* A second organisation in the Philippines, with a partner user,
	 * added through the pages by the regional admin. */
	struct client *ra = as[RA];
	assert_status(client_get(ra, "/admin/orgs/new"), 200);
	assert_status(client_post(ra, "/admin/orgs/new", "name",
				  org_names[PH_NGO], "kind", "ngo", "country",
				  "PH", "languages", "fil en", NULL),
		      303);
	for (int o = 0; o < NORGS; o++)
		org_id[o] = id_of("SELECT id FROM organisation WHERE name = ?",
				  org_names[o]);
	char org[32];
	snprintf(org, sizeof org, "%lld", (long long)org_id[PH_NGO]);
	assert_status(client_get(ra, "/admin/users/new"), 200);
	assert_status(client_post(ra, "/admin/users/new", "email",
				  user_emails[U_PU_PH], "name",
				  "Test PH Partner", "org_id", org, "role",
				  "partner_user", "language", "", "password",
				  "partner-password-1", NULL),
		      303);
	for (int u = 0; u < NUSERS; u++)
		user_id[u] = id_of("SELECT id FROM app_user WHERE email = ?",
				   user_emails[u]);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (int a = 0; a < NACTORS; a++) {
		client_free(as[a]);
		as[a] = NULL;
	}
	int rc = server_stop(srv);
	srv = NULL;
	site_free(site);
	return rc == 0 ? 0 : -1;
}

/* Records a wrong answer; the test fails at its end, listing them all. */
static void
expect(enum actor a, const char *method, const char *path, long got, long want)
{
	if (got == want)
		return;
	print_error("%s: %s %s answered %ld, expected %ld\n", actor_names[a],
		    method, path, got, want);
	mismatches++;
}

static void
expect_get(enum actor a, const char *path, long want)
{
	expect(a, "GET", path, client_get(as[a], path)->status, want);
}

static void
assert_no_mismatch(void)
{
	int n = mismatches;
	mismatches = 0;
	assert_int_equal(n, 0);
}

/* POSTs the organisation's stored values with a new phone number. */
static long
post_org_edit(enum actor a, int64_t id, const char *phone)
{
	struct db_stmt *st =
		db_query(site->db,
			 "SELECT name, kind, country, languages, services,"
			 " contact_email, address, website, referral_partner"
			 " FROM organisation WHERE id = ?",
			 "i", id);
	assert_true(db_step(st));
	char path[64];
	snprintf(path, sizeof path, "/admin/orgs/%lld/edit", (long long)id);
	long status =
		client_post(as[a], path, "name", db_col_text(st, 0), "kind",
			    db_col_text(st, 1), "country", db_col_text(st, 2),
			    "languages", db_col_text(st, 3), "services",
			    db_col_text(st, 4), "contact_email",
			    db_col_text(st, 5), "contact_phone", phone,
			    "address", db_col_text(st, 6), "website",
			    db_col_text(st, 7), "referral_partner",
			    db_col_int(st, 8) ? "1" : "", NULL)
			->status;
	db_finalize(st);
	return status;
}

static char *
org_phone(int64_t id)
{
	struct db_stmt *st = db_query(
		site->db, "SELECT contact_phone FROM organisation WHERE id = ?",
		"i", id);
	assert_true(db_step(st));
	char *p = xstrdup(db_col_text(st, 0));
	db_finalize(st);
	return p;
}

static const long org_view[NACTORS][NORGS] = {
	[RA] = {200, 200, 200, 200, 200},
	[AA] = {200, 200, 200, 200, 200},
	[FP] = {200, 200, 200, 200, 200},
	[PU] = {404, 404, 404, 200, 404},
};
static const long org_edit_form[NACTORS][NORGS] = {
	[RA] = {200, 200, 200, 200, 200},
	[AA] = {200, 200, 403, 403, 403},
	[FP] = {403, 403, 403, 403, 403},
	[PU] = {404, 404, 404, 403, 404},
};

static void
test_org_view(void **state)
{
	(void)state;
	for (int a = 0; a < NACTORS; a++) {
		for (int o = 0; o < NORGS; o++) {
			char path[64];
			snprintf(path, sizeof path, "/admin/orgs/%lld",
				 (long long)org_id[o]);
			expect_get(a, path, org_view[a][o]);
			snprintf(path, sizeof path, "/admin/orgs/%lld/edit",
				 (long long)org_id[o]);
			expect_get(a, path, org_edit_form[a][o]);
		}
	}
	/* A missing record, and a malformed id. */
	expect_get(RA, "/admin/orgs/999999", 404);
	expect_get(AA, "/admin/orgs/abc", 404);
	assert_no_mismatch();
}

/* Saving an edit: allowed exactly where the edit form opens. */
static void
test_org_edit(void **state)
{
	(void)state;
	for (int a = 0; a < NACTORS; a++) {
		for (int o = 0; o < NORGS; o++) {
			char path[64], phone[32];
			snprintf(path, sizeof path, "/admin/orgs/%lld/edit",
				 (long long)org_id[o]);
			snprintf(phone, sizeof phone, "+00 %d%d", a, o);
			char *before = org_phone(org_id[o]);
			long want = org_edit_form[a][o] == 200
					    ? 303
					    : org_edit_form[a][o];
			long got = post_org_edit(a, org_id[o], phone);
			expect(a, "POST", path, got, want);
			char *after = org_phone(org_id[o]);
			if (want == 303 && strcmp(after, phone) != 0)
				expect(a, "POST (not saved)", path, 0, 1);
			if (want != 303 && strcmp(after, before) != 0)
				expect(a, "POST (saved anyway)", path, 1, 0);
			free(before);
			free(after);
		}
	}
	assert_no_mismatch();
}

/* An affiliate admin cannot move an organisation abroad or make it the
 * secretariat. */
static void
test_org_edit_stays_in_country(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof path, "/admin/orgs/%lld/edit",
		 (long long)org_id[PH_NGO]);
	assert_status(client_get(as[AA], path), 200);
	assert_status(client_post(as[AA], path, "name", org_names[PH_NGO],
				  "kind", "ngo", "country", "MY", NULL),
		      403);
	assert_status(client_post(as[AA], path, "name", org_names[PH_NGO],
				  "kind", "regional_secretariat", "country",
				  "PH", NULL),
		      403);
	assert_int_equal(
		site_int(site,
			 "SELECT count(*) FROM organisation WHERE"
			 " name = ? AND country = 'PH' AND kind = 'ngo'",
			 org_names[PH_NGO]),
		1);
}

static void
test_org_list_and_create(void **state)
{
	(void)state;
	static const long list[NACTORS] = {200, 200, 200, 200};
	static const long new_form[NACTORS] = {200, 200, 403, 403};
	for (int a = 0; a < NACTORS; a++) {
		expect_get(a, "/admin/orgs", list[a]);
		bool abroad = reply_has(&as[a]->r, org_names[MY_AFF]);
		bool own = reply_has(&as[a]->r, org_names[MY_NGO]);
		/* A partner user's list holds their organisation only. */
		if (abroad != (a != PU) || !own)
			expect(a, "GET (wrong rows)", "/admin/orgs", 0, 1);
		if (reply_has(&as[a]->r, "href=\"/admin/orgs/new\"") !=
		    (new_form[a] == 200))
			expect(a, "GET (add link)", "/admin/orgs", 0, 1);
		expect_get(a, "/admin/orgs/new", new_form[a]);

		char name[64];
		snprintf(name, sizeof name, "Test PH Centre %d", a);
		long got = client_post(as[a], "/admin/orgs/new", "name", name,
				       "kind", "cso", "country", "PH", NULL)
				   ->status;
		expect(a, "POST", "/admin/orgs/new (PH)", got,
		       new_form[a] == 200 ? 303 : 403);
		if (site_int(site,
			     "SELECT count(*) FROM organisation WHERE name = ?",
			     name) != (new_form[a] == 200))
			expect(a, "POST (stored?)", "/admin/orgs/new", 0, 1);
	}
	/* Not abroad, not a second secretariat. */
	long got =
		client_post(as[AA], "/admin/orgs/new", "name", "Test MY Centre",
			    "kind", "cso", "country", "MY", NULL)
			->status;
	expect(AA, "POST", "/admin/orgs/new (MY)", got, 403);
	got = client_post(as[AA], "/admin/orgs/new", "name", "Test Secretariat",
			  "kind", "regional_secretariat", "country", "PH", NULL)
		      ->status;
	expect(AA, "POST", "/admin/orgs/new (secretariat)", got, 403);
	got = client_post(as[RA], "/admin/orgs/new", "name", "Test MY Centre",
			  "kind", "cso", "country", "MY", NULL)
		      ->status;
	expect(RA, "POST", "/admin/orgs/new (MY)", got, 303);
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM organisation WHERE"
				  " name = 'Test Secretariat'",
				  NULL),
			 0);
	assert_no_mismatch();
}

static const long user_edit[NACTORS][NUSERS] = {
	[RA] = {200, 200, 200, 200, 200, 200},
	/* An affiliate admin manages focal points and partner users only:
	 * not even their own account here (that is /account). */
	[AA] = {404, 200, 200, 404, 404, 404},
	[FP] = {404, 404, 404, 404, 404, 404},
	[PU] = {404, 404, 404, 404, 404, 404},
};

static char *
user_name(int64_t id)
{
	struct db_stmt *st = db_query(
		site->db, "SELECT name FROM app_user WHERE id = ?", "i", id);
	assert_true(db_step(st));
	char *p = xstrdup(db_col_text(st, 0));
	db_finalize(st);
	return p;
}

/* POSTs the account's stored values with a new name. */
static long
post_user_edit(enum actor a, int64_t id, const char *name)
{
	struct db_stmt *st = db_query(
		site->db,
		"SELECT org_id, role, language FROM app_user WHERE id = ?", "i",
		id);
	assert_true(db_step(st));
	char path[64], org[32];
	snprintf(path, sizeof path, "/admin/users/%lld", (long long)id);
	snprintf(org, sizeof org, "%lld", (long long)db_col_int(st, 0));
	long status = client_post(as[a], path, "name", name, "org_id", org,
				  "role", db_col_text(st, 1), "language",
				  db_col_text(st, 2), NULL)
			      ->status;
	db_finalize(st);
	return status;
}

static void
test_user_list_view_and_edit(void **state)
{
	(void)state;
	static const long list[NACTORS] = {200, 200, 403, 403};
	for (int a = 0; a < NACTORS; a++) {
		expect_get(a, "/admin/users", list[a]);
		if (a == AA && (reply_has(&as[a]->r, user_emails[U_AA_MY]) ||
				reply_has(&as[a]->r, RA_EMAIL) ||
				!reply_has(&as[a]->r, user_emails[U_PU_PH])))
			expect(a, "GET (wrong rows)", "/admin/users", 0, 1);
		if (a == RA && !reply_has(&as[a]->r, user_emails[U_AA_MY]))
			expect(a, "GET (wrong rows)", "/admin/users", 0, 1);
		for (int u = 0; u < NUSERS; u++) {
			char path[64];
			snprintf(path, sizeof path, "/admin/users/%lld",
				 (long long)user_id[u]);
			expect_get(a, path, user_edit[a][u]);
			char name[64];
			snprintf(name, sizeof name, "Renamed %d %d", a, u);
			char *before = user_name(user_id[u]);
			long want =
				user_edit[a][u] == 200 ? 303 : user_edit[a][u];
			expect(a, "POST", path,
			       post_user_edit(a, user_id[u], name), want);
			char *after = user_name(user_id[u]);
			if ((want == 303) != (strcmp(after, name) == 0) ||
			    (want != 303 && strcmp(after, before) != 0))
				expect(a, "POST (stored?)", path, 0, 1);
			free(before);
			free(after);
		}
	}
	/* Password and two-step resets follow the same rule. */
	char path[96];
	snprintf(path, sizeof path, "/admin/users/%lld/password",
		 (long long)user_id[U_AA_MY]);
	expect(AA, "POST", path,
	       client_post(as[AA], path, "password", "reset-password-1", NULL)
		       ->status,
	       404);
	expect(FP, "POST", path,
	       client_post(as[FP], path, "password", "reset-password-1", NULL)
		       ->status,
	       404);
	snprintf(path, sizeof path, "/admin/users/%lld/2fa-reset",
		 (long long)user_id[U_RA]);
	expect(AA, "POST", path,
	       client_post(as[AA], path, "confirm", "1", NULL)->status, 404);
	snprintf(path, sizeof path, "/admin/users/%lld/password",
		 (long long)user_id[U_PU_PH]);
	expect(AA, "POST", path,
	       client_post(as[AA], path, "password", "reset-password-1", NULL)
		       ->status,
	       303);
	assert_no_mismatch();
	/* Still signed in, each of them (no edit above ended a session). */
	for (int a = 0; a < NACTORS; a++)
		assert_status(client_get(as[a], "/staff"), 200);
}

static void
test_user_create(void **state)
{
	(void)state;
	static const long new_form[NACTORS] = {200, 200, 403, 403};
	char ph[32], ph_ngo[32], my[32], sec[32];
	snprintf(ph, sizeof ph, "%lld", (long long)org_id[PH_AFF]);
	snprintf(ph_ngo, sizeof ph_ngo, "%lld", (long long)org_id[PH_NGO]);
	snprintf(my, sizeof my, "%lld", (long long)org_id[MY_AFF]);
	snprintf(sec, sizeof sec, "%lld", (long long)org_id[SEC]);
	for (int a = 0; a < NACTORS; a++) {
		expect_get(a, "/admin/users/new", new_form[a]);
		char email[64];
		snprintf(email, sizeof email, "new-focal-%d@test.invalid", a);
		long got = client_post(as[a], "/admin/users/new", "email",
				       email, "name", "New Focal", "org_id", ph,
				       "role", "focal_point", "password",
				       "first-password-1", NULL)
				   ->status;
		expect(a, "POST", "/admin/users/new (focal point PH)", got,
		       new_form[a] == 200 ? 303 : 403);
	}
	/* What the affiliate admin's form offers: no regional admin role, no
	 * organisation abroad or the secretariat. */
	struct reply *r = client_get(as[AA], "/admin/users/new");
	assert_status(r, 200);
	assert_false(reply_has(r, "value=\"regional_admin\""));
	assert_false(reply_has(r, "value=\"affiliate_admin\""));
	assert_true(reply_has(r, "value=\"focal_point\""));
	assert_false(reply_has(r, org_names[MY_AFF]));
	assert_false(reply_has(r, org_names[SEC]));
	assert_true(reply_has(r, org_names[PH_NGO]));
	assert_true(reply_has(client_get(as[RA], "/admin/users/new"),
			      "value=\"regional_admin\""));

	static const struct {
		const char *org_key, *role;
		long want;
	} tries[] = {
		{"sec", "regional_admin", 403}, {"ph", "regional_admin", 403},
		{"my", "affiliate_admin", 403}, {"my", "focal_point", 403},
		{"sec", "focal_point", 403},    {"ph", "affiliate_admin", 403},
		{"ph", "focal_point", 303},     {"ph_ngo", "partner_user", 303},
	};
	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		const char *org = str_eq(tries[i].org_key, "sec")  ? sec
				  : str_eq(tries[i].org_key, "my") ? my
				  : str_eq(tries[i].org_key, "ph") ? ph
								   : ph_ngo;
		char email[64];
		snprintf(email, sizeof email, "aa-made-%zu@test.invalid", i);
		long got = client_post(as[AA], "/admin/users/new", "email",
				       email, "name", "Made by AA", "org_id",
				       org, "role", tries[i].role, "password",
				       "first-password-1", NULL)
				   ->status;
		char what[96];
		snprintf(what, sizeof what, "/admin/users/new (%s in %s)",
			 tries[i].role, tries[i].org_key);
		expect(AA, "POST", what, got, tries[i].want);
		if (site_int(site,
			     "SELECT count(*) FROM app_user WHERE email = ?",
			     email) != (tries[i].want == 303))
			expect(AA, "POST (stored?)", what, 0, 1);
	}
	/* Nor promote someone of their country to regional admin. */
	char path[64], ph_org[32];
	snprintf(path, sizeof path, "/admin/users/%lld",
		 (long long)user_id[U_PU_PH]);
	snprintf(ph_org, sizeof ph_org, "%lld", (long long)org_id[PH_AFF]);
	expect(AA, "POST", path,
	       client_post(as[AA], path, "name", "Promoted", "org_id", sec,
			   "role", "regional_admin", NULL)
		       ->status,
	       403);
	expect(AA, "POST", path,
	       client_post(as[AA], path, "name", "Promoted", "org_id", my,
			   "role", "affiliate_admin", NULL)
		       ->status,
	       403);
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM app_user WHERE"
				  " role = 'regional_admin'",
				  NULL),
			 1);
	assert_no_mismatch();
}

static void
test_audit_and_settings(void **state)
{
	(void)state;
	static const long audit[NACTORS] = {200, 200, 403, 403};
	static const long settings[NACTORS] = {200, 403, 403, 403};
	for (int a = 0; a < NACTORS; a++) {
		expect_get(a, "/admin/audit", audit[a]);
		expect_get(a, "/admin/settings", settings[a]);
		long got = client_post(as[a], "/admin/settings", NULL)->status;
		expect(a, "POST", "/admin/settings", got,
		       settings[a] == 200 ? 303 : 403);
	}
	/* The affiliate admin reads what concerns their country only. */
	struct reply *r = client_get(as[AA], "/admin/audit?action=org.create");
	assert_status(r, 200);
	assert_true(reply_has(r, org_names[PH_AFF]));
	assert_false(reply_has(r, org_names[MY_AFF]));
	assert_false(reply_has(r, org_names[MY_NGO]));
	r = client_get(as[RA], "/admin/audit?action=org.create");
	assert_true(reply_has(r, org_names[MY_NGO]));
	assert_no_mismatch();
}

/*
 * The secretariat sits in Singapore: that must not let Singapore's
 * affiliate admin read what the regional admin did in other countries.
 */
static void
test_audit_of_secretariat_not_local(void **state)
{
	(void)state;
	assert_status(client_get(as[RA], "/admin/orgs"), 200);
	assert_int_equal(post_org_edit(RA, org_id[PH_AFF], "+63 1111"), 303);
	assert_true(site_int(site,
			     "SELECT count(*) FROM audit_log WHERE"
			     " action = 'org.update' AND actor_label = ?",
			     RA_EMAIL) > 0);
	struct client *sg = client_new(srv);
	client_sign_in(sg, "admin@sg.demo.atis.invalid", DEMO_PW);
	struct reply *r = client_get(sg, "/admin/audit?action=org.update");
	assert_status(r, 200);
	if (reply_has(r, org_names[PH_AFF]))
		print_error("Singapore's affiliate admin reads the audit of a "
			    "Philippine organisation\n");
	assert_false(reply_has(r, org_names[PH_AFF]));
	assert_false(reply_has(r, org_names[MY_AFF]));
	client_free(sg);
}

static void
test_menus_and_anonymous(void **state)
{
	(void)state;
	struct reply *r = client_get(as[AA], "/staff");
	assert_true(reply_has(r, "href=\"/admin/users\""));
	assert_false(reply_has(r, "href=\"/admin/settings\""));
	r = client_get(as[FP], "/staff");
	assert_true(reply_has(r, "href=\"/admin/orgs\""));
	assert_false(reply_has(r, "href=\"/admin/users\""));
	assert_false(reply_has(r, "href=\"/admin/audit\""));
	assert_true(reply_has(client_get(as[RA], "/staff"),
			      "href=\"/admin/settings\""));

	struct client *anon = client_new(srv);
	static const char *const paths[] = {"/admin/orgs", "/admin/users",
					    "/admin/audit", "/admin/settings",
					    "/admin/orgs/1"};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		r = client_get(anon, paths[i]);
		assert_status(r, 303);
		assert_true(str_starts(reply_header(r, "Location"),
				       "/login?next=%2Fadmin%2F"));
	}
	client_free(anon);
}

static void
test_server_stops_cleanly(void **state)
{
	(void)state;
	int rc = server_stop(srv);
	srv = NULL;
	assert_int_equal(rc, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_org_view),
		cmocka_unit_test(test_org_list_and_create),
		cmocka_unit_test(test_user_list_view_and_edit),
		cmocka_unit_test(test_user_create),
		cmocka_unit_test(test_audit_and_settings),
		cmocka_unit_test(test_menus_and_anonymous),
		cmocka_unit_test(test_audit_of_secretariat_not_local),
		/* Last, so that a server that fails while saving an
		 * organisation cannot hide the results above. */
		cmocka_unit_test(test_org_edit),
		cmocka_unit_test(test_org_edit_stays_in_country),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("authorization", tests, setup,
					   teardown);
}
