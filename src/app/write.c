/*
 * write.c - the one write path (DESIGN 3): validate, then inside one
 * transaction append the canonical event and update the projections.
 *
 * Validation reads the store through a vocab_resolver, so a reference to a
 * person or event made earlier in the same batch resolves: a family can be
 * registered and written about in one import.  Any failure aborts the
 * batch; the ledger's in-memory tree is reloaded from the store so that it
 * matches the rolled-back state again.
 *
 * Replay's rules-only instance (app_options.rules_only) takes the same
 * path with one difference: what validation and the rules need of the
 * store - which seqs exist and their kinds, refs, amendment requests - is
 * kept in memory (struct app_lean), and no ledger row, tile or projection
 * is written.  Seqs are handed out exactly as the ledger would, so alerts'
 * evidence is the same; `replay --full` runs the whole path instead, and
 * the tests hold the two to identical output.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "domain/project.h"
#include "domain/vocab.h"
#include "ledger/jcs.h"
#include "util/date.h"
#include "util/hmap.h"

struct lean_request {
	char *requester;
	const char *status; /* "pending", "approved", "rejected" */
};

struct app_lean {
	uint64_t size;         /* seqs handed out */
	const char **kinds;    /* kind of seq i + 1, interned */
	size_t cap;
	hmap refs;             /* ref -> seq */
	hmap requests;         /* amendment.requested seq -> index in req */
	struct lean_request *req;
	size_t n_req, cap_req;
};

app_lean *app_lean_new(void)
{
	return xcalloc(1, sizeof(app_lean)); /* all zero: empty maps (HMAP_INIT) */
}

void app_lean_free(app_lean *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n_req; i++)
		free(l->req[i].requester);
	free(l->req);
	free(l->kinds);
	hmap_free(&l->refs);
	hmap_free(&l->requests);
	free(l);
}

int app_resolve_ref(app *a, const json_t *ref, uint64_t *seq, sl_err *err)
{
	if (!a->lean)
		return project_resolve_ref(a->store, ref, seq, err);
	if (json_is_string(ref)) {
		if (!hmap_get_str(&a->lean->refs, json_string_value(ref), seq))
			return sl_fail(err, SL_ENOTFOUND, "no event has ref `%s`", json_string_value(ref));
		return 0;
	}
	if (!json_is_integer(ref) || json_integer_value(ref) < 1)
		return sl_fail(err, SL_EINVAL, "a reference is a ref string or a seq number");
	if ((uint64_t)json_integer_value(ref) > a->lean->size)
		return sl_fail(err, SL_ENOTFOUND, "no event with seq %lld", (long long)json_integer_value(ref));
	*seq = (uint64_t)json_integer_value(ref);
	return 0;
}

/* People are resolved against the rules engine's model, which holds every
 * registered person in memory and is always built before a write is
 * validated (app_rules_ready); a restore, which runs without the engine,
 * asks the store. */
static int person_role(app *a, const char *id, sl_err *err)
{
	char *role = NULL;
	int rc;

	if (a->rules)
		return rules_person_role(a->rules, id);
	if ((rc = store_person_role(a->store, id, &role, err)) == SL_ENOTFOUND)
		return -1;
	if (rc)
		return rc - 1; /* below -1: a store error */
	rc = strcmp(role, "child") == 0;
	free(role);
	return rc;
}

static int resolve_person(void *ctx, const char *id, vocab_person_role want, sl_err *err)
{
	int role = person_role(ctx, id, err);

	if (role < -1)
		return sl_fail(err, SL_EIO, "cannot look up person %s", id);
	if (role == -1)
		return sl_fail(err, SL_ENOTFOUND, "unknown person %s", id);
	if (want == VOCAB_CHILD && role != 1)
		return sl_fail(err, SL_EINVAL, "%s is an adult, not a child", id);
	if (want == VOCAB_ADULT && role != 0)
		return sl_fail(err, SL_EINVAL, "%s is a child, not an adult", id);
	return 0;
}

static int resolve_person_new(void *ctx, const char *id, sl_err *err)
{
	int role = person_role(ctx, id, err);

	if (role < -1)
		return sl_fail(err, SL_EIO, "cannot look up person %s", id);
	if (role >= 0)
		return sl_fail(err, SL_ECONFLICT, "person %s is already registered", id);
	return 0;
}

/* Kinds are interned from the vocabulary table so the pointer we hand back
 * outlives the row we read it from. */
static const char *interned_kind(const char *kind)
{
	size_t i;
	for (i = 0; i < vocab_kind_count(); i++)
		if (strcmp(vocab_kind_name(i), kind) == 0)
			return vocab_kind_name(i);
	return NULL;
}

