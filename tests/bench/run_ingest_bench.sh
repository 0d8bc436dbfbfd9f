#!/usr/bin/env bash
# Ingest benchmark: the same payloads (ingest_load, fixed seed and timestamps) sent to chiso and
# to its peers on this machine, one server at a time, each on a fresh data directory.
#   Influx line protocol: chiso, VictoriaMetrics, InfluxDB 1.x
#   remote write:         chiso, VictoriaMetrics, Prometheus (--web.enable-remote-write-receiver)
#   JSON readings:        chiso (fixed mode only)
# Usage: tests/bench/run_ingest_bench.sh [BUILD_DIR]   (default build/release; measure release only)
# Environment:
#   MODE      fixed (default: mostly new series, 200,000 of them) or steady (known series,
#             advancing timestamps; ingest_load --steady)
#   RUNS      rounds (default 1); each round runs every server once, in an order rotated by one
#             from the round before, and the end prints each server's median and chiso's ratio
#   CONNECTIONS (8), REQUESTS per connection (25; steady 38, i.e. 304 requests), ITEMS per
#   request (10000), SERIES (fixed: 200000), ONLY (e.g. "influx" to run one protocol)
#   steady: COMMUNES (3321), INDICATORS (20), CORRECTIONS (0), RETRIES (0) as in ingest_load.
#   Prometheus refuses a correction (400: a duplicate or out-of-order sample), so with
#   CORRECTIONS > 0 it is left out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
chiso="$build/app/chiso"
load="$build/tests/bench/ingest_load"
work="$(mktemp -d /tmp/chiso_ingest_bench.XXXXXX)"
token="bench-secret"
mode=${MODE:-fixed} runs=${RUNS:-1}
connections=${CONNECTIONS:-8} items=${ITEMS:-10000} series=${SERIES:-200000}
if [ "$mode" = steady ]; then
  requests=${REQUESTS:-38}
  # The steady stream covers about requests x items / (series / connections) minutes; it ends
  # in the past so that no server refuses a timestamp as future.
  base_ms=$(( ($(date +%s) - 4 * 3600) * 1000 ))
  shape=(--steady --communes "${COMMUNES:-3321}" --indicators "${INDICATORS:-20}"
         --corrections "${CORRECTIONS:-0}" --retries "${RETRIES:-0}")
  describe="steady: ${COMMUNES:-3321} communes x ${INDICATORS:-20} indicators, corrections ${CORRECTIONS:-0}, retries ${RETRIES:-0}"
else
  requests=${REQUESTS:-25}
  base_ms=$(( $(date +%s) * 1000 - 600000 ))
  shape=(--series "$series")
  describe="fixed: ${series} series"
fi

source "$root/tests/bench/servers.sh"

results="$work/results"
run() {  # NAME PROTOCOL PATH [TOKEN]
  local line
  line=$("$load" --port "$port" --protocol "$2" --path "$3" --token "${4:-}" --connections "$connections" \
         --requests "$requests" --items "$items" --base-ms "$base_ms" "${shape[@]}") || true
  printf '%-16s %s\n' "$1" "$line"
  printf '%s %s %s\n' "$2" "$1" "$(sed -nE 's/.* samples_per_s=([0-9]+).*/\1/p' <<<"$line")" >>"$results"
}

# One server of a protocol: start it fresh, send the load, stop it.
measure() {  # PROTOCOL SERVER
  case "$1/$2" in
    influx/chiso)            start_chiso influx;    run chiso influx "/write?precision=ms" "$token" ;;
    influx/victoria)         start_victoria influx; run victoria influx "/write?precision=ms" ;;
    influx/influxdb)         start_influxdb;        run influxdb influx "/write?db=bench&precision=ms" ;;
    remote_write/chiso)      start_chiso rw;        run chiso remote_write /api/v1/write "$token" ;;
    remote_write/victoria)   start_victoria rw;     run victoria remote_write /api/v1/write ;;
    remote_write/prometheus) start_prometheus;      run prometheus remote_write /api/v1/write ;;
    json/chiso)              start_chiso json;      run chiso json /api/v1/readings "$token" ;;
  esac
  stop_server
  rm -rf "$work"/chiso-* "$work"/vm-* "$work"/influx "$work"/prom
}

# The servers of a protocol, rotated by `round`.
servers_of() {  # PROTOCOL ROUND
  local list
  case "$1" in
    influx) list=(chiso victoria influxdb) ;;
    remote_write)
      list=(chiso victoria prometheus)
      if [ "$mode" = steady ] && [ "${CORRECTIONS:-0}" != 0 ]; then list=(chiso victoria); fi ;;
    json) list=(chiso) ;;
  esac
  local n=${#list[@]}
  for ((i = 0; i < n; i++)); do echo "${list[(i + $2) % n]}"; done
}

protocols=(influx remote_write)
[ "$mode" = fixed ] && protocols+=(json)
echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); ${connections} connections x ${requests} requests x ${items} items, ${describe}"
echo "# chiso store: SyncMode::kPerBatch (every acknowledged write is fsynced before the answer)"
for ((round = 0; round < runs; round++)); do
  [ "$runs" -gt 1 ] && echo "# round $((round + 1)) of $runs"
  for protocol in "${protocols[@]}"; do
    if [ -n "${ONLY:-}" ] && [ "$ONLY" != "$protocol" ]; then continue; fi
    for server in $(servers_of "$protocol" "$round"); do measure "$protocol" "$server"; done
  done
done
if [ "$runs" -gt 1 ]; then
  echo "# median samples/s over $runs rounds; chiso / server"
  sort -k1,1 -k2,2 -k3,3n "$results" | awk '
    { key = $1 " " $2; v[key, ++n[key]] = $3; if (!(key in seen)) { seen[key] = 1; keys[++k] = key } }
    END {
      for (i = 1; i <= k; i++) {
        c = n[keys[i]]; m = c % 2 ? v[keys[i], (c + 1) / 2] : (v[keys[i], c / 2] + v[keys[i], c / 2 + 1]) / 2
        median[keys[i]] = m; split(keys[i], parts, " "); protocol[keys[i]] = parts[1]
      }
      for (i = 1; i <= k; i++) {
        split(keys[i], parts, " "); base = parts[1] " chiso"
        printf "%-14s %-12s %10.0f %s\n", parts[1], parts[2], median[keys[i]],
          (parts[2] == "chiso" || !(base in median) || median[keys[i]] == 0) ? "" : sprintf("%.2f", median[base] / median[keys[i]])
      }
    }'
fi
