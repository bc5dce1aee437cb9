/*
 * test_query.c - the read use cases (app/query.c) on a real instance: the
 * fixture history tests/data/api_fixture.jsonl imported through the write
 * path (rules included) into a temporary database, then read back as the
 * API and the pages read it.
 *
 * The fixture: child C1 (NHS 943 476 5919) referred, allocated to sw1 of
 * team north, on a CP plan for neglect then emotional abuse, a health
 * concern open, a father (F1) flagged by probation as a risk to children, a
 * visit amended (approved), a note with an amendment pending; C2 (sw2,
 * team south) looked after; C3 known but never referred.
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
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "util/hex.h"

#ifndef SL_TEST_DATA_DIR
#define SL_TEST_DATA_DIR "tests/data"
#endif

typedef app_fixture fixture;

static int setup(void **state)
{
	*state = app_fixture_new("2024-06-03", NULL, SL_TEST_DATA_DIR "/api_fixture.jsonl");
	return 0;
}

static int teardown(void **state)
{
	app_fixture_free(*state);
	return 0;
}

static const char *s_of(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long i_of(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static uint64_t seq_of_ref(fixture *f, const char *ref)
{
	uint64_t seq = 0;
	assert_int_equal(store_ref_get(app_store(f->a), ref, &seq, NULL), 0);
	return seq;
}

/* ---- summary ---- */

static void test_summary_shows_case_plan_history_allocation_concerns_alerts(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *plan, *cats, *counts;
	sl_err err = {0};

	assert_int_equal(query_child_summary(f->a, "C1", &o, &err), 0);
	assert_string_equal(s_of(o, "child"), "C1");
	assert_string_equal(s_of(o, "name"), "Sam Reed");
	assert_string_equal(s_of(o, "nhs_number"), "9434765919");
	assert_true(json_is_true(json_object_get(json_object_get(o, "case"), "open")));
	assert_string_equal(s_of(json_object_get(o, "case"), "opened_on"), "2024-01-03");
	plan = json_object_get(o, "cp_plan");
	assert_string_equal(s_of(plan, "since"), "2024-02-01");
	assert_string_equal(s_of(plan, "category"), "emotional");
	cats = json_object_get(plan, "categories");
	assert_int_equal(json_array_size(cats), 2);
	assert_string_equal(s_of(json_array_get(cats, 0), "category"), "neglect");
	assert_string_equal(s_of(json_array_get(cats, 1), "category"), "emotional");
	assert_string_equal(s_of(json_array_get(cats, 1), "from"), "2024-05-01");
	assert_true(json_is_null(json_object_get(o, "looked_after")));
	assert_true(json_is_null(json_object_get(o, "cin_plan")));
	assert_string_equal(s_of(json_object_get(o, "allocation"), "worker"), "sw1");
	assert_string_equal(s_of(json_object_get(o, "allocation"), "team"), "north");
	assert_int_equal(json_array_size(json_object_get(o, "open_concerns")), 1);
	assert_string_equal(s_of(json_array_get(json_object_get(o, "open_concerns"), 0), "agency"), "health");
	assert_int_equal(json_array_size(json_object_get(o, "open_alerts")), 6);
	counts = json_object_get(o, "counts");
	assert_int_equal(i_of(counts, "visits"), 2);
	assert_int_equal(i_of(counts, "visits_seen"), 2);
	assert_string_equal(s_of(counts, "last_seen"), "2024-02-06");
	assert_int_equal(i_of(counts, "notes"), 1);
	assert_int_equal(i_of(counts, "alerts_open"), 6);
	assert_int_equal(i_of(counts, "concerns_open"), 1);
	json_decref(o);

	assert_int_equal(query_child_summary(f->a, "C2", &o, &err), 0);
	assert_string_equal(s_of(json_object_get(o, "looked_after"), "legal_status"), "C2");
	assert_true(json_is_null(json_object_get(o, "cp_plan")));
	json_decref(o);

	assert_int_equal(query_child_summary(f->a, "C3", &o, &err), 0);
	assert_true(json_is_null(json_object_get(o, "case")));
	assert_true(json_is_null(json_object_get(o, "allocation")));
	json_decref(o);
}

