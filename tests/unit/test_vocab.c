/*
 * test_vocab.c - unit tests for domain/vocab (event vocabulary v1, DESIGN 5)
 * and the generated domain/codes tables.
 *
 * One fixture row per kind gives a minimal valid event (exactly the required
 * fields, as DESIGN 5 marks them) and a full one (every field), so the
 * table-wide tests - every kind passes, each required field is required,
 * unknown fields and wrong types fail - cover each kind without a test per
 * kind, and a kind added to vocab.c without a row here fails the suite.
 * The rest test one rule each, through a resolver backed by a tiny fixed
 * ledger (persons C1, C2 children; A1, A2 adults; a few events and refs).
 */
#include "util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include <jansson.h>

#include "domain/codes.h"
#include "domain/vocab.h"

/* ---- the fixed ledger behind the test resolver ------------------------ */

static const struct {
	const char *id;
	vocab_person_role role;
} people[] = {
	{"C1", VOCAB_CHILD}, {"C2", VOCAB_CHILD}, {"A1", VOCAB_ADULT}, {"A2", VOCAB_ADULT},
};

static const struct {
	const char *ref; /* NULL: known by seq only */
	long long seq;
	const char *kind;
} events[] = {
	{"concern-1", 3, "concern.raised"},
	{"note-1", 4, "note.recorded"},
	{"esc-1", 5, "escalation.raised"},
	{"amend-1", 9, "amendment.requested"},
	{NULL, 10, "case.closed"},
	{"approve-1", 11, "amendment.approved"},
	{"ack-1", 12, "alert.acknowledged"},
	{"alert-ev-1", 13, "alert.raised"},
	{"reg-C1", 1, "person.registered"},
	{"grant-1", 14, "access.granted"},
	{"seal-1", 15, "record.sealed"},
	{"glass-1", 16, "access.break_glass"},
};

static const char known_alert[] = "CUMULATIVE_HARM/C1/2010-08-16";

static int calls; /* resolver calls, to see checks skipped */

static const char *role_name(vocab_person_role r)
{
	return r == VOCAB_CHILD ? "a child" : r == VOCAB_ADULT ? "an adult" : "a person";
}

static int t_person(void *ctx, const char *id, vocab_person_role want, sl_err *err)
{
	(void)ctx;
	calls++;
	for (size_t i = 0; i < SL_ARRAY_LEN(people); i++) {
		if (strcmp(people[i].id, id) != 0)
			continue;
		if (want != VOCAB_ANY_PERSON && want != people[i].role)
			return sl_fail(err, SL_EINVAL, "%s is %s, not %s", id,
				       role_name(people[i].role), role_name(want));
		return 0;
	}
	return sl_fail(err, SL_ENOTFOUND, "unknown person %s", id);
}

static int t_person_new(void *ctx, const char *id, sl_err *err)
{
	(void)ctx;
	calls++;
	for (size_t i = 0; i < SL_ARRAY_LEN(people); i++)
		if (strcmp(people[i].id, id) == 0)
			return sl_fail(err, SL_ECONFLICT, "person id %s is already taken", id);
	return 0;
}

static int t_event(void *ctx, const json_t *ref, const char **kind, sl_err *err)
{
	(void)ctx;
	calls++;
	for (size_t i = 0; i < SL_ARRAY_LEN(events); i++) {
		if ((json_is_integer(ref) && json_integer_value(ref) == events[i].seq) ||
		    (json_is_string(ref) && events[i].ref &&
		     strcmp(json_string_value(ref), events[i].ref) == 0)) {
			*kind = events[i].kind;
			return 0;
		}
	}
	if (json_is_integer(ref))
		return sl_fail(err, SL_ENOTFOUND, "no event %lld", (long long)json_integer_value(ref));
	return sl_fail(err, SL_ENOTFOUND, "no event with ref %s", json_string_value(ref));
}

static int t_ref_new(void *ctx, const char *ref, sl_err *err)
{
	(void)ctx;
	calls++;
	for (size_t i = 0; i < SL_ARRAY_LEN(events); i++)
		if (events[i].ref && strcmp(events[i].ref, ref) == 0)
			return sl_fail(err, SL_ECONFLICT, "ref %s is already used", ref);
	return 0;
}

static int t_alert(void *ctx, const char *alert_ref, sl_err *err)
{
	(void)ctx;
	calls++;
	if (strcmp(alert_ref, known_alert) == 0)
		return 0;
	return sl_fail(err, SL_ENOTFOUND, "no alert %s", alert_ref);
}

static const vocab_resolver resolver = {NULL, t_person, t_person_new, t_event, t_ref_new, t_alert};

/* ---- one row per kind ------------------------------------------------- */

static const struct {
	const char *kind;
	const char *minimal;  /* exactly the required fields */
	const char *required; /* their names, space-separated */
	const char *full;     /* every field of the kind */
} kinds[] = {
	{"person.registered", "{'id':'N1','role':'adult','name':'Sam Smith'}", "id role name",
	 "{'id':'N1','role':'child','name':'Amy Smith','born':'2023-05-04','expected':'2023-05-10',"
	 "'gender':'female','nhs_number':'9434765919','upn':'A123456789012','former_upn':'A123456789013',"
	 "'upn_unknown':'UN1','sex':'F','ethnicity':'WBRI','disabilities':['AUT','COMM'],'died':'2024-01-02'}"},
	{"person.updated", "{'id':'C1','name':'Amy Jones'}", "id",
	 "{'id':'C1','role':'child','name':'Amy Jones','born':'2023-05-04','expected':'2023-05-10',"
	 "'gender':'unknown','nhs_number':'9434765919','upn':'a12345678901b','former_upn':'A123456789013',"
	 "'upn_unknown':'UN5','sex':'U','ethnicity':'NOBT','disabilities':['NONE'],'died':'2024-01-02'}"},
	{"person.linked", "{'a':'A1','b':'C1','relation':'father'}", "a b relation",
	 "{'a':'A1','b':'C1','relation':'partner_of_parent'}"},
	{"person.unlinked", "{'a':'A1','b':'C1','relation':'father'}", "a b relation",
	 "{'a':'C2','b':'C1','relation':'sibling'}"},
	{"contact.received", "{'child':'C1','source':'2A','summary':'School rang'}",
	 "child source summary",
	 "{'child':'C1','source':'10','summary':'Anon call','categories':['neglect','exploitation']}"},
	{"referral.decided", "{'child':'C1','decision':'assessment'}", "child decision",
	 "{'child':'C1','decision':'strategy','primary_need':'N1'}"},
	{"assessment.started", "{'child':'C1'}", "child", "{'child':'C1'}"},
	{"assessment.completed", "{'child':'C1','outcome':'cin_plan'}", "child outcome",
	 "{'child':'C1','outcome':'lac','factors':['1B','3A','24A'],'authorised_on':'2025-01-06'}"},
	{"strategy.held", "{'child':'C1','s47':true}", "child s47", "{'child':'C1','s47':false}"},
	{"s47.completed", "{'child':'C1','icpc':false}", "child icpc", "{'child':'C1','icpc':true}"},
	{"conference.held", "{'child':'C1','type':'review','plan':false}", "child type plan",
	 "{'child':'C1','type':'initial','plan':true,'category':'sexual'}"},
	{"meeting.held", "{'child':'C1','type':'core_group'}", "child type",
	 "{'child':'C1','type':'legal_planning','summary':'PLO letter agreed'}"},
	{"cin_plan.started", "{'child':'C1'}", "child", "{'child':'C1'}"},
	{"cin_plan.ended", "{'child':'C1'}", "child", "{'child':'C1'}"},
	{"lac.started", "{'child':'C1'}", "child", "{'child':'C1','legal_status':'C2 interim care order'}"},
	{"lac.ended", "{'child':'C1'}", "child", "{'child':'C1','reason':'Returned home'}"},
	{"visit.recorded", "{'child':'C1','seen':true}", "child seen",
	 "{'child':'C1','seen':true,'seen_alone':false,'summary':'Home visit.\\nBedroom seen.'}"},
	{"note.recorded", "{'child':'C1','text':'Phoned mother'}", "child text",
	 "{'child':'C1','text':'Phoned mother'}"},
	{"agency_info.received", "{'person':'A1','agency':'probation','summary':'Released'}",
	 "person agency summary",
	 "{'person':'C1','agency':'health','summary':'Bruise noted','significant_harm':true}"},
	{"concern.raised", "{'child':'C1','category':'neglect','summary':'No food'}",
	 "child category summary",
	 "{'child':'C1','category':'domestic_abuse','summary':'DA at home','significant_harm':true,"
	 "'agency':'police'}"},
	{"concern.resolved", "{'child':'C1','concern':'concern-1','rationale':'Food bank set up'}",
	 "child concern rationale", "{'child':'C1','concern':3,'rationale':'Resolved'}"},
	{"injury.observed", "{'child':'C1','description':'Bruise','agency':'health'}",
	 "child description agency",
	 "{'child':'C1','description':'Bruise','agency':'education','body_part':'left forearm',"
	 "'explanation':'Fell in the park'}"},
	{"missing.started", "{'child':'C1'}", "child",
	 "{'child':'C1','indicators':['cse','older_associates']}"},
	{"missing.ended", "{'child':'C1'}", "child", "{'child':'C1','return_interview':false}"},
	{"return_interview.recorded", "{'child':'C1','summary':'Stayed with a friend'}",
	 "child summary", "{'child':'C1','summary':'Stayed with a friend'}"},
	{"risk.flagged", "{'person':'A1','agency':'police','summary':'Violent offence'}",
	 "person agency summary",
	 "{'person':'A1','agency':'probation','summary':'Risk to children','risk_to_children':true}"},
	{"risk.cleared", "{'person':'A1','agency':'police','rationale':'Conviction quashed'}",
	 "person agency rationale",
	 "{'person':'A1','agency':'police','rationale':'Conviction quashed'}"},
	{"domestic_abuse.notified", "{'persons':['A1','C1'],'agency':'police'}", "persons agency",
	 "{'persons':['A1','A2','C1','C2'],'agency':'police','marac':true,'summary':'Call-out'}"},
	{"case.allocated", "{'child':'C1','worker':'jsmith'}", "child worker",
	 "{'child':'C1','worker':'j.smith@la.example','team':'Assessment Team 2'}"},
	{"case.closed", "{'child':'C1','reason':'RC7'}", "child reason",
	 "{'child':'C1','reason':'RC8','rationale':'No further action','authorised_by':'mgr1'}"},
	{"escalation.raised", "{'to':'manager','summary':'Caseload too high'}", "to summary",
	 "{'to':'director','summary':'No placement','child':'C2'}"},
	{"escalation.answered", "{'escalation':'esc-1','response':'Agreed'}", "escalation response",
	 "{'escalation':5,'response':'Agreed'}"},
	{"supervision.recorded", "{'child':'C1','summary':'Plan reviewed'}", "child summary",
	 "{'child':'C1','summary':'Plan reviewed'}"},
	{"amendment.requested", "{'target':'note-1','reason':'Typo','data':{'text':'Phoned father'}}",
	 "target reason data",
	 "{'target':10,'reason':'Wrong code','data':{'reason':'RC8','rationale':'NFA'}}"},
	{"amendment.approved", "{'request':'amend-1'}", "request", "{'request':9}"},
	{"amendment.rejected", "{'request':'amend-1','reason':'Original was right'}", "request reason",
	 "{'request':9,'reason':'Original was right'}"},
	{"alert.raised", "{'code':'ESCALATION_UNANSWERED','reason':'No answer','evidence':[5]}",
	 "code reason evidence",
	 "{'code':'LATE_VISIT','child':'C1','reason':'Not seen','evidence':[3,4]}"},
	{"alert.acknowledged", "{'alert':'CUMULATIVE_HARM/C1/2010-08-16'}", "alert",
	 "{'alert':'CUMULATIVE_HARM/C1/2010-08-16','note':'Strategy booked'}"},
	{"alert.resolved", "{'alert':'CUMULATIVE_HARM/C1/2010-08-16','rationale':'Strategy held'}",
	 "alert rationale",
	 "{'alert':'CUMULATIVE_HARM/C1/2010-08-16','rationale':'Strategy held'}"},
	{"record.sealed", "{'child':'C1','reason':'Adoption'}", "child reason",
	 "{'child':'C1','reason':'Adoption order made'}"},
	{"record.unsealed", "{'child':'C1','reason':'Order discharged'}", "child reason",
	 "{'child':'C1','reason':'Order discharged'}"},
	{"access.granted", "{'child':'C1','user':'rev1','reason':'Serious case review'}", "child user reason",
	 "{'child':'C1','user':'rev1@example.org','reason':'Serious case review'}"},
	{"access.revoked", "{'child':'C1','user':'rev1','reason':'Review done'}", "child user reason",
	 "{'child':'C1','user':'rev1','reason':'Review done'}"},
	{"access.break_glass", "{'child':'C1','user':'sw1','reason':'Police at the door'}", "child user reason",
	 "{'child':'C1','user':'sw1','reason':'Police at the door'}"},
};

