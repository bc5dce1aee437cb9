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
#include "store/sqlite_internal.h"

#include <pthread.h>
#include <stdarg.h>

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

	/* 2: the read model of the child's record (store.h, "the read model").
	 * Days are YYYY-MM-DD text; every row names the seqs that made and
	 * ended it.  Tables keyed by an event's seq use it as the rowid, so
	 * rows are appended at the end of their B-tree.  Visits and notes, the
	 * bulk of any history, hold facts, not their free text (the ledger has
	 * it, and reads apply amendments to it), and have no index by child:
	 * event_person already finds a child's events, and a join on seq finds
	 * their rows.  No CHECK (type IN (...)): SQLite builds a temporary
	 * B-tree for the list on every insert (6% of an import's instructions
	 * when episode.type had one); store.h lists the values, and the
	 * projectors are the only writers. */
	"ALTER TABLE person ADD COLUMN name TEXT;"
	"ALTER TABLE person ADD COLUMN born TEXT;"
	"ALTER TABLE person ADD COLUMN expected TEXT;"
	"ALTER TABLE person ADD COLUMN gender TEXT;"
	"ALTER TABLE person ADD COLUMN nhs_number TEXT;"
	"ALTER TABLE person ADD COLUMN upn TEXT;"
	"ALTER TABLE person ADD COLUMN updated_seq INTEGER;"
	"ALTER TABLE person ADD COLUMN amended_seq INTEGER;"
	"CREATE TABLE link("
	"  a TEXT NOT NULL, b TEXT NOT NULL, relation TEXT NOT NULL,"
	"  since_seq INTEGER NOT NULL, since_day TEXT NOT NULL, until_seq INTEGER, until_day TEXT,"
	"  PRIMARY KEY (a, b, relation, since_seq)) WITHOUT ROWID;"
	"CREATE INDEX link_b ON link(b, a);"
	"CREATE TABLE episode("
	"  child TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  start_seq INTEGER NOT NULL, start_day TEXT NOT NULL, end_seq INTEGER, end_day TEXT, detail TEXT,"
	"  PRIMARY KEY (child, type, start_seq)) WITHOUT ROWID;"
	"CREATE TABLE cp_category("
	"  plan_seq INTEGER NOT NULL, seq INTEGER NOT NULL, child TEXT NOT NULL, category TEXT,"
	"  from_day TEXT NOT NULL, PRIMARY KEY (plan_seq, seq)) WITHOUT ROWID;"
	"CREATE TABLE visit("
	"  seq INTEGER PRIMARY KEY, child TEXT NOT NULL, day TEXT NOT NULL, seen INTEGER NOT NULL,"
	"  seen_alone INTEGER, amended_seq INTEGER);"
	"CREATE TABLE note("
	"  seq INTEGER PRIMARY KEY, child TEXT NOT NULL, day TEXT NOT NULL,"
	"  kind TEXT NOT NULL, amended_seq INTEGER);"
	"CREATE TABLE concern("
	"  seq INTEGER PRIMARY KEY, child TEXT NOT NULL, day TEXT NOT NULL, category TEXT NOT NULL,"
	"  summary TEXT NOT NULL, significant_harm INTEGER NOT NULL, agency TEXT NOT NULL,"
	"  resolved_seq INTEGER, resolved_day TEXT, resolved_by TEXT, rationale TEXT, amended_seq INTEGER);"
	"CREATE INDEX concern_child ON concern(child, seq);"
	"CREATE TABLE injury("
	"  seq INTEGER PRIMARY KEY, child TEXT NOT NULL, day TEXT NOT NULL, description TEXT NOT NULL,"
	"  agency TEXT NOT NULL, body_part TEXT, explanation TEXT, amended_seq INTEGER);"
	"CREATE INDEX injury_child ON injury(child, seq);"
	"CREATE TABLE missing("
	"  start_seq INTEGER PRIMARY KEY, child TEXT NOT NULL, start_day TEXT NOT NULL, indicators TEXT,"
	"  end_seq INTEGER, end_day TEXT, return_interview INTEGER, interview_seq INTEGER, interview_day TEXT);"
	"CREATE INDEX missing_child ON missing(child, start_seq);"
	"CREATE TABLE risk_flag("
	"  seq INTEGER PRIMARY KEY, person TEXT NOT NULL, agency TEXT NOT NULL, day TEXT NOT NULL,"
	"  summary TEXT NOT NULL, risk_to_children INTEGER NOT NULL,"
	"  cleared_seq INTEGER, cleared_day TEXT, cleared_by TEXT, rationale TEXT, amended_seq INTEGER);"
	"CREATE INDEX risk_flag_person ON risk_flag(person, agency);"
	"CREATE TABLE allocation("
	"  seq INTEGER PRIMARY KEY, child TEXT NOT NULL, worker TEXT NOT NULL, team TEXT, from_day TEXT NOT NULL,"
	"  to_seq INTEGER, to_day TEXT);"
	"CREATE INDEX allocation_child ON allocation(child, to_seq);"
	"CREATE INDEX allocation_worker ON allocation(worker, to_seq);"
	"CREATE TABLE escalation("
	"  seq INTEGER PRIMARY KEY, raised_to TEXT NOT NULL, child TEXT, day TEXT NOT NULL, summary TEXT NOT NULL,"
	"  answered_seq INTEGER, answered_day TEXT, answered_by TEXT, response TEXT, amended_seq INTEGER);"
	"CREATE TABLE alert("
	"  ref TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, code TEXT NOT NULL, child TEXT,"
	"  raised_on TEXT NOT NULL, reason TEXT, evidence TEXT,"
	"  ack_seq INTEGER, ack_day TEXT, ack_by TEXT, ack_note TEXT,"
	"  resolved_seq INTEGER, resolved_day TEXT, resolved_by TEXT, rationale TEXT) WITHOUT ROWID;"
	"CREATE INDEX alert_child ON alert(child, raised_on);"
	/* an older database's events are not in the new tables yet: the app
	 * rebuilds the projections on its next writable open */
	"INSERT INTO meta SELECT 'projections_stale', '1' WHERE EXISTS (SELECT 1 FROM ledger);",

	/* 3: users, sessions, partner tokens, login failures (sqlite_auth.c),
	 * the access log (a second Merkle log, rows shaped like the ledger's
	 * and append-only the same way; its tiles and checkpoints are the
	 * log = 1 rows of merkle_tile and checkpoint), and the projections of
	 * sealing and grants.  Secrets are never stored: passwords as Argon2id
	 * strings, session and partner tokens as SHA-256 of the token.  Times
	 * that are compared (sessions, failures) are Unix seconds. */
	"CREATE TABLE app_user("
	"  login TEXT PRIMARY KEY, role TEXT NOT NULL, team TEXT, name TEXT,"
	"  password TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE app_session("
	"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	"  login TEXT NOT NULL REFERENCES app_user(login), csrf TEXT NOT NULL,"
	"  created INTEGER NOT NULL, last_seen INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX app_session_login ON app_session(login);"
	"CREATE TABLE partner_token("
	"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	"  agency TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT,"
	"  UNIQUE (agency, name)) WITHOUT ROWID;"
	"CREATE TABLE login_failure(login TEXT NOT NULL, at INTEGER NOT NULL, client TEXT);"
	"CREATE INDEX login_failure_login ON login_failure(login, at);"
	"CREATE TABLE access_log("
	"  seq INTEGER PRIMARY KEY CHECK (seq > 0),"
	"  recorded_at TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  salt BLOB NOT NULL CHECK (length(salt) = 32),"
	"  entry TEXT NOT NULL);"
	"CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log"
	"  BEGIN SELECT RAISE(ABORT, 'the access log is append-only: rows cannot be updated'); END;"
	"CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log"
	"  BEGIN SELECT RAISE(ABORT, 'the access log is append-only: rows cannot be deleted'); END;"
	/* who looked at a child: an index on the entry itself, so it cannot
	 * disagree with what the Merkle leaf commits to */
	"CREATE INDEX access_log_child ON access_log(json_extract(entry, '$.child'), seq);"
	"CREATE TABLE sealing("
	"  child TEXT NOT NULL, sealed_seq INTEGER NOT NULL, sealed_day TEXT NOT NULL, sealed_by TEXT NOT NULL,"
	"  unsealed_seq INTEGER, unsealed_day TEXT, unsealed_by TEXT,"
	"  PRIMARY KEY (child, sealed_seq)) WITHOUT ROWID;"
	"CREATE TABLE access_grant("
	"  child TEXT NOT NULL, login TEXT NOT NULL,"
	"  granted_seq INTEGER NOT NULL, granted_day TEXT NOT NULL, granted_by TEXT NOT NULL,"
	"  revoked_seq INTEGER, revoked_day TEXT, revoked_by TEXT,"
	"  PRIMARY KEY (child, login, granted_seq)) WITHOUT ROWID;"
	"CREATE INDEX access_grant_login ON access_grant(login, child);",
	/* 4: the chronology's index.  Each (person, event) row also holds what
	 * a page sorts and filters on - the occurred key, kind and agency - so
	 * a page of a child's chronology is one range of one index and reads
	 * only the ledger rows it shows.  The rows already there get these
	 * columns from the rebuild the app runs on its next writable open. */
	"ALTER TABLE event_person ADD COLUMN occ TEXT;"
	"ALTER TABLE event_person ADD COLUMN kind TEXT;"
	"ALTER TABLE event_person ADD COLUMN agency TEXT;"
	"CREATE INDEX event_person_chrono ON event_person(person, occ, seq, kind, agency);"
	"INSERT OR REPLACE INTO meta SELECT 'projections_stale', '1' WHERE EXISTS (SELECT 1 FROM ledger);",
	/* 5: a child's visits by whether the child was seen, so the record's
	 * summary (how many visits, when last seen) and the visit timeliness
	 * measures read one index range instead of every event of the child. */
	"CREATE INDEX visit_child ON visit(child, seen, day);",
};

