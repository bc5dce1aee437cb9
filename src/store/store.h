/*
 * store.h - every read and write of persistent state, behind one interface.
 *
 * No SQL exists outside src/store/.  Each backend (sqlite.c now; postgres.c
 * later) fills a store_ops table; store.c picks the backend from the
 * location string and dispatches.  The layers above speak in ledger rows,
 * tiles, checkpoints and projection rows, never in statements.
 *
 * Transactions: the app layer brackets every write with store_begin() and
 * store_commit() or store_rollback(); nothing below it opens one.  All
 * functions return 0 or a negative SL_E* code with err filled in.  Strings
 * handed out by a getter are malloc'd and owned by the caller unless the
 * comment says otherwise.
 *
 * Logs: the case ledger (STORE_LOG_CASES) and the access log
 * (STORE_LOG_ACCESS) share the Merkle tile and checkpoint tables, keyed by
 * log, so both are served and verified by the same code.
 */
#ifndef SL_STORE_H
#define SL_STORE_H

#include "util/common.h"

typedef struct store store;

enum { STORE_LOG_CASES = 0, STORE_LOG_ACCESS = 1 };

/* Flags for store_open. */
enum {
	STORE_CREATE = 1,   /* create the database if it does not exist */
	STORE_READONLY = 2, /* open for reading only */
	STORE_SMALL_CACHE = 8, /* one of many connections (the server's threads):
	                        * a 4 MB page cache; the OS caches the rest */
	STORE_SCRATCH = 4,  /* a throwaway database (replay): no journal, no fsync;
	                     * a failed transaction leaves it unusable */
};

/* One ledger row as stored.  For rows handed out by the store the pointers
 * are valid only during the callback (scan) or until store_event_release
 * (get). */
typedef struct store_event {
	uint64_t seq;
	const char *recorded_at; /* RFC 3339 UTC */
	const char *kind;
	const uint8_t *salt; /* 32 bytes */
	const char *event;   /* canonical (RFC 8785) JSON of the event */
	size_t event_len;
} store_event;

typedef struct store_event_copy {
	store_event ev;
	char *storage; /* owns the strings ev points into */
} store_event_copy;

typedef int (*store_event_cb)(void *ctx, const store_event *ev, sl_err *err);

/* --- lifecycle and transactions --- */
int store_open(const char *location, int flags, store **out, sl_err *err);
void store_close(store *s);
const char *store_backend(const store *s); /* "sqlite" */
int store_begin(store *s, sl_err *err);
int store_commit(store *s, sl_err *err);
void store_rollback(store *s);
int store_schema_version(store *s, int *version, sl_err *err);

/* --- key/value settings of the instance (origin, verifier key) --- */
int store_meta_get(store *s, const char *key, char **value, sl_err *err); /* SL_ENOTFOUND */
int store_meta_put(store *s, const char *key, const char *value, sl_err *err);

/* --- the case ledger: append-only rows --- */
int store_event_append(store *s, const store_event *ev, sl_err *err);
int store_event_get(store *s, uint64_t seq, store_event_copy *out, sl_err *err);
void store_event_release(store_event_copy *c);
int store_event_last_seq(store *s, uint64_t *seq, sl_err *err); /* 0 when empty */
/* Rows with from <= seq (to == 0: no upper bound) in seq order; the
 * callback's non-zero return stops the scan and is returned. */
int store_event_scan(store *s, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err);

/* --- Merkle tiles (C2SP tlog-tiles layout, 256 hashes wide) --- */
int store_tile_read(store *s, int log, unsigned level, uint64_t index, uint8_t *hashes,
                    unsigned *count, sl_err *err); /* SL_ENOTFOUND */
int store_tile_write(store *s, int log, unsigned level, uint64_t index, const uint8_t *hashes,
                     unsigned count, sl_err *err);
