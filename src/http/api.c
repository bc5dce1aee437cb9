/*
 * api.c - the JSON API /api/v1: the route table and its handlers.
 *
 * Each route is a row (http.h): the server authenticates, checks the role
 * bitmask, the write rules (JSON media type, same origin) and, for rows
 * marked HTTP_CHILD, the user's access to the child named in the path,
 * recording the read in the access log before the handler runs.  Handlers
 * then only parse parameters, call one use case (app/query.h for reads,
 * app_append for the one write) and shape the answer; errors are RFC 9457
 * problems naming the parameter or field at fault (http_problem).
 *
 * Who may see what, beyond the row's roles (DESIGN 8, issue 5):
 *   - child routes: auth_child_access (allocated and team children for
 *     workers, the team's for managers, all for senior managers and the
 *     director, granted ones for reviewers; sealed records need a grant or
 *     break-glass);
 *   - /events/{seq} names no child in its path, so its handler asks the
 *     same question of every child the event is about, and logs each read;
 *     an event about no child is for senior managers and the director;
 *   - lists across children (alerts, caseloads, approvals) are scoped by
 *     role: a worker's own, a manager's team, everything for senior
 *     managers and the director;
 *   - partners (bearer tokens) record their agency's information, with
 *     `by.agency` and `data.agency` held to their token's agency, and ask
 *     the status of a child by NHS number, each answer logged;
 *   - which role records which kind is api_may_record, one table.
 */
#include "util/common.h"
#include "http/api.h"
#include "http/http.h"
#include "http/parse.h"
#include "app/query.h"
#include "app/measures.h"
#include "domain/vocab.h"
#include "ledger/jcs.h"

#define R(x) HTTP_ROLE(ROLE_##x)
#define CHILD_READERS (R(SOCIAL_WORKER) | R(TEAM_MANAGER) | R(SENIOR_MANAGER) | R(DIRECTOR) | R(REVIEWER))
#define STAFF_WRITERS (R(SOCIAL_WORKER) | R(TEAM_MANAGER) | R(SENIOR_MANAGER) | R(DIRECTOR))
#define MANAGERS (R(TEAM_MANAGER) | R(SENIOR_MANAGER) | R(DIRECTOR))
/* who may read the director's measures (the /director page's roles, and
 * the data officer who reports them) */
#define MEASURE_READERS (R(SENIOR_MANAGER) | R(DIRECTOR) | R(DATA_OFFICER))

/* ---- who records what ---------------------------------------------------------------- */

/* Kinds a partner agency may send: what it knows first-hand. */
static const char *const partner_kinds[] = {
	"agency_info.received", "concern.raised", "injury.observed", "risk.flagged", "risk.cleared",
	"domestic_abuse.notified", "missing.started", "missing.ended",
};
/* Kinds of the partner list whose data names the agency (set to the
 * token's when absent, refused when another). */
static const char *const agency_kinds[] = {
	"agency_info.received", "concern.raised", "injury.observed", "risk.flagged", "risk.cleared",
	"domestic_abuse.notified",
};
/* Staff kinds with a narrower set of roles than all staff. */
static const struct {
	const char *kind;
	unsigned roles;
} restricted[] = {
	{"amendment.approved", R(SENIOR_MANAGER) | R(DIRECTOR)},
	{"amendment.rejected", R(SENIOR_MANAGER) | R(DIRECTOR)},
	{"case.allocated", MANAGERS},
	{"record.sealed", R(SENIOR_MANAGER) | R(DIRECTOR)},
	{"record.unsealed", R(SENIOR_MANAGER) | R(DIRECTOR)},
	{"access.granted", R(SENIOR_MANAGER) | R(DIRECTOR)},
	{"access.revoked", R(SENIOR_MANAGER) | R(DIRECTOR)},
	/* written by safeledger itself, never through the API */
	{"alert.raised", 0},
	{"access.break_glass", 0},
};

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool api_may_record(auth_role role, const char *kind)
{
	size_t i;

	if (!kind || !vocab_kind_known(kind))
		return false;
	if (role == ROLE_PARTNER)
		return in_list(partner_kinds, SL_ARRAY_LEN(partner_kinds), kind);
	if (!(HTTP_ROLE(role) & STAFF_WRITERS))
		return false;
	for (i = 0; i < SL_ARRAY_LEN(restricted); i++)
		if (strcmp(restricted[i].kind, kind) == 0)
			return (restricted[i].roles & HTTP_ROLE(role)) != 0;
	return true;
}

