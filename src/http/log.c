/*
 * log.c - the public routes: both Merkle logs as C2SP tlog-tiles, the
 * verifier key, /healthz and /metrics.
 *
 *   /log/checkpoint            latest signed checkpoint (C2SP tlog-checkpoint)
 *   /log/key                   the C2SP signed-note verifier key
 *   /log/tile/<L>/<N>[.p/<W>]  Merkle tree tiles (https://c2sp.org/tlog-tiles)
 *   /log/tile/entries/<N>[.p/<W>]  entry bundles: the leaf data
 *   /access-log/...            the same for the access log (DESIGN 4, 8)
 *
 * They need no session: a leaf is {"commit","kind","recorded_at","seq"}
 * where commit is a salted hash, so the logs say that something was
 * recorded or read, and when, but nothing about whom (DESIGN 4).
 *
 * Tiles: the store keeps each tile as one row of up to 256 hashes, written
 * as the tree grows.  A tile's first W hashes never change once there (a
 * hash at level L is the root of a complete subtree), so a partial tile of
 * width W is the stored row's prefix, and both full and partial tiles are
 * immutable: served with a year's Cache-Control.  A tile the tree does not
 * have yet is a 404.  The checkpoint is mutable and not cached.
 */
#include "util/common.h"
#include "http/server.h"
#include "ledger/tile_path.h"

#define IMMUTABLE "public, max-age=31536000, immutable"

static int text(http_resp *w, int status, const char *type, const char *s)
{
	w->status = status;
	w->content_type = type;
	buf_reset(&w->body);
	buf_puts(&w->body, s);
	return status;
}

static int serve_checkpoint(http_req *r, http_resp *w, int log)
{
	uint64_t size = 0;
	char *note = NULL;
	sl_err err = {0};
	int rc = store_checkpoint_latest(app_store(r->a), log, &size, &note, &err);

	if (rc == SL_ENOTFOUND)
		return http_problem(w, 404, "this log has no signed checkpoint yet", NULL);
	if (rc)
		return http_problem_err(w, &err);
	text(w, 200, "text/plain; charset=utf-8", note);
	free(note);
	/* mutable: a client must see a new checkpoint within seconds */
	http_resp_header(w, "Cache-Control", "no-cache");
	return 200;
}

static int serve_key(http_req *r, http_resp *w)
{
	text(w, 200, "text/plain; charset=utf-8", app_vkey(r->a));
	buf_putc(&w->body, '\n');
	http_resp_header(w, "Cache-Control", "public, max-age=3600");
	return 200;
}

/* An entry bundle: each entry a big-endian uint16 length and the leaf data
 * (tlog-tiles "Log entries"); a log's seq s is entry s - 1.  The leaf data
 * is made from the row as verify makes it, never from a stored copy. */
typedef struct bundle {
	buf *out, scratch;
	uint64_t next_seq;
} bundle;

static int bundle_row(void *ctx, const store_event *ev, sl_err *err)
{
	bundle *b = ctx;
	uint8_t commit[32];
	size_t len;

	if (ev->seq != b->next_seq)
		return sl_fail(err, SL_ECORRUPT, "ledger rows are not contiguous at seq %llu",
		               (unsigned long long)b->next_seq);
	ledger_commit_hash(ev->salt, ev->event, ev->event_len, commit);
	buf_reset(&b->scratch);
	ledger_leaf_data(&b->scratch, commit, ev->kind, ev->recorded_at, ev->seq);
	len = b->scratch.len;
	if (len > 0xffff)
		return sl_fail(err, SL_ECORRUPT, "the leaf of seq %llu is too long for an entry bundle",
		               (unsigned long long)ev->seq);
	buf_putc(b->out, (char)(len >> 8));
	buf_putc(b->out, (char)(len & 0xff));
	buf_append(b->out, b->scratch.data, len);
	b->next_seq++;
	return 0;
}

static int serve_entries(http_req *r, http_resp *w, int log, uint64_t index, unsigned width)
{
	uint64_t first, size = 0;
	bundle b = {&w->body, BUF_INIT, 0};
	sl_err err = {0};
	int rc;

	if (index >= UINT64_MAX / TILE_WIDTH - 1)
		return http_problem(w, 404, "the log has no such entry bundle", NULL);
	first = index * TILE_WIDTH + 1;
	b.next_seq = first;
	if ((rc = store_log_last_seq(app_store(r->a), log, &size, &err)))
		return http_problem_err(w, &err);
	if (first + width - 1 > size)
		return http_problem(w, 404, "the log has no such entry bundle yet", NULL);
	buf_reset(&w->body);
	rc = store_log_scan(app_store(r->a), log, first, first + width - 1, bundle_row, &b, &err);
	buf_release(&b.scratch);
	if (rc)
		return http_problem_err(w, &err);
	w->status = 200;
	w->content_type = "application/octet-stream";
	http_resp_header(w, "Cache-Control", IMMUTABLE);
	return 200;
}

