/*
 * test_measures.c - the managers' and the director's reads (app/query.c:
 * query_measures, query_escalations, query_unallocated) on a real
 * instance: a small history imported through the write path, and answers
 * computed by hand (today is Friday 2024-06-14; the window is January to
 * June 2024, each month read at its last day, June at today).
 *
 *   A1  referred 2023-03-01 and again 2024-01-10 (a repeat: within 12
 *       months); assessment 2024-01-10 .. 2024-02-01 (in time); CP plan
 *       from 2024-02-05, seen 02-20, 03-28, 05-31: at the month ends
 *       Feb 29 (7 WD since), Mar 31 (0: Good Friday), May 31 (0), Jun 14
 *       (10) in time, Apr 30 (21 WD, Easter Monday off) late.
 *   A2  referred 2024-01-15; assessment completed 2024-04-30, past its
 *       45 WD (due 2024-03-18): late.
 *   A3  born 2024-03-01, injured 2024-04-02: NONMOBILE_INJURY in April.
 *   A4  a plan in 2023 (ended), a second from 2024-03-04, never seen.
 *   A5  on a plan since 2022-11-15: 18 months on 2024-05-15; allocated.
 *   A6  looked after 2024-04-15 .. 05-20, allocated to team south, case
 *       closed 05-21, referred again 2024-06-03 (open, unallocated).
 *   Escalations: to the director 06-03 (answered 06-04) and 06-05 (due
 *   06-12, overdue), to a manager 06-13 about A1 (due 06-20).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <unistd.h>

#include "util/common.h"
#include "app/app.h"
#include "app_fixture.h"
#include "app/query.h"

static const char history[] =
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"A1\",\"role\":\"child\",\"name\":\"Ann One\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"A2\",\"role\":\"child\",\"name\":\"Ben Two\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"A4\",\"role\":\"child\",\"name\":\"Dee Four\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"A5\",\"role\":\"child\",\"name\":\"Eve Five\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"A6\",\"role\":\"child\",\"name\":\"Fay Six\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2022-11-15\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"A5\",\"type\":\"initial\",\"plan\":true,\"category\":\"emotional\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2022-11-20\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"A5\",\"worker\":\"w1\",\"team\":\"north\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2023-01-10\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"A4\",\"type\":\"initial\",\"plan\":true,\"category\":\"physical\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2023-03-01\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"A1\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2023-06-01\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"A4\",\"type\":\"review\",\"plan\":false}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2024-01-10\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"A1\",\"decision\":\"strategy\"}}\n"
	"{\"kind\":\"assessment.started\",\"occurred_at\":\"2024-01-10\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"A1\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2024-01-15\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"A2\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"assessment.started\",\"occurred_at\":\"2024-01-16\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"A2\"}}\n"
	"{\"kind\":\"assessment.completed\",\"occurred_at\":\"2024-02-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"A1\",\"outcome\":\"strategy\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2024-02-05\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"A1\",\"type\":\"initial\",\"plan\":true,\"category\":\"neglect\"}}\n"
	"{\"kind\":\"visit.recorded\",\"occurred_at\":\"2024-02-20\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"A1\",\"seen\":true}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2024-03-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"A3\",\"role\":\"child\",\"name\":\"Cal Three\",\"born\":\"2024-03-01\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2024-03-04\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"A4\",\"type\":\"initial\",\"plan\":true,\"category\":\"neglect\"}}\n"
	"{\"kind\":\"visit.recorded\",\"occurred_at\":\"2024-03-28\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"A1\",\"seen\":true}}\n"
	"{\"kind\":\"injury.observed\",\"occurred_at\":\"2024-04-02\",\"by\":{\"agency\":\"health\"},\"data\":{\"child\":\"A3\",\"description\":\"Bruise\",\"agency\":\"health\"}}\n"
	"{\"kind\":\"lac.started\",\"occurred_at\":\"2024-04-15\",\"by\":{\"user\":\"sw2\"},\"data\":{\"child\":\"A6\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2024-04-15\",\"by\":{\"user\":\"tm2\"},\"data\":{\"child\":\"A6\",\"worker\":\"w2\",\"team\":\"south\"}}\n"
	"{\"kind\":\"assessment.completed\",\"occurred_at\":\"2024-04-30\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"A2\",\"outcome\":\"cin_plan\"}}\n"
	"{\"kind\":\"lac.ended\",\"occurred_at\":\"2024-05-20\",\"by\":{\"user\":\"sw2\"},\"data\":{\"child\":\"A6\"}}\n"
	"{\"kind\":\"case.closed\",\"occurred_at\":\"2024-05-21\",\"by\":{\"user\":\"sw2\"},\"data\":{\"child\":\"A6\",\"reason\":\"RC8\"}}\n"
	"{\"kind\":\"visit.recorded\",\"occurred_at\":\"2024-05-31\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"A1\",\"seen\":true}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2024-06-03\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"A6\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"escalation.raised\",\"occurred_at\":\"2024-06-03\",\"ref\":\"esc-1\",\"by\":{\"user\":\"sw1\"},\"data\":{\"to\":\"director\",\"summary\":\"Agency staff\"}}\n"
	"{\"kind\":\"escalation.answered\",\"occurred_at\":\"2024-06-04\",\"by\":{\"user\":\"dir1\"},\"data\":{\"escalation\":\"esc-1\",\"response\":\"Approved\"}}\n"
	"{\"kind\":\"escalation.raised\",\"occurred_at\":\"2024-06-05\",\"by\":{\"user\":\"sw1\"},\"data\":{\"to\":\"director\",\"summary\":\"Caseloads in north\"}}\n"
	"{\"kind\":\"escalation.raised\",\"occurred_at\":\"2024-06-13\",\"by\":{\"user\":\"sw1\"},\"data\":{\"to\":\"manager\",\"summary\":\"No placement\",\"child\":\"A1\"}}\n";

typedef app_fixture fixture;

static int setup(void **state)
{
	*state = app_fixture_new("2024-06-14", history, NULL);
	return 0;
}

static int teardown(void **state)
{
	app_fixture_free(*state);
	return 0;
}

/* The series as text: "2 0 null 1.5", so a row of numbers is one assert. */
static char *row(const json_t *o, const char *name)
{
	const json_t *a = json_object_get(json_object_get(o, "series"), name), *v;
	buf b = BUF_INIT;
	size_t i;

	if (!a)
		a = json_object_get(json_object_get(o, "alerts"), name);
	if (!json_is_array(a))
		fail_msg("no series %s", name);
	json_array_foreach(a, i, v) {
		if (i)
			buf_putc(&b, ' ');
		if (json_is_integer(v))
			buf_printf(&b, "%lld", (long long)json_integer_value(v));
		else if (json_is_real(v))
			buf_printf(&b, "%.1f", json_real_value(v));
		else
			buf_puts(&b, "null");
	}
	return buf_detach(&b);
}

