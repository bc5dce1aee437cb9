/*
 * jcs.c - RFC 8785 JSON Canonicalization Scheme.  See jcs.h.
 *
 * The canonical form is ECMAScript's JSON.stringify with object members
 * sorted (RFC 8785 section 3.2): no whitespace (3.2.1), literals as is
 * (3.2.2.1), strings with only the escapes JSON requires (3.2.2.2), numbers
 * as Number::toString prints them (3.2.2.3), members ordered by their names
 * as UTF-16 code units (3.2.3), all of it UTF-8 (3.2.4).
 *
 * Numbers are the delicate part.  JCS numbers are IEEE-754 doubles, and the
 * canonical digits are the shortest that read back as the same double, the
 * one closest to it when several of that length do.  We find them with the
 * C library instead of porting Ryu or Grisu: for each length k = 1..17,
 * printf("%.*e") gives the k-digit decimal nearest the double (glibc's
 * printf rounds exactly), and strtod (correctly rounded in glibc) tells
 * whether it reads back.  That nearest candidate can miss only when the
 * double is a power of two: there the gap to the next double below is half
 * the gap above, so the nearest k-digit decimal may sit just below, outside
 * the interval, while the next one up is inside; so on a miss we also try
 * one step up.  17 digits always read back, which bounds the search.  The
 * round-trip check builds "DIGITSe-N" with no decimal point, so it does not
 * depend on the locale's decimal separator.
 *
 * Member order: valid UTF-8 already sorts bytewise in code point order, and
 * UTF-16 order differs from code point order only in that code points above
 * U+FFFF (surrogates 0xD800..0xDBFF first) come before U+E000..U+FFFF.  In
 * UTF-8 those two groups are exactly the lead bytes 0xF0..0xF4 and
 * 0xEE..0xEF, so ranking 0xEE and 0xEF above 0xF4 turns a byte comparison
 * into a UTF-16 one without decoding anything.  (Continuation bytes are
 * 0x80..0xBF, so the re-ranking never touches them.)
 *
 * Invariants: every string and member name written is validated as UTF-8
 * (RFC 3629 section 4: no overlongs, no surrogates, nothing above
 * U+10FFFF), since I-JSON (RFC 7493 section 2.1) admits only Unicode text
 * and a byte string other JCS implementations cannot reproduce is useless
 * to sign.  U+0000 is refused too, as jcs_parse refuses it.  On failure
 * nothing is left appended.
 */
#include "util/common.h"

#include <math.h>

#include "ledger/jcs.h"
#include "util/utf8.h"

/* 2^53: every integer of at most this magnitude is exactly a double.
 * (RFC 7493 section 2.2 calls +-(2^53 - 1) interoperable; 2^53 itself is
 * still exact, and RFC 8785 Appendix B lists it.) */
#define JCS_EXACT_LIMIT 9007199254740992LL

/* Number::toString switches to exponent form at 10^21 (ECMA-262 6th
 * edition, section 7.1.12.1, step 6: n <= 21). */
#define JCS_PLAIN_LIMIT 1e21

/* How much of the failure's JSON Pointer goes into the message, so the
 * reason after it survives sl_err's fixed size even at depth 2048. */
#define WHERE_SHOWN_MAX 200

/* Enough for 17 digits, a sign, 'e' and a three-digit exponent. */
#define DIGITS_MAX 17
#define NUMBER_TEXT_MAX 40

typedef struct jcs_ctx {
	buf *out;
	sl_err *err;
	buf where; /* JSON Pointer to the failure, built leaf-first on unwinding */
	const char *extra_name;   /* jcs_append_with: a member the top-level */
	const json_t *extra;      /* object is written as if it had */
} jcs_ctx;

typedef struct member {
	const char *name;
	size_t len;
	const json_t *value;
} member;

static int append_value(jcs_ctx *ctx, const json_t *v, int depth);

/* ---- error location --------------------------------------------------- */

/* Put "/segment" in front of ctx->where: called by each container as an
 * error unwinds, so the finished pointer reads root-first (RFC 6901, with
 * "~" as "~0" and "/" as "~1").  Control bytes become '?' so a hostile name
 * cannot put escape sequences into a log line. */
