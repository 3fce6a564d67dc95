/*
 * case.h — cases: one inquiry, complaint or request for assistance, from
 * intake to remedy.  "case" is a C keyword, so the record is a case_rec,
 * in the code and in the database alike (GLOSSARY.md).
 *
 * What a worker wrote (name, contact, description, messages, notes, the
 * evidence) is sealed with the FIELD key before it reaches the database;
 * the contact also gets a keyed hash under the INDEX key for exact
 * look-ups, and the search index (case_fts) holds only keyed hashes of
 * trigrams.  Every change writes a timeline event and an audit entry in
 * the same transaction; staff reads write an audit entry too.
 *
 * Who may see or change a case is model/authz's business (AUTHZ_CASE_*);
 * these functions trust their caller on that, except case_list(), which
 * applies the actor's scope itself because it is the one query that
 * reaches many cases at once.
 */
#ifndef ATIS_MODEL_CASE_H
#define ATIS_MODEL_CASE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/crypto.h"
#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"
#include "model/check.h"

/* The keys a case needs: FIELD seals, INDEX hashes and peppers PINs. */
struct case_keys {
	const struct crypto_key *field;
	const struct crypto_key *index;
};

/* A named choice: the value stored and an English label to translate. */
struct case_choice {
	const char *name;
	const char *label;
	const char *icon; /* a symbol shown beside the label, or "" */
};

/* The lists behind the form's choices; each ends with {NULL}. */
extern const struct case_choice case_kinds[];      /* inquiry … */
extern const struct case_choice case_categories[]; /* wages … other */
extern const struct case_choice case_sectors[];
extern const struct case_choice case_channels[]; /* web, hotline … */
extern const struct case_choice case_contact_methods[];
extern const struct case_choice case_genders[];
extern const struct case_choice case_remedies[];
extern const struct case_choice case_priorities[]; /* "0".."3" */
/* The English label of `name` in `list`, or NULL when it is not there. */
const struct case_choice *case_choice_find(const struct case_choice *list,
					   const char *name);

enum case_status {
	CASE_STATUS_NONE = 0,
	CASE_NEW,
	CASE_VERIFIED,
	CASE_IN_PROGRESS,
	CASE_REFERRED,
	CASE_RESOLVED,
	CASE_CLOSED,
	CASE_REJECTED, /* as spam or duplicate */
	CASE_MERGED,   /* joined into another case */
	CASE_STATUS__MAX
};
const char *case_status_name(enum case_status s);
enum case_status case_status_parse(const char *name);
/* For staff pages: "In progress" … */
const char *case_status_label(enum case_status s);
/* For the worker, in plain words: what is happening with their case. */
const char *case_status_plain(enum case_status s);
/* Open: still to be worked (new, verified, in progress, referred). */
bool case_status_open(enum case_status s);
/*
 * The workflow: new → verified → in progress → resolved → closed, and
 * nothing else: no step is skipped.  "Referred" is entered by a referral
 * (and left for in progress or resolved); reopen takes a resolved or
 * closed case back to in progress, and a rejected one back to new.  Rejecting
 * and merging have their own functions.  True when `from` → `to` is a
 * move staff may make with case_set_status().
 */
bool case_status_can_move(enum case_status from, enum case_status to);

enum {
	CASE_PRIORITY_LOW,
	CASE_PRIORITY_NORMAL,
	CASE_PRIORITY_HIGH,
	CASE_PRIORITY_URGENT
};

#define CASE_TEXT_MAX 5000    /* what happened, a message, a note */
#define CASE_SHORT_MAX 200    /* employer, agency, names, places */
#define CASE_CONTACT_MAX 254  /* an e-mail address is the longest */
#define CASE_REFERENCE_LEN 10 /* digits; shown as 3-3-4 */
#define CASE_PIN_LEN 8

/* What intake collects, from the public form or staff.  Strings are
 * borrowed. */
struct case_input {
	const char *kind;     /* inquiry | complaint | assistance */
	const char *category; /* from case_categories */
	const char *description;
	const char *country_work;   /* ISO code or "" */
	const char *country_origin; /* ISO code or "" */
	const char *sector;         /* from case_sectors or "" */
	const char *employer;
	const char *agency;
	const char *started_on;     /* YYYY-MM or YYYY-MM-DD, or "" */
	const char *language;       /* the worker's preferred language tag */
	const char *gender;         /* from case_genders or "" */
	const char *name;           /* may be empty: anonymous */
	const char *contact_method; /* none | phone | email | messaging */
	const char *contact;
	bool consent_contact;
	bool consent_share;
	bool danger;
	const char *channel; /* web | hotline | walk_in | … */
	/* Staff intake: the organisation taking the case; 0 routes it by
	 * the rules (model/routing.h). */
	int64_t owner_org_id;
	bool is_demo;
};

