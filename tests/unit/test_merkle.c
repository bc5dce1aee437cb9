/*
 * test_merkle.c - the Merkle tree (src/ledger/merkle.c).
 *
 * One generated test per entry of tests/data/merkle_vectors.json
 * "upstream_probes", "inclusion", "consistency", "generated.exhaustive_8leaf"
 * and "generated.tree_1000" proofs (sources in tests/data/VECTORS.md), named
 * after the entry, then hand-written behaviour tests.  Trees live in an
 * in-memory tile store (mem_store) that counts reads and can be made to fail.
 *
 * JSON numbers: leaf_index 18446744073709551615 does not fit jansson's
 * json_int_t (long long), and as a real it would round to 2^64.  So the file
 * is loaded with every integer of 19 or more digits turned into a string
 * first, and jnum() reads integers from either form.
 */
#include "util/common.h"
#include "util/hex.h"
#include "util/sha256.h"
#include "ledger/merkle.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>

#ifndef SL_TEST_DATA_DIR
#error "SL_TEST_DATA_DIR must name tests/data"
#endif

static json_t *vectors; /* the whole merkle_vectors.json */

/* ---- JSON helpers ------------------------------------------------------- */

static char *read_file(const char *path)
{
	buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

/* Copy JSON text, quoting integers too long for json_int_t. */
static char *quote_big_integers(const char *text)
{
	buf out = BUF_INIT;
	const char *p = text;

	while (*p) {
		if (*p == '"') { /* copy a string whole, escapes included */
			const char *q = p + 1;
			while (*q && *q != '"')
				q += (*q == '\\' && q[1]) ? 2 : 1;
			buf_append(&out, p, (size_t)(q - p) + (*q ? 1 : 0));
			p = *q ? q + 1 : q;
		} else if (*p >= '0' && *p <= '9' && (p == text || p[-1] != '.')) {
			size_t n = strspn(p, "0123456789");
			bool big = n >= 19 && p[n] != '.' && p[n] != 'e' && p[n] != 'E';
			if (big)
				buf_putc(&out, '"');
			buf_append(&out, p, n);
			if (big)
				buf_putc(&out, '"');
			p += n;
		} else {
			buf_putc(&out, *p++);
		}
	}
	return buf_detach(&out);
}

static json_t *load_json(const char *path)
{
	char *raw = read_file(path), *quoted;
	json_error_t jerr;
	json_t *j;

	if (!raw) {
		fprintf(stderr, "%s: cannot read\n", path);
		return NULL;
	}
	quoted = quote_big_integers(raw);
	j = json_loads(quoted, 0, &jerr);
	if (!j)
		fprintf(stderr, "%s: line %d: %s\n", path, jerr.line, jerr.text);
	free(raw);
	free(quoted);
	return j;
}

static json_t *jget(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		fail_msg("no field %s", key);
	return v;
}

static const char *jstr(const json_t *obj, const char *key)
{
	const char *s = json_string_value(jget(obj, key));
	assert_non_null(s);
	return s;
}

static uint64_t jnum(const json_t *obj, const char *key)
{
	const json_t *v = jget(obj, key);
	const char *s;
	char *end;
	unsigned long long x;

	if (json_is_integer(v)) {
		assert_true(json_integer_value(v) >= 0);
		return (uint64_t)json_integer_value(v);
	}
	s = json_string_value(v);
	assert_non_null(s);
	errno = 0;
	x = strtoull(s, &end, 10);
	assert_true(errno == 0 && *s && *end == '\0');
	return (uint64_t)x;
}

static json_t *jpath(const char *a, const char *b, const char *c)
{
	json_t *v = jget(vectors, a);
	if (b)
		v = jget(v, b);
	if (c)
		v = jget(v, c);
	return v;
}

/* A hex string of any length, decoded into a malloc'd span. */
static merkle_span hex_span(const char *hex)
{
	size_t len = strlen(hex);
	uint8_t *data = xmalloc(len / 2 + 1);

	assert_int_equal(len % 2, 0);
	assert_int_equal(hex_decode(hex, len, data, len / 2), 0);
	return (merkle_span){data, len / 2};
}

static void hex32(const char *hex, uint8_t out[32])
{
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(hex_decode(hex, 64, out, 32), 0);
}

/* A JSON array of 32-byte hex hashes, back to back; caller frees. */
static uint8_t *hex_path(const json_t *arr, size_t *n)
{
	uint8_t *path = xmalloc(json_array_size(arr) * 32 + 1);
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
		hex32(json_string_value(e), path + i * 32);
	*n = json_array_size(arr);
	return path;
}

static void assert_path_equal(const uint8_t *got, size_t got_n, const json_t *want_arr)
{
	size_t want_n;
	uint8_t *want = hex_path(want_arr, &want_n);

	assert_int_equal(got_n, want_n);
	if (want_n)
		assert_memory_equal(got, want, want_n * 32);
	free(want);
}

/* ---- in-memory tile store ----------------------------------------------- */

typedef struct mem_tile {
	unsigned count;
	uint8_t hashes[MERKLE_TILE_WIDTH * 32];
} mem_tile;

typedef struct mem_store {
	mem_tile **tiles[8];
	uint64_t cap[8];
	unsigned long reads, writes;
	int fail_read, fail_write; /* non-zero: the next call returns it */
} mem_store;

static mem_tile *mem_get(const mem_store *m, unsigned level, uint64_t index)
{
	if (level >= 8 || index >= m->cap[level])
		return NULL;
	return m->tiles[level][index];
}

static int mem_read(void *ctx, unsigned level, uint64_t index, uint8_t *hashes, unsigned *count, sl_err *err)
{
	mem_store *m = ctx;
	mem_tile *t = mem_get(m, level, index);
	int rc;

	m->reads++;
	if (m->fail_read) {
		rc = m->fail_read;
		m->fail_read = 0;
		return sl_fail(err, rc, "disk on fire");
	}
	if (!t)
		return sl_fail(err, SL_ENOTFOUND, "no tile %u/%llu", level, (unsigned long long)index);
	memcpy(hashes, t->hashes, t->count * 32);
	*count = t->count;
	return 0;
}

static int mem_write(void *ctx, unsigned level, uint64_t index, const uint8_t *hashes, unsigned count,
                     sl_err *err)
{
	mem_store *m = ctx;
	mem_tile *t;
	int rc;

	assert_true(level < 8 && count >= 1 && count <= MERKLE_TILE_WIDTH);
	m->writes++;
	if (m->fail_write) {
		rc = m->fail_write;
		m->fail_write = 0;
		return sl_fail(err, rc, "disk full");
	}
	if (index >= m->cap[level]) {
		uint64_t cap = (index + 1) * 2;
		m->tiles[level] = xrealloc(m->tiles[level], cap * sizeof(mem_tile *));
		memset(m->tiles[level] + m->cap[level], 0, (cap - m->cap[level]) * sizeof(mem_tile *));
		m->cap[level] = cap;
	}
	if (!(t = m->tiles[level][index]))
		t = m->tiles[level][index] = xcalloc(1, sizeof(mem_tile));
	memcpy(t->hashes, hashes, count * 32);
	t->count = count;
	return 0;
}

static merkle_tiles_io mem_io(mem_store *m)
{
	return (merkle_tiles_io){.ctx = m, .read = mem_read, .write = mem_write};
}

static void mem_free(mem_store *m)
{
	for (unsigned l = 0; l < 8; l++) {
		for (uint64_t i = 0; i < m->cap[l]; i++)
			free(m->tiles[l][i]);
		free(m->tiles[l]);
	}
	memset(m, 0, sizeof(*m));
}

/* A copy of the store, as a committed transaction would have left it. */
static void mem_copy(mem_store *dst, const mem_store *src)
{
	memset(dst, 0, sizeof(*dst));
	for (unsigned l = 0; l < 8; l++) {
		dst->cap[l] = src->cap[l];
		dst->tiles[l] = src->cap[l] ? xcalloc(src->cap[l], sizeof(mem_tile *)) : NULL;
		for (uint64_t i = 0; i < src->cap[l]; i++) {
			if (!src->tiles[l][i])
				continue;
			dst->tiles[l][i] = xmalloc(sizeof(mem_tile));
			memcpy(dst->tiles[l][i], src->tiles[l][i], sizeof(mem_tile));
		}
	}
}

static unsigned long mem_tile_count(const mem_store *m)
{
	unsigned long n = 0;
	for (unsigned l = 0; l < 8; l++)
		for (uint64_t i = 0; i < m->cap[l]; i++)
			n += m->tiles[l][i] != NULL;
	return n;
}

static void assert_stores_equal(const mem_store *a, const mem_store *b)
{
	assert_int_equal(mem_tile_count(a), mem_tile_count(b));
	for (unsigned l = 0; l < 8; l++) {
		for (uint64_t i = 0; i < a->cap[l]; i++) {
			mem_tile *x = a->tiles[l][i], *y = mem_get(b, l, i);
			if (!x)
				continue;
			assert_non_null(y);
			assert_int_equal(x->count, y->count);
			assert_memory_equal(x->hashes, y->hashes, x->count * 32);
		}
	}
}

/* ---- trees -------------------------------------------------------------- */

/* Leaf i of generated trees, as in tree_1000: the ASCII decimal of i. */
static void leaf_of(uint64_t i, uint8_t out[32])
{
	char s[24];
	int n = snprintf(s, sizeof(s), "%llu", (unsigned long long)i);
	merkle_leaf_hash(s, (size_t)n, out);
}

static merkle_tree *open_tree(mem_store *m, uint64_t size)
{
	merkle_tiles_io io = mem_io(m);
	merkle_tree *t = NULL;
	sl_err err = {0};

	if (merkle_tree_open(&io, size, &t, &err) != 0)
		fail_msg("open: %s", err.msg);
	return t;
}

static void append_leaves(merkle_tree *t, uint64_t from, uint64_t to)
{
	uint8_t leaf[32];
	sl_err err = {0};

	for (uint64_t i = from; i < to; i++) {
		leaf_of(i, leaf);
		if (merkle_tree_append(t, leaf, &err) != 0)
			fail_msg("append %llu: %s", (unsigned long long)i, err.msg);
	}
}

static void flush(merkle_tree *t)
{
	sl_err err = {0};
	if (merkle_tree_flush(t, &err) != 0)
		fail_msg("flush: %s", err.msg);
}

/* The tree of leaves 0..n-1 (decimal), flushed. */
static merkle_tree *generated_tree(mem_store *m, uint64_t n)
{
	merkle_tree *t = open_tree(m, 0);
	append_leaves(t, 0, n);
	flush(t);
	return t;
}

/* The 8 RFC 6962 test leaves. */
static merkle_tree *rfc_tree(mem_store *m)
{
	merkle_tree *t = open_tree(m, 0);
	uint8_t leaf[32];
	sl_err err = {0};
	size_t i;
	json_t *e;

	json_array_foreach(jpath("leaf_hashes", NULL, NULL), i, e) {
		hex32(json_string_value(e), leaf);
		assert_int_equal(merkle_tree_append(t, leaf, &err), 0);
	}
	flush(t);
	return t;
}

static void root_at(merkle_tree *t, uint64_t size, uint8_t out[32])
{
	sl_err err = {0};
	if (merkle_tree_root(t, size, out, &err) != 0)
		fail_msg("root at %llu: %s", (unsigned long long)size, err.msg);
}

static uint8_t *inclusion(merkle_tree *t, uint64_t index, uint64_t size, size_t *n)
{
	uint8_t *path = NULL;
	sl_err err = {0};
	if (merkle_tree_inclusion_proof(t, index, size, &path, n, &err) != 0)
		fail_msg("inclusion %llu in %llu: %s", (unsigned long long)index, (unsigned long long)size, err.msg);
	return path;
}

static uint8_t *consistency(merkle_tree *t, uint64_t size1, uint64_t size2, size_t *n)
{
	uint8_t *path = NULL;
	sl_err err = {0};
	if (merkle_tree_consistency_proof(t, size1, size2, &path, n, &err) != 0)
		fail_msg("consistency %llu to %llu: %s", (unsigned long long)size1, (unsigned long long)size2, err.msg);
	return path;
}

/* Roots of every prefix of the generated leaves, from merkle_stream. */
static uint8_t (*stream_roots(uint64_t n))[32]
{
	uint8_t (*roots)[32] = xmalloc((n + 1) * 32);
	merkle_stream s;
	uint8_t leaf[32];

	merkle_stream_init(&s);
	merkle_stream_root(&s, roots[0]);
	for (uint64_t i = 0; i < n; i++) {
		leaf_of(i, leaf);
		merkle_stream_append(&s, leaf);
		merkle_stream_root(&s, roots[i + 1]);
	}
	return roots;
}

/* Generated inclusion and consistency proofs at (index, size) and (size1,
 * size) verify against the stream's roots. */
static void assert_proofs_verify(merkle_tree *t, uint8_t (*roots)[32], uint64_t index, uint64_t size1,
                                 uint64_t size)
{
	uint8_t leaf[32], *path;
	size_t n;

	leaf_of(index, leaf);
	path = inclusion(t, index, size, &n);
	assert_true(merkle_verify_inclusion(index, size, leaf, path, n, roots[size]));
	free(path);
	path = consistency(t, size1, size, &n);
	assert_true(merkle_verify_consistency(size1, size, roots[size1], roots[size], path, n));
	free(path);
}

/* ---- generated tests: one per vector entry ------------------------------- */

static void check_inclusion_probe(void **state)
{
	const json_t *e = *state;
	bool accept = strcmp(jstr(e, "expect"), "accept") == 0, all32;
	merkle_span leaf = hex_span(jstr(e, "leaf_hash")), root = hex_span(jstr(e, "root"));
	const json_t *arr = jget(e, "path");
	size_t n = json_array_size(arr), i;
	merkle_span *path = xcalloc(n + 1, sizeof(*path));
	uint8_t *flat = xmalloc(n * 32 + 1);
	json_t *p;

	all32 = leaf.len == 32 && root.len == 32;
	json_array_foreach(arr, i, p) {
		path[i] = hex_span(json_string_value(p));
		all32 = all32 && path[i].len == 32;
		if (path[i].len == 32)
			memcpy(flat + i * 32, path[i].data, 32);
	}
	assert_int_equal(merkle_verify_inclusion_span(jnum(e, "leaf_index"), jnum(e, "tree_size"), leaf, path, n, root),
	                 accept);
	/* The fixed-size API cannot even express the other probes. */
	if (all32)
		assert_int_equal(merkle_verify_inclusion(jnum(e, "leaf_index"), jnum(e, "tree_size"), leaf.data, flat, n,
		                                         root.data),
		                 accept);
	for (i = 0; i < n; i++)
		free((void *)path[i].data);
	free(path);
	free(flat);
	free((void *)leaf.data);
	free((void *)root.data);
}

/* Upstream accepts equal non-32-byte roots when size1 == size2 == 1; we
 * reject every hash that is not 32 bytes (merkle.h, merkle_span). */
static const char implementation_defined_probe[] =
	"testdata/consistency/additional/sizes-are-equal-one-and-proof-is-empty.json";

static void check_consistency_probe(void **state)
{
	const json_t *e = *state;
	bool accept = strcmp(jstr(e, "expect"), "accept") == 0, all32;
	merkle_span r1 = hex_span(jstr(e, "root1")), r2 = hex_span(jstr(e, "root2"));
	const json_t *arr = jget(e, "path");
	size_t n = json_array_size(arr), i;
	merkle_span *path = xcalloc(n + 1, sizeof(*path));
	uint8_t *flat = xmalloc(n * 32 + 1);
	json_t *p;

	if (strcmp(jstr(e, "file"), implementation_defined_probe) == 0) {
		assert_true(accept && r1.len != 32); /* the vector is what we think it is */
		accept = false;
	}
	all32 = r1.len == 32 && r2.len == 32;
	json_array_foreach(arr, i, p) {
		path[i] = hex_span(json_string_value(p));
		all32 = all32 && path[i].len == 32;
		if (path[i].len == 32)
			memcpy(flat + i * 32, path[i].data, 32);
	}
	assert_int_equal(merkle_verify_consistency_span(jnum(e, "size1"), jnum(e, "size2"), r1, r2, path, n), accept);
	if (all32)
		assert_int_equal(
			merkle_verify_consistency(jnum(e, "size1"), jnum(e, "size2"), r1.data, r2.data, flat, n),
			accept);
	for (i = 0; i < n; i++)
		free((void *)path[i].data);
	free(path);
	free(flat);
	free((void *)r1.data);
	free((void *)r2.data);
}

/* An upstream or exhaustive 8-leaf inclusion entry: the tree reproduces the
 * path exactly, and it verifies against the RFC root of that size. */
static void check_8leaf_inclusion(void **state)
{
	const json_t *e = *state, *r;
	mem_store m = {0};
	merkle_tree *t = rfc_tree(&m);
	uint64_t index = jnum(e, "leaf_index"), size = jnum(e, "tree_size");
	uint8_t leaf[32], root[32], want_root[32], *path;
	size_t n;
	sl_err err = {0};

	path = inclusion(t, index, size, &n);
	assert_path_equal(path, n, jget(e, "path"));
	hex32(json_string_value(json_array_get(jpath("leaf_hashes", NULL, NULL), index)), leaf);
	if ((r = json_object_get(e, "leaf_hash")))
		assert_memory_equal(leaf, (hex32(json_string_value(r), root), root), 32);
	hex32(jstr(json_array_get(jpath("roots", NULL, NULL), size - 1), "root"), want_root);
	if ((r = json_object_get(e, "root"))) {
		hex32(json_string_value(r), root);
		assert_memory_equal(root, want_root, 32);
	}
	assert_int_equal(merkle_tree_leaf(t, index, root, &err), 0);
	assert_memory_equal(root, leaf, 32);
	assert_true(merkle_verify_inclusion(index, size, leaf, path, n, want_root));
	assert_true(merkle_root_from_inclusion(index, size, leaf, path, n, root));
	assert_memory_equal(root, want_root, 32);
	free(path);
	merkle_tree_free(t);
	mem_free(&m);
}

static void check_8leaf_consistency(void **state)
{
	const json_t *e = *state, *r;
	mem_store m = {0};
	merkle_tree *t = rfc_tree(&m);
	uint64_t size1 = jnum(e, "size1"), size2 = jnum(e, "size2");
	uint8_t root1[32], root2[32], given[32], *path;
	size_t n;

	path = consistency(t, size1, size2, &n);
	assert_path_equal(path, n, jget(e, "path"));
	hex32(jstr(json_array_get(jpath("roots", NULL, NULL), size1 - 1), "root"), root1);
	hex32(jstr(json_array_get(jpath("roots", NULL, NULL), size2 - 1), "root"), root2);
	if ((r = json_object_get(e, "root1")))
		assert_memory_equal(root1, (hex32(json_string_value(r), given), given), 32);
	if ((r = json_object_get(e, "root2")))
		assert_memory_equal(root2, (hex32(json_string_value(r), given), given), 32);
	assert_true(merkle_verify_consistency(size1, size2, root1, root2, path, n));
	if (size1 < size2) /* a proof for the wrong pair must not pass */
		assert_false(merkle_verify_consistency(size1, size2, root2, root1, path, n));
	free(path);
	merkle_tree_free(t);
	mem_free(&m);
}

static void check_1000_inclusion(void **state)
{
	const json_t *e = *state;
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000);
	uint64_t index = jnum(e, "leaf_index"), size = jnum(e, "tree_size");
	uint8_t leaf[32], want[32], root[32], *path;
	size_t n;

	leaf_of(index, leaf);
	merkle_leaf_hash(jstr(e, "leaf_data_ascii"), strlen(jstr(e, "leaf_data_ascii")), want);
	assert_memory_equal(leaf, want, 32);
	hex32(jstr(e, "leaf_hash"), want);
	assert_memory_equal(leaf, want, 32);
	hex32(jstr(e, "root"), want);
	root_at(t, size, root);
	assert_memory_equal(root, want, 32);
	path = inclusion(t, index, size, &n);
	assert_path_equal(path, n, jget(e, "path"));
	assert_true(merkle_verify_inclusion(index, size, leaf, path, n, want));
	free(path);
	merkle_tree_free(t);
	mem_free(&m);
}

