/*
 * demo.c - the synthetic local authority behind `safeledger demo`.  See
 * demo.h for what comes out; this comment is about how.
 *
 * A discrete-event simulation.  Each family is a small state machine whose
 * next steps (the referral decision, the next visit, the review conference,
 * the end of a missing episode ...) wait in one priority queue keyed by the
 * minute they happen, ties broken by the order they were queued.  The main
 * loop pops the earliest step, writes that step's events stamped with its
 * minute, and queues the steps that follow, never earlier than now.  So
 * events come out in occurred_at order without sorting anything, and memory
 * is the families with something still to happen plus a few queued steps
 * each: a family is freed as soon as no step refers to it.
 *
 * Each family has slots (S_VISIT, S_NOTE, S_REVIEW, ...) with at most one
 * live step each.  Queuing into a slot bumps the slot's token and a popped
 * step whose token is stale is dropped, which cancels a step without
 * searching the heap (closing a case silences all its routines at once).
 *
 * Timescales (DESIGN 6) are counted in working days of the rules' own
 * calendar (domain/calendar.h), so a case kept inside its timescales here
 * is inside them for the rules too.  Well-run cases stay inside
 * them with a margin; drifting families (f->drift flags) miss a few on
 * purpose.  Closures after anything serious carry a senior manager's
 * authorisation, so no closure would be refused (6.1.15).  Replayed with
 * drift 0, a history raises only the alerts that are about the family
 * rather than the service (DOMESTIC_ABUSE_HOUSEHOLD, ADULT_RISK_LINKED,
 * MISSING_PATTERN, REPEAT_PLAN) and CASELOAD_HIGH from the stretched teams;
 * tests/e2e/demo.sh holds it to that.
 *
 * Determinism: one xoshiro256** stream (Blackman and Vigna), seeded through
 * splitmix64 and consumed in the order steps run; no floating point, no
 * clock, no libc rand.  Every probability is in per mille.
 */
#include "util/common.h"

#include <jansson.h>

#include "demo/demo.h"
#include "domain/calendar.h"
#include "domain/vocab.h"
#include "util/date.h"

#define DAY 1440 /* minutes: queue keys are minutes since 1970-01-01 */
#define NEVER INT64_MAX
#define MAX_KIDS 4
#define MAX_ADULTS 3
#define MAX_CONCERNS 8
#define NO_KID 0xFD
#define K_ACTIVE 0xFE /* a step about the children in the current episode */
#define K_ALL 0xFF    /* a step about every child of the family */
#define K_RETURN 0xFC /* a return visit after a child was not seen: every child seen */
#define NO_HARM INT32_MIN

/* ---- random numbers ----------------------------------------------------- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 */
static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n): Lemire's multiply-and-shift with rejection, so no
 * value is more likely than another. */