/* The projection tables: what store_projection_dump walks (each ordered by
 * its whole key, so the dump is one text per state), what
 * store_projection_counts counts, and what store_projections_clear
 * empties.  A new projection table is a row here. */
static const struct {
	const char *name;
	const char *dump;
	const char *count;
} projection_tables[] = {
	{"event_ref", "SELECT * FROM event_ref ORDER BY ref", "SELECT count(*) FROM event_ref"},
	{"person", "SELECT * FROM person ORDER BY id", "SELECT count(*) FROM person"},
	{"event_person", "SELECT * FROM event_person ORDER BY person, seq", "SELECT count(*) FROM event_person"},
	{"amendment", "SELECT * FROM amendment ORDER BY request_seq", "SELECT count(*) FROM amendment"},
	{"link", "SELECT * FROM link ORDER BY a, b, relation, since_seq", "SELECT count(*) FROM link"},
	{"episode", "SELECT * FROM episode ORDER BY child, type, start_seq", "SELECT count(*) FROM episode"},
	{"cp_category", "SELECT * FROM cp_category ORDER BY plan_seq, seq", "SELECT count(*) FROM cp_category"},
	{"visit", "SELECT * FROM visit ORDER BY seq", "SELECT count(*) FROM visit"},
	{"note", "SELECT * FROM note ORDER BY seq", "SELECT count(*) FROM note"},
	{"concern", "SELECT * FROM concern ORDER BY seq", "SELECT count(*) FROM concern"},
	{"injury", "SELECT * FROM injury ORDER BY seq", "SELECT count(*) FROM injury"},
	{"missing", "SELECT * FROM missing ORDER BY start_seq", "SELECT count(*) FROM missing"},
	{"risk_flag", "SELECT * FROM risk_flag ORDER BY seq", "SELECT count(*) FROM risk_flag"},
	{"allocation", "SELECT * FROM allocation ORDER BY seq", "SELECT count(*) FROM allocation"},
	{"escalation", "SELECT * FROM escalation ORDER BY seq", "SELECT count(*) FROM escalation"},
	{"alert", "SELECT * FROM alert ORDER BY ref", "SELECT count(*) FROM alert"},
	{"sealing", "SELECT * FROM sealing ORDER BY child, sealed_seq", "SELECT count(*) FROM sealing"},
	{"access_grant", "SELECT * FROM access_grant ORDER BY child, login, granted_seq",
	 "SELECT count(*) FROM access_grant"},
};

