/*
 * child_page.c - the child's record page, /children/{id} (issue 6): the
 * summary, open alerts (acknowledged in one click) and concerns, the
 * chronology as a timeline picture and as a plain list with filters, the
 * family and household network as a diagram and a table, the record forms'
 * links, and the record "as recorded on" a date.
 *
 * Its rows carry HTTP_CHILD | HTTP_PAGE, so the server has already decided
 * that this user may read this child (sealed records need break-glass)
 * and written the read to the access log before any of this runs.  Every
 * fact comes from the read use cases of app/query.h; the handler only
 * checks its parameters through them and writes HTML through layout.h,
 * timeline.h and network.h.
 *
 * Filters (kind, agency, from, to) are a GET form, so the page works with
 * no JavaScript and a filtered view is a link.  The same filters narrow
 * the picture and the list.  The list shows QUERY_DEFAULT_LIMIT entries,
 * newest first, with a link to older ones (the chronology's cursor); each
 * entry has the id "e<seq>" that the timeline's marks link to.
 *
 * As of a date (?as_of=YYYY-MM-DD or /children/{id}/as-of/{date}): the
 * state comes from app_child_as_of (the rules fed only what was recorded
 * by the end of that day), and the chronology stops at the last event
 * recorded by then, without amendments approved later.  A banner says so.
 * A bad date is a GOV.UK error on the date field, with the record shown
 * as it is now.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "web/timeline.h"
#include "web/network.h"
#include "app/query.h"
#include "http/api.h"
#include "domain/vocab.h"
#include "util/date.h"

static const char *js(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- the timeline's events, from query_timeline ------------------------------------------- */

/* The index's kind and agency strings live only during the callback; the
 * few distinct ones are kept once each, found by a cheap key so that each
 * of 5,000 rows costs one string comparison per name.  The keys come in date
 * order, so a row's day is parsed only when its date differs from the
 * previous row's. */
#define INTERN_MAX 128
typedef struct tl_collect {
	timeline_event *ev;
	size_t n, cap;
	char *strings[INTERN_MAX];
	uint32_t hashes[INTERN_MAX];
	size_t n_strings;
	char last_date[10]; /* the previous row's YYYY-MM-DD, and its day */
	int32_t last_day;
	bool have_last;
} tl_collect;

/* Not a general hash: the length and three characters tell the dozen
 * kind and agency names apart, and strcmp confirms a match. */
static uint32_t name_key(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return 0;
	return (uint32_t)n ^ (uint32_t)(unsigned char)s[0] << 8 ^ (uint32_t)(unsigned char)s[n / 2] << 16 ^
	       (uint32_t)(unsigned char)s[n - 1] << 24;
}

static const char *intern(tl_collect *c, const char *s)
{
	uint32_t h;
	size_t i;

	if (!s)
		return NULL;
	h = name_key(s);
	for (i = 0; i < c->n_strings; i++)
		if (c->hashes[i] == h && strcmp(c->strings[i], s) == 0)
			return c->strings[i];
	if (c->n_strings == INTERN_MAX)
		return "other";
	c->hashes[c->n_strings] = h;
	return c->strings[c->n_strings++] = xstrdup(s);
}

static int day_of(const char *occ, int32_t *day)
{
	int v[8], y, m, d;
	static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};

	/* by hand, not sscanf: this runs once per event of the timeline */
	if (!occ || strlen(occ) < 10 || occ[4] != '-' || occ[7] != '-')
		return -1;
	for (int i = 0; i < 8; i++) {
		if (occ[at[i]] < '0' || occ[at[i]] > '9')
			return -1;
		v[i] = occ[at[i]] - '0';
	}
	y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	m = v[4] * 10 + v[5];
	d = v[6] * 10 + v[7];
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
		return -1;
	*day = date_from_ymd(y, m, d);
	return 0;
}

static int tl_cb(void *ctx, const store_chrono_key *k, sl_err *err)
{
	tl_collect *c = ctx;
	int32_t day;
	(void)err;

	/* last_date holds no NUL, so strncmp's equality also says occurred is that long */
	if (c->have_last && k->occurred && strncmp(k->occurred, c->last_date, sizeof(c->last_date)) == 0) {
		day = c->last_day; /* the same date as the row before: most rows of a long chronology */
	} else {
		if (day_of(k->occurred, &day))
			return 0; /* cannot be: occurred_at is validated; leave it out of the picture */
		memcpy(c->last_date, k->occurred, sizeof(c->last_date));
		c->last_day = day;
		c->have_last = true;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->ev = xrealloc(c->ev, c->cap * sizeof(*c->ev));
	}
	c->ev[c->n++] = (timeline_event){k->seq, day, intern(c, k->kind), intern(c, k->agency)};
	return 0;
}

