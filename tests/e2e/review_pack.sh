#!/usr/bin/env bash
# review_pack.sh - `review-pack` and `verify-pack` (docs/review-pack.md): a
# child's pack with an amendment, a late entry, an alert acknowledged and
# resolved, a linked adult's risk flag and a break-glass read verifies
# offline, with safeledger and with an independent verifier; editing any
# event, salt, proof, the checkpoint's signature, the report or the
# manifest makes verify-pack fail naming the event or the file; bad input
# writes no file; a reviewer with a grant downloads the pack over HTTP (and
# the download is in the access log, and in the pack), one without gets 403.
. "$(dirname "$0")/lib.sh"

# The history is restored from export lines, so recorded_at is ours: the
# conference of 1 February written up on 20 February is a late entry, and
# the LATE_ENTRY alert a live write would have raised for it (a restore is
# not judged again) is the last row, seq 21.
"$PY" - > restore.jsonl <<'PY'
import json
A = {"agency": "police", "role": "PC", "name": "Jones"}
rows = [
    ("2024-01-02", {"kind": "person.registered", "occurred_at": "2024-01-02", "by": {"user": "alice"},
                    "data": {"id": "C1", "role": "child", "name": "Sam Reed", "born": "2023-12-01"}}),
    ("2024-01-02", {"kind": "person.registered", "occurred_at": "2024-01-02", "by": {"user": "alice"},
                    "data": {"id": "A1", "role": "adult", "name": "Pat Reed", "born": "1990-01-01"}}),
    ("2024-01-02", {"kind": "person.linked", "occurred_at": "2024-01-02", "by": {"user": "alice"},
                    "data": {"a": "A1", "b": "C1", "relation": "mother"}}),
    ("2024-01-02", {"kind": "case.allocated", "occurred_at": "2024-01-02", "by": {"user": "tm1"},
                    "data": {"child": "C1", "worker": "alice", "team": "north"}}),
    ("2024-01-05", {"kind": "concern.raised", "occurred_at": "2024-01-05", "by": A,
                    "data": {"child": "C1", "category": "neglect", "summary": "Left alone at night", "agency": "police"}}),
    ("2024-01-15", {"kind": "injury.observed", "occurred_at": "2024-01-15", "by": {"agency": "health"},
                    "data": {"child": "C1", "description": "Bruise on arm", "agency": "health", "body_part": "arm"}}),
    ("2024-01-15", {"kind": "alert.raised", "occurred_at": "2024-01-15", "ref": "NONMOBILE_INJURY/C1/2024-01-15",
                    "by": {"user": "safeledger"},
                    "data": {"code": "NONMOBILE_INJURY", "child": "C1", "reason": "injury to a baby", "evidence": [6]}}),
    ("2024-01-22", {"kind": "risk.flagged", "occurred_at": "2024-01-22", "by": {"agency": "probation"},
                    "data": {"person": "A1", "agency": "probation", "summary": "Conviction for violence",
                             "risk_to_children": True}}),
    ("2024-01-23", {"kind": "agency_info.received", "occurred_at": "2024-01-23", "by": A,
                    "data": {"person": "A1", "agency": "police", "summary": "Police called to the address"}}),
    ("2024-01-25", {"kind": "visit.recorded", "occurred_at": "2024-01-25", "ref": "v1", "by": {"user": "alice"},
                    "data": {"child": "C1", "seen": True, "summary": "Seen at home, happy"}}),
    ("2024-01-26", {"kind": "amendment.requested", "occurred_at": "2024-01-26", "ref": "am1", "by": {"user": "alice"},
                    "data": {"target": "v1", "reason": "Wrong place", "data": {"summary": "Seen at school, happy"}}}),
    ("2024-01-29", {"kind": "amendment.approved", "occurred_at": "2024-01-29", "by": {"user": "bob"},
                    "data": {"request": "am1"}}),
    ("2024-02-20", {"kind": "conference.held", "occurred_at": "2024-02-01", "by": {"user": "chair1"},
                    "data": {"child": "C1", "type": "initial", "plan": True, "category": "neglect"}}),
    ("2024-02-21", {"kind": "alert.acknowledged", "occurred_at": "2024-02-21", "by": {"user": "tm1"},
                    "data": {"alert": "NONMOBILE_INJURY/C1/2024-01-15", "note": "Seen by the team manager"}}),
    ("2024-03-01", {"kind": "alert.resolved", "occurred_at": "2024-03-01", "by": {"user": "tm1"},
                    "data": {"alert": "NONMOBILE_INJURY/C1/2024-01-15", "rationale": "Plan in place"}}),
    ("2024-03-04", {"kind": "note.recorded", "occurred_at": "2024-03-04", "by": {"user": "alice"},
                    "data": {"child": "C1", "text": "Mum said <script>alert(1)</script> & \"left\""}}),
    ("2024-03-05", {"kind": "domestic_abuse.notified", "occurred_at": "2024-03-05", "by": A,
                    "data": {"persons": ["A1", "C1"], "agency": "police", "marac": True, "summary": "Incident at home"}}),
    ("2024-03-06", {"kind": "access.granted", "occurred_at": "2024-03-06", "by": {"user": "sm"},
                    "data": {"child": "C1", "user": "rev", "reason": "practice review"}}),
    ("2024-03-06", {"kind": "record.sealed", "occurred_at": "2024-03-06", "by": {"user": "sm"},
                    "data": {"child": "C1", "reason": "protection"}}),
    ("2024-03-07", {"kind": "alert.raised", "occurred_at": "2024-02-20", "ref": "LATE_ENTRY/C1/2024-02-20",
                    "by": {"user": "safeledger"},
                    "data": {"code": "LATE_ENTRY", "child": "C1", "reason": "recorded 13 working days late",
                             "evidence": [13]}}),
]
for seq, (rec, ev) in enumerate(rows, 1):
    ev["recorder"] = "safeledger" if ev["kind"] == "alert.raised" else "cli:" + ev["by"].get("user", "partner")
    print(json.dumps({"seq": seq, "recorded_at": rec + "T10:00:00.000Z", "salt": "%064x" % (seq * 7919),
                      "event": ev}))
