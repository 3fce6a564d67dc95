/*
 * The worker's side over HTTP: the help form (/help), the emergency
 * numbers (/help/danger), and "check my case" (/track …).
 *
 * What is checked, against a real server on a demo database:
 * - a case sent is in the database when the receipt arrives, and the
 *   receipt shows its reference and PIN;
 * - what the worker wrote (description, name, contact, replies) never
 *   reaches the database file or its WAL as plain text;
 * - every refusal shows the form again with what was typed, and saves
 *   nothing; robots (the honeypot) and stale forms are refused;
 * - evidence is cleaned of its metadata, and files that cannot be added
 *   are named on the receipt while the case is saved;
 * - a worker in danger sees the numbers of the country at once, and the
 *   case goes first in the inbox;
 * - "check my case" opens with the right reference and PIN only, shows
 *   the status in plain words, staff messages, never internal notes, and
 *   wrong guesses are throttled per reference and per address;
 * - intake is limited per address and per request size.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/str.h"
#include "http/harness.h"

#define FP_TH_EMAIL "focal@th.demo.atis.invalid"

static struct site *site;
static struct server *srv;
static struct client *fp; /* the Thai focal point */
/* A server of its own for the tests that download evidence: should one
 * of them bring a server down, the others still run (and its exit
 * status tells). */
static struct server *side;

/* The test files (tests/data). */
static char *jpg, *png, *pdf, *txt;
static size_t jpg_len, png_len, pdf_len, txt_len;

/* What the tests hand on to later ones. */
static int64_t other_attachment; /* a file of a case the tracker is not */

static char *
load(const char *path, size_t *len)
{
	char *p = harness_read_file(path, len);
	if (p == NULL)
		fail_msg("cannot read %s (run from the top of the tree)", path);
	return p;
}

static int
setup(void **state)
{
	(void)state;
	jpg = load("tests/data/exif-gps.jpg", &jpg_len);
	png = load("tests/data/text-meta.png", &png_len);
	pdf = load("tests/data/sample.pdf", &pdf_len);
	txt = load("tests/data/not-a-photo.jpg", &txt_len);
	site = site_new(true);
	/* Every test sends cases from 127.0.0.1: the limit per address is
	 * tested on a server of its own. */
	const char *env[] = {"ATIS_INTAKE_PER_HOUR=100000", NULL};
	srv = server_start(site, env);
	fp = client_new(srv);
	client_sign_in(fp, FP_TH_EMAIL, DEMO_PW);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(fp);
	fp = NULL;
	server_stop(side);
	side = NULL;
	int rc = server_stop(srv);
	srv = NULL;
	site_free(site);
	free(jpg);
	free(png);
	free(pdf);
	free(txt);
	return rc == 0 ? 0 : -1;
}

/* ---- helpers ------------------------------------------------------------ */

/* Starts the side server with `env` (NULL: the main server's). */
static struct server *
side_start_env(const char *const env[])
{
	server_stop(side);
	side = NULL;
	static const char *const dflt[] = {"ATIS_INTAKE_PER_HOUR=100000", NULL};
	side = server_start(site, env ? env : dflt);
	return side;
}

static struct server *
side_start(void)
{
	return side_start_env(NULL);
}

/* Stops the side server and asserts that it stopped cleanly. */
static void
side_stop(void)
{
	int rc = server_stop(side);
	side = NULL;
	assert_int_equal(rc, 0);
}

static int64_t
count_cases(void)
{
	return site_int(site, "SELECT count(*) FROM case_rec", NULL);
}

/* A string no page or file holds by chance: CANARY + 16 hex digits. */
static void
new_canary(char out[32])
{
	unsigned char b[8];
	int fd = open("/dev/urandom", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, b, sizeof b), (ssize_t)sizeof b);
	close(fd);
	snprintf(out, 32, "CANARY%02x%02x%02x%02x%02x%02x%02x%02x", b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7]);
}

static bool
bytes_have(const char *hay, size_t n, const char *needle)
{
	return hay != NULL && memmem(hay, n, needle, strlen(needle)) != NULL;
}

/* Asserts that `text` (and its lower-case form) is in neither the
 * database file nor its write-ahead log. */
static void
assert_not_stored(const char *text)
{
	char lower[128];
	snprintf(lower, sizeof lower, "%s", text);
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	char wal[320];
	snprintf(wal, sizeof wal, "%s-wal", site->db_path);
	const char *paths[] = {site->db_path, wal};
	for (size_t i = 0; i < 2; i++) {
		size_t n = 0;
		char *bytes = harness_read_file(paths[i], &n);
		if (i == 0)
			assert_non_null(bytes);
		if (bytes_have(bytes, n, text) || bytes_have(bytes, n, lower))
			print_error("\"%s\" is stored as plain text in %s\n",
				    text, paths[i]);
		assert_false(bytes_have(bytes, n, text));
		assert_false(bytes_have(bytes, n, lower));
		free(bytes);
	}
}

/* The fields of a valid complaint that `fields` (name, value, …, NULL)
 * do not give. */
static const char *const defaults[] = {
	"kind",         "complaint",
	"category",     "wages",
	"country_work", "TH",
	"description",  "My employer has not paid my wages for two months.",
	NULL,
};

static bool
listed(const char *const *fields, const char *name)
{
	for (size_t i = 0; fields && fields[i]; i += 2)
		if (str_eq(fields[i], name))
			return true;
	return false;
}

/* POSTs /help as the form does (multipart), with `csrf` (NULL: none),
 * the defaults, `fields` and `files`. */