/* Size of the tree the level-0 tiles describe. */
int store_tile_tree_size(store *s, int log, uint64_t *size, sl_err *err);

/* --- signed checkpoints --- */
int store_checkpoint_put(store *s, int log, uint64_t size, const char *note, const char *created_at,
                         sl_err *err);
int store_checkpoint_latest(store *s, int log, uint64_t *size, char **note, sl_err *err); /* SL_ENOTFOUND */
typedef int (*store_checkpoint_cb)(void *ctx, uint64_t size, const char *note, sl_err *err);
int store_checkpoint_scan(store *s, int log, store_checkpoint_cb cb, void *ctx, sl_err *err);

/* --- projections the write path needs to validate references --- */
int store_ref_put(store *s, const char *ref, uint64_t seq, sl_err *err);
int store_ref_get(store *s, const char *ref, uint64_t *seq, sl_err *err); /* SL_ENOTFOUND */
int store_person_put(store *s, const char *id, const char *role, uint64_t seq, sl_err *err);
int store_person_role(store *s, const char *id, char **role, sl_err *err); /* SL_ENOTFOUND */
/* Index the event at seq as being about person, with what a chronology
 * page sorts and filters on: the event's occurred key (occurred_at cut
 * before any fraction, so a date-only value sorts first in its day), kind
 * and agency (DESIGN 6.1.5). */
typedef struct store_event_person {
	const char *person;
	uint64_t seq;
	const char *occurred, *kind, *agency;
} store_event_person;
int store_event_person_add(store *s, const store_event_person *ep, sl_err *err);
/* Seqs of the events about a person, ascending. */
typedef int (*store_seq_cb)(void *ctx, uint64_t seq, sl_err *err);
int store_person_events(store *s, const char *person, store_seq_cb cb, void *ctx, sl_err *err);

/* Amendments: a request names a target event; a decision approves or
 * rejects it.  Rows are added and decided, never removed. */
typedef struct store_amendment {
	uint64_t request_seq, target_seq, decided_seq; /* decided_seq 0: pending */
	const char *requester;
	const char *status; /* "pending", "approved", "rejected" */
	const char *data;   /* JSON object of replacement fields */
} store_amendment;
typedef int (*store_amendment_cb)(void *ctx, const store_amendment *a, sl_err *err);
int store_amendment_put(store *s, uint64_t request_seq, uint64_t target_seq, const char *requester,
                        const char *data, sl_err *err);
int store_amendment_decide(store *s, uint64_t request_seq, const char *status, uint64_t decided_seq,
                           sl_err *err);
int store_amendment_get(store *s, uint64_t request_seq, store_amendment_cb cb, void *ctx,
                        sl_err *err); /* SL_ENOTFOUND */
/* Approved amendments of one target, in approval order. */
int store_amendments_of(store *s, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err);

/*
 * --- the read model: the child's record as ordinary tables ---
 *
 * Each row names the event seq that made it (and the seq that ended,
 * resolved or answered it), so a page can link every fact to its evidence.
 * Days are "YYYY-MM-DD" text: the date of the event's occurred_at as
 * written (DESIGN 6.1.2).  Optional text arguments may be NULL (stored as
 * NULL); an optional bool is -1 when absent.  A seq of 0 means "none".
 * Rows keyed by their event's seq are upserts, so re-projecting an event
 * with amended data (amended_seq = the approval) replaces its fields and
 * leaves what later events set (resolved, answered, cleared) alone.
 */

/* People: registration sets every field; an update changes only the fields
 * it names (the NULL ones stay); amended marks the row as showing values
 * corrected by approval `amended_seq`. */
typedef struct store_person {
	const char *id, *role, *name, *born, *expected, *gender, *nhs_number, *upn;
	uint64_t seq; /* registered seq (register) or updated seq (update) */
} store_person;
int store_person_register(store *s, const store_person *p, sl_err *err);
int store_person_update(store *s, const store_person *p, sl_err *err);
int store_person_amended(store *s, const char *id, uint64_t amended_seq, sl_err *err);

