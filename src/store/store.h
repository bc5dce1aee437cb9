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
int store_event_person_add(store *s, const char *person, uint64_t seq, sl_err *err);
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

/* --- reads for the API and pages --- */

#endif
