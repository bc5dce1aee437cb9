/*
 * timescales.c - the rules about time: statutory timescales in working days
 * (LATE_REFERRAL_DECISION, LATE_ASSESSMENT, LATE_ICPC, LATE_CORE_GROUP,
 * UNALLOCATED, ESCALATION_UNANSWERED), calendar timescales
 * (LATE_REVIEW_CONFERENCE, LATE_VISIT for looked-after children,
 * PLAN_DRIFT, MISSING_NO_RETURN_INTERVIEW), and the event-time rules about
 * referrals and recording (REPEAT_REFERRAL, LATE_ENTRY).
 *
 * Each timescale is an item with the last day it can be met and the day
 * its alert is raised (DESIGN 6.1.1): WD deadlines raise on the (N+1)-th
 * working day, calendar ones on the first working day after the due date.
 */
#include "util/common.h"
#include "rules/rules_internal.h"
#include "domain/vocab.h"

static uint32_t wd_item(rules *r, rule_code code, uint32_t c, int32_t from, rule_param p, uint64_t key,
                        uint64_t evidence)
{
	int n = param(r, p);
	uint32_t it = item_new(r, code, c, from, add_wd(r, from, n), add_wd(r, from, n + 1), key);
	item_evidence(r, it, evidence);
	return it;
}

static uint32_t calendar_item(rules *r, rule_code code, uint32_t c, int32_t from, int32_t due, uint64_t key,
                              uint64_t evidence)
{
	uint32_t it = item_new(r, code, c, from, due, first_wd_after(r, due), key);
	item_evidence(r, it, evidence);
	return it;
}

void timescales_referral(rules *r, uint32_t c, const ev *e, bool is_referral)
{
	child *ch = &r->children.v[c];
	char d[11];

	if (strcmp(e->kind, "contact.received") == 0) {
		wd_item(r, RULE_LATE_REFERRAL_DECISION, c, e->day, P_REFERRAL_DECISION_WD, 0, e->seq);
		return;
	}
	answer(r, c, RULE_LATE_REFERRAL_DECISION, e->day);
	if (!is_referral)
		return;
	if (ch->last_referral != NO_DAY && e->day >= ch->last_referral &&
	    e->day <= date_add_months(ch->last_referral, param(r, P_REPEAT_REFERRAL_MONTHS)))
		raise_alert(r, RULE_REPEAT_REFERRAL, c, e->day, (uint64_t[]){e->seq, ch->last_referral_seq}, 2,
		            "referred again within %d months of the referral of %s",
		            param(r, P_REPEAT_REFERRAL_MONTHS), day_str(ch->last_referral, d));
	ch->last_referral = e->day;
	ch->last_referral_seq = e->seq;
	wd_item(r, RULE_LATE_ASSESSMENT, c, e->day, P_ASSESSMENT_WD, 0, e->seq);
}

void timescales_case_opened(rules *r, uint32_t c, const ev *e)
{
	if (r->children.v[c].worker == NONE)
		wd_item(r, RULE_UNALLOCATED, c, e->day, P_UNALLOCATED_WD, 0, e->seq);
}

void timescales_allocated(rules *r, uint32_t c, const ev *e)
{
	answer(r, c, RULE_UNALLOCATED, e->day);
}

void timescales_plan_started(rules *r, uint32_t c, const ev *e)
{
	child *ch = &r->children.v[c];

	wd_item(r, RULE_LATE_CORE_GROUP, c, e->day, P_CORE_GROUP_WD, 0, e->seq);
	ch->review_item = calendar_item(r, RULE_LATE_REVIEW_CONFERENCE, c, e->day,
	                                date_add_months(e->day, param(r, P_FIRST_REVIEW_MONTHS)), 0, e->seq);
	ch = &r->children.v[c];
	ch->drift_item = calendar_item(r, RULE_PLAN_DRIFT, c, e->day,
	                               date_add_months(e->day, param(r, P_PLAN_DRIFT_MONTHS)), 0, e->seq);
}

void timescales_review_held(rules *r, uint32_t c, const ev *e)
{
	child *ch = &r->children.v[c];
	uint32_t it;

	if (ch->review_item != NONE && e->day <= r->items.v[ch->review_item].deadline)
		item_cancel(r, &ch->review_item);
	it = calendar_item(r, RULE_LATE_REVIEW_CONFERENCE, c, e->day,
	                   date_add_months(e->day, param(r, P_LATER_REVIEW_MONTHS)), 0, e->seq);
	r->children.v[c].review_item = it;
}