static const char projections_clear_sql[] =
	"DELETE FROM event_ref; DELETE FROM person; DELETE FROM event_person; DELETE FROM amendment;"
	" DELETE FROM link; DELETE FROM episode; DELETE FROM cp_category; DELETE FROM visit; DELETE FROM note;"
	" DELETE FROM concern; DELETE FROM injury; DELETE FROM missing; DELETE FROM risk_flag;"
	" DELETE FROM allocation; DELETE FROM escalation; DELETE FROM alert;"
	" DELETE FROM sealing; DELETE FROM access_grant;";

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
	ST_PERSON_REGISTER,
	ST_PERSON_UPDATE,
	ST_PERSON_AMENDED,
	ST_LINK_LIVE,
	ST_LINK_ADD,
	ST_LINK_END,
	ST_EPISODE_INSERT,
	ST_EPISODE_HAS_OPEN,
	ST_EPISODE_END,
	ST_EPISODE_OPEN,
	ST_EPISODE_DETAIL,
	ST_CP_CATEGORY_ADD,
	ST_VISIT_PUT,
	ST_NOTE_PUT,
	ST_CONCERN_PUT,
	ST_CONCERN_RESOLVE,
	ST_INJURY_PUT,
	ST_MISSING_START,
	ST_MISSING_END,
	ST_MISSING_INTERVIEW,
	ST_RISK_FLAG_PUT,
	ST_RISK_CLEAR,
	ST_ALLOCATION_END,
	ST_ALLOCATION_ADD,
	ST_ESCALATION_PUT,
	ST_ESCALATION_ANSWER,
	ST_ALERT_RAISE,
	ST_ALERT_ACK,
	ST_ALERT_RESOLVE,
	ST_ALERT_SEQ,
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
	[ST_EVENT_PERSON_ADD] = "INSERT OR IGNORE INTO event_person(person, seq, occ, kind, agency)"
	                        " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_PERSON_EVENTS] = "SELECT seq FROM event_person WHERE person = ?1 ORDER BY seq",
	[ST_AMENDMENT_PUT] = "INSERT INTO amendment(request_seq, target_seq, requester, data) VALUES (?1, ?2, ?3, ?4)",
	[ST_AMENDMENT_DECIDE] = "UPDATE amendment SET status = ?2, decided_seq = ?3"
	                        " WHERE request_seq = ?1 AND status = 'pending'",
	[ST_AMENDMENT_GET] = "SELECT request_seq, target_seq, decided_seq, requester, status, data"
	                     " FROM amendment WHERE request_seq = ?1",
	[ST_AMENDMENTS_OF] = "SELECT request_seq, target_seq, decided_seq, requester, status, data"
	                     " FROM amendment WHERE target_seq = ?1 AND status = 'approved' ORDER BY decided_seq",
	[ST_PERSON_REGISTER] = "INSERT INTO person(id, role, name, born, expected, gender, nhs_number, upn, registered_seq)"
	                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	                       " ON CONFLICT(id) DO UPDATE SET role = excluded.role, name = excluded.name,"
	                       " born = excluded.born, expected = excluded.expected, gender = excluded.gender,"
	                       " nhs_number = excluded.nhs_number, upn = excluded.upn,"
	                       " registered_seq = excluded.registered_seq, updated_seq = NULL, amended_seq = NULL",
	[ST_PERSON_UPDATE] = "UPDATE person SET role = coalesce(?2, role), name = coalesce(?3, name),"
	                     " born = coalesce(?4, born), expected = coalesce(?5, expected),"
	                     " gender = coalesce(?6, gender), nhs_number = coalesce(?7, nhs_number),"
	                     " upn = coalesce(?8, upn), updated_seq = ?9 WHERE id = ?1",
	[ST_PERSON_AMENDED] = "UPDATE person SET amended_seq = ?2 WHERE id = ?1",
	/* "Unless one is live" is a read, then an insert: an INSERT ... SELECT
	 * reading its own table makes SQLite copy the result to a temporary
	 * table first, five times the cost of the two statements. */
	[ST_LINK_LIVE] = "SELECT 1 FROM link WHERE a = ?1 AND b = ?2 AND relation = ?3 AND until_seq IS NULL",
	[ST_LINK_ADD] = "INSERT INTO link(a, b, relation, since_seq, since_day) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_LINK_END] = "UPDATE link SET until_seq = ?4, until_day = ?5"
	                " WHERE a = ?1 AND b = ?2 AND relation = ?3 AND until_seq IS NULL",
	[ST_EPISODE_INSERT] = "INSERT INTO episode(child, type, start_seq, start_day, end_seq, end_day, detail)"
	                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_EPISODE_HAS_OPEN] = "SELECT 1 FROM episode WHERE child = ?1 AND type = ?2 AND end_seq IS NULL",
	[ST_EPISODE_END] = "UPDATE episode SET end_seq = ?3, end_day = ?4,"
	                   " detail = CASE WHEN ?5 IS NULL THEN detail ELSE json_patch(coalesce(detail, '{}'), ?5) END"
	                   " WHERE child = ?1 AND type = ?2 AND end_seq IS NULL",
	[ST_EPISODE_OPEN] = "SELECT start_seq, detail FROM episode WHERE child = ?1 AND type = ?2 AND end_seq IS NULL"
	                    " ORDER BY start_seq DESC LIMIT 1",
	[ST_EPISODE_DETAIL] = "UPDATE episode SET detail = ?4 WHERE child = ?1 AND type = ?2 AND start_seq = ?3",
	[ST_CP_CATEGORY_ADD] = "INSERT INTO cp_category(plan_seq, seq, child, category, from_day) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_VISIT_PUT] = "INSERT INTO visit(seq, child, day, seen, seen_alone, amended_seq)"
	                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(seq) DO UPDATE SET seen = excluded.seen,"
	                 " seen_alone = excluded.seen_alone, amended_seq = excluded.amended_seq",
	[ST_NOTE_PUT] = "INSERT INTO note(seq, child, day, kind, amended_seq) VALUES (?1, ?2, ?3, ?4, ?5)"
	                " ON CONFLICT(seq) DO UPDATE SET amended_seq = excluded.amended_seq",
	[ST_CONCERN_PUT] = "INSERT INTO concern(seq, child, day, category, summary, significant_harm, agency, amended_seq)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(seq) DO UPDATE SET"
	                   " category = excluded.category, summary = excluded.summary,"
	                   " significant_harm = excluded.significant_harm, agency = excluded.agency,"
	                   " amended_seq = excluded.amended_seq",
	[ST_CONCERN_RESOLVE] = "UPDATE concern SET resolved_seq = ?2, resolved_day = ?3, resolved_by = ?4, rationale = ?5"
	                       " WHERE seq = ?1 AND resolved_seq IS NULL",
	[ST_INJURY_PUT] = "INSERT INTO injury(seq, child, day, description, agency, body_part, explanation, amended_seq)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(seq) DO UPDATE SET"
	                  " description = excluded.description, agency = excluded.agency, body_part = excluded.body_part,"
	                  " explanation = excluded.explanation, amended_seq = excluded.amended_seq",
	[ST_MISSING_START] = "INSERT INTO missing(start_seq, child, start_day, indicators) VALUES (?1, ?2, ?3, ?4)",
	[ST_MISSING_END] = "UPDATE missing SET end_seq = ?2, end_day = ?3, return_interview = ?4"
	                   " WHERE child = ?1 AND end_seq IS NULL",
	[ST_MISSING_INTERVIEW] = "UPDATE missing SET interview_seq = ?2, interview_day = ?3 WHERE start_seq ="
	                         " (SELECT max(start_seq) FROM missing WHERE child = ?1 AND end_seq IS NOT NULL"
	                         " AND interview_seq IS NULL)",
	[ST_RISK_FLAG_PUT] = "INSERT INTO risk_flag(seq, person, agency, day, summary, risk_to_children, amended_seq)"
	                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(seq) DO UPDATE SET"
	                     " agency = excluded.agency, summary = excluded.summary,"
	                     " risk_to_children = excluded.risk_to_children, amended_seq = excluded.amended_seq",
	[ST_RISK_CLEAR] = "UPDATE risk_flag SET cleared_seq = ?3, cleared_day = ?4, cleared_by = ?5, rationale = ?6"
	                  " WHERE person = ?1 AND agency = ?2 AND cleared_seq IS NULL",
	[ST_ALLOCATION_END] = "UPDATE allocation SET to_seq = ?2, to_day = ?3 WHERE child = ?1 AND to_seq IS NULL",
	[ST_ALLOCATION_ADD] = "INSERT INTO allocation(seq, child, worker, team, from_day) VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_ESCALATION_PUT] = "INSERT INTO escalation(seq, raised_to, child, day, summary, amended_seq)"
	                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(seq) DO UPDATE SET"
	                      " raised_to = excluded.raised_to, summary = excluded.summary,"
	                      " amended_seq = excluded.amended_seq",
	[ST_ESCALATION_ANSWER] = "UPDATE escalation SET answered_seq = ?2, answered_day = ?3, answered_by = ?4,"
	                         " response = ?5 WHERE seq = ?1 AND answered_seq IS NULL",
	[ST_ALERT_RAISE] = "INSERT INTO alert(ref, seq, code, child, raised_on, reason, evidence)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_ALERT_ACK] = "UPDATE alert SET ack_seq = ?2, ack_day = ?3, ack_by = ?4, ack_note = ?5"
	                 " WHERE ref = ?1 AND ack_seq IS NULL",
	[ST_ALERT_RESOLVE] = "UPDATE alert SET resolved_seq = ?2, resolved_day = ?3, resolved_by = ?4, rationale = ?5"
	                     " WHERE ref = ?1 AND resolved_seq IS NULL",
	[ST_ALERT_SEQ] = "SELECT seq FROM alert WHERE ref = ?1",
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
};

