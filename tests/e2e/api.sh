#!/usr/bin/env bash
# api.sh - the JSON API /api/v1 over HTTP against the real server on a
# loopback port: users of every role sign in (and a partner uses its bearer
# token) and every cell of the role x route table is checked (allowed ->
# 2xx, forbidden -> 403); then what the answers say (summary, chronology
# paging, network, scoped alerts and caseloads, approvals, an event's
# inclusion proof checked against the served checkpoint, status by NHS
# number), writes (vocabulary errors naming the field, partner agency
# rules, a refused closure naming its rule), sealed records and
# break-glass, and hostile input on every route (bad JSON, SQL
# metacharacters in every parameter and field, invalid UTF-8, huge values),
# each a 4xx that changes nothing.
. "$(dirname "$0")/lib.sh"
# The rules' "today" is fixed so that live writes tick the same days.
export SAFELEDGER_TODAY=2024-06-03


"$SL" init --db t.db --origin api.example/safeledger >/dev/null
"$SL" import --db t.db --quiet "$ROOT/tests/data/api_fixture.jsonl" >/dev/null
PW='correct horse battery'
adduser() { printf '%s\n' "$PW" | "$SL" user add "$1" --db t.db --role "$2" ${3:+--team "$3"} >/dev/null; }
adduser sw1 social_worker north
adduser sw2 social_worker south
adduser tm1 team_manager north
adduser tm2 team_manager south
adduser sm1 senior_manager
adduser dir1 director
adduser rev1 reviewer
adduser do1 data_officer
adduser adm1 admin
PARTNER=$("$SL" token add --db t.db --agency police --name pnc | tail -1)
[ -n "$PARTNER" ] || fail "no partner token"

serve t.db --timeout 5 --max-body 65536 --threads 2 --checkpoint-interval 200

# req WHO METHOD PATH [curl args...]: WHO is a login (its cookie jar), "partner"
# (the bearer token) or "-" (nobody).  Sets CODE and BODY.
req() {
	local who=$1 method=$2 path=$3; shift 3
	local auth=()
	case "$who" in
	-) ;;
	partner) auth=(-H "Authorization: Bearer $PARTNER") ;;
	*) auth=(-b "jar.$who") ;;
	esac
	CODE=$(curl -s --path-as-is -o body.out -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$URL$path")
	BODY=$(cat body.out)
}
expect_code() { [ "$CODE" = "$1" ] || fail "$2: HTTP $CODE, expected $1: $BODY"; ok; }
jget() { "$PY" -c 'import json,sys; d=json.load(open("body.out")); print(eval(sys.argv[1], {"d": d}))' "$1"; }
post_json() { # post_json WHO PATH JSON
	printf '%s' "$3" >post.json
	req "$1" POST "$2" -H 'Content-Type: application/json' --data-binary @post.json
}

for u in sw1 sw2 tm1 tm2 sm1 dir1 rev1 do1 adm1; do
	CODE=$(curl -s -o body.out -w '%{http_code}' -c "jar.$u" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$u\",\"password\":\"$PW\"}" "$URL/api/v1/session")
	[ "$CODE" = 200 ] || fail "sign in $u: HTTP $CODE $(cat body.out)"
	ok
done

