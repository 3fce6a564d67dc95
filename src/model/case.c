/*
 * Cases: the lists of choices, the workflow, intake, reference numbers and
 * PINs, and reading one case.  Staff actions are in case_work.c, the inbox
 * and what spans many cases in case_list.c.
 */
#include "model/case.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "model/audit.h"
#include "model/case_internal.h"
#include "model/routing.h"

/* clang-format off */
const struct case_choice case_kinds[] = {
	{"complaint", N_("Report a problem"), "⚠"},
	{"inquiry", N_("Ask a question"), "?"},
	{"assistance", N_("Ask for help (rescue, shelter, going home)"), "✚"},
	{NULL, NULL, NULL},
};

const struct case_choice case_categories[] = {
	{"wages", N_("Wages not paid or too low"), "💰"},
	{"contract_substitution", N_("Different contract from the one I signed"), "📄"},
	{"recruitment_fees", N_("Recruitment fees or debt"), "💸"},
	{"document_retention", N_("Passport or documents taken"), "🛂"},
	{"osh", N_("Safety and health at work"), "⛑"},
	{"abuse_violence", N_("Abuse or violence"), "✋"},
	{"forced_labour", N_("Forced work or trafficking"), "⛓"},
	{"social_security", N_("Social security, insurance, benefits"), "🏥"},
	{"immigration_status", N_("Visa, permit or immigration status"), "🪪"},
	{"repatriation", N_("Going home (repatriation)"), "✈"},
	{"death_injury", N_("Death or injury"), "🚑"},
	{"other", N_("Something else"), "…"},
	{NULL, NULL, NULL},
};

const struct case_choice case_sectors[] = {
	{"domestic_work", N_("Domestic work"), ""},
	{"construction", N_("Construction"), ""},
	{"manufacturing", N_("Factory or manufacturing"), ""},
	{"agriculture", N_("Farm or plantation"), ""},
	{"fishing", N_("Fishing or seafood"), ""},
	{"hospitality", N_("Hotel, restaurant or shop"), ""},
	{"care", N_("Care work"), ""},
	{"services", N_("Cleaning, security or other services"), ""},
	{"other", N_("Other work"), ""},
	{NULL, NULL, NULL},
};

const struct case_choice case_channels[] = {
	{"web", N_("Web form"), ""},
	{"hotline", N_("Hotline call"), ""},
	{"walk_in", N_("Walk-in at an office or hub"), ""},
	{"sms", N_("SMS"), ""},
	{"email", N_("E-mail"), ""},
	{"api", N_("Partner system"), ""},
	{"referral_in", N_("Referred by an organisation"), ""},
	{NULL, NULL, NULL},
};

const struct case_choice case_contact_methods[] = {
	{"none", N_("Do not contact me"), ""},
	{"phone", N_("Phone call or SMS"), "☎"},
	{"messaging", N_("Messaging app (WhatsApp, LINE, Viber, Messenger …)"), "💬"},
	{"email", N_("E-mail"), "✉"},
	{NULL, NULL, NULL},
};

const struct case_choice case_genders[] = {
	{"woman", N_("Woman"), ""},
	{"man", N_("Man"), ""},
	{"other", N_("Another answer"), ""},
	{NULL, NULL, NULL},
};

const struct case_choice case_remedies[] = {
	{"money_recovered", N_("Money recovered"), ""},
	{"reinstatement", N_("Job back (reinstatement)"), ""},
	{"repatriation", N_("Returned home safely"), ""},
	{"documents_returned", N_("Passport or documents returned"), ""},
	{"contract_corrected", N_("Contract corrected"), ""},
	{"legal_case_filed", N_("Legal case filed"), ""},
	{"compensation", N_("Compensation for injury or death"), ""},
	{"apology", N_("Apology or changed practice"), ""},
	{"other", N_("Other remedy"), ""},
	{"none", N_("No remedy obtained"), ""},
	{NULL, NULL, NULL},
};

