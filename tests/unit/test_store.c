/*
 * test_store.c - the SQLite backend through the store interface, plus the
 * append-only triggers checked from a raw SQLite connection (as an
 * operator's sqlite3 shell would meet them).  The second half covers the
 * read model's store functions, checked through the canonical dump, and a
 * few projections driven through project_apply (alerts, whose kind only the
 * rules engine appends; the CP plan's category history).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <unistd.h>

#include "util/common.h"
#include "domain/project.h"
#include "ledger/jcs.h"
#include "store/store.h"

typedef struct fixture {
	char dir[64];
	char path[128];
	store *s;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	sl_err err = {0};
	snprintf(f->dir, sizeof(f->dir), "/tmp/sl-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s, &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[200];
	store_close(f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void append(store *s, uint64_t seq, const char *event)
{
	static const uint8_t salt[32] = {1, 2, 3};
	store_event ev = {seq, "2026-01-01T00:00:00.000Z", "note.recorded", salt, event, strlen(event)};
	sl_err err = {0};
	assert_int_equal(store_event_append(s, &ev, &err), 0);
}

static void test_open_applies_migrations_once(void **state)
{
	fixture *f = *state;
	store *again = NULL;
	sl_err err = {0};
	int v1 = 0, v2 = 0;
	assert_int_equal(store_schema_version(f->s, &v1, &err), 0);
	assert_true(v1 >= 1);
	assert_int_equal(store_open(f->path, 0, &again, &err), 0);
	assert_int_equal(store_schema_version(again, &v2, &err), 0);
	assert_int_equal(v1, v2);
	store_close(again);
}

static void test_open_missing_file_names_it(void **state)
{
	store *s = NULL;
	sl_err err = {0};
	(void)state;
	assert_int_equal(store_open("/tmp/definitely/not/here.db", 0, &s, &err), SL_EIO);
	assert_non_null(strstr(err.msg, "/tmp/definitely/not/here.db"));
	assert_null(s);
}

static void test_events_round_trip_in_seq_order(void **state)
{
	fixture *f = *state;
	store_event_copy c;
	sl_err err = {0};
	uint64_t last = 99;

	assert_int_equal(store_event_last_seq(f->s, &last, &err), 0);
	assert_int_equal(last, 0);
	append(f->s, 1, "{\"a\":1}");
	append(f->s, 2, "{\"a\":2}");
	assert_int_equal(store_event_last_seq(f->s, &last, &err), 0);
	assert_int_equal(last, 2);
	assert_int_equal(store_event_get(f->s, 2, &c, &err), 0);
	assert_string_equal(c.ev.event, "{\"a\":2}");
	assert_string_equal(c.ev.kind, "note.recorded");
	assert_int_equal(c.ev.salt[1], 2);
	store_event_release(&c);
	assert_int_equal(store_event_get(f->s, 3, &c, &err), SL_ENOTFOUND);
}

static void test_duplicate_seq_is_a_conflict(void **state)
{
	fixture *f = *state;
	static const uint8_t salt[32];
	store_event ev = {1, "t", "k", salt, "{}", 2};
	sl_err err = {0};
	append(f->s, 1, "{}");
	assert_int_equal(store_event_append(f->s, &ev, &err), SL_ECONFLICT);
}

static void test_ledger_refuses_update_and_delete(void **state)
{
	fixture *f = *state;
	sqlite3 *db;
	char *msg = NULL;

	append(f->s, 1, "{\"x\":1}");
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE ledger SET event = '{}' WHERE seq = 1", NULL, NULL, &msg),
	                     SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM ledger", NULL, NULL, &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	sqlite3_close(db);
}

static void test_tiles_round_trip_and_give_tree_size(void **state)
{
	fixture *f = *state;
	uint8_t full[256 * 32], got[256 * 32];
	unsigned count = 0;
	uint64_t size = 1;
	sl_err err = {0};

	assert_int_equal(store_tile_tree_size(f->s, STORE_LOG_CASES, &size, &err), 0);
	assert_int_equal(size, 0);
	memset(full, 0xab, sizeof(full));
	assert_int_equal(store_tile_write(f->s, STORE_LOG_CASES, 0, 0, full, 256, &err), 0);
	assert_int_equal(store_tile_write(f->s, STORE_LOG_CASES, 0, 1, full, 3, &err), 0);
	assert_int_equal(store_tile_tree_size(f->s, STORE_LOG_CASES, &size, &err), 0);
	assert_int_equal(size, 259);
	assert_int_equal(store_tile_read(f->s, STORE_LOG_CASES, 0, 1, got, &count, &err), 0);
	assert_int_equal(count, 3);
	assert_int_equal(store_tile_read(f->s, STORE_LOG_ACCESS, 0, 1, got, &count, &err), SL_ENOTFOUND);
	assert_int_equal(store_tile_write(f->s, STORE_LOG_CASES, 0, 2, full, 0, &err), SL_EINVAL);
}

static void test_ref_reuse_is_refused_naming_the_ref(void **state)
{
	fixture *f = *state;
	uint64_t seq = 0;
	sl_err err = {0};
	assert_int_equal(store_ref_put(f->s, "visit-1", 4, &err), 0);
	assert_int_equal(store_ref_put(f->s, "visit-1", 5, &err), SL_ECONFLICT);
	assert_non_null(strstr(err.msg, "visit-1"));
	assert_int_equal(store_ref_get(f->s, "visit-1", &seq, &err), 0);
	assert_int_equal(seq, 4);
}

static int count_cb(void *ctx, const store_amendment *a, sl_err *err)
{
	(void)err;
	(void)a;
	(*(int *)ctx)++;
	return 0;
}

static void test_amendment_is_decided_once(void **state)
{
	fixture *f = *state;
	sl_err err = {0};
	int n = 0;
	assert_int_equal(store_amendment_put(f->s, 10, 3, "alice", "{\"summary\":\"x\"}", &err), 0);
	assert_int_equal(store_amendment_decide(f->s, 10, "approved", 11, &err), 0);
	assert_int_equal(store_amendment_decide(f->s, 10, "rejected", 12, &err), SL_ECONFLICT);
	assert_int_equal(store_amendments_of(f->s, 3, count_cb, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_amendment_get(f->s, 99, count_cb, &n, &err), SL_ENOTFOUND);
}

static void test_rollback_discards_the_transaction(void **state)
{
	fixture *f = *state;
	uint64_t last = 0;
	sl_err err = {0};
	assert_int_equal(store_begin(f->s, &err), 0);
	append(f->s, 1, "{}");
	store_rollback(f->s);
	assert_int_equal(store_event_last_seq(f->s, &last, &err), 0);
	assert_int_equal(last, 0);
}

static void test_meta_missing_key_is_not_found(void **state)
{
	fixture *f = *state;
	char *v = NULL;
	sl_err err = {0};
	assert_int_equal(store_meta_get(f->s, "origin", &v, &err), SL_ENOTFOUND);
	assert_int_equal(store_meta_put(f->s, "origin", "a", &err), 0);
	assert_int_equal(store_meta_put(f->s, "origin", "b", &err), 0);
	assert_int_equal(store_meta_get(f->s, "origin", &v, &err), 0);
	assert_string_equal(v, "b");
	free(v);
}

/* ---- the read model ------------------------------------------------------ */