static struct reply *
post_help_csrf(struct client *w, const char *csrf, const char *const *fields,
	       const struct form_part *files, size_t nfiles)
{
	struct form_part parts[64];
	size_t n = 0;
	if (csrf != NULL)
		parts[n++] = (struct form_part){.name = "csrf", .value = csrf};
	for (size_t i = 0; defaults[i]; i += 2)
		if (!listed(fields, defaults[i]))
			parts[n++] = (struct form_part){
				.name = defaults[i], .value = defaults[i + 1]};
	for (size_t i = 0; fields && fields[i]; i += 2) {
		assert_true(n < 60);
		parts[n++] = (struct form_part){.name = fields[i],
						.value = fields[i + 1]};
	}
	for (size_t i = 0; i < nfiles; i++) {
		assert_true(n < 64);
		parts[n++] = files[i];
	}
	return client_post_multipart(w, "/help", parts, n);
}

/* The same with the token of the form, fetched when the client has none
 * yet. */
static struct reply *
post_help(struct client *w, const char *const *fields,
	  const struct form_part *files, size_t nfiles)
{
	if (w->csrf[0] == '\0')
		assert_status(client_get(w, "/help"), 200);
	char csrf[64];
	snprintf(csrf, sizeof csrf, "%s", w->csrf);
	return post_help_csrf(w, csrf, fields, files, nfiles);
}

struct receipt {
	char ref[16];    /* "123-456-7890" as shown */
	char digits[11]; /* "1234567890" as stored */
	char pin[16];    /* "1234 5678" as shown */
	int64_t id;
};

static bool
shaped(const char *s, const char *shape)
{
	for (; *shape; s++, shape++)
		if (*shape == '9' ? !isdigit((unsigned char)*s) : *s != *shape)
			return false;
	return *s == '\0';
}

/* Reads the reference and PIN from a receipt and finds the case. */
static void
receipt_of(struct reply *r, struct receipt *out)
{
	static const char mark[] = "<dd class=\"secret\">";
	const char *a = strstr(r->body, mark);
	assert_non_null(a);
	a += strlen(mark);
	const char *b = strstr(a, mark);
	assert_non_null(b);
	b += strlen(mark);
	snprintf(out->ref, sizeof out->ref, "%.*s", (int)strcspn(a, "<"), a);
	snprintf(out->pin, sizeof out->pin, "%.*s", (int)strcspn(b, "<"), b);
	if (!shaped(out->ref, "999-999-9999") || !shaped(out->pin, "9999 9999"))
		print_error("receipt shows \"%s\" and \"%s\"\n", out->ref,
			    out->pin);
	assert_true(shaped(out->ref, "999-999-9999"));
	assert_true(shaped(out->pin, "9999 9999"));
	size_t n = 0;
	for (const char *p = out->ref; *p; p++)
		if (isdigit((unsigned char)*p))
			out->digits[n++] = *p;
	out->digits[n] = '\0';
	out->id = site_int(site, "SELECT id FROM case_rec WHERE reference = ?",
			   out->digits);
}

/* Sends a valid case (with `fields` on top of the defaults) and asserts
 * the receipt. */
static void
submit(struct client *w, const char *const *fields,
       const struct form_part *files, size_t nfiles, struct receipt *out)
{
	struct reply *r = post_help(w, fields, files, nfiles);
	assert_status(r, 201);
	assert_true(reply_has(r, "We received your case"));
	receipt_of(r, out);
}

/* GET /track, then POST the reference and PIN. */
static struct reply *
track_open(struct client *w, const char *ref, const char *pin)
{
	assert_status(client_get(w, "/track"), 200);
	return client_post(w, "/track", "reference", ref, "pin", pin, NULL);
}

/* Opens the case and lands on /track/case. */
static struct reply *
track_in(struct client *w, const struct receipt *rc)
{
	assert_redirect(track_open(w, rc->ref, rc->pin), "/track/case");
	struct reply *r = client_get(w, "/track/case");
	assert_status(r, 200);
	return r;
}

/* The number after the first `mark` of the page, or 0. */
static int64_t
int_after(struct reply *r, const char *mark)
{
	const char *p = strstr(r->body, mark);
	return p ? strtoll(p + strlen(mark), NULL, 10) : 0;
}

static int64_t
attachments_of(int64_t case_id)
{
	char sql[96];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM case_attachment WHERE case_id = %lld",
		 (long long)case_id);
	return site_int(site, sql, NULL);
}

