/*
 * layout.h - the page frame every page uses, and the GOV.UK Design System
 * pieces pages are built from (summary lists, tables, tags, form fields,
 * error summaries, dates).  Everything writes through html.h, so all text
 * passed here is escaped; nothing here fails.
 *
 * How to write a page (a handler in a row of http_page_routes, pages.c,
 * with the flag HTTP_PAGE so that refusals come back as HTML pages and a
 * signed-out visitor is sent to /sign-in):
 *
 *   static int team_page(http_req *r, http_resp *w)
 *   {
 *       html h = HTML_INIT(&w->body);
 *       json_t *out = NULL;
 *       sl_err err = {0};
 *
 *       if (query_caseloads(r->a, r->user->team, NULL, &out, &err))
 *           return page_error_err(r, w, &err);        // an HTML error page
 *       page_begin(&h, r, "Team caseloads", "team"); // <title>, header, nav
 *       html_elem(&h, "h1", "Team caseloads", "class", "govuk-heading-l", NULL);
 *       page_table_begin(&h, "Caseloads", (const char *[]){"Worker", "Children", NULL});
 *       ... page_tr_begin / page_td / page_td_num / page_tr_end ...
 *       page_table_end(&h);
 *       page_end(&h);
 *       json_decref(out);
 *       return page_ok(w);                           // 200 text/html
 *   }
 *
 * Forms post application/x-www-form-urlencoded to a route with HTTP_WRITE
 * (the server then checks the `csrf` field against the session's token):
 * open <form method="post" action="..." novalidate>, write page_csrf(),
 * the fields (page_input, page_radios, ...) and page_button().  On a
 * validation error, show the form again with status 422, a page_errors
 * filled from the sl_err (page_errors_from) and "Error: " before the
 * title; on success answer page_redirect() (303, Post/Redirect/Get).
 * Field ids are the field names, so the error summary links to them.
 *
 * Links built from data: buf_puts(&url, "/children/"); html_url_part(&url,
 * id); then html_open(h, "a", "href", url.data, ...).
 *
 * Ownership: strings passed in are borrowed for the call.
 */
#ifndef SL_WEB_LAYOUT_H
#define SL_WEB_LAYOUT_H

#include "http/http.h"
#include "web/html.h"

/* Who may use which area (the navigation shows the links a role may use;
 * page routes take the same masks, so the two never disagree). */
#define PAGE_ROLES_MY_WORK HTTP_ROLE(ROLE_SOCIAL_WORKER)
#define PAGE_ROLES_TEAM (HTTP_ROLE(ROLE_TEAM_MANAGER) | HTTP_ROLE(ROLE_SENIOR_MANAGER) | HTTP_ROLE(ROLE_DIRECTOR))
#define PAGE_ROLES_DIRECTOR (HTTP_ROLE(ROLE_SENIOR_MANAGER) | HTTP_ROLE(ROLE_DIRECTOR))
#define PAGE_ROLES_PARTNER HTTP_ROLE(ROLE_PARTNER)
#define PAGE_ROLES_REVIEWER HTTP_ROLE(ROLE_REVIEWER)
/* Who may open a child's record page (auth_child_access decides which). */
#define PAGE_ROLES_CHILD                                                                                         \
	(HTTP_ROLE(ROLE_SOCIAL_WORKER) | HTTP_ROLE(ROLE_TEAM_MANAGER) | HTTP_ROLE(ROLE_SENIOR_MANAGER) |         \
	 HTTP_ROLE(ROLE_DIRECTOR) | HTTP_ROLE(ROLE_REVIEWER))
/* Who records events through the forms (api_may_record narrows by kind). */
#define PAGE_ROLES_RECORD                                                                                        \
	(HTTP_ROLE(ROLE_SOCIAL_WORKER) | HTTP_ROLE(ROLE_TEAM_MANAGER) | HTTP_ROLE(ROLE_SENIOR_MANAGER) |         \
	 HTTP_ROLE(ROLE_DIRECTOR))

/* The page a role starts on after signing in ("/" for roles with none). */
const char *page_home(auth_role role);

/* ---- the frame ---- */

/* <!DOCTYPE html> to the start of <main>: the GOV.UK template with the
 * "safeledger" header, the navigation this user's role may use with
 * active_nav ("my-work", "team", "director", "partner", "reviewer", or
 * NULL) marked, and a sign-out button (a form posting the CSRF token).
 * r->user may be NULL (signed out: no navigation). */
void page_begin(html *h, const http_req *r, const char *title, const char *active_nav);
/* Close <main>, the footer, the script, </html>. */
void page_end(html *h);

/* Finish the response: status and Content-Type text/html. */
int page_send(http_resp *w, int status);
int page_ok(http_resp *w); /* page_send(w, 200) */
/* 303 See Other to a local path (anything else goes to "/"). */
int page_redirect(http_resp *w, const char *location);
/* A whole error page (the body so far is dropped): the status, a heading
 * from it and the message.  page_error_err maps an sl_err as the API does
 * (EINVAL 400, ENOTFOUND 404, EDENIED 403, ECONFLICT 409, else 500 with
 * the cause kept for the server's log only). */
int page_error(const http_req *r, http_resp *w, int status, const char *message);
int page_error_err(const http_req *r, http_resp *w, const sl_err *err);

/* ---- text ---- */

