#!/usr/bin/env bash
# census_check.sh - `safeledger census --year 2025-26 --check [--json]`: the
# DfE's validation rules over the return (docs/census-validation.md).
#
#   - rules.jsonl (one child per rule, tests/data/census_check/make.py) holds
#     exactly the findings expected.tsv lists: every rule of the table is
#     caught with its code, the child and the field, and nothing else fires;
#   - la.jsonl: the return-level rules (2883, 2886Q, 2887Q), expected_la.tsv;
#   - clean.jsonl: no error and no query, exit 0;
#   - the JSON lines carry rule, severity, child, field, message, evidence,
#     and the evidence is the event behind the item;
#   - every rule in census_check.c's table has a fixture and a row in the
#     docs saying it is checked, and no other rule is said to be checked;
#   - a demo authority (300 children, seed 7) has no errors.
source "$(dirname "$0")/lib.sh"

DATA=${SL_TEST_DATA:-$ROOT/tests/data}/census_check
OFF=${SL_TEST_DATA:-$ROOT/tests/data}/rules-off.conf
SRC=$ROOT/src/report/census_check.c
DOC=$ROOT/docs/census-validation.md

load() { # load NAME: a database with NAME.jsonl imported
	"$SL" init --db "$1.db" --origin test.example/census >/dev/null
	expect_ok "import $1" "$SL" import --db "$1.db" --rules "$OFF" "$DATA/$1.jsonl"
}
# findings FILE: "rule<TAB>child<TAB>field" of each finding line, sorted
findings() { awk '!/^[0-9]+ errors, [0-9]+ queries$/ { sub(/:$/, "", $3); print $1 "\t" $2 "\t" $3 }' "$1" | sort -u; }

# ---- one child per rule: exactly the expected findings ---------------------
load rules
if "$SL" census --db rules.db --year 2025-26 --check >rules.out 2>rules.err; then
	fail "--check exited 0 on a return with errors"
fi
ok
findings rules.out >got.tsv
grep -v '^#' "$DATA/expected.tsv" | sort -u >want.tsv
diff want.tsv got.tsv >diff.out || fail "rules.jsonl findings differ from expected.tsv (< expected, > found):
$(cat diff.out)"
ok
# the summary counts what was listed
errors=$(grep -c -E '^[0-9]{4} ' rules.out || true)
queries=$(grep -c -E '^[0-9]{4}Q ' rules.out || true)
contains "$(tail -1 rules.out)" "$errors errors, $queries queries" "summary line"
# a line names the rule, child, field, the DfE's message and the evidence
line=$(grep '^8606 R8606 ' rules.out)
contains "$line" "8606 R8606 CINreferralDate: Child referral date is more than 40 weeks before DOB or expected DOB (referred 2024-09-01, birth 2025-08-01; event " "8606 line"

# ---- every rule of the table has a fixture and a docs row -----------------
grep -oE '^\s*\{"[0-9]{4}Q?", [EQ],' "$SRC" | grep -oE '[0-9]{4}Q?' | sort -u >table.txt
[ "$(wc -l <table.txt)" -ge 50 ] || fail "the rule table looks empty: $(wc -l <table.txt) rows"
cat "$DATA/expected.tsv" "$DATA/expected_la.tsv" | grep -v '^#' | cut -f1 | sort -u >fixtures.txt
missing=$(comm -23 table.txt fixtures.txt)
[ -z "$missing" ] || fail "rules with no fixture: $missing"
ok
# docs: a table row "| CODE | ... | checked... |" for each rule in the table, and none for others
grep -E '^\| *[0-9]{4}Q? *\|.*\| *checked[^|]*\| *$' "$DOC" | grep -oE '^\| *[0-9]{4}Q?' | grep -oE '[0-9]{4}Q?' | sort -u >documented.txt
diff table.txt documented.txt >diff.out || fail "docs/census-validation.md 'checked' rows differ from the table (< table, > docs):
$(cat diff.out)"
ok

# ---- JSON lines -------------------------------------------------------------
if "$SL" census --db rules.db --year 2025-26 --check --json >rules.json 2>rules.jerr; then
	fail "--check --json exited 0 on a return with errors"
fi
contains "$(cat rules.jerr)" "$errors errors, $queries queries" "JSON summary on stderr"
"$PY" - rules.json rules.db "$SL" <<'EOF' || fail "JSON lines"
import json, subprocess, sys
path, db, sl = sys.argv[1:4]
rows = [json.loads(l) for l in open(path)]
assert rows, "no findings"
for r in rows:
    assert list(r) == ["rule", "severity", "child", "field", "message", "detail", "evidence"], list(r)
    assert r["severity"] == ("query" if r["rule"].endswith("Q") else "error"), r
la = [r for r in rows if r["child"] is None]
assert {r["rule"] for r in la} == {"2883", "2887Q", "2888Q"}, la
# the evidence is the event that recorded the item: 8608's is the completion
# carrying authorised_on, 8866's the referral decision (no contact)
events = {}
for l in subprocess.run([sl, "export", "--db", db], capture_output=True, text=True, check=True).stdout.splitlines():
    x = json.loads(l)
    events[x["seq"]] = x["event"]
def one(rule):
    found = [r for r in rows if r["rule"] == rule]
    assert len(found) == 1, (rule, found)
    return found[0]
