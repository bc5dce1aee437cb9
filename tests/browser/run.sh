#!/usr/bin/env bash
# run.sh - the browser tests: a real server on a loopback port with a
# synthetic authority (`safeledger demo --children 30 --seed 1`), users of
# every role, a partner token and a reviewer's grant, then each role's
# journey in Debian's chromium driven by playwright-core, every page
# checked with axe-core (tests/browser/*.test.mjs, Node's own test runner).
#
#   SAFELEDGER=build/safeledger bash tests/browser/run.sh [FILE.test.mjs ...]
#
# Screenshots of every page go to $SL_BROWSER_OUT (meson sets it to
# <build>/tests/browser; default ./browser-screenshots) and, when
# SCREENSHOTS_DIR is set, the main ones (named by page) there as well:
#   SCREENSHOTS_DIR=docs/screenshots meson test -C build --suite browser
OUT=${SL_BROWSER_OUT:-$PWD/browser-screenshots}
case "$OUT" in /*) ;; *) OUT=$PWD/$OUT ;; esac
[ -z "${SCREENSHOTS_DIR:-}" ] || case "$SCREENSHOTS_DIR" in /*) ;; *) SCREENSHOTS_DIR=$PWD/$SCREENSHOTS_DIR ;; esac
files=()
for f in "$@"; do files+=("$(realpath "$f")"); done # lib.sh moves to a scratch directory
. "$(dirname "$0")/../e2e/lib.sh"
# Every date the rules see is this one (the demo's last day), so the same
# seed gives the same alerts and ages whatever the real date is.
export SAFELEDGER_TODAY=2026-03-31
export SAFELEDGER_DB=$WORK/t.db

# What the tests need, named with what installs it: these are not optional,
# a missing one is a failure (scripts/deps.sh puts them all in place).
command -v node >/dev/null || fail "no node: run scripts/deps.sh (Debian package nodejs)"
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 18 ] || fail "node $major is too old: node:test with --test-concurrency needs 18.19 or later"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "no $CHROMIUM: run scripts/deps.sh (Debian package chromium)"
for m in playwright-core axe-core govuk-frontend; do
	[ -f "$ROOT/node_modules/$m/package.json" ] || fail "no node_modules/$m: run scripts/deps.sh (npm ci)"
done
mkdir -p "$OUT"
[ -z "${SCREENSHOTS_DIR:-}" ] || mkdir -p "$SCREENSHOTS_DIR"

"$SL" init --origin browser.example/safeledger >/dev/null
"$SL" demo --children 30 --seed 1 >/dev/null

q() { sqlite3 "$SAFELEDGER_DB" "$1"; }
# As scripts/run: the busiest worker, their team and its manager; the
# worker's child with the most open alerts (then the most events).
worker=$(q "SELECT worker FROM allocation WHERE to_seq IS NULL GROUP BY worker ORDER BY count(*) DESC, worker LIMIT 1")
[ -n "$worker" ] || fail "the demo allocated no child"
team=$(q "SELECT team FROM allocation WHERE worker = '$worker' ORDER BY seq DESC LIMIT 1")
manager="tm-t${team##* }"
child=$(q "SELECT a.child FROM allocation a LEFT JOIN alert l ON l.child = a.child AND l.ack_seq IS NULL AND l.resolved_seq IS NULL
	WHERE a.worker = '$worker' AND a.to_seq IS NULL GROUP BY a.child ORDER BY count(l.ref) DESC, a.child LIMIT 1")
# Two of the worker's children with a birth date, for an injury recorded
# before they were six months old (NONMOBILE_INJURY), one per journey run.
babies=$(q "SELECT p.id FROM allocation a JOIN person p ON p.id = a.child WHERE a.worker = '$worker' AND a.to_seq IS NULL
	AND p.born IS NOT NULL ORDER BY p.born DESC, p.id LIMIT 2" | paste -sd,)
case "$babies" in *,*) ;; *) fail "the worker has fewer than two children with a birth date: $babies" ;; esac

PW="browser tests $(head -c 9 /dev/urandom | base64 | tr '+/' 'xy')"
adduser() { printf '%s\n' "$PW" | "$SL" user add "$@" >/dev/null; }
adduser "$worker" --role social_worker --team "$team" --name "Sam Worker"
adduser "$manager" --role team_manager --team "$team" --name "Tess Manager"
adduser sm1 --role senior_manager --name "Sana Senior"
adduser dir1 --role director --name "Dana Director"
adduser rev1 --role reviewer --name "Ravi Reviewer"
# A partner's person signs in on the pages as a user with an agency; the
# agency's systems use a bearer token (the API).
partner=police1
adduser "$partner" --role partner --agency police --name "Pat Police"
token=$("$SL" token add --agency police --name browser | tail -1)
[ -n "$token" ] || fail "no partner token"
# The reviewer's grant, recorded as a senior manager would.
printf '{"kind":"access.granted","occurred_at":"%s","by":{"user":"sm1"},"data":{"child":"%s","user":"rev1","reason":"Independent review of the case"}}\n' \
	"$SAFELEDGER_TODAY" "$child" | "$SL" append - >/dev/null || fail "could not grant rev1 access to $child"

serve "$SAFELEDGER_DB" --threads 2 --checkpoint-interval 200 # lib.sh: sets SRV and URL

# Everything the journeys need, as one JSON file (tests/browser/lib.mjs).
SL_URL=$URL SL_PW=$PW SL_WORKER=$worker SL_TEAM=$team SL_MANAGER=$manager SL_CHILD=$child \
SL_BABIES=$babies SL_PARTNER=$partner SL_TOKEN=$token SL_OUT=$OUT \
SL_SHOTS=${SCREENSHOTS_DIR:-} SL_CHROMIUM=$CHROMIUM SL_ROOT=$ROOT "$PY" - >fixture.json <<'PY'
import json, os
e = os.environ
print(json.dumps({
    "url": e["SL_URL"], "password": e["SL_PW"], "today": e["SAFELEDGER_TODAY"],
    "users": {"worker": e["SL_WORKER"], "manager": e["SL_MANAGER"], "senior": "sm1", "director": "dir1",
              "reviewer": "rev1", "partner": e["SL_PARTNER"] or None},
    "team": e["SL_TEAM"], "child": e["SL_CHILD"], "babies": e["SL_BABIES"].split(","),
    "token": e["SL_TOKEN"], "db": e["SAFELEDGER_DB"],
    "safeledger": e["SAFELEDGER"], "out": e["SL_OUT"], "screenshots": e["SL_SHOTS"] or None,
    "chromium": e["SL_CHROMIUM"], "root": e["SL_ROOT"],
}, indent=1))
PY
export SL_BROWSER_FIXTURE=$WORK/fixture.json

[ ${#files[@]} -gt 0 ] || files=("$ROOT"/tests/browser/*.test.mjs)
# One file at a time: each drives its own browser, and two chromiums with
# a server on two cores would make timeouts of a slow machine, not bugs.
status=0
(cd "$ROOT" && node --test --test-concurrency=1 --test-reporter=spec "${files[@]}") || status=$?
if [ $status -ne 0 ]; then
	echo "--- server log (last 40 lines) ---" >&2
	tail -40 srv.log >&2
	fail "browser tests failed (screenshots in $OUT)"
fi
# The server must stop cleanly after all that (under the sanitizers: no
# leak or error report, which makes its exit status non-zero).
kill -TERM "$SRV"
srv_status=0
wait "$SRV" || srv_status=$?
SRV=
if [ $srv_status -ne 0 ]; then
	grep -v '^{' srv.log | tail -40 >&2
	fail "the server exited with status $srv_status after the journeys"
fi
echo "ok: browser journeys passed; screenshots in $OUT"
