#!/usr/bin/env bash
# Builds the ingest fuzz targets with clang (CHISO_FUZZ=ON) in BUILD_DIR and runs each for
# SECONDS on a copy of its seed corpus. Exits non-zero on a build failure or a crash (libFuzzer
# then prints the input that crashed, kept in BUILD_DIR/artifacts).
# Usage: run_fuzzers.sh SOURCE_DIR BUILD_DIR SECONDS NAME...
#
# Long mode, by hand (not in CI's time): FUZZ_RUNS=1000000 runs each target for that many
# executions instead of SECONDS, then merges the inputs that reached new code into the
# repository's corpus (libFuzzer -merge=1), to be reviewed and committed:
#   FUZZ_RUNS=1000000 ingest/fuzz/run_fuzzers.sh . build/fuzz 0 json_readings csv_readings ...
set -euo pipefail
src=$1 build=$2 seconds=$3
shift 3
clangxx=$(command -v clang++ || command -v clang++-14 || true)
[ -n "$clangxx" ] || { echo "run_fuzzers: clang++ not found (Debian packages clang, libclang-rt-14-dev)" >&2; exit 1; }
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$src" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$clangxx" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS=-O1 \
        -DCHISO_FUZZ=ON >/dev/null
fi
targets=()
for name in "$@"; do targets+=("${name}_fuzz"); done
cmake --build "$build" --target "${targets[@]}" -- -j2 --quiet
mkdir -p "$build/artifacts"
for name in "$@"; do
  corpus="$build/corpus/$name"
  rm -rf "$corpus" && mkdir -p "$corpus" && cp "$src/ingest/fuzz/corpus/$name/"* "$corpus/"
  log="$build/artifacts/${name}.log"
  status=0
  if [ -n "${FUZZ_RUNS:-}" ]; then budget=(-runs="$FUZZ_RUNS"); else budget=(-max_total_time="$seconds"); fi
  "$build/ingest/fuzz/${name}_fuzz" "${budget[@]}" -max_len=65536 -rss_limit_mb=2048 \
      -timeout=10 -artifact_prefix="$build/artifacts/${name}-" -print_final_stats=1 "$corpus" \
      >"$log" 2>&1 || status=$?
  echo "${name}_fuzz: $(grep -E '^stat::number_of_executed_units' "$log" || echo 'no stats') exit $status"
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$log"
    exit "$status"
  fi
  if [ -n "${FUZZ_RUNS:-}" ]; then
    "$build/ingest/fuzz/${name}_fuzz" -merge=1 -max_len=65536 "$src/ingest/fuzz/corpus/$name" "$corpus" \
      >"$build/artifacts/${name}-merge.log" 2>&1
    echo "${name}_fuzz: corpus now $(ls "$src/ingest/fuzz/corpus/$name" | wc -l) files"
  fi
done
