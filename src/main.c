/*
 * atis — the one program.  Subcommands in the style of git:
 *
 *   atis serve    serve the site
 *   atis init     create a database and its key file
 *   atis migrate  bring a database's schema up to date
 *   atis user add / atis org add
 *   atis demo     fill a database with demo data
 *   atis audit verify
 *
 * Each parses its own options (getopt_long) and says what is wrong, with a
 * non-zero exit, on any misuse.  Exit codes: 0 ok, 1 failure, 2 misuse.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/crypto.h"
#include "base/i18n.h"
#include "base/log.h"
#include "base/otp.h"
#include "base/str.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/demo.h"
#include "model/org.h"
#include "model/user.h"
#include "web/app.h"

#define EXIT_MISUSE 2

static const char usage_main[] =
	"usage: atis COMMAND [OPTIONS]\n"
	"\n"
	"  serve         serve ATIS over HTTP\n"
	"  init          create a new database and its key file\n"
	"  migrate       bring a database's schema up to date\n"
	"  user add      add a staff account\n"
	"  org add       add an organisation\n"
	"  demo          fill a database with demo data (and print the "
	"logins)\n"
	"  audit verify  check that the audit log's hash chain is intact\n"
	"\n"
	"Run `atis COMMAND --help` for a command's options.\n";

/* Options shared by every command. */
struct common {
	struct config cfg;
	const char *config_file;
	const char *db_flag;
};

static int
misuse(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "atis %s: ", cmd);
	fprintf(stderr, fmt, arg ? arg : "");
	fprintf(stderr, "\nRun `atis %s --help` for the options.\n", cmd);
	return EXIT_MISUSE;
}

/* Defaults, then the file, then the environment, then the flags. */
static int
load_config(const char *cmd, struct common *co, const char *listen)
{
	struct buf err;
	buf_init(&err, 4096);
	config_defaults(&co->cfg);
	enum err rc = ERR_OK;
	if (co->config_file)
		rc = config_load_file(&co->cfg, co->config_file, &err);
	if (rc == ERR_OK)
		rc = config_load_env(&co->cfg, &err);
	if (rc == ERR_OK && co->db_flag)
		rc = config_set(&co->cfg, "database", "path", co->db_flag,
				&err);
	if (rc == ERR_OK && listen)
		rc = config_set(&co->cfg, "server", "listen", listen, &err);
	if (rc == ERR_OK)
		rc = config_finish(&co->cfg, &err);
	if (rc == ERR_OK && i18n_lang_find(co->cfg.default_language) == NULL) {
		buf_printf(&err, "default_language %s is not shipped",
			   co->cfg.default_language);
		rc = ERR_INVALID;
	}
	if (rc == ERR_OK) {
		static const char *const lv[] = {"debug", "info", "warn",
						 "error"};
		for (int i = 0; i < 4; i++)
			if (str_eq(co->cfg.log_level, lv[i]))
				log_set_level((enum log_level)i);
	}
	if (rc)
		fprintf(stderr, "atis %s: %s\n", cmd, buf_cstr(&err));
	buf_release(&err);
	return rc ? 1 : 0;
}

/* Opens the configured, existing database at the current schema. */
static struct db *
open_current(const char *cmd, const struct config *cfg, bool check_schema)
{
	struct buf msg;
	buf_init(&msg, 4096);
	struct db *db = NULL;
	enum err rc = db_open(cfg->db, DB_OPEN_EXISTING, &db, &msg);
	if (rc == ERR_OK && check_schema && db_check_schema(db, &msg)) {
		db_close(db);
		db = NULL;
	}
	if (db == NULL)
		fprintf(stderr, "atis %s: %s\n", cmd, buf_cstr(&msg));
	buf_release(&msg);
	return db;
}

/* Parses the options every command takes; returns the index of the first
 * unparsed argument, or -1 after printing help (0 exit) / misuse. */
enum { OPT_HELP = 'h', OPT_DB = 'd', OPT_CONFIG = 'c' };

