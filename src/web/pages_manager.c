/*
 * pages_manager.c - the team manager's page (/team), the decisions on
 * amendment requests posted from it (/approvals/{request}), and the
 * director's dashboard (/director) with the children behind each of its
 * figures (/director/measures/{name}).
 *
 * Scope follows the API's lists (api.c): a team manager sees their own
 * team's caseloads, alerts and approvals (items about children they may
 * read, auth_child_access); senior managers and the director see every
 * team.  Approving or rejecting a correction is a senior manager's or the
 * director's (api_may_record), so the queue is shown to a team manager
 * with who decides, and the buttons only to those who may press them.
 *
 * Every number comes from a read use case (app/query.h); the charts are
 * web/chart.h's, each followed by a table of the same numbers.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "web/chart.h"
#include "http/api.h"
#include "app/query.h"
#include "app/measures.h"
#include "util/date.h"

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long i_of(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* The team a page is about: a manager's own; NULL (every team) for
 * senior managers and the director. */
static const char *scope_team(const http_req *r)
{
	return r->user->role == ROLE_TEAM_MANAGER ? r->user->team : NULL;
}

typedef struct may_read_ctx {
	http_req *r;
} may_read_ctx;

static bool may_read(void *ctx, const char *child)
{
	may_read_ctx *m = ctx;
	auth_decision d = AUTH_DENY;
	return auth_child_access(m->r->a, m->r->user, child, &d, NULL) == 0 && d == AUTH_ALLOW;
}

static void today_text(app *a, char out[11])
{
	buf b = BUF_INIT;
	date_format_day(&b, app_today(a));
	snprintf(out, 11, "%s", b.data);
	buf_release(&b);
}

/* ---- /team: caseloads ------------------------------------------------------------------ */

static void caseloads_section(html *h, const http_req *r, const json_t *loads, int limit)
{
	size_t n = json_array_size(loads), i;
	chart_point *p = xcalloc(n + 1, sizeof(*p));
	buf desc = BUF_INIT, limit_label = BUF_INIT;
	char id[8];
	size_t over = 0;
	json_t *c;
	(void)r;

	json_array_foreach(loads, i, c) {
		p[i] = (chart_point){s_of(c, "worker"), (double)i_of(c, "children"), true, NULL};
		if (i_of(c, "children") > limit)
			over++;
	}
	buf_printf(&desc, "Children allocated to each of %zu workers; %zu over the limit of %d.", n, over, limit);
	buf_printf(&limit_label, "limit %d", limit);
	snprintf(id, sizeof(id), "loads");
	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"caseloads\">Caseloads</h2>");
	if (over) {
		html_lit(h, "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" "
		            "aria-hidden=\"true\">!</span><strong class=\"govuk-warning-text__text\">"
		            "<span class=\"govuk-visually-hidden\">Warning</span>");
		html_textf(h, "%zu %s over the caseload limit of %d children.", over, over == 1 ? "worker is" : "workers are",
		           limit);
		html_lit(h, "</strong></div>");
	}
	chart_bars(h, &(chart_opts){.id = id, .title = "Children per worker", .desc = desc.data,
	                            .label_head = "Worker", .value_head = "Children", .limit = limit,
	                            .limit_label = limit_label.data},
	           p, n);
	if (n) {
		page_table_begin(h, "Open alerts and overdue work per worker",
		                 (const char *const[]){"Worker", "Team", "Open alerts", "Overdue", NULL});
		json_array_foreach(loads, i, c) {
			page_tr_begin(h);
			page_td(h, s_of(c, "worker"));
			page_td(h, s_of(c, "team") ? s_of(c, "team") : "None");
			page_td_num(h, i_of(c, "alerts_open"));
			page_td_num(h, i_of(c, "overdue"));
			page_tr_end(h);
		}
		page_table_end(h);
	}
	buf_release(&desc);
	buf_release(&limit_label);
	free(p);
}

/* ---- /team: unallocated children and alerts by child ---------------------------------- */

static void unallocated_section(html *h, const json_t *list, bool may_allocate)
{
	size_t i;
	json_t *c;

	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"unallocated\">Unallocated children</h2>");
	if (json_array_size(list) == 0) {
		html_lit(h, "<p class=\"govuk-body\">Every open case has a worker.</p>");
		return;
	}
	page_table_begin(h, NULL,
	                 (const char *const[]){"Child", "Case opened", "Waiting (working days)", "Action", NULL});
	json_array_foreach(list, i, c) {
		buf url = BUF_INIT, label = BUF_INIT;

		page_tr_begin(h);
		page_td_begin(h);
		buf_printf(&label, "%s (%s)", s_of(c, "name") ? s_of(c, "name") : s_of(c, "child"), s_of(c, "child"));
		html_text(h, label.data);
		page_td_end(h);
		page_td_begin(h);
		page_date(h, s_of(c, "opened_on"));
		page_td_end(h);
		page_td_num(h, i_of(c, "waiting_wd"));
		page_td_begin(h);
		if (may_allocate) {
			buf_puts(&url, "/children/");
			html_url_part(&url, s_of(c, "child"));
			buf_puts(&url, "/record/allocation");
			html_open(h, "a", "href", url.data, "class", "govuk-link", NULL);
			html_lit(h, "Allocate<span class=\"govuk-visually-hidden\"> ");
			html_text(h, s_of(c, "child"));
			html_lit(h, "</span></a>");
		}
		page_td_end(h);
		page_tr_end(h);
		buf_release(&url);
		buf_release(&label);
	}
	page_table_end(h);
}

