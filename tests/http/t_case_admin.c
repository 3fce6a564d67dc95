/*
 * The pages behind case work: emergency numbers (/admin/hotlines),
 * routing rules (/admin/routing) and deadlines (/admin/deadlines).
 *
 * Who may do what (src/model/authz.c): a regional admin changes
 * everything; an affiliate admin changes their own country's numbers and
 * their own organisation's deadlines and reads the rest; a focal point
 * reads; a partner user sees none of it.  Changes come back with "Saved." (deletions with "Deleted.")
 * and an audit entry; bad input comes back as the form, 400, with the
 * message beside the field; a POST without the CSRF token is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/str.h"
#include "http/harness.h"

enum who { RA, AA, FP, PU, NWHO };
static const char *const emails[NWHO] = {RA_EMAIL, AA_PH_EMAIL, FP_PH_EMAIL,
					 PU_MY_EMAIL};

static struct site *site;
static struct server *srv;
static struct client *as[NWHO];

static int
setup(void **state)
{
	(void)state;
	site = site_new(true);
	srv = server_start(site, NULL);
	for (int a = 0; a < NWHO; a++) {
		as[a] = client_new(srv);
		client_sign_in(as[a], emails[a], DEMO_PW);
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (int a = 0; a < NWHO; a++) {
		client_free(as[a]);
		as[a] = NULL;
	}
	int rc = server_stop(srv);
	srv = NULL;
	site_free(site);
	return rc == 0 ? 0 : -1;
}

static int64_t
count(const char *sql, const char *arg)
{
	return site_int(site, sql, arg);
}

static const char *
path_of(char *buf, size_t n, const char *fmt, int64_t id)
{
	snprintf(buf, n, fmt, (long long)id);
	return buf;
}

/* Follows a 303 and asserts the page shows the flash `msg`. */
static struct reply *
follow_flash(struct client *c, const char *msg)
{
	const char *loc = reply_header(&c->r, "Location");
	assert_non_null(loc);
	char *copy = xstrdup(loc);
	struct reply *r = client_get(c, copy);
	free(copy);
	assert_status(r, 200);
	assert_true(reply_has(r, "class=\"flash\""));
	assert_true(reply_has(r, msg));
	return r;
}

static struct reply *
follow_saved(struct client *c)
{
	return follow_flash(c, "Saved.");
}

/* ---- emergency numbers -------------------------------------------------- */

