/*
 * sqlite_internal.h - what the SQLite backend's files share (private to
 * src/store/).
 *
 * sqlite.c owns the connection, migrations, transactions, the ledger and
 * the read model's writes; other sqlite_*.c files add a group of
 * operations each (their functions go in store_sqlite_ops) and prepare
 * their statements through sq_stmt, which caches them for the life of the
 * connection.  Every helper returns 0 or a negative SL_E* code with err
 * filled in, like the store API itself.
 */
#ifndef SL_STORE_SQLITE_INTERNAL_H
#define SL_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/backend.h"

/* An (person, seq) pair of the by-person index waiting to be written. */
#define PENDING_MAX 65536
typedef struct pending_person {
	char *person; /* one allocation: person, kind and agency */
	const char *kind, *agency;
	uint64_t seq;
	char occurred[20];
} pending_person;

typedef struct sqlite_store {
	sqlite3 *db;
	sqlite3_stmt **stmt; /* sqlite.c's own statements, by its stmt_id */
	struct sq_cached {
		const char *sql;
		sqlite3_stmt *st;
	} *cache; /* other files' statements (sq_stmt) */
	size_t n_cache, cap_cache;
	char *path;
	/* The by-person index is written sorted at commit (see
	 * flush_person_index); until then its rows wait here. */
	pending_person *pending;
	size_t n_pending, cap_pending;
} sqlite_store;

/* err from the connection's last error: SL_ECONFLICT for a constraint,
 * else SL_EIO; `what` says what was being done. */
int sq_fail(sqlite_store *s, sl_err *err, const char *what);
/* The prepared statement for `sql`, a string with static storage (its
 * address is the cache key); NULL with err set. */
sqlite3_stmt *sq_stmt(sqlite_store *s, const char *sql, sl_err *err);
/* Reset a statement and clear its bindings after use. */
void sq_reset(sqlite3_stmt *st);
/* Bind text with SQLITE_STATIC (NULL binds NULL): the caller's string must
 * outlive the step. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Step a statement that returns no rows, then reset it. */
int sq_step_done(sqlite_store *s, sqlite3_stmt *st, sl_err *err, const char *what);
int sq_exec(sqlite_store *s, const char *sql, sl_err *err, const char *what);
/* Bind the arguments as `types` says ('t' text, NULL -> NULL; 's' a seq,
 * 0 -> NULL; 'S' an integer always bound as a number; 'b' an int bool, -1
 * -> NULL), step, reset; *changes (may be NULL) gets the rows written. */
int sq_run(sqlite_store *s, const char *sql, int *changes, sl_err *err, const char *what, const char *types, ...);
/* The two logs' rows (the ledger and the access log have the same shape:
 * seq, recorded_at, kind, salt, event): append one with st, an INSERT of
 * those five; every row of st, a SELECT of those five, to cb (a salt of
 * the wrong length comes as NULL, so verify can report it).  sq_number:
 * the one integer st selects (a count, a max). */
int sq_log_append(sqlite_store *s, sqlite3_stmt *st, const store_event *ev, sl_err *err, const char *what);
int sq_log_rows(sqlite_store *s, sqlite3_stmt *st, store_event_cb cb, void *ctx, sl_err *err, const char *what);
int sq_number(sqlite_store *s, sqlite3_stmt *st, uint64_t *out, sl_err *err, const char *what);

/* --- users, sessions, partner tokens, access grants (sqlite_auth.c) --- */
int sqlite_user_add(void *impl, const store_user *u, const char *now, sl_err *err);
int sqlite_user_get(void *impl, const char *login, store_user_cb cb, void *ctx, sl_err *err);
int sqlite_user_list(void *impl, store_user_cb cb, void *ctx, sl_err *err);
int sqlite_user_password(void *impl, const char *login, const char *password, const char *now, sl_err *err);
int sqlite_user_disable(void *impl, const char *login, const char *now, sl_err *err);
int sqlite_session_add(void *impl, const store_session *x, sl_err *err);
int sqlite_session_get(void *impl, const uint8_t *token_hash, store_session_cb cb, void *ctx, sl_err *err);
int sqlite_session_touch(void *impl, const uint8_t *token_hash, int64_t last_seen, sl_err *err);
int sqlite_session_delete(void *impl, const uint8_t *token_hash, sl_err *err);
int sqlite_session_purge(void *impl, int64_t idle_before, int64_t created_before, sl_err *err);
int sqlite_login_failure_add(void *impl, const char *login, int64_t at, const char *client, sl_err *err);
int sqlite_login_failures(void *impl, const char *login, int64_t since, int64_t *times, unsigned max,
                          unsigned *n, sl_err *err);
