#!/usr/bin/env bash
# `myapp test`, the app test harness, end to end on a freshly scaffolded vanilla app, against the
# framework installed by cli.install. One step per ctest test:
#
#   harness_test.sh <step> <myapp binary> <work dir>
#
# Steps: test (the template's browser-level test passes; nothing outlives the command),
# errors (what it says when it cannot test; SIGTERM in the middle). errors uses the app that
# test built (ctest fixture cli_test_app).
set -euo pipefail

step="$1"
myapp="$2"
work="$3"
prefix="$work/prefix"
source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The app lives outside the repository: node looks for packages in every folder above a
# project, and the repository's node_modules (scripts/setup.sh) would stand in for the app's
# own when the build folder is inside it. One folder per work dir, the same for both steps.
t="${TMPDIR:-/tmp}/myapp-harness-$(printf '%s' "$work" | md5sum | cut -c1-12)/test-app"
export CMAKE_PREFIX_PATH="$prefix"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
if [[ $(id -u) -eq 0 ]]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
unset MYAPP_DEV_URL MYAPP_DEV_FRONTEND MYAPP_SMOKE_TEST MYAPP_CDP_URL

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# The processes whose environment holds MYAPP_TEST_MARKER=<marker>: whatever `myapp test`
# started (the app, Chromium's helper processes, node) inherits it.
marked() {
  grep -lzx "MYAPP_TEST_MARKER=$1" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3 || true
}
expect_none_left() {  # expect_none_left <marker> <when>
  local left
  left=$(marked "$1")
  [[ -z $left ]] || { ps -o pid,ppid,cmd -p $left >&2 || true; fail "processes left behind $2: $left"; }
}
# An app that failed to start leaves its log in a folder of its own, named in the error.
remove_kept_log() {
  local log
  log=$(sed -nE 's/^\(the whole output: (.*\/myapp-test-[^/]+\/app\.log)\)$/\1/p' "$1")
  [[ -f $log ]] || { cat "$1" >&2; fail "the error names no app log"; }
  rm -r "$(dirname "$log")"
}
# playwright-core where `npm install` would put it (which needs the network): the repository's
# copy, installed by scripts/setup.sh, which must be the version the template pins.
link_playwright() {
  local repo_pw="$source_dir/node_modules/playwright-core" pinned have
  [[ -f $repo_pw/package.json ]] ||
    fail "playwright-core is not installed in $source_dir: run bash scripts/setup.sh"
  pinned=$(node -p "require('./package.json').devDependencies['playwright-core']")
  have=$(node -p "require('$repo_pw/package.json').version")
  [[ $have == "$pinned" ]] ||
    fail "the template pins playwright-core $pinned; the repository installs $have (package.json)"
  mkdir -p node_modules
  ln -sfn "$repo_pw" node_modules/playwright-core
}

case "$step" in
test)
  rm -rf "$t"
  cd "$work"
  "$myapp" new test-app --yes --no-install --dir "$t" </dev/null >"$work/test-new.log"
  expect_grep "^  myapp test " "$work/test-new.log"
  cd "$t"
  for f in package.json tests/app.test.mjs tests/myapp.mjs; do
    [[ -f $f ]] || fail "myapp new did not write $f"
  done
  # The app gets the template's helper as it is: the one the examples' browser tests import.
  cmp -s tests/myapp.mjs "$source_dir/templates/common/tests/myapp.mjs" ||
    fail "myapp new wrote a tests/myapp.mjs that differs from templates/common/tests/myapp.mjs"

  expect_exit 5 "$work/test-nopw.log" "$myapp" test --no-build
  expect_grep "playwright-core is not installed in $t: run .npm install. there" "$work/test-nopw.log"
  link_playwright

  marker="harness-test-$$-$RANDOM"
  MYAPP_TEST_MARKER="$marker" "$myapp" test >"$work/test.log" 2>&1 &
  pid=$!
  trap 'kill -TERM $pid 2>/dev/null || true' EXIT
  # While the tests run, the app's processes carry the marker, so the check below could fail.
  most=0
  while kill -0 "$pid" 2>/dev/null; do
    if grep -q "the app is ready" "$work/test.log"; then
      n=$(marked "$marker" | grep -cvx "$pid" || true)
      ((n > most)) && most=$n
    fi
    sleep 0.2
  done
  set +e; wait "$pid"; code=$?; set -e
  trap - EXIT
  [[ $code == 0 ]] || { cat "$work/test.log" >&2; fail "myapp test exited with $code"; }
  expect_grep "^built build/release/test-app \(.*Release; build/test-app points to it\)" "$work/test.log"
  expect_grep "^myapp: the app is ready \([0-9]+ ms\); running 1 test file$" "$work/test.log"
  expect_grep "^# pass 2$" "$work/test.log"
  expect_grep "^# fail 0$" "$work/test.log"
  expect_grep "^myapp: the tests passed; the app was stopped$" "$work/test.log"
  ((most >= 2)) || fail "saw $most marked processes while the tests ran; expected the app, Chromium's and node"
  expect_none_left "$marker" "after the tests"
  echo "myapp test passed the template's test; up to $most processes under it, none left"
  ;;

