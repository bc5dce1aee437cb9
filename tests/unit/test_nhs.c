/*
 * test_nhs.c - NHS numbers: the modulus 11 check digit (NHS Data
 * Dictionary, "NHS Number") on known valid and invalid numbers, and the
 * written forms a partner may send (grouped 3-3-4 by spaces or hyphens).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "domain/nhs.h"

/* 943 476 5919 is the NHS Data Dictionary's own example; the others are
 * worked by hand in their comments. */
static void test_known_valid_numbers(void **state)
{
	(void)state;
	assert_true(nhs_number_valid("9434765919")); /* Data Dictionary example */
	/* 1*10 + 0*9 + ... + 6*2 = 10 + 12 = 22; 22 mod 11 = 0; 11 - 0 = 11 -> 0 */
	assert_true(nhs_number_valid("1000000060"));
	/* 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 40+8+12+15+8+3+6 = 92; 92 mod 11 = 4; 11-4 = 7 */
	assert_true(nhs_number_valid("4010232137"));
	/* all zeros: sum 0 -> check 11 -> 0 */
	assert_true(nhs_number_valid("0000000000"));
}

static void test_wrong_check_digit_is_invalid(void **state)
{
	(void)state;
	assert_false(nhs_number_valid("9434765918"));
	assert_false(nhs_number_valid("9434765910"));
	assert_false(nhs_number_valid("4010232138"));
	/* a transposition of two digits is caught */
	assert_false(nhs_number_valid("9434765991"));
	assert_false(nhs_number_valid("4934765919"));
}

static void test_check_digit_ten_is_never_issued(void **state)
{
	(void)state;
	/* 1*10 + 1*2 = 12; 12 mod 11 = 1; 11 - 1 = 10: no valid last digit */
	for (char d = '0'; d <= '9'; d++) {
		char s[11] = "100000001";
		s[9] = d;
		s[10] = '\0';
		assert_false(nhs_number_valid(s));
	}
}

static void test_shape_is_ten_digits(void **state)
{
	(void)state;
	assert_false(nhs_number_valid(NULL));
	assert_false(nhs_number_valid(""));
	assert_false(nhs_number_valid("943476591"));   /* nine */
	assert_false(nhs_number_valid("94347659190")); /* eleven */
	assert_false(nhs_number_valid("943476591a"));
	assert_false(nhs_number_valid("943 476 5919")); /* the canonical form has no spaces */
}

static void test_parse_accepts_grouped_forms(void **state)
{
	char out[NHS_NUMBER_LEN + 1];
	sl_err err = {0};
	(void)state;

	assert_int_equal(nhs_number_parse("9434765919", out, &err), 0);
	assert_string_equal(out, "9434765919");
	assert_int_equal(nhs_number_parse("943 476 5919", out, &err), 0);
	assert_string_equal(out, "9434765919");
	assert_int_equal(nhs_number_parse("943-476-5919", out, &err), 0);
	assert_string_equal(out, "9434765919");
}

static void test_parse_refuses_other_shapes_with_a_reason(void **state)
{
	static const char *const bad[] = {
		"", "943 4765919", "943476 5919", "943-476 5919", "943  476 5919", " 9434765919", "9434765919 ",
		"94347659190", "943476591", "943.476.5919", "9434765919'; DROP TABLE person;--", ("\xc3\xa9" "434765919"),
	};
	char out[NHS_NUMBER_LEN + 1];
	sl_err err = {0};
	(void)state;

	for (size_t i = 0; i < SL_ARRAY_LEN(bad); i++) {
		assert_int_equal(nhs_number_parse(bad[i], out, &err), SL_EINVAL);
		assert_string_equal(out, "");
		assert_true(strstr(err.msg, "NHS number") != NULL);
	}
	assert_int_equal(nhs_number_parse(NULL, out, &err), SL_EINVAL);
}

static void test_parse_names_a_failed_check_digit(void **state)
{
	char out[NHS_NUMBER_LEN + 1];
	sl_err err = {0};
	(void)state;

	assert_int_equal(nhs_number_parse("943 476 5918", out, &err), SL_EINVAL);
	assert_string_equal(err.msg, "fails the NHS number check digit");
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_valid_numbers),
		cmocka_unit_test(test_wrong_check_digit_is_invalid),
		cmocka_unit_test(test_check_digit_ten_is_never_issued),
		cmocka_unit_test(test_shape_is_ten_digits),
		cmocka_unit_test(test_parse_accepts_grouped_forms),
		cmocka_unit_test(test_parse_refuses_other_shapes_with_a_reason),
		cmocka_unit_test(test_parse_names_a_failed_check_digit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
