/*
 * cmd_demo.c - `safeledger demo`: a synthetic local authority (demo.h),
 * either appended to an instance through the normal write path or printed
 * as JSONL.
 *
 * Into a database the events go through app_batch_add() like an import of
 * history (not live: each day's time rules run before that day's events,
 * and the rules record their alerts), recorded by "demo".  A transaction
 * every 50,000 events keeps the write-ahead log and the memory of one
 * transaction bounded for millions of events; the last commit signs a
 * checkpoint.  A failure rolls back only the transaction in progress, and
 * the message says how many events were kept.  Every event the generator
 * makes should be valid, so a refused event is a generator bug: the message
 * names the event's number, kind and time, and the seed reproduces it.
 *
 * The instance must be new: the generator's person ids and refs (C1N1,
 * concern-1, ...) are the same for every seed, so a second run would
 * collide with the first.
 */
#include "util/common.h"
#include "cli/cli.h"
#include "demo/demo.h"
#include "util/date.h"

#include <errno.h>
#include <getopt.h>
#include <time.h>
#include <unistd.h>

#define COMMIT_EVERY 50000

typedef struct run {
	const demo_opts *opts;
	demo_stats stats;
	app *a; /* NULL: JSONL to stdout */
	app_write_opts wo;
	uint64_t committed; /* events durable so far */
	char *line;         /* JSONL: the serialised event */
	size_t line_cap;
	bool progress;
	struct timespec start, last;
} run;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Checking the clock costs more than a cheap event, so look every 4096. */
static void show_progress(run *r)
{
	double el, done;
	char bar[41];
	int fill;

	if (!r->progress || (r->stats.events & 4095) || seconds_since(&r->last) < 0.2)
		return;
	clock_gettime(CLOCK_MONOTONIC, &r->last);
	el = seconds_since(&r->start);
	done = (double)(r->stats.day - r->opts->from) / (double)(r->opts->to - r->opts->from + 1);
	fill = (int)(40.0 * done);
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %3.0f%%  %llu events  %.0f/s ", bar, 100.0 * done, (unsigned long long)r->stats.events,
	        el > 0 ? (double)r->stats.events / el : 0.0);
}

/* "event 12 (`visit.recorded`, 2022-03-04T10:15:00Z)" in front of a reason. */
static void name_event(sl_err *err, const run *r, const json_t *event)
{
	sl_err_prefix(err, "event %llu (`%s`, %s)", (unsigned long long)r->stats.events,
	              json_string_value(json_object_get(event, "kind")),
	              json_string_value(json_object_get(event, "occurred_at")));
}

static int write_jsonl(void *ctx, json_t *event, sl_err *err)
{
	run *r = ctx;
	size_t n = json_dumpb(event, r->line, r->line_cap, JSON_COMPACT);

	if (n > r->line_cap) {
		r->line_cap = n * 2;
		r->line = xrealloc(r->line, r->line_cap);
		n = json_dumpb(event, r->line, r->line_cap, JSON_COMPACT);
	}
	if (n == 0) {
		sl_fail(err, SL_EINVAL, "cannot serialise the event");
		name_event(err, r, event);
		return SL_EINVAL;
	}
	if (fwrite(r->line, 1, n, stdout) != n || putchar('\n') == EOF)
		return sl_fail(err, SL_EIO, "writing standard output: %s", strerror(errno));
	show_progress(r);
	return 0;
}

static int write_db(void *ctx, json_t *event, sl_err *err)
{
	run *r = ctx;
	ledger_entry entry;
	int rc;

	if ((rc = app_batch_add(r->a, event, &r->wo, &entry, err))) {
		name_event(err, r, event);
		return rc;
	}
	if (r->stats.events % COMMIT_EVERY == 0) {
		if ((rc = app_batch_commit(r->a, false, err)))
			return rc;
		r->committed = r->stats.events;
		if ((rc = app_batch_begin(r->a, err)))
			return rc;
	}
	show_progress(r);
	return 0;
}

static int parse_day(const char *s, int32_t *day, const char *what)
{
	sl_err err = {0};

	if (date_parse_day(s, day, &err))
		return cli_usage_error("demo", "%s: %s", what, err.msg);
	return 0;
}

/* Values past any character, so they never meet the common options' letters. */
enum { OPT_CHILDREN = 256, OPT_SEED, OPT_FROM, OPT_TO, OPT_DRIFT, OPT_JSONL };