/* ---- helpers ---------------------------------------------------------- */

/* The fixtures are written with ' for " to stay readable. */
static json_t *parse(const char *text)
{
	char *s = xstrdup(text);
	json_error_t jerr;
	json_t *v;

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	v = json_loads(s, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!v)
		fail_msg("fixture does not parse: %s: %s", text, jerr.text);
	free(s);
	return v;
}

static json_t *event_of(const char *kind, const char *data)
{
	json_t *ev = json_object();

	json_object_set_new(ev, "kind", json_string(kind));
	json_object_set_new(ev, "occurred_at", json_string("2024-03-01T09:30:00Z"));
	json_object_set_new(ev, "by", json_pack("{s:s}", "user", "jsmith"));
	json_object_set_new(ev, "data", parse(data));
	if (strcmp(kind, "alert.raised") == 0) { /* its ref is CODE/CHILD/DAY */
		const json_t *d = json_object_get(ev, "data");
		const char *child = json_string_value(json_object_get(d, "child"));
		json_object_set_new(ev, "ref", json_sprintf("%s/%s/2024-03-01",
		                                            json_string_value(json_object_get(d, "code")),
		                                            child ? child : ""));
	}
	return ev;
}

/* The fixtures include the rules engine's own kind, which only the system
 * may write; test_alert_raised_only_by_the_system checks the refusal. */
static const vocab_opts system_opts = {.system = true};

static json_t *data_of(json_t *ev)
{
	return json_object_get(ev, "data");
}

static void assert_valid(json_t *ev)
{
	sl_err err;
	int rc = vocab_validate(ev, &system_opts, &resolver, &err);

	if (rc != 0) {
		char *s = json_dumps(ev, JSON_COMPACT);
		print_error("%s\n", s);
		free(s);
		fail_msg("expected valid, got %d: %s", rc, err.msg);
	}
	json_decref(ev);
}

/* Validate, expect code and exactly msg; consumes ev. */
static void assert_invalid(json_t *ev, int code, const char *msg)
{
	sl_err err;
	int rc = vocab_validate(ev, &system_opts, &resolver, &err);

	if (rc != code || strcmp(err.msg, msg) != 0)
		fail_msg("expected %d \"%s\", got %d \"%s\"", code, msg, rc, rc ? err.msg : "");
	assert_int_equal(err.code, code);
	json_decref(ev);
}

static void assert_data_invalid(const char *kind, const char *data, int code, const char *msg)
{
	assert_invalid(event_of(kind, data), code, msg);
}

static void assert_data_valid(const char *kind, const char *data)
{
	assert_valid(event_of(kind, data));
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- table-wide ------------------------------------------------------- */

static void test_every_kind_has_a_fixture_row(void **state)
{
	(void)state;
	assert_int_equal(vocab_kind_count(), SL_ARRAY_LEN(kinds));
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++) {
		assert_string_equal(vocab_kind_name(i), kinds[i].kind);
		assert_true(vocab_kind_known(kinds[i].kind));
	}
	assert_null(vocab_kind_name(SL_ARRAY_LEN(kinds)));
	assert_false(vocab_kind_known("visit.done"));
	assert_false(vocab_kind_known(""));
}

static void test_minimal_event_of_every_kind_passes(void **state)
{
	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++)
		assert_valid(event_of(kinds[i].kind, kinds[i].minimal));
}

static void test_full_event_of_every_kind_passes(void **state)
{
	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++)
		assert_valid(event_of(kinds[i].kind, kinds[i].full));
}

static void test_full_fixture_names_every_field_of_the_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++) {
		json_t *full = parse(kinds[i].full);
		assert_int_equal(json_object_size(full), vocab_field_count(i));
		for (size_t f = 0; f < vocab_field_count(i); f++)
			assert_non_null(json_object_get(full, vocab_field_name(i, f)));
		json_decref(full);
	}
}

static void test_required_fields_are_those_design_marks(void **state)
{
	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++) {
		for (size_t f = 0; f < vocab_field_count(i); f++) {
			const char *name = vocab_field_name(i, f);
			bool listed = false;
			char *list = xstrdup(kinds[i].required);
			for (char *save = NULL, *w = strtok_r(list, " ", &save); w;
			     w = strtok_r(NULL, " ", &save))
				listed |= strcmp(w, name) == 0;
			free(list);
			if (listed != vocab_field_required(i, f))
				fail_msg("%s.%s: required is %d", kinds[i].kind, name, !listed);
		}
	}
	assert_null(vocab_field_name(0, 99));
	assert_false(vocab_field_required(99, 0));
	assert_int_equal(vocab_field_count(99), 0);
}

static void test_each_required_field_missing_fails_naming_it(void **state)
{
	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++) {
		for (size_t f = 0; f < vocab_field_count(i); f++) {
			json_t *ev;
			buf msg = BUF_INIT;

			if (!vocab_field_required(i, f))
				continue;
			ev = event_of(kinds[i].kind, kinds[i].full);
			json_object_del(data_of(ev), vocab_field_name(i, f));
			buf_printf(&msg, "missing required field `data.%s`", vocab_field_name(i, f));
			assert_invalid(ev, SL_EINVAL, buf_str(&msg));
			buf_release(&msg);
		}
	}
}

static void test_unknown_data_field_fails_for_every_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++) {
		json_t *ev = event_of(kinds[i].kind, kinds[i].full);
		json_object_set_new(data_of(ev), "colour", json_string("red"));
		assert_invalid(ev, SL_EINVAL, "unknown field `data.colour`");
	}
}

