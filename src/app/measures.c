/*
 * measures.c - the director's measures and the children behind each
 * figure.  See measures.h; docs/measures.md defines each measure.
 *
 * One pass computes every figure of a window (months ending with the
 * as-of month, each read at its end).  A drill-down is the same pass over
 * a window of the one month asked about, with the items of the wanted
 * counters collected as they are counted: the list is built where the
 * number is, so the two cannot disagree.  Per-child facts (the previous
 * referral, how many plans, the s47 enquiries waiting for a conference)
 * are carried across the whole history whatever the window, so a month
 * reads the same alone or in a window of sixty.
 *
 * Four scans of the read model, none nested in another's callback:
 *   episodes (referral, assessment, s47, conference, cp_plan, lac) by
 *     child then start - referrals, assessments, conferences, plans,
 *     looked after; plan and looked-after spans are kept per child for
 *   seen visits of the children who have had a plan or been looked after,
 *     by child then day - seen in time;
 *   allocations - children per worker;
 *   alerts, resolved ones too - open at the month's end, raised in it.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "app/measures.h"
#include "domain/calendar.h"
#include "domain/vocab.h"
#include "util/date.h"
#include "util/hmap.h"

/* ---- the measures -------------------------------------------------------------------- */

/* Counters: what the scans count, month by month. */
enum {
	M_REFERRALS,
	M_REPEAT_REFERRALS,
	M_ASSESSMENTS,
	M_ASSESSMENTS_IN_TIME,
	M_ICPCS,
	M_ICPCS_IN_TIME,
	M_CP_PLANS,
	M_CP_OVER_18,
	M_CP_2Y_OPEN,
	M_CP_STARTED,
	M_SECOND_PLANS,
	M_CP_ENDED,
	M_CP_ENDED_2Y,
	M_CP_SEEN,
	M_LOOKED_AFTER,
	M_LAC_SEEN,
	M_ALLOCATED,
	M_WORKERS,
	M_COUNT
};

enum { COUNT, SHARE, RATIO };

/* A published figure: a counter (k), a share of k in whole (percent), or
 * a ratio k per whole.  list: the counter whose items are the children
 * behind it (a share's denominator, each marked when in k). */
typedef struct measure_def {
	const char *name;
	int kind, k, whole, list;
} measure_def;

static const measure_def defs[] = {
	{"referrals", COUNT, M_REFERRALS, 0, M_REFERRALS},
	{"repeat_referrals", COUNT, M_REPEAT_REFERRALS, 0, M_REPEAT_REFERRALS},
	{"repeat_referrals_pct", SHARE, M_REPEAT_REFERRALS, M_REFERRALS, M_REFERRALS},
	{"assessments_completed", COUNT, M_ASSESSMENTS, 0, M_ASSESSMENTS},
	{"assessments_in_time", COUNT, M_ASSESSMENTS_IN_TIME, 0, M_ASSESSMENTS_IN_TIME},
	{"assessments_in_time_pct", SHARE, M_ASSESSMENTS_IN_TIME, M_ASSESSMENTS, M_ASSESSMENTS},
	{"icpcs", COUNT, M_ICPCS, 0, M_ICPCS},
	{"icpcs_in_time", COUNT, M_ICPCS_IN_TIME, 0, M_ICPCS_IN_TIME},
	{"icpcs_in_time_pct", SHARE, M_ICPCS_IN_TIME, M_ICPCS, M_ICPCS},
	{"cp_plans", COUNT, M_CP_PLANS, 0, M_CP_PLANS},
	{"cp_plans_over_18_months", COUNT, M_CP_OVER_18, 0, M_CP_OVER_18},
	{"cp_plans_2_years_open", COUNT, M_CP_2Y_OPEN, 0, M_CP_2Y_OPEN},
	{"cp_plans_started", COUNT, M_CP_STARTED, 0, M_CP_STARTED},
	{"second_plans", COUNT, M_SECOND_PLANS, 0, M_SECOND_PLANS},
	{"second_plans_pct", SHARE, M_SECOND_PLANS, M_CP_STARTED, M_CP_STARTED},
	{"cp_plans_ended", COUNT, M_CP_ENDED, 0, M_CP_ENDED},
	{"cp_plans_ended_2_years", COUNT, M_CP_ENDED_2Y, 0, M_CP_ENDED_2Y},
	{"cp_plans_ended_2_years_pct", SHARE, M_CP_ENDED_2Y, M_CP_ENDED, M_CP_ENDED},
	{"cp_seen_in_time", COUNT, M_CP_SEEN, 0, M_CP_SEEN},
	{"cp_seen_in_time_pct", SHARE, M_CP_SEEN, M_CP_PLANS, M_CP_PLANS},
	{"looked_after", COUNT, M_LOOKED_AFTER, 0, M_LOOKED_AFTER},
	{"lac_seen_in_time", COUNT, M_LAC_SEEN, 0, M_LAC_SEEN},
	{"lac_seen_in_time_pct", SHARE, M_LAC_SEEN, M_LOOKED_AFTER, M_LOOKED_AFTER},
	{"children_allocated", COUNT, M_ALLOCATED, 0, M_ALLOCATED},
	/* the workers holding those children: the items are the children */
	{"workers", COUNT, M_WORKERS, 0, M_ALLOCATED},
	{"children_per_worker", RATIO, M_ALLOCATED, M_WORKERS, M_ALLOCATED},
};

