/*
 * cmd_export.c - `safeledger export`: every event as an export line
 * (DESIGN 4), the input of a restore.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <getopt.h>

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if (!cli_common_option(&c, opt, optarg, "export"))
			return cli_usage_error("export", "unknown option");
	if (optind != argc)
		return cli_usage_error("export", "unexpected argument `%s`", argv[optind]);
	if ((rc = cli_open(&c, true, &a)))
		return rc;
	if (app_export(a, stdout, &err))
		rc = cli_fail(&err);
	app_close(a);
	return rc;
}