/* Every field of every kind, given an object, a number, an empty string or
 * null, fails with a message that starts with its path.  (A number is a
 * valid seq for event references; seq 424242 is then unknown.) */
static void test_every_field_rejects_values_of_the_wrong_type(void **state)
{
	const char *wrong[] = {"{}", "424242", "\"\"", "null", "[true]", "1.5"};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(kinds); i++) {
		for (size_t f = 0; f < vocab_field_count(i); f++) {
			for (size_t w = 0; w < SL_ARRAY_LEN(wrong); w++) {
				json_t *ev = event_of(kinds[i].kind, kinds[i].full);
				const char *name = vocab_field_name(i, f);
				buf want = BUF_INIT;
				sl_err err;
				int rc;

				json_object_set_new(data_of(ev), name, parse(wrong[w]));
				rc = vocab_validate(ev, &system_opts, &resolver, &err);
				buf_printf(&want, "field `data.%s", name);
				if (rc >= 0 || !starts_with(err.msg, buf_str(&want)))
					fail_msg("%s.%s = %s: got %d \"%s\"", kinds[i].kind, name,
						 wrong[w], rc, rc ? err.msg : "");
				buf_release(&want);
				json_decref(ev);
			}
		}
	}
}

/* ---- envelope --------------------------------------------------------- */

static void test_event_must_be_an_object(void **state)
{
	(void)state;
	assert_invalid(json_array(), SL_EINVAL, "expected an event object");
}

static void test_unknown_kind_fails(void **state)
{
	(void)state;
	assert_invalid(event_of("visit.done", "{'child':'C1'}"), SL_EINVAL,
		       "unknown kind `visit.done`");
}

static void test_missing_envelope_members_fail_naming_them(void **state)
{
	static const char *const members[] = {"kind", "occurred_at", "by", "data"};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(members); i++) {
		json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
		buf want = BUF_INIT;
		json_object_del(ev, members[i]);
		buf_printf(&want, "missing required field `%s`", members[i]);
		assert_invalid(ev, SL_EINVAL, buf_str(&want));
		buf_release(&want);
	}
}

static void test_unknown_top_level_member_fails(void **state)
{
	json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");

	(void)state;
	json_object_set_new(ev, "seq", json_integer(5));
	assert_invalid(ev, SL_EINVAL, "unknown field `seq`");
}

static void test_wrong_envelope_types_fail(void **state)
{
	json_t *ev;

	(void)state;
	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "kind", json_integer(1));
	assert_invalid(ev, SL_EINVAL, "field `kind`: expected a string");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "data", json_string("x"));
	assert_invalid(ev, SL_EINVAL, "field `data`: expected an object");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "by", json_string("jsmith"));
	assert_invalid(ev, SL_EINVAL, "field `by`: expected an object");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "occurred_at", json_integer(20240301));
	assert_invalid(ev, SL_EINVAL, "field `occurred_at`: expected a string");
}

static void test_occurred_at_must_be_a_real_date(void **state)
{
	json_t *ev;

	(void)state;
	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "occurred_at", json_string("2023-02-29"));
	assert_invalid(ev, SL_EINVAL, "field `occurred_at`: 2023-02-29 does not exist");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "occurred_at", json_string("yesterday"));
	assert_invalid(ev, SL_EINVAL,
		       "field `occurred_at`: not a date: expected YYYY-MM-DD or an RFC 3339 date-time");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "occurred_at", json_string("2024-03-01"));
	assert_valid(ev);

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "occurred_at", json_string("2024-03-01T09:30:00.123+01:00"));
	assert_valid(ev);
}

static json_t *event_by(const char *by)
{
	json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "by", parse(by));
	return ev;
}

static void test_by_is_a_user_or_an_agency(void **state)
{
	(void)state;
	assert_valid(event_by("{'user':'jsmith'}"));
	assert_valid(event_by("{'agency':'health'}"));
	assert_valid(event_by("{'agency':'health','role':'GP','name':'Dr Patel'}"));
	assert_invalid(event_by("{}"), SL_EINVAL,
		       "field `by`: expected {\"user\": login} or {\"agency\": agency, \"role\": ..., \"name\": ...}");
	assert_invalid(event_by("{'user':'jsmith','agency':'health'}"), SL_EINVAL,
		       "field `by`: expected {\"user\": login} or {\"agency\": agency, \"role\": ..., \"name\": ...}");
	assert_invalid(event_by("{'role':'GP'}"), SL_EINVAL,
		       "field `by`: expected {\"user\": login} or {\"agency\": agency, \"role\": ..., \"name\": ...}");
}

static void test_by_allows_nothing_else(void **state)
{
	(void)state;
	assert_invalid(event_by("{'user':'jsmith','team':'A'}"), SL_EINVAL, "unknown field `by.team`");
	assert_invalid(event_by("{'user':'jsmith','role':'SW'}"), SL_EINVAL,
		       "field `by`: a user needs no role or name: those describe an agency's author");
	assert_invalid(event_by("{'agency':'fire'}"), SL_EINVAL,
		       "field `by.agency`: `fire` is not one of police, health, education, probation, "
		       "housing, early_help, other_la, voluntary, social_care, other");
	assert_invalid(event_by("{'user':'j smith'}"), SL_EINVAL, "field `by.user`: contains a space");
	assert_invalid(event_by("{'user':''}"), SL_EINVAL, "field `by.user`: expected a non-empty string");
}

static void test_ref_must_be_new_and_well_formed(void **state)
{
	json_t *ev;

	(void)state;
	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "ref", json_string("note-77"));
	assert_valid(ev);

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "ref", json_string("note-1"));
	assert_invalid(ev, SL_ECONFLICT, "field `ref`: ref note-1 is already used");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "ref", json_string("note 1"));
	assert_invalid(ev, SL_EINVAL, "field `ref`: contains a space");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "ref", json_string("note-\xc3\xa9"));
	assert_invalid(ev, SL_EINVAL,
		       "field `ref`: `note-\xc3\xa9` is not a ref (printable ASCII without spaces)");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "ref", json_integer(7));
	assert_invalid(ev, SL_EINVAL, "field `ref`: expected a string");

	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(ev, "ref", json_string("r-0123456789012345678901234567890123456789012345678901234567890123"));
	assert_invalid(ev, SL_EINVAL, "field `ref`: longer than 64 bytes");
}

static void test_recorder_only_in_restores_and_then_required(void **state)
{
	vocab_opts restore = {true}, live = {false};
	json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	sl_err err;

	(void)state;
	assert_int_equal(vocab_validate(ev, &restore, &resolver, &err), SL_EINVAL);
	assert_string_equal(err.msg, "missing required field `recorder`");
	json_object_set_new(ev, "recorder", json_string("jsmith"));
	assert_int_equal(vocab_validate(ev, &restore, &resolver, &err), 0);
	assert_int_equal(vocab_validate(ev, &live, &resolver, &err), SL_EINVAL);
	assert_string_equal(err.msg, "unknown field `recorder`");
	assert_int_equal(vocab_validate(ev, NULL, &resolver, &err), SL_EINVAL);
	assert_string_equal(err.msg, "unknown field `recorder`");
	json_decref(ev);
}

/* ---- strings ---------------------------------------------------------- */

static void test_free_text_allows_newlines_and_tabs(void **state)
{
	(void)state;
	assert_data_valid("note.recorded", "{'child':'C1','text':'line one\\r\\nline\\ttwo'}");
}

static void test_free_text_refuses_control_characters(void **state)
{
	(void)state;
	assert_data_invalid("note.recorded", "{'child':'C1','text':'bell\\u0007'}", SL_EINVAL,
			    "field `data.text`: contains a control character");
	assert_data_invalid("note.recorded", "{'child':'C1','text':'del\\u007f'}", SL_EINVAL,
			    "field `data.text`: contains a control character");
	assert_data_invalid("note.recorded", "{'child':'C1','text':'c1\\u0085'}", SL_EINVAL,
			    "field `data.text`: contains a control character");
	assert_data_valid("note.recorded", "{'child':'C1','text':'caf\\u00e9 \\u00a0ok'}");
}

static void test_embedded_nul_is_a_control_character(void **state)
{
	json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");

	(void)state;
	json_object_set_new(data_of(ev), "text", json_stringn("before\0after", 12));
	assert_invalid(ev, SL_EINVAL, "field `data.text`: contains a control character");
}

static void test_short_text_refuses_line_breaks(void **state)
{
	(void)state;
	assert_data_invalid("person.registered", "{'id':'N1','role':'adult','name':'Sam\\nSmith'}",
			    SL_EINVAL, "field `data.name`: contains a control character");
}

static void test_free_text_is_limited_to_100000_bytes(void **state)
{
	char *text = xmalloc(VOCAB_MAX_TEXT + 2);
	json_t *ev;

	(void)state;
	memset(text, 'a', VOCAB_MAX_TEXT + 1);
	text[VOCAB_MAX_TEXT + 1] = '\0';
	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(data_of(ev), "text", json_string(text));
	assert_invalid(ev, SL_EINVAL, "field `data.text`: longer than 100000 bytes");
	text[VOCAB_MAX_TEXT] = '\0';
	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(data_of(ev), "text", json_string(text));
	assert_valid(ev);
	free(text);
}

static void test_strings_must_not_be_empty(void **state)
{
	(void)state;
	assert_data_invalid("note.recorded", "{'child':'C1','text':''}", SL_EINVAL,
			    "field `data.text`: expected a non-empty string");
}