/* `s` with what is not printable ASCII as "?", for messages (static). */
static const char *
printable(const char *s)
{
	static char out[64];
	if (s == NULL)
		return "(none)";
	size_t i = 0;
	for (; s[i] && i < sizeof out - 1; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
	return out;
}

/* A reference with a right check digit (the Damm algorithm, as in
 * src/model/case.c), from 9 digits. */
static void
valid_reference(const char *nine, char out[11])
{
	static const unsigned char damm[10][10] = {
		{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
		{4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
		{6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
		{5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
		{9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
	};
	int interim = 0;
	for (int i = 0; i < 9; i++)
		interim = damm[interim][nine[i] - '0'];
	snprintf(out, 11, "%.9s%c", nine, '0' + interim);
}

/* ---- the form ----------------------------------------------------------- */

static void
test_help_form(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	struct reply *r = client_get(w, "/help");
	assert_status(r, 200);
	assert_true(reply_has(r, "<form method=\"post\" action=\"/help\""
				 " enctype=\"multipart/form-data\""));
	assert_true(reply_has(r, "name=\"csrf\" value=\""));
	assert_true(strlen(w->csrf) > 20);
	assert_non_null(reply_set_cookie(r, "atis_csrf"));
	assert_true(reply_has(r, "name=\"description\""));
	assert_true(reply_has(r, "name=\"evidence\" type=\"file\" multiple"));
	assert_true(reply_has(r, "name=\"website\"")); /* the honeypot */
	assert_true(reply_has(r, "href=\"/help/danger\""));
	/* From the danger page: the box is ticked. */
	r = client_get(w, "/help?danger=1");
	assert_status(r, 200);
	assert_true(reply_has(r, "name=\"danger\" value=\"1\" checked"));
	client_free(w);
}

static void
test_submit_is_saved_before_the_receipt(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	int64_t before = count_cases();
	static const char *const f[] = {
		"description", "The agency kept my passport and my salary.",
		"category",    "document_retention",
		"employer",    "Receipt Test Employer",
		NULL,
	};
	struct reply *r = post_help(w, f, NULL, 0);
	assert_status(r, 201);
	/* The PIN is on this page only. */
	const char *cc = reply_header(r, "Cache-Control");
	assert_non_null(cc);
	assert_non_null(strstr(cc, "no-store"));
	struct receipt rc;
	receipt_of(r, &rc); /* finds the row: it is there already */
	assert_int_equal(count_cases(), before + 1);
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM case_rec WHERE id = %lld AND status ="
		 " 'new' AND channel = 'web' AND category ="
		 " 'document_retention' AND employer = ?",
		 (long long)rc.id);
	assert_int_equal(site_int(site, sql, "Receipt Test Employer"), 1);
	assert_true(reply_has(r, "href=\"/track\""));
	/* The audit log knows a case came in, not from which address. */
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM audit_log WHERE action = 'case.create'"
		 " AND target_id = %lld AND address = ?",
		 (long long)rc.id);
	assert_int_equal(site_int(site, sql, ""), 1);
	/* Neither the PIN nor its digits are stored as such. */
	char pin_digits[9];
	snprintf(pin_digits, sizeof pin_digits, "%.4s%.4s", rc.pin, rc.pin + 5);
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM case_rec WHERE"
				  " instr(pin_hash, ?) > 0",
				  pin_digits),
			 0);
	client_free(w);
}

/* What the worker wrote is sealed before it reaches the disk. */
static void
test_canary_never_stored_plain(void **state)
{
	(void)state;
	char c_desc[32], c_name[32], c_contact[32], c_reply[32];
	new_canary(c_desc);
	new_canary(c_name);
	new_canary(c_contact);
	new_canary(c_reply);
	char desc[128], name[64], contact[64];
	snprintf(desc, sizeof desc, "Wages unpaid since March %s, please help.",
		 c_desc);
	snprintf(name, sizeof name, "Somchai %s", c_name);
	snprintf(contact, sizeof contact, "line-%s", c_contact);
	/* clang-format off */
	const char *const f[] = {
		"description",     desc,
		"name",            name,
		"contact_method",  "messaging",
		"contact",         contact,
		"consent_contact", "1",
		NULL,
	};
	/* clang-format on */
	struct client *w = client_new(srv);
	struct receipt rc;
	submit(w, f, NULL, 0, &rc);
	assert_not_stored(c_desc);
	assert_not_stored(c_name);
	assert_not_stored(c_contact);

	/* A reply through "check my case". */
	track_in(w, &rc);
	char body[96];
	snprintf(body, sizeof body, "I have the payslips now %s", c_reply);
	assert_redirect(client_post(w, "/track/reply", "body", body, NULL),
			"/track/case");
	assert_not_stored(c_reply);

	/* Stored all the same: the focal point reads every word. */
	char path[64];
	snprintf(path, sizeof path, "/cases/%lld", (long long)rc.id);
	struct reply *r = client_get(fp, path);
	assert_status(r, 200);
	assert_true(reply_has(r, c_desc));
	assert_true(reply_has(r, c_name));
	assert_true(reply_has(r, c_contact));
	assert_true(reply_has(r, c_reply));
	/* Nor does the server's log tell them. */
	char *log = server_log(srv);
	assert_null(strstr(log, c_desc));
	assert_null(strstr(log, c_name));
	assert_null(strstr(log, c_contact));
	assert_null(strstr(log, c_reply));
	free(log);
	client_free(w);
}

/* ---- refusals ----------------------------------------------------------- */

static void
test_validation_keeps_what_was_typed(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	int64_t before = count_cases();

	/* clang-format off */
	static const char *const empty[] = {
		"description", "",
		"employer",    "Typed Employer Co",
		"agency",      "Typed Agency Ltd",
		"started_on",  "2026-02",
		"name",        "Typed Name",
		NULL,
	};
	/* clang-format on */
	struct reply *r = post_help(w, empty, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please correct the fields marked below."));
	assert_true(reply_has(r, "Please fill in this field."));
	assert_true(reply_has(r, "aria-invalid=\"true\""));
	assert_string_equal(reply_input(r, "employer"), "Typed Employer Co");
	assert_string_equal(reply_input(r, "agency"), "Typed Agency Ltd");
	assert_string_equal(reply_input(r, "started_on"), "2026-02");
	assert_string_equal(reply_input(r, "name"), "Typed Name");
	assert_true(reply_has(r, "name=\"category\" value=\"wages\" checked"));
	assert_true(reply_has(r, "<option value=\"TH\" selected>"));
	/* A fresh token comes with it, so the form can be sent again. */
	assert_true(reply_has(r, "name=\"csrf\" value=\""));

	char *long_text = xmalloc(5002);
	memset(long_text, 'x', 5001);
	long_text[5001] = '\0';
	const char *const too_long[] = {"description", long_text, NULL};
	r = post_help(w, too_long, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "This is too long. Please shorten it."));
	assert_true(reply_has(r, long_text)); /* still in the text area */
	long_text[5000] = '\0'; /* 5000 is allowed: checked below */

	/* clang-format off */
	static const char *const bad_phone[] = {
		"contact_method",  "phone",
		"contact",         "abc",
		"consent_contact", "1",
		NULL,
	};
	/* clang-format on */
	r = post_help(w, bad_phone, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "Write a phone number with its digits"));
	assert_string_equal(reply_input(r, "contact"), "abc");

	/* clang-format off */
	static const char *const no_consent[] = {
		"contact_method", "phone",
		"contact",        "+66 81 234 5678",
		NULL,
	};
	/* clang-format on */
	r = post_help(w, no_consent, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "please tick that we may contact you"));
	assert_string_equal(reply_input(r, "contact"), "+66 81 234 5678");
	assert_true(reply_has(
		r, "name=\"contact_method\" value=\"phone\" checked"));

	static const char *const bad_category[] = {"category", "lottery", NULL};
	r = post_help(w, bad_category, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please choose what the problem is about."));
	assert_true(reply_has(r, defaults[7])); /* the description */

	static const char *const bad_country[] = {"country_work", "XX", NULL};
	r = post_help(w, bad_country, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "Please choose a country from the list."));

	assert_int_equal(count_cases(), before);

	/* Exactly 5000 characters is fine. */
	const char *const at_limit[] = {"description", long_text, NULL};
	r = post_help(w, at_limit, NULL, 0);
	assert_status(r, 201);
	assert_int_equal(count_cases(), before + 1);
	free(long_text);
	client_free(w);
}