static void where_prepend(jcs_ctx *ctx, const char *seg, size_t len)
{
	buf b = BUF_INIT;
	size_t i;

	buf_putc(&b, '/');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)seg[i];
		if (c == '~')
			buf_puts(&b, "~0");
		else if (c == '/')
			buf_puts(&b, "~1");
		else if (c < 0x20 || c == 0x7f)
			buf_putc(&b, '?');
		else
			buf_putc(&b, (char)c);
	}
	buf_append(&b, buf_str(&ctx->where), ctx->where.len);
	buf_release(&ctx->where);
	ctx->where = b;
}

/* "at /a/0: <reason>", the pointer cut short if long (never inside a UTF-8
 * sequence: messages end up in JSON error responses). */
static void prefix_where(jcs_ctx *ctx)
{
	const char *w = ctx->where.data;
	size_t n = ctx->where.len;
	const char *more = "";

	if (n > WHERE_SHOWN_MAX) {
		n = WHERE_SHOWN_MAX;
		while (n > 0 && ((unsigned char)w[n] & 0xC0) == 0x80)
			n--;
		more = "...";
	}
	sl_err_prefix(ctx->err, "at %.*s%s", (int)n, w, more);
}

static void where_prepend_index(jcs_ctx *ctx, size_t index)
{
	char seg[32];
	int n = snprintf(seg, sizeof(seg), "%zu", index);

	where_prepend(ctx, seg, (size_t)n);
}

/* ---- strings (RFC 8785 section 3.2.2.2) -------------------------------- */

/* The escapes JSON.stringify uses (ECMAScript QuoteJSONString, cited by
 * RFC 8785 section 3.2.2.2); NULL where a control character gets \u00xx. */
static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\b': return "\\b";
	case '\f': return "\\f";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	default: return NULL;
	}
}

