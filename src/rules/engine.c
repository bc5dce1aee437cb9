/*
 * engine.c - the rules engine's model, its queue of deadlines, alerts, and
 * the table of event kinds.
 *
 * Each event kind has one handler here that moves the model on (a case
 * opens, a plan changes category, a visit is recorded) and calls the rule
 * families that care (timescales.c, harm.c, network.c).  Alerts raised
 * while an event or tick is applied are queued and handed to the sink only
 * when the model is consistent again, because the sink may append the
 * alert as an event of its own and feed it straight back to this engine.
 */
#include "util/common.h"
#include "rules/rules_internal.h"
#include "domain/vocab.h"

#include <stdarg.h>

/* --- small helpers --- */

int param(const rules *r, rule_param p)
{
	return r->cfg->param[p];
}

int32_t add_wd(const rules *r, int32_t day, int n)
{
	return calendar_add_wd(r->cal, day, n);
}

int32_t first_wd_after(const rules *r, int32_t day)
{
	return calendar_next_wd(r->cal, day);
}

const char *day_str(int32_t day, char out[11])
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return out;
}

uint32_t agency_bit(const char *agency)
{
	size_t i;
	if (!agency)
		return 0;
	for (i = 0; i < vocab_agency_count(); i++)
		if (strcmp(vocab_agency_name(i), agency) == 0)
			return 1u << i;
	return 0;
}

/* data.<field>, else by.agency, else social_care (DESIGN 6.1.5). */
uint32_t event_agency_bit(const ev *e, const char *field)
{
	const char *a = field ? json_string_value(json_object_get(e->data, field)) : NULL;
	if (!a)
		a = json_string_value(json_object_get(e->by, "agency"));
	if (!a)
		a = "social_care";
	return agency_bit(a);
}

uint32_t person_find(const rules *r, const char *id)
{
	uint64_t v;
	return id && hmap_get_str(&r->person_by_id, id, &v) ? (uint32_t)v : NONE;
}

/* The child index for a person id value, or NONE. */
uint32_t child_of(const rules *r, const json_t *id)
{
	uint32_t p = person_find(r, json_string_value(id));
	return p != NONE && r->people.v[p].is_child ? r->people.v[p].child : NONE;
}

struct pair_key { uint32_t tag, a; uint64_t b; };

bool pair_get(rules *r, uint32_t tag, uint32_t a, uint64_t b)
{
	struct pair_key k = {tag, a, b};
	uint64_t v;
	return hmap_get(&r->pairs, &k, sizeof k, &v) && v;
}

void pair_set(rules *r, uint32_t tag, uint32_t a, uint64_t b, bool on)
{
	struct pair_key k = {tag, a, b};
	if (on || hmap_get(&r->pairs, &k, sizeof k, NULL))
		hmap_put(&r->pairs, &k, sizeof k, on);
}

bool linked(const rules *r, uint32_t p, uint32_t q)
{
	size_t i;
	for (i = 0; i < r->people.v[p].links.n; i++)
		if (r->people.v[p].links.v[i].other == q)
			return true;
	return false;
}

static int32_t parse_day(const json_t *v)
{
	sl_date d;
	const char *s = json_string_value(v);
	return s && date_parse(s, &d, NULL) == 0 ? d.day : NO_DAY;
}

/* --- deadlines --- */

static bool timer_less(const timer *a, const timer *b)
{
	return a->fire < b->fire || (a->fire == b->fire && a->serial < b->serial);
}

static void heap_push(rules *r, timer t)
{
	size_t i;
	vec_push(&r->heap, t);
	for (i = r->heap.n - 1; i > 0;) {
		size_t p = (i - 1) / 2;
		if (!timer_less(&r->heap.v[i], &r->heap.v[p]))
			break;
		timer tmp = r->heap.v[i];
		r->heap.v[i] = r->heap.v[p];
		r->heap.v[p] = tmp;
		i = p;
	}
}

static timer heap_pop(rules *r)
{
	timer top = r->heap.v[0];
	size_t i = 0, n = --r->heap.n;

	r->heap.v[0] = r->heap.v[n];
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && timer_less(&r->heap.v[l], &r->heap.v[m]))
			m = l;
		if (l + 1 < n && timer_less(&r->heap.v[l + 1], &r->heap.v[m]))
			m = l + 1;
		if (m == i)
			break;
		timer tmp = r->heap.v[i];
		r->heap.v[i] = r->heap.v[m];
		r->heap.v[m] = tmp;
		i = m;
	}
	return top;
}

