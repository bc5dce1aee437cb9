/*
 * test_measures.c - the managers' and the director's reads (app/measures.c:
 * measures_monthly, measures_children; app/query.c: query_escalations,
 * query_unallocated) on real instances: small histories imported through
 * the write path, and answers computed by hand.
 *
 * The first history: today is Friday 2024-06-14; the window is January to
 * June 2024, each month read at its last day, June at today.
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
#include "app/measures.h"

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
		a = json_object_get(json_object_get(o, "alerts_raised"), name);
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

	if (measures_monthly(f->a, NULL, "6", &o, &param, &err))
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

	assert_int_equal(measures_monthly(f->a, NULL, "61", &o, &param, &err), SL_EINVAL);
	assert_null(o);
	assert_string_equal(param, "months");
	assert_non_null(strstr(err.msg, "months"));
	assert_int_equal(measures_monthly(f->a, NULL, "x", &o, &param, &err), SL_EINVAL);
	assert_int_equal(measures_monthly(f->a, NULL, "0", &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "months");
	assert_int_equal(measures_monthly(f->a, NULL, NULL, &o, &param, &err), 0);
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

/* ---- the second history: timescales at their edges ---------------------------------------
 *
 * Today is Tuesday 2026-06-30; the window is December 2025 to June 2026
 * (months "7").  Bank holidays: 2025-12-25, 12-26, 2026-01-01, Good Friday
 * 04-03, Easter Monday 04-06.
 *
 *   B1-B3  referred 2025-11-18 (Tue), assessments started the same day.
 *          45 WD: Nov 19-28 = 8, Dec 1-24 = 18 (25, 26 off) = 26, Dec 29-31
 *          = 29, Jan 2 = 30 (1 off), Jan 5-9 = 35, 12-16 = 40, 19-23 = 45:
 *          due Friday 2026-01-23.  B1 completed 01-23 (the 45th WD: in
 *          time), B3 on Saturday 01-24 (after it: late), B2 on Monday 01-26
 *          (the 46th WD: late).  January: 3 completed, 1 in time, 33.3%.
 *   C1, C2 strategy discussions (s47) Wednesday 2026-03-18, enquiries
 *          completed 04-01 calling for a conference.  15 WD: Mar 19-20 = 2,
 *          23-27 = 7, Mar 30-Apr 2 = 11 (Apr 3 and 6 off), Apr 7-10 = 15:
 *          due Friday 04-10.  C1's initial conference 04-10 (15th WD: in
 *          time), C2's Monday 04-13 (16th WD: late).  April: 2 ICPCs, 1 in
 *          time, 50.0%.  P1's initial conference of 2026-02-02 followed no
 *          s47 enquiry: not an ICPC of the measure.
 *   R1, R2 referred 2025-03-10 and again 2026-03-10 (12 months exactly: a
 *          re-referral) and 2026-03-11 (12 months and a day: not).  March:
 *          2 referrals, 1 repeat, 50.0%.
 *   P1     a plan 2023-01-10 .. 2023-06-01, a second from 2026-02-02 (a
 *          second plan: February 1 started, 1 second, 100.0%), ended by the
 *          case's closure 2026-04-20 (after 2 months).
 *   P2     a plan 2024-01-15 .. 2026-01-15: exactly 2 years.  P3 2024-01-16
 *          .. 2026-01-15: a day short.  January: 2 ended, 1 of 2 years,
 *          50.0%; April: P1's, 0 of 2 years, 0.0%.
 *   P4     a plan from 2024-02-29: 24 months on 2026-02-28 (February has no
 *          29th), so aged 2 years at February's end: 2 years open from Feb.
 *          Plans live at month ends: Dec P2 P3 P4 = 3, Jan P4 = 1, Feb-Mar
 *          P4 P1 = 2, Apr-Jun P4 C1 C2 = 3.
 *   Allocations 2026-03-02: w1 B1 B2 C1, w2 C2 R1, w3 R2 P1: March's end 7
 *          children, 3 workers, 2.3 each (7/3 rounded down).  R2 moves to
 *          w1 04-10, P1's case closes 04-20: April's end w1 4, w2 2 = 6
 *          children, 2 workers, 3.0.  December to February: nobody, null.
 *   N1-N3  born 2026-01-05, injured 01-20, 02-03, 03-31 (NONMOBILE_INJURY
 *          each, raised that day), resolved 02-10, 02-20, 04-01: open at
 *          January's end (raised before, resolved after) and at March's
 *          (raised on the 31st itself); N2's was raised and resolved inside
 *          February.  Open: 0 1 0 1 0 0 0; raised: 0 1 1 1 0 0 0.
 *   L1-L3  looked after from 05-01 (seen 05-10, 05-19), 06-01 (never seen),
 *          04-01 (seen 05-18); limit 42 days.  Apr 30: L3 29 days since its
 *          start (in time).  May 31: L1 12 days, L3 13 (both).  Jun 30: L1
 *          42 days exactly (in time), L2 29 days since its start (in
 *          time), L3 43 (late): 2 of 3, 66.6% (rounded down).
 */
