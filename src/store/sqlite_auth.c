/*
 * sqlite_auth.c - the SQLite backend's users, sessions, partner tokens,
 * login failures, the access log's rows, and the projections of sealing
 * and grants (schema: migration 3 in sqlite.c; interface: store.h).
 *
 * Tokens are found by their SHA-256 (a BLOB primary key): the token itself
 * never reaches the database, so a copy of the file lets no one sign in.
 * The access log's rows have the ledger's shape and its append-only
 * triggers; its index by child is an expression index on the entry's own
 * `child`, so the listing can never disagree with what the leaf commits to.
 *
 * Scans that call back into the caller (user lists, the access log) use a
 * statement of their own, because a callback may use the store again and a
 * cached statement cannot be stepped twice at once.
 */
#include "util/common.h"
#include "store/sqlite_internal.h"

static const char sql_user_add[] =
    "INSERT INTO app_user(login, role, team, name, password, disabled, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char sql_user_get[] = "SELECT login, role, team, name, password, disabled FROM app_user WHERE login = ?1";
static const char sql_user_list[] = "SELECT login, role, team, name, password, disabled FROM app_user ORDER BY login";
static const char sql_user_password[] = "UPDATE app_user SET password = ?2, updated_at = ?3 WHERE login = ?1";
static const char sql_user_disable[] = "UPDATE app_user SET disabled = 1, updated_at = ?2 WHERE login = ?1";
static const char sql_session_delete_user[] = "DELETE FROM app_session WHERE login = ?1";
static const char sql_session_add[] =
    "INSERT INTO app_session(token_hash, login, csrf, created, last_seen) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_session_get[] =
    "SELECT s.login, s.csrf, s.created, s.last_seen, u.role, u.team, u.name, u.password, u.disabled"
    " FROM app_session s JOIN app_user u ON u.login = s.login WHERE s.token_hash = ?1";
static const char sql_session_touch[] = "UPDATE app_session SET last_seen = ?2 WHERE token_hash = ?1";
static const char sql_session_delete[] = "DELETE FROM app_session WHERE token_hash = ?1";
static const char sql_session_purge[] = "DELETE FROM app_session WHERE last_seen < ?1 OR created < ?2";
static const char sql_failure_add[] = "INSERT INTO login_failure(login, at, client) VALUES (?1, ?2, ?3)";
static const char sql_failures[] =
    "SELECT at FROM login_failure WHERE login = ?1 AND at >= ?2 ORDER BY at DESC LIMIT ?3";
static const char sql_failures_clear_login[] = "DELETE FROM login_failure WHERE login = ?1";
static const char sql_failures_clear_old[] = "DELETE FROM login_failure WHERE at < ?1";
static const char sql_token_add[] =
    "INSERT INTO partner_token(token_hash, agency, name, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char sql_token_get[] =
    "SELECT agency, name, created_at, revoked_at FROM partner_token WHERE token_hash = ?1";
static const char sql_token_list[] =
    "SELECT agency, name, created_at, revoked_at FROM partner_token ORDER BY agency, name";
static const char sql_token_revoke[] =
    "UPDATE partner_token SET revoked_at = ?3 WHERE agency = ?1 AND name = ?2 AND revoked_at IS NULL";
static const char sql_access_append[] =
    "INSERT INTO access_log(seq, recorded_at, kind, salt, entry) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_access_last[] = "SELECT coalesce(max(seq), 0) FROM access_log";
static const char sql_access_scan[] =
    "SELECT seq, recorded_at, kind, salt, entry FROM access_log WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq";
static const char sql_access_of_child[] = "SELECT seq, recorded_at, kind, salt, entry FROM access_log"
                                          " WHERE json_extract(entry, '$.child') = ?1 ORDER BY seq";
/* "Unless one is live" as a read then an insert, like links (sqlite.c). */
static const char sql_sealed_live[] = "SELECT 1 FROM sealing WHERE child = ?1 AND unsealed_seq IS NULL";
static const char sql_seal[] = "INSERT INTO sealing(child, sealed_seq, sealed_day, sealed_by) VALUES (?1, ?2, ?3, ?4)";
static const char sql_unseal[] = "UPDATE sealing SET unsealed_seq = ?2, unsealed_day = ?3, unsealed_by = ?4"
                                 " WHERE child = ?1 AND unsealed_seq IS NULL";
static const char sql_grant_live[] =
    "SELECT 1 FROM access_grant WHERE child = ?1 AND login = ?2 AND revoked_seq IS NULL";
