#!/usr/bin/env bash
# What can be checked of deploy/Dockerfile without a Docker engine (building the image needs
# one): every instruction is a Dockerfile instruction, the base images are Debian 12, every file
# it copies from the build context exists and is not left out by .dockerignore, and the runtime
# packages it installs are found for the built chiso (deploy/runtime-packages.sh).
#   tests/deploy/check_dockerfile.sh SOURCE_DIR CHISO_BINARY
set -euo pipefail
source_dir="${1:?usage: check_dockerfile.sh SOURCE_DIR CHISO_BINARY}"
chiso="${2:?usage: check_dockerfile.sh SOURCE_DIR CHISO_BINARY}"
dockerfile="$source_dir/deploy/Dockerfile"
fail() { echo "FAIL: $*"; exit 1; }

# Instructions, with continuation lines joined and comments dropped.
instructions="$(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' "$dockerfile" | sed -e ':a' -e '/\\$/N; s/\\\n//; ta')"
while read -r keyword rest; do
  case "$keyword" in
    FROM | RUN | CMD | LABEL | EXPOSE | ENV | ADD | COPY | ENTRYPOINT | VOLUME | USER | WORKDIR | ARG | \
      ONBUILD | STOPSIGNAL | HEALTHCHECK | SHELL) ;;
    *) fail "not a Dockerfile instruction: $keyword $rest" ;;
  esac
done <<<"$instructions"
if grep '^FROM ' <<<"$instructions" | grep -vq '^FROM debian:12\(-slim\)\?\( AS [a-z]*\)\?$'; then
  fail "a base image that is not Debian 12: $(grep '^FROM ' <<<"$instructions")"
fi
for required in 'USER chiso' 'EXPOSE 9157' 'VOLUME /var/lib/chiso' 'HEALTHCHECK .*/healthz' \
  'CMD .*"--config", "/etc/chiso/chiso.yaml", "--listen", "0.0.0.0:9157"' 'cmake --preset release'; do
  grep -q "$required" <<<"$instructions" || fail "no '$required'"
done

# COPY sources from the build context (the repository root).
grep '^COPY ' <<<"$instructions" | grep -v -- '--from=' | while read -r _ line; do
  read -r -a words <<<"$line"
  for source in "${words[@]:0:${#words[@]}-1}"; do
    [ "$source" = . ] && continue
    [ -e "$source_dir/$source" ] || fail "COPY $source: no such file in the repository"
    while read -r ignored; do
      [[ -z "$ignored" || "$ignored" == \#* ]] && continue
      if [[ "$source" == "${ignored%/}"* ]]; then fail "COPY $source is left out by .dockerignore ($ignored)"; fi
    done <"$source_dir/.dockerignore"
  done
done

packages="$("$source_dir/deploy/runtime-packages.sh" "$chiso")"
for package in librocksdb7.8 libyaml-cpp0.7 libboost-json1.81.0 libssl3; do
  grep -qx "$package" <<<"$packages" || fail "runtime-packages.sh does not list $package: $packages"
done
echo "deploy/Dockerfile: ok (runtime packages: $(tr '\n' ' ' <<<"$packages"))"
