/*
 * parse.c - reading untrusted request text.  See parse.h.
 *
 * The path is split on '/' BEFORE decoding, and a segment that decodes to
 * something holding '/' is refused: "/log/tile%2F..%2F.." must not become
 * a different route after the split, and a handler must never see a
 * segment that is "." or "..", encoded or not (RFC 3986 5.2.4 would
 * resolve them; we refuse them, since no route of ours uses them).
 */
#include "util/common.h"
#include "http/parse.h"

#include <ctype.h>
#include <errno.h>
#include <strings.h>

#include "util/utf8.h"

bool http_text_valid(const char *s, size_t len)
{
	return utf8_text_ok(s, len, NULL);
}

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

int http_decode(const char *s, size_t len, bool plus_space, buf *out, const char *what, sl_err *err)
{
	size_t start = out->len, i;

	for (i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= len || (hi = hex_value(s[i + 1])) < 0 || (lo = hex_value(s[i + 2])) < 0)
				goto bad_escape;
			buf_putc(out, (char)(hi * 16 + lo));
			i += 2;
		} else if (c == '+' && plus_space) {
			buf_putc(out, ' ');
		} else {
			buf_putc(out, c);
		}
	}
	if (memchr(out->data ? out->data + start : "", '\0', out->len - start))
		goto bad_nul;
	if (!http_text_valid(out->data ? out->data + start : "", out->len - start))
		goto bad_text;
	return 0;
bad_escape:
	buf_truncate(out, start);
	return sl_fail(err, SL_EINVAL, "%s: a malformed percent-escape", what);
bad_nul:
	buf_truncate(out, start);
	return sl_fail(err, SL_EINVAL, "%s: a NUL byte", what);
bad_text:
	buf_truncate(out, start);
	return sl_fail(err, SL_EINVAL, "%s: invalid UTF-8 or a control character", what);
}

void http_path_free(http_path *p)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		free(p->seg[i]);
	free(p->decoded);
	memset(p, 0, sizeof(*p));
}

int http_path_parse(const char *raw, size_t len, http_path *out, sl_err *err)
{
	buf joined = BUF_INIT, seg = BUF_INIT;
	size_t i = 1;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (len == 0 || raw[0] != '/') {
		rc = sl_fail(err, SL_EINVAL, "the path must start with `/`");
		goto done;
	}
	for (;;) {
		const char *slash = memchr(raw + i, '/', len - i);
		size_t end = slash ? (size_t)(slash - raw) : len;

		if (out->n == HTTP_MAX_SEGMENTS) {
			rc = sl_fail(err, SL_EINVAL, "the path has more than %d segments", HTTP_MAX_SEGMENTS);
			goto done;
		}
		buf_reset(&seg);
		if ((rc = http_decode(raw + i, end - i, false, &seg, "path", err)))
			goto done;
		if (memchr(buf_str(&seg), '/', seg.len)) {
			rc = sl_fail(err, SL_EINVAL, "path: an encoded `/` in a segment");
			goto done;
		}
		if (strcmp(buf_str(&seg), ".") == 0 || strcmp(buf_str(&seg), "..") == 0) {
			rc = sl_fail(err, SL_EINVAL, "path: a `.` or `..` segment");
			goto done;
		}
		buf_putc(&joined, '/');
		out->off[out->n] = joined.len;
		buf_append(&joined, buf_str(&seg), seg.len);
		out->seg[out->n++] = xstrdup(buf_str(&seg));
		if (!slash)
			break;
		i = end + 1;
	}
	out->decoded = buf_detach(&joined);
done:
	buf_release(&seg);
	buf_release(&joined);
	if (rc)
		http_path_free(out);
	return rc;
}

bool http_pattern_match(const char *pattern, const http_path *p, const char **params, size_t *n)
{
	const char *s = pattern;
	size_t i = 0;

	*n = 0;
	if (*s != '/')
		return false;
	s++;
	for (;;) {
		const char *slash = strchr(s, '/');
		size_t plen = slash ? (size_t)(slash - s) : strlen(s);

		if (i >= p->n)
			return false;
		if (plen >= 2 && s[0] == '{' && s[plen - 1] == '}') {
			bool rest = plen >= 3 && s[plen - 2] == '*';
			if (*n >= HTTP_MAX_PATTERN_PARAMS || p->seg[i][0] == '\0')
				return false;
			if (rest) {
				size_t j;
				/* every remaining segment must be non-empty too */
				for (j = i; j < p->n; j++)
					if (p->seg[j][0] == '\0')
						return false;
				params[(*n)++] = p->decoded + p->off[i];
				return slash == NULL;
			}
			params[(*n)++] = p->seg[i];
		} else if (strlen(p->seg[i]) != plen || memcmp(p->seg[i], s, plen) != 0) {
			return false;
		}
		i++;
		if (!slash)
			return i == p->n;
		s = slash + 1;
	}
}

void http_kvs_free(http_kvs *k)
{
	size_t i;
	for (i = 0; i < k->n; i++) {
		free(k->v[i].name);
		free(k->v[i].value);
	}
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}