static int
cmd_init(int argc, char **argv)
{
	static const char help[] =
		"usage: atis init --db PATH [--config FILE]\n"
		"Creates a new SQLite database at PATH, applies every "
		"migration,\n"
		"and writes a new secret key to PATH.key (mode 0600).  Refuses "
		"to\n"
		"touch a database or key file that exists already.\n";
	struct common co = {0};
	static const struct option opts[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"help", no_argument, NULL, OPT_HELP},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: co.db_flag = optarg; break;
		case OPT_CONFIG: co.config_file = optarg; break;
		case OPT_HELP: fputs(help, stdout); return 0;
		default: return misuse("init", "unknown option", NULL);
		}
	}
	if (optind < argc)
		return misuse("init", "unexpected argument %s", argv[optind]);
	if (co.db_flag == NULL && co.config_file == NULL)
		return misuse("init", "say where: --db PATH", NULL);
	if (load_config("init", &co, NULL))
		return 1;
	int status = 1;
	struct buf msg;
	buf_init(&msg, 4096);
	struct db *db = NULL;
	if (access(co.cfg.key_file, F_OK) == 0) {
		fprintf(stderr, "atis init: the key file %s exists already\n",
			co.cfg.key_file);
		goto out;
	}
	if (db_open(co.cfg.db, DB_OPEN_CREATE, &db, &msg)) {
		fprintf(stderr, "atis init: %s\n", buf_cstr(&msg));
		goto out;
	}
	int from, to;
	if (db_migrate(db, &from, &to, &msg)) {
		fprintf(stderr, "atis init: %s\n", buf_cstr(&msg));
		goto out;
	}
	if (crypto_key_create(co.cfg.key_file)) {
		fprintf(stderr, "atis init: cannot write the key file %s\n",
			co.cfg.key_file);
		goto out;
	}
	printf("Created %s (schema version %d) and its key %s.\n"
	       "Keep the key file safe and back it up with the database.\n",
	       co.cfg.db, to, co.cfg.key_file);
	status = 0;
out:
	db_close(db);
	buf_release(&msg);
	config_release(&co.cfg);
	return status;
}

/* For commands that take only --db/--config (and --help). */
static int
simple_options(const char *cmd, const char *help, int argc, char **argv,
	       struct common *co)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"help", no_argument, NULL, OPT_HELP},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: co->db_flag = optarg; break;
		case OPT_CONFIG: co->config_file = optarg; break;
		case OPT_HELP: fputs(help, stdout); return -1;
		default: return misuse(cmd, "unknown option", NULL);
		}
	}
	if (optind < argc)
		return misuse(cmd, "unexpected argument %s", argv[optind]);
	return load_config(cmd, co, NULL);
}

static int
cmd_migrate(int argc, char **argv)
{
	static const char help[] =
		"usage: atis migrate --db PATH [--config FILE]\n"
		"Applies the migrations the database lacks, each in its own\n"
		"transaction.\n";
	struct common co = {0};
	int rc = simple_options("migrate", help, argc, argv, &co);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct db *db = open_current("migrate", &co.cfg, false);
	int status = 1;
	if (db != NULL) {
		struct buf msg;
		buf_init(&msg, 4096);
		int from, to;
		if (db_migrate(db, &from, &to, &msg)) {
			fprintf(stderr, "atis migrate: %s\n", buf_cstr(&msg));
		} else {
			if (from == to)
				printf("%s is up to date (schema version "
				       "%d).\n",
				       co.cfg.db, to);
			else
				printf("Migrated %s from schema version %d to "
				       "%d.\n",
				       co.cfg.db, from, to);
			status = 0;
		}
		buf_release(&msg);
		db_close(db);
	}
	config_release(&co.cfg);
	return status;
}

static int
cmd_demo(int argc, char **argv)
{
	static const char help[] =
		"usage: atis demo --db PATH [--config FILE]\n"
		"Fills the database with demo organisations (the secretariat "
		"and\n"
		"affiliates in PH ID MY SG TH VN KH MM LA, two partners) and "
		"demo\n"
		"accounts, all marked as demo data, and prints the logins.  "
		"Run on\n"
		"a database that has them already, it only prints the "
		"logins.\n";
	struct common co = {0};
	int rc = simple_options("demo", help, argc, argv, &co);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct db *db = open_current("demo", &co.cfg, true);
	int status = 1;
	struct crypto_key master, field, index;
	if (db != NULL && crypto_key_load(co.cfg.key_file, &master)) {
		fprintf(stderr, "atis demo: cannot read the key file %s\n",
			co.cfg.key_file);
		db_close(db);
		db = NULL;
	}
	if (db != NULL) {
		crypto_key_derive(&master, CRYPTO_PURPOSE_FIELD, &field);
		crypto_key_derive(&master, CRYPTO_PURPOSE_INDEX, &index);
		crypto_wipe(&master, sizeof master);
		db_set_search_key(db, index.bytes);
		struct case_keys keys = {&field, &index};
		enum err e = demo_fill(db, &keys, stdout);
		status = (e == ERR_OK || e == ERR_EXISTS) ? 0 : 1;
		crypto_wipe(&field, sizeof field);
		crypto_wipe(&index, sizeof index);
		db_close(db);
	}
	config_release(&co.cfg);
	return status;
}

