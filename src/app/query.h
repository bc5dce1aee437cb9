/*
 * query.h - the read use cases the JSON API and the web pages share: a
 * child's summary, chronology and network, alerts, caseloads, the
 * approvals queue, one event's history with its inclusion proof, and the
 * partners' status question by NHS number.  Each answer is a JSON object
 * (jansson) built from the read model's projections (store.h, "reads for
 * the API and pages") and, for free text, from the ledger events as
 * amended.
 *
 * Who may see what is not decided here: the caller (the server's route
 * table with auth_child_access, or the CLI for an operator) checks access
 * and records it in the access log before calling a per-child read.  Reads
 * that span children take the scope the caller has already derived from
 * the user (a worker's login, a team), or a filter callback.
 *
 * Parameters arrive as text from a query string or a form, so each use
 * case validates its own: SL_EINVAL with err naming the parameter
 * ("parameter `from`: ...") and *param (when given) set to its name, a
 * static string, so the API can answer a problem naming the field.
 *
 * Every function runs on the caller's connection (app), reads only, and
 * opens no transaction.  Ownership: *out is a new reference the caller
 * decrefs; strings in options are borrowed for the call.
 */
#ifndef SL_QUERY_H
#define SL_QUERY_H

#include <jansson.h>

#include "app/app.h"

#define QUERY_DEFAULT_LIMIT 50
#define QUERY_MAX_LIMIT 1000
#define QUERY_SUMMARY_MAX 240 /* bytes of a chronology item's summary text */

/* The child's record now: who (name, dates, identifiers), legal status
 * (case open or closed, CP plan with its category history and earlier
 * plans, CIN plan, looked after), allocation (worker and team), open
 * concerns, open alerts, and counts.  SL_ENOTFOUND for an unknown id,
 * SL_EINVAL for an adult. */
int query_child_summary(app *a, const char *child, json_t **out, sl_err *err);

/* A chronology page: {"child", "order", "items": [{"seq", "occurred_at",
 * "recorded_at", "kind", "agency", "by", "summary", "amended"}], "next"}
 * where next is the cursor for the following page (the last item's seq),
 * or null on the last page.  Items are ordered by occurred_at as written,
 * then seq (DESIGN 6.1.2); summaries use amended values.  Each option is
 * text as it came: NULL or "" means absent. */
typedef struct query_chrono_opts {
	const char *kind;   /* comma-separated vocabulary kinds */
	const char *agency; /* an agency of DESIGN 5 */
	const char *from, *to; /* YYYY-MM-DD, inclusive, on occurred_at's date */
	const char *order;  /* "newest" (default) or "oldest" */
	const char *cursor; /* the previous page's "next" */
	const char *limit;  /* 1..QUERY_MAX_LIMIT; default QUERY_DEFAULT_LIMIT */
	/* Not from the request: the record as it stood when the ledger held
	 * max_seq events (an as-of view): later events left out, amendments
	 * approved later not applied.  0: now. */
	uint64_t max_seq;
} query_chrono_opts;
int query_chronology(app *a, const char *child, const query_chrono_opts *o, json_t **out, const char **param,
                     sl_err *err);
/* Every event of the same chronology (o's filters and max_seq; order,
 * cursor and limit ignored), oldest first, as its index holds it (seq,
 * occurred key, kind, agency; no text): what a timeline of all of a
 * child's events draws, read without touching the ledger.  Parameters are
 * checked as query_chronology checks them. */
int query_timeline(app *a, const char *child, const query_chrono_opts *o, store_chrono_key_cb cb, void *ctx,
                   const char **param, sl_err *err);
/* query_child_summary, and with it query_timeline with no filters (every
 * event, now) through cb, from one walk of the child's events: the
 * record page's summary counts and its timeline cost one read of a
 * 5,000-event chronology, not two.  The summary is the same JSON. */
int query_child_summary_timeline(app *a, const char *child, store_chrono_key_cb cb, void *ctx, json_t **out,
                                 sl_err *err);

/* The one-line summary of an event (its data as amended), at most
 * QUERY_SUMMARY_MAX bytes, cut at a UTF-8 boundary. */
void query_event_summary(const json_t *event, buf *out);

/* The child's network: {"child", "people": [{"id", "role", "name", "hop",
 * "risk_to_children", "risk_flags": [...]}], "links": [{"a", "b",
 * "relation", "since", "seq"}]}: the child (hop 0), everyone linked to it
 * now (hop 1), and their own links, with the people at their far end (hop
 * 2).  Live risk flags are listed on each person; risk_to_children marks
 * anyone flagged as a risk to children. */
int query_network(app *a, const char *child, json_t **out, sl_err *err);
/* The same as it stood when the ledger held max_seq events (an as-of
 * view): links made and not yet ended by then, risk flags raised and not
 * yet cleared by then.  People are shown with their details now. */
int query_network_at(app *a, const char *child, uint64_t max_seq, json_t **out, sl_err *err);

/* Alerts newest first: {"alerts": [{"ref", "seq", "code", "child",
 * "raised_on", "reason", "evidence", "state", "acknowledged"?, "resolved"?,
 * "worker", "team"}]}.  state: "open" (default: open and acknowledged, i.e.
 * not resolved) or "all".  child, worker, team restrict (NULL: none). */
