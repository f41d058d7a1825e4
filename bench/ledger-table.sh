#!/usr/bin/env bash
# Times the ledger commands on synthetic ledgers (bench/make-ledger.py) in
# SQLite and, when TRUCE_TEST_POSTGRES holds an admin URL, in PostgreSQL
# (database truce_bench, dropped and made anew), and prints a Markdown table
# of wall time and peak memory (max RSS), best of N runs for the reads.
# Usage: bench/ledger-table.sh [runs, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release --quiet
bin=target/release/truce
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 bench/make-ledger.py 100002 > "$tmp/100k.jsonl"
python3 bench/make-ledger.py 1000000 > "$tmp/1m.jsonl"
python3 bench/make-ledger.py 1000000 100000 500000 > "$tmp/1m-worst.jsonl"

# "wall_s rss_mib" of one run of the command.
timed() {
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  read -r wall kb < "$tmp/time"
  echo "$wall $(( kb / 1024 ))"
}
best() {
  local b="" r=""
  for _ in $(seq "$runs"); do
    read -r w m < <(timed "$@")
    if [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if $w < $b else 1)"; then b=$w; r=$m; fi
  done
  echo "$b $r"
}
fresh() { # a new, empty ledger location for backend $1, name $2
  if [ "$1" = SQLite ]; then rm -f "$tmp/$2.db"*; echo "$tmp/$2.db"; else
    local admin=$TRUCE_TEST_POSTGRES
    PGOPTIONS=--client-min-messages=warning psql "$admin" -qc "DROP DATABASE IF EXISTS truce_bench_$2 WITH (FORCE)" -c "CREATE DATABASE truce_bench_$2" >&2
    echo "${admin%/*}/truce_bench_$2"
  fi
}
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5"; }

backends=(SQLite)
[ -n "${TRUCE_TEST_POSTGRES:-}" ] && backends+=(PostgreSQL)
echo "| database | operation | ledger | wall (s) | peak RSS (MiB) |"
echo "|---|---|---|---:|---:|"
for be in "${backends[@]}"; do
  for name in 100k 1m 1m-worst; do
    db=$(fresh "$be" "${name//-/_}")
    "$bin" ledger init --db "$db" 2> /dev/null
    read -r w m < <(timed "$bin" ledger import "$tmp/$name.jsonl" --db "$db")
    row "$be" "import" "$name" "$w" "$m"
    read -r w m < <(best "$bin" ledger status --at 2025-04-19 --db "$db" --format json)
    row "$be" "status --format json" "$name" "$w" "$m"
    if [ "$name" = 1m ]; then
      read -r w m < <(best "$bin" ledger verify --db "$db")
      row "$be" "verify" "$name" "$w" "$m"
    fi
  done
  if [ "$be" = PostgreSQL ]; then
    for n in 100k 1m 1m_worst; do PGOPTIONS=--client-min-messages=warning psql "$TRUCE_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS truce_bench_$n WITH (FORCE)"; done
  fi
done
