/*
 * review_report.c - report.html, the review pack's printable report
 * (docs/review-pack.md): the child and the people linked to them, the
 * chronology with amendments (original and amended values, who asked and
 * who approved) and late entries marked, who knew what when, the alerts
 * and their handling, who read the record, and the proof it rests on.
 *
 * Written through the HTML writer (web/html.h), so every value from the
 * record is escaped by construction.  Inline CSS is allowed here alone: the
 * report is a download meant to be printed, not a page the server serves
 * under its Content-Security-Policy; it has no scripts.  Every item names
 * its ledger seq, which events.jsonl and proofs.jsonl prove.
 *
 * Late entries are marked as the rules define them (DESIGN 6, LATE_ENTRY
 * in the configuration in force): recorded more than N working days after
 * the day they occurred.  "Who knew what, when" groups the concerns by
 * category, the injuries by body part, the risk flags by person, domestic
 * abuse notices and significant-harm information, each in the order it was
 * recorded, so the first row of a group is the first time anyone recorded
 * it and which agency that was.
 */
#include "util/common.h"
#include "report/review_pack_internal.h"
#include "app/query.h"
#include "domain/calendar.h"
#include "web/html.h"

static const char *agency_of(const json_t *event)
{
	const char *a = s_of(json_object_get(event, "data"), "agency");
	if (!a)
		a = s_of(json_object_get(event, "by"), "agency");
	return a ? a : "social_care"; /* DESIGN 6.1.5 */
}

static void by_text(buf *out, const json_t *event)
{
	const json_t *by = json_object_get(event, "by");
	if (s_of(by, "user"))
		buf_puts(out, s_of(by, "user"));
	else if (s_of(by, "agency")) {
		buf_puts(out, s_of(by, "agency"));
		if (s_of(by, "role") || s_of(by, "name"))
			buf_printf(out, " (%s%s%s)", or_empty(s_of(by, "role")), s_of(by, "role") && s_of(by, "name") ? ", " : "",
			           or_empty(s_of(by, "name")));
	} else
		buf_puts(out, or_empty(s_of(event, "recorder")));
}