static void
test_hotline_regional_admin(void **state)
{
	(void)state;
	struct client *ra = as[RA];
	struct reply *r = client_get(ra, "/admin/hotlines");
	assert_status(r, 200);
	/* The demo numbers, with the number and its source as links. */
	assert_true(reply_has(r, "href=\"tel:191\""));
	assert_true(
		reply_has(r, "href=\"https://www.royalthaipolice.go.th/\""));
	assert_true(reply_has(r, "action=\"/admin/hotlines/new\""));

	r = client_post(ra, "/admin/hotlines/new", "country", "TH", "name",
			"Test TH helpline", "number", "+66 (2) 000-1234",
			"source_url", "https://example.go.th/helpline",
			"checked_on", "2025-01-02", "sort", "50", NULL);
	assert_redirect(r, "/admin/hotlines?country=TH");
	r = follow_saved(ra);
	assert_true(reply_has(r, "Test TH helpline"));
	assert_true(reply_has(r, "href=\"tel:+66(2)000-1234\""));
	assert_true(reply_has(r, "href=\"https://example.go.th/helpline\""));
	assert_true(reply_has(r, "2025-01-02"));
	/* The filter shows Thailand's numbers only. */
	assert_false(reply_has(r, "href=\"tel:911\""));
	int64_t id = count("SELECT id FROM hotline WHERE name = ?",
			   "Test TH helpline");
	assert_int_equal(site_audit_count(site, "hotline.create", RA_EMAIL), 1);

	char path[96];
	r = client_get(ra,
		       path_of(path, sizeof path, "/admin/hotlines/%lld", id));
	assert_status(r, 200);
	assert_string_equal(reply_input(r, "number"), "+66 (2) 000-1234");
	assert_string_equal(reply_input(r, "sort"), "50");
	r = client_post(ra, path, "country", "TH", "name", "Test TH helpline",
			"number", "1300", "source_url",
			"https://example.go.th/helpline", "checked_on",
			"2025-02-03", "sort", "5", NULL);
	assert_redirect(r, "/admin/hotlines?country=TH");
	follow_saved(ra);
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE name = ?"
			       " AND number = '1300' AND sort = 5"
			       " AND checked_on = '2025-02-03'",
			       "Test TH helpline"),
			 1);
	assert_int_equal(site_audit_count(site, "hotline.update", RA_EMAIL), 1);

	/* Delete: a confirmation page, then the POST. */
	char del[96];
	r = client_get(ra, path_of(del, sizeof del,
				   "/admin/hotlines/%lld/delete", id));
	assert_status(r, 200);
	assert_true(reply_has(r, "Test TH helpline"));
	assert_true(reply_has(r, "name=\"csrf\""));
	r = client_post(ra, del, NULL);
	assert_redirect(r, "/admin/hotlines?country=TH");
	follow_flash(ra, "Deleted.");
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE name = ?",
			       "Test TH helpline"),
			 0);
	assert_int_equal(site_audit_count(site, "hotline.delete", RA_EMAIL), 1);
	/* Gone: 404 from then on. */
	assert_status(client_get(ra, path), 404);
	assert_status(client_post(ra, del, NULL), 404);
	assert_status(client_get(ra, "/admin/hotlines/999999"), 404);
	assert_status(client_get(ra, "/admin/hotlines/abc"), 404);
	assert_status(client_get(ra, "/admin/hotlines?country=ZZ"), 400);
}

static void
test_hotline_affiliate_admin(void **state)
{
	(void)state;
	struct client *aa = as[AA];
	int64_t th = count("SELECT id FROM hotline WHERE country = ?"
			   " ORDER BY id LIMIT 1",
			   "TH");
	char edit[96], del[96], link[128];
	path_of(edit, sizeof edit, "/admin/hotlines/%lld", th);
	path_of(del, sizeof del, "/admin/hotlines/%lld/delete", th);
	/* They see every country's numbers, but change only their own. */
	struct reply *r = client_get(aa, "/admin/hotlines");
	assert_status(r, 200);
	assert_true(reply_has(r, "href=\"tel:191\""));
	snprintf(link, sizeof link, "href=\"%s\"", edit);
	assert_false(reply_has(r, link));
	assert_true(reply_has(r, "<option value=\"PH\""));
	assert_false(reply_has(r, "<option value=\"TH\" selected"));

	assert_status(client_get(aa, edit), 403);
	assert_status(client_get(aa, del), 403);
	client_get(aa, "/admin/hotlines"); /* a fresh token */
	assert_status(client_post(aa, edit, "country", "TH", "name", "Hacked",
				  "number", "000", "source_url",
				  "https://example.org/", NULL),
		      403);
	assert_status(client_post(aa, del, NULL), 403);
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE id = ?"
			       " AND number = '191'",
			       edit + strlen("/admin/hotlines/")),
			 1);
	assert_status(client_post(aa, "/admin/hotlines/new", "country", "TH",
				  "name", "Test TH by PH", "number", "123",
				  "source_url", "https://example.org/", NULL),
		      403);
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE name = ?",
			       "Test TH by PH"),
			 0);

	/* Their own country's: add, edit; not move it abroad. */
	r = client_post(aa, "/admin/hotlines/new", "country", "PH", "name",
			"Test PH helpline", "number", "1343", "source_url",
			"https://example.gov.ph/", "sort", "", NULL);
	assert_redirect(r, "/admin/hotlines?country=PH");
	follow_saved(aa);
	int64_t ph = count("SELECT id FROM hotline WHERE name = ?",
			   "Test PH helpline");
	assert_int_equal(site_audit_count(site, "hotline.create", AA_PH_EMAIL),
			 1);
	char ph_edit[96];
	path_of(ph_edit, sizeof ph_edit, "/admin/hotlines/%lld", ph);
	r = client_get(aa, ph_edit);
	assert_status(r, 200);
	assert_false(reply_has(r, "<option value=\"TH\""));
	assert_status(client_post(aa, ph_edit, "country", "TH", "name",
				  "Test PH helpline", "number", "1343",
				  "source_url", "https://example.gov.ph/",
				  NULL),
		      403);
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE name = ?"
			       " AND country = 'PH'",
			       "Test PH helpline"),
			 1);
}

