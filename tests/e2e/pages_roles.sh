#!/usr/bin/env bash
# pages_roles.sh - the team manager's, director's, partner's and reviewer's
# pages over HTTP against the real server (port 0) with the API fixture:
# each page for its role is 200 with its headings, numbers and charts
# (inline SVG with a text alternative and a table); the other roles get a
# 403 HTML page; an amendment approved and one rejected through the team
# page's forms change the record (and a rejection without a reason is a
# GOV.UK error that writes nothing); a partner user signs in through the
# sign-in form, sends information that is recorded as agency_info.received
# by its agency, and checks a plan status by NHS number (a bad check digit
# is a GOV.UK error; an answer is in the access log); a reviewer sees the
# granted child's history with amendments, alerts and who read it, and
# downloads a proof bundle whose every leaf and inclusion proof verify.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_TODAY=2024-06-03


"$SL" init --db t.db --origin pages.example/safeledger >/dev/null
"$SL" import --db t.db --quiet "$ROOT/tests/data/api_fixture.jsonl" >/dev/null
PW='correct horse battery'
adduser() { printf '%s\n' "$PW" | "$SL" user add "$@" --db t.db >/dev/null; }
adduser sw1 --role social_worker --team north
adduser tm1 --role team_manager --team north
adduser tm2 --role team_manager --team south
adduser sm1 --role senior_manager
adduser dir1 --role director
adduser rev1 --role reviewer
adduser pol1 --role partner --agency police --name "PC Pat"
# a partner user needs an agency, and only a partner takes one
expect_fail "partner without agency" sh -c "printf '%s\n' '$PW' | '$SL' user add p2 --db t.db --role partner"
contains "$ERR" "agency" "the missing agency named"
expect_fail "agency for staff" sh -c "printf '%s\n' '$PW' | '$SL' user add p3 --db t.db --role social_worker --agency police"
expect_fail "unknown agency" sh -c "printf '%s\n' '$PW' | '$SL' user add p4 --db t.db --role partner --agency mi5"
contains "$ERR" "agency: one of" "the agencies listed"
"$SL" user list --db t.db | grep -q '^pol1 .*partner .*police' || fail "user list shows the agency"; ok

serve t.db --timeout 5 --threads 2 --checkpoint-interval 200

# req WHO METHOD PATH [curl args...]: sets CODE, TYPE and BODY.
req() {
	local who=$1 method=$2 path=$3; shift 3
	local out
	out=$(curl -s --path-as-is -o body.out -w '%{http_code} %{content_type}' -X "$method" -b "jar.$who" \
		-c "jar.$who" "$@" "$URL$path")
	CODE=${out%% *}
	TYPE=${out#* }
	BODY=$(cat body.out)
}
expect_code() { [ "$CODE" = "$1" ] || fail "$2: HTTP $CODE, expected $1: $(echo "$BODY" | head -c 600)"; ok; }
expect_html() { case "$TYPE" in text/html*) ok ;; *) fail "$1: not HTML: $TYPE" ;; esac; }
jget() { "$PY" -c 'import json,sys; d=json.load(open("body.out")); print(eval(sys.argv[1], {"d": d}))' "$1"; }
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' body.out | head -1; }
post_json() { # post_json WHO PATH JSON (the API, for setting up)
	printf '%s' "$3" >post.json
	req "$1" POST "$2" -H 'Content-Type: application/json' --data-binary @post.json
}
ledger_size() { "$SL" export --db t.db | wc -l; }

for u in sw1 tm1 tm2 sm1 dir1 rev1; do
	CODE=$(curl -s -o body.out -w '%{http_code}' -c "jar.$u" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$u\",\"password\":\"$PW\"}" "$URL/api/v1/session")
	[ "$CODE" = 200 ] || fail "sign in $u: HTTP $CODE $(cat body.out)"
	ok
done
# the partner signs in through the page's form (double-submit token)
req pol1 GET /sign-in
expect_code 200 "sign-in form"
TOKEN=$(csrf_of)
[ -n "$TOKEN" ] || fail "no csrf field on the sign-in form"
req pol1 POST /sign-in --data-urlencode "login=pol1" --data-urlencode "password=$PW" --data-urlencode "csrf=$TOKEN"
expect_code 303 "partner signs in"

