#!/usr/bin/env bash
# Builds a benchmark in Release and runs it headless. See docs/benchmarks.md.
#
#   bash scripts/bench.sh ipc            # myapp's IPC against a plain QWebChannel app (minutes)
#   bash scripts/bench.sh ipc --quick    # the same, smaller (under a minute)
#   bash scripts/bench.sh bytes          # bytes and large JSON against raw ceilings and QWebChannel
#   bash scripts/bench.sh startup        # start-up time and memory against bare QtWebEngine
#   bash scripts/bench.sh scale --quick  # windows, a big router and a payload sweep
#   bash scripts/bench.sh soak --minutes 30
#   bash scripts/bench.sh smoke --runs 100
#
# Arguments after the suite name go to the benchmark. MYAPP_BUILD_DIR overrides build/.
# ipc, bytes and scale also run the WebKitGTK baseline (bench/webkitgtk) under xvfb-run: as
# root this script installs Debian's libwebkit2gtk-4.1-dev and xvfb when they are missing;
# otherwise it says what to install, and the WebKitGTK columns say n/a.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MYAPP_BUILD_DIR:-$root/build}"

usage() {
  cat >&2 <<'USAGE'
usage: bash scripts/bench.sh <suite> [options]
suites:
  ipc    invoke, echo, events, channels and the router: myapp against a plain QWebChannel app
         and WebKitGTK
         options: --quick  --rounds N  --timeout SECONDS  --only a,b,...  --no-webkitgtk
  bytes  10 and 100 MB of bytes each way and 1/5 MB JSON echoes: myapp against a raw scheme
         handler, a raw WebSocket, base64/JSON over QWebChannel and WebKitGTK; peak RSS of a
         100 MB transfer
         options: --quick  --rounds N  --timeout SECONDS  --sweep (sizes around the thresholds)
                  --sizes a,b,... (only a payload sweep)  --no-webkitgtk
  scale  1 to 16 windows (memory per extra window against bare QtWebEngine views, pipelined
         invokes across windows), a router with 10,000 commands and listeners against 10, and a
         payload sweep 1 KB -> 100 MB drawn as docs/scale-payload-sweep.svg
         options: --quick  --rounds N  --only windows,router,sweep  --windows 1,2,...
                  --sizes a,b,...  --chart FILE  --no-webkitgtk
  cli    myapp new, first and incremental myapp build, binary, .deb and portable sizes
  startup  the hello example against a bare QtWebEngine page: exec -> main, main -> first
         paint, main -> ready, process tree peak RSS and PSS (fresh processes, medians)
         options: --quick  --runs N  --hold-ms MS  --verbose
  soak   mixed traffic for N minutes: the process tree's RSS/PSS and the router's tables
         options: --minutes N (default 2)  --window-seconds N  --reload-seconds N
  smoke  the hello example started N times in a row under its smoke check
         options: --runs N (default 100)
USAGE
}

reconfigure=0

# The WebKitGTK baseline needs WebKitGTK 4.1 (>= 2.40) to build and xvfb-run to run. As root,
# installs what is missing (and has build/ configured again, so that the baseline is built);
# otherwise says what to install. Never fails: without them the columns say n/a.
ensure_webkitgtk() {
  local missing=()
  pkg-config --exists 'webkit2gtk-4.1 >= 2.40' 2>/dev/null || missing+=(libwebkit2gtk-4.1-dev)
  command -v xvfb-run >/dev/null 2>&1 || missing+=(xvfb)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "bench.sh: installing the WebKitGTK baseline's packages: ${missing[*]}" >&2
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
       { apt-get update -q >&2 &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }; then
      reconfigure=1
      return 0
    fi
    echo "bench.sh: could not install ${missing[*]}: the WebKitGTK columns will say n/a" >&2
  else
    echo "bench.sh: the WebKitGTK baseline needs ${missing[*]} (as root: apt-get install" \
      "${missing[*]}); without them its columns say n/a" >&2
  fi
}

