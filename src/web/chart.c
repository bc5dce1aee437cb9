/*
 * chart.c - server-drawn SVG charts with their tables.  See chart.h.
 *
 * Everything goes through html.h: numbers are formatted into small arrays
 * and handed over as attribute values (escaped like any value, though
 * they hold only digits), labels as text.  The picture is decoration for
 * sighted readers; the table after it carries the same numbers for
 * everyone, so the SVG's own <text> needs no links or focus.
 */
#include "util/common.h"
#include "web/chart.h"

/* GOV.UK colours (govuk-frontend's palette). */
#define C_BLUE "#1d70b8"
#define C_RED "#d4351c"
#define C_TEXT "#0b0c0c"
#define C_GRID "#b1b4b6"

typedef struct num {
	char s[32];
} num;

/* A number as the picture and the table show it: whole numbers without
 * decimals, others with one. */
static num fmt(double v)
{
	num n;
	double r = v < 0 ? -v : v;

	if (r - (double)(long long)r < 0.05 || r - (double)(long long)r > 0.95)
		snprintf(n.s, sizeof(n.s), "%.0f", v);
	else
		snprintf(n.s, sizeof(n.s), "%.1f", v);
	return n;
}

/* Geometry in viewBox units, to two decimals. */
static num coord(double v)
{
	num n;
	snprintf(n.s, sizeof(n.s), "%.2f", v);
	return n;
}

double chart_nice_max(double v)
{
	static const double steps[] = {1, 2, 2.5, 5};
	double scale = 1;

	if (!(v > 0))
		return 1;
	while (scale * 10 < v)
		scale *= 10;
	while (scale > v && scale > 1e-6)
		scale /= 10;
	for (;;) {
		for (size_t i = 0; i < SL_ARRAY_LEN(steps); i++)
			if (steps[i] * scale >= v)
				return steps[i] * scale;
		scale *= 10;
	}
}

static double data_max(const chart_opts *o, const chart_point *p, size_t n)
{
	double m = o->limit > 0 ? o->limit : 0;

	if (o->max > 0)
		return o->max;
	for (size_t i = 0; i < n; i++)
		if (p[i].known && p[i].value > m)
			m = p[i].value;
	return chart_nice_max(m);
}

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

double chart_bars_height(size_t n)
{
	return CHART_TOP + (double)n * CHART_ROW + 8;
}

void chart_bars_layout(const chart_opts *o, const chart_point *p, size_t n, double *axis_max, chart_rect *rects)
{
	double plot = CHART_WIDTH - CHART_LABEL_W - CHART_VALUE_W;
	double m = data_max(o, p, n);

	*axis_max = m;
	for (size_t i = 0; i < n; i++) {
		rects[i].x = CHART_LABEL_W;
		rects[i].y = CHART_TOP + (double)i * CHART_ROW + (CHART_ROW - CHART_BAR_H) / 2.0;
		rects[i].w = p[i].known ? clamp01(p[i].value / m) * plot : 0;
		rects[i].h = CHART_BAR_H;
	}
}

void chart_line_layout(const chart_opts *o, const chart_point *p, size_t n, double *axis_max, chart_xy *xy)
{
	double pw = CHART_WIDTH - CHART_LINE_LEFT - CHART_LINE_RIGHT;
	double ph = CHART_LINE_H - CHART_LINE_TOP - CHART_LINE_BOTTOM;
	double m = data_max(o, p, n);

	*axis_max = m;
	for (size_t i = 0; i < n; i++) {
		xy[i].x = CHART_LINE_LEFT + ((double)i + 0.5) * pw / (double)n;
		xy[i].y = CHART_LINE_TOP + ph - (p[i].known ? clamp01(p[i].value / m) : 0) * ph;
	}
}

/* ---- shared pieces ------------------------------------------------------------ */

static bool over(const chart_opts *o, const chart_point *p)
{
	return o->limit > 0 && p->known && p->value > o->limit;
}

static void limit_text(html *h, const chart_opts *o)
{
	if (o->limit_label)
		html_text(h, o->limit_label);
	else
		html_textf(h, "limit %s", fmt(o->limit).s);
}