/* The keys of a timeline as one line each, to compare two walks. */
static int key_line(void *ctx, const store_chrono_key *k, sl_err *err)
{
	(void)err;
	buf_printf(ctx, "%llu %s %s %s\n", (unsigned long long)k->seq, k->occurred ? k->occurred : "-",
	           k->kind ? k->kind : "-", k->agency ? k->agency : "-");
	return 0;
}

static long long lines_of(const buf *b)
{
	long long n = 0;
	for (size_t i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

static void test_summary_with_timeline_is_the_summary_and_the_whole_timeline(void **state)
{
	static const char *const children[] = {"C1", "C2", "C3"};
	fixture *f = *state;
	sl_err err = {0};

	for (size_t i = 0; i < SL_ARRAY_LEN(children); i++) {
		json_t *alone = NULL, *with = NULL;
		buf keys = BUF_INIT, walked = BUF_INIT;
		query_chrono_opts none = {0};

		assert_int_equal(query_child_summary(f->a, children[i], &alone, &err), 0);
		assert_int_equal(query_timeline(f->a, children[i], &none, key_line, &keys, NULL, &err), 0);
		assert_int_equal(query_child_summary_timeline(f->a, children[i], key_line, &walked, &with, &err), 0);
		/* the same JSON, counts included (taken from the walk), and the same keys in the same order */
		assert_true(json_equal(alone, with));
		assert_string_equal(buf_str(&keys), buf_str(&walked));
		assert_int_equal(i_of(json_object_get(with, "counts"), "events"), lines_of(&keys));
		assert_true(i == 2 || lines_of(&keys) > 0);
		json_decref(alone);
		json_decref(with);
		buf_release(&keys);
		buf_release(&walked);
	}
	/* an adult or an unknown id: refused before any walk */
	{
		json_t *o = NULL;
		buf walked = BUF_INIT;
		assert_int_equal(query_child_summary_timeline(f->a, "M1", key_line, &walked, &o, &err), SL_EINVAL);
		assert_null(o);
		assert_int_equal(query_child_summary_timeline(f->a, "C9", key_line, &walked, &o, &err), SL_ENOTFOUND);
		assert_int_equal(walked.len, 0);
		buf_release(&walked);
	}
}

static void test_summary_refuses_adults_and_unknown_ids(void **state)
{
	fixture *f = *state;
	json_t *o = NULL;
	sl_err err = {0};

	assert_int_equal(query_child_summary(f->a, "M1", &o, &err), SL_EINVAL);
	assert_null(o);
	assert_non_null(strstr(err.msg, "adult"));
	assert_int_equal(query_child_summary(f->a, "C9' OR 1=1 --", &o, &err), SL_ENOTFOUND);
	assert_null(o);
}

/* ---- chronology ---- */

static json_t *chrono(fixture *f, const char *child, query_chrono_opts o)
{
	json_t *out = NULL;
	sl_err err = {0};
	const char *param = NULL;

	if (query_chronology(f->a, child, &o, &out, &param, &err) != 0)
		fail_msg("chronology: %s", err.msg);
	return out;
}

static void test_chronology_newest_first_by_occurred_date_with_amended_summary(void **state)
{
	fixture *f = *state;
	json_t *o = chrono(f, "C1", (query_chrono_opts){.limit = "1000"});
	json_t *items = json_object_get(o, "items"), *it;
	const char *prev = "9999";
	uint64_t visit = seq_of_ref(f, "visit-1");
	bool found = false;
	size_t i;

	assert_true(json_array_size(items) > 15);
	assert_true(json_is_null(json_object_get(o, "next")));
	json_array_foreach(items, i, it) {
		assert_true(strncmp(s_of(it, "occurred_at"), prev, 10) <= 0);
		prev = s_of(it, "occurred_at");
		if ((uint64_t)i_of(it, "seq") == visit) {
			found = true;
			assert_true(json_is_true(json_object_get(it, "amended")));
			assert_non_null(strstr(s_of(it, "summary"), "grandmother"));
			assert_string_equal(s_of(it, "kind"), "visit.recorded");
			assert_string_equal(s_of(it, "agency"), "social_care");
		}
	}
	assert_true(found);
	json_decref(o);
}

static void test_chronology_pages_cover_everything_once(void **state)
{
	fixture *f = *state;
	json_t *all = chrono(f, "C1", (query_chrono_opts){.limit = "1000", .order = "oldest"});
	size_t total = json_array_size(json_object_get(all, "items")), got = 0, pages = 0;
	char cursor[32] = "";

	do {
		json_t *page = chrono(f, "C1", (query_chrono_opts){.limit = "4", .order = "oldest", .cursor = cursor});
		json_t *items = json_object_get(page, "items"), *it, *next;
		size_t i;

		json_array_foreach(items, i, it)
			assert_int_equal(i_of(it, "seq"), i_of(json_array_get(json_object_get(all, "items"), got + i), "seq"));
		got += json_array_size(items);
		pages++;
		next = json_object_get(page, "next");
		if (json_is_string(next))
			snprintf(cursor, sizeof(cursor), "%s", json_string_value(next));
		else
			cursor[0] = '\0';
		json_decref(page);
	} while (cursor[0] && pages < 100);
	assert_int_equal(got, total);
	assert_int_equal(pages, (total + 3) / 4);
	json_decref(all);
}

static void test_chronology_filters_by_kind_agency_and_dates(void **state)
{
	fixture *f = *state;
	json_t *o;

	o = chrono(f, "C1", (query_chrono_opts){.kind = "visit.recorded"});
	assert_int_equal(json_array_size(json_object_get(o, "items")), 2);
	json_decref(o);
	o = chrono(f, "C1", (query_chrono_opts){.kind = "visit.recorded,note.recorded"});
	assert_int_equal(json_array_size(json_object_get(o, "items")), 3);
	json_decref(o);
	o = chrono(f, "C1", (query_chrono_opts){.agency = "health"});
	assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
	assert_string_equal(s_of(json_array_get(json_object_get(o, "items"), 0), "kind"), "concern.raised");
	json_decref(o);
	o = chrono(f, "C1", (query_chrono_opts){.agency = "police"});
	assert_int_equal(json_array_size(json_object_get(o, "items")), 1);
	json_decref(o);
	o = chrono(f, "C1", (query_chrono_opts){.from = "2024-02-01", .to = "2024-02-06", .order = "oldest"});
	assert_int_equal(json_array_size(json_object_get(o, "items")), 3);
	assert_string_equal(s_of(json_array_get(json_object_get(o, "items"), 0), "kind"), "conference.held");
	assert_string_equal(s_of(json_array_get(json_object_get(o, "items"), 2), "kind"), "visit.recorded");
	json_decref(o);
}

static void test_chronology_bad_parameters_are_named(void **state)
{
	static const struct {
		query_chrono_opts o;
		const char *param;
	} bad[] = {
		{{.limit = "0"}, "limit"},
		{{.limit = "1001"}, "limit"},
		{{.limit = "ten"}, "limit"},
		{{.limit = "-1"}, "limit"},
		{{.from = "2024-02-30"}, "from"},
		{{.to = "2024-2-3"}, "to"},
		{{.from = "2024-03-01", .to = "2024-02-01"}, "to"},
		{{.kind = "visit.done"}, "kind"},
		{{.kind = "visit.recorded'; DROP TABLE ledger; --"}, "kind"},
		{{.kind = "visit.recorded,,note.recorded"}, "kind"},
		{{.agency = "nhs"}, "agency"},
		{{.order = "sideways"}, "order"},
		{{.cursor = "12x"}, "cursor"},
		{{.cursor = "0"}, "cursor"},
		{{.cursor = "99999999999999999999"}, "cursor"},
	};
	fixture *f = *state;

	for (size_t i = 0; i < SL_ARRAY_LEN(bad); i++) {
		json_t *out = NULL;
		const char *param = NULL;
		sl_err err = {0};
		assert_int_equal(query_chronology(f->a, "C1", &bad[i].o, &out, &param, &err), SL_EINVAL);
		assert_null(out);
		assert_non_null(param);
		assert_string_equal(param, bad[i].param);
		assert_non_null(strstr(err.msg, bad[i].param));
	}
}

static void test_chronology_cursor_must_be_the_childs(void **state)
{
	fixture *f = *state;
	json_t *o = chrono(f, "C2", (query_chrono_opts){.limit = "1"}), *out = NULL;
	char cursor[32];
	const char *param = NULL;
	sl_err err = {0};

	snprintf(cursor, sizeof(cursor), "%lld", i_of(json_array_get(json_object_get(o, "items"), 0), "seq"));
	json_decref(o);
	assert_int_equal(query_chronology(f->a, "C1", &(query_chrono_opts){.cursor = cursor}, &out, &param, &err),
	                 SL_EINVAL);
	assert_string_equal(param, "cursor");
}

static void test_summary_text_is_cut_at_a_character_boundary(void **state)
{
	json_t *ev = json_pack("{s:s, s:{s:s}}", "kind", "note.recorded", "data", "text", "");
	buf out = BUF_INIT, text = BUF_INIT;
	json_t *check;
	(void)state;

	for (int i = 0; i < 300; i++)
		buf_puts(&text, "\xc3\xa9"); /* é: two bytes each */
	json_object_set_new(json_object_get(ev, "data"), "text", json_string(text.data));
	query_event_summary(ev, &out);
	assert_true(out.len <= QUERY_SUMMARY_MAX);
	check = json_string(out.data); /* NULL if the cut split a character */
	assert_non_null(check);
	json_decref(check);
	buf_reset(&out);
	json_object_set_new(ev, "kind", json_string("no.such.kind"));
	query_event_summary(ev, &out);
	assert_string_equal(out.data, "no.such.kind");
	buf_release(&out);
	buf_release(&text);
	json_decref(ev);
}

/* ---- network ---- */

static json_t *person_in(json_t *people, const char *id)
{
	size_t i;
	json_t *p;
	json_array_foreach(people, i, p) if (strcmp(s_of(p, "id"), id) == 0) return p;
	return NULL;
}

static void test_network_one_hop_and_their_links_with_risk_marked(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *people;
	sl_err err = {0};

	assert_int_equal(query_network(f->a, "C1", &o, &err), 0);
	people = json_object_get(o, "people");
	assert_int_equal(json_array_size(people), 5);
	assert_int_equal(i_of(person_in(people, "C1"), "hop"), 0);
	assert_int_equal(i_of(person_in(people, "M1"), "hop"), 1);
	assert_int_equal(i_of(person_in(people, "F1"), "hop"), 1);
	assert_int_equal(i_of(person_in(people, "C2"), "hop"), 2);
	assert_int_equal(i_of(person_in(people, "G1"), "hop"), 2);
	assert_null(person_in(people, "C3"));
	assert_true(json_is_true(json_object_get(person_in(people, "F1"), "risk_to_children")));
	assert_true(json_is_false(json_object_get(person_in(people, "M1"), "risk_to_children")));
	assert_int_equal(json_array_size(json_object_get(person_in(people, "F1"), "risk_flags")), 1);
	assert_int_equal(json_array_size(json_object_get(o, "links")), 4);
	json_decref(o);
	assert_int_equal(query_network(f->a, "F1", &o, &err), SL_EINVAL);
}

/* ---- alerts, caseloads, approvals ---- */

static size_t alert_count(fixture *f, query_alert_opts o)
{
	json_t *out = NULL;
	sl_err err = {0};
	size_t n;

	assert_int_equal(query_alerts(f->a, &o, &out, NULL, &err), 0);
	n = json_array_size(json_object_get(out, "alerts"));
	json_decref(out);
	return n;
}

static void test_alerts_by_child_worker_team_and_all(void **state)
{
	fixture *f = *state;
	json_t *out = NULL;
	const char *param = NULL;
	sl_err err = {0};

	assert_int_equal(alert_count(f, (query_alert_opts){.child = "C1"}), 6);
	assert_int_equal(alert_count(f, (query_alert_opts){.worker = "sw1"}), 6);
	assert_int_equal(alert_count(f, (query_alert_opts){.worker = "sw2"}), 1);
	assert_int_equal(alert_count(f, (query_alert_opts){.team = "south"}), 1);
	assert_int_equal(alert_count(f, (query_alert_opts){.team = "north"}), 6);
	assert_int_equal(alert_count(f, (query_alert_opts){.team = "east"}), 0);
	assert_int_equal(alert_count(f, (query_alert_opts){0}), 7);
	assert_int_equal(alert_count(f, (query_alert_opts){.state = "all"}), 7);
	assert_int_equal(alert_count(f, (query_alert_opts){.limit = "2"}), 2);
	assert_int_equal(query_alerts(f->a, &(query_alert_opts){.state = "closed"}, &out, &param, &err), SL_EINVAL);
	assert_string_equal(param, "state");
}

static void test_alerts_show_state_after_acknowledgement(void **state)
{
	fixture *f = *state;
	json_t *ev = json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s}}", "kind", "alert.acknowledged", "occurred_at",
	                       "2024-06-03", "by", "user", "sw2", "data", "alert", "LATE_VISIT/C2/2024-05-01", "note",
	                       "Visit booked");
	app_write_opts wo = {.recorder = "cli:sw2"};
	ledger_entry e;
	json_t *out = NULL, *al;
	sl_err err = {0};

	assert_int_equal(app_append(f->a, ev, &wo, &e, &err), 0);
	json_decref(ev);
	assert_int_equal(query_alerts(f->a, &(query_alert_opts){.child = "C2"}, &out, NULL, &err), 0);
	al = json_array_get(json_object_get(out, "alerts"), 0);
	assert_string_equal(s_of(al, "state"), "acknowledged");
	assert_string_equal(s_of(json_object_get(al, "acknowledged"), "by"), "sw2");
	assert_string_equal(s_of(al, "worker"), "sw2");
	json_decref(out);
}