PY
"$SL" init --db t.db --origin pack.example/safeledger >/dev/null
export SAFELEDGER_DB=t.db
expect_ok "restore" "$SL" import --quiet restore.jsonl
PW='correct horse battery'
for u in "rev reviewer" "rev2 reviewer" "bob social_worker --team south"; do
	set -- $u
	printf '%s\n' "$PW" | "$SL" user add "$1" --role "${@:2}" >/dev/null
done

# A break-glass read of the sealed record, and the reviewer's download.
serve t.db --threads 2 --checkpoint-interval 100
sign_in() {
	curl -s -o /dev/null -D hdr.out -X POST -H 'Content-Type: application/json' \
		--data "{\"login\":\"$1\",\"password\":\"$PW\"}" "$URL/api/v1/session"
	tr -d '\r' <hdr.out | sed -n 's/^[Ss]et-[Cc]ookie: \(sl_session=[^;]*\).*/\1/p'
}
BOB=$(sign_in bob)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $BOB" -H "X-Break-Glass-Reason: police at the door" \
	"$URL/api/v1/children/C1")
[ "$code" = 200 ] || fail "break-glass read: HTTP $code"; ok
REV=$(sign_in rev)
code=$(curl -s -o http.zip -D zhdr.out -w '%{http_code}' -H "Cookie: $REV" "$URL/review/C1/pack.zip")
[ "$code" = 200 ] || fail "reviewer download: HTTP $code: $(head -c 300 http.zip)"; ok
grep -qi '^content-type: application/zip' zhdr.out || fail "pack content type: $(cat zhdr.out)"; ok
grep -qi '^content-disposition: attachment; filename="C1-review-pack.zip"' zhdr.out || fail "no attachment name"; ok
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $REV" "$URL/review/C1")
[ "$code" = 200 ] || fail "reviewer page: HTTP $code"; ok
curl -s -H "Cookie: $REV" "$URL/review/C1" | grep -q 'href="/review/C1/pack.zip"' || fail "no pack link on the page"; ok
REV2=$(sign_in rev2)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $REV2" "$URL/review/C1/pack.zip")
[ "$code" = 403 ] || fail "reviewer without a grant: HTTP $code"; ok
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $BOB" "$URL/review/C1/pack.zip")
[ "$code" = 403 ] || fail "a social worker on the reviewer's download: HTTP $code"; ok
stop_server
expect_ok "downloaded pack verifies" "$SL" verify-pack http.zip
contains "$OUT" "pack OK:" "verify-pack http"
expect_ok "access log" "$SL" access --child C1
contains "$OUT" "GET /review/{id}/pack.zip" "the download is in the access log"
contains "$OUT" "BREAK-GLASS: police at the door" "break-glass in the access log"
unzip -p http.zip report.html > http.html
contains "$(cat http.html)" "GET /review/{id}/pack.zip" "the pack proves its own download"