/* `what` says in an error whether the bad text was a value or a name. */
static int append_string(jcs_ctx *ctx, const char *s, size_t len, const char *what)
{
	const unsigned char *p = (const unsigned char *)s;
	buf *out = ctx->out;
	size_t i = 0, run = 0; /* s[run..i) is waiting to be copied as is */

	buf_putc(out, '"');
	while (i < len) {
		unsigned char c;
		const char *esc;

		/* the common case, printable ASCII, in a tight loop */
		while (i < len && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' && p[i] != '\\')
			i++;
		if (i == len)
			break;
		c = p[i];
		if (c >= 0x80) {
			uint32_t cp;
			size_t n = utf8_decode(p + i, len - i, &cp);
			if (!n)
				return sl_fail(ctx->err, SL_EINVAL,
					       "%s is not valid UTF-8 (byte %zu, 0x%02x)",
					       what, i, c);
			i += n; /* everything non-ASCII goes out raw */
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\') {
			i++; /* includes '/' and DEL, which JSON does not require escaping */
			continue;
		}
		if (c == 0)
			return sl_fail(ctx->err, SL_EINVAL,
				       "%s contains U+0000 (byte %zu), which jcs_parse refuses, "
				       "so the canonical text could not be read back",
				       what, i);
		buf_append(out, s + run, i - run);
		esc = short_escape(c);
		if (esc)
			buf_puts(out, esc);
		else
			buf_printf(out, "\\u%04x", c); /* lowercase hex, 3.2.2.2 */
		run = ++i;
	}
	buf_append(out, s + run, i - run);
	buf_putc(out, '"');
	return 0;
}

/* ---- numbers (RFC 8785 section 3.2.2.3) -------------------------------- */

/* Does the decimal digits[0..k) x 10^(exp10 - k + 1) read back as d? */
static bool reads_back(const char *digits, int k, int exp10, double d)
{
	char text[NUMBER_TEXT_MAX];

	snprintf(text, sizeof(text), "%.*se%d", k, digits, exp10 - (k - 1));
	return strtod(text, NULL) == d;
}

/* Add one unit in the last place of digits[0..k); 9..9 becomes 10..0 with
 * the exponent raised, keeping k digits. */
static void step_up(char *digits, int k, int *exp10)
{
	int i = k - 1;

	while (i >= 0 && digits[i] == '9')
		digits[i--] = '0';
	if (i >= 0) {
		digits[i]++;
	} else {
		digits[0] = '1';
		(*exp10)++;
	}
}

/*
 * The shortest digits of d (finite, > 0) that read back as d: digits[0..*k)
 * with no trailing zeros, d ~= 0.d1d2..dk x 10^(*exp10 + 1).  See the file
 * comment for why nearest-then-one-up is enough.
 */
static void shortest_digits(double d, char digits[DIGITS_MAX + 1], int *k, int *exp10)
{
	char text[NUMBER_TEXT_MAX];
	int prec;

	for (prec = 0; prec < DIGITS_MAX; prec++) {
		const char *p;
		int n = 0;

		/* "d.ddde+XX"; skip whatever decimal point the locale uses. */
		snprintf(text, sizeof(text), "%.*e", prec, d);
		for (p = text; *p && *p != 'e'; p++)
			if (*p >= '0' && *p <= '9')
				digits[n++] = *p;
		assert(*p == 'e' && n == prec + 1);
		*exp10 = (int)strtol(p + 1, NULL, 10);
		*k = n;
		if (reads_back(digits, n, *exp10, d))
			break;
		step_up(digits, n, exp10);
		if (reads_back(digits, n, *exp10, d))
			break;
	}
	/* 17 significant digits always identify a double (IEEE 754-2008 5.12.2). */
	assert(prec < DIGITS_MAX);
	while (*k > 1 && digits[*k - 1] == '0')
		(*k)--;
	digits[*k] = '\0';
}

/* Number::toString(d) for finite d, steps 2-10 of ECMA-262 6th edition
 * section 7.1.12.1, the version RFC 8785 section 3.2.2.3 cites. */
static void format_double(buf *out, double d)
{
	char digits[DIGITS_MAX + 1];
	int k, exp10, n, e;

	if (d == 0) { /* both +0 and -0 */
		buf_putc(out, '0');
		return;
	}
	if (d < 0) {
		buf_putc(out, '-');
		d = -d;
	}
	shortest_digits(d, digits, &k, &exp10);
	n = exp10 + 1; /* the spec's n: d = 0.digits x 10^n */
	if (k <= n && n <= 21) {
		/* integral and below 10^21: digits then zeros, "1000" */
		buf_append(out, digits, (size_t)k);
		while (n-- > k)
			buf_putc(out, '0');
	} else if (0 < n && n <= 21) {
		/* "123.45" */
		buf_append(out, digits, (size_t)n);
		buf_putc(out, '.');
		buf_append(out, digits + n, (size_t)(k - n));
	} else if (-6 < n && n <= 0) {
		/* "0.000123": down to 10^-6 still written out */
		buf_puts(out, "0.");
		for (e = n; e < 0; e++)
			buf_putc(out, '0');
		buf_append(out, digits, (size_t)k);
	} else {
		/* "1e+21", "1.5e-7": the exponent always has its sign */
		buf_putc(out, digits[0]);
		if (k > 1) {
			buf_putc(out, '.');
			buf_append(out, digits + 1, (size_t)(k - 1));
		}
		e = n - 1;
		buf_printf(out, "e%c%d", e < 0 ? '-' : '+', e < 0 ? -e : e);
	}
}

int jcs_append_double(buf *out, double d, sl_err *err)
{
	if (!isfinite(d))
		return sl_fail(err, SL_EINVAL,
			       "number %g has no JSON form (RFC 8785 section 3.2.2.3)", d);
	format_double(out, d);
	return 0;
}

static int append_integer(jcs_ctx *ctx, json_int_t i)
{
	if (i > JCS_EXACT_LIMIT || i < -JCS_EXACT_LIMIT)
		return sl_fail(ctx->err, SL_EINVAL,
			       "integer %" JSON_INTEGER_FORMAT " is outside +-2^53: JSON "
			       "numbers are IEEE-754 doubles (RFC 8785 section 3.2.2.3) and it "
			       "would be rounded; send it as a string",
			       i);
	/* Within 2^53 Number::toString prints exactly the decimal integer. */
	buf_printf(ctx->out, "%" JSON_INTEGER_FORMAT, i);
	return 0;
}

static int append_real(jcs_ctx *ctx, double d)
{
	double mag = fabs(d);

	if (!isfinite(d))
		return sl_fail(ctx->err, SL_EINVAL,
			       "number %g has no JSON form (RFC 8785 section 3.2.2.3)", d);
	/* Every double above 2^53 is integral, and below 10^21 ECMAScript
	 * prints it as plain digits, which would come back from jcs_parse as
	 * an integer that append_integer refuses (or jansson cannot hold):
	 * the stored canonical text could then never be verified. */
	if (mag > (double)JCS_EXACT_LIMIT && mag < JCS_PLAIN_LIMIT) {
		buf text = BUF_INIT;
		int rc;

		format_double(&text, d);
		rc = sl_fail(ctx->err, SL_EINVAL,
			     "number %s is an integer outside +-2^53: its canonical form "
			     "could not be read back exactly; send it as a string",
			     buf_str(&text));
		buf_release(&text);
		return rc;
	}
	format_double(ctx->out, d);
	return 0;
}

/* ---- containers -------------------------------------------------------- */

/* Lead bytes 0xEE/0xEF (U+E000..U+FFFF) rank after 0xF0..0xF4 (above
 * U+FFFF, i.e. UTF-16 surrogates); see the file comment. */
static int utf16_rank(unsigned char c)
{
	return c == 0xEE || c == 0xEF ? c + 0x07 : c;
}

/* RFC 8785 section 3.2.3: compare names as arrays of UTF-16 code units. */
static int compare_members(const void *a, const void *b)
{
	const member *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len, i;

	for (i = 0; i < n; i++) {
		unsigned char cx = (unsigned char)x->name[i];
		unsigned char cy = (unsigned char)y->name[i];
		if (cx != cy)
			return utf16_rank(cx) - utf16_rank(cy);
	}
	return (x->len > y->len) - (x->len < y->len); /* a prefix sorts first */
}

static int append_object(jcs_ctx *ctx, const json_t *v, int depth)
{
	bool extra = depth == 1 && ctx->extra_name;
	size_t count = json_object_size(v), i = 0;
	member stack[16];
	member *members = count + extra <= 16 ? stack : xcalloc(count + extra, sizeof(*members));
	void *iter;
	int rc = 0;

	/* jansson's iterator API takes json_t *; it only reads here. */
	for (iter = json_object_iter((json_t *)v); iter && i < count;
	     iter = json_object_iter_next((json_t *)v, iter), i++) {
		members[i].name = json_object_iter_key(iter);
		members[i].len = json_object_iter_key_len(iter);
		members[i].value = json_object_iter_value(iter);
		if (extra && strcmp(members[i].name, ctx->extra_name) == 0) {
			members[i].value = ctx->extra; /* replaced, as json_object_set would */
			extra = false;
		}
	}
	assert(i == count && !iter);
	if (extra) {
		members[count].name = ctx->extra_name;
		members[count].len = strlen(ctx->extra_name);
		members[count].value = ctx->extra;
		count++;
	}
	/* An event's objects have a handful of members, often in order
	 * already: insertion sort beats qsort's calls through a pointer
	 * there.  Names are unique, so stability does not matter. */
	if (count <= 16) {
		for (i = 1; i < count; i++) {
			member m = members[i];
			size_t j = i;
			while (j > 0 && compare_members(&members[j - 1], &m) > 0) {
				members[j] = members[j - 1];
				j--;
			}
			members[j] = m;
		}
	} else {
		qsort(members, count, sizeof(*members), compare_members);
	}

	buf_putc(ctx->out, '{');
	for (i = 0; i < count; i++) {
		if (i)
			buf_putc(ctx->out, ',');
		rc = append_string(ctx, members[i].name, members[i].len, "member name");
		if (rc)
			goto done;
		buf_putc(ctx->out, ':');
		rc = append_value(ctx, members[i].value, depth + 1);
		if (rc) {
			where_prepend(ctx, members[i].name, members[i].len);
			goto done;
		}
	}
	buf_putc(ctx->out, '}');
done:
	if (members != stack)
		free(members);
	return rc;
}

static int append_array(jcs_ctx *ctx, const json_t *v, int depth)
{
	size_t count = json_array_size(v), i;
	int rc;

	buf_putc(ctx->out, '[');
	for (i = 0; i < count; i++) {
		if (i)
			buf_putc(ctx->out, ',');
		rc = append_value(ctx, json_array_get(v, i), depth + 1);
		if (rc) {
			where_prepend_index(ctx, i);
			return rc;
		}
	}
	buf_putc(ctx->out, ']');
	return 0;
}

/* depth counts like jansson's parser: the top-level value is 1. */
static int append_value(jcs_ctx *ctx, const json_t *v, int depth)
{
	if (!v)
		return sl_fail(ctx->err, SL_EINVAL, "missing value");
	if (depth > JCS_MAX_DEPTH)
		return sl_fail(ctx->err, SL_EINVAL,
			       "nested deeper than %d levels (or contains itself)",
			       JCS_MAX_DEPTH);

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return append_object(ctx, v, depth);
	case JSON_ARRAY:
		return append_array(ctx, v, depth);
	case JSON_STRING:
		return append_string(ctx, json_string_value(v), json_string_length(v),
				     "string");
	case JSON_INTEGER:
		return append_integer(ctx, json_integer_value(v));
	case JSON_REAL:
		return append_real(ctx, json_real_value(v));
	case JSON_TRUE:
		buf_puts(ctx->out, "true");
		return 0;
	case JSON_FALSE:
		buf_puts(ctx->out, "false");
		return 0;
	case JSON_NULL:
		buf_puts(ctx->out, "null");
		return 0;
	}
	return sl_fail(ctx->err, SL_EINVAL, "unknown JSON type %d", (int)json_typeof(v));
}