static void alerts_section(html *h, const json_t *alerts)
{
	json_t *by_child = json_object(), *order = json_array(), *a, *list;
	size_t i, j;

	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"alerts\">Open alerts by child</h2>");
	json_array_foreach(alerts, i, a) {
		const char *child = s_of(a, "child") ? s_of(a, "child") : "";
		if (!(list = json_object_get(by_child, child))) {
			json_object_set_new(by_child, child, list = json_array());
			json_array_append_new(order, json_string(child));
		}
		json_array_append(list, a);
	}
	if (json_array_size(order) == 0) {
		html_lit(h, "<p class=\"govuk-body\">No open alerts.</p>");
		goto done;
	}
	page_table_begin(h, NULL, (const char *const[]){"Child", "Worker", "Alerts", "Oldest raised", NULL});
	json_array_foreach(order, i, a) {
		const char *child = json_string_value(a);
		list = json_object_get(by_child, child);
		page_tr_begin(h);
		page_td_begin(h);
		if (*child)
			page_child_link(h, child, NULL);
		else
			html_lit(h, "No child");
		page_td_end(h);
		page_td(h, s_of(json_array_get(list, 0), "worker") ? s_of(json_array_get(list, 0), "worker") : "None");
		page_td_begin(h);
		json_array_foreach(list, j, a) {
			page_alert_tag(h, s_of(a, "code"));
			html_lit(h, " ");
		}
		page_td_end(h);
		page_td_begin(h);
		page_date(h, s_of(json_array_get(list, json_array_size(list) - 1), "raised_on"));
		page_td_end(h);
		page_tr_end(h);
	}
	page_table_end(h);
done:
	json_decref(by_child);
	json_decref(order);
}

/* ---- /team: approvals ---------------------------------------------------------------------- */

/* "summary: Seen at home" for each field of an object. */
static void fields_text(html *h, const json_t *fields, const json_t *from)
{
	const char *key;
	json_t *v;
	bool first = true;

	html_lit(h, "<ul class=\"govuk-list\">");
	json_object_foreach((json_t *)fields, key, v) {
		const json_t *shown = from ? json_object_get(from, key) : v;
		char *text = shown ? (json_is_string(shown) ? xstrdup(json_string_value(shown))
		                                            : json_dumps(shown, JSON_ENCODE_ANY | JSON_COMPACT))
		                   : xstrdup("(not recorded)");
		html_lit(h, "<li>");
		html_elem(h, "span", key, "class", "govuk-!-font-weight-bold", NULL);
		html_lit(h, ": ");
		html_text(h, text);
		html_lit(h, "</li>");
		free(text);
		first = false;
	}
	if (first)
		html_lit(h, "<li>Nothing</li>");
	html_lit(h, "</ul>");
}

static void amendment_item(html *h, http_req *r, const json_t *item, const page_errors *e, long long failed)
{
	long long request = i_of(item, "request");
	json_t *target = NULL;
	sl_err err = {0};
	buf action = BUF_INIT, reason_id = BUF_INIT;
	char label[64];

	/* the values as the record shows them now: the original of this change */
	if (query_event(r->a, (uint64_t)i_of(item, "target"), &target, &err))
		target = NULL;
	snprintf(label, sizeof(label), "Amendment request %lld", request);
	html_open(h, "div", "class", "govuk-summary-card", "id", NULL, NULL);
	html_lit(h, "<div class=\"govuk-summary-card__title-wrapper\">");
	html_elem(h, "h3", label, "class", "govuk-summary-card__title", NULL);
	html_lit(h, "</div><div class=\"govuk-summary-card__content\">");
	page_summary_begin(h);
	page_summary_row_begin(h, "Event");
	html_textf(h, "%s (event %lld)", s_of(item, "target_kind") ? s_of(item, "target_kind") : "", i_of(item, "target"));
	page_summary_row_end(h);
	page_summary_row_begin(h, "About");
	{
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(item, "children"), i, c) {
			if (i)
				html_lit(h, ", ");
			page_child_link(h, json_string_value(c), NULL);
		}
	}
	page_summary_row_end(h);
	page_summary_row(h, "Requested by", s_of(item, "requested_by"));
	page_summary_row_begin(h, "Requested");
	page_date(h, s_of(item, "requested_at"));
	page_summary_row_end(h);
	page_summary_row(h, "Reason", s_of(item, "reason"));
	page_summary_row_begin(h, "Original");
	fields_text(h, json_object_get(item, "data"), target ? json_object_get(json_object_get(target, "event"), "data")
	                                                     : json_object());
	page_summary_row_end(h);
	page_summary_row_begin(h, "Proposed");
	fields_text(h, json_object_get(item, "data"), NULL);
	page_summary_row_end(h);
	page_summary_end(h);
	if (api_may_record(r->user->role, "amendment.approved")) {
		buf_printf(&action, "/approvals/%lld", request);
		buf_printf(&reason_id, "reason-%lld", request);
		html_open(h, "form", "method", "post", "action", action.data, "novalidate", "", NULL);
		page_csrf(h, r);
		page_textarea(h, failed == request ? e : NULL,
		              &(page_field){.name = "reason", .label = "Reason for rejecting (needed only to reject)",
		                            .hint = NULL, .value = NULL});
		html_lit(h, "<div class=\"govuk-button-group\">"
		            "<button type=\"submit\" name=\"decision\" value=\"approve\" class=\"govuk-button\" "
		            "data-module=\"govuk-button\">Approve</button>"
		            "<button type=\"submit\" name=\"decision\" value=\"reject\" "
		            "class=\"govuk-button govuk-button--warning\" data-module=\"govuk-button\">Reject</button>"
		            "</div></form>");
	} else {
		html_lit(h, "<p class=\"govuk-body\">A senior manager or the director decides this request "
		            "(not the person who asked for it).</p>");
	}
	html_lit(h, "</div></div>");
	json_decref(target);
	buf_release(&action);
	buf_release(&reason_id);
}