#define OPEN_PREFIX "open_alerts."
#define RAISED_PREFIX "alerts_raised."
#define CODES_MAX 64 /* the rules' codes, and room for any other in the store */

typedef struct plan_span {
	int32_t start, end; /* end INT32_MAX: live */
	uint64_t seq;
} plan_span;

typedef struct span_list {
	plan_span *v;
	size_t n, cap;
} span_list;

/* A child's spans (plans, looked after), kept from the episode pass for
 * the visits pass; children in the order the episodes came (by id). */
typedef struct child_spans {
	char *child;
	span_list cp, lac;
} child_spans;

/* An s47 enquiry waiting for the initial conference it may lead to. */
typedef struct s47_item {
	int32_t day; /* the strategy discussion's */
	uint64_t seq, end_seq;
	bool no_icpc, used;
} s47_item;
#define S47_KEPT 8

typedef struct visit_day {
	int32_t day;
	uint64_t seq;
} visit_day;

typedef struct measure_ctx {
	const rules_config *cfg;
	int n;     /* months */
	int first; /* year * 12 + month - 1 of the first month */
	int32_t ends[MEASURES_MONTHS_MAX];
	uint64_t v[M_COUNT][MEASURES_MONTHS_MAX];
	int32_t first_day; /* the earliest day any scan read; INT32_MAX: none */
	/* the drill-down: counters whose items are wanted (NULL: not) */
	json_t *items[M_COUNT];
	int want_code; /* -1, or the code whose alert items are wanted */
	bool want_open;
	json_t *alert_items;
	/* the episode pass: the child whose rows are arriving */
	char child[VOCAB_MAX_ID + 1];
	int32_t last_referral; /* INT32_MIN: none yet */
	uint64_t last_referral_seq, last_plan_seq;
	unsigned plans;
	s47_item s47[S47_KEPT];
	size_t n_s47;
	child_spans *spans;
	size_t n_spans, cap_spans;
	/* the visits pass */
	char vchild[VOCAB_MAX_ID + 1];
	visit_day *seen;
	size_t n_seen, cap_seen;
	size_t span_at; /* spans before this index are done */
	/* allocations: the workers holding children at each month's end */
	hmap workers[MEASURES_MONTHS_MAX];
	/* alerts by code */
	char codes[CODES_MAX][VOCAB_MAX_ID + 1];
	int n_codes;
	uint64_t open[CODES_MAX][MEASURES_MONTHS_MAX], raised[CODES_MAX][MEASURES_MONTHS_MAX];
} measure_ctx;

/* ---- parameters -------------------------------------------------------------------------- */