static void tl_free(tl_collect *c)
{
	for (size_t i = 0; i < c->n_strings; i++)
		free(c->strings[i]);
	free(c->ev);
}

/* ---- what the request asks for ------------------------------------------------------------ */

typedef struct view {
	const char *child;
	const char *as_of;       /* a valid date, or NULL: now */
	const char *as_of_input; /* as typed, for the field */
	query_chrono_opts f;     /* the list's filters and cursor */
	page_errors errors;
	int status;
	json_t *summary, *asof, *chrono, *network;
	tl_collect tl;
} view;

/* The page's URL with the filters that are set, ending in '?' or '&', for
 * links that add one more parameter. */
static void view_url(buf *out, const view *v, bool with_dates)
{
	const char *names[] = {"as_of", "kind", "agency", "from", "to"};
	const char *values[] = {v->as_of, v->f.kind, v->f.agency, with_dates ? v->f.from : NULL,
	                        with_dates ? v->f.to : NULL};

	buf_puts(out, "/children/");
	html_url_part(out, v->child);
	buf_putc(out, '?');
	for (size_t i = 0; i < SL_ARRAY_LEN(names); i++) {
		if (!values[i] || !*values[i])
			continue;
		buf_printf(out, "%s=", names[i]);
		html_url_part(out, values[i]);
		buf_putc(out, '&');
	}
}

static bool absent(const char *s)
{
	return !s || !*s;
}

static int load(http_req *r, view *v, sl_err *err)
{
	const char *param = NULL;
	sl_err why = {0};
	/* Unfiltered and now (the usual view): the timeline's keys come with
	 * the summary's counts, from one walk of the child's events. */
	bool whole = absent(v->f.kind) && absent(v->f.agency) && absent(v->f.from) && absent(v->f.to) &&
	             absent(v->as_of_input);
	int rc;

	if ((rc = whole ? query_child_summary_timeline(r->a, v->child, tl_cb, &v->tl, &v->summary, err)
	                : query_child_summary(r->a, v->child, &v->summary, err)))
		return rc;
	if (v->as_of_input && *v->as_of_input) {
		rc = query_child_as_of(r->a, v->child, v->as_of_input, &v->asof, &param, &why);
		if (rc == SL_EINVAL || rc == SL_ENOTFOUND) {
			page_errors_add(&v->errors, "as_of", "%s",
			                rc == SL_EINVAL ? "Enter the date as year-month-day, for example 2024-03-01"
			                                : why.msg);
			v->status = rc == SL_EINVAL ? 400 : 404;
		} else if (rc) {
			*err = why;
			return rc;
		} else {
			v->as_of = v->as_of_input;
			v->f.max_seq = (uint64_t)json_integer_value(json_object_get(v->asof, "ledger_size"));
			if (v->f.max_seq == 0)
				v->f.max_seq = 1; /* an empty ledger then: show nothing, not everything */
		}
	}
	rc = query_chronology(r->a, v->child, &v->f, &v->chrono, &param, &why);
	if (rc == SL_EINVAL && param) {
		page_errors_add(&v->errors, param, "%s", why.msg);
		v->status = 400;
	} else if (rc) {
		*err = why;
		return rc;
	} else if (!whole && (rc = query_timeline(r->a, v->child, &v->f, tl_cb, &v->tl, NULL, err))) {
		return rc;
	}
	/* the network as it stood then too: links and risk flags by that seq */
	if ((rc = v->as_of ? query_network_at(r->a, v->child, v->f.max_seq, &v->network, err)
	                   : query_network(r->a, v->child, &v->network, err)))
		return rc;
	return 0;
}

/* ---- the parts of the page ------------------------------------------------------------------ */

static const char *name_of(const json_t *s, const char *child)
{
	const char *name = js(s, "name");
	return name && *name ? name : child;
}

