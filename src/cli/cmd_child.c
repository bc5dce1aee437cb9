/*
 * cmd_child.c - `safeledger child ID [--as-of DATE] [--json]`: a child's
 * state as the record stood on a date (DESIGN 1: "what was known"), derived
 * from the ledger rows recorded by then.
 */
#include "util/common.h"
#include "cli/cli.h"

#include <getopt.h>

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "-";
}

static void print_text(const json_t *o)
{
	const json_t *c = json_object_get(o, "case"), *plan = json_object_get(o, "cp_plan");
	const json_t *lac = json_object_get(o, "looked_after"), *v;
	size_t i;

	printf("%s as recorded on %s (%lld events about the child, ledger of %lld)\n", str(o, "child"),
	       str(o, "as_of"), (long long)json_integer_value(json_object_get(o, "events")),
	       (long long)json_integer_value(json_object_get(o, "ledger_size")));
	printf("  born         %s\n", str(o, "born"));
	if (json_is_true(json_object_get(c, "open")))
		printf("  case         open since %s, worker %s\n", str(c, "opened_on"), str(c, "worker"));
	else
		printf("  case         closed or never opened\n");
	if (json_is_object(plan))
		printf("  CP plan      since %s, category %s\n", str(plan, "since"), str(plan, "category"));
	printf("  earlier CP plans %lld\n", (long long)json_integer_value(json_object_get(o, "previous_cp_plans")));
	if (json_is_object(lac))
		printf("  looked after since %s\n", str(lac, "since"));
	printf("  CIN plan     %s\n", json_is_true(json_object_get(o, "cin_plan")) ? "yes" : "no");
	printf("  last seen    %s\n", str(o, "last_seen"));
	json_array_foreach(json_object_get(o, "open_concerns"), i, v)
		printf("  concern      %s %s%s (event %lld)\n", str(v, "raised_on"), str(v, "category"),
		       json_is_true(json_object_get(v, "significant_harm")) ? ", significant harm" : "",
		       (long long)json_integer_value(json_object_get(v, "seq")));
	json_array_foreach(json_object_get(o, "due"), i, v)
		printf("  due          %s by %s\n", str(v, "rule"), str(v, "due"));
	json_array_foreach(json_object_get(o, "alerts"), i, v)
		printf("  alert        %s %s\n", str(v, "ref"), str(v, "state"));
}

int cmd_child(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {"as-of", required_argument, NULL, 'a'},
	                                     {"json", no_argument, NULL, 'j'}, {0}};
	const char *as_of = NULL;
	bool as_json = false;
	cli_common c;
	sl_err err = {0};
	app *a = NULL;
	json_t *o = NULL;
	int opt, rc;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "child"))
			continue;
		if (opt == 'a')
			as_of = optarg;
		else if (opt == 'j')
			as_json = true;
		else
			return cli_usage_error("child", "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("child", "give one child id");
	if ((rc = cli_open(&c, true, &a)))
		return rc;
	if (app_child_as_of(a, argv[optind], as_of, &o, &err)) {
		rc = cli_fail(&err);
	} else if (as_json) {
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
	} else {
		print_text(o);
	}
	json_decref(o);
	app_close(a);
	return rc;
}
