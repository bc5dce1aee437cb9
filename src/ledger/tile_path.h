/*
 * tile_path.h - C2SP tlog-tiles resource paths (https://c2sp.org/tlog-tiles).
 *
 * This module owns the names of the static resources a tiled log serves,
 * and the arithmetic of which tiles exist for a tree size:
 *
 *     tile/<L>/<N>[.p/<W>]        Merkle tree tiles, level L in 0..63
 *     tile/entries/<N>[.p/<W>]    entry bundles
 *
 * <N> is written in zero-padded 3-digit elements, all but the last prefixed
 * "x" (1234067 -> x001/x234/067); ".p/<W>" marks a partial tile of width W in
 * 1..255 ("Merkle Tree", "Log entries").  Level L holds floor(size / 256**L)
 * hashes: that many / 256 full tiles and, if the remainder is not zero, one
 * partial tile of that width ("Partial Tiles").  Entry bundles follow level 0.
 *
 * Everywhere below, level TILE_ENTRIES (-1) means entry bundles and width
 * TILE_WIDTH (256) means a full tile.  No I/O, no allocation but the bufs.
 */
#ifndef SL_LEDGER_TILE_PATH_H
#define SL_LEDGER_TILE_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define TILE_WIDTH 256     /* hashes in a full tile, entries in a full bundle */
#define TILE_ENTRIES (-1)  /* the "level" of entry bundles */
#define TILE_MAX_LEVEL 63  /* highest level a path may name */
#define TILE_MAX_LEVELS 8  /* levels that can hold a hash for a 64-bit size: 256**8 = 2**64 */

/* Append "tile/<L>/<N>[.p/<W>]" (or "tile/entries/...").  level is
 * TILE_ENTRIES or 0..63, width 1..256. */
void tile_path_format(buf *out, int level, uint64_t index, unsigned width);

/* Parse the part of a path after "tile/", e.g. "0/x001/x234/067.p/8" or
 * "entries/000".  Strict: only the exact spelling tile_path_format produces
 * is accepted (no leading zeroes in L or W, no "x000" groups, no trailing
 * characters), the index must fit 64 bits.  Sets *level (TILE_ENTRIES for
 * bundles), *index and *width (TILE_WIDTH for a full tile); SL_EINVAL. */
int tile_path_parse(const char *path, int *level, uint64_t *index, unsigned *width, sl_err *err);

/* Width of tile `index` at `level` (TILE_ENTRIES allowed) in a tree of
 * tree_size leaves: TILE_WIDTH when full, 1..255 when partial, 0 when the
 * tree has no such tile. */
unsigned tile_width(uint64_t tree_size, int level, uint64_t index);

/* What one level of the tree holds. */
typedef struct tile_level {
	uint64_t full_tiles;    /* tiles 0 .. full_tiles-1 are full */
	unsigned partial_width; /* width of tile full_tiles, 0 when there is none */
} tile_level;

/* Fill levels[0..n) for a tree of tree_size leaves and return n, the number
 * of levels that have any tile (0 for the empty tree).  Entry bundles are
 * laid out as level 0. */
size_t tile_layout(uint64_t tree_size, tile_level levels[TILE_MAX_LEVELS]);

/* Append the path of the entry bundle holding entry entry_index (0-based)
 * as of a tree of tree_size leaves: partial if the tree ends inside it.
 * entry_index must be < tree_size. */
void tile_entries_path_for_index(buf *out, uint64_t entry_index, uint64_t tree_size);

#endif
