/*
 * otp.h — time-based one-time passwords (RFC 6238) through liboath:
 * 6 digits, 30-second steps, SHA-1, as every authenticator app expects.
 */
#ifndef ATIS_BASE_OTP_H
#define ATIS_BASE_OTP_H

#include <stdint.h>
#include <time.h>

#include "base/err.h"

#define OTP_SECRET_BYTES 20
#define OTP_BASE32_MAX 40 /* base32 of 20 bytes is 32 chars */

enum err otp_init(void);
/* A new random secret, base32-encoded for the person to type or scan. */
void otp_new_secret(char out[OTP_BASE32_MAX + 1]);
/*
 * Checks `code` against `secret_b32` at time `now`, allowing one step of
 * clock drift either way.  A step at or before `last_step` is refused so a
 * code cannot be used twice.  On success *OUT_step is the step used.
 */
enum err otp_verify(const char *secret_b32, const char *code, time_t now,
		    int64_t last_step, int64_t *OUT_step);
/* The code for `now` (tests and `atis` tooling only). */
enum err otp_code(const char *secret_b32, time_t now, char out[7]);

#endif
