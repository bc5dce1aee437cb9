/*
 * bench.c - safeledger-bench: the ledger's numbers against the physical
 * limits measured in the same run on the same machine (DESIGN 9).
 *
 *   durable append   app_append, one event per transaction, vs a bare
 *                    SQLite INSERT of the same bytes, same WAL+FULL settings
 *   bulk import      app_import of JSONL (parse, validate, canonicalise,
 *                    salt, hash, project: one transaction) vs a bare batched
 *                    INSERT of the same lines in one transaction
 *   verify           verify_log vs raw SHA-256 over the same salted bytes
 *   proofs           inclusion proofs at 1M and 10M leaves from a freshly
 *                    opened tree (tiles in SQLite), mean and worst
 *   memory           peak resident set size of the whole run
 *
 * Ratios above 1 mean faster than the reference.  Not a test: timings vary
 * with the machine; docs/benchmarks.md records runs and the machine.
 */
#include "util/common.h"
#include "app/app.h"
#include "ledger/merkle.h"
#include "ledger/verify.h"
#include "util/sha256.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* User plus system time of this process so far. */
static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void die(const char *what, const sl_err *err)
{
	fprintf(stderr, "bench: %s: %s\n", what, err ? err->msg : "");
	exit(1);
}

/* Deterministic synthetic history: children registered first, then
 * visits, notes and agency information about them, ~250 bytes a line. */
static void generate(buf *out, size_t n, size_t children)
{
	uint64_t x = 88172645463325252ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (i < children) {
			buf_printf(out,
			           "{\"kind\":\"person.registered\",\"occurred_at\":\"2024-01-02\",\"by\":{\"user\":\"sw1\"},"
			           "\"data\":{\"id\":\"C%zu\",\"role\":\"child\",\"name\":\"Child %zu\",\"born\":\"2019-03-04\"}}\n",
			           i, i);
			continue;
		}
		size_t c = (size_t)(x % children);
		switch (x >> 60 & 3) {
		case 0:
			buf_printf(out,
			           "{\"kind\":\"visit.recorded\",\"occurred_at\":\"2024-03-%02d\",\"by\":{\"user\":\"sw%d\"},"
			           "\"data\":{\"child\":\"C%zu\",\"seen\":true,\"seen_alone\":true,\"summary\":\"Home visit; "
			           "child seen alone in bedroom, spoke about school and friends. %llu\"}}\n",
			           (int)(x % 28) + 1, (int)(x % 40), c, (unsigned long long)x);
			break;
		case 1:
			buf_printf(out,
			           "{\"kind\":\"agency_info.received\",\"occurred_at\":\"2024-04-%02d\",\"by\":{\"agency\":"
			           "\"health\",\"role\":\"Health visitor\"},\"data\":{\"person\":\"C%zu\",\"agency\":\"health\","
			           "\"summary\":\"Missed two appointments; weight on 9th centile. %llu\"}}\n",
			           (int)(x % 28) + 1, c, (unsigned long long)x);
			break;
		default:
			buf_printf(out,
			           "{\"kind\":\"note.recorded\",\"occurred_at\":\"2024-05-%02dT10:15:00Z\",\"by\":{\"user\":"
			           "\"sw%d\"},\"data\":{\"child\":\"C%zu\",\"text\":\"Telephone call with school: attendance "
			           "improving, no new concerns raised by the class teacher. %llu\"}}\n",
			           (int)(x % 28) + 1, (int)(x % 40), c, (unsigned long long)x);
		}
	}
}

/* --- bare SQLite reference --- */
static sqlite3 *bare_open(const char *path)
{
	sqlite3 *db;
	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
	                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
	                 "CREATE TABLE t(seq INTEGER PRIMARY KEY, body TEXT NOT NULL);",
	                 NULL, NULL, NULL) != SQLITE_OK)
		die("bare sqlite open", NULL);
	return db;
}