const struct case_choice case_priorities[] = {
	{"0", N_("Low"), ""},
	{"1", N_("Normal"), ""},
	{"2", N_("High"), ""},
	{"3", N_("Urgent"), ""},
	{NULL, NULL, NULL},
};

static const struct {
	const char *name, *label, *plain;
} statuses[CASE_STATUS__MAX] = {
	[CASE_NEW] = {"new", N_("New"),
		N_("We have received your message. Someone will read it soon.")},
	[CASE_VERIFIED] = {"verified", N_("Verified"),
		N_("A helper has read your case and will work on it.")},
	[CASE_IN_PROGRESS] = {"in_progress", N_("In progress"),
		N_("Someone is working on your case.")},
	[CASE_REFERRED] = {"referred", N_("Referred"),
		N_("Your case was passed to an organisation that can help.")},
	[CASE_RESOLVED] = {"resolved", N_("Resolved"),
		N_("Your case is resolved. If the problem is not over, write to us below.")},
	[CASE_CLOSED] = {"closed", N_("Closed"),
		N_("Your case is closed. If you need more help, write to us below.")},
	[CASE_REJECTED] = {"rejected", N_("Rejected"),
		N_("We could not take up this case. You can send a new one at any time.")},
	[CASE_MERGED] = {"merged", N_("Merged"),
		N_("Your case was joined with another case about the same problem. We are working on them together.")},
};
/* clang-format on */

const struct case_choice *
case_choice_find(const struct case_choice *list, const char *name)
{
	if (name == NULL)
		return NULL;
	for (; list->name != NULL; list++)
		if (strcmp(list->name, name) == 0)
			return list;
	return NULL;
}

const char *
case_status_name(enum case_status s)
{
	return s > CASE_STATUS_NONE && s < CASE_STATUS__MAX ? statuses[s].name
							    : "";
}

enum case_status
case_status_parse(const char *name)
{
	for (int s = CASE_STATUS_NONE + 1; s < CASE_STATUS__MAX; s++)
		if (str_eq(statuses[s].name, name))
			return (enum case_status)s;
	return CASE_STATUS_NONE;
}

const char *
case_status_label(enum case_status s)
{
	return s > CASE_STATUS_NONE && s < CASE_STATUS__MAX ? statuses[s].label
							    : "";
}

const char *
case_status_plain(enum case_status s)
{
	return s > CASE_STATUS_NONE && s < CASE_STATUS__MAX ? statuses[s].plain
							    : "";
}

bool
case_status_open(enum case_status s)
{
	return s == CASE_NEW || s == CASE_VERIFIED || s == CASE_IN_PROGRESS ||
	       s == CASE_REFERRED;
}

bool
case_status_can_move(enum case_status from, enum case_status to)
{
	switch (from) {
	case CASE_NEW: return to == CASE_VERIFIED;
	case CASE_VERIFIED: return to == CASE_IN_PROGRESS;
	case CASE_IN_PROGRESS: return to == CASE_RESOLVED;
	case CASE_REFERRED:
		return to == CASE_IN_PROGRESS || to == CASE_RESOLVED;
	case CASE_RESOLVED: return to == CASE_CLOSED || to == CASE_IN_PROGRESS;
	case CASE_CLOSED: return to == CASE_IN_PROGRESS;
	case CASE_REJECTED: return to == CASE_NEW;
	case CASE_MERGED:
	case CASE_STATUS_NONE:
	case CASE_STATUS__MAX: return false;
	}
	return false;
}

/* ---- small helpers shared by the case files (case_internal.h) ---------- */

const char *
case_nz(const char *s)
{
	return s ? s : "";
}

char *
case_seal(const struct case_keys *k, const char *plain)
{
	if (str_empty(plain))
		return xstrdup("");
	return crypto_seal_text(k->field, plain);
}