static const char sql_grant[] =
    "INSERT INTO access_grant(child, login, granted_seq, granted_day, granted_by) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_revoke[] = "UPDATE access_grant SET revoked_seq = ?3, revoked_day = ?4, revoked_by = ?5"
                                 " WHERE child = ?1 AND login = ?2 AND revoked_seq IS NULL";
/* One row whatever exists: every access decision asks this once. */
static const char sql_access_facts[] =
    "SELECT EXISTS (SELECT 1 FROM person WHERE id = ?1 AND role = 'child'),"
    " EXISTS (SELECT 1 FROM sealing WHERE child = ?1 AND unsealed_seq IS NULL),"
    " EXISTS (SELECT 1 FROM access_grant WHERE child = ?1 AND login = ?2 AND revoked_seq IS NULL),"
    " a.worker, coalesce(a.team, u.team)"
    " FROM (SELECT 1) LEFT JOIN (SELECT worker, team FROM allocation WHERE child = ?1"
    "   ORDER BY seq DESC LIMIT 1) a LEFT JOIN app_user u ON u.login = a.worker";

static const char *column_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ---- users --------------------------------------------------------------- */

int sqlite_user_add(void *impl, const store_user *u, const char *now, sl_err *err)
{
	int rc = sq_run(impl, sql_user_add, NULL, err, "adding a user", "tttttbt", u->login, u->role, u->team, u->name,
	                u->password, (int)u->disabled, now);
	if (rc == SL_ECONFLICT)
		rc = sl_fail(err, SL_ECONFLICT, "a user with login `%s` already exists", u->login);
	return rc;
}

static void row_user(sqlite3_stmt *st, int first, store_user *u)
{
	u->login = column_text(st, first);
	u->role = column_text(st, first + 1);
	u->team = column_text(st, first + 2);
	u->name = column_text(st, first + 3);
	u->password = column_text(st, first + 4);
	u->disabled = sqlite3_column_int(st, first + 5) != 0;
}

/* Step a user query, calling cb per row; need_one: none is SL_ENOTFOUND. */
static int user_rows(sqlite_store *s, sqlite3_stmt *st, store_user_cb cb, void *ctx, const char *login, sl_err *err)
{
	store_user u;
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_user(st, 0, &u);
		n++;
		if ((rc = cb(ctx, &u, err)))
			return rc;
	}
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, "reading users");
	if (login && n == 0)
		return sl_fail(err, SL_ENOTFOUND, "no user with login `%s`", login);
	return 0;
}

int sqlite_user_get(void *impl, const char *login, store_user_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql_user_get, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing a user read");
	sq_bind_text(st, 1, login);
	rc = user_rows(s, st, cb, ctx, login, err);
	sqlite3_finalize(st);
	return rc;
}

int sqlite_user_list(void *impl, store_user_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql_user_list, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing a user list");
	rc = user_rows(s, st, cb, ctx, NULL, err);
	sqlite3_finalize(st);
	return rc;
}

int sqlite_user_password(void *impl, const char *login, const char *password, const char *now, sl_err *err)
{
	int n = 0;
	int rc = sq_run(impl, sql_user_password, &n, err, "changing a password", "ttt", login, password, now);
	if (!rc && n == 0)
		rc = sl_fail(err, SL_ENOTFOUND, "no user with login `%s`", login);
	return rc;
}

int sqlite_user_disable(void *impl, const char *login, const char *now, sl_err *err)
{
	int n = 0;
	int rc = sq_run(impl, sql_user_disable, &n, err, "disabling a user", "tt", login, now);
	if (!rc && n == 0)
		rc = sl_fail(err, SL_ENOTFOUND, "no user with login `%s`", login);
	if (!rc)
		rc = sq_run(impl, sql_session_delete_user, NULL, err, "ending a user's sessions", "t", login);
	return rc;
}

/* ---- sessions ------------------------------------------------------------ */

int sqlite_session_add(void *impl, const store_session *x, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_session_add, err);

	if (!st)
		return SL_EIO;
	sqlite3_bind_blob(st, 1, x->token_hash, 32, SQLITE_STATIC);
	sq_bind_text(st, 2, x->login);
	sq_bind_text(st, 3, x->csrf);
	sqlite3_bind_int64(st, 4, x->created);
	sqlite3_bind_int64(st, 5, x->last_seen);
	return sq_step_done(s, st, err, "starting a session");
}

