/*
 * query.c - the read use cases of the API and the pages.  See query.h.
 *
 * Each answer is assembled from the projections through the store's read
 * functions, whose rows live only during a callback: everything kept is
 * copied into the JSON being built.  A store scan's statement is busy
 * while its callback runs, so nothing here calls the same store read from
 * inside its own callback; the network, for instance, collects the ids of
 * one hop before asking about each of them.
 *
 * Free text that the projections do not hold (a visit's summary, a note's
 * text) comes from the ledger event, with approved amendments applied, so
 * a chronology shows what a read of the event shows (read.c).
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "app/query.h"
#include "domain/nhs.h"
#include "domain/project.h"
#include "domain/vocab.h"
#include "ledger/jcs.h"
#include "util/date.h"

/* ---- parameters -------------------------------------------------------------- */

static int param_fail(const char **param, const char *name, sl_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int param_fail(const char **param, const char *name, sl_err *err, const char *fmt, ...)
{
	va_list ap;

	if (param)
		*param = name;
	va_start(ap, fmt);
	sl_vfail(err, SL_EINVAL, fmt, ap);
	va_end(ap);
	sl_err_prefix(err, "parameter `%s`", name);
	return SL_EINVAL;
}

static bool absent(const char *s)
{
	return !s || !*s;
}

/* A count 1..max, default def when absent. */
static int parse_limit(const char *text, unsigned def, unsigned max, unsigned *out, const char **param,
                       sl_err *err)
{
	unsigned long v = 0;
	size_t i;

	*out = def;
	if (absent(text))
		return 0;
	for (i = 0; text[i]; i++) {
		if (text[i] < '0' || text[i] > '9' || i >= 6)
			return param_fail(param, "limit", err, "expected a whole number from 1 to %u", max);
		v = v * 10 + (unsigned long)(text[i] - '0');
	}
	if (v < 1 || v > max)
		return param_fail(param, "limit", err, "expected a whole number from 1 to %u", max);
	*out = (unsigned)v;
	return 0;
}

/* A seq: 1..2^63-1, decimal digits only. */
static int parse_seq(const char *text, const char *name, uint64_t *out, const char **param, sl_err *err)
{
	uint64_t v = 0;
	size_t i;

	*out = 0;
	for (i = 0; text && text[i]; i++) {
		if (text[i] < '0' || text[i] > '9' || i >= 18)
			return param_fail(param, name, err, "expected an event number (a positive whole number)");
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v == 0)
		return param_fail(param, name, err, "expected an event number (a positive whole number)");
	*out = v;
	return 0;
}

int query_parse_seq(const char *text, uint64_t *seq, sl_err *err)
{
	return parse_seq(text, "seq", seq, NULL, err);
}

static int parse_day(const char *text, const char *name, const char **param, sl_err *err)
{
	int32_t day;
	sl_err why = {0};

	if (absent(text))
		return 0;
	if (strlen(text) != 10 || date_parse_day(text, &day, &why))
		return param_fail(param, name, err, "expected a date YYYY-MM-DD%s%s", why.msg[0] ? ": " : "", why.msg);
	return 0;
}

static bool agency_known(const char *s)
{
	for (size_t i = 0; i < vocab_agency_count(); i++)
		if (strcmp(vocab_agency_name(i), s) == 0)
			return true;
	return false;
}

/* "a,b,c" of known kinds -> a JSON array text (caller frees). */
static int parse_kinds(const char *text, char **out, const char **param, sl_err *err)
{
	json_t *arr = json_array();
	const char *p = text, *comma;
	int rc = 0;

	*out = NULL;
	while (!rc) {
		char kind[VOCAB_MAX_ID + 1];
		size_t n;

		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n > VOCAB_MAX_ID) {
			rc = param_fail(param, "kind", err, "expected event kinds separated by commas");
			break;
		}
		memcpy(kind, p, n);
		kind[n] = '\0';
		if (!vocab_kind_known(kind)) {
			rc = param_fail(param, "kind", err, "not an event kind of vocabulary v1");
			break;
		}
		if (json_array_size(arr) >= 64) {
			rc = param_fail(param, "kind", err, "too many kinds (at most 64)");
			break;
		}
		json_array_append_new(arr, json_string(kind));
		if (!comma)
			break;
		p = comma + 1;
	}
	if (!rc)
		*out = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return rc;
}

/* ---- small JSON helpers ----------------------------------------------------------- */

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jseq(uint64_t seq)
{
	return seq ? json_integer((json_int_t)seq) : json_null();
}

/* Parse JSON text kept by the store (detail, evidence); NULL on none. */
static json_t *jparse(const char *text)
{
	return text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
}

static json_t *closing_json(const store_closing *c)
{
	return json_pack("{s:I, s:o, s:o, s:o}", "seq", (json_int_t)c->seq, "day", jstr(c->day), "by", jstr(c->by),
	                 "text", jstr(c->text));
}

/* The person's row, or SL_ENOTFOUND. */
static int person_cb(void *ctx, const store_person_row *p, sl_err *err)
{
	json_t **out = ctx;
	(void)err;
	*out = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:b}", "id", p->p.id, "role",
	                 jstr(p->p.role), "name", jstr(p->p.name), "born", jstr(p->p.born), "expected",
	                 jstr(p->p.expected), "gender", jstr(p->p.gender), "nhs_number", jstr(p->p.nhs_number), "upn",
	                 jstr(p->p.upn), "registered_seq", (json_int_t)p->p.seq, "updated_seq", jseq(p->updated_seq),
	                 "amended", p->amended_seq != 0);
	return 0;
}

static int load_person(app *a, const char *id, json_t **out, sl_err *err)
{
	*out = NULL;
	return store_person_get(a->store, id, person_cb, out, err);
}

static int load_child(app *a, const char *id, json_t **out, sl_err *err)
{
	int rc = load_person(a, id, out, err);

	if (!rc && strcmp(str(*out, "role"), "child") != 0) {
		json_decref(*out);
		*out = NULL;
		return sl_fail(err, SL_EINVAL, "%s is an adult, not a child", id);
	}
	return rc;
}

/* The event at seq as stored, parsed; *data_out the object its approved
 * amendments were applied to, and *amendments the originals kept. */
typedef struct amend_ctx {
	app *a;
	json_t *data, *amendments;
	int rc;
	uint64_t until; /* apply only amendments approved by this seq; 0: all */
} amend_ctx;

static int apply_amendment(void *ctx, const store_amendment *am, sl_err *err)
{
	amend_ctx *c = ctx;
	json_t *fields, *original, *value;
	const char *key;

	if (c->until && am->decided_seq > c->until)
		return 0; /* approved after the as-of view's moment */
	if (!(fields = jcs_parse(am->data, strlen(am->data), err)))
		return SL_ECORRUPT;
	original = json_object();
	json_object_foreach(fields, key, value) {
		json_t *old = json_object_get(c->data, key);
		json_object_set(original, key, old ? old : json_null());
		json_object_set(c->data, key, value);
	}
	json_array_append_new(c->amendments,
	                      json_pack("{s:I, s:I, s:s, s:o}", "request", (json_int_t)am->request_seq, "approved",
	                                (json_int_t)am->decided_seq, "requested_by", am->requester, "original", original));
	json_decref(fields);
	return 0;
}