# The CLI pack of the whole record.
expect_ok "review-pack" "$SL" review-pack --child C1 --out pack.zip
contains "$OUT" "wrote pack.zip" "review-pack says what it wrote"
expect_ok "verify-pack" "$SL" verify-pack pack.zip
contains "$OUT" "pack OK:" "verify-pack"
size=$("$SL" checkpoint --no-sign | sed -n 2p)
contains "$OUT" "checkpoint size $size" "the pack is against the latest checkpoint"
expect_ok "independent verifier" "$PY" "$TOOLS/pack_verify.py" pack.zip --vkey "$("$SL" key)"
contains "$OUT" "independent: pack OK" "independent"
"$PY" "$TOOLS/pack_verify.py" pack.zip --vkey "other.example+01234567+AQ$(printf '%043d' 0)=" >/dev/null 2>&1 &&
	fail "the independent verifier took another key"; ok
unzip -o -q pack.zip -d unpacked
for f in manifest.json README.txt report.html events.jsonl proofs.jsonl checkpoint.txt key.txt access.jsonl \
	access-proofs.jsonl access-checkpoint.txt; do
	[ -s "unpacked/$f" ] || fail "the pack has no $f"; ok
done
html=$(cat unpacked/report.html)
contains "$html" "Seen at home, happy" "the amendment's original value"
contains "$html" "Seen at school, happy" "the amendment's amended value"
contains "$html" "approved by bob (seq 12)" "who approved the amendment"
contains "$html" "Late entry" "the late-entry marker"
row_of() { "$PY" -c 'import sys; print(next(r for r in open(sys.argv[1]).read().split("<tr id=\"seq-")[1:] if r.startswith(sys.argv[2] + "\"")).split("</tr>")[0])' unpacked/report.html "$1"; }
contains "$(row_of 13)" "Late entry" "the late conference is marked"
case "$(row_of 10)" in *"Late entry"*) fail "a visit recorded on the day is marked late" ;; esac; ok
contains "$html" "First known" "who knew what, when"
contains "$html" "Risk flag: Pat Reed (A1)" "the linked adult's risk flag"
contains "$html" "Police called to the address" "the linked adult's agency information"
contains "$html" "Seen by the team manager" "the acknowledgement"
contains "$html" "Plan in place" "the resolution"
contains "$html" "Break-glass" "the break-glass read is marked"
contains "$html" "police at the door" "the break-glass reason"
contains "$html" "&lt;script&gt;alert(1)&lt;/script&gt;" "user text escaped"
case "$html" in *"<script"*) fail "a script in the report" ;; esac; ok
grep -q '"canonical":' unpacked/events.jsonl || fail "events.jsonl without canonical bytes"; ok
[ "$(wc -l < unpacked/events.jsonl)" = "$(wc -l < unpacked/proofs.jsonl)" ] || fail "one proof per event"; ok
# the stored bytes, exactly: line 10 of the ledger is in the pack as stored
stored=$(sqlite3 t.db "SELECT event FROM ledger WHERE seq = 10")
"$PY" -c 'import json,sys; [print(o["canonical"]) for o in map(json.loads, open(sys.argv[1])) if o["seq"] == 10]' \
	unpacked/events.jsonl > canon10.txt
