/*
 * layout.c - the page frame and the GOV.UK pieces (layout.h).
 *
 * The markup follows govuk-frontend 5's templates (template.njk, the
 * header, service navigation, error summary, summary list, table, tag,
 * radios, checkboxes, date input), written through html.h.  What the
 * template does inline is moved out, because the Content-Security-Policy
 * allows no inline script or style: the `js-enabled` class is set by
 * /assets/app.js, a module script, which also starts govuk-frontend's
 * components.  Without JavaScript every page works as it is: navigation
 * is a plain list of links, signing out a one-button form.
 */
#include "util/common.h"
#include "web/layout.h"

#include <stdarg.h>

/* The asset links carry the version so that they can be cached for a
 * year (assets.c) and still change with a new release. */
#define ASSET_QUERY "?v=" SL_VERSION

/* ---- navigation ---------------------------------------------------------------------- */

static const struct {
	const char *id, *label, *href;
	unsigned roles;
} nav[] = {
	{"my-work", "My work", "/my-work", PAGE_ROLES_MY_WORK},
	{"team", "Team", "/team", PAGE_ROLES_TEAM},
	{"director", "Director", "/director", PAGE_ROLES_DIRECTOR},
	{"partner", "Partner", "/partner", PAGE_ROLES_PARTNER},
	{"reviewer", "Reviewer", "/reviewer", PAGE_ROLES_REVIEWER},
};

const char *page_home(auth_role role)
{
	size_t i;
	/* the director's own dashboard before the team pages they may also use */
	if (role == ROLE_DIRECTOR)
		return "/director";
	for (i = 0; i < SL_ARRAY_LEN(nav); i++)
		if (nav[i].roles & HTTP_ROLE(role))
			return nav[i].href;
	return "/";
}

static void navigation(html *h, const http_req *r, const char *active)
{
	size_t i;

	html_lit(h, "<div class=\"govuk-service-navigation\" data-module=\"govuk-service-navigation\">"
	            "<div class=\"govuk-width-container\"><div class=\"govuk-service-navigation__container\">"
	            "<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\">"
	            "<button type=\"button\" class=\"govuk-service-navigation__toggle "
	            "govuk-js-service-navigation-toggle\" aria-controls=\"navigation\" hidden aria-hidden=\"true\">"
	            "Menu</button><ul class=\"govuk-service-navigation__list\" id=\"navigation\">");
	for (i = 0; i < SL_ARRAY_LEN(nav); i++) {
		bool on = active && strcmp(active, nav[i].id) == 0;
		if (!(nav[i].roles & HTTP_ROLE(r->user->role)))
			continue;
		html_open(h, "li", "class",
		          on ? "govuk-service-navigation__item govuk-service-navigation__item--active"
		             : "govuk-service-navigation__item",
		          NULL);
		html_open(h, "a", "class", "govuk-service-navigation__link", "href", nav[i].href, "aria-current",
		          on ? "page" : NULL, NULL);
		if (on)
			html_elem(h, "strong", nav[i].label, "class", "govuk-service-navigation__active-fallback", NULL);
		else
			html_text(h, nav[i].label);
		html_lit(h, "</a></li>");
	}
	/* signing out changes state, so it is a POST with the CSRF token */
	html_lit(h, "<li class=\"govuk-service-navigation__item app-sign-out\">"
	            "<form method=\"post\" action=\"/sign-out\" class=\"app-sign-out__form\">");
	page_csrf(h, r);
	html_lit(h, "<button type=\"submit\" class=\"govuk-service-navigation__link app-sign-out__button\">");
	html_text(h, "Sign out");
	html_lit(h, "</button></form></li></ul></nav></div></div></div>");
}

