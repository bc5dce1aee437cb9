/*
 * test_checkpoint.c - checkpoint bodies (src/ledger/checkpoint.c) and
 * tlog-tiles paths (src/ledger/tile_path.c).
 *
 * One generated test per entry of tests/data/note_vectors.json "checkpoints",
 * "tile_paths", "tile_path_parse_cases" and "tile_sets" (sources in
 * tests/data/VECTORS.md), named after the entry, then hand-written
 * behaviour tests.
 */
#include "util/common.h"
#include "util/hex.h"
#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "ledger/tile_path.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>

#ifndef SL_TEST_DATA_DIR
#error "SL_TEST_DATA_DIR must name tests/data"
#endif

static json_t *vectors; /* the whole note_vectors.json */

static const uint8_t root8[32] = {
	0x5d, 0xc9, 0xda, 0x79, 0xa7, 0x06, 0x59, 0xa9, 0xad, 0x55, 0x9c, 0xb7, 0x01, 0xde, 0xd9, 0xa2,
	0xab, 0x9d, 0x82, 0x3a, 0xad, 0x2f, 0x49, 0x60, 0xcf, 0xe3, 0x70, 0xef, 0xf4, 0x60, 0x43, 0x28,
}; /* RFC 6962 root of the 8 test leaves */

/* ---- helpers ---------------------------------------------------------- */

static const char *jstr(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	assert_non_null(s);
	return s;
}

static uint64_t jint(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	assert_true(json_is_integer(v));
	return (uint64_t)json_integer_value(v);
}

static json_t *find_key(const char *name)
{
	size_t i;
	json_t *k;

	json_array_foreach(json_object_get(vectors, "keys"), i, k)
		if (strcmp(jstr(k, "name"), name) == 0)
			return k;
	fail_msg("no key named %s in note_vectors.json", name);
	return NULL;
}

static size_t load_verifiers(const json_t *v, note_verifier **vs)
{
	const json_t *names = json_object_get(v, "verify_with");
	json_t *name;
	size_t i;
	sl_err err;

	json_array_foreach(names, i, name) {
		const char *vkey = jstr(find_key(json_string_value(name)), "verifier");
		assert_true(i < 8);
		assert_int_equal(note_verifier_parse(vkey, &vs[i], &err), 0);
	}
	return json_array_size(names);
}

static void free_verifiers(note_verifier **vs, size_t n)
{
	while (n > 0)
		note_verifier_free(vs[--n]);
}

static note_signer *make_signer(const char *name, note_verifier **v)
{
	note_signer *s;
	char *skey, *vkey;
	sl_err err;

	assert_int_equal(note_generate_key(name, &skey, &vkey, &err), 0);
	assert_int_equal(note_signer_parse(skey, &s, &err), 0);
	assert_int_equal(note_verifier_parse(vkey, v, &err), 0);
	free(skey);
	free(vkey);
	return s;
}

/* ---- generated: checkpoints ------------------------------------------- */

static void check_accepted_checkpoint(const json_t *v, note_verifier **vs, size_t n)
{
	const char *msg = jstr(v, "signed_note"), *text = jstr(v, "text");
	checkpoint c = CHECKPOINT_INIT;
	buf formatted = BUF_INIT, rebuilt = BUF_INIT;
	uint8_t root[32];
	uint64_t mask = 0;
	size_t i;
	json_t *line;
	sl_err err;

	if (checkpoint_open(msg, strlen(msg), jstr(v, "origin"), vs, n, &c, &mask, &err) != 0)
		fail_msg("%s: %s", jstr(v, "id"), err.msg);
	assert_int_equal(mask, ((uint64_t)1 << n) - 1);
	assert_string_equal(c.origin, jstr(v, "origin"));
	assert_int_equal(c.size, jint(v, "tree_size"));
	assert_int_equal(hex_decode(jstr(v, "root_hash_hex"), 64, root, 32), 0);
	assert_memory_equal(c.root, root, 32);
	assert_null(c.extensions);
	checkpoint_release(&c);

	checkpoint_format(&formatted, jstr(v, "origin"), jint(v, "tree_size"), root);
	assert_string_equal(formatted.data, text);

	/* Ed25519 is deterministic: the published seeds re-make every line. */
	buf_printf(&rebuilt, "%s\n", text);
	json_array_foreach(json_object_get(v, "signature_lines"), i, line) {
		const char *want = json_string_value(line), *sp = strchr(want + 4, ' ');
		char *name = xstrndup(want + 4, (size_t)(sp - want - 4));
		note_signer *s;
		buf got = BUF_INIT;

		assert_int_equal(note_signer_parse(jstr(find_key(name), "signer"), &s, &err), 0);
		assert_int_equal(note_signature_line(text, strlen(text), s, &rebuilt, &err), 0);
		if (json_array_size(json_object_get(v, "signature_lines")) == 1) {
			assert_int_equal(checkpoint_sign(&got, jstr(v, "origin"),
							 jint(v, "tree_size"), root, s, &err),
					 0);
			assert_string_equal(got.data, msg);
		}
		note_signer_free(s);
		buf_release(&got);
		free(name);
	}
	assert_string_equal(rebuilt.data, msg);
	buf_release(&formatted);
	buf_release(&rebuilt);
}