/* Parse a stored event and apply its approved amendments; *amendments
 * (may be NULL) receives the array of originals. */
static int amended_event(app *a, uint64_t seq, uint64_t until, const char *text, size_t len, json_t **out,
                         json_t **amendments, sl_err *err)
{
	json_t *event = jcs_parse(text, len, err);
	amend_ctx ac = {a, NULL, json_array(), 0, until};
	int rc;

	*out = NULL;
	if (amendments)
		*amendments = NULL;
	if (!event || !json_is_object(json_object_get(event, "data"))) {
		json_decref(event);
		json_decref(ac.amendments);
		sl_err_prefix(err, "seq %llu", (unsigned long long)seq);
		return SL_ECORRUPT;
	}
	ac.data = json_object_get(event, "data");
	if ((rc = store_amendments_of(a->store, seq, apply_amendment, &ac, err))) {
		json_decref(event);
		json_decref(ac.amendments);
		return rc;
	}
	*out = event;
	if (amendments)
		*amendments = ac.amendments;
	else
		json_decref(ac.amendments);
	return 0;
}

/* ---- the child's summary --------------------------------------------------------- */

typedef struct summary_ctx {
	json_t *cases;  /* every case episode, oldest first */
	json_t *plans;  /* every CP plan */
	json_t *cin, *lac; /* the open ones, or NULL */
	uint64_t cin_seq, lac_seq;
} summary_ctx;

static int episode_cb(void *ctx, const store_episode *e, sl_err *err)
{
	summary_ctx *c = ctx;
	json_t *detail = jparse(e->detail);
	(void)err;

	if (strcmp(e->type, "case") == 0) {
		json_array_append_new(c->cases, json_pack("{s:I, s:s, s:b, s:o, s:o, s:o, s:o}", "seq",
		                                          (json_int_t)e->start_seq, "opened_on", e->start_day, "open",
		                                          e->end_seq == 0, "closed_on", e->end_seq ? jstr(e->end_day) : json_null(),
		                                          "closed_seq", jseq(e->end_seq), "reason",
		                                          json_incref(json_object_get(detail, "reason")) ?: json_null(),
		                                          "authorised_by",
		                                          json_incref(json_object_get(detail, "authorised_by")) ?: json_null()));
	} else if (strcmp(e->type, "cp_plan") == 0) {
		json_array_append_new(c->plans, json_pack("{s:I, s:s, s:o, s:o, s:o, s:[]}", "seq", (json_int_t)e->start_seq,
		                                          "since", e->start_day, "until",
		                                          e->end_seq ? jstr(e->end_day) : json_null(), "category",
		                                          json_incref(json_object_get(detail, "category")) ?: json_null(),
		                                          "ended_seq", jseq(e->end_seq), "categories"));
	} else if (strcmp(e->type, "cin_plan") == 0 && e->end_seq == 0 && e->start_seq > c->cin_seq) {
		json_decref(c->cin);
		c->cin = json_pack("{s:I, s:s}", "seq", (json_int_t)e->start_seq, "since", e->start_day);
		c->cin_seq = e->start_seq;
	} else if (strcmp(e->type, "lac") == 0 && e->end_seq == 0 && e->start_seq > c->lac_seq) {
		json_decref(c->lac);
		c->lac = json_pack("{s:I, s:s, s:o}", "seq", (json_int_t)e->start_seq, "since", e->start_day,
		                   "legal_status", json_incref(json_object_get(detail, "legal_status")) ?: json_null());
		c->lac_seq = e->start_seq;
	}
	json_decref(detail);
	return 0;
}

static int category_cb(void *ctx, const store_cp_category *k, sl_err *err)
{
	summary_ctx *c = ctx;
	size_t i;
	json_t *plan;
	(void)err;

	json_array_foreach(c->plans, i, plan) {
		if ((uint64_t)json_integer_value(json_object_get(plan, "seq")) == k->plan_seq)
			json_array_append_new(json_object_get(plan, "categories"),
			                      json_pack("{s:o, s:s, s:I}", "category", jstr(k->category), "from", k->day, "seq",
			                                (json_int_t)k->seq));
	}
	return 0;
}

static int allocation_cb(void *ctx, const store_allocation *al, sl_err *err)
{
	(void)err;
	*(json_t **)ctx = json_pack("{s:s, s:o, s:s, s:I}", "worker", al->worker, "team", jstr(al->team), "since",
	                            al->from_day, "seq", (json_int_t)al->seq);
	return 0;
}

static int concern_cb(void *ctx, const store_concern_row *k, sl_err *err)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s, s:b}", "seq", (json_int_t)k->c.seq, "raised_on", k->c.day,
	                      "category", k->c.category, "summary", k->c.summary, "significant_harm",
	                      k->c.significant_harm, "agency", k->c.agency, "amended", k->c.amended_seq != 0);
	(void)err;
	if (k->resolved.seq)
		json_object_set_new(o, "resolved", closing_json(&k->resolved));
	json_array_append_new(ctx, o);
	return 0;
}

static const char *alert_state(const store_alert_row *r)
{
	return r->resolved.seq ? "resolved" : r->ack.seq ? "acknowledged" : "open";
}

static int alert_cb(void *ctx, const store_alert_row *r, sl_err *err)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:o, s:s, s:o, s:o, s:s, s:o, s:o}", "ref", r->a.ref, "seq",
	                      (json_int_t)r->a.seq, "code", r->a.code, "child", jstr(r->a.child), "raised_on",
	                      r->a.raised_on, "reason", jstr(r->a.reason), "evidence",
	                      jparse(r->a.evidence) ?: json_array(), "state", alert_state(r), "worker", jstr(r->worker),
	                      "team", jstr(r->team));
	(void)err;
	if (r->ack.seq)
		json_object_set_new(o, "acknowledged", closing_json(&r->ack));
	if (r->resolved.seq)
		json_object_set_new(o, "resolved", closing_json(&r->resolved));
	json_array_append_new(ctx, o);
	return 0;
}

/* The summary; with cb, the counts of events, visits and notes come from
 * the walk that passes every key of the chronology to cb. */
