/*
 * qr.h — QR codes (libqrencode) drawn as SVG, so a page can show one
 * without JavaScript or an image file.
 */
#ifndef ATIS_BASE_QR_H
#define ATIS_BASE_QR_H

/* An <svg> element for `text` (medium error correction); the caller frees
 * it.  NULL if the text cannot be encoded. */
char *qr_svg(const char *text, const char *title);

#endif