/* ---- small helpers --------------------------------------------------------------------- */

/* The answer of a read use case: 200 with out, or the problem; a bad
 * parameter is a 400 naming it. */
static int answer(http_resp *w, int rc, json_t *out, const char *param, const sl_err *err)
{
	if (!rc) {
		http_resp_json(w, 200, out);
		return 200;
	}
	json_decref(out);
	if (rc == SL_EINVAL && param)
		return http_problem(w, 400, err->msg, param);
	return http_problem_err(w, err);
}

/* A scope parameter (worker, team): at most one short line of text. */
static int scope_param(const http_req *r, http_resp *w, const char *name, const char **out)
{
	const char *v = http_query(r, name);

	*out = NULL;
	if (!v)
		return 0;
	if (!*v || strlen(v) > AUTH_MAX_TEXT || strpbrk(v, "\r\n\t"))
		return http_problem(w, 400, "expected a login or team name of at most 256 characters", name);
	*out = v;
	return 0;
}

/* The worker and team a list may show for this user (see the header). */
static int list_scope(const http_req *r, http_resp *w, const char **worker, const char **team)
{
	const auth_user *u = r->user;
	int rc;

	if ((rc = scope_param(r, w, "worker", worker)) || (rc = scope_param(r, w, "team", team)))
		return rc;
	switch (u->role) {
	case ROLE_SOCIAL_WORKER:
		if (*team)
			return http_problem(w, 403, "a social worker sees the lists of their own children only", "team");
		if (*worker && strcmp(*worker, u->login) != 0)
			return http_problem(w, 403, "a social worker sees the lists of their own children only", "worker");
		*worker = u->login;
		return 0;
	case ROLE_TEAM_MANAGER:
		if (*team && strcmp(*team, u->team) != 0)
			return http_problem(w, 403, "a team manager sees their own team's lists only", "team");
		*team = u->team;
		return 0;
	default:
		return 0; /* senior managers, the director, data officers: everything */
	}
}

/* ---- the one write: POST /api/v1/events ------------------------------------------------ */

/* Partners: `by` is their agency; `data.agency` too where the kind has one. */
static int partner_event(const http_req *r, http_resp *w, json_t *ev, const char *kind)
{
	const char *agency = r->user->agency;
	json_t *by = json_object_get(ev, "by"), *data = json_object_get(ev, "data"), *a;

	if (!by) {
		json_object_set_new(ev, "by", json_pack("{s:s}", "agency", agency));
	} else if (!json_is_object(by) || json_object_get(by, "user") ||
	           !json_is_string(json_object_get(by, "agency")) ||
	           strcmp(json_string_value(json_object_get(by, "agency")), agency) != 0) {
		return http_problem(w, 403, "a partner records information as its own agency (its token's)",
		                    "by.agency");
	}
	if (!json_is_object(data) || !in_list(agency_kinds, SL_ARRAY_LEN(agency_kinds), kind))
		return 0; /* the vocabulary names what is missing */
	a = json_object_get(data, "agency");
	if (!a)
		json_object_set_new(data, "agency", json_string(agency));
	else if (!json_is_string(a) || strcmp(json_string_value(a), agency) != 0)
		return http_problem(w, 403, "a partner records information as its own agency (its token's)",
		                    "data.agency");
	return 0;
}

/* Staff: `by` is the signed-in user unless it names an agency (a worker
 * recording what a partner said); an authorised closure is authorised by
 * the senior manager or director recording it; and every child the event
 * is about must be one the user may read. */