# Configures build/ in Release when it is not configured yet (or lacks the benchmarks, or the
# WebKitGTK baseline's packages were just installed), then builds the given targets.
build_targets() {
  if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMYAPP_BUILD_BENCH=ON >&2
  elif ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt" ||
       ! grep -q '^MYAPP_BUILD_BENCH:BOOL=ON$' "$build/CMakeCache.txt"; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMYAPP_BUILD_BENCH=ON >&2
  elif [[ $reconfigure -eq 1 ]]; then
    cmake -S "$root" -B "$build" >&2
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
    ensure_webkitgtk
    build_targets myapp_bench_ipc
    headless
    exec "$build/bench/ipc/myapp_bench_ipc" "$@"
    ;;
  cli)
    # The first five minutes: `myapp new`, the first and an incremental `myapp build` of the
    # vanilla template, and the sizes of the app and its .deb. Uses the framework installed
    # from this tree into a scratch prefix, so it measures this tree's CLI and libraries.
    build_targets myapp_cli myapp_core myapp_runtime
    headless
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    cmake --install "$build" --prefix "$work/prefix" >/dev/null
    myapp="$build/cli/myapp"
    export CMAKE_PREFIX_PATH="$work/prefix"
    now() { date +%s.%N; }
    secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
    t0=$(now); "$myapp" new hello --yes --no-install --dir "$work/hello" >/dev/null; t1=$(now)
    cd "$work/hello"
    "$myapp" build >/dev/null; t2=$(now)
    touch main.cpp
    "$myapp" build >/dev/null; t3=$(now)
    binary=$(stat -L -c %s build/hello)
    "$myapp" bundle --format deb >/dev/null
    deb=$(stat -c %s "$(find . -name '*.deb' -print -quit)")
    # The package that runs where Qt is not installed: the folder and its .tar.gz.
    "$myapp" bundle --format portable >/dev/null 2>&1
    portable_dir=$(du -sb build/bundle/portable/hello-*/ | cut -f1)
    portable_tgz=$(stat -c %s build/bundle/portable/hello-*.tar.gz)
    new_s=$(secs "$t0" "$t1"); first_s=$(secs "$t1" "$t2"); incr_s=$(secs "$t2" "$t3")
    printf '%-34s %12s\n' "myapp new (s)" "$new_s" "first myapp build (s)" "$first_s" \
      "incremental build, main.cpp (s)" "$incr_s" "hello binary (bytes)" "$binary" \
      "hello .deb (bytes)" "$deb" "hello portable folder (bytes)" "$portable_dir" \
      "hello portable .tar.gz (bytes)" "$portable_tgz"
    printf '{"new_s":%s,"first_build_s":%s,"incremental_build_s":%s,"binary_bytes":%s,"deb_bytes":%s,"portable_dir_bytes":%s,"portable_tgz_bytes":%s}\n' \
      "$new_s" "$first_s" "$incr_s" "$binary" "$deb" "$portable_dir" "$portable_tgz"
    ;;
  startup)
    build_targets myapp_bench_startup myapp_bench_startup_hello myapp_bench_startup_bare
    headless
    exec "$build/bench/startup/myapp_bench_startup" "$@"
    ;;
  soak)
    build_targets myapp_bench_soak
    headless
    exec "$build/bench/soak/myapp_bench_soak" "$@"
    ;;
  smoke)
    runs=100
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
        --quick) runs=10; shift ;;
        *) echo "bench.sh smoke: unknown option $1" >&2; exit 2 ;;
      esac
    done
    build_targets hello
    headless
    exec bash "$root/scripts/smoke-starts.sh" "$build/examples/hello/hello" "$runs"
    ;;
  bytes)
    ensure_webkitgtk
    build_targets myapp_bench_bytes
    headless
    exec "$build/bench/bytes/myapp_bench_bytes" "$@"
    ;;
  scale)
    ensure_webkitgtk
    build_targets myapp_bench_scale
    headless
    chart=(--chart "$root/docs/scale-payload-sweep.svg")
    for arg in "$@"; do [[ $arg == --chart || $arg == --chart=* ]] && chart=(); done
    exec "$build/bench/scale/myapp_bench_scale" "${chart[@]}" "$@"
    ;;
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