typedef struct rows_ctx {
	const char *table;
	buf out;
} rows_ctx;

static int collect_row(void *ctx, const char *table, size_t ncols, const char *const *names,
                       const char *const *values, sl_err *err)
{
	rows_ctx *r = ctx;
	size_t i;
	(void)names;
	(void)err;
	if (!values || strcmp(table, r->table) != 0)
		return 0;
	for (i = 0; i < ncols; i++)
		buf_printf(&r->out, "%s%s", i ? "|" : "", values[i] ? values[i] : "-");
	buf_puts(&r->out, "\n");
	return 0;
}

/* A table's rows as "v|v|v\n" lines in dump order (NULL as "-"). */
static char *rows(store *s, const char *table)
{
	rows_ctx r = {table, BUF_INIT};
	sl_err err = {0};
	char *text;
	assert_int_equal(store_projection_dump(s, collect_row, &r, &err), 0);
	text = buf_detach(&r.out);
	return text ? text : xstrdup("");
}

static void assert_rows(store *s, const char *table, const char *want)
{
	char *got = rows(s, table);
	assert_string_equal(got, want);
	free(got);
}

static void test_person_update_keeps_fields_it_does_not_name(void **state)
{
	fixture *f = *state;
	store_person reg = {"K1", "child", "Kit", "2019-03-01", NULL, "male", NULL, NULL, 1};
	store_person upd = {"K1", NULL, "Kat", NULL, NULL, NULL, "9434765919", NULL, 7};
	sl_err err = {0};
	char *role = NULL;

	assert_int_equal(store_person_register(f->s, &reg, &err), 0);
	assert_int_equal(store_person_update(f->s, &upd, &err), 0);
	assert_int_equal(store_person_amended(f->s, "K1", 9, &err), 0);
	assert_rows(f->s, "person", "K1|child|1|Kat|2019-03-01|-|male|9434765919|-|7|9\n");
	assert_int_equal(store_person_role(f->s, "K1", &role, &err), 0);
	assert_string_equal(role, "child");
	free(role);
	/* Registering again (an amendment's replay) resets every field. */
	assert_int_equal(store_person_register(f->s, &reg, &err), 0);
	assert_rows(f->s, "person", "K1|child|1|Kit|2019-03-01|-|male|-|-|-|-\n");
}

