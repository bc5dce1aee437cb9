/*
 * census.h - the DfE children in need census return for one collection
 * year: which children and which of their episodes are in scope, and every
 * item of each CINdetails module, built from the casefile (casefile.h).
 * The XML writer (census_xml.c) and the validation rules (census_check.c)
 * both read this model, so a rule finding and the return it checks can
 * never disagree about what is being returned.
 *
 * The specification is the DfE's "Children in need census 2025 to 2026:
 * business and technical specification" (docs/census.md names the sources,
 * the element order and the mapping from events to items).  In short:
 *
 *   - a CINdetails module is an episode of need: a referral that led to a
 *     case episode (casefile cf_case opened by referral.decided with
 *     decision assessment or strategy), or a referral decided nfa
 *     (ReferralNFA true, closed on its referral date).  Early-help
 *     decisions are contacts, not referrals to children's social care,
 *     and are not returned;
 *   - an episode is in scope when it was open at any time in the year:
 *     referred on or before the reference date (31 March) and not closed
 *     before the year's first day (1 April).  An NFA referral is in scope
 *     when its referral date falls in the year;
 *   - within an in-scope episode: assessments authorised in the year, or
 *     not authorised by the reference date; CIN plans and child protection
 *     plans open at any time in the year; section 47 enquiries started in
 *     the year or whose initial conference falls in the year or that were
 *     still open on the first day; review conferences held in the year;
 *   - a child is in scope when at least one episode is.
 *
 * The casefile is loaded up to the reference date (casefile_opts.until),
 * so a closure, an end or a review after 31 March is not seen: the return
 * shows the record as it stood at the reference date, as corrected since.
 *
 * Every item carries the seq of the event that recorded it (`*_seq`; 0
 * when the item is absent or was derived: an ICPC target date is computed,
 * its seq is the enquiry's start).  Days are day numbers (util/date.h);
 * CENSUS_NONE (== CF_NONE) marks an absent day, "" an absent code.
 *
 * Ownership: a census owns its arrays; strings are borrowed from the
 * casefile it was built from, which must outlive it.  Read-only once
 * built; may be shared by threads.
 */
#ifndef SL_CENSUS_H
#define SL_CENSUS_H

#include "domain/calendar.h"
#include "report/casefile.h"

#define CENSUS_NONE CF_NONE
#define CENSUS_SOFTWARE_CODE "safeledger"

/* A collection year the project knows the specification of. */
typedef struct census_year {
	const char *name;   /* "2025-26" (the --year argument) */
	int collection_year; /* Header/CollectionDetails/Year: 2026 */
	int32_t start;      /* 1 April 2025 */
	int32_t end;        /* 31 March 2026: the ReferenceDate */
} census_year;

/* The year named "YYYY-YY".  SL_EINVAL naming `--year` for a malformed or
 * unknown year (the message lists the known ones). */
int census_year_find(const char *name, census_year *out, sl_err *err);

/* An LA code: exactly three digits.  SL_EINVAL naming `--la` otherwise. */
int census_la_check(const char *la, sl_err *err);

/* The record must reach into the year (loaded up to its end or not): a
 * return of a year the ledger holds nothing of would look like a real nil
 * return.  SL_EINVAL naming `--year` and the record's extent otherwise. */
int census_covers(const casefile *cf, const census_year *y, sl_err *err);

typedef struct census_assessment {
	int32_t start;          /* AssessmentActualStartDate */
	uint64_t start_seq;     /* assessment.started, or .completed when none */
	int32_t authorised;     /* AssessmentAuthorisationDate; NONE: open */
	uint64_t authorised_seq;
	/* FactorsIdentifiedAtAssessment/AssessmentFactors (only once authorised) */
	const char *const *factors;
	size_t n_factors;
	uint64_t factors_seq;   /* the completion */
} census_assessment;

typedef struct census_cin_plan {
	int32_t start, end;     /* CINPlanStartDate, CINPlanEndDate (NONE: open) */
	uint64_t start_seq, end_seq;
} census_cin_plan;

typedef struct census_s47 {
	int32_t start;          /* S47ActualStartDate: the strategy discussion */
	uint64_t start_seq;
	int32_t icpc_target;    /* InitialCPCtarget: start + 15 working days */
	int32_t icpc;           /* DateOfInitialCPC; NONE: none held (yet) */
	uint64_t icpc_seq;
	/* ICPCnotRequired: 1 the enquiry ended with no conference needed, 0
	 * a conference was needed or held, -1 not known yet (an open enquiry
	 * with no conference: left out).  Its seq is the s47.completed, or
	 * the conference when one was held. */
	int icpc_not_required;
	uint64_t icpc_not_required_seq;
} census_s47;