static int child_summary(app *a, const char *child, store_chrono_key_cb cb, void *ctx, json_t **out, sl_err *err)
{
	summary_ctx sc = {json_array(), json_array(), NULL, NULL, 0, 0};
	store_alert_query aq = {child, NULL, NULL, NULL, false, QUERY_MAX_LIMIT};
	json_t *o = NULL, *allocation = NULL, *concerns = json_array(), *alerts = json_array(), *plan = NULL, *last;
	store_child_tally n;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = load_child(a, child, &o, err)))
		goto done;
	json_object_del(o, "role");
	json_object_set(o, "child", json_object_get(o, "id"));
	json_object_del(o, "id");
	if ((rc = store_child_episodes(a->store, child, episode_cb, &sc, err)) ||
	    (rc = store_child_cp_categories(a->store, child, category_cb, &sc, err)))
		goto done;
	rc = store_child_allocation(a->store, child, allocation_cb, &allocation, err);
	if (rc == SL_ENOTFOUND) {
		sl_err_clear(err);
		rc = 0;
	}
	if (rc || (rc = store_child_concerns(a->store, child, true, concern_cb, concerns, err)) ||
	    (rc = store_alerts(a->store, &aq, alert_cb, alerts, err)) ||
	    (rc = cb ? store_child_counts_keys(a->store, child, &n, cb, ctx, err)
	             : store_child_counts(a->store, child, &n, err)))
		goto done;

	/* The case: the latest episode; history in `cases`. */
	last = json_array_get(sc.cases, json_array_size(sc.cases) - 1);
	json_object_set(o, "case", last ? last : json_null());
	json_object_set_new(o, "cases", json_integer((json_int_t)json_array_size(sc.cases)));
	for (i = 0; i < json_array_size(sc.plans); i++)
		if (json_is_null(json_object_get(json_array_get(sc.plans, i), "until")))
			plan = json_array_get(sc.plans, i); /* the live one (at most one) */
	json_object_set(o, "cp_plan", plan ? plan : json_null());
	json_object_set(o, "cp_plans", sc.plans);
	json_object_set(o, "cin_plan", sc.cin ? sc.cin : json_null());
	json_object_set(o, "looked_after", sc.lac ? sc.lac : json_null());
	json_object_set(o, "allocation", allocation ? allocation : json_null());
	json_object_set(o, "open_concerns", concerns);
	json_object_set(o, "open_alerts", alerts);
	json_object_set_new(o, "counts",
	                    json_pack("{s:I, s:I, s:I, s:o, s:I, s:I, s:I, s:I, s:I}", "events", (json_int_t)n.events,
	                              "visits", (json_int_t)n.visits, "visits_seen", (json_int_t)n.visits_seen,
	                              "last_seen", n.last_seen[0] ? json_string(n.last_seen) : json_null(), "notes",
	                              (json_int_t)n.notes, "injuries", (json_int_t)n.injuries, "missing_episodes",
	                              (json_int_t)n.missing, "concerns_open", (json_int_t)n.concerns_open, "alerts_open",
	                              (json_int_t)n.alerts_open));
	*out = o;
	o = NULL;
done:
	json_decref(o);
	json_decref(sc.cases);
	json_decref(sc.plans);
	json_decref(sc.cin);
	json_decref(sc.lac);
	json_decref(allocation);
	json_decref(concerns);
	json_decref(alerts);
	return rc;
}

int query_child_summary(app *a, const char *child, json_t **out, sl_err *err)
{
	return child_summary(a, child, NULL, NULL, out, err);
}

int query_child_summary_timeline(app *a, const char *child, store_chrono_key_cb cb, void *ctx, json_t **out,
                                 sl_err *err)
{
	assert(cb);
	return child_summary(a, child, cb, ctx, out, err);
}

/* ---- one-line summaries of events ---------------------------------------------------
 *
 * A table of templates, one per kind: {field} is data.field (text as is,
 * true/false as yes/no, an array joined with ", "), [...] is kept only when
 * every field inside it is present, and a kind without a row shows its
 * name.  Adding a kind is adding a row.
 */
static const struct {
	const char *kind, *tmpl;
} summaries[] = {
	{"person.registered", "Registered {name} ({role})[, born {born}][, expected {expected}]"},
	{"person.updated", "Details of {id} updated[: name {name}][, born {born}][, NHS number {nhs_number}]"},
	{"person.linked", "{a} is {relation} of {b}"},
	{"person.unlinked", "{a} is no longer {relation} of {b}"},
	{"contact.received", "Contact (source {source}): {summary}"},
	{"referral.decided", "Referral decision: {decision}[ (primary need {primary_need})]"},
	{"assessment.started", "Assessment started"},
	{"assessment.completed", "Assessment completed: {outcome}[ (factors {factors})]"},
	{"strategy.held", "Strategy discussion; section 47 enquiry: {s47}"},
	{"s47.completed", "Section 47 enquiry completed; initial conference: {icpc}"},
	{"conference.held", "Conference ({type}): plan {plan}[, category {category}]"},
	{"meeting.held", "Meeting ({type})[: {summary}]"},
	{"cin_plan.started", "Child in need plan started"},
	{"cin_plan.ended", "Child in need plan ended"},
	{"lac.started", "Became looked after[ ({legal_status})]"},
	{"lac.ended", "Ceased to be looked after[: {reason}]"},
	{"visit.recorded", "Visit: seen {seen}[, alone {seen_alone}][: {summary}]"},
	{"note.recorded", "{text}"},
	{"agency_info.received", "Information from {agency}[ (significant harm: {significant_harm})]: {summary}"},
	{"concern.raised", "Concern ({category})[, significant harm: {significant_harm}]: {summary}"},
	{"concern.resolved", "Concern {concern} resolved: {rationale}"},
	{"injury.observed", "Injury seen by {agency}: {description}[ ({body_part})][; explanation: {explanation}]"},
	{"missing.started", "Went missing[ (indicators: {indicators})]"},
	{"missing.ended", "Returned from missing[; return interview: {return_interview}]"},
	{"return_interview.recorded", "Return interview: {summary}"},
	{"risk.flagged", "Risk flagged by {agency}[ (risk to children: {risk_to_children})]: {summary}"},
	{"risk.cleared", "Risk cleared by {agency}: {rationale}"},
	{"domestic_abuse.notified", "Domestic abuse notified by {agency} about {persons}[ (MARAC: {marac})][: {summary}]"},
	{"case.allocated", "Allocated to {worker}[ ({team})]"},
	{"case.closed", "Case closed ({reason})[: {rationale}][; authorised by {authorised_by}]"},
	{"escalation.raised", "Escalated to {to}: {summary}"},
	{"escalation.answered", "Escalation {escalation} answered: {response}"},
	{"supervision.recorded", "Supervision: {summary}"},
	{"amendment.requested", "Amendment of event {target} requested: {reason}"},
	{"amendment.approved", "Amendment {request} approved"},
	{"amendment.rejected", "Amendment {request} rejected: {reason}"},
	{"alert.raised", "Alert {code}[: {reason}]"},
	{"alert.acknowledged", "Alert {alert} acknowledged[: {note}]"},
	{"alert.resolved", "Alert {alert} resolved: {rationale}"},
};