/* checkpoints[i]: accepted ones open, parse to the recorded fields and
 * re-sign byte for byte; tampered ones fail the signature; validly signed
 * ones with a malformed body pass note_open and fail checkpoint parsing. */
static void check_checkpoint_vector(void **state)
{
	const json_t *v = *state;
	const char *expect = jstr(v, "expect"), *msg = jstr(v, "signed_note");
	const char *text = jstr(v, "text"), *why = jstr(v, "why");
	note_verifier *vs[8];
	size_t n = load_verifiers(v, vs), text_len;
	checkpoint c = CHECKPOINT_INIT;
	sl_err err;
	int rc;

	rc = note_open(msg, strlen(msg), vs, n, &text_len, NULL, &err);
	if (strcmp(expect, "accept") == 0) {
		assert_int_equal(rc, 0);
		check_accepted_checkpoint(v, vs, n);
	} else if (strcmp(expect, "reject") == 0) {
		if (strstr(why, "the checkpoint body is malformed")) {
			assert_int_equal(rc, 0);
			assert_int_equal(text_len, strlen(text));
			assert_int_equal(checkpoint_parse(text, text_len, &c, &err), SL_EINVAL);
			assert_int_equal(checkpoint_open(msg, strlen(msg), NULL, vs, n, &c, NULL, &err),
					 SL_EINVAL);
		} else {
			assert_non_null(strstr(why, "invalid signature"));
			assert_int_equal(rc, SL_ECORRUPT);
			assert_int_equal(checkpoint_open(msg, strlen(msg), NULL, vs, n, &c, NULL, &err),
					 SL_ECORRUPT);
		}
		assert_null(c.origin);
	} else {
		/* parse-only: no vkey published; the body still parses. */
		uint8_t root[32];
		note_parsed p = NOTE_PARSED_INIT;

		assert_string_equal(expect, "parse-only");
		assert_int_equal(rc, SL_ENOTFOUND);
		assert_int_equal(note_parse(msg, strlen(msg), &p, &err), 0);
		assert_int_equal(p.text_len, strlen(text));
		assert_int_equal(p.n_sigs, 1);
		assert_string_equal(p.sigs[0].name, jstr(v, "origin"));
		note_parsed_release(&p);
		assert_int_equal(checkpoint_parse(text, strlen(text), &c, &err), 0);
		assert_string_equal(c.origin, jstr(v, "origin"));
		assert_int_equal(c.size, jint(v, "tree_size"));
		assert_int_equal(hex_decode(jstr(v, "root_hash_hex"), 64, root, 32), 0);
		assert_memory_equal(c.root, root, 32);
		checkpoint_release(&c);
	}
	free_verifiers(vs, n);
}

/* ---- generated: tiles ------------------------------------------------- */

static void expect_parse(const char *path, int level, uint64_t index, unsigned width)
{
	int l = -99;
	uint64_t i = 0;
	unsigned w = 0;
	sl_err err;

	assert_int_equal(strncmp(path, "tile/", 5), 0);
	if (tile_path_parse(path + 5, &l, &i, &w, &err) != 0)
		fail_msg("%s: %s", path, err.msg);
	assert_int_equal(l, level);
	assert_int_equal(i, index);
	assert_int_equal(w, width);
}

/* tile_paths[i]: formatting gives the recorded path and parsing it gives
 * back the numbers. */
