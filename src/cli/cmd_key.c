/*
 * cmd_key.c - `safeledger key`: the verifier key ("name+id+base64") that
 * anyone needs to check this instance's checkpoints.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <getopt.h>

int cmd_key(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	cli_common c;
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if (!cli_common_option(&c, opt, optarg, "key"))
			return cli_usage_error("key", "unknown option");
	if (optind != argc)
		return cli_usage_error("key", "unexpected argument `%s`", argv[optind]);
	if ((rc = cli_open(&c, true, &a)))
		return rc;
	printf("%s\n", app_vkey(a));
	app_close(a);
	return 0;
}
