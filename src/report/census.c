/*
 * census.c - the children in need census model of census.h: the year's
 * scope and every CINdetails item, derived from the casefile.
 *
 * One pass over the children.  For each child the episodes of need are
 * found first (a case episode with the referral that opened it, or an NFA
 * referral), then every assessment, CIN plan, section 47 enquiry and child
 * protection plan is given to the episode whose span [referral date,
 * closure date] holds its start, and kept when the specification's scope
 * rules for that module take it into the year (census.h lists them).
 *
 * Storage: one growable array per module for the whole return.  An episode
 * first records where its modules start in those arrays (indexes, since
 * the arrays move as they grow); census_build turns the indexes into
 * pointers once everything is built, and nothing grows after that.
 */
#include "util/common.h"

#include "report/census.h"
#include "util/date.h"

/* The collection years whose specification is built in. */
static const struct {
	const char *name;
	int collection_year;
} known_years[] = {
	{"2025-26", 2026}, /* Children in need census 2025 to 2026, spec v1.0 (Nov 2024) */
};

/* Working days from the start of a section 47 enquiry to its initial
 * conference target: the specification's InitialCPCtarget (Working
 * Together 2023: within 15 working days of the strategy discussion). */
#define ICPC_TARGET_WD 15

/* A growable array of T: `n` used, `cap` allocated. */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec) \
	((vec).n == (vec).cap ? vec_grow((void **)&(vec).v, &(vec).cap, sizeof(*(vec).v)) : (void)0, \
	 &(vec).v[(vec).n++])

static void vec_grow(void **v, size_t *cap, size_t size)
{
	*cap = *cap ? *cap * 2 : 16;
	*v = xrealloc(*v, *cap * size);
}

/* Where an episode's modules start in the return's arrays. */
typedef struct module_idx {
	size_t assessments, cin_plans, s47s, plans;
} module_idx;

/* An episode while it is built. */
typedef struct pending {
	census_episode e;
	module_idx first;
} pending;
typedef VEC(pending) pending_vec;

struct census {
	census_year year;
	casefile *cf; /* census_load's: owned; NULL after census_build */
	VEC(census_child) children;
	VEC(census_episode) episodes;
	VEC(census_assessment) assessments;
	VEC(census_cin_plan) cin_plans;
	VEC(census_s47) s47s;
	VEC(census_cp_plan) plans;
	VEC(census_review) reviews;
	/* Until the fix-up: each plan's first review, each episode's first
	 * modules, each child's first episode. */
	VEC(size_t) plan_reviews;
	VEC(module_idx) episode_first;
	VEC(size_t) child_first;
	census_totals totals;
};

int census_year_find(const char *name, census_year *out, sl_err *err)
{
	size_t i;
	int y1, y2;

	if (!name || strlen(name) != 7 || name[4] != '-' || sscanf(name, "%4d-%2d", &y1, &y2) != 2 ||
	    strspn(name, "0123456789") != 4 || strspn(name + 5, "0123456789") != 2 || (y1 + 1) % 100 != y2)
		return sl_fail(err, SL_EINVAL, "`--year`: `%s` is not a collection year: expected YYYY-YY such as 2025-26",
		               name ? name : "");
	for (i = 0; i < SL_ARRAY_LEN(known_years); i++) {
		if (strcmp(known_years[i].name, name) != 0)
			continue;
		out->name = known_years[i].name;
		out->collection_year = known_years[i].collection_year;
		out->start = date_from_ymd(y1, 4, 1);
		out->end = date_from_ymd(y1 + 1, 3, 31);
		return 0;
	}
	return sl_fail(err, SL_EINVAL,
	               "`--year`: no census specification for %s is built in (known: %s); each year's items and "
	               "codes differ, so a return for another year cannot be made from this one's",
	               name, known_years[0].name);
}

int census_la_check(const char *la, sl_err *err)
{
	if (!la || strlen(la) != 3 || strspn(la, "0123456789") != 3)
		return sl_fail(err, SL_EINVAL, "`--la`: `%s` is not a local authority code: expected 3 digits such as 202",
		               la ? la : "");
	return 0;
}

