/*
 * test_calendar.c - unit tests for domain/calendar: working days (DESIGN 6,
 * 6.1.1) over the shipped England and Wales bank holidays and over files an
 * authority loads.  The known holidays (Christmas 2024, New Year 2025,
 * Easter 2025, the early May holiday moved to Friday 8 May 2020 for VE Day)
 * are those published on GOV.UK (www.gov.uk/bank-holidays); weekdays were
 * checked against Python's datetime.  add_wd and wd_between are also checked
 * against a day-by-day reference built only on is_working_day.
 */
#include "util/common.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <unistd.h>
#include <cmocka.h>

#include "domain/calendar.h"
#include "util/date.h"
#include "util/lines.h"

#define SHIPPED_TSV SL_TEST_DATA_DIR "/../../data/bank-holidays-england-and-wales.tsv"

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

static calendar *load_default(void)
{
	calendar *c = NULL;
	sl_err err;

	if (calendar_load_default(&c, &err) != 0)
		fail_msg("calendar_load_default: %s", err.msg);
	return c;
}

/* A file under /tmp holding text; the caller unlinks and frees the name. */
static char *write_temp(const char *text, size_t len)
{
	char *path = xstrdup("/tmp/test_calendar_XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static calendar *load_text(const char *text)
{
	char *path = write_temp(text, strlen(text));
	calendar *c = NULL;
	sl_err err;

	if (calendar_load_file(path, &c, &err) != 0)
		fail_msg("calendar_load_file: %s", err.msg);
	unlink(path);
	free(path);
	return c;
}

/* Loads text, expects code, and returns the message with the temporary
 * path replaced by "FILE" so tests can compare it whole. */
static char *load_fails(const char *text, size_t len, int code)
{
	char *path = write_temp(text, len);
	calendar *c = (calendar *)&c; /* must stay untouched */
	calendar *before = c;
	sl_err err;
	buf msg = BUF_INIT;
	const char *at;

	assert_int_equal(calendar_load_file(path, &c, &err), code);
	assert_int_equal(err.code, code);
	assert_ptr_equal(c, before);
	at = strstr(err.msg, path);
	assert_non_null(at);
	buf_append(&msg, err.msg, (size_t)(at - err.msg));
	buf_puts(&msg, "FILE");
	buf_puts(&msg, at + strlen(path));
	unlink(path);
	free(path);
	return buf_detach(&msg);
}

static void assert_load_fails(const char *text, const char *want)
{
	char *msg = load_fails(text, strlen(text), SL_EINVAL);

	assert_string_equal(msg, want);
	free(msg);
}

/* The shipped TSV, read here with the test's own reader. */
static char *shipped_text(void)
{
	FILE *f = fopen(SHIPPED_TSV, "r");
	buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

/* The references: one day at a time, on is_working_day alone. */
static int32_t slow_add_wd(const calendar *c, int32_t day, int n)
{
	while (n > 0)
		if (calendar_is_working_day(c, ++day))
			n--;
	return day;
}

static int slow_wd_between(const calendar *c, int32_t from, int32_t to)
{
	int n = 0;

	for (int32_t d = from + 1; d <= to; d++)
		n += calendar_is_working_day(c, d);
	return n;
}

/* xorshift64: the same "random" days on every run. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- the shipped calendar ------------------------------------------------ */

static void test_christmas_and_new_year_are_holidays(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_true(calendar_is_holiday(c, ymd(2024, 12, 25)));
	assert_true(calendar_is_holiday(c, ymd(2024, 12, 26)));
	assert_true(calendar_is_holiday(c, ymd(2025, 1, 1)));
	assert_false(calendar_is_working_day(c, ymd(2024, 12, 25)));
	assert_false(calendar_is_working_day(c, ymd(2024, 12, 26)));
	assert_false(calendar_is_working_day(c, ymd(2025, 1, 1)));
	assert_true(calendar_is_working_day(c, ymd(2024, 12, 24)));
	assert_true(calendar_is_working_day(c, ymd(2024, 12, 27)));
	assert_false(calendar_is_holiday(c, ymd(2024, 12, 24)));
	assert_string_equal(calendar_holiday_name(c, ymd(2024, 12, 25)), "Christmas Day");
	assert_string_equal(calendar_holiday_name(c, ymd(2025, 1, 1)), "New Year's Day");
	assert_null(calendar_holiday_name(c, ymd(2024, 12, 24)));
	calendar_free(c);
}

static void test_add_wd_skips_the_christmas_weekend_and_holidays(void **state)
{
	calendar *c = load_default();
	int32_t friday = ymd(2024, 12, 20);

	(void)state;
	assert_day_is(calendar_add_wd(c, friday, 1), "2024-12-23");
	assert_day_is(calendar_add_wd(c, friday, 2), "2024-12-24");
	assert_day_is(calendar_add_wd(c, friday, 3), "2024-12-27");
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 24), 1), "2024-12-27");
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 31), 1), "2025-01-02");
	assert_day_is(calendar_next_wd(c, ymd(2024, 12, 24)), "2024-12-27");
	calendar_free(c);
}

