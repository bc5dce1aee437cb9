#!/usr/bin/env bash
# pages.sh - the web pages over HTTP against the real server on a loopback
# port, driven by curl with cookie jars as a browser without JavaScript
# would: a signed-out visitor is sent to /sign-in, the sign-in form (its
# double-submit token, a wrong password, success), CSRF refusal of a form
# post without the token, a record form with a validation error (shown next
# to its field, nothing written) and a valid visit, acknowledging an alert
# on My work, static assets (content types, traversal and symlinks
# refused), and every page's HTML with a child whose name is hostile markup.
. "$(dirname "$0")/lib.sh"
export SAFELEDGER_TODAY=2024-06-03


"$SL" init --db t.db --origin pages.example/safeledger >/dev/null
"$SL" import --db t.db --quiet "$ROOT/tests/data/api_fixture.jsonl" >/dev/null
PW='correct horse battery'
adduser() { printf '%s\n' "$PW" | "$SL" user add "$1" --db t.db --role "$2" ${3:+--team "$3"} >/dev/null; }
adduser sw1 social_worker north
adduser tm1 team_manager north
adduser sm1 senior_manager
adduser adm1 admin

# Assets from a directory of our own: web/static as in the tree, the real
# govuk-frontend when installed, and a symlink pointing out of the root.
mkdir -p assets/web/static
cp "$ROOT/web/static/app.css" "$ROOT/web/static/app.js" assets/web/static/
echo 'secret' >outside.css
ln -s "$WORK/outside.css" assets/web/static/escape.css
[ -d "$ROOT/node_modules" ] && ln -s "$ROOT/node_modules" assets/node_modules

serve t.db --timeout 5 --threads 2 --assets "$WORK/assets" --checkpoint-interval 200

ledger_size() { "$SL" export --db t.db | wc -l; }

# --- signed out ---------------------------------------------------------------------------
get jar.none /
expect_code 303 "a signed-out visitor at /"
[ "$LOC" = /sign-in ] || fail "/ should lead to /sign-in, not '$LOC'"
ok
get jar.none /my-work
expect_code 303 "a signed-out visitor at /my-work"
[ "$LOC" = "/sign-in?next=%2Fmy-work" ] || fail "/my-work should lead to sign-in with next, not '$LOC'"
ok
get jar.none /children/C1/record/visit
expect_code 303 "a signed-out visitor at a record form"
get jar.none /sign-in
expect_code 200 "the sign-in page"
contains "$BODY" 'name="login"' "the sign-in form's login field"
contains "$BODY" 'name="password"' "the sign-in form's password field"
contains "$BODY" 'action="/sign-in"' "the sign-in form's action"
grep -qi '^set-cookie: sl_signin=' head.out || fail "the sign-in page sets its form cookie"
ok
grep -qi '^content-type: text/html; charset=utf-8' head.out || fail "pages are text/html"
ok
grep -qi "^content-security-policy: default-src 'self'" head.out || fail "pages carry the CSP"
ok
if printf '%s' "$BODY" | grep -qi '<script>\|<script [^>]*>[^<]\|style='; then fail "inline script or style on the sign-in page"; fi
ok

# --- signing in ---------------------------------------------------------------------------
signin jar.sw1 sw1 'wrong password'
expect_code 403 "a wrong password"
contains "$BODY" "govuk-error-summary" "a wrong password shows the error summary"
contains "$BODY" "wrong login or password" "a wrong password says so"
grep -qi '^set-cookie: sl_session=' head.out && fail "a wrong password set a session cookie"
ok
token=$(field_value csrf)
post jar.sw1 /sign-in --data-urlencode "csrf=$token" --data-urlencode "login=sw1" --data-urlencode "password="
expect_code 422 "an empty password"
contains "$BODY" 'href="#password">Enter your password' "an empty password names the field"
# no form token, or another one: refused, nothing signed in
post jar.sw1 /sign-in --data-urlencode "login=sw1" --data-urlencode "password=$PW"
expect_code 403 "sign-in without the form token"
grep -qi '^set-cookie: sl_session=' head.out && fail "sign-in without the form token set a session"
ok
post jar.other /sign-in --data-urlencode "csrf=$token" --data-urlencode "login=sw1" --data-urlencode "password=$PW"
expect_code 403 "sign-in with another browser's form token"
post jar.sw1 /sign-in -H "Origin: http://evil.example" --data-urlencode "csrf=$token" \
	--data-urlencode "login=sw1" --data-urlencode "password=$PW"
