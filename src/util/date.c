/*
 * date.c - day numbers, calendar checks and RFC 3339 parsing.  See date.h.
 *
 * The conversions between day numbers and (year, month, day) are Howard
 * Hinnant's days_from_civil / civil_from_days ("chrono-Compatible Low-Level
 * Date Algorithms"): the year is shifted to start on 1 March so that the
 * leap day is the last day of the shifted year, which makes the month
 * lengths a closed formula and needs no tables or loops.  Both work on
 * 400-year eras, so they are exact for every date and need no special case
 * for 1900 (not leap) or 2000 (leap).
 *
 * The parser reads fixed positions (RFC 3339 section 5.6 has no optional
 * widths) and checks each field against the real calendar before anything
 * is written to the caller's result.
 */
#include "util/common.h"

#include "util/date.h"

static const char not_a_date[] =
	"not a date: expected YYYY-MM-DD or an RFC 3339 date-time";

int32_t date_day_or_none(const char *s)
{
	int32_t d;
	if (!s || date_parse_day(s, &d, NULL))
		return DATE_NONE;
	return d;
}

bool date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	assert(month >= 1 && month <= 12);
	if (month == 2 && date_is_leap(year))
		return 29;
	return days[month - 1];
}

int32_t date_from_ymd(int y, int m, int d)
{
	int64_t year, era, yoe, doy, doe;

	assert(m >= 1 && m <= 12);
	year = (int64_t)y - (m <= 2);
	era = (year >= 0 ? year : year - 399) / 400;
	yoe = year - era * 400;                                  /* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;   /* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             /* [0, 146096] */
	return (int32_t)(era * 146097 + doe - 719468);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int month = (int)(mp < 10 ? mp + 3 : mp - 9);

	*y = (int)(yoe + era * 400 + (month <= 2));
	*m = month;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
}

void date_format_day(buf *out, int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	buf_printf(out, "%04d-%02d-%02d", y, m, d);
}

int date_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)(((int64_t)day + 3) % 7);
	return w < 0 ? w + 7 : w;
}

int32_t date_add_months(int32_t day, int months)
{
	int y, m, d, last;
	int64_t index;

	date_to_ymd(day, &y, &m, &d);
	index = (int64_t)y * 12 + (m - 1) + months;
	y = (int)(index >= 0 ? index / 12 : (index - 11) / 12);
	m = (int)(index - (int64_t)y * 12) + 1;
	last = date_days_in_month(y, m);
	return date_from_ymd(y, m, d < last ? d : last);
}

int date_compare(const sl_date *a, const sl_date *b)
{
	int32_t as = a->sec < 0 ? 0 : a->sec;
	int32_t bs = b->sec < 0 ? 0 : b->sec;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (as != bs)
		return as < bs ? -1 : 1;
	return 0;
}

/* Exactly n ASCII digits at s (n <= 4), as a number; false otherwise.  Stops
 * at a NUL like any other non-digit, so it never reads past the string. */
static bool read_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* "YYYY-MM-DD" at s, checked against the calendar. */
static int parse_ymd(const char *s, int32_t *day, sl_err *err)
{
	int y, m, d;

	if (!read_digits(s, 4, &y) || s[4] != '-' || !read_digits(s + 5, 2, &m) ||
	    s[7] != '-' || !read_digits(s + 8, 2, &d))
		return sl_fail(err, SL_EINVAL, "%s", not_a_date);
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
		return sl_fail(err, SL_EINVAL, "%04d-%02d-%02d does not exist", y, m, d);
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
		return sl_fail(err, SL_EINVAL, "year %04d is outside %d-%d", y,
			       DATE_YEAR_MIN, DATE_YEAR_MAX);
	*day = date_from_ymd(y, m, d);
	return 0;
}

/* "HH:MM:SS" at s.  Leap seconds (:60) are refused: the ledger orders by
 * written time and a 61st second would have no place in that order. */
static int parse_time(const char *s, int32_t *sec, sl_err *err)
{
	int h, mi, se;

	if (!read_digits(s, 2, &h) || s[2] != ':' || !read_digits(s + 3, 2, &mi) ||
	    s[5] != ':' || !read_digits(s + 6, 2, &se))
		return sl_fail(err, SL_EINVAL, "%s", not_a_date);
	if (h > 23 || mi > 59 || se > 59)
		return sl_fail(err, SL_EINVAL, "%02d:%02d:%02d is not a time of day", h, mi, se);
	*sec = h * 3600 + mi * 60 + se;
	return 0;
}

/* "Z", "+HH:MM" or "-HH:MM" at s, ending the string. */
static int parse_offset(const char *s, int16_t *offset_min, sl_err *err)
{
	int h, mi;

	if (s[0] == 'Z' && s[1] == '\0') {
		*offset_min = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || !read_digits(s + 1, 2, &h) || s[3] != ':' ||
	    !read_digits(s + 4, 2, &mi) || s[6] != '\0')
		return sl_fail(err, SL_EINVAL, "%s", not_a_date);
	if (h > 23 || mi > 59)
		return sl_fail(err, SL_EINVAL, "%c%02d:%02d is not a UTC offset", s[0], h, mi);
	*offset_min = (int16_t)((s[0] == '-' ? -1 : 1) * (h * 60 + mi));
	return 0;
}

int date_parse(const char *s, sl_date *out, sl_err *err)
{
	sl_date v = {0, -1, 0};
	const char *p;
	int rc;

	if ((rc = parse_ymd(s, &v.day, err)) < 0)
		return rc;
	if (s[10] == '\0')
		goto done;
	if (s[10] != 'T')
		return sl_fail(err, SL_EINVAL, "%s", not_a_date);
	if ((rc = parse_time(s + 11, &v.sec, err)) < 0)
		return rc;
	p = s + 19;
	if (*p == '.') {
		/* RFC 3339 time-secfrac: one digit or more, ignored for ordering. */
		if (p[1] < '0' || p[1] > '9')
			return sl_fail(err, SL_EINVAL, "%s", not_a_date);
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	if ((rc = parse_offset(p, &v.offset_min, err)) < 0)
		return rc;
done:
	*out = v;
	return 0;
}

int date_parse_day(const char *s, int32_t *day, sl_err *err)
{
	int32_t v;
	int rc;

	if ((rc = parse_ymd(s, &v, err)) < 0)
		return rc;
	if (s[10] != '\0')
		return sl_fail(err, SL_EINVAL, "not a date: expected YYYY-MM-DD");
	*day = v;
	return 0;
}