static json_t *caseload_of(json_t *o, const char *worker)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(o, "caseloads"), i, c) if (strcmp(s_of(c, "worker"), worker) == 0) return c;
	return NULL;
}

static void test_caseloads_count_children_alerts_and_overdue(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *c;
	sl_err err = {0};

	assert_int_equal(query_caseloads(f->a, NULL, NULL, &o, &err), 0);
	assert_int_equal(json_array_size(json_object_get(o, "caseloads")), 2);
	c = caseload_of(o, "sw1");
	assert_string_equal(s_of(c, "team"), "north");
	assert_int_equal(i_of(c, "children"), 1);
	assert_int_equal(i_of(c, "alerts_open"), 6);
	assert_int_equal(i_of(c, "overdue"), 3); /* LATE_ASSESSMENT, LATE_CORE_GROUP, LATE_VISIT */
	c = caseload_of(o, "sw2");
	assert_int_equal(i_of(c, "overdue"), 1);
	json_decref(o);
	assert_int_equal(query_caseloads(f->a, "south", NULL, &o, &err), 0);
	assert_int_equal(json_array_size(json_object_get(o, "caseloads")), 1);
	assert_null(caseload_of(o, "sw1"));
	json_decref(o);
}

static bool only_c2(void *ctx, const char *child)
{
	(void)ctx;
	return strcmp(child, "C2") == 0;
}

