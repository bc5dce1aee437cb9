#!/usr/bin/env bash
# child_page.sh - the child's record page /children/{id} against the real
# server (curl, no JavaScript): the summary for an allowed worker, both
# pictures as inline SVG with role="img", a title and a description, the
# chronology list and the filters narrowing it, an amended entry with its
# original, the "as recorded on" view showing the earlier state (by the
# query parameter and by the path), a bad date as a GOV.UK error, a
# forbidden worker's 403 page, a sealed record's break-glass form,
# acknowledging an alert from the page, and a name with markup escaped
# everywhere.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_TODAY=2024-06-03


# The early history is restored as export lines recorded in January 2024,
# so that "as recorded on 2024-01-31" is a real, earlier state; the rest
# is imported now (the rules run on it and raise alerts).
"$PY" - <<'EOF'
import json, os
def ev(kind, day, by, data):
    return {"kind": kind, "occurred_at": day, "by": by, "data": data, "recorder": "cli:tester"}
sw = {"user": "sw1"}
early = [
    ev("person.registered", "2024-01-01", sw, {"id": "C1", "role": "child", "name": "Amy <script>alert(1)</script> Reed",
                                               "born": "2015-03-04", "nhs_number": "9434765919"}),
    ev("person.registered", "2024-01-01", sw, {"id": "M1", "role": "adult", "name": "Jo Reed"}),
    ev("person.registered", "2024-01-01", sw, {"id": "F1", "role": "adult", "name": "Lee <b>Cole</b>"}),
    ev("person.registered", "2024-01-01", sw, {"id": "C2", "role": "child", "name": "Ava Reed", "born": "2017-06-01"}),
    ev("person.registered", "2024-01-01", sw, {"id": "U1", "role": "child", "name": "Baby Reed", "expected": "2024-09-01"}),
    ev("person.linked", "2024-01-01", sw, {"a": "M1", "b": "C1", "relation": "mother"}),
    ev("person.linked", "2024-01-01", sw, {"a": "F1", "b": "C1", "relation": "father"}),
    ev("person.linked", "2024-01-01", sw, {"a": "U1", "b": "C1", "relation": "sibling"}),
    ev("person.linked", "2024-01-01", sw, {"a": "M1", "b": "C2", "relation": "mother"}),
    ev("contact.received", "2024-01-02", {"agency": "police", "role": "PC"}, {"child": "C1", "source": "2A",
                                                                            "summary": "Neighbour called police"}),
    ev("referral.decided", "2024-01-03", sw, {"child": "C1", "decision": "assessment"}),
    ev("case.allocated", "2024-01-03", {"user": "tm1"}, {"child": "C1", "worker": "sw1", "team": "north"}),
    ev("referral.decided", "2024-01-03", sw, {"child": "C2", "decision": "assessment"}),
    ev("case.allocated", "2024-01-03", {"user": "tm2"}, {"child": "C2", "worker": "sw2", "team": "south"}),
    ev("visit.recorded", "2024-01-05", sw, {"child": "C1", "seen": True, "summary": "Home visit: kitchen bare"}),
    ev("injury.observed", "2024-01-10", {"agency": "health", "role": "GP"}, {"child": "C1", "description": "Bruise to arm",
                                                                          "agency": "health"}),
]
with open("early.jsonl", "w") as f:
    for i, e in enumerate(early, 1):
        f.write(json.dumps({"seq": i, "recorded_at": "2024-01-%02dT10:00:00Z" % min(28, 10 + i), "salt": os.urandom(32).hex(),
                            "event": e}) + "\n")
