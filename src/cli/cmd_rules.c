/*
 * cmd_rules.c - `safeledger rules [--rules FILE]`: check a rules
 * configuration and print every setting in force, in the file format, so
 * an authority can start its own file from the output.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <getopt.h>

int cmd_rules(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {0}};
	rules_config *cfg;
	cli_common c;
	sl_err err = {0};
	buf out = BUF_INIT;
	int opt;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1)
		if (!cli_common_option(&c, opt, optarg, "rules"))
			return cli_usage_error("rules", "unknown option");
	if (optind != argc)
		return cli_usage_error("rules", "unexpected argument `%s`", argv[optind]);
	if (rules_config_load(c.rules, &cfg, &err))
		return cli_fail(&err);
	rules_config_write(cfg, &out);
	fputs(out.data, stdout);
	buf_release(&out);
	rules_config_free(cfg);
	return 0;
}