e = events[one("8608")["evidence"]]
assert e["kind"] == "assessment.completed" and e["data"]["authorised_on"] == "2025-05-05", e
e = events[one("8866")["evidence"]]
assert e["kind"] == "referral.decided" and e["data"]["child"] == "R8866", e
e = events[one("8555")["evidence"]]
assert e["kind"] == "contact.received" and e["data"]["child"] == "R8555", e
EOF
ok

# ---- the return-level rules -------------------------------------------------
load la
expect_fail "la.jsonl has errors" "$SL" census --db la.db --year 2025-26 --check
findings "$WORK/.out" >got_la.tsv
grep -v '^#' "$DATA/expected_la.tsv" | sort -u >want_la.tsv
diff want_la.tsv got_la.tsv >diff.out || fail "la.jsonl findings differ (< expected, > found):
$(cat diff.out)"
ok

# ---- the data officer's route: the same findings over HTTP ------------------
# GET /api/v1/census/check: the data officer and the director only; each child
# a finding names is logged as read, and no other.
PW='correct horse battery'
for db in rules la; do
	printf '%s\n' "$PW" | "$SL" user add do1 --db $db.db --role data_officer >/dev/null
	printf '%s\n' "$PW" | "$SL" user add dir1 --db $db.db --role director >/dev/null
	printf '%s\n' "$PW" | "$SL" user add sw1 --db $db.db --role social_worker --team north >/dev/null
done
signin() { # signin USER
	CODE=$(curl -s -o body.out -w '%{http_code}' -c "jar.$1" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$1\",\"password\":\"$PW\"}" "$URL/api/v1/session")
	[ "$CODE" = 200 ] || fail "sign in $1: HTTP $CODE $(cat body.out)"
}
get() { CODE=$(curl -s -o body.out -w '%{http_code}' ${1:+-b "jar.$1"} "$URL$2"); BODY=$(cat body.out); }
serve rules.db --threads 2
for u in do1 dir1 sw1; do signin $u; done
get do1 "/api/v1/census/check?year=2025-26"
[ "$CODE" = 200 ] || fail "data officer: HTTP $CODE $BODY"
"$PY" - body.out rules.json <<'EOF2' || fail "the route's findings differ from the CLI's"
import json, sys
body = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2])]
assert body["year"] == "2025-26", body["year"]
assert body["findings"] == lines, "findings differ"
assert body["errors"] == sum(f["severity"] == "error" for f in lines), body["errors"]
assert body["queries"] == sum(f["severity"] == "query" for f in lines), body["queries"]
EOF2
ok
get dir1 "/api/v1/census/check?year=2025-26"
[ "$CODE" = 200 ] || fail "director: HTTP $CODE"; ok
get sw1 "/api/v1/census/check?year=2025-26"
[ "$CODE" = 403 ] || fail "social worker: HTTP $CODE, expected 403"; ok
get "" "/api/v1/census/check?year=2025-26"
[ "$CODE" = 401 ] || fail "nobody: HTTP $CODE, expected 401"; ok
get do1 "/api/v1/census/check?year=2024-25"
[ "$CODE" = 400 ] || fail "unknown year: HTTP $CODE"; contains "$BODY" '"field":"year"' "year named"
get do1 "/api/v1/census/check"
[ "$CODE" = 400 ] || fail "no year: HTTP $CODE"; contains "$BODY" '"field":"year"' "missing year named"
stop_server
"$SL" access --db rules.db --child R8606 | grep -q 'do1.*GET /api/v1/census/check' ||
	fail "R8606: the data officer's read of its finding is not in the access log"
ok
serve la.db --threads 2
signin do1
get do1 "/api/v1/census/check?year=2025-26"
[ "$CODE" = 200 ] || fail "la.db: HTTP $CODE $BODY"
stop_server
"$SL" access --db la.db --child L2 | grep -q 'do1.*GET /api/v1/census/check' || fail "L2 (named by 2885) not logged"
if "$SL" access --db la.db --child L1 | grep -q 'census/check'; then fail "L1, named by no finding, was logged"; fi
ok

# ---- a clean return ----------------------------------------------------------
load clean
expect_ok "clean return" "$SL" census --db clean.db --year 2025-26 --check
[ "$OUT" = "0 errors, 0 queries" ] || fail "clean.jsonl: expected no findings, got:
$OUT"
ok
expect_ok "clean return, JSON" "$SL" census --db clean.db --year 2025-26 --check --json
[ -z "$OUT" ] || fail "clean.jsonl --json printed findings: $OUT"
contains "$(cat "$WORK/.err")" "0 errors, 0 queries" "clean JSON summary"
# the return itself is still made for the clean record
expect_ok "clean XML" "$SL" census --db clean.db --year 2025-26 --la 202 --out clean.xml
[ -s clean.xml ] || fail "no XML written"
ok

# ---- bad input: nothing checked --------------------------------------------------
expect_fail "unknown year" "$SL" census --db clean.db --year 2024-26 --check
contains "$ERR" "--year" "bad year names --year"
expect_fail "--json without --check" "$SL" census --db clean.db --year 2025-26 --json

# ---- the demo authority ------------------------------------------------------
"$SL" init --db demo.db --origin test.example/demo >/dev/null
expect_ok "demo" "$SL" demo --db demo.db --children 300 --seed 7
"$SL" census --db demo.db --year 2025-26 --check >demo.out 2>demo.err || true
summary=$(tail -1 demo.out)
case "$summary" in
"0 errors, "*) ok ;;
*) fail "the demo authority's return has errors ($summary); first findings:
$(grep -E '^[0-9]{4} ' demo.out | head -20)" ;;
esac
done_ok
