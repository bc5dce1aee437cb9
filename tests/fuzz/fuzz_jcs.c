/*
 * fuzz_jcs.c - libFuzzer target for src/ledger/jcs.c.
 *
 * Three properties, on every input:
 *   1. When the bytes parse (jcs_parse) and canonicalise (jcs_append), the
 *      canonical text parses again, means the same value (numbers compared
 *      as doubles), and canonicalises to the very same bytes: the invariant
 *      jcs.h promises, which lets a verifier re-derive an event's hash from
 *      stored text.  Refusals must leave the buffer untouched and say why.
 *   2. Taken as one raw string, the bytes are accepted by jcs_append exactly
 *      when jansson's own UTF-8 check accepts them and they hold no NUL,
 *      and then the escaped text reads back as the same bytes.
 *   3. jcs_parse (which reads plain text itself and leaves the rest to
 *      jansson) accepts exactly what jansson's json_loadb accepts, as the
 *      very same value - types, bytes and member order - and refuses the
 *      rest with jansson's message.
 *
 * Build and run (see tests/unit for the ordinary tests):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -D_GNU_SOURCE \
 *     tests/fuzz/fuzz_jcs.c src/ledger/jcs.c src/util/err.c src/util/buf.c \
 *     -ljansson -lm -o /tmp/fuzz_jcs && /tmp/fuzz_jcs -max_total_time=60
 */
#include "util/common.h"

#include "ledger/jcs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A finding: say what broke, then crash so libFuzzer keeps the input. */
static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_jcs: %s: %s\n", what, detail);
	abort();
}

/* Same JSON value, up to the differences canonical text may introduce:
 * 1.0 comes back as the integer 1, member order may differ. */
static bool same_value(const json_t *a, const json_t *b)
{
	size_t i;

	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b),
			      json_string_length(a)) == 0;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!same_value(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	case JSON_OBJECT: {
		void *it;

		if (json_object_size(a) != json_object_size(b))
			return false;
		for (it = json_object_iter((json_t *)a); it;
		     it = json_object_iter_next((json_t *)a, it)) {
			const json_t *other = json_object_getn(b, json_object_iter_key(it),
							       json_object_iter_key_len(it));
			if (!other || !same_value(json_object_iter_value(it), other))
				return false;
		}
		return true;
	}
	default:
		return true; /* true, false, null: the type is the value */
	}
}

/* Property 1. */
static void check_round_trip(const char *text, size_t len)
{
	sl_err err;
	buf once = BUF_INIT, twice = BUF_INIT;
	json_t *v = NULL, *w = NULL;

	sl_err_clear(&err);
	v = jcs_parse(text, len, &err);
	if (!v) {
		if (err.code != SL_EINVAL || !err.msg[0])
			broken("parse failure without a message", err.msg);
		goto done;
	}
	buf_putc(&once, '#'); /* jcs_append must append after, and keep, this */
	if (jcs_append(&once, v, &err) != 0) {
		if (once.len != 1 || err.code != SL_EINVAL || !err.msg[0])
			broken("refusal left output behind or said nothing", err.msg);
		goto done;
	}
	w = jcs_parse(once.data + 1, once.len - 1, &err);
	if (!w)
		broken("canonical text does not parse", buf_str(&once));
	if (!same_value(v, w))
		broken("canonical text means something else", buf_str(&once));
	if (jcs_append(&twice, w, &err) != 0)
		broken("canonical text cannot be canonicalised", err.msg);
	if (twice.len != once.len - 1 || memcmp(twice.data, once.data + 1, twice.len) != 0)
		broken("canonical form is not stable", buf_str(&twice));
done:
	json_decref(v);
	json_decref(w);
	buf_release(&once);
	buf_release(&twice);
}

/* Property 2. */
static void check_raw_string(const char *bytes, size_t len)
{
	sl_err err;
	buf out = BUF_INIT;
	json_t *raw = json_stringn_nocheck(bytes, len);
	json_t *checked = json_stringn(bytes, len); /* NULL unless valid UTF-8 */
	json_t *back = NULL;
	int rc = jcs_append(&out, raw, &err);

	bool acceptable = checked && !memchr(bytes, '\0', len);

	if ((rc == 0) != acceptable)
		broken("verdict differs from jansson's UTF-8 check", rc ? err.msg : buf_str(&out));
	if (rc == 0) {
		back = jcs_parse(out.data, out.len, &err);
		if (!back)
			broken("escaped string does not parse", err.msg);
		if (!same_value(back, checked))
			broken("escaped string reads back differently", buf_str(&out));
	}
	json_decref(raw);
	json_decref(checked);
	json_decref(back);
	buf_release(&out);
}

/* Property 3: like same_value, but an integer is not a real and member
 * order counts. */
static bool identical(const json_t *a, const json_t *b)
{
	void *x, *y;
	size_t i;

	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		for (x = json_object_iter((json_t *)a), y = json_object_iter((json_t *)b); x && y;
		     x = json_object_iter_next((json_t *)a, x), y = json_object_iter_next((json_t *)b, y))
			if (json_object_iter_key_len(x) != json_object_iter_key_len(y) ||
			    memcmp(json_object_iter_key(x), json_object_iter_key(y), json_object_iter_key_len(x)) != 0 ||
			    !identical(json_object_iter_value(x), json_object_iter_value(y)))
				return false;
		return !x && !y;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!identical(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	case JSON_INTEGER:
		return json_integer_value(a) == json_integer_value(b);
	case JSON_REAL:
		return json_real_value(a) == json_real_value(b);
	default:
		return same_value(a, b);
	}
}

static void check_same_as_jansson(const char *text, size_t len)
{
	json_error_t jerr;
	sl_err err;
	json_t *ours, *theirs;

	if (memchr(text, '\0', len))
		return; /* refused before either reader runs */
	sl_err_clear(&err);
	ours = jcs_parse(text, len, &err);
	theirs = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!ours != !theirs)
		broken(ours ? "accepted what jansson refuses" : "refused what jansson accepts", err.msg);
	if (ours && !identical(ours, theirs))
		broken("read another value than jansson", "");
	if (!ours && !strstr(err.msg, jerr.text))
		broken("refused with another message than jansson's", err.msg);
	json_decref(ours);
	json_decref(theirs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_same_as_jansson((const char *)data, size);
	check_round_trip((const char *)data, size);
	check_raw_string((const char *)data, size);
	return 0;
}