static int parse_args(int argc, char **argv, cli_common *c, demo_opts *o, bool *jsonl)
{
	static const struct option opts[] = {CLI_COMMON_OPTIONS,
	                                     {"children", required_argument, NULL, OPT_CHILDREN},
	                                     {"seed", required_argument, NULL, OPT_SEED},
	                                     {"from", required_argument, NULL, OPT_FROM},
	                                     {"to", required_argument, NULL, OPT_TO},
	                                     {"drift", required_argument, NULL, OPT_DRIFT},
	                                     {"jsonl", no_argument, NULL, OPT_JSONL},
	                                     {0}};
	uint64_t v;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg, "demo"))
			continue;
		switch (opt) {
		case OPT_CHILDREN:
			if (cli_parse_u64(optarg, &o->children) || o->children < 1 || o->children > DEMO_MAX_CHILDREN)
				return cli_usage_error("demo", "--children needs a number from 1 to %u",
				                       DEMO_MAX_CHILDREN);
			break;
		case OPT_SEED:
			if (cli_parse_u64(optarg, &o->seed))
				return cli_usage_error("demo", "--seed needs a whole number");
			break;
		case OPT_FROM:
			if (parse_day(optarg, &o->from, "--from"))
				return 2;
			break;
		case OPT_TO:
			if (parse_day(optarg, &o->to, "--to"))
				return 2;
			break;
		case OPT_DRIFT:
			if (cli_parse_u64(optarg, &v) || v > 100)
				return cli_usage_error("demo", "--drift needs a percentage from 0 to 100");
			o->drift_pct = (unsigned)v;
			break;
		case OPT_JSONL:
			*jsonl = true;
			break;
		default:
			return cli_usage_error("demo", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage_error("demo", "unexpected argument `%s`", argv[optind]);
	if (!o->children)
		return cli_usage_error("demo", "say how many children: --children N");
	if (o->to <= o->from)
		return cli_usage_error("demo", "--to must be after --from");
	return 0;
}

/* The instance must be new (see the top of this file). */
static int open_empty(const cli_common *c, app **a)
{
	uint64_t size;
	int rc;

	if ((rc = cli_open(c, false, a)))
		return rc;
	size = ledger_size(app_ledger(*a));
	if (size == 0)
		return 0;
	fprintf(stderr,
	        "safeledger: %s already holds %llu events; demo data goes into a new instance "
	        "(safeledger init --db NEW.db)\n",
	        c->db, (unsigned long long)size);
	app_close(*a);
	*a = NULL;
	return 1;
}

int cmd_demo(int argc, char **argv)
{
	demo_opts o;
	run r = {0};
	cli_common c;
	bool jsonl = false;
	sl_err err = {0};
	double secs;
	int rc;

	cli_common_init(&c);
	demo_opts_default(&o);
	if ((rc = parse_args(argc, argv, &c, &o, &jsonl)))
		return rc;
	r.opts = &o;
	r.wo.recorder = "demo";
	r.progress = isatty(STDERR_FILENO);
	if (!jsonl) {
		if ((rc = open_empty(&c, &r.a)))
			return rc;
		if (app_batch_begin(r.a, &err)) {
			rc = cli_fail(&err);
			goto done;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &r.start);
	r.last = r.start;
	rc = demo_generate(&o, jsonl ? write_jsonl : write_db, &r, &r.stats, &err);
	if (!rc && r.a)
		rc = app_batch_commit(r.a, true, &err);
	else if (r.a)
		app_batch_abort(r.a);
	if (!rc && jsonl && fflush(stdout) == EOF)
		rc = sl_fail(&err, SL_EIO, "writing standard output: %s", strerror(errno));
	if (r.progress)
		fputc('\n', stderr);
	if (rc) {
		rc = cli_fail(&err);
		if (r.a)
			fprintf(stderr, "safeledger: the first %llu events were kept; the rest were rolled back\n",
			        (unsigned long long)r.committed);
		goto done;
	}
	secs = seconds_since(&r.start);
	/* With --jsonl, stdout is the data: the summary goes to stderr. */
	fprintf(jsonl ? stderr : stdout, "%llu %s, %llu events in %.1f s (%.0f events/s)\n",
	        (unsigned long long)r.stats.children, r.stats.children == 1 ? "child" : "children",
	        (unsigned long long)r.stats.events, secs, secs > 0 ? (double)r.stats.events / secs : 0.0);
	if (r.a)
		printf("ledger size %llu (with the rules' alerts); checkpoint signed\n",
		       (unsigned long long)ledger_size(app_ledger(r.a)));
done:
	app_close(r.a);
	free(r.line);
	return rc;
}
