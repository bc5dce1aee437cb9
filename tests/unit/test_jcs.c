/*
 * test_jcs.c - RFC 8785 canonical JSON (src/ledger/jcs.c).
 *
 * Outside vectors, each named where it is used:
 *   - RFC 8785 Appendix B: IEEE-754 bit patterns and their number text.
 *   - RFC 8785 section 3.2.2 (primitives example) and 3.2.3 (sorting example).
 *   - Doubles that are powers of two, printed by Node.js 18 (V8) String(x):
 *     the cases where the nearest k-digit decimal does not read back but the
 *     next one up does.
 * Everything else is our own case, with the reason in the test name.
 */
#include "util/common.h"

#include <math.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ledger/jcs.h"

/* ---- helpers ------------------------------------------------------------ */

static double from_bits(uint64_t bits)
{
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

static void assert_double_text(double d, const char *expected)
{
	buf b = BUF_INIT;
	sl_err err;

	sl_err_clear(&err);
	assert_int_equal(jcs_append_double(&b, d, &err), 0);
	assert_string_equal(buf_str(&b), expected);
	buf_release(&b);
}

/* Canonical text of v; fails the test if v is refused. Caller frees. */
static char *canonical(const json_t *v)
{
	buf b = BUF_INIT;
	sl_err err;

	sl_err_clear(&err);
	if (jcs_append(&b, v, &err) != 0)
		fail_msg("jcs_append refused: %s", err.msg);
	return buf_detach(&b);
}

static void assert_canonical_text(const char *input, const char *expected)
{
	sl_err err;
	json_t *v = jcs_parse(input, strlen(input), &err);
	char *got;

	if (!v)
		fail_msg("jcs_parse(%s): %s", input, err.msg);
	got = canonical(v);
	assert_string_equal(got, expected);
	free(got);
	json_decref(v);
}

/* jcs_append must refuse v, leave out as it was, and say `needle`. */
static void assert_refused(const json_t *v, const char *needle)
{
	buf b = BUF_INIT;
	sl_err err;

	buf_puts(&b, "keep");
	sl_err_clear(&err);
	assert_int_equal(jcs_append(&b, v, &err), SL_EINVAL);
	assert_int_equal(err.code, SL_EINVAL);
	assert_string_equal(buf_str(&b), "keep");
	if (!strstr(err.msg, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", err.msg, needle);
	buf_release(&b);
}

static void assert_parse_fails_n(const char *text, size_t len, const char *needle)
{
	sl_err err;
	json_t *v;

	sl_err_clear(&err);
	v = jcs_parse(text, len, &err);
	if (v) {
		json_decref(v);
		fail_msg("jcs_parse accepted %.*s", (int)len, text);
	}
	assert_int_equal(err.code, SL_EINVAL);
	if (!strstr(err.msg, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", err.msg, needle);
}

static void assert_parse_fails(const char *text, const char *needle)
{
	assert_parse_fails_n(text, strlen(text), needle);
}

/* ---- numbers ------------------------------------------------------------ */

/* RFC 8785 Appendix B, every row with a finite input. */
static void test_rfc8785_appendix_b_numbers(void **state)
{
	static const struct {
		uint64_t bits;
		const char *text;
	} rows[] = {
		{0x0000000000000000, "0"},
		{0x8000000000000000, "0"},
		{0x0000000000000001, "5e-324"},
		{0x8000000000000001, "-5e-324"},
		{0x7fefffffffffffff, "1.7976931348623157e+308"},
		{0xffefffffffffffff, "-1.7976931348623157e+308"},
		{0x4340000000000000, "9007199254740992"},
		{0xc340000000000000, "-9007199254740992"},
		{0x4430000000000000, "295147905179352830000"},
		{0x44b52d02c7e14af5, "9.999999999999997e+22"},
		{0x44b52d02c7e14af6, "1e+23"},
		{0x44b52d02c7e14af7, "1.0000000000000001e+23"},
		{0x444b1ae4d6e2ef4e, "999999999999999700000"},
		{0x444b1ae4d6e2ef4f, "999999999999999900000"},
		{0x444b1ae4d6e2ef50, "1e+21"},
		{0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
		{0x3eb0c6f7a0b5ed8d, "0.000001"},
		{0x41b3de4355555553, "333333333.3333332"},
		{0x41b3de4355555554, "333333333.33333325"},
		{0x41b3de4355555555, "333333333.3333333"},
		{0x41b3de4355555556, "333333333.3333334"},
		{0x41b3de4355555557, "333333333.33333343"},
		{0xbecbf647612f3696, "-0.0000033333333333333333"},
		{0x43143ff3c1cb0959, "1424953923781206.2"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(rows); i++)
		assert_double_text(from_bits(rows[i].bits), rows[i].text);
}

/* Appendix B's NaN (7fffffffffffffff) and Infinity (7ff0000000000000) rows:
 * no JSON form, so refused, and the buffer is left alone. */
static void test_nan_and_infinity_are_refused(void **state)
{
	const double bad[] = {from_bits(0x7fffffffffffffff), from_bits(0x7ff0000000000000),
			      -INFINITY, NAN};
	buf b = BUF_INIT;
	sl_err err;
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		assert_int_equal(jcs_append_double(&b, bad[i], &err), SL_EINVAL);
		assert_int_equal(b.len, 0);
		assert_non_null(strstr(err.msg, "no JSON form"));
	}
	buf_release(&b);
}

/* Powers of two: the gap below is half the gap above, so the nearest
 * k-digit decimal can fall outside; expected strings from V8. */
static void test_powers_of_two_use_next_decimal_up(void **state)
{
	(void)state;
	assert_double_text(from_bits(0x3e70000000000000), "5.960464477539063e-8"); /* 2^-24 */
	assert_double_text(from_bits(0x3d30000000000000), "5.684341886080802e-14"); /* 2^-44 */
	assert_double_text(from_bits(0x4580000000000000), "6.189700196426902e+26"); /* 2^89 */
	assert_double_text(from_bits(0x0060000000000000), "7.120236347223045e-307");
	assert_double_text(from_bits(0xfcf0000000000000), "-6.386688990511104e+293");
}

/* ECMAScript's layout switches: plain up to 10^21, exponent from 10^21;
 * "0.00..." down to 10^-6, exponent from 10^-7. */
static void test_number_layout_boundaries(void **state)
{
	(void)state;
	assert_double_text(1e20, "100000000000000000000");
	assert_double_text(1e21, "1e+21");
	assert_double_text(1.5e21, "1.5e+21");
	assert_double_text(-1e21, "-1e+21");
	assert_double_text(1e-6, "0.000001");
	assert_double_text(1.5e-6, "0.0000015");
	assert_double_text(1e-7, "1e-7");
	assert_double_text(-1.25e-7, "-1.25e-7");
	assert_double_text(0.1, "0.1");
	assert_double_text(0.5, "0.5");
	assert_double_text(1.5, "1.5");
	assert_double_text(-0.0, "0");
	assert_double_text(100, "100");
	assert_double_text(123456789012345680000.0, "123456789012345680000");
	assert_double_text(1e300, "1e+300");
	assert_double_text(2.2250738585072014e-308, "2.2250738585072014e-308");
	assert_double_text(0.1 + 0.2, "0.30000000000000004");
}

static void test_reals_from_text_use_shortest_digits(void **state)
{
	(void)state;
	assert_canonical_text("[1.0, 1E+2, 4.50, 2e-3, -0.0, 0.000000000000000000000000001]",
			      "[1,100,4.5,0.002,0,1e-27]");
	assert_canonical_text("[1e21, 1E-7, 0.1e1, 123456.789e3]", "[1e+21,1e-7,1,123456789]");
}

static void test_integers_within_two_pow_53(void **state)
{
	json_t *v = json_pack("[I,I,I,I,i]", (json_int_t)9007199254740992LL,
			      (json_int_t)-9007199254740992LL, (json_int_t)9007199254740991LL,
			      (json_int_t)0, -42);
	char *got;

	(void)state;
	assert_non_null(v);
	got = canonical(v);
	assert_string_equal(got, "[9007199254740992,-9007199254740992,9007199254740991,0,-42]");
	free(got);
	json_decref(v);
}

static void test_integers_beyond_two_pow_53_are_refused(void **state)
{
	const json_int_t bad[] = {9007199254740993LL, -9007199254740993LL, INT64_MAX, INT64_MIN};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		json_t *v = json_integer(bad[i]);
		assert_refused(v, "outside +-2^53");
		json_decref(v);
	}
}

/* ECMAScript prints 2^53 < |x| < 10^21 as plain digits; jcs_parse would
 * read those back as integers that jcs_append refuses, so a real there is
 * refused too (the invariant in jcs.h).  10^21 itself prints "1e+21". */
static void test_integral_reals_beyond_two_pow_53_are_refused(void **state)
{
	const double bad[] = {9007199254740994.0, -9007199254740994.0, 1e20, 999999999999999900000.0,
			      from_bits(0x4430000000000000)};
	json_t *ok = json_pack("[f,f,f]", 9007199254740992.0, 1e21, -1e300);
	char *got;
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		json_t *v = json_real(bad[i]);
		assert_refused(v, "outside +-2^53");
		json_decref(v);
	}
	got = canonical(ok);
	assert_string_equal(got, "[9007199254740992,1e+21,-1e+300]");
	free(got);
	json_decref(ok);
}

/* ---- strings ------------------------------------------------------------ */

static void test_string_escapes_only_what_json_requires(void **state)
{
	/* every control character but NUL, then '"', '\\', '/', DEL and non-ASCII */
	static const char raw[] = "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
				  "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"
				  "\"\\/\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	static const char expected[] =
		"\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b"
		"\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
		"\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
		"\\\"\\\\/\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"";
	json_t *v = json_stringn(raw, sizeof(raw) - 1);
	char *got;

	(void)state;
	assert_non_null(v);
	got = canonical(v);
	assert_string_equal(got, expected);
	free(got);
	json_decref(v);
}

/* Escaped input comes out raw: \u escapes of printable and non-ASCII
 * characters, surrogate pairs, the solidus. */
static void test_unicode_escapes_are_written_as_utf8(void **state)
{
	(void)state;
	assert_canonical_text("[\"\\u0041\\u00e9\\u20AC\\uD83D\\uDE00\\/\\u007F\\u001F\"]",
			      "[\"A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80/\x7f\\u001f\"]");
	assert_canonical_text("\"\"", "\"\"");
}

static void test_invalid_utf8_is_refused(void **state)
{
	static const char *const bad[] = {
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong */
		"\xed\xa0\x80",     /* U+D800, a surrogate */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\x80",             /* lone continuation byte */
		"a\xe2\x82",        /* truncated sequence */
		"\xff",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(bad); i++) {
		json_t *s = json_stringn_nocheck(bad[i], strlen(bad[i]));
		json_t *o = json_object();

		assert_refused(s, "string is not valid UTF-8");
		json_object_setn_new_nocheck(o, bad[i], strlen(bad[i]), json_true());
		assert_refused(o, "member name is not valid UTF-8");
		json_decref(s);
		json_decref(o);
	}
}

/* ---- structure and ordering --------------------------------------------- */

/* RFC 8785 section 3.2.2: the primitives example, and its UTF-8 bytes
 * (section 3.2.4) spelled out byte for byte. */
static void test_rfc8785_primitives_example(void **state)
{
	static const char input[] =
		"{\n"
		"  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
		"              2e-3, 0.000000000000000000000000001],\n"
		"  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
		"  \"literals\": [null, true, false]\n"
		"}";
	static const char expected[] =
		"{\"literals\":[null,true,false],"
		"\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
		"\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

	(void)state;
	assert_canonical_text(input, expected);
}

/* RFC 8785 section 3.2.3: names sort as UTF-16 code units. */
static void test_rfc8785_sorting_example(void **state)
{
	static const char input[] = "{\n"
				    "  \"\\u20ac\": \"Euro Sign\",\n"
				    "  \"\\r\": \"Carriage Return\",\n"
				    "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
				    "  \"1\": \"One\",\n"
				    "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
				    "  \"\\u0080\": \"Control\",\n"
				    "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
				    "}";
	static const char expected[] = "{\"\\r\":\"Carriage Return\","
				       "\"1\":\"One\","
				       "\"\xc2\x80\":\"Control\","
				       "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
				       "\"\xe2\x82\xac\":\"Euro Sign\","
				       "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
				       "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}";

	(void)state;
	assert_canonical_text(input, expected);
}

/* U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33 even though
 * its UTF-8 (F0 ...) sorts after (EF ...); likewise before U+E000 and
 * U+FFFF, but after U+D7FF. */
static void test_names_above_ffff_sort_as_surrogates(void **state)
{
	(void)state;
	assert_canonical_text("{\"\\ufb33\":1,\"\\ud83d\\ude00\":2}",
			      "{\"\xf0\x9f\x98\x80\":2,\"\xef\xac\xb3\":1}");
	assert_canonical_text("{\"\\uffff\":1,\"\\ue000\":2,\"\\udbff\\udfff\":3,\"\\ud7ff\":4}",
			      "{\"\xed\x9f\xbf\":4,\"\xf4\x8f\xbf\xbf\":3,"
			      "\"\xee\x80\x80\":2,\"\xef\xbf\xbf\":1}");
	/* two names above U+FFFF keep code point order */
	assert_canonical_text("{\"\\ud83d\\ude01\":1,\"\\ud83c\\udf00\":2,\"\\ud83d\\ude00\":3}",
			      "{\"\xf0\x9f\x8c\x80\":2,\"\xf0\x9f\x98\x80\":3,\"\xf0\x9f\x98\x81\":1}");
}

static void test_names_sort_prefix_first_and_case_sensitively(void **state)
{
	(void)state;
	assert_canonical_text("{\"aa\":1,\"a\":2,\"\":3,\"B\":4,\"b\":5}",
			      "{\"\":3,\"B\":4,\"a\":2,\"aa\":1,\"b\":5}");
	assert_canonical_text("{\"aa\":1,\"a\\u0001\":3,\"a\":2}",
			      "{\"a\":2,\"a\\u0001\":3,\"aa\":1}");
}

/* jcs_parse refuses U+0000, so jcs_append does too: its output must read
 * back.  A value built in code is the only way to hold one. */
static void test_nul_is_refused_in_strings_and_names(void **state)
{
	json_t *s = json_stringn("a\0b", 3);
	json_t *o = json_object();

	(void)state;
	assert_refused(s, "string contains U+0000 (byte 1)");
	json_object_setn_new(o, "k\0", 2, json_true());
	assert_refused(o, "member name contains U+0000");
	json_decref(s);
	json_decref(o);
}

static void test_nested_objects_are_sorted_at_every_level(void **state)
{
	(void)state;
	assert_canonical_text(
		"{\"z\": {\"y\": [ {\"b\": 1, \"a\": {\"d\": null, \"c\": []}} ], \"x\": {}}, \"a\": [[], {}]}",
		"{\"a\":[[],{}],\"z\":{\"x\":{},\"y\":[{\"a\":{\"c\":[],\"d\":null},\"b\":1}]}}");
}

static void test_empty_containers_and_literals(void **state)
{
	(void)state;
	assert_canonical_text(" { } ", "{}");
	assert_canonical_text("[ ]", "[]");
	assert_canonical_text("[[[]],{\"\":{}}]", "[[[]],{\"\":{}}]");
	assert_canonical_text("null", "null");
	assert_canonical_text("true", "true");
	assert_canonical_text("\tfalse\n", "false");
	assert_canonical_text("-0", "0");
}

/* Same content, different member order and whitespace: same bytes. */
static void test_order_and_whitespace_do_not_change_bytes(void **state)
{
	static const char *const forms[] = {
		"{\"b\":[1,{\"y\":true,\"x\":\"\\u00e9\"}],\"a\":0.5,\"c\":null}",
		"{ \"c\" : null ,\n\t\"a\" : 5e-1 , \"b\" : [ 1 , { \"x\" : \"\xc3\xa9\" , \"y\" : true } ] }",
		"\r\n{\"a\":0.50,\"c\":null,\"b\":[1.0,{\"x\":\"\\u00E9\",\"y\":true}]}  ",
	};
	const char *expected = "{\"a\":0.5,\"b\":[1,{\"x\":\"\xc3\xa9\",\"y\":true}],\"c\":null}";
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(forms); i++)
		assert_canonical_text(forms[i], expected);
}

/* A value built in code with insertion order unlike the sorted order. */
static void test_built_value_matches_parsed_value(void **state)
{
	json_t *v = json_pack("{s:i, s:[s, f], s:{s:b}}", "zeta", 1, "alpha", "x", 2.5, "mid", "k", 0);
	char *got;

	(void)state;
	got = canonical(v);
	assert_string_equal(got, "{\"alpha\":[\"x\",2.5],\"mid\":{\"k\":false},\"zeta\":1}");
	free(got);
	json_decref(v);
}

static void test_append_keeps_existing_buffer_content(void **state)
{
	json_t *v = json_pack("{s:i}", "a", 1);
	buf b = BUF_INIT;
	sl_err err;

	(void)state;
	buf_puts(&b, "prefix:");
	assert_int_equal(jcs_append(&b, v, &err), 0);
	assert_string_equal(buf_str(&b), "prefix:{\"a\":1}");
	buf_release(&b);
	json_decref(v);
}

/* The error names the place as a JSON Pointer with ~0 and ~1 escapes. */
static void test_refusal_names_the_place(void **state)
{
	json_t *v = json_pack("{s:{s:[i,I]}}", "a/b", "c~", 1, (json_int_t)9007199254740993LL);

	(void)state;
	assert_refused(v, "at /a~1b/c~0/1: integer 9007199254740993 is outside +-2^53");
	json_decref(v);
}

static void test_depth_limit_matches_parser(void **state)
{
	buf text = BUF_INIT;
	json_t *v, *outer, *inner;
	sl_err err;
	int i;

	(void)state;
	/* the deepest jcs_parse accepts canonicalises */
	for (i = 0; i < JCS_MAX_DEPTH; i++)
		buf_putc(&text, '[');
	for (i = 0; i < JCS_MAX_DEPTH; i++)
		buf_putc(&text, ']');
	v = jcs_parse(text.data, text.len, &err);
	assert_non_null(v);
	{
		char *got = canonical(v);
		assert_string_equal(got, text.data);
		free(got);
	}
	/* one more level is refused, not a stack overflow */
	outer = json_array();
	json_array_append_new(outer, v);
	assert_refused(outer, "nested deeper than 2048");
	json_decref(outer);
	buf_release(&text);

	/* a value that contains itself is caught by the same limit */
	outer = json_array();
	inner = json_array();
	json_array_append(outer, inner);
	json_array_append(inner, outer);
	assert_refused(outer, "contains itself");
	json_array_clear(inner);
	json_decref(inner);
	json_decref(outer);
}

/* ---- parsing ------------------------------------------------------------ */

static void test_parse_refuses_duplicate_names_with_column(void **state)
{
	static const char text[] = "{\"a\": 1, \"b\": 2, \"a\": 3}";

	(void)state;
	assert_parse_fails(text, "column ");
	assert_parse_fails(text, "duplicate object key");
	/* the same name spelled differently is still the same name */
	assert_parse_fails("{\"\\u0061\":1,\"a\":2}", "duplicate object key");
}

static void test_parse_reports_line_past_the_first(void **state)
{
	static const char text[] = "{\n  \"x\": [1,\n  2,,]}";

	(void)state;
	assert_parse_fails(text, "line 3, column ");
}

static void test_parse_refuses_trailing_content(void **state)
{
	(void)state;
	assert_parse_fails("{\"a\":1} x", "end of file expected");
	assert_parse_fails("{} {}", "end of file expected");
	assert_parse_fails("1 2", "end of file expected");
}

static void test_parse_refuses_nul(void **state)
{
	(void)state;
	assert_parse_fails("[\"a\\u0000b\"]", "JSON_ALLOW_NUL");
	assert_parse_fails("{\"\\u0000\":1}", "NUL byte in object key");
	assert_parse_fails_n("[\"a\0b\"]", 7, "column 4: NUL byte");
	assert_parse_fails_n("{}\0", 3, "column 3: NUL byte");
	assert_parse_fails_n("[1,\n \"\xc3\xa9\"\0]", 10, "line 2, column 5: NUL byte");
}

/* Found by comparing with Node's JSON.parse: jansson skips a NUL byte
 * right after a number or literal, so these read as 2, [3,1], true. */
static void test_parse_refuses_nul_after_number_or_literal(void **state)
{
	(void)state;
	assert_parse_fails_n("2\0", 2, "column 2: NUL byte");
	assert_parse_fails_n("[3\0,1]", 6, "column 3: NUL byte");
	assert_parse_fails_n("true\0", 5, "column 5: NUL byte");
	assert_parse_fails_n("{\"a\":1.5\0}", 10, "column 9: NUL byte");
}

static void test_parse_refuses_malformed_input(void **state)
{
	(void)state;
	assert_parse_fails("", "end of file");
	assert_parse_fails_n(NULL, 0, "end of file");
	assert_parse_fails("[1,]", "column");
	assert_parse_fails("{'a':1}", "column");
	assert_parse_fails("[\"\\ud800\"]", "invalid Unicode");
	assert_parse_fails("[\"\xff\"]", "column");
	assert_parse_fails("[NaN]", "column");
	assert_parse_fails("[1e400]", "overflow");
	assert_parse_fails("[99999999999999999999]", "too big integer");
	assert_parse_fails("\"\t\"", "control character");
}

/* Identical values: the same types (an integer is not a real), the same
 * bytes, the same member order - what jansson's own reader gives. */
static bool identical(const json_t *a, const json_t *b)
{
	const char *key;
	json_t *va;
	void *it;
	size_t i;

	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		it = json_object_iter((json_t *)b);
		json_object_foreach((json_t *)a, key, va) {
			if (!it || strcmp(key, json_object_iter_key(it)) != 0 ||
			    !identical(va, json_object_iter_value(it)))
				return false;
			it = json_object_iter_next((json_t *)b, it);
		}
		return true;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!identical(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
	case JSON_INTEGER:
		return json_integer_value(a) == json_integer_value(b);
	case JSON_REAL:
		return json_real_value(a) == json_real_value(b);
	default:
		return true;
	}
}

/* jcs_parse reads plain text itself and hands the rest to jansson: on
 * every input it must accept what jansson accepts, as the same value, and
 * refuse what jansson refuses with jansson's message. */
static void test_parse_fast_path_matches_jansson(void **state)
{
	static const char *const texts[] = {
		/* the fast subset */
		("{\"kind\":\"visit.recorded\",\"occurred_at\":\"2024-03-01\",\"by\":{\"user\":\"sw1\"},"
		 "\"data\":{\"child\":\"C1\",\"seen\":true,\"seen_alone\":false,\"summary\":\"Home visit. 12\"}}"),
		" { \"b\" : [ 1 , -2 , 0 , -0 , null , true , false , \"\" , { } , [ ] ] ,\t\"a\"\r\n: {} } ",
		"{\"z\":1,\"a\":2,\"m\":3}", "{\"s\":\"tab\\tquote\\\"slash\\/back\\\\nl\\nbf\\b\\f\\r\"}",
		"{\"name\":\"Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x98\x80\"}", "{\"\":\"\"}", "\"just a string\"", "123456789012345678",
		"-123456789012345678", "[[[[[[[[[[1]]]]]]]]]]", "{\"a\":[{\"b\":[{\"c\":\"d\"}]}]}",
		/* jansson's: reals, \u escapes, escaped names, long integers */
		"{\"x\":1.5}", "{\"x\":1e3}", "{\"x\":-0.0}", "{\"x\":\"\\u00e9\\ud83d\\ude00\"}", "{\"a\\nb\":1}",
		"1234567890123456789", "-9223372036854775808",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		/* refused, by jansson */
		"", "   ", "{", "}", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,\"a\":2}", "{a:1}", "01",
		"-", "-01", "1.", ".5", "+1", "truex", "tru", "nul", "[true1]", "9223372036854775808",
		"-9223372036854775809", "{\"a\":1} x", "{\"a\":1}{}", "\"unterminated", "\"ctl\x01\"", "\"bad\\x\"",
		"\"\\u0000\"", "\"\\ud800\"", "\"bad utf8 \xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
		"\"cut \xe2\x82\"", "\xef\xbb\xbf{}", "{\"a\":\xc3\xa9}", "'single'", "[1]]", "{\"a\":[}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(texts); i++) {
		size_t len = strlen(texts[i]);
		json_error_t jerr;
		json_t *ours, *theirs = json_loadb(texts[i], len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		sl_err err;

		sl_err_clear(&err);
		ours = jcs_parse(texts[i], len, &err);
		if (!theirs) {
			if (ours)
				fail_msg("jcs_parse accepted what jansson refuses: %s", texts[i]);
			if (!strstr(err.msg, jerr.text))
				fail_msg("%s: `%s` is not jansson's `%s`", texts[i], err.msg, jerr.text);
			continue;
		}
		if (!ours)
			fail_msg("jcs_parse refused what jansson accepts: %s (%s)", texts[i], err.msg);
		if (!identical(ours, theirs))
			fail_msg("jcs_parse read another value than jansson: %s", texts[i]);
		json_decref(ours);
		json_decref(theirs);
	}
}

static void test_parse_accepts_any_value_and_honours_len(void **state)
{
	sl_err err;
	json_t *v;

	(void)state;
	v = jcs_parse(" 5 ", 3, &err);
	assert_non_null(v);
	assert_true(json_is_integer(v));
	json_decref(v);
	/* only len bytes are read: "[1]" of "[1]garbage" */
	v = jcs_parse("[1]garbage", 3, &err);
	assert_non_null(v);
	assert_int_equal(json_array_size(v), 1);
	json_decref(v);
}

/* The invariant in jcs.h: canonical text reads back to the same bytes. */
static void test_canonical_text_round_trips(void **state)
{
	static const char *const inputs[] = {
		"{\"n\":[9007199254740992,-9007199254740992,1e21,-1e-7,5e-324,0.1,1e-6]}",
		"{\"\\ud83d\\ude00\":\"\\u0001\\\\\\\"\",\"\\ufb33\":[{}],\"\":[true,false,null]}",
		"[1.7976931348623157e308, -2.2250738585072014e-308, 333333333.33333329]",
	};
	size_t i;

	(void)state;
	for (i = 0; i < SL_ARRAY_LEN(inputs); i++) {
		sl_err err;
		json_t *v = jcs_parse(inputs[i], strlen(inputs[i]), &err), *w;
		char *once, *twice;

		assert_non_null(v);
		once = canonical(v);
		w = jcs_parse(once, strlen(once), &err);
		assert_non_null(w);
		twice = canonical(w);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
		json_decref(v);
		json_decref(w);
	}
}

/* jcs_append_with gives exactly what setting the member on a copy gives:
 * added in sort order, or replacing a member of that name. */
static void test_append_with_equals_set_on_a_copy(void **state)
{
	static const char *const objects[] = {
		"{}", "{\"kind\":\"x\",\"ref\":\"r\"}", "{\"recorder\":\"old\",\"a\":1}",
		"{\"z\":{\"recorder\":2},\"b\":[1,2],\"\u00e9\":true}",
	};
	json_t *who = json_string("cli:jo");
	(void)state;
	for (size_t i = 0; i < sizeof objects / sizeof objects[0]; i++) {
		json_t *o = json_loads(objects[i], 0, NULL), *copy = json_deep_copy(o);
		buf a = BUF_INIT, b = BUF_INIT;
		sl_err err;
		assert_non_null(o);
		json_object_set(copy, "recorder", who);
		assert_int_equal(jcs_append(&a, copy, &err), 0);
		assert_int_equal(jcs_append_with(&b, o, "recorder", who, &err), 0);
		assert_string_equal(buf_str(&a), buf_str(&b));
		buf_release(&a);
		buf_release(&b);
		json_decref(o);
		json_decref(copy);
	}
	json_decref(who);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8785_appendix_b_numbers),
		cmocka_unit_test(test_nan_and_infinity_are_refused),
		cmocka_unit_test(test_powers_of_two_use_next_decimal_up),
		cmocka_unit_test(test_number_layout_boundaries),
		cmocka_unit_test(test_reals_from_text_use_shortest_digits),
		cmocka_unit_test(test_integers_within_two_pow_53),
		cmocka_unit_test(test_integers_beyond_two_pow_53_are_refused),
		cmocka_unit_test(test_integral_reals_beyond_two_pow_53_are_refused),
		cmocka_unit_test(test_string_escapes_only_what_json_requires),
		cmocka_unit_test(test_unicode_escapes_are_written_as_utf8),
		cmocka_unit_test(test_invalid_utf8_is_refused),
		cmocka_unit_test(test_nul_is_refused_in_strings_and_names),
		cmocka_unit_test(test_rfc8785_primitives_example),
		cmocka_unit_test(test_rfc8785_sorting_example),
		cmocka_unit_test(test_names_above_ffff_sort_as_surrogates),
		cmocka_unit_test(test_names_sort_prefix_first_and_case_sensitively),
		cmocka_unit_test(test_nested_objects_are_sorted_at_every_level),
		cmocka_unit_test(test_empty_containers_and_literals),
		cmocka_unit_test(test_order_and_whitespace_do_not_change_bytes),
		cmocka_unit_test(test_built_value_matches_parsed_value),
		cmocka_unit_test(test_append_keeps_existing_buffer_content),
		cmocka_unit_test(test_refusal_names_the_place),
		cmocka_unit_test(test_depth_limit_matches_parser),
		cmocka_unit_test(test_parse_refuses_duplicate_names_with_column),
		cmocka_unit_test(test_parse_reports_line_past_the_first),
		cmocka_unit_test(test_parse_refuses_trailing_content),
		cmocka_unit_test(test_parse_refuses_nul),
		cmocka_unit_test(test_parse_refuses_nul_after_number_or_literal),
		cmocka_unit_test(test_parse_refuses_malformed_input),
		cmocka_unit_test(test_parse_accepts_any_value_and_honours_len),
		cmocka_unit_test(test_parse_fast_path_matches_jansson),
		cmocka_unit_test(test_canonical_text_round_trips),
		cmocka_unit_test(test_append_with_equals_set_on_a_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
