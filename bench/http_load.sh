#!/usr/bin/env bash
# http_load.sh - load benchmark of `safeledger serve` with wrk on loopback
# (DESIGN 9: chronology of a 5,000-event child, p99 under 10 ms at 50
# concurrent clients).  Measures, in the same run and the same process:
#
#   ceiling      GET /log/key: a few bytes from memory, no database, no
#                session: what the server itself costs per request
#   tile         GET /log/tile/0/000: 8 KiB from SQLite, no session
#   chronology   GET /api/v1/children/C1/chronology?limit=50 as a signed-in
#                director: session check, access decision, the read recorded
#                in the access log (one durable transaction), the query
#
# and writes the table into docs/benchmarks.md between markers.  Each row
# has two kinds of latency: wrk's (the client's: the whole round trip,
# including waiting for a server thread and for the cores wrk shares) and
# the server's own time per request, from the server's
# safeledger_http_handler_seconds histogram for that route (/metrics read
# before and after the row; percentiles interpolated within its buckets):
# from the route being found to the response handed to libmicrohttpd.
#
# Usage: bench/http_load.sh [BUILD_DIR] [SECONDS]   (defaults: build, 10)
# BENCH_TMPDIR puts the database elsewhere (/dev/shm: no real fsync);
# BENCH_DOC writes the table into another file; BENCH_SERVE_ARGS adds
# options to `safeledger serve` (the table says which).
# wrk is installed with apt-get when missing (it is not a test dependency).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
SECS=${2:-10}
SL=$BUILD/safeledger
[ -x "$SL" ] || { echo "no $SL: build first (meson setup build && ninja -C build)" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get install -y -qq --no-install-recommends wrk >&2
fi

LOAD=$(cut -d' ' -f1-3 /proc/loadavg) # other work on the machine skews every number
WORK=$(mktemp -d "${BENCH_TMPDIR:-/tmp}/sl-http-bench-XXXXXX")
SRV=
cleanup() {
	[ -n "$SRV" ] && kill -TERM "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

# One child with 5,000 events: visits and notes over about 14 years.
/usr/bin/python3 - >child.jsonl <<'EOF'
import datetime, json
d0 = datetime.date(2010, 1, 4)
ev = lambda kind, day, data: print(json.dumps({"kind": kind, "occurred_at": day.isoformat(),
                                               "by": {"user": "sw1"}, "data": data}))
ev("person.registered", d0, {"id": "C1", "role": "child", "name": "Bench Child", "born": "2009-05-01"})
ev("case.allocated", d0, {"child": "C1", "worker": "sw1", "team": "north"})
for i in range(4998):
    day = d0 + datetime.timedelta(days=1 + i)
    if i % 2:
        ev("visit.recorded", day, {"child": "C1", "seen": True, "summary": "home visit %d" % i})
    else:
        ev("note.recorded", day, {"child": "C1", "text": "case note %d: spoke with school" % i})
EOF
"$SL" init --db b.db --origin bench.example/safeledger >/dev/null
"$SL" import --db b.db --quiet child.jsonl >/dev/null
printf 'benchmark password\n' | "$SL" user add dir1 --db b.db --role director >/dev/null

# BENCH_SERVE_ARGS: extra `serve` options to compare (e.g. "--threads 4").
"$SL" serve --db b.db --listen 127.0.0.1:0 ${BENCH_SERVE_ARGS:-} >srv.out 2>srv.log &
SRV=$!
for _ in $(seq 100); do grep -q '^listening' srv.out && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' srv.out)
[ -n "$URL" ] || { cat srv.log >&2; exit 1; }
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d '{"login":"dir1","password":"benchmark password"}' "$URL/api/v1/session" |
	tr -d '\r' | sed -n 's/^Set-Cookie: \(sl_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$URL/api/v1/children/C1/chronology?limit=50")
[ "$code" = 200 ] || { echo "chronology: HTTP $code" >&2; exit 1; }

# server_time METHOD ROUTE BEFORE AFTER: "p50 p99" of the server time of
# the requests to ROUTE between two /metrics texts, in ms, interpolated
# linearly within the histogram's buckets (as Prometheus's
# histogram_quantile does); ">X" when a percentile is past the last bound.
server_time() {
	local sel="safeledger_http_handler_seconds_bucket{method=\"$1\",route=\"$2\",le="
	awk -v sel="$sel" '
		index($0, sel) == 1 {
			le = substr($0, length(sel) + 2); sub(/".*/, "", le)
			if (FILENAME == ARGV[1]) before[le] = $NF; else { n++; bound[n] = le; after[n] = $NF }
		}
		function pct(q,   target, i, lo, prev, c) {
			target = q * (after[n] - before[bound[n]]); lo = 0; prev = 0
			for (i = 1; i <= n; i++) {
				c = after[i] - before[bound[i]]
				if (c >= target && c > prev) {
					if (bound[i] == "+Inf") return sprintf(">%.1fms", lo * 1000)
					return sprintf("%.2fms", (lo + (bound[i] - lo) * (target - prev) / (c - prev)) * 1000)
				}
				if (bound[i] != "+Inf") lo = bound[i]
				prev = c
			}
			return "-"
		}
		END { if (n && after[n] - before[bound[n]] > 0) print pct(0.5), pct(0.99); else print "- -" }
	' "$3" "$4"
}

# run NAME PATH ROUTE [HEADER [SCRIPT]]: wrk at 50 connections on 2
# threads (SCRIPT: a wrk Lua script, for a POST); prints a table row with
# the server time of ROUTE (the route table's pattern) beside wrk's.
ROWS=""
run() {
	local name=$1 path=$2 route=$3 hdr=${4:-} script=${5:-}
	local out method=GET
	[ -z "$script" ] || method=POST
	curl -s "$URL/metrics" >metrics.before
	out=$(wrk -t2 -c50 -d"${SECS}s" --latency ${hdr:+-H "$hdr"} ${script:+-s "$script"} "$URL$path")
	curl -s "$URL/metrics" >metrics.after
	local rps p50 p99 non2xx st
	rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
	[ -z "$non2xx" ] || { echo "$name: $non2xx non-2xx answers" >&2; echo "$out" >&2; exit 1; }
	st=$(server_time "$method" "$route" metrics.before metrics.after)
	echo "$name: $rps req/s, wrk p50 $p50, p99 $p99; server time p50 ${st% *}, p99 ${st#* }" >&2
	ROWS+="| $name | \`$method $path\` | $rps | $p50 | $p99 | ${st% *} | ${st#* } |"$'\n'
}
metric() { curl -s "$URL/metrics" | sed -n "s/^$1 //p"; }
run ceiling /log/key /log/key
run tile /log/tile/0/000 "/log/tile/{tile*}"
run chronology "/api/v1/children/C1/chronology?limit=50" "/api/v1/children/{id}/chronology" "Cookie: $cookie"
access=$(metric 'safeledger_log_size{log="access"}')
# Durable appends: each 201 is sent only once its transaction is on disk.
cat >append.lua <<LUA
wrk.method = "POST"
wrk.body = '{"kind":"note.recorded","occurred_at":"$(date -u +%Y-%m-%d)","by":{"user":"dir1"},"data":{"child":"C1","text":"benchmark note"}}'
wrk.headers["Content-Type"] = "application/json"
LUA
w0=$(metric safeledger_writes_total) g0=$(metric safeledger_write_groups_total)
run "append (durable)" /api/v1/events /api/v1/events "Cookie: $cookie" append.lua
w1=$(metric safeledger_writes_total) g1=$(metric safeledger_write_groups_total)
group=$(awk -v w=$((w1 - w0)) -v g=$((g1 - g0)) 'BEGIN { printf "%.1f", g ? w / g : 0 }')

MACHINE="$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(uname -sr)"
TABLE="<!-- http_load: begin (bench/http_load.sh writes this) -->
Measured $(date -u +%Y-%m-%d) with \`bench/http_load.sh\`: wrk, 2 threads, 50 connections,
${SECS} s per row, against one \`safeledger serve\` (options: ${BENCH_SERVE_ARGS:-the defaults})
on loopback, on the same machine as wrk ($MACHINE; load average $LOAD
before the run). The child has 5,000 events; a
chronology page is 50 of them, newest first.  *wrk* columns: the client's round trip, with
the time a request waits for a server thread and for the cores it shares with wrk. *server*
columns: DESIGN 9's server time, from the route found to the response handed to libmicrohttpd
(\`safeledger_http_handler_seconds\` in /metrics, interpolated within its buckets).

| what | request | requests/s | wrk p50 | wrk p99 | server p50 | server p99 |
|---|---|---|---|---|---|---|
$ROWS
Every chronology request was checked (session, role, access decision) and recorded in the
access log before it was answered: the access log held $access entries afterwards. Each append
is a \`note.recorded\` event validated and written through the live write path. Access records
and appends are group-committed: many requests' writes share one transaction and one fsync
(on average $group writes per transaction in the append row), and none is answered before
its transaction is durable.
<!-- http_load: end -->"

DOC=${BENCH_DOC:-$ROOT/docs/benchmarks.md}
if [ -f "$DOC" ] && grep -q '<!-- http_load: begin' "$DOC"; then
	/usr/bin/python3 - "$DOC" "$TABLE" <<'EOF'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
text = re.sub(r"<!-- http_load: begin.*?<!-- http_load: end -->", lambda m: table, text, flags=re.S)
open(path, "w").write(text)
EOF
else
	printf '\n## HTTP: chronology under load (DESIGN 9)\n\n%s\n' "$TABLE" >>"$DOC"
fi
echo "written to $DOC" >&2
