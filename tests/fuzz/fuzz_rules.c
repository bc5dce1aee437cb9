/*
 * fuzz_rules.c - libFuzzer target for src/rules: the engine fed arbitrary
 * histories, and the configuration parser fed arbitrary text.
 *
 * Input whose first byte is '#' is a rules configuration (rules_config_parse);
 * anything else is JSONL.  Each line that parses and passes vocabulary
 * validation (with no resolver, so references to people and events that do
 * not exist reach the engine, as they never would in the app) is applied,
 * with the time rules run up to its date first, as the write path does;
 * the engine must cope with any order, any dates, unknown people and
 * dangling references.  Nothing may crash, leak or trip a sanitizer, and
 * every alert must come with a ref and a reason.
 *
 * The engine's snapshot (snapshot.c) is checked both ways: the model built
 * from the input is written, read back into a fresh engine and written
 * again, and the two must be the same size (hash maps may lay their slots
 * out in another order) and read back again; and input that starts with the
 * snapshot magic "SLRULES" is read as a snapshot, which must be refused
 * cleanly when damaged, never crash.
 */
#include "util/common.h"

#include <jansson.h>

#include "domain/vocab.h"
#include "rules/rules.h"
#include "util/date.h"

static rules_config *cfg;

static int sink(void *ctx, const rules_alert *a, uint64_t *seq, sl_err *err)
{
	uint64_t *next = ctx;
	(void)err;
	if (!a->ref || !*a->ref || !a->reason || !*a->reason)
		__builtin_trap();
	*seq = (*next)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const vocab_opts system = {.system = true};
	const char *text = (const char *)data, *end = text + size;
	uint64_t seq = 1, alert_seq = 1u << 30;
	sl_err err;
	rules *r;

	if (size && data[0] == '#') {
		rules_config *c = NULL;
		if (rules_config_parse("fuzz.conf", text, size, &c, &err) == 0)
			rules_config_free(c);
		else if (!err.msg[0])
			__builtin_trap();
		return 0;
	}
	if (!cfg && rules_config_load(NULL, &cfg, &err))
		__builtin_trap();
	if (size >= 7 && memcmp(data, "SLRULES", 7) == 0) {
		uint8_t tag[32];
		r = rules_new(cfg, NULL, NULL);
		if (rules_snapshot_read(r, data, size, tag, &err) && !err.msg[0])
			__builtin_trap();
		rules_free(r);
		return 0;
	}
	r = rules_new(cfg, NULL, NULL);
	rules_set_sink(r, sink, &alert_seq);
	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t len = nl ? (size_t)(nl - text) : (size_t)(end - text);
		json_t *ev = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
		sl_date d;

		if (ev && vocab_validate(ev, &system, NULL, NULL) == 0 &&
		    date_parse(json_string_value(json_object_get(ev, "occurred_at")), &d, NULL) == 0) {
			rules_event_info info = {seq, (seq & 3) == 0, d.day + (int32_t)(seq % 9)};
			seq++;
			if (rules_tick(r, d.day, &err) || rules_event(r, ev, &info, &err))
				__builtin_trap(); /* the sink never fails, so neither may the engine */
			(void)rules_check(r, ev, &err);
		}
		json_decref(ev);
		text += len + 1;
	}
	{
		static const uint8_t tag[32] = {1};
		uint8_t got[32];
		buf one = BUF_INIT, two = BUF_INIT;
		rules *back = rules_new(cfg, NULL, NULL);
		rules_snapshot_write(r, tag, &one);
		if (rules_snapshot_read(back, one.data, one.len, got, &err) || memcmp(got, tag, 32) != 0)
			__builtin_trap();
		rules_snapshot_write(back, tag, &two);
		rules_free(back);
		back = rules_new(cfg, NULL, NULL);
		if (one.len != two.len || rules_snapshot_read(back, two.data, two.len, got, &err))
			__builtin_trap();
		buf_release(&one);
		buf_release(&two);
		rules_free(back);
	}
	rules_free(r);
	return 0;
}
