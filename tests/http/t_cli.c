/*
 * The command line: exit codes (0 ok, 1 failure, 2 misuse), messages,
 * and that a mistake never creates or changes a database.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/crypto.h"
#include "http/harness.h"

static struct site *site; /* with the demo data */

static int
setup(void **state)
{
	(void)state;
	site = site_new(true);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	site_free(site);
	return 0;
}

/* Runs atis with the arguments (NULL-terminated) and `input`. */
#define RUN(res, input, ...)                                                   \
	do {                                                                   \
		const char *argv_[] = {__VA_ARGS__, NULL};                     \
		proc_run(argv_, (input), (res));                               \
	} while (0)

static void
assert_has(const char *text, const char *needle)
{
	if (strstr(text, needle) == NULL)
		print_error("expected \"%s\" in:\n%s\n", needle, text);
	assert_non_null(strstr(text, needle));
}

/* Runs `atis CMD [SUB] --db PATH`. */
static void
run_on_db(const char *cmd, const char *sub, const char *path,
	  struct proc_result *OUT)
{
	const char *argv[5];
	size_t n = 0;
	argv[n++] = cmd;
	if (sub != NULL)
		argv[n++] = sub;
	argv[n++] = "--db";
	argv[n++] = path;
	argv[n] = NULL;
	proc_run(argv, NULL, OUT);
}

static bool
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void
test_usage(void **state)
{
	(void)state;
	struct proc_result r;
	const char *none[] = {NULL};
	proc_run(none, NULL, &r);
	assert_int_equal(r.status, 2);
	assert_has(r.err, "usage: atis");
	proc_result_release(&r);

	static const char *const helps[][3] = {
		{"--help", NULL, "usage: atis COMMAND"},
		{"serve", "--help", "usage: atis serve"},
		{"init", "--help", "usage: atis init"},
		{"migrate", "--help", "usage: atis migrate"},
		{"demo", "--help", "usage: atis demo"},
		{"audit", "--help", "usage: atis audit verify"},
		{"user", "--help", "usage: atis user add"},
		{"org", "--help", "usage: atis org add"},
	};
	for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++) {
		const char *argv[] = {helps[i][0], helps[i][1], NULL};
		proc_run(argv, NULL, &r);
		assert_int_equal(r.status, 0);
		assert_has(r.out, helps[i][2]);
		proc_result_release(&r);
	}
}

static void
test_misuse(void **state)
{
	(void)state;
	struct proc_result r;
	RUN(&r, NULL, "serve", "--bogus");
	assert_int_equal(r.status, 2);
	assert_has(r.err, "unknown option");
	proc_result_release(&r);
	RUN(&r, NULL, "frobnicate");
	assert_int_equal(r.status, 2);
	assert_has(r.err, "no command frobnicate");
	proc_result_release(&r);
	RUN(&r, NULL, "init", "--db", "x.db", "extra");
	assert_int_equal(r.status, 2);
	assert_has(r.err, "unexpected argument extra");
	proc_result_release(&r);
	RUN(&r, NULL, "init");
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	RUN(&r, NULL, "audit", "check");
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	RUN(&r, NULL, "user", "add", "--db", site->db_path, "--email",
	    "a@b.invalid", "--org", "1", "--role", "emperor",
	    "--password-stdin");
	assert_int_equal(r.status, 2);
	assert_has(r.err, "no such role");
	proc_result_release(&r);
	RUN(&r, NULL, "org", "add", "--db", site->db_path, "--name", "X",
	    "--kind", "club", "--country", "PH");
	assert_int_equal(r.status, 2);
	assert_has(r.err, "no such kind");
	proc_result_release(&r);
}

/* Settings from the environment are checked before anything starts. */
static void
test_bad_settings(void **state)
{
	(void)state;
	static const char *const bad[][2] = {
		{"ATIS_THREADS=0", "threads"},
		{"ATIS_THREADS=many", "threads"},
		{"ATIS_MAX_BODY=10", "max_body"},
		{"ATIS_SESSION_IDLE_SECONDS=-5", "session_idle_seconds"},
		{"ATIS_LISTEN=localhost", "listen"},
		{"ATIS_DEFAULT_LANGUAGE=xx", "not shipped"},
		{"ATIS_LOG_LEVEL=loud", "log level"},
		{"ATIS_PUBLIC_URL=ftp://x", "public_url"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *env[] = {bad[i][0], NULL};
		const char *argv[] = {"serve",    "--db",        site->db_path,
				      "--listen", "127.0.0.1:0", NULL};
		if (strncmp(bad[i][0], "ATIS_LISTEN=", 12) == 0)
			argv[3] = NULL; /* the flag would win over it */
		struct proc_result r;
		proc_run_env(argv, env, NULL, &r);
		if (r.status != 1)
			print_error("%s: exit %d\n", bad[i][0], r.status);
		assert_int_equal(r.status, 1);
		assert_has(r.err, bad[i][1]);
		proc_result_release(&r);
	}
}

static void
test_serve_without_database(void **state)
{
	(void)state;
	struct proc_result r;
	RUN(&r, NULL, "serve", "--db", "/nonexistent/x.db", "--listen",
	    "127.0.0.1:0");
	assert_true(r.status != 0);
	assert_has(r.err, "/nonexistent/x.db");
	assert_false(exists("/nonexistent/x.db"));
	proc_result_release(&r);

	/* In a folder that exists, a typo creates nothing either. */
	char path[400], wal[420], key[420];
	snprintf(path, sizeof path, "%s/typo.db", site->dir);
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(key, sizeof key, "%s.key", path);
	static const char *const cmds[][2] = {{"serve", NULL},
					      {"migrate", NULL},
					      {"demo", NULL},
					      {"audit", "verify"}};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		run_on_db(cmds[i][0], cmds[i][1], path, &r);
		assert_int_equal(r.status, 1);
		assert_has(r.err, "there is no database at");
		assert_false(exists(path));
		assert_false(exists(wal));
		assert_false(exists(key));
		proc_result_release(&r);
	}
}

