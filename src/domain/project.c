/*
 * project.c - deriving projection rows from one event.  See project.h.
 *
 * Each kind that changes a projection has a row in `projectors`; kinds
 * without one (agency_info.received, domestic_abuse.notified) only get the
 * ref and by-person index every event gets.  A projector writes through
 * named store functions only, one cached statement each, and reads nothing
 * on the hot path (visits, notes): the state that episode rules need (is a
 * case open? a CP plan live?) is asked of the store with a conditional
 * statement ("insert unless one is open") rather than read into C first.
 *
 * Case and plan semantics are DESIGN 6.1.3 and 6.1.4:
 *   - a case opens with a referral decision of assessment or strategy, or
 *     with case.allocated, assessment.started, strategy.held,
 *     cin_plan.started, lac.started or a plan-starting conference, when
 *     none is open; case.closed ends it and every open CP plan, CIN plan and
 *     looked-after episode, and ends the child's allocation (frees the
 *     worker);
 *   - a CP plan starts with a plan-true conference when none is live,
 *     changes category (a cp_category row) when a later plan-true
 *     conference names another, and ends with a plan-false conference or
 *     case.closed.
 * Other episodes: a contact is open until the next referral decision; an
 * assessment from assessment.started to assessment.completed; an s47
 * enquiry from a strategy discussion with s47 true to s47.completed; a CIN
 * plan and a looked-after episode from their start to their end.  Referral
 * decisions, strategy discussions, conferences and meetings are moments:
 * rows that end where they start.  A completion with nothing open (an
 * assessment.completed with no assessment.started) is such a moment too,
 * so no fact is dropped.  An assessment, s47 enquiry, CIN plan or
 * looked-after start while one is open is part of the open one; each
 * contact is its own row (each waits for a decision, and the next referral
 * decision ends them all).
 *
 * Amendments (DESIGN 4, 6.1.16): approving one re-derives the target's rows
 * from the target's data with every approved amendment applied, marked with
 * amended_seq = the approval's seq.  Which rows follow an amendment:
 *   person.registered, person.updated   the person row (recomputed from all
 *                                       of the person's registration and
 *                                       update events, amended)
 *   visit.recorded                      seen, seen_alone
 *   note.recorded, supervision.recorded (the row holds no text: marked only)
 *   concern.raised                      category, summary, significant_harm, agency
 *   injury.observed                     description, agency, body_part, explanation
 *   risk.flagged                        agency, summary, risk_to_children
 *   escalation.raised                   to, summary
 * Facts that shape episodes (a referral decision, a conference's plan or
 * category, a closure reason, ...) keep what was recorded in the
 * projections: re-deriving them would rewrite history that later events
 * built on.  Reads of the event itself (app_person_events) show the
 * amended values; a wrong decision is corrected by a new event.
 */
#include "util/common.h"
#include "domain/project.h"
#include "domain/vocab.h"
#include "ledger/jcs.h"

/* What a projector sees. */
typedef struct pctx {
	store *s;
	uint64_t seq;        /* the event's seq */
	const json_t *event; /* as amended, when re-projecting */
	const json_t *data;
	const char *recorder;
	char day[11];     /* occurred_at's date as written, YYYY-MM-DD */
	uint64_t amended; /* re-projecting: the approval's seq; else 0 */
	sl_err *err;
} pctx;

typedef int (*projector_fn)(pctx *c);

/* What an approved amendment of a kind re-derives. */
typedef enum { AMEND_NONE, AMEND_ROW, AMEND_PERSON } amend_mode;

const char *project_actor(const json_t *event, const char *recorder)
{
	const char *user = json_string_value(json_object_get(json_object_get(event, "by"), "user"));
	return user ? user : recorder;
}

int project_resolve_ref(store *s, const json_t *ref, uint64_t *seq, sl_err *err)
{
	uint64_t last;
	int rc;

	if (json_is_string(ref))
		return store_ref_get(s, json_string_value(ref), seq, err);
	if (!json_is_integer(ref) || json_integer_value(ref) < 1)
		return sl_fail(err, SL_EINVAL, "a reference is a ref string or a seq number");
	if ((rc = store_event_last_seq(s, &last, err)))
		return rc;
	if ((uint64_t)json_integer_value(ref) > last)
		return sl_fail(err, SL_ENOTFOUND, "no event with seq %lld", (long long)json_integer_value(ref));
	*seq = (uint64_t)json_integer_value(ref);
	return 0;
}