static void test_link_is_added_once_while_live_and_ended(void **state)
{
	fixture *f = *state;
	sl_err err = {0};

	assert_int_equal(store_link_add(f->s, "M1", "K1", "mother", 3, "2024-01-01", &err), 0);
	assert_int_equal(store_link_add(f->s, "M1", "K1", "mother", 4, "2024-01-02", &err), 0);
	assert_int_equal(store_link_end(f->s, "M1", "K1", "mother", 5, "2024-01-03", &err), 0);
	assert_int_equal(store_link_end(f->s, "M1", "K1", "mother", 6, "2024-01-04", &err), 0);
	assert_int_equal(store_link_add(f->s, "M1", "K1", "mother", 8, "2024-01-05", &err), 0);
	assert_rows(f->s, "link", "M1|K1|mother|3|2024-01-01|5|2024-01-03\nM1|K1|mother|8|2024-01-05|-|-\n");
}

static void test_episode_opens_unless_open_and_ends_with_detail(void **state)
{
	fixture *f = *state;
	store_episode a = {"K1", "assessment", 10, "2024-02-01", 0, NULL, NULL};
	store_episode b = {"K1", "assessment", 11, "2024-02-02", 0, NULL, NULL};
	store_episode p = {"K1", "cp_plan", 12, "2024-02-03", 0, NULL, "{\"category\":\"neglect\"}"};
	uint64_t start = 0;
	unsigned ended = 9;
	char *detail = NULL;
	sl_err err = {0};

	assert_int_equal(store_episode_start(f->s, &a, true, &err), 0);
	assert_int_equal(store_episode_start(f->s, &b, true, &err), 0); /* part of the open one */
	assert_int_equal(store_episode_end(f->s, "K1", "assessment", 20, "2024-03-01", "{\"outcome\":\"nfa\"}", &ended,
	                                   &err), 0);
	assert_int_equal(ended, 1);
	assert_int_equal(store_episode_end(f->s, "K1", "assessment", 21, "2024-03-02", NULL, &ended, &err), 0);
	assert_int_equal(ended, 0);
	assert_int_equal(store_episode_open(f->s, "K1", "cp_plan", &start, &detail, &err), SL_ENOTFOUND);
	assert_int_equal(store_episode_start(f->s, &p, false, &err), 0);
	assert_int_equal(store_episode_open(f->s, "K1", "cp_plan", &start, &detail, &err), 0);
	assert_int_equal(start, 12);
	assert_string_equal(detail, "{\"category\":\"neglect\"}");
	free(detail);
	assert_int_equal(store_episode_detail(f->s, "K1", "cp_plan", 12, "{\"category\":\"physical\"}", &err), 0);
	assert_int_equal(store_cp_category_add(f->s, 12, 12, "K1", "neglect", "2024-02-03", &err), 0);
	assert_int_equal(store_cp_category_add(f->s, 12, 30, "K1", "physical", "2024-05-03", &err), 0);
	assert_rows(f->s, "episode",
	            "K1|assessment|10|2024-02-01|20|2024-03-01|{\"outcome\":\"nfa\"}\n"
	            "K1|cp_plan|12|2024-02-03|-|-|{\"category\":\"physical\"}\n");
	assert_rows(f->s, "cp_category", "12|12|K1|neglect|2024-02-03\n12|30|K1|physical|2024-05-03\n");
}

