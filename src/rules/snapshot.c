/*
 * snapshot.c - the engine's model written out and read back, so an
 * instance that restarts (the server, each CLI write) need not feed the
 * whole ledger through the rules again: it loads the snapshot and feeds
 * only the rows after it.
 *
 * A snapshot is a cache, never the record: the app keeps it beside the
 * database, stamps it with a tag that ties it to one ledger prefix and one
 * configuration, and ignores it (feeding the ledger instead) when anything
 * does not match.  So the format is simple rather than durable: fields in a
 * fixed order, little-endian, strings as length + bytes, every read bounds
 * checked, and a format number to bump whenever the model's structs change.
 */
#include "util/common.h"
#include "rules/rules_internal.h"

#define MAGIC "SLRULES"
#define FORMAT 1

/* --- writing --- */

static void w8(buf *b, uint8_t v) { buf_append(b, &v, 1); }
static void w32(buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	buf_append(b, x, 4);
}
static void w64(buf *b, uint64_t v)
{
	w32(b, (uint32_t)v);
	w32(b, (uint32_t)(v >> 32));
}
static void wi32(buf *b, int32_t v) { w32(b, (uint32_t)v); }
static void wstr(buf *b, const char *s, size_t len)
{
	w32(b, (uint32_t)len);
	buf_append(b, s, len);
}

static void write_map(buf *b, const hmap *m)
{
	size_t i;
	w64(b, m->count);
	for (i = 0; i < m->cap; i++)
		if (m->slots[i].hash) {
			wstr(b, m->arena + m->slots[i].key_off, m->slots[i].key_len);
			w64(b, m->slots[i].value);
		}
}

static void write_child(buf *b, const child *c)
{
	size_t i;

	w32(b, c->person);
	w8(b, c->case_open);
	w32(b, c->case_no);
	wi32(b, c->case_opened);
	w32(b, c->worker);
	w8(b, c->plan_live);
	wi32(b, c->plan_start);
	w64(b, c->plan_seq);
	w8(b, c->plan_category);
	w32(b, c->plans);
	w8(b, c->lac);
	w8(b, c->cin);
	wi32(b, c->lac_start);
	w64(b, c->lac_seq);
	wi32(b, c->last_seen);
	w64(b, c->last_seen_seq);
	w8(b, c->visit_alerted);
	w32(b, c->visit_item);
	w32(b, c->review_item);
	w32(b, c->drift_item);
	wi32(b, c->last_referral);
	w64(b, c->last_referral_seq);
	wi32(b, c->last_action);
	wi32(b, c->s47_strategy);
	w64(b, c->s47_strategy_seq);
	w64(b, c->harm.n);
	for (i = 0; i < c->harm.n; i++) {
		wi32(b, c->harm.v[i].day);
		w32(b, c->harm.v[i].agency_bit);
		w64(b, c->harm.v[i].seq);
	}
	w8(b, c->harm_pending);
	w8(b, c->harm_latched);
	w64(b, c->concerns.n);
	for (i = 0; i < c->concerns.n; i++) {
		w64(b, c->concerns.v[i].seq);
		wi32(b, c->concerns.v[i].day);
		w8(b, c->concerns.v[i].category);
		w8(b, c->concerns.v[i].significant);
		w8(b, c->concerns.v[i].resolved);
	}
	w64(b, c->missing.n);
	for (i = 0; i < c->missing.n; i++)
		wi32(b, c->missing.v[i]);
	w8(b, c->missing_armed);
	w64(b, c->pending.n);
	for (i = 0; i < c->pending.n; i++)
		w32(b, c->pending.v[i]);
	w64(b, c->alerts.n);
	for (i = 0; i < c->alerts.n; i++)
		w32(b, c->alerts.v[i]);
}

