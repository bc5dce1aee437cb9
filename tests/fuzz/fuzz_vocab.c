/*
 * fuzz_vocab.c - libFuzzer target for domain/vocab and util/date.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *     tests/fuzz/fuzz_vocab.c src/domain/vocab.c codes_table.c src/util/date.c \
 *     src/util/err.c src/util/buf.c -ljansson -o fuzz_vocab
 *
 * The input is parsed as an import line would be (json_loadb with
 * JSON_REJECT_DUPLICATES) and validated live and as a restore, through a
 * resolver that accepts some ids and refuses others, deterministically from
 * the id's bytes, so that both the accepting and the refusing paths of every
 * reference check are reached.  For an event that passes, the person ids
 * vocab_event_persons reports must be non-empty and distinct.  The same
 * bytes are also fed to date_parse.  Nothing may crash, leak or trip a
 * sanitizer; an error must come with a message.
 */
#include "util/common.h"

#include <jansson.h>

#include "domain/vocab.h"
#include "util/date.h"

/* Person ids: C... children, A... adults, anything else unknown. */
static int f_person(void *ctx, const char *id, vocab_person_role want, sl_err *err)
{
	vocab_person_role role;

	(void)ctx;
	if (id[0] == 'C')
		role = VOCAB_CHILD;
	else if (id[0] == 'A')
		role = VOCAB_ADULT;
	else
		return sl_fail(err, SL_ENOTFOUND, "unknown person %s", id);
	if (want != VOCAB_ANY_PERSON && want != role)
		return sl_fail(err, SL_EINVAL, "%s has the other role", id);
	return 0;
}

/* Only N... ids are free. */
static int f_person_new(void *ctx, const char *id, sl_err *err)
{
	(void)ctx;
	if (id[0] != 'N')
		return sl_fail(err, SL_ECONFLICT, "person id %s is already taken", id);
	return 0;
}

/* Any kind of the vocabulary, or one it does not have, chosen by the ref;
 * refs starting with 'x' and seqs above 1000 do not exist. */
static int f_event(void *ctx, const json_t *ref, const char **kind, sl_err *err)
{
	size_t n = vocab_kind_count() + 1, pick;

	(void)ctx;
	if (json_is_integer(ref)) {
		json_int_t seq = json_integer_value(ref);
		if (seq > 1000)
			return sl_fail(err, SL_ENOTFOUND, "no event %lld", (long long)seq);
		pick = (size_t)seq % n;
	} else {
		const char *s = json_string_value(ref);
		if (s[0] == 'x')
			return sl_fail(err, SL_ENOTFOUND, "no event with ref %s", s);
		pick = (size_t)(unsigned char)s[0] % n;
	}
	*kind = pick < vocab_kind_count() ? vocab_kind_name(pick) : "alert.raised";
	return 0;
}

static int f_ref_new(void *ctx, const char *ref, sl_err *err)
{
	(void)ctx;
	if (strcmp(ref, "dup") == 0)
		return sl_fail(err, SL_ECONFLICT, "ref %s is already used", ref);
	return 0;
}

/* Alerts raised on a day ending in 6 exist. */
static int f_alert(void *ctx, const char *alert_ref, sl_err *err)
{
	size_t n = strlen(alert_ref);

	(void)ctx;
	if (n && alert_ref[n - 1] == '6')
		return 0;
	return sl_fail(err, SL_ENOTFOUND, "no alert %s", alert_ref);
}

static const vocab_resolver resolver = {NULL, f_person, f_person_new, f_event, f_ref_new, f_alert};

typedef struct seen {
	const char *ids[VOCAB_MAX_PERSONS + 8];
	size_t n;
} seen;

static void check_person(void *ctx, const char *id)
{
	seen *s = ctx;

	if (!id[0])
		abort();
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->ids[i], id) == 0)
			abort(); /* reported twice */
	if (s->n == SL_ARRAY_LEN(s->ids))
		abort(); /* more ids than a valid event can name */
	s->ids[s->n++] = id;
}

static void touch_person(void *ctx, const char *id)
{
	volatile size_t n = strlen(id);

	(void)ctx;
	(void)n;
}

static void validate(const json_t *ev, const vocab_opts *opts, const vocab_resolver *r)
{
	sl_err err;
	int rc = vocab_validate(ev, opts, r, &err);

	if (rc > 0 || (rc < 0 && (!err.msg[0] || err.code != rc)))
		abort();
	if (rc == 0) {
		seen s = {{0}, 0};
		vocab_event_persons(ev, check_person, &s);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const vocab_opts live = {false}, restore = {true};
	json_error_t jerr;
	json_t *ev;
	char *text;
	sl_date d;

	text = xstrndup((const char *)data, size);
	date_parse(text, &d, NULL);
	free(text);

	ev = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!ev)
		return 0;
	validate(ev, &live, &resolver);
	validate(ev, &restore, &resolver);
	validate(ev, NULL, NULL);
	/* vocab_event_persons must not trip on events that failed, either */
	vocab_event_persons(ev, touch_person, NULL);
	json_decref(ev);
	return 0;
}