static int param_fail(const char **param, const char *name, sl_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int param_fail(const char **param, const char *name, sl_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (param)
		*param = name;
	va_start(ap, fmt);
	sl_vfail(err, code, fmt, ap);
	va_end(ap);
	sl_err_prefix(err, "parameter `%s`", name);
	return code;
}

static bool absent(const char *s)
{
	return !s || !*s;
}

static int parse_months(const char *text, int *out, const char **param, sl_err *err)
{
	int v = 0;

	*out = MEASURES_MONTHS_DEFAULT;
	if (absent(text))
		return 0;
	for (size_t i = 0; text[i]; i++) {
		if (text[i] < '0' || text[i] > '9' || i >= 3)
			goto bad;
		v = v * 10 + (text[i] - '0');
	}
	if (v < 1 || v > MEASURES_MONTHS_MAX)
		goto bad;
	*out = v;
	return 0;
bad:
	return param_fail(param, "months", err, SL_EINVAL, "expected a whole number of months from 1 to %d",
	                  MEASURES_MONTHS_MAX);
}

/* as_of: YYYY-MM-DD, not after today; absent: today.  (The check against
 * the first event waits for the scans, which find it.) */
static int parse_as_of(app *a, const char *text, int32_t *out, const char **param, sl_err *err)
{
	int32_t today = app_today(a);
	buf b = BUF_INIT;
	int rc = 0;

	*out = today;
	if (absent(text))
		return 0;
	if (strlen(text) != 10 || date_parse_day(text, out, NULL))
		return param_fail(param, "as_of", err, SL_EINVAL, "expected a date YYYY-MM-DD");
	if (*out > today) {
		date_format_day(&b, today);
		rc = param_fail(param, "as_of", err, SL_EINVAL, "%s is after today (%s): there is nothing to measure yet",
		                text, b.data);
	}
	buf_release(&b);
	return rc;
}

/* month: YYYY-MM, as year * 12 + month - 1. */
static int parse_month(const char *text, int *out, const char **param, sl_err *err)
{
	int y = 0, mo = 0;

	if (absent(text))
		return param_fail(param, "month", err, SL_EINVAL, "required: the month of the figure (YYYY-MM)");
	if (strlen(text) != 7 || text[4] != '-')
		goto bad;
	for (int i = 0; i < 7; i++) {
		if (i == 4)
			continue;
		if (text[i] < '0' || text[i] > '9')
			goto bad;
		if (i < 4)
			y = y * 10 + (text[i] - '0');
		else
			mo = mo * 10 + (text[i] - '0');
	}
	if (y < 1 || mo < 1 || mo > 12)
		goto bad;
	*out = y * 12 + mo - 1;
	return 0;
bad:
	return param_fail(param, "month", err, SL_EINVAL, "expected a month YYYY-MM");
}

/* ---- counting ---------------------------------------------------------------------------- */


static void note_day(measure_ctx *m, int32_t day)
{
	if (day != INT32_MIN && day < m->first_day)
		m->first_day = day;
}

static int month_of(int32_t day)
{
	int y, mo, d;
	date_to_ymd(day, &y, &mo, &d);
	return y * 12 + mo - 1;
}

/* The window's month a day falls in (on or before that month's end, so
 * not after the as-of date), or -1. */
static int in_month(const measure_ctx *m, int32_t day)
{
	int i;

	if (day == INT32_MIN || day == INT32_MAX)
		return -1;
	i = month_of(day) - m->first;
	return i >= 0 && i < m->n && day <= m->ends[i] ? i : -1;
}

/* Live at month i's end: started on or before it, not ended by it. */
static bool live_at(const measure_ctx *m, int i, int32_t start, int32_t end)
{
	return start <= m->ends[i] && end > m->ends[i];
}

/* Count one unit (a referral, a plan, ...) in counter k at month i; for a
 * drill-down, list it with the events that put it there (seq 0: none),
 * returning the item (borrowed) for the caller to add to. */
static json_t *hit(measure_ctx *m, int k, int i, const char *child, uint64_t seq, uint64_t e1, uint64_t e2,
                   uint64_t e3)
{
	uint64_t ev[3] = {e1, e2, e3}, t;
	json_t *evidence, *item;

	m->v[k][i]++;
	if (!m->items[k])
		return NULL;
	/* oldest first: three at most, so a few swaps */
	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++)
			if (ev[b] && (!ev[a] || ev[b] < ev[a])) {
				t = ev[a];
				ev[a] = ev[b];
				ev[b] = t;
			}
	evidence = json_array();
	for (int a = 0; a < 3; a++)
		if (ev[a] && (a == 0 || ev[a] != ev[a - 1]))
			json_array_append_new(evidence, json_integer((json_int_t)ev[a]));
	item = json_pack("{s:s?, s:I, s:o}", "child", child, "seq", (json_int_t)seq, "evidence", evidence);
	json_array_append_new(m->items[k], item);
	return item;
}

/* ---- the episode pass ---------------------------------------------------------------------- */

static const char *detail_str(const json_t *detail, const char *key)
{
	return json_string_value(json_object_get(detail, key));
}

static child_spans *spans_of(measure_ctx *m, const char *child)
{
	child_spans *c;

	if (m->n_spans && strcmp(m->spans[m->n_spans - 1].child, child) == 0)
		return &m->spans[m->n_spans - 1];
	if (m->n_spans == m->cap_spans) {
		m->cap_spans = m->cap_spans ? 2 * m->cap_spans : 256;
		m->spans = xrealloc(m->spans, m->cap_spans * sizeof(*m->spans));
	}
	c = &m->spans[m->n_spans++];
	memset(c, 0, sizeof(*c));
	c->child = xstrdup(child);
	return c;
}

static void span_add(span_list *l, int32_t start, int32_t end, uint64_t seq)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = (plan_span){start, end, seq};
}

/* DESIGN 6.1.3: a referral is a decision of assessment or strategy. */
static void on_referral(measure_ctx *m, const store_episode *e, const json_t *detail, int32_t start)
{
	const char *decision = detail_str(detail, "decision");
	int i;

	if (!decision || (strcmp(decision, "assessment") != 0 && strcmp(decision, "strategy") != 0))
		return;
	if ((i = in_month(m, start)) >= 0) {
		hit(m, M_REFERRALS, i, e->child, e->start_seq, e->start_seq, 0, 0);
		if (m->last_referral != INT32_MIN &&
		    start <= date_add_months(m->last_referral, m->cfg->param[P_REPEAT_REFERRAL_MONTHS]))
			hit(m, M_REPEAT_REFERRALS, i, e->child, e->start_seq, m->last_referral_seq, e->start_seq, 0);
	}
	m->last_referral = start;
	m->last_referral_seq = e->start_seq;
}

/* An assessment counts in the month it is completed; the clock runs from
 * the referral decision before its start (from its start when none). */
static void on_assessment(measure_ctx *m, const store_episode *e, int32_t start, int32_t end)
{
	bool referred = m->last_referral != INT32_MIN && m->last_referral <= start;
	int32_t from = referred ? m->last_referral : start;
	uint64_t from_seq = referred ? m->last_referral_seq : 0;
	int i;

	if (!e->end_seq || (i = in_month(m, end)) < 0)
		return;
	hit(m, M_ASSESSMENTS, i, e->child, e->end_seq, from_seq, e->start_seq, e->end_seq);
	if (end <= calendar_add_wd(m->cfg->cal, from, m->cfg->param[P_ASSESSMENT_WD]))
		hit(m, M_ASSESSMENTS_IN_TIME, i, e->child, e->end_seq, from_seq, e->start_seq, e->end_seq);
}

