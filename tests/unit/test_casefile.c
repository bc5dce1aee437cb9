/*
 * test_casefile.c - the returns' model (report/casefile.h) folded from a
 * real instance: tests/data/casefile.jsonl imported through the write path,
 * and every episode checked against the history worked by hand.
 *
 *   K1 (born 2019-06-01, sex F, WBRI then WIRI from 2025-11-01, NONE, UN1
 *   then a UPN):
 *     contact 2025-01-06 (3A) decided 01-07: strategy, N1 -> case opens
 *     allocated 2025-01-07 to w1/north - recorded late (after the review
 *       of 10-20 in the file) but folded in occurred order: the referral
 *       decision (an earlier seq the same day) still opened the case
 *     strategy with s47 01-08; assessment 01-08 .. 02-10, authorised 02-12,
 *       factors 1B,3A amended (approved 2026-03-04) to 1B,2B
 *     s47 completed 01-20 (ICPC needed); ICPC 01-27 starts plan 1, neglect
 *     review 04-25 re-categorises to emotional; review 10-20 ends plan 1
 *     CIN plan 10-20; initial conference 2026-01-05 starts plan 2
 *       (physical, one previous plan) with no enquiry on record
 *     closed 2026-03-02 RC7: plan 2 and the CIN plan end there
 *     contact 2026-03-10 (6) decided 03-11 nfa: no case opens
 *   U1 unborn, expected 2026-02-01.  M1 is an adult: not in the model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "util/common.h"
#include "util/date.h"
#include "app_fixture.h"
#include "report/casefile.h"
#include "store/store.h"

static int32_t D(const char *s)
{
	int32_t d;
	assert_int_equal(date_parse_day(s, &d, NULL), 0);
	return d;
}

static app_fixture *fixture(void)
{
	return app_fixture_new("2026-03-31", NULL, SL_TEST_DATA_DIR "/casefile.jsonl");
}

static void test_children_only_in_id_order(void **state)
{
	app_fixture *f = fixture();
	casefile *cf = NULL;
	uint64_t last = 0;
	sl_err err;
	(void)state;

	assert_int_equal(casefile_load(f->a, NULL, &cf, &err), 0);
	assert_int_equal(casefile_count(cf), 2);
	assert_string_equal(casefile_child(cf, 0)->id, "K1");
	assert_string_equal(casefile_child(cf, 1)->id, "U1");
	assert_null(casefile_find(cf, "M1"));
	assert_ptr_equal(casefile_find(cf, "U1"), casefile_child(cf, 1));
	assert_int_equal(casefile_child(cf, 1)->expected, D("2026-02-01"));
	assert_int_equal(casefile_child(cf, 1)->born, CF_NONE);
	assert_int_equal(casefile_first_day(cf), D("2020-01-01"));
	assert_int_equal(casefile_last_day(cf), D("2026-03-11"));
	/* every row of the ledger: the 22 imported and the alerts raised */
	assert_int_equal(store_event_last_seq(app_store(f->a), &last, &err), 0);
	assert_true(last > 22);
	assert_int_equal(casefile_events_read(cf), last);
	casefile_free(cf);
	app_fixture_free(f);
}

static void test_identifiers_latest_value_wins(void **state)
{
	app_fixture *f = fixture();
	casefile *cf = NULL;
	const cf_child *k;
	sl_err err;
	(void)state;

	assert_int_equal(casefile_load(f->a, NULL, &cf, &err), 0);
	k = casefile_find(cf, "K1");
	assert_string_equal(k->name, "Kit One");
	assert_int_equal(k->born, D("2019-06-01"));
	assert_string_equal(k->sex, "F");
	assert_string_equal(k->ethnicity, "WIRI");
	assert_string_equal(k->upn, "A123456789012");
	assert_string_equal(k->upn_unknown, "UN1");
	assert_int_equal(k->n_disabilities, 1);
	assert_string_equal(k->disabilities[0], "NONE");
	assert_int_equal(k->registered_seq, 1);
	assert_true(k->details_seq > k->registered_seq); /* the 2025-11-01 update */
	casefile_free(cf);
	app_fixture_free(f);
}

static void test_contacts_cases_and_assessments(void **state)
{
	app_fixture *f = fixture();
	casefile *cf = NULL;
	const cf_child *k;
	sl_err err;
	(void)state;

	assert_int_equal(casefile_load(f->a, NULL, &cf, &err), 0);
	k = casefile_find(cf, "K1");
	assert_int_equal(k->n_contacts, 2);
	assert_int_equal(k->contacts[0].day, D("2025-01-06"));
	assert_string_equal(k->contacts[0].source, "3A");
	assert_string_equal(k->contacts[0].decision, "strategy");
	assert_int_equal(k->contacts[0].decision_day, D("2025-01-07"));
	assert_string_equal(k->contacts[0].primary_need, "N1");
	assert_string_equal(k->contacts[1].source, "6");
	assert_string_equal(k->contacts[1].decision, "nfa");
	assert_string_equal(k->contacts[1].primary_need, "");

	assert_int_equal(k->n_cases, 1);
	assert_string_equal(k->cases[0].opened_by, "referral.decided");
	assert_int_equal(k->cases[0].span.start_day, D("2025-01-07"));
	assert_int_equal(k->cases[0].span.end_day, D("2026-03-02"));
	assert_string_equal(k->cases[0].span.end_detail, "RC7");
	assert_int_equal(k->n_allocations, 1);
	assert_string_equal(k->allocations[0].worker, "w1");
	assert_string_equal(k->allocations[0].team, "north");

	assert_int_equal(k->n_assessments, 1);
	assert_int_equal(k->assessments[0].start_day, D("2025-01-08"));
	assert_int_equal(k->assessments[0].completed_day, D("2025-02-10"));
	assert_int_equal(k->assessments[0].authorised_day, D("2025-02-12"));
	assert_string_equal(k->assessments[0].outcome, "strategy");
	/* as amended */
	assert_int_equal(k->assessments[0].n_factors, 2);
	assert_string_equal(k->assessments[0].factors[0], "1B");
	assert_string_equal(k->assessments[0].factors[1], "2B");
	casefile_free(cf);
	app_fixture_free(f);
}

