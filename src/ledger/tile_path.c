/*
 * tile_path.c - tlog-tiles paths and layout.  See tile_path.h.
 *
 * The parser accepts a path only if formatting what it read gives back the
 * same bytes.  Paths are cache keys and file names, so one tile must have
 * one name: "tile/0/x000/001" or "tile/00/001" must not reach the same
 * file as "tile/0/001" by another route (golang.org/x/mod/sumdb/tlog's
 * ParseTilePath does the same round-trip check).
 */
#include "util/common.h"
#include "ledger/tile_path.h"

/* tlog-tiles "Merkle Tree": 1234067 -> "x001/x234/067". */
static void format_index(buf *out, uint64_t index)
{
	unsigned groups[7]; /* 2**64 - 1 has 20 digits: 7 groups */
	size_t n = 0;

	do {
		groups[n++] = (unsigned)(index % 1000);
		index /= 1000;
	} while (index > 0);
	while (n > 1)
		buf_printf(out, "x%03u/", groups[--n]);
	buf_printf(out, "%03u", groups[0]);
}

void tile_path_format(buf *out, int level, uint64_t index, unsigned width)
{
	assert(level >= TILE_ENTRIES && level <= TILE_MAX_LEVEL);
	assert(width >= 1 && width <= TILE_WIDTH);
	if (level == TILE_ENTRIES)
		buf_puts(out, "tile/entries/");
	else
		buf_printf(out, "tile/%d/", level);
	format_index(out, index);
	if (width < TILE_WIDTH)
		buf_printf(out, ".p/%u", width);
}

/* Read 1..max_digits decimal digits at *p into *v and move *p past them. */
static int read_digits(const char **p, size_t max_digits, unsigned *v)
{
	size_t n = 0;

	*v = 0;
	while (n < max_digits && (*p)[n] >= '0' && (*p)[n] <= '9') {
		*v = *v * 10 + (unsigned)((*p)[n] - '0');
		n++;
	}
	*p += n;
	return n == 0 ? -1 : 0;
}

int tile_path_parse(const char *path, int *level, uint64_t *index, unsigned *width, sl_err *err)
{
	const char *p = path;
	buf canon = BUF_INIT;
	uint64_t n = 0;
	unsigned v, w = TILE_WIDTH;
	int lv, rc = SL_EINVAL;

	if (strncmp(p, "entries/", 8) == 0) {
		lv = TILE_ENTRIES;
		p += 8;
	} else {
		if (read_digits(&p, 2, &v) < 0 || v > TILE_MAX_LEVEL || *p != '/')
			goto bad;
		lv = (int)v;
		p++;
	}
	for (;;) {
		bool more = (*p == 'x');
		const char *g = p + more;
		p = g;
		if (read_digits(&p, 3, &v) < 0 || p - g != 3)
			goto bad;
		if (n > (UINT64_MAX - v) / 1000)
			goto bad; /* index does not fit 64 bits */
		n = n * 1000 + v;
		if (!more)
			break;
		if (*p != '/')
			goto bad;
		p++;
	}
	if (*p == '.') {
		if (strncmp(p, ".p/", 3) != 0)
			goto bad;
		p += 3;
		if (read_digits(&p, 3, &w) < 0 || w < 1 || w >= TILE_WIDTH)
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	tile_path_format(&canon, lv, n, w);
	if (strcmp(canon.data + 5, path) != 0) /* skip "tile/" */
		goto bad;
	*level = lv;
	*index = n;
	*width = w;
	rc = 0;
	goto done;
bad:
	sl_fail(err, rc, "not a tlog-tiles path: \"tile/%.100s\"", path);
done:
	buf_release(&canon);
	return rc;
}

/* Hashes at level (entries: level 0) of a tree of tree_size leaves. */
static uint64_t level_hashes(uint64_t tree_size, int level)
{
	if (level < 0)
		level = 0;
	/* A shift by 64 or more is undefined, and such levels are empty. */
	return level >= TILE_MAX_LEVELS ? 0 : tree_size >> (8 * level);
}

unsigned tile_width(uint64_t tree_size, int level, uint64_t index)
{
	uint64_t hashes = level_hashes(tree_size, level);
	uint64_t full = hashes / TILE_WIDTH;

	if (index < full)
		return TILE_WIDTH;
	if (index == full)
		return (unsigned)(hashes % TILE_WIDTH);
	return 0;
}

size_t tile_layout(uint64_t tree_size, tile_level levels[TILE_MAX_LEVELS])
{
	size_t n = 0;
	int l;

	for (l = 0; l < TILE_MAX_LEVELS; l++) {
		uint64_t hashes = level_hashes(tree_size, l);
		if (hashes == 0)
			break;
		levels[n].full_tiles = hashes / TILE_WIDTH;
		levels[n].partial_width = (unsigned)(hashes % TILE_WIDTH);
		n++;
	}
	return n;
}

void tile_entries_path_for_index(buf *out, uint64_t entry_index, uint64_t tree_size)
{
	uint64_t bundle = entry_index / TILE_WIDTH;

	assert(entry_index < tree_size);
	tile_path_format(out, TILE_ENTRIES, bundle, tile_width(tree_size, TILE_ENTRIES, bundle));
}
