#!/usr/bin/env bash
# census.sh - `safeledger census`: the DfE children in need return of
# tests/data/census/history.jsonl (worked by hand in tests/unit/test_census.c)
# is well-formed XML, holds exactly the children and episodes in scope with
# every hand-known value, in the specification's element order, leaves
# absent items out, and bad input is refused naming the option with no file
# written.
. "$(dirname "$0")/lib.sh"

DATA=${SL_TEST_DATA:-$ROOT/tests/data}/census
"$SL" init --db t.db >/dev/null
export SAFELEDGER_DB=t.db
expect_ok "import" "$SL" import --quiet "$DATA/history.jsonl"

expect_ok "census" "$SL" census --year 2025-26 --la 202 --out ret.xml
contains "$OUT" "7 children, 7 CIN episodes (1 NFA referrals)" "summary"
[ ! -e ret.xml.tmp ] || fail "temporary file left behind"
xmllint --noout ret.xml || fail "xmllint rejects the return"
ok

# The same return on standard output (DateTime aside).
expect_ok "census to stdout" "$SL" census --year 2025-26 --la 202
diff <(grep -v '<DateTime>' ret.xml) <(grep -v '<DateTime>' "$WORK/.out") >/dev/null || fail "stdout differs from --out"
ok
# $SAFELEDGER_LA stands in for --la.
expect_ok "LA from the environment" env SAFELEDGER_LA=202 "$SL" census --year 2025-26
contains "$OUT" "<LEA>202</LEA>" "LEA from SAFELEDGER_LA"

"$PY" - ret.xml <<'PY' || fail "XML content (see above)"
import sys, xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
bad = []
def check(what, got, want):
    if got != want:
        bad.append(f"{what}: got {got!r}, want {want!r}")

check("root", root.tag, "Message")
check("no namespace", root.tag.startswith("{"), False)
check("top", [c.tag for c in root], ["Header", "Children"])
h = root.find("Header")
check("header order", [c.tag for c in h], ["CollectionDetails", "Source"])
check("collection", [(c.tag, c.text) for c in h.find("CollectionDetails")],
      [("Collection", "CIN"), ("Year", "2026"), ("ReferenceDate", "2026-03-31")])
src = h.find("Source")
check("source order", [c.tag for c in src], ["SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"])
check("source level", src.findtext("SourceLevel"), "L")
check("LEA", src.findtext("LEA"), "202")
check("software", src.findtext("SoftwareCode"), "safeledger")
check("serial is a number", src.findtext("SerialNo").isdigit(), True)
check("datetime shape", len(src.findtext("DateTime")), 19)

kids = {c.findtext("ChildIdentifiers/LAchildID"): c for c in root.find("Children")}
check("children", sorted(kids), ["C1", "C2", "C4", "C5", "C6", "C7", "C9"])