static void test_visit_put_again_replaces_facts_and_marks_amended(void **state)
{
	fixture *f = *state;
	store_visit v = {4, "K1", "2024-02-02", true, -1, 0};
	store_note n = {5, "K1", "2024-02-03", "supervision", 0};
	sl_err err = {0};

	assert_int_equal(store_visit_put(f->s, &v, &err), 0);
	assert_int_equal(store_note_put(f->s, &n, &err), 0);
	v.seen = false;
	v.seen_alone = 0;
	v.amended_seq = 9;
	assert_int_equal(store_visit_put(f->s, &v, &err), 0);
	assert_rows(f->s, "visit", "4|K1|2024-02-02|0|0|9\n");
	assert_rows(f->s, "note", "5|K1|2024-02-03|supervision|-\n");
}

static void test_concern_is_resolved_once_and_amended_without_reopening(void **state)
{
	fixture *f = *state;
	store_concern k = {6, "K1", "2024-02-05", "neglect", "Poor home", true, "health", 0};
	store_closing first = {8, "2024-02-10", "sw1", "Cleaned"}, second = {9, "2024-02-11", "sw2", "Again"};
	sl_err err = {0};

	assert_int_equal(store_concern_put(f->s, &k, &err), 0);
	assert_int_equal(store_concern_resolve(f->s, 6, &first, &err), 0);
	assert_int_equal(store_concern_resolve(f->s, 6, &second, &err), 0);
	k.category = "emotional";
	k.amended_seq = 12;
	assert_int_equal(store_concern_put(f->s, &k, &err), 0);
	assert_rows(f->s, "concern", "6|K1|2024-02-05|emotional|Poor home|1|health|8|2024-02-10|sw1|Cleaned|12\n");
}

static void test_missing_interview_attaches_to_latest_ended_episode(void **state)
{
	fixture *f = *state;
	sl_err err = {0};

	assert_int_equal(store_missing_start(f->s, "K1", 10, "2024-03-01", "[\"cse\"]", &err), 0);
	assert_int_equal(store_missing_end(f->s, "K1", 11, "2024-03-02", 0, &err), 0);
	assert_int_equal(store_missing_start(f->s, "K1", 12, "2024-03-05", NULL, &err), 0);
	assert_int_equal(store_missing_end(f->s, "K1", 13, "2024-03-06", -1, &err), 0);
	assert_int_equal(store_missing_start(f->s, "K1", 14, "2024-03-07", NULL, &err), 0); /* still missing */
	assert_int_equal(store_missing_interview(f->s, "K1", 15, "2024-03-08", &err), 0);
	assert_int_equal(store_missing_interview(f->s, "K1", 16, "2024-03-09", &err), 0);
	assert_int_equal(store_missing_interview(f->s, "K1", 17, "2024-03-10", &err), 0); /* none left */
	assert_rows(f->s, "missing",
	            "10|K1|2024-03-01|[\"cse\"]|11|2024-03-02|0|16|2024-03-09\n"
	            "12|K1|2024-03-05|-|13|2024-03-06|-|15|2024-03-08\n"
	            "14|K1|2024-03-07|-|-|-|-|-|-\n");
}