ledger_size() { "$SL" export --db t.db | wc -l; }
VISIT=$("$SL" export --db t.db | "$PY" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["event"].get("ref") == "visit-1": print(r["seq"])')
[ -n "$VISIT" ] || fail "no visit-1 in the fixture"

# A reviewer reads only the children granted to them.
post_json sm1 /api/v1/events '{"kind":"access.granted","occurred_at":"2024-06-03","data":{"child":"C1","user":"rev1","reason":"Serious case review 2024/7"}}'
expect_code 201 "grant rev1 C1"

# --- the role x route table -------------------------------------------------------
# Each row: a route, then the expected status for
#        sw1 sw2 tm1 tm2 sm1 dir1 rev1 do1 adm1 partner  anonymous
# sw1 holds C1 (team north); sw2 and tm2 are team south; rev1 is granted C1.
WHO=(sw1 sw2 tm1 tm2 sm1 dir1 rev1 do1 adm1 partner -)
note_for() { # a note about C1 as WHO may write it (partners: agency information)
	if [ "$1" = partner ]; then
		echo '{"kind":"agency_info.received","occurred_at":"2024-06-03","data":{"person":"C1","summary":"PNC check: no trace"}}'
	else
		echo '{"kind":"note.recorded","occurred_at":"2024-06-03","data":{"child":"C1","text":"Table check"}}'
	fi
}
table=(
	"GET /api/v1/children/C1                       200 403 200 403 200 200 200 403 403 403 401"
	"GET /api/v1/children/C1/chronology            200 403 200 403 200 200 200 403 403 403 401"
	"GET /api/v1/children/C1/network               200 403 200 403 200 200 200 403 403 403 401"
	"GET /api/v1/children/C1/alerts                200 403 200 403 200 200 200 403 403 403 401"
	"GET /api/v1/children/C1/as-of?date=2199-01-01 200 403 200 403 200 200 200 403 403 403 401"
	"GET /api/v1/events/$VISIT                     200 403 200 403 200 200 200 403 403 403 401"
	"GET /api/v1/alerts                            200 200 200 200 200 200 403 403 403 403 401"
	"GET /api/v1/caseloads                         200 200 200 200 200 200 403 200 403 403 401"
	"GET /api/v1/approvals                         403 403 200 200 200 200 403 403 403 403 401"
	"GET /api/v1/status?nhs_number=9434765919      403 403 403 403 403 403 403 403 403 200 401"
	"POST /api/v1/events                           201 403 201 403 201 201 403 403 403 201 401"
	"GET /api/v1/openapi.json                      200 200 200 200 200 200 200 200 200 200 200"
)
for row in "${table[@]}"; do
	read -r method path want <<<"$row"
	read -r -a wants <<<"$want"
	[ "${#wants[@]}" -eq "${#WHO[@]}" ] || fail "table row has ${#wants[@]} cells: $row"
	for i in "${!WHO[@]}"; do
		who=${WHO[$i]}
		if [ "$method" = POST ]; then
			post_json "$who" "$path" "$(note_for "$who")"
		else
			req "$who" "$method" "$path"
		fi
		expect_code "${wants[$i]}" "$who $method $path"
		if [ "${wants[$i]}" = 403 ]; then
			contains "$BODY" '"status":403' "403 is a problem"
		fi
	done
done
# Forbidden requests are logged by the server (one JSON line each).
grep -q '"status":403' srv.log || fail "no 403 in the server's log"; ok

# --- what the answers say --------------------------------------------------------------
req sw1 GET /api/v1/children/C1
expect_code 200 summary
[ "$(jget 'd["cp_plan"]["category"]')" = emotional ] || fail "plan category: $BODY"; ok
[ "$(jget 'len(d["cp_plan"]["categories"])')" = 2 ] || fail "category history"; ok
[ "$(jget 'd["allocation"]["worker"]')" = sw1 ] || fail "allocation"; ok

# chronology: pages by cursor cover the whole chronology once, in order
req sw1 GET '/api/v1/children/C1/chronology?limit=1000&order=oldest'
expect_code 200 "whole chronology"
ALL=$(jget '" ".join(str(i["seq"]) for i in d["items"])')
SEEN= CURSOR= pages=0
while :; do
	req sw1 GET "/api/v1/children/C1/chronology?limit=5&order=oldest${CURSOR:+&cursor=$CURSOR}"
	expect_code 200 "chronology page"
	SEEN="$SEEN $(jget '" ".join(str(i["seq"]) for i in d["items"])')"
	CURSOR=$(jget 'd["next"] or ""')
	pages=$((pages + 1))
	[ -n "$CURSOR" ] && [ $pages -lt 50 ] || break
done
[ "$(echo $SEEN)" = "$ALL" ] || fail "paged chronology differs: $SEEN vs $ALL"; ok
req sw1 GET '/api/v1/children/C1/chronology?kind=visit.recorded'
[ "$(jget 'len(d["items"])')" = 2 ] || fail "kind filter: $BODY"; ok
contains "$BODY" 'grandmother' "amended summary shown"
req sw1 GET '/api/v1/children/C1/chronology?agency=health&from=2024-01-01&to=2024-01-31'
[ "$(jget '[i["kind"] for i in d["items"]]')" = "['concern.raised']" ] || fail "agency+date filter: $BODY"; ok

req sw1 GET /api/v1/children/C1/network
[ "$(jget '[p["id"] for p in d["people"] if p["risk_to_children"]]')" = "['F1']" ] || fail "risk marked: $BODY"; ok

# scoped lists: a worker's own, a manager's team, everything above
req sw2 GET /api/v1/alerts
[ "$(jget 'sorted(set(a["child"] for a in d["alerts"]))')" = "['C2']" ] || fail "sw2 alerts: $BODY"; ok
req sw2 GET '/api/v1/alerts?worker=sw1'
expect_code 403 "a worker asking for another's alerts"
contains "$BODY" '"field":"worker"' "field named"
req tm1 GET '/api/v1/alerts?team=south'
expect_code 403 "a manager asking for another team"
req tm1 GET /api/v1/caseloads
[ "$(jget '[c["worker"] for c in d["caseloads"]]')" = "['sw1']" ] || fail "tm1 caseloads: $BODY"; ok
req sm1 GET '/api/v1/caseloads?team=south'
[ "$(jget '[c["worker"] for c in d["caseloads"]]')" = "['sw2']" ] || fail "sm1 south: $BODY"; ok
req sm1 GET /api/v1/approvals
[ "$(jget 'd["amendments"][0]["reason"]')" = "Typo in the school's name" ] || fail "approvals: $BODY"; ok
req tm2 GET /api/v1/approvals
[ "$(jget 'len(d["amendments"])')" = 0 ] || fail "tm2 sees north's request: $BODY"; ok

# an event's inclusion proof, checked against the checkpoint the server serves
req sw1 GET "/api/v1/events/$VISIT"
expect_code 200 "event history"
cp body.out event.json
"$PY" - event.json <<'PY' || fail "inclusion proof does not verify"
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
p = d["proof"]
def h(b): return hashlib.sha256(b).digest()
# leaf data (DESIGN 4) from the event and salt, hashed as RFC 6962 leaf
commit = h(bytes.fromhex(d["salt"]) + d["canonical"].encode()).hex()
leaf = json.dumps({"commit": commit, "kind": d["kind"], "recorded_at": d["recorded_at"], "seq": d["seq"]},
                  separators=(",", ":"), sort_keys=True)
node = h(b"\x00" + leaf.encode())
assert node.hex() == d["leaf_hash"], "leaf hash"
# RFC 9162 2.1.3.2 verification
fn, sn = p["leaf_index"], p["tree_size"] - 1
for s in (bytes.fromhex(x) for x in p["hashes"]):
    if sn == 0: raise SystemExit("path too long")
    if fn & 1 or fn == sn:
        node = h(b"\x01" + s + node)
        if not fn & 1:
            while fn and not fn & 1: fn >>= 1; sn >>= 1
    else:
        node = h(b"\x01" + node + s)
    fn >>= 1; sn >>= 1
assert sn == 0 and node.hex() == p["root"], "root"
import base64
lines = p["checkpoint"].split("\n")
assert int(lines[1]) == p["tree_size"] and base64.b64decode(lines[2]).hex() == p["root"], "checkpoint"
PY
ok
req sw1 GET /api/v1/events/0
expect_code 400 "seq 0"
contains "$BODY" '"field":"seq"' "seq named"
req sw1 GET /api/v1/events/999999
expect_code 404 "no such event"

# partners: status by NHS number, grouped or not; every answer logged
req partner GET '/api/v1/status?nhs_number=943%20476%205919'
expect_code 200 status
[ "$(jget 'sorted(d.items())')" = "[('cp_plan', True), ('looked_after', False), ('nhs_number', '9434765919')]" ] ||
	fail "status: $BODY"
ok
req partner GET '/api/v1/status?nhs_number=4010232137'
[ "$(jget 'd["looked_after"]')" = True ] || fail "C2 looked after: $BODY"; ok
req partner GET '/api/v1/status?nhs_number=9434765918'
expect_code 400 "check digit"
contains "$BODY" '"field":"nhs_number"' "nhs_number named"
req partner GET '/api/v1/status?nhs_number=0000000000'
expect_code 404 "nobody with that number"
req partner GET '/api/v1/status'
expect_code 400 "no number"
"$SL" access --db t.db --child C1 >access.out 2>&1 || fail "access --child: $(cat access.out)"
grep -q 'status' access.out || fail "status answer not in the access log: $(cat access.out)"; ok

# --- writes ---------------------------------------------------------------------------------
post_json sw1 /api/v1/events '{"kind":"visit.recorded","occurred_at":"2024-06-03","data":{"child":"C1","seen":"yes"}}'
expect_code 422 "bad field"
contains "$BODY" '"field":"data.seen"' "field named"
post_json sw1 /api/v1/events '{"kind":"visit.recorded","occurred_at":"2024-06-03","data":{"child":"C404","seen":true}}'
expect_code 422 "unknown child"
contains "$BODY" '"field":"data.child"' "unknown child named"
post_json sw1 /api/v1/events '{"kind":"visit.done","occurred_at":"2024-06-03","data":{}}'
expect_code 422 "unknown kind"
post_json sw1 /api/v1/events '{"kind":"note.recorded","occurred_at":"2024-06-03","by":{"user":"tm1"},"data":{"child":"C1","text":"x"}}'
expect_code 422 "by.user another user"
contains "$BODY" '"field":"by.user"' "by.user named"
post_json sw1 /api/v1/events '{"kind":"amendment.approved","occurred_at":"2024-06-03","data":{"request":"amend-2"}}'
expect_code 403 "a worker approving an amendment"
post_json partner /api/v1/events '{"kind":"agency_info.received","occurred_at":"2024-06-03","by":{"agency":"health"},"data":{"person":"C1","summary":"x"}}'
expect_code 403 "partner as another agency"
contains "$BODY" '"field":"by.agency"' "by.agency named"
post_json partner /api/v1/events '{"kind":"risk.flagged","occurred_at":"2024-06-03","data":{"person":"F1","agency":"probation","summary":"x"}}'
expect_code 403 "partner data.agency another"
post_json partner /api/v1/events '{"kind":"visit.recorded","occurred_at":"2024-06-03","data":{"child":"C1","seen":true}}'
expect_code 403 "partner recording a visit"
# a closure while a CP plan is live is refused, naming the rule
post_json tm1 /api/v1/events '{"kind":"case.closed","occurred_at":"2024-06-03","data":{"child":"C1","reason":"RC8"}}'
expect_code 409 "closure refused"
contains "$BODY" '"rule":"CLOSURE_BLOCKED"' "rule named"
post_json tm1 /api/v1/events '{"kind":"case.closed","occurred_at":"2024-06-03","data":{"child":"C1","reason":"RC8","authorised_by":"sm1"}}'
expect_code 422 "authorised by someone else"
post_json sw1 /api/v1/events '{"kind":"visit.recorded","occurred_at":"2024-06-03","data":{"child":"C1","seen":true,"summary":"Seen at school"}}'
expect_code 201 "a visit"
[ "$(jget 'len(d["leaf_hash"])')" = 64 ] || fail "leaf hash: $BODY"; ok
SEQ=$(jget 'd["seq"]')
req sw1 GET "/api/v1/events/$SEQ"
expect_code 200 "the new event, with a proof"
[ "$(jget 'd["proof"]["tree_size"] >= d["seq"]')" = True ] || fail "no proof for a new event: $BODY"; ok

# --- sealed records and break-glass ---------------------------------------------------------
post_json sm1 /api/v1/events '{"kind":"record.sealed","occurred_at":"2024-06-03","data":{"child":"C2","reason":"Adoption placement"}}'
expect_code 201 "seal C2"
req sw2 GET /api/v1/children/C2
expect_code 403 "sealed without a reason"
contains "$BODY" 'X-Break-Glass-Reason' "break-glass named"
req sw2 GET /api/v1/children/C2 -H 'X-Break-Glass-Reason: Child missing tonight, police asking'
expect_code 200 "break-glass"
req tm2 GET /api/v1/approvals
[ "$(jget '[(n["child"], n["user"]) for n in d["break_glass"]]')" = "[('C2', 'sw2')]" ] || fail "notice: $BODY"; ok
contains "$BODY" 'Child missing tonight' "reason shown to the manager"
C2EV=$("$SL" export --db t.db | "$PY" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    if r["event"]["kind"] == "lac.started": print(r["seq"])')
req sw2 GET "/api/v1/events/$C2EV"
expect_code 403 "sealed event without a reason"
req sw2 GET "/api/v1/events/$C2EV" -H 'X-Break-Glass-Reason: Court hearing today'
expect_code 200 "sealed event with break-glass"

# --- hostile input on every route: 4xx, nothing written ---------------------------------------
before=$(ledger_size)
fp=$(fingerprint t.db)
SQLI="x' OR '1'='1'; DROP TABLE ledger; --"
SQLQ=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SQLI")
BADUTF=$(printf '%%C3%%28')
HUGE=$(head -c 5000 /dev/zero | tr '\0' 'x')
for path in \
	"/api/v1/children/$SQLQ" "/api/v1/children/$SQLQ/chronology" "/api/v1/children/$SQLQ/network" \
	"/api/v1/children/$SQLQ/alerts" "/api/v1/children/$SQLQ/as-of?date=2024-01-01" "/api/v1/events/$SQLQ" \
	"/api/v1/children/C1/chronology?kind=$SQLQ" "/api/v1/children/C1/chronology?agency=$SQLQ" \
	"/api/v1/children/C1/chronology?from=$SQLQ" "/api/v1/children/C1/chronology?to=$SQLQ" \
	"/api/v1/children/C1/chronology?order=$SQLQ" "/api/v1/children/C1/chronology?cursor=$SQLQ" \
	"/api/v1/children/C1/chronology?limit=$SQLQ" "/api/v1/children/C1/alerts?state=$SQLQ" \
	"/api/v1/children/C1/alerts?limit=$SQLQ" "/api/v1/children/C1/as-of?date=$SQLQ" \
	"/api/v1/children/C1/chronology?kind=$BADUTF" "/api/v1/children/$BADUTF" \
	"/api/v1/children/C1/chronology?limit=$HUGE" "/api/v1/children/C1/chronology?cursor=99999999999999999999999" \
	"/api/v1/alerts?state=$SQLQ" "/api/v1/alerts?limit=-1" "/api/v1/caseloads?team=$HUGE"; do
	req sm1 GET "$path"
	case "$CODE" in 4??) ok ;; *) fail "GET $path: HTTP $CODE: $BODY" ;; esac