int sq_fail(sqlite_store *s, sl_err *err, const char *what)
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
			sq_fail(s, err, "preparing a statement");
			return NULL;
		}
		s->stmt[id] = st;
	}
	return st;
}

/* The cached statement for a static SQL string of another sqlite_*.c file,
 * keyed by the string's address (a handful per file, so a linear search). */
sqlite3_stmt *sq_stmt(sqlite_store *s, const char *sql, sl_err *err)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < s->n_cache; i++)
		if (s->cache[i].sql == sql)
			return s->cache[i].st;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		sq_fail(s, err, "preparing a statement");
		return NULL;
	}
	if (s->n_cache == s->cap_cache) {
		s->cap_cache = s->cap_cache ? 2 * s->cap_cache : 32;
		s->cache = xrealloc(s->cache, s->cap_cache * sizeof(*s->cache));
	}
	s->cache[s->n_cache].sql = sql;
	s->cache[s->n_cache++].st = st;
	return st;
}

void sq_reset(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Bind helpers: SQLITE_STATIC is safe because every statement is stepped
 * and reset before the caller's strings go away. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* Run a statement that returns no rows. */
int sq_step_done(sqlite_store *s, sqlite3_stmt *st, sl_err *err, const char *what)
{
	int rc = sqlite3_step(st);
	int ret = rc == SQLITE_DONE ? 0 : sq_fail(s, err, what);
	sq_reset(st);
	return ret;
}

int sq_exec(sqlite_store *s, const char *sql, sl_err *err, const char *what)
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
		rc = sq_fail(s, err, "reading the schema version");
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
	if ((rc = sq_exec(s, "BEGIN IMMEDIATE", err, "starting a migration")))
		return rc;
	rc = sq_exec(s,
	              "CREATE TABLE IF NOT EXISTS schema_migrations("
	              " version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
	              err, "creating schema_migrations");
	for (v = (size_t)version; !rc && v < SL_ARRAY_LEN(migrations); v++) {
		char record[128];
		rc = sq_exec(s, migrations[v], err, "applying a migration");
		snprintf(record, sizeof(record),
		         "INSERT INTO schema_migrations VALUES (%zu, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'))",
		         v + 1);
		if (!rc)
			rc = sq_exec(s, record, err, "recording a migration");
	}
	if (rc) {
		sq_exec(s, "ROLLBACK", NULL, "rolling back");
		return rc;
	}
	return sq_exec(s, "COMMIT", err, "committing a migration");
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
		sq_bind_text(st, 1, s->pending[i].person);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)s->pending[i].seq);
		sq_bind_text(st, 3, s->pending[i].occurred);
		sq_bind_text(st, 4, s->pending[i].kind);
		sq_bind_text(st, 5, s->pending[i].agency);
		rc = sq_step_done(s, st, err, "indexing an event");
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
	free(s->stmt);
	for (i = 0; i < s->n_cache; i++)
		sqlite3_finalize(s->cache[i].st);
	free(s->cache);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

/* Once per process, before the first connection: SQLite's memory
 * statistics take a global mutex on every allocation, which the server's
 * threads (one connection each) would all queue on; nothing reads them. */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sqlite_open(const char *location, int flags, void **impl, sl_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sqlite_store *s = xcalloc(1, sizeof(*s));
	int oflags = SQLITE_OPEN_NOMUTEX;
	int rc;

	s->path = xstrdup(location);
	s->stmt = xcalloc(ST_COUNT, sizeof(*s->stmt));
	pthread_once(&once, configure_sqlite);
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
	if ((rc = sq_exec(s,
	                   "PRAGMA foreign_keys = ON;"
	                   "PRAGMA cache_size = -65536;"
	                   "PRAGMA temp_store = MEMORY;",
	                   err, "setting pragmas")) ||
	    ((flags & STORE_SMALL_CACHE) && (rc = sq_exec(s, "PRAGMA cache_size = -4096;", err, "sizing the cache"))))
		goto fail;
	if (flags & STORE_SCRATCH) {
		/* nothing to keep: durability would only cost time */
		if ((rc = sq_exec(s, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;", err,
		                   "configuring a scratch database")))
			goto fail;
	} else if (!(flags & STORE_READONLY) &&
	           (rc = sq_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", err, "enabling WAL"))) {
		goto fail;
	}
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
	return st ? sq_step_done(s, st, err, "beginning a transaction") : SL_EIO;
}

static int sqlite_commit(void *impl, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if ((rc = flush_person_index(s, err)))
		return rc;
	st = stmt_get(s, ST_COMMIT, err);
	return st ? sq_step_done(s, st, err, "committing") : SL_EIO;
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
		sq_step_done(s, st, NULL, "rolling back");
}

static int sqlite_meta_get(void *impl, const char *key, char **value, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_META_GET, err);
	int rc;

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = xstrdup((const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "no setting `%s`", key);
	} else {
		rc = sq_fail(s, err, "reading a setting");
	}
	sq_reset(st);
	return rc;
}

