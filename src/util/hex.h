/*
 * hex.h - lowercase hex and standard base64 (RFC 4648 section 4, padded).
 *
 * Decoders are strict: they refuse odd lengths, stray characters and, for
 * base64, non-canonical padding bits, because a signature or hash that two
 * parsers read differently is a verification bug waiting to happen.
 */
#ifndef SL_HEX_H
#define SL_HEX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Decode exactly `out_len` bytes from `hex` (2*out_len chars, either case).
 * Returns 0, or -1 when the length or a character is wrong. */
int hex_decode(const char *hex, size_t hex_len, uint8_t *out, size_t out_len);

void base64_encode(buf *out, const uint8_t *data, size_t len);
/* Appends the decoded bytes to out; returns 0, or -1 on malformed input
 * (out is then left with its original length). */
int base64_decode(buf *out, const char *s, size_t len);

#endif
