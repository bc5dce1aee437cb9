/*
 * test_census.c - the census's scope rules and items (report/census.h)
 * against tests/data/census/history.jsonl, worked by hand:
 *
 *   C1 referred 2025-02-03 (3A, N2), assessed 02-05..03-10 (authorised
 *      before the year: not returned), CIN plan from 2025-03-12, a second
 *      assessment from 2026-03-20 still open; closed 2026-04-10, after the
 *      reference date: open in the return.
 *   C2 referred 2025-05-06 (5A, N1), s47 05-07 with ICPC 05-27 starting a
 *      plan (neglect), assessment 05-07 authorised 06-18 (2B, 3A), review
 *      08-26 re-categorises to emotional, review 2026-01-20 ends the plan,
 *      CIN plan 01-20..02-27, closed 2026-03-02 RC7.
 *   C3 referred and closed in 2024: out of scope.
 *   C4 unborn (expected 2026-06-15), referred 2026-02-16, assessment open.
 *   C5 an NFA referral 2025-09-01, decided 09-02.
 *   C6 s47 2025-07-02 ended 07-15 with no ICPC needed; closed 08-01 RC7.
 *   C7 a plan in 2023-24 (closed 2024-01-20), then referred 2025-10-01,
 *      ICPC 10-16 (sexual, one previous plan), review 2026-01-15; the
 *      review of 2026-04-15 is after the reference date.
 *   C8 only an early-help decision: not a referral, not returned.
 *   C9 referred 2025-12-01, an initial conference 2026-01-12 (multiple)
 *      with no enquiry on record: the CINdetails' DateOfInitialCPC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "util/date.h"
#include "app_fixture.h"
#include "report/census.h"
#include "rules/rules.h"

static int32_t D(const char *s)
{
	int32_t d;
	assert_int_equal(date_parse_day(s, &d, NULL), 0);
	return d;
}

typedef struct built {
	app_fixture *f;
	casefile *cf;
	census *c;
	census_year y;
} built;

static built *build(bool until)
{
	built *b = xcalloc(1, sizeof(*b));
	casefile_opts o = {CF_NONE};
	sl_err err;

	b->f = app_fixture_new("2026-04-30", NULL, SL_TEST_DATA_DIR "/census/history.jsonl");
	assert_int_equal(census_year_find("2025-26", &b->y, &err), 0);
	if (until)
		o.until = b->y.end;
	assert_int_equal(casefile_load(b->f->a, &o, &b->cf, &err), 0);
	assert_int_equal(census_build(b->cf, &b->y, app_rules_config(b->f->a)->cal, &b->c, &err), 0);
	return b;
}

static void done(built *b)
{
	census_free(b->c);
	casefile_free(b->cf);
	app_fixture_free(b->f);
	free(b);
}

static const census_child *child(const built *b, const char *id)
{
	for (size_t i = 0; i < census_count(b->c); i++)
		if (strcmp(census_child_at(b->c, i)->cf->id, id) == 0)
			return census_child_at(b->c, i);
	return NULL;
}

static void test_year_and_la_are_checked(void **state)
{
	census_year y;
	sl_err err;
	(void)state;

	assert_int_equal(census_year_find("2025-26", &y, &err), 0);
	assert_int_equal(y.collection_year, 2026);
	assert_int_equal(y.start, D("2025-04-01"));
	assert_int_equal(y.end, D("2026-03-31"));
	assert_int_equal(census_year_find("2024-25", &y, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "`--year`"));
	assert_non_null(strstr(err.msg, "2025-26"));
	assert_int_equal(census_year_find("2025-27", &y, &err), SL_EINVAL);
	assert_int_equal(census_year_find("2025/26", &y, &err), SL_EINVAL);
	assert_int_equal(census_year_find("", &y, &err), SL_EINVAL);
	assert_int_equal(census_la_check("202", &err), 0);
	assert_int_equal(census_la_check("20", &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "`--la`"));
	assert_int_equal(census_la_check("2021", &err), SL_EINVAL);
	assert_int_equal(census_la_check("2a2", &err), SL_EINVAL);
}

static void test_children_in_scope(void **state)
{
	built *b = build(true);
	census_totals t;
	(void)state;

	assert_int_equal(census_count(b->c), 7);
	assert_string_equal(census_child_at(b->c, 0)->cf->id, "C1");
	assert_string_equal(census_child_at(b->c, 6)->cf->id, "C9");
	assert_null(child(b, "C3")); /* referred and closed before the year */
	assert_null(child(b, "C8")); /* early help is not a referral */
	census_get_totals(b->c, &t);
	assert_int_equal(t.children, 7);
	assert_int_equal(t.episodes, 7);
	assert_int_equal(t.nfa, 1);
	done(b);
}