char *
case_open(const struct case_keys *k, const char *sealed)
{
	if (str_empty(sealed))
		return xstrdup("");
	char *p = crypto_open_text(k->field, sealed);
	if (p == NULL) {
		/* Never the text: only that a field would not open. */
		log_error("case: a sealed field does not open with this key");
		return xstrdup("");
	}
	return p;
}

void
case_keyed_hash(const struct case_keys *k, const char *purpose,
		const char *value, char out[CRYPTO_TOKEN_CHARS + 1])
{
	struct buf b;
	buf_init(&b, 0);
	buf_printf(&b, "%s:%s", purpose, value);
	crypto_hmac_b64(k->index, buf_cstr(&b), b.len, out);
	crypto_wipe(b.data, b.len);
	buf_release(&b);
}

/* The contact in a canonical form, so that the same phone number typed
 * two ways hashes the same: digits only for phones, lower case for the
 * rest.  Caller frees. */
static char *
contact_canonical(const char *method, const char *contact)
{
	char *s = xstrdup(case_nz(contact));
	if (str_eq(method, "phone")) {
		char *w = s;
		for (const char *r = s; *r; r++)
			if (*r >= '0' && *r <= '9')
				*w++ = *r;
		*w = '\0';
	} else {
		str_lower(str_trim(s));
	}
	return s;
}

enum err
case_event_add(struct db *db, int64_t case_id, int64_t user_id,
	       const char *kind, bool public, json_t *detail, int64_t now)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	enum err rc = db_run(db,
			     "INSERT INTO case_event (case_id, at, user_id,"
			     " kind, public, detail)"
			     " VALUES (?, ?, NULLIF(?, 0), ?, ?, ?)",
			     "iiitit", case_id, now, user_id, kind,
			     (int64_t) public, text ? text : "");
	free(text);
	return rc;
}

enum err
case_audit(struct db *db, const struct actor *who, const char *action,
	   int64_t id, int64_t org_id, json_t *detail)
{
	char *text = detail ? json_dumps(detail, JSON_COMPACT) : NULL;
	json_decref(detail);
	struct audit_event ev = {
		.action = action,
		.target_type = "case",
		.target_id = id,
		.target_org_id = org_id,
		.detail = text,
	};
	enum err rc = audit_append(db, who, &ev);
	free(text);
	return rc;
}

enum err
case_fts_put(struct db *db, int64_t id, const char *description,
	     const char *employer, const char *agency, bool remove)
{
	struct buf b;
	buf_init(&b, 0);
	buf_printf(&b, "%s\n%s\n%s", case_nz(description), case_nz(employer),
		   case_nz(agency));
	enum err rc;
	if (remove)
		rc = db_run(db,
			    "INSERT INTO case_fts (case_fts, rowid, body)"
			    " VALUES ('delete', ?, ?)",
			    "it", id, buf_cstr(&b));
	else
		rc = db_run(db,
			    "INSERT INTO case_fts (rowid, body) VALUES (?, ?)",
			    "it", id, buf_cstr(&b));
	crypto_wipe(b.data, b.len);
	buf_release(&b);
	return rc;
}

/* ---- validation ---------------------------------------------------------- */

static bool
valid_month_or_date(const char *s)
{
	if (str_empty(s))
		return true;
	int y, m, d;
	char extra;
	size_t n = strlen(s);
	if (n == 7 && sscanf(s, "%4d-%2d%c", &y, &m, &extra) == 2)
		return y >= 1950 && y <= 2100 && m >= 1 && m <= 12;
	if (n == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3)
		return y >= 1950 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 &&
		       d <= 31;
	return false;
}

static void
check_choice(struct check *c, const char *field, const struct case_choice *list,
	     const char *value, bool required, const char *msgid)
{
	if (str_empty(value) ? required : case_choice_find(list, value) == NULL)
		check_fail(c, field, msgid);
}

/* Characters that are not spaces or line breaks. */
static size_t
letters(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80 && !strchr(" \t\r\n", *p))
			n++;
	return n;
}