/* ---- small helpers ------------------------------------------------------ */

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool is_true(const json_t *obj, const char *key)
{
	return json_is_true(json_object_get(obj, key));
}

/* An optional bool: -1 when absent. */
static int opt_bool(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_boolean(v) ? json_is_true(v) : -1;
}

/* A borrowed member, for json_pack's "O*" (absent members are left out). */
static json_t *member(const json_t *obj, const char *key)
{
	return json_object_get(obj, key);
}

/* Compact, key-sorted JSON text of obj (malloc'd; NULL for NULL), taking
 * the reference. */
static char *json_text(json_t *obj)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(obj);
	return text;
}

static const char *child_of(const pctx *c)
{
	return str(c->data, "child");
}

static store_closing closing(const pctx *c, const char *text)
{
	return (store_closing){c->seq, c->day, project_actor(c->event, c->recorder), text};
}

/* ---- people and links --------------------------------------------------- */

static store_person person_fields(const json_t *data, uint64_t seq)
{
	return (store_person){str(data, "id"),         str(data, "role"),     str(data, "name"),
	                      str(data, "born"),       str(data, "expected"), str(data, "gender"),
	                      str(data, "nhs_number"), str(data, "upn"),      seq};
}

static int person_registered(pctx *c)
{
	store_person p = person_fields(c->data, c->seq);
	return store_person_register(c->s, &p, c->err);
}

static int person_updated(pctx *c)
{
	store_person p = person_fields(c->data, c->seq);
	return store_person_update(c->s, &p, c->err);
}

static int person_linked(pctx *c)
{
	return store_link_add(c->s, str(c->data, "a"), str(c->data, "b"), str(c->data, "relation"), c->seq, c->day,
	                      c->err);
}

static int person_unlinked(pctx *c)
{
	return store_link_end(c->s, str(c->data, "a"), str(c->data, "b"), str(c->data, "relation"), c->seq, c->day,
	                      c->err);
}

/* ---- episodes ------------------------------------------------------------ */

enum { OPEN = 0, MOMENT = 1 };

/* Start an episode of the event's child; detail is JSON text or NULL. */
static int episode_start(pctx *c, const char *type, int shape, bool unless_open, const char *detail)
{
	store_episode e = {child_of(c), type, c->seq, c->day, shape == MOMENT ? c->seq : 0, c->day, detail};
	return store_episode_start(c->s, &e, unless_open, c->err);
}

static int moment(pctx *c, const char *type, json_t *detail)
{
	char *text = json_text(detail);
	int rc = episode_start(c, type, MOMENT, false, text);
	free(text);
	return rc;
}

static int episode_end(pctx *c, const char *type, const char *patch, unsigned *ended)
{
	return store_episode_end(c->s, child_of(c), type, c->seq, c->day, patch, ended, c->err);
}

/* End the open episode of the type with the facts in patch, or record
 * them as a moment when none is open. */
static int episode_complete(pctx *c, const char *type, json_t *patch)
{
	char *text = json_text(patch);
	unsigned ended = 0;
	int rc = episode_end(c, type, text, &ended);

	if (!rc && ended == 0)
		rc = episode_start(c, type, MOMENT, false, text);
	free(text);
	return rc;
}

static int case_open(pctx *c)
{
	return episode_start(c, "case", OPEN, true, NULL);
}

static int contact_received(pctx *c)
{
	char *detail = json_text(json_pack("{s:O*, s:O*}", "source", member(c->data, "source"), "categories",
	                                   member(c->data, "categories")));
	int rc = episode_start(c, "contact", OPEN, false, detail);
	free(detail);
	return rc;
}

static int referral_decided(pctx *c)
{
	const char *decision = str(c->data, "decision");
	char *patch = json_text(json_pack("{s:s*}", "decision", decision));
	int rc = episode_end(c, "contact", patch, NULL);

	free(patch);
	if (!rc)
		rc = moment(c, "referral",
		            json_pack("{s:s*, s:O*}", "decision", decision, "primary_need", member(c->data, "primary_need")));
	/* DESIGN 6.1.3: only assessment and strategy are referrals to social care. */
	if (!rc && decision && (strcmp(decision, "assessment") == 0 || strcmp(decision, "strategy") == 0))
		rc = case_open(c);
	return rc;
}

