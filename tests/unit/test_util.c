/*
 * test_util.c - buffers, hex, base64 and the bounded line reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "util/hex.h"
#include "util/lines.h"
#include "util/utf8.h"

static void test_buf_grows_and_stays_terminated(void **state)
{
	buf b = BUF_INIT;
	int i;
	(void)state;
	assert_string_equal(buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.data[b.len], '\0');
	assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
	buf_truncate(&b, 2);
	assert_string_equal(b.data, "0,");
	buf_release(&b);
	assert_null(b.data);
}

static void test_hex_round_trip_and_rejects_bad_digits(void **state)
{
	uint8_t in[4] = {0x00, 0xab, 0xff, 0x10}, out[4];
	buf b = BUF_INIT;
	(void)state;
	buf_append_hex(&b, in, 4);
	assert_string_equal(b.data, "00abff10");
	assert_int_equal(hex_decode("00ABff10", 8, out, 4), 0);
	assert_memory_equal(in, out, 4);
	assert_int_equal(hex_decode("00abff1", 7, out, 4), -1);
	assert_int_equal(hex_decode("00abff1g", 8, out, 4), -1);
	buf_release(&b);
}

static void test_base64_rfc4648_vectors(void **state)
{
	static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	size_t i;
	(void)state;
	for (i = 0; i < 7; i++) {
		buf e = BUF_INIT, d = BUF_INIT;
		base64_encode(&e, (const uint8_t *)plain[i], strlen(plain[i]));
		assert_string_equal(buf_str(&e), enc[i]);
		assert_int_equal(base64_decode(&d, enc[i], strlen(enc[i])), 0);
		assert_string_equal(buf_str(&d), plain[i]);
		buf_release(&e);
		buf_release(&d);
	}
}

static void test_base64_rejects_noncanonical_and_garbage(void **state)
{
	buf d = BUF_INIT;
	(void)state;
	assert_int_equal(base64_decode(&d, "Zh==", 4), -1); /* padding bits set */
	assert_int_equal(base64_decode(&d, "Zg=", 3), -1);  /* length */
	assert_int_equal(base64_decode(&d, "Z!==", 4), -1);
	assert_int_equal(base64_decode(&d, "=Zg=", 4), -1);
	assert_int_equal(d.len, 0);
	buf_release(&d);
}

static void test_lines_splits_and_strips_cr(void **state)
{
	char text[] = "one\r\ntwo\n\nthree";
	FILE *f = fmemopen(text, strlen(text), "r");
	line_reader r;
	const char *line;
	size_t len;
	(void)state;
	lines_init(&r, f, 100);
	assert_int_equal(lines_next(&r, &line, &len), 1);
	assert_string_equal(line, "one");
	assert_int_equal(lines_next(&r, &line, &len), 1);
	assert_string_equal(line, "two");
	assert_int_equal(lines_next(&r, &line, &len), 1);
	assert_int_equal(len, 0);
	assert_int_equal(lines_next(&r, &line, &len), 1);
	assert_string_equal(line, "three");
	assert_int_equal(r.lineno, 4);
	assert_int_equal(lines_next(&r, &line, &len), 0);
	lines_release(&r);
	fclose(f);
}

static void test_lines_refuses_overlong_line_without_reading_it_all(void **state)
{
	size_t n = 1 << 20;
	char *text = malloc(n);
	FILE *f;
	line_reader r;
	const char *line;
	size_t len;
	(void)state;
	memset(text, 'x', n);
	memcpy(text, "ok\n", 3);
	f = fmemopen(text, n, "r");
	lines_init(&r, f, 1000);
	assert_int_equal(lines_next(&r, &line, &len), 1);
	assert_int_equal(lines_next(&r, &line, &len), -1);
	assert_int_equal(r.lineno, 2);
	assert_true(r.line.cap < 200 * 1024); /* did not buffer the megabyte */
	lines_release(&r);
	fclose(f);
	free(text);
}

static void test_err_prefix_keeps_message(void **state)
{
	sl_err err = {0};
	(void)state;
	assert_int_equal(sl_fail(&err, SL_EINVAL, "field `%s`: bad", "data.child"), SL_EINVAL);
	sl_err_prefix(&err, "line %d", 12);
	assert_string_equal(err.msg, "line 12: field `data.child`: bad");
}

