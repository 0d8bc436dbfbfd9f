#!/usr/bin/env bash
# Forwarding benchmark: the same remote-write stream (ingest_load, fixed seed and timestamps)
# relayed to the same kind of VictoriaMetrics sink (fresh for each run) by
#   chiso   with remote_write: (durable queue in its store, fsync per accepted write)
#   vmagent (Debian victoria-metrics; its own on-disk queue, -remoteWrite.tmpDataPath)
# and chiso alone without forwarding, for the ingest cost of forwarding.
# Per run: the relay's ingest throughput (ingest_load's line), then `relayed_s`: seconds from the
# start of the load until the sink holds every sample (its vm_rows_inserted_total), and `lag_s`:
# from the end of the load until then (end-to-end forwarding lag of the last sample).
# Usage: tests/bench/run_forward_bench.sh [BUILD_DIR]   (default build/release; measure release)
# Environment: CONNECTIONS (4), REQUESTS per connection (25), ITEMS per request (2000),
# SERIES (20000).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
chiso="$build/app/chiso"
load="$build/tests/bench/ingest_load"
work="$(mktemp -d /tmp/chiso_forward_bench.XXXXXX)"
token="bench-secret"
connections=${CONNECTIONS:-4} requests=${REQUESTS:-25} items=${ITEMS:-2000} series=${SERIES:-20000}
total=$((connections * requests * items))
base_ms=$(( $(date +%s) * 1000 - 600000 ))

source "$root/tests/bench/servers.sh"
sink_pid=""
stop_sink() { if [ -n "$sink_pid" ]; then kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true; sink_pid=""; fi; }
trap 'stop_sink; cleanup' EXIT

start_sink() {  # NAME: a VictoriaMetrics that receives the relayed stream; sets $sink_port
  start_victoria "sink-$1"; sink_port=$port; sink_pid=$server_pid; server_pid=""
}

sink_rows() {
  curl -fsS "http://127.0.0.1:$sink_port/metrics" |
    awk '/^vm_rows_inserted_total\{type="promremotewrite"\}/ {print $2}'
}

now_s() { date +%s.%N; }

relay() {  # NAME PATH [TOKEN]: load into the relay on $port, then wait for the sink
  local began line ended rows
  began=$(now_s)
  line=$("$load" --port "$port" --protocol remote_write --path "$2" --token "${3:-}" \
         --connections "$connections" --requests "$requests" --items "$items" --series "$series" \
         --base-ms "$base_ms") || true
  ended=$(now_s)
  for _ in $(seq 1 6000); do
    rows=$(sink_rows); [ "${rows:-0}" -ge "$total" ] && break; sleep 0.05
  done
  local done_at; done_at=$(now_s)
  printf '%-22s %s relayed=%s relayed_s=%.2f lag_s=%.2f\n' "$1" "$line" "${rows:-0}" \
    "$(echo "$done_at - $began" | bc)" "$(echo "$done_at - $ended" | bc)"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; ${connections} connections x ${requests} requests x ${items} samples, ${series} series"

start_chiso plain; line=$("$load" --port "$port" --protocol remote_write --path /api/v1/write \
  --token "$token" --connections "$connections" --requests "$requests" --items "$items" \
  --series "$series" --base-ms "$base_ms") || true
printf '%-22s %s\n' "chiso (no forwarding)" "$line"; stop_server

start_sink chiso
cat >"$work/chiso.yaml" <<YAML
catalog: [$root/deploy/catalog/*.yaml]
plans: [$root/deploy/plans/*.yaml]
remote_write:
  queue: {max_pending_samples: 10000000, max_samples_per_send: 10000}
  endpoints:
    - {name: sink, url: "http://127.0.0.1:$sink_port/api/v1/write"}
YAML
start_chiso fwd "$work/chiso.yaml"; relay "chiso -> vm" /api/v1/write "$token"; stop_server; stop_sink

start_sink vmagent
port=$(free_port)
vmagent -httpListenAddr="127.0.0.1:$port" -remoteWrite.url="http://127.0.0.1:$sink_port/api/v1/write" \
  -remoteWrite.tmpDataPath="$work/vmagent" -loggerLevel=ERROR 2>"$work/vmagent.log" & server_pid=$!
wait_ready "http://127.0.0.1:$port/health"
relay "vmagent -> vm" /api/v1/write; stop_server; stop_sink
