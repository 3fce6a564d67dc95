#include "base/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static atomic_int min_level = LOG_INFO;

void
log_set_level(enum log_level level)
{
	atomic_store(&min_level, (int)level);
}

void
log_msg(enum log_level level, const char *reqid, const char *fmt, ...)
{
	static const char *const names[] = {"debug", "info", "warn", "error"};
	if ((int)level < atomic_load(&min_level))
		return;
	char line[1024];
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int off = snprintf(line, sizeof line, "%s %s ", stamp, names[level]);
	if (reqid != NULL && off > 0 && (size_t)off < sizeof line)
		off += snprintf(line + off, sizeof line - (size_t)off,
				"[req=%s] ", reqid);
	if (off > 0 && (size_t)off < sizeof line) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(line + off, sizeof line - (size_t)off, fmt, ap);
		va_end(ap);
	}
	/* One fputs per line keeps lines whole between threads. */
	fprintf(stderr, "%s\n", line);
}
