#!/usr/bin/env python3
"""pack_verify.py - an outside check of a safeledger review pack, written
from the public specifications and docs/review-pack.md alone, importing
nothing from safeledger (the specifications' parts it shares with
independent.py and tlog_verify.py are in tlog_spec.py):

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
import hashlib
import json
import sys
import zipfile

from tlog_spec import Fail, design4_leaf, leaf_hash, open_note, parse_checkpoint, parse_vkey, root_from_inclusion

NAMES = {"manifest.json", "README.txt", "report.html", "events.jsonl", "proofs.jsonl", "checkpoint.txt",
         "key.txt", "access.jsonl", "access-proofs.jsonl", "access-checkpoint.txt"}


def open_checkpoint(what, note, vkey, origin):
    """The checkpoint's size and root once its signature by vkey verifies and its origin is ours."""
    got, size, root = parse_checkpoint(open_note(note, vkey, what), what)
    if got != origin:
        raise Fail(f"{what}: origin {got!r}, expected {origin!r}")
    return size, root


def jsonl(data):
    return [json.loads(l) for l in data.decode("utf-8").split("\n") if l]


def check_log(what, files, events_name, proofs_name, cp_name, vkey, origin):
    size, root = open_checkpoint(cp_name, files[cp_name], vkey, origin)
    proofs = {p["seq"]: p for p in jsonl(files[proofs_name])}
    n = 0
    for e in jsonl(files[events_name]):
        seq = e["seq"]
        leaf = leaf_hash(design4_leaf(bytes.fromhex(e["salt"]), e["canonical"].encode("utf-8"), e["kind"],
                                      e["recorded_at"], seq))
        if leaf.hex() != e["leaf_hash"]:
            raise Fail(f"{what} seq {seq}: the leaf computed from its bytes and salt is not its leaf_hash")
        p = proofs.get(seq)
        if p is None or p["leaf_index"] != seq - 1 or p["tree_size"] != size:
            raise Fail(f"{what} seq {seq}: no proof against the checkpoint")
        if root_from_inclusion(seq - 1, size, leaf, [bytes.fromhex(h) for h in p["hashes"]]) != root:
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
        origin = parse_vkey(vkey)[0]
        n, size, root = check_log("event", files, "events.jsonl", "proofs.jsonl", "checkpoint.txt", vkey, origin)
        m = 0
        if "access.jsonl" in files:
            m, _, _ = check_log("access entry", files, "access.jsonl", "access-proofs.jsonl",
                                "access-checkpoint.txt", vkey, origin + "/access")
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