static const char edges[] =
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"B1\",\"role\":\"child\",\"name\":\"Child B1\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"B2\",\"role\":\"child\",\"name\":\"Child B2\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"B3\",\"role\":\"child\",\"name\":\"Child B3\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"C1\",\"role\":\"child\",\"name\":\"Child C1\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"C2\",\"role\":\"child\",\"name\":\"Child C2\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"R1\",\"role\":\"child\",\"name\":\"Child R1\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"R2\",\"role\":\"child\",\"name\":\"Child R2\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"P1\",\"role\":\"child\",\"name\":\"Child P1\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"P2\",\"role\":\"child\",\"name\":\"Child P2\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"P3\",\"role\":\"child\",\"name\":\"Child P3\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"P4\",\"role\":\"child\",\"name\":\"Child P4\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"L1\",\"role\":\"child\",\"name\":\"Child L1\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"L2\",\"role\":\"child\",\"name\":\"Child L2\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2015-01-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"L3\",\"role\":\"child\",\"name\":\"Child L3\",\"born\":\"2015-01-01\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2023-01-10\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P1\",\"type\":\"initial\",\"plan\":true,\"category\":\"neglect\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2023-06-01\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P1\",\"type\":\"review\",\"plan\":false}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2024-01-15\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P2\",\"type\":\"initial\",\"plan\":true,\"category\":\"physical\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2024-01-16\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P3\",\"type\":\"initial\",\"plan\":true,\"category\":\"physical\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2024-02-29\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P4\",\"type\":\"initial\",\"plan\":true,\"category\":\"emotional\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2025-03-10\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"R1\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2025-03-10\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"R2\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2025-11-18\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"B1\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2025-11-18\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"B2\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2025-11-18\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"B3\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"assessment.started\",\"occurred_at\":\"2025-11-18\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"B1\"}}\n"
	"{\"kind\":\"assessment.started\",\"occurred_at\":\"2025-11-18\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"B2\"}}\n"
	"{\"kind\":\"assessment.started\",\"occurred_at\":\"2025-11-18\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"B3\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2026-01-05\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"N1\",\"role\":\"child\",\"name\":\"Baby N1\",\"born\":\"2026-01-05\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2026-01-05\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"N2\",\"role\":\"child\",\"name\":\"Baby N2\",\"born\":\"2026-01-05\"}}\n"
	"{\"kind\":\"person.registered\",\"occurred_at\":\"2026-01-05\",\"by\":{\"user\":\"sw1\"},\"data\":{\"id\":\"N3\",\"role\":\"child\",\"name\":\"Baby N3\",\"born\":\"2026-01-05\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2026-01-15\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P2\",\"type\":\"review\",\"plan\":false}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2026-01-15\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P3\",\"type\":\"review\",\"plan\":false}}\n"
	"{\"kind\":\"injury.observed\",\"occurred_at\":\"2026-01-20\",\"by\":{\"agency\":\"health\"},\"data\":{\"child\":\"N1\",\"description\":\"Bruise\",\"agency\":\"health\"}}\n"
	"{\"kind\":\"assessment.completed\",\"occurred_at\":\"2026-01-23\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"B1\",\"outcome\":\"nfa\"}}\n"
	"{\"kind\":\"assessment.completed\",\"occurred_at\":\"2026-01-24\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"B3\",\"outcome\":\"nfa\"}}\n"
	"{\"kind\":\"assessment.completed\",\"occurred_at\":\"2026-01-26\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"B2\",\"outcome\":\"nfa\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2026-02-02\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"P1\",\"type\":\"initial\",\"plan\":true,\"category\":\"neglect\"}}\n"
	"{\"kind\":\"injury.observed\",\"occurred_at\":\"2026-02-03\",\"by\":{\"agency\":\"health\"},\"data\":{\"child\":\"N2\",\"description\":\"Bruise\",\"agency\":\"health\"}}\n"
	"{\"kind\":\"alert.resolved\",\"occurred_at\":\"2026-02-10\",\"by\":{\"user\":\"tm1\"},\"data\":{\"alert\":\"NONMOBILE_INJURY/N1/2026-01-20\",\"rationale\":\"Explained\"}}\n"
	"{\"kind\":\"alert.resolved\",\"occurred_at\":\"2026-02-20\",\"by\":{\"user\":\"tm1\"},\"data\":{\"alert\":\"NONMOBILE_INJURY/N2/2026-02-03\",\"rationale\":\"Explained\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-03-02\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"B1\",\"worker\":\"w1\",\"team\":\"north\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-03-02\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"B2\",\"worker\":\"w1\",\"team\":\"north\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-03-02\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"C1\",\"worker\":\"w1\",\"team\":\"north\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-03-02\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"C2\",\"worker\":\"w2\",\"team\":\"north\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-03-02\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"R1\",\"worker\":\"w2\",\"team\":\"north\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-03-02\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"R2\",\"worker\":\"w3\",\"team\":\"north\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-03-02\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"P1\",\"worker\":\"w3\",\"team\":\"north\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2026-03-10\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"R1\",\"decision\":\"assessment\"}}\n"
	"{\"kind\":\"referral.decided\",\"occurred_at\":\"2026-03-11\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"R2\",\"decision\":\"strategy\"}}\n"
	"{\"kind\":\"strategy.held\",\"occurred_at\":\"2026-03-18\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"C1\",\"s47\":true}}\n"
	"{\"kind\":\"strategy.held\",\"occurred_at\":\"2026-03-18\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"C2\",\"s47\":true}}\n"
	"{\"kind\":\"injury.observed\",\"occurred_at\":\"2026-03-31\",\"by\":{\"agency\":\"health\"},\"data\":{\"child\":\"N3\",\"description\":\"Bruise\",\"agency\":\"health\"}}\n"
	"{\"kind\":\"s47.completed\",\"occurred_at\":\"2026-04-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"C1\",\"icpc\":true}}\n"
	"{\"kind\":\"s47.completed\",\"occurred_at\":\"2026-04-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"C2\",\"icpc\":true}}\n"
	"{\"kind\":\"alert.resolved\",\"occurred_at\":\"2026-04-01\",\"by\":{\"user\":\"tm1\"},\"data\":{\"alert\":\"NONMOBILE_INJURY/N3/2026-03-31\",\"rationale\":\"Explained\"}}\n"
	"{\"kind\":\"lac.started\",\"occurred_at\":\"2026-04-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"L3\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2026-04-10\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"C1\",\"type\":\"initial\",\"plan\":true,\"category\":\"neglect\"}}\n"
	"{\"kind\":\"case.allocated\",\"occurred_at\":\"2026-04-10\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"R2\",\"worker\":\"w1\",\"team\":\"north\"}}\n"
	"{\"kind\":\"conference.held\",\"occurred_at\":\"2026-04-13\",\"by\":{\"user\":\"chair\"},\"data\":{\"child\":\"C2\",\"type\":\"initial\",\"plan\":true,\"category\":\"neglect\"}}\n"
	"{\"kind\":\"case.closed\",\"occurred_at\":\"2026-04-20\",\"by\":{\"user\":\"tm1\"},\"data\":{\"child\":\"P1\",\"reason\":\"RC8\",\"authorised_by\":\"sm1\"}}\n"
	"{\"kind\":\"lac.started\",\"occurred_at\":\"2026-05-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"L1\"}}\n"
	"{\"kind\":\"visit.recorded\",\"occurred_at\":\"2026-05-10\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"L1\",\"seen\":true}}\n"
	"{\"kind\":\"visit.recorded\",\"occurred_at\":\"2026-05-18\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"L3\",\"seen\":true}}\n"
	"{\"kind\":\"visit.recorded\",\"occurred_at\":\"2026-05-19\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"L1\",\"seen\":true}}\n"
	"{\"kind\":\"lac.started\",\"occurred_at\":\"2026-06-01\",\"by\":{\"user\":\"sw1\"},\"data\":{\"child\":\"L2\"}}\n";

