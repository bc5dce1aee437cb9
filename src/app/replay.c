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

/* A line is parsed twice: once to check it and read its date for the
 * sort, and again when it is applied.  Holding a million parsed events
 * would take gigabytes; holding the text takes its size. */
typedef struct replay_line {
	size_t off, len; /* in the history's text */
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

/* Skip one JSON string starting at s[*i] == '"'; false if unterminated. */
static bool skip_string(const char *s, size_t len, size_t *i, bool *escaped)
{
	for ((*i)++; *i < len; (*i)++) {
		if (s[*i] == '\\') {
			*escaped = true;
			(*i)++;
		} else if (s[*i] == '"') {
			(*i)++;
			return true;
		}
	}
	return false;
}

/* The top-level "occurred_at" string of a line, found without building
 * the JSON object: the sort only needs the date, and the full parse comes
 * when the line is applied.  Anything unusual (escapes in a key or in the
 * date, no such member, malformed text) answers false, and the caller
 * parses the line properly instead, which also gives the right error. */
static bool scan_occurred_at(const char *s, size_t len, char *out, size_t out_size)
{
	size_t i = 0;

#define WS() while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++
	WS();
	if (i >= len || s[i] != '{')
		return false;
	i++;
	for (;;) {
		size_t key, key_len, val;
		bool escaped = false;
		int depth = 0;

		WS();
		if (i >= len || s[i] != '"')
			return false;
		key = i + 1;
		if (!skip_string(s, len, &i, &escaped) || escaped)
			return false;
		key_len = i - 1 - key;
		WS();
		if (i >= len || s[i] != ':')
			return false;
		i++;
		WS();
		val = i;
		if (i < len && s[i] == '"') {
			if (!skip_string(s, len, &i, &escaped))
				return false;
			if (key_len == 11 && memcmp(s + key, "occurred_at", 11) == 0) {
				size_t n = i - val - 2;
				if (escaped || n + 1 > out_size)
					return false;
				memcpy(out, s + val + 1, n);
				out[n] = '\0';
				return true;
			}
		} else {
			for (; i < len; i++) {
				if (s[i] == '"') {
					if (!skip_string(s, len, &i, &escaped))
						return false;
					i--;
				} else if (s[i] == '{' || s[i] == '[') {
					depth++;
				} else if (s[i] == '}' || s[i] == ']') {
					if (depth-- == 0)
						break;
				} else if (s[i] == ',' && depth == 0) {
					break;
				}
			}
		}
		WS();
		if (i >= len || s[i] != ',')
			return false; /* '}' or junk: no occurred_at here */
		i++;
	}
#undef WS
}

static int read_history(FILE *in, size_t max_line, buf *text, replay_line **out, size_t *n, sl_err *err)
{
	line_reader lr;
	const char *line;
	size_t len, cap = 0;
	replay_line *v = NULL;
	int got, rc = 0;

	*n = 0;
	lines_init(&lr, in, max_line);
	while ((got = lines_next(&lr, &line, &len)) == 1) {
		replay_line rl = {text->len, len, {0, 0, 0}, lr.lineno};
		char day[40];
		const char *at;
		json_t *event;
		if (blank(line, len))
			continue;
		if (scan_occurred_at(line, len, day, sizeof day) && date_parse(day, &rl.at, NULL) == 0) {
			buf_append(text, line, len);
			goto keep;
		}
		if (!(event = jcs_parse(line, len, err))) {
			rc = SL_EINVAL;
			goto fail_line;
		}
		at = json_string_value(json_object_get(event, "occurred_at"));
		if (!json_is_object(event))
			rc = sl_fail(err, SL_EINVAL, "expected a JSON object");
		else if (!at)
			rc = sl_fail(err, SL_EINVAL, "missing required field `occurred_at`");
		else if ((rc = date_parse(at, &rl.at, err)))
			sl_err_prefix(err, "field `occurred_at`");
		json_decref(event);
		if (rc)
			goto fail_line;
		buf_append(text, line, len);
	keep:
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
	*n = 0;
	free(v);
	return rc;
}

int app_replay(app *a, FILE *in, size_t max_line, const char *until, app_replay_stats *stats, sl_err *err)
{
	app_write_opts o = {.recorder = "replay"};
	replay_line *v = NULL;
	buf text = BUF_INIT;
	size_t n = 0, i;
	int32_t end = INT32_MIN, stop = INT32_MAX;
	int rc;

	memset(stats, 0, sizeof *stats);
	if (until && date_parse_day(until, &stop, err))
		return sl_fail(err, SL_EINVAL, "--until: `%s` is not a date (YYYY-MM-DD)", until);
	if ((rc = read_history(in, max_line, &text, &v, &n, err)))
		goto done;
	qsort(v, n, sizeof *v, by_occurred);
	if ((rc = app_batch_begin(a, err)))
		goto done;
	for (i = 0; i < n && v[i].at.day <= stop; i++) {
		ledger_entry entry;
		json_t *event = jcs_parse(text.data + v[i].off, v[i].len, err);
		if (!event || (rc = app_batch_add(a, event, &o, &entry, err))) {
			json_decref(event);
			rc = rc ? rc : SL_EINVAL;
			sl_err_prefix(err, "line %llu", v[i].lineno);
			app_batch_abort(a);
			goto done;
		}
		json_decref(event);
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
	buf_release(&text);
	free(v);
	return rc;
}
