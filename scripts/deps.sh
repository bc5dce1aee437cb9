#!/usr/bin/env bash
# deps.sh - install the Debian 12 packages safeledger needs to build, run
# and test, when any is missing, then the npm packages of package-lock.json
# (`npm ci`) when node_modules/ is missing or stale.  Run as root (or with
# sudo available).
set -euo pipefail
PKGS=(
	gcc libc6-dev pkg-config meson ninja-build     # build
	libsqlite3-dev libssl-dev libsodium-dev libjansson-dev libmicrohttpd-dev   # libraries
	libxml2-dev libxlsxwriter-dev libzip-dev     # reports: census XML, Annex A workbook, review pack zip
	libcmocka-dev sqlite3 python3 python3-nacl curl     # tests: unit, tamper, independent verifiers, HTTP client
	python3-openpyxl libxml2-utils unzip           # tests: independent readers of the xlsx, XML and zip reports
	clang libclang-rt-14-dev valgrind              # fuzzing (libFuzzer), memcheck of the release build
	nodejs chromium                                # GOV.UK Frontend assets (npm), browser tests (Playwright)
)
# Debian's nodejs has npm apart; NodeSource's nodejs bundles it and conflicts
# with Debian's npm package, so ask for npm only when there is none.
command -v npm >/dev/null 2>&1 || PKGS+=(npm)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	echo "installing: ${missing[*]}" >&2
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# The npm packages, exactly as package-lock.json pins them: govuk-frontend
# (whose built CSS, fonts and images the server serves) and the browser
# tests' playwright-core and axe-core.  npm keeps its own copy of the lock
# in node_modules/.package-lock.json, so a lock file newer than that copy
# means the tree is stale.  --ignore-scripts: nothing runs at install time
# (playwright-core downloads no browser; the tests use Debian's chromium).
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "npm ci: installing the packages of package-lock.json into node_modules/" >&2
	npm ci --ignore-scripts --no-audit --no-fund >&2
fi