# --- who may open which page -------------------------------------------------------------
#        sw1 tm1 tm2 sm1 dir1 rev1 pol1
WHO=(sw1 tm1 tm2 sm1 dir1 rev1 pol1)
table=(
	"/team       403 200 200 200 200 403 403"
	"/director   403 403 403 200 200 403 403"
	"/partner    403 403 403 403 403 403 200"
	"/review     403 403 403 403 403 200 403"
)
for row in "${table[@]}"; do
	read -r path want <<<"$row"
	read -r -a wants <<<"$want"
	for i in "${!WHO[@]}"; do
		req "${WHO[$i]}" GET "$path"
		expect_code "${wants[$i]}" "${WHO[$i]} GET $path"
		expect_html "${WHO[$i]} GET $path"
	done
done

# --- the team manager's page ------------------------------------------------------------
req tm1 GET /team
expect_code 200 "tm1 /team"
contains "$BODY" '<h1 class="govuk-heading-l">Team north</h1>' "team heading"
contains "$BODY" 'role="img"' "the caseload chart has a role"
contains "$BODY" '<title id="loads-title">Children per worker</title>' "chart title"
contains "$BODY" 'Children allocated to each of 1 workers; 0 over the limit of 20.' "chart description"
contains "$BODY" '<th scope="row" class="govuk-table__header">sw1</th><td class="govuk-table__cell govuk-table__cell--numeric">1</td>' \
	"the chart's table: sw1 holds 1 child"
contains "$BODY" 'Unallocated children' "unallocated section"
contains "$BODY" 'Open alerts by child' "alerts section"
contains "$BODY" 'href="/children/C1"' "alerts link the child"
contains "$BODY" "Typo in the school&#39;s name" "the amendment's reason"
contains "$BODY" 'Spoke to school about attendance' "the original value"
contains "$BODY" 'Spoke to the school about attendance' "the proposed value"
contains "$BODY" 'A senior manager or the director decides' "who decides"
case "$BODY" in *'value="approve"'*) fail "a team manager is shown the Approve button" ;; esac; ok
case "$BODY" in *'style='*|*'<script>'*) fail "inline style or script on /team" ;; esac; ok
req tm2 GET /team
contains "$BODY" 'Team south' "tm2 sees south"
case "$BODY" in *"Typo in the school"*) fail "tm2 sees north's amendment" ;; esac; ok

