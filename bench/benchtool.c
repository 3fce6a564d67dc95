/*
 * benchtool — two small helpers for bench/cases.sh, linked against
 * build/libatis.a like bench/gencases.c.
 *
 *   benchtool totp SECRET
 *       Prints the current one-time code of a base32 TOTP secret (what an
 *       authenticator app would show), so the script can sign in an
 *       admin, who must have two-step verification.
 *
 *   benchtool sql --db PATH [--match WORDS] [--bind TEXT] [--repeat N] SQL
 *       Opens the database with its key (PATH.key) and the search
 *       tokenizer, as the server does, prints SQLite's EXPLAIN QUERY PLAN
 *       of SQL, then runs it N times (5) and prints the rows of the first
 *       run (at most 5 columns, 10 rows) and the time per run.  Each `?`
 *       is bound, in order, to the values given: --bind TEXT binds the
 *       text; --match WORDS binds the FTS5 expression the inbox search
 *       makes of WORDS (db_fts_match).  The plain sqlite3 shell cannot do
 *       this: case_fts needs the atis_hashed tokenizer and the INDEX key.
 */
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/log.h"
#include "base/otp.h"
#include "base/str.h"
#include "db/db.h"

static double
seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define MAX_BINDS 8

static int
run_sql(int argc, char **argv)
{
	const char *path = NULL;
	const char *binds[MAX_BINDS];
	struct buf match[MAX_BINDS];
	int nb = 0;
	int64_t repeat = 5;
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"match", required_argument, NULL, 'm'},
		{"bind", required_argument, NULL, 'b'},
		{"repeat", required_argument, NULL, 'r'},
		{0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': path = optarg; break;
		case 'r':
			if (str_to_i64(optarg, 1, 1000000, &repeat))
				return 2;
			break;
		case 'b':
		case 'm':
			if (nb == MAX_BINDS)
				return 2;
			buf_init(&match[nb], 0);
			if (c == 'm' && !db_fts_match(&match[nb], optarg)) {
				fprintf(stderr,
					"benchtool: nothing searchable "
					"in %s\n",
					optarg);
				return 2;
			}
			binds[nb] = c == 'm' ? buf_cstr(&match[nb]) : optarg;
			nb++;
			break;
		default: return 2;
		}
	}
	if (path == NULL || optind + 1 != argc || repeat < 1) {
		fputs("usage: benchtool sql --db PATH [--match WORDS] [--bind "
		      "TEXT] [--repeat N] SQL\n",
		      stderr);
		return 2;
	}
	const char *sql = argv[optind];
	struct buf msg;
	buf_init(&msg, 1024);
	struct db *db = NULL;
	if (db_open(path, DB_OPEN_EXISTING, &db, &msg)) {
		fprintf(stderr, "benchtool: %s\n", buf_cstr(&msg));
		return 1;
	}
	char keyfile[4096];
	snprintf(keyfile, sizeof keyfile, "%s.key", path);
	struct crypto_key master, index;
	if (crypto_key_load(keyfile, &master)) {
		fprintf(stderr, "benchtool: cannot read %s\n", keyfile);
		return 1;
	}
	crypto_key_derive(&master, CRYPTO_PURPOSE_INDEX, &index);
	crypto_wipe(&master, sizeof master);
	db_set_search_key(db, index.bytes);
	crypto_wipe(&index, sizeof index);

	char types[MAX_BINDS + 1];
	memset(types, 't', (size_t)nb);
	types[nb] = '\0';
#define BINDS                                                                  \
	binds[0], nb > 1 ? binds[1] : NULL, nb > 2 ? binds[2] : NULL,          \
		nb > 3 ? binds[3] : NULL, nb > 4 ? binds[4] : NULL,            \
		nb > 5 ? binds[5] : NULL, nb > 6 ? binds[6] : NULL,            \
		nb > 7 ? binds[7] : NULL
	if (nb == 0)
		binds[0] = NULL;
	for (int i = 0; i < nb; i++)
		printf("?%d = %s\n", i + 1, binds[i]);

	struct buf eqp;
	buf_init(&eqp, 0);
	buf_printf(&eqp, "EXPLAIN QUERY PLAN %s", sql);
	struct db_stmt *st = db_query(db, buf_cstr(&eqp), types, BINDS);
	if (st == NULL) {
		fprintf(stderr, "benchtool: %s\n", db_errmsg(db));
		return 1;
	}
	puts("QUERY PLAN");
	while (db_step(st))
		printf("  %s\n", db_col_text(st, 3));
	db_finalize(st);
	buf_release(&eqp);

	double best = 1e9, sum = 0, first = 0;
	for (int64_t r = 0; r < repeat; r++) {
		double t0 = seconds();
		st = db_query(db, sql, types, BINDS);
		if (st == NULL) {
			fprintf(stderr, "benchtool: %s\n", db_errmsg(db));
			return 1;
		}
		long rows = 0;
		while (db_step(st)) {
			if (r == 0 && rows < 10) {
				printf("  |");
				for (int col = 0; col < 5; col++) {
					const char *v = db_col_text(st, col);
					if (v == NULL && col > 0 &&
					    db_col_null(st, col))
						break;
					printf(" %s |", v ? v : "NULL");
				}
				putchar('\n');
			}
			rows++;
		}
		enum err rc = db_stmt_err(st);
		db_finalize(st);
		double t = seconds() - t0;
		if (rc) {
			fprintf(stderr, "benchtool: %s\n", db_errmsg(db));
			return 1;
		}
		if (r == 0) {
			printf("rows: %ld\n", rows);
			first = t;
		}
		sum += t;
		if (t < best)
			best = t;
	}
	printf("time: first %.2f ms, best %.2f ms, mean %.2f ms over %d "
	       "runs\n",
	       first * 1000, best * 1000, sum / (double)repeat * 1000,
	       (int)repeat);
	db_close(db);
	return 0;
}

int
main(int argc, char **argv)
{
	if (crypto_init() || otp_init())
		return 1;
	log_set_level(LOG_WARN);
	if (argc == 3 && strcmp(argv[1], "totp") == 0) {
		char code[7];
		if (otp_code(argv[2], time(NULL), code))
			return 1;
		puts(code);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "sql") == 0)
		return run_sql(argc - 1, argv + 1);
	fputs("usage: benchtool totp SECRET\n"
	      "       benchtool sql --db PATH [--match WORDS] [--bind TEXT] "
	      "[--repeat N] SQL\n",
	      stderr);
	return 2;
}