done
for q in "$SQLQ" "$BADUTF" "$HUGE" "12345678901"; do
	req partner GET "/api/v1/status?nhs_number=$q"
	case "$CODE" in 4??) ok ;; *) fail "status $q: HTTP $CODE" ;; esac
done
# a parameter SQL would have to misread still finds nothing: the worker filter
req sm1 GET "/api/v1/caseloads?worker=$SQLQ"
expect_code 200 "an odd worker name is just a name"
[ "$(jget 'd["caseloads"]')" = "[]" ] || fail "caseloads for an injected name: $BODY"; ok
req sm1 GET "/api/v1/alerts?worker=$SQLQ&team=$SQLQ"
expect_code 200 "odd worker and team names"
[ "$(jget 'd["alerts"]')" = "[]" ] || fail "alerts for an injected name: $BODY"; ok
# bodies: bad JSON, not an object, duplicate keys, invalid UTF-8, SQL in every field, huge values
printf '{"kind":"note.recorded","occurred_at":"2024-06-03","data":{"child":"C1","text":"\xc3\x28"}}' >badutf.json
"$PY" - "$SQLI" >sqlbodies.txt <<'PY'
import json, sys
s = sys.argv[1]
base = {"kind": "note.recorded", "occurred_at": "2024-06-03", "data": {"child": "C1", "text": "ok"}}
for path in (["kind"], ["occurred_at"], ["ref"], ["data", "child"], ["by", "user"], ["by", "agency"]):
    e = json.loads(json.dumps(base))
    d = e
    for k in path[:-1]: d = d.setdefault(k, {})
    d[path[-1]] = s
    print(json.dumps(e))