static void check_1000_consistency(void **state)
{
	const json_t *e = *state;
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000);
	uint64_t size1 = jnum(e, "size1"), size2 = jnum(e, "size2");
	uint8_t root1[32], root2[32], got[32], *path;
	size_t n;

	hex32(jstr(e, "root1"), root1);
	hex32(jstr(e, "root2"), root2);
	root_at(t, size1, got);
	assert_memory_equal(got, root1, 32);
	root_at(t, size2, got);
	assert_memory_equal(got, root2, 32);
	path = consistency(t, size1, size2, &n);
	assert_path_equal(path, n, jget(e, "path"));
	assert_true(merkle_verify_consistency(size1, size2, root1, root2, path, n));
	free(path);
	merkle_tree_free(t);
	mem_free(&m);
}

/* ---- behaviour tests ------------------------------------------------------ */

static void test_leaf_hashes_match_rfc6962_vectors(void **state)
{
	const json_t *leaves = jpath("leaves", NULL, NULL), *hashes = jpath("leaf_hashes", NULL, NULL);
	uint8_t got[32], want[32];
	size_t i;
	json_t *e;

	(void)state;
	assert_int_equal(json_array_size(leaves), 8);
	json_array_foreach(leaves, i, e) {
		merkle_span data = hex_span(json_string_value(e));
		merkle_leaf_hash(data.data, data.len, got);
		hex32(json_string_value(json_array_get(hashes, i)), want);
		assert_memory_equal(got, want, 32);
		free((void *)data.data);
	}
}