/* Links (a is the `relation` of b).  Adding a link that is already live
 * does nothing; ending one sets its until seq and day. */
int store_link_add(store *s, const char *a, const char *b, const char *relation, uint64_t seq,
                   const char *day, sl_err *err);
int store_link_end(store *s, const char *a, const char *b, const char *relation, uint64_t seq,
                   const char *day, sl_err *err);

/* Episodes of a child's case (type: contact, referral, assessment, strategy,
 * s47, conference, meeting, cp_plan, cin_plan, lac, case), one row each,
 * keyed by (child, type, start_seq).  An event that is a single moment (a
 * referral decision, a conference) is an episode that ends where it starts.
 * detail is a small JSON object of the key facts, or NULL. */
typedef struct store_episode {
	const char *child, *type;
	uint64_t start_seq;
	const char *start_day;
	uint64_t end_seq; /* 0: still open */
	const char *end_day;
	const char *detail;
} store_episode;
/* unless_open: do nothing when the child has an open episode of the type. */
int store_episode_start(store *s, const store_episode *e, bool unless_open, sl_err *err);
/* End every open episode of the type, merging the JSON object `patch`
 * (RFC 7396, may be NULL) into detail; *ended (may be NULL) receives how
 * many were open. */
int store_episode_end(store *s, const char *child, const char *type, uint64_t seq, const char *day,
                      const char *patch, unsigned *ended, sl_err *err);
/* The child's latest open episode of the type (SL_ENOTFOUND when none);
 * *detail is malloc'd, or NULL when the row has none. */
int store_episode_open(store *s, const char *child, const char *type, uint64_t *start_seq, char **detail,
                       sl_err *err);
int store_episode_detail(store *s, const char *child, const char *type, uint64_t start_seq, const char *detail,
                         sl_err *err);
/* The CP plan's categories over time: plan_seq is the plan's start. */
int store_cp_category_add(store *s, uint64_t plan_seq, uint64_t seq, const char *child, const char *category,
                          const char *day, sl_err *err);

/* Visits and notes are the bulk of a history: their rows hold the facts a
 * query filters on, not the free text (summary, text), which stays in the
 * ledger event the row's seq names (app_person_events shows it, amended). */
typedef struct store_visit {
	uint64_t seq;
	const char *child, *day;
	bool seen;
	int seen_alone; /* -1 absent */
	uint64_t amended_seq;
} store_visit;
int store_visit_put(store *s, const store_visit *v, sl_err *err);

typedef struct store_note {
	uint64_t seq;
	const char *child, *day;
	const char *kind; /* "note" or "supervision" */
	uint64_t amended_seq;
} store_note;
int store_note_put(store *s, const store_note *n, sl_err *err);

/* Who closed, answered or resolved a row, when and why. */
typedef struct store_closing {
	uint64_t seq;
	const char *day, *by, *text;
} store_closing;

/* Concerns are open until resolved; a second resolution changes nothing. */
typedef struct store_concern {
	uint64_t seq;
	const char *child, *day, *category, *summary;
	bool significant_harm;
	const char *agency; /* data.agency, else by.agency, else social_care */
	uint64_t amended_seq;
} store_concern;
int store_concern_put(store *s, const store_concern *c, sl_err *err);
int store_concern_resolve(store *s, uint64_t concern_seq, const store_closing *c, sl_err *err);

typedef struct store_injury {
	uint64_t seq;
	const char *child, *day, *description, *agency, *body_part, *explanation;
	uint64_t amended_seq;
} store_injury;
int store_injury_put(store *s, const store_injury *i, sl_err *err);

/* Missing episodes: a start opens one (indicators: JSON array or NULL); an
 * end closes every open one of the child; a return interview recorded
 * later attaches to the child's latest ended episode without one. */
