#!/usr/bin/env bash
# Builds a benchmark in Release and runs it headless. See docs/benchmarks.md.
#
#   bash scripts/bench.sh ipc            # myapp's IPC against a plain QWebChannel app (minutes)
#   bash scripts/bench.sh ipc --quick    # the same, smaller (under a minute)
#
# Arguments after the suite name go to the benchmark. MYAPP_BUILD_DIR overrides build/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MYAPP_BUILD_DIR:-$root/build}"

usage() {
  cat >&2 <<'USAGE'
usage: bash scripts/bench.sh <suite> [options]
suites:
  ipc    invoke, echo, events, channels and the router: myapp against a plain QWebChannel app
         options: --quick  --rounds N  --timeout SECONDS  --only a,b,...
USAGE
}

# Configures build/ in Release when it is not configured yet (or lacks the benchmarks), then
# builds the given targets.
build_targets() {
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMYAPP_BUILD_BENCH=ON >&2
  elif ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt" ||
       ! grep -q '^MYAPP_BUILD_BENCH:BOOL=ON$' "$build/CMakeCache.txt"; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMYAPP_BUILD_BENCH=ON >&2
  fi
  cmake --build "$build" --target "$@" >&2
}

# Headless: no display needed; Chromium's sandbox cannot run as root.
headless() {
  export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
  if [[ $(id -u) -eq 0 ]]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
}

suite="${1:-}"
[[ $# -gt 0 ]] && shift

case "$suite" in
  ipc)
    build_targets myapp_bench_ipc
    headless
    exec "$build/bench/ipc/myapp_bench_ipc" "$@"
    ;;
  # bytes | startup | cli | soak) are added here as they are written.
  -h | --help)
    usage
    exit 0
    ;;
  *)
    [[ -n "$suite" ]] && echo "bench.sh: unknown suite '$suite'" >&2
    usage
    exit 2
    ;;
esac