later = [
    ev("assessment.started", "2024-02-01", sw, {"child": "C1"}),
    ev("strategy.held", "2024-02-05", sw, {"child": "C1", "s47": True}),
    ev("conference.held", "2024-02-20", sw, {"child": "C1", "type": "initial", "plan": True, "category": "physical"}),
    ev("missing.started", "2024-03-01", {"agency": "police"}, {"child": "C1"}),
    ev("missing.ended", "2024-03-02", {"agency": "police"}, {"child": "C1", "return_interview": True}),
    ev("risk.flagged", "2024-03-10", {"agency": "probation"}, {"person": "F1", "agency": "probation",
                                                             "summary": "Violent offences", "risk_to_children": True}),
    ev("note.recorded", "2024-03-11", sw, {"child": "C1", "text": "Spoke to school <i>nurse</i>"}),
    {"kind": "amendment.requested", "occurred_at": "2024-03-12", "by": sw, "ref": "am1",
     "data": {"target": 15, "reason": "Wrong room named", "data": {"summary": "Home visit: fridge empty"}}},
    {"kind": "amendment.approved", "occurred_at": "2024-03-13", "by": {"user": "sm1"}, "data": {"request": "am1"}},
]
with open("later.jsonl", "w") as f:
    for e in later:
        e.pop("recorder", None)
        f.write(json.dumps(e) + "\n")
EOF
"$SL" init --db t.db --origin pages.example/safeledger >/dev/null
expect_ok "restore the early history" "$SL" import --db t.db --quiet early.jsonl
expect_ok "import the later history" "$SL" import --db t.db --quiet later.jsonl
PW='correct horse battery'
adduser() { printf '%s\n' "$PW" | "$SL" user add "$1" --db t.db --role "$2" ${3:+--team "$3"} >/dev/null; }
adduser sw1 social_worker north
adduser sw2 social_worker south
adduser sm1 senior_manager
adduser rev1 reviewer

serve t.db --timeout 5 --threads 2

for u in sw1 sw2 sm1 rev1; do
	CODE=$(curl -s -o body.out -w '%{http_code}' -c "jar.$u" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$u\",\"password\":\"$PW\"}" "$URL/api/v1/session")
	[ "$CODE" = 200 ] || fail "sign in $u: HTTP $CODE $(cat body.out)"
done

# page WHO PATH: GET as WHO; sets CODE and BODY
page() {
	CODE=$(curl -s -o body.out -w '%{http_code}' -b "jar.$1" "$URL$2")
	BODY=$(cat body.out)
}
expect_code() { [ "$CODE" = "$1" ] || fail "$2: HTTP $CODE, expected $1: ${BODY:0:400}"; ok; }
absent() { case "$1" in *"$2"*) fail "$3: found '$2'" ;; *) ok ;; esac; }
count() { grep -o -- "$2" <<<"$1" | wc -l; }
# the chronology list's part of the page
list_of() { "$PY" -c 'import sys; s=sys.stdin.read(); a=s.find("id=\"chronology-list\""); print(s[a:s.find("id=\"network\"", a)] if a >= 0 else "")' <<<"$1"; }