static void test_allocation_ends_the_previous_one_and_closure_frees_the_worker(void **state)
{
	fixture *f = *state;
	sl_err err = {0};

	assert_int_equal(store_allocation_start(f->s, "K1", "sw1", "A", 3, "2024-01-01", &err), 0);
	assert_int_equal(store_allocation_start(f->s, "K2", "sw1", NULL, 4, "2024-01-02", &err), 0);
	assert_int_equal(store_allocation_start(f->s, "K1", "sw2", "B", 5, "2024-01-03", &err), 0);
	assert_int_equal(store_allocation_end(f->s, "K1", 6, "2024-01-04", &err), 0);
	assert_rows(f->s, "allocation",
	            "3|K1|sw1|A|2024-01-01|5|2024-01-03\n4|K2|sw1|-|2024-01-02|-|-\n5|K1|sw2|B|2024-01-03|6|2024-01-04\n");
}

static void test_risk_flags_clear_per_person_and_agency(void **state)
{
	fixture *f = *state;
	store_risk_flag police = {3, "F1", "police", "2024-01-01", "Conviction", true, 0};
	store_risk_flag health = {4, "F1", "health", "2024-01-02", "Drinking", false, 0};
	store_closing clear = {5, "2024-01-03", "ds1", "Quashed"};
	sl_err err = {0};

	assert_int_equal(store_risk_flag_put(f->s, &police, &err), 0);
	assert_int_equal(store_risk_flag_put(f->s, &health, &err), 0);
	assert_int_equal(store_risk_clear(f->s, "F1", "police", &clear, &err), 0);
	assert_rows(f->s, "risk_flag",
	            "3|F1|police|2024-01-01|Conviction|1|5|2024-01-03|ds1|Quashed|-\n"
	            "4|F1|health|2024-01-02|Drinking|0|-|-|-|-|-\n");
}

static void test_escalation_and_injury_rows(void **state)
{
	fixture *f = *state;
	store_escalation e = {3, "manager", NULL, "2024-01-01", "Drift", 0};
	store_injury i = {4, "K1", "2024-01-02", "Bruise", "health", NULL, "Fell", 0};
	store_closing answer = {5, "2024-01-03", "tm1", "Agreed"}, late = {6, "2024-01-04", "tm2", "Late"};
	sl_err err = {0};

	assert_int_equal(store_escalation_put(f->s, &e, &err), 0);
	assert_int_equal(store_escalation_answer(f->s, 3, &answer, &err), 0);
	assert_int_equal(store_escalation_answer(f->s, 3, &late, &err), 0);
	assert_int_equal(store_injury_put(f->s, &i, &err), 0);
	assert_rows(f->s, "escalation", "3|manager|-|2024-01-01|Drift|5|2024-01-03|tm1|Agreed|-\n");
	assert_rows(f->s, "injury", "4|K1|2024-01-02|Bruise|health|-|Fell|-\n");
}

static void test_alert_is_raised_once_and_keeps_first_acknowledgement(void **state)
{
	fixture *f = *state;
	store_alert a = {"LATE_VISIT/K1/2024-03-01", 20, "LATE_VISIT", "K1", "2024-03-01", "not seen", "[12,15]"};
	store_closing ack = {21, "2024-03-02", "tm1", NULL}, ack2 = {22, "2024-03-03", "tm2", "again"};
	store_closing done = {23, "2024-03-04", "tm1", "Visited"};
	uint64_t seq = 0;
	sl_err err = {0};

	assert_int_equal(store_alert_raise(f->s, &a, &err), 0);
	assert_int_equal(store_alert_raise(f->s, &a, &err), SL_ECONFLICT);
	assert_non_null(strstr(err.msg, "LATE_VISIT/K1/2024-03-01"));
	assert_int_equal(store_alert_acknowledge(f->s, a.ref, &ack, &err), 0);
	assert_int_equal(store_alert_acknowledge(f->s, a.ref, &ack2, &err), 0);
	assert_int_equal(store_alert_resolve(f->s, a.ref, &done, &err), 0);
	assert_int_equal(store_alert_seq(f->s, a.ref, &seq, &err), 0);
	assert_int_equal(seq, 20);
	assert_int_equal(store_alert_seq(f->s, "LATE_VISIT/K9/2024-03-01", &seq, &err), SL_ENOTFOUND);
	assert_rows(f->s, "alert",
	            "LATE_VISIT/K1/2024-03-01|20|LATE_VISIT|K1|2024-03-01|not seen|[12,15]|21|2024-03-02|tm1|-|23|2024-03-04|"
	            "tm1|Visited\n");
}

