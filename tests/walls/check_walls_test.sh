#!/usr/bin/env bash
# scripts/check-walls on a small tree of its own: a clean tree passes, and each kind of crossing
# (a module including one it may not use, production code including test support) fails naming
# the file and line.
set -euo pipefail
check="$1/scripts/check-walls"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/low" "$tree/high" "$tree/low/testing"
cat > "$tree/README.md" <<'MD'
## For developers

| module | owns | may use |
|---|---|---|
| `low/` | the bottom | — |
| `high/` | the top | `low/` |

## Next section
MD
printf '#include "low/a.h"\n' > "$tree/high/b.cc"
printf '#pragma once\n' > "$tree/low/a.h"
printf '#include "low/testing/fixture.h"\n' > "$tree/high/b_test.cc"
printf '#pragma once\n' > "$tree/low/testing/fixture.h"

"$check" "$tree" >/dev/null || { echo "FAIL: a clean tree was refused"; exit 1; }

printf '#include "high/b.h"\n' > "$tree/low/a.cc"
if out=$("$check" "$tree" 2>&1); then echo "FAIL: low/ including high/ passed"; exit 1; fi
grep -q '^low/a.cc:1: includes "high/b.h", but low/ may use only' <<<"$out" ||
  { echo "FAIL: unexpected message: $out"; exit 1; }
rm "$tree/low/a.cc"

printf '#include "low/testing/fixture.h"\n' > "$tree/high/c.cc"
if out=$("$check" "$tree" 2>&1); then echo "FAIL: production code including testing/ passed"; exit 1; fi
grep -q '^high/c.cc:1: includes test support' <<<"$out" || { echo "FAIL: unexpected message: $out"; exit 1; }
echo "check-walls refuses both crossings and passes a clean tree"
