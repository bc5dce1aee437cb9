/*
 * sqlite.c - the embedded default backend: one SQLite file.
 *
 * Durability: WAL with synchronous=FULL, so a commit returns only after the
 * WAL is on disk; a crash at any moment leaves either the whole transaction
 * or none of it.  Foreign keys are on.  Every statement is prepared once,
 * on first use, and kept in a cache indexed by the stmt_id enum, so hot
 * paths never re-parse SQL.
 *
 * Schema: versioned migrations in `migrations[]`, applied in order inside
 * one transaction and recorded in schema_migrations.  A database written by
 * a newer safeledger (a version we do not know) is refused rather than
 * guessed at.  The ledger table refuses UPDATE and DELETE by trigger: the
 * append-only rule holds even against a careless SQL session, and `verify`
 * catches anyone who drops the triggers first.
 */
#include "util/common.h"
#include "store/backend.h"

#include <sqlite3.h>

/* Migrations: append new ones; never edit one that has shipped. */
static const char *const migrations[] = {
	/* 1: the ledger, Merkle tiles, checkpoints, and the projections the
	 * write path uses to resolve references. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE ledger("
	"  seq INTEGER PRIMARY KEY CHECK (seq > 0),"
	"  recorded_at TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  salt BLOB NOT NULL CHECK (length(salt) = 32),"
	"  event TEXT NOT NULL);"
	"CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: rows cannot be updated'); END;"
	"CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger"
	"  BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: rows cannot be deleted'); END;"
	"CREATE TABLE merkle_tile("
	"  log INTEGER NOT NULL, level INTEGER NOT NULL, idx INTEGER NOT NULL,"
	"  hashes BLOB NOT NULL CHECK (length(hashes) % 32 = 0 AND length(hashes) BETWEEN 32 AND 8192),"
	"  PRIMARY KEY (log, level, idx)) WITHOUT ROWID;"
	"CREATE TABLE checkpoint("
	"  log INTEGER NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL, created_at TEXT NOT NULL,"
	"  PRIMARY KEY (log, size)) WITHOUT ROWID;"
	"CREATE TABLE event_ref(ref TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE person(id TEXT PRIMARY KEY, role TEXT NOT NULL, registered_seq INTEGER NOT NULL)"
	"  WITHOUT ROWID;"
	"CREATE TABLE event_person(person TEXT NOT NULL, seq INTEGER NOT NULL,"
	"  PRIMARY KEY (person, seq)) WITHOUT ROWID;"
	"CREATE TABLE amendment("
	"  request_seq INTEGER PRIMARY KEY, target_seq INTEGER NOT NULL, requester TEXT NOT NULL,"
	"  data TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending', 'approved', 'rejected')),"
	"  decided_seq INTEGER);"
	"CREATE INDEX amendment_target ON amendment(target_seq, decided_seq);",
};

enum stmt_id {
	ST_META_GET,
	ST_META_PUT,
	ST_EVENT_APPEND,
	ST_EVENT_GET,
	ST_EVENT_LAST,
	ST_EVENT_SCAN,
	ST_TILE_READ,
	ST_TILE_WRITE,
	ST_TILE_LAST,
	ST_CHECKPOINT_PUT,
	ST_CHECKPOINT_LATEST,
	ST_CHECKPOINT_SCAN,
	ST_REF_PUT,
	ST_REF_GET,
	ST_PERSON_PUT,
	ST_PERSON_ROLE,
	ST_EVENT_PERSON_ADD,
	ST_PERSON_EVENTS,
	ST_AMENDMENT_PUT,
	ST_AMENDMENT_DECIDE,
	ST_AMENDMENT_GET,
	ST_AMENDMENTS_OF,
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[ST_META_PUT] = "INSERT INTO meta(key, value) VALUES (?1, ?2)"
	                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[ST_EVENT_APPEND] = "INSERT INTO ledger(seq, recorded_at, kind, salt, event) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_EVENT_GET] = "SELECT seq, recorded_at, kind, salt, event FROM ledger WHERE seq = ?1",
	[ST_EVENT_LAST] = "SELECT max(seq) FROM ledger",
	[ST_EVENT_SCAN] = "SELECT seq, recorded_at, kind, salt, event FROM ledger"
	                  " WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq",
	[ST_TILE_READ] = "SELECT hashes FROM merkle_tile WHERE log = ?1 AND level = ?2 AND idx = ?3",
	[ST_TILE_WRITE] = "INSERT OR REPLACE INTO merkle_tile(log, level, idx, hashes) VALUES (?1, ?2, ?3, ?4)",
	[ST_TILE_LAST] = "SELECT idx, length(hashes) / 32 FROM merkle_tile WHERE log = ?1 AND level = 0"
	                 " ORDER BY idx DESC LIMIT 1",
	[ST_CHECKPOINT_PUT] = "INSERT OR IGNORE INTO checkpoint(log, size, note, created_at) VALUES (?1, ?2, ?3, ?4)",
	[ST_CHECKPOINT_LATEST] = "SELECT size, note FROM checkpoint WHERE log = ?1 ORDER BY size DESC LIMIT 1",
	[ST_CHECKPOINT_SCAN] = "SELECT size, note FROM checkpoint WHERE log = ?1 ORDER BY size",
	[ST_REF_PUT] = "INSERT INTO event_ref(ref, seq) VALUES (?1, ?2)",
	[ST_REF_GET] = "SELECT seq FROM event_ref WHERE ref = ?1",
	[ST_PERSON_PUT] = "INSERT INTO person(id, role, registered_seq) VALUES (?1, ?2, ?3)"
	                  " ON CONFLICT(id) DO UPDATE SET role = excluded.role",
	[ST_PERSON_ROLE] = "SELECT role FROM person WHERE id = ?1",
	[ST_EVENT_PERSON_ADD] = "INSERT OR IGNORE INTO event_person(person, seq) VALUES (?1, ?2)",
	[ST_PERSON_EVENTS] = "SELECT seq FROM event_person WHERE person = ?1 ORDER BY seq",
	[ST_AMENDMENT_PUT] = "INSERT INTO amendment(request_seq, target_seq, requester, data) VALUES (?1, ?2, ?3, ?4)",
	[ST_AMENDMENT_DECIDE] = "UPDATE amendment SET status = ?2, decided_seq = ?3"
	                        " WHERE request_seq = ?1 AND status = 'pending'",
	[ST_AMENDMENT_GET] = "SELECT request_seq, target_seq, decided_seq, requester, status, data"
	                     " FROM amendment WHERE request_seq = ?1",
	[ST_AMENDMENTS_OF] = "SELECT request_seq, target_seq, decided_seq, requester, status, data"
	                     " FROM amendment WHERE target_seq = ?1 AND status = 'approved' ORDER BY decided_seq",
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
};

/* An (person, seq) pair of the by-person index waiting to be written. */
#define PENDING_MAX 65536
typedef struct pending_person {
	char *person;
	uint64_t seq;
} pending_person;

typedef struct sqlite_store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT];
	char *path;
	/* The by-person index is written sorted at commit (see
	 * flush_person_index); until then its rows wait here. */
	pending_person *pending;
	size_t n_pending, cap_pending;
} sqlite_store;

