/*
 * bench_rules.c - safeledger-bench-rules: the child's-record numbers of the
 * rules issue, against the physical limit measured in the same run.
 *
 *   demo        demo_generate into a counting sink, and with each event
 *               serialised as a JSONL line (what `demo --jsonl` does)
 *   parse       jcs_parse over the same JSONL: the floor under anything
 *               that reads the history (the reference for the ratios)
 *   rules       the engine alone over the parsed events, every rule on,
 *               time rules run on every working day (as replay does)
 *   replay      app_replay of the JSONL on a rules-only in-memory instance:
 *               sort, validate, rules, alerts (`safeledger replay`)
 *   replay full the same through the whole write path (ledger, tiles,
 *               projections: `safeledger replay --full`); both must raise
 *               the same alerts
 *   rebuild     app_rebuild of a database holding the history (import
 *               first, untimed)
 *
 *   safeledger-bench-rules [--quick] [--children N]
 *
 * Ratios are events/s over the parse rate.  Not a test: docs/benchmarks.md
 * records runs with the machine.
 */
#include "util/common.h"
#include "app/app.h"
#include "demo/demo.h"
#include "ledger/jcs.h"
#include "rules/rules.h"
#include "util/date.h"
#include "util/hmap.h"

#include <sys/resource.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const sl_err *err)
{
	fprintf(stderr, "bench-rules: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

static int count_sink(void *ctx, json_t *event, sl_err *err)
{
	(void)event;
	(void)err;
	(*(uint64_t *)ctx)++;
	return 0;
}

static int jsonl_sink(void *ctx, json_t *event, sl_err *err)
{
	buf *out = ctx;
	char *s = json_dumps(event, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!s)
		return sl_fail(err, SL_ENOMEM, "cannot serialise");
	buf_puts(out, s);
	buf_putc(out, '\n');
	free(s);
	return 0;
}

/* The engine alone: seqs numbered as a ledger would (alerts take theirs),
 * and event refs resolved from a map, as the store resolves them. */
typedef struct engine_run {
	uint64_t seq, alerts;
	hmap refs;
} engine_run;

static int alert_count(void *ctx, const rules_alert *a, uint64_t *seq, sl_err *err)
{
	engine_run *e = ctx;
	(void)a;
	(void)err;
	e->alerts++;
	*seq = ++e->seq;
	return 0;
}

static int resolve(void *ctx, const json_t *ref, uint64_t *seq, sl_err *err)
{
	engine_run *e = ctx;
	if (json_is_integer(ref)) {
		*seq = (uint64_t)json_integer_value(ref);
		return 0;
	}
	if (json_is_string(ref) && hmap_get_str(&e->refs, json_string_value(ref), seq))
		return 0;
	return sl_fail(err, SL_ENOTFOUND, "unknown ref");
}

static int replay_count(void *ctx, const rules_alert *a, uint64_t seq, sl_err *err)
{
	(void)a;
	(void)seq;
	(void)err;
	(*(uint64_t *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	bool quick = false;
	uint64_t children = 5000, n = 0, alerts = 0, replay_alerts = 0;
	demo_opts o;
	demo_stats ds;
	buf lines = BUF_INIT;
	json_t **events;
	double t, parse_rate, rate;
	size_t i, count = 0;
	const char *p, *end;
	struct rusage ru;
	sl_err err = {0};
	int k;

	for (k = 1; k < argc; k++) {
		if (strcmp(argv[k], "--quick") == 0) {
			quick = true;
			children = 250;
		} else if (strcmp(argv[k], "--children") == 0 && k + 1 < argc) {
			children = strtoull(argv[++k], NULL, 10);
		} else {
			fprintf(stderr, "usage: safeledger-bench-rules [--quick] [--children N]\n");
			return 2;
		}
	}
	demo_opts_default(&o);
	o.children = children;

	t = now();
	if (demo_generate(&o, count_sink, &n, &ds, &err))
		die("demo", &err);
	rate = (double)n / (now() - t);
	printf("safeledger-bench-rules%s: demo authority of %llu children, %llu events, %llu workers\n",
	       quick ? " --quick" : "", (unsigned long long)ds.children, (unsigned long long)n,
	       (unsigned long long)ds.workers);
	printf("demo generate     %10.0f events/s\n", rate);
	t = now();
	if (demo_generate(&o, jsonl_sink, &lines, NULL, &err))
		die("demo", &err);
	printf("demo to JSONL     %10.0f events/s   %.1f MB (%.0f bytes/event)\n", (double)n / (now() - t),
	       (double)lines.len / 1e6, (double)lines.len / (double)n);

	/* the reference: parse every line */
	events = xcalloc(n, sizeof *events);
	t = now();
	for (p = lines.data, end = p + lines.len; p < end && count < n; count++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!(events[count] = jcs_parse(p, (size_t)(nl - p), &err)))
			die("parse", &err);
		p = nl + 1;
	}
	parse_rate = (double)count / (now() - t);
	printf("parse (reference) %10.0f events/s\n", parse_rate);

	/* the engine alone, as replay drives it: ticks then the event */
	{
		rules_config *cfg;
		rules *r;
		rules_stats st;
		engine_run run = {0, 0, HMAP_INIT};
		int32_t ticks = 0, last = INT32_MIN;
		if (rules_config_load(NULL, &cfg, &err))
			die("rules config", &err);
		r = rules_new(cfg, resolve, &run);
		rules_set_sink(r, alert_count, &run);
		t = now();
		for (i = 0; i < count; i++) {
			rules_event_info info = {0, false, INT32_MIN};
			const char *ref = json_string_value(json_object_get(events[i], "ref"));
			sl_date d;
			date_parse(json_string_value(json_object_get(events[i], "occurred_at")), &d, NULL);
			if (d.day > last) {
				ticks += d.day - (last == INT32_MIN ? d.day : last);
				last = d.day;
				if (rules_tick(r, d.day, &err))
					die("tick", &err);
			}
			info.seq = ++run.seq;
			if (ref)
				hmap_put_str(&run.refs, ref, info.seq);
			if (rules_event(r, events[i], &info, &err))
				die("rules", &err);
		}
		alerts = run.alerts;
		hmap_free(&run.refs);
		rate = (double)count / (now() - t);
		rules_get_stats(r, &st);
		printf("rules engine      %10.0f events/s   ratio %.2f to parse   %llu alerts, %d days ticked, "
		       "%llu deadlines fired for %llu children (no rescans)\n",
		       rate, rate / parse_rate, (unsigned long long)alerts, ticks, (unsigned long long)st.timers_fired,
		       (unsigned long long)st.children);
		rules_free(r);
		rules_config_free(cfg);
	}
	for (i = 0; i < count; i++)
		json_decref(events[i]);
	free(events);

	/* replay: the command's own path, then the whole write path */
	for (int full = 0; full <= 1; full++) {
		app_options ao = {.rules_only = !full};
		app_replay_stats rs;
		FILE *in = fmemopen(lines.data, lines.len, "r");
		uint64_t lean_alerts = replay_alerts;
		app *a = NULL;
		if (!in || app_open_memory(&ao, &a, &err))
			die("replay instance", &err);
		replay_alerts = 0;
		app_set_alert_observer(a, replay_count, &replay_alerts);
		t = now();
		if (app_replay(a, in, 1 << 20, NULL, &rs, &err))
			die("replay", &err);
		rate = (double)rs.events / (now() - t);
		printf("replay%s      %10.0f events/s   ratio %.2f to parse   %llu alerts%s\n", full ? " full" : "     ",
		       rate, rate / parse_rate, (unsigned long long)replay_alerts,
		       full ? "" : " (target >= 100000/s)");
		if (full && replay_alerts != lean_alerts)
			die("replay --full raised another number of alerts than replay", NULL);
		fclose(in);
		app_close(a);
	}

	/* rebuild of an imported copy */
	{
		const char *dir = getenv("BENCH_DIR") ? getenv("BENCH_DIR") : "/tmp";
		buf db = BUF_INIT, cmd = BUF_INIT;
		app_options ao = {0};
		app_import_stats is;
		app_rebuild_stats rbs;
		FILE *in = fmemopen(lines.data, lines.len, "r");
		app *a = NULL;
		double ti;

		buf_printf(&db, "%s/bench-rebuild.db", dir);
		buf_printf(&cmd, "rm -f '%s' '%s-wal' '%s-shm' '%s.key'", db.data, db.data, db.data, db.data);
		if (system(cmd.data) != 0)
			die("cleaning", NULL);
		ao.db = db.data;
		if (app_init(&ao, "bench.example/safeledger", &err) || app_open(&ao, &a, &err))
			die("init", &err);
		t = now();
		if (app_import(a, in, "cli:bench", 1 << 20, NULL, NULL, &is, &err))
			die("import", &err);
		ti = now() - t;
		t = now();
		if (app_rebuild(a, &rbs, &err))
			die("rebuild", &err);
		rate = (double)rbs.events / (now() - t);
		printf("import (rules on) %10.0f events/s   ledger of %llu with alerts\n", (double)is.events / ti,
		       (unsigned long long)rbs.events);
		printf("rebuild           %10.0f events/s   %.1f s for the whole ledger\n", rate, (double)rbs.events / rate);
		fclose(in);
		app_close(a);
		system(cmd.data);
		buf_release(&db);
		buf_release(&cmd);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("peak resident memory %.1f MB (includes the %.0f MB history held in memory)\n", (double)ru.ru_maxrss / 1024,
	       (double)lines.len / 1e6);
	buf_release(&lines);
	return 0;
}
