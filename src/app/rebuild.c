/*
 * rebuild.c - dropping the projections and deriving them again from the
 * ledger (DESIGN 3: "projections can always be dropped and rebuilt from the
 * ledger, and the rebuild must give the same state"), and the canonical
 * dump that proves it.
 *
 * A rebuild is one transaction: clear every projection table, then
 * project_apply() each ledger row in seq order with the recorder the
 * canonical event carries, exactly as the write path applied it.  Any error
 * rolls back, leaving the old projections.  The ledger and its tree are
 * only read.
 *
 * The dump is every projection table (store_projection_dump: a fixed table
 * order, rows ordered by their whole key) as text:
 *
 *     safeledger projections 1
 *     == person: id<TAB>role<TAB>registered_seq<TAB>...
 *     C1<TAB>child<TAB>1<TAB>...
 *
 * one "== table: columns" line per table, then one line per row with the
 * values separated by tabs; SQL NULL is \N, and a backslash, tab, newline
 * or carriage return inside a value is written \\, \t, \n, \r.  Two
 * databases with the same projections give byte-identical dumps.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "domain/project.h"
#include "ledger/jcs.h"

static int rebuild_row(void *ctx, const store_event *ev, sl_err *err)
{
	app *a = ctx;
	json_t *event = jcs_parse(ev->event, ev->event_len, err);
	const char *recorder;
	int rc;

	if (!event) {
		sl_err_prefix(err, "seq %llu", (unsigned long long)ev->seq);
		return SL_ECORRUPT;
	}
	recorder = json_string_value(json_object_get(event, "recorder"));
	if ((rc = project_apply(a->store, ev->seq, event, recorder ? recorder : "", err)))
		sl_err_prefix(err, "rebuilding seq %llu (%s)", (unsigned long long)ev->seq, ev->kind);
	json_decref(event);
	return rc;
}

int app_rebuild(app *a, app_rebuild_stats *stats, sl_err *err)
{
	int rc;

	assert(!a->in_batch);
	memset(stats, 0, sizeof(*stats));
	if ((rc = store_begin(a->store, err)))
		return rc;
	if ((rc = store_projections_clear(a->store, err)) ||
	    (rc = store_event_scan(a->store, 1, 0, rebuild_row, a, err)) ||
	    (rc = store_meta_put(a->store, "projections_stale", "0", err)) ||
	    (rc = store_event_last_seq(a->store, &stats->events, err)) || (rc = store_commit(a->store, err))) {
		store_rollback(a->store);
		return rc;
	}
	return 0;
}

int app_projection_counts(app *a, store_count_cb cb, void *ctx, sl_err *err)
{
	return store_projection_counts(a->store, cb, ctx, err);
}

typedef struct dump_ctx {
	FILE *out;
	buf line;
} dump_ctx;

static void append_escaped(buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;
		if (!esc)
			continue;
		buf_append(b, run, (size_t)(s - run));
		buf_append(b, esc, 2);
		run = s + 1;
	}
	buf_append(b, run, (size_t)(s - run));
}

static int dump_row(void *ctx, const char *table, size_t ncols, const char *const *names,
                    const char *const *values, sl_err *err)
{
	dump_ctx *d = ctx;
	size_t i;

	buf_reset(&d->line);
	if (!values) {
		buf_printf(&d->line, "== %s: ", table);
		for (i = 0; i < ncols; i++) {
			if (i)
				buf_append(&d->line, "\t", 1);
			append_escaped(&d->line, names[i]);
		}
	} else {
		for (i = 0; i < ncols; i++) {
			if (i)
				buf_append(&d->line, "\t", 1);
			if (values[i])
				append_escaped(&d->line, values[i]);
			else
				buf_append(&d->line, "\\N", 2);
		}
	}
	buf_append(&d->line, "\n", 1);
	if (fwrite(d->line.data, 1, d->line.len, d->out) != d->line.len)
		return sl_fail(err, SL_EIO, "writing the projection dump failed");
	return 0;
}

int app_dump_projections(app *a, FILE *out, sl_err *err)
{
	dump_ctx d = {out, BUF_INIT};
	int rc;

	if (fputs("safeledger projections 1\n", out) == EOF)
		return sl_fail(err, SL_EIO, "writing the projection dump failed");
	rc = store_projection_dump(a->store, dump_row, &d, err);
	buf_release(&d.line);
	if (!rc && fflush(out) != 0)
		rc = sl_fail(err, SL_EIO, "writing the projection dump failed");
	return rc;
}
