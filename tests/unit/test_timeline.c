/*
 * test_timeline.c - the chronology timeline's SVG (src/web/timeline.c):
 * lanes for the agencies present, marks by type with their shapes and
 * links, axis ticks, the text alternative, escaping, an empty chronology,
 * and 5,000 events (aggregated, bounded in marks and in time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <time.h>

#include "util/common.h"
#include "util/date.h"
#include "web/timeline.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

static int32_t day(const char *s)
{
	int32_t d = 0;
	assert_int_equal(date_parse_day(s, &d, NULL), 0);
	return d;
}

/* Draw into out (caller releases). */
static void draw(buf *out, const timeline_event *ev, size_t n, const char *subject)
{
	html h = HTML_INIT(out);
	timeline_opts o = {"tl", subject, "/children/C1?"};
	timeline_svg(&h, ev, n, &o);
}

static void test_lanes_are_the_agencies_present_with_alerts_first(void **state)
{
	timeline_event ev[] = {
		{1, day("2021-01-04"), "contact.received", "police"},
		{2, day("2021-02-10"), "visit.recorded", "social_care"},
		{3, day("2021-06-01"), "injury.observed", "health"},
		{4, day("2021-07-01"), "alert.raised", "social_care"},
		{5, day("2021-08-01"), "note.recorded", "social_care"},
	};
	buf out = BUF_INIT;
	const char *s, *alerts, *social, *police, *health;
	(void)state;

	draw(&out, ev, SL_ARRAY_LEN(ev), "Amy");
	s = buf_str(&out);
	alerts = strstr(s, ">Alerts (1)<");
	social = strstr(s, ">Social care (2)<");
	police = strstr(s, ">Police (1)<");
	health = strstr(s, ">Health (1)<");
	assert_non_null(alerts);
	assert_non_null(social);
	assert_non_null(police);
	assert_non_null(health);
	/* alerts, then social care, then the other agencies in DESIGN 5's order */
	assert_true(alerts < social && social < police && police < health);
	assert_null(strstr(s, "Education"));
	assert_null(strstr(s, "Probation"));
	buf_release(&out);
}

static void test_marks_have_their_own_shape_colour_link_and_title(void **state)
{
	timeline_event ev[] = {
		{10, day("2022-03-01"), "visit.recorded", "social_care"},
		{11, day("2022-05-12"), "injury.observed", "health"},
		{12, day("2022-07-20"), "missing.started", "police"},
		{13, day("2022-09-30"), "alert.raised", "social_care"},
	};
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, ev, SL_ARRAY_LEN(ev), NULL);
	s = buf_str(&out);
	/* one link per event here (far apart), each to its list entry */
	assert_int_equal(count(s, "<a "), 4);
	assert_non_null(strstr(s, "href=\"/children/C1?to=2022-05-12#e11\""));
	assert_non_null(strstr(s, "<title>12 May 2022: Injury (Health), event 11</title>"));
	assert_non_null(strstr(s, "<title>20 Jul 2022: Went missing (Police), event 12</title>"));
	assert_non_null(strstr(s, "<title>1 Mar 2022: Visit (Social care), event 10</title>"));
	/* shapes: a circle for the visit, a triangle and a diamond (polygons)
	 * with outlines, a square for the alert; plus the legend's four */
	assert_int_equal(count(s, "<circle"), 1 + 1);
	assert_int_equal(count(s, "<polygon"), 2 + 2);
	assert_int_equal(count(s, "fill=\"#d4351c\" stroke=\"#0b0c0c\""), 2);
	assert_int_equal(count(s, "fill=\"#912b88\" stroke=\"#0b0c0c\""), 2);
	assert_int_equal(count(s, "fill=\"#ffdd00\" stroke=\"#0b0c0c\""), 2);
	/* the legend names each type in words */
	assert_non_null(strstr(s, ">Injury</text>"));
	assert_non_null(strstr(s, ">Missing episode</text>"));
	assert_non_null(strstr(s, ">Alert</text>"));
	buf_release(&out);
}

static void test_picture_is_an_img_with_title_and_desc_and_links_outside_it(void **state)
{
	timeline_event ev[] = {
		{1, day("2020-01-15"), "visit.recorded", "social_care"},
		{2, day("2020-04-01"), "injury.observed", "education"},
	};
	buf out = BUF_INIT;
	const char *s, *img_end, *first_link;
	(void)state;

	draw(&out, ev, SL_ARRAY_LEN(ev), "Amy Smith");
	s = buf_str(&out);
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sl-timeline\" role=\"group\""));
	assert_non_null(strstr(s, "<svg role=\"img\" aria-labelledby=\"tl-title tl-desc\""));
	assert_non_null(strstr(s, "<title id=\"tl-title\">Chronology timeline of Amy Smith</title>"));
	assert_non_null(strstr(s, "<desc id=\"tl-desc\">2 events about Amy Smith, in the months from 1 Jan 2020 to "
	                          "30 Apr 2020. By agency: Social care 1, Education 1. Marked: 1 injury, 0 missing "
	                          "episode events, 0 alerts."));
	/* no link inside the role="img" picture (its children are
	 * presentational: a link there is an accessibility failure) */
	img_end = strstr(strstr(s, "role=\"img\""), "</svg>");
	first_link = strstr(s, "<a ");
	assert_non_null(img_end);
	assert_non_null(first_link);
	assert_true(first_link > img_end);
	/* every link has a name: a <title> child (its accessible name and
	 * tooltip) before the link ends */
	for (const char *a = strstr(s, "<a "); a; a = strstr(a + 1, "<a ")) {
		const char *t = strstr(a, "<title>"), *end = strstr(a, "</a>");
		assert_non_null(t);
		assert_non_null(end);
		assert_true(t < end);
	}
	buf_release(&out);
}

