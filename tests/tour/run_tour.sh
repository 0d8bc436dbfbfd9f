#!/usr/bin/env bash
# Runs the README's "A five-minute tour" against a real server and checks every answer.
#
#   tests/tour/run_tour.sh SOURCE_DIR CHISO_BINARY
#
# The commands are read from README.md itself, so the tour and this test cannot drift apart. The
# tour has two shell blocks: the first starts chiso (`./scripts/serve` becomes CHISO_BINARY serve
# on a free loopback port with a fresh --data-dir, in a temporary directory, with the
# environment the README sets), the second is what the user types in another terminal. Each
# command of the second block runs from SOURCE_DIR, in this shell (so TOKEN and functions carry
# over), rewritten only in: the port 9157 (→ the server's), ./build/release/app/chiso
# (→ CHISO_BINARY) and the `less` pager (dropped). A command passes when it exits 0 and shows
# what its `# → ...` comment says:
#   "key": value, "key": value   every fragment appears in the output (JSON printed by `pretty`)
#   anything else                some output line is exactly that, `<...>` matching any text
# A command without such a comment needs a check of its own below. The status call may take a
# moment (a write wakes the evaluation), so it is retried for up to 10 s.
set -uo pipefail
tour_source="${1:?usage: run_tour.sh SOURCE_DIR CHISO_BINARY}"
tour_chiso="${2:?usage: run_tour.sh SOURCE_DIR CHISO_BINARY}"
tour_tmp="$(mktemp -d /tmp/chiso_tour.XXXXXX)"
tour_pid=""
tour_cleanup() {
  if [ -n "$tour_pid" ]; then
    kill "$tour_pid" 2>/dev/null
    wait "$tour_pid" 2>/dev/null
  fi
  rm -rf "$tour_tmp"
}
trap tour_cleanup EXIT
tour_fail() {
  echo "FAIL: $*"
  [ -f "$tour_tmp/server.log" ] && sed 's/^/  server: /' "$tour_tmp/server.log" | tail -20
  exit 1
}

# The tour section's shell blocks, each as a file.
awk -v dir="$tour_tmp" '
  /^## / { in_tour = ($0 == "## A five-minute tour") }
  in_tour && /^```sh$/ { n++; file = dir "/block" n; next }
  in_tour && /^```$/ { file = ""; next }
  file != "" { print > file }
  END { print n + 0 > (dir "/blocks") }
' "$tour_source/README.md"
[ "$(cat "$tour_tmp/blocks")" = 2 ] ||
  tour_fail "README.md: the tour should have 2 shell blocks (start chiso; the commands), has $(cat "$tour_tmp/blocks")"