typedef struct query_alert_opts {
	const char *child, *worker, *team;
	const char *state; /* "open" or "all" */
	const char *limit; /* 1..QUERY_MAX_LIMIT; default QUERY_MAX_LIMIT */
} query_alert_opts;
int query_alerts(app *a, const query_alert_opts *o, json_t **out, const char **param, sl_err *err);

/* Caseloads: {"caseloads": [{"worker", "team", "children", "alerts_open",
 * "overdue"}]} per worker holding children now; overdue counts unresolved
 * timeliness alerts (a deadline missed and not yet put right: LATE_*,
 * MISSING_NO_RETURN_INTERVIEW, UNALLOCATED, ESCALATION_UNANSWERED).  team,
 * worker restrict (NULL: all). */
int query_caseloads(app *a, const char *team, const char *worker, json_t **out, sl_err *err);

/* The children allocated now to a worker, newest allocation first:
 * {"worker", "children": [{"child", "name", "born", "expected", "team",
 * "allocated_on", "allocation_seq"}]} (My work). */
int query_worker_children(app *a, const char *worker, json_t **out, sl_err *err);

/* May the caller see items about this child?  (The approvals queue asks
 * it of each item; the API answers it with auth_child_access.) */
typedef bool (*query_child_filter)(void *ctx, const char *child);

/* The approvals queue: {"amendments": [{"request", "target", "target_kind",
 * "children", "requested_by", "requested_at", "reason", "data"}],
 * "closures": [...], "break_glass": [...]}: amendment requests awaiting a
 * decision with their reasons, closures a rule has blocked (unresolved
 * CLOSURE_BLOCKED alerts), and the latest break-glass notices
 * (access.break_glass events: {"seq", "recorded_at", "child", "user",
 * "reason"}) about children allocated to `team` now (NULL: any child).
 * filter (may be NULL) keeps the amendments and closures about children
 * it accepts (items about no child only when filter is NULL); notices are
 * chosen by team alone, as they are addressed to the team's manager even
 * when the record is sealed to them. */
#define QUERY_NOTICES_MAX 100
int query_approvals(app *a, const char *team, query_child_filter filter, void *ctx, json_t **out, sl_err *err);

/* The children an event is about (following an amendment to its target,
 * an answer to its escalation, an alert decision to its alert), as a JSON
 * array of ids; SL_ENOTFOUND for no such seq. */
int query_event_children(app *a, uint64_t seq, json_t **out, sl_err *err);
/* The same for an event not (yet) in the ledger: what a write is about. */
int query_children_of(app *a, const json_t *event, json_t **out, sl_err *err);

/* One event's history: {"seq", "recorded_at", "kind", "event" (as
 * amended), "amended", "amendments" (approved, with originals),
 * "requests" (every amendment request naming it, with its status),
 * "children", "canonical" (the stored bytes), "salt", "leaf_hash",
 * "proof"}.  proof is an RFC 6962 inclusion proof against the latest
 * signed checkpoint {"checkpoint", "tree_size", "leaf_index", "root",
 * "hashes"} (hex), or null when no signed checkpoint covers the event yet
 * (then "checkpoint_size" says how far the latest reaches). */
int query_event(app *a, uint64_t seq, json_t **out, sl_err *err);
/* Parse a seq from a path segment: SL_EINVAL naming `seq`. */
int query_parse_seq(const char *text, uint64_t *seq, sl_err *err);

/* Is the person with this NHS number on a CP plan or looked after?
 * {"nhs_number", "cp_plan", "looked_after"}.  The number may be grouped
 * 3-3-4; SL_EINVAL naming `nhs_number` when malformed or its check digit
 * is wrong, SL_ENOTFOUND when nobody is registered with it.  *persons
 * (may be NULL) receives the ids answered about (a JSON array), for the
 * access log; it is not part of the answer. */
int query_status_by_nhs(app *a, const char *nhs_number, json_t **out, json_t **persons, sl_err *err);

/* The child as the record stood on a date (app_child_as_of), with the
 * date checked: SL_EINVAL naming `date`. */
int query_child_as_of(app *a, const char *child, const char *date, json_t **out, const char **param,
                      sl_err *err);

/* ---- the managers' and the director's pages ---- */

/* Escalations raised to `to` ("director", "manager", or NULL: both),
 * oldest first: {"escalations": [{"seq", "to", "child", "raised_on",
 * "summary", "due" (ESCALATION_UNANSWERED.working_days after raised_on),
 * "overdue" (unanswered and due before today), "answered"?}]}.  open_only:
 * the unanswered ones. */
int query_escalations(app *a, const char *to, bool open_only, json_t **out, sl_err *err);

/* Open cases with no worker now, longest waiting first: {"children":
 * [{"child", "name", "opened_on", "waiting_wd" (working days since),
 * "last_team"}]}; team (may be NULL) keeps those last allocated to it or
 * never allocated. */
int query_unallocated(app *a, const char *team, json_t **out, sl_err *err);

/* The children granted to a reviewer now: {"children": [{"child", "name",
 * "granted_on", "granted_by"}]}. */
int query_grants(app *a, const char *login, json_t **out, sl_err *err);

/* The caseload limit in force (CASELOAD_HIGH.children: more is high). */
int query_caseload_limit(const app *a);

#endif