static void age_text(buf *out, const char *born, int32_t today)
{
	int32_t b;
	int by, bm, bd, ty, tm, td, years;

	if (day_of(born, &b))
		return;
	date_to_ymd(b, &by, &bm, &bd);
	date_to_ymd(today, &ty, &tm, &td);
	years = ty - by - (tm < bm || (tm == bm && td < bd));
	if (years < 0)
		return;
	if (years >= 2)
		buf_printf(out, " (age %d)", years);
	else
		buf_printf(out, " (age %d months)", (ty - by) * 12 + tm - bm - (td < bd));
}

static void summary_list(html *h, const view *v, int32_t today)
{
	const json_t *s = v->summary, *c = json_object_get(s, "case"), *plan = json_object_get(s, "cp_plan"),
	             *cin = json_object_get(s, "cin_plan"), *lac = json_object_get(s, "looked_after"),
	             *al = json_object_get(s, "allocation"), *counts = json_object_get(s, "counts"), *p, *k;
	char d1[PAGE_DATE_MAX], d2[PAGE_DATE_MAX];
	buf t = BUF_INIT;
	size_t i, j;
	bool any = false;

	page_summary_begin(h);
	page_summary_row(h, "Name", js(s, "name"));
	page_summary_row(h, "Record", v->child);
	if (js(s, "born")) {
		buf_puts(&t, page_date_format(js(s, "born"), d1));
		age_text(&t, js(s, "born"), today);
	} else if (js(s, "expected")) {
		buf_printf(&t, "Unborn: expected %s", page_date_format(js(s, "expected"), d1));
	}
	page_summary_row(h, "Date of birth", t.data);
	page_summary_row(h, "Gender", js(s, "gender"));
	page_summary_row(h, "NHS number", js(s, "nhs_number"));
	buf_reset(&t);
	if (json_is_object(c)) {
		if (json_is_true(json_object_get(c, "open")))
			buf_printf(&t, "Open since %s", page_date_format(js(c, "opened_on"), d1));
		else
			buf_printf(&t, "Closed on %s (%s)", page_date_format(js(c, "closed_on"), d1),
			           js(c, "reason") ? js(c, "reason") : "no reason recorded");
	} else {
		buf_puts(&t, "No case has been opened");
	}
	page_summary_row(h, "Case", t.data);
	/* legal status: each that applies, on its own line */
	page_summary_row_begin(h, "Legal status");
	if (json_is_object(plan)) {
		html_textf(h, "Child protection plan since %s", page_date_format(js(plan, "since"), d1));
		if (js(plan, "category"))
			html_textf(h, " (%s)", js(plan, "category"));
		any = true;
	}
	if (json_is_object(cin)) {
		if (any)
			html_lit(h, "<br>");
		html_textf(h, "Child in need plan since %s", page_date_format(js(cin, "since"), d1));
		any = true;
	}
	if (json_is_object(lac)) {
		if (any)
			html_lit(h, "<br>");
		html_textf(h, "Looked after since %s", page_date_format(js(lac, "since"), d1));
		if (js(lac, "legal_status"))
			html_textf(h, " (%s)", js(lac, "legal_status"));
		any = true;
	}
	if (!any)
		html_text(h, "No plan; not looked after");
	page_summary_row_end(h);
	/* every CP plan with its category changes, oldest first */
	page_summary_row_begin(h, "Plan and category history");
	if (json_array_size(json_object_get(s, "cp_plans")) == 0)
		html_text(h, "No child protection plan");
	else
		html_lit(h, "<ul class=\"govuk-list\">");
	json_array_foreach(json_object_get(s, "cp_plans"), i, p) {
		html_lit(h, "<li>");
		html_textf(h, "Plan from %s", page_date_format(js(p, "since"), d1));
		if (js(p, "until"))
			html_textf(h, " to %s", page_date_format(js(p, "until"), d2));
		else
			html_text(h, " (live)");
		json_array_foreach(json_object_get(p, "categories"), j, k)
			html_textf(h, "%s %s from %s", j ? ";" : ":", js(k, "category") ? js(k, "category") : "",
			           page_date_format(js(k, "from"), d1));
		html_lit(h, "</li>");
	}
	if (json_array_size(json_object_get(s, "cp_plans")))
		html_lit(h, "</ul>");
	page_summary_row_end(h);
	buf_reset(&t);
	if (json_is_object(al))
		buf_printf(&t, "%s%s%s%s, since %s", js(al, "worker"), js(al, "team") ? " (team " : "",
		           js(al, "team") ? js(al, "team") : "", js(al, "team") ? ")" : "",
		           page_date_format(js(al, "since"), d1));
	else
		buf_puts(&t, "Not allocated");
	page_summary_row(h, "Allocated worker", t.data);
	page_summary_row_begin(h, "Last seen");
	page_date(h, js(counts, "last_seen"));
	page_summary_row_end(h);
	buf_reset(&t);
	buf_printf(&t, "Events: %lld; visits: %lld (seen: %lld); injuries: %lld; missing episode events: %lld",
	           (long long)json_integer_value(json_object_get(counts, "events")),
	           (long long)json_integer_value(json_object_get(counts, "visits")),
	           (long long)json_integer_value(json_object_get(counts, "visits_seen")),
	           (long long)json_integer_value(json_object_get(counts, "injuries")),
	           (long long)json_integer_value(json_object_get(counts, "missing_episodes")));
	page_summary_row(h, "In the record", t.data);
	page_summary_end(h);
	buf_release(&t);
}

