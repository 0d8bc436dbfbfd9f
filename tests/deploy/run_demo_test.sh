#!/usr/bin/env bash
# scripts/demo from start to finish, twice: with --check (it exits 0 once Prometheus returns the
# demo history through remote read and the scraped status series, and Alertmanager holds
# chiso's alerts), then as a user runs it, stopped with SIGTERM once it prints its addresses.
# Each time, none of the processes it started may be left running.
#   tests/deploy/run_demo_test.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
source_dir="${1:?usage: run_demo_test.sh SOURCE_DIR BUILD_DIR}"
build_dir="${2:?usage: run_demo_test.sh SOURCE_DIR BUILD_DIR}"
out="$(mktemp /tmp/chiso_demo_test.XXXXXX)"
demo_pid=""
trap '[ -z "$demo_pid" ] || kill "$demo_pid" 2>/dev/null; rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; sed 's/^/  demo: /' "$out"; exit 1; }

# The PIDs the demo printed, none of which may still run.
check_stopped() {  # WHEN
  local pids pid
  pids="$(sed -n 's/^Tiến trình (PID): //p' "$out")"
  [ "$(wc -w <<<"$pids")" = 3 ] || fail "$1: the demo did not print its 3 PIDs"
  for pid in $pids; do
    ! kill -0 "$pid" 2>/dev/null || fail "$1: process $pid ($(ps -o args= -p "$pid")) still runs"
  done
}

"$source_dir/scripts/demo" --check --build-dir "$build_dir" >"$out" 2>&1 ||
  fail "scripts/demo --check exited with $?"
grep -q '^Prometheus: [1-9][0-9]* chuỗi lịch sử qua remote read' "$out" || fail "--check did not report the history"
check_stopped "--check"
echo "ok: scripts/demo --check: $(tail -1 "$out")"

"$source_dir/scripts/demo" --build-dir "$build_dir" >"$out" 2>&1 &
demo_pid=$!
for _ in $(seq 600); do
  grep -q '^Nhấn Ctrl-C' "$out" && break
  kill -0 "$demo_pid" 2>/dev/null || fail "scripts/demo exited before printing its addresses"
  sleep 0.1
done
grep -q '^Nhấn Ctrl-C' "$out" || fail "scripts/demo did not print its addresses within 60 s"
prometheus="$(sed -n 's|^Prometheus: *\(http://127\.0\.0\.1:[0-9]*\)$|\1|p' "$out")"
curl -fsS -o /dev/null "$prometheus/-/ready" || fail "the printed Prometheus address $prometheus does not answer"
kill -TERM "$demo_pid"
wait "$demo_pid"
status=$?
demo_pid=""
[ "$status" = 143 ] || fail "after SIGTERM scripts/demo exited with $status, not 143"
check_stopped "SIGTERM"
echo "ok: scripts/demo stopped by SIGTERM left nothing running"
