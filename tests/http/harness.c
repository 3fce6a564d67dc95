/*
 * The HTTP test harness: temporary databases, real servers, a client.
 * See harness.h.
 */
#include "http/harness.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/mem.h"
#include "base/otp.h"
#include "base/str.h"

extern char **environ;

#define START_TIMEOUT_MS 60000
#define STOP_TIMEOUT_MS 60000

static struct client *live_clients;
static void client_free_all(void);

static void
harness_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	signal(SIGPIPE, SIG_IGN);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    crypto_init() || otp_init()) {
		fprintf(stderr,
			"harness: cannot start libcurl/libsodium/liboath\n");
		exit(1);
	}
	atexit(curl_global_cleanup);
	atexit(client_free_all); /* runs first */
}

const char *
harness_bin(void)
{
	const char *b = getenv("ATIS_BIN");
	return str_empty(b) ? "build/atis" : b;
}

static bool
env_flag(const char *name)
{
	const char *v = getenv(name);
	return v != NULL && str_eq(v, "1");
}

/*
 * The environment for a child: ours without any ATIS_* variable, then
 * `defaults`, then `extra` ("NAME=value"; a later one replaces an earlier
 * one of the same name).  Built before fork so the child only execs.
 */
static char **
child_env(const char *const defaults[], const char *const extra[])
{
	size_t n = 0, cap = 16;
	for (char **e = environ; *e; e++)
		cap++;
	for (size_t i = 0; defaults && defaults[i]; i++)
		cap++;
	for (size_t i = 0; extra && extra[i]; i++)
		cap++;
	char **env = xcalloc(cap, sizeof *env);
	for (char **e = environ; *e; e++)
		if (!str_starts(*e, "ATIS_"))
			env[n++] = *e;
	const char *const *lists[] = {defaults, extra};
	for (size_t l = 0; l < 2; l++) {
		for (size_t i = 0; lists[l] && lists[l][i]; i++) {
			const char *v = lists[l][i];
			size_t nlen = strcspn(v, "=");
			size_t k = 0;
			while (k < n && !(strncmp(env[k], v, nlen) == 0 &&
					  env[k][nlen] == '='))
				k++;
			env[k] = (char *)(uintptr_t)v;
			if (k == n)
				n++;
		}
	}
	env[n] = NULL;
	return env;
}

static char *
read_all(FILE *f)
{
	struct buf b;
	buf_init(&b, 0);
	char chunk[4096];
	size_t n;
	rewind(f);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	buf_putc(&b, '\0');
	size_t len;
	return buf_detach(&b, &len);
}

static int
exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return -1;
}

void
proc_run(const char *const argv[], const char *input, struct proc_result *OUT)
{
	proc_run_env(argv, NULL, input, OUT);
}

void
proc_run_env(const char *const argv[], const char *const extra_env[],
	     const char *input, struct proc_result *OUT)
{
	harness_init();
	const char *args[64];
	size_t n = 0;
	args[n++] = harness_bin();
	for (size_t i = 0; argv[i] && n < 63; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	char **env = child_env(NULL, extra_env);
	FILE *out = tmpfile(), *err = tmpfile();
	int in[2];
	assert_non_null(out);
	assert_non_null(err);
	assert_int_equal(pipe(in), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		close(in[0]);
		close(in[1]);
		execve(args[0], (char *const *)(uintptr_t)args, env);
		_exit(127);
	}
	close(in[0]);
	if (input != NULL) {
		size_t left = strlen(input);
		const char *p = input;
		while (left > 0) {
			ssize_t w = write(in[1], p, left);
			if (w <= 0)
				break; /* it did not read: fine */
			p += w;
			left -= (size_t)w;
		}
	}
	close(in[1]);
	int ws;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	OUT->status = exit_code(ws);
	OUT->out = read_all(out);
	OUT->err = read_all(err);
	fclose(out);
	fclose(err);
	free(env);
}

void
proc_result_release(struct proc_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}

/* ---- sites ------------------------------------------------------------- */

struct site *
site_new(bool demo)
{
	harness_init();
	struct site *s = xcalloc(1, sizeof *s);
	const char *tmp = getenv("TMPDIR");
	snprintf(s->dir, sizeof s->dir, "%s/atis-http-XXXXXX",
		 str_empty(tmp) ? "/tmp" : tmp);
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->db_path, sizeof s->db_path, "%s/atis.db", s->dir);
	if (env_flag("ATIS_TEST_KEEP"))
		fprintf(stderr, "harness: site in %s\n", s->dir);
	struct proc_result r;
	const char *init[] = {"init", "--db", s->db_path, NULL};
	proc_run(init, NULL, &r);
	if (r.status != 0)
		fprintf(stderr, "atis init: %s%s", r.out, r.err);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	if (demo) {
		const char *d[] = {"demo", "--db", s->db_path, NULL};
		proc_run(d, NULL, &r);
		if (r.status != 0)
			fprintf(stderr, "atis demo: %s%s", r.out, r.err);
		assert_int_equal(r.status, 0);
		proc_result_release(&r);
	}
	struct buf msg;
	buf_init(&msg, 0);
	if (db_open(s->db_path, DB_OPEN_EXISTING, &s->db, &msg))
		fprintf(stderr, "harness: %s\n", buf_cstr(&msg));
	buf_release(&msg);
	assert_non_null(s->db);
	return s;
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(path);
}

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	db_close(s->db);
	if (!env_flag("ATIS_TEST_KEEP"))
		nftw(s->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(s);
}

