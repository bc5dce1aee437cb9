/*
 * cmd_census.c - `safeledger census --year 2025-26 [--la CODE] [--out
 * FILE.xml]`: the DfE children in need census return (report/census.h,
 * docs/census.md), and `census --check`, its validation rules
 * (report/census_check.c).
 *
 * Everything the user gave is checked before the database is opened, and
 * the return is built whole in memory before anything is written: --out
 * goes to FILE.tmp, renamed into place only when complete, so a refused
 * or failed return leaves no file behind.
 *
 * The LA code: --la, else $SAFELEDGER_LA (an authority sets it once in the
 * environment its scripts run in), else an error naming `--la`.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "report/casefile.h"
#include "report/census.h"
#include "report/census_check.h"
#include "rules/rules.h"
#include "util/date.h"

#include <errno.h>
#include <getopt.h>
#include <time.h>
#include <unistd.h>

/* `--check`: one line per finding, "RULE CHILD FIELD: message (detail;
 * event SEQ)", or with --json one object a line; then "N errors, M
 * queries" (on stderr with --json, so stdout stays JSON lines).  Exit 1
 * when the return has errors: COLLECT would refuse it. */
static int print_check(const census *c, const calendar *cal, bool json, sl_err *err)
{
	census_findings *f = NULL;
	buf line = BUF_INIT;
	size_t i;
	int rc = 0;

	if (census_check(c, cal, &f, err))
		return cli_fail(err);
	for (i = 0; i < census_findings_count(f); i++) {
		json_t *j = NULL;
		char *s = NULL;

		buf_reset(&line);
		if (!json)
			census_finding_format(&line, census_findings_at(f, i));
		else if ((j = census_finding_json(census_findings_at(f, i))) &&
		         (s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)))
			buf_puts(&line, s);
		else {
			json_decref(j);
			sl_fail(err, SL_ENOMEM, "cannot serialise a finding");
			rc = cli_fail(err);
			goto done;
		}
		json_decref(j);
		free(s);
		puts(buf_str(&line));
	}
	fprintf(json ? stderr : stdout, "%zu errors, %zu queries\n", census_findings_errors(f),
	        census_findings_queries(f));
	rc = census_findings_errors(f) ? 1 : 0;
	if (fflush(stdout) != 0) {
		sl_fail(err, SL_EIO, "cannot write the findings: %s", strerror(errno));
		rc = cli_fail(err);
	}
done:
	buf_release(&line);
	census_findings_free(f);
	return rc;
}

int cmd_census(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
	                                     {"year", required_argument, NULL, 'y'},
	                                     {"la", required_argument, NULL, 'l'},
	                                     {"out", required_argument, NULL, 'o'},
	                                     {"check", no_argument, NULL, 'C'},
	                                     {"json", no_argument, NULL, 'J'},
	                                     {0}};
	const char *year = NULL, *la = NULL, *out = NULL;
	bool check = false, json = false;
	census_year y;
	census_totals t;
	census_source src = {0};
	census *c = NULL;
	buf xml = BUF_INIT;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	cli_common cc;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc = 0;

	cli_common_init(&cc);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&cc, opt, optarg, "census"))
			continue;
		if (opt == 'y')
			year = optarg;
		else if (opt == 'l')
			la = optarg;
		else if (opt == 'o')
			out = optarg;
		else if (opt == 'C')
			check = true;
		else if (opt == 'J')
			json = true;
		else
			return cli_usage_error("census", "unknown option");
	}
	if (!year || optind != argc)
		return cli_usage_error("census", "give --year YYYY-YY (such as 2025-26)");
	if (json && !check)
		return cli_usage_error("census", "--json goes with --check");
	if (census_year_find(year, &y, &err))
		return cli_fail(&err);
	if (!check) {
		if (!la)
			la = getenv("SAFELEDGER_LA");
		if (!la || !la[0]) {
			sl_fail(&err, SL_EINVAL, "`--la`: give the local authority's 3-digit code (or set SAFELEDGER_LA)");
			return cli_fail(&err);
		}
		if (census_la_check(la, &err))
			return cli_fail(&err);
	}

	if ((rc = cli_open(&cc, true, &a)))
		return rc;
	if (census_load(a, &y, &c, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (check) {
		/* --check (census_check.c, V) */
		rc = print_check(c, app_rules_config(a)->cal, json, &err);
		goto done;
	}

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	src.la = la;
	src.release = SL_VERSION;
	/* SerialNo: how many ledger events the return was built from, so two
	 * files with one serial were made from the same record. */
	src.serial = census_events_read(c);
	src.date_time = stamp;
	if (census_xml_write(c, &src, &xml, &err) || (out && cli_write_file(out, &xml, &err))) {
		rc = cli_fail(&err);
		goto done;
	}
	census_get_totals(c, &t);
	if (out)
		printf("wrote %s: %zu children, %zu CIN episodes (%zu NFA referrals), %zu assessments, %zu CIN plans, "
		       "%zu section 47 enquiries, %zu child protection plans, %zu reviews\n",
		       out, t.children, t.episodes, t.nfa, t.assessments, t.cin_plans, t.s47s, t.plans, t.reviews);
	else if (fwrite(buf_str(&xml), 1, xml.len, stdout) != xml.len || fflush(stdout) != 0) {
		sl_fail(&err, SL_EIO, "cannot write the return to standard output: %s", strerror(errno));
		rc = cli_fail(&err);
	}
done:
	buf_release(&xml);
	census_free(c);
	app_close(a);
	return rc;
}
