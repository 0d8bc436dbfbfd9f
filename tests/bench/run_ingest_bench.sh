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
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_ready() {  # URL
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server not ready at $1" >&2; return 1
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

start_chiso() {
  port=$(free_port)
  CHISO_ADMIN_TOKEN=$token "$chiso" serve --listen "127.0.0.1:$port" --data-dir "$work/chiso-$1" \
    2>"$work/chiso-$1.log" & server_pid=$!
  wait_ready "http://127.0.0.1:$port/healthz"
}

start_victoria() {
  port=$(free_port)
  victoria-metrics -storageDataPath="$work/vm-$1" -httpListenAddr="127.0.0.1:$port" -loggerLevel=ERROR \
    2>"$work/vm-$1.log" & server_pid=$!
  wait_ready "http://127.0.0.1:$port/health"
}

start_influxdb() {
  port=$(free_port)
  local rpc; rpc=$(free_port)
  cat >"$work/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$work/influx/meta"
[data]
  dir = "$work/influx/data"
  wal-dir = "$work/influx/wal"
  wal-fsync-delay = "0s"
  max-values-per-tag = 0
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$port"
  log-enabled = false
CONF
  influxd -config "$work/influxdb.conf" 2>"$work/influx.log" & server_pid=$!
  wait_ready "http://127.0.0.1:$port/ping"
  curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$port/query" --data-urlencode "q=CREATE DATABASE bench"
}

start_prometheus() {
  port=$(free_port)
  printf 'global:\n  scrape_interval: 1h\n' >"$work/prometheus.yml"
  prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
    --web.listen-address="127.0.0.1:$port" --web.enable-remote-write-receiver --log.level=error \
    2>"$work/prom.log" & server_pid=$!
  wait_ready "http://127.0.0.1:$port/-/ready"
}

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