static int setup_edges(void **state)
{
	*state = app_fixture_new("2026-06-30", edges, NULL);
	return 0;
}

static void test_measures_at_the_edges_match_the_hand_count(void **state)
{
	fixture *f = *state;
	json_t *o = NULL;
	const char *param = NULL;
	sl_err err = {0};

	if (measures_monthly(f->a, NULL, "7", &o, &param, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(json_string_value(json_object_get(o, "as_of")), "2026-06-30");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "months"), 0)), "2025-12");
	ROW(o, "assessments_completed", "0 3 0 0 0 0 0");
	ROW(o, "assessments_in_time", "0 1 0 0 0 0 0");
	ROW(o, "assessments_in_time_pct", "null 33.3 null null null null null");
	ROW(o, "icpcs", "0 0 0 0 2 0 0");
	ROW(o, "icpcs_in_time", "0 0 0 0 1 0 0");
	ROW(o, "icpcs_in_time_pct", "null null null null 50.0 null null");
	ROW(o, "referrals", "0 0 0 2 0 0 0");
	ROW(o, "repeat_referrals", "0 0 0 1 0 0 0");
	ROW(o, "repeat_referrals_pct", "null null null 50.0 null null null");
	ROW(o, "cp_plans_started", "0 0 1 0 2 0 0");
	ROW(o, "second_plans", "0 0 1 0 0 0 0");
	ROW(o, "second_plans_pct", "null null 100.0 null 0.0 null null");
	ROW(o, "cp_plans_ended", "0 2 0 0 1 0 0");
	ROW(o, "cp_plans_ended_2_years", "0 1 0 0 0 0 0");
	ROW(o, "cp_plans_ended_2_years_pct", "null 50.0 null null 0.0 null null");
	ROW(o, "cp_plans_2_years_open", "0 0 1 1 1 1 1");
	ROW(o, "cp_plans", "3 1 2 2 3 3 3");
	ROW(o, "children_allocated", "0 0 0 7 6 6 6");
	ROW(o, "workers", "0 0 0 3 2 2 2");
	ROW(o, "children_per_worker", "null null null 2.3 3.0 3.0 3.0");
	ROW(o, "looked_after", "0 0 0 0 1 2 3");
	ROW(o, "lac_seen_in_time", "0 0 0 0 1 2 2");
	ROW(o, "lac_seen_in_time_pct", "null null null null 100.0 100.0 66.6");
	{
		char *got = NULL;
		json_t *open = json_object_get(json_object_get(o, "open_alerts"), "NONMOBILE_INJURY");
		json_t *wrap = json_pack("{s:{s:O}}", "series", "x", open);
		got = row(wrap, "x");
		assert_string_equal(got, "0 1 0 1 0 0 0");
		free(got);
		json_decref(wrap);
	}
	ROW(o, "NONMOBILE_INJURY", "0 1 1 1 0 0 0"); /* alerts_raised */
	json_decref(o);
}

