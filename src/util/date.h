/*
 * date.h - calendar dates and the RFC 3339 timestamps events carry.
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar, so date arithmetic is integer arithmetic and a day number is
 * what the store indexes.  Timestamps keep the date and time *as written*
 * (local to their UTC offset), because DESIGN 6.1.2 orders events by
 * `occurred_at`'s written date, then its time where given: a visit at
 * 23:30+01:00 happened on the day the worker wrote, not on the UTC day.
 *
 * Parsing is strict (DESIGN 5: bad dates are rejected, with the reason):
 * "YYYY-MM-DD", or an RFC 3339 date-time with an upper-case 'T', seconds,
 * optional fractional seconds (kept for nothing: ordering ignores them) and
 * 'Z' or a "+HH:MM"/"-HH:MM" offset.  Every field is checked against the
 * real calendar, and years are limited to 1900..2200 so that a typo such
 * as 0202 or 20024 is caught rather than stored.
 *
 * Nothing here allocates except date_format_day(), which appends to the
 * caller's buffer.
 */
#ifndef SL_DATE_H
#define SL_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2200

typedef struct sl_date {
	int32_t day;        /* days since 1970-01-01 of the date as written */
	int32_t sec;        /* seconds since that midnight, -1 when date-only */
	int16_t offset_min; /* UTC offset as written, 0 for Z or date-only */
} sl_date;

/* "YYYY-MM-DD" or an RFC 3339 date-time.  Returns 0 or SL_EINVAL with the
 * reason ("not a date: expected YYYY-MM-DD or an RFC 3339 date-time",
 * "2023-02-29 does not exist", ...).  out is untouched on failure. */
int date_parse(const char *s, sl_date *out, sl_err *err);

/* The date-only form "YYYY-MM-DD" (birth dates, alert refs). */
int date_parse_day(const char *s, int32_t *day, sl_err *err);

/* A day read from stored text that may be absent: its day number, or
 * DATE_NONE for NULL or anything that is not YYYY-MM-DD. */
#define DATE_NONE INT32_MIN
int32_t date_day_or_none(const char *s);

bool date_is_leap(int year);
int date_days_in_month(int year, int month); /* month 1..12 */

/* Day number of a calendar date.  m must be 1..12; d is not checked, and
 * d = 0 or d = 32 simply count on from the month's first day. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *y, int *m, int *d);

void date_format_day(buf *out, int32_t day); /* appends YYYY-MM-DD */

int date_weekday(int32_t day); /* 0 = Monday .. 6 = Sunday */

/* The same date N months later (N may be negative), or the month's last day
 * when it has no such date: 31 January + 1 month = 28 or 29 February
 * (DESIGN 6.1.1, calendar timescales). */
int32_t date_add_months(int32_t day, int months);

/* <0, 0, >0 ordering by day, then time of day; a date-only value counts as
 * the start of its day (DESIGN 6.1.2).  Offsets and fractions are ignored:
 * the written local time is what orders events. */
int date_compare(const sl_date *a, const sl_date *b);

#endif