const char *
site_secret(const struct site *s, const char *email)
{
	for (size_t i = 0; i < s->nsecrets; i++)
		if (strcasecmp(s->secrets[i].email, email) == 0)
			return s->secrets[i].secret;
	return NULL;
}

static void
site_remember_secret(struct site *s, const char *email, const char *secret)
{
	size_t i = 0;
	while (i < s->nsecrets && strcasecmp(s->secrets[i].email, email) != 0)
		i++;
	assert_true(i < SITE_SECRETS);
	if (i == s->nsecrets)
		s->nsecrets++;
	snprintf(s->secrets[i].email, sizeof s->secrets[i].email, "%s", email);
	snprintf(s->secrets[i].secret, sizeof s->secrets[i].secret, "%s",
		 secret);
}

int64_t
site_int(struct site *s, const char *sql, const char *text_arg)
{
	int64_t v = 0;
	enum err rc = text_arg ? db_query_int(s->db, &v, sql, "t", text_arg)
			       : db_query_int(s->db, &v, sql, "");
	if (rc)
		fprintf(stderr, "harness: %s: %s (%s)\n", sql, err_str(rc),
			db_errmsg(s->db));
	assert_int_equal(rc, ERR_OK);
	return v;
}

int64_t
site_audit_count(struct site *s, const char *action, const char *label)
{
	int64_t n = 0;
	assert_int_equal(db_query_int(s->db, &n,
				      "SELECT count(*) FROM audit_log WHERE"
				      " action = ? AND actor_label = ?",
				      "tt", action, label),
			 ERR_OK);
	return n;
}

void
site_exec(struct site *s, const char *sql)
{
	enum err rc = db_exec(s->db, sql);
	if (rc)
		fprintf(stderr, "harness: %s: %s (%s)\n", sql, err_str(rc),
			db_errmsg(s->db));
	assert_int_equal(rc, ERR_OK);
}

/* ---- servers ----------------------------------------------------------- */

static void
print_log(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return;
	char *log = read_all(f);
	fclose(f);
	fprintf(stderr,
		"---- atis serve log (%s) ----\n%s---- end of log ----\n", path,
		log);
	free(log);
}

