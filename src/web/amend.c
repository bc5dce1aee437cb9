/*
 * amend.c - asking for a correction: GET and POST
 * /children/{id}/events/{seq}/amend.
 *
 * Nothing in the ledger is edited (DESIGN 4): a correction is an
 * `amendment.requested` event naming the entry, the fields to replace and
 * why, which a senior manager approves or rejects on /team.  The form
 * shows the entry as it reads now (with corrections already approved) and
 * one input per field it holds, filled with its value; the post sends
 * only the fields that were changed, with the reason, through the one
 * write path (http_append_event), so the vocabulary judges the request
 * exactly as it judges one from the API: it refuses a change of whom the
 * entry is about (child, person, ...: those fields are shown, not
 * editable), a value invalid for the entry's kind, and entries that cannot
 * be corrected (amendments, alerts, access decisions).  Errors come back
 * next to the field, GOV.UK style, and nothing is written.
 *
 * The route carries the child so that the server's per-child access check
 * and access log run before the handler (HTTP_CHILD); the handler then
 * makes sure the entry is about that child.
 */
#include "util/common.h"
#include "web/pages.h"
#include "web/layout.h"
#include "app/query.h"
#include "http/api.h"
#include "domain/vocab.h"
#include "util/date.h"
#include "web/timeline.h"

#define AMEND_MAX_FIELDS 24

/* Free text gets a text area; everything else a one-line input. */
static bool long_text(const char *name, const char *value)
{
	static const char *const areas[] = {"summary", "text", "rationale", "description", "explanation",
	                                    "response", "reason", "note"};
	for (size_t i = 0; i < SL_ARRAY_LEN(areas); i++)
		if (strcmp(areas[i], name) == 0)
			return true;
	return strlen(value) > 80;
}

/* "seen_alone" -> "Seen alone" */
static void label_of(const char *name, char *out, size_t size)
{
	size_t i;
	for (i = 0; name[i] && i + 1 < size; i++)
		out[i] = name[i] == '_' ? ' ' : name[i];
	out[i] = '\0';
	if (out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

/* A list value as the form shows it: "a, b, c". */
static void list_text(const json_t *v, buf *out)
{
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) {
		if (i)
			buf_puts(out, ", ");
		buf_puts(out, json_string_value(x) ? json_string_value(x) : "");
	}
}

/* A field the form can offer: text, yes/no, or a list of words; not one
 * that says whom or what the entry is about. */
static bool editable(const char *name, const json_t *v)
{
	if (vocab_field_is_about(name))
		return false;
	if (json_is_string(v) || json_is_boolean(v))
		return true;
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) if (!json_is_string(x)) return false;
		return true;
	}
	return false;
}

/* The entry (query_event's answer) when it is about this child: 0, or a
 * page already sent. */
static int load_entry(http_req *r, http_resp *w, uint64_t *seq, json_t **out, int *sent)
{
	json_t *q = NULL, *c;
	sl_err err = {0};
	bool about = false;
	size_t i;
	int rc;

	*sent = 0;
	if (query_parse_seq(r->params[1], seq, &err)) {
		*sent = 1;
		return page_error(r, w, 404, "There is no such entry.");
	}
	if ((rc = query_event(r->a, *seq, &q, &err))) {
		*sent = 1;
		return rc == SL_ENOTFOUND ? page_error(r, w, 404, "There is no such entry.") : page_error_err(r, w, &err);
	}
	json_array_foreach(json_object_get(q, "children"), i, c) if (json_is_string(c) &&
	                                                             strcmp(json_string_value(c), r->params[0]) == 0)
		about = true;
	if (!about) {
		json_decref(q);
		*sent = 1;
		return page_error(r, w, 404, "There is no such entry in this child's record.");
	}
	*out = q;
	return 0;
}

static void field_input(html *h, const page_errors *e, const char *name, const json_t *v, const char *typed)
{
	char id[80], label[80];
	buf value = BUF_INIT;
	static const page_option yesno[] = {{"true", "Yes", NULL}, {"false", "No", NULL}};

	snprintf(id, sizeof(id), "f-%s", name);
	label_of(name, label, sizeof(label));
	if (typed) {
		buf_puts(&value, typed);
	} else if (json_is_string(v)) {
		buf_puts(&value, json_string_value(v));
	} else if (json_is_boolean(v)) {
		buf_puts(&value, json_is_true(v) ? "true" : "false");
	} else {
		list_text(v, &value);
	}
	if (json_is_boolean(v)) {
		page_radios(h, e, &(page_field){.name = id, .label = label, .value = value.data}, yesno, 2, true);
	} else if (json_is_array(v)) {
		page_input(h, e, &(page_field){.name = id, .label = label, .hint = "Separate the values with commas",
		                               .value = value.data});
	} else if (long_text(name, buf_str(&value))) {
		page_textarea(h, e, &(page_field){.name = id, .label = label, .value = value.data});
	} else {
		page_input(h, e, &(page_field){.name = id, .label = label, .value = value.data});
	}
	buf_release(&value);
}