static int resolve_event(void *ctx, const json_t *ref, const char **kind, sl_err *err)
{
	app *a = ctx;
	store_event_copy row;
	uint64_t seq;
	int rc;

	if ((rc = app_resolve_ref(a, ref, &seq, err)))
		return rc;
	if (a->lean) {
		*kind = a->lean->kinds[seq - 1];
		return 0;
	}
	if ((rc = store_event_get(a->store, seq, &row, err)))
		return rc;
	*kind = interned_kind(row.ev.kind);
	store_event_release(&row);
	if (!*kind)
		return sl_fail(err, SL_ECORRUPT, "event %llu has an unknown kind", (unsigned long long)seq);
	return 0;
}

static int resolve_ref_new(void *ctx, const char *ref, sl_err *err)
{
	app *a = ctx;
	uint64_t seq;
	int rc = a->lean ? (hmap_get_str(&a->lean->refs, ref, &seq) ? 0 : SL_ENOTFOUND)
	                 : store_ref_get(a->store, ref, &seq, NULL);

	if (rc == 0)
		return sl_fail(err, SL_ECONFLICT, "ref `%s` is already used by event %llu", ref,
		               (unsigned long long)seq);
	return rc == SL_ENOTFOUND ? 0 : sl_fail(err, rc, "cannot look up ref `%s`", ref);
}

/* Alerts, like people, come from the rules' model; a restore, which runs
 * without it, finds them in the alerts projection. */
static int resolve_alert(void *ctx, const char *alert_ref, sl_err *err)
{
	app *a = ctx;
	uint64_t seq;

	if (!a->rules)
		return store_alert_seq(a->store, alert_ref, &seq, err);
	if (!rules_alert_exists(a->rules, alert_ref))
		return sl_fail(err, SL_ENOTFOUND, "unknown alert `%s`", alert_ref);
	return 0;
}

int app_batch_begin(app *a, sl_err *err)
{
	int rc;
	assert(!a->in_batch);
	if ((rc = store_begin(a->store, err)))
		return rc;
	a->in_batch = true;
	return 0;
}

void app_batch_abort(app *a)
{
	if (!a->in_batch)
		return;
	store_rollback(a->store);
	a->in_batch = false;
	/* the engine's model is ahead of the ledger now: rebuilt on next use */
	app_rules_drop(a);
	/* A failed reload leaves the tree stale; the next open fixes it, and
	 * the next append would fail on a seq conflict rather than corrupt. */
	ledger_reload(a->ledger, NULL);
	if (a->access)
		ledger_reload(a->access, NULL);
}

int app_batch_commit(app *a, bool sign, sl_err *err)
{
	int rc;

	assert(a->in_batch);
	if ((rc = ledger_flush(a->ledger, err)) || (a->access && (rc = ledger_flush(a->access, err))))
		goto fail;
	if (sign && ((rc = app_load_signer(a, err)) ||
	             (rc = ledger_sign_checkpoint(a->ledger, a->origin, a->signer, NULL, err))))
		goto fail;
	if ((rc = store_commit(a->store, err)))
		goto fail;
	a->in_batch = false;
	return 0;
fail:
	app_batch_abort(a);
	return rc;
}

/* The canonical event: the input's members plus the recorder (DESIGN 4). */
static int canonical_event(app *a, const json_t *event, const char *recorder, sl_err *err)
{
	json_t *who;
	int rc;

	buf_reset(&a->canon);
	if (!recorder)
		return jcs_append(&a->canon, event, err);
	who = json_string(recorder);
	rc = jcs_append_with(&a->canon, event, "recorder", who, err);
	json_decref(who);
	return rc;
}

static int validate(app *a, const json_t *event, const vocab_opts *vo, sl_err *err)
{
	vocab_resolver r = {a, resolve_person, resolve_person_new, resolve_event, resolve_ref_new, resolve_alert};
	return vocab_validate(event, vo, &r, err);
}

/* The rules-only instance's append: the seq, and what later validation
 * asks of it. */
