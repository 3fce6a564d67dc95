/*
 * harness.h — what the HTTP tests share.
 *
 *   struct site    a demo database in a temporary folder (`atis init` and
 *                  `atis demo`), with the test's own connection to it for
 *                  setting things up and checking what was stored
 *   struct server  a real `atis serve` on that database, on a free port,
 *                  with environment overrides; stopped with SIGTERM
 *   struct client  a browser-like client over libcurl: its own cookies,
 *                  no proxy, redirects NOT followed (tests check 303 and
 *                  Location themselves)
 *   proc_run()     runs the atis binary with arguments (the CLI tests)
 *
 * The binary is $ATIS_BIN (default build/atis).  Ownership: site_new →
 * site_free, server_start → server_stop, client_new → client_free.  A
 * client's reply (client->r) and every string a reply_*() call returns
 * stay valid until that client's next request.  Helpers assert with
 * cmocka, so they are for use inside tests and group setups.
 *
 * Set ATIS_TEST_KEEP=1 to keep the temporary folders (their paths are
 * printed) and ATIS_TEST_VERBOSE=1 to print every server's log at the end.
 */
#ifndef ATIS_TESTS_HTTP_HARNESS_H
#define ATIS_TESTS_HTTP_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "db/db.h"

#define DEMO_PW "demo-password-123"
#define RA_EMAIL "admin@secretariat.demo.atis.invalid"
#define AA_PH_EMAIL "admin@ph.demo.atis.invalid"
#define FP_PH_EMAIL "focal@ph.demo.atis.invalid"
#define PU_MY_EMAIL "partner@ngo-my.demo.atis.invalid"

/* The path of the atis binary under test. */
const char *harness_bin(void);

/* ---- running the binary ---------------------------------------------- */

struct proc_result {
	int status; /* exit code; 128 + signal when killed */
	char *out;  /* all of standard output, NUL-terminated */
	char *err;  /* all of standard error */
};

/* Runs harness_bin() with `argv` (argv[0] is the first argument, NULL
 * ends it), `input` on standard input (NULL: empty).  Release with
 * proc_result_release. */
void proc_run(const char *const argv[], const char *input,
	      struct proc_result *OUT);
/* The same with `env` ("NAME=value", NULL-terminated) added to the
 * environment; other ATIS_* variables of ours are not passed on. */
void proc_run_env(const char *const argv[], const char *const env[],
		  const char *input, struct proc_result *OUT);
void proc_result_release(struct proc_result *r);

/* ---- a database -------------------------------------------------------- */

#define SITE_SECRETS 32

struct site {
	char dir[256];     /* the temporary folder */
	char db_path[300]; /* DIR/atis.db */
	struct db *db;     /* the test's connection (WAL: shared with serve) */
	/* TOTP secrets enrolled through the pages, by e-mail address. */
	struct {
		char email[128];
		char secret[48];
	} secrets[SITE_SECRETS];
	size_t nsecrets;
};

/* A new database, filled with the demo data when `demo`. */
struct site *site_new(bool demo);
void site_free(struct site *s);
/* The TOTP secret the pages showed for `email`, or NULL. */
const char *site_secret(const struct site *s, const char *email);
/* The integer a one-row query gives; `text_arg` (may be NULL) is bound
 * to its one `?` when given.  Asserts that there is a row. */
int64_t site_int(struct site *s, const char *sql, const char *text_arg);
/* How many audit entries of `action` were made by `label` (an e-mail
 * address, or a tool's name). */
int64_t site_audit_count(struct site *s, const char *action, const char *label);
/* Runs SQL on the test's connection and asserts it worked. */
void site_exec(struct site *s, const char *sql);

/* ---- a server ---------------------------------------------------------- */

struct server {
	pid_t pid;
	unsigned port;
	int stdout_fd;
	char log_path[300]; /* its standard error */
	struct site *site;
};

/*
 * Starts `atis serve --db SITE --listen 127.0.0.1:0` with ATIS_THREADS=2,
 * a generous ATIS_LOGIN_IP_MAX_FAILURES, then `env` ("NAME=value"
 * strings, NULL-terminated; may be NULL) on top.  Other ATIS_* variables
 * of the test's environment are not passed on.
 */
struct server *server_start(struct site *site, const char *const env[]);
/* SIGTERM, then waits; returns the exit status (0 is a clean stop, and
 * under ASan a leak makes it non-zero), printing the log when it is not
 * 0.  Frees the server.  NULL gives 0. */
int server_stop(struct server *srv);
/* Its standard error so far (caller frees). */
char *server_log(const struct server *srv);