errors)
  bin="$t/build/test-app"
  [[ -x $bin ]] || fail "$bin is missing: the test step builds it"
  cd "$t"
  marker="harness-errors-$$-$RANDOM"

  # An app that exits at once: its exit code and its output.
  printf '#!/bin/sh\necho "cannot open the display, say" >&2\nexit 3\n' >"$work/broken.sh"
  chmod +x "$work/broken.sh"
  expect_exit 9 "$work/te.log" "$myapp" test --app "$work/broken.sh"
  expect_grep "the app exited \(code 3\) before it was ready" "$work/te.log"
  expect_grep "cannot open the display, say" "$work/te.log"
  expect_grep "^\(the whole output: .*/app\.log\)$" "$work/te.log"
  remove_kept_log "$work/te.log"

  # An app that never serves the protocol: a timeout, and it is stopped with its children.
  printf '#!/bin/sh\nsleep 300 &\nwait\n' >"$work/silent.sh"
  chmod +x "$work/silent.sh"
  MYAPP_TEST_MARKER="$marker" expect_exit 9 "$work/te.log" "$myapp" test --app "$work/silent.sh" --timeout 2
  expect_grep "the DevTools endpoint http://127.0.0.1:[0-9]+ did not answer within 2 s" "$work/te.log"
  remove_kept_log "$work/te.log"
  expect_none_left "$marker" "after a timeout"

  # Bad arguments, and no tests.
  expect_exit 2 "$work/te.log" "$myapp" test --app "$work/nothing-here"
  expect_grep "nothing-here: not an executable" "$work/te.log"
  expect_exit 2 "$work/te.log" "$myapp" test tests/missing.test.mjs --app "$bin"
  expect_grep "no test file tests/missing.test.mjs" "$work/te.log"
  rm -rf "$work/no-tests" && mkdir -p "$work/no-tests"
  cp "$t/myapp.conf.json" "$t/CMakeLists.txt" "$work/no-tests/"
  (cd "$work/no-tests" && expect_exit 10 "$work/te.log" "$myapp" test --app "$bin")
  expect_grep "no tests: .*/tests has no \*\.test\.mjs" "$work/te.log"

  # A failing test: exit 10, node's report, the app's log kept.
  cat >"$t/tests/failing.test.mjs" <<'JS'
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from './myapp.mjs';

test('the heading says goodbye', async () => {
  const app = await connect();
  try {
    const page = await app.window('main');
    assert.equal(await page.textContent('h1'), 'Goodbye');
  } finally {
    await app.close();
  }
});
JS
  expect_exit 10 "$work/te.log" "$myapp" test --app "$bin" tests/failing.test.mjs
  expect_grep "^not ok 1 - the heading says goodbye" "$work/te.log"
  expect_grep "Welcome to Test App" "$work/te.log"
  expect_grep "the tests failed \(node exited with 1\); the app's output is in .*app\.log" "$work/te.log"
  log=$(sed -nE "s/.*the app's output is in (.*app\.log).*/\1/p" "$work/te.log")
  expect_grep "handshake complete" "$log"
  rm -rf "$(dirname "$log")"

  # SIGTERM while a test runs: exit 130, and the app, node and Chromium all end.
  cat >"$t/tests/hang.test.mjs" <<'JS'
import { test } from 'node:test';
import { connect } from './myapp.mjs';

test('waits forever', async () => {
  await (await connect()).window('main');
  console.log('connected, now waiting');
  await new Promise(() => setInterval(() => {}, 1000));
});
JS
  MYAPP_TEST_MARKER="$marker" "$myapp" test --app "$bin" tests/hang.test.mjs >"$work/hang.log" 2>&1 &
  pid=$!
  trap 'kill -TERM $pid 2>/dev/null || true' EXIT
  for ((i = 0; i < 600; i++)); do
    grep -q "connected, now waiting" "$work/hang.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/hang.log" >&2; fail "myapp test ended early"; }
    sleep 0.2
  done
  grep -q "connected, now waiting" "$work/hang.log" || { cat "$work/hang.log" >&2; fail "the test never connected"; }
  running=$(marked "$marker" | wc -l)
  kill -TERM "$pid"
  set +e; wait "$pid"; code=$?; set -e
  trap - EXIT
  rm -f "$t/tests/failing.test.mjs" "$t/tests/hang.test.mjs"
  [[ $code == 130 ]] || { cat "$work/hang.log" >&2; fail "expected exit 130 after SIGTERM, got $code"; }
  expect_grep "interrupted; the app and the tests were stopped" "$work/hang.log"
  expect_none_left "$marker" "after SIGTERM"
  echo "SIGTERM: $running processes stopped, none left"
  ;;

*)
  fail "unknown step $step"
  ;;
esac
echo "harness $step: ok"
