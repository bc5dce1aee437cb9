#!/usr/bin/env bash
# bad_input.sh - every kind of bad import names its line (and field) and
# leaves the database exactly as it was.
. "$(dirname "$0")/lib.sh"

"$SL" init --db t.db --origin bad.example/safeledger >/dev/null
"$PY" "$TOOLS/gen_events.py" 50 5 > ev.jsonl
"$SL" import --db t.db --quiet ev.jsonl >/dev/null
before=$(fingerprint t.db)

GOOD='{"kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"sw1"},"data":{"child":"C1","text":"fine"}}'

# try NAME EXPECTED_IN_ERROR LINE...: a file of a good line then the bad one.
try() {
	local name=$1 want=$2; shift 2
	{ echo "$GOOD"; printf '%s\n' "$@"; } > "$name.jsonl"
	expect_fail "$name" "$SL" import --db t.db --quiet "$name.jsonl"
	contains "$ERR" "line ${LINE:-2}:" "$name names its line"
	contains "$ERR" "$want" "$name reason"
	[ "$(fingerprint t.db)" = "$before" ] || fail "$name changed the database"; ok
}

try malformed "line 2" '{"kind":"note.recorded",'
try not_object "object" '[1,2,3]'
try unknown_kind "visit.done" '{"kind":"visit.done","occurred_at":"2024-01-05","by":{"user":"a"},"data":{}}'
try unknown_field "data.colour" '{"kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"a"},"data":{"child":"C1","text":"x","colour":"red"}}'
try missing_field "data.text" '{"kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"a"},"data":{"child":"C1"}}'
try bad_date "occurred_at" '{"kind":"note.recorded","occurred_at":"2024-02-30","by":{"user":"a"},"data":{"child":"C1","text":"x"}}'
try bad_code "data.source" '{"kind":"contact.received","occurred_at":"2024-01-05","by":{"user":"a"},"data":{"child":"C1","source":"9Z","summary":"x"}}'
try unknown_person "C999" '{"kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"a"},"data":{"child":"C999","text":"x"}}'
try unknown_ref "data.concern" '{"kind":"concern.resolved","occurred_at":"2024-01-05","by":{"user":"a"},"data":{"child":"C1","concern":"no-such-ref","rationale":"x"}}'
try duplicate_key "duplicate" '{"kind":"note.recorded","kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"a"},"data":{"child":"C1","text":"x"}}'
try recorder_given "recorder" '{"kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"a"},"recorder":"evil","data":{"child":"C1","text":"x"}}'
try sql_chars "data.child" "{\"kind\":\"note.recorded\",\"occurred_at\":\"2024-01-05\",\"by\":{\"user\":\"a\"},\"data\":{\"child\":\"C1'; DROP TABLE ledger; --\",\"text\":\"x\"}}"
LINE=3 try duplicate_ref "ref" \
	'{"kind":"note.recorded","occurred_at":"2024-01-05","ref":"r1","by":{"user":"a"},"data":{"child":"C1","text":"x"}}' \
	'{"kind":"note.recorded","occurred_at":"2024-01-05","ref":"r1","by":{"user":"a"},"data":{"child":"C1","text":"x"}}'

# Invalid UTF-8 inside a string.
{ echo "$GOOD"; printf '{"kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"a"},"data":{"child":"C1","text":"\xff\xfe"}}\n'; } > utf8.jsonl
expect_fail "invalid utf-8" "$SL" import --db t.db --quiet utf8.jsonl
contains "$ERR" "line 2" "utf-8 names the line"
[ "$(fingerprint t.db)" = "$before" ] || fail "invalid utf-8 changed the database"; ok

# A 2 GB line streamed from a generator: refused after the limit, quickly.
start=$(date +%s)
set +o pipefail
expect_fail "2 GB line" bash -c "{ echo '$GOOD'; head -c 2147483648 /dev/zero | tr '\\0' 'x'; } | '$SL' import --db t.db --quiet -"
set -o pipefail
contains "$ERR" "line 2: longer than" "overlong line named"
[ $(( $(date +%s) - start )) -lt 60 ] || fail "overlong line took too long"; ok
[ "$(fingerprint t.db)" = "$before" ] || fail "overlong line changed the database"; ok

# An empty file imports nothing and succeeds; a missing file is named.
: > empty.jsonl
expect_ok "empty file" "$SL" import --db t.db --quiet empty.jsonl
expect_fail "missing file" "$SL" import --db t.db nowhere.jsonl
contains "$ERR" "nowhere.jsonl" "missing file named"
expect_ok "still verifies" "$SL" verify --db t.db
done_ok
