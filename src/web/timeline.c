/*
 * timeline.c - the chronology timeline as inline SVG.  See timeline.h.
 *
 * One pass puts each event in a cell (lane, mark type, column) holding a
 * count, the first event's seq and the cell's first and last day; a second
 * pass over the cells draws one mark per non-empty cell.  The columns are
 * COLUMN_PX wide, so marks never crowd closer than that, however many
 * events there are, and the work is linear in the events.
 *
 * Only SVG presentation attributes (fill, stroke, font-size, ...) style
 * the picture: the Content-Security-Policy refuses inline style, and the
 * picture must look right with no stylesheet at all.  Colours are the
 * GOV.UK palette's; every special mark has a black outline (3:1 against
 * the background whatever its fill, WCAG 1.4.11) and a shape of its own.
 */
#include "util/common.h"
#include "web/timeline.h"
#include "domain/vocab.h"
#include "util/date.h"

#include <math.h>

#define WIDTH 960
#define LEFT 150     /* lane labels */
#define RIGHT 16
#define TOP 6
#define LANE_H 34
#define AXIS_H 30
#define LEGEND_H 30
#define COLUMN_PX 8
#define PLOT_W (WIDTH - LEFT - RIGHT)
#define COLUMNS (PLOT_W / COLUMN_PX + 1)

/* Lanes: alerts first, then the agencies of DESIGN 5, social care first
 * (most of a record is the local authority's own work). */
static const char *const lane_agency[] = {
	NULL, /* alerts */
	"social_care", "police", "health", "education", "probation", "housing",
	"early_help", "other_la", "voluntary", "other",
};
#define LANES SL_ARRAY_LEN(lane_agency)
#define LANE_OTHER (LANES - 1)

static const struct {
	const char *agency, *label;
} agencies[] = {
	{"social_care", "Social care"}, {"police", "Police"},       {"health", "Health"},
	{"education", "Education"},     {"probation", "Probation"}, {"housing", "Housing"},
	{"early_help", "Early help"},   {"other_la", "Other council"}, {"voluntary", "Voluntary sector"},
	{"other", "Other"},
};

static const struct {
	const char *kind, *label;
} kinds[] = {
	{"person.registered", "Registered"},
	{"person.updated", "Details updated"},
	{"person.linked", "Linked to a person"},
	{"person.unlinked", "Link ended"},
	{"contact.received", "Contact"},
	{"referral.decided", "Referral decision"},
	{"assessment.started", "Assessment started"},
	{"assessment.completed", "Assessment completed"},
	{"strategy.held", "Strategy discussion"},
	{"s47.completed", "Section 47 enquiry completed"},
	{"conference.held", "Conference"},
	{"meeting.held", "Meeting"},
	{"cin_plan.started", "Child in need plan started"},
	{"cin_plan.ended", "Child in need plan ended"},
	{"lac.started", "Became looked after"},
	{"lac.ended", "Ceased to be looked after"},
	{"visit.recorded", "Visit"},
	{"note.recorded", "Case note"},
	{"agency_info.received", "Agency information"},
	{"concern.raised", "Concern"},
	{"concern.resolved", "Concern resolved"},
	{"injury.observed", "Injury"},
	{"missing.started", "Went missing"},
	{"missing.ended", "Returned from missing"},
	{"return_interview.recorded", "Return interview"},
	{"risk.flagged", "Risk flagged"},
	{"risk.cleared", "Risk cleared"},
	{"domestic_abuse.notified", "Domestic abuse notification"},
	{"case.allocated", "Allocation"},
	{"case.closed", "Case closed"},
	{"escalation.raised", "Escalation"},
	{"escalation.answered", "Escalation answered"},
	{"supervision.recorded", "Supervision"},
	{"amendment.requested", "Amendment requested"},
	{"amendment.approved", "Amendment approved"},
	{"amendment.rejected", "Amendment rejected"},
	{"alert.raised", "Alert"},
	{"alert.acknowledged", "Alert acknowledged"},
	{"alert.resolved", "Alert resolved"},
	{"record.sealed", "Record sealed"},
	{"record.unsealed", "Record unsealed"},
	{"access.granted", "Access granted"},
	{"access.revoked", "Access revoked"},
	{"access.break_glass", "Break-glass access"},
};

/* A kind's row: the first character rules out most rows before a strcmp
 * (the page asks for a label per list entry and per filter option; the
 * picture asks once per distinct kind). */