# --- the page for the allocated worker ---------------------------------------------------------
page sw1 /children/C1
expect_code 200 "the child's page"
contains "$BODY" '<h1 class="govuk-heading-l">Amy &lt;script&gt;alert(1)&lt;/script&gt; Reed</h1>' "the name, escaped"
contains "$BODY" 'govuk-summary-list' "the summary list"
contains "$BODY" 'Child protection plan since 20 Feb 2024 (physical)' "legal status"
contains "$BODY" 'sw1 (team north), since 3 Jan 2024' "allocated worker and team"
contains "$BODY" 'Plan from 20 Feb 2024 (live): physical from 20 Feb 2024' "plan and category history"
# both pictures: inline SVG, role="img", with a title and a description
contains "$BODY" '<svg role="img" aria-labelledby="tl-title tl-desc"' "the timeline picture"
contains "$BODY" '<title id="tl-title">Chronology timeline of Amy &lt;script&gt;alert(1)&lt;/script&gt; Reed</title>' "the timeline's title"
contains "$BODY" '<desc id="tl-desc">' "the timeline's description"
contains "$BODY" 'Marked: 1 injury, 2 missing episode events' "injuries and missing episodes counted"
contains "$BODY" '<svg role="img" aria-labelledby="net-title net-desc"' "the network picture"
contains "$BODY" '<title id="net-title">Family and household network of Amy' "the network's title"
contains "$BODY" '>RISK TO CHILDREN</text>' "the risk-flagged father marked in words"
contains "$BODY" 'Lee &lt;b&gt;Cole&lt;/b&gt;' "a network name, escaped"
contains "$BODY" '>unborn</text>' "the unborn sibling marked"
contains "$BODY" 'id="net-p-F1"' "the network table"
# alerts with one-click acknowledge, concerns, record links
contains "$BODY" 'Linked to a risky adult' "the alert the risk flag raised"
contains "$BODY" 'action="/alerts/ack"' "an acknowledge button"
contains "$BODY" 'href="/children/C1/record/visit"' "a record form link"
# the list, with the amended visit showing its original
LIST=$(list_of "$BODY")
contains "$LIST" 'id="e15"' "the visit in the list"
contains "$LIST" 'Home visit: fridge empty' "the amended summary"
contains "$LIST" 'summary: Home visit: kitchen bare' "the original, one click away"
contains "$LIST" 'Spoke to school &lt;i&gt;nurse&lt;/i&gt;' "a note's text, escaped"
absent "$BODY" '<script>alert' "no markup from data, anywhere"
absent "$BODY" '<b>Cole' "no markup from data, anywhere"
absent "$BODY" '<i>nurse' "no markup from data, anywhere"
absent "$BODY" ' style="' "no inline style (the CSP refuses it)"
ALL=$(count "$LIST" 'class="app-chronology__item"')
[ "$ALL" -ge 14 ] || fail "the list shows the chronology: $ALL entries"; ok

page sw1 '/children/C1?recorded=visit'
contains "$BODY" 'Recorded: visit' "a record form's success comes back to the page"

# --- filters narrow the list (and the picture) ---------------------------------------------------
page sw1 '/children/C1?kind=visit.recorded'
expect_code 200 "filter by kind"
LIST=$(list_of "$BODY")
[ "$(count "$LIST" 'class="app-chronology__item"')" = 1 ] || fail "one visit: $LIST"; ok
contains "$BODY" '<desc id="tl-desc">1 event about' "the picture filtered too"
page sw1 '/children/C1?agency=health'
LIST=$(list_of "$BODY")
[ "$(count "$LIST" 'class="app-chronology__item"')" = 1 ] || fail "one health entry"; ok
contains "$LIST" 'Bruise to arm' "the injury"
page sw1 '/children/C1?from=2024-03-01&to=2024-03-02'
LIST=$(list_of "$BODY")
[ "$(count "$LIST" 'class="app-chronology__item"')" = 2 ] || fail "two entries in two days: $LIST"; ok
page sw1 '/children/C1?from=2024-13-01'
expect_code 400 "a bad filter date"
contains "$BODY" 'govuk-error-summary' "the GOV.UK error summary"
contains "$BODY" 'href="#from"' "the error links to its field"
contains "$BODY" 'govuk-form-group--error' "the field marked"

