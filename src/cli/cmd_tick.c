/*
 * cmd_tick.c - `safeledger tick [--date DATE]`: the daily run of the time
 * rules (DESIGN 6), appending the alerts for every deadline missed up to
 * today.  Run it once a day (cron or a systemd timer); a missed day is
 * caught up, each working day in turn, on the next run.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "util/date.h"

#include <getopt.h>

int cmd_tick(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {"date", required_argument, NULL, 'D'}, {0}};
	const char *date = NULL;
	int32_t day;
	uint64_t before;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "tick"))
			continue;
		if (opt == 'D')
			date = optarg;
		else
			return cli_usage_error("tick", "unknown option");
	}
	if (optind != argc)
		return cli_usage_error("tick", "unexpected argument `%s`", argv[optind]);
	if (date && date_parse_day(date, &day, &err))
		return cli_usage_error("tick", "--date: %s", err.msg);
	if ((rc = cli_open(&c, false, &a)))
		return rc;
	if (!date)
		day = app_today(a);
	before = ledger_size(app_ledger(a));
	if (app_tick(a, day, &err))
		rc = cli_fail(&err);
	else
		printf("%llu alerts raised\n", (unsigned long long)(ledger_size(app_ledger(a)) - before));
	app_close(a);
	return rc;
}