void rules_snapshot_write(const rules *r, const uint8_t tag[32], buf *out)
{
	size_t i, j;

	buf_append(out, MAGIC, 7);
	w8(out, FORMAT);
	buf_append(out, tag, 32);
	w64(out, r->serial);
	wi32(out, r->last_tick);
	w64(out, r->stats.events);
	w64(out, r->stats.alerts);
	w64(out, r->stats.timers_fired);
	w64(out, r->stats.children);
	w64(out, r->stats.people);

	w64(out, r->people.n);
	for (i = 0; i < r->people.n; i++) {
		const person *p = &r->people.v[i];
		wstr(out, p->id, strlen(p->id));
		w8(out, p->is_child);
		w32(out, p->child);
		wi32(out, p->born);
		w32(out, p->risk_agencies);
		w64(out, p->links.n);
		for (j = 0; j < p->links.n; j++) {
			w32(out, p->links.v[j].other);
			w8(out, p->links.v[j].relation);
		}
		w64(out, p->partner.n);
		for (j = 0; j < p->partner.n; j++) {
			w64(out, p->partner.v[j].seq);
			wi32(out, p->partner.v[j].day);
			w32(out, p->partner.v[j].agency_bit);
			w8(out, p->partner.v[j].risk_flag);
		}
		w64(out, p->da.n);
		for (j = 0; j < p->da.n; j++)
			w64(out, p->da.v[j]);
	}
	w64(out, r->children.n);
	for (i = 0; i < r->children.n; i++)
		write_child(out, &r->children.v[i]);
	w64(out, r->workers.n);
	for (i = 0; i < r->workers.n; i++) {
		wstr(out, r->workers.v[i].login, strlen(r->workers.v[i].login));
		w32(out, r->workers.v[i].count);
		w8(out, r->workers.v[i].armed);
	}
	w64(out, r->items.n);
	for (i = 0; i < r->items.n; i++) {
		const item *it = &r->items.v[i];
		w8(out, it->code);
		w8(out, it->done);
		w32(out, it->child);
		wi32(out, it->start);
		wi32(out, it->deadline);
		wi32(out, it->fire);
		w64(out, it->key);
		w8(out, it->n_ev);
		for (j = 0; j < it->n_ev; j++)
			w64(out, it->ev[j]);
	}
	w64(out, r->free_items.n);
	for (i = 0; i < r->free_items.n; i++)
		w32(out, r->free_items.v[i]);
	w64(out, r->alerts.n);
	for (i = 0; i < r->alerts.n; i++) {
		const alert *a = &r->alerts.v[i];
		w8(out, a->code);
		w8(out, a->resolved);
		w8(out, a->acknowledged);
		w32(out, a->child);
		wi32(out, a->raised_on);
		w32(out, a->case_no);
		w64(out, a->seq);
		wstr(out, a->ref, strlen(a->ref));
	}
	w64(out, r->heap.n);
	for (i = 0; i < r->heap.n; i++) {
		wi32(out, r->heap.v[i].fire);
		w32(out, r->heap.v[i].item);
		w64(out, r->heap.v[i].serial);
	}
	w64(out, r->requests.n);
	for (i = 0; i < r->requests.n; i++) {
		char *s = json_dumps(r->requests.v[i], JSON_COMPACT);
		wstr(out, s ? s : "null", s ? strlen(s) : 4);
		free(s);
	}
	write_map(out, &r->person_by_seq);
	write_map(out, &r->request_by_seq);
	write_map(out, &r->pairs);
	write_map(out, &r->escalation_by_seq);
}

/* --- reading --- */

typedef struct reader {
	const uint8_t *p, *end;
	bool bad;
} reader;

static bool need(reader *rd, size_t n)
{
	if (rd->bad || (size_t)(rd->end - rd->p) < n) {
		rd->bad = true;
		return false;
	}
	return true;
}
static uint8_t r8(reader *rd)
{
	return need(rd, 1) ? *rd->p++ : 0;
}
static uint32_t r32(reader *rd)
{
	uint32_t v;
	if (!need(rd, 4))
		return 0;
	v = (uint32_t)rd->p[0] | (uint32_t)rd->p[1] << 8 | (uint32_t)rd->p[2] << 16 | (uint32_t)rd->p[3] << 24;
	rd->p += 4;
	return v;
}
static uint64_t r64(reader *rd)
{
	uint64_t lo = r32(rd);
	return lo | (uint64_t)r32(rd) << 32;
}
static int32_t ri32(reader *rd) { return (int32_t)r32(rd); }
static bool rb(reader *rd) { return r8(rd) != 0; }
/* A count of things each at least `min` bytes long: a corrupt count cannot
 * make us allocate more than the snapshot could hold. */
static size_t rcount(reader *rd, size_t min)
{
	uint64_t n = r64(rd);
	if (rd->bad || n > (uint64_t)(rd->end - rd->p) / (min ? min : 1)) {
		rd->bad = true;
		return 0;
	}
	return (size_t)n;
}
static char *rstr(reader *rd)
{
	uint32_t len = r32(rd);
	char *s;
	if (!need(rd, len))
		return xstrdup("");
	s = xstrndup((const char *)rd->p, len);
	rd->p += len;
	return s;
}

/* Read a count, then run body that many times (i names the counter, so
 * that loops can nest). */
