#!/usr/bin/env bash
# tamper.sh - change the database behind safeledger's back with sqlite3, one
# way at a time on copies; `verify` must catch each and name the seq.
. "$(dirname "$0")/lib.sh"
# The ledger's own test: alerts the rules raise would add events of their own.
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

"$SL" init --db base.db --origin tamper.example/safeledger >/dev/null
"$PY" "$TOOLS/gen_events.py" 3000 11 > ev.jsonl
"$SL" import --db base.db --quiet ev.jsonl >/dev/null
expect_ok "untouched verifies" "$SL" verify --db base.db
contains "$OUT" "ok: 3000 events" "untouched summary"

copy() { cp base.db "$1"; cp base.db.key "$1.key"; }
sql() { sqlite3 "$1" "PRAGMA foreign_keys=OFF; DROP TRIGGER IF EXISTS ledger_no_update; DROP TRIGGER IF EXISTS ledger_no_delete; $2"; }

# The triggers themselves refuse, for a careless session.
copy trig.db
if sqlite3 trig.db "UPDATE ledger SET kind = 'x' WHERE seq = 1" 2>err.txt; then fail "UPDATE allowed"; fi
contains "$(cat err.txt)" "append-only" "update trigger"
if sqlite3 trig.db "DELETE FROM ledger WHERE seq = 1" 2>err.txt; then fail "DELETE allowed"; fi
contains "$(cat err.txt)" "append-only" "delete trigger"

# 1. One payload byte changed.
copy edit.db
sql edit.db "UPDATE ledger SET event = substr(event, 1, 40) || char(unicode(substr(event, 41, 1)) + 1) || substr(event, 42) WHERE seq = 1234"
expect_fail "edited payload" "$SL" verify --db edit.db
contains "$ERR" "seq 1234" "edit names seq 1234"

# 2. A row deleted.
copy del.db
sql del.db "DELETE FROM ledger WHERE seq = 777"
expect_fail "deleted row" "$SL" verify --db del.db
contains "$ERR" "seq 777" "delete names seq 777"

# 3. Two rows swapped (contents exchanged between seqs).
copy swap.db
sql swap.db "CREATE TEMP TABLE t AS SELECT * FROM ledger WHERE seq IN (1500, 2500);
 UPDATE ledger SET recorded_at = (SELECT recorded_at FROM t WHERE seq = 2500), kind = (SELECT kind FROM t WHERE seq = 2500),
   salt = (SELECT salt FROM t WHERE seq = 2500), event = (SELECT event FROM t WHERE seq = 2500) WHERE seq = 1500;
 UPDATE ledger SET recorded_at = (SELECT recorded_at FROM t WHERE seq = 1500), kind = (SELECT kind FROM t WHERE seq = 1500),
   salt = (SELECT salt FROM t WHERE seq = 1500), event = (SELECT event FROM t WHERE seq = 1500) WHERE seq = 2500;"
expect_fail "swapped rows" "$SL" verify --db swap.db
contains "$ERR" "seq 1500" "swap names seq 1500"

# 4. A forged row inserted after the last.
copy forge.db
sql forge.db "INSERT INTO ledger SELECT 3001, recorded_at, kind, salt, replace(event, 'Home', 'Away') FROM ledger WHERE seq = 42"
expect_fail "forged row" "$SL" verify --db forge.db
contains "$ERR" "seq 3001" "forgery names seq 3001"

# 5. A forged row with its tile rewritten too: the signed checkpoint catches it.
copy deep.db
sql deep.db "UPDATE ledger SET event = replace(event, 'Home', 'Hove') WHERE seq = 10; DELETE FROM merkle_tile"
expect_fail "events and tiles rewritten" "$SL" verify --db deep.db
contains "$ERR" "seq" "deep tamper reported"

# 6. A checkpoint signature altered.
copy sig.db
sql sig.db "UPDATE checkpoint SET note = replace(note, 'tamper.example/safeledger ', 'tamper.example/safeledger A') WHERE size = 3000"
expect_fail "checkpoint signature" "$SL" verify --db sig.db
contains "$ERR" "checkpoint at size 3000" "bad checkpoint named"

expect_ok "original still verifies" "$SL" verify --db base.db
done_ok
