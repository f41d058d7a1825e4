#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 1800) on its seeded corpus, at
# low priority, logging to fuzz/logs/TARGET.log. docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
seconds=${2:-1800}
mkdir -p fuzz/logs fuzz/corpus/"$target"
nice -n 19 cargo +nightly fuzz run "$target" fuzz/corpus/"$target" -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 > fuzz/logs/"$target".log 2>&1