typedef struct census_review {
	int32_t day;            /* CPPreviewDate */
	uint64_t seq;
} census_review;

typedef struct census_cp_plan {
	int32_t start, end;     /* CPPstartDate, CPPendDate (NONE: live) */
	uint64_t start_seq, end_seq;
	const char *initial_category; /* InitialCategoryOfAbuse: NEG, PHY, ... */
	uint64_t initial_category_seq;
	const char *latest_category;  /* LatestCategoryOfAbuse at the end or
	                               * the reference date */
	uint64_t latest_category_seq;
	unsigned previous;      /* NumberOfPreviousCPP: plans before this one */
	uint64_t previous_seq;  /* the start conference (counted from the ledger) */
	const census_review *reviews; /* held in the year, in date order */
	size_t n_reviews;
} census_cp_plan;

/* One CINdetails module. */
typedef struct census_episode {
	int32_t referral;         /* CINreferralDate: the contact's date */
	uint64_t referral_seq;    /* contact.received (the decision when none) */
	const char *source;       /* ReferralSource; "" */
	uint64_t source_seq;
	const char *primary_need; /* PrimaryNeedCode; "" */
	uint64_t primary_need_seq; /* referral.decided */
	int32_t closure;          /* CINclosureDate; NONE: open */
	uint64_t closure_seq;     /* case.closed, or the nfa decision */
	const char *closure_reason; /* ReasonForClosure RC1-RC9; "" */
	uint64_t closure_reason_seq;
	int32_t initial_cpc;      /* CINdetails DateOfInitialCPC: the episode's
	                           * first initial conference held in the year
	                           * that is not already a returned Section47's
	                           * DateOfInitialCPC (rule 2884: not both) */
	uint64_t initial_cpc_seq;
	bool nfa;                 /* ReferralNFA */
	uint64_t nfa_seq;         /* referral.decided */

	const census_assessment *assessments; size_t n_assessments;
	const census_cin_plan *cin_plans;     size_t n_cin_plans;
	const census_s47 *s47s;               size_t n_s47s;
	const census_cp_plan *plans;          size_t n_plans;
} census_episode;

typedef struct census_child {
	const cf_child *cf;       /* identifiers and characteristics: LAchildID
	                           * = cf->id, UPN, FormerUPN, UPNunknown,
	                           * PersonBirthDate (born), Expected..., Sex,
	                           * PersonDeathDate, Ethnicity, Disabilities;
	                           * evidence cf->registered_seq */
	const census_episode *episodes; /* by referral date */
	size_t n_episodes;
} census_child;

typedef struct census census;

/* Build the return for year y from cf (loaded with until = y->end; other
 * loads work, events after the reference date are then ignored where they
 * would change an item).  cal gives working days (the ICPC target). */
int census_build(const casefile *cf, const census_year *y, const calendar *cal,
                 census **out, sl_err *err);
void census_free(census *c);
/* The year's return from a's ledger in one call: the casefile loaded up to
 * the reference date, census_covers, census_build.  The census then owns
 * its casefile (census_free frees both).  SL_EINVAL (naming `--year`) when
 * the ledger holds nothing of the year; other codes are faults. */
int census_load(app *a, const census_year *y, census **out, sl_err *err);
/* How many ledger events a census_load read (the return's SerialNo). */
uint64_t census_events_read(const census *c);

const census_year *census_get_year(const census *c);
/* In-scope children, in LAchildID order. */
size_t census_count(const census *c);
const census_child *census_child_at(const census *c, size_t i);
/* Totals over the return: children, episodes, and the modules. */
typedef struct census_totals {
	size_t children, episodes, nfa, assessments, cin_plans, s47s, plans, reviews;
} census_totals;
void census_get_totals(const census *c, census_totals *t);

/* ---- the XML return (census_xml.c) ---- */

/* The Header's Source: who made the file. */
typedef struct census_source {
	const char *la;        /* LEA: three digits (census_la_check) */
	const char *release;   /* Release: the program's version */
	uint64_t serial;       /* SerialNo: docs/census.md defines it */
	const char *date_time; /* DateTime: YYYY-MM-DDThh:mm:ss */
} census_source;

/* Append the return as the specification's XML (root <Message>, no
 * namespace, UTF-8; docs/census.md has the element order) to *out.  On
 * error nothing is appended. */
int census_xml_write(const census *c, const census_source *src, buf *out, sl_err *err);

#endif