static int db_fail(sqlite_store *s, sl_err *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);
	int rc = (code & 0xff) == SQLITE_CONSTRAINT ? SL_ECONFLICT : SL_EIO;
	return sl_fail(err, rc, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* The cached, reset statement for id, or NULL with err set. */
static sqlite3_stmt *stmt_get(sqlite_store *s, enum stmt_id id, sl_err *err)
{
	sqlite3_stmt *st = s->stmt[id];

	if (!st) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
			db_fail(s, err, "preparing a statement");
			return NULL;
		}
		s->stmt[id] = st;
	}
	return st;
}

static void stmt_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Bind helpers: SQLITE_STATIC is safe because every statement is stepped
 * and reset before the caller's strings go away. */
static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Run a statement that returns no rows. */
static int step_done(sqlite_store *s, sqlite3_stmt *st, sl_err *err, const char *what)
{
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_DONE ? 0 : db_fail(s, err, what);
	stmt_done(st);
	return ret;
}

static int exec_sql(sqlite_store *s, const char *sql, sl_err *err, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sl_fail(err, SL_EIO, "%s: %s: %s", s->path, what, msg ? msg : "unknown error");
		sqlite3_free(msg);
		return SL_EIO;
	}
	return 0;
}

static bool sqlite_accepts(const char *location)
{
	return strstr(location, "://") == NULL;
}

