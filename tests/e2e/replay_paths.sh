#!/usr/bin/env bash
# replay_paths.sh - `replay` runs on a rules-only instance (validation and
# rules, no ledger or projections); `replay --full` runs the whole write
# path.  Both must accept and refuse the same histories with the same
# words, and raise the same alerts: amendments (requested, approved by
# someone else, refused when decided twice or by the requester), refs and
# seqs, people.
. "$(dirname "$0")/lib.sh"

both_ok() { # both_ok NAME FILE: both succeed with identical output
	"$SL" replay "$2" --json >lean.out 2>lean.err || fail "$1: replay failed: $(cat lean.err)"
	"$SL" replay "$2" --json --full >full.out 2>full.err || fail "$1: replay --full failed: $(cat full.err)"
	cmp -s lean.out full.out || fail "$1: outputs differ: $(diff lean.out full.out | head -4)"
	ok
}
both_fail() { # both_fail NAME FILE WORDS: both refuse, with the same message, naming WORDS
	if "$SL" replay "$2" --json >lean.out 2>lean.err; then fail "$1: replay accepted it"; fi
	if "$SL" replay "$2" --json --full >full.out 2>full.err; then fail "$1: replay --full accepted it"; fi
	cmp -s lean.err full.err || fail "$1: messages differ: $(cat lean.err) / $(cat full.err)"
	contains "$(cat lean.err)" "$3" "$1"
}

HEAD='{"kind":"person.registered","occurred_at":"2024-01-02","ref":"reg","by":{"user":"sw1"},"data":{"id":"C1","role":"child","name":"Robin Quell","born":"2023-10-20"}}
{"kind":"injury.observed","occurred_at":"2024-02-05","ref":"inj","by":{"agency":"health"},"data":{"child":"C1","description":"Bruise to cheek","agency":"health"}}
{"kind":"amendment.requested","occurred_at":"2024-02-06","ref":"req","by":{"user":"sw1"},"data":{"target":"inj","reason":"wrong side","data":{"description":"Bruise to left cheek"}}}'

printf '%s\n%s\n' "$HEAD" '{"kind":"amendment.approved","occurred_at":"2024-02-07","by":{"user":"sm1"},"data":{"request":"req"}}' > ok.jsonl
both_ok "an approved amendment" ok.jsonl
contains "$(cat lean.out)" "NONMOBILE_INJURY/C1/2024-02-05" "the injury raised its alert"
printf '%s\n%s\n' "$HEAD" '{"kind":"amendment.approved","occurred_at":"2024-02-07","by":{"user":"sm1"},"data":{"request":4}}' > seq.jsonl
both_ok "a request named by seq (3 is the alert the injury raised)" seq.jsonl

printf '%s\n%s\n%s\n' "$HEAD" '{"kind":"amendment.approved","occurred_at":"2024-02-07","by":{"user":"sm1"},"data":{"request":"req"}}' \
	'{"kind":"amendment.rejected","occurred_at":"2024-02-08","by":{"user":"sm2"},"data":{"request":"req","reason":"no"}}' > twice.jsonl
both_fail "decided twice" twice.jsonl "is already approved"
printf '%s\n%s\n' "$HEAD" '{"kind":"amendment.approved","occurred_at":"2024-02-07","by":{"user":"sw1"},"data":{"request":"req"}}' > own.jsonl
both_fail "approved by its requester" own.jsonl "cannot approve it"
printf '%s\n%s\n' "$HEAD" '{"kind":"amendment.approved","occurred_at":"2024-02-07","by":{"user":"sm1"},"data":{"request":"inj"}}' > notreq.jsonl
both_fail "approving an injury" notreq.jsonl "data.request"
printf '%s\n%s\n' "$HEAD" '{"kind":"amendment.approved","occurred_at":"2024-02-07","by":{"user":"sm1"},"data":{"request":"nope"}}' > noref.jsonl
both_fail "an unknown ref" noref.jsonl "nope"
printf '%s\n%s\n' "$HEAD" '{"kind":"amendment.approved","occurred_at":"2024-02-07","by":{"user":"sm1"},"data":{"request":99}}' > noseq.jsonl
both_fail "a seq beyond the history" noseq.jsonl "99"
printf '%s\n%s\n' "$HEAD" '{"kind":"concern.raised","occurred_at":"2024-02-07","ref":"inj","by":{"user":"sw1"},"data":{"child":"C1","category":"neglect","summary":"s"}}' > dupref.jsonl
both_fail "a ref used twice" dupref.jsonl "inj"
printf '%s\n%s\n' "$HEAD" '{"kind":"person.registered","occurred_at":"2024-02-07","by":{"user":"sw1"},"data":{"id":"C1","role":"child","name":"Again","born":"2023-10-20"}}' > duppers.jsonl
both_fail "a person registered twice" duppers.jsonl "already registered"
printf '%s\n%s\n' "$HEAD" '{"kind":"visit.recorded","occurred_at":"2024-02-07","by":{"user":"sw1"},"data":{"child":"Z9","seen":true,"summary":"s"}}' > noperson.jsonl
both_fail "an unknown child" noperson.jsonl "Z9"
printf '%s\n%s\n' "$HEAD" '{"kind":"alert.acknowledged","occurred_at":"2024-02-07","by":{"user":"tm1"},"data":{"alert":"NONMOBILE_INJURY/C1/2024-02-06"}}' > noalert.jsonl
both_fail "an unknown alert" noalert.jsonl "NONMOBILE_INJURY/C1/2024-02-06"
done_ok