static int sqlite_meta_put(void *impl, const char *key, const char *value, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_META_PUT, err);
	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, key);
	sq_bind_text(st, 2, value);
	return sq_step_done(s, st, err, "writing a setting");
}

int sq_log_append(sqlite_store *s, sqlite3_stmt *st, const store_event *ev, sl_err *err, const char *what)
{
	if (!st)
		return SL_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)ev->seq);
	sq_bind_text(st, 2, ev->recorded_at);
	sq_bind_text(st, 3, ev->kind);
	sqlite3_bind_blob(st, 4, ev->salt, 32, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ev->event, (int)ev->event_len, SQLITE_STATIC);
	return sq_step_done(s, st, err, what);
}

static int sqlite_event_append(void *impl, const store_event *ev, sl_err *err)
{
	sqlite_store *s = impl;
	return sq_log_append(s, stmt_get(s, ST_EVENT_APPEND, err), ev, err, "appending to the ledger");
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
		rc = sq_fail(s, err, "reading an event");
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
	sq_reset(st);
	return rc;
}

int sq_number(sqlite_store *s, sqlite3_stmt *st, uint64_t *out, sl_err *err, const char *what)
{
	int rc;

	*out = 0;
	if (!st)
		return SL_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = sq_fail(s, err, what);
	}
	sq_reset(st);
	return rc;
}

static int sqlite_event_last_seq(void *impl, uint64_t *seq, sl_err *err)
{
	sqlite_store *s = impl;
	return sq_number(s, stmt_get(s, ST_EVENT_LAST, err), seq, err, "reading the ledger size");
}

static int sqlite_event_scan(void *impl, uint64_t from, uint64_t to, store_event_cb cb, void *ctx,
                             sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	/* A scan may call back into the store (a nested read), so it uses its
	 * own statement rather than the cached one. */
	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_EVENT_SCAN], -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing a scan");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, to ? (sqlite3_int64)to : INT64_MAX);
	rc = sq_log_rows(s, st, cb, ctx, err, "scanning the ledger");
	sqlite3_finalize(st);
	return rc;
}

int sq_log_rows(sqlite_store *s, sqlite3_stmt *st, store_event_cb cb, void *ctx, sl_err *err, const char *what)
{
	store_event ev;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_event(st, &ev);
		if ((rc = cb(ctx, &ev, err)))
			return rc;
	}
	return rc == SQLITE_DONE ? 0 : sq_fail(s, err, what);
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
		rc = sq_fail(s, err, "reading a tile");
	}
	sq_reset(st);
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
	return sq_step_done(s, st, err, "writing a tile");
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
		rc = sq_fail(s, err, "reading the tree size");
	}
	sq_reset(st);
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
	sq_bind_text(st, 3, note);
	sq_bind_text(st, 4, created_at);
	return sq_step_done(s, st, err, "storing a checkpoint");
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
		rc = sq_fail(s, err, "reading a checkpoint");
	}
	sq_reset(st);
	return rc;
}

static int sqlite_checkpoint_scan(void *impl, int log, store_checkpoint_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_CHECKPOINT_SCAN], -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing a checkpoint scan");
	sqlite3_bind_int(st, 1, log);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *note = (const char *)sqlite3_column_text(st, 1);
		if ((rc = cb(ctx, (uint64_t)sqlite3_column_int64(st, 0), note ? note : "", err)))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_fail(s, err, "scanning checkpoints");
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
	sq_bind_text(st, 1, ref);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	rc = sq_step_done(s, st, err, "recording a ref");
	if (rc == SL_ECONFLICT)
		rc = sl_fail(err, SL_ECONFLICT, "ref `%s` is already used by another event", ref);
	return rc;
}

/* One seq looked up by a text key (a ref, an alert's ref); `what` names
 * the key in messages ("no event has ref `r1`"). */
static int seq_by_key(sqlite_store *s, int stmt, const char *key, uint64_t *seq, sl_err *err,
                      const char *what, const char *doing)
{
	sqlite3_stmt *st = stmt_get(s, stmt, err);
	int rc;

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*seq = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "%s `%s`", what, key);
	} else {
		rc = sq_fail(s, err, doing);
	}
	sq_reset(st);
	return rc;
}

static int sqlite_ref_get(void *impl, const char *ref, uint64_t *seq, sl_err *err)
{
	return seq_by_key(impl, ST_REF_GET, ref, seq, err, "no event has ref", "looking up a ref");
}

static int sqlite_person_put(void *impl, const char *id, const char *role, uint64_t seq, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_PERSON_PUT, err);
	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, id);
	sq_bind_text(st, 2, role);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)seq);
	return sq_step_done(s, st, err, "recording a person");
}

static int sqlite_person_role(void *impl, const char *id, char **role, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_PERSON_ROLE, err);
	int rc;

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*role = xstrdup((const char *)sqlite3_column_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "unknown person %s", id);
	} else {
		rc = sq_fail(s, err, "looking up a person");
	}
	sq_reset(st);
	return rc;
}

static int sqlite_event_person_add(void *impl, const store_event_person *ep, sl_err *err)
{
	sqlite_store *s = impl;
	size_t lp = strlen(ep->person) + 1, lk = strlen(ep->kind) + 1, la = strlen(ep->agency) + 1, lo;
	pending_person *p;

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
	p = &s->pending[s->n_pending++];
	p->person = xmalloc(lp + lk + la);
	memcpy(p->person, ep->person, lp);
	p->kind = memcpy(p->person + lp, ep->kind, lk);
	p->agency = memcpy(p->person + lp + lk, ep->agency, la);
	p->seq = ep->seq;
	/* truncated as snprintf did, without the cost of a printf */
	lo = strnlen(ep->occurred, sizeof(p->occurred) - 1);
	memcpy(p->occurred, ep->occurred, lo);
	p->occurred[lo] = '\0';
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
		return sq_fail(s, err, "preparing a chronology read");
	sq_bind_text(st, 1, person);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = cb(ctx, (uint64_t)sqlite3_column_int64(st, 0), err)))
			goto done;
	rc = rc == SQLITE_DONE ? 0 : sq_fail(s, err, "reading a chronology");
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
	sq_bind_text(st, 3, requester);
	sq_bind_text(st, 4, data);
	return sq_step_done(s, st, err, "recording an amendment request");
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
	sq_bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)decided_seq);
	rc = sq_step_done(s, st, err, "deciding an amendment");
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
		rc = sq_fail(s, err, "reading amendments");
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
		return sq_fail(s, err, "preparing an amendment read");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)request_seq);
	return amendment_rows(s, st, cb, ctx, err, true);
}

