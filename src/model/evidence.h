/*
 * evidence.h — deciding whether an uploaded file may be added to a case,
 * and removing hidden information from photos.
 *
 * Workers send photos (JPEG, PNG) or PDFs as evidence.  A photo taken with
 * a phone carries more than the picture: the place it was taken (GPS),
 * the time, the phone's make, model and serial number, sometimes a
 * thumbnail of the uncropped original.  A worker rarely knows this, and
 * the file may be seen by an employer or an agency later, so photos are
 * stored without it.  This module is pure: no database, no HTTP.
 *
 * What is kept and what is removed:
 *  - JPEG: the segments needed to show the picture are kept byte for byte
 *    (JFIF APP0, DQT, DHT, DAC, DRI, DNL, SOFn, SOS and the compressed
 *    data up to and including EOI), with the colour information (APP2
 *    ICC_PROFILE, APP14 Adobe).  Everything else goes: Exif and XMP
 *    (APP1), IPTC/Photoshop (APP13), other APPn, comments (COM), the
 *    thumbnail of a JFIF header and anything after EOI (phones append
 *    extra pictures and videos there).  The Exif orientation tag goes
 *    with Exif, so a photo taken with the phone turned may show on its
 *    side; that is accepted, as rotating the pixels would mean decoding
 *    and re-encoding the photo.
 *  - PNG: IHDR, PLTE, IDAT, IEND, tRNS, gAMA, cHRM, sRGB, iCCP, sBIT,
 *    bKGD and pHYs are kept; every other chunk (tEXt, zTXt, iTXt, eXIf,
 *    tIME, the frames of an animated PNG…) and anything after IEND go.
 *    Chunk CRCs are copied, not checked: checking the picture is the
 *    viewer's business, removing what must not be kept is ours.
 *  - PDF: stored exactly as sent.  Its metadata (author, producer, dates,
 *    XMP) is NOT removed: rewriting a PDF safely needs a PDF library,
 *    which ATIS does not use, and a half-rewritten PDF could lose the
 *    evidence itself.  The upload page should tell workers so.
 *
 * The type comes from the bytes alone (libmagic), never from the name or
 * the Content-Type the browser sent: a text file named photo.jpg is
 * refused.  A file libmagic calls a photo must also have the structure
 * of one, or it is refused as damaged.
 *
 * libmagic handles are not thread-safe, so each thread opens its own on
 * first use; a thread calls evidence_thread_release() before it ends.
 */
#ifndef ATIS_MODEL_EVIDENCE_H
#define ATIS_MODEL_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define EVIDENCE_MAX_FILES 5 /* per upload; for the caller to enforce */
#define EVIDENCE_MAX_BYTES (5u * 1024 * 1024) /* per file */

enum evidence_type {
	EVIDENCE_NONE = 0,
	EVIDENCE_JPEG,
	EVIDENCE_PNG,
	EVIDENCE_PDF
};

struct evidence {
	enum evidence_type type;
	const char *mime;    /* "image/jpeg", "image/png", "application/pdf"
				(static) */
	unsigned char *data; /* malloc'd: the bytes to store */
	size_t len;          /* never more than the upload's size */
	bool stripped;       /* something was removed from the upload */
};

/*
 * Checks the `n` bytes at `data` and prepares what to store.
 *
 * On ERR_OK, OUT is filled (the caller frees it with evidence_release) and
 * *OUT_msgid is NULL.  Otherwise OUT is left empty (data NULL, type
 * EVIDENCE_NONE; evidence_release is harmless) and *OUT_msgid is an
 * English message for the worker, to translate with i18n_gettext:
 *   ERR_TOOBIG   n > EVIDENCE_MAX_BYTES;
 *   ERR_INVALID  n == 0, a type other than JPEG, PNG or PDF, or a JPEG or
 *                PNG too damaged to clean;
 *   ERR_IO       libmagic could not be opened (logged; not the worker's
 *                fault, so the message asks to try again later).
 */
enum err evidence_accept(const void *data, size_t n, struct evidence *OUT,
			 const char **OUT_msgid);

/* Frees e->data and empties `e`; safe on an empty or released one. */
void evidence_release(struct evidence *e);

/* Closes this thread's libmagic handle, if it opened one.  Call it when a
 * thread that may have called evidence_accept ends; a later
 * evidence_accept on the same thread opens a new handle. */
void evidence_thread_release(void);

#endif
