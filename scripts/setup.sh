#!/usr/bin/env bash
# Installs everything myapp needs on Debian 12, builds it in Release and installs it.
#
#   bash scripts/setup.sh            # as root, or with the packages already installed
#   MYAPP_PREFIX=$HOME/.local bash scripts/setup.sh
#
# Idempotent: a second run installs nothing new, rebuilds nothing, and reinstalls nothing
# that did not change.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${MYAPP_PREFIX:-/usr/local}"
build="${MYAPP_BUILD_DIR:-$root/build}"

say() { printf 'setup: %s\n' "$*"; }

# --- system packages ------------------------------------------------------------------------
packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-webengine-dev qt6-webchannel-dev qt6-websockets-dev
  # myapp-image reads SVG icons with Qt SVG; `myapp bundle --format portable` sets the
  # bundled libraries' RUNPATH with patchelf
  qt6-svg-dev patchelf
  libsimdjson-dev libfmt-dev libspdlog-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # scripts/fuzz.sh: clang with libFuzzer, ASan and UBSan (the runtimes are in libclang-rt-14-dev)
  clang libclang-rt-14-dev
)
# Node runs the JS client's tests; any node >= 18 on the PATH will do.
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1 && ! command -v node >/dev/null 2>&1; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    say "these Debian packages are missing: ${missing[*]}"
    say "install them with:"
    printf '  sudo apt-get install -y %s\n' "${missing[*]}"
    say "then run this script again."
    exit 1
  fi
else
  say "system packages: all present"
fi

# --- npm packages for the tests -------------------------------------------------------------
# playwright-core (pinned in package-lock.json) drives the pages of the examples and of apps made
# with `myapp new` in the browser-level tests. It brings no browser: the apps' own Chromium
# serves the DevTools Protocol.
want=$(node -p "require('$root/package-lock.json').packages['node_modules/playwright-core'].version")
have=$(node -p "try { require('$root/node_modules/playwright-core/package.json').version } catch { '' }")
if [[ "$have" == "$want" ]]; then
  say "npm packages: all present"
else
  if ! command -v npm >/dev/null 2>&1; then
    say "npm is missing; install it (apt-get install npm) and run this script again."
    exit 1
  fi
  say "installing playwright-core $want (npm ci)"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The tests' own npm packages, each folder pinned by its package-lock.json: TypeScript for the
# bindings tests' `tsc --noEmit` (tests/bindings); Vite and Vitest for the porting tests, which
# bundle a Tauri-shaped frontend with the vite-ts template's alias and run the template's unit
# test (tests/porting); React, Vue and Svelte with their Vite plugins, type checkers and
# happy-dom, at the versions the react-ts, vue-ts and svelte-ts templates pin, for their
# end-to-end tests (tests/templates). `npm ci` also leaves the packages in npm's cache.
for dir in tests/bindings tests/porting tests/templates; do
  tests="$root/$dir"
  if [[ -f "$tests/node_modules/.package-lock.json" &&
        ! "$tests/package-lock.json" -nt "$tests/node_modules/.package-lock.json" ]]; then
    say "npm packages of $dir: present"
  elif command -v npm >/dev/null 2>&1; then
    say "installing the npm packages of $dir (npm ci)"
    (cd "$tests" && npm ci --no-audit --no-fund --loglevel=error)
  else
    say "npm is missing; install it (apt-get install npm) and run this script again."
    exit 1
  fi
done

# --- build ----------------------------------------------------------------------------------
generator=()
[[ -f "$build/CMakeCache.txt" ]] || generator=(-G Ninja)
cmake -S "$root" -B "$build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$build"

# --- install --------------------------------------------------------------------------------
if [[ -w "$prefix" ]] || { [[ ! -e "$prefix" ]] && [[ -w "$(dirname "$prefix")" ]]; }; then
  cmake --install "$build" | grep -v -- '-- Up-to-date:' || true
  say "installed myapp into $prefix"
else
  say "built in $build; $prefix is not writable, so nothing was installed."
  say "install with:  sudo cmake --install $build"
fi