int sqlite_login_failures_clear(void *impl, const char *login, int64_t before, sl_err *err);
int sqlite_token_add(void *impl, const store_token *t, sl_err *err);
int sqlite_token_get(void *impl, const uint8_t *token_hash, store_token_cb cb, void *ctx, sl_err *err);
int sqlite_token_list(void *impl, store_token_cb cb, void *ctx, sl_err *err);
int sqlite_token_revoke(void *impl, const char *agency, const char *name, const char *now, sl_err *err);
int sqlite_access_append(void *impl, const store_event *ev, sl_err *err);
int sqlite_access_last_seq(void *impl, uint64_t *seq, sl_err *err);
int sqlite_access_scan(void *impl, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err);
int sqlite_access_of_child(void *impl, const char *child, store_event_cb cb, void *ctx, sl_err *err);
int sqlite_seal(void *impl, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err);
int sqlite_unseal(void *impl, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err);
int sqlite_grant(void *impl, const char *child, const char *login, uint64_t seq, const char *day,
                 const char *by, sl_err *err);
int sqlite_revoke(void *impl, const char *child, const char *login, uint64_t seq, const char *day,
                  const char *by, sl_err *err);
int sqlite_access_facts(void *impl, const char *child, const char *login, store_access_facts *out,
                        sl_err *err);

/* --- reads for the API and pages (sqlite_read.c) --- */
int sqlite_person_get(void *impl, const char *id, store_person_cb cb, void *ctx, sl_err *err);
int sqlite_person_by_nhs(void *impl, const char *nhs_number, store_person_cb cb, void *ctx, sl_err *err);
int sqlite_child_episodes(void *impl, const char *child, store_episode_cb cb, void *ctx, sl_err *err);
int sqlite_child_cp_categories(void *impl, const char *child, store_cp_category_cb cb, void *ctx, sl_err *err);
int sqlite_child_concerns(void *impl, const char *child, bool open_only, store_concern_cb cb, void *ctx,
                          sl_err *err);
int sqlite_child_allocation(void *impl, const char *child, store_allocation_cb cb, void *ctx, sl_err *err);
int sqlite_child_allocated_to(void *impl, const char *child, const char *worker, const char *team, bool *out,
                              sl_err *err);
int sqlite_child_counts(void *impl, const char *child, store_child_tally *out, sl_err *err);
int sqlite_child_counts_keys(void *impl, const char *child, store_child_tally *out, store_chrono_key_cb cb, void *ctx,
                             sl_err *err);
int sqlite_worker_allocations(void *impl, const char *worker, store_allocation_cb cb, void *ctx, sl_err *err);
int sqlite_person_links(void *impl, const char *person, uint64_t max_seq, store_link_cb cb, void *ctx, sl_err *err);
int sqlite_person_risk_flags(void *impl, const char *person, uint64_t max_seq, store_risk_flag_cb cb, void *ctx,
                             sl_err *err);
int sqlite_alerts(void *impl, const store_alert_query *q, store_alert_cb cb, void *ctx, sl_err *err);
int sqlite_chronology(void *impl, const store_chrono_query *q, store_chrono_cb cb, void *ctx, sl_err *err);
int sqlite_chronology_keys(void *impl, const store_chrono_query *q, store_chrono_key_cb cb, void *ctx,
                           sl_err *err);
int sqlite_caseloads(void *impl, const char *team, const char *worker, const char *overdue_codes,
                     store_caseload_cb cb, void *ctx, sl_err *err);
int sqlite_amendments_pending(void *impl, store_amendment_cb cb, void *ctx, sl_err *err);
int sqlite_amendment_requests_of(void *impl, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err);
int sqlite_events_of_kind(void *impl, const char *kind, const char *team, unsigned limit, store_event_cb cb,
                          void *ctx, sl_err *err);
int sqlite_episodes_of_types(void *impl, const char *types, store_episode_cb cb, void *ctx, sl_err *err);
int sqlite_alerts_by_month(void *impl, const char *from_day, store_month_count_cb cb, void *ctx, sl_err *err);
int sqlite_escalations(void *impl, const char *to, bool open_only, store_escalation_cb cb, void *ctx, sl_err *err);
int sqlite_seen_visits_of(void *impl, const char *types, store_child_visit_cb cb, void *ctx, sl_err *err);
int sqlite_allocations_all(void *impl, store_allocation_span_cb cb, void *ctx, sl_err *err);
int sqlite_unallocated(void *impl, store_unallocated_cb cb, void *ctx, sl_err *err);
int sqlite_grants_of(void *impl, const char *login, store_grant_cb cb, void *ctx, sl_err *err);

#endif