static int count_rows(void *ctx, const char *table, uint64_t n, sl_err *err)
{
	(void)table;
	(void)err;
	*(uint64_t *)ctx += n;
	return 0;
}

static int count_tables(void *ctx, const char *table, size_t ncols, const char *const *names,
                        const char *const *values, sl_err *err)
{
	(void)table;
	(void)ncols;
	(void)names;
	(void)err;
	if (!values)
		(*(int *)ctx)++;
	return 0;
}

static void test_projections_clear_empties_every_table(void **state)
{
	fixture *f = *state;
	store_person p = {"K1", "child", "Kit", NULL, NULL, NULL, NULL, NULL, 1};
	store_episode e = {"K1", "case", 2, "2024-01-01", 0, NULL, NULL};
	store_visit v = {3, "K1", "2024-01-01", true, -1, 0};
	store_alert a = {"X/K1/2024-01-01", 4, "X", "K1", "2024-01-01", "r", "[]"};
	store_event_person ep = {"K1", 2, "2024-01-01", "case.allocated", "social_care"};
	uint64_t total = 0;
	int tables = 0;
	sl_err err = {0};

	assert_int_equal(store_begin(f->s, &err), 0);
	assert_int_equal(store_person_register(f->s, &p, &err), 0);
	assert_int_equal(store_event_person_add(f->s, &ep, &err), 0);
	assert_int_equal(store_ref_put(f->s, "r1", 2, &err), 0);
	assert_int_equal(store_episode_start(f->s, &e, false, &err), 0);
	assert_int_equal(store_cp_category_add(f->s, 2, 2, "K1", "neglect", "2024-01-01", &err), 0);
	assert_int_equal(store_link_add(f->s, "M1", "K1", "mother", 2, "2024-01-01", &err), 0);
	assert_int_equal(store_visit_put(f->s, &v, &err), 0);
	assert_int_equal(store_missing_start(f->s, "K1", 5, "2024-01-01", NULL, &err), 0);
	assert_int_equal(store_allocation_start(f->s, "K1", "sw1", NULL, 6, "2024-01-01", &err), 0);
	assert_int_equal(store_alert_raise(f->s, &a, &err), 0);
	assert_int_equal(store_amendment_put(f->s, 7, 3, "alice", "{}", &err), 0);
	assert_int_equal(store_projection_counts(f->s, count_rows, &total, &err), 0);
	assert_int_equal(total, 11); /* the pending by-person row is counted too */
	assert_int_equal(store_projections_clear(f->s, &err), 0);
	assert_int_equal(store_commit(f->s, &err), 0);
	total = 0;
	assert_int_equal(store_projection_counts(f->s, count_rows, &total, &err), 0);
	assert_int_equal(total, 0);
	assert_int_equal(store_projection_dump(f->s, count_tables, &tables, &err), 0);
	assert_int_equal(tables, 18); /* 16 of the read model, sealing and access_grant */
}