static void test_long_values_are_cut_short_in_messages(void **state)
{
	(void)state;
	assert_data_invalid("referral.decided",
			    "{'child':'C1','decision':'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm'}",
			    SL_EINVAL,
			    "field `data.decision`: `abcdefghijklmnopqrstuvwxyzabcdefghijklmn...` is not one of "
			    "nfa, assessment, strategy, early_help");
	assert_data_invalid("referral.decided",
			    "{'child':'C1','decision':'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr'}",
			    SL_EINVAL,
			    "field `data.decision`: `abcdefghijklmnopqrstuvwxyzabcdefghijklmn...` is not one of "
			    "nfa, assessment, strategy, early_help");
}

static void test_unknown_field_names_are_shown_safely(void **state)
{
	json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");

	(void)state;
	json_object_set_new(data_of(ev), "bad\nname", json_true());
	assert_invalid(ev, SL_EINVAL, "unknown field `data.bad?name`");
	ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	json_object_set_new(data_of(ev), "c1\xc2\x85" "control", json_true());
	assert_invalid(ev, SL_EINVAL, "unknown field `data.c1?control`");
}

/* ---- booleans, enums, codes, agencies ------------------------------------ */

static void test_booleans_must_be_true_or_false(void **state)
{
	(void)state;
	assert_data_invalid("visit.recorded", "{'child':'C1','seen':'yes'}", SL_EINVAL,
			    "field `data.seen`: expected true or false");
	assert_data_invalid("visit.recorded", "{'child':'C1','seen':1}", SL_EINVAL,
			    "field `data.seen`: expected true or false");
	assert_data_invalid("visit.recorded", "{'child':'C1','seen':true,'seen_alone':'true'}",
			    SL_EINVAL, "field `data.seen_alone`: expected true or false");
}

static void test_enum_value_outside_the_list_fails_listing_it(void **state)
{
	(void)state;
	assert_data_invalid("referral.decided", "{'child':'C1','decision':'maybe'}", SL_EINVAL,
			    "field `data.decision`: `maybe` is not one of nfa, assessment, strategy, early_help");
	assert_data_invalid("person.linked", "{'a':'A1','b':'C1','relation':'uncle'}", SL_EINVAL,
			    "field `data.relation`: `uncle` is not one of mother, father, parent, step_parent, "
			    "partner_of_parent, carer, sibling, grandparent, household_member, relative, other");
	assert_data_invalid("escalation.raised", "{'to':'ceo','summary':'x'}", SL_EINVAL,
			    "field `data.to`: `ceo` is not one of director, manager");
	assert_data_invalid("person.registered", "{'id':'N1','role':'adult','name':'S','gender':'M'}",
			    SL_EINVAL,
			    "field `data.gender`: `M` is not one of male, female, other, unknown");
	assert_data_invalid("referral.decided", "{'child':'C1','decision':'NFA'}", SL_EINVAL,
			    "field `data.decision`: `NFA` is not one of nfa, assessment, strategy, early_help");
}

static void test_referral_source_must_be_a_census_code(void **state)
{
	(void)state;
	assert_data_invalid("contact.received", "{'child':'C1','source':'9Z','summary':'x'}", SL_EINVAL,
			    "field `data.source`: `9Z` is not a CIN referral source code");
	assert_data_invalid("contact.received", "{'child':'C1','source':'2a','summary':'x'}", SL_EINVAL,
			    "field `data.source`: `2a` is not a CIN referral source code");
	assert_data_invalid("contact.received", "{'child':'C1','source':6,'summary':'x'}", SL_EINVAL,
			    "field `data.source`: expected a string");
	assert_data_valid("contact.received", "{'child':'C1','source':'6','summary':'x'}");
	assert_data_valid("contact.received", "{'child':'C1','source':'5D','summary':'x'}");
}

static void test_primary_need_must_be_a_census_code(void **state)
{
	(void)state;
	assert_data_valid("referral.decided", "{'child':'C1','decision':'assessment','primary_need':'N9'}");
	assert_data_invalid("referral.decided",
			    "{'child':'C1','decision':'assessment','primary_need':'N10'}", SL_EINVAL,
			    "field `data.primary_need`: `N10` is not a CIN primary need code");
}

static void test_closure_reason_must_be_rc1_to_rc9(void **state)
{
	char data[64];

	(void)state;
	for (int i = 1; i <= 9; i++) {
		snprintf(data, sizeof(data), "{'child':'C1','reason':'RC%d'}", i);
		assert_data_valid("case.closed", data);
	}
	assert_data_invalid("case.closed", "{'child':'C1','reason':'RC10'}", SL_EINVAL,
			    "field `data.reason`: `RC10` is not a CIN closure reason code (RC1-RC9)");
	assert_data_invalid("case.closed", "{'child':'C1','reason':'RC0'}", SL_EINVAL,
			    "field `data.reason`: `RC0` is not a CIN closure reason code (RC1-RC9)");
}

static void test_assessment_factors_are_distinct_census_codes(void **state)
{
	(void)state;
	assert_data_valid("assessment.completed", "{'child':'C1','outcome':'nfa','factors':[]}");
	assert_data_invalid("assessment.completed", "{'child':'C1','outcome':'nfa','factors':['1A','ZZ']}",
			    SL_EINVAL,
			    "field `data.factors[1]`: `ZZ` is not a CIN assessment factor code");
	assert_data_invalid("assessment.completed", "{'child':'C1','outcome':'nfa','factors':['1A','1A']}",
			    SL_EINVAL, "field `data.factors[1]`: `1A` is listed twice");
	assert_data_invalid("assessment.completed", "{'child':'C1','outcome':'nfa','factors':'1A'}",
			    SL_EINVAL, "field `data.factors`: expected an array");
	assert_data_invalid("assessment.completed", "{'child':'C1','outcome':'nfa','factors':[1]}",
			    SL_EINVAL, "field `data.factors[0]`: expected a string");
}

static void test_no_factors_code_21_must_stand_alone(void **state)
{
	(void)state;
	assert_data_valid("assessment.completed", "{'child':'C1','outcome':'nfa','factors':['21']}");
	assert_data_invalid("assessment.completed",
			    "{'child':'C1','outcome':'nfa','factors':['1A','21']}", SL_EINVAL,
			    "field `data.factors[1]`: `21` must be the only CIN assessment factor code in the list");
}

static void test_conference_category_is_an_abuse_category(void **state)
{
	(void)state;
	assert_data_valid("conference.held", "{'child':'C1','type':'initial','plan':true,'category':'multiple'}");
	assert_data_invalid("conference.held",
			    "{'child':'C1','type':'initial','plan':true,'category':'NEG'}", SL_EINVAL,
			    "field `data.category`: `NEG` is not one of neglect, physical, emotional, sexual, multiple");
	assert_data_invalid("conference.held",
			    "{'child':'C1','type':'initial','plan':true,'category':'exploitation'}", SL_EINVAL,
			    "field `data.category`: `exploitation` is not one of neglect, physical, emotional, "
			    "sexual, multiple");
}

static void test_concern_categories_add_exploitation_domestic_abuse_other(void **state)
{
	static const char *const ok[] = {"neglect", "physical", "emotional", "sexual", "multiple",
					 "exploitation", "domestic_abuse", "other"};
	char data[128];

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(ok); i++) {
		snprintf(data, sizeof(data), "{'child':'C1','category':'%s','summary':'x'}", ok[i]);
		assert_data_valid("concern.raised", data);
	}
	assert_data_invalid("concern.raised", "{'child':'C1','category':'bullying','summary':'x'}",
			    SL_EINVAL,
			    "field `data.category`: `bullying` is not one of neglect, physical, emotional, sexual, "
			    "multiple, exploitation, domestic_abuse, other");
}

static void test_abuse_categories_map_to_census_codes(void **state)
{
	static const char *const words[] = {"neglect", "physical", "emotional", "sexual", "multiple"};

	(void)state;
	for (size_t i = 0; i < SL_ARRAY_LEN(words); i++)
		assert_true(codes_valid("abuse_category", vocab_abuse_census_code(words[i])));
	assert_string_equal(vocab_abuse_census_code("sexual"), "SAB");
	assert_string_equal(vocab_abuse_census_code("neglect"), "NEG");
	assert_null(vocab_abuse_census_code("exploitation"));
}

static void test_agency_must_be_one_of_the_agencies(void **state)
{
	(void)state;
	assert_data_invalid("injury.observed", "{'child':'C1','description':'x','agency':'nhs'}",
			    SL_EINVAL,
			    "field `data.agency`: `nhs` is not one of police, health, education, probation, "
			    "housing, early_help, other_la, voluntary, social_care, other");
	assert_int_equal(vocab_agency_count(), 10);
	assert_string_equal(vocab_agency_name(0), "police");
	assert_string_equal(vocab_agency_name(9), "other");
	assert_null(vocab_agency_name(10));
}