/* Every complete subtree of the 8 leaves, from its two children, from the
 * stream over the leaves it covers, and from the tree's root at that size
 * when it starts at leaf 0. */
static void test_node_hashes_match_rfc6962_vectors(void **state)
{
	const json_t *nodes = jpath("node_hashes", NULL, NULL), *leaves = jpath("leaf_hashes", NULL, NULL);
	uint8_t table[4][8][32], leaf[32], got[32];
	mem_store m = {0};
	merkle_tree *t = rfc_tree(&m);
	size_t i;
	json_t *e;

	(void)state;
	assert_int_equal(json_array_size(nodes), 15);
	json_array_foreach(nodes, i, e) {
		uint64_t level = jnum(e, "level"), index = jnum(e, "index");
		uint64_t a = json_integer_value(json_array_get(jget(e, "covers"), 0));
		uint64_t b = json_integer_value(json_array_get(jget(e, "covers"), 1));
		merkle_stream s;

		assert_true(level < 4 && index < 8 && b - a == (uint64_t)1 << level && a == index << level);
		hex32(jstr(e, "hash"), table[level][index]);
		if (level > 0) {
			merkle_node_hash(table[level - 1][2 * index], table[level - 1][2 * index + 1], got);
			assert_memory_equal(got, table[level][index], 32);
		}
		merkle_stream_init(&s);
		for (uint64_t j = a; j < b; j++) {
			hex32(json_string_value(json_array_get(leaves, j)), leaf);
			merkle_stream_append(&s, leaf);
		}
		merkle_stream_root(&s, got);
		assert_memory_equal(got, table[level][index], 32);
		if (a == 0) {
			root_at(t, b, got);
			assert_memory_equal(got, table[level][index], 32);
		}
	}
	merkle_tree_free(t);
	mem_free(&m);
}