static int staff_event(http_req *r, http_resp *w, json_t *ev, const char *kind)
{
	const auth_user *u = r->user;
	json_t *by = json_object_get(ev, "by"), *user, *children = NULL, *id;
	const json_t *authorised = json_object_get(json_object_get(ev, "data"), "authorised_by");
	sl_err err = {0};
	size_t i;
	int rc = 0;

	if (!by) {
		json_object_set_new(ev, "by", json_pack("{s:s}", "user", u->login));
	} else if (json_is_object(by) && (user = json_object_get(by, "user")) &&
	           (!json_is_string(user) || strcmp(json_string_value(user), u->login) != 0)) {
		return http_problem(w, 422, "field `by.user`: must be you (the signed-in user) when given", "by.user");
	}
	if (strcmp(kind, "case.closed") == 0 && authorised &&
	    (!json_is_string(authorised) || strcmp(json_string_value(authorised), u->login) != 0 ||
	     (u->role != ROLE_SENIOR_MANAGER && u->role != ROLE_DIRECTOR)))
		return http_problem(w, 422,
		                    "field `data.authorised_by`: a closure is authorised by the senior manager or "
		                    "director recording it, who names themselves",
		                    "data.authorised_by");
	if ((rc = query_children_of(r->a, ev, &children, &err)))
		return http_problem_err(w, &err);
	json_array_foreach(children, i, id) {
		auth_decision d = AUTH_DENY;
		if ((rc = auth_child_access(r->a, u, json_string_value(id), &d, &err))) {
			rc = http_problem_err(w, &err);
			break;
		}
		if (d != AUTH_ALLOW) {
			rc = http_problem(w, 403, "you may not record events about this child", "data");
			break;
		}
	}
	json_decref(children);
	return rc;
}

/* A refused write: vocabulary errors name their field (422); a closure a
 * rule forbids is a conflict naming the rule (409). */
static int write_refused(http_resp *w, int rc, const sl_err *err)
{
	static const char blocked[] = "CLOSURE_BLOCKED";

	if (rc == SL_EDENIED && strncmp(err->msg, blocked, strlen(blocked)) == 0) {
		json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title", http_status_title(409),
		                      "status", 409, "detail", err->msg, "rule", blocked);
		if (!p)
			return http_problem(w, 409, "the case cannot be closed: CLOSURE_BLOCKED", NULL);
		http_resp_json(w, 409, p);
		w->content_type = "application/problem+json";
		return 409;
	}
	if ((rc == SL_ENOTFOUND || rc == SL_EINVAL) && strstr(err->msg, "field `")) {
		sl_err e = *err;
		e.code = SL_EINVAL; /* an unknown person named in a field is a bad field: 422 */
		return http_problem_err(w, &e);
	}
	return http_problem_err(w, err);
}

static int post_event(http_req *r, http_resp *w)
{
	app_write_opts o = {.recorder = r->user->login, .live = true};
	ledger_entry e;
	sl_err err = {0};
	json_t *ev;
	const char *kind;
	buf hex = BUF_INIT;
	int rc;

	if (!r->body || r->body_len == 0)
		return http_problem(w, 400, "send one vocabulary-v1 event as a JSON object", NULL);
	if (!(ev = jcs_parse(r->body, r->body_len, &err)))
		return http_problem(w, 400, err.msg, NULL);
	if (!json_is_object(ev)) {
		rc = http_problem(w, 400, "send one vocabulary-v1 event as a JSON object", NULL);
		goto done;
	}
	kind = json_string_value(json_object_get(ev, "kind"));
	if (!kind || !vocab_kind_known(kind)) {
		rc = http_problem(w, 422, kind ? "field `kind`: not an event kind of vocabulary v1"
		                               : "missing required field `kind`",
		                  "kind");
		goto done;
	}
	if (!api_may_record(r->user->role, kind)) {
		rc = http_problem(w, 403, "your role may not record events of this kind", "kind");
		goto done;
	}
	rc = r->user->role == ROLE_PARTNER ? partner_event(r, w, ev, kind) : staff_event(r, w, ev, kind);
	if (rc)
		goto done;
	if ((rc = http_append_event(r, ev, &o, &e, &err))) {
		rc = write_refused(w, rc, &err);
		goto done;
	}
	buf_append_hex(&hex, e.leaf_hash, sizeof(e.leaf_hash));
	http_resp_json(w, 201, json_pack("{s:I, s:s}", "seq", (json_int_t)e.seq, "leaf_hash", hex.data));
	rc = 201;
done:
	buf_release(&hex);
	json_decref(ev);
	return rc;
}

/* ---- one child's record ---------------------------------------------------------------- */

