/*
 * case_internal.h — helpers shared by case.c, case_read.c, case_work.c
 * and case_list.c; nothing outside model/case*.c includes this.
 */
#ifndef ATIS_MODEL_CASE_INTERNAL_H
#define ATIS_MODEL_CASE_INTERNAL_H

#include "model/case.h"

const char *case_nz(const char *s);
/* Seals / opens a field; "" stays "".  Both return malloc'd text; a
 * field that will not open is logged (without its content) and read as
 * "". */
char *case_seal(const struct case_keys *k, const char *plain);
char *case_open(const struct case_keys *k, const char *sealed);
/* HMAC under the INDEX key of "purpose:value". */
void case_keyed_hash(const struct case_keys *k, const char *purpose,
		     const char *value, char out[CRYPTO_TOKEN_CHARS + 1]);
/* A timeline event; `detail` (may be NULL) is consumed. */
enum err case_event_add(struct db *db, int64_t case_id, int64_t user_id,
			const char *kind, bool public, json_t *detail,
			int64_t now);
/* An audit entry about case `id`; `detail` (may be NULL) is consumed. */
enum err case_audit(struct db *db, const struct actor *who, const char *action,
		    int64_t id, int64_t org_id, json_t *detail);
/* Adds (or, with `remove`, takes out: the contentless index needs the
 * text it was given) a case's searchable text. */
enum err case_fts_put(struct db *db, int64_t id, const char *description,
		      const char *employer, const char *agency, bool remove);

#endif