int store_missing_start(store *s, const char *child, uint64_t seq, const char *day, const char *indicators,
                        sl_err *err);
int store_missing_end(store *s, const char *child, uint64_t seq, const char *day, int return_interview,
                      sl_err *err);
int store_missing_interview(store *s, const char *child, uint64_t seq, const char *day, sl_err *err);

/* Risk flags on adults, cleared per (person, agency). */
typedef struct store_risk_flag {
	uint64_t seq;
	const char *person, *agency, *day, *summary;
	bool risk_to_children;
	uint64_t amended_seq;
} store_risk_flag;
int store_risk_flag_put(store *s, const store_risk_flag *r, sl_err *err);
int store_risk_clear(store *s, const char *person, const char *agency, const store_closing *c, sl_err *err);

/* Allocations: a new one ends the child's current one at the same seq;
 * ending (case closed) frees the worker. */
int store_allocation_start(store *s, const char *child, const char *worker, const char *team, uint64_t seq,
                           const char *day, sl_err *err);
int store_allocation_end(store *s, const char *child, uint64_t seq, const char *day, sl_err *err);

typedef struct store_escalation {
	uint64_t seq;
	const char *to, *child, *day, *summary; /* child may be NULL */
	uint64_t amended_seq;
} store_escalation;
int store_escalation_put(store *s, const store_escalation *e, sl_err *err);
int store_escalation_answer(store *s, uint64_t escalation_seq, const store_closing *c, sl_err *err);

/* Alerts (DESIGN 6), named by their ref CODE/CHILD/YYYY-MM-DD[#N].  The
 * first acknowledgement and the first resolution are kept. */
typedef struct store_alert {
	const char *ref;
	uint64_t seq;
	const char *code, *child, *raised_on, *reason;
	const char *evidence; /* JSON array of seqs */
} store_alert;
int store_alert_raise(store *s, const store_alert *a, sl_err *err);
int store_alert_acknowledge(store *s, const char *ref, const store_closing *c, sl_err *err);
int store_alert_resolve(store *s, const char *ref, const store_closing *c, sl_err *err);
int store_alert_seq(store *s, const char *ref, uint64_t *seq, sl_err *err); /* SL_ENOTFOUND */
/* Alerts raised and not resolved (acknowledged ones included). */
int store_alert_open_count(store *s, uint64_t *count, sl_err *err);

/* Every projection table in a fixed order, each table's rows ordered by
 * its whole key: the callback first gets a table with values == NULL (its
 * column names), then one call per row; a NULL value is SQL NULL.  Strings
 * are valid during the call only.  This is what proves a rebuild gives the
 * same state (`safeledger rebuild --dump`). */
typedef int (*store_row_cb)(void *ctx, const char *table, size_t ncols, const char *const *names,
                            const char *const *values, sl_err *err);
int store_projection_dump(store *s, store_row_cb cb, void *ctx, sl_err *err);
typedef int (*store_count_cb)(void *ctx, const char *table, uint64_t rows, sl_err *err);
int store_projection_counts(store *s, store_count_cb cb, void *ctx, sl_err *err);

/* Drop every projection row (refs, people, the by-person index,
 * amendments and every read-model table above) so that they can be
 * re-derived from the ledger. */
int store_projections_clear(store *s, sl_err *err);

/* --- users, sessions, partner tokens, access grants --- */
/* (sqlite_auth.c) Secrets are never stored: `password` is an Argon2id
 * string, tokens are looked up by their SHA-256.  Times compared in SQL
 * (sessions, login failures) are Unix seconds; others RFC 3339 text. */