static void test_enquiries_and_plans(void **state)
{
	app_fixture *f = fixture();
	casefile *cf = NULL;
	const cf_child *k;
	const cf_cp_plan *p;
	sl_err err;
	(void)state;

	assert_int_equal(casefile_load(f->a, NULL, &cf, &err), 0);
	k = casefile_find(cf, "K1");
	assert_int_equal(k->n_s47s, 2);
	assert_int_equal(k->s47s[0].start_day, D("2025-01-08"));
	assert_int_not_equal(k->s47s[0].strategy_seq, 0);
	assert_int_equal(k->s47s[0].completed_day, D("2025-01-20"));
	assert_int_equal(k->s47s[0].icpc_needed, 1);
	assert_int_equal(k->s47s[0].icpc_day, D("2025-01-27"));
	assert_int_equal(k->s47s[0].icpc_plan, 1);
	/* the 2026 ICPC had no enquiry on record */
	assert_int_equal(k->s47s[1].strategy_seq, 0);
	assert_int_equal(k->s47s[1].start_day, CF_NONE);
	assert_int_equal(k->s47s[1].icpc_day, D("2026-01-05"));

	assert_int_equal(k->n_plans, 2);
	p = &k->plans[0];
	assert_true(p->initial);
	assert_int_equal(p->start_day, D("2025-01-27"));
	assert_int_equal(p->end_day, D("2025-10-20"));
	assert_int_equal(p->previous, 0);
	assert_int_equal(p->n_categories, 2);
	assert_string_equal(p->categories[0].code, "NEG");
	assert_string_equal(p->categories[1].category, "emotional");
	assert_string_equal(p->categories[1].code, "EMO");
	assert_int_equal(p->n_reviews, 2);
	assert_int_equal(p->reviews[0].day, D("2025-04-25"));
	assert_int_equal(p->reviews[1].day, D("2025-10-20"));
	p = &k->plans[1];
	assert_int_equal(p->previous, 1);
	assert_string_equal(p->categories[0].code, "PHY");
	assert_int_equal(p->end_day, D("2026-03-02"));
	assert_int_equal(p->n_reviews, 0);

	assert_int_equal(k->n_cin_plans, 1);
	assert_int_equal(k->cin_plans[0].start_day, D("2025-10-20"));
	assert_int_equal(k->cin_plans[0].end_day, D("2026-03-02"));
	assert_int_equal(k->n_visits, 1);
	assert_false(k->visits[0].seen_alone);
	casefile_free(cf);
	app_fixture_free(f);
}

/* The record as it stood on 2025-06-30, as corrected since. */
static void test_until_folds_only_what_had_occurred(void **state)
{
	app_fixture *f = fixture();
	casefile_opts o = {D("2025-06-30")};
	casefile *cf = NULL;
	const cf_child *k;
	sl_err err;
	(void)state;

	assert_int_equal(casefile_load(f->a, &o, &cf, &err), 0);
	k = casefile_find(cf, "K1");
	assert_string_equal(k->ethnicity, "WBRI");
	assert_string_equal(k->upn, "");
	assert_int_equal(k->n_contacts, 1);
	assert_int_equal(k->n_plans, 1);
	assert_int_equal(k->plans[0].end_seq, 0);
	assert_int_equal(k->plans[0].end_day, CF_NONE);
	assert_int_equal(k->plans[0].n_reviews, 1);
	assert_int_equal(k->cases[0].span.end_seq, 0);
	assert_string_equal(k->assessments[0].factors[1], "2B");
	assert_int_equal(casefile_last_day(cf), D("2025-04-25"));
	casefile_free(cf);
	app_fixture_free(f);
}

static void test_an_empty_ledger_has_no_children(void **state)
{
	app_fixture *f = app_fixture_new("2026-03-31", NULL, NULL);
	casefile *cf = NULL;
	sl_err err;
	(void)state;

	assert_int_equal(casefile_load(f->a, NULL, &cf, &err), 0);
	assert_int_equal(casefile_count(cf), 0);
	assert_null(casefile_child(cf, 0));
	assert_null(casefile_find(cf, "K1"));
	assert_int_equal(casefile_first_day(cf), CF_NONE);
	casefile_free(cf);
	app_fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_children_only_in_id_order),
		cmocka_unit_test(test_identifiers_latest_value_wins),
		cmocka_unit_test(test_contacts_cases_and_assessments),
		cmocka_unit_test(test_enquiries_and_plans),
		cmocka_unit_test(test_until_folds_only_what_had_occurred),
		cmocka_unit_test(test_an_empty_ledger_has_no_children),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