static void test_subject_and_kinds_are_escaped(void **state)
{
	timeline_event ev[] = {
		{1, day("2020-01-15"), "<img src=x onerror=alert(1)>", "\"><script>"},
	};
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, ev, 1, "<script>alert(1)</script>");
	s = buf_str(&out);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<img"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	/* an unknown agency goes to the `other` lane */
	assert_non_null(strstr(s, ">Other (1)<"));
	buf_release(&out);
}

static void test_no_events_draws_a_picture_that_says_so(void **state)
{
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, NULL, 0, "Amy");
	s = buf_str(&out);
	assert_non_null(strstr(s, "role=\"img\""));
	assert_non_null(strstr(s, "<desc id=\"tl-desc\">No events to show.</desc>"));
	assert_int_equal(count(s, "<a "), 0);
	buf_release(&out);
}

static void test_ticks_are_years_for_long_spans_and_months_for_short(void **state)
{
	timeline_event longer[] = {
		{1, day("2016-03-01"), "visit.recorded", "social_care"},
		{2, day("2023-11-20"), "visit.recorded", "social_care"},
	};
	timeline_event shorter[] = {
		{1, day("2021-03-01"), "visit.recorded", "social_care"},
		{2, day("2021-05-20"), "visit.recorded", "social_care"},
	};
	buf out = BUF_INIT;
	(void)state;

	draw(&out, longer, 2, NULL);
	assert_non_null(strstr(buf_str(&out), ">2017</text>"));
	assert_non_null(strstr(buf_str(&out), ">2023</text>"));
	assert_null(strstr(buf_str(&out), ">Jun</text>"));
	buf_reset(&out);
	draw(&out, shorter, 2, NULL);
	assert_non_null(strstr(buf_str(&out), ">Mar 2021</text>"));
	assert_non_null(strstr(buf_str(&out), ">Apr</text>"));
	assert_non_null(strstr(buf_str(&out), ">May</text>"));
	buf_release(&out);
}

static void test_same_day_events_are_one_mark_that_says_how_many(void **state)
{
	timeline_event ev[] = {
		{1, day("2021-03-01"), "visit.recorded", "social_care"},
		{2, day("2021-03-01"), "note.recorded", "social_care"},
		{3, day("2021-03-02"), "note.recorded", "social_care"},
		{4, day("2021-03-02"), "injury.observed", "social_care"},
		{5, day("2022-03-02"), "note.recorded", "social_care"},
	};
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, ev, SL_ARRAY_LEN(ev), NULL);
	s = buf_str(&out);
	assert_non_null(strstr(s, "<title>3 events (Social care), 1 Mar 2021 to 2 Mar 2021</title>"));
	assert_non_null(strstr(s, "href=\"/children/C1?from=2021-03-01&amp;to=2021-03-02#chronology\""));
	/* the injury in the same column keeps a mark of its own */
	assert_non_null(strstr(s, "<title>2 Mar 2021: Injury (Social care), event 4</title>"));
	assert_int_equal(count(s, "<a "), 3);
	buf_release(&out);
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void test_five_thousand_events_aggregate_and_draw_fast(void **state)
{
	static const char *const agency[] = {"social_care", "police", "health", "education"};
	static const char *const kind[] = {"visit.recorded", "note.recorded", "contact.received", "injury.observed",
	                                   "missing.started", "alert.raised", "meeting.held"};
	timeline_event *ev = xcalloc(5000, sizeof(*ev));
	int32_t d0 = day("2019-01-01");
	buf out = BUF_INIT;
	double best = 1e9;
	size_t marks, i;
	const char *s;
	(void)state;

	for (i = 0; i < 5000; i++)
		ev[i] = (timeline_event){i + 1, d0 + (int32_t)(i * 1826 / 5000), kind[i % 7], agency[i % 4]};
	for (int round = 0; round < 5; round++) {
		double t0 = now_ms();
		buf_reset(&out);
		draw(&out, ev, 5000, "Amy");
		best = fmin(best, now_ms() - t0);
	}
	s = buf_str(&out);
	assert_non_null(strstr(s, "<desc id=\"tl-desc\">5000 events about Amy"));
	marks = count(s, "<a ");
	/* bounded by lanes x types x columns, far fewer than the events */
	assert_true(marks > 100);
	assert_true(marks < 2500);
	assert_non_null(strstr(s, " injuries (Police), "));
	/* well under 10 ms unsanitised; generous for sanitiser builds */
	print_message("timeline of 5,000 events: %.2f ms, %zu marks, %zu bytes\n", best, marks, out.len);
	assert_true(best < 100.0);
	buf_release(&out);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lanes_are_the_agencies_present_with_alerts_first),
		cmocka_unit_test(test_marks_have_their_own_shape_colour_link_and_title),
		cmocka_unit_test(test_picture_is_an_img_with_title_and_desc_and_links_outside_it),
		cmocka_unit_test(test_subject_and_kinds_are_escaped),
		cmocka_unit_test(test_no_events_draws_a_picture_that_says_so),
		cmocka_unit_test(test_ticks_are_years_for_long_spans_and_months_for_short),
		cmocka_unit_test(test_same_day_events_are_one_mark_that_says_how_many),
		cmocka_unit_test(test_five_thousand_events_aggregate_and_draw_fast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
