#!/usr/bin/env bash
# Forwarding benchmark: the same remote-write stream (ingest_load, fixed seed and timestamps)
# relayed to the same kind of VictoriaMetrics sink (fresh for each run) by
#   chiso   with remote_write: (durable queue in its store, fsync per accepted write)
#   vmagent (Debian victoria-metrics; its own on-disk queue, -remoteWrite.tmpDataPath)
# and chiso alone without forwarding, for the ingest cost of forwarding. The three alternate over
# ROUNDS rounds (noise on a shared machine hits all three alike); medians are printed at the end.
# Both relays add the same external label (province=bench) and have the same number of requests
# in flight (chiso queue.shards, vmagent -remoteWrite.queues: SHARDS); chiso's evaluated plan
# series are left out by match so the sink counts the stream only.
# Per run: the relay's ingest throughput (ingest_load's line), then `relayed_s`: seconds from the
# start of the load until the sink holds every sample (its vm_rows_inserted_total), and `lag_s`:
# from the end of the load until then (end-to-end forwarding lag of the last sample), and the CPU
# seconds the relay and the sink used by then (less noisy than rates on a shared machine).
# Usage: tests/bench/run_forward_bench.sh [BUILD_DIR]   (default build/release; measure release)
# Environment: CONNECTIONS (4), REQUESTS per connection (25), ITEMS per request (2000),
# SERIES (20000), ROUNDS (3), SHARDS (4).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
chiso="$build/app/chiso"
load="$build/tests/bench/ingest_load"
work="$(mktemp -d /tmp/chiso_forward_bench.XXXXXX)"
token="bench-secret"
connections=${CONNECTIONS:-4} requests=${REQUESTS:-25} items=${ITEMS:-2000} series=${SERIES:-20000}
rounds=${ROUNDS:-3} shards=${SHARDS:-4}
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

cpu_s() {  # PID: CPU seconds (user + system) the process has used so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"
}

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
  printf '%-22s %s relayed=%s relayed_s=%.2f lag_s=%.2f relay_cpu_s=%s sink_cpu_s=%s\n' "$1" \
    "$line" "${rows:-0}" "$(echo "$done_at - $began" | bc)" "$(echo "$done_at - $ended" | bc)" \
    "$(cpu_s "$server_pid")" "$(cpu_s "$sink_pid")"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; ${connections} connections x ${requests} requests x ${items} samples, ${series} series; ${rounds} rounds; ${shards} shards"

cat >"$work/chiso.yaml.in" <<YAML
catalog: [$root/deploy/catalog/*.yaml]
plans: [$root/deploy/plans/*.yaml]
remote_write:
  queue: {max_pending_samples: 10000000, max_samples_per_send: 10000, shards: $shards}
  endpoints:
    - name: sink
      url: "http://127.0.0.1:SINK_PORT/api/v1/write"
      external_labels: {province: bench}
      match: ['__name__!~"chiso_indicator_status|chiso_plan_.*"']
YAML

results="$work/results"
for round in $(seq 1 "$rounds"); do
  start_chiso "plain-$round"
  line=$("$load" --port "$port" --protocol remote_write --path /api/v1/write \
    --token "$token" --connections "$connections" --requests "$requests" --items "$items" \
    --series "$series" --base-ms "$base_ms") || true
  printf '%-22s %s relay_cpu_s=%s\n' "chiso (no forwarding)" "$line" "$(cpu_s "$server_pid")" |
    tee -a "$results"
  stop_server

  start_sink "chiso-$round"
  sed "s/SINK_PORT/$sink_port/" "$work/chiso.yaml.in" >"$work/chiso.yaml"
  start_chiso "fwd-$round" "$work/chiso.yaml"
  relay "chiso -> vm" /api/v1/write "$token" | tee -a "$results"; stop_server; stop_sink

  start_sink "vmagent-$round"
  port=$(free_port)
  vmagent -httpListenAddr="127.0.0.1:$port" -remoteWrite.url="http://127.0.0.1:$sink_port/api/v1/write" \
    -remoteWrite.tmpDataPath="$work/vmagent-$round" -remoteWrite.queues="$shards" \
    -remoteWrite.label=province=bench -loggerLevel=ERROR 2>"$work/vmagent.log" & server_pid=$!
  wait_ready "http://127.0.0.1:$port/health"
  relay "vmagent -> vm" /api/v1/write | tee -a "$results"; stop_server; stop_sink
done

median() {  # the median of the numbers on stdin
  sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}
field() {  # RELAY FIELD: the values of FIELD=… on the result lines of RELAY
  grep -F "$1" "$results" | grep -o "$2=[0-9.]*" | cut -d= -f2
}
echo "# medians over $rounds rounds"
for relay_name in "chiso (no forwarding)" "chiso -> vm" "vmagent -> vm"; do
  printf '%-22s samples_per_s=%s relay_cpu_s=%s' "$relay_name" \
    "$(field "$relay_name" samples_per_s | median)" "$(field "$relay_name" relay_cpu_s | median)"
  if [ "$relay_name" != "chiso (no forwarding)" ]; then
    printf ' relayed_s=%s lag_s=%s sink_cpu_s=%s' "$(field "$relay_name" relayed_s | median)" \
      "$(field "$relay_name" lag_s | median)" "$(field "$relay_name" sink_cpu_s | median)"
  fi
  echo
done
on=$(field "chiso -> vm" samples_per_s | median); off=$(field "chiso (no forwarding)" samples_per_s | median)
echo "ingest with forwarding on / off: $(echo "scale=2; $on / $off" | bc)"
