/*
 * merkle.h - the log's Merkle tree: RFC 6962 / RFC 9162 section 2.1 hashing,
 * proof verification, a streaming root, and the persistent tree stored as
 * C2SP tlog-tiles.
 *
 * Owns: every Merkle hash the ledger computes or checks.  Calls only util/
 * (SHA-256 through util/sha256.h).  No SQL: the persistent tree reads and
 * writes its tiles through caller-supplied callbacks (merkle_tiles_io), which
 * the ledger maps to the store.
 *
 * Three layers, each usable alone:
 *   - pure functions: leaf and node hashes, RFC 9162 2.1.3.2 / 2.1.4.2
 *     verifiers, which trust nothing they are given;
 *   - merkle_stream: the root of leaves seen in order, in O(log n) memory,
 *     for `verify` over millions of events;
 *   - merkle_tree: the persistent tree, which appends, computes the root at
 *     any earlier size and produces inclusion and consistency proofs, reading
 *     O(log n) tiles and never all the leaves.
 *
 * Memory: a merkle_tree owns about 1.2 MB (the right edge of every tile level,
 * expanded, plus a 64-tile cache of full tiles), whatever the tree's size.
 * Proof paths are returned malloc'd; the caller frees them.  A merkle_tree is
 * not thread-safe: even reads update its cache.
 */
#ifndef SL_MERKLE_H
#define SL_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define MERKLE_HASH_LEN 32
#define MERKLE_TILE_WIDTH 256 /* tlog-tiles: tiles of height 8 */
/* Longest proof any tree of up to 2^64-1 leaves can need, in hashes: an
 * inclusion path has at most 64; a consistency proof one more. */
#define MERKLE_MAX_PROOF 65

/* RFC 9162 2.1.1.  out may alias left or right. */
void merkle_leaf_hash(const void *data, size_t len, uint8_t out[MERKLE_HASH_LEN]); /* SHA-256(0x00||data) */
void merkle_node_hash(const uint8_t left[MERKLE_HASH_LEN], const uint8_t right[MERKLE_HASH_LEN],
                      uint8_t out[MERKLE_HASH_LEN]); /* SHA-256(0x01||left||right) */
void merkle_empty_root(uint8_t out[MERKLE_HASH_LEN]); /* SHA-256("") */

/*
 * Verification, RFC 9162 2.1.3.2 (inclusion) and 2.1.4.2 (consistency), with
 * the argument checks of transparency-dev/merkle: reject leaf_index >=
 * tree_size (so tree_size 0), size1 == 0, size1 > size2, a non-empty path
 * when size1 == size2, and an empty path when size1 < size2.  path is
 * path_len hashes of 32 bytes, back to back, in RFC 9162 order.
 */
bool merkle_verify_inclusion(uint64_t leaf_index, uint64_t tree_size, const uint8_t leaf_hash[MERKLE_HASH_LEN],
                             const uint8_t *path, size_t path_len, const uint8_t root[MERKLE_HASH_LEN]);
bool merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[MERKLE_HASH_LEN],
                               const uint8_t root2[MERKLE_HASH_LEN], const uint8_t *path, size_t path_len);

/* The root an inclusion path leads to (RFC 9162 2.1.3.2 steps 1-4), or false
 * when the path has the wrong shape for (leaf_index, tree_size). */
bool merkle_root_from_inclusion(uint64_t leaf_index, uint64_t tree_size, const uint8_t leaf_hash[MERKLE_HASH_LEN],
                                const uint8_t *path, size_t path_len, uint8_t root_out[MERKLE_HASH_LEN]);

/*
 * The same verifiers for hashes as they arrive from outside (decoded JSON,
 * HTTP), where each hash has its own length.  Any hash that is not exactly
 * 32 bytes makes the proof invalid.  That includes the leaf hash (upstream
 * does the same) and, a choice of ours, the roots when size1 == size2: the
 * upstream probe "sizes-are-equal-one-and-proof-is-empty" (equal 12-byte
 * roots, accepted upstream) is rejected here, because no root of this log is
 * anything but 32 bytes.
 */
typedef struct merkle_span {
	const uint8_t *data;
	size_t len;
} merkle_span;

bool merkle_verify_inclusion_span(uint64_t leaf_index, uint64_t tree_size, merkle_span leaf_hash,
                                  const merkle_span *path, size_t path_len, merkle_span root);