static int assessment_started(pctx *c)
{
	int rc = case_open(c);
	return rc ? rc : episode_start(c, "assessment", OPEN, true, NULL);
}

static int assessment_completed(pctx *c)
{
	return episode_complete(c, "assessment",
	                        json_pack("{s:O*, s:O*}", "outcome", member(c->data, "outcome"), "factors",
	                                  member(c->data, "factors")));
}

static int strategy_held(pctx *c)
{
	bool s47 = is_true(c->data, "s47");
	int rc = case_open(c);

	if (!rc)
		rc = moment(c, "strategy", json_pack("{s:b}", "s47", s47));
	if (!rc && s47)
		rc = episode_start(c, "s47", OPEN, true, NULL);
	return rc;
}

static int s47_completed(pctx *c)
{
	return episode_complete(c, "s47", json_pack("{s:O*}", "icpc", member(c->data, "icpc")));
}

/* The category in a cp_plan row's detail, or NULL (caller frees). */
static char *plan_category(const char *detail)
{
	json_t *obj = detail ? json_loads(detail, 0, NULL) : NULL;
	const char *cat = str(obj, "category");
	char *copy = cat ? xstrdup(cat) : NULL;
	json_decref(obj);
	return copy;
}

/* DESIGN 6.1.4: plan true starts a plan when none is live, or changes the
 * live plan's category when it names another; plan false ends it. */
static int conference_plan(pctx *c)
{
	const char *category = str(c->data, "category");
	char *detail = NULL, *current = NULL, *text = NULL;
	uint64_t plan_seq = 0;
	int rc;

	if (!is_true(c->data, "plan"))
		return episode_end(c, "cp_plan", NULL, NULL);
	rc = store_episode_open(c->s, child_of(c), "cp_plan", &plan_seq, &detail, c->err);
	if (rc == SL_ENOTFOUND) {
		sl_err_clear(c->err);
		text = json_text(json_pack("{s:s*}", "category", category));
		if (!(rc = case_open(c)) && !(rc = episode_start(c, "cp_plan", OPEN, false, text)))
			rc = store_cp_category_add(c->s, c->seq, c->seq, child_of(c), category, c->day, c->err);
		goto done;
	}
	if (rc || !category)
		goto done; /* no category named: the plan keeps its own */
	current = plan_category(detail);
	if (current && strcmp(current, category) == 0)
		goto done;
	text = json_text(json_pack("{s:s}", "category", category));
	if (!(rc = store_episode_detail(c->s, child_of(c), "cp_plan", plan_seq, text, c->err)))
		rc = store_cp_category_add(c->s, plan_seq, c->seq, child_of(c), category, c->day, c->err);
done:
	free(detail);
	free(current);
	free(text);
	return rc;
}

static int conference_held(pctx *c)
{
	int rc = moment(c, "conference",
	                json_pack("{s:O*, s:b, s:O*}", "type", member(c->data, "type"), "plan", is_true(c->data, "plan"),
	                          "category", member(c->data, "category")));
	return rc ? rc : conference_plan(c);
}

static int meeting_held(pctx *c)
{
	return moment(c, "meeting", json_pack("{s:O*}", "type", member(c->data, "type")));
}

static int cin_plan_started(pctx *c)
{
	int rc = case_open(c);
	return rc ? rc : episode_start(c, "cin_plan", OPEN, true, NULL);
}

static int cin_plan_ended(pctx *c)
{
	return episode_end(c, "cin_plan", NULL, NULL);
}

static int lac_started(pctx *c)
{
	char *detail = json_text(json_pack("{s:O*}", "legal_status", member(c->data, "legal_status")));
	int rc = case_open(c);

	if (!rc)
		rc = episode_start(c, "lac", OPEN, true, detail);
	free(detail);
	return rc;
}

static int lac_ended(pctx *c)
{
	char *patch = json_text(json_pack("{s:O*}", "reason", member(c->data, "reason")));
	int rc = episode_end(c, "lac", patch, NULL);
	free(patch);
	return rc;
}

static int case_allocated(pctx *c)
{
	int rc = case_open(c);
	return rc ? rc
	          : store_allocation_start(c->s, child_of(c), str(c->data, "worker"), str(c->data, "team"), c->seq,
	                                   c->day, c->err);
}

/* DESIGN 6.1.3: closing ends the plans and looked-after episode still open
 * and frees the worker. */