/* Append data.<name> as text; false when absent. */
static bool put_field(buf *out, const json_t *data, const char *name, size_t len)
{
	char key[VOCAB_MAX_ID + 1];
	const json_t *v, *e;
	size_t i;

	if (len > VOCAB_MAX_ID)
		return false;
	memcpy(key, name, len);
	key[len] = '\0';
	v = json_object_get(data, key);
	if (json_is_string(v))
		buf_puts(out, json_string_value(v));
	else if (json_is_boolean(v))
		buf_puts(out, json_is_true(v) ? "yes" : "no");
	else if (json_is_integer(v))
		buf_printf(out, "%lld", (long long)json_integer_value(v));
	else if (json_is_array(v) && json_array_size(v) > 0)
		json_array_foreach(v, i, e) {
			if (i)
				buf_puts(out, ", ");
			if (json_is_string(e))
				buf_puts(out, json_string_value(e));
		}
	else
		return false;
	return true;
}

/* Expand tmpl[0..len) into out; false when a field outside [...] or inside
 * the current [...] is missing. */
static bool expand(buf *out, const json_t *data, const char *t, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (t[i] == '{') {
			const char *end = memchr(t + i, '}', len - i);
			if (!end || !put_field(out, data, t + i + 1, (size_t)(end - t - i - 1)))
				return false;
			i = (size_t)(end - t) + 1;
		} else if (t[i] == '[') {
			const char *end = memchr(t + i, ']', len - i);
			size_t mark = out->len;
			if (!end)
				return false;
			if (!expand(out, data, t + i + 1, (size_t)(end - t - i - 1)))
				buf_truncate(out, mark);
			i = (size_t)(end - t) + 1;
		} else {
			buf_putc(out, t[i++]);
		}
	}
	return true;
}

void query_event_summary(const json_t *event, buf *out)
{
	const char *kind = str(event, "kind");
	const json_t *data = json_object_get(event, "data");
	size_t start = out->len, i, cut;

	for (i = 0; kind && i < SL_ARRAY_LEN(summaries); i++)
		if (strcmp(summaries[i].kind, kind) == 0)
			break;
	if (!kind || i == SL_ARRAY_LEN(summaries) ||
	    !expand(out, data, summaries[i].tmpl, strlen(summaries[i].tmpl))) {
		buf_truncate(out, start);
		buf_puts(out, kind ? kind : "event");
	}
	/* Newlines in free text would break a one-line view. */
	for (i = start; i < out->len; i++)
		if (out->data[i] == '\n' || out->data[i] == '\r' || out->data[i] == '\t')
			out->data[i] = ' ';
	if (out->len - start <= QUERY_SUMMARY_MAX)
		return;
	/* Cut at a character boundary (never inside a UTF-8 sequence) and
	 * mark the cut with an ellipsis (3 bytes). */
	cut = start + QUERY_SUMMARY_MAX - 3;
	while (cut > start && (out->data[cut] & 0xC0) == 0x80)
		cut--;
	buf_truncate(out, cut);
	buf_puts(out, "\xE2\x80\xA6");
}

/* ---- the chronology ------------------------------------------------------------------ */

typedef struct chrono_ctx {
	app *a;
	json_t *items;
	buf text;
	int rc;
	uint64_t until; /* as-of: amendments approved by this seq only; 0: all */
} chrono_ctx;

static int chrono_cb(void *ctx, const store_chrono_item *it, sl_err *err)
{
	chrono_ctx *c = ctx;
	json_t *event = NULL, *item, *applied = NULL;
	bool amended = false;
	int rc;

	if (it->amended) {
		if ((rc = amended_event(c->a, it->ev.seq, c->until, it->ev.event, it->ev.event_len, &event, &applied,
		                        err)))
			return rc;
		amended = json_array_size(applied) > 0;
		json_decref(applied);
	} else if (!(event = jcs_parse(it->ev.event, it->ev.event_len, err))) {
		sl_err_prefix(err, "seq %llu", (unsigned long long)it->ev.seq);
		return SL_ECORRUPT;
	}
	buf_reset(&c->text);
	query_event_summary(event, &c->text);
	item = json_pack("{s:I, s:o, s:s, s:s, s:o, s:O?, s:s, s:b}", "seq", (json_int_t)it->ev.seq, "occurred_at",
	                 jstr(it->occurred_at), "recorded_at", it->ev.recorded_at, "kind", it->ev.kind, "agency",
	                 jstr(it->agency), "by", json_object_get(event, "by"), "summary", buf_str(&c->text), "amended",
	                 amended);
	json_decref(event);
	if (!item) /* the summary was cut inside text that is not UTF-8: cannot be, stored events are */
		return sl_fail(err, SL_ECORRUPT, "seq %llu: cannot show its summary", (unsigned long long)it->ev.seq);
	json_array_append_new(c->items, item);
	return 0;
}

/* The filters a chronology page and a timeline share, checked; *kinds
 * (the JSON array text q->kinds points at) is the caller's to free. */
static int chrono_filters(const query_chrono_opts *o, store_chrono_query *q, char **kinds, const char **param,
                          sl_err *err)
{
	int rc;

	*kinds = NULL;
	if ((rc = parse_day(o->from, "from", param, err)) || (rc = parse_day(o->to, "to", param, err)))
		return rc;
	if (!absent(o->kind) && (rc = parse_kinds(o->kind, kinds, param, err)))
		return rc;
	if (!absent(o->agency) && !agency_known(o->agency))
		return param_fail(param, "agency", err, "not an agency of vocabulary v1");
	if (!absent(o->from) && !absent(o->to) && strcmp(o->from, o->to) > 0)
		return param_fail(param, "to", err, "is before `from`");
	q->kinds = *kinds;
	q->agency = absent(o->agency) ? NULL : o->agency;
	q->from_day = absent(o->from) ? NULL : o->from;
	q->to_day = absent(o->to) ? NULL : o->to;
	q->max_seq = o->max_seq;
	return 0;
}

int query_timeline(app *a, const char *child, const query_chrono_opts *o, store_chrono_key_cb cb, void *ctx,
                   const char **param, sl_err *err)
{
	store_chrono_query q = {child, NULL, NULL, NULL, NULL, true, 0, 0, 0};
	char *kinds = NULL;
	json_t *person = NULL;
	int rc;

	if (param)
		*param = NULL;
	if (!(rc = chrono_filters(o, &q, &kinds, param, err)) && !(rc = load_child(a, child, &person, err)))
		rc = store_chronology_keys(a->store, &q, cb, ctx, err);
	json_decref(person);
	free(kinds);
	return rc;
}

