#!/usr/bin/env bash
# rules_live.sh - the rules inside the live write path: alerts appended as
# ledger events in the same transaction, a closure CLOSURE_BLOCKED forbids
# refused with nothing written, LATE_ENTRY, the daily tick, acknowledging
# and resolving alerts, the as-of view, and bad configuration refused at
# start.
. "$(dirname "$0")/lib.sh"

"$SL" init --db t.db >/dev/null
export SAFELEDGER_DB=t.db SAFELEDGER_TODAY=2024-02-05

"$SL" import --quiet - >/dev/null <<'JSON'
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"sw1"},"data":{"id":"C1","role":"child","name":"Robin Quell","born":"2023-10-20"}}
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"sw1"},"data":{"id":"A1","role":"adult","name":"Ash Quell"}}
{"kind":"person.linked","occurred_at":"2024-01-02","by":{"user":"sw1"},"data":{"a":"A1","b":"C1","relation":"father"}}
{"kind":"referral.decided","occurred_at":"2024-01-03","by":{"user":"sw1"},"data":{"child":"C1","decision":"assessment","primary_need":"N1"}}
{"kind":"case.allocated","occurred_at":"2024-01-03","by":{"user":"tm1"},"data":{"child":"C1","worker":"sw1"}}
{"kind":"concern.raised","occurred_at":"2024-01-04","ref":"k1","by":{"user":"sw1"},"data":{"child":"C1","category":"physical","summary":"Bruising","significant_harm":true}}
JSON
# An injury to a baby raises NONMOBILE_INJURY as an event in the same write.
expect_ok "append injury" "$SL" append <<'JSON'
{"kind":"injury.observed","occurred_at":"2024-02-05","by":{"agency":"health","role":"GP"},"data":{"child":"C1","description":"Bruise to cheek","agency":"health"}}
JSON
expect_ok "events" "$SL" events --child C1
contains "$OUT" '"ref":"NONMOBILE_INJURY/C1/2024-02-05"' "alert recorded as an event about the child"
contains "$OUT" '"recorder":"safeledger"' "recorded by the rules"

# Closing the case now is refused: a significant-harm concern and a harm alert are open.
before=$(fingerprint t.db)
expect_fail "blocked closure" "$SL" append <<'JSON'
{"kind":"case.closed","occurred_at":"2024-02-05","by":{"user":"sw1"},"data":{"child":"C1","reason":"RC8"}}
JSON
contains "$ERR" "CLOSURE_BLOCKED" "refusal names the rule"
contains "$ERR" "significant-harm concern" "refusal says what is unresolved"
[ "$(fingerprint t.db)" = "$before" ] || fail "a refused closure wrote something"; ok

# Alerts can be acknowledged and resolved by their ref; unknown refs are refused.
expect_fail "unknown alert" "$SL" append <<'JSON'
{"kind":"alert.acknowledged","occurred_at":"2024-02-05","by":{"user":"tm1"},"data":{"alert":"NONMOBILE_INJURY/C1/2024-02-06"}}
JSON
contains "$ERR" "unknown alert" "unknown alert named"
expect_ok "acknowledge" "$SL" append <<'JSON'
{"kind":"alert.acknowledged","occurred_at":"2024-02-05","by":{"user":"tm1"},"data":{"alert":"NONMOBILE_INJURY/C1/2024-02-05","note":"Strategy booked"}}
JSON
expect_ok "resolve alert and concern" "$SL" append <<'JSON'
{"kind":"strategy.held","occurred_at":"2024-02-05","by":{"user":"sw1"},"data":{"child":"C1","s47":false}}
{"kind":"alert.resolved","occurred_at":"2024-02-05","by":{"user":"tm1"},"data":{"alert":"NONMOBILE_INJURY/C1/2024-02-05","rationale":"Medical explanation accepted"}}
{"kind":"concern.resolved","occurred_at":"2024-02-05","by":{"user":"sw1"},"data":{"child":"C1","concern":"k1","rationale":"Explained by a fall, seen by paediatrician"}}
JSON
# Nobody may forge an alert.
expect_fail "forged alert" "$SL" append <<'JSON'
{"kind":"alert.raised","occurred_at":"2024-02-05","ref":"LATE_VISIT/C1/2024-02-05","by":{"user":"sw1"},"data":{"code":"LATE_VISIT","child":"C1","reason":"x","evidence":[1]}}
JSON
contains "$ERR" "only by safeledger's rules engine" "alert.raised refused from input"

