/*
 * test_network.c - the family and household network's SVG and table
 * (src/web/network.c) from known query_network answers: shapes by role,
 * the unborn and the risk-flagged marked in words and pattern, relation
 * labels, links for each person, the text alternative, escaping, an empty
 * network and one too large to draw whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "web/network.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = hay; (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

/* Amy (C1); her mother M1, her father F1 (flagged by probation), an
 * unborn sibling U1; F1's partner P1 through him (hop 2). */
static json_t *family(const char *child_name)
{
	json_t *n = json_pack(
		"{s:s, s:[{s:s, s:s, s:s, s:s, s:i, s:b, s:[]},"
		"        {s:s, s:s, s:s, s:i, s:b, s:[]},"
		"        {s:s, s:s, s:s, s:i, s:b, s:[{s:s, s:s, s:s, s:b}]},"
		"        {s:s, s:s, s:s, s:n, s:s, s:i, s:b, s:[]},"
		"        {s:s, s:s, s:s, s:i, s:b, s:[]}],"
		" s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]}",
		"child", "C1", "people",
		"id", "C1", "role", "child", "name", child_name, "born", "2015-04-01", "hop", 0, "risk_to_children", 0,
		"risk_flags",
		"id", "M1", "role", "adult", "name", "Sarah Smith", "hop", 1, "risk_to_children", 0, "risk_flags",
		"id", "F1", "role", "adult", "name", "Dan Jones", "hop", 1, "risk_to_children", 1, "risk_flags",
		"agency", "probation", "summary", "Violent offences", "day", "2023-01-10", "risk_to_children", 1,
		"id", "U1", "role", "child", "name", "Baby Smith", "born", "expected", "2025-09-01", "hop", 1,
		"risk_to_children", 0, "risk_flags",
		"id", "P1", "role", "adult", "name", "Kim Lee", "hop", 2, "risk_to_children", 0, "risk_flags",
		"links",
		"a", "M1", "b", "C1", "relation", "mother", "since", "2015-04-01",
		"a", "F1", "b", "C1", "relation", "father", "since", "2015-04-01",
		"a", "U1", "b", "C1", "relation", "sibling", "since", "2025-01-02",
		"a", "P1", "b", "F1", "relation", "partner_of_parent", "since", "2024-06-01");
	assert_non_null(n);
	return n;
}

static void draw(buf *out, const json_t *net, bool table)
{
	html h = HTML_INIT(out);
	network_opts o = {"net"};
	if (table)
		network_table(&h, net, &o);
	else
		network_svg(&h, net, &o);
}

static void test_people_are_shaped_by_role_and_linked(void **state)
{
	json_t *net = family("Amy Smith");
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, net, false);
	s = buf_str(&out);
	/* five people, five links */
	assert_int_equal(count(s, "<a "), 5);
	/* children circles (the subject with a double outline: two), adults
	 * squares; the legend adds two circles and two squares */
	assert_int_equal(count(s, "<circle"), 2 + 1 + 2);
	assert_int_equal(count(s, "<rect"), 3 + 2 + 1 /* hatch pattern's background */);
	/* another child links to its record; adults to their table row */
	assert_non_null(strstr(s, "href=\"/children/U1\""));
	assert_non_null(strstr(s, "href=\"#net-p-M1\""));
	assert_non_null(strstr(s, "href=\"#net-p-C1\""));
	/* relation labels on the edges, in words */
	assert_non_null(strstr(s, ">mother</text>"));
	assert_non_null(strstr(s, ">partner of parent</text>"));
	assert_int_equal(count(s, "<line x1="), 4 + 1 /* hatch */);
	json_decref(net);
	buf_release(&out);
}

static void test_unborn_and_risk_are_marked_beyond_colour(void **state)
{
	json_t *net = family("Amy Smith");
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, net, false);
	s = buf_str(&out);
	assert_int_equal(count(s, ">unborn</text>"), 1);
	assert_non_null(strstr(s, "stroke-dasharray=\"5 3\""));
	/* the flagged father: words, a hatched fill and a thick red outline */
	assert_int_equal(count(s, ">RISK TO CHILDREN</text>"), 1);
	assert_non_null(strstr(s, "fill=\"url(#net-hatch)\" stroke=\"#d4351c\" stroke-width=\"4\""));
	assert_non_null(strstr(s, "<pattern id=\"net-hatch\""));
	assert_non_null(strstr(s, "aria-label=\"Dan Jones (F1), adult, flagged as a risk to children\""));
	assert_non_null(strstr(s, "aria-label=\"Baby Smith (U1), unborn child\""));
	json_decref(net);
	buf_release(&out);
}