static void test_approvals_list_pending_amendments_with_reasons(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *am;
	sl_err err = {0};

	assert_int_equal(query_approvals(f->a, NULL, NULL, NULL, &o, &err), 0);
	assert_int_equal(json_array_size(json_object_get(o, "amendments")), 1);
	am = json_array_get(json_object_get(o, "amendments"), 0);
	assert_int_equal(i_of(am, "request"), (long long)seq_of_ref(f, "amend-2"));
	assert_int_equal(i_of(am, "target"), (long long)seq_of_ref(f, "note-1"));
	assert_string_equal(s_of(am, "target_kind"), "note.recorded");
	assert_string_equal(s_of(am, "reason"), "Typo in the school's name");
	assert_string_equal(s_of(am, "requested_by"), "sw1");
	assert_string_equal(json_string_value(json_array_get(json_object_get(am, "children"), 0)), "C1");
	assert_int_equal(json_array_size(json_object_get(o, "closures")), 0);
	json_decref(o);
	/* a manager of C2's team only does not see C1's request */
	assert_int_equal(query_approvals(f->a, "south", only_c2, NULL, &o, &err), 0);
	assert_int_equal(json_array_size(json_object_get(o, "amendments")), 0);
	json_decref(o);
}

/* ---- one event: history and proof ---- */