static void on_s47(measure_ctx *m, const store_episode *e, const json_t *detail, int32_t start, int32_t end)
{
	s47_item *s;

	if (m->n_s47 == S47_KEPT) { /* keep the latest: an old one will not lead to a conference now */
		memmove(m->s47, m->s47 + 1, (S47_KEPT - 1) * sizeof(*m->s47));
		m->n_s47--;
	}
	s = &m->s47[m->n_s47++];
	*s = (s47_item){start, e->start_seq, e->end_seq, false, false};
	/* an enquiry that ended calling for no conference leads to none */
	s->no_icpc = end != INT32_MAX && json_is_false(json_object_get(detail, "icpc"));
}

/* DESIGN 6.1.10: an initial conference is timed from the strategy
 * discussion that started the s47 enquiry that led to it: the child's
 * latest enquiry started on or before the conference, not already
 * followed by an initial conference, and not ended with icpc false. */
static void on_conference(measure_ctx *m, const store_episode *e, const json_t *detail, int32_t day)
{
	const char *type = detail_str(detail, "type");
	s47_item *s = NULL;
	int i;

	if (!type || strcmp(type, "initial") != 0)
		return;
	for (size_t j = m->n_s47; j-- > 0;)
		if (!m->s47[j].used && !m->s47[j].no_icpc && m->s47[j].day <= day) {
			s = &m->s47[j];
			break;
		}
	if (!s)
		return; /* no enquiry led to it: not measured (docs/measures.md) */
	s->used = true;
	if ((i = in_month(m, day)) < 0)
		return;
	hit(m, M_ICPCS, i, e->child, e->start_seq, s->seq, s->end_seq < e->start_seq ? s->end_seq : 0, e->start_seq);
	if (day <= calendar_add_wd(m->cfg->cal, s->day, m->cfg->param[P_ICPC_WD]))
		hit(m, M_ICPCS_IN_TIME, i, e->child, e->start_seq, s->seq, s->end_seq < e->start_seq ? s->end_seq : 0,
		    e->start_seq);
}

static void on_plan(measure_ctx *m, const store_episode *e, int32_t start, int32_t end)
{
	uint64_t end_seq = end != INT32_MAX ? e->end_seq : 0;
	int i;

	m->plans++;
	if ((i = in_month(m, start)) >= 0) {
		hit(m, M_CP_STARTED, i, e->child, e->start_seq, e->start_seq, 0, 0);
		if (m->plans > 1)
			hit(m, M_SECOND_PLANS, i, e->child, e->start_seq, m->last_plan_seq, e->start_seq, 0);
	}
	for (i = 0; i < m->n; i++) {
		if (!live_at(m, i, start, end))
			continue;
		hit(m, M_CP_PLANS, i, e->child, e->start_seq, e->start_seq, 0, 0);
		if (date_add_months(start, m->cfg->param[P_PLAN_DRIFT_MONTHS]) <= m->ends[i])
			hit(m, M_CP_OVER_18, i, e->child, e->start_seq, e->start_seq, 0, 0);
		if (date_add_months(start, MEASURES_LONG_PLAN_MONTHS) <= m->ends[i])
			hit(m, M_CP_2Y_OPEN, i, e->child, e->start_seq, e->start_seq, 0, 0);
	}
	if (end_seq && (i = in_month(m, end)) >= 0) {
		hit(m, M_CP_ENDED, i, e->child, e->start_seq, e->start_seq, end_seq, 0);
		if (date_add_months(start, MEASURES_LONG_PLAN_MONTHS) <= end)
			hit(m, M_CP_ENDED_2Y, i, e->child, e->start_seq, e->start_seq, end_seq, 0);
	}
	m->last_plan_seq = e->start_seq;
	span_add(&spans_of(m, e->child)->cp, start, end, e->start_seq);
}

static void on_lac(measure_ctx *m, const store_episode *e, int32_t start, int32_t end)
{
	for (int i = 0; i < m->n; i++)
		if (live_at(m, i, start, end))
			hit(m, M_LOOKED_AFTER, i, e->child, e->start_seq, e->start_seq, 0, 0);
	span_add(&spans_of(m, e->child)->lac, start, end, e->start_seq);
}