static int sqlite_schema_version(void *impl, int *version, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	*version = 0;
	rc = sqlite3_prepare_v2(s->db,
	                        "SELECT coalesce(max(version), 0) FROM schema_migrations", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return 0; /* no migrations table yet: version 0 */
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	else
		rc = db_fail(s, err, "reading the schema version");
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : rc;
}

static int migrate(sqlite_store *s, bool may_write, sl_err *err)
{
	int version, rc;
	size_t v;

	if ((rc = sqlite_schema_version(s, &version, err)))
		return rc;
	if (version > (int)SL_ARRAY_LEN(migrations))
		return sl_fail(err, SL_EIO, "%s: schema version %d is newer than this safeledger knows (%zu)",
		               s->path, version, SL_ARRAY_LEN(migrations));
	if (version == (int)SL_ARRAY_LEN(migrations))
		return 0;
	if (!may_write)
		return sl_fail(err, SL_EIO, "%s: schema version %d needs upgrading; open it read-write first",
		               s->path, version);
	if ((rc = exec_sql(s, "BEGIN IMMEDIATE", err, "starting a migration")))
		return rc;
	rc = exec_sql(s,
	              "CREATE TABLE IF NOT EXISTS schema_migrations("
	              " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
	              err, "creating schema_migrations");
	for (v = (size_t)version; !rc && v < SL_ARRAY_LEN(migrations); v++) {
		char record[128];
		rc = exec_sql(s, migrations[v], err, "applying a migration");
		snprintf(record, sizeof(record),
		         "INSERT INTO schema_migrations VALUES (%zu, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))",
		         v + 1);
		if (!rc)
			rc = exec_sql(s, record, err, "recording a migration");
	}
	if (rc) {
		exec_sql(s, "ROLLBACK", NULL, "rolling back");
		return rc;
	}
	return exec_sql(s, "COMMIT", err, "committing a migration");
}

static void drop_pending(sqlite_store *s)
{
	size_t i;
	for (i = 0; i < s->n_pending; i++)
		free(s->pending[i].person);
	s->n_pending = 0;
}

static int compare_pending(const void *a, const void *b)
{
	const pending_person *x = a, *y = b;
	int c = strcmp(x->person, y->person);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/*
 * Events about one person are scattered through the ledger, so inserting
 * each (person, seq) row as its event is appended lands all over the
 * index's B-tree: in a bulk import that was a fifth of the time.  Rows are
 * instead collected and inserted in key order once per transaction (before
 * commit, or before the index is read), which touches each page once.
 */
static int flush_person_index(sqlite_store *s, sl_err *err)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (s->n_pending == 0)
		return 0;
	if (!(st = stmt_get(s, ST_EVENT_PERSON_ADD, err)))
		return SL_EIO;
	qsort(s->pending, s->n_pending, sizeof(*s->pending), compare_pending);
	for (i = 0; i < s->n_pending && !rc; i++) {
		bind_text(st, 1, s->pending[i].person);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)s->pending[i].seq);
		rc = step_done(s, st, err, "indexing an event");
	}
	drop_pending(s);
	return rc;
}

