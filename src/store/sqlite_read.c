/*
 * sqlite_read.c - the read model's queries for the API and the pages
 * (store.h, "reads for the API and pages").
 *
 * Read-only: every statement here is a SELECT, cached by sq_stmt, with
 * every value bound.  A scan hands rows to the caller's callback while its
 * statement is stepping, so a callback must not call the same store
 * function again (it would reset the statement under the scan): the app
 * layer collects ids first and queries each afterwards.
 *
 * Index use: a child's rows come through the (child, ...) indexes and
 * primary keys of migration 2 (episode, concern_child, allocation_child,
 * alert_child, link and link_b, risk_flag_person, event_person).  Two reads
 * have no index to use and scan a table: store_person_by_nhs (person; an
 * index on person(nhs_number) would serve it) and the worker/team alert
 * and caseload queries (allocation by team; allocation(team, to_seq)
 * would).  Both tables hold one row per person or allocation, not per
 * event, so the scans stay small.
 */
#include "util/common.h"
#include "store/sqlite_internal.h"

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static uint64_t col_seq(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? 0 : (uint64_t)sqlite3_column_int64(st, i);
}

/* Step st to the end, calling row(st, cb, ctx) for each row; reset. */
typedef void (*any_cb)(void); /* the caller's typed callback, cast back by row() */
typedef int (*row_fn)(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err);
static int scan(sqlite_store *s, sqlite3_stmt *st, row_fn row, any_cb cb, void *ctx, size_t *rows, sl_err *err,
                const char *what)
{
	size_t n = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		n++;
		if ((rc = row(st, cb, ctx, err)))
			goto done;
	}
	rc = rc == SQLITE_DONE ? 0 : sq_fail(s, err, what);
done:
	sq_reset(st);
	if (rows)
		*rows = n;
	return rc;
}

/* ---- people ---------------------------------------------------------------- */

#define PERSON_COLS                                                                                              \
	"SELECT id, role, name, born, expected, gender, nhs_number, upn, registered_seq, updated_seq, amended_seq" \
	" FROM person"
static const char sql_person_get[] = PERSON_COLS " WHERE id = ?1";
static const char sql_person_by_nhs[] = PERSON_COLS " WHERE nhs_number = ?1 ORDER BY id";

static int person_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_person_row p = {{col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3), col_text(st, 4),
	                       col_text(st, 5), col_text(st, 6), col_text(st, 7), col_seq(st, 8)},
	                      col_seq(st, 9),
	                      col_seq(st, 10)};
	return ((store_person_cb)cb)(ctx, &p, err);
}

int sqlite_person_get(void *impl, const char *id, store_person_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_person_get, err);
	size_t n;
	int rc;

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, id);
	if ((rc = scan(s, st, person_row, (any_cb)cb, ctx, &n, err, "reading a person")))
		return rc;
	return n ? 0 : sl_fail(err, SL_ENOTFOUND, "unknown person %s", id);
}

int sqlite_person_by_nhs(void *impl, const char *nhs_number, store_person_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_person_by_nhs, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, nhs_number);
	return scan(s, st, person_row, (any_cb)cb, ctx, NULL, err, "finding a person by NHS number");
}

/* ---- a child's episodes, plans, concerns, allocation ------------------------- */

static const char sql_child_episodes[] =
	"SELECT child, type, start_seq, start_day, end_seq, end_day, detail FROM episode WHERE child = ?1"
	" ORDER BY type, start_seq";

static int episode_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_episode e = {col_text(st, 0), col_text(st, 1), col_seq(st, 2), col_text(st, 3),
	                   col_seq(st, 4),  col_text(st, 5), col_text(st, 6)};
	return ((store_episode_cb)cb)(ctx, &e, err);
}

int sqlite_child_episodes(void *impl, const char *child, store_episode_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_child_episodes, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	return scan(s, st, episode_row, (any_cb)cb, ctx, NULL, err, "reading a child's episodes");
}