static int
cmd_audit(int argc, char **argv)
{
	static const char help[] =
		"usage: atis audit verify --db PATH [--config FILE]\n"
		"Walks the audit log's hash chain.  Exit 0 and the count when "
		"it is\n"
		"intact; exit 1 naming the first broken entry when it is "
		"not.\n";
	if (argc < 2 ||
	    (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "--help") != 0))
		return misuse("audit", "the only subcommand is `verify`", NULL);
	if (strcmp(argv[1], "--help") == 0) {
		fputs(help, stdout);
		return 0;
	}
	struct common co = {0};
	int rc = simple_options("audit verify", help, argc - 1, argv + 1, &co);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct db *db = open_current("audit verify", &co.cfg, true);
	int status = 1;
	if (db != NULL) {
		struct buf msg;
		buf_init(&msg, 4096);
		int64_t count, bad;
		enum err e = audit_verify(db, &count, &bad, &msg);
		if (e == ERR_OK) {
			printf("audit log intact: %lld entries\n",
			       (long long)count);
			status = 0;
		} else if (e == ERR_CORRUPT) {
			printf("audit log BROKEN: %s (%lld entries before it "
			       "are "
			       "intact)\n",
			       buf_cstr(&msg), (long long)count);
		} else {
			fprintf(stderr, "atis audit verify: %s\n",
				db_errmsg(db));
		}
		buf_release(&msg);
		db_close(db);
	}
	config_release(&co.cfg);
	return status;
}

/* Reads one line (the password) from standard input. */
static char *
read_password_stdin(void)
{
	char line[1100];
	if (fgets(line, sizeof line, stdin) == NULL)
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	char *p = strdup(line);
	crypto_wipe(line, sizeof line);
	return p;
}

static void
print_check(const char *cmd, const struct check *c)
{
	for (size_t i = 0; i < c->n; i++)
		fprintf(stderr, "atis %s: %s: %s\n", cmd, c->items[i].field,
			c->items[i].msgid);
}

static int
cmd_user(int argc, char **argv)
{
	static const char help[] =
		"usage: atis user add --db PATH --email E --org ORG --role "
		"ROLE\n"
		"                     --password-stdin [--name NAME] [--config "
		"F]\n"
		"ORG is an organisation's id or exact name.  ROLE is one of\n"
		"regional_admin, affiliate_admin, focal_point, partner_user.  "
		"The\n"
		"password (at least 10 characters) is read from standard "
		"input.\n";
	if (argc < 2 ||
	    (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "--help") != 0))
		return misuse("user", "the only subcommand is `add`", NULL);
	if (strcmp(argv[1], "--help") == 0) {
		fputs(help, stdout);
		return 0;
	}
	argc--;
	argv++;
	struct common co = {0};
	const char *email = NULL, *org = NULL, *role = NULL, *name = NULL;
	bool pw_stdin = false;
	static const struct option opts[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"email", required_argument, NULL, 'e'},
		{"org", required_argument, NULL, 'o'},
		{"role", required_argument, NULL, 'r'},
		{"name", required_argument, NULL, 'n'},
		{"password-stdin", no_argument, NULL, 'p'},
		{"help", no_argument, NULL, OPT_HELP},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: co.db_flag = optarg; break;
		case OPT_CONFIG: co.config_file = optarg; break;
		case 'e': email = optarg; break;
		case 'o': org = optarg; break;
		case 'r': role = optarg; break;
		case 'n': name = optarg; break;
		case 'p': pw_stdin = true; break;
		case OPT_HELP: fputs(help, stdout); return 0;
		default: return misuse("user add", "unknown option", NULL);
		}
	}
	if (optind < argc)
		return misuse("user add", "unexpected argument %s",
			      argv[optind]);
	if (!email || !org || !role)
		return misuse("user add",
			      "--email, --org and --role are needed", NULL);
	if (!pw_stdin)
		return misuse("user add",
			      "give the password on standard input with "
			      "--password-stdin",
			      NULL);
	enum role r = role_parse(role);
	if (r == ROLE_NONE)
		return misuse("user add", "no such role: %s", role);
	if (load_config("user add", &co, NULL))
		return 1;
	int status = 1;
	char *pw = NULL;
	struct db *db = open_current("user add", &co.cfg, true);
	if (db == NULL)
		goto out;
	int64_t org_id = 0;
	json_t *found = NULL;
	if (str_to_i64(org, 1, INT64_MAX, &org_id) ||
	    (found = org_get(db, org_id)) == NULL)
		org_id = org_find_by_name(db, org);
	json_decref(found);
	if (org_id == 0) {
		fprintf(stderr, "atis user add: no organisation %s\n", org);
		goto out;
	}
	pw = read_password_stdin();
	if (pw == NULL) {
		fprintf(stderr,
			"atis user add: no password on standard input\n");
		goto out;
	}
	struct user_input in = {.email = email,
				.name = name ? name : email,
				.org_id = org_id,
				.role = r,
				.password = pw,
				.language = ""};
	struct actor sys = {.label = "atis user add", .address = ""};
	struct check chk = {0};
	int64_t id;
	enum err e = user_create(db, &sys, &in, &chk, &id);
	if (e == ERR_OK) {
		printf("Added user %lld: %s\n", (long long)id, email);
		status = 0;
	} else if (chk.n) {
		print_check("user add", &chk);
	} else {
		fprintf(stderr, "atis user add: %s\n", err_str(e));
	}
