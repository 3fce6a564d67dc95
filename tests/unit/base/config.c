/*
 * Tests for src/base/config.c: defaults, the INI file (values, unknown
 * keys, bad numbers, syntax errors, with "FILE:LINE:" messages), ATIS_*
 * environment variables, precedence, config_finish's checks and derived
 * values, and config_split_listen.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/config.h"

static const char *const env_names[] = {
	"ATIS_LISTEN",
	"ATIS_PUBLIC_URL",
	"ATIS_TRUSTED_PROXY",
	"ATIS_THREADS",
	"ATIS_MAX_BODY",
	"ATIS_MAX_FIELD",
	"ATIS_DB",
	"ATIS_KEY_FILE",
	"ATIS_DEFAULT_LANGUAGE",
	"ATIS_SESSION_IDLE_SECONDS",
	"ATIS_SESSION_ABSOLUTE_SECONDS",
	"ATIS_LOGIN_MAX_FAILURES",
	"ATIS_LOGIN_LOCK_SECONDS",
	"ATIS_LOGIN_IP_MAX_FAILURES",
	"ATIS_LOG_LEVEL",
};

struct fixture {
	char dir[64];
	char path[128]; /* dir/atis.ini */
	struct config c;
	struct buf err;
};

static void
clear_env(void)
{
	for (size_t i = 0; i < sizeof env_names / sizeof env_names[0]; i++)
		unsetenv(env_names[i]);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/atis-config-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/atis.ini", f->dir);
	clear_env();
	config_defaults(&f->c);
	buf_init(&f->err, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	clear_env();
	config_release(&f->c);
	buf_release(&f->err);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_defaults(void **state)
{
	struct fixture *f = *state;
	struct config *c = &f->c;
	assert_string_equal(c->listen, "127.0.0.1:8080");
	assert_string_equal(c->public_url, "");
	assert_string_equal(c->db, "var/atis.db");
	assert_string_equal(c->key_file, "");
	assert_string_equal(c->default_language, "en");
	assert_string_equal(c->trusted_proxy, "");
	assert_string_equal(c->log_level, "info");
	assert_int_equal(c->threads, 4);
	assert_int_equal(c->max_body, 26 * 1024 * 1024);
	assert_int_equal(c->max_connections, 1024);
	assert_int_equal(c->max_field, 64 * 1024);
	assert_int_equal(c->session_idle, 30 * 60);
	assert_int_equal(c->session_absolute, 12 * 3600);
	assert_int_equal(c->login_max_failures, 5);
	assert_int_equal(c->login_lock, 15 * 60);
	assert_int_equal(c->login_ip_max, 50);
	/* The defaults pass the final check as they are. */
	assert_int_equal(config_finish(c, &f->err), ERR_OK);
	assert_false(c->https);
	assert_string_equal(c->key_file, "var/atis.db.key");
	assert_int_equal(f->err.len, 0);
}

static void
test_file(void **state)
{
	struct fixture *f = *state;
	write_file(f->path, "; a comment\n"
			    "[server]\n"
			    "listen = 0.0.0.0:9000\n"
			    "public_url = https://atis.example.org\n"
			    "threads = 8\n"
			    "max_body = 1024\n"
			    "trusted_proxy = 10.0.0.1\n"
			    "\n"
			    "[database]\n"
			    "path = /srv/atis/atis.db\n"
			    "\n"
			    "[site]\n"
			    "default_language = th\n"
			    "[security]\n"
			    "session_idle_seconds = 600\n"
			    "session_absolute_seconds = 7200\n"
			    "login_max_failures = 3\n"
			    "login_lock_seconds = 60\n"
			    "login_ip_max_failures = 20\n"
			    "[log]\n"
			    "level = debug\n");
	assert_int_equal(config_load_file(&f->c, f->path, &f->err), ERR_OK);
	assert_int_equal(f->err.len, 0);
	struct config *c = &f->c;
	assert_string_equal(c->listen, "0.0.0.0:9000");
	assert_string_equal(c->public_url, "https://atis.example.org");
	assert_int_equal(c->threads, 8);
	assert_int_equal(c->max_body, 1024);
	assert_string_equal(c->trusted_proxy, "10.0.0.1");
	assert_string_equal(c->db, "/srv/atis/atis.db");
	assert_string_equal(c->default_language, "th");
	assert_int_equal(c->session_idle, 600);
	assert_int_equal(c->session_absolute, 7200);
	assert_int_equal(c->login_max_failures, 3);
	assert_int_equal(c->login_lock, 60);
	assert_int_equal(c->login_ip_max, 20);
	assert_string_equal(c->log_level, "debug");
	/* What the file does not name keeps its default. */
	assert_int_equal(c->max_field, 64 * 1024);
	assert_string_equal(c->key_file, "");
	assert_int_equal(config_finish(c, &f->err), ERR_OK);
	assert_true(c->https);
	assert_string_equal(c->key_file, "/srv/atis/atis.db.key");
}

static void
test_file_missing(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(config_load_file(&f->c, f->path, &f->err), ERR_IO);
	assert_non_null(strstr(buf_cstr(&f->err), f->path));
}

/* "FILE:LINE:" at the start, as config.h promises. */
static void
assert_where(const struct fixture *f, int line)
{
	char want[160];
	snprintf(want, sizeof want, "%s:%d:", f->path, line);
	if (strncmp(buf_cstr(&f->err), want, strlen(want)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"",
			 buf_cstr(&f->err), want);
}

static void
test_file_unknown_key(void **state)
{
	struct fixture *f = *state;
	write_file(f->path, "[server]\n"
			    "listen = 0.0.0.0:9000\n"
			    "colour = blue\n");
	assert_int_equal(config_load_file(&f->c, f->path, &f->err),
			 ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "colour"));
	assert_non_null(strstr(buf_cstr(&f->err), "server"));
	assert_where(f, 3);
}

static void
test_file_unknown_section(void **state)
{
	struct fixture *f = *state;
	write_file(f->path, "[serv]\nlisten = 0.0.0.0:9000\n");
	assert_int_equal(config_load_file(&f->c, f->path, &f->err),
			 ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "serv"));
	assert_where(f, 2);
	/* The key of the wrong section changed nothing. */
	assert_string_equal(f->c.listen, "127.0.0.1:8080");
}

static void
test_file_bad_number(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"abc", "0",  "257", "8x",
					  "",    "-4", "4.5"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[128];
		snprintf(text, sizeof text, "[server]\n\nthreads = %s\n",
			 bad[i]);
		write_file(f->path, text);
		buf_reset(&f->err);
		if (config_load_file(&f->c, f->path, &f->err) != ERR_INVALID)
			fail_msg("threads = %s was accepted", bad[i]);
		const char *m = buf_cstr(&f->err);
		assert_non_null(strstr(m, "server.threads"));
		assert_non_null(strstr(m, "from 1 to 256"));
		assert_where(f, 3);
		assert_int_equal(f->c.threads, 4);
	}
}

