/*
 * verify.c - the whole-log check behind `safeledger verify`.  See verify.h.
 *
 * One pass in seq order, O(log n) memory: a merkle_stream holds the compact
 * range of the leaves seen so far, and the checkpoints (few, small) are
 * loaded up front and met in size order as the stream grows.
 */
#include "util/common.h"
#include "ledger/verify.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "util/hex.h"

typedef struct signed_cp {
	uint64_t size;
	uint8_t root[32];
} signed_cp;

typedef struct verify_state {
	store *store;
	int log;
	const note_verifier *verifier;
	const char *origin;
	signed_cp *cps;
	size_t n_cps, cap_cps, next_cp;
	merkle_stream stream;
	uint64_t tree_size; /* leaves in the stored tiles */
	uint8_t tile[256 * 32];
	unsigned tile_count;
	uint64_t tile_index; /* UINT64_MAX: none loaded */
	buf scratch;
	verify_result *res;
	verify_progress progress;
	void *progress_ctx;
	uint64_t total;
} verify_state;

static int load_checkpoint(void *ctx, uint64_t size, const char *note, sl_err *err)
{
	verify_state *v = ctx;
	note_verifier *const vs[1] = {(note_verifier *)v->verifier};
	checkpoint cp = CHECKPOINT_INIT;
	int rc;

	if (checkpoint_open(note, strlen(note), v->origin, vs, 1, &cp, NULL, err)) {
		sl_err_prefix(err, "checkpoint at size %llu does not verify", (unsigned long long)size);
		return SL_ECORRUPT;
	}
	if (cp.size != size) {
		rc = sl_fail(err, SL_ECORRUPT, "checkpoint at size %llu: its signed text says size %llu",
		             (unsigned long long)size, (unsigned long long)cp.size);
		goto done;
	}
	if (v->n_cps == v->cap_cps) {
		v->cap_cps = v->cap_cps ? v->cap_cps * 2 : 16;
		v->cps = xrealloc(v->cps, v->cap_cps * sizeof(*v->cps));
	}
	v->cps[v->n_cps].size = size;
	memcpy(v->cps[v->n_cps].root, cp.root, 32);
	v->n_cps++;
	rc = 0;
done:
	checkpoint_release(&cp);
	return rc;
}

/* Compare the rebuilt root with every checkpoint of the current size. */
static int check_checkpoints(verify_state *v, sl_err *err)
{
	uint8_t root[32];

	while (v->next_cp < v->n_cps && v->cps[v->next_cp].size == v->stream.size) {
		merkle_stream_root(&v->stream, root);
		if (memcmp(root, v->cps[v->next_cp].root, 32) != 0)
			return sl_fail(err, SL_ECORRUPT,
			               "checkpoint at size %llu: signed root does not match the root recomputed from "
			               "the stored events (an event at or before seq %llu was changed)",
			               (unsigned long long)v->stream.size, (unsigned long long)v->stream.size);
		v->res->checkpoints++;
		v->next_cp++;
	}
	return 0;
}

static int stored_leaf(verify_state *v, uint64_t index, const uint8_t **out, sl_err *err)
{
	uint64_t t = index / 256;
	int rc;

	if (t != v->tile_index) {
		v->tile_index = UINT64_MAX;
		if ((rc = store_tile_read(v->store, v->log, 0, t, v->tile, &v->tile_count, err)))
			return rc == SL_ENOTFOUND ? sl_fail(err, SL_ECORRUPT, "Merkle tile 0/%llu is missing",
			                                    (unsigned long long)t)
			                          : rc;
		v->tile_index = t;
	}
	if (index % 256 >= v->tile_count)
		return sl_fail(err, SL_ECORRUPT, "Merkle tile 0/%llu is short", (unsigned long long)t);
	*out = v->tile + (index % 256) * 32;
	return 0;
}