/* Checks every field; fills `c` and returns false on any failure. */
bool case_validate(const struct case_input *in, struct check *c);

/*
 * Intake.  Validates, routes the case to its organisation (model/routing),
 * sets its priority (urgent when in danger) and deadline, seals what must
 * be sealed, indexes it, writes the "created" event and an audit entry, and
 * commits — all before returning, so a "received" page never lies.
 * OUT_reference gets the 10 digits, OUT_pin the 8-digit PIN, which is
 * stored only as a hash: show it once.  `who` is the staff member for
 * hotline and walk-in intake, or the public actor (ROLE_NONE).
 */
enum err case_create(struct db *db, const struct case_keys *k,
		     const struct actor *who, const struct case_input *in,
		     struct check *c, int64_t *OUT_id,
		     char OUT_reference[CASE_REFERENCE_LEN + 1],
		     char OUT_pin[CASE_PIN_LEN + 1]);

/* "4821553071" → "482-155-3071" (arena-free: into `out`). */
void case_reference_format(const char *ref, char out[16]);
/* Takes what a person typed ("482 155-3071"), keeps the digits, checks
 * the length and the check digit.  false when it cannot be a reference. */
bool case_reference_parse(const char *typed, char OUT[CASE_REFERENCE_LEN + 1]);

/*
 * "Check my case": reference and PIN → the case id.  Wrong guesses are
 * counted per reference and per address (a keyed hash of it), whether or
 * not the reference exists, and the answer takes the same time either way.
 *   ERR_OK        *OUT_id set
 *   ERR_INVALID   not a reference (typo: the check digit is wrong)
 *   ERR_DENIED    no such reference, or the wrong PIN
 *   ERR_THROTTLED too many wrong tries for this reference or address
 */
enum err case_pin_check(struct db *db, const struct case_keys *k,
			const char *reference, const char *pin,
			const char *address, int64_t now, int64_t *OUT_id);

/* True while `address` may submit another case (at most `per_hour`);
 * counts this attempt. */
bool case_intake_allowed(struct db *db, const struct case_keys *k,
			 const char *address, int per_hour, int64_t now);

/*
 * One case as JSON, with the sealed fields opened, or NULL when there is
 * none.  For staff: every field; for the worker (`for_worker`): only what
 * the worker may read (no assignee, no notes, no internal events).  The
 * caller decrefs.  Keys: id, reference, reference_text, kind, category,
 * status, danger, priority, channel, country_work, country_origin,
 * sector, employer, agency, started_on, language, gender, name,
 * contact_method, contact, description, consent_contact, consent_share,
 * owner_org_id, owner_country, owner_org_secretariat, owner_name,
 * assignee_id, assignee_name, merged_into, deadline_at, overdue,
 * escalated_at, remedy_*, created_at, updated_at, is_demo.
 */
json_t *case_get(struct db *db, const struct case_keys *k, int64_t id,
		 bool for_worker, int64_t now);

/* The organisation owning a case and its country, for authz. */
enum err case_owner(struct db *db, int64_t id, struct authz_target *OUT,
		    char country[3]);

/* The timeline, oldest first, with the events of cases merged into this
 * one; for_worker: public events only.  Events as {at, kind, user_name,
 * detail (object), case_reference}. */
json_t *case_timeline(struct db *db, int64_t id, bool for_worker);
/* Messages with the worker (opened), oldest first: {id, at, from_worker,
 * user_name, body}.  Includes those of merged cases for staff only. */
json_t *case_messages(struct db *db, const struct case_keys *k, int64_t id,
		      bool for_worker);
/* Internal notes (staff only), oldest first: {at, user_name, body}. */
json_t *case_notes(struct db *db, const struct case_keys *k, int64_t id);
/* Attachments without their bytes: {id, at, filename, mime, size,
 * internal, from_worker, stripped}; for_worker: not internal ones. */
json_t *case_attachments(struct db *db, const struct case_keys *k, int64_t id,
			 bool for_worker);
/* Face-to-face contacts: {on_date, place, who, summary, user_name}. */
json_t *case_contacts(struct db *db, const struct case_keys *k, int64_t id);

/* The bytes of attachment `att_id` of case `case_id` (malloc'd), its
 * type and file name (malloc'd); ERR_NOTFOUND when it is not that
 * case's, or internal and for_worker. */
enum err case_attachment_data(struct db *db, const struct case_keys *k,
			      int64_t case_id, int64_t att_id, bool for_worker,
			      void **OUT_data, size_t *OUT_len, char **OUT_mime,
			      char **OUT_filename);

/* Adds evidence (already checked and cleaned by model/evidence) to a
 * case, with an event and an audit entry.  `who` ROLE_NONE: the worker. */
enum err case_attach(struct db *db, const struct case_keys *k,
		     const struct actor *who, int64_t id, const char *filename,
		     const char *mime, const void *data, size_t len,
		     bool stripped, bool internal);

