/*
 * test_note.c - signed notes and note keys (src/ledger/note.c).
 *
 * Two kinds of test: one generated per entry of tests/data/note_vectors.json
 * ("keys" and "notes"; sources in tests/data/VECTORS.md), named after the
 * entry, and hand-written behaviour tests below them.
 */
#include "util/common.h"
#include "util/hex.h"
#include "util/sha256.h"
#include "ledger/note.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>

#ifndef SL_TEST_DATA_DIR
#error "SL_TEST_DATA_DIR must name tests/data"
#endif

static json_t *vectors; /* the whole note_vectors.json */

static const char neumann_text[] = "If you think cryptography is the answer to your problem,\n"
				   "then you don't know what your problem is.\n";

/* ---- helpers ---------------------------------------------------------- */

static const char *jstr(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	assert_non_null(s);
	return s;
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

/* The note bytes: signed_note_hex where the string form is lossy. */
static void note_bytes(const json_t *v, buf *out)
{
	const json_t *hex = json_object_get(v, "signed_note_hex");

	if (hex) {
		size_t n = json_string_length(hex) / 2;
		buf_grow(out, n);
		assert_int_equal(hex_decode(json_string_value(hex), 2 * n, (uint8_t *)out->data, n), 0);
		out->len = n;
		out->data[n] = '\0';
	} else {
		const json_t *s = json_object_get(v, "signed_note");
		buf_append(out, json_string_value(s), json_string_length(s));
	}
}

/* Verifiers for the names in v["verify_with"]; returns how many. */
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

/* Which failure the vector's recorded reason corresponds to. */
static int expected_code(const json_t *v)
{
	const char *why = jstr(v, "checked_reason");

	if (strncmp(why, "invalid signature", 17) == 0)
		return SL_ECORRUPT;
	if (strncmp(why, "no signature from a known key", 29) == 0)
		return SL_ENOTFOUND;
	return SL_EINVAL;
}

static note_signer *make_signer(const char *name)
{
	note_signer *s;
	char *skey, *vkey;
	sl_err err;

	assert_int_equal(note_generate_key(name, &skey, &vkey, &err), 0);
	assert_int_equal(note_signer_parse(skey, &s, &err), 0);
	free(skey);
	free(vkey);
	return s;
}

static note_verifier *verifier_of(const note_signer *s)
{
	note_verifier *v;
	char *vkey = note_signer_vkey(s);
	sl_err err;

	assert_int_equal(note_verifier_parse(vkey, &v, &err), 0);
	free(vkey);
	return v;
}

/* ---- generated from note_vectors.json --------------------------------- */

/* keys[i]: the vkey and skey parse, carry the published key id, which is the
 * key-id rule applied to the published public key, and re-encode exactly. */
static void check_key_vector(void **state)
{
	const json_t *k = *state;
	const char *name = jstr(k, "name");
	uint8_t pk[32], id[4], h[SHA256_LEN], raw[33];
	note_verifier *v;
	note_signer *s;
	buf want = BUF_INIT;
	sha256_ctx *ctx;
	sl_err err;

	assert_int_equal(hex_decode(jstr(k, "public_key_hex"), 64, pk, 32), 0);
	assert_int_equal(hex_decode(jstr(k, "key_id_hex"), 8, id, 4), 0);
	ctx = sha256_begin();
	sha256_update(ctx, name, strlen(name));
	sha256_update(ctx, "\n\x01", 2);
	sha256_update(ctx, pk, 32);
	sha256_end(ctx, h);
	assert_memory_equal(h, id, 4);

	assert_int_equal(note_verifier_parse(jstr(k, "verifier"), &v, &err), 0);
	assert_string_equal(note_verifier_name(v), name);
	assert_int_equal(note_verifier_key_id(v), (uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 |
							 (uint32_t)id[2] << 8 | id[3]);
	raw[0] = 0x01;
	memcpy(raw + 1, pk, 32);
	buf_printf(&want, "%s+%s+", name, jstr(k, "key_id_hex"));
	base64_encode(&want, raw, 33);
	assert_string_equal(want.data, jstr(k, "verifier"));
	note_verifier_free(v);

	if (json_is_string(json_object_get(k, "signer"))) {
		char *vkey;
		assert_int_equal(hex_decode(jstr(k, "seed_hex"), 64, raw + 1, 32), 0);
		buf_reset(&want);
		buf_printf(&want, "PRIVATE+KEY+%s+%s+", name, jstr(k, "key_id_hex"));
		base64_encode(&want, raw, 33);
		assert_string_equal(want.data, jstr(k, "signer"));
		assert_int_equal(note_signer_parse(jstr(k, "signer"), &s, &err), 0);
		assert_string_equal(note_signer_name(s), name);
		vkey = note_signer_vkey(s);
		assert_string_equal(vkey, jstr(k, "verifier"));
		free(vkey);
		note_signer_free(s);
	}
	buf_release(&want);
}

/* notes[i]: note_open with the listed keys accepts or rejects as recorded;
 * accepted notes yield exactly the recorded text, and re-signing that text
 * with any key whose seed is published reproduces its signature line. */
static void check_note_vector(void **state)
{
	const json_t *v = *state;
	const char *expect = jstr(v, "expect");
	note_verifier *vs[8];
	size_t n = load_verifiers(v, vs), text_len = 0, i;
	uint64_t mask = 0;
	buf msg = BUF_INIT;
	sl_err err = {0, ""};
	int rc;

	note_bytes(v, &msg);
	rc = note_open(msg.data, msg.len, vs, n, &text_len, &mask, &err);
	if (strcmp(expect, "accept") == 0) {
		const char *text = jstr(v, "text");
		json_t *line;
		buf rebuilt = BUF_INIT;

		if (rc != 0)
			fail_msg("%s: %s", jstr(v, "id"), err.msg);
		assert_int_equal(text_len, strlen(text));
		assert_memory_equal(msg.data, text, text_len);
		assert_int_equal(mask, ((uint64_t)1 << n) - 1);

		buf_printf(&rebuilt, "%s\n", text);
		json_array_foreach(json_object_get(v, "signature_lines"), i, line) {
			const char *want = json_string_value(line), *sp = strchr(want + 4, ' ');
			char *name = xstrndup(want + 4, (size_t)(sp - want - 4));
			const json_t *skey = json_object_get(find_key(name), "signer");
			buf got = BUF_INIT;
			note_signer *s;

			if (json_is_string(skey)) {
				assert_int_equal(note_signer_parse(json_string_value(skey), &s, &err), 0);
				assert_int_equal(note_signature_line(text, strlen(text), s, &got, &err), 0);
				assert_string_equal(got.data, want);
				note_signer_free(s);
			}
			buf_puts(&rebuilt, want);
			buf_release(&got);
			free(name);
		}
		assert_int_equal(rebuilt.len, msg.len);
		assert_memory_equal(rebuilt.data, msg.data, msg.len);
		buf_release(&rebuilt);
	} else if (strcmp(expect, "reject") == 0) {
		assert_int_equal(rc, expected_code(v));
		assert_true(err.msg[0] != '\0');
	} else {
		/* parse-only: no key is published, so opening must fail as
		 * unverified, but the split must put the text at the last blank
		 * line and find the recorded signers. */
		note_parsed p = NOTE_PARSED_INIT;
		json_t *line;

		assert_string_equal(expect, "parse-only");
		assert_int_equal(rc, SL_ENOTFOUND);
		assert_int_equal(note_parse(msg.data, msg.len, &p, &err), 0);
		assert_int_equal(p.text_len, strlen(jstr(v, "text")));
		assert_memory_equal(msg.data, jstr(v, "text"), p.text_len);
		assert_int_equal(p.n_sigs, json_array_size(json_object_get(v, "signature_lines")));
		json_array_foreach(json_object_get(v, "signature_lines"), i, line) {
			const char *want = json_string_value(line);
			assert_memory_equal(p.sigs[i].name, want + 4, strlen(p.sigs[i].name));
			assert_int_equal(want[4 + strlen(p.sigs[i].name)], ' ');
			assert_int_equal(p.sigs[i].sig_len, 64);
		}
		note_parsed_release(&p);
	}
	free_verifiers(vs, n);
	buf_release(&msg);
}

/* ---- behaviour -------------------------------------------------------- */

static void test_generated_key_signs_and_opens(void **state)
{
	static const char text[] = "example.gov.uk/log\n42\n";
	note_signer *s = make_signer("example.gov.uk/log");
	note_verifier *v = verifier_of(s);
	buf note = BUF_INIT;
	size_t text_len = 0;
	uint64_t mask = 0;
	sl_err err;

	(void)state;
	assert_int_equal(note_sign(text, strlen(text), s, &note, &err), 0);
	assert_int_equal(note_open(note.data, note.len, &v, 1, &text_len, &mask, &err), 0);
	assert_int_equal(text_len, strlen(text));
	assert_memory_equal(note.data, text, text_len);
	assert_int_equal(mask, 1);
	assert_string_equal(note_verifier_name(v), "example.gov.uk/log");
	assert_int_equal(note_verifier_key_id(v), note_signer_key_id(s));
	buf_release(&note);
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_generated_keys_are_well_formed_and_distinct(void **state)
{
	char *skey1, *vkey1, *skey2, *vkey2;
	note_signer *s;
	note_verifier *v;
	char *derived;
	sl_err err;

	(void)state;
	assert_int_equal(note_generate_key("a.example/k", &skey1, &vkey1, &err), 0);
	assert_int_equal(note_generate_key("a.example/k", &skey2, &vkey2, &err), 0);
	assert_string_not_equal(vkey1, vkey2);
	assert_int_equal(strncmp(skey1, "PRIVATE+KEY+a.example/k+", 24), 0);
	assert_int_equal(strncmp(vkey1, "a.example/k+", 12), 0);
	assert_int_equal(note_signer_parse(skey1, &s, &err), 0);
	assert_int_equal(note_verifier_parse(vkey1, &v, &err), 0);
	derived = note_signer_vkey(s);
	assert_string_equal(derived, vkey1);
	free(derived);
	note_signer_free(s);
	note_verifier_free(v);
	free(skey1), free(vkey1), free(skey2), free(vkey2);
}

static void test_every_tampered_text_byte_is_rejected(void **state)
{
	note_signer *s = make_signer("k");
	note_verifier *v = verifier_of(s);
	buf note = BUF_INIT;
	size_t i, len = strlen(neumann_text);
	sl_err err;

	(void)state;
	assert_int_equal(note_sign(neumann_text, len, s, &note, &err), 0);
	for (i = 0; i + 1 < len; i++) { /* the final "\n" is the separator's partner */
		char saved = note.data[i];
		note.data[i] = saved == 'a' ? 'b' : 'a';
		if (saved == '\n')
			note.data[i] = ' ';
		assert_int_equal(note_open(note.data, note.len, &v, 1, NULL, NULL, &err),
				 SL_ECORRUPT);
		note.data[i] = saved;
	}
	assert_int_equal(note_open(note.data, note.len, &v, 1, NULL, NULL, &err), 0);
	buf_release(&note);
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_tampered_signature_byte_is_rejected(void **state)
{
	note_signer *s = make_signer("k");
	note_verifier *v = verifier_of(s);
	buf note = BUF_INIT;
	size_t sig_at, len = strlen(neumann_text);
	sl_err err;

	(void)state;
	assert_int_equal(note_sign(neumann_text, len, s, &note, &err), 0);
	/* "— k " then 92 base64 characters; change one inside the signature
	 * part, past the 4-byte key id (the first 6 characters). */
	sig_at = len + 1 + 4 + 2 + 20;
	note.data[sig_at] = note.data[sig_at] == 'A' ? 'B' : 'A';
	assert_int_equal(note_open(note.data, note.len, &v, 1, NULL, NULL, &err), SL_ECORRUPT);
	buf_release(&note);
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_only_unknown_key_signature_is_rejected_as_unverified(void **state)
{
	note_signer *a = make_signer("k"), *b = make_signer("k"); /* same name, other key */
	note_verifier *vb = verifier_of(b);
	buf note = BUF_INIT;
	sl_err err;

	(void)state;
	assert_int_equal(note_sign(neumann_text, strlen(neumann_text), a, &note, &err), 0);
	assert_int_equal(note_open(note.data, note.len, &vb, 1, NULL, NULL, &err), SL_ENOTFOUND);
	assert_int_equal(note_open(note.data, note.len, NULL, 0, NULL, NULL, &err), SL_ENOTFOUND);
	buf_release(&note);
	note_verifier_free(vb);
	note_signer_free(a);
	note_signer_free(b);
}

static void test_unknown_signatures_are_ignored_beside_a_known_one(void **state)
{
	note_signer *a = make_signer("a.example"), *b = make_signer("b.example");
	note_verifier *vs[2];
	buf note = BUF_INIT;
	size_t len = strlen(neumann_text);
	uint64_t mask = 0;
	sl_err err;

	(void)state;
	vs[0] = verifier_of(b);
	vs[1] = verifier_of(a);
	/* A signature line of an unknown type and an unknown key come first. */
	buf_append(&note, neumann_text, len);
	buf_puts(&note, "\n\xe2\x80\x94 other.example AAAAAAAAAAAAAAAA\n");
	assert_int_equal(note_signature_line(neumann_text, len, a, &note, &err), 0);
	assert_int_equal(note_open(note.data, note.len, &vs[0], 1, NULL, &mask, &err),
			 SL_ENOTFOUND);
	assert_int_equal(note_open(note.data, note.len, vs, 2, NULL, &mask, &err), 0);
	assert_int_equal(mask, 2); /* only verifiers[1] signed */
	buf_release(&note);
	note_verifier_free(vs[0]);
	note_verifier_free(vs[1]);
	note_signer_free(a);
	note_signer_free(b);
}

static void test_repeated_bad_signature_from_known_key_is_rejected(void **state)
{
	note_signer *s = make_signer("k");
	note_verifier *v = verifier_of(s);
	buf note = BUF_INIT, line = BUF_INIT;
	size_t len = strlen(neumann_text);
	sl_err err;

	(void)state;
	assert_int_equal(note_sign(neumann_text, len, s, &note, &err), 0);
	assert_int_equal(note_signature_line(neumann_text, len, s, &line, &err), 0);
	line.data[30] = line.data[30] == 'A' ? 'B' : 'A';
	buf_append(&note, line.data, line.len);
	assert_int_equal(note_open(note.data, note.len, &v, 1, NULL, NULL, &err), SL_ECORRUPT);
	buf_release(&note);
	buf_release(&line);
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_short_signature_from_known_key_is_rejected(void **state)
{
	note_signer *s = make_signer("k");
	note_verifier *v = verifier_of(s);
	buf note = BUF_INIT;
	uint8_t raw[8];
	uint32_t id = note_signer_key_id(s);
	sl_err err;

	(void)state;
	raw[0] = (uint8_t)(id >> 24), raw[1] = (uint8_t)(id >> 16);
	raw[2] = (uint8_t)(id >> 8), raw[3] = (uint8_t)id;
	memset(raw + 4, 7, 4);
	buf_printf(&note, "%s\n\xe2\x80\x94 k ", neumann_text);
	base64_encode(&note, raw, sizeof(raw));
	buf_putc(&note, '\n');
	assert_int_equal(note_open(note.data, note.len, &v, 1, NULL, NULL, &err), SL_ECORRUPT);
	buf_release(&note);
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_text_with_blank_lines_round_trips(void **state)
{
	static const char *texts[] = {"a\n\nb\n", "a\n\n", "\n", "\xe2\x80\x94 x y\n\n\xe2\x80\x94 x y\n"};
	note_signer *s = make_signer("k");
	note_verifier *v = verifier_of(s);
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(texts); i++) {
		buf note = BUF_INIT;
		size_t text_len = 0;
		sl_err err;

		assert_int_equal(note_sign(texts[i], strlen(texts[i]), s, &note, &err), 0);
		assert_int_equal(note_open(note.data, note.len, &v, 1, &text_len, NULL, &err), 0);
		assert_int_equal(text_len, strlen(texts[i]));
		buf_release(&note);
	}
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_sign_refuses_text_that_could_not_be_opened(void **state)
{
#define TEXT(s) {s, sizeof(s) - 1}
	static const struct {
		const char *s;
		size_t len;
	} bad[] = {TEXT(""),      TEXT("no final newline"), TEXT("tab\there\n"),
		   TEXT("nul\0\n"), TEXT("\xff\n"),           TEXT("cr\r\n")};
#undef TEXT
	note_signer *s = make_signer("k");
	buf out = BUF_INIT;
	size_t i;
	sl_err err;

	(void)state;
	buf_puts(&out, "kept");
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		assert_int_equal(note_sign(bad[i].s, bad[i].len, s, &out, &err), SL_EINVAL);
		assert_string_equal(out.data, "kept"); /* out untouched on error */
	}
	buf_release(&out);
	note_signer_free(s);
}

static void test_key_name_with_plus_or_space_is_refused(void **state)
{
	static const char *bad[] = {"", "a+b", "a b", "a\tb", "a\nb", "a\x01z", "nb\xc2\xa0sp",
				    "ideo\xe3\x80\x80sp", "line\xe2\x80\xa8sep", "\xff"};
	static const char *good[] = {"PeterNeumann", "example.com/log42", "caf\xc3\xa9",
				     "zero\xe2\x80\x8bwidth"};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		char *skey = (char *)1, *vkey = (char *)1;
		sl_err err = {0, ""};
		assert_int_equal(note_generate_key(bad[i], &skey, &vkey, &err), SL_EINVAL);
		assert_null(skey);
		assert_null(vkey);
		assert_true(err.msg[0] != '\0');
	}
	for (i = 0; i < SL_ARRAY_LEN(good); i++) {
		char *skey, *vkey;
		sl_err err;
		assert_int_equal(note_generate_key(good[i], &skey, &vkey, &err), 0);
		free(skey);
		free(vkey);
	}
}

static void test_malformed_keys_are_refused(void **state)
{
	static const char *bad_vkeys[] = {
		"",
		"PeterNeumann",
		"PeterNeumann+c74f20a3",
		"PeterNeumann+c74f20a3+",
		"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /* id */
		"PeterNeumann+c74f20g3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /* hex */
		"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  /* 7 digits */
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",  /* b64 */
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
		"PeterNeumann+c74f20a3+GlzZBxQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY=", /* no alg byte */
		"PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /* alg 2 */
		"Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
	};
	static const char *bad_skeys[] = {
		"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /* a vkey */
		"PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeuman+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
		"private+key+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad_vkeys); i++) {
		note_verifier *v = (note_verifier *)1;
		sl_err err;
		if (note_verifier_parse(bad_vkeys[i], &v, &err) != SL_EINVAL)
			fail_msg("accepted vkey %zu: %s", i, bad_vkeys[i]);
		assert_null(v);
	}
	for (i = 0; i < SL_ARRAY_LEN(bad_skeys); i++) {
		note_signer *s = (note_signer *)1;
		sl_err err = {0, ""};
		if (note_signer_parse(bad_skeys[i], &s, &err) != SL_EINVAL)
			fail_msg("accepted skey %zu", i);
		assert_null(s);
		assert_null(strstr(err.msg, "AYEKFALV")); /* never echo a secret */
	}
}

static void test_more_than_100_signatures_is_malformed(void **state)
{
	note_signer *s = make_signer("k");
	note_verifier *v = verifier_of(s);
	buf note = BUF_INIT;
	size_t len = strlen(neumann_text), i;
	sl_err err;

	(void)state;
	assert_int_equal(note_sign(neumann_text, len, s, &note, &err), 0);
	for (i = 1; i < NOTE_MAX_SIGNATURES; i++)
		buf_puts(&note, "\xe2\x80\x94 other.example AAAAAAAAAAAAAAAA\n");
	assert_int_equal(note_open(note.data, note.len, &v, 1, NULL, NULL, &err), 0);
	buf_puts(&note, "\xe2\x80\x94 other.example AAAAAAAAAAAAAAAA\n");
	assert_int_equal(note_open(note.data, note.len, &v, 1, NULL, NULL, &err), SL_EINVAL);
	buf_release(&note);
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_malformed_signature_lines_are_rejected(void **state)
{
	static const char *bad[] = {
		"\xe2\x80\x94 k\n",                        /* no signature */
		"\xe2\x80\x94 k \n",                       /* empty signature */
		"\xe2\x80\x94  AAAAAAAA\n",                /* empty name */
		"\xe2\x80\x94 k AAAAAA==\n",               /* 4 bytes: no signature after the id */
		"\xe2\x80\x94 k AAAAAAAB\n\n",             /* blank line among signatures */
		"\xe2\x80\x94 k AAAAAAAB \n",              /* trailing space */
		"\xe2\x80\x94 k AAAAAAB=\n",               /* non-canonical padding bits */
		"- k AAAAAAAB\n",                          /* ASCII hyphen */
		"\xe2\x80\x94k AAAAAAAB\n",                /* no space after the dash */
		"\xe2\x80\x94 a+b AAAAAAAB\n",             /* '+' in name */
		"\xe2\x80\x94 a\xe3\x80\x80z AAAAAAAB\n",  /* U+3000 in name */
	};
	note_signer *s = make_signer("k");
	note_verifier *v = verifier_of(s);
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		buf note = BUF_INIT;
		sl_err err;
		int rc;

		assert_int_equal(note_sign(neumann_text, strlen(neumann_text), s, &note, &err), 0);
		buf_puts(&note, bad[i]);
		rc = note_open(note.data, note.len, &v, 1, NULL, NULL, &err);
		if (rc != SL_EINVAL)
			fail_msg("case %zu: got %d, want malformed", i, rc);
		buf_release(&note);
	}
	note_verifier_free(v);
	note_signer_free(s);
}

static void test_invalid_utf8_anywhere_is_rejected(void **state)
{
	static const char *bad[] = {
		"\xc0\x80",         /* overlong NUL */
		"\xe0\x80\xaf",     /* overlong '/' */
		"\xf0\x80\x80\xaf", /* overlong '/' */
		"\xed\xa0\x80",     /* surrogate U+D800 */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xe2\x80",         /* truncated */
		"\x80",             /* lone continuation byte */
		"\xf8\x88\x80\x80\x80",
		"\x7f\x1b", /* DEL is allowed, ESC is not */
	};
	static const char *good[] = {"\x7f", "\xf0\x9f\x93\x9c", "\xef\xbf\xbd", "\xf4\x8f\xbf\xbf"};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++)
		assert_false(note_text_valid(bad[i], strlen(bad[i])));
	for (i = 0; i < SL_ARRAY_LEN(good); i++)
		assert_true(note_text_valid(good[i], strlen(good[i])));
	assert_false(note_text_valid("a\0b", 3));
	assert_true(note_text_valid("line\n", 5));
}

static void test_ambiguous_or_too_many_verifiers_are_refused(void **state)
{
	note_signer *s = make_signer("k");
	note_verifier *vs[NOTE_MAX_VERIFIERS + 1];
	buf note = BUF_INIT;
	size_t i;
	sl_err err;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(vs); i++)
		vs[i] = verifier_of(s);
	assert_int_equal(note_sign(neumann_text, strlen(neumann_text), s, &note, &err), 0);
	assert_int_equal(note_open(note.data, note.len, vs, 1, NULL, NULL, &err), 0);
	assert_int_equal(note_open(note.data, note.len, vs, 2, NULL, NULL, &err), SL_EINVAL);
	assert_int_equal(note_open(note.data, note.len, vs, SL_ARRAY_LEN(vs), NULL, NULL, &err),
			 SL_EINVAL);
	for (i = 0; i < SL_ARRAY_LEN(vs); i++)
		note_verifier_free(vs[i]);
	buf_release(&note);
	note_signer_free(s);
}

/* ---- runner ----------------------------------------------------------- */

static const struct CMUnitTest behaviour_tests[] = {
	cmocka_unit_test(test_generated_key_signs_and_opens),
	cmocka_unit_test(test_generated_keys_are_well_formed_and_distinct),
	cmocka_unit_test(test_every_tampered_text_byte_is_rejected),
	cmocka_unit_test(test_tampered_signature_byte_is_rejected),
	cmocka_unit_test(test_only_unknown_key_signature_is_rejected_as_unverified),
	cmocka_unit_test(test_unknown_signatures_are_ignored_beside_a_known_one),
	cmocka_unit_test(test_repeated_bad_signature_from_known_key_is_rejected),
	cmocka_unit_test(test_short_signature_from_known_key_is_rejected),
	cmocka_unit_test(test_text_with_blank_lines_round_trips),
	cmocka_unit_test(test_sign_refuses_text_that_could_not_be_opened),
	cmocka_unit_test(test_key_name_with_plus_or_space_is_refused),
	cmocka_unit_test(test_malformed_keys_are_refused),
	cmocka_unit_test(test_more_than_100_signatures_is_malformed),
	cmocka_unit_test(test_malformed_signature_lines_are_rejected),
	cmocka_unit_test(test_invalid_utf8_anywhere_is_rejected),
	cmocka_unit_test(test_ambiguous_or_too_many_verifiers_are_refused),
};

static void add_test(struct CMUnitTest *tests, size_t *n, char *name, CMUnitTestFunction f,
		     void *state)
{
	tests[*n] = (struct CMUnitTest){.name = name, .test_func = f, .initial_state = state};
	(*n)++;
}

int main(void)
{
	struct CMUnitTest *tests;
	json_t *keys, *notes, *e;
	json_error_t jerr;
	size_t n = 0, i, total;
	int failed;

	vectors = json_load_file(SL_TEST_DATA_DIR "/note_vectors.json", 0, &jerr);
	if (!vectors) {
		fprintf(stderr, "note_vectors.json: line %d: %s\n", jerr.line, jerr.text);
		return 1;
	}
	keys = json_object_get(vectors, "keys");
	notes = json_object_get(vectors, "notes");
	total = json_array_size(keys) + json_array_size(notes) + SL_ARRAY_LEN(behaviour_tests);
	tests = xcalloc(total, sizeof(*tests));
	json_array_foreach(keys, i, e) {
		buf name = BUF_INIT;
		buf_printf(&name, "vector key %s parses and re-encodes", jstr(e, "name"));
		add_test(tests, &n, buf_detach(&name), check_key_vector, e);
	}
	json_array_foreach(notes, i, e) {
		buf name = BUF_INIT;
		buf_printf(&name, "vector note %s: %s", jstr(e, "id"), jstr(e, "expect"));
		add_test(tests, &n, buf_detach(&name), check_note_vector, e);
	}
	for (i = 0; i < SL_ARRAY_LEN(behaviour_tests); i++)
		tests[n++] = behaviour_tests[i];

	failed = _cmocka_run_group_tests("note", tests, n, NULL, NULL);

	for (i = 0; i < n - SL_ARRAY_LEN(behaviour_tests); i++)
		free((char *)tests[i].name);
	free(tests);
	json_decref(vectors);
	return failed ? 1 : 0;
}
