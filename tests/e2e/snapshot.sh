#!/usr/bin/env bash
# snapshot.sh - the rules engine's snapshot beside the database ("<db>.rules"):
# written when an instance closes, private (0600), and an instance that
# loads it and feeds only the rows after it ends in exactly the state of
# one that feeds the whole ledger.  A damaged, stale or foreign snapshot is
# never used.
. "$(dirname "$0")/lib.sh"

"$SL" init --db a.db >/dev/null
"$SL" demo --db a.db --children 40 --seed 7 --from 2023-04-01 --to 2025-03-31 >/dev/null
[ -f a.db.rules ] || fail "no snapshot written beside the database"; ok
[ "$(stat -c %a a.db.rules)" = 600 ] || fail "snapshot mode $(stat -c %a a.db.rules), want 600"; ok

# the same new writes into one instance that loads the snapshot and one that
# must feed the whole ledger (its snapshot removed)
cp a.db b.db; cp a.db.key b.db.key; rm -f b.db-wal
child=$(sqlite3 a.db "SELECT id FROM person WHERE role = 'child' ORDER BY id LIMIT 1")
more() { # more DB: a late injury (LATE_ENTRY, NONMOBILE_INJURY maybe), then ticks
	"$SL" append --db "$1" --today 2025-06-02 <<JSON >/dev/null
{"kind":"injury.observed","occurred_at":"2025-05-01","by":{"agency":"health"},"data":{"child":"$child","description":"Bruise","agency":"health"}}
{"kind":"concern.raised","occurred_at":"2025-06-02","by":{"user":"sw9"},"data":{"child":"$child","category":"neglect","summary":"Home conditions","significant_harm":true}}
JSON
	"$SL" tick --db "$1" --today 2025-09-30 >/dev/null
}
rm -f b.db.rules
# A snapshot of an earlier prefix (as if a process stopped before saving)
# is loaded and the rows after it are fed: here a contact whose referral
# decision falls due later, which only the fed row can make late.
cp a.db.rules a.old.rules
for db in a b; do
	"$SL" append --db $db.db --today 2025-06-02 <<JSON >/dev/null
{"kind":"contact.received","occurred_at":"2025-06-02","by":{"agency":"police"},"data":{"child":"$child","source":"1B","summary":"Police attended"}}
JSON
done
cp a.old.rules a.db.rules
more a.db
more b.db
[ -f b.db.rules ] || fail "no snapshot after a full feed"; ok
"$SL" rebuild --db a.db --dump a.dump --dump-only >/dev/null
"$SL" rebuild --db b.db --dump b.dump --dump-only >/dev/null
cmp -s a.dump b.dump || fail "snapshot-loaded state differs from a full feed: $(diff a.dump b.dump | head -5)"; ok
[ "$(awk '/^== /{t=$2} t=="alert:"' a.dump | wc -l)" -gt 10 ] || fail "the dump holds no alerts (the test proves nothing)"; ok
grep -q "^LATE_REFERRAL_DECISION/$child/2025-06-04" a.dump || fail "the contact fed after the snapshot raised nothing"; ok
[ "$(sqlite3 a.db 'SELECT count(*) FROM ledger')" = "$(sqlite3 b.db 'SELECT count(*) FROM ledger')" ] \
	|| fail "ledgers differ in size"; ok

# a damaged snapshot is ignored: the next write feeds the ledger and is right
cp a.db c.db; cp a.db.key c.db.key
head -c 5000 a.db.rules > c.db.rules
printf 'garbage' | dd of=a.db.rules bs=1 seek=300 conv=notrunc 2>/dev/null
for db in a.db c.db; do
	"$SL" tick --db $db --today 2025-12-31 >/dev/null || fail "tick over a damaged snapshot"
done
"$SL" tick --db b.db --today 2025-12-31 >/dev/null
for db in a b c; do "$SL" rebuild --db $db.db --dump $db.dump --dump-only >/dev/null; done
cmp -s a.dump b.dump && cmp -s c.dump b.dump || fail "a damaged snapshot changed the outcome"; ok

# a snapshot of another database (same sizes, other content) is not used
"$SL" init --db d.db >/dev/null
"$SL" demo --db d.db --children 40 --seed 8 --from 2023-04-01 --to 2025-03-31 >/dev/null
cp d.db e.db; cp d.db.key e.db.key; cp b.db.rules e.db.rules
"$SL" tick --db d.db --today 2025-12-31 >/dev/null
"$SL" tick --db e.db --today 2025-12-31 >/dev/null
for db in d e; do "$SL" rebuild --db $db.db --dump $db.dump --dump-only >/dev/null; done
cmp -s d.dump e.dump || fail "a foreign snapshot was used"; ok

# a snapshot made under another configuration is not used
cp b.db f.db; cp b.db.key f.db.key
"$SL" tick --db b.db --today 2026-01-05 --rules "$ROOT/tests/data/rules-off.conf" >/dev/null
for db in b f; do "$SL" tick --db $db.db --today 2026-03-31 >/dev/null; done
for db in b f; do "$SL" rebuild --db $db.db --dump $db.dump --dump-only >/dev/null; done
cmp -s b.dump f.dump || fail "a snapshot of another configuration was used"; ok
"$SL" verify --db b.db >/dev/null || fail "verify after snapshot use"; ok
done_ok