e = json.loads(json.dumps(base)); e["data"]["extra"] = s; print(json.dumps(e))
e = json.loads(json.dumps(base)); e["data"]["text"] = "x" * 200000; print(json.dumps(e))
e = json.loads(json.dumps(base)); e["data"]["child"] = "C" * 5000; print(json.dumps(e))
PY
while IFS= read -r body; do
	post_json sw1 /api/v1/events "$body"
	case "$CODE" in 4??) ok ;; *) fail "POST $body: HTTP $CODE: $BODY" ;; esac
done <sqlbodies.txt
for body in '{' '[]' '"note"' '{"kind":"note.recorded","kind":"visit.recorded"}' '' 'null' \
	'{"kind":"note.recorded","occurred_at":"2024-13-45","data":{"child":"C1","text":"x"}}'; do
	post_json sw1 /api/v1/events "$body"
	case "$CODE" in 4??) ok ;; *) fail "POST '$body': HTTP $CODE: $BODY" ;; esac
done
req sw1 POST /api/v1/events -H 'Content-Type: application/json' --data-binary @badutf.json
case "$CODE" in 4??) ok ;; *) fail "invalid UTF-8 body: HTTP $CODE" ;; esac
req sw1 POST /api/v1/events -H 'Content-Type: text/plain' --data '{"kind":"note.recorded"}'
expect_code 415 "not JSON"
req sw1 POST /api/v1/events -H 'Content-Type: application/json' -H 'Origin: http://evil.example' \
	--data "$(note_for sw1)"
expect_code 403 "cross-origin write"
[ "$(ledger_size)" = "$before" ] || fail "hostile input changed the ledger size"; ok
[ "$(fingerprint t.db)" = "$fp" ] || fail "hostile input changed the ledger"; ok

# the OpenAPI document is served and parses
req - GET /api/v1/openapi.json
expect_code 200 openapi
[ "$(jget 'd["openapi"][:4]')" = "3.0." ] || fail "openapi version"; ok

stop_server
"$SL" verify --db t.db >/dev/null || fail "verify after the API run"
ok
done_ok