static void decode_hex(const char *hex, uint8_t *out, size_t n)
{
	assert_non_null(hex);
	assert_int_equal(strlen(hex), 2 * n);
	assert_int_equal(hex_decode(hex, 2 * n, out, n), 0);
}

static void test_event_history_has_amendments_and_a_proof_that_verifies(void **state)
{
	fixture *f = *state;
	uint64_t seq = seq_of_ref(f, "visit-1");
	json_t *o = NULL, *proof, *hashes, *h;
	uint8_t leaf[32], root[32], *path;
	note_verifier *v = NULL;
	checkpoint cp = CHECKPOINT_INIT;
	const char *note;
	sl_err err = {0};
	size_t i;

	assert_int_equal(query_event(f->a, seq, &o, &err), 0);
	assert_true(json_is_true(json_object_get(o, "amended")));
	assert_int_equal(json_array_size(json_object_get(o, "amendments")), 1);
	assert_string_equal(s_of(json_object_get(json_object_get(o, "event"), "data"), "summary"),
	                    "Seen at home with grandmother");
	{
		json_t *am = json_array_get(json_object_get(o, "amendments"), 0);
		assert_string_equal(s_of(json_object_get(am, "original"), "summary"), "Seen at home with mother");
	}
	assert_string_equal(s_of(json_array_get(json_object_get(o, "requests"), 0), "status"), "approved");
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "children"), 0)), "C1");

	/* The proof: signed checkpoint (checked with the instance's key), its
	 * root, and the path from the leaf hash recomputed here. */
	proof = json_object_get(o, "proof");
	assert_true(json_is_object(proof));
	note = s_of(proof, "checkpoint");
	assert_int_equal(note_verifier_parse(app_vkey(f->a), &v, &err), 0);
	assert_int_equal(checkpoint_open(note, strlen(note), app_origin(f->a), &v, 1, &cp, NULL, &err), 0);
	assert_int_equal(cp.size, i_of(proof, "tree_size"));
	decode_hex(s_of(proof, "root"), root, 32);
	assert_memory_equal(root, cp.root, 32);
	decode_hex(s_of(o, "leaf_hash"), leaf, 32);
	{
		store_event_copy row;
		buf scratch = BUF_INIT;
		uint8_t again[32];
		assert_int_equal(store_event_get(app_store(f->a), seq, &row, &err), 0);
		ledger_row_leaf_hash(&row.ev, &scratch, again);
		assert_memory_equal(again, leaf, 32);
		assert_string_equal(s_of(o, "canonical"), row.ev.event);
		store_event_release(&row);
		buf_release(&scratch);
	}
	hashes = json_object_get(proof, "hashes");
	path = malloc(32 * json_array_size(hashes) + 1);
	json_array_foreach(hashes, i, h) decode_hex(json_string_value(h), path + 32 * i, 32);
	assert_true(merkle_verify_inclusion(seq - 1, cp.size, leaf, path, json_array_size(hashes), cp.root));
	/* and a proof for another leaf does not verify this one */
	leaf[0] ^= 1;
	assert_false(merkle_verify_inclusion(seq - 1, cp.size, leaf, path, json_array_size(hashes), cp.root));
	free(path);
	checkpoint_release(&cp);
	note_verifier_free(v);
	json_decref(o);
}

