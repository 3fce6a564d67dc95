/*
 * Tests for src/model/evidence.c: what is accepted as evidence and what
 * is removed from photos.
 *
 * The photos are built here from a plain 32x16 JPEG (made with libjpeg:
 * baseline, optimised Huffman tables, a restart interval of one MCU, so
 * its data holds an RST0 marker and escaped 0xFF 0x00 bytes) and a plain
 * 4x4 PNG, by adding the segments and chunks phones and editors write:
 * Exif with GPS, XMP, IPTC, comments, text chunks, trailers.  The result
 * is checked byte for byte, and with libmagic of its own (as `file`
 * would), so that a cleaned photo is still a photo.
 *
 * tests/data/ holds the files the HTTP tests upload; test_data_files
 * checks they are what their names say.  Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <magic.h>
#include <pthread.h>
#include <zlib.h>

#include "base/buf.h"
#include "model/evidence.h"

static const unsigned char plain_jpeg[] = {
	0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
	0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43,
	0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08, 0x07, 0x07, 0x07, 0x09,
	0x09, 0x08, 0x0a, 0x0c, 0x14, 0x0d, 0x0c, 0x0b, 0x0b, 0x0c, 0x19, 0x12,
	0x13, 0x0f, 0x14, 0x1d, 0x1a, 0x1f, 0x1e, 0x1d, 0x1a, 0x1c, 0x1c, 0x20,
	0x24, 0x2e, 0x27, 0x20, 0x22, 0x2c, 0x23, 0x1c, 0x1c, 0x28, 0x37, 0x29,
	0x2c, 0x30, 0x31, 0x34, 0x34, 0x34, 0x1f, 0x27, 0x39, 0x3d, 0x38, 0x32,
	0x3c, 0x2e, 0x33, 0x34, 0x32, 0xff, 0xdb, 0x00, 0x43, 0x01, 0x09, 0x09,
	0x09, 0x0c, 0x0b, 0x0c, 0x18, 0x0d, 0x0d, 0x18, 0x32, 0x21, 0x1c, 0x21,
	0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
	0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
	0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
	0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32, 0x32,
	0x32, 0x32, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x20, 0x03,
	0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xc4, 0x00,
	0x16, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x07, 0x05, 0xff, 0xc4, 0x00,
	0x21, 0x10, 0x00, 0x01, 0x03, 0x02, 0x07, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x02, 0x05, 0x22, 0x31, 0x51,
	0x00, 0x01, 0x04, 0x06, 0x11, 0x12, 0x41, 0xb1, 0xff, 0xc4, 0x00, 0x16,
	0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0xff, 0xc4, 0x00, 0x24,
	0x11, 0x00, 0x00, 0x04, 0x02, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05, 0x31, 0x03, 0x21, 0x02,
	0x04, 0x06, 0x11, 0x12, 0x41, 0x51, 0x61, 0x71, 0xb1, 0xe1, 0xff, 0xdd,
	0x00, 0x04, 0x00, 0x01, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02,
	0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, 0x9e, 0xe9, 0x36, 0xff, 0x00, 0x5e,
	0x14, 0x94, 0x47, 0xe0, 0x79, 0x9e, 0x12, 0xb7, 0xb2, 0x52, 0x20, 0x59,
	0x63, 0x7b, 0x25, 0x22, 0x05, 0xd0, 0xe9, 0x36, 0xff, 0x00, 0x4e, 0x14,
	0x94, 0x47, 0xe0, 0x79, 0x9e, 0x0a, 0x75, 0xdc, 0x17, 0xc5, 0x84, 0x72,
	0xcc, 0xb4, 0xf3, 0xae, 0x19, 0x67, 0x57, 0x18, 0x8c, 0xc7, 0xff, 0xd0,
	0x9f, 0xb7, 0xb2, 0x52, 0x20, 0x59, 0x53, 0x7b, 0x25, 0x22, 0x05, 0xb7,
	0x9b, 0xd9, 0x29, 0x10, 0x2c, 0xa9, 0xbd, 0x92, 0x91, 0x02, 0xda, 0x53,
	0x5e, 0xdc, 0x44, 0x05, 0xa6, 0x98, 0xff, 0xd9,
};

static const unsigned char plain_png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00,
	0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00,
	0x00, 0x04, 0x08, 0x02, 0x00, 0x00, 0x00, 0x26, 0x93, 0x09, 0x29,
	0x00, 0x00, 0x00, 0x29, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x0d,
	0xc7, 0x31, 0x01, 0x00, 0x00, 0x0c, 0xc2, 0x30, 0x84, 0x21, 0x0c,
	0x61, 0x15, 0x51, 0x59, 0x5b, 0xbe, 0x24, 0xb1, 0x71, 0x91, 0x98,
	0xd4, 0xd6, 0x55, 0xfa, 0x99, 0x9d, 0x9b, 0xec, 0x83, 0xc5, 0x21,
	0x78, 0x17, 0xf2, 0x17, 0xc1, 0x59, 0xa8, 0x0b, 0x3a, 0x00, 0x00,
	0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

#define PLAIN_JPEG_APP0_END 20 /* SOI and the 16-byte JFIF APP0 */

