/*
 * rules.c - the rules engine inside the write path (DESIGN 3): one
 * transaction { append event, update projections, evaluate rules, append
 * resulting alerts }.
 *
 * The engine keeps its model in memory.  It is built on the first write
 * an instance makes, by feeding it the ledger quietly (the alerts are
 * already recorded there), and is thrown away whenever a transaction rolls
 * back, since its model would then be ahead of the ledger; the next write
 * builds it again.  So that a restart (the server, each CLI write) need
 * not feed the whole ledger again, the engine is saved beside the database
 * when the app closes ("<db>.rules", see src/rules/snapshot.c) and loaded
 * on the next build, which then feeds only the rows after it.  Alerts it raises are appended as `alert.raised` events
 * in the same transaction as the event or tick that raised them.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "domain/project.h"
#include "domain/vocab.h"
#include "ledger/jcs.h"
#include "util/date.h"
#include "util/sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int resolve_ref(void *ctx, const json_t *ref, uint64_t *seq, sl_err *err)
{
	return app_resolve_ref(ctx, ref, seq, err);
}

int32_t app_today(const app *a)
{
	char now[LEDGER_TIME_LEN];
	sl_date d;

	if (a->today != INT32_MIN)
		return a->today;
	ledger_now(now);
	return date_parse(now, &d, NULL) == 0 ? d.day : 0;
}

/* The rules' sink: record the alert as an event of its own. */
static int append_alert(void *ctx, const rules_alert *ra, uint64_t *seq, sl_err *err)
{
	app *a = ctx;
	json_t *ev = json_object(), *data = json_object(), *evidence = json_array();
	buf day = BUF_INIT;
	ledger_entry entry;
	size_t i;
	int rc;

	date_format_day(&day, ra->raised_on);
	for (i = 0; i < ra->n_evidence; i++)
		json_array_append_new(evidence, json_integer((json_int_t)ra->evidence[i]));
	json_object_set_new(data, "code", json_string(rule_name(ra->code)));
	if (ra->child)
		json_object_set_new(data, "child", json_string(ra->child));
	json_object_set_new(data, "reason", json_string(ra->reason));
	json_object_set_new(data, "evidence", evidence);
	json_object_set_new(ev, "kind", json_string("alert.raised"));
	json_object_set_new(ev, "occurred_at", json_string(day.data));
	json_object_set_new(ev, "ref", json_string(ra->ref));
	json_object_set_new(ev, "by", json_pack("{ss}", "user", APP_RULES_USER));
	json_object_set_new(ev, "data", data);
	rc = app_append_event(a, ev, APP_RULES_USER, true, &entry, err);
	if (!rc) {
		*seq = entry.seq;
		if (a->on_alert)
			rc = a->on_alert(a->on_alert_ctx, ra, entry.seq, err);
	}
	json_decref(ev);
	buf_release(&day);
	return rc;
}

struct catch_up {
	app *a;
	rules *r;
	int32_t last_day;
	const char *through; /* YYYY-MM-DD: rows recorded after it are skipped */
	uint64_t last_seq;
};

static int catch_up_row(void *ctx, const store_event *row, sl_err *err)
{
	struct catch_up *cu = ctx;
	json_error_t jerr;
	json_t *ev;
	rules_event_info info = {row->seq, false, INT32_MIN};
	sl_date d;
	int rc;

	if (cu->through && strncmp(row->recorded_at, cu->through, 10) > 0)
		return 0;
	cu->last_seq = row->seq;
	if (!(ev = json_loadb(row->event, row->event_len, 0, &jerr)))
		return sl_fail(err, SL_ECORRUPT, "event %llu is not JSON: %s", (unsigned long long)row->seq,
		               jerr.text);
	if (date_parse(json_string_value(json_object_get(ev, "occurred_at")) ?: "", &d, NULL) == 0 &&
	    d.day > cu->last_day && strcmp(row->kind, "alert.raised") != 0) {
		cu->last_day = d.day;
		if ((rc = rules_tick(cu->r, d.day, err)))
			goto done;
	}
	rc = rules_event(cu->r, ev, &info, err);
done:
	json_decref(ev);
	return rc;
}

/* Feed a quiet engine the ledger, or the part of it recorded on or before
 * `through` (YYYY-MM-DD; NULL: all), as import and live writes fed it:
 * each day's time rules before that day's events. */
