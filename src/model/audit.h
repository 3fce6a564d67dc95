/*
 * audit.h — the append-only, hash-chained audit log.
 *
 * Each entry's hash is SHA-256 over the previous entry's hash and this
 * entry's fields, so changing, removing or re-ordering any entry breaks
 * the chain from there on; audit_verify() finds the first broken entry.
 * The database refuses UPDATE and DELETE on the table (triggers).
 *
 * audit_append() must run inside the caller's write transaction, so that a
 * change and its audit entry are committed together or not at all.
 */
#ifndef ATIS_MODEL_AUDIT_H
#define ATIS_MODEL_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"

struct audit_event {
	const char *action;      /* e.g. "login.ok", "user.update" */
	const char *target_type; /* "user", "organisation", "setting", "" */
	int64_t target_id;       /* 0 for none */
	int64_t target_org_id;   /* organisation the target belongs to */
	const char *detail;      /* JSON text, no secrets; NULL for "" */
};

enum err audit_append(struct db *db, const struct actor *who,
		      const struct audit_event *ev);

struct audit_filter {
	const char *action; /* exact action or a prefix ending in '.' */
	const char *actor;  /* substring of the actor's label */
	int64_t from, to;   /* [from, to) in seconds; 0 = open */
	/* only entries about this country's organisations, the secretariat
	 * excepted (what an affiliate admin may read) */
	const char *country;
	int64_t before_id; /* keyset paging: entries with id < this */
	int limit;
};

/* Appends matching entries, newest first, as JSON objects to `out` (an
 * array).  Sets *OUT_more when there are more beyond `limit`. */
enum err audit_list(struct db *db, const struct audit_filter *f, json_t *out,
		    int *OUT_more);

/*
 * Walks the whole chain.  ERR_OK: *OUT_count entries, all intact.
 * ERR_CORRUPT: *OUT_bad_id is the first entry whose hash or link is wrong
 * and `msg` says what is wrong with it.
 */
enum err audit_verify(struct db *db, int64_t *OUT_count, int64_t *OUT_bad_id,
		      struct buf *msg);

#endif