out:
	if (pw) {
		crypto_wipe(pw, strlen(pw));
		free(pw);
	}
	db_close(db);
	config_release(&co.cfg);
	return status;
}

static int
cmd_org(int argc, char **argv)
{
	static const char help[] =
		"usage: atis org add --db PATH --name NAME --kind KIND "
		"--country CC\n"
		"         [--languages \"en th\"] [--email E] [--phone P]\n"
		"         [--services TEXT] [--referral-partner] [--config F]\n"
		"KIND is one of regional_secretariat, affiliate, "
		"government_agency,\n"
		"ngo, cso, international.  CC is an ISO 3166-1 alpha-2 code.\n";
	if (argc < 2 ||
	    (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "--help") != 0))
		return misuse("org", "the only subcommand is `add`", NULL);
	if (strcmp(argv[1], "--help") == 0) {
		fputs(help, stdout);
		return 0;
	}
	argc--;
	argv++;
	struct common co = {0};
	struct org o = {0};
	static const struct option opts[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"name", required_argument, NULL, 'n'},
		{"kind", required_argument, NULL, 'k'},
		{"country", required_argument, NULL, 'C'},
		{"languages", required_argument, NULL, 'l'},
		{"email", required_argument, NULL, 'e'},
		{"phone", required_argument, NULL, 'p'},
		{"services", required_argument, NULL, 's'},
		{"referral-partner", no_argument, NULL, 'r'},
		{"help", no_argument, NULL, OPT_HELP},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: co.db_flag = optarg; break;
		case OPT_CONFIG: co.config_file = optarg; break;
		case 'n': o.name = optarg; break;
		case 'k':
			o.kind = org_kind_parse(optarg);
			if (o.kind == ORG_NONE)
				return misuse("org add", "no such kind: %s",
					      optarg);
			break;
		case 'C': o.country = optarg; break;
		case 'l': o.languages = optarg; break;
		case 'e': o.contact_email = optarg; break;
		case 'p': o.contact_phone = optarg; break;
		case 's': o.services = optarg; break;
		case 'r': o.referral_partner = true; break;
		case OPT_HELP: fputs(help, stdout); return 0;
		default: return misuse("org add", "unknown option", NULL);
		}
	}
	if (optind < argc)
		return misuse("org add", "unexpected argument %s",
			      argv[optind]);
	if (!o.name || o.kind == ORG_NONE || !o.country)
		return misuse("org add",
			      "--name, --kind and --country are needed", NULL);
	if (load_config("org add", &co, NULL))
		return 1;
	int status = 1;
	struct db *db = open_current("org add", &co.cfg, true);
	if (db != NULL) {
		struct actor sys = {.label = "atis org add", .address = ""};
		struct check chk = {0};
		int64_t id;
		enum err e = org_create(db, &sys, &o, &chk, &id);
		if (e == ERR_OK) {
			printf("Added organisation %lld: %s\n", (long long)id,
			       o.name);
			status = 0;
		} else if (chk.n) {
			print_check("org add", &chk);
		} else {
			fprintf(stderr, "atis org add: %s\n", err_str(e));
		}
		db_close(db);
	}
	config_release(&co.cfg);
	return status;
}