static int measure_episode(void *ctx, const store_episode *e, sl_err *err)
{
	measure_ctx *m = ctx;
	int32_t start = date_day_or_none(e->start_day), end = e->end_seq ? date_day_or_none(e->end_day) : INT32_MAX;
	json_t *detail = NULL;
	(void)err;

	if (start == INT32_MIN || end == INT32_MIN)
		return 0; /* the projections hold valid days: nothing to count otherwise */
	note_day(m, start);
	if (end != INT32_MAX && end > m->ends[m->n - 1])
		end = INT32_MAX; /* ended after the as-of date: live then */
	if (strcmp(m->child, e->child) != 0) {
		snprintf(m->child, sizeof(m->child), "%s", e->child);
		m->last_referral = INT32_MIN;
		m->last_referral_seq = m->last_plan_seq = 0;
		m->plans = 0;
		m->n_s47 = 0;
	}
	if (e->detail && (strcmp(e->type, "referral") == 0 || strcmp(e->type, "s47") == 0 ||
	                  strcmp(e->type, "conference") == 0))
		detail = json_loads(e->detail, 0, NULL);
	if (strcmp(e->type, "referral") == 0)
		on_referral(m, e, detail, start);
	else if (strcmp(e->type, "assessment") == 0)
		on_assessment(m, e, start, end);
	else if (strcmp(e->type, "s47") == 0)
		on_s47(m, e, detail, start, end);
	else if (strcmp(e->type, "conference") == 0)
		on_conference(m, e, detail, start);
	else if (strcmp(e->type, "cp_plan") == 0)
		on_plan(m, e, start, end);
	else if (strcmp(e->type, "lac") == 0)
		on_lac(m, e, start, end);
	json_decref(detail);
	return 0;
}

/* ---- the visits pass ------------------------------------------------------------------------ */

/* One child's seen visits are in m->seen (by day): for each month end
 * where a span is live, was the child seen within the limit before it?
 * The clock starts at the span's start (DESIGN 6.1.9).  A plan's limit is
 * in working days, a looked-after child's in calendar days. */
static void seen_in_time(measure_ctx *m, const char *child, const span_list *l, int k, bool wd)
{
	for (int i = 0; i < m->n; i++) {
		int32_t at = m->ends[i], last;
		const plan_span *live = NULL;
		uint64_t visit = 0;
		bool ok;

		for (size_t j = 0; j < l->n; j++)
			if (live_at(m, i, l->v[j].start, l->v[j].end))
				live = &l->v[j];
		if (!live)
			continue;
		last = live->start;
		for (size_t j = 0; j < m->n_seen && m->seen[j].day <= at; j++)
			if (m->seen[j].day >= last) {
				last = m->seen[j].day;
				visit = m->seen[j].seq;
			}
		ok = wd ? calendar_wd_between(m->cfg->cal, last, at) <= m->cfg->param[P_VISIT_CP_WD]
		        : at - last <= m->cfg->param[P_VISIT_LAC_DAYS];
		if (ok)
			hit(m, k, i, child, live->seq, live->seq, visit, 0);
	}
}

static void spans_done(measure_ctx *m, child_spans *c)
{
	seen_in_time(m, c->child, &c->cp, M_CP_SEEN, true);
	seen_in_time(m, c->child, &c->lac, M_LAC_SEEN, false);
}

/* m->vchild's visits are all in m->seen: judge its spans.  Both scans
 * come by child id, so its spans are the next ones not yet judged. */
static void visited_done(measure_ctx *m)
{
	if (m->vchild[0] && m->span_at < m->n_spans && strcmp(m->spans[m->span_at].child, m->vchild) == 0)
		spans_done(m, &m->spans[m->span_at++]);
	m->n_seen = 0;
}

/* Judge the children with spans before `upto` (NULL: every one left):
 * they had no seen visit, so only a span younger than the limit is in
 * time. */
static void unvisited_before(measure_ctx *m, const char *upto)
{
	m->n_seen = 0;
	while (m->span_at < m->n_spans && (!upto || strcmp(m->spans[m->span_at].child, upto) < 0))
		spans_done(m, &m->spans[m->span_at++]);
}

static int measure_visit(void *ctx, const char *child, uint64_t seq, const char *day, sl_err *err)
{
	measure_ctx *m = ctx;
	int32_t d = date_day_or_none(day);
	(void)err;

	if (d == INT32_MIN)
		return 0;
	note_day(m, d);
	if (strcmp(m->vchild, child) != 0) {
		visited_done(m);
		unvisited_before(m, child);
		snprintf(m->vchild, sizeof(m->vchild), "%s", child);
	}
	if (m->n_seen == m->cap_seen) {
		m->cap_seen = m->cap_seen ? 2 * m->cap_seen : 64;
		m->seen = xrealloc(m->seen, m->cap_seen * sizeof(*m->seen));
	}
	m->seen[m->n_seen++] = (visit_day){d, seq};
	return 0;
}

/* ---- allocations and alerts ------------------------------------------------------------------ */

static int measure_allocation(void *ctx, const store_allocation_span *a, sl_err *err)
{
	measure_ctx *m = ctx;
	int32_t from = date_day_or_none(a->from_day), to = a->to_seq ? date_day_or_none(a->to_day) : INT32_MAX;
	size_t len = strlen(a->worker);
	uint64_t seen;
	json_t *item;
	(void)err;

	if (from == INT32_MIN || to == INT32_MIN)
		return 0;
	note_day(m, from);
	for (int i = 0; i < m->n; i++) {
		if (!live_at(m, i, from, to))
			continue;
		if ((item = hit(m, M_ALLOCATED, i, a->child, a->seq, a->seq, 0, 0)))
			json_object_set_new(item, "worker", json_string(a->worker));
		if (!hmap_get(&m->workers[i], a->worker, len, &seen)) {
			hmap_put(&m->workers[i], a->worker, len, 1);
			m->v[M_WORKERS][i]++;
		}
	}
	return 0;
}

