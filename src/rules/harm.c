/*
 * harm.c - the rules about harm to the child: NONMOBILE_INJURY,
 * CUMULATIVE_HARM, CONCERN_DROPPED, MISSING_PATTERN and CLOSURE_BLOCKED.
 *
 * These are the patterns serious case reviews find again and again: bruises
 * on a baby, injuries seen by a GP, A&E and a nursery that never added up,
 * a sexual-abuse concern that slipped off the radar when the plan's
 * category changed, a girl missing again and again, a case closed while the
 * harm was still there.
 */
#include "util/common.h"
#include "rules/rules_internal.h"

void harm_injury(rules *r, uint32_t c, const ev *e)
{
	person *p = &r->people.v[r->children.v[c].person];
	int months = param(r, P_NONMOBILE_MONTHS);
	char d[11];

	if (p->born != NO_DAY && e->day >= p->born && e->day < date_add_months(p->born, months))
		raise_alert(r, RULE_NONMOBILE_INJURY, c, e->day, &e->seq, 1,
		            "injury to a child under %d months old (born %s)", months, day_str(p->born, d));
}

static int popcount(uint32_t x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

/* CUMULATIVE_HARM (6.1.5): look back from each new item. */
void harm_item_added(rules *r, uint32_t c, const ev *e, uint32_t agency)
{
	child *ch = &r->children.v[c];
	int32_t from = date_add_months(e->day, -param(r, P_HARM_WINDOW_MONTHS));
	harm_item h = {e->day, agency, e->seq};
	uint32_t agencies = 0, it;
	size_t i, j = 0, count = 0;

	vec_push(&ch->harm, h);
	for (i = 0; i < ch->harm.n; i++) {
		harm_item *x = &ch->harm.v[i];
		if (x->day < from)
			continue; /* out of every later window too */
		ch->harm.v[j++] = *x;
		if (x->day <= e->day) {
			count++;
			agencies |= x->agency_bit;
		}
	}
	ch->harm.n = j;
	if (ch->harm_pending || ch->harm_latched || count < (size_t)param(r, P_HARM_ITEMS) ||
	    popcount(agencies) < param(r, P_HARM_AGENCIES))
		return;
	/* raised on the next working day unless a strategy discussion comes first */
	it = item_new(r, RULE_CUMULATIVE_HARM, c, e->day, first_wd_after(r, e->day) - 1,
	              first_wd_after(r, e->day), (uint64_t)count << 8 | (uint64_t)popcount(agencies));
	ch = &r->children.v[c];
	for (i = ch->harm.n > MAX_EVIDENCE ? ch->harm.n - MAX_EVIDENCE : 0; i < ch->harm.n; i++)
		if (ch->harm.v[i].day <= e->day)
			item_evidence(r, it, ch->harm.v[i].seq);
	ch->harm_pending = true;
}

void harm_strategy(rules *r, uint32_t c)
{
	child *ch = &r->children.v[c];
	size_t i;

	if (ch->harm_pending)
		for (i = 0; i < ch->pending.n; i++)
			if (r->items.v[ch->pending.v[i]].code == RULE_CUMULATIVE_HARM)
				r->items.v[ch->pending.v[i]].done = true;
	ch->harm_pending = false;
	ch->harm_latched = false;
}

void harm_fire(rules *r, item *it, int32_t day)
{
	child *ch = &r->children.v[it->child];
	uint64_t evd[MAX_EVIDENCE];
	size_t n = it->n_ev;

	memcpy(evd, it->ev, n * sizeof *evd);
	ch->harm_pending = false;
	ch->harm_latched = true; /* not again until a strategy discussion */
	raise_alert(r, RULE_CUMULATIVE_HARM, it->child, day, evd, n,
	            "%llu injuries or significant-harm concerns from %llu agencies within %d months and no "
	            "strategy discussion",
	            (unsigned long long)(it->key >> 8), (unsigned long long)(it->key & 0xff),
	            param(r, P_HARM_WINDOW_MONTHS));
}

/* A plan category covers concerns of its own category; `multiple` covers
 * the four abuse categories (6.1.11). */
static bool covers(uint8_t plan, uint8_t concern_cat)
{
	if (plan == CAT_NONE)
		return false;
	if (plan == concern_cat)
		return true;
	return plan == CAT_MULTIPLE && concern_cat >= CAT_NEGLECT && concern_cat <= CAT_SEXUAL;
}

static const char *category_name(uint8_t c)
{
	static const char *const names[] = {"none", "neglect", "physical", "emotional", "sexual", "multiple",
	                                    "exploitation", "domestic_abuse", "other"};
	return c < SL_ARRAY_LEN(names) ? names[c] : "?";
}

void harm_drop_concerns(rules *r, uint32_t c, const ev *e, uint8_t old_cat, uint8_t new_cat, bool all)
{
	size_t i;

	for (i = 0; i < r->children.v[c].concerns.n; i++) {
		concern k = r->children.v[c].concerns.v[i];
		char d[11];
		if (k.resolved || !(all || (covers(old_cat, k.category) && !covers(new_cat, k.category))))
			continue;
		if (all)
			raise_alert(r, RULE_CONCERN_DROPPED, c, e->day, (uint64_t[]){k.seq, e->seq}, 2,
			            "%s concern of %s is unresolved when the %s ends", category_name(k.category),
			            day_str(k.day, d), strcmp(e->kind, "case.closed") == 0 ? "case" : "plan");
		else
			raise_alert(r, RULE_CONCERN_DROPPED, c, e->day, (uint64_t[]){k.seq, e->seq}, 2,
			            "%s concern of %s is unresolved when the plan's category changes from %s to %s",
			            category_name(k.category), day_str(k.day, d), category_name(old_cat),
			            category_name(new_cat));
	}
}

/* CLOSURE_BLOCKED (6.1.15); *why says what is unresolved. */
bool harm_closure_blocked(rules *r, uint32_t c, const json_t *data, buf *why)
{
	child *ch = &r->children.v[c];
	const char *auth = json_string_value(json_object_get(data, "authorised_by"));
	size_t i, concerns = 0, alerts = 0;
	uint64_t first_concern = 0;
	uint32_t first_alert = NONE;

	if (auth && *auth)
		return false;
	for (i = 0; i < ch->concerns.n; i++)
		if (ch->concerns.v[i].significant && !ch->concerns.v[i].resolved && !concerns++)
			first_concern = ch->concerns.v[i].seq;
	for (i = 0; i < ch->alerts.n; i++) {
		alert *a = &r->alerts.v[ch->alerts.v[i]];
		if (rule_is_harm((rule_code)a->code) && !a->resolved && ch->case_open && a->case_no == ch->case_no &&
		    !alerts++)
			first_alert = ch->alerts.v[i];
	}
	if (!concerns && !ch->plan_live && !alerts)
		return false;
	if (concerns)
		buf_printf(why, "%zu significant-harm concern%s unresolved (first: event %llu)", concerns,
		           concerns == 1 ? " is" : "s are", (unsigned long long)first_concern);
	if (ch->plan_live)
		buf_printf(why, "%sthe child protection plan is live", concerns ? "; " : "");
	if (alerts) {
		alert *a = &r->alerts.v[first_alert];
		char d[11];
		buf_printf(why, "%s%zu harm alert%s unresolved (first: %s of %s)", concerns || ch->plan_live ? "; " : "",
		           alerts, alerts == 1 ? " is" : "s are", rule_name((rule_code)a->code),
		           day_str(a->raised_on, d));
	}
	return true;
}

/* MISSING_PATTERN (6.1.8). */
void harm_missing_started(rules *r, uint32_t c, const ev *e)
{
	child *ch = &r->children.v[c];
	const json_t *ind = json_object_get(e->data, "indicators");
	int window = param(r, P_MISSING_WINDOW_DAYS), need = param(r, P_MISSING_EPISODES);
	size_t i, j = 0, count = 0;
	bool crossing, flagged = json_array_size(ind) > 0;

	vec_push(&ch->missing, e->day);
	for (i = 0; i < ch->missing.n; i++) {
		int32_t s = ch->missing.v[i];
		if (e->day - s > window)
			continue;
		ch->missing.v[j++] = s;
		if (s <= e->day)
			count++;
	}
	ch->missing.n = j;
	crossing = count >= (size_t)need && ch->missing_armed;
	if (count < (size_t)need)
		ch->missing_armed = true;
	if (crossing)
		ch->missing_armed = false;
	if (crossing)
		raise_alert(r, RULE_MISSING_PATTERN, c, e->day, &e->seq, 1,
		            "missing %zu times within %d days%s", count, window,
		            flagged ? ", with risk indicators" : "");
	else if (flagged)
		raise_alert(r, RULE_MISSING_PATTERN, c, e->day, &e->seq, 1,
		            "missing episode with risk indicators (%s)",
		            json_string_value(json_array_get(ind, 0)));
}
