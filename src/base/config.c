#include "base/config.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/str.h"

/*
 * One table names every setting once: its INI section and key, its
 * environment variable, and where it lives in struct config.  Loading from
 * the file and from the environment both walk this table.
 */
enum kind { K_STR, K_INT };

struct setting {
	const char *section;
	const char *name;
	const char *env;
	enum kind kind;
	size_t offset;
	int64_t min, max;
};

#define STR(sec, nm, env, field)                                               \
	{                                                                      \
		sec, nm, env, K_STR, offsetof(struct config, field), 0, 0      \
	}
#define INT(sec, nm, env, field, lo, hi)                                       \
	{                                                                      \
		sec, nm, env, K_INT, offsetof(struct config, field), lo, hi    \
	}

static const struct setting settings[] = {
	STR("server", "listen", "ATIS_LISTEN", listen),
	STR("server", "public_url", "ATIS_PUBLIC_URL", public_url),
	STR("server", "trusted_proxy", "ATIS_TRUSTED_PROXY", trusted_proxy),
	INT("server", "threads", "ATIS_THREADS", threads, 1, 256),
	INT("server", "max_body", "ATIS_MAX_BODY", max_body, 1024,
	    1024 * 1024 * 1024),
	INT("server", "max_connections", "ATIS_MAX_CONNECTIONS",
	    max_connections, 4, 100000),
	INT("server", "max_field", "ATIS_MAX_FIELD", max_field, 256,
	    16 * 1024 * 1024),
	STR("database", "path", "ATIS_DB", db),
	STR("database", "key_file", "ATIS_KEY_FILE", key_file),
	STR("site", "default_language", "ATIS_DEFAULT_LANGUAGE",
	    default_language),
	INT("security", "session_idle_seconds", "ATIS_SESSION_IDLE_SECONDS",
	    session_idle, 1, 30 * 86400),
	INT("security", "session_absolute_seconds",
	    "ATIS_SESSION_ABSOLUTE_SECONDS", session_absolute, 1, 90 * 86400),
	INT("security", "login_max_failures", "ATIS_LOGIN_MAX_FAILURES",
	    login_max_failures, 1, 1000),
	INT("security", "login_lock_seconds", "ATIS_LOGIN_LOCK_SECONDS",
	    login_lock, 1, 86400 * 30),
	INT("security", "login_ip_max_failures", "ATIS_LOGIN_IP_MAX_FAILURES",
	    login_ip_max, 1, 100000),
	INT("security", "intake_per_hour", "ATIS_INTAKE_PER_HOUR",
	    intake_per_hour, 1, 100000),
	INT("cases", "escalation_seconds", "ATIS_ESCALATION_SECONDS",
	    escalation_seconds, 0, 86400),
	STR("log", "level", "ATIS_LOG_LEVEL", log_level),
};

static void
set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	set_str(&c->listen, "127.0.0.1:8080");
	set_str(&c->public_url, "");
	set_str(&c->db, "var/atis.db");
	set_str(&c->key_file, "");
	set_str(&c->default_language, "en");
	set_str(&c->trusted_proxy, "");
	set_str(&c->log_level, "info");
	c->threads = 4;
	/* Evidence: up to 5 files of 5 MiB each, with room for the form. */
	c->max_body = 26 * 1024 * 1024;
	c->max_connections = 1024;
	c->max_field = 64 * 1024;
	c->session_idle = 30 * 60;
	c->session_absolute = 12 * 3600;
	c->login_max_failures = 5;
	c->login_lock = 15 * 60;
	c->login_ip_max = 50;
	c->intake_per_hour = 20;
	c->escalation_seconds = 60;
}

void
config_release(struct config *c)
{
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (settings[i].kind == K_STR) {
			char **slot = (char **)((char *)c + settings[i].offset);
			free(*slot);
			*slot = NULL;
		}
}

static enum err
apply(struct config *c, const struct setting *s, const char *value,
      const char *where, struct buf *err)
{
	if (s->kind == K_STR) {
		set_str((char **)((char *)c + s->offset), value);
		return ERR_OK;
	}
	int64_t v;
	if (str_to_i64(value, s->min, s->max, &v)) {
		buf_printf(
			err,
			"%s: %s.%s must be a whole number from %lld to %lld, "
			"not \"%.40s\"",
			where, s->section, s->name, (long long)s->min,
			(long long)s->max, value);
		return ERR_INVALID;
	}
	*(int64_t *)((char *)c + s->offset) = v;
	return ERR_OK;
}

