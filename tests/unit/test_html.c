/*
 * test_html.c - the HTML writer (src/web/html.h) and the page pieces of
 * layout.h that turn user text into markup: every special character is
 * escaped in text and attributes, NULL attributes are left out, URL parts
 * are percent-encoded, URL attributes refuse other schemes, and hostile
 * text comes out inert.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "web/html.h"
#include "web/layout.h"

static const char *hostile = "\"><script>alert('x')</script><img src=x onerror=alert(1)>&amp;";

static void test_text_escapes_every_special_character(void **state)
{
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	html_text(&h, "a&b<c>d\"e'f");
	assert_string_equal(b.data, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	buf_reset(&b);
	html_textn(&h, "<b>xyz", 4);
	assert_string_equal(b.data, "&lt;b&gt;x");
	buf_reset(&b);
	html_textf(&h, "%s=%d", "<i>", 5);
	assert_string_equal(b.data, "&lt;i&gt;=5");
	buf_reset(&b);
	html_text(&h, NULL);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_text_keeps_utf8_and_drops_controls(void **state)
{
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	html_text(&h, "Zo\xc3\xab \xe2\x80\x94 a\x01\x1b" "b\tc\nd\x7f");
	assert_string_equal(b.data, "Zo\xc3\xab \xe2\x80\x94 ab\tc\nd");
	buf_release(&b);
}

static void test_hostile_text_is_inert(void **state)
{
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	html_open(&h, "p", "title", hostile, NULL);
	html_text(&h, hostile);
	html_close(&h, "p");
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "<img"));
	assert_null(strstr(b.data, "\"><"));
	/* the only tags are the writer's own */
	assert_string_equal(b.data,
	                    "<p title=\"&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x "
	                    "onerror=alert(1)&gt;&amp;amp;\">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
	                    "&lt;img src=x onerror=alert(1)&gt;&amp;amp;</p>");
	buf_release(&b);
}

static void test_attributes_escaped_and_null_left_out(void **state)
{
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	html_open(&h, "input", "name", "a\"b", "value", NULL, "class", "x'y", NULL);
	assert_string_equal(b.data, "<input name=\"a&quot;b\" class=\"x&#39;y\">");
	buf_reset(&b);
	html_void(&h, "rect", "x", "1", "y", "2", NULL);
	assert_string_equal(b.data, "<rect x=\"1\" y=\"2\"/>");
	buf_reset(&b);
	html_elem(&h, "td", "<b>", "class", "c", NULL);
	assert_string_equal(b.data, "<td class=\"c\">&lt;b&gt;</td>");
	buf_reset(&b);
	html_lit(&h, "<br>");
	assert_string_equal(b.data, "<br>");
	buf_release(&b);
}

static void test_url_attributes_refuse_other_schemes(void **state)
{
	static const char *const bad[] = {"javascript:alert(1)", " javascript:x", "JaVaScRiPt:x", "data:text/html,x",
	                                  "//evil.example/x", "/\\evil.example", "vbscript:x", ""};
	static const char *const good[] = {"/children/C1", "#main", "?page=2", "https://example.org/a",
	                                   "http://example.org/"};
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	char want[256];
	(void)state;

	for (size_t i = 0; i < SL_ARRAY_LEN(bad); i++) {
		buf_reset(&b);
		html_open(&h, "a", "href", bad[i], NULL);
		assert_string_equal(b.data, "<a href=\"#\">");
		buf_reset(&b);
		html_void(&h, "img", "src", bad[i], NULL);
		assert_string_equal(b.data, "<img src=\"#\"/>");
		buf_reset(&b);
		html_open(&h, "form", "action", bad[i], NULL);
		assert_string_equal(b.data, "<form action=\"#\">");
	}
	for (size_t i = 0; i < SL_ARRAY_LEN(good); i++) {
		buf_reset(&b);
		html_open(&h, "a", "href", good[i], NULL);
		snprintf(want, sizeof(want), "<a href=\"%s\">", good[i]);
		assert_string_equal(b.data, want);
	}
	/* other attributes take any text (escaped) */
	buf_reset(&b);
	html_open(&h, "a", "title", "javascript:x", NULL);
	assert_string_equal(b.data, "<a title=\"javascript:x\">");
	buf_release(&b);
}

