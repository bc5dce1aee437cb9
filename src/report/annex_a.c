/*
 * annex_a.c - Ofsted's Annex A lists from the casefile model, written as
 * an XLSX workbook with libxlsxwriter (annex_a.h, docs/annex-a.md).
 *
 * Each list is one pass over the children in id order, so rows come out
 * grouped by child and, within a child, in the order of DESIGN 6.1.2;
 * libxlsxwriter's constant-memory mode needs exactly that (a row is
 * flushed to disk when the next one starts, and can never be revisited).
 *
 * Values follow Ofsted's template: dates are real Excel dates (a serial
 * number with the number format dd/mm/yyyy, so a spreadsheet sorts and
 * filters them as dates), ages and counts are numbers, and coded columns
 * hold the template's option text ("a) Yes", "b) Female", "e) 2A:
 * Schools", "N1 - Abuse or neglect").  A cell the record cannot fill is
 * left empty rather than guessed; docs/annex-a.md lists them.
 *
 * Dates in the model are day numbers (days since 1970-01-01); Excel's
 * serial for 1970-01-01 is 25569 in its 1900 date system, and every date
 * we write is after Excel's phantom 29 February 1900, so serial = day +
 * 25569 exactly.
 */
#include "util/common.h"
#include "report/annex_a.h"
#include "report/casefile.h"
#include "domain/codes.h"
#include "util/date.h"

#include <xlsxwriter.h>

#define EXCEL_EPOCH_1970 25569.0

/* ---- the template: sheets and headers ------------------------------------------------------ */

#define CHILD_COLUMNS "Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"
#define DISABILITY "Does the Child have a Disability"
#define ALLOCATED "Allocated Team", "Allocated Worker"

static const char *const list1[] = {CHILD_COLUMNS, "Date of Contact", "Contact Source"};
static const char *const list2[] = {CHILD_COLUMNS, "Assessment start date", "Assessment completion date",
                                    "Organisation completing assessment"};
static const char *const list3[] = {CHILD_COLUMNS, "Date of referral", "Referral Source", "Referral NFA?",
                                    "Number of Referrals in Last 12 Months", ALLOCATED};
static const char *const list4[] = {CHILD_COLUMNS, DISABILITY, "Continuous Assessment Start Date",
                                    "Child Seen During Continuous Assessment",
                                    "Continuous Assessment Date of Authorisation",
                                    "Was the child assessed as requiring LA children's social care support?",
                                    ALLOCATED};
static const char *const list5[] = {CHILD_COLUMNS, DISABILITY,
                                    "Strategy discussion initiating Section 47 Enquiry Start Date",
                                    "Was an Initial Child Protection Conference deemed unnecessary?",
                                    "Date of Initial Child Protection Conference",
                                    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                                    "Number of Section 47 Enquiries in the last 12 months",
                                    "Number of ICPCs in the last 12 months", ALLOCATED};
static const char *const list6[] = {CHILD_COLUMNS, DISABILITY, "CIN Start Date", "Primary Need Code",
                                    "Date Child Was Last Seen", "CIN Closure Date", "Reason for Closure",
                                    "Case Status", ALLOCATED};
static const char *const list7[] = {
	CHILD_COLUMNS, DISABILITY, "Child Protection Plan Start Date", "Initial Category of Abuse",
	"Latest Category of Abuse", "Date of the Last Statutory Visit", "Was the Child Seen Alone?",
	"Date of latest review conference", "Child Protection Plan End Date",
	"Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
	"Number of Previous Child Protection Plans", ALLOCATED};
