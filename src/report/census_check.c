/*
 * census_check.c - the DfE's children in need census validation rules
 * (census_check.h) over the census model.
 *
 * One function per rule, one row per rule in census_rules[]: the code,
 * error or query, the census item it reports, and the DfE's message
 * (2025 to 2026 validation rules; the wording is the DfE's, so a data
 * officer can match a finding with what COLLECT would say).  Each check
 * function walks the child's episodes and modules and calls found() for
 * every fault, with the seq of the event that recorded the item, and a
 * detail naming the dates or codes and the episode (by its referral date,
 * which is how COLLECT's error report locates a CINdetails module too).
 *
 * Where the DfE's rule text and the open-source validators differ, the
 * rule text wins, and docs/census-validation.md says what was read how.
 * Dates: day numbers; "the year" is [y->start, y->end], the reference date
 * y->end; working days via calendar.h.
 */
#include "util/common.h"

#include <stdarg.h>

#include <jansson.h>

#include "domain/codes.h"
#include "report/census_check.h"
#include "util/date.h"

struct census_findings {
	census_finding *v;
	size_t n, cap;
	size_t errors, queries;
};

typedef struct census_checker {
	const census_year *y;
	const calendar *cal;
	census_findings *out;
	const census_rule *rule; /* the row running */
	/* The reference date less 45 and 15 working days (8670Q, 8675Q). */
	int32_t less_45wd, less_15wd;
} census_checker;

/* ---- reporting ------------------------------------------------------------ */

static void found(census_checker *k, const census_child *ch, uint64_t evidence, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void found(census_checker *k, const census_child *ch, uint64_t evidence, const char *fmt, ...)
{
	census_findings *f = k->out;
	census_finding *o;
	buf d = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&d, fmt, ap);
	va_end(ap);
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	o = &f->v[f->n++];
	o->rule = k->rule->code;
	o->severity = k->rule->severity;
	o->child = ch ? ch->cf->id : "";
	o->field = k->rule->field;
	o->message = k->rule->message;
	o->detail = buf_detach(&d);
	o->evidence = evidence;
	if (o->severity == CENSUS_ERROR)
		f->errors++;
	else
		f->queries++;
}

/* A day as YYYY-MM-DD in the caller's 11 bytes, for details. */
static const char *ds(char b[11], int32_t day)
{
	int y, m, d;

	if (day == CENSUS_NONE)
		return "none";
	date_to_ymd(day, &y, &m, &d);
	snprintf(b, 11, "%04d-%02d-%02d", y, m, d);
	return b;
}

/* ---- shared predicates -------------------------------------------------- */

static bool in_year(const census_checker *k, int32_t day)
{
	return day != CENSUS_NONE && day >= k->y->start && day <= k->y->end;
}

/* The identity items as the return carries them (census_xml.c writes
 * these, so the rules judge these): a recorded birth replaces the expected
 * date; a death after the reference date is not returned; UPNunknown only
 * goes with no UPN. */
static int32_t ret_expected(const cf_child *c)
{
	return c->born != CF_NONE ? CF_NONE : c->expected;
}

static int32_t ret_died(const census_checker *k, const cf_child *c)
{
	return c->died != CF_NONE && c->died <= k->y->end ? c->died : CF_NONE;
}

static const char *ret_upn_unknown(const cf_child *c)
{
	return c->upn[0] ? "" : c->upn_unknown;
}

static bool unborn(const cf_child *c)
{
	return c->born == CF_NONE && c->expected != CF_NONE;
}

/* A further-action referral: the child's needs went on to be assessed. */
static bool any_further_action(const census_child *ch)
{
	size_t i;

	for (i = 0; i < ch->n_episodes; i++)
		if (!ch->episodes[i].nfa)
			return true;
	return false;
}

/* ICPCnotRequired true: the enquiry ended with no conference needed.
 * Absent (-1, an enquiry still open) counts as not true, as the rules
 * read a missing flag. */
static bool icpc_not_required(const census_s47 *s)
{
	return s->icpc_not_required == 1;
}

/* An S47 enquiry still waiting for its conference. */
static bool s47_open(const census_s47 *s)
{
	return s->icpc == CENSUS_NONE && !icpc_not_required(s);
}

/* "[start, end]" holds day; an open span runs to the reference date. */
static bool within(const census_checker *k, int32_t day, int32_t start, int32_t end)
{
	return day >= start && day <= (end == CENSUS_NONE ? k->y->end : end);
}

/* ---- UPN (DfE "Unique pupil number" guidance) ----------------------------- */

/* The 23 letters a UPN uses (no I, O or S), in check-letter order. */
static const char upn_letters[] = "ABCDEFGHJKLMNPQRTUVWXYZ";

static int upn_letter_value(char c)
{
	const char *p = c ? strchr(upn_letters, c) : NULL;

	return p ? (int)(p - upn_letters) : -1;
}

/* The check letter for characters 2-13: each character's value times its
 * position (2..13), summed, modulo 23.  Characters 2-12 are digits;
 * character 13 is a digit, or a letter for a temporary UPN.  -1 when the
 * UPN is not in that shape (1540 and 1550 report why). */
static int upn_check_value(const char *upn)
{
	int sum = 0, v, i;

	if (strlen(upn) != 13)
		return -1;
	for (i = 1; i < 12; i++) {
		if (upn[i] < '0' || upn[i] > '9')
			return -1;
		sum += (upn[i] - '0') * (i + 1);
	}
	v = upn[12] >= '0' && upn[12] <= '9' ? upn[12] - '0' : upn_letter_value(upn[12]);
	if (v < 0)
		return -1;
	return (sum + v * 13) % 23;
}

/* The LA codes characters 2-4 may hold: the DfE's local authority numbers
 * (ranges and singles, as the DfE's CIN validation lists them, with the
 * 2023 Cumberland and Westmorland and Furness codes). */
