/*
 * casefile.c - the returns' model of every child's casework, folded from
 * one scan of the ledger.  See casefile.h for what folds into what.
 *
 * The load runs in three steps:
 *   1. scan the ledger in seq order; each event of a kind a return counts
 *      becomes a compact `fact` (its seq, occurred_at, the child's index,
 *      and the two or three values the fold needs, interned), so a
 *      million-event authority costs tens of megabytes, not the gigabytes
 *      its parsed JSON would; an approved amendment re-derives its
 *      target's fact from the target's data with the replacement fields;
 *   2. sort the facts by child, then DESIGN 6.1.2's order;
 *   3. fold each child's facts into its episodes, in an arena.
 * People's details are few, so their facts keep the data object itself.
 */
#include "util/common.h"
#include "util/date.h"
#include "util/hmap.h"
#include "ledger/jcs.h"
#include "report/casefile.h"

/* ---- an arena: everything the model hands out lives in it ---- */

#define ARENA_CHUNK (64 * 1024)

typedef struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
} chunk;

typedef struct arena {
	chunk *head;
} arena;

static void *arena_alloc(arena *ar, size_t n)
{
	chunk *c = ar->head;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (!c || c->size - c->used < need) {
		size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + size);
		c->next = ar->head;
		c->used = 0;
		c->size = size;
		ar->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

static void *arena_copy(arena *ar, const void *src, size_t n)
{
	void *p = arena_alloc(ar, n ? n : 1);
	if (n)
		memcpy(p, src, n);
	return p;
}

static void arena_free(arena *ar)
{
	chunk *c = ar->head, *next;
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	ar->head = NULL;
}

/* ---- the casefile ---- */

struct casefile {
	arena ar;
	hmap strings;   /* interned text -> pointer */
	cf_child *children;
	size_t n_children;
	int32_t first_day, last_day;
	uint64_t events_read;
};

static const char *intern(casefile *cf, const char *s)
{
	uint64_t v;
	size_t n;
	char *copy;

	if (!s || !*s)
		return "";
	n = strlen(s);
	if (hmap_get(&cf->strings, s, n, &v))
		return (const char *)(uintptr_t)v;
	copy = arena_copy(&cf->ar, s, n + 1);
	hmap_put(&cf->strings, s, n, (uint64_t)(uintptr_t)copy);
	return copy;
}

/* ---- step 1: facts ---- */

enum fact_kind {
	F_PERSON, /* person.registered / person.updated: data kept */
	F_CONTACT,
	F_REFERRAL,
	F_ASSESS_START,
	F_ASSESS_DONE,
	F_STRATEGY,
	F_S47_DONE,
	F_CONFERENCE,
	F_CIN_START,
	F_CIN_END,
	F_LAC_START,
	F_LAC_END,
	F_CLOSED,
	F_VISIT,
	F_ALLOCATED,
	F_MISSING_START,
	F_MISSING_END,
	/* not folded: kept to resolve amendments */
	F_AMEND_REQUEST,
	F_AMEND_APPROVED,
};

static const struct {
	const char *kind;
	enum fact_kind f;
} kinds[] = {
	{"person.registered", F_PERSON},     {"person.updated", F_PERSON},
	{"contact.received", F_CONTACT},     {"referral.decided", F_REFERRAL},
	{"assessment.started", F_ASSESS_START}, {"assessment.completed", F_ASSESS_DONE},
	{"strategy.held", F_STRATEGY},       {"s47.completed", F_S47_DONE},
	{"conference.held", F_CONFERENCE},   {"cin_plan.started", F_CIN_START},
	{"cin_plan.ended", F_CIN_END},       {"lac.started", F_LAC_START},
	{"lac.ended", F_LAC_END},            {"case.closed", F_CLOSED},
	{"visit.recorded", F_VISIT},         {"case.allocated", F_ALLOCATED},
	{"missing.started", F_MISSING_START}, {"missing.ended", F_MISSING_END},
	{"amendment.requested", F_AMEND_REQUEST}, {"amendment.approved", F_AMEND_APPROVED},
};

static int kind_of(const char *kind)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return (int)kinds[i].f;
	return -1;
}

