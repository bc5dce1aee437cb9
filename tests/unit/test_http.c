/*
 * test_http.c - the server's request parsing (src/http/parse.c) and
 * response helpers (src/http/resp.c), without a connection: paths and
 * their refusals, route patterns, query and form decoding, cookies, the
 * Authorization header, media types, the Origin check, break-glass
 * reasons, --listen, and RFC 9457 problems.  The server itself is tested
 * end to end by tests/e2e/http.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "http/http.h"
#include "http/parse.h"

static int parse_path(const char *raw, http_path *p)
{
	sl_err err = {0};
	return http_path_parse(raw, strlen(raw), p, &err);
}

static void test_path_decodes_segments(void **state)
{
	http_path p;
	(void)state;
	assert_int_equal(parse_path("/api/v1/children/C%201", &p), 0);
	assert_int_equal(p.n, 4);
	assert_string_equal(p.seg[3], "C 1");
	assert_string_equal(p.decoded, "/api/v1/children/C 1");
	assert_string_equal(p.decoded + p.off[2], "children/C 1");
	http_path_free(&p);
	/* UTF-8, percent-encoded or raw, is fine */
	assert_int_equal(parse_path("/a/%C3%A9t%C3%A9/\xc3\xa9", &p), 0);
	assert_string_equal(p.seg[1], "\xc3\xa9t\xc3\xa9");
	http_path_free(&p);
	/* "+" is a plus in a path, not a space */
	assert_int_equal(parse_path("/a+b", &p), 0);
	assert_string_equal(p.seg[0], "a+b");
	http_path_free(&p);
}

static void test_path_refuses_traversal_nul_and_bad_text(void **state)
{
	static const char *bad[] = {
		"/log/../../etc/passwd", "/log/%2e%2e/x", "/log/%2E%2E", "/log/./checkpoint", "/log/%2e",
		"/log/tile%2F..%2Fkey", "/log/a%00b", "/log/%zz", "/log/%4", "/log/%", "/a/%ff", "/a/%c0%af",
		"/a/%ed%a0%80", "/a/%0d%0aSet-Cookie:x", "/a/%7f", "/a/%c2%85", "log/checkpoint", "",
		"/a/\x01",
	};
	http_path p;
	size_t i;
	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		sl_err err = {0};
		assert_int_equal(http_path_parse(bad[i], strlen(bad[i]), &p, &err), SL_EINVAL);
		assert_true(err.msg[0] != '\0');
		assert_null(p.decoded);
		assert_int_equal(p.n, 0);
	}
}

static void test_path_refuses_too_many_segments(void **state)
{
	buf b = BUF_INIT;
	http_path p;
	int i;
	(void)state;
	for (i = 0; i < HTTP_MAX_SEGMENTS; i++)
		buf_puts(&b, "/a");
	assert_int_equal(parse_path(b.data, &p), 0);
	http_path_free(&p);
	buf_puts(&b, "/a");
	assert_int_equal(parse_path(b.data, &p), SL_EINVAL);
	buf_release(&b);
}

static http_path match_path;

static bool match(const char *pattern, const char *raw, const char **params, size_t *n)
{
	http_path_free(&match_path);
	assert_int_equal(parse_path(raw, &match_path), 0);
	return http_pattern_match(pattern, &match_path, params, n);
}

