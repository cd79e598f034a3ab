#!/usr/bin/env bash
# Runs an example app from the build: in a window when there is a display, otherwise headless
# under the smoke check (load, handshake, exit).
#
#   bash scripts/run-example.sh hello
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MYAPP_BUILD_DIR:-$root/build}"
name="${1:-hello}"
exe="$build/examples/$name/$name"

if [[ ! -x "$exe" ]]; then
  echo "run-example: $exe does not exist; build first with: bash scripts/setup.sh" >&2
  exit 1
fi
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "run-example: no display; running $name headless under the smoke check" >&2
  export MYAPP_SMOKE_TEST=1 QT_QPA_PLATFORM=offscreen
fi
exec "$exe"