static int feed_ledger(app *a, rules *r, uint64_t from, const char *through, uint64_t *last_seq, sl_err *err)
{
	struct catch_up cu = {a, r, INT32_MIN, through, 0};
	int rc = store_event_scan(a->store, from, 0, catch_up_row, &cu, err);
	if (last_seq)
		*last_seq = cu.last_seq;
	return rc;
}

/*
 * What a snapshot must match to stand for a quiet feed of the ledger's
 * first `through` rows: this program's version (the model's meaning), the
 * configuration in full, and the Merkle root of exactly those rows, so a
 * snapshot of another database, another configuration or a ledger that
 * has since been restored differently is never used.
 */
static int snapshot_tag(app *a, uint64_t through, uint8_t tag[SHA256_LEN], sl_err *err)
{
	buf b = BUF_INIT;
	uint8_t root[32] = {0};
	int rc = 0;

	buf_printf(&b, "safeledger %s\n%llu\n", SL_VERSION, (unsigned long long)through);
	rules_config_write(a->rules_cfg, &b);
	if (through > 0)
		rc = ledger_root(a->ledger, through, root, err);
	buf_append(&b, root, sizeof(root));
	sha256(b.data, b.len, tag);
	buf_release(&b);
	return rc;
}

static int read_file(const char *path, buf *out)
{
	FILE *f = fopen(path, "rbe");
	int rc;

	if (!f)
		return -1;
	rc = buf_read_stream(out, f, SIZE_MAX);
	fclose(f);
	return rc;
}

/* Load the snapshot into a fresh engine; *through is the ledger prefix it
 * reflects, 0 when there is none fit to use (the engine is then fresh). */
static void load_snapshot(app *a, uint64_t *through)
{
	buf file = BUF_INIT;
	uint8_t want[SHA256_LEN], got[SHA256_LEN];
	uint64_t seq = 0;
	sl_err err;
	int i;

	*through = 0;
	if (!a->snapshot_path || read_file(a->snapshot_path, &file) || file.len < 8)
		goto done;
	for (i = 7; i >= 0; i--)
		seq = seq << 8 | (uint8_t)file.data[i];
	if (seq == 0 || seq > ledger_size(a->ledger) || snapshot_tag(a, seq, want, &err))
		goto done;
	if (rules_snapshot_read(a->rules, file.data + 8, file.len - 8, got, &err) ||
	    memcmp(want, got, sizeof(want)) != 0) {
		/* damaged or stale: start again from nothing */
		rules_free(a->rules);
		a->rules = rules_new(a->rules_cfg, resolve_ref, a);
		goto done;
	}
	*through = a->snapshot_seq = seq;
done:
	buf_release(&file);
}

void app_rules_save(app *a)
{
	buf b = BUF_INIT, tmp = BUF_INIT;
	uint8_t tag[SHA256_LEN];
	uint64_t seq;
	sl_err err;
	int i, fd = -1;
	bool ok = false;

	if (!a->rules || !a->snapshot_path || a->in_batch)
		return;
	seq = ledger_size(a->ledger);
	if (seq == 0 || seq == a->snapshot_seq || snapshot_tag(a, seq, tag, &err))
		return;
	for (i = 0; i < 8; i++)
		buf_putc(&b, (char)(seq >> (8 * i)));
	rules_snapshot_write(a->rules, tag, &b);
	/* The model names people and holds amendment requests: as private as
	 * the database, so 0600, and written whole before it replaces the old. */
	buf_printf(&tmp, "%s.tmp", a->snapshot_path);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, b.data, b.len) == (ssize_t)b.len && close(fd) == 0) {
		fd = -1;
		ok = rename(tmp.data, a->snapshot_path) == 0;
	}
	if (fd >= 0)
		close(fd);
	if (ok)
		a->snapshot_seq = seq;
	else
		unlink(tmp.data);
	buf_release(&tmp);
	buf_release(&b);
}

