/*
 * err.h — the one status enum of ATIS.
 *
 * Functions that can fail for reasons the caller must tell apart return an
 * `enum err`; ERR_OK is zero so `if (rc)` reads as "if it failed".  Running
 * out of memory is not an error here: allocation wrappers (mem.h) abort.
 */
#ifndef ATIS_BASE_ERR_H
#define ATIS_BASE_ERR_H

enum err {
	ERR_OK = 0,
	ERR_INVALID,   /* input breaks a rule; the caller shows a message */
	ERR_NOTFOUND,  /* no such record */
	ERR_EXISTS,    /* unique key already taken */
	ERR_DENIED,    /* not allowed, or wrong credentials */
	ERR_LOCKED,    /* account temporarily locked */
	ERR_THROTTLED, /* too many attempts from here; try later */
	ERR_TOOBIG,    /* over a size limit */
	ERR_IO,        /* file or network error */
	ERR_DB,        /* the database failed */
	ERR_CORRUPT,   /* data fails an integrity check */
	ERR_BUSY,      /* the database is busy past its timeout */
	ERR_NEED_2FA,  /* password accepted; a one-time code is still needed */
	ERR__MAX
};

/* A short English description for logs; never shown to a worker. */
const char *err_str(enum err e);

#endif