/* <svg ...><title/><desc/> */
static void svg_open(html *h, const chart_opts *o, double height)
{
	buf ids = BUF_INIT, t = BUF_INIT, d = BUF_INIT;
	num hh = coord(height);
	char box[64];

	buf_printf(&t, "%s-title", o->id);
	buf_printf(&d, "%s-desc", o->id);
	buf_printf(&ids, "%s %s", t.data, d.data);
	snprintf(box, sizeof(box), "0 0 %d %s", CHART_WIDTH, hh.s);
	html_open(h, "svg", "xmlns", "http://www.w3.org/2000/svg", "class", "sl-chart", "viewBox", box, "width",
	          "100%", "role", "img", "aria-labelledby", ids.data, "font-size", "14", NULL);
	html_elem(h, "title", o->title, "id", t.data, NULL);
	html_elem(h, "desc", o->desc, "id", d.data, NULL);
	buf_release(&ids);
	buf_release(&t);
	buf_release(&d);
}

static void svg_text(html *h, double x, double y, const char *anchor, const char *fill, const char *text)
{
	num xs = coord(x), ys = coord(y);
	html_elem(h, "text", text, "x", xs.s, "y", ys.s, "text-anchor", anchor, "fill", fill, NULL);
}

static void svg_line(html *h, double x1, double y1, double x2, double y2, const char *stroke, const char *dash)
{
	num a = coord(x1), b = coord(y1), c = coord(x2), d = coord(y2);
	html_void(h, "line", "x1", a.s, "y1", b.s, "x2", c.s, "y2", d.s, "stroke", stroke, "stroke-width", "1",
	          "stroke-dasharray", dash, NULL);
}

static void value_cell(html *h, const chart_opts *o, const chart_point *p)
{
	html_open(h, "td", "class", "govuk-table__cell govuk-table__cell--numeric", NULL);
	if (!p->known) {
		html_lit(h, "no data");
	} else {
		html_text(h, fmt(p->value).s);
		if (o->unit)
			html_text(h, o->unit);
	}
	if (over(o, p)) {
		html_lit(h, " ");
		html_open(h, "strong", "class", "govuk-tag govuk-tag--red", NULL);
		html_lit(h, "Over ");
		html_text(h, fmt(o->limit).s);
		html_close(h, "strong");
	}
	html_close(h, "td");
}

