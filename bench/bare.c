/*
 * bare — the baseline for bench/run.sh: the least a libmicrohttpd program
 * can do to serve one file's bytes, with the threading model ATIS uses
 * (src/http/server.c: MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG,
 * MHD_OPTION_THREAD_POOL_SIZE, the same timeout and per-connection memory
 * limit), so that the difference between the two is ATIS's own work.
 *
 *   usage: bare FILE PORT THREADS
 *
 * Listens on 127.0.0.1:PORT and answers every request with 200, the bytes
 * of FILE and Content-Type: text/html; charset=utf-8, until SIGINT or
 * SIGTERM.  The response is built once and shared by every request.
 *
 *   cc -std=c17 -D_GNU_SOURCE -O2 -o build/bench/bare bench/bare.c \
 *      -lmicrohttpd
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *data = malloc(cap);
	while (data != NULL) {
		n += fread(data + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *more = realloc(data, cap * 2);
		if (more == NULL) {
			free(data);
			data = NULL;
			break;
		}
		data = more;
		cap *= 2;
	}
	if (data != NULL && ferror(f)) {
		free(data);
		data = NULL;
	}
	fclose(f);
	*len = n;
	return data;
}

static enum MHD_Result
on_access(void *cls, struct MHD_Connection *conn, const char *url,
	  const char *method, const char *version, const char *upload_data,
	  size_t *upload_data_size, void **req_cls)
{
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	/* The first call only has the headers: answering then would make
	 * libmicrohttpd close the connection ("Connection: close"), as it
	 * cannot know the request was read whole.  So, like ATIS, answer on
	 * a later call, once any body (dropped here) is in. */
	static int started;
	if (*req_cls == NULL) {
		*req_cls = &started;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, cls);
}

static unsigned long
number(const char *s, unsigned long lo, unsigned long hi, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "bare: bad %s %s\n", what, s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fputs("usage: bare FILE PORT THREADS\n", stderr);
		return 2;
	}
	unsigned port = (unsigned)number(argv[2], 1, 65535, "port");
	unsigned threads = (unsigned)number(argv[3], 1, 256, "thread count");
	size_t len;
	char *data = slurp(argv[1], &len);
	if (data == NULL) {
		fprintf(stderr, "bare: cannot read %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		len, data, MHD_RESPMEM_PERSISTENT);
	if (resp == NULL ||
	    MHD_add_response_header(resp, "Content-Type",
				    "text/html; charset=utf-8") != MHD_YES) {
		fputs("bare: cannot make the response\n", stderr);
		return 1;
	}

	/* Signals are taken by sigwait below, not by the worker threads. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG,
		(uint16_t)port, NULL, NULL, on_access, resp,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, 30u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32u << 10),
		MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bare: cannot listen on 127.0.0.1 port %u\n",
			port);
		return 1;
	}
	printf("bare is serving http://127.0.0.1:%u/ (%zu bytes, %u threads)\n",
	       port, len, threads);
	fflush(stdout);
	int sig;
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	free(data);
	return 0;
}