/* cp_category is keyed by plan: the child's plans come from its episodes. */
static const char sql_child_cp_categories[] =
	"SELECT plan_seq, seq, category, from_day FROM cp_category WHERE plan_seq IN"
	" (SELECT start_seq FROM episode WHERE child = ?1 AND type = 'cp_plan') ORDER BY plan_seq, seq";

static int cp_category_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_cp_category c = {col_seq(st, 0), col_seq(st, 1), col_text(st, 2), col_text(st, 3)};
	return ((store_cp_category_cb)cb)(ctx, &c, err);
}

int sqlite_child_cp_categories(void *impl, const char *child, store_cp_category_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_child_cp_categories, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	return scan(s, st, cp_category_row, (any_cb)cb, ctx, NULL, err, "reading CP plan categories");
}

static const char sql_child_concerns[] =
	"SELECT seq, child, day, category, summary, significant_harm, agency, amended_seq,"
	" resolved_seq, resolved_day, resolved_by, rationale FROM concern"
	" WHERE child = ?1 AND (?2 = 0 OR resolved_seq IS NULL) ORDER BY seq";

static int concern_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_concern_row c = {{col_seq(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3), col_text(st, 4),
	                        sqlite3_column_int(st, 5) != 0, col_text(st, 6), col_seq(st, 7)},
	                       {col_seq(st, 8), col_text(st, 9), col_text(st, 10), col_text(st, 11)}};
	return ((store_concern_cb)cb)(ctx, &c, err);
}

int sqlite_child_concerns(void *impl, const char *child, bool open_only, store_concern_cb cb, void *ctx,
                          sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_child_concerns, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	sqlite3_bind_int(st, 2, open_only);
	return scan(s, st, concern_row, (any_cb)cb, ctx, NULL, err, "reading a child's concerns");
}

static const char sql_child_allocation[] =
	"SELECT seq, child, worker, team, from_day FROM allocation WHERE child = ?1 AND to_seq IS NULL"
	" ORDER BY seq DESC LIMIT 1";

static int allocation_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_allocation a = {col_seq(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3), col_text(st, 4)};
	return ((store_allocation_cb)cb)(ctx, &a, err);
}

int sqlite_child_allocation(void *impl, const char *child, store_allocation_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_child_allocation, err);
	size_t n;
	int rc;

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	if ((rc = scan(s, st, allocation_row, (any_cb)cb, ctx, &n, err, "reading a child's allocation")))
		return rc;
	return n ? 0 : sl_fail(err, SL_ENOTFOUND, "%s is not allocated", child);
}

/* allocation_worker (worker, to_seq) serves it */
static const char sql_worker_allocations[] =
	"SELECT seq, child, worker, team, from_day FROM allocation WHERE worker = ?1 AND to_seq IS NULL"
	" ORDER BY seq DESC";

int sqlite_worker_allocations(void *impl, const char *worker, store_allocation_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_worker_allocations, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, worker);
	return scan(s, st, allocation_row, (any_cb)cb, ctx, NULL, err, "reading a worker's allocations");
}

static const char sql_child_allocated_to[] =
	"SELECT 1 FROM allocation WHERE child = ?1 AND to_seq IS NULL"
	" AND ((?2 IS NOT NULL AND worker = ?2) OR (?3 IS NOT NULL AND team = ?3)) LIMIT 1";

int sqlite_child_allocated_to(void *impl, const char *child, const char *worker, const char *team, bool *out,
                              sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_child_allocated_to, err);
	int rc;

	*out = false;
	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	sq_bind_text(st, 2, worker);
	sq_bind_text(st, 3, team);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = true;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "checking an allocation");
	sq_reset(st);
	return rc;
}

/* One row of counts; each subquery runs on an index by child (visits and
 * notes through event_person, as their tables have none).  event_person's
 * chronology index holds each event's kind (migration 4), so one walk of
 * the child's range counts its events, visits and notes, and a second
 * joins only the visits to visit for `seen` (a 5,000-event child: five
 * walks of its range became two). */