int census_covers(const casefile *cf, const census_year *y, sl_err *err)
{
	int32_t first = casefile_first_day(cf), last = casefile_last_day(cf);
	buf a = BUF_INIT, b = BUF_INIT, l = BUF_INIT;
	int rc = 0;

	date_format_day(&a, y->start);
	date_format_day(&b, y->end);
	if (first == CF_NONE || first > y->end) {
		rc = sl_fail(err, SL_EINVAL, "`--year`: %s (%s to %s) is outside the record: nothing occurred on or before %s",
		             y->name, a.data, b.data, b.data);
	} else if (last < y->start) {
		date_format_day(&l, last);
		rc = sl_fail(err, SL_EINVAL, "`--year`: %s (%s to %s) is outside the record, whose last event occurred on %s",
		             y->name, a.data, b.data, l.data);
	}
	buf_release(&a);
	buf_release(&b);
	buf_release(&l);
	return rc;
}

/* ---- scope ----------------------------------------------------------------- */

static bool in_year(const census_year *y, int32_t day)
{
	return day != CENSUS_NONE && day >= y->start && day <= y->end;
}

/* An end day as the return sees it: after the reference date it has not
 * happened yet. */
static int32_t seen_end(const census_year *y, uint64_t seq, int32_t day)
{
	return seq == 0 || day == CENSUS_NONE || day > y->end ? CENSUS_NONE : day;
}

/* Open at any time in the year: started by its end, not ended before its start. */
static bool open_in_year(const census_year *y, int32_t start, int32_t end)
{
	return start != CENSUS_NONE && start <= y->end && (end == CENSUS_NONE || end >= y->start);
}

/* The episode index (into eps) whose span holds day, or -1.  The latest
 * such episode wins: a closure and a new referral on one day hand the
 * day's later work to the new episode. */
static long episode_for(const pending *eps, size_t n, int32_t day)
{
	long found = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		const census_episode *e = &eps[i].e;

		if (e->nfa || day < e->referral)
			continue;
		if (e->closure != CENSUS_NONE && day > e->closure)
			continue;
		found = (long)i;
	}
	return found;
}

/* ---- episodes ---------------------------------------------------------------- */

static const cf_contact *opening_contact(const cf_child *ch, const cf_case *cs)
{
	size_t i;

	if (cs->span.start_seq == 0)
		return NULL;
	for (i = 0; i < ch->n_contacts; i++)
		if (ch->contacts[i].decision_seq == cs->span.start_seq)
			return &ch->contacts[i];
	return NULL;
}

static void episode_from_case(const census_year *y, const cf_child *ch, const cf_case *cs, census_episode *e)
{
	const cf_contact *c = opening_contact(ch, cs);

	memset(e, 0, sizeof(*e));
	if (c) {
		e->referral = c->day;
		e->referral_seq = c->seq ? c->seq : c->decision_seq;
		e->source = c->source;
		e->source_seq = c->source[0] ? c->seq : 0;
		e->primary_need = c->primary_need;
		e->primary_need_seq = c->primary_need[0] ? c->decision_seq : 0;
		e->nfa_seq = c->decision_seq;
	} else {
		/* Opened by work with no referral on record (6.1.3): the case's
		 * first event stands for the referral; the source is unknown. */
		e->referral = cs->span.start_day;
		e->referral_seq = cs->span.start_seq;
		e->source = "";
		e->primary_need = "";
	}
	e->closure = seen_end(y, cs->span.end_seq, cs->span.end_day);
	e->closure_seq = e->closure == CENSUS_NONE ? 0 : cs->span.end_seq;
	e->closure_reason = e->closure == CENSUS_NONE ? "" : cs->span.end_detail;
	e->closure_reason_seq = e->closure_reason[0] ? cs->span.end_seq : 0;
	e->initial_cpc = CENSUS_NONE;
	e->nfa = false;
}

/* A referral decided nfa: closed when decided, with no further action
 * (RC8, the list's "no further action"; docs/census.md says why). */
static void episode_from_nfa(const cf_contact *c, census_episode *e)
{
	memset(e, 0, sizeof(*e));
	e->referral = c->day;
	e->referral_seq = c->seq ? c->seq : c->decision_seq;
	e->source = c->source;
	e->source_seq = c->source[0] ? c->seq : 0;
	e->primary_need = c->primary_need;
	e->primary_need_seq = c->primary_need[0] ? c->decision_seq : 0;
	e->closure = c->decision_day;
	e->closure_seq = c->decision_seq;
	e->closure_reason = "RC8";
	e->closure_reason_seq = c->decision_seq;
	e->initial_cpc = CENSUS_NONE;
	e->nfa = true;
	e->nfa_seq = c->decision_seq;
}

