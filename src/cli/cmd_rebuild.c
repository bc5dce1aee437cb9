/*
 * cmd_rebuild.c - `safeledger rebuild`: drop every projection and derive it
 * again from the ledger in one transaction, then print the events replayed,
 * the time taken and the rows in each table.
 *
 * --dump FILE writes the canonical projection dump (rebuild.c) after the
 * rebuild; with --dump-only nothing is rebuilt and the database is opened
 * read-only.  Comparing a dump taken before a rebuild with one taken after
 * proves the projections are exactly what the ledger implies.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <time.h>

static int print_count(void *ctx, const char *table, uint64_t rows, sl_err *err)
{
	(void)err;
	fprintf(ctx, "  %-13s %llu\n", table, (unsigned long long)rows);
	return 0;
}

static int write_dump(app *a, const char *path, sl_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "we");
	int rc;

	if (!f)
		return sl_fail(err, SL_EIO, "%s: cannot write the dump: %s", path, strerror(errno));
	rc = app_dump_projections(a, f, err);
	if (f != stdout && fclose(f) != 0 && !rc)
		rc = sl_fail(err, SL_EIO, "%s: cannot write the dump", path);
	return rc;
}

int cmd_rebuild(int argc, char **argv)
{
	enum { OPT_DUMP = 1000, OPT_DUMP_ONLY };
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"dump", required_argument, NULL, OPT_DUMP},
		{"dump-only", no_argument, NULL, OPT_DUMP_ONLY},
		{0},
	};
	const char *dump = NULL;
	bool dump_only = false;
	app_rebuild_stats stats;
	struct timespec t0, t1;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	FILE *report;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == OPT_DUMP)
			dump = optarg;
		else if (opt == OPT_DUMP_ONLY)
			dump_only = true;
		else if (!cli_common_option(&c, opt, optarg, "rebuild"))
			return cli_usage_error("rebuild", "unknown option");
	}
	if (optind != argc)
		return cli_usage_error("rebuild", "unexpected argument `%s`", argv[optind]);
	if (dump_only && !dump)
		return cli_usage_error("rebuild", "--dump-only needs --dump FILE");
	if ((rc = cli_open(&c, dump_only, &a)))
		return rc;
	/* With the dump on stdout, the report goes to stderr. */
	report = dump && strcmp(dump, "-") == 0 ? stderr : stdout;
	if (!dump_only) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (app_rebuild(a, &stats, &err)) {
			rc = cli_fail(&err);
			goto done;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		fprintf(report, "rebuilt the projections from %llu events in %.2fs:\n", (unsigned long long)stats.events,
		        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (app_projection_counts(a, print_count, report, &err)) {
			rc = cli_fail(&err);
			goto done;
		}
	}
	if (dump && write_dump(a, dump, &err))
		rc = cli_fail(&err);
done:
	app_close(a);
	return rc;
}