typedef struct fact {
	uint64_t seq;
	sl_date at;
	uint32_t child;  /* index into the loader's children */
	uint8_t kind;    /* enum fact_kind */
	int8_t b1, b2;   /* booleans: 1, 0, -1 absent */
	int32_t d1;      /* a day (authorised_on), CF_NONE */
	const char *s1, *s2, *s3;
	const char *const *list; /* interned codes, in the arena */
	uint32_t n_list;
	json_t *data;    /* F_PERSON only: the data object (a reference) */
} fact;

typedef struct loader {
	casefile *cf;
	app *a;
	int32_t until;
	fact *facts;
	size_t n_facts, cap_facts;
	hmap fact_of;    /* seq -> index in facts + 1 */
	hmap refs;       /* an event's ref -> seq (kinds kept only) */
	hmap child_ix;   /* child id -> index in ids */
	char **ids;      /* child ids, in order of registration */
	size_t n_ids, cap_ids;
	hmap requests;   /* amendment request seq -> index in req_data + 1 */
	json_t *req_data; /* array of {"target": seq, "data": {...}} */
	hmap amended;    /* target seq -> index in amended_data + 1 */
	json_t *amended_data; /* array of the targets' data as amended */
} loader;

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int8_t b_of(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_boolean(v) ? (int8_t)json_is_true(v) : -1;
}


/* An event reference (a ref string or a seq) -> seq; 0 when unknown. */
static uint64_t ref_seq(const loader *l, const json_t *ref)
{
	uint64_t v;
	if (json_is_integer(ref))
		return json_integer_value(ref) > 0 ? (uint64_t)json_integer_value(ref) : 0;
	if (json_is_string(ref) && hmap_get_str(&l->refs, json_string_value(ref), &v))
		return v;
	return 0;
}

static uint32_t child_index(loader *l, const char *id, bool add)
{
	uint64_t v;
	if (hmap_get_str(&l->child_ix, id, &v))
		return (uint32_t)v;
	if (!add)
		return UINT32_MAX;
	if (l->n_ids == l->cap_ids) {
		l->cap_ids = l->cap_ids ? l->cap_ids * 2 : 256;
		l->ids = xrealloc(l->ids, l->cap_ids * sizeof(*l->ids));
	}
	l->ids[l->n_ids] = xstrdup(id);
	hmap_put_str(&l->child_ix, id, l->n_ids);
	return (uint32_t)l->n_ids++;
}

/* Fill f's values from an event's data.  false: not about a child we
 * know (an adult's registration, say), so there is no fact. */
static bool fact_values(loader *l, fact *f, const json_t *data)
{
	casefile *cf = l->cf;
	const char *child = s_of(data, "child");
	const json_t *list = NULL;

	f->b1 = f->b2 = -1;
	f->d1 = CF_NONE;
	f->s1 = f->s2 = f->s3 = "";
	f->list = NULL;
	f->n_list = 0;
	if (f->data) {
		json_decref(f->data);
		f->data = NULL;
	}
	if (f->kind == F_PERSON) {
		const char *id = s_of(data, "id"), *role = s_of(data, "role");
		uint32_t ix;
		if (!id)
			return false;
		/* a person is a child from the event that says so */
		ix = child_index(l, id, role && strcmp(role, "child") == 0);
		if (ix == UINT32_MAX)
			return false;
		f->child = ix;
		f->data = json_incref((json_t *)data);
		return true;
	}
	if (!child || (f->child = child_index(l, child, false)) == UINT32_MAX)
		return false;
	switch ((enum fact_kind)f->kind) {
	case F_CONTACT:
		f->s1 = intern(cf, s_of(data, "source"));
		break;
	case F_REFERRAL:
		f->s1 = intern(cf, s_of(data, "decision"));
		f->s2 = intern(cf, s_of(data, "primary_need"));
		break;
	case F_ASSESS_DONE:
		f->s1 = intern(cf, s_of(data, "outcome"));
		f->d1 = date_day_or_none(s_of(data, "authorised_on"));
		list = json_object_get(data, "factors");
		break;
	case F_STRATEGY:
		f->b1 = b_of(data, "s47");
		break;
	case F_S47_DONE:
		f->b1 = b_of(data, "icpc");
		break;
	case F_CONFERENCE:
		f->s1 = intern(cf, s_of(data, "type"));
		f->b1 = b_of(data, "plan");
		f->s2 = intern(cf, s_of(data, "category"));
		break;
	case F_LAC_START:
		f->s1 = intern(cf, s_of(data, "legal_status"));
		break;
	case F_LAC_END:
		f->s1 = intern(cf, s_of(data, "reason"));
		break;
	case F_CLOSED:
		f->s1 = intern(cf, s_of(data, "reason"));
		f->s2 = intern(cf, s_of(data, "authorised_by"));
		break;
	case F_VISIT:
		f->b1 = b_of(data, "seen");
		f->b2 = b_of(data, "seen_alone");
		break;
	case F_ALLOCATED:
		f->s1 = intern(cf, s_of(data, "worker"));
		f->s2 = intern(cf, s_of(data, "team"));
		break;
	default:
		break;
	}
	if (json_array_size(list) > 0) {
		size_t n = json_array_size(list);
		const char **codes = arena_alloc(&cf->ar, n * sizeof(*codes));
		for (size_t i = 0; i < n; i++)
			codes[i] = intern(cf, json_string_value(json_array_get(list, i)));
		f->list = codes;
		f->n_list = (uint32_t)n;
	}
	return true;
}