static int pending_cmp(const void *pa, const void *pb)
{
	const census_episode *a = &((const pending *)pa)->e, *b = &((const pending *)pb)->e;

	if (a->referral != b->referral)
		return a->referral < b->referral ? -1 : 1;
	return a->referral_seq < b->referral_seq ? -1 : a->referral_seq > b->referral_seq;
}

/* ---- modules ----------------------------------------------------------------- */

static void add_assessment(census *c, const cf_assessment *a)
{
	census_assessment *o = VEC_PUSH(c->assessments);
	int32_t done = seen_end(&c->year, a->completed_seq, a->authorised_day);

	memset(o, 0, sizeof(*o));
	o->start = a->start_day;
	o->start_seq = a->start_seq ? a->start_seq : a->completed_seq;
	o->authorised = done;
	o->authorised_seq = done == CENSUS_NONE ? 0 : a->completed_seq;
	if (done != CENSUS_NONE) {
		o->factors = a->factors;
		o->n_factors = a->n_factors;
		o->factors_seq = a->n_factors ? a->completed_seq : 0;
	}
}

/* Assessments authorised in the year, or not authorised by its end. */
static bool assessment_in_scope(const census_year *y, const cf_assessment *a)
{
	int32_t done = seen_end(y, a->completed_seq, a->authorised_day);

	if (a->start_day == CENSUS_NONE || a->start_day > y->end)
		return false;
	return done == CENSUS_NONE || in_year(y, done);
}

/* Started in the year, or its initial conference was, or it was still
 * running on the first day with no conference before it (8715: a
 * conference reported in Section47 falls in the year). */
static bool s47_in_scope(const census_year *y, const cf_s47 *s)
{
	int32_t icpc = s->icpc_seq ? s->icpc_day : CENSUS_NONE;
	int32_t done = seen_end(y, s->completed_seq, s->completed_day);

	if (s->start_day == CENSUS_NONE || s->start_day > y->end)
		return false;
	if (icpc != CENSUS_NONE && icpc <= y->end)
		return icpc >= y->start;
	return s->start_day >= y->start || done == CENSUS_NONE || done >= y->start;
}

static void add_s47(census *c, const calendar *cal, const cf_s47 *s)
{
	census_s47 *o = VEC_PUSH(c->s47s);
	int32_t done = seen_end(&c->year, s->completed_seq, s->completed_day);

	memset(o, 0, sizeof(*o));
	o->start = s->start_day;
	o->start_seq = s->strategy_seq;
	o->icpc_target = calendar_add_wd(cal, s->start_day, ICPC_TARGET_WD);
	o->icpc = s->icpc_seq && s->icpc_day <= c->year.end ? s->icpc_day : CENSUS_NONE;
	o->icpc_seq = o->icpc == CENSUS_NONE ? 0 : s->icpc_seq;
	if (o->icpc != CENSUS_NONE) {
		o->icpc_not_required = 0;
		o->icpc_not_required_seq = o->icpc_seq;
	} else if (done != CENSUS_NONE && s->icpc_needed >= 0) {
		o->icpc_not_required = s->icpc_needed == 0;
		o->icpc_not_required_seq = s->completed_seq;
	} else {
		o->icpc_not_required = -1;
	}
}

static void add_cp_plan(census *c, const cf_cp_plan *p)
{
	const census_year *y = &c->year;
	census_cp_plan *o = VEC_PUSH(c->plans);
	size_t i, first = c->reviews.n;

	memset(o, 0, sizeof(*o));
	o->start = p->start_day;
	o->start_seq = p->start_seq;
	o->end = seen_end(y, p->end_seq, p->end_day);
	o->end_seq = o->end == CENSUS_NONE ? 0 : p->end_seq;
	o->initial_category = "";
	o->latest_category = "";
	for (i = 0; i < p->n_categories; i++) {
		const cf_category *k = &p->categories[i];

		if (k->day > y->end)
			break;
		if (i == 0) {
			o->initial_category = k->code;
			o->initial_category_seq = k->seq;
		}
		o->latest_category = k->code;
		o->latest_category_seq = k->seq;
	}
	o->previous = p->previous;
	o->previous_seq = p->start_seq;
	for (i = 0; i < p->n_reviews; i++) {
		const cf_category *r = &p->reviews[i];
		census_review *v;

		if (!in_year(y, r->day) || (o->end != CENSUS_NONE && r->day > o->end))
			continue;
		v = VEC_PUSH(c->reviews);
		v->day = r->day;
		v->seq = r->seq;
	}
	*VEC_PUSH(c->plan_reviews) = first;
	o->n_reviews = c->reviews.n - first;
}