/* Spaces are not a description, even ten of them. */
static void
test_blank_description_refused(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	int64_t before = count_cases();
	static const char *const blank[] = {"description", "            \r\n ",
					    NULL};
	struct reply *r = post_help(w, blank, NULL, 0);
	if (r->status != 400)
		print_error("a description of spaces was answered %ld\n",
			    r->status);
	assert_int_equal(r->status, 400);
	assert_int_equal(count_cases(), before);
	client_free(w);
}

static void
test_stale_form_and_honeypot_save_nothing(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	assert_status(client_get(w, "/help"), 200);
	int64_t before = count_cases();
	static const char *const f[] = {
		"description", "Stale form text that must come back 7f3a",
		"employer",    "Stale Employer",
		NULL,
	};
	struct reply *r = post_help_csrf(w, "not-the-token", f, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "This page was open for a long time."));
	assert_true(reply_has(r, "Stale form text that must come back 7f3a"));
	assert_string_equal(reply_input(r, "employer"), "Stale Employer");
	assert_int_equal(count_cases(), before);
	/* Without any token: the same. */
	r = post_help_csrf(w, NULL, f, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "Stale form text that must come back 7f3a"));
	assert_int_equal(count_cases(), before);
	/* The fresh token on that page works. */
	r = post_help(w, f, NULL, 0);
	assert_status(r, 201);
	assert_int_equal(count_cases(), before + 1);

	static const char *const robot[] = {
		"description", "Buy cheap watches at our web site now",
		"website",     "http://spam.example.invalid/",
		NULL,
	};
	r = post_help(w, robot, NULL, 0);
	assert_status(r, 400);
	assert_true(reply_has(r, "Leave this empty"));
	assert_true(reply_has(r, "Buy cheap watches at our web site now"));
	assert_int_equal(count_cases(), before + 1);
	client_free(w);
}

/* ---- evidence ----------------------------------------------------------- */

/* The first file the worker's case page lists. */
static int64_t
own_file(struct client *w)
{
	struct reply *r = client_get(w, "/track/case");
	assert_status(r, 200);
	int64_t id = int_after(r, "href=\"/track/files/");
	assert_true(id > 0);
	return id;
}

/* Downloads file `id`. */
static struct reply *
download_own_file(struct client *w, int64_t id)
{
	char path[64];
	snprintf(path, sizeof path, "/track/files/%lld", (long long)id);
	struct reply *r = client_get(w, path);
	assert_status(r, 200);
	return r;
}

/* A photo with GPS position, camera serial and comments. */
static void
test_upload_jpeg_is_cleaned(void **state)
{
	(void)state;
	struct client *w = client_new(side_start());
	struct form_part photo = {.name = "evidence",
				  .value = jpg,
				  .len = jpg_len,
				  .filename = "exif-gps.jpg",
				  .type = "image/jpeg"};
	struct receipt rc;
	submit(w, NULL, &photo, 1, &rc);
	assert_false(reply_has(&w->r, "these files were not added"));
	assert_int_equal(attachments_of(rc.id), 1);
	track_in(w, &rc);
	assert_true(reply_has(&w->r, "exif-gps.jpg"));
	other_attachment = own_file(w);
	struct reply *r = download_own_file(w, other_attachment);
	assert_true(r->len > 100);
	assert_memory_equal(r->body, "\xFF\xD8\xFF", 3);
	assert_true(bytes_have(jpg, jpg_len, "GPSLatitude")); /* it had it */
	assert_false(bytes_have(r->body, r->len, "GPSLatitude"));
	assert_false(bytes_have(r->body, r->len, "CANARY"));
	assert_false(bytes_have(r->body, r->len, "Exif"));
	/* Sealed at rest too. */
	assert_not_stored("CANARY-CAMERA-123");
	client_free(w);
	side_stop();
}

static void
test_upload_png_is_cleaned(void **state)
{
	(void)state;
	struct client *w = client_new(side_start());
	struct form_part image = {.name = "evidence",
				  .value = png,
				  .len = png_len,
				  .filename = "text-meta.png",
				  .type = "image/png"};
	struct receipt rc;
	submit(w, NULL, &image, 1, &rc);
	track_in(w, &rc);
	struct reply *r = download_own_file(w, own_file(w));
	assert_memory_equal(r->body, "\x89PNG", 4);
	assert_true(bytes_have(png, png_len, "CANARY-PNG"));
	assert_false(bytes_have(r->body, r->len, "CANARY-PNG"));
	assert_false(bytes_have(r->body, r->len, "GPSLatitude"));
	assert_true(bytes_have(r->body, r->len, "IDAT"));
	client_free(w);
	side_stop();
}

