/*
 * pages.c - the web pages' route table, the start page, signing in and
 * out, and the HTML answer to a page route's refusal.
 *
 * Every row carries HTTP_PAGE: the server runs its usual checks (session,
 * role, CSRF for form posts, the per-child access check and access log)
 * and, when one refuses, hands the problem to http_page_problem, which
 * sends a signed-out visitor to /sign-in and shows anything else as an
 * HTML page with the same status.
 *
 * Signing in has no session yet, so the server's CSRF check (a form's
 * `csrf` field equal to the session's token) cannot protect it.  The form
 * uses a double-submit cookie instead: GET /sign-in sets sl_signin, 32
 * random bytes (HttpOnly, SameSite=Strict, Path=/sign-in), and puts the
 * same value in the hidden `csrf` field; POST /sign-in accepts only when
 * the two are equal, compared in constant time, and an Origin header, when
 * sent, is this site.  Another site can neither read nor set the cookie
 * (SameSite=Strict; HttpOnly), so it cannot forge a sign-in (login CSRF).
 * On success the session cookie is set exactly as POST /api/v1/session
 * sets it (session.c) and the browser is sent on with a 303.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "http/parse.h"
#include "http/server.h"

#include <sodium.h>

#define SIGNIN_COOKIE "sl_signin"
#define SESSION_ATTRS "; Path=/; HttpOnly; SameSite=Strict"
#define SIGNIN_ATTRS "; Path=/sign-in; HttpOnly; SameSite=Strict; Max-Age=7200"

/* ---- where to go next ------------------------------------------------------------------ */

/* A `next` we will redirect to: a local path of plain URL characters, not
 * the sign-in or sign-out pages themselves. */
static bool next_ok(const char *next)
{
	const char *p;

	if (!next || next[0] != '/' || next[1] == '/' || strlen(next) > 512 || strncmp(next, "/sign-", 6) == 0)
		return false;
	for (p = next; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      strchr("/-._~%?=&+", *p)))
			return false;
	return true;
}

/* ---- the answer to a refusal ----------------------------------------------------------- */

static void break_glass_form(http_req *r, http_resp *w, const char *detail)
{
	html h = HTML_INIT(&w->body);
	page_errors e = {0};

	buf_reset(&w->body);
	page_begin(&h, r, "This record is sealed", NULL);
	html_elem(&h, "h1", "This record is sealed", "class", "govuk-heading-l", NULL);
	(void)detail; /* the API's wording names a header; say it for a person */
	html_elem(&h, "p", "Nobody can read this record without a grant. If a child's safety needs it now, you can "
	                   "open it with a reason (break-glass).",
	          "class", "govuk-body", NULL);
	html_lit(&h, "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">"
	             "!</span><strong class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">"
	             "Warning</span>Opening a sealed record is logged with your reason and the child&#39;s team "
	             "manager is told.</strong></div>");
	/* a GET to the same page: the server reads `break_glass` from the query */
	html_open(&h, "form", "method", "get", "action", r->path, "novalidate", "", NULL);
	page_textarea(&h, &e,
	              &(page_field){.name = "break_glass", .label = "Why do you need to open this record now?",
	                            .hint = "At least three words; this is kept in the access log."});
	page_button(&h, "Open the record");
	html_lit(&h, "</form>");
	page_end(&h);
}

void http_page_problem(http_req *r, http_resp *w)
{
	json_t *p = json_loadb(w->body.data ? w->body.data : "", w->body.len, 0, NULL);
	const char *detail = json_string_value(json_object_get(p, "detail"));
	char *msg = xstrdup(detail ? detail : http_status_title(w->status));
	int status = w->status;
	buf next = BUF_INIT;

	json_decref(p);
	if (status == 401) {
		buf_puts(&next, "/sign-in");
		if (r->path && (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) &&
		    strcmp(r->path, "/") != 0) {
			buf_puts(&next, "?next=");
			html_url_part(&next, r->path);
		}
		page_redirect(w, next.data);
	} else if (status == 403 && r->user && r->path && strstr(msg, "sealed") &&
	           auth_may_break_glass(r->user->role)) {
		break_glass_form(r, w, msg);
		page_send(w, 403);
	} else {
		page_error(r, w, status, msg);
	}
	buf_release(&next);
	free(msg);
}