static void test_empty_tree_root_is_sha256_of_nothing(void **state)
{
	uint8_t want[32], got[32];
	merkle_stream s;
	mem_store m = {0};
	merkle_tree *t = open_tree(&m, 0);

	(void)state;
	hex32(json_string_value(jpath("empty_root", NULL, NULL)), want);
	merkle_empty_root(got);
	assert_memory_equal(got, want, 32);
	merkle_stream_init(&s);
	merkle_stream_root(&s, got);
	assert_memory_equal(got, want, 32);
	root_at(t, 0, got);
	assert_memory_equal(got, want, 32);
	assert_int_equal(merkle_tree_size(t), 0);
	flush(t);
	assert_int_equal(m.writes, 0); /* an empty tree has no tiles */
	merkle_tree_free(t);
	mem_free(&m);
}

/* Roots 1..8 from the stream, and from the 8-leaf tree at every older size,
 * before and after reopening. */
static void test_roots_of_one_to_eight_leaves(void **state)
{
	const json_t *roots = jpath("roots", NULL, NULL), *leaves = jpath("leaf_hashes", NULL, NULL);
	mem_store m = {0};
	merkle_tree *t = rfc_tree(&m), *again;
	uint8_t want[32], got[32], leaf[32];
	merkle_stream s;
	size_t i;
	json_t *e;

	(void)state;
	again = open_tree(&m, 8);
	merkle_stream_init(&s);
	assert_int_equal(json_array_size(roots), 8);
	json_array_foreach(roots, i, e) {
		uint64_t size = jnum(e, "size");
		assert_int_equal(size, i + 1);
		hex32(jstr(e, "root"), want);
		hex32(json_string_value(json_array_get(leaves, i)), leaf);
		merkle_stream_append(&s, leaf);
		merkle_stream_root(&s, got);
		assert_memory_equal(got, want, 32);
		root_at(t, size, got);
		assert_memory_equal(got, want, 32);
		root_at(again, size, got);
		assert_memory_equal(got, want, 32);
	}
	merkle_tree_free(t);
	merkle_tree_free(again);
	mem_free(&m);
}

static void test_tree_1000_roots_at_listed_sizes(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000), *again = open_tree(&m, 1000);
	uint8_t (*roots)[32] = stream_roots(1000);
	uint8_t want[32], got[32];
	size_t i;
	json_t *e;

	(void)state;
	assert_int_equal(json_array_size(jpath("generated", "tree_1000", "roots")), 9);
	json_array_foreach(jpath("generated", "tree_1000", "roots"), i, e) {
		uint64_t size = jnum(e, "size");
		hex32(jstr(e, "root"), want);
		root_at(t, size, got);
		assert_memory_equal(got, want, 32);
		root_at(again, size, got);
		assert_memory_equal(got, want, 32);
		assert_memory_equal(roots[size], want, 32);
	}
	free(roots);
	merkle_tree_free(t);
	merkle_tree_free(again);
	mem_free(&m);
}

static void assert_tile_matches(const mem_store *m, unsigned level, uint64_t index, const json_t *e)
{
	const mem_tile *tile = mem_get(m, level, index);
	uint8_t want[32], got[32];

	assert_non_null(tile);
	assert_int_equal(tile->count, jnum(e, "width"));
	assert_int_equal(tile->count * 32, jnum(e, "tile_bytes_len"));
	hex32(jstr(e, "first_hash"), want);
	assert_memory_equal(tile->hashes, want, 32);
	hex32(jstr(e, "last_hash"), want);
	assert_memory_equal(tile->hashes + (tile->count - 1) * 32, want, 32);
	hex32(jstr(e, "sha256_of_tile_bytes"), want);
	sha256(tile->hashes, tile->count * 32, got);
	assert_memory_equal(got, want, 32);
}

/* At size 1000 the store holds exactly tile/0/000..002, tile/0/003.p/232 and
 * tile/1/000.p/3, byte for byte. */
static void test_tree_1000_tiles_match_the_tlog_tiles_layout(void **state)
{
	const json_t *tiles = jpath("generated", "tree_1000", "tiles_at_size_1000");
	const json_t *level0 = jget(tiles, "level0"), *level1 = jget(tiles, "level1");
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000);
	const mem_tile *top;
	uint8_t want[32];
	size_t i;
	json_t *e;

	(void)state;
	assert_int_equal(mem_tile_count(&m), json_array_size(level0) + 1);
	json_array_foreach(level0, i, e)
		assert_tile_matches(&m, 0, i, e);
	assert_string_equal(jstr(level1, "path"), "tile/1/000.p/3");
	top = mem_get(&m, 1, 0);
	assert_non_null(top);
	assert_int_equal(top->count, json_array_size(jget(level1, "hashes")));
	json_array_foreach(jget(level1, "hashes"), i, e) {
		hex32(json_string_value(e), want);
		assert_memory_equal(top->hashes + i * 32, want, 32);
	}
	merkle_tree_free(t);
	mem_free(&m);
}