struct server *
server_start(struct site *site, const char *const env[])
{
	static int count;
	harness_init();
	struct server *srv = xcalloc(1, sizeof *srv);
	srv->site = site;
	snprintf(srv->log_path, sizeof srv->log_path, "%s/serve-%d.log",
		 site->dir, ++count);
	static const char *const defaults[] = {
		"ATIS_THREADS=2",
		"ATIS_LOGIN_IP_MAX_FAILURES=100000",
		"ATIS_ESCALATION_SECONDS=0",
		"ATIS_LOG_LEVEL=info",
		NULL,
	};
	char **envp = child_env(defaults, env);
	const char *args[] = {harness_bin(), "serve",    "--db",
			      site->db_path, "--listen", "127.0.0.1:0",
			      NULL};
	int out[2];
	assert_int_equal(pipe(out), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int log =
			open(srv->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(out[1], 1);
		if (log >= 0)
			dup2(log, 2);
		close(out[0]);
		close(out[1]);
		execve(args[0], (char *const *)(uintptr_t)args, envp);
		_exit(127);
	}
	free(envp);
	close(out[1]);
	srv->pid = pid;
	srv->stdout_fd = out[0];

	/* "ATIS is serving http://127.0.0.1:PORT/ (database …)" */
	char line[1024];
	size_t n = 0;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (n + 1 < sizeof line && memchr(line, '\n', n) == NULL) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long left = START_TIMEOUT_MS -
			    ((now.tv_sec - t0.tv_sec) * 1000 +
			     (now.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd p = {srv->stdout_fd, POLLIN, 0};
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t r = read(srv->stdout_fd, line + n, sizeof line - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	line[n] = '\0';
	static const char prefix[] = "ATIS is serving http://127.0.0.1:";
	const char *p = strstr(line, prefix);
	int64_t port = 0;
	if (p != NULL) {
		char digits[8] = "";
		p += strlen(prefix);
		size_t k = 0;
		while (k < sizeof digits - 1 && isdigit((unsigned char)p[k])) {
			digits[k] = p[k];
			k++;
		}
		digits[k] = '\0';
		if (str_to_i64(digits, 1, 65535, &port))
			port = 0;
	}
	if (port == 0) {
		fprintf(stderr, "harness: atis serve did not start: \"%s\"\n",
			line);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		print_log(srv->log_path);
		close(srv->stdout_fd);
		free(srv);
		fail_msg("atis serve did not start");
	}
	srv->port = (unsigned)port;
	return srv;
}

int
server_stop(struct server *srv)
{
	if (srv == NULL)
		return 0;
	kill(srv->pid, SIGTERM);
	int ws = 0;
	pid_t got = 0;
	for (int waited = 0; waited < STOP_TIMEOUT_MS; waited += 10) {
		got = waitpid(srv->pid, &ws, WNOHANG);
		if (got != 0)
			break;
		struct timespec ten = {0, 10 * 1000000};
		nanosleep(&ten, NULL);
	}
	int status;
	if (got == srv->pid) {
		status = exit_code(ws);
	} else {
		fprintf(stderr,
			"harness: atis serve did not stop on SIGTERM\n");
		kill(srv->pid, SIGKILL);
		waitpid(srv->pid, NULL, 0);
		status = -1;
	}
	if (status != 0)
		fprintf(stderr, "harness: atis serve exited with %d\n", status);
	if (status != 0 || env_flag("ATIS_TEST_VERBOSE"))
		print_log(srv->log_path);
	close(srv->stdout_fd);
	free(srv);
	return status;
}

char *
server_log(const struct server *srv)
{
	FILE *f = fopen(srv->log_path, "r");
	assert_non_null(f);
	char *log = read_all(f);
	fclose(f);
	return log;
}

/* ---- clients ----------------------------------------------------------- */

static void
reply_reset(struct reply *r)
{
	for (size_t i = 0; i < r->nscratch; i++)
		free(r->scratch[i]);
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof *r);
}

static const char *
reply_keep(struct reply *r, char *s)
{
	assert_true(r->nscratch < sizeof r->scratch / sizeof r->scratch[0]);
	r->scratch[r->nscratch++] = s;
	return s;
}

struct growing {
	char *data;
	size_t len;
};

static size_t
on_data(char *p, size_t size, size_t n, void *user)
{
	struct growing *g = user;
	size_t add = size * n;
	g->data = xrealloc(g->data, g->len + add + 1);
	memcpy(g->data + g->len, p, add);
	g->len += add;
	g->data[g->len] = '\0';
	return add;
}

static size_t
on_header(char *p, size_t size, size_t n, void *user)
{
	struct growing *g = user;
	/* A new block (after 100 Continue): keep only the last one. */
	if (size * n >= 5 && strncmp(p, "HTTP/", 5) == 0)
		g->len = 0;
	return on_data(p, size, n, user);
}

struct client *
client_new(struct server *srv)
{
	harness_init();
	struct client *c = xcalloc(1, sizeof *c);
	c->srv = srv;
	CURL *h = curl_easy_init();
	assert_non_null(h);
	curl_easy_setopt(h, CURLOPT_COOKIEFILE, "");
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	/* Paths go as written: "/static/../x" must reach the server. */
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	c->curl = h;
	/* Bodies go at once, without waiting for 100 Continue. */
	client_add_header(c, "Expect:");
	c->next = live_clients;
	live_clients = c;
	return c;
}

void
client_free(struct client *c)
{
	if (c == NULL)
		return;
	struct client **p = &live_clients;
	while (*p != NULL && *p != c)
		p = &(*p)->next;
	if (*p == c)
		*p = c->next;
	reply_reset(&c->r);
	curl_slist_free_all(c->headers);
	curl_easy_cleanup(c->curl);
	free(c);
}

static void
client_free_all(void)
{
	while (live_clients != NULL)
		client_free(live_clients);
}

void
client_add_header(struct client *c, const char *line)
{
	struct curl_slist *l = curl_slist_append(c->headers, line);
	assert_non_null(l);
	c->headers = l;
}

const char *
client_cookie(struct client *c, const char *name)
{
	struct curl_slist *list = NULL;
	curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list);
	const char *found = NULL;
	for (struct curl_slist *l = list; l && !found; l = l->next) {
		/* domain flag path secure expiry name value */
		const char *f = l->data;
		for (int i = 0; i < 5 && f; i++) {
			f = strchr(f, '\t');
			if (f)
				f++;
		}
		if (f == NULL)
			continue;
		size_t nlen = strcspn(f, "\t");
		if (nlen == strlen(name) && strncmp(f, name, nlen) == 0 &&
		    f[nlen] == '\t')
			found = reply_keep(&c->r, xstrdup(f + nlen + 1));
	}
	curl_slist_free_all(list);
	return found;
}

void
client_set_cookie(struct client *c, const char *name, const char *value)
{
	char line[1024];
	snprintf(line, sizeof line, "127.0.0.1\tFALSE\t/\tFALSE\t0\t%s\t%s",
		 name, value);
	curl_easy_setopt(c->curl, CURLOPT_COOKIELIST, line);
}

void
client_clear_cookies(struct client *c)
{
	curl_easy_setopt(c->curl, CURLOPT_COOKIELIST, "ALL");
}

/* Copies the CSRF token of the page just received, if it has a form. */
static void
note_csrf(struct client *c)
{
	static const char mark[] = "name=\"csrf\" value=\"";
	const char *p = c->r.body ? strstr(c->r.body, mark) : NULL;
	if (p == NULL)
		return;
	p += strlen(mark);
	size_t n = strcspn(p, "\"");
	if (n < sizeof c->csrf)
		snprintf(c->csrf, sizeof c->csrf, "%.*s", (int)n, p);
}

struct reply *
client_request(struct client *c, const char *method, const char *path,
	       const char *const headers[], const char *body, size_t len)
{
	CURL *h = c->curl;
	reply_reset(&c->r);
	char url[2048];
	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", c->srv->port, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	struct curl_slist *hl = NULL;
	for (struct curl_slist *l = c->headers; l; l = l->next)
		hl = curl_slist_append(hl, l->data);
	for (size_t i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	if (body != NULL) {
		if (len == (size_t)-1)
			len = strlen(body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	}
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0 &&
		 !(strcmp(method, "POST") == 0 && body != NULL))
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	struct growing hd = {0}, bd = {0};
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &hd);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &bd);
	CURLcode rc = curl_easy_perform(h);
	curl_slist_free_all(hl);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
	c->r.head = hd.data ? hd.data : xstrdup("");
	c->r.head_len = hd.len;
	c->r.body = bd.data ? bd.data : xstrdup("");
	c->r.len = bd.len;
	if (rc != CURLE_OK) {
		print_message("harness: %s %s: %s\n", method, path,
			      curl_easy_strerror(rc));
		c->r.status = 0;
		return &c->r;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->r.status);
	note_csrf(c);
	return &c->r;
}

struct reply *
client_get(struct client *c, const char *path)
{
	return client_request(c, "GET", path, NULL, NULL, 0);
}

static void
url_encode(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' ||
		    ch == '~')
			buf_putc(b, (char)ch);
		else
			buf_printf(b, "%%%02X", ch);
	}
}