static int append_top(jcs_ctx *ctx, const json_t *v);

int jcs_append(buf *out, const json_t *v, sl_err *err)
{
	jcs_ctx ctx = {out, err, BUF_INIT, NULL, NULL};
	return append_top(&ctx, v);
}

int jcs_append_with(buf *out, const json_t *obj, const char *name, const json_t *value, sl_err *err)
{
	jcs_ctx ctx = {out, err, BUF_INIT, name, value};
	if (!json_is_object(obj))
		return sl_fail(err, SL_EINVAL, "expected an object");
	return append_top(&ctx, obj);
}

static int append_top(jcs_ctx *ctx, const json_t *v)
{
	buf *out = ctx->out;
	size_t start = out->len;
	int rc;

	rc = append_value(ctx, v, 1);
	if (rc) {
		buf_truncate(out, start);
		if (ctx->where.len)
			prefix_where(ctx);
	}
	buf_release(&ctx->where);
	return rc;
}

/* ---- parsing ----------------------------------------------------------- */

/* Report a parse failure at line:column the way jansson counts them
 * (lines from 1; columns in characters from 1). */
static void fail_at(sl_err *err, int code, int line, int column, const char *reason)
{
	if (line > 1)
		sl_fail(err, code, "line %d, column %d: %s", line, column, reason);
	else if (line == 1)
		sl_fail(err, code, "column %d: %s", column, reason);
	else
		sl_fail(err, code, "%s", reason);
}

