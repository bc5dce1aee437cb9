/*
 * config.c - the rule table (codes, names) and the thresholds an authority
 * may change.
 *
 * A configuration file overrides defaults line by line, so an authority's
 * file holds only what it changes.  Everything is checked at start: a typo
 * in a rule name must not silently leave the default in force.
 */
#include "util/common.h"
#include "rules/rules.h"

#include <errno.h>
#include <limits.h>

static const char *const rule_names[RULE_COUNT] = {
	"LATE_REFERRAL_DECISION", "LATE_ASSESSMENT", "LATE_ICPC", "LATE_REVIEW_CONFERENCE",
	"LATE_CORE_GROUP", "LATE_VISIT", "NONMOBILE_INJURY", "CUMULATIVE_HARM", "CONCERN_DROPPED",
	"PLAN_DRIFT", "REPEAT_PLAN", "REPEAT_REFERRAL", "MISSING_PATTERN",
	"MISSING_NO_RETURN_INTERVIEW", "ADULT_RISK_LINKED", "DOMESTIC_ABUSE_HOUSEHOLD",
	"UNACTIONED_AGENCY_INFO", "CLOSURE_BLOCKED", "CASELOAD_HIGH", "UNALLOCATED",
	"ESCALATION_UNANSWERED", "LATE_ENTRY",
};

static const struct param_row {
	rule_param param;
	rule_code rule;
	const char *key;
	int dflt, min; /* min 1 where 0 would make the rule meaningless */
	const char *help;
} params[P_COUNT] = {
	{P_REFERRAL_DECISION_WD, RULE_LATE_REFERRAL_DECISION, "working_days", 1, 0, "a contact needs a referral decision within this many WD"},
	{P_ASSESSMENT_WD, RULE_LATE_ASSESSMENT, "working_days", 45, 1, "assessment completed within this many WD of the referral decision"},
	{P_ICPC_WD, RULE_LATE_ICPC, "working_days", 15, 1, "initial conference within this many WD of the strategy discussion"},
	{P_FIRST_REVIEW_MONTHS, RULE_LATE_REVIEW_CONFERENCE, "first_months", 3, 1, "first review conference within this many months of the plan starting"},
	{P_LATER_REVIEW_MONTHS, RULE_LATE_REVIEW_CONFERENCE, "later_months", 6, 1, "later reviews within this many months of the last"},
	{P_CORE_GROUP_WD, RULE_LATE_CORE_GROUP, "working_days", 10, 1, "first core group within this many WD of the initial conference"},
	{P_VISIT_CP_WD, RULE_LATE_VISIT, "cp_working_days", 10, 1, "a child on a CP plan seen at least every this many WD"},
	{P_VISIT_LAC_DAYS, RULE_LATE_VISIT, "lac_days", 42, 1, "a looked-after child seen at least every this many days"},
	{P_NONMOBILE_MONTHS, RULE_NONMOBILE_INJURY, "age_months", 6, 1, "any injury to a child younger than this many months"},
	{P_HARM_ITEMS, RULE_CUMULATIVE_HARM, "items", 3, 1, "this many injuries or significant-harm concerns"},
	{P_HARM_AGENCIES, RULE_CUMULATIVE_HARM, "agencies", 2, 1, "from at least this many agencies"},
	{P_HARM_WINDOW_MONTHS, RULE_CUMULATIVE_HARM, "window_months", 12, 1, "within this many months"},
	{P_PLAN_DRIFT_MONTHS, RULE_PLAN_DRIFT, "months", 18, 1, "a CP plan this many months old with no escalation"},
	{P_REPEAT_REFERRAL_MONTHS, RULE_REPEAT_REFERRAL, "months", 12, 1, "a referral within this many months of the previous one"},
	{P_MISSING_EPISODES, RULE_MISSING_PATTERN, "episodes", 3, 1, "this many missing episodes"},
	{P_MISSING_WINDOW_DAYS, RULE_MISSING_PATTERN, "window_days", 90, 1, "within this many days"},
	{P_RETURN_INTERVIEW_DAYS, RULE_MISSING_NO_RETURN_INTERVIEW, "days", 3, 0, "a return interview within this many days of the episode ending"},
	{P_AGENCY_INFO_WD, RULE_UNACTIONED_AGENCY_INFO, "working_days", 1, 0, "partner information actioned within this many WD"},
	{P_CASELOAD_MAX, RULE_CASELOAD_HIGH, "children", 20, 1, "a worker holding more than this many children"},
	{P_UNALLOCATED_WD, RULE_UNALLOCATED, "working_days", 5, 0, "an open case allocated within this many WD"},
	{P_ESCALATION_WD, RULE_ESCALATION_UNANSWERED, "working_days", 5, 0, "an escalation answered within this many WD"},
	{P_LATE_ENTRY_WD, RULE_LATE_ENTRY, "working_days", 5, 0, "an event recorded more than this many WD after it occurred"},
};