static void approvals_section(html *h, http_req *r, const json_t *ap, const page_errors *e, long long failed)
{
	json_t *list = json_object_get(ap, "amendments"), *item;
	size_t i;

	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"approvals\">Approvals</h2>");
	html_lit(h, "<h3 class=\"govuk-heading-s\">Corrections waiting for a decision</h3>");
	if (json_array_size(list) == 0)
		html_lit(h, "<p class=\"govuk-body\">No amendment requests are waiting.</p>");
	json_array_foreach(list, i, item) amendment_item(h, r, item, e, failed);

	html_lit(h, "<h3 class=\"govuk-heading-s\">Closures refused by a rule</h3>");
	list = json_object_get(ap, "closures");
	if (json_array_size(list) == 0) {
		html_lit(h, "<p class=\"govuk-body\">No blocked closures.</p>");
	} else {
		page_table_begin(h, NULL, (const char *const[]){"Child", "Refused on", "Why", NULL});
		json_array_foreach(list, i, item) {
			page_tr_begin(h);
			page_td_begin(h);
			page_child_link(h, s_of(item, "child"), NULL);
			page_td_end(h);
			page_td_begin(h);
			page_date(h, s_of(item, "raised_on"));
			page_td_end(h);
			page_td(h, s_of(item, "reason"));
			page_tr_end(h);
		}
		page_table_end(h);
	}

	html_lit(h, "<h3 class=\"govuk-heading-s\">Break-glass notices</h3>");
	list = json_object_get(ap, "break_glass");
	if (json_array_size(list) == 0) {
		html_lit(h, "<p class=\"govuk-body\">Nobody has broken the glass on a sealed record.</p>");
	} else {
		page_table_begin(h, NULL, (const char *const[]){"When", "Who", "Child", "Reason given", NULL});
		json_array_foreach(list, i, item) {
			page_tr_begin(h);
			page_td_begin(h);
			page_date(h, s_of(item, "recorded_at"));
			page_td_end(h);
			page_td(h, s_of(item, "user"));
			page_td(h, s_of(item, "child"));
			page_td(h, s_of(item, "reason"));
			page_tr_end(h);
		}
		page_table_end(h);
	}
}

/* The whole team page; e and failed (a request seq) show a decision's
 * error next to its form. */
static void escalations_section(html *h, const http_req *r, const json_t *list, const char *title,
                                const char *back);

