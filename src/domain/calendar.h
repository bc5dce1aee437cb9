/*
 * calendar.h - working days: Monday to Friday less England and Wales bank
 * holidays (DESIGN 6: every statutory timescale in working days, "WD").
 *
 * The holidays ship inside the program (generated at build time from
 * data/bank-holidays-england-and-wales.tsv, so nothing is read from disk by
 * default) and an authority may load its own file instead (rules
 * configuration `calendar.bank_holidays`).  Both use the same format: one
 * "YYYY-MM-DD<TAB>name" per line, '#' comments and blank lines ignored, a
 * trailing CR dropped; dates are 1900-2200 and none may appear twice.
 *
 * A calendar is immutable once loaded: a bitmap over DATE_YEAR_MIN ..
 * DATE_YEAR_MAX, so is-working-day is one bit test and many threads may
 * share one calendar.  Outside the years the file covers only weekends are
 * non-working (calendar_covers() tells callers who want to warn); outside
 * the bitmap (any int32_t day is accepted) the same weekday-only rule holds.
 *
 * Ownership: a loader hands the caller a calendar to free with
 * calendar_free(); *out is set only on success.  Returned names belong to
 * the calendar.
 */
#ifndef SL_CALENDAR_H
#define SL_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>
#include "util/err.h"

typedef struct calendar calendar;

/* The shipped England and Wales calendar. */
int calendar_load_default(calendar **out, sl_err *err);
/* A holidays file.  Errors name the file and line ("bank-holidays.tsv line
 * 7: not a date ..."); a missing or empty file is an error (SL_ENOTFOUND
 * when it does not exist, SL_EIO when it cannot be read, SL_EINVAL for its
 * content). */
int calendar_load_file(const char *path, calendar **out, sl_err *err);
void calendar_free(calendar *c); /* NULL is fine */

bool calendar_is_working_day(const calendar *c, int32_t day);
bool calendar_is_holiday(const calendar *c, int32_t day);
/* The holiday's name as the file gives it ("Good Friday"), or NULL when
 * day is not a holiday. */
const char *calendar_holiday_name(const calendar *c, int32_t day);
/* The first and last year the holiday list covers. */
void calendar_covers(const calendar *c, int *first_year, int *last_year);
/* The n-th working day after `day` (day itself never counts; n >= 0, and
 * n = 0 returns day; a negative n counts as 0).  "Within N WD of D" is met
 * on or before calendar_add_wd(c, D, N); the alert is raised on
 * calendar_add_wd(c, D, N + 1) (DESIGN 6.1.1).  A few dozen steps whatever n
 * (no loop over days); a result past the end of int32_t is clamped to INT32_MAX. */
int32_t calendar_add_wd(const calendar *c, int32_t day, int n);
/* The first working day strictly after day: calendar_add_wd(c, day, 1). */
int32_t calendar_next_wd(const calendar *c, int32_t day);
/* The number of working days in (from, to]; 0 when to <= from.  So
 * calendar_wd_between(c, D, calendar_add_wd(c, D, n)) == n. */
int calendar_wd_between(const calendar *c, int32_t from, int32_t to);

#endif
