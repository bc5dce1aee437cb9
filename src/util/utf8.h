/*
 * utf8.h - reading UTF-8, once for the whole program.
 *
 * Text arrives from imports, the API, forms, headers and signed notes, and
 * several layers must refuse what is not UTF-8 (RFC 3629 section 4: no
 * overlong forms, no UTF-16 surrogates, nothing above U+10FFFF, no
 * truncated sequence).  The decoder is inline because the JSON reader and
 * writer call it for every character past ASCII.
 */
#ifndef SL_UTF8_H
#define SL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode the sequence at s[0, n), n >= 1: its length (1-4) with *cp the
 * code point, or 0 when it is not valid UTF-8.  The second byte's range is
 * what rules out overlongs (after E0, F0), surrogates (after ED) and code
 * points above U+10FFFF (after F4). */
static inline size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0; /* a continuation byte, an overlong lead C0/C1, or F5..FF */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		unsigned char b = s[i];
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf))
			return 0;
		v = v << 6 | (b & 0x3f);
	}
	*cp = v;
	return len;
}

/* s[0, len) is valid UTF-8 holding no control character (C0, DEL, C1) and
 * no NUL: what a line of user text (a name, a header, a password) may be.
 * *chars (may be NULL) gets the number of characters. */
bool utf8_text_ok(const char *s, size_t len, size_t *chars);

#endif
