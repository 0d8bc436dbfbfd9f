#!/usr/bin/env bash
# Remote-read benchmark: the same province (remote_read_load load: 100 communes x 30 indicators x
# 5 years of monthly readings, every 20th corrected) written to chiso and to InfluxDB 1.x through
# remote write, then the three queries of a dashboard sent to both through remote read
# (chiso: /api/v1/read; InfluxDB: /api/v1/prom/read), in alternating rounds, with the ratio of
# the median times. Both answers must carry the same samples (same checksum).
# Usage: tests/bench/run_remote_read_bench.sh [BUILD_DIR]   (default build/release)
# Environment: ROUNDS (3), REPEAT per round (20).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
chiso="$build/app/chiso"
load="$build/tests/bench/remote_read_load"
work="$(mktemp -d /tmp/chiso_read_bench.XXXXXX)"
token="bench-secret"
rounds=${ROUNDS:-3} repeat=${REPEAT:-20}

source "$root/tests/bench/servers.sh"

start_chiso read; chiso_port=$port chiso_pid=$server_pid
start_influxdb; influx_port=$port influx_pid=$server_pid
server_pid=""
stop_both() { kill "$chiso_pid" "$influx_pid" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop_both; rm -rf "$work"' EXIT

echo "# $(date -u +%FT%TZ) $(nproc) cores; $(influxd version 2>/dev/null | head -1)"
"$load" load --port "$chiso_port" --token "$token" --write-path /api/v1/write | sed 's/^/chiso    /'
"$load" load --port "$influx_port" --write-path "/api/v1/prom/write?db=bench" | sed 's/^/influxdb /'
for round in $(seq 1 "$rounds"); do
  "$load" query --port "$chiso_port" --token "$token" --read-path /api/v1/read --repeat "$repeat" \
    | sed "s/^/round=$round server=chiso /"
  "$load" query --port "$influx_port" --read-path "/api/v1/prom/read?db=bench" --repeat "$repeat" \
    | sed "s/^/round=$round server=influxdb /"
done | tee "$work/results"
echo "# ratio = InfluxDB median / chiso median, over all rounds (> 1: chiso is faster)"
awk '{ for (i = 1; i <= NF; ++i) { split($i, kv, "="); f[kv[1]] = kv[2] }
       key = f["query"]; t[key, f["server"]] += f["median_ms"]; n[key, f["server"]]++;
       sum[key, f["server"]] = f["checksum"]; seen[key] = 1 }
     END { for (q in seen) printf "%-22s chiso=%.2fms influxdb=%.2fms ratio=%.2f same_answer=%s\n", q,
             t[q, "chiso"] / n[q, "chiso"], t[q, "influxdb"] / n[q, "influxdb"],
             (t[q, "influxdb"] / n[q, "influxdb"]) / (t[q, "chiso"] / n[q, "chiso"]),
             sum[q, "chiso"] == sum[q, "influxdb"] ? "yes" : "NO" }' "$work/results"
