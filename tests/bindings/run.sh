#!/usr/bin/env bash
# myapp bindings end to end. One step per ctest test:
#
#   run.sh <step> <myapp binary> <bindings app> <template app> <work dir>
#
# golden:   the app with every supported type describes itself; `myapp bindings --from` writes
#           exactly expected.ts (MYAPP_UPDATE_GOLDEN=1 rewrites expected.ts instead), rewrites
#           nothing when nothing changed, and --check notices a stale file.
# template: templates/vite-ts/src/bindings.ts is what the template's main.cpp gives.
# tsc:      `tsc --noEmit` over expected.ts, use.ts (typed calls, and misuse that must not
#           compile) and the vite-ts template's sources, against runtime-js's index.d.ts.
set -euo pipefail

step="$1"
myapp="$2"
app="$3"
template_app="$4"
work="$5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
unset MYAPP_DESCRIBE MYAPP_SMOKE_TEST MYAPP_DEV_URL MYAPP_DEV_FRONTEND

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

rm -rf "$work" && mkdir -p "$work" && cd "$work"

case "$step" in
golden)
  MYAPP_DESCRIBE="$work/desc.json" "$app" >app.log 2>&1 || { cat app.log; fail "the app did not describe itself"; }
  # The argument does the same as the environment, and "-" is stdout.
  "$app" --myapp-describe=- >desc-stdout.json 2>/dev/null
  cmp desc.json desc-stdout.json || fail "--myapp-describe=- differs from MYAPP_DESCRIBE"
  "$myapp" bindings --from desc.json --out bindings.ts >gen.log
  expect_grep "^wrote bindings.ts \(16 commands, 3 events, 6 types\)$" gen.log
  if [[ ${MYAPP_UPDATE_GOLDEN:-} == 1 ]]; then
    cp bindings.ts "$here/expected.ts"
    echo "updated $here/expected.ts"
  fi
  diff -u "$here/expected.ts" bindings.ts || fail "bindings.ts differs from expected.ts (MYAPP_UPDATE_GOLDEN=1 rewrites it)"
  # Plugins' commands only on request.
  ! grep -q "plugin:" bindings.ts || fail "a plugin's command is in bindings.ts"
  "$myapp" bindings --from desc.json --out with-plugins.ts --include-plugins >/dev/null
  grep -q "^  pluginNotesExportOne(args: { sofar: Progress }, options?: InvokeOptions): Promise<number> {$" with-plugins.ts ||
    fail "--include-plugins did not wrap plugin:notes|export_one"
  # Unchanged content is not rewritten: a dev server watching it must not reload for nothing.
  touch -d '2001-01-01' bindings.ts
  "$myapp" bindings --from desc.json --out bindings.ts >gen2.log
  expect_grep "^bindings.ts is up to date \(16 commands" gen2.log
  [[ $(stat -c %Y bindings.ts) == $(date -d 2001-01-01 +%s) ]] || fail "an unchanged bindings.ts was rewritten"
  "$myapp" bindings --from desc.json --out bindings.ts --check >check.log
  echo "// edited" >>bindings.ts
  expect_exit 1 check.log "$myapp" bindings --from desc.json --out bindings.ts --check
  expect_grep "bindings.ts is not what .myapp bindings. writes" check.log
  # A broken description is refused with its place.
  sed 's/"kind":"boolean"/"kind":"bool"/' desc.json >bad.json
  expect_exit 9 bad.log "$myapp" bindings --from bad.json --out bad.ts
  expect_grep 'bad.json is not a valid description: .*unknown type kind "bool"' bad.log
  [[ ! -e bad.ts ]] || fail "wrote bindings from a broken description"
  expect_exit 2 missing.log "$myapp" bindings --from nowhere.json --out x.ts
  expect_grep "cannot read nowhere.json" missing.log
  ;;

template)
  MYAPP_DESCRIBE="$work/desc.json" "$template_app" >app.log 2>&1 || { cat app.log; fail "the template's app did not describe itself"; }
  "$myapp" bindings --from desc.json --out bindings.ts >gen.log
  diff -u "$root/templates/vite-ts/src/bindings.ts" bindings.ts ||
    fail "templates/vite-ts/src/bindings.ts is not what templates/common/main.cpp gives"
  ;;

tsc)
  tsc="$here/node_modules/.bin/tsc"
  [[ -x "$tsc" ]] || fail "TypeScript is not installed in tests/bindings: run scripts/setup.sh (npm ci there)"
  "$tsc" --version
  "$tsc" -p "$here/tsconfig.json" --noEmit || fail "tsc found errors"
  ;;

*)
  fail "unknown step $step"
  ;;
esac
echo "bindings $step: ok"