static void test_patterns_match_segments_and_rest(void **state)
{
	const char *params[HTTP_MAX_PATTERN_PARAMS];
	size_t n;
	(void)state;
	assert_true(match("/api/v1/children/{id}/chronology", "/api/v1/children/C1/chronology", params, &n));
	assert_int_equal(n, 1);
	assert_string_equal(params[0], "C1");
	assert_false(match("/api/v1/children/{id}/chronology", "/api/v1/children//chronology", params, &n));
	assert_false(match("/api/v1/children/{id}", "/api/v1/children/C1/chronology", params, &n));
	assert_false(match("/api/v1/children/{id}/chronology", "/api/v1/children/C1", params, &n));
	assert_false(match("/log/checkpoint", "/log/checkpoint/", params, &n));
	assert_true(match("/log/tile/{tile*}", "/log/tile/0/x001/x234/067.p/8", params, &n));
	assert_string_equal(params[0], "0/x001/x234/067.p/8");
	assert_true(match("/log/tile/{tile*}", "/log/tile/entries/000", params, &n));
	assert_string_equal(params[0], "entries/000");
	assert_false(match("/log/tile/{tile*}", "/log/tile", params, &n));
	assert_false(match("/log/tile/{tile*}", "/log/tile/", params, &n));
	assert_false(match("/log/tile/{tile*}", "/log/tile/0//1", params, &n));
	assert_true(match("/a/{x}/b/{y}", "/a/1/b/2", params, &n));
	assert_int_equal(n, 2);
	assert_string_equal(params[1], "2");
	assert_true(match("/", "/", params, &n));
	assert_false(match("/", "/a", params, &n));
	http_path_free(&match_path);
}

static void test_query_and_form_decoding(void **state)
{
	http_kvs k = HTTP_KVS_INIT;
	const char *q = "kind=visit.recorded&from=2024-01-01&name=a+b%26c&flag&&empty=&kind=second";
	sl_err err = {0};
	(void)state;
	assert_int_equal(http_kvs_parse(q, strlen(q), "query", &k, &err), 0);
	assert_int_equal(k.n, 6);
	assert_string_equal(http_kvs_get(&k, "kind"), "visit.recorded"); /* the first wins */
	assert_string_equal(http_kvs_get(&k, "name"), "a b&c");
	assert_string_equal(http_kvs_get(&k, "flag"), "");
	assert_string_equal(http_kvs_get(&k, "empty"), "");
	assert_null(http_kvs_get(&k, "missing"));
	http_kvs_free(&k);

	/* a form body may hold raw bytes: NUL, bad UTF-8 and bad escapes are refused */
	assert_int_equal(http_kvs_parse("a=1\0b", 5, "form", &k, &err), SL_EINVAL);
	assert_int_equal(http_kvs_parse("a=%00", 5, "form", &k, &err), SL_EINVAL);
	assert_true(strstr(err.msg, "form") != NULL);
	assert_int_equal(http_kvs_parse("a=%ff", 5, "form", &k, &err), SL_EINVAL);
	assert_int_equal(http_kvs_parse("a=%g1", 5, "form", &k, &err), SL_EINVAL);
	assert_int_equal(http_kvs_parse("%=1", 3, "form", &k, &err), SL_EINVAL);
	assert_int_equal(k.n, 0);
	assert_null(k.v);
}

static void test_query_refuses_too_many_fields(void **state)
{
	http_kvs k = HTTP_KVS_INIT;
	buf b = BUF_INIT;
	sl_err err = {0};
	int i;
	(void)state;
	for (i = 0; i <= HTTP_MAX_FIELDS; i++)
		buf_printf(&b, "a%d=1&", i);
	assert_int_equal(http_kvs_parse(b.data, b.len, "query", &k, &err), SL_EINVAL);
	assert_int_equal(k.n, 0);
	buf_release(&b);
}

static void test_cookie_parsing(void **state)
{
	char *v = NULL;
	sl_err err = {0};
	(void)state;
	assert_int_equal(http_cookie_get("a=1; sl_session=abc-DEF_123; b=2", "sl_session", &v, &err), 0);
	assert_string_equal(v, "abc-DEF_123");
	free(v);
	assert_int_equal(http_cookie_get("sl_session=\"quoted\"", "sl_session", &v, &err), 0);
	assert_string_equal(v, "quoted");
	free(v);
	/* a longer name that starts with ours is another cookie */
	assert_int_equal(http_cookie_get("sl_sessionx=1;xsl_session=2", "sl_session", &v, &err), 0);
	assert_null(v);
	/* values outside RFC 6265's cookie-octets are not ours */
	assert_int_equal(http_cookie_get("sl_session=a b", "sl_session", &v, &err), 0);
	assert_null(v);
	assert_int_equal(http_cookie_get("sl_session=a\"b", "sl_session", &v, &err), 0);
	assert_null(v);
	assert_int_equal(http_cookie_get("sl_session=", "sl_session", &v, &err), 0);
	assert_null(v);
	assert_int_equal(http_cookie_get(NULL, "sl_session", &v, &err), 0);
	assert_null(v);
	assert_int_equal(http_cookie_get("sl_session=a\r\nX: y", "sl_session", &v, &err), SL_EINVAL);
	assert_null(v);
}