uint32_t item_new(rules *r, rule_code code, uint32_t c, int32_t start, int32_t deadline, int32_t fire,
                  uint64_t key)
{
	uint32_t it;
	item *p;

	if (r->free_items.n)
		it = r->free_items.v[--r->free_items.n];
	else {
		item blank = {0};
		vec_push(&r->items, blank);
		it = (uint32_t)(r->items.n - 1);
	}
	p = &r->items.v[it];
	*p = (item){.code = (uint8_t)code, .child = c, .start = start, .deadline = deadline, .fire = fire,
	            .key = key};
	heap_push(r, (timer){fire, it, r->serial++});
	if (c != NONE)
		vec_push(&r->children.v[c].pending, it);
	return it;
}

void item_evidence(rules *r, uint32_t it, uint64_t seq)
{
	item *p = &r->items.v[it];
	size_t i;
	for (i = 0; i < p->n_ev; i++)
		if (p->ev[i] == seq)
			return;
	if (p->n_ev < MAX_EVIDENCE)
		p->ev[p->n_ev++] = seq;
}

void item_cancel(rules *r, uint32_t *it)
{
	if (*it != NONE)
		r->items.v[*it].done = true;
	*it = NONE;
}

/* Drop done items from a child's pending list (they stay in the heap until
 * their day, where they are skipped and their slot reused). */
static void compact_pending(rules *r, child *ch)
{
	size_t i, j = 0;
	for (i = 0; i < ch->pending.n; i++)
		if (!r->items.v[ch->pending.v[i]].done)
			ch->pending.v[j++] = ch->pending.v[i];
	ch->pending.n = j;
}

void answer(rules *r, uint32_t c, rule_code code, int32_t day)
{
	child *ch = &r->children.v[c];
	size_t i;
	bool any = false;

	for (i = 0; i < ch->pending.n; i++) {
		item *p = &r->items.v[ch->pending.v[i]];
		/* An answer after the deadline does not undo the lateness; it
		 * arrives before the alert only on a non-working day. */
		if (p->code == code && !p->done && day >= p->start && day <= p->deadline) {
			p->done = true;
			any = true;
		}
	}
	if (any)
		compact_pending(r, ch);
}

/* --- alerts --- */

static void ref_for(rules *r, rule_code code, uint32_t c, int32_t day, buf *out)
{
	char d[11];
	size_t base;
	int n;

	buf_reset(out);
	buf_printf(out, "%s/%s/%s", rule_name(code), c == NONE ? "" : r->people.v[r->children.v[c].person].id,
	           day_str(day, d));
	base = out->len;
	for (n = 2; hmap_get(&r->alert_by_ref, out->data, out->len, NULL); n++) {
		buf_truncate(out, base);
		buf_printf(out, "#%d", n);
	}
}

static uint32_t alert_register(rules *r, const char *ref, rule_code code, uint32_t c, int32_t day)
{
	alert a = {.code = (uint8_t)code, .child = c, .raised_on = day, .ref = xstrdup(ref)};
	uint32_t idx = (uint32_t)r->alerts.n;

	if (c != NONE) {
		child *ch = &r->children.v[c];
		a.case_no = ch->case_open ? ch->case_no : 0;
		vec_push(&ch->alerts, idx);
	}
	vec_push(&r->alerts, a);
	hmap_put_str(&r->alert_by_ref, ref, idx);
	r->stats.alerts++;
	return idx;
}

void raise_alert(rules *r, rule_code code, uint32_t c, int32_t day, const uint64_t *evidence, size_t n_ev,
                 const char *fmt, ...)
{
	outgoing o = {0};
	buf reason = BUF_INIT;
	va_list ap;
	size_t i;

	if (!r->cfg->enabled[code])
		return;
	ref_for(r, code, c, day, &r->scratch);
	o.alert = alert_register(r, r->scratch.data, code, c, day);
	if (!r->sink)
		return; /* quiet: the ledger already holds this alert */
	o.ref = xstrdup(r->scratch.data);
	va_start(ap, fmt);
	buf_vprintf(&reason, fmt, ap);
	va_end(ap);
	o.reason = buf_detach(&reason);
	for (i = 0; i < n_ev && o.n_ev < MAX_EVIDENCE; i++) {
		size_t j;
		for (j = 0; j < o.n_ev && o.ev[j] != evidence[i]; j++)
			;
		if (evidence[i] && j == o.n_ev) /* each seq once */
			o.ev[o.n_ev++] = evidence[i];
	}
	vec_push(&r->out, o);
}

/* Hand queued alerts to the sink, in the order raised. */
static int flush_alerts(rules *r, sl_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < r->out.n; i++) {
		outgoing *o = &r->out.v[i];
		alert *a = &r->alerts.v[o->alert];
		rules_alert ra = {(rule_code)a->code,
		                  a->child == NONE ? NULL : r->people.v[r->children.v[a->child].person].id,
		                  a->raised_on, o->ref, o->reason, o->ev, o->n_ev};
		uint64_t seq = 0;
		if (!rc && r->sink && (rc = r->sink(r->sink_ctx, &ra, &seq, err)) == 0 && seq)
			r->alerts.v[o->alert].seq = seq;
		free(o->ref);
		free(o->reason);
	}
	r->out.n = 0;
	return rc;
}

