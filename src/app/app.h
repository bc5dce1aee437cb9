/*
 * app.h - the use cases every interface shares (CLI now; HTTP and pages
 * later): opening an instance, the one write path, and reads.
 *
 * The write path (DESIGN 3): validate -> one transaction { append event to
 * the ledger, update projections } -> reply.  Rules will join the
 * transaction when they land.  Nothing above this layer opens a
 * transaction; a batch (an import) is many events in one transaction, and
 * any error rolls the whole batch back so that nothing is written.
 *
 * Ownership: app_open returns an app the caller frees with app_close.
 * JSON passed in is borrowed.
 */
#ifndef SL_APP_H
#define SL_APP_H

#include <jansson.h>

#include "util/common.h"
#include "ledger/ledger.h"
#include "store/store.h"
#include "rules/rules.h"

typedef struct app app;

typedef struct app_options {
	const char *db;       /* store location */
	const char *key_path; /* signing key file; NULL: "<db>.key" */
	bool create;          /* app_init only */
	bool readonly;
	bool small_cache; /* one of many connections to the database: a small page cache */
	const char *rules_config; /* rules configuration file; NULL: DESIGN 6 defaults */
	const char *today;        /* YYYY-MM-DD the rules take as today; NULL: the clock */
	/* app_open_memory only: validate and run the rules but keep no ledger
	 * or projections (replay's fast path; see write.c). */
	bool rules_only;
} app_options;

/* Create a new instance: database, Ed25519 key (file mode 0600), origin,
 * and a signed checkpoint of the empty tree. */
int app_init(const app_options *o, const char *origin, sl_err *err);
int app_open(const app_options *o, app **out, sl_err *err);
/* A fresh instance in memory with a throwaway key: what `replay` runs a
 * history through.  o->db is ignored. */
int app_open_memory(const app_options *o, app **out, sl_err *err);
void app_close(app *a);

store *app_store(app *a);
ledger *app_ledger(app *a);
/* The access log (DESIGN 4, 8: who read which child's record; auth.h),
 * a second Merkle log signed with the same key under origin
 * "<origin>/access". */
ledger *app_access_ledger(app *a);
/* A log's ledger and origin by store log id (STORE_LOG_CASES or
 * STORE_LOG_ACCESS); *origin (may be NULL) is the app's.  NULL: no such log. */
ledger *app_log(app *a, int log, const char **origin);
const char *app_origin(const app *a);
const char *app_vkey(const app *a); /* C2SP verifier key */
/* The rules configuration in force: thresholds and the working-day
 * calendar (reports mark late entries with it).  Borrowed. */
const rules_config *app_rules_config(const app *a);

/* --- writes --- */
typedef struct app_write_opts {
	const char *recorder; /* who is recording (authenticated user) */
	/* A live write (a person recording now, not an import of history):
	 * time rules run up to today first, LATE_ENTRY applies, and a closure
	 * CLOSURE_BLOCKED forbids is refused (SL_EDENIED). */
	bool live;
	/* Restore of an export line: the event carries its recorder and these
	 * fix seq, salt and time. */
	bool restore;
	uint64_t seq;
	const uint8_t *salt;
	const char *recorded_at;
} app_write_opts;

int app_batch_begin(app *a, sl_err *err);
int app_batch_add(app *a, const json_t *event, const app_write_opts *o, ledger_entry *out, sl_err *err);
/* Flush the tree, optionally sign a checkpoint, commit. */
int app_batch_commit(app *a, bool sign, sl_err *err);
void app_batch_abort(app *a);
/* One event in its own durable transaction. */
int app_append(app *a, const json_t *event, const app_write_opts *o, ledger_entry *out, sl_err *err);

/* Sign and store a checkpoint when the tree has grown since the last one;
 * *note receives the latest signed checkpoint either way. */