static void
test_init_refuses_existing(void **state)
{
	(void)state;
	struct site *s = site_new(false);
	struct stat before, after;
	assert_int_equal(stat(s->db_path, &before), 0);
	struct proc_result r;
	RUN(&r, NULL, "init", "--db", s->db_path);
	assert_int_equal(r.status, 1);
	assert_has(r.err, "exists already");
	proc_result_release(&r);

	/* Without its key file too: the database is not overwritten and no
	 * new key is made for it. */
	char key[420];
	snprintf(key, sizeof key, "%s.key", s->db_path);
	assert_int_equal(unlink(key), 0);
	RUN(&r, NULL, "init", "--db", s->db_path);
	assert_int_equal(r.status, 1);
	assert_has(r.err, "already exists");
	assert_false(exists(key));
	proc_result_release(&r);
	assert_int_equal(stat(s->db_path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	site_free(s);

	/* A new one is made with its key, mode 0600. */
	char fresh[400];
	snprintf(fresh, sizeof fresh, "%s/fresh.db", site->dir);
	snprintf(key, sizeof key, "%s.key", fresh);
	RUN(&r, NULL, "init", "--db", fresh);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "schema version");
	struct stat ks;
	assert_int_equal(stat(key, &ks), 0);
	assert_int_equal(ks.st_mode & 0777, 0600);
	proc_result_release(&r);
	RUN(&r, NULL, "migrate", "--db", fresh);
	assert_int_equal(r.status, 0);
	assert_has(r.out, "up to date");
	proc_result_release(&r);
}

static void
test_corrupt_file(void **state)
{
	(void)state;
	char path[400];
	snprintf(path, sizeof path, "%s/corrupt.db", site->dir);
	unsigned char junk[8192];
	crypto_random(junk, sizeof junk);
	memcpy(junk, "not a database!", 15);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	static const char *const cmds[][2] = {{"serve", NULL},
					      {"migrate", NULL},
					      {"demo", NULL},
					      {"audit", "verify"}};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		struct proc_result r;
		run_on_db(cmds[i][0], cmds[i][1], path, &r);
		assert_int_equal(r.status, 1);
		assert_has(r.err, "is not a usable ATIS database");
		proc_result_release(&r);
	}
	/* Left as it was. */
	unsigned char back[sizeof junk + 1];
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, back, sizeof back), (ssize_t)sizeof junk);
	close(fd);
	assert_memory_equal(back, junk, sizeof junk);
}

/* An empty file is not a database either: commands that only read must
 * not turn it into one. */
static void
test_empty_file(void **state)
{
	(void)state;
	char path[400];
	snprintf(path, sizeof path, "%s/empty.db", site->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	static const char *const cmds[][2] = {{"audit", "verify"},
					      {"serve", NULL}};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		struct proc_result r;
		run_on_db(cmds[i][0], cmds[i][1], path, &r);
		assert_int_equal(r.status, 1);
		assert_true(r.err[0] != '\0');
		proc_result_release(&r);
		struct stat sb;
		assert_int_equal(stat(path, &sb), 0);
		if (sb.st_size != 0)
			print_error(
				"atis %s left %lld bytes in an empty file\n",
				cmds[i][0], (long long)sb.st_size);
		assert_int_equal(sb.st_size, 0);
	}
}