static void
test_hotline_focal_point_and_partner(void **state)
{
	(void)state;
	struct client *fp = as[FP];
	int64_t ph = count("SELECT id FROM hotline WHERE country = ?"
			   " ORDER BY id LIMIT 1",
			   "PH");
	char edit[96], del[96];
	path_of(edit, sizeof edit, "/admin/hotlines/%lld", ph);
	path_of(del, sizeof del, "/admin/hotlines/%lld/delete", ph);
	/* A focal point reads the numbers, and changes none. */
	struct reply *r = client_get(fp, "/admin/hotlines");
	assert_status(r, 200);
	assert_true(reply_has(r, "href=\"tel:911\""));
	assert_false(reply_has(r, "action=\"/admin/hotlines/new\""));
	assert_status(client_post(fp, "/admin/hotlines/new", "country", "PH",
				  "name", "Test by focal point", "number",
				  "123", "source_url", "https://example.org/",
				  NULL),
		      403);
	assert_status(client_get(fp, edit), 403);
	client_get(fp, "/admin/hotlines");
	assert_status(client_post(fp, edit, "country", "PH", "name", "Changed",
				  "number", "123", "source_url",
				  "https://example.org/", NULL),
		      403);
	assert_status(client_post(fp, del, NULL), 403);
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE id = ?"
			       " AND number = '911'",
			       edit + strlen("/admin/hotlines/")),
			 1);
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE name = ?",
			       "Test by focal point"),
			 0);
	/* A partner user sees none of these pages. */
	struct client *pu = as[PU];
	assert_status(client_get(pu, "/admin/hotlines"), 403);
	assert_status(client_get(pu, edit), 404);
	assert_status(client_get(pu, "/admin/routing"), 403);
	assert_status(client_get(pu, "/admin/deadlines"), 403);
	client_get(pu, "/staff");
	assert_status(client_post(pu, "/admin/hotlines/new", "country", "MY",
				  "name", "Test by partner", "number", "123",
				  "source_url", "https://example.org/", NULL),
		      403);
}

static void
test_csrf_required(void **state)
{
	(void)state;
	struct client *ra = as[RA];
	int64_t before = count("SELECT count(*) FROM hotline", NULL);
	/* No token, and a wrong one. */
	assert_status(client_post_form(ra, "/admin/hotlines/new", "country",
				       "TH", "name", "Test no CSRF", "number",
				       "123", "source_url",
				       "https://example.org/", NULL),
		      403);
	assert_status(client_post_form(ra, "/admin/hotlines/new", "csrf",
				       "forged", "country", "TH", "name",
				       "Test no CSRF", "number", "123",
				       "source_url", "https://example.org/",
				       NULL),
		      403);
	int64_t some =
		count("SELECT id FROM hotline ORDER BY id LIMIT 1", NULL);
	char del[96];
	path_of(del, sizeof del, "/admin/hotlines/%lld/delete", some);
	assert_status(client_post_form(ra, del, "confirm", "1", NULL), 403);
	assert_int_equal(count("SELECT count(*) FROM hotline", NULL), before);
	assert_status(client_post_form(ra, "/admin/routing", "country", "LA",
				       "applies_to", "work", "org_id", "1",
				       NULL),
		      403);
	assert_status(client_post_form(ra, "/admin/deadlines", "hours_0", "1",
				       "hours_1", "1", "hours_2", "1",
				       "hours_3", "1", NULL),
		      403);
	assert_int_equal(count("SELECT count(*) FROM routing_rule"
			       " WHERE country = ?",
			       "LA"),
			 0);
	assert_int_equal(count("SELECT count(*) FROM case_deadline WHERE"
			       " hours = 1 AND priority = ?",
			       "0"),
			 0);
}