/* The same numbers as a GOV.UK table. */
static void table(html *h, const chart_opts *o, const chart_point *p, size_t n)
{
	html_open(h, "table", "class", "govuk-table sl-chart-table", NULL);
	html_elem(h, "caption", o->title, "class", "govuk-table__caption govuk-table__caption--s", NULL);
	html_lit(h, "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
	html_elem(h, "th", o->label_head, "scope", "col", "class", "govuk-table__header", NULL);
	html_elem(h, "th", o->value_head, "scope", "col", "class", "govuk-table__header govuk-table__header--numeric",
	          NULL);
	html_lit(h, "</tr></thead><tbody class=\"govuk-table__body\">");
	for (size_t i = 0; i < n; i++) {
		html_lit(h, "<tr class=\"govuk-table__row\">");
		html_open(h, "th", "scope", "row", "class", "govuk-table__header", NULL);
		if (p[i].href) {
			html_elem(h, "a", p[i].label, "href", p[i].href, "class", "govuk-link", NULL);
		} else {
			html_text(h, p[i].label);
		}
		html_close(h, "th");
		value_cell(h, o, &p[i]);
		html_lit(h, "</tr>");
	}
	html_lit(h, "</tbody></table>");
}

static bool empty(html *h, const chart_opts *o, size_t n)
{
	if (n)
		return false;
	html_elem(h, "h3", o->title, "class", "govuk-heading-s", NULL);
	html_lit(h, "<p class=\"govuk-body\">No data.</p>");
	return true;
}

/* ---- bars ----------------------------------------------------------------------- */

void chart_bars(html *h, const chart_opts *o, const chart_point *p, size_t n)
{
	double plot = CHART_WIDTH - CHART_LABEL_W - CHART_VALUE_W, height = chart_bars_height(n), m;
	chart_rect *r;

	if (empty(h, o, n))
		return;
	r = xcalloc(n, sizeof(*r));
	chart_bars_layout(o, p, n, &m, r);
	html_lit(h, "<figure class=\"sl-figure\">");
	svg_open(h, o, height);
	/* axis: five ticks with their values above the bars */
	for (int t = 0; t <= 4; t++) {
		double x = CHART_LABEL_W + plot * t / 4.0;
		svg_line(h, x, CHART_TOP - 6, x, height - 4, C_GRID, NULL);
		svg_text(h, x, CHART_TOP - 10, "middle", C_TEXT, fmt(m * t / 4.0).s);
	}
	for (size_t i = 0; i < n; i++) {
		num x = coord(r[i].x), y = coord(r[i].y), w = coord(r[i].w), hh = coord(r[i].h);
		buf v = BUF_INIT;

		svg_text(h, CHART_LABEL_W - 8, r[i].y + CHART_BAR_H - 4, "end", C_TEXT, p[i].label);
		html_void(h, "rect", "x", x.s, "y", y.s, "width", w.s, "height", hh.s, "fill",
		          over(o, &p[i]) ? C_RED : C_BLUE, NULL);
		if (!p[i].known)
			buf_puts(&v, "no data");
		else
			buf_printf(&v, "%s%s%s", fmt(p[i].value).s, o->unit ? o->unit : "", over(o, &p[i]) ? " (over)" : "");
		svg_text(h, r[i].x + r[i].w + 6, r[i].y + CHART_BAR_H - 4, "start", C_TEXT, v.data);
		buf_release(&v);
	}
	if (o->limit > 0 && o->limit <= m) {
		double x = CHART_LABEL_W + o->limit / m * plot;
		buf lt = BUF_INIT;
		svg_line(h, x, CHART_TOP - 2, x, height - 4, C_RED, "6 4");
		if (o->limit_label)
			buf_puts(&lt, o->limit_label);
		else
			buf_printf(&lt, "limit %s", fmt(o->limit).s);
		svg_text(h, x + 4, height - 1, "start", C_RED, lt.data);
		buf_release(&lt);
	}
	html_close(h, "svg");
	html_lit(h, "</figure>");
	table(h, o, p, n);
	free(r);
}

/* ---- a monthly line ---------------------------------------------------------------- */

void chart_line(html *h, const chart_opts *o, const chart_point *p, size_t n)
{
	double ph = CHART_LINE_H - CHART_LINE_TOP - CHART_LINE_BOTTOM, m;
	size_t every = n > 8 ? (n + 7) / 8 : 1;
	chart_xy *xy;
	buf path = BUF_INIT;
	bool pen = false;

	if (empty(h, o, n))
		return;
	xy = xcalloc(n, sizeof(*xy));
	chart_line_layout(o, p, n, &m, xy);
	html_lit(h, "<figure class=\"sl-figure\">");
	svg_open(h, o, CHART_LINE_H);
	for (int t = 0; t <= 4; t++) {
		double y = CHART_LINE_TOP + ph - ph * t / 4.0;
		buf v = BUF_INIT;
		buf_printf(&v, "%s%s", fmt(m * t / 4.0).s, o->unit ? o->unit : "");
		svg_line(h, CHART_LINE_LEFT, y, CHART_WIDTH - CHART_LINE_RIGHT, y, C_GRID, NULL);
		svg_text(h, CHART_LINE_LEFT - 6, y + 5, "end", C_TEXT, v.data);
		buf_release(&v);
	}
	if (o->limit > 0 && o->limit <= m) {
		double y = CHART_LINE_TOP + ph - o->limit / m * ph;
		svg_line(h, CHART_LINE_LEFT, y, CHART_WIDTH - CHART_LINE_RIGHT, y, C_RED, "6 4");
		html_open(h, "text", "x", coord(CHART_WIDTH - CHART_LINE_RIGHT).s, "y", coord(y - 4).s, "text-anchor",
		          "end", "fill", C_RED, NULL);
		limit_text(h, o);
		html_close(h, "text");
	}
	/* the line: "M" starts a stretch, "L" continues it; a month with no
	 * value lifts the pen */
	for (size_t i = 0; i < n; i++) {
		if (!p[i].known) {
			pen = false;
			continue;
		}
		buf_printf(&path, "%s%s %s ", pen ? "L" : "M", coord(xy[i].x).s, coord(xy[i].y).s);
		pen = true;
	}
	if (path.len)
		html_void(h, "path", "d", path.data, "fill", "none", "stroke", C_BLUE, "stroke-width", "3", NULL);
	for (size_t i = 0; i < n; i++) {
		if (p[i].known)
			html_void(h, "circle", "cx", coord(xy[i].x).s, "cy", coord(xy[i].y).s, "r", "4", "fill",
			          over(o, &p[i]) ? C_RED : C_BLUE, NULL);
		if (i % every == 0)
			svg_text(h, xy[i].x, CHART_LINE_H - CHART_LINE_BOTTOM + 20, "middle", C_TEXT, p[i].label);
	}
	html_close(h, "svg");
	html_lit(h, "</figure>");
	table(h, o, p, n);
	buf_release(&path);
	free(xy);
}