static void test_easter_2025(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_string_equal(calendar_holiday_name(c, ymd(2025, 4, 18)), "Good Friday");
	assert_string_equal(calendar_holiday_name(c, ymd(2025, 4, 21)), "Easter Monday");
	assert_false(calendar_is_working_day(c, ymd(2025, 4, 18)));
	assert_false(calendar_is_working_day(c, ymd(2025, 4, 21)));
	assert_day_is(calendar_add_wd(c, ymd(2025, 4, 17), 1), "2025-04-22");
	assert_int_equal(calendar_wd_between(c, ymd(2025, 4, 17), ymd(2025, 4, 22)), 1);
	calendar_free(c);
}

static void test_ve_day_moved_the_early_may_holiday_in_2020(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_true(calendar_is_holiday(c, ymd(2020, 5, 8)));
	assert_string_equal(calendar_holiday_name(c, ymd(2020, 5, 8)), "Early May bank holiday");
	assert_false(calendar_is_holiday(c, ymd(2020, 5, 4))); /* the usual first Monday */
	assert_true(calendar_is_working_day(c, ymd(2020, 5, 4)));
	assert_day_is(calendar_add_wd(c, ymd(2020, 5, 7), 1), "2020-05-11");
	calendar_free(c);
}

static void test_weekends_are_never_working_days(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_false(calendar_is_working_day(c, ymd(2024, 12, 21))); /* Saturday */
	assert_false(calendar_is_working_day(c, ymd(2024, 12, 22))); /* Sunday */
	for (int32_t d = ymd(1900, 1, 1); d <= ymd(2200, 12, 31); d++)
		if (date_weekday(d) >= 5)
			assert_false(calendar_is_working_day(c, d));
		else
			assert_true(calendar_is_working_day(c, d) == !calendar_is_holiday(c, d));
	calendar_free(c);
}

static void test_default_covers_2000_to_2030(void **state)
{
	calendar *c = load_default();
	int first = 0, last = 0;

	(void)state;
	calendar_covers(c, &first, &last);
	assert_int_equal(first, 2000);
	assert_int_equal(last, 2030);
	calendar_free(c);
}

/* Every line of data/bank-holidays-england-and-wales.tsv, read here
 * independently of calendar.c, is a holiday of that name in the built-in
 * calendar, and there are no others. */
static void test_every_date_in_the_shipped_tsv_is_a_holiday(void **state)
{
	calendar *c = load_default();
	FILE *f = fopen(SHIPPED_TSV, "r");
	line_reader r;
	const char *line;
	size_t len;
	int holidays = 0, counted = 0;

	(void)state;
	assert_non_null(f);
	lines_init(&r, f, 1024);
	while (lines_next(&r, &line, &len) == 1) {
		const char *tab = strchr(line, '\t');
		char date[11];
		int32_t day;
		sl_err err;

		if (len == 0 || line[0] == '#')
			continue;
		assert_non_null(tab);
		assert_int_equal(tab - line, 10);
		memcpy(date, line, 10);
		date[10] = '\0';
		assert_int_equal(date_parse_day(date, &day, &err), 0);
		assert_true(calendar_is_holiday(c, day));
		assert_false(calendar_is_working_day(c, day));
		assert_string_equal(calendar_holiday_name(c, day), tab + 1);
		holidays++;
	}
	lines_release(&r);
	fclose(f);
	for (int32_t d = ymd(1900, 1, 1); d <= ymd(2200, 12, 31); d++)
		counted += calendar_is_holiday(c, d);
	assert_int_equal(holidays, 254);
	assert_int_equal(counted, holidays);
	calendar_free(c);
}