int fire_item(rules *r, uint32_t it, int32_t day)
{
	item *p = &r->items.v[it];

	if (!p->done) {
		p->done = true;
		r->stats.timers_fired++;
		switch (p->code) {
		case RULE_CUMULATIVE_HARM:
			harm_fire(r, p, day);
			break;
		case RULE_UNACTIONED_AGENCY_INFO:
			network_fire(r, p, day);
			break;
		default:
			timescales_fire(r, p, day);
		}
		if (p->child != NONE)
			compact_pending(r, &r->children.v[p->child]);
	}
	vec_push(&r->free_items, it);
	return 0;
}

/* Fire every deadline whose day is `day` or earlier. */
static void fire_due(rules *r, int32_t day)
{
	while (r->heap.n && r->heap.v[0].fire <= day)
		fire_item(r, heap_pop(r).item, day);
}

/* --- the model --- */

static uint32_t child_new(rules *r, uint32_t p)
{
	child c = {0};
	c.person = p;
	c.worker = c.visit_item = c.review_item = c.drift_item = NONE;
	c.case_opened = c.plan_start = c.lac_start = c.last_seen = NO_DAY;
	c.last_referral = c.last_action = c.s47_strategy = NO_DAY;
	c.missing_armed = true;
	vec_push(&r->children, c);
	r->stats.children++;
	return (uint32_t)(r->children.n - 1);
}

static void open_case(rules *r, uint32_t c, const ev *e)
{
	child *ch = &r->children.v[c];
	if (ch->case_open)
		return;
	ch->case_open = true;
	ch->case_no++;
	ch->case_opened = e->day;
	timescales_case_opened(r, c, e);
}

static uint8_t category_of(const json_t *v)
{
	static const char *const names[] = {"", "neglect", "physical", "emotional", "sexual", "multiple",
	                                    "exploitation", "domestic_abuse", "other"};
	const char *s = json_string_value(v);
	size_t i;
	for (i = 1; s && i < SL_ARRAY_LEN(names); i++)
		if (strcmp(names[i], s) == 0)
			return (uint8_t)i;
	return CAT_NONE;
}

static void set_worker(rules *r, uint32_t c, uint32_t w, const ev *e)
{
	child *ch = &r->children.v[c];
	int max = param(r, P_CASELOAD_MAX);

	if (ch->worker == w)
		return;
	if (ch->worker != NONE) {
		worker *old = &r->workers.v[ch->worker];
		if (--old->count <= (uint32_t)max)
			old->armed = true; /* re-arms once back within the limit */
	}
	ch->worker = w;
	if (w == NONE)
		return;
	worker *nw = &r->workers.v[w];
	nw->count++;
	if (nw->count > (uint32_t)max && nw->armed) {
		nw->armed = false;
		raise_alert(r, RULE_CASELOAD_HIGH, c, e->day, &e->seq, 1,
		            "%s now holds %u children (more than %d)", nw->login, nw->count, max);
	}
}

static uint32_t worker_get(rules *r, const char *login)
{
	uint64_t v;
	worker w;
	if (hmap_get_str(&r->worker_by_login, login, &v))
		return (uint32_t)v;
	w.login = xstrdup(login);
	w.count = 0;
	w.armed = true;
	vec_push(&r->workers, w);
	hmap_put_str(&r->worker_by_login, login, r->workers.n - 1);
	return (uint32_t)(r->workers.n - 1);
}

static void end_plan(rules *r, uint32_t c)
{
	child *ch = &r->children.v[c];
	ch->plan_live = false;
	item_cancel(r, &ch->review_item);
	item_cancel(r, &ch->drift_item);
}

/* --- event handlers: one per kind --- */

static void on_person_registered(rules *r, const ev *e)
{
	const char *id = json_string_value(json_object_get(e->data, "id"));
	person p = {0};
	uint32_t idx;

	if (!id || person_find(r, id) != NONE)
		return;
	p.id = xstrdup(id);
	p.is_child = strcmp(json_string_value(json_object_get(e->data, "role")) ?: "", "child") == 0;
	p.born = parse_day(json_object_get(e->data, "born"));
	idx = (uint32_t)r->people.n;
	vec_push(&r->people, p);
	hmap_put_str(&r->person_by_id, id, idx);
	hmap_put_u64(&r->person_by_seq, e->seq, idx);
	if (r->people.v[idx].is_child)
		r->people.v[idx].child = child_new(r, idx);
	r->stats.people++;
}

static void person_fields(rules *r, uint32_t p, const json_t *data)
{
	int32_t born = parse_day(json_object_get(data, "born"));
	if (born != NO_DAY)
		r->people.v[p].born = born;
}