#define READ_EACH(rd, min, i, body) do { \
	size_t i##_n = rcount(rd, min), i; \
	for (i = 0; i < i##_n && !(rd)->bad; i++) { body; } \
} while (0)

static void read_map(reader *rd, hmap *m)
{
	size_t n = rcount(rd, 12), i;
	for (i = 0; i < n && !rd->bad; i++) {
		uint32_t len = r32(rd);
		const uint8_t *key = rd->p;
		if (!need(rd, len))
			return;
		rd->p += len;
		hmap_put(m, key, len, r64(rd));
	}
}

static void read_child(reader *rd, child *c)
{
	c->person = r32(rd);
	c->case_open = rb(rd);
	c->case_no = r32(rd);
	c->case_opened = ri32(rd);
	c->worker = r32(rd);
	c->plan_live = rb(rd);
	c->plan_start = ri32(rd);
	c->plan_seq = r64(rd);
	c->plan_category = r8(rd);
	c->plans = r32(rd);
	c->lac = rb(rd);
	c->cin = rb(rd);
	c->lac_start = ri32(rd);
	c->lac_seq = r64(rd);
	c->last_seen = ri32(rd);
	c->last_seen_seq = r64(rd);
	c->visit_alerted = rb(rd);
	c->visit_item = r32(rd);
	c->review_item = r32(rd);
	c->drift_item = r32(rd);
	c->last_referral = ri32(rd);
	c->last_referral_seq = r64(rd);
	c->last_action = ri32(rd);
	c->s47_strategy = ri32(rd);
	c->s47_strategy_seq = r64(rd);
	READ_EACH(rd, 16, k1, {
		harm_item h;
		h.day = ri32(rd);
		h.agency_bit = r32(rd);
		h.seq = r64(rd);
		vec_push(&c->harm, h);
	});
	c->harm_pending = rb(rd);
	c->harm_latched = rb(rd);
	READ_EACH(rd, 15, k2, {
		concern k;
		k.seq = r64(rd);
		k.day = ri32(rd);
		k.category = r8(rd);
		k.significant = rb(rd);
		k.resolved = rb(rd);
		vec_push(&c->concerns, k);
	});
	READ_EACH(rd, 4, k3, { int32_t d = ri32(rd); vec_push(&c->missing, d); });
	c->missing_armed = rb(rd);
	READ_EACH(rd, 4, k4, { uint32_t x = r32(rd); vec_push(&c->pending, x); });
	READ_EACH(rd, 4, k5, { uint32_t x = r32(rd); vec_push(&c->alerts, x); });
}

/* Indexes must point inside their arrays, or a damaged snapshot could make
 * the engine read out of bounds later. */
static bool check_indexes(const rules *r)
{
	size_t i, j;
	for (i = 0; i < r->people.n; i++) {
		const person *p = &r->people.v[i];
		if (p->is_child && (p->child >= r->children.n || r->children.v[p->child].person != i))
			return false;
		for (j = 0; j < p->links.n; j++)
			if (p->links.v[j].other >= r->people.n)
				return false;
	}
	for (i = 0; i < r->children.n; i++) {
		const child *c = &r->children.v[i];
		uint32_t its[3] = {c->visit_item, c->review_item, c->drift_item};
		if (c->person >= r->people.n || (c->worker != NONE && c->worker >= r->workers.n))
			return false;
		for (j = 0; j < 3; j++)
			if (its[j] != NONE && its[j] >= r->items.n)
				return false;
		for (j = 0; j < c->pending.n; j++)
			if (c->pending.v[j] >= r->items.n)
				return false;
		for (j = 0; j < c->alerts.n; j++)
			if (c->alerts.v[j] >= r->alerts.n)
				return false;
	}
	for (i = 0; i < r->items.n; i++)
		if ((r->items.v[i].child != NONE && r->items.v[i].child >= r->children.n) ||
		    r->items.v[i].code >= RULE_COUNT || r->items.v[i].n_ev > MAX_EVIDENCE)
			return false;
	for (i = 0; i < r->free_items.n; i++)
		if (r->free_items.v[i] >= r->items.n)
			return false;
	for (i = 0; i < r->heap.n; i++)
		if (r->heap.v[i].item >= r->items.n)
			return false;
	for (i = 0; i < r->alerts.n; i++)
		if ((r->alerts.v[i].child != NONE && r->alerts.v[i].child >= r->children.n) ||
		    r->alerts.v[i].code >= RULE_COUNT)
			return false;
	return true;
}

