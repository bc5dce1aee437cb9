/*
 * cmd_init.c - `safeledger init`: a new database, key and empty checkpoint.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <getopt.h>
#include <unistd.h>

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {"origin", required_argument, NULL, 'o'}, {0}};
	cli_common c;
	app_options o = {0};
	const char *origin = NULL;
	char host[256], default_origin[300];
	sl_err err = {0};
	app *a = NULL;
	int opt;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "init"))
			continue;
		if (opt == 'o')
			origin = optarg;
		else
			return cli_usage_error("init", "unknown option");
	}
	if (optind != argc)
		return cli_usage_error("init", "unexpected argument `%s`", argv[optind]);
	if (!origin) {
		if (gethostname(host, sizeof(host)) != 0 || !host[0])
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		snprintf(default_origin, sizeof(default_origin), "%s/safeledger", host);
		origin = default_origin;
	}
	o.db = c.db;
	o.key_path = c.key;
	if (app_init(&o, origin, &err))
		return cli_fail(&err);
	if (app_open(&o, &a, &err))
		return cli_fail(&err);
	printf("initialised %s\norigin: %s\nverifier key: %s\n", c.db, origin, app_vkey(a));
	app_close(a);
	return 0;
}
