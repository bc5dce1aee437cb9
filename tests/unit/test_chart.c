/*
 * test_chart.c - the server-drawn charts (web/chart.c): the geometry of
 * bars and lines for known data, the axis's round top, labels escaped in
 * the picture and the table, the text alternative (role, title, desc,
 * aria-labelledby, the table of the same numbers), and empty data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "web/chart.h"

static bool near(double a, double b)
{
	return a - b < 1e-9 && b - a < 1e-9;
}

static void test_nice_max_rounds_up_to_1_2_2_5_5(void **state)
{
	(void)state;
	assert_true(chart_nice_max(0) == 1);
	assert_true(chart_nice_max(-3) == 1);
	assert_true(chart_nice_max(1) == 1);
	assert_true(chart_nice_max(3) == 5);
	assert_true(chart_nice_max(20) == 20);
	assert_true(chart_nice_max(22) == 25);
	assert_true(chart_nice_max(26) == 50);
	assert_true(chart_nice_max(100) == 100);
	assert_true(chart_nice_max(101) == 200);
	assert_true(chart_nice_max(0.3) == 0.5);
}

static void test_bar_geometry_for_known_data(void **state)
{
	/* limit 20, values up to 24: the axis tops at 25; the plot is
	 * 640 - 160 - 120 = 360 wide, so 10 children are 144 units */
	chart_point p[] = {{"sw1", 10, true, NULL}, {"sw2", 24, true, NULL}, {"sw3", 0, false, NULL}};
	chart_opts o = {.id = "c", .title = "t", .desc = "d", .limit = 20};
	chart_rect r[3];
	double m = 0;
	(void)state;

	chart_bars_layout(&o, p, 3, &m, r);
	assert_true(m == 25);
	assert_true(r[0].x == CHART_LABEL_W && r[1].x == CHART_LABEL_W);
	assert_true(near(r[0].w, 144));
	assert_true(near(r[1].w, 345.6));
	assert_true(r[2].w == 0);
	assert_true(r[0].y == CHART_TOP + 5 && r[1].y == CHART_TOP + CHART_ROW + 5);
	assert_true(r[0].h == CHART_BAR_H);
	assert_true(chart_bars_height(3) == CHART_TOP + 3 * CHART_ROW + 8);
	/* a fixed top (a percentage) is kept, and a value past it is clipped */
	o.max = 10;
	chart_bars_layout(&o, p, 3, &m, r);
	assert_true(m == 10 && near(r[0].w, 360) && near(r[1].w, 360));
}

static void test_line_geometry_for_known_data(void **state)
{
	/* plot 576 wide (48 left, 16 right) and 188 high (16 top, 36 bottom);
	 * 4 months are 144 apart, the first centred at 48 + 72 */
	chart_point p[] = {{"2024-01", 0, true, NULL},
	                   {"2024-02", 50, true, NULL},
	                   {"2024-03", 0, false, NULL},
	                   {"2024-04", 100, true, NULL}};
	chart_opts o = {.id = "c", .title = "t", .desc = "d", .max = 100};
	chart_xy xy[4];
	double m = 0;
	(void)state;

	chart_line_layout(&o, p, 4, &m, xy);
	assert_true(m == 100);
	assert_true(near(xy[0].x, 120) && near(xy[1].x, 264) && near(xy[3].x, 552));
	assert_true(near(xy[0].y, 204) && near(xy[1].y, 110) && near(xy[3].y, 16));
}

static void test_bars_write_svg_with_text_alternative_and_table(void **state)
{
	chart_point p[] = {{"sw1", 10, true, "/team?worker=sw1"}, {"sw2", 24, true, NULL}};
	chart_opts o = {.id = "caseloads", .title = "Caseloads", .desc = "Children per worker",
	                .label_head = "Worker", .value_head = "Children", .limit = 20};
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	chart_bars(&h, &o, p, 2);
	assert_non_null(strstr(b.data, "<svg "));
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_non_null(strstr(b.data, "aria-labelledby=\"caseloads-title caseloads-desc\""));
	assert_non_null(strstr(b.data, "<title id=\"caseloads-title\">Caseloads</title>"));
	assert_non_null(strstr(b.data, "<desc id=\"caseloads-desc\">Children per worker</desc>"));
	/* the bars, as laid out; the one over the limit red and said so */
	assert_non_null(strstr(b.data, "x=\"160.00\" y=\"33.00\" width=\"144.00\" height=\"18.00\" fill=\"#1d70b8\""));
	assert_non_null(strstr(b.data, "width=\"345.60\" height=\"18.00\" fill=\"#d4351c\""));
	assert_non_null(strstr(b.data, "24 (over)"));
	assert_non_null(strstr(b.data, "stroke-dasharray=\"6 4\""));
	assert_non_null(strstr(b.data, "limit 20"));
	/* the same numbers in a table, the label linked */
	assert_non_null(strstr(b.data, "<table class=\"govuk-table sl-chart-table\">"));
	assert_non_null(strstr(b.data, "<a href=\"/team?worker=sw1\" class=\"govuk-link\">sw1</a>"));
	assert_non_null(strstr(b.data, ">24 <strong class=\"govuk-tag govuk-tag--red\">Over 20</strong></td>"));
	assert_null(strstr(b.data, "style="));
	buf_release(&b);
}

static void test_labels_are_escaped(void **state)
{
	chart_point p[] = {{"<script>alert(1)</script>", 3, true, NULL}};
	chart_opts o = {.id = "x", .title = "A & B", .desc = "\"quoted\"", .label_head = "L", .value_head = "V"};
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	chart_bars(&h, &o, p, 1);
	chart_line(&h, &o, p, 1);
	assert_null(strstr(b.data, "<script>"));
	assert_non_null(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(b.data, "A &amp; B"));
	assert_non_null(strstr(b.data, "&quot;quoted&quot;"));
	buf_release(&b);
}

static void test_line_breaks_at_a_month_without_data(void **state)
{
	chart_point p[] = {{"2024-01", 1, true, NULL}, {"2024-02", 0, false, NULL}, {"2024-03", 2, true, NULL}};
	chart_opts o = {.id = "l", .title = "T", .desc = "D", .label_head = "Month", .value_head = "N", .unit = "%"};
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	chart_line(&h, &o, p, 3);
	/* two stretches: M ... then M again, no L across the gap */
	assert_non_null(strstr(b.data, "d=\"M"));
	assert_non_null(strstr(b.data, " M"));
	assert_null(strstr(b.data, " L"));
	assert_non_null(strstr(b.data, "no data"));
	assert_non_null(strstr(b.data, ">1%</td>"));
	buf_release(&b);
}

static void test_empty_data_says_so(void **state)
{
	chart_opts o = {.id = "e", .title = "Nothing yet", .desc = "D", .label_head = "L", .value_head = "V"};
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	chart_bars(&h, &o, NULL, 0);
	chart_line(&h, &o, NULL, 0);
	assert_null(strstr(b.data, "<svg"));
	assert_null(strstr(b.data, "<table"));
	assert_non_null(strstr(b.data, "Nothing yet"));
	assert_non_null(strstr(b.data, "No data."));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_max_rounds_up_to_1_2_2_5_5),
		cmocka_unit_test(test_bar_geometry_for_known_data),
		cmocka_unit_test(test_line_geometry_for_known_data),
		cmocka_unit_test(test_bars_write_svg_with_text_alternative_and_table),
		cmocka_unit_test(test_labels_are_escaped),
		cmocka_unit_test(test_line_breaks_at_a_month_without_data),
		cmocka_unit_test(test_empty_data_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
