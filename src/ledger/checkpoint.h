/*
 * checkpoint.h - C2SP tlog-checkpoint note bodies (https://c2sp.org/tlog-checkpoint).
 *
 * This module owns the text of a checkpoint, the log's signed tree head:
 *
 *     <origin>\n<tree size>\n<base64 of the 32-byte RFC 6962 root>\n[extension lines]
 *
 * ("Note text").  It formats and strictly parses that body, and wraps
 * note.h to sign and open whole checkpoint notes.  It computes no hashes:
 * the root comes from the Merkle tree module.
 *
 * Ownership: a parsed checkpoint owns its origin and extensions strings;
 * checkpoint_release frees them.  Formatting functions append to a buf.
 */
#ifndef SL_LEDGER_CHECKPOINT_H
#define SL_LEDGER_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/note.h"
#include "util/buf.h"
#include "util/err.h"

typedef struct checkpoint {
	char *origin;     /* first line, non-empty */
	uint64_t size;    /* number of leaves */
	uint8_t root[32]; /* RFC 6962 Merkle tree hash at size */
	char *extensions; /* extension lines, each ending "\n", or NULL when none */
} checkpoint;

#define CHECKPOINT_INIT {NULL, 0, {0}, NULL}

/* Append "origin\nsize\nbase64(root)\n".  origin must be non-empty and hold
 * no newline (a programmer error otherwise: it comes from configuration that
 * was validated when the log was created). */
void checkpoint_format(buf *out, const char *origin, uint64_t size, const uint8_t root[32]);

/* Parse a checkpoint body, e.g. the text note_open returned.  Strict: at
 * least three lines, each ending in "\n"; a non-empty origin; the size in
 * decimal with no sign and no leading zero (except "0") that fits 64 bits;
 * the root exactly 32 bytes of canonical base64; any extension lines
 * non-empty; the whole text UTF-8 without control characters.  On success
 * *out owns its strings; on error *out is CHECKPOINT_INIT. */
int checkpoint_parse(const char *text, size_t len, checkpoint *out, sl_err *err);

void checkpoint_release(checkpoint *c);

/* Append the signed checkpoint note for (origin, size, root).  The signer's
 * key name SHOULD equal the origin ("Signatures"); that is the caller's
 * policy, not checked here. */
int checkpoint_sign(buf *out, const char *origin, uint64_t size, const uint8_t root[32],
		    const note_signer *signer, sl_err *err);

/* note_open, then checkpoint_parse of the verified text, then (when origin
 * is not NULL) require the checkpoint's origin to be exactly origin, since a
 * client must not take one log's checkpoint for another's.  verified_mask
 * may be NULL; see note_open for it and for the error codes.  A validly
 * signed but malformed body is SL_EINVAL. */
int checkpoint_open(const char *msg, size_t len, const char *origin,
		    note_verifier *const *verifiers, size_t n_verifiers, checkpoint *out,
		    uint64_t *verified_mask, sl_err *err);

#endif
