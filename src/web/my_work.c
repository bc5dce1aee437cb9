/*
 * my_work.c - a social worker's start page, and acknowledging an alert.
 *
 * GET /my-work: the worker's open alerts first (not yet acknowledged ones
 * with a one-click Acknowledge button, then the acknowledged ones still
 * unresolved), then their children with what is due and overdue.  The
 * deadlines come from the live rules engine (app_child_now), the same one
 * that raises the LATE_* alerts when a deadline passes, so the page and
 * the alerts can never disagree; the children from the allocations
 * (query_worker_children), the alerts from query_alerts scoped to the
 * worker, as the API scopes them.
 *
 * POST /alerts/ack (form: csrf, alert, next): records alert.acknowledged
 * through the one write path as the signed-in user, after the same checks
 * as the API's POST /api/v1/events (api_may_record; the alert's child must
 * be one the user may read), then 303 back to `next` (a local page) with
 * ?acknowledged=REF so that page can say it was done.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "app/query.h"
#include "http/api.h"
#include "util/date.h"

/* What a deadline rule waits for, as a worker would say it. */
static const struct {
	const char *rule, *what;
} due_names[] = {
	{"LATE_VISIT", "Visit"},
	{"LATE_ASSESSMENT", "Assessment"},
	{"LATE_ICPC", "Initial child protection conference"},
	{"LATE_REVIEW_CONFERENCE", "Review conference"},
	{"LATE_CORE_GROUP", "Core group meeting"},
	{"LATE_REFERRAL_DECISION", "Referral decision"},
	{"MISSING_NO_RETURN_INTERVIEW", "Return interview"},
	{"UNACTIONED_AGENCY_INFO", "Action on partner information"},
	{"ESCALATION_UNANSWERED", "Answer to an escalation"},
	{"CUMULATIVE_HARM", "Strategy discussion"},
	{"PLAN_DRIFT", "Plan escalation (18 months)"},
	{"UNALLOCATED", "Allocation"},
};

/* Timeliness alerts: a deadline already missed, shown as overdue until
 * resolved (the engine no longer lists a deadline once its alert fired). */
static const char *const overdue_codes[] = {
	"LATE_VISIT", "LATE_ASSESSMENT", "LATE_ICPC", "LATE_REVIEW_CONFERENCE", "LATE_CORE_GROUP",
	"LATE_REFERRAL_DECISION", "MISSING_NO_RETURN_INTERVIEW", "ESCALATION_UNANSWERED", "UNALLOCATED",
};

static bool overdue_code(const char *code)
{
	for (size_t i = 0; code && i < SL_ARRAY_LEN(overdue_codes); i++)
		if (strcmp(overdue_codes[i], code) == 0)
			return true;
	return false;
}

static const char *due_name(const char *rule)
{
	for (size_t i = 0; rule && i < SL_ARRAY_LEN(due_names); i++)
		if (strcmp(due_names[i].rule, rule) == 0)
			return due_names[i].what;
	return page_alert_name(rule);
}

static void today_text(const http_req *r, char out[11])
{
	buf b = BUF_INIT;
	date_format_day(&b, app_today(r->a));
	snprintf(out, 11, "%s", buf_str(&b));
	buf_release(&b);
}

/* ---- the alerts ------------------------------------------------------------------------ */

static void ack_button(html *h, const http_req *r, const char *ref, const char *next)
{
	char label[HTML_FMT_MAX + 64];

	html_open(h, "form", "method", "post", "action", "/alerts/ack", "class", "app-inline-form", NULL);
	page_csrf(h, r);
	html_void(h, "input", "type", "hidden", "name", "alert", "value", ref, NULL);
	html_void(h, "input", "type", "hidden", "name", "next", "value", next, NULL);
	/* the visible word is short; the accessible name says which alert */
	snprintf(label, sizeof(label), "Acknowledge %s", ref);
	html_open(h, "button", "type", "submit", "class", "govuk-button govuk-button--secondary", "data-module",
	          "govuk-button", "aria-label", label, NULL);
	html_text(h, "Acknowledge");
	html_lit(h, "</button></form>");
}