/* Is the conference `seq` the initial conference of one of the episode's
 * returned Section47 groups? */
static bool icpc_of_returned_s47(const census *c, const pending *p, uint64_t seq)
{
	for (size_t i = p->first.s47s; i < c->s47s.n; i++)
		if (c->s47s.v[i].icpc_seq == seq)
			return true;
	return false;
}

/* The modules of one child's episodes, in the module order of each list
 * (DESIGN 6.1.2), grouped by episode. */
static void add_modules(census *c, const calendar *cal, const cf_child *ch, pending *eps, size_t n_eps)
{
	const census_year *y = &c->year;
	size_t i, k;

	for (k = 0; k < n_eps; k++) {
		pending *p = &eps[k];

		p->first.assessments = c->assessments.n;
		for (i = 0; i < ch->n_assessments; i++)
			if (episode_for(eps, n_eps, ch->assessments[i].start_day) == (long)k &&
			    assessment_in_scope(y, &ch->assessments[i]))
				add_assessment(c, &ch->assessments[i]);
		p->e.n_assessments = c->assessments.n - p->first.assessments;

		p->first.cin_plans = c->cin_plans.n;
		for (i = 0; i < ch->n_cin_plans; i++) {
			const cf_span *s = &ch->cin_plans[i];
			int32_t end = seen_end(y, s->end_seq, s->end_day);
			census_cin_plan *o;

			if (episode_for(eps, n_eps, s->start_day) != (long)k || !open_in_year(y, s->start_day, end))
				continue;
			o = VEC_PUSH(c->cin_plans);
			o->start = s->start_day;
			o->start_seq = s->start_seq;
			o->end = end;
			o->end_seq = end == CENSUS_NONE ? 0 : s->end_seq;
		}
		p->e.n_cin_plans = c->cin_plans.n - p->first.cin_plans;

		p->first.s47s = c->s47s.n;
		for (i = 0; i < ch->n_s47s; i++) {
			const cf_s47 *s = &ch->s47s[i];

			if (episode_for(eps, n_eps, s->start_day) != (long)k)
				continue;
			/* Its conference is reported in the Section47 group;
			 * the CINdetails item is for conferences that follow no
			 * enquiry in the return (2884: never both). */
			if (s47_in_scope(y, s))
				add_s47(c, cal, s);
		}
		p->e.n_s47s = c->s47s.n - p->first.s47s;

		p->first.plans = c->plans.n;
		for (i = 0; i < ch->n_plans; i++) {
			const cf_cp_plan *pl = &ch->plans[i];
			int32_t end = seen_end(y, pl->end_seq, pl->end_day);

			if (episode_for(eps, n_eps, pl->start_day) != (long)k)
				continue;
			/* An initial conference that followed no enquiry of the
			 * return dates the episode's conference instead. */
			if (pl->initial && in_year(y, pl->start_day) && !icpc_of_returned_s47(c, p, pl->start_seq) &&
			    (p->e.initial_cpc == CENSUS_NONE || pl->start_day < p->e.initial_cpc)) {
				p->e.initial_cpc = pl->start_day;
				p->e.initial_cpc_seq = pl->start_seq;
			}
			if (open_in_year(y, pl->start_day, end))
				add_cp_plan(c, pl);
		}
		p->e.n_plans = c->plans.n - p->first.plans;
	}
}

/* ---- the child ---------------------------------------------------------------- */