int query_chronology(app *a, const char *child, const query_chrono_opts *o, json_t **out, const char **param,
                     sl_err *err)
{
	store_chrono_query q = {child, NULL, NULL, NULL, NULL, false, 0, 0, 0};
	chrono_ctx cc = {a, json_array(), BUF_INIT, 0, o->max_seq};
	char *kinds = NULL;
	json_t *person = NULL;
	unsigned limit;
	int rc;

	*out = NULL;
	if (param)
		*param = NULL;
	if ((rc = parse_limit(o->limit, QUERY_DEFAULT_LIMIT, QUERY_MAX_LIMIT, &limit, param, err)) ||
	    (rc = chrono_filters(o, &q, &kinds, param, err)))
		goto done;
	if (!absent(o->order) && strcmp(o->order, "newest") != 0 && strcmp(o->order, "oldest") != 0) {
		rc = param_fail(param, "order", err, "expected `newest` or `oldest`");
		goto done;
	}
	if (!absent(o->cursor) && (rc = parse_seq(o->cursor, "cursor", &q.after_seq, param, err)))
		goto done;
	if ((rc = load_child(a, child, &person, err)))
		goto done;
	q.oldest_first = !absent(o->order) && strcmp(o->order, "oldest") == 0;
	q.limit = limit + 1; /* one more than a page says whether another follows */
	rc = store_chronology(a->store, &q, chrono_cb, &cc, err);
	if (rc == SL_EINVAL && param)
		*param = "cursor";
	if (rc)
		goto done;
	{
		json_t *next = json_null();
		if (json_array_size(cc.items) > limit) {
			json_array_remove(cc.items, limit);
			next = json_sprintf("%lld", (long long)json_integer_value(
			                                    json_object_get(json_array_get(cc.items, limit - 1), "seq")));
		}
		*out = json_pack("{s:s, s:s, s:o, s:o}", "child", child, "order", q.oldest_first ? "oldest" : "newest",
		                 "items", cc.items, "next", next);
		cc.items = NULL;
	}
done:
	json_decref(cc.items);
	json_decref(person);
	buf_release(&cc.text);
	free(kinds);
	return rc;
}

/* ---- the network ----------------------------------------------------------------------- */

#define NETWORK_MAX_PEOPLE 500 /* a bound on one answer: a network is a family, not a town */

typedef struct network_ctx {
	json_t *links;  /* array */
	json_t *seen;   /* "a|b|relation|seq" -> true */
	json_t *hops;   /* id -> hop */
	json_t *order;  /* ids in the order met */
	int hop;        /* hop of the people met at the far end */
} network_ctx;

static int link_cb(void *ctx, const store_link *l, sl_err *err)
{
	network_ctx *n = ctx;
	buf key = BUF_INIT;
	const char *ends[2] = {l->a, l->b};
	(void)err;

	buf_printf(&key, "%s|%s|%s|%llu", l->a, l->b, l->relation, (unsigned long long)l->since_seq);
	if (!json_object_get(n->seen, key.data)) {
		json_object_set_new(n->seen, key.data, json_true());
		json_array_append_new(n->links, json_pack("{s:s, s:s, s:s, s:s, s:I}", "a", l->a, "b", l->b, "relation",
		                                          l->relation, "since", l->since_day, "seq",
		                                          (json_int_t)l->since_seq));
	}
	buf_release(&key);
	for (int i = 0; i < 2; i++)
		if (!json_object_get(n->hops, ends[i]) && json_array_size(n->order) < NETWORK_MAX_PEOPLE) {
			json_object_set_new(n->hops, ends[i], json_integer(n->hop));
			json_array_append_new(n->order, json_string(ends[i]));
		}
	return 0;
}

static int risk_cb(void *ctx, const store_risk_flag *r, sl_err *err)
{
	(void)err;
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s, s:b, s:b}", "seq", (json_int_t)r->seq, "agency",
	                                     r->agency, "day", r->day, "summary", r->summary, "risk_to_children",
	                                     r->risk_to_children, "amended", r->amended_seq != 0));
	return 0;
}

int query_network(app *a, const char *child, json_t **out, sl_err *err)
{
	return query_network_at(a, child, UINT64_MAX, out, err);
}

int query_network_at(app *a, const char *child, uint64_t max_seq, json_t **out, sl_err *err)
{
	network_ctx n = {json_array(), json_object(), json_object(), json_array(), 1};
	json_t *people = json_array(), *person = NULL, *id;
	size_t i, hop1_end;
	int rc;

	*out = NULL;
	if ((rc = load_child(a, child, &person, err)))
		goto done;
	json_decref(person);
	person = NULL;
	json_object_set_new(n.hops, child, json_integer(0));
	json_array_append_new(n.order, json_string(child));
	if ((rc = store_person_links(a->store, child, max_seq, link_cb, &n, err)))
		goto done;
	/* Their links: one scan per person met at hop 1, after the first scan
	 * has finished (see the file's comment). */
	hop1_end = json_array_size(n.order);
	n.hop = 2;
	for (i = 1; i < hop1_end; i++)
		if ((rc = store_person_links(a->store, json_string_value(json_array_get(n.order, i)), max_seq, link_cb,
		                             &n, err)))
			goto done;
	json_array_foreach(n.order, i, id) {
		const char *pid = json_string_value(id);
		json_t *flags = json_array();
		bool risk = false;
		size_t j;
		json_t *f;

		rc = load_person(a, pid, &person, err);
		if (!rc)
			rc = store_person_risk_flags(a->store, pid, max_seq, risk_cb, flags, err);
		if (rc) {
			json_decref(flags);
			goto done;
		}
		json_array_foreach(flags, j, f) risk = risk || json_is_true(json_object_get(f, "risk_to_children"));
		json_array_append_new(people, json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:b, s:o}", "id", pid, "role",
		                                        json_object_get(person, "role"), "name",
		                                        json_object_get(person, "name"), "born",
		                                        json_object_get(person, "born"), "expected",
		                                        json_object_get(person, "expected"), "hop",
		                                        json_object_get(n.hops, pid), "risk_to_children", risk,
		                                        "risk_flags", flags));
		json_decref(person);
		person = NULL;
	}
	*out = json_pack("{s:s, s:O, s:O, s:b}", "child", child, "people", people, "links", n.links, "truncated",
	                 json_array_size(n.order) >= NETWORK_MAX_PEOPLE);
done:
	json_decref(person);
	json_decref(people);
	json_decref(n.links);
	json_decref(n.seen);
	json_decref(n.hops);
	json_decref(n.order);
	return rc;
}

/* ---- alerts and caseloads -------------------------------------------------------------- */

int query_alerts(app *a, const query_alert_opts *o, json_t **out, const char **param, sl_err *err)
{
	store_alert_query q = {o->child, o->worker, o->team, NULL, false, 0};
	json_t *alerts;
	unsigned limit;
	int rc;

	*out = NULL;
	if (param)
		*param = NULL;
	if ((rc = parse_limit(o->limit, QUERY_MAX_LIMIT, QUERY_MAX_LIMIT, &limit, param, err)))
		return rc;
	if (!absent(o->state) && strcmp(o->state, "open") != 0 && strcmp(o->state, "all") != 0)
		return param_fail(param, "state", err, "expected `open` or `all`");
	q.include_resolved = !absent(o->state) && strcmp(o->state, "all") == 0;
	q.limit = limit;
	alerts = json_array();
	if ((rc = store_alerts(a->store, &q, alert_cb, alerts, err))) {
		json_decref(alerts);
		return rc;
	}
	*out = json_pack("{s:o}", "alerts", alerts);
	return 0;
}