/* The tiles stored for each size of note_vectors.json "tile_sets": per level,
 * full_tiles full ones and, if partial_width, one partial of that width. */
static void test_stored_tiles_follow_tlog_tiles_partial_tile_rule(void **state)
{
	json_t *notes = load_json(SL_TEST_DATA_DIR "/note_vectors.json");
	size_t i, j;
	json_t *set, *lv;

	(void)state;
	assert_non_null(notes);
	json_array_foreach(jget(jget(notes, "tile_sets"), "sets"), i, set) {
		mem_store m = {0};
		merkle_tree *t = generated_tree(&m, jnum(set, "tree_size"));
		unsigned long expected = 0;

		json_array_foreach(jget(set, "levels"), j, lv) {
			unsigned level = (unsigned)jnum(lv, "level");
			uint64_t full = jnum(lv, "full_tiles");
			const json_t *pw = jget(lv, "partial_width");
			for (uint64_t k = 0; k < full; k++)
				assert_int_equal(mem_get(&m, level, k)->count, MERKLE_TILE_WIDTH);
			expected += full;
			if (json_is_integer(pw)) {
				assert_int_equal(mem_get(&m, level, full)->count, json_integer_value(pw));
				expected++;
			} else {
				assert_null(mem_get(&m, level, full));
			}
		}
		assert_int_equal(mem_tile_count(&m), expected);
		merkle_tree_free(t);
		mem_free(&m);
	}
	json_decref(notes);
}

/* At sizes 2^k every leaf's proof verifies and has exactly k hashes. */
static void test_inclusion_proof_at_power_of_two(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1024);
	uint8_t (*roots)[32] = stream_roots(1024), leaf[32], *path;
	size_t n;

	(void)state;
	for (unsigned k = 0; k <= 10; k++) {
		uint64_t size = (uint64_t)1 << k;
		for (uint64_t i = 0; i < size; i += 1 + size / 64) {
			leaf_of(i, leaf);
			path = inclusion(t, i, size, &n);
			assert_int_equal(n, k);
			assert_true(merkle_verify_inclusion(i, size, leaf, path, n, roots[size]));
			assert_false(merkle_verify_inclusion(i ^ 1, size, leaf, path, n, roots[size]) && size > 1);
			free(path);
		}
	}
	free(roots);
	merkle_tree_free(t);
	mem_free(&m);
}

/* Every size 1..600 (two tile boundaries): the root equals the stream's,
 * and proofs at that size verify. */
static void test_every_size_up_to_600_matches_stream_and_proofs_verify(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 600);
	uint8_t (*roots)[32] = stream_roots(600), got[32];

	(void)state;
	for (uint64_t size = 1; size <= 600; size++) {
		root_at(t, size, got);
		assert_memory_equal(got, roots[size], 32);
		assert_proofs_verify(t, roots, (size * 7919) % size, 1 + (size * 104729) % size, size);
		assert_proofs_verify(t, roots, size - 1, size, 600);
	}
	free(roots);
	merkle_tree_free(t);
	mem_free(&m);
}

/* Open reads at most one tile per level; a root or proof reads at most one
 * tile per level it touches; a repeated proof reads nothing (cached). */
static void test_open_and_prove_at_100000_leaves_reads_few_tiles(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 100000);
	uint8_t (*roots)[32] = stream_roots(100000), got[32], leaf[32], *path;
	unsigned long before;
	size_t n;

	(void)state;
	merkle_tree_free(t);
	m.reads = 0;
	t = open_tree(&m, 100000);
	assert_true(m.reads <= 8);
	before = m.reads;
	root_at(t, 100000, got); /* the right edge is in memory */
	assert_memory_equal(got, roots[100000], 32);
	assert_int_equal(m.reads, before);
	root_at(t, 54321, got);
	assert_memory_equal(got, roots[54321], 32);
	assert_true(m.reads - before < 64);
	before = m.reads;
	leaf_of(4242, leaf);
	path = inclusion(t, 4242, 100000, &n);
	assert_true(m.reads - before < 64);
	assert_true(merkle_verify_inclusion(4242, 100000, leaf, path, n, roots[100000]));
	free(path);
	before = m.reads;
	path = consistency(t, 12345, 99999, &n);
	assert_true(m.reads - before < 64);
	assert_true(merkle_verify_consistency(12345, 99999, roots[12345], roots[99999], path, n));
	free(path);
	before = m.reads;
	path = inclusion(t, 4242, 100000, &n);
	assert_int_equal(m.reads, before);
	free(path);
	free(roots);
	merkle_tree_free(t);
	mem_free(&m);
}

/* Flush at awkward sizes around tile boundaries, reopen from storage, and
 * carry on appending with the reopened tree: every root matches the stream. */
static void test_reopen_after_flush_at_odd_sizes_matches_stream(void **state)
{
	static const uint64_t sizes[] = {1, 255, 256, 257, 65535, 65536, 65537};
	mem_store m = {0};
	merkle_tree *t = open_tree(&m, 0);
	uint8_t (*roots)[32] = stream_roots(65537), got[32];
	uint64_t done = 0;

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(sizes); i++) {
		uint64_t size = sizes[i];
		append_leaves(t, done, size);
		flush(t);
		merkle_tree_free(t);
		t = open_tree(&m, size);
		assert_int_equal(merkle_tree_size(t), size);
		root_at(t, size, got);
		assert_memory_equal(got, roots[size], 32);
		root_at(t, (size + 1) / 2, got);
		assert_memory_equal(got, roots[(size + 1) / 2], 32);
		assert_proofs_verify(t, roots, size - 1, (size + 2) / 3, size);
		done = size;
	}
	free(roots);
	merkle_tree_free(t);
	mem_free(&m);
}

/* Appending in bursts with flush and reopen in between leaves the same
 * tiles, byte for byte, as one uninterrupted run. */
static void test_flush_reopen_append_more_gives_the_same_tiles_as_one_run(void **state)
{
	static const uint64_t stops[] = {1, 7, 255, 256, 300, 511, 512, 513, 2000, 2999, 3000};
	mem_store one = {0}, bursts = {0};
	merkle_tree *t = generated_tree(&one, 3000), *b = open_tree(&bursts, 0);
	uint8_t got[32], want[32];
	uint64_t done = 0;

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(stops); i++) {
		append_leaves(b, done, stops[i]);
		flush(b);
		merkle_tree_free(b);
		b = open_tree(&bursts, stops[i]);
		root_at(b, stops[i], got);
		root_at(t, stops[i], want);
		assert_memory_equal(got, want, 32);
		done = stops[i];
	}
	assert_stores_equal(&one, &bursts);
	merkle_tree_free(t);
	merkle_tree_free(b);
	mem_free(&one);
	mem_free(&bursts);
}

