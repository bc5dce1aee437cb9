/*
 * test_ledger.c - the ledger over a real SQLite store: leaf format, roots
 * against an independent stream, proofs that verify, rollback, and the
 * whole-log verifier accepting an intact log and naming a bad row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include "util/common.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "ledger/verify.h"
#include "util/sha256.h"

typedef struct fixture {
	char dir[64], path[128];
	store *s;
	ledger *l;
	note_signer *signer;
	note_verifier *verifier;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	char *skey = NULL, *vkey = NULL;
	sl_err err = {0};

	snprintf(f->dir, sizeof(f->dir), "/tmp/sl-ledger-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->s, &err), 0);
	assert_int_equal(ledger_open(f->s, STORE_LOG_CASES, &f->l, &err), 0);
	assert_int_equal(note_generate_key("test.example/log", &skey, &vkey, &err), 0);
	assert_int_equal(note_signer_parse(skey, &f->signer, &err), 0);
	assert_int_equal(note_verifier_parse(vkey, &f->verifier, &err), 0);
	free(skey);
	free(vkey);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[200];
	ledger_close(f->l);
	store_close(f->s);
	note_signer_free(f->signer);
	note_verifier_free(f->verifier);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void append_n(fixture *f, int n, bool commit)
{
	sl_err err = {0};
	char event[128];
	int i;

	assert_int_equal(store_begin(f->s, &err), 0);
	for (i = 0; i < n; i++) {
		ledger_entry e;
		int len = snprintf(event, sizeof(event), "{\"data\":{\"i\":%d},\"kind\":\"note.recorded\"}", i);
		assert_int_equal(ledger_append(f->l, "note.recorded", event, (size_t)len, NULL, &e, &err), 0);
	}
	if (commit) {
		assert_int_equal(ledger_flush(f->l, &err), 0);
		assert_int_equal(store_commit(f->s, &err), 0);
	}
}

static void test_leaf_data_is_the_jcs_object_of_design_4(void **state)
{
	uint8_t commit[32];
	buf b = BUF_INIT;
	(void)state;
	memset(commit, 0xab, sizeof(commit));
	ledger_leaf_data(&b, commit, "visit.recorded", "2026-01-02T03:04:05.678Z", 42);
	assert_string_equal(b.data, "{\"commit\":\"abababababababababababababababababababababababababababababababab\","
	                            "\"kind\":\"visit.recorded\",\"recorded_at\":\"2026-01-02T03:04:05.678Z\",\"seq\":42}");
	buf_reset(&b);
	ledger_leaf_data(&b, commit, "a\"b\n", "t", 1); /* a tampered kind still gives valid JSON */
	assert_non_null(strstr(b.data, "\"kind\":\"a\\\"b\\n\""));
	buf_release(&b);
}

static void test_commit_is_sha256_of_salt_then_event(void **state)
{
	uint8_t salt[32] = {7}, got[32], want[32];
	uint8_t joined[32 + 2];
	(void)state;
	memcpy(joined, salt, 32);
	memcpy(joined + 32, "{}", 2);
	ledger_commit_hash(salt, "{}", 2, got);
	sha256(joined, sizeof(joined), want);
	assert_memory_equal(got, want, 32);
}

typedef struct stream_ctx {
	merkle_stream st;
	buf scratch;
} stream_ctx;

static int stream_row(void *ctx, const store_event *ev, sl_err *err)
{
	stream_ctx *sc = ctx;
	uint8_t leaf[32];
	(void)err;
	ledger_row_leaf_hash(ev, &sc->scratch, leaf);
	merkle_stream_append(&sc->st, leaf);
	return 0;
}

static void test_root_matches_stream_over_stored_rows(void **state)
{
	fixture *f = *state;
	stream_ctx sc = {.scratch = BUF_INIT};
	uint8_t root[32], want[32];
	sl_err err = {0};

	append_n(f, 1000, true);
	assert_int_equal(ledger_size(f->l), 1000);
	merkle_stream_init(&sc.st);
	assert_int_equal(store_event_scan(f->s, 1, 0, stream_row, &sc, &err), 0);
	merkle_stream_root(&sc.st, want);
	assert_int_equal(ledger_root(f->l, 1000, root, &err), 0);
	assert_memory_equal(root, want, 32);
	buf_release(&sc.scratch);
}

static void test_reopened_ledger_continues_the_same_tree(void **state)
{
	fixture *f = *state;
	uint8_t r1[32], r2[32];
	sl_err err = {0};

	append_n(f, 300, true);
	assert_int_equal(ledger_root(f->l, 300, r1, &err), 0);
	ledger_close(f->l);
	assert_int_equal(ledger_open(f->s, STORE_LOG_CASES, &f->l, &err), 0);
	assert_int_equal(ledger_size(f->l), 300);
	assert_int_equal(ledger_root(f->l, 300, r2, &err), 0);
	assert_memory_equal(r1, r2, 32);
	append_n(f, 300, true);
	assert_int_equal(ledger_size(f->l), 600);
}

