/*
 * pages_reviewer.c - the independent reviewer's pages: the children
 * granted to them (/review), a child's full history with every amendment
 * (original and amended values), every alert with who acknowledged and
 * resolved it, and who read the record when (/review/{id}), the review
 * pack (/review/{id}/pack.zip: the printable report and the offline proof
 * bundle, report/review_pack.h), and the JSON proof bundle of the child's
 * events (/review/{id}/proof.json, built by the same module).
 *
 * All but the list are HTTP_CHILD routes: the server has checked the
 * grant and written the read to the access log before these handlers
 * run, so the reviewer's own reading shows in the list of who saw the
 * record, and a downloaded pack holds (and proves) its own download.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "app/query.h"
#include "report/review_pack.h"

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* ---- /review ---------------------------------------------------------------------------- */

int page_review_list(http_req *r, http_resp *w)
{
	html h = HTML_INIT(&w->body);
	json_t *out = NULL, *c;
	sl_err err = {0};
	size_t i;

	if (query_grants(r->a, r->user->login, &out, &err))
		return page_error_err(r, w, &err);
	page_begin(&h, r, "Records granted to you", "reviewer");
	html_lit(&h, "<h1 class=\"govuk-heading-l\">Records granted to you</h1>");
	if (json_array_size(json_object_get(out, "children")) == 0) {
		html_lit(&h, "<p class=\"govuk-body\">No child's record has been granted to you. A senior manager or the "
		             "director grants a reviewer access to a record.</p>");
	} else {
		page_table_begin(&h, NULL, (const char *const[]){"Child", "Granted", "By", NULL});
		json_array_foreach(json_object_get(out, "children"), i, c) {
			buf url = BUF_INIT, label = BUF_INIT;
			buf_puts(&url, "/review/");
			html_url_part(&url, s_of(c, "child"));
			buf_printf(&label, "%s (%s)", s_of(c, "name") ? s_of(c, "name") : s_of(c, "child"), s_of(c, "child"));
			page_tr_begin(&h);
			page_td_begin(&h);
			page_link(&h, url.data, label.data);
			page_td_end(&h);
			page_td_begin(&h);
			page_date(&h, s_of(c, "granted_on"));
			page_td_end(&h);
			page_td(&h, s_of(c, "granted_by"));
			page_tr_end(&h);
			buf_release(&url);
			buf_release(&label);
		}
		page_table_end(&h);
	}
	page_end(&h);
	json_decref(out);
	return page_ok(w);
}

/* ---- /review/{id} ------------------------------------------------------------------------- */

typedef struct collect_ctx {
	json_t *items;
} collect_ctx;

static int collect(void *ctx, json_t *obj, sl_err *err)
{
	(void)err;
	json_array_append(((collect_ctx *)ctx)->items, obj);
	return 0;
}

