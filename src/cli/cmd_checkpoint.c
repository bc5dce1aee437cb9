/*
 * cmd_checkpoint.c - `safeledger checkpoint`: the latest signed checkpoint,
 * byte for byte what /log/checkpoint serves.  If the log has grown since
 * the last one, a new checkpoint is signed first, so the output always
 * covers every event (unless --no-sign).  `--log access`: the access log's
 * (what /access-log/checkpoint serves).
 */
#include "util/common.h"
#include "cli/cli.h"

#include <getopt.h>

int cmd_checkpoint(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {"no-sign", no_argument, NULL, 'n'},
	                                     {"log", required_argument, NULL, 'l'}, {0}};
	int log = STORE_LOG_CASES;
	cli_common c;
	bool sign = true;
	char *note = NULL;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "checkpoint"))
			continue;
		if (opt == 'n')
			sign = false;
		else if (opt == 'l' && (log = cli_parse_log(optarg)) < 0)
			return cli_usage_error("checkpoint", "--log: `%s` is not cases or access", optarg);
		else if (opt != 'l')
			return cli_usage_error("checkpoint", "unknown option");
	}
	if (optind != argc)
		return cli_usage_error("checkpoint", "unexpected argument `%s`", argv[optind]);
	if ((rc = cli_open(&c, !sign, &a)))
		return rc;
	if (app_checkpoint_log(a, log, sign, &note, &err)) {
		rc = cli_fail(&err);
	} else {
		fputs(note, stdout);
		free(note);
	}
	app_close(a);
	return rc;
}
