/*
 * rules.h - the safeguarding rules of DESIGN 6: an engine that watches the
 * stream of events and raises alerts.
 *
 * The engine keeps its own model of what matters to the rules (people and
 * their links, each child's case, plan, concerns, harm items, missing
 * episodes, visits; workers' caseloads; escalations; alerts) in memory,
 * and a queue of deadlines ordered by the day they fall due.  Each event
 * touches only the children it is about; the daily tick pops the deadlines
 * that fall due on that day, so time rules never rescan every child.
 *
 * It knows nothing of SQL, HTTP or the ledger: the app layer feeds it
 * events (live writes, a replay, or the ledger itself when an instance
 * opens) and appends the alerts it raises through the sink.  Exact meaning
 * of each rule: DESIGN 6.1, and docs/rules.md for what the design left
 * open.
 *
 * Ownership: rules_new borrows the config (it must outlive the engine);
 * events passed in are borrowed for the call.
 */
#ifndef SL_RULES_H
#define SL_RULES_H

#include <jansson.h>
#include "util/common.h"
#include "domain/calendar.h"

/* The codes, in DESIGN 6's order. */
typedef enum rule_code {
	RULE_LATE_REFERRAL_DECISION,
	RULE_LATE_ASSESSMENT,
	RULE_LATE_ICPC,
	RULE_LATE_REVIEW_CONFERENCE,
	RULE_LATE_CORE_GROUP,
	RULE_LATE_VISIT,
	RULE_NONMOBILE_INJURY,
	RULE_CUMULATIVE_HARM,
	RULE_CONCERN_DROPPED,
	RULE_PLAN_DRIFT,
	RULE_REPEAT_PLAN,
	RULE_REPEAT_REFERRAL,
	RULE_MISSING_PATTERN,
	RULE_MISSING_NO_RETURN_INTERVIEW,
	RULE_ADULT_RISK_LINKED,
	RULE_DOMESTIC_ABUSE_HOUSEHOLD,
	RULE_UNACTIONED_AGENCY_INFO,
	RULE_CLOSURE_BLOCKED,
	RULE_CASELOAD_HIGH,
	RULE_UNALLOCATED,
	RULE_ESCALATION_UNANSWERED,
	RULE_LATE_ENTRY,
	RULE_COUNT
} rule_code;

const char *rule_name(rule_code code);
/* The code for a name, or -1. */
int rule_from_name(const char *name);
/* Codes whose unresolved alerts block a case closure (DESIGN 6.1.15). */
bool rule_is_harm(rule_code code);

/* --- configuration (thresholds; DESIGN 6 defaults) --- */

/* Every threshold, one per row of the parameter table in config.c. */
typedef enum rule_param {
	P_REFERRAL_DECISION_WD,
	P_ASSESSMENT_WD,
	P_ICPC_WD,
	P_FIRST_REVIEW_MONTHS,
	P_LATER_REVIEW_MONTHS,
	P_CORE_GROUP_WD,
	P_VISIT_CP_WD,
	P_VISIT_LAC_DAYS,
	P_NONMOBILE_MONTHS,
	P_HARM_ITEMS,
	P_HARM_AGENCIES,
	P_HARM_WINDOW_MONTHS,
	P_PLAN_DRIFT_MONTHS,
	P_REPEAT_REFERRAL_MONTHS,
	P_MISSING_EPISODES,
	P_MISSING_WINDOW_DAYS,
	P_RETURN_INTERVIEW_DAYS,
	P_AGENCY_INFO_WD,
	P_CASELOAD_MAX,
	P_UNALLOCATED_WD,
	P_ESCALATION_WD,
	P_LATE_ENTRY_WD,
	P_COUNT
} rule_param;

typedef struct rules_config {
	bool enabled[RULE_COUNT];
	int param[P_COUNT];
	calendar *cal; /* owned */
	char *calendar_path; /* NULL: the shipped calendar */
} rules_config;

/* The defaults of DESIGN 6 and the shipped calendar (path NULL), or those
 * overridden by a configuration file: lines "RULE.key = value",
 * "RULE.enabled = true|false", "calendar.bank_holidays = FILE" (relative
 * to the configuration file's folder), '#' comments.  An unknown rule or
 * key, a negative or non-numeric threshold, or a calendar that cannot be
 * read fails with the file, line and reason. */
