/*
 * cmd_access.c - `safeledger access --child ID [--json]`: who looked at a
 * child's record, when, through what, and why when they broke the glass,
 * from the access log (DESIGN 4, 8).  Listing it reads no case content, so
 * it is not itself an access to record.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "app/auth.h"

#include <getopt.h>

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static int print_access(void *ctx, json_t *o, sl_err *err)
{
	bool *as_json = ctx;
	(void)err;
	if (*as_json) {
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		return 0;
	}
	printf("%-8lld %-24s %-24s %-15s %s", (long long)json_integer_value(json_object_get(o, "seq")), str(o, "at"),
	       str(o, "user"), str(o, "role"), str(o, "route"));
	if (json_object_get(o, "break_glass"))
		printf("  BREAK-GLASS: %s", str(o, "break_glass"));
	putchar('\n');
	return 0;
}

int cmd_access(int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS, {"child", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'}, {0}};
	const char *child = NULL;
	bool as_json = false;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "access"))
			continue;
		if (opt == 'c')
			child = optarg;
		else if (opt == 'j')
			as_json = true;
		else
			return cli_usage_error("access", "unknown option");
	}
	if (!child || optind != argc)
		return cli_usage_error("access", "give --child ID and nothing else");
	if ((rc = cli_open(&c, true, &a)))
		return rc;
	if (!as_json)
		printf("%-8s %-24s %-24s %-15s %s\n", "SEQ", "AT", "USER", "ROLE", "ROUTE");
	if (auth_access_list(a, child, print_access, &as_json, &err))
		rc = cli_fail(&err);
	app_close(a);
	return rc;
}
