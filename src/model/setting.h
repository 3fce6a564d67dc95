/*
 * setting.h — site settings that admins change while ATIS runs (those
 * that need a restart live in the configuration file instead).
 */
#ifndef ATIS_MODEL_SETTING_H
#define ATIS_MODEL_SETTING_H

#include <stdbool.h>

#include "base/err.h"
#include "db/db.h"
#include "model/authz.h"

/* Every staff account must use two-factor login, not only admins. */
#define SETTING_REQUIRE_2FA_ALL "require_2fa_all"

bool setting_get_bool(struct db *db, const char *name);
enum err setting_set_bool(struct db *db, const struct actor *who,
			  const char *name, bool value);

#endif
