#!/usr/bin/env bash
# http.sh - the real server on a loopback port, driven with curl and raw
# sockets: health and metrics, both logs as C2SP tlog-tiles checked by an
# outside verifier (tests/tools/tlog_verify.py), routing errors, limits,
# hostile requests (traversal, NUL, invalid UTF-8, header injection, huge
# and slow bodies, slowloris), security headers, the request log, signing
# in and out (cookie flags, Origin, media type, wrong password, expiry),
# bearer tokens where only sessions go, TLS, and a graceful SIGTERM with a
# request in flight.
. "$(dirname "$0")/lib.sh"
# The server's own test: alerts the rules raise would add events of their own.
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf

# start_server [OPTIONS]: serve t.db on a free loopback port; sets URL.
start_server() {
	serve t.db --timeout 3 --max-body 65536 --threads 2 --checkpoint-interval 200 "$@"
	[ "$(wc -l <srv.out)" -eq 1 ] || fail "more than one line on stdout"
	ok
}

# req METHOD PATH [curl args...]: sets CODE, BODY (body file) and HDR (headers file).
req() {
	local method=$1 path=$2; shift 2
	CODE=$(curl -s -k --path-as-is -o body.out -D hdr.out -w '%{http_code}' -X "$method" "$@" "$URL$path")
	BODY=$(tr -d '\0' <body.out)
	HDR=$(tr -d '\r' <hdr.out)
}
expect_code() { # expect_code WANT WHAT
	[ "$CODE" = "$1" ] || fail "$2: HTTP $CODE, expected $1: $BODY"
	ok
}
header() { printf '%s\n' "$HDR" | grep -i "^$1:" | head -1 | cut -d' ' -f2-; }

"$SL" init --db t.db --origin http.example/safeledger >/dev/null
# 600 events: two full level-0 tiles, a partial one of 88, and a level-1 tile
"$PY" "$TOOLS/gen_events.py" 600 7 >ev.jsonl
"$SL" import --db t.db --quiet ev.jsonl >/dev/null
VKEY=$("$SL" key --db t.db)
printf 'correct horse battery\n' | "$SL" user add alice --db t.db --role social_worker --team north >/dev/null
PARTNER=$("$SL" token add --db t.db --agency police --name pnc 2>/dev/null | tail -1)
before=$(fingerprint t.db)

start_server

# --- health, metrics, the transparency endpoints ---------------------------
req GET /healthz
expect_code 200 healthz
[ "$BODY" = ok ] || fail "healthz body: $BODY"
[ "$(header Cache-Control)" = no-store ] || fail "healthz Cache-Control: $(header Cache-Control)"
contains "$(header Content-Security-Policy)" "default-src 'self'; frame-ancestors 'none'" "CSP"
[ "$(header X-Content-Type-Options)" = nosniff ] || fail "nosniff"; ok
[ "$(header Referrer-Policy)" = same-origin ] || fail "Referrer-Policy"; ok

req GET /log/key
expect_code 200 key
[ "$BODY" = "$VKEY" ] || fail "served key $BODY, CLI key $VKEY"; ok
contains "$(header Content-Type)" "text/plain" "key type"

req GET /log/checkpoint
expect_code 200 checkpoint
[ "$BODY" = "$("$SL" checkpoint --db t.db --no-sign)" ] || fail "served checkpoint differs from the CLI's"; ok
contains "$(header Content-Type)" "text/plain; charset=utf-8" "checkpoint type"
[ "$(header Cache-Control)" = no-cache ] || fail "checkpoint Cache-Control: $(header Cache-Control)"; ok

req GET /log/tile/0/000
expect_code 200 "full tile"
[ "$(stat -c %s body.out)" = 8192 ] || fail "full tile size $(stat -c %s body.out)"; ok
contains "$(header Cache-Control)" "immutable" "full tile cached"
contains "$(header Content-Type)" "application/octet-stream" "tile type"
req GET /log/tile/0/002.p/88
expect_code 200 "partial tile"
[ "$(stat -c %s body.out)" = $((88 * 32)) ] || fail "partial tile size"; ok
req GET /log/tile/0/002.p/40
expect_code 200 "a narrower partial tile (an older checkpoint's)"
[ "$(stat -c %s body.out)" = $((40 * 32)) ] || fail "narrow tile size"; ok
cmp <(head -c 1280 <(curl -s "$URL/log/tile/0/002.p/88")) body.out || fail "a narrower tile is not the prefix"; ok
req GET /log/tile/1/000.p/2
expect_code 200 "level-1 tile"
for p in /log/tile/0/002.p/89 /log/tile/0/003 /log/tile/0/002 /log/tile/00/000 /log/tile/0/0 /log/tile/0/x000/000 \
	/log/tile/64/000 /log/tile/0/000.p/0 /log/tile/0/000.p/256 /log/tile/entries/003 /log/tile/x; do
	req GET "$p"
	expect_code 404 "GET $p"
