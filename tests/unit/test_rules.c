/*
 * test_rules.c - unit tests for src/rules (the engine driven directly, with
 * no ledger or store) and util/hmap, which the engine is built on.
 *
 * Whole histories are tested through `replay` in tests/rules/; these check
 * the engine's own contract: the sink sees each alert once with its ref,
 * quiet mode raises nothing but keeps state, the tick only touches what is
 * due, refs get #2 for a second alert on a day, and the configuration's
 * errors name the line.
 */
#include "util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <unistd.h>

#include "rules/rules.h"
#include "util/date.h"
#include "util/hmap.h"

/* ---- hmap ---- */

static void test_hmap_put_get_overwrite_grow(void **state)
{
	hmap m = HMAP_INIT;
	uint64_t v = 0;
	char key[32];

	(void)state;
	assert_false(hmap_get_str(&m, "x", &v));
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof key, "k%d", i);
		hmap_put_str(&m, key, (uint64_t)i * 3);
		hmap_put_u64(&m, (uint64_t)i, (uint64_t)i + 7);
	}
	assert_int_equal(m.count, 20000);
	for (int i = 0; i < 10000; i += 97) {
		snprintf(key, sizeof key, "k%d", i);
		assert_true(hmap_get_str(&m, key, &v));
		assert_int_equal(v, (uint64_t)i * 3);
		assert_true(hmap_get_u64(&m, (uint64_t)i, &v));
		assert_int_equal(v, (uint64_t)i + 7);
	}
	hmap_put_str(&m, "k5", 42);
	assert_true(hmap_get_str(&m, "k5", &v));
	assert_int_equal(v, 42);
	assert_int_equal(m.count, 20000);
	assert_false(hmap_get_str(&m, "k10000", NULL));
	hmap_put(&m, "", 0, 9); /* the empty key is a key */
	assert_true(hmap_get(&m, "", 0, &v));
	assert_int_equal(v, 9);
	hmap_free(&m);
}

/* ---- configuration ---- */

