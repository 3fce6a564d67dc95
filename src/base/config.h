/*
 * config.h — settings of a running ATIS.
 *
 * Precedence, lowest first: built-in defaults, the INI file (--config),
 * environment variables (ATIS_*), command-line flags.  docs/configuration.md
 * lists every key.  A struct config owns its strings; release with
 * config_release().
 */
#ifndef ATIS_BASE_CONFIG_H
#define ATIS_BASE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

struct config {
	char *listen;           /* ADDR:PORT; port 0 picks a free one */
	char *public_url;       /* https://… makes cookies Secure + __Host- */
	char *db;               /* SQLite file (PostgreSQL URL later) */
	char *key_file;         /* default: the database path + ".key" */
	char *default_language; /* BCP 47 tag of a shipped catalog */
	char *trusted_proxy;    /* address whose X-Forwarded-For is believed */
	char *log_level;        /* debug, info, warn, error */
	int64_t threads;
	int64_t max_body;           /* bytes */
	int64_t max_connections;    /* open at once */
	int64_t max_field;          /* bytes of one form field */
	int64_t session_idle;       /* seconds without a request */
	int64_t session_absolute;   /* seconds after login */
	int64_t login_max_failures; /* per account, before a lock */
	int64_t login_lock;         /* seconds an account stays locked */
	int64_t login_ip_max;       /* failures per address per lock window */
	int64_t intake_per_hour;    /* cases one address may send per hour */
	int64_t escalation_seconds; /* at most one escalation sweep this often
				     */
	bool https;                 /* derived from public_url */
};

void config_defaults(struct config *c);
/* Reads an INI file over the current values.  On a bad key or value
 * returns ERR_INVALID and appends "FILE:LINE: message" to `err`. */
enum err config_load_file(struct config *c, const char *path, struct buf *err);
/* Applies ATIS_* environment variables; ERR_INVALID with a message on a
 * bad value. */
enum err config_load_env(struct config *c, struct buf *err);
/* Sets one key ("section.name" or the env-style name) from a string. */
enum err config_set(struct config *c, const char *section, const char *name,
		    const char *value, struct buf *err);
/* Checks the whole and derives `https`; ERR_INVALID with a message. */
enum err config_finish(struct config *c, struct buf *err);
void config_release(struct config *c);

/* Splits "ADDR:PORT" ("[v6]:PORT" too); OUT_addr is malloc'd. */
enum err config_split_listen(const char *listen, char **OUT_addr,
			     unsigned *OUT_port);

#endif
