/*
 * test_openapi.c - the OpenAPI document served at /api/v1/openapi.json
 * (docs/openapi.json, embedded at build time) stays true to the route
 * tables: every /api/v1 route (http_api_routes and the session routes
 * tried before them) is an operation of the document, every operation of
 * the document is a route, and the document itself holds together (every
 * $ref resolves, both security schemes exist, every operation answers
 * problems as application/problem+json).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <strings.h>

#include "util/common.h"
#include "http/api.h"
#include "http/http.h"
#include "domain/vocab.h"

static json_t *load_doc(void)
{
	json_error_t e;
	json_t *doc = json_loadb(http_openapi_json, http_openapi_json_len, JSON_REJECT_DUPLICATES, &e);
	if (!doc)
		fail_msg("docs/openapi.json: line %d: %s", e.line, e.text);
	return doc;
}

static void lower(const char *in, char *out, size_t n)
{
	size_t i;
	for (i = 0; in[i] && i + 1 < n; i++)
		out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
	out[i] = '\0';
}

static const http_route *find_route(const char *method, const char *path)
{
	static const struct {
		const http_route *t;
		const size_t *n;
	} tables[] = {{http_api_routes, &http_api_routes_len}, {http_session_routes, &http_session_routes_len}};
	for (size_t t = 0; t < SL_ARRAY_LEN(tables); t++)
		for (size_t i = 0; i < *tables[t].n; i++)
			if (strcasecmp(tables[t].t[i].method, method) == 0 && strcmp(tables[t].t[i].pattern, path) == 0)
				return &tables[t].t[i];
	return NULL;
}

static void check_routes_in_doc(const http_route *routes, size_t n, json_t *paths)
{
	for (size_t i = 0; i < n; i++) {
		char m[16];
		json_t *op;
		if (strncmp(routes[i].pattern, "/api/v1/", 8) != 0)
			continue;
		lower(routes[i].method, m, sizeof(m));
		op = json_object_get(json_object_get(paths, routes[i].pattern), m);
		if (!json_is_object(op))
			fail_msg("route %s %s is not in docs/openapi.json", routes[i].method, routes[i].pattern);
		/* public routes say so; the others name a security scheme */
		if (routes[i].auth == HTTP_PUBLIC)
			assert_int_equal(json_array_size(json_object_get(op, "security")), 0);
		else if (json_array_size(json_object_get(op, "security")) == 0)
			fail_msg("%s %s needs a session or token but the document says no security", routes[i].method,
			         routes[i].pattern);
	}
}

static void test_every_route_is_in_the_document(void **state)
{
	json_t *doc = load_doc(), *paths = json_object_get(doc, "paths");
	(void)state;
	assert_true(http_api_routes_len > 0);
	check_routes_in_doc(http_api_routes, http_api_routes_len, paths);
	check_routes_in_doc(http_session_routes, http_session_routes_len, paths);
	json_decref(doc);
}

static void test_every_documented_operation_is_a_route(void **state)
{
	static const char *const methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
	json_t *doc = load_doc(), *item;
	const char *path;
	size_t ops = 0;
	(void)state;

	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		for (size_t m = 0; m < SL_ARRAY_LEN(methods); m++) {
			json_t *op = json_object_get(item, methods[m]);
			if (!op)
				continue;
			ops++;
			if (!find_route(methods[m], path))
				fail_msg("docs/openapi.json documents %s %s, which is no route", methods[m], path);
			if (json_object_size(json_object_get(op, "responses")) == 0)
				fail_msg("%s %s documents no responses", methods[m], path);
		}
	}
	assert_int_equal(ops, http_api_routes_len + http_session_routes_len);
	json_decref(doc);
}

/* Every "$ref" names something the document defines. */
static void check_refs(json_t *doc, json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x) check_refs(doc, x);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach(v, key, x) {
		if (strcmp(key, "$ref") == 0) {
			const char *r = json_string_value(x);
			char part[128];
			const char *p;
			json_t *at = doc;
			assert_non_null(r);
			assert_memory_equal(r, "#/", 2);
			for (p = r + 2; *p;) {
				const char *slash = strchr(p, '/');
				size_t n = slash ? (size_t)(slash - p) : strlen(p);
				assert_true(n < sizeof(part));
				memcpy(part, p, n);
				part[n] = '\0';
				at = json_object_get(at, part);
				if (!at)
					fail_msg("unresolved $ref %s", r);
				p += n + (slash ? 1 : 0);
			}
		} else {
			check_refs(doc, x);
		}
	}
}

static void test_document_holds_together(void **state)
{
	json_t *doc = load_doc(), *schemes, *problems, *resp;
	const char *name;
	(void)state;

	assert_memory_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.", 4);
	schemes = json_object_get(json_object_get(doc, "components"), "securitySchemes");
	assert_string_equal(json_string_value(json_object_get(json_object_get(schemes, "session"), "in")), "cookie");
	assert_string_equal(json_string_value(json_object_get(json_object_get(schemes, "bearer"), "scheme")), "bearer");
	problems = json_object_get(json_object_get(doc, "components"), "responses");
	assert_true(json_object_size(problems) > 0);
	json_object_foreach(problems, name, resp)
		assert_non_null(json_object_get(json_object_get(resp, "content"), "application/problem+json"));
	check_refs(doc, doc);
	json_decref(doc);
}

static void test_policy_of_who_records_what(void **state)
{
	(void)state;
	assert_true(api_may_record(ROLE_SOCIAL_WORKER, "visit.recorded"));
	assert_true(api_may_record(ROLE_PARTNER, "agency_info.received"));
	assert_true(api_may_record(ROLE_PARTNER, "missing.started"));
	assert_false(api_may_record(ROLE_PARTNER, "visit.recorded"));
	assert_false(api_may_record(ROLE_PARTNER, "case.closed"));
	assert_false(api_may_record(ROLE_SOCIAL_WORKER, "amendment.approved"));
	assert_true(api_may_record(ROLE_SENIOR_MANAGER, "amendment.approved"));
	assert_false(api_may_record(ROLE_SOCIAL_WORKER, "case.allocated"));
	assert_true(api_may_record(ROLE_TEAM_MANAGER, "case.allocated"));
	assert_false(api_may_record(ROLE_DIRECTOR, "alert.raised"));
	for (int role = 0; role < ROLE_COUNT; role++) {
		bool none = role == ROLE_ADMIN || role == ROLE_REVIEWER || role == ROLE_DATA_OFFICER;
		if (none)
			for (size_t k = 0; k < vocab_kind_count(); k++)
				assert_false(api_may_record((auth_role)role, vocab_kind_name(k)));
		assert_false(api_may_record((auth_role)role, "no.such.kind"));
		assert_false(api_may_record((auth_role)role, NULL));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_is_in_the_document),
		cmocka_unit_test(test_every_documented_operation_is_a_route),
		cmocka_unit_test(test_document_holds_together),
		cmocka_unit_test(test_policy_of_who_records_what),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
