/*
 * parse.h - the server's reading of untrusted request text, with no
 * connection in sight: the path and its percent-decoding, route patterns,
 * query strings and form bodies, cookies, the Authorization header, media
 * types and the Origin check.
 *
 * Everything here is a pure function of its input, so the fuzz target
 * (tests/fuzz/fuzz_http.c) and the unit tests (tests/unit/test_http.c)
 * drive exactly the code the server runs.  The rule throughout: refuse
 * what is ambiguous instead of guessing.  A path is refused (400) when a
 * segment decodes to "." or "..", to something holding '/', NUL or another
 * control character, or to invalid UTF-8, or when an escape is malformed;
 * a query or form is refused on the same grounds for names and values.
 *
 * Ownership: http_path and http_kvs own their strings and are freed with
 * their *_free function; a value returned through char ** is the caller's.
 */
#ifndef SL_HTTP_PARSE_H
#define SL_HTTP_PARSE_H

#include "util/common.h"

#define HTTP_MAX_SEGMENTS 32   /* path segments; more is refused */
#define HTTP_MAX_FIELDS 256    /* query or form pairs; more is refused */
#define HTTP_MAX_PATTERN_PARAMS 4

/* Strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF) with no C0 control character and no DEL. */
bool http_text_valid(const char *s, size_t len);

/* Percent-decode s[0, len) and append it to out.  plus_space: '+' means a
 * space (query strings and forms).  SL_EINVAL, naming `what`, for a bad
 * escape, NUL or another control character, or invalid UTF-8. */
int http_decode(const char *s, size_t len, bool plus_space, buf *out, const char *what, sl_err *err);

/* A request path split into decoded segments.  decoded is "/" + the
 * segments joined by "/", so a segment never holds '/'; seg[i] are
 * NUL-terminated copies and off[i] where segment i starts in decoded. */
typedef struct http_path {
	char *decoded;
	char *seg[HTTP_MAX_SEGMENTS];
	size_t off[HTTP_MAX_SEGMENTS];
	size_t n;
} http_path;

/* Parse the path part of a request target (up to '?', which the caller
 * strips): it must start with '/'.  SL_EINVAL with a message naming what
 * is wrong; on error *out is empty. */
int http_path_parse(const char *raw, size_t len, http_path *out, sl_err *err);
void http_path_free(http_path *p);

/* Does pattern match the path?  Pattern segments are literals, "{name}"
 * (one non-empty segment) or, last only, "{name*}" (the rest of the path:
 * one or more segments, given joined by '/').  On a match params[0..*n)
 * point into p (valid while p lives). */
bool http_pattern_match(const char *pattern, const http_path *p, const char **params, size_t *n);

/* Name/value pairs of a query string or an application/x-www-form-urlencoded
 * body ("a=1&b=two+words"), decoded.  A pair without '=' has the value "".
 * Empty pairs ("a=1&&b=2") are skipped. */
typedef struct http_kv {
	char *name, *value;
} http_kv;
typedef struct http_kvs {
	http_kv *v;
	size_t n, cap;
} http_kvs;
#define HTTP_KVS_INIT {NULL, 0, 0}
int http_kvs_parse(const char *s, size_t len, const char *what, http_kvs *out, sl_err *err);
const char *http_kvs_get(const http_kvs *k, const char *name); /* first value, or NULL */
void http_kvs_free(http_kvs *k);

/* The value of cookie `name` in a Cookie header ("a=1; sl_session=xyz"),
 * copied into *value, or NULL when absent or malformed (a cookie value we
 * set is base64url, so anything outside RFC 6265 cookie-octets is not
 * ours).  Returns 0, or SL_EINVAL for a header with control characters. */
int http_cookie_get(const char *header, const char *name, char **value, sl_err *err);

/* "Bearer <token68>" (scheme case-insensitive, RFC 6750 2.1): *token is
 * the token, copied.  SL_ENOTFOUND for another scheme, SL_EINVAL for a
 * malformed Bearer credential. */
int http_bearer_parse(const char *header, char **token, sl_err *err);

/* The media type of a Content-Type header, lower-cased, without
 * parameters or spaces ("application/json; charset=utf-8" ->
 * "application/json"), appended to out; "" for NULL. */
void http_media_type(const char *header, buf *out);

/* Is `origin` (an Origin header) this server's own origin, i.e. exactly
 * "<scheme>://<host>" where scheme is https under TLS, else http, and host
 * is the request's Host header (with its port)?  The literal "null" and
 * anything else is another origin. */
bool http_origin_same(const char *origin, const char *host, bool tls);

/* A break-glass reason: 3..500 bytes of valid text with at least three
 * non-space characters.  SL_EINVAL naming what is wrong. */
int http_reason_check(const char *reason, sl_err *err);

/* Parse "HOST:PORT" or "[V6]:PORT" (PORT 0..65535; 0 lets the system pick).
 * *host is the caller's, without brackets. */
int http_listen_parse(const char *s, char **host, unsigned *port, sl_err *err);

#endif
