#!/usr/bin/env bash
# run.sh FUZZER SECONDS SEED_DIR - a bounded libFuzzer run with a scratch
# corpus, so the seeds in the source tree are read but never written.
set -euo pipefail
fuzzer=$1 seconds=$2 seeds=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/corpus" "$scratch/work"
cd "$scratch/work"
# -error_exitcode=1: libFuzzer's default, 77, is what Meson reads as "skipped",
# which would hide every crash it finds.
exec "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -error_exitcode=1 \
	"$scratch/corpus" "$seeds"
