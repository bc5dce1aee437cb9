#!/usr/bin/env bash
# amend_page.sh - asking for a correction from the web page
# (/children/{id}/events/{seq}/amend) against the real server, as a
# browser without JavaScript would: the form shows the entry's values,
# only the changeable fields get inputs, a missing reason or an unchanged
# entry is refused next to the field with nothing written, a valid request
# appends exactly one amendment.requested naming the changed fields, an
# entry about another child or an unknown seq is 404, a role that may not
# ask is refused, and the request then appears in the approvals on /team,
# where approving it makes the child's page show the new value and keep
# the original.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_TODAY=2024-06-03

"$SL" init --db t.db --origin amend.example/safeledger >/dev/null
"$SL" import --db t.db --quiet "$ROOT/tests/data/api_fixture.jsonl" >/dev/null
PW='correct horse battery'
adduser() { printf '%s\n' "$PW" | "$SL" user add "$1" --db t.db --role "$2" ${3:+--team "$3"} >/dev/null; }
adduser sw1 social_worker north
adduser sm1 senior_manager
adduser rv1 reviewer
serve t.db --timeout 5 --threads 2

ledger_size() { "$SL" export --db t.db | wc -l; }
signed_in() { signin "$@"; [ "$CODE" = 303 ] || fail "sign-in of $2: HTTP $CODE"; }
signed_in jar.sw1 sw1 "$PW"
signed_in jar.sm1 sm1 "$PW"
signed_in jar.rv1 rv1 "$PW"

# The visit to C1 at school: its seq from the export.
VISIT=$("$SL" export --db t.db | grep -n 'Seen alone at school' | cut -d: -f1)
[ -n "$VISIT" ] || fail "no visit at school in the ledger"
ok

# --- from the record: each entry links to its correction form ---
get jar.sw1 "/children/C1?kind=visit.recorded"
expect_code 200 "the record"
contains "$BODY" "href=\"/children/C1/events/$VISIT/amend\"" "the entry's Ask for a correction link"
get jar.rv1 /children/C1
if printf '%s' "$BODY" | grep -q '/amend"'; then fail "no correction links for a role that may not ask"; fi; ok

# --- the form ---
get jar.sw1 "/children/C1/events/$VISIT/amend"
expect_code 200 "the correction form"
contains "$BODY" 'name="f-summary"' "an input for the summary"
contains "$BODY" 'Seen alone at school' "the summary as it reads now"
contains "$BODY" 'name="f-seen"' "yes/no for seen"
contains "$BODY" 'Visit' "the entry's kind in words"
contains "$BODY" 'name="reason"' "the reason"
if printf '%s' "$BODY" | grep -q 'name="f-child"'; then fail "the child is not changeable"; fi
ok
CSRF=$(field_value csrf)
[ -n "$CSRF" ] || fail "no csrf token on the form"
ok

# --- refused, nothing written ---
before=$(ledger_size)
post jar.sw1 "/children/C1/events/$VISIT/amend" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "f-summary=Seen alone at school by the nurse" --data-urlencode "f-seen=true"
expect_code 422 "a request without a reason"
contains "$BODY" 'Enter why the correction is needed' "the reason's error"
contains "$BODY" 'href="#reason"' "the error summary links to the reason"
contains "$BODY" 'Seen alone at school by the nurse' "what was typed comes back"
post jar.sw1 "/children/C1/events/$VISIT/amend" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "f-summary=Seen alone at school" --data-urlencode "f-seen=true" \
	--data-urlencode "reason=typo"
expect_code 422 "a request that changes nothing"
contains "$BODY" 'Change at least one value' "the unchanged entry's error"
post jar.sw1 "/children/C1/events/$VISIT/amend" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "f-summary=Seen at home" --data-urlencode "f-seen=maybe" --data-urlencode "reason=typo"
expect_code 422 "a yes/no field with another value"
contains "$BODY" 'Choose yes or no' "the yes/no error"
post jar.sw1 "/children/C1/events/$VISIT/amend" --data-urlencode "f-summary=x" --data-urlencode "reason=typo"
expect_code 403 "a post without the CSRF token"
get jar.sw1 "/children/C2/events/$VISIT/amend"
[ "$CODE" = 404 ] || [ "$CODE" = 403 ] || fail "an entry about another child: HTTP $CODE"
ok
get jar.sw1 "/children/C1/events/999999/amend"
expect_code 404 "an unknown entry"
get jar.sw1 "/children/C1/events/abc/amend"
expect_code 404 "a seq that is not a number"
get jar.rv1 "/children/C1/events/$VISIT/amend"
expect_code 403 "a reviewer may not ask for corrections"
[ "$(ledger_size)" = "$before" ] || fail "a refused request wrote to the ledger"
ok

# --- a valid request ---
post jar.sw1 "/children/C1/events/$VISIT/amend" --data-urlencode "csrf=$CSRF" \
	--data-urlencode "f-summary=Seen alone at school by the nurse" --data-urlencode "f-seen=true" \
	--data-urlencode "reason=The visit note named the wrong carer" \
	--data-urlencode "f-child=C2"
expect_code 303 "a valid request"
[ "$LOC" = "/children/C1?recorded=amendment" ] || fail "back to the record, not '$LOC'"
ok
get jar.sw1 "$LOC"
contains "$BODY" 'Your request for a correction was sent' "the record says the request went"
[ "$(ledger_size)" = "$((before + 1))" ] || fail "one event is written"
ok
last=$("$SL" export --db t.db | tail -1)
contains "$last" '"kind":"amendment.requested"' "the event is an amendment request"
contains "$last" "\"target\":$VISIT" "naming the visit"
contains "$last" '"data":{"summary":"Seen alone at school by the nurse"}' "with only the changed field"
contains "$last" '"reason":"The visit note named the wrong carer"' "and the reason"
get jar.sw1 "/children/C1/events/$VISIT/amend"
contains "$BODY" 'already waiting for a decision' "the form says a request is waiting"

# --- approved on /team, shown on the record with the original ---
get jar.sm1 /team
expect_code 200 "the approvals page"
contains "$BODY" 'The visit note named the wrong carer' "the request with its reason"
REQ=$(("$before" + 1))
TEAM_CSRF=$(field_value csrf)
post jar.sm1 "/approvals/$REQ" --data-urlencode "csrf=$TEAM_CSRF" --data-urlencode "decision=approve"
[ "$CODE" = 303 ] || fail "approving: HTTP $CODE $(head -c 400 body.out)"
ok
get jar.sw1 /children/C1
contains "$BODY" 'Seen alone at school by the nurse' "the record shows the corrected summary"
contains "$BODY" 'Seen alone at school' "and keeps the original"
stop_server
done_ok