const char *timeline_kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < SL_ARRAY_LEN(kinds); i++)
		if (kinds[i].kind[0] == kind[0] && strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].label;
	return kind;
}

const char *timeline_agency_label(const char *agency)
{
	for (size_t i = 0; agency && i < SL_ARRAY_LEN(agencies); i++)
		if (strcmp(agencies[i].agency, agency) == 0)
			return agencies[i].label;
	return agency;
}

timeline_mark timeline_mark_of(const char *kind)
{
	if (!kind)
		return TIMELINE_EVENT;
	if (strcmp(kind, "injury.observed") == 0)
		return TIMELINE_INJURY;
	if (strcmp(kind, "missing.started") == 0 || strcmp(kind, "missing.ended") == 0)
		return TIMELINE_MISSING;
	if (strcmp(kind, "alert.raised") == 0)
		return TIMELINE_ALERT;
	return TIMELINE_EVENT;
}

/* Each type's look, and its words in a tooltip and the legend. */
static const struct {
	const char *fill, *one, *many, *legend;
} look[TIMELINE_MARKS] = {
	[TIMELINE_EVENT] = {"#1d70b8", "event", "events", "Event (larger: several)"},
	[TIMELINE_MISSING] = {"#912b88", "missing episode event", "missing episode events", "Missing episode"},
	[TIMELINE_INJURY] = {"#d4351c", "injury", "injuries", "Injury"},
	[TIMELINE_ALERT] = {"#ffdd00", "alert", "alerts", "Alert"},
};

typedef struct cell {
	uint32_t count;
	int32_t first_day, last_day;
	uint64_t seq;      /* of the first event in the cell */
	const char *label; /* of the first event's kind */
} cell;

/* What a kind or agency string decides (its mark and label, or its
 * lane), found once per distinct string and not once per event: the
 * page's events share a few interned strings, so a 5,000-event timeline
 * does a dozen lookups, not 10,000.  Keyed by pointer, which is sound as
 * the strings are borrowed unchanged for the call; a string not held
 * (more than MEMO_MAX distinct ones) is looked up each time. */
#define MEMO_MAX 32
typedef struct memo {
	const char *key[MEMO_MAX];
	int value[MEMO_MAX];
	const char *label[MEMO_MAX];
	size_t n;
} memo;

static int memo_find(const memo *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->key[i] == key)
			return (int)i;
	return -1;
}

static void memo_add(memo *m, const char *key, int value, const char *label)
{
	if (m->n == MEMO_MAX)
		return;
	m->key[m->n] = key;
	m->value[m->n] = value;
	m->label[m->n++] = label;
}

typedef struct layout {
	int32_t d0, d1;       /* axis: first day, day after the last */
	int lane_row[LANES];  /* row of each lane shown, or -1 */
	uint32_t lane_n[LANES];
	uint32_t marks[TIMELINE_MARKS];
	int rows;
	int height;
	cell *cells; /* [LANES][TIMELINE_MARKS][COLUMNS] */
} layout;

static size_t lane_of_agency(const char *agency)
{
	for (size_t i = 1; agency && i < LANES; i++)
		if (strcmp(lane_agency[i], agency) == 0)
			return i;
	return LANE_OTHER;
}

/* An event's mark and kind label, and its lane (alerts have their own). */
static void classify(memo *kinds_seen, memo *agencies_seen, const timeline_event *e, timeline_mark *m,
                     const char **label, size_t *lane)
{
	int i = memo_find(kinds_seen, e->kind);

	if (i >= 0) {
		*m = (timeline_mark)kinds_seen->value[i];
		*label = kinds_seen->label[i];
	} else {
		*m = timeline_mark_of(e->kind);
		*label = timeline_kind_label(e->kind);
		memo_add(kinds_seen, e->kind, (int)*m, *label);
	}
	if (*m == TIMELINE_ALERT) {
		*lane = 0;
		return;
	}
	if ((i = memo_find(agencies_seen, e->agency)) >= 0) {
		*lane = (size_t)agencies_seen->value[i];
		return;
	}
	*lane = lane_of_agency(e->agency);
	memo_add(agencies_seen, e->agency, (int)*lane, NULL);
}

static double x_of(const layout *L, int32_t day)
{
	return LEFT + (double)(day - L->d0) * PLOT_W / (double)(L->d1 - L->d0);
}

static size_t column_of(const layout *L, int32_t day)
{
	long c = (long)((x_of(L, day) - LEFT) / COLUMN_PX);
	return c < 0 ? 0 : c >= COLUMNS ? COLUMNS - 1 : (size_t)c;
}