bool merkle_verify_consistency_span(uint64_t size1, uint64_t size2, merkle_span root1, merkle_span root2,
                                    const merkle_span *path, size_t path_len);

/*
 * Streaming root over leaf hashes in order, no storage: stack[i] holds the
 * i-th perfect subtree of the compact range [0, size), largest first (one per
 * set bit of size).  Plain data: copy it to snapshot a position.
 */
typedef struct merkle_stream {
	uint64_t size;
	uint8_t stack[64][MERKLE_HASH_LEN];
} merkle_stream;

void merkle_stream_init(merkle_stream *s);
void merkle_stream_append(merkle_stream *s, const uint8_t leaf_hash[MERKLE_HASH_LEN]); /* size < 2^64-1 */
void merkle_stream_root(const merkle_stream *s, uint8_t out[MERKLE_HASH_LEN]);         /* root at s->size */

/*
 * Persistent incremental tree stored as C2SP tlog-tiles: the tile at level L,
 * index N holds up to 256 consecutive hashes of tree level 8L starting at
 * 256N (level 0 tiles = leaf hashes; level 1 = roots of complete 256-leaf
 * subtrees, ...).  Full tiles never change; each level's right edge is one
 * partial tile, overwritten as it grows.
 */
typedef struct merkle_tiles_io {
	void *ctx;
	/* Fill hashes (room for 256*32 bytes) with the stored tile and set *count
	 * (1..256).  Return 0, SL_ENOTFOUND if no such tile, or another SL_E*
	 * with err set. */
	int (*read)(void *ctx, unsigned level, uint64_t index, uint8_t *hashes, unsigned *count, sl_err *err);
	/* Store (insert or replace) a tile's content. */
	int (*write)(void *ctx, unsigned level, uint64_t index, const uint8_t *hashes, unsigned count, sl_err *err);
} merkle_tiles_io;

typedef struct merkle_tree merkle_tree;

/* Open the tree of `size` leaves stored through io (size 0 = empty).  Reads
 * only the right-edge partial tiles: at most one per level, 8 in all.  io is
 * copied; io->ctx must outlive the tree.  A missing or short edge tile is
 * SL_ECORRUPT. */
int merkle_tree_open(const merkle_tiles_io *io, uint64_t size, merkle_tree **out, sl_err *err);
void merkle_tree_free(merkle_tree *t); /* NULL is fine */
uint64_t merkle_tree_size(const merkle_tree *t);

/* Append a leaf hash: amortised about one node hash, no reads.  A tile that
 * becomes full is written through io->write at once (the caller is inside its
 * own transaction); partial tiles stay in memory, dirty, until
 * merkle_tree_flush.  After a failed append the tree refuses every call but
 * free: the caller rolls back, frees it and opens it again. */
int merkle_tree_append(merkle_tree *t, const uint8_t leaf_hash[MERKLE_HASH_LEN], sl_err *err);

/* Write the dirty partial tiles through io->write; call it just before
 * committing.  If the transaction then rolls back, free the tree and open it
 * again from storage. */
int merkle_tree_flush(merkle_tree *t, sl_err *err);

/* Root at any size 0 <= size <= merkle_tree_size(t), unflushed appends
 * included.  A complete subtree at tree level h comes from one tile of level
 * floor(h/8): at most 256 hashes, never the leaves below. */
int merkle_tree_root(merkle_tree *t, uint64_t size, uint8_t out[MERKLE_HASH_LEN], sl_err *err);
int merkle_tree_leaf(merkle_tree *t, uint64_t index, uint8_t out[MERKLE_HASH_LEN], sl_err *err);

/* Proofs in RFC 9162 order (2.1.3.1 PATH, 2.1.4.1 PROOF).  *path is malloc'd
 * even when *path_len is 0 and the caller frees it; on error it is NULL.
 * Errors name the bad argument ("leaf index 9 is not below tree size 8").
 * size1 == size2 gives the empty proof; size1 == 0 is refused, as the
 * verifier would refuse any proof from it. */
int merkle_tree_inclusion_proof(merkle_tree *t, uint64_t index, uint64_t size, uint8_t **path, size_t *path_len,
                                sl_err *err);
int merkle_tree_consistency_proof(merkle_tree *t, uint64_t size1, uint64_t size2, uint8_t **path,
                                  size_t *path_len, sl_err *err);

#endif