static const char *const list8[] = {
	CHILD_COLUMNS,
	"Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
	DISABILITY,
	"Date Started to be Looked After",
	"Child's Category of Need",
	"Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
	"Start date of current legal status",
	"Child's Legal Status",
	"Date of Latest Statutory Review",
	"Date of Last Social Work Visit",
	"What is the permanence plan for this child?",
	"Date of Last IRO Visit / Contact to the Child",
	"Date of Last Health Assessment",
	"Date of Last Dental Check",
	"Number of Placements in the Last 12 months",
	"Date Ceased to be Looked After",
	"Reason Ceased to be Looked After",
	"Start Date of Most Recent Placement",
	"Placement Type",
	"Placement Provider",
	"Placement postcode",
	"URN of Placement",
	"Placement Location",
	"LA of Placement",
	"Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
	"Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
	"Was the child offered a Return Interview after their last missing episode (Y/N)?",
	"Did the child accept a Return Interview after their last missing episode (Y/N)?",
	ALLOCATED};

typedef struct sheet_def {
	const char *name;
	const char *const *headers;
	size_t n;
} sheet_def;

static const sheet_def sheets[ANNEX_A_LISTS] = {
	{"List 1", list1, SL_ARRAY_LEN(list1)}, {"List 2", list2, SL_ARRAY_LEN(list2)},
	{"List 3", list3, SL_ARRAY_LEN(list3)}, {"List 4", list4, SL_ARRAY_LEN(list4)},
	{"List 5", list5, SL_ARRAY_LEN(list5)}, {"List 6", list6, SL_ARRAY_LEN(list6)},
	{"List 7", list7, SL_ARRAY_LEN(list7)}, {"List 8", list8, SL_ARRAY_LEN(list8)},
};

const char *annex_a_sheet_name(size_t list)
{
	return list < ANNEX_A_LISTS ? sheets[list].name : NULL;
}

size_t annex_a_columns(size_t list, const char *const **headers)
{
	if (list >= ANNEX_A_LISTS)
		return 0;
	*headers = sheets[list].headers;
	return sheets[list].n;
}

/* ---- the template's option texts ----------------------------------------------------------- */

typedef struct option {
	const char *code, *text;
} option;

