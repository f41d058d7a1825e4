#!/usr/bin/env bash
# Time and peak memory of `truce analyze --method search` on generated
# scenarios (6 options per issue, 2 red lines per party, a mediator, two
# plans, two linkages) against the size of the space and the number of
# parties; prints a Markdown table. Usage: bench/search-table.sh [timeout_s]
# Needs a release build: cargo build --release -p truce-cli
set -euo pipefail
limit=${1:-120}
truce=${TRUCE:-target/release/truce}
dir=$(mktemp -d)
echo "| parties | issues × options | packages | every optimum (s) | feasible count (s) | whole analysis (s) | peak memory (MiB) | feasible count |"
echo "|---|---|---|---|---|---|---|---|"
for parties in 2 4 6; do
  for issues in 5 8 12 15 19; do
    f=$dir/p${parties}_i${issues}.toml
    "$truce" generate --parties "$parties" --issues "$issues" --options 6 --red-lines 2 \
      --mediator --plans 2 --linkages 2 --seed 7 -o "$f"
    start=$(date +%s.%N)
    if /usr/bin/time -f "%M" -o "$dir/mem" timeout "$limit" "$truce" analyze "$f" --method search \
        --timings --format json > "$dir/out.json" 2>/dev/null; then
      end=$(date +%s.%N)
      secs=$(echo "$end - $start" | bc)
      mem=$(( $(tail -1 "$dir/mem") / 1024 ))
      exact=$(python3 -c "import json;d=json.load(open('$dir/out.json'))['feasible'];print('exact' if d['exact'] else 'estimated')")
      outcomes=$(python3 -c "import json;print(f\"{json.load(open('$dir/out.json'))['outcomes']:.1e}\")")
      split=$(python3 -c "import json;s=json.load(open('$dir/out.json'))['timings']['steps'];c=s.get('search: feasible count',0);o=sum(v for k,v in s.items() if k.startswith('search:'))-c;print(f'{o/1e3:.2f} | {c/1e3:.2f}')")
      printf "| %s | %s × 6 | %s | %s | %.2f | %s | %s |\n" "$parties" "$issues" "$outcomes" "$split" "$secs" "$mem" "$exact"
    else
      printf "| %s | %s × 6 | | | | > %s | | |\n" "$parties" "$issues" "$limit"
    fi
  done
done
rm -rf "$dir"