bool
case_validate(const struct case_input *in, struct check *c)
{
	check_choice(c, "kind", case_kinds, in->kind, true,
		     N_("Please choose what you want to do."));
	check_choice(c, "category", case_categories, in->category, true,
		     N_("Please choose what the problem is about."));
	if (check_text(c, "description", in->description, true, CASE_TEXT_MAX,
		       true) &&
	    letters(in->description) < 10)
		check_fail(c, "description",
			   N_("Please tell us a little more: at least 10 "
			      "letters."));
	if (!str_empty(in->country_work))
		check_country(c, "country_work", in->country_work);
	if (!str_empty(in->country_origin))
		check_country(c, "country_origin", in->country_origin);
	check_choice(c, "sector", case_sectors, in->sector, false,
		     N_("Please choose a kind of work from the list."));
	check_text(c, "employer", in->employer, false, CASE_SHORT_MAX, false);
	check_text(c, "agency", in->agency, false, CASE_SHORT_MAX, false);
	if (!valid_month_or_date(in->started_on))
		check_fail(c, "started_on",
			   N_("Give a month like 2026-03, or leave it "
			      "empty."));
	check_choice(c, "gender", case_genders, in->gender, false,
		     N_("Please choose from the list."));
	check_text(c, "name", in->name, false, CASE_SHORT_MAX, false);
	check_choice(c, "contact_method", case_contact_methods,
		     in->contact_method, false,
		     N_("Please choose how we can reach you."));
	const char *method =
		str_empty(in->contact_method) ? "none" : in->contact_method;
	if (str_eq(method, "email")) {
		check_email(c, "contact", in->contact, true);
	} else if (str_eq(method, "phone")) {
		if (check_text(c, "contact", in->contact, true, 30, false)) {
			int digits = 0;
			bool bad = false;
			for (const char *p = in->contact; *p; p++) {
				if (*p >= '0' && *p <= '9')
					digits++;
				else if (!strchr("+-() .", *p))
					bad = true;
			}
			if (bad || digits < 6)
				check_fail(c, "contact",
					   N_("Write a phone number with its "
					      "digits, for example +66 81 234 "
					      "5678."));
		}
	} else if (str_eq(method, "messaging")) {
		check_text(c, "contact", in->contact, true, CASE_SHORT_MAX,
			   false);
	}
	if (!str_eq(method, "none") && !in->consent_contact &&
	    !check_message(c, "contact"))
		check_fail(c, "consent_contact",
			   N_("You gave a way to reach you: please tick that "
			      "we may contact you, or choose \"Do not contact "
			      "me\"."));
	check_choice(c, "channel", case_channels, in->channel, true,
		     N_("Please choose how the case came in."));
	return c->n == 0;
}

/* ---- references and PINs --------------------------------------------------
 */

/* The Damm algorithm's table: one check digit catches every single-digit
 * error and every swap of two neighbouring digits — the usual mistakes of
 * someone copying a number by hand or hearing it on the phone. */
static const unsigned char damm[10][10] = {
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

static int
damm_digit(const char *digits, size_t n)
{
	int interim = 0;
	for (size_t i = 0; i < n; i++)
		interim = damm[interim][digits[i] - '0'];
	return interim;
}

/* n random decimal digits, without modulo bias. */
static void
random_digits(char *out, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b;
		crypto_random(&b, 1);
		if (b >= 250)
			continue;
		out[i++] = (char)('0' + b % 10);
	}
	out[n] = '\0';
}

static void
new_reference(char out[CASE_REFERENCE_LEN + 1])
{
	do
		random_digits(out, CASE_REFERENCE_LEN - 1);
	while (out[0] == '0'); /* a leading zero gets lost when written */
	out[CASE_REFERENCE_LEN - 1] =
		(char)('0' + damm_digit(out, CASE_REFERENCE_LEN - 1));
	out[CASE_REFERENCE_LEN] = '\0';
}