expect_code 403 "sign-in posted from another origin"
signin jar.sw1 sw1 "$PW"
expect_code 303 "signing in"
[ "$LOC" = /my-work ] || fail "a social worker starts on /my-work, not '$LOC'"
ok
grep -qi '^set-cookie: sl_session=.*HttpOnly.*SameSite=Strict' head.out || fail "the session cookie"
ok
get jar.sw1 /
[ "$CODE" = 303 ] && [ "$LOC" = /my-work ] || fail "/ signed in: $CODE $LOC"
ok
# next: back where the visitor was going, and only to a local page
get jar.tmp /sign-in?next=/children/C1/record/note
token=$(field_value csrf)
contains "$BODY" 'name="next" value="/children/C1/record/note"' "next kept in the form"
post jar.tmp /sign-in --data-urlencode "csrf=$token" --data-urlencode "login=sw1" --data-urlencode "password=$PW" \
	--data-urlencode "next=/children/C1/record/note"
[ "$LOC" = /children/C1/record/note ] || fail "next after sign-in: '$LOC'"
ok
signin jar.adm1 adm1 "$PW"
[ "$LOC" = / ] || fail "an admin has no case pages: '$LOC'"
ok
get jar.adm1 /
expect_code 200 "an admin's start page"
get jar.adm1 /my-work
expect_code 403 "an admin on My work"
contains "$BODY" "govuk-heading-l" "a refusal is an HTML page"

# --- CSRF on form posts -------------------------------------------------------------------
get jar.sw1 /my-work
expect_code 200 "My work"
CSRF=$(field_value csrf)
[ -n "$CSRF" ] || fail "no csrf field on My work"
ok
n0=$(ledger_size)
post jar.sw1 /children/C1/record/visit -d occurred-day=3 -d occurred-month=6 -d occurred-year=2024 -d seen=yes
expect_code 403 "a form post without the CSRF token"
contains "$BODY" "CSRF" "the refusal says why"
post jar.sw1 /children/C1/record/visit -d csrf=wrong -d occurred-day=3 -d occurred-month=6 -d occurred-year=2024 \
	-d seen=yes
expect_code 403 "a form post with a wrong CSRF token"
post jar.sw1 /alerts/ack -d alert=x
expect_code 403 "acknowledging without the CSRF token"
[ "$(ledger_size)" = "$n0" ] || fail "a refused form post wrote something"
ok

# --- record forms ---------------------------------------------------------------------------
get jar.sw1 /children/C1/record/visit
expect_code 200 "the visit form"
contains "$BODY" 'name="seen"' "the visit form's seen field"
contains "$BODY" 'name="occurred-day" type="text" inputmode="numeric" value="3"' "the date defaults to today"
n0=$(ledger_size)
post jar.sw1 /children/C1/record/visit --data-urlencode "csrf=$CSRF" -d occurred-day=3 -d occurred-month=6 \
	-d occurred-year=2024 --data-urlencode "summary=kept after the error"
expect_code 422 "a visit without seen"
contains "$BODY" '<a href="#seen">Select whether the child was seen</a>' "the error summary links the field"
contains "$BODY" 'id="seen-error"' "the error is next to the field"
contains "$BODY" 'govuk-form-group--error' "the field's group is marked"
contains "$BODY" 'kept after the error</textarea>' "what was typed is shown again"
post jar.sw1 /children/C1/record/visit --data-urlencode "csrf=$CSRF" -d occurred-day=30 -d occurred-month=2 \
	-d occurred-year=2024 -d seen=yes
expect_code 422 "a visit on 30 February"
contains "$BODY" 'href="#occurred-day"' "a bad date names the date field"
post jar.sw1 /children/C1/record/concern --data-urlencode "csrf=$CSRF" -d occurred-day=3 -d occurred-month=6 \
	-d occurred-year=2024 -d category=neglect -d summary=x -d agency=martians
