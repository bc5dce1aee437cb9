#!/usr/bin/env python3
"""independent.py - an outside verifier of a safeledger log, written from the
public specs only (RFC 6962/9162, RFC 8785 for the leaf object, C2SP
signed-note and tlog-checkpoint: tlog_spec.py), sharing no code with safeledger.

  independent.py checkpoint VKEY NOTE_FILE        verify the signed note; print size and root hex
  independent.py root EXPORT_FILE [SIZE]          recompute the Merkle root from export lines
  independent.py leaves EXPORT_FILE               print "seq leafhash" per export line
  independent.py inclusion PROOF_JSON             check a `prove --json` inclusion proof
  independent.py consistency PROOF_JSON R1 R2     check a `prove --from --to --json` proof

Exit 0 when the check passes.
"""
import json
import sys

from tlog_spec import Fail, mth, open_note, parse_checkpoint, root_from_inclusion, verify_consistency, \
    design4_leaf, leaf_hash


def export_leaf(line):
    """DESIGN 4: the leaf hash of an export line {"seq","recorded_at","salt","event"}."""
    o = json.loads(line)
    # The stored event is already canonical; re-canonicalise here with
    # sorted keys and no whitespace, which is RFC 8785 for this data
    # (strings, booleans, small integers).
    event = json.dumps(o["event"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    leaf = design4_leaf(bytes.fromhex(o["salt"]), event, o["event"]["kind"], o["recorded_at"], o["seq"])
    return o["seq"], leaf_hash(leaf)


def verify_note(vkey, note):
    """The checkpoint's origin, size and root once its signature by vkey verifies."""
    return parse_checkpoint(open_note(note, vkey))


def main():
    cmd = sys.argv[1]
    if cmd == "checkpoint":
        origin, size, root = verify_note(sys.argv[2], open(sys.argv[3], encoding="utf-8").read())
        print(origin, size, root.hex())
    elif cmd in ("root", "leaves"):
        leaves = [export_leaf(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
        for i, (seq, _) in enumerate(leaves):
            assert seq == i + 1, "export seqs out of order"
        if cmd == "leaves":
            for seq, h in leaves:
                print(seq, h.hex())
        else:
            size = int(sys.argv[3]) if len(sys.argv) > 3 else len(leaves)
            print(mth([h for _, h in leaves[:size]]).hex())
    elif cmd == "inclusion":
        p = json.load(open(sys.argv[2]))
        r = root_from_inclusion(p["leaf_index"], p["tree_size"], bytes.fromhex(p["leaf_hash"]),
                                [bytes.fromhex(x) for x in p["path"]])
        if r is None or r.hex() != p["root"]:
            raise SystemExit("inclusion proof does not verify")
        print("inclusion ok")
    elif cmd == "consistency":
        p = json.load(open(sys.argv[2]))
        if not verify_consistency(p["from"], p["to"], bytes.fromhex(sys.argv[3]), bytes.fromhex(sys.argv[4]),
                                  [bytes.fromhex(x) for x in p["path"]]):
            raise SystemExit("consistency proof does not verify")
        print("consistency ok")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        raise SystemExit(str(e))