static void check_tile_path_vector(void **state)
{
	const json_t *v = *state;
	const char *kind = jstr(v, "kind"), *path = jstr(v, "path");
	buf got = BUF_INIT;

	if (strcmp(kind, "index encoding") == 0) {
		tile_path_format(&got, 0, jint(v, "index"), TILE_WIDTH);
		assert_string_equal(got.data + strlen("tile/0/"), path);
		expect_parse(got.data, 0, jint(v, "index"), TILE_WIDTH);
	} else if (strcmp(kind, "tile") == 0 || strcmp(kind, "entry bundle") == 0) {
		int level = strcmp(kind, "tile") == 0 ? (int)jint(v, "level") : TILE_ENTRIES;
		unsigned width = (unsigned)jint(v, "width");
		tile_path_format(&got, level, jint(v, "index"), width);
		assert_string_equal(got.data, path);
		expect_parse(path, level, jint(v, "index"), width);
	} else {
		assert_string_equal(kind, "entry bundle for a log index");
		tile_entries_path_for_index(&got, jint(v, "entry_seq_0based"), jint(v, "tree_size"));
		assert_string_equal(got.data, path);
	}
	buf_release(&got);
}

/* tile_path_parse_cases[i]: "<level>/<index_path>" accepted or rejected. */
static void check_tile_parse_vector(void **state)
{
	const json_t *v = *state;
	buf path = BUF_INIT;
	int level = -99;
	uint64_t index = 0;
	unsigned width = 0;
	sl_err err;
	int rc;

	buf_printf(&path, "%s/%s", jstr(v, "level"), jstr(v, "index_path"));
	rc = tile_path_parse(path.data, &level, &index, &width, &err);
	if (strcmp(jstr(v, "expect"), "accept") == 0) {
		if (rc != 0)
			fail_msg("%s: %s", path.data, err.msg);
		assert_int_equal(level, (int)jint(v, "want_level"));
		assert_int_equal(index, jint(v, "want_index"));
		assert_int_equal(width, (unsigned)jint(v, "want_width"));
	} else {
		if (rc != SL_EINVAL)
			fail_msg("accepted %s", path.data);
	}
	buf_release(&path);
}

/* tile_sets[i]: tile_layout gives the recorded levels, counts and widths;
 * the first full, last full and partial tile of each level have the
 * recorded paths and tile_width agrees with them; the last entry bundle too. */
static void check_tile_set_vector(void **state)
{
	const json_t *v = *state, *levels = json_object_get(v, "levels");
	const json_t *bundles = json_object_get(v, "entry_bundles");
	uint64_t size = jint(v, "tree_size");
	tile_level got[TILE_MAX_LEVELS];
	size_t n = tile_layout(size, got), i, j;
	json_t *lv, *path;
	buf last = BUF_INIT;

	assert_int_equal(n, json_array_size(levels));
	json_array_foreach(levels, i, lv) {
		const json_t *pw = json_object_get(lv, "partial_width");
		uint64_t want[3];
		size_t k = 0;

		assert_int_equal(jint(lv, "level"), i);
		assert_int_equal(got[i].full_tiles, jint(lv, "full_tiles"));
		assert_int_equal(got[i].partial_width, json_is_null(pw) ? 0 : json_integer_value(pw));
		/* The listed paths are tile 0, the last full tile and the partial. */
		if (got[i].full_tiles > 0)
			want[k++] = 0;
		if (got[i].full_tiles > 1)
			want[k++] = got[i].full_tiles - 1;
		if (got[i].partial_width > 0)
			want[k++] = got[i].full_tiles;
		assert_int_equal(k, json_array_size(json_object_get(lv, "paths")));
		json_array_foreach(json_object_get(lv, "paths"), j, path) {
			unsigned w = tile_width(size, (int)i, want[j]);
			buf p = BUF_INIT;
			tile_path_format(&p, (int)i, want[j], w);
			assert_string_equal(p.data, json_string_value(path));
			expect_parse(p.data, (int)i, want[j], w);
			buf_release(&p);
		}
		assert_int_equal(tile_width(size, (int)i, got[i].full_tiles + 1), 0);
	}
	assert_int_equal(tile_width(size, (int)n, 0), 0); /* nothing above the top */
	assert_int_equal(got[0].full_tiles, jint(bundles, "full"));
	assert_int_equal(tile_width(size, TILE_ENTRIES, got[0].full_tiles),
			 json_is_null(json_object_get(bundles, "partial_width"))
				 ? 0
				 : jint(bundles, "partial_width"));
	tile_entries_path_for_index(&last, size - 1, size);
	assert_string_equal(last.data, jstr(bundles, "last_path"));
	buf_release(&last);
}

/* ---- behaviour: checkpoints ------------------------------------------- */

