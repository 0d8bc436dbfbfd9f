#!/usr/bin/env bash
# Compiles every source of the store with clang's thread-safety analysis (-Wthread-safety) and
# fails on any warning: the GUARDED_BY / REQUIRES / EXCLUDES attributes of the store's internals
# (common/thread_annotations.h, store/internal/mutex.h) are checked only by clang, and the regular
# build uses g++. Registered as the ctest store_thread_safety.
# Usage: store/check_thread_safety.sh REPO_ROOT
set -euo pipefail

root=${1:?usage: check_thread_safety.sh REPO_ROOT}
clangxx=$(command -v clang++ || command -v clang++-14 || true)
if [ -z "$clangxx" ]; then
  echo "check_thread_safety: clang++ not found; install the Debian package clang (scripts/deps test)" >&2
  exit 1
fi

cd "$root"
shopt -s nullglob
# The library's own sources: tests and the crash writer hold no annotated state.
sources=()
for file in store/*.cc store/internal/*.cc; do
  case "$file" in *_test.cc | store/crash_*) ;; *) sources+=("$file") ;; esac
done
[ ${#sources[@]} -gt 0 ] || { echo "check_thread_safety: no sources under $root/store" >&2; exit 1; }

printf '%s\n' "${sources[@]}" |
  xargs -P 2 -I{} "$clangxx" -std=c++20 -fsyntax-only -Wthread-safety -Werror -I"$root" {} ||
  { echo "check_thread_safety: FAILED (see the diagnostics above)" >&2; exit 1; }
echo "check_thread_safety: ${#sources[@]} files clean with $clangxx -Wthread-safety"