static void test_dump_orders_rows_by_key(void **state)
{
	fixture *f = *state;
	store_visit v;
	sl_err err = {0};
	uint64_t seqs[] = {30, 4, 17};
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(seqs); i++) {
		v = (store_visit){seqs[i], "K1", "2024-01-01", true, -1, 0};
		assert_int_equal(store_visit_put(f->s, &v, &err), 0);
	}
	assert_int_equal(store_link_add(f->s, "M1", "K2", "mother", 9, "2024-01-01", &err), 0);
	assert_int_equal(store_link_add(f->s, "A1", "K2", "father", 8, "2024-01-01", &err), 0);
	assert_rows(f->s, "visit", "4|K1|2024-01-01|1|-|-\n17|K1|2024-01-01|1|-|-\n30|K1|2024-01-01|1|-|-\n");
	assert_rows(f->s, "link", "A1|K2|father|8|2024-01-01|-|-\nM1|K2|mother|9|2024-01-01|-|-\n");
}

/* project_apply on a parsed event: what the write path and rebuild do. */
static void apply(store *s, uint64_t seq, const char *json)
{
	static const uint8_t salt[32];
	sl_err err = {0};
	json_t *event = jcs_parse(json, strlen(json), &err);
	store_event ev = {seq, "2026-01-01T00:00:00.000Z", json_string_value(json_object_get(event, "kind")), salt,
	                  json, strlen(json)};

	assert_non_null(event);
	assert_int_equal(store_event_append(s, &ev, &err), 0);
	if (project_apply(s, seq, event, "rec", &err) != 0)
		fail_msg("seq %llu: %s", (unsigned long long)seq, err.msg);
	json_decref(event);
}

static void test_project_alert_raised_acknowledged_resolved(void **state)
{
	fixture *f = *state;

	apply(f->s, 1, "{\"by\":{\"user\":\"sw1\"},\"data\":{\"born\":\"2024-01-01\",\"id\":\"C1\",\"name\":\"C\","
	               "\"role\":\"child\"},\"kind\":\"person.registered\",\"occurred_at\":\"2024-01-02\"}");
	apply(f->s, 2, "{\"by\":{\"user\":\"safeledger\"},\"data\":{\"child\":\"C1\",\"code\":\"LATE_VISIT\","
	               "\"evidence\":[1],\"reason\":\"not seen\"},\"kind\":\"alert.raised\",\"occurred_at\":\"2024-03-01\","
	               "\"ref\":\"LATE_VISIT/C1/2024-03-01\"}");
	apply(f->s, 3, "{\"by\":{\"user\":\"safeledger\"},\"data\":{\"code\":\"ESCALATION_UNANSWERED\",\"evidence\":[],"
	               "\"reason\":\"no answer\"},\"kind\":\"alert.raised\",\"occurred_at\":\"2024-03-01\","
	               "\"ref\":\"ESCALATION_UNANSWERED/-/2024-03-01\"}");
	apply(f->s, 4, "{\"by\":{\"user\":\"tm1\"},\"data\":{\"alert\":\"LATE_VISIT/C1/2024-03-01\",\"note\":\"on it\"},"
	               "\"kind\":\"alert.acknowledged\",\"occurred_at\":\"2024-03-02\"}");
	apply(f->s, 5, "{\"by\":{\"agency\":\"health\"},\"data\":{\"alert\":\"LATE_VISIT/C1/2024-03-01\","
	               "\"rationale\":\"seen\"},\"kind\":\"alert.resolved\",\"occurred_at\":\"2024-03-04\"}");
	assert_rows(f->s, "alert",
	            "ESCALATION_UNANSWERED/-/2024-03-01|3|ESCALATION_UNANSWERED|-|2024-03-01|no answer|[]|-|-|-|-|-|-|-|-\n"
	            "LATE_VISIT/C1/2024-03-01|2|LATE_VISIT|C1|2024-03-01|not seen|[1]|4|2024-03-02|tm1|on it|5|2024-03-04|"
	            "rec|seen\n");
}

