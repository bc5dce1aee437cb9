#!/usr/bin/env bash
# as_of.sh - `child --as-of`: the record as it stood on a date, from the
# ledger rows recorded by then.  The history is restored from export lines
# whose recorded_at dates lie in the past, so "recorded" and "happened"
# differ: a conference held on 1 February but written up on 20 February is
# not known on the 10th.
. "$(dirname "$0")/lib.sh"

"$PY" - > restore.jsonl <<'PY'
import json
rows = [
    ("2024-01-01", {"kind": "person.registered", "occurred_at": "2024-01-01", "by": {"user": "sw1"},
                    "data": {"id": "C1", "role": "child", "name": "Sam Reed", "born": "2023-12-01"}}),
    ("2024-01-10", {"kind": "referral.decided", "occurred_at": "2024-01-10", "by": {"user": "sw1"},
                    "data": {"child": "C1", "decision": "assessment"}}),
    ("2024-01-15", {"kind": "injury.observed", "occurred_at": "2024-01-15", "by": {"agency": "health"},
                    "data": {"child": "C1", "description": "Bruise", "agency": "health"}}),
    ("2024-01-15", {"kind": "alert.raised", "occurred_at": "2024-01-15", "ref": "NONMOBILE_INJURY/C1/2024-01-15",
                    "by": {"user": "safeledger"},
                    "data": {"code": "NONMOBILE_INJURY", "child": "C1", "reason": "injury to a baby", "evidence": [3]}}),
    ("2024-02-20", {"kind": "conference.held", "occurred_at": "2024-02-01", "by": {"user": "chair1"},
                    "data": {"child": "C1", "type": "initial", "plan": True, "category": "physical"}}),
    ("2024-03-01", {"kind": "alert.resolved", "occurred_at": "2024-03-01", "by": {"user": "tm1"},
                    "data": {"alert": "NONMOBILE_INJURY/C1/2024-01-15", "rationale": "Plan in place"}}),
]
for seq, (rec, ev) in enumerate(rows, 1):
    ev["recorder"] = "safeledger" if ev["kind"] == "alert.raised" else "cli:sw1"
    print(json.dumps({"seq": seq, "recorded_at": rec + "T17:00:00.000Z", "salt": "%064x" % seq, "event": ev}))
PY
"$SL" init --db t.db >/dev/null
export SAFELEDGER_DB=t.db
expect_ok "restore" "$SL" import --quiet restore.jsonl

expect_fail "before registration" "$SL" child C1 --as-of 2023-12-31
contains "$ERR" "not yet registered on 2023-12-31" "unknown then"

expect_ok "as of 12 Jan" "$SL" child C1 --as-of 2024-01-12 --json
contains "$OUT" '"case":{"open":true,"opened_on":"2024-01-10","worker":null}' "case open"
contains "$OUT" '"cp_plan":null' "no plan yet"
contains "$OUT" '"alerts":[]' "no alert yet"
contains "$OUT" '"events":2' "two events known"

expect_ok "as of 10 Feb" "$SL" child C1 --as-of 2024-02-10 --json
contains "$OUT" '"ref":"NONMOBILE_INJURY/C1/2024-01-15","code":"NONMOBILE_INJURY","raised_on":"2024-01-15","state":"open"' "alert open"
contains "$OUT" '"cp_plan":null' "conference held 1 Feb was not recorded until 20 Feb"

expect_ok "as of 25 Feb" "$SL" child C1 --as-of 2024-02-25 --json
contains "$OUT" '"cp_plan":{"since":"2024-02-01","category":"physical"}' "plan known once recorded"
contains "$OUT" '"rule":"LATE_REVIEW_CONFERENCE","due":"2024-05-01"' "first review due 3 months after the plan"
contains "$OUT" '"state":"open"' "alert still open"

expect_ok "as of 2 Mar" "$SL" child C1 --as-of 2024-03-02 --json
contains "$OUT" '"state":"resolved"' "alert resolved by then"
expect_ok "as of 2 Mar, text" "$SL" child C1 --as-of 2024-03-02
contains "$OUT" "CP plan      since 2024-02-01, category physical" "text view"

expect_fail "bad date" "$SL" child C1 --as-of 2024-02-30
contains "$ERR" "2024-02-30" "bad date named"
expect_fail "adult" "$SL" child nobody
done_ok