/* What a download says about itself. */
static void
test_download_headers(void **state)
{
	(void)state;
	struct client *w = client_new(side_start());
	struct form_part files[] = {
		{.name = "evidence",
		 .value = jpg,
		 .len = jpg_len,
		 .filename = "photo.jpg",
		 .type = "image/jpeg"},
		{.name = "evidence",
		 .value = pdf,
		 .len = pdf_len,
		 .filename = "contract.pdf",
		 .type = "application/pdf"},
	};
	struct receipt rc;
	submit(w, NULL, files, 2, &rc);
	track_in(w, &rc);
	int64_t first = int_after(&w->r, "href=\"/track/files/");
	assert_true(first > 0);
	static const char *const want[2][2] = {
		{"image/jpeg", "attachment; filename=\"evidence.jpg\""},
		{"application/pdf", "attachment; filename=\"evidence.pdf\""},
	};
	int bad = 0;
	for (int i = 0; i < 2; i++) {
		char path[64];
		snprintf(path, sizeof path, "/track/files/%lld",
			 (long long)first + i);
		struct reply *r = client_get(w, path);
		assert_status(r, 200);
		const char *type = reply_header(r, "Content-Type");
		const char *disp = reply_header(r, "Content-Disposition");
		if (type == NULL || !str_eq(type, want[i][0])) {
			print_error("%s: Content-Type \"%s\", expected "
				    "\"%s\"\n",
				    path, printable(type), want[i][0]);
			bad++;
		}
		if (disp == NULL || !str_eq(disp, want[i][1])) {
			print_error("%s: Content-Disposition \"%s\"\n", path,
				    printable(disp));
			bad++;
		}
		const char *cc = reply_header(r, "Cache-Control");
		if (cc == NULL || strstr(cc, "no-store") == NULL) {
			print_error("%s: Cache-Control \"%s\"\n", path,
				    printable(cc));
			bad++;
		}
	}
	client_free(w);
	side_stop();
	assert_int_equal(bad, 0);
}

/* Files that cannot be added are named; the case and the others are
 * kept. */
static void
test_upload_refusals_keep_the_case(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	struct receipt rc;
	/* Text named .jpg next to a PDF. */
	struct form_part mixed[] = {
		{.name = "evidence",
		 .value = txt,
		 .len = txt_len,
		 .filename = "not-a-photo.jpg",
		 .type = "image/jpeg"},
		{.name = "evidence",
		 .value = pdf,
		 .len = pdf_len,
		 .filename = "contract.pdf",
		 .type = "application/pdf"},
	};
	submit(w, NULL, mixed, 2, &rc);
	assert_true(reply_has(&w->r, "Your case is saved, but these files "
				     "were not added:"));
	assert_true(reply_has(&w->r, "not-a-photo.jpg: This kind of file "
				     "cannot be added."));
	assert_false(reply_has(&w->r, "contract.pdf:"));
	assert_int_equal(attachments_of(rc.id), 1);

	/* One byte over 5 MiB. */
	size_t big_len = 5u * 1024 * 1024 + 1;
	char *big = xmalloc(big_len);
	memset(big, 'a', big_len);
	memcpy(big, pdf, pdf_len);
	struct form_part with_big[] = {
		{.name = "evidence",
		 .value = big,
		 .len = big_len,
		 .filename = "big-scan.pdf",
		 .type = "application/pdf"},
		{.name = "evidence",
		 .value = pdf,
		 .len = pdf_len,
		 .filename = "small.pdf",
		 .type = "application/pdf"},
	};
	submit(w, NULL, with_big, 2, &rc);
	assert_true(reply_has(&w->r, "big-scan.pdf: This file is too big."));
	assert_int_equal(attachments_of(rc.id), 1);
	free(big);

	/* Six files: the sixth is one too many. */
	struct form_part six[6];
	static const char *const names[6] = {"p1.pdf", "p2.pdf", "p3.pdf",
					     "p4.pdf", "p5.pdf", "p6.pdf"};
	for (int i = 0; i < 6; i++)
		six[i] = (struct form_part){.name = "evidence",
					    .value = pdf,
					    .len = pdf_len,
					    .filename = names[i],
					    .type = "application/pdf"};
	submit(w, NULL, six, 6, &rc);
	assert_true(reply_has(&w->r, "p6.pdf: Too many files"));
	assert_false(reply_has(&w->r, "p5.pdf:"));
	assert_int_equal(attachments_of(rc.id), 5);
	client_free(w);
}

/*
 * Phones often name every photo the same ("image.jpg"): a file refused
 * must not take the good ones of the same name with it.
 */
static void
test_uploads_with_the_same_name(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	struct form_part same[] = {
		{.name = "evidence",
		 .value = jpg,
		 .len = jpg_len,
		 .filename = "image.jpg",
		 .type = "image/jpeg"},
		{.name = "evidence",
		 .value = txt,
		 .len = txt_len,
		 .filename = "image.jpg",
		 .type = "image/jpeg"},
	};
	struct receipt rc;
	submit(w, NULL, same, 2, &rc);
	assert_true(reply_has(&w->r, "image.jpg: This kind of file cannot"));
	int64_t n = attachments_of(rc.id);
	if (n != 1)
		print_error("a good photo was dropped with a refused file of "
			    "the same name: %lld attachment(s) saved, 1 "
			    "expected\n",
			    (long long)n);
	assert_int_equal(n, 1);
	client_free(w);
}

/* ---- danger ---------------------------------------------------------------
 */