static void sqlite_close(void *impl)
{
	sqlite_store *s = impl;
	size_t i;

	if (!s)
		return;
	drop_pending(s);
	free(s->pending);
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int sqlite_open(const char *location, int flags, void **impl, sl_err *err)
{
	sqlite_store *s = xcalloc(1, sizeof(*s));
	int oflags = SQLITE_OPEN_NOMUTEX;
	int rc;

	s->path = xstrdup(location);
	if (flags & STORE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE | ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(location, &s->db, oflags, NULL) != SQLITE_OK) {
		rc = sl_fail(err, SL_EIO, "%s: cannot open: %s%s", location,
		             s->db ? sqlite3_errmsg(s->db) : "out of memory",
		             (flags & STORE_CREATE) ? "" : " (run `safeledger init` first)");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	/* WAL + FULL: an acknowledged commit survives power loss.  The
	 * checkpoint interval and cache are sized for bulk imports. */
	if ((rc = exec_sql(s,
	                   "PRAGMA foreign_keys = ON;"
	                   "PRAGMA cache_size = -65536;"
	                   "PRAGMA temp_store = MEMORY;",
	                   err, "setting pragmas")))
		goto fail;
	if (!(flags & STORE_READONLY) &&
	    (rc = exec_sql(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", err, "enabling WAL")))
		goto fail;
	if ((rc = migrate(s, !(flags & STORE_READONLY), err)))
		goto fail;
	*impl = s;
	return 0;
fail:
	sqlite_close(s);
	return rc;
}

static int sqlite_begin(void *impl, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_BEGIN, err);
	return st ? step_done(s, st, err, "beginning a transaction") : SL_EIO;
}

static int sqlite_commit(void *impl, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = flush_person_index(s, err)))
		return rc;
	st = stmt_get(s, ST_COMMIT, err);
	return st ? step_done(s, st, err, "committing") : SL_EIO;
}

static void sqlite_rollback(void *impl)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;

	drop_pending(s);
	if (sqlite3_get_autocommit(s->db))
		return; /* nothing open (SQLite may already have rolled back) */
	st = stmt_get(s, ST_ROLLBACK, NULL);
	if (st)
		step_done(s, st, NULL, "rolling back");
}

static int sqlite_meta_get(void *impl, const char *key, char **value, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_META_GET, err);
	int rc;

	if (!st)
		return SL_EIO;
	bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = xstrdup((const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "no setting `%s`", key);
	} else {
		rc = db_fail(s, err, "reading a setting");
	}
	stmt_done(st);
	return rc;
}

static int sqlite_meta_put(void *impl, const char *key, const char *value, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_META_PUT, err);
	if (!st)
		return SL_EIO;
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return step_done(s, st, err, "writing a setting");
}

static int sqlite_event_append(void *impl, const store_event *ev, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_EVENT_APPEND, err);
	if (!st)
		return SL_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ev->seq);
	bind_text(st, 2, ev->recorded_at);
	bind_text(st, 3, ev->kind);
	sqlite3_bind_blob(st, 4, ev->salt, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ev->event, (int)ev->event_len, SQLITE_STATIC);
	return step_done(s, st, err, "appending to the ledger");
}

/* Fill ev from the current row of a (seq, recorded_at, kind, salt, event)
 * query.  A salt of the wrong length is passed through as NULL so that
 * verify can report it instead of reading past the blob. */
static void row_event(sqlite3_stmt *st, store_event *ev)
{
	ev->seq = (uint64_t)sqlite3_column_int64(st, 0);
	ev->recorded_at = (const char *)sqlite3_column_text(st, 1);
	ev->kind = (const char *)sqlite3_column_text(st, 2);
	ev->salt = sqlite3_column_bytes(st, 3) == 32 ? sqlite3_column_blob(st, 3) : NULL;
	ev->event = (const char *)sqlite3_column_text(st, 4);
	ev->event_len = (size_t)sqlite3_column_bytes(st, 4);
	if (!ev->recorded_at)
		ev->recorded_at = "";
	if (!ev->kind)
		ev->kind = "";
	if (!ev->event)
		ev->event = "";
}