typedef struct store_user {
	const char *login, *role, *team, *name; /* team, name may be NULL */
	const char *password;                   /* the Argon2id string */
	bool disabled;
} store_user;
typedef int (*store_user_cb)(void *ctx, const store_user *u, sl_err *err);
int store_user_add(store *s, const store_user *u, const char *now, sl_err *err); /* SL_ECONFLICT */
int store_user_get(store *s, const char *login, store_user_cb cb, void *ctx, sl_err *err); /* SL_ENOTFOUND */
int store_user_list(store *s, store_user_cb cb, void *ctx, sl_err *err);              /* by login */
int store_user_password(store *s, const char *login, const char *password, const char *now,
                        sl_err *err); /* SL_ENOTFOUND */
/* Disable the user and delete their sessions.  SL_ENOTFOUND. */
int store_user_disable(store *s, const char *login, const char *now, sl_err *err);

typedef struct store_session {
	const uint8_t *token_hash; /* 32 bytes */
	const char *login, *csrf;
	int64_t created, last_seen;
} store_session;
/* The session with its user (SL_ENOTFOUND when there is none). */
typedef int (*store_session_cb)(void *ctx, const store_session *x, const store_user *u, sl_err *err);
int store_session_add(store *s, const store_session *x, sl_err *err);
int store_session_get(store *s, const uint8_t token_hash[32], store_session_cb cb, void *ctx, sl_err *err);
int store_session_touch(store *s, const uint8_t token_hash[32], int64_t last_seen, sl_err *err);
int store_session_delete(store *s, const uint8_t token_hash[32], sl_err *err);
/* Delete sessions idle since before idle_before or created before
 * created_before. */
int store_session_purge(store *s, int64_t idle_before, int64_t created_before, sl_err *err);

/* Failed sign-ins, for backoff.  times receives up to max failure times of
 * the login at or after `since`, newest first; *n how many. */
int store_login_failure_add(store *s, const char *login, int64_t at, const char *client, sl_err *err);
int store_login_failures(store *s, const char *login, int64_t since, int64_t *times, unsigned max, unsigned *n,
                         sl_err *err);
/* Forget a login's failures (login NULL: every failure before `before`). */
int store_login_failures_clear(store *s, const char *login, int64_t before, sl_err *err);

typedef struct store_token {
	const uint8_t *token_hash; /* 32 bytes; NULL in listings */
	const char *agency, *name, *created_at, *revoked_at; /* revoked_at NULL: live */
} store_token;
typedef int (*store_token_cb)(void *ctx, const store_token *t, sl_err *err);
int store_token_add(store *s, const store_token *t, sl_err *err); /* SL_ECONFLICT: (agency, name) taken */
int store_token_get(store *s, const uint8_t token_hash[32], store_token_cb cb, void *ctx,
                    sl_err *err); /* SL_ENOTFOUND */
int store_token_list(store *s, store_token_cb cb, void *ctx, sl_err *err); /* by agency, name */
int store_token_revoke(store *s, const char *agency, const char *name, const char *now,
                       sl_err *err); /* SL_ENOTFOUND when no live token has that name */

/* Rows of either log (STORE_LOG_CASES: the ledger table, as the
 * store_event_* calls; STORE_LOG_ACCESS: the access log), so that the
 * ledger and verify code serve both. */
int store_log_append(store *s, int log, const store_event *ev, sl_err *err);
int store_log_last_seq(store *s, int log, uint64_t *seq, sl_err *err);
int store_log_scan(store *s, int log, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err);
/* Access-log rows whose entry names `child`, in seq order. */
int store_access_of_child(store *s, const char *child, store_event_cb cb, void *ctx, sl_err *err);

/* Projections of record.sealed/unsealed and access.granted/revoked.
 * Sealing a sealed record, or granting a live grant, changes nothing; so
 * does ending what is not live. */
int store_seal(store *s, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err);
int store_unseal(store *s, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err);
int store_grant(store *s, const char *child, const char *login, uint64_t seq, const char *day, const char *by,
                sl_err *err);
int store_revoke(store *s, const char *child, const char *login, uint64_t seq, const char *day, const char *by,
                 sl_err *err);

