/*
 * nhs.h - NHS numbers: the ten-digit identifier partners use to ask about a
 * child (DESIGN 7, "is this child on a CP plan or looked after?").
 *
 * The tenth digit is a modulus 11 check digit (NHS Data Dictionary, "NHS
 * Number"): weight the first nine digits 10 down to 2, sum, take 11 minus
 * the remainder mod 11; 11 becomes 0, and 10 means the number was never
 * issued.  Checking it catches nearly every single-digit typo and most
 * transpositions before a query is answered for the wrong child.
 *
 * People write the number as "943 476 5919" or "943-476-5919"; the
 * canonical form stored with a person is the ten digits alone.  Nothing here
 * allocates.
 */
#ifndef SL_NHS_H
#define SL_NHS_H

#include <stdbool.h>

#include "util/err.h"

#define NHS_NUMBER_LEN 10

/* Exactly ten digits with a correct check digit. */
bool nhs_number_valid(const char *s);

/* Accept the ten digits alone or grouped 3-3-4 by single spaces or single
 * hyphens (one separator throughout), check the check digit, and write the
 * canonical ten digits to out.  SL_EINVAL with the reason otherwise ("is
 * not an NHS number: expected 10 digits", "fails the NHS number check
 * digit"); the reason never repeats the input, so it is safe to log. */
int nhs_number_parse(const char *s, char out[NHS_NUMBER_LEN + 1], sl_err *err);

#endif
