#include "base/err.h"

#include <stddef.h>

const char *
err_str(enum err e)
{
	static const char *const names[ERR__MAX] = {
		[ERR_OK] = "ok",
		[ERR_INVALID] = "invalid input",
		[ERR_NOTFOUND] = "not found",
		[ERR_EXISTS] = "already exists",
		[ERR_DENIED] = "denied",
		[ERR_LOCKED] = "locked",
		[ERR_THROTTLED] = "throttled",
		[ERR_TOOBIG] = "too big",
		[ERR_IO] = "input/output error",
		[ERR_DB] = "database error",
		[ERR_CORRUPT] = "corrupt",
		[ERR_BUSY] = "busy",
		[ERR_NEED_2FA] = "second factor needed",
	};
	if ((unsigned)e >= ERR__MAX || names[e] == NULL)
		return "unknown error";
	return names[e];
}