/* A month read at an earlier as-of date: nothing after it counts. */
static void test_measures_as_of_a_date_leave_out_what_came_later(void **state)
{
	fixture *f = *state;
	json_t *o = NULL;
	const char *param = NULL;
	sl_err err = {0};

	/* Sunday 04-12: C1's conference (04-10) is in, C2's (04-13) not yet;
	 * R2 is w1's, P1 still w3's: 7 children, 3 workers. */
	if (measures_monthly(f->a, "2026-04-12", "1", &o, &param, &err))
		fail_msg("%s", err.msg);
	assert_string_equal(json_string_value(json_object_get(o, "as_of")), "2026-04-12");
	ROW(o, "icpcs", "1");
	ROW(o, "icpcs_in_time", "1");
	ROW(o, "children_allocated", "7");
	ROW(o, "workers", "3");
	ROW(o, "cp_plans", "3");
	ROW(o, "cp_plans_ended", "0");
	json_decref(o);
}

static const char *kind_of(fixture *f, json_int_t seq)
{
	static char kind[64];
	json_t *o = NULL;
	sl_err err = {0};

	if (query_event(f->a, (uint64_t)seq, &o, &err))
		fail_msg("event %lld: %s", (long long)seq, err.msg);
	snprintf(kind, sizeof(kind), "%s", json_string_value(json_object_get(o, "kind")));
	json_decref(o);
	return kind;
}

