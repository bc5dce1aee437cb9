#!/usr/bin/env bash
# demo.sh - `safeledger demo`: the same seed gives the same bytes, every
# event is valid through the normal write path (import and straight into a
# database), occurred_at never goes back, references point backwards, NHS
# numbers and UPNs check, names are made up, and well-run cases raise no
# timeliness alert in replay while drifting ones do.
. "$(dirname "$0")/lib.sh"

N=200

# --- determinism ---------------------------------------------------------------
"$SL" demo --children $N --seed 7 --jsonl > a.jsonl 2> a.err || fail "demo --jsonl: $(cat a.err)"; ok
"$SL" demo --children $N --seed 7 --jsonl > b.jsonl 2> /dev/null || fail "demo --jsonl, second run"; ok
[ "$(sha256sum < a.jsonl)" = "$(sha256sum < b.jsonl)" ] || fail "the same seed gave different output"; ok
"$SL" demo --children $N --seed 8 --jsonl > c.jsonl 2> /dev/null || fail "demo --seed 8"; ok
[ "$(sha256sum < a.jsonl)" != "$(sha256sum < c.jsonl)" ] || fail "another seed gave the same output"; ok
contains "$(cat a.err)" "$N children, " "the summary (on stderr with --jsonl) counts the children"

EVENTS=$(wc -l < a.jsonl)
# About 100 to 300 events per child.
[ "$EVENTS" -ge $((N * 100)) ] && [ "$EVENTS" -le $((N * 300)) ] ||
	fail "$EVENTS events for $N children; expected 100-300 per child"; ok
contains "$(cat a.err)" "$EVENTS events" "the summary counts the events"

# --- the events themselves --------------------------------------------------------
"$PY" - a.jsonl <<'EOF' || fail "demo output checks"
import json, sys

# Common real first names (England and Wales birth registrations, and the
# parents' generation): a generated name must never be one of them.
COMMON = set("""
oliver george harry noah jack leo arthur muhammad mohammed oscar charlie jacob thomas henry
william alfie theo freddie archie joshua james isaac lucas ethan olivia amelia isla ava mia ivy
lily isabella rosie sophia grace freya willow florence emily ella poppy evie elsie ruby sophie
jessica emma sarah laura karen michael david john paul mark daniel chloe hannah lucy katie sam
tom ben joe max anna amy zoe adam ryan liam jade leah maya eva lola nina ali omar aisha fatima
zara hugo luca ezra rory finn kai ellie millie daisy holly megan rebecca rachel claire helen
susan julie lisa nicola tracey gemma kelly peter andrew richard robert stephen christopher
matthew lee craig gary wayne dean kevin jason scott darren neil lewis callum connor kyle jordan
tyler nathan luke harvey mason riley jayden logan reggie ronnie tommy teddy louie arlo elijah
jude luna aria margot maisie matilda phoebe eliza harper ada iris nova bella layla sienna violet
mila esme orla nora mary elizabeth margaret patricia jennifer linda barbara joseph charles
""".split())
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

def fail(msg):
    print("FAIL:", msg, file=sys.stderr)
    sys.exit(1)

def order_key(at):  # DESIGN 6.1.2: the date, then the time; a date alone first
    if len(at) == 10:
        return (at, -1)
    return (at[:10], int(at[11:13]) * 3600 + int(at[14:16]) * 60 + int(at[17:19]))

def nhs_ok(s):
    if len(s) != 10 or not s.isdigit() or not s.startswith("999"):
        return False
    check = 11 - sum(int(s[i]) * (10 - i) for i in range(9)) % 11
    return check != 10 and check % 11 == int(s[9])

def upn_ok(s):
    return (len(s) == 13 and s[1:].isdigit() and
            s[0] == UPN_LETTERS[sum(int(s[i]) * (i + 1) for i in range(1, 13)) % 23])

def check_name(name, where):
    for word in name.replace("-", " ").replace("'", " ").split():
        if word.lower() in COMMON:
            fail("%s: `%s` is a common real first name" % (where, name))

persons, refs, kinds = {}, {}, {}
last = None
census_year = 0
open_cases = set()
for n, line in enumerate(open(sys.argv[1]), 1):
    e = json.loads(line)
    where = "line %d" % n
    if line.rstrip("\n") != json.dumps(e, separators=(",", ":"), ensure_ascii=False):
        fail(where + ": not compact JSON")
    if set(e) - {"kind", "occurred_at", "by", "data", "ref"}:
        fail(where + ": unexpected envelope member")
    kind, d = e["kind"], e["data"]
    kinds[kind] = kinds.get(kind, 0) + 1
    if kind.startswith(("alert.", "amendment.")):
        fail(where + ": the demo must not write " + kind)
    k = order_key(e["occurred_at"])
    if last and k < last:
        fail("%s: occurred_at %s is before the previous event's" % (where, e["occurred_at"]))
    last = k
    if "2025-04-01" <= e["occurred_at"][:10] <= "2026-03-31":
        census_year += 1
    if "name" in e["by"]:
        check_name(e["by"]["name"], where)
    if "ref" in e:
        if kind not in ("concern.raised", "escalation.raised"):
            fail(where + ": a ref on " + kind)
        if e["ref"] in refs:
            fail(where + ": ref %s used twice" % e["ref"])
        refs[e["ref"]] = kind
    for field, want in (("concern", "concern.raised"), ("escalation", "escalation.raised")):
        if field in d and refs.get(d[field]) != want:
            fail("%s: %s names %s, not an earlier %s" % (where, kind, d[field], want))
    if kind == "person.registered":
        if d["id"] in persons:
            fail(where + ": %s registered twice" % d["id"])
        persons[d["id"]] = d["role"]
    else:
        for field in ("child", "person", "a", "b", "id"):
            if field in d and d[field] not in persons:
                fail("%s: %s names %s before it is registered" % (where, kind, d[field]))
        for p in d.get("persons", []):
            if p not in persons:
                fail("%s: %s names %s before it is registered" % (where, kind, p))
        if "child" in d and persons[d["child"]] != "child":
            fail("%s: %s is not a child" % (where, d["child"]))
    if "name" in d:
        check_name(d["name"], where)
    if "nhs_number" in d and not nhs_ok(d["nhs_number"]):
        fail("%s: NHS number %s is not a valid test-range number" % (where, d["nhs_number"]))
    if "upn" in d and not upn_ok(d["upn"]):
        fail("%s: UPN %s has a wrong check letter" % (where, d["upn"]))
    if kind == "case.allocated":
        open_cases.add(d["child"])
    elif kind == "case.closed":
        open_cases.discard(d["child"])

