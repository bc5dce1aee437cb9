/*
 * demo.h - a synthetic local authority: families, teams of social workers
 * and five years of casework, as vocabulary-v1 events (DESIGN 5).
 *
 * `safeledger demo` writes these through the normal write path, so a demo
 * instance, a benchmark or a test history is built exactly as real data
 * would be; with --jsonl the same events go to a file instead.  The
 * generator itself does no I/O and knows nothing of the app or the store:
 * it hands each event to a callback and forgets it.
 *
 * What comes out, for any options:
 *   - only valid events: every person is registered before anything names
 *     them, every `concern` and `escalation` names an earlier ref, codes come
 *     from data/cin-census-codes.tsv, NHS numbers pass the modulus 11 check;
 *     no alert.* or amendment.* events (those answer a running system);
 *   - occurred_at never decreases from one event to the next (DESIGN 6.1.2
 *     order: day, then time, a date-only value at the start of its day);
 *   - the same options give the same events, byte for byte in any
 *     serialisation that keeps member order (jansson keeps insertion
 *     order);
 *   - nobody real: names are built from invented syllables, NHS numbers
 *     come from the 999 range the NHS keeps for test data, UPNs use LA code
 *     999, which no authority has.
 * Most families' cases are well run and keep DESIGN 6's timescales;
 * `drift` of them drift (late assessments, missed visits, plans past 18
 * months, partner information nobody acts on, concerns dropped when a plan's
 * category changes), so the rules have something true to find.
 *
 * Memory is bounded by the cases open at one time, not by the number of
 * events: millions of events need a few megabytes.
 *
 * Ownership: the event passed to the sink is borrowed for the call (the
 * generator frees it afterwards; a sink that keeps it takes a reference).
 */
#ifndef SL_DEMO_H
#define SL_DEMO_H

#include <jansson.h>

#include "util/common.h"

#define DEMO_MAX_CHILDREN 10000000u

typedef struct demo_opts {
	uint64_t children; /* children over the whole period, 1..DEMO_MAX_CHILDREN */
	uint64_t seed;
	int32_t from, to;   /* first and last day (day numbers, date.h), inclusive */
	unsigned teams;     /* 0: one team per 625 children, at least one */
	unsigned caseload;  /* a team recruits when its least-loaded worker holds this many children */
	unsigned drift_pct; /* share of families whose cases drift, 0..100 */
} demo_opts;

/* Defaults: seed 1, 2021-04-01 .. 2026-03-31 (census year 2025-26 has a
 * full year of data), teams from the number of children, caseload 18,
 * drift 12%.  `children` is left 0: the caller must choose it. */
void demo_opts_default(demo_opts *o);

/* Receives each event in order.  Return 0 to go on, or a negative SL_E*
 * with err set to stop the generator, which then returns that code. */
typedef int (*demo_sink)(void *ctx, json_t *event, sl_err *err);

typedef struct demo_stats {
	uint64_t events;   /* events given to the sink */
	uint64_t children; /* children registered (those arriving after `to` are not) */
	uint64_t adults;
	uint64_t families;
	uint64_t workers; /* social workers recruited into the teams */
	int32_t day;      /* the day of the latest event, for progress reports */
} demo_stats;

/*
 * Generate the authority described by o, calling sink once per event.
 * stats (may be NULL) is kept current while generating, so a sink may read
 * it for progress.  Returns 0, SL_EINVAL for options out of range (err says
 * which), or the sink's error.
 */
int demo_generate(const demo_opts *o, demo_sink sink, void *ctx, demo_stats *stats, sl_err *err);

#endif
