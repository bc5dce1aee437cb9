/*
 * review_pack.h - the review pack: what a child safeguarding practice
 * review needs about one child, as a zip a reviewer can check offline
 * (docs/review-pack.md), and the check itself (`verify-pack`).
 *
 * A pack holds a printable report (report.html: the child and the people
 * linked to them, the multi-agency chronology with amendments and late
 * entries marked, who knew what when, every alert and its handling, who
 * read the record) and the proof of every event it shows: each event's
 * stored canonical bytes and salt (events.jsonl), an RFC 6962 inclusion
 * proof for each (proofs.jsonl) against one signed C2SP checkpoint
 * (checkpoint.txt), and the instance's verifier key (key.txt); the same
 * for the access log entries of reads of the record (access.jsonl,
 * access-proofs.jsonl, access-checkpoint.txt).  manifest.json names the
 * format, child, period and counts, and the SHA-256 of every other member.
 *
 * The leaf of an event is DESIGN 4's, computed by the ledger's own code
 * (ledger_row_leaf_hash), and proofs and signatures are checked by
 * merkle.h and checkpoint.h: nothing here hashes a tree or a note itself.
 *
 * Building reads through the app layer (query.h, auth's access log rows
 * through the store) on the caller's connection and writes nothing: the
 * caller first makes the latest signed checkpoints cover both logs
 * (app_checkpoint_log with sign_if_stale, on the writer in the server),
 * and the pack covers each log up to its latest checkpoint, so every
 * event in it has a proof against the checkpoint it carries.
 *
 * Verifying trusts nothing in the zip: member names must be the expected
 * ones (no paths, no duplicates), each member at most
 * REVIEW_PACK_MAX_MEMBER bytes and all of them REVIEW_PACK_MAX_TOTAL,
 * however small they are compressed (a zip bomb is refused unread), and the
 * first failure is named: "event seq 12: ...", "access entry seq 3: ...",
 * or the member ("checkpoint.txt: ...", "manifest.json: ...").  The events
 * are checked before the manifest's hashes, so that an edited event is
 * reported as that event.  The key in the pack is what the signature is
 * checked with: a reviewer compares it with the authority's published key
 * (docs/review-pack.md says how).
 *
 * Ownership: review_pack_build appends the zip's bytes to the caller's
 * buf; review_pack_proof_json hands back a new JSON reference.
 */
#ifndef SL_REVIEW_PACK_H
#define SL_REVIEW_PACK_H

#include <jansson.h>

#include "app/app.h"

#define REVIEW_PACK_FORMAT "safeledger-review-pack/1"
/* Largest member verify-pack reads (after decompression): a 5,000-event
 * child's events.jsonl is a few MB. */
#define REVIEW_PACK_MAX_MEMBER (256u << 20)
#define REVIEW_PACK_MAX_TOTAL (512u << 20) /* all members together */
#define REVIEW_PACK_MAX_MEMBERS 16

typedef struct review_pack_opts {
	const char *child;
	/* YYYY-MM-DD, inclusive, on the date an event occurred (and the day
	 * a read happened); NULL: the whole record.  A bad date, from after
	 * to, or a period holding none of the child's events is SL_EINVAL
	 * naming `--from` or `--to`. */
	const char *from, *to;
	const char *generated_by; /* who asked, shown in the report (may be NULL) */
} review_pack_opts;

typedef struct review_pack_stats {
	uint64_t events, access;          /* entries proven */
	uint64_t cases_size, access_size; /* the checkpoints' tree sizes */
	size_t zip_bytes, report_bytes;
} review_pack_stats;

/* Build the pack of o->child and append the zip to *zip.  SL_ENOTFOUND
 * for an unknown child, SL_EINVAL for an adult or a bad period; nothing
 * is appended on error.  stats may be NULL. */
int review_pack_build(app *a, const review_pack_opts *o, buf *zip, review_pack_stats *stats, sl_err *err);
/* The same refusals review_pack_build would give (unknown child, an adult,
 * a bad or empty period), found without building or signing anything: a
 * caller that signs checkpoints first asks this before, so bad input
 * changes nothing. */
int review_pack_check(app *a, const review_pack_opts *o, sl_err *err);

/* The reviewer page's JSON proof bundle of every event about the child
 * (/review/{id}/proof.json): {"format": "safeledger-proof-bundle/1",
 * "child", "origin", "verifier_key", "checkpoint", "events": [{"seq",
 * "recorded_at", "kind", "canonical", "salt", "leaf_hash", "amended",
 * "proof": {"checkpoint", "tree_size", "leaf_index", "root", "hashes"}}]},
 * from the same collection and proofs as the pack's. */
int review_pack_proof_json(app *a, const char *child, json_t **out, sl_err *err);

typedef struct review_pack_result {
	uint64_t events, access;
	uint64_t cases_size, access_size;
	uint8_t cases_root[32], access_root[32];
	char child[128];
} review_pack_result;

/* Check a pack held in memory (see the top).  0 when every check passes;
 * SL_ECORRUPT naming the first failing event or member; SL_EINVAL for
 * what is not a review pack at all. */
int review_pack_verify(const void *zip, size_t len, review_pack_result *res, sl_err *err);

#endif