static void
test_hotline_bad_input(void **state)
{
	(void)state;
	struct client *ra = as[RA];
	client_get(ra, "/admin/hotlines");
	int64_t before = count("SELECT count(*) FROM hotline", NULL);
	struct reply *r =
		client_post(ra, "/admin/hotlines/new", "country", "TH", "name",
			    "Test bad number", "number", "191abc", "source_url",
			    "https://example.org/", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "id=\"number-error\""));
	assert_true(reply_has(
		r, "A phone number may hold only digits, spaces and + - ( )."));
	/* What was typed comes back. */
	assert_string_equal(reply_input(r, "name"), "Test bad number");
	assert_string_equal(reply_input(r, "number"), "191abc");

	r = client_post(ra, "/admin/hotlines/new", "country", "TH", "name",
			"Test bad source", "number", "191", "source_url",
			"www.example.org", "checked_on", "2025-02-30", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "id=\"source_url-error\""));
	assert_true(
		reply_has(r, "A web address starts with https:// or http://."));
	assert_true(reply_has(r, "id=\"checked_on-error\""));
	assert_false(reply_has(r, "id=\"number-error\""));
	r = client_post(ra, "/admin/hotlines/new", "country", "ZZ", "name", "",
			"number", "", "source_url", "", "sort", "x", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "id=\"country-error\""));
	assert_true(reply_has(r, "id=\"name-error\""));
	assert_true(reply_has(r, "id=\"sort-error\""));
	assert_int_equal(count("SELECT count(*) FROM hotline", NULL), before);

	/* The edit form the same way. */
	int64_t id = count("SELECT id FROM hotline WHERE country = ?"
			   " ORDER BY id LIMIT 1",
			   "MY");
	char path[96];
	path_of(path, sizeof path, "/admin/hotlines/%lld", id);
	client_get(ra, path);
	r = client_post(ra, path, "country", "MY", "name", "Police", "number",
			"nine nine nine", "source_url", "ftp://example.org/",
			NULL);
	assert_status(r, 400);
	assert_true(reply_has(
		r, "A phone number may hold only digits, spaces and + - ( )."));
	assert_true(
		reply_has(r, "A web address starts with https:// or http://."));
	assert_int_equal(count("SELECT count(*) FROM hotline WHERE id = ?"
			       " AND number = '999'",
			       path + strlen("/admin/hotlines/")),
			 1);
}

/* ---- routing ------------------------------------------------------------ */