static uint32_t rng_below(rng *r, uint32_t n)
{
	uint64_t m;
	uint32_t low;

	assert(n > 0);
	m = (rng_next(r) >> 32) * n;
	low = (uint32_t)m;
	if (low < n) {
		uint32_t floor = (uint32_t)(-n) % n;
		while (low < floor) {
			m = (rng_next(r) >> 32) * n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/* ---- the simulation's state --------------------------------------------- */

enum { G_FEMALE, G_MALE, G_OTHER, G_UNKNOWN };
static const char *const gender_words[] = {"female", "male", "other", "unknown"};

enum { R_MOTHER, R_FATHER, R_PARTNER };
static const char *const relation_words[] = {"mother", "father", "partner_of_parent"};

/* Vocabulary order: the first five are also plan (abuse) categories. */
enum { C_NEGLECT, C_PHYSICAL, C_EMOTIONAL, C_SEXUAL, C_MULTIPLE, C_EXPLOITATION, C_DOMESTIC, C_OTHER, C_NONE };
static const char *const category_words[] = {
	"neglect", "physical", "emotional", "sexual", "multiple", "exploitation", "domestic_abuse", "other",
};

/* Where a family's case is. */
enum { ST_NONE, ST_ASSESS, ST_S47, ST_CP, ST_CIN, ST_LAC };

/* Ways a case drifts; a drifting family has two or three of them. */
enum {
	D_LATE_DECISION = 1 << 0,
	D_LATE_ALLOCATION = 1 << 1,
	D_LATE_ASSESSMENT = 1 << 2,
	D_MISSED_VISITS = 1 << 3,
	D_LONG_PLAN = 1 << 4,
	D_UNACTIONED = 1 << 5, /* partner information and cumulative harm left without action */
	D_DROPPED_CONCERN = 1 << 6,
	D_LATE_MEETINGS = 1 << 7, /* ICPC, first core group, first review */
	D_NO_RETURN_INTERVIEW = 1 << 8,
	D_UNANSWERED = 1 << 9, /* escalations */
	D_QUICK_REREFERRAL = 1 << 10,
};

enum slot {
	S_MAIN, S_VISIT, S_RESPONSE, S_NOTE, S_AGENCY, S_SUPERVISION, S_MEETING, S_REVIEW, S_LAC_REVIEW,
	S_INCIDENT, S_MISSING, S_CONCERN, S_HARM, S_ESCALATION, S_BIRTH, S_COUNT
};

enum action {
	A_ARRIVAL, A_CONTACT, A_DECIDE, A_ALLOCATE, A_ASSESS_START, A_ASSESS_END, A_STRATEGY, A_S47,
	A_ICPC, A_LEGAL, A_LAC_START, A_LAC_END, A_CIN_START, A_CIN_END, A_CLOSE, A_VISIT, A_NOTE,
	A_AGENCY, A_SUPERVISION, A_MEETING, A_REVIEW, A_LAC_REVIEW, A_INCIDENT, A_MISSING_START,
	A_MISSING_END, A_RETURN_INTERVIEW, A_RESOLVE, A_HARM_STRATEGY, A_ESC_RAISE, A_ESC_ANSWER,
	A_BIRTH, A_COUNT
};

typedef struct kid {
	char id[24];
	char first[40];
	int32_t born;    /* birth date, or the expected date while unborn */
	int32_t harm[3]; /* days of the latest harm items (6.1.5), newest first */
	uint8_t gender;
	uint8_t rc; /* the closure reason decided for this child (RC number), 0: by the path */
	bool unborn, upn, active, cp, lac, cin;
	bool disabled; /* a census disability code other than NONE */
	bool missing; /* missing now, or owed a return interview */
} kid;

typedef struct adult {
	char id[24];
	char first[40];
	uint8_t relation;
	bool linked, flagged, staff_flag;
} adult;

typedef struct concern {
	uint32_t num; /* its ref is "concern-<num>" */
	int64_t due;  /* when it will be resolved; NEVER: left open */
	uint8_t kid, category;
} concern;

typedef struct family {
	uint32_t num;
	uint32_t refs; /* queued steps that point here */
	uint32_t token[S_COUNT];
	char surname[48];
	kid kids[MAX_KIDS];
	adult adults[MAX_ADULTS];
	concern concerns[MAX_CONCERNS];
	uint8_t nkids, nadults, nconcerns;
	uint16_t drift;
	uint16_t team;
	int32_t worker; /* index in the team, -1: none */
	uint8_t stage, reason, category, episodes, reviews, missing_kid, outcome;
	bool open, assessed, assessing, serious;
	bool enquired; /* a section 47 enquiry in this episode (no RC8 closure then: census rule 2990) */
	bool harm_pending; /* a strategy discussion about cumulative harm is due today */
	int32_t decided, strategy_day;
	int64_t plan_start, plan_until;
	int64_t response_at; /* a visit answering partner information is queued for then; 0: none */
	uint32_t escalation; /* the pending escalation's number, 0: none */
} family;

typedef struct item {
	int64_t key;
	uint64_t tie;
	family *fam; /* NULL: the next family's arrival */
	uint32_t token;
	uint8_t slot, action, child, dateonly;
} item;

typedef struct team {
	uint16_t *load; /* children held by each worker */
	unsigned n, cap;
	unsigned recruit_at;
} team;

typedef struct gen {
	const demo_opts *o;
	calendar *cal;
	demo_sink sink;
	void *ctx;
	sl_err *err;
	int rc;
	rng r;
	item *heap;
	size_t n, cap;
	uint64_t tie;
	int64_t now, end; /* end: the first minute after o->to */
	bool dateonly;    /* the running step's events carry a date only */
	char when[32];    /* occurred_at of the running step */
	uint64_t made;    /* children created so far */
	uint32_t families, concerns, escalations;
	team *teams;
	unsigned nteams;
	demo_stats *st;
	buf text;
} gen;

/* ---- small helpers ------------------------------------------------------- */

static int between(gen *g, int lo, int hi)
{
	assert(hi >= lo);
	return lo + (int)rng_below(&g->r, (uint32_t)(hi - lo + 1));
}

static bool chance(gen *g, unsigned per_mille)
{
	return rng_below(&g->r, 1000) < per_mille;
}

/* Index into weights[0..n) with probability proportional to the weight. */
static unsigned weighted(gen *g, const uint16_t *weights, unsigned n)
{
	unsigned total = 0, x;

	for (unsigned i = 0; i < n; i++)
		total += weights[i];
	x = rng_below(&g->r, total);
	for (unsigned i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

#define PICK(g, array) ((array)[rng_below(&(g)->r, SL_ARRAY_LEN(array))])

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int32_t today(const gen *g)
{
	return (int32_t)(g->now / DAY);
}

static int age_years(const gen *g, const kid *k)
{
	return k->unborn ? -1 : (today(g) - k->born) / 365;
}

/* ---- working days --------------------------------------------------------- */

/* A day the office is open: a working day of the calendar the rules use
 * (England and Wales bank holidays), so timescales are met or missed here
 * exactly as the rules count them. */
static bool is_open(const gen *g, int32_t day)
{
	return calendar_is_working_day(g->cal, day);
}

static int32_t open_day(const gen *g, int32_t day)
{
	return is_open(g, day) ? day : calendar_next_wd(g->cal, day);
}

/* The n-th open day after day (day itself never counts). */
static int32_t add_wd(const gen *g, int32_t day, int n)
{
	return calendar_add_wd(g->cal, day, n);
}

static int64_t at(int32_t day, int minute)
{
	return (int64_t)day * DAY + minute;
}

/* Office hours on the first open day from `day`. */
static int64_t office(gen *g, int32_t day)
{
	return at(open_day(g, day), between(g, 8 * 60 + 45, 17 * 60 + 15));
}

static int64_t in_wd(gen *g, int lo, int hi)
{
	return office(g, add_wd(g, today(g), between(g, lo, hi)));
}

static int64_t in_days(gen *g, int lo, int hi)
{
	return office(g, today(g) + between(g, lo, hi));
}

/* Later today when the office is open and there is time left, else the
 * next open morning. */
static int64_t soon(gen *g, int lo, int hi)
{
	int64_t k = g->now + between(g, lo, hi);

	if (is_open(g, today(g)) && k % DAY <= 17 * 60 + 30 && k / DAY == today(g))
		return k;
	return at(add_wd(g, today(g), 1), between(g, 9 * 60, 11 * 60 + 30));
}

/* Later the same day, out of hours if need be (the duty team works
 * evenings), but never past midnight. */
static int64_t later_today(gen *g, int lo, int hi)
{
	int64_t k = g->now + between(g, lo, hi), last = at(today(g), DAY - 1);

	return k < last ? k : last;
}

/* ---- the queue -------------------------------------------------------------- */

static bool item_before(const item *a, const item *b)
{
	return a->key < b->key || (a->key == b->key && a->tie < b->tie);
}

static void heap_push(gen *g, item it)
{
	size_t i;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->heap = xrealloc(g->heap, g->cap * sizeof(*g->heap));
	}
	i = g->n++;
	while (i > 0 && item_before(&it, &g->heap[(i - 1) / 2])) {
		g->heap[i] = g->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	g->heap[i] = it;
}

static item heap_pop(gen *g)
{
	item top = g->heap[0], last = g->heap[--g->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= g->n)
			break;
		if (c + 1 < g->n && item_before(&g->heap[c + 1], &g->heap[c]))
			c++;
		if (!item_before(&g->heap[c], &last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (g->n)
		g->heap[i] = last;
	return top;
}

/*
 * Queue a step into a family's slot, replacing whatever the slot held.  A
 * step is never earlier than now, and a timed step never sits at midnight
 * (a date-only event counts as the start of its day, 6.1.2, so midnight is
 * kept for those).  A date-only step whose day has already begun becomes a
 * timed one later that day.
 */
static void queue(gen *g, family *f, unsigned slot, unsigned action, unsigned child, int64_t key, bool dateonly)
{
	item it = {0};

	if (dateonly) {
		key -= key % DAY;
		if (key <= g->now) {
			dateonly = false;
			key += between(g, 9 * 60, 16 * 60);
		}
	}
	if (key < g->now)
		key = g->now;
	if (!dateonly && key % DAY == 0)
		key++;
	it.key = key;
	it.tie = g->tie++;
	it.fam = f;
	it.slot = (uint8_t)slot;
	it.action = (uint8_t)action;
	it.child = (uint8_t)child;
	it.dateonly = dateonly;
	if (f) {
		it.token = ++f->token[slot];
		f->refs++;
	}
	heap_push(g, it);
}

static void cancel(family *f, unsigned slot)
{
	f->token[slot]++;
}

static void unref(family *f)
{
	if (--f->refs == 0)
		free(f);
}

/* ---- names and numbers ---------------------------------------------------- */

/* Invented syllables: every name has three parts, which keeps the common
 * real first names (Ava, Leo, Mia ...) out by construction. */
static const char *const onsets[] = {
	"Bra", "Cor", "Dax", "Ebb", "Fen", "Gul", "Hesk", "Ilv", "Jor", "Kest", "Lum", "Mor",
	"Nev", "Ost", "Pell", "Quil", "Rud", "Sev", "Tor", "Ulv", "Varr", "Wyl", "Yor", "Zeph",
	"Ast", "Eld", "Ith", "Orv", "Thal", "Brin", "Cael", "Dru", "Fael", "Gav", "Hul", "Kir",
	"Mav", "Nim", "Piv", "Rask", "Sol", "Tiv", "Vash", "Xan", "Zor", "Aub", "Ner", "Oss",
};
static const char *const middles[] = {"ar", "el", "i", "o", "an", "ev", "ul", "yr", "um", "ad", "is", "ot"};
static const char *const female_ends[] = {
	"ela", "ira", "enne", "ova", "ith", "alie", "ysse", "orah", "iel", "ette", "ina", "wyn", "ée", "isa",
};
static const char *const male_ends[] = {
	"ick", "an", "ord", "ell", "os", "im", "ur", "ek", "ace", "ion", "arth", "ovan", "en", "aël",
};
static const char *const surname_ends[] = {
	"holt", "wick", "mere", "by", "dale", "thorne", "brook", "ridge", "stead", "ward",
	"combe", "field", "worth", "ington", "croft", "shaw", "more", "ley",
};

static void make_first(gen *g, char *out, size_t cap, unsigned gender)
{
	buf b = BUF_INIT;
	bool female = gender == G_FEMALE || (gender != G_MALE && chance(g, 500));

	buf_puts(&b, PICK(g, onsets));
	buf_puts(&b, PICK(g, middles));
	buf_puts(&b, female ? PICK(g, female_ends) : PICK(g, male_ends));
	copy_str(out, cap, b.data);
	buf_release(&b);
}

static void make_surname(gen *g, char *out, size_t cap)
{
	buf b = BUF_INIT;

	if (chance(g, 20))
		buf_puts(&b, "O'");
	buf_puts(&b, PICK(g, onsets));
	buf_puts(&b, PICK(g, middles));
	buf_puts(&b, PICK(g, surname_ends));
	if (chance(g, 40)) {
		buf_putc(&b, '-');
		buf_puts(&b, PICK(g, onsets));
		buf_puts(&b, PICK(g, surname_ends));
	}
	copy_str(out, cap, b.data);
	buf_release(&b);
}

/* A partner agency's author: a made-up "First Surname". */
static void make_full_name(gen *g, buf *b)
{
	char first[40], last[48];

	make_first(g, first, sizeof(first), chance(g, 600) ? G_FEMALE : G_MALE);
	make_surname(g, last, sizeof(last));
	buf_printf(b, "%s %s", first, last);
}

/* An NHS number from the 999 range (never issued; kept for test data) with
 * its modulus 11 check digit.  A body of nine digits whose check would be
 * 10 is never issued either, so draw again. */
static void make_nhs_number(gen *g, char out[11])
{
	for (;;) {
		int sum = 0, check;

		out[0] = out[1] = out[2] = '9';
		for (int i = 3; i < 9; i++)
			out[i] = (char)('0' + rng_below(&g->r, 10));
		for (int i = 0; i < 9; i++)
			sum += (out[i] - '0') * (10 - i);
		check = 11 - sum % 11;
		if (check == 11)
			check = 0;
		if (check == 10)
			continue;
		out[9] = (char)('0' + check);
		out[10] = '\0';
		assert(vocab_nhs_number_valid(out));
		return;
	}
}

/* A UPN (DfE "Unique pupil numbers" guidance): a check letter, then LA code
 * (201: one the census validation recognises - rule 1530 refuses a code no
 * authority has), establishment number, year of allocation and
 * a serial.  The check letter is the sum of characters 2-13 weighted 2..13,
 * modulo 23, read from the letters that cannot be mistaken for digits. */
static void make_upn(gen *g, int32_t born, char out[14])
{
	static const char letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";
	int y, m, d, sum = 0;

	date_to_ymd(born, &y, &m, &d);
	y = (y + 4) % 100;
	out[1] = '2';
	out[2] = '0';
	out[3] = '1';
	for (int i = 4; i < 8; i++)
		out[i] = (char)('0' + rng_below(&g->r, 10));
	out[8] = (char)('0' + y / 10);
	out[9] = (char)('0' + y % 10);
	for (int i = 10; i < 13; i++)
		out[i] = (char)('0' + rng_below(&g->r, 10));
	for (int i = 1; i < 13; i++)
		sum += (out[i] - '0') * (i + 1);
	out[0] = letters[sum % 23];
	out[13] = '\0';
}

/* ---- logins ----------------------------------------------------------------- */

static void worker_login(const family *f, char out[24])
{
	snprintf(out, 24, "sw-t%u-%02u", (unsigned)f->team + 1, (unsigned)f->worker + 1);
}

static void manager_login(const family *f, char out[24])
{
	snprintf(out, 24, "tm-t%u", (unsigned)f->team + 1);
}

static void team_name(const family *f, char out[24])
{
	snprintf(out, 24, "Team %u", (unsigned)f->team + 1);
}

static void mash_login(gen *g, char out[24])
{
	snprintf(out, 24, "mash-%02u", rng_below(&g->r, 5) + 1);
}

static void senior_login(gen *g, char out[24])
{
	snprintf(out, 24, "sm-%02u", rng_below(&g->r, 3) + 1);
}

/* Whoever does a case's routine work: its worker, or the front door's duty
 * worker while it has none. */
static void case_login(gen *g, const family *f, char out[24])
{
	if (f->worker >= 0)
		worker_login(f, out);
	else
		mash_login(g, out);
}

/* ---- building events ----------------------------------------------------- */

static void format_when(gen *g)
{
	int y, m, d, minute = (int)(g->now % DAY);

	date_to_ymd(today(g), &y, &m, &d);
	if (g->dateonly)
		snprintf(g->when, sizeof(g->when), "%04d-%02d-%02d", y, m, d);
	else
		snprintf(g->when, sizeof(g->when), "%04d-%02d-%02dT%02d:%02d:00Z", y, m, d, minute / 60, minute % 60);
}

/* Every string here is built from this file's ASCII and UTF-8 literals, so
 * jansson's UTF-8 check (a fifth of the generator's time) is skipped. */
static json_t *str(const char *s)
{
	return json_string_nocheck(s);
}

static json_t *by_user(const char *login)
{
	json_t *by = json_object();

	json_object_set_new(by, "user", str(login));
	return by;
}

static json_t *by_agency(gen *g, const char *agency, const char *role)
{
	json_t *by = json_object();
	buf name = BUF_INIT;

	json_object_set_new(by, "agency", str(agency));
	if (role)
		json_object_set_new(by, "role", str(role));
	make_full_name(g, &name);
	json_object_set_new(by, "name", str(name.data));
	buf_release(&name);
	return by;
}

/* A new event stamped now; the caller fills *data. */
static json_t *event_new(gen *g, const char *kind, json_t *by, json_t **data)
{
	json_t *ev = json_object();

	json_object_set_new(ev, "kind", str(kind));
	json_object_set_new(ev, "occurred_at", str(g->when));
	json_object_set_new(ev, "by", by);
	*data = json_object();
	json_object_set_new(ev, "data", *data);
	return ev;
}

static void emit(gen *g, json_t *ev)
{
	if (!g->rc) {
		g->st->events++;
		g->st->day = today(g);
		g->rc = g->sink(g->ctx, ev, g->err);
	}
	json_decref(ev);
}

static void set_str(json_t *obj, const char *key, const char *value)
{
	json_object_set_new(obj, key, str(value));
}

static void set_bool(json_t *obj, const char *key, bool value)
{
	json_object_set_new(obj, key, json_boolean(value));
}

/* An event about one child with one more string field (most kinds). */
static void emit_child(gen *g, const char *kind, json_t *by, const kid *k, const char *key, const char *value)
{
	json_t *data, *ev = event_new(g, kind, by, &data);

	set_str(data, "child", k->id);
	if (key)
		set_str(data, key, value);
	emit(g, ev);
}

/* ---- free text --------------------------------------------------------------- */

static const char *parent_name(const family *f)
{
	for (unsigned i = 0; i < f->nadults; i++)
		if (f->adults[i].linked)
			return f->adults[i].first;
	return f->adults[0].first;
}

/* Append template t to g->text (reset first unless `more`) with '@' read
 * as the child's first name and '~' as the adult's.  Templates are string
 * literals, never printf formats, so a name can hold any character. */
static void say_names(gen *g, bool more, const char *t, const char *child, const char *grown_up)
{
	if (!more)
		buf_reset(&g->text);
	else if (g->text.len)
		buf_putc(&g->text, ' ');
	for (;;) {
		size_t run = strcspn(t, "@~");

		buf_append(&g->text, t, run);
		t += run;
		if (!*t)
			break;
		buf_puts(&g->text, *t == '@' ? child : grown_up);
		t++;
	}
}

/* The usual case: about child k (may be NULL) and the family's first parent. */
static void say(gen *g, bool more, const char *t, const family *f, const kid *k)
{
	say_names(g, more, t, k ? k->first : "the child", parent_name(f));
}

#define SAY(g, more, array, f, k) say(g, more, PICK(g, array), f, k)

static const char *const visit_openers[] = {
	"Announced home visit.", "Unannounced home visit.", "Home visit after school.",
	"Visit at school, in a quiet room.", "Joint home visit with the health visitor.", "Early evening home visit.",
	"Home visit with the family support worker.",
};
static const char *const seen_baby[] = {
	"@ was seen in the cot, clean, alert and settled.",
	"@ was seen being fed by ~; warm eye contact between them.",
	"@ was seen on the play mat; weight gain noted in the red book.",
	"@ was seen at bath time; skin clear and no marks seen.",
};
static const char *const seen_young[] = {
	"@ was seen playing with toys in the living room and chatted about nursery.",
	"@ showed me their bedroom, which had a bed, clean bedding and some toys.",
	"@ was seen with ~ and seemed relaxed and comfortable with them.",
	"@ was shy at first, then drew a picture of everyone in the house.",
	"@ was seen and talked about a trip to the park at the weekend.",
};
static const char *const seen_older[] = {
	"@ was seen and spoke about school, friends and football.",
	"@ talked about worries at home and said things had been calmer this week.",
	"@ was seen and used the three houses tool to talk about what is going well.",
	"@ was quiet and did not want to talk much; we agreed to meet at school next time.",
	"@ was seen and showed me a certificate from school for good attendance.",
};
static const char *const seen_unborn[] = {
	"Pre-birth visit: ~ seen; antenatal appointments are being kept.",
	"Pre-birth visit: ~ seen; a cot and baby clothes are ready.",
	"Pre-birth visit: ~ seen; we talked about support after the birth and safe sleeping.",
};
static const char *const not_seen[] = {
	"No answer at the door; a card was left and ~ was phoned.",
	"@ was at a relative's house; the visit is being rearranged.",
	"~ cancelled the visit by text an hour before.",
	"@ was asleep and ~ asked us not to wake them; a return visit is booked.",
};
static const char *const home_notes[] = {
	"The home was warm and reasonably tidy.", "There was food in the fridge and cupboards.",
	"The kitchen was cluttered and there was a smell of damp in the bathroom.",
	"~ said money is tight; a food bank voucher was given.",
	"The home was cold; ~ said the meter had run out.",
	"~ was proud of the new carpet in the hallway.",
};
static const char *const next_steps[] = {
	"Plan discussed; next visit booked.", "Agreed actions were reviewed with ~.",
	"Will follow up with school about attendance.", "Will chase the GP about the missed appointment.",
	"Will share the update with the core group.", "Will check in with ~ by phone on Friday.",
};
static const char *const note_texts[] = {
	"Phone call with school: @'s attendance is 92% this half term.",
	"Email from the health visitor: @'s immunisations are now up to date.",
	"Phone call with ~ about the next meeting; ~ will attend.",
	"Text from ~ asking to move the visit; rearranged for Thursday.",
	"Case discussion with the team manager about next steps for @.",
	"Chronology updated for @ after the last meeting.",
	"Letter sent to ~ confirming the plan and the dates agreed.",
	"Checked with the police: no new call-outs to the address.",
	"Referral made to the family support worker for help with routines.",
	"Phone call with the housing officer about rent arrears.",
	"Direct work session with @ planned for next week.",
	"GP confirmed ~ is engaging with the mental health team.",
	"Nursery reports @ is settling well and eating lunch.",
	"Spoke to the maternal grandmother, who can help with school runs.",
	"Transport arranged for @'s contact with their father.",
	"Direct work with @ using the wishes and feelings workbook.",
	"Phone call with the school nurse about @'s sleep.",
	"~ phoned upset about a letter from the council; advice given.",
};
static const char *const note_extras[] = {
	"No new concerns.", "Will discuss in supervision.", "Plan remains appropriate.",
	"Recorded on the chronology.", "~ was open and cooperative.", "Follow-up call booked.",
};

/* ---- the families' story, step by step ------------------------------------ */

typedef struct reason {
	const char *source; /* CIN referral source code */
	const char *agency; /* the sender, or NULL when phoned in to the front door */
	const char *role;
	uint8_t cat[2];  /* concern categories, C_NONE for none */
	uint8_t need;    /* CIN primary need N1..N9 */
	uint8_t severity; /* 0 low .. 2 high */
	uint8_t who;     /* which child it is about */
	uint16_t weight;
	const char *summary;
} reason;

enum { W_ANY, W_TEEN, W_SCHOOL, W_BABY, W_UNBORN };

static const reason reasons[] = {
	{"6", "police", "MASH police officer", {C_DOMESTIC, C_EMOTIONAL}, 1, 1, W_ANY, 120,
	 "Police attended a domestic incident at the home overnight; @ was in the house and ~ had a cut lip."},
	{"2A", "education", "Designated safeguarding lead", {C_NEGLECT, C_NONE}, 1, 0, W_SCHOOL, 120,
	 "School report that @ often arrives hungry and in unwashed uniform, and attendance has fallen to 83%."},
	{"3B", "health", "Health visitor", {C_NEGLECT, C_NONE}, 1, 0, W_BABY, 80,
	 "Health visitor concerned about home conditions and three missed appointments for @; ~ seemed low in mood."},
	{"3E", "health", "A&E nurse", {C_PHYSICAL, C_NONE}, 1, 2, W_ANY, 50,
	 "@ attended A&E with bruising to the upper arm; the explanation given by ~ did not fit the injury."},
	{"3A", "health", "GP", {C_EMOTIONAL, C_NONE}, 3, 0, W_ANY, 60,
	 "GP reports that ~ has a worsening mental health condition and is struggling to care for @."},
	{"1A", NULL, NULL, {C_NEGLECT, C_NONE}, 4, 0, W_ANY, 60,
	 "Maternal grandmother phoned, worried that @ is left alone in the evenings while ~ goes out."},
	{"9", NULL, NULL, {C_NEGLECT, C_NONE}, 5, 0, W_ANY, 30,
	 "Anonymous caller reports shouting at the address most nights and @ outside late without a coat."},
	{"1C", NULL, NULL, {C_EMOTIONAL, C_NONE}, 5, 1, W_TEEN, 20,
	 "@ rang the front door asking for help, saying arguments with ~ have become physical."},
	{"6", "police", "Missing persons coordinator", {C_EXPLOITATION, C_NONE}, 6, 2, W_TEEN, 40,
	 "@ was found by police in another town with older males, carrying cash and a second phone."},
	{"2A", "education", "Head teacher", {C_SEXUAL, C_NONE}, 1, 2, W_SCHOOL, 20,
	 "@ made a disclosure to a teacher about an adult known to the family; the school followed its procedure."},
	{"4", "housing", "Housing officer", {C_NEGLECT, C_NONE}, 7, 0, W_ANY, 30,
	 "Housing officer found the flat in very poor condition at an eviction visit; @ sleeps on a mattress on the floor."},
	{"7", "probation", "Probation officer", {C_DOMESTIC, C_NONE}, 1, 2, W_UNBORN, 30,
	 "Probation officer reports that the father of ~'s unborn baby has convictions for violence against a former partner."},
	{"3D", "health", "Community midwife", {C_NEGLECT, C_NONE}, 3, 1, W_UNBORN, 30,
	 "Midwife concerned that ~ has missed antenatal care and has made no preparations for the baby."},
	{"5D", "early_help", "Family support worker", {C_NEGLECT, C_NONE}, 4, 0, W_ANY, 50,
	 "Early help step-up: little progress after six months of family support, and @'s attendance is still poor."},
	{"1B", NULL, NULL, {C_NEGLECT, C_NONE}, 5, 0, W_ANY, 20,
	 "Neighbour reports @ is often outside alone until late and the curtains are always drawn."},
	{"5B", "other", "Youth justice worker", {C_EXPLOITATION, C_NONE}, 6, 1, W_TEEN, 20,
	 "Youth justice worker reports @ is spending time with older young people linked to drug supply."},
	{"8", "voluntary", "Children's centre worker", {C_EMOTIONAL, C_NONE}, 4, 0, W_ANY, 20,
	 "Children's centre worker concerned about ~'s harsh handling of @ at a play session."},
	{"3C", "health", "School nurse", {C_OTHER, C_NONE}, 4, 1, W_TEEN, 20,
	 "School nurse reports @ has been self-harming and says things at home are very difficult."},
	{"2B", "education", "Education welfare officer", {C_NEGLECT, C_NONE}, 8, 0, W_SCHOOL, 20,
	 "Education welfare officer reports persistent absence for @ and no reply from ~ to letters."},
	{"5C", "other_la", "Social worker", {C_NEGLECT, C_NONE}, 5, 1, W_ANY, 15,
	 "Neighbouring authority reports the family has moved here while an assessment of @ was under way."},
	{"3F", "health", "Paediatrician", {C_NEGLECT, C_NONE}, 2, 1, W_ANY, 10,
	 "Paediatrician reports missed reviews of @'s epilepsy medication over six months."},
	{"5A", "social_care", "Adult social care worker", {C_NEGLECT, C_NONE}, 3, 0, W_SCHOOL, 10,
	 "Adult social care report that ~'s care needs have grown and @ is doing most of the caring."},
	{"1D", NULL, NULL, {C_NONE, C_NONE}, 9, 0, W_ANY, 8,
	 "A member of the public saw @ being shouted at in the street and gave no other details."},
	{"10", NULL, NULL, {C_NEGLECT, C_NONE}, 4, 0, W_ANY, 8,
	 "Concern about @'s care passed on without the referrer's details."},
	{"3A", "health", "GP", {C_OTHER, C_NONE}, 2, 0, W_ANY, 10,
	 "GP asks for an assessment of support for @, who has a learning disability, as ~ is exhausted."},
};

static bool reason_fits(const reason *r, int teen, int school, int baby, int unborn)
{
	switch (r->who) {
	case W_TEEN: return teen >= 0;
	case W_SCHOOL: return school >= 0;
	case W_BABY: return baby >= 0;
	case W_UNBORN: return unborn >= 0;
	default: return true;
	}
}

/* ---- workers and teams --------------------------------------------------- */

/* The least-loaded worker of the family's team, recruiting one when even
 * they are at the team's limit: so caseloads settle a little under the
 * limit, and the stretched teams (whose limit is higher) run over 20. */
static void allocate_worker(gen *g, family *f, unsigned children)
{
	team *t = &g->teams[f->team];
	unsigned best = 0;

	for (unsigned i = 1; i < t->n; i++)
		if (t->load[i] < t->load[best])
			best = i;
	if (t->n == 0 || t->load[best] >= t->recruit_at) {
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 8;
			t->load = xrealloc(t->load, t->cap * sizeof(*t->load));
		}
		t->load[t->n] = 0;
		best = t->n++;
		g->st->workers++;
	}
	t->load[best] = (uint16_t)(t->load[best] + children);
	f->worker = (int32_t)best;
}

static void release_worker(gen *g, family *f, unsigned children)
{
	team *t = &g->teams[f->team];

	if (f->worker < 0)
		return;
	t->load[f->worker] = (uint16_t)(t->load[f->worker] - children);
	f->worker = -1;
}

static unsigned active_count(const family *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < f->nkids; i++)
		n += f->kids[i].active;
	return n;
}

static bool any_kid(const family *f, bool (*test)(const kid *k))
{
	for (unsigned i = 0; i < f->nkids; i++)
		if (f->kids[i].active && test(&f->kids[i]))
			return true;
	return false;
}

static bool kid_cp(const kid *k)
{
	return k->cp;
}

static bool kid_lac(const kid *k)
{
	return k->lac;
}

static bool kid_born(const kid *k)
{
	return !k->unborn;
}

static bool kid_missing(const kid *k)
{
	return k->missing;
}

/* A random child of the current episode (there is always one while open). */
static kid *some_active(gen *g, family *f)
{
	unsigned n = active_count(f), x;

	assert(n > 0);
	x = rng_below(&g->r, n);
	for (unsigned i = 0; i < f->nkids; i++)
		if (f->kids[i].active && x-- == 0)
			return &f->kids[i];
	return &f->kids[0];
}

static adult *some_linked_adult(gen *g, family *f)
{
	unsigned n = 0, x;

	for (unsigned i = 0; i < f->nadults; i++)
		n += f->adults[i].linked;
	if (n == 0)
		return NULL;
	x = rng_below(&g->r, n);
	for (unsigned i = 0; i < f->nadults; i++)
		if (f->adults[i].linked && x-- == 0)
			return &f->adults[i];
	return NULL;
}

/* ---- people ------------------------------------------------------------------- */

static void register_adult(gen *g, family *f, adult *a, unsigned relation, const char *login)
{
	json_t *data, *ev = event_new(g, "person.registered", by_user(login), &data);
	buf name = BUF_INIT;
	char nhs[11], last[48];

	snprintf(a->id, sizeof(a->id), "A%u-%u", f->num, (unsigned)(a - f->adults) + 1);
	a->relation = (uint8_t)relation;
	a->linked = true;
	make_first(g, a->first, sizeof(a->first), relation == R_MOTHER ? G_FEMALE : G_MALE);
	if (relation == R_MOTHER || chance(g, 400))
		copy_str(last, sizeof(last), f->surname);
	else
		make_surname(g, last, sizeof(last));
	buf_printf(&name, "%s %s", a->first, last);
	set_str(data, "id", a->id);
	set_str(data, "role", "adult");
	set_str(data, "name", name.data);
	if (chance(g, 850)) {
		buf day = BUF_INIT;
		date_format_day(&day, today(g) - 365 * between(g, 18, 48) - between(g, 0, 364));
		set_str(data, "born", day.data);
		buf_release(&day);
	}
	set_str(data, "gender", relation == R_MOTHER ? "female" : "male");
	if (chance(g, 800)) {
		make_nhs_number(g, nhs);
		set_str(data, "nhs_number", nhs);
	}
	emit(g, ev);
	buf_release(&name);
	g->st->adults++;
}

/* The census's facts about a child (vocabulary v1.1): ethnicity in
 * roughly England's proportions of children in need, a disability now and
 * then (NONE otherwise, so the item is never blank), and the reason a
 * child has no UPN. */
static const char *const ethnicity_codes[] = {"WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA",
					      "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
					      "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"};
static const uint16_t ethnicity_weights[] = {640, 8, 6, 60, 8, 22, 12, 14, 30, 14, 30, 14, 14, 14,
					      40, 12, 4, 24, 6, 28};
static const char *const disability_codes[] = {"MOB", "HAND", "PC", "INC", "COMM", "LD",
					       "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"};
static const char *const sex_codes[] = {[G_FEMALE] = "F", [G_MALE] = "M", [G_OTHER] = "U", [G_UNKNOWN] = "U"};

static void census_facts(gen *g, json_t *data, kid *k)
{
	json_t *list = json_array();
	unsigned n = chance(g, 880) ? 0 : chance(g, 750) ? 1 : 2;
	int age = age_years(g, k);

	set_str(data, "sex", sex_codes[k->gender]);
	set_str(data, "ethnicity", ethnicity_codes[weighted(g, ethnicity_weights, SL_ARRAY_LEN(ethnicity_weights))]);
	k->disabled = n > 0;
	if (n == 0)
		json_array_append_new(list, str("NONE"));
	while (n--) {
		const char *c = PICK(g, disability_codes);
		size_t i;
		for (i = 0; i < json_array_size(list); i++)
			if (strcmp(json_string_value(json_array_get(list, i)), c) == 0)
				break;
		if (i == json_array_size(list))
			json_array_append_new(list, str(c));
	}
	json_object_set_new(data, "disabilities", list);
	/* No UPN yet: under 6 (and unborn) is UN1; older, newly arrived now
	 * and then (UN4), else not yet assigned (UN6). */
	if (!k->upn)
		set_str(data, "upn_unknown", age < 6 ? "UN1" : chance(g, 250) ? "UN4" : "UN6");
}

static void register_kid(gen *g, family *f, kid *k, const char *login)
{
	json_t *data, *ev = event_new(g, "person.registered", by_user(login), &data);
	buf text = BUF_INIT;
	char nhs[11], upn[14];

	set_str(data, "id", k->id);
	set_str(data, "role", "child");
	if (k->unborn) {
		buf_printf(&text, "Unborn %s", f->surname);
		set_str(data, "name", text.data);
		buf_reset(&text);
		date_format_day(&text, k->born);
		set_str(data, "expected", text.data);
	} else {
		buf_printf(&text, "%s %s", k->first, f->surname);
		set_str(data, "name", text.data);
		buf_reset(&text);
		date_format_day(&text, k->born);
		set_str(data, "born", text.data);
		set_str(data, "gender", gender_words[k->gender]);
		if (chance(g, 950)) {
			make_nhs_number(g, nhs);
			set_str(data, "nhs_number", nhs);
		}
		if (age_years(g, k) >= 5 && chance(g, 850)) {
			make_upn(g, k->born, upn);
			set_str(data, "upn", upn);
			k->upn = true;
		}
	}
	census_facts(g, data, k);
	emit(g, ev);
	buf_release(&text);
	g->st->children++;
}

static void link(gen *g, const char *a, const char *b, const char *relation, const char *login, const char *kind)
{
	json_t *data, *ev = event_new(g, kind, by_user(login), &data);

	set_str(data, "a", a);
	set_str(data, "b", b);
	set_str(data, "relation", relation);
	emit(g, ev);
}

static void link_adult(gen *g, family *f, adult *a, const char *login)
{
	for (unsigned i = 0; i < f->nkids; i++)
		link(g, a->id, f->kids[i].id, relation_words[a->relation], login, "person.linked");
}

/* Children's ages at arrival, youngest last: the eldest 0-16, the others
 * one to four years younger each, and now and then an unborn baby. */
static void make_kids(gen *g, family *f, unsigned n)
{
	static const uint16_t age_weights[] = {90, 70, 60, 55, 55, 60, 60, 60, 55, 55, 60, 65, 70, 75, 80, 70, 45};
	int32_t day = today(g);
	int age_days = (int)weighted(g, age_weights, SL_ARRAY_LEN(age_weights)) * 365 + between(g, 0, 364);
	bool unborn = chance(g, n == 1 ? 120 : 180);

	for (unsigned i = 0; i < n; i++) {
		kid *k = &f->kids[i];

		/* Letters and digits only: the census's LAchildID (rules 1570,
		 * 1580) is the child's id. */
		snprintf(k->id, sizeof(k->id), "C%uN%u", f->num, i + 1);
		k->harm[0] = k->harm[1] = k->harm[2] = NO_HARM;
		if (i + 1 == n && unborn) {
			k->unborn = true;
			k->gender = G_UNKNOWN;
			k->born = day + between(g, 30, 200);
			copy_str(k->first, sizeof(k->first), "the baby");
			break;
		}
		if (i > 0)
			age_days -= between(g, 330, 1500);
		if (age_days < 30)
			age_days = between(g, 30, 300);
		k->born = day - age_days;
		k->gender = chance(g, 10) ? (uint8_t)(chance(g, 500) ? G_OTHER : G_UNKNOWN)
					  : (uint8_t)(chance(g, 500) ? G_FEMALE : G_MALE);
		make_first(g, k->first, sizeof(k->first), k->gender);
	}
}

/*
 * When the next family arrives, spread by children so that family sizes do
 * not bunch them: the first 25% of the children are the caseload the
 * authority already holds when the record starts, all referred in its first
 * 60 days; the rest arrive evenly over the remaining period.
 */
static int32_t arrival_day(gen *g)
{
	const demo_opts *o = g->o;
	uint64_t pos = g->made * 1000 + rng_below(&g->r, 1000), total = o->children * 1000;
	uint64_t head = total * 25 / 100;
	int64_t span = o->to - o->from, warm = span < 240 ? span / 4 : 60;

	if (pos < head)
		return o->from + (int32_t)(warm * (int64_t)pos / (int64_t)head);
	return o->from + (int32_t)(warm + (span - warm) * (int64_t)(pos - head) / (int64_t)(total - head));
}

/* A family arrives: the front door registers everyone and links them (a
 * is the relation of b), then takes the contact. */
static void step_arrival(gen *g, family *unused, unsigned child)
{
	static const uint16_t size_weights[] = {42, 31, 18, 9};
	family *f = xcalloc(1, sizeof(*f));
	char login[24];
	unsigned n = weighted(g, size_weights, 4) + 1;
	uint64_t left = g->o->children - g->made;

	(void)unused;
	(void)child;
	if (n > left)
		n = (unsigned)left;
	f->num = ++g->families;
	f->worker = -1;
	f->missing_kid = NO_KID;
	f->team = (uint16_t)rng_below(&g->r, g->nteams);
	g->made += n;
	g->st->families++;
	if (chance(g, g->o->drift_pct * 10)) {
		static const uint16_t flags[] = {14, 8, 20, 22, 18, 18, 16, 10, 8, 6, 6};
		unsigned k = (unsigned)between(g, 2, 3);
		while (k--)
			f->drift |= (uint16_t)(1u << weighted(g, flags, SL_ARRAY_LEN(flags)));
	}
	make_surname(g, f->surname, sizeof(f->surname));
	f->nkids = (uint8_t)n;
	make_kids(g, f, n);
	mash_login(g, login);

	f->nadults = 1;
	register_adult(g, f, &f->adults[0], chance(g, 940) ? R_MOTHER : R_FATHER, login);
	if (f->adults[0].relation == R_MOTHER && chance(g, 650)) {
		f->nadults = 2;
		register_adult(g, f, &f->adults[1], chance(g, 750) ? R_FATHER : R_PARTNER, login);
	}
	for (unsigned i = 0; i < n; i++)
		register_kid(g, f, &f->kids[i], login);
	for (unsigned i = 0; i < f->nadults; i++)
		link_adult(g, f, &f->adults[i], login);
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++)
			link(g, f->kids[i].id, f->kids[j].id, "sibling", login, "person.linked");
	for (unsigned i = 0; i < n; i++)
		if (f->kids[i].unborn)
			queue(g, f, S_BIRTH, A_BIRTH, i, at(f->kids[i].born + between(g, -14, 10), 0), true);
	queue(g, f, S_MAIN, A_CONTACT, K_ACTIVE, g->now + between(g, 5, 40), false);

	if (g->made < g->o->children)
		queue(g, NULL, S_MAIN, A_ARRIVAL, NO_KID, office(g, arrival_day(g)), false);
}

/* ---- contact, referral, allocation ---------------------------------------- */

static void step_contact(gen *g, family *f, unsigned child)
{
	int teen = -1, school = -1, baby = -1, unborn = -1, first = -1, alone = -1;
	const reason *r;
	char login[24];
	unsigned eligible = 0;

	(void)child;
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];
		int age = age_years(g, k);

		k->active = k->cp = k->lac = k->cin = false;
		k->rc = 0;
		if (age >= 17)
			continue;
		eligible++;
		if (first < 0)
			first = (int)i;
		if (k->unborn)
			unborn = (int)i;
		else if (age >= 12)
			teen = (int)i;
		if (age >= 5)
			school = (int)i;
		if (age >= 0 && age <= 1)
			baby = (int)i;
	}
	if (eligible == 0)
		return; /* everyone has grown up: the family's story ends */
	do
		r = &PICK(g, reasons);
	while (!reason_fits(r, teen, school, baby, unborn) || (r->who == W_ANY && !chance(g, 700)));
	f->reason = (uint8_t)(r - reasons);

	/* Usually every child of the household; a teenager's own trouble, an
	 * unborn baby now and then, or one child now and then, alone. */
	if (r->who == W_TEEN)
		alone = teen;
	else if (r->who == W_UNBORN)
		alone = chance(g, 400) ? unborn : -1;
	else if (eligible > 1 && chance(g, 150))
		alone = r->who == W_BABY ? baby : school >= 0 ? school : first;
	for (unsigned i = 0; i < f->nkids; i++)
		f->kids[i].active = alone >= 0 ? (int)i == alone : age_years(g, &f->kids[i]) < 17;

	f->missing_kid = NO_KID;
	if (teen >= 0 && f->kids[teen].active &&
	    chance(g, r->cat[0] == C_EXPLOITATION ? 850 : 250))
		f->missing_kid = (uint8_t)teen;

	f->episodes++;
	f->serious = false;
	f->enquired = false;
	f->assessing = false;
	f->stage = ST_NONE;
	mash_login(g, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];
		json_t *data, *ev, *by, *cats;

		if (!k->active)
			continue;
		by = r->agency && chance(g, 400) ? by_agency(g, r->agency, r->role) : by_user(login);
		ev = event_new(g, "contact.received", by, &data);
		set_str(data, "child", k->id);
		set_str(data, "source", r->source);
		say(g, false, r->summary, f, k);
		set_str(data, "summary", g->text.data);
		if (r->cat[0] != C_NONE) {
			cats = json_array();
			for (unsigned c = 0; c < 2 && r->cat[c] != C_NONE; c++)
				json_array_append_new(cats, str(category_words[r->cat[c]]));
			json_object_set_new(data, "categories", cats);
		}
		emit(g, ev);
	}
	if ((f->drift & D_LATE_DECISION) && chance(g, 600))
		queue(g, f, S_MAIN, A_DECIDE, K_ACTIVE, in_wd(g, 2, 4), false);
	else
		queue(g, f, S_MAIN, A_DECIDE, K_ACTIVE, soon(g, 60, 300), false);
}

/* ---- routines while a case is open --------------------------------------- */

static const char *const need_codes[] = {"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"};

/* Whoever covers a case's office work now: its worker mostly, else the
 * team manager. */
static void office_login(gen *g, const family *f, char out[24])
{
	if (f->worker >= 0 && chance(g, 850))
		worker_login(f, out);
	else if (f->worker >= 0)
		manager_login(f, out);
	else
		mash_login(g, out);
}

/* A minute in office hours at or after key. */
static int64_t to_office(gen *g, int64_t key)
{
	int32_t day = (int32_t)(key / DAY);
	int minute = (int)(key % DAY);

	if (is_open(g, day) && minute >= 8 * 60 + 30 && minute <= 17 * 60 + 45)
		return key;
	return office(g, minute > 17 * 60 + 45 ? day + 1 : day);
}

static void queue_note(gen *g, family *f)
{
	/* case notes per child per week, in tenths */
	static const uint8_t rate[] = {[ST_NONE] = 15, [ST_ASSESS] = 40, [ST_S47] = 50, [ST_CP] = 45,
				       [ST_CIN] = 30, [ST_LAC] = 20};
	int64_t mean = (int64_t)7 * DAY * 10 / ((int64_t)rate[f->stage] * active_count(f));

	queue(g, f, S_NOTE, A_NOTE, K_ACTIVE, to_office(g, g->now + mean / 4 + rng_below(&g->r, (uint32_t)(mean * 3 / 2))),
	      false);
}

static bool any_cp(const family *f)
{
	return any_kid(f, kid_cp);
}

static bool any_lac(const family *f)
{
	return any_kid(f, kid_lac);
}

/* The next routine visit: on a plan every 4-7 working days (6.1.9 allows
 * 10), looked after every 3-5 weeks (6 allowed), and soon after a visit
 * where a child was not seen. */
static int64_t next_visit(gen *g, family *f, bool all_seen)
{
	bool missed = (f->drift & D_MISSED_VISITS) && chance(g, 300);

	if (any_cp(f)) {
		if (missed)
			return in_wd(g, 11, 18);
		return all_seen ? in_wd(g, 4, 7) : in_wd(g, 1, 2);
	}
	if (any_lac(f)) {
		if (missed)
			return in_days(g, 44, 60);
		return all_seen ? in_days(g, 21, 35) : in_days(g, 2, 5);
	}
	if (f->stage == ST_CIN)
		return in_wd(g, 6, 12);
	return in_wd(g, 4, 10);
}

static void visit_summary(gen *g, const family *f, const kid *k, bool seen)
{
	int age = age_years(g, k);

	SAY(g, false, visit_openers, f, k);
	if (!seen)
		SAY(g, true, not_seen, f, k);
	else if (k->unborn)
		SAY(g, true, seen_unborn, f, k);
	else if (age < 2)
		SAY(g, true, seen_baby, f, k);
	else if (age < 8)
		SAY(g, true, seen_young, f, k);
	else
		SAY(g, true, seen_older, f, k);
	if (chance(g, 600))
		SAY(g, true, home_notes, f, k);
	if (chance(g, 700))
		SAY(g, true, next_steps, f, k);
}

/* child: K_ACTIVE for the routine visit, K_RETURN (every child seen) for
 * the return after a child was missed, K_ALL for a visit answering
 * partner information (every child of the household, in the case or not). */
static void step_visit(gen *g, family *f, unsigned child)
{
	bool all_seen = true;
	char login[24];

	if (!f->open && child != K_ALL)
		return;
	if (child == K_ALL)
		f->response_at = 0;
	case_login(g, f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];
		json_t *data, *ev;
		bool seen;

		if (child != K_ALL && !k->active)
			continue;
		seen = k->unborn || child == K_RETURN || chance(g, (f->drift & D_MISSED_VISITS) ? 850 : 955);
		ev = event_new(g, "visit.recorded", by_user(login), &data);
		set_str(data, "child", k->id);
		set_bool(data, "seen", seen);
		if (seen && age_years(g, k) >= 5 && chance(g, 700))
			set_bool(data, "seen_alone", chance(g, 750));
		visit_summary(g, f, k, seen);
		set_str(data, "summary", g->text.data);
		emit(g, ev);
		all_seen = all_seen && (seen || !k->active);
	}
	if (child != K_ALL)
		queue(g, f, S_VISIT, A_VISIT, all_seen ? K_ACTIVE : K_RETURN, next_visit(g, f, all_seen), false);
}