static int code_index(measure_ctx *m, const char *code)
{
	for (int c = 0; c < m->n_codes; c++)
		if (strcmp(m->codes[c], code) == 0)
			return c;
	if (m->n_codes == CODES_MAX || strlen(code) > VOCAB_MAX_ID)
		return -1;
	snprintf(m->codes[m->n_codes], sizeof(m->codes[0]), "%s", code);
	return m->n_codes++;
}

static void alert_item(measure_ctx *m, const store_alert_row *r)
{
	uint64_t ev = r->a.seq;
	json_t *item = json_pack("{s:s?, s:I, s:[I], s:s}", "child", r->a.child, "seq", (json_int_t)ev, "evidence",
	                         (json_int_t)ev, "code", r->a.code);
	json_array_append_new(m->alert_items, item);
}

static int measure_alert(void *ctx, const store_alert_row *r, sl_err *err)
{
	measure_ctx *m = ctx;
	int32_t raised = date_day_or_none(r->a.raised_on), resolved = r->resolved.seq ? date_day_or_none(r->resolved.day) : INT32_MAX;
	int c = code_index(m, r->a.code), i;
	(void)err;

	if (raised == INT32_MIN || resolved == INT32_MIN || c < 0)
		return 0;
	note_day(m, raised);
	for (i = 0; i < m->n; i++)
		if (live_at(m, i, raised, resolved)) {
			m->open[c][i]++;
			if (m->alert_items && m->want_open && m->want_code == c)
				alert_item(m, r);
		}
	if ((i = in_month(m, raised)) >= 0) {
		m->raised[c][i]++;
		if (m->alert_items && !m->want_open && m->want_code == c)
			alert_item(m, r);
	}
	return 0;
}

/* ---- the pass ------------------------------------------------------------------------------- */

static measure_ctx *ctx_new(app *a, int first, int n, int32_t as_of)
{
	measure_ctx *m = xcalloc(1, sizeof(*m));

	m->cfg = a->rules_cfg;
	m->first = first;
	m->n = n;
	m->first_day = INT32_MAX;
	m->last_referral = INT32_MIN;
	m->want_code = -1;
	for (int i = 0; i < n; i++) {
		int y = (first + i) / 12, mo = (first + i) % 12 + 1;
		int32_t end = date_from_ymd(y, mo, date_days_in_month(y, mo));
		m->ends[i] = end < as_of ? end : as_of;
		m->workers[i] = (hmap)HMAP_INIT;
	}
	/* every rule's code, in DESIGN 6's order, so the columns are stable */
	for (int c = 0; c < RULE_COUNT; c++)
		code_index(m, rule_name((rule_code)c));
	return m;
}

static void ctx_free(measure_ctx *m)
{
	if (!m)
		return;
	for (int k = 0; k < M_COUNT; k++)
		json_decref(m->items[k]);
	json_decref(m->alert_items);
	for (size_t j = 0; j < m->n_spans; j++) {
		free(m->spans[j].child);
		free(m->spans[j].cp.v);
		free(m->spans[j].lac.v);
	}
	free(m->spans);
	free(m->seen);
	for (int i = 0; i < m->n; i++)
		hmap_free(&m->workers[i]);
	free(m);
}

static int run(app *a, measure_ctx *m, sl_err *err)
{
	store_alert_query q = {NULL, NULL, NULL, NULL, true, 0};
	int rc;

	if ((rc = store_episodes_of_types(a->store, "[\"referral\",\"assessment\",\"s47\",\"conference\",\"cp_plan\",\"lac\"]",
	                                  measure_episode, m, err)) ||
	    (rc = store_seen_visits_of(a->store, "[\"cp_plan\",\"lac\"]", measure_visit, m, err)))
		return rc;
	visited_done(m); /* the last child with visits, and any after it with none */
	unvisited_before(m, NULL);
	if ((rc = store_allocations_all(a->store, measure_allocation, m, err)) ||
	    (rc = store_alerts(a->store, &q, measure_alert, m, err)))
		return rc;
	return 0;
}

/* The as-of date may not be before the first event the measures read. */
static int check_first(const measure_ctx *m, int32_t as_of, const char *text, const char **param, sl_err *err)
{
	buf b = BUF_INIT;
	int rc = 0;

	if (m->first_day != INT32_MAX && as_of < m->first_day) {
		date_format_day(&b, m->first_day);
		rc = param_fail(param, "as_of", err, SL_EINVAL, "%s is before the first event the measures read (%s)",
		                text ? text : "", b.data);
	}
	buf_release(&b);
	return rc;
}

/* part / whole to one decimal, rounded down (as a percentage when pct);
 * null when whole is 0. */
static json_t *ratio(uint64_t part, uint64_t whole, bool pct)
{
	if (!whole)
		return json_null();
	return json_real((double)((pct ? 1000 : 10) * part / whole) / 10.0);
}

