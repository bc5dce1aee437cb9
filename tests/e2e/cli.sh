#!/usr/bin/env bash
# cli.sh - every sub-command's normal use, on a small history.
. "$(dirname "$0")/lib.sh"
# The ledger's own test: alerts the rules raise would add events of their own.
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

expect_ok "help" "$SL" --help
HELP=$OUT
for c in init import append export key checkpoint prove verify events; do
	contains "$HELP" "  $c " "--help lists $c"
	expect_ok "$c --help" "$SL" "$c" --help
	contains "$OUT" "usage: safeledger $c" "$c --help"
	contains "$OUT" "--db FILE" "$c --help mentions --db"
done
expect_fail "unknown command" "$SL" frobnicate
contains "$ERR" "unknown command" "unknown command message"

expect_fail "open before init" "$SL" verify --db none.db
contains "$ERR" "none.db" "names the missing database"

expect_ok "init" "$SL" init --db t.db --origin test.example/safeledger
contains "$OUT" "test.example/safeledger" "init prints origin"
[ "$(stat -c %a t.db.key)" = 600 ] || fail "key file mode is $(stat -c %a t.db.key), want 600"; ok
expect_fail "init twice" "$SL" init --db t.db --origin x
contains "$ERR" "already initialised" "second init refused"

expect_ok "key" "$SL" key --db t.db
[[ "$OUT" =~ ^test\.example/safeledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$ ]] || fail "key format: $OUT"; ok

expect_ok "empty checkpoint" "$SL" checkpoint --db t.db
[ "$(echo "$OUT" | sed -n 2p)" = 0 ] || fail "empty checkpoint size"; ok
contains "$OUT" "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" "empty root is SHA-256 of nothing"

"$PY" "$TOOLS/gen_events.py" 300 7 > ev.jsonl
expect_ok "import" "$SL" import --db t.db ev.jsonl
contains "$OUT" "imported 300 events" "import summary"
SAFELEDGER_DB=t.db expect_ok "verify via SAFELEDGER_DB" "$SL" verify
contains "$OUT" "ok: 300 events" "verify summary"

expect_ok "checkpoint" "$SL" checkpoint --db t.db
printf '%s\n' "$OUT" > cp.txt
[ "$(sed -n 1p cp.txt)" = test.example/safeledger ] || fail "checkpoint origin line"; ok
[ "$(sed -n 2p cp.txt)" = 300 ] || fail "checkpoint size line"; ok
expect_ok "checkpoint --no-sign is the same" "$SL" checkpoint --db t.db --no-sign
[ "$OUT" = "$(cat cp.txt)" ] || fail "checkpoint changed without new events"; ok

expect_ok "events" "$SL" events --db t.db --child C1
first=$(echo "$OUT" | head -1)
contains "$first" '"kind":"person.registered"' "a child's first event is the registration"
contains "$first" '"recorder":"cli:tester"' "recorder recorded"
expect_fail "events for unknown child" "$SL" events --db t.db --child NOPE
contains "$ERR" "unknown person NOPE" "unknown child named"

expect_ok "prove json" "$SL" prove 17 --json --db t.db
echo "$OUT" > p.json
contains "$OUT" '"seq":17,"tree_size":300,"leaf_index":16' "proof header"
expect_ok "independent inclusion check" "$PY" "$TOOLS/independent.py" inclusion p.json
expect_ok "prove text" "$SL" prove 300 --db t.db
contains "$OUT" "leaf index 299" "text proof"
expect_ok "prove --size" "$SL" prove 5 --size 5 --json --db t.db
echo "$OUT" > p5.json
expect_ok "independent inclusion at size 5" "$PY" "$TOOLS/independent.py" inclusion p5.json
expect_fail "prove beyond" "$SL" prove 301 --db t.db
contains "$ERR" "301" "out-of-range seq named"

"$SL" export --db t.db > export.jsonl
r1=$("$PY" "$TOOLS/independent.py" root export.jsonl 100)
r2=$("$PY" "$TOOLS/independent.py" root export.jsonl 300)
expect_ok "prove consistency" "$SL" prove --from 100 --to 300 --json --db t.db
echo "$OUT" > c.json
expect_ok "independent consistency check" "$PY" "$TOOLS/independent.py" consistency c.json "$r1" "$r2"
expect_fail "consistency bad range" "$SL" prove --from 300 --to 100 --db t.db

expect_ok "append" "$SL" append --db t.db <<'JSON'
{"kind":"note.recorded","occurred_at":"2024-05-01","by":{"user":"sw1"},"data":{"child":"C1","text":"appended"}}
JSON
[[ "$OUT" =~ ^301\ [0-9a-f]{64}$ ]] || fail "append acknowledgement: $OUT"; ok
expect_ok "verify after append" "$SL" verify --db t.db
contains "$OUT" "ok: 301 events" "append verified"
done_ok