static void step_note(gen *g, family *f, unsigned child)
{
	kid *k;
	char login[24];

	(void)child;
	if (!f->open)
		return;
	k = some_active(g, f);
	office_login(g, f, login);
	SAY(g, false, note_texts, f, k);
	if (chance(g, 450))
		SAY(g, true, note_extras, f, k);
	emit_child(g, "note.recorded", by_user(login), k, "text", g->text.data);
	queue_note(g, f);
}

static void step_supervision(gen *g, family *f, unsigned child)
{
	static const char *const texts[] = {
		"Supervision: reviewed the plan for @; visits on time; actions agreed with school and health.",
		"Supervision: @'s views are recorded; chronology is up to date.",
		"Supervision: reflective discussion about ~'s engagement; next steps agreed.",
		"Supervision: progress for @ is slow; agreed to raise it at the next meeting.",
		"Supervision: case direction confirmed; no change to the plan for @.",
		"Supervision: reviewed risks from the adults in the household and the safety plan for @.",
	};
	char login[24];

	(void)child;
	if (!f->open || f->worker < 0)
		return;
	manager_login(f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		if (!f->kids[i].active)
			continue;
		SAY(g, false, texts, f, &f->kids[i]);
		emit_child(g, "supervision.recorded", by_user(login), &f->kids[i], "summary", g->text.data);
	}
	queue(g, f, S_SUPERVISION, A_SUPERVISION, K_ACTIVE, in_wd(g, 18, 28), false);
}