static void on_person_updated(rules *r, const ev *e)
{
	uint32_t p = person_find(r, json_string_value(json_object_get(e->data, "id")));
	if (p == NONE)
		return;
	hmap_put_u64(&r->person_by_seq, e->seq, p);
	person_fields(r, p, e->data);
}

static void link_pair(rules *r, const ev *e, bool add)
{
	uint32_t a = person_find(r, json_string_value(json_object_get(e->data, "a")));
	uint32_t b = person_find(r, json_string_value(json_object_get(e->data, "b")));
	const char *rel = json_string_value(json_object_get(e->data, "relation"));
	uint8_t relation = (uint8_t)(rel ? rel[0] ^ (uint8_t)strlen(rel) : 0); /* a tag, not a name */
	uint32_t ends[2][2] = {{a, b}, {b, a}};
	bool was;
	int k;

	if (a == NONE || b == NONE)
		return;
	was = linked(r, a, b);
	for (k = 0; k < 2; k++) {
		person *p = &r->people.v[ends[k][0]];
		size_t i;
		if (add) {
			link l = {ends[k][1], relation};
			vec_push(&p->links, l);
			continue;
		}
		for (i = 0; i < p->links.n; i++)
			if (p->links.v[i].other == ends[k][1] && p->links.v[i].relation == relation) {
				p->links.v[i] = p->links.v[--p->links.n];
				break;
			}
	}
	if (add && !was)
		network_linked(r, a, b, e);
	else if (!add && was && !linked(r, a, b))
		network_unlinked(r, a, b);
}

static void on_person_linked(rules *r, const ev *e) { link_pair(r, e, true); }
static void on_person_unlinked(rules *r, const ev *e) { link_pair(r, e, false); }

static void on_contact(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c != NONE)
		timescales_referral(r, c, e, false);
}

static void on_referral(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	const char *d = json_string_value(json_object_get(e->data, "decision"));
	bool referral = d && (strcmp(d, "assessment") == 0 || strcmp(d, "strategy") == 0);

	if (c == NONE)
		return;
	network_action(r, c, e->day);
	if (referral)
		open_case(r, c, e);
	timescales_referral(r, c, e, referral);
}

static void on_assessment_started(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c == NONE)
		return;
	network_action(r, c, e->day);
	open_case(r, c, e);
}

static void on_assessment_completed(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c != NONE)
		answer(r, c, RULE_LATE_ASSESSMENT, e->day);
}

static void on_strategy(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	child *ch;
	if (c == NONE)
		return;
	network_action(r, c, e->day);
	open_case(r, c, e);
	harm_strategy(r, c);
	ch = &r->children.v[c];
	if (json_is_true(json_object_get(e->data, "s47"))) {
		ch->s47_strategy = e->day;
		ch->s47_strategy_seq = e->seq;
	}
}

static void on_s47(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c != NONE && json_is_true(json_object_get(e->data, "icpc")))
		timescales_s47_completed(r, c, e);
}

static void on_conference(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	const char *type = json_string_value(json_object_get(e->data, "type"));
	bool plan = json_is_true(json_object_get(e->data, "plan"));
	uint8_t cat = category_of(json_object_get(e->data, "category"));
	child *ch;

	if (c == NONE)
		return;
	ch = &r->children.v[c];
	if (type && strcmp(type, "initial") == 0)
		answer(r, c, RULE_LATE_ICPC, e->day);
	if (plan && !ch->plan_live) {
		open_case(r, c, e);
		ch = &r->children.v[c];
		if (ch->plans)
			raise_alert(r, RULE_REPEAT_PLAN, c, e->day, (uint64_t[]){e->seq, ch->plan_seq}, 2,
			            "a child protection plan starts for a child who has had %u before", ch->plans);
		ch->plans++;
		ch->plan_live = true;
		ch->plan_start = e->day;
		ch->plan_seq = e->seq;
		ch->plan_category = cat;
		ch->visit_alerted = false;
		timescales_plan_started(r, c, e);
		timescales_visits_changed(r, c, e->day);
	} else if (plan) {
		timescales_review_held(r, c, e);
		if (cat != CAT_NONE && cat != ch->plan_category) {
			uint8_t old = ch->plan_category;
			ch->plan_category = cat;
			harm_drop_concerns(r, c, e, old, cat, false);
		}
	} else if (ch->plan_live) {
		end_plan(r, c);
		harm_drop_concerns(r, c, e, 0, 0, true);
		timescales_visits_changed(r, c, e->day);
	}
}

static void on_meeting(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	const char *type = json_string_value(json_object_get(e->data, "type"));
	if (c == NONE || !type)
		return;
	if (strcmp(type, "core_group") == 0)
		answer(r, c, RULE_LATE_CORE_GROUP, e->day);
	else if (strcmp(type, "legal_planning") == 0 && r->children.v[c].plan_live)
		item_cancel(r, &r->children.v[c].drift_item); /* the plan was escalated */
}