/* ---- / --------------------------------------------------------------------------------- */

int page_root(http_req *r, http_resp *w)
{
	html h = HTML_INIT(&w->body);

	if (!r->user)
		return page_redirect(w, "/sign-in");
	if (strcmp(page_home(r->user->role), "/") != 0)
		return page_redirect(w, page_home(r->user->role));
	/* admins and data officers: no case pages */
	page_begin(&h, r, "safeledger", NULL);
	html_elem(&h, "h1", "safeledger", "class", "govuk-heading-l", NULL);
	html_elem(&h, "p", "Your role has no case pages. Users, tokens and reports are managed with the safeledger "
	                   "command line.",
	          "class", "govuk-body", NULL);
	page_end(&h);
	return page_ok(w);
}

/* ---- sign in --------------------------------------------------------------------------- */

/* The sign-in cookie the browser holds, if it is one we could have set. */
static char *signin_cookie(const http_req *r)
{
	char *v = NULL;

	if (http_cookie_get(http_header(r, "Cookie"), SIGNIN_COOKIE, &v, NULL) || !v)
		return NULL;
	if (strlen(v) != AUTH_TOKEN_LEN) {
		free(v);
		return NULL;
	}
	return v;
}

/* The form, with errors when there are any.  A form token is kept while
 * the browser holds one, so that two open sign-in tabs both work. */