static void test_picture_has_title_desc_and_no_link_inside_the_img(void **state)
{
	json_t *net = family("Amy Smith");
	buf out = BUF_INIT;
	const char *s, *img_end;
	(void)state;

	draw(&out, net, false);
	s = buf_str(&out);
	assert_non_null(strstr(s, "<svg role=\"img\" aria-labelledby=\"net-title net-desc\""));
	assert_non_null(strstr(s, "<title id=\"net-title\">Family and household network of Amy Smith</title>"));
	assert_non_null(strstr(s, "<desc id=\"net-desc\">Amy Smith at the centre, with 3 people linked directly and 1 "
	                          "through them. Sarah Smith is mother of Amy Smith. Dan Jones is father of Amy Smith. "
	                          "Baby Smith is sibling of Amy Smith. Flagged as a risk to children: Dan Jones."));
	img_end = strstr(strstr(s, "role=\"img\""), "</svg>");
	assert_true(strstr(s, "<a ") > img_end);
	json_decref(net);
	buf_release(&out);
}

static void test_names_with_markup_are_escaped(void **state)
{
	json_t *net = family("<script>alert(1)</script>");
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, net, false);
	draw(&out, net, true);
	s = buf_str(&out);
	assert_null(strstr(s, "<script"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	json_decref(net);
	buf_release(&out);
}

static void test_table_lists_everyone_with_links_and_risk(void **state)
{
	json_t *net = family("Amy Smith");
	buf out = BUF_INIT;
	const char *s;
	(void)state;

	draw(&out, net, true);
	s = buf_str(&out);
	assert_int_equal(count(s, "<tr class=\"govuk-table__row\" id=\"net-p-"), 5);
	assert_non_null(strstr(s, "mother of Amy Smith (since 2015-04-01)"));
	assert_non_null(strstr(s, "Sarah Smith is their mother"));
	assert_non_null(strstr(s, "partner of parent of Dan Jones"));
	assert_non_null(strstr(s, "<strong class=\"govuk-tag govuk-tag--red\">Risk to children</strong> Violent offences "
	                          "(probation, 2023-01-10)"));
	assert_non_null(strstr(s, "Unborn child; Linked directly"));
	assert_non_null(strstr(s, "<a class=\"govuk-link\" href=\"/children/U1\">Baby Smith</a>"));
	json_decref(net);
	buf_release(&out);
}

static void test_a_child_with_no_network(void **state)
{
	json_t *alone = json_pack("{s:s, s:[{s:s, s:s, s:s, s:i, s:b, s:[]}], s:[]}", "child", "C9", "people", "id",
	                          "C9", "role", "child", "name", "Zed", "hop", 0, "risk_to_children", 0, "risk_flags",
	                          "links");
	json_t *nobody = json_pack("{s:s, s:[], s:[]}", "child", "C9", "people", "links");
	buf out = BUF_INIT;
	(void)state;

	draw(&out, alone, false);
	assert_non_null(strstr(buf_str(&out), "Zed at the centre, with 0 people linked directly and 0 through them."));
	assert_non_null(strstr(buf_str(&out), "Nobody in it is flagged as a risk to children."));
	assert_int_equal(count(buf_str(&out), "<a "), 1);
	buf_reset(&out);
	draw(&out, nobody, false);
	assert_non_null(strstr(buf_str(&out), "Nobody is recorded in this network."));
	assert_int_equal(count(buf_str(&out), "<a "), 0);
	json_decref(alone);
	json_decref(nobody);
	buf_release(&out);
}

static void test_a_large_network_draws_a_bounded_part_and_says_so(void **state)
{
	json_t *net = json_pack("{s:s, s:[{s:s, s:s, s:s, s:i, s:b, s:[]}], s:[]}", "child", "C1", "people", "id", "C1",
	                        "role", "child", "name", "Amy", "hop", 0, "risk_to_children", 0, "risk_flags", "links");
	json_t *people = json_object_get(net, "people"), *links = json_object_get(net, "links");
	buf out = BUF_INIT;
	char id[16];
	(void)state;

	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "A%d", i);
		json_array_append_new(people, json_pack("{s:s, s:s, s:s, s:i, s:b, s:[]}", "id", id, "role", "adult",
		                                        "name", id, "hop", i < 10 ? 1 : 2, "risk_to_children", 0,
		                                        "risk_flags"));
		json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "a", id, "b", i < 10 ? "C1" : "A0",
		                                       "relation", "relative"));
	}
	draw(&out, net, false);
	assert_int_equal(count(buf_str(&out), "<a "), NETWORK_DRAWN_MAX);
	assert_non_null(strstr(buf_str(&out), "61 more people are listed in the table"));
	json_decref(net);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_people_are_shaped_by_role_and_linked),
		cmocka_unit_test(test_unborn_and_risk_are_marked_beyond_colour),
		cmocka_unit_test(test_picture_has_title_desc_and_no_link_inside_the_img),
		cmocka_unit_test(test_names_with_markup_are_escaped),
		cmocka_unit_test(test_table_lists_everyone_with_links_and_risk),
		cmocka_unit_test(test_a_child_with_no_network),
		cmocka_unit_test(test_a_large_network_draws_a_bounded_part_and_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
