#!/usr/bin/env bash
# measures.sh - the director's measures over HTTP (issue 7): GET
# /api/v1/measures as JSON and CSV (format=csv or Accept: text/csv), the
# children behind a figure (/api/v1/measures/{name}/children) with the read
# recorded in the access log, the director's page linking each figure to
# its children, who may ask (senior managers, the director, data officers;
# a social worker gets 403), and bad parameters (400 or 404 naming the
# field).  The history is tests/data/measures_edges.jsonl, whose numbers
# tests/unit/test_measures.c works out by hand.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_TODAY=2026-06-30

"$SL" init --db t.db >/dev/null
"$SL" import --db t.db --quiet "$ROOT/tests/data/measures_edges.jsonl" >/dev/null
PW='correct horse battery'
adduser() { printf '%s\n' "$PW" | "$SL" user add "$1" --db t.db --role "$2" ${3:+--team "$3"} >/dev/null; }
adduser sw1 social_worker north
adduser tm1 team_manager north
adduser sm1 senior_manager
adduser dir1 director
adduser do1 data_officer

serve t.db --timeout 5 --threads 2

req() { # req WHO PATH [curl args...]: sets CODE, BODY (body.out), HEADERS (head.out)
	local who=$1 path=$2; shift 2
	CODE=$(curl -s --path-as-is -D head.out -o body.out -w '%{http_code}' -b "jar.$who" "$@" "$URL$path")
	BODY=$(cat body.out)
}
expect_code() { [ "$CODE" = "$1" ] || fail "$2: HTTP $CODE, expected $1: $BODY"; ok; }
jget() { "$PY" -c 'import json,sys; d=json.load(open("body.out")); print(eval(sys.argv[1], {"d": d}))' "$1"; }

for u in sw1 tm1 sm1 dir1 do1; do
	CODE=$(curl -s -o body.out -w '%{http_code}' -c "jar.$u" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$u\",\"password\":\"$PW\"}" "$URL/api/v1/session")
	[ "$CODE" = 200 ] || fail "sign in $u: HTTP $CODE $(cat body.out)"
	ok
done

# who may ask
for u in sm1 dir1 do1; do
	req "$u" "/api/v1/measures?months=7"; expect_code 200 "$u measures"
	req "$u" "/api/v1/measures/icpcs/children?month=2026-04"; expect_code 200 "$u children"
done
for u in sw1 tm1; do
	req "$u" "/api/v1/measures"; expect_code 403 "$u measures"
	req "$u" "/api/v1/measures/icpcs/children?month=2026-04"; expect_code 403 "$u children"
done
CODE=$(curl -s -o body.out -w '%{http_code}' "$URL/api/v1/measures"); expect_code 401 "nobody"

# JSON: the hand-counted figures
req dir1 "/api/v1/measures?months=7"
[ "$(jget 'd["months"][0] + " " + d["months"][-1]')" = "2025-12 2026-06" ] || fail "months: $BODY"; ok
[ "$(jget 'd["series"]["assessments_in_time_pct"][1]')" = "33.3" ] || fail "assessments in time"; ok
[ "$(jget 'd["series"]["icpcs_in_time_pct"][4]')" = "50.0" ] || fail "icpcs in time"; ok
[ "$(jget 'd["series"]["children_per_worker"][3]')" = "2.3" ] || fail "children per worker"; ok
[ "$(jget 'd["open_alerts"]["NONMOBILE_INJURY"]')" = "[0, 1, 0, 1, 0, 0, 0]" ] || fail "open alerts"; ok