/* The evidence of an item as its events' kinds: "strategy.held s47.completed". */
static char *evidence_kinds(fixture *f, const json_t *item)
{
	buf b = BUF_INIT;
	json_t *seq;
	size_t i;

	json_array_foreach(json_object_get(item, "evidence"), i, seq) {
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, kind_of(f, json_integer_value(seq)));
	}
	return buf_detach(&b);
}

static json_t *drill(fixture *f, const char *name, const char *month)
{
	json_t *o = NULL;
	const char *param = NULL;
	sl_err err = {0};

	if (measures_children(f->a, name, month, NULL, &o, &param, &err))
		fail_msg("%s %s: %s", name, month, err.msg);
	return o;
}

static void test_children_behind_a_figure_with_their_evidence(void **state)
{
	fixture *f = *state;
	json_t *o, *items, *item;
	char *kinds;

	o = drill(f, "icpcs_in_time_pct", "2026-04");
	assert_string_equal(json_string_value(json_object_get(o, "month_end")), "2026-04-30");
	items = json_object_get(o, "children");
	assert_int_equal(json_array_size(items), 2);
	assert_int_equal(json_integer_value(json_object_get(o, "numerator")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "denominator")), 2);
	item = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(item, "child")), "C1");
	assert_true(json_is_true(json_object_get(item, "counted")));
	kinds = evidence_kinds(f, item);
	assert_string_equal(kinds, "strategy.held s47.completed conference.held");
	free(kinds);
	item = json_array_get(items, 1);
	assert_string_equal(json_string_value(json_object_get(item, "child")), "C2");
	assert_true(json_is_false(json_object_get(item, "counted")));
	json_decref(o);

	o = drill(f, "assessments_in_time", "2026-01");
	items = json_object_get(o, "children");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "child")), "B1");
	kinds = evidence_kinds(f, json_array_get(items, 0));
	assert_string_equal(kinds, "referral.decided assessment.started assessment.completed");
	free(kinds);
	json_decref(o);

	o = drill(f, "repeat_referrals", "2026-03");
	items = json_object_get(o, "children");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "child")), "R1");
	kinds = evidence_kinds(f, json_array_get(items, 0));
	assert_string_equal(kinds, "referral.decided referral.decided");
	free(kinds);
	json_decref(o);

	o = drill(f, "cp_plans_ended_2_years", "2026-01");
	items = json_object_get(o, "children");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "child")), "P2");
	kinds = evidence_kinds(f, json_array_get(items, 0));
	assert_string_equal(kinds, "conference.held conference.held");
	free(kinds);
	json_decref(o);

	o = drill(f, "second_plans", "2026-02");
	items = json_object_get(o, "children");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "child")), "P1");
	json_decref(o);

	o = drill(f, "open_alerts.NONMOBILE_INJURY", "2026-03");
	items = json_object_get(o, "children");
	assert_int_equal(json_integer_value(json_object_get(o, "value")), 1);
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "child")), "N3");
	kinds = evidence_kinds(f, json_array_get(items, 0));
	assert_string_equal(kinds, "alert.raised");
	free(kinds);
	json_decref(o);

	o = drill(f, "workers", "2026-04");
	items = json_object_get(o, "children");
	assert_int_equal(json_integer_value(json_object_get(o, "value")), 2);
	assert_int_equal(json_array_size(items), 6);
	json_decref(o);

	o = drill(f, "lac_seen_in_time", "2026-06");
	items = json_object_get(o, "children");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "child")), "L1");
	kinds = evidence_kinds(f, json_array_get(items, 0));
	assert_string_equal(kinds, "lac.started visit.recorded");
	free(kinds);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "child")), "L2");
	json_decref(o);
}