int http_kvs_parse(const char *s, size_t len, const char *what, http_kvs *out, sl_err *err)
{
	buf name = BUF_INIT, value = BUF_INIT;
	size_t i = 0;
	int rc = 0;

	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		const char *eq = memchr(s + i, '=', end - i);
		size_t nend = eq ? (size_t)(eq - s) : end;

		if (end > i) {
			if (out->n == HTTP_MAX_FIELDS) {
				rc = sl_fail(err, SL_EINVAL, "%s: more than %d fields", what, HTTP_MAX_FIELDS);
				goto done;
			}
			buf_reset(&name);
			buf_reset(&value);
			if ((rc = http_decode(s + i, nend - i, true, &name, what, err)) ||
			    (eq && (rc = http_decode(eq + 1, end - nend - 1, true, &value, what, err))))
				goto done;
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 8;
				out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
			}
			out->v[out->n].name = xstrdup(buf_str(&name));
			out->v[out->n].value = xstrdup(buf_str(&value));
			out->n++;
		}
		i = end + 1;
	}
done:
	buf_release(&name);
	buf_release(&value);
	if (rc)
		http_kvs_free(out);
	return rc;
}

const char *http_kvs_get(const http_kvs *k, const char *name)
{
	size_t i;
	for (i = 0; i < k->n; i++)
		if (strcmp(k->v[i].name, name) == 0)
			return k->v[i].value;
	return NULL;
}

/* RFC 6265 4.1.1 cookie-octet */
static bool cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	       (c >= 0x5d && c <= 0x7e);
}

int http_cookie_get(const char *header, const char *name, char **value, sl_err *err)
{
	size_t nlen = strlen(name);
	const char *p = header;

	*value = NULL;
	if (!header)
		return 0;
	for (const char *q = header; *q; q++)
		if ((unsigned char)*q < 0x20 && *q != '\t')
			return sl_fail(err, SL_EINVAL, "Cookie: a control character");
	while (*p) {
		const char *end = strchr(p, ';'), *v;
		size_t plen, vlen, k;

		if (!end)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		plen = (size_t)(end - p);
		while (plen > 0 && (p[plen - 1] == ' ' || p[plen - 1] == '\t'))
			plen--;
		if (plen > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == '=') {
			v = p + nlen + 1;
			vlen = plen - nlen - 1;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			for (k = 0; k < vlen; k++)
				if (!cookie_octet((unsigned char)v[k]))
					break;
			/* the first cookie of that name wins (RFC 6265 5.4: longest
			 * path first), and a malformed one counts as none */
			if (k == vlen && vlen > 0 && vlen <= 512)
				*value = xstrndup(v, vlen);
			return 0;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* RFC 7235 token68 */
static bool token68_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

int http_bearer_parse(const char *header, char **token, sl_err *err)
{
	const char *p = header;
	size_t n = 0;

	*token = NULL;
	if (strncasecmp(p, "Bearer", 6) != 0 || (p[6] != ' ' && p[6] != '\0'))
		return sl_fail(err, SL_ENOTFOUND, "Authorization: not a Bearer credential");
	p += 6;
	while (*p == ' ')
		p++;
	while (token68_char((unsigned char)p[n]))
		n++;
	if (n == 0)
		return sl_fail(err, SL_EINVAL, "Authorization: a Bearer credential without a token");
	while (p[n] == '=')
		n++;
	if (p[n] != '\0' || n > 512)
		return sl_fail(err, SL_EINVAL, "Authorization: a malformed Bearer token");
	*token = xstrndup(p, n);
	return 0;
}

void http_media_type(const char *header, buf *out)
{
	const char *p = header;
	size_t n = 0;

	if (!p)
		return;
	while (*p == ' ' || *p == '\t')
		p++;
	while (p[n] && p[n] != ';' && p[n] != ' ' && p[n] != '\t')
		n++;
	for (size_t i = 0; i < n; i++)
		buf_putc(out, (char)tolower((unsigned char)p[i]));
}

bool http_origin_same(const char *origin, const char *host, bool tls)
{
	const char *scheme = tls ? "https://" : "http://";
	size_t sl = strlen(scheme);

	if (!origin || !host || !*host)
		return false;
	if (strncasecmp(origin, scheme, sl) != 0)
		return false;
	return strcasecmp(origin + sl, host) == 0;
}

int http_reason_check(const char *reason, sl_err *err)
{
	size_t len, visible = 0;

	if (!reason)
		return sl_fail(err, SL_EINVAL, "a break-glass reason is required");
	len = strlen(reason);
	if (len > 500)
		return sl_fail(err, SL_EINVAL, "the break-glass reason is longer than 500 bytes");
	if (!http_text_valid(reason, len))
		return sl_fail(err, SL_EINVAL, "the break-glass reason is not valid UTF-8 text");
	for (size_t i = 0; i < len; i++)
		if (reason[i] != ' ')
			visible++;
	if (visible < 3)
		return sl_fail(err, SL_EINVAL, "the break-glass reason must say why (at least 3 characters)");
	return 0;
}

int http_listen_parse(const char *s, char **host, unsigned *port, sl_err *err)
{
	const char *colon, *h = s;
	size_t hlen;
	char *end;
	unsigned long v;

	*host = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			goto bad;
		h = s + 1;
		hlen = (size_t)(close - h);
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s)))
			goto bad;
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || !colon[1] || colon[1] < '0' || colon[1] > '9')
		goto bad;
	errno = 0;
	v = strtoul(colon + 1, &end, 10);
	if (errno || *end || v > 65535)
		goto bad;
	*host = xstrndup(h, hlen);
	*port = (unsigned)v;
	return 0;
bad:
	return sl_fail(err, SL_EINVAL, "--listen: `%s` is not ADDR:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)", s);
}