/* Deadlines missed: the timeliness rules of DESIGN 6 (an alert stays
 * "overdue" until resolved). */
static const char overdue_codes[] =
	"[\"LATE_REFERRAL_DECISION\",\"LATE_ASSESSMENT\",\"LATE_ICPC\",\"LATE_REVIEW_CONFERENCE\","
	"\"LATE_CORE_GROUP\",\"LATE_VISIT\",\"MISSING_NO_RETURN_INTERVIEW\",\"UNALLOCATED\","
	"\"ESCALATION_UNANSWERED\"]";

static int caseload_cb(void *ctx, const store_caseload *c, sl_err *err)
{
	(void)err;
	json_array_append_new(ctx, json_pack("{s:s, s:o, s:I, s:I, s:I}", "worker", c->worker, "team", jstr(c->team),
	                                     "children", (json_int_t)c->children, "alerts_open",
	                                     (json_int_t)c->alerts_open, "overdue", (json_int_t)c->overdue));
	return 0;
}

int query_caseloads(app *a, const char *team, const char *worker, json_t **out, sl_err *err)
{
	json_t *rows = json_array();
	int rc;

	*out = NULL;
	if ((rc = store_caseloads(a->store, team, worker, overdue_codes, caseload_cb, rows, err))) {
		json_decref(rows);
		return rc;
	}
	*out = json_pack("{s:o}", "caseloads", rows);
	return 0;
}

/* ---- which children an event is about ------------------------------------------------- */

typedef struct children_ctx {
	app *a;
	json_t *ids;
	int rc;
	sl_err *err;
} children_ctx;

static void add_if_child(void *ctx, const char *id)
{
	children_ctx *c = ctx;
	char *role = NULL;
	size_t i;
	json_t *v;

	if (c->rc || store_person_role(c->a->store, id, &role, NULL) != 0)
		return; /* an unknown id is about no child */
	if (strcmp(role, "child") == 0) {
		json_array_foreach(c->ids, i, v) if (strcmp(json_string_value(v), id) == 0) break;
		if (i == json_array_size(c->ids))
			json_array_append_new(c->ids, json_string(id));
	}
	free(role);
}

static int event_children(children_ctx *c, uint64_t seq, int depth);

/* The children an event (parsed) is about, following references `depth`
 * more times. */
static int json_event_children(children_ctx *c, const json_t *event, uint64_t self, int depth)
{
	static const struct {
		const char *kind, *field;
	} follow[] = {
		{"amendment.requested", "target"}, {"amendment.approved", "request"},
		{"amendment.rejected", "request"}, {"escalation.answered", "escalation"},
	};
	const json_t *data = json_object_get(event, "data");
	const char *kind = str(event, "kind");
	uint64_t next;
	size_t i;
	int rc = 0;

	vocab_event_persons(event, add_if_child, c);
	/* An alert decision names its alert by ref CODE/CHILD/DAY. */
	if (kind && strncmp(kind, "alert.", 6) == 0 && str(data, "alert")) {
		const char *ref = str(data, "alert"), *slash = strchr(ref, '/'), *end;
		if (slash && (end = strchr(slash + 1, '/')) && end > slash + 1 && end - slash - 1 <= VOCAB_MAX_ID) {
			char id[VOCAB_MAX_ID + 1];
			memcpy(id, slash + 1, (size_t)(end - slash - 1));
			id[end - slash - 1] = '\0';
			add_if_child(c, id);
		}
	}
	for (i = 0; kind && depth > 0 && !rc && i < SL_ARRAY_LEN(follow); i++) {
		if (strcmp(kind, follow[i].kind) != 0)
			continue;
		if (project_resolve_ref(c->a->store, json_object_get(data, follow[i].field), &next, NULL) == 0 &&
		    next != self)
			rc = event_children(c, next, depth - 1);
	}
	return rc ? rc : c->rc;
}

static int event_children(children_ctx *c, uint64_t seq, int depth)
{
	store_event_copy row;
	json_t *event;
	int rc;

	if ((rc = store_event_get(c->a->store, seq, &row, c->err)))
		return rc;
	event = jcs_parse(row.ev.event, row.ev.event_len, c->err);
	store_event_release(&row);
	if (!event)
		return SL_ECORRUPT;
	rc = json_event_children(c, event, seq, depth);
	json_decref(event);
	return rc;
}

int query_children_of(app *a, const json_t *event, json_t **out, sl_err *err)
{
	children_ctx c = {a, json_array(), 0, err};
	int rc = json_event_children(&c, event, 0, 2);

	if (rc) {
		json_decref(c.ids);
		*out = NULL;
		return rc;
	}
	*out = c.ids;
	return 0;
}

int query_event_children(app *a, uint64_t seq, json_t **out, sl_err *err)
{
	children_ctx c = {a, json_array(), 0, err};
	int rc = event_children(&c, seq, 2);

	if (rc) {
		json_decref(c.ids);
		*out = NULL;
		return rc;
	}
	*out = c.ids;
	return 0;
}

/* ---- the approvals queue --------------------------------------------------------------- */

static int pending_cb(void *ctx, const store_amendment *am, sl_err *err)
{
	(void)err;
	json_array_append_new(ctx, json_pack("{s:I, s:I, s:s, s:o}", "request", (json_int_t)am->request_seq, "target",
	                                     (json_int_t)am->target_seq, "requested_by", am->requester, "data",
	                                     jparse(am->data) ?: json_object()));
	return 0;
}

/* Keep an item about these children? */
static bool visible(query_child_filter filter, void *ctx, const json_t *children)
{
	size_t i;
	json_t *id;

	if (!filter)
		return true;
	json_array_foreach(children, i, id) if (filter(ctx, json_string_value(id))) return true;
	return false;
}

typedef struct notice_ctx {
	json_t *items;
} notice_ctx;

static int notice_cb(void *ctx, const store_event *ev, sl_err *err)
{
	json_t *event = jcs_parse(ev->event, ev->event_len, err), *data;

	if (!event)
		return SL_ECORRUPT;
	data = json_object_get(event, "data");
	json_array_append_new(((notice_ctx *)ctx)->items,
	                      json_pack("{s:I, s:s, s:o, s:o, s:o}", "seq", (json_int_t)ev->seq, "recorded_at",
	                                ev->recorded_at, "child", jstr(str(data, "child")), "user",
	                                jstr(str(data, "user")), "reason", jstr(str(data, "reason"))));
	json_decref(event);
	return 0;
}