static int case_closed(pctx *c)
{
	static const char *const ends[] = {"cp_plan", "cin_plan", "lac"};
	char *patch = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < SL_ARRAY_LEN(ends) && !rc; i++)
		rc = episode_end(c, ends[i], NULL, NULL);
	if (!rc) {
		patch = json_text(json_pack("{s:O*, s:O*, s:O*}", "reason", member(c->data, "reason"), "rationale",
		                            member(c->data, "rationale"), "authorised_by",
		                            member(c->data, "authorised_by")));
		rc = episode_end(c, "case", patch, NULL);
	}
	if (!rc)
		rc = store_allocation_end(c->s, child_of(c), c->seq, c->day, c->err);
	free(patch);
	return rc;
}

/* ---- records of the child ---------------------------------------------- */

static int visit_recorded(pctx *c)
{
	store_visit v = {c->seq, child_of(c), c->day, is_true(c->data, "seen"), opt_bool(c->data, "seen_alone"),
	                 c->amended};
	return store_visit_put(c->s, &v, c->err);
}

static int note_recorded(pctx *c)
{
	store_note n = {c->seq, child_of(c), c->day, "note", c->amended};
	return store_note_put(c->s, &n, c->err);
}

static int supervision_recorded(pctx *c)
{
	store_note n = {c->seq, child_of(c), c->day, "supervision", c->amended};
	return store_note_put(c->s, &n, c->err);
}

/* DESIGN 6.1.5: data.agency, else by.agency, else social_care. */
static const char *item_agency(const pctx *c)
{
	const char *agency = str(c->data, "agency");
	if (!agency)
		agency = str(json_object_get(c->event, "by"), "agency");
	return agency ? agency : "social_care";
}

static int concern_raised(pctx *c)
{
	store_concern k = {c->seq,
	                   child_of(c),
	                   c->day,
	                   str(c->data, "category"),
	                   str(c->data, "summary"),
	                   is_true(c->data, "significant_harm"),
	                   item_agency(c),
	                   c->amended};
	return store_concern_put(c->s, &k, c->err);
}

/* Resolve data.<field>, an event reference, to its seq. */
static int referenced(pctx *c, const char *field, uint64_t *seq)
{
	int rc = project_resolve_ref(c->s, json_object_get(c->data, field), seq, c->err);
	if (rc)
		sl_err_prefix(c->err, "field `data.%s`", field);
	return rc;
}

static int concern_resolved(pctx *c)
{
	store_closing how = closing(c, str(c->data, "rationale"));
	uint64_t concern;
	int rc = referenced(c, "concern", &concern);
	return rc ? rc : store_concern_resolve(c->s, concern, &how, c->err);
}

static int injury_observed(pctx *c)
{
	store_injury i = {c->seq,
	                  child_of(c),
	                  c->day,
	                  str(c->data, "description"),
	                  item_agency(c),
	                  str(c->data, "body_part"),
	                  str(c->data, "explanation"),
	                  c->amended};
	return store_injury_put(c->s, &i, c->err);
}

static int missing_started(pctx *c)
{
	json_t *indicators = json_object_get(c->data, "indicators");
	char *text = indicators ? json_dumps(indicators, JSON_COMPACT) : NULL;
	int rc = store_missing_start(c->s, child_of(c), c->seq, c->day, text, c->err);
	free(text);
	return rc;
}

static int missing_ended(pctx *c)
{
	return store_missing_end(c->s, child_of(c), c->seq, c->day, opt_bool(c->data, "return_interview"), c->err);
}

static int return_interview_recorded(pctx *c)
{
	return store_missing_interview(c->s, child_of(c), c->seq, c->day, c->err);
}

static int risk_flagged(pctx *c)
{
	store_risk_flag r = {c->seq,
	                     str(c->data, "person"),
	                     str(c->data, "agency"),
	                     c->day,
	                     str(c->data, "summary"),
	                     is_true(c->data, "risk_to_children"),
	                     c->amended};
	return store_risk_flag_put(c->s, &r, c->err);
}

static int risk_cleared(pctx *c)
{
	store_closing how = closing(c, str(c->data, "rationale"));
	return store_risk_clear(c->s, str(c->data, "person"), str(c->data, "agency"), &how, c->err);
}