int rules_snapshot_read(rules *r, const void *data, size_t len, uint8_t tag[32], sl_err *err)
{
	reader rd = {data, (const uint8_t *)data + len, false};
	size_t i;

	assert(r->people.n == 0 && r->stats.events == 0); /* a fresh engine */
	if (len < 40 || memcmp(data, MAGIC, 7) != 0 || ((const uint8_t *)data)[7] != FORMAT)
		return sl_fail(err, SL_EINVAL, "not a rules snapshot of format %d", FORMAT);
	rd.p += 8;
	memcpy(tag, rd.p, 32);
	rd.p += 32;
	r->serial = r64(&rd);
	r->last_tick = ri32(&rd);
	r->stats.events = r64(&rd);
	r->stats.alerts = r64(&rd);
	r->stats.timers_fired = r64(&rd);
	r->stats.children = r64(&rd);
	r->stats.people = r64(&rd);
	READ_EACH(&rd, 29, k6, {
		person p = {0};
		p.id = rstr(&rd);
		p.is_child = rb(&rd);
		p.child = r32(&rd);
		p.born = ri32(&rd);
		p.risk_agencies = r32(&rd);
		READ_EACH(&rd, 5, k7, { link l; l.other = r32(&rd); l.relation = r8(&rd); vec_push(&p.links, l); });
		READ_EACH(&rd, 17, k8, {
			partner_item x;
			x.seq = r64(&rd);
			x.day = ri32(&rd);
			x.agency_bit = r32(&rd);
			x.risk_flag = rb(&rd);
			vec_push(&p.partner, x);
		});
		READ_EACH(&rd, 8, k9, { uint64_t x = r64(&rd); vec_push(&p.da, x); });
		vec_push(&r->people, p);
		hmap_put_str(&r->person_by_id, p.id, r->people.n - 1);
	});
	READ_EACH(&rd, 80, k10, {
		child c = {0};
		read_child(&rd, &c);
		vec_push(&r->children, c);
	});
	READ_EACH(&rd, 9, k11, {
		worker w;
		w.login = rstr(&rd);
		w.count = r32(&rd);
		w.armed = rb(&rd);
		vec_push(&r->workers, w);
		hmap_put_str(&r->worker_by_login, w.login, r->workers.n - 1);
	});
	READ_EACH(&rd, 27, k12, {
		item it = {0};
		size_t j;
		it.code = r8(&rd);
		it.done = rb(&rd);
		it.child = r32(&rd);
		it.start = ri32(&rd);
		it.deadline = ri32(&rd);
		it.fire = ri32(&rd);
		it.key = r64(&rd);
		it.n_ev = r8(&rd);
		if (it.n_ev > MAX_EVIDENCE)
			rd.bad = true;
		for (j = 0; j < it.n_ev && !rd.bad; j++)
			it.ev[j] = r64(&rd);
		vec_push(&r->items, it);
	});
	READ_EACH(&rd, 4, k13, { uint32_t x = r32(&rd); vec_push(&r->free_items, x); });
	READ_EACH(&rd, 27, k14, {
		alert a = {0};
		a.code = r8(&rd);
		a.resolved = rb(&rd);
		a.acknowledged = rb(&rd);
		a.child = r32(&rd);
		a.raised_on = ri32(&rd);
		a.case_no = r32(&rd);
		a.seq = r64(&rd);
		a.ref = rstr(&rd);
		vec_push(&r->alerts, a);
		hmap_put_str(&r->alert_by_ref, a.ref, r->alerts.n - 1);
	});
	READ_EACH(&rd, 16, k15, {
		timer t;
		t.fire = ri32(&rd);
		t.item = r32(&rd);
		t.serial = r64(&rd);
		vec_push(&r->heap, t);
	});
	READ_EACH(&rd, 4, k16, {
		char *s = rstr(&rd);
		json_t *j = json_loads(s, 0, NULL);
		free(s);
		if (!j)
			rd.bad = true;
		else
			vec_push(&r->requests, j);
	});
	read_map(&rd, &r->person_by_seq);
	read_map(&rd, &r->request_by_seq);
	read_map(&rd, &r->pairs);
	read_map(&rd, &r->escalation_by_seq);
	for (i = 0; i < r->children.n; i++) {
		child *c = &r->children.v[i];
		size_t k;
		for (k = 0; k < c->concerns.n; k++)
			hmap_put_u64(&r->concern_by_seq, c->concerns.v[k].seq, (uint64_t)i << 32 | k);
	}
	if (rd.bad || rd.p != rd.end || !check_indexes(r))
		return sl_fail(err, SL_ECORRUPT, "the rules snapshot is damaged");
	return 0;
}