/* One parser, two sources: the shipped file loaded from disk gives the
 * built-in calendar day for day. */
static void test_loading_the_shipped_file_gives_the_default(void **state)
{
	calendar *c = load_default(), *f = NULL;
	sl_err err;

	(void)state;
	if (calendar_load_file(SHIPPED_TSV, &f, &err) != 0)
		fail_msg("%s", err.msg);
	for (int32_t d = ymd(1899, 12, 1); d <= ymd(2201, 1, 31); d++) {
		assert_true(calendar_is_working_day(c, d) == calendar_is_working_day(f, d));
		assert_true(calendar_is_holiday(c, d) == calendar_is_holiday(f, d));
	}
	calendar_free(f);
	calendar_free(c);
}

/* ---- add_wd and wd_between ----------------------------------------------- */

static void test_add_zero_working_days_is_the_same_day(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_int_equal(calendar_add_wd(c, ymd(2024, 12, 25), 0), ymd(2024, 12, 25)); /* a holiday */
	assert_int_equal(calendar_add_wd(c, ymd(2024, 12, 21), 0), ymd(2024, 12, 21)); /* a Saturday */
	assert_int_equal(calendar_add_wd(c, ymd(2024, 12, 20), 0), ymd(2024, 12, 20));
	assert_int_equal(calendar_add_wd(c, ymd(2024, 12, 20), -3), ymd(2024, 12, 20));
	assert_int_equal(calendar_wd_between(c, ymd(2024, 12, 20), ymd(2024, 12, 20)), 0);
	assert_int_equal(calendar_wd_between(c, ymd(2024, 12, 27), ymd(2024, 12, 20)), 0);
	calendar_free(c);
}

static void test_add_wd_from_a_weekend_or_holiday(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 21), 1), "2024-12-23"); /* Saturday */
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 25), 1), "2024-12-27"); /* Christmas */
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 25), 2), "2024-12-30");
	calendar_free(c);
}

static void test_statutory_45_working_days(void **state)
{
	calendar *c = load_default();

	(void)state;
	/* 45 WD from Monday 2 December 2024: nine weeks less the three
	 * Christmas and New Year holidays, so three more days. */
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 2), 45), "2025-02-06");
	assert_int_equal(calendar_wd_between(c, ymd(2024, 12, 2), ymd(2025, 2, 6)), 45);
	assert_int_equal(calendar_wd_between(c, ymd(2024, 12, 2), ymd(2025, 2, 5)), 44);
	calendar_free(c);
}

static void test_wd_between_counts_the_half_open_interval(void **state)
{
	calendar *c = load_default();

	(void)state;
	/* (Fri 20 Dec, Fri 27 Dec]: 23, 24 and 27. */
	assert_int_equal(calendar_wd_between(c, ymd(2024, 12, 20), ymd(2024, 12, 27)), 3);
	assert_int_equal(calendar_wd_between(c, ymd(2024, 12, 19), ymd(2024, 12, 20)), 1);
	/* 2024: 366 days, 262 weekdays, 8 bank holidays, all on weekdays. */
	assert_int_equal(calendar_wd_between(c, ymd(2023, 12, 31), ymd(2024, 12, 31)), 254);
	calendar_free(c);
}

/* Random days from before 1900 to after 2200 and n up to 300 (now and then
 * up to 120,000): add_wd and wd_between match the day-by-day references and
 * each other. */
