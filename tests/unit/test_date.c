/*
 * test_date.c - unit tests for util/date: the calendar, RFC 3339 parsing,
 * month arithmetic (DESIGN 6.1.1) and event ordering (DESIGN 6.1.2).
 * Known weekdays and day numbers were checked against Python's datetime.
 */
#include "util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "util/date.h"

static const char syntax_msg[] = "not a date: expected YYYY-MM-DD or an RFC 3339 date-time";

static int32_t ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static void assert_day_is(int32_t day, const char *want)
{
	buf b = BUF_INIT;

	date_format_day(&b, day);
	assert_string_equal(buf_str(&b), want);
	buf_release(&b);
}

static void assert_parse_fails(const char *s, const char *msg)
{
	sl_date d = {123, 456, 7};
	sl_err err;

	assert_int_equal(date_parse(s, &d, &err), SL_EINVAL);
	assert_int_equal(err.code, SL_EINVAL);
	if (msg)
		assert_string_equal(err.msg, msg);
	/* the result is untouched on failure */
	assert_int_equal(d.day, 123);
	assert_int_equal(d.sec, 456);
	assert_int_equal(d.offset_min, 7);
}

static sl_date parse_ok(const char *s)
{
	sl_date d;
	sl_err err;

	if (date_parse(s, &d, &err) != 0)
		fail_msg("date_parse(\"%s\"): %s", s, err.msg);
	return d;
}

static void test_leap_years_follow_gregorian_rules(void **state)
{
	(void)state;
	assert_true(date_is_leap(2024));
	assert_true(date_is_leap(2000));
	assert_true(date_is_leap(1904));
	assert_false(date_is_leap(2023));
	assert_false(date_is_leap(1900));
	assert_false(date_is_leap(2100));
	assert_false(date_is_leap(2200));
}

static void test_month_lengths(void **state)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	(void)state;
	for (int m = 1; m <= 12; m++)
		assert_int_equal(date_days_in_month(2023, m), len[m - 1]);
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29);
}

static void test_day_numbers_of_known_dates(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(1900, 1, 1), -25567);
	assert_int_equal(ymd(2000, 1, 1), 10957);
	assert_int_equal(ymd(2016, 2, 29), 16860);
	assert_int_equal(ymd(2024, 3, 1), 19783);
	assert_int_equal(ymd(2200, 12, 31), 84370);
}

static void test_every_day_1900_to_2200_round_trips_and_follows_the_last(void **state)
{
	int32_t day = ymd(1900, 1, 1);

	(void)state;
	for (int y = 1900; y <= 2200; y++) {
		for (int m = 1; m <= 12; m++) {
			for (int d = 1; d <= date_days_in_month(y, m); d++, day++) {
				int yy, mm, dd;
				assert_int_equal(ymd(y, m, d), day);
				date_to_ymd(day, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
			}
		}
	}
}

static void test_format_day_pads_to_iso_form(void **state)
{
	(void)state;
	assert_day_is(0, "1970-01-01");
	assert_day_is(ymd(2024, 3, 1), "2024-03-01");
	assert_day_is(ymd(1900, 1, 9), "1900-01-09");
}

static void test_format_day_appends_to_the_buffer(void **state)
{
	buf b = BUF_INIT;

	(void)state;
	buf_puts(&b, "on ");
	date_format_day(&b, ymd(2010, 8, 16));
	assert_string_equal(buf_str(&b), "on 2010-08-16");
	buf_release(&b);
}

static void test_weekdays_of_known_dates(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(ymd(1970, 1, 1)), 3);  /* Thursday */
	assert_int_equal(date_weekday(ymd(1900, 1, 1)), 0);  /* Monday */
	assert_int_equal(date_weekday(ymd(2000, 1, 1)), 5);  /* Saturday */
	assert_int_equal(date_weekday(ymd(2024, 3, 1)), 4);  /* Friday */
	assert_int_equal(date_weekday(ymd(2010, 8, 16)), 0); /* Monday */
	assert_int_equal(date_weekday(ymd(2200, 12, 31)), 2); /* Wednesday */
	assert_int_equal(date_weekday(ymd(1969, 12, 28)), 6); /* Sunday, before the epoch */
}