static bool upn_la_known(int la)
{
	static const short ranges[][2] = {
		{1, 5},     {201, 213}, {301, 320}, {330, 336}, {340, 344}, {350, 359}, {370, 373},
		{380, 384}, {390, 394}, {660, 681}, {701, 708}, {800, 803}, {805, 808}, {810, 813},
		{820, 823}, {835, 839}, {850, 852}, {855, 857}, {865, 896}, {935, 943},
	};
	static const short singles[] = {420, 815, 816, 825, 826, 830, 831, 840, 841, 845, 846, 860,
	                                861, 908, 909, 916, 919, 921, 925, 926, 928, 929, 931, 933};
	size_t i;

	for (i = 0; i < SL_ARRAY_LEN(ranges); i++)
		if (la >= ranges[i][0] && la <= ranges[i][1])
			return true;
	for (i = 0; i < SL_ARRAY_LEN(singles); i++)
		if (la == singles[i])
			return true;
	return false;
}

static bool all_digits(const char *s, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

char census_upn_check_letter(const char *upn)
{
	int v = upn_check_value(upn);

	return v < 0 ? 0 : upn_letters[v];
}

static void rule_1510(census_checker *k, const census_child *ch)
{
	const char *u = ch->cf->upn;
	char want;

	if (!u[0] || !(want = census_upn_check_letter(u)))
		return;
	if (u[0] != want)
		found(k, ch, ch->cf->registered_seq, "UPN %s: the check letter should be %c", u, want);
}

static void rule_1530(census_checker *k, const census_child *ch)
{
	const char *u = ch->cf->upn;

	if (!u[0] || strlen(u) < 4)
		return;
	if (!all_digits(u, 1, 4) || !upn_la_known((u[1] - '0') * 100 + (u[2] - '0') * 10 + (u[3] - '0')))
		found(k, ch, ch->cf->registered_seq, "UPN %s: %.3s is not an LA code", u, u + 1);
}

static void rule_1540(census_checker *k, const census_child *ch)
{
	const char *u = ch->cf->upn;

	if (u[0] && (strlen(u) != 13 || !all_digits(u, 4, 12)))
		found(k, ch, ch->cf->registered_seq, "UPN %s", u);
}

static void rule_1550(census_checker *k, const census_child *ch)
{
	const char *u = ch->cf->upn;
	char last;

	if (!u[0] || strlen(u) != 13)
		return;
	last = u[12];
	if (!(last >= '0' && last <= '9') && upn_letter_value(last) < 0)
		found(k, ch, ch->cf->registered_seq, "UPN %s: character 13 is %c", u, last);
}

static void rule_1560Q(census_checker *k, const census_child *ch)
{
	const char *u = ch->cf->former_upn;

	if (u[0] && (strlen(u) != 13 || !((u[0] >= 'A' && u[0] <= 'Z') || (u[0] >= 'a' && u[0] <= 'z')) ||
	             !all_digits(u, 1, 13)))
		found(k, ch, ch->cf->registered_seq, "former UPN %s", u);
}

/* ---- child identifiers and characteristics -------------------------------- */

static void rule_1570(census_checker *k, const census_child *ch)
{
	if (strlen(ch->cf->id) > 20)
		found(k, ch, ch->cf->registered_seq, "%zu characters", strlen(ch->cf->id));
}

static void rule_1580(census_checker *k, const census_child *ch)
{
	const char *s;

	for (s = ch->cf->id; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9'))) {
			found(k, ch, ch->cf->registered_seq, "`%c` in the id", *s);
			return;
		}
}

static void rule_4180(census_checker *k, const census_child *ch)
{
	if (!ch->cf->sex[0])
		found(k, ch, ch->cf->registered_seq, "no sex recorded");
}

static void rule_4220(census_checker *k, const census_child *ch)
{
	if (!ch->cf->ethnicity[0])
		found(k, ch, ch->cf->registered_seq, "no ethnicity recorded");
}

static void rule_8520(census_checker *k, const census_child *ch)
{
	char b[11];

	if (ch->cf->born != CF_NONE && ch->cf->born > k->y->end)
		found(k, ch, ch->cf->registered_seq, "born %s", ds(b, ch->cf->born));
}

static void rule_8530Q(census_checker *k, const census_child *ch)
{
	char b[11];
	const cf_child *c = ch->cf;

	int32_t expected = ret_expected(c);

	if (expected == CF_NONE)
		return;
	if (expected < k->y->end - 30 || expected > date_add_months(k->y->end, 9))
		found(k, ch, c->registered_seq, "expected %s", ds(b, expected));
}

static void rule_8540(census_checker *k, const census_child *ch)
{
	if (ch->cf->born != CF_NONE && ch->cf->n_disabilities == 0 && any_further_action(ch))
		found(k, ch, ch->cf->registered_seq, "no disabilities recorded (NONE when there are none)");
}

static void rule_8545Q(census_checker *k, const census_child *ch)
{
	char b[11];

	if (ret_died(k, ch->cf) != CF_NONE && !in_year(k, ch->cf->died))
		found(k, ch, ch->cf->registered_seq, "died %s", ds(b, ch->cf->died));
}

static void rule_8750(census_checker *k, const census_child *ch)
{
	if (unborn(ch->cf) && strcmp(ch->cf->sex, "U") != 0)
		found(k, ch, ch->cf->registered_seq, "unborn, sex %s", ch->cf->sex[0] ? ch->cf->sex : "missing");
}

/* School age for the UPN rule: born on or before 31 August four years
 * before the reference date's 31 August (the DfE's 2024-25 wording as the
 * d2i validator implements it). */
static void rule_8770Q(census_checker *k, const census_child *ch)
{
	const cf_child *c = ch->cf;
	int y, m, d;
	const char *un = ret_upn_unknown(c);

	date_to_ymd(k->y->end, &y, &m, &d);
	if (c->born == CF_NONE || c->born > date_from_ymd(y - 4, 8, 31) || !any_further_action(ch))
		return;
	if (c->upn[0] || (un[0] && strcmp(un, "UN1") != 0 && strcmp(un, "UN7") != 0))
		return;
	found(k, ch, c->registered_seq, "no UPN, reason %s", un[0] ? un : "missing");
}

static void rule_8772(census_checker *k, const census_child *ch)
{
	if (strcmp(ret_upn_unknown(ch->cf), "UN7") == 0 && any_further_action(ch))
		found(k, ch, ch->cf->registered_seq, "UN7 with a referral that went on to further action");
}

static void rule_8775Q(census_checker *k, const census_child *ch)
{
	char b[11];
	const cf_child *c = ch->cf;
	int32_t at25;
	size_t i;

	if (c->born == CF_NONE || c->born >= date_add_months(k->y->end, -25 * 12))
		return;
	at25 = date_add_months(c->born, 25 * 12);
	for (i = 0; i < ch->n_episodes; i++) {
		const census_episode *e = &ch->episodes[i];

		if (e->closure == CENSUS_NONE || e->closure > at25) {
			found(k, ch, c->registered_seq, "born %s", ds(b, c->born));
			return;
		}
	}
}

/* ---- episodes (CINdetails) ----------------------------------------------- */

#define EACH_EPISODE(ch, e) \
	for (const census_episode *e = (ch)->episodes; e < (ch)->episodes + (ch)->n_episodes; e++)
#define EACH_S47(e, s) for (const census_s47 *s = (e)->s47s; s < (e)->s47s + (e)->n_s47s; s++)

static void rule_2990(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e) {
		if (strcmp(e->closure_reason, "RC8") != 0)
			continue;
		if (e->n_s47s || e->n_plans || e->n_cin_plans || e->initial_cpc != CENSUS_NONE)
			found(k, ch, e->closure_reason_seq, "episode referred %s closed RC8 with %zu S47, %zu CP plan, %zu CIN plan modules",
			      ds(b, e->referral), e->n_s47s, e->n_plans, e->n_cin_plans);
	}
}