static int escalation_raised(pctx *c)
{
	store_escalation e = {c->seq, str(c->data, "to"), child_of(c), c->day, str(c->data, "summary"), c->amended};
	return store_escalation_put(c->s, &e, c->err);
}

static int escalation_answered(pctx *c)
{
	store_closing how = closing(c, str(c->data, "response"));
	uint64_t escalation;
	int rc = referenced(c, "escalation", &escalation);
	return rc ? rc : store_escalation_answer(c->s, escalation, &how, c->err);
}

/* ---- alerts (DESIGN 6: raised by the rules engine as ledger events) ------ */

static int alert_raised(pctx *c)
{
	const char *ref = str(c->event, "ref");
	const json_t *evidence = json_object_get(c->data, "evidence");
	store_alert a = {ref, c->seq, str(c->data, "code"), child_of(c), c->day, str(c->data, "reason"), NULL};
	char *text;
	int rc;

	if (!ref || !a.code)
		return sl_fail(c->err, SL_EINVAL, "an alert.raised event needs a `ref` and `data.code`");
	text = evidence ? json_dumps(evidence, JSON_COMPACT) : NULL;
	a.evidence = text;
	rc = store_alert_raise(c->s, &a, c->err);
	free(text);
	return rc;
}

static int alert_acknowledged(pctx *c)
{
	store_closing how = closing(c, str(c->data, "note"));
	return store_alert_acknowledge(c->s, str(c->data, "alert"), &how, c->err);
}

static int alert_resolved(pctx *c)
{
	store_closing how = closing(c, str(c->data, "rationale"));
	return store_alert_resolve(c->s, str(c->data, "alert"), &how, c->err);
}

/* ---- sealing and grants (DESIGN 8) --------------------------------------- */

static int record_sealed(pctx *c)
{
	return store_seal(c->s, child_of(c), c->seq, c->day, project_actor(c->event, c->recorder), c->err);
}

static int record_unsealed(pctx *c)
{
	return store_unseal(c->s, child_of(c), c->seq, c->day, project_actor(c->event, c->recorder), c->err);
}

static int access_granted(pctx *c)
{
	return store_grant(c->s, child_of(c), str(c->data, "user"), c->seq, c->day,
	                   project_actor(c->event, c->recorder), c->err);
}

static int access_revoked(pctx *c)
{
	return store_revoke(c->s, child_of(c), str(c->data, "user"), c->seq, c->day,
	                    project_actor(c->event, c->recorder), c->err);
}

/* ---- amendments ---------------------------------------------------------- */

static int amendment_requested(pctx *c)
{
	uint64_t target;
	char *fields;
	int rc;

	if ((rc = referenced(c, "target", &target)))
		return rc;
	fields = json_dumps(json_object_get(c->data, "data"), JSON_COMPACT | JSON_SORT_KEYS);
	rc = store_amendment_put(c->s, c->seq, target, project_actor(c->event, c->recorder), fields, c->err);
	free(fields);
	return rc;
}

int project_check_decision(uint64_t request_seq, const char *status, const char *requester, const char *decider,
                           bool approve, sl_err *err)
{
	if (strcmp(status, "pending") != 0)
		return sl_fail(err, SL_ECONFLICT, "field `data.request`: amendment request %llu is already %s",
		               (unsigned long long)request_seq, status);
	if (strcmp(requester, decider) == 0)
		return sl_fail(err, SL_ECONFLICT,
		               "field `data.request`: %s requested amendment %llu and cannot %s it: a senior manager "
		               "other than the requester must decide",
		               decider, (unsigned long long)request_seq, approve ? "approve" : "reject");
	return 0;
}

typedef struct pending_check {
	const char *decider;
	bool approve;
	uint64_t target;
} pending_check;

static int check_pending(void *ctx, const store_amendment *a, sl_err *err)
{
	pending_check *p = ctx;
	int rc = project_check_decision(a->request_seq, a->status, a->requester, p->decider, p->approve, err);

	p->target = a->target_seq;
	return rc;
}

static int merge_amendment(void *ctx, const store_amendment *a, sl_err *err)
{
	json_t *fields = jcs_parse(a->data, strlen(a->data), err);
	if (!fields)
		return SL_ECORRUPT;
	json_object_update(ctx, fields);
	json_decref(fields);
	return 0;
}

/* The event at seq with its approved amendments applied, in approval order
 * (what reads show).  *out is a new reference. */