static void test_event_beyond_the_checkpoint_has_no_proof_yet(void **state)
{
	fixture *f = *state;
	json_t *ev = json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s}}", "kind", "note.recorded", "occurred_at", "2024-06-03",
	                       "by", "user", "sw1", "data", "child", "C1", "text", "Phone call with school");
	app_write_opts wo = {.recorder = "cli:sw1", .live = true};
	ledger_entry e;
	json_t *o = NULL;
	sl_err err = {0};
	char *note = NULL;

	assert_int_equal(app_append(f->a, ev, &wo, &e, &err), 0);
	json_decref(ev);
	assert_int_equal(query_event(f->a, e.seq, &o, &err), 0);
	assert_true(json_is_null(json_object_get(o, "proof")));
	assert_true(i_of(o, "checkpoint_size") < (long long)e.seq);
	json_decref(o);
	assert_int_equal(app_checkpoint(f->a, true, &note, &err), 0);
	free(note);
	assert_int_equal(query_event(f->a, e.seq, &o, &err), 0);
	assert_true(json_is_object(json_object_get(o, "proof")));
	json_decref(o);
}

static void test_event_children_follow_references(void **state)
{
	fixture *f = *state;
	uint64_t approved = seq_of_ref(f, "amend-1") + 1; /* the approval follows the request */
	json_t *ids = NULL, *o = NULL;
	sl_err err = {0};
	uint64_t seq;

	assert_int_equal(query_event_children(f->a, approved, &ids, &err), 0);
	assert_int_equal(json_array_size(ids), 1);
	assert_string_equal(json_string_value(json_array_get(ids, 0)), "C1");
	json_decref(ids);
	/* M1's registration is about no child */
	assert_int_equal(query_event_children(f->a, 2, &ids, &err), 0);
	assert_int_equal(json_array_size(ids), 0);
	json_decref(ids);
	assert_int_equal(query_event(f->a, 999999, &o, &err), SL_ENOTFOUND);
	assert_int_equal(query_parse_seq("12", &seq, &err), 0);
	assert_int_equal(seq, 12);
	assert_int_equal(query_parse_seq("1 OR 1=1", &seq, &err), SL_EINVAL);
	assert_int_equal(query_parse_seq("", &seq, &err), SL_EINVAL);
	assert_int_equal(query_parse_seq("-3", &seq, &err), SL_EINVAL);
}

