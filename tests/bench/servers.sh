# Starting and stopping the servers the benchmarks measure, one at a time, on free loopback
# ports. Sourced by the run_*.sh scripts, which set: $work (a scratch directory, removed at exit),
# $chiso (the binary) and $token (chiso's admin token). Each start_* sets $port and $server_pid.
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# free_port, wait_ready
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/ports.sh"

stop_server() {
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

start_chiso() {  # NAME [CONFIG]
  port=$(free_port)
  CHISO_ADMIN_TOKEN=$token "$chiso" serve ${2:+--config "$2"} --listen "127.0.0.1:$port" \
    --data-dir "$work/chiso-$1" 2>"$work/chiso-$1.log" & server_pid=$!
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