static int sqlite_event_get(void *impl, uint64_t seq, store_event_copy *out, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_EVENT_GET, err);
	store_event ev;
	size_t a, b, c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return SL_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "no event with seq %llu", (unsigned long long)seq);
		goto done;
	}
	if (rc != SQLITE_ROW) {
		rc = db_fail(s, err, "reading an event");
		goto done;
	}
	row_event(st, &ev);
	/* One allocation: salt, then the three strings. */
	a = strlen(ev.recorded_at) + 1;
	b = strlen(ev.kind) + 1;
	c = ev.event_len + 1;
	out->storage = xmalloc(32 + a + b + c);
	memset(out->storage, 0, 32);
	if (ev.salt)
		memcpy(out->storage, ev.salt, 32);
	memcpy(out->storage + 32, ev.recorded_at, a);
	memcpy(out->storage + 32 + a, ev.kind, b);
	memcpy(out->storage + 32 + a + b, ev.event, c);
	out->ev.seq = ev.seq;
	out->ev.salt = ev.salt ? (const uint8_t *)out->storage : NULL;
	out->ev.recorded_at = out->storage + 32;
	out->ev.kind = out->storage + 32 + a;
	out->ev.event = out->storage + 32 + a + b;
	out->ev.event_len = ev.event_len;
	rc = 0;
done:
	stmt_done(st);
	return rc;
}

static int sqlite_event_last_seq(void *impl, uint64_t *seq, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_EVENT_LAST, err);
	int rc;

	*seq = 0;
	if (!st)
		return SL_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = db_fail(s, err, "reading the ledger size");
	}
	stmt_done(st);
	return rc;
}

static int sqlite_event_scan(void *impl, uint64_t from, uint64_t to, store_event_cb cb, void *ctx,
                             sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	store_event ev;
	int rc;

	/* A scan may call back into the store (a nested read), so it uses its
	 * own statement rather than the cached one. */
	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_EVENT_SCAN], -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "preparing a scan");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, to ? (sqlite3_int64)to : INT64_MAX);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_event(st, &ev);
		if ((rc = cb(ctx, &ev, err)))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "scanning the ledger");
done:
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_tile_read(void *impl, int log, unsigned level, uint64_t index, uint8_t *hashes,
                            unsigned *count, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_TILE_READ, err);
	int rc, n;

	if (!st)
		return SL_EIO;
	sqlite3_bind_int(st, 1, log);
	sqlite3_bind_int(st, 2, (int)level);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)index);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 0);
		if (n <= 0 || n % 32 || n > 256 * 32) {
			rc = sl_fail(err, SL_ECORRUPT, "tile %u/%llu has %d bytes", level,
			             (unsigned long long)index, n);
		} else {
			memcpy(hashes, sqlite3_column_blob(st, 0), (size_t)n);
			*count = (unsigned)n / 32;
			rc = 0;
		}
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "no tile %u/%llu", level, (unsigned long long)index);
	} else {
		rc = db_fail(s, err, "reading a tile");
	}
	stmt_done(st);
	return rc;
}

static int sqlite_tile_write(void *impl, int log, unsigned level, uint64_t index, const uint8_t *hashes,
                             unsigned count, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_TILE_WRITE, err);
	if (!st)
		return SL_EIO;
	sqlite3_bind_int(st, 1, log);
	sqlite3_bind_int(st, 2, (int)level);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)index);
	sqlite3_bind_blob(st, 4, hashes, (int)count * 32, SQLITE_STATIC);
	return step_done(s, st, err, "writing a tile");
}

static int sqlite_tile_tree_size(void *impl, int log, uint64_t *size, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_TILE_LAST, err);
	int rc;

	*size = 0;
	if (!st)
		return SL_EIO;
	sqlite3_bind_int(st, 1, log);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*size = (uint64_t)sqlite3_column_int64(st, 0) * 256 + (uint64_t)sqlite3_column_int64(st, 1);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = db_fail(s, err, "reading the tree size");
	}
	stmt_done(st);
	return rc;
}