static void test_weekdays_cycle_through_the_week(void **state)
{
	(void)state;
	for (int32_t d = ymd(1960, 1, 1); d < ymd(1980, 1, 1); d++)
		assert_int_equal(date_weekday(d + 1), (date_weekday(d) + 1) % 7);
}

static void test_parse_date_only(void **state)
{
	sl_date d;

	(void)state;
	d = parse_ok("2024-03-01");
	assert_int_equal(d.day, ymd(2024, 3, 1));
	assert_int_equal(d.sec, -1);
	assert_int_equal(d.offset_min, 0);
}

static void test_parse_rfc3339_utc(void **state)
{
	sl_date d;

	(void)state;
	d = parse_ok("2024-03-01T09:30:00Z");
	assert_int_equal(d.day, ymd(2024, 3, 1));
	assert_int_equal(d.sec, 9 * 3600 + 30 * 60);
	assert_int_equal(d.offset_min, 0);
}

static void test_parse_rfc3339_keeps_written_date_and_offset(void **state)
{
	sl_date d;

	(void)state;
	/* 00:30 at +01:00 is the previous day in UTC: the written day counts */
	d = parse_ok("2024-03-01T00:30:15+01:00");
	assert_int_equal(d.day, ymd(2024, 3, 1));
	assert_int_equal(d.sec, 30 * 60 + 15);
	assert_int_equal(d.offset_min, 60);
	d = parse_ok("2024-03-01T23:59:59-05:30");
	assert_int_equal(d.sec, 86399);
	assert_int_equal(d.offset_min, -330);
}

static void test_parse_rfc3339_fractions_are_ignored(void **state)
{
	sl_date a, b;

	(void)state;
	a = parse_ok("2024-03-01T09:30:00.123+01:00");
	b = parse_ok("2024-03-01T09:30:00.999999999Z");
	assert_int_equal(a.sec, 9 * 3600 + 30 * 60);
	assert_int_equal(date_compare(&a, &b), 0);
	parse_ok("2024-03-01T09:30:00.1Z");
}

static void test_parse_accepts_feb_29_in_leap_years(void **state)
{
	(void)state;
	parse_ok("2024-02-29");
	parse_ok("2000-02-29");
	parse_ok("2016-02-29T12:00:00Z");
}

static void test_parse_rejects_feb_29_in_other_years(void **state)
{
	(void)state;
	assert_parse_fails("2023-02-29", "2023-02-29 does not exist");
	assert_parse_fails("1900-02-29", "1900-02-29 does not exist");
	assert_parse_fails("2100-02-29T10:00:00Z", "2100-02-29 does not exist");
	assert_parse_fails("2024-02-30", "2024-02-30 does not exist");
}

static void test_parse_rejects_days_past_the_month_end(void **state)
{
	(void)state;
	assert_parse_fails("2024-04-31", "2024-04-31 does not exist");
	assert_parse_fails("2024-06-31", "2024-06-31 does not exist");
	assert_parse_fails("2024-09-31", "2024-09-31 does not exist");
	assert_parse_fails("2024-11-31", "2024-11-31 does not exist");
	assert_parse_fails("2024-01-32", "2024-01-32 does not exist");
	assert_parse_fails("2024-01-00", "2024-01-00 does not exist");
	parse_ok("2024-01-31");
	parse_ok("2024-12-31");
}

static void test_parse_rejects_month_0_and_13(void **state)
{
	(void)state;
	assert_parse_fails("2024-00-10", "2024-00-10 does not exist");
	assert_parse_fails("2024-13-01", "2024-13-01 does not exist");
}

static void test_parse_rejects_impossible_times(void **state)
{
	(void)state;
	assert_parse_fails("2024-03-01T24:00:00Z", "24:00:00 is not a time of day");
	assert_parse_fails("2024-03-01T23:60:00Z", "23:60:00 is not a time of day");
	assert_parse_fails("2024-03-01T23:59:60Z", "23:59:60 is not a time of day");
	parse_ok("2024-03-01T00:00:00Z");
	parse_ok("2024-03-01T23:59:59Z");
}