/* Full tiles are written the moment they fill; partial ones only on flush;
 * in between, roots, proofs and leaves see the unflushed hashes. */
static void test_unflushed_appends_are_seen_and_only_full_tiles_written(void **state)
{
	mem_store m = {0};
	merkle_tree *t = open_tree(&m, 0);
	uint8_t (*roots)[32] = stream_roots(70000), got[32], leaf[32];
	sl_err err = {0};

	(void)state;
	append_leaves(t, 0, 255);
	assert_int_equal(m.writes, 0);
	append_leaves(t, 255, 256);
	assert_int_equal(m.writes, 1);
	assert_int_equal(mem_get(&m, 0, 0)->count, 256);
	append_leaves(t, 256, 70000);
	assert_int_equal(m.writes, 70000 / 256 + 1); /* 273 level-0 tiles, 1 level-1 tile */
	for (uint64_t size = 1; size <= 70000; size += 997) {
		root_at(t, size, got);
		assert_memory_equal(got, roots[size], 32);
		assert_proofs_verify(t, roots, size / 2, (size + 1) / 2, size);
	}
	root_at(t, 70000, got);
	assert_memory_equal(got, roots[70000], 32);
	assert_proofs_verify(t, roots, 69999, 65537, 70000);
	assert_int_equal(merkle_tree_leaf(t, 69999, got, &err), 0);
	leaf_of(69999, leaf);
	assert_memory_equal(got, leaf, 32);
	flush(t);
	assert_int_equal(m.writes, 273 + 1 + 3); /* + tile/0/273.p/112, tile/1/001.p/17, tile/2/000.p/1 */
	flush(t);
	assert_int_equal(m.writes, 277); /* nothing left dirty */
	free(roots);
	merkle_tree_free(t);
	mem_free(&m);
}

/* A rolled-back transaction: the store goes back to its last commit, the
 * tree is reopened, and new appends build on the committed state. */
static void test_reopen_after_rollback_forgets_unflushed_appends(void **state)
{
	mem_store m = {0}, committed;
	merkle_tree *t = generated_tree(&m, 300);
	uint8_t (*roots)[32] = stream_roots(800), got[32];

	(void)state;
	mem_copy(&committed, &m);
	append_leaves(t, 300, 700); /* writes full tiles 0/1 and 0/2, then "rolls back" */
	merkle_tree_free(t);
	mem_free(&m);
	t = open_tree(&committed, 300);
	root_at(t, 300, got);
	assert_memory_equal(got, roots[300], 32);
	append_leaves(t, 300, 800);
	flush(t);
	merkle_tree_free(t);
	t = open_tree(&committed, 800);
	root_at(t, 800, got);
	assert_memory_equal(got, roots[800], 32);
	assert_proofs_verify(t, roots, 299, 300, 800);
	free(roots);
	merkle_tree_free(t);
	mem_free(&committed);
}

static void test_leaf_returns_appended_hashes(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000);
	uint8_t got[32], want[32];
	sl_err err = {0};

	(void)state;
	for (uint64_t i = 0; i < 1000; i += 37) {
		assert_int_equal(merkle_tree_leaf(t, i, got, &err), 0);
		leaf_of(i, want);
		assert_memory_equal(got, want, 32);
	}
	assert_int_equal(merkle_tree_leaf(t, 1000, got, &err), SL_EINVAL);
	assert_string_equal(err.msg, "leaf index 1000 is not below tree size 1000");
	merkle_tree_free(t);
	mem_free(&m);
}

static void test_proof_arguments_out_of_range_are_named(void **state)
{
	mem_store m = {0};
	merkle_tree *t = rfc_tree(&m);
	uint8_t *path = (uint8_t *)"x", got[32];
	size_t n = 99;
	sl_err err = {0};

	(void)state;
	assert_int_equal(merkle_tree_inclusion_proof(t, 9, 8, &path, &n, &err), SL_EINVAL);
	assert_string_equal(err.msg, "leaf index 9 is not below tree size 8");
	assert_null(path);
	assert_int_equal(n, 0);
	assert_int_equal(merkle_tree_inclusion_proof(t, 0, 9, &path, &n, &err), SL_EINVAL);
	assert_string_equal(err.msg, "tree size 9 is beyond the tree's 8 leaves");
	assert_int_equal(merkle_tree_inclusion_proof(t, 0, 0, &path, &n, &err), SL_EINVAL);
	assert_string_equal(err.msg, "leaf index 0 is not below tree size 0");
	assert_int_equal(merkle_tree_consistency_proof(t, 0, 8, &path, &n, &err), SL_EINVAL);
	assert_string_equal(err.msg, "size1 0: a consistency proof needs a non-empty old tree");
	assert_int_equal(merkle_tree_consistency_proof(t, 5, 4, &path, &n, &err), SL_EINVAL);
	assert_string_equal(err.msg, "size1 5 is larger than size2 4");
	assert_int_equal(merkle_tree_consistency_proof(t, 5, 9, &path, &n, &err), SL_EINVAL);
	assert_string_equal(err.msg, "size2 9 is beyond the tree's 8 leaves");
	assert_int_equal(merkle_tree_root(t, 9, got, &err), SL_EINVAL);
	assert_string_equal(err.msg, "tree size 9 is beyond the tree's 8 leaves");
	assert_null(path);
	merkle_tree_free(t);
	mem_free(&m);
}

static void test_consistency_proof_of_equal_sizes_is_empty(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 300);
	uint8_t root[32], *path;
	size_t n = 99;

	(void)state;
	path = consistency(t, 300, 300, &n);
	assert_non_null(path); /* allocated even when empty: callers always free */
	assert_int_equal(n, 0);
	root_at(t, 300, root);
	assert_true(merkle_verify_consistency(300, 300, root, root, path, n));
	free(path);
	merkle_tree_free(t);
	mem_free(&m);
}

static void test_missing_or_short_edge_tile_is_corrupt(void **state)
{
	mem_store m = {0};
	merkle_tree *t = NULL;
	merkle_tiles_io io = mem_io(&m);
	uint8_t hashes[100 * 32] = {0};
	sl_err err = {0};

	(void)state;
	assert_int_equal(merkle_tree_open(&io, 1000, &t, &err), SL_ECORRUPT);
	assert_null(t);
	assert_string_equal(err.msg, "Merkle tile 0/3 is missing (tree size 1000)");
	assert_int_equal(mem_write(&m, 0, 3, hashes, 100, &err), 0);
	assert_int_equal(merkle_tree_open(&io, 1000, &t, &err), SL_ECORRUPT);
	assert_string_equal(err.msg, "Merkle tile 0/3 holds 100 hashes, but tree size 1000 needs 232");
	mem_free(&m);
}

static void test_missing_full_tile_is_corrupt_when_proving(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000);
	uint8_t *path = NULL;
	size_t n;
	sl_err err = {0};

	(void)state;
	merkle_tree_free(t);
	free(m.tiles[0][1]);
	m.tiles[0][1] = NULL;
	t = open_tree(&m, 1000);
	path = inclusion(t, 0, 1000, &n); /* needs only tile 0/0 and the level-1 edge */
	free(path);
	assert_int_equal(merkle_tree_inclusion_proof(t, 300, 1000, &path, &n, &err), SL_ECORRUPT);
	assert_string_equal(err.msg, "Merkle tile 0/1 is missing (tree size 1000)");
	assert_null(path);
	merkle_tree_free(t);
	mem_free(&m);
}

