#!/usr/bin/env bash
# The porting tests that need the npm packages of tests/porting (Vite, Vitest; scripts/setup.sh
# installs them with npm ci). One step per ctest test:
#
#   run.sh bundled <myapp> <sample app> <work dir>
#       The Tauri-shaped sample bundled by Vite in a new vite-ts app, whose alias maps
#       @tauri-apps/api to @myapp/api, then checked in the real app (tests/sample.test.mjs).
#   run.sh unit <myapp> <work dir>
#       `npm test` in a new vite-ts app: its unit test against @myapp/api/mocks, no webview.
set -euo pipefail

step="$1"
myapp="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/tests/lib.sh"

[[ -x "$here/node_modules/.bin/vite" && -x "$here/node_modules/.bin/vitest" ]] ||
  fail "Vite and Vitest are not installed in tests/porting: run scripts/setup.sh (npm ci there)"

# A vite-ts app made by `myapp new` in $work/app, with the packages of tests/porting. The JS
# client it names comes from a prefix holding this checkout's runtime-js.
new_vite_app() {
  rm -rf "$work" && mkdir -p "$work/prefix/share/myapp"
  ln -s "$root/runtime-js" "$work/prefix/share/myapp/runtime-js"
  "$myapp" new app --template vite-ts --yes --no-install --dir "$work/app" --prefix-path "$work/prefix" \
    >"$work/new.log" 2>&1 || { cat "$work/new.log"; fail "myapp new failed"; }
  ln -s "$here/node_modules" "$work/app/node_modules"
}

case "$step" in
bundled)
  app="$3"
  work="$4"
  new_vite_app
  cd "$work/app"
  # The sample's page and code, as they are, in place of the template's.
  cp "$here/sample/index.html" index.html
  mkdir -p src && cp "$here/sample/src/main.js" src/main.js
  node_modules/.bin/vite build --logLevel warn >"$work/vite.log" 2>&1 || { cat "$work/vite.log"; fail "vite build failed"; }
  grep -q "@tauri-apps/api" dist/assets/*.js && fail "the bundle still imports @tauri-apps/api"
  cd "$here"
  MYAPP_DEV_FRONTEND="$work/app/dist" "$myapp" test --app "$app" --timeout 120
  ;;
unit)
  work="$3"
  new_vite_app
  cd "$work/app"
  # Plain text whatever the terminal or CI says about colour; the check reads the summary line.
  NO_COLOR=1 FORCE_COLOR=0 npm test >"$work/test.raw" 2>&1 ||
    { cat "$work/test.raw"; fail "npm test failed in a new vite-ts app"; }
  sed 's/\x1b\[[0-9;]*m//g' "$work/test.raw" >"$work/test.log"
  cat "$work/test.log"
  expect_grep "Tests +3 passed" "$work/test.log"
  ;;
*)
  fail "unknown step $step"
  ;;
esac