# Block 1: start chiso the way the README does.
cd "$tour_source" || tour_fail "no $tour_source"
tour_started=0
while IFS= read -r tour_line; do
  [[ -z "$tour_line" || "$tour_line" == \#* ]] && continue
  if [[ "$tour_line" =~ ^((([A-Z_]+=[^ ]*)[[:space:]]+)*)\./scripts/serve([[:space:]].*)?$ ]]; then
    read -r -a tour_env <<<"${BASH_REMATCH[1]}"
    read -r -a tour_args <<<"${BASH_REMATCH[4]}"
    (cd "$tour_tmp" &&
      exec env "${tour_env[@]}" "$tour_chiso" serve "${tour_args[@]}" --listen 127.0.0.1:0 \
        --data-dir "$tour_tmp/data" >"$tour_tmp/server.log" 2>&1) &
    tour_pid=$!
    tour_started=1
  else
    eval "$tour_line" >"$tour_tmp/out" 2>&1 || tour_fail "README block 1: '$tour_line' failed: $(cat "$tour_tmp/out")"
  fi
done <"$tour_tmp/block1"
[ "$tour_started" = 1 ] || tour_fail "README block 1 does not start ./scripts/serve"
tour_port=""
for _ in $(seq 300); do
  tour_port="$(sed -n 's|.* on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$tour_tmp/server.log" | head -1)"
  [ -n "$tour_port" ] && break
  kill -0 "$tour_pid" 2>/dev/null || tour_fail "chiso serve exited"
  sleep 0.1
done
[ -n "$tour_port" ] || tour_fail "chiso serve did not say where it listens within 30 s"

# Block 2: split into commands (a command ends where its text is complete shell), each with the
# expectations of its `# →` comments.
tour_count=0
tour_text=""
tour_add_expectation() {  # index, text
  printf '%s\n' "$2" >>"$tour_tmp/expect$1"
}
while IFS= read -r tour_line || [ -n "$tour_line" ]; do
  if [ -z "$tour_text" ]; then
    if [[ "$tour_line" =~ ^#\ →\ (.*)$ ]]; then
      [ "$tour_count" -gt 0 ] || tour_fail "an expectation before any command: $tour_line"
      tour_add_expectation "$tour_count" "${BASH_REMATCH[1]}"
      continue
    fi
    [[ -z "$tour_line" || "$tour_line" == \#* ]] && continue
    tour_text="$tour_line"
  else
    tour_text+=$'\n'"$tour_line"
  fi
  [[ "$tour_line" == *\\ ]] && continue
  bash -n <<<"$tour_text" 2>/dev/null || continue
  tour_count=$((tour_count + 1))
  printf '%s\n' "$tour_text" >"$tour_tmp/command$tour_count"
  : >"$tour_tmp/expect$tour_count"
  if [[ "$tour_line" =~ [[:space:]]#\ →\ (.*)$ ]]; then
    tour_add_expectation "$tour_count" "${BASH_REMATCH[1]}"
  fi
  tour_text=""
done <"$tour_tmp/block2"
[ -z "$tour_text" ] || tour_fail "README block 2 ends inside a command: $tour_text"

# Whether output file $1 shows every expectation of file $2 (the rules of the header).
tour_shows() {
  python3 - "$1" "$2" <<'PY'
import re, sys
output = open(sys.argv[1], encoding="utf-8").read()
lines = output.splitlines()
ok = True
for expected in open(sys.argv[2], encoding="utf-8").read().splitlines():
    if expected.startswith('"'):
        for fragment in re.findall(r'"[^"]+": (?:"[^"]*"|[^,\s]+)', expected):
            if fragment not in output:
                print(f"  missing {fragment}")
                ok = False
    else:
        pattern = "".join(".*" if re.fullmatch(r"<[^>]*>", part) else re.escape(part)
                          for part in re.split(r"(<[^>]*>)", expected))
        if not any(re.fullmatch(pattern, line) for line in lines):
            print(f"  no line is {expected}")
            ok = False
sys.exit(0 if ok else 1)
PY
}

# Checks of the commands without a `# →` comment; prints what is wrong, returns 1 if anything is.
tour_own_check() {  # command, output file
  local command="$1" out="$2"
  case "$command" in
    *"/metrics | grep ^chiso_"*)
      [ "$(grep -c . "$out")" -ge 10 ] || { echo "  fewer than 10 metrics"; return 1; }
      ! grep -qv '^chiso_' "$out" || { echo "  a line not starting with chiso_"; return 1; }
      grep -q '^chiso_catalog_entries{' "$out" || { echo "  no chiso_catalog_entries"; return 1; }
      ;;
    TOKEN=* | "pretty() {"*)
      [ ! -s "$out" ] || { echo "  unexpected output"; return 1; }
      ;;
    *"/api/v1/catalog?unit=gia_loc"*)
      grep -q '"Xã Gia Lộc"' "$out" || { echo "  no \"Xã Gia Lộc\" (Vietnamese intact)"; return 1; }
      [ "$(grep -c . "$out")" -gt 50 ] || { echo "  not printed indented"; return 1; }
      ;;
    *"/api/v1/alerts?"*)
      grep -q '^  "alerts": \[' "$out" || { echo "  no alerts list"; return 1; }
      ;;
    *)
      echo "  no check for this command: give it a '# → ...' comment in README.md or a check in $0"
      return 1
      ;;
  esac
}

tour_failed=0
tour_seen=""
for tour_i in $(seq "$tour_count"); do
  tour_command="$(cat "$tour_tmp/command$tour_i")"
  tour_run="$(sed -e "s/:9157\b/:$tour_port/g" -e "s|\./build/release/app/chiso|$tour_chiso|g" \
    -e 's/[[:space:]]*|[[:space:]]*less\b//g' <<<"$tour_command")"
  tour_first_line="$(head -1 <<<"$tour_command")"
  tour_tries=1
  [[ "$tour_command" == *"/api/v1/status?"* ]] && tour_tries=50
  for tour_try in $(seq "$tour_tries"); do
    eval "$tour_run" >"$tour_tmp/out" 2>"$tour_tmp/err"
    tour_rc=$?
    tour_problems="$(
      [ "$tour_rc" = 0 ] || echo "  exit code $tour_rc: $(head -c 300 "$tour_tmp/err")"
      if [ -s "$tour_tmp/expect$tour_i" ]; then
        tour_shows "$tour_tmp/out" "$tour_tmp/expect$tour_i"
      else
        tour_own_check "$tour_command" "$tour_tmp/out"
      fi
      if [[ "$tour_command" == *"/admin/backup"* ]]; then
        tour_backup="$(sed -n 's/.*"path":"\([^"]*\)".*/\1/p' "$tour_tmp/out")"
        [ -n "$tour_backup" ] && [ -d "$tour_tmp/$tour_backup" ] ||
          echo "  no backup directory '$tour_backup' beside the server's data"
      fi
    )"
    [ -z "$tour_problems" ] && break
    [ "$tour_try" = "$tour_tries" ] || sleep 0.2
  done
  if [ -n "$tour_problems" ]; then
    tour_failed=1
    echo "FAIL: $tour_first_line"
    echo "$tour_problems"
    echo "  output:"
    head -c 2000 "$tour_tmp/out" | sed 's/^/    /'
  else
    [ "$tour_try" -gt 1 ] && tour_note=" (after $(((tour_try - 1) * 200)) ms)" || tour_note=""
    echo "ok: $tour_first_line$tour_note"
  fi
  tour_seen+="$tour_command"$'\n'
done

# The steps the README promises must all be there.
for tour_step in /healthz /readyz '/api/v1/catalog' 'POST localhost:9157/api/v1/readings' \
  '/api/v1/status?' 'grep ^chiso_' '^chiso_indicator_status' 'check --config' '/admin/reload' \
  '/admin/backup'; do
  [[ "$tour_seen" == *"$tour_step"* ]] || { echo "FAIL: the tour no longer has $tour_step"; tour_failed=1; }
done
[ "$tour_failed" = 0 ] || tour_fail "the tour does not do what README.md says"
echo "the README tour ran $tour_count commands as written"