/* amendment.approved: the target's fact is re-derived from its data with
 * the request's replacement fields (over any earlier approved ones). */
static int apply_approval(loader *l, const json_t *data, sl_err *err)
{
	uint64_t req = ref_seq(l, json_object_get(data, "request")), rix, fix, aix, target;
	json_t *r, *patch, *current = NULL;
	store_event_copy row;
	fact *f;
	int rc;

	if (!req || !hmap_get_u64(&l->requests, req, &rix))
		return 0; /* a request about an event no return counts */
	r = json_array_get(l->req_data, rix - 1);
	target = (uint64_t)json_integer_value(json_object_get(r, "target"));
	patch = json_object_get(r, "data");
	if (!hmap_get_u64(&l->fact_of, target, &fix))
		return 0;
	if (hmap_get_u64(&l->amended, target, &aix)) {
		current = json_array_get(l->amended_data, aix - 1);
	} else {
		json_t *event;
		if ((rc = store_event_get(app_store(l->a), target, &row, err)))
			return rc;
		event = jcs_parse(row.ev.event, row.ev.event_len, err);
		store_event_release(&row);
		if (!event) {
			sl_err_prefix(err, "seq %llu", (unsigned long long)target);
			return SL_ECORRUPT;
		}
		current = json_deep_copy(json_object_get(event, "data"));
		json_decref(event);
		if (!current)
			return sl_fail(err, SL_ECORRUPT, "seq %llu has no data", (unsigned long long)target);
		json_array_append_new(l->amended_data, current);
		hmap_put_u64(&l->amended, target, json_array_size(l->amended_data));
	}
	json_object_update(current, patch);
	f = &l->facts[fix - 1];
	if (!fact_values(l, f, current))
		f->kind = F_AMEND_REQUEST; /* no longer folds (cannot happen: `child` is not amendable) */
	return 0;
}

static int scan_event(void *ctx, const store_event *ev, sl_err *err)
{
	loader *l = ctx;
	int k = kind_of(ev->kind);
	json_t *event, *data;
	const char *at, *ref;
	fact f = {0};
	int rc = 0;

	l->cf->events_read++;
	if (k < 0)
		return 0;
	if (!(event = jcs_parse(ev->event, ev->event_len, err))) {
		sl_err_prefix(err, "seq %llu", (unsigned long long)ev->seq);
		return SL_ECORRUPT;
	}
	data = json_object_get(event, "data");
	at = s_of(event, "occurred_at");
	if (!at || date_parse(at, &f.at, err)) {
		rc = sl_fail(err, SL_ECORRUPT, "seq %llu: occurred_at unreadable", (unsigned long long)ev->seq);
		goto out;
	}
	if ((ref = s_of(event, "ref")))
		hmap_put_str(&l->refs, ref, ev->seq);
	if (k == F_AMEND_REQUEST) {
		uint64_t target = ref_seq(l, json_object_get(data, "target"));
		if (target && hmap_get_u64(&l->fact_of, target, NULL)) {
			json_array_append_new(l->req_data, json_pack("{s:I, s:O}", "target", (json_int_t)target,
			                                             "data", json_object_get(data, "data")));
			hmap_put_u64(&l->requests, ev->seq, json_array_size(l->req_data));
		}
		goto out;
	}
	if (k == F_AMEND_APPROVED) {
		rc = apply_approval(l, data, err);
		goto out;
	}
	f.seq = ev->seq;
	f.kind = (uint8_t)k;
	if (!fact_values(l, &f, data))
		goto out;
	if (l->n_facts == l->cap_facts) {
		l->cap_facts = l->cap_facts ? l->cap_facts * 2 : 4096;
		l->facts = xrealloc(l->facts, l->cap_facts * sizeof(*l->facts));
	}
	l->facts[l->n_facts++] = f;
	hmap_put_u64(&l->fact_of, f.seq, l->n_facts);
out:
	json_decref(event);
	return rc;
}