static const char msg_empty[] = "This file is empty.";
static const char msg_toobig[] =
	"This file is too big. Each file can be at most 5 MB.";
static const char msg_kind[] = "This kind of file cannot be added. Send a "
			       "photo (JPEG or PNG) or a PDF.";
static const char msg_damaged[] =
	"This photo seems damaged and cannot be added.";

/* ---- helpers ------------------------------------------------------------- */

static bool
contains(const unsigned char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (memcmp(p + i, needle, k) == 0)
			return true;
	return false;
}

/* The MIME type `file --mime-type` would give, from a handle of the test's
 * own with libmagic's default checks. */
static const char *
mime_of(const void *p, size_t n)
{
	static char out[64];
	magic_t m = magic_open(MAGIC_MIME_TYPE);
	assert_non_null(m);
	assert_int_equal(magic_load(m, NULL), 0);
	const char *r = magic_buffer(m, p, n);
	assert_non_null(r);
	snprintf(out, sizeof out, "%s", r);
	magic_close(m);
	return out;
}

static void
add(struct buf *b, const void *p, size_t n)
{
	assert_int_equal(buf_append(b, p, n), ERR_OK);
}

/* A JPEG segment: marker `m` with `n` bytes of body. */
static void
add_segment(struct buf *b, unsigned m, const void *body, size_t n)
{
	unsigned char head[4] = {0xFF, (unsigned char)m,
				 (unsigned char)((n + 2) >> 8),
				 (unsigned char)((n + 2) & 0xFF)};
	add(b, head, 4);
	add(b, body, n);
}

