/*
 * cmd_events.c - `safeledger events --child ID`: a child's events in seq
 * order as JSON lines, with approved amendments applied and the original
 * values kept beside them.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <getopt.h>

static int print_line(void *ctx, json_t *obj, sl_err *err)
{
	char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	(void)ctx;
	if (!s)
		return sl_fail(err, SL_ENOMEM, "cannot serialise an event");
	puts(s);
	free(s);
	return 0;
}

int cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {"child", required_argument, NULL, 'c'}, {0}};
	const char *child = NULL;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "events"))
			continue;
		if (opt == 'c')
			child = optarg;
		else
			return cli_usage_error("events", "unknown option");
	}
	if (!child || optind != argc)
		return cli_usage_error("events", "give --child ID");
	if ((rc = cli_open(&c, true, &a)))
		return rc;
	if (app_person_events(a, child, print_line, NULL, &err))
		rc = cli_fail(&err);
	app_close(a);
	return rc;
}