static int amend_page(http_req *r, http_resp *w, const json_t *q, int status, const page_errors *e)
{
	html h = HTML_INIT(&w->body);
	const json_t *ev = json_object_get(q, "event"), *data = json_object_get(ev, "data"), *v;
	const char *kind = json_string_value(json_object_get(q, "kind")), *key;
	char d1[PAGE_DATE_MAX], title[64], label[80];
	buf back = BUF_INIT, action = BUF_INIT, summary = BUF_INIT;
	size_t pending = 0, i;
	json_t *req;

	buf_puts(&back, "/children/");
	html_url_part(&back, r->params[0]);
	buf_printf(&action, "%s/events/%s/amend", back.data, r->params[1]);
	json_array_foreach(json_object_get(q, "requests"), i, req) {
		const char *st = json_string_value(json_object_get(req, "status"));
		if (st && strcmp(st, "pending") == 0)
			pending++;
	}
	buf_reset(&w->body);
	snprintf(title, sizeof(title), "%sAsk for a correction", e && e->n ? "Error: " : "");
	page_begin(&h, r, title, NULL);
	html_elem(&h, "a", "Back to the record", "href", back.data, "class", "govuk-back-link", NULL);
	html_lit(&h, "<div class=\"govuk-grid-row\"><div class=\"govuk-grid-column-two-thirds\">");
	page_error_summary(&h, e);
	html_elem(&h, "h1", "Ask for a correction", "class", "govuk-heading-l", NULL);
	html_lit(&h, "<p class=\"govuk-body\">The entry is not changed: your request, with its reason, goes to a senior "
	             "manager. If they approve it the record shows the new values, and the original stays visible "
	             "beside them.</p>");
	if (pending)
		html_lit(&h, "<div class=\"govuk-inset-text\">A correction of this entry is already waiting for a "
		             "decision.</div>");
	page_summary_begin(&h);
	page_summary_row(&h, "Entry", timeline_kind_label(kind ? kind : ""));
	page_summary_row(&h, "Happened", page_date_format(json_string_value(json_object_get(ev, "occurred_at")), d1));
	page_summary_row(&h, "Recorded", page_date_format(json_string_value(json_object_get(q, "recorded_at")), d1));
	query_event_summary(ev, &summary);
	page_summary_row(&h, "Reads now", buf_str(&summary));
	json_object_foreach((json_t *)data, key, v) {
		if (editable(key, v))
			continue;
		label_of(key, label, sizeof(label));
		page_summary_row(&h, label, json_is_string(v) ? json_string_value(v) : "(not changeable)");
	}
	page_summary_end(&h);

	html_open(&h, "form", "method", "post", "action", action.data, "novalidate", "", NULL);
	page_csrf(&h, r);
	json_object_foreach((json_t *)data, key, v) {
		char id[80];
		if (!editable(key, v))
			continue;
		snprintf(id, sizeof(id), "f-%s", key);
		field_input(&h, e, key, v, e && e->n ? http_form(r, id) : NULL);
	}
	page_textarea(&h, e, &(page_field){.name = "reason", .label = "Why is the correction needed?",
	                                   .hint = "The approver and any later reader of the record see this.",
	                                   .value = e && e->n ? http_form(r, "reason") : NULL});
	page_button(&h, "Send the request");
	html_close(&h, "form");
	html_lit(&h, "</div></div>");
	page_end(&h);
	buf_release(&back);
	buf_release(&action);
	buf_release(&summary);
	return page_send(w, status);
}

/* The typed value of a field as JSON of the current value's type. */
static json_t *typed_value(const json_t *current, const char *text)
{
	if (json_is_boolean(current)) {
		if (strcmp(text, "true") == 0)
			return json_true();
		if (strcmp(text, "false") == 0)
			return json_false();
		return NULL;
	}
	if (json_is_array(current)) {
		json_t *list = json_array();
		const char *p = text;
		while (*p) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			while (n && (*p == ' ' || *p == '\t'))
				p++, n--;
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
			if (n) {
				char *word = xstrndup(p, n);
				json_array_append_new(list, json_string(word));
				free(word);
			}
			if (!end)
				break;
			p = end + 1;
		}
		return list;
	}
	return json_string(text);
}

