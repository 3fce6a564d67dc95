/*
 * routing.h — which organisation receives a new case, and how many hours
 * it has to answer.
 *
 * Routing.  Without any rule a case goes to the affiliate (kind
 * 'affiliate', not archived, lowest id) of the worker's country of work,
 * else to the affiliate of the country of origin, else to the regional
 * secretariat.  A routing rule (country, "work" | "origin") → organisation
 * is tried just before the default of that country, so the full order is:
 * work rule, work affiliate, origin rule, origin affiliate, secretariat.
 * A rule pointing at an archived organisation is skipped.  There is at
 * most one rule per (country, applies_to).
 *
 * Deadlines.  Each organisation may set the hours it has to answer a case
 * of each priority (0 low, 1 normal, 2 high, 3 urgent); where it has not,
 * the defaults apply (336, 168, 72, 24 hours).  A value equal to the
 * default is not stored, so the organisation keeps following the default.
 *
 * Every change writes its audit entry in the same transaction:
 * "routing.create" / "routing.delete" (target_type "routing_rule", the
 * rule's organisation as target_org_id) and "deadline.update"
 * (target_type "organisation").  JSON results are new references the
 * caller decrefs.
 *
 * Note: the rule functions are routing_rule_create/_delete because
 * routing_create/routing_delete are the page handlers' names (web/app.h).
 */
#ifndef ATIS_MODEL_ROUTING_H
#define ATIS_MODEL_ROUTING_H

#include <jansson.h>
#include <stdint.h>

#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"
#include "model/check.h"

#define ROUTING_PRIORITIES 4   /* 0 low … 3 urgent */
#define ROUTING_HOURS_MAX 8760 /* one year */
#define ROUTING_RULES_MAX 1000 /* most rules routing_list returns */

/*
 * The organisation that should own a new case.  Country codes may be ""
 * or NULL (unknown): that country's steps are skipped.  *OUT_why (static
 * text) gets "rule_work", "affiliate_work", "rule_origin",
 * "affiliate_origin" or "secretariat".  ERR_NOTFOUND when there is not
 * even a secretariat; ERR_DB when the database fails.  A secretariat
 * that is archived still receives cases when it is the only one: a case
 * must never be lost.
 */
enum err routing_resolve(struct db *db, const char *country_work,
			 const char *country_origin, int64_t *OUT_org_id,
			 const char **OUT_why);

/* English words for a `why` of routing_resolve (translate for pages);
 * "" for anything else. */
const char *routing_why_label(const char *why);

/* The rules, by country then applies_to, as {id, country, applies_to,
 * org_id, org_name, org_country, org_archived, created_at}.  NULL only
 * when the database fails. */
json_t *routing_list(struct db *db);

/*
 * Adds the rule (country, applies_to) → org_id.  ERR_INVALID (see `c`:
 * "country", "applies_to" must be "work" or "origin", "org_id" must be an
 * organisation that exists and is not archived); ERR_EXISTS, with a
 * message for "country" in `c`, when that (country, applies_to) already
 * has a rule.  *OUT_id is the new rule's id.
 */
enum err routing_rule_create(struct db *db, const struct actor *who,
			     const char *country, const char *applies_to,
			     int64_t org_id, struct check *c, int64_t *OUT_id);
/* Removes a rule; the audit entry keeps what it said.  ERR_NOTFOUND. */
enum err routing_rule_delete(struct db *db, const struct actor *who,
			     int64_t id);

/* English label of a priority: "Low", "Normal", "High", "Urgent" (N_()
 * marked; translate for pages); "" outside 0 … 3. */
const char *routing_priority_label(int priority);
/* The default hours of a priority (clamped into 0 … 3). */
int64_t routing_default_hours(int priority);

/* Hours to answer a case of `priority` (clamped into 0 … 3) for
 * organisation org_id: its own value, else the default.  The default
 * also when the database fails (logged). */
int64_t routing_deadline_hours(struct db *db, int64_t org_id, int priority);

/* The four priorities of org_id as [{priority, label (English), hours,
 * default_hours, is_default}], low first.  NULL when the database
 * fails. */
json_t *routing_deadlines(struct db *db, int64_t org_id);

/*
 * Saves the four values (hours[p] for priority p), each 1 … 8760 hours;
 * a bad one gets a message in `c` for field "hours_P" (P the priority)
 * and ERR_INVALID, nothing written.  ERR_NOTFOUND when the organisation
 * does not exist.  Audits what changed as {"low": [old, new], …}; nothing
 * changed, no entry.
 */
enum err routing_deadlines_save(struct db *db, const struct actor *who,
				int64_t org_id,
				const int64_t hours[ROUTING_PRIORITIES],
				struct check *c);

#endif