static cell *cell_at(const layout *L, size_t lane, timeline_mark m, size_t col)
{
	return &L->cells[(lane * TIMELINE_MARKS + m) * COLUMNS + col];
}

static int32_t month_start(int32_t day)
{
	int y, m, d;
	date_to_ymd(day, &y, &m, &d);
	return date_from_ymd(y, m, 1);
}

static void plan(layout *L, const timeline_event *ev, size_t n)
{
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	memo kinds_seen = {0}, agencies_seen = {0};
	size_t i;

	for (i = 0; i < n; i++) {
		lo = ev[i].day < lo ? ev[i].day : lo;
		hi = ev[i].day > hi ? ev[i].day : hi;
	}
	/* whole months, at least one */
	L->d0 = month_start(lo);
	L->d1 = date_add_months(month_start(hi), 1);
	L->cells = xcalloc((size_t)LANES * TIMELINE_MARKS * COLUMNS, sizeof(cell));
	for (i = 0; i < n; i++) {
		timeline_mark m;
		const char *label;
		size_t lane;
		cell *c;

		classify(&kinds_seen, &agencies_seen, &ev[i], &m, &label, &lane);
		c = cell_at(L, lane, m, column_of(L, ev[i].day));
		if (c->count++ == 0) {
			c->first_day = c->last_day = ev[i].day;
			c->seq = ev[i].seq;
			c->label = label;
		} else {
			c->first_day = ev[i].day < c->first_day ? ev[i].day : c->first_day;
			c->last_day = ev[i].day > c->last_day ? ev[i].day : c->last_day;
		}
		L->lane_n[lane]++;
		L->marks[m]++;
	}
	for (i = 0; i < LANES; i++)
		L->lane_row[i] = L->lane_n[i] ? L->rows++ : -1;
	L->height = TOP + L->rows * LANE_H + AXIS_H + LEGEND_H;
}

/* Integers and dates appended by hand, not with printf: a 5,000-event
 * timeline writes a link and a title per mark (about 800), and printf's
 * format parsing was a third of the picture's time. */
static void put_uint(buf *b, uint64_t v)
{
	char t[20];
	size_t n = sizeof(t);

	do {
		t[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_append(b, t + n, sizeof(t) - n);
}

/* "3 Mar 2021" */
static void put_day_text(buf *b, int32_t day)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char t[16];
	int y, m, d;
	size_t n = 0;

	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		buf_printf(b, "%d %.3s %d", d, mon + 3 * ((m - 1) % 12), y);
		return;
	}
	if (d >= 10)
		t[n++] = (char)('0' + d / 10);
	t[n++] = (char)('0' + d % 10);
	t[n++] = ' ';
	memcpy(t + n, mon + 3 * ((m - 1) % 12), 3);
	n += 3;
	t[n++] = ' ';
	if (y >= 1000)
		t[n++] = (char)('0' + y / 1000);
	if (y >= 100)
		t[n++] = (char)('0' + y / 100 % 10);
	if (y >= 10)
		t[n++] = (char)('0' + y / 10 % 10);
	t[n++] = (char)('0' + y % 10);
	buf_append(b, t, n);
}

/* "2021-03-03" (as %04d-%02d-%02d would write it) */
static void put_iso_day(buf *b, int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		buf_printf(b, "%04d-%02d-%02d", y, m, d);
		return;
	}
	char t[10] = {(char)('0' + y / 1000),     (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
	              (char)('0' + y % 10),       '-',                        (char)('0' + m / 10),
	              (char)('0' + m % 10),       '-',                        (char)('0' + d / 10),
	              (char)('0' + d % 10)};
	buf_append(b, t, sizeof(t));
}

/* "3 Mar 2021" into a caller's array, for the description */
static void day_text(char *out, size_t size, int32_t day)
{
	buf t = BUF_INIT;

	put_day_text(&t, day);
	snprintf(out, size, "%s", t.data);
	buf_release(&t);
}

/* A coordinate with one decimal, without printf: a 5,000-event timeline
 * writes thousands of them and printf's float path was most of its time. */
static const char *num(char *out, size_t size, double v)
{
	long tenths = lround(v * 10);
	char tmp[24];
	size_t n = 0, i = 0;
	bool neg = tenths < 0;

	assert(size >= 24);
	if (neg)
		tenths = -tenths;
	do {
		tmp[n++] = (char)('0' + tenths % 10);
		tenths /= 10;
		if (n == 1)
			tmp[n++] = '.';
	} while (tenths > 0 || n < 3);
	if (neg)
		out[i++] = '-';
	while (n)
		out[i++] = tmp[--n];
	/* "12.0" -> "12" */
	if (i >= 2 && out[i - 1] == '0' && out[i - 2] == '.')
		i -= 2;
	out[i] = '\0';
	return out;
}