#define CHILD_COUNTS_OTHERS                                                                                      \
	" (SELECT count(*) FROM injury WHERE child = ?1),"                                                       \
	" (SELECT count(*) FROM missing WHERE child = ?1),"                                                      \
	" (SELECT count(*) FROM concern WHERE child = ?1 AND resolved_seq IS NULL),"                             \
	" (SELECT count(*) FROM alert WHERE child = ?1 AND resolved_seq IS NULL)"
#define CHILD_COUNTS_SEEN " (SELECT count(*) AS seen, max(day) AS last FROM visit WHERE child = ?1 AND seen = 1) s"
static const char sql_child_counts[] =
	"SELECT e.n, e.visits, s.seen, s.last, e.notes," CHILD_COUNTS_OTHERS
	" FROM (SELECT count(*) AS n, coalesce(sum(kind = 'visit.recorded'), 0) AS visits,"
	"       coalesce(sum(kind = 'note.recorded'), 0) AS notes FROM event_person WHERE person = ?1) e,"
	CHILD_COUNTS_SEEN;
/* The same row without the walk of event_person, whose counts the caller
 * takes from its own walk (sqlite_child_counts_keys). */
static const char sql_child_counts_others[] = "SELECT 0, 0, s.seen, s.last, 0," CHILD_COUNTS_OTHERS
                                              " FROM" CHILD_COUNTS_SEEN;

static int child_counts(sqlite_store *s, const char *sql, const char *child, store_child_tally *out, sl_err *err)
{
	sqlite3_stmt *st = sq_stmt(s, sql, err);
	const char *seen;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, child);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = sq_fail(s, err, "counting a child's records");
		goto done;
	}
	out->events = col_seq(st, 0);
	out->visits = col_seq(st, 1);
	out->visits_seen = col_seq(st, 2);
	seen = col_text(st, 3);
	if (seen && strlen(seen) == 10)
		memcpy(out->last_seen, seen, 11);
	out->notes = col_seq(st, 4);
	out->injuries = col_seq(st, 5);
	out->missing = col_seq(st, 6);
	out->concerns_open = col_seq(st, 7);
	out->alerts_open = col_seq(st, 8);
	rc = 0;
done:
	sq_reset(st);
	return rc;
}

int sqlite_child_counts(void *impl, const char *child, store_child_tally *out, sl_err *err)
{
	return child_counts(impl, sql_child_counts, child, out, err);
}

typedef struct tally_walk {
	store_child_tally *t;
	store_chrono_key_cb cb;
	void *ctx;
} tally_walk;

static int tally_key(void *ctx, const store_chrono_key *k, sl_err *err)
{
	tally_walk *w = ctx;

	/* what sql_child_counts' walk of event_person counts */
	w->t->events++;
	if (k->kind && strcmp(k->kind, "visit.recorded") == 0)
		w->t->visits++;
	else if (k->kind && strcmp(k->kind, "note.recorded") == 0)
		w->t->notes++;
	return w->cb(w->ctx, k, err);
}

/* ---- the network ---------------------------------------------------------- */

static const char sql_person_links[] =
	"SELECT a, b, relation, since_day, since_seq FROM link"
	" WHERE a = ?1 AND since_seq <= ?2 AND (until_seq IS NULL OR until_seq > ?2)"
	" UNION ALL "
	"SELECT a, b, relation, since_day, since_seq FROM link"
	" WHERE b = ?1 AND a <> ?1 AND since_seq <= ?2 AND (until_seq IS NULL OR until_seq > ?2)"
	" ORDER BY 5";

/* A seq bound as SQLite's signed integer: UINT64_MAX ("now") is the
 * largest one. */
static sqlite3_int64 seq_bound(uint64_t max_seq)
{
	return max_seq > (uint64_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)max_seq;
}

static int link_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_link l = {col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3), col_seq(st, 4)};
	return ((store_link_cb)cb)(ctx, &l, err);
}

int sqlite_person_links(void *impl, const char *person, uint64_t max_seq, store_link_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_person_links, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, person);
	sqlite3_bind_int64(st, 2, seq_bound(max_seq));
	return scan(s, st, link_row, (any_cb)cb, ctx, NULL, err, "reading a person's links");
}