done
req GET /log/tile/entries/002.p/88
expect_code 200 "entry bundle"

# the outside verifier: signature, root from the tiles, every tile against
# the one above, every entry against its leaf hash, and one inclusion
expect_ok "prove" "$SL" prove 300 --db t.db --json
leaf=$(printf '%s' "$OUT" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["leaf_hash"])')
expect_ok "tlog verifier (case ledger)" "$PY" "$TOOLS/tlog_verify.py" "$URL/log" --vkey "$VKEY" \
	--origin http.example/safeledger --leaf "$leaf" --index 299 --entries --deep
contains "$OUT" "http.example/safeledger 600 " "verifier output"
# a leaf that is not there fails the same verifier
expect_fail "tlog verifier, wrong leaf" "$PY" "$TOOLS/tlog_verify.py" "$URL/log" --vkey "$VKEY" \
	--leaf "$leaf" --index 298
expect_fail "tlog verifier, wrong key" "$PY" "$TOOLS/tlog_verify.py" "$URL/log" \
	--vkey "$("$SL" key --db t.db | sed 's/+[0-9a-f]\{8\}+/+00000000+/')"
# the access log: its own origin, the same key, verified the same way
expect_ok "tlog verifier (access log)" "$PY" "$TOOLS/tlog_verify.py" "$URL/access-log" --vkey "$VKEY" \
	--origin http.example/safeledger/access --entries --deep
req GET /access-log/key
[ "$BODY" = "$VKEY" ] || fail "access-log key"; ok

req GET /metrics
expect_code 200 metrics
contains "$BODY" 'safeledger_log_size{log="cases"} 600' "metrics: ledger size"
contains "$BODY" 'safeledger_log_size{log="access"}' "metrics: access log size"
contains "$BODY" 'safeledger_alerts_open 0' "metrics: open alerts"
contains "$BODY" 'safeledger_http_requests_total{method="GET",route="/log/tile/{tile*}",status="200"}' "metrics: by route"
contains "$BODY" 'safeledger_http_requests_total{method="GET",route="/log/tile/{tile*}",status="404"}' "metrics: 404s"
contains "$BODY" 'safeledger_http_request_duration_seconds_bucket{le="+Inf"}' "metrics: histogram"

# --- routing errors --------------------------------------------------------
req GET /nowhere
expect_code 404 "unknown path"
contains "$(header Content-Type)" "application/problem+json" "404 is a problem"
contains "$BODY" '"status":404' "404 body"
req POST /log/checkpoint
expect_code 405 "wrong method"
[ "$(header Allow)" = "GET, HEAD" ] || fail "Allow: $(header Allow)"; ok
req HEAD /log/checkpoint -I
expect_code 200 "HEAD"
req DELETE /api/v1/session
expect_code 401 "sign out without a session"
contains "$BODY" "sign in" "401 says what to do"

# --- hostile paths, queries and headers ------------------------------------
for p in '/log/../../etc/passwd' '/log/%2e%2e/%2e%2e/etc/passwd' '/log/%2E%2E/key' '/log/./checkpoint' \
	'/log/tile/0/%00' '/log/tile%2F..%2Fkey' '/log/%ff' '/log/%c0%af' '/log/%' '/log/%0d%0aSet-Cookie:%20x=1' \
	"/healthz?a=%ff" "/healthz?a=%00" "/healthz?a=%zz" "/log/checkpoint?x=1'%20OR%201=1;--"; do
	req GET "$p"
	case "$p" in "/log/checkpoint?x=1'"*) expect_code 200 "SQL in a query is only text" ;; *) expect_code 400 "GET $p" ;; esac
	[ -z "$(header Set-Cookie)" ] || fail "GET $p set a cookie"
done
grep -q '"refused":"bad path"' srv.log || fail "bad paths are not logged as refused"; ok

# raw requests curl would not send: a bare CR in a header, a header
# without a colon, an invalid UTF-8 path, a NUL in the request line
raw() { # raw BYTES: prints the status code of the answer (or "closed")
	"$PY" - "$URL" "$1" <<'EOF'
import socket, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
s = socket.create_connection((u.hostname, u.port), timeout=5)
s.sendall(sys.argv[2].encode("latin-1").decode("unicode_escape").encode("latin-1"))
data = b""
try:
    while b"\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    pass
print(data.split(b" ")[1].decode() if data.startswith(b"HTTP/1.") else "closed")
EOF
}
for r in 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n' \
	'GET /healthz HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n' \
	'GET /log/\xff\xfe HTTP/1.1\r\nHost: a\r\n\r\n' \
	'GET /log/a\x00b HTTP/1.1\r\nHost: a\r\n\r\n'; do
	code=$(raw "$r")
	case "$code" in 4??|closed) ok ;; *) fail "raw request $r: $code" ;; esac