static char *
encode_list(const char *first, va_list ap)
{
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, "");
	for (const char *name = first; name; name = va_arg(ap, const char *)) {
		const char *value = va_arg(ap, const char *);
		if (b.len)
			buf_putc(&b, '&');
		url_encode(&b, name);
		buf_putc(&b, '=');
		url_encode(&b, value ? value : "");
	}
	size_t len;
	return buf_detach(&b, &len);
}

char *
form_encode(const char *first, ...)
{
	va_list ap;
	va_start(ap, first);
	char *s = encode_list(first, ap);
	va_end(ap);
	return s;
}

struct reply *
client_post_form(struct client *c, const char *path, ...)
{
	va_list ap;
	va_start(ap, path);
	const char *first = va_arg(ap, const char *);
	char *body = encode_list(first, ap);
	va_end(ap);
	struct reply *r =
		client_request(c, "POST", path, NULL, body, (size_t)-1);
	free(body);
	return r;
}

struct reply *
client_post(struct client *c, const char *path, ...)
{
	va_list ap;
	va_start(ap, path);
	const char *first = va_arg(ap, const char *);
	char *fields = encode_list(first, ap);
	va_end(ap);
	char *csrf = form_encode("csrf", c->csrf, NULL);
	struct buf b;
	buf_init(&b, 0);
	buf_puts(&b, csrf);
	if (fields[0] != '\0')
		buf_printf(&b, "&%s", fields);
	struct reply *r =
		client_request(c, "POST", path, NULL, buf_cstr(&b), b.len);
	buf_release(&b);
	free(csrf);
	free(fields);
	return r;
}

