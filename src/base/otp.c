#include "base/otp.h"

#include <liboath/oath.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"

#define STEP 30

enum err
otp_init(void)
{
	return oath_init() == OATH_OK ? ERR_OK : ERR_IO;
}

void
otp_new_secret(char out[OTP_BASE32_MAX + 1])
{
	char raw[OTP_SECRET_BYTES];
	crypto_random(raw, sizeof raw);
	char *b32 = NULL;
	size_t len = 0;
	out[0] = '\0';
	if (oath_base32_encode(raw, sizeof raw, &b32, &len) == OATH_OK &&
	    len <= OTP_BASE32_MAX) {
		memcpy(out, b32, len);
		out[len] = '\0';
	}
	free(b32);
	crypto_wipe(raw, sizeof raw);
}

static enum err
decode(const char *secret_b32, char **OUT, size_t *OUT_len)
{
	if (oath_base32_decode(secret_b32, strlen(secret_b32), OUT, OUT_len) !=
	    OATH_OK)
		return ERR_INVALID;
	return ERR_OK;
}

enum err
otp_verify(const char *secret_b32, const char *code, time_t now,
	   int64_t last_step, int64_t *OUT_step)
{
	if (code == NULL || strlen(code) != 6 ||
	    strspn(code, "0123456789") != 6)
		return ERR_DENIED;
	char *secret;
	size_t len;
	if (decode(secret_b32, &secret, &len))
		return ERR_INVALID;
	int pos = 0;
	int rc = oath_totp_validate2(secret, len, now, STEP, 0, 1, &pos, code);
	crypto_wipe(secret, len);
	free(secret);
	if (rc < 0)
		return ERR_DENIED;
	int64_t step = (int64_t)(now / STEP) + pos;
	if (step <= last_step)
		return ERR_DENIED;
	*OUT_step = step;
	return ERR_OK;
}

enum err
otp_code(const char *secret_b32, time_t now, char out[7])
{
	char *secret;
	size_t len;
	if (decode(secret_b32, &secret, &len))
		return ERR_INVALID;
	int rc = oath_totp_generate(secret, len, now, STEP, 0, 6, out);
	crypto_wipe(secret, len);
	free(secret);
	return rc == OATH_OK ? ERR_OK : ERR_INVALID;
}
