#!/usr/bin/env bash
# The room under load (issue 11): a room from the shipped example, a draft,
# `truce serve` on loopback, then CLIENTS clients (default 50) reading and
# answering for SECONDS (default 60); prints the driver's counts and
# latency percentiles and the server's memory (RSS) every 10 s.
# Usage: bench/room-load.sh [CLIENTS] [SECONDS] [DB] [ANSWER_EVERY]
# (DB: a postgres:// URL of an empty database, or "" for a fresh SQLite
# file; ANSWER_EVERY: one request in this many answers, default 4).
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-50}
seconds=${2:-60}
cargo build --release --quiet -p truce-cli
cargo build --release --quiet -p truce-server --example room_load
bin=target/release/truce
tmp=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
db=${3:-$tmp/room.db}
every=${4:-4}
"$bin" room create examples/ukraine-2025.toml --db "$db" --format json > "$tmp/room.json"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$db" --listen "127.0.0.1:$port" > /dev/null &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null && break; sleep 0.05; done
room=$(python3 -c "import json; print(json.load(open('$tmp/room.json'))['room'])")
mediator=$(python3 -c "import json; print(json.load(open('$tmp/room.json'))['mediator_token'])")
curl -sf -X POST -H "Authorization: Bearer $mediator" -d '{"plan": "paris"}' \
  "http://127.0.0.1:$port/api/v1/rooms/$room/drafts" > /dev/null
( for i in $(seq 0 10 "$seconds"); do
    echo "t=${i}s server RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$server/status) / 1024 )) MiB"
    sleep 10
  done ) &
sampler=$!
target/release/examples/room_load "http://127.0.0.1:$port" "$tmp/room.json" "$clients" "$seconds" "$every"
kill $sampler 2>/dev/null || true
echo "server RSS at the end $(( $(awk '/VmRSS/ {print $2}' /proc/$server/status) / 1024 )) MiB"