/* A polygon's points list, in the caller's array (no allocation per
 * mark): at most 4 points of two numbers of at most 23 characters. */
typedef struct points {
	char text[4 * (2 * 23 + 2) + 1];
	size_t len;
} points;

/* "x,y " onto a points list */
static void point(points *p, double x, double y)
{
	char t[24];
	size_t n;

	assert(p->len + 2 * 23 + 2 < sizeof(p->text));
	n = strlen(num(t, sizeof(t), x));
	memcpy(p->text + p->len, t, n);
	p->len += n;
	p->text[p->len++] = ',';
	n = strlen(num(t, sizeof(t), y));
	memcpy(p->text + p->len, t, n);
	p->len += n;
	p->text[p->len++] = ' ';
	p->text[p->len] = '\0';
}

/* The axis: lane backgrounds and labels, then ticks (years, or months
 * when the span is short) with grid lines across the lanes. */
static void draw_frame(html *h, const layout *L)
{
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	char a[32], b[32], c[32], d[32], label[48];
	int lanes_bottom = TOP + L->rows * LANE_H;
	int32_t span = L->d1 - L->d0, day;
	int step, y, m, dd, shown = 0;

	for (size_t i = 0; i < LANES; i++) {
		int row = L->lane_row[i];
		if (row < 0)
			continue;
		html_void(h, "rect", "x", "0", "y", num(a, sizeof(a), TOP + row * LANE_H), "width", "960", "height",
		          num(b, sizeof(b), LANE_H), "fill", row % 2 ? "#ffffff" : "#f3f2f1", NULL);
		html_open(h, "text", "x", "8", "y", num(a, sizeof(a), TOP + row * LANE_H + LANE_H / 2 + 4), NULL);
		html_text(h, i == 0 ? "Alerts" : timeline_agency_label(lane_agency[i]));
		html_textf(h, " (%u)", L->lane_n[i]);
		html_close(h, "text");
	}
	html_void(h, "line", "x1", num(a, sizeof(a), LEFT), "y1", num(b, sizeof(b), lanes_bottom), "x2",
	          num(c, sizeof(c), WIDTH - RIGHT), "y2", num(d, sizeof(d), lanes_bottom), "stroke", "#0b0c0c", NULL);
	/* tick step in months: 1, 3, 6 or 12, for at most about 14 labels */
	step = span <= 400 ? 1 : span <= 3 * 366 ? 3 : span <= 6 * 366 ? 6 : 12;
	for (day = L->d0; day <= L->d1; day = date_add_months(day, 1)) {
		double x = x_of(L, day);
		date_to_ymd(day, &y, &m, &dd);
		if (span > 6 * 366 && m != 1)
			continue;
		if ((m - 1) % step != 0 && !(step == 12 && m == 1))
			continue;
		html_void(h, "line", "x1", num(a, sizeof(a), x), "y1", num(b, sizeof(b), TOP), "x2",
		          num(c, sizeof(c), x), "y2", num(d, sizeof(d), lanes_bottom + 5), "stroke", "#b1b4b6",
		          "stroke-width", "1", NULL);
		if (step == 12)
			snprintf(label, sizeof(label), "%d", y);
		else if (m == 1 || !shown)
			snprintf(label, sizeof(label), "%s %d", mon[m - 1], y);
		else
			snprintf(label, sizeof(label), "%s", mon[m - 1]);
		if (x > WIDTH - RIGHT - 10)
			continue; /* the closing tick needs no label */
		html_open(h, "text", "x", num(a, sizeof(a), x), "y", num(b, sizeof(b), lanes_bottom + 18), "text-anchor",
		          "middle", NULL);
		html_text(h, label);
		html_close(h, "text");
		shown++;
	}
}