static const char sql_person_risk_flags[] =
	"SELECT seq, person, agency, day, summary, risk_to_children, amended_seq FROM risk_flag"
	" WHERE person = ?1 AND seq <= ?2 AND (cleared_seq IS NULL OR cleared_seq > ?2) ORDER BY seq";

static int risk_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_risk_flag r = {col_seq(st, 0),  col_text(st, 1), col_text(st, 2), col_text(st, 3),
	                     col_text(st, 4), sqlite3_column_int(st, 5) != 0, col_seq(st, 6)};
	return ((store_risk_flag_cb)cb)(ctx, &r, err);
}

int sqlite_person_risk_flags(void *impl, const char *person, uint64_t max_seq, store_risk_flag_cb cb, void *ctx,
                             sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_person_risk_flags, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, person);
	sqlite3_bind_int64(st, 2, seq_bound(max_seq));
	return scan(s, st, risk_row, (any_cb)cb, ctx, NULL, err, "reading a person's risk flags");
}

/* ---- alerts ---------------------------------------------------------------- */

/* The child's allocation now is joined for the worker and team filters and
 * for showing whose the alert is; alerts about no child have none. */
static const char sql_alerts[] =
	"SELECT al.ref, al.seq, al.code, al.child, al.raised_on, al.reason, al.evidence,"
	" al.ack_seq, al.ack_day, al.ack_by, al.ack_note,"
	" al.resolved_seq, al.resolved_day, al.resolved_by, al.rationale, c.worker, c.team"
	" FROM alert al LEFT JOIN allocation c ON c.child = al.child AND c.to_seq IS NULL"
	" WHERE (?1 IS NULL OR al.child = ?1) AND (?2 IS NULL OR c.worker = ?2) AND (?3 IS NULL OR c.team = ?3)"
	" AND (?4 OR al.resolved_seq IS NULL) AND (?6 IS NULL OR al.code = ?6)"
	" ORDER BY al.raised_on DESC, al.seq DESC LIMIT ?5";

static int alert_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_alert_row a = {
		{col_text(st, 0), col_seq(st, 1), col_text(st, 2), col_text(st, 3), col_text(st, 4), col_text(st, 5),
	         col_text(st, 6)},
		{col_seq(st, 7), col_text(st, 8), col_text(st, 9), col_text(st, 10)},
		{col_seq(st, 11), col_text(st, 12), col_text(st, 13), col_text(st, 14)},
		col_text(st, 15),
		col_text(st, 16)};
	return ((store_alert_cb)cb)(ctx, &a, err);
}

int sqlite_alerts(void *impl, const store_alert_query *q, store_alert_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_alerts, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, q->child);
	sq_bind_text(st, 2, q->worker);
	sq_bind_text(st, 3, q->team);
	sqlite3_bind_int(st, 4, q->include_resolved);
	sqlite3_bind_int64(st, 5, q->limit ? (sqlite3_int64)q->limit : -1);
	sq_bind_text(st, 6, q->code);
	return scan(s, st, alert_row, (any_cb)cb, ctx, NULL, err, "reading alerts");
}

/* ---- the chronology ---------------------------------------------------------- */

/* The sort key is occurred_at as written, cut before any fraction: a
 * date-only value is a prefix of that day's timestamps, so it sorts first
 * in its day (DESIGN 6.1.2); offsets are ignored, as the rules ignore
 * them.  The key, kind and agency are columns of event_person with an
 * index on (person, occ, seq, kind, agency) (migration 4), so the first
 * phase - choosing the page's seqs, filters applied - walks one range of
 * that index and touches no ledger row; the second reads the page's rows.
 * Two statements for the first phase because ORDER BY's direction cannot
 * be bound. */
#define CHRONO_KEYS                                                                                              \
	"SELECT seq FROM event_person WHERE person = ?1"                                                         \
	" AND (?2 IS NULL OR kind IN (SELECT value FROM json_each(?2)))"                                         \
	" AND (?3 IS NULL OR agency = ?3)"                                                                       \
	" AND (?4 IS NULL OR substr(occ, 1, 10) >= ?4) AND (?5 IS NULL OR substr(occ, 1, 10) <= ?5)"         \
	" AND (?9 = 0 OR seq <= ?9)"
