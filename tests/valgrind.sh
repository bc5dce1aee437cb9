#!/usr/bin/env bash
# valgrind.sh SAFELEDGER - the optimised binary's main commands under
# valgrind's memcheck: no invalid access, no definite leak.  (The other
# tests run under ASan/UBSan; this covers the build users actually run.)
set -euo pipefail
SL=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/sl-valgrind-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
VG=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)
run() { # run EXPECTED_STATUS CMD...
	local want=$1 got=0; shift
	"${VG[@]}" "$@" >/dev/null 2>"$WORK/err" || got=$?
	if [ "$got" = 99 ] || [ "$got" != "$want" ]; then
		echo "valgrind: $* exited $got (wanted $want):" >&2; cat "$WORK/err" >&2; exit 1
	fi
}
/usr/bin/python3 "$ROOT/tests/tools/gen_events.py" 1500 4 > "$WORK/in.jsonl"
run 0 "$SL" init --db "$WORK/v.db" --origin valgrind.example/log
run 0 "$SL" import --quiet --db "$WORK/v.db" "$WORK/in.jsonl"
run 0 "$SL" verify --db "$WORK/v.db"
run 0 "$SL" events --db "$WORK/v.db" --child C1
run 0 "$SL" prove 700 --json --db "$WORK/v.db"
run 0 "$SL" prove --from 10 --to 1500 --db "$WORK/v.db"
run 0 "$SL" export --db "$WORK/v.db"
run 0 "$SL" checkpoint --db "$WORK/v.db"
printf '%s\n' '{"kind":"note.recorded","occurred_at":"2024-01-01","by":{"user":"a"},"data":{"child":"C1","text":"x"}}' > "$WORK/one.jsonl"
run 0 "$SL" append --db "$WORK/v.db" "$WORK/one.jsonl"
printf '%s\n' '{"kind":"nope"}' > "$WORK/bad.jsonl"
run 1 "$SL" import --db "$WORK/v.db" "$WORK/bad.jsonl"
echo "valgrind: clean"
