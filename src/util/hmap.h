/*
 * hmap.h - a hash map from byte-string keys to 64-bit values.
 *
 * The rules engine keeps its whole model in memory (people by id, alerts by
 * ref, workers by login, events by seq) and looks something up for nearly
 * every event, so this is an open-addressing table with linear probing and
 * keys copied into one arena: no allocation per entry, no per-entry free.
 * Entries are never removed; a value can be overwritten.  Keys may contain
 * any bytes; hmap_*_u64 keys a value by a seq number.
 *
 * The map owns its key copies; hmap_free releases everything.
 */
#ifndef SL_HMAP_H
#define SL_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct hmap_slot {
	uint64_t hash;  /* 0: empty */
	uint64_t value;
	size_t key_off; /* offset of the key in the arena */
	uint32_t key_len;
} hmap_slot;

typedef struct hmap {
	hmap_slot *slots;
	size_t cap; /* a power of two, or 0 before the first put */
	size_t count;
	char *arena;
	size_t arena_len, arena_cap;
} hmap;

#define HMAP_INIT {NULL, 0, 0, NULL, 0, 0}

/* Insert or overwrite. */
void hmap_put(hmap *m, const void *key, size_t len, uint64_t value);
/* true and *value when present. */
bool hmap_get(const hmap *m, const void *key, size_t len, uint64_t *value);
void hmap_free(hmap *m);

static inline void hmap_put_u64(hmap *m, uint64_t key, uint64_t value)
{
	hmap_put(m, &key, sizeof key, value);
}
static inline bool hmap_get_u64(const hmap *m, uint64_t key, uint64_t *value)
{
	return hmap_get(m, &key, sizeof key, value);
}
static inline void hmap_put_str(hmap *m, const char *key, uint64_t value)
{
	hmap_put(m, key, strlen(key), value);
}
static inline bool hmap_get_str(const hmap *m, const char *key, uint64_t *value)
{
	return hmap_get(m, key, strlen(key), value);
}

#endif