int app_rules_ready(app *a, sl_err *err)
{
	char *tick = NULL;
	uint64_t through;
	int32_t day;
	int rc;

	if (a->rules)
		return 0;
	if (!a->rules_cfg && (rc = rules_config_load(a->rules_config_path, &a->rules_cfg, err)))
		return rc;
	a->rules = rules_new(a->rules_cfg, resolve_ref, a);
	load_snapshot(a, &through);
	/* quiet: every alert this raises is already in the ledger */
	if ((rc = feed_ledger(a, a->rules, through + 1, NULL, NULL, err)))
		goto fail;
	if (store_meta_get(a->store, "rules.last_tick", &tick, NULL) == 0 && date_parse_day(tick, &day, NULL) == 0 &&
	    (rc = rules_tick(a->rules, day, err)))
		goto fail;
	free(tick);
	rules_set_sink(a->rules, append_alert, a);
	return 0;
fail:
	free(tick);
	app_rules_drop(a);
	return rc;
}

int app_child_now(app *a, const char *child, json_t **out, sl_err *err)
{
	int rc;

	*out = NULL;
	if ((rc = app_rules_ready(a, err)))
		return rc;
	if (!(*out = rules_child_json(a->rules, child)))
		return sl_fail(err, SL_ENOTFOUND, "%s is not a child known to the record", child);
	return 0;
}

void app_rules_drop(app *a)
{
	rules_free(a->rules);
	a->rules = NULL;
}

void app_set_alert_observer(app *a, app_alert_observer fn, void *ctx)
{
	a->on_alert = fn;
	a->on_alert_ctx = ctx;
}

/* Time rules of every working day up to `day`, inside the open batch. */
int app_rules_tick(app *a, int32_t day, sl_err *err)
{
	buf b = BUF_INIT;
	int rc;

	if ((rc = app_rules_ready(a, err)))
		return rc;
	if (day <= rules_last_tick(a->rules))
		return 0;
	if ((rc = rules_tick(a->rules, day, err)))
		return rc;
	if (a->lean)
		return 0; /* nothing is kept */
	date_format_day(&b, day);
	rc = store_meta_put(a->store, "rules.last_tick", b.data, err);
	buf_release(&b);
	return rc;
}

int app_tick(app *a, int32_t day, sl_err *err)
{
	int rc;

	if ((rc = app_batch_begin(a, err)))
		return rc;
	if ((rc = app_rules_tick(a, day, err))) {
		app_batch_abort(a);
		return rc;
	}
	return app_batch_commit(a, false, err);
}

struct count_ctx { uint64_t through, n; };

static int count_event(void *ctx, uint64_t seq, sl_err *err)
{
	struct count_ctx *c = ctx;
	(void)err;
	if (seq <= c->through)
		c->n++;
	return 0;
}

int app_child_as_of(app *a, const char *child, const char *as_of, json_t **out, sl_err *err)
{
	struct count_ctx cc = {0, 0};
	char *role = NULL, today[11];
	rules *r = NULL;
	int32_t day;
	json_t *o;
	int rc;

	*out = NULL;
	if (!as_of) { /* everything recorded so far; dated by the clock */
		char now[LEDGER_TIME_LEN];
		ledger_now(now);
		memcpy(today, now, 10);
		today[10] = '\0';
		date_parse_day(today, &day, NULL);
		as_of = today;
	} else if (date_parse_day(as_of, &day, err)) {
		return sl_fail(err, SL_EINVAL, "--as-of: `%s` is not a date (YYYY-MM-DD)", as_of);
	}
	if ((rc = store_person_role(a->store, child, &role, err)))
		return rc;
	rc = strcmp(role, "child") == 0 ? 0 : sl_fail(err, SL_EINVAL, "%s is an adult, not a child", child);
	free(role);
	if (rc)
		return rc;
	/* A fresh engine fed only what had been recorded by then: the record
	 * as it stood, whatever was added or amended later. */
	r = rules_new(a->rules_cfg, resolve_ref, a);
	if ((rc = feed_ledger(a, r, 1, as_of, &cc.through, err)) || (rc = rules_tick(r, day, err)))
		goto done;
	if (!(o = rules_child_json(r, child))) {
		rc = sl_fail(err, SL_ENOTFOUND, "%s was not yet registered on %s", child, as_of);
		goto done;
	}
	if ((rc = store_person_events(a->store, child, count_event, &cc, err))) {
		json_decref(o);
		goto done;
	}
	json_object_set_new(o, "as_of", json_string(as_of));
	json_object_set_new(o, "ledger_size", json_integer((json_int_t)cc.through));
	json_object_set_new(o, "events", json_integer((json_int_t)cc.n));
	*out = o;
done:
	rules_free(r);
	return rc;
}
