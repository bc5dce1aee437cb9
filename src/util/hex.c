/*
 * hex.c - hex and base64 codecs.  See hex.h.
 */
#include "util/common.h"
#include "util/hex.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t out_len)
{
	size_t i;

	if (hex_len != out_len * 2)
		return -1;
	for (i = 0; i < out_len; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_encode(buf *out, const uint8_t *data, size_t len)
{
	size_t i;

	buf_grow(out, (len + 2) / 3 * 4);
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
		buf_putc(out, b64[v >> 18 & 63]);
		buf_putc(out, b64[v >> 12 & 63]);
		buf_putc(out, b64[v >> 6 & 63]);
		buf_putc(out, b64[v & 63]);
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)data[i] << 16;
		buf_putc(out, b64[v >> 18 & 63]);
		buf_putc(out, b64[v >> 12 & 63]);
		buf_puts(out, "==");
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;
		buf_putc(out, b64[v >> 18 & 63]);
		buf_putc(out, b64[v >> 12 & 63]);
		buf_putc(out, b64[v >> 6 & 63]);
		buf_putc(out, '=');
	}
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

int base64_decode(buf *out, const char *s, size_t len)
{
	size_t start = out->len, i, pad = 0;

	if (len % 4 != 0)
		return -1;
	if (len >= 1 && s[len - 1] == '=')
		pad++;
	if (len >= 2 && s[len - 2] == '=')
		pad++;
	for (i = 0; i < len; i += 4) {
		int v[4], k, last = (i + 4 == len);
		for (k = 0; k < 4; k++) {
			if (last && k >= 4 - (int)pad) {
				v[k] = 0;
				continue;
			}
			v[k] = b64_value(s[i + k]);
			if (v[k] < 0)
				goto bad;
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if (last && pad == 2) {
			if (w & 0xffff)
				goto bad; /* non-zero padding bits: not canonical */
			buf_putc(out, (char)(w >> 16));
		} else if (last && pad == 1) {
			if (w & 0xff)
				goto bad;
			buf_putc(out, (char)(w >> 16));
			buf_putc(out, (char)(w >> 8 & 0xff));
		} else {
			buf_putc(out, (char)(w >> 16));
			buf_putc(out, (char)(w >> 8 & 0xff));
			buf_putc(out, (char)(w & 0xff));
		}
	}
	return 0;
bad:
	buf_truncate(out, start);
	return -1;
}
