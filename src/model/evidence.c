#include "model/evidence.h"

#include <magic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/log.h"
#include "base/mem.h"

/* TRANSLATORS: a worker tried to add an empty file to a case. */
static const char msg_empty[] = N_("This file is empty.");
/* Says the limit in words, as a msgid cannot be built at run time: keep
 * it in step with EVIDENCE_MAX_BYTES. */
static const char msg_toobig[] =
	N_("This file is too big. Each file can be at most 5 MB.");
static const char msg_kind[] = N_("This kind of file cannot be added. "
				  "Send a photo (JPEG or PNG) or a PDF.");
static const char msg_damaged[] =
	N_("This photo seems damaged and cannot be added.");
static const char msg_unchecked[] =
	N_("This file could not be checked. Please try again later.");

/* ---- file type ----------------------------------------------------------- */

/* One libmagic handle per thread: a magic_t may not be shared. */
static _Thread_local magic_t thread_magic;

/*
 * Only the magic database is consulted (MAGIC_NO_CHECK_BUILTIN): the
 * three accepted types are all recognised by it, and skipping the
 * built-in parsers (compressed files, tar, CDF, ELF details, text, JSON,
 * CSV) keeps libmagic's own parsing of untrusted bytes small.
 * MAGIC_NO_COMPRESS_FORK makes sure no decompressor is ever started.
 */
static magic_t
thread_magic_get(void)
{
	if (thread_magic != NULL)
		return thread_magic;
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_BUILTIN |
			       MAGIC_NO_COMPRESS_FORK);
	if (m == NULL) {
		log_error("evidence: magic_open failed");
		return NULL;
	}
	if (magic_load(m, NULL) != 0) {
		log_error("evidence: magic_load: %s", magic_error(m));
		magic_close(m);
		return NULL;
	}
	thread_magic = m;
	return m;
}

void
evidence_thread_release(void)
{
	if (thread_magic != NULL) {
		magic_close(thread_magic);
		thread_magic = NULL;
	}
}

static const struct {
	const char *mime;
	enum evidence_type type;
} accepted[] = {
	{"image/jpeg", EVIDENCE_JPEG},
	{"image/png", EVIDENCE_PNG},
	{"application/pdf", EVIDENCE_PDF},
};

/* ---- output -------------------------------------------------------------- */

/* Appends to e->data, which was allocated with the upload's size: every
 * caller below writes a subset of the input, or something shorter in its
 * place, so the buffer cannot overflow. */
static void
put(struct evidence *e, const unsigned char *p, size_t n)
{
	memcpy(e->data + e->len, p, n);
	e->len += n;
}

/* ---- JPEG ---------------------------------------------------------------- */

enum jpeg_action { JPEG_DROP, JPEG_KEEP, JPEG_JFIF_CORE, JPEG_ADOBE_CORE };

#define JFIF_CORE 14  /* "JFIF\0", version, units, densities, thumb size */
#define ADOBE_CORE 12 /* "Adobe", version, flags0, flags1, transform */

static bool
starts(const unsigned char *body, size_t blen, const char *id, size_t idlen)
{
	return blen >= idlen && memcmp(body, id, idlen) == 0;
}

/*
 * What to do with a segment that has a length: an allow-list, so that
 * markers nobody expected (reserved JPGn, RES) are dropped rather than
 * passed on.
 */
static enum jpeg_action
jpeg_action(unsigned m, const unsigned char *body, size_t blen)
{
	switch (m) {
	case 0xE0: /* APP0: only JFIF, and only its fixed part */
		if (!starts(body, blen, "JFIF", 5) || blen < JFIF_CORE)
			return JPEG_DROP;
		/* A JFIF thumbnail may show what the worker cropped out. */
		if (blen == JFIF_CORE && body[12] == 0 && body[13] == 0)
			return JPEG_KEEP;
		return JPEG_JFIF_CORE;
	case 0xE2: /* APP2: the ICC colour profile, not FlashPix or MPF */
		return starts(body, blen, "ICC_PROFILE", 12) ? JPEG_KEEP
							     : JPEG_DROP;
	case 0xEE: /* APP14 Adobe: without its transform flag CMYK and RGB
		      JPEGs show in the wrong colours; it holds no more. */
		if (!starts(body, blen, "Adobe", 5) || blen < ADOBE_CORE)
			return JPEG_DROP;
		return blen == ADOBE_CORE ? JPEG_KEEP : JPEG_ADOBE_CORE;
	case 0xC4: /* DHT */
	case 0xCC: /* DAC */
	case 0xDA: /* SOS */
	case 0xDB: /* DQT */
	case 0xDC: /* DNL */
	case 0xDD: /* DRI */
	case 0xDE: /* DHP */
	case 0xDF: /* EXP */ return JPEG_KEEP;
	default:
		/* SOF0..SOF15; C4, C8 (reserved) and CC are not frames. */
		if (m >= 0xC0 && m <= 0xCF && m != 0xC8)
			return JPEG_KEEP;
		return JPEG_DROP; /* APP1, APP3..13, APP15, COM, JPGn, RES */
	}
}

