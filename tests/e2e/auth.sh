#!/usr/bin/env bash
# auth.sh - users, partner tokens and the access log through the real
# binary: `user add|list|disable|passwd` (bad role, short password, refused
# input that writes nothing), `token add|list|revoke`, reads of a child's
# record recorded by the real server and listed by `access --child`,
# sealing and break-glass (the reason logged, the notice on the case
# ledger), `verify` of both logs, `checkpoint`/`prove --log access`, and
# tampering with an access-log row caught by verify.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_RULES=$ROOT/tests/data/rules-off.conf


start_server() {
	serve t.db --threads 2
	ok
}
# req METHOD PATH [curl args...]: sets CODE and BODY.
req() {
	local method=$1 path=$2; shift 2
	CODE=$(curl -s -o body.out -w '%{http_code}' -X "$method" "$@" "$URL$path")
	BODY=$(cat body.out)
}
expect_code() { [ "$CODE" = "$1" ] || fail "$2: HTTP $CODE, expected $1: $BODY"; ok; }
# sign_in LOGIN PASSWORD: sets COOKIE (sl_session=...) or fails.
sign_in() {
	CODE=$(curl -s -o body.out -D hdr.out -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		--data "{\"login\":\"$1\",\"password\":\"$2\"}" "$URL/api/v1/session")
	BODY=$(cat body.out)
	COOKIE=$(tr -d '\r' <hdr.out | sed -n 's/^[Ss]et-[Cc]ookie: \(sl_session=[^;]*\).*/\1/p')
}

PW='correct horse battery'
"$SL" init --db t.db --origin auth.example/safeledger >/dev/null
cat >family.jsonl <<'EOF'
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"tm"},"data":{"id":"C1","role":"child","name":"Ann","born":"2016-05-01"}}
{"kind":"person.registered","occurred_at":"2024-01-02","by":{"user":"tm"},"data":{"id":"C2","role":"child","name":"Ben","born":"2017-05-01"}}
{"kind":"case.allocated","occurred_at":"2024-01-03","by":{"user":"tm"},"data":{"child":"C1","worker":"alice","team":"north"}}
{"kind":"case.allocated","occurred_at":"2024-01-03","by":{"user":"tm"},"data":{"child":"C2","worker":"carol","team":"south"}}
EOF
"$SL" import --db t.db --quiet family.jsonl >/dev/null

# --- users ----------------------------------------------------------------
expect_ok "user add" sh -c "printf '%s\n' '$PW' | '$SL' user add alice --db t.db --role social_worker --team north --name 'Alice Adams'"
contains "$OUT" "added alice" "user add says so"
printf '%s\n' "$PW" | "$SL" user add bob --db t.db --role social_worker --team north >/dev/null
printf '%s\n' "$PW" | "$SL" user add rev --db t.db --role reviewer >/dev/null
printf '%s\n' "$PW" | "$SL" user add root --db t.db --role admin >/dev/null
before=$("$SL" user list --db t.db --json | sha256sum)
expect_fail "bad role" sh -c "printf '%s\n' '$PW' | '$SL' user add x --db t.db --role chef"
contains "$ERR" "role: \`chef\` is not one of social_worker" "bad role named"
expect_fail "short password" sh -c "printf 'short\n' | '$SL' user add x --db t.db --role admin"
contains "$ERR" "password: at least 12 characters" "short password named"
expect_fail "no password" sh -c "'$SL' user add x --db t.db --role admin </dev/null"
contains "$ERR" "no password on stdin" "missing password named"
expect_fail "duplicate login" sh -c "printf '%s\n' '$PW' | '$SL' user add alice --db t.db --role admin"
contains "$ERR" "already exists" "duplicate named"
expect_fail "bad login" sh -c "printf '%s\n' '$PW' | '$SL' user add 'a b' --db t.db --role admin"
contains "$ERR" "login:" "bad login named"
expect_fail "sql in login" sh -c "printf '%s\n' '$PW' | '$SL' user add \"x'; DROP TABLE app_user;--\" --db t.db --role admin"
expect_fail "manager without team" sh -c "printf '%s\n' '$PW' | '$SL' user add m --db t.db --role team_manager"
contains "$ERR" "team manager needs a team" "manager team named"
expect_fail "partner as user" sh -c "printf '%s\n' '$PW' | '$SL' user add p --db t.db --role partner"
contains "$ERR" "token add" "partner pointed at tokens"
if "$SL" user add x --db t.db </dev/null >/dev/null 2>&1; then fail "user add without --role"; else ok; fi
after=$("$SL" user list --db t.db --json | sha256sum)
[ "$before" = "$after" ] || fail "a refused user add changed the users"; ok

# on a terminal: asked twice, not echoed; two different answers change nothing
cat >prompt_pw.py <<'PY'
import os, pty, select, sys, time
sl, db, login, first, second = sys.argv[1:6]
pid, fd = pty.fork()
if pid == 0:
    os.execv(sl, [sl, "user", "add", login, "--db", db, "--role", "admin"])