static int
cmd_serve(int argc, char **argv)
{
	static const char help[] =
		"usage: atis serve [--listen ADDR:PORT] [--db PATH] [--config "
		"FILE]\n"
		"Serves ATIS until SIGINT or SIGTERM.  PORT 0 picks a free "
		"port;\n"
		"the address served is printed on standard output.  See\n"
		"docs/configuration.md for every setting.\n";
	struct common co = {0};
	const char *listen = NULL;
	static const struct option opts[] = {
		{"db", required_argument, NULL, OPT_DB},
		{"config", required_argument, NULL, OPT_CONFIG},
		{"listen", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, OPT_HELP},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DB: co.db_flag = optarg; break;
		case OPT_CONFIG: co.config_file = optarg; break;
		case 'l': listen = optarg; break;
		case OPT_HELP: fputs(help, stdout); return 0;
		default: return misuse("serve", "unknown option", NULL);
		}
	}
	if (optind < argc)
		return misuse("serve", "unexpected argument %s", argv[optind]);
	if (load_config("serve", &co, listen))
		return 1;
	int status = 1;
	struct app app;
	bool app_ready = false;
	struct http_server *srv = NULL;
	char *addr = NULL;
	struct buf msg;
	buf_init(&msg, 4096);
	struct db *db = open_current("serve", &co.cfg, true);
	if (db == NULL)
		goto out;
	struct crypto_key master;
	enum err e = crypto_key_load(co.cfg.key_file, &master);
	if (e) {
		fprintf(stderr, "atis serve: %s the key file %s\n",
			e == ERR_CORRUPT ? "cannot use" : "cannot read",
			co.cfg.key_file);
		goto out;
	}
	e = app_init(&app, &co.cfg, &master, &msg);
	crypto_wipe(&master, sizeof master);
	if (e) {
		fprintf(stderr, "atis serve: %s\n", buf_cstr(&msg));
		goto out;
	}
	app_ready = true;
	app.demo = demo_present(db);
	session_purge(db, co.cfg.session_idle, time(NULL));
	db_close(db);
	db = NULL;

	unsigned port;
	config_split_listen(co.cfg.listen, &addr, &port);
	struct http_server_config hc = {
		.address = addr,
		.port = port,
		.threads = (unsigned)co.cfg.threads,
		.max_body = (size_t)co.cfg.max_body,
		.max_connections = (unsigned)co.cfg.max_connections,
		.max_field = (size_t)co.cfg.max_field,
		/* A worker who picks too many or too big photos gets the form
		 * back with their text (web/help.c), up to four times the
		 * body limit; beyond that the upload is cut off. */
		.max_truncated_form = 4 * (size_t)co.cfg.max_body,
		.max_files = 20,
		.https = co.cfg.https,
		.routes = app_routes,
		.nroutes = app_route_count,
		.app = &app,
		.guard = app_guard,
		.error_page = app_error_page,
		.thread_init = app_thread_init,
		.thread_release = app_thread_release,
	};
	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	if (http_server_start(&hc, &srv)) {
		fprintf(stderr, "atis serve: cannot listen on %s\n",
			co.cfg.listen);
		goto out;
	}
	printf("ATIS is serving http://%s:%u/ (database %s)\n",
	       strchr(addr, ':') ? "[::1]" : addr, http_server_port(srv),
	       co.cfg.db);
	fflush(stdout);
	int sig;
	sigwait(&stop, &sig);
	log_info("stopping on signal %d", sig);
	http_server_stop(srv);
	status = 0;
out:
	db_close(db);
	if (app_ready)
		app_release(&app);
	free(addr);
	buf_release(&msg);
	config_release(&co.cfg);
	return status;
}

int
main(int argc, char **argv)
{
	if (crypto_init() || otp_init()) {
		fprintf(stderr, "atis: cannot start the crypto libraries\n");
		return 1;
	}
	if (argc < 2) {
		fputs(usage_main, stderr);
		return EXIT_MISUSE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	static const struct {
		const char *name;
		int (*run)(int, char **);
	} cmds[] = {
		{"serve", cmd_serve},     {"init", cmd_init},
		{"migrate", cmd_migrate}, {"user", cmd_user},
		{"org", cmd_org},         {"demo", cmd_demo},
		{"audit", cmd_audit},
	};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (strcmp(cmds[i].name, cmd) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "atis: no command %s\n\n%s", cmd, usage_main);
	return EXIT_MISUSE;
}