/* The state as recorded on the date (app_child_as_of's answer). */
static void as_of_summary(html *h, const view *v)
{
	const json_t *s = v->asof, *c = json_object_get(s, "case"), *plan = json_object_get(s, "cp_plan"),
	             *lac = json_object_get(s, "looked_after"), *x;
	char d1[PAGE_DATE_MAX];
	buf t = BUF_INIT;
	size_t i;

	page_summary_begin(h);
	if (json_is_true(json_object_get(c, "open")))
		buf_printf(&t, "Open since %s", page_date_format(js(c, "opened_on"), d1));
	else
		buf_puts(&t, "Not open");
	page_summary_row(h, "Case", t.data);
	page_summary_row(h, "Allocated worker", js(c, "worker") ? js(c, "worker") : "Not allocated");
	buf_reset(&t);
	if (json_is_object(plan))
		buf_printf(&t, "Child protection plan since %s%s%s%s", page_date_format(js(plan, "since"), d1),
		           js(plan, "category") ? " (" : "", js(plan, "category") ? js(plan, "category") : "",
		           js(plan, "category") ? ")" : "");
	if (json_is_true(json_object_get(s, "cin_plan")))
		buf_printf(&t, "%sChild in need plan", t.len ? "; " : "");
	if (json_is_object(lac))
		buf_printf(&t, "%sLooked after since %s", t.len ? "; " : "", page_date_format(js(lac, "since"), d1));
	page_summary_row(h, "Legal status", t.len ? t.data : "No plan; not looked after");
	buf_reset(&t);
	buf_printf(&t, "%lld", (long long)json_integer_value(json_object_get(s, "previous_cp_plans")));
	page_summary_row(h, "Earlier child protection plans", t.data);
	page_summary_row_begin(h, "Last seen");
	page_date(h, js(s, "last_seen"));
	page_summary_row_end(h);
	page_summary_row_begin(h, "Due then");
	if (json_array_size(json_object_get(s, "due")) == 0)
		html_text(h, "Nothing");
	json_array_foreach(json_object_get(s, "due"), i, x) {
		if (i)
			html_lit(h, "<br>");
		html_textf(h, "%s by %s", page_alert_name(js(x, "rule")), page_date_format(js(x, "due"), d1));
	}
	page_summary_row_end(h);
	buf_reset(&t);
	buf_printf(&t, "%lld", (long long)json_integer_value(json_object_get(s, "events")));
	page_summary_row(h, "Events recorded by then", t.data);
	page_summary_end(h);
	buf_release(&t);
}

static void ack_button(html *h, const http_req *r, const char *ref, const char *back)
{
	char label[HTML_FMT_MAX + 64];

	html_open(h, "form", "method", "post", "action", "/alerts/ack", "class", "app-inline-form", NULL);
	page_csrf(h, r);
	html_void(h, "input", "type", "hidden", "name", "alert", "value", ref, NULL);
	html_void(h, "input", "type", "hidden", "name", "next", "value", back, NULL);
	snprintf(label, sizeof(label), "Acknowledge %s", ref);
	html_open(h, "button", "type", "submit", "class", "govuk-button govuk-button--secondary govuk-!-margin-bottom-0",
	          "data-module", "govuk-button", "aria-label", label, NULL);
	html_text(h, "Acknowledge");
	html_lit(h, "</button></form>");
}

