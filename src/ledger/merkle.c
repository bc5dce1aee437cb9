/*
 * merkle.c - RFC 6962 / RFC 9162 Merkle tree over C2SP tlog-tiles.  See merkle.h.
 *
 * Node addressing: (h, k) is the perfect subtree at tree level h covering
 * leaves [k*2^h, (k+1)*2^h).  It lives in tile level L = h/8: its 2^(h%8)
 * level-8L descendants sit side by side in one tile, because 2^(h%8) divides
 * 256.  So every node we need is at most 255 hashes away from stored data.
 *
 * In memory a tile is "expanded": the 511 nodes of its own little tree (256
 * hashes, then the 128 parents, ... up to the tile root), laid out level by
 * level.  Two kinds are kept:
 *   - the right edge: for each level, the partial tile new hashes go into,
 *     expanded incrementally as hashes arrive (an append hashes each parent it
 *     completes, amortised one per leaf, plus one per 256 for the level above).
 *     When it fills up, its root is the next hash of the level above, so
 *     append never reads anything.  Invariant: edge[L].count < 256 between
 *     calls, and edge[L].index = (size >> 8L) / 256.
 *   - full tiles read from storage, expanded once and kept in a small LRU
 *     cache.  They never change, so the cache needs no invalidation.
 * Any tile of index < edge[L].index is full and in storage; the tile of
 * index edge[L].index is the in-memory edge (possibly unflushed); nothing
 * beyond it exists.
 *
 * Proofs are built bottom-up the way the RFC 9162 verifiers consume them, so
 * the generator and the verifier share one idea: at each level the node on
 * the path has a left sibling (always perfect), a right sibling (perfect, or
 * the ragged right edge of the tree, hashed as a range), or none (it is the
 * last node of its level, and the level is skipped).
 */
#include "util/common.h"
#include "ledger/merkle.h"
#include "util/sha256.h"

#include <inttypes.h>

#define TILE_HEIGHT 8
#define TILE_LEVELS 8 /* tile levels 0..7 cover tree levels 0..63 */
#define TILE_NODES (2 * MERKLE_TILE_WIDTH - 1)
#define CACHE_TILES 64

typedef uint8_t hash_t[MERKLE_HASH_LEN];

struct edge_tile {
	uint64_t index; /* the tile new hashes of this level go into */
	unsigned count; /* hashes it holds, 0..255 between calls */
	bool dirty;     /* changed since last written */
	hash_t nodes[TILE_NODES];
};

struct cached_tile {
	bool valid;
	unsigned level;
	uint64_t index;
	uint64_t used; /* LRU clock; 0 only while invalid */
	hash_t nodes[TILE_NODES];
};

struct merkle_tree {
	merkle_tiles_io io;
	uint64_t size;
	bool broken; /* an append failed half-way: memory no longer matches storage */
	uint64_t clock;
	struct edge_tile edge[TILE_LEVELS];
	struct cached_tile cache[CACHE_TILES];
};

/* ---- hashing ---------------------------------------------------------- */

void merkle_leaf_hash(const void *data, size_t len, uint8_t out[MERKLE_HASH_LEN])
{
	static const uint8_t prefix = 0x00;
	sha256_two(&prefix, 1, data, len, out);
}

void merkle_node_hash(const uint8_t left[MERKLE_HASH_LEN], const uint8_t right[MERKLE_HASH_LEN],
                      uint8_t out[MERKLE_HASH_LEN])
{
	/* One contiguous input: a single digest update, and out may alias. */
	uint8_t in[1 + 2 * MERKLE_HASH_LEN];

	in[0] = 0x01;
	memcpy(in + 1, left, MERKLE_HASH_LEN);
	memcpy(in + 1 + MERKLE_HASH_LEN, right, MERKLE_HASH_LEN);
	sha256(in, sizeof(in), out);
}

void merkle_empty_root(uint8_t out[MERKLE_HASH_LEN])
{
	sha256("", 0, out);
}

static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Fold perfect-subtree hashes, largest first, into the root of their
 * concatenation: RFC 9162 2.1.1 splits at the largest power of two below n,
 * which is exactly the first of them. */