static void test_parse_rejects_impossible_offsets(void **state)
{
	(void)state;
	assert_parse_fails("2024-03-01T10:00:00+24:00", "+24:00 is not a UTC offset");
	assert_parse_fails("2024-03-01T10:00:00-01:60", "-01:60 is not a UTC offset");
	parse_ok("2024-03-01T10:00:00-00:00");
}

static void test_parse_rejects_years_outside_1900_to_2200(void **state)
{
	(void)state;
	assert_parse_fails("1899-12-31", "year 1899 is outside 1900-2200");
	assert_parse_fails("2201-01-01", "year 2201 is outside 1900-2200");
	assert_parse_fails("0202-01-01", "year 0202 is outside 1900-2200");
	parse_ok("1900-01-01");
	parse_ok("2200-12-31T23:59:59Z");
}

static void test_parse_rejects_other_forms_with_the_syntax_message(void **state)
{
	static const char *const bad[] = {
		"",
		"2024",
		"2024-03",
		"2024-3-01",
		"2024-03-1",
		"20024-03-01",
		"2024/03/01",
		"01-03-2024",
		" 2024-03-01",
		"2024-03-01 ",
		"2024-03-01X",
		"2024-03-01T",
		"2024-03-01T09:30Z",           /* seconds required */
		"2024-03-01T09:30:00",         /* offset required */
		"2024-03-01 09:30:00Z",        /* 'T' required */
		"2024-03-01t09:30:00Z",
		"2024-03-01T09:30:00z",
		"2024-03-01T9:30:00Z",
		"2024-03-01T09:30:00.Z",       /* a fraction needs a digit */
		"2024-03-01T09:30:00,5Z",
		"2024-03-01T09:30:00+0100",
		"2024-03-01T09:30:00+01",
		"2024-03-01T09:30:00+01:00:00",
		"2024-03-01T09:30:00Zjunk",
		"2024-03-01T09:30:00.5",
		"+2024-03-01",
		"2024-03-01T09:30:00.123+01:00x",
	};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(bad); i++)
		assert_parse_fails(bad[i], syntax_msg);
}

static void test_parse_error_may_be_null(void **state)
{
	sl_date d;

	(void)state;
	assert_int_equal(date_parse("2023-02-29", &d, NULL), SL_EINVAL);
	assert_int_equal(date_parse("nonsense", &d, NULL), SL_EINVAL);
}

static void test_parse_day_accepts_only_the_date_form(void **state)
{
	int32_t day = 0;
	sl_err err;

	(void)state;
	assert_int_equal(date_parse_day("2010-08-16", &day, &err), 0);
	assert_int_equal(day, ymd(2010, 8, 16));
	assert_int_equal(date_parse_day("2010-08-16T10:00:00Z", &day, &err), SL_EINVAL);
	assert_string_equal(err.msg, "not a date: expected YYYY-MM-DD");
	assert_int_equal(date_parse_day("2023-02-29", &day, &err), SL_EINVAL);
	assert_string_equal(err.msg, "2023-02-29 does not exist");
	assert_int_equal(day, ymd(2010, 8, 16));
}

static void assert_add_months(int y, int m, int d, int months, const char *want)
{
	assert_day_is(date_add_months(ymd(y, m, d), months), want);
}

static void test_add_months_keeps_the_day_of_month(void **state)
{
	(void)state;
	assert_add_months(2024, 3, 15, 3, "2024-06-15");
	assert_add_months(2023, 12, 15, 1, "2024-01-15");
	assert_add_months(2023, 11, 30, 18, "2025-05-30");
	assert_add_months(2024, 1, 10, 0, "2024-01-10");
	assert_add_months(2024, 1, 10, -1, "2023-12-10");
	assert_add_months(2024, 1, 10, -13, "2022-12-10");
}

static void test_add_months_on_31_january_gives_end_of_february(void **state)
{
	(void)state;
	assert_add_months(2023, 1, 31, 1, "2023-02-28");
	assert_add_months(2024, 1, 31, 1, "2024-02-29");
	assert_add_months(2100, 1, 31, 1, "2100-02-28");
	assert_add_months(2000, 1, 31, 1, "2000-02-29");
}