# --- approving and rejecting through the form ------------------------------------------------
NOTE=$("$SL" export --db t.db | "$PY" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["event"].get("ref") == "note-1": print(r["seq"])')
REQ=$("$SL" export --db t.db | "$PY" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["event"].get("ref") == "amend-2": print(r["seq"])')
req sm1 GET /team
expect_code 200 "sm1 /team"
contains "$BODY" "action=\"/approvals/$REQ\"" "sm1 gets the decision form"
contains "$BODY" 'value="approve"' "Approve button"
SM_CSRF=$(csrf_of)
req tm1 GET /team
TM_CSRF=$(csrf_of)
before=$(ledger_size)
req tm1 POST "/approvals/$REQ" --data-urlencode "csrf=$TM_CSRF" --data-urlencode decision=approve
expect_code 403 "a team manager approving"
expect_html "403 page"
req sm1 POST "/approvals/$REQ" --data-urlencode decision=approve
expect_code 403 "no csrf token"
[ "$(ledger_size)" = "$before" ] || fail "a refused decision wrote"; ok
req sm1 POST "/approvals/$REQ" --data-urlencode "csrf=$SM_CSRF" --data-urlencode decision=approve
expect_code 303 "sm1 approves"
req sm1 GET "/api/v1/events/$NOTE"
[ "$(jget 'd["event"]["data"]["text"]')" = "Spoke to the school about attendance" ] || fail "not amended: $BODY"; ok
[ "$(jget 'd["amendments"][0]["original"]["text"]')" = "Spoke to school about attendance" ] || fail "original lost"; ok
req sm1 GET '/team?done=approved'
contains "$BODY" 'The amendment was approved' "success banner"

post_json sw1 /api/v1/events '{"kind":"amendment.requested","occurred_at":"2024-06-03","data":{"target":"note-1","reason":"Wrong school","data":{"text":"Spoke to the college"}}}'
expect_code 201 "a second request"
REQ2=$(jget 'd["seq"]')
before=$(ledger_size)
req sm1 POST "/approvals/$REQ2" --data-urlencode "csrf=$SM_CSRF" --data-urlencode decision=reject
expect_code 422 "reject without a reason"
expect_html "422 page"
contains "$BODY" 'govuk-error-summary' "error summary"
contains "$BODY" 'Enter the reason for rejecting the amendment' "the reason asked for"
contains "$BODY" 'govuk-error-message' "error next to the field"
contains "$BODY" '<title>Error: ' "the title says Error"
[ "$(ledger_size)" = "$before" ] || fail "a rejected form wrote"; ok
req sm1 POST "/approvals/$REQ2" --data-urlencode "csrf=$SM_CSRF" --data-urlencode decision=reject \
	--data-urlencode "reason=The note was right"
expect_code 303 "sm1 rejects"
req sm1 GET "/api/v1/events/$NOTE"
[ "$(jget 'd["requests"][-1]["status"]')" = rejected ] || fail "not rejected: $BODY"; ok
[ "$(jget 'd["event"]["data"]["text"]')" = "Spoke to the school about attendance" ] || fail "text changed"; ok

# --- the director's dashboard --------------------------------------------------------------
post_json sw1 /api/v1/events '{"kind":"escalation.raised","occurred_at":"2024-06-03","data":{"to":"director","summary":"Caseload pressure in north","child":"C1"}}'
expect_code 201 "an escalation to the director"
req dir1 GET /director
expect_code 200 "dir1 /director"
contains "$BODY" 'Timeliness and caseloads' "heading"
for t in "Assessments completed within 45 working days" "Repeat referrals" "Children on a child protection plan" \
	"Plans over 18 months" "Second or later plans" "Children on a plan seen in time" "Children looked after"; do
	contains "$BODY" "<title id=" "charts have titles"
	contains "$BODY" "$t" "chart $t"
done
n=$(grep -o 'role="img"' body.out | wc -l)
[ "$n" -ge 8 ] || fail "expected 8 charts, found $n"; ok
n=$(grep -o '<desc id=' body.out | wc -l)
[ "$n" -ge 8 ] || fail "every chart has a desc: $n"; ok
# C1's plan from 2024-02-01 and C2 looked after from 2024-03-01: June's figures
contains "$BODY" '<dt class="govuk-summary-list__key">Children on a child protection plan</dt><dd class="govuk-summary-list__value"><a class="govuk-link" href="/director/measures/cp_plans?month=2024-06">1</a>' \
	"one child on a plan this month"
contains "$BODY" '<dt class="govuk-summary-list__key">Children looked after</dt><dd class="govuk-summary-list__value"><a class="govuk-link" href="/director/measures/looked_after?month=2024-06">1</a>' \
	"one child looked after this month"
contains "$BODY" 'Not yet measured' "says what is not measured"
contains "$BODY" 'Caseload pressure in north' "the escalation inbox"
contains "$BODY" 'datetime="2024-06-10"' "answer due in 5 working days"
ESC_DIR=$(grep -o 'action="/escalations/[0-9]*/answer"' body.out | head -1 | grep -o '[0-9][0-9]*')
[ -n "$ESC_DIR" ] || fail "the director's inbox has an answer form"; ok
DIR_CSRF=$(csrf_of)
# an escalation to a manager about a child of team north, and one about a
# child of team south (C3 is allocated in south by the fixture, or to none)
post_json sw1 /api/v1/events '{"kind":"escalation.raised","occurred_at":"2024-06-03","data":{"to":"manager","summary":"Need a second worker on the visits","child":"C1"}}'
expect_code 201 "an escalation to a manager"
ESC_MGR=$(jget 'd["seq"]')
req tm1 GET /team
expect_code 200 "tm1 /team with an escalation"
contains "$BODY" 'Escalations to managers' "the team page's escalations"
contains "$BODY" 'Need a second worker on the visits' "the escalation about a child of the team"
contains "$BODY" "action=\"/escalations/$ESC_MGR/answer\"" "with its answer form"
if grep -q 'Caseload pressure in north' body.out; then fail "an escalation to the director is not on /team"; fi; ok
TM_CSRF=$(csrf_of)
before=$(ledger_size)
req tm1 POST "/escalations/$ESC_MGR/answer" --data-urlencode "csrf=$TM_CSRF" --data-urlencode back=team
expect_code 400 "an empty answer"
[ "$(ledger_size)" = "$before" ] || fail "an empty answer wrote"; ok
req tm1 POST "/escalations/$ESC_MGR/answer" --data-urlencode "csrf=$TM_CSRF" --data-urlencode back=team \
	--data-urlencode "response-$ESC_MGR=A second worker joins from Monday"
expect_code 303 "tm1 answers"
[ "$(ledger_size)" = "$((before + 1))" ] || fail "the answer is one event"; ok
"$SL" export --db t.db | tail -1 | grep -q "\"escalation\":$ESC_MGR" || fail "the answer names the escalation"; ok
req tm1 GET /team
if grep -q 'Need a second worker on the visits' body.out; then fail "an answered escalation stays waiting"; fi; ok
req dir1 POST "/escalations/$ESC_DIR/answer" --data-urlencode "csrf=$DIR_CSRF" --data-urlencode back=director \
	--data-urlencode "response-$ESC_DIR=Two agency workers start next week"
expect_code 303 "dir1 answers from the dashboard"
req dir1 GET /director
if grep -q 'Caseload pressure in north' body.out; then fail "the answered escalation left the inbox"; fi; ok
req sw1 POST "/escalations/$ESC_DIR/answer" --data-urlencode "csrf=x" --data-urlencode "response-$ESC_DIR=x"
[ "$CODE" = 403 ] || fail "a social worker may not post to the answer route: $CODE"; ok
req dir1 GET '/director?months=99'
expect_code 400 "months out of range"
expect_html "400 page"
contains "$BODY" 'months' "the parameter named"

# --- the partner's page ---------------------------------------------------------------------
req pol1 GET /partner
expect_code 200 "pol1 /partner"
contains "$BODY" 'Partner agency: police' "the agency shown"
P_CSRF=$(csrf_of)
before=$(ledger_size)
req pol1 POST /partner/information --data-urlencode "csrf=$P_CSRF" --data-urlencode person=C1
expect_code 422 "information without a summary"
contains "$BODY" 'Enter what you know' "summary asked for"
contains "$BODY" 'Select yes if a child is at risk' "harm asked for"
req pol1 POST /partner/information --data-urlencode "csrf=$P_CSRF" --data-urlencode person=NOBODY \
	--data-urlencode "summary=Seen at the address" --data-urlencode significant_harm=no
expect_code 422 "an unknown person"
contains "$BODY" 'href="#person"' "the error links the person field"
[ "$(ledger_size)" = "$before" ] || fail "a refused information form wrote"; ok
req pol1 POST /partner/information --data-urlencode "csrf=$P_CSRF" --data-urlencode person=C1 \
	--data-urlencode "summary=Father seen at the home <b>late</b>" --data-urlencode significant_harm=yes
expect_code 303 "information sent"
"$SL" export --db t.db | tail -5 | "$PY" -c '
import json, sys
found = [json.loads(l)["event"] for l in sys.stdin if json.loads(l)["event"]["kind"] == "agency_info.received"]
e = found[-1]
assert e["by"] == {"agency": "police"}, e
assert e["data"]["agency"] == "police" and e["data"]["person"] == "C1" and e["data"]["significant_harm"] is True, e
assert e["recorder"] == "pol1", e
assert e["data"]["summary"] == "Father seen at the home <b>late</b>", e
' || fail "the information event"
ok
req pol1 GET '/partner?nhs_number=943+476+5919'
expect_code 200 "status check"
contains "$BODY" '<dt class="govuk-summary-list__key">On a child protection plan</dt><dd class="govuk-summary-list__value">Yes</dd>' \
	"C1 on a plan"
contains "$BODY" '<dt class="govuk-summary-list__key">Looked after</dt><dd class="govuk-summary-list__value">No</dd>' \
	"C1 not looked after"
"$SL" access --db t.db --child C1 | grep -q 'pol1.*GET /partner' || fail "the answer is not in the access log"; ok
req pol1 GET '/partner?nhs_number=9434765918'
expect_code 400 "bad check digit"
contains "$BODY" 'govuk-error-summary' "error summary"
contains "$BODY" 'govuk-input--error' "the field marked"
contains "$BODY" 'check digit' "the reason"
req pol1 GET '/partner?nhs_number=0000000000'
expect_code 200 "nobody with that number"
contains "$BODY" 'Nobody is registered with this NHS number' "says so"

# --- the reviewer's pages ---------------------------------------------------------------------
post_json sm1 /api/v1/events '{"kind":"access.granted","occurred_at":"2024-06-03","data":{"child":"C1","user":"rev1","reason":"Serious case review 2024/7"}}'
expect_code 201 "grant rev1 C1"
req rev1 GET /review
expect_code 200 "rev1 /review"
contains "$BODY" 'href="/review/C1"' "the granted child listed"
contains "$BODY" 'Sam Reed (C1)' "with the name"
req rev1 GET /reviewer
expect_code 200 "the navigation's link"
req rev1 GET /review/C1
expect_code 200 "rev1 /review/C1"
contains "$BODY" 'Full history' "history"
contains "$BODY" 'grandmother' "the amended value"
contains "$BODY" 'Seen at home with mother' "and the original"
contains "$BODY" 'Amended' "marked amended"
contains "$BODY" 'Who saw the record' "access section"
contains "$BODY" '<td class="govuk-table__cell">rev1</td>' "the reviewer's own read listed"
contains "$BODY" 'id="alerts"' "alerts section"
req rev1 GET /review/C2
expect_code 403 "a child not granted"
expect_html "403 page"
req rev1 GET /review/C1/proof.json
expect_code 200 "proof bundle"
case "$TYPE" in application/json*) ok ;; *) fail "bundle type $TYPE" ;; esac
"$PY" - body.out <<'PY' || fail "the proof bundle does not verify"
import base64, hashlib, json, sys
d = json.load(open(sys.argv[1]))
def h(b): return hashlib.sha256(b).digest()
assert d["child"] == "C1" and d["events"], "no events"
root = None
for e in d["events"]:
    commit = h(bytes.fromhex(e["salt"]) + e["canonical"].encode()).hex()
    leaf = json.dumps({"commit": commit, "kind": e["kind"], "recorded_at": e["recorded_at"], "seq": e["seq"]},
                      separators=(",", ":"), sort_keys=True)
    node = h(b"\x00" + leaf.encode())
    assert node.hex() == e["leaf_hash"], "leaf %d" % e["seq"]
    p = e["proof"]
    fn, sn = p["leaf_index"], p["tree_size"] - 1
    for s in (bytes.fromhex(x) for x in p["hashes"]):
        assert sn != 0, "path too long"
        if fn & 1 or fn == sn:
            node = h(b"\x01" + s + node)
            if not fn & 1:
                while fn and not fn & 1: fn >>= 1; sn >>= 1
        else:
            node = h(b"\x01" + node + s)
        fn >>= 1; sn >>= 1
    assert sn == 0 and node.hex() == p["root"], "root %d" % e["seq"]
    lines = p["checkpoint"].split("\n")
    assert int(lines[1]) == p["tree_size"] and base64.b64decode(lines[2]).hex() == p["root"], "checkpoint"
assert d["verifier_key"].startswith("pages.example/safeledger+"), d["verifier_key"]
PY
ok
req sw1 GET /review/C1
expect_code 403 "a worker on the reviewer's page"

# every page answered was logged; nothing crashed
grep -q '"status":403' srv.log || fail "no 403 in the server's log"; ok
stop_server
! grep -q 'Sanitizer' srv.log || fail "sanitizer report: $(grep -A20 Sanitizer srv.log | head -40)"; ok
"$SL" verify --db t.db >/dev/null || fail "verify after the pages' writes"; ok
done_ok