/* A mark's shape centred on (x, y) with half-size r. */
static void shape(html *h, timeline_mark m, double x, double y, double r)
{
	char a[32], b[32], c[32], d[32];
	points pts = {.len = 0};

	switch (m) {
	case TIMELINE_EVENT:
		html_void(h, "circle", "cx", num(a, sizeof(a), x), "cy", num(b, sizeof(b), y), "r", num(c, sizeof(c), r),
		          "fill", look[m].fill, "fill-opacity", "0.85", NULL);
		break;
	case TIMELINE_INJURY:
		point(&pts, x, y - r * 1.15);
		point(&pts, x + r, y + r * 0.75);
		point(&pts, x - r, y + r * 0.75);
		html_void(h, "polygon", "points", pts.text, "fill", look[m].fill, "stroke", "#0b0c0c", NULL);
		break;
	case TIMELINE_MISSING:
		point(&pts, x, y - r * 1.2);
		point(&pts, x + r, y);
		point(&pts, x, y + r * 1.2);
		point(&pts, x - r, y);
		html_void(h, "polygon", "points", pts.text, "fill", look[m].fill, "stroke", "#0b0c0c", NULL);
		break;
	default:
		html_void(h, "rect", "x", num(a, sizeof(a), x - r), "y", num(b, sizeof(b), y - r), "width",
		          num(c, sizeof(c), 2 * r), "height", num(d, sizeof(d), 2 * r), "fill", look[m].fill, "stroke",
		          "#0b0c0c", "stroke-width", "1.5", NULL);
		break;
	}
}

static void draw_mark(html *h, const layout *L, const timeline_opts *o, size_t lane, timeline_mark m,
                      const cell *c, buf *href, buf *title)
{
	int row = L->lane_row[lane];
	double cy = TOP + row * LANE_H + LANE_H / 2.0, x, r;
	const char *who = lane == 0 ? "social care" : timeline_agency_label(lane_agency[lane]);

	/* ordinary events sit a little low and marked ones a little high, so
	 * a marked event never hides the others of its column */
	if (lane != 0)
		cy += m == TIMELINE_EVENT ? 5 : -5;
	x = x_of(L, c->first_day) + (c->count > 1 ? (x_of(L, c->last_day) - x_of(L, c->first_day)) / 2 : 0) + 0.5;
	buf_reset(href);
	buf_reset(title);
	buf_puts(href, o->link_base ? o->link_base : "?");
	if (c->count == 1) {
		/* BASE "to=DAY#eSEQ"; "DAY: Kind (Agency), event SEQ" */
		buf_puts(href, "to=");
		put_iso_day(href, c->first_day);
		buf_puts(href, "#e");
		put_uint(href, c->seq);
		put_day_text(title, c->first_day);
		buf_puts(title, ": ");
		buf_puts(title, c->label ? c->label : "Event");
		buf_puts(title, " (");
		buf_puts(title, who);
		buf_puts(title, "), event ");
		put_uint(title, c->seq);
		r = m == TIMELINE_EVENT ? 4 : 6;
	} else {
		/* BASE "from=A&to=B#chronology"; "N events (Agency), A[ to B]" */
		buf_puts(href, "from=");
		put_iso_day(href, c->first_day);
		buf_puts(href, "&to=");
		put_iso_day(href, c->last_day);
		buf_puts(href, "#chronology");
		put_uint(title, c->count);
		buf_putc(title, ' ');
		buf_puts(title, look[m].many);
		buf_puts(title, " (");
		buf_puts(title, who);
		buf_puts(title, "), ");
		put_day_text(title, c->first_day);
		if (c->first_day != c->last_day) {
			buf_puts(title, " to ");
			put_day_text(title, c->last_day);
		}
		r = (m == TIMELINE_EVENT ? 4 : 6) + fmin(5.0, sqrt((double)c->count));
	}
	/* the <title> child is the link's accessible name and its tooltip */
	html_open(h, "a", "href", buf_str(href), NULL);
	html_elem(h, "title", buf_str(title), NULL);
	shape(h, m, x, cy, r);
	html_close(h, "a");
}

static void draw_legend(html *h, const layout *L)
{
	double y = TOP + L->rows * LANE_H + AXIS_H + LEGEND_H / 2.0, x = LEFT;
	char a[32], b[32];

	for (int m = 0; m < TIMELINE_MARKS; m++) {
		shape(h, (timeline_mark)m, x, y, m == TIMELINE_EVENT ? 5 : 6);
		html_open(h, "text", "x", num(a, sizeof(a), x + 11), "y", num(b, sizeof(b), y + 4), NULL);
		html_text(h, look[m].legend);
		html_close(h, "text");
		x += m == TIMELINE_EVENT ? 200 : 150;
	}
}