static void test_add_wd_and_wd_between_agree_with_the_reference(void **state)
{
	calendar *c = load_default();
	int32_t lo = ymd(1880, 1, 1), span = ymd(2220, 12, 31) - lo;
	uint64_t seed = 0x9e3779b97f4a7c15u;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		int32_t day = lo + (int32_t)(next_random(&seed) % (uint64_t)span);
		int n = (int)(next_random(&seed) % 301);
		int32_t to = calendar_add_wd(c, day, n);

		assert_int_equal(to, slow_add_wd(c, day, n));
		assert_int_equal(calendar_wd_between(c, day, to), n);
		if (n > 0) {
			assert_true(calendar_is_working_day(c, to));
			assert_int_equal(calendar_wd_between(c, day, to - 1), n - 1);
			assert_int_equal(calendar_add_wd(c, calendar_add_wd(c, day, n / 2), n - n / 2), to);
		}
		if (i % 2000 == 0) { /* across most of the bitmap, or all of it */
			n = (int)(next_random(&seed) % 120000);
			assert_int_equal(calendar_add_wd(c, day, n), slow_add_wd(c, day, n));
		}
		if (i % 16 == 0) {
			int32_t other = day + (int32_t)(next_random(&seed) % 800) - 100;

			assert_int_equal(calendar_wd_between(c, day, other), slow_wd_between(c, day, other));
		}
	}
	calendar_free(c);
}

/* Around the edges of the bitmap, day by day. */
static void test_add_wd_is_continuous_across_1900_and_2200(void **state)
{
	calendar *c = load_default();
	int32_t edges[] = {ymd(1900, 1, 1), ymd(2200, 12, 31)};

	(void)state;
	for (size_t e = 0; e < SL_ARRAY_LEN(edges); e++)
		for (int32_t d = edges[e] - 40; d <= edges[e] + 40; d++)
			for (int n = 0; n <= 40; n++)
				assert_int_equal(calendar_add_wd(c, d, n), slow_add_wd(c, d, n));
	calendar_free(c);
}

static void test_days_outside_1900_to_2200_are_weekday_only(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_true(calendar_is_working_day(c, ymd(1850, 12, 25)));  /* a Wednesday */
	assert_false(calendar_is_working_day(c, ymd(1850, 12, 28))); /* a Saturday */
	assert_false(calendar_is_holiday(c, ymd(1850, 12, 25)));
	assert_null(calendar_holiday_name(c, ymd(2250, 12, 25)));
	assert_day_is(calendar_add_wd(c, ymd(2250, 12, 26), 3), "2250-12-31"); /* from a Thursday */
	assert_int_equal(calendar_wd_between(c, ymd(1850, 1, 1), ymd(1851, 1, 1)), 261);
	calendar_free(c);
}

static void test_extreme_days_do_not_overflow(void **state)
{
	calendar *c = load_default();

	(void)state;
	assert_int_equal(calendar_add_wd(c, INT32_MAX - 1, 10), INT32_MAX);
	assert_int_equal(calendar_add_wd(c, INT32_MAX, INT_MAX), INT32_MAX);
	assert_int_equal(calendar_add_wd(c, INT32_MIN, 1), slow_add_wd(c, INT32_MIN, 1));
	assert_int_equal(calendar_add_wd(c, 0, INT_MAX), INT32_MAX);
	assert_int_equal(calendar_wd_between(c, INT32_MIN, INT32_MAX), INT_MAX);
	assert_int_equal(calendar_wd_between(c, INT32_MIN, INT32_MIN + 14), 10);
	assert_true(calendar_is_working_day(c, INT32_MIN) == (date_weekday(INT32_MIN) < 5));
	calendar_free(c);
}

/* ---- files ---------------------------------------------------------------- */

static void test_one_extra_holiday_moves_add_wd(void **state)
{
	char *text = shipped_text();
	buf b = BUF_INIT;
	calendar *c;

	(void)state;
	buf_puts(&b, text);
	buf_puts(&b, "2024-12-23\tA local holiday\n");
	c = load_text(buf_str(&b));
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 20), 1), "2024-12-24");
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 20), 2), "2024-12-27");
	assert_string_equal(calendar_holiday_name(c, ymd(2024, 12, 23)), "A local holiday");
	calendar_free(c);
	buf_release(&b);
	free(text);
}