static int get_child(http_req *r, http_resp *w)
{
	json_t *out = NULL;
	sl_err err = {0};
	int rc = query_child_summary(r->a, r->params[0], &out, &err);
	return answer(w, rc, out, NULL, &err);
}

static int get_chronology(http_req *r, http_resp *w)
{
	query_chrono_opts o = {http_query(r, "kind"),   http_query(r, "agency"), http_query(r, "from"),
	                       http_query(r, "to"),     http_query(r, "order"),  http_query(r, "cursor"),
	                       http_query(r, "limit")};
	const char *param = NULL;
	json_t *out = NULL;
	sl_err err = {0};
	int rc = query_chronology(r->a, r->params[0], &o, &out, &param, &err);
	return answer(w, rc, out, param, &err);
}

static int get_network(http_req *r, http_resp *w)
{
	json_t *out = NULL;
	sl_err err = {0};
	int rc = query_network(r->a, r->params[0], &out, &err);
	return answer(w, rc, out, NULL, &err);
}

static int get_child_alerts(http_req *r, http_resp *w)
{
	query_alert_opts o = {r->params[0], NULL, NULL, http_query(r, "state"), http_query(r, "limit")};
	const char *param = NULL;
	json_t *out = NULL;
	sl_err err = {0};
	int rc = query_alerts(r->a, &o, &out, &param, &err);
	return answer(w, rc, out, param, &err);
}

static int get_as_of(http_req *r, http_resp *w)
{
	const char *param = NULL;
	json_t *out = NULL;
	sl_err err = {0};
	int rc = query_child_as_of(r->a, r->params[0], http_query(r, "date"), &out, &param, &err);
	return answer(w, rc, out, param, &err);
}

/* ---- one event: GET /api/v1/events/{seq} ------------------------------------------------ */

/* Every child the event is about must be readable by the user, each read
 * logged; sealed ones need break-glass.  0 or the problem's status. */
/* An event is read under the access decision for every child it is about
 * (http_read_children); one about no child only by senior managers and the
 * director. */
static int event_access(http_req *r, http_resp *w, json_t *children)
{
	size_t i, n = json_array_size(children);
	const char **ids = xcalloc(n ? n : 1, sizeof(*ids));
	int rc;

	if (n == 0 && r->user->role != ROLE_SENIOR_MANAGER && r->user->role != ROLE_DIRECTOR) {
		free(ids);
		return http_problem(w, 403, "this event is about no child; only senior managers and the director read it",
		                    NULL);
	}
	for (i = 0; i < n; i++)
		ids[i] = json_string_value(json_array_get(children, i));
	rc = http_read_children(r, w, ids, n, "GET /api/v1/events/{seq}", "the record of a child this event is about");
	free(ids);
	return rc;
}

static int get_event(http_req *r, http_resp *w)
{
	json_t *children = NULL, *out = NULL;
	uint64_t seq;
	sl_err err = {0};
	char *note = NULL;
	app *wr;
	int rc;

	if (query_parse_seq(r->params[0], &seq, &err))
		return http_problem(w, 400, err.msg, "seq");
	if ((rc = query_event_children(r->a, seq, &children, &err)))
		return http_problem_err(w, &err);
	rc = event_access(r, w, children);
	json_decref(children);
	if (rc)
		return rc;
	rc = query_event(r->a, seq, &out, &err);
	if (!rc && json_is_null(json_object_get(out, "proof"))) {
		/* Newer than the latest signed checkpoint: sign one now (the
		 * housekeeping thread would soon), so the proof is there. */
		json_decref(out);
		out = NULL;
		wr = http_writer_lock(r);
		rc = app_checkpoint(wr, true, &note, &err);
		http_writer_unlock(r);
		free(note);
		if (!rc)
			rc = query_event(r->a, seq, &out, &err);
	}
	return answer(w, rc, out, NULL, &err);
}

/* ---- lists across children --------------------------------------------------------------- */

static int get_alerts(http_req *r, http_resp *w)
{
	query_alert_opts o = {NULL, NULL, NULL, http_query(r, "state"), http_query(r, "limit")};
	const char *param = NULL;
	json_t *out = NULL;
	sl_err err = {0};
	int rc;

	if ((rc = list_scope(r, w, &o.worker, &o.team)))
		return rc;
	rc = query_alerts(r->a, &o, &out, &param, &err);
	return answer(w, rc, out, param, &err);
}

