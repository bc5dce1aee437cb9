/*
 * fuzz_http.c - libFuzzer target for the server's reading of requests
 * (src/http/parse.c): the request target split into path and query, path
 * decoding and route patterns of every shape the tables use, query
 * and form decoding, the Cookie and Authorization headers, media types,
 * the Origin check, break-glass reasons and --listen.  Problems built from
 * the input must be valid JSON.
 *
 * Besides not crashing (ASan, UBSan), what parses must keep the promises
 * parse.h makes: a decoded path has no "." or ".." segment and no segment
 * with '/', NUL or a control character; every decoded query value is
 * valid text; a parameter a pattern hands out is non-empty.
 */
#include "util/common.h"
#include "http/http.h"
#include "http/parse.h"

/* The shapes of pattern the route tables use (fixed here so that the
 * target links without the handlers behind them). */
static const char *const patterns[] = {
	"/log/checkpoint", "/log/tile/{tile*}", "/access-log/tile/{tile*}", "/api/v1/session",
	"/api/v1/children/{id}", "/api/v1/children/{id}/chronology", "/api/v1/events/{seq}",
	"/a/{x}/b/{y}/{rest*}", "/",
};

static void check_text(const char *s)
{
	if (!http_text_valid(s, strlen(s)))
		abort();
}

static void fuzz_target(const char *s, size_t size)
{
	const char *q = memchr(s, '?', size);
	size_t plen = q ? (size_t)(q - s) : size;
	http_path p;
	http_kvs k = HTTP_KVS_INIT;
	sl_err err = {0};
	size_t i;

	if (http_path_parse(s, plen, &p, &err) == 0) {
		for (i = 0; i < p.n; i++) {
			if (strcmp(p.seg[i], ".") == 0 || strcmp(p.seg[i], "..") == 0 || strchr(p.seg[i], '/'))
				abort();
			check_text(p.seg[i]);
		}
		for (i = 0; i < SL_ARRAY_LEN(patterns); i++) {
			const char *params[HTTP_MAX_PATTERN_PARAMS];
			size_t n, m;
			if (http_pattern_match(patterns[i], &p, params, &n))
				for (m = 0; m < n; m++)
					if (!params[m][0])
						abort();
		}
		http_path_free(&p);
	}
	if (q && http_kvs_parse(q + 1, size - plen - 1, "query", &k, &err) == 0) {
		for (i = 0; i < k.n; i++) {
			check_text(k.v[i].name);
			check_text(k.v[i].value);
		}
		http_kvs_free(&k);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = xstrndup((const char *)data, size); /* headers are C strings */
	http_kvs form = HTTP_KVS_INIT;
	http_resp w = {0};
	char *v = NULL, *host = NULL;
	unsigned port;
	buf b = BUF_INIT;
	sl_err err = {0};

	fuzz_target(s, strlen(s));
	/* a form body is bytes, NUL included */
	if (http_kvs_parse((const char *)data, size, "form", &form, &err) == 0)
		http_kvs_free(&form);
	if (http_cookie_get(s, "sl_session", &v, &err) == 0 && v) {
		if (!*v || strlen(v) > 512)
			abort();
		free(v);
	}
	if (http_bearer_parse(s, &v, &err) == 0) {
		if (!*v || strchr(v, ' '))
			abort();
		free(v);
	}
	http_media_type(s, &b);
	buf_release(&b);
	(void)http_origin_same(s, "127.0.0.1:8080", false);
	if (http_reason_check(s, &err) == 0)
		check_text(s);
	if (http_listen_parse(s, &host, &port, &err) == 0) {
		if (port > 65535)
			abort();
		free(host);
	}
	/* a problem quoting the input is still JSON */
	http_problem(&w, 400, s, s);
	if (!w.body.len || w.body.data[0] != '{')
		abort();
	http_resp_free(&w);
	free(s);
	return 0;
}