static char *value_text(const json_t *v)
{
	if (!v)
		return xstrdup("(not recorded)");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

/* One event's row: when, what, who, the summary as amended, and each
 * approved amendment with the values it replaced. */
static void history_row(html *h, const json_t *item)
{
	const json_t *ev = json_object_get(item, "event"), *am = json_object_get(item, "amendments"), *a;
	const json_t *by = json_object_get(ev, "by");
	buf summary = BUF_INIT;
	size_t i;

	query_event_summary(ev, &summary);
	page_tr_begin(h);
	page_td_num(h, (long long)json_integer_value(json_object_get(item, "seq")));
	page_td_begin(h);
	page_date(h, s_of(ev, "occurred_at"));
	page_td_end(h);
	page_td_begin(h);
	page_date(h, s_of(item, "recorded_at"));
	page_td_end(h);
	page_td(h, s_of(ev, "kind"));
	page_td(h, s_of(by, "user") ? s_of(by, "user") : s_of(by, "agency"));
	page_td_begin(h);
	html_text(h, summary.data);
	json_array_foreach(am, i, a) {
		const char *key;
		json_t *v;
		html_lit(h, "<div class=\"govuk-inset-text\">");
		page_tag(h, "Amended", "purple");
		html_textf(h, " by approval %lld (requested by %s). Original: ",
		           (long long)json_integer_value(json_object_get(a, "approved")), s_of(a, "requested_by"));
		json_object_foreach((json_t *)json_object_get(a, "original"), key, v) {
			char *text = value_text(v);
			html_textf(h, "%s = \u201c%s\u201d; ", key, text);
			free(text);
		}
		html_lit(h, "</div>");
	}
	page_td_end(h);
	page_tr_end(h);
	buf_release(&summary);
}

static void closing_cell(html *h, const json_t *c)
{
	page_td_begin(h);
	if (c) {
		page_date(h, s_of(c, "day"));
		html_textf(h, " by %s", s_of(c, "by") ? s_of(c, "by") : "unknown");
		if (s_of(c, "text"))
			html_textf(h, ": %s", s_of(c, "text"));
	} else {
		html_lit(h, "Not yet");
	}
	page_td_end(h);
}

int page_review_child(http_req *r, http_resp *w)
{
	const char *child = r->params[0];
	query_alert_opts ao = {child, NULL, NULL, "all", NULL};
	collect_ctx events = {json_array()}, seen = {json_array()};
	json_t *summary = NULL, *alerts = NULL, *item;
	const char *param = NULL;
	html h = HTML_INIT(&w->body);
	buf title = BUF_INIT, url = BUF_INIT;
	sl_err err = {0};
	size_t i;
	int rc;

	if ((rc = query_child_summary(r->a, child, &summary, &err)) ||
	    (rc = app_person_events(r->a, child, collect, &events, &err)) ||
	    (rc = query_alerts(r->a, &ao, &alerts, &param, &err)) ||
	    (rc = auth_access_list(r->a, child, collect, &seen, &err))) {
		rc = page_error_err(r, w, &err);
		goto done;
	}
	buf_printf(&title, "Review: %s (%s)", s_of(summary, "name") ? s_of(summary, "name") : child, child);
	page_begin(&h, r, title.data, "reviewer");
	html_elem(&h, "h1", title.data, "class", "govuk-heading-l", NULL);
	buf_puts(&url, "/review/");
	html_url_part(&url, child);
	buf_puts(&url, "/pack.zip");
	html_lit(&h, "<p class=\"govuk-body\">");
	html_open(&h, "a", "href", url.data, "class", "govuk-link", "download", "", NULL);
	html_lit(&h, "Download the review pack (zip)</a>: a printable report of the chronology (amendments and "
	             "late entries marked), who knew what when, the alerts and who read the record, with every event's "
	             "proof against the signed checkpoint, to check offline with <code>safeledger verify-pack</code> "
	             "or any RFC 6962 tool.</p>");
	buf_truncate(&url, url.len - strlen("pack.zip"));
	buf_puts(&url, "proof.json");
	html_lit(&h, "<p class=\"govuk-body\">");
	html_open(&h, "a", "href", url.data, "class", "govuk-link", "download", "", NULL);
	html_lit(&h, "Download the proof bundle</a> (JSON): every event below with its salt and an inclusion proof "
	             "against the signed checkpoint, to check that none was changed.</p>");
	html_lit(&h, "<ul class=\"govuk-list\"><li><a class=\"govuk-link\" href=\"#history\">Full history</a></li>"
	             "<li><a class=\"govuk-link\" href=\"#alerts\">Alerts</a></li>"
	             "<li><a class=\"govuk-link\" href=\"#access\">Who saw the record</a></li></ul>");

	html_lit(&h, "<h2 class=\"govuk-heading-m\" id=\"history\">Full history</h2>");
	html_lit(&h, "<p class=\"govuk-body\">");
	html_textf(&h, "%zu events, in the order they were recorded.", json_array_size(events.items));
	html_lit(&h, "</p>");
	page_table_begin(&h, NULL,
	                 (const char *const[]){"Event", "Happened", "Recorded", "Kind", "By", "What was recorded", NULL});
	json_array_foreach(events.items, i, item) history_row(&h, item);
	page_table_end(&h);

	html_lit(&h, "<h2 class=\"govuk-heading-m\" id=\"alerts\">Alerts</h2>");
	if (json_array_size(json_object_get(alerts, "alerts")) == 0) {
		html_lit(&h, "<p class=\"govuk-body\">No alert was raised about this child.</p>");
	} else {
		page_table_begin(&h, NULL,
		                 (const char *const[]){"Alert", "Raised", "Why", "Acknowledged", "Resolved", NULL});
		json_array_foreach(json_object_get(alerts, "alerts"), i, item) {
			page_tr_begin(&h);
			page_td_begin(&h);
			page_alert_tag(&h, s_of(item, "code"));
			page_td_end(&h);
			page_td_begin(&h);
			page_date(&h, s_of(item, "raised_on"));
			page_td_end(&h);
			page_td(&h, s_of(item, "reason"));
			closing_cell(&h, json_object_get(item, "acknowledged"));
			closing_cell(&h, json_object_get(item, "resolved"));
			page_tr_end(&h);
		}
		page_table_end(&h);
	}

	html_lit(&h, "<h2 class=\"govuk-heading-m\" id=\"access\">Who saw the record</h2>");
	page_table_begin(&h, NULL, (const char *const[]){"When", "Who", "Role", "How", "Break-glass reason", NULL});
	json_array_foreach(seen.items, i, item) {
		page_tr_begin(&h);
		page_td(&h, s_of(item, "at"));
		page_td(&h, s_of(item, "user"));
		page_td(&h, s_of(item, "role"));
		page_td(&h, s_of(item, "route"));
		page_td(&h, s_of(item, "break_glass") ? s_of(item, "break_glass") : "");
		page_tr_end(&h);
	}
	page_table_end(&h);
	page_end(&h);
	rc = page_ok(w);
done:
	json_decref(summary);
	json_decref(alerts);
	json_decref(events.items);
	json_decref(seen.items);
	buf_release(&title);
	buf_release(&url);
	return rc;
}

/* ---- /review/{id}/proof.json and /review/{id}/pack.zip -------------------------------------- */

/* Signed checkpoints covering every event, and this very read of the
 * record, so that each has a proof (as GET /api/v1/events/{seq} does when
 * the log has grown since the last). */
static int fresh_checkpoints(http_req *r, sl_err *err)
{
	app *wr = http_writer_lock(r);
	int rc = app_checkpoint_log(wr, STORE_LOG_CASES, true, NULL, err);
	if (rc == 0)
		rc = app_checkpoint_log(wr, STORE_LOG_ACCESS, true, NULL, err);
	http_writer_unlock(r);
	return rc;
}

static void attachment(http_resp *w, const char *child, const char *suffix)
{
	buf disposition = BUF_INIT;
	buf_puts(&disposition, "attachment; filename=\"");
	html_url_part(&disposition, child);
	buf_puts(&disposition, suffix);
	buf_putc(&disposition, '"');
	http_resp_header(w, "Content-Disposition", disposition.data);
	buf_release(&disposition);
}

int page_review_proof(http_req *r, http_resp *w)
{
	const char *child = r->params[0];
	json_t *bundle = NULL;
	char *text = NULL;
	sl_err err = {0};

	if (fresh_checkpoints(r, &err) || review_pack_proof_json(r->a, child, &bundle, &err))
		return page_error_err(r, w, &err);
	if (!(text = json_dumps(bundle, JSON_INDENT(1)))) {
		json_decref(bundle);
		sl_fail(&err, SL_ENOMEM, "the proof bundle of %s cannot be written", child);
		return page_error_err(r, w, &err);
	}
	w->status = 200;
	w->content_type = "application/json";
	buf_puts(&w->body, text);
	buf_putc(&w->body, '\n');
	attachment(w, child, "-proof.json");
	free(text);
	json_decref(bundle);
	return 200;
}

int page_review_pack(http_req *r, http_resp *w)
{
	const char *child = r->params[0];
	review_pack_opts o = {child, NULL, NULL, r->user->login};
	sl_err err = {0};

	if (fresh_checkpoints(r, &err) || review_pack_build(r->a, &o, &w->body, NULL, &err))
		return page_error_err(r, w, &err);
	w->status = 200;
	w->content_type = "application/zip";
	attachment(w, child, "-review-pack.zip");
	return 200;
}
