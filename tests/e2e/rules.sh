#!/usr/bin/env bash
# rules.sh - the rules fixtures (tests/rules/README.md): replay every
# tests/rules/NAME.jsonl (with the extra arguments in NAME.args, if any) and
# compare the alerts with NAME.expected, lines "RAISED_ON CODE CHILD REF"
# sorted, "-" for a null child.  Every alert line must carry the six keys, a
# non-empty reason and evidence as a non-empty list of seqs.  All fixtures
# run; each mismatch is shown as a diff (expected, then replay's).  Each
# fixture is replayed twice, on the rules-only instance and through the
# whole write path (--full), and the two outputs must be byte-identical.
# `rules.sh NAME...` runs only those fixtures.
. "$(dirname "$0")/lib.sh"

DIR=$ROOT/tests/rules
if [ $# -gt 0 ]; then
	files=()
	for n in "$@"; do files+=("$DIR/${n%.jsonl}.jsonl"); done
else
	files=("$DIR"/*.jsonl)
fi
[ -e "${files[0]}" ] || fail "no fixtures in $DIR"

# replay --json output on stdin -> sorted "RAISED_ON CODE CHILD REF" lines;
# exits 1 with a message naming the line when an alert is malformed.
to_lines='
import json, sys
keys = {"code", "child", "raised_on", "ref", "reason", "evidence"}
out = []
for n, line in enumerate(sys.stdin, 1):
    if not line.strip():
        continue
    try:
        a = json.loads(line)
    except ValueError as e:
        sys.exit("line %d: not JSON (%s): %s" % (n, e, line.strip()))
    if not isinstance(a, dict) or set(a) != keys:
        sys.exit("line %d: keys %s, want %s" % (n, sorted(a) if isinstance(a, dict) else a, sorted(keys)))
    for k in ("code", "raised_on", "ref", "reason"):
        if not isinstance(a[k], str) or not a[k]:
            sys.exit("line %d: %s is not a non-empty string" % (n, k))
    if a["child"] is not None and (not isinstance(a["child"], str) or not a["child"]):
        sys.exit("line %d: child is neither null nor a non-empty string" % n)
    ev = a["evidence"]
    if not isinstance(ev, list) or not ev or not all(type(s) is int and s > 0 for s in ev):
        sys.exit("line %d: evidence is not a non-empty list of seqs: %r" % (n, ev))
    out.append("%s %s %s %s" % (a["raised_on"], a["code"], a["child"] or "-", a["ref"]))
for l in sorted(out):
    print(l)
'

bad=()
for f in "${files[@]}"; do
	name=$(basename "$f" .jsonl)
	exp=$DIR/$name.expected
	[ -f "$f" ] || fail "$name: no such fixture $f"
	[ -f "$exp" ] || fail "$name: no $name.expected beside $f"
	args=()
	if [ -f "$DIR/$name.args" ]; then read -r -a args <"$DIR/$name.args"; fi
	if ! "$SL" replay "$f" --json "${args[@]}" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
		echo "FAIL: $name: replay exited non-zero: $(head -c 2000 "$WORK/$name.err")" >&2
		bad+=("$name")
		continue
	fi
	if ! "$PY" -c "$to_lines" <"$WORK/$name.out" >"$WORK/$name.got" 2>"$WORK/$name.why"; then
		echo "FAIL: $name: malformed alert: $(cat "$WORK/$name.why")" >&2
		bad+=("$name")
		continue
	fi
	if ! diff -u --label "$name.expected" --label "$name (replay)" "$exp" "$WORK/$name.got" >"$WORK/$name.diff"; then
		echo "FAIL: $name: alerts differ" >&2
		cat "$WORK/$name.diff" >&2
		bad+=("$name")
		continue
	fi
	if ! "$SL" replay "$f" --json --full "${args[@]}" >"$WORK/$name.full" 2>"$WORK/$name.fullerr" ||
		! cmp -s "$WORK/$name.out" "$WORK/$name.full"; then
		echo "FAIL: $name: replay --full says otherwise: $(diff "$WORK/$name.out" "$WORK/$name.full" | head -5) $(head -c 500 "$WORK/$name.fullerr")" >&2
		bad+=("$name")
		continue
	fi
	ok
done
[ ${#bad[@]} -eq 0 ] || fail "${#bad[@]} of ${#files[@]} fixtures: ${bad[*]}"
done_ok
