/*
 * migrate.h — numbered schema migrations.
 *
 * Migrations are the files src/db/migrations/NNNN_name.sql, compiled into
 * the binary.  A file NNNN_name.ENGINE.sql (ENGINE = sqlite or pg) holds
 * what only that engine understands (triggers, for instance) and runs right
 * after the common file of the same number.  In the text, `@ID@` becomes
 * the engine's auto-numbered primary key column type.  Each number runs in
 * one transaction and is recorded in schema_migrations.
 */
#ifndef ATIS_DB_MIGRATE_H
#define ATIS_DB_MIGRATE_H

#include "base/buf.h"
#include "base/err.h"
#include "db/db.h"

/* The highest migration number this binary knows. */
int db_migrations_latest(void);
/* The database's schema version; 0 for a database never migrated. */
enum err db_schema_version(struct db *db, int *OUT);
/* Applies every missing migration.  ERR_INVALID (with a message) when the
 * database is newer than this binary. */
enum err db_migrate(struct db *db, int *OUT_from, int *OUT_to, struct buf *msg);
/* ERR_OK when the schema is exactly current; else a message saying to run
 * `atis migrate` (older) or to upgrade atis (newer). */
enum err db_check_schema(struct db *db, struct buf *msg);

#endif