static void test_bearer_parsing(void **state)
{
	char *t = NULL;
	sl_err err = {0};
	(void)state;
	assert_int_equal(http_bearer_parse("Bearer abc_DEF-123", &t, &err), 0);
	assert_string_equal(t, "abc_DEF-123");
	free(t);
	assert_int_equal(http_bearer_parse("bearer  tok==", &t, &err), 0);
	assert_string_equal(t, "tok==");
	free(t);
	assert_int_equal(http_bearer_parse("Basic dXNlcjpwYXNz", &t, &err), SL_ENOTFOUND);
	assert_int_equal(http_bearer_parse("Bearertoken", &t, &err), SL_ENOTFOUND);
	assert_int_equal(http_bearer_parse("Bearer", &t, &err), SL_EINVAL);
	assert_int_equal(http_bearer_parse("Bearer a b", &t, &err), SL_EINVAL);
	assert_int_equal(http_bearer_parse("Bearer a'; DROP TABLE users;--", &t, &err), SL_EINVAL);
	assert_int_equal(http_bearer_parse("Bearer a==b", &t, &err), SL_EINVAL);
	assert_null(t);
}

static void test_media_type_and_origin(void **state)
{
	buf b = BUF_INIT;
	(void)state;
	http_media_type(" Application/JSON; charset=utf-8", &b);
	assert_string_equal(buf_str(&b), "application/json");
	buf_reset(&b);
	http_media_type(NULL, &b);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);

	assert_true(http_origin_same("http://127.0.0.1:8080", "127.0.0.1:8080", false));
	assert_false(http_origin_same("https://127.0.0.1:8080", "127.0.0.1:8080", false));
	assert_true(http_origin_same("https://ledger.example", "ledger.example", true));
	assert_false(http_origin_same("http://evil.example", "127.0.0.1:8080", false));
	assert_false(http_origin_same("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080", false));
	assert_false(http_origin_same("null", "127.0.0.1:8080", false));
	assert_false(http_origin_same("http://127.0.0.1:8080", NULL, false));
}

static void test_break_glass_reason(void **state)
{
	sl_err err = {0};
	char long_reason[600];
	(void)state;
	assert_int_equal(http_reason_check("child at risk, on-call duty", &err), 0);
	assert_int_equal(http_reason_check(NULL, &err), SL_EINVAL);
	assert_int_equal(http_reason_check("  a ", &err), SL_EINVAL);
	assert_int_equal(http_reason_check("bad\nline", &err), SL_EINVAL);
	assert_int_equal(http_reason_check("bad \xff utf8", &err), SL_EINVAL);
	memset(long_reason, 'a', sizeof(long_reason) - 1);
	long_reason[sizeof(long_reason) - 1] = '\0';
	assert_int_equal(http_reason_check(long_reason, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "500"));
}

static void test_listen_addresses(void **state)
{
	char *host = NULL;
	unsigned port = 1;
	sl_err err = {0};
	(void)state;
	assert_int_equal(http_listen_parse("127.0.0.1:0", &host, &port, &err), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 0);
	free(host);
	assert_int_equal(http_listen_parse("[::1]:8443", &host, &port, &err), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 8443);
	free(host);
	assert_int_equal(http_listen_parse("localhost:65535", &host, &port, &err), 0);
	free(host);
	assert_int_equal(http_listen_parse("127.0.0.1", &host, &port, &err), SL_EINVAL);
	assert_int_equal(http_listen_parse("127.0.0.1:65536", &host, &port, &err), SL_EINVAL);
	assert_int_equal(http_listen_parse(":80", &host, &port, &err), SL_EINVAL);
	assert_int_equal(http_listen_parse("::1:80", &host, &port, &err), SL_EINVAL);
	assert_int_equal(http_listen_parse("host:-1", &host, &port, &err), SL_EINVAL);
	assert_int_equal(http_listen_parse("host:8080x", &host, &port, &err), SL_EINVAL);
	assert_null(host);
}