enum err
config_set(struct config *c, const char *section, const char *name,
	   const char *value, struct buf *err)
{
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		const struct setting *s = &settings[i];
		if (str_eq(s->section, section) && str_eq(s->name, name))
			return apply(c, s, value, "setting", err);
	}
	buf_printf(err, "unknown setting %s.%s", section, name);
	return ERR_INVALID;
}

/*
 * inih reads the file line by line through read_line(), which counts the
 * lines, so every message can say "FILE:LINE:".  Each problem gets its own
 * line in `err`; parsing goes on to report them all.
 */
struct file_ctx {
	struct config *c;
	const char *path;
	struct buf *err;
	FILE *fp;
	int line;
	int errors;
};

static char *
read_line(char *str, int num, void *stream)
{
	struct file_ctx *f = stream;
	char *s = fgets(str, num, f->fp);
	if (s != NULL)
		f->line++;
	return s;
}

static int
on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct file_ctx *f = user;
	char where[512];
	snprintf(where, sizeof where, "%s:%d", f->path, f->line);
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		const struct setting *s = &settings[i];
		if (str_eq(s->section, section) && str_eq(s->name, name)) {
			if (apply(f->c, s, value, where, f->err)) {
				buf_putc(f->err, '\n');
				f->errors++;
			}
			return 1;
		}
	}
	buf_printf(f->err, "%s: unknown setting [%s] %s\n", where, section,
		   name);
	f->errors++;
	return 1;
}

enum err
config_load_file(struct config *c, const char *path, struct buf *err)
{
	struct file_ctx f = {.c = c, .path = path, .err = err};
	f.fp = fopen(path, "r");
	if (f.fp == NULL) {
		buf_printf(err, "%s: cannot open the configuration file", path);
		return ERR_IO;
	}
	/* inih calls the handler for good lines and returns the number of
	 * the first line it could not parse; the handler never fails. */
	int bad = ini_parse_stream(read_line, &f, on_ini, &f);
	fclose(f.fp);
	if (bad > 0) {
		buf_printf(err,
			   "%s:%d: this line is not valid INI (use "
			   "name = value under a [section])\n",
			   path, bad);
		f.errors++;
	}
	if (f.errors == 0)
		return ERR_OK;
	/* One message a line, without a trailing newline. */
	if (err->len > 0 && err->data[err->len - 1] == '\n')
		err->data[--err->len] = '\0';
	return ERR_INVALID;
}

enum err
config_load_env(struct config *c, struct buf *err)
{
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		const char *v = getenv(settings[i].env);
		if (v != NULL &&
		    apply(c, &settings[i], v, settings[i].env, err))
			return ERR_INVALID;
	}
	return ERR_OK;
}

enum err
config_split_listen(const char *listen, char **OUT_addr, unsigned *OUT_port)
{
	const char *colon = strrchr(listen, ':');
	if (colon == NULL || colon == listen)
		return ERR_INVALID;
	int64_t port;
	if (str_to_i64(colon + 1, 0, 65535, &port))
		return ERR_INVALID;
	const char *a = listen;
	size_t n = (size_t)(colon - listen);
	if (a[0] == '[') {
		if (n < 3 || a[n - 1] != ']')
			return ERR_INVALID;
		a++;
		n -= 2;
	}
	*OUT_addr = xstrndup(a, n);
	*OUT_port = (unsigned)port;
	return ERR_OK;
}

enum err
config_finish(struct config *c, struct buf *err)
{
	char *addr;
	unsigned port;
	if (config_split_listen(c->listen, &addr, &port)) {
		buf_printf(
			err,
			"listen must look like 127.0.0.1:8080, not \"%.60s\"",
			c->listen);
		return ERR_INVALID;
	}
	free(addr);
	if (str_empty(c->db)) {
		buf_puts(err, "no database given (--db or [database] path)");
		return ERR_INVALID;
	}
	if (!str_empty(c->public_url) &&
	    !str_starts(c->public_url, "http://") &&
	    !str_starts(c->public_url, "https://")) {
		buf_puts(err, "public_url must start with http:// or https://");
		return ERR_INVALID;
	}
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	bool level_ok = false;
	for (size_t i = 0; i < 4; i++)
		level_ok |= str_eq(c->log_level, levels[i]);
	if (!level_ok) {
		buf_puts(err, "log level must be debug, info, warn or error");
		return ERR_INVALID;
	}
	c->https = str_starts(c->public_url, "https://");
	if (str_empty(c->key_file)) {
		size_t n = strlen(c->db) + 5;
		char *k = xmalloc(n);
		snprintf(k, n, "%s.key", c->db);
		free(c->key_file);
		c->key_file = k;
	}
	return ERR_OK;
}
