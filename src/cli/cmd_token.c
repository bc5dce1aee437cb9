/*
 * cmd_token.c - `safeledger token add|list|revoke`: partner agencies'
 * bearer tokens (DESIGN 7, "Partners").  A token is printed once, when it
 * is made, and only its SHA-256 is kept: a lost token is revoked and a new
 * one made, never shown again.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "app/auth.h"

#include <getopt.h>

static int print_token(void *ctx, const store_token *t, sl_err *err)
{
	bool *as_json = ctx;
	(void)err;
	if (*as_json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s?}", "agency", t->agency, "name", t->name, "created_at",
		                      t->created_at, "revoked_at", t->revoked_at);
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(o);
	} else {
		printf("%-12s %-40s %-24s %s\n", t->agency, t->name, t->created_at,
		       t->revoked_at ? t->revoked_at : "live");
	}
	return 0;
}

int cmd_token(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
	                                     {"agency", required_argument, NULL, 'A'},
	                                     {"name", required_argument, NULL, 'n'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {0}};
	const char *agency = NULL, *name = NULL, *sub;
	bool as_json = false;
	char *token = NULL;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "token"))
			continue;
		switch (opt) {
		case 'A':
			agency = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'j':
			as_json = true;
			break;
		default:
			return cli_usage_error("token", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("token", "give add, list or revoke");
	sub = argv[optind];
	if (strcmp(sub, "list") == 0) {
		if (agency || name)
			return cli_usage_error("token", "`token list` takes only --json");
	} else if (strcmp(sub, "add") == 0 || strcmp(sub, "revoke") == 0) {
		if (!agency || !name || as_json)
			return cli_usage_error("token", "`token %s` takes --agency AGENCY --name NAME", sub);
	} else {
		return cli_usage_error("token", "unknown `token %s`: give add, list or revoke", sub);
	}
	if ((rc = cli_open(&c, strcmp(sub, "list") == 0, &a)))
		return rc;
	if (strcmp(sub, "list") == 0) {
		if (!as_json)
			printf("%-12s %-40s %-24s %s\n", "AGENCY", "NAME", "CREATED", "REVOKED");
		if (auth_token_list(a, print_token, &as_json, &err))
			rc = cli_fail(&err);
	} else if (strcmp(sub, "add") == 0) {
		if (auth_token_add(a, agency, name, &token, &err)) {
			rc = cli_fail(&err);
		} else {
			puts(token);
			fprintf(stderr, "safeledger: this is the only time the token is shown; the partner sends it as "
			                "`Authorization: Bearer TOKEN`\n");
			free(token);
		}
	} else if (auth_token_revoke(a, agency, name, &err)) {
		rc = cli_fail(&err);
	} else {
		printf("revoked %s's token %s\n", agency, name);
	}
	app_close(a);
	return rc;
}