static int sqlite_checkpoint_put(void *impl, int log, uint64_t size, const char *note,
                                 const char *created_at, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_CHECKPOINT_PUT, err);
	if (!st)
		return SL_EIO;
	sqlite3_bind_int(st, 1, log);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
	bind_text(st, 3, note);
	bind_text(st, 4, created_at);
	return step_done(s, st, err, "storing a checkpoint");
}

static int sqlite_checkpoint_latest(void *impl, int log, uint64_t *size, char **note, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_CHECKPOINT_LATEST, err);
	int rc;

	if (!st)
		return SL_EIO;
	sqlite3_bind_int(st, 1, log);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*size = (uint64_t)sqlite3_column_int64(st, 0);
		*note = xstrdup((const char *)sqlite3_column_text(st, 1));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "no checkpoint has been signed yet");
	} else {
		rc = db_fail(s, err, "reading a checkpoint");
	}
	stmt_done(st);
	return rc;
}

static int sqlite_checkpoint_scan(void *impl, int log, store_checkpoint_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_CHECKPOINT_SCAN], -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "preparing a checkpoint scan");
	sqlite3_bind_int(st, 1, log);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *note = (const char *)sqlite3_column_text(st, 1);
		if ((rc = cb(ctx, (uint64_t)sqlite3_column_int64(st, 0), note ? note : "", err)))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "scanning checkpoints");
done:
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_ref_put(void *impl, const char *ref, uint64_t seq, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_REF_PUT, err);
	int rc;
	if (!st)
		return SL_EIO;
	bind_text(st, 1, ref);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	rc = step_done(s, st, err, "recording a ref");
	if (rc == SL_ECONFLICT)
		rc = sl_fail(err, SL_ECONFLICT, "ref `%s` is already used by another event", ref);
	return rc;
}

static int sqlite_ref_get(void *impl, const char *ref, uint64_t *seq, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_REF_GET, err);
	int rc;

	if (!st)
		return SL_EIO;
	bind_text(st, 1, ref);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "no event has ref `%s`", ref);
	} else {
		rc = db_fail(s, err, "looking up a ref");
	}
	stmt_done(st);
	return rc;
}

static int sqlite_person_put(void *impl, const char *id, const char *role, uint64_t seq, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_PERSON_PUT, err);
	if (!st)
		return SL_EIO;
	bind_text(st, 1, id);
	bind_text(st, 2, role);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)seq);
	return step_done(s, st, err, "recording a person");
}

static int sqlite_person_role(void *impl, const char *id, char **role, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_PERSON_ROLE, err);
	int rc;

	if (!st)
		return SL_EIO;
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*role = xstrdup((const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "unknown person %s", id);
	} else {
		rc = db_fail(s, err, "looking up a person");
	}
	stmt_done(st);
	return rc;
}

static int sqlite_event_person_add(void *impl, const char *person, uint64_t seq, sl_err *err)
{
	sqlite_store *s = impl;

	/* Bounded, so a ten-million-event import does not hold ten million
	 * rows in memory; sorted runs of this size keep most of the gain. */
	if (s->n_pending >= PENDING_MAX) {
		int rc = flush_person_index(s, err);
		if (rc)
			return rc;
	}
	if (s->n_pending == s->cap_pending) {
		s->cap_pending = s->cap_pending ? s->cap_pending * 2 : 1024;
		s->pending = xrealloc(s->pending, s->cap_pending * sizeof(*s->pending));
	}
	s->pending[s->n_pending++] = (pending_person){xstrdup(person), seq};
	/* Outside a transaction there is no commit to wait for. */
	return sqlite3_get_autocommit(s->db) ? flush_person_index(s, err) : 0;
}

static int sqlite_person_events(void *impl, const char *person, store_seq_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = flush_person_index(s, err)))
		return rc;
	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_PERSON_EVENTS], -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "preparing a chronology read");
	bind_text(st, 1, person);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = cb(ctx, (uint64_t)sqlite3_column_int64(st, 0), err)))
			goto done;
	rc = rc == SQLITE_DONE ? 0 : db_fail(s, err, "reading a chronology");