int rules_config_load(const char *path, rules_config **out, sl_err *err);
/* The same from text in memory; name stands for the file in messages. */
int rules_config_parse(const char *name, const char *text, size_t len, rules_config **out, sl_err *err);
void rules_config_free(rules_config *c);
/* The configuration as a file that rules_config_load reads back to the same
 * values (`safeledger rules --defaults`, docs). */
void rules_config_write(const rules_config *c, buf *out);
/* The name of a parameter ("LATE_ASSESSMENT.working_days") and its rule. */
const char *rule_param_name(rule_param p);

/* --- the engine --- */

typedef struct rules rules;

typedef struct rules_alert {
	rule_code code;
	const char *child; /* NULL: no child (an escalation about no child) */
	int32_t raised_on; /* day number */
	const char *ref;   /* CODE/CHILD/YYYY-MM-DD[#N] (DESIGN 6.1.14) */
	const char *reason;
	const uint64_t *evidence; /* event seqs */
	size_t n_evidence;
} rules_alert;

/* Called for every alert raised; *seq receives the seq the alert's own
 * event got (0 if it is not recorded).  A non-zero return stops the
 * engine's current call with that error. */
typedef int (*rules_sink)(void *ctx, const rules_alert *a, uint64_t *seq, sl_err *err);

/* Resolves an event reference (a ref string or a seq number) to a seq. */
typedef int (*rules_resolve)(void *ctx, const json_t *ref, uint64_t *seq, sl_err *err);

rules *rules_new(const rules_config *cfg, rules_resolve resolve, void *resolve_ctx);
void rules_free(rules *r);
/* Where alerts go; NULL (the default) makes the engine quiet: it keeps its
 * state (deadlines met or missed, latches) but raises nothing, which is
 * how it catches up with a ledger whose alerts are already recorded. */
void rules_set_sink(rules *r, rules_sink sink, void *ctx);

typedef struct rules_event_info {
	uint64_t seq;
	bool live;            /* a live write: LATE_ENTRY applies, closures are refused */
	int32_t recorded_day; /* live writes: the day it is recorded */
} rules_event_info;

/* Before a live write: SL_EDENIED, with the reason, when the event is a
 * case.closed that CLOSURE_BLOCKED forbids (DESIGN 6.1.15).  Changes
 * nothing. */
int rules_check(rules *r, const json_t *event, sl_err *err);
/* Apply one event (already valid, already appended as info->seq).  An
 * alert.raised event registers that alert (a quiet engine catching up). */
int rules_event(rules *r, const json_t *event, const rules_event_info *info, sl_err *err);
/* Run the time rules of every working day after the last tick through
 * `day` (DESIGN 6.1.1: a day's time rules run before its events). */
int rules_tick(rules *r, int32_t day, sl_err *err);
/* The last day ticked (INT32_MIN before the first tick). */
int32_t rules_last_tick(const rules *r);
/* A registered person's role: 1 child, 0 adult, -1 not registered.  The
 * write path validates person references against this rather than the
 * store: the engine holds every person in memory anyway. */
int rules_person_role(const rules *r, const char *id);
/* The alert exists (for validating alert.acknowledged/resolved). */
bool rules_alert_exists(const rules *r, const char *ref);

/* What the engine knows of one child, as JSON (the caller owns it), or
 * NULL for an unknown child: case, plan, looked after, CIN plan, the last
 * time seen, unresolved concerns, what is due and by when, and the alerts
 * recorded in the ledger with their state.  The as-of view is this, for an
 * engine fed the ledger only up to a date. */
json_t *rules_child_json(const rules *r, const char *id);

/* The whole model as bytes (appended to out), stamped with the caller's
 * 32-byte tag (what ledger prefix and configuration it reflects).  Read it
 * back into a fresh engine (rules_new, nothing fed yet): SL_EINVAL for
 * another format, SL_ECORRUPT for damage; on failure the engine must be
 * freed, not used.  The caller checks the tag. */
void rules_snapshot_write(const rules *r, const uint8_t tag[32], buf *out);
int rules_snapshot_read(rules *r, const void *data, size_t len, uint8_t tag[32], sl_err *err);

/* Counters for benchmarks and /metrics. */
typedef struct rules_stats {
	uint64_t events, alerts, timers_fired, children, people;
} rules_stats;
void rules_get_stats(const rules *r, rules_stats *out);

#endif