/* Writes marker `m` with the first `blen` bytes of `body`, patched by the
 * caller beforehand where needed. */
static void
put_segment(struct evidence *e, unsigned m, const unsigned char *body,
	    size_t blen)
{
	unsigned char head[4] = {0xFF, (unsigned char)m,
				 (unsigned char)((blen + 2) >> 8),
				 (unsigned char)((blen + 2) & 0xFF)};
	put(e, head, sizeof head);
	put(e, body, blen);
}

/*
 * The end of entropy-coded data starting at `i`: the index of the 0xFF
 * that begins the next marker, or 0 if the data runs off the end.  Inside
 * the data 0xFF 0x00 is an escaped 0xFF and RST0..RST7 belong to it.
 */
static size_t
jpeg_entropy_end(const unsigned char *d, size_t n, size_t i)
{
	for (;;) {
		const unsigned char *ff = memchr(d + i, 0xFF, n - i);
		if (ff == NULL)
			return 0;
		i = (size_t)(ff - d);
		if (i + 1 >= n)
			return 0;
		unsigned x = d[i + 1];
		if (x != 0x00 && (x < 0xD0 || x > 0xD7))
			return i;
		i += 2;
	}
}

/*
 * Walks the segments from SOI to EOI.  Each marker is 0xFF, optionally
 * more 0xFF fill bytes, and a code; standalone markers (TEM, RSTn) have
 * no length, the others a two-byte big-endian length that counts itself.
 * After SOS comes entropy-coded data, copied unchanged; the walk goes on
 * at the marker that ends it, so segments between the scans of a
 * progressive JPEG are filtered too.  A kept marker keeps its fill bytes,
 * so kept parts are byte for byte those of the upload.
 */
static enum err
jpeg_clean(const unsigned char *d, size_t n, struct evidence *e)
{
	if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
		return ERR_INVALID;
	put(e, d, 2);
	size_t i = 2;
	bool scanned = false;
	for (;;) {
		if (i >= n || d[i] != 0xFF)
			return ERR_INVALID; /* truncated, or bytes between
					       segments */
		size_t start = i;
		while (i < n && d[i] == 0xFF)
			i++;
		if (i >= n)
			return ERR_INVALID;
		unsigned m = d[i++];
		if (m == 0x00 || m == 0xD8)
			return ERR_INVALID; /* not a marker here */
		if (m == 0xD9) {
			if (!scanned)
				return ERR_INVALID; /* no picture */
			put(e, d + start, i - start);
			if (i < n)
				e->stripped = true; /* data after EOI */
			return ERR_OK;
		}
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
			put(e, d + start, i - start);
			continue;
		}
		if (n - i < 2)
			return ERR_INVALID;
		size_t len = (size_t)d[i] << 8 | d[i + 1];
		if (len < 2 || len > n - i)
			return ERR_INVALID;
		const unsigned char *body = d + i + 2;
		size_t blen = len - 2;
		unsigned char core[JFIF_CORE];
		switch (jpeg_action(m, body, blen)) {
		case JPEG_KEEP: put(e, d + start, i + len - start); break;
		case JPEG_DROP: e->stripped = true; break;
		case JPEG_JFIF_CORE:
			memcpy(core, body, JFIF_CORE);
			core[12] = core[13] = 0; /* no thumbnail */
			put_segment(e, m, core, JFIF_CORE);
			e->stripped = true;
			break;
		case JPEG_ADOBE_CORE:
			put_segment(e, m, body, ADOBE_CORE);
			e->stripped = true;
			break;
		}
		i += len;
		if (m == 0xDA) {
			size_t end = jpeg_entropy_end(d, n, i);
			if (end == 0)
				return ERR_INVALID; /* no EOI */
			put(e, d + i, end - i);
			i = end;
			scanned = true;
		}
	}
}

/* ---- PNG ----------------------------------------------------------------- */

static const unsigned char png_signature[8] = {0x89, 'P',  'N',  'G',
					       '\r', '\n', 0x1A, '\n'};

