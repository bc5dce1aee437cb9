"""tlog_spec.py - what the outside verifiers (independent.py, tlog_verify.py,
pack_verify.py) share, written from the public specifications alone and
importing nothing from safeledger:

  - C2SP signed-note      https://c2sp.org/signed-note  (Ed25519 signatures,
                          key ids, the "name+id+key" verifier key encoding)
  - C2SP tlog-checkpoint  https://c2sp.org/tlog-checkpoint  (origin, size, root)
  - RFC 6962 / RFC 9162   leaf and node hashing, the Merkle Tree Hash, and the
                          inclusion and consistency verification of RFC 9162
                          2.1.3.2 and 2.1.4.2
  - RFC 8785 and DESIGN 4 the leaf object {"commit","kind","recorded_at","seq"},
                          commit = SHA-256(salt || canonical event bytes)

Every check raises Fail naming what is wrong.
"""
import base64
import hashlib
import json

import nacl.exceptions
import nacl.signing


class Fail(Exception):
    pass


def sha(b):
    return hashlib.sha256(b).digest()


# --- RFC 6962 / 9162 -------------------------------------------------------

def leaf_hash(data):
    return sha(b"\x00" + data)


def node_hash(left, right):
    return sha(b"\x01" + left + right)


def mth(leaves):
    """RFC 6962 section 2.1 Merkle Tree Hash of leaf hashes, by the recursive definition."""
    n = len(leaves)
    if n == 0:
        return sha(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def root_from_inclusion(index, size, leaf, path):
    """RFC 9162 2.1.3.2 steps 1-4: the root the audit path leads to, or None."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
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
    if m == 0 or not path and m & (m - 1):
        return False
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
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == r1 and sr == r2 and sn == 0


# --- DESIGN 4 ---------------------------------------------------------------

def design4_leaf(salt, canonical, kind, recorded_at, seq):
    """The leaf data: RFC 8785 of {"commit","kind","recorded_at","seq"} (sorted keys,
    no whitespace is RFC 8785 for these strings and small integers)."""
    commit = sha(salt + canonical).hex()
    return json.dumps({"commit": commit, "kind": kind, "recorded_at": recorded_at, "seq": seq},
                      sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# --- signed-note ------------------------------------------------------------

def parse_vkey(vkey):
    """name+hex8+base64(0x01 || 32-byte Ed25519 public key) -> (name, key id, VerifyKey)."""
    parts = vkey.strip().split("+", 2)  # names hold no "+"; base64 may
    if len(parts) != 3:
        raise Fail(f"verifier key {vkey!r}: not name+id+key")
    name, hexid, b64 = parts
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 33 or raw[0] != 0x01:
        raise Fail("verifier key: not an Ed25519 key (type 0x01, 32 bytes)")
    key_id = sha(name.encode() + b"\n" + raw)[:4]
    if key_id.hex() != hexid.lower() or len(hexid) != 8:
        raise Fail("verifier key: its key id does not match the key")
    return name, key_id, nacl.signing.VerifyKey(raw[1:])


def open_note(note, vkey, what="checkpoint"):
    """The signed text (through its last newline) once a signature by vkey verifies.
    note: bytes or str; vkey: the verifier key text."""
    name, key_id, verify_key = parse_vkey(vkey)
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise Fail(f"{what}: not UTF-8")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise Fail(f"{what}: no blank line before the signatures")
    text, sigs = note[: cut + 1], note[cut + 2:]
    if not sigs.endswith("\n"):
        raise Fail(f"{what}: the signature block does not end in a newline")
    verified = False
    for line in sigs[:-1].split("\n"):
        if not line.startswith("\u2014 "):
            raise Fail(f"{what}: bad signature line {line!r}")
        sname, _, b64 = line[2:].partition(" ")
        blob = base64.b64decode(b64, validate=True)
        if len(blob) < 5:
            raise Fail(f"{what}: a signature too short for a key id")
        if sname != name or blob[:4] != key_id:
            continue  # another key's signature: ignored, as the spec says
        try:
            verify_key.verify(text.encode(), blob[4:])
        except nacl.exceptions.BadSignatureError:
            raise Fail(f"{what}: the signature does not verify")
        verified = True
    if not verified:
        raise Fail(f"{what}: no signature by {name}")
    return text


def parse_checkpoint(text, what="checkpoint"):
    """tlog-checkpoint: (origin, size, root)."""
    lines = text.split("\n")
    if len(lines) < 4 or not lines[0]:
        raise Fail(f"{what}: fewer than three lines")
    origin, size_s, root_s = lines[0], lines[1], lines[2]
    if not size_s.isdigit() or (size_s != "0" and size_s.startswith("0")):
        raise Fail(f"{what}: size {size_s!r}")
    root = base64.b64decode(root_s, validate=True)
    if len(root) != 32:
        raise Fail(f"{what}: the root is not 32 bytes")
    return origin, int(size_s), root