/* ---- step 2: order ---- */

static int by_child_then_occurred(const void *pa, const void *pb)
{
	const fact *a = pa, *b = pb;
	int c;
	if (a->child != b->child)
		return a->child < b->child ? -1 : 1;
	if ((c = date_compare(&a->at, &b->at)))
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* ---- step 3: fold ---- */

/* A growable array, copied into the arena when the child is done. */
typedef struct vec {
	void *v;
	size_t n, cap, size;
} vec;

static void *vec_push(vec *x)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		x->v = xrealloc(x->v, x->cap * x->size);
	}
	memset((char *)x->v + x->n * x->size, 0, x->size);
	return (char *)x->v + x->n++ * x->size;
}

#define VEC_AT(x, type, i) (&((type *)(x).v)[i])
#define VEC_LAST(x, type) ((x).n ? VEC_AT(x, type, (x).n - 1) : NULL)

typedef struct fold {
	vec contacts, cases, assessments, s47s, strategies, plans, cin, lac, missing, visits, allocations;
	vec categories; /* the live plan's categories */
	vec reviews;    /* the live plan's reviews */
	/* the finished plans' categories and reviews, moved to the arena as
	 * each plan ends */
	bool case_open, plan_live, cin_open, lac_open;
} fold;

static void fold_reset(fold *w)
{
	vec *all[] = {&w->contacts, &w->cases, &w->assessments, &w->s47s, &w->strategies, &w->plans, &w->cin,
	              &w->lac, &w->missing, &w->visits, &w->allocations, &w->categories, &w->reviews};
	for (size_t i = 0; i < SL_ARRAY_LEN(all); i++)
		all[i]->n = 0;
	w->case_open = w->plan_live = w->cin_open = w->lac_open = false;
}

static void fold_release(fold *w)
{
	vec *all[] = {&w->contacts, &w->cases, &w->assessments, &w->s47s, &w->strategies, &w->plans, &w->cin,
	              &w->lac, &w->missing, &w->visits, &w->allocations, &w->categories, &w->reviews};
	for (size_t i = 0; i < SL_ARRAY_LEN(all); i++)
		free(all[i]->v);
}

static const char *census_category(const char *word)
{
	static const struct {
		const char *word, *code;
	} map[] = {{"neglect", "NEG"}, {"physical", "PHY"}, {"emotional", "EMO"}, {"sexual", "SAB"},
	           {"multiple", "MUL"}};
	for (size_t i = 0; i < SL_ARRAY_LEN(map); i++)
		if (strcmp(map[i].word, word) == 0)
			return map[i].code;
	return "";
}

static void open_case(fold *w, const fact *f, const char *kind)
{
	cf_case *c;
	if (w->case_open)
		return;
	c = vec_push(&w->cases);
	c->span.start_seq = f->seq;
	c->span.start_day = f->at.day;
	c->span.end_day = CF_NONE;
	c->span.detail = c->span.end_detail = "";
	c->opened_by = kind;
	c->closure_authorised_by = "";
	w->case_open = true;
}

/* The live plan's category and review lists move into the arena. */
static void plan_finish(casefile *cf, fold *w)
{
	cf_cp_plan *p = VEC_LAST(w->plans, cf_cp_plan);
	p->categories = arena_copy(&cf->ar, w->categories.v, w->categories.n * sizeof(cf_category));
	p->n_categories = w->categories.n;
	p->reviews = arena_copy(&cf->ar, w->reviews.v, w->reviews.n * sizeof(cf_category));
	p->n_reviews = w->reviews.n;
	w->categories.n = w->reviews.n = 0;
}