static void meeting_all(gen *g, family *f, const char *type, const char *const *texts, size_t ntexts,
			const char *login, bool (*who)(const kid *k))
{
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];
		json_t *data, *ev;

		if (!k->active || (who && !who(k)))
			continue;
		ev = event_new(g, "meeting.held", by_user(login), &data);
		set_str(data, "child", k->id);
		set_str(data, "type", type);
		say(g, false, texts[rng_below(&g->r, (uint32_t)ntexts)], f, k);
		set_str(data, "summary", g->text.data);
		emit(g, ev);
	}
}

#define MEETING(g, f, type, texts, login, who) meeting_all(g, f, type, texts, SL_ARRAY_LEN(texts), login, who)

static const char *const core_group_texts[] = {
	"Core group: school, health visitor and ~ attended; plan actions reviewed for @.",
	"Core group: good progress on home conditions; @'s attendance improving.",
	"Core group: ~ did not attend; actions re-sent and a home visit arranged.",
	"Core group: police update shared; safety plan for @ reviewed and updated.",
};
static const char *const cin_review_texts[] = {
	"CIN plan review: progress on routines and school attendance for @.",
	"CIN plan review: ~ engaging well with the family support worker.",
	"CIN plan review: some actions outstanding; timescales agreed again.",
};

static void step_meeting(gen *g, family *f, unsigned child)
{
	char login[24];

	(void)child;
	if (!f->open)
		return;
	case_login(g, f, login);
	if (any_cp(f)) {
		MEETING(g, f, "core_group", core_group_texts, login, kid_cp);
		queue(g, f, S_MEETING, A_MEETING, K_ACTIVE, in_wd(g, 17, 27), false);
	} else if (f->stage == ST_CIN) {
		MEETING(g, f, "professionals", cin_review_texts, login, NULL);
		queue(g, f, S_MEETING, A_MEETING, K_ACTIVE, in_days(g, 75, 88), false);
	}
}

/* ---- partner information, incidents, concerns ---------------------------- */

/* Partner information of significant harm or risk is acted on within a
 * working day (6.1.6): a visit to every child of the household, unless the
 * family's case drifts that way. */
static void respond(gen *g, family *f)
{
	if ((f->drift & D_UNACTIONED) && chance(g, 750))
		return;
	if (f->response_at >= g->now) /* the visit already queued answers this too */
		return;
	f->response_at = soon(g, 45, 240);
	queue(g, f, S_RESPONSE, A_VISIT, K_ALL, f->response_at, false);
}

static bool covers(unsigned plan, unsigned category)
{
	return plan == category || (plan == C_MULTIPLE && category <= C_SEXUAL);
}