static int team_render(http_req *r, http_resp *w, int status, const page_errors *e, long long failed)
{
	const char *team = scope_team(r), *done = http_query(r, "done");
	query_alert_opts ao = {NULL, NULL, team, "open", NULL};
	json_t *loads = NULL, *unalloc = NULL, *alerts = NULL, *ap = NULL, *esc = NULL, *mine = json_array(), *x;
	may_read_ctx mr = {r};
	size_t i;
	const char *param = NULL;
	html h = HTML_INIT(&w->body);
	sl_err err = {0};
	buf title = BUF_INIT;
	int rc;

	if ((rc = query_caseloads(r->a, team, NULL, &loads, &err)) || (rc = query_unallocated(r->a, team, &unalloc, &err)) ||
	    (rc = query_alerts(r->a, &ao, &alerts, &param, &err)) ||
	    (rc = query_approvals(r->a, team, team ? may_read : NULL, &mr, &ap, &err)) ||
	    (rc = query_escalations(r->a, "manager", true, &esc, &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	/* escalations raised to a manager: a team's manager sees those about
	 * children they may read, and those naming no child */
	json_array_foreach(json_object_get(esc, "escalations"), i, x) {
		const char *child = s_of(x, "child");
		if (!team || !child || may_read(&mr, child))
			json_array_append(mine, x);
	}
	if (team)
		buf_printf(&title, "Team %s", team);
	else
		buf_puts(&title, "All teams");
	page_begin(&h, r, e && e->n ? "Error: Team" : title.data, "team");
	page_error_summary(&h, e);
	if (done && strcmp(done, "approved") == 0)
		page_success_banner(&h, "The amendment was approved: the record now shows the new values, with the original kept.");
	else if (done && strcmp(done, "rejected") == 0)
		page_success_banner(&h, "The amendment was rejected: the record is unchanged.");
	else if (done && strcmp(done, "answered") == 0)
		page_success_banner(&h, "Your answer to the escalation was recorded.");
	html_elem(&h, "h1", title.data, "class", "govuk-heading-l", NULL);
	html_lit(&h, "<ul class=\"govuk-list\"><li><a class=\"govuk-link\" href=\"#caseloads\">Caseloads</a></li>"
	             "<li><a class=\"govuk-link\" href=\"#unallocated\">Unallocated children</a></li>"
	             "<li><a class=\"govuk-link\" href=\"#alerts\">Open alerts by child</a></li>"
	             "<li><a class=\"govuk-link\" href=\"#approvals\">Approvals</a></li>"
	             "<li><a class=\"govuk-link\" href=\"#escalations\">Escalations to managers</a></li></ul>");
	caseloads_section(&h, r, json_object_get(loads, "caseloads"), query_caseload_limit(r->a));
	unallocated_section(&h, json_object_get(unalloc, "children"), api_may_record(r->user->role, "case.allocated"));
	alerts_section(&h, json_object_get(alerts, "alerts"));
	approvals_section(&h, r, ap, e, failed);
	escalations_section(&h, r, mine, "Escalations to managers", "team");
	page_end(&h);
	rc = page_send(w, status);
done:
	json_decref(loads);
	json_decref(unalloc);
	json_decref(alerts);
	json_decref(ap);
	json_decref(esc);
	json_decref(mine);
	buf_release(&title);
	return rc;
}

/* POST /escalations/{seq}/answer: response-{seq}, back (team or director).
 * Appends escalation.answered; the user must be able to read the child
 * the escalation names.  An empty answer is the page again with the error
 * at the top (the form is folded in a table row, so the summary names it). */
int page_escalation_answer(http_req *r, http_resp *w)
{
	const char *back = http_form(r, "back");
	bool director = back && strcmp(back, "director") == 0;
	json_t *ev = NULL, *children = NULL, *id;
	app_write_opts o = {.recorder = r->user->login, .live = true};
	char day[11], field[48];
	const char *response;
	ledger_entry le;
	uint64_t seq = 0;
	sl_err err = {0};
	size_t i;
	int rc;

	if (query_parse_seq(r->params[0], &seq, &err))
		return page_error(r, w, 404, "There is no such escalation.");
	if (!api_may_record(r->user->role, "escalation.answered"))
		return page_error(r, w, 403, "Your role may not answer escalations.");
	snprintf(field, sizeof(field), "response-%llu", (unsigned long long)seq);
	response = http_form(r, field);
	if (!response || !*response)
		return page_error(r, w, 400, "Enter your answer to the escalation before sending it.");
	today_text(r->a, day);
	ev = json_pack("{s:s, s:s, s:{s:s}, s:{s:I, s:s}}", "kind", "escalation.answered", "occurred_at", day, "by",
	               "user", r->user->login, "data", "escalation", (json_int_t)seq, "response", response);
	if (!ev)
		return page_error(r, w, 400, "The answer holds text that is not valid.");
	if ((rc = query_children_of(r->a, ev, &children, &err))) {
		rc = rc == SL_ENOTFOUND || rc == SL_EINVAL ? page_error(r, w, 404, "There is no such escalation.")
		                                           : page_error_err(r, w, &err);
		goto done;
	}
	json_array_foreach(children, i, id) {
		auth_decision d = AUTH_DENY;
		if (auth_child_access(r->a, r->user, json_string_value(id), &d, NULL) || d != AUTH_ALLOW) {
			rc = page_error(r, w, 403, "You may not answer about a child whose record you cannot read.");
			goto done;
		}
	}
	if ((rc = http_append_event(r, ev, &o, &le, &err))) {
		rc = rc == SL_EINVAL || rc == SL_ENOTFOUND || rc == SL_ECONFLICT ? page_error(r, w, 422, err.msg)
		                                                                  : page_error_err(r, w, &err);
		goto done;
	}
	rc = page_redirect(w, director ? "/director?done=answered#escalations" : "/team?done=answered#escalations");
done:
	json_decref(ev);
	json_decref(children);
	return rc;
}

int page_team(http_req *r, http_resp *w)
{
	return team_render(r, w, 200, NULL, 0);
}

/* POST /approvals/{request}: decision=approve|reject, reason (to reject). */
int page_approval_post(http_req *r, http_resp *w)
{
	const char *decision = http_form(r, "decision"), *reason = http_form(r, "reason");
	bool approve = decision && strcmp(decision, "approve") == 0;
	json_t *ev = NULL, *children = NULL, *id;
	app_write_opts o = {.recorder = r->user->login, .live = true};
	page_errors e = {0};
	ledger_entry le;
	uint64_t seq = 0;
	sl_err err = {0};
	char day[11];
	size_t i;
	int rc;

	if (query_parse_seq(r->params[0], &seq, &err))
		return page_error(r, w, 404, "There is no such amendment request.");
	if (!api_may_record(r->user->role, approve ? "amendment.approved" : "amendment.rejected"))
		return page_error(r, w, 403, "Only a senior manager or the director decides amendment requests.");
	if (!decision || (!approve && strcmp(decision, "reject") != 0))
		return page_error(r, w, 400, "Choose Approve or Reject.");
	if (!approve && (!reason || !*reason)) {
		page_errors_add(&e, "reason", "Enter the reason for rejecting the amendment");
		return team_render(r, w, 422, &e, (long long)seq);
	}
	today_text(r->a, day);
	ev = approve ? json_pack("{s:s, s:s, s:{s:s}, s:{s:I}}", "kind", "amendment.approved", "occurred_at", day, "by",
	                         "user", r->user->login, "data", "request", (json_int_t)seq)
	             : json_pack("{s:s, s:s, s:{s:s}, s:{s:I, s:s}}", "kind", "amendment.rejected", "occurred_at", day,
	                         "by", "user", r->user->login, "data", "request", (json_int_t)seq, "reason", reason);
	/* as the API: every child the decision is about must be one the user may read */
	if ((rc = query_children_of(r->a, ev, &children, &err))) {
		page_errors_from(&e, &err, "reason");
		rc = team_render(r, w, 422, &e, (long long)seq);
		goto done;
	}
	json_array_foreach(children, i, id) {
		auth_decision d = AUTH_DENY;
		if (auth_child_access(r->a, r->user, json_string_value(id), &d, NULL) || d != AUTH_ALLOW) {
			rc = page_error(r, w, 403, "You may not decide on the record of a child you cannot read.");
			goto done;
		}
	}
	if ((rc = http_append_event(r, ev, &o, &le, &err))) {
		page_errors_from(&e, &err, "reason");
		rc = team_render(r, w, 422, &e, (long long)seq);
		goto done;
	}
	rc = page_redirect(w, approve ? "/team?done=approved#approvals" : "/team?done=rejected#approvals");
done:
	json_decref(ev);
	json_decref(children);
	return rc;
}

/* ---- /director ------------------------------------------------------------------------------ */

/* The measures the page shows, with their words (docs/measures.md defines
 * each); pct: a share in percent. */
typedef struct measure_label {
	const char *name, *label;
	bool pct;
} measure_label;

static const measure_label labels[] = {
	{"assessments_in_time_pct", "Assessments completed within 45 working days", true},
	{"icpcs_in_time_pct", "Initial conferences within 15 working days of the strategy discussion", true},
	{"repeat_referrals_pct", "Repeat referrals (re-referrals within 12 months)", true},
	{"cp_plans", "Children on a child protection plan", false},
	{"cp_plans_over_18_months", "Plans 18 months old or more", false},
	{"cp_plans_2_years_open", "Plans 2 years old or more", false},
	{"second_plans_pct", "Second or later plans among plans started", true},
	{"cp_plans_ended_2_years_pct", "Plans ended this month that lasted 2 years or more", true},
	{"cp_seen_in_time_pct", "Children on a plan seen within 10 working days", true},
	{"looked_after", "Children looked after", false},
	{"lac_seen_in_time_pct", "Looked-after children seen within 6 weeks", true},
	{"children_per_worker", "Children per worker", false},
};

static const measure_label *label_of(const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(labels); i++)
		if (strcmp(labels[i].name, name) == 0)
			return &labels[i];
	return NULL;
}

/* /director/measures/{name}?month=M[&as_of=D]: the children behind a figure. */
static void measure_href(buf *out, const char *name, const char *month, const char *as_of)
{
	buf_puts(out, "/director/measures/");
	html_url_part(out, name);
	buf_puts(out, "?month=");
	html_url_part(out, month);
	if (as_of && *as_of) {
		buf_puts(out, "&as_of=");
		html_url_part(out, as_of);
	}
}

/* The latest month's figure of a series as a summary row, linked to the
 * children behind it. */
static void latest_row(html *h, const json_t *m, const char *name, const char *as_of)
{
	const measure_label *l = label_of(name);
	const json_t *s = json_object_get(json_object_get(m, "series"), name);
	const json_t *months = json_object_get(m, "months");
	const json_t *v = json_array_get(s, json_array_size(s) - 1);
	buf b = BUF_INIT, href = BUF_INIT;

	if (json_is_integer(v))
		buf_printf(&b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(&b, "%.1f%s", json_real_value(v), l->pct ? "%" : "");
	else
		buf_puts(&b, "Nothing to measure this month");
	measure_href(&href, name, json_string_value(json_array_get(months, json_array_size(months) - 1)), as_of);
	page_summary_row_begin(h, l->label);
	page_link(h, href.data, b.data);
	html_lit(h, "<span class=\"govuk-visually-hidden\"> (the children behind this figure)</span>");
	page_summary_row_end(h);
	buf_release(&b);
	buf_release(&href);
}

/* One monthly chart of a series (a share in percent when pct). */
static void measure_chart(html *h, const json_t *m, const char *name, const char *id, const char *title,
                          const char *desc, const char *value_head, bool pct)
{
	const json_t *months = json_object_get(m, "months");
	const json_t *s = json_object_get(json_object_get(m, "series"), name);
	size_t n = json_array_size(months), i;
	chart_point *p = xcalloc(n + 1, sizeof(*p));

	for (i = 0; i < n; i++) {
		const json_t *v = json_array_get(s, i);
		p[i] = (chart_point){json_string_value(json_array_get(months, i)), json_number_value(v), json_is_number(v),
		                     NULL};
	}
	chart_line(h, &(chart_opts){.id = id, .title = title, .desc = desc, .label_head = "Month",
	                            .value_head = value_head, .unit = pct ? "%" : NULL, .max = pct ? 100 : 0},
	           p, n);
	free(p);
}

/* Escalations waiting for an answer, each with its answer form (a details
 * element: it opens without JavaScript) when the role may answer.  back is
 * the page the form returns to ("team", "director"). */
static void escalations_section(html *h, const http_req *r, const json_t *list, const char *title,
                                const char *back)
{
	bool answer = api_may_record(r->user->role, "escalation.answered");
	size_t i;
	json_t *e;

	html_elem(h, "h2", title, "class", "govuk-heading-m", "id", "escalations", NULL);
	if (json_array_size(list) == 0) {
		html_lit(h, "<p class=\"govuk-body\">No escalation is waiting for an answer.</p>");
		return;
	}
	page_table_begin(h, NULL,
	                 answer ? (const char *const[]){"Raised", "To", "Child", "Summary", "Answer due", "Answer", NULL}
	                        : (const char *const[]){"Raised", "To", "Child", "Summary", "Answer due", NULL});
	json_array_foreach(list, i, e) {
		page_tr_begin(h);
		page_td_begin(h);
		page_date(h, s_of(e, "raised_on"));
		page_td_end(h);
		page_td(h, s_of(e, "to"));
		page_td_begin(h);
		if (s_of(e, "child"))
			page_child_link(h, s_of(e, "child"), NULL);
		else
			html_lit(h, "None named");
		page_td_end(h);
		page_td(h, s_of(e, "summary"));
		page_td_begin(h);
		page_date(h, s_of(e, "due"));
		if (json_is_true(json_object_get(e, "overdue"))) {
			html_lit(h, " ");
			page_tag(h, "Overdue", "red");
		}
		page_td_end(h);
		if (answer) {
			char action[64], id[48];
			long long seq = (long long)json_integer_value(json_object_get(e, "seq"));
			snprintf(action, sizeof(action), "/escalations/%lld/answer", seq);
			snprintf(id, sizeof(id), "response-%lld", seq);
			page_td_begin(h);
			html_lit(h, "<details class=\"govuk-details govuk-!-margin-bottom-0\"><summary "
			            "class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">Answer"
			            "</span></summary><div class=\"govuk-details__text\">");
			html_open(h, "form", "method", "post", "action", action, "novalidate", "", NULL);
			page_csrf(h, r);
			html_void(h, "input", "type", "hidden", "name", "back", "value", back, NULL);
			page_textarea(h, NULL, &(page_field){.name = id, .label = "Your answer"});
			page_button(h, "Send the answer");
			html_close(h, "form");
			html_lit(h, "</div></details>");
			page_td_end(h);
		}
		page_tr_end(h);
	}
	page_table_end(h);
}

/* Alerts by rule: open at the latest month's end (linked to the children
 * behind each figure) and raised in the window.  Rules with neither are
 * left out. */
static void director_alerts(html *h, const json_t *m, const char *as_of)
{
	const json_t *open = json_object_get(m, "open_alerts"), *raised = json_object_get(m, "alerts_raised");
	const json_t *months = json_object_get(m, "months");
	const char *month = json_string_value(json_array_get(months, json_array_size(months) - 1)), *key;
	size_t last = json_array_size(months) - 1, i, rows = 0;
	json_t *codes, *v;
	buf href = BUF_INIT, name = BUF_INIT;
	char num[HTML_FMT_MAX];

	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"alerts\">Alerts</h2>");
	json_object_foreach((json_t *)open, key, codes) {
		long long total = 0, now = json_integer_value(json_array_get(codes, last));
		json_array_foreach(json_object_get(raised, key), i, v) total += json_integer_value(v);
		if (!now && !total)
			continue;
		if (rows++ == 0)
			page_table_begin(h, "Alerts by rule: open at the end of this month, and raised in these months",
			                 (const char *const[]){"Rule", "Open at month end", "Raised this month",
			                                       "Raised in these months", NULL});
		page_tr_begin(h);
		page_td_begin(h);
		page_alert_tag(h, key);
		page_td_end(h);
		page_td_begin(h);
		buf_reset(&name);
		buf_printf(&name, "open_alerts.%s", key);
		buf_reset(&href);
		measure_href(&href, name.data, month, as_of);
		page_link(h, href.data, html_fmt(num, "%lld", now));
		page_td_end(h);
		page_td_num(h, json_integer_value(json_array_get(json_object_get(raised, key), last)));
		page_td_num(h, total);
		page_tr_end(h);
	}
	if (rows)
		page_table_end(h);
	else
		html_lit(h, "<p class=\"govuk-body\">No alert was open or raised in these months.</p>");
	buf_release(&href);
	buf_release(&name);
}

int page_director(http_req *r, http_resp *w)
{
	json_t *m = NULL, *esc = NULL, *loads = NULL;
	const char *param = NULL, *months = http_query(r, "months"), *as_of = http_query(r, "as_of");
	html h = HTML_INIT(&w->body);
	sl_err err = {0};
	chart_point *p = NULL;
	size_t n, i;
	int rc;

	if ((rc = measures_monthly(r->a, as_of, months, &m, &param, &err))) {
		rc = rc == SL_EINVAL ? page_error(r, w, 400, err.msg) : page_error_err(r, w, &err);
		goto done;
	}
	if ((rc = query_escalations(r->a, r->user->role == ROLE_DIRECTOR ? "director" : NULL, true, &esc, &err)) ||
	    (rc = query_caseloads(r->a, NULL, NULL, &loads, &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	page_begin(&h, r, "Director's dashboard", "director");
	html_lit(&h, "<h1 class=\"govuk-heading-l\">Timeliness and caseloads</h1><p class=\"govuk-body\">Month by month, "
	             "each month as it stood at its last day (this month: ");
	page_date(&h, s_of(m, "as_of"));
	html_lit(&h, "). Each figure links to the children behind it. <a class=\"govuk-link\" href=\"#escalations\">"
	             "Escalations waiting for an answer</a>.</p>");

	html_lit(&h, "<h2 class=\"govuk-heading-m\">This month</h2>");
	page_summary_begin(&h);
	for (i = 0; i < SL_ARRAY_LEN(labels); i++)
		latest_row(&h, m, labels[i].name, as_of);
	page_summary_end(&h);

	html_lit(&h, "<h2 class=\"govuk-heading-m\">Over time</h2>");
	measure_chart(&h, m, "assessments_in_time_pct", "m-assess", "Assessments completed within 45 working days",
	              "Share of the assessments completed each month that were within 45 working days of the referral.",
	              "Within 45 working days", true);
	measure_chart(&h, m, "icpcs_in_time_pct", "m-icpc", "Initial conferences on time",
	              "Share of the initial child protection conferences held each month that were within 15 working "
	              "days of the strategy discussion that started the enquiry.",
	              "Within 15 working days", true);
	measure_chart(&h, m, "repeat_referrals_pct", "m-repeat", "Repeat referrals",
	              "Share of each month's referrals that came within 12 months of the child's previous one.",
	              "Repeat referrals", true);
	measure_chart(&h, m, "cp_plans", "m-plans", "Children on a child protection plan",
	              "Children on a plan at the end of each month.", "Children", false);
	measure_chart(&h, m, "cp_plans_over_18_months", "m-long", "Plans over 18 months",
	              "Children whose plan was 18 months old or more at the end of each month.", "Children", false);
	measure_chart(&h, m, "cp_plans_2_years_open", "m-2y", "Plans 2 years old or more",
	              "Children whose plan was 2 years old or more at the end of each month.", "Children", false);
	measure_chart(&h, m, "second_plans_pct", "m-second", "Second or later plans",
	              "Share of the plans started each month that were not the child's first.", "Second or later", true);
	measure_chart(&h, m, "cp_plans_ended_2_years_pct", "m-ended2y", "Plans ended after 2 years or more",
	              "Share of the plans ended each month that had lasted 2 years or more.", "2 years or more", true);
	measure_chart(&h, m, "cp_seen_in_time_pct", "m-visits", "Children on a plan seen in time",
	              "Share of the children on a plan at each month's end who had been seen within 10 working days.",
	              "Seen in time", true);
	measure_chart(&h, m, "looked_after", "m-lac", "Children looked after",
	              "Children looked after at the end of each month.", "Children", false);
	measure_chart(&h, m, "lac_seen_in_time_pct", "m-lacvisits", "Looked-after children seen in time",
	              "Share of the children looked after at each month's end who had been seen within 6 weeks.",
	              "Seen in time", true);
	measure_chart(&h, m, "children_per_worker", "m-perworker", "Children per worker",
	              "Children allocated at each month's end for each worker holding any.", "Children per worker",
	              false);

	director_alerts(&h, m, as_of);

	n = json_array_size(json_object_get(loads, "caseloads"));
	p = xcalloc(n + 1, sizeof(*p));
	{
		json_t *c;
		buf desc = BUF_INIT, label = BUF_INIT;
		int limit = query_caseload_limit(r->a);
		json_array_foreach(json_object_get(loads, "caseloads"), i, c)
			p[i] = (chart_point){s_of(c, "worker"), (double)i_of(c, "children"), true, NULL};
		buf_printf(&desc, "Children allocated to each of the authority's %zu workers, against the limit of %d.", n,
		           limit);
		buf_printf(&label, "limit %d", limit);
		html_lit(&h, "<h2 class=\"govuk-heading-m\">Caseloads</h2>");
		chart_bars(&h, &(chart_opts){.id = "d-loads", .title = "Children per worker", .desc = desc.data,
		                             .label_head = "Worker", .value_head = "Children", .limit = limit,
		                             .limit_label = label.data},
		           p, n);
		buf_release(&desc);
		buf_release(&label);
	}

	html_lit(&h, "<h2 class=\"govuk-heading-m\">Not yet measured</h2><p class=\"govuk-body\">Review conferences "
	             "on time as a share is not shown because the record does not yet hold what it needs, rather than "
	             "estimated (the LATE_REVIEW_CONFERENCE alerts above count the late ones).</p>");
	escalations_section(&h, r, json_object_get(esc, "escalations"), "Escalations waiting for an answer", "director");
	page_end(&h);
	rc = page_ok(w);
done:
	free(p);
	json_decref(m);
	json_decref(esc);
	json_decref(loads);
	return rc;
}

/* ---- /director/measures/{name} ---------------------------------------------------------------- */

/* The children behind one figure, each linked to their record, with the
 * events that put them there.  The list names children, so the read is
 * recorded in the access log (one record naming them all) before it is
 * shown. */
int page_director_measure(http_req *r, http_resp *w)
{
	const char *name = r->params[0], *month = http_query(r, "month"), *as_of = http_query(r, "as_of");
	const char *param = NULL, **ids = NULL;
	const measure_label *l = label_of(name);
	json_t *o = NULL, *items, *item, *seq, *seen = json_object();
	html h = HTML_INIT(&w->body);
	sl_err err = {0};
	size_t i, j, n = 0;
	bool share, worker;
	buf title = BUF_INIT, value = BUF_INIT;
	int rc;

	if ((rc = measures_children(r->a, name, month, as_of, &o, &param, &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	items = json_object_get(o, "children");
	ids = xcalloc(json_array_size(items) + 1, sizeof(*ids));
	json_array_foreach(items, i, item) {
		const char *child = s_of(item, "child");
		if (child && !json_object_get(seen, child)) {
			json_object_set_new(seen, child, json_true());
			ids[n++] = child;
		}
	}
	if (n && (rc = http_record_access(r, ids, n, "GET /director/measures/{name}", NULL, &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	share = json_object_get(o, "denominator") != NULL;
	worker = json_array_size(items) && json_object_get(json_array_get(items, 0), "worker");
	if (l)
		buf_puts(&title, l->label);
	else if (strncmp(name, "open_alerts.", 12) == 0)
		buf_printf(&title, "Open alerts: %s", page_alert_name(name + 12));
	else if (strncmp(name, "alerts_raised.", 14) == 0)
		buf_printf(&title, "Alerts raised: %s", page_alert_name(name + 14));
	else
		buf_puts(&title, name);
	page_begin(&h, r, title.data, "director");
	html_lit(&h, "<a class=\"govuk-back-link\" href=\"/director\">Back to the dashboard</a>");
	html_lit(&h, "<h1 class=\"govuk-heading-l\">");
	html_text(&h, title.data);
	html_lit(&h, "</h1><p class=\"govuk-body\">");
	html_text(&h, s_of(o, "month"));
	html_lit(&h, ", as it stood on ");
	page_date(&h, s_of(o, "month_end"));
	html_lit(&h, ": ");
	if (json_is_integer(json_object_get(o, "value")))
		buf_printf(&value, "%lld", (long long)json_integer_value(json_object_get(o, "value")));
	else if (json_is_real(json_object_get(o, "value")))
		buf_printf(&value, "%.1f%s", json_real_value(json_object_get(o, "value")), share ? "%" : "");
	else
		buf_puts(&value, "nothing to measure");
	html_text(&h, value.data);
	if (share)
		html_textf(&h, " (%lld of %lld)", i_of(o, "numerator"), i_of(o, "denominator"));
	html_lit(&h, ". Events are the numbers of the record's events that put each child in the figure.</p>");
	if (json_array_size(items) == 0) {
		html_lit(&h, "<p class=\"govuk-body\">No child is behind this figure.</p>");
	} else {
		page_table_begin(&h, "The children behind the figure",
		                 share ? (const char *const[]){"Child", "Counted in the figure", "Events", NULL}
		                 : worker ? (const char *const[]){"Child", "Worker", "Events", NULL}
		                          : (const char *const[]){"Child", "Events", NULL});
		json_array_foreach(items, i, item) {
			buf ev = BUF_INIT;
			page_tr_begin(&h);
			page_td_begin(&h);
			if (s_of(item, "child"))
				page_child_link(&h, s_of(item, "child"), NULL);
			else
				html_lit(&h, "None named");
			page_td_end(&h);
			if (share)
				page_td(&h, json_is_true(json_object_get(item, "counted")) ? "Yes" : "No");
			else if (worker)
				page_td(&h, s_of(item, "worker"));
			json_array_foreach(json_object_get(item, "evidence"), j, seq)
				buf_printf(&ev, "%s%lld", j ? ", " : "", (long long)json_integer_value(seq));
			page_td(&h, buf_str(&ev));
			page_tr_end(&h);
			buf_release(&ev);
		}
		page_table_end(&h);
	}
	page_end(&h);
	rc = page_ok(w);
done:
	free(ids);
	json_decref(seen);
	json_decref(o);
	buf_release(&title);
	buf_release(&value);
	return rc;
}