static void
test_user_add(void **state)
{
	(void)state;
	const char *email = "cli-user@example.invalid";
	struct proc_result r;
	RUN(&r, "short\n", "user", "add", "--db", site->db_path, "--email",
	    email, "--org", "DEMO Philippine Union Centre", "--role",
	    "focal_point", "--password-stdin");
	assert_int_equal(r.status, 1);
	assert_has(r.err, "at least 10 characters");
	proc_result_release(&r);
	assert_int_equal(
		site_int(site, "SELECT count(*) FROM app_user WHERE email = ?",
			 email),
		0);
	RUN(&r, NULL, "user", "add", "--db", site->db_path, "--email", email,
	    "--org", "DEMO Philippine Union Centre", "--role", "focal_point");
	assert_int_equal(r.status, 2);
	assert_has(r.err, "--password-stdin");
	proc_result_release(&r);
	RUN(&r, "long-enough-pw-1\n", "user", "add", "--db", site->db_path,
	    "--email", email, "--org", "No Such Organisation", "--role",
	    "focal_point", "--password-stdin");
	assert_int_equal(r.status, 1);
	assert_has(r.err, "no organisation");
	proc_result_release(&r);

	RUN(&r, "long-enough-pw-1\n", "user", "add", "--db", site->db_path,
	    "--email", email, "--org", "DEMO Philippine Union Centre", "--role",
	    "focal_point", "--name", "CLI User", "--password-stdin");
	assert_int_equal(r.status, 0);
	assert_has(r.out, "Added user");
	proc_result_release(&r);
	struct db_stmt *st = db_query(
		site->db,
		"SELECT u.password_hash, u.role, u.name, o.name FROM app_user u"
		" JOIN organisation o ON o.id = u.org_id WHERE u.email = ?",
		"t", email);
	assert_true(db_step(st));
	assert_true(
		crypto_password_verify(db_col_text(st, 0), "long-enough-pw-1"));
	assert_string_equal(db_col_text(st, 1), "focal_point");
	assert_string_equal(db_col_text(st, 2), "CLI User");
	assert_string_equal(db_col_text(st, 3), "DEMO Philippine Union Centre");
	db_finalize(st);
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM audit_log WHERE"
				  " action = 'user.create' AND actor_label ="
				  " 'atis user add' AND detail LIKE ?",
				  "%cli-user@example.invalid%"),
			 1);

	/* Once only; and a role must fit the organisation. */
	RUN(&r, "long-enough-pw-1\n", "user", "add", "--db", site->db_path,
	    "--email", email, "--org", "DEMO Philippine Union Centre", "--role",
	    "focal_point", "--password-stdin");
	assert_int_equal(r.status, 1);
	assert_has(r.err, "already an account");
	proc_result_release(&r);
	RUN(&r, "long-enough-pw-1\n", "user", "add", "--db", site->db_path,
	    "--email", "cli-2@example.invalid", "--org",
	    "DEMO Philippine Union Centre", "--role", "regional_admin",
	    "--password-stdin");
	assert_int_equal(r.status, 1);
	assert_has(r.err, "role");
	proc_result_release(&r);
}

static void
test_org_add(void **state)
{
	(void)state;
	static const char *const bad[] = {"XX", "PHL", "", "P"};
	struct proc_result r;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		RUN(&r, NULL, "org", "add", "--db", site->db_path, "--name",
		    "CLI Org", "--kind", "ngo", "--country", bad[i]);
		assert_int_equal(r.status, 1);
		assert_has(r.err, "country");
		proc_result_release(&r);
	}
	assert_int_equal(site_int(site,
				  "SELECT count(*) FROM organisation WHERE"
				  " name = 'CLI Org'",
				  NULL),
			 0);
	RUN(&r, NULL, "org", "add", "--db", site->db_path, "--name", "CLI Org",
	    "--kind", "ngo", "--country", "TH", "--languages", "th en");
	assert_int_equal(r.status, 0);
	assert_has(r.out, "Added organisation");
	proc_result_release(&r);
	RUN(&r, NULL, "org", "add", "--db", site->db_path, "--name", "CLI Org",
	    "--kind", "ngo", "--country", "TH");
	assert_int_equal(r.status, 1);
	assert_has(r.err, "already exists");
	proc_result_release(&r);
}

static void
test_audit_verify(void **state)
{
	(void)state;
	int64_t n = site_int(site, "SELECT count(*) FROM audit_log", NULL);
	assert_true(n > 10);
	struct proc_result r;
	RUN(&r, NULL, "audit", "verify", "--db", site->db_path);
	assert_int_equal(r.status, 0);
	char want[64];
	snprintf(want, sizeof want, "audit log intact: %lld entries",
		 (long long)n);
	assert_has(r.out, want);
	proc_result_release(&r);

	/* The database refuses changes … */
	assert_int_not_equal(db_exec(site->db, "UPDATE audit_log SET detail ="
					       " 'x' WHERE id = 5"),
			     ERR_OK);
	assert_int_not_equal(db_exec(site->db, "DELETE FROM audit_log"
					       " WHERE id = 5"),
			     ERR_OK);
	/* … and when someone gets past that, verify names the entry. */
	site_exec(site, "DROP TRIGGER audit_log_no_update");
	site_exec(site, "UPDATE audit_log SET detail = '{\"forged\":true}'"
			" WHERE id = 5");
	RUN(&r, NULL, "audit", "verify", "--db", site->db_path);
	assert_int_equal(r.status, 1);
	assert_has(r.out, "entry 5 is broken");
	assert_has(r.out, "4 entries before it are intact");
	proc_result_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_bad_settings),
		cmocka_unit_test(test_serve_without_database),
		cmocka_unit_test(test_init_refuses_existing),
		cmocka_unit_test(test_corrupt_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_user_add),
		cmocka_unit_test(test_org_add),
		cmocka_unit_test(test_audit_verify),
	};
	return cmocka_run_group_tests_name("command line", tests, setup,
					   teardown);
}
