#include "http/form.h"

#include <string.h>
#include <strings.h>

#include "base/str.h"

#define DEFAULT_MAX_FIELDS 200
#define DEFAULT_MAX_FIELD (64 * 1024)
#define DEFAULT_MAX_FILES 10
#define MAX_BOUNDARY 70
#define MAX_PART_HEADERS 8192

/* The limits with zeros replaced by the defaults. */
static struct form_limits
limits_of(const struct form_limits *lim)
{
	struct form_limits l = {0};
	if (lim != NULL)
		l = *lim;
	if (l.max_fields == 0)
		l.max_fields = DEFAULT_MAX_FIELDS;
	if (l.max_field == 0)
		l.max_field = DEFAULT_MAX_FIELD;
	if (l.max_files == 0)
		l.max_files = DEFAULT_MAX_FILES;
	return l;
}

/* Makes room for one more element of `size` bytes in an arena array. */
static void *
array_grow(struct arena *a, void *old, size_t size, size_t n, size_t *cap)
{
	if (n < *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *p = arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Text we keep must be UTF-8 without NUL. */
static bool
text_ok(const char *s, size_t n)
{
	return memchr(s, '\0', n) == NULL && utf8_valid(s, n);
}

static bool
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

enum err
form_url_decode(struct arena *a, const char *s, size_t n, bool plus, char **OUT,
		size_t *OUT_len)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (n - i < 3)
				return ERR_INVALID;
			int hi = hexval((unsigned char)s[i + 1]);
			int lo = hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return ERR_INVALID;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			out[o++] = ' ';
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	*OUT = out;
	*OUT_len = o;
	return ERR_OK;
}

/* Decodes one name or value and checks it against the rules. */
static enum err
decode_text(struct arena *a, const char *s, size_t n, size_t max, char **OUT,
	    size_t *OUT_len)
{
	/* Each output byte needs at most three input bytes. */
	if (n / 3 > max)
		return ERR_TOOBIG;
	char *out;
	size_t len;
	enum err rc = form_url_decode(a, s, n, true, &out, &len);
	if (rc)
		return rc;
	if (len > max)
		return ERR_TOOBIG;
	if (!text_ok(out, len))
		return ERR_INVALID;
	*OUT = out;
	*OUT_len = len;
	return ERR_OK;
}

enum err
form_parse_urlencoded(struct arena *a, const char *s, size_t n,
		      const struct form_limits *lim, struct http_param **OUT,
		      size_t *OUT_n)
{
	struct form_limits l = limits_of(lim);
	struct http_param *v = NULL;
	size_t nv = 0, cap = 0;
	size_t i = 0;
	while (i < n) {
		const char *piece = s + i;
		const char *amp = memchr(piece, '&', n - i);
		size_t plen = amp ? (size_t)(amp - piece) : n - i;
		i += plen + 1;
		if (plen == 0)
			continue;
		if (nv == l.max_fields)
			return ERR_TOOBIG;
		const char *eq = memchr(piece, '=', plen);
		size_t nlen = eq ? (size_t)(eq - piece) : plen;
		char *name, *value;
		size_t name_len, value_len;
		enum err rc = decode_text(a, piece, nlen, l.max_field, &name,
					  &name_len);
		if (rc == ERR_OK && name_len == 0)
			rc = ERR_INVALID;
		if (rc == ERR_OK && eq != NULL)
			rc = decode_text(a, eq + 1, plen - nlen - 1,
					 l.max_field, &value, &value_len);
		else if (rc == ERR_OK) {
			value = arena_strdup(a, "");
			value_len = 0;
		}
		if (rc)
			return rc;
		v = array_grow(a, v, sizeof(*v), nv, &cap);
		v[nv++] = (struct http_param){name, value, value_len};
	}
	*OUT = v;
	*OUT_n = nv;
	return ERR_OK;
}

enum err
form_parse_query(struct arena *a, const char *s, size_t n,
		 const struct form_limits *lim, struct http_param **OUT,
		 size_t *OUT_n)
{
	if (n > 0 && s[0] == '?') {
		s++;
		n--;
	}
	return form_parse_urlencoded(a, s, n, lim, OUT, OUT_n);
}

enum err
form_parse_cookies(struct arena *a, const char *s, size_t n,
		   const struct form_limits *lim, struct http_param **OUT,
		   size_t *OUT_n)
{
	struct form_limits l = limits_of(lim);
	struct http_param *v = NULL;
	size_t nv = 0, cap = 0;
	size_t i = 0;
	while (i < n) {
		const char *p = s + i;
		const char *semi = memchr(p, ';', n - i);
		size_t plen = semi ? (size_t)(semi - p) : n - i;
		i += plen + 1;
		while (plen > 0 && is_ows(*p)) {
			p++;
			plen--;
		}
		while (plen > 0 && is_ows(p[plen - 1]))
			plen--;
		if (plen == 0)
			continue;
		const char *eq = memchr(p, '=', plen);
		if (eq == NULL)
			return ERR_INVALID;
		size_t nlen = (size_t)(eq - p);
		while (nlen > 0 && is_ows(p[nlen - 1]))
			nlen--;
		if (nlen == 0)
			return ERR_INVALID;
		for (size_t k = 0; k < nlen; k++)
			if (!is_tchar((unsigned char)p[k]))
				return ERR_INVALID;
		const char *val = eq + 1;
		size_t vlen = plen - (size_t)(val - p);
		while (vlen > 0 && is_ows(*val)) {
			val++;
			vlen--;
		}
		if (vlen > 0 && val[0] == '"') {
			if (vlen < 2 || val[vlen - 1] != '"')
				return ERR_INVALID;
			val++;
			vlen -= 2;
		}
		for (size_t k = 0; k < vlen; k++) {
			unsigned char c = (unsigned char)val[k];
			if (c < 0x20 || c == 0x7f || c == '"')
				return ERR_INVALID;
		}
		if (nlen > l.max_field || vlen > l.max_field)
			return ERR_TOOBIG;
		if (!utf8_valid(val, vlen))
			return ERR_INVALID;
		if (nv == l.max_fields)
			return ERR_TOOBIG;
		v = array_grow(a, v, sizeof(*v), nv, &cap);
		v[nv++] =
			(struct http_param){arena_strndup(a, p, nlen),
					    arena_strndup(a, val, vlen), vlen};
	}
	*OUT = v;
	*OUT_n = nv;
	return ERR_OK;
}

/*
 * Reads one `; key=value` parameter list (as in Content-Type or
 * Content-Disposition) starting at `*pos` of `s`.  Returns ERR_OK with
 * *OUT_key NULL at the end.  The value may be a token or a quoted-string
 * (backslash escapes one character).
 */
static enum err
next_param(struct arena *a, const char *s, size_t n, size_t *pos,
	   char **OUT_key, char **OUT_value)
{
	size_t i = *pos;
	*OUT_key = NULL;
	while (i < n && is_ows(s[i]))
		i++;
	if (i == n)
		goto out;
	if (s[i] != ';')
		return ERR_INVALID;
	i++;
	while (i < n && is_ows(s[i]))
		i++;
	size_t k0 = i;
	while (i < n && is_tchar((unsigned char)s[i]))
		i++;
	if (i == k0 || i == n || s[i] != '=')
		return ERR_INVALID;
	char *key = arena_strndup(a, s + k0, i - k0);
	i++;
	char *value;
	if (i < n && s[i] == '"') {
		value = arena_alloc(a, n - i);
		size_t o = 0;
		i++;
		for (;;) {
			if (i == n)
				return ERR_INVALID; /* unterminated */
			if (s[i] == '"')
				break;
			if (s[i] == '\\' && i + 1 < n)
				i++;
			value[o++] = s[i++];
		}
		value[o] = '\0';
		i++;
	} else {
		size_t v0 = i;
		while (i < n && is_tchar((unsigned char)s[i]))
			i++;
		if (i == v0)
			return ERR_INVALID;
		value = arena_strndup(a, s + v0, i - v0);
	}
	*OUT_key = key;
	*OUT_value = value;
out:
	*pos = i;
	return ERR_OK;
}

enum err
form_multipart_boundary(struct arena *a, const char *content_type,
			const char **OUT)
{
	static const char type[] = "multipart/form-data";
	if (content_type == NULL ||
	    strncasecmp(content_type, type, sizeof type - 1) != 0)
		return ERR_INVALID;
	const char *s = content_type + sizeof type - 1;
	size_t n = strlen(s), pos = 0;
	const char *boundary = NULL;
	for (;;) {
		char *key, *value;
		enum err rc = next_param(a, s, n, &pos, &key, &value);
		if (rc)
			return rc;
		if (key == NULL)
			break;
		if (strcasecmp(key, "boundary") == 0)
			boundary = value;
	}
	if (boundary == NULL || boundary[0] == '\0' ||
	    strlen(boundary) > MAX_BOUNDARY)
		return ERR_INVALID;
	*OUT = boundary;
	return ERR_OK;
}

/* What the headers of one part say. */
struct part_head {
	char *name;
	char *filename;
	bool has_filename;
	char *content_type;
};

static enum err
parse_disposition(struct arena *a, const char *s, size_t n, struct part_head *h)
{
	static const char fd[] = "form-data";
	size_t pos = 0;
	while (pos < n && is_ows(s[pos]))
		pos++;
	if (n - pos < sizeof fd - 1 ||
	    strncasecmp(s + pos, fd, sizeof fd - 1) != 0)
		return ERR_INVALID;
	pos += sizeof fd - 1;
	for (;;) {
		char *key, *value;
		enum err rc = next_param(a, s, n, &pos, &key, &value);
		if (rc)
			return rc;
		if (key == NULL)
			return ERR_OK;
		if (strcasecmp(key, "name") == 0) {
			h->name = value;
		} else if (strcasecmp(key, "filename") == 0) {
			h->filename = value;
			h->has_filename = true;
		}
	}
}

/* Parses the header lines of a part, `s` up to (not including) the blank
 * line. */
static enum err
parse_part_head(struct arena *a, const char *s, size_t n, struct part_head *h)
{
	if (!utf8_valid(s, n))
		return ERR_INVALID;
	size_t i = 0;
	while (i < n) {
		const char *line = s + i;
		const char *crlf = memmem(line, n - i, "\r\n", 2);
		size_t len = crlf ? (size_t)(crlf - line) : n - i;
		i += len + 2;
		for (size_t k = 0; k < len; k++) {
			unsigned char c = (unsigned char)line[k];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return ERR_INVALID;
		}
		const char *colon = memchr(line, ':', len);
		if (colon == NULL || colon == line)
			return ERR_INVALID;
		size_t nlen = (size_t)(colon - line);
		const char *v = colon + 1;
		size_t vlen = len - nlen - 1;
		if (nlen == 19 &&
		    strncasecmp(line, "Content-Disposition", 19) == 0) {
			enum err rc = parse_disposition(a, v, vlen, h);
			if (rc)
				return rc;
		} else if (nlen == 12 &&
			   strncasecmp(line, "Content-Type", 12) == 0) {
			while (vlen > 0 && is_ows(*v)) {
				v++;
				vlen--;
			}
			while (vlen > 0 && is_ows(v[vlen - 1]))
				vlen--;
			h->content_type = arena_strndup(a, v, vlen);
		}
	}
	return ERR_OK;
}

/* Drops any directory a client put in front of the name (old browsers
 * sent full paths). */
static const char *
base_name(const char *f)
{
	const char *b = f;
	for (const char *p = f; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

enum err
form_parse_multipart(struct arena *a, const char *content_type,
		     const char *body, size_t n, const struct form_limits *lim,
		     struct http_param **OUT_fields, size_t *OUT_nfields,
		     struct http_file **OUT_files, size_t *OUT_nfiles)
{
	struct form_limits l = limits_of(lim);
	const char *boundary;
	enum err rc = form_multipart_boundary(a, content_type, &boundary);
	if (rc)
		return rc;
	/* delim is "\r\n--boundary"; the body starts without the CRLF. */
	char *delim = arena_printf(a, "\r\n--%s", boundary);
	size_t dlen = strlen(delim);
	struct http_param *fields = NULL;
	struct http_file *files = NULL;
	size_t nfields = 0, cfields = 0, nfiles = 0, cfiles = 0, nparts = 0;

	if (n < dlen - 2 || memcmp(body, delim + 2, dlen - 2) != 0)
		return ERR_INVALID;
	size_t i = dlen - 2;
	for (;;) {
		/* Just after a delimiter: "--" ends, else padding + CRLF. */
		if (n - i >= 2 && body[i] == '-' && body[i + 1] == '-')
			break;
		while (i < n && is_ows(body[i]))
			i++;
		if (n - i < 2 || body[i] != '\r' || body[i + 1] != '\n')
			return ERR_INVALID;
		i += 2;
		if (++nparts > l.max_fields + l.max_files)
			return ERR_TOOBIG;

		struct part_head h = {0};
		size_t head_len;
		if (n - i >= 2 && body[i] == '\r' && body[i + 1] == '\n') {
			head_len = 0; /* no headers at all */
			i += 2;
		} else {
			const char *end =
				memmem(body + i, n - i, "\r\n\r\n", 4);
			if (end == NULL)
				return ERR_INVALID;
			head_len = (size_t)(end - (body + i));
			if (head_len > MAX_PART_HEADERS)
				return ERR_TOOBIG;
			rc = parse_part_head(a, body + i, head_len, &h);
			if (rc)
				return rc;
			i += head_len + 4;
		}
		const char *next = memmem(body + i, n - i, delim, dlen);
		if (next == NULL)
			return ERR_INVALID; /* no final delimiter */
		const char *data = body + i;
		size_t len = (size_t)(next - data);
		i = (size_t)(next - body) + dlen;

		if (h.name == NULL || h.name[0] == '\0')
			return ERR_INVALID;
		size_t name_len = strlen(h.name);
		if (name_len > l.max_field)
			return ERR_TOOBIG;
		if (h.has_filename) {
			if (h.filename[0] == '\0')
				continue; /* a file input left empty */
			const char *fname = base_name(h.filename);
			if (fname[0] == '\0' ||
			    str_has_control(fname, strlen(fname)))
				return ERR_INVALID;
			if (nfiles == l.max_files)
				return ERR_TOOBIG;
			files = array_grow(a, files, sizeof(*files), nfiles,
					   &cfiles);
			files[nfiles++] = (struct http_file){
				.field = h.name,
				.filename = fname,
				.content_type =
					h.content_type
						? h.content_type
						: "application/octet-stream",
				.data = data,
				.len = len,
			};
			continue;
		}
		if (len > l.max_field)
			return ERR_TOOBIG;
		if (!text_ok(data, len))
			return ERR_INVALID;
		if (nfields == l.max_fields)
			return ERR_TOOBIG;
		fields = array_grow(a, fields, sizeof(*fields), nfields,
				    &cfields);
		fields[nfields++] = (struct http_param){
			h.name, arena_strndup(a, data, len), len};
	}
	*OUT_fields = fields;
	*OUT_nfields = nfields;
	*OUT_files = files;
	*OUT_nfiles = nfiles;
	return ERR_OK;
}