static int check_row(void *ctx, const store_event *ev, sl_err *err)
{
	verify_state *v = ctx;
	uint64_t want = v->stream.size + 1;
	const uint8_t *stored = NULL;
	uint8_t leaf[32];
	int rc;

	if (ev->seq != want) {
		v->res->bad_seq = want;
		return sl_fail(err, SL_ECORRUPT, "seq %llu: missing (the next row is seq %llu)",
		               (unsigned long long)want, (unsigned long long)ev->seq);
	}
	if (!ev->salt) {
		v->res->bad_seq = want;
		return sl_fail(err, SL_ECORRUPT, "seq %llu: the salt is not 32 bytes", (unsigned long long)want);
	}
	if (ev->seq > v->tree_size) {
		v->res->bad_seq = want;
		return sl_fail(err, SL_ECORRUPT,
		               "seq %llu: the row is not in the Merkle tree (the tree has %llu leaves): it was "
		               "added outside safeledger",
		               (unsigned long long)want, (unsigned long long)v->tree_size);
	}
	ledger_row_leaf_hash(ev, &v->scratch, leaf);
	if ((rc = stored_leaf(v, ev->seq - 1, &stored, err)))
		return rc;
	if (memcmp(leaf, stored, 32) != 0) {
		v->res->bad_seq = want;
		return sl_fail(err, SL_ECORRUPT,
		               "seq %llu: the stored event no longer matches its Merkle leaf (its content, salt, "
		               "kind, recorded_at or position changed after it was appended)",
		               (unsigned long long)want);
	}
	merkle_stream_append(&v->stream, leaf);
	v->res->events++;
	v->res->bytes += (double)ev->event_len;
	if (v->progress && (v->res->events & 0xffff) == 0)
		v->progress(v->progress_ctx, v->res->events, v->total);
	if ((rc = check_checkpoints(v, err))) {
		v->res->bad_seq = 0;
		return rc;
	}
	return 0;
}

int verify_log(store *s, int log, const note_verifier *verifier, const char *origin, verify_result *res,
               verify_progress progress, void *progress_ctx, sl_err *err)
{
	verify_state v;
	uint64_t last_seq;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&v, 0, sizeof(v));
	v.store = s;
	v.log = log;
	v.verifier = verifier;
	v.origin = origin;
	v.res = res;
	v.tile_index = UINT64_MAX;
	v.progress = progress;
	v.progress_ctx = progress_ctx;
	merkle_stream_init(&v.stream);

	if ((rc = store_tile_tree_size(s, log, &v.tree_size, err)) || (rc = store_log_last_seq(s, log, &last_seq, err)))
		goto done;
	v.total = last_seq;
	if ((rc = store_checkpoint_scan(s, log, load_checkpoint, &v, err)))
		goto done;
	if ((rc = check_checkpoints(&v, err))) /* size-0 checkpoints */
		goto done;
	if ((rc = store_log_scan(s, log, 1, 0, check_row, &v, err)))
		goto done;
	if (v.stream.size < v.tree_size) {
		res->bad_seq = v.stream.size + 1;
		rc = sl_fail(err, SL_ECORRUPT, "seq %llu: missing (the Merkle tree has %llu leaves, the ledger %llu rows)",
		             (unsigned long long)(v.stream.size + 1), (unsigned long long)v.tree_size,
		             (unsigned long long)v.stream.size);
		goto done;
	}
	if (v.next_cp < v.n_cps) {
		rc = sl_fail(err, SL_ECORRUPT, "checkpoint at size %llu: the ledger has only %llu rows",
		             (unsigned long long)v.cps[v.next_cp].size, (unsigned long long)v.stream.size);
		goto done;
	}
	merkle_stream_root(&v.stream, res->root);
	if (progress)
		progress(progress_ctx, res->events, v.total);
	/* The upper tiles serve proofs: they must give the same root. */
	{
		ledger *l = NULL;
		uint8_t stored_root[32];
		if ((rc = ledger_open(s, log, &l, err)))
			goto done;
		rc = ledger_root(l, v.stream.size, stored_root, err);
		ledger_close(l);
		if (rc)
			goto done;
		if (memcmp(stored_root, res->root, 32) != 0) {
			rc = sl_fail(err, SL_ECORRUPT,
			             "the stored Merkle tiles give a different root from the events: a tile was changed");
			goto done;
		}
	}
done:
	free(v.cps);
	buf_release(&v.scratch);
	return rc;
}