static json_t *value_of(const measure_ctx *m, const measure_def *d, int i)
{
	if (d->kind == COUNT)
		return json_integer((json_int_t)m->v[d->k][i]);
	return ratio(m->v[d->k][i], m->v[d->whole][i], d->kind == SHARE);
}

static void month_label(int month, char *out, size_t size)
{
	snprintf(out, size, "%04d-%02d", month / 12, month % 12 + 1);
}

int measures_monthly(app *a, const char *as_of, const char *months, json_t **out, const char **param,
                     sl_err *err)
{
	measure_ctx *m = NULL;
	json_t *names, *series, *open, *raised, *row;
	int32_t day;
	int n, rc;
	char label[16];
	buf b = BUF_INIT;

	*out = NULL;
	if (param)
		*param = NULL;
	if ((rc = parse_as_of(a, as_of, &day, param, err)) || (rc = parse_months(months, &n, param, err)))
		return rc;
	m = ctx_new(a, month_of(day) - (n - 1), n, day);
	if ((rc = run(a, m, err)) || (rc = check_first(m, day, as_of, param, err)))
		goto done;
	names = json_array();
	series = json_object();
	open = json_object();
	raised = json_object();
	for (int i = 0; i < n; i++) {
		month_label(m->first + i, label, sizeof(label));
		json_array_append_new(names, json_string(label));
	}
	for (size_t d = 0; d < SL_ARRAY_LEN(defs); d++) {
		row = json_array();
		for (int i = 0; i < n; i++)
			json_array_append_new(row, value_of(m, &defs[d], i));
		json_object_set_new(series, defs[d].name, row);
	}
	for (int c = 0; c < m->n_codes; c++) {
		json_t *o = json_array(), *r = json_array();
		for (int i = 0; i < n; i++) {
			json_array_append_new(o, json_integer((json_int_t)m->open[c][i]));
			json_array_append_new(r, json_integer((json_int_t)m->raised[c][i]));
		}
		json_object_set_new(open, m->codes[c], o);
		json_object_set_new(raised, m->codes[c], r);
	}
	date_format_day(&b, day);
	*out = json_pack("{s:s, s:o, s:o, s:o, s:o}", "as_of", b.data, "months", names, "series", series, "open_alerts",
	                 open, "alerts_raised", raised);
done:
	buf_release(&b);
	ctx_free(m);
	return rc;
}

/* ---- the children behind a figure ------------------------------------------------------------ */

static const measure_def *def_named(const char *name)
{
	for (size_t d = 0; d < SL_ARRAY_LEN(defs); d++)
		if (strcmp(defs[d].name, name) == 0)
			return &defs[d];
	return NULL;
}

/* A share's items are its denominator's: mark those its numerator
 * counted too (the same child and unit). */
static void mark_counted(json_t *items, const json_t *part)
{
	json_t *keys = json_object(), *item;
	size_t i;
	char key[VOCAB_MAX_ID + 32];

	json_array_foreach(part, i, item) {
		snprintf(key, sizeof(key), "%s|%lld", json_string_value(json_object_get(item, "child")),
		         (long long)json_integer_value(json_object_get(item, "seq")));
		json_object_set_new(keys, key, json_true());
	}
	json_array_foreach(items, i, item) {
		snprintf(key, sizeof(key), "%s|%lld", json_string_value(json_object_get(item, "child")),
		         (long long)json_integer_value(json_object_get(item, "seq")));
		json_object_set_new(item, "counted", json_boolean(json_object_get(keys, key) != NULL));
	}
	json_decref(keys);
}

