/*
 * jcs.h - RFC 8785 JSON Canonicalization Scheme: the bytes that get hashed.
 *
 * Every ledger event is hashed (and so signed) in its JCS form, so this
 * module decides those bytes.  It owns two things: turning a jansson value
 * into its canonical text (jcs_append), and the one strict way untrusted
 * JSON text enters safeledger (jcs_parse).
 *
 * The invariant the rest of the ledger leans on: whenever jcs_append
 * succeeds, jcs_parse accepts its output and jcs_append of the result gives
 * the same bytes again.  A verifier can therefore re-derive an event's hash
 * from its stored canonical text.  Keeping that promise is why jcs_append is
 * stricter than RFC 8785 about numbers (see below): RFC 8785 would accept
 * them, but safeledger could not read its own output back.
 *
 * Ownership: jcs_append only appends to the caller's buffer and never keeps
 * or changes the value.  jcs_parse returns a new reference the caller
 * releases with json_decref().
 */
#ifndef SL_LEDGER_JCS_H
#define SL_LEDGER_JCS_H

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

/* Nesting limit, the same as jansson's parser (JSON_PARSER_MAX_DEPTH), so
 * anything jcs_parse accepts can be canonicalised; deeper values (or a
 * value that contains itself) are refused rather than overflowing the
 * stack. */
#define JCS_MAX_DEPTH 2048

/*
 * Append the RFC 8785 canonical form of v to out.  Returns 0, or SL_EINVAL
 * with err set when v cannot be canonicalised; out then keeps its original
 * length, so no half-written value is ever hashed.  Refused:
 *   - a real that is NaN or infinite (RFC 8785 section 3.2.2.3);
 *   - an integer with |i| > 2^53: JCS numbers are IEEE-754 doubles
 *     (section 3.2.2.3) and silently rounding would change signed bytes;
 *   - a real whose canonical text would read back as such an integer, that
 *     is an integral value with 2^53 < |x| < 10^21 (ECMAScript prints these
 *     as plain digits, "295147905179352830000");
 *   - a string or member name that is not valid UTF-8 (section 3.2.4), or
 *     that contains U+0000 (jcs_parse refuses it, so it could not be read
 *     back);
 *   - nesting deeper than JCS_MAX_DEPTH.
 * The message names the offending place as an RFC 6901 JSON Pointer:
 * "at /amounts/2: integer 9007199254740993 is outside +-2^53 ...".
 */
int jcs_append(buf *out, const json_t *v, sl_err *err);
/* jcs_append of the object obj as if `name: value` had been set on it
 * (added, or replacing a member of that name), without copying obj: how
 * the app adds the recorder to every event it writes. */
int jcs_append_with(buf *out, const json_t *obj, const char *name, const json_t *value, sl_err *err);

/*
 * Append d as ECMAScript's Number::toString gives it (RFC 8785 section
 * 3.2.2.3): "0" for both zeros, the shortest digits that read back as d,
 * exponent form from 1e+21 up and from 1e-7 down.  This is the plain RFC
 * rule without jcs_append's 2^53 restriction; it exists so the RFC's
 * Appendix B vectors can be checked directly.  Returns 0, or SL_EINVAL for
 * NaN and infinities (out unchanged).
 */
int jcs_append_double(buf *out, double d, sl_err *err);

/*
 * Parse text[0..len) as one JSON value (RFC 8259: any value, so callers that
 * need an object check json_is_object) the strict way every safeledger
 * input goes in: duplicate member names refused (JSON_REJECT_DUPLICATES;
 * RFC 8785 section 3.1 requires unique names), "\u0000" refused (no
 * JSON_ALLOW_NUL) and so is a raw NUL byte anywhere (jansson would skip
 * some), and nothing but whitespace after the value (no
 * JSON_DISABLE_EOF_CHECK).  Returns a new reference, or NULL with err set
 * to SL_EINVAL and a message naming the place and reason:
 * "column 17: duplicate object key" ("line 3, column 17: ..." past line 1).
 */
json_t *jcs_parse(const char *text, size_t len, sl_err *err);

#endif