seen = b""
def until(marker):
    global seen
    end = time.time() + 20
    while marker not in seen and time.time() < end:
        if select.select([fd], [], [], 0.5)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    if marker not in seen:
        sys.exit("no prompt %r in %r" % (marker, seen))
until(b"New password for " + login.encode() + b": ")
os.write(fd, first.encode() + b"\n")
until(b"Again: ")
os.write(fd, second.encode() + b"\n")
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
_, status = os.waitpid(pid, 0)
if first.encode() in seen:
    sys.exit("the password was echoed: %r" % seen)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
expect_ok "prompted twice" "$PY" prompt_pw.py "$SL" t.db carol "$PW" "$PW"
contains "$OUT" "added carol" "prompted user added"
expect_fail "prompted passwords differ" "$PY" prompt_pw.py "$SL" t.db dan "$PW" "another one entirely"
"$SL" user list --db t.db | grep -q '^dan ' && fail "a mismatched prompt added the user"
ok

expect_ok "user list" "$SL" user list --db t.db
contains "$OUT" "alice                    social_worker   north" "list row"
contains "$OUT" "Alice Adams" "list name"
expect_ok "user list --json" "$SL" user list --db t.db --json
contains "$OUT" '{"login":"alice","role":"social_worker","team":"north","name":"Alice Adams","disabled":false}' "json row"
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 5 ] || fail "five users: $OUT"; ok
if sqlite3 t.db "SELECT password FROM app_user" | grep -q "$PW"; then fail "a password is stored in clear"; fi
sqlite3 t.db "SELECT password FROM app_user WHERE login = 'alice'" | grep -q '^\$argon2id\$' || fail "not argon2id"; ok

# --- partner tokens ---------------------------------------------------------
expect_ok "token add" "$SL" token add --db t.db --agency police --name pnc
TOKEN=$OUT
[ ${#TOKEN} -eq 43 ] || fail "token of ${#TOKEN} characters: $TOKEN"; ok
if sqlite3 t.db .dump | grep -q "$TOKEN"; then fail "token stored in clear"; fi
expect_fail "duplicate token name" "$SL" token add --db t.db --agency police --name pnc
contains "$ERR" "already has a token named" "duplicate token named"
expect_fail "bad agency" "$SL" token add --db t.db --agency mi5 --name x
contains "$ERR" "agency: one of police" "agency list"
expect_ok "token list" "$SL" token list --db t.db --json
contains "$OUT" '"agency":"police","name":"pnc"' "token listed"
case "$OUT" in *"$TOKEN"*) fail "token list shows the token" ;; *) ok ;; esac
"$SL" token add --db t.db --agency health --name gp >/dev/null 2>&1
expect_ok "token revoke" "$SL" token revoke --db t.db --agency health --name gp
expect_ok "token list after revoke" "$SL" token list --db t.db
contains "$OUT" "health" "revoked token still listed"
expect_fail "revoke twice" "$SL" token revoke --db t.db --agency health --name gp

# --- reads through the server land in the access log -----------------------
expect_ok "empty access list" "$SL" access --db t.db --child C1
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "no reads yet: $OUT"; ok
start_server
sign_in alice "$PW"
expect_code 200 "alice signs in"
[ -n "$COOKIE" ] || fail "no session cookie"; ok
req GET /api/v1/children/C1 -H "Cookie: $COOKIE"
expect_code 200 "alice reads her child"
req GET /api/v1/children/C2 -H "Cookie: $COOKIE"
expect_code 403 "alice may not read another team's child"
req GET /api/v1/children/C1 -H "Authorization: Bearer $TOKEN"
expect_code 403 "a partner reads no child's record"
sign_in rev "$PW"
REV=$COOKIE
req GET /api/v1/children/C1 -H "Cookie: $REV"
expect_code 403 "a reviewer without a grant"

expect_ok "access list" "$SL" access --db t.db --child C1 --json
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ] || fail "one read of C1: $OUT"; ok
contains "$OUT" '"seq":1,' "first access entry"
contains "$OUT" '"user":"alice","role":"social_worker","route":"GET /api/v1/children/{id}"' "who, how"
expect_ok "no reads of C2" "$SL" access --db t.db --child C2 --json
[ -z "$OUT" ] || fail "a refused read was recorded as a read: $OUT"; ok

# a grant, then a seal: the grant holds, others need break-glass
stop_server
cat >seal.jsonl <<'EOF'
{"kind":"access.granted","occurred_at":"2024-02-01","by":{"user":"sm"},"data":{"child":"C1","user":"rev","reason":"serious case review"}}
{"kind":"record.sealed","occurred_at":"2024-02-01","by":{"user":"sm"},"data":{"child":"C1","reason":"adoption"}}
EOF
"$SL" append --db t.db seal.jsonl >/dev/null
start_server
sign_in bob "$PW"
BOB=$COOKIE
req GET /api/v1/children/C1 -H "Cookie: $BOB"
expect_code 403 "sealed without a reason"
contains "$BODY" "X-Break-Glass-Reason" "the refusal names break-glass"
req GET /api/v1/children/C1 -H "Cookie: $BOB" -H "X-Break-Glass-Reason: police at the door, duty worker"
expect_code 200 "break-glass opens it"
sign_in rev "$PW"
req GET /api/v1/children/C1 -H "Cookie: $COOKIE"
expect_code 200 "the reviewer's grant opens the sealed record"
req GET /api/v1/children/C1 -H "Cookie: $COOKIE" -H "X-Break-Glass-Reason: nosy"
expect_code 200 "a grant needs no break-glass"
stop_server