static void test_checkpoint_format_and_parse_round_trip(void **state)
{
	static const uint64_t sizes[] = {0, 1, 8, 20852163, UINT64_MAX};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(sizes); i++) {
		buf text = BUF_INIT;
		checkpoint c = CHECKPOINT_INIT;
		sl_err err;

		checkpoint_format(&text, "example.gov.uk/log", sizes[i], root8);
		assert_int_equal(checkpoint_parse(text.data, text.len, &c, &err), 0);
		assert_string_equal(c.origin, "example.gov.uk/log");
		assert_int_equal(c.size, sizes[i]);
		assert_memory_equal(c.root, root8, 32);
		assert_null(c.extensions);
		checkpoint_release(&c);
		buf_release(&text);
	}
}

static void test_checkpoint_extension_lines_are_kept(void **state)
{
	static const char text[] = "o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n"
				   "ext one\n"
				   "— ext two\n";
	checkpoint c = CHECKPOINT_INIT;
	sl_err err;

	(void)state;
	assert_int_equal(checkpoint_parse(text, strlen(text), &c, &err), 0);
	assert_string_equal(c.extensions, "ext one\n— ext two\n");
	checkpoint_release(&c);
	assert_null(c.origin);
}

static void test_checkpoint_parse_rejects_malformed_bodies(void **state)
{
#define R "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
	static const char *bad[] = {
		"",
		"o\n",
		"o\n8\n",
		"o\n8\n" R,                 /* no final newline */
		"\n8\n" R "\n",             /* empty origin */
		"o\n\n" R "\n",             /* empty size */
		"o\n08\n" R "\n",           /* leading zero */
		"o\n00\n" R "\n",
		"o\n+8\n" R "\n",
		"o\n-1\n" R "\n",
		"o\n 8\n" R "\n",
		"o\n8 \n" R "\n",
		"o\n0x8\n" R "\n",
		"o\n18446744073709551616\n" R "\n", /* 2**64 */
		"o\n99999999999999999999\n" R "\n",
		"o\n8\n\n",                                               /* empty root */
		"o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n",   /* 31 bytes */
		"o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQygA\n",   /* 33 bytes */
		"o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",   /* padding bits */
		"o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",    /* no padding */
		"o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz-Nw7_RgQyg=\n",   /* base64url */
		"o\n8\n" R " \n",
		"o\n8\n" R "\n\n",          /* empty extension line */
		"o\n8\n" R "\next\n\n",
		"o\x01\n8\n" R "\n",        /* control character */
		"o\t\n8\n" R "\n",
		"\xff\n8\n" R "\n",         /* not UTF-8 */
	};
#undef R
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		checkpoint c = CHECKPOINT_INIT;
		sl_err err = {0, ""};
		if (checkpoint_parse(bad[i], strlen(bad[i]), &c, &err) != SL_EINVAL)
			fail_msg("accepted case %zu: %s", i, bad[i]);
		assert_null(c.origin);
		assert_null(c.extensions);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_checkpoint_open_refuses_another_logs_origin(void **state)
{
	note_verifier *v;
	note_signer *s = make_signer("example.gov.uk/a", &v);
	buf note = BUF_INIT;
	checkpoint c = CHECKPOINT_INIT;
	sl_err err;

	(void)state;
	assert_int_equal(checkpoint_sign(&note, "example.gov.uk/a", 8, root8, s, &err), 0);
	assert_int_equal(checkpoint_open(note.data, note.len, "example.gov.uk/b", &v, 1, &c, NULL,
					 &err),
			 SL_EINVAL);
	assert_null(c.origin);
	assert_int_equal(checkpoint_open(note.data, note.len, "example.gov.uk/a", &v, 1, &c, NULL,
					 &err),
			 0);
	assert_int_equal(c.size, 8);
	checkpoint_release(&c);
	assert_int_equal(checkpoint_open(note.data, note.len, NULL, &v, 1, &c, NULL, &err), 0);
	checkpoint_release(&c);
	buf_release(&note);
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_checkpoint_signed_by_unknown_key_is_refused(void **state)
{
	note_verifier *v1, *v2;
	note_signer *s1 = make_signer("example.gov.uk/a", &v1);
	note_signer *s2 = make_signer("example.gov.uk/a", &v2);
	buf note = BUF_INIT;
	checkpoint c = CHECKPOINT_INIT;
	sl_err err;

	(void)state;
	assert_int_equal(checkpoint_sign(&note, "example.gov.uk/a", 8, root8, s1, &err), 0);
	assert_int_equal(checkpoint_open(note.data, note.len, NULL, &v2, 1, &c, NULL, &err),
			 SL_ENOTFOUND);
	assert_null(c.origin);
	buf_release(&note);
	note_verifier_free(v1);
	note_verifier_free(v2);
	note_signer_free(s1);
	note_signer_free(s2);
}

/* ---- behaviour: tiles ------------------------------------------------- */

static void test_tile_path_of_largest_index_round_trips(void **state)
{
	buf p = BUF_INIT;

	(void)state;
	tile_path_format(&p, TILE_MAX_LEVEL, UINT64_MAX, 255);
	assert_string_equal(p.data, "tile/63/x018/x446/x744/x073/x709/x551/615.p/255");
	expect_parse(p.data, TILE_MAX_LEVEL, UINT64_MAX, 255);
	buf_release(&p);
}

static void test_tile_path_parse_accepts_only_the_canonical_spelling(void **state)
{
	static const char *bad[] = {
		"", "0", "0/", "/000", "00/000", "01/000", "064/000", "64/000", "100/000",
		"0//000", "0/00", "0/0000", "0/1", "0/x000/001", "0/x001", "0/x001/", "0/x1000/000",
		"0/X001/000", "0/000/", "0/000.p", "0/000.p/", "0/000.p/0", "0/000.p/08",
		"0/000.p/256", "0/000.p/999", "0/000.p/1/", "0/000.P/1", "0/000.q/1", "0/000.p/1x", "0/000 ",
		"entries", "entries/", "Entries/000", "entries/x000/000", "entries/000.p/256",
		"data/000", "0/x018/x446/x744/x073/x709/x551/616", /* 2**64 */
		"0/x001/x000/x000/x000/x000/x000/x000/000",        /* 10**21 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		int level = -99;
		uint64_t index = 0;
		unsigned width = 0;
		sl_err err = {0, ""};
		if (tile_path_parse(bad[i], &level, &index, &width, &err) != SL_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_true(err.msg[0] != '\0');
	}
}

static void test_tile_width_is_zero_outside_the_tree(void **state)
{
	(void)state;
	assert_int_equal(tile_width(0, 0, 0), 0);
	assert_int_equal(tile_width(0, TILE_ENTRIES, 0), 0);
	assert_int_equal(tile_width(256, 0, 0), TILE_WIDTH);
	assert_int_equal(tile_width(256, 0, 1), 0);
	assert_int_equal(tile_width(256, 1, 0), 1);
	assert_int_equal(tile_width(256, 2, 0), 0);
	/* A 64-bit tree reaches level 7 (255 hashes) and no further. */
	assert_int_equal(tile_width(UINT64_MAX, 7, 0), 255);
	assert_int_equal(tile_width(UINT64_MAX, 8, 0), 0);
	assert_int_equal(tile_width(UINT64_MAX, TILE_MAX_LEVEL, 0), 0);
	assert_int_equal(tile_width(UINT64_MAX, 0, UINT64_MAX / 256), 255);
	assert_int_equal(tile_width(UINT64_MAX, 0, UINT64_MAX / 256 - 1), TILE_WIDTH);
}

static void test_tile_layout_of_empty_and_largest_trees(void **state)
{
	tile_level lv[TILE_MAX_LEVELS];
	size_t i;

	(void)state;
	assert_int_equal(tile_layout(0, lv), 0);
	assert_int_equal(tile_layout(UINT64_MAX, lv), TILE_MAX_LEVELS);
	for (i = 0; i + 1 < TILE_MAX_LEVELS; i++) {
		assert_int_equal(lv[i].full_tiles, UINT64_MAX >> (8 * (i + 1)));
		assert_int_equal(lv[i].partial_width, 255);
	}
	assert_int_equal(lv[7].full_tiles, 0);
	assert_int_equal(lv[7].partial_width, 255);
}

static void test_entry_bundle_for_each_index_of_a_growing_tree(void **state)
{
	static const struct {
		uint64_t index, size;
		const char *path;
	} cases[] = {
		{0, 1, "tile/entries/000.p/1"},     {0, 256, "tile/entries/000"},
		{255, 256, "tile/entries/000"},     {256, 300, "tile/entries/001.p/44"},
		{511, 512, "tile/entries/001"},     {255999, 256000, "tile/entries/999"},
		{256000, 256001, "tile/entries/x001/000.p/1"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(cases); i++) {
		buf p = BUF_INIT;
		tile_entries_path_for_index(&p, cases[i].index, cases[i].size);
		assert_string_equal(p.data, cases[i].path);
		buf_release(&p);
	}
}

/* ---- runner ----------------------------------------------------------- */

static const struct CMUnitTest behaviour_tests[] = {
	cmocka_unit_test(test_checkpoint_format_and_parse_round_trip),
	cmocka_unit_test(test_checkpoint_extension_lines_are_kept),
	cmocka_unit_test(test_checkpoint_parse_rejects_malformed_bodies),
	cmocka_unit_test(test_checkpoint_open_refuses_another_logs_origin),
	cmocka_unit_test(test_checkpoint_signed_by_unknown_key_is_refused),
	cmocka_unit_test(test_tile_path_of_largest_index_round_trips),
	cmocka_unit_test(test_tile_path_parse_accepts_only_the_canonical_spelling),
	cmocka_unit_test(test_tile_width_is_zero_outside_the_tree),
	cmocka_unit_test(test_tile_layout_of_empty_and_largest_trees),
	cmocka_unit_test(test_entry_bundle_for_each_index_of_a_growing_tree),
};

/* Vector groups: where they are in the JSON, what to call each test, and
 * the function that checks one entry. */
static const struct {
	const char *key, *subkey; /* vectors[key] or vectors[key][subkey] is the array */
	CMUnitTestFunction check;
} groups[] = {
	{"checkpoints", NULL, check_checkpoint_vector},
	{"tile_paths", NULL, check_tile_path_vector},
	{"tile_path_parse_cases", "cases", check_tile_parse_vector},
	{"tile_sets", "sets", check_tile_set_vector},
};

static char *vector_test_name(const char *group, const json_t *e)
{
	buf name = BUF_INIT;

	buf_printf(&name, "vector %s ", group);
	if (json_object_get(e, "id"))
		buf_printf(&name, "%s: %s", jstr(e, "id"), jstr(e, "expect"));
	else if (json_object_get(e, "index_path"))
		buf_printf(&name, "%s/%s: %s", jstr(e, "level"), jstr(e, "index_path"),
			   jstr(e, "expect"));
	else if (json_object_get(e, "levels"))
		buf_printf(&name, "tree size %llu",
			   (unsigned long long)json_integer_value(json_object_get(e, "tree_size")));
	else if (json_object_get(e, "entry_seq_0based"))
		buf_printf(&name, "entry %llu of a tree of %llu is in %s",
			   (unsigned long long)json_integer_value(json_object_get(e, "entry_seq_0based")),
			   (unsigned long long)json_integer_value(json_object_get(e, "tree_size")),
			   jstr(e, "path"));
	else
		buf_printf(&name, "%s (%s)", jstr(e, "path"), jstr(e, "kind"));
	return buf_detach(&name);
}

int main(void)
{
	struct CMUnitTest *tests = NULL;
	json_error_t jerr;
	size_t n = 0, n_vectors, g, i;
	json_t *e;
	int failed;

	vectors = json_load_file(SL_TEST_DATA_DIR "/note_vectors.json", 0, &jerr);
	if (!vectors) {
		fprintf(stderr, "note_vectors.json: line %d: %s\n", jerr.line, jerr.text);
		return 1;
	}
	for (g = 0; g < SL_ARRAY_LEN(groups); g++) {
		json_t *arr = json_object_get(vectors, groups[g].key);
		if (groups[g].subkey)
			arr = json_object_get(arr, groups[g].subkey);
		if (!json_is_array(arr) || json_array_size(arr) == 0) {
			fprintf(stderr, "note_vectors.json: no %s\n", groups[g].key);
			return 1;
		}
		tests = xrealloc(tests, (n + json_array_size(arr)) * sizeof(*tests));
		json_array_foreach(arr, i, e) {
			tests[n++] = (struct CMUnitTest){.name = vector_test_name(groups[g].key, e),
							 .test_func = groups[g].check,
							 .initial_state = e};
		}
	}
	n_vectors = n;
	tests = xrealloc(tests, (n + SL_ARRAY_LEN(behaviour_tests)) * sizeof(*tests));
	for (i = 0; i < SL_ARRAY_LEN(behaviour_tests); i++)
		tests[n++] = behaviour_tests[i];

	failed = _cmocka_run_group_tests("checkpoint", tests, n, NULL, NULL);

	for (i = 0; i < n_vectors; i++)
		free((char *)tests[i].name);
	free(tests);
	json_decref(vectors);
	return failed ? 1 : 0;
}
