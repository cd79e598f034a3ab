#!/usr/bin/env bash
# Builds myapp with its tests and runs every one of them (GoogleTest and the JS client's tests,
# all through ctest), headless. Ends with ctest's summary.
#
#   bash scripts/test.sh             # everything
#   bash scripts/test.sh -L core     # extra arguments go to ctest
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MYAPP_BUILD_DIR:-$root/build}"

export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# Chromium's sandbox cannot run as root; tests as root run without it.
if [[ $(id -u) -eq 0 ]]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi

generator=()
[[ -f "$build/CMakeCache.txt" ]] || generator=(-G Ninja)
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DMYAPP_BUILD_TESTS=ON >/dev/null
cmake --build "$build"
cd "$build"
exec ctest --output-on-failure --parallel "$(nproc)" "$@"