# --- as recorded on a date --------------------------------------------------------------------
page sw1 '/children/C1?as_of=2024-01-31'
expect_code 200 "as of a date"
contains "$BODY" 'You are looking at the record as it stood at the end of 31 Jan 2024.' "the banner"
contains "$BODY" 'No plan; not looked after' "no plan yet then"
LIST=$(list_of "$BODY")
[ "$(count "$LIST" 'class="app-chronology__item"')" = 9 ] || fail "the 9 entries recorded by then: $(count "$LIST" 'class="app-chronology__item"')"; ok
contains "$LIST" 'Home visit: kitchen bare' "the visit as it read then"
absent "$LIST" 'fridge empty' "no later amendment"
absent "$LIST" 'Went missing' "no later entry"
contains "$BODY" '<desc id="tl-desc">9 events about' "the picture as of then"
NET=$("$PY" -c 'import sys; s=sys.stdin.read(); a=s.find("id=\"network\""); print(s[a:])' <<<"$BODY")
contains "$NET" 'As it stood then' "the network as it stood then"
contains "$NET" 'id="net-p-F1"' "the father was linked by then"
absent "$NET" 'RISK TO CHILDREN' "his risk flag came later (2024-03-10)"
page sw1 /children/C1/as-of/2024-01-31
expect_code 200 "as of, by the path"
contains "$BODY" 'as it stood at the end of 31 Jan 2024' "the banner, by the path"
page sw1 '/children/C1?as_of=31/01/2024'
expect_code 400 "a bad as-of date"
contains "$BODY" 'govuk-error-summary' "the GOV.UK error summary"
contains "$BODY" 'href="#as_of"' "the error links to the date field"
contains "$BODY" 'Enter the date as year-month-day' "what to do"
page sw1 '/children/C1?as_of=2023-06-01'
expect_code 404 "before the child was registered"
contains "$BODY" 'was not yet registered on 2023-06-01' "says why"

# --- who may see it ----------------------------------------------------------------------------
page sw2 /children/C1
expect_code 403 "another team's worker"
contains "$BODY" '<!DOCTYPE html>' "an HTML page, not JSON"
absent "$BODY" 'Amy' "nothing of the record"
page rev1 /children/C1
expect_code 403 "a reviewer without a grant"
page sm1 /children/NOPE
expect_code 404 "an unknown child"
page sm1 /children/M1
expect_code 400 "an adult has no child record"
CODE=$(curl -s -o body.out -w '%{http_code}' "$URL/children/C1")
[ "$CODE" = 303 ] || fail "signed out: HTTP $CODE"; ok

# --- a sealed record: the break-glass form, then the record --------------------------------------
printf '%s' '{"kind":"record.sealed","occurred_at":"2024-06-03","data":{"child":"C2","reason":"Adoption placement"}}' >seal.json
CODE=$(curl -s -o body.out -w '%{http_code}' -b jar.sm1 -H 'Content-Type: application/json' --data-binary @seal.json "$URL/api/v1/events")
[ "$CODE" = 201 ] || fail "seal C2: $CODE $(cat body.out)"; ok
page sw2 /children/C2
expect_code 403 "a sealed record"
contains "$BODY" 'name="break_glass"' "the break-glass form"
page sw2 '/children/C2?break_glass=Urgent+call+from+school+about+Ava'
expect_code 200 "break-glass with a reason"
contains "$BODY" '<h1 class="govuk-heading-l">Ava Reed</h1>' "the sealed record, opened"

# --- acknowledge an alert from the page ---------------------------------------------------------
page sw1 /children/C1
CSRF=$(grep -o 'name="csrf" value="[^"]*"' body.out | head -1 | sed 's/.*value="//; s/"$//')
REF=$(grep -o 'name="alert" value="[^"]*"' body.out | head -1 | sed 's/.*value="//; s/"$//')
[ -n "$CSRF" ] && [ -n "$REF" ] || fail "no acknowledge form"
CODE=$(curl -s -o body.out -D headers.out -w '%{http_code}' -b jar.sw1 --data-urlencode "csrf=$CSRF" \
	--data-urlencode "alert=$REF" --data-urlencode "next=/children/C1" "$URL/alerts/ack")
[ "$CODE" = 303 ] || fail "acknowledge: HTTP $CODE $(cat body.out)"; ok
LOC=$(grep -i '^location:' headers.out | tr -d '\r' | sed 's/^[Ll]ocation: //')
contains "$LOC" "/children/C1?acknowledged=" "back to the child's page"
page sw1 "$LOC"
expect_code 200 "the page after acknowledging"
contains "$BODY" "Alert $REF acknowledged" "says it was done"

# every read above is in the access log
expect_ok "verify both logs" "$SL" verify --db t.db
done_ok