static void
test_file_syntax(void **state)
{
	struct fixture *f = *state;
	write_file(f->path, "[server]\n"
			    "listen = 0.0.0.0:9000\n"
			    "this is not ini\n");
	assert_int_equal(config_load_file(&f->c, f->path, &f->err),
			 ERR_INVALID);
	assert_where(f, 3);
}

/* Each problem is reported at its own line. */
static void
test_file_several_errors(void **state)
{
	struct fixture *f = *state;
	char want[160];
	write_file(f->path, "[server]\n"
			    "this is not ini\n"
			    "colour = blue\n"
			    "threads = many\n");
	assert_int_equal(config_load_file(&f->c, f->path, &f->err),
			 ERR_INVALID);
	const char *m = buf_cstr(&f->err);
	snprintf(want, sizeof want, "%s:3: ", f->path);
	const char *colour = strstr(m, want);
	if (colour == NULL || strstr(colour, "colour") == NULL)
		fail_msg("\"colour\" is not reported at line 3: \"%s\"", m);
	snprintf(want, sizeof want, "%s:4: ", f->path);
	const char *threads = strstr(m, want);
	if (threads == NULL || strstr(threads, "threads") == NULL)
		fail_msg("\"threads\" is not reported at line 4: \"%s\"", m);
}

static void
test_env(void **state)
{
	struct fixture *f = *state;
	setenv("ATIS_LISTEN", "[::1]:8443", 1);
	setenv("ATIS_THREADS", "16", 1);
	setenv("ATIS_DB", "/data/x.db", 1);
	setenv("ATIS_KEY_FILE", "/secrets/site.key", 1);
	setenv("ATIS_PUBLIC_URL", "http://localhost:8443", 1);
	setenv("ATIS_SESSION_IDLE_SECONDS", "60", 1);
	setenv("ATIS_LOG_LEVEL", "warn", 1);
	assert_int_equal(config_load_env(&f->c, &f->err), ERR_OK);
	assert_string_equal(f->c.listen, "[::1]:8443");
	assert_int_equal(f->c.threads, 16);
	assert_string_equal(f->c.db, "/data/x.db");
	assert_string_equal(f->c.key_file, "/secrets/site.key");
	assert_int_equal(f->c.session_idle, 60);
	assert_string_equal(f->c.log_level, "warn");
	assert_int_equal(f->c.max_body, 26 * 1024 * 1024); /* untouched */
	assert_int_equal(config_finish(&f->c, &f->err), ERR_OK);
	assert_false(f->c.https);
	/* An explicit key file is kept. */
	assert_string_equal(f->c.key_file, "/secrets/site.key");
}

static void
test_env_bad(void **state)
{
	struct fixture *f = *state;
	setenv("ATIS_LOGIN_MAX_FAILURES", "lots", 1);
	assert_int_equal(config_load_env(&f->c, &f->err), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "ATIS_LOGIN_MAX_FAILURES"));
	assert_non_null(strstr(buf_cstr(&f->err), "lots"));
	assert_int_equal(f->c.login_max_failures, 5);
	buf_reset(&f->err);
	setenv("ATIS_LOGIN_MAX_FAILURES", "1001", 1);
	assert_int_equal(config_load_env(&f->c, &f->err), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "1000"));
}

