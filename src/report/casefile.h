/*
 * casefile.h - every child's casework as the returns count it, read from
 * the ledger in one pass: the model the DfE children in need census, its
 * validation, and Ofsted's Annex A lists are all written from.
 *
 * Why its own model and not the read model's tables: the returns need facts
 * the pages do not (referral source, assessment factors and authorisation,
 * the census's ethnicity and disability codes, every review conference of
 * a plan), each figure must trace to the events behind it, and a return is
 * a batch job over the whole authority where one sequential scan of the
 * ledger beats a query per child.  So casefile_load() scans the ledger
 * once, applies approved amendments (a return reports the record as
 * corrected; the original stays in the ledger), sorts each child's events
 * into the order of DESIGN 6.1.2 (occurred date, time, then seq) and folds
 * them into the episodes below.  Every fact carries the seq of the event
 * that recorded it (`*_seq`, 0: none), so a report can name its evidence.
 *
 * Days are day numbers (util/date.h); CF_NONE marks an absent day.
 * Strings are NUL-terminated, owned by the casefile (one arena), never
 * NULL unless the comment says so ("" when not recorded).  A casefile is
 * read-only once loaded and may be shared by threads.
 *
 * How events fold (DESIGN 5 and 6.1):
 *   contact.received           -> a contact
 *   referral.decided           -> decides the child's latest undecided
 *                                 contact (a decision with none makes a
 *                                 contact of its own, source ""), and a
 *                                 decision of assessment or strategy opens
 *                                 a case episode (6.1.3) unless one is open
 *   assessment.started/completed -> an assessment (a completion with no
 *                                 start open makes one that starts there)
 *   strategy.held              -> a strategy discussion; with s47 true it
 *                                 starts a section 47 enquiry
 *   s47.completed              -> ends the latest open enquiry (icpc flag)
 *   conference.held initial    -> the initial child protection conference of
 *                                 the latest enquiry without one (none: an
 *                                 ICPC with no enquiry on record)
 *   conference.held (plan)     -> starts, re-categorises or ends the CP plan;
 *                                 a review is listed on the live plan
 *   cin_plan.started/ended, lac.started/ended -> their episodes
 *   case.closed                -> closes the case episode and whatever
 *                                 plan, CIN plan or care episode is open
 *   person.registered/updated  -> the child's identifiers and
 *                                 characteristics (latest value wins)
 *   visit.recorded, case.allocated, missing.started/ended -> as named
 * Other kinds are not part of a return and are skipped.  The same opening
 * events as 6.1.3 open a case episode when none is open.
 */
#ifndef SL_CASEFILE_H
#define SL_CASEFILE_H

#include "app/app.h"
#include "util/date.h"

#define CF_NONE DATE_NONE /* an absent day */

typedef struct cf_contact {
	uint64_t seq;
	int32_t day;
	const char *source;     /* CIN referral source code; "" when not known */
	uint64_t decision_seq;  /* 0: not decided yet */
	int32_t decision_day;
	const char *decision;   /* nfa, assessment, strategy, early_help; "" */
	const char *primary_need; /* N0-N9 from the decision; "" when not given */
} cf_contact;

typedef struct cf_assessment {
	uint64_t start_seq;     /* 0: recorded only as completed */
	int32_t start_day;      /* the completion day when start_seq is 0 */
	uint64_t completed_seq; /* 0: still open */
	int32_t completed_day;
	int32_t authorised_day; /* data.authorised_on, else completed_day */
	const char *outcome;    /* "" while open */
	const char *const *factors; /* census assessment factor codes */
	size_t n_factors;
} cf_assessment;

typedef struct cf_s47 {
	uint64_t strategy_seq;  /* the strategy discussion (s47 true) that started it */
	int32_t start_day;
	uint64_t completed_seq; /* s47.completed; 0: open */
	int32_t completed_day;
	int icpc_needed;        /* s47.completed's icpc: 1, 0, or -1 while open */
	uint64_t icpc_seq;      /* the initial conference that followed; 0: none */
	int32_t icpc_day;
	int icpc_plan;          /* did the ICPC start a plan: 1, 0; -1 no ICPC */
} cf_s47;

