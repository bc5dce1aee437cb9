/*
 * verify.h - recompute a log from its rows and prove it matches what was
 * signed (DESIGN 4, "Tamper evidence").
 *
 * The check does not trust any derived data: every leaf is rebuilt from the
 * stored event, salt, kind, recorded_at and seq; the root is rebuilt from
 * the leaves; every stored checkpoint's signature is checked with the
 * instance's public key and its root compared with the rebuilt one.  The
 * stored tiles are compared too, so the first row that differs from what
 * was appended can be named even when no checkpoint covers it yet.
 */
#ifndef SL_VERIFY_H
#define SL_VERIFY_H

#include "util/common.h"
#include "store/store.h"
#include "ledger/note.h"

typedef struct verify_result {
	uint64_t events;      /* rows checked */
	uint64_t checkpoints; /* signed checkpoints checked */
	uint64_t bad_seq;     /* first bad seq, 0 when none or not seq-specific */
	uint8_t root[32];     /* recomputed root over all rows */
	double bytes;         /* event bytes hashed */
} verify_result;

typedef void (*verify_progress)(void *ctx, uint64_t done, uint64_t total);

/* 0 when intact; SL_ECORRUPT with err naming the first problem otherwise
 * (other codes when the store itself cannot be read). */
int verify_log(store *s, int log, const note_verifier *verifier, const char *origin, verify_result *res,
               verify_progress progress, void *progress_ctx, sl_err *err);

#endif