static void on_cin(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c == NONE)
		return;
	if (strcmp(e->kind, "cin_plan.started") == 0) {
		open_case(r, c, e);
		r->children.v[c].cin = true;
	} else {
		r->children.v[c].cin = false;
	}
}

static void on_lac(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	child *ch;
	if (c == NONE)
		return;
	if (strcmp(e->kind, "lac.started") == 0) {
		open_case(r, c, e);
		ch = &r->children.v[c];
		if (ch->plan_live)
			item_cancel(r, &ch->drift_item); /* becoming looked after escalates the plan */
		if (!ch->lac) {
			ch->lac = true;
			ch->lac_start = e->day;
			ch->lac_seq = e->seq;
			ch->visit_alerted = false;
		}
	} else {
		r->children.v[c].lac = false;
	}
	timescales_visits_changed(r, c, e->day);
}

static void on_visit(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	child *ch;
	if (c == NONE)
		return;
	network_action(r, c, e->day);
	if (!json_is_true(json_object_get(e->data, "seen")))
		return; /* only a child seen counts as a visit (6.1.9) */
	answer(r, c, RULE_LATE_VISIT, e->day);
	ch = &r->children.v[c];
	if (ch->last_seen == NO_DAY || e->day >= ch->last_seen) {
		ch->last_seen = e->day;
		ch->last_seen_seq = e->seq;
	}
	ch->visit_alerted = false;
	timescales_visits_changed(r, c, e->day);
}

static void on_concern(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	child *ch;
	concern k = {0};
	if (c == NONE)
		return;
	ch = &r->children.v[c];
	k.seq = e->seq;
	k.day = e->day;
	k.category = category_of(json_object_get(e->data, "category"));
	k.significant = json_is_true(json_object_get(e->data, "significant_harm"));
	vec_push(&ch->concerns, k);
	hmap_put_u64(&r->concern_by_seq, e->seq, (uint64_t)c << 32 | (ch->concerns.n - 1));
	if (k.significant)
		harm_item_added(r, c, e, event_agency_bit(e, "agency"));
}

static bool resolve_ref(rules *r, const json_t *ref, uint64_t *seq)
{
	if (json_is_integer(ref)) {
		*seq = (uint64_t)json_integer_value(ref);
		return true;
	}
	return r->resolve && r->resolve(r->resolve_ctx, ref, seq, NULL) == 0;
}

static concern *concern_by_ref(rules *r, const json_t *ref)
{
	uint64_t seq, v;
	if (!resolve_ref(r, ref, &seq) || !hmap_get_u64(&r->concern_by_seq, seq, &v))
		return NULL;
	return &r->children.v[v >> 32].concerns.v[v & 0xffffffffu];
}

static void on_concern_resolved(rules *r, const ev *e)
{
	concern *k = concern_by_ref(r, json_object_get(e->data, "concern"));
	if (k)
		k->resolved = true;
}

static void on_injury(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c == NONE)
		return;
	harm_injury(r, c, e);
	harm_item_added(r, c, e, event_agency_bit(e, "agency"));
}

static void on_missing_started(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c != NONE)
		harm_missing_started(r, c, e);
}

static void on_missing_ended(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c != NONE && !json_is_true(json_object_get(e->data, "return_interview")))
		timescales_missing_ended(r, c, e);
}

static void on_return_interview(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	if (c != NONE)
		answer(r, c, RULE_MISSING_NO_RETURN_INTERVIEW, e->day);
}

static void on_risk_flagged(rules *r, const ev *e)
{
	uint32_t p = person_find(r, json_string_value(json_object_get(e->data, "person")));
	if (p != NONE && json_is_true(json_object_get(e->data, "risk_to_children")))
		network_risk_flagged(r, p, e);
}

static void on_risk_cleared(rules *r, const ev *e)
{
	uint32_t p = person_find(r, json_string_value(json_object_get(e->data, "person")));
	if (p != NONE)
		network_risk_cleared(r, p, e);
}

static void on_partner_info(rules *r, const ev *e)
{
	network_partner_info(r, e);
}

static void on_allocated(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	const char *login = json_string_value(json_object_get(e->data, "worker"));
	if (c == NONE || !login)
		return;
	set_worker(r, c, worker_get(r, login), e);
	open_case(r, c, e);
	timescales_allocated(r, c, e);
}

