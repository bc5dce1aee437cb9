/*
 * rules_internal.h - the engine's model, shared by the files of src/rules/
 * only: engine.c (state, deadlines, alerts, the event table) and one file
 * per family of rules (timescales.c, harm.c, network.c).
 *
 * Everything is indexes into arrays owned by the engine (people, children,
 * workers, items, alerts), never pointers, because the arrays grow.
 */
#ifndef SL_RULES_INTERNAL_H
#define SL_RULES_INTERNAL_H

#include "rules/rules.h"
#include "util/hmap.h"
#include "util/date.h"

#define NO_DAY INT32_MIN
#define NONE UINT32_MAX
#define MAX_EVIDENCE 8

/* A growable array of T: VEC(T) name; vec_push(&name, value). */
#define VEC(T) struct { T *v; size_t n, cap; }
#define vec_push(vp, x) do { \
	if ((vp)->n == (vp)->cap) { \
		(vp)->cap = (vp)->cap ? (vp)->cap * 2 : 4; \
		(vp)->v = xrealloc((vp)->v, (vp)->cap * sizeof *(vp)->v); \
	} \
	(vp)->v[(vp)->n++] = (x); \
} while (0)

/* Plan and concern categories (DESIGN 5). */
typedef enum category {
	CAT_NONE, CAT_NEGLECT, CAT_PHYSICAL, CAT_EMOTIONAL, CAT_SEXUAL, CAT_MULTIPLE,
	CAT_EXPLOITATION, CAT_DOMESTIC_ABUSE, CAT_OTHER
} category;

typedef struct harm_item { int32_t day; uint32_t agency_bit; uint64_t seq; } harm_item;
typedef struct concern {
	uint64_t seq;
	int32_t day;
	uint8_t category;
	bool significant, resolved;
} concern;
typedef struct link { uint32_t other; uint8_t relation; } link;
typedef struct partner_item { uint64_t seq; int32_t day; uint32_t agency_bit; bool risk_flag; } partner_item;

/* A deadline: something that must happen by `deadline`, or the alert is
 * raised on `fire` (the tick of that day).  Answered or cancelled items are
 * marked done and skipped when their day comes. */
typedef struct item {
	uint8_t code;
	bool done;
	uint32_t child; /* NONE: about no child (an escalation) */
	int32_t start, deadline, fire;
	uint64_t key; /* the escalation's or partner item's seq */
	uint8_t n_ev;
	uint64_t ev[MAX_EVIDENCE];
} item;

typedef struct child {
	uint32_t person;
	/* the case (DESIGN 6.1.3) */
	bool case_open;
	uint32_t case_no; /* count of openings: alerts remember which case */
	int32_t case_opened;
	uint32_t worker;
	/* CP plan (6.1.4), looked after, CIN plan */
	bool plan_live;
	int32_t plan_start;
	uint64_t plan_seq;
	uint8_t plan_category;
	uint32_t plans;
	bool lac, cin;
	int32_t lac_start;
	uint64_t lac_seq;
	/* visits */
	int32_t last_seen;
	uint64_t last_seen_seq;
	bool visit_alerted; /* this gap between visits already raised */
	uint32_t visit_item, review_item, drift_item;
	/* referrals and actions */
	int32_t last_referral;
	uint64_t last_referral_seq;
	int32_t last_action; /* referral.decided, strategy.held, visit.recorded, assessment.started */
	int32_t s47_strategy;
	uint64_t s47_strategy_seq;
	/* harm */
	VEC(harm_item) harm;
	bool harm_pending, harm_latched;
	VEC(concern) concerns;
	VEC(int32_t) missing; /* start days within the window */
	bool missing_armed;
	VEC(uint32_t) pending; /* items waiting for an answer */
	VEC(uint32_t) alerts;
} child;

typedef struct person {
	char *id;
	bool is_child;
	uint32_t child; /* index into children when is_child */
	int32_t born;
	VEC(link) links;
	uint32_t risk_agencies; /* bit per agency with a live risk_to_children flag */
	VEC(partner_item) partner; /* partner information naming this adult */
	VEC(uint64_t) da;          /* domestic abuse notifications naming this adult */
} person;

typedef struct worker { char *login; uint32_t count; bool armed; } worker;

typedef struct alert {
	uint8_t code;
	bool resolved, acknowledged;
	uint32_t child;
	int32_t raised_on;
	uint32_t case_no; /* the child's case it was raised in, 0: none open */
	uint64_t seq;     /* its alert.raised event, 0 until recorded */
	char *ref;
} alert;

typedef struct outgoing { uint32_t alert; char *ref, *reason; uint8_t n_ev; uint64_t ev[MAX_EVIDENCE]; } outgoing;
typedef struct timer { int32_t fire; uint32_t item; uint64_t serial; } timer;

