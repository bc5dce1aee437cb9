/*
 * pages.h - the handlers of the web pages, one group per file of src/web/,
 * which pages.c puts in the route table http_page_routes (http.h).
 *
 * Each handler is an http_handler (http.h) writing a whole page through
 * layout.h; a row's flags carry HTTP_PAGE so that the server answers its
 * refusals in HTML.  To add a page: declare its handler here under its
 * file's heading and add a row to http_page_routes at its marker.
 */
#ifndef SL_WEB_PAGES_H
#define SL_WEB_PAGES_H

#include "http/http.h"
#include "web/html.h"

/* pages.c: /, signing in and out */
int page_root(http_req *r, http_resp *w);
int page_sign_in_form(http_req *r, http_resp *w);
int page_sign_in(http_req *r, http_resp *w);
int page_sign_out(http_req *r, http_resp *w);

/* assets.c: GET /assets/{path*} */
int page_asset(http_req *r, http_resp *w);

/* my_work.c: a social worker's children, what is due, alerts */
int page_my_work(http_req *r, http_resp *w);
int page_alert_ack(http_req *r, http_resp *w);

/* record.c: the record forms /children/{id}/record/{kind} */
int page_record_form(http_req *r, http_resp *w);
int page_record_post(http_req *r, http_resp *w);
/* A list of links to the record forms this user's role may use for the
 * child ("Record a visit", ...), for the child's page. */
void page_record_links(html *h, const http_req *r, const char *child);

/* amend.c: asking for a correction of an entry,
 * /children/{id}/events/{seq}/amend */
int page_amend_form(http_req *r, http_resp *w);
int page_amend_post(http_req *r, http_resp *w);

/* --- team, director, partner, reviewer pages (D2) --- */
/* pages_manager.c: /team (caseloads, unallocated, alerts by child,
 * approvals), POST /approvals/{request}, /director (measures, escalations) */
int page_team(http_req *r, http_resp *w);
int page_approval_post(http_req *r, http_resp *w);
int page_escalation_answer(http_req *r, http_resp *w); /* POST /escalations/{seq}/answer */
int page_director(http_req *r, http_resp *w);
int page_director_measure(http_req *r, http_resp *w);
/* pages_partner.c: /partner (status by NHS number), POST /partner/information */
int page_partner(http_req *r, http_resp *w);
int page_partner_post(http_req *r, http_resp *w);
/* pages_reviewer.c: /review, /review/{id}, /review/{id}/proof.json, /review/{id}/pack.zip */
int page_review_list(http_req *r, http_resp *w);
int page_review_child(http_req *r, http_resp *w);
int page_review_proof(http_req *r, http_resp *w);
int page_review_pack(http_req *r, http_resp *w);
/* Ofsted's Annex A workbook (pages_annex_a.c) */
int page_annex_a(http_req *r, http_resp *w);

/* --- the child record page (E) --- */
/* child_page.c: /children/{id} (?as_of=DATE, filters kind, agency, from,
 * to, cursor) and /children/{id}/as-of/{date} */
int page_child(http_req *r, http_resp *w);
int page_child_as_of(http_req *r, http_resp *w);
/* The same page from parameters already read (NULL or "": absent), so a
 * benchmark can render it in-process without a connection: r needs a, user,
 * csrf and params[0]. */
typedef struct page_child_query {
	const char *as_of, *kind, *agency, *from, *to, *cursor, *acknowledged, *recorded;
} page_child_query;
int page_child_write(http_req *r, const page_child_query *q, http_resp *w);

#endif
