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
	char *person;
	uint64_t seq;
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

/* --- users, sessions, partner tokens, access grants (sqlite_auth.c) --- */

/* --- reads for the API and pages (sqlite_read.c) --- */

#endif