/* jansson's reader uses NUL as its "buffer empty" mark, so a NUL byte right
 * after a number or literal is silently skipped ("[1\0]" reads as [1]) and
 * one elsewhere is reported as the end of the input.  JSON text has no
 * place for U+0000 outside a \u escape (RFC 8259 sections 2 and 7), so a
 * NUL byte is refused here, before jansson sees it. */
static void fail_at_nul(const char *text, size_t at, sl_err *err)
{
	int line = 1, column = 0;
	size_t i;

	for (i = 0; i <= at; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			line++;
			column = 0;
		} else if ((c & 0xC0) != 0x80) {
			column++;
		}
	}
	fail_at(err, SL_EINVAL, line, column, "NUL byte (JSON text cannot contain U+0000)");
}

/*
 * The fast reader.  jansson reads a byte at a time through a stream
 * abstraction with a lookahead buffer, which was a third of a bulk
 * import's instructions.  Event lines are almost all plain: objects,
 * arrays, short strings without \u escapes, integers, literals.  For text
 * made only of those, fast_parse builds the same values jansson would, in
 * the same member order, with jansson's own constructors; for anything
 * else - a real number, a \u escape, an escaped member name, a duplicate
 * name, deep nesting, a byte outside a string that is not JSON's, any
 * error - it gives up and jansson reads the text from the start, so what
 * is accepted and every error message stay exactly jansson's.  Each rule
 * below is the subset of jansson's lexer (load.c) it mirrors.
 */