static int sqlite_amendments_of(void *impl, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, stmt_sql[ST_AMENDMENTS_OF], -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing an amendment read");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)target_seq);
	return amendment_rows(s, st, cb, ctx, err, false);
}

/* ---- the read model ------------------------------------------------------
 *
 * Every write below is one cached statement, bound through run(): the
 * `types` string says how each argument binds, so the functions read as
 * the row they write.  't' text (NULL -> NULL), 's' a seq (0 -> NULL),
 * 'S' a seq that is always a number, 'b' an int bool (-1 -> NULL).
 */
static void bind_arg(sqlite3_stmt *st, int i, char type, va_list *ap)
{
	uint64_t u;
	int b;

	switch (type) {
	case 't':
		sq_bind_text(st, i, va_arg(*ap, const char *));
		break;
	case 's':
	case 'S':
		u = va_arg(*ap, uint64_t);
		if (type == 's' && u == 0)
			sqlite3_bind_null(st, i);
		else
			sqlite3_bind_int64(st, i, (sqlite3_int64)u);
		break;
	case 'b':
		b = va_arg(*ap, int);
		if (b < 0)
			sqlite3_bind_null(st, i);
		else
			sqlite3_bind_int(st, i, b != 0);
		break;
	default:
		assert(!"unknown bind type");
	}
}

static int run_va(sqlite_store *s, sqlite3_stmt *st, int *changes, sl_err *err, const char *what,
                  const char *types, va_list ap)
{
	va_list aq;
	int i, rc;

	if (!st)
		return SL_EIO;
	va_copy(aq, ap); /* a va_list parameter cannot be passed on by address */
	for (i = 0; types[i]; i++)
		bind_arg(st, i + 1, types[i], &aq);
	va_end(aq);
	rc = sq_step_done(s, st, err, what);
	if (!rc && changes)
		*changes = sqlite3_changes(s->db);
	return rc;
}

/* Bind, step and reset statement id; *changes (may be NULL) receives the
 * number of rows it wrote. */
static int run(sqlite_store *s, enum stmt_id id, int *changes, sl_err *err, const char *what, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = run_va(s, stmt_get(s, id, err), changes, err, what, types, ap);
	va_end(ap);
	return rc;
}

int sq_run(sqlite_store *s, const char *sql, int *changes, sl_err *err, const char *what, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = run_va(s, sq_stmt(s, sql, err), changes, err, what, types, ap);
	va_end(ap);
	return rc;
}

static int sqlite_person_register(void *impl, const store_person *p, sl_err *err)
{
	return run(impl, ST_PERSON_REGISTER, NULL, err, "recording a person", "ttttttttS", p->id, p->role, p->name,
	           p->born, p->expected, p->gender, p->nhs_number, p->upn, p->seq);
}

static int sqlite_person_update(void *impl, const store_person *p, sl_err *err)
{
	return run(impl, ST_PERSON_UPDATE, NULL, err, "updating a person", "ttttttttS", p->id, p->role, p->name,
	           p->born, p->expected, p->gender, p->nhs_number, p->upn, p->seq);
}

static int sqlite_person_amended(void *impl, const char *id, uint64_t amended_seq, sl_err *err)
{
	return run(impl, ST_PERSON_AMENDED, NULL, err, "marking a person amended", "ts", id, amended_seq);
}

/* Does the query (bound by types and the arguments) return a row? */
static int exists(sqlite_store *s, enum stmt_id id, bool *found, sl_err *err, const char *types, ...)
{
	sqlite3_stmt *st = stmt_get(s, id, err);
	va_list ap;
	int i, rc;

	if (!st)
		return SL_EIO;
	va_start(ap, types);
	for (i = 0; types[i]; i++)
		bind_arg(st, i + 1, types[i], &ap);
	va_end(ap);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "reading a projection");
	sq_reset(st);
	return rc;
}

static int sqlite_link_add(void *impl, const char *a, const char *b, const char *relation, uint64_t seq,
                           const char *day, sl_err *err)
{
	bool live;
	int rc = exists(impl, ST_LINK_LIVE, &live, err, "ttt", a, b, relation);

	if (rc || live)
		return rc;
	return run(impl, ST_LINK_ADD, NULL, err, "recording a link", "tttSt", a, b, relation, seq, day);
}

static int sqlite_link_end(void *impl, const char *a, const char *b, const char *relation, uint64_t seq,
                           const char *day, sl_err *err)
{
	return run(impl, ST_LINK_END, NULL, err, "ending a link", "tttSt", a, b, relation, seq, day);
}

static int sqlite_episode_start(void *impl, const store_episode *e, bool unless_open, sl_err *err)
{
	bool open = false;
	int rc = unless_open ? exists(impl, ST_EPISODE_HAS_OPEN, &open, err, "tt", e->child, e->type) : 0;

	if (rc || open)
		return rc;
	return run(impl, ST_EPISODE_INSERT, NULL, err, "starting an episode", "ttStstt", e->child, e->type,
	           e->start_seq, e->start_day, e->end_seq, e->end_seq ? e->end_day : NULL, e->detail);
}

static int sqlite_episode_end(void *impl, const char *child, const char *type, uint64_t seq, const char *day,
                              const char *patch, unsigned *ended, sl_err *err)
{
	int n = 0;
	int rc = run(impl, ST_EPISODE_END, &n, err, "ending an episode", "ttStt", child, type, seq, day, patch);
	if (ended)
		*ended = rc ? 0 : (unsigned)n;
	return rc;
}

static int sqlite_episode_open(void *impl, const char *child, const char *type, uint64_t *start_seq,
                               char **detail, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = stmt_get(s, ST_EPISODE_OPEN, err);
	const char *d;
	int rc;

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	sq_bind_text(st, 2, type);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*start_seq = (uint64_t)sqlite3_column_int64(st, 0);
		d = (const char *)sqlite3_column_text(st, 1);
		*detail = d ? xstrdup(d) : NULL;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "%s has no open %s", child, type);
	} else {
		rc = sq_fail(s, err, "reading an episode");
	}
	sq_reset(st);
	return rc;
}

