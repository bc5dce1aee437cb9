/*
 * utf8.c - see utf8.h.
 */
#include "util/common.h"
#include "util/utf8.h"

bool utf8_text_ok(const char *s, size_t len, size_t *chars)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t n = 0;

	while (p < end) {
		uint32_t cp;
		size_t k = utf8_decode(p, (size_t)(end - p), &cp);
		/* C0 and DEL; C1 (U+0080..U+009F) are as unwelcome */
		if (!k || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return false;
		p += k;
		n++;
	}
	if (chars)
		*chars = n;
	return true;
}
