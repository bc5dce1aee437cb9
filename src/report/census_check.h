/*
 * census_check.h - the DfE's validation rules for the children in need
 * census, run over the return before it is uploaded (`safeledger census
 * --check`), so the data team can fix records first.
 *
 * The rules are the DfE's "Children in need census 2025 to 2026:
 * validation rules" (errors, and queries whose codes end in Q): the same
 * codes and messages the DfE's COLLECT system reports.  They run over the
 * census model (census.h), the very structure the XML writer writes, so a
 * finding is about exactly what would be returned.  Each finding names the
 * rule, the child (LAchildID), the census item at fault, and the event
 * that recorded it (its seq; 0 when the fault is that nothing was
 * recorded), so the record to correct can be found in the ledger.
 *
 * Only the rules the ledger's data can break are here: many DfE rules
 * check things the vocabulary already refuses at entry (unknown codes,
 * malformed dates, NONE beside another disability) or that the census
 * model cannot produce (a CIN plan with no start date).  docs/
 * census-validation.md lists every DfE rule and says, for each, whether it
 * is checked here, prevented at entry, or cannot apply, and why; the table
 * census_rules[] is the one list of the rules checked, and the docs are
 * tested against it.
 *
 * Return-level rules (the DfE's "LA level": 2883, 2886Q, 2887Q, 2888Q,
 * 1520) are reported with child "" and run after the child-level ones.
 *
 * Ownership: census_check() hands back findings the caller frees with
 * census_findings_free().  A finding's rule, field and message are static;
 * its child is borrowed from the census's casefile (which must outlive the
 * findings); its detail belongs to the findings.
 */
#ifndef SL_CENSUS_CHECK_H
#define SL_CENSUS_CHECK_H

#include <jansson.h>

#include "report/census.h"

typedef enum census_severity {
	CENSUS_ERROR, /* the DfE refuses the return until it is fixed */
	CENSUS_QUERY, /* the DfE asks the authority to check or explain */
} census_severity;

typedef struct census_finding {
	const char *rule;      /* "8606", "8530Q" */
	census_severity severity;
	const char *child;     /* LAchildID; "" for a return-level rule */
	const char *field;     /* the census item: "CINreferralDate" */
	const char *message;   /* the DfE's message for the rule */
	const char *detail;    /* what was found: dates, codes, the episode */
	uint64_t evidence;     /* seq of the event behind the item; 0: none */
} census_finding;

typedef struct census_findings census_findings;

/* One row per rule checked.  Exactly one of child/whole is set: child runs
 * once per child in the return, whole once over the return. */
struct census_checker;
typedef struct census_rule {
	const char *code;
	census_severity severity;
	const char *field;
	const char *message;
	void (*child)(struct census_checker *k, const census_child *ch);
	void (*whole)(struct census_checker *k, const census *c);
} census_rule;

extern const census_rule census_rules[];
extern const size_t census_rule_count;

/* Run every rule over c.  cal gives working days (8670Q, 8675Q, 8569).
 * On success *out is the caller's. */
int census_check(const census *c, const calendar *cal, census_findings **out, sl_err *err);
void census_findings_free(census_findings *f);

/* Findings in report order: child by child (LAchildID order), the rules
 * in table order within a child, then the return-level rules. */
size_t census_findings_count(const census_findings *f);
const census_finding *census_findings_at(const census_findings *f, size_t i);
size_t census_findings_errors(const census_findings *f);
size_t census_findings_queries(const census_findings *f);

/* The check letter a UPN's characters 2-13 call for (DfE UPN guidance:
 * each times its position, summed, modulo 23, into A-Z less I, O, S), or 0
 * when they are not 11 digits then a digit or a letter (rules 1540, 1550). */
char census_upn_check_letter(const char *upn);

/* "8606 C12 CINreferralDate: <message> (<detail>; event 42)" - one line,
 * no newline; a return-level finding shows "-" for the child. */
void census_finding_format(buf *out, const census_finding *f);
/* {"rule","severity","child","field","message","detail","evidence"}
 * (severity "error" or "query"; child null at return level, evidence null
 * when 0): a new reference, the caller's. */
json_t *census_finding_json(const census_finding *f);

#endif
