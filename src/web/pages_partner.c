/*
 * pages_partner.c - the partner agency's page (/partner): send
 * information about a person (an agency_info.received event recorded as
 * the partner's agency, as the API holds a bearer token to its agency),
 * and ask whether a child is on a CP plan or looked after by NHS number
 * (the check digit checked; every answer logged in the access log before
 * it is shown, as GET /api/v1/status does).
 *
 * A partner signs in to pages as a user of role partner with an agency
 * (`safeledger user add LOGIN --role partner --agency police`, auth.h);
 * r->user->agency is that agency.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "http/api.h"
#include "app/query.h"
#include "util/date.h"

#define PARTNER_SUMMARY_MAX 2000 /* bytes of a summary typed into the form */

static const page_option yes_no[] = {{"yes", "Yes", NULL}, {"no", "No", NULL}};

/* The information form; values come back from the posted form. */
static void info_form(html *h, const http_req *r, const page_errors *e)
{
	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"send\">Send information about a person</h2>");
	html_open(h, "form", "method", "post", "action", "/partner/information", "novalidate", "", NULL);
	page_csrf(h, r);
	page_input(h, e,
	           &(page_field){.name = "person", .label = "Their safeledger id",
	                         .hint = "The child's or adult's id as the council gave it to you, for example C1",
	                         .value = http_form(r, "person"), .width = "govuk-input--width-10"});
	page_textarea(h, e,
	              &(page_field){.name = "summary", .label = "What you know",
	                            .hint = "What happened or what you are worried about, when, and who told you",
	                            .value = http_form(r, "summary")});
	page_radios(h, e,
	            &(page_field){.name = "significant_harm", .label = "Is a child at risk of significant harm?",
	                          .value = http_form(r, "significant_harm")},
	            yes_no, 2, true);
	page_button(h, "Send information");
	html_lit(h, "</form>");
}

/* The status question: a GET form, so the answer is a page of its own. */
static void status_form(html *h, const page_errors *e, const char *nhs)
{
	html_lit(h, "<h2 class=\"govuk-heading-m\" id=\"status\">Check a child's plan status</h2>");
	html_open(h, "form", "method", "get", "action", "/partner", "novalidate", "", NULL);
	page_input(h, e,
	           &(page_field){.name = "nhs_number", .label = "NHS number", .hint = "10 digits, for example 943 476 5919",
	                         .value = nhs, .width = "govuk-input--width-10", .autocomplete = "off"});
	page_button(h, "Check");
	html_lit(h, "</form>");
}

static void yes_no_row(html *h, const char *key, bool v)
{
	page_summary_row(h, key, v ? "Yes" : "No");
}

/* Ask, log, then show.  0 with *answer set (NULL: nobody with that
 * number), or the field error in e, or a negative error. */
