/*
 * replay.c - run a history through a fresh instance (DESIGN 6, `replay`):
 * "what would have been flagged, and when".
 *
 * The file's events are sorted by occurred_at (date, then time where
 * given, then file order: DESIGN 6.1.2) and appended to an in-memory
 * instance through the one write path, so the rules see exactly what a
 * live system would; the time rules run on every working day from the
 * first event's date through the last one's (or `until`).  Events dated
 * after `until` are left out.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "ledger/jcs.h"
#include "util/date.h"
#include "util/lines.h"

typedef struct replay_line {
	json_t *event;
	sl_date at;
	unsigned long long lineno;
} replay_line;

static int by_occurred(const void *pa, const void *pb)
{
	const replay_line *a = pa, *b = pb;
	int c = date_compare(&a->at, &b->at);
	if (c)
		return c;
	return a->lineno < b->lineno ? -1 : a->lineno > b->lineno;
}

static bool blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

static int read_history(FILE *in, size_t max_line, replay_line **out, size_t *n, sl_err *err)
{
	line_reader lr;
	const char *line;
	size_t len, cap = 0;
	replay_line *v = NULL;
	int got, rc = 0;

	*n = 0;
	lines_init(&lr, in, max_line);
	while ((got = lines_next(&lr, &line, &len)) == 1) {
		replay_line rl = {NULL, {0, 0, 0}, lr.lineno};
		const char *at;
		if (blank(line, len))
			continue;
		if (!(rl.event = jcs_parse(line, len, err))) {
			rc = SL_EINVAL;
			goto fail_line;
		}
		at = json_string_value(json_object_get(rl.event, "occurred_at"));
		if (!json_is_object(rl.event))
			rc = sl_fail(err, SL_EINVAL, "expected a JSON object");
		else if (!at)
			rc = sl_fail(err, SL_EINVAL, "missing required field `occurred_at`");
		else if ((rc = date_parse(at, &rl.at, err)))
			sl_err_prefix(err, "field `occurred_at`");
		if (rc) {
			json_decref(rl.event);
			goto fail_line;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[(*n)++] = rl;
	}
	if (got < 0) {
		rc = ferror(in) ? sl_fail(err, SL_EIO, "line %llu: read error", lr.lineno + 1)
		                : sl_fail(err, SL_EINVAL, "line %llu: longer than %zu bytes", lr.lineno, max_line);
		goto fail;
	}
	lines_release(&lr);
	*out = v;
	return 0;
fail_line:
	sl_err_prefix(err, "line %llu", lr.lineno);
fail:
	lines_release(&lr);
	while (*n)
		json_decref(v[--*n].event);
	free(v);
	return rc;
}

int app_replay(app *a, FILE *in, size_t max_line, const char *until, app_replay_stats *stats, sl_err *err)
{
	app_write_opts o = {.recorder = "replay"};
	replay_line *v = NULL;
	size_t n = 0, i;
	int32_t end = INT32_MIN, stop = INT32_MAX;
	int rc;

	memset(stats, 0, sizeof *stats);
	if (until && date_parse_day(until, &stop, err))
		return sl_fail(err, SL_EINVAL, "--until: `%s` is not a date (YYYY-MM-DD)", until);
	if ((rc = read_history(in, max_line, &v, &n, err)))
		return rc;
	qsort(v, n, sizeof *v, by_occurred);
	if ((rc = app_batch_begin(a, err)))
		goto done;
	for (i = 0; i < n && v[i].at.day <= stop; i++) {
		ledger_entry entry;
		if ((rc = app_batch_add(a, v[i].event, &o, &entry, err))) {
			sl_err_prefix(err, "line %llu", v[i].lineno);
			app_batch_abort(a);
			goto done;
		}
		end = v[i].at.day;
		stats->events++;
	}
	if (until)
		end = stop;
	if (end != INT32_MIN && (rc = app_rules_tick(a, end, err))) {
		app_batch_abort(a);
		goto done;
	}
	rc = app_batch_commit(a, false, err);
done:
	for (i = 0; i < n; i++)
		json_decref(v[i].event);
	free(v);
	return rc;
}