static void
test_danger(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	static const char *const f[] = {
		"danger",      "1",
		"kind",        "assistance",
		"category",    "forced_labour",
		"description", "We are locked in the boat and cannot leave.",
		NULL,
	};
	struct receipt rc;
	submit(w, f, NULL, 0, &rc);
	struct reply *r = &w->r;
	assert_true(reply_has(r, "If you are in danger now, call:"));
	assert_true(reply_has(r, "href=\"tel:191\""));
	assert_true(reply_has(r, "href=\"tel:1300\""));
	char sql[128];
	snprintf(sql, sizeof sql,
		 "SELECT priority * 10 + danger FROM case_rec WHERE id = %lld",
		 (long long)rc.id);
	assert_int_equal(site_int(site, sql, NULL), 31); /* urgent, danger */

	/* First in the Thai focal point's inbox. */
	r = client_get(fp, "/cases");
	assert_status(r, 200);
	const char *body = strstr(r->body, "<tbody>");
	assert_non_null(body);
	const char *first = strstr(body, "<td><a href=\"/cases/");
	assert_non_null(first);
	assert_int_equal(
		strtoll(first + strlen("<td><a href=\"/cases/"), NULL, 10),
		rc.id);
	assert_true(reply_has(r, "row-danger"));

	/* The numbers, with where they come from. */
	r = client_get(w, "/help/danger?country=TH");
	assert_status(r, 200);
	assert_true(reply_has(r, "href=\"tel:191\""));
	assert_true(reply_has(r, "href=\"tel:1300\""));
	assert_true(reply_has(r, "<a href=\"https://www.royalthaipolice.go.th/"
				 "\" rel=\"noopener noreferrer\">"));
	assert_true(reply_has(r, "Source:"));
	assert_true(reply_has(r, "<option value=\"TH\" selected>"));
	/* A country that is not in the list: the general advice only. */
	r = client_get(w, "/help/danger?country=XX");
	assert_status(r, 200);
	assert_false(reply_has(r, "tel:"));
	assert_true(reply_has(r, "We have no numbers for this country yet."));
	assert_true(reply_has(r, "href=\"/help?danger=1\""));
	client_free(w);
}

/* ---- check my case --------------------------------------------------------
 */

static void
test_check_my_case(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	static const char *const f[] = {
		"description",
		"Tracking test: the overtime was never paid.",
		NULL,
	};
	struct receipt rc;
	submit(w, f, NULL, 0, &rc);

	/* Another browser, with the reference and PIN only. */
	struct client *t = client_new(srv);
	struct reply *r = client_get(t, "/track");
	assert_status(r, 200);
	r = client_post(t, "/track", "reference", rc.ref, "pin", rc.pin, NULL);
	assert_redirect(r, "/track/case");
	assert_non_null(reply_set_cookie(r, "atis_case"));
	r = client_get(t, "/track/case");
	assert_status(r, 200);
	assert_true(reply_has(r, rc.ref));
	assert_true(reply_has(r, "We have received your message. Someone will "
				 "read it soon."));
	assert_true(
		reply_has(r, "Tracking test: the overtime was never paid."));
	assert_true(reply_has(r, "We received your case."));
	assert_true(reply_has(r, "No messages yet."));
	const char *cc = reply_header(r, "Cache-Control");
	assert_true(cc != NULL && strstr(cc, "no-store") != NULL);

	/* The focal point writes, notes, verifies. */
	char note_canary[32], path[96];
	new_canary(note_canary);
	snprintf(path, sizeof path, "/cases/%lld", (long long)rc.id);
	assert_status(client_get(fp, path), 200);
	snprintf(path, sizeof path, "/cases/%lld/message", (long long)rc.id);
	assert_status(client_post(fp, path, "body",
				  "Hello, we called your employer today.",
				  NULL),
		      303);
	char note[96];
	snprintf(note, sizeof note, "Internal: worker may be at risk %s",
		 note_canary);
	snprintf(path, sizeof path, "/cases/%lld/note", (long long)rc.id);
	assert_status(client_post(fp, path, "note", note, NULL), 303);
	snprintf(path, sizeof path, "/cases/%lld/verify", (long long)rc.id);
	assert_status(client_post(fp, path, NULL), 303);
	snprintf(path, sizeof path, "/cases/%lld", (long long)rc.id);
	assert_true(reply_has(client_get(fp, path), note_canary));

	r = client_get(t, "/track/case");
	assert_status(r, 200);
	assert_true(reply_has(r, "Hello, we called your employer today."));
	assert_true(reply_has(r, "Your helper"));
	assert_true(reply_has(r, "A helper has read your case and will work "
				 "on it."));
	assert_true(reply_has(r, "A helper wrote to you."));
	assert_true(reply_has(r, "The status of your case changed. — "
				 "Verified"));
	assert_false(reply_has(r, note_canary));
	assert_false(reply_has(r, "Internal note"));
	assert_false(reply_has(r, "DEMO Focal Point")); /* nor who */

	/* A reply, then an empty one. */
	r = client_post(t, "/track/reply", "body", "Thank you, I am at home.",
			NULL);
	assert_redirect(r, "/track/case");
	assert_false(reply_has(r, note_canary));
	r = client_get(t, "/track/case");
	assert_status(r, 200);
	assert_true(reply_has(r, "Thank you, I am at home."));
	assert_true(reply_has(r, "You sent a message."));
	assert_false(reply_has(r, note_canary));
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM case_message m JOIN"
				  " case_rec c ON c.id = m.case_id WHERE"
				  " c.reference = ? AND m.user_id IS NULL",
				  rc.digits),
			 1);
	r = client_post(t, "/track/reply", "body", "   ", NULL);
	assert_status(r, 400);
	assert_true(reply_has(r, "Write a message or choose a file to send."));
	assert_false(reply_has(r, note_canary));
	assert_status(client_get(t, "/track"), 200);
	assert_false(reply_has(&t->r, note_canary));

	/* Another case's file is not this case's. */
	assert_true(other_attachment > 0);
	snprintf(path, sizeof path, "/track/files/%lld",
		 (long long)other_attachment);
	assert_status(client_get(t, path), 404);
	assert_status(client_get(t, "/track/files/999999"), 404);
	assert_status(client_get(t, "/track/files/abc"), 404);

	/* Without the cookie, or with a forged one: back to the form. */
	struct client *x = client_new(srv);
	assert_redirect(client_get(x, "/track/case"), "/track");
	snprintf(path, sizeof path, "/track/files/%lld",
		 (long long)other_attachment);
	assert_redirect(client_get(x, path), "/track");
	const char *sealed = client_cookie(t, "atis_case");
	assert_non_null(sealed);
	char forged[1024];
	snprintf(forged, sizeof forged, "%s", sealed);
	size_t mid = strlen(forged) / 2;
	forged[mid] = forged[mid] == 'A' ? 'B' : 'A';
	client_set_cookie(x, "atis_case", forged);
	assert_redirect(client_get(x, "/track/case"), "/track");
	client_set_cookie(x, "atis_case", "case:1:99999999999");
	assert_redirect(client_get(x, "/track/case"), "/track");
	client_free(x);

	/* Leaving: the case is closed on this browser. */
	assert_status(client_get(t, "/track/case"), 200);
	r = client_post(t, "/track/leave", NULL);
	assert_redirect(r, "/track");
	const char *left = client_cookie(t, "atis_case");
	assert_true(left == NULL || left[0] == '\0');
	assert_redirect(client_get(t, "/track/case"), "/track");
	/* A message typed after the access ended is kept through the PIN. */
	assert_status(client_get(t, "/track"), 200);
	r = client_post(t, "/track/reply", "body", "Typed after leaving 5c1d",
			NULL);
	assert_status(r, 403);
	assert_string_equal(reply_input(r, "body"), "Typed after leaving 5c1d");
	r = client_post(t, "/track", "reference", rc.ref, "pin", rc.pin, "body",
			"Typed after leaving 5c1d", NULL);
	assert_status(r, 200);
	assert_true(reply_has(r, "Typed after leaving 5c1d"));
	assert_false(reply_has(r, note_canary));

	/* The reference can be typed with spaces or without dashes. */
	struct client *u = client_new(srv);
	char spaced[16];
	snprintf(spaced, sizeof spaced, "%.3s %.3s %.4s", rc.digits,
		 rc.digits + 3, rc.digits + 6);
	assert_redirect(track_open(u, spaced, rc.pin), "/track/case");
	client_free(u);
	u = client_new(srv);
	char pin_digits[9];
	snprintf(pin_digits, sizeof pin_digits, "%.4s%.4s", rc.pin, rc.pin + 5);
	assert_redirect(track_open(u, rc.digits, pin_digits), "/track/case");
	client_free(u);
	client_free(t);
	client_free(w);
}