static void schedule_concerns(gen *g, family *f)
{
	int64_t first = NEVER;

	for (unsigned i = 0; i < f->nconcerns; i++)
		if (f->concerns[i].due < first)
			first = f->concerns[i].due;
	if (first == NEVER)
		cancel(f, S_CONCERN);
	else
		queue(g, f, S_CONCERN, A_RESOLVE, NO_KID, first, false);
}

static void resolve_concern(gen *g, family *f, unsigned i, const char *login)
{
	static const char *const rationales[] = {
		"Assessed at a home visit and with school; the concern is now addressed by the plan for @.",
		"Medical explanation confirmed by the paediatrician; no further action on this concern.",
		"Addressed through the safety plan agreed at the core group.",
		"Police enquiry concluded; the remaining risk is managed through the plan.",
		"~ has accepted support and the situation has improved; discussed in supervision.",
		"Explored with @ in direct work; @ says things are better and school agrees.",
	};
	concern *c = &f->concerns[i];
	json_t *data, *ev = event_new(g, "concern.resolved", by_user(login), &data);
	char ref[32];

	snprintf(ref, sizeof(ref), "concern-%u", c->num);
	set_str(data, "child", f->kids[c->kid].id);
	set_str(data, "concern", ref);
	SAY(g, false, rationales, f, &f->kids[c->kid]);
	set_str(data, "rationale", g->text.data);
	emit(g, ev);
	memmove(c, c + 1, (size_t)(f->nconcerns - i - 1) * sizeof(*c));
	f->nconcerns--;
}

/* Resolve the open concerns that keep(plan category, concern category)
 * rejects (keep NULL: all of them). */
static void resolve_concerns(gen *g, family *f, unsigned old_cat, unsigned new_cat)
{
	char login[24];

	office_login(g, f, login);
	for (unsigned i = 0; i < f->nconcerns;) {
		unsigned cat = f->concerns[i].category;
		if (new_cat == C_NONE || (covers(old_cat, cat) && !covers(new_cat, cat)))
			resolve_concern(g, f, i, login);
		else
			i++;
	}
	schedule_concerns(g, f);
}

static void step_resolve(gen *g, family *f, unsigned child)
{
	char login[24];

	(void)child;
	office_login(g, f, login);
	for (unsigned i = 0; i < f->nconcerns;) {
		if (f->concerns[i].due <= g->now)
			resolve_concern(g, f, i, login);
		else
			i++;
	}
	schedule_concerns(g, f);
}

/* A harm item (6.1.5).  When a child has three within a year, a well-run
 * case holds a strategy discussion by the next working day. */
static void harm_item(gen *g, family *f, kid *k)
{
	k->harm[2] = k->harm[1];
	k->harm[1] = k->harm[0];
	k->harm[0] = today(g);
	f->serious = true;
	if (k->harm[2] != NO_HARM && today(g) - k->harm[2] <= 366 && !((f->drift & D_UNACTIONED) && chance(g, 700))) {
		queue(g, f, S_HARM, A_HARM_STRATEGY, K_ACTIVE, later_today(g, 30, 180), false);
		f->harm_pending = true;
	}
}

static void step_harm_strategy(gen *g, family *f, unsigned child)
{
	char login[24];

	(void)child;
	f->harm_pending = false;
	manager_login(f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];
		json_t *data, *ev;

		if (k->harm[2] == NO_HARM || today(g) - k->harm[2] > 366)
			continue;
		ev = event_new(g, "strategy.held", by_user(login), &data);
		set_str(data, "child", k->id);
		set_bool(data, "s47", false);
		emit(g, ev);
	}
}

static const char *const concern_texts[][2] = {
	[C_NEGLECT] = {"@ was sent to school hungry and unwashed again this week.",
		       "Home conditions have slipped: little food and dirty nappies in the kitchen."},
	[C_PHYSICAL] = {"@ has bruising to the upper arm that ~ could not explain.",
			"@ said ~ slapped them for coming home late."},
	[C_EMOTIONAL] = {"@ is frightened of shouting at home and hides in the bedroom.",
			 "~ speaks about @ in a rejecting way in front of them."},
	[C_SEXUAL] = {"@ made a further disclosure at school about an adult known to the family.",
		      "@ showed sexualised behaviour at nursery that staff found worrying."},
	[C_MULTIPLE] = {"Several worries together: @ is unkempt, anxious and has a new bruise.",
			"Neglect and ~'s harsh treatment of @ reported by two agencies this month."},
	[C_EXPLOITATION] = {"@ was found in another town with older males and new clothes.",
			    "@ has unexplained money and a second phone."},
	[C_DOMESTIC] = {"A further domestic incident was reported with @ in the home.",
			"~ disclosed that their partner controls the money and the phone."},
	[C_OTHER] = {"@ is self-harming and has stopped eating lunch at school.",
		     "@ is caring for ~ most evenings and missing school."},
};

static void raise_concern(gen *g, family *f, kid *k, unsigned cat, bool sig, bool never_resolved)
{
	static const char *const agencies[] = {"education", "health", "police"};
	static const char *const roles[] = {"Designated safeguarding lead", "GP", "PC"};
	concern *c;
	json_t *data, *ev;
	char ref[32], login[24];
	unsigned a = rng_below(&g->r, 3);
	bool from_agency = chance(g, 450);

	if (f->nconcerns == MAX_CONCERNS)
		return;
	c = &f->concerns[f->nconcerns++];
	c->num = ++g->concerns;
	c->kid = (uint8_t)(k - f->kids);
	c->category = (uint8_t)cat;
	c->due = never_resolved ? NEVER : in_days(g, 10, 45);
	snprintf(ref, sizeof(ref), "concern-%u", c->num);
	office_login(g, f, login);
	ev = event_new(g, "concern.raised", from_agency ? by_agency(g, agencies[a], roles[a]) : by_user(login), &data);
	json_object_set_new(ev, "ref", str(ref));
	set_str(data, "child", k->id);
	set_str(data, "category", category_words[cat]);
	say(g, false, concern_texts[cat][rng_below(&g->r, 2)], f, k);
	set_str(data, "summary", g->text.data);
	if (sig || chance(g, 300))
		set_bool(data, "significant_harm", sig);
	if (from_agency)
		set_str(data, "agency", agencies[a]);
	emit(g, ev);
	if (sig)
		harm_item(g, f, k);
	schedule_concerns(g, f);
}

/* Information from a partner agency about a child or an adult. */
static void step_agency(gen *g, family *f, unsigned child)
{
	/* about_adult: the information is about a parent ('~'), and is
	 * attached to them (DESIGN 1: to people, not to a case). */
	static const struct {
		const char *agency, *role, *normal, *harm;
		bool about_adult;
	} texts[] = {
		{"education", "Designated safeguarding lead", "@'s attendance is 86% this term; punctuality is improving.",
		 "@ told a teacher that ~ hit them with a belt last night.", false},
		{"education", "Class teacher", "@ came to school without a coat in cold weather three days running.", NULL,
		 false},
		{"health", "Health visitor", "@ missed the developmental review; a new date has been offered.",
		 "@ has an unexplained bruise on the cheek, seen at the clinic.", false},
		{"health", "GP", "~ is on a waiting list for talking therapy and has started medication.", NULL, true},
		{"police", "PC", "Police welfare check at the address: children asleep, home calm.",
		 "Police attended after a 999 call; ~ had visible injuries and @ was in the home.", false},
		{"housing", "Housing officer", "~ has rent arrears; a payment plan has been agreed.", NULL, true},
		{"early_help", "Family support worker", "~ has finished four sessions on routines and bedtimes.", NULL, true},
		{"voluntary", "Family hub worker", "~ has started a parenting course at the family hub.", NULL, true},
		{"probation", "Probation officer", "~ has missed two probation appointments this month.",
		 "~ has breached licence conditions by contacting a former partner who has children.", true},
	};
	unsigned t = rng_below(&g->r, SL_ARRAY_LEN(texts));
	adult *a = NULL;
	json_t *data, *ev;
	kid *k;
	bool sig;

	(void)child;
	if (!f->open)
		return;
	k = some_active(g, f);
	if (texts[t].about_adult && !(a = some_linked_adult(g, f)))
		t = 2;
	if (strcmp(texts[t].agency, "education") == 0 && age_years(g, k) < 4)
		t = 2;
	sig = texts[t].harm && chance(g, 70);
	ev = event_new(g, "agency_info.received", by_agency(g, texts[t].agency, texts[t].role), &data);
	set_str(data, "person", a ? a->id : k->id);
	set_str(data, "agency", texts[t].agency);
	say_names(g, false, sig ? texts[t].harm : texts[t].normal, k->first, a ? a->first : parent_name(f));
	set_str(data, "summary", g->text.data);
	if (sig || chance(g, 400))
		set_bool(data, "significant_harm", sig);
	emit(g, ev);
	if (sig) {
		f->serious = true;
		respond(g, f);
	}
	/* A school passes on a pupil's UPN when the record lacks it. */
	if (strcmp(texts[t].agency, "education") == 0 && !k->upn && age_years(g, k) >= 4) {
		char login[24], upn[14];

		office_login(g, f, login);
		ev = event_new(g, "person.updated", by_user(login), &data);
		make_upn(g, k->born, upn);
		set_str(data, "id", k->id);
		set_str(data, "upn", upn);
		emit(g, ev);
		k->upn = true;
	}
	queue(g, f, S_AGENCY, A_AGENCY, K_ACTIVE, in_days(g, 5, 24), false);
}

static void incident_injury(gen *g, family *f)
{
	static const char *const parts[] = {"left upper arm", "right cheek", "forehead", "shin", "lower back", "ear",
					    "wrist", "chest"};
	static const char *const explanations[] = {
		"~ said @ fell off the sofa.", "@ said they bumped into a door.", "@ said it happened at football.",
		"~ said a sibling pushed @.", "No explanation was given.",
	};
	static const struct {
		const char *agency, *role;
	} who[] = {{"health", "GP"}, {"health", "A&E nurse"}, {"health", "School nurse"}, {"education", "Class teacher"},
		   {"education", "Nursery practitioner"}, {"police", "PC"}};
	kid *k = some_active(g, f);
	unsigned w = rng_below(&g->r, SL_ARRAY_LEN(who));
	const char *part = PICK(g, parts);
	json_t *data, *ev;
	buf desc = BUF_INIT;

	/* Bruising to a baby who cannot move about is the NONMOBILE_INJURY
	 * pattern: only where the family's case drifts. */
	if (k->unborn || (today(g) < date_add_months(k->born, 7) && !f->drift))
		return;
	ev = event_new(g, "injury.observed", by_agency(g, who[w].agency, who[w].role), &data);
	set_str(data, "child", k->id);
	buf_printf(&desc, "Bruise about %d cm across on the %s.", between(g, 1, 5), part);
	set_str(data, "description", desc.data);
	set_str(data, "agency", who[w].agency);
	set_str(data, "body_part", part);
	if (chance(g, 800)) {
		SAY(g, false, explanations, f, k);
		set_str(data, "explanation", g->text.data);
	}
	emit(g, ev);
	buf_release(&desc);
	harm_item(g, f, k);
}

static void incident_domestic_abuse(gen *g, family *f)
{
	static const char *const texts[] = {
		"Police attended a domestic incident at the address; the children were upstairs.",
		"Verbal argument reported by a neighbour; police attended and gave advice.",
		"~ reported being assaulted by a partner; a DASH risk assessment was completed.",
	};
	json_t *data, *ev, *persons = json_array();

	for (unsigned i = 0; i < f->nadults; i++)
		if (f->adults[i].linked)
			json_array_append_new(persons, str(f->adults[i].id));
	if (json_array_size(persons) == 0) {
		json_decref(persons);
		return;
	}
	ev = event_new(g, "domestic_abuse.notified", by_agency(g, "police", "Domestic abuse officer"), &data);
	json_object_set_new(data, "persons", persons);
	set_str(data, "agency", "police");
	set_bool(data, "marac", chance(g, 250));
	SAY(g, false, texts, f, NULL);
	set_str(data, "summary", g->text.data);
	emit(g, ev);
	f->serious = true;
	respond(g, f);
}

static void flag_adult(gen *g, family *f, adult *a, bool to_children)
{
	static const char *const child_risk[] = {
		"~ has a conviction for violence against a former partner and is assessed as a risk to children.",
		"~ has a history of violence toward a partner's children; managed under MAPPA.",
	};
	static const char *const staff_risk[] = {
		"~ was verbally aggressive to staff at the office; visits to be made in pairs.",
		"~ threatened a worker on the doorstep; lone-working flag added.",
	};
	json_t *data, *ev;
	char login[24];
	const char *agency = chance(g, 500) ? "probation" : "police";

	a->flagged = true;
	a->staff_flag = !to_children;
	if (to_children) {
		ev = event_new(g, "risk.flagged", by_agency(g, agency, agency[0] == 'p' && agency[1] == 'r'
								      ? "Probation officer" : "Public protection officer"),
			       &data);
	} else {
		office_login(g, f, login);
		ev = event_new(g, "risk.flagged", by_user(login), &data);
		agency = "social_care";
	}
	set_str(data, "person", a->id);
	set_str(data, "agency", agency);
	say_names(g, false, to_children ? PICK(g, child_risk) : PICK(g, staff_risk), "the child", a->first);
	set_str(data, "summary", g->text.data);
	if (to_children || chance(g, 500))
		set_bool(data, "risk_to_children", to_children);
	emit(g, ev);
	if (to_children) {
		f->serious = true;
		respond(g, f);
	}
}

static void incident_new_partner(gen *g, family *f)
{
	adult *a = &f->adults[f->nadults++];
	char login[24];

	office_login(g, f, login);
	register_adult(g, f, a, R_PARTNER, login);
	link_adult(g, f, a, login);
	if (chance(g, 250))
		flag_adult(g, f, a, true);
}

static void incident_partner_leaves(gen *g, family *f)
{
	char login[24];

	for (unsigned i = 1; i < f->nadults; i++) {
		adult *a = &f->adults[i];
		if (!a->linked || a->relation == R_MOTHER)
			continue;
		office_login(g, f, login);
		for (unsigned j = 0; j < f->nkids; j++)
			link(g, a->id, f->kids[j].id, relation_words[a->relation], login, "person.unlinked");
		a->linked = false;
		return;
	}
}