/* The text alternative: what the picture shows, in words. */
static void describe(buf *d, const layout *L, size_t n, const timeline_opts *o)
{
	char t1[24], t2[24];
	bool first = true;

	day_text(t1, sizeof(t1), L->d0);
	day_text(t2, sizeof(t2), L->d1 - 1);
	buf_printf(d, "%zu event%s%s%s, in the months from %s to %s. By agency: ", n, n == 1 ? "" : "s",
	           o->subject ? " about " : "", o->subject ? o->subject : "", t1, t2);
	for (size_t i = 1; i < LANES; i++) {
		if (!L->lane_n[i])
			continue;
		buf_printf(d, "%s%s %u", first ? "" : ", ", timeline_agency_label(lane_agency[i]), L->lane_n[i]);
		first = false;
	}
	if (first)
		buf_puts(d, "none");
	buf_printf(d, ". Marked: %u injur%s, %u missing episode event%s, %u alert%s. ", L->marks[TIMELINE_INJURY],
	           L->marks[TIMELINE_INJURY] == 1 ? "y" : "ies", L->marks[TIMELINE_MISSING],
	           L->marks[TIMELINE_MISSING] == 1 ? "" : "s", L->marks[TIMELINE_ALERT],
	           L->marks[TIMELINE_ALERT] == 1 ? "" : "s");
	buf_puts(d, "Each mark links to its events in the chronology list, which lists the same events as text.");
}

void timeline_svg(html *h, const timeline_event *ev, size_t n, const timeline_opts *o)
{
	const char *id = o->id ? o->id : "tl";
	layout L = {0};
	buf title_id = BUF_INIT, desc_id = BUF_INIT, both = BUF_INIT, text = BUF_INIT, href = BUF_INIT,
	    tip = BUF_INIT;
	char hb[32], vb[48];

	buf_printf(&title_id, "%s-title", id);
	buf_printf(&desc_id, "%s-desc", id);
	buf_printf(&both, "%s %s", title_id.data, desc_id.data);
	if (n == 0) {
		html_open(h, "svg", "xmlns", "http://www.w3.org/2000/svg", "class", "sl-timeline", "role", "img",
		          "aria-labelledby", both.data, "viewBox", "0 0 960 40", "width", "100%", "font-family",
		          "Arial, sans-serif", "font-size", "14", NULL);
		html_elem(h, "title", "Chronology timeline", "id", title_id.data, NULL);
		html_elem(h, "desc", "No events to show.", "id", desc_id.data, NULL);
		html_elem(h, "text", "No events to show", "x", "8", "y", "24", "fill", "#0b0c0c", NULL);
		html_close(h, "svg");
		goto done;
	}
	plan(&L, ev, n);
	snprintf(hb, sizeof(hb), "%d", L.height);
	snprintf(vb, sizeof(vb), "0 0 %d %d", WIDTH, L.height);
	html_open(h, "svg", "xmlns", "http://www.w3.org/2000/svg", "class", "sl-timeline", "role", "group",
	          "aria-labelledby", title_id.data, "viewBox", vb, "width", "100%", "font-family", "Arial, sans-serif",
	          "font-size", "13", "fill", "#0b0c0c", NULL);
	/* the picture */
	html_open(h, "svg", "role", "img", "aria-labelledby", both.data, "x", "0", "y", "0", "width", "960", "height",
	          hb, "viewBox", vb, NULL);
	buf_puts(&text, "Chronology timeline");
	if (o->subject)
		buf_printf(&text, " of %s", o->subject);
	html_elem(h, "title", text.data, "id", title_id.data, NULL);
	buf_reset(&text);
	describe(&text, &L, n, o);
	html_elem(h, "desc", text.data, "id", desc_id.data, NULL);
	draw_frame(h, &L);
	draw_legend(h, &L);
	html_close(h, "svg");
	/* the marks, links over the picture, type by type so the marked
	 * kinds are drawn last, on top */
	html_lit(h, "<g class=\"sl-timeline__marks\">");
	for (int m = 0; m < TIMELINE_MARKS; m++)
		for (size_t lane = 0; lane < LANES; lane++)
			for (size_t col = 0; col < COLUMNS; col++) {
				const cell *c = cell_at(&L, lane, (timeline_mark)m, col);
				if (c->count)
					draw_mark(h, &L, o, lane, (timeline_mark)m, c, &href, &tip);
			}
	html_lit(h, "</g>");
	html_close(h, "svg");
done:
	free(L.cells);
	buf_release(&title_id);
	buf_release(&desc_id);
	buf_release(&both);
	buf_release(&text);
	buf_release(&href);
	buf_release(&tip);
}