/* Staff actions; each checks the workflow and writes event + audit.
 * ERR_INVALID with a message in `c` when the move is not allowed. */
enum err case_verify(struct db *db, const struct actor *who, int64_t id,
		     struct check *c);
/* reason: spam | duplicate; `why` is kept as an internal note. */
enum err case_reject(struct db *db, const struct case_keys *k,
		     const struct actor *who, int64_t id, const char *reason,
		     const char *why, struct check *c);
enum err case_set_status(struct db *db, const struct actor *who, int64_t id,
			 enum case_status to, struct check *c);
/* assignee 0: nobody.  The assignee must be an active staff member of the
 * owning organisation (not a partner user). */
enum err case_assign(struct db *db, const struct actor *who, int64_t id,
		     int64_t assignee, struct check *c);
enum err case_set_priority(struct db *db, const struct actor *who, int64_t id,
			   int priority, struct check *c);
/* Triage: kind, category, sector, countries, employer, agency. */
enum err case_triage(struct db *db, const struct case_keys *k,
		     const struct actor *who, int64_t id,
		     const struct case_input *in, struct check *c);
/* A message to the worker (from staff: who->role != ROLE_NONE) or from the
 * worker (ROLE_NONE). */
enum err case_add_message(struct db *db, const struct case_keys *k,
			  const struct actor *who, int64_t id, const char *body,
			  struct check *c);
enum err case_add_note(struct db *db, const struct case_keys *k,
		       const struct actor *who, int64_t id, const char *body,
		       struct check *c);

struct case_remedy {
	const char *kind;     /* from case_remedies */
	const char *amount;   /* as typed: "1500" or "1500.50" */
	const char *currency; /* ISO 4217, three letters */
	const char *date;     /* YYYY-MM-DD */
	const char *note;
};
enum err case_record_remedy(struct db *db, const struct case_keys *k,
			    const struct actor *who, int64_t id,
			    const struct case_remedy *r, struct check *c);

struct case_meeting {
	const char *on_date; /* YYYY-MM-DD */
	const char *place;   /* a hub, an office, a shelter … */
	const char *who;     /* who took part */
	const char *summary;
};
enum err case_add_contact(struct db *db, const struct case_keys *k,
			  const struct actor *who, int64_t id,
			  const struct case_meeting *m, struct check *c);

/* Joins `dup` into `into`: dup becomes "merged", both keep their
 * histories, and into's page shows dup's.  Both must be open or new. */
enum err case_merge(struct db *db, const struct actor *who, int64_t into,
		    int64_t dup, struct check *c);

/* Cases that may be the same as `id`: the same contact (by its keyed
 * hash), or a very similar description among recent cases of the same
 * organisation.  {id, reference_text, status, reason, similarity}. */
json_t *case_duplicates(struct db *db, const struct case_keys *k, int64_t id);

/* Marks cases past their deadline as escalated (once each), with an event
 * and an audit entry.  Returns how many. */
int case_escalate_due(struct db *db, int64_t now);

/* Appends a "case.view" (or `action`) audit entry for a staff read. */
enum err case_audit_read(struct db *db, const struct actor *who, int64_t id,
			 int64_t org_id, const char *action);

#define CASE_LIST_COUNT_CAP 10000 /* counts stop here: "10000+" */

struct case_filter {
	const char *status;   /* a status, "open" (default) or "all" */
	const char *category; /* "" any */
	int priority;         /* -1 any */
	bool overdue;
	bool escalated;
	int64_t assignee; /* 0 any, -1 nobody, else that user */
	const char *channel;
	const char *country_work;
	const char *country_origin;
	const char *sector;
	const char *q;    /* words to search, a reference, phone or e-mail */
	const char *sort; /* "urgent" (default), "newest", "oldest" */
	int page;
	int per_page;
	int64_t now;
};

/*
 * The inbox: cases in the actor's scope (the secretariat: all; an
 * affiliate admin: their country's organisations; others: their own
 * organisation) that match `f`, as JSON objects (no sealed field is
 * opened) appended to `out`.  *OUT_total counts them, up to
 * CASE_LIST_COUNT_CAP + 1.  A word search is not counted: *OUT_total is
 * then the rows up to this page's end, plus one when there are more.
 */
enum err case_list(struct db *db, const struct case_keys *k,
		   const struct actor *who, const struct case_filter *f,
		   json_t *out, int64_t *OUT_total);

/* Staff of `org_id` a case may be assigned to: {id, name}. */
json_t *case_assignable(struct db *db, int64_t org_id);
/* The case with this reference (as typed), or 0. */
int64_t case_find_reference(struct db *db, const char *typed);

/* Counts for the staff home page, in the actor's scope: {new, open,
 * overdue, escalated, mine}. */
json_t *case_counts(struct db *db, const struct actor *who, int64_t now);

#endif