static void rule_2991Q(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		if (e->n_s47s && !e->n_assessments)
			found(k, ch, e->s47s[0].start_seq, "episode referred %s", ds(b, e->referral));
}

static void rule_8555(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	if (ret_died(k, ch->cf) == CF_NONE)
		return;
	EACH_EPISODE(ch, e)
		if (e->referral > ch->cf->died)
			found(k, ch, e->referral_seq, "referred %s, died %s", ds(b1, e->referral), ds(b2, ch->cf->died));
}

/* Closure on or after every date of the episode's work. */
static void rule_8565(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];
	size_t i;

	EACH_EPISODE(ch, e) {
		int32_t last = CENSUS_NONE;
		uint64_t seq = 0;

#define LATER(day, s) \
	do { \
		if ((day) != CENSUS_NONE && (day) > e->closure && (last == CENSUS_NONE || (day) > last)) { \
			last = (day); \
			seq = (s); \
		} \
	} while (0)
		if (e->closure == CENSUS_NONE)
			continue;
		LATER(e->initial_cpc, e->initial_cpc_seq);
		for (i = 0; i < e->n_assessments; i++) {
			LATER(e->assessments[i].start, e->assessments[i].start_seq);
			LATER(e->assessments[i].authorised, e->assessments[i].authorised_seq);
		}
		for (i = 0; i < e->n_s47s; i++) {
			LATER(e->s47s[i].start, e->s47s[i].start_seq);
			LATER(e->s47s[i].icpc, e->s47s[i].icpc_seq);
		}
		for (i = 0; i < e->n_cin_plans; i++) {
			LATER(e->cin_plans[i].start, e->cin_plans[i].start_seq);
			LATER(e->cin_plans[i].end, e->cin_plans[i].end_seq);
		}
		for (i = 0; i < e->n_plans; i++)
			LATER(e->plans[i].end, e->plans[i].end_seq);
#undef LATER
		if (last != CENSUS_NONE)
			found(k, ch, seq, "closed %s, work dated %s (episode referred %s)", ds(b1, e->closure),
			      ds(b2, last), ds((char[11]){0}, e->referral));
	}
}

static void rule_8585Q(census_checker *k, const census_child *ch)
{
	char b[11];

	if (ret_died(k, ch->cf) != CF_NONE)
		return;
	EACH_EPISODE(ch, e)
		if (strcmp(e->closure_reason, "RC2") == 0)
			found(k, ch, e->closure_reason_seq, "episode referred %s closed RC2 (died)", ds(b, e->referral));
}

static void rule_8606(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];
	int32_t birth = ch->cf->born != CF_NONE ? ch->cf->born : ret_expected(ch->cf);

	if (birth == CF_NONE)
		return;
	EACH_EPISODE(ch, e)
		if (e->referral < birth - 280)
			found(k, ch, e->referral_seq, "referred %s, birth %s", ds(b1, e->referral), ds(b2, birth));
}

static void rule_8610(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		if (!e->nfa && !e->primary_need[0])
			found(k, ch, e->nfa_seq ? e->nfa_seq : e->referral_seq, "episode referred %s", ds(b, e->referral));
}

/* The other episode's span [referral, closure], or to the reference date
 * when it is open and not an NFA referral. */
