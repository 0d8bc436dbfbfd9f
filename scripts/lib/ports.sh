# Shell helpers for starting servers on free loopback ports, sourced by scripts/demo and the
# benchmark scripts (tests/bench/servers.sh).

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_ready() {  # URL [PID]: until URL answers 2xx (30 s at most); fails early when PID has exited
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "server not ready at $1" >&2; return 1
}
