#!/usr/bin/env bash
# rebuild.sh - the projections are exactly what the ledger implies (DESIGN 3):
# a canonical dump taken after incremental writes equals the dump after
# `safeledger rebuild`, equals the dump of a fresh database restored from
# the export, and a projection row edited behind safeledger's back is
# repaired by a rebuild.  Along the way, spot checks of what the read model
# says (case and plan semantics of DESIGN 6.1.3/6.1.4, links, amendments).
. "$(dirname "$0")/lib.sh"

q() { sqlite3 -batch -noheader t.db "$1"; }
# same_dump A B WHAT: the two dump files are byte-identical.
same_dump() {
	cmp -s "$1" "$2" || { diff "$1" "$2" | head -20 >&2; fail "$3: dumps differ"; }
	ok
}

"$SL" init --db t.db --origin rebuild.example/safeledger >/dev/null

# An empty ledger rebuilds to empty projections.
expect_ok "rebuild empty" "$SL" rebuild --db t.db
contains "$OUT" "from 0 events" "empty rebuild counts no events"

# A generated history (people, links, visits, notes, contacts, partner
# information) and one family written by hand that uses every other kind.
"$PY" "$TOOLS/gen_events.py" 1500 7 > gen.jsonl
cat > family.jsonl <<'JSON'
{"kind":"person.registered","occurred_at":"2024-01-02","ref":"reg-K1","by":{"user":"alice"},"data":{"id":"K1","role":"child","name":"Kit One","born":"2019-03-01","gender":"male","nhs_number":"9434765919","upn":"A123456789012"}}
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"alice"},"data":{"id":"K2","role":"child","name":"Unborn Two","expected":"2024-09-01"}}
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"alice"},"data":{"id":"M1","role":"adult","name":"Mum One"}}
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"alice"},"data":{"id":"F1","role":"adult","name":"Dad One"}}
{"kind":"person.linked","occurred_at":"2024-01-02","by":{"user":"alice"},"data":{"a":"M1","b":"K1","relation":"mother"}}
{"kind":"person.linked","occurred_at":"2024-01-02","by":{"user":"alice"},"data":{"a":"F1","b":"K1","relation":"father"}}
{"kind":"person.linked","occurred_at":"2024-01-02","by":{"user":"alice"},"data":{"a":"M1","b":"K2","relation":"mother"}}
{"kind":"contact.received","occurred_at":"2024-01-03","ref":"c1","by":{"agency":"education","role":"DSL","name":"Ms Head"},"data":{"child":"K1","source":"2A","summary":"Bruise seen at school","categories":["physical"]}}
{"kind":"referral.decided","occurred_at":"2024-01-04","by":{"user":"mash1"},"data":{"child":"K1","decision":"strategy","primary_need":"N1"}}
{"kind":"strategy.held","occurred_at":"2024-01-05","by":{"user":"alice"},"data":{"child":"K1","s47":true}}
{"kind":"s47.completed","occurred_at":"2024-01-12","by":{"user":"alice"},"data":{"child":"K1","icpc":true}}
{"kind":"conference.held","occurred_at":"2024-01-24","by":{"user":"chair1"},"data":{"child":"K1","type":"initial","plan":true,"category":"neglect"}}
{"kind":"case.allocated","occurred_at":"2024-01-24","by":{"user":"tm1"},"data":{"child":"K1","worker":"sw1","team":"Team A"}}
{"kind":"meeting.held","occurred_at":"2024-02-01","by":{"user":"sw1"},"data":{"child":"K1","type":"core_group","summary":"Plan agreed"}}
{"kind":"visit.recorded","occurred_at":"2024-02-02","ref":"v1","by":{"user":"sw1"},"data":{"child":"K1","seen":true,"seen_alone":false,"summary":"Seen with mum"}}
{"kind":"note.recorded","occurred_at":"2024-02-03T10:00:00Z","by":{"user":"sw1"},"data":{"child":"K1","text":"Call with school.\tTabs\\and backslashes\nand lines"}}
{"kind":"concern.raised","occurred_at":"2024-02-05","ref":"k1","by":{"user":"sw1"},"data":{"child":"K1","category":"neglect","summary":"Home conditions poor\twet\\floor\nsecond line","significant_harm":true,"agency":"health"}}
{"kind":"concern.raised","occurred_at":"2024-02-06","ref":"k2","by":{"agency":"police","role":"PC","name":"PC One"},"data":{"child":"K1","category":"physical","summary":"Mark on arm"}}
{"kind":"concern.resolved","occurred_at":"2024-02-10","by":{"user":"sw1"},"data":{"child":"K1","concern":"k1","rationale":"Home cleaned, checked twice"}}
{"kind":"injury.observed","occurred_at":"2024-02-11","by":{"agency":"health","role":"GP","name":"Dr One"},"data":{"child":"K1","description":"Bruise","agency":"health","body_part":"arm","explanation":"Fell off bike"}}
{"kind":"missing.started","occurred_at":"2024-02-12","by":{"user":"sw1"},"data":{"child":"K1","indicators":["cse"]}}
{"kind":"missing.ended","occurred_at":"2024-02-13","by":{"user":"sw1"},"data":{"child":"K1","return_interview":false}}
{"kind":"return_interview.recorded","occurred_at":"2024-02-14","by":{"user":"sw1"},"data":{"child":"K1","summary":"Talked about where"}}
{"kind":"risk.flagged","occurred_at":"2024-02-15","by":{"agency":"police","role":"DS","name":"DS One"},"data":{"person":"F1","agency":"police","summary":"Conviction","risk_to_children":true}}
{"kind":"risk.cleared","occurred_at":"2024-02-20","by":{"agency":"police","role":"DS","name":"DS One"},"data":{"person":"F1","agency":"police","rationale":"Conviction quashed"}}
{"kind":"domestic_abuse.notified","occurred_at":"2024-02-21","by":{"agency":"police","role":"PC","name":"PC Two"},"data":{"persons":["M1","F1"],"agency":"police","marac":true}}
{"kind":"agency_info.received","occurred_at":"2024-02-22","by":{"agency":"education","role":"DSL","name":"Ms Head"},"data":{"person":"K1","agency":"education","summary":"Attendance 60%","significant_harm":true}}
{"kind":"case.allocated","occurred_at":"2024-02-23","by":{"user":"tm1"},"data":{"child":"K1","worker":"sw2","team":"Team B"}}
{"kind":"escalation.raised","occurred_at":"2024-02-24","ref":"e1","by":{"user":"sw2"},"data":{"to":"manager","summary":"Drift","child":"K1"}}
{"kind":"escalation.answered","occurred_at":"2024-02-26","by":{"user":"tm1"},"data":{"escalation":"e1","response":"Agreed"}}
{"kind":"supervision.recorded","occurred_at":"2024-02-27","by":{"user":"tm1"},"data":{"child":"K1","summary":"Case reviewed"}}
{"kind":"conference.held","occurred_at":"2024-04-20","by":{"user":"chair1"},"data":{"child":"K1","type":"review","plan":true,"category":"physical"}}
{"kind":"conference.held","occurred_at":"2024-07-20","by":{"user":"chair1"},"data":{"child":"K1","type":"review","plan":true}}
{"kind":"person.unlinked","occurred_at":"2024-07-21","by":{"user":"sw2"},"data":{"a":"F1","b":"K1","relation":"father"}}
{"kind":"person.updated","occurred_at":"2024-07-22","by":{"user":"sw2"},"data":{"id":"K1","name":"Kit Renamed","gender":"female"}}
{"kind":"amendment.requested","occurred_at":"2024-07-23","ref":"am1","by":{"user":"sw2"},"data":{"target":"reg-K1","reason":"Birth date and name mistyped","data":{"name":"Kit Corrected","born":"2019-03-02"}}}
{"kind":"amendment.approved","occurred_at":"2024-07-24","by":{"user":"tm1"},"data":{"request":"am1"}}
{"kind":"amendment.requested","occurred_at":"2024-07-23","ref":"am2","by":{"user":"sw2"},"data":{"target":"v1","reason":"Child was not seen","data":{"seen":false}}}
{"kind":"amendment.approved","occurred_at":"2024-07-24","by":{"user":"tm1"},"data":{"request":"am2"}}
{"kind":"amendment.requested","occurred_at":"2024-07-23","ref":"am3","by":{"user":"sw2"},"data":{"target":"k2","reason":"Wrong category","data":{"category":"emotional","summary":"Shouting heard"}}}
{"kind":"amendment.approved","occurred_at":"2024-07-24","by":{"user":"tm1"},"data":{"request":"am3"}}
{"kind":"amendment.requested","occurred_at":"2024-07-23","ref":"am4","by":{"user":"sw2"},"data":{"target":"v1","reason":"x","data":{"seen_alone":true}}}
{"kind":"amendment.rejected","occurred_at":"2024-07-24","by":{"user":"tm1"},"data":{"request":"am4","reason":"Not so"}}
{"kind":"lac.started","occurred_at":"2024-08-01","by":{"user":"sw2"},"data":{"child":"K1","legal_status":"C2"}}
{"kind":"case.closed","occurred_at":"2024-09-30","by":{"user":"tm1"},"data":{"child":"K1","reason":"RC7","rationale":"Family moved on","authorised_by":"director1"}}
{"kind":"lac.ended","occurred_at":"2024-10-01","by":{"user":"sw2"},"data":{"child":"K1","reason":"Already closed"}}
{"kind":"conference.held","occurred_at":"2025-03-01","by":{"user":"chair1"},"data":{"child":"K1","type":"initial","plan":true,"category":"sexual"}}
{"kind":"conference.held","occurred_at":"2025-06-01","by":{"user":"chair1"},"data":{"child":"K1","type":"review","plan":false}}
{"kind":"contact.received","occurred_at":"2025-07-01","by":{"user":"mash1"},"data":{"child":"K2","source":"3B","summary":"Midwife worried"}}
{"kind":"referral.decided","occurred_at":"2025-07-02","by":{"user":"mash1"},"data":{"child":"K2","decision":"assessment"}}
{"kind":"assessment.started","occurred_at":"2025-07-02","by":{"user":"sw3"},"data":{"child":"K2"}}
{"kind":"assessment.completed","occurred_at":"2025-08-01","by":{"user":"sw3"},"data":{"child":"K2","outcome":"cin_plan","factors":["1B","2B"]}}
{"kind":"cin_plan.started","occurred_at":"2025-08-02","by":{"user":"sw3"},"data":{"child":"K2"}}
{"kind":"cin_plan.ended","occurred_at":"2025-10-03","by":{"user":"sw3"},"data":{"child":"K2"}}
{"kind":"s47.completed","occurred_at":"2025-10-06","by":{"user":"sw3"},"data":{"child":"K2","icpc":false}}
JSON
expect_ok "import generated" "$SL" import --db t.db --quiet gen.jsonl
expect_ok "import family" "$SL" import --db t.db --quiet family.jsonl