static void test_open_before_the_year(void **state)
{
	built *b = build(true);
	const census_child *c1 = child(b, "C1");
	const census_episode *e;
	(void)state;

	assert_non_null(c1);
	assert_int_equal(c1->n_episodes, 1);
	e = &c1->episodes[0];
	assert_int_equal(e->referral, D("2025-02-03"));
	assert_string_equal(e->source, "3A");
	assert_string_equal(e->primary_need, "N2");
	assert_int_equal(e->closure, CENSUS_NONE); /* closed after the reference date */
	assert_string_equal(e->closure_reason, "");
	assert_false(e->nfa);
	/* the first assessment was authorised before the year */
	assert_int_equal(e->n_assessments, 1);
	assert_int_equal(e->assessments[0].start, D("2026-03-20"));
	assert_int_equal(e->assessments[0].authorised, CENSUS_NONE);
	assert_int_equal(e->assessments[0].n_factors, 0);
	assert_int_equal(e->n_cin_plans, 1);
	assert_int_equal(e->cin_plans[0].start, D("2025-03-12"));
	assert_int_equal(e->cin_plans[0].end, CENSUS_NONE);
	assert_true(e->referral_seq > 0 && e->primary_need_seq > 0 && e->cin_plans[0].start_seq > 0);
	done(b);
}

static void test_closed_in_the_year_with_a_plan(void **state)
{
	built *b = build(true);
	const census_child *c2 = child(b, "C2");
	const census_episode *e;
	const census_cp_plan *p;
	(void)state;

	e = &c2->episodes[0];
	assert_int_equal(e->closure, D("2026-03-02"));
	assert_string_equal(e->closure_reason, "RC7");
	/* the conference is the Section47's, so not the CINdetails' (2884) */
	assert_int_equal(e->initial_cpc, CENSUS_NONE);
	assert_int_equal(e->n_assessments, 1);
	assert_int_equal(e->assessments[0].start, D("2025-05-07"));
	assert_int_equal(e->assessments[0].authorised, D("2025-06-18"));
	assert_int_equal(e->assessments[0].n_factors, 2);
	assert_string_equal(e->assessments[0].factors[0], "2B");
	assert_int_equal(e->n_s47s, 1);
	assert_int_equal(e->s47s[0].start, D("2025-05-07"));
	/* 15 working days on: the bank holiday of 26 May 2025 is skipped */
	assert_int_equal(e->s47s[0].icpc_target, D("2025-05-29"));
	assert_int_equal(e->s47s[0].icpc, D("2025-05-27"));
	assert_int_equal(e->s47s[0].icpc_not_required, 0);
	assert_int_equal(e->n_plans, 1);
	p = &e->plans[0];
	assert_int_equal(p->start, D("2025-05-27"));
	assert_int_equal(p->end, D("2026-01-20"));
	assert_string_equal(p->initial_category, "NEG");
	assert_string_equal(p->latest_category, "EMO");
	assert_int_equal(p->previous, 0);
	assert_true(p->n_reviews >= 1);
	assert_int_equal(p->reviews[0].day, D("2025-08-26"));
	assert_int_equal(e->n_cin_plans, 1);
	assert_int_equal(e->cin_plans[0].end, D("2026-02-27"));
	done(b);
}

