/*
 * libFuzzer harness for src/model/evidence.c: the input is an uploaded
 * file.  Besides memory errors it checks what the module promises of an
 * accepted file: never longer than the upload, a JPEG still from SOI to
 * EOI, a PDF untouched, and cleaning is idempotent (the output, checked
 * again, is accepted as the same type and comes back unchanged with
 * nothing stripped).  The seeds in tests/fuzz/corpus/evidence/ are small
 * JPEGs (baseline with restart markers, progressive, with Exif, XMP,
 * IPTC and comments), a PNG with text and eXIf chunks and a PDF, since
 * random bytes rarely get past libmagic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/evidence.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Open this thread's libmagic handle now, so that its memory is not
	 * counted against the first input by the leak check. */
	struct evidence e;
	const char *msgid;
	evidence_accept("%PDF-1.4\n", 9, &e, &msgid);
	evidence_release(&e);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence e, again;
	const char *msgid;
	if (evidence_accept(data, size, &e, &msgid) != ERR_OK) {
		if (msgid == NULL || e.data != NULL)
			abort();
		return 0;
	}
	if (msgid != NULL || e.data == NULL || e.len == 0 || e.len > size)
		abort();
	if (e.type == EVIDENCE_JPEG &&
	    (e.len < 4 || memcmp(e.data, "\xFF\xD8", 2) != 0 ||
	     memcmp(e.data + e.len - 2, "\xFF\xD9", 2) != 0))
		abort();
	if (e.type == EVIDENCE_PDF &&
	    (e.stripped || e.len != size || memcmp(e.data, data, size) != 0))
		abort();
	if (evidence_accept(e.data, e.len, &again, &msgid) != ERR_OK ||
	    again.type != e.type || again.stripped || again.len != e.len ||
	    memcmp(again.data, e.data, e.len) != 0)
		abort();
	evidence_release(&again);
	evidence_release(&e);
	return 0;
}
