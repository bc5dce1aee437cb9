/*
 * record.c - the record forms: GET and POST /children/{id}/record/{form}
 * for the common events (a visit, a note, a concern, an injury, a missing
 * episode starting or ending, information from an agency, a meeting, a
 * conference outcome, an allocation, a closure).
 *
 * Each form is a row of `forms`: its URL name, the vocabulary kind, the
 * field the child goes in, and its fields, each with how a form value
 * becomes JSON (text, yes/no to a boolean, a choice, ticked boxes to a
 * list).  A post builds the event exactly as a JSON API client would send
 * it ({"kind", "occurred_at", "by": {"user": me}, "data": {...}}) and
 * appends it live through the one write path (http_append_event: group commit),
 * so the vocabulary, the rules and CLOSURE_BLOCKED judge a form as they
 * judge the API.  Errors are shown GOV.UK style: required fields are
 * checked here first so that every missing one is listed at once, then the
 * vocabulary's error names its field (`data.summary` -> the form's
 * `summary`).  On any error the form comes back (422, or 409 for a refused
 * closure) with what was typed, and nothing is written: app_append's
 * transaction either commits the event with its projections and alerts, or
 * nothing.  On success, 303 to the child's record page.
 *
 * Who may record what is api_may_record (the API's one table); the child
 * must be one the user may read without break-glass (a sealed record is
 * read, not written, through break-glass), as for the API.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "app/query.h"
#include "http/api.h"
#include "util/date.h"

enum ftype {
	F_TEXT,      /* one line */
	F_AREA,      /* free text */
	F_YESNO,     /* radios: true or false */
	F_RADIOS,    /* one of the options */
	F_SELECT,    /* one of the options, "" for none */
	F_MULTI,     /* checkboxes NAME-VALUE: a list of the values ticked */
	F_AUTHORISE, /* a checkbox: authorised_by = the signed-in user (senior managers and the director) */
};

typedef struct field_def {
	const char *name, *label, *hint;
	enum ftype type;
	bool required;
	const page_option *opts;
	size_t n_opts;
	const char *missing; /* the message when a required field is empty */
} field_def;

#define OPTS(a) a, SL_ARRAY_LEN(a)
#define END {NULL, NULL, NULL, F_TEXT, false, NULL, 0, NULL}

static const page_option agencies[] = {
	{"", "Choose an agency", NULL},
	{"police", "Police", NULL},
	{"health", "Health", NULL},
	{"education", "Education", NULL},
	{"probation", "Probation", NULL},
	{"housing", "Housing", NULL},
	{"early_help", "Early help", NULL},
	{"other_la", "Another local authority", NULL},
	{"voluntary", "Voluntary sector", NULL},
	{"social_care", "Children's social care", NULL},
	{"other", "Other", NULL},
};
static const page_option concern_categories[] = {
	{"neglect", "Neglect", NULL},
	{"physical", "Physical abuse", NULL},
	{"emotional", "Emotional abuse", NULL},
	{"sexual", "Sexual abuse", NULL},
	{"multiple", "Multiple", NULL},
	{"exploitation", "Exploitation", NULL},
	{"domestic_abuse", "Domestic abuse", NULL},
	{"other", "Other", NULL},
};
static const page_option plan_categories[] = {
	{"", "No category (a review keeps the current one)", NULL},
	{"neglect", "Neglect", NULL},
	{"physical", "Physical abuse", NULL},
	{"emotional", "Emotional abuse", NULL},
	{"sexual", "Sexual abuse", NULL},
	{"multiple", "Multiple", NULL},
};
static const page_option indicators[] = {
	{"cse", "Child sexual exploitation", NULL},
	{"cce", "Child criminal exploitation", NULL},
	{"substances", "Drugs or alcohol", NULL},
	{"older_associates", "Older associates", NULL},
};
static const page_option conference_types[] = {
	{"initial", "Initial child protection conference", NULL},
	{"review", "Review child protection conference", NULL},
};
static const page_option meeting_types[] = {
	{"core_group", "Core group", NULL},
	{"professionals", "Professionals meeting", NULL},
	{"legal_planning", "Legal planning meeting", NULL},
	{"family_group", "Family group conference", NULL},
	{"other", "Other", NULL},
};
static const page_option closure_reasons[] = {
	{"RC1", "RC1 Adopted", NULL},
	{"RC2", "RC2 Died", NULL},
	{"RC3", "RC3 Child arrangements order", NULL},
	{"RC4", "RC4 Special guardianship order", NULL},
	{"RC5", "RC5 Transferred to services of another local authority", NULL},
	{"RC6", "RC6 Transferred to adult social care services", NULL},
	{"RC7", "RC7 Services ceased for any other reason, including child no longer in need", NULL},
	{"RC8", "RC8 Case closed after assessment, no further action", NULL},
	{"RC9", "RC9 Case closed after assessment, referred to early help", NULL},
};