static void fold_right(const uint8_t *parts, unsigned n, uint8_t out[MERKLE_HASH_LEN])
{
	assert(n > 0);
	memcpy(out, parts + (n - 1) * MERKLE_HASH_LEN, MERKLE_HASH_LEN);
	for (unsigned i = n - 1; i-- > 0;)
		merkle_node_hash(parts + i * MERKLE_HASH_LEN, out, out);
}

/* ---- verification ----------------------------------------------------- */

bool merkle_root_from_inclusion(uint64_t leaf_index, uint64_t tree_size, const uint8_t leaf_hash[MERKLE_HASH_LEN],
                                const uint8_t *path, size_t path_len, uint8_t root_out[MERKLE_HASH_LEN])
{
	uint64_t fn = leaf_index, sn;

	if (leaf_index >= tree_size)
		return false;
	sn = tree_size - 1;
	memcpy(root_out, leaf_hash, MERKLE_HASH_LEN);
	for (size_t i = 0; i < path_len; i++) {
		const uint8_t *p = path + i * MERKLE_HASH_LEN;
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(p, root_out, root_out);
			/* fn is the last node of its level: skip the levels where it has no sibling. */
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(root_out, p, root_out);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0;
}

bool merkle_verify_inclusion(uint64_t leaf_index, uint64_t tree_size, const uint8_t leaf_hash[MERKLE_HASH_LEN],
                             const uint8_t *path, size_t path_len, const uint8_t root[MERKLE_HASH_LEN])
{
	uint8_t got[MERKLE_HASH_LEN];

	if (!merkle_root_from_inclusion(leaf_index, tree_size, leaf_hash, path, path_len, got))
		return false;
	return memcmp(got, root, MERKLE_HASH_LEN) == 0;
}

/* Element i of the consistency path as RFC 9162 2.1.4.2 step 2 sees it:
 * when size1 is a power of two the old tree is itself a node of the new one,
 * and the prover leaves it out because the verifier already has it (root1). */
static const uint8_t *chain_elem(bool implicit, const uint8_t *root1, const uint8_t *path, size_t i)
{
	if (implicit)
		return i == 0 ? root1 : path + (i - 1) * MERKLE_HASH_LEN;
	return path + i * MERKLE_HASH_LEN;
}

/* RFC 9162 2.1.4.2 steps 2-7 for 0 < size1 < size2 and a non-empty path. */
static bool consistency_chain(uint64_t size1, uint64_t size2, const uint8_t *root1, const uint8_t *root2,
                              const uint8_t *path, size_t path_len)
{
	bool implicit = (size1 & (size1 - 1)) == 0;
	size_t n = path_len + implicit;
	uint64_t fn = size1 - 1, sn = size2 - 1;
	uint8_t fr[MERKLE_HASH_LEN], sr[MERKLE_HASH_LEN];

	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	memcpy(fr, chain_elem(implicit, root1, path, 0), MERKLE_HASH_LEN);
	memcpy(sr, fr, MERKLE_HASH_LEN);
	for (size_t i = 1; i < n; i++) {
		const uint8_t *c = chain_elem(implicit, root1, path, i);
		if (sn == 0)
			return false;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(c, fr, fr);
			merkle_node_hash(c, sr, sr);
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(sr, c, sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, root1, MERKLE_HASH_LEN) == 0 && memcmp(sr, root2, MERKLE_HASH_LEN) == 0;
}

bool merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[MERKLE_HASH_LEN],
                               const uint8_t root2[MERKLE_HASH_LEN], const uint8_t *path, size_t path_len)
{
	/* Nothing is consistent with the empty tree in a way worth proving, and
	 * upstream refuses it; refusing keeps "accepted" meaning something. */
	if (size1 == 0 || size1 > size2)
		return false;
	if (size1 == size2)
		return path_len == 0 && memcmp(root1, root2, MERKLE_HASH_LEN) == 0;
	if (path_len == 0)
		return false;
	return consistency_chain(size1, size2, root1, root2, path, path_len);
}

/* Copy spans into a contiguous path, refusing any that is not one hash. */
static bool spans_to_path(const merkle_span *spans, size_t n, uint8_t *path)
{
	if (n > MERKLE_MAX_PROOF)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (spans[i].len != MERKLE_HASH_LEN)
			return false;
		memcpy(path + i * MERKLE_HASH_LEN, spans[i].data, MERKLE_HASH_LEN);
	}
	return true;
}