/* The visit clock (6.1.9): from the plan or looked-after start or the last
 * time the child was seen, whichever is later; a child both on a plan and
 * looked after has the plan's stricter limit. */
void timescales_visits_changed(rules *r, uint32_t c, int32_t day)
{
	child *ch = &r->children.v[c];
	int32_t from;
	uint64_t evidence;

	if (ch->visit_item != NONE) {
		if (day <= r->items.v[ch->visit_item].deadline)
			item_cancel(r, &ch->visit_item);
		else
			ch->visit_item = NONE; /* already late: it still falls due */
	}
	if (ch->visit_alerted)
		return; /* once per gap between visits */
	if (ch->plan_live) {
		from = ch->last_seen > ch->plan_start ? ch->last_seen : ch->plan_start;
		evidence = ch->last_seen > ch->plan_start ? ch->last_seen_seq : ch->plan_seq;
		ch->visit_item = wd_item(r, RULE_LATE_VISIT, c, from, P_VISIT_CP_WD, 0, evidence);
	} else if (ch->lac) {
		from = ch->last_seen > ch->lac_start ? ch->last_seen : ch->lac_start;
		evidence = ch->last_seen > ch->lac_start ? ch->last_seen_seq : ch->lac_seq;
		ch->visit_item = calendar_item(r, RULE_LATE_VISIT, c, from, from + param(r, P_VISIT_LAC_DAYS), 0,
		                               evidence);
	}
}

/* LATE_ICPC (6.1.10): 15 WD from the strategy discussion that started the
 * enquiry; raised at once when the enquiry's outcome is already late. */
void timescales_s47_completed(rules *r, uint32_t c, const ev *e)
{
	child *ch = &r->children.v[c];
	bool from_strategy = ch->s47_strategy != NO_DAY && ch->s47_strategy <= e->day;
	int32_t from = from_strategy ? ch->s47_strategy : e->day;
	uint64_t strategy_seq = from_strategy ? ch->s47_strategy_seq : 0;
	int n = param(r, P_ICPC_WD);
	char d[11];
	uint32_t it;

	if (e->day > add_wd(r, from, n)) {
		raise_alert(r, RULE_LATE_ICPC, c, e->day, (uint64_t[]){strategy_seq, e->seq}, 2,
		            "section 47 enquiry called for an initial conference after the %d working days "
		            "from the strategy discussion of %s had passed",
		            n, day_str(from, d));
		return;
	}
	it = wd_item(r, RULE_LATE_ICPC, c, from, P_ICPC_WD, 0, strategy_seq ? strategy_seq : e->seq);
	item_evidence(r, it, e->seq);
}

void timescales_escalation(rules *r, const ev *e)
{
	uint32_t c = child_of(r, json_object_get(e->data, "child"));
	uint32_t it = wd_item(r, RULE_ESCALATION_UNANSWERED, c, e->day, P_ESCALATION_WD, e->seq, e->seq);
	hmap_put_u64(&r->escalation_by_seq, e->seq, it);
}

void timescales_escalation_answered(rules *r, const ev *e, uint64_t escalation)
{
	uint64_t it;
	item *p;

	if (!hmap_get_u64(&r->escalation_by_seq, escalation, &it))
		return;
	p = &r->items.v[it];
	/* the slot may have been reused since: check it is still this one */
	if (p->code == RULE_ESCALATION_UNANSWERED && p->key == escalation && !p->done &&
	    e->day <= p->deadline)
		p->done = true;
}

void timescales_missing_ended(rules *r, uint32_t c, const ev *e)
{
	calendar_item(r, RULE_MISSING_NO_RETURN_INTERVIEW, c, e->day, e->day + param(r, P_RETURN_INTERVIEW_DAYS),
	              0, e->seq);
}

static void late_entry_child(void *ctx, const char *id)
{
	const ev *e = ((const void **)ctx)[1];
	rules *r = ((void **)ctx)[0];
	uint32_t p = person_find(r, id);
	char d[11];

	if (p == NONE || !r->people.v[p].is_child)
		return;
	raise_alert(r, RULE_LATE_ENTRY, r->people.v[p].child, e->info->recorded_day, &e->seq, 1,
	            "%s of %s recorded more than %d working days after it happened", e->kind,
	            day_str(e->day, d), param(r, P_LATE_ENTRY_WD));
}