/* <a class="govuk-link" href=href>text</a> */
void page_link(html *h, const char *href, const char *text);
/* A link to /children/{id} showing text (the id when text is NULL). */
void page_child_link(html *h, const char *child, const char *text);
/* "2024-03-01" or an RFC 3339 time -> "1 Mar 2024" (out[PAGE_DATE_MAX]);
 * anything else is copied as it is. */
#define PAGE_DATE_MAX 32
const char *page_date_format(const char *iso, char out[PAGE_DATE_MAX]);
/* <time datetime="...">1 Mar 2024</time>; NULL or "" writes "Not recorded". */
void page_date(html *h, const char *iso);

/* ---- tags ---- */

/* <strong class="govuk-tag govuk-tag--COLOUR">text</strong>; colour is
 * one of govuk-frontend's (red, orange, yellow, green, blue, purple, grey,
 * ...) or NULL for the default. */
void page_tag(html *h, const char *text, const char *colour);
/* An alert code as a tag: a short name ("Late visit") coloured by kind:
 * harm and risk red, timeliness orange, workload yellow, others grey. */
void page_alert_tag(html *h, const char *code);
/* The alert code's short name, or the code itself when unknown. */
const char *page_alert_name(const char *code);

/* ---- summary lists and tables ---- */

void page_summary_begin(html *h);
/* One row: key, and the value as text (NULL or "": "Not recorded"). */
void page_summary_row(html *h, const char *key, const char *value);
/* A row whose value the caller writes between these two. */
void page_summary_row_begin(html *h, const char *key);
void page_summary_row_end(html *h);
void page_summary_end(html *h);

/* <table class="govuk-table"> with a caption (NULL: none) and a header
 * row from the NULL-terminated heads; then <tbody>. */
void page_table_begin(html *h, const char *caption, const char *const *heads);
void page_table_end(html *h);
void page_tr_begin(html *h);
void page_tr_end(html *h);
void page_td(html *h, const char *text);
void page_td_num(html *h, long long n); /* right-aligned number */
/* A cell the caller fills between these two. */
void page_td_begin(html *h);
void page_td_end(html *h);

/* ---- forms and their errors ---- */

/* The hidden `csrf` input with the session's token (nothing when none). */
void page_csrf(html *h, const http_req *r);
/* <button class="govuk-button"> (secondary: govuk-button--secondary). */
void page_button(html *h, const char *text);
void page_button_secondary(html *h, const char *text);

#define PAGE_MAX_ERRORS 16
#define PAGE_FIELD_MAX 64
typedef struct page_errors {
	size_t n;
	struct {
		char field[PAGE_FIELD_MAX]; /* the form field (its id) */
		char msg[SL_ERR_MAX];
	} v[PAGE_MAX_ERRORS];
} page_errors;

/* Add an error for a form field (extra errors past PAGE_MAX_ERRORS are
 * dropped; the first ones are what the summary shows anyway). */
void page_errors_add(page_errors *e, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* From an sl_err: the field its message names ("field `data.seen`: ..." or
 * "missing required field `data.seen`"), with "data." taken off so it is
 * the form's field `seen`, else `fallback`; the message without its field
 * prefix. */
void page_errors_from(page_errors *e, const sl_err *err, const char *fallback);
/* The message for a field, or NULL. */
const char *page_error_of(const page_errors *e, const char *field);
/* The GOV.UK error summary ("There is a problem", each error linking to
 * #field); nothing when there are no errors. */
void page_error_summary(html *h, const page_errors *e);

/* One form field.  name is the form name and the element's id. */
typedef struct page_field {
	const char *name;
	const char *label;
	const char *hint;  /* NULL: none */
	const char *value; /* shown again after an error; NULL: empty */
	const char *width; /* an extra class: "govuk-input--width-10", ...; NULL */
	const char *type;  /* input type ("text" when NULL), "password", ... */
	const char *autocomplete; /* NULL: none */
} page_field;
typedef struct page_option {
	const char *value, *label;
	const char *hint; /* NULL: none */
} page_option;

void page_input(html *h, const page_errors *e, const page_field *f);
void page_textarea(html *h, const page_errors *e, const page_field *f);
/* Radios in a fieldset (legend = f->label); the one whose value equals
 * f->value is checked.  inline_: side by side (for two or three short
 * choices such as Yes/No). */
void page_radios(html *h, const page_errors *e, const page_field *f, const page_option *opts, size_t n,
                 bool inline_);
void page_select(html *h, const page_errors *e, const page_field *f, const page_option *opts, size_t n);
/* One checkbox posting name=true, checked when f->value is "true"; the
 * item's label is item_label (f->label is the fieldset's legend). */
void page_checkbox(html *h, const page_errors *e, const page_field *f, const char *item_label);
/* The GOV.UK date input: fields NAME-day, NAME-month, NAME-year (ids the
 * same; the error summary links to NAME-day), filled from the form when
 * posted, else from f->value ("YYYY-MM-DD"). */
void page_date_input(html *h, const http_req *r, const page_errors *e, const page_field *f);
/* Read a date input back as "YYYY-MM-DD": SL_EINVAL with a message to
 * show ("Enter the date ...") when a part is missing or it is no date. */
int page_date_from_form(const http_req *r, const char *name, char out[11], sl_err *err);

/* A success banner (govuk-notification-banner--success) with one line. */
void page_success_banner(html *h, const char *text);

#endif
