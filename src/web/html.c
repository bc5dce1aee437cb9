/*
 * html.c - the HTML writer (html.h): every byte of a page goes through
 * here, escaped unless it came from a string literal.
 *
 * Text and attribute values get the same escaping (& < > " ' as character
 * references), which is safe both in content and inside a double-quoted
 * attribute.  C0 control characters other than tab, newline and carriage
 * return are dropped: HTML forbids them and XML (the SVG a page embeds,
 * when saved as a file) cannot hold them at all.  Bytes are otherwise
 * passed through: the page is served as UTF-8 and what we store is valid
 * UTF-8 (the vocabulary and the request parser refuse anything else).
 *
 * URL-valued attributes (href, src, action, formaction, xlink:href) hold
 * data-built links; a value that is not a path on this site ("/x" but not
 * "//x"), a fragment, a query, or an http(s) URL is replaced by "#", so
 * no text can become a `javascript:` link even if a page forgets to build
 * its URL with html_url_part().
 */
#include "util/common.h"
#include "web/html.h"

#include <stdarg.h>
#include <strings.h>

void html_raw_(html *h, const char *literal)
{
	buf_puts(h->out, literal);
}

/* Append s[0, n) escaped: runs of plain bytes are copied in one call. */
/* The bytes escape() must replace or drop: the five markup characters and
 * the control characters other than tab, line feed and carriage return.
 * A table, so that the common case - a value with none of them - is one
 * tight scan and one copy (a child's page writes ~200 KB of attributes). */
static const unsigned char special[256] = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, [0x0b] = 1, [0x0c] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1, [0x12] = 1,
	[0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1, [0x18] = 1, [0x19] = 1, [0x1a] = 1,
	[0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1, [0x7f] = 1,
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

static void escape(buf *out, const char *s, size_t n)
{
	size_t i = 0, start = 0;

	buf_grow(out, n);
	for (;;) {
		const char *rep;
		while (i < n && !special[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: rep = ""; break; /* a control character: dropped */
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = ++i;
	}
	buf_append(out, s + start, n - start);
}

void html_text(html *h, const char *s)
{
	if (s)
		escape(h->out, s, strlen(s));
}

void html_textn(html *h, const char *s, size_t n)
{
	if (s)
		escape(h->out, s, n);
}

void html_textf(html *h, const char *fmt, ...)
{
	buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	escape(h->out, b.data ? b.data : "", b.len);
	buf_release(&b);
}

static bool url_attribute(const char *name)
{
	/* the first letter rules out most attributes (class, id, d, x, y, ...)
	 * before any comparison */
	switch (name[0]) {
	case 'h': return strcmp(name, "href") == 0;
	case 's': return strcmp(name, "src") == 0;
	case 'a': return strcmp(name, "action") == 0;
	case 'f': return strcmp(name, "formaction") == 0;
	case 'x': return strcmp(name, "xlink:href") == 0;
	default: return false;
	}
}

/* A link to this site, a fragment or query, or an http(s) URL. */
static bool url_safe(const char *v)
{
	if (v[0] == '/')
		return v[1] != '/' && v[1] != '\\';
	if (v[0] == '#' || v[0] == '?')
		return true;
	return strncasecmp(v, "https://", 8) == 0 || strncasecmp(v, "http://", 7) == 0;
}

static void attributes(html *h, va_list ap)
{
	const char *name, *value;

	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (!value)
			continue;
		if (url_attribute(name) && !url_safe(value))
			value = "#";
		buf_putc(h->out, ' ');
		buf_puts(h->out, name); /* a literal (the macros see to it) */
		buf_puts(h->out, "=\"");
		escape(h->out, value, strlen(value));
		buf_putc(h->out, '"');
	}
}

void html_open_(html *h, const char *tag, ...)
{
	va_list ap;

	buf_putc(h->out, '<');
	buf_puts(h->out, tag);
	va_start(ap, tag);
	attributes(h, ap);
	va_end(ap);
	buf_putc(h->out, '>');
}

void html_void_(html *h, const char *tag, ...)
{
	va_list ap;

	buf_putc(h->out, '<');
	buf_puts(h->out, tag);
	va_start(ap, tag);
	attributes(h, ap);
	va_end(ap);
	buf_puts(h->out, "/>");
}

void html_url_part(buf *out, const char *s)
{
	static const char hexd[] = "0123456789ABCDEF";

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			buf_putc(out, '%');
			buf_putc(out, hexd[c >> 4]);
			buf_putc(out, hexd[c & 15]);
		}
	}
}

const char *html_fmt(char out[HTML_FMT_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, HTML_FMT_MAX, fmt, ap);
	va_end(ap);
	return out;
}
