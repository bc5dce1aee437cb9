/*
 * measures.h - the director's performance measures: each measure month by
 * month at an as-of date, and the children behind any one figure with the
 * events that put each of them there.  docs/measures.md defines every
 * measure exactly (numerator, denominator, dates, what "in time" means,
 * the evidence); the thresholds are the rules configuration's
 * (rules_config: LATE_ASSESSMENT.working_days, LATE_ICPC.working_days,
 * LATE_VISIT.cp_working_days and lac_days, REPEAT_REFERRAL.months,
 * PLAN_DRIFT.months).
 *
 * Each month of a window is read at its end: its last day, or the as-of
 * date for the as-of month.  Nothing that happened after the as-of date
 * counts (an episode that ended later is live at the as-of date).  The
 * figures come from the read model's projections (episodes, seen visits,
 * allocations, alerts: store.h, "the managers' and the director's
 * lists and measures") in a few scans, whatever the window.
 *
 * Parameters arrive as text from a query string, so each function checks
 * its own: SL_EINVAL with err naming the parameter and *param (when
 * given) set to its name (a static string); an unknown measure name is
 * SL_ENOTFOUND with *param "name".  Reads only, on the caller's
 * connection.  Ownership: *out is a new reference the caller decrefs.
 *
 * Who may see the measures, and recording who read the children behind a
 * figure in the access log, is the caller's (api.c, pages_manager.c).
 */
#ifndef SL_MEASURES_H
#define SL_MEASURES_H

#include <jansson.h>

#include "app/app.h"
#include "util/buf.h"

#define MEASURES_MONTHS_MAX 60
#define MEASURES_MONTHS_DEFAULT 12
/* The DfE's long plan: a plan that lasted (or has lasted) this long. */
#define MEASURES_LONG_PLAN_MONTHS 24

/* The measures month by month: as_of "YYYY-MM-DD" (NULL or "": today; a
 * date after today, or before the first event the measures read, is
 * SL_EINVAL naming `as_of`), months "1".."60" (NULL or "": 12; otherwise
 * SL_EINVAL naming `months`) ending with the as-of month:
 *   {"as_of", "months": ["YYYY-MM", ...],
 *    "series": {name: [a number, or null when a share has nothing to
 *                      divide, per month]},
 *    "open_alerts": {code: [alerts open at the month's end]},
 *    "alerts_raised": {code: [alerts raised in the month]}}
 * with every measure of docs/measures.md in series, and every rule's code
 * in open_alerts and alerts_raised. */
int measures_monthly(app *a, const char *as_of, const char *months, json_t **out, const char **param,
                     sl_err *err);

/* The children behind one figure: name (a series name, or
 * "open_alerts.CODE" / "alerts_raised.CODE"), month "YYYY-MM" (required;
 * not after the as-of month nor before the first event's: SL_EINVAL naming
 * `month`), as_of as for measures_monthly:
 *   {"measure", "month", "as_of", "month_end", "value",
 *    "children": [{"child", "seq", "evidence": [seq, ...], ...}]}
 * One item per unit counted (a child referred twice in a month is listed
 * twice): seq is the event that makes the unit (the referral, the
 * assessment's completion, the plan's start, ...), evidence every event
 * that put it in the figure, oldest first.  For a share (a name ending
 * "_pct") the items are the denominator's, each with "counted": true when
 * it is in the numerator too; "numerator" and "denominator" give the
 * counts.  Allocation items carry "worker"; alert items "code".  The
 * figure's value equals the items' count (or counted / items as a share). */
int measures_children(app *a, const char *name, const char *month, const char *as_of, json_t **out,
                      const char **param, sl_err *err);

/* CSV (RFC 4180: a header row, CRLF line ends, fields quoted when they
 * hold a comma, quote or line break) of measures_monthly's answer: one
 * row per month, a column per series then per alert code
 * ("open_alerts.CODE", "alerts_raised.CODE"); an empty field for null. */
void measures_csv(const json_t *monthly, buf *out);
/* CSV of measures_children's answer: measure, month, child, seq,
 * evidence (seqs separated by spaces), counted, worker, code. */
void measures_children_csv(const json_t *children, buf *out);

#endif