static void rule_8820(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	EACH_EPISODE(ch, e)
		EACH_EPISODE(ch, o) {
			int32_t end;

			if (o == e || e->referral < o->referral)
				continue;
			if (e->referral == o->referral && e < o)
				continue; /* a pair on one day is reported once */
			end = o->closure != CENSUS_NONE ? o->closure : (o->nfa ? o->referral : k->y->end);
			/* One episode closing as the next is referred is no overlap
			 * (the DfE's note to the rule). */
			if (e->referral <= end && !(e->referral == end && o->closure == end && e->referral != o->referral)) {
				found(k, ch, e->referral_seq, "referred %s, during the episode referred %s",
				      ds(b1, e->referral), ds(b2, o->referral));
				break;
			}
		}
}

static void rule_8816(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];
	int32_t latest = CENSUS_NONE;

	EACH_EPISODE(ch, e)
		if (latest == CENSUS_NONE || e->referral > latest)
			latest = e->referral;
	EACH_EPISODE(ch, e)
		if (!e->nfa && e->closure == CENSUS_NONE && e->referral != latest)
			found(k, ch, e->referral_seq, "open episode referred %s, latest referral %s", ds(b1, e->referral),
			      ds(b2, latest));
}

static void rule_8825Q(census_checker *k, const census_child *ch)
{
	char b[11];

	/* An NFA referral is closed RC8 by the DfE's own instruction and may
	 * not have an assessment (8831), so the rule is about the others. */
	EACH_EPISODE(ch, e)
		if (!e->nfa && !e->n_assessments &&
		    (strcmp(e->closure_reason, "RC8") == 0 || strcmp(e->closure_reason, "RC9") == 0))
			found(k, ch, e->closure_reason_seq, "episode referred %s closed %s", ds(b, e->referral),
			      e->closure_reason);
}

static void rule_8866(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		if (!e->source[0] && e->referral >= date_from_ymd(2013, 4, 1))
			found(k, ch, e->referral_seq, "episode referred %s", ds(b, e->referral));
}

static void rule_8867(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];
	size_t i;

	EACH_EPISODE(ch, e) {
		if (e->closure == CENSUS_NONE)
			continue;
		for (i = 0; i < e->n_assessments; i++)
			if (e->assessments[i].authorised == CENSUS_NONE)
				found(k, ch, e->assessments[i].start_seq, "closed %s, assessment started %s not authorised",
				      ds(b1, e->closure), ds(b2, e->assessments[i].start));
	}
}

static void rule_8868(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];
	size_t i;

	EACH_EPISODE(ch, e) {
		if (e->closure == CENSUS_NONE)
			continue;
		for (i = 0; i < e->n_s47s; i++)
			if (s47_open(&e->s47s[i]))
				found(k, ch, e->s47s[i].start_seq, "closed %s, S47 started %s", ds(b1, e->closure),
				      ds(b2, e->s47s[i].start));
	}
}

static void rule_8873(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e) {
		const census_assessment *a = e->assessments;

		if (e->n_assessments != 1 || a->n_factors != 1 || strcmp(a->factors[0], "21") != 0)
			continue;
		if (strcmp(e->closure_reason, "RC8") != 0)
			found(k, ch, e->closure_reason_seq ? e->closure_reason_seq : a->factors_seq,
			      "episode referred %s, reason for closure %s", ds(b, e->referral),
			      e->closure_reason[0] ? e->closure_reason : "none (still open)");
	}
}

/* ---- assessments --------------------------------------------------------- */

#define EACH_ASSESSMENT(e, a) \
	for (const census_assessment *a = (e)->assessments; a < (e)->assessments + (e)->n_assessments; a++)

static void rule_8608(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	EACH_EPISODE(ch, e)
		EACH_ASSESSMENT(e, a)
			if (a->authorised != CENSUS_NONE && a->authorised < a->start)
				found(k, ch, a->authorised_seq, "started %s, authorised %s", ds(b1, a->start),
				      ds(b2, a->authorised));
}

static void rule_8670Q(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_ASSESSMENT(e, a)
			if (a->authorised == CENSUS_NONE && a->start < k->less_45wd)
				found(k, ch, a->start_seq, "started %s, not authorised", ds(b, a->start));
}

static void rule_8736(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_ASSESSMENT(e, a)
			if (a->authorised == CENSUS_NONE && !in_year(k, a->start))
				found(k, ch, a->start_seq, "started %s, not authorised", ds(b, a->start));
}

static void rule_8863(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	EACH_EPISODE(ch, e)
		EACH_ASSESSMENT(e, a)
			EACH_ASSESSMENT(e, o) {
				if (o == a || a->start < o->start || (a->start == o->start && a < o))
					continue;
				if (within(k, a->start, o->start, o->authorised)) {
					found(k, ch, a->start_seq, "started %s, during the assessment started %s",
					      ds(b1, a->start), ds(b2, o->start));
					break;
				}
			}
}

static void rule_8896(census_checker *k, const census_child *ch)
{
	char b[11];
	size_t open;

	EACH_EPISODE(ch, e) {
		open = 0;
		EACH_ASSESSMENT(e, a)
			open += a->authorised == CENSUS_NONE;
		if (open > 1)
			found(k, ch, e->assessments[0].start_seq, "%zu open assessments in the episode referred %s", open,
			      ds(b, e->referral));
	}
}

static void rule_8897(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_ASSESSMENT(e, a)
			if (a->authorised != CENSUS_NONE && a->authorised >= k->y->start && a->n_factors == 0)
				found(k, ch, a->authorised_seq, "assessment authorised %s", ds(b, a->authorised));
}

/* A child with a disability whose assessment names no child-disability
 * factor (5A learning disability - child, 6A physical disability or
 * illness - child). */