static const char *write_conf(const char *text)
{
	static char path[64];
	FILE *f;
	snprintf(path, sizeof path, "/tmp/sl-test-rules-%d.conf", (int)getpid());
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void assert_conf_fails(const char *text, const char *want)
{
	rules_config *c = NULL;
	sl_err err = {0};
	assert_true(rules_config_load(write_conf(text), &c, &err) < 0);
	assert_null(c);
	if (!strstr(err.msg, want))
		fail_msg("expected \"%s\" in \"%s\"", want, err.msg);
}

static void test_config_defaults_and_overrides(void **state)
{
	rules_config *c;
	sl_err err;
	buf out = BUF_INIT;

	(void)state;
	assert_int_equal(rules_config_load(NULL, &c, &err), 0);
	assert_int_equal(c->param[P_ASSESSMENT_WD], 45);
	assert_int_equal(c->param[P_CASELOAD_MAX], 20);
	assert_true(c->enabled[RULE_LATE_ENTRY]);
	assert_string_equal(rule_param_name(P_VISIT_LAC_DAYS), "LATE_VISIT.lac_days");
	rules_config_free(c);

	assert_int_equal(rules_config_load(write_conf("# ours\n\nLATE_ASSESSMENT.working_days = 40 # local\n"
	                                              "CASELOAD_HIGH.enabled = false\n"),
	                                   &c, &err), 0);
	assert_int_equal(c->param[P_ASSESSMENT_WD], 40);
	assert_false(c->enabled[RULE_CASELOAD_HIGH]);
	rules_config_write(c, &out);
	assert_non_null(strstr(out.data, "LATE_ASSESSMENT.working_days = 40"));
	assert_non_null(strstr(out.data, "CASELOAD_HIGH.enabled = false"));
	buf_release(&out);
	rules_config_free(c);
	for (int i = 0; i < RULE_COUNT; i++)
		assert_int_equal(rule_from_name(rule_name((rule_code)i)), i);
	assert_int_equal(rule_from_name("LATE_VISITS"), -1);
}

static void test_config_errors_name_the_line(void **state)
{
	(void)state;
	assert_conf_fails("\nNOT_A_RULE.enabled = true\n", "line 2: unknown rule `NOT_A_RULE`");
	assert_conf_fails("LATE_VISIT.cp_working_days = -1\n", "line 1: LATE_VISIT.cp_working_days must be between");
	assert_conf_fails("LATE_VISIT.cp_working_days = 0\n", "must be between 1 and");
	assert_conf_fails("LATE_VISIT.cp_working_days = ten\n", "must be a whole number, not `ten`");
	assert_conf_fails("LATE_VISIT.weekly = 1\n", "rule LATE_VISIT has no setting `weekly`");
	assert_conf_fails("LATE_VISIT.enabled = yes\n", "must be true or false");
	assert_conf_fails("LATE_VISIT\n", "expected `NAME = VALUE`");
	assert_conf_fails("LATE_VISIT.lac_days =\n", "has no value");
	assert_conf_fails("visits = 3\n", "unknown setting `visits`");
	assert_conf_fails("calendar.bank_holidays = /nonexistent/holidays.tsv\n", "/nonexistent/holidays.tsv");
}

/* ---- the engine ---- */

typedef struct seen {
	int n;
	char refs[16][64];
	int32_t days[16];
	uint64_t next_seq;
} seen;

static int sink(void *ctx, const rules_alert *a, uint64_t *seq, sl_err *err)
{
	seen *s = ctx;
	(void)err;
	assert_true(s->n < 16);
	snprintf(s->refs[s->n], sizeof s->refs[0], "%s", a->ref);
	s->days[s->n++] = a->raised_on;
	assert_non_null(a->reason);
	assert_true(a->n_evidence > 0);
	*seq = s->next_seq++;
	return 0;
}

static uint64_t seq_counter;

static void feed(rules *r, const char *json)
{
	json_error_t jerr;
	json_t *ev = json_loads(json, 0, &jerr);
	rules_event_info info = {++seq_counter, false, INT32_MIN};
	sl_err err;
	assert_non_null(ev);
	assert_int_equal(rules_event(r, ev, &info, &err), 0);
	json_decref(ev);
}

static int32_t day(const char *s)
{
	int32_t d;
	assert_int_equal(date_parse_day(s, &d, NULL), 0);
	return d;
}

#define REG(id, born) "{\"kind\":\"person.registered\",\"occurred_at\":\"2024-01-01\",\"by\":{\"user\":\"u\"}," \
	"\"data\":{\"id\":\"" id "\",\"role\":\"child\",\"name\":\"N\",\"born\":\"" born "\"}}"

static void test_engine_raises_once_with_refs(void **state)
{
	rules_config *c;
	rules *r;
	seen s = {.next_seq = 1000};
	sl_err err;
	rules_stats st;

	(void)state;
	seq_counter = 0;
	assert_int_equal(rules_config_load(NULL, &c, &err), 0);
	r = rules_new(c, NULL, NULL);
	rules_set_sink(r, sink, &s);
	feed(r, REG("B1", "2024-01-01"));
	feed(r, REG("B2", "2015-01-01"));
	/* two injuries the same day: NONMOBILE_INJURY twice, the second #2 */
	feed(r, "{\"kind\":\"injury.observed\",\"occurred_at\":\"2024-03-04\",\"by\":{\"agency\":\"health\"},"
	        "\"data\":{\"child\":\"B1\",\"description\":\"d\",\"agency\":\"health\"}}");
	feed(r, "{\"kind\":\"injury.observed\",\"occurred_at\":\"2024-03-04\",\"by\":{\"agency\":\"health\"},"
	        "\"data\":{\"child\":\"B1\",\"description\":\"d\",\"agency\":\"health\"}}");
	assert_int_equal(s.n, 2);
	assert_string_equal(s.refs[0], "NONMOBILE_INJURY/B1/2024-03-04");
	assert_string_equal(s.refs[1], "NONMOBILE_INJURY/B1/2024-03-04#2");
	assert_true(rules_alert_exists(r, "NONMOBILE_INJURY/B1/2024-03-04#2"));
	assert_false(rules_alert_exists(r, "NONMOBILE_INJURY/B1/2024-03-04#3"));
	assert_int_equal(rules_person_role(r, "B1"), 1);
	assert_int_equal(rules_person_role(r, "Z9"), -1);
	/* a contact: the deadline falls due on the 2nd WD only; ticks before do nothing */
	feed(r, "{\"kind\":\"contact.received\",\"occurred_at\":\"2024-03-08\",\"by\":{\"agency\":\"police\"},"
	        "\"data\":{\"child\":\"B2\",\"source\":\"1B\",\"summary\":\"s\"}}");
	assert_int_equal(rules_tick(r, day("2024-03-11"), &err), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(rules_tick(r, day("2024-03-12"), &err), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.refs[2], "LATE_REFERRAL_DECISION/B2/2024-03-12");
	assert_int_equal(s.days[2], day("2024-03-12"));
	/* ticking on never raises it again */
	assert_int_equal(rules_tick(r, day("2024-06-28"), &err), 0);
	assert_int_equal(s.n, 3);
	rules_get_stats(r, &st);
	assert_int_equal(st.children, 2);
	assert_int_equal(st.alerts, 3);
	assert_int_equal(st.timers_fired, 1); /* the tick touched only what was due */
	rules_free(r);
	rules_config_free(c);
}

static void test_quiet_engine_keeps_state_raises_nothing(void **state)
{
	rules_config *c;
	rules *r;
	sl_err err;
	json_t *o;

	(void)state;
	seq_counter = 0;
	assert_int_equal(rules_config_load(NULL, &c, &err), 0);
	r = rules_new(c, NULL, NULL); /* no sink: quiet */
	feed(r, REG("Q1", "2024-01-01"));
	feed(r, "{\"kind\":\"injury.observed\",\"occurred_at\":\"2024-03-04\",\"by\":{\"agency\":\"health\"},"
	        "\"data\":{\"child\":\"Q1\",\"description\":\"d\",\"agency\":\"health\"}}");
	/* the raised alert is known (so a later ack resolves) but has no event yet */
	assert_true(rules_alert_exists(r, "NONMOBILE_INJURY/Q1/2024-03-04"));
	o = rules_child_json(r, "Q1");
	assert_non_null(o);
	assert_int_equal(json_array_size(json_object_get(o, "alerts")), 0);
	json_decref(o);
	/* the ledger's own alert.raised event then records it */
	feed(r, "{\"kind\":\"alert.raised\",\"occurred_at\":\"2024-03-04\",\"ref\":\"NONMOBILE_INJURY/Q1/2024-03-04\","
	        "\"by\":{\"user\":\"safeledger\"},\"data\":{\"code\":\"NONMOBILE_INJURY\",\"child\":\"Q1\","
	        "\"reason\":\"r\",\"evidence\":[2]}}");
	feed(r, "{\"kind\":\"alert.resolved\",\"occurred_at\":\"2024-03-05\",\"by\":{\"user\":\"tm\"},"
	        "\"data\":{\"alert\":\"NONMOBILE_INJURY/Q1/2024-03-04\",\"rationale\":\"r\"}}");
	o = rules_child_json(r, "Q1");
	assert_int_equal(json_array_size(json_object_get(o, "alerts")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "alerts"), 0), "state")),
	                    "resolved");
	json_decref(o);
	assert_null(rules_child_json(r, "nobody"));
	rules_free(r);
	rules_config_free(c);
}