static void on_closed(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	child *ch;
	buf why = BUF_INIT;

	if (c == NONE)
		return;
	if (!e->info->live && harm_closure_blocked(r, c, e->data, &why))
		raise_alert(r, RULE_CLOSURE_BLOCKED, c, e->day, &e->seq, 1,
		            "case closed without senior authorisation while %s", why.data);
	buf_release(&why);
	harm_drop_concerns(r, c, e, 0, 0, true);
	ch = &r->children.v[c];
	end_plan(r, c);
	ch->cin = false;
	ch->lac = false;
	set_worker(r, c, NONE, e);
	ch->case_open = false;
	timescales_case_closed(r, c);
}

static void on_escalation(rules *r, const ev *e)
{
	timescales_escalation(r, e);
}

static void on_escalation_answered(rules *r, const ev *e)
{
	uint64_t seq;
	if (resolve_ref(r, json_object_get(e->data, "escalation"), &seq))
		timescales_escalation_answered(r, e, seq);
}

static void on_amendment_requested(rules *r, const ev *e)
{
	uint64_t target;
	if (!resolve_ref(r, json_object_get(e->data, "target"), &target))
		return;
	json_t *req = json_pack("{sIsO}", "target", (json_int_t)target, "data", json_object_get(e->data, "data"));
	vec_push(&r->requests, req);
	hmap_put_u64(&r->request_by_seq, e->seq, r->requests.n - 1);
}

/* Rules see amended values from the approval on (6.1.16): a person's birth
 * date, a concern's category and significance. */
static void on_amendment_approved(rules *r, const ev *e)
{
	uint64_t seq, idx, v, target;
	const json_t *req, *data;
	concern *k;

	if (!resolve_ref(r, json_object_get(e->data, "request"), &seq) ||
	    !hmap_get_u64(&r->request_by_seq, seq, &idx))
		return;
	req = r->requests.v[idx];
	target = (uint64_t)json_integer_value(json_object_get(req, "target"));
	data = json_object_get(req, "data");
	if (hmap_get_u64(&r->person_by_seq, target, &v)) {
		person_fields(r, (uint32_t)v, data);
	} else if (hmap_get_u64(&r->concern_by_seq, target, &v)) {
		k = &r->children.v[v >> 32].concerns.v[v & 0xffffffffu];
		if (json_object_get(data, "category"))
			k->category = category_of(json_object_get(data, "category"));
		if (json_object_get(data, "significant_harm"))
			k->significant = json_is_true(json_object_get(data, "significant_harm"));
	}
}

/* An alert recorded in the ledger: known already when this engine raised
 * it, new when it was raised under another configuration. */
static void on_alert_raised(rules *r, const ev *e)
{
	const char *ref = json_string_value(json_object_get(e->event, "ref"));
	int code = rule_from_name(json_string_value(json_object_get(e->data, "code")) ?: "");
	uint64_t v;
	uint32_t c = child_of(r, json_object_get(e->data, "child"));

	if (!ref || code < 0)
		return;
	if (!hmap_get_str(&r->alert_by_ref, ref, &v))
		v = alert_register(r, ref, (rule_code)code, c, e->day);
	r->alerts.v[v].seq = e->seq;
}

static void on_alert_decided(rules *r, const ev *e)
{
	uint64_t v;
	if (!hmap_get_str(&r->alert_by_ref, json_string_value(json_object_get(e->data, "alert")) ?: "", &v))
		return;
	if (strcmp(e->kind, "alert.resolved") == 0)
		r->alerts.v[v].resolved = true;
	else
		r->alerts.v[v].acknowledged = true;
}

static void on_nothing(rules *r, const ev *e)
{
	(void)r;
	(void)e;
}

static const struct handler {
	const char *kind;
	void (*fn)(rules *r, const ev *e);
} handlers[] = {
	{"person.registered", on_person_registered},
	{"person.updated", on_person_updated},
	{"person.linked", on_person_linked},
	{"person.unlinked", on_person_unlinked},
	{"contact.received", on_contact},
	{"referral.decided", on_referral},
	{"assessment.started", on_assessment_started},
	{"assessment.completed", on_assessment_completed},
	{"strategy.held", on_strategy},
	{"s47.completed", on_s47},
	{"conference.held", on_conference},
	{"meeting.held", on_meeting},
	{"cin_plan.started", on_cin},
	{"cin_plan.ended", on_cin},
	{"lac.started", on_lac},
	{"lac.ended", on_lac},
	{"visit.recorded", on_visit},
	{"note.recorded", on_nothing},
	{"agency_info.received", on_partner_info},
	{"concern.raised", on_concern},
	{"concern.resolved", on_concern_resolved},
	{"injury.observed", on_injury},
	{"missing.started", on_missing_started},
	{"missing.ended", on_missing_ended},
	{"return_interview.recorded", on_return_interview},
	{"risk.flagged", on_risk_flagged},
	{"risk.cleared", on_risk_cleared},
	{"domestic_abuse.notified", on_partner_info},
	{"case.allocated", on_allocated},
	{"case.closed", on_closed},
	{"escalation.raised", on_escalation},
	{"escalation.answered", on_escalation_answered},
	{"supervision.recorded", on_nothing},
	{"amendment.requested", on_amendment_requested},
	{"amendment.approved", on_amendment_approved},
	{"amendment.rejected", on_nothing},
	{"alert.raised", on_alert_raised},
	{"alert.acknowledged", on_alert_decided},
	{"alert.resolved", on_alert_decided},
	/* who may read a record (DESIGN 8): nothing for the rules */
	{"record.sealed", on_nothing},
	{"record.unsealed", on_nothing},
	{"access.granted", on_nothing},
	{"access.revoked", on_nothing},
	{"access.break_glass", on_nothing},
};

