/*
 * resp.c - filling an http_resp: JSON bodies, extra headers, and RFC 9457
 * problem details.  See http.h.
 *
 * A problem names the offending field in the extension member "field"
 * (RFC 9457 3.2 allows extension members), so a form can highlight it and
 * a client can act without parsing English.  Internal errors never reach
 * the client: the detail says only that the server failed, and the real
 * cause is kept for the server's log.
 *
 * Bodies are written by json_write below rather than jansson's
 * json_dumps: the same bytes (compact, ASCII-only, keys in insertion
 * order), at a fraction of the cost.  A chronology page of 50 events spent
 * 1.05M of its 3.5M instructions in json_dumps (callgrind, 200 requests),
 * most of it in per-token callbacks and per-character UTF-8 decoding; this
 * copies runs of plain ASCII at once and decodes only what it escapes.
 */
#include "util/common.h"
#include "http/http.h"
#include "util/utf8.h"

static const struct {
	int status;
	const char *title;
} titles[] = {
	{200, "OK"},
	{201, "Created"},
	{204, "No Content"},
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{408, "Request Timeout"},
	{409, "Conflict"},
	{411, "Length Required"},
	{413, "Content Too Large"},
	{415, "Unsupported Media Type"},
	{422, "Unprocessable Content"},
	{429, "Too Many Requests"},
	{500, "Internal Server Error"},
	{503, "Service Unavailable"},
};

const char *http_status_title(int status)
{
	size_t i;
	for (i = 0; i < SL_ARRAY_LEN(titles); i++)
		if (titles[i].status == status)
			return titles[i].title;
	return status < 500 ? "Bad Request" : "Internal Server Error";
}

#define DUMP_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII)
#define MAX_DEPTH 2048 /* jansson's own parse limit: deeper is a bug or a cycle */

static const char hex_digits[] = "0123456789ABCDEF";

static void put_u16(buf *out, unsigned u)
{
	char seq[6] = {'\\', 'u', hex_digits[u >> 12 & 15], hex_digits[u >> 8 & 15], hex_digits[u >> 4 & 15],
	               hex_digits[u & 15]};
	buf_append(out, seq, sizeof(seq));
}

/* A JSON string as json_dumps writes it with JSON_ENSURE_ASCII: the short
 * escapes, other control characters and everything past ASCII as \uXXXX
 * (upper-case hex; UTF-16 surrogate pairs past the BMP).  -1 for text that
 * is not UTF-8, which jansson would refuse too. */