static void plan_end(casefile *cf, fold *w, const fact *f)
{
	cf_cp_plan *p = VEC_LAST(w->plans, cf_cp_plan);
	if (!w->plan_live)
		return;
	p->end_seq = f->seq;
	p->end_day = f->at.day;
	plan_finish(cf, w);
	w->plan_live = false;
}

static void span_start(vec *v, bool *open, const fact *f, const char *detail)
{
	cf_span *s;
	if (*open)
		return;
	s = vec_push(v);
	s->start_seq = f->seq;
	s->start_day = f->at.day;
	s->end_day = CF_NONE;
	s->detail = detail;
	s->end_detail = "";
	*open = true;
}

static void span_end(vec *v, bool *open, const fact *f, const char *detail)
{
	cf_span *s = VEC_LAST(*v, cf_span);
	if (!*open || !s)
		return;
	s->end_seq = f->seq;
	s->end_day = f->at.day;
	s->end_detail = detail;
	*open = false;
}

static void category(fold *w, const fact *f, const char *word)
{
	cf_category *c = vec_push(&w->categories);
	c->seq = f->seq;
	c->day = f->at.day;
	c->category = word;
	c->code = census_category(word);
}

static const char *current_category(const fold *w)
{
	const cf_category *c = w->categories.n ? VEC_AT(w->categories, cf_category, w->categories.n - 1) : NULL;
	return c ? c->category : "";
}

static void conference(casefile *cf, fold *w, const fact *f)
{
	bool initial = strcmp(f->s1, "initial") == 0;

	if (initial) {
		/* the ICPC of the latest enquiry without one */
		cf_s47 *s = NULL;
		for (size_t i = w->s47s.n; i-- > 0;) {
			cf_s47 *t = VEC_AT(w->s47s, cf_s47, i);
			if (!t->icpc_seq) {
				s = t;
				break;
			}
		}
		if (!s) {
			s = vec_push(&w->s47s);
			s->start_day = s->completed_day = CF_NONE;
			s->icpc_needed = -1;
		}
		s->icpc_seq = f->seq;
		s->icpc_day = f->at.day;
		s->icpc_plan = f->b1 == 1;
	}
	if (f->b1 == 1) {
		if (!w->plan_live) {
			cf_cp_plan *p = vec_push(&w->plans);
			p->start_seq = f->seq;
			p->start_day = f->at.day;
			p->end_day = CF_NONE;
			p->initial = initial;
			p->previous = (unsigned)(w->plans.n - 1);
			w->plan_live = true;
			w->categories.n = w->reviews.n = 0;
			category(w, f, f->s2);
			open_case(w, f, "conference.held");
			return;
		}
		if (!initial) {
			cf_category *r = vec_push(&w->reviews);
			r->seq = f->seq;
			r->day = f->at.day;
			r->category = *f->s2 ? f->s2 : current_category(w);
			r->code = census_category(r->category);
		}
		if (*f->s2 && strcmp(f->s2, current_category(w)) != 0)
			category(w, f, f->s2);
		return;
	}
	if (f->b1 == 0 && w->plan_live) {
		if (!initial) {
			cf_category *r = vec_push(&w->reviews);
			r->seq = f->seq;
			r->day = f->at.day;
			r->category = current_category(w);
			r->code = census_category(r->category);
		}
		plan_end(cf, w, f);
	}
}

