/*
 * ledger.h - the append-only event log and its Merkle tree (DESIGN 4).
 *
 * A ledger row is (seq, recorded_at, kind, salt, canonical event).  Its
 * Merkle leaf is the RFC 8785 JSON object
 *     {"commit":"<hex SHA-256(salt || event)>","kind":..,"recorded_at":..,"seq":N}
 * so the log and its checkpoints reveal nothing about a child, while anyone
 * given an event and its salt can recompute the leaf and prove it against a
 * signed checkpoint.  Leaf hashes live in the C2SP tlog-tiles layout through
 * merkle.h; checkpoints are C2SP signed notes (note.h, checkpoint.h).
 *
 * The ledger never opens a transaction: the app layer calls store_begin(),
 * any number of ledger_append(), then ledger_flush() and store_commit().
 * After a rollback it calls ledger_reload() so the in-memory right edge of
 * the tree matches the store again.
 */
#ifndef SL_LEDGER_H
#define SL_LEDGER_H

#include "util/common.h"
#include "store/store.h"
#include "ledger/note.h"

#define LEDGER_SALT_LEN 32
#define LEDGER_TIME_LEN 32 /* room for "YYYY-MM-DDTHH:MM:SS.mmmZ" */

typedef struct ledger ledger;

typedef struct ledger_entry {
	uint64_t seq;
	uint8_t leaf_hash[32];
	char recorded_at[LEDGER_TIME_LEN];
} ledger_entry;

/* Restores (import of export lines) supply what a live append makes up. */
typedef struct ledger_append_opts {
	uint64_t seq;              /* 0: next; else must equal the next seq */
	const uint8_t *salt;       /* NULL: fresh random salt */
	const char *recorded_at;   /* NULL: now */
} ledger_append_opts;

int ledger_open(store *s, int log, ledger **out, sl_err *err);
void ledger_close(ledger *l);
uint64_t ledger_size(const ledger *l);
store *ledger_store(ledger *l);

/* Append one event already in canonical form.  Inside a transaction. */
int ledger_append(ledger *l, const char *kind, const char *canonical, size_t len,
                  const ledger_append_opts *opts, ledger_entry *out, sl_err *err);
int ledger_flush(ledger *l, sl_err *err);
int ledger_reload(ledger *l, sl_err *err);

int ledger_root(ledger *l, uint64_t size, uint8_t root[32], sl_err *err);
int ledger_leaf_hash(ledger *l, uint64_t seq, uint8_t out[32], sl_err *err);
int ledger_inclusion_proof(ledger *l, uint64_t seq, uint64_t size, uint8_t **path, size_t *n, sl_err *err);
int ledger_consistency_proof(ledger *l, uint64_t from, uint64_t to, uint8_t **path, size_t *n, sl_err *err);

/* Sign a checkpoint for the current size and store it (inside a
 * transaction).  *note_out (may be NULL) receives the signed note. */
int ledger_sign_checkpoint(ledger *l, const char *origin, const note_signer *signer, char **note_out,
                           sl_err *err);

/* The leaf bytes of a stored row, and its commitment. */
void ledger_commit_hash(const uint8_t salt[32], const char *event, size_t len, uint8_t out[32]);
void ledger_leaf_data(buf *out, const uint8_t commit[32], const char *kind, const char *recorded_at,
                      uint64_t seq);
void ledger_row_leaf_hash(const store_event *ev, buf *scratch, uint8_t out[32]);

/* Current UTC time as RFC 3339 with milliseconds. */
void ledger_now(char out[LEDGER_TIME_LEN]);

#endif
