/*
 * cmd_replay.c - `safeledger replay FILE.jsonl [--json] [--until DATE]
 * [--full]`: what the rules would have flagged in a history, and when
 * (DESIGN 6).  Nothing is written anywhere: the history runs through a
 * fresh in-memory instance that validates every event and runs the rules
 * but keeps no ledger or projections; --full runs the whole write path
 * (ledger, tiles, projections) instead, which must say the same, slower.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "util/date.h"

#include <errno.h>
#include <getopt.h>

struct printer {
	bool json;
	uint64_t alerts;
};

static int print_alert(void *ctx, const rules_alert *ra, uint64_t seq, sl_err *err)
{
	struct printer *p = ctx;
	buf day = BUF_INIT;
	size_t i;

	(void)seq;
	date_format_day(&day, ra->raised_on);
	if (p->json) {
		json_t *o = json_object(), *ev = json_array();
		char *s;
		for (i = 0; i < ra->n_evidence; i++)
			json_array_append_new(ev, json_integer((json_int_t)ra->evidence[i]));
		json_object_set_new(o, "code", json_string(rule_name(ra->code)));
		json_object_set_new(o, "child", ra->child ? json_string(ra->child) : json_null());
		json_object_set_new(o, "raised_on", json_string(day.data));
		json_object_set_new(o, "ref", json_string(ra->ref));
		json_object_set_new(o, "reason", json_string(ra->reason));
		json_object_set_new(o, "evidence", ev);
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		if (!s) {
			buf_release(&day);
			return sl_fail(err, SL_ENOMEM, "cannot serialise an alert");
		}
		puts(s);
		free(s);
	} else {
		printf("%s  %-28s %-12s %s\n", day.data, rule_name(ra->code), ra->child ? ra->child : "-", ra->reason);
	}
	p->alerts++;
	buf_release(&day);
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS, {"json", no_argument, NULL, 'j'},
	                                     {"until", required_argument, NULL, 'u'},
	                                     {"full", no_argument, NULL, 'f'}, {0}};
	struct printer p = {false, 0};
	bool full = false;
	const char *until = NULL, *path;
	app_replay_stats stats;
	cli_common c;
	app_options o;
	sl_err err = {0};
	app *a = NULL;
	FILE *in;
	int opt, rc = 0;

	cli_common_init(&c);
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(&c, opt, optarg, "replay"))
			continue;
		if (opt == 'j')
			p.json = true;
		else if (opt == 'u')
			until = optarg;
		else if (opt == 'f')
			full = true;
		else
			return cli_usage_error("replay", "unknown option");
	}
	if (optind + 1 != argc)
		return cli_usage_error("replay", "give one history file (JSONL), or - for stdin");
	path = argv[optind];
	in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!in) {
		fprintf(stderr, "safeledger: %s: %s\n", path, strerror(errno));
		return 1;
	}
	o = cli_app_options(&c);
	o.rules_only = !full;
	if (app_open_memory(&o, &a, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	app_set_alert_observer(a, print_alert, &p);
	if (app_replay(a, in, 1 << 20, until, &stats, &err)) {
		rc = cli_fail(&err);
		goto done;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "safeledger: cannot write the output: %s\n", strerror(errno));
		rc = 1;
		goto done;
	}
	if (!p.json)
		fprintf(stderr, "%llu events replayed, %llu alerts\n", (unsigned long long)stats.events,
		        (unsigned long long)p.alerts);
done:
	app_close(a);
	if (in != stdin)
		fclose(in);
	return rc;
}