static int write_string(buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run;

	buf_putc(out, '"');
	while (p < end) {
		unsigned c = *p;
		size_t len;
		uint32_t cp;

		for (run = p; p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\'; p++)
			;
		buf_append(out, run, (size_t)(p - run));
		if (p == end)
			break;
		c = *p;
		if (c < 0x80) {
			const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b" : c == '\f' ? "\\f"
			                : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
			if (esc)
				buf_append(out, esc, 2);
			else
				put_u16(out, c);
			p++;
			continue;
		}
		if (!(len = utf8_decode(p, (size_t)(end - p), &cp)))
			return -1;
		if (cp < 0x10000) {
			put_u16(out, cp);
		} else {
			cp -= 0x10000;
			put_u16(out, 0xd800 | (cp >> 10));
			put_u16(out, 0xdc00 | (cp & 0x3ff));
		}
		p += len;
	}
	buf_putc(out, '"');
	return 0;
}

/* One value, as json_dumps(v, DUMP_FLAGS) would write it; -1 where jansson
 * would fail (text not UTF-8, nesting past MAX_DEPTH). */
static int json_write(buf *out, const json_t *v, int depth)
{
	const char *key;
	json_t *item;
	size_t i;
	bool first = true;

	if (depth > MAX_DEPTH)
		return -1;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_putc(out, '{');
		/* insertion order, as json_dumps without JSON_SORT_KEYS */
		json_object_foreach((json_t *)v, key, item) {
			if (!first)
				buf_putc(out, ',');
			first = false;
			if (write_string(out, key, strlen(key)) || (buf_putc(out, ':'), json_write(out, item, depth + 1)))
				return -1;
		}
		buf_putc(out, '}');
		return 0;
	case JSON_ARRAY:
		buf_putc(out, '[');
		json_array_foreach(v, i, item) {
			if (i)
				buf_putc(out, ',');
			if (json_write(out, item, depth + 1))
				return -1;
		}
		buf_putc(out, ']');
		return 0;
	case JSON_STRING:
		return write_string(out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER: { /* by hand: vsnprintf costs more than the rest of an event */
		json_int_t n = json_integer_value(v);
		unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
		char digits[24], *d = digits + sizeof(digits);
		do
			*--d = (char)('0' + u % 10);
		while (u /= 10);
		if (n < 0)
			*--d = '-';
		buf_append(out, d, (size_t)(digits + sizeof(digits) - d));
		return 0;
	}
	case JSON_TRUE:
		buf_puts(out, "true");
		return 0;
	case JSON_FALSE:
		buf_puts(out, "false");
		return 0;
	case JSON_NULL:
		buf_puts(out, "null");
		return 0;
	default: { /* reals: rare here; jansson's own formatting */
		char *text = json_dumps(v, DUMP_FLAGS | JSON_ENCODE_ANY);
		if (!text)
			return -1;
		buf_puts(out, text);
		free(text);
		return 0;
	}
	}
}

static int json_text(buf *out, const json_t *body)
{
	size_t start = out->len;

	if (json_write(out, body, 0) == 0)
		return 0;
	buf_truncate(out, start);
	return SL_EINVAL;
}

static void set_body(http_resp *w, int status, const char *type, json_t *body)
{
	w->status = status;
	w->content_type = type;
	buf_reset(&w->body);
	if (json_text(&w->body, body)) {
		/* what jansson makes of it (it fails the same way; the callers'
		 * JSON comes from checked strings, so this does not happen) */
		char *text = json_dumps(body, DUMP_FLAGS);
		if (!text)
			abort();
		buf_puts(&w->body, text);
		free(text);
	}
	buf_putc(&w->body, '\n');
	json_decref(body);
}

void http_resp_json(http_resp *w, int status, json_t *body)
{
	set_body(w, status, "application/json", body);
}

int http_problem(http_resp *w, int status, const char *detail, const char *field)
{
	json_t *p = json_object();

	json_object_set_new(p, "type", json_string("about:blank"));
	json_object_set_new(p, "title", json_string(http_status_title(status)));
	json_object_set_new(p, "status", json_integer(status));
	/* details and field names come from messages that quote user input;
	 * json_stringn_nocheck would pass invalid UTF-8 through, so fall back
	 * to a fixed text when it is not valid */
	if (detail) {
		json_t *d = json_string(detail);
		json_object_set_new(p, "detail", d ? d : json_string("the request was refused"));
	}
	if (field) {
		json_t *f = json_string(field);
		if (f)
			json_object_set_new(p, "field", f);
	}
	set_body(w, status, "application/problem+json", p);
	return status;
}

/* The field an error message names: "field `data.child`: ..." or
 * "line 3: field `kind`: ...".  Appended to out; false when none. */
static bool message_field(const char *msg, buf *out)
{
	const char *p = strstr(msg, "field `"), *end;

	if (!p)
		return false;
	p += 7;
	end = strchr(p, '`');
	if (!end || end == p || end - p > 200)
		return false;
	buf_append(out, p, (size_t)(end - p));
	return true;
}

int http_problem_err(http_resp *w, const sl_err *err)
{
	buf field = BUF_INIT;
	int status;

	switch (err->code) {
	case SL_EINVAL:
		status = message_field(err->msg, &field) ? 422 : 400;
		break;
	case SL_ENOTFOUND:
		status = 404;
		break;
	case SL_EDENIED:
		status = 403;
		break;
	case SL_ECONFLICT:
		status = 409;
		break;
	default:
		free(w->log_detail);
		w->log_detail = xstrdup(err->msg[0] ? err->msg : "unknown error");
		buf_release(&field);
		return http_problem(w, 500, "the server could not complete the request; it has been logged", NULL);
	}
	http_problem(w, status, err->msg[0] ? err->msg : NULL, field.len ? field.data : NULL);
	buf_release(&field);
	return status;
}

/* No CR or LF (response splitting) nor any other control but tab. */
static bool header_text_ok(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return false;
	return true;
}

int http_resp_header(http_resp *w, const char *name, const char *value)
{
	const char *p;

	if (!name || !value || !*name || !header_text_ok(name) || !header_text_ok(value))
		return SL_EINVAL;
	for (p = name; *p; p++)
		if (*p == ':' || *p == ' ' || (unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return SL_EINVAL;
	if (w->n_headers == HTTP_MAX_HEADERS)
		return SL_EINVAL;
	w->headers[w->n_headers].name = xstrdup(name);
	w->headers[w->n_headers].value = xstrdup(value);
	w->n_headers++;
	return 0;
}

void http_resp_free(http_resp *w)
{
	size_t i;
	for (i = 0; i < w->n_headers; i++) {
		free(w->headers[i].name);
		free(w->headers[i].value);
	}
	w->n_headers = 0;
	buf_release(&w->body);
	free(w->log_detail);
	w->log_detail = NULL;
}