/* What an access decision needs about one child and one user, in one
 * query: the child exists, is sealed, has a live grant naming the login,
 * and its latest allocation (a closed case keeps its last one): worker,
 * and team (the allocation's, else the worker's own); "" when none. */
typedef struct store_access_facts {
	bool exists, sealed, granted;
	char worker[65];
	char team[257];
} store_access_facts;
int store_access_facts_get(store *s, const char *child, const char *login, store_access_facts *out,
                           sl_err *err);

/* --- reads for the API and pages --- */
/* Read-only queries of the read model for src/app/query.c.  Rows handed to
 * a callback are valid during the call only; a callback's non-zero return
 * stops the scan and is returned.  None of them writes. */

/* A person's row: p.seq is the registration; SL_ENOTFOUND when unknown. */
typedef struct store_person_row {
	store_person p;
	uint64_t updated_seq, amended_seq;
} store_person_row;
typedef int (*store_person_cb)(void *ctx, const store_person_row *p, sl_err *err);
int store_person_get(store *s, const char *id, store_person_cb cb, void *ctx, sl_err *err);
/* Every person registered with this NHS number (ten digits). */
int store_person_by_nhs(store *s, const char *nhs_number, store_person_cb cb, void *ctx, sl_err *err);

/* A child's episodes (every type), ordered by type then start. */
typedef int (*store_episode_cb)(void *ctx, const store_episode *e, sl_err *err);
int store_child_episodes(store *s, const char *child, store_episode_cb cb, void *ctx, sl_err *err);
/* The categories of a child's CP plans over time, by plan then seq. */
typedef struct store_cp_category {
	uint64_t plan_seq, seq;
	const char *category, *day; /* category NULL: none named */
} store_cp_category;
typedef int (*store_cp_category_cb)(void *ctx, const store_cp_category *c, sl_err *err);
int store_child_cp_categories(store *s, const char *child, store_cp_category_cb cb, void *ctx, sl_err *err);

/* A child's concerns, oldest first (open_only: unresolved ones). */
typedef struct store_concern_row {
	store_concern c;
	store_closing resolved; /* resolved.seq 0: open */
} store_concern_row;
typedef int (*store_concern_cb)(void *ctx, const store_concern_row *c, sl_err *err);
int store_child_concerns(store *s, const char *child, bool open_only, store_concern_cb cb, void *ctx,
                         sl_err *err);

/* A child's current allocation; SL_ENOTFOUND when none. */
typedef struct store_allocation {
	uint64_t seq;
	const char *child, *worker, *team, *from_day; /* team may be NULL */
} store_allocation;
typedef int (*store_allocation_cb)(void *ctx, const store_allocation *a, sl_err *err);
int store_child_allocation(store *s, const char *child, store_allocation_cb cb, void *ctx, sl_err *err);
/* Is the child allocated now to this worker, or to a worker of this team
 * (either may be NULL)? */
int store_child_allocated_to(store *s, const char *child, const char *worker, const char *team, bool *out,
                             sl_err *err);
/* The allocations a worker holds now (a social worker's caseload, for My
 * work), newest first. */
int store_worker_allocations(store *s, const char *worker, store_allocation_cb cb, void *ctx, sl_err *err);

/* Counts about a child for its summary. */
typedef struct store_child_tally {
	uint64_t events, visits, visits_seen, notes, injuries, missing, concerns_open, alerts_open;
	char last_seen[11]; /* "" when never seen */
} store_child_tally;
int store_child_counts(store *s, const char *child, store_child_tally *out, sl_err *err);

/* A person's links live when the ledger held max_seq events (made by then,
 * not ended by then; UINT64_MAX: now), in either direction: a is the
 * `relation` of b. */
