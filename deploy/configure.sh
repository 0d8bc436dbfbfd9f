#!/usr/bin/env bash
# Writes the configuration of a chiso stack (chiso, Prometheus, Alertmanager, Grafana) from the
# shipped deploy/chiso.yaml, deploy/prometheus.yml and grafana/provisioning/datasources/chiso.yaml,
# with a fresh read token for Prometheus' remote_read and a fresh admin token. With no options it
# prepares docker-compose.yml (run from anywhere):
#
#   deploy/configure.sh     # writes deploy/compose/ and deploy/.env; keeps tokens already there
#
# Options (scripts/demo passes them all, for processes on loopback ports):
#   --out DIR               where to write chiso.yaml, prometheus.yml, chiso_read_token and
#                           grafana-datasources/chiso.yaml (default: deploy/compose)
#   --env-file FILE         CHISO_ADMIN_TOKEN and GRAFANA_ADMIN_PASSWORD, written when missing
#                           (default: deploy/.env, which docker-compose reads)
#   --deploy-dir DIR        where chiso finds deploy/'s catalog/, plans/ and rules/ (default: /etc/chiso)
#   --chiso HOST:PORT       where Prometheus reaches chiso (default: chiso:9157)
#   --alertmanager URL      where chiso sends its alerts (default: http://alertmanager:9093)
#   --token-file PATH       where Prometheus reads the token (default: /run/secrets/chiso_read_token)
#   --rules-dir DIR         where Prometheus finds deploy/prometheus_rules/
#                           (default: /etc/prometheus/prometheus_rules)
#   --prometheus URL        where Grafana reaches Prometheus (default: http://prometheus:9090)
#   --scrape-interval DUR   Prometheus' scrape interval (default: the shipped 1m)
set -euo pipefail
deploy="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$deploy/compose" env_file="$deploy/.env" deploy_dir=/etc/chiso chiso=chiso:9157
alertmanager=http://alertmanager:9093 token_file=/run/secrets/chiso_read_token scrape_interval=""
prometheus=http://prometheus:9090 rules_dir=/etc/prometheus/prometheus_rules
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2" ;;
    --env-file) env_file="$2" ;;
    --deploy-dir) deploy_dir="$2" ;;
    --chiso) chiso="$2" ;;
    --alertmanager) alertmanager="$2" ;;
    --token-file) token_file="$2" ;;
    --prometheus) prometheus="$2" ;;
    --rules-dir) rules_dir="$2" ;;
    --scrape-interval) scrape_interval="$2" ;;
    *) echo "configure.sh: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2 || { echo "configure.sh: $1 needs a value" >&2; exit 2; }
done

secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# Fails naming the shipped file when a substitution below no longer finds its line.
expect() {  # FILE PATTERN COUNT
  [ "$(grep -c -- "$2" "$1")" = "$3" ] ||
    { echo "configure.sh: $1: expected $3 line(s) matching '$2'; was the shipped file changed?" >&2; exit 1; }
}

mkdir -p "$out"
chmod 700 "$out"
# The token file is readable by all (the containers' users differ from yours) inside a
# directory only you can open.
if [ ! -s "$out/chiso_read_token" ]; then
  (umask 022 && secret >"$out/chiso_read_token")
fi
read_sha256="$(sha256sum <"$out/chiso_read_token" | cut -d' ' -f1)"
if [ ! -s "$env_file" ]; then
  (umask 077 && printf 'CHISO_ADMIN_TOKEN=%s\nGRAFANA_ADMIN_PASSWORD=%s\n' "$(secret)" "$(secret)" >"$env_file")
fi

# chiso.yaml: the shipped file with absolute catalog, plan and rule patterns, the Alertmanager,
# and Prometheus' read token (its SHA-256, never the secret).
sed -e "s#^  - \(catalog\|plans\|rules\)/#  - $deploy_dir/\1/#" \
    -e "s|^  # alertmanagers: .*|  alertmanagers: [$alertmanager]|" \
    -e "s|^tokens: \[\]\$|tokens:\n  - {name: prometheus, sha256: $read_sha256, role: read}|" \
    "$deploy/chiso.yaml" >"$out/chiso.yaml"
expect "$out/chiso.yaml" "^  - $deploy_dir/" 3
expect "$out/chiso.yaml" "^  alertmanagers: " 1
expect "$out/chiso.yaml" "sha256: $read_sha256" 1

# prometheus.yml: the shipped file with chiso's address, the token file and the rules directory,
# and the Alertmanager that receives the alerts of those rules.
{
  sed -e "s|127\.0\.0\.1:9157|$chiso|g" \
      -e "s|credentials_file: /etc/prometheus/chiso_read_token|credentials_file: $token_file|" \
      -e "s|^  - prometheus_rules/|  - $rules_dir/|" \
      ${scrape_interval:+-e "s|^  scrape_interval: 1m\$|  scrape_interval: $scrape_interval|"} \
      "$deploy/prometheus.yml"
  printf '\n# Added by deploy/configure.sh: where the alerts of rule_files go.\n'
  printf 'alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ["%s"]\n' "${alertmanager#http://}"
} >"$out/prometheus.yml"
expect "$out/prometheus.yml" "$chiso" 6
expect "$out/prometheus.yml" "credentials_file: $token_file\$" 1
expect "$out/prometheus.yml" "^  - $rules_dir/" 1
[ -z "$scrape_interval" ] || expect "$out/prometheus.yml" "^  scrape_interval: $scrape_interval\$" 1

# Grafana's datasources: the shipped file with the addresses of Prometheus and Alertmanager.
datasources="$deploy/../grafana/provisioning/datasources/chiso.yaml"
mkdir -p "$out/grafana-datasources"
sed -e "s|url: http://127\.0\.0\.1:9090\$|url: $prometheus|" \
    -e "s|url: http://127\.0\.0\.1:9093\$|url: $alertmanager|" \
    "$datasources" >"$out/grafana-datasources/chiso.yaml"
expect "$out/grafana-datasources/chiso.yaml" "url: $prometheus\$" 1
expect "$out/grafana-datasources/chiso.yaml" "url: $alertmanager\$" 1
