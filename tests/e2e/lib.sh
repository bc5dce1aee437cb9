# lib.sh - shared by the end-to-end tests: the binary under test, a scratch
# directory removed on exit, and small assertions that say what failed.
set -euo pipefail

SL=${SAFELEDGER:?set SAFELEDGER to the safeledger binary}
ROOT=${SL_SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOOLS=$ROOT/tests/tools
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/sl-e2e-XXXXXX)
trap 'stop_server; rm -rf "$WORK"' EXIT
cd "$WORK"
export SAFELEDGER_USER=tester
unset SAFELEDGER_DB SAFELEDGER_KEY

CHECKS=0
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { CHECKS=$((CHECKS + 1)); }
done_ok() { echo "ok: $CHECKS checks"; }

# expect_fail "what" CMD...: CMD must exit non-zero; its stderr is kept in $ERR.
expect_fail() {
	local what=$1; shift
	if "$@" >"$WORK/.out" 2>"$WORK/.err"; then fail "$what: succeeded but should have failed"; fi
	ERR=$(cat "$WORK/.err")
	ok
}
# expect_ok "what" CMD...: CMD must exit 0; stdout kept in $OUT.
expect_ok() {
	local what=$1; shift
	if ! "$@" >"$WORK/.out" 2>"$WORK/.err"; then fail "$what: $(cat "$WORK/.err")"; fi
	OUT=$(cat "$WORK/.out")
	ok
}
contains() { # contains HAYSTACK NEEDLE WHAT
	case "$1" in *"$2"*) ok ;; *) fail "$3: expected to find '$2' in: $1" ;; esac
}
# A fingerprint of the whole database content through the CLI: equal
# fingerprints mean nothing was written.
fingerprint() { "$SL" export --db "$1" | sha256sum | cut -d' ' -f1; }

# serve DB [OPTIONS...]: `safeledger serve` on a free loopback port, its
# stdout in srv.out and its log appended to srv.log; waits for the one
# "listening on URL" line and sets SRV (the pid) and URL.  stop_server (run
# on exit too) stops it with SIGTERM and waits for it to finish.
SRV=
serve() {
	local db=$1 line; shift
	: >srv.out
	"$SL" serve --db "$db" --listen 127.0.0.1:0 "$@" >srv.out 2>>srv.log &
	SRV=$!
	for _ in $(seq 100); do
		grep -q '^listening on ' srv.out && break
		kill -0 "$SRV" 2>/dev/null || fail "the server exited: $(cat srv.log)"
		sleep 0.1
	done
	line=$(head -1 srv.out)
	case "$line" in "listening on http"*) ;; *) fail "no listening line: $line" ;; esac
	URL=${line#listening on }
}
stop_server() {
	if [ -n "$SRV" ] && kill -0 "$SRV" 2>/dev/null; then
		kill -TERM "$SRV"
		wait "$SRV" || true
	fi
	SRV=
}

# Pages as a browser without JavaScript would use them, with cookie jars
# (a script may define its own versions after sourcing this file).
# get JAR PATH [curl args]: sets CODE, BODY (the page), LOC (a redirect's Location)
get() {
	local jar=$1 path=$2; shift 2
	CODE=$(curl -s --path-as-is -o body.out -D head.out -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$URL$path")
	BODY=$(tr -d '\0' <body.out)
	LOC=$(tr -d '\r' <head.out | sed -n 's/^[Ll]ocation: //p')
}
post() { get "$1" "$2" -X POST "${@:3}"; }
expect_code() { [ "$CODE" = "$1" ] || fail "$2: HTTP $CODE, expected $1: $(head -c 600 body.out)"; ok; }
field_value() { # the value of the hidden input NAME in BODY
	printf '%s' "$BODY" | grep -o "name=\"$1\" value=\"[^\"]*\"" | head -1 | sed 's/.*value="//; s/"$//'
}
signin() { # signin JAR LOGIN PASSWORD: the whole form flow; sets CODE, LOC
	get "$1" /sign-in
	local token
	token=$(field_value csrf)
	[ -n "$token" ] || fail "no csrf field on the sign-in form"
	post "$1" /sign-in --data-urlencode "csrf=$token" --data-urlencode "login=$2" --data-urlencode "password=$3"
}