expect_code 422 "a concern with an unknown agency (the vocabulary's error)"
contains "$BODY" '<a href="#agency">`martians` is not one of' "the vocabulary's error names the form field"
[ "$(ledger_size)" = "$n0" ] || fail "a refused form wrote something"
ok
get jar.sw1 /children/C1/record/nonsense
expect_code 404 "an unknown form"
get jar.sw1 /children/C1/record/allocation
expect_code 403 "a social worker may not allocate"
post jar.sw1 /children/C1/record/visit --data-urlencode "csrf=$CSRF" -d occurred-day=3 -d occurred-month=6 \
	-d occurred-year=2024 -d seen=yes -d seen_alone=no --data-urlencode "summary=Seen at home; <b>fine</b>"
expect_code 303 "a valid visit"
[ "$LOC" = "/children/C1?recorded=visit" ] || fail "after a visit, the child's page: '$LOC'"
ok
[ "$(ledger_size)" = "$((n0 + 1))" ] || fail "the visit was not written once ($(ledger_size) after $n0)"
ok
"$SL" events --db t.db --child C1 | tail -1 >last.json
contains "$(cat last.json)" '"kind":"visit.recorded"' "the visit is in the ledger"
contains "$(cat last.json)" '"seen":true' "seen recorded as a boolean"
contains "$(cat last.json)" '"recorder":"sw1"' "recorded as the signed-in user"

# --- My work and acknowledging an alert -----------------------------------------------------
get jar.sw1 /my-work
contains "$BODY" "Alerts to act on" "My work lists alerts"
contains "$BODY" "My children (1)" "My work lists the worker's children"
contains "$BODY" 'href="/children/C1"' "My work links the child"
REF=$(printf '%s' "$BODY" | grep -o 'name="alert" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
[ -n "$REF" ] || fail "no alert to acknowledge on My work"
ok
n_open=$(printf '%s' "$BODY" | grep -o 'Alerts to act on ([0-9]*)' | grep -o '[0-9]*')
n0=$(ledger_size)
post jar.sw1 /alerts/ack --data-urlencode "csrf=$CSRF" --data-urlencode "alert=$REF" -d next=/my-work
expect_code 303 "acknowledging an alert"
case "$LOC" in "/my-work?acknowledged="*) ok ;; *) fail "after acknowledging: '$LOC'" ;; esac
[ "$(ledger_size)" = "$((n0 + 1))" ] || fail "the acknowledgement was not written"
ok
"$SL" export --db t.db | tail -1 | grep -q '"kind":"alert.acknowledged"' || fail "alert.acknowledged not in the ledger"
ok
get jar.sw1 "$LOC"
contains "$BODY" "Alert acknowledged" "My work confirms the acknowledgement"
contains "$BODY" "Alerts to act on ($((n_open - 1)))" "one alert fewer to act on"
post jar.sw1 /alerts/ack --data-urlencode "csrf=$CSRF" --data-urlencode "alert=NOPE/C1/2024-01-01"
expect_code 404 "acknowledging an unknown alert"
post jar.sw1 /alerts/ack --data-urlencode "csrf=$CSRF" --data-urlencode "alert=$REF" -d next=//evil.example/x
[ "$LOC" = "/my-work?acknowledged=$(printf '%s' "$REF" | sed 's|/|%2F|g')" ] || fail "next off-site followed: '$LOC'"
ok

# --- assets ---------------------------------------------------------------------------------
get jar.none /assets/app.css
expect_code 200 "app.css"
grep -qi '^content-type: text/css' head.out || fail "app.css content type"
ok
grep -qi '^cache-control: public, max-age=31536000' head.out || fail "assets are cached"
ok
get jar.none /assets/app.js
grep -qi '^content-type: text/javascript' head.out || fail "app.js content type"
ok
if [ -d "$ROOT/node_modules/govuk-frontend/dist/govuk" ]; then
	get jar.none /assets/govuk-frontend.min.css
	expect_code 200 "govuk-frontend's CSS"
	grep -qi '^content-type: text/css' head.out || fail "govuk-frontend's CSS content type"
	ok
	get jar.none /assets/fonts/bold-b542beb274-v2.woff2
	expect_code 200 "a govuk-frontend font"
	grep -qi '^content-type: font/woff2' head.out || fail "font content type"
	ok
	get jar.none /assets/govuk-frontend.min.js
	grep -qi '^content-type: text/javascript' head.out || fail "govuk-frontend's JS content type"
	ok
