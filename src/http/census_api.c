/*
 * census_api.c - the data team's census routes (report/census.h):
 *
 *   GET /api/v1/census?year=2025-26[&la=CODE]: the DfE children in need
 *     census return, the same XML `safeledger census` writes
 *     (docs/census.md);
 *   GET /api/v1/census/check?year=2025-26: the DfE's validation rules over
 *     it (report/census_check.h), as `safeledger census --check --json`
 *     reports them (docs/census-validation.md): {"year", "errors",
 *     "queries", "findings": [{"rule", "severity", "child", "field",
 *     "message", "detail", "evidence"}]} in the CLI's order; status 200
 *     whatever the findings (whether the return would be refused is
 *     `errors`).
 *
 * Who: the data officer, whose job the return is, and the director, who
 * signs it off (the routes' roles in api.c).  The return names every child
 * in it, and a finding names a child and what is wrong in their record, so
 * each is a read of those records: the children are written to the access
 * log (DESIGN 8) before a byte is sent, and if the log cannot be written
 * nothing is sent.  Children the findings do not name are not disclosed
 * and not logged.
 *
 * The LA code: `la`, else $SAFELEDGER_LA in the server's environment, else
 * a 400 naming `la`.  Every parameter is checked before the ledger is read.
 */
#include "util/common.h"

#include <time.h>

#include "http/api.h"
#include "http/http.h"
#include "report/census.h"
#include "report/census_check.h"
#include "rules/rules.h"

#define CENSUS_ROUTE "GET /api/v1/census"
#define CENSUS_CHECK_ROUTE "GET /api/v1/census/check"

/* Log a read of every child in the return. */
static int record_children(http_req *r, const census *c, sl_err *err)
{
	size_t i, n = census_count(c);
	const char **ids;
	int rc;

	if (n == 0)
		return 0;
	ids = xcalloc(n, sizeof(*ids));
	for (i = 0; i < n; i++)
		ids[i] = census_child_at(c, i)->cf->id;
	rc = http_record_access(r, ids, n, CENSUS_ROUTE, NULL, err);
	free(ids);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Log a read of every child a finding names, once each. */
static int record_named(http_req *r, const census_findings *f, sl_err *err)
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

/* The `year` parameter's return (census_load): 0 with *out, or the answer
 * already written (400 naming `year`, or the fault). */
static int load_year(http_req *r, http_resp *w, census_year *y, census **out)
{
	const char *year = http_query(r, "year");
	sl_err err = {0};
	int rc;

	*out = NULL;
	if (!year)
		return http_problem(w, 400, "parameter `year`: required (a collection year such as 2025-26)", "year");
	if (census_year_find(year, y, &err))
		return http_problem(w, 400, err.msg, "year");
	if ((rc = census_load(r->a, y, out, &err)))
		return rc == SL_EINVAL ? http_problem(w, 400, err.msg, "year") : http_problem_err(w, &err);
	return 0;
}

int http_census_get(http_req *r, http_resp *w)
{
	const char *la = http_query(r, "la");
	census_source src = {0};
	census_year y;
	census *c = NULL;
	buf xml = BUF_INIT;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	sl_err err = {0};
	int rc;

	if (!la || !la[0])
		la = getenv("SAFELEDGER_LA");
	if (!la || !la[0])
		return http_problem(w, 400,
		                    "parameter `la`: required (the local authority's 3-digit code; or set "
		                    "SAFELEDGER_LA for the server)",
		                    "la");
	if (census_la_check(la, &err))
		return http_problem(w, 400, err.msg, "la");
	if ((rc = load_year(r, w, &y, &c)))
		return rc;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	src.la = la;
	src.release = SL_VERSION;
	src.serial = census_events_read(c); /* as the CLI: docs/census.md */
	src.date_time = stamp;
	if ((rc = census_xml_write(c, &src, &xml, &err)) || (rc = record_children(r, c, &err))) {
		rc = http_problem_err(w, &err);
		goto done;
	}
	w->status = 200;
	w->content_type = "application/xml; charset=utf-8";
	buf_release(&w->body); /* the return's bytes, not a copy */
	w->body = xml;
	memset(&xml, 0, sizeof(xml));
	rc = 200;
done:
	buf_release(&xml);
	census_free(c);
	return rc;
}

int http_census_check_get(http_req *r, http_resp *w)
{
	census_year y;
	census *c = NULL;
	census_findings *f = NULL;
	json_t *body, *list;
	sl_err err = {0};
	size_t i;
	int rc;

	if ((rc = load_year(r, w, &y, &c)))
		return rc;
	if ((rc = census_check(c, app_rules_config(r->a)->cal, &f, &err)) || (rc = record_named(r, f, &err))) {
		rc = http_problem_err(w, &err);
		goto done;
	}
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
done:
	census_findings_free(f);
	census_free(c);
	return rc;
}
