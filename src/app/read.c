/*
 * read.c - reads of a person's record, with approved amendments applied.
 *
 * Nothing is rewritten in place (DESIGN 4): an approved amendment is a
 * later event, and a read shows the event's data with the replacement
 * fields applied, marked as amended, with each original value kept beside
 * it so a reader is one step from what was first recorded.
 */
#include "util/common.h"
#include "app/app_internal.h"
#include "ledger/jcs.h"

typedef struct amend_ctx {
	app *a;
	json_t *data;       /* the event's data, updated in place */
	json_t *amendments; /* array of {request, approved, reason, original} */
} amend_ctx;

static int apply_amendment(void *ctx, const store_amendment *am, sl_err *err)
{
	amend_ctx *c = ctx;
	json_t *fields = jcs_parse(am->data, strlen(am->data), err);
	json_t *original = json_object(), *value, *entry;
	store_event_copy req;
	const char *key;
	const char *reason = NULL;
	json_t *req_event = NULL;

	if (!fields) {
		json_decref(original);
		return SL_ECORRUPT;
	}
	json_object_foreach(fields, key, value) {
		json_t *old = json_object_get(c->data, key);
		json_object_set(original, key, old ? old : json_null());
		json_object_set(c->data, key, value);
	}
	if (store_event_get(c->a->store, am->request_seq, &req, NULL) == 0) {
		req_event = jcs_parse(req.ev.event, req.ev.event_len, NULL);
		store_event_release(&req);
		reason = json_string_value(json_object_get(json_object_get(req_event, "data"), "reason"));
	}
	entry = json_pack("{s:I, s:I, s:s?, s:s, s:o}", "request", (json_int_t)am->request_seq, "approved",
	                  (json_int_t)am->decided_seq, "reason", reason, "requested_by", am->requester,
	                  "original", original);
	json_array_append_new(c->amendments, entry);
	json_decref(req_event);
	json_decref(fields);
	return 0;
}

typedef struct events_ctx {
	app *a;
	app_json_cb cb;
	void *cb_ctx;
} events_ctx;

static int emit_event(void *ctx, uint64_t seq, sl_err *err)
{
	events_ctx *ec = ctx;
	store_event_copy row;
	json_t *event, *obj;
	amend_ctx ac;
	int rc;

	if ((rc = store_event_get(ec->a->store, seq, &row, err)))
		return rc;
	event = jcs_parse(row.ev.event, row.ev.event_len, err);
	if (!event) {
		store_event_release(&row);
		sl_err_prefix(err, "seq %llu", (unsigned long long)seq);
		return SL_ECORRUPT;
	}
	ac.a = ec->a;
	ac.data = json_object_get(event, "data");
	ac.amendments = json_array();
	rc = store_amendments_of(ec->a->store, seq, apply_amendment, &ac, err);
	obj = json_pack("{s:I, s:s, s:o}", "seq", (json_int_t)seq, "recorded_at", row.ev.recorded_at, "event", event);
	if (json_array_size(ac.amendments) > 0) {
		json_object_set_new(obj, "amended", json_true());
		json_object_set_new(obj, "amendments", ac.amendments);
	} else {
		json_decref(ac.amendments);
	}
	store_event_release(&row);
	if (!rc)
		rc = ec->cb(ec->cb_ctx, obj, err);
	json_decref(obj);
	return rc;
}

int app_person_events(app *a, const char *person, app_json_cb cb, void *ctx, sl_err *err)
{
	events_ctx ec = {a, cb, ctx};
	char *role = NULL;
	int rc;

	if ((rc = store_person_role(a->store, person, &role, err)))
		return rc;
	free(role);
	return store_person_events(a->store, person, emit_event, &ec, err);
}
