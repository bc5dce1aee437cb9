/*
 * network.c - the rules that follow the family and household network and
 * what partner agencies tell us: ADULT_RISK_LINKED,
 * DOMESTIC_ABUSE_HOUSEHOLD and UNACTIONED_AGENCY_INFO.
 *
 * Information is attached to people, not to a case (seed 002: a probation
 * warning about a father months before his baby was born).  So a flag or a
 * notification about an adult reaches every child directly linked to that
 * adult, born or unborn, whichever comes first: the flag or the link
 * (DESIGN 6.1.7).
 */
#include "util/common.h"
#include "rules/rules_internal.h"

enum { TAG_RISK = 1, TAG_DA = 2, TAG_INFO = 3 }; /* kinds of latch in r->pairs */

static uint32_t social_care_bit(void)
{
	return agency_bit("social_care");
}

static void risk_linked(rules *r, uint32_t c, uint32_t adult, int32_t day, uint64_t seq)
{
	if (pair_get(r, TAG_RISK, c, adult))
		return;
	pair_set(r, TAG_RISK, c, adult, true);
	raise_alert(r, RULE_ADULT_RISK_LINKED, c, day, &seq, 1,
	            "linked to %s, an adult flagged as a risk to children", r->people.v[adult].id);
}

static void da_household(rules *r, uint32_t c, uint64_t notification, int32_t day, uint64_t seq)
{
	if (pair_get(r, TAG_DA, c, notification))
		return;
	pair_set(r, TAG_DA, c, notification, true);
	raise_alert(r, RULE_DOMESTIC_ABUSE_HOUSEHOLD, c, day, (uint64_t[]){notification, seq}, 2,
	            "domestic abuse notified involving an adult in the child's household or family");
}

/* Partner information concerning child c, known to social care from
 * `from` (the item's day, or the day the child was linked). */
static void partner_for_child(rules *r, uint32_t c, const partner_item *p, int32_t from, uint64_t link_seq)
{
	int n = param(r, P_AGENCY_INFO_WD);
	child *ch = &r->children.v[c];
	uint32_t it;

	if (pair_get(r, TAG_INFO, c, p->seq))
		return;
	pair_set(r, TAG_INFO, c, p->seq, true);
	if (ch->last_action != NO_DAY && ch->last_action >= p->day && ch->last_action <= add_wd(r, from, n))
		return; /* already acted on, that day */
	it = item_new(r, RULE_UNACTIONED_AGENCY_INFO, c, p->day, add_wd(r, from, n), add_wd(r, from, n + 1), p->seq);
	item_evidence(r, it, p->seq);
	if (link_seq)
		item_evidence(r, it, link_seq);
}

static void each_linked_child(rules *r, uint32_t adult, void (*fn)(rules *r, uint32_t c, void *ctx), void *ctx)
{
	size_t i;
	for (i = 0; i < r->people.v[adult].links.n; i++) {
		uint32_t other = r->people.v[adult].links.v[i].other;
		size_t j;
		bool seen = false;
		if (!r->people.v[other].is_child)
			continue;
		for (j = 0; j < i; j++) /* several relations to one child: once */
			if (r->people.v[adult].links.v[j].other == other)
				seen = true;
		if (!seen)
			fn(r, r->people.v[other].child, ctx);
	}
}

void network_linked(rules *r, uint32_t a, uint32_t b, const ev *e)
{
	uint32_t c, adult;
	person *p;
	size_t i;

	if (r->people.v[a].is_child == r->people.v[b].is_child)
		return;
	c = r->people.v[a].is_child ? r->people.v[a].child : r->people.v[b].child;
	adult = r->people.v[a].is_child ? b : a;
	p = &r->people.v[adult];
	if (p->risk_agencies)
		risk_linked(r, c, adult, e->day, e->seq);
	for (i = 0; i < r->people.v[adult].da.n; i++)
		da_household(r, c, r->people.v[adult].da.v[i], e->day, e->seq);
	for (i = 0; i < r->people.v[adult].partner.n; i++) {
		partner_item pi = r->people.v[adult].partner.v[i];
		if (pi.risk_flag && !(r->people.v[adult].risk_agencies & pi.agency_bit))
			continue; /* that flag has been cleared */
		partner_for_child(r, c, &pi, e->day, e->seq);
	}
}

void network_unlinked(rules *r, uint32_t a, uint32_t b)
{
	uint32_t c, adult;
	if (r->people.v[a].is_child == r->people.v[b].is_child)
		return;
	c = r->people.v[a].is_child ? r->people.v[a].child : r->people.v[b].child;
	adult = r->people.v[a].is_child ? b : a;
	pair_set(r, TAG_RISK, c, adult, false); /* re-arms */
}

