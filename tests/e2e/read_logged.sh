#!/usr/bin/env bash
# read_logged.sh - an API read of a child's record is answered only once its
# access-log record is durable.  The server queues the record for group
# commit and runs the query meanwhile (server.c, check_child); here the
# record is made to fail (a trigger refusing inserts into access_log, added
# behind the server's back) and the read must then be refused (the store's
# error as a problem, as when the record was written before the query) with
# none of the record, not served unlogged.  Also: the server-time histogram
# in /metrics counts the reads by route.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

"$SL" init --db t.db >/dev/null
"$SL" import --db t.db --quiet - >/dev/null <<'JSON'
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"sw1"},"data":{"id":"C1","role":"child","name":"Robin Quell","born":"2015-10-20"}}
{"kind":"note.recorded","occurred_at":"2024-01-03","by":{"user":"sw1"},"data":{"child":"C1","text":"first note"}}
JSON
printf 'a long enough password\n' | "$SL" user add dir1 --db t.db --role director >/dev/null

serve t.db --threads 4; ok
curl -s -c jar -H 'Content-Type: application/json' -d '{"login":"dir1","password":"a long enough password"}' \
	"$URL/api/v1/session" >/dev/null
grep -q sl_session jar || fail "sign-in"; ok

get() { # get PATH: the body in body.out, the status echoed
	curl -s -b jar -o body.out -w '%{http_code}' "$URL$1"
}
trigger() { # trigger create|drop: refuse (or again allow) new access-log rows
	"$PY" - "$1" <<'EOF' || fail "trigger $1"
import sqlite3, sys
db = sqlite3.connect("t.db", timeout=10)
if sys.argv[1] == "create":
    db.execute("CREATE TRIGGER test_refuse_access BEFORE INSERT ON access_log "
               "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
else:
    db.execute("DROP TRIGGER test_refuse_access")
db.commit()
EOF
}

[ "$(get /api/v1/children/C1/chronology)" = 200 ] || fail "chronology: $(cat body.out)"; ok
contains "$(cat body.out)" '"first note' "the chronology answer"

trigger create
for path in /api/v1/children/C1/chronology /api/v1/children/C1; do
	code=$(get "$path")
	[ "$code" -ge 400 ] || fail "$path with its access record refused: HTTP $code $(cat body.out)"; ok
	grep -q 'appending to the access log' body.out || fail "$path: not the access log's error: $(cat body.out)"; ok
	grep -q -e 'first note' -e 'Robin' body.out && fail "$path served the record unlogged: $(cat body.out)"; ok
done
trigger drop
[ "$(get /api/v1/children/C1/chronology)" = 200 ] || fail "chronology after the trigger: $(cat body.out)"; ok

metrics=$(curl -s "$URL/metrics")
contains "$metrics" 'safeledger_http_handler_seconds_count{method="GET",route="/api/v1/children/{id}/chronology"} 3' \
	"server-time histogram of the chronology route"
contains "$metrics" \
	'safeledger_http_handler_seconds_bucket{method="GET",route="/api/v1/children/{id}/chronology",le="+Inf"} 3' \
	"server-time histogram buckets"

stop_server
"$SL" verify --db t.db >verify.out || fail "verify: $(cat verify.out)"; ok
grep -q "^ok: access log: 2 entries" verify.out || fail "access log: $(sed -n 2p verify.out)"; ok
done_ok
