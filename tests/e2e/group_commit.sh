#!/usr/bin/env bash
# group_commit.sh - many requests writing at once through the server's group
# commit (http_write): every valid event answered 201 with its own seq, every
# refused one 422 without disturbing the others in its group, every read of
# a record in the access log, and afterwards the ledger holds exactly the
# acknowledged events and both logs verify.  The metrics must show writes
# sharing transactions (more writes than groups), or the test proves nothing.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

"$SL" init --db t.db >/dev/null
"$SL" import --db t.db --quiet - >/dev/null <<'JSON'
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"sw1"},"data":{"id":"C1","role":"child","name":"Robin Quell","born":"2015-10-20"}}
JSON
printf 'a long enough password\n' | "$SL" user add dir1 --db t.db --role director >/dev/null
before=$("$SL" verify --db t.db | sed -n 's/^ok: \([0-9]*\) events.*/\1/p')

serve t.db --threads 16; ok
curl -s -c jar -H 'Content-Type: application/json' -d '{"login":"dir1","password":"a long enough password"}' \
	"$URL/api/v1/session" >/dev/null
grep -q sl_session jar || fail "sign-in"; ok

# 240 requests, 16 at a time: 160 valid notes, 40 refused (an unknown child),
# 40 reads of the record.
post() { # post N: its answer, one line, in ans.N (parallel writers must not share a pipe)
	local body
	case $(($1 % 6)) in
	0) body='{"kind":"note.recorded","occurred_at":"2024-02-01","by":{"user":"dir1"},"data":{"child":"Z9","text":"no such child"}}' ;;
	1) curl -s -b jar -o /dev/null -w "read %{http_code}\n" "$URL/api/v1/children/C1" >ans.$1; return ;;
	*) body='{"kind":"note.recorded","occurred_at":"2024-02-01","by":{"user":"dir1"},"data":{"child":"C1","text":"note '$1'"}}' ;;
	esac
	# one line per answer: the body (on one line) and the status
	{ curl -s -b jar -H 'Content-Type: application/json' -d "$body" -w " %{http_code}" "$URL/api/v1/events" |
		tr -d '\n'; echo; } >ans.$1
}
export -f post; export URL
seq 1 240 | xargs -P 16 -I{} bash -c 'post {}'
cat ans.* > answers.txt
[ "$(grep -c ' 201$' answers.txt)" = 160 ] || fail "want 160 created: $(sort answers.txt | uniq -c | head)"; ok
[ "$(grep -c ' 422$' answers.txt)" = 40 ] || fail "want 40 refused: $(grep -v ' 201$' answers.txt | head -3)"; ok
[ "$(grep -c '^read 200$' answers.txt)" = 40 ] || fail "want 40 reads"; ok
seqs=$(grep ' 201$' answers.txt | sed -n 's/.*"seq":\([0-9]*\).*/\1/p' | sort -n | uniq | wc -l)
[ "$seqs" = 160 ] || fail "acknowledged seqs are not distinct: $seqs"; ok
metrics=$(curl -s "$URL/metrics")
writes=$(sed -n 's/^safeledger_writes_total //p' <<<"$metrics")
groups=$(sed -n 's/^safeledger_write_groups_total //p' <<<"$metrics")
[ "$writes" -ge 200 ] || fail "writes_total $writes, want at least 200 (160 events, 40 reads)"; ok
[ "$groups" -lt "$writes" ] || fail "no write shared a transaction ($writes writes in $groups groups)"; ok

kill -TERM "$SRV"; wait "$SRV" || fail "the server did not stop cleanly"; SRV=
"$SL" verify --db t.db > verify.out || fail "verify after the run: $(cat verify.out)"; ok
after=$(sed -n 's/^ok: \([0-9]*\) events.*/\1/p' verify.out)
[ "$after" = $((before + 160)) ] || fail "ledger has $after events, want $before + 160"; ok
grep -q "^ok: access log: 40 entries" verify.out || fail "access log: $(sed -n 2p verify.out)"; ok
done_ok