done:
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_amendment_put(void *impl, uint64_t request_seq, uint64_t target_seq, const char *requester,
                                const char *data, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_AMENDMENT_PUT, err);
	if (!st)
		return SL_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)request_seq);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)target_seq);
	bind_text(st, 3, requester);
	bind_text(st, 4, data);
	return step_done(s, st, err, "recording an amendment request");
}

static int sqlite_amendment_decide(void *impl, uint64_t request_seq, const char *status, uint64_t decided_seq,
                                   sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_AMENDMENT_DECIDE, err);
	int rc;
	if (!st)
		return SL_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)request_seq);
	bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)decided_seq);
	rc = step_done(s, st, err, "deciding an amendment");
	if (!rc && sqlite3_changes(s->db) != 1)
		rc = sl_fail(err, SL_ECONFLICT, "amendment request %llu is not pending",
		             (unsigned long long)request_seq);
	return rc;
}

static int amendment_rows(sqlite_store *s, sqlite3_stmt *st, store_amendment_cb cb, void *ctx, sl_err *err,
                          bool need_one)
{
	store_amendment a;
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		a.request_seq = (uint64_t)sqlite3_column_int64(st, 0);
		a.target_seq = (uint64_t)sqlite3_column_int64(st, 1);
		a.decided_seq = (uint64_t)sqlite3_column_int64(st, 2);
		a.requester = (const char *)sqlite3_column_text(st, 3);
		a.status = (const char *)sqlite3_column_text(st, 4);
		a.data = (const char *)sqlite3_column_text(st, 5);
		n++;
		if ((rc = cb(ctx, &a, err)))
			goto done;
	}
	if (rc != SQLITE_DONE)
		rc = db_fail(s, err, "reading amendments");
	else if (need_one && n == 0)
		rc = sl_fail(err, SL_ENOTFOUND, "no such amendment request");
	else
		rc = 0;
done:
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_amendment_get(void *impl, uint64_t request_seq, store_amendment_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_AMENDMENT_GET], -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "preparing an amendment read");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)request_seq);
	return amendment_rows(s, st, cb, ctx, err, true);
}

static int sqlite_amendments_of(void *impl, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_AMENDMENTS_OF], -1, &st, NULL) != SQLITE_OK)
		return db_fail(s, err, "preparing an amendment read");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)target_seq);
	return amendment_rows(s, st, cb, ctx, err, false);
}

static int sqlite_projections_clear(void *impl, sl_err *err)
{
	drop_pending(impl);
	return exec_sql(impl,
	                "DELETE FROM event_ref; DELETE FROM person; DELETE FROM event_person;"
	                " DELETE FROM amendment;",
	                err, "clearing projections");
}

const store_backend_ops store_sqlite_ops = {
	.name = "sqlite",
	.accepts = sqlite_accepts,
	.open = sqlite_open,
	.close = sqlite_close,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.schema_version = sqlite_schema_version,
	.meta_get = sqlite_meta_get,
	.meta_put = sqlite_meta_put,
	.event_append = sqlite_event_append,
	.event_get = sqlite_event_get,
	.event_last_seq = sqlite_event_last_seq,
	.event_scan = sqlite_event_scan,
	.tile_read = sqlite_tile_read,
	.tile_write = sqlite_tile_write,
	.tile_tree_size = sqlite_tile_tree_size,
	.checkpoint_put = sqlite_checkpoint_put,
	.checkpoint_latest = sqlite_checkpoint_latest,
	.checkpoint_scan = sqlite_checkpoint_scan,
	.ref_put = sqlite_ref_put,
	.ref_get = sqlite_ref_get,
	.person_put = sqlite_person_put,
	.person_role = sqlite_person_role,
	.event_person_add = sqlite_event_person_add,
	.person_events = sqlite_person_events,
	.amendment_put = sqlite_amendment_put,
	.amendment_decide = sqlite_amendment_decide,
	.amendment_get = sqlite_amendment_get,
	.amendments_of = sqlite_amendments_of,
	.projections_clear = sqlite_projections_clear,
};