static json_t *body_json(http_resp *w)
{
	json_error_t je;
	json_t *j = json_loadb(w->body.data, w->body.len, 0, &je);
	assert_non_null(j);
	return j;
}

static void test_problem_json(void **state)
{
	http_resp w = {0};
	json_t *j;
	(void)state;
	assert_int_equal(http_problem(&w, 404, "no child C9", NULL), 404);
	assert_int_equal(w.status, 404);
	assert_string_equal(w.content_type, "application/problem+json");
	j = body_json(&w);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "about:blank");
	assert_string_equal(json_string_value(json_object_get(j, "title")), "Not Found");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 404);
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "no child C9");
	assert_null(json_object_get(j, "field"));
	json_decref(j);
	http_resp_free(&w);

	/* a detail quoting invalid UTF-8 still gives valid JSON */
	http_problem(&w, 400, "bad \xff byte", "data.\xfe");
	j = body_json(&w);
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "the request was refused");
	json_decref(j);
	http_resp_free(&w);
}

static void test_problem_from_errors(void **state)
{
	http_resp w = {0};
	sl_err err = {0};
	json_t *j;
	(void)state;

	sl_fail(&err, SL_EINVAL, "field `data.child`: unknown person C9");
	assert_int_equal(http_problem_err(&w, &err), 422);
	j = body_json(&w);
	assert_string_equal(json_string_value(json_object_get(j, "field")), "data.child");
	json_decref(j);
	http_resp_free(&w);

	sl_fail(&err, SL_EINVAL, "limit: not a number");
	assert_int_equal(http_problem_err(&w, &err), 400);
	http_resp_free(&w);
	sl_fail(&err, SL_ENOTFOUND, "no such child");
	assert_int_equal(http_problem_err(&w, &err), 404);
	http_resp_free(&w);
	sl_fail(&err, SL_EDENIED, "no");
	assert_int_equal(http_problem_err(&w, &err), 403);
	http_resp_free(&w);
	sl_fail(&err, SL_ECONFLICT, "CLOSURE_BLOCKED: ...");
	assert_int_equal(http_problem_err(&w, &err), 409);
	http_resp_free(&w);

	/* internal causes stay in the server's log */
	sl_fail(&err, SL_EIO, "/var/lib/secret.db: disk I/O error");
	assert_int_equal(http_problem_err(&w, &err), 500);
	assert_null(strstr(w.body.data, "secret"));
	assert_string_equal(w.log_detail, "/var/lib/secret.db: disk I/O error");
	http_resp_free(&w);
	assert_null(w.log_detail);
}

static void test_headers_refuse_splitting(void **state)
{
	http_resp w = {0};
	int i;
	(void)state;
	assert_int_equal(http_resp_header(&w, "X-Ok", "value\twith tab"), 0);
	assert_int_equal(http_resp_header(&w, "X-Bad", "a\r\nSet-Cookie: x=1"), SL_EINVAL);
	assert_int_equal(http_resp_header(&w, "X-Bad", "a\nb"), SL_EINVAL);
	assert_int_equal(http_resp_header(&w, "X-Bad\r\nY", "v"), SL_EINVAL);
	assert_int_equal(http_resp_header(&w, "X Bad", "v"), SL_EINVAL);
	assert_int_equal(http_resp_header(&w, "X:Bad", "v"), SL_EINVAL);
	assert_int_equal(http_resp_header(&w, "", "v"), SL_EINVAL);
	assert_int_equal(w.n_headers, 1);
	for (i = 1; i < HTTP_MAX_HEADERS; i++)
		assert_int_equal(http_resp_header(&w, "X-More", "v"), 0);
	assert_int_equal(http_resp_header(&w, "X-One-Too-Many", "v"), SL_EINVAL);
	http_resp_free(&w);
	assert_int_equal(w.n_headers, 0);
}