fi
get jar.none /assets/escape.css
expect_code 404 "a symlink out of the assets directory"
for p in /assets/../meson.build /assets/%2e%2e/x.css /assets/.hidden.css /assets/web/static/app.css \
	/assets/app.css/.. /assets/x.exe /assets/ "/assets/a%00.css" "/assets/a%2fb.css"; do
	get jar.none "$p"
	case "$CODE" in 400 | 404) ok ;; *) fail "asset path $p: HTTP $CODE" ;; esac
	if printf '%s' "$BODY" | grep -q secret; then fail "asset path $p leaked a file"; fi
done

# --- hostile names on every page --------------------------------------------------------------
EVIL='Eve<script>alert(1)</script>"><img src=x onerror=alert(2)>'
"$PY" - "$EVIL" >evil.jsonl <<'EOF'
import json, sys
name = sys.argv[1]
print(json.dumps({"kind": "person.registered", "occurred_at": "2024-06-03", "by": {"user": "sm1"},
                  "data": {"id": "X1", "role": "child", "name": name, "born": "2015-01-01"}}))
print(json.dumps({"kind": "case.allocated", "occurred_at": "2024-06-03", "by": {"user": "sm1"},
                  "data": {"child": "X1", "worker": "sw1", "team": "north"}}))
print(json.dumps({"kind": "note.recorded", "occurred_at": "2024-06-03", "by": {"user": "sm1"},
                  "data": {"child": "X1", "text": name}}))
EOF
signin jar.tm1 tm1 "$PW"
signin jar.sm1 sm1 "$PW"
while read -r ev; do
	printf '%s' "$ev" >ev.json
	get jar.sm1 /api/v1/events -H 'Content-Type: application/json' --data-binary @ev.json
	expect_code 201 "recording $ev"
done <evil.jsonl
pages="/ /sign-in /my-work /children/X1 /children/X1/record/visit /children/X1/record/closure /team /director /reviewer /partner"
for p in $pages; do
	for who in sw1 tm1 sm1; do
		get "jar.$who" "$p"
		case "$CODE" in 200 | 303 | 403 | 404) ok ;; *) fail "$who $p: HTTP $CODE" ;; esac
		if printf '%s' "$BODY" | grep -q '<script>alert\|<img src=x\|"><img'; then
			fail "$who $p: the hostile name came out unescaped"
		fi
		ok
	done
done
get jar.sw1 /my-work
contains "$BODY" 'Eve&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img' "the name is shown, escaped"
post jar.sw1 /children/X1/record/visit --data-urlencode "csrf=$CSRF" -d occurred-day=3 -d occurred-month=6 \
	-d occurred-year=2024 --data-urlencode "summary=$EVIL"
expect_code 422 "an error page echoing hostile text"
if printf '%s' "$BODY" | grep -q '<script>alert\|<img src=x'; then fail "the form echoed hostile text unescaped"; fi
ok

# --- signing out ----------------------------------------------------------------------------
post jar.sw1 /sign-out -d x=1
expect_code 403 "signing out without the token"
post jar.sw1 /sign-out --data-urlencode "csrf=$CSRF"
expect_code 303 "signing out"
[ "$LOC" = "/sign-in?signed_out=1" ] || fail "after signing out: '$LOC'"
ok
get jar.sw1 /my-work
expect_code 303 "My work after signing out"

kill -0 "$SRV" 2>/dev/null || fail "the server died: $(tail -5 srv.log)"
ok
stop_server
if grep -q 'Sanitizer\|runtime error' srv.log; then fail "the server reported: $(grep -m3 'Sanitizer\|runtime error' srv.log)"; fi
ok
done_ok