static int sqlite_episode_detail(void *impl, const char *child, const char *type, uint64_t start_seq,
                                 const char *detail, sl_err *err)
{
	return run(impl, ST_EPISODE_DETAIL, NULL, err, "updating an episode", "ttSt", child, type, start_seq, detail);
}

static int sqlite_cp_category_add(void *impl, uint64_t plan_seq, uint64_t seq, const char *child,
                                  const char *category, const char *day, sl_err *err)
{
	return run(impl, ST_CP_CATEGORY_ADD, NULL, err, "recording a plan category", "SSttt", plan_seq, seq, child,
	           category, day);
}

static int sqlite_visit_put(void *impl, const store_visit *v, sl_err *err)
{
	return run(impl, ST_VISIT_PUT, NULL, err, "recording a visit", "Sttbbs", v->seq, v->child, v->day,
	           (int)v->seen, v->seen_alone, v->amended_seq);
}

static int sqlite_note_put(void *impl, const store_note *n, sl_err *err)
{
	return run(impl, ST_NOTE_PUT, NULL, err, "recording a note", "Sttts", n->seq, n->child, n->day, n->kind,
	           n->amended_seq);
}

static int sqlite_concern_put(void *impl, const store_concern *c, sl_err *err)
{
	return run(impl, ST_CONCERN_PUT, NULL, err, "recording a concern", "Sttttbts", c->seq, c->child, c->day,
	           c->category, c->summary, (int)c->significant_harm, c->agency, c->amended_seq);
}

static int sqlite_concern_resolve(void *impl, uint64_t concern_seq, const store_closing *c, sl_err *err)
{
	return run(impl, ST_CONCERN_RESOLVE, NULL, err, "resolving a concern", "SSttt", concern_seq, c->seq, c->day,
	           c->by, c->text);
}

static int sqlite_injury_put(void *impl, const store_injury *i, sl_err *err)
{
	return run(impl, ST_INJURY_PUT, NULL, err, "recording an injury", "Stttttts", i->seq, i->child, i->day,
	           i->description, i->agency, i->body_part, i->explanation, i->amended_seq);
}

static int sqlite_missing_start(void *impl, const char *child, uint64_t seq, const char *day,
                                const char *indicators, sl_err *err)
{
	return run(impl, ST_MISSING_START, NULL, err, "recording a missing episode", "Sttt", seq, child, day,
	           indicators);
}

static int sqlite_missing_end(void *impl, const char *child, uint64_t seq, const char *day, int return_interview,
                              sl_err *err)
{
	return run(impl, ST_MISSING_END, NULL, err, "ending a missing episode", "tStb", child, seq, day,
	           return_interview);
}

static int sqlite_missing_interview(void *impl, const char *child, uint64_t seq, const char *day, sl_err *err)
{
	return run(impl, ST_MISSING_INTERVIEW, NULL, err, "recording a return interview", "tSt", child, seq, day);
}

static int sqlite_risk_flag_put(void *impl, const store_risk_flag *r, sl_err *err)
{
	return run(impl, ST_RISK_FLAG_PUT, NULL, err, "recording a risk flag", "Sttttbs", r->seq, r->person,
	           r->agency, r->day, r->summary, (int)r->risk_to_children, r->amended_seq);
}

static int sqlite_risk_clear(void *impl, const char *person, const char *agency, const store_closing *c,
                             sl_err *err)
{
	return run(impl, ST_RISK_CLEAR, NULL, err, "clearing a risk flag", "ttSttt", person, agency, c->seq, c->day,
	           c->by, c->text);
}

static int sqlite_allocation_end(void *impl, const char *child, uint64_t seq, const char *day, sl_err *err)
{
	return run(impl, ST_ALLOCATION_END, NULL, err, "ending an allocation", "tSt", child, seq, day);
}

static int sqlite_allocation_start(void *impl, const char *child, const char *worker, const char *team,
                                   uint64_t seq, const char *day, sl_err *err)
{
	int rc = sqlite_allocation_end(impl, child, seq, day, err);
	if (rc)
		return rc;
	return run(impl, ST_ALLOCATION_ADD, NULL, err, "recording an allocation", "Stttt", seq, child, worker, team,
	           day);
}

static int sqlite_escalation_put(void *impl, const store_escalation *e, sl_err *err)
{
	return run(impl, ST_ESCALATION_PUT, NULL, err, "recording an escalation", "Stttts",
	           e->seq, e->to, e->child, e->day, e->summary, e->amended_seq);
}

static int sqlite_escalation_answer(void *impl, uint64_t escalation_seq, const store_closing *c, sl_err *err)
{
	return run(impl, ST_ESCALATION_ANSWER, NULL, err, "answering an escalation", "SSttt", escalation_seq, c->seq,
	           c->day, c->by, c->text);
}

static int sqlite_alert_raise(void *impl, const store_alert *a, sl_err *err)
{
	int rc = run(impl, ST_ALERT_RAISE, NULL, err, "recording an alert", "tSttttt", a->ref, a->seq, a->code,
	             a->child, a->raised_on, a->reason, a->evidence);
	if (rc == SL_ECONFLICT)
		rc = sl_fail(err, SL_ECONFLICT, "alert `%s` has already been raised", a->ref);
	return rc;
}

static int sqlite_alert_acknowledge(void *impl, const char *ref, const store_closing *c, sl_err *err)
{
	return run(impl, ST_ALERT_ACK, NULL, err, "acknowledging an alert", "tSttt", ref, c->seq, c->day, c->by,
	           c->text);
}

static int sqlite_alert_resolve(void *impl, const char *ref, const store_closing *c, sl_err *err)
{
	return run(impl, ST_ALERT_RESOLVE, NULL, err, "resolving an alert", "tSttt", ref, c->seq, c->day, c->by,
	           c->text);
}

static int sqlite_alert_seq(void *impl, const char *ref, uint64_t *seq, sl_err *err)
{
	return seq_by_key(impl, ST_ALERT_SEQ, ref, seq, err, "unknown alert", "looking up an alert");
}

/* Alerts not yet resolved (acknowledged ones count: acknowledging is not
 * acting), for /metrics. */
static int sqlite_alert_open_count(void *impl, uint64_t *count, sl_err *err)
{
	static const char sql[] = "SELECT count(*) FROM alert WHERE resolved_seq IS NULL";
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql, err);
	int rc;

	if (!st)
		return SL_EIO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		rc = sq_fail(s, err, "counting open alerts");
	}
	sq_reset(st);
	return rc;
}