/* ---- a client ---------------------------------------------------------- */

struct reply {
	long status;
	char *head; /* the response headers as received */
	size_t head_len;
	char *body;
	size_t len;
	char *scratch[64]; /* strings handed out by reply_*() */
	size_t nscratch;
};

struct client {
	struct server *srv;
	void *curl;          /* CURL * */
	void *headers;       /* struct curl_slist *: sent on every request */
	char csrf[64];       /* the last CSRF token a page carried */
	struct reply r;      /* the last reply */
	struct client *next; /* every live client, freed at exit at the
				latest (a failed assertion skips frees) */
};

struct client *client_new(struct server *srv);
void client_free(struct client *c);
/* Sends `line` ("Name: value") with every request from now on. */
void client_add_header(struct client *c, const char *line);
/* A cookie's value in the client's jar, or NULL (valid until the next
 * request). */
const char *client_cookie(struct client *c, const char *name);
/* Puts a cookie for the server into the jar. */
void client_set_cookie(struct client *c, const char *name, const char *value);
/* Empties the jar. */
void client_clear_cookies(struct client *c);

/*
 * One request.  `headers` (NULL-terminated, may be NULL) are sent on top
 * of the client's own; `body` of `len` bytes is sent when not NULL (with
 * `len` == (size_t)-1 meaning strlen).  Returns &c->r.
 */
struct reply *client_request(struct client *c, const char *method,
			     const char *path, const char *const headers[],
			     const char *body, size_t len);
struct reply *client_get(struct client *c, const char *path);
/* POSTs exactly the fields given: name, value, …, NULL (url-encoded). */
struct reply *client_post_form(struct client *c, const char *path, ...);
/* Like client_post_form with "csrf" = c->csrf (from the last page) first. */
struct reply *client_post(struct client *c, const char *path, ...);
/* Url-encodes name, value, … NULL into a new string (caller frees). */
char *form_encode(const char *first, ...);

/* A header's value (the first), or NULL. */
const char *reply_header(struct reply *r, const char *name);
bool reply_has(const struct reply *r, const char *needle);
/* The text between the first `open` and the next `close`, or NULL. */
const char *reply_between(struct reply *r, const char *open, const char *close);
/* The value="…" of the form control named `name` (HTML entities
 * decoded), or NULL. */
const char *reply_input(struct reply *r, const char *name);
/* The first Set-Cookie header that sets `name` (its whole value), or
 * NULL. */
const char *reply_set_cookie(struct reply *r, const char *name);

/* Asserts the status, printing the body when it is wrong. */
#define assert_status(r, want)                                                 \
	assert_reply_status((r), (want), __FILE__, __LINE__)
void assert_reply_status(const struct reply *r, long want, const char *file,
			 int line);
/* Asserts a 303 to exactly `location`. */
#define assert_redirect(r, location)                                           \
	assert_reply_redirect((r), (location), __FILE__, __LINE__)
void assert_reply_redirect(struct reply *r, const char *location,
			   const char *file, int line);

/* ---- signing in -------------------------------------------------------- */

/* GET /login, then POST the form; returns the reply to the POST. */
struct reply *client_login(struct client *c, const char *email,
			   const char *password);
/* The current 6-digit code for `secret`, `steps` steps of 30 s ahead. */
void totp_code(const char *secret, int steps, char out[7]);
/*
 * From /login/2fa (the client must be half signed in): enrols when the
 * page shows a new secret (remembered in the site), then posts the code.
 * Clears the account's last used step first (a test shortcut so an
 * account can sign in several times within 30 s).  Returns the reply to
 * the POST.
 */
struct reply *client_second_factor(struct client *c, const char *email);
/* Signs in completely (password, then a code where one is asked for)
 * and asserts the client ends on /staff. */
void client_sign_in(struct client *c, const char *email, const char *password);

/* ---- multipart forms and files ------------------------------------------ */

/* One part of a multipart/form-data body: a field (filename NULL) or a
 * file.  `len` 0 means strlen(value). */
struct form_part {
	const char *name;
	const char *value;
	size_t len;
	const char *filename; /* NULL: an ordinary field */
	const char *type;     /* a file's Content-Type; NULL: octet-stream */
};

/* POSTs exactly `parts` as multipart/form-data (no CSRF token is added:
 * pass it as a part).  Returns &c->r. */
struct reply *client_post_multipart(struct client *c, const char *path,
				    const struct form_part *parts,
				    size_t nparts);
/* The whole of a file (malloc'd, NUL-terminated past *OUT_len), or NULL
 * when it cannot be read. */
char *harness_read_file(const char *path, size_t *OUT_len);

#endif