/* --- the public interface --- */

static hmap handler_index = HMAP_INIT; /* built once; read-only after */

rules *rules_new(const rules_config *cfg, rules_resolve resolve, void *resolve_ctx)
{
	rules *r = xcalloc(1, sizeof *r);
	static bool indexed;

	if (!indexed) {
		size_t i;
		for (i = 0; i < SL_ARRAY_LEN(handlers); i++)
			hmap_put_str(&handler_index, handlers[i].kind, i);
		indexed = true;
	}
	r->cfg = cfg;
	r->cal = cfg->cal;
	r->resolve = resolve;
	r->resolve_ctx = resolve_ctx;
	r->last_tick = INT32_MIN;
	return r;
}

void rules_free(rules *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->people.n; i++) {
		free(r->people.v[i].id);
		free(r->people.v[i].links.v);
		free(r->people.v[i].partner.v);
		free(r->people.v[i].da.v);
	}
	for (i = 0; i < r->children.n; i++) {
		child *c = &r->children.v[i];
		free(c->harm.v);
		free(c->concerns.v);
		free(c->missing.v);
		free(c->pending.v);
		free(c->alerts.v);
	}
	for (i = 0; i < r->workers.n; i++)
		free(r->workers.v[i].login);
	for (i = 0; i < r->alerts.n; i++)
		free(r->alerts.v[i].ref);
	for (i = 0; i < r->requests.n; i++)
		json_decref(r->requests.v[i]);
	for (i = 0; i < r->out.n; i++) {
		free(r->out.v[i].ref);
		free(r->out.v[i].reason);
	}
	free(r->people.v);
	free(r->children.v);
	free(r->workers.v);
	free(r->items.v);
	free(r->free_items.v);
	free(r->alerts.v);
	free(r->heap.v);
	free(r->out.v);
	free(r->requests.v);
	hmap_free(&r->person_by_id);
	hmap_free(&r->worker_by_login);
	hmap_free(&r->alert_by_ref);
	hmap_free(&r->concern_by_seq);
	hmap_free(&r->escalation_by_seq);
	hmap_free(&r->person_by_seq);
	hmap_free(&r->request_by_seq);
	hmap_free(&r->pairs);
	buf_release(&r->scratch);
	free(r);
}

void rules_set_sink(rules *r, rules_sink sink, void *ctx)
{
	r->sink = sink;
	r->sink_ctx = ctx;
}

int rules_check(rules *r, const json_t *event, sl_err *err)
{
	const json_t *data = json_object_get(event, "data");
	uint32_t c;
	buf why = BUF_INIT;
	int rc = 0;

	if (strcmp(json_string_value(json_object_get(event, "kind")) ?: "", "case.closed") != 0 ||
	    !r->cfg->enabled[RULE_CLOSURE_BLOCKED])
		return 0;
	c = child_of(r, json_object_get(data, "child"));
	if (c != NONE && harm_closure_blocked(r, c, data, &why))
		rc = sl_fail(err, SL_EDENIED,
		             "CLOSURE_BLOCKED: the case of %s cannot be closed while %s; resolve them, or "
		             "record the closure with `authorised_by` naming the senior manager who "
		             "authorised it",
		             r->people.v[r->children.v[c].person].id, why.data);
	buf_release(&why);
	return rc;
}

int rules_event(rules *r, const json_t *event, const rules_event_info *info, sl_err *err)
{
	ev e = {event, json_object_get(event, "data"), json_object_get(event, "by"),
	        json_string_value(json_object_get(event, "kind")), info->seq, NO_DAY, info};
	uint64_t h;

	if (!e.kind || !hmap_get_str(&handler_index, e.kind, &h))
		return sl_fail(err, SL_EINVAL, "rules: unknown kind `%s`", e.kind ? e.kind : "");
	if ((e.day = parse_day(json_object_get(event, "occurred_at"))) == NO_DAY)
		return sl_fail(err, SL_EINVAL, "rules: event %llu has no valid occurred_at",
		               (unsigned long long)info->seq);
	r->stats.events++;
	handlers[h].fn(r, &e);
	if (info->live)
		timescales_late_entry(r, &e);
	/* A deadline already past when the event that set it arrives (a late
	 * entry) falls due at once, on the last day ticked. */
	if (r->last_tick != INT32_MIN)
		fire_due(r, r->last_tick);
	return flush_alerts(r, err);
}

