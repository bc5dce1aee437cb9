#!/usr/bin/env bash
# crash.sh - kill an appending process with SIGKILL at random moments (25
# times).  Every time, `verify` must pass afterwards and the ledger must
# hold every event whose append had been acknowledged, unchanged.
. "$(dirname "$0")/lib.sh"
# The ledger's own test: alerts the rules raise would add events of their own.
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

"$SL" init --db t.db --origin crash.example/safeledger >/dev/null
"$PY" "$TOOLS/gen_events.py" 3 21 > reg.jsonl
# Registrations first (so later lines resolve), then a stream of notes.
"$SL" import --db t.db --quiet reg.jsonl >/dev/null
note='{"kind":"note.recorded","occurred_at":"2024-01-05","by":{"user":"sw1"},"data":{"child":"C1","text":"crash test note"}}'
{ yes "$note" || true; } | head -n 100000 > notes.jsonl

RANDOM=42
for round in $(seq 1 25); do
	: > acks.txt
	"$SL" append --db t.db notes.jsonl > acks.txt 2>/dev/null &
	pid=$!
	sleep "0.$(( RANDOM % 9 + 1 ))$(( RANDOM % 10 ))"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	expect_ok "verify after kill $round" "$SL" verify --db t.db
	# Every acknowledged seq must be in the ledger with the same leaf hash.
	"$SL" export --db t.db > export.jsonl
	"$PY" "$TOOLS/independent.py" leaves export.jsonl > leaves.txt
	# A partial last line in acks.txt is an append whose acknowledgement was
	# cut mid-write: only complete lines count.
	grep -E '^[0-9]+ [0-9a-f]{64}$' acks.txt > acked.txt || true
	missing=$(grep -vxFf leaves.txt acked.txt | head -1 || true)
	[ -z "$missing" ] || fail "round $round: acknowledged append lost or changed: $missing"; ok
	n=$(wc -l < acked.txt)
	echo "round $round: $n acknowledged, ledger $(wc -l < leaves.txt)"
done
done_ok
