#!/usr/bin/env python3
"""tlog_verify.py - an outside client of a C2SP tiled transparency log.

Written from the public specifications alone, importing nothing from
safeledger (the parts it shares with the other verifiers are tlog_spec.py):

  - C2SP signed-note      https://c2sp.org/signed-note  (Ed25519 signatures,
                          key ids, the "name+id+key" verifier key encoding)
  - C2SP tlog-checkpoint  https://c2sp.org/tlog-checkpoint  (origin, size, root)
  - C2SP tlog-tiles       https://c2sp.org/tlog-tiles  (tile paths, partial
                          tiles, entry bundles)
  - RFC 6962 / RFC 9162   Merkle tree hashing, audit paths, and the
                          inclusion-proof verification of RFC 9162 2.1.3.2

It fetches <prefix>/checkpoint over HTTP, checks its signature with the
verifier key (given with --vkey, else fetched from <prefix>/key and compared
with --vkey when both are given), recomputes the tree's root from tiles and
compares it with the checkpoint's, and optionally:

  --leaf HEX --index N   builds the RFC 6962 audit path for entry N from the
                         tiles and verifies it against the signed root, after
                         checking that the level-0 tile holds HEX at N
  --entries              fetches every entry bundle and checks that each entry
                         hashes to its level-0 tile hash (RFC 6962 leaf hash)
  --deep                 checks every tile against the level above it

On success it prints "ORIGIN SIZE ROOT_BASE64" and exits 0; on any failure it
prints what failed to stderr and exits 1.

Usage: tlog_verify.py PREFIX_URL [--vkey VKEY] [--origin O] [--leaf HEX --index N]
                                 [--entries] [--deep]
"""
import argparse
import base64
import hashlib
import sys
import urllib.error
import urllib.request

from tlog_spec import Fail, leaf_hash, node_hash, open_note, parse_checkpoint, root_from_inclusion

TILE = 256  # hashes per full tile (tlog-tiles "Merkle Tree")


def fetch(url, want_type=None):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            body = r.read()
            ctype = r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        raise Fail(f"GET {url}: HTTP {e.code}")
    except urllib.error.URLError as e:
        raise Fail(f"GET {url}: {e.reason}")
    if want_type and not ctype.startswith(want_type):
        raise Fail(f"GET {url}: Content-Type {ctype!r}, expected {want_type}")
    return body


# --- tlog-tiles ------------------------------------------------------------

def tile_index_path(n):
    """1234067 -> x001/x234/067."""
    groups = []
    while True:
        groups.append(n % 1000)
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(("x%03d" if i < len(groups) - 1 else "%03d") % g for i, g in enumerate(groups))


def tile_path(level, index, width):
    p = f"tile/{level}/{tile_index_path(index)}"
    return p if width == TILE else f"{p}.p/{width}"