struct rules {
	const rules_config *cfg;
	const calendar *cal;
	rules_resolve resolve;
	void *resolve_ctx;
	rules_sink sink;
	void *sink_ctx;

	VEC(person) people;
	VEC(child) children;
	VEC(worker) workers;
	VEC(item) items;
	VEC(uint32_t) free_items;
	VEC(alert) alerts;
	VEC(timer) heap;
	VEC(outgoing) out;
	uint64_t serial;
	int32_t last_tick;

	hmap person_by_id, worker_by_login, alert_by_ref;
	hmap concern_by_seq;    /* seq -> child << 32 | index in concerns */
	hmap escalation_by_seq; /* seq -> item */
	hmap person_by_seq;     /* person.registered/updated seq -> person */
	hmap request_by_seq;    /* amendment.requested seq -> index in requests */
	hmap pairs;             /* latches keyed by (tag, a, b) */
	VEC(json_t *) requests; /* amendment requests' {target, data} */
	buf scratch;
	rules_stats stats;
};

/* The event being applied. */
typedef struct ev {
	const json_t *event, *data, *by;
	const char *kind;
	uint64_t seq;
	int32_t day;
	const rules_event_info *info;
} ev;

/* engine.c: model helpers the families share */
int32_t add_wd(const rules *r, int32_t day, int n);
int32_t first_wd_after(const rules *r, int32_t day);
uint32_t item_new(rules *r, rule_code code, uint32_t child, int32_t start, int32_t deadline,
                  int32_t fire, uint64_t key);
void item_evidence(rules *r, uint32_t it, uint64_t seq);
void item_cancel(rules *r, uint32_t *it);
/* Answer every pending item of `code` for child c with an event on `day`. */
void answer(rules *r, uint32_t c, rule_code code, int32_t day);
void raise_alert(rules *r, rule_code code, uint32_t c, int32_t day, const uint64_t *ev, size_t n_ev,
                 const char *fmt, ...) __attribute__((format(printf, 7, 8)));
const char *day_str(int32_t day, char out[11]);
uint32_t agency_bit(const char *agency);
uint32_t event_agency_bit(const ev *e, const char *field);
bool pair_get(rules *r, uint32_t tag, uint32_t a, uint64_t b);
void pair_set(rules *r, uint32_t tag, uint32_t a, uint64_t b, bool on);
bool linked(const rules *r, uint32_t p, uint32_t q);
uint32_t person_find(const rules *r, const char *id);
uint32_t child_of(const rules *r, const json_t *id);
int param(const rules *r, rule_param p);
int fire_item(rules *r, uint32_t it, int32_t day);

/* timescales.c */
void timescales_referral(rules *r, uint32_t c, const ev *e, bool is_referral);
void timescales_case_opened(rules *r, uint32_t c, const ev *e);
void timescales_plan_started(rules *r, uint32_t c, const ev *e);
void timescales_review_held(rules *r, uint32_t c, const ev *e);
void timescales_visits_changed(rules *r, uint32_t c, int32_t day);
void timescales_s47_completed(rules *r, uint32_t c, const ev *e);
void timescales_allocated(rules *r, uint32_t c, const ev *e);
void timescales_escalation(rules *r, const ev *e);
void timescales_escalation_answered(rules *r, const ev *e, uint64_t escalation);
void timescales_late_entry(rules *r, const ev *e);
void timescales_missing_ended(rules *r, uint32_t c, const ev *e);
void timescales_case_closed(rules *r, uint32_t c);
void timescales_fire(rules *r, item *it, int32_t day);

/* harm.c */
void harm_item_added(rules *r, uint32_t c, const ev *e, uint32_t agency);
void harm_injury(rules *r, uint32_t c, const ev *e);
void harm_strategy(rules *r, uint32_t c);
void harm_drop_concerns(rules *r, uint32_t c, const ev *e, uint8_t old_cat, uint8_t new_cat, bool all);
bool harm_closure_blocked(rules *r, uint32_t c, const json_t *data, buf *why);
void harm_missing_started(rules *r, uint32_t c, const ev *e);
void harm_fire(rules *r, item *it, int32_t day);

/* network.c */
void network_linked(rules *r, uint32_t a, uint32_t b, const ev *e);
void network_unlinked(rules *r, uint32_t a, uint32_t b);
void network_risk_flagged(rules *r, uint32_t adult, const ev *e);
void network_risk_cleared(rules *r, uint32_t adult, const ev *e);
void network_partner_info(rules *r, const ev *e);
void network_action(rules *r, uint32_t c, int32_t day);
void network_fire(rules *r, item *it, int32_t day);

#endif