/* A rejected case: the worker reads that, in plain words, and neither
 * the reason nor staff's explanation. */
static void
test_rejection_seen_by_the_worker(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	struct receipt rc;
	submit(w, NULL, NULL, 0, &rc);
	char why_canary[32], why[96], path[64];
	new_canary(why_canary);
	snprintf(why, sizeof why, "Looks like a test message %s", why_canary);
	snprintf(path, sizeof path, "/cases/%lld", (long long)rc.id);
	assert_status(client_get(fp, path), 200);
	snprintf(path, sizeof path, "/cases/%lld/reject", (long long)rc.id);
	assert_status(client_post(fp, path, "reason", "spam", "why", why, NULL),
		      303);
	struct reply *r = track_in(w, &rc);
	assert_true(reply_has(r, "We could not take up this case."));
	assert_false(reply_has(r, why_canary));
	assert_false(strcasestr(r->body, "spam") != NULL);
	client_free(w);
}

/* The flash messages the worker's pages promise after a redirect. */
static void
test_worker_flash_messages(void **state)
{
	(void)state;
	struct client *w = client_new(srv);
	struct receipt rc;
	submit(w, NULL, NULL, 0, &rc);
	track_in(w, &rc);
	assert_redirect(client_post(w, "/track/reply", "body",
				    "A message for the flash test.", NULL),
			"/track/case");
	struct reply *r = client_get(w, "/track/case");
	assert_status(r, 200);
	if (!reply_has(r, "Sent. Thank you."))
		print_error("after a reply, /track/case does not say \"Sent. "
			    "Thank you.\"\n");
	bool sent = reply_has(r, "Sent. Thank you.");
	assert_redirect(client_post(w, "/track/leave", NULL), "/track");
	r = client_get(w, "/track");
	assert_status(r, 200);
	if (!reply_has(r, "You have left your case on this phone."))
		print_error(
			"after leaving, /track does not say \"You have left "
			"your case on this phone.\"\n");
	bool left = reply_has(r, "You have left your case on this phone.");
	client_free(w);
	assert_true(sent);
	assert_true(left);
}

static void
test_wrong_pins(void **state)
{
	(void)state;
	site_exec(site, "DELETE FROM throttle WHERE key LIKE 'pin-%'");
	struct client *w = client_new(srv);
	struct receipt rc;
	submit(w, NULL, NULL, 0, &rc);
	char wrong[16];
	snprintf(wrong, sizeof wrong, "%s", rc.pin);
	wrong[0] = wrong[0] == '9' ? '1' : (char)(wrong[0] + 1);

	struct client *t = client_new(srv);
	struct reply *r = track_open(t, rc.ref, wrong);
	assert_status(r, 403);
	assert_true(reply_has(r, "The reference number or the PIN is wrong."));
	assert_string_equal(reply_input(r, "reference"), rc.ref);
	assert_null(reply_set_cookie(r, "atis_case"));
	/* A PIN that is not 8 digits, and no PIN at all. */
	assert_status(track_open(t, rc.ref, "1234"), 403);

	/* A typo in the reference: the check digit catches it, and it
	 * costs no try. */
	char typo[16];
	snprintf(typo, sizeof typo, "%s", rc.ref);
	size_t last = strlen(typo) - 1;
	typo[last] = typo[last] == '9' ? '0' : (char)(typo[last] + 1);
	r = track_open(t, typo, rc.pin);
	assert_status(r, 400);
	assert_true(reply_has(r, "This reference number is not right."));
	assert_status(track_open(t, "12345", rc.pin), 400);
	assert_status(track_open(t, "abc-def-ghij", rc.pin), 400);

	/* Right after: the right PIN still opens it, and resets the
	 * count for the reference. */
	assert_redirect(track_open(t, rc.ref, rc.pin), "/track/case");
	client_clear_cookies(t);

	/* Five wrong PINs: then even the right one waits. */
	for (int i = 0; i < 5; i++)
		assert_status(track_open(t, rc.ref, wrong), 403);
	r = track_open(t, rc.ref, rc.pin);
	assert_status(r, 429);
	assert_true(reply_has(r, "Too many wrong tries."));
	assert_null(reply_set_cookie(r, "atis_case"));
	assert_redirect(client_get(t, "/track/case"), "/track");
	/* Other cases are not held up by it. */
	struct receipt rc2;
	submit(w, NULL, NULL, 0, &rc2);
	struct client *u = client_new(srv);
	assert_redirect(track_open(u, rc2.ref, rc2.pin), "/track/case");
	client_free(u);
	client_free(t);
	client_free(w);
}

