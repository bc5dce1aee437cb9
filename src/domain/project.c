/*
 * project.c - deriving projection rows from one event.  See project.h.
 *
 * Each kind that changes a projection has a row in `projectors`; kinds
 * without one only get the ref and by-person index every event gets.
 */
#include "util/common.h"
#include "domain/project.h"
#include "domain/vocab.h"

typedef int (*projector_fn)(store *s, uint64_t seq, const json_t *event, const json_t *data,
                            const char *recorder, sl_err *err);

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

static int person_registered(store *s, uint64_t seq, const json_t *event, const json_t *data,
                             const char *recorder, sl_err *err)
{
	(void)event;
	(void)recorder;
	return store_person_put(s, json_string_value(json_object_get(data, "id")),
	                        json_string_value(json_object_get(data, "role")), seq, err);
}

static int person_updated(store *s, uint64_t seq, const json_t *event, const json_t *data,
                          const char *recorder, sl_err *err)
{
	const char *role = json_string_value(json_object_get(data, "role"));
	(void)event;
	(void)recorder;
	if (!role)
		return 0;
	return store_person_put(s, json_string_value(json_object_get(data, "id")), role, seq, err);
}

static int amendment_requested(store *s, uint64_t seq, const json_t *event, const json_t *data,
                               const char *recorder, sl_err *err)
{
	uint64_t target;
	char *fields;
	int rc;

	if ((rc = project_resolve_ref(s, json_object_get(data, "target"), &target, err))) {
		sl_err_prefix(err, "field `data.target`");
		return rc;
	}
	fields = json_dumps(json_object_get(data, "data"), JSON_COMPACT | JSON_SORT_KEYS);
	rc = store_amendment_put(s, seq, target, project_actor(event, recorder), fields, err);
	free(fields);
	return rc;
}

typedef struct pending_check {
	const char *decider;
	const char *verb;
	int rc;
	sl_err *err;
} pending_check;

static int check_pending(void *ctx, const store_amendment *a, sl_err *err)
{
	pending_check *p = ctx;

	if (strcmp(a->status, "pending") != 0)
		return sl_fail(err, SL_ECONFLICT, "field `data.request`: amendment request %llu is already %s",
		               (unsigned long long)a->request_seq, a->status);
	if (strcmp(a->requester, p->decider) == 0)
		return sl_fail(err, SL_ECONFLICT,
		               "field `data.request`: %s requested amendment %llu and cannot %s it: a senior manager "
		               "other than the requester must decide",
		               p->decider, (unsigned long long)a->request_seq, p->verb);
	return 0;
}

static int amendment_decided(store *s, uint64_t seq, const json_t *event, const json_t *data,
                             const char *recorder, sl_err *err)
{
	const char *kind = json_string_value(json_object_get(event, "kind"));
	bool approve = strcmp(kind, "amendment.approved") == 0;
	pending_check p = {project_actor(event, recorder), approve ? "approve" : "reject", 0, err};
	uint64_t request;
	int rc;

	if ((rc = project_resolve_ref(s, json_object_get(data, "request"), &request, err))) {
		sl_err_prefix(err, "field `data.request`");
		return rc;
	}
	if ((rc = store_amendment_get(s, request, check_pending, &p, err)))
		return rc;
	return store_amendment_decide(s, request, approve ? "approved" : "rejected", seq, err);
}

static const struct {
	const char *kind;
	projector_fn fn;
} projectors[] = {
	{"person.registered", person_registered},
	{"person.updated", person_updated},
	{"amendment.requested", amendment_requested},
	{"amendment.approved", amendment_decided},
	{"amendment.rejected", amendment_decided},
};

typedef struct index_ctx {
	store *s;
	uint64_t seq;
	int rc;
	sl_err *err;
} index_ctx;

static void index_person(void *ctx, const char *person)
{
	index_ctx *ic = ctx;
	if (!ic->rc)
		ic->rc = store_event_person_add(ic->s, person, ic->seq, ic->err);
}

int project_apply(store *s, uint64_t seq, const json_t *event, const char *recorder, sl_err *err)
{
	const char *kind = json_string_value(json_object_get(event, "kind"));
	const json_t *data = json_object_get(event, "data");
	const char *ref = json_string_value(json_object_get(event, "ref"));
	index_ctx ic = {s, seq, 0, err};
	size_t i;
	int rc;

	if (ref && (rc = store_ref_put(s, ref, seq, err))) {
		sl_err_prefix(err, "field `ref`");
		return rc;
	}
	for (i = 0; i < SL_ARRAY_LEN(projectors); i++)
		if (strcmp(projectors[i].kind, kind) == 0 &&
		    (rc = projectors[i].fn(s, seq, event, data, recorder, err)))
			return rc;
	vocab_event_persons(event, index_person, &ic);
	return ic.rc;
}