static void alerts_table(html *h, const http_req *r, const view *v, const json_t *alerts, bool as_of)
{
	static const char *const heads[] = {"Alert", "Raised", "Reason", "State", "", NULL};
	static const char *const heads_then[] = {"Alert", "Raised", "State then", NULL};
	bool may_ack = !as_of && api_may_record(r->user->role, "alert.acknowledged");
	buf back = BUF_INIT;
	const json_t *a;
	size_t i;

	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"alerts\">Open alerts</h2>");
	if (json_array_size(alerts) == 0) {
		html_elem(h, "p", as_of ? "No alerts had been raised by then." : "No open alerts.", "class", "govuk-body",
		          NULL);
		return;
	}
	buf_puts(&back, "/children/");
	html_url_part(&back, v->child);
	page_table_begin(h, NULL, as_of ? heads_then : heads);
	json_array_foreach(alerts, i, a) {
		page_tr_begin(h);
		page_td_begin(h);
		page_alert_tag(h, js(a, "code"));
		page_td_end(h);
		page_td_begin(h);
		page_date(h, js(a, "raised_on"));
		page_td_end(h);
		if (!as_of)
			page_td(h, js(a, "reason"));
		page_td(h, js(a, "state"));
		if (!as_of) {
			page_td_begin(h);
			if (may_ack && strcmp(js(a, "state") ? js(a, "state") : "", "open") == 0)
				ack_button(h, r, js(a, "ref"), back.data);
			page_td_end(h);
		}
		page_tr_end(h);
	}
	page_table_end(h);
	buf_release(&back);
}

static void concerns_table(html *h, const json_t *concerns)
{
	static const char *const heads[] = {"Raised", "Category", "Significant harm", "Summary", NULL};
	const json_t *k;
	size_t i;

	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"concerns\">Open concerns</h2>");
	if (json_array_size(concerns) == 0) {
		html_elem(h, "p", "No open concerns.", "class", "govuk-body", NULL);
		return;
	}
	page_table_begin(h, NULL, heads);
	json_array_foreach(concerns, i, k) {
		page_tr_begin(h);
		page_td_begin(h);
		page_date(h, js(k, "raised_on"));
		page_td_end(h);
		page_td(h, js(k, "category"));
		page_td(h, json_is_true(json_object_get(k, "significant_harm")) ? "Yes" : "No");
		page_td(h, js(k, "summary") ? js(k, "summary") : "See the chronology");
		page_tr_end(h);
	}
	page_table_end(h);
}

/* The record forms (record.c), for roles that record. */
/* The record forms this user may use (record.c decides, with api_may_record). */
static void record_links(html *h, const http_req *r, const char *child)
{
	if (!(PAGE_ROLES_RECORD & HTTP_ROLE(r->user->role)))
		return;
	html_lit(h, "<h2 class=\"govuk-heading-m\">Record</h2>");
	page_record_links(h, r, child);
}

static void filters_form(html *h, const view *v)
{
	page_option *kinds = xcalloc(vocab_kind_count() + 1, sizeof(*kinds));
	page_option *agencies = xcalloc(vocab_agency_count() + 1, sizeof(*agencies));
	buf action = BUF_INIT;
	size_t i;

	kinds[0] = (page_option){"", "All kinds", NULL};
	for (i = 0; i < vocab_kind_count(); i++)
		kinds[i + 1] = (page_option){vocab_kind_name(i), timeline_kind_label(vocab_kind_name(i)), NULL};
	agencies[0] = (page_option){"", "All agencies", NULL};
	for (i = 0; i < vocab_agency_count(); i++)
		agencies[i + 1] = (page_option){vocab_agency_name(i), timeline_agency_label(vocab_agency_name(i)), NULL};
	buf_puts(&action, "/children/");
	html_url_part(&action, v->child);
	html_open(h, "form", "method", "get", "action", action.data, "class", "app-filters", "novalidate", "", NULL);
	if (v->as_of)
		html_void(h, "input", "type", "hidden", "name", "as_of", "value", v->as_of, NULL);
	html_lit(h, "<fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__legend govuk-fieldset__legend--s\">"
	            "Filter the chronology</legend>");
	page_select(h, &v->errors, &(page_field){.name = "kind", .label = "Kind of event", .value = v->f.kind}, kinds,
	            vocab_kind_count() + 1);
	page_select(h, &v->errors, &(page_field){.name = "agency", .label = "Agency", .value = v->f.agency}, agencies,
	            vocab_agency_count() + 1);
	page_input(h, &v->errors,
	           &(page_field){.name = "from", .label = "From", .hint = "For example, 2024-03-01", .value = v->f.from,
	                         .width = "govuk-input--width-10"});
	page_input(h, &v->errors,
	           &(page_field){.name = "to", .label = "To", .hint = "For example, 2024-03-31", .value = v->f.to,
	                         .width = "govuk-input--width-10"});
	page_button_secondary(h, "Filter");
	html_lit(h, "</fieldset></form><p class=\"govuk-body\">");
	buf_reset(&action);
	view_url(&action, &(view){.child = v->child, .as_of = v->as_of}, false);
	buf_truncate(&action, action.len - 1); /* the trailing '?' or '&' */
	page_link(h, action.data, "Clear the filters");
	html_lit(h, "</p>");
	buf_release(&action);
	free(kinds);
	free(agencies);
}