static void rule_8899Q(census_checker *k, const census_child *ch)
{
	char b[11];
	size_t i;
	bool disabled = false;

	for (i = 0; i < ch->cf->n_disabilities; i++)
		disabled |= strcmp(ch->cf->disabilities[i], "NONE") != 0;
	if (!disabled)
		return;
	EACH_EPISODE(ch, e)
		EACH_ASSESSMENT(e, a) {
			bool factor = false;

			if (a->authorised == CENSUS_NONE || !in_year(k, a->authorised))
				continue;
			for (i = 0; i < a->n_factors; i++)
				factor |= strcmp(a->factors[i], "5A") == 0 || strcmp(a->factors[i], "6A") == 0;
			if (!factor)
				found(k, ch, a->authorised_seq ? a->authorised_seq : a->start_seq,
				      "assessment authorised %s", ds(b, a->authorised));
		}
}

/* ---- CIN plans ------------------------------------------------------------ */

#define EACH_CIN_PLAN(e, p) \
	for (const census_cin_plan *p = (e)->cin_plans; p < (e)->cin_plans + (e)->n_cin_plans; p++)
#define EACH_CP_PLAN(e, p) \
	for (const census_cp_plan *p = (e)->plans; p < (e)->plans + (e)->n_plans; p++)

static void rule_4001(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	EACH_EPISODE(ch, e)
		EACH_CIN_PLAN(e, p) {
			if (p->end != CENSUS_NONE)
				continue;
			EACH_CP_PLAN(e, q)
				if (q->end == CENSUS_NONE)
					found(k, ch, p->start_seq, "CIN plan from %s and CP plan from %s both open",
					      ds(b1, p->start), ds(b2, q->start));
		}
}

static void rule_4003(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];
	size_t i;

	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			for (i = 0; i < q->n_reviews; i++) {
				int32_t r = q->reviews[i].day;

				if (r == q->end)
					continue;
				EACH_EPISODE(ch, f)
					EACH_CIN_PLAN(f, p)
						if (r >= p->start && (p->end == CENSUS_NONE || r < p->end))
							found(k, ch, q->reviews[i].seq, "review %s, CIN plan from %s",
							      ds(b1, r), ds(b2, p->start));
			}
}

static void rule_4008(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	if (ret_died(k, ch->cf) == CF_NONE)
		return;
	EACH_EPISODE(ch, e)
		EACH_CIN_PLAN(e, p)
			if (p->start > ch->cf->died)
				found(k, ch, p->start_seq, "CIN plan from %s, died %s", ds(b1, p->start), ds(b2, ch->cf->died));
}

static void rule_4009(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	if (ret_died(k, ch->cf) == CF_NONE)
		return;
	EACH_EPISODE(ch, e)
		EACH_CIN_PLAN(e, p)
			if (p->end != CENSUS_NONE && p->end > ch->cf->died)
				found(k, ch, p->end_seq, "CIN plan ended %s, died %s", ds(b1, p->end), ds(b2, ch->cf->died));
}

static void rule_4012Q(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_CIN_PLAN(e, p)
			if (p->end == p->start)
				found(k, ch, p->end_seq, "CIN plan %s to %s", ds(b, p->start), ds((char[11]){0}, p->end));
}

/* A CIN plan may start the day a CP plan ends, and the other way round. */
static bool starts_in(const census_checker *k, int32_t day, int32_t start, int32_t end)
{
	return day >= start && (end == CENSUS_NONE ? day <= k->y->end : day < end);
}

static void rule_4016(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	EACH_EPISODE(ch, e)
		EACH_CIN_PLAN(e, p)
			EACH_EPISODE(ch, f)
				EACH_CP_PLAN(f, q)
					if (starts_in(k, p->start, q->start, q->end))
						found(k, ch, p->start_seq, "CIN plan from %s, CP plan from %s", ds(b1, p->start),
						      ds(b2, q->start));
}

static void rule_4017(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			EACH_EPISODE(ch, f)
				EACH_CIN_PLAN(f, p)
					if (starts_in(k, q->start, p->start, p->end))
						found(k, ch, q->start_seq, "CP plan from %s, CIN plan from %s", ds(b1, q->start),
						      ds(b2, p->start));
}

/* ---- section 47 enquiries ------------------------------------------------ */

static void rule_8675Q(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_S47(e, s)
			if (s47_open(s) && s->start < k->less_15wd)
				found(k, ch, s->start_seq, "S47 started %s, no conference", ds(b, s->start));
}

static void rule_8740(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_S47(e, s)
			if (s47_open(s) && !in_year(k, s->start))
				found(k, ch, s->start_seq, "S47 started %s, no conference", ds(b, s->start));
}

static void rule_8839(census_checker *k, const census_child *ch)
{
	char b[11];
	size_t open;

	EACH_EPISODE(ch, e) {
		open = 0;
		EACH_S47(e, s)
			open += s47_open(s);
		if (open > 1)
			found(k, ch, e->s47s[0].start_seq, "%zu open S47 enquiries in the episode referred %s", open,
			      ds(b, e->referral));
	}
}

static void rule_8890(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	EACH_EPISODE(ch, e)
		EACH_S47(e, s)
			EACH_S47(e, o) {
				int32_t end;

				if (o == s || s->start < o->start || (s->start == o->start && s < o))
					continue;
				if (o->icpc == CENSUS_NONE && icpc_not_required(o))
					continue; /* ended with no conference: no span to overlap */
				end = o->icpc;
				if (within(k, s->start, o->start, end)) {
					found(k, ch, s->start_seq, "S47 started %s, during the S47 started %s",
					      ds(b1, s->start), ds(b2, o->start));
					break;
				}
			}
}

/* ---- child protection plans ----------------------------------------------- */

static void rule_2885(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q) {
			bool match = q->start == e->initial_cpc;

			if (!in_year(k, q->start))
				continue;
			EACH_S47(e, s)
				match |= s->icpc == q->start;
			if (!match)
				found(k, ch, q->start_seq, "CP plan from %s, no initial conference that day", ds(b, q->start));
		}
}