static const field_def f_visit[] = {
	{"seen", "Was the child seen?", NULL, F_YESNO, true, NULL, 0, "Select whether the child was seen"},
	{"seen_alone", "Was the child seen alone?", NULL, F_YESNO, false, NULL, 0, NULL},
	{"summary", "What happened", "What you saw and heard, and what the child said.", F_AREA, false, NULL, 0, NULL},
	END,
};
static const field_def f_note[] = {
	{"text", "Note", NULL, F_AREA, true, NULL, 0, "Enter the note"},
	END,
};
static const field_def f_concern[] = {
	{"category", "Category of concern", NULL, F_RADIOS, true, OPTS(concern_categories), "Select the category"},
	{"summary", "What is the concern?", NULL, F_AREA, true, NULL, 0, "Enter what the concern is"},
	{"significant_harm", "Is there a risk of significant harm?", NULL, F_YESNO, false, NULL, 0, NULL},
	{"agency", "Agency that raised it", "Leave as it is when it is your own concern.", F_SELECT, false,
	 OPTS(agencies), NULL},
	END,
};
static const field_def f_injury[] = {
	{"description", "Describe the injury", NULL, F_AREA, true, NULL, 0, "Describe the injury"},
	{"agency", "Agency that saw it", NULL, F_SELECT, true, OPTS(agencies), "Select the agency that saw the injury"},
	{"body_part", "Part of the body", NULL, F_TEXT, false, NULL, 0, NULL},
	{"explanation", "Explanation given", NULL, F_AREA, false, NULL, 0, NULL},
	END,
};
static const field_def f_missing_started[] = {
	{"indicators", "Risk indicators", "Tick any that apply.", F_MULTI, false, OPTS(indicators), NULL},
	END,
};
static const field_def f_missing_ended[] = {
	{"return_interview", "Was a return interview held?", NULL, F_YESNO, false, NULL, 0, NULL},
	END,
};
static const field_def f_agency_info[] = {
	{"agency", "Agency", NULL, F_SELECT, true, OPTS(agencies), "Select the agency the information came from"},
	{"summary", "What did they tell you?", NULL, F_AREA, true, NULL, 0, "Enter what the agency told you"},
	{"significant_harm", "Does it suggest significant harm?", NULL, F_YESNO, false, NULL, 0, NULL},
	END,
};
static const field_def f_meeting[] = {
	{"type", "Type of meeting", NULL, F_RADIOS, true, OPTS(meeting_types), "Select the type of meeting"},
	{"summary", "Outcome", NULL, F_AREA, false, NULL, 0, NULL},
	END,
};
static const field_def f_conference[] = {
	{"type", "Type of conference", NULL, F_RADIOS, true, OPTS(conference_types), "Select the type of conference"},
	{"plan", "Is the child to be (or stay) on a child protection plan?", NULL, F_YESNO, true, NULL, 0,
	 "Select whether the child is on a plan"},
	{"category", "Category of the plan", "Needed when the conference starts a plan.", F_SELECT, false,
	 OPTS(plan_categories), NULL},
	END,
};
static const field_def f_allocation[] = {
	{"worker", "Social worker's login", NULL, F_TEXT, true, NULL, 0, "Enter the social worker's login"},
	{"team", "Team", NULL, F_TEXT, false, NULL, 0, NULL},
	END,
};
static const field_def f_closure[] = {
	{"reason", "Reason for closure", NULL, F_RADIOS, true, OPTS(closure_reasons), "Select the reason for closure"},
	{"rationale", "Rationale", NULL, F_AREA, false, NULL, 0, NULL},
	{"authorised_by", "Senior authorisation",
	 "Only when the case must close although concerns, a plan or harm alerts are open.", F_AUTHORISE, false, NULL,
	 0, NULL},
	END,
};