static void by_text(buf *out, const json_t *by)
{
	if (js(by, "user")) {
		buf_puts(out, js(by, "user"));
		return;
	}
	if (js(by, "name"))
		buf_printf(out, "%s, ", js(by, "name"));
	if (js(by, "role"))
		buf_printf(out, "%s, ", js(by, "role"));
	buf_puts(out, timeline_agency_label(js(by, "agency")) ? timeline_agency_label(js(by, "agency")) : "unknown");
}

/* An amended entry: what was approved, and the original values. */
static void amendment_details(html *h, http_req *r, uint64_t seq, uint64_t until)
{
	json_t *ev = NULL, *am;
	sl_err err = {0};
	const char *key;
	json_t *value;
	size_t i;

	if (query_event(r->a, seq, &ev, &err))
		return; /* the entry still says it was amended */
	html_lit(h, "<details class=\"govuk-details govuk-!-margin-bottom-2\"><summary class=\"govuk-details__summary\">"
	            "<span class=\"govuk-details__summary-text\">See the original</span></summary>"
	            "<div class=\"govuk-details__text\">");
	json_array_foreach(json_object_get(ev, "amendments"), i, am) {
		if (until && (uint64_t)json_integer_value(json_object_get(am, "approved")) > until)
			continue;
		html_open(h, "p", "class", "govuk-body-s", NULL);
		html_textf(h, "Amendment requested by %s (event %lld), approved in event %lld. Before it:",
		           js(am, "requested_by") ? js(am, "requested_by") : "unknown",
		           (long long)json_integer_value(json_object_get(am, "request")),
		           (long long)json_integer_value(json_object_get(am, "approved")));
		html_lit(h, "</p><ul class=\"govuk-list govuk-body-s\">");
		json_object_foreach(json_object_get(am, "original"), key, value) {
			char *text = json_is_string(value) ? NULL : json_dumps(value, JSON_ENCODE_ANY);
			html_lit(h, "<li>");
			html_textf(h, "%s: %s", key, json_is_string(value) ? json_string_value(value) : text ? text : "");
			html_lit(h, "</li>");
			free(text);
		}
		html_lit(h, "</ul>");
	}
	html_lit(h, "</div></details>");
	json_decref(ev);
}