[ "$(cat canon10.txt)" = "$stored" ] || fail "events.jsonl does not hold the stored bytes"; ok

# Tampering: rewrite one member with python's zipfile, then verify-pack must
# fail naming the event (or the file).
tamper() { # tamper MODE OUT: prints what it changed (a seq) when relevant
	"$PY" - pack.zip "$2" "$1" <<'PY'
import json, sys, zipfile
src, dst, mode = sys.argv[1:]
with zipfile.ZipFile(src) as z:
    files = {n: z.read(n) for n in z.namelist()}
def lines(name):
    return [json.loads(l) for l in files[name].decode().splitlines()]
def put(name, objs):
    files[name] = "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in objs).encode()
if mode in ("event", "salt", "access"):
    name = "access.jsonl" if mode == "access" else "events.jsonl"
    objs = lines(name)
    o = objs[2]
    if mode == "salt":
        o["salt"] = ("0" if o["salt"][0] != "0" else "1") + o["salt"][1:]
    else:
        c = o["canonical"]
        i = c.index('":"') + 4  # one byte inside the first string value
        o["canonical"] = c[:i] + ("x" if c[i] != "x" else "y") + c[i + 1:]
    put(name, objs)
    print(o["seq"])
elif mode == "proof":
    objs = lines("proofs.jsonl")
    o = next(p for p in objs if p["hashes"])
    h = o["hashes"][0]
    o["hashes"][0] = ("0" if h[0] != "0" else "1") + h[1:]
    put("proofs.jsonl", objs)
    print(o["seq"])
elif mode == "signature":
    t = files["checkpoint.txt"].decode()
    head, sig = t.rstrip("\n").rsplit(" ", 1)
    i = len(sig) // 2
    files["checkpoint.txt"] = (head + " " + sig[:i] + ("A" if sig[i] != "A" else "B") + sig[i + 1:] + "\n").encode()
elif mode == "manifest":
    m = json.loads(files["manifest.json"])
    m["counts"]["events"] += 1
    files["manifest.json"] = json.dumps(m).encode()
elif mode == "report":
    files["report.html"] = files["report.html"].replace(b"Seen at school", b"Seen at church", 1)
elif mode == "extra":
    files["../evil.sh"] = b"echo owned\n"
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for n, d in files.items():
        z.writestr(n, d)
PY
}
for mode in event salt proof access; do
	seq=$(tamper $mode bad-$mode.zip)
	expect_fail "edited $mode" "$SL" verify-pack bad-$mode.zip
	case $mode in
	proof) contains "$ERR" "event seq $seq: inclusion proof does not lead to the checkpoint root" "edited proof" ;;
	access) contains "$ERR" "access entry seq $seq:" "edited access entry named" ;;
	*) contains "$ERR" "event seq $seq:" "edited $mode named" ;;
	esac
	"$PY" "$TOOLS/pack_verify.py" bad-$mode.zip >/dev/null 2>&1 && fail "the independent verifier took an edited $mode"
	ok