static void
test_routing(void **state)
{
	(void)state;
	struct client *ra = as[RA];
	int64_t ngo = count("SELECT id FROM organisation WHERE name = ?",
			    "DEMO Migrant Shelter NGO");
	char org[32];
	snprintf(org, sizeof org, "%lld", (long long)ngo);
	struct reply *r = client_get(ra, "/admin/routing");
	assert_status(r, 200);
	assert_true(reply_has(r, "the affiliate in the country of origin"));
	assert_true(reply_has(r, "action=\"/admin/routing\""));

	/* Before: Malaysia's affiliate takes cases from Malaysia. */
	r = client_get(ra, "/admin/routing?work=MY&origin=ID");
	assert_status(r, 200);
	assert_true(
		reply_has(r, "<strong>DEMO Malaysian Union Centre</strong>"));
	r = client_post(ra, "/admin/routing", "country", "MY", "applies_to",
			"work", "org_id", org, NULL);
	assert_redirect(r, "/admin/routing");
	r = follow_saved(ra);
	assert_true(reply_has(r, "DEMO Migrant Shelter NGO"));
	assert_int_equal(site_audit_count(site, "routing.create", RA_EMAIL), 1);
	int64_t rule = count("SELECT id FROM routing_rule WHERE country = ?"
			     " AND applies_to = 'work'",
			     "MY");
	r = client_get(ra, "/admin/routing?work=MY&origin=ID");
	assert_true(reply_has(r, "<strong>DEMO Migrant Shelter NGO</strong>"));
	assert_true(reply_has(r, "a rule for the country of work"));

	/* One rule per country and side: 400 with the message. */
	r = client_post(ra, "/admin/routing", "country", "MY", "applies_to",
			"work", "org_id", org, NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "id=\"country-error\""));
	assert_true(reply_has(r, "already has a rule"));
	r = client_post(ra, "/admin/routing", "country", "", "applies_to",
			"home", "org_id", "999999", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "id=\"country-error\""));
	assert_true(reply_has(r, "id=\"applies_to-error\""));
	r = client_post(ra, "/admin/routing", "country", "LA", "applies_to",
			"origin", "org_id", "999999", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "id=\"org_id-error\""));
	assert_int_equal(count("SELECT count(*) FROM routing_rule", NULL), 1);

	/* An affiliate admin and a focal point read it, change nothing. */
	char del[96];
	path_of(del, sizeof del, "/admin/routing/%lld/delete", rule);
	for (int a = AA; a <= FP; a++) {
		r = client_get(as[a], "/admin/routing");
		assert_status(r, 200);
		assert_true(reply_has(r, "DEMO Migrant Shelter NGO"));
		assert_false(reply_has(r, "action=\"/admin/routing\""));
		assert_false(reply_has(r, del));
		assert_status(client_post(as[a], "/admin/routing", "country",
					  "PH", "applies_to", "origin",
					  "org_id", org, NULL),
			      403);
		assert_status(client_post(as[a], del, NULL), 403);
	}
	assert_int_equal(count("SELECT count(*) FROM routing_rule", NULL), 1);

	/* The regional admin deletes it. */
	r = client_get(ra, "/admin/routing");
	assert_true(reply_has(r, del));
	assert_status(client_post_form(ra, del, NULL), 403); /* no token */
	r = client_post(ra, del, NULL);
	assert_redirect(r, "/admin/routing");
	follow_flash(ra, "Deleted.");
	assert_int_equal(count("SELECT count(*) FROM routing_rule", NULL), 0);
	assert_int_equal(site_audit_count(site, "routing.delete", RA_EMAIL), 1);
	assert_status(client_post(ra, del, NULL), 404);
	assert_status(client_get(ra, "/admin/routing?work=XX"), 400);
}

/* ---- deadlines ---------------------------------------------------------- */