# Acknowledge and resolve an alert the rules raised, when they raised one.
alert=$(q "SELECT ref FROM alert ORDER BY seq LIMIT 1")
if [ -n "$alert" ]; then
	printf '{"kind":"alert.acknowledged","occurred_at":"2025-10-07","by":{"user":"tm1"},"data":{"alert":"%s","note":"Seen"}}\n' "$alert" > ack.jsonl
	printf '{"kind":"alert.resolved","occurred_at":"2025-10-08","by":{"user":"tm1"},"data":{"alert":"%s","rationale":"Dealt with"}}\n' "$alert" >> ack.jsonl
	expect_ok "acknowledge and resolve an alert" "$SL" import --db t.db --quiet ack.jsonl
	[ "$(q "SELECT ack_by || '|' || resolved_by || '|' || rationale FROM alert WHERE ref = '$alert'")" = "tm1|tm1|Dealt with" ] \
		|| fail "alert acknowledgement not projected"; ok
fi

# --- what the read model says -------------------------------------------
# Registration amended (born corrected), but the later update's name wins.
[ "$(q "SELECT name || '|' || born || '|' || gender || '|' || (amended_seq IS NOT NULL) FROM person WHERE id = 'K1'")" \
	= "Kit Renamed|2019-03-02|female|1" ] || fail "person K1: $(q "SELECT * FROM person WHERE id = 'K1'")"; ok