bool merkle_verify_inclusion_span(uint64_t leaf_index, uint64_t tree_size, merkle_span leaf_hash,
                                  const merkle_span *path, size_t path_len, merkle_span root)
{
	uint8_t flat[MERKLE_MAX_PROOF * MERKLE_HASH_LEN];

	if (leaf_hash.len != MERKLE_HASH_LEN || root.len != MERKLE_HASH_LEN || !spans_to_path(path, path_len, flat))
		return false;
	return merkle_verify_inclusion(leaf_index, tree_size, leaf_hash.data, flat, path_len, root.data);
}

bool merkle_verify_consistency_span(uint64_t size1, uint64_t size2, merkle_span root1, merkle_span root2,
                                    const merkle_span *path, size_t path_len)
{
	uint8_t flat[MERKLE_MAX_PROOF * MERKLE_HASH_LEN];

	if (root1.len != MERKLE_HASH_LEN || root2.len != MERKLE_HASH_LEN || !spans_to_path(path, path_len, flat))
		return false;
	return merkle_verify_consistency(size1, size2, root1.data, root2.data, flat, path_len);
}

/* ---- streaming root --------------------------------------------------- */

void merkle_stream_init(merkle_stream *s)
{
	memset(s, 0, sizeof(*s));
}

void merkle_stream_append(merkle_stream *s, const uint8_t leaf_hash[MERKLE_HASH_LEN])
{
	unsigned n = popcount64(s->size);
	uint8_t cur[MERKLE_HASH_LEN];

	assert(s->size != UINT64_MAX);
	memcpy(cur, leaf_hash, MERKLE_HASH_LEN);
	/* Each trailing 1 bit of size is a subtree the new leaf completes. */
	for (uint64_t m = s->size; m & 1; m >>= 1)
		merkle_node_hash(s->stack[--n], cur, cur);
	memcpy(s->stack[n], cur, MERKLE_HASH_LEN);
	s->size++;
}

void merkle_stream_root(const merkle_stream *s, uint8_t out[MERKLE_HASH_LEN])
{
	if (s->size == 0)
		merkle_empty_root(out);
	else
		fold_right(s->stack[0], popcount64(s->size), out);
}

/* ---- tiles ------------------------------------------------------------ */

/* Where in-tile level r (0..8) starts in an expanded tile: 256, 128, ... 1. */
static unsigned tile_offset(unsigned r)
{
	return 2u * MERKLE_TILE_WIDTH - ((2u * MERKLE_TILE_WIDTH) >> r);
}

/* Hash every in-tile parent whose children are among the first `count`. */
static void tile_expand(hash_t *nodes, unsigned count)
{
	for (unsigned r = 0; r < TILE_HEIGHT; r++) {
		hash_t *row = nodes + tile_offset(r);
		hash_t *up = nodes + tile_offset(r + 1);
		for (unsigned j = 0; j < count >> (r + 1); j++)
			merkle_node_hash(row[2 * j], row[2 * j + 1], up[j]);
	}
}

/* Add a hash to an edge tile and hash the in-tile parents it completes. */
static void edge_push(struct edge_tile *e, const uint8_t hash[MERKLE_HASH_LEN])
{
	unsigned pos = e->count;

	assert(pos < MERKLE_TILE_WIDTH);
	memcpy(e->nodes[pos], hash, MERKLE_HASH_LEN);
	for (unsigned r = 0; r < TILE_HEIGHT && (pos & 1); r++, pos >>= 1) {
		hash_t *row = e->nodes + tile_offset(r);
		merkle_node_hash(row[pos - 1], row[pos], e->nodes[tile_offset(r + 1) + (pos >> 1)]);
	}
	e->count++;
	e->dirty = true;
}