/* A PNG chunk of type `type` with its CRC. */
static void
add_chunk(struct buf *b, const char *type, const void *body, size_t n)
{
	unsigned char len[4] = {(unsigned char)(n >> 24),
				(unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};
	add(b, len, 4);
	add(b, type, 4);
	add(b, body, n);
	uLong crc = crc32(0, (const Bytef *)type, 4);
	crc = crc32(crc, (const Bytef *)body, (uInt)n);
	unsigned char c[4] = {(unsigned char)(crc >> 24),
			      (unsigned char)(crc >> 16),
			      (unsigned char)(crc >> 8), (unsigned char)crc};
	add(b, c, 4);
}

/* The start of an Exif APP1 as a phone writes it: a TIFF header and an
 * IFD pointing at GPS data, with a description naming the tag. */
static const char exif[] = "Exif\0\0MM\0\x2a\0\0\0\x08"
			   "\0\x01\x88\x25\0\x04\0\0\0\x01\0\0\0\x1a"
			   "\0\0\0\0GPSLatitude 14.5995 N\0";
static const char xmp[] =
	"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
	"<rdf:Description exif:GPSLatitude=\"14,35.9667N\"/></x:xmpmeta>";
static const char iptc[] = "Photoshop 3.0\0"
			   "8BIM\x04\x04\0\0\0\0\0\x12"
			   "\x1c\x02\x50\0\x0d"
			   "CANARY-AUTHOR\0";
static const char comment[] = "CANARY-CAMERA-123";

static void
assert_no_metadata(const struct evidence *e)
{
	assert_false(contains(e->data, e->len, "GPSLatitude"));
	assert_false(contains(e->data, e->len, "CANARY"));
	assert_false(contains(e->data, e->len, "Exif"));
	assert_false(contains(e->data, e->len, "xmpmeta"));
}

/* Accepts `p` and checks what is true of every accepted JPEG. */
static void
accept_jpeg(const void *p, size_t n, struct evidence *e)
{
	const char *msgid = "unset";
	assert_int_equal(evidence_accept(p, n, e, &msgid), ERR_OK);
	assert_null(msgid);
	assert_int_equal(e->type, EVIDENCE_JPEG);
	assert_string_equal(e->mime, "image/jpeg");
	assert_non_null(e->data);
	assert_true(e->len >= 4 && e->len <= n);
	assert_memory_equal(e->data, "\xFF\xD8", 2);
	assert_memory_equal(e->data + e->len - 2, "\xFF\xD9", 2);
	assert_string_equal(mime_of(e->data, e->len), "image/jpeg");
}

static void
accept_png(const void *p, size_t n, struct evidence *e)
{
	const char *msgid = "unset";
	assert_int_equal(evidence_accept(p, n, e, &msgid), ERR_OK);
	assert_null(msgid);
	assert_int_equal(e->type, EVIDENCE_PNG);
	assert_string_equal(e->mime, "image/png");
	assert_true(e->len <= n);
	assert_string_equal(mime_of(e->data, e->len), "image/png");
}

/* Expects a refusal with `rc` and `msgid`, and an empty OUT. */
static void
refuse(const void *p, size_t n, enum err rc, const char *msgid)
{
	struct evidence e = {.len = 99};
	const char *got = NULL;
	assert_int_equal(evidence_accept(p, n, &e, &got), rc);
	assert_non_null(got);
	assert_string_equal(got, msgid);
	assert_null(e.data);
	assert_int_equal(e.len, 0);
	assert_int_equal(e.type, EVIDENCE_NONE);
	evidence_release(&e); /* harmless on an empty one */
}

/* The offset of SOS (0xFF 0xDA) in a JPEG made here. */
static size_t
sos_offset(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (p[i] == 0xFF && p[i + 1] == 0xDA)
			return i;
	fail_msg("no SOS");
	return 0;
}

static unsigned char *
read_file(const char *path, size_t *OUT_n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	struct buf b;
	buf_init(&b, 0);
	unsigned char chunk[4096];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		add(&b, chunk, k);
	fclose(f);
	return (unsigned char *)buf_detach(&b, OUT_n);
}

/* ---- JPEG ---------------------------------------------------------------- */

static void
test_jpeg_plain_unchanged(void **state)
{
	(void)state;
	struct evidence e;
	accept_jpeg(plain_jpeg, sizeof plain_jpeg, &e);
	assert_false(e.stripped);
	assert_int_equal(e.len, sizeof plain_jpeg);
	assert_memory_equal(e.data, plain_jpeg, sizeof plain_jpeg);
	evidence_release(&e);
	assert_null(e.data);
	assert_int_equal(e.len, 0);
}

static void
test_jpeg_exif_gps_removed(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	add(&b, plain_jpeg, PLAIN_JPEG_APP0_END);
	add_segment(&b, 0xE1, exif, sizeof exif - 1);
	add_segment(&b, 0xE1, xmp, sizeof xmp - 1);
	add_segment(&b, 0xED, iptc, sizeof iptc - 1);
	add_segment(&b, 0xFE, comment, sizeof comment - 1);
	add(&b, plain_jpeg + PLAIN_JPEG_APP0_END,
	    sizeof plain_jpeg - PLAIN_JPEG_APP0_END);
	const unsigned char *in = (const unsigned char *)b.data;
	assert_true(contains(in, b.len, "GPSLatitude"));
	assert_true(contains(in, b.len, "CANARY-CAMERA-123"));
	assert_string_equal(mime_of(in, b.len), "image/jpeg");

	struct evidence e;
	accept_jpeg(in, b.len, &e);
	assert_true(e.stripped);
	assert_no_metadata(&e);
	/* The image data, from SOS to EOI, is the upload's. */
	size_t sos_in = sos_offset(in, b.len);
	size_t sos_out = sos_offset(e.data, e.len);
	assert_int_equal(e.len - sos_out, b.len - sos_in);
	assert_memory_equal(e.data + sos_out, in + sos_in, b.len - sos_in);
	/* And all the rest is the plain JPEG's, in its order. */
	assert_int_equal(e.len, sizeof plain_jpeg);
	assert_memory_equal(e.data, plain_jpeg, sizeof plain_jpeg);
	evidence_release(&e);
	buf_release(&b);
}

/* Most phones write Exif and no JFIF header: SOI, APP1, then DQT. */
static void
test_jpeg_exif_only(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	add(&b, plain_jpeg, 2);
	add_segment(&b, 0xE1, exif, sizeof exif - 1);
	add(&b, plain_jpeg + PLAIN_JPEG_APP0_END,
	    sizeof plain_jpeg - PLAIN_JPEG_APP0_END);
	struct evidence e;
	accept_jpeg(b.data, b.len, &e);
	assert_true(e.stripped);
	assert_no_metadata(&e);
	assert_int_equal(e.len, 2 + sizeof plain_jpeg - PLAIN_JPEG_APP0_END);
	assert_memory_equal(e.data + 2, plain_jpeg + PLAIN_JPEG_APP0_END,
			    e.len - 2);
	evidence_release(&e);
	buf_release(&b);
}

/* Colour information stays; other application segments go; fill bytes
 * and standalone markers between segments are copied. */
static void
test_jpeg_kept_segments(void **state)
{
	(void)state;
	static const char icc[] = "ICC_PROFILE\0\x01\x01"
				  "fake-profile";
	static const char mpf[] = "MPF\0II*\0";
	static const char adobe[] = "Adobe\0\x64\0\0\0\0\x01";
	static const char adobe_long[] = "Adobe\0\x64\0\0\0\0\x01"
					 "EXTRA";
	static const char app15[] = "CANARY-APP15";
	struct buf in, want;
	buf_init(&in, 0);
	buf_init(&want, 0);
	add(&in, plain_jpeg, PLAIN_JPEG_APP0_END);
	add(&want, plain_jpeg, PLAIN_JPEG_APP0_END);
	add_segment(&in, 0xE2, icc, sizeof icc - 1);
	add_segment(&want, 0xE2, icc, sizeof icc - 1);
	add_segment(&in, 0xE2, mpf, sizeof mpf - 1);
	add_segment(&in, 0xEE, adobe, sizeof adobe - 1);
	add_segment(&want, 0xEE, adobe, sizeof adobe - 1);
	add_segment(&in, 0xEE, adobe_long, sizeof adobe_long - 1);
	add_segment(&want, 0xEE, adobe, sizeof adobe - 1); /* cut to 12 */
	add_segment(&in, 0xEF, app15, sizeof app15 - 1);
	add_segment(&in, 0xC8, "JPG", 3); /* reserved */
	add(&in, "\xFF\x01", 2);          /* TEM */
	add(&want, "\xFF\x01", 2);
	add(&in, "\xFF\xFF\xFF", 3); /* fill bytes before the DQT */
	add(&want, "\xFF\xFF\xFF", 3);
	add(&in, plain_jpeg + PLAIN_JPEG_APP0_END + 1,
	    sizeof plain_jpeg - PLAIN_JPEG_APP0_END - 1);
	add(&want, plain_jpeg + PLAIN_JPEG_APP0_END + 1,
	    sizeof plain_jpeg - PLAIN_JPEG_APP0_END - 1);
	struct evidence e;
	accept_jpeg(in.data, in.len, &e);
	assert_true(e.stripped);
	assert_false(contains(e.data, e.len, "CANARY"));
	assert_false(contains(e.data, e.len, "MPF"));
	assert_false(contains(e.data, e.len, "EXTRA"));
	assert_int_equal(e.len, want.len);
	assert_memory_equal(e.data, want.data, want.len);
	evidence_release(&e);
	buf_release(&in);
	buf_release(&want);
}

/* A JFIF thumbnail may show what the worker cropped out: it goes, the
 * rest of the JFIF header stays. */
static void
test_jpeg_jfif_thumbnail(void **state)
{
	(void)state;
	unsigned char app0[14 + 2 * 1 * 3];
	memcpy(app0, plain_jpeg + 6, 14);
	app0[12] = 2; /* a 2x1 thumbnail, RGB */
	app0[13] = 1;
	memcpy(app0 + 14, "\x11\x22\x33\x44\x55\x66", 6);
	struct buf b;
	buf_init(&b, 0);
	add(&b, plain_jpeg, 2);
	add_segment(&b, 0xE0, app0, sizeof app0);
	add(&b, plain_jpeg + PLAIN_JPEG_APP0_END,
	    sizeof plain_jpeg - PLAIN_JPEG_APP0_END);
	struct evidence e;
	accept_jpeg(b.data, b.len, &e);
	assert_true(e.stripped);
	assert_int_equal(e.len, sizeof plain_jpeg);
	assert_memory_equal(e.data, plain_jpeg, sizeof plain_jpeg);
	evidence_release(&e);
	buf_release(&b);
}

/* Phones append more pictures or a video after EOI; comments can sit
 * between the scans.  Both go, the image data stays. */
static void
test_jpeg_trailer_and_late_segments(void **state)
{
	(void)state;
	static const char trailer[] =
		"\xFF\xD8\xFF\xE1 CANARY-SECOND-PICTURE \xFF\xD9";
	struct buf b;
	buf_init(&b, 0);
	add(&b, plain_jpeg, sizeof plain_jpeg - 2);
	add_segment(&b, 0xFE, comment, sizeof comment - 1);
	add_segment(&b, 0xE1, exif, sizeof exif - 1);
	add(&b, "\xFF\xD9", 2);
	add(&b, trailer, sizeof trailer - 1);
	struct evidence e;
	accept_jpeg(b.data, b.len, &e);
	assert_true(e.stripped);
	assert_no_metadata(&e);
	assert_int_equal(e.len, sizeof plain_jpeg);
	assert_memory_equal(e.data, plain_jpeg, sizeof plain_jpeg);
	evidence_release(&e);
	buf_release(&b);
}

static void
test_jpeg_damaged(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	add(&b, plain_jpeg, PLAIN_JPEG_APP0_END);
	add_segment(&b, 0xE1, exif, sizeof exif - 1);
	add(&b, plain_jpeg + PLAIN_JPEG_APP0_END,
	    sizeof plain_jpeg - PLAIN_JPEG_APP0_END);
	const unsigned char *p = (const unsigned char *)b.data;
	size_t app1 = PLAIN_JPEG_APP0_END;

	/* Cut in the middle of the Exif segment, and in a length. */
	refuse(p, app1 + 20, ERR_INVALID, msg_damaged);
	refuse(p, app1 + 3, ERR_INVALID, msg_damaged);
	refuse(p, app1 + 1, ERR_INVALID, msg_damaged); /* a lone 0xFF */
	/* Cut in the image data: no EOI. */
	refuse(p, b.len - 10, ERR_INVALID, msg_damaged);
	refuse(p, b.len - 1, ERR_INVALID, msg_damaged);

	unsigned char *q = malloc(b.len);
	/* A length running past the end. */
	memcpy(q, p, b.len);
	q[app1 + 2] = 0xFF;
	q[app1 + 3] = 0xF0;
	refuse(q, b.len, ERR_INVALID, msg_damaged);
	/* A length shorter than itself. */
	q[app1 + 2] = 0;
	q[app1 + 3] = 1;
	refuse(q, b.len, ERR_INVALID, msg_damaged);
	/* A byte between segments where a marker should be. */
	memcpy(q, p, b.len);
	q[app1] = 0x00;
	refuse(q, b.len, ERR_INVALID, msg_damaged);
	/* 0xFF 0x00 and a second SOI are no markers outside the data. */
	q[app1] = 0xFF;
	q[app1 + 1] = 0x00;
	refuse(q, b.len, ERR_INVALID, msg_damaged);
	q[app1 + 1] = 0xD8;
	refuse(q, b.len, ERR_INVALID, msg_damaged);
	free(q);

	/* EOI before any picture. */
	struct buf nopic;
	buf_init(&nopic, 0);
	add(&nopic, plain_jpeg, PLAIN_JPEG_APP0_END);
	add_segment(&nopic, 0xFE, comment, sizeof comment - 1);
	add(&nopic, "\xFF\xD9", 2);
	refuse(nopic.data, nopic.len, ERR_INVALID, msg_damaged);
	buf_release(&nopic);
	buf_release(&b);
}

/* ---- PNG ----------------------------------------------------------------- */

#define PNG_SIG 8
#define PNG_IHDR 25 /* length, type, 13 bytes, CRC */

static void
test_png_plain_unchanged(void **state)
{
	(void)state;
	struct evidence e;
	accept_png(plain_png, sizeof plain_png, &e);
	assert_false(e.stripped);
	assert_int_equal(e.len, sizeof plain_png);
	assert_memory_equal(e.data, plain_png, sizeof plain_png);
	evidence_release(&e);
}

static void
test_png_text_exif_removed(void **state)
{
	(void)state;
	static const char gama[] = "\0\0\xb1\x8f";
	static const char phys[] = "\0\0\x0b\x13\0\0\x0b\x13\x01";
	static const char time_[] = "\x07\xea\x0b\x1c\x03\x04\x05";
	static const char itxt[] = "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta "
				   "exif:GPSLatitude=\"14,35.9667N\"/>";
	struct buf in, want;
	buf_init(&in, 0);
	buf_init(&want, 0);
	add(&in, plain_png, PNG_SIG + PNG_IHDR);
	add(&want, plain_png, PNG_SIG + PNG_IHDR);
	add_chunk(&in, "gAMA", gama, 4);
	add_chunk(&want, "gAMA", gama, 4);
	add_chunk(&in, "tEXt", "Comment\0CANARY-PNG", 18);
	add_chunk(&in, "eXIf", exif + 6, sizeof exif - 7);
	add_chunk(&in, "iTXt", itxt, sizeof itxt - 1);
	add_chunk(&in, "zTXt", "Author\0\0x\x9c", 10);
	add_chunk(&in, "tIME", time_, 7);
	add_chunk(&in, "pHYs", phys, 9);
	add_chunk(&want, "pHYs", phys, 9);
	add_chunk(&in, "prVt", "CANARY-PRIVATE", 14); /* unknown ancillary */
	add(&in, plain_png + PNG_SIG + PNG_IHDR,
	    sizeof plain_png - PNG_SIG - PNG_IHDR);
	add(&want, plain_png + PNG_SIG + PNG_IHDR,
	    sizeof plain_png - PNG_SIG - PNG_IHDR);
	const unsigned char *p = (const unsigned char *)in.data;
	assert_true(contains(p, in.len, "CANARY-PNG"));
	assert_true(contains(p, in.len, "GPSLatitude"));
	assert_string_equal(mime_of(p, in.len), "image/png");

	struct evidence e;
	accept_png(p, in.len, &e);
	assert_true(e.stripped);
	assert_no_metadata(&e);
	assert_false(contains(e.data, e.len, "tIME"));
	assert_int_equal(e.len, want.len);
	assert_memory_equal(e.data, want.data, want.len);
	evidence_release(&e);
	buf_release(&in);
	buf_release(&want);
}

static void
test_png_trailer(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	add(&b, plain_png, sizeof plain_png);
	add(&b, "CANARY-AFTER-IEND", 17);
	struct evidence e;
	accept_png(b.data, b.len, &e);
	assert_true(e.stripped);
	assert_int_equal(e.len, sizeof plain_png);
	assert_memory_equal(e.data, plain_png, sizeof plain_png);
	evidence_release(&e);
	buf_release(&b);
}

static void
test_png_damaged(void **state)
{
	(void)state;
	size_t n = sizeof plain_png;
	size_t idat = PNG_SIG + PNG_IHDR;
	unsigned char *q = malloc(n + 64);

	/* Cut anywhere after the signature: in IHDR, IDAT, before IEND. */
	refuse(plain_png, PNG_SIG + 10, ERR_INVALID, msg_damaged);
	refuse(plain_png, idat + 20, ERR_INVALID, msg_damaged);
	refuse(plain_png, n - 12, ERR_INVALID, msg_damaged);
	refuse(plain_png, n - 1, ERR_INVALID, msg_damaged);
	/* A chunk length past the end, and past 2^31 - 1. */
	memcpy(q, plain_png, n);
	q[idat] = 0x00;
	q[idat + 1] = 0x01;
	refuse(q, n, ERR_INVALID, msg_damaged);
	q[idat] = 0x80;
	q[idat + 1] = 0x00;
	refuse(q, n, ERR_INVALID, msg_damaged);
	/* A chunk type that is not four letters. */
	memcpy(q, plain_png, n);
	memcpy(q + idat + 4, "ID@T", 4);
	refuse(q, n, ERR_INVALID, msg_damaged);
	/* An unknown critical chunk: no viewer may show the file. */
	memcpy(q + idat + 4, "IDAX", 4);
	refuse(q, n, ERR_INVALID, msg_damaged);
	/* No IDAT: an ancillary chunk in its place. */
	memcpy(q + idat + 4, "iDAT", 4);
	refuse(q, n, ERR_INVALID, msg_damaged);
	/* IHDR of the wrong size: libmagic wants a 13-byte IHDR first, so
	 * this is not even a PNG to it. */
	memcpy(q, plain_png, n);
	q[PNG_SIG + 3] = 12;
	refuse(q, n, ERR_INVALID, msg_kind);
	/* IHDR not first (libmagic already refuses it), or twice. */
	struct buf b;
	buf_init(&b, 0);
	add(&b, plain_png, PNG_SIG);
	add_chunk(&b, "gAMA", "\0\0\xb1\x8f", 4);
	add(&b, plain_png + PNG_SIG, n - PNG_SIG);
	refuse(b.data, b.len, ERR_INVALID, msg_kind);
	buf_reset(&b);
	add(&b, plain_png, PNG_SIG + PNG_IHDR);
	add(&b, plain_png + PNG_SIG, n - PNG_SIG);
	refuse(b.data, b.len, ERR_INVALID, msg_damaged);
	buf_release(&b);
	free(q);
}

/* ---- PDF and refusals ---------------------------------------------------- */

static const char pdf[] =
	"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
	"3 0 obj\n<< /Author (CANARY-PDF-AUTHOR) >>\nendobj\n"
	"trailer\n<< /Root 1 0 R /Info 3 0 R >>\n%%EOF\n";

/* PDFs are stored as sent, metadata included (see evidence.h). */
static void
test_pdf_unchanged(void **state)
{
	(void)state;
	struct evidence e;
	const char *msgid = "unset";
	assert_int_equal(evidence_accept(pdf, sizeof pdf - 1, &e, &msgid),
			 ERR_OK);
	assert_null(msgid);
	assert_int_equal(e.type, EVIDENCE_PDF);
	assert_string_equal(e.mime, "application/pdf");
	assert_false(e.stripped);
	assert_int_equal(e.len, sizeof pdf - 1);
	assert_memory_equal(e.data, pdf, sizeof pdf - 1);
	evidence_release(&e);
}

static void
test_size_limits(void **state)
{
	(void)state;
	refuse("", 0, ERR_INVALID, msg_empty);
	/* EVIDENCE_MAX_BYTES is allowed, one more is not: checked before
	 * the bytes are looked at. */
	unsigned char *big = malloc(EVIDENCE_MAX_BYTES + 1);
	memset(big, ' ', EVIDENCE_MAX_BYTES + 1);
	memcpy(big, pdf, sizeof pdf - 1);
	refuse(big, EVIDENCE_MAX_BYTES + 1, ERR_TOOBIG, msg_toobig);
	memcpy(big, plain_jpeg, sizeof plain_jpeg);
	refuse(big, EVIDENCE_MAX_BYTES + 1, ERR_TOOBIG, msg_toobig);
	memcpy(big, pdf, sizeof pdf - 1);
	struct evidence e;
	const char *msgid;
	assert_int_equal(evidence_accept(big, EVIDENCE_MAX_BYTES, &e, &msgid),
			 ERR_OK);
	assert_int_equal(e.type, EVIDENCE_PDF);
	assert_int_equal(e.len, EVIDENCE_MAX_BYTES);
	evidence_release(&e);
	free(big);
}

/* The type comes from the bytes, whatever the file was called. */
static void
test_other_kinds_refused(void **state)
{
	(void)state;
	static const char text[] = "This is not a photo, just text named "
				   "photo.jpg.\n";
	static const char html[] =
		"<!DOCTYPE html>\n<html><head><title>x</title></head>"
		"<body><script>alert(1)</script></body></html>\n";
	static const char svg[] =
		"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/"
		"svg\" width=\"1\" height=\"1\"><script>alert(1)</script>"
		"</svg>\n";
	static const char gif[] = "GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff"
				  "\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0"
				  "\x01\0\0\x02\x02"
				  "D\x01\0;";
	static const char zip[] = "PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0"
				  "\0\0\0\0\0\0\0\0\x01\0\0\0x";
	unsigned char elf[64] = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0};
	elf[16] = 2;    /* ET_EXEC */
	elf[18] = 0x3E; /* x86-64 */
	elf[20] = 1;
	unsigned char exe[128] = {'M', 'Z', 0x90, 0, 3};
	exe[60] = 64; /* e_lfanew */
	memcpy(exe + 64, "PE\0\0\x4c\x01", 6);

	refuse(text, sizeof text - 1, ERR_INVALID, msg_kind);
	refuse(html, sizeof html - 1, ERR_INVALID, msg_kind);
	refuse(svg, sizeof svg - 1, ERR_INVALID, msg_kind);
	refuse(gif, sizeof gif - 1, ERR_INVALID, msg_kind);
	refuse(zip, sizeof zip - 1, ERR_INVALID, msg_kind);
	refuse(elf, sizeof elf, ERR_INVALID, msg_kind);
	refuse(exe, sizeof exe, ERR_INVALID, msg_kind);
	/* Random bytes, and a PNG signature alone is no PNG. */
	refuse("\x01\x02\x03\x04", 4, ERR_INVALID, msg_kind);
}