static void alert_rows(html *h, const http_req *r, json_t *alerts, const char *state, json_t *names)
{
	json_t *a;
	size_t i;

	json_array_foreach(alerts, i, a) {
		const char *child = json_string_value(json_object_get(a, "child"));
		if (strcmp(json_string_value(json_object_get(a, "state")), state) != 0)
			continue;
		page_tr_begin(h);
		page_td_begin(h);
		page_alert_tag(h, json_string_value(json_object_get(a, "code")));
		page_td_end(h);
		page_td_begin(h);
		if (child)
			page_child_link(h, child, json_string_value(json_object_get(names, child)));
		else
			html_text(h, "No child");
		page_td_end(h);
		page_td_begin(h);
		page_date(h, json_string_value(json_object_get(a, "raised_on")));
		page_td_end(h);
		page_td(h, json_string_value(json_object_get(a, "reason")));
		page_td_begin(h);
		if (strcmp(state, "open") == 0)
			ack_button(h, r, json_string_value(json_object_get(a, "ref")), "/my-work");
		else
			page_tag(h, "Acknowledged", "grey");
		page_td_end(h);
		page_tr_end(h);
	}
}

static size_t count_state(json_t *alerts, const char *state)
{
	size_t i, n = 0;
	json_t *a;
	json_array_foreach(alerts, i, a)
		n += strcmp(json_string_value(json_object_get(a, "state")), state) == 0;
	return n;
}

/* ---- the children ---------------------------------------------------------------------- */

/* The earliest deadline of a child ("9999-99-99" when none): an overdue
 * item counts from the day its alert was raised. */
static const char *first_due(json_t *c)
{
	const char *best = "9999-99-99";
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(c, "overdue"), i, d) {
		const char *day = json_string_value(json_object_get(d, "raised_on"));
		if (day && strcmp(day, best) < 0)
			best = day;
	}
	json_array_foreach(json_object_get(json_object_get(c, "now"), "due"), i, d) {
		const char *day = json_string_value(json_object_get(d, "due"));
		if (day && strcmp(day, best) < 0)
			best = day;
	}
	return best;
}

static int by_first_due(const void *pa, const void *pb)
{
	json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
	int c = strcmp(first_due(a), first_due(b));
	return c ? c : strcmp(json_string_value(json_object_get(a, "child")), json_string_value(json_object_get(b, "child")));
}

static void legal_status(html *h, json_t *model)
{
	json_t *cp = json_object_get(model, "cp_plan"), *lac = json_object_get(model, "looked_after");
	bool any = false;

	if (json_is_object(cp)) {
		const char *cat = json_string_value(json_object_get(cp, "category"));
		html_textf(h, "Child protection plan%s%s", cat ? ": " : "", cat ? cat : "");
		any = true;
	}
	if (json_is_object(lac)) {
		if (any)
			html_lit(h, "<br>");
		html_text(h, "Looked after");
		any = true;
	}
	if (json_is_true(json_object_get(model, "cin_plan"))) {
		if (any)
			html_lit(h, "<br>");
		html_text(h, "Child in need plan");
		any = true;
	}
	if (!any)
		html_text(h, json_is_true(json_object_get(json_object_get(model, "case"), "open")) ? "Open case"
		                                                                                 : "Case closed");
}

static void due_list(html *h, json_t *c, const char *today)
{
	json_t *model = json_object_get(c, "now"), *d;
	size_t i;

	if (json_array_size(json_object_get(model, "due")) == 0 && json_array_size(json_object_get(c, "overdue")) == 0) {
		html_text(h, "Nothing due");
		return;
	}
	html_lit(h, "<ul class=\"app-due-list\">");
	json_array_foreach(json_object_get(c, "overdue"), i, d) {
		html_lit(h, "<li>");
		page_tag(h, "Overdue", "red");
		html_text(h, " ");
		html_text(h, due_name(json_string_value(json_object_get(d, "code"))));
		html_text(h, " (alert raised ");
		page_date(h, json_string_value(json_object_get(d, "raised_on")));
		html_text(h, ")");
		html_lit(h, "</li>");
	}
	json_array_foreach(json_object_get(model, "due"), i, d) {
		const char *day = json_string_value(json_object_get(d, "due"));
		bool late = day && strcmp(day, today) < 0;
		html_lit(h, "<li>");
		if (late)
			page_tag(h, "Overdue", "red");
		else if (day && strcmp(day, today) == 0)
			page_tag(h, "Due today", "orange");
		html_text(h, late || (day && strcmp(day, today) == 0) ? " " : "");
		html_text(h, due_name(json_string_value(json_object_get(d, "rule"))));
		html_text(h, late ? " was due " : " due ");
		page_date(h, day);
		html_lit(h, "</li>");
	}
	html_lit(h, "</ul>");
}

