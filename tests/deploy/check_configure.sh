#!/usr/bin/env bash
# deploy/configure.sh writes configs that their own checkers accept: with its defaults (the
# compose stack) a Prometheus config that promtool accepts, reaching chiso by service name (and
# Grafana's datasources reaching Prometheus by its name), and
# with the repository's deploy/ a chiso config that `chiso check` accepts; the env file it writes
# makes `docker-compose config` pass, and without it compose refuses to start.
#   tests/deploy/check_configure.sh SOURCE_DIR CHISO_BINARY
set -euo pipefail
source_dir="${1:?usage: check_configure.sh SOURCE_DIR CHISO_BINARY}"
chiso="${2:?usage: check_configure.sh SOURCE_DIR CHISO_BINARY}"
work="$(mktemp -d /tmp/chiso_configure.XXXXXX)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$source_dir/deploy/configure.sh" --out "$work/compose" --env-file "$work/env"
promtool check config "$work/compose/prometheus.yml"
grep -q 'url: http://chiso:9157/api/v1/read$' "$work/compose/prometheus.yml" || fail "remote_read does not reach chiso:9157"
grep -q 'credentials_file: /run/secrets/chiso_read_token$' "$work/compose/prometheus.yml" || fail "no token secret"
grep -q '^  alertmanagers: \[http://alertmanager:9093\]$' "$work/compose/chiso.yaml" || fail "no alertmanager"
read_sha256="$(sha256sum <"$work/compose/chiso_read_token" | cut -d' ' -f1)"
grep -q "sha256: $read_sha256, role: read}" "$work/compose/chiso.yaml" || fail "the read token's hash is not in chiso.yaml"
grep -q '^CHISO_ADMIN_TOKEN=[0-9a-f]\{48\}$' "$work/env" || fail "no admin token in the env file"
grep -q 'url: http://prometheus:9090$' "$work/compose/grafana-datasources/chiso.yaml" || fail "Grafana does not reach prometheus:9090"
# A second run keeps the tokens.
cp "$work/env" "$work/env.before"
"$source_dir/deploy/configure.sh" --out "$work/compose" --env-file "$work/env"
cmp -s "$work/env" "$work/env.before" || fail "a second run changed the env file"
grep -q "sha256: $read_sha256," "$work/compose/chiso.yaml" || fail "a second run changed the read token"

grep -q 'targets: \["alertmanager:9093"\]$' "$work/compose/prometheus.yml" || fail "Prometheus' alerts do not reach alertmanager:9093"

"$source_dir/deploy/configure.sh" --out "$work/local" --env-file "$work/env" \
  --deploy-dir "$source_dir/deploy" --chiso 127.0.0.1:9157 --alertmanager http://127.0.0.1:9093 \
  --token-file "$work/local/chiso_read_token" --rules-dir "$source_dir/deploy/prometheus_rules"
"$chiso" check --config "$work/local/chiso.yaml" --summary
# promtool reads the rule files too: they must be found.
promtool check config "$work/local/prometheus.yml" | tee "$work/promtool.out"
grep -q "SUCCESS: [1-9][0-9]* rules found" "$work/promtool.out" || fail "promtool found no rules in $source_dir/deploy/prometheus_rules"

compose="$source_dir/deploy/docker-compose.yml"
: >"$work/empty_env"  # not deploy/.env, which a configured checkout has
if env -u CHISO_ADMIN_TOKEN -u GRAFANA_ADMIN_PASSWORD \
  docker-compose --env-file "$work/empty_env" -f "$compose" config -q 2>"$work/err"; then
  fail "docker-compose accepts the stack without the tokens of the env file"
fi
grep -q 'run deploy/configure.sh first' "$work/err" || fail "compose does not say to run configure.sh: $(cat "$work/err")"
docker-compose --env-file "$work/env" -f "$compose" config >"$work/compose.out"
for service in chiso prometheus alertmanager grafana; do
  grep -q "^  $service:$" "$work/compose.out" || fail "no service $service"
done
# Every image is pinned to a version.
grep '^    image: ' "$work/compose.out" | grep -v '^    image: chiso:local$' >"$work/images"
[ "$(wc -l <"$work/images")" = 3 ] || fail "expected 3 official images: $(cat "$work/images")"
! grep -Eq ':latest$|^    image: [^:]*$' "$work/images" || fail "an image without a pinned version: $(cat "$work/images")"
# The shipped files it mounts exist (compose/ is what configure.sh wrote into $work).
grep -o "$source_dir/\(deploy\|grafana\)/[^:]*:" "$work/compose.out" | tr -d : | grep -v "/deploy/compose/" |
  while read -r path; do [ -e "$path" ] || fail "compose mounts $path, which does not exist"; done
echo "configure.sh and docker-compose.yml: ok"
