/*
 * test_store.c - the SQLite backend through the store interface, plus the
 * append-only triggers checked from a raw SQLite connection (as an
 * operator's sqlite3 shell would meet them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <unistd.h>

#include "util/common.h"
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
