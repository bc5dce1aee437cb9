/*
 * vocab.h - event vocabulary v1.1: what a well-formed event is (DESIGN 5;
 * docs/vocabulary.md says what v1.1 added, all of it optional, so every v1
 * event is still valid).
 *
 * Every write to the ledger is an event object, and every event passes
 * vocab_validate() before it is appended: from the web form, the JSON API,
 * an import line or a restore.  The vocabulary is one table of kinds, each
 * with its table of data fields, so adding a kind or a field is adding a
 * row; docs and forms read the same table through the accessors below.
 *
 * Validation is pure with respect to the ledger: what it needs to know about
 * the ledger's state (does person C9 exist, is it a child, what kind is
 * event 12) it asks through a vocab_resolver the caller supplies.  vocab
 * allocates nothing that outlives a call and holds no references to the
 * event after returning.
 */
#ifndef SL_VOCAB_H
#define SL_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/err.h"

#define VOCAB_MAX_TEXT 100000 /* bytes of free text (summary, rationale, ...) */
#define VOCAB_MAX_SHORT 256   /* bytes of a one-line value (name, team, legal status, ...) */
#define VOCAB_MAX_ID 64       /* bytes of a person id, event ref, login or alert ref */
#define VOCAB_MAX_PERSONS 100 /* ids in one `persons` list */

typedef enum { VOCAB_CHILD, VOCAB_ADULT, VOCAB_ANY_PERSON } vocab_person_role;

/*
 * The lookups validation needs from the ledger's state, supplied by the
 * caller (the app layer, backed by the store).  Any callback may be NULL:
 * that check is then skipped (used by the fuzzer and unit tests).  Each
 * returns 0, or a negative SL_E* with err set to a reason WITHOUT the field
 * name (e.g. "unknown person C9", "C1 is a child, not an adult"); vocab
 * prefixes the field ("field `data.child`: unknown person C9"), and returns
 * the callback's code unchanged.
 */
typedef struct vocab_resolver {
	void *ctx;
	/* the person exists, with that role */
	int (*person)(void *ctx, const char *id, vocab_person_role want, sl_err *err);
	/* person.registered: the id is not yet taken */
	int (*person_new)(void *ctx, const char *id, sl_err *err);
	/* a ref string or seq integer -> the referenced event's kind (a string
	 * that stays valid until vocab_validate returns) */
	int (*event)(void *ctx, const json_t *ref, const char **kind, sl_err *err);
	/* the event's own "ref" is not yet used */
	int (*ref_new)(void *ctx, const char *ref, sl_err *err);
	/* the alert ref exists */
	int (*alert)(void *ctx, const char *alert_ref, sl_err *err);
} vocab_resolver;

typedef struct vocab_opts {
	bool restore; /* an export line being restored: `recorder` is required */
	bool system;  /* written by safeledger itself: `alert.raised` and `access.break_glass` are allowed */
} vocab_opts;

/*
 * Validate one event object: the envelope of DESIGN 5 (kind, occurred_at,
 * by, data, optional ref; `recorder` allowed, and then required, only when
 * opts->restore; opts may be NULL) and the kind's data.  Checks the kind,
 * required and unknown fields at every level, types and lengths, enums,
 * dates, CIN census codes, agencies, person references and their roles,
 * event references and the kind they point at, and the cross-field rules
 * (a child needs born or expected; person.linked a != b; an initial
 * conference starting a plan names a category; an amendment's replacement
 * fields are valid for the target's kind and do not change whom or what
 * the event is about).
 *
 * Returns 0, or SL_EINVAL (bad input) / SL_ENOTFOUND / SL_ECONFLICT (from
 * the resolver) with err naming the field path and the reason:
 * "missing required field `data.child`", "field `data.seen`: expected true
 * or false", "unknown kind `visit.done`".  err may be NULL.
 */
int vocab_validate(const json_t *event, const vocab_opts *opts, const vocab_resolver *r,
		   sl_err *err);

/*
 * The person ids an (already valid) event is about, in field order without
 * duplicates (child, person, a, b, persons[], id for person.*): the ledger
 * indexes each child's chronology by these.  Calls cb once per id; the id
 * string belongs to the event.  Members of the wrong type are skipped, so
 * an invalid event yields fewer ids, never a crash.
 */
void vocab_event_persons(const json_t *event, void (*cb)(void *ctx, const char *person_id),
			 void *ctx);

/* Table access for docs, help and forms.  Indexes run from 0 to count - 1;
 * names are static strings. */
size_t vocab_kind_count(void);
const char *vocab_kind_name(size_t i);
bool vocab_kind_known(const char *kind);
size_t vocab_field_count(size_t kind);
const char *vocab_field_name(size_t kind, size_t field);
bool vocab_field_required(size_t kind, size_t field);

/* Does a data field say whom or what an event is about (child, person, a,
 * b, persons, concern, request, escalation, alert, target, id)?  An
 * amendment may not change those; forms show them without an input. */
bool vocab_field_is_about(const char *name);

/* Agencies (DESIGN 5), for forms and the partner API. */
size_t vocab_agency_count(void);
const char *vocab_agency_name(size_t i);

/* The census abuse_category code of a vocabulary category ("neglect" ->
 * "NEG"), or NULL for a word that is not a census abuse category (the
 * concern-only `exploitation`, `domestic_abuse`, `other`). */
const char *vocab_abuse_census_code(const char *category);

/* Single-value checks the rest of the program shares with validation. */
bool vocab_nhs_number_valid(const char *s);  /* 10 digits, modulus 11 check digit */
bool vocab_person_id_valid(const char *s);   /* letters, digits, - _ . ; 1..64 bytes */
/* CODE/CHILD/YYYY-MM-DD[#N], N >= 2; CHILD is empty for an alert about no
 * child (an escalation that names none). */
bool vocab_alert_ref_valid(const char *s);

#endif