done
tamper signature bad-sig.zip
expect_fail "edited signature" "$SL" verify-pack bad-sig.zip
contains "$ERR" "checkpoint.txt" "edited signature names the checkpoint"
tamper manifest bad-manifest.zip
expect_fail "edited manifest" "$SL" verify-pack bad-manifest.zip
contains "$ERR" "manifest.json" "edited manifest named"
tamper report bad-report.zip
expect_fail "edited report" "$SL" verify-pack bad-report.zip
contains "$ERR" "report.html: its SHA-256 is not the one manifest.json gives" "edited report named"
tamper extra bad-extra.zip
expect_fail "a path in the zip" "$SL" verify-pack bad-extra.zip
contains "$ERR" "not a file of a review pack" "a foreign member is refused"
# a zip bomb: 260 MiB of zeros in a few hundred KB, refused before it is inflated
"$PY" - pack.zip bomb.zip <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as o:
    for n in z.namelist():
        if n != "report.html":
            o.writestr(n, z.read(n))
    with o.open("report.html", "w", force_zip64=True) as f:
        chunk = bytes(1 << 20)
        for _ in range(260):
            f.write(chunk)
PY
expect_fail "zip bomb" "$SL" verify-pack bomb.zip
contains "$ERR" "report.html: 272629760 bytes, more than a pack may hold" "a zip bomb is refused"
printf 'not a zip' > junk.zip
expect_fail "not a zip" "$SL" verify-pack junk.zip
contains "$ERR" "not a zip archive" "junk named"
expect_fail "no such file" "$SL" verify-pack missing.zip

# A period: the pack says so and holds only what occurred in it (and the
# evidence it cites).
expect_ok "period pack" "$SL" review-pack --child C1 --from 2024-01-20 --to 2024-01-31 --out period.zip
expect_ok "period pack verifies" "$SL" verify-pack period.zip
unzip -p period.zip manifest.json > period.json
contains "$(cat period.json)" '"from": "2024-01-20"' "the manifest names the period"
unzip -p period.zip report.html > period.html
contains "$(cat period.html)" "from 2024-01-20 to 2024-01-31" "the report names the period"
grep -q "Left alone at night" period.html && fail "an event before the period is in the report"; ok
contains "$(cat period.html)" "Seen at school, happy" "the period's visit"

# Bad input: a clear error, no file, and nothing written to the database
# (review-pack signs fresh checkpoints only once the request is good).
# First a read the access log records after its last checkpoint (a server
# that signs only every ten minutes, killed before it can), so that signing
# one would show.
serve t.db --threads 2 --checkpoint-interval 600000
REV=$(sign_in rev)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $REV" "$URL/review/C1")
[ "$code" = 200 ] || fail "a read before the refusals: HTTP $code"; ok
kill -KILL "$SRV"; wait "$SRV" 2>/dev/null || true; SRV=
cps_grown=$(sqlite3 t.db 'SELECT count(*) FROM checkpoint')
expect_fail "unknown child" "$SL" review-pack --child C9 --out bad1.zip
contains "$ERR" "C9" "unknown child named"
expect_fail "an adult" "$SL" review-pack --child A1 --out bad2.zip
expect_fail "from after to" "$SL" review-pack --child C1 --from 2024-03-01 --to 2024-01-01 --out bad3.zip
contains "$ERR" "--from" "from after to names --from"
expect_fail "a date outside the data" "$SL" review-pack --child C1 --from 2030-01-01 --out bad4.zip
contains "$ERR" "--from" "a period after the record names --from"
expect_fail "a date that does not exist" "$SL" review-pack --child C1 --to 2024-02-30 --out bad5.zip
contains "$ERR" "--to" "a bad date names --to"
expect_fail "no --out" "$SL" review-pack --child C1
for f in bad1 bad2 bad3 bad4 bad5; do
	[ ! -e $f.zip ] && [ ! -e $f.zip.tmp ] || fail "$f: a refused pack left a file"; ok
done
[ "$(sqlite3 t.db 'SELECT count(*) FROM checkpoint')" = "$cps_grown" ] || fail "a refused pack signed a checkpoint"; ok
expect_ok "verify" "$SL" verify
done_ok
