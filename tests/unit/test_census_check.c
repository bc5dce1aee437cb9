/*
 * test_census_check.c - the census validation rules (report/census_check.h):
 *
 *   - the UPN check letter against UPNs from outside (the test data of Data
 *     to Insight's CIN validator, rule 1510: two valid, two with the wrong
 *     letter);
 *   - the rule table's shape: codes unique and in order, a Q code exactly
 *     when the rule is a query, one check function per row, a message and a
 *     field on every row;
 *   - whole returns: the hand-built census fixture (tests/data/census) and
 *     the clean check fixture have no errors; the one-child-per-rule fixture
 *     reports 8608 with the event that recorded the authorisation, in the
 *     line and JSON forms the CLI prints.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>

#include "util/common.h"
#include "app_fixture.h"
#include "report/census_check.h"
#include "rules/rules.h"

static void test_upn_check_letter_matches_outside_vectors(void **state)
{
	(void)state;
	assert_int_equal(census_upn_check_letter("A950000178301"), 'A');
	assert_int_equal(census_upn_check_letter("H243278544154"), 'H');
	/* given with the wrong letter: the right one is computed */
	assert_int_equal(census_upn_check_letter("R247962919251"), 'Q');
	assert_int_equal(census_upn_check_letter("X428558133462"), 'W');
	/* a temporary UPN ends in a letter; its value is its place in A-Z less I, O, S */
	assert_int_not_equal(census_upn_check_letter("A20200001234A"), 0);
	/* not the shape the letter is computed over */
	assert_int_equal(census_upn_check_letter("A20212AB45671"), 0);
	assert_int_equal(census_upn_check_letter("A20212345678I"), 0);
	assert_int_equal(census_upn_check_letter("A2021234567"), 0);
}

static void test_rule_table_is_well_formed(void **state)
{
	size_t i;

	(void)state;
	assert_true(census_rule_count > 50);
	for (i = 0; i < census_rule_count; i++) {
		const census_rule *r = &census_rules[i];
		size_t n = strlen(r->code);

		assert_true(n == 4 || n == 5);
		assert_int_equal(r->severity == CENSUS_QUERY, r->code[n - 1] == 'Q');
		assert_true((r->child != NULL) != (r->whole != NULL));
		assert_true(r->field[0] && r->message[0]);
		if (i > 0)
			assert_true(strcmp(census_rules[i - 1].code, r->code) < 0);
	}
}

typedef struct checked {
	app_fixture *f;
	casefile *cf;
	census *c;
	census_findings *k;
} checked;

static checked *check(const char *path)
{
	checked *b = xcalloc(1, sizeof(*b));
	casefile_opts o = {CF_NONE};
	census_year y;
	sl_err err = {0};

	b->f = app_fixture_new("2026-04-30", NULL, path);
	assert_int_equal(census_year_find("2025-26", &y, &err), 0);
	o.until = y.end;
	assert_int_equal(casefile_load(b->f->a, &o, &b->cf, &err), 0);
	assert_int_equal(census_build(b->cf, &y, app_rules_config(b->f->a)->cal, &b->c, &err), 0);
	assert_int_equal(census_check(b->c, app_rules_config(b->f->a)->cal, &b->k, &err), 0);
	return b;
}

static void done(checked *b)
{
	census_findings_free(b->k);
	census_free(b->c);
	casefile_free(b->cf);
	app_fixture_free(b->f);
	free(b);
}

static void test_hand_built_returns_have_no_errors(void **state)
{
	checked *b;

	(void)state;
	b = check(SL_TEST_DATA_DIR "/census/history.jsonl");
	assert_true(census_count(b->c) > 0);
	assert_int_equal(census_findings_errors(b->k), 0);
	done(b);
	b = check(SL_TEST_DATA_DIR "/census_check/clean.jsonl");
	assert_true(census_count(b->c) > 0);
	assert_int_equal(census_findings_errors(b->k), 0);
	assert_int_equal(census_findings_queries(b->k), 0);
	assert_int_equal(census_findings_count(b->k), 0);
	done(b);
}

static void test_finding_names_rule_child_field_and_event(void **state)
{
	checked *b;
	const census_finding *hit = NULL;
	json_t *j;
	buf line = BUF_INIT;
	char *s;
	size_t i, n;

	(void)state;
	b = check(SL_TEST_DATA_DIR "/census_check/rules.jsonl");
	n = census_findings_count(b->k);
	assert_int_equal(census_findings_errors(b->k) + census_findings_queries(b->k), n);
	for (i = 0; i < n; i++) {
		const census_finding *f = census_findings_at(b->k, i);

		if (strcmp(f->rule, "8608") == 0) {
			assert_null(hit);
			hit = f;
		}
	}
	assert_non_null(hit);
	assert_string_equal(hit->child, "R8608");
	assert_string_equal(hit->field, "AssessmentAuthorisationDate");
	assert_int_equal(hit->severity, CENSUS_ERROR);
	assert_string_equal(hit->detail, "started 2025-05-10, authorised 2025-05-05");
	assert_true(hit->evidence > 0);

	census_finding_format(&line, hit);
	buf_printf(&line, "|");
	s = xstrdup(line.data);
	buf_reset(&line);
	buf_printf(&line,
	           "8608 R8608 AssessmentAuthorisationDate: Assessment Start Date cannot be later than its End Date "
	           "(started 2025-05-10, authorised 2025-05-05; event %llu)|",
	           (unsigned long long)hit->evidence);
	assert_string_equal(s, line.data);
	free(s);

	j = census_finding_json(hit);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "rule")), "8608");
	assert_string_equal(json_string_value(json_object_get(j, "severity")), "error");
	assert_string_equal(json_string_value(json_object_get(j, "child")), "R8608");
	assert_int_equal(json_integer_value(json_object_get(j, "evidence")), (json_int_t)hit->evidence);
	json_decref(j);

	/* the return-level findings come last, with no child */
	{
		const census_finding *last = census_findings_at(b->k, n - 1);

		assert_string_equal(last->child, "");
		buf_reset(&line);
		census_finding_format(&line, last);
		assert_true(strncmp(line.data + strlen(last->rule), " - ", 3) == 0);
		j = census_finding_json(last);
		assert_true(json_is_null(json_object_get(j, "child")));
		json_decref(j);
	}
	buf_release(&line);
	done(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upn_check_letter_matches_outside_vectors),
		cmocka_unit_test(test_rule_table_is_well_formed),
		cmocka_unit_test(test_hand_built_returns_have_no_errors),
		cmocka_unit_test(test_finding_names_rule_child_field_and_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