static void test_closure_check_refuses_and_changes_nothing(void **state)
{
	rules_config *c;
	rules *r;
	sl_err err;
	json_t *close_ev;
	json_error_t jerr;

	(void)state;
	seq_counter = 0;
	assert_int_equal(rules_config_load(NULL, &c, &err), 0);
	r = rules_new(c, NULL, NULL);
	feed(r, REG("K1", "2016-01-01"));
	feed(r, "{\"kind\":\"concern.raised\",\"occurred_at\":\"2024-03-04\",\"by\":{\"user\":\"u\"},"
	        "\"data\":{\"child\":\"K1\",\"category\":\"neglect\",\"summary\":\"s\",\"significant_harm\":true}}");
	close_ev = json_loads("{\"kind\":\"case.closed\",\"occurred_at\":\"2024-03-05\",\"by\":{\"user\":\"u\"},"
	                      "\"data\":{\"child\":\"K1\",\"reason\":\"RC8\"}}", 0, &jerr);
	assert_int_equal(rules_check(r, close_ev, &err), SL_EDENIED);
	assert_non_null(strstr(err.msg, "CLOSURE_BLOCKED"));
	assert_int_equal(rules_check(r, close_ev, &err), SL_EDENIED); /* still: nothing changed */
	json_object_set_new(json_object_get(close_ev, "data"), "authorised_by", json_string("sm1"));
	assert_int_equal(rules_check(r, close_ev, &err), 0);
	json_decref(close_ev);
	rules_free(r);
	rules_config_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmap_put_get_overwrite_grow),
		cmocka_unit_test(test_config_defaults_and_overrides),
		cmocka_unit_test(test_config_errors_name_the_line),
		cmocka_unit_test(test_engine_raises_once_with_refs),
		cmocka_unit_test(test_quiet_engine_keeps_state_raises_nothing),
		cmocka_unit_test(test_closure_check_refuses_and_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