static void test_project_plan_category_changes_and_closure_ends_everything(void **state)
{
	fixture *f = *state;

	apply(f->s, 1, "{\"by\":{\"user\":\"a\"},\"data\":{\"born\":\"2020-01-01\",\"id\":\"C1\",\"name\":\"C\","
	               "\"role\":\"child\"},\"kind\":\"person.registered\",\"occurred_at\":\"2024-01-01\"}");
	apply(f->s, 2, "{\"by\":{\"user\":\"a\"},\"data\":{\"category\":\"neglect\",\"child\":\"C1\",\"plan\":true,"
	               "\"type\":\"initial\"},\"kind\":\"conference.held\",\"occurred_at\":\"2024-01-10\"}");
	apply(f->s, 3, "{\"by\":{\"user\":\"a\"},\"data\":{\"child\":\"C1\",\"team\":\"T\",\"worker\":\"sw1\"},"
	               "\"kind\":\"case.allocated\",\"occurred_at\":\"2024-01-11\"}");
	apply(f->s, 4, "{\"by\":{\"user\":\"a\"},\"data\":{\"category\":\"neglect\",\"child\":\"C1\",\"plan\":true,"
	               "\"type\":\"review\"},\"kind\":\"conference.held\",\"occurred_at\":\"2024-04-10\"}");
	apply(f->s, 5, "{\"by\":{\"user\":\"a\"},\"data\":{\"category\":\"multiple\",\"child\":\"C1\",\"plan\":true,"
	               "\"type\":\"review\"},\"kind\":\"conference.held\",\"occurred_at\":\"2024-10-10\"}");
	apply(f->s, 6, "{\"by\":{\"user\":\"a\"},\"data\":{\"child\":\"C1\"},\"kind\":\"cin_plan.started\","
	               "\"occurred_at\":\"2024-10-11\"}");
	apply(f->s, 7, "{\"by\":{\"user\":\"a\"},\"data\":{\"child\":\"C1\",\"reason\":\"RC7\"},\"kind\":\"case.closed\","
	               "\"occurred_at\":\"2024-11-01\"}");
	assert_rows(f->s, "cp_category", "2|2|C1|neglect|2024-01-10\n2|5|C1|multiple|2024-10-10\n");
	assert_rows(f->s, "episode",
	            "C1|case|2|2024-01-10|7|2024-11-01|{\"reason\":\"RC7\"}\n"
	            "C1|cin_plan|6|2024-10-11|7|2024-11-01|-\n"
	            "C1|conference|2|2024-01-10|2|2024-01-10|{\"category\":\"neglect\",\"plan\":true,\"type\":\"initial\"}\n"
	            "C1|conference|4|2024-04-10|4|2024-04-10|{\"category\":\"neglect\",\"plan\":true,\"type\":\"review\"}\n"
	            "C1|conference|5|2024-10-10|5|2024-10-10|{\"category\":\"multiple\",\"plan\":true,\"type\":\"review\"}\n"
	            "C1|cp_plan|2|2024-01-10|7|2024-11-01|{\"category\":\"multiple\"}\n");
	assert_rows(f->s, "allocation", "3|C1|sw1|T|2024-01-11|7|2024-11-01\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_applies_migrations_once, setup, teardown),
		cmocka_unit_test(test_open_missing_file_names_it),
		cmocka_unit_test_setup_teardown(test_events_round_trip_in_seq_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_seq_is_a_conflict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ledger_refuses_update_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tiles_round_trip_and_give_tree_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ref_reuse_is_refused_naming_the_ref, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amendment_is_decided_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_discards_the_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_missing_key_is_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_update_keeps_fields_it_does_not_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_is_added_once_while_live_and_ended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_episode_opens_unless_open_and_ends_with_detail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visit_put_again_replaces_facts_and_marks_amended, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concern_is_resolved_once_and_amended_without_reopening, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_interview_attaches_to_latest_ended_episode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_allocation_ends_the_previous_one_and_closure_frees_the_worker, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_risk_flags_clear_per_person_and_agency, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escalation_and_injury_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alert_is_raised_once_and_keeps_first_acknowledgement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_projections_clear_empties_every_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dump_orders_rows_by_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_project_alert_raised_acknowledged_resolved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_project_plan_category_changes_and_closure_ends_everything, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