void page_begin(html *h, const http_req *r, const char *title, const char *active_nav)
{
	html_lit(h, "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template govuk-template--rebranded\">"
	            "<head><meta charset=\"utf-8\"><title>");
	html_text(h, title);
	html_lit(h, " - safeledger</title>"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">"
	            "<meta name=\"theme-color\" content=\"#1d70b8\">"
	            "<link rel=\"icon\" sizes=\"48x48\" href=\"/assets/rebrand/images/favicon.ico\">"
	            "<link rel=\"stylesheet\" href=\"/assets/govuk-frontend.min.css" ASSET_QUERY "\">"
	            "<link rel=\"stylesheet\" href=\"/assets/app.css" ASSET_QUERY "\">"
	            "<script type=\"module\" src=\"/assets/app.js" ASSET_QUERY "\"></script>"
	            "</head><body class=\"govuk-template__body\">"
	            "<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">"
	            "Skip to main content</a>"
	            "<header class=\"govuk-header\" data-module=\"govuk-header\">"
	            "<div class=\"govuk-header__container govuk-width-container\"><div class=\"govuk-header__logo\">"
	            "<a href=\"/\" class=\"govuk-header__link govuk-header__link--homepage\">"
	            "<span class=\"govuk-header__product-name app-header__name\">safeledger</span></a></div>");
	if (r && r->user) {
		html_lit(h, "<div class=\"app-header__user\">");
		html_text(h, r->user->name[0] ? r->user->name : r->user->login);
		html_lit(h, " <span class=\"app-header__role\">(");
		html_text(h, auth_role_name(r->user->role));
		html_lit(h, ")</span></div>");
	}
	html_lit(h, "</div></header>");
	if (r && r->user)
		navigation(h, r, active_nav);
	html_lit(h, "<div class=\"govuk-width-container\">"
	            "<main class=\"govuk-main-wrapper\" id=\"main-content\">");
}

void page_end(html *h)
{
	html_lit(h, "</main></div><footer class=\"govuk-footer\"><div class=\"govuk-width-container\">"
	            "<div class=\"govuk-footer__meta\"><div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\">"
	            "<p class=\"govuk-body-s\">safeledger " SL_VERSION
	            ": every entry is kept in a tamper-evident log; every read of a child&#39;s record is logged."
	            "</p></div></div></div></footer></body></html>\n");
}

/* ---- responses ----------------------------------------------------------------------- */

int page_send(http_resp *w, int status)
{
	w->status = status;
	w->content_type = "text/html; charset=utf-8";
	return status;
}

int page_ok(http_resp *w)
{
	return page_send(w, 200);
}

int page_redirect(http_resp *w, const char *location)
{
	bool local = location && location[0] == '/' && location[1] != '/' && location[1] != '\\';

	if (!local || http_resp_header(w, "Location", location) != 0)
		http_resp_header(w, "Location", "/");
	buf_reset(&w->body);
	w->status = 303;
	w->content_type = "text/plain; charset=utf-8";
	buf_puts(&w->body, "See Other\n");
	return 303;
}

static const char *status_heading(int status)
{
	switch (status) {
	case 400: return "There is a problem with the request";
	case 401: return "Sign in to continue";
	case 403: return "You cannot see this page";
	case 404: return "Page not found";
	case 409: return "This cannot be done now";
	case 422: return "There is a problem";
	case 429: return "Too many attempts";
	case 503: return "Sorry, the service is unavailable";
	default: return status >= 500 ? "Sorry, there is a problem with the service" : "There is a problem";
	}
}

int page_error(const http_req *r, http_resp *w, int status, const char *message)
{
	html h = HTML_INIT(&w->body);
	const char *heading = status_heading(status);

	buf_reset(&w->body);
	page_begin(&h, r, heading, NULL);
	html_elem(&h, "h1", heading, "class", "govuk-heading-l", NULL);
	if (message)
		html_elem(&h, "p", message, "class", "govuk-body", NULL);
	html_lit(&h, "<p class=\"govuk-body\">");
	page_link(&h, r && r->user ? page_home(r->user->role) : "/sign-in",
	          r && r->user ? "Go to your start page" : "Sign in");
	html_lit(&h, "</p>");
	page_end(&h);
	return page_send(w, status);
}

int page_error_err(const http_req *r, http_resp *w, const sl_err *err)
{
	switch (err->code) {
	case SL_EINVAL: return page_error(r, w, 400, err->msg);
	case SL_ENOTFOUND: return page_error(r, w, 404, err->msg);
	case SL_EDENIED: return page_error(r, w, 403, err->msg);
	case SL_ECONFLICT: return page_error(r, w, 409, err->msg);
	default:
		free(w->log_detail);
		w->log_detail = xstrdup(err->msg[0] ? err->msg : "unknown error");
		return page_error(r, w, 500, "The server could not complete the request; it has been logged.");
	}
}

/* ---- text ---------------------------------------------------------------------------- */

void page_link(html *h, const char *href, const char *text)
{
	html_elem(h, "a", text, "class", "govuk-link", "href", href, NULL);
}