const char *rule_name(rule_code code)
{
	assert(code >= 0 && code < RULE_COUNT);
	return rule_names[code];
}

int rule_from_name(const char *name)
{
	int i;
	for (i = 0; i < RULE_COUNT; i++)
		if (strcmp(rule_names[i], name) == 0)
			return i;
	return -1;
}

bool rule_is_harm(rule_code code)
{
	switch (code) {
	case RULE_NONMOBILE_INJURY:
	case RULE_CUMULATIVE_HARM:
	case RULE_CONCERN_DROPPED:
	case RULE_ADULT_RISK_LINKED:
	case RULE_DOMESTIC_ABUSE_HOUSEHOLD:
	case RULE_UNACTIONED_AGENCY_INFO:
	case RULE_MISSING_PATTERN:
		return true;
	default:
		return false;
	}
}

const char *rule_param_name(rule_param p)
{
	static char names[P_COUNT][80];
	assert(p >= 0 && p < P_COUNT);
	if (!names[p][0])
		snprintf(names[p], sizeof names[p], "%s.%s", rule_names[params[p].rule], params[p].key);
	return names[p];
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Relative calendar paths are relative to the configuration file. */
static char *resolve_path(const char *config_path, const char *value)
{
	const char *slash = strrchr(config_path, '/');
	buf b = BUF_INIT;

	if (value[0] == '/' || !slash)
		return xstrdup(value);
	buf_append(&b, config_path, (size_t)(slash - config_path) + 1);
	buf_puts(&b, value);
	return buf_detach(&b);
}

static int parse_line(rules_config *c, const char *path, size_t lineno, char *line, sl_err *err)
{
	char *eq = strchr(line, '='), *key, *value, *dot, *end;
	int rule, i;
	long v;

	if (!eq)
		return sl_fail(err, SL_EINVAL, "%s line %zu: expected `NAME = VALUE`", path, lineno);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	if (!*value)
		return sl_fail(err, SL_EINVAL, "%s line %zu: `%s` has no value", path, lineno, key);
	if (strcmp(key, "calendar.bank_holidays") == 0) {
		free(c->calendar_path);
		c->calendar_path = resolve_path(path, value);
		return 0;
	}
	dot = strchr(key, '.');
	if (!dot)
		return sl_fail(err, SL_EINVAL, "%s line %zu: unknown setting `%s` (expected RULE.key)",
		               path, lineno, key);
	*dot = '\0';
	if ((rule = rule_from_name(key)) < 0)
		return sl_fail(err, SL_EINVAL, "%s line %zu: unknown rule `%s`", path, lineno, key);
	if (strcmp(dot + 1, "enabled") == 0) {
		if (strcmp(value, "true") == 0)
			c->enabled[rule] = true;
		else if (strcmp(value, "false") == 0)
			c->enabled[rule] = false;
		else
			return sl_fail(err, SL_EINVAL, "%s line %zu: %s.enabled must be true or false, not `%s`",
			               path, lineno, key, value);
		return 0;
	}
	for (i = 0; i < P_COUNT; i++)
		if ((int)params[i].rule == rule && strcmp(params[i].key, dot + 1) == 0)
			break;
	if (i == P_COUNT)
		return sl_fail(err, SL_EINVAL, "%s line %zu: rule %s has no setting `%s`", path, lineno, key,
		               dot + 1);
	errno = 0;
	v = strtol(value, &end, 10);
	if (*end || errno || end == value)
		return sl_fail(err, SL_EINVAL, "%s line %zu: %s.%s must be a whole number, not `%s`", path,
		               lineno, key, dot + 1, value);
	if (v < params[i].min || v > 100000)
		return sl_fail(err, SL_EINVAL, "%s line %zu: %s.%s must be between %d and 100000, not %ld",
		               path, lineno, key, dot + 1, params[i].min, v);
	c->param[i] = (int)v;
	return 0;
}

/* path names the configuration in messages and anchors relative calendar
 * paths; f is read to its end and closed. */
static int parse_stream(rules_config *c, FILE *f, const char *path, sl_err *err)
{
	char line[1024];
	size_t lineno = 0;
	int rc = 0;

	while (fgets(line, sizeof line, f)) {
		char *t;
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			rc = sl_fail(err, SL_EINVAL, "%s line %zu: line too long", path, lineno);
			break;
		}
		if ((t = strchr(line, '#')))
			*t = '\0'; /* comments run to the end of the line */
		t = trim(line);
		if (!*t)
			continue;
		if ((rc = parse_line(c, path, lineno, t, err)))
			break;
	}
	if (!rc && ferror(f))
		rc = sl_fail(err, SL_EIO, "cannot read %s: %s", path, strerror(errno));
	fclose(f);
	return rc;
}

