#!/usr/bin/env bash
# amendments.sh - corrections are new events: an approved amendment changes
# what reads show, marked, with the original kept; the requester cannot
# approve their own request; nothing is rewritten in place.
. "$(dirname "$0")/lib.sh"

"$SL" init --db t.db --origin amend.example/safeledger >/dev/null
cat > base.jsonl <<'JSON'
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"alice"},"data":{"id":"K1","role":"child","name":"Test Child","born":"2020-05-01"}}
{"kind":"visit.recorded","occurred_at":"2024-01-03","ref":"v1","by":{"user":"alice"},"data":{"child":"K1","seen":true,"summary":"Seen at home, happy"}}
{"kind":"amendment.requested","occurred_at":"2024-01-04","ref":"am1","by":{"user":"alice"},"data":{"target":"v1","reason":"Wrong room recorded","data":{"summary":"Seen at school, happy"}}}
JSON
expect_ok "import" "$SL" import --db t.db --quiet base.jsonl
raw_before=$(sqlite3 t.db "SELECT event FROM ledger WHERE seq = 2")

# Pending: reads show the original.
expect_ok "events" "$SL" events --db t.db --child K1
contains "$(echo "$OUT" | sed -n 2p)" "Seen at home" "pending amendment not applied"

# The requester approving their own request is refused; nothing written.
before=$(fingerprint t.db)
echo '{"kind":"amendment.approved","occurred_at":"2024-01-05","by":{"user":"alice"},"data":{"request":"am1"}}' > self.jsonl
expect_fail "self approval" "$SL" import --db t.db --quiet self.jsonl
contains "$ERR" "line 1" "self approval names the line"
contains "$ERR" "cannot approve" "self approval reason"
[ "$(fingerprint t.db)" = "$before" ] || fail "refused approval wrote something"; ok

# Another manager approves: reads show the new value, marked, original kept.
echo '{"kind":"amendment.approved","occurred_at":"2024-01-05","by":{"user":"bob"},"data":{"request":"am1"}}' > ok.jsonl
expect_ok "approval" "$SL" import --db t.db --quiet ok.jsonl
expect_ok "events after approval" "$SL" events --db t.db --child K1
visit=$(echo "$OUT" | grep '"seq":2,')
contains "$visit" '"summary":"Seen at school, happy"' "amended value shown"
contains "$visit" '"amended":true' "marked as amended"
contains "$visit" '"original":{"summary":"Seen at home, happy"}' "original kept"
contains "$visit" '"reason":"Wrong room recorded"' "reason shown"
[ "$(sqlite3 t.db "SELECT event FROM ledger WHERE seq = 2")" = "$raw_before" ] || fail "stored event rewritten"; ok

# A decided request cannot be decided again.
echo '{"kind":"amendment.rejected","occurred_at":"2024-01-06","by":{"user":"carol"},"data":{"request":"am1","reason":"late"}}' > again.jsonl
expect_fail "decide twice" "$SL" import --db t.db --quiet again.jsonl
contains "$ERR" "already approved" "second decision refused"

# An amendment may not change whom the event is about.
echo '{"kind":"amendment.requested","occurred_at":"2024-01-06","by":{"user":"alice"},"data":{"target":"v1","reason":"x","data":{"child":"K2"}}}' > who.jsonl
expect_fail "amend the child" "$SL" import --db t.db --quiet who.jsonl
contains "$ERR" "data.data.child" "names the field"

expect_ok "verify" "$SL" verify --db t.db
done_ok