expect_ok "access list after break-glass" "$SL" access --db t.db --child C1
contains "$OUT" "bob" "break-glass user listed"
contains "$OUT" "BREAK-GLASS: police at the door, duty worker" "break-glass reason listed"
[ "$(printf '%s\n' "$OUT" | grep -c BREAK-GLASS)" -eq 1 ] || fail "only bob broke the glass: $OUT"; ok
expect_ok "events of C1" "$SL" events --db t.db --child C1
contains "$OUT" '"kind":"access.break_glass"' "the notice is on the case ledger"
contains "$OUT" '"reason":"police at the door, duty worker"' "the notice carries the reason"
expect_fail "access of a bad id" "$SL" access --db t.db --child 'C1; rm -rf /'
contains "$ERR" "not a person id" "bad child named"
if "$SL" access --db t.db >/dev/null 2>&1; then fail "access without --child"; else ok; fi

# --- passwd and disable ----------------------------------------------------
expect_ok "passwd" sh -c "printf 'a brand new passphrase\n' | '$SL' user passwd alice --db t.db"
expect_fail "passwd too short" sh -c "printf 'short\n' | '$SL' user passwd alice --db t.db"
expect_fail "passwd of nobody" sh -c "printf '%s\n' '$PW' | '$SL' user passwd nobody --db t.db"
contains "$ERR" "no user with login" "unknown user named"
start_server
sign_in alice "$PW"
expect_code 401 "the old password no longer works"
sign_in alice "a brand new passphrase"
expect_code 200 "the new password works"
ALICE=$COOKIE
req GET /api/v1/children/C1 -H "Cookie: $ALICE" -H "X-Break-Glass-Reason: checking"
expect_code 200 "alice breaks the glass too"
expect_ok "disable" "$SL" user disable alice --db t.db
req GET /api/v1/children/C1 -H "Cookie: $ALICE" -H "X-Break-Glass-Reason: checking"
expect_code 401 "disabling ends the session"
sign_in alice "a brand new passphrase"
expect_code 401 "a disabled user cannot sign in"
contains "$BODY" "disabled" "disabled named"
stop_server
expect_ok "list shows disabled" "$SL" user list --db t.db
contains "$OUT" "disabled" "disabled state listed"
expect_fail "disable nobody" "$SL" user disable nobody --db t.db

# --- both logs verify; checkpoints and proofs of the access log -------------
expect_ok "verify" "$SL" verify --db t.db
contains "$OUT" "ok: access log: 5 entries" "access log verified"
expect_ok "checkpoint --log access" "$SL" checkpoint --db t.db --log access
contains "$OUT" "auth.example/safeledger/access
5
" "access checkpoint origin and size"
expect_ok "prove --log access" "$SL" prove 2 --db t.db --log access --json
contains "$OUT" '"seq":2,"tree_size":5' "access proof"
expect_fail "bad --log" "$SL" checkpoint --db t.db --log other
expect_ok "verify after signing" "$SL" verify --db t.db
contains "$OUT" "ok: access log: 5 entries, " "access log after signing"
case "$OUT" in *"access log: 5 entries, 0 signed"*) fail "no access checkpoint checked: $OUT" ;; *) ok ;; esac

# --- tampering with the access log ------------------------------------------
copy() { cp t.db "$1"; cp t.db.key "$1.key"; }
copy trig.db
if sqlite3 trig.db "UPDATE access_log SET kind = 'x' WHERE seq = 1" 2>err.txt; then fail "UPDATE allowed"; fi
contains "$(cat err.txt)" "append-only" "access log update trigger"
if sqlite3 trig.db "DELETE FROM access_log WHERE seq = 1" 2>err.txt; then fail "DELETE allowed"; fi
contains "$(cat err.txt)" "append-only" "access log delete trigger"
sqlt() { sqlite3 "$1" "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete; $2"; }
copy edit.db
sqlt edit.db "UPDATE access_log SET entry = replace(entry, '\"user\":\"bob\"', '\"user\":\"eve\"') WHERE seq = 2"
[ "$(sqlite3 edit.db "SELECT count(*) FROM access_log WHERE entry LIKE '%eve%'")" = 1 ] || fail "tamper did not apply"
expect_fail "edited access entry" "$SL" verify --db edit.db
contains "$ERR" "access log: seq 2" "edit names the access log's seq 2"
copy del.db
sqlt del.db "DELETE FROM access_log WHERE seq = 3"
expect_fail "deleted access entry" "$SL" verify --db del.db
contains "$ERR" "access log: seq 3" "delete names seq 3"
expect_ok "original still verifies" "$SL" verify --db t.db

done_ok