static void test_a_file_replaces_the_shipped_holidays(void **state)
{
	calendar *c = load_text("# one holiday only\r\n\r\n2024-12-23\tA local holiday\r\n");
	int first, last;

	(void)state;
	assert_false(calendar_is_holiday(c, ymd(2024, 12, 25)));
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 20), 1), "2024-12-24");
	assert_day_is(calendar_add_wd(c, ymd(2024, 12, 20), 2), "2024-12-25");
	assert_string_equal(calendar_holiday_name(c, ymd(2024, 12, 23)), "A local holiday"); /* CR dropped */
	calendar_covers(c, &first, &last);
	assert_int_equal(first, 2024);
	assert_int_equal(last, 2024);
	calendar_free(c);
}

static void test_file_order_does_not_matter(void **state)
{
	calendar *c = load_text("2031-01-01\tLater\n1999-12-28\tEarlier\n2010-06-01\tMiddle\n");
	int first, last;

	(void)state;
	calendar_covers(c, &first, &last);
	assert_int_equal(first, 1999);
	assert_int_equal(last, 2031);
	assert_string_equal(calendar_holiday_name(c, ymd(1999, 12, 28)), "Earlier");
	assert_string_equal(calendar_holiday_name(c, ymd(2010, 6, 1)), "Middle");
	assert_string_equal(calendar_holiday_name(c, ymd(2031, 1, 1)), "Later");
	calendar_free(c);
}

static void test_missing_file_is_named(void **state)
{
	calendar *c = (calendar *)&c;
	calendar *before = c;
	sl_err err;

	(void)state;
	assert_int_equal(calendar_load_file("/nonexistent/holidays.tsv", &c, &err), SL_ENOTFOUND);
	assert_string_equal(err.msg, "cannot open /nonexistent/holidays.tsv: No such file or directory");
	assert_ptr_equal(c, before);
	assert_int_equal(calendar_load_file("/nonexistent/holidays.tsv", &c, NULL), SL_ENOTFOUND);
}

static void test_a_directory_is_not_a_holidays_file(void **state)
{
	calendar *c = NULL;
	sl_err err;

	(void)state;
	assert_int_equal(calendar_load_file("/tmp", &c, &err), SL_EIO);
	assert_string_equal(err.msg, "cannot read /tmp: Is a directory");
	assert_null(c);
}

static void test_bad_date_names_the_line(void **state)
{
	(void)state;
	assert_load_fails("# holidays\n2024-12-25\tChristmas Day\n25/12/2024\tChristmas Day\n",
	                  "FILE line 3: not a date: \"25/12/2024\" (expected YYYY-MM-DD)");
	assert_load_fails("2023-02-29\tLeap day\n", "FILE line 1: 2023-02-29 does not exist");
	assert_load_fails("1850-12-25\tChristmas Day\n", "FILE line 1: year 1850 is outside 1900-2200");
	assert_load_fails("2024-12-25T00:00:00Z\tChristmas Day\n",
	                  "FILE line 1: not a date: \"2024-12-25T00:00:00Z\" (expected YYYY-MM-DD)");
	assert_load_fails("2024-12-25 and some more text\tX\n",
	                  "FILE line 1: not a date: \"2024-12-25 and some ...\" (expected YYYY-MM-DD)");
	assert_load_fails(" 2024-12-25\tChristmas Day\n",
	                  "FILE line 1: not a date: \" 2024-12-25\" (expected YYYY-MM-DD)");
}

static void test_duplicate_date_names_both_lines(void **state)
{
	(void)state;
	assert_load_fails("2024-12-25\tChristmas Day\n2024-12-26\tBoxing Day\n2024-12-25\tChristmas again\n",
	                  "FILE line 3: 2024-12-25 is listed twice (first on line 1)");
}