static int load_amended(store *s, uint64_t seq, json_t **out, sl_err *err)
{
	store_event_copy row;
	json_t *event;
	int rc;

	if ((rc = store_event_get(s, seq, &row, err)))
		return rc;
	event = jcs_parse(row.ev.event, row.ev.event_len, err);
	store_event_release(&row);
	if (!event || !json_is_object(json_object_get(event, "data"))) {
		json_decref(event);
		sl_err_prefix(err, "seq %llu", (unsigned long long)seq);
		return SL_ECORRUPT;
	}
	if ((rc = store_amendments_of(s, seq, merge_amendment, json_object_get(event, "data"), err))) {
		json_decref(event);
		return rc;
	}
	*out = event;
	return 0;
}

static int set_day(pctx *c)
{
	const char *at = str(c->event, "occurred_at");

	if (!at || strlen(at) < 10)
		return sl_fail(c->err, SL_EINVAL, "seq %llu: no `occurred_at` date", (unsigned long long)c->seq);
	memcpy(c->day, at, 10);
	c->day[10] = '\0';
	return 0;
}

typedef struct person_replay {
	pctx *c;
	const char *id;
} person_replay;

/* One of the person's events, re-applied if it sets their fields. */
static int replay_person_event(void *ctx, uint64_t seq, sl_err *err)
{
	person_replay *r = ctx;
	store_event_copy row;
	json_t *event = NULL;
	store_person p;
	bool registered;
	int rc;

	if ((rc = store_event_get(r->c->s, seq, &row, err)))
		return rc;
	registered = strcmp(row.ev.kind, "person.registered") == 0;
	if (!registered && strcmp(row.ev.kind, "person.updated") != 0) {
		store_event_release(&row);
		return 0;
	}
	store_event_release(&row);
	if ((rc = load_amended(r->c->s, seq, &event, err)))
		return rc;
	p = person_fields(json_object_get(event, "data"), seq);
	if (p.id && strcmp(p.id, r->id) == 0)
		rc = registered ? store_person_register(r->c->s, &p, err) : store_person_update(r->c->s, &p, err);
	json_decref(event);
	return rc;
}

/* A person's row after an amendment of one of their registration or
 * update events: replayed from all of them, each as amended, in seq order,
 * so a later update still wins over a corrected registration. */
static int person_recompute(pctx *c, const char *id)
{
	person_replay r = {c, id};
	int rc;

	if (!id)
		return 0;
	if ((rc = store_person_events(c->s, id, replay_person_event, &r, c->err)))
		return rc;
	return store_person_amended(c->s, id, c->seq, c->err);
}

static int amendment_decided(pctx *c);

static const struct projector {
	const char *kind;
	projector_fn fn;
	amend_mode amend;
} projectors[] = {
	{"person.registered", person_registered, AMEND_PERSON},
	{"person.updated", person_updated, AMEND_PERSON},
	{"person.linked", person_linked, AMEND_NONE},
	{"person.unlinked", person_unlinked, AMEND_NONE},
	{"contact.received", contact_received, AMEND_NONE},
	{"referral.decided", referral_decided, AMEND_NONE},
	{"assessment.started", assessment_started, AMEND_NONE},
	{"assessment.completed", assessment_completed, AMEND_NONE},
	{"strategy.held", strategy_held, AMEND_NONE},
	{"s47.completed", s47_completed, AMEND_NONE},
	{"conference.held", conference_held, AMEND_NONE},
	{"meeting.held", meeting_held, AMEND_NONE},
	{"cin_plan.started", cin_plan_started, AMEND_NONE},
	{"cin_plan.ended", cin_plan_ended, AMEND_NONE},
	{"lac.started", lac_started, AMEND_NONE},
	{"lac.ended", lac_ended, AMEND_NONE},
	{"visit.recorded", visit_recorded, AMEND_ROW},
	{"note.recorded", note_recorded, AMEND_ROW},
	{"concern.raised", concern_raised, AMEND_ROW},
	{"concern.resolved", concern_resolved, AMEND_NONE},
	{"injury.observed", injury_observed, AMEND_ROW},
	{"missing.started", missing_started, AMEND_NONE},
	{"missing.ended", missing_ended, AMEND_NONE},
	{"return_interview.recorded", return_interview_recorded, AMEND_NONE},
	{"risk.flagged", risk_flagged, AMEND_ROW},
	{"risk.cleared", risk_cleared, AMEND_NONE},
	{"case.allocated", case_allocated, AMEND_NONE},
	{"case.closed", case_closed, AMEND_NONE},
	{"escalation.raised", escalation_raised, AMEND_ROW},
	{"escalation.answered", escalation_answered, AMEND_NONE},
	{"supervision.recorded", supervision_recorded, AMEND_ROW},
	{"amendment.requested", amendment_requested, AMEND_NONE},
	{"amendment.approved", amendment_decided, AMEND_NONE},
	{"amendment.rejected", amendment_decided, AMEND_NONE},
	{"alert.raised", alert_raised, AMEND_NONE},
	{"alert.acknowledged", alert_acknowledged, AMEND_NONE},
	{"alert.resolved", alert_resolved, AMEND_NONE},
	{"record.sealed", record_sealed, AMEND_NONE},
	{"record.unsealed", record_unsealed, AMEND_NONE},
	{"access.granted", access_granted, AMEND_NONE},
	{"access.revoked", access_revoked, AMEND_NONE},
};