/* ---- replies ----------------------------------------------------------- */

const char *
reply_header(struct reply *r, const char *name)
{
	size_t nlen = strlen(name);
	for (const char *line = r->head ? r->head : ""; *line;) {
		size_t llen = strcspn(line, "\r\n");
		if (llen > nlen && strncasecmp(line, name, nlen) == 0 &&
		    line[nlen] == ':') {
			const char *v = line + nlen + 1;
			size_t vlen = llen - nlen - 1;
			while (vlen > 0 && (*v == ' ' || *v == '\t')) {
				v++;
				vlen--;
			}
			while (vlen > 0 &&
			       (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			return reply_keep(r, xstrndup(v, vlen));
		}
		line += llen;
		while (*line == '\r' || *line == '\n')
			line++;
	}
	return NULL;
}

bool
reply_has(const struct reply *r, const char *needle)
{
	return r->body != NULL && strstr(r->body, needle) != NULL;
}

const char *
reply_between(struct reply *r, const char *open, const char *close)
{
	const char *p = r->body ? strstr(r->body, open) : NULL;
	if (p == NULL)
		return NULL;
	p += strlen(open);
	const char *e = strstr(p, close);
	if (e == NULL)
		return NULL;
	return reply_keep(r, xstrndup(p, (size_t)(e - p)));
}

/* Decodes the few entities the templates write. */
static char *
html_unescape(const char *s, size_t n)
{
	static const struct {
		const char *ent;
		char ch;
	} ents[] = {{"&amp;", '&'},  {"&lt;", '<'},   {"&gt;", '>'},
		    {"&quot;", '"'}, {"&#39;", '\''}, {"&#x2F;", '/'}};
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		while (k < sizeof ents / sizeof ents[0] &&
		       strncmp(s + i, ents[k].ent, strlen(ents[k].ent)) != 0)
			k++;
		if (s[i] == '&' && k < sizeof ents / sizeof ents[0]) {
			out[o++] = ents[k].ch;
			i += strlen(ents[k].ent);
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = '\0';
	return out;
}

const char *
reply_input(struct reply *r, const char *name)
{
	char mark[200];
	snprintf(mark, sizeof mark, "name=\"%s\"", name);
	const char *p = r->body ? strstr(r->body, mark) : NULL;
	if (p == NULL)
		return NULL;
	const char *end = strchr(p, '>');
	const char *v = strstr(p, " value=\"");
	if (v == NULL || (end != NULL && v > end))
		return NULL;
	v += strlen(" value=\"");
	return reply_keep(r, html_unescape(v, strcspn(v, "\"")));
}

const char *
reply_set_cookie(struct reply *r, const char *name)
{
	size_t nlen = strlen(name);
	for (const char *line = r->head ? r->head : ""; *line;) {
		size_t llen = strcspn(line, "\r\n");
		static const char sc[] = "Set-Cookie:";
		if (llen > strlen(sc) &&
		    strncasecmp(line, sc, strlen(sc)) == 0) {
			const char *v = line + strlen(sc);
			while (*v == ' ')
				v++;
			if (strncmp(v, name, nlen) == 0 && v[nlen] == '=')
				return reply_keep(
					r,
					xstrndup(v, llen - (size_t)(v - line)));
		}
		line += llen;
		while (*line == '\r' || *line == '\n')
			line++;
	}
	return NULL;
}

void
assert_reply_status(const struct reply *r, long want, const char *file,
		    int line)
{
	if (r->status == want)
		return;
	/* The status line, where it points, and the page's main part. */
	const char *body = r->body ? r->body : "";
	const char *main_part = strstr(body, "<main");
	const char *loc = r->head ? strcasestr(r->head, "\nLocation:") : NULL;
	print_error("%s:%d: status %ld, expected %ld%s%.*s\n%.800s\n", file,
		    line, r->status, want, loc ? " →" : "",
		    loc ? (int)strcspn(loc + 10, "\r\n") : 0,
		    loc ? loc + 10 : "", main_part ? main_part : body);
	_fail(file, line);
}

void
assert_reply_redirect(struct reply *r, const char *location, const char *file,
		      int line)
{
	assert_reply_status(r, 303, file, line);
	const char *loc = reply_header(r, "Location");
	if (loc == NULL || strcmp(loc, location) != 0) {
		print_error("%s:%d: Location \"%s\", expected \"%s\"\n", file,
			    line, loc ? loc : "(none)", location);
		_fail(file, line);
	}
}

/* ---- signing in -------------------------------------------------------- */

struct reply *
client_login(struct client *c, const char *email, const char *password)
{
	assert_status(client_get(c, "/login"), 200);
	return client_post(c, "/login", "email", email, "password", password,
			   NULL);
}

void
totp_code(const char *secret, int steps, char out[7])
{
	assert_int_equal(otp_code(secret, time(NULL) + 30 * steps, out),
			 ERR_OK);
}

struct reply *
client_second_factor(struct client *c, const char *email)
{
	struct site *site = c->srv->site;
	const char *loc =
		c->r.status == 303 ? reply_header(&c->r, "Location") : NULL;
	char path[1024];
	snprintf(path, sizeof path, "%s",
		 loc && str_starts(loc, "/login/2fa") ? loc : "/login/2fa");
	struct reply *r = client_get(c, path);
	assert_status(r, 200);
	const char *shown =
		reply_between(r, "<code class=\"secret\">", "</code>");
	if (shown != NULL)
		site_remember_secret(site, email, shown);
	const char *secret = site_secret(site, email);
	assert_non_null(secret);
	const char *next = reply_input(r, "next");
	char next_copy[1024];
	snprintf(next_copy, sizeof next_copy, "%s", next ? next : "/staff");
	assert_int_equal(db_run(site->db,
				"UPDATE app_user SET totp_last_step = 0"
				" WHERE email = ?",
				"t", email),
			 ERR_OK);
	char code[7];
	totp_code(secret, 0, code);
	return client_post(c, "/login/2fa", "next", next_copy, "code", code,
			   NULL);
}

void
client_sign_in(struct client *c, const char *email, const char *password)
{
	struct reply *r = client_login(c, email, password);
	assert_status(r, 303);
	const char *loc = reply_header(r, "Location");
	assert_non_null(loc);
	if (str_starts(loc, "/login/2fa")) {
		r = client_second_factor(c, email);
		assert_status(r, 303);
		loc = reply_header(r, "Location");
	}
	assert_string_equal(loc, "/staff");
	assert_status(client_get(c, "/staff"), 200);
}

/* ---- multipart forms and files ------------------------------------------ */

#define MULTIPART_BOUNDARY "atis-test-boundary-c2b7e5a14f9d"

struct reply *
client_post_multipart(struct client *c, const char *path,
		      const struct form_part *parts, size_t nparts)
{
	struct buf b;
	buf_init(&b, 0);
	for (size_t i = 0; i < nparts; i++) {
		const struct form_part *p = &parts[i];
		const char *v = p->value ? p->value : "";
		size_t len = p->len ? p->len : strlen(v);
		buf_printf(&b,
			   "--" MULTIPART_BOUNDARY "\r\n"
			   "Content-Disposition: form-data; name=\"%s\"",
			   p->name);
		if (p->filename != NULL)
			buf_printf(&b, "; filename=\"%s\"\r\nContent-Type: %s",
				   p->filename,
				   p->type ? p->type
					   : "application/octet-stream");
		buf_puts(&b, "\r\n\r\n");
		buf_append(&b, v, len);
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "--" MULTIPART_BOUNDARY "--\r\n");
	const char *h[] = {"Content-Type: multipart/form-data; "
			   "boundary=" MULTIPART_BOUNDARY,
			   NULL};
	struct reply *r = client_request(c, "POST", path, h, b.data, b.len);
	buf_release(&b);
	return r;
}

char *
harness_read_file(const char *path, size_t *OUT_len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct buf b;
	buf_init(&b, 0);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*OUT_len = b.len;
	buf_putc(&b, '\0');
	size_t len;
	return buf_detach(&b, &len);
}