static void test_proofs_verify_against_roots(void **state)
{
	fixture *f = *state;
	uint8_t *path = NULL, leaf[32], root[32], old_root[32];
	size_t n = 0;
	sl_err err = {0};
	uint64_t seqs[] = {1, 2, 255, 256, 257, 511, 700};
	size_t i;

	append_n(f, 700, true);
	assert_int_equal(ledger_root(f->l, 700, root, &err), 0);
	for (i = 0; i < SL_ARRAY_LEN(seqs); i++) {
		assert_int_equal(ledger_inclusion_proof(f->l, seqs[i], 700, &path, &n, &err), 0);
		assert_int_equal(ledger_leaf_hash(f->l, seqs[i], leaf, &err), 0);
		assert_true(merkle_verify_inclusion(seqs[i] - 1, 700, leaf, path, n, root));
		free(path);
	}
	assert_int_equal(ledger_root(f->l, 257, old_root, &err), 0);
	assert_int_equal(ledger_consistency_proof(f->l, 257, 700, &path, &n, &err), 0);
	assert_true(merkle_verify_consistency(257, 700, old_root, root, path, n));
	free(path);
	assert_int_equal(ledger_inclusion_proof(f->l, 701, 700, &path, &n, &err), SL_EINVAL);
	assert_int_equal(ledger_consistency_proof(f->l, 0, 700, &path, &n, &err), SL_EINVAL);
}

static void test_rollback_then_reload_forgets_the_appends(void **state)
{
	fixture *f = *state;
	uint8_t before[32], after[32];
	sl_err err = {0};

	append_n(f, 100, true);
	assert_int_equal(ledger_root(f->l, 100, before, &err), 0);
	append_n(f, 50, false);
	assert_int_equal(ledger_size(f->l), 150);
	store_rollback(f->s);
	assert_int_equal(ledger_reload(f->l, &err), 0);
	assert_int_equal(ledger_size(f->l), 100);
	assert_int_equal(ledger_root(f->l, 100, after, &err), 0);
	assert_memory_equal(before, after, 32);
	append_n(f, 1, true);
	assert_int_equal(ledger_size(f->l), 101);
}

static void sign(fixture *f)
{
	sl_err err = {0};
	assert_int_equal(store_begin(f->s, &err), 0);
	assert_int_equal(ledger_sign_checkpoint(f->l, "test.example/log", f->signer, NULL, &err), 0);
	assert_int_equal(store_commit(f->s, &err), 0);
}

static void test_verify_accepts_intact_log_with_checkpoints(void **state)
{
	fixture *f = *state;
	verify_result res;
	sl_err err = {0};

	sign(f);
	append_n(f, 400, true);
	sign(f);
	append_n(f, 10, true); /* not yet covered by a checkpoint: still verified */
	assert_int_equal(verify_log(f->s, STORE_LOG_CASES, f->verifier, "test.example/log", &res, NULL, NULL, &err), 0);
	assert_int_equal(res.events, 410);
	assert_int_equal(res.checkpoints, 2);
}

static void test_verify_names_the_first_changed_row(void **state)
{
	fixture *f = *state;
	verify_result res;
	sl_err err = {0};
	sqlite3 *db;

	append_n(f, 300, true);
	sign(f);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                              "DROP TRIGGER ledger_no_update;"
	                              "UPDATE ledger SET event = replace(event, '\"i\":7', '\"i\":8') WHERE seq = 8",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(verify_log(f->s, STORE_LOG_CASES, f->verifier, "test.example/log", &res, NULL, NULL, &err),
	                 SL_ECORRUPT);
	assert_int_equal(res.bad_seq, 8);
	assert_non_null(strstr(err.msg, "seq 8"));
}

static void test_verify_rejects_checkpoint_from_another_key(void **state)
{
	fixture *f = *state;
	note_verifier *other = NULL;
	char *skey = NULL, *vkey = NULL;
	verify_result res;
	sl_err err = {0};

	append_n(f, 5, true);
	sign(f);
	assert_int_equal(note_generate_key("test.example/log", &skey, &vkey, &err), 0);
	assert_int_equal(note_verifier_parse(vkey, &other, &err), 0);
	assert_int_equal(verify_log(f->s, STORE_LOG_CASES, other, "test.example/log", &res, NULL, NULL, &err),
	                 SL_ECORRUPT);
	assert_non_null(strstr(err.msg, "checkpoint at size 5"));
	note_verifier_free(other);
	free(skey);
	free(vkey);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_data_is_the_jcs_object_of_design_4),
		cmocka_unit_test(test_commit_is_sha256_of_salt_then_event),
		cmocka_unit_test_setup_teardown(test_root_matches_stream_over_stored_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopened_ledger_continues_the_same_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proofs_verify_against_roots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_then_reload_forgets_the_appends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_accepts_intact_log_with_checkpoints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_names_the_first_changed_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_rejects_checkpoint_from_another_key, setup, teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