int app_checkpoint(app *a, bool sign_if_stale, char **note, sl_err *err);
/* The same for either log (STORE_LOG_CASES, STORE_LOG_ACCESS). */
int app_checkpoint_log(app *a, int log, bool sign_if_stale, char **note, sl_err *err);

/* --- rules (DESIGN 6) --- */

/* Run the time rules of every working day up to `day` in one transaction,
 * appending the alerts they raise (the daily tick). */
int app_tick(app *a, int32_t day, sl_err *err);
/* The day the rules take as today (app_options.today, or the clock). */
int32_t app_today(const app *a);
/* Called after each alert is appended, with its seq (replay prints them). */
typedef int (*app_alert_observer)(void *ctx, const rules_alert *alert, uint64_t seq, sl_err *err);
void app_set_alert_observer(app *a, app_alert_observer fn, void *ctx);

/* Replay a history (JSONL events) through this instance, which should be
 * fresh (app_open_memory): sorted by occurred_at, time rules on every
 * working day through the last event's date or `until` (YYYY-MM-DD, or
 * NULL), events after `until` left out.  Alerts reach the observer. */
typedef struct app_replay_stats {
	uint64_t events;
} app_replay_stats;
int app_replay(app *a, FILE *in, size_t max_line, const char *until, app_replay_stats *stats, sl_err *err);

/* --- import and export (DESIGN 4 export lines) --- */
typedef struct app_import_stats {
	uint64_t lines, events;
} app_import_stats;
typedef void (*app_import_progress)(void *ctx, uint64_t bytes, uint64_t events);
/* All lines in one transaction; the first bad line rolls back everything
 * and err names it ("line 12: field `data.child`: unknown person C9"). */
int app_import(app *a, FILE *in, const char *recorder, size_t max_line, app_import_progress progress,
               void *progress_ctx, app_import_stats *stats, sl_err *err);
int app_export(app *a, FILE *out, sl_err *err);

/* --- reads --- */
/* The child's state as it was recorded on `as_of` (YYYY-MM-DD; NULL:
 * today), derived again from the ledger rows recorded by the end of that
 * day, never from current projections: case, plan, looked after, unresolved
 * concerns, what was due, the alerts recorded and their state then, and how
 * many events about the child the record held.  *out is the caller's. */
int app_child_as_of(app *a, const char *child, const char *as_of, json_t **out, sl_err *err);
/* The child as the live rules engine holds it now, in app_child_as_of's
 * shape without as_of and ledger_size: case, plan, looked after, open
 * concerns, what is due ("due": [{"rule","due","alert_on"}], the
 * deadlines not yet met, for My work) and alerts.  The engine is the
 * writer's (built on first use), so call it on the writer (http.h:
 * between http_writer_lock and unlock).  SL_ENOTFOUND for no such child. */
int app_child_now(app *a, const char *child, json_t **out, sl_err *err);
/* Calls cb with one JSON object per event about `person`, in seq order:
 * {"seq","recorded_at","event":{...as amended...},"amendments":[...]} where
 * amendments (present only when approved ones exist) keep each original. */
typedef int (*app_json_cb)(void *ctx, json_t *obj, sl_err *err);
int app_person_events(app *a, const char *person, app_json_cb cb, void *ctx, sl_err *err);

/* --- projections: rebuild and canonical dump (rebuild.c) --- */
/* Clear every projection and derive it again from the ledger in seq order,
 * in one transaction (an error rolls back and keeps the old rows). */
typedef struct app_rebuild_stats {
	uint64_t events;
} app_rebuild_stats;
int app_rebuild(app *a, app_rebuild_stats *stats, sl_err *err);
/* Rows per projection table, in dump order. */
int app_projection_counts(app *a, store_count_cb cb, void *ctx, sl_err *err);
/* Every projection table's rows in a stable order and text format (see
 * rebuild.c): equal projections give byte-identical dumps. */
int app_dump_projections(app *a, FILE *out, sl_err *err);

#endif
