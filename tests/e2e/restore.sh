#!/usr/bin/env bash
# restore.sh - export, restore into an empty ledger: same leaves, same root.
. "$(dirname "$0")/lib.sh"
# The ledger's own test: alerts the rules raise would add events of their own.
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

"$SL" init --db a.db --origin a.example/safeledger >/dev/null
"$PY" "$TOOLS/gen_events.py" 1000 3 > ev.jsonl
"$SL" import --db a.db --quiet ev.jsonl >/dev/null
"$SL" export --db a.db > a.jsonl
[ "$(wc -l < a.jsonl)" = 1000 ] || fail "export has $(wc -l < a.jsonl) lines"; ok

"$SL" init --db b.db --origin b.example/safeledger >/dev/null
expect_ok "restore" "$SL" import --db b.db a.jsonl
"$SL" export --db b.db > b.jsonl
cmp -s a.jsonl b.jsonl || fail "re-export differs from the export"; ok
# the first line is the case ledger's (the second, the access log's)
ra=$("$SL" verify --db a.db | head -1 | sed 's/.*root \([0-9a-f]*\).*/\1/')
rb=$("$SL" verify --db b.db | head -1 | sed 's/.*root \([0-9a-f]*\).*/\1/')
[ "$ra" = "$rb" ] || fail "roots differ: $ra vs $rb"; ok
ri=$("$PY" "$TOOLS/independent.py" root a.jsonl)
[ "$ra" = "$ri" ] || fail "independent root $ri differs from $ra"; ok

# Export lines into a non-empty ledger are refused and change nothing.
before=$(fingerprint a.db)
expect_fail "restore into non-empty" "$SL" import --db a.db a.jsonl
contains "$ERR" "line 1" "names the line"
contains "$ERR" "empty ledger" "says why"
[ "$(fingerprint a.db)" = "$before" ] || fail "refused restore changed the ledger"; ok

# A gap in an export is refused.
"$SL" init --db c.db --origin c.example/safeledger >/dev/null
sed 5d a.jsonl > gap.jsonl
expect_fail "restore with a gap" "$SL" import --db c.db gap.jsonl
contains "$ERR" "line 5" "names the line of the gap"
[ "$("$SL" export --db c.db | wc -l)" = 0 ] || fail "failed restore wrote rows"; ok
done_ok