/* Read a tile that must hold at least `want` hashes, then expand those. */
static int tile_load(merkle_tree *t, unsigned level, uint64_t index, unsigned want, hash_t *nodes, sl_err *err)
{
	unsigned count = 0;
	int rc = t->io.read(t->io.ctx, level, index, nodes[0], &count, err);

	if (rc == SL_ENOTFOUND)
		return sl_fail(err, SL_ECORRUPT, "Merkle tile %u/%" PRIu64 " is missing (tree size %" PRIu64 ")",
		               level, index, t->size);
	if (rc < 0) {
		sl_err_prefix(err, "reading Merkle tile %u/%" PRIu64, level, index);
		return rc;
	}
	if (count < want || count > MERKLE_TILE_WIDTH)
		return sl_fail(err, SL_ECORRUPT,
		               "Merkle tile %u/%" PRIu64 " holds %u hashes, but tree size %" PRIu64 " needs %u",
		               level, index, count, t->size, want);
	tile_expand(nodes, want);
	return 0;
}

static struct cached_tile *cache_victim(merkle_tree *t)
{
	struct cached_tile *victim = &t->cache[0];

	for (struct cached_tile *c = t->cache + 1; c < t->cache + CACHE_TILES; c++)
		if (c->used < victim->used)
			victim = c;
	return victim;
}

static struct cached_tile *cache_find(merkle_tree *t, unsigned level, uint64_t index)
{
	for (struct cached_tile *c = t->cache; c < t->cache + CACHE_TILES; c++)
		if (c->valid && c->level == level && c->index == index)
			return c;
	return NULL;
}

static void cache_mark(merkle_tree *t, struct cached_tile *c, unsigned level, uint64_t index)
{
	c->valid = true;
	c->level = level;
	c->index = index;
	c->used = ++t->clock;
}

/* The expanded nodes of tile (level, index); valid until the next call. */
static int tile_nodes(merkle_tree *t, unsigned level, uint64_t index, hash_t **out, sl_err *err)
{
	struct cached_tile *c;
	int rc;

	if (index == t->edge[level].index) {
		*out = t->edge[level].nodes;
		return 0;
	}
	assert(index < t->edge[level].index);
	c = cache_find(t, level, index);
	if (!c) {
		c = cache_victim(t);
		c->valid = false;
		c->used = 0;
		if ((rc = tile_load(t, level, index, MERKLE_TILE_WIDTH, c->nodes, err)) < 0)
			return rc;
	}
	cache_mark(t, c, level, index);
	*out = c->nodes;
	return 0;
}

/* Hash of the perfect subtree (h, k), which must lie inside the tree. */
static int node_get(merkle_tree *t, unsigned h, uint64_t k, uint8_t out[MERKLE_HASH_LEN], sl_err *err)
{
	unsigned level = h / TILE_HEIGHT, r = h % TILE_HEIGHT;
	uint64_t first = k << r; /* its leftmost descendant in the tile row */
	hash_t *nodes;
	int rc;

	if ((rc = tile_nodes(t, level, first / MERKLE_TILE_WIDTH, &nodes, err)) < 0)
		return rc;
	memcpy(out, nodes[tile_offset(r) + ((first % MERKLE_TILE_WIDTH) >> r)], MERKLE_HASH_LEN);
	return 0;
}

/* MTH of leaves [start, end), where start is a multiple of a power of two at
 * least end - start, so the range splits into aligned perfect subtrees, one
 * per set bit of its length. */
static int range_hash(merkle_tree *t, uint64_t start, uint64_t end, uint8_t out[MERKLE_HASH_LEN], sl_err *err)
{
	hash_t parts[64];
	unsigned n = 0;
	uint64_t len = end - start, pos = start;
	int rc;

	assert(start < end);
	for (unsigned h = 64; h-- > 0;) {
		uint64_t span = (uint64_t)1 << h;
		if (!(len & span))
			continue;
		if ((rc = node_get(t, h, pos >> h, parts[n++], err)) < 0)
			return rc;
		pos += span;
	}
	fold_right(parts[0], n, out);
	return 0;
}

/* ---- the persistent tree ------------------------------------------------ */

static int edge_load(merkle_tree *t, unsigned level, sl_err *err)
{
	struct edge_tile *e = &t->edge[level];
	uint64_t row = t->size >> (TILE_HEIGHT * level); /* hashes at tree level 8*level */

	e->index = row / MERKLE_TILE_WIDTH;
	e->count = (unsigned)(row % MERKLE_TILE_WIDTH);
	e->dirty = false;
	if (e->count == 0)
		return 0;
	/* A longer stored tile is fine: tiles only grow, so its prefix is ours. */
	return tile_load(t, level, e->index, e->count, e->nodes, err);
}