static void rule_8840(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			if (q->end == q->start)
				found(k, ch, q->end_seq, "CP plan %s to %s", ds(b, q->start), ds((char[11]){0}, q->end));
}

static void rule_8841(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];
	size_t i;

	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			for (i = 0; i < q->n_reviews; i++)
				if (q->reviews[i].day <= q->start)
					found(k, ch, q->reviews[i].seq, "review %s, CP plan from %s", ds(b1, q->reviews[i].day),
					      ds(b2, q->start));
}

static void rule_8905(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			if (!q->initial_category[0])
				found(k, ch, q->start_seq, "CP plan from %s", ds(b, q->start));
}

static void rule_8910(census_checker *k, const census_child *ch)
{
	char b[11];

	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			if (!q->latest_category[0])
				found(k, ch, q->start_seq, "CP plan from %s", ds(b, q->start));
}

static void rule_8915(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	if (ret_died(k, ch->cf) == CF_NONE)
		return;
	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			if (q->start > ch->cf->died)
				found(k, ch, q->start_seq, "CP plan from %s, died %s", ds(b1, q->start), ds(b2, ch->cf->died));
}

static void rule_8920(census_checker *k, const census_child *ch)
{
	char b1[11], b2[11];

	if (ret_died(k, ch->cf) == CF_NONE)
		return;
	EACH_EPISODE(ch, e)
		EACH_CP_PLAN(e, q)
			if (q->end != CENSUS_NONE && q->end > ch->cf->died)
				found(k, ch, q->end_seq, "CP plan ended %s, died %s", ds(b1, q->end), ds(b2, ch->cf->died));
}

/* ---- the return as a whole (the DfE's LA-level rules) --------------------- */

static int cmp_upn(const void *a, const void *b)
{
	const census_child *x = *(const census_child *const *)a, *y = *(const census_child *const *)b;
	int c = strcmp(x->cf->upn, y->cf->upn);

	return c ? c : strcmp(x->cf->id, y->cf->id);
}

/* Reported against each child sharing the UPN, so each record can be
 * found (COLLECT reports the rule once for the authority). */
static void rule_1520(census_checker *k, const census *c)
{
	size_t n = census_count(c), i, m = 0;
	const census_child **v = xcalloc(n ? n : 1, sizeof(*v));

	for (i = 0; i < n; i++)
		if (census_child_at(c, i)->cf->upn[0])
			v[m++] = census_child_at(c, i);
	qsort(v, m, sizeof(*v), cmp_upn);
	for (i = 0; i < m; i++)
		if ((i > 0 && strcmp(v[i]->cf->upn, v[i - 1]->cf->upn) == 0) ||
		    (i + 1 < m && strcmp(v[i]->cf->upn, v[i + 1]->cf->upn) == 0))
			found(k, v[i], v[i]->cf->registered_seq, "UPN %s", v[i]->cf->upn);
	free(v);
}

static void rule_2883(census_checker *k, const census *c)
{
	size_t i, plans = 0, icpcs = 0;

	for (i = 0; i < census_count(c); i++) {
		const census_child *ch = census_child_at(c, i);

		EACH_EPISODE(ch, e) {
			icpcs += in_year(k, e->initial_cpc);
			EACH_S47(e, s)
				icpcs += in_year(k, s->icpc);
			EACH_CP_PLAN(e, q)
				plans += in_year(k, q->start);
		}
	}
	if (plans > icpcs)
		found(k, NULL, 0, "%zu plans started in the year, %zu initial conferences", plans, icpcs);
}

static void rule_2886Q(census_checker *k, const census *c)
{
	size_t i, n = 0, none = 0;

	for (i = 0; i < census_count(c); i++) {
		const cf_child *ch = census_child_at(c, i)->cf;

		if (unborn(ch))
			continue;
		n++;
		none += !ch->sex[0] || strcmp(ch->sex, "U") == 0;
	}
	if (n && none * 50 > n)
		found(k, NULL, 0, "%zu of %zu children (excluding unborn) have sex U or none", none, n);
}

static void rule_2887Q(census_checker *k, const census *c)
{
	const codes_list *l = codes_list_find("disability");
	size_t i, j, used = 0;

	for (j = 0; l && j < l->count; j++) {
		bool seen = false;

		if (strcmp(l->entries[j].code, "NONE") == 0)
			continue;
		for (i = 0; i < census_count(c) && !seen; i++) {
			const cf_child *ch = census_child_at(c, i)->cf;
			size_t d;

			for (d = 0; d < ch->n_disabilities; d++)
				seen |= strcmp(ch->disabilities[d], l->entries[j].code) == 0;
		}
		used += seen;
	}
	if (used < 8)
		found(k, NULL, 0, "%zu disability codes used", used);
}

static void rule_2888Q(census_checker *k, const census *c)
{
	size_t i;

	for (i = 0; i < census_count(c); i++)
		if (census_child_at(c, i)->cf->n_disabilities > 1)
			return;
	found(k, NULL, 0, "no child has more than one disability recorded");
}

/* ---- the table --------------------------------------------------------------- */

#define E CENSUS_ERROR
#define Q CENSUS_QUERY
#define CHILD(f) f, NULL
#define WHOLE(f) NULL, f