static void test_missing_indicators_are_distinct_known_values(void **state)
{
	(void)state;
	assert_data_valid("missing.started",
			  "{'child':'C1','indicators':['cse','cce','substances','older_associates']}");
	assert_data_invalid("missing.started", "{'child':'C1','indicators':['cse','cse']}", SL_EINVAL,
			    "field `data.indicators[1]`: `cse` is listed twice");
	assert_data_invalid("missing.started", "{'child':'C1','indicators':['gangs']}", SL_EINVAL,
			    "field `data.indicators[0]`: `gangs` is not one of cse, cce, substances, "
			    "older_associates");
	assert_data_invalid("missing.started",
			    "{'child':'C1','indicators':['cse','cce','substances','older_associates','cse']}",
			    SL_EINVAL, "field `data.indicators[4]`: `cse` is listed twice");
}

/* ---- persons ---------------------------------------------------------- */

static void test_unknown_person_fails_with_the_resolvers_reason(void **state)
{
	(void)state;
	assert_data_invalid("note.recorded", "{'child':'C9','text':'x'}", SL_ENOTFOUND,
			    "field `data.child`: unknown person C9");
}

static void test_child_field_refuses_an_adult(void **state)
{
	(void)state;
	assert_data_invalid("visit.recorded", "{'child':'A1','seen':true}", SL_EINVAL,
			    "field `data.child`: A1 is an adult, not a child");
	assert_data_invalid("escalation.raised", "{'to':'manager','summary':'x','child':'A2'}",
			    SL_EINVAL, "field `data.child`: A2 is an adult, not a child");
}

static void test_risk_flagged_person_must_be_an_adult(void **state)
{
	(void)state;
	assert_data_invalid("risk.flagged", "{'person':'C1','agency':'police','summary':'x'}",
			    SL_EINVAL, "field `data.person`: C1 is a child, not an adult");
}

static void test_agency_info_person_may_be_child_or_adult(void **state)
{
	(void)state;
	assert_data_valid("agency_info.received", "{'person':'C1','agency':'police','summary':'x'}");
	assert_data_valid("agency_info.received", "{'person':'A1','agency':'police','summary':'x'}");
}

static void test_person_id_syntax_is_checked_before_the_resolver(void **state)
{
	int before = calls;

	(void)state;
	assert_data_invalid("note.recorded", "{'child':'C 9','text':'x'}", SL_EINVAL,
			    "field `data.child`: `C 9` is not a person id (letters, digits, '-', '_' and '.')");
	assert_data_invalid("note.recorded", "{'child':'C1/2','text':'x'}", SL_EINVAL,
			    "field `data.child`: `C1/2` is not a person id (letters, digits, '-', '_' and '.')");
	assert_int_equal(calls, before);
	assert_true(vocab_person_id_valid("child-1_a.b"));
	assert_false(vocab_person_id_valid(""));
	assert_false(vocab_person_id_valid("a#b"));
}

static void test_domestic_abuse_persons_are_distinct_known_people(void **state)
{
	(void)state;
	assert_data_invalid("domestic_abuse.notified", "{'persons':[],'agency':'police'}", SL_EINVAL,
			    "field `data.persons`: expected a non-empty array");
	assert_data_invalid("domestic_abuse.notified", "{'persons':['A1','A1'],'agency':'police'}",
			    SL_EINVAL, "field `data.persons[1]`: `A1` is listed twice");
	assert_data_invalid("domestic_abuse.notified", "{'persons':['A1','X7'],'agency':'police'}",
			    SL_ENOTFOUND, "field `data.persons[1]`: unknown person X7");
	assert_data_invalid("domestic_abuse.notified", "{'persons':'A1','agency':'police'}", SL_EINVAL,
			    "field `data.persons`: expected an array");
}

static void test_domestic_abuse_persons_are_limited(void **state)
{
	json_t *ev = event_of("domestic_abuse.notified", "{'persons':['A1'],'agency':'police'}");
	json_t *persons = json_object_get(data_of(ev), "persons");

	(void)state;
	for (int i = 0; i < VOCAB_MAX_PERSONS; i++)
		json_array_append_new(persons, json_string("A2"));
	assert_invalid(ev, SL_EINVAL, "field `data.persons`: more than 100 entries");
}

static void test_person_registered_id_must_be_new(void **state)
{
	(void)state;
	assert_data_invalid("person.registered", "{'id':'C1','role':'adult','name':'S'}", SL_ECONFLICT,
			    "field `data.id`: person id C1 is already taken");
}

static void test_child_needs_born_or_expected(void **state)
{
	(void)state;
	assert_data_invalid("person.registered", "{'id':'N1','role':'child','name':'Baby'}", SL_EINVAL,
			    "missing required field `data.born` (a child needs `born`, or `expected` when unborn)");
	assert_data_valid("person.registered", "{'id':'N1','role':'child','name':'Baby','born':'2024-01-02'}");
	assert_data_valid("person.registered", "{'id':'N1','role':'child','name':'Baby','expected':'2024-09-02'}");
	assert_data_valid("person.registered", "{'id':'N1','role':'adult','name':'Dad'}");
	assert_data_valid("person.registered", "{'id':'N1','role':'adult','name':'Dad','born':'1990-01-02'}");
}

static void test_birth_dates_are_real_dates_without_time(void **state)
{
	(void)state;
	assert_data_invalid("person.registered",
			    "{'id':'N1','role':'child','name':'Baby','born':'2023-02-29'}", SL_EINVAL,
			    "field `data.born`: 2023-02-29 does not exist");
	assert_data_invalid("person.registered",
			    "{'id':'N1','role':'child','name':'Baby','born':'2023-02-01T10:00:00Z'}", SL_EINVAL,
			    "field `data.born`: not a date: expected YYYY-MM-DD");
	assert_data_valid("person.registered", "{'id':'N1','role':'child','name':'Baby','born':'2024-02-29'}");
}

static void test_nhs_number_needs_a_valid_check_digit(void **state)
{
	(void)state;
	assert_true(vocab_nhs_number_valid("9434765919"));
	assert_false(vocab_nhs_number_valid("9434765918"));
	assert_true(vocab_nhs_number_valid("1000000060"));  /* 11 - 0 = 11 counts as 0 */
	assert_false(vocab_nhs_number_valid("1000000010")); /* check digit would be 10 */
	assert_false(vocab_nhs_number_valid("943476591"));
	assert_false(vocab_nhs_number_valid("94347659190"));
	assert_false(vocab_nhs_number_valid("943 476 5919"));
	assert_data_invalid("person.registered",
			    "{'id':'N1','role':'adult','name':'S','nhs_number':'9434765918'}", SL_EINVAL,
			    "field `data.nhs_number`: `9434765918` fails the NHS number check digit");
	assert_data_invalid("person.registered",
			    "{'id':'N1','role':'adult','name':'S','nhs_number':'943 476 5919'}", SL_EINVAL,
			    "field `data.nhs_number`: `943 476 5919` is not an NHS number (10 digits, no spaces)");
	assert_data_invalid("person.registered",
			    "{'id':'N1','role':'adult','name':'S','nhs_number':9434765919}", SL_EINVAL,
			    "field `data.nhs_number`: expected a string");
}

static void test_upn_is_a_letter_then_12_alphanumerics(void **state)
{
	(void)state;
	assert_data_valid("person.updated", "{'id':'C1','upn':'H801200001001'}");
	assert_data_invalid("person.updated", "{'id':'C1','upn':'1801200001001'}", SL_EINVAL,
			    "field `data.upn`: `1801200001001` is not a UPN (a letter then 12 letters or digits)");
	assert_data_invalid("person.updated", "{'id':'C1','upn':'H80120000100'}", SL_EINVAL,
			    "field `data.upn`: `H80120000100` is not a UPN (a letter then 12 letters or digits)");
	assert_data_invalid("person.updated", "{'id':'C1','upn':'H80120000100-'}", SL_EINVAL,
			    "field `data.upn`: `H80120000100-` is not a UPN (a letter then 12 letters or digits)");
}

/* Vocabulary v1.1: the census's facts about a child, each a code of its
 * census list (data/cin-census-codes.tsv), and death after birth. */
static void test_census_facts_of_a_person_are_census_codes(void **state)
{
	(void)state;
	assert_data_valid("person.updated", "{'id':'C1','sex':'M','ethnicity':'ABAN','disabilities':['HEAR','VIS']}");
	assert_data_invalid("person.updated", "{'id':'C1','sex':'male'}", SL_EINVAL,
			    "field `data.sex`: `male` is not a census sex code (M, F, U)");
	assert_data_invalid("person.updated", "{'id':'C1','ethnicity':'WHITE'}", SL_EINVAL,
			    "field `data.ethnicity`: `WHITE` is not a census ethnicity code");
	assert_data_invalid("person.updated", "{'id':'C1','disabilities':['NONE','AUT']}", SL_EINVAL,
			    "field `data.disabilities[0]`: `NONE` must be the only census disability code in the list");
	assert_data_invalid("person.updated", "{'id':'C1','disabilities':['AUT','AUT']}", SL_EINVAL,
			    "field `data.disabilities[1]`: `AUT` is listed twice");
	assert_data_invalid("person.updated", "{'id':'C1','upn_unknown':'UN8'}", SL_EINVAL,
			    "field `data.upn_unknown`: `UN8` is not a UPN-unknown reason code (UN1-UN7)");
	assert_data_invalid("person.registered",
			    "{'id':'N1','role':'child','name':'S','born':'2020-05-01','died':'2020-04-30'}", SL_EINVAL,
			    "field `data.died`: 2020-04-30 is before the day of birth 2020-05-01");
	assert_data_valid("person.registered", "{'id':'N1','role':'child','name':'S','born':'2020-05-01',"
			  "'died':'2020-05-01'}");
	assert_data_invalid("assessment.completed", "{'child':'C1','outcome':'nfa','authorised_on':'2025-02-30'}",
			    SL_EINVAL, "field `data.authorised_on`: 2025-02-30 does not exist");
}