done
req GET /healthz
expect_code 200 "still serving after hostile requests"

# --- bodies: media type, origin, size --------------------------------------
req POST /api/v1/session -H 'Content-Type: text/plain' --data '{"login":"alice","password":"correct horse battery"}'
expect_code 415 "login as text/plain"
req POST /api/v1/session -H 'Content-Type: application/json' -H 'Origin: http://evil.example' \
	--data '{"login":"alice","password":"correct horse battery"}'
expect_code 403 "login from another origin"
grep -q '"refused":"cross-origin write"' srv.log || fail "cross-origin refusal not logged"; ok
req POST /api/v1/session -H 'Content-Type: application/x-www-form-urlencoded' --data 'login=alice&password=x'
expect_code 403 "form post without a CSRF token"
head -c 70000 /dev/zero | tr '\0' a >big.txt
req POST /api/v1/session -H 'Content-Type: application/json' --data-binary @big.txt
expect_code 413 "body over --max-body (Content-Length)"
contains "$(header Content-Type)" "application/problem+json" "413 is a problem"
req POST /api/v1/session -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @big.txt
expect_code 413 "chunked body over --max-body"
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"login":"alice",'
expect_code 400 "bad JSON"
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"login":"alice","password":"x","role":"admin"}'
expect_code 400 "unknown field"
contains "$BODY" '"field":"role"' "the problem names the field"
req POST /api/v1/session -H 'Content-Type: application/json' --data $'{"login":"alice\xff","password":"x"}'
expect_code 400 "invalid UTF-8 in JSON"
req POST /api/v1/session -H 'Content-Type: application/json' --data "{\"login\":\"alice' OR '1'='1\",\"password\":\"x' OR 1=1;--\"}"
expect_code 401 "SQL metacharacters in a login"

# --- signing in and out ----------------------------------------------------
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"login":"alice","password":"wrong password!"}'
expect_code 401 "wrong password"
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"login":"nobody","password":"wrong password!"}'
expect_code 401 "unknown login"
req POST /api/v1/session -H 'Content-Type: application/json' -H "Origin: $URL" \
	--data '{"login":"alice","password":"correct horse battery"}'
expect_code 200 "sign in"
[ "$BODY" = '{"login":"alice","role":"social_worker"}' ] || fail "sign-in body: $BODY"; ok
cookie=$(header Set-Cookie)
contains "$cookie" "sl_session=" "session cookie"
contains "$cookie" "HttpOnly" "cookie HttpOnly"
contains "$cookie" "SameSite=Strict" "cookie SameSite"
contains "$cookie" "Path=/" "cookie Path"
case "$cookie" in *Secure*) fail "Secure cookie over plain HTTP" ;; esac; ok
token=${cookie#sl_session=}; token=${token%%;*}
grep -q "correct horse" srv.log && fail "a password reached the log"; ok
grep -q "$token" srv.log && fail "a session token reached the log"; ok
grep -q '"route":"/api/v1/session","status":200,.*"user":"alice"' srv.log || fail "sign-in not logged with its user"; ok

# bearer tokens: a valid one where only sessions go is 403, a bad one 401
req DELETE /api/v1/session -H "Authorization: Bearer $PARTNER"
expect_code 403 "partner token on a session route"
req DELETE /api/v1/session -H "Authorization: Bearer not-a-token"
expect_code 401 "unknown bearer token"
req DELETE /api/v1/session -H "Authorization: Basic YWxpY2U6eA=="
expect_code 401 "not a bearer credential"

req DELETE /api/v1/session -H "Cookie: sl_session=$token"
expect_code 204 "sign out"
contains "$(header Set-Cookie)" "Max-Age=0" "sign out clears the cookie"
req DELETE /api/v1/session -H "Cookie: sl_session=$token"
expect_code 401 "the session is gone"

# --- a read of a child's record lands in the access log, publicly verifiable
printf 'correct horse battery\n' | "$SL" user add dora --db t.db --role director >/dev/null
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"login":"dora","password":"correct horse battery"}'
expect_code 200 "director signs in"
cookie=$(header Set-Cookie); dtoken=${cookie#sl_session=}; dtoken=${dtoken%%;*}
req GET /api/v1/children/C1 -H "Cookie: sl_session=$dtoken"
expect_code 200 "a child's record"
for _ in $(seq 50); do # the server signs within --checkpoint-interval
	[ "$(curl -s "$URL/access-log/checkpoint" | sed -n 2p)" = 1 ] && break
	sleep 0.1
done
expect_ok "prove the access entry" "$SL" prove 1 --log access --db t.db --json
aleaf=$(printf '%s' "$OUT" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["leaf_hash"])')
expect_ok "tlog verifier (access log, one read)" "$PY" "$TOOLS/tlog_verify.py" "$URL/access-log" --vkey "$VKEY" \
	--origin http.example/safeledger/access --leaf "$aleaf" --index 0 --entries
contains "$OUT" "http.example/safeledger/access 1 " "the access log holds the read"
curl -s "$URL/access-log/tile/entries/000.p/1" >entries.bin
grep -q -e C1 -e dora entries.bin && fail "the public access log names the child or the user"; ok
expect_ok "who looked" "$SL" access --child C1 --db t.db
contains "$OUT" dora "the access listing names the reader"

# --- slow senders ----------------------------------------------------------
# slowloris: a header line every second, never finishing; --timeout 3 drops it
"$PY" - "$URL" >slow.out <<'EOF' &
import socket, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
s = socket.create_connection((u.hostname, u.port))
s.settimeout(1.5)
start = time.time()
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: a\r\n")
try:
    for i in range(15):
        s.sendall(b"X-Slow-%d: x\r\n" % i)
        try:
            if s.recv(1) == b"":
                break
        except socket.timeout:
            pass
except (BrokenPipeError, ConnectionResetError):
    pass
print("dropped after %.0f s" % (time.time() - start))
EOF
slow=$!
sleep 1
req GET /healthz
expect_code 200 "others are served during a slowloris"
wait $slow
read -r _ _ secs _ <slow.out
[ "$secs" -le 6 ] || fail "the slow sender was kept for $secs s"; ok
req GET /metrics
contains "$BODY" "safeledger_http_slow_requests_dropped_total 1" "slow drop counted"

# --- graceful stop with a request in flight --------------------------------
# the body trickles in over two seconds; SIGTERM arrives in the middle; the
# request is still answered, and then the server exits 0
"$PY" - "$URL" >inflight.out <<'EOF' &
import socket, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
s = socket.create_connection((u.hostname, u.port), timeout=10)
body = b'{"login":"alice","password":"correct horse battery"}'
s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body))
for i in range(0, len(body), 4):
    s.sendall(body[i:i + 4])
    time.sleep(2.0 / (len(body) / 4))