class Tiles:
    """Hashes of a tree of `size` leaves, read through its tiles."""

    def __init__(self, prefix, size):
        self.prefix, self.size, self.cache = prefix, size, {}
        self.fetched = 0

    def width(self, level, index):
        hashes = self.size >> (8 * level)
        full = hashes // TILE
        return TILE if index < full else hashes % TILE

    def tile(self, level, index):
        key = (level, index)
        if key not in self.cache:
            w = self.width(level, index)
            if w == 0:
                raise Fail(f"no tile {level}/{index} in a tree of {self.size}")
            body = fetch(f"{self.prefix}/{tile_path(level, index, w)}", "application/octet-stream")
            if len(body) != 32 * w:
                raise Fail(f"{tile_path(level, index, w)}: {len(body)} bytes, expected {32 * w}")
            self.cache[key] = [body[i: i + 32] for i in range(0, len(body), 32)]
            self.fetched += 1
        return self.cache[key]

    def stored(self, level, j):
        """The j-th hash at tile level `level` (tree level 8*level)."""
        return self.tile(level, j // TILE)[j % TILE]

    def subtree(self, k, i):
        """Hash of the complete subtree of 2**k leaves, the i-th of its size."""
        level, r = divmod(k, 8)
        hashes = [self.stored(level, j) for j in range(i << r, (i + 1) << r)]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[a], hashes[a + 1]) for a in range(0, len(hashes), 2)]
        return hashes[0]

    def mth(self, lo, n):
        """RFC 6962 MTH of leaves [lo, lo + n); lo is aligned as the recursion makes it."""
        if n & (n - 1) == 0:
            k = n.bit_length() - 1
            return self.subtree(k, lo >> k)
        k = 1 << ((n - 1).bit_length() - 1)
        return node_hash(self.mth(lo, k), self.mth(lo + k, n - k))

    def path(self, m, lo, n):
        """RFC 6962 2.1.1 PATH(m, D[lo:lo+n])."""
        if n == 1:
            return []
        k = 1 << ((n - 1).bit_length() - 1)
        if m < k:
            return self.path(m, lo, k) + [self.mth(lo + k, n - k)]
        return self.path(m - k, lo + k, n - k) + [self.mth(lo, k)]


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2."""
    return root_from_inclusion(index, size, leaf, proof) == root


def check_entries(prefix, tiles, size):
    for b in range((size + TILE - 1) // TILE):
        w = tiles.width(0, b)
        path = f"tile/entries/{tile_index_path(b)}" + ("" if w == TILE else f".p/{w}")
        body = fetch(f"{prefix}/{path}", "application/octet-stream")
        pos, n = 0, 0
        while pos < len(body):
            if pos + 2 > len(body):
                raise Fail(f"{path}: a truncated length")
            ln = int.from_bytes(body[pos: pos + 2], "big")
            entry = body[pos + 2: pos + 2 + ln]
            if len(entry) != ln:
                raise Fail(f"{path}: a truncated entry")
            if leaf_hash(entry) != tiles.stored(0, b * TILE + n):
                raise Fail(f"{path}: entry {b * TILE + n} does not hash to its level-0 tile hash")
            pos += 2 + ln
            n += 1
        if n != w:
            raise Fail(f"{path}: {n} entries, expected {w}")


def check_deep(tiles, size):
    """Every full tile hashes to its hash in the tile above."""
    level = 0
    while (size >> (8 * (level + 1))) > 0:
        for t in range((size >> (8 * level)) // TILE):
            hashes = tiles.tile(level, t)
            while len(hashes) > 1:
                hashes = [node_hash(hashes[a], hashes[a + 1]) for a in range(0, len(hashes), 2)]
            if hashes[0] != tiles.stored(level + 1, t):
                raise Fail(f"tile {level}/{t} does not hash to its entry in level {level + 1}")
        level += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("prefix")
    ap.add_argument("--vkey")
    ap.add_argument("--origin")
    ap.add_argument("--leaf")
    ap.add_argument("--index", type=int)
    ap.add_argument("--entries", action="store_true")
    ap.add_argument("--deep", action="store_true")
    a = ap.parse_args()
    prefix = a.prefix.rstrip("/")

    served_key = fetch(f"{prefix}/key", "text/plain").decode().strip()
    if a.vkey and a.vkey.strip() != served_key:
        raise Fail("the key the log serves is not the key we were given")
    vkey = a.vkey or served_key
    text = open_note(fetch(f"{prefix}/checkpoint", "text/plain"), vkey)
    origin, size, root = parse_checkpoint(text)
    if a.origin is not None and origin != a.origin:
        raise Fail(f"checkpoint origin {origin!r}, expected {a.origin!r}")

    tiles = Tiles(prefix, size)
    computed = tiles.mth(0, size) if size else hashlib.sha256(b"").digest()
    if computed != root:
        raise Fail("the root recomputed from the tiles is not the signed root")
    if a.leaf is not None:
        if a.index is None:
            raise Fail("--leaf needs --index")
        leaf = bytes.fromhex(a.leaf)
        if not 0 <= a.index < size:
            raise Fail(f"entry {a.index} is not in a tree of {size}")
        if tiles.stored(0, a.index) != leaf:
            raise Fail(f"entry {a.index}: the level-0 tile holds another leaf hash")
        proof = tiles.path(a.index, 0, size)
        if not verify_inclusion(a.index, size, leaf, proof, root):
            raise Fail(f"entry {a.index}: the inclusion proof does not verify")
    if a.entries:
        check_entries(prefix, tiles, size)
    if a.deep:
        check_deep(tiles, size)
    print(origin, size, base64.b64encode(root).decode())


if __name__ == "__main__":
    try:
        main()
    except Fail as e:
        print(f"tlog_verify: {e}", file=sys.stderr)
        sys.exit(1)
