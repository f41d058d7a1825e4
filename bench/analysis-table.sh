#!/usr/bin/env bash
# Times `truce analyze` on generated scenarios of 10^4 to 10^7 packages with 2
# to 5 parties and prints a Markdown table of wall time, the analysis time
# truce reports, peak memory (max RSS), feasible packages and frontier size.
# Usage: bench/analysis-table.sh [runs per cell, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release --quiet
bin=target/release/truce
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| packages | parties | wall (s, best of $runs) | analysis (ms) | peak RSS (MiB) | feasible | Pareto |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for e in 4 5 6 7; do
  for p in 2 3 4 5; do
    f="$tmp/s_${e}_${p}.toml"
    "$bin" generate --parties "$p" --issues "$e" --options 10 --seed 1 -o "$f"
    best_wall=""; best_ms=""; rss=0
    for _ in $(seq "$runs"); do
      /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" analyze "$f" --format json --timings > "$tmp/out.json"
      read -r wall kb < "$tmp/time"
      ms=$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["timings"]["analysis_ms"], 1))' "$tmp/out.json")
      if [ -z "$best_wall" ] || python3 -c "import sys; sys.exit(0 if $wall < $best_wall else 1)"; then best_wall=$wall; best_ms=$ms; fi
      [ "$kb" -gt "$rss" ] && rss=$kb
    done
    read -r feasible pareto < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["feasible"]["count"], d["pareto_count"])' "$tmp/out.json")
    printf '| 10^%s | %s | %s | %s | %.1f | %s | %s |\n' "$e" "$p" "$best_wall" "$best_ms" "$(echo "$rss/1024" | bc -l)" "$feasible" "$pareto"
  done
done