typedef struct store_link {
	const char *a, *b, *relation, *since_day;
	uint64_t since_seq;
} store_link;
typedef int (*store_link_cb)(void *ctx, const store_link *l, sl_err *err);
int store_person_links(store *s, const char *person, uint64_t max_seq, store_link_cb cb, void *ctx, sl_err *err);
/* A person's risk flags raised and not cleared when the ledger held
 * max_seq events (UINT64_MAX: now), oldest first. */
typedef int (*store_risk_flag_cb)(void *ctx, const store_risk_flag *r, sl_err *err);
int store_person_risk_flags(store *s, const char *person, uint64_t max_seq, store_risk_flag_cb cb, void *ctx,
                            sl_err *err);

/* Alerts: of one child, of the children allocated now to a worker, or to a
 * team, of one code (each NULL: no such restriction; all NULL: every
 * alert), newest first.  Unresolved only unless include_resolved. */
typedef struct store_alert_query {
	const char *child, *worker, *team;
	const char *code; /* one rule's alerts, or NULL */
	bool include_resolved;
	unsigned limit; /* 0: no limit */
} store_alert_query;
typedef struct store_alert_row {
	store_alert a;
	store_closing ack, resolved; /* seq 0: not yet */
	const char *worker, *team;   /* the child's allocation now, or NULL */
} store_alert_row;
typedef int (*store_alert_cb)(void *ctx, const store_alert_row *a, sl_err *err);
int store_alerts(store *s, const store_alert_query *q, store_alert_cb cb, void *ctx, sl_err *err);

/* A person's chronology: the events about them ordered by occurred_at as
 * written (date, then time where given; a date-only value first in its
 * day), then seq; newest first unless oldest_first.  Filters: kinds (a JSON
 * array of kind names, or NULL), agency (data.agency, else by.agency, else
 * social_care, DESIGN 6.1.5), occurred dates from..to inclusive.  Keyset
 * paging: after_seq (0: from the start) is the last item of the previous
 * page; SL_EINVAL when it is not one of the person's events. */
typedef struct store_chrono_query {
	const char *person;
	const char *kinds;
	const char *agency;
	const char *from_day, *to_day;
	bool oldest_first;
	uint64_t after_seq;
	unsigned limit; /* rows; 0: 1000 */
	/* Only events with seq <= max_seq, i.e. recorded by then (an as-of
	 * view); 0: no bound. */
	uint64_t max_seq;
} store_chrono_query;
typedef struct store_chrono_item {
	store_event ev;          /* salt NULL: not read */
	const char *occurred_at; /* as written */
	const char *agency;
	bool amended; /* approved amendments exist */
} store_chrono_item;
typedef int (*store_chrono_cb)(void *ctx, const store_chrono_item *it, sl_err *err);
int store_chronology(store *s, const store_chrono_query *q, store_chrono_cb cb, void *ctx, sl_err *err);
/* Every event of a chronology as its index holds it (seq, occurred key,
 * kind, agency), oldest first, with q's filters (kinds, agency, dates,
 * max_seq; order, after_seq and limit ignored): a timeline of all of a
 * child's events reads no ledger row.  Strings live during the callback. */
typedef struct store_chrono_key {
	uint64_t seq;
	const char *occurred, *kind, *agency;
} store_chrono_key;
typedef int (*store_chrono_key_cb)(void *ctx, const store_chrono_key *k, sl_err *err);
int store_chronology_keys(store *s, const store_chrono_query *q, store_chrono_key_cb cb, void *ctx, sl_err *err);
/* store_child_counts, and with it every key of the child's chronology
 * through cb (as store_chronology_keys gives them with no filters, oldest
 * first), from one walk of the child's chronology index: the events,
 * visits and notes are counted on the way, so a page showing a child's
 * summary and timeline reads its events once, not twice. */
int store_child_counts_keys(store *s, const char *child, store_child_tally *out, store_chrono_key_cb cb, void *ctx,
                            sl_err *err);

/* Caseloads: per worker (and the team of the allocation) holding children
 * now: children, their unresolved alerts, and how many of those are of the
 * codes in overdue_codes (a JSON array of alert codes: the timeliness
 * ones).  team, worker: restrict (NULL: all). */
