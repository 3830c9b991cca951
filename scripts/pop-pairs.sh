#!/bin/bash
# Screen pops with the audit trail on and off, in alternating pairs (docs/benchmarks.md, "Screen pops with their reads
# audited"). Usage: scripts/pop-pairs.sh DATA_DIR API_KEY [PAIRS] [OUT_DIR]
#   DATA_DIR: a seeded store (switchboard seed --customers 1000000 --data-dir DATA_DIR)
#   API_KEY:  an Admin key of that store (switchboard apikeys create --name bench --role Admin --data-dir DATA_DIR)
# Odd pairs run on then off, even pairs off then on (FIRST=off swaps that). Needs a Release build:
# dotnet build src/Switchboard -c Release.
set -euo pipefail
data=${1:?data dir}; key=${2:?api key}; pairs=${3:-6}; out=${4:-/tmp/pop-pairs}
if [ "${FIRST:-on}" = off ]; then FIRST_OFFSET=1; fi
bin="$(dirname "$0")/../artifacts/bin/Switchboard/release/switchboard"
mkdir -p "$out"; : > "$out/summary.txt"
for pair in $(seq 1 "$pairs"); do
  if [ $(((pair + ${FIRST_OFFSET:-0}) % 2)) = 1 ]; then order="on off"; else order="off on"; fi
  for mode in $order; do
    if [ "$mode" = off ]; then export Audit__Enabled=false; else unset Audit__Enabled; fi
    "$bin" serve --data-dir "$data" --urls http://127.0.0.1:5090 > "$out/serve-$pair-$mode.log" 2>&1 &
    server=$!
    for _ in $(seq 1 90); do curl -sf http://127.0.0.1:5090/health/ready > /dev/null && break; sleep 1; done
    "$bin" simulate --url http://127.0.0.1:5090 --rate 400 --duration 60 --warmup 30 --agents 5000 --api-key "$key" > "$out/simulate-$pair-$mode.log" 2>&1
    kill "$server"; wait "$server" 2> /dev/null || true
    echo "pair $pair $mode: $(grep -oE 'pops [0-9]+, lost [0-9]+.*' "$out/simulate-$pair-$mode.log" | head -1)" | tee -a "$out/summary.txt"
  done
done