static void incident_risk_cleared(gen *g, family *f)
{
	for (unsigned i = 0; i < f->nadults; i++) {
		adult *a = &f->adults[i];
		json_t *data, *ev;
		char login[24];

		if (!a->staff_flag)
			continue;
		manager_login(f, login);
		ev = event_new(g, "risk.cleared", by_user(login), &data);
		set_str(data, "person", a->id);
		set_str(data, "agency", "social_care");
		set_str(data, "rationale", "No incidents toward staff for six months; lone-working flag removed after review.");
		emit(g, ev);
		a->flagged = a->staff_flag = false;
		return;
	}
}

static unsigned concern_category(gen *g, const family *f, const kid *k)
{
	static const uint16_t weights[] = {300, 150, 200, 40, 30, 0, 150, 80};
	uint16_t w[SL_ARRAY_LEN(weights)];

	if (f->stage == ST_CP && chance(g, 550))
		return f->category;
	memcpy(w, weights, sizeof(w));
	if (age_years(g, k) >= 11)
		w[C_EXPLOITATION] = 200;
	return weighted(g, w, SL_ARRAY_LEN(w));
}

static void step_incident(gen *g, family *f, unsigned child)
{
	enum { I_CONCERN, I_INJURY, I_DA, I_RISK, I_ESCALATION, I_FGC, I_PROFESSIONALS, I_PARTNER, I_LEAVES, I_CLEARED };
	static const char *const fgc[] = {
		"Family group conference: wider family offered help with childcare for @.",
		"Family group conference: grandparents to have @ two nights a week.",
	};
	static const char *const professionals[] = {
		"Professionals meeting about @: information shared between school, GP and police.",
		"Professionals meeting: agreed one lead contact for ~ to avoid mixed messages.",
	};
	uint16_t w[] = {300, 130, 25, 22, 60, 50, 60, 45, 35, 0};
	unsigned linked = 0, staff = 0;
	char login[24];
	kid *k;

	(void)child;
	if (!f->open)
		return;
	for (unsigned i = 0; i < f->nadults; i++) {
		linked += f->adults[i].linked && !f->adults[i].flagged;
		staff += f->adults[i].staff_flag;
	}
	if (!linked)
		w[I_RISK] = 0;
	if (f->nadults == MAX_ADULTS)
		w[I_PARTNER] = 0;
	if (f->escalation)
		w[I_ESCALATION] = 0;
	if (staff)
		w[I_CLEARED] = 80;
	k = some_active(g, f);
	office_login(g, f, login);
	switch (weighted(g, w, SL_ARRAY_LEN(w))) {
	case I_CONCERN: {
		unsigned cat = concern_category(g, f, k);
		if (!k->unborn)
			raise_concern(g, f, k, cat, chance(g, 250), (f->drift & D_DROPPED_CONCERN) && chance(g, 400));
		break;
	}
	case I_INJURY: incident_injury(g, f); break;
	case I_DA: incident_domestic_abuse(g, f); break;
	case I_RISK: {
		adult *a = some_linked_adult(g, f);
		if (a && !a->flagged)
			flag_adult(g, f, a, chance(g, 450));
		break;
	}
	case I_ESCALATION:
		queue(g, f, S_ESCALATION, A_ESC_RAISE, (unsigned)(k - f->kids), in_wd(g, 0, 3), false);
		break;
	case I_FGC: MEETING(g, f, "family_group", fgc, login, NULL); break;
	case I_PROFESSIONALS: MEETING(g, f, "professionals", professionals, login, NULL); break;
	case I_PARTNER: incident_new_partner(g, f); break;
	case I_LEAVES: incident_partner_leaves(g, f); break;
	default: incident_risk_cleared(g, f); break;
	}
	queue(g, f, S_INCIDENT, A_INCIDENT, K_ACTIVE, in_days(g, 12, 70), false);
}

/* ---- missing episodes ------------------------------------------------------ */

static int64_t evening(gen *g, int lo_days, int hi_days)
{
	return at(today(g) + between(g, lo_days, hi_days), between(g, 16 * 60 + 30, 23 * 60 + 50));
}

static void step_missing_start(gen *g, family *f, unsigned child)
{
	static const char *const indicators[] = {"cse", "cce", "substances", "older_associates"};
	kid *k = &f->kids[child];
	json_t *data, *ev;
	unsigned p = reasons[f->reason].cat[0] == C_EXPLOITATION ? 450 : 80;

	if (!f->open || !k->active)
		return;
	ev = event_new(g, "missing.started", by_agency(g, "police", "Missing persons coordinator"), &data);
	set_str(data, "child", k->id);
	if (chance(g, p)) {
		json_t *list = json_array();
		unsigned first = rng_below(&g->r, 4);
		json_array_append_new(list, str(indicators[first]));
		if (chance(g, 400))
			json_array_append_new(list, str(indicators[(first + 1 + rng_below(&g->r, 3)) % 4]));
		json_object_set_new(data, "indicators", list);
		f->serious = true;
	}
	emit(g, ev);
	k->missing = true;
	queue(g, f, S_MISSING, A_MISSING_END, child, g->now + between(g, 90, 3 * DAY), false);
}

static void next_missing(gen *g, family *f, unsigned child)
{
	if (f->drift & D_NO_RETURN_INTERVIEW)
		queue(g, f, S_MISSING, A_MISSING_START, child, evening(g, 6, 40), false);
	else
		queue(g, f, S_MISSING, A_MISSING_START, child, evening(g, 35, 120), false);
}

static void step_missing_end(gen *g, family *f, unsigned child)
{
	kid *k = &f->kids[child];
	json_t *data, *ev;
	bool interview = chance(g, 450);

	ev = event_new(g, "missing.ended", by_agency(g, "police", "PC"), &data);
	set_str(data, "child", k->id);
	set_bool(data, "return_interview", interview);
	emit(g, ev);
	if (interview || ((f->drift & D_NO_RETURN_INTERVIEW) && chance(g, 650))) {
		k->missing = false;
		next_missing(g, f, child);
		return;
	}
	/* within 3 calendar days (6.1.8); the return interview service works weekends */
	queue(g, f, S_MISSING, A_RETURN_INTERVIEW, child, at(today(g) + between(g, 1, 2), between(g, 9 * 60, 19 * 60)),
	      false);
}

static void step_return_interview(gen *g, family *f, unsigned child)
{
	static const char *const texts[] = {
		"Return interview: @ said they stayed with a friend and felt safe; agreed to text ~ next time.",
		"Return interview: @ did not want to say where they had been; worries shared with the police.",
		"Return interview: @ talked about arguments at home; direct work planned.",
	};
	kid *k = &f->kids[child];

	k->missing = false;
	SAY(g, false, texts, f, k);
	if (chance(g, 400))
		emit_child(g, "return_interview.recorded", by_agency(g, "voluntary", "Return interview worker"), k,
			   "summary", g->text.data);
	else {
		char login[24];
		case_login(g, f, login);
		emit_child(g, "return_interview.recorded", by_user(login), k, "summary", g->text.data);
	}
	if (f->open)
		next_missing(g, f, child);
}

/* ---- escalations ----------------------------------------------------------------- */

static void step_esc_raise(gen *g, family *f, unsigned child)
{
	static const char *const to_manager[] = {
		"Request for a legal planning meeting: little progress on the plan for @.",
		"Disagreement with the decision to step @ down; asking for a review.",
		"Unable to visit @ within timescales this month because of other urgent work.",
	};
	static const char *const caseload = "My caseload is now over 20 children and I cannot keep to visiting timescales.";
	json_t *data, *ev;
	char login[24], ref[32];
	bool director = child != NO_KID && chance(g, 150);

	if (f->escalation)
		return;
	f->escalation = ++g->escalations;
	snprintf(ref, sizeof(ref), "escalation-%u", f->escalation);
	case_login(g, f, login);
	ev = event_new(g, "escalation.raised", by_user(login), &data);
	json_object_set_new(ev, "ref", str(ref));
	set_str(data, "to", director ? "director" : "manager");
	if (child == NO_KID) {
		buf_reset(&g->text);
		buf_puts(&g->text, caseload);
	} else if (director) {
		say(g, false, "No suitable placement has been found for @ after two weeks; asking for a decision.", f,
		    &f->kids[child]);
	} else {
		SAY(g, false, to_manager, f, &f->kids[child]);
	}
	set_str(data, "summary", g->text.data);
	if (child != NO_KID)
		set_str(data, "child", f->kids[child].id);
	emit(g, ev);
	if ((f->drift & D_UNANSWERED) && chance(g, 600))
		return; /* nobody answers; the family raises no further escalation */
	queue(g, f, S_ESCALATION, A_ESC_ANSWER, director ? 1 : 0,
	      (f->drift & D_UNANSWERED) ? in_wd(g, 7, 12) : in_wd(g, 1, 4), false);
}

static void step_esc_answer(gen *g, family *f, unsigned director)
{
	static const char *const answers[] = {
		"Agreed: a legal planning meeting is booked for next week.",
		"Reviewed the case with you; the decision stands, with a further review in four weeks.",
		"Two cases will be reallocated next week to bring your caseload down.",
		"Agreed extra family support hours for three months.",
	};
	json_t *data, *ev;
	char login[24], ref[32];

	if (director)
		copy_str(login, sizeof(login), "dcs");
	else
		manager_login(f, login);
	snprintf(ref, sizeof(ref), "escalation-%u", f->escalation);
	ev = event_new(g, "escalation.answered", by_user(login), &data);
	set_str(data, "escalation", ref);
	set_str(data, "response", director ? "Placement panel will decide on Thursday; the head of service will update you."
					   : PICK(g, answers));
	emit(g, ev);
	f->escalation = 0;
}

/* ---- births ------------------------------------------------------------------------ */

static void step_birth(gen *g, family *f, unsigned child)
{
	kid *k = &f->kids[child];
	json_t *data, *ev;
	buf text = BUF_INIT;
	char login[24], nhs[11];

	if (!k->unborn)
		return;
	k->unborn = false;
	k->born = today(g);
	k->gender = chance(g, 500) ? G_FEMALE : G_MALE;
	make_first(g, k->first, sizeof(k->first), k->gender);
	case_login(g, f, login);
	ev = event_new(g, "person.updated", by_user(login), &data);
	set_str(data, "id", k->id);
	buf_printf(&text, "%s %s", k->first, f->surname);
	set_str(data, "name", text.data);
	buf_reset(&text);
	date_format_day(&text, k->born);
	set_str(data, "born", text.data);
	set_str(data, "gender", gender_words[k->gender]);
	set_str(data, "sex", sex_codes[k->gender]); /* U while unborn */
	make_nhs_number(g, nhs);
	set_str(data, "nhs_number", nhs);
	emit(g, ev);
	buf_release(&text);
}

/* ---- the case's main path ----------------------------------------------------------- */

static void start_routines(gen *g, family *f)
{
	queue(g, f, S_VISIT, A_VISIT, K_ACTIVE, in_wd(g, 1, 5), false);
	queue_note(g, f);
	queue(g, f, S_AGENCY, A_AGENCY, K_ACTIVE, in_days(g, 3, 20), false);
	queue(g, f, S_SUPERVISION, A_SUPERVISION, K_ACTIVE, in_wd(g, 10, 20), false);
	queue(g, f, S_INCIDENT, A_INCIDENT, K_ACTIVE, in_days(g, 10, 60), false);
	if (f->missing_kid != NO_KID)
		queue(g, f, S_MISSING, A_MISSING_START, f->missing_kid, evening(g, 5, 50), false);
}

/* Another contact, later: well-run cases are re-referred, if at all, more
 * than a year after the last referral (REPEAT_REFERRAL is a true signal). */
static void maybe_rerefer(gen *g, family *f, bool was_referral)
{
	bool quick = f->drift & D_QUICK_REREFERRAL;

	if (f->episodes >= 4 || !chance(g, quick ? 650 : 500))
		return;
	if (quick || !was_referral)
		queue(g, f, S_MAIN, A_CONTACT, K_ACTIVE, in_days(g, 60, 330), false);
	else
		queue(g, f, S_MAIN, A_CONTACT, K_ACTIVE, in_days(g, 390, 760), false);
}

static void step_decide(gen *g, family *f, unsigned child)
{
	static const char *const decisions[] = {"nfa", "early_help", "assessment", "strategy"};
	static const uint16_t by_severity[3][4] = {{120, 120, 720, 40}, {60, 60, 700, 180}, {20, 20, 460, 500}};
	const reason *r = &reasons[f->reason];
	unsigned d = weighted(g, by_severity[r->severity], 4), need = r->need;
	char login[24] = "tm-mash";

	(void)child;
	if (chance(g, 150))
		need = (unsigned)between(g, 1, 8);
	for (unsigned i = 0; i < f->nkids; i++) {
		json_t *data, *ev;

		if (!f->kids[i].active)
			continue;
		ev = event_new(g, "referral.decided", by_user(login), &data);
		set_str(data, "child", f->kids[i].id);
		set_str(data, "decision", decisions[d]);
		/* The census needs the primary need of every referral. */
		set_str(data, "primary_need", need_codes[need]);
		emit(g, ev);
	}
	if (d < 2) {
		for (unsigned i = 0; i < f->nkids; i++)
			f->kids[i].active = false;
		maybe_rerefer(g, f, false);
		return;
	}
	f->open = true;
	f->decided = today(g);
	f->stage = d == 2 ? ST_ASSESS : ST_S47;
	f->assessed = false;
	f->outcome = 7;
	if ((f->drift & D_LATE_ALLOCATION) && chance(g, 600))
		queue(g, f, S_MAIN, A_ALLOCATE, K_ACTIVE, in_wd(g, 6, 9), false);
	else
		queue(g, f, S_MAIN, A_ALLOCATE, K_ACTIVE, soon(g, 20, 200), false);
}