void page_child_link(html *h, const char *child, const char *text)
{
	buf url = BUF_INIT;

	buf_puts(&url, "/children/");
	html_url_part(&url, child);
	page_link(h, url.data, text && *text ? text : child);
	buf_release(&url);
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

const char *page_date_format(const char *iso, char out[PAGE_DATE_MAX])
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int m, d;

	if (!iso || strlen(iso) < 10 || !digits(iso, 4) || iso[4] != '-' || !digits(iso + 5, 2) || iso[7] != '-' ||
	    !digits(iso + 8, 2)) {
		snprintf(out, PAGE_DATE_MAX, "%s", iso ? iso : "");
		return out;
	}
	m = (iso[5] - '0') * 10 + (iso[6] - '0');
	d = (iso[8] - '0') * 10 + (iso[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > 31) {
		snprintf(out, PAGE_DATE_MAX, "%s", iso);
		return out;
	}
	snprintf(out, PAGE_DATE_MAX, "%d %s %.4s", d, months[m - 1], iso);
	return out;
}

void page_date(html *h, const char *iso)
{
	char text[PAGE_DATE_MAX];

	if (!iso || !*iso) {
		html_text(h, "Not recorded");
		return;
	}
	html_open(h, "time", "datetime", iso, NULL);
	html_text(h, page_date_format(iso, text));
	html_close(h, "time");
}

/* ---- tags ---------------------------------------------------------------------------- */

void page_tag(html *h, const char *text, const char *colour)
{
	static const char *const colours[] = {"grey", "green", "turquoise", "blue", "light-blue", "purple",
	                                      "pink", "red", "orange", "yellow"};
	char cls[HTML_FMT_MAX];
	const char *c = NULL;

	for (size_t i = 0; colour && i < SL_ARRAY_LEN(colours); i++)
		if (strcmp(colours[i], colour) == 0)
			c = colours[i];
	html_elem(h, "strong", text, "class", c ? html_fmt(cls, "govuk-tag govuk-tag--%s", c) : "govuk-tag", NULL);
}

/* DESIGN 6: each code's short name and its family's colour. */
static const struct {
	const char *code, *name, *colour;
} alert_names[] = {
	{"LATE_REFERRAL_DECISION", "Late referral decision", "orange"},
	{"LATE_ASSESSMENT", "Late assessment", "orange"},
	{"LATE_ICPC", "Late initial conference", "orange"},
	{"LATE_REVIEW_CONFERENCE", "Late review conference", "orange"},
	{"LATE_CORE_GROUP", "Late core group", "orange"},
	{"LATE_VISIT", "Late visit", "orange"},
	{"NONMOBILE_INJURY", "Injury to a non-mobile baby", "red"},
	{"CUMULATIVE_HARM", "Cumulative harm", "red"},
	{"CONCERN_DROPPED", "Concern dropped", "red"},
	{"PLAN_DRIFT", "Plan drift", "orange"},
	{"REPEAT_PLAN", "Repeat plan", "orange"},
	{"REPEAT_REFERRAL", "Repeat referral", "orange"},
	{"MISSING_PATTERN", "Missing pattern", "red"},
	{"MISSING_NO_RETURN_INTERVIEW", "No return interview", "orange"},
	{"ADULT_RISK_LINKED", "Linked to a risky adult", "red"},
	{"DOMESTIC_ABUSE_HOUSEHOLD", "Domestic abuse in household", "red"},
	{"UNACTIONED_AGENCY_INFO", "Partner information not acted on", "red"},
	{"CLOSURE_BLOCKED", "Closure blocked", "red"},
	{"CASELOAD_HIGH", "Caseload high", "yellow"},
	{"UNALLOCATED", "Unallocated", "yellow"},
	{"ESCALATION_UNANSWERED", "Escalation unanswered", "orange"},
	{"LATE_ENTRY", "Late entry", "grey"},
};

const char *page_alert_name(const char *code)
{
	for (size_t i = 0; code && i < SL_ARRAY_LEN(alert_names); i++)
		if (strcmp(alert_names[i].code, code) == 0)
			return alert_names[i].name;
	return code ? code : "";
}

void page_alert_tag(html *h, const char *code)
{
	const char *colour = "grey";

	for (size_t i = 0; code && i < SL_ARRAY_LEN(alert_names); i++)
		if (strcmp(alert_names[i].code, code) == 0)
			colour = alert_names[i].colour;
	page_tag(h, page_alert_name(code), colour);
}

/* ---- summary lists and tables -------------------------------------------------------- */

void page_summary_begin(html *h)
{
	html_lit(h, "<dl class=\"govuk-summary-list\">");
}

void page_summary_row_begin(html *h, const char *key)
{
	html_lit(h, "<div class=\"govuk-summary-list__row\">");
	html_elem(h, "dt", key, "class", "govuk-summary-list__key", NULL);
	html_lit(h, "<dd class=\"govuk-summary-list__value\">");
}

void page_summary_row_end(html *h)
{
	html_lit(h, "</dd></div>");
}

void page_summary_row(html *h, const char *key, const char *value)
{
	page_summary_row_begin(h, key);
	html_text(h, value && *value ? value : "Not recorded");
	page_summary_row_end(h);
}

void page_summary_end(html *h)
{
	html_lit(h, "</dl>");
}

void page_table_begin(html *h, const char *caption, const char *const *heads)
{
	html_lit(h, "<table class=\"govuk-table\">");
	if (caption)
		html_elem(h, "caption", caption, "class", "govuk-table__caption govuk-table__caption--m", NULL);
	html_lit(h, "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
	for (; heads && *heads; heads++)
		html_elem(h, "th", *heads, "scope", "col", "class", "govuk-table__header", NULL);
	html_lit(h, "</tr></thead><tbody class=\"govuk-table__body\">");
}

void page_table_end(html *h)
{
	html_lit(h, "</tbody></table>");
}

void page_tr_begin(html *h)
{
	html_lit(h, "<tr class=\"govuk-table__row\">");
}

void page_tr_end(html *h)
{
	html_lit(h, "</tr>");
}

void page_td(html *h, const char *text)
{
	html_elem(h, "td", text, "class", "govuk-table__cell", NULL);
}

void page_td_num(html *h, long long n)
{
	html_lit(h, "<td class=\"govuk-table__cell govuk-table__cell--numeric\">");
	html_textf(h, "%lld", n);
	html_lit(h, "</td>");
}

void page_td_begin(html *h)
{
	html_lit(h, "<td class=\"govuk-table__cell\">");
}

void page_td_end(html *h)
{
	html_lit(h, "</td>");
}

/* ---- forms --------------------------------------------------------------------------- */

void page_csrf(html *h, const http_req *r)
{
	if (r && r->csrf)
		html_void(h, "input", "type", "hidden", "name", "csrf", "value", r->csrf, NULL);
}

void page_button(html *h, const char *text)
{
	html_elem(h, "button", text, "type", "submit", "class", "govuk-button", "data-module", "govuk-button",
	          "data-prevent-double-click", "true", NULL);
}

void page_button_secondary(html *h, const char *text)
{
	html_elem(h, "button", text, "type", "submit", "class", "govuk-button govuk-button--secondary",
	          "data-module", "govuk-button", NULL);
}

void page_errors_add(page_errors *e, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (e->n >= PAGE_MAX_ERRORS)
		return;
	snprintf(e->v[e->n].field, sizeof(e->v[e->n].field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(e->v[e->n].msg, sizeof(e->v[e->n].msg), fmt, ap);
	va_end(ap);
	e->n++;
}

void page_errors_from(page_errors *e, const sl_err *err, const char *fallback)
{
	const char *msg = err->msg[0] ? err->msg : "The entry was refused", *p = strstr(msg, "field `");
	const char *name, *end = NULL, *rest;
	char field[PAGE_FIELD_MAX];

	snprintf(field, sizeof(field), "%s", fallback ? fallback : "");
	if (p) {
		name = p + 7;
		end = strchr(name, '`');
		if (end && end > name && (size_t)(end - name) < sizeof(field)) {
			if (strncmp(name, "data.", 5) == 0 && end - name > 5)
				name += 5;
			snprintf(field, sizeof(field), "%.*s", (int)(end - name), name);
		} else {
			end = NULL;
		}
	}
	/* "field `data.x`: <reason>": the reason; "missing required field
	 * `data.x`": say what to do */
	if (end && strncmp(msg, "missing required", 16) == 0) {
		page_errors_add(e, field, "Enter %s", field);
		return;
	}
	rest = end && end[1] == ':' ? end + 2 : msg;
	while (*rest == ' ')
		rest++;
	page_errors_add(e, field, "%s", rest);
}

const char *page_error_of(const page_errors *e, const char *field)
{
	for (size_t i = 0; e && i < e->n; i++)
		if (strcmp(e->v[i].field, field) == 0)
			return e->v[i].msg;
	return NULL;
}

void page_error_summary(html *h, const page_errors *e)
{
	buf href = BUF_INIT;

	if (!e || e->n == 0)
		return;
	html_lit(h, "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\">"
	            "<h2 class=\"govuk-error-summary__title\">There is a problem</h2>"
	            "<div class=\"govuk-error-summary__body\"><ul class=\"govuk-list govuk-error-summary__list\">");
	for (size_t i = 0; i < e->n; i++) {
		html_lit(h, "<li>");
		if (e->v[i].field[0]) {
			buf_reset(&href);
			buf_putc(&href, '#');
			html_url_part(&href, e->v[i].field);
			html_elem(h, "a", e->v[i].msg, "href", href.data, NULL);
		} else {
			html_text(h, e->v[i].msg);
		}
		html_lit(h, "</li>");
	}
	html_lit(h, "</ul></div></div></div>");
	buf_release(&href);
}

/* The form group's opening, with the error class when the field has one. */
static const char *group_begin(html *h, const page_errors *e, const char *name)
{
	const char *msg = page_error_of(e, name);
	html_open(h, "div", "class", msg ? "govuk-form-group govuk-form-group--error" : "govuk-form-group", NULL);
	return msg;
}

/* Hint and error message under a label; the ids for aria-describedby. */
static void hint_and_error(html *h, const char *name, const char *hint, const char *msg, buf *describedby)
{
	buf id = BUF_INIT;

	if (hint) {
		buf_printf(&id, "%s-hint", name);
		html_elem(h, "div", hint, "id", id.data, "class", "govuk-hint", NULL);
		buf_printf(describedby, "%s", id.data);
	}
	if (msg) {
		buf_reset(&id);
		buf_printf(&id, "%s-error", name);
		html_open(h, "p", "id", id.data, "class", "govuk-error-message", NULL);
		html_lit(h, "<span class=\"govuk-visually-hidden\">Error:</span> ");
		html_text(h, msg);
		html_close(h, "p");
		buf_printf(describedby, "%s%s", describedby->len ? " " : "", id.data);
	}
	buf_release(&id);
}

void page_input(html *h, const page_errors *e, const page_field *f)
{
	buf described = BUF_INIT, cls = BUF_INIT;
	const char *msg = group_begin(h, e, f->name);

	html_elem(h, "label", f->label, "class", "govuk-label govuk-label--s", "for", f->name, NULL);
	hint_and_error(h, f->name, f->hint, msg, &described);
	buf_puts(&cls, "govuk-input");
	if (f->width)
		buf_printf(&cls, " %s", f->width);
	if (msg)
		buf_puts(&cls, " govuk-input--error");
	html_void(h, "input", "class", cls.data, "id", f->name, "name", f->name, "type", f->type ? f->type : "text",
	          "value", f->value, "autocomplete", f->autocomplete, "spellcheck",
	          f->type && strcmp(f->type, "password") == 0 ? "false" : NULL, "aria-describedby",
	          described.len ? described.data : NULL, NULL);
	html_lit(h, "</div>");
	buf_release(&described);
	buf_release(&cls);
}

void page_textarea(html *h, const page_errors *e, const page_field *f)
{
	buf described = BUF_INIT;
	const char *msg = group_begin(h, e, f->name);

	html_elem(h, "label", f->label, "class", "govuk-label govuk-label--s", "for", f->name, NULL);
	hint_and_error(h, f->name, f->hint, msg, &described);
	html_open(h, "textarea", "class", msg ? "govuk-textarea govuk-textarea--error" : "govuk-textarea", "id",
	          f->name, "name", f->name, "rows", "5", "aria-describedby", described.len ? described.data : NULL,
	          NULL);
	html_text(h, f->value);
	html_lit(h, "</textarea></div>");
	buf_release(&described);
}

static void fieldset_begin(html *h, const page_field *f, const char *msg, buf *described)
{
	buf ids = BUF_INIT;

	/* the ids hint_and_error gives the hint and the message */
	if (f->hint)
		buf_printf(&ids, "%s-hint", f->name);
	if (msg)
		buf_printf(&ids, "%s%s-error", ids.len ? " " : "", f->name);
	html_open(h, "fieldset", "class", "govuk-fieldset", "aria-describedby", ids.len ? ids.data : NULL, NULL);
	html_elem(h, "legend", f->label, "class", "govuk-fieldset__legend govuk-fieldset__legend--s", NULL);
	hint_and_error(h, f->name, f->hint, msg, described);
	buf_release(&ids);
}

void page_radios(html *h, const page_errors *e, const page_field *f, const page_option *opts, size_t n,
                 bool inline_)
{
	buf described = BUF_INIT, id = BUF_INIT;
	const char *msg = group_begin(h, e, f->name);

	fieldset_begin(h, f, msg, &described);
	html_open(h, "div", "class", inline_ ? "govuk-radios govuk-radios--inline" : "govuk-radios", "data-module",
	          "govuk-radios", NULL);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&id);
		/* the first radio takes the field's own id: the error summary's link */
		if (i == 0)
			buf_puts(&id, f->name);
		else
			buf_printf(&id, "%s-%zu", f->name, i + 1);
		html_lit(h, "<div class=\"govuk-radios__item\">");
		html_void(h, "input", "class", "govuk-radios__input", "id", id.data, "name", f->name, "type", "radio",
		          "value", opts[i].value, "checked",
		          f->value && strcmp(f->value, opts[i].value) == 0 ? "checked" : NULL, NULL);
		html_elem(h, "label", opts[i].label, "class", "govuk-label govuk-radios__label", "for", id.data, NULL);
		if (opts[i].hint)
			html_elem(h, "div", opts[i].hint, "class", "govuk-hint govuk-radios__hint", NULL);
		html_lit(h, "</div>");
	}
	html_lit(h, "</div></fieldset></div>");
	buf_release(&described);
	buf_release(&id);
}

void page_select(html *h, const page_errors *e, const page_field *f, const page_option *opts, size_t n)
{
	buf described = BUF_INIT;
	const char *msg = group_begin(h, e, f->name);

	html_elem(h, "label", f->label, "class", "govuk-label govuk-label--s", "for", f->name, NULL);
	hint_and_error(h, f->name, f->hint, msg, &described);
	html_open(h, "select", "class", msg ? "govuk-select govuk-select--error" : "govuk-select", "id", f->name,
	          "name", f->name, "aria-describedby", described.len ? described.data : NULL, NULL);
	for (size_t i = 0; i < n; i++)
		html_elem(h, "option", opts[i].label, "value", opts[i].value, "selected",
		          f->value && strcmp(f->value, opts[i].value) == 0 ? "selected" : NULL, NULL);
	html_lit(h, "</select></div>");
	buf_release(&described);
}

void page_checkbox(html *h, const page_errors *e, const page_field *f, const char *item_label)
{
	buf described = BUF_INIT;
	const char *msg = group_begin(h, e, f->name);

	fieldset_begin(h, f, msg, &described);
	html_lit(h, "<div class=\"govuk-checkboxes govuk-checkboxes--small\" data-module=\"govuk-checkboxes\">"
	            "<div class=\"govuk-checkboxes__item\">");
	html_void(h, "input", "class", "govuk-checkboxes__input", "id", f->name, "name", f->name, "type", "checkbox",
	          "value", "true", "checked", f->value && strcmp(f->value, "true") == 0 ? "checked" : NULL, NULL);
	html_elem(h, "label", item_label, "class", "govuk-label govuk-checkboxes__label", "for", f->name, NULL);
	html_lit(h, "</div></div></fieldset></div>");
	buf_release(&described);
}

/* One part of a date input: NAME-day etc. */
static void date_part(html *h, const char *name, const char *part, const char *label, const char *value,
                      bool error, const char *width)
{
	buf id = BUF_INIT, cls = BUF_INIT;

	buf_printf(&id, "%s-%s", name, part);
	buf_printf(&cls, "govuk-input govuk-date-input__input %s%s", width, error ? " govuk-input--error" : "");
	html_lit(h, "<div class=\"govuk-date-input__item\"><div class=\"govuk-form-group\">");
	html_elem(h, "label", label, "class", "govuk-label govuk-date-input__label", "for", id.data, NULL);
	html_void(h, "input", "class", cls.data, "id", id.data, "name", id.data, "type", "text", "inputmode", "numeric",
	          "value", value, NULL);
	html_lit(h, "</div></div>");
	buf_release(&id);
	buf_release(&cls);
}

static const char *form_part(const http_req *r, const char *name, const char *part)
{
	char key[PAGE_FIELD_MAX + 8];
	snprintf(key, sizeof(key), "%s-%s", name, part);
	return r ? http_form(r, key) : NULL;
}

void page_date_input(html *h, const http_req *r, const page_errors *e, const page_field *f)
{
	buf described = BUF_INIT, day_id = BUF_INIT;
	char d[8] = "", m[8] = "", y[8] = "";
	const char *pd = form_part(r, f->name, "day"), *pm = form_part(r, f->name, "month"),
	           *py = form_part(r, f->name, "year");
	const char *msg;

	if (!pd && !pm && !py && f->value && strlen(f->value) >= 10) {
		/* "2024-03-05": shown as 5, 3, 2024 */
		snprintf(y, sizeof(y), "%.4s", f->value);
		snprintf(m, sizeof(m), "%d", (f->value[5] - '0') * 10 + (f->value[6] - '0'));
		snprintf(d, sizeof(d), "%d", (f->value[8] - '0') * 10 + (f->value[9] - '0'));
		pd = d, pm = m, py = y;
	}
	buf_printf(&day_id, "%s-day", f->name);
	msg = page_error_of(e, day_id.data);
	if (!msg)
		msg = page_error_of(e, f->name);
	html_open(h, "div", "class", msg ? "govuk-form-group govuk-form-group--error" : "govuk-form-group", NULL);
	html_open(h, "fieldset", "class", "govuk-fieldset", "role", "group", NULL);
	html_elem(h, "legend", f->label, "class", "govuk-fieldset__legend govuk-fieldset__legend--s", NULL);
	hint_and_error(h, f->name, f->hint, msg, &described);
	html_open(h, "div", "class", "govuk-date-input", "id", f->name, NULL);
	date_part(h, f->name, "day", "Day", pd, msg != NULL, "govuk-input--width-2");
	date_part(h, f->name, "month", "Month", pm, msg != NULL, "govuk-input--width-2");
	date_part(h, f->name, "year", "Year", py, msg != NULL, "govuk-input--width-4");
	html_lit(h, "</div></fieldset></div>");
	buf_release(&described);
	buf_release(&day_id);
}

static int small_number(const char *s, int max_digits, int *out)
{
	int v = 0, n = 0;

	while (s && *s == ' ')
		s++;
	for (; s && *s >= '0' && *s <= '9'; s++, n++)
		v = v * 10 + (*s - '0');
	while (s && *s == ' ')
		s++;
	if (!s || *s || n == 0 || n > max_digits)
		return -1;
	*out = v;
	return 0;
}

int page_date_from_form(const http_req *r, const char *name, char out[11], sl_err *err)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *pd = form_part(r, name, "day"), *pm = form_part(r, name, "month"), *py = form_part(r, name, "year");
	int d, m, y;

	if ((!pd || !*pd) && (!pm || !*pm) && (!py || !*py))
		return sl_fail(err, SL_EINVAL, "Enter the date");
	if (small_number(pd, 2, &d) || small_number(pm, 2, &m) || small_number(py, 4, &y))
		return sl_fail(err, SL_EINVAL, "The date must have a day, a month and a four-digit year, like 27 3 2024");
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		return sl_fail(err, SL_EINVAL, "The date must be a real date, like 27 3 2024");
	{
		char tmp[32];
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
		memcpy(out, tmp, 11); /* y <= 9999, m, d two digits: 10 bytes and NUL */
	}
	return 0;
}

void page_success_banner(html *h, const char *text)
{
	html_lit(h, "<div class=\"govuk-notification-banner govuk-notification-banner--success\" role=\"alert\" "
	            "aria-labelledby=\"govuk-notification-banner-title\" data-module=\"govuk-notification-banner\">"
	            "<div class=\"govuk-notification-banner__header\">"
	            "<h2 class=\"govuk-notification-banner__title\" id=\"govuk-notification-banner-title\">Success</h2>"
	            "</div><div class=\"govuk-notification-banner__content\">");
	html_elem(h, "p", text, "class", "govuk-notification-banner__heading", NULL);
	html_lit(h, "</div></div>");
}