static void person(casefile *cf, cf_child *c, const json_t *data)
{
	static const struct {
		const char *key;
		size_t off;
	} text[] = {
		{"name", offsetof(cf_child, name)},       {"gender", offsetof(cf_child, gender)},
		{"sex", offsetof(cf_child, sex)},         {"ethnicity", offsetof(cf_child, ethnicity)},
		{"upn", offsetof(cf_child, upn)},         {"former_upn", offsetof(cf_child, former_upn)},
		{"upn_unknown", offsetof(cf_child, upn_unknown)}, {"nhs_number", offsetof(cf_child, nhs_number)},
	};
	static const struct {
		const char *key;
		size_t off;
	} days[] = {
		{"born", offsetof(cf_child, born)}, {"expected", offsetof(cf_child, expected)},
		{"died", offsetof(cf_child, died)},
	};
	const json_t *list = json_object_get(data, "disabilities");

	for (size_t i = 0; i < SL_ARRAY_LEN(text); i++)
		if (s_of(data, text[i].key))
			*(const char **)((char *)c + text[i].off) = intern(cf, s_of(data, text[i].key));
	for (size_t i = 0; i < SL_ARRAY_LEN(days); i++)
		if (s_of(data, days[i].key))
			*(int32_t *)((char *)c + days[i].off) = date_day_or_none(s_of(data, days[i].key));
	if (json_is_array(list)) {
		size_t n = json_array_size(list);
		const char **codes = arena_alloc(&cf->ar, (n ? n : 1) * sizeof(*codes));
		for (size_t i = 0; i < n; i++)
			codes[i] = intern(cf, json_string_value(json_array_get(list, i)));
		c->disabilities = codes;
		c->n_disabilities = n;
	}
}

static void fold_fact(casefile *cf, fold *w, cf_child *c, const fact *f)
{
	switch ((enum fact_kind)f->kind) {
	case F_PERSON:
		if (!c->registered_seq)
			c->registered_seq = f->seq;
		c->details_seq = f->seq;
		person(cf, c, f->data);
		break;
	case F_CONTACT: {
		cf_contact *k = vec_push(&w->contacts);
		k->seq = f->seq;
		k->day = f->at.day;
		k->source = f->s1;
		k->decision_day = CF_NONE;
		k->decision = k->primary_need = "";
		break;
	}
	case F_REFERRAL: {
		cf_contact *k = VEC_LAST(w->contacts, cf_contact);
		if (!k || k->decision_seq) {
			k = vec_push(&w->contacts);
			k->day = f->at.day;
			k->source = "";
		}
		k->decision_seq = f->seq;
		k->decision_day = f->at.day;
		k->decision = f->s1;
		k->primary_need = f->s2;
		if (strcmp(f->s1, "assessment") == 0 || strcmp(f->s1, "strategy") == 0)
			open_case(w, f, "referral.decided");
		break;
	}
	case F_ASSESS_START: {
		cf_assessment *s = vec_push(&w->assessments);
		s->start_seq = f->seq;
		s->start_day = f->at.day;
		s->completed_day = s->authorised_day = CF_NONE;
		s->outcome = "";
		open_case(w, f, "assessment.started");
		break;
	}
	case F_ASSESS_DONE: {
		cf_assessment *s = VEC_LAST(w->assessments, cf_assessment);
		if (!s || s->completed_seq) {
			s = vec_push(&w->assessments);
			s->start_day = f->at.day;
		}
		s->completed_seq = f->seq;
		s->completed_day = f->at.day;
		s->authorised_day = f->d1 != CF_NONE ? f->d1 : f->at.day;
		s->outcome = f->s1;
		s->factors = f->list;
		s->n_factors = f->n_list;
		break;
	}
	case F_STRATEGY:
		open_case(w, f, "strategy.held");
		if (f->b1 == 1) {
			cf_s47 *s = vec_push(&w->s47s);
			s->strategy_seq = f->seq;
			s->start_day = f->at.day;
			s->completed_day = s->icpc_day = CF_NONE;
			s->icpc_needed = s->icpc_plan = -1;
		} else {
			cf_span *s = vec_push(&w->strategies);
			s->start_seq = s->end_seq = f->seq;
			s->start_day = s->end_day = f->at.day;
			s->detail = s->end_detail = "";
		}
		break;
	case F_S47_DONE: {
		cf_s47 *s = NULL;
		for (size_t i = w->s47s.n; i-- > 0;) {
			cf_s47 *t = VEC_AT(w->s47s, cf_s47, i);
			if (!t->completed_seq && !t->icpc_seq) {
				s = t;
				break;
			}
		}
		if (!s) {
			s = vec_push(&w->s47s);
			s->start_day = f->at.day;
			s->icpc_day = CF_NONE;
			s->icpc_plan = -1;
		}
		s->completed_seq = f->seq;
		s->completed_day = f->at.day;
		s->icpc_needed = f->b1 == 1;
		break;
	}
	case F_CONFERENCE:
		conference(cf, w, f);
		break;
	case F_CIN_START:
		open_case(w, f, "cin_plan.started");
		span_start(&w->cin, &w->cin_open, f, "");
		break;
	case F_CIN_END:
		span_end(&w->cin, &w->cin_open, f, "");
		break;
	case F_LAC_START:
		open_case(w, f, "lac.started");
		span_start(&w->lac, &w->lac_open, f, f->s1);
		break;
	case F_LAC_END:
		span_end(&w->lac, &w->lac_open, f, f->s1);
		break;
	case F_CLOSED: {
		cf_case *k = VEC_LAST(w->cases, cf_case);
		if (w->case_open && k) {
			k->span.end_seq = f->seq;
			k->span.end_day = f->at.day;
			k->span.end_detail = f->s1;
			k->closure_authorised_by = f->s2;
			w->case_open = false;
		}
		plan_end(cf, w, f);
		span_end(&w->cin, &w->cin_open, f, "");
		span_end(&w->lac, &w->lac_open, f, "");
		break;
	}
	case F_VISIT: {
		cf_visit *v = vec_push(&w->visits);
		v->seq = f->seq;
		v->day = f->at.day;
		v->seen = f->b1 == 1;
		v->seen_alone = f->b2;
		break;
	}
	case F_ALLOCATED: {
		cf_allocation *k = vec_push(&w->allocations);
		k->seq = f->seq;
		k->day = f->at.day;
		k->worker = f->s1;
		k->team = f->s2;
		open_case(w, f, "case.allocated");
		break;
	}
	case F_MISSING_START: {
		bool open = w->missing.n && !VEC_LAST(w->missing, cf_span)->end_seq;
		span_start(&w->missing, &open, f, "");
		break;
	}
	case F_MISSING_END: {
		bool open = w->missing.n && !VEC_LAST(w->missing, cf_span)->end_seq;
		span_end(&w->missing, &open, f, "");
		break;
	}
	default:
		break;
	}
}

