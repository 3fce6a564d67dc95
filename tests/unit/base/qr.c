/*
 * Tests for src/base/qr.c: an <svg> element with the title escaped into
 * its aria-label, dark modules drawn, and NULL for text too long to
 * encode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/qr.h"
#include "base/str.h"

static const char URI[] = "otpauth://totp/ATIS:admin%40example.org?secret="
			  "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ATIS";

static void
test_svg(void **state)
{
	(void)state;
	char *svg = qr_svg(URI, "QR code for ATIS");
	assert_non_null(svg);
	assert_true(str_starts(svg, "<svg "));
	assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(svg, "role=\"img\""));
	assert_non_null(strstr(svg, "aria-label=\"QR code for ATIS\""));
	assert_non_null(strstr(svg, "viewBox=\"0 0 "));
	size_t n = strlen(svg);
	assert_true(n > 6);
	assert_string_equal(svg + n - 6, "</svg>");
	/* Modules are drawn: many 1x1 squares. */
	size_t squares = 0;
	for (const char *p = svg; (p = strstr(p, "h1v1h-1z")) != NULL; p++)
		squares++;
	assert_true(squares > 100);
	/* The secret is not copied into the markup. */
	assert_null(strstr(svg, "GEZDGNBV"));
	assert_true(utf8_valid(svg, n));
	free(svg);
}

static void
test_title_escaped(void **state)
{
	(void)state;
	char *svg = qr_svg("hello", "Scan \"this\" <now> & 'then'");
	assert_non_null(svg);
	assert_non_null(strstr(svg, "aria-label=\"Scan &quot;this&quot; "
				    "&lt;now&gt; &amp; &#39;then&#39;\""));
	assert_null(strstr(svg, "<now>"));
	assert_null(strstr(svg, "\"this\""));
	free(svg);

	svg = qr_svg("hello", "\"><script>alert(1)</script>");
	assert_non_null(svg);
	assert_null(strstr(svg, "<script>"));
	free(svg);

	/* Non-ASCII titles pass through. */
	svg = qr_svg("hello", "สแกนรหัสนี้");
	assert_non_null(strstr(svg, "aria-label=\"สแกนรหัสนี้\""));
	free(svg);
}

static void
test_sizes(void **state)
{
	(void)state;
	/* More text, a bigger symbol (a wider viewBox). */
	char *small = qr_svg("a", "t");
	char big_text[1000];
	memset(big_text, 'x', sizeof big_text - 1);
	big_text[sizeof big_text - 1] = '\0';
	char *big = qr_svg(big_text, "t");
	assert_non_null(small);
	assert_non_null(big);
	int ws = 0, wb = 0;
	const char *vs = strstr(small, "viewBox=\"0 0 ");
	const char *vb = strstr(big, "viewBox=\"0 0 ");
	assert_non_null(vs);
	assert_non_null(vb);
	for (const char *p = vs + 13; *p >= '0' && *p <= '9'; p++)
		ws = ws * 10 + (*p - '0');
	for (const char *p = vb + 13; *p >= '0' && *p <= '9'; p++)
		wb = wb * 10 + (*p - '0');
	assert_int_equal(ws, 21 + 8); /* version 1 and the quiet zone */
	assert_true(wb > ws);
	free(small);
	free(big);
}

static void
test_too_long(void **state)
{
	(void)state;
	/* Beyond the capacity of version 40 at level M (2331 bytes). */
	size_t n = 5000;
	char *text = malloc(n + 1);
	memset(text, 'z', n);
	text[n] = '\0';
	assert_null(qr_svg(text, "too long"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_title_escaped),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