static void add_child(census *c, const calendar *cal, const cf_child *ch, pending_vec *eps)
{
	const census_year *y = &c->year;
	size_t i, first;

	eps->n = 0;
	for (i = 0; i < ch->n_cases; i++)
		episode_from_case(y, ch, &ch->cases[i], &VEC_PUSH(*eps)->e);
	for (i = 0; i < ch->n_contacts; i++)
		if (ch->contacts[i].decision_seq && strcmp(ch->contacts[i].decision, "nfa") == 0 &&
		    ch->contacts[i].decision_day <= y->end)
			episode_from_nfa(&ch->contacts[i], &VEC_PUSH(*eps)->e);
	if (eps->n == 0)
		return;
	qsort(eps->v, eps->n, sizeof(*eps->v), pending_cmp);
	add_modules(c, cal, ch, eps->v, eps->n);

	first = c->episodes.n;
	for (i = 0; i < eps->n; i++) {
		pending *p = &eps->v[i];
		bool keep = p->e.nfa ? in_year(y, p->e.referral) : open_in_year(y, p->e.referral, p->e.closure);
		census_episode *e;

		if (!keep)
			continue;
		e = VEC_PUSH(c->episodes);
		*e = p->e;
		*VEC_PUSH(c->episode_first) = p->first;
	}
	if (c->episodes.n > first) {
		census_child *o = VEC_PUSH(c->children);

		o->cf = ch;
		o->episodes = NULL; /* census_build points it */
		o->n_episodes = c->episodes.n - first;
		*VEC_PUSH(c->child_first) = first;
	}
}

/* Turn the build's indexes into pointers, and count. */
static void fix_up(census *c)
{
	census_totals *t = &c->totals;
	size_t i;

	for (i = 0; i < c->plans.n; i++) {
		census_cp_plan *p = &c->plans.v[i];

		p->reviews = p->n_reviews ? c->reviews.v + c->plan_reviews.v[i] : NULL;
		t->reviews += p->n_reviews;
	}
	for (i = 0; i < c->episodes.n; i++) {
		census_episode *e = &c->episodes.v[i];
		const module_idx *m = &c->episode_first.v[i];

		e->assessments = e->n_assessments ? c->assessments.v + m->assessments : NULL;
		e->cin_plans = e->n_cin_plans ? c->cin_plans.v + m->cin_plans : NULL;
		e->s47s = e->n_s47s ? c->s47s.v + m->s47s : NULL;
		e->plans = e->n_plans ? c->plans.v + m->plans : NULL;
		t->nfa += e->nfa;
	}
	for (i = 0; i < c->children.n; i++)
		c->children.v[i].episodes = c->episodes.v + c->child_first.v[i];
	t->children = c->children.n;
	t->episodes = c->episodes.n;
	t->assessments = c->assessments.n;
	t->cin_plans = c->cin_plans.n;
	t->s47s = c->s47s.n;
	t->plans = c->plans.n;
}

int census_build(const casefile *cf, const census_year *y, const calendar *cal, census **out, sl_err *err)
{
	pending_vec eps = {0};
	census *c;
	size_t i, n = casefile_count(cf);

	(void)err;
	c = xcalloc(1, sizeof(*c));
	c->year = *y;
	for (i = 0; i < n; i++)
		add_child(c, cal, casefile_child(cf, i), &eps);
	free(eps.v);
	fix_up(c);
	*out = c;
	return 0;
}

void census_free(census *c)
{
	if (!c)
		return;
	free(c->children.v);
	free(c->episodes.v);
	free(c->assessments.v);
	free(c->cin_plans.v);
	free(c->s47s.v);
	free(c->plans.v);
	free(c->reviews.v);
	free(c->plan_reviews.v);
	free(c->episode_first.v);
	free(c->child_first.v);
	casefile_free(c->cf);
	free(c);
}

int census_load(app *a, const census_year *y, census **out, sl_err *err)
{
	casefile_opts co = {y->end};
	casefile *cf = NULL;
	int rc;

	*out = NULL;
	if ((rc = casefile_load(a, &co, &cf, err)) || (rc = census_covers(cf, y, err)) ||
	    (rc = census_build(cf, y, app_rules_config(a)->cal, out, err))) {
		casefile_free(cf);
		return rc;
	}
	(*out)->cf = cf;
	return 0;
}

uint64_t census_events_read(const census *c)
{
	return c->cf ? casefile_events_read(c->cf) : 0;
}

const census_year *census_get_year(const census *c)
{
	return &c->year;
}

size_t census_count(const census *c)
{
	return c->children.n;
}

const census_child *census_child_at(const census *c, size_t i)
{
	assert(i < c->children.n);
	return &c->children.v[i];
}

void census_get_totals(const census *c, census_totals *t)
{
	*t = c->totals;
}