static void fold_finish(casefile *cf, fold *w, cf_child *c)
{
	if (w->plan_live)
		plan_finish(cf, w);
	c->contacts = arena_copy(&cf->ar, w->contacts.v, w->contacts.n * sizeof(cf_contact));
	c->n_contacts = w->contacts.n;
	c->cases = arena_copy(&cf->ar, w->cases.v, w->cases.n * sizeof(cf_case));
	c->n_cases = w->cases.n;
	c->assessments = arena_copy(&cf->ar, w->assessments.v, w->assessments.n * sizeof(cf_assessment));
	c->n_assessments = w->assessments.n;
	c->s47s = arena_copy(&cf->ar, w->s47s.v, w->s47s.n * sizeof(cf_s47));
	c->n_s47s = w->s47s.n;
	c->strategies = arena_copy(&cf->ar, w->strategies.v, w->strategies.n * sizeof(cf_span));
	c->n_strategies = w->strategies.n;
	c->plans = arena_copy(&cf->ar, w->plans.v, w->plans.n * sizeof(cf_cp_plan));
	c->n_plans = w->plans.n;
	c->cin_plans = arena_copy(&cf->ar, w->cin.v, w->cin.n * sizeof(cf_span));
	c->n_cin_plans = w->cin.n;
	c->lac = arena_copy(&cf->ar, w->lac.v, w->lac.n * sizeof(cf_span));
	c->n_lac = w->lac.n;
	c->missing = arena_copy(&cf->ar, w->missing.v, w->missing.n * sizeof(cf_span));
	c->n_missing = w->missing.n;
	c->visits = arena_copy(&cf->ar, w->visits.v, w->visits.n * sizeof(cf_visit));
	c->n_visits = w->visits.n;
	c->allocations = arena_copy(&cf->ar, w->allocations.v, w->allocations.n * sizeof(cf_allocation));
	c->n_allocations = w->allocations.n;
}

static int by_id(const void *pa, const void *pb)
{
	return strcmp(((const cf_child *)pa)->id, ((const cf_child *)pb)->id);
}