int query_approvals(app *a, const char *team, query_child_filter filter, void *ctx, json_t **out, sl_err *err)
{
	store_alert_query q = {NULL, NULL, NULL, "CLOSURE_BLOCKED", false, QUERY_MAX_LIMIT};
	json_t *pending = json_array(), *amendments = json_array(), *blocked = json_array(), *closures = json_array();
	notice_ctx nc = {json_array()};
	json_t *item;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = store_amendments_pending(a->store, pending_cb, pending, err)) ||
	    (rc = store_alerts(a->store, &q, alert_cb, blocked, err)) ||
	    (rc = store_events_of_kind(a->store, "access.break_glass", team, QUERY_NOTICES_MAX, notice_cb, &nc, err)))
		goto done;
	json_array_foreach(pending, i, item) {
		uint64_t request = (uint64_t)json_integer_value(json_object_get(item, "request"));
		uint64_t target = (uint64_t)json_integer_value(json_object_get(item, "target"));
		store_event_copy req, tgt;
		json_t *children = NULL, *event;

		if ((rc = query_event_children(a, target, &children, err)))
			goto done;
		if (!visible(filter, ctx, children)) {
			json_decref(children);
			continue;
		}
		json_object_set_new(item, "children", children);
		if ((rc = store_event_get(a->store, request, &req, err)))
			goto done;
		event = jcs_parse(req.ev.event, req.ev.event_len, NULL);
		json_object_set_new(item, "requested_at", json_string(req.ev.recorded_at));
		json_object_set_new(item, "reason", jstr(str(json_object_get(event, "data"), "reason")));
		json_decref(event);
		store_event_release(&req);
		if ((rc = store_event_get(a->store, target, &tgt, err)))
			goto done;
		json_object_set_new(item, "target_kind", json_string(tgt.ev.kind));
		store_event_release(&tgt);
		json_array_append(amendments, item);
	}
	json_array_foreach(blocked, i, item) {
		json_t *children = json_pack("[o]", jstr(str(item, "child")));
		if (str(item, "child") ? visible(filter, ctx, children) : !filter)
			json_array_append(closures, item);
		json_decref(children);
	}
	/* A notice is addressed to the team manager, sealed record or not:
	 * the team scope chose them, not the filter. */
	*out = json_pack("{s:O, s:O, s:O}", "amendments", amendments, "closures", closures, "break_glass", nc.items);
done:
	json_decref(nc.items);
	json_decref(pending);
	json_decref(amendments);
	json_decref(blocked);
	json_decref(closures);
	return rc;
}

/* ---- one event's history and proof ------------------------------------------------------ */

static int request_cb(void *ctx, const store_amendment *am, sl_err *err)
{
	(void)err;
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:o, s:o}", "request", (json_int_t)am->request_seq,
	                                     "status", am->status, "requested_by", am->requester, "decided",
	                                     jseq(am->decided_seq), "data", jparse(am->data) ?: json_object()));
	return 0;
}

static json_t *hex_json(const uint8_t *b, size_t n)
{
	buf h = BUF_INIT;
	json_t *s;

	buf_append_hex(&h, b, n);
	s = json_string(buf_str(&h));
	buf_release(&h);
	return s;
}

/* The inclusion proof of seq against the latest signed checkpoint, or null
 * (and checkpoint_size) when none covers it yet. */
static int event_proof(app *a, uint64_t seq, json_t *o, sl_err *err)
{
	uint64_t size = 0;
	char *note = NULL;
	uint8_t *path = NULL, root[32];
	size_t n = 0, i;
	json_t *hashes;
	int rc;

	rc = store_checkpoint_latest(a->store, STORE_LOG_CASES, &size, &note, err);
	if (rc == SL_ENOTFOUND) {
		sl_err_clear(err);
		rc = 0;
		size = 0;
	}
	if (rc)
		return rc;
	if (seq > size) {
		json_object_set_new(o, "proof", json_null());
		json_object_set_new(o, "checkpoint_size", json_integer((json_int_t)size));
		free(note);
		return 0;
	}
	/* This connection's tree may predate the checkpoint (another
	 * connection writes): read its right edge again. */
	if (ledger_size(a->ledger) < size && (rc = ledger_reload(a->ledger, err)))
		goto done;
	if ((rc = ledger_inclusion_proof(a->ledger, seq, size, &path, &n, err)) ||
	    (rc = ledger_root(a->ledger, size, root, err)))
		goto done;
	hashes = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(hashes, hex_json(path + 32 * i, 32));
	json_object_set_new(o, "proof", json_pack("{s:s, s:I, s:I, s:o, s:o}", "checkpoint", note, "tree_size",
	                                          (json_int_t)size, "leaf_index", (json_int_t)(seq - 1), "root",
	                                          hex_json(root, 32), "hashes", hashes));
done:
	free(path);
	free(note);
	return rc;
}

int query_event(app *a, uint64_t seq, json_t **out, sl_err *err)
{
	store_event_copy row = {0};
	json_t *o = NULL, *event = NULL, *amendments = NULL, *requests = json_array(), *children = NULL;
	uint8_t leaf[32];
	buf scratch = BUF_INIT;
	int rc;

	*out = NULL;
	if ((rc = store_event_get(a->store, seq, &row, err)) ||
	    (rc = amended_event(a, seq, 0, row.ev.event, row.ev.event_len, &event, &amendments, err)) ||
	    (rc = store_amendment_requests_of(a->store, seq, request_cb, requests, err)) ||
	    (rc = query_event_children(a, seq, &children, err)))
		goto done;
	ledger_row_leaf_hash(&row.ev, &scratch, leaf);
	o = json_pack("{s:I, s:s, s:s, s:O, s:b, s:O, s:O, s:O, s:s%, s:o, s:o}", "seq", (json_int_t)seq, "recorded_at",
	              row.ev.recorded_at, "kind", row.ev.kind, "event", event, "amended",
	              json_array_size(amendments) > 0, "amendments", amendments, "requests", requests, "children",
	              children, "canonical", row.ev.event, row.ev.event_len, "salt", hex_json(row.ev.salt, 32),
	              "leaf_hash", hex_json(leaf, 32));
	if (!o) {
		rc = sl_fail(err, SL_ECORRUPT, "seq %llu: the stored event cannot be shown", (unsigned long long)seq);
		goto done;
	}
	if ((rc = event_proof(a, seq, o, err)))
		goto done;
	*out = o;
	o = NULL;
done:
	json_decref(o);
	json_decref(event);
	json_decref(amendments);
	json_decref(requests);
	json_decref(children);
	buf_release(&scratch);
	store_event_release(&row);
	return rc;
}

/* ---- partners: status by NHS number ----------------------------------------------------- */

typedef struct nhs_ctx {
	json_t *ids;
} nhs_ctx;

static int nhs_person_cb(void *ctx, const store_person_row *p, sl_err *err)
{
	(void)err;
	json_array_append_new(((nhs_ctx *)ctx)->ids, json_string(p->p.id));
	return 0;
}

typedef struct status_ctx {
	bool cp, lac;
} status_ctx;