# CSV: format=csv and Accept: text/csv; a header, one CRLF row per month
req dir1 "/api/v1/measures?months=7&format=csv"; expect_code 200 "csv"
grep -qi '^content-type: text/csv' head.out || fail "csv content type: $(cat head.out)"; ok
[ "$(head -c 40 body.out)" = "month,referrals,repeat_referrals,repeat_" ] || fail "csv header: $BODY"; ok
[ "$(grep -c $'\r$' body.out)" = 8 ] || fail "csv rows: $BODY"; ok
grep -q '^2026-01,' body.out || fail "csv January row"; ok
"$PY" - <<'PY' || fail "csv does not parse to the JSON's numbers"
import csv
rows = list(csv.DictReader(open("body.out", newline="")))
assert len(rows) == 7, rows
jan = rows[1]
assert jan["month"] == "2026-01" and jan["assessments_completed"] == "3" and jan["assessments_in_time_pct"] == "33.3", jan
assert rows[3]["children_per_worker"] == "2.3" and rows[0]["children_per_worker"] == "", rows[3]
assert rows[3]["open_alerts.NONMOBILE_INJURY"] == "1", rows[3]
PY
ok
req dir1 "/api/v1/measures?months=7" -H 'Accept: text/csv'; expect_code 200 "csv by Accept"
grep -q '^month,' body.out || fail "Accept: text/csv gave $BODY"; ok

# the children behind a figure, and the access log naming them
req dir1 "/api/v1/measures/icpcs_in_time_pct/children?month=2026-04"; expect_code 200 "drill-down"
[ "$(jget '[(c["child"], c["counted"]) for c in d["children"]]')" = "[('C1', True), ('C2', False)]" ] ||
	fail "drill-down: $BODY"; ok
[ "$(jget 'len(d["children"][0]["evidence"])')" = 3 ] || fail "evidence: $BODY"; ok
req do1 "/api/v1/measures/assessments_completed/children?month=2026-01&format=csv"; expect_code 200 "drill csv"
[ "$(grep -c $'\r$' body.out)" = 4 ] || fail "drill csv rows: $BODY"; ok
grep -q '^assessments_completed,2026-01,B1,' body.out || fail "drill csv B1: $BODY"; ok
stop_server
"$SL" access --db t.db --child C2 >access.out 2>&1 || fail "access --child C2: $(cat access.out)"
grep -q 'measures' access.out || fail "the drill-down is not in C2's access log: $(cat access.out)"; ok
"$SL" access --db t.db --child B3 >access.out 2>&1 || fail "access --child B3: $(cat access.out)"
grep -q 'measures' access.out || fail "the CSV drill-down is not in B3's access log: $(cat access.out)"; ok
serve t.db --timeout 5 --threads 2

# bad parameters: 400 naming the field, an unknown measure 404 naming name
bad() { # bad CODE FIELD PATH
	req dir1 "$3"; expect_code "$1" "$3"
	[ "$(jget 'd.get("field") or d.get("invalid_params", [{}])[0].get("name")')" = "$2" ] || fail "$3: names $BODY"; ok
}
bad 400 months "/api/v1/measures?months=0"
bad 400 months "/api/v1/measures?months=61"
bad 400 months "/api/v1/measures?months=x"
bad 400 as_of "/api/v1/measures?as_of=2026-07-01"
bad 400 as_of "/api/v1/measures?as_of=2020-01-01"
bad 400 as_of "/api/v1/measures?as_of=2026-02-30"
bad 400 format "/api/v1/measures?format=xml"
bad 404 name "/api/v1/measures/no_such/children?month=2026-04"
bad 400 month "/api/v1/measures/icpcs/children?month=2026-13"
bad 400 month "/api/v1/measures/icpcs/children"
bad 400 month "/api/v1/measures/icpcs/children?month=2026-07"

# the director's page links each figure to its children, who link to their records
req dir1 "/director"; expect_code 200 "director page"
contains "$BODY" 'href="/director/measures/icpcs_in_time_pct?month=2026-06"' "figure linked"
contains "$BODY" 'Looked-after children seen within 6 weeks' "LAC visits measured"
[ "$(grep -c 'visits to looked-after children within 6 weeks' body.out)" = 0 ] || fail "still 'not yet measured'"; ok
req dir1 "/director/measures/icpcs_in_time_pct?month=2026-04"; expect_code 200 "children page"
contains "$BODY" 'href="/children/C1"' "child linked"
contains "$BODY" 'href="/children/C2"' "child linked"
req sw1 "/director/measures/icpcs?month=2026-04"; expect_code 403 "social worker page"
req dir1 "/director/measures/no_such?month=2026-04"; expect_code 404 "unknown measure page"
req dir1 "/director/measures/icpcs?month=bad"; expect_code 400 "bad month page"
done_ok