static const struct form_def {
	const char *name;  /* the URL's {kind} */
	const char *kind;  /* the vocabulary's */
	const char *title; /* "Record a visit" */
	const char *child_field;
	const field_def *fields;
} forms[] = {
	{"visit", "visit.recorded", "Record a visit", "child", f_visit},
	{"note", "note.recorded", "Record a note", "child", f_note},
	{"concern", "concern.raised", "Record a concern", "child", f_concern},
	{"injury", "injury.observed", "Record an injury", "child", f_injury},
	{"missing", "missing.started", "Record a missing episode", "child", f_missing_started},
	{"missing-ended", "missing.ended", "Record a return from missing", "child", f_missing_ended},
	{"agency-info", "agency_info.received", "Record information from an agency", "person", f_agency_info},
	{"meeting", "meeting.held", "Record a meeting", "child", f_meeting},
	{"conference", "conference.held", "Record a conference outcome", "child", f_conference},
	{"allocation", "case.allocated", "Allocate the case", "child", f_allocation},
	{"closure", "case.closed", "Close the case", "child", f_closure},
};

static const struct form_def *find_form(const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(forms); i++)
		if (strcmp(forms[i].name, name) == 0)
			return &forms[i];
	return NULL;
}

static const page_option yes_no[] = {{"yes", "Yes", NULL}, {"no", "No", NULL}};

static bool may_authorise(const http_req *r)
{
	return r->user->role == ROLE_SENIOR_MANAGER || r->user->role == ROLE_DIRECTOR;
}

/* ---- the page -------------------------------------------------------------------------- */

static void multi_field(html *h, const http_req *r, const page_errors *e, const field_def *f)
{
	const char *msg = page_error_of(e, f->name);
	char id[PAGE_FIELD_MAX + 32];

	html_open(h, "div", "class", msg ? "govuk-form-group govuk-form-group--error" : "govuk-form-group", NULL);
	html_open(h, "fieldset", "class", "govuk-fieldset", "id", f->name, NULL);
	html_elem(h, "legend", f->label, "class", "govuk-fieldset__legend govuk-fieldset__legend--s", NULL);
	if (f->hint)
		html_elem(h, "div", f->hint, "class", "govuk-hint", NULL);
	if (msg)
		html_elem(h, "p", msg, "class", "govuk-error-message", NULL);
	html_lit(h, "<div class=\"govuk-checkboxes govuk-checkboxes--small\" data-module=\"govuk-checkboxes\">");
	for (size_t i = 0; i < f->n_opts; i++) {
		snprintf(id, sizeof(id), "%s-%s", f->name, f->opts[i].value);
		html_lit(h, "<div class=\"govuk-checkboxes__item\">");
		html_void(h, "input", "class", "govuk-checkboxes__input", "id", id, "name", id, "type", "checkbox", "value",
		          "true", "checked", http_form(r, id) ? "checked" : NULL, NULL);
		html_elem(h, "label", f->opts[i].label, "class", "govuk-label govuk-checkboxes__label", "for", id, NULL);
		html_lit(h, "</div>");
	}
	html_lit(h, "</div></fieldset></div>");
}