static int status_episode_cb(void *ctx, const store_episode *e, sl_err *err)
{
	status_ctx *s = ctx;
	(void)err;
	if (e->end_seq == 0 && strcmp(e->type, "cp_plan") == 0)
		s->cp = true;
	if (e->end_seq == 0 && strcmp(e->type, "lac") == 0)
		s->lac = true;
	return 0;
}

int query_status_by_nhs(app *a, const char *nhs_number, json_t **out, json_t **persons, sl_err *err)
{
	char nhs[NHS_NUMBER_LEN + 1];
	nhs_ctx nc = {json_array()};
	status_ctx st = {false, false};
	json_t *id;
	size_t i;
	int rc;

	*out = NULL;
	if (persons)
		*persons = NULL;
	if ((rc = nhs_number_parse(nhs_number, nhs, err))) {
		sl_err_prefix(err, "parameter `nhs_number`");
		goto done;
	}
	if ((rc = store_person_by_nhs(a->store, nhs, nhs_person_cb, &nc, err)))
		goto done;
	if (json_array_size(nc.ids) == 0) {
		rc = sl_fail(err, SL_ENOTFOUND, "nobody is registered with this NHS number");
		goto done;
	}
	/* One number should be one person; if a data error gave it to two,
	 * a plan for either is the answer a partner must not miss. */
	json_array_foreach(nc.ids, i, id) if ((rc = store_child_episodes(a->store, json_string_value(id),
	                                                                 status_episode_cb, &st, err))) goto done;
	*out = json_pack("{s:s, s:b, s:b}", "nhs_number", nhs, "cp_plan", st.cp, "looked_after", st.lac);
	if (persons) {
		*persons = nc.ids;
		nc.ids = NULL;
	}
done:
	json_decref(nc.ids);
	return rc;
}

/* ---- as of a date ---------------------------------------------------------------------- */

int query_child_as_of(app *a, const char *child, const char *date, json_t **out, const char **param,
                      sl_err *err)
{
	int rc;

	*out = NULL;
	if (param)
		*param = NULL;
	if (absent(date))
		return param_fail(param, "date", err, "required: the date to show the record as of (YYYY-MM-DD)");
	if ((rc = parse_day(date, "date", param, err)))
		return rc;
	return app_child_as_of(a, child, date, out, err);
}

/* ---- days ---------------------------------------------------------------------------- */


/* ---- escalations and unallocated children ---------------------------------------------- */

typedef struct escalation_ctx {
	app *a;
	json_t *items;
} escalation_ctx;

static int escalation_cb(void *ctx, const store_escalation_row *r, sl_err *err)
{
	escalation_ctx *c = ctx;
	int32_t raised = date_day_or_none(r->e.day), due;
	buf d = BUF_INIT;
	json_t *o;
	(void)err;

	due = calendar_add_wd(c->a->rules_cfg->cal, raised, c->a->rules_cfg->param[P_ESCALATION_WD]);
	date_format_day(&d, due);
	o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:b}", "seq", (json_int_t)r->e.seq, "to", r->e.to, "child",
	              jstr(r->e.child), "raised_on", r->e.day, "summary", r->e.summary, "due", d.data, "overdue",
	              !r->answered.seq && app_today(c->a) > due);
	if (r->answered.seq)
		json_object_set_new(o, "answered", closing_json(&r->answered));
	json_array_append_new(c->items, o);
	buf_release(&d);
	return 0;
}

int query_escalations(app *a, const char *to, bool open_only, json_t **out, sl_err *err)
{
	escalation_ctx c = {a, json_array()};
	int rc = store_escalations(a->store, to, open_only, escalation_cb, &c, err);

	*out = NULL;
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	*out = json_pack("{s:o}", "escalations", c.items);
	return 0;
}

typedef struct unallocated_ctx {
	app *a;
	const char *team;
	json_t *items;
} unallocated_ctx;

static int unallocated_cb(void *ctx, const char *child, const char *name, const char *opened_day,
                          const char *last_team, sl_err *err)
{
	unallocated_ctx *c = ctx;
	int32_t opened = date_day_or_none(opened_day);
	(void)err;

	if (c->team && last_team && strcmp(c->team, last_team) != 0)
		return 0;
	json_array_append_new(c->items, json_pack("{s:s, s:o, s:s, s:i, s:o}", "child", child, "name", jstr(name),
	                                          "opened_on", opened_day, "waiting_wd",
	                                          calendar_wd_between(c->a->rules_cfg->cal, opened, app_today(c->a)),
	                                          "last_team", jstr(last_team)));
	return 0;
}

int query_unallocated(app *a, const char *team, json_t **out, sl_err *err)
{
	unallocated_ctx c = {a, team, json_array()};
	int rc = store_unallocated(a->store, unallocated_cb, &c, err);

	*out = NULL;
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	*out = json_pack("{s:o}", "children", c.items);
	return 0;
}

static int grant_cb(void *ctx, const char *child, const char *name, const char *day, const char *by, sl_err *err)
{
	(void)err;
	json_array_append_new(ctx, json_pack("{s:s, s:o, s:s, s:s}", "child", child, "name", jstr(name), "granted_on",
	                                     day, "granted_by", by));
	return 0;
}

int query_grants(app *a, const char *login, json_t **out, sl_err *err)
{
	json_t *items = json_array();
	int rc = store_grants_of(a->store, login, grant_cb, items, err);

	*out = NULL;
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "children", items);
	return 0;
}

int query_caseload_limit(const app *a)
{
	return a->rules_cfg->param[P_CASELOAD_MAX];
}

/* ---- a worker's children (My work) ----------------------------------------------------- */

static int worker_allocation_cb(void *ctx, const store_allocation *al, sl_err *err)
{
	(void)err;
	json_array_append_new(ctx, json_pack("{s:s, s:o, s:o, s:I}", "child", al->child, "team", jstr(al->team),
	                                     "allocated_on", jstr(al->from_day), "allocation_seq",
	                                     (json_int_t)al->seq));
	return 0;
}

int query_worker_children(app *a, const char *worker, json_t **out, sl_err *err)
{
	json_t *children = json_array(), *c, *person;
	size_t i;
	int rc;

	*out = NULL;
	/* ids first, then each person: a scan's callback may not query again */
	if ((rc = store_worker_allocations(a->store, worker, worker_allocation_cb, children, err)))
		goto fail;
	json_array_foreach(children, i, c) {
		person = NULL;
		if ((rc = load_person(a, json_string_value(json_object_get(c, "child")), &person, err)))
			goto fail;
		json_object_set(c, "name", json_object_get(person, "name"));
		json_object_set(c, "born", json_object_get(person, "born"));
		json_object_set(c, "expected", json_object_get(person, "expected"));
		json_decref(person);
	}
	*out = json_pack("{s:s, s:o}", "worker", worker, "children", children);
	return 0;
fail:
	json_decref(children);
	return rc;
}