/* Insert each line; per_txn lines per transaction (0 = all in one). */
static double bare_insert(const char *path, const buf *lines, size_t limit, size_t per_txn)
{
	sqlite3 *db = bare_open(path);
	sqlite3_stmt *ins, *begin, *commit;
	const char *p = lines->data, *end = lines->data + lines->len;
	size_t n = 0;
	double t0 = now();

	sqlite3_prepare_v2(db, "INSERT INTO t(seq, body) VALUES (?1, ?2)", -1, &ins, NULL);
	sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL);
	sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL);
	sqlite3_step(begin), sqlite3_reset(begin);
	while (p < end && n < limit) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)++n);
		sqlite3_bind_text(ins, 2, p, (int)(nl - p), SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die("bare insert", NULL);
		sqlite3_reset(ins);
		if (per_txn && n % per_txn == 0) {
			sqlite3_step(commit), sqlite3_reset(commit);
			sqlite3_step(begin), sqlite3_reset(begin);
		}
		p = nl + 1;
	}
	sqlite3_step(commit), sqlite3_reset(commit);
	t0 = now() - t0;
	sqlite3_finalize(ins);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	sqlite3_close(db);
	return (double)n / t0;
}

static app *fresh_instance(const char *dir, const char *name)
{
	app_options o = {0};
	buf db = BUF_INIT, cmd = BUF_INIT;
	sl_err err = {0};
	app *a = NULL;

	buf_printf(&db, "%s/%s", dir, name);
	buf_printf(&cmd, "rm -f '%s' '%s-wal' '%s-shm' '%s.key'", db.data, db.data, db.data, db.data);
	if (system(cmd.data) != 0)
		die("cleaning", NULL);
	o.db = db.data;
	if (app_init(&o, "bench.example/safeledger", &err) || app_open(&o, &a, &err))
		die("init", &err);
	buf_release(&db);
	buf_release(&cmd);
	return a;
}

static double durable_appends(app *a, const buf *lines, size_t skip, size_t n)
{
	app_write_opts wo = {.recorder = "cli:bench"};
	const char *p = lines->data, *end = lines->data + lines->len;
	size_t i = 0, done = 0;
	double t0 = 0;
	sl_err err = {0};

	while (p < end && done < n) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		json_t *ev;
		ledger_entry e;

		if (i++ < skip) { /* already imported: the registrations */
			p = nl + 1;
			continue;
		}
		if (done == 0)
			t0 = now();
		ev = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES, NULL);
		if (app_append(a, ev, &wo, &e, &err))
			die("append", &err);
		json_decref(ev);
		done++;
		p = nl + 1;
	}
	return (double)done / (now() - t0);
}

static double bulk_import(app *a, buf *lines, sl_err *err)
{
	app_import_stats st;
	FILE *in = fmemopen(lines->data, lines->len, "r");
	double t0 = now();
	if (app_import(a, in, "cli:bench", 1 << 20, NULL, NULL, &st, err))
		die("import", err);
	fclose(in);
	return (double)st.events / (now() - t0);
}

typedef struct raw_rows {
	buf bytes; /* salt || event, back to back */
	size_t *ends;
	size_t n, cap;
} raw_rows;

static int collect_row(void *ctx, const store_event *ev, sl_err *err)
{
	raw_rows *r = ctx;
	(void)err;
	buf_append(&r->bytes, ev->salt, 32);
	buf_append(&r->bytes, ev->event, ev->event_len);
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 1024;
		r->ends = xrealloc(r->ends, r->cap * sizeof(*r->ends));
	}
	r->ends[r->n++] = r->bytes.len;
	return 0;
}

