#!/usr/bin/env bash
# Starts an app N times in a row under its smoke check (MYAPP_SMOKE_TEST=1) and fails if any
# start fails or hangs. Used by `scripts/bench.sh smoke` and by the runtime.hello.starts test.
#
#   bash scripts/smoke-starts.sh <app> [runs (default 100)] [seconds per start (default 60)]
#
# Prints one line per failure (with the app's output), then a summary, then one JSON object.
set -uo pipefail

app="${1:?usage: smoke-starts.sh <app> [runs] [seconds per start]}"
runs="${2:-100}"
limit="${3:-60}"
[[ -x "$app" ]] || { echo "smoke-starts.sh: $app is not an executable" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "smoke-starts.sh: runs must be a positive integer" >&2; exit 2; }

export MYAPP_SMOKE_TEST=1
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
if [[ $(id -u) -eq 0 ]]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
ok=0
failed=0
times=()
for ((i = 1; i <= runs; i++)); do
  # --kill-after: a start that ignores SIGTERM is killed too; a hang is a failure, never a wait.
  timeout --kill-after=5 "$limit" "$app" >"$out" 2>&1
  code=$?
  line="$(grep -m1 '^myapp: smoke ok ' "$out")"
  if [[ $code -eq 0 && -n "$line" ]]; then
    ok=$((ok + 1))
    times+=("${line##*ms=}")
  else
    failed=$((failed + 1))
    [[ $code -eq 124 || $code -eq 137 ]] && why="no answer within $limit s" || why="exit code $code"
    echo "start $i failed ($why); its output ends with:" >&2
    tail -n 20 "$out" | sed 's/^/  | /' >&2
  fi
done
median=null
max=null
if ((${#times[@]} > 0)); then
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  median=${sorted[$(((${#sorted[@]} - 1) / 2))]}
  max=${sorted[-1]}
fi
echo "smoke starts of $(basename "$app"): $ok of $runs ok, $failed failed; main() -> smoke ok: median ${median} ms, max ${max} ms"
echo "{\"runs\":$runs,\"ok\":$ok,\"failed\":$failed,\"median_ms\":$median,\"max_ms\":$max}"
[[ $failed -eq 0 ]]