static void allocate_all(gen *g, family *f)
{
	char mgr[24], login[24], name[24];

	manager_login(f, mgr);
	worker_login(f, login);
	team_name(f, name);
	for (unsigned i = 0; i < f->nkids; i++) {
		json_t *data, *ev;

		if (!f->kids[i].active)
			continue;
		ev = event_new(g, "case.allocated", by_user(mgr), &data);
		set_str(data, "child", f->kids[i].id);
		set_str(data, "worker", login);
		set_str(data, "team", name);
		emit(g, ev);
	}
}

static void step_allocate(gen *g, family *f, unsigned child)
{
	unsigned n = active_count(f);

	(void)child;
	allocate_worker(g, f, n);
	allocate_all(g, f);
	start_routines(g, f);
	if (g->teams[f->team].load[f->worker] > 20 && !f->escalation && chance(g, 250))
		queue(g, f, S_ESCALATION, A_ESC_RAISE, NO_KID, in_wd(g, 1, 5), false);
	if (f->stage == ST_ASSESS)
		queue(g, f, S_MAIN, A_ASSESS_START, K_ACTIVE, soon(g, 30, 600), false);
	else
		queue(g, f, S_MAIN, A_STRATEGY, K_ACTIVE, soon(g, 30, 180), false);
}

static void for_active(gen *g, family *f, const char *kind, const char *login)
{
	for (unsigned i = 0; i < f->nkids; i++)
		if (f->kids[i].active)
			emit_child(g, kind, by_user(login), &f->kids[i], NULL, NULL);
}

static void step_assess_start(gen *g, family *f, unsigned child)
{
	char login[24];
	int32_t end;

	(void)child;
	case_login(g, f, login);
	for_active(g, f, "assessment.started", login);
	f->assessed = true;
	/* Within 45 working days of the referral decision, with a margin. */
	end = add_wd(g, f->decided, (f->drift & D_LATE_ASSESSMENT) && chance(g, 700) ? between(g, 48, 70) : between(g, 12, 40));
	if (end <= today(g))
		end = add_wd(g, today(g), 1);
	queue(g, f, S_MAIN, A_ASSESS_END, K_ACTIVE, office(g, end), false);
}

/* Assessment factor codes that go with each concern category. */
static const char *const factors_by_category[][4] = {
	[C_NEGLECT] = {"16A", "2B", "1B", "4B"},      [C_PHYSICAL] = {"18C", "3B", "1B", "4B"},
	[C_EMOTIONAL] = {"17A", "3B", "4B", "2B"},    [C_SEXUAL] = {"19C", "19B", "17A", "4A"},
	[C_MULTIPLE] = {"16A", "17A", "18C", "3B"},   [C_EXPLOITATION] = {"24A", "11A", "10A", "13A"},
	[C_DOMESTIC] = {"3B", "3A", "1B", "17A"},     [C_OTHER] = {"15A", "4A", "5A", "6A"},
	[C_NONE] = {"20", "4B", "7A", "14A"},
};
static const char *const extra_factors[] = {"1B", "2B", "4B", "5B", "6B", "7A", "14A", "20", "6A", "5A", "3C", "2C"};

static json_t *make_factors(gen *g, const family *f, bool nfa)
{
	const char *const *base = factors_by_category[reasons[f->reason].cat[0]];
	const char *chosen[4];
	unsigned n = 0, want = (unsigned)between(g, 1, 4);
	json_t *list = json_array();

	if (nfa && chance(g, 450)) {
		json_array_append_new(list, str("21"));
		return list;
	}
	chosen[n++] = base[0];
	while (n < want) {
		const char *c = chance(g, 600) ? base[rng_below(&g->r, 4)] : PICK(g, extra_factors);
		bool dup = false;
		for (unsigned i = 0; i < n; i++)
			dup = dup || strcmp(chosen[i], c) == 0;
		if (dup)
			break;
		chosen[n++] = c;
	}
	for (unsigned i = 0; i < n; i++)
		json_array_append_new(list, str(chosen[i]));
	return list;
}

static bool has_factor(const json_t *list, const char *code)
{
	for (size_t i = 0; i < json_array_size(list); i++)
		if (strcmp(json_string_value(json_array_get(list, i)), code) == 0)
			return true;
	return false;
}

static void complete_assessment(gen *g, family *f, const char *outcome, const char *login)
{
	for (unsigned i = 0; i < f->nkids; i++) {
		json_t *data, *ev, *factors;

		if (!f->kids[i].active)
			continue;
		ev = event_new(g, "assessment.completed", by_user(login), &data);
		set_str(data, "child", f->kids[i].id);
		set_str(data, "outcome", outcome);
		/* Factors at the end of every assessment (the census's
		 * FactorsIdentifiedAtAssessment), and the manager's
		 * authorisation: the same day, recorded as such. */
		/* "21 no factors" goes with an RC8 closure (8873), which an
		 * episode with an enquiry cannot have (2990). */
		factors = make_factors(g, f, strcmp(outcome, "nfa") == 0 && !f->enquired);
		/* A disabled child's assessment names the disability (5A),
		 * unless it found no factors at all (21). */
		if (f->kids[i].disabled && !has_factor(factors, "21") && !has_factor(factors, "5A"))
			json_array_append_new(factors, str("5A"));
		json_object_set_new(data, "factors", factors);
		buf_reset(&g->text);
		date_format_day(&g->text, today(g));
		set_str(data, "authorised_on", g->text.data);
		emit(g, ev);
	}
}

static void step_assess_end(gen *g, family *f, unsigned child)
{
	enum { O_NFA, O_EARLY_HELP, O_CIN, O_STRATEGY, O_LAC };
	static const char *const outcomes[] = {"nfa", "early_help", "cin_plan", "strategy", "lac"};
	uint16_t w[] = {190, 90, 450, 170, 100};
	unsigned o;
	char login[24];

	(void)child;
	if (reasons[f->reason].severity == 2)
		w[O_STRATEGY] = 380;
	o = weighted(g, w, SL_ARRAY_LEN(w));
	if (o == O_LAC && !any_kid(f, kid_born))
		o = O_CIN;
	case_login(g, f, login);
	complete_assessment(g, f, outcomes[o], login);
	switch (o) {
	case O_NFA:
		f->outcome = 8;
		queue(g, f, S_MAIN, A_CLOSE, K_ACTIVE, in_wd(g, 1, 5), false);
		break;
	case O_EARLY_HELP:
		f->outcome = 9;
		queue(g, f, S_MAIN, A_CLOSE, K_ACTIVE, in_wd(g, 1, 5), false);
		break;
	case O_CIN: queue(g, f, S_MAIN, A_CIN_START, K_ACTIVE, in_wd(g, 1, 8), false); break;
	case O_STRATEGY:
		f->stage = ST_S47;
		queue(g, f, S_MAIN, A_STRATEGY, K_ACTIVE, soon(g, 30, 180), false);
		break;
	default: queue(g, f, S_MAIN, A_LAC_START, K_ACTIVE, in_days(g, 1, 10), false); break;
	}
}

static void step_strategy(gen *g, family *f, unsigned child)
{
	char login[24];

	(void)child;
	manager_login(f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		json_t *data, *ev;

		if (!f->kids[i].active)
			continue;
		ev = event_new(g, "strategy.held", by_user(login), &data);
		set_str(data, "child", f->kids[i].id);
		set_bool(data, "s47", true);
		emit(g, ev);
	}
	f->enquired = true;
	/* A section 47 enquiry comes with an assessment (LATE_ASSESSMENT
	 * counts from a strategy decision too, 6.1.3). */
	if (!f->assessed) {
		case_login(g, f, login);
		for_active(g, f, "assessment.started", login);
		f->assessed = true;
		f->assessing = true;
	}
	f->strategy_day = today(g);
	f->stage = ST_S47;
	f->serious = true;
	queue(g, f, S_MAIN, A_S47, K_ACTIVE, in_wd(g, 5, 9), false);
}

static void step_s47(gen *g, family *f, unsigned child)
{
	bool icpc = chance(g, reasons[f->reason].severity == 2 ? 800 : 650), cin = !icpc && chance(g, 500);
	char login[24];
	int32_t day;

	(void)child;
	case_login(g, f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		json_t *data, *ev;

		if (!f->kids[i].active)
			continue;
		ev = event_new(g, "s47.completed", by_user(login), &data);
		set_str(data, "child", f->kids[i].id);
		set_bool(data, "icpc", icpc);
		emit(g, ev);
	}
	if (f->assessing) {
		complete_assessment(g, f, icpc ? "strategy" : cin ? "cin_plan" : "nfa", login);
		f->assessing = false;
	}
	if (icpc) {
		/* Within 15 working days of the strategy discussion (6.1.10). */
		day = add_wd(g, f->strategy_day, (f->drift & D_LATE_MEETINGS) && chance(g, 600) ? between(g, 16, 22)
											     : between(g, 10, 14));
		queue(g, f, S_MAIN, A_ICPC, K_ACTIVE, at(day, 0), true);
	} else if (cin) {
		queue(g, f, S_MAIN, A_CIN_START, K_ACTIVE, in_wd(g, 1, 5), false);
	} else {
		/* Not RC8 ("closed after assessment"): there was an enquiry. */
		f->outcome = 7;
		queue(g, f, S_MAIN, A_CLOSE, K_ACTIVE, in_wd(g, 2, 8), false);
	}
}

static unsigned plan_category(gen *g, const family *f)
{
	static const uint8_t from_concern[] = {
		[C_NEGLECT] = C_NEGLECT,   [C_PHYSICAL] = C_PHYSICAL,  [C_EMOTIONAL] = C_EMOTIONAL,
		[C_SEXUAL] = C_SEXUAL,     [C_MULTIPLE] = C_MULTIPLE,  [C_EXPLOITATION] = C_SEXUAL,
		[C_DOMESTIC] = C_EMOTIONAL, [C_OTHER] = C_EMOTIONAL,   [C_NONE] = C_NEGLECT,
	};

	if (f->drift & D_DROPPED_CONCERN)
		return chance(g, 500) ? C_SEXUAL : C_PHYSICAL;
	if (chance(g, 60))
		return C_MULTIPLE;
	if (chance(g, 150))
		return rng_below(&g->r, 4);
	return from_concern[reasons[f->reason].cat[0]];
}

static int64_t date_only(const gen *g, int32_t day)
{
	return at(open_day(g, day), 0);
}

static void conference(gen *g, family *f, const char *type, bool plan, unsigned category)
{
	char chair[24];

	snprintf(chair, sizeof(chair), "cpc-%02u", rng_below(&g->r, 4) + 1);
	for (unsigned i = 0; i < f->nkids; i++) {
		json_t *data, *ev;

		if (!f->kids[i].active)
			continue;
		ev = event_new(g, "conference.held", by_user(chair), &data);
		set_str(data, "child", f->kids[i].id);
		set_str(data, "type", type);
		set_bool(data, "plan", plan);
		if (category != C_NONE)
			set_str(data, "category", category_words[category]);
		emit(g, ev);
		f->kids[i].cp = plan;
	}
}

static void step_icpc(gen *g, family *f, unsigned child)
{
	static const uint8_t months[] = {3, 9, 15};
	static const uint16_t month_weights[] = {60, 420, 520};
	int32_t start = today(g), review;
	unsigned m;

	(void)child;
	if (!chance(g, 840)) {
		conference(g, f, "initial", false, C_NONE);
		queue(g, f, S_MAIN, A_CIN_START, K_ACTIVE, in_wd(g, 0, 5), false);
		return;
	}
	f->category = (uint8_t)plan_category(g, f);
	conference(g, f, "initial", true, f->category);
	f->stage = ST_CP;
	f->plan_start = g->now;
	f->reviews = 0;
	f->serious = true;
	/* A plan ends at the first review past plan_until; a long well-run
	 * plan has a legal planning meeting before 18 months (6.1.12). */
	m = (f->drift & D_LONG_PLAN) ? (chance(g, 500) ? 21 : 27) : months[weighted(g, month_weights, 3)];
	f->plan_until = at(date_add_months(start, (int)m) - 45, 0);
	if (m == 15)
		queue(g, f, S_MAIN, A_LEGAL, K_ACTIVE, office(g, date_add_months(start, between(g, 9, 12))), false);
	queue(g, f, S_MEETING, A_MEETING, K_ACTIVE,
	      (f->drift & D_LATE_MEETINGS) && chance(g, 500) ? in_wd(g, 12, 16) : in_wd(g, 4, 9), false);
	review = date_add_months(start, 3) - between(g, 5, 14);
	if ((f->drift & D_LATE_MEETINGS) && chance(g, 500))
		review += between(g, 20, 35);
	queue(g, f, S_REVIEW, A_REVIEW, K_ACTIVE, date_only(g, review), true);
	queue(g, f, S_VISIT, A_VISIT, K_ACTIVE, in_wd(g, 1, 4), false);
	if (f->drift & D_DROPPED_CONCERN) {
		kid *k = some_active(g, f);
		for (unsigned i = 0; i < f->nkids && k->unborn; i++)
			if (f->kids[i].active)
				k = &f->kids[i];
		if (!k->unborn)
			raise_concern(g, f, k, f->category, true, true);
	}
	if (chance(g, 80) && g->teams[f->team].n > 1) {
		/* transferred to another worker in the team */
		unsigned n = active_count(f);
		release_worker(g, f, n);
		allocate_worker(g, f, n);
		allocate_all(g, f);
	}
}

static void step_review(gen *g, family *f, unsigned child)
{
	bool end;
	unsigned cat = C_NONE;

	(void)child;
	if (!f->open || !any_cp(f))
		return;
	f->reviews++;
	end = any_lac(f) || g->now >= f->plan_until;
	if (end) {
		if (!(f->drift & D_DROPPED_CONCERN))
			resolve_concerns(g, f, C_NONE, C_NONE);
		conference(g, f, "review", false, C_NONE);
		if (any_lac(f))
			f->stage = ST_LAC;
		else if (chance(g, 700))
			queue(g, f, S_MAIN, A_CIN_START, K_ACTIVE, in_wd(g, 0, 4), false);
		else
			queue(g, f, S_MAIN, A_CLOSE, K_ACTIVE, in_wd(g, 2, 10), false);
		return;
	}
	if (((f->drift & D_DROPPED_CONCERN) && f->reviews == 1) || chance(g, 70)) {
		cat = (f->drift & D_DROPPED_CONCERN) ? C_NEGLECT : rng_below(&g->r, 5);
		if (cat == f->category)
			cat = (cat + 1) % 5;
		if (!(f->drift & D_DROPPED_CONCERN))
			resolve_concerns(g, f, f->category, cat);
		f->category = (uint8_t)cat;
	} else if (chance(g, 500)) {
		cat = f->category;
	}
	conference(g, f, "review", true, cat);
	queue(g, f, S_REVIEW, A_REVIEW, K_ACTIVE, date_only(g, date_add_months(today(g), 6) - between(g, 5, 14)), true);
}