/* LATE_ENTRY: live writes only; alerts and their decisions are not entries. */
void timescales_late_entry(rules *r, const ev *e)
{
	const void *ctx[2] = {r, e};

	if (strncmp(e->kind, "alert.", 6) == 0 || e->info->recorded_day == NO_DAY ||
	    e->info->recorded_day <= add_wd(r, e->day, param(r, P_LATE_ENTRY_WD)))
		return;
	vocab_event_persons(e->event, late_entry_child, (void *)ctx);
}

/* Nothing is due on a closed case. */
void timescales_case_closed(rules *r, uint32_t c)
{
	child *ch = &r->children.v[c];
	size_t i;

	for (i = 0; i < ch->pending.n; i++) {
		item *p = &r->items.v[ch->pending.v[i]];
		switch (p->code) {
		case RULE_LATE_ASSESSMENT:
		case RULE_LATE_ICPC:
		case RULE_LATE_CORE_GROUP:
		case RULE_LATE_REVIEW_CONFERENCE:
		case RULE_LATE_VISIT:
		case RULE_PLAN_DRIFT:
		case RULE_UNALLOCATED:
			p->done = true;
			break;
		default:
			break;
		}
	}
	ch->visit_item = ch->review_item = ch->drift_item = NONE;
	ch->visit_alerted = false;
}

void timescales_fire(rules *r, item *it, int32_t day)
{
	uint32_t idx = (uint32_t)(it - r->items.v), c = it->child;
	uint64_t evd[MAX_EVIDENCE];
	size_t n = it->n_ev;
	char s[11], dl[11];

	memcpy(evd, it->ev, n * sizeof *evd);
	day_str(it->start, s);
	day_str(it->deadline, dl);
	switch ((rule_code)it->code) {
	case RULE_LATE_REFERRAL_DECISION:
		raise_alert(r, it->code, c, day, evd, n, "contact of %s has no referral decision by %s (%d working day)",
		            s, dl, param(r, P_REFERRAL_DECISION_WD));
		break;
	case RULE_LATE_ASSESSMENT:
		raise_alert(r, it->code, c, day, evd, n,
		            "assessment not completed within %d working days of the referral of %s (due %s)",
		            param(r, P_ASSESSMENT_WD), s, dl);
		break;
	case RULE_LATE_ICPC:
		raise_alert(r, it->code, c, day, evd, n,
		            "no initial conference within %d working days of the strategy discussion of %s (due %s)",
		            param(r, P_ICPC_WD), s, dl);
		break;
	case RULE_LATE_REVIEW_CONFERENCE:
		if (r->children.v[c].review_item == idx)
			r->children.v[c].review_item = NONE;
		raise_alert(r, it->code, c, day, evd, n, "child protection review conference was due by %s", dl);
		break;
	case RULE_LATE_CORE_GROUP:
		raise_alert(r, it->code, c, day, evd, n,
		            "no core group meeting within %d working days of the initial conference of %s (due %s)",
		            param(r, P_CORE_GROUP_WD), s, dl);
		break;
	case RULE_LATE_VISIT: {
		child *ch = &r->children.v[c];
		if (ch->visit_item == idx) {
			ch->visit_item = NONE;
			ch->visit_alerted = true;
		}
		raise_alert(r, it->code, c, day, evd, n, "child not seen since %s: a visit was due by %s", s, dl);
		break;
	}
	case RULE_PLAN_DRIFT:
		if (r->children.v[c].drift_item == idx)
			r->children.v[c].drift_item = NONE;
		raise_alert(r, it->code, c, day, evd, n,
		            "child protection plan of %s has lasted %d months with no legal planning meeting "
		            "or care proceedings",
		            s, param(r, P_PLAN_DRIFT_MONTHS));
		break;
	case RULE_MISSING_NO_RETURN_INTERVIEW:
		raise_alert(r, it->code, c, day, evd, n,
		            "no return interview within %d days of the missing episode that ended on %s",
		            param(r, P_RETURN_INTERVIEW_DAYS), s);
		break;
	case RULE_UNALLOCATED:
		raise_alert(r, it->code, c, day, evd, n, "case open since %s has no allocated worker after %d working days",
		            s, param(r, P_UNALLOCATED_WD));
		break;
	case RULE_ESCALATION_UNANSWERED:
		raise_alert(r, it->code, c, day, evd, n, "escalation of %s has no answer after %d working days", s,
		            param(r, P_ESCALATION_WD));
		break;
	default:
		assert(!"timescales_fire: not a timescale");
	}
}
