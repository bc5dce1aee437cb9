/*
 * hmap.c - open addressing with linear probing, grown at 1/2 load.
 *
 * The hash is 64-bit FNV-1a finished with a murmur-style mix so that seq
 * numbers (sequential integers) spread over the table; 0 marks an empty
 * slot, so a key hashing to 0 is stored as 1.
 */
#include "util/common.h"
#include "util/hmap.h"

static uint64_t hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h ? h : 1;
}

static bool slot_matches(const hmap *m, const hmap_slot *s, uint64_t h, const void *key, size_t len)
{
	/* an empty key may be the first, before any arena exists */
	return s->hash == h && s->key_len == len && (len == 0 || memcmp(m->arena + s->key_off, key, len) == 0);
}

static void grow(hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64, i;
	hmap_slot *ns = xcalloc(ncap, sizeof *ns);

	for (i = 0; i < m->cap; i++) {
		hmap_slot *s = &m->slots[i];
		size_t j;
		if (!s->hash)
			continue;
		for (j = s->hash & (ncap - 1); ns[j].hash; j = (j + 1) & (ncap - 1))
			;
		ns[j] = *s;
	}
	free(m->slots);
	m->slots = ns;
	m->cap = ncap;
}

void hmap_put(hmap *m, const void *key, size_t len, uint64_t value)
{
	uint64_t h = hash_bytes(key, len);
	size_t j;

	if ((m->count + 1) * 2 > m->cap)
		grow(m);
	for (j = h & (m->cap - 1); m->slots[j].hash; j = (j + 1) & (m->cap - 1))
		if (slot_matches(m, &m->slots[j], h, key, len)) {
			m->slots[j].value = value;
			return;
		}
	if (m->arena_len + len > m->arena_cap) {
		m->arena_cap = (m->arena_len + len) * 2 + 256;
		m->arena = xrealloc(m->arena, m->arena_cap);
	}
	if (len)
		memcpy(m->arena + m->arena_len, key, len);
	m->slots[j] = (hmap_slot){h, value, m->arena_len, (uint32_t)len};
	m->arena_len += len;
	m->count++;
}

bool hmap_get(const hmap *m, const void *key, size_t len, uint64_t *value)
{
	uint64_t h;
	size_t j;

	if (!m->cap)
		return false;
	h = hash_bytes(key, len);
	for (j = h & (m->cap - 1); m->slots[j].hash; j = (j + 1) & (m->cap - 1))
		if (slot_matches(m, &m->slots[j], h, key, len)) {
			if (value)
				*value = m->slots[j].value;
			return true;
		}
	return false;
}

void hmap_free(hmap *m)
{
	free(m->slots);
	free(m->arena);
	*m = (hmap)HMAP_INIT;
}