static int parse_file(rules_config *c, const char *path, sl_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return sl_fail(err, SL_EINVAL, "cannot read rules configuration %s: %s", path, strerror(errno));
	return parse_stream(c, f, path, err);
}

static int config_load(const char *path, const char *text, size_t len, rules_config **out, sl_err *err)
{
	rules_config *c = xcalloc(1, sizeof *c);
	int i, rc;

	for (i = 0; i < RULE_COUNT; i++)
		c->enabled[i] = true;
	for (i = 0; i < P_COUNT; i++) {
		assert(params[i].param == (rule_param)i);
		c->param[i] = params[i].dflt;
	}
	if (text) {
		FILE *f = len ? fmemopen((void *)text, len, "r") : NULL;
		if (len && !f) {
			rc = sl_fail(err, SL_ENOMEM, "cannot read the configuration text");
			goto fail;
		}
		if (f && (rc = parse_stream(c, f, path, err)))
			goto fail;
	} else if (path && (rc = parse_file(c, path, err))) {
		goto fail;
	}
	if (c->calendar_path)
		rc = calendar_load_file(c->calendar_path, &c->cal, err);
	else
		rc = calendar_load_default(&c->cal, err);
	if (rc) {
		if (err && path)
			sl_err_prefix(err, "%s: calendar.bank_holidays: ", path);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	rules_config_free(c);
	return rc;
}

int rules_config_load(const char *path, rules_config **out, sl_err *err)
{
	return config_load(path, NULL, 0, out, err);
}

int rules_config_parse(const char *name, const char *text, size_t len, rules_config **out, sl_err *err)
{
	return config_load(name, text, len, out, err);
}

void rules_config_free(rules_config *c)
{
	if (!c)
		return;
	calendar_free(c->cal);
	free(c->calendar_path);
	free(c);
}

void rules_config_write(const rules_config *c, buf *out)
{
	int i, p;

	buf_puts(out, "# safeledger rules configuration (DESIGN 6).  Each line overrides a default;\n"
	              "# WD = working days: Monday to Friday less bank holidays.\n\n");
	if (c->calendar_path)
		buf_printf(out, "calendar.bank_holidays = %s\n", c->calendar_path);
	else
		buf_puts(out, "# calendar.bank_holidays = FILE   (YYYY-MM-DD<TAB>name lines; default: the\n"
		              "#   shipped England and Wales list)\n");
	for (i = 0; i < RULE_COUNT; i++) {
		buf_printf(out, "\n%s.enabled = %s\n", rule_names[i], c->enabled[i] ? "true" : "false");
		for (p = 0; p < P_COUNT; p++)
			if ((int)params[p].rule == i)
				buf_printf(out, "%s.%s = %d   # %s\n", rule_names[i], params[p].key, c->param[p],
				           params[p].help);
	}
}
