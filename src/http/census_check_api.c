/*
 * census_check_api.c - GET /api/v1/census/check?year=2025-26: the DfE's
 * validation rules over the census return (report/census_check.h), for the
 * data team, as `safeledger census --check --json` reports them
 * (docs/census-validation.md).
 *
 * The body: {"year", "errors", "queries", "findings": [...]}, each finding
 * {"rule", "severity", "child", "field", "message", "detail", "evidence"}
 * in the CLI's order.  Status 200 whatever the findings: the check ran;
 * whether the return would be refused is `errors`.
 *
 * Who: the data officer and the director, as for the return (api.c).  A
 * finding names a child and what is wrong in their record, so it is a read
 * of that record: the children named are written to the access log
 * (DESIGN 8) before the answer is sent, and if the log cannot be written
 * nothing is sent.  Children the findings do not name are not disclosed
 * and not logged.
 */
#include "util/common.h"

#include "http/api.h"
#include "http/http.h"
#include "report/casefile.h"
#include "report/census_check.h"
#include "rules/rules.h"

#define CENSUS_CHECK_ROUTE "GET /api/v1/census/check"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Log a read of every child a finding names, once each. */
static int record_children(http_req *r, const census_findings *f, sl_err *err)
{
	size_t i, n = 0, m = 0, count = census_findings_count(f);
	const char **ids;
	int rc = 0;

	ids = xcalloc(count ? count : 1, sizeof(*ids));
	for (i = 0; i < count; i++)
		if (census_findings_at(f, i)->child[0])
			ids[n++] = census_findings_at(f, i)->child;
	qsort(ids, n, sizeof(*ids), cmp_str);
	for (i = 0; i < n; i++)
		if (m == 0 || strcmp(ids[m - 1], ids[i]) != 0)
			ids[m++] = ids[i];
	if (m)
		rc = http_record_access(r, ids, m, CENSUS_CHECK_ROUTE, NULL, err);
	free(ids);
	return rc;
}

int http_census_check_get(http_req *r, http_resp *w)
{
	const char *year = http_query(r, "year");
	casefile_opts co = {0};
	census_year y;
	casefile *cf = NULL;
	census *c = NULL;
	census_findings *f = NULL;
	json_t *body, *list;
	sl_err err = {0};
	size_t i;
	int rc;

	if (!year)
		return http_problem(w, 400, "parameter `year`: required (a collection year such as 2025-26)", "year");
	if (census_year_find(year, &y, &err))
		return http_problem(w, 400, err.msg, "year");

	co.until = y.end;
	if ((rc = casefile_load(r->a, &co, &cf, &err)))
		goto fail;
	if ((rc = census_covers(cf, &y, &err))) {
		rc = http_problem(w, 400, err.msg, "year");
		goto done;
	}
	if ((rc = census_build(cf, &y, app_rules_config(r->a)->cal, &c, &err)) ||
	    (rc = census_check(c, app_rules_config(r->a)->cal, &f, &err)) || (rc = record_children(r, f, &err)))
		goto fail;
	list = json_array();
	for (i = 0; i < census_findings_count(f); i++)
		json_array_append_new(list, census_finding_json(census_findings_at(f, i)));
	body = json_object();
	json_object_set_new(body, "year", json_string(y.name));
	json_object_set_new(body, "errors", json_integer((json_int_t)census_findings_errors(f)));
	json_object_set_new(body, "queries", json_integer((json_int_t)census_findings_queries(f)));
	json_object_set_new(body, "findings", list);
	http_resp_json(w, 200, body);
	rc = 200;
	goto done;
fail:
	rc = http_problem_err(w, &err);
done:
	census_findings_free(f);
	census_free(c);
	casefile_free(cf);
	return rc;
}