static const char sql_chrono_desc[] =
	CHRONO_KEYS " AND (?6 IS NULL OR occ < ?6 OR (occ = ?6 AND seq < ?7)) ORDER BY occ DESC, seq DESC LIMIT ?8";
static const char sql_chrono_asc[] =
	CHRONO_KEYS " AND (?6 IS NULL OR occ > ?6 OR (occ = ?6 AND seq > ?7)) ORDER BY occ, seq LIMIT ?8";
static const char sql_chrono_row[] =
	"SELECT seq, recorded_at, kind, event, json_extract(event, '$.occurred_at'),"
	" coalesce(json_extract(event, '$.data.agency'), json_extract(event, '$.by.agency'), 'social_care'),"
	" EXISTS (SELECT 1 FROM amendment WHERE target_seq = ?1 AND status = 'approved')"
	" FROM ledger WHERE seq = ?1";
/* The cursor's key, and whether the cursor is one of the person's events. */
static const char sql_chrono_cursor[] = "SELECT occ FROM event_person WHERE person = ?1 AND seq = ?2";

static int seq_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	uint64_t **next = ctx;
	(void)cb;
	(void)err;
	*(*next)++ = col_seq(st, 0);
	return 0;
}

static int chrono_item(sqlite_store *s, uint64_t seq, store_chrono_cb cb, void *ctx, sl_err *err)
{
	sqlite3_stmt *st = sq_stmt(s, sql_chrono_row, err);
	store_chrono_item it;
	int rc;

	if (!st)
		return SL_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? sl_fail(err, SL_ENOTFOUND, "no event with seq %llu", (unsigned long long)seq)
		                       : sq_fail(s, err, "reading a chronology item");
		sq_reset(st);
		return rc;
	}
	it = (store_chrono_item){{col_seq(st, 0), col_text(st, 1), col_text(st, 2), NULL, col_text(st, 3),
	                          (size_t)sqlite3_column_bytes(st, 3)},
	                         col_text(st, 4),
	                         col_text(st, 5),
	                         sqlite3_column_int(st, 6) != 0};
	rc = cb(ctx, &it, err);
	sq_reset(st);
	return rc;
}

int sqlite_chronology(void *impl, const store_chrono_query *q, store_chrono_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, q->oldest_first ? sql_chrono_asc : sql_chrono_desc, err);
	sqlite3_stmt *cur = st ? sq_stmt(s, sql_chrono_cursor, err) : NULL;
	uint64_t *seqs = NULL, *next;
	unsigned limit = q->limit ? q->limit : 1000;
	char *key = NULL;
	size_t i, n;
	int rc;

	if (!cur)
		return SL_EIO;
	if (q->after_seq) {
		sq_bind_text(cur, 1, q->person);
		sqlite3_bind_int64(cur, 2, (sqlite3_int64)q->after_seq);
		rc = sqlite3_step(cur);
		if (rc == SQLITE_ROW && col_text(cur, 0))
			key = xstrdup(col_text(cur, 0));
		else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			rc = sl_fail(err, SL_EINVAL, "the cursor %llu is not an event of %s's chronology",
			             (unsigned long long)q->after_seq, q->person);
		else
			rc = sq_fail(s, err, "reading the chronology's cursor");
		sq_reset(cur);
		if (!key)
			return rc;
	}
	seqs = xcalloc(limit, sizeof(*seqs));
	next = seqs;
	sq_bind_text(st, 1, q->person);
	sq_bind_text(st, 2, q->kinds);
	sq_bind_text(st, 3, q->agency);
	sq_bind_text(st, 4, q->from_day);
	sq_bind_text(st, 5, q->to_day);
	sq_bind_text(st, 6, key);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)q->after_seq);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)limit);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)q->max_seq);
	rc = scan(s, st, seq_row, NULL, &next, &n, err, "reading a chronology");
	/* the page's rows, read after the sort's statement is reset */
	for (i = 0; !rc && i < n; i++)
		rc = chrono_item(s, seqs[i], cb, ctx, err);
	free(seqs);
	free(key);
	return rc;
}

