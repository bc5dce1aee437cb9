/*
 * import.c - `import` and `export`: JSONL in, export lines out.
 *
 * An import is one batch: every line is validated and written inside one
 * transaction, and the first bad line rolls everything back, so a rejected
 * file writes nothing.  A file is either all events (vocabulary v1) or all
 * export lines (a restore, into an empty ledger only: the restored ledger
 * then has the same seqs, salts, times and so the same leaves and root).
 * Each import ends by signing a checkpoint.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "ledger/jcs.h"
#include "util/date.h"
#include "util/hex.h"
#include "util/lines.h"

static bool is_blank(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static bool is_export_line(const json_t *obj)
{
	return json_is_object(obj) && json_object_get(obj, "event") && json_object_get(obj, "salt");
}

/* Check an export line's envelope and write its event. */
static int restore_line(app *a, const json_t *obj, ledger_entry *entry, sl_err *err)
{
	const json_t *seq = json_object_get(obj, "seq"), *salt_hex = json_object_get(obj, "salt");
	const json_t *at = json_object_get(obj, "recorded_at"), *event = json_object_get(obj, "event");
	app_write_opts o = {0};
	uint8_t salt[32];
	const char *key;
	json_t *value;
	sl_date date;

	json_object_foreach((json_t *)obj, key, value) {
		if (strcmp(key, "seq") && strcmp(key, "recorded_at") && strcmp(key, "salt") && strcmp(key, "event"))
			return sl_fail(err, SL_EINVAL, "unknown field `%s` in an export line", key);
	}
	if (!json_is_integer(seq) || json_integer_value(seq) < 1)
		return sl_fail(err, SL_EINVAL, "field `seq`: expected a positive integer");
	if (!json_is_string(salt_hex) || hex_decode(json_string_value(salt_hex), json_string_length(salt_hex), salt, 32))
		return sl_fail(err, SL_EINVAL, "field `salt`: expected 64 hex digits");
	if (!json_is_string(at) || date_parse(json_string_value(at), &date, err) || date.sec < 0)
		return sl_fail(err, SL_EINVAL, "field `recorded_at`: expected an RFC 3339 date-time");
	if (json_string_length(at) >= LEDGER_TIME_LEN)
		return sl_fail(err, SL_EINVAL, "field `recorded_at`: too long");
	if (!json_is_object(event))
		return sl_fail(err, SL_EINVAL, "field `event`: expected an object");
	o.restore = true;
	o.seq = (uint64_t)json_integer_value(seq);
	o.salt = salt;
	o.recorded_at = json_string_value(at);
	if (o.seq != ledger_size(a->ledger) + 1)
		return sl_fail(err, SL_EINVAL, "field `seq`: %llu does not follow %llu (an export has every seq in order)",
		               (unsigned long long)o.seq, (unsigned long long)ledger_size(a->ledger));
	return app_batch_add(a, event, &o, entry, err);
}

int app_import(app *a, FILE *in, const char *recorder, size_t max_line, app_import_progress progress,
               void *progress_ctx, app_import_stats *stats, sl_err *err)
{
	app_write_opts o = {.recorder = recorder};
	line_reader r;
	const char *line;
	size_t len;
	int mode = 0; /* 0 unknown, 1 events, 2 export lines */
	int got, rc = 0;

	memset(stats, 0, sizeof(*stats));
	lines_init(&r, in, max_line);
	if ((rc = app_batch_begin(a, err)))
		goto done;
	while ((got = lines_next(&r, &line, &len)) == 1) {
		ledger_entry entry;
		json_t *obj;

		stats->lines = r.lineno;
		if (is_blank(line, len))
			continue;
		if (!(obj = jcs_parse(line, len, err))) {
			rc = SL_EINVAL;
			goto fail_line;
		}
		if (!json_is_object(obj)) {
			json_decref(obj);
			rc = sl_fail(err, SL_EINVAL, "expected a JSON object");
			goto fail_line;
		}
		if (mode == 0) {
			mode = is_export_line(obj) ? 2 : 1;
			if (mode == 2 && ledger_size(a->ledger) > 0) {
				json_decref(obj);
				rc = sl_fail(err, SL_ECONFLICT,
				             "export lines can only be imported into an empty ledger (a restore); this "
				             "ledger already has %llu events",
				             (unsigned long long)ledger_size(a->ledger));
				goto fail_line;
			}
		} else if ((mode == 2) != is_export_line(obj)) {
			json_decref(obj);
			rc = sl_fail(err, SL_EINVAL, "%s", mode == 2 ? "an event line in a file of export lines"
			                                              : "an export line in a file of events");
			goto fail_line;
		}
		rc = mode == 2 ? restore_line(a, obj, &entry, err) : app_batch_add(a, obj, &o, &entry, err);
		json_decref(obj);
		if (rc)
			goto fail_line;
		stats->events++;
		if (progress && (stats->events & 0x3ff) == 0)
			progress(progress_ctx, r.bytes, stats->events);
	}
	if (got < 0) {
		rc = ferror(in) ? sl_fail(err, SL_EIO, "line %llu: read error", r.lineno + 1)
		                : sl_fail(err, SL_EINVAL, "line %llu: longer than %zu bytes (the limit for one event)",
		                          r.lineno, max_line);
		goto fail;
	}
	if (progress)
		progress(progress_ctx, r.bytes, stats->events);
	rc = app_batch_commit(a, true, err);
	goto done;
fail_line:
	sl_err_prefix(err, "line %llu", r.lineno);
fail:
	app_batch_abort(a);
	stats->events = 0;
done:
	lines_release(&r);
	return rc;
}

typedef struct export_ctx {
	FILE *out;
	buf line;
} export_ctx;

static int export_row(void *ctx, const store_event *ev, sl_err *err)
{
	export_ctx *x = ctx;
	json_t *at = json_string(ev->recorded_at);
	char *at_json = json_dumps(at, JSON_ENCODE_ANY);

	buf_reset(&x->line);
	buf_printf(&x->line, "{\"seq\":%llu,\"recorded_at\":%s,\"salt\":\"", (unsigned long long)ev->seq, at_json);
	if (ev->salt)
		buf_append_hex(&x->line, ev->salt, 32);
	buf_puts(&x->line, "\",\"event\":");
	buf_append(&x->line, ev->event, ev->event_len);
	buf_puts(&x->line, "}\n");
	free(at_json);
	json_decref(at);
	if (fwrite(x->line.data, 1, x->line.len, x->out) != x->line.len)
		return sl_fail(err, SL_EIO, "cannot write the export");
	return 0;
}

int app_export(app *a, FILE *out, sl_err *err)
{
	export_ctx x = {out, BUF_INIT};
	int rc = store_event_scan(a->store, 1, 0, export_row, &x, err);
	buf_release(&x.line);
	if (!rc && fflush(out) != 0)
		rc = sl_fail(err, SL_EIO, "cannot write the export");
	return rc;
}