static void test_storage_errors_are_passed_on(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 300);
	merkle_tiles_io io = mem_io(&m);
	uint8_t got[32], leaf[32];
	sl_err err = {0};

	(void)state;
	merkle_tree_free(t);
	t = NULL;
	m.fail_read = SL_EIO;
	assert_int_equal(merkle_tree_open(&io, 300, &t, &err), SL_EIO);
	assert_string_equal(err.msg, "reading Merkle tile 0/1: disk on fire");

	/* A failed flush leaves the tile dirty: retrying writes it. */
	t = open_tree(&m, 300);
	append_leaves(t, 300, 301);
	m.fail_write = SL_EIO;
	assert_int_equal(merkle_tree_flush(t, &err), SL_EIO);
	assert_string_equal(err.msg, "writing Merkle tile 0/1: disk full");
	flush(t);
	assert_int_equal(mem_get(&m, 0, 1)->count, 301 - 256);

	/* A failed append of a full tile: the tree refuses to go on. */
	append_leaves(t, 301, 511);
	m.fail_write = SL_EIO;
	leaf_of(511, leaf);
	assert_int_equal(merkle_tree_append(t, leaf, &err), SL_EIO);
	assert_string_equal(err.msg, "writing Merkle tile 0/1: disk full");
	assert_int_equal(merkle_tree_root(t, 300, got, &err), SL_EIO);
	assert_int_equal(merkle_tree_append(t, leaf, &err), SL_EIO);
	assert_string_equal(err.msg, "the Merkle tree failed to write a tile; reopen it from storage");
	merkle_tree_free(t);
	mem_free(&m);
}

/* The span verifiers refuse a path element, leaf or root of the wrong length
 * and over-long paths, and agree with the fixed-size ones otherwise. */
static void test_span_verifiers_reject_hashes_of_wrong_length(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000);
	uint8_t (*roots)[32] = stream_roots(1000), leaf[32], *path;
	merkle_span spans[MERKLE_MAX_PROOF + 1], lspan, rspan;
	size_t n;

	(void)state;
	leaf_of(500, leaf);
	path = inclusion(t, 500, 1000, &n);
	for (size_t i = 0; i < n; i++)
		spans[i] = (merkle_span){path + i * 32, 32};
	lspan = (merkle_span){leaf, 32};
	rspan = (merkle_span){roots[1000], 32};
	assert_true(merkle_verify_inclusion_span(500, 1000, lspan, spans, n, rspan));
	spans[2].len = 31;
	assert_false(merkle_verify_inclusion_span(500, 1000, lspan, spans, n, rspan));
	spans[2].len = 32;
	lspan.len = 33;
	assert_false(merkle_verify_inclusion_span(500, 1000, lspan, spans, n, rspan));
	lspan.len = 32;
	rspan.len = 0;
	assert_false(merkle_verify_inclusion_span(500, 1000, lspan, spans, n, rspan));
	rspan.len = 32;
	for (size_t i = n; i <= MERKLE_MAX_PROOF; i++)
		spans[i] = spans[0];
	assert_false(merkle_verify_inclusion_span(500, 1000, lspan, spans, MERKLE_MAX_PROOF + 1, rspan));
	free(path);

	path = consistency(t, 333, 1000, &n);
	for (size_t i = 0; i < n; i++)
		spans[i] = (merkle_span){path + i * 32, 32};
	assert_true(merkle_verify_consistency_span(333, 1000, (merkle_span){roots[333], 32},
	                                           (merkle_span){roots[1000], 32}, spans, n));
	/* A root one byte short is refused even though 32 readable bytes match. */
	assert_false(merkle_verify_consistency_span(333, 1000, (merkle_span){roots[333], 31},
	                                            (merkle_span){roots[1000], 32}, spans, n));
	assert_false(merkle_verify_consistency_span(1000, 1000, (merkle_span){roots[1000], 31},
	                                            (merkle_span){roots[1000], 31}, NULL, 0));
	spans[n - 1].len = 0;
	assert_false(merkle_verify_consistency_span(333, 1000, (merkle_span){roots[333], 32},
	                                            (merkle_span){roots[1000], 32}, spans, n));
	free(path);
	free(roots);
	merkle_tree_free(t);
	mem_free(&m);
}

/* A proof for one position does not pass for its neighbours or other sizes. */
static void test_proofs_do_not_verify_for_other_positions(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 1000);
	uint8_t (*roots)[32] = stream_roots(1000), leaf[32], *path;
	size_t n;

	(void)state;
	leaf_of(777, leaf);
	path = inclusion(t, 777, 1000, &n);
	assert_true(merkle_verify_inclusion(777, 1000, leaf, path, n, roots[1000]));
	assert_false(merkle_verify_inclusion(776, 1000, leaf, path, n, roots[1000]));
	assert_false(merkle_verify_inclusion(778, 1000, leaf, path, n, roots[1000]));
	assert_false(merkle_verify_inclusion(777, 999, leaf, path, n, roots[999]));
	assert_false(merkle_verify_inclusion(777, 1000, leaf, path, n - 1, roots[1000]));
	path[5 * 32] ^= 1;
	assert_false(merkle_verify_inclusion(777, 1000, leaf, path, n, roots[1000]));
	free(path);
	path = consistency(t, 600, 1000, &n);
	assert_true(merkle_verify_consistency(600, 1000, roots[600], roots[1000], path, n));
	assert_false(merkle_verify_consistency(601, 1000, roots[600], roots[1000], path, n));
	assert_false(merkle_verify_consistency(600, 999, roots[600], roots[999], path, n));
	assert_false(merkle_verify_consistency(600, 1000, roots[601], roots[1000], path, n));
	free(path);
	free(roots);
	merkle_tree_free(t);
	mem_free(&m);
}

/* Upstream's argument checks, with proofs that would otherwise pass. */
static void test_verifiers_refuse_empty_old_tree_and_bad_sizes(void **state)
{
	uint8_t empty[32], leaf[32];

	(void)state;
	merkle_empty_root(empty);
	leaf_of(0, leaf);
	assert_false(merkle_verify_consistency(0, 0, empty, empty, NULL, 0));
	assert_false(merkle_verify_consistency(0, 1, empty, leaf, NULL, 0));
	assert_false(merkle_verify_consistency(0, 1, leaf, leaf, leaf, 1));
	assert_false(merkle_verify_consistency(2, 1, leaf, leaf, NULL, 0));
	assert_true(merkle_verify_consistency(1, 1, leaf, leaf, NULL, 0));
	assert_false(merkle_verify_consistency(1, 1, leaf, leaf, leaf, 1));
	assert_false(merkle_verify_inclusion(0, 0, leaf, NULL, 0, leaf));
	assert_false(merkle_verify_inclusion(1, 1, leaf, NULL, 0, leaf));
	assert_false(merkle_verify_inclusion(UINT64_MAX, 1, leaf, NULL, 0, leaf));
	assert_true(merkle_verify_inclusion(0, 1, leaf, NULL, 0, leaf));
}