[ "$(q "SELECT expected FROM person WHERE id = 'K2'")" = "2024-09-01" ] || fail "unborn child's expected date"; ok
# Visit amended to not seen; the rejected amendment changed nothing.
[ "$(q "SELECT seen || '|' || seen_alone || '|' || (amended_seq IS NOT NULL) FROM visit v JOIN event_ref r ON r.seq = v.seq WHERE r.ref = 'v1'")" \
	= "0|0|1" ] || fail "visit v1 amendment"; ok
[ "$(q "SELECT category || '|' || summary || '|' || agency FROM concern c JOIN event_ref r ON r.seq = c.seq WHERE r.ref = 'k2'")" \
	= "emotional|Shouting heard|police" ] || fail "concern k2: amended category and by.agency"; ok
[ "$(q "SELECT resolved_by || '|' || rationale FROM concern c JOIN event_ref r ON r.seq = c.seq WHERE r.ref = 'k1'")" \
	= "sw1|Home cleaned, checked twice" ] || fail "concern k1 resolution"; ok
# Links: the father's link ended, the mothers' live.
[ "$(q "SELECT count(*) FROM link WHERE b IN ('K1', 'K2') AND until_seq IS NULL")" = 2 ] || fail "live links"; ok
[ "$(q "SELECT count(*) FROM link WHERE a = 'F1' AND until_day = '2024-07-21'")" = 1 ] || fail "ended link"; ok
# Two CP plans: the first ended by the closure with its category changed
# once (neglect -> physical; the review naming none kept it), the second
# started after closure (reopening the case) and ended by a plan-false review.
[ "$(q "SELECT start_day || '|' || end_day || '|' || detail FROM episode WHERE child = 'K1' AND type = 'cp_plan' ORDER BY start_seq")" \
	= "2024-01-24|2024-09-30|{\"category\":\"physical\"}
2025-03-01|2025-06-01|{\"category\":\"sexual\"}" ] || fail "cp plans: $(q "SELECT * FROM episode WHERE child = 'K1' AND type = 'cp_plan'")"; ok
[ "$(q "SELECT group_concat(category || '@' || from_day, ' ') FROM (SELECT * FROM cp_category WHERE child = 'K1' ORDER BY plan_seq, seq)")" \
	= "neglect@2024-01-24 physical@2024-04-20 sexual@2025-03-01" ] || fail "plan category history"; ok
# case.closed ends the case, the plan and the looked-after episode, and frees the worker.
[ "$(q "SELECT end_day || '|' || json_extract(detail, '\$.reason') FROM episode WHERE child = 'K1' AND type = 'case' ORDER BY start_seq LIMIT 1")" \
	= "2024-09-30|RC7" ] || fail "case closure"; ok
[ "$(q "SELECT end_day || '|' || json_extract(detail, '\$.legal_status') FROM episode WHERE child = 'K1' AND type = 'lac'")" \
	= "2024-09-30|C2" ] || fail "looked after ended by closure"; ok
[ "$(q "SELECT count(*) FROM episode WHERE child = 'K1' AND type = 'case'")" = 2 ] || fail "case reopened by the second plan"; ok
[ "$(q "SELECT group_concat(worker || ':' || from_day || '-' || to_day, ' ') FROM (SELECT * FROM allocation WHERE child = 'K1' ORDER BY seq)")" \
	= "sw1:2024-01-24-2024-02-23 sw2:2024-02-23-2024-09-30" ] || fail "allocations"; ok
# Contact ended by the referral decision; s47 from strategy to completion;
# a completion with nothing open is a moment.
[ "$(q "SELECT end_day || '|' || json_extract(detail, '\$.decision') FROM episode WHERE child = 'K1' AND type = 'contact'")" \
	= "2024-01-04|strategy" ] || fail "contact decided"; ok
[ "$(q "SELECT start_day || '|' || end_day || '|' || json_extract(detail, '\$.icpc') FROM episode WHERE child = 'K1' AND type = 's47'")" \
	= "2024-01-05|2024-01-12|1" ] || fail "s47 enquiry"; ok
[ "$(q "SELECT start_day || '|' || end_day FROM episode WHERE child = 'K2' AND type = 's47'")" = "2025-10-06|2025-10-06" ] \
	|| fail "s47 completed with none open"; ok
[ "$(q "SELECT json_extract(detail, '\$.outcome') || '|' || json_extract(detail, '\$.factors') FROM episode WHERE child = 'K2' AND type = 'assessment'")" \
	= 'cin_plan|["1B","2B"]' ] || fail "assessment outcome"; ok
[ "$(q "SELECT indicators || '|' || end_day || '|' || return_interview || '|' || interview_day FROM missing WHERE child = 'K1'")" \
	= '["cse"]|2024-02-13|0|2024-02-14' ] || fail "missing episode"; ok
[ "$(q "SELECT cleared_day || '|' || risk_to_children FROM risk_flag WHERE person = 'F1'")" = "2024-02-20|1" ] || fail "risk flag"; ok
[ "$(q "SELECT answered_by || '|' || response FROM escalation WHERE child = 'K1'")" = "tm1|Agreed" ] || fail "escalation"; ok
[ "$(q "SELECT group_concat(kind) FROM (SELECT kind FROM note WHERE child = 'K1' ORDER BY seq)")" = "note,supervision" ] \
	|| fail "notes"; ok

# --- rebuild identity ---------------------------------------------------
expect_ok "dump" "$SL" rebuild --db t.db --dump-only --dump before.dump
head -1 before.dump | grep -qx "safeledger projections 1" || fail "dump header"; ok
grep -q 'Call with school' before.dump && fail "a note's text should stay in the ledger"; ok
# Values are escaped so that one row is one line.
grep -qF 'Home conditions poor\twet\\floor\nsecond line' before.dump || fail "dump escapes tab, backslash, newline"; ok
grep -q '	\\N	' before.dump || fail "dump writes NULL as \\N"; ok
expect_ok "rebuild" "$SL" rebuild --db t.db --dump after.dump
contains "$OUT" "rebuilt the projections from" "rebuild reports"
contains "$OUT" "episode" "rebuild prints table counts"
same_dump before.dump after.dump "rebuild"
expect_ok "rebuild twice" "$SL" rebuild --db t.db --dump again.dump
same_dump before.dump again.dump "second rebuild"
expect_ok "verify after rebuild" "$SL" verify --db t.db

# A fresh database restored from the export projects the same state.
"$SL" export --db t.db > export.jsonl
"$SL" init --db fresh.db --origin fresh.example/safeledger >/dev/null
expect_ok "restore" "$SL" import --db fresh.db --quiet export.jsonl
expect_ok "dump fresh" "$SL" rebuild --db fresh.db --dump-only --dump fresh.dump
same_dump before.dump fresh.dump "restored database"

# --- a projection edited behind safeledger's back is repaired -------------
q "UPDATE person SET name = 'Tampered' WHERE id = 'K1';
   DELETE FROM visit WHERE seq = (SELECT min(seq) FROM visit);
   UPDATE episode SET end_seq = NULL, end_day = NULL WHERE child = 'K1' AND type = 'case';
   INSERT INTO concern(seq, child, day, category, summary, significant_harm, agency) VALUES (999999, 'K1', '2024-01-01', 'other', 'forged', 0, 'other');
   DELETE FROM event_person WHERE person = 'K2';"
expect_ok "dump tampered" "$SL" rebuild --db t.db --dump-only --dump tampered.dump
cmp -s before.dump tampered.dump && fail "tampering did not change the dump"; ok
expect_ok "repair" "$SL" rebuild --db t.db --dump repaired.dump
same_dump before.dump repaired.dump "repaired by rebuild"

# --dump to stdout puts the report on stderr; --dump-only needs --dump.
"$SL" rebuild --db t.db --dump - > stdout.dump 2> report.txt || fail "rebuild --dump -"
same_dump before.dump stdout.dump "dump on stdout"
grep -q "rebuilt the projections" report.txt || fail "report on stderr"; ok
expect_fail "dump-only without dump" "$SL" rebuild --db t.db --dump-only
contains "$ERR" "--dump" "names the missing option"
done_ok