static int get_caseloads(http_req *r, http_resp *w)
{
	const char *worker = NULL, *team = NULL;
	json_t *out = NULL;
	sl_err err = {0};
	int rc;

	if ((rc = list_scope(r, w, &worker, &team)))
		return rc;
	rc = query_caseloads(r->a, team, worker, &out, &err);
	return answer(w, rc, out, NULL, &err);
}

typedef struct filter_ctx {
	http_req *r;
} filter_ctx;

static bool may_read(void *ctx, const char *child)
{
	filter_ctx *f = ctx;
	auth_decision d = AUTH_DENY;
	return auth_child_access(f->r->a, f->r->user, child, &d, NULL) == 0 && d == AUTH_ALLOW;
}

static int get_approvals(http_req *r, http_resp *w)
{
	bool team_only = r->user->role == ROLE_TEAM_MANAGER;
	filter_ctx f = {r};
	json_t *out = NULL;
	sl_err err = {0};
	int rc = query_approvals(r->a, team_only ? r->user->team : NULL, team_only ? may_read : NULL, &f, &out, &err);
	return answer(w, rc, out, NULL, &err);
}

/* ---- the director's measures: GET /api/v1/measures[/{name}/children] ------------------------ */

/* JSON unless `format=csv` or, with no format, an Accept naming text/csv.
 * 0, or the problem's status. */
static int wants_csv(const http_req *r, http_resp *w, bool *csv)
{
	const char *format = http_query(r, "format"), *accept = http_header(r, "Accept");

	*csv = false;
	if (format) {
		if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
			return http_problem(w, 400, "parameter `format`: expected csv or json", "format");
		*csv = strcmp(format, "csv") == 0;
		return 0;
	}
	*csv = accept && strstr(accept, "text/csv") != NULL;
	return 0;
}

static int csv_answer(http_resp *w, const json_t *out, void (*write)(const json_t *, buf *))
{
	w->status = 200;
	w->content_type = "text/csv; charset=utf-8";
	write(out, &w->body);
	return 200;
}

static int get_measures(http_req *r, http_resp *w)
{
	const char *param = NULL;
	json_t *out = NULL;
	sl_err err = {0};
	bool csv;
	int rc;

	if ((rc = wants_csv(r, w, &csv)))
		return rc;
	rc = measures_monthly(r->a, http_query(r, "as_of"), http_query(r, "months"), &out, &param, &err);
	if (rc || !csv)
		return answer(w, rc, out, param, &err);
	rc = csv_answer(w, out, measures_csv);
	json_decref(out);
	return rc;
}

/* The list names children: one access record naming them all is written
 * before the answer is given (DESIGN 7). */
static int get_measure_children(http_req *r, http_resp *w)
{
	const char *param = NULL, **ids;
	json_t *out = NULL, *item, *seen;
	sl_err err = {0};
	size_t i, n = 0;
	bool csv;
	int rc;

	if ((rc = wants_csv(r, w, &csv)))
		return rc;
	rc = measures_children(r->a, r->params[0], http_query(r, "month"), http_query(r, "as_of"), &out, &param, &err);
	if (rc == SL_ENOTFOUND && param)
		return http_problem(w, 404, err.msg, param);
	if (rc)
		return answer(w, rc, out, param, &err);
	seen = json_object();
	ids = xcalloc(json_array_size(json_object_get(out, "children")) + 1, sizeof(*ids));
	json_array_foreach(json_object_get(out, "children"), i, item) {
		const char *child = json_string_value(json_object_get(item, "child"));
		if (child && !json_object_get(seen, child)) {
			json_object_set_new(seen, child, json_true());
			ids[n++] = child;
		}
	}
	if (n)
		rc = http_record_access(r, ids, n, "GET /api/v1/measures/{name}/children", NULL, &err);
	free(ids);
	json_decref(seen);
	if (rc) {
		json_decref(out);
		return http_problem_err(w, &err);
	}
	if (!csv)
		return answer(w, 0, out, NULL, &err);
	rc = csv_answer(w, out, measures_children_csv);
	json_decref(out);
	return rc;
}

/* ---- partners: GET /api/v1/status?nhs_number=N ------------------------------------------- */