#define ROW(o, name, want)                                                                                       \
	do {                                                                                                     \
		char *got_ = row(o, name);                                                                       \
		assert_string_equal(got_, want);                                                                 \
		free(got_);                                                                                      \
	} while (0)

static void test_measures_by_month_match_the_hand_count(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *months;
	const char *param = NULL;
	sl_err err = {0};

	if (query_measures(f->a, "6", &o, &param, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(json_string_value(json_object_get(o, "as_of")), "2024-06-14");
	months = json_object_get(o, "months");
	assert_int_equal(json_array_size(months), 6);
	assert_string_equal(json_string_value(json_array_get(months, 0)), "2024-01");
	assert_string_equal(json_string_value(json_array_get(months, 5)), "2024-06");
	ROW(o, "referrals", "2 0 0 0 0 1");
	ROW(o, "repeat_referrals", "1 0 0 0 0 0");
	ROW(o, "repeat_referrals_pct", "50.0 null null null null 0.0");
	ROW(o, "assessments_completed", "0 1 0 1 0 0");
	ROW(o, "assessments_in_time", "0 1 0 0 0 0");
	ROW(o, "assessments_in_time_pct", "null 100.0 null 0.0 null null");
	ROW(o, "cp_plans", "1 2 3 3 3 3");
	ROW(o, "cp_plans_over_18_months", "0 0 0 0 1 1");
	ROW(o, "cp_plans_started", "0 1 1 0 0 0");
	ROW(o, "second_plans", "0 0 1 0 0 0");
	ROW(o, "second_plans_pct", "null 0.0 100.0 null null null");
	ROW(o, "looked_after", "0 0 0 1 0 0");
	ROW(o, "cp_seen_in_time", "0 1 1 0 1 1");
	ROW(o, "cp_seen_in_time_pct", "0.0 50.0 33.3 0.0 33.3 33.3");
	ROW(o, "NONMOBILE_INJURY", "0 0 0 1 0 0");
	ROW(o, "REPEAT_PLAN", "0 0 1 0 0 0");
	json_decref(o);
}

static void test_measures_refuse_a_bad_month_count(void **state)
{
	fixture *f = *state;
	json_t *o = NULL;
	const char *param = NULL;
	sl_err err = {0};

	assert_int_equal(query_measures(f->a, "61", &o, &param, &err), SL_EINVAL);
	assert_null(o);
	assert_string_equal(param, "months");
	assert_non_null(strstr(err.msg, "months"));
	assert_int_equal(query_measures(f->a, "x", &o, &param, &err), SL_EINVAL);
	assert_int_equal(query_measures(f->a, NULL, &o, &param, &err), 0);
	assert_int_equal(json_array_size(json_object_get(o, "months")), 12);
	json_decref(o);
}

static void test_escalations_have_answers_due_in_working_days(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *list, *e;
	sl_err err = {0};

	assert_int_equal(query_escalations(f->a, "director", true, &o, &err), 0);
	list = json_object_get(o, "escalations");
	assert_int_equal(json_array_size(list), 1);
	e = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(e, "summary")), "Caseloads in north");
	assert_string_equal(json_string_value(json_object_get(e, "due")), "2024-06-12");
	assert_true(json_is_true(json_object_get(e, "overdue")));
	assert_true(json_is_null(json_object_get(e, "child")));
	json_decref(o);

	assert_int_equal(query_escalations(f->a, NULL, false, &o, &err), 0);
	list = json_object_get(o, "escalations");
	assert_int_equal(json_array_size(list), 3);
	e = json_array_get(list, 0); /* oldest first: the answered one */
	assert_string_equal(json_string_value(json_object_get(json_object_get(e, "answered"), "text")), "Approved");
	assert_true(json_is_false(json_object_get(e, "overdue")));
	e = json_array_get(list, 2);
	assert_string_equal(json_string_value(json_object_get(e, "to")), "manager");
	assert_string_equal(json_string_value(json_object_get(e, "child")), "A1");
	assert_string_equal(json_string_value(json_object_get(e, "due")), "2024-06-20");
	assert_true(json_is_false(json_object_get(e, "overdue")));
	json_decref(o);
}

static void test_unallocated_lists_open_cases_without_a_worker(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *list;
	sl_err err = {0};
	const char *want_all[] = {"A4", "A1", "A2", "A6"};

	assert_int_equal(query_unallocated(f->a, NULL, &o, &err), 0);
	list = json_object_get(o, "children");
	assert_int_equal(json_array_size(list), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(list, i), "child")), want_all[i]);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "last_team")), "south");
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 3), "opened_on")), "2024-06-03");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 3), "waiting_wd")), 9);
	assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "name")), "Dee Four");
	json_decref(o);

	/* a team sees the never-allocated and its own, not south's A6 */
	assert_int_equal(query_unallocated(f->a, "north", &o, &err), 0);
	assert_int_equal(json_array_size(json_object_get(o, "children")), 3);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measures_by_month_match_the_hand_count),
		cmocka_unit_test(test_measures_refuse_a_bad_month_count),
		cmocka_unit_test(test_escalations_have_answers_due_in_working_days),
		cmocka_unit_test(test_unallocated_lists_open_cases_without_a_worker),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
