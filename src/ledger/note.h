/*
 * note.h - C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys.
 *
 * This module owns the signed-note wire format and the Ed25519 key strings
 * that go with it; checkpoints (checkpoint.h) are the notes we sign.  A
 * signed note is
 *
 *     text ending in "\n"  "\n"  one or more "— <name> base64(keyid||sig)\n"
 *
 * and the text ends at the LAST blank line (signed-note "Format").  Key
 * strings use the golang.org/x/mod/sumdb/note encoding:
 *
 *     vkey: <name>+<8 hex key id>+base64(0x01 || 32-byte public key)
 *     skey: PRIVATE+KEY+<name>+<8 hex key id>+base64(0x01 || 32-byte seed)
 *
 * with key id = SHA-256(name || 0x0A || 0x01 || public key)[:4], read
 * big-endian (signed-note "Ed25519 signatures").  Only signature type 0x01
 * (Ed25519) is supported; signatures of other types on a note are carried as
 * unknown signatures and ignored, as the spec requires.
 *
 * Ownership: note_signer and note_verifier are opaque and freed with their
 * *_free function (the signer's secret key is wiped).  Strings returned as
 * char * are the caller's to free().  Functions that take a buf append to it.
 *
 * Error codes: a malformed note or key is SL_EINVAL; a signature by a known
 * key that does not verify is SL_ECORRUPT; a well-formed note with no
 * signature from any known key is SL_ENOTFOUND.  Nothing here prints.
 */
#ifndef SL_LEDGER_NOTE_H
#define SL_LEDGER_NOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/err.h"

/* Notes with more signature lines are refused as malformed.  The spec asks
 * verifiers to accept at least 16; Go's sumdb/note stops at 100. */
#define NOTE_MAX_SIGNATURES 100

/* note_open reports verified keys in a uint64_t bit mask. */
#define NOTE_MAX_VERIFIERS 64

typedef struct note_signer note_signer;     /* name, key id, Ed25519 secret key */
typedef struct note_verifier note_verifier; /* name, key id, Ed25519 public key */

/* true when name is a valid key name: non-empty UTF-8 with no Unicode space,
 * no '+' (signed-note "Format"), and no ASCII control character (a note may
 * not contain one, so such a name could never sign anything). */
bool note_name_valid(const char *name, size_t len);

/* true when s is valid UTF-8 without ASCII control characters other than
 * "\n": the character rule every signed note must satisfy. */
bool note_text_valid(const char *s, size_t len);

/* A new random key pair for name.  *skey and *vkey are the caller's to free;
 * treat *skey as a secret (it is the whole private key). */
int note_generate_key(const char *name, char **skey, char **vkey, sl_err *err);

/* Parse key strings.  The key id in the string must match the key. */
int note_signer_parse(const char *skey, note_signer **out, sl_err *err);
void note_signer_free(note_signer *s);
int note_verifier_parse(const char *vkey, note_verifier **out, sl_err *err);
void note_verifier_free(note_verifier *v);

const char *note_signer_name(const note_signer *s);
uint32_t note_signer_key_id(const note_signer *s);
const char *note_verifier_name(const note_verifier *v);
uint32_t note_verifier_key_id(const note_verifier *v);

/* The vkey string for a signer's public half; caller frees. */
char *note_signer_vkey(const note_signer *s);

/* Sign text (valid UTF-8, ending in "\n", no control characters but "\n")
 * and append the whole signed note, text + "\n" + one signature line, to out.
 * On error out is unchanged. */
int note_sign(const char *text, size_t len, const note_signer *signer, buf *out, sl_err *err);

/* Append only the signature line "— <name> <base64(keyid||sig)>\n" for text,
 * so a caller can build a note signed by several keys: text, "\n", then one
 * line per signer.  Same text rules as note_sign. */
int note_signature_line(const char *text, size_t len, const note_signer *signer, buf *out,
			sl_err *err);

/* One signature line of a parsed note. */
typedef struct note_signature {
	char *name;      /* owned */
	uint32_t key_id;
	uint8_t *sig;    /* owned: the signature bytes after the key id */
	size_t sig_len;
} note_signature;

/* A note split into its text and its (unverified) signature lines. */
typedef struct note_parsed {
	size_t text_len;       /* the text is msg[0, text_len), final "\n" included */
	note_signature *sigs;  /* in note order, duplicates kept */
	size_t n_sigs;
} note_parsed;

#define NOTE_PARSED_INIT {0, NULL, 0}

/* Check the format rules and split msg WITHOUT verifying any signature.  The
 * spec says the text MUST be ignored until a trusted signature verifies: use
 * this for diagnostics (who signed it), use note_open to trust it.  On error
 * *out is left empty.  Release with note_parsed_release. */
int note_parse(const char *msg, size_t len, note_parsed *out, sl_err *err);
void note_parsed_release(note_parsed *p);

/* Open a signed note: parse it and verify every signature whose (name, key
 * id) matches one of verifiers[0, n_verifiers), n_verifiers <= 64.
 * Signatures by other keys are ignored, even if they share a name or an id
 * with a known key.  Succeeds only if the note is well formed, every known
 * signature verifies (a bad one is SL_ECORRUPT: the spec's SHOULD, and what
 * Go's note.Open does) and at least one does (else SL_ENOTFOUND).  Unlike
 * Go, a repeated signature by a known key is verified too, not skipped.
 * Two verifiers with the same name and id are refused as ambiguous.
 * On success *text_len (may be NULL) is the length of the signed text, a
 * prefix of msg, and *verified_mask (may be NULL) has bit i set when
 * verifiers[i] signed the note. */
int note_open(const char *msg, size_t len, note_verifier *const *verifiers, size_t n_verifiers,
	      size_t *text_len, uint64_t *verified_mask, sl_err *err);

#endif