static int status_answer(http_req *r, const char *nhs, json_t **answer, page_errors *e, sl_err *err)
{
	json_t *persons = NULL, *id;
	const char **ids = NULL;
	size_t i;
	int rc;

	*answer = NULL;
	rc = query_status_by_nhs(r->a, nhs, answer, &persons, err);
	if (rc == SL_EINVAL) {
		const char *msg = strstr(err->msg, ": ");
		page_errors_add(e, "nhs_number", "%s", msg ? msg + 2 : err->msg);
		return 0;
	}
	if (rc == SL_ENOTFOUND) {
		sl_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	/* DESIGN 7: each answer is logged, before it is given */
	ids = xcalloc(json_array_size(persons) + 1, sizeof(*ids));
	json_array_foreach(persons, i, id) ids[i] = json_string_value(id);
	if ((rc = http_record_access(r, ids, json_array_size(persons), "GET /partner", NULL, err))) {
		json_decref(*answer);
		*answer = NULL;
	}
	free(ids);
	json_decref(persons);
	return rc;
}

static int partner_render(http_req *r, http_resp *w, int status, const page_errors *info_errors)
{
	const char *nhs = http_query(r, "nhs_number"), *sent = http_query(r, "sent");
	page_errors status_errors = {0}, shown = {0};
	html h = HTML_INIT(&w->body);
	json_t *answer = NULL;
	sl_err err = {0};
	buf title = BUF_INIT;

	if (nhs && status_answer(r, nhs, &answer, &status_errors, &err))
		return page_error_err(r, w, &err);
	if (info_errors)
		shown = *info_errors;
	for (size_t i = 0; i < status_errors.n; i++)
		page_errors_add(&shown, status_errors.v[i].field, "%s", status_errors.v[i].msg);
	if (status_errors.n && status == 200)
		status = 400;
	buf_printf(&title, "%sPartner: %s", shown.n ? "Error: " : "", r->user->agency);
	page_begin(&h, r, title.data, "partner");
	page_error_summary(&h, &shown);
	if (sent && *sent)
		page_success_banner(&h, "Your information was sent and recorded. The child's social worker will see it.");
	html_lit(&h, "<h1 class=\"govuk-heading-l\">");
	html_textf(&h, "Partner agency: %s", r->user->agency);
	html_lit(&h, "</h1>");
	status_form(&h, &status_errors, nhs);
	if (nhs && !status_errors.n) {
		html_lit(&h, "<div class=\"govuk-inset-text\" id=\"status-answer\">");
		if (answer) {
			html_elem(&h, "h3", "Answer", "class", "govuk-heading-s", NULL);
			page_summary_begin(&h);
			page_summary_row(&h, "NHS number", json_string_value(json_object_get(answer, "nhs_number")));
			yes_no_row(&h, "On a child protection plan", json_is_true(json_object_get(answer, "cp_plan")));
			yes_no_row(&h, "Looked after", json_is_true(json_object_get(answer, "looked_after")));
			page_summary_end(&h);
			html_lit(&h, "<p class=\"govuk-body\">This question and its answer have been logged.</p>");
		} else {
			html_lit(&h, "<p class=\"govuk-body\">Nobody is registered with this NHS number.</p>");
		}
		html_lit(&h, "</div>");
	}
	info_form(&h, r, info_errors);
	page_end(&h);
	json_decref(answer);
	buf_release(&title);
	return page_send(w, status);
}

int page_partner(http_req *r, http_resp *w)
{
	return partner_render(r, w, 200, NULL);
}

/* POST /partner/information: person, summary, significant_harm (yes|no). */
int page_partner_post(http_req *r, http_resp *w)
{
	const char *person = http_form(r, "person"), *summary = http_form(r, "summary");
	const char *harm = http_form(r, "significant_harm");
	app_write_opts o = {.recorder = r->user->login, .live = true};
	const char *agency = r->user->agency;
	page_errors e = {0};
	ledger_entry le;
	sl_err err = {0};
	json_t *ev = NULL;
	buf day = BUF_INIT, where = BUF_INIT;
	int rc;

	if (!*agency || !api_may_record(r->user->role, "agency_info.received"))
		return page_error(r, w, 403, "Only a partner agency's user sends information here.");
	if (!person || !*person)
		page_errors_add(&e, "person", "Enter the id of the person the information is about");
	if (!summary || !*summary)
		page_errors_add(&e, "summary", "Enter what you know");
	else if (strlen(summary) > PARTNER_SUMMARY_MAX)
		page_errors_add(&e, "summary", "What you know must be %d characters or fewer", PARTNER_SUMMARY_MAX);
	if (!harm || (strcmp(harm, "yes") != 0 && strcmp(harm, "no") != 0))
		page_errors_add(&e, "significant_harm", "Select yes if a child is at risk of significant harm");
	if (e.n)
		return partner_render(r, w, 422, &e);
	date_format_day(&day, app_today(r->a));
	ev = json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s, s:s, s:b}}", "kind", "agency_info.received", "occurred_at",
	               day.data, "by", "agency", agency, "data", "person", person, "agency", agency, "summary", summary,
	               "significant_harm", strcmp(harm, "yes") == 0);
	if (!ev) {
		page_errors_add(&e, "summary", "Enter text without control characters");
		rc = partner_render(r, w, 422, &e);
		goto done;
	}
	if ((rc = http_append_event(r, ev, &o, &le, &err))) {
		if (err.code == SL_EINVAL || err.code == SL_ENOTFOUND) {
			page_errors_from(&e, &err, "person");
			rc = partner_render(r, w, 422, &e);
		} else {
			rc = page_error_err(r, w, &err);
		}
		goto done;
	}
	buf_printf(&where, "/partner?sent=%llu", (unsigned long long)le.seq);
	rc = page_redirect(w, where.data);
done:
	json_decref(ev);
	buf_release(&day);
	buf_release(&where);
	return rc;
}