static int signin_page(http_req *r, http_resp *w, int status, const page_errors *e, const char *login,
                       const char *notice)
{
	html h = HTML_INIT(&w->body);
	const char *next = http_form(r, "next");
	char *token = signin_cookie(r);
	buf cookie = BUF_INIT;

	if (!next)
		next = http_query(r, "next");
	if (!token) {
		unsigned char raw[32];
		token = xmalloc(AUTH_TOKEN_LEN + 1);
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2base64(token, AUTH_TOKEN_LEN + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	buf_printf(&cookie, SIGNIN_COOKIE "=%s" SIGNIN_ATTRS "%s", token, r->tls ? "; Secure" : "");
	http_resp_header(w, "Set-Cookie", cookie.data);

	buf_reset(&w->body);
	page_begin(&h, r, e && e->n ? "Error: Sign in" : "Sign in", NULL);
	html_lit(&h, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
	if (notice)
		page_success_banner(&h, notice);
	page_error_summary(&h, e);
	html_elem(&h, "h1", "Sign in to safeledger", "class", "govuk-heading-l", NULL);
	html_open(&h, "form", "method", "post", "action", "/sign-in", "novalidate", "", NULL);
	html_void(&h, "input", "type", "hidden", "name", "csrf", "value", token, NULL);
	if (next_ok(next))
		html_void(&h, "input", "type", "hidden", "name", "next", "value", next, NULL);
	page_input(&h, e, &(page_field){.name = "login", .label = "Login", .value = login,
	                                 .width = "govuk-!-width-two-thirds", .autocomplete = "username"});
	page_input(&h, e, &(page_field){.name = "password", .label = "Password", .type = "password",
	                                 .width = "govuk-!-width-two-thirds", .autocomplete = "current-password"});
	page_button(&h, "Sign in");
	html_lit(&h, "</form></div></div>");
	page_end(&h);

	sodium_memzero(token, strlen(token));
	free(token);
	buf_release(&cookie);
	return page_send(w, status);
}

int page_sign_in_form(http_req *r, http_resp *w)
{
	const char *next = http_query(r, "next");

	if (r->user)
		return page_redirect(w, next_ok(next) ? next : page_home(r->user->role));
	return signin_page(r, w, 200, NULL, NULL,
	                   http_query(r, "signed_out") ? "You have signed out." : NULL);
}

int page_sign_in(http_req *r, http_resp *w)
{
	const char *origin = http_header(r, "Origin");
	const char *login = http_form(r, "login"), *password = http_form(r, "password"), *form = http_form(r, "csrf");
	const char *next = http_form(r, "next");
	char *cookie = signin_cookie(r), *token = NULL, *csrf = NULL;
	page_errors e = {0};
	auth_user user;
	buf set = BUF_INIT;
	sl_err err = {0};
	int rc;

	if (origin && !http_origin_same(origin, http_header(r, "Host"), r->tls)) {
		rc = page_error(r, w, 403, "Signing in from another site is refused.");
		goto done;
	}
	if (strcmp(r->content_type, "application/x-www-form-urlencoded") != 0) {
		rc = page_error(r, w, 415, "Send the sign-in form.");
		goto done;
	}
	if (!cookie || !form || !auth_csrf_equal(cookie, form)) {
		page_errors_add(&e, "login", "The sign-in form had expired. Sign in again.");
		rc = signin_page(r, w, 403, &e, login, NULL);
		goto done;
	}
	if (!login || !*login)
		page_errors_add(&e, "login", "Enter your login");
	else if (strlen(login) > AUTH_MAX_LOGIN)
		page_errors_add(&e, "login", "A login is at most %d characters", AUTH_MAX_LOGIN);
	if (!password || !*password)
		page_errors_add(&e, "password", "Enter your password");
	else if (strlen(password) > AUTH_MAX_PASSWORD)
		page_errors_add(&e, "password", "A password is at most %d characters", AUTH_MAX_PASSWORD);
	if (e.n) {
		rc = signin_page(r, w, 422, &e, login, NULL);
		goto done;
	}
	rc = auth_login(r->a, login, password, r->client, &token, &csrf, &user, &err);
	if (rc == SL_EDENIED) {
		/* wrong login or password, or the backoff: auth.c's words */
		page_errors_add(&e, "login", "%s", err.msg);
		rc = signin_page(r, w, strstr(err.msg, "try again") ? 429 : 403, &e, login, NULL);
		goto done;
	}
	if (rc) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	http_req_set_user(r, &user);
	buf_printf(&set, "sl_session=%s" SESSION_ATTRS "%s", token, r->tls ? "; Secure" : "");
	if (http_resp_header(w, "Set-Cookie", set.data) ||
	    http_resp_header(w, "Set-Cookie", SIGNIN_COOKIE "=; Max-Age=0; Path=/sign-in; HttpOnly; SameSite=Strict")) {
		rc = page_error(r, w, 500, "The session cookie could not be set.");
		goto done;
	}
	rc = page_redirect(w, next_ok(next) ? next : page_home(user.role));
done:
	if (token)
		sodium_memzero(token, strlen(token));
	if (csrf)
		sodium_memzero(csrf, strlen(csrf));
	if (set.data)
		sodium_memzero(set.data, set.len);
	buf_release(&set);
	free(token);
	free(csrf);
	free(cookie);
	return rc;
}

int page_sign_out(http_req *r, http_resp *w)
{
	char *token = NULL;
	sl_err err = {0};
	int rc;

	if (http_cookie_get(http_header(r, "Cookie"), "sl_session", &token, &err) || !token)
		return page_error(r, w, 400, "There is no session to sign out of.");
	rc = auth_logout(r->a, token, &err);
	sodium_memzero(token, strlen(token));
	free(token);
	if (rc)
		return page_error_err(r, w, &err);
	http_resp_header(w, "Set-Cookie", "sl_session=; Max-Age=0" SESSION_ATTRS);
	return page_redirect(w, "/sign-in?signed_out=1");
}

/* ---- the table --------------------------------------------------------------------------- */

const http_route http_page_routes[] = {
	{"GET", "/", HTTP_PUBLIC, HTTP_ANY_ROLE, HTTP_PAGE, page_root},
	{"GET", "/sign-in", HTTP_PUBLIC, HTTP_ANY_ROLE, HTTP_PAGE, page_sign_in_form},
	/* not HTTP_WRITE: there is no session token yet; the handler checks
	 * its own double-submit token and the Origin (see the top) */
	{"POST", "/sign-in", HTTP_PUBLIC, HTTP_ANY_ROLE, HTTP_PAGE, page_sign_in},
	{"POST", "/sign-out", HTTP_SESSION, HTTP_ANY_ROLE, HTTP_WRITE | HTTP_PAGE, page_sign_out},
	{"GET", "/assets/{path*}", HTTP_PUBLIC, HTTP_ANY_ROLE, HTTP_PAGE, page_asset},

	{"GET", "/my-work", HTTP_SESSION, PAGE_ROLES_MY_WORK, HTTP_PAGE, page_my_work},
	{"POST", "/alerts/ack", HTTP_SESSION, PAGE_ROLES_RECORD, HTTP_WRITE | HTTP_PAGE, page_alert_ack},
	{"GET", "/children/{id}/record/{kind}", HTTP_SESSION, PAGE_ROLES_RECORD, HTTP_CHILD | HTTP_PAGE,
	 page_record_form},
	{"POST", "/children/{id}/record/{kind}", HTTP_SESSION, PAGE_ROLES_RECORD, HTTP_CHILD | HTTP_WRITE | HTTP_PAGE,
	 page_record_post},
	{"GET", "/children/{id}/events/{seq}/amend", HTTP_SESSION, PAGE_ROLES_RECORD, HTTP_CHILD | HTTP_PAGE,
	 page_amend_form},
	{"POST", "/children/{id}/events/{seq}/amend", HTTP_SESSION, PAGE_ROLES_RECORD,
	 HTTP_CHILD | HTTP_WRITE | HTTP_PAGE, page_amend_post},


	/* --- team, director, partner, reviewer pages (D2) --- */
	{"GET", "/team", HTTP_SESSION, PAGE_ROLES_TEAM, HTTP_PAGE, page_team},
	{"POST", "/approvals/{request}", HTTP_SESSION, PAGE_ROLES_TEAM, HTTP_WRITE | HTTP_PAGE, page_approval_post},
	{"POST", "/escalations/{seq}/answer", HTTP_SESSION, PAGE_ROLES_TEAM, HTTP_WRITE | HTTP_PAGE,
	 page_escalation_answer},
	{"GET", "/director", HTTP_SESSION, PAGE_ROLES_DIRECTOR, HTTP_PAGE, page_director},
	{"GET", "/director/measures/{name}", HTTP_SESSION, PAGE_ROLES_DIRECTOR, HTTP_PAGE, page_director_measure},
	{"GET", "/partner", HTTP_SESSION, PAGE_ROLES_PARTNER, HTTP_PAGE, page_partner},
	{"POST", "/partner/information", HTTP_SESSION, PAGE_ROLES_PARTNER, HTTP_WRITE | HTTP_PAGE, page_partner_post},
	{"GET", "/review", HTTP_SESSION, PAGE_ROLES_REVIEWER, HTTP_PAGE, page_review_list},
	{"GET", "/reviewer", HTTP_SESSION, PAGE_ROLES_REVIEWER, HTTP_PAGE, page_review_list}, /* the navigation's link */
	{"GET", "/review/{id}", HTTP_SESSION, PAGE_ROLES_REVIEWER, HTTP_CHILD | HTTP_PAGE, page_review_child},
	{"GET", "/review/{id}/proof.json", HTTP_SESSION, PAGE_ROLES_REVIEWER, HTTP_CHILD | HTTP_PAGE, page_review_proof},
	{"GET", "/review/{id}/pack.zip", HTTP_SESSION, PAGE_ROLES_REVIEWER, HTTP_CHILD | HTTP_PAGE, page_review_pack},

	/* --- Ofsted's Annex A workbook (issue 7): lists children, each logged --- */
	{"GET", "/reports/annex-a.xlsx", HTTP_SESSION, HTTP_ROLE(ROLE_DATA_OFFICER) | HTTP_ROLE(ROLE_DIRECTOR), HTTP_PAGE,
	 page_annex_a},

	/* --- the child record page (E) --- */
	{"GET", "/children/{id}", HTTP_SESSION, PAGE_ROLES_CHILD, HTTP_CHILD | HTTP_PAGE, page_child},
	{"GET", "/children/{id}/as-of/{date}", HTTP_SESSION, PAGE_ROLES_CHILD, HTTP_CHILD | HTTP_PAGE, page_child_as_of},
};
const size_t http_page_routes_len = SL_ARRAY_LEN(http_page_routes);