static void test_person_updated_needs_a_field_besides_id(void **state)
{
	(void)state;
	assert_data_invalid("person.updated", "{'id':'C1'}", SL_EINVAL,
			    "field `data`: nothing to update: give a field besides `id`");
	assert_data_invalid("person.updated", "{'id':'Z1','name':'x'}", SL_ENOTFOUND,
			    "field `data.id`: unknown person Z1");
}

static void test_person_cannot_be_linked_to_themselves(void **state)
{
	(void)state;
	assert_data_invalid("person.linked", "{'a':'C1','b':'C1','relation':'sibling'}", SL_EINVAL,
			    "field `data.b`: a person cannot be linked to themselves");
	assert_data_invalid("person.unlinked", "{'a':'A1','b':'A1','relation':'other'}", SL_EINVAL,
			    "field `data.b`: a person cannot be linked to themselves");
}

/* ---- conference ------------------------------------------------------- */

static void test_initial_conference_starting_a_plan_needs_a_category(void **state)
{
	(void)state;
	assert_data_invalid("conference.held", "{'child':'C1','type':'initial','plan':true}", SL_EINVAL,
			    "missing required field `data.category` (an initial conference that starts a "
			    "plan names its category)");
	/* a review may keep the current plan's category (DESIGN 5) */
	assert_data_valid("conference.held", "{'child':'C1','type':'review','plan':true}");
	assert_data_valid("conference.held", "{'child':'C1','type':'initial','plan':false}");
}

/* ---- event references --------------------------------------------------- */

static void test_event_reference_by_ref_or_seq(void **state)
{
	(void)state;
	assert_data_valid("concern.resolved", "{'child':'C1','concern':'concern-1','rationale':'x'}");
	assert_data_valid("concern.resolved", "{'child':'C1','concern':3,'rationale':'x'}");
}

static void test_event_reference_to_the_wrong_kind_fails(void **state)
{
	(void)state;
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':'note-1','rationale':'x'}",
			    SL_EINVAL,
			    "field `data.concern`: `note-1` is of kind `note.recorded`, not `concern.raised`");
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':4,'rationale':'x'}", SL_EINVAL,
			    "field `data.concern`: event 4 is of kind `note.recorded`, not `concern.raised`");
	assert_data_invalid("amendment.approved", "{'request':'approve-1'}", SL_EINVAL,
			    "field `data.request`: `approve-1` is of kind `amendment.approved`, not "
			    "`amendment.requested`");
	assert_data_invalid("amendment.rejected", "{'request':3,'reason':'x'}", SL_EINVAL,
			    "field `data.request`: event 3 is of kind `concern.raised`, not `amendment.requested`");
	assert_data_invalid("escalation.answered", "{'escalation':'concern-1','response':'x'}", SL_EINVAL,
			    "field `data.escalation`: `concern-1` is of kind `concern.raised`, not `escalation.raised`");
}

static void test_event_reference_that_does_not_resolve_fails(void **state)
{
	(void)state;
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':'nope','rationale':'x'}",
			    SL_ENOTFOUND, "field `data.concern`: no event with ref nope");
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':77,'rationale':'x'}",
			    SL_ENOTFOUND, "field `data.concern`: no event 77");
}

static void test_event_reference_must_be_a_ref_or_positive_seq(void **state)
{
	(void)state;
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':0,'rationale':'x'}", SL_EINVAL,
			    "field `data.concern`: a seq is a number from 1");
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':-3,'rationale':'x'}", SL_EINVAL,
			    "field `data.concern`: a seq is a number from 1");
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':3.0,'rationale':'x'}", SL_EINVAL,
			    "field `data.concern`: expected an event's ref (a string) or seq (a number)");
	assert_data_invalid("concern.resolved", "{'child':'C1','concern':'a b','rationale':'x'}", SL_EINVAL,
			    "field `data.concern`: contains a space");
}

/* ---- amendments ------------------------------------------------------- */

static void test_amendment_target_may_be_any_case_event(void **state)
{
	(void)state;
	assert_data_valid("amendment.requested", "{'target':3,'reason':'x','data':{'summary':'Fixed'}}");
	assert_data_valid("amendment.requested",
			  "{'target':'reg-C1','reason':'x','data':{'name':'Amy B','born':'2023-01-01'}}");
}

static void test_amendments_and_alert_events_cannot_be_amended(void **state)
{
	(void)state;
	assert_data_invalid("amendment.requested", "{'target':'amend-1','reason':'x','data':{'reason':'y'}}",
			    SL_EINVAL,
			    "field `data.target`: `amend-1` is of kind `amendment.requested`, which cannot be amended");
	assert_data_invalid("amendment.requested", "{'target':11,'reason':'x','data':{'request':'y'}}",
			    SL_EINVAL,
			    "field `data.target`: event 11 is of kind `amendment.approved`, which cannot be amended");
	assert_data_invalid("amendment.requested", "{'target':'ack-1','reason':'x','data':{'note':'y'}}",
			    SL_EINVAL,
			    "field `data.target`: `ack-1` is of kind `alert.acknowledged`, which cannot be amended");
	assert_data_invalid("amendment.requested", "{'target':13,'reason':'x','data':{'note':'y'}}",
			    SL_EINVAL,
			    "field `data.target`: event 13 is of kind `alert.raised`, which cannot be amended");
}

static void test_amendment_cannot_change_whom_the_event_is_about(void **state)
{
	static const char *const about[] = {"child", "person", "a", "b", "persons", "concern", "request",
					    "escalation", "alert", "target", "id"};
	char data[160];

	(void)state;
	assert_data_invalid("amendment.requested", "{'target':'note-1','reason':'x','data':{'child':'C2'}}",
			    SL_EINVAL,
			    "field `data.data.child`: an amendment corrects what was recorded, not whom it is about");
	assert_data_invalid("amendment.requested",
			    "{'target':'concern-1','reason':'x','data':{'summary':'ok','child':'C2'}}", SL_EINVAL,
			    "field `data.data.child`: an amendment corrects what was recorded, not whom it is about");
	assert_data_invalid("amendment.requested", "{'target':'reg-C1','reason':'x','data':{'id':'C7'}}",
			    SL_EINVAL,
			    "field `data.data.id`: an amendment corrects what was recorded, not whom it is about");
	for (size_t i = 0; i < SL_ARRAY_LEN(about); i++) {
		buf want = BUF_INIT;
		snprintf(data, sizeof(data), "{'target':'note-1','reason':'x','data':{'%s':'C2'}}", about[i]);
		buf_printf(&want, "field `data.data.%s`: an amendment corrects what was recorded, "
				  "not whom it is about", about[i]);
		assert_data_invalid("amendment.requested", data, SL_EINVAL, buf_str(&want));
		buf_release(&want);
	}
}

static void test_amendment_data_must_be_fields_of_the_targets_kind(void **state)
{
	(void)state;
	assert_data_invalid("amendment.requested", "{'target':'note-1','reason':'x','data':{'colour':'red'}}",
			    SL_EINVAL,
			    "unknown field `data.data.colour` (a `note.recorded` has no such field)");
	assert_data_invalid("amendment.requested", "{'target':'note-1','reason':'x','data':{'summary':'y'}}",
			    SL_EINVAL,
			    "unknown field `data.data.summary` (a `note.recorded` has no such field)");
}

static void test_amendment_data_values_are_validated_as_the_targets_fields(void **state)
{
	(void)state;
	assert_data_invalid("amendment.requested", "{'target':'note-1','reason':'x','data':{'text':''}}",
			    SL_EINVAL, "field `data.data.text`: expected a non-empty string");
	assert_data_invalid("amendment.requested", "{'target':10,'reason':'x','data':{'reason':'RC12'}}",
			    SL_EINVAL,
			    "field `data.data.reason`: `RC12` is not a CIN closure reason code (RC1-RC9)");
	assert_data_invalid("amendment.requested",
			    "{'target':'reg-C1','reason':'x','data':{'nhs_number':'9434765918'}}", SL_EINVAL,
			    "field `data.data.nhs_number`: `9434765918` fails the NHS number check digit");
}

static void test_amendment_data_must_be_a_non_empty_object(void **state)
{
	(void)state;
	assert_data_invalid("amendment.requested", "{'target':'note-1','reason':'x','data':{}}", SL_EINVAL,
			    "field `data.data`: names no field to correct");
	assert_data_invalid("amendment.requested", "{'target':'note-1','reason':'x','data':'text'}",
			    SL_EINVAL, "field `data.data`: expected an object of replacement fields");
}

static void test_amendment_without_event_resolver_checks_structure_only(void **state)
{
	vocab_resolver r = resolver;
	json_t *ev;
	sl_err err;

	(void)state;
	r.event = NULL;
	ev = event_of("amendment.requested", "{'target':'anything','reason':'x','data':{'colour':'red'}}");
	assert_int_equal(vocab_validate(ev, NULL, &r, &err), 0);
	json_decref(ev);
	ev = event_of("amendment.requested", "{'target':'anything','reason':'x','data':{'child':'C2'}}");
	assert_int_equal(vocab_validate(ev, NULL, &r, &err), SL_EINVAL);
	assert_string_equal(err.msg,
			    "field `data.data.child`: an amendment corrects what was recorded, not whom it is about");
	json_decref(ev);
}