/* Every figure of every month: its children list has as many items as the
 * figure counts (a share: items = denominator, counted ones = numerator;
 * workers: distinct workers among the items). */
static void test_every_drill_down_equals_its_count(void **state)
{
	fixture *f = *state;
	json_t *all = NULL, *series, *values, *v, *o, *items, *item;
	const char *name, *param = NULL;
	sl_err err = {0};
	size_t i, j;

	if (measures_monthly(f->a, NULL, "7", &all, &param, &err))
		fail_msg("%s", err.msg);
	series = json_object_get(all, "series");
	json_object_foreach(series, name, values) {
		json_array_foreach(values, i, v) {
			const char *month = json_string_value(json_array_get(json_object_get(all, "months"), i));
			size_t counted = 0;
			json_t *workers = json_object();
			o = drill(f, name, month);
			items = json_object_get(o, "children");
			assert_true(json_equal(json_object_get(o, "value"), v));
			json_array_foreach(items, j, item) {
				counted += json_is_true(json_object_get(item, "counted"));
				if (json_object_get(item, "worker"))
					json_object_set(workers, json_string_value(json_object_get(item, "worker")), json_true());
			}
			if (json_object_get(o, "denominator")) {
				assert_int_equal(json_array_size(items), json_integer_value(json_object_get(o, "denominator")));
				assert_int_equal(counted, json_integer_value(json_object_get(o, "numerator")));
			} else if (strcmp(name, "workers") == 0) {
				assert_int_equal(json_object_size(workers), json_integer_value(json_object_get(o, "value")));
			} else if (strcmp(name, "children_per_worker") != 0) {
				if ((json_int_t)json_array_size(items) != json_integer_value(json_object_get(o, "value")))
					fail_msg("%s %s: %zu items, value %lld", name, month, json_array_size(items),
					         (long long)json_integer_value(json_object_get(o, "value")));
			}
			json_decref(workers);
			json_decref(o);
		}
	}
	json_decref(all);
}