#define FAST_DEPTH_MAX 32  /* jansson allows 2048; deeper goes the slow way */
#define FAST_DIGITS_MAX 18 /* fits a json_int_t, so strtoll cannot overflow */

typedef struct fast_reader {
	const char *p, *end;
	buf scratch; /* the last string read that had escapes, decoded */
} fast_reader;

static json_t *fast_value(fast_reader *r, int depth);

static void fast_ws(fast_reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* After a number or literal jansson's lexer starts a new token; only these
 * bytes can start the one a valid text has next. */
static bool fast_delimited(const fast_reader *r)
{
	return r->p == r->end || *r->p == ',' || *r->p == '}' || *r->p == ']' || *r->p == ' ' || *r->p == '\t' ||
	       *r->p == '\n' || *r->p == '\r';
}

/* The string whose opening quote is at r->p: its bytes are borrowed from
 * the input when it has no escapes (*decoded false), else from scratch,
 * valid until the next string is read.  jansson refuses control bytes and
 * invalid UTF-8 (the same RFC 3629 rules as utf8_decode); \u
 * escapes, with their surrogate pairs and \u0000, are left to it. */
static bool fast_string(fast_reader *r, const char **s, size_t *len, bool *decoded)
{
	const unsigned char *p = (const unsigned char *)r->p + 1, *end = (const unsigned char *)r->end;
	const unsigned char *start = p, *run = p;

	*decoded = false;
	while (p < end) {
		unsigned char c = *p;
		uint32_t cp;
		size_t n;

		if (c == '"') {
			if (*decoded) {
				buf_append(&r->scratch, run, (size_t)(p - run));
				*s = r->scratch.data;
				*len = r->scratch.len;
			} else {
				*s = (const char *)start;
				*len = (size_t)(p - start);
			}
			r->p = (const char *)p + 1;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c == '\\') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *e = p + 1 < end && p[1] ? strchr(from, p[1]) : NULL;

			if (!e)
				return false; /* \u, or not an escape */
			if (!*decoded) {
				buf_reset(&r->scratch);
				*decoded = true;
			}
			buf_append(&r->scratch, run, (size_t)(p - run));
			buf_putc(&r->scratch, to[e - from]);
			p += 2;
			run = p;
			continue;
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		if (!(n = utf8_decode(p, (size_t)(end - p), &cp)))
			return false;
		p += n;
	}
	return false; /* unterminated */
}

/* An integer: -?(0|[1-9][0-9]*) not followed by a fraction or exponent
 * (jansson makes those reals). */
static json_t *fast_integer(fast_reader *r)
{
	const char *p = r->p;
	json_int_t v = 0;
	bool negative = false;
	int digits = 0;

	if (*p == '-') {
		negative = true;
		p++;
	}
	if (p == r->end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0') {
		p++;
	} else {
		while (p < r->end && *p >= '0' && *p <= '9') {
			if (++digits > FAST_DIGITS_MAX)
				return NULL;
			v = v * 10 + (*p++ - '0');
		}
	}
	r->p = p;
	return fast_delimited(r) ? json_integer(negative ? -v : v) : NULL;
}

static json_t *fast_literal(fast_reader *r, const char *word, json_t *value)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return NULL;
	r->p += n;
	return fast_delimited(r) ? value : NULL;
}