/* ---- alerts ----------------------------------------------------------- */

static void test_alert_refs_have_the_design_form(void **state)
{
	(void)state;
	assert_true(vocab_alert_ref_valid("CUMULATIVE_HARM/B1/2010-08-16"));
	assert_true(vocab_alert_ref_valid("LATE_VISIT/child-7/2024-02-29#2"));
	assert_true(vocab_alert_ref_valid("LATE_VISIT/C1/2024-02-29#10"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1/2024-02-29#1"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1/2024-02-29#02"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1/2024-02-29#"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1/2024-02-29#2x"));
	assert_false(vocab_alert_ref_valid("late_visit/C1/2024-02-29"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1/2023-02-29"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1/2023-02"));
	assert_true(vocab_alert_ref_valid("ESCALATION_UNANSWERED//2024-02-01")); /* about no child */
	assert_false(vocab_alert_ref_valid("/C1/2024-02-01"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1"));
	assert_false(vocab_alert_ref_valid("LATE_VISIT/C1/2024-02-01/x"));
	assert_false(vocab_alert_ref_valid(""));
}

static void test_alert_raised_only_by_the_system(void **state)
{
	json_t *ev = event_of("alert.raised", "{'code':'LATE_VISIT','child':'C1','reason':'r','evidence':[3]}");
	static const vocab_opts restore = {.restore = true};
	sl_err err;

	(void)state;
	assert_int_equal(vocab_validate(ev, NULL, &resolver, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "only by safeledger's rules engine"));
	assert_int_equal(vocab_validate(ev, &system_opts, &resolver, &err), 0);
	json_object_set_new(ev, "recorder", json_string("safeledger"));
	assert_int_equal(vocab_validate(ev, &restore, &resolver, &err), 0);
	json_object_del(ev, "recorder");
	/* the ref must be the alert's own: code, child and day */
	json_object_set_new(ev, "ref", json_string("LATE_VISIT/C2/2024-03-01"));
	assert_int_equal(vocab_validate(ev, &system_opts, &resolver, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "expected LATE_VISIT/C1/2024-03-01"));
	json_object_set_new(ev, "ref", json_string("LATE_VISIT/C1/2024-03-01#2"));
	assert_int_equal(vocab_validate(ev, &system_opts, &resolver, &err), 0);
	json_object_del(ev, "ref");
	assert_int_equal(vocab_validate(ev, &system_opts, &resolver, &err), SL_EINVAL);
	json_object_set_new(ev, "ref", json_string("LATE_VISIT/C1/2024-03-01"));
	json_object_set_new(data_of(ev), "evidence", json_pack("[i,i]", 3, 3));
	assert_int_equal(vocab_validate(ev, &system_opts, &resolver, &err), SL_EINVAL);
	json_object_set_new(data_of(ev), "evidence", json_pack("[s]", "3"));
	assert_int_equal(vocab_validate(ev, &system_opts, &resolver, &err), SL_EINVAL);
	json_decref(ev);
}

static void test_break_glass_only_by_the_system(void **state)
{
	json_t *ev = event_of("access.break_glass", "{'child':'C1','user':'sw1','reason':'Police at the door'}");
	static const vocab_opts restore = {.restore = true};
	sl_err err;

	(void)state;
	assert_int_equal(vocab_validate(ev, NULL, &resolver, &err), SL_EINVAL);
	assert_string_equal(err.msg, "field `kind`: `access.break_glass` is recorded only by safeledger, when a "
	                             "sealed record is opened by break-glass");
	assert_int_equal(vocab_validate(ev, &system_opts, &resolver, &err), 0);
	json_object_set_new(ev, "recorder", json_string("safeledger"));
	assert_int_equal(vocab_validate(ev, &restore, &resolver, &err), 0);
	json_decref(ev);
}

static void test_sealing_and_grants_name_a_child_and_a_login(void **state)
{
	(void)state;
	assert_data_invalid("record.sealed", "{'child':'A1','reason':'x'}", SL_EINVAL,
			    "field `data.child`: A1 is an adult, not a child");
	assert_data_invalid("record.sealed", "{'child':'C9','reason':'x'}", SL_ENOTFOUND,
			    "field `data.child`: unknown person C9");
	assert_data_invalid("record.unsealed", "{'child':'C1'}", SL_EINVAL, "missing required field `data.reason`");
	assert_data_invalid("access.granted", "{'child':'C1','user':'rev 1','reason':'x'}", SL_EINVAL,
			    "field `data.user`: contains a space");
	assert_data_invalid("access.granted", "{'child':'C1','reason':'x'}", SL_EINVAL,
			    "missing required field `data.user`");
	assert_data_invalid("access.revoked", "{'child':'C1','user':'rev1','reason':'x','until':'2024-01-01'}",
			    SL_EINVAL, "unknown field `data.until`");
}

static void test_who_may_see_a_record_is_not_amended(void **state)
{
	(void)state;
	assert_data_invalid("amendment.requested", "{'target':'grant-1','reason':'x','data':{'user':'sw2'}}",
			    SL_EINVAL,
			    "field `data.target`: `grant-1` is of kind `access.granted`, which cannot be amended");
	assert_data_invalid("amendment.requested", "{'target':15,'reason':'x','data':{'reason':'y'}}", SL_EINVAL,
			    "field `data.target`: event 15 is of kind `record.sealed`, which cannot be amended");
	assert_data_invalid("amendment.requested", "{'target':'glass-1','reason':'x','data':{'reason':'y'}}",
			    SL_EINVAL,
			    "field `data.target`: `glass-1` is of kind `access.break_glass`, which cannot be amended");
}

static void test_alert_reference_must_exist(void **state)
{
	(void)state;
	assert_data_invalid("alert.acknowledged", "{'alert':'LATE_VISIT/C1/2024-03-01'}", SL_ENOTFOUND,
			    "field `data.alert`: no alert LATE_VISIT/C1/2024-03-01");
	assert_data_invalid("alert.resolved", "{'alert':'not an alert','rationale':'x'}", SL_EINVAL,
			    "field `data.alert`: `not an alert` is not an alert ref (CODE/CHILD/YYYY-MM-DD, "
			    "then #2, #3 ...)");
}

/* ---- resolver plumbing -------------------------------------------------- */

static void test_null_resolver_skips_ledger_checks(void **state)
{
	json_t *ev;
	sl_err err;

	(void)state;
	ev = event_of("concern.resolved", "{'child':'Z9','concern':'whatever','rationale':'x'}");
	json_object_set_new(ev, "ref", json_string("note-1"));
	assert_int_equal(vocab_validate(ev, NULL, NULL, &err), 0);
	json_decref(ev);
	ev = event_of("alert.resolved", "{'alert':'X/Z9/2024-01-01','rationale':'x'}");
	assert_int_equal(vocab_validate(ev, NULL, NULL, &err), 0);
	json_decref(ev);
	/* syntax is still checked */
	ev = event_of("note.recorded", "{'child':'Z 9','text':'x'}");
	assert_int_equal(vocab_validate(ev, NULL, NULL, &err), SL_EINVAL);
	json_decref(ev);
}

static void test_err_may_be_null(void **state)
{
	json_t *ev = event_of("note.recorded", "{'child':'C9','text':'x'}");

	(void)state;
	assert_int_equal(vocab_validate(ev, NULL, &resolver, NULL), SL_ENOTFOUND);
	json_decref(ev);
}

static int silent_refusal(void *ctx, const char *id, vocab_person_role want, sl_err *err)
{
	(void)ctx;
	(void)id;
	(void)want;
	(void)err;
	return SL_EDENIED;
}

static void test_resolver_refusal_without_a_reason_still_names_the_field(void **state)
{
	vocab_resolver r = {NULL, silent_refusal, NULL, NULL, NULL, NULL};
	json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	sl_err err;

	(void)state;
	assert_int_equal(vocab_validate(ev, NULL, &r, &err), SL_EDENIED);
	assert_int_equal(err.code, SL_EDENIED);
	assert_string_equal(err.msg, "field `data.child`: refused by the ledger");
	json_decref(ev);
}

static void test_success_clears_a_previous_error(void **state)
{
	json_t *ev = event_of("note.recorded", "{'child':'C1','text':'x'}");
	sl_err err;

	(void)state;
	sl_fail(&err, SL_EIO, "old");
	assert_int_equal(vocab_validate(ev, NULL, &resolver, &err), 0);
	assert_int_equal(err.code, 0);
	json_decref(ev);
}

/* ---- vocab_event_persons ---------------------------------------------- */

static void collect(void *ctx, const char *id)
{
	buf *b = ctx;
	buf_printf(b, "%s%s", b->len ? " " : "", id);
}

static void assert_persons(const char *kind, const char *data, const char *want)
{
	json_t *ev = event_of(kind, data);
	buf got = BUF_INIT;

	vocab_event_persons(ev, collect, &got);
	assert_string_equal(buf_str(&got), want);
	buf_release(&got);
	json_decref(ev);
}

static void test_event_persons_in_field_order(void **state)
{
	(void)state;
	assert_persons("note.recorded", "{'child':'C1','text':'x'}", "C1");
	assert_persons("person.linked", "{'a':'A1','b':'C1','relation':'father'}", "A1 C1");
	assert_persons("person.registered", "{'id':'N1','role':'adult','name':'S'}", "N1");
	assert_persons("person.updated", "{'id':'C1','name':'S'}", "C1");
	assert_persons("risk.flagged", "{'person':'A1','agency':'police','summary':'x'}", "A1");
	assert_persons("domestic_abuse.notified", "{'persons':['A2','C1','C2'],'agency':'police'}",
		       "A2 C1 C2");
	assert_persons("escalation.raised", "{'to':'manager','summary':'x','child':'C2'}", "C2");
}

static void test_event_persons_none_for_events_about_no_one(void **state)
{
	(void)state;
	assert_persons("escalation.raised", "{'to':'manager','summary':'x'}", "");
	assert_persons("amendment.approved", "{'request':9}", "");
	assert_persons("visit.done", "{'child':'C1'}", "");
}

static void test_event_persons_without_duplicates_and_safe_on_bad_input(void **state)
{
	json_t *ev;
	buf got = BUF_INIT;

	(void)state;
	assert_persons("domestic_abuse.notified", "{'persons':['A1','A1',3,'C1'],'agency':'police'}",
		       "A1 C1");
	assert_persons("person.linked", "{'a':'A1','b':'A1','relation':'father'}", "A1");
	assert_persons("note.recorded", "{'child':7}", "");
	ev = json_pack("{s:s,s:s}", "kind", "note.recorded", "data", "C1");
	vocab_event_persons(ev, collect, &got);
	json_decref(ev);
	ev = json_array();
	vocab_event_persons(ev, collect, &got);
	json_decref(ev);
	assert_string_equal(buf_str(&got), "");
	buf_release(&got);
}

/* ---- the generated census tables -------------------------------------- */

static void test_codes_tables_hold_every_list_of_the_tsv(void **state)
{
	static const struct {
		const char *list;
		size_t count;
	} want[] = {
		{"referral_source", 22}, {"primary_need", 10}, {"closure_reason", 9},
		{"abuse_category", 5},   {"sex", 3},           {"assessment_factor", 42},
		{"ethnicity", 20},       {"disability", 13},   {"upn_unknown", 7},
	};

	(void)state;
	assert_int_equal(codes_list_count, SL_ARRAY_LEN(want));
	for (size_t i = 0; i < SL_ARRAY_LEN(want); i++) {
		const codes_list *l = codes_list_find(want[i].list);
		assert_non_null(l);
		assert_int_equal(l->count, want[i].count);
	}
	assert_null(codes_list_find("colours"));
}

static void test_codes_lookups_are_exact(void **state)
{
	(void)state;
	assert_true(codes_valid("closure_reason", "RC1"));
	assert_false(codes_valid("closure_reason", "rc1"));
	assert_false(codes_valid("closure_reason", "N1"));
	assert_false(codes_valid("no_such_list", "RC1"));
	assert_string_equal(codes_meaning("primary_need", "N1"), "Abuse or neglect");
	assert_string_equal(codes_meaning("referral_source", "3E"), "Health services - A&E");
	assert_string_equal(codes_meaning("abuse_category", "SAB"), "Sexual abuse");
	assert_null(codes_meaning("primary_need", "N99"));
	assert_null(codes_meaning("nope", "N1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_has_a_fixture_row),
		cmocka_unit_test(test_minimal_event_of_every_kind_passes),
		cmocka_unit_test(test_full_event_of_every_kind_passes),
		cmocka_unit_test(test_full_fixture_names_every_field_of_the_kind),
		cmocka_unit_test(test_required_fields_are_those_design_marks),
		cmocka_unit_test(test_each_required_field_missing_fails_naming_it),
		cmocka_unit_test(test_unknown_data_field_fails_for_every_kind),
		cmocka_unit_test(test_every_field_rejects_values_of_the_wrong_type),
		cmocka_unit_test(test_event_must_be_an_object),
		cmocka_unit_test(test_unknown_kind_fails),
		cmocka_unit_test(test_missing_envelope_members_fail_naming_them),
		cmocka_unit_test(test_unknown_top_level_member_fails),
		cmocka_unit_test(test_wrong_envelope_types_fail),
		cmocka_unit_test(test_occurred_at_must_be_a_real_date),
		cmocka_unit_test(test_by_is_a_user_or_an_agency),
		cmocka_unit_test(test_by_allows_nothing_else),
		cmocka_unit_test(test_ref_must_be_new_and_well_formed),
		cmocka_unit_test(test_recorder_only_in_restores_and_then_required),
		cmocka_unit_test(test_free_text_allows_newlines_and_tabs),
		cmocka_unit_test(test_free_text_refuses_control_characters),
		cmocka_unit_test(test_embedded_nul_is_a_control_character),
		cmocka_unit_test(test_short_text_refuses_line_breaks),
		cmocka_unit_test(test_free_text_is_limited_to_100000_bytes),
		cmocka_unit_test(test_strings_must_not_be_empty),
		cmocka_unit_test(test_long_values_are_cut_short_in_messages),
		cmocka_unit_test(test_unknown_field_names_are_shown_safely),
		cmocka_unit_test(test_booleans_must_be_true_or_false),
		cmocka_unit_test(test_enum_value_outside_the_list_fails_listing_it),
		cmocka_unit_test(test_referral_source_must_be_a_census_code),
		cmocka_unit_test(test_primary_need_must_be_a_census_code),
		cmocka_unit_test(test_closure_reason_must_be_rc1_to_rc9),
		cmocka_unit_test(test_assessment_factors_are_distinct_census_codes),
		cmocka_unit_test(test_no_factors_code_21_must_stand_alone),
		cmocka_unit_test(test_conference_category_is_an_abuse_category),
		cmocka_unit_test(test_concern_categories_add_exploitation_domestic_abuse_other),
		cmocka_unit_test(test_abuse_categories_map_to_census_codes),
		cmocka_unit_test(test_agency_must_be_one_of_the_agencies),
		cmocka_unit_test(test_missing_indicators_are_distinct_known_values),
		cmocka_unit_test(test_unknown_person_fails_with_the_resolvers_reason),
		cmocka_unit_test(test_child_field_refuses_an_adult),
		cmocka_unit_test(test_risk_flagged_person_must_be_an_adult),
		cmocka_unit_test(test_agency_info_person_may_be_child_or_adult),
		cmocka_unit_test(test_person_id_syntax_is_checked_before_the_resolver),
		cmocka_unit_test(test_domestic_abuse_persons_are_distinct_known_people),
		cmocka_unit_test(test_domestic_abuse_persons_are_limited),
		cmocka_unit_test(test_person_registered_id_must_be_new),
		cmocka_unit_test(test_child_needs_born_or_expected),
		cmocka_unit_test(test_birth_dates_are_real_dates_without_time),
		cmocka_unit_test(test_nhs_number_needs_a_valid_check_digit),
		cmocka_unit_test(test_upn_is_a_letter_then_12_alphanumerics),
		cmocka_unit_test(test_census_facts_of_a_person_are_census_codes),
		cmocka_unit_test(test_person_updated_needs_a_field_besides_id),
		cmocka_unit_test(test_person_cannot_be_linked_to_themselves),
		cmocka_unit_test(test_initial_conference_starting_a_plan_needs_a_category),
		cmocka_unit_test(test_event_reference_by_ref_or_seq),
		cmocka_unit_test(test_event_reference_to_the_wrong_kind_fails),
		cmocka_unit_test(test_event_reference_that_does_not_resolve_fails),
		cmocka_unit_test(test_event_reference_must_be_a_ref_or_positive_seq),
		cmocka_unit_test(test_amendment_target_may_be_any_case_event),
		cmocka_unit_test(test_amendments_and_alert_events_cannot_be_amended),
		cmocka_unit_test(test_amendment_cannot_change_whom_the_event_is_about),
		cmocka_unit_test(test_amendment_data_must_be_fields_of_the_targets_kind),
		cmocka_unit_test(test_amendment_data_values_are_validated_as_the_targets_fields),
		cmocka_unit_test(test_amendment_data_must_be_a_non_empty_object),
		cmocka_unit_test(test_amendment_without_event_resolver_checks_structure_only),
		cmocka_unit_test(test_alert_refs_have_the_design_form),
		cmocka_unit_test(test_alert_raised_only_by_the_system),
		cmocka_unit_test(test_break_glass_only_by_the_system),
		cmocka_unit_test(test_sealing_and_grants_name_a_child_and_a_login),
		cmocka_unit_test(test_who_may_see_a_record_is_not_amended),
		cmocka_unit_test(test_alert_reference_must_exist),
		cmocka_unit_test(test_null_resolver_skips_ledger_checks),
		cmocka_unit_test(test_err_may_be_null),
		cmocka_unit_test(test_resolver_refusal_without_a_reason_still_names_the_field),
		cmocka_unit_test(test_success_clears_a_previous_error),
		cmocka_unit_test(test_event_persons_in_field_order),
		cmocka_unit_test(test_event_persons_none_for_events_about_no_one),
		cmocka_unit_test(test_event_persons_without_duplicates_and_safe_on_bad_input),
		cmocka_unit_test(test_codes_tables_hold_every_list_of_the_tsv),
		cmocka_unit_test(test_codes_lookups_are_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