data = b""
while True:
    c = s.recv(4096)
    if not c:
        break
    data += c
print(data.split(b"\r\n")[0].decode())
EOF
inflight=$!
sleep 0.7
kill -TERM "$SRV"
wait $inflight
contains "$(cat inflight.out)" "HTTP/1.1 200" "the request in flight was answered"
wait "$SRV" || fail "the server did not exit 0 on SIGTERM"
SRV=
ok
grep -q '"event":"stopped"' srv.log || fail "no stop line"; ok
expect_ok "verify after the stop" "$SL" verify --db t.db
[ "$(fingerprint t.db)" = "$before" ] || fail "hostile requests changed the ledger"; ok

# --- session expiry --------------------------------------------------------
start_server --session-idle 1 --session-max 60
req POST /api/v1/session -H 'Content-Type: application/json' --data '{"login":"alice","password":"correct horse battery"}'
expect_code 200 "sign in (short sessions)"
cookie=$(header Set-Cookie); token=${cookie#sl_session=}; token=${token%%;*}
sleep 2.5
req DELETE /api/v1/session -H "Cookie: sl_session=$token"
expect_code 401 "an idle session expires"
stop_server

# --- TLS -------------------------------------------------------------------
if command -v openssl >/dev/null; then
	openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.crt -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 \
		>/dev/null 2>&1 || fail "openssl"
	start_server --tls-cert tls.crt --tls-key tls.key
	case "$URL" in https://*) ok ;; *) fail "TLS URL $URL" ;; esac
	req GET /healthz
	expect_code 200 "healthz over TLS"
	contains "$(header Strict-Transport-Security)" "max-age=" "HSTS"
	req POST /api/v1/session -H 'Content-Type: application/json' --data '{"login":"alice","password":"correct horse battery"}'
	expect_code 200 "sign in over TLS"
	contains "$(header Set-Cookie)" "; Secure" "Secure cookie under TLS"
	expect_ok "tlog verifier over TLS" env SSL_CERT_FILE="$WORK/tls.crt" "$PY" "$TOOLS/tlog_verify.py" \
		"$URL/log" --vkey "$VKEY"
	stop_server
	expect_fail "a key that is not the certificate's" "$SL" serve --db t.db --listen 127.0.0.1:0 \
		--tls-cert tls.crt --tls-key tls.crt
fi

# --- bad options -----------------------------------------------------------
expect_fail "no port" "$SL" serve --db t.db --listen 127.0.0.1
contains "$ERR" "ADDR:PORT" "names the listen format"
expect_fail "half TLS" "$SL" serve --db t.db --tls-cert tls.crt
expect_fail "no database" "$SL" serve --db missing.db --listen 127.0.0.1:0
done_ok
