/*
 * Tests for src/base/otp.c: the RFC 6238 test vectors (SHA-1 secret
 * "12345678901234567890", cut to 6 digits), new secrets, and otp_verify's
 * window of one step either way, replay refusal and input checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/crypto.h"
#include "base/otp.h"

/* base32("12345678901234567890") */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

/* In the middle of a 30-second step, so ±1 s stays in it. */
static const time_t NOW = 1700000010;

static int
group_setup(void **state)
{
	(void)state;
	if (crypto_init() != ERR_OK || otp_init() != ERR_OK)
		return -1;
	return 0;
}

static void
test_rfc6238(void **state)
{
	(void)state;
	/* RFC 6238 appendix B, SHA-1, last 6 of the 8 digits. */
	static const struct {
		time_t t;
		const char *code;
	} v[] = {
		{59, "287082"},         {1111111109, "081804"},
		{1111111111, "050471"}, {1234567890, "005924"},
		{2000000000, "279037"}, {20000000000, "353130"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[7] = "";
		assert_int_equal(otp_code(RFC_SECRET, v[i].t, out), ERR_OK);
		assert_string_equal(out, v[i].code);
		int64_t step = 0;
		assert_int_equal(
			otp_verify(RFC_SECRET, v[i].code, v[i].t, 0, &step),
			ERR_OK);
		assert_int_equal(step, (int64_t)(v[i].t / 30));
	}
	/* Steps are 30 s: 30..59 share a code, 60 starts the next. */
	char a[7], b[7];
	otp_code(RFC_SECRET, 30, a);
	assert_string_equal(a, "287082");
	otp_code(RFC_SECRET, 60, b);
	assert_string_not_equal(a, b);
}

static void
test_new_secret(void **state)
{
	(void)state;
	char a[OTP_BASE32_MAX + 1], b[OTP_BASE32_MAX + 1];
	otp_new_secret(a);
	otp_new_secret(b);
	assert_int_equal(strlen(a), 32); /* 20 bytes */
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	assert_string_not_equal(a, b);
	/* Usable at once. */
	char code[7];
	int64_t step = 0;
	assert_int_equal(otp_code(a, NOW, code), ERR_OK);
	assert_int_equal(otp_verify(a, code, NOW, 0, &step), ERR_OK);
}

static void
test_round_trip(void **state)
{
	(void)state;
	char secret[OTP_BASE32_MAX + 1], code[7];
	otp_new_secret(secret);
	assert_int_equal(otp_code(secret, NOW, code), ERR_OK);
	assert_int_equal(strlen(code), 6);
	assert_int_equal(strspn(code, "0123456789"), 6);
	int64_t step = -1;
	assert_int_equal(otp_verify(secret, code, NOW, 0, &step), ERR_OK);
	assert_int_equal(step, (int64_t)(NOW / 30));
	/* Another secret's code does not pass (almost surely: compare). */
	char other[OTP_BASE32_MAX + 1], ocode[7];
	otp_new_secret(other);
	otp_code(other, NOW, ocode);
	if (strcmp(ocode, code) != 0)
		assert_int_equal(otp_verify(secret, ocode, NOW, 0, &step),
				 ERR_DENIED);
}

static void
test_window(void **state)
{
	(void)state;
	const int64_t cur = NOW / 30;
	char prev[7], next[7], old[7], future[7];
	otp_code(RFC_SECRET, NOW - 30, prev);
	otp_code(RFC_SECRET, NOW + 30, next);
	otp_code(RFC_SECRET, NOW - 60, old);
	otp_code(RFC_SECRET, NOW + 60, future);
	int64_t step = 0;
	/* One step of drift either way is accepted, and says which. */
	assert_int_equal(otp_verify(RFC_SECRET, prev, NOW, 0, &step), ERR_OK);
	assert_int_equal(step, cur - 1);
	assert_int_equal(otp_verify(RFC_SECRET, next, NOW, 0, &step), ERR_OK);
	assert_int_equal(step, cur + 1);
	/* Two steps are not. */
	assert_int_equal(otp_verify(RFC_SECRET, old, NOW, 0, &step),
			 ERR_DENIED);
	assert_int_equal(otp_verify(RFC_SECRET, future, NOW, 0, &step),
			 ERR_DENIED);
}

static void
test_replay(void **state)
{
	(void)state;
	const int64_t cur = NOW / 30;
	char code[7], prev[7], next[7];
	otp_code(RFC_SECRET, NOW, code);
	otp_code(RFC_SECRET, NOW - 30, prev);
	otp_code(RFC_SECRET, NOW + 30, next);
	int64_t step = 0;
	assert_int_equal(otp_verify(RFC_SECRET, code, NOW, cur - 1, &step),
			 ERR_OK);
	assert_int_equal(step, cur);
	/* The same code again (last_step = the step just used): refused,
	 * also a few seconds later in the same step. */
	int64_t again = 12345;
	assert_int_equal(otp_verify(RFC_SECRET, code, NOW, step, &again),
			 ERR_DENIED);
	assert_int_equal(otp_verify(RFC_SECRET, code, NOW + 5, step, &again),
			 ERR_DENIED);
	/* And 30 s later, when it is still inside the window as "previous". */
	assert_int_equal(otp_verify(RFC_SECRET, code, NOW + 30, step, &again),
			 ERR_DENIED);
	/* An older step than the last one used: refused. */
	assert_int_equal(otp_verify(RFC_SECRET, prev, NOW, step, &again),
			 ERR_DENIED);
	/* A later step is fine. */
	assert_int_equal(otp_verify(RFC_SECRET, next, NOW, step, &again),
			 ERR_OK);
	assert_int_equal(again, cur + 1);
}

static void
test_bad_codes(void **state)
{
	(void)state;
	char code[7];
	otp_code(RFC_SECRET, NOW, code);
	char longer[8];
	snprintf(longer, sizeof longer, "%s0", code);
	char spaced[8];
	snprintf(spaced, sizeof spaced, " %.5s", code);
	char letter[7];
	memcpy(letter, code, 7);
	letter[5] = 'a';
	char plus[7];
	memcpy(plus, code, 7);
	plus[0] = '+';
	const char *bad[] = {NULL,   "",   "12345",  longer,   spaced,
			     letter, plus, "abcdef", "١٢٣٤٥٦", "12 345"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t step = 0;
		if (otp_verify(RFC_SECRET, bad[i], NOW, 0, &step) != ERR_DENIED)
			fail_msg("code \"%s\" was accepted",
				 bad[i] ? bad[i] : "NULL");
	}
}

static void
test_bad_secret(void **state)
{
	(void)state;
	char out[7];
	int64_t step;
	assert_int_equal(otp_code("not base32!", NOW, out), ERR_INVALID);
	assert_int_equal(otp_verify("not base32!", "123456", NOW, 0, &step),
			 ERR_INVALID);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238),
		cmocka_unit_test(test_new_secret),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_bad_codes),
		cmocka_unit_test(test_bad_secret),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