static void chronology_list(html *h, http_req *r, const view *v)
{
	/* a correction is asked of the record as it is now, not of an as-of view */
	bool may_amend = !v->as_of && r->user && api_may_record(r->user->role, "amendment.requested");
	const json_t *items = json_object_get(v->chrono, "items"), *it;
	const char *next = js(v->chrono, "next");
	char d1[PAGE_DATE_MAX], d2[PAGE_DATE_MAX];
	buf t = BUF_INIT;
	size_t i;

	html_lit(h, "<h3 class=\"govuk-heading-s\" id=\"chronology-list\">Entries, newest first</h3>");
	if (json_array_size(items) == 0) {
		html_elem(h, "p", "No entries match.", "class", "govuk-body", NULL);
		return;
	}
	html_lit(h, "<ol class=\"govuk-list app-chronology\">");
	json_array_foreach(items, i, it) {
		uint64_t seq = (uint64_t)json_integer_value(json_object_get(it, "seq"));
		buf_reset(&t);
		buf_printf(&t, "e%llu", (unsigned long long)seq);
		html_open(h, "li", "id", t.data, "class", "app-chronology__item", NULL);
		html_lit(h, "<p class=\"govuk-body govuk-!-margin-bottom-1\"><strong>");
		html_text(h, page_date_format(js(it, "occurred_at"), d1));
		html_lit(h, "</strong> ");
		html_text(h, timeline_kind_label(js(it, "kind")));
		html_lit(h, " ");
		page_tag(h, timeline_agency_label(js(it, "agency")), "grey");
		if (json_is_true(json_object_get(it, "amended"))) {
			html_lit(h, " ");
			page_tag(h, "Amended", "yellow");
		}
		html_lit(h, "</p>");
		html_elem(h, "p", js(it, "summary"), "class", "govuk-body govuk-!-margin-bottom-1", NULL);
		buf_reset(&t);
		buf_printf(&t, "Event %llu, by ", (unsigned long long)seq);
		by_text(&t, json_object_get(it, "by"));
		buf_printf(&t, "; recorded %s", page_date_format(js(it, "recorded_at"), d2));
		html_elem(h, "p", t.data, "class", "govuk-body-s app-chronology__meta", NULL);
		if (may_amend) {
			buf_reset(&t);
			buf_puts(&t, "/children/");
			html_url_part(&t, v->child);
			buf_printf(&t, "/events/%llu/amend", (unsigned long long)seq);
			html_lit(h, "<p class=\"govuk-body-s govuk-!-margin-bottom-1\">");
			page_link(h, t.data, "Ask for a correction");
			html_lit(h, "</p>");
		}
		if (json_is_true(json_object_get(it, "amended")))
			amendment_details(h, r, seq, v->f.max_seq);
		html_lit(h, "</li>");
	}
	html_lit(h, "</ol>");
	if (next) {
		buf_reset(&t);
		view_url(&t, v, true);
		buf_puts(&t, "cursor=");
		html_url_part(&t, next);
		buf_puts(&t, "#chronology-list");
		html_lit(h, "<p class=\"govuk-body\">");
		page_link(h, t.data, "Older entries");
		html_lit(h, "</p>");
	}
	buf_release(&t);
}

static void as_of_banner(html *h, const view *v)
{
	char d1[PAGE_DATE_MAX];
	buf now = BUF_INIT;

	html_lit(h, "<div class=\"govuk-notification-banner\" role=\"region\" aria-labelledby=\"as-of-title\">"
	            "<div class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__title\" "
	            "id=\"as-of-title\">As recorded then</h2></div><div class=\"govuk-notification-banner__content\">"
	            "<p class=\"govuk-notification-banner__heading\">");
	html_textf(h, "You are looking at the record as it stood at the end of %s.",
	           page_date_format(v->as_of, d1));
	html_lit(h, "</p><p class=\"govuk-body\">Entries recorded later, and corrections approved later, are not "
	            "shown. ");
	buf_puts(&now, "/children/");
	html_url_part(&now, v->child);
	html_elem(h, "a", "See the record now", "class", "govuk-notification-banner__link", "href", now.data, NULL);
	html_lit(h, "</p></div></div>");
	buf_release(&now);
}

static void as_of_form(html *h, const view *v)
{
	buf action = BUF_INIT;

	buf_puts(&action, "/children/");
	html_url_part(&action, v->child);
	html_open(h, "form", "method", "get", "action", action.data, "novalidate", "", NULL);
	page_input(h, &v->errors,
	           &(page_field){.name = "as_of", .label = "See the record as it was recorded on a date",
	                         .hint = "For example, 2024-03-01", .value = v->as_of_input,
	                         .width = "govuk-input--width-10"});
	page_button_secondary(h, "Show the record then");
	html_lit(h, "</form>");
	buf_release(&action);
}