const census_rule census_rules[] = {
	{"1510", E, "UPN", "UPN invalid (wrong check letter at character 1)", CHILD(rule_1510)},
	{"1520", E, "UPN", "More than one record with the same UPN", WHOLE(rule_1520)},
	{"1530", E, "UPN", "UPN invalid (characters 2-4 not a recognised LA code)", CHILD(rule_1530)},
	{"1540", E, "UPN", "UPN invalid (characters 5-12 not all numeric)", CHILD(rule_1540)},
	{"1550", E, "UPN", "UPN invalid (character 13 not a recognised value)", CHILD(rule_1550)},
	{"1560Q", Q, "FormerUPN", "Please check: Former UPN wrongly formatted", CHILD(rule_1560Q)},
	{"1570", E, "LAchildID", "LA Child ID must not be longer than 20 characters", CHILD(rule_1570)},
	{"1580", E, "LAchildID", "LA Child ID must not contain any non-alphanumeric characters", CHILD(rule_1580)},
	{"2883", E, "CPPstartDate", "There are more child protection plans starting than initial conferences taking place",
	 WHOLE(rule_2883)},
	{"2885", E, "CPPstartDate",
	 "Child protection plan shown as starting a different day to the initial child protection conference.",
	 CHILD(rule_2885)},
	{"2886Q", Q, "Sex",
	 "Please check and either amend or provide a reason: Percentage of children with no sex recorded is more than 2% "
	 "(excluding unborns)",
	 WHOLE(rule_2886Q)},
	{"2887Q", Q, "Disability",
	 "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return",
	 WHOLE(rule_2887Q)},
	{"2888Q", Q, "Disability",
	 "Please check: Only one disability code is recorded per child and multiple disabilities should be recorded where "
	 "possible.",
	 WHOLE(rule_2888Q)},
	{"2990", E, "ReasonForClosure",
	 "Activity is recorded against a case marked as 'Case closed after assessment, no further action'.",
	 CHILD(rule_2990)},
	{"2991Q", Q, "Section47", "Please check: A Section 47 module is recorded and there is no assessment on the episode",
	 CHILD(rule_2991Q)},
	{"4001", E, "CINPlanEndDate", "A CIN Plan cannot run concurrently with a Child Protection Plan", CHILD(rule_4001)},
	{"4003", E, "CPPreviewDate", "A CPP review date is shown as being held at the same time as an open CIN Plan.",
	 CHILD(rule_4003)},
	{"4008", E, "CINPlanStartDate", "CIN Plan shown as starting after the child's Date of Death.", CHILD(rule_4008)},
	{"4009", E, "CINPlanEndDate", "CIN Plan cannot end after the child's Date of Death", CHILD(rule_4009)},
	{"4012Q", Q, "CINPlanEndDate", "CIN Plan shown as starting and ending on the same day - please check",
	 CHILD(rule_4012Q)},
	{"4016", E, "CINPlanStartDate", "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
	 CHILD(rule_4016)},
	{"4017", E, "CPPstartDate", "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
	 CHILD(rule_4017)},
	{"4180", E, "Sex", "Sex must be provided and equal M, F, or U", CHILD(rule_4180)},
	{"4220", E, "Ethnicity", "Ethnicity is missing or invalid (see Ethnicity table)", CHILD(rule_4220)},
	{"8520", E, "PersonBirthDate",
	 "Date of Birth is after data collection period (must be on or before the end of the census period)",
	 CHILD(rule_8520)},
	{"8530Q", Q, "ExpectedPersonBirthDate",
	 "Please check: Expected Date of Birth is outside the expected range for this census (March to December of the "
	 "Census Year end)",
	 CHILD(rule_8530Q)},
	{"8540", E, "Disability", "Child's disability is missing or invalid (see Disability table)", CHILD(rule_8540)},
	{"8545Q", Q, "PersonDeathDate", "Please check: Child's date of death should be within the census year",
	 CHILD(rule_8545Q)},
	{"8555", E, "CINreferralDate", "Child cannot be referred after its recorded date of death", CHILD(rule_8555)},
	{"8565", E, "CINclosureDate", "Activity shown after a case has been closed", CHILD(rule_8565)},
	{"8585Q", Q, "ReasonForClosure",
	 "Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, however child "
	 "has no recorded Date of Death",
	 CHILD(rule_8585Q)},
	{"8606", E, "CINreferralDate", "Child referral date is more than 40 weeks before DOB or expected DOB",
	 CHILD(rule_8606)},
	{"8608", E, "AssessmentAuthorisationDate", "Assessment Start Date cannot be later than its End Date",
	 CHILD(rule_8608)},
	{"8610", E, "PrimaryNeedCode", "Primary Need code is missing for a referral which led to further action.",
	 CHILD(rule_8610)},
	{"8670Q", Q, "AssessmentActualStartDate",
	 "Please check: Assessment started more than 45 working days before the end of the census year. However, there is "
	 "no Assessment end date.",
	 CHILD(rule_8670Q)},
	{"8675Q", Q, "S47ActualStartDate",
	 "Please check: S47 Enquiry started more than 15 working days before the end of the census year. However, there is "
	 "no date of Initial Child Protection Conference.",
	 CHILD(rule_8675Q)},
	{"8736", E, "AssessmentActualStartDate",
	 "For an Assessment that has not been completed, the start date must fall within the census year",
	 CHILD(rule_8736)},
	{"8740", E, "S47ActualStartDate",
	 "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by the end of the census year, "
	 "the start date must fall within the census year",
	 CHILD(rule_8740)},
	{"8750", E, "Sex", "Sex must equal U for an unborn child", CHILD(rule_8750)},
	{"8770Q", Q, "UPNunknown",
	 "Please check and either amend data or provide a reason: UPN is missing or reason UPN is missing or is UN1 for a "
	 "child who is of school age.",
	 CHILD(rule_8770Q)},
	{"8772", E, "UPNunknown",
	 "UPN unknown reason is UN7 (Referral with no further action) but at least one CIN details is a referral going on "
	 "to further action",
	 CHILD(rule_8772)},
	{"8775Q", Q, "PersonBirthDate", "Please check: Child is over 25 years old", CHILD(rule_8775Q)},
	{"8816", E, "CINreferralDate",
	 "An open CIN episode is shown and case is not a referral with no further action, but it is not the latest "
	 "episode.",
	 CHILD(rule_8816)},
	{"8820", E, "CINreferralDate", "The dates on the CIN episodes for this child overlap", CHILD(rule_8820)},
	{"8825Q", Q, "ReasonForClosure",
	 "Please check and either amend data or provide a reason: Reason for Closure code RC8 (case closed after "
	 "assessment) or RC9 (case closed after assessment, referred to early help) has been returned but there is no "
	 "assessment present for the episode.",
	 CHILD(rule_8825Q)},
	{"8839", E, "DateOfInitialCPC", "Within one CINDetails group there are 2 or more open S47 Assessments",
	 CHILD(rule_8839)},
	{"8840", E, "CPPendDate", "Child Protection Plan cannot start and end on the same day", CHILD(rule_8840)},
	{"8841", E, "CPPreviewDate",
	 "The review date cannot be on the same day or before the Child protection Plan start date.", CHILD(rule_8841)},
	{"8863", E, "AssessmentActualStartDate",
	 "An Assessment is shown as starting when there is another Assessment ongoing", CHILD(rule_8863)},
	{"8866", E, "ReferralSource", "Source of Referral is missing or an invalid code", CHILD(rule_8866)},
	{"8867", E, "AssessmentAuthorisationDate",
	 "CIN episode is shown as closed, however Assessment is not shown as completed", CHILD(rule_8867)},
	{"8868", E, "ICPCnotRequired",
	 "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC not "
	 "required flag",
	 CHILD(rule_8868)},
	{"8873", E, "ReasonForClosure",
	 "When there is only one assessment on the episode and the factors code \"21 No factors identified\" has been used "
	 "for the completed assessment, the reason for closure 'RC8' must be used.",
	 CHILD(rule_8873)},
	{"8890", E, "S47ActualStartDate",
	 "A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing", CHILD(rule_8890)},
	{"8896", E, "AssessmentAuthorisationDate", "Within one CINDetails group there are 2 or more open Assessments groups",
	 CHILD(rule_8896)},
	{"8897", E, "AssessmentFactors",
	 "Parental or child factors at assessment information is missing from a completed assessment", CHILD(rule_8897)},
	{"8899Q", Q, "AssessmentFactors",
	 "Please check: A child identified as having a disability does not have a disability factor recorded at the end of "
	 "assessment.",
	 CHILD(rule_8899Q)},
	{"8905", E, "InitialCategoryOfAbuse",
	 "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
	 CHILD(rule_8905)},
	{"8910", E, "LatestCategoryOfAbuse",
	 "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN Census code set)",
	 CHILD(rule_8910)},
	{"8915", E, "CPPstartDate", "Child Protection Plan shown as starting after the child's Date of Death",
	 CHILD(rule_8915)},
	{"8920", E, "CPPendDate", "Child Protection Plan cannot end after the child's Date of Death", CHILD(rule_8920)},
};
const size_t census_rule_count = SL_ARRAY_LEN(census_rules);