static json_t *fast_object(fast_reader *r, int depth)
{
	json_t *obj = json_object();

	if (!obj)
		return NULL;
	r->p++;
	fast_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return obj;
	}
	for (;;) {
		const char *name;
		size_t name_len, size;
		bool decoded;
		json_t *v;

		/* A decoded name would be overwritten by the value's strings. */
		if (r->p == r->end || *r->p != '"' || !fast_string(r, &name, &name_len, &decoded) || decoded)
			break;
		fast_ws(r);
		if (r->p == r->end || *r->p != ':')
			break;
		r->p++;
		fast_ws(r);
		/* A duplicate name replaces its member, leaving the size as it
		 * was: cheaper to notice than to look the name up first. */
		size = json_object_size(obj);
		if (!(v = fast_value(r, depth)) || json_object_setn_new_nocheck(obj, name, name_len, v) ||
		    json_object_size(obj) == size)
			break;
		fast_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			fast_ws(r);
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return obj;
		}
		break;
	}
	json_decref(obj);
	return NULL;
}

static json_t *fast_array(fast_reader *r, int depth)
{
	json_t *arr = json_array();

	if (!arr)
		return NULL;
	r->p++;
	fast_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return arr;
	}
	for (;;) {
		json_t *v = fast_value(r, depth);

		if (!v || json_array_append_new(arr, v))
			break;
		fast_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			fast_ws(r);
			continue;
		}
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			return arr;
		}
		break;
	}
	json_decref(arr);
	return NULL;
}

static json_t *fast_value(fast_reader *r, int depth)
{
	const char *s;
	size_t len;
	bool decoded;

	if (r->p == r->end || depth > FAST_DEPTH_MAX)
		return NULL;
	switch (*r->p) {
	case '{':
		return fast_object(r, depth + 1);
	case '[':
		return fast_array(r, depth + 1);
	case '"':
		return fast_string(r, &s, &len, &decoded) ? json_stringn_nocheck(s, len) : NULL;
	case 't':
		return fast_literal(r, "true", json_true());
	case 'f':
		return fast_literal(r, "false", json_false());
	case 'n':
		return fast_literal(r, "null", json_null());
	default:
		return fast_integer(r);
	}
}

/* The value of text, or NULL: not in the fast subset (jansson decides). */
static json_t *fast_parse(const char *text, size_t len)
{
	fast_reader r = {text, text + len, BUF_INIT};
	json_t *v;

	fast_ws(&r);
	v = fast_value(&r, 0);
	fast_ws(&r);
	if (v && r.p != r.end) {
		json_decref(v);
		v = NULL;
	}
	buf_release(&r.scratch);
	return v;
}

json_t *jcs_parse(const char *text, size_t len, sl_err *err)
{
	/* JSON_DECODE_ANY: RFC 8259 section 2 lets the text be any value.
	 * Not set, on purpose: JSON_DISABLE_EOF_CHECK (trailing bytes would be
	 * unsigned payload), JSON_ALLOW_NUL (a NUL cuts C strings short, so
	 * two readers could see different names), JSON_DECODE_INT_AS_REAL
	 * (it would round large integers silently). */
	const size_t flags = JSON_REJECT_DUPLICATES | JSON_DECODE_ANY;
	const char *nul;
	json_error_t jerr;
	json_t *v;

	if (!text) {
		text = "";
		len = 0;
	}
	nul = memchr(text, '\0', len);
	if (nul) {
		fail_at_nul(text, (size_t)(nul - text), err);
		return NULL;
	}
	if ((v = fast_parse(text, len)))
		return v;
	v = json_loadb(text, len, flags, &jerr);
	if (!v)
		fail_at(err,
			json_error_code(&jerr) == json_error_out_of_memory ? SL_ENOMEM : SL_EINVAL,
			jerr.line, jerr.column, jerr.text);
	return v;
}
