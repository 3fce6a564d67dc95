#include "base/qr.h"

#include <qrencode.h>
#include <string.h>

#include "base/buf.h"

char *
qr_svg(const char *text, const char *title)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		return NULL;
	int w = q->width, quiet = 4, size = w + 2 * quiet;
	struct buf b;
	buf_init(&b, 0);
	buf_printf(&b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
		   "%d\" width=\"200\" height=\"200\" role=\"img\" "
		   "aria-label=\"",
		   size, size);
	buf_html(&b, title, strlen(title));
	buf_printf(&b,
		   "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		   "<path fill=\"#000\" d=\"",
		   size, size);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (q->data[y * w + x] & 1)
				buf_printf(&b, "M%d %dh1v1h-1z", x + quiet,
					   y + quiet);
	buf_puts(&b, "\"/></svg>");
	QRcode_free(q);
	return buf_detach(&b, NULL);
}