static void child_rows(html *h, json_t **rows, size_t n, const char *today)
{
	for (size_t i = 0; i < n; i++) {
		json_t *c = rows[i], *model = json_object_get(c, "now");
		const char *id = json_string_value(json_object_get(c, "child"));
		buf url = BUF_INIT;

		page_tr_begin(h);
		page_td_begin(h);
		page_child_link(h, id, json_string_value(json_object_get(c, "name")));
		html_lit(h, "<br><span class=\"govuk-hint\">");
		html_text(h, id);
		html_lit(h, "</span>");
		page_td_end(h);
		page_td_begin(h);
		legal_status(h, model);
		page_td_end(h);
		page_td_begin(h);
		page_date(h, json_string_value(json_object_get(model, "last_seen")));
		page_td_end(h);
		page_td_begin(h);
		due_list(h, c, today);
		page_td_end(h);
		page_td_begin(h);
		buf_puts(&url, "/children/");
		html_url_part(&url, id);
		buf_puts(&url, "/record/visit");
		html_open(h, "a", "class", "govuk-link", "href", url.data, NULL);
		html_text(h, "Record a visit");
		html_lit(h, "<span class=\"govuk-visually-hidden\"> for ");
		html_text(h, json_string_value(json_object_get(c, "name")));
		html_lit(h, "</span></a>");
		page_td_end(h);
		page_tr_end(h);
		buf_release(&url);
	}
}

/* Each child's model from the live rules engine, on the writer (one lock
 * for the whole list: the engine is memory, so this is quick). */
static int children_now(http_req *r, json_t *children, sl_err *err)
{
	json_t *c, *model;
	size_t i;
	int rc = 0;
	app *wr = http_writer_lock(r);

	json_array_foreach(children, i, c) {
		if ((rc = app_child_now(wr, json_string_value(json_object_get(c, "child")), &model, err))) {
			if (rc != SL_ENOTFOUND)
				break;
			model = json_object(); /* allocated but unknown to the engine: nothing due */
			rc = 0;
		}
		json_object_set_new(c, "now", model);
	}
	http_writer_unlock(r);
	return rc;
}