/* The files the HTTP tests upload are what their names say. */
static void
test_data_files(void **state)
{
	(void)state;
	size_t n;
	unsigned char *p = read_file("tests/data/exif-gps.jpg", &n);
	assert_true(contains(p, n, "GPSLatitude"));
	assert_true(contains(p, n, "CANARY-CAMERA-123"));
	struct evidence e;
	accept_jpeg(p, n, &e);
	assert_true(e.stripped);
	assert_no_metadata(&e);
	size_t sos_in = sos_offset(p, n), sos_out = sos_offset(e.data, e.len);
	assert_int_equal(e.len - sos_out, n - sos_in);
	assert_memory_equal(e.data + sos_out, p + sos_in, n - sos_in);
	evidence_release(&e);
	free(p);

	p = read_file("tests/data/text-meta.png", &n);
	assert_true(contains(p, n, "CANARY-PNG"));
	assert_true(contains(p, n, "eXIf"));
	accept_png(p, n, &e);
	assert_true(e.stripped);
	assert_no_metadata(&e);
	assert_false(contains(e.data, e.len, "eXIf"));
	assert_false(contains(e.data, e.len, "tIME"));
	evidence_release(&e);
	free(p);

	p = read_file("tests/data/sample.pdf", &n);
	const char *msgid;
	assert_int_equal(evidence_accept(p, n, &e, &msgid), ERR_OK);
	assert_int_equal(e.type, EVIDENCE_PDF);
	assert_false(e.stripped);
	assert_int_equal(e.len, n);
	assert_memory_equal(e.data, p, n);
	evidence_release(&e);
	free(p);

	p = read_file("tests/data/not-a-photo.jpg", &n);
	refuse(p, n, ERR_INVALID, msg_kind);
	free(p);
}