/* The whole chronology's keys for a timeline: the same range of the same
 * index as a page, every row, no ledger row read. */
static const char sql_chrono_keys[] =
	"SELECT seq, occ, kind, agency FROM event_person WHERE person = ?1"
	" AND (?2 IS NULL OR kind IN (SELECT value FROM json_each(?2)))"
	" AND (?3 IS NULL OR agency = ?3)"
	" AND (?4 IS NULL OR substr(occ, 1, 10) >= ?4) AND (?5 IS NULL OR substr(occ, 1, 10) <= ?5)"
	" AND (?6 = 0 OR seq <= ?6) ORDER BY occ, seq";

static int chrono_key_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_chrono_key k = {col_seq(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3)};
	return ((store_chrono_key_cb)cb)(ctx, &k, err);
}

int sqlite_chronology_keys(void *impl, const store_chrono_query *q, store_chrono_key_cb cb, void *ctx,
                           sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_chrono_keys, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, q->person);
	sq_bind_text(st, 2, q->kinds);
	sq_bind_text(st, 3, q->agency);
	sq_bind_text(st, 4, q->from_day);
	sq_bind_text(st, 5, q->to_day);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)q->max_seq);
	return scan(s, st, chrono_key_row, (any_cb)cb, ctx, NULL, err, "reading a chronology's keys");
}

/* sql_chrono_keys with no filter: the same rows of the same index, without
 * five filter tests per row that cannot fail. */
static const char sql_chrono_keys_all[] = "SELECT seq, occ, kind, agency FROM event_person WHERE person = ?1"
                                          " ORDER BY occ, seq";

int sqlite_child_counts_keys(void *impl, const char *child, store_child_tally *out, store_chrono_key_cb cb, void *ctx,
                             sl_err *err)
{
	sqlite_store *s = impl;
	tally_walk w = {out, cb, ctx};
	sqlite3_stmt *st;
	int rc;

	if ((rc = child_counts(s, sql_child_counts_others, child, out, err)))
		return rc;
	if (!(st = sq_stmt(s, sql_chrono_keys_all, err)))
		return SL_EIO;
	sq_bind_text(st, 1, child);
	return scan(s, st, chrono_key_row, (any_cb)tally_key, &w, NULL, err, "reading a chronology's keys");
}

/* ---- caseloads -------------------------------------------------------------- */

static const char sql_caseloads[] =
	"SELECT c.worker, c.team, count(*), coalesce(sum(x.open), 0), coalesce(sum(x.overdue), 0)"
	" FROM allocation c LEFT JOIN (SELECT child, count(*) AS open,"
	"  sum(code IN (SELECT value FROM json_each(?3))) AS overdue"
	"  FROM alert WHERE resolved_seq IS NULL GROUP BY child) x ON x.child = c.child"
	" WHERE c.to_seq IS NULL AND (?1 IS NULL OR c.team = ?1) AND (?2 IS NULL OR c.worker = ?2)"
	" GROUP BY c.worker, c.team ORDER BY c.team, c.worker";

static int caseload_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_caseload c = {col_text(st, 0), col_text(st, 1), col_seq(st, 2), col_seq(st, 3), col_seq(st, 4)};
	return ((store_caseload_cb)cb)(ctx, &c, err);
}

int sqlite_caseloads(void *impl, const char *team, const char *worker, const char *overdue_codes,
                     store_caseload_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_caseloads, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, team);
	sq_bind_text(st, 2, worker);
	sq_bind_text(st, 3, overdue_codes ? overdue_codes : "[]");
	return scan(s, st, caseload_row, (any_cb)cb, ctx, NULL, err, "reading caseloads");
}

/* ---- amendment requests ----------------------------------------------------------- */

static const char sql_amendments_pending[] =
	"SELECT request_seq, target_seq, decided_seq, requester, status, data FROM amendment"
	" WHERE status = 'pending' ORDER BY request_seq";