/* Defaults < file < environment < command line (config_set). */
static void
test_precedence(void **state)
{
	struct fixture *f = *state;
	write_file(f->path, "[server]\n"
			    "threads = 8\n"
			    "listen = 127.0.0.1:9001\n"
			    "max_field = 1000\n"
			    "[database]\n"
			    "path = from-file.db\n");
	setenv("ATIS_THREADS", "16", 1);
	setenv("ATIS_LISTEN", "127.0.0.1:9002", 1);
	assert_int_equal(config_load_file(&f->c, f->path, &f->err), ERR_OK);
	assert_int_equal(config_load_env(&f->c, &f->err), ERR_OK);
	assert_int_equal(config_set(&f->c, "server", "threads", "32", &f->err),
			 ERR_OK);
	assert_int_equal(f->c.threads, 32);                 /* flag */
	assert_string_equal(f->c.listen, "127.0.0.1:9002"); /* env */
	assert_int_equal(f->c.max_field, 1000);             /* file */
	assert_string_equal(f->c.db, "from-file.db");       /* file */
	assert_int_equal(f->c.max_body, 26 * 1024 * 1024);  /* default */
}

static void
test_set(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(config_set(&f->c, "database", "path", "a.db", &f->err),
			 ERR_OK);
	assert_string_equal(f->c.db, "a.db");
	assert_int_equal(config_set(&f->c, "server", "nope", "1", &f->err),
			 ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "nope"));
	buf_reset(&f->err);
	assert_int_equal(config_set(&f->c, "server", "threads", "0", &f->err),
			 ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "server.threads"));
	assert_int_equal(f->c.threads, 4);
}

static void
test_finish_https(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(config_set(&f->c, "server", "public_url",
				    "https://atis.example.org/", &f->err),
			 ERR_OK);
	assert_int_equal(config_finish(&f->c, &f->err), ERR_OK);
	assert_true(f->c.https);

	assert_int_equal(config_set(&f->c, "server", "public_url",
				    "http://atis.example.org/", &f->err),
			 ERR_OK);
	assert_int_equal(config_finish(&f->c, &f->err), ERR_OK);
	assert_false(f->c.https);

	assert_int_equal(config_set(&f->c, "server", "public_url",
				    "ftp://atis.example.org/", &f->err),
			 ERR_OK);
	assert_int_equal(config_finish(&f->c, &f->err), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "public_url"));
}

static void
test_finish_errors(void **state)
{
	struct fixture *f = *state;
	config_set(&f->c, "server", "listen", "8080", &f->err);
	assert_int_equal(config_finish(&f->c, &f->err), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "listen"));
	config_set(&f->c, "server", "listen", "127.0.0.1:8080", &f->err);

	buf_reset(&f->err);
	config_set(&f->c, "database", "path", "", &f->err);
	assert_int_equal(config_finish(&f->c, &f->err), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "database"));
	config_set(&f->c, "database", "path", "x.db", &f->err);

	buf_reset(&f->err);
	config_set(&f->c, "log", "level", "verbose", &f->err);
	assert_int_equal(config_finish(&f->c, &f->err), ERR_INVALID);
	assert_non_null(strstr(buf_cstr(&f->err), "log level"));
	config_set(&f->c, "log", "level", "error", &f->err);

	buf_reset(&f->err);
	assert_int_equal(config_finish(&f->c, &f->err), ERR_OK);
	assert_string_equal(f->c.key_file, "x.db.key");
}

static void
split_ok(const char *in, const char *addr, unsigned port)
{
	char *a = NULL;
	unsigned p = 99999;
	if (config_split_listen(in, &a, &p) != ERR_OK)
		fail_msg("\"%s\" was refused", in);
	assert_string_equal(a, addr);
	assert_int_equal(p, port);
	free(a);
}

static void
test_split_listen(void **state)
{
	(void)state;
	split_ok("127.0.0.1:8080", "127.0.0.1", 8080);
	split_ok("0.0.0.0:0", "0.0.0.0", 0);
	split_ok("localhost:65535", "localhost", 65535);
	split_ok("[::1]:8443", "::1", 8443);
	split_ok("[::]:80", "::", 80);
	split_ok("[2001:db8::1]:443", "2001:db8::1", 443);
	split_ok("[fe80::1%eth0]:8080", "fe80::1%eth0", 8080);

	static const char *const bad[] = {
		"8080",      ":8080",     "host:",    "host:65536",
		"host:-1",   "host:http", "host:80x", "host: 80",
		"[::1]8080", "[::1:8080", "[]:80",    "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *a = NULL;
		unsigned p;
		if (config_split_listen(bad[i], &a, &p) != ERR_INVALID)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_null(a);
	}
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_file),
		T(test_file_missing),
		T(test_file_unknown_key),
		T(test_file_unknown_section),
		T(test_file_bad_number),
		T(test_file_syntax),
		T(test_file_several_errors),
		T(test_env),
		T(test_env_bad),
		T(test_precedence),
		T(test_set),
		T(test_finish_https),
		T(test_finish_errors),
		cmocka_unit_test(test_split_listen),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