static int get_status(http_req *r, http_resp *w)
{
	const char *nhs = http_query(r, "nhs_number");
	json_t *out = NULL, *persons = NULL, *id;
	sl_err err = {0};
	size_t i;
	int rc;

	if (!nhs)
		return http_problem(w, 400, "parameter `nhs_number`: required (10 digits)", "nhs_number");
	if ((rc = query_status_by_nhs(r->a, nhs, &out, &persons, &err)))
		return answer(w, rc, NULL, rc == SL_EINVAL ? "nhs_number" : NULL, &err);
	/* DESIGN 7: each answer is logged, before it is given. */
	{
		const char **ids = xcalloc(json_array_size(persons) + 1, sizeof(*ids));
		json_array_foreach(persons, i, id)
			ids[i] = json_string_value(id);
		rc = http_record_access(r, ids, json_array_size(persons), "GET /api/v1/status", NULL, &err);
		free(ids);
	}
	json_decref(persons);
	if (rc) {
		json_decref(out);
		return http_problem_err(w, &err);
	}
	return answer(w, 0, out, NULL, &err);
}

/* ---- the OpenAPI document ------------------------------------------------------------------ */

static int get_openapi(http_req *r, http_resp *w)
{
	(void)r;
	w->status = 200;
	w->content_type = "application/json";
	buf_append(&w->body, http_openapi_json, http_openapi_json_len);
	return 200;
}

/* ---- the table ------------------------------------------------------------------------------ */

const http_route http_api_routes[] = {
	{"POST", "/api/v1/events", HTTP_SESSION_OR_BEARER, STAFF_WRITERS | R(PARTNER), HTTP_WRITE, post_event},
	{"GET", "/api/v1/events/{seq}", HTTP_SESSION_OR_BEARER, CHILD_READERS, 0, get_event},
	{"GET", "/api/v1/children/{id}", HTTP_SESSION_OR_BEARER, CHILD_READERS, HTTP_CHILD, get_child},
	{"GET", "/api/v1/children/{id}/chronology", HTTP_SESSION_OR_BEARER, CHILD_READERS, HTTP_CHILD, get_chronology},
	{"GET", "/api/v1/children/{id}/network", HTTP_SESSION_OR_BEARER, CHILD_READERS, HTTP_CHILD, get_network},
	{"GET", "/api/v1/children/{id}/alerts", HTTP_SESSION_OR_BEARER, CHILD_READERS, HTTP_CHILD, get_child_alerts},
	{"GET", "/api/v1/children/{id}/as-of", HTTP_SESSION_OR_BEARER, CHILD_READERS, HTTP_CHILD, get_as_of},
	{"GET", "/api/v1/alerts", HTTP_SESSION_OR_BEARER, STAFF_WRITERS, 0, get_alerts},
	{"GET", "/api/v1/caseloads", HTTP_SESSION_OR_BEARER, STAFF_WRITERS | R(DATA_OFFICER), 0, get_caseloads},
	{"GET", "/api/v1/approvals", HTTP_SESSION_OR_BEARER, MANAGERS, 0, get_approvals},
	{"GET", "/api/v1/measures", HTTP_SESSION_OR_BEARER, MEASURE_READERS, 0, get_measures},
	{"GET", "/api/v1/measures/{name}/children", HTTP_SESSION_OR_BEARER, MEASURE_READERS, 0, get_measure_children},
	{"GET", "/api/v1/status", HTTP_SESSION_OR_BEARER, R(PARTNER), 0, get_status},
	/* the DfE children in need census return (census_api.c): logs every child in it */
	{"GET", "/api/v1/census", HTTP_SESSION_OR_BEARER, R(DATA_OFFICER) | R(DIRECTOR), 0, http_census_get},
	/* census --check for the data team (census_api.c): logs every child a finding names */
	{"GET", "/api/v1/census/check", HTTP_SESSION_OR_BEARER, R(DATA_OFFICER) | R(DIRECTOR), 0, http_census_check_get},
	{"GET", "/api/v1/openapi.json", HTTP_PUBLIC, HTTP_ANY_ROLE, 0, get_openapi},
};
const size_t http_api_routes_len = SL_ARRAY_LEN(http_api_routes);