/* ---- limits on a server of their own --------------------------------------
 */

static void
test_intake_limit_and_body_size(void **state)
{
	(void)state;
	site_exec(site, "DELETE FROM throttle WHERE key LIKE 'intake:%'");
	const char *env[] = {"ATIS_INTAKE_PER_HOUR=3", "ATIS_MAX_BODY=65536",
			     NULL};
	struct client *w = client_new(side_start_env(env));
	assert_status(client_get(w, "/help"), 200);
	int64_t before = count_cases();
	for (int i = 0; i < 3; i++)
		assert_status(post_help(w, NULL, NULL, 0), 201);
	static const char *const f[] = {
		"description", "The fourth case of the hour, typed with care.",
		"employer",    "Fourth Employer",
		NULL,
	};
	struct reply *r = post_help(w, f, NULL, 0);
	assert_status(r, 429);
	assert_true(reply_has(r, "Many cases were sent from this connection"));
	assert_true(reply_has(r, "The fourth case of the hour, typed with "
				 "care."));
	assert_string_equal(reply_input(r, "employer"), "Fourth Employer");
	assert_int_equal(count_cases(), before + 3);

	/* Over the body limit: the form comes back with what was typed
	 * (the files come last in it, and the server keeps the parts that
	 * arrived whole), and nothing is saved. */
	size_t n = 100 * 1024;
	char *blob = xmalloc(n);
	memset(blob, 'b', n);
	struct form_part file = {.name = "evidence",
				 .value = blob,
				 .len = n,
				 .filename = "huge.pdf",
				 .type = "application/pdf"};
	static const char *const typed[] = {
		"description", "Kept although the photo was far too big.",
		"employer",    "Big Photo Employer",
		NULL,
	};
	r = post_help(w, typed, &file, 1);
	assert_status(r, 413);
	assert_true(reply_has(r, "too big to send together"));
	assert_true(reply_has(r, "Kept although the photo was far too big."));
	assert_string_equal(reply_input(r, "employer"), "Big Photo Employer");
	free(blob);
	/* Past four times the limit the upload is refused whole. */
	n = 300 * 1024;
	blob = xmalloc(n);
	memset(blob, 'b', n);
	file.value = blob;
	file.len = n;
	r = post_help(w, NULL, &file, 1);
	assert_status(r, 413);
	assert_true(reply_has(r, "Too much was sent"));
	free(blob);
	assert_int_equal(count_cases(), before + 3);
	assert_status(client_get(w, "/healthz"), 200);
	client_free(w);
	side_stop();
}

/* Last: after it, this address may not try any PIN for an hour. */
static void
test_wrong_pins_from_one_address(void **state)
{
	(void)state;
	site_exec(site, "DELETE FROM throttle WHERE key LIKE 'pin-%'");
	struct client *w = client_new(srv);
	struct receipt rc;
	submit(w, NULL, NULL, 0, &rc);
	struct client *t = client_new(srv);
	for (int i = 0; i < 20; i++) {
		char nine[16], ref[11];
		snprintf(nine, sizeof nine, "%d%08d", 1 + i % 9,
			 (31337 + i) % 100000000);
		valid_reference(nine, ref);
		if (str_eq(ref, rc.digits))
			continue;
		struct reply *r = track_open(t, ref, "12345678");
		if (r->status != 403)
			print_error("try %d (%s)\n", i, ref);
		assert_status(r, 403);
	}
	struct reply *r = track_open(t, rc.ref, rc.pin);
	assert_status(r, 429);
	assert_true(reply_has(r, "Too many wrong tries."));
	client_free(t);
	client_free(w);
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
		cmocka_unit_test(test_help_form),
		cmocka_unit_test(test_submit_is_saved_before_the_receipt),
		cmocka_unit_test(test_canary_never_stored_plain),
		cmocka_unit_test(test_validation_keeps_what_was_typed),
		cmocka_unit_test(test_blank_description_refused),
		cmocka_unit_test(test_stale_form_and_honeypot_save_nothing),
		cmocka_unit_test(test_upload_jpeg_is_cleaned),
		cmocka_unit_test(test_upload_png_is_cleaned),
		cmocka_unit_test(test_upload_refusals_keep_the_case),
		cmocka_unit_test(test_download_headers),
		cmocka_unit_test(test_uploads_with_the_same_name),
		cmocka_unit_test(test_danger),
		cmocka_unit_test(test_check_my_case),
		cmocka_unit_test(test_rejection_seen_by_the_worker),
		cmocka_unit_test(test_worker_flash_messages),
		cmocka_unit_test(test_wrong_pins),
		cmocka_unit_test(test_intake_limit_and_body_size),
		cmocka_unit_test(test_wrong_pins_from_one_address),
		cmocka_unit_test(test_server_stops_cleanly),
	};
	return cmocka_run_group_tests_name("worker side", tests, setup,
					   teardown);
}