int measures_children(app *a, const char *name, const char *month, const char *as_of, json_t **out,
                      const char **param, sl_err *err)
{
	const measure_def *d = NULL;
	measure_ctx *m = NULL;
	json_t *items, *value;
	int32_t day;
	int mon = 0, rc, code = -1;
	bool open = false;
	char label[16];
	buf b = BUF_INIT, e = BUF_INIT;

	*out = NULL;
	if (param)
		*param = NULL;
	if (absent(name))
		return param_fail(param, "name", err, SL_ENOTFOUND, "required: a measure's name");
	if ((rc = parse_as_of(a, as_of, &day, param, err)) || (rc = parse_month(month, &mon, param, err)))
		return rc;
	if (mon > month_of(day)) {
		date_format_day(&b, day);
		rc = param_fail(param, "month", err, SL_EINVAL, "%s is after the as-of date (%s)", month, b.data);
		goto done;
	}
	m = ctx_new(a, mon, 1, day);
	if (!(d = def_named(name))) {
		bool is_open = strncmp(name, OPEN_PREFIX, strlen(OPEN_PREFIX)) == 0;
		bool is_raised = strncmp(name, RAISED_PREFIX, strlen(RAISED_PREFIX)) == 0;
		if (is_open || is_raised)
			for (int c = 0; c < RULE_COUNT; c++)
				if (strcmp(name + strlen(is_open ? OPEN_PREFIX : RAISED_PREFIX), m->codes[c]) == 0)
					code = c;
		if (code < 0) {
			rc = param_fail(param, "name", err, SL_ENOTFOUND,
			                "no measure named \"%.80s\" (see GET /api/v1/measures for the names)", name);
			goto done;
		}
		open = is_open;
		m->want_code = code;
		m->want_open = open;
		m->alert_items = json_array();
	} else {
		m->items[d->list] = json_array();
		if (d->kind == SHARE)
			m->items[d->k] = json_array();
	}
	if ((rc = run(a, m, err)) || (rc = check_first(m, day, as_of, param, err)))
		goto done;
	if (m->first_day != INT32_MAX && mon < month_of(m->first_day)) {
		date_format_day(&e, m->first_day);
		rc = param_fail(param, "month", err, SL_EINVAL, "%s is before the first event the measures read (%s)", month,
		                e.data);
		goto done;
	}
	month_label(mon, label, sizeof(label));
	date_format_day(&b, day);
	date_format_day(&e, m->ends[0]);
	if (d) {
		items = m->items[d->list];
		value = value_of(m, d, 0);
		if (d->kind == SHARE)
			mark_counted(items, m->items[d->k]);
	} else {
		items = m->alert_items;
		value = json_integer((json_int_t)(open ? m->open[code][0] : m->raised[code][0]));
	}
	*out = json_pack("{s:s, s:s, s:s, s:s, s:o, s:O}", "measure", name, "month", label, "as_of", b.data, "month_end",
	                 e.data, "value", value, "children", items);
	if (d && d->kind == SHARE) {
		json_object_set_new(*out, "numerator", json_integer((json_int_t)m->v[d->k][0]));
		json_object_set_new(*out, "denominator", json_integer((json_int_t)m->v[d->whole][0]));
	}
done:
	buf_release(&b);
	buf_release(&e);
	ctx_free(m);
	return rc;
}

/* ---- CSV ----------------------------------------------------------------------------------- */

/* RFC 4180: quote a field holding a comma, a quote or a line break, and
 * double the quotes inside. */
static void csv_field(buf *out, const char *text)
{
	if (!strpbrk(text, ",\"\r\n")) {
		buf_puts(out, text);
		return;
	}
	buf_putc(out, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

static void csv_value(buf *out, const json_t *v)
{
	if (json_is_integer(v))
		buf_printf(out, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(out, "%.1f", json_real_value(v));
	else if (json_is_true(v))
		buf_puts(out, "true");
	else if (json_is_false(v))
		buf_puts(out, "false");
	else if (json_is_string(v))
		csv_field(out, json_string_value(v));
	/* null: an empty field */
}

void measures_csv(const json_t *monthly, buf *out)
{
	static const char *const groups[] = {"open_alerts", "alerts_raised"};
	const json_t *months = json_object_get(monthly, "months"), *series = json_object_get(monthly, "series");
	const char *key;
	json_t *row;
	buf name = BUF_INIT;

	buf_puts(out, "month");
	for (size_t d = 0; d < SL_ARRAY_LEN(defs); d++) {
		buf_putc(out, ',');
		csv_field(out, defs[d].name);
	}
	for (size_t g = 0; g < SL_ARRAY_LEN(groups); g++)
		json_object_foreach((json_t *)json_object_get(monthly, groups[g]), key, row) {
			buf_reset(&name);
			buf_printf(&name, "%s.%s", groups[g], key);
			buf_putc(out, ',');
			csv_field(out, name.data);
		}
	buf_puts(out, "\r\n");
	for (size_t i = 0; i < json_array_size(months); i++) {
		csv_field(out, json_string_value(json_array_get(months, i)));
		for (size_t d = 0; d < SL_ARRAY_LEN(defs); d++) {
			buf_putc(out, ',');
			csv_value(out, json_array_get(json_object_get(series, defs[d].name), i));
		}
		for (size_t g = 0; g < SL_ARRAY_LEN(groups); g++)
			json_object_foreach((json_t *)json_object_get(monthly, groups[g]), key, row) {
				buf_putc(out, ',');
				csv_value(out, json_array_get(row, i));
			}
		buf_puts(out, "\r\n");
	}
	buf_release(&name);
}

void measures_children_csv(const json_t *children, buf *out)
{
	const json_t *items = json_object_get(children, "children"), *item, *seq;
	size_t i, j;

	buf_puts(out, "measure,month,child,seq,evidence,counted,worker,code\r\n");
	json_array_foreach(items, i, item) {
		csv_value(out, json_object_get(children, "measure"));
		buf_putc(out, ',');
		csv_value(out, json_object_get(children, "month"));
		buf_putc(out, ',');
		csv_value(out, json_object_get(item, "child"));
		buf_putc(out, ',');
		csv_value(out, json_object_get(item, "seq"));
		buf_putc(out, ',');
		json_array_foreach(json_object_get(item, "evidence"), j, seq)
			buf_printf(out, "%s%lld", j ? " " : "", (long long)json_integer_value(seq));
		buf_putc(out, ',');
		csv_value(out, json_object_get(item, "counted"));
		buf_putc(out, ',');
		csv_value(out, json_object_get(item, "worker"));
		buf_putc(out, ',');
		csv_value(out, json_object_get(item, "code"));
		buf_puts(out, "\r\n");
	}
}
