/*
 * census_api.c - GET /api/v1/census?year=2025-26[&la=CODE]: the DfE
 * children in need census return (report/census.h) for the data team,
 * as the same XML `safeledger census` writes (docs/census.md).
 *
 * Who: the data officer, whose job the return is, and the director, who
 * signs it off (the route's roles in api.c).  The return names every child
 * in it, so it is a read of each of those records: every child is written
 * to the access log (DESIGN 8) before a byte of the return is sent, and
 * if the log cannot be written the return is not sent.
 *
 * The LA code: `la`, else $SAFELEDGER_LA in the server's environment, else
 * a 400 naming `la`.  Every parameter is checked before the ledger is read.
 */
#include "util/common.h"

#include <time.h>

#include "http/api.h"
#include "http/http.h"
#include "report/casefile.h"
#include "report/census.h"
#include "rules/rules.h"

#define CENSUS_ROUTE "GET /api/v1/census"

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

int http_census_get(http_req *r, http_resp *w)
{
	const char *year = http_query(r, "year"), *la = http_query(r, "la");
	casefile_opts co = {0};
	census_source src = {0};
	census_year y;
	casefile *cf = NULL;
	census *c = NULL;
	buf xml = BUF_INIT;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	sl_err err = {0};
	int rc;

	if (!year)
		return http_problem(w, 400, "parameter `year`: required (a collection year such as 2025-26)", "year");
	if (census_year_find(year, &y, &err))
		return http_problem(w, 400, err.msg, "year");
	if (!la || !la[0])
		la = getenv("SAFELEDGER_LA");
	if (!la || !la[0])
		return http_problem(w, 400, "parameter `la`: required (the local authority's 3-digit code; or set SAFELEDGER_LA for the server)", "la");
	if (census_la_check(la, &err))
		return http_problem(w, 400, err.msg, "la");

	co.until = y.end;
	if ((rc = casefile_load(r->a, &co, &cf, &err)))
		goto fail;
	if ((rc = census_covers(cf, &y, &err))) {
		rc = http_problem(w, 400, err.msg, "year");
		goto done;
	}
	if ((rc = census_build(cf, &y, app_rules_config(r->a)->cal, &c, &err)))
		goto fail;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	src.la = la;
	src.release = SL_VERSION;
	src.serial = casefile_events_read(cf); /* as the CLI: docs/census.md */
	src.date_time = stamp;
	if ((rc = census_xml_write(c, &src, &xml, &err)) || (rc = record_children(r, c, &err)))
		goto fail;
	w->status = 200;
	w->content_type = "application/xml; charset=utf-8";
	buf_release(&w->body); /* the return's bytes, not a copy */
	w->body = xml;
	memset(&xml, 0, sizeof(xml));
	rc = 200;
	goto done;
fail:
	rc = http_problem_err(w, &err);
done:
	buf_release(&xml);
	census_free(c);
	casefile_free(cf);
	return rc;
}