static void field(html *h, const http_req *r, const page_errors *e, const field_def *f)
{
	page_field pf = {.name = f->name, .label = f->label, .hint = f->hint, .value = http_form(r, f->name)};

	switch (f->type) {
	case F_TEXT:
		pf.width = "govuk-input--width-20";
		page_input(h, e, &pf);
		break;
	case F_AREA: page_textarea(h, e, &pf); break;
	case F_YESNO: page_radios(h, e, &pf, yes_no, SL_ARRAY_LEN(yes_no), true); break;
	case F_RADIOS: page_radios(h, e, &pf, f->opts, f->n_opts, false); break;
	case F_SELECT: page_select(h, e, &pf, f->opts, f->n_opts); break;
	case F_MULTI: multi_field(h, r, e, f); break;
	case F_AUTHORISE:
		if (may_authorise(r))
			page_checkbox(h, e, &pf, "I authorise closing this case, as senior manager");
		break;
	}
}

static int form_page(http_req *r, http_resp *w, const struct form_def *fd, int status, const page_errors *e)
{
	html h = HTML_INIT(&w->body);
	json_t *summary = NULL;
	const char *child = r->params[0], *name;
	char today[11], title[128];
	buf action = BUF_INIT, back = BUF_INIT;
	sl_err err = {0};
	int rc;

	if ((rc = query_child_summary(r->a, child, &summary, &err)))
		return page_error_err(r, w, &err);
	name = json_string_value(json_object_get(summary, "name"));
	{
		buf b = BUF_INIT;
		date_format_day(&b, app_today(r->a));
		snprintf(today, sizeof(today), "%s", buf_str(&b));
		buf_release(&b);
	}
	buf_puts(&back, "/children/");
	html_url_part(&back, child);
	buf_printf(&action, "%s/record/", back.data);
	html_url_part(&action, fd->name);

	buf_reset(&w->body);
	snprintf(title, sizeof(title), "%s%s", e && e->n ? "Error: " : "", fd->title);
	page_begin(&h, r, title, NULL);
	html_elem(&h, "a", "Back to the record", "href", back.data, "class", "govuk-back-link", NULL);
	html_lit(&h, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
	page_error_summary(&h, e);
	html_open(&h, "span", "class", "govuk-caption-l", NULL);
	html_text(&h, name ? name : child);
	html_textf(&h, " (%s)", child);
	html_close(&h, "span");
	html_elem(&h, "h1", fd->title, "class", "govuk-heading-l", NULL);
	html_open(&h, "form", "method", "post", "action", action.data, "novalidate", "", NULL);
	page_csrf(&h, r);
	page_date_input(&h, r, e, &(page_field){.name = "occurred", .label = "When did it happen?",
	                                        .hint = "For example, 27 3 2024", .value = today});
	for (const field_def *f = fd->fields; f->name; f++)
		field(&h, r, e, f);
	page_button(&h, "Save");
	html_lit(&h, "</form></div></div>");
	page_end(&h);
	json_decref(summary);
	buf_release(&action);
	buf_release(&back);
	return page_send(w, status);
}

/* ---- the form to an event -------------------------------------------------------------- */

/* The data object from the form; required fields and yes/no values are
 * checked here so that every missing one is shown at once. */
static json_t *form_data(const http_req *r, const struct form_def *fd, page_errors *e)
{
	json_t *data = json_object();

	json_object_set_new(data, fd->child_field, json_string(r->params[0]));
	for (const field_def *f = fd->fields; f->name; f++) {
		const char *v = http_form(r, f->name);
		bool empty = !v || !*v;

		if (f->type == F_MULTI) {
			json_t *list = json_array();
			char id[PAGE_FIELD_MAX + 32];
			for (size_t i = 0; i < f->n_opts; i++) {
				snprintf(id, sizeof(id), "%s-%s", f->name, f->opts[i].value);
				if (http_form(r, id))
					json_array_append_new(list, json_string(f->opts[i].value));
			}
			if (json_array_size(list))
				json_object_set_new(data, f->name, list);
			else
				json_decref(list);
			continue;
		}
		if (f->type == F_AUTHORISE) {
			if (!empty && may_authorise(r))
				json_object_set_new(data, f->name, json_string(r->user->login));
			continue;
		}
		if (empty) {
			if (f->required)
				page_errors_add(e, f->name, "%s", f->missing ? f->missing : "Enter this");
			continue;
		}
		if (f->type == F_YESNO) {
			if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
				page_errors_add(e, f->name, "Select yes or no");
			else
				json_object_set_new(data, f->name, json_boolean(strcmp(v, "yes") == 0));
			continue;
		}
		/* text as typed: the vocabulary checks lengths, codes and names */
		json_object_set_new(data, f->name, json_string(v));
	}
	return data;
}

int page_record_form(http_req *r, http_resp *w)
{
	const struct form_def *fd = find_form(r->params[1]);

	if (!fd)
		return page_error(r, w, 404, "There is no such form.");
	if (!api_may_record(r->user->role, fd->kind))
		return page_error(r, w, 403, "Your role may not record this.");
	return form_page(r, w, fd, 200, NULL);
}

int page_record_post(http_req *r, http_resp *w)
{
	const struct form_def *fd = find_form(r->params[1]);
	app_write_opts o = {.recorder = r->user->login, .live = true};
	char occurred[11];
	page_errors e = {0};
	auth_decision d = AUTH_DENY;
	json_t *ev = NULL, *data;
	buf back = BUF_INIT;
	ledger_entry le;
	sl_err err = {0};
	int rc;

	if (!fd)
		return page_error(r, w, 404, "There is no such form.");
	if (!api_may_record(r->user->role, fd->kind))
		return page_error(r, w, 403, "Your role may not record this.");
	if ((rc = auth_child_access(r->a, r->user, r->params[0], &d, &err)))
		return page_error_err(r, w, &err);
	if (d != AUTH_ALLOW)
		return page_error(r, w, 403, "You may not record events about this child.");

	if (page_date_from_form(r, "occurred", occurred, &err))
		page_errors_add(&e, "occurred-day", "%s", err.msg);
	data = form_data(r, fd, &e);
	if (e.n) {
		json_decref(data);
		return form_page(r, w, fd, 422, &e);
	}
	ev = json_pack("{s:s, s:s, s:{s:s}, s:o}", "kind", fd->kind, "occurred_at", occurred, "by", "user",
	               r->user->login, "data", data);
	if (!ev) /* a value that is not UTF-8 text; the parser refuses those first */
		return page_error(r, w, 400, "The form holds text that is not valid.");
	rc = http_append_event(r, ev, &o, &le, &err);
	json_decref(ev);
	if (rc == SL_EDENIED && strncmp(err.msg, "CLOSURE_BLOCKED", 15) == 0) {
		page_errors_add(&e, "reason", "%s", err.msg);
		return form_page(r, w, fd, 409, &e);
	}
	if (rc == SL_EINVAL || ((rc == SL_ENOTFOUND || rc == SL_ECONFLICT) && strstr(err.msg, "field `"))) {
		page_errors_from(&e, &err, fd->fields[0].name);
		if (strcmp(e.v[0].field, "occurred_at") == 0)
			snprintf(e.v[0].field, sizeof(e.v[0].field), "occurred-day");
		return form_page(r, w, fd, 422, &e);
	}
	if (rc)
		return page_error_err(r, w, &err);
	buf_puts(&back, "/children/");
	html_url_part(&back, r->params[0]);
	buf_puts(&back, "?recorded=");
	html_url_part(&back, fd->name);
	rc = page_redirect(w, back.data);
	buf_release(&back);
	return rc;
}

void page_record_links(html *h, const http_req *r, const char *child)
{
	buf url = BUF_INIT;

	html_lit(h, "<ul class=\"govuk-list\">");
	for (size_t i = 0; i < SL_ARRAY_LEN(forms); i++) {
		if (!r->user || !api_may_record(r->user->role, forms[i].kind))
			continue;
		buf_reset(&url);
		buf_puts(&url, "/children/");
		html_url_part(&url, child);
		buf_puts(&url, "/record/");
		html_url_part(&url, forms[i].name);
		html_lit(h, "<li>");
		page_link(h, url.data, forms[i].title);
		html_lit(h, "</li>");
	}
	html_lit(h, "</ul>");
	buf_release(&url);
}