static const char sql_amendment_requests_of[] =
	"SELECT request_seq, target_seq, decided_seq, requester, status, data FROM amendment"
	" WHERE target_seq = ?1 ORDER BY request_seq";

static int amendment_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_amendment a = {col_seq(st, 0), col_seq(st, 1), col_seq(st, 2), col_text(st, 3), col_text(st, 4),
	                     col_text(st, 5)};
	return ((store_amendment_cb)cb)(ctx, &a, err);
}

int sqlite_amendments_pending(void *impl, store_amendment_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_amendments_pending, err);

	if (!st)
		return SL_EIO;
	return scan(s, st, amendment_row, (any_cb)cb, ctx, NULL, err, "reading pending amendments");
}

int sqlite_amendment_requests_of(void *impl, uint64_t target_seq, store_amendment_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_amendment_requests_of, err);

	if (!st)
		return SL_EIO;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)target_seq);
	return scan(s, st, amendment_row, (any_cb)cb, ctx, NULL, err, "reading an event's amendment requests");
}

/* ---- events of one kind (break-glass notices) ---------------------------------------- */

static const char sql_events_of_kind_team[] =
	"SELECT l.seq, l.recorded_at, l.kind, l.event FROM allocation c JOIN event_person p ON p.person = c.child"
	" JOIN ledger l ON l.seq = p.seq WHERE c.team = ?2 AND c.to_seq IS NULL AND l.kind = ?1"
	" ORDER BY l.seq DESC LIMIT ?3";
static const char sql_events_of_kind_all[] =
	"SELECT seq, recorded_at, kind, event FROM ledger WHERE kind = ?1 ORDER BY seq DESC LIMIT ?3";

static int kind_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_event ev = {col_seq(st, 0),  col_text(st, 1), col_text(st, 2), NULL,
	                  col_text(st, 3), (size_t)sqlite3_column_bytes(st, 3)};
	return ((store_event_cb)cb)(ctx, &ev, err);
}

int sqlite_events_of_kind(void *impl, const char *kind, const char *team, unsigned limit, store_event_cb cb,
                          void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, team ? sql_events_of_kind_team : sql_events_of_kind_all, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, kind);
	if (team)
		sq_bind_text(st, 2, team);
	sqlite3_bind_int64(st, 3, limit ? (sqlite3_int64)limit : -1);
	return scan(s, st, kind_row, (any_cb)cb, ctx, NULL, err, "reading events of a kind");
}

/* ---- the managers' and the director's lists and measures (app/measures.c) ---------- */

/* Episodes of some types, by child then start: the measures walk each
 * child's history once.  No index leads with type, so this scans the
 * episode table (a few rows per child, not per event). */
static const char sql_episodes_of_types[] =
	"SELECT child, type, start_seq, start_day, end_seq, end_day, detail FROM episode"
	" WHERE type IN (SELECT value FROM json_each(?1)) ORDER BY child, start_seq";

int sqlite_episodes_of_types(void *impl, const char *types, store_episode_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_episodes_of_types, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, types);
	return scan(s, st, episode_row, (any_cb)cb, ctx, NULL, err, "reading episodes");
}

static const char sql_alerts_by_month[] =
	"SELECT substr(raised_on, 1, 7), code, count(*) FROM alert WHERE raised_on >= ?1 GROUP BY 1, 2 ORDER BY 1, 2";

static int month_count_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	return ((store_month_count_cb)cb)(ctx, col_text(st, 0), col_text(st, 1), col_seq(st, 2), err);
}

int sqlite_alerts_by_month(void *impl, const char *from_day, store_month_count_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_alerts_by_month, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, from_day);
	return scan(s, st, month_count_row, (any_cb)cb, ctx, NULL, err, "counting alerts by month");
}

static const char sql_escalations[] =
	"SELECT seq, raised_to, child, day, summary, amended_seq, answered_seq, answered_day, answered_by, response"
	" FROM escalation WHERE (?1 IS NULL OR raised_to = ?1) AND (?2 = 0 OR answered_seq IS NULL)"
	" ORDER BY day, seq";