static const struct projector *find_projector(const char *kind)
{
	size_t i;
	/* the first byte rules out most kinds without a call */
	for (i = 0; kind && i < SL_ARRAY_LEN(projectors); i++)
		if (projectors[i].kind[0] == kind[0] && strcmp(projectors[i].kind, kind) == 0)
			return &projectors[i];
	return NULL;
}

/* Re-derive the rows of the amended event `target` (see the header). */
static int reproject(pctx *c, uint64_t target)
{
	const struct projector *p;
	json_t *event = NULL;
	pctx t = *c;
	int rc;

	if ((rc = load_amended(c->s, target, &event, c->err)))
		return rc;
	p = find_projector(str(event, "kind"));
	t.seq = target;
	t.event = event;
	t.data = json_object_get(event, "data");
	t.amended = c->seq;
	if (!p || p->amend == AMEND_NONE)
		rc = 0;
	else if (p->amend == AMEND_PERSON)
		rc = person_recompute(c, str(t.data, "id"));
	else if (!(rc = set_day(&t)))
		rc = p->fn(&t);
	json_decref(event);
	return rc;
}

static int amendment_decided(pctx *c)
{
	bool approve = strcmp(str(c->event, "kind"), "amendment.approved") == 0;
	pending_check p = {project_actor(c->event, c->recorder), approve, 0};
	uint64_t request;
	int rc;

	if ((rc = referenced(c, "request", &request)))
		return rc;
	if ((rc = store_amendment_get(c->s, request, check_pending, &p, c->err)))
		return rc;
	if ((rc = store_amendment_decide(c->s, request, approve ? "approved" : "rejected", c->seq, c->err)))
		return rc;
	return approve ? reproject(c, p.target) : 0;
}

/* ---- the entry point ------------------------------------------------------ */

typedef struct index_ctx {
	store *s;
	store_event_person ep;
	int rc;
	sl_err *err;
} index_ctx;

static void index_person(void *ctx, const char *person)
{
	index_ctx *ic = ctx;
	ic->ep.person = person;
	if (!ic->rc)
		ic->rc = store_event_person_add(ic->s, &ic->ep, ic->err);
}

int project_apply(store *s, uint64_t seq, const json_t *event, const char *recorder, sl_err *err)
{
	const char *ref = str(event, "ref");
	const struct projector *p = find_projector(str(event, "kind"));
	pctx c = {s, seq, event, json_object_get(event, "data"), recorder, "", 0, err};
	char occurred[20];
	index_ctx ic = {s, {NULL, seq, occurred, str(event, "kind"), NULL}, 0, err};
	int rc;

	/* the chronology's sort key: occurred_at before any fraction (a
	 * bounded copy: snprintf was 1% of an import) */
	{
		const char *at = str(event, "occurred_at");
		size_t n = at ? strnlen(at, sizeof(occurred) - 1) : 0;
		memcpy(occurred, at ? at : "", n);
		occurred[n] = '\0';
	}
	ic.ep.agency = item_agency(&c);
	if (ref && (rc = store_ref_put(s, ref, seq, err))) {
		sl_err_prefix(err, "field `ref`");
		return rc;
	}
	if (p && ((rc = set_day(&c)) || (rc = p->fn(&c))))
		return rc;
	vocab_event_persons(event, index_person, &ic);
	return ic.rc;
}