static void step_legal(gen *g, family *f, unsigned child)
{
	static const char *const texts[] = {
		"Legal planning meeting: threshold for care proceedings discussed for @; PLO letter to be sent.",
		"Legal planning meeting: pre-proceedings agreed for @; parenting assessment commissioned.",
	};
	char login[24];

	(void)child;
	if (!f->open || !any_cp(f))
		return;
	manager_login(f, login);
	MEETING(g, f, "legal_planning", texts, login, NULL);
	if (any_kid(f, kid_born) && chance(g, 500))
		queue(g, f, S_MAIN, A_LAC_START, K_ACTIVE, in_days(g, 20, 60), false);
}

static void step_lac_start(gen *g, family *f, unsigned child)
{
	char login[24];

	(void)child;
	case_login(g, f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];

		if (!k->active || k->unborn)
			continue;
		emit_child(g, "lac.started", by_user(login), k, "legal_status", f->stage == ST_CP ? "C1" : "V2");
		k->lac = true;
	}
	if (f->stage != ST_CP)
		f->stage = ST_LAC;
	f->serious = true;
	queue(g, f, S_MAIN, A_LAC_END, K_ACTIVE, date_only(g, date_add_months(today(g), between(g, 12, 54))), true);
	queue(g, f, S_LAC_REVIEW, A_LAC_REVIEW, 0, in_wd(g, 12, 18), false);
	if (!any_cp(f)) /* a plan's visits are the more frequent: keep them */
		queue(g, f, S_VISIT, A_VISIT, K_ACTIVE, in_days(g, 1, 6), false);
}

static void step_lac_review(gen *g, family *f, unsigned n)
{
	static const char *const texts[] = {
		"Looked-after review chaired by the IRO: @'s placement is stable; care plan endorsed.",
		"Looked-after review: @ attended part of the meeting and spoke about school and contact.",
		"Looked-after review: contact with ~ to stay supervised; permanence plan discussed.",
	};
	char login[24];

	if (!f->open || !any_lac(f))
		return;
	snprintf(login, sizeof(login), "iro-%02u", rng_below(&g->r, 3) + 1);
	MEETING(g, f, "other", texts, login, kid_lac);
	queue(g, f, S_LAC_REVIEW, A_LAC_REVIEW, n + 1, in_days(g, n == 0 ? 80 : 170, n == 0 ? 88 : 178), false);
}

static void step_lac_end(gen *g, family *f, unsigned child)
{
	enum { E_HOME, E_SGO, E_CAO, E_ADOPTED, E_MOVED };
	static const char *const reasons_text[] = {
		"E4A: returned home to live with parents", "E45: special guardianship order to former foster carers",
		"E41: child arrangements order", "E11: adopted", "E8: moved to another authority's care",
	};
	static const uint8_t rc[] = {7, 4, 3, 1, 5};
	uint16_t w[] = {350, 250, 150, 0, 50};
	char login[24];
	unsigned e;

	(void)child;
	for (unsigned i = 0; i < f->nkids; i++)
		if (f->kids[i].lac && age_years(g, &f->kids[i]) < 5)
			w[E_ADOPTED] = 250;
	e = weighted(g, w, SL_ARRAY_LEN(w));
	case_login(g, f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];

		if (!k->lac)
			continue;
		emit_child(g, "lac.ended", by_user(login), k, "reason", reasons_text[e]);
		k->lac = false;
		k->rc = rc[e];
	}
	f->stage = ST_NONE;
	if (e == E_HOME)
		queue(g, f, S_MAIN, A_CIN_START, K_ACTIVE, in_wd(g, 0, 5), false);
	else
		queue(g, f, S_MAIN, A_CLOSE, K_ACTIVE, in_wd(g, 1, 10), false);
}

static void step_cin_start(gen *g, family *f, unsigned child)
{
	char login[24];

	(void)child;
	case_login(g, f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		if (!f->kids[i].active)
			continue;
		emit_child(g, "cin_plan.started", by_user(login), &f->kids[i], NULL, NULL);
		f->kids[i].cin = true;
	}
	f->stage = ST_CIN;
	f->reviews = 0;
	queue(g, f, S_MAIN, A_CIN_END, K_ACTIVE, office(g, date_add_months(today(g), between(g, 6, 18))), false);
	queue(g, f, S_MEETING, A_MEETING, K_ACTIVE, in_days(g, 75, 88), false);
	queue(g, f, S_VISIT, A_VISIT, K_ACTIVE, in_wd(g, 2, 10), false);
}

static void step_cin_end(gen *g, family *f, unsigned child)
{
	char login[24];

	(void)child;
	/* A plan review often keeps the plan going for a while longer. */
	if (chance(g, 350) && f->reviews++ < 2) {
		queue(g, f, S_MAIN, A_CIN_END, K_ACTIVE, office(g, date_add_months(today(g), between(g, 3, 9))), false);
		return;
	}
	case_login(g, f, login);
	for (unsigned i = 0; i < f->nkids; i++) {
		if (!f->kids[i].cin)
			continue;
		emit_child(g, "cin_plan.ended", by_user(login), &f->kids[i], NULL, NULL);
		f->kids[i].cin = false;
	}
	f->stage = ST_NONE;
	queue(g, f, S_MAIN, A_CLOSE, K_ACTIVE, in_wd(g, 0, 8), false);
}

static void step_close(gen *g, family *f, unsigned child)
{
	static const char *const rationale[] = {
		[1] = "@ has been adopted; the adoption order is made.",
		[3] = "Child arrangements order granted; no further role for children's social care.",
		[4] = "Special guardianship order granted; support plan in place.",
		[5] = "The family has moved; the case is transferred to the new authority.",
		[6] = "@ is 18; transferred to adult social care.",
		[7] = "Plan outcomes achieved and the family agree to closure; universal services continue.",
		[8] = "Assessment completed; no further action by children's social care.",
		[9] = "Assessment completed; support continues through early help.",
	};
	static const uint8_t routines[] = {S_VISIT, S_NOTE, S_AGENCY, S_SUPERVISION, S_MEETING,
					   S_REVIEW, S_LAC_REVIEW, S_INCIDENT, S_MISSING, S_CONCERN};
	bool moved = chance(g, 40);
	char mgr[24], senior[24], code[8];

	(void)child;
	/* Not while a child is missing or owed a return interview, nor before
	 * today's strategy discussion (which would open the case again). */
	if (any_kid(f, kid_missing) || f->harm_pending) {
		queue(g, f, S_MAIN, A_CLOSE, K_ACTIVE, in_wd(g, 1, 3), false);
		return;
	}
	if (!(f->drift & D_DROPPED_CONCERN) || chance(g, 500))
		resolve_concerns(g, f, C_NONE, C_NONE);
	manager_login(f, mgr);
	senior_login(g, senior);
	for (unsigned i = 0; i < f->nkids; i++) {
		kid *k = &f->kids[i];
		/* Closed after an assessment that found nothing: RC8 even when
		 * the family moves away (census rule 8873). */
		unsigned rc = k->rc ? k->rc : f->outcome == 8 ? 8 : moved ? 5 : f->outcome;

		if (rc == 8 && f->enquired)
			rc = 7;
		json_t *data, *ev;

		if (!k->active)
			continue;
		if (age_years(g, k) >= 17)
			rc = 6;
		snprintf(code, sizeof(code), "RC%u", rc);
		ev = event_new(g, "case.closed", by_user(mgr), &data);
		set_str(data, "child", k->id);
		set_str(data, "reason", code);
		if (chance(g, 900)) {
			say(g, false, rationale[rc], f, k);
			set_str(data, "rationale", g->text.data);
		}
		/* After anything serious a senior manager signs the closure off
		 * (6.1.15), so it is never refused. */
		if (f->serious || f->drift || f->nconcerns)
			set_str(data, "authorised_by", senior);
		emit(g, ev);
	}
	release_worker(g, f, active_count(f));
	for (unsigned i = 0; i < f->nkids; i++)
		f->kids[i].active = f->kids[i].cp = f->kids[i].cin = f->kids[i].lac = false;
	f->open = false;
	f->stage = ST_NONE;
	/* The routines stop; answers already owed (a response visit, a
	 * strategy discussion, an escalation's reply, a birth) still come. */
	for (unsigned i = 0; i < SL_ARRAY_LEN(routines); i++)
		cancel(f, routines[i]);
	maybe_rerefer(g, f, true);
}

/* ---- the main loop -------------------------------------------------------------- */

typedef void (*step_fn)(gen *g, family *f, unsigned child);

static const step_fn steps[A_COUNT] = {
	[A_ARRIVAL] = step_arrival,
	[A_CONTACT] = step_contact,
	[A_DECIDE] = step_decide,
	[A_ALLOCATE] = step_allocate,
	[A_ASSESS_START] = step_assess_start,
	[A_ASSESS_END] = step_assess_end,
	[A_STRATEGY] = step_strategy,
	[A_S47] = step_s47,
	[A_ICPC] = step_icpc,
	[A_LEGAL] = step_legal,
	[A_LAC_START] = step_lac_start,
	[A_LAC_END] = step_lac_end,
	[A_CIN_START] = step_cin_start,
	[A_CIN_END] = step_cin_end,
	[A_CLOSE] = step_close,
	[A_VISIT] = step_visit,
	[A_NOTE] = step_note,
	[A_AGENCY] = step_agency,
	[A_SUPERVISION] = step_supervision,
	[A_MEETING] = step_meeting,
	[A_REVIEW] = step_review,
	[A_LAC_REVIEW] = step_lac_review,
	[A_INCIDENT] = step_incident,
	[A_MISSING_START] = step_missing_start,
	[A_MISSING_END] = step_missing_end,
	[A_RETURN_INTERVIEW] = step_return_interview,
	[A_RESOLVE] = step_resolve,
	[A_HARM_STRATEGY] = step_harm_strategy,
	[A_ESC_RAISE] = step_esc_raise,
	[A_ESC_ANSWER] = step_esc_answer,
	[A_BIRTH] = step_birth,
};

void demo_opts_default(demo_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->from = date_from_ymd(2021, 4, 1);
	o->to = date_from_ymd(2026, 3, 31);
	o->caseload = 18;
	o->drift_pct = 12;
}

static int check_opts(const demo_opts *o, sl_err *err)
{
	if (o->children < 1 || o->children > DEMO_MAX_CHILDREN)
		return sl_fail(err, SL_EINVAL, "the number of children must be 1 to %u", DEMO_MAX_CHILDREN);
	if (o->from < date_from_ymd(2000, 1, 1) || o->to > date_from_ymd(2199, 12, 31))
		return sl_fail(err, SL_EINVAL, "the period must lie within 2000-01-01 .. 2199-12-31");
	if (o->to <= o->from)
		return sl_fail(err, SL_EINVAL, "the period must end after it starts");
	if (o->teams > 60000)
		return sl_fail(err, SL_EINVAL, "at most 60000 teams");
	if (o->caseload < 1 || o->caseload > 1000)
		return sl_fail(err, SL_EINVAL, "the caseload limit must be 1 to 1000");
	if (o->drift_pct > 100)
		return sl_fail(err, SL_EINVAL, "the drifting share must be 0 to 100 percent");
	return 0;
}

/* Teams recruit a little before the caseload limit or a little after it;
 * every fifth team is stretched (it cannot recruit) and runs over 20
 * (CASELOAD_HIGH). */
static void make_teams(gen *g)
{
	const demo_opts *o = g->o;

	g->nteams = o->teams ? o->teams : (unsigned)((o->children + 312) / 625);
	if (g->nteams < 1)
		g->nteams = 1;
	g->teams = xcalloc(g->nteams, sizeof(*g->teams));
	for (unsigned t = 0; t < g->nteams; t++) {
		int limit = (int)o->caseload + (int)(t % 3) - 1;
		if (t % 5 == 4)
			limit = (int)o->caseload + 6;
		g->teams[t].recruit_at = limit < 1 ? 1 : (unsigned)limit;
	}
}

int demo_generate(const demo_opts *o, demo_sink sink, void *ctx, demo_stats *stats, sl_err *err)
{
	demo_stats scratch;
	gen g = {0};
	int rc;

	if ((rc = check_opts(o, err)))
		return rc;
	if ((rc = calendar_load_default(&g.cal, err)))
		return rc;
	g.o = o;
	g.sink = sink;
	g.ctx = ctx;
	g.err = err;
	g.st = stats ? stats : &scratch;
	memset(g.st, 0, sizeof(*g.st));
	g.end = at(o->to + 1, 0);
	g.now = at(o->from, 0);
	rng_seed(&g.r, o->seed);
	make_teams(&g);
	queue(&g, NULL, S_MAIN, A_ARRIVAL, NO_KID, office(&g, o->from), false);

	while (g.n && !g.rc) {
		item it = heap_pop(&g);

		if (it.key >= g.end) {
			if (it.fam)
				unref(it.fam);
			break;
		}
		if (it.fam && it.token != it.fam->token[it.slot]) {
			unref(it.fam);
			continue;
		}
		g.now = it.key;
		g.dateonly = it.dateonly;
		format_when(&g);
		steps[it.action](&g, it.fam, it.child);
		if (it.fam)
			unref(it.fam);
	}
	rc = g.rc;

	while (g.n) {
		item it = heap_pop(&g);
		if (it.fam)
			unref(it.fam);
	}
	free(g.heap);
	for (unsigned t = 0; t < g.nteams; t++)
		free(g.teams[t].load);
	free(g.teams);
	buf_release(&g.text);
	calendar_free(g.cal);
	return rc;
}