void
case_reference_format(const char *ref, char out[16])
{
	if (strlen(ref) != CASE_REFERENCE_LEN) {
		snprintf(out, 16, "%s", ref);
		return;
	}
	snprintf(out, 16, "%.3s-%.3s-%.4s", ref, ref + 3, ref + 6);
}

bool
case_reference_parse(const char *typed, char OUT[CASE_REFERENCE_LEN + 1])
{
	size_t n = 0;
	for (const char *p = typed ? typed : ""; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n == CASE_REFERENCE_LEN)
				return false;
			OUT[n++] = *p;
		} else if (!strchr(" -.", *p)) {
			return false;
		}
	}
	OUT[n] = '\0';
	return n == CASE_REFERENCE_LEN && OUT[0] != '0' &&
	       damm_digit(OUT, n) == 0;
}

/* ---- throttles ------------------------------------------------------------
 */

/* Hits counted under `key` in the current window of `window` seconds. */
static int64_t
throttle_hits(struct db *db, const char *key, int64_t window, int64_t now)
{
	int64_t hits = 0;
	if (db_query_int(db, &hits,
			 "SELECT hits FROM throttle WHERE key = ? AND"
			 " window_start > ?",
			 "ti", key, now - window) != ERR_OK)
		return 0;
	return hits;
}

static enum err
throttle_hit(struct db *db, const char *key, int64_t window, int64_t now)
{
	return db_run(db,
		      "INSERT INTO throttle (key, hits, window_start)"
		      " VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET"
		      " hits = CASE WHEN throttle.window_start <= ? THEN 1"
		      "   ELSE throttle.hits + 1 END,"
		      " window_start = CASE WHEN throttle.window_start <= ?"
		      "   THEN ? ELSE throttle.window_start END",
		      "tiiii", key, now, now - window, now - window, now);
}

static void
throttle_key(const struct case_keys *k, const char *purpose, const char *value,
	     char out[CRYPTO_TOKEN_CHARS + 32])
{
	char h[CRYPTO_TOKEN_CHARS + 1];
	case_keyed_hash(k, purpose, value, h);
	snprintf(out, CRYPTO_TOKEN_CHARS + 32, "%s:%s", purpose, h);
}

#define PIN_WINDOW (15 * 60)
#define PIN_MAX_PER_REFERENCE 5
#define PIN_ADDR_WINDOW (60 * 60)
#define PIN_MAX_PER_ADDRESS 20

bool
case_intake_allowed(struct db *db, const struct case_keys *k,
		    const char *address, int per_hour, int64_t now)
{
	char key[CRYPTO_TOKEN_CHARS + 32];
	throttle_key(k, "intake", case_nz(address), key);
	if (throttle_hits(db, key, 3600, now) >= per_hour)
		return false;
	return throttle_hit(db, key, 3600, now) == ERR_OK;
}

/* A hash to verify against when the reference does not exist, so that
 * the answer takes as long as for a real one. */