static void render(html *h, http_req *r, view *v, const char *acknowledged, const char *recorded)
{
	const char *name = name_of(v->summary, v->child);
	timeline_opts to = {"tl", name, NULL};
	buf t = BUF_INIT;

	buf_puts(&t, v->errors.n ? "Error: " : "");
	buf_puts(&t, name);
	if (v->as_of)
		buf_printf(&t, " as recorded on %s", v->as_of);
	page_begin(h, r, t.data, NULL);
	page_error_summary(h, &v->errors);
	if (acknowledged && *acknowledged && !v->errors.n) {
		buf_reset(&t);
		buf_printf(&t, "Alert %s acknowledged", acknowledged);
		page_success_banner(h, t.data);
	} else if (recorded && strcmp(recorded, "amendment") == 0 && !v->errors.n) {
		page_success_banner(h, "Your request for a correction was sent: a senior manager decides it, and the "
		                       "record shows the change only once it is approved.");
	} else if (recorded && *recorded && !v->errors.n) {
		buf_reset(&t);
		buf_printf(&t, "Recorded: %s", recorded);
		page_success_banner(h, t.data);
	}
	if (v->as_of)
		as_of_banner(h, v);
	html_lit(h, "<span class=\"govuk-caption-l\">Child record</span>");
	html_elem(h, "h1", name, "class", "govuk-heading-l", NULL);
	html_lit(h, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
	if (v->as_of)
		as_of_summary(h, v);
	else
		summary_list(h, v, app_today(r->a));
	html_lit(h, "</div><div class=\"govuk-grid-column-one-third\">");
	if (!v->as_of)
		record_links(h, r, v->child);
	as_of_form(h, v);
	html_lit(h, "</div></div>");
	alerts_table(h, r, v, json_object_get(v->as_of ? v->asof : v->summary, v->as_of ? "alerts" : "open_alerts"),
	             v->as_of != NULL);
	if (!v->as_of)
		concerns_table(h, json_object_get(v->summary, "open_concerns"));

	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"chronology\">Chronology</h2>");
	filters_form(h, v);
	if (v->chrono) {
		buf_reset(&t);
		view_url(&t, v, false);
		to.link_base = t.data;
		html_lit(h, "<a href=\"#chronology-list\" class=\"govuk-link govuk-body-s\">Skip the timeline picture</a>"
		            "<figure class=\"app-figure\">");
		timeline_svg(h, v->tl.ev, v->tl.n, &to);
		html_lit(h, "</figure>");
		chronology_list(h, r, v);
	}
	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"network\">Family and household network</h2>");
	if (v->as_of)
		html_elem(h, "p", "As it stood then: the links made and not yet ended, and the risk flags raised and not yet "
		                  "cleared, by that day. Names and dates of birth are as recorded now.",
		          "class", "govuk-body", NULL);
	html_lit(h, "<a href=\"#net-table\" class=\"govuk-link govuk-body-s\">Skip the network picture</a>"
	            "<figure class=\"app-figure\">");
	network_svg(h, v->network, &(network_opts){"net"});
	html_lit(h, "</figure><div id=\"net-table\">");
	network_table(h, v->network, &(network_opts){"net"});
	html_lit(h, "</div>");
	page_end(h);
	buf_release(&t);
}

int page_child_write(http_req *r, const page_child_query *q, http_resp *w)
{
	view v = {.child = r->params[0], .as_of_input = q->as_of, .status = 200};
	html h = HTML_INIT(&w->body);
	sl_err err = {0};
	int rc;

	v.f = (query_chrono_opts){q->kind, q->agency, q->from, q->to, "newest", q->cursor, NULL, 0};
	if ((rc = load(r, &v, &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	render(&h, r, &v, q->acknowledged, q->recorded);
	rc = page_send(w, v.status);
done:
	json_decref(v.summary);
	json_decref(v.asof);
	json_decref(v.chrono);
	json_decref(v.network);
	tl_free(&v.tl);
	return rc;
}

static int child_page(http_req *r, http_resp *w, const char *as_of)
{
	page_child_query q = {as_of,
	                      http_query(r, "kind"),
	                      http_query(r, "agency"),
	                      http_query(r, "from"),
	                      http_query(r, "to"),
	                      http_query(r, "cursor"),
	                      http_query(r, "acknowledged"),
	                      http_query(r, "recorded")};
	return page_child_write(r, &q, w);
}

int page_child(http_req *r, http_resp *w)
{
	return child_page(r, w, http_query(r, "as_of"));
}

int page_child_as_of(http_req *r, http_resp *w)
{
	return child_page(r, w, r->n_params > 1 ? r->params[1] : NULL);
}