struct flag_ctx { uint32_t adult; const ev *e; const partner_item *p; };

static void flag_child(rules *r, uint32_t c, void *ctx)
{
	struct flag_ctx *f = ctx;
	risk_linked(r, c, f->adult, f->e->day, f->e->seq);
}

static void partner_child(rules *r, uint32_t c, void *ctx)
{
	struct flag_ctx *f = ctx;
	partner_for_child(r, c, f->p, f->e->day, 0);
}

static void da_child(rules *r, uint32_t c, void *ctx)
{
	struct flag_ctx *f = ctx;
	da_household(r, c, f->e->seq, f->e->day, f->e->seq);
}

static void unlatch_child(rules *r, uint32_t c, void *ctx)
{
	pair_set(r, TAG_RISK, c, *(uint32_t *)ctx, false);
}

void network_risk_flagged(rules *r, uint32_t adult, const ev *e)
{
	uint32_t bit = event_agency_bit(e, "agency");
	partner_item p = {e->seq, e->day, bit, true};
	struct flag_ctx f = {adult, e, NULL};

	if (r->people.v[adult].is_child)
		return;
	r->people.v[adult].risk_agencies |= bit;
	each_linked_child(r, adult, flag_child, &f);
	if (bit == social_care_bit())
		return; /* our own flag is not partner information */
	vec_push(&r->people.v[adult].partner, p);
	f.p = &p;
	each_linked_child(r, adult, partner_child, &f);
}

void network_risk_cleared(rules *r, uint32_t adult, const ev *e)
{
	person *p = &r->people.v[adult];
	p->risk_agencies &= ~event_agency_bit(e, "agency");
	if (!p->risk_agencies)
		each_linked_child(r, adult, unlatch_child, &adult);
}

/* agency_info.received with significant harm, and domestic_abuse.notified
 * (6.1.6); risk flags come through network_risk_flagged. */
void network_partner_info(rules *r, const ev *e)
{
	uint32_t bit = event_agency_bit(e, "agency");
	partner_item p = {e->seq, e->day, bit, false};
	struct flag_ctx f = {NONE, e, &p};
	bool partner = bit != social_care_bit();
	const json_t *persons, *v;
	size_t i;
	bool any_adult = false;

	if (strcmp(e->kind, "agency_info.received") == 0) {
		uint32_t who = person_find(r, json_string_value(json_object_get(e->data, "person")));
		if (who == NONE || !partner || !json_is_true(json_object_get(e->data, "significant_harm")))
			return;
		if (r->people.v[who].is_child) {
			partner_for_child(r, r->people.v[who].child, &p, e->day, 0);
			return;
		}
		vec_push(&r->people.v[who].partner, p);
		each_linked_child(r, who, partner_child, &f);
		return;
	}
	/* domestic_abuse.notified */
	persons = json_object_get(e->data, "persons");
	json_array_foreach(persons, i, v) {
		uint32_t who = person_find(r, json_string_value(v));
		if (who != NONE && !r->people.v[who].is_child)
			any_adult = true;
	}
	json_array_foreach(persons, i, v) {
		uint32_t who = person_find(r, json_string_value(v));
		if (who == NONE)
			continue;
		if (r->people.v[who].is_child) {
			if (any_adult)
				da_household(r, r->people.v[who].child, e->seq, e->day, e->seq);
			if (partner)
				partner_for_child(r, r->people.v[who].child, &p, e->day, 0);
			continue;
		}
		vec_push(&r->people.v[who].da, e->seq);
		each_linked_child(r, who, da_child, &f);
		if (partner) {
			vec_push(&r->people.v[who].partner, p);
			each_linked_child(r, who, partner_child, &f);
		}
	}
}

/* An action for the child: referral decision, strategy discussion, visit,
 * assessment started (6.1.6). */
void network_action(rules *r, uint32_t c, int32_t day)
{
	child *ch = &r->children.v[c];
	if (ch->last_action == NO_DAY || day > ch->last_action)
		ch->last_action = day;
	answer(r, c, RULE_UNACTIONED_AGENCY_INFO, day);
}

void network_fire(rules *r, item *it, int32_t day)
{
	uint64_t evd[MAX_EVIDENCE];
	size_t n = it->n_ev;
	char d[11];

	memcpy(evd, it->ev, n * sizeof *evd);
	raise_alert(r, RULE_UNACTIONED_AGENCY_INFO, it->child, day, evd, n,
	            "partner information of %s about significant harm or risk has had no referral decision, "
	            "strategy discussion, visit or assessment by %s",
	            day_str(it->start, d), day_str(it->deadline, (char[11]){0}));
}
