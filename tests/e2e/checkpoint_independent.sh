#!/usr/bin/env bash
# checkpoint_independent.sh - check what the CLI prints the way an outside
# verifier would: from the public key alone, with code written from the
# C2SP and RFC texts (tests/tools/independent.py, PyNaCl for Ed25519).
. "$(dirname "$0")/lib.sh"
# The ledger's own test: alerts the rules raise would add events of their own.
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

"$SL" init --db t.db --origin outside.example/safeledger >/dev/null
"$PY" "$TOOLS/gen_events.py" 500 9 > ev.jsonl
"$SL" import --db t.db --quiet ev.jsonl >/dev/null
vkey=$("$SL" key --db t.db)
"$SL" checkpoint --db t.db > cp.txt
expect_ok "independent signed-note verification" "$PY" "$TOOLS/independent.py" checkpoint "$vkey" cp.txt
read -r origin size root <<<"$OUT"
[ "$origin" = outside.example/safeledger ] || fail "origin $origin"; ok
[ "$size" = 500 ] || fail "size $size"; ok

# The root in the signed checkpoint is the RFC 6962 root of the leaves an
# outsider computes from the export lines (events and salts).
"$SL" export --db t.db > export.jsonl
ri=$("$PY" "$TOOLS/independent.py" root export.jsonl)
[ "$root" = "$ri" ] || fail "signed root $root, independent root $ri"; ok

# A checkpoint altered by one byte fails the outside check.
sed '2s/500/501/' cp.txt > bad.txt
expect_fail "altered checkpoint" "$PY" "$TOOLS/independent.py" checkpoint "$vkey" bad.txt
# And a different key does not verify it.
"$SL" init --db other.db --origin outside.example/safeledger >/dev/null
expect_fail "wrong key" "$PY" "$TOOLS/independent.py" checkpoint "$("$SL" key --db other.db)" cp.txt
done_ok