static const char *option_of(const option *t, size_t n, const char *code)
{
	size_t i;
	for (i = 0; code && i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return t[i].text;
	return NULL;
}
#define OPTION(table, code) option_of(table, SL_ARRAY_LEN(table), code)

static const option ethnicities[] = {
	{"WBRI", "a) WBRI"}, {"WIRI", "b) WIRI"}, {"WIRT", "c) WIRT"}, {"WOTH", "d) WOTH"},
	{"WROM", "e) WROM"}, {"MWBC", "f) MWBC"}, {"MWBA", "g) MWBA"}, {"MWAS", "h) MWAS"},
	{"MOTH", "i) MOTH"}, {"AIND", "j) AIND"}, {"APKN", "k) APKN"}, {"ABAN", "l) ABAN"},
	{"AOTH", "m) AOTH"}, {"BCRB", "n) BCRB"}, {"BAFR", "o) BAFR"}, {"BOTH", "p) BOTH"},
	{"CHNE", "q) CHNE"}, {"OOTH", "r) OOTH"}, {"REFU", "s) REFU"}, {"NOBT", "t) NOBT"},
};

/* The CIN census referral source codes under the template's headings. */
static const option sources[] = {
	{"1A", "a) 1A: Individual"}, {"1B", "b) 1B: Individual"}, {"1C", "c) 1C: Individual"},
	{"1D", "d) 1D: Individual"}, {"2A", "e) 2A: Schools"}, {"2B", "f) 2B: Education services"},
	{"3A", "g) 3A: Health services"}, {"3B", "h) 3B: Health services"}, {"3C", "i) 3C: Health services"},
	{"3D", "j) 3D: Health services"}, {"3E", "k) 3E: Health services"}, {"3F", "l) 3F: Health services"},
	{"4", "m) 4: Housing"}, {"5A", "n) 5A: LA services"}, {"5B", "o) 5B: LA services"},
	{"5C", "p) 5C: LA services"}, {"5D", "p1) 5D: LA services"}, {"6", "q) 6: Police"},
	{"7", "r) 7: Other legal agency"}, {"8", "s) 8: Other"}, {"9", "t) 9: Anonymous"},
	{"10", "u) 10: Unknown"},
};

static const option categories[] = {
	{"NEG", "a) Neglect"}, {"PHY", "b) Physical abuse"}, {"SAB", "c) Sexual abuse"},
	{"EMO", "d) Emotional abuse"}, {"MUL", "e) Multiple/not recommended"},
};

/* SSDA903 legal status codes, as lac.started records them (the demo and
 * most case systems); anything else is shown as recorded. */
static const option legal_statuses[] = {
	{"C1", "C1: ICO"}, {"C2", "C2: FCO"}, {"D1", "D1: Freeing order"}, {"E1", "E1: Placement order"},
	{"V2", "V2: Single period under S20"}, {"V3", "V3: Short term breaks, episodes recorded"},
	{"V4", "V4: Short term breaks, agreements recorded"}, {"L1", "L1: Police protection LA accommodation"},
	{"L2", "L2: EPO"}, {"L3", "L3: Child assessment order LA accommodation"},
	{"J1", "J1: Remanded to LA or youth detention"}, {"J2", "J2: LA accommodation under PACE"},
	{"J3", "J3: Youth rehabilitation order"},
};

#define YES "a) Yes"
#define NO "b) No"
#define UNKNOWN "c) Unknown"

static const char *gender_of(const cf_child *c)
{
	static const option sexes[] = {{"M", "a) Male"}, {"F", "b) Female"}, {"U", "c) Not stated/recorded"}};
	static const option words[] = {{"male", "a) Male"}, {"female", "b) Female"},
	                               {"unknown", "c) Not stated/recorded"}, {"other", "d) Neither"}};
	const char *s = OPTION(sexes, c->sex);
	if (!s)
		s = OPTION(words, c->gender);
	return s ? s : "c) Not stated/recorded";
}

static const char *ethnicity_of(const cf_child *c)
{
	const char *s = OPTION(ethnicities, c->ethnicity);
	return s ? s : "t) NOBT"; /* not recorded: information not yet obtained */
}

static const char *disability_of(const cf_child *c)
{
	if (c->n_disabilities == 0)
		return UNKNOWN;
	return c->n_disabilities == 1 && strcmp(c->disabilities[0], "NONE") == 0 ? NO : YES;
}

/* ---- writing cells ------------------------------------------------------------------------- */

typedef struct writer {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *date, *header;
	lxw_row_t row;
	lxw_error first; /* the first failed write */
	const casefile *cf;
	int32_t as_of, period_start, year_start;
	bool *listed; /* per child: named in some list */
	size_t child_ix;
	buf scratch;
} writer;

static void check(writer *w, lxw_error e)
{
	if (e != LXW_NO_ERROR && w->first == LXW_NO_ERROR)
		w->first = e;
}

static void put_text(writer *w, lxw_col_t col, const char *s)
{
	if (s && *s)
		check(w, worksheet_write_string(w->ws, w->row, col, s, NULL));
}

static void put_day(writer *w, lxw_col_t col, int32_t day)
{
	if (day != CF_NONE)
		check(w, worksheet_write_number(w->ws, w->row, col, day + EXCEL_EPOCH_1970, w->date));
}

static void put_number(writer *w, lxw_col_t col, double v)
{
	check(w, worksheet_write_number(w->ws, w->row, col, v, NULL));
}

static void put_yes_no(writer *w, lxw_col_t col, int v) /* 1, 0, -1 left empty */
{
	if (v >= 0)
		put_text(w, col, v ? YES : NO);
}

/* "CODE - meaning" for the census lists the template shows so. */
static void put_coded(writer *w, lxw_col_t col, const char *list, const char *code)
{
	const char *meaning = code && *code ? codes_meaning(list, code) : NULL;
	if (!meaning) {
		put_text(w, col, code);
		return;
	}
	buf_reset(&w->scratch);
	buf_printf(&w->scratch, "%s - %s", code, meaning);
	put_text(w, col, buf_str(&w->scratch));
}

/* Whole years on day, or -1 (unborn, not recorded). */
static int age_on(int32_t born, int32_t day)
{
	int by, bm, bd, y, m, d, age;
	if (born == CF_NONE || born > day)
		return -1;
	date_to_ymd(born, &by, &bm, &bd);
	date_to_ymd(day, &y, &m, &d);
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

/* A new row for child c: its first five (or six) columns.  Returns the
 * next column. */
static lxw_col_t begin_row(writer *w, const cf_child *c, bool disability)
{
	int age = age_on(c->born, w->as_of);

	w->row++;
	w->listed[w->child_ix] = true;
	put_text(w, 0, c->id);
	put_text(w, 1, gender_of(c));
	put_text(w, 2, ethnicity_of(c));
	put_day(w, 3, c->born);
	if (age >= 0)
		put_number(w, 4, age);
	if (!disability)
		return 5;
	put_text(w, 5, disability_of(c));
	return 6;
}

/* ---- facts the lists share ----------------------------------------------------------------- */

static bool in(int32_t day, int32_t from, int32_t to)
{
	return day != CF_NONE && day >= from && day <= to;
}

/* An episode from start to end (end_seq 0: still open on the as-of day)
 * touches [from, as-of]. */
static bool live_in(const writer *w, int32_t start, uint64_t end_seq, int32_t end, int32_t from)
{
	return start <= w->as_of && (end_seq == 0 || end >= from);
}

/* The allocation in force at the as-of date for an open case, or at the
 * closure of the child's latest case: the worker Ofsted would speak to. */
static const cf_allocation *allocation_of(const writer *w, const cf_child *c)
{
	const cf_case *k;
	const cf_allocation *best = NULL;
	int32_t from, to;
	size_t i;

	if (c->n_cases == 0)
		return NULL;
	k = &c->cases[c->n_cases - 1];
	from = k->span.start_day;
	to = k->span.end_seq ? k->span.end_day : w->as_of;
	for (i = 0; i < c->n_allocations; i++)
		if (in(c->allocations[i].day, from, to))
			best = &c->allocations[i];
	return best;
}

static lxw_col_t put_allocation(writer *w, const cf_child *c, lxw_col_t col)
{
	const cf_allocation *al = allocation_of(w, c);
	if (al) {
		put_text(w, col, al->team);
		put_text(w, col + 1, al->worker);
	}
	return col + 2;
}

/* The latest visit the child was seen at in [from, to], or NULL. */
static const cf_visit *last_seen(const cf_child *c, int32_t from, int32_t to)
{
	const cf_visit *v = NULL;
	size_t i;
	for (i = 0; i < c->n_visits; i++)
		if (c->visits[i].seen && in(c->visits[i].day, from, to))
			v = &c->visits[i];
	return v;
}

/* Referrals as Annex A counts them: a contact whose referral decision was
 * a social care one (assessment, strategy) or no further action; a
 * decision of early help steps the contact down and is not a referral. */
static bool is_referral(const cf_contact *k)
{
	return k->decision_seq && (strcmp(k->decision, "assessment") == 0 || strcmp(k->decision, "strategy") == 0 ||
	                           strcmp(k->decision, "nfa") == 0);
}

/* The primary need given by the latest referral decision on or before
 * day, or "". */
static const char *need_before(const cf_child *c, int32_t day)
{
	const char *need = "";
	size_t i;
	for (i = 0; i < c->n_contacts; i++) {
		const cf_contact *k = &c->contacts[i];
		if (k->decision_seq && k->decision_day <= day && *k->primary_need)
			need = k->primary_need;
	}
	return need;
}

/* ---- the lists ----------------------------------------------------------------------------- */

/* List 1: every contact received in the period. */
static void list_contacts(writer *w, const cf_child *c)
{
	size_t i;
	for (i = 0; i < c->n_contacts; i++) {
		const cf_contact *k = &c->contacts[i];
		const char *src;
		if (!in(k->day, w->period_start, w->as_of))
			continue;
		begin_row(w, c, false);
		put_day(w, 5, k->day);
		src = OPTION(sources, k->source);
		put_text(w, 6, src ? src : "u) 10: Unknown");
	}
}

/* List 3: every referral received in the period. */
static void list_referrals(writer *w, const cf_child *c)
{
	unsigned in_year = 0;
	size_t i;

	for (i = 0; i < c->n_contacts; i++)
		if (is_referral(&c->contacts[i]) && in(c->contacts[i].day, w->year_start, w->as_of))
			in_year++;
	for (i = 0; i < c->n_contacts; i++) {
		const cf_contact *k = &c->contacts[i];
		const char *src;
		lxw_col_t col;
		if (!is_referral(k) || !in(k->day, w->period_start, w->as_of))
			continue;
		col = begin_row(w, c, false);
		put_day(w, col++, k->day);
		src = OPTION(sources, k->source);
		put_text(w, col++, src ? src : "u) 10: Unknown");
		put_yes_no(w, col++, strcmp(k->decision, "nfa") == 0);
		put_number(w, col++, in_year);
		put_allocation(w, c, col);
	}
}

/* List 4: assessments started or completed in the period, or open. */
static void list_assessments(writer *w, const cf_child *c)
{
	size_t i;
	for (i = 0; i < c->n_assessments; i++) {
		const cf_assessment *as = &c->assessments[i];
		bool open = as->completed_seq == 0;
		int32_t end = open ? w->as_of : as->completed_day;
		lxw_col_t col;

		if (as->start_day > w->as_of ||
		    !(open || in(as->start_day, w->period_start, w->as_of) || end >= w->period_start))
			continue;
		col = begin_row(w, c, true);
		put_day(w, col++, as->start_day);
		put_yes_no(w, col++, last_seen(c, as->start_day, end) != NULL);
		if (!open && as->authorised_day <= w->as_of)
			put_day(w, col, as->authorised_day);
		col++;
		if (!open) {
			/* cin_plan, strategy, lac lead to social care support; nfa and
			 * early_help do not. */
			bool support = strcmp(as->outcome, "nfa") != 0 && strcmp(as->outcome, "early_help") != 0;
			put_yes_no(w, col, support);
		}
		col++;
		put_allocation(w, c, col);
	}
}

/* List 5: section 47 enquiries started in the period or open, and the
 * initial conferences that followed. */
static void list_s47(writer *w, const cf_child *c)
{
	unsigned n_s47 = 0, n_icpc = 0;
	size_t i;

	for (i = 0; i < c->n_s47s; i++) {
		n_s47 += in(c->s47s[i].start_day, w->year_start, w->as_of);
		n_icpc += c->s47s[i].icpc_seq && in(c->s47s[i].icpc_day, w->year_start, w->as_of);
	}
	for (i = 0; i < c->n_s47s; i++) {
		const cf_s47 *e = &c->s47s[i];
		lxw_col_t col;
		if (e->start_day > w->as_of ||
		    !(in(e->start_day, w->period_start, w->as_of) || e->completed_seq == 0 ||
		      (e->icpc_seq && in(e->icpc_day, w->period_start, w->as_of))))
			continue;
		col = begin_row(w, c, true);
		put_day(w, col++, e->start_day);
		/* "deemed unnecessary": the enquiry's outcome said no conference */
		put_yes_no(w, col++, e->icpc_needed < 0 ? -1 : !e->icpc_needed);
		if (e->icpc_seq)
			put_day(w, col, e->icpc_day);
		col++;
		put_yes_no(w, col++, e->icpc_seq ? e->icpc_plan : -1);
		put_number(w, col++, n_s47);
		put_number(w, col++, n_icpc);
		put_allocation(w, c, col);
	}
}

/* What the child's case is at the as-of date (or was when it closed). */
static const char *case_status(const writer *w, const cf_child *c, const cf_case *k)
{
	size_t i;
	if (k->span.end_seq)
		return "e) Closed episode";
	for (i = 0; i < c->n_lac; i++)
		if (c->lac[i].end_seq == 0 && c->lac[i].start_day <= w->as_of)
			return "a) Looked after child";
	for (i = 0; i < c->n_plans; i++)
		if (c->plans[i].end_seq == 0 && c->plans[i].start_day <= w->as_of)
			return "b) Child Protection plan";
	for (i = 0; i < c->n_cin_plans; i++)
		if (c->cin_plans[i].end_seq == 0 && c->cin_plans[i].start_day <= w->as_of)
			return "c) Child in need plan";
	for (i = 0; i < c->n_assessments; i++)
		if (c->assessments[i].completed_seq == 0 && c->assessments[i].start_day <= w->as_of)
			return "d) Open assessment";
	return ""; /* open, between steps: the template has no option for it */
}

/* The primary need of the decision that opened case k, else the latest
 * one before it. */
static const char *case_need(const cf_child *c, const cf_case *k)
{
	size_t i;
	for (i = 0; i < c->n_contacts; i++)
		if (c->contacts[i].decision_seq == k->span.start_seq)
			return c->contacts[i].primary_need;
	return need_before(c, k->span.start_day);
}

/* List 6: every case episode (children in need, including those on plans
 * and in care) open at any time in the period. */
static void list_cin(writer *w, const cf_child *c)
{
	size_t i;
	for (i = 0; i < c->n_cases; i++) {
		const cf_case *k = &c->cases[i];
		const cf_visit *v;
		int32_t end;
		lxw_col_t col;
		if (!live_in(w, k->span.start_day, k->span.end_seq, k->span.end_day, w->period_start))
			continue;
		end = k->span.end_seq ? k->span.end_day : w->as_of;
		col = begin_row(w, c, true);
		put_day(w, col++, k->span.start_day);
		put_coded(w, col++, "primary_need", case_need(c, k));
		if ((v = last_seen(c, k->span.start_day, end)))
			put_day(w, col, v->day);
		col++;
		if (k->span.end_seq) {
			put_day(w, col, k->span.end_day);
			put_coded(w, col + 1, "closure_reason", k->span.end_detail);
		}
		col += 2;
		put_text(w, col++, case_status(w, c, k));
		put_allocation(w, c, col);
	}
}

/* Looked after under police protection or an emergency protection order
 * at some time in the period. */
static bool protected_in_period(const writer *w, const cf_child *c)
{
	size_t i;
	for (i = 0; i < c->n_lac; i++) {
		const cf_span *s = &c->lac[i];
		if ((strcmp(s->detail, "L1") == 0 || strcmp(s->detail, "L2") == 0) &&
		    live_in(w, s->start_day, s->end_seq, s->end_day, w->period_start))
			return true;
	}
	return false;
}

/* List 7: every child protection plan in force at any time in the period. */
static void list_cp(writer *w, const cf_child *c)
{
	size_t i;
	for (i = 0; i < c->n_plans; i++) {
		const cf_cp_plan *p = &c->plans[i];
		const cf_visit *v;
		const char *cat;
		int32_t end;
		lxw_col_t col;
		if (!live_in(w, p->start_day, p->end_seq, p->end_day, w->period_start))
			continue;
		end = p->end_seq ? p->end_day : w->as_of;
		col = begin_row(w, c, true);
		put_day(w, col++, p->start_day);
		cat = p->n_categories ? OPTION(categories, p->categories[0].code) : NULL;
		put_text(w, col++, cat);
		cat = p->n_categories ? OPTION(categories, p->categories[p->n_categories - 1].code) : NULL;
		put_text(w, col++, cat);
		if ((v = last_seen(c, p->start_day, end))) {
			put_day(w, col, v->day);
			put_text(w, col + 1, v->seen_alone < 0 ? UNKNOWN : v->seen_alone ? YES : NO);
		}
		col += 2;
		if (p->n_reviews)
			put_day(w, col, p->reviews[p->n_reviews - 1].day);
		col++;
		if (p->end_seq)
			put_day(w, col, p->end_day);
		col++;
		put_yes_no(w, col++, protected_in_period(w, c));
		put_number(w, col++, p->previous);
		put_allocation(w, c, col);
	}
}

/* An assessment completed in the twelve months listed the child as an
 * unaccompanied asylum-seeking child (census assessment factor 9A). */
static bool uasc_in_year(const writer *w, const cf_child *c)
{
	size_t i, j;
	for (i = 0; i < c->n_assessments; i++) {
		const cf_assessment *as = &c->assessments[i];
		if (!as->completed_seq || !in(as->completed_day, w->year_start, w->as_of))
			continue;
		for (j = 0; j < as->n_factors; j++)
			if (strcmp(as->factors[j], "9A") == 0)
				return true;
	}
	return false;
}

/* List 8: every period of care in force at any time in the period. */
static void list_cla(writer *w, const cf_child *c)
{
	unsigned missing = 0;
	size_t i, j;

	for (i = 0; i < c->n_missing; i++)
		missing += in(c->missing[i].start_day, w->year_start, w->as_of);
	for (i = 0; i < c->n_lac; i++) {
		const cf_span *s = &c->lac[i];
		const cf_visit *v;
		const char *legal;
		bool again = false;
		int32_t end;
		lxw_col_t col;
		if (!live_in(w, s->start_day, s->end_seq, s->end_day, w->period_start))
			continue;
		end = s->end_seq ? s->end_day : w->as_of;
		for (j = 0; j < i; j++)
			again |= c->lac[j].end_seq && c->lac[j].end_day >= date_add_months(s->start_day, -12);
		col = begin_row(w, c, false);
		put_yes_no(w, col++, uasc_in_year(w, c));
		put_text(w, col++, disability_of(c));
		put_day(w, col++, s->start_day);
		put_coded(w, col++, "primary_need", need_before(c, s->start_day));
		put_yes_no(w, col++, again);
		put_day(w, col++, s->start_day); /* legal status is recorded when care starts */
		legal = OPTION(legal_statuses, s->detail);
		put_text(w, col++, legal ? legal : s->detail);
		col++; /* statutory review: not recorded */
		if ((v = last_seen(c, s->start_day, end)))
			put_day(w, col, v->day);
		col++;
		col += 5; /* permanence plan, IRO, health, dental, placements: not recorded */
		if (s->end_seq) {
			put_day(w, col, s->end_day);
			put_text(w, col + 1, s->end_detail);
		}
		col += 2;
		col += 7; /* placement start, type, provider, postcode, URN, location, LA: not recorded */
		put_number(w, col++, missing);
		col += 3; /* absences and return interviews: not recorded */
		put_allocation(w, c, col);
	}
}

typedef void (*list_fn)(writer *w, const cf_child *c);

/* List 2 (early help assessments) has no rows: the record holds no early
 * help assessments (docs/annex-a.md). */
static const list_fn list_fns[ANNEX_A_LISTS] = {
	list_contacts, NULL, list_referrals, list_assessments, list_s47, list_cin, list_cp, list_cla,
};

/* ---- the workbook -------------------------------------------------------------------------- */

static int check_as_of(app *a, const annex_a_opts *o, const char *name, int32_t *day, sl_err *err)
{
	int32_t today = app_today(a);
	buf t = BUF_INIT;
	int rc = 0;

	if (!o->as_of || date_parse_day(o->as_of, day, err))
		return sl_fail(err, SL_EINVAL, "%s: `%s` is not a date (YYYY-MM-DD)", name,
		               o->as_of ? o->as_of : "");
	if (*day > today) {
		date_format_day(&t, today);
		rc = sl_fail(err, SL_EINVAL, "%s: %s is after today (%s): the lists cannot cover days to come", name,
		             o->as_of, buf_str(&t));
	}
	buf_release(&t);
	return rc;
}

static int write_sheets(writer *w, annex_a_result *res)
{
	size_t l, i, col;

	for (l = 0; l < ANNEX_A_LISTS; l++) {
		if (!(w->ws = workbook_add_worksheet(w->wb, sheets[l].name)))
			return -1;
		for (col = 0; col < sheets[l].n; col++)
			check(w, worksheet_set_column(w->ws, (lxw_col_t)col, (lxw_col_t)col, 18, NULL));
		w->row = 0;
		for (col = 0; col < sheets[l].n; col++)
			check(w, worksheet_write_string(w->ws, 0, (lxw_col_t)col, sheets[l].headers[col], w->header));
		worksheet_freeze_panes(w->ws, 1, 0);
		for (i = 0; list_fns[l] && i < casefile_count(w->cf); i++) {
			w->child_ix = i;
			list_fns[l](w, casefile_child(w->cf, i));
		}
		res->rows[l] = w->row;
	}
	return w->first == LXW_NO_ERROR ? 0 : -1;
}

int annex_a_write(app *a, const annex_a_opts *o, const char *path, annex_a_result *res, sl_err *err)
{
	const char *name = o->as_of_name ? o->as_of_name : "--as-of";
	lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = (char *)o->tmpdir};
	casefile_opts co = {0};
	casefile *cf = NULL;
	writer w = {0};
	annex_a_result r = {0};
	lxw_error e;
	int rc;
	size_t i;

	if ((rc = check_as_of(a, o, name, &r.as_of, err)))
		return rc;
	co.until = r.as_of;
	if ((rc = casefile_load(a, &co, &cf, err)))
		return rc;
	if (casefile_first_day(cf) == CF_NONE) {
		rc = sl_fail(err, SL_EINVAL, "%s: %s is before the first event on record: there is nothing to list",
		             name, o->as_of);
		goto done;
	}
	r.period_start = date_add_months(r.as_of, -6) + 1;
	r.year_start = date_add_months(r.as_of, -12) + 1;
	r.events = casefile_events_read(cf);

	w.cf = cf;
	w.as_of = r.as_of;
	w.period_start = r.period_start;
	w.year_start = r.year_start;
	w.listed = xcalloc(casefile_count(cf) + 1, sizeof(bool));
	if (!(w.wb = workbook_new_opt(path, &wo))) {
		rc = sl_fail(err, SL_EIO, "%s: cannot start the workbook", path);
		goto done;
	}
	w.date = workbook_add_format(w.wb);
	format_set_num_format(w.date, "dd/mm/yyyy");
	w.header = workbook_add_format(w.wb);
	format_set_bold(w.header);
	format_set_text_wrap(w.header);
	if (write_sheets(&w, &r)) {
		rc = sl_fail(err, SL_EIO, "%s: writing the workbook failed: %s", path,
		             w.first != LXW_NO_ERROR ? lxw_strerror(w.first) : "cannot add a sheet");
		workbook_close(w.wb); /* frees it; the caller discards the file */
		w.wb = NULL;
		goto done;
	}
	e = workbook_close(w.wb);
	w.wb = NULL;
	if (e != LXW_NO_ERROR) {
		rc = sl_fail(err, SL_EIO, "%s: cannot write the workbook: %s", path, lxw_strerror(e));
		goto done;
	}
	for (i = 0; i < casefile_count(cf); i++)
		r.n_children += w.listed[i];
	if (res) {
		r.children = xcalloc(r.n_children + 1, sizeof(char *));
		r.n_children = 0;
		for (i = 0; i < casefile_count(cf); i++)
			if (w.listed[i])
				r.children[r.n_children++] = xstrdup(casefile_child(cf, i)->id);
		*res = r;
	}
done:
	free(w.listed);
	buf_release(&w.scratch);
	casefile_free(cf);
	return rc;
}

void annex_a_result_free(annex_a_result *res)
{
	size_t i;
	if (!res)
		return;
	for (i = 0; i < res->n_children; i++)
		free(res->children[i]);
	free(res->children);
	memset(res, 0, sizeof(*res));
}