int merkle_tree_open(const merkle_tiles_io *io, uint64_t size, merkle_tree **out, sl_err *err)
{
	merkle_tree *t = xcalloc(1, sizeof(*t));
	int rc = 0;

	assert(io && io->read && io->write);
	*out = NULL;
	t->io = *io;
	t->size = size;
	for (unsigned level = 0; level < TILE_LEVELS; level++)
		if ((rc = edge_load(t, level, err)) < 0)
			goto done;
	*out = t;
	t = NULL;
done:
	free(t);
	return rc;
}

void merkle_tree_free(merkle_tree *t)
{
	free(t);
}

uint64_t merkle_tree_size(const merkle_tree *t)
{
	return t->size;
}

static int check_usable(const merkle_tree *t, sl_err *err)
{
	if (t->broken)
		return sl_fail(err, SL_EIO, "the Merkle tree failed to write a tile; reopen it from storage");
	return 0;
}

static int check_size(const merkle_tree *t, const char *what, uint64_t size, sl_err *err)
{
	if (size > t->size)
		return sl_fail(err, SL_EINVAL, "%s %" PRIu64 " is beyond the tree's %" PRIu64 " leaves", what, size,
		               t->size);
	return check_usable(t, err);
}

/* A level's edge tile just filled: write it, cache it (it is now an
 * immutable full tile), and start the next one. */
static int edge_complete(merkle_tree *t, unsigned level, sl_err *err)
{
	struct edge_tile *e = &t->edge[level];
	struct cached_tile *c;
	int rc;

	rc = t->io.write(t->io.ctx, level, e->index, e->nodes[0], MERKLE_TILE_WIDTH, err);
	if (rc < 0) {
		sl_err_prefix(err, "writing Merkle tile %u/%" PRIu64, level, e->index);
		return rc;
	}
	c = cache_victim(t);
	memcpy(c->nodes, e->nodes, sizeof(c->nodes));
	cache_mark(t, c, level, e->index);
	e->index++;
	e->count = 0;
	e->dirty = false;
	return 0;
}

int merkle_tree_append(merkle_tree *t, const uint8_t leaf_hash[MERKLE_HASH_LEN], sl_err *err)
{
	uint8_t carry[MERKLE_HASH_LEN];
	unsigned level = 0;
	int rc;

	if ((rc = check_usable(t, err)) < 0)
		return rc;
	if (t->size == UINT64_MAX)
		return sl_fail(err, SL_EINVAL, "the Merkle tree is full (%" PRIu64 " leaves)", t->size);
	memcpy(carry, leaf_hash, MERKLE_HASH_LEN);
	for (;;) {
		struct edge_tile *e = &t->edge[level];
		edge_push(e, carry);
		if (e->count < MERKLE_TILE_WIDTH)
			break;
		memcpy(carry, e->nodes[tile_offset(TILE_HEIGHT)], MERKLE_HASH_LEN);
		if ((rc = edge_complete(t, level, err)) < 0) {
			t->broken = true;
			return rc;
		}
		level++;
		assert(level < TILE_LEVELS); /* level 7 holds size >> 56 < 256 hashes */
	}
	t->size++;
	return 0;
}

int merkle_tree_flush(merkle_tree *t, sl_err *err)
{
	int rc;

	if ((rc = check_usable(t, err)) < 0)
		return rc;
	for (unsigned level = 0; level < TILE_LEVELS; level++) {
		struct edge_tile *e = &t->edge[level];
		if (!e->dirty || e->count == 0)
			continue;
		/* On failure the tile stays dirty, so a retried flush writes it. */
		rc = t->io.write(t->io.ctx, level, e->index, e->nodes[0], e->count, err);
		if (rc < 0) {
			sl_err_prefix(err, "writing Merkle tile %u/%" PRIu64, level, e->index);
			return rc;
		}
		e->dirty = false;
	}
	return 0;
}

int merkle_tree_root(merkle_tree *t, uint64_t size, uint8_t out[MERKLE_HASH_LEN], sl_err *err)
{
	int rc;

	if ((rc = check_size(t, "tree size", size, err)) < 0)
		return rc;
	if (size == 0) {
		merkle_empty_root(out);
		return 0;
	}
	return range_hash(t, 0, size, out, err);
}

