/*
 * codes.h - the DfE children in need census code lists.
 *
 * The lists (referral_source, primary_need, closure_reason,
 * assessment_factor, abuse_category, sex, ethnicity, disability,
 * upn_unknown) live in data/cin-census-codes.tsv, one `list<TAB>code<TAB>
 * meaning` a line, because the DfE revises them between census years and a
 * data officer should be able to read and change them without touching C.
 * tools/gen_codes.sh turns that file into codes_table.c at build time; that
 * generated file defines everything declared here (the tables and the
 * look-ups).  All returned strings are static.
 *
 * Callers validating input use codes_valid(); reports use codes_meaning()
 * to label a code; docs iterate codes_lists.
 */
#ifndef SL_CODES_H
#define SL_CODES_H

#include <stdbool.h>
#include <stddef.h>

typedef struct codes_entry {
	const char *code;    /* "1A", "N4", "RC8", ... */
	const char *meaning; /* the DfE's wording */
} codes_entry;

typedef struct codes_list {
	const char *name; /* "referral_source", ... as in the TSV */
	const codes_entry *entries;
	size_t count;
} codes_list;

/* The lists in the order the TSV first names them, codes in file order. */
extern const codes_list codes_lists[];
extern const size_t codes_list_count;

/* NULL when there is no list of that name. */
const codes_list *codes_list_find(const char *list);

/* Exact, case-sensitive match: "rc1" is not RC1. */
bool codes_valid(const char *list, const char *code);

/* The code's meaning, or NULL when the list or the code is unknown. */
const char *codes_meaning(const char *list, const char *code);

#endif