/* ---- partners: status by NHS number; as-of ---- */

static void test_status_by_nhs_number(void **state)
{
	fixture *f = *state;
	json_t *o = NULL, *who = NULL;
	sl_err err = {0};

	assert_int_equal(query_status_by_nhs(f->a, "943 476 5919", &o, &who, &err), 0);
	assert_string_equal(s_of(o, "nhs_number"), "9434765919");
	assert_true(json_is_true(json_object_get(o, "cp_plan")));
	assert_true(json_is_false(json_object_get(o, "looked_after")));
	assert_null(json_object_get(o, "child")); /* the answer names no internal id */
	assert_string_equal(json_string_value(json_array_get(who, 0)), "C1");
	json_decref(o);
	json_decref(who);
	assert_int_equal(query_status_by_nhs(f->a, "4010232137", &o, NULL, &err), 0);
	assert_true(json_is_false(json_object_get(o, "cp_plan")));
	assert_true(json_is_true(json_object_get(o, "looked_after")));
	json_decref(o);
	assert_int_equal(query_status_by_nhs(f->a, "1000000060", &o, NULL, &err), 0);
	assert_true(json_is_false(json_object_get(o, "cp_plan")));
	assert_true(json_is_false(json_object_get(o, "looked_after")));
	json_decref(o);
	assert_int_equal(query_status_by_nhs(f->a, "9434765918", &o, NULL, &err), SL_EINVAL);
	assert_non_null(strstr(err.msg, "nhs_number"));
	assert_non_null(strstr(err.msg, "check digit"));
	assert_null(o);
	assert_int_equal(query_status_by_nhs(f->a, "0000000000", &o, NULL, &err), SL_ENOTFOUND);
	assert_int_equal(query_status_by_nhs(f->a, "' OR ''='", &o, NULL, &err), SL_EINVAL);
}

static void test_as_of_checks_the_date(void **state)
{
	fixture *f = *state;
	json_t *o = NULL;
	const char *param = NULL;
	sl_err err = {0};

	/* as of a date the record was *recorded* by: the fixture was imported
	 * today, so on 2000-01-01 nothing about C1 was known yet */
	assert_int_equal(query_child_as_of(f->a, "C1", "2000-01-01", &o, &param, &err), SL_ENOTFOUND);
	assert_null(o);
	assert_int_equal(query_child_as_of(f->a, "C1", "2199-12-31", &o, &param, &err), 0);
	assert_string_equal(s_of(json_object_get(o, "cp_plan"), "category"), "emotional");
	assert_true(json_is_true(json_object_get(json_object_get(o, "case"), "open")));
	json_decref(o);
	assert_int_equal(query_child_as_of(f->a, "C1", "2024-13-01", &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "date");
	assert_int_equal(query_child_as_of(f->a, "C1", NULL, &o, &param, &err), SL_EINVAL);
	assert_string_equal(param, "date");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_summary_shows_case_plan_history_allocation_concerns_alerts, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_summary_refuses_adults_and_unknown_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary_with_timeline_is_the_summary_and_the_whole_timeline, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_chronology_newest_first_by_occurred_date_with_amended_summary, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_chronology_pages_cover_everything_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chronology_filters_by_kind_agency_and_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chronology_bad_parameters_are_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chronology_cursor_must_be_the_childs, setup, teardown),
		cmocka_unit_test(test_summary_text_is_cut_at_a_character_boundary),
		cmocka_unit_test_setup_teardown(test_network_one_hop_and_their_links_with_risk_marked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alerts_by_child_worker_team_and_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alerts_show_state_after_acknowledgement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caseloads_count_children_alerts_and_overdue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approvals_list_pending_amendments_with_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_history_has_amendments_and_a_proof_that_verifies, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_event_beyond_the_checkpoint_has_no_proof_yet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_children_follow_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_by_nhs_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_as_of_checks_the_date, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
