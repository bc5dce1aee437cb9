/*
 * chart.h - pictures of numbers drawn by the server as inline SVG (DESIGN
 * 7: "caseload and timeliness charts"), so they show without JavaScript
 * and under a CSP that allows no inline script or style.
 *
 * Two shapes:
 *   - chart_bars: one horizontal bar per label (a caseload per worker),
 *     with an optional limit drawn as a dashed line and the bars over it
 *     marked in words as well as colour;
 *   - chart_line: one value per month (a time series), drawn as a line
 *     with a dot per month; a month with no value (nothing to measure)
 *     breaks the line.
 *
 * Every picture is written through html.h (labels are escaped like any
 * text), carries role="img" with a <title> and <desc> named by
 * aria-labelledby, and is followed by a GOV.UK table of the same numbers:
 * the accessible alternative, and what a screen reader or a copy-paste
 * reads.  Colours are SVG presentation attributes, not style, so the strict
 * CSP holds.
 *
 * The geometry (chart_bars_layout, chart_line_layout) is pure arithmetic
 * exposed for the tests; the renderers use exactly it.  Nothing here
 * allocates beyond the output buffer, and nothing fails.
 */
#ifndef SL_WEB_CHART_H
#define SL_WEB_CHART_H

#include "web/html.h"

/* The viewBox: 640 wide; bars are CHART_ROW high each, lines a fixed
 * height. */
#define CHART_WIDTH 640
#define CHART_LABEL_W 160 /* bar charts: the label column */
#define CHART_VALUE_W 120 /* bar charts: room for the value after a bar */
#define CHART_ROW 28
#define CHART_BAR_H 18
#define CHART_TOP 28     /* room for the axis labels above the bars */
#define CHART_LINE_H 240
#define CHART_LINE_LEFT 48
#define CHART_LINE_RIGHT 16
#define CHART_LINE_TOP 16
#define CHART_LINE_BOTTOM 36

typedef struct chart_point {
	const char *label; /* worker, or month "YYYY-MM" */
	double value;
	bool known;        /* false: no value (shown as "no data", the line breaks) */
	const char *href;  /* bar charts: the label links here when not NULL */
} chart_point;

typedef struct chart_opts {
	const char *id;          /* unique on the page: ids "<id>-title", "<id>-desc" */
	const char *title;       /* the picture's title and the table's caption */
	const char *desc;        /* what the picture shows, in a sentence */
	const char *label_head;  /* the table's first column: "Worker", "Month" */
	const char *value_head;  /* the table's second column: "Children" */
	const char *unit;        /* appended to values in the picture ("%"), or NULL */
	double limit;            /* > 0: a dashed line there; bars above it are marked */
	const char *limit_label; /* "limit 20"; NULL: "limit <limit>" */
	double max;              /* > 0: the axis's top (100 for a percentage); 0: from the data */
} chart_opts;

/* The top of the axis: the smallest of 1, 2, 2.5, 5 x 10^k at or above v
 * (v <= 0: 1), so ticks fall on round numbers. */
double chart_nice_max(double v);

/* Bar i's rectangle in viewBox units, and the axis maximum used. */
typedef struct chart_rect {
	double x, y, w, h;
} chart_rect;
void chart_bars_layout(const chart_opts *o, const chart_point *p, size_t n, double *axis_max, chart_rect *rects);
/* The height of a bar chart of n rows. */
double chart_bars_height(size_t n);

/* Month i's dot (x, y) in viewBox units (y meaningless when !known). */
typedef struct chart_xy {
	double x, y;
} chart_xy;
void chart_line_layout(const chart_opts *o, const chart_point *p, size_t n, double *axis_max, chart_xy *xy);

/* Write <figure> with the SVG, then the table of the same numbers.  With
 * n == 0 a short "No data" paragraph stands in for both. */
void chart_bars(html *h, const chart_opts *o, const chart_point *p, size_t n);
void chart_line(html *h, const chart_opts *o, const chart_point *p, size_t n);

#endif
