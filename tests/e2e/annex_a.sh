#!/usr/bin/env bash
# annex_a.sh - `safeledger annex-a`: Ofsted's Annex A workbook of a
# hand-built history (tests/data/annex_a/history.jsonl), read back with an
# independent XLSX reader (openpyxl, tests/tools/xlsx_check.py) that checks
# the sheets, the header rows and values worked out by hand; bad input
# writes no file and leaves an existing one alone; a small demo authority's
# workbook has the right shape.
. "$(dirname "$0")/lib.sh"

DATA=$ROOT/tests/data/annex_a
export SAFELEDGER_DB=t.db
export SAFELEDGER_TODAY=2026-04-15 # "today" for the after-today check
"$SL" init --db t.db >/dev/null
expect_ok "import the fixture" "$SL" import --quiet "$DATA/history.jsonl"

expect_ok "annex-a" "$SL" annex-a --as-of 2026-03-31 --out annex.xlsx
contains "$OUT" "List 1	4 rows" "List 1 count"
contains "$OUT" "List 2	0 rows" "List 2 has no rows"
contains "$OUT" "4 children listed" "children listed"
[ -s annex.xlsx ] || fail "no workbook"; ok
[ ! -e annex.xlsx.tmp ] || fail "the temporary workbook was left behind"; ok
expect_ok "the workbook read back" "$PY" "$TOOLS/xlsx_check.py" annex.xlsx
# the same record gives the same lists (the zip's timestamps aside)
expect_ok "annex-a again" "$SL" annex-a --as-of 2026-03-31 --out again.xlsx
expect_ok "the second workbook read back" "$PY" "$TOOLS/xlsx_check.py" again.xlsx

# Bad input: a clear error naming --as-of, and no file - not even over an
# existing workbook.
echo "an earlier workbook" > old.xlsx
before=$(sha256sum old.xlsx)
expect_fail "malformed date" "$SL" annex-a --as-of 2026-02-30 --out old.xlsx
contains "$ERR" "--as-of" "names the option"
contains "$ERR" "2026-02-30" "names the value"
expect_fail "not a date at all" "$SL" annex-a --as-of 31/03/2026 --out old.xlsx
contains "$ERR" "--as-of: \`31/03/2026\` is not a date" "not a date"
expect_fail "after today" "$SL" annex-a --as-of 2026-04-16 --out old.xlsx
contains "$ERR" "--as-of: 2026-04-16 is after today (2026-04-15)" "after today"
expect_fail "before the first event" "$SL" annex-a --as-of 2023-12-31 --out old.xlsx
contains "$ERR" "--as-of: 2023-12-31 is before the first event" "before the data"
[ "$(sha256sum old.xlsx)" = "$before" ] || fail "a refused run changed the existing file"; ok
[ ! -e old.xlsx.tmp ] || fail "a refused run left old.xlsx.tmp"; ok
expect_fail "bad date, new file" "$SL" annex-a --as-of 2026-13-01 --out new.xlsx
[ ! -e new.xlsx ] && [ ! -e new.xlsx.tmp ] || fail "a refused run wrote new.xlsx"; ok
expect_fail "no --as-of" "$SL" annex-a --out new.xlsx
contains "$ERR" "--as-of DATE is required" "usage"
expect_fail "no --out" "$SL" annex-a --as-of 2026-03-31
contains "$ERR" "--out FILE.xlsx is required" "usage"
expect_fail "unwritable place" "$SL" annex-a --as-of 2026-03-31 --out "$WORK/no/such/dir/x.xlsx"
[ ! -e "$WORK/no/such/dir/x.xlsx" ] || fail "wrote into a missing directory"; ok
contains "$ERR" "--out: cannot write in $WORK/no/such/dir" "names --out and the directory"

# The route: the data officer and the director get the same workbook;
# a social worker is refused; every child listed is in the access log.
PW='correct horse battery'
for u in "do1 --role data_officer" "dir1 --role director" "sw1 --role social_worker --team north"; do
	printf '%s\n' "$PW" | "$SL" user add $u >/dev/null || fail "user add $u"
done
serve t.db --timeout 10 --threads 2
get() { # get WHO PATH: sets CODE and TYPE, the body in body.out
	local out
	curl -s -o /dev/null -c "jar.$1" -H 'Content-Type: application/json' \
		--data "{\"login\":\"$1\",\"password\":\"$PW\"}" "$URL/api/v1/session"
	out=$(curl -s -o body.out -D head.out -w '%{http_code} %{content_type}' -b "jar.$1" "$URL$2")
	CODE=${out%% *}
	TYPE=${out#* }
}
get do1 "/reports/annex-a.xlsx?as_of=2026-03-31"
[ "$CODE" = 200 ] || fail "data officer: HTTP $CODE $(head -c 300 body.out)"; ok
contains "$TYPE" "spreadsheetml.sheet" "xlsx media type"
contains "$(cat head.out)" 'filename="annex-a-2026-03-31.xlsx"' "download name"
cp body.out http.xlsx
expect_ok "the served workbook read back" "$PY" "$TOOLS/xlsx_check.py" http.xlsx
get dir1 "/reports/annex-a.xlsx?as_of=2026-03-31"
[ "$CODE" = 200 ] || fail "director: HTTP $CODE"; ok
get sw1 "/reports/annex-a.xlsx?as_of=2026-03-31"
[ "$CODE" = 403 ] || fail "social worker: HTTP $CODE, expected 403"; ok
get do1 "/reports/annex-a.xlsx?as_of=2026-02-30"
[ "$CODE" = 400 ] || fail "bad as_of: HTTP $CODE, expected 400"; ok
contains "$(cat body.out)" "as_of" "the parameter named"
get do1 "/reports/annex-a.xlsx"
[ "$CODE" = 400 ] || fail "no as_of: HTTP $CODE, expected 400"; ok
stop_server
for c in C1 C2 C3 C4; do
	"$SL" access --child $c | grep -q 'do1.*GET /reports/annex-a.xlsx' || fail "$c: the download is not in the access log"
	ok
done
if "$SL" access --child C5 | grep -q 'annex-a'; then fail "C5 is in no list but was logged"; fi; ok
ls /tmp/safeledger-annex-a-* >/dev/null 2>&1 && fail "a temporary workbook was left in /tmp"; ok

# A small demo authority: every sheet and header, dates are dates and
# counts are numbers, whatever the history.
"$SL" init --db demo.db >/dev/null
"$SL" demo --db demo.db --children 12 --seed 3 >/dev/null 2>demo.err || fail "demo: $(cat demo.err)"; ok
expect_ok "annex-a of the demo" "$SL" annex-a --db demo.db --as-of 2026-03-31 --out demo.xlsx
expect_ok "the demo workbook read back" "$PY" "$TOOLS/xlsx_check.py" demo.xlsx --shape

done_ok