int sqlite_session_get(void *impl, const uint8_t *token_hash, store_session_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_session_get, err);
	store_session x;
	store_user u;
	int rc;

	if (!st)
		return SL_EIO;
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		x.token_hash = token_hash;
		x.login = column_text(st, 0);
		x.csrf = column_text(st, 1);
		x.created = sqlite3_column_int64(st, 2);
		x.last_seen = sqlite3_column_int64(st, 3);
		u.login = x.login;
		u.role = column_text(st, 4);
		u.team = column_text(st, 5);
		u.name = column_text(st, 6);
		u.password = column_text(st, 7);
		u.disabled = sqlite3_column_int(st, 8) != 0;
		rc = cb(ctx, &x, &u, err);
	} else if (rc == SQLITE_DONE) {
		rc = sl_fail(err, SL_ENOTFOUND, "no such session");
	} else {
		rc = sq_fail(s, err, "reading a session");
	}
	sq_reset(st);
	return rc;
}

static int session_by_hash(sqlite_store *s, const char *sql, const uint8_t *token_hash, int64_t value, bool with_value,
                           sl_err *err, const char *what)
{
	sqlite3_stmt *st = sq_stmt(s, sql, err);

	if (!st)
		return SL_EIO;
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
	if (with_value)
		sqlite3_bind_int64(st, 2, value);
	return sq_step_done(s, st, err, what);
}

int sqlite_session_touch(void *impl, const uint8_t *token_hash, int64_t last_seen, sl_err *err)
{
	return session_by_hash(impl, sql_session_touch, token_hash, last_seen, true, err, "touching a session");
}

int sqlite_session_delete(void *impl, const uint8_t *token_hash, sl_err *err)
{
	return session_by_hash(impl, sql_session_delete, token_hash, 0, false, err, "ending a session");
}

int sqlite_session_purge(void *impl, int64_t idle_before, int64_t created_before, sl_err *err)
{
	return sq_run(impl, sql_session_purge, NULL, err, "removing expired sessions", "SS", (uint64_t)idle_before,
	              (uint64_t)created_before);
}

/* ---- login failures ------------------------------------------------------ */

int sqlite_login_failure_add(void *impl, const char *login, int64_t at, const char *client, sl_err *err)
{
	return sq_run(impl, sql_failure_add, NULL, err, "recording a failed sign-in", "tSt", login, (uint64_t)at,
	              client);
}

int sqlite_login_failures(void *impl, const char *login, int64_t since, int64_t *times, unsigned max, unsigned *n,
                          sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_failures, err);
	int rc;

	*n = 0;
	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, login);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		times[(*n)++] = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "reading failed sign-ins");
	sq_reset(st);
	return rc;
}

int sqlite_login_failures_clear(void *impl, const char *login, int64_t before, sl_err *err)
{
	if (login)
		return sq_run(impl, sql_failures_clear_login, NULL, err, "clearing failed sign-ins", "t", login);
	return sq_run(impl, sql_failures_clear_old, NULL, err, "clearing old failed sign-ins", "S", (uint64_t)before);
}

/* ---- partner tokens ------------------------------------------------------ */

int sqlite_token_add(void *impl, const store_token *t, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_token_add, err);
	int rc;

	if (!st)
		return SL_EIO;
	sqlite3_bind_blob(st, 1, t->token_hash, 32, SQLITE_STATIC);
	sq_bind_text(st, 2, t->agency);
	sq_bind_text(st, 3, t->name);
	sq_bind_text(st, 4, t->created_at);
	rc = sq_step_done(s, st, err, "adding a partner token");
	if (rc == SL_ECONFLICT)
		rc = sl_fail(err, SL_ECONFLICT, "agency `%s` already has a token named `%s`", t->agency, t->name);
	return rc;
}

static int token_rows(sqlite_store *s, sqlite3_stmt *st, store_token_cb cb, void *ctx, const uint8_t *hash, sl_err *err)
{
	store_token t;
	int rc, n = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t.token_hash = hash;
		t.agency = column_text(st, 0);
		t.name = column_text(st, 1);
		t.created_at = column_text(st, 2);
		t.revoked_at = column_text(st, 3);
		n++;
		if ((rc = cb(ctx, &t, err)))
			return rc;
	}
	if (rc != SQLITE_DONE)
		return sq_fail(s, err, "reading partner tokens");
	if (hash && n == 0)
		return sl_fail(err, SL_ENOTFOUND, "no such partner token");
	return 0;
}