static void
test_deadlines(void **state)
{
	(void)state;
	struct client *aa = as[AA];
	int64_t ph = count("SELECT id FROM organisation WHERE name = ?",
			   "DEMO Philippine Union Centre");
	int64_t my = count("SELECT id FROM organisation WHERE name = ?",
			   "DEMO Malaysian Union Centre");
	char ph_id[32], my_id[32], loc[64];
	snprintf(ph_id, sizeof ph_id, "%lld", (long long)ph);
	snprintf(my_id, sizeof my_id, "%lld", (long long)my);

	/* Their own organisation's, the defaults at first. */
	struct reply *r = client_get(aa, "/admin/deadlines");
	assert_status(r, 200);
	assert_true(reply_has(r, "DEMO Philippine Union Centre"));
	assert_string_equal(reply_input(r, "hours_3"), "24");
	assert_string_equal(reply_input(r, "hours_0"), "336");
	assert_false(reply_has(r, "name=\"org\"")); /* no picker */
	r = client_post(aa, "/admin/deadlines", "org_id", ph_id, "hours_0",
			"300", "hours_1", "150", "hours_2", "60", "hours_3",
			"12", NULL);
	snprintf(loc, sizeof loc, "/admin/deadlines?org=%s", ph_id);
	assert_redirect(r, loc);
	r = follow_saved(aa);
	assert_string_equal(reply_input(r, "hours_3"), "12");
	assert_string_equal(reply_input(r, "hours_0"), "300");
	assert_int_equal(count("SELECT hours FROM case_deadline WHERE"
			       " priority = 3 AND org_id = ?",
			       ph_id),
			 12);
	assert_int_equal(site_audit_count(site, "deadline.update", AA_PH_EMAIL),
			 1);

	/* Bad input: 400, the message beside the field, nothing saved. */
	r = client_post(aa, "/admin/deadlines", "org_id", ph_id, "hours_0",
			"300", "hours_1", "0", "hours_2", "60", "hours_3",
			"abc", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "id=\"hours_3-error\""));
	assert_true(reply_has(r, "id=\"hours_1-error\""));
	assert_false(reply_has(r, "id=\"hours_0-error\""));
	assert_true(reply_has(
		r, "Please enter a whole number of hours from 1 to 8760."));
	assert_string_equal(reply_input(r, "hours_3"), "abc");
	r = client_post(aa, "/admin/deadlines", "org_id", ph_id, "hours_0",
			"8761", "hours_1", "150", "hours_2", "60", "hours_3",
			"12", NULL);
	assert_status(r, 400);
	assert_int_equal(count("SELECT hours FROM case_deadline WHERE"
			       " priority = 0 AND org_id = ?",
			       ph_id),
			 300);

	/* Not another organisation's. */
	snprintf(loc, sizeof loc, "/admin/deadlines?org=%s", my_id);
	assert_status(client_get(aa, loc), 403);
	client_get(aa, "/admin/deadlines");
	assert_status(client_post(aa, "/admin/deadlines", "org_id", my_id,
				  "hours_0", "1", "hours_1", "1", "hours_2",
				  "1", "hours_3", "1", NULL),
		      403);
	assert_int_equal(count("SELECT count(*) FROM case_deadline WHERE"
			       " org_id = ?",
			       my_id),
			 0);

	/* A focal point reads their organisation's, and changes nothing. */
	r = client_get(as[FP], "/admin/deadlines");
	assert_status(r, 200);
	assert_true(reply_has(r, "<td>12"));
	assert_null(reply_input(r, "hours_3"));
	assert_status(client_post(as[FP], "/admin/deadlines", "org_id", ph_id,
				  "hours_0", "1", "hours_1", "1", "hours_2",
				  "1", "hours_3", "1", NULL),
		      403);
	assert_status(client_get(as[FP], loc), 403);

	/* The regional admin picks any organisation. */
	struct client *ra = as[RA];
	r = client_get(ra, loc);
	assert_status(r, 200);
	assert_true(reply_has(r, "name=\"org\""));
	assert_true(reply_has(r, "DEMO Malaysian Union Centre"));
	r = client_post(ra, "/admin/deadlines", "org_id", my_id, "hours_0",
			"336", "hours_1", "168", "hours_2", "72", "hours_3",
			"6", NULL);
	assert_redirect(r, loc);
	follow_saved(ra);
	assert_int_equal(count("SELECT count(*) FROM case_deadline WHERE"
			       " org_id = ?",
			       my_id),
			 1);
	assert_status(client_get(ra, "/admin/deadlines?org=999999"), 404);
	assert_status(client_get(ra, "/admin/deadlines?org=x"), 404);
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
		cmocka_unit_test(test_hotline_regional_admin),
		cmocka_unit_test(test_hotline_affiliate_admin),
		cmocka_unit_test(test_hotline_focal_point_and_partner),
		cmocka_unit_test(test_csrf_required),
		cmocka_unit_test(test_hotline_bad_input),
		cmocka_unit_test(test_routing),
		cmocka_unit_test(test_deadlines),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("case administration", tests, setup,
					   teardown);
}