/* The chunks a viewer needs to show the picture as it was meant to look.
 * None of them can hold text, a date or a place. */
static const char png_keep[][5] = {"IHDR", "PLTE", "IDAT", "IEND",
				   "tRNS", "gAMA", "cHRM", "sRGB",
				   "iCCP", "sBIT", "bKGD", "pHYs"};

static bool
png_kept(const unsigned char *type)
{
	for (size_t k = 0; k < sizeof png_keep / sizeof png_keep[0]; k++)
		if (memcmp(type, png_keep[k], 4) == 0)
			return true;
	return false;
}

static bool
png_type_valid(const unsigned char *t)
{
	for (int k = 0; k < 4; k++)
		if (!((t[k] >= 'A' && t[k] <= 'Z') ||
		      (t[k] >= 'a' && t[k] <= 'z')))
			return false;
	return true;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/*
 * Walks the chunks (4-byte length, 4-byte type, data, 4-byte CRC) from
 * IHDR to IEND.  An unknown critical chunk (upper-case first letter) is
 * refused rather than dropped: a viewer must not show such a file, so it
 * is not a PNG we understand.
 */
static enum err
png_clean(const unsigned char *d, size_t n, struct evidence *e)
{
	if (n < sizeof png_signature ||
	    memcmp(d, png_signature, sizeof png_signature) != 0)
		return ERR_INVALID;
	put(e, d, sizeof png_signature);
	size_t i = sizeof png_signature;
	bool idat = false;
	for (;;) {
		if (n - i < 12)
			return ERR_INVALID; /* truncated, or no IEND */
		uint32_t len = be32(d + i);
		const unsigned char *type = d + i + 4;
		if (len > 0x7FFFFFFFu || len > n - i - 12 ||
		    !png_type_valid(type))
			return ERR_INVALID;
		bool first = i == sizeof png_signature;
		bool ihdr = memcmp(type, "IHDR", 4) == 0;
		if (first != ihdr || (ihdr && len != 13))
			return ERR_INVALID;
		size_t total = 12 + (size_t)len;
		if (png_kept(type))
			put(e, d + i, total);
		else if (type[0] >= 'A' && type[0] <= 'Z')
			return ERR_INVALID;
		else
			e->stripped = true;
		i += total;
		if (memcmp(type, "IDAT", 4) == 0)
			idat = true;
		if (memcmp(type, "IEND", 4) == 0) {
			if (!idat)
				return ERR_INVALID;
			if (i < n)
				e->stripped = true; /* data after IEND */
			return ERR_OK;
		}
	}
}

/* ---- accepting ----------------------------------------------------------- */

enum err
evidence_accept(const void *data, size_t n, struct evidence *OUT,
		const char **OUT_msgid)
{
	*OUT = (struct evidence){0};
	*OUT_msgid = NULL;
	if (n == 0) {
		*OUT_msgid = msg_empty;
		return ERR_INVALID;
	}
	if (n > EVIDENCE_MAX_BYTES) {
		*OUT_msgid = msg_toobig;
		return ERR_TOOBIG;
	}
	magic_t m = thread_magic_get();
	if (m == NULL) {
		*OUT_msgid = msg_unchecked;
		return ERR_IO;
	}
	const char *mime = magic_buffer(m, data, n);
	if (mime == NULL) {
		log_error("evidence: magic_buffer: %s", magic_error(m));
		*OUT_msgid = msg_unchecked;
		return ERR_IO;
	}
	struct evidence e = {0};
	for (size_t k = 0; k < sizeof accepted / sizeof accepted[0]; k++)
		if (strcmp(mime, accepted[k].mime) == 0) {
			e.type = accepted[k].type;
			e.mime = accepted[k].mime;
		}
	if (e.type == EVIDENCE_NONE) {
		*OUT_msgid = msg_kind;
		return ERR_INVALID;
	}
	e.data = xmalloc(n);
	enum err rc = ERR_OK;
	switch (e.type) {
	case EVIDENCE_JPEG: rc = jpeg_clean(data, n, &e); break;
	case EVIDENCE_PNG: rc = png_clean(data, n, &e); break;
	case EVIDENCE_PDF: put(&e, data, n); break;
	case EVIDENCE_NONE: break;
	}
	if (rc) {
		evidence_release(&e);
		*OUT_msgid = msg_damaged;
		return rc;
	}
	*OUT = e;
	return ERR_OK;
}

void
evidence_release(struct evidence *e)
{
	free(e->data);
	*e = (struct evidence){0};
}