int page_my_work(http_req *r, http_resp *w)
{
	html h = HTML_INIT(&w->body);
	query_alert_opts ao = {NULL, r->user->login, NULL, "open", NULL};
	json_t *alerts = NULL, *mine = NULL, *names = json_object(), *c, **rows = NULL;
	const char *param = NULL, *acked = http_query(r, "acknowledged");
	char today[11];
	size_t i, n, open;
	sl_err err = {0};
	int rc;

	if ((rc = query_alerts(r->a, &ao, &alerts, &param, &err)) ||
	    (rc = query_worker_children(r->a, r->user->login, &mine, &err)) ||
	    (rc = children_now(r, json_object_get(mine, "children"), &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	json_array_foreach(json_object_get(mine, "children"), i, c) {
		json_object_set(names, json_string_value(json_object_get(c, "child")), json_object_get(c, "name"));
		json_object_set_new(c, "overdue", json_array());
	}
	{
		json_t *list = json_incref(json_object_get(alerts, "alerts"));
		json_decref(alerts);
		alerts = list ? list : json_array();
	}
	/* each child's missed deadlines: its unresolved timeliness alerts */
	{
		json_t *a;
		json_array_foreach(alerts, i, a) {
			const char *child = json_string_value(json_object_get(a, "child"));
			json_array_foreach(json_object_get(mine, "children"), n, c) {
				if (child && overdue_code(json_string_value(json_object_get(a, "code"))) &&
				    strcmp(child, json_string_value(json_object_get(c, "child"))) == 0)
					json_array_append(json_object_get(c, "overdue"), a);
			}
		}
	}
	today_text(r, today);

	page_begin(&h, r, "My work", "my-work");
	if (acked)
		page_success_banner(&h, "Alert acknowledged.");
	html_elem(&h, "h1", "My work", "class", "govuk-heading-l", NULL);

	open = count_state(alerts, "open");
	html_open(&h, "h2", "class", "govuk-heading-m", "id", "alerts", NULL);
	html_textf(&h, "Alerts to act on (%zu)", open);
	html_close(&h, "h2");
	if (json_array_size(alerts) == 0) {
		html_elem(&h, "p", "No open alerts about your children.", "class", "govuk-body", NULL);
	} else {
		page_table_begin(&h, NULL, (const char *const[]){"Alert", "Child", "Raised", "Reason", "Action", NULL});
		alert_rows(&h, r, alerts, "open", names);
		alert_rows(&h, r, alerts, "acknowledged", names);
		page_table_end(&h);
	}

	n = json_array_size(json_object_get(mine, "children"));
	html_open(&h, "h2", "class", "govuk-heading-m", "id", "children", NULL);
	html_textf(&h, "My children (%zu)", n);
	html_close(&h, "h2");
	if (n == 0) {
		html_elem(&h, "p", "No children are allocated to you.", "class", "govuk-body", NULL);
	} else {
		/* soonest (most overdue) deadline first */
		rows = xcalloc(n, sizeof(*rows));
		json_array_foreach(json_object_get(mine, "children"), i, c)
			rows[i] = c;
		qsort(rows, n, sizeof(*rows), by_first_due);
		page_table_begin(&h, NULL,
		                 (const char *const[]){"Child", "Legal status", "Last seen", "Due", "Record", NULL});
		child_rows(&h, rows, n, today);
		page_table_end(&h);
	}
	page_end(&h);
	rc = page_ok(w);
done:
	free(rows);
	json_decref(alerts);
	json_decref(mine);
	json_decref(names);
	return rc;
}

/* ---- POST /alerts/ack -------------------------------------------------------------------- */

/* A local page to go back to: a path of plain characters, no query. */
static bool back_ok(const char *p)
{
	if (!p || p[0] != '/' || p[1] == '/' || strlen(p) > 256)
		return false;
	for (; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("/-._~", *p)))
			return false;
	return true;
}

int page_alert_ack(http_req *r, http_resp *w)
{
	const char *ref = http_form(r, "alert"), *next = http_form(r, "next");
	app_write_opts o = {.recorder = r->user->login, .live = true};
	json_t *ev = NULL, *children = NULL, *id;
	char today[11];
	buf back = BUF_INIT;
	ledger_entry e;
	sl_err err = {0};
	size_t i;
	int rc;

	if (!ref || !*ref || strlen(ref) > 200)
		return page_error(r, w, 400, "Say which alert to acknowledge (the form's `alert` field).");
	if (!api_may_record(r->user->role, "alert.acknowledged"))
		return page_error(r, w, 403, "Your role may not acknowledge alerts.");
	today_text(r, today);
	ev = json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "kind", "alert.acknowledged", "occurred_at", today, "by", "user",
	               r->user->login, "data", "alert", ref);
	if (!ev) {
		rc = page_error(r, w, 400, "The alert reference is not valid text.");
		goto done;
	}
	/* the alert's child must be one this user may read, as for the API */
	if ((rc = query_children_of(r->a, ev, &children, &err))) {
		rc = page_error(r, w, rc == SL_EIO ? 500 : 404, rc == SL_EIO ? "The alert could not be read." : err.msg);
		goto done;
	}
	json_array_foreach(children, i, id) {
		auth_decision d = AUTH_DENY;
		if ((rc = auth_child_access(r->a, r->user, json_string_value(id), &d, &err))) {
			rc = page_error_err(r, w, &err);
			goto done;
		}
		if (d != AUTH_ALLOW) {
			rc = page_error(r, w, 403, "You may not act on alerts about this child.");
			goto done;
		}
	}
	if ((rc = http_append_event(r, ev, &o, &e, &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	buf_puts(&back, back_ok(next) ? next : "/my-work");
	buf_puts(&back, "?acknowledged=");
	html_url_part(&back, ref);
	rc = page_redirect(w, back.data);
done:
	buf_release(&back);
	json_decref(children);
	json_decref(ev);
	return rc;
}