static void test_add_months_clamps_to_shorter_months(void **state)
{
	(void)state;
	assert_add_months(2024, 8, 31, 1, "2024-09-30");
	assert_add_months(2024, 3, 31, -1, "2024-02-29");
	assert_add_months(2024, 5, 31, 6, "2024-11-30");
	assert_add_months(2024, 2, 29, 12, "2025-02-28");
	assert_add_months(2024, 2, 29, 48, "2028-02-29");
	/* 6 months from 31 August (DESIGN 6.1.1 review conference) */
	assert_add_months(2023, 8, 31, 6, "2024-02-29");
}

static void test_compare_orders_by_day_then_time(void **state)
{
	sl_date a = parse_ok("2024-03-01T23:59:59Z");
	sl_date b = parse_ok("2024-03-02T00:00:01Z");
	sl_date c = parse_ok("2024-03-02T09:00:00Z");

	(void)state;
	assert_true(date_compare(&a, &b) < 0);
	assert_true(date_compare(&b, &a) > 0);
	assert_true(date_compare(&b, &c) < 0);
	assert_int_equal(date_compare(&c, &c), 0);
}

static void test_compare_date_only_counts_as_start_of_day(void **state)
{
	sl_date day = parse_ok("2024-03-02");
	sl_date midnight = parse_ok("2024-03-02T00:00:00Z");
	sl_date morning = parse_ok("2024-03-02T08:00:00Z");
	sl_date eve = parse_ok("2024-03-01T23:00:00Z");

	(void)state;
	assert_int_equal(date_compare(&day, &midnight), 0);
	assert_true(date_compare(&day, &morning) < 0);
	assert_true(date_compare(&eve, &day) < 0);
}

static void test_compare_uses_written_time_not_utc(void **state)
{
	/* 09:00+05:00 is 04:00 UTC, yet orders after 08:00Z as written */
	sl_date east = parse_ok("2024-03-02T09:00:00+05:00");
	sl_date utc = parse_ok("2024-03-02T08:00:00Z");

	(void)state;
	assert_true(date_compare(&utc, &east) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years_follow_gregorian_rules),
		cmocka_unit_test(test_month_lengths),
		cmocka_unit_test(test_day_numbers_of_known_dates),
		cmocka_unit_test(test_every_day_1900_to_2200_round_trips_and_follows_the_last),
		cmocka_unit_test(test_format_day_pads_to_iso_form),
		cmocka_unit_test(test_format_day_appends_to_the_buffer),
		cmocka_unit_test(test_weekdays_of_known_dates),
		cmocka_unit_test(test_weekdays_cycle_through_the_week),
		cmocka_unit_test(test_parse_date_only),
		cmocka_unit_test(test_parse_rfc3339_utc),
		cmocka_unit_test(test_parse_rfc3339_keeps_written_date_and_offset),
		cmocka_unit_test(test_parse_rfc3339_fractions_are_ignored),
		cmocka_unit_test(test_parse_accepts_feb_29_in_leap_years),
		cmocka_unit_test(test_parse_rejects_feb_29_in_other_years),
		cmocka_unit_test(test_parse_rejects_days_past_the_month_end),
		cmocka_unit_test(test_parse_rejects_month_0_and_13),
		cmocka_unit_test(test_parse_rejects_impossible_times),
		cmocka_unit_test(test_parse_rejects_impossible_offsets),
		cmocka_unit_test(test_parse_rejects_years_outside_1900_to_2200),
		cmocka_unit_test(test_parse_rejects_other_forms_with_the_syntax_message),
		cmocka_unit_test(test_parse_error_may_be_null),
		cmocka_unit_test(test_parse_day_accepts_only_the_date_form),
		cmocka_unit_test(test_add_months_keeps_the_day_of_month),
		cmocka_unit_test(test_add_months_on_31_january_gives_end_of_february),
		cmocka_unit_test(test_add_months_clamps_to_shorter_months),
		cmocka_unit_test(test_compare_orders_by_day_then_time),
		cmocka_unit_test(test_compare_date_only_counts_as_start_of_day),
		cmocka_unit_test(test_compare_uses_written_time_not_utc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