# With nothing harmful open the closure goes through.
expect_ok "closure" "$SL" append <<'JSON'
{"kind":"case.closed","occurred_at":"2024-02-05","by":{"user":"sw1"},"data":{"child":"C1","reason":"RC8","rationale":"Family supported, no further concerns"}}
JSON

# LATE_ENTRY: recorded more than 5 WD after it happened (live writes only).
SAFELEDGER_TODAY=2024-03-01 expect_ok "late entry" "$SL" append <<'JSON'
{"kind":"note.recorded","occurred_at":"2024-02-12","by":{"user":"sw1"},"data":{"child":"C1","text":"Phone call with mother"}}
JSON
expect_ok "events" "$SL" events --child C1
contains "$OUT" '"ref":"LATE_ENTRY/C1/2024-03-01"' "late entry flagged on the day recorded"

# The daily tick raises what falls due, once.
"$SL" import --quiet - >/dev/null <<'JSON'
{"kind":"escalation.raised","occurred_at":"2024-03-01","ref":"esc1","by":{"user":"sw1"},"data":{"to":"director","summary":"Caseloads","child":"C1"}}
JSON
expect_ok "tick" "$SL" tick --date 2024-03-11
contains "$OUT" "1 alerts raised" "tick raised the overdue escalation"
expect_ok "tick again" "$SL" tick --date 2024-03-11
contains "$OUT" "0 alerts raised" "nothing raised twice"
expect_ok "events" "$SL" events --child C1
contains "$OUT" '"ref":"ESCALATION_UNANSWERED/C1/2024-03-11"' "raised on the 6th working day"

# As-of: the state the record showed then, not now.  Rows were recorded
# today (the clock), so the view as of yesterday knows nothing yet.
expect_ok "as of now" "$SL" child C1 --json
contains "$OUT" '"state":"resolved"' "resolved alert shown as resolved"
yesterday=$(date -u -d yesterday +%Y-%m-%d)
expect_fail "as of before any record" "$SL" child C1 --as-of "$yesterday"
contains "$ERR" "not yet registered" "as-of before the record existed"
expect_ok "verify" "$SL" verify
contains "$OUT" "ok:" "ledger with alerts verifies"

# Bad configuration fails at start, naming the line.
printf 'LATE_VISITS.cp_working_days = 10\n' > bad1.conf
expect_fail "unknown rule" "$SL" replay --rules bad1.conf /dev/null
contains "$ERR" "bad1.conf line 1: unknown rule \`LATE_VISITS\`" "unknown rule named"
printf '# ok\nLATE_VISIT.cp_working_days = -3\n' > bad2.conf
expect_fail "negative threshold" "$SL" tick --rules bad2.conf
contains "$ERR" "bad2.conf line 2: LATE_VISIT.cp_working_days must be between" "negative threshold named"
printf 'calendar.bank_holidays = nowhere.tsv\n' > bad3.conf
expect_fail "missing calendar" "$SL" child C1 --rules bad3.conf
contains "$ERR" "nowhere.tsv" "missing calendar named"
printf 'LATE_VISIT.often = 3\n' > bad4.conf
expect_fail "unknown setting" "$SL" rules --rules bad4.conf
contains "$ERR" "rule LATE_VISIT has no setting \`often\`" "unknown setting named"

# A changed threshold changes the rule; `rules` prints what is in force.
printf 'LATE_REFERRAL_DECISION.working_days = 3   # our local standard\n' > mine.conf
expect_ok "rules" "$SL" rules --rules mine.conf
contains "$OUT" "LATE_REFERRAL_DECISION.working_days = 3" "override shown"
cat > hist.jsonl <<'JSON'
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"sw1"},"data":{"id":"C9","role":"child","name":"Kit Arrow","born":"2015-05-05"}}
{"kind":"contact.received","occurred_at":"2024-01-08","by":{"agency":"education"},"data":{"child":"C9","source":"2A","summary":"Worried"}}
{"kind":"referral.decided","occurred_at":"2024-01-10","by":{"user":"sw1"},"data":{"child":"C9","decision":"nfa"}}
JSON
expect_ok "default threshold" "$SL" replay --json hist.jsonl
contains "$OUT" "LATE_REFERRAL_DECISION/C9/2024-01-10" "late under the default 1 WD"
expect_ok "local threshold" "$SL" replay --json --rules mine.conf hist.jsonl
[ -z "$OUT" ] || fail "3 WD threshold still raised: $OUT"; ok
"$SL" rules > all.conf
expect_ok "printed config reads back" "$SL" rules --rules all.conf
[ "$OUT" = "$(cat all.conf)" ] || fail "rules output does not read back to itself"; ok
done_ok