static void test_bad_parameters_name_the_field(void **state)
{
	fixture *f = *state;
	json_t *o = NULL;
	const char *param = NULL;
	sl_err err = {0};

	assert_int_equal(measures_monthly(f->a, "2026-07-01", NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "as_of");
	assert_non_null(strstr(err.msg, "after today"));
	assert_int_equal(measures_monthly(f->a, "2022-12-31", NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "as_of");
	assert_non_null(strstr(err.msg, "before the first event"));
	assert_int_equal(measures_monthly(f->a, "2026-02-30", NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "as_of");
	assert_int_equal(measures_monthly(f->a, "26-01-01", NULL, &o, &param, &err), SL_EINVAL);
	assert_int_equal(measures_monthly(f->a, NULL, "60", &o, &param, &err), 0); /* the most */
	json_decref(o);
	o = NULL;
	assert_int_equal(measures_monthly(f->a, NULL, "-1", &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "months");

	assert_int_equal(measures_children(f->a, "no_such", "2026-04", NULL, &o, &param, &err), SL_ENOTFOUND);
	assert_string_equal(param, "name");
	assert_int_equal(measures_children(f->a, "open_alerts.NO_SUCH", "2026-04", NULL, &o, &param, &err),
	                 SL_ENOTFOUND);
	assert_string_equal(param, "name");
	assert_int_equal(measures_children(f->a, "icpcs", "2026-13", NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "month");
	assert_int_equal(measures_children(f->a, "icpcs", NULL, NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "month");
	assert_int_equal(measures_children(f->a, "icpcs", "2026-07", NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "month");
	assert_int_equal(measures_children(f->a, "icpcs", "2026-04", "2026-03-31", &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "month");
	assert_int_equal(measures_children(f->a, "icpcs", "2022-12", NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "month");
	assert_int_equal(measures_children(f->a, "icpcs", "2026-04", "2027-01-01", &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "as_of");
	assert_null(o);
}

static void test_csv_has_a_row_per_month_and_quotes_fields(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *c;
	const char *param = NULL;
	sl_err err = {0};
	buf b = BUF_INIT;

	if (measures_monthly(f->a, NULL, "2", &o, &param, &err))
		fail_msg("%s", err.msg);
	measures_csv(o, &b);
	assert_true(strncmp(b.data, "month,referrals,repeat_referrals,repeat_referrals_pct,", 54) == 0);
	assert_non_null(strstr(b.data, ",open_alerts.LATE_REFERRAL_DECISION,"));
	assert_non_null(strstr(b.data, ",alerts_raised.NONMOBILE_INJURY,"));
	assert_non_null(strstr(b.data, "\r\n2026-05,0,0,,"));
	assert_non_null(strstr(b.data, "\r\n2026-06,0,0,,"));
	assert_int_equal(b.data[b.len - 1], '\n');
	json_decref(o);

	/* RFC 4180 quoting, on an answer built by hand */
	buf_reset(&b);
	c = json_pack("{s:s, s:s, s:[{s:s, s:i, s:[i, i], s:s, s:b}]}", "measure", "workers", "month", "2026-04",
	              "children", "child", "X\"1", "seq", 7, "evidence", 3, 7, "worker", "Smith, J", "counted", 1);
	measures_children_csv(c, &b);
	assert_string_equal(b.data, "measure,month,child,seq,evidence,counted,worker,code\r\n"
	                            "workers,2026-04,\"X\"\"1\",7,3 7,true,\"Smith, J\",\r\n");
	json_decref(c);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_measures_by_month_match_the_hand_count),
		cmocka_unit_test(test_measures_refuse_a_bad_month_count),
		cmocka_unit_test(test_escalations_have_answers_due_in_working_days),
		cmocka_unit_test(test_unallocated_lists_open_cases_without_a_worker),
	};
	const struct CMUnitTest edge_tests[] = {
		cmocka_unit_test(test_measures_at_the_edges_match_the_hand_count),
		cmocka_unit_test(test_measures_as_of_a_date_leave_out_what_came_later),
		cmocka_unit_test(test_children_behind_a_figure_with_their_evidence),
		cmocka_unit_test(test_every_drill_down_equals_its_count),
		cmocka_unit_test(test_bad_parameters_name_the_field),
		cmocka_unit_test(test_csv_has_a_row_per_month_and_quotes_fields),
	};
	int failed = cmocka_run_group_tests(tests, setup, teardown);
	return failed + cmocka_run_group_tests(edge_tests, setup_edges, teardown);
}