typedef struct cf_category {
	uint64_t seq;
	int32_t day;
	const char *category; /* the vocabulary's word: neglect, ... multiple */
	const char *code;     /* its census code: NEG, PHY, EMO, SAB, MUL */
} cf_category;

typedef struct cf_cp_plan {
	uint64_t start_seq; /* the conference that started it */
	int32_t start_day;
	bool initial;       /* started by an initial conference */
	uint64_t end_seq;   /* the conference (plan false) or case.closed; 0: live */
	int32_t end_day;
	const cf_category *categories; /* in order; [0] is the initial one */
	size_t n_categories;
	const cf_category *reviews;    /* review conferences held while live
	                                * (category: the plan's then, "" kept) */
	size_t n_reviews;
	unsigned previous;  /* how many plans the child had before this one */
} cf_cp_plan;

typedef struct cf_span {
	uint64_t start_seq, end_seq; /* end_seq 0: open */
	int32_t start_day, end_day;
	const char *detail;  /* lac: legal_status at the start; "" */
	const char *end_detail; /* lac.ended's reason, case.closed's RC code; "" */
} cf_span;

/* A case episode (6.1.3): from the event that opened it to case.closed. */
typedef struct cf_case {
	cf_span span;          /* end_detail: the closure reason code */
	const char *opened_by; /* the kind that opened it */
	const char *closure_authorised_by; /* "" */
} cf_case;

typedef struct cf_visit {
	uint64_t seq;
	int32_t day;
	bool seen;
	int seen_alone; /* 1, 0, -1 not recorded */
} cf_visit;

typedef struct cf_allocation {
	uint64_t seq;
	int32_t day;
	const char *worker, *team; /* team "" when not given */
} cf_allocation;

typedef struct cf_child {
	const char *id;
	uint64_t registered_seq;
	uint64_t details_seq; /* the latest person.registered/updated folded: the
	                       * evidence for the identifiers and characteristics */
	const char *name;
	int32_t born, expected, died; /* CF_NONE when not recorded */
	const char *gender;      /* the vocabulary's word, "" */
	const char *sex;         /* census code M, F, U; "" */
	const char *ethnicity;   /* census code; "" */
	const char *upn, *former_upn, *upn_unknown, *nhs_number; /* "" */
	const char *const *disabilities; /* census codes ("NONE" alone) */
	size_t n_disabilities;

	/* Each list in the order of DESIGN 6.1.2. */
	const cf_contact *contacts;       size_t n_contacts;
	const cf_case *cases;             size_t n_cases;
	const cf_assessment *assessments; size_t n_assessments;
	const cf_s47 *s47s;               size_t n_s47s;
	/* strategy discussions with s47 false (they start no enquiry) */
	const cf_span *strategies;        size_t n_strategies;
	const cf_cp_plan *plans;          size_t n_plans;
	const cf_span *cin_plans;         size_t n_cin_plans;
	const cf_span *lac;               size_t n_lac;
	const cf_span *missing;           size_t n_missing;
	const cf_visit *visits;           size_t n_visits;
	const cf_allocation *allocations; size_t n_allocations;
} cf_child;

typedef struct casefile casefile;

typedef struct casefile_opts {
	/* Fold only events that occurred on or before this day (CF_NONE: all):
	 * the record as it stood on that day, as corrected since. */
	int32_t until;
} casefile_opts;

/* Scan a's ledger and build the model.  o may be NULL.  On success
 * *out is the caller's, freed with casefile_free. */
int casefile_load(app *a, const casefile_opts *o, casefile **out, sl_err *err);
void casefile_free(casefile *cf);

/* Children in id order (bytewise). */
size_t casefile_count(const casefile *cf);
const cf_child *casefile_child(const casefile *cf, size_t i);
/* NULL when no child has that id. */
const cf_child *casefile_find(const casefile *cf, const char *id);
/* The first and last day any folded event occurred on (CF_NONE: empty). */
int32_t casefile_first_day(const casefile *cf);
int32_t casefile_last_day(const casefile *cf);
/* The number of ledger events the load read, and folded. */
uint64_t casefile_events_read(const casefile *cf);

#endif
