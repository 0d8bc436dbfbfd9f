#!/usr/bin/env bash
# Prints the Debian packages that hold the shared libraries a binary links to, one a line: what
# the runtime stage of deploy/Dockerfile installs for chiso. Fails when it finds none.
#   deploy/runtime-packages.sh build/release/app/chiso
set -euo pipefail
binary="${1:?usage: runtime-packages.sh BINARY}"
# ldd: "libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)". dpkg knows a library by the path
# it installed (/lib or /usr/lib): match on its last directory and name only.
ldd "$binary" | awk '$3 ~ /^\// {n = split($3, p, "/"); print "*/" p[n-1] "/" p[n]}' |
  xargs --no-run-if-empty dpkg-query -S | cut -d: -f1 | sort -u | grep .
