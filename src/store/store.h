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

/* Drop every projection row (people, refs, indexes, amendments) so that
 * they can be re-derived from the ledger. */
int store_projections_clear(store *s, sl_err *err);

#endif