#undef E
#undef Q

/* ---- running ------------------------------------------------------------------- */

/* The day n working days before day: (result, day] holds n working days
 * and the result is the latest such day. */
static int32_t wd_before(const calendar *cal, int32_t day, int n)
{
	int32_t d = day;

	while (calendar_wd_between(cal, d, day) < n)
		d--;
	return d;
}

int census_check(const census *c, const calendar *cal, census_findings **out, sl_err *err)
{
	census_checker k = {census_get_year(c), cal, xcalloc(1, sizeof(census_findings)), NULL, 0, 0};
	size_t i, r;

	(void)err;
	k.less_45wd = wd_before(cal, k.y->end, 45);
	k.less_15wd = wd_before(cal, k.y->end, 15);
	for (i = 0; i < census_count(c); i++)
		for (r = 0; r < census_rule_count; r++) {
			k.rule = &census_rules[r];
			if (k.rule->child)
				k.rule->child(&k, census_child_at(c, i));
		}
	for (r = 0; r < census_rule_count; r++) {
		k.rule = &census_rules[r];
		if (k.rule->whole)
			k.rule->whole(&k, c);
	}
	*out = k.out;
	return 0;
}

void census_findings_free(census_findings *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		free((char *)f->v[i].detail);
	free(f->v);
	free(f);
}

size_t census_findings_count(const census_findings *f)
{
	return f->n;
}

const census_finding *census_findings_at(const census_findings *f, size_t i)
{
	return i < f->n ? &f->v[i] : NULL;
}

size_t census_findings_errors(const census_findings *f)
{
	return f->errors;
}

size_t census_findings_queries(const census_findings *f)
{
	return f->queries;
}

void census_finding_format(buf *out, const census_finding *f)
{
	buf_printf(out, "%s %s %s: %s", f->rule, f->child[0] ? f->child : "-", f->field, f->message);
	if (f->detail[0] && f->evidence)
		buf_printf(out, " (%s; event %llu)", f->detail, (unsigned long long)f->evidence);
	else if (f->detail[0])
		buf_printf(out, " (%s)", f->detail);
	else if (f->evidence)
		buf_printf(out, " (event %llu)", (unsigned long long)f->evidence);
}

json_t *census_finding_json(const census_finding *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "rule", json_string(f->rule));
	json_object_set_new(o, "severity", json_string(f->severity == CENSUS_ERROR ? "error" : "query"));
	json_object_set_new(o, "child", f->child[0] ? json_string(f->child) : json_null());
	json_object_set_new(o, "field", json_string(f->field));
	json_object_set_new(o, "message", json_string(f->message));
	json_object_set_new(o, "detail", json_string(f->detail));
	json_object_set_new(o, "evidence", f->evidence ? json_integer((json_int_t)f->evidence) : json_null());
	return o;
}