static int escalation_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_escalation_row e = {{col_seq(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3), col_text(st, 4),
	                           col_seq(st, 5)},
	                          {col_seq(st, 6), col_text(st, 7), col_text(st, 8), col_text(st, 9)}};
	return ((store_escalation_cb)cb)(ctx, &e, err);
}

int sqlite_escalations(void *impl, const char *to, bool open_only, store_escalation_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_escalations, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, to);
	sqlite3_bind_int(st, 2, open_only);
	return scan(s, st, escalation_row, (any_cb)cb, ctx, NULL, err, "reading escalations");
}

/* Seen visits of the children who have had an episode of some types, by
 * child then day, with the visit's seq for the measures' evidence. */
static const char sql_seen_visits_of[] =
	"SELECT child, seq, day FROM visit WHERE seen AND child IN"
	" (SELECT child FROM episode WHERE type IN (SELECT value FROM json_each(?1))) ORDER BY child, day, seq";

static int child_visit_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	return ((store_child_visit_cb)cb)(ctx, col_text(st, 0), col_seq(st, 1), col_text(st, 2), err);
}

int sqlite_seen_visits_of(void *impl, const char *types, store_child_visit_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_seen_visits_of, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, types);
	return scan(s, st, child_visit_row, (any_cb)cb, ctx, NULL, err, "reading seen visits");
}

/* Every allocation with its end (to_seq NULL: current), by child then seq. */
static const char sql_allocations_all[] =
	"SELECT seq, to_seq, child, worker, team, from_day, to_day FROM allocation ORDER BY child, seq";

static int allocation_span_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	store_allocation_span a = {col_seq(st, 0), col_seq(st, 1), col_text(st, 2), col_text(st, 3),
	                           col_text(st, 4), col_text(st, 5), col_text(st, 6)};
	return ((store_allocation_span_cb)cb)(ctx, &a, err);
}

int sqlite_allocations_all(void *impl, store_allocation_span_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_allocations_all, err);

	if (!st)
		return SL_EIO;
	return scan(s, st, allocation_span_row, (any_cb)cb, ctx, NULL, err, "reading allocations");
}

/* Open cases with no worker now: the child's name, the day the case
 * opened, and the team of its last allocation (NULL: never allocated). */
static const char sql_unallocated[] =
	"SELECT e.child, p.name, e.start_day,"
	" (SELECT team FROM allocation a WHERE a.child = e.child ORDER BY a.seq DESC LIMIT 1)"
	" FROM episode e JOIN person p ON p.id = e.child WHERE e.type = 'case' AND e.end_seq IS NULL"
	" AND NOT EXISTS (SELECT 1 FROM allocation a WHERE a.child = e.child AND a.to_seq IS NULL)"
	" ORDER BY e.start_day, e.child";

static int unallocated_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	return ((store_unallocated_cb)cb)(ctx, col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
	                                  err);
}

int sqlite_unallocated(void *impl, store_unallocated_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_unallocated, err);

	if (!st)
		return SL_EIO;
	return scan(s, st, unallocated_row, (any_cb)cb, ctx, NULL, err, "reading unallocated children");
}

/* A reviewer's live grants (the access_grant_login index). */
static const char sql_grants_of[] =
	"SELECT g.child, p.name, g.granted_day, g.granted_by FROM access_grant g LEFT JOIN person p ON p.id = g.child"
	" WHERE g.login = ?1 AND g.revoked_seq IS NULL ORDER BY g.child, g.granted_seq";

static int grant_row(sqlite3_stmt *st, any_cb cb, void *ctx, sl_err *err)
{
	return ((store_grant_cb)cb)(ctx, col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3), err);
}

int sqlite_grants_of(void *impl, const char *login, store_grant_cb cb, void *ctx, sl_err *err)
{
	sqlite_store *s = impl;
	sqlite3_stmt *st = sq_stmt(s, sql_grants_of, err);

	if (!st)
		return SL_EIO;
	sq_bind_text(st, 1, login);
	return scan(s, st, grant_row, (any_cb)cb, ctx, NULL, err, "reading a user's grants");
}