static void test_url_part_percent_encodes(void **state)
{
	buf b = BUF_INIT;
	(void)state;

	html_url_part(&b, "C1");
	assert_string_equal(b.data, "C1");
	buf_reset(&b);
	html_url_part(&b, "a b/c?d=e&f#g\"<>'%\xc3\xab~._-");
	assert_string_equal(b.data, "a%20b%2Fc%3Fd%3De%26f%23g%22%3C%3E%27%25%C3%AB~._-");
	buf_reset(&b);
	html_url_part(&b, NULL);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_fmt_is_bounded(void **state)
{
	char out[HTML_FMT_MAX];
	char big[200];
	(void)state;

	assert_string_equal(html_fmt(out, "%d,%.1f", 12, 2.5), "12,2.5");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(strlen(html_fmt(out, "%s", big)), HTML_FMT_MAX - 1);
}

static void test_error_summary_and_field_from_vocabulary_error(void **state)
{
	page_errors e = {0};
	sl_err err = {0};
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	sl_fail(&err, SL_EINVAL, "field `data.seen`: expected true or false");
	page_errors_from(&e, &err, "summary");
	assert_int_equal(e.n, 1);
	assert_string_equal(e.v[0].field, "seen");
	assert_string_equal(e.v[0].msg, "expected true or false");
	sl_fail(&err, SL_EINVAL, "missing required field `data.summary`");
	page_errors_from(&e, &err, NULL);
	assert_string_equal(e.v[1].field, "summary");
	sl_fail(&err, SL_EINVAL, "something without a field");
	page_errors_from(&e, &err, "text");
	assert_string_equal(e.v[2].field, "text");
	assert_string_equal(e.v[2].msg, "something without a field");
	assert_string_equal(page_error_of(&e, "seen"), "expected true or false");
	assert_null(page_error_of(&e, "nope"));

	page_errors_add(&e, "x<y", "%s", hostile);
	page_error_summary(&h, &e);
	assert_non_null(strstr(b.data, "govuk-error-summary"));
	assert_non_null(strstr(b.data, "<a href=\"#seen\">expected true or false</a>"));
	assert_non_null(strstr(b.data, "href=\"#x%3Cy\""));
	assert_null(strstr(b.data, "<script"));
	buf_reset(&b);
	page_errors_from(&(page_errors){0}, &err, NULL);
	page_error_summary(&h, &(page_errors){0});
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_field_with_error_is_marked(void **state)
{
	page_errors e = {0};
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	page_errors_add(&e, "summary", "Enter a <summary>");
	page_textarea(&h, &e, &(page_field){.name = "summary", .label = "Summary", .value = hostile});
	assert_non_null(strstr(b.data, "govuk-form-group--error"));
	assert_non_null(strstr(b.data, "id=\"summary-error\""));
	assert_non_null(strstr(b.data, "Enter a &lt;summary&gt;"));
	assert_non_null(strstr(b.data, "aria-describedby=\"summary-error\""));
	assert_null(strstr(b.data, "<script"));
	buf_reset(&b);
	page_input(&h, &e, &(page_field){.name = "login", .label = "Login", .value = "x\"y"});
	assert_null(strstr(b.data, "govuk-form-group--error"));
	assert_non_null(strstr(b.data, "value=\"x&quot;y\""));
	buf_release(&b);
}

static void test_dates(void **state)
{
	char out[PAGE_DATE_MAX];
	(void)state;

	assert_string_equal(page_date_format("2024-03-01", out), "1 Mar 2024");
	assert_string_equal(page_date_format("2024-12-31T10:00:00Z", out), "31 Dec 2024");
	assert_string_equal(page_date_format("2024-13-01", out), "2024-13-01");
	assert_string_equal(page_date_format("soon", out), "soon");
	assert_string_equal(page_date_format(NULL, out), "");
}

static void test_alert_tags(void **state)
{
	buf b = BUF_INIT;
	html h = HTML_INIT(&b);
	(void)state;

	page_alert_tag(&h, "CUMULATIVE_HARM");
	assert_string_equal(b.data, "<strong class=\"govuk-tag govuk-tag--red\">Cumulative harm</strong>");
	buf_reset(&b);
	page_alert_tag(&h, "<NEW>");
	assert_string_equal(b.data, "<strong class=\"govuk-tag govuk-tag--grey\">&lt;NEW&gt;</strong>");
	buf_reset(&b);
	page_tag(&h, "x", "\" onclick=\"y");
	assert_string_equal(b.data, "<strong class=\"govuk-tag\">x</strong>");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escapes_every_special_character),
		cmocka_unit_test(test_text_keeps_utf8_and_drops_controls),
		cmocka_unit_test(test_hostile_text_is_inert),
		cmocka_unit_test(test_attributes_escaped_and_null_left_out),
		cmocka_unit_test(test_url_attributes_refuse_other_schemes),
		cmocka_unit_test(test_url_part_percent_encodes),
		cmocka_unit_test(test_fmt_is_bounded),
		cmocka_unit_test(test_error_summary_and_field_from_vocabulary_error),
		cmocka_unit_test(test_field_with_error_is_marked),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_alert_tags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