typedef struct store_caseload {
	const char *worker, *team; /* team may be NULL */
	uint64_t children, alerts_open, overdue;
} store_caseload;
typedef int (*store_caseload_cb)(void *ctx, const store_caseload *c, sl_err *err);
int store_caseloads(store *s, const char *team, const char *worker, const char *overdue_codes,
                    store_caseload_cb cb, void *ctx, sl_err *err);

/* Amendment requests still pending, oldest first; and every request
 * naming one target, whatever its state, in request order. */
int store_amendments_pending(store *s, store_amendment_cb cb, void *ctx, sl_err *err);
int store_amendment_requests_of(store *s, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err);

/* Ledger rows of one kind, newest first (salt not read): those about
 * children allocated now to `team`, or with team NULL every one (a scan of
 * the ledger: there is no index by kind, so keep `limit` small). */
int store_events_of_kind(store *s, const char *kind, const char *team, unsigned limit, store_event_cb cb,
                         void *ctx, sl_err *err);

/* The managers' and the director's lists and measures (measures.c,
 * query_escalations, query_unallocated). */
/* Episodes of the types in `types` (a JSON array), by child then start. */
int store_episodes_of_types(store *s, const char *types, store_episode_cb cb, void *ctx, sl_err *err);
/* Alerts raised on or after from_day, counted by month ("YYYY-MM") and code. */
typedef int (*store_month_count_cb)(void *ctx, const char *month, const char *code, uint64_t count, sl_err *err);
int store_alerts_by_month(store *s, const char *from_day, store_month_count_cb cb, void *ctx, sl_err *err);
/* Escalations raised to `to` (NULL: any), oldest first; open_only: not
 * yet answered. */
typedef struct store_escalation_row {
	store_escalation e;
	store_closing answered; /* seq 0: not yet */
} store_escalation_row;
typedef int (*store_escalation_cb)(void *ctx, const store_escalation_row *e, sl_err *err);
int store_escalations(store *s, const char *to, bool open_only, store_escalation_cb cb, void *ctx, sl_err *err);
/* Seen visits (child, seq, day) of every child who has had an episode of
 * one of `types` (a JSON array: "cp_plan", "lac"), by child then day
 * (the measures' visits in time, with the visit as evidence). */
typedef int (*store_child_visit_cb)(void *ctx, const char *child, uint64_t seq, const char *day, sl_err *err);
int store_seen_visits_of(store *s, const char *types, store_child_visit_cb cb, void *ctx, sl_err *err);
/* Every allocation, current and ended, by child then seq: to_seq 0 while
 * current (the measures' children per worker at each month end). */
typedef struct store_allocation_span {
	uint64_t seq, to_seq;
	const char *child, *worker, *team, *from_day, *to_day; /* team, to_day may be NULL */
} store_allocation_span;
typedef int (*store_allocation_span_cb)(void *ctx, const store_allocation_span *a, sl_err *err);
int store_allocations_all(store *s, store_allocation_span_cb cb, void *ctx, sl_err *err);
/* Children whose case is open and who have no worker now, longest
 * waiting first: name, the day the case opened, and the team of their
 * last allocation (NULL: never allocated). */
typedef int (*store_unallocated_cb)(void *ctx, const char *child, const char *name, const char *opened_day,
                                    const char *last_team, sl_err *err);
int store_unallocated(store *s, store_unallocated_cb cb, void *ctx, sl_err *err);
/* The children granted to a login now (access.granted, not revoked):
 * child, its name, the day granted and by whom. */
typedef int (*store_grant_cb)(void *ctx, const char *child, const char *name, const char *day, const char *by,
                              sl_err *err);
int store_grants_of(store *s, const char *login, store_grant_cb cb, void *ctx, sl_err *err);

#endif
