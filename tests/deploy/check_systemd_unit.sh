#!/usr/bin/env bash
# systemd-analyze verify accepts deploy/chiso.service without a warning. verify requires the
# programs of Exec* lines to exist, so a copy runs with /usr/local/bin/chiso replaced by the
# built binary; everything else is the shipped unit.
#   tests/deploy/check_systemd_unit.sh SOURCE_DIR CHISO_BINARY
set -euo pipefail
source_dir="${1:?usage: check_systemd_unit.sh SOURCE_DIR CHISO_BINARY}"
chiso="${2:?usage: check_systemd_unit.sh SOURCE_DIR CHISO_BINARY}"
work="$(mktemp -d /tmp/chiso_unit.XXXXXX)"
trap 'rm -rf "$work"' EXIT
unit="$source_dir/deploy/chiso.service"
grep -q '^ExecStart=/usr/local/bin/chiso serve --config /etc/chiso/chiso.yaml$' "$unit" ||
  { echo "FAIL: ExecStart is not /usr/local/bin/chiso serve --config /etc/chiso/chiso.yaml"; exit 1; }
sed "s|/usr/local/bin/chiso|$chiso|g" "$unit" >"$work/chiso.service"
out="$(systemd-analyze verify "$work/chiso.service" 2>&1)" || { echo "FAIL: $out"; exit 1; }
[ -z "$out" ] || { echo "FAIL: systemd-analyze verify warns: $out"; exit 1; }
echo "deploy/chiso.service: ok"