static void test_empty_file_has_no_holidays(void **state)
{
	(void)state;
	assert_load_fails("", "FILE: no holidays (expected lines of YYYY-MM-DD<TAB>name)");
	assert_load_fails("# only a comment\n\n   \n", "FILE: no holidays (expected lines of YYYY-MM-DD<TAB>name)");
}

static void test_line_without_tab_and_name(void **state)
{
	(void)state;
	assert_load_fails("2024-12-25 Christmas Day\n", "FILE line 1: expected YYYY-MM-DD<TAB>name, found no TAB");
	assert_load_fails("2024-12-25\n", "FILE line 1: expected YYYY-MM-DD<TAB>name, found no TAB");
	assert_load_fails("2024-12-25\t\n", "FILE line 1: 2024-12-25 has no name after the TAB");
	assert_load_fails("2024-12-25\t  \n", "FILE line 1: 2024-12-25 has no name after the TAB");
	assert_load_fails("2024-12-25\tChristmas\tDay\n",
	                  "FILE line 1: the name of 2024-12-25 contains a control character");
}

static void test_nul_bytes_are_refused(void **state)
{
	static const char date_nul[] = "2024-12-25\0junk\tChristmas Day\n";
	static const char name_nul[] = "2024-12-25\tChrist\0mas Day\n";
	char *msg;

	(void)state;
	msg = load_fails(date_nul, sizeof(date_nul) - 1, SL_EINVAL);
	assert_string_equal(msg, "FILE line 1: not a date: \"2024-12-25?junk\" (expected YYYY-MM-DD)");
	free(msg);
	msg = load_fails(name_nul, sizeof(name_nul) - 1, SL_EINVAL);
	assert_string_equal(msg, "FILE line 1: the name of 2024-12-25 contains a control character");
	free(msg);
}

static void test_overlong_line_is_refused(void **state)
{
	buf b = BUF_INIT;

	(void)state;
	buf_puts(&b, "2024-12-25\tChristmas Day\n2024-12-26\t");
	for (int i = 0; i < 300; i++)
		buf_putc(&b, 'x');
	buf_putc(&b, '\n');
	assert_load_fails(buf_str(&b), "FILE line 2: longer than 256 bytes");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_christmas_and_new_year_are_holidays),
		cmocka_unit_test(test_add_wd_skips_the_christmas_weekend_and_holidays),
		cmocka_unit_test(test_easter_2025),
		cmocka_unit_test(test_ve_day_moved_the_early_may_holiday_in_2020),
		cmocka_unit_test(test_weekends_are_never_working_days),
		cmocka_unit_test(test_default_covers_2000_to_2030),
		cmocka_unit_test(test_every_date_in_the_shipped_tsv_is_a_holiday),
		cmocka_unit_test(test_loading_the_shipped_file_gives_the_default),
		cmocka_unit_test(test_add_zero_working_days_is_the_same_day),
		cmocka_unit_test(test_add_wd_from_a_weekend_or_holiday),
		cmocka_unit_test(test_statutory_45_working_days),
		cmocka_unit_test(test_wd_between_counts_the_half_open_interval),
		cmocka_unit_test(test_add_wd_and_wd_between_agree_with_the_reference),
		cmocka_unit_test(test_add_wd_is_continuous_across_1900_and_2200),
		cmocka_unit_test(test_days_outside_1900_to_2200_are_weekday_only),
		cmocka_unit_test(test_extreme_days_do_not_overflow),
		cmocka_unit_test(test_one_extra_holiday_moves_add_wd),
		cmocka_unit_test(test_a_file_replaces_the_shipped_holidays),
		cmocka_unit_test(test_file_order_does_not_matter),
		cmocka_unit_test(test_missing_file_is_named),
		cmocka_unit_test(test_a_directory_is_not_a_holidays_file),
		cmocka_unit_test(test_bad_date_names_the_line),
		cmocka_unit_test(test_duplicate_date_names_both_lines),
		cmocka_unit_test(test_empty_file_has_no_holidays),
		cmocka_unit_test(test_line_without_tab_and_name),
		cmocka_unit_test(test_nul_bytes_are_refused),
		cmocka_unit_test(test_overlong_line_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
