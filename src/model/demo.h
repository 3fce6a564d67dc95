/*
 * demo.h — demo data: the secretariat and affiliates in PH, ID, MY, SG,
 * TH, VN, KH, MM and LA, a few partners, and users for every role.
 * Everything it makes says it is demo data (is_demo = 1, "DEMO" in names).
 */
#ifndef ATIS_MODEL_DEMO_H
#define ATIS_MODEL_DEMO_H

#include <stdio.h>

#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"
#include "model/case.h"

/* The password of every demo account: printed, and in README.md. */
#define DEMO_PASSWORD "demo-password-123"

/* Fills the database unless it holds demo data already (then ERR_EXISTS);
 * writes the demo logins to `out` either way. */
enum err demo_fill(struct db *db, const struct case_keys *k, FILE *out);
/* The demo cases and emergency numbers; `staff` works the cases. */
enum err demo_cases_fill(struct db *db, const struct case_keys *k,
			 const struct actor *staff);
/* True when the database holds demo data. */
int demo_present(struct db *db);

#endif