for need in ("person.registered", "person.linked", "contact.received", "referral.decided",
             "case.allocated", "assessment.completed", "strategy.held", "s47.completed",
             "conference.held", "meeting.held", "visit.recorded", "note.recorded",
             "agency_info.received", "concern.raised", "concern.resolved", "injury.observed",
             "domestic_abuse.notified", "risk.flagged", "supervision.recorded",
             "escalation.raised", "escalation.answered", "cin_plan.started", "case.closed"):
    if not kinds.get(need):
        fail("no %s in the output" % need)
if census_year == 0 or not open_cases:
    fail("census year 2025-26: %d events, %d cases open at its end" % (census_year, len(open_cases)))
EOF
ok

# --- through the write path --------------------------------------------------------
"$SL" init --db imp.db > /dev/null
expect_ok "import the demo JSONL" "$SL" import --db imp.db --quiet a.jsonl
contains "$OUT" "imported $EVENTS events" "every line imported"

"$SL" init --db d.db > /dev/null
expect_ok "demo into a database" "$SL" demo --db d.db --children $N --seed 7
contains "$OUT" "$N children, $EVENTS events" "the same events as --jsonl"
contains "$OUT" "checkpoint signed" "the last commit signs a checkpoint"
expect_ok "verify" "$SL" verify --db d.db
contains "$OUT" "ok: " "the demo instance verifies"
"$SL" export --db d.db | "$PY" -c '
import json, sys
n = sum(1 for line in sys.stdin if json.loads(line)["event"]["recorder"] == "demo")
sys.exit(0 if n == int(sys.argv[1]) else 1)' "$EVENTS" || fail "the database does not hold $EVENTS events recorded by demo"; ok

# A second demo into the same instance would collide with the first: refused,
# nothing written.
before=$(fingerprint d.db)
expect_fail "demo into a non-empty ledger" "$SL" demo --db d.db --children 5
contains "$ERR" "new instance" "says to use a new instance"
[ "$(fingerprint d.db)" = "$before" ] || fail "a refused demo changed the ledger"; ok

# --- well-run cases raise no timeliness alert; drifting ones do ----------------------
TIMELINESS='LATE_|UNALLOCATED|UNACTIONED_AGENCY_INFO|CONCERN_DROPPED|PLAN_DRIFT|MISSING_NO_RETURN|ESCALATION_UNANSWERED|CLOSURE_BLOCKED|CUMULATIVE_HARM|NONMOBILE_INJURY'
"$SL" demo --children $N --seed 7 --drift 0 --jsonl > well.jsonl 2> /dev/null || fail "demo --drift 0"; ok
"$SL" replay well.jsonl --json > well.alerts || fail "replay of the well-run demo"; ok
if grep -E "\"code\":\"($TIMELINESS)" well.alerts > bad.alerts; then
	fail "well-run cases raised $(wc -l < bad.alerts) timeliness alerts, first: $(head -1 bad.alerts)"
fi
ok
"$SL" replay a.jsonl --json > drift.alerts || fail "replay of the demo"; ok
grep -qE "\"code\":\"($TIMELINESS)" drift.alerts || fail "drifting cases raised no timeliness alert"; ok
# the rules-only replay and the whole write path agree on the whole history
"$SL" replay a.jsonl --json --full > drift.full || fail "replay --full of the demo"; ok
cmp -s drift.alerts drift.full || fail "replay and replay --full differ: $(diff drift.alerts drift.full | head -4)"; ok

# --- the period and usage -------------------------------------------------------------
"$SL" demo --children 20 --from 2024-01-01 --to 2024-12-31 --jsonl > p.jsonl 2> /dev/null || fail "demo --from --to"; ok
"$PY" -c '
import json, sys
days = [json.loads(l)["occurred_at"][:10] for l in open(sys.argv[1])]
sys.exit(0 if days and min(days) >= "2024-01-01" and max(days) <= "2024-12-31" else 1)' p.jsonl ||
	fail "events outside --from .. --to"; ok

expect_fail "no --children" "$SL" demo --jsonl
contains "$ERR" "--children" "asks for --children"
expect_fail "--children 0" "$SL" demo --children 0 --jsonl
expect_fail "--drift over 100" "$SL" demo --children 5 --drift 101 --jsonl
expect_fail "--to before --from" "$SL" demo --children 5 --from 2024-01-01 --to 2023-01-01 --jsonl
expect_fail "a bad date" "$SL" demo --children 5 --from 2024-02-30 --jsonl
contains "$ERR" "2024-02-30" "names the bad date"
expect_fail "demo before init" "$SL" demo --db none.db --children 5
done_ok