int rules_tick(rules *r, int32_t day, sl_err *err)
{
	int32_t d;
	int rc;

	if (r->last_tick == INT32_MIN) {
		r->last_tick = day;
		fire_due(r, day);
		return flush_alerts(r, err);
	}
	for (d = r->last_tick + 1; d <= day; d++) {
		if (!calendar_is_working_day(r->cal, d))
			continue;
		fire_due(r, d);
		r->last_tick = d;
		if ((rc = flush_alerts(r, err)))
			return rc;
	}
	if (day > r->last_tick)
		r->last_tick = day;
	return 0;
}

int32_t rules_last_tick(const rules *r)
{
	return r->last_tick;
}

int rules_person_role(const rules *r, const char *id)
{
	uint32_t p = person_find(r, id);
	return p == NONE ? -1 : r->people.v[p].is_child;
}

bool rules_alert_exists(const rules *r, const char *ref)
{
	return hmap_get_str(&r->alert_by_ref, ref, NULL);
}

void rules_get_stats(const rules *r, rules_stats *out)
{
	*out = r->stats;
}

/* --- the model of one child, for the as-of view --- */

static json_t *day_json(int32_t day)
{
	char d[11];
	return day == NO_DAY ? json_null() : json_string(day_str(day, d));
}

json_t *rules_child_json(const rules *r, const char *id)
{
	static const char *const cats[] = {NULL, "neglect", "physical", "emotional", "sexual", "multiple",
	                                   "exploitation", "domestic_abuse", "other"};
	uint32_t p = person_find(r, id);
	const child *ch;
	json_t *o, *concerns, *due, *alerts;
	size_t i;

	if (p == NONE || !r->people.v[p].is_child)
		return NULL;
	ch = &r->children.v[r->people.v[p].child];
	o = json_object();
	json_object_set_new(o, "child", json_string(id));
	json_object_set_new(o, "born", day_json(r->people.v[p].born));
	json_object_set_new(o, "case", json_pack("{sbsoso}", "open", ch->case_open, "opened_on",
	                                         ch->case_open ? day_json(ch->case_opened) : json_null(),
	                                         "worker",
	                                         ch->worker == NONE ? json_null()
	                                                            : json_string(r->workers.v[ch->worker].login)));
	json_object_set_new(o, "cp_plan",
	                    ch->plan_live ? json_pack("{soso}", "since", day_json(ch->plan_start), "category",
	                                              cats[ch->plan_category] ? json_string(cats[ch->plan_category])
	                                                                      : json_null())
	                                  : json_null());
	json_object_set_new(o, "previous_cp_plans", json_integer(ch->plans - (ch->plan_live ? 1 : 0)));
	json_object_set_new(o, "looked_after", ch->lac ? json_pack("{so}", "since", day_json(ch->lac_start)) : json_null());
	json_object_set_new(o, "cin_plan", json_boolean(ch->cin));
	json_object_set_new(o, "last_seen", day_json(ch->last_seen));
	concerns = json_array();
	for (i = 0; i < ch->concerns.n; i++) {
		const concern *k = &ch->concerns.v[i];
		if (!k->resolved)
			json_array_append_new(concerns, json_pack("{sIsoss*sb}", "seq", (json_int_t)k->seq, "raised_on",
			                                          day_json(k->day), "category", cats[k->category],
			                                          "significant_harm", k->significant));
	}
	json_object_set_new(o, "open_concerns", concerns);
	due = json_array();
	for (i = 0; i < ch->pending.n; i++) {
		const item *it = &r->items.v[ch->pending.v[i]];
		if (!it->done)
			json_array_append_new(due, json_pack("{sssoso}", "rule", rule_name((rule_code)it->code), "due",
			                                     day_json(it->deadline), "alert_on", day_json(it->fire)));
	}
	json_object_set_new(o, "due", due);
	alerts = json_array();
	for (i = 0; i < ch->alerts.n; i++) {
		const alert *a = &r->alerts.v[ch->alerts.v[i]];
		if (!a->seq)
			continue; /* known to this engine, not recorded in the ledger */
		json_array_append_new(alerts, json_pack("{sIsssssoss}", "seq", (json_int_t)a->seq, "ref", a->ref, "code",
		                                        rule_name((rule_code)a->code), "raised_on",
		                                        day_json(a->raised_on), "state",
		                                        a->resolved ? "resolved" : a->acknowledged ? "acknowledged" : "open"));
	}
	json_object_set_new(o, "alerts", alerts);
	return o;
}