/* Each thread has its own libmagic handle and closes it. */
static void *
worker(void *arg)
{
	(void)arg;
	for (int k = 0; k < 20; k++) {
		struct evidence e;
		const char *msgid;
		if (evidence_accept(plain_jpeg, sizeof plain_jpeg, &e,
				    &msgid) != ERR_OK ||
		    e.len != sizeof plain_jpeg)
			return "jpeg";
		evidence_release(&e);
		if (evidence_accept(plain_png, sizeof plain_png, &e, &msgid) !=
			    ERR_OK ||
		    e.type != EVIDENCE_PNG)
			return "png";
		evidence_release(&e);
	}
	evidence_thread_release();
	return NULL;
}

static void
test_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	for (int k = 0; k < 4; k++)
		assert_int_equal(pthread_create(&t[k], NULL, worker, NULL), 0);
	for (int k = 0; k < 4; k++) {
		void *r;
		assert_int_equal(pthread_join(t[k], &r), 0);
		if (r != NULL)
			fail_msg("thread %d failed on %s", k, (char *)r);
	}
	/* Releasing twice is harmless; the next call opens a new handle. */
	evidence_thread_release();
	evidence_thread_release();
	struct evidence e;
	accept_jpeg(plain_jpeg, sizeof plain_jpeg, &e);
	evidence_release(&e);
	evidence_release(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jpeg_plain_unchanged),
		cmocka_unit_test(test_jpeg_exif_gps_removed),
		cmocka_unit_test(test_jpeg_exif_only),
		cmocka_unit_test(test_jpeg_kept_segments),
		cmocka_unit_test(test_jpeg_jfif_thumbnail),
		cmocka_unit_test(test_jpeg_trailer_and_late_segments),
		cmocka_unit_test(test_jpeg_damaged),
		cmocka_unit_test(test_png_plain_unchanged),
		cmocka_unit_test(test_png_text_exif_removed),
		cmocka_unit_test(test_png_trailer),
		cmocka_unit_test(test_png_damaged),
		cmocka_unit_test(test_pdf_unchanged),
		cmocka_unit_test(test_size_limits),
		cmocka_unit_test(test_other_kinds_refused),
		cmocka_unit_test(test_data_files),
		cmocka_unit_test(test_threads),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	evidence_thread_release();
	return failed;
}
