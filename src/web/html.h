/*
 * html.h - the only way safeledger writes HTML (and the SVG inside it).
 *
 * Escaping is structural, not a habit: text and attribute values go
 * through functions that escape them, and the one way to emit markup
 * verbatim, html_lit(), accepts only a string literal - the macro pastes
 * "" around its argument, so passing a variable does not compile.  There
 * is no function that takes user text and emits it unescaped.
 *
 *   html h = HTML_INIT(&w->body);
 *   html_open(h, "a", "href", url, "class", "govuk-link", NULL);
 *   html_text(h, child_name);
 *   html_close(h, "a");
 *
 * Tag and attribute names must be literals too (checked the same way by
 * the macros); attribute values are escaped for a double-quoted attribute
 * and a NULL value leaves the attribute out.  URLs built from data go
 * through html_url_part(), which percent-encodes one path segment or query
 * value.  Pages write into a buf (the response body); nothing here fails.
 */
#ifndef SL_WEB_HTML_H
#define SL_WEB_HTML_H

#include "util/buf.h"

typedef struct html {
	buf *out;
} html;

#define HTML_INIT(b) ((html){(b)})

/* Markup from a string literal, verbatim: html_lit(h, "<br>"). */
#define html_lit(h, s) html_raw_((h), "" s "")
void html_raw_(html *h, const char *literal);

/* Text content, escaped (& < > " '); NULL writes nothing. */
void html_text(html *h, const char *s);
void html_textn(html *h, const char *s, size_t n);
/* printf-style text; the whole result is escaped. */
void html_textf(html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* <tag name="value" ...>: a NULL-terminated list of name, value pairs;
 * names are literals, values escaped, a NULL value omits the pair. */
#define html_open(h, tag, ...) html_open_((h), "" tag "", __VA_ARGS__)
void html_open_(html *h, const char *tag, ...) __attribute__((sentinel));
/* <tag .../> for void elements and SVG shapes. */
#define html_void(h, tag, ...) html_void_((h), "" tag "", __VA_ARGS__)
void html_void_(html *h, const char *tag, ...) __attribute__((sentinel));
#define html_close(h, tag) html_raw_((h), "</" tag ">")

/* A whole element with text content: <tag attrs...>text</tag>. */
#define html_elem(h, tag, text, ...)                                                                             \
	do {                                                                                                     \
		html_open_((h), "" tag "", __VA_ARGS__);                                                         \
		html_text((h), (text));                                                                          \
		html_raw_((h), "</" tag ">");                                                                    \
	} while (0)

/* Percent-encode s as one URL path segment or query value into out
 * (unreserved characters kept), for building href values.  URL-valued
 * attributes (href, src, action, formaction, xlink:href) that are not a
 * local path ("/x", not "//x"), a fragment, a query or an http(s) URL are
 * written as "#": no text becomes a javascript: link. */
void html_url_part(buf *out, const char *s);

/* printf into a small caller's array and return it: numbers and short
 * computed values for attributes (SVG coordinates, ids), which html_open
 * then escapes like any other value.  Cut at HTML_FMT_MAX - 1 bytes. */
#define HTML_FMT_MAX 64
const char *html_fmt(char out[HTML_FMT_MAX], const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