/* http_resp_json writes its own JSON (resp.c); it must be byte for byte
 * what json_dumps(COMPACT | ENSURE_ASCII) writes, since clients and tests
 * were written against that. */
static void expect_same_as_jansson(json_t *v)
{
	http_resp w = {0};
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
	buf b = BUF_INIT;

	assert_non_null(want);
	buf_printf(&b, "%s\n", want);
	http_resp_json(&w, 200, json_incref(v));
	assert_int_equal(w.body.len, b.len);
	assert_memory_equal(w.body.data, b.data, b.len);
	http_resp_free(&w);
	buf_release(&b);
	free(want);
}

/* A random valid code point: mostly ASCII (controls, quotes and
 * backslashes included), then 2-, 3- and 4-byte UTF-8. */
static size_t random_utf8(char *out, unsigned *seed)
{
	unsigned r = (unsigned)rand_r(seed);
	uint32_t cp;

	switch (r % 5) {
	case 0: cp = (unsigned)rand_r(seed) % 0x80; break;
	case 1: cp = (unsigned)"\"\\/\b\f\n\r\t\x01\x1f\x7f"[rand_r(seed) % 11]; break;
	case 2: cp = 0x80 + (unsigned)rand_r(seed) % (0x800 - 0x80); break;
	case 3: cp = 0x800 + (unsigned)rand_r(seed) % (0xd800 - 0x800); break;
	default: cp = 0x10000 + (unsigned)rand_r(seed) % (0x110000 - 0x10000);
	}
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void test_json_body_is_what_jansson_writes(void **state)
{
	unsigned seed = 42;
	json_t *v;
	int i, j;
	(void)state;

	v = json_pack("{s:s, s:I, s:I, s:b, s:b, s:n, s:f, s:[], s:{}, s:[i, s:[s]]}", "plain", "text", "big",
	              (json_int_t)INT64_MAX, "neg", (json_int_t)INT64_MIN, "t", 1, "f", 0, "nothing", "real", 0.1,
	              "empty", "none", "nested", 1, "x", "\"q\" \\ / \b\f\n\r\t \x01\x1f\x7f");
	assert_non_null(v);
	json_object_set_new(v, "k\u00e9y \"q\"\n", json_string("caf\u00e9 \u20ac \xf0\x9f\x98\x80 \xef\xbf\xbf"));
	json_object_set_new(v, "nul", json_stringn("a\0b", 3));
	json_object_set_new(v, "real2", json_real(1e300));
	json_object_set_new(v, "zero", json_integer(0));
	json_object_set_new(v, "minus", json_integer(-7));
	json_object_set_new(v, "ten", json_integer(10));
	expect_same_as_jansson(v);
	json_decref(v);
	/* many random strings, as values and as keys */
	for (i = 0; i < 500; i++) {
		char text[256];
		size_t n = 0, len = (size_t)rand_r(&seed) % 60;
		for (j = 0; (size_t)j < len; j++)
			n += random_utf8(text + n, &seed);
		v = json_object();
		json_object_set_new(v, "s", json_stringn(text, n));
		text[n] = '\0';
		if (strlen(text) == n)
			json_object_set_new(v, text, json_array());
		expect_same_as_jansson(v);
		json_decref(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_decodes_segments),
		cmocka_unit_test(test_path_refuses_traversal_nul_and_bad_text),
		cmocka_unit_test(test_path_refuses_too_many_segments),
		cmocka_unit_test(test_patterns_match_segments_and_rest),
		cmocka_unit_test(test_query_and_form_decoding),
		cmocka_unit_test(test_query_refuses_too_many_fields),
		cmocka_unit_test(test_cookie_parsing),
		cmocka_unit_test(test_bearer_parsing),
		cmocka_unit_test(test_media_type_and_origin),
		cmocka_unit_test(test_break_glass_reason),
		cmocka_unit_test(test_listen_addresses),
		cmocka_unit_test(test_problem_json),
		cmocka_unit_test(test_problem_from_errors),
		cmocka_unit_test(test_headers_refuse_splitting),
		cmocka_unit_test(test_json_body_is_what_jansson_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
