/*
 * log.h — one line per event on stderr.
 *
 * Lines look like `2026-11-28T01:02:03Z warn [req=ab12cd34ef56ab78] text`.
 * Never log personal data: no names, e-mail addresses, phone numbers, form
 * contents, passwords or tokens.  Safe to call from any thread.
 */
#ifndef ATIS_BASE_LOG_H
#define ATIS_BASE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
/* `reqid` may be NULL for events outside a request. */
void log_msg(enum log_level level, const char *reqid, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_debug(...) log_msg(LOG_DEBUG, NULL, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, NULL, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, NULL, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, NULL, __VA_ARGS__)

#endif