# Element order everywhere: each parent's children in the spec's order.
ORDER = {
    "Child": ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"],
    "ChildIdentifiers": ["LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                         "ExpectedPersonBirthDate", "Sex", "PersonDeathDate"],
    "ChildCharacteristics": ["Ethnicity", "Disabilities"],
    "CINdetails": ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
                   "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA", "Assessments",
                   "CINPlanDates", "Section47", "ChildProtectionPlans"],
    "Assessments": ["AssessmentActualStartDate", "AssessmentInternalReviewDate",
                    "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment"],
    "CINPlanDates": ["CINPlanStartDate", "CINPlanEndDate"],
    "Section47": ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
    "ChildProtectionPlans": ["CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                             "LatestCategoryOfAbuse", "NumberOfPreviousCPP", "Reviews"],
}
for el in root.iter():
    if el.tag in ORDER:
        tags = [c.tag for c in el]
        idx = [ORDER[el.tag].index(t) if t in ORDER[el.tag] else -1 for t in tags]
        if -1 in idx or idx != sorted(idx):
            bad.append(f"{el.tag}: children out of order or unknown: {tags}")
    if len(el) == 0 and not (el.text or "").strip():
        bad.append(f"empty element {el.tag}")

def ids(c):
    return [(e.tag, e.text) for e in c.find("ChildIdentifiers")]
def eps(c):
    return c.findall("CINdetails")
def items(e, *tags):
    return [e.findtext(t) for t in tags]

c1 = kids["C1"]
check("C1 identifiers", ids(c1), [("LAchildID", "C1"), ("UPN", "L201123400101"),
      ("PersonBirthDate", "2015-03-02"), ("Sex", "M")])
check("C1 characteristics", [d.text for d in c1.iter("Disability")], ["LD", "COMM"])
check("C1 ethnicity", c1.findtext("ChildCharacteristics/Ethnicity"), "MWBC")
e = eps(c1)
check("C1 episodes", len(e), 1)
e = e[0]
check("C1 referral", items(e, "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "ReferralNFA"),
      ["2025-02-03", "3A", "N2", "false"])
check("C1 open at the reference date", e.find("CINclosureDate"), None)
check("C1 assessments (only the open one)", [a.findtext("AssessmentActualStartDate") for a in e.findall("Assessments")],
      ["2026-03-20"])
check("C1 open assessment has no authorisation", e.find("Assessments/AssessmentAuthorisationDate"), None)
check("C1 CIN plan", [(p.findtext("CINPlanStartDate"), p.findtext("CINPlanEndDate")) for p in e.findall("CINPlanDates")],
      [("2025-03-12", None)])

e = eps(kids["C2"])[0]
check("C2 closed in the year", items(e, "CINclosureDate", "ReasonForClosure", "ReferralNFA"), ["2026-03-02", "RC7", "false"])
check("C2 no CINdetails ICPC (it is the Section47's)", e.find("DateOfInitialCPC"), None)
a = e.find("Assessments")
check("C2 assessment", items(a, "AssessmentActualStartDate", "AssessmentAuthorisationDate"), ["2025-05-07", "2025-06-18"])
check("C2 factors", [f.text for f in a.iter("AssessmentFactors")], ["2B", "3A"])
s = e.findall("Section47")
check("C2 s47", [items(x, "S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired") for x in s],
      [["2025-05-07", "2025-05-29", "2025-05-27", "false"]])
p = e.findall("ChildProtectionPlans")
check("C2 plan", [items(x, "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
      "NumberOfPreviousCPP") for x in p], [["2025-05-27", "2026-01-20", "NEG", "EMO", "0"]])
check("C2 reviews", [r.text for r in p[0].iter("CPPreviewDate")], ["2025-08-26", "2026-01-20"])
check("C2 CIN plan", [(x.findtext("CINPlanStartDate"), x.findtext("CINPlanEndDate")) for x in e.findall("CINPlanDates")],
      [("2026-01-20", "2026-02-27")])

c4 = kids["C4"]
check("C4 unborn", ids(c4), [("LAchildID", "C4"), ("UPNunknown", "UN1"), ("ExpectedPersonBirthDate", "2026-06-15"),
      ("Sex", "U")])
check("C4 no birth date", c4.find("ChildIdentifiers/PersonBirthDate"), None)

e = eps(kids["C5"])[0]
check("C5 NFA", items(e, "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
      "ReasonForClosure", "ReferralNFA"), ["2025-09-01", "6", "N9", "2025-09-02", "RC8", "true"])
check("C5 nothing else", [c.tag for c in e if c.tag in ("Assessments", "Section47", "ChildProtectionPlans", "CINPlanDates")], [])

e = eps(kids["C6"])[0]
check("C6 s47 without ICPC", [items(x, "S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
      for x in e.findall("Section47")], [["2025-07-02", "2025-07-23", None, "true"]])
check("C6 factors", [f.text for f in e.iter("AssessmentFactors")], ["18C", "3A", "2B"])

c7 = kids["C7"]
check("C7 one episode in scope", len(eps(c7)), 1)
p = eps(c7)[0].findall("ChildProtectionPlans")
check("C7 second plan", [items(x, "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
      "NumberOfPreviousCPP") for x in p], [["2025-10-16", None, "SAB", "SAB", "1"]])
check("C7 reviews up to the reference date", [r.text for r in p[0].iter("CPPreviewDate")], ["2026-01-15"])

e = eps(kids["C9"])[0]
check("C9 ICPC with no enquiry is the CINdetails'", e.findtext("DateOfInitialCPC"), "2026-01-12")
check("C9 no Section47", e.find("Section47"), None)

for b in bad:
    print("FAIL:", b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
ok

# The data officer's route: the same return over HTTP, for the data officer
# and the director only, every child in it written to the access log.
PW='correct horse battery'
adduser() { printf '%s\n' "$PW" | "$SL" user add "$1" --role "$2" ${3:+--team "$3"} >/dev/null; }
adduser do1 data_officer
adduser dir1 director
adduser sw1 social_worker north
serve t.db --threads 2
for u in do1 dir1 sw1; do
	CODE=$(curl -s -o body.out -w '%{http_code}' -c "jar.$u" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$u\",\"password\":\"$PW\"}" "$URL/api/v1/session")
	[ "$CODE" = 200 ] || fail "sign in $u: HTTP $CODE $(cat body.out)"
done
get() { CODE=$(curl -s -o body.out -w '%{http_code}' ${1:+-b "jar.$1"} "$URL$2"); BODY=$(cat body.out); }
get do1 "/api/v1/census?year=2025-26&la=202"
[ "$CODE" = 200 ] || fail "data officer: HTTP $CODE $BODY"; ok
diff <(grep -v '<DateTime>' ret.xml) <(grep -v '<DateTime>' body.out) >/dev/null || fail "HTTP return differs from the CLI's"
ok
get dir1 "/api/v1/census?year=2025-26&la=202"
[ "$CODE" = 200 ] || fail "director: HTTP $CODE"; ok
get sw1 "/api/v1/census?year=2025-26&la=202"
[ "$CODE" = 403 ] || fail "social worker: HTTP $CODE, expected 403"; ok
get "" "/api/v1/census?year=2025-26&la=202"
[ "$CODE" = 401 ] || fail "nobody: HTTP $CODE, expected 401"; ok
get do1 "/api/v1/census?year=2024-25&la=202"
[ "$CODE" = 400 ] || fail "unknown year: HTTP $CODE"; contains "$BODY" '"field":"year"' "year named"
get do1 "/api/v1/census?year=2025-26&la=12"
[ "$CODE" = 400 ] || fail "bad la: HTTP $CODE"; contains "$BODY" '"field":"la"' "la named"
get do1 "/api/v1/census?la=202"
[ "$CODE" = 400 ] || fail "no year: HTTP $CODE"; contains "$BODY" '"field":"year"' "missing year named"
stop_server
# every child in the return was logged as read by do1 (twice: officer and
# director each once); C3, in no return, was not
for c in C1 C2 C4 C5 C6 C7 C9; do
	"$SL" access --child $c | grep -q 'do1.*GET /api/v1/census' || fail "$c: the return's read is not in the access log"
	"$SL" access --child $c | grep -q 'dir1.*GET /api/v1/census' || fail "$c: the director's read is not logged"
	ok
done
if "$SL" access --child C3 | grep -q 'census'; then fail "C3 is in no return but was logged"; fi; ok

# Bad input: each names what is wrong and writes nothing.
expect_fail "unknown year" "$SL" census --year 2024-25 --la 202 --out bad.xml
contains "$ERR" '`--year`' "unknown year names --year"
contains "$ERR" "2025-26" "known years listed"
expect_fail "malformed year" "$SL" census --year 2025 --la 202 --out bad.xml
contains "$ERR" "expected YYYY-YY" "malformed year"
expect_fail "LA of two digits" "$SL" census --year 2025-26 --la 12 --out bad.xml
contains "$ERR" '`--la`' "short LA names --la"
expect_fail "LA with a letter" "$SL" census --year 2025-26 --la 2A2 --out bad.xml
contains "$ERR" "3 digits" "LA digits"
expect_fail "no LA" env -u SAFELEDGER_LA "$SL" census --year 2025-26 --out bad.xml
contains "$ERR" '`--la`' "missing LA names --la"
expect_fail "no year" "$SL" census --la 202 --out bad.xml
contains "$ERR" "--year" "missing year"
expect_fail "unwritable out" "$SL" census --year 2025-26 --la 202 --out /nonexistent/dir/x.xml
contains "$ERR" '`--out`' "bad --out path"

# A year outside the data: a record that ends before 1 April 2025.
"$SL" init --db old.db >/dev/null
head -9 "$DATA/history.jsonl" | grep -v '"C4"' >old.jsonl   # registrations of 2023 only
expect_ok "import old" "$SL" import --db old.db --quiet old.jsonl
expect_fail "year after the record" "$SL" census --db old.db --year 2025-26 --la 202 --out bad.xml
contains "$ERR" "outside the record" "year outside the data"
"$SL" init --db empty.db >/dev/null
expect_fail "empty record" "$SL" census --db empty.db --year 2025-26 --la 202 --out bad.xml
contains "$ERR" "outside the record" "empty record"
[ ! -e bad.xml ] && [ ! -e bad.xml.tmp ] || fail "a refused census wrote a file"
ok

done_ok