static void test_nfa_unborn_and_s47_without_icpc(void **state)
{
	built *b = build(true);
	const census_episode *e5 = &child(b, "C5")->episodes[0];
	const census_child *c4 = child(b, "C4");
	const census_episode *e6 = &child(b, "C6")->episodes[0];
	(void)state;

	assert_true(e5->nfa);
	assert_int_equal(e5->referral, D("2025-09-01"));
	assert_int_equal(e5->closure, D("2025-09-02"));
	assert_string_equal(e5->closure_reason, "RC8");
	assert_string_equal(e5->primary_need, "N9");
	assert_int_equal(e5->n_assessments + e5->n_s47s + e5->n_plans + e5->n_cin_plans, 0);

	assert_int_equal(c4->cf->born, CF_NONE);
	assert_int_equal(c4->cf->expected, D("2026-06-15"));
	assert_int_equal(c4->episodes[0].n_assessments, 1);
	assert_int_equal(c4->episodes[0].assessments[0].authorised, CENSUS_NONE);

	assert_int_equal(e6->n_s47s, 1);
	assert_int_equal(e6->s47s[0].icpc, CENSUS_NONE);
	assert_int_equal(e6->s47s[0].icpc_not_required, 1);
	assert_true(e6->s47s[0].icpc_not_required_seq > 0);
	assert_int_equal(e6->initial_cpc, CENSUS_NONE);
	assert_int_equal(e6->assessments[0].n_factors, 3);
	done(b);
}

static void test_conference_with_no_enquiry_dates_the_episode(void **state)
{
	built *b = build(true);
	const census_episode *e = &child(b, "C9")->episodes[0];
	(void)state;

	assert_int_equal(e->n_s47s, 0);
	assert_int_equal(e->initial_cpc, D("2026-01-12"));
	assert_true(e->initial_cpc_seq > 0);
	assert_int_equal(e->n_plans, 1);
	assert_string_equal(e->plans[0].initial_category, "MUL");
	done(b);
}

/* The same return whether or not the casefile stops at the reference
 * date: what happened after it is not returned either way. */
static void test_second_plan_and_after_the_reference_date(void **state)
{
	for (int until = 1; until >= 0; until--) {
		built *b = build(until);
		const census_child *c7 = child(b, "C7");
		const census_cp_plan *p;

		assert_int_equal(c7->n_episodes, 1); /* the 2023 episode closed before the year */
		assert_int_equal(c7->episodes[0].n_plans, 1);
		p = &c7->episodes[0].plans[0];
		assert_int_equal(p->previous, 1);
		assert_int_equal(p->end, CENSUS_NONE);
		assert_int_equal(p->n_reviews, 1);
		assert_int_equal(p->reviews[0].day, D("2026-01-15"));
		assert_string_equal(p->latest_category, "SAB");
		assert_int_equal(child(b, "C1")->episodes[0].closure, CENSUS_NONE);
		done(b);
	}
	(void)state;
}

static void test_xml_is_written_whole(void **state)
{
	built *b = build(true);
	census_source src = {"123", "0.1.0", 61, "2026-04-30T10:00:00"};
	buf out = BUF_INIT;
	sl_err err;
	(void)state;

	assert_int_equal(census_xml_write(b->c, &src, &out, &err), 0);
	assert_non_null(strstr(out.data, "<Message>"));
	assert_non_null(strstr(out.data, "<LEA>123</LEA>"));
	assert_non_null(strstr(out.data, "<ReferralNFA>true</ReferralNFA>"));
	assert_null(strstr(out.data, "<UPN></UPN>"));
	buf_reset(&out);
	src.la = "12";
	assert_int_equal(census_xml_write(b->c, &src, &out, &err), SL_EINVAL);
	assert_int_equal(out.len, 0);
	buf_release(&out);
	done(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_and_la_are_checked),
		cmocka_unit_test(test_children_in_scope),
		cmocka_unit_test(test_open_before_the_year),
		cmocka_unit_test(test_closed_in_the_year_with_a_plan),
		cmocka_unit_test(test_nfa_unborn_and_s47_without_icpc),
		cmocka_unit_test(test_conference_with_no_enquiry_dates_the_episode),
		cmocka_unit_test(test_second_plan_and_after_the_reference_date),
		cmocka_unit_test(test_xml_is_written_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
