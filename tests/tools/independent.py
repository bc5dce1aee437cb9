#!/usr/bin/env python3
"""independent.py - an outside verifier of a safeledger log, written from the
public specs only (RFC 6962/9162, RFC 8785 for the leaf object, C2SP
signed-note and tlog-checkpoint), sharing no code with safeledger.

  independent.py checkpoint VKEY NOTE_FILE        verify the signed note; print size and root hex
  independent.py root EXPORT_FILE [SIZE]          recompute the Merkle root from export lines
  independent.py leaves EXPORT_FILE               print "seq leafhash" per export line
  independent.py inclusion PROOF_JSON             check a `prove --json` inclusion proof
  independent.py consistency PROOF_JSON R1 R2     check a `prove --from --to --json` proof

Exit 0 when the check passes.
"""
import base64
import hashlib
import json
import sys


def sha(b):
    return hashlib.sha256(b).digest()


def leaf_hash(d):
    return sha(b"\x00" + d)


def node_hash(l, r):
    return sha(b"\x01" + l + r)


def mth(leaves):
    """RFC 6962 section 2.1 Merkle Tree Hash, by the recursive definition."""
    n = len(leaves)
    if n == 0:
        return sha(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def export_leaf(line):
    """DESIGN 4: leaf = JCS {"commit","kind","recorded_at","seq"}; commit = SHA-256(salt || canonical event)."""
    o = json.loads(line)
    salt = bytes.fromhex(o["salt"])
    # The stored event is already canonical; re-canonicalise here with
    # sorted keys and no whitespace, which is RFC 8785 for this data
    # (strings, booleans, small integers).
    event = json.dumps(o["event"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    commit = sha(salt + event).hex()
    leaf = json.dumps({"commit": commit, "kind": o["event"]["kind"], "recorded_at": o["recorded_at"],
                       "seq": o["seq"]}, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return o["seq"], leaf_hash(leaf)


def verify_note(vkey, note):
    from nacl.signing import VerifyKey
    from nacl.exceptions import BadSignatureError
    name, keyid_hex, keyb64 = vkey.split("+", 2)
    raw = base64.b64decode(keyb64)
    assert raw[0] == 1 and len(raw) == 33, "not an Ed25519 verifier key"
    pub = raw[1:]
    want_id = sha(name.encode() + b"\n" + b"\x01" + pub)[:4]
    assert want_id.hex() == keyid_hex, "key id does not match the key"
    text, sep, sigs = note.partition("\n\n")
    assert sep, "no blank line before signatures"
    text += "\n"
    ok = False
    for line in sigs.rstrip("\n").split("\n"):
        assert line.startswith("\u2014 "), "bad signature line"
        sname, sig64 = line[2:].rsplit(" ", 1)
        sig = base64.b64decode(sig64)
        if sname == name and sig[:4] == want_id:
            try:
                VerifyKey(pub).verify(text.encode(), sig[4:])
                ok = True
            except BadSignatureError:
                raise SystemExit("signature does not verify")
    if not ok:
        raise SystemExit("no signature by " + name)
    lines = text.split("\n")
    return lines[0], int(lines[1]), base64.b64decode(lines[2])


def root_from_inclusion(index, size, leaf, path):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_consistency(m, n, r1, r2, path):
    """RFC 9162 2.1.4.2."""
    if m == n:
        return not path and r1 == r2
    if m & (m - 1) == 0:
        path = [r1] + path
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == r1 and sr == r2 and sn == 0


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
    main()
