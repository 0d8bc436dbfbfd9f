#!/usr/bin/env bash
# A real Prometheus (Debian's /usr/bin/prometheus, 2.42) scrapes chiso_bench_metrics' /metrics
# at national scale with the default scrape timeout (10 s), then prints, per target, whether
# the scrape succeeded, scrape_duration_seconds and scrape_samples_scraped.
# Usage: tools/bench/run_metrics_scrape.sh [BUILD_DIR]   (default build/release; release only)
# Environment: SHARDS=province to scrape one target per province (/metrics?province=ID, as
# deploy/prometheus.yml does) instead of the whole /metrics; SCRAPES (3) scrapes per target,
# INTERVAL (20s) between them; COMMUNES (3321); RULES, an alert rule file whose alerts to export
# too (e.g. deploy/rules/default.yaml).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/release}"
bench="$build/tools/chiso_bench_metrics"
work="$(mktemp -d /tmp/chiso_metrics_scrape.XXXXXX)"
scrapes=${SCRAPES:-3} interval=${INTERVAL:-20} communes=${COMMUNES:-3321}
bench_pid="" prom_pid=""

cleanup() {
  for pid in $prom_pid $bench_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

"$bench" --communes "$communes" --renders 1 ${RULES:+--rules "$RULES"} --serve 0 >"$work/bench.out" 2>&1 & bench_pid=$!
for _ in $(seq 1 600); do grep -q '^serving' "$work/bench.out" && break; sleep 0.2; done
grep -q '^serving' "$work/bench.out" || { cat "$work/bench.out"; exit 1; }
cat "$work/bench.out"
bench_port="$(sed -n 's|^serving http://127.0.0.1:\([0-9]*\)/metrics|\1|p' "$work/bench.out")"

{
  printf 'global:\n  scrape_interval: %ss\n  scrape_timeout: 10s\nscrape_configs:\n' "$interval"
  printf '  - job_name: chiso\n    honor_labels: true\n    static_configs:\n'
  if [ "${SHARDS:-}" = province ]; then
    provinces="$(python3 -c "print(' '.join('province_%02d' % p for p in range(34)))")"
    for province in $provinces; do
      printf '      - targets: ["127.0.0.1:%s"]\n        labels: {province: %s}\n' "$bench_port" "$province"
    done
    printf '    relabel_configs:\n      - source_labels: [province]\n        target_label: __param_province\n'
  else
    printf '      - targets: ["127.0.0.1:%s"]\n' "$bench_port"
  fi
} >"$work/prometheus.yml"
prom_port=$(free_port)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/prom" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=error 2>"$work/prom.log" & prom_pid=$!
for _ in $(seq 1 300); do curl -fsS -o /dev/null "http://127.0.0.1:$prom_port/-/ready" 2>/dev/null && break; sleep 0.1; done

echo "# Prometheus $(prometheus --version 2>&1 | sed -n '1s/.*version \([^ ]*\).*/\1/p'), scrape_timeout 10s," \
  "interval ${interval}s; waiting for $scrapes scrapes"
sleep $((scrapes * interval + 5))
query() {  # PROMQL -> "labels value" lines
  curl -fsS "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" |
    python3 -c 'import json,sys
for r in json.load(sys.stdin)["data"]["result"]:
    print(r["metric"].get("province","all"), r["value"][1])'
}
echo "# per target: successful/all scrapes, scrape_duration_seconds (max: the first scrape, which
# creates the series; last), scrape_samples_scraped"
query 'sum_over_time(up[10m])' | sort >"$work/succeeded"
query 'count_over_time(up[10m])' | sort >"$work/scrapes"
query 'max_over_time(scrape_duration_seconds[10m])' | sort >"$work/duration"
query 'scrape_duration_seconds' | sort >"$work/last"
query 'max_over_time(scrape_samples_scraped[10m])' | sort >"$work/samples"
join "$work/succeeded" "$work/scrapes" | join - "$work/duration" | join - "$work/last" | join - "$work/samples" |
  awk '{printf "%-14s up=%s/%s duration max=%.3fs last=%.3fs samples=%s\n", $1, $2, $3, $4, $5, $6
        if ($4 > max) max = $4; if ($5 > last) last = $5; sum += $6; ok += $2; all += $3}
       END {printf "targets=%d scrapes_ok=%d/%d max_duration=%.3fs max_last_duration=%.3fs total_samples=%d\n",
            NR, ok, all, max, last, sum}'
curl -fsS "http://127.0.0.1:$prom_port/api/v1/targets" |
  python3 -c 'import json,sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    if t["lastError"]: print("scrape error:", t["scrapeUrl"], t["lastError"])'
echo "prometheus RSS: $(ps -o rss= -p "$prom_pid" | awk '{printf "%.0f MiB", $1/1024}')"