static int serve_tile(http_req *r, http_resp *w, int log)
{
	uint8_t hashes[TILE_WIDTH * 32];
	unsigned width, count = 0;
	uint64_t index;
	sl_err err = {0};
	int level, rc;

	if (tile_path_parse(r->params[0], &level, &index, &width, &err))
		return http_problem(w, 404, err.msg, NULL);
	if (level == TILE_ENTRIES)
		return serve_entries(r, w, log, index, width);
	if (level >= TILE_MAX_LEVELS)
		return http_problem(w, 404, "the log has no such tile", NULL);
	rc = store_tile_read(app_store(r->a), log, (unsigned)level, index, hashes, &count, &err);
	if (rc == SL_ENOTFOUND || (rc == 0 && count < width))
		return http_problem(w, 404, "the log has no such tile yet", NULL);
	if (rc)
		return http_problem_err(w, &err);
	w->status = 200;
	w->content_type = "application/octet-stream";
	buf_reset(&w->body);
	buf_append(&w->body, hashes, (size_t)width * 32);
	http_resp_header(w, "Cache-Control", IMMUTABLE);
	return 200;
}

static int cases_checkpoint(http_req *r, http_resp *w) { return serve_checkpoint(r, w, STORE_LOG_CASES); }
static int access_checkpoint(http_req *r, http_resp *w) { return serve_checkpoint(r, w, STORE_LOG_ACCESS); }
static int cases_tile(http_req *r, http_resp *w) { return serve_tile(r, w, STORE_LOG_CASES); }
static int access_tile(http_req *r, http_resp *w) { return serve_tile(r, w, STORE_LOG_ACCESS); }

static int healthz(http_req *r, http_resp *w)
{
	uint64_t size;
	sl_err err = {0};

	/* one cheap read proves this thread's database connection works */
	if (store_event_last_seq(app_store(r->a), &size, &err)) {
		w->log_detail = xstrdup(err.msg);
		return http_problem(w, 503, "the database is not answering", NULL);
	}
	return text(w, 200, "text/plain; charset=utf-8", "ok\n");
}

static void gauge_log(buf *out, store *st, int log, const char *name)
{
	uint64_t size = 0, cp = 0;
	char *note = NULL;

	if (store_tile_tree_size(st, log, &size, NULL) == 0)
		buf_printf(out, "safeledger_log_size{log=\"%s\"} %llu\n", name, (unsigned long long)size);
	if (store_checkpoint_latest(st, log, &cp, &note, NULL) == 0)
		buf_printf(out, "safeledger_log_checkpoint_size{log=\"%s\"} %llu\n", name, (unsigned long long)cp);
	free(note);
}

static int metrics(http_req *r, http_resp *w)
{
	store *st = app_store(r->a);
	uint64_t open = 0;
	sl_err err = {0};

	buf_reset(&w->body);
	http_server_metrics(r->server, &w->body);
	buf_puts(&w->body, "# HELP safeledger_log_size Leaves in each Merkle log.\n"
	                   "# TYPE safeledger_log_size gauge\n"
	                   "# HELP safeledger_log_checkpoint_size Tree size of each log's latest signed checkpoint.\n"
	                   "# TYPE safeledger_log_checkpoint_size gauge\n");
	gauge_log(&w->body, st, STORE_LOG_CASES, "cases");
	gauge_log(&w->body, st, STORE_LOG_ACCESS, "access");
	if (store_alert_open_count(st, &open, &err) == 0)
		buf_printf(&w->body, "# HELP safeledger_alerts_open Alerts raised and not resolved.\n"
		                     "# TYPE safeledger_alerts_open gauge\n"
		                     "safeledger_alerts_open %llu\n",
		           (unsigned long long)open);
	w->status = 200;
	w->content_type = "text/plain; version=0.0.4; charset=utf-8";
	return 200;
}

const http_route http_log_routes[] = {
	{"GET", "/log/checkpoint", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, cases_checkpoint},
	{"GET", "/log/key", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, serve_key},
	{"GET", "/log/tile/{tile*}", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, cases_tile},
	{"GET", "/access-log/checkpoint", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, access_checkpoint},
	{"GET", "/access-log/key", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, serve_key},
	{"GET", "/access-log/tile/{tile*}", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, access_tile},
	{"GET", "/healthz", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, healthz},
	{"GET", "/metrics", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, metrics},
};
const size_t http_log_routes_len = SL_ARRAY_LEN(http_log_routes);
