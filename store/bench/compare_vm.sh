#!/usr/bin/env bash
# compare_vm.sh: disk bytes per sample of chiso's store and of VictoriaMetrics, on the same two
# data sets (store/bench/datasets.h), measured in the same run.
#
#   store/bench/compare_vm.sh [WORK_DIR] [DAYS]
#
# For each data set: store_bench ingests it into a fresh store and compacts it fully; a fresh
# VictoriaMetrics (Debian package, on a free loopback port, stopped by PID) ingests the same
# samples as InfluxDB line protocol through /write, then is flushed (/internal/force_flush) and
# merged (/internal/force_merge per monthly partition); its size is data/ + indexdb/. DAYS
# shortens data set (b) for a quick run (default 30, the full set).
#
# Needs: store_bench built in the release preset, victoria-metrics, curl, python3, GNU split.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=${STORE_BENCH:-$ROOT/build/release/store/bench/store_bench}
VM=${VICTORIA_METRICS:-victoria-metrics}
WORK=${1:-/tmp/chiso-store-bench}
DAYS=${2:-30}
VM_PID=

stop_vm() {
  if [[ -n $VM_PID ]]; then
    kill "$VM_PID" 2>/dev/null || true
    wait "$VM_PID" 2>/dev/null || true
    VM_PID=
  fi
}
trap stop_vm EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Sum of a VictoriaMetrics metric over its label sets, optionally only those whose labels
# contain $2.
vm_metric() {
  curl -sf "http://127.0.0.1:$PORT/metrics" |
    awk -v name="$1" -v filter="${2:-}" '
      (index($1, name "{") == 1 || $1 == name) && index($1, filter) > 0 { sum += $2 }
      END { printf "%.0f\n", sum }'
}

wait_until() {  # wait_until SECONDS COMMAND...: polls COMMAND once a second
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || { echo "timed out waiting for: $*" >&2; return 1; }
    sleep 1
  done
}

vm_stored_all() { [[ $(vm_metric vm_rows 'storage/') -ge $1 ]]; }
vm_merges_done() { [[ $(vm_metric vm_active_force_merges) -eq 0 ]]; }
vm_healthy() { curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; }

measure_vm() {  # measure_vm DATASET SAMPLES
  local dir=$WORK/vm_$1
  rm -rf "$dir" && mkdir -p "$dir"
  PORT=$(free_port)
  "$VM" -storageDataPath="$dir" -httpListenAddr="127.0.0.1:$PORT" -retentionPeriod=100y \
    -search.disableCache -loggerLevel=WARN >"$WORK/vm_$1.log" 2>&1 &
  VM_PID=$!
  wait_until 60 vm_healthy
  local start=$SECONDS
  "$BENCH" influx "$1" "$DAYS" |
    split -l 200000 --filter="curl -sf --data-binary @- 'http://127.0.0.1:$PORT/write?precision=ms'"
  curl -sf "http://127.0.0.1:$PORT/internal/force_flush" >/dev/null
  wait_until 600 vm_stored_all "$2"
  local ingest_s=$((SECONDS - start))
  for partition in $(ls "$dir/data/small" "$dir/data/big" 2>/dev/null | grep -E '^[0-9]{4}_[0-9]{2}$' | sort -u); do
    curl -sf "http://127.0.0.1:$PORT/internal/force_merge?partition_prefix=$partition" >/dev/null
  done
  sleep 2
  wait_until 7200 vm_merges_done
  sleep 5  # merged-away parts are removed asynchronously
  local stored bytes
  stored=$(vm_metric vm_rows 'storage/')
  bytes=$(du -sb "$dir/data" "$dir/indexdb" | awk '{ sum += $1 } END { print sum }')
  stop_vm
  echo "vm dataset=$1 samples=$stored ingest_s=$ingest_s data_bytes=$bytes" \
    "bytes_per_sample=$(awk -v b="$bytes" -v n="$stored" 'BEGIN { printf "%.3f", b / n }')"
}

mkdir -p "$WORK"
echo "# $(date -u +%FT%TZ) $(nproc) cores; $("$VM" -version 2>/dev/null || echo victoria-metrics)"
declare -A chiso_bps vm_bps
for dataset in a b; do
  rm -rf "$WORK/chiso_$dataset"
  line=$("$BENCH" size "$dataset" "$WORK/chiso_$dataset" "$DAYS")
  echo "chiso $line"
  samples=$(sed -E 's/.* samples=([0-9]+) .*/\1/' <<<"$line")
  chiso_bps[$dataset]=$(sed -E 's/.* bytes_per_sample=([0-9.]+).*/\1/' <<<"$line")
  rm -rf "$WORK/chiso_$dataset"
  line=$(measure_vm "$dataset" "$samples")
  echo "$line"
  vm_bps[$dataset]=$(sed -E 's/.* bytes_per_sample=([0-9.]+).*/\1/' <<<"$line")
  rm -rf "$WORK/vm_$dataset"
done
echo
printf '%-8s %18s %18s %12s\n' dataset chiso_bytes/sample vm_bytes/sample chiso/vm
for dataset in a b; do
  printf '%-8s %18s %18s %12s\n' "$dataset" "${chiso_bps[$dataset]}" "${vm_bps[$dataset]}" \
    "$(awk -v c="${chiso_bps[$dataset]}" -v v="${vm_bps[$dataset]}" 'BEGIN { printf "%.2f", c / v }')"
done