static char *value_text(const json_t *v)
{
	if (!v || json_is_null(v))
		return xstrdup("(not recorded)");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

static void td(html *h, const char *text)
{
	html_elem(h, "td", text, NULL);
}

static void td_seq(html *h, uint64_t seq)
{
	char s[HTML_FMT_MAX];
	html_elem(h, "td", html_fmt(s, "%llu", (unsigned long long)seq), "class", "seq", NULL);
}

static void table_begin(html *h, const char *const *heads)
{
	html_lit(h, "<table><thead><tr>");
	for (; *heads; heads++)
		html_elem(h, "th", *heads, "scope", "col", NULL);
	html_lit(h, "</tr></thead><tbody>");
}

static void table_end(html *h)
{
	html_lit(h, "</tbody></table>");
}

/* Working days by which an entry was late, or 0 when it was not.  The
 * rules decide what is a late entry (LATE_ENTRY judges live writes only:
 * history imported from an earlier system is recorded on its import day
 * and is not late), so an entry is marked when a LATE_ENTRY alert cites
 * it; the days are counted with the rules' calendar. */
static int late_by(const pack *p, const pack_event *e)
{
	const rules_config *cfg = app_rules_config(p->a);
	const json_t *alert, *seq;
	sl_date rec;
	bool cited = false;
	size_t i, j;

	json_array_foreach(json_object_get(p->alerts, "alerts"), i, alert) {
		if (strcmp(or_empty(s_of(alert, "code")), "LATE_ENTRY") != 0)
			continue;
		json_array_foreach(json_object_get(alert, "evidence"), j, seq) if (json_is_integer(seq) &&
		                                                                   (uint64_t)json_integer_value(seq) ==
		                                                                       e->seq) cited = true;
	}
	if (!cited || date_parse(or_empty(s_of(e->item, "recorded_at")), &rec, NULL))
		return 0;
	return calendar_wd_between(cfg->cal, e->occurred.day, rec.day);
}

static const char *person_name(const pack *p, const char *id)
{
	const json_t *person;
	size_t i;
	json_array_foreach(json_object_get(p->network, "people"), i, person) {
		if (id && strcmp(or_empty(s_of(person, "id")), id) == 0)
			return s_of(person, "name");
	}
	return NULL;
}

static const char *approver(const pack *p, uint64_t approval)
{
	const pack_event *e = pack_list_find(&p->ev, approval);
	const json_t *ev = e ? json_object_get(e->item, "event") : NULL;
	const char *user = s_of(json_object_get(ev, "by"), "user");
	return user ? user : s_of(ev, "recorder");
}

/* Each approved amendment: every field's original and amended value, who
 * asked and who approved. */
static void amendments_html(html *h, const pack *p, const json_t *item)
{
	const json_t *am = json_object_get(item, "amendments"), *a, *v;
	const json_t *data = json_object_get(json_object_get(item, "event"), "data");
	const char *key;
	size_t i;

	json_array_foreach(am, i, a) {
		const json_t *next = json_array_get(am, i + 1);
		html_lit(h, "<div class=\"amend\"><strong class=\"tag amended\">Amended</strong> ");
		html_textf(h, "requested by %s (seq %llu", or_empty(s_of(a, "requested_by")),
		           (unsigned long long)seq_of(a, "request"));
		if (s_of(a, "reason"))
			html_textf(h, ", reason: %s", s_of(a, "reason"));
		html_textf(h, "), approved by %s (seq %llu).", or_empty(approver(p, seq_of(a, "approved"))),
		           (unsigned long long)seq_of(a, "approved"));
		html_lit(h, "<ul>");
		json_object_foreach((json_t *)json_object_get(a, "original"), key, v) {
			const json_t *later = json_object_get(json_object_get(next, "original"), key);
			char *was = value_text(v), *now = value_text(later ? later : json_object_get(data, key));
			html_lit(h, "<li>");
			html_elem(h, "code", key, NULL);
			html_lit(h, ": original <q class=\"original\">");
			html_text(h, was);
			html_lit(h, "</q>, amended to <q class=\"amended-value\">");
			html_text(h, now);
			html_lit(h, "</q></li>");
			free(was);
			free(now);
		}
		html_lit(h, "</ul></div>");
	}
}

static int by_occurred(const void *x, const void *y)
{
	const pack_event *a = *(pack_event *const *)x, *b = *(pack_event *const *)y;
	int c = date_compare(&a->occurred, &b->occurred);
	return c ? c : a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void about_text(buf *out, const pack *p, const pack_event *e)
{
	const json_t *data = json_object_get(json_object_get(e->item, "event"), "data"), *v;
	const char *person = s_of(data, "person");
	size_t i;

	if (!e->linked) {
		buf_puts(out, p->child);
		return;
	}
	if (person) {
		buf_printf(out, "%s (%s)", person_name(p, person) ? person_name(p, person) : person, person);
		return;
	}
	json_array_foreach(json_object_get(data, "persons"), i, v) {
		const char *id = json_string_value(v);
		buf_printf(out, "%s%s (%s)", i ? ", " : "", person_name(p, id) ? person_name(p, id) : or_empty(id),
		           or_empty(id));
	}
}

static void report_chronology(html *h, const pack *p)
{
	pack_event **order = xcalloc(p->ev.n ? p->ev.n : 1, sizeof(*order));
	const rules_config *cfg = app_rules_config(p->a);
	size_t i, late = 0, amended = 0;

	for (i = 0; i < p->ev.n; i++)
		order[i] = &p->ev.v[i];
	if (p->ev.n)
		qsort(order, p->ev.n, sizeof(*order), by_occurred);
	for (i = 0; i < p->ev.n; i++) {
		late += late_by(p, order[i]) > 0;
		amended += json_array_size(json_object_get(order[i]->item, "amendments")) > 0;
	}
	html_lit(h, "<h2 id=\"chronology\">Chronology</h2><p>");
	html_textf(h, "%zu events in the order they happened (then the order they were recorded): every event about "
	              "%s, and the agency information, risk flags and domestic abuse notices about the people linked "
	              "to them, with the events the sections below cite. %zu were amended after approval (the "
	              "original values are shown beside the amended ones); %zu are late entries: written more than "
	              "%d working days after they happened, as the LATE_ENTRY rule found when they were recorded (history "
	              "imported from an earlier system is not judged: it carries the day of its import).",
	           p->ev.n, p->child, amended, late, cfg->param[P_LATE_ENTRY_WD]);
	html_lit(h, "</p>");
	table_begin(h, (const char *const[]){"Seq", "Happened", "Recorded", "Kind", "About", "Agency", "By",
	                                     "What was recorded", NULL});
	for (i = 0; i < p->ev.n; i++) {
		const pack_event *e = order[i];
		const json_t *ev = json_object_get(e->item, "event");
		buf s = BUF_INIT;
		char id[HTML_FMT_MAX];
		int wd = late_by(p, e);

		html_open(h, "tr", "id", html_fmt(id, "seq-%llu", (unsigned long long)e->seq), "class",
		          e->linked ? "linked" : NULL, NULL);
		td_seq(h, e->seq);
		td(h, s_of(ev, "occurred_at"));
		td(h, s_of(e->item, "recorded_at"));
		td(h, s_of(ev, "kind"));
		about_text(&s, p, e);
		td(h, s.data);
		td(h, agency_of(ev));
		buf_reset(&s);
		by_text(&s, ev);
		td(h, s.data);
		buf_reset(&s);
		query_event_summary(ev, &s);
		html_lit(h, "<td>");
		html_text(h, s.data);
		if (wd) {
			html_lit(h, " <strong class=\"tag late\">Late entry</strong> ");
			html_textf(h, "recorded %d working days after it happened", wd);
		}
		amendments_html(h, p, e->item);
		html_lit(h, "</td></tr>");
		buf_release(&s);
	}
	table_end(h);
	free(order);
}

/* The group an event belongs to in "who knew what, when", or false. */
static bool knew_group(const pack *p, const json_t *ev, buf *out)
{
	const char *kind = or_empty(s_of(ev, "kind"));
	const json_t *data = json_object_get(ev, "data");

	if (strcmp(kind, "concern.raised") == 0)
		buf_printf(out, "Concern: %s", or_empty(s_of(data, "category")));
	else if (strcmp(kind, "injury.observed") == 0)
		buf_printf(out, "Injury: %s", s_of(data, "body_part") ? s_of(data, "body_part") : "body part not recorded");
	else if (strcmp(kind, "risk.flagged") == 0)
		buf_printf(out, "Risk flag: %s (%s)",
		           person_name(p, s_of(data, "person")) ? person_name(p, s_of(data, "person")) : "",
		           or_empty(s_of(data, "person")));
	else if (strcmp(kind, "domestic_abuse.notified") == 0)
		buf_puts(out, "Domestic abuse notice");
	else if (strcmp(kind, "agency_info.received") == 0 && json_is_true(json_object_get(data, "significant_harm")))
		buf_puts(out, "Significant harm reported by an agency");
	else
		return false;
	return true;
}

static void report_knew(html *h, const pack *p)
{
	json_t *groups = json_object(), *list;
	const char *name;
	buf key = BUF_INIT, s = BUF_INIT;
	size_t i, j;
	json_t *pos;

	/* seq order is the order things were recorded */
	for (i = 0; i < p->ev.n; i++) {
		const json_t *ev = json_object_get(p->ev.v[i].item, "event");
		buf_reset(&key);
		if (!knew_group(p, ev, &key))
			continue;
		if (!(list = json_object_get(groups, key.data)))
			json_object_set_new(groups, key.data, list = json_array());
		json_array_append_new(list, json_integer((json_int_t)i));
	}
	html_lit(h, "<h2 id=\"knew\">Who knew what, when</h2><p>For each concern category, injury, risk flag and "
	            "domestic abuse notice: the first time it was recorded and by which agency, then each later "
	            "record, in the order they were recorded.</p>");
	if (json_object_size(groups) == 0)
		html_lit(h, "<p>No concern, injury, risk flag or domestic abuse notice was recorded in the period.</p>");
	json_object_foreach(groups, name, list) {
		html_elem(h, "h3", name, NULL);
		table_begin(h, (const char *const[]){"", "Recorded", "Happened", "Agency", "Seq", "What was recorded",
		                                     NULL});
		json_array_foreach(list, j, pos) {
			const pack_event *e = &p->ev.v[json_integer_value(pos)];
			const json_t *ev = json_object_get(e->item, "event");
			html_lit(h, "<tr>");
			if (j == 0)
				html_lit(h, "<td><strong class=\"tag first\">First known</strong></td>");
			else
				html_lit(h, "<td>Later</td>");
			td(h, s_of(e->item, "recorded_at"));
			td(h, s_of(ev, "occurred_at"));
			td(h, agency_of(ev));
			td_seq(h, e->seq);
			buf_reset(&s);
			query_event_summary(ev, &s);
			td(h, s.data);
			html_lit(h, "</tr>");
		}
		table_end(h);
	}
	json_decref(groups);
	buf_release(&key);
	buf_release(&s);
}

static void closing_td(html *h, const json_t *c)
{
	html_lit(h, "<td>");
	if (c && seq_of(c, "seq")) {
		html_textf(h, "%s by %s (seq %llu)", or_empty(s_of(c, "day")), s_of(c, "by") ? s_of(c, "by") : "unknown",
		           (unsigned long long)seq_of(c, "seq"));
		if (s_of(c, "text"))
			html_textf(h, ": %s", s_of(c, "text"));
	} else {
		html_lit(h, "Not yet");
	}
	html_lit(h, "</td>");
}

static void report_alerts(html *h, const pack *p)
{
	const json_t *alerts = json_object_get(p->alerts, "alerts"), *a;
	size_t i;

	html_lit(h, "<h2 id=\"alerts\">Alerts</h2><p>");
	html_textf(h, "%zu alerts raised about %s in the period, newest first: when each was raised, acknowledged "
	              "and resolved, by whom, and why.",
	           json_array_size(alerts), p->child);
	html_lit(h, "</p>");
	table_begin(h, (const char *const[]){"Seq", "Alert", "Raised", "Why", "Acknowledged", "Resolved", NULL});
	json_array_foreach(alerts, i, a) {
		html_lit(h, "<tr>");
		td_seq(h, seq_of(a, "seq"));
		html_lit(h, "<td>");
		html_elem(h, "strong", s_of(a, "code"), NULL);
		html_lit(h, "<br>");
		html_text(h, s_of(a, "ref"));
		html_lit(h, "</td>");
		td(h, s_of(a, "raised_on"));
		td(h, s_of(a, "reason"));
		closing_td(h, json_object_get(a, "acknowledged"));
		closing_td(h, json_object_get(a, "resolved"));
		html_lit(h, "</tr>");
	}
	table_end(h);
}

static void report_access(html *h, const pack *p)
{
	size_t i, glass = 0;

	for (i = 0; i < p->acc.n; i++)
		glass += s_of(p->acc.v[i].item, "break_glass") != NULL;
	html_lit(h, "<h2 id=\"access\">Who read the record</h2><p>");
	html_textf(h, "%zu reads of %s's record in the access log (%zu by break-glass), oldest first. Each is "
	              "proven against the access log's signed checkpoint (access.jsonl).",
	           p->acc.n, p->child, glass);
	html_lit(h, "</p>");
	table_begin(h, (const char *const[]){"Access seq", "When", "Who", "Role", "How", "Break-glass reason", NULL});
	for (i = 0; i < p->acc.n; i++) {
		const json_t *x = p->acc.v[i].item;
		html_lit(h, "<tr>");
		td_seq(h, p->acc.v[i].seq);
		td(h, s_of(x, "at"));
		td(h, s_of(x, "user"));
		td(h, s_of(x, "role"));
		td(h, s_of(x, "route"));
		html_lit(h, "<td>");
		if (s_of(x, "break_glass")) {
			html_lit(h, "<strong class=\"tag glass\">Break-glass</strong> ");
			html_text(h, s_of(x, "break_glass"));
		}
		html_lit(h, "</td></tr>");
	}
	table_end(h);
}

static void report_people(html *h, const pack *p)
{
	const json_t *s = p->summary, *person, *link, *flag;
	size_t i, j;

	html_lit(h, "<h2 id=\"people\">The child and the people linked to them</h2><dl>");
	html_lit(h, "<dt>Child</dt><dd>");
	html_textf(h, "%s (%s)", s_of(s, "name") ? s_of(s, "name") : p->child, p->child);
	html_lit(h, "</dd>");
	if (s_of(s, "born")) {
		html_lit(h, "<dt>Born</dt>");
		html_elem(h, "dd", s_of(s, "born"), NULL);
	}
	if (s_of(s, "expected")) {
		html_lit(h, "<dt>Expected</dt>");
		html_elem(h, "dd", s_of(s, "expected"), NULL);
	}
	html_lit(h, "</dl>");
	table_begin(h, (const char *const[]){"Person", "Role", "Linked as", "Hop", "Risk flags now", NULL});
	json_array_foreach(json_object_get(p->network, "people"), i, person) {
		const char *id = or_empty(s_of(person, "id"));
		buf b = BUF_INIT;
		if (strcmp(id, p->child) == 0)
			continue;
		html_lit(h, "<tr>");
		buf_printf(&b, "%s (%s)", s_of(person, "name") ? s_of(person, "name") : id, id);
		td(h, b.data);
		td(h, s_of(person, "role"));
		buf_reset(&b);
		json_array_foreach(json_object_get(p->network, "links"), j, link) {
			const char *a = or_empty(s_of(link, "a")), *bb = or_empty(s_of(link, "b"));
			if ((strcmp(a, id) == 0 && strcmp(bb, p->child) == 0) || (strcmp(bb, id) == 0 && strcmp(a, p->child) == 0))
				buf_printf(&b, "%s%s %s %s", b.len ? "; " : "", a, or_empty(s_of(link, "relation")), bb);
		}
		td(h, b.len ? b.data : "(through another person)");
		td_seq(h, (uint64_t)json_integer_value(json_object_get(person, "hop")));
		html_lit(h, "<td>");
		json_array_foreach(json_object_get(person, "risk_flags"), j, flag) {
			if (json_is_true(json_object_get(flag, "risk_to_children")))
				html_lit(h, "<strong class=\"tag late\">Risk to children</strong> ");
			html_textf(h, "%s: %s; ", or_empty(s_of(flag, "agency")), or_empty(s_of(flag, "summary")));
		}
		html_lit(h, "</td></tr>");
		buf_release(&b);
	}
	table_end(h);
}

/* Inline CSS: the report is a download meant to be printed, not a page
 * the server serves (no scripts either). */
static void report_head(html *h, const pack *p, const review_pack_opts *o, const char *generated_at)
{
	buf title = BUF_INIT, period = BUF_INIT;
	char hex[65];
	size_t i;

	buf_printf(&title, "Review pack: %s (%s)", s_of(p->summary, "name") ? s_of(p->summary, "name") : p->child,
	           p->child);
	if (o->from || o->to)
		buf_printf(&period, "from %s to %s", o->from ? o->from : "the start of the record",
		           o->to ? o->to : "the end of the record");
	else
		buf_puts(&period, "the whole record");
	html_lit(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
	html_elem(h, "title", title.data, NULL);
	html_lit(h, "<style>body{font:11pt/1.4 Arial,sans-serif;margin:2em;color:#0b0c0c}"
	            "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
	            "th,td{border:1px solid #b1b4b6;padding:4px 6px;text-align:left;vertical-align:top}"
	            "th{background:#f3f2f1}td.seq{font-family:monospace;white-space:nowrap}"
	            "tr.linked{background:#f8f8f8}.tag{display:inline-block;padding:0 4px;font-size:9pt;"
	            "text-transform:uppercase}.late{background:#f6d7d2;color:#2a0b06}"
	            ".amended{background:#dbd5e9;color:#3d2375}.first{background:#cce2d8;color:#005a30}"
	            ".glass{background:#fcd6c3;color:#6e3619}.amend{margin-top:4px;padding-left:8px;"
	            "border-left:4px solid #912b88}pre{white-space:pre-wrap;font-size:9pt}"
	            "@media print{h2{page-break-before:always}tr{page-break-inside:avoid}}</style></head><body>");
	html_elem(h, "h1", title.data, NULL);
	html_lit(h, "<dl><dt>Period</dt>");
	html_elem(h, "dd", period.data, NULL);
	html_lit(h, "<dt>Generated</dt><dd>");
	html_textf(h, "%s%s%s", generated_at, o->generated_by ? " for " : "", or_empty(o->generated_by));
	html_lit(h, "</dd><dt>Log</dt><dd>");
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", p->cases.root[i]);
	html_textf(h, "%s, checkpoint of %llu events, root %s", app_origin(p->a), (unsigned long long)p->cases.size,
	           hex);
	html_lit(h, "</dd></dl><p>Every item below names its ledger seq; events.jsonl in this pack holds each of "
	            "those events as stored with its salt, and proofs.jsonl an inclusion proof against the signed "
	            "checkpoint in checkpoint.txt. Check them with <code>safeledger verify-pack</code> or by hand "
	            "(README.txt).</p><ul><li><a href=\"#people\">The child and the people linked to them</a></li>"
	            "<li><a href=\"#chronology\">Chronology</a></li><li><a href=\"#knew\">Who knew what, when</a></li>"
	            "<li><a href=\"#alerts\">Alerts</a></li><li><a href=\"#access\">Who read the record</a></li>"
	            "<li><a href=\"#proof\">The proof</a></li></ul>");
	buf_release(&title);
	buf_release(&period);
}

static void report_proof(html *h, const pack *p)
{
	html_lit(h, "<h2 id=\"proof\">The proof</h2><p>The case ledger's signed checkpoint (checkpoint.txt):</p><pre>");
	html_text(h, p->cases.note);
	html_lit(h, "</pre><p>The access log's (access-checkpoint.txt):</p><pre>");
	html_text(h, p->access.note);
	html_lit(h, "</pre><p>Signed with the key in key.txt:</p><pre>");
	html_text(h, app_vkey(p->a));
	html_lit(h, "</pre><p>Compare it with the key the authority publishes (<code>/log/key</code>, or "
	            "<code>safeledger key</code>) before trusting any of it.</p></body></html>\n");
}

void review_report_write(const pack *p, const review_pack_opts *o, const char *generated_at, buf *out)
{
	html h = HTML_INIT(out);
	report_head(&h, p, o, generated_at);
	report_people(&h, p);
	report_chronology(&h, p);
	report_knew(&h, p);
	report_alerts(&h, p);
	report_access(&h, p);
	report_proof(&h, p);
}