int merkle_tree_leaf(merkle_tree *t, uint64_t index, uint8_t out[MERKLE_HASH_LEN], sl_err *err)
{
	int rc;

	if ((rc = check_usable(t, err)) < 0)
		return rc;
	if (index >= t->size)
		return sl_fail(err, SL_EINVAL, "leaf index %" PRIu64 " is not below tree size %" PRIu64, index,
		               t->size);
	return node_get(t, 0, index, out, err);
}

/* Append to path the siblings of node (h, node)'s ancestors-or-self in the
 * tree of `size` leaves, bottom-up, skipping levels where there is none. */
static int path_up(merkle_tree *t, unsigned h, uint64_t node, uint64_t size, hash_t *path, size_t *n,
                   sl_err *err)
{
	int rc = 0;

	for (uint64_t last = (size - 1) >> h; last > 0; h++, node >>= 1, last >>= 1) {
		if (node & 1) {
			rc = node_get(t, h, node - 1, path[(*n)++], err);
		} else if (node < last) {
			uint64_t start = (node + 1) << h, span = (uint64_t)1 << h;
			uint64_t end = size - start > span ? start + span : size;
			rc = range_hash(t, start, end, path[(*n)++], err);
		}
		if (rc < 0)
			break;
	}
	assert(*n <= MERKLE_MAX_PROOF);
	return rc;
}

/* Hand the proof over, or free it on error. */
static int proof_done(int rc, hash_t *proof, size_t n, uint8_t **path, size_t *path_len)
{
	if (rc < 0) {
		free(proof);
		return rc;
	}
	*path = (uint8_t *)proof;
	*path_len = n;
	return 0;
}

int merkle_tree_inclusion_proof(merkle_tree *t, uint64_t index, uint64_t size, uint8_t **path, size_t *path_len,
                                sl_err *err)
{
	hash_t *proof = NULL;
	size_t n = 0;
	int rc;

	*path = NULL;
	*path_len = 0;
	if ((rc = check_size(t, "tree size", size, err)) < 0)
		return rc;
	if (index >= size)
		return sl_fail(err, SL_EINVAL, "leaf index %" PRIu64 " is not below tree size %" PRIu64, index, size);
	proof = xmalloc(sizeof(hash_t) * MERKLE_MAX_PROOF);
	rc = path_up(t, 0, index, size, proof, &n, err);
	return proof_done(rc, proof, n, path, path_len);
}

/* RFC 9162 2.1.4.1 SUBPROOF, unrolled: the largest perfect subtree ending at
 * size1 (left out when it is the whole old tree, since the verifier has
 * root1), then that node's inclusion path in the tree of size2. */
static int consistency_nodes(merkle_tree *t, uint64_t size1, uint64_t size2, hash_t *proof, size_t *n,
                             sl_err *err)
{
	unsigned h = 0;
	uint64_t node;
	int rc;

	while (!((size1 >> h) & 1))
		h++;
	node = (size1 >> h) - 1;
	if (node != 0 && (rc = node_get(t, h, node, proof[(*n)++], err)) < 0)
		return rc;
	return path_up(t, h, node, size2, proof, n, err);
}

int merkle_tree_consistency_proof(merkle_tree *t, uint64_t size1, uint64_t size2, uint8_t **path,
                                  size_t *path_len, sl_err *err)
{
	hash_t *proof = NULL;
	size_t n = 0;
	int rc;

	*path = NULL;
	*path_len = 0;
	if ((rc = check_size(t, "size2", size2, err)) < 0)
		return rc;
	if (size1 == 0)
		return sl_fail(err, SL_EINVAL, "size1 0: a consistency proof needs a non-empty old tree");
	if (size1 > size2)
		return sl_fail(err, SL_EINVAL, "size1 %" PRIu64 " is larger than size2 %" PRIu64, size1, size2);
	proof = xmalloc(sizeof(hash_t) * MERKLE_MAX_PROOF);
	rc = size1 == size2 ? 0 : consistency_nodes(t, size1, size2, proof, &n, err);
	return proof_done(rc, proof, n, path, path_len);
}