/* The probes' leaf_index 2^64-1 must reach the verifier exactly: as a
 * double it would become 2^64 and wrap to 0 in the cast. */
static void test_probe_leaf_index_two_to_the_64_minus_1_is_read_exactly(void **state)
{
	size_t i, found = 0;
	json_t *e;

	(void)state;
	json_array_foreach(jpath("upstream_probes", "inclusion", NULL), i, e)
		found += jnum(e, "leaf_index") == UINT64_MAX;
	assert_int_equal(found, 2);
}

/* Opening does not make anything dirty: a flush with no appends writes nothing. */
static void test_flush_after_open_writes_nothing(void **state)
{
	mem_store m = {0};
	merkle_tree *t = generated_tree(&m, 70000);
	unsigned long before;

	(void)state;
	merkle_tree_free(t);
	t = open_tree(&m, 70000);
	before = m.writes;
	flush(t);
	assert_int_equal(m.writes, before);
	merkle_tree_free(t);
	mem_free(&m);
}

/* ---- main ----------------------------------------------------------------- */

static const struct CMUnitTest behaviour_tests[] = {
	cmocka_unit_test(test_leaf_hashes_match_rfc6962_vectors),
	cmocka_unit_test(test_node_hashes_match_rfc6962_vectors),
	cmocka_unit_test(test_empty_tree_root_is_sha256_of_nothing),
	cmocka_unit_test(test_roots_of_one_to_eight_leaves),
	cmocka_unit_test(test_tree_1000_roots_at_listed_sizes),
	cmocka_unit_test(test_tree_1000_tiles_match_the_tlog_tiles_layout),
	cmocka_unit_test(test_stored_tiles_follow_tlog_tiles_partial_tile_rule),
	cmocka_unit_test(test_inclusion_proof_at_power_of_two),
	cmocka_unit_test(test_every_size_up_to_600_matches_stream_and_proofs_verify),
	cmocka_unit_test(test_open_and_prove_at_100000_leaves_reads_few_tiles),
	cmocka_unit_test(test_reopen_after_flush_at_odd_sizes_matches_stream),
	cmocka_unit_test(test_flush_reopen_append_more_gives_the_same_tiles_as_one_run),
	cmocka_unit_test(test_unflushed_appends_are_seen_and_only_full_tiles_written),
	cmocka_unit_test(test_reopen_after_rollback_forgets_unflushed_appends),
	cmocka_unit_test(test_leaf_returns_appended_hashes),
	cmocka_unit_test(test_proof_arguments_out_of_range_are_named),
	cmocka_unit_test(test_consistency_proof_of_equal_sizes_is_empty),
	cmocka_unit_test(test_missing_or_short_edge_tile_is_corrupt),
	cmocka_unit_test(test_missing_full_tile_is_corrupt_when_proving),
	cmocka_unit_test(test_storage_errors_are_passed_on),
	cmocka_unit_test(test_span_verifiers_reject_hashes_of_wrong_length),
	cmocka_unit_test(test_proofs_do_not_verify_for_other_positions),
	cmocka_unit_test(test_verifiers_refuse_empty_old_tree_and_bad_sizes),
	cmocka_unit_test(test_probe_leaf_index_two_to_the_64_minus_1_is_read_exactly),
	cmocka_unit_test(test_flush_after_open_writes_nothing),
};

/* Vector groups: where they are in the JSON and the check for one entry. */
static const struct {
	const char *key, *sub, *subsub, *label;
	CMUnitTestFunction check;
} groups[] = {
	{"upstream_probes", "inclusion", NULL, "probe", check_inclusion_probe},
	{"upstream_probes", "consistency", NULL, "probe", check_consistency_probe},
	{"inclusion", NULL, NULL, "upstream inclusion", check_8leaf_inclusion},
	{"consistency", NULL, NULL, "upstream consistency", check_8leaf_consistency},
	{"generated", "exhaustive_8leaf", "inclusion", "8-leaf inclusion", check_8leaf_inclusion},
	{"generated", "exhaustive_8leaf", "consistency", "8-leaf consistency", check_8leaf_consistency},
	{"generated", "tree_1000", "inclusion", "tree_1000 inclusion", check_1000_inclusion},
	{"generated", "tree_1000", "consistency", "tree_1000 consistency", check_1000_consistency},
};

static char *vector_test_name(const char *label, const json_t *e)
{
	buf name = BUF_INIT;

	buf_printf(&name, "vector %s ", label);
	if (json_object_get(e, "file") && strcmp(jstr(e, "file"), implementation_defined_probe) == 0)
		buf_printf(&name, "%s: accepted upstream, rejected here (implementation-defined)", jstr(e, "file"));
	else if (json_object_get(e, "file"))
		buf_printf(&name, "%s: %s", jstr(e, "file"), jstr(e, "expect"));
	else if (json_object_get(e, "leaf_index"))
		buf_printf(&name, "leaf %llu in tree size %llu", (unsigned long long)jnum(e, "leaf_index"),
		           (unsigned long long)jnum(e, "tree_size"));
	else
		buf_printf(&name, "size %llu to %llu", (unsigned long long)jnum(e, "size1"),
		           (unsigned long long)jnum(e, "size2"));
	return buf_detach(&name);
}

int main(void)
{
	struct CMUnitTest *tests = NULL;
	size_t n = 0, n_vectors, g, i;
	json_t *e;
	int failed;

	vectors = load_json(SL_TEST_DATA_DIR "/merkle_vectors.json");
	if (!vectors)
		return 1;
	for (g = 0; g < SL_ARRAY_LEN(groups); g++) {
		json_t *arr = json_object_get(vectors, groups[g].key);
		if (groups[g].sub)
			arr = json_object_get(arr, groups[g].sub);
		if (groups[g].subsub)
			arr = json_object_get(arr, groups[g].subsub);
		if (!json_is_array(arr) || json_array_size(arr) == 0) {
			fprintf(stderr, "merkle_vectors.json: no %s %s\n", groups[g].key, groups[g].label);
			return 1;
		}
		tests = xrealloc(tests, (n + json_array_size(arr)) * sizeof(*tests));
		json_array_foreach(arr, i, e) {
			tests[n++] = (struct CMUnitTest){.name = vector_test_name(groups[g].label, e),
			                                 .test_func = groups[g].check,
			                                 .initial_state = e};
		}
	}
	n_vectors = n;
	tests = xrealloc(tests, (n + SL_ARRAY_LEN(behaviour_tests)) * sizeof(*tests));
	for (i = 0; i < SL_ARRAY_LEN(behaviour_tests); i++)
		tests[n++] = behaviour_tests[i];

	failed = _cmocka_run_group_tests("merkle", tests, n, NULL, NULL);

	for (i = 0; i < n_vectors; i++)
		free((char *)tests[i].name);
	free(tests);
	json_decref(vectors);
	return failed ? 1 : 0;
}
