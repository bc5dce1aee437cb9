/*
 * annex_a.h - Ofsted's Annex A: the child-level lists an authority gives
 * inspectors at the start of an inspection of local authority children's
 * services (ILACS), written as one XLSX workbook, one sheet per list, in
 * the columns, order and formats of Ofsted's template (docs/annex-a.md
 * names the source, every column, and the ones the record cannot fill).
 *
 * The lists are read from the casefile model (casefile.h) loaded up to the
 * as-of date: the record as it stood that day, as corrected since.  Most
 * lists cover the six months ending on the as-of date (an episode counts
 * when any part of it falls in them); the "in the last 12 months" columns
 * count over the twelve months ending on it.
 *
 * The workbook is written by libxlsxwriter in constant-memory mode: each
 * row goes to a temporary file (in o->tmpdir) as soon as it is complete,
 * so memory stays that of the casefile however many rows there are.  The
 * caller names the file; on error it may hold a partial workbook, so
 * callers write to a temporary name and rename (the CLI) or delete it.
 */
#ifndef SL_ANNEX_A_H
#define SL_ANNEX_A_H

#include "app/app.h"

#define ANNEX_A_LISTS 8 /* List 1 .. List 8; see docs/annex-a.md for 9-11 */

typedef struct annex_a_opts {
	/* YYYY-MM-DD, required.  A malformed date, a date after today
	 * (app_today) or before the first event on record is SL_EINVAL
	 * naming as_of_name. */
	const char *as_of;
	const char *as_of_name; /* "--as-of" (CLI), "as_of" (HTTP); NULL: "--as-of" */
	const char *tmpdir;     /* libxlsxwriter's row files; NULL: the system's */
} annex_a_opts;

typedef struct annex_a_result {
	int32_t as_of, period_start, year_start; /* day numbers (util/date.h) */
	size_t rows[ANNEX_A_LISTS];             /* data rows of List 1 .. List 8 */
	uint64_t events;                        /* ledger events the casefile read */
	/* Every child named in any list, in id order (the server logs the
	 * access naming them).  Owned; annex_a_result_free. */
	char **children;
	size_t n_children;
} annex_a_result;

/* Write the workbook of o->as_of to path.  res may be NULL; when given it
 * is filled on success and must be released with annex_a_result_free. */
int annex_a_write(app *a, const annex_a_opts *o, const char *path, annex_a_result *res, sl_err *err);
void annex_a_result_free(annex_a_result *res);

/* The sheet names and their header rows, in order (docs and tests). */
const char *annex_a_sheet_name(size_t list);
size_t annex_a_columns(size_t list, const char *const **headers);

#endif