static void bench_verify(app *a)
{
	raw_rows r = {BUF_INIT, NULL, 0, 0};
	note_verifier *v = NULL;
	verify_result res;
	sl_err err = {0};
	uint8_t out[32];
	double t0, t_verify, t_raw;
	size_t i, start = 0;

	if (note_verifier_parse(app_vkey(a), &v, &err))
		die("vkey", &err);
	t0 = now();
	if (verify_log(app_store(a), STORE_LOG_CASES, v, app_origin(a), &res, NULL, NULL, &err))
		die("verify", &err);
	t_verify = now() - t0;
	if (store_event_scan(app_store(a), 1, 0, collect_row, &r, &err))
		die("scan", &err);
	t0 = now();
	for (i = 0; i < r.n; i++) {
		sha256(r.bytes.data + start, r.ends[i] - start, out);
		start = r.ends[i];
	}
	t_raw = now() - t0;
	printf("verify            %10.0f events/s  %7.1f MB/s   raw SHA-256 same bytes %7.1f MB/s   ratio %.2f"
	       "   (%llu events; 10M would take %.0f s)\n",
	       (double)res.events / t_verify, (double)r.bytes.len / t_verify / 1e6, (double)r.bytes.len / t_raw / 1e6,
	       t_raw / t_verify, (unsigned long long)res.events, 1e7 * t_verify / (double)res.events);
	note_verifier_free(v);
	buf_release(&r.bytes);
	free(r.ends);
}

/* --- proofs on big trees: tiles only, in their own SQLite file --- */
typedef struct tile_ctx {
	store *s;
} tile_ctx;

static int t_read(void *ctx, unsigned level, uint64_t index, uint8_t *hashes, unsigned *count, sl_err *err)
{
	return store_tile_read(((tile_ctx *)ctx)->s, STORE_LOG_CASES, level, index, hashes, count, err);
}

static int t_write(void *ctx, unsigned level, uint64_t index, const uint8_t *hashes, unsigned count, sl_err *err)
{
	return store_tile_write(((tile_ctx *)ctx)->s, STORE_LOG_CASES, level, index, hashes, count, err);
}