/* One table of the dump.  Rare (a rebuild check, a test), so the statement
 * is prepared here rather than cached. */
static int dump_table(sqlite_store *s, size_t t, store_row_cb cb, void *ctx, sl_err *err)
{
	const char **names = NULL, **values = NULL;
	sqlite3_stmt *st;
	size_t i, n;
	int rc;

	if (sqlite3_prepare_v2(s->db, projection_tables[t].dump, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing a projection dump");
	n = (size_t)sqlite3_column_count(st);
	names = xcalloc(n + 1, sizeof(*names));
	values = xcalloc(n + 1, sizeof(*values));
	for (i = 0; i < n; i++)
		names[i] = sqlite3_column_name(st, (int)i);
	if ((rc = cb(ctx, projection_tables[t].name, n, names, NULL, err)))
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			values[i] = (const char *)sqlite3_column_text(st, (int)i);
		if ((rc = cb(ctx, projection_tables[t].name, n, names, values, err)))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_fail(s, err, "dumping a projection");
done:
	free(names);
	free(values);
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_projection_dump(void *impl, store_row_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	size_t t;
	int rc;

	if ((rc = flush_person_index(s, err)))
		return rc;
	for (t = 0; t < SL_ARRAY_LEN(projection_tables); t++)
		if ((rc = dump_table(s, t, cb, ctx, err)))
			return rc;
	return 0;
}

static int sqlite_projection_counts(void *impl, store_count_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	size_t t;
	int rc;

	if ((rc = flush_person_index(s, err)))
		return rc;
	for (t = 0; t < SL_ARRAY_LEN(projection_tables); t++) {
		if (sqlite3_prepare_v2(s->db, projection_tables[t].count, -1, &st, NULL) != SQLITE_OK)
			return sq_fail(s, err, "preparing a projection count");
		rc = sqlite3_step(st) == SQLITE_ROW ? 0 : sq_fail(s, err, "counting a projection");
		if (!rc)
			rc = cb(ctx, projection_tables[t].name, (uint64_t)sqlite3_column_int64(st, 0), err);
		sqlite3_finalize(st);
		if (rc)
			return rc;
	}
	return 0;
}

static int sqlite_projections_clear(void *impl, sl_err *err)
{
	drop_pending(impl);
	return sq_exec(impl, projections_clear_sql, err, "clearing projections");
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
	.person_register = sqlite_person_register,
	.person_update = sqlite_person_update,
	.person_amended = sqlite_person_amended,
	.link_add = sqlite_link_add,
	.link_end = sqlite_link_end,
	.episode_start = sqlite_episode_start,
	.episode_end = sqlite_episode_end,
	.episode_open = sqlite_episode_open,
	.episode_detail = sqlite_episode_detail,
	.cp_category_add = sqlite_cp_category_add,
	.visit_put = sqlite_visit_put,
	.note_put = sqlite_note_put,
	.concern_put = sqlite_concern_put,
	.concern_resolve = sqlite_concern_resolve,
	.injury_put = sqlite_injury_put,
	.missing_start = sqlite_missing_start,
	.missing_end = sqlite_missing_end,
	.missing_interview = sqlite_missing_interview,
	.risk_flag_put = sqlite_risk_flag_put,
	.risk_clear = sqlite_risk_clear,
	.allocation_start = sqlite_allocation_start,
	.allocation_end = sqlite_allocation_end,
	.escalation_put = sqlite_escalation_put,
	.escalation_answer = sqlite_escalation_answer,
	.alert_raise = sqlite_alert_raise,
	.alert_acknowledge = sqlite_alert_acknowledge,
	.alert_resolve = sqlite_alert_resolve,
	.alert_seq = sqlite_alert_seq,
	.alert_open_count = sqlite_alert_open_count,
	.projection_dump = sqlite_projection_dump,
	.projection_counts = sqlite_projection_counts,
	.projections_clear = sqlite_projections_clear,

	/* --- users, sessions, partner tokens, access grants (sqlite_auth.c) --- */
	.user_add = sqlite_user_add,
	.user_get = sqlite_user_get,
	.user_list = sqlite_user_list,
	.user_password = sqlite_user_password,
	.user_disable = sqlite_user_disable,
	.session_add = sqlite_session_add,
	.session_get = sqlite_session_get,
	.session_touch = sqlite_session_touch,
	.session_delete = sqlite_session_delete,
	.session_purge = sqlite_session_purge,
	.login_failure_add = sqlite_login_failure_add,
	.login_failures = sqlite_login_failures,
	.login_failures_clear = sqlite_login_failures_clear,
	.token_add = sqlite_token_add,
	.token_get = sqlite_token_get,
	.token_list = sqlite_token_list,
	.token_revoke = sqlite_token_revoke,
	.access_append = sqlite_access_append,
	.access_last_seq = sqlite_access_last_seq,
	.access_scan = sqlite_access_scan,
	.access_of_child = sqlite_access_of_child,
	.seal = sqlite_seal,
	.unseal = sqlite_unseal,
	.grant = sqlite_grant,
	.revoke = sqlite_revoke,
	.access_facts = sqlite_access_facts,

	/* --- reads for the API and pages (sqlite_read.c) --- */
	.person_get = sqlite_person_get,
	.person_by_nhs = sqlite_person_by_nhs,
	.child_episodes = sqlite_child_episodes,
	.child_cp_categories = sqlite_child_cp_categories,
	.child_concerns = sqlite_child_concerns,
	.child_allocation = sqlite_child_allocation,
	.child_allocated_to = sqlite_child_allocated_to,
	.worker_allocations = sqlite_worker_allocations,
	.child_counts = sqlite_child_counts,
	.child_counts_keys = sqlite_child_counts_keys,
	.person_links = sqlite_person_links,
	.person_risk_flags = sqlite_person_risk_flags,
	.alerts = sqlite_alerts,
	.chronology = sqlite_chronology,
	.chronology_keys = sqlite_chronology_keys,
	.caseloads = sqlite_caseloads,
	.amendments_pending = sqlite_amendments_pending,
	.amendment_requests_of = sqlite_amendment_requests_of,
	.events_of_kind = sqlite_events_of_kind,
	.episodes_of_types = sqlite_episodes_of_types,
	.alerts_by_month = sqlite_alerts_by_month,
	.escalations = sqlite_escalations,
	.seen_visits_of = sqlite_seen_visits_of,
	.allocations_all = sqlite_allocations_all,
	.unallocated = sqlite_unallocated,
	.grants_of = sqlite_grants_of,
};
