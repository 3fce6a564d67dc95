#include "model/setting.h"

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "base/str.h"
#include "model/audit.h"

bool
setting_get_bool(struct db *db, const char *name)
{
	struct db_stmt *st = db_query(
		db, "SELECT value FROM setting WHERE name = ?", "t", name);
	bool v = false;
	if (st != NULL && db_step(st))
		v = str_eq(db_col_text(st, 0), "1");
	db_finalize(st);
	return v;
}

enum err
setting_set_bool(struct db *db, const struct actor *who, const char *name,
		 bool value)
{
	enum err rc = db_begin_write(db);
	if (rc)
		return rc;
	rc = db_run(db, "DELETE FROM setting WHERE name = ?", "t", name);
	if (rc == ERR_OK)
		rc = db_run(db,
			    "INSERT INTO setting (name, value, updated_at)"
			    " VALUES (?, ?, ?)",
			    "tti", name, value ? "1" : "0",
			    (int64_t)time(NULL));
	if (rc == ERR_OK) {
		char detail[128];
		snprintf(detail, sizeof detail, "{\"%s\":%s}", name,
			 value ? "true" : "false");
		struct audit_event ev = {"setting.update", "setting", 0, 0,
					 detail};
		rc = audit_append(db, who, &ev);
	}
	if (rc == ERR_OK)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}