static void bench_proofs(const char *dir, uint64_t size)
{
	buf path = BUF_INIT, cmd = BUF_INIT;
	tile_ctx tc;
	merkle_tiles_io io = {&tc, t_read, t_write};
	merkle_tree *t = NULL;
	sl_err err = {0};
	uint8_t leaf[32], root[32], *proof = NULL;
	size_t plen;
	uint64_t i, x = 12345;
	double t0, worst = 0, total = 0, cold;
	int k, rounds = 2000;

	buf_printf(&path, "%s/proofs-%llu.db", dir, (unsigned long long)size);
	buf_printf(&cmd, "rm -f '%s' '%s-wal' '%s-shm'", path.data, path.data, path.data);
	if (system(cmd.data) != 0 || store_open(path.data, STORE_CREATE, &tc.s, &err))
		die("proof store", &err);
	t0 = now();
	if (store_begin(tc.s, &err) || merkle_tree_open(&io, 0, &t, &err))
		die("tree", &err);
	for (i = 0; i < size; i++) {
		sha256(&i, sizeof(i), leaf);
		if (merkle_tree_append(t, leaf, &err))
			die("tree append", &err);
	}
	if (merkle_tree_flush(t, &err) || store_commit(tc.s, &err))
		die("tree flush", &err);
	merkle_tree_free(t);
	printf("tree of %llu leaves built in %.1f s\n", (unsigned long long)size, now() - t0);

	/* Cold: a freshly opened tree, as a server just started would have. */
	if (merkle_tree_open(&io, size, &t, &err) || merkle_tree_root(t, size, root, &err))
		die("reopen", &err);
	t0 = now();
	if (merkle_tree_inclusion_proof(t, size / 3, size, &proof, &plen, &err))
		die("proof", &err);
	cold = now() - t0;
	free(proof);
	for (k = 0; k < rounds; k++) {
		double one;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		i = x % size;
		t0 = now();
		if (merkle_tree_inclusion_proof(t, i, size, &proof, &plen, &err) || merkle_tree_leaf(t, i, leaf, &err))
			die("proof", &err);
		one = now() - t0;
		if (!merkle_verify_inclusion(i, size, leaf, proof, plen, root))
			die("proof does not verify", NULL);
		free(proof);
		total += one;
		if (one > worst)
			worst = one;
	}
	printf("inclusion proof at %8llu leaves: first (cold) %.3f ms, mean %.3f ms, worst %.3f ms over %d random "
	       "leaves (target < 1 ms)\n",
	       (unsigned long long)size, cold * 1e3, total / rounds * 1e3, worst * 1e3, rounds);
	merkle_tree_free(t);
	store_close(tc.s);
	if (system(cmd.data) != 0)
		fprintf(stderr, "bench: could not remove %s\n", path.data);
	buf_release(&path);
	buf_release(&cmd);
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	const char *dir = getenv("BENCH_DIR") ? getenv("BENCH_DIR") : "/tmp";
	size_t n_durable = quick ? 300 : 3000, n_bulk = quick ? 50000 : 1000000, children = quick ? 500 : 20000;
	buf lines = BUF_INIT, bare_path = BUF_INIT;
	double ours, bare;
	struct rusage ru;
	sl_err err = {0};
	app *a;

	/* `--import N`: the bulk import against its reference alone, for
	 * profiling (callgrind, perf) without the rest of the run. */
	if (argc > 2 && strcmp(argv[1], "--import") == 0) {
		n_bulk = strtoul(argv[2], NULL, 10);
		children = n_bulk / 50 > 0 ? n_bulk / 50 : 1;
		if (children > 20000)
			children = 20000;
		double cpu;

		generate(&lines, n_bulk, children);
		buf_printf(&bare_path, "%s/bench-bare.db", dir);
		a = fresh_instance(dir, "bench-bulk.db");
		/* CPU seconds as well as the rate: on a shared machine the
		 * wall clock also counts other people's work */
		cpu = cpu_seconds();
		ours = bulk_import(a, &lines, &err);
		cpu = cpu_seconds() - cpu;
		app_close(a);
		bare = bare_insert(bare_path.data, &lines, n_bulk, 0);
		printf("bulk import %zu   %10.0f events/s (%.0f per CPU second)   bare batched insert %9.0f/s   ratio %.2f\n",
		       n_bulk, ours, (double)n_bulk / cpu, bare, ours / bare);
		buf_release(&lines);
		buf_release(&bare_path);
		return 0;
	}
	printf("safeledger-bench%s: durable %zu, bulk %zu events; files in %s\n", quick ? " --quick" : "", n_durable,
	       n_bulk, dir);
	generate(&lines, n_bulk, children);
	printf("history: %zu events, %.1f MB of JSONL (%.0f bytes/event)\n", n_bulk, (double)lines.len / 1e6,
	       (double)lines.len / (double)n_bulk);
	buf_printf(&bare_path, "%s/bench-bare.db", dir);

	/* Durable appends: register the children in one batch first so the
	 * timed appends are ordinary writes that reference them. */
	{
		buf reg = BUF_INIT;
		const char *p = lines.data;
		size_t i;
		for (i = 0; i < children; i++)
			p = strchr(p, '\n') + 1;
		buf_append(&reg, lines.data, (size_t)(p - lines.data));
		a = fresh_instance(dir, "bench-durable.db");
		bulk_import(a, &reg, &err);
		ours = durable_appends(a, &lines, children, n_durable);
		app_close(a);
		buf_release(&reg);
	}
	bare = bare_insert(bare_path.data, &lines, n_durable, 1);
	printf("durable append    %10.0f events/s   bare SQLite insert %10.0f/s   ratio %.2f (target >= 0.5)\n", ours,
	       bare, ours / bare);

	a = fresh_instance(dir, "bench-bulk.db");
	ours = bulk_import(a, &lines, &err);
	bare = bare_insert(bare_path.data, &lines, n_bulk, 0);
	printf("bulk import       %10.0f events/s   bare batched insert %9.0f/s   ratio %.2f (target >= 100000/s and "
	       ">= 0.5)\n",
	       ours, bare, ours / bare);
	bench_verify(a);
	app_close(a);

	bench_proofs(dir, 1000000);
	if (!quick)
		bench_proofs(dir, 10000000);

	getrusage(RUSAGE_SELF, &ru);
	printf("peak resident memory %.1f MB (includes the %.0f MB history held in memory)\n", (double)ru.ru_maxrss / 1024,
	       (double)lines.len / 1e6);
	buf_release(&lines);
	buf_release(&bare_path);
	return 0;
}