static char dummy_hash[CRYPTO_PWHASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static struct crypto_key dummy_pepper;

static void
make_dummy(void)
{
	char pin[CASE_PIN_LEN + 1];
	crypto_random(dummy_pepper.bytes, sizeof dummy_pepper.bytes);
	random_digits(pin, CASE_PIN_LEN);
	if (crypto_pin_hash(&dummy_pepper, pin, dummy_hash))
		dummy_hash[0] = '\0';
}

enum err
case_pin_check(struct db *db, const struct case_keys *k, const char *reference,
	       const char *pin, const char *address, int64_t now,
	       int64_t *OUT_id)
{
	char ref[CASE_REFERENCE_LEN + 1];
	if (!case_reference_parse(reference, ref))
		return ERR_INVALID;
	char rkey[CRYPTO_TOKEN_CHARS + 32], akey[CRYPTO_TOKEN_CHARS + 32];
	throttle_key(k, "pin-ref", ref, rkey);
	throttle_key(k, "pin-addr", case_nz(address), akey);
	/* Each try is counted before the (slow) check, under the write
	 * lock, so that tries in parallel cannot pass the limit; a right PIN
	 * gives the reference's count back. */
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	if ((rc = throttle_hit(db, rkey, PIN_WINDOW, now)) ||
	    (rc = throttle_hit(db, akey, PIN_ADDR_WINDOW, now)) ||
	    (rc = db_commit(db))) {
		db_rollback(db);
		return rc;
	}
	if (throttle_hits(db, rkey, PIN_WINDOW, now) > PIN_MAX_PER_REFERENCE ||
	    throttle_hits(db, akey, PIN_ADDR_WINDOW, now) > PIN_MAX_PER_ADDRESS)
		return ERR_THROTTLED;

	int64_t id = 0;
	char hash[CRYPTO_PWHASH_MAX] = "";
	struct db_stmt *st = db_query(
		db, "SELECT id, pin_hash FROM case_rec WHERE reference = ?",
		"t", ref);
	if (st == NULL)
		return ERR_DB;
	if (db_step(st)) {
		id = db_col_int(st, 0);
		snprintf(hash, sizeof hash, "%s", case_nz(db_col_text(st, 1)));
	}
	rc = db_stmt_err(st);
	db_finalize(st);
	if (rc)
		return rc;

	bool ok;
	char digits[CASE_PIN_LEN + 1];
	size_t n = 0;
	bool shape = true;
	for (const char *p = case_nz(pin); *p; p++) {
		if (*p >= '0' && *p <= '9' && n < CASE_PIN_LEN)
			digits[n++] = *p;
		else if (*p != ' ' && *p != '-')
			shape = false;
	}
	digits[n] = '\0';
	if (id != 0) {
		ok = crypto_pin_verify(k->index, hash, digits) && shape &&
		     n == CASE_PIN_LEN;
	} else {
		pthread_once(&dummy_once, make_dummy);
		(void)crypto_pin_verify(&dummy_pepper, dummy_hash, digits);
		ok = false;
	}
	crypto_wipe(digits, sizeof digits);
	if (!ok)
		return ERR_DENIED;
	db_run(db, "DELETE FROM throttle WHERE key = ?", "t", rkey);
	db_run(db, "UPDATE throttle SET hits = hits - 1 WHERE key = ?", "t",
	       akey);
	*OUT_id = id;
	return ERR_OK;
}

/* ---- intake ---------------------------------------------------------------
 */

static int
initial_priority(const struct case_input *in)
{
	if (in->danger)
		return CASE_PRIORITY_URGENT;
	if (str_eq(in->category, "forced_labour") ||
	    str_eq(in->category, "abuse_violence") ||
	    str_eq(in->category, "death_injury") ||
	    str_eq(in->kind, "assistance"))
		return CASE_PRIORITY_HIGH;
	return CASE_PRIORITY_NORMAL;
}

enum err
case_create(struct db *db, const struct case_keys *k, const struct actor *who,
	    const struct case_input *in, struct check *c, int64_t *OUT_id,
	    char OUT_reference[CASE_REFERENCE_LEN + 1],
	    char OUT_pin[CASE_PIN_LEN + 1])
{
	if (!case_validate(in, c))
		return ERR_INVALID;
	int64_t now = (int64_t)time(NULL);
	const char *method =
		str_empty(in->contact_method) ? "none" : in->contact_method;
	bool has_contact = !str_eq(method, "none");

	/* The slow part (Argon2id) before the write lock is taken. */
	char pin_hash[CRYPTO_PWHASH_MAX];
	random_digits(OUT_pin, CASE_PIN_LEN);
	if (crypto_pin_hash(k->index, OUT_pin, pin_hash))
		return ERR_IO;
	char contact_hash[CRYPTO_TOKEN_CHARS + 1] = "";
	if (has_contact) {
		char *canon = contact_canonical(method, in->contact);
		case_keyed_hash(k, "contact", canon, contact_hash);
		crypto_wipe(canon, strlen(canon));
		free(canon);
	}
	char *name_s = case_seal(k, in->name);
	char *contact_s = case_seal(k, has_contact ? in->contact : "");
	char *desc_s = case_seal(k, in->description);
	int priority = initial_priority(in);

	enum err rc = db_begin_write(db);
	if (rc)
		goto out;
	int64_t org_id = 0;
	const char *why = "";
	if (in->owner_org_id != 0) {
		org_id = in->owner_org_id;
		why = "staff";
	} else if ((rc = routing_resolve(db, case_nz(in->country_work),
					 case_nz(in->country_origin), &org_id,
					 &why))) {
		log_error("case: no organisation to route a case to (%s)",
			  err_str(rc));
		goto fail;
	}
	char owner_country[3] = "";
	struct db_stmt *st =
		db_query(db, "SELECT country FROM organisation WHERE id = ?",
			 "i", org_id);
	if (st && db_step(st))
		snprintf(owner_country, sizeof owner_country, "%s",
			 case_nz(db_col_text(st, 0)));
	db_finalize(st);
	int64_t deadline =
		now + 3600 * routing_deadline_hours(db, org_id, priority);

	/* A new reference until one is free: with 10^9 of them, a second
	 * try is rare and a third rarer still. */
	for (int attempt = 0;; attempt++) {
		new_reference(OUT_reference);
		int64_t taken = 0;
		rc = db_query_int(db, &taken,
				  "SELECT count(*) FROM case_rec WHERE"
				  " reference = ?",
				  "t", OUT_reference);
		if (rc)
			goto fail;
		if (!taken)
			break;
		if (attempt == 20) {
			rc = ERR_EXISTS;
			goto fail;
		}
	}
	rc = db_query_int(
		db, OUT_id,
		"INSERT INTO case_rec (reference, pin_hash, kind, category,"
		" status, is_open, danger, priority, channel, country_work,"
		" country_origin, sector, employer, agency, started_on,"
		" language, gender, name_sealed, contact_method,"
		" contact_sealed, contact_hash, description_sealed,"
		" consent_contact, consent_share, owner_org_id, owner_country,"
		" created_by, deadline_at, is_demo, created_at, updated_at)"
		" VALUES (?, ?, ?, ?, 'new', 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
		" ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, ?, ?, ?)"
		" RETURNING id",
		"tttt"
		"ii"
		"tttttttttttttt"
		"iii"
		"t"
		"iiiii",
		OUT_reference, pin_hash, in->kind, in->category,
		(int64_t)in->danger, (int64_t)priority, in->channel,
		case_nz(in->country_work), case_nz(in->country_origin),
		case_nz(in->sector), case_nz(in->employer), case_nz(in->agency),
		case_nz(in->started_on),
		str_empty(in->language) ? "en" : in->language,
		case_nz(in->gender), name_s, method, contact_s, contact_hash,
		desc_s, (int64_t)(has_contact && in->consent_contact),
		(int64_t)in->consent_share, org_id, owner_country,
		who ? who->user_id : 0, deadline, (int64_t)in->is_demo, now,
		now);
	if (rc)
		goto fail;
	if ((rc = case_fts_put(db, *OUT_id, in->description, in->employer,
			       in->agency, false)))
		goto fail;
	json_t *d = json_pack("{ss ss ss sb si}", "channel", in->channel,
			      "routed", why, "kind", in->kind, "danger",
			      in->danger, "priority", priority);
	if ((rc = case_event_add(db, *OUT_id, who ? who->user_id : 0, "created",
				 true, json_deep_copy(d), now)) ||
	    (rc = case_audit(db, who, "case.create", *OUT_id, org_id, d)) ||
	    (rc = db_commit(db)))
		goto fail;
	goto out;
fail:
	db_rollback(db);
out:
	crypto_wipe(pin_hash, sizeof pin_hash);
	free(name_s);
	free(contact_s);
	free(desc_s);
	return rc;
}