static int lean_append(app *a, const json_t *event, const char *recorder, ledger_entry *out, sl_err *err)
{
	app_lean *l = a->lean;
	const char *kind = interned_kind(json_string_value(json_object_get(event, "kind")));
	const char *ref = json_string_value(json_object_get(event, "ref"));
	uint64_t seq = l->size + 1, req, idx;
	int rc;

	if (!kind)
		return sl_fail(err, SL_EINVAL, "unknown kind");
	if (strcmp(kind, "amendment.approved") == 0 || strcmp(kind, "amendment.rejected") == 0) {
		bool approve = kind[10] == 'a';
		struct lean_request *r;
		if ((rc = app_resolve_ref(a, json_object_get(json_object_get(event, "data"), "request"), &req, err)))
			return rc;
		if (!hmap_get_u64(&l->requests, req, &idx))
			return sl_fail(err, SL_ECORRUPT, "amendment request %llu is not recorded", (unsigned long long)req);
		r = &l->req[idx];
		if ((rc = project_check_decision(req, r->status, r->requester, project_actor(event, recorder), approve,
		                                 err)))
			return rc;
		r->status = approve ? "approved" : "rejected";
	} else if (strcmp(kind, "amendment.requested") == 0) {
		if (l->n_req == l->cap_req) {
			l->cap_req = l->cap_req ? 2 * l->cap_req : 16;
			l->req = xrealloc(l->req, l->cap_req * sizeof(*l->req));
		}
		l->req[l->n_req].requester = xstrdup(project_actor(event, recorder));
		l->req[l->n_req].status = "pending";
		hmap_put_u64(&l->requests, seq, l->n_req++);
	}
	if (l->size == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->kinds = xrealloc(l->kinds, l->cap * sizeof(*l->kinds));
	}
	l->kinds[l->size++] = kind;
	if (ref)
		hmap_put_str(&l->refs, ref, seq);
	memset(out, 0, sizeof(*out));
	out->seq = seq;
	return 0;
}

/* Append an event already validated, and project it.  recorder NULL: the
 * event carries its own (a restore). */
static int append_valid(app *a, const json_t *event, const char *recorder, const ledger_append_opts *lo,
                        ledger_entry *out, sl_err *err)
{
	int rc;

	if (a->lean)
		return lean_append(a, event, recorder, out, err);
	if ((rc = canonical_event(a, event, recorder, err)))
		return rc;
	if (!recorder)
		recorder = json_string_value(json_object_get(event, "recorder"));
	if ((rc = ledger_append(a->ledger, json_string_value(json_object_get(event, "kind")), a->canon.data,
	                        a->canon.len, lo, out, err)))
		return rc;
	return project_apply(a->store, out->seq, event, recorder, err);
}

int app_append_event(app *a, const json_t *event, const char *recorder, bool system, ledger_entry *out,
                     sl_err *err)
{
	vocab_opts vo = {false, system};
	ledger_append_opts lo = {0};
	int rc;

	assert(a->in_batch);
	if ((rc = validate(a, event, &vo, err)))
		return rc;
	return append_valid(a, event, recorder, &lo, out, err);
}

static int32_t occurred_day(const json_t *event)
{
	sl_date d;
	return date_parse(json_string_value(json_object_get(event, "occurred_at")) ?: "", &d, NULL) == 0 ? d.day
	                                                                                               : INT32_MIN;
}

int app_batch_add(app *a, const json_t *event, const app_write_opts *o, ledger_entry *out, sl_err *err)
{
	vocab_opts vo = {o->restore, false};
	ledger_append_opts lo = {o->seq, o->salt, o->recorded_at};
	rules_event_info info = {0, o->live, INT32_MIN};
	int32_t day;
	int rc;

	assert(a->in_batch);
	if (o->restore) {
		/* The export holds the alerts too; the engine catches up from
		 * the ledger when it is next needed. */
		app_rules_drop(a);
		if ((rc = validate(a, event, &vo, err)))
			return rc;
		return append_valid(a, event, NULL, &lo, out, err);
	}
	if (!o->recorder || !*o->recorder)
		return sl_fail(err, SL_EINVAL, "no recorder: every event is recorded by someone");
	if ((rc = app_rules_ready(a, err)) || (rc = validate(a, event, &vo, err)))
		return rc;
	if (o->live && (rc = rules_check(a->rules, event, err)))
		return rc;
	/* A day's time rules run before its events (DESIGN 6.1.1): a live
	 * write is made today; history is applied on the day it happened. */
	day = o->live ? app_today(a) : occurred_day(event);
	if ((rc = app_rules_tick(a, day, err)))
		return rc;
	if ((rc = append_valid(a, event, o->recorder, &lo, out, err)))
		return rc;
	info.seq = out->seq;
	if (o->live)
		info.recorded_day = app_today(a);
	return rules_event(a->rules, event, &info, err);
}
int app_append(app *a, const json_t *event, const app_write_opts *o, ledger_entry *out, sl_err *err)
{
	int rc;

	if ((rc = app_batch_begin(a, err)))
		return rc;
	if ((rc = app_batch_add(a, event, o, out, err))) {
		app_batch_abort(a);
		return rc;
	}
	return app_batch_commit(a, false, err);
}
