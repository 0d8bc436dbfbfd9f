#!/usr/bin/env bash
# Overload without loss: chiso under more load than it may take, on 8 connections.
#
#   A. token rate: the write token may send RATE samples/s (ingest.rate_samples_per_second); the
#      load offers 4 x RATE for DURATION seconds in Influx line protocol. Refusals are 429.
#   B. in-flight budget: no rate limit but a small ingest.max_in_flight_bytes (2 MiB); the load
#      sends remote-write bodies of 10,000 samples as fast as 8 connections can for DURATION
#      seconds. Refusals are 503.
#
# Each scenario then offers RATE / 2 for 10 s (recovery: answered 2xx again within seconds), and
# ingest_load --verify reads every series back through remote read: every acknowledged sample
# must be there with its value. It prints ingest_load's figures and chiso's peak resident memory
# (VmHWM). Exit status 1 when any answer was not 2xx / 429 / 503 with Retry-After, or a sample is
# missing.
# Usage: tests/bench/run_overload.sh [BUILD_DIR]   (default build/release)
# Environment: RATE (100000), DURATION (60).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
chiso="$build/app/chiso"
load="$build/tests/bench/ingest_load"
work="$(mktemp -d /tmp/chiso_overload.XXXXXX)"
token="overload-secret"
rate=${RATE:-100000} duration=${DURATION:-60}
failed=0

source "$root/tests/bench/servers.sh"

config() {  # NAME RATE IN_FLIGHT_BYTES: the shipped config with the two ingest limits changed
  mkdir -p "$work/$1"
  cp -r "$root/deploy/catalog" "$root/deploy/plans" "$root/deploy/rules" "$work/$1/"
  sed -e "s/^\(  rate_samples_per_second:\) [0-9]*/\1 $2/" \
      -e "s/^\(  max_in_flight_bytes:\) [0-9]*/\1 $3/" "$root/deploy/chiso.yaml" >"$work/$1/chiso.yaml"
  echo "$work/$1/chiso.yaml"
}

phase() {  # LABEL PROTOCOL PATH ITEMS SECONDS OFFERED_RATE BASE_MS
  echo "## $1"
  "$load" --port "$port" --token "$token" --protocol "$2" --path "$3" --connections 8 \
    --items "$4" --series 80000 --duration "$5" --rate "$6" --base-ms "$7" --verify || failed=1
}

peak_memory() { grep -E 'VmHWM' "/proc/$server_pid/status" | awk '{printf "chiso peak resident memory: %.0f MiB\n", $2/1024}'; }

now_ms() { echo $(( $(date +%s) * 1000 - 600000 )); }  # ten minutes back: a run spans a few seconds of timestamps

echo "# $(date -u +%FT%TZ) $(nproc) cores; rate ${rate} samples/s, ${duration} s"
start_chiso rate "$(config rate "$rate" 268435456)"
phase "A. 4 x the token's rate (influx)" influx "/write?precision=ms" 1000 "$duration" $((4 * rate)) "$(now_ms)"
phase "A. recovery at half the rate" influx "/write?precision=ms" 1000 10 $((rate / 2)) "$(now_ms)"
peak_memory; stop_server

start_chiso inflight "$(config inflight 0 2097152)"
phase "B. past the in-flight budget (remote write, unpaced)" remote_write /api/v1/write 10000 "$duration" 0 "$(now_ms)"
phase "B. recovery at half the rate" remote_write /api/v1/write 1000 10 $((rate / 2)) "$(now_ms)"
peak_memory; stop_server
exit "$failed"
