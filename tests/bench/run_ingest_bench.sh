#!/usr/bin/env bash
# Ingest benchmark: the same payloads (ingest_load, fixed seed and timestamps) sent to chiso and
# to its peers on this machine, one server at a time, each on a fresh data directory.
#   Influx line protocol: chiso, VictoriaMetrics, InfluxDB 1.x
#   remote write:         chiso, VictoriaMetrics, Prometheus (--web.enable-remote-write-receiver)
#   JSON readings:        chiso
# Usage: tests/bench/run_ingest_bench.sh [BUILD_DIR]   (default build/release; measure release only)
# Environment: CONNECTIONS (8), REQUESTS per connection (25), ITEMS per request (10000),
# SERIES (200000), ONLY (e.g. "influx" to run one protocol).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
chiso="$build/app/chiso"
load="$build/tests/bench/ingest_load"
work="$(mktemp -d /tmp/chiso_ingest_bench.XXXXXX)"
token="bench-secret"
connections=${CONNECTIONS:-8} requests=${REQUESTS:-25} items=${ITEMS:-10000} series=${SERIES:-200000}
base_ms=$(( $(date +%s) * 1000 - 600000 ))

source "$root/tests/bench/servers.sh"

run() {  # NAME PROTOCOL PATH [TOKEN]
  local line
  line=$("$load" --port "$port" --protocol "$2" --path "$3" --token "${4:-}" --connections "$connections" \
         --requests "$requests" --items "$items" --series "$series" --base-ms "$base_ms") || true
  printf '%-16s %s\n' "$1" "$line"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; ${connections} connections x ${requests} requests x ${items} items, ${series} series"
echo "# chiso store: SyncMode::kPerBatch (every acknowledged write is fsynced before the answer)"
if [ -z "${ONLY:-}" ] || [ "$ONLY" = influx ]; then
  start_chiso influx;     run chiso influx "/write?precision=ms" "$token"; stop_server
  start_victoria influx;  run victoria influx "/write?precision=ms"; stop_server
  start_influxdb;         run influxdb influx "/write?db=bench&precision=ms"; stop_server
fi
if [ -z "${ONLY:-}" ] || [ "$ONLY" = remote_write ]; then
  start_chiso rw;         run chiso remote_write /api/v1/write "$token"; stop_server
  start_victoria rw;      run victoria remote_write /api/v1/write; stop_server
  start_prometheus;       run prometheus remote_write /api/v1/write; stop_server
fi
if [ -z "${ONLY:-}" ] || [ "$ONLY" = json ]; then
  start_chiso json;       run chiso json /api/v1/readings "$token"; stop_server
fi