int page_amend_form(http_req *r, http_resp *w)
{
	json_t *q = NULL;
	uint64_t seq;
	int sent, rc;

	if (!api_may_record(r->user->role, "amendment.requested"))
		return page_error(r, w, 403, "Your role may not ask for corrections.");
	if ((rc = load_entry(r, w, &seq, &q, &sent)) || sent)
		return rc;
	rc = amend_page(r, w, q, 200, NULL);
	json_decref(q);
	return rc;
}

int page_amend_post(http_req *r, http_resp *w)
{
	app_write_opts o = {.recorder = r->user->login, .live = true};
	json_t *q = NULL, *patch = json_object(), *ev = NULL, *v;
	const json_t *data;
	const char *key, *reason = http_form(r, "reason");
	page_errors e = {0};
	buf back = BUF_INIT, today = BUF_INIT;
	ledger_entry le;
	sl_err err = {0};
	uint64_t seq;
	int sent, rc;

	if (!api_may_record(r->user->role, "amendment.requested")) {
		json_decref(patch);
		return page_error(r, w, 403, "Your role may not ask for corrections.");
	}
	if ((rc = load_entry(r, w, &seq, &q, &sent)) || sent) {
		json_decref(patch);
		return rc;
	}
	data = json_object_get(json_object_get(q, "event"), "data");
	json_object_foreach((json_t *)data, key, v) {
		char id[80];
		const char *typed;
		json_t *nv;
		if (!editable(key, v))
			continue;
		snprintf(id, sizeof(id), "f-%s", key);
		if (!(typed = http_form(r, id)))
			continue;
		if (!(nv = typed_value(v, typed))) {
			page_errors_add(&e, id, "Choose yes or no");
			continue;
		}
		if (json_equal(nv, v))
			json_decref(nv);
		else
			json_object_set_new(patch, key, nv);
	}
	if (!reason || !*reason)
		page_errors_add(&e, "reason", "Enter why the correction is needed");
	if (!e.n && json_object_size(patch) == 0) {
		json_object_foreach((json_t *)data, key, v) if (editable(key, v)) {
			char id[80];
			snprintf(id, sizeof(id), "f-%s", key);
			page_errors_add(&e, id, "Change at least one value: the entry already reads like this");
			break;
		}
		if (!e.n)
			page_errors_add(&e, "reason", "This entry holds nothing that can be corrected");
	}
	if (e.n) {
		rc = amend_page(r, w, q, 422, &e);
		goto out;
	}
	date_format_day(&today, app_today(r->a));
	ev = json_pack("{s:s, s:s, s:{s:s}, s:{s:I, s:s, s:O}}", "kind", "amendment.requested", "occurred_at",
	               today.data, "by", "user", r->user->login, "data", "target", (json_int_t)seq, "reason", reason,
	               "data", patch);
	if (!ev) {
		rc = page_error(r, w, 400, "The form holds text that is not valid.");
		goto out;
	}
	rc = http_append_event(r, ev, &o, &le, &err);
	if (rc == SL_EINVAL || ((rc == SL_ENOTFOUND || rc == SL_ECONFLICT) && strstr(err.msg, "field `"))) {
		page_errors_from(&e, &err, "reason");
		/* `data.data.x` (a replacement value) is the form's f-x */
		if (strncmp(e.v[0].field, "data.", 5) == 0) {
			char id[PAGE_FIELD_MAX];
			snprintf(id, sizeof(id), "f-%.*s", (int)sizeof(id) - 3, e.v[0].field + 5);
			snprintf(e.v[0].field, sizeof(e.v[0].field), "%s", id);
		} else if (strcmp(e.v[0].field, "reason") != 0) {
			snprintf(e.v[0].field, sizeof(e.v[0].field), "reason");
		}
		rc = amend_page(r, w, q, 422, &e);
		goto out;
	}
	if (rc) {
		rc = page_error_err(r, w, &err);
		goto out;
	}
	buf_puts(&back, "/children/");
	html_url_part(&back, r->params[0]);
	buf_puts(&back, "?recorded=amendment");
	rc = page_redirect(w, back.data);
out:
	json_decref(ev);
	json_decref(patch);
	json_decref(q);
	buf_release(&back);
	buf_release(&today);
	return rc;
}
