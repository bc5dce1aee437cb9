#!/usr/bin/env bash
# deps.sh - install the Debian 12 packages safeledger needs to build, run
# and test, when any is missing.  Run as root (or with sudo available).
set -euo pipefail
PKGS=(
	gcc libc6-dev pkg-config meson ninja-build     # build
	libsqlite3-dev libssl-dev libsodium-dev libjansson-dev libmicrohttpd-dev   # libraries
	libcmocka-dev sqlite3 python3 python3-nacl curl     # tests: unit, tamper, independent verifiers, HTTP client
	clang libclang-rt-14-dev valgrind              # fuzzing (libFuzzer), memcheck of the release build
)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
