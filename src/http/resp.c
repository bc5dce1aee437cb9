/*
 * resp.c - filling an http_resp: JSON bodies, extra headers, and RFC 9457
 * problem details.  See http.h.
 *
 * A problem names the offending field in the extension member "field"
 * (RFC 9457 3.2 allows extension members), so a form can highlight it and
 * a client can act without parsing English.  Internal errors never reach
 * the client: the detail says only that the server failed, and the real
 * cause is kept for the server's log.
 */
#include "util/common.h"
#include "http/http.h"

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

static void set_body(http_resp *w, int status, const char *type, json_t *body)
{
	char *text;

	w->status = status;
	w->content_type = type;
	buf_reset(&w->body);
	text = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (!text)
		abort(); /* out of memory: as everywhere else (buf.h) */
	buf_puts(&w->body, text);
	buf_putc(&w->body, '\n');
	free(text);
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