static void build(loader *l)
{
	casefile *cf = l->cf;
	fold w = {
		.contacts = {.size = sizeof(cf_contact)},
		.cases = {.size = sizeof(cf_case)},
		.assessments = {.size = sizeof(cf_assessment)},
		.s47s = {.size = sizeof(cf_s47)},
		.strategies = {.size = sizeof(cf_span)},
		.plans = {.size = sizeof(cf_cp_plan)},
		.cin = {.size = sizeof(cf_span)},
		.lac = {.size = sizeof(cf_span)},
		.missing = {.size = sizeof(cf_span)},
		.visits = {.size = sizeof(cf_visit)},
		.allocations = {.size = sizeof(cf_allocation)},
		.categories = {.size = sizeof(cf_category)},
		.reviews = {.size = sizeof(cf_category)},
	};
	size_t i = 0;

	if (l->n_facts) /* an empty ledger has no array to sort */
		qsort(l->facts, l->n_facts, sizeof(*l->facts), by_child_then_occurred);
	cf->children = xcalloc(l->n_ids ? l->n_ids : 1, sizeof(*cf->children));
	cf->n_children = l->n_ids;
	for (uint32_t ix = 0; ix < l->n_ids; ix++) {
		cf_child *c = &cf->children[ix];
		c->id = intern(cf, l->ids[ix]);
		c->name = c->gender = c->sex = c->ethnicity = "";
		c->upn = c->former_upn = c->upn_unknown = c->nhs_number = "";
		c->born = c->expected = c->died = CF_NONE;
		c->disabilities = NULL;
		fold_reset(&w);
		for (; i < l->n_facts && l->facts[i].child == ix; i++) {
			const fact *f = &l->facts[i];
			if (f->kind > F_MISSING_END)
				continue;
			if (l->until != CF_NONE && f->at.day > l->until)
				continue;
			if (cf->first_day == CF_NONE || f->at.day < cf->first_day)
				cf->first_day = f->at.day;
			if (cf->last_day == CF_NONE || f->at.day > cf->last_day)
				cf->last_day = f->at.day;
			fold_fact(cf, &w, c, f);
		}
		fold_finish(cf, &w, c);
	}
	fold_release(&w);
	qsort(cf->children, cf->n_children, sizeof(*cf->children), by_id);
}

static void loader_release(loader *l)
{
	for (size_t i = 0; i < l->n_facts; i++)
		json_decref(l->facts[i].data);
	free(l->facts);
	for (size_t i = 0; i < l->n_ids; i++)
		free(l->ids[i]);
	free(l->ids);
	hmap_free(&l->fact_of);
	hmap_free(&l->refs);
	hmap_free(&l->child_ix);
	hmap_free(&l->requests);
	hmap_free(&l->amended);
	json_decref(l->req_data);
	json_decref(l->amended_data);
}

int casefile_load(app *a, const casefile_opts *o, casefile **out, sl_err *err)
{
	casefile *cf = xcalloc(1, sizeof(*cf));
	loader l = {
		.cf = cf,
		.a = a,
		.until = o ? o->until : CF_NONE,
		.fact_of = HMAP_INIT,
		.refs = HMAP_INIT,
		.child_ix = HMAP_INIT,
		.requests = HMAP_INIT,
		.amended = HMAP_INIT,
		.req_data = json_array(),
		.amended_data = json_array(),
	};
	int rc;

	cf->strings = (hmap)HMAP_INIT;
	cf->first_day = cf->last_day = CF_NONE;
	if ((rc = store_event_scan(app_store(a), 1, 0, scan_event, &l, err)))
		goto fail;
	build(&l);
	loader_release(&l);
	*out = cf;
	return 0;
fail:
	loader_release(&l);
	casefile_free(cf);
	return rc;
}

void casefile_free(casefile *cf)
{
	if (!cf)
		return;
	free(cf->children);
	hmap_free(&cf->strings);
	arena_free(&cf->ar);
	free(cf);
}

size_t casefile_count(const casefile *cf)
{
	return cf->n_children;
}

const cf_child *casefile_child(const casefile *cf, size_t i)
{
	return i < cf->n_children ? &cf->children[i] : NULL;
}

const cf_child *casefile_find(const casefile *cf, const char *id)
{
	size_t lo = 0, hi = cf->n_children;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cf->children[mid].id, id);
		if (c == 0)
			return &cf->children[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int32_t casefile_first_day(const casefile *cf)
{
	return cf->first_day;
}

int32_t casefile_last_day(const casefile *cf)
{
	return cf->last_day;
}

uint64_t casefile_events_read(const casefile *cf)
{
	return cf->events_read;
}