/* Whole streams, bounded: a stream of exactly max bytes is read; one more
 * byte is refused; the size crosses the read chunk. */
static void test_buf_read_stream_bounds(void **state)
{
	static char text[40000];
	buf b = BUF_INIT;
	FILE *f;

	(void)state;
	memset(text, 'x', sizeof(text));
	f = fmemopen(text, sizeof(text), "r");
	assert_int_equal(buf_read_stream(&b, f, sizeof(text)), 0);
	assert_int_equal(b.len, sizeof(text));
	fclose(f);
	buf_reset(&b);
	f = fmemopen(text, sizeof(text), "r");
	assert_int_equal(buf_read_stream(&b, f, sizeof(text) - 1), -1);
	fclose(f);
	buf_release(&b);
}

/* RFC 3629 section 4's limits, each at its edge. */
static void test_utf8_decode_takes_well_formed_sequences_only(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		uint32_t cp; /* 0 with len 0: refused */
	} cases[] = {
		{"A", 1, 0x41},
		{"\xc2\x80", 2, 0x80},
		{"\xdf\xbf", 2, 0x7ff},
		{"\xe0\xa0\x80", 3, 0x800},
		{"\xed\x9f\xbf", 3, 0xd7ff},
		{"\xee\x80\x80", 3, 0xe000},
		{"\xf0\x90\x80\x80", 4, 0x10000},
		{"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
		{"\xc0\xaf", 0, 0},         /* overlong '/' */
		{"\xc1\xbf", 0, 0},         /* overlong */
		{"\xe0\x9f\xbf", 0, 0},     /* overlong U+07FF */
		{"\xed\xa0\x80", 0, 0},     /* surrogate U+D800 */
		{"\xed\xbf\xbf", 0, 0},     /* surrogate U+DFFF */
		{"\xf0\x8f\xbf\xbf", 0, 0}, /* overlong U+FFFF */
		{"\xf4\x90\x80\x80", 0, 0}, /* U+110000 */
		{"\xf5\x80\x80\x80", 0, 0}, /* lead byte past F4 */
		{"\x80", 0, 0},              /* a lone continuation byte */
		{"\xe2\x82", 0, 0},          /* truncated */
		{"\xe2\x28\xa1", 0, 0},      /* not a continuation */
	};
	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(cases); i++) {
		uint32_t cp = 0;
		size_t n = utf8_decode((const unsigned char *)cases[i].bytes, strlen(cases[i].bytes), &cp);
		if (n != cases[i].len || (n && cp != cases[i].cp))
			fail_msg("case %zu: length %zu code point %x", i, n, (unsigned)cp);
	}
}

static void test_utf8_text_refuses_controls_and_counts_characters(void **state)
{
	size_t chars = 0;
	(void)state;
	assert_true(utf8_text_ok("Zo\xc3\xab \xe2\x82\xac", 8, &chars)); /* Z o e-diaeresis space euro */
	assert_int_equal(chars, 5);
	assert_true(utf8_text_ok("", 0, &chars));
	assert_int_equal(chars, 0);
	assert_false(utf8_text_ok("a\tb", 3, NULL));          /* C0, even tab */
	assert_false(utf8_text_ok("a\x7f", 2, NULL));         /* DEL */
	assert_false(utf8_text_ok("a\xc2\x85", 3, NULL));     /* C1 (NEL) */
	assert_true(utf8_text_ok("a\xc2\xa0", 3, NULL));      /* NBSP is text */
	assert_false(utf8_text_ok("a\0b", 3, NULL));          /* NUL inside */
	assert_false(utf8_text_ok("\xed\xa0\x80", 3, NULL)); /* a surrogate */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_stays_terminated),
		cmocka_unit_test(test_buf_read_stream_bounds),
		cmocka_unit_test(test_hex_round_trip_and_rejects_bad_digits),
		cmocka_unit_test(test_base64_rfc4648_vectors),
		cmocka_unit_test(test_base64_rejects_noncanonical_and_garbage),
		cmocka_unit_test(test_lines_splits_and_strips_cr),
		cmocka_unit_test(test_lines_refuses_overlong_line_without_reading_it_all),
		cmocka_unit_test(test_err_prefix_keeps_message),
		cmocka_unit_test(test_utf8_decode_takes_well_formed_sequences_only),
		cmocka_unit_test(test_utf8_text_refuses_controls_and_counts_characters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
