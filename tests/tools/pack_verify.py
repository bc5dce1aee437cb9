#!/usr/bin/env python3
"""pack_verify.py - an outside check of a safeledger review pack, written
from the public specifications and docs/review-pack.md alone, importing
nothing from safeledger (the same approach as independent.py and
tlog_verify.py):

  - C2SP signed-note      https://c2sp.org/signed-note  (Ed25519, key ids,
                          the "name+id+key" verifier key encoding)
  - C2SP tlog-checkpoint  https://c2sp.org/tlog-checkpoint  (origin, size, root)
  - RFC 6962 / RFC 9162   leaf and node hashing, and the inclusion-proof
                          verification of RFC 9162 2.1.3.2
  - RFC 8785              the leaf object {"commit","kind","recorded_at","seq"}
  - DESIGN 4              commit = SHA-256(salt || canonical event bytes)

Usage: pack_verify.py PACK.zip [--vkey VKEY]

--vkey: the key the authority publishes; key.txt must be exactly it.
Prints "independent: pack OK: N events, checkpoint size S, root R" and exits
0, or names what failed on stderr and exits 1.
"""
import argparse
import base64
import hashlib
import json
import sys
import zipfile

import nacl.exceptions
import nacl.signing

NAMES = {"manifest.json", "README.txt", "report.html", "events.jsonl", "proofs.jsonl", "checkpoint.txt",
         "key.txt", "access.jsonl", "access-proofs.jsonl", "access-checkpoint.txt"}


class Fail(Exception):
    pass


def sha(b):
    return hashlib.sha256(b).digest()


def parse_vkey(vkey):
    name, hexid, b64 = vkey.strip().split("+", 2)
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 33 or raw[0] != 1:
        raise Fail("key.txt: not an Ed25519 verifier key")
    key_id = sha(name.encode() + b"\n" + raw)[:4]
    if key_id.hex() != hexid:
        raise Fail("key.txt: its key id does not match the key")
    return name, key_id, nacl.signing.VerifyKey(raw[1:])


def open_checkpoint(what, note, key, origin):
    """signed-note: the text ends at the last blank line; verify our key's signature."""
    name, key_id, vk = key
    cut = note.rfind("\n\n")
    if cut < 0:
        raise Fail(f"{what}: no signature block")
    text, sigs = note[:cut + 1], note[cut + 2:]
    good = False
    for line in sigs.splitlines():
        if not line.startswith("\u2014 "):
            raise Fail(f"{what}: bad signature line")
        sname, b64 = line[2:].rsplit(" ", 1)
        sig = base64.b64decode(b64, validate=True)
        if sname == name and sig[:4] == key_id:
            try:
                vk.verify(text.encode(), sig[4:])
            except nacl.exceptions.BadSignatureError:
                raise Fail(f"{what}: the signature does not verify")
            good = True
    if not good:
        raise Fail(f"{what}: no signature by {name}")
    lines = text.split("\n")
    if lines[0] != origin:
        raise Fail(f"{what}: origin {lines[0]!r}, expected {origin!r}")
    return int(lines[1]), base64.b64decode(lines[2], validate=True)


def node(l, r):
    return sha(b"\x01" + l + r)


def root_from_path(index, size, leaf, path):
    """RFC 9162 2.1.3.2, steps 1-4."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node(p, r)
            while fn & 1 == 0 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def jsonl(data):
    return [json.loads(l) for l in data.decode("utf-8").split("\n") if l]


def check_log(what, files, events_name, proofs_name, cp_name, key, origin):
    size, root = open_checkpoint(cp_name, files[cp_name].decode("utf-8"), key, origin)
    proofs = {p["seq"]: p for p in jsonl(files[proofs_name])}
    n = 0
    for e in jsonl(files[events_name]):
        seq = e["seq"]
        commit = sha(bytes.fromhex(e["salt"]) + e["canonical"].encode("utf-8")).hex()
        leaf_data = json.dumps({"commit": commit, "kind": e["kind"], "recorded_at": e["recorded_at"], "seq": seq},
                               sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        leaf = sha(b"\x00" + leaf_data)
        if leaf.hex() != e["leaf_hash"]:
            raise Fail(f"{what} seq {seq}: the leaf computed from its bytes and salt is not its leaf_hash")
        p = proofs.get(seq)
        if p is None or p["leaf_index"] != seq - 1 or p["tree_size"] != size:
            raise Fail(f"{what} seq {seq}: no proof against the checkpoint")
        if root_from_path(seq - 1, size, leaf, [bytes.fromhex(h) for h in p["hashes"]]) != root:
            raise Fail(f"{what} seq {seq}: the inclusion proof does not lead to the checkpoint root")
        n += 1
    if n != len(proofs):
        raise Fail(f"{proofs_name}: {len(proofs)} proofs for {n} entries")
    return n, size, root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pack")
    ap.add_argument("--vkey")
    a = ap.parse_args()
    try:
        with zipfile.ZipFile(a.pack) as z:
            names = z.namelist()
            if len(set(names)) != len(names) or not set(names) <= NAMES:
                raise Fail(f"unexpected members: {sorted(set(names) - NAMES)} (or a duplicate)")
            files = {n: z.read(n) for n in names}
        vkey = files["key.txt"].decode("utf-8").strip()
        if a.vkey and vkey != a.vkey.strip():
            raise Fail("key.txt is not the published key")
        key = parse_vkey(vkey)
        n, size, root = check_log("event", files, "events.jsonl", "proofs.jsonl", "checkpoint.txt", key, key[0])
        m = 0
        if "access.jsonl" in files:
            m, _, _ = check_log("access entry", files, "access.jsonl", "access-proofs.jsonl",
                                "access-checkpoint.txt", key, key[0] + "/access")
        manifest = json.loads(files["manifest.json"])
        for name, data in files.items():
            if name != "manifest.json" and manifest["files"][name]["sha256"] != hashlib.sha256(data).hexdigest():
                raise Fail(f"{name}: its SHA-256 is not the manifest's")
        if manifest["counts"] != {"events": n, "access": m}:
            raise Fail("manifest.json: counts differ from the pack")
    except Fail as e:
        print(f"independent: {e}", file=sys.stderr)
        sys.exit(1)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as e:
        print(f"independent: malformed pack: {e!r}", file=sys.stderr)
        sys.exit(1)
    print(f"independent: pack OK: {n} events, checkpoint size {size}, root {root.hex()}; {m} reads")


if __name__ == "__main__":
    main()