int sqlite_token_get(void *impl, const uint8_t *token_hash, store_token_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_token_get, err);
	int rc;

	if (!st)
		return SL_EIO;
	sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC);
	rc = token_rows(s, st, cb, ctx, token_hash, err);
	sq_reset(st);
	return rc;
}

int sqlite_token_list(void *impl, store_token_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql_token_list, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing a token list");
	rc = token_rows(s, st, cb, ctx, NULL, err);
	sqlite3_finalize(st);
	return rc;
}

int sqlite_token_revoke(void *impl, const char *agency, const char *name, const char *now, sl_err *err)
{
	int n = 0;
	int rc = sq_run(impl, sql_token_revoke, &n, err, "revoking a partner token", "ttt", agency, name, now);
	if (!rc && n == 0)
		rc = sl_fail(err, SL_ENOTFOUND, "agency `%s` has no live token named `%s`", agency, name);
	return rc;
}

/* ---- the access log's rows ----------------------------------------------- */

int sqlite_access_append(void *impl, const store_event *ev, sl_err *err)
{
	sqlite_store *s = impl;
	return sq_log_append(s, sq_stmt(s, sql_access_append, err), ev, err, "appending to the access log");
}

int sqlite_access_last_seq(void *impl, uint64_t *seq, sl_err *err)
{
	sqlite_store *s = impl;
	return sq_number(s, sq_stmt(s, sql_access_last, err), seq, err, "reading the access log's size");
}

int sqlite_access_scan(void *impl, uint64_t from, uint64_t to, store_event_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql_access_scan, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing an access log scan");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
	sqlite3_bind_int64(st, 2, to ? (sqlite3_int64)to : INT64_MAX);
	rc = sq_log_rows(s, st, cb, ctx, err, "reading the access log");
	sqlite3_finalize(st);
	return rc;
}

int sqlite_access_of_child(void *impl, const char *child, store_event_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql_access_of_child, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(s, err, "preparing an access log read");
	sq_bind_text(st, 1, child);
	rc = sq_log_rows(s, st, cb, ctx, err, "reading the access log");
	sqlite3_finalize(st);
	return rc;
}

/* ---- sealing and grants -------------------------------------------------- */

/* Does the query bound with (a, b) return a row? */
static int has_row(sqlite_store *s, const char *sql, const char *a, const char *b, bool *found, sl_err *err)
{
	sqlite3_stmt *st = sq_stmt(s, sql, err);
	int rc;

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, a);
	if (b)
		sq_bind_text(st, 2, b);
	rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "reading a projection");
	sq_reset(st);
	return rc;
}

int sqlite_seal(void *impl, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err)
{
	bool live;
	int rc = has_row(impl, sql_sealed_live, child, NULL, &live, err);

	if (rc || live)
		return rc;
	return sq_run(impl, sql_seal, NULL, err, "sealing a record", "tStt", child, seq, day, by);
}

int sqlite_unseal(void *impl, const char *child, uint64_t seq, const char *day, const char *by, sl_err *err)
{
	return sq_run(impl, sql_unseal, NULL, err, "unsealing a record", "tStt", child, seq, day, by);
}

int sqlite_grant(void *impl, const char *child, const char *login, uint64_t seq, const char *day, const char *by,
                 sl_err *err)
{
	bool live;
	int rc = has_row(impl, sql_grant_live, child, login, &live, err);

	if (rc || live)
		return rc;
	return sq_run(impl, sql_grant, NULL, err, "recording a grant", "ttStt", child, login, seq, day, by);
}

int sqlite_revoke(void *impl, const char *child, const char *login, uint64_t seq, const char *day, const char *by,
                  sl_err *err)
{
	return sq_run(impl, sql_revoke, NULL, err, "revoking a grant", "ttStt", child, login, seq, day, by);
}

int sqlite_access_facts(void *impl, const char *child, const char *login, store_access_facts *out, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_access_facts, err);
	const char *v;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	sq_bind_text(st, 2, login);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->exists = sqlite3_column_int(st, 0) != 0;
		out->sealed = sqlite3_column_int(st, 1) != 0;
		out->granted = sqlite3_column_int(st, 2) != 0;
		if ((v = column_text(st, 3)))
			snprintf(out->worker, sizeof(out->worker), "%s", v);
		if ((v = column_text(st, 4)))
			snprintf(out->team, sizeof(out->team), "%s", v);
		rc = 0;
	} else {
		rc = sq_fail(s, err, "reading what an access decision needs");
	}
	sq_reset(st);
	return rc;
}
