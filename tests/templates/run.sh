#!/usr/bin/env bash
# A framework template of `myapp new` end to end, as a user runs it, against the framework
# cli.install installed and the npm packages of this folder (pinned in its package-lock.json;
# scripts/setup.sh installs them with npm ci, so nothing is fetched here):
#
#   run.sh <template> <myapp binary> <cli work dir>
#
# myapp new; myapp build (the template's type check and Vite build, then the C++); the smoke
# check; myapp bindings --check; a type error in the component, refused by the build; myapp
# test (the browser-level test, in the real app), with the page compiled in and then from Vite's
# dev server; npm test (the Vitest unit tests against @myapp/api/mocks: the page's calls and
# events, and the App component mounted in happy-dom).
set -euo pipefail

tmpl="$1"
myapp="$2"
work="$3"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib.sh"

export CMAKE_PREFIX_PATH="$work/prefix"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
export MYAPP_LOG_FILE=0
if [[ $(id -u) -eq 0 ]]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
unset MYAPP_DEV_URL MYAPP_DEV_FRONTEND MYAPP_SMOKE_TEST MYAPP_LOG MYAPP_CDP_URL MYAPP_REMOTE_DEBUGGING
# Plain text whatever the terminal or CI says about colour: the checks read the tools' output.
export NO_COLOR=1 FORCE_COLOR=0
plain() { sed -i 's/\x1b\[[0-9;]*m//g' "$1"; }

[[ -f "$here/node_modules/.package-lock.json" ]] ||
  fail "the npm packages of tests/templates are not installed: run scripts/setup.sh (npm ci there)"

name="$tmpl-app"
app="$work/templates/$name"
log="$work/templates/$name.log"
rm -rf "$app" && mkdir -p "$work/templates"
"$myapp" new "$name" --template "$tmpl" --yes --no-install --dir "$app" </dev/null >"$log" 2>&1 ||
  { cat "$log"; fail "myapp new --template $tmpl"; }
expect_grep "^myapp: created $name \($tmpl template" "$log"
cd "$app"
case "$tmpl" in
  react-ts) component=src/App.tsx; own=(src/main.tsx src/App.test.tsx) ;;
  vue-ts) component=src/App.vue; own=(src/main.ts src/App.test.ts) ;;
  svelte-ts) component=src/App.svelte; own=(src/main.ts src/App.test.ts svelte.config.js) ;;
  *) fail "unknown template $tmpl" ;;
esac
for f in package.json index.html "$component" "${own[@]}" src/bindings.ts src/greeting.ts \
         src/greeting.test.ts src/style.css tsconfig.json vite.config.ts main.cpp CMakeLists.txt \
         myapp.conf.json capabilities/default.json tests/app.test.mjs tests/myapp.mjs .gitignore \
         README.md icons/icon.svg vendor/myapp-api/package.json; do
  [[ -f "$f" ]] || fail "$tmpl lacks $f"
done
# Every placeholder filled in (Vue's own {{ expr }} stays).
if grep -rnE "\{\{(name|productName|identifier|frontendDist|myappVersion|runtimeJs)\}\}" \
     --exclude-dir=vendor . ; then
  fail "placeholders left in the new project"
fi
grep -q '"@myapp/api": "file:vendor/myapp-api"' package.json || fail "@myapp/api is not the project's own copy"
grep -q 'FRONTEND dist' CMakeLists.txt || fail "CMakeLists.txt should compile dist/ in"

# The packages of tests/templates stand in for `npm install`: each one the template names must
# be there at the version it pins.
node - "$here/node_modules" <<'EOF'
const fs = require('fs');
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const wrong = [];
for (const [dep, want] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
  if (want.startsWith('file:')) continue;
  let have = '(not installed)';
  try { have = JSON.parse(fs.readFileSync(`${process.argv[2]}/${dep}/package.json`, 'utf8')).version; } catch {}
  if (have !== want) wrong.push(`${dep}: the template pins ${want}, tests/templates has ${have}`);
}
if (wrong.length) {
  console.error('FAIL: ' + wrong.join('\n      ') + '\n(pin the same versions in templates/ and tests/templates/package.json)');
  process.exit(1);
}
EOF
# A node_modules of its own, holding links to those packages: Vite and Vitest write their caches
# in node_modules/.vite, which the tests of the other templates, run at the same time, must not
# share.
mkdir node_modules
for p in "$here"/node_modules/* "$here"/node_modules/.bin; do ln -s "$p" node_modules/; done

"$myapp" check >"$log" 2>&1 || { cat "$log"; fail "myapp check"; }
"$myapp" build >"$log" 2>&1 || { cat "$log"; fail "myapp build"; }
expect_grep "^built build/release/$name \(.*Release; build/$name points to it\)" "$log"
grep -q "Welcome to $(node -p "require('./myapp.conf.json').productName")" dist/assets/*.js ||
  fail "the built page (dist/assets) lacks the component's heading"
MYAPP_SMOKE_TEST=1 "./build/$name" >"$log" 2>&1 || { cat "$log"; fail "smoke check"; }
expect_grep "^myapp: smoke ok url=myapp://localhost/index.html" "$log"

# The shipped src/bindings.ts is what `myapp bindings` writes for main.cpp.
"$myapp" bindings --check >"$log" 2>&1 || { cat "$log"; fail "src/bindings.ts is not what myapp bindings writes"; }

# The build type-checks the component: a misspelt payload field of the typed event stops it.
cp "$component" "$work/templates/$name.component"
sed -i 's/e\.payload\.count/e.payload.cont/' "$component"
grep -q 'e.payload.cont' "$component" || fail "$component does not read e.payload.count"
if npm run build >"$log" 2>&1; then cat "$log"; fail "npm run build took a type error in $component"; fi
plain "$log"
expect_grep "Property 'cont' does not exist on type 'Greeted'" "$log"
cp "$work/templates/$name.component" "$component"

"$myapp" test --no-build --timeout 120 >"$log" 2>&1 || { cat "$log"; fail "myapp test"; }
expect_grep "^# pass 2$" "$log"
expect_grep "^# fail 0$" "$log"

# Under `myapp dev` the page comes from Vite's dev server instead, unbundled, with hot reload
# (React's Fast Refresh, Vue's and Svelte's HMR) in the app's own Chromium: the same test there.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node_modules/.bin/vite --port "$port" --strictPort --host 127.0.0.1 >"$work/templates/$name.vite.log" 2>&1 &
vite=$!
trap 'kill $vite 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 $vite 2>/dev/null || { cat "$work/templates/$name.vite.log"; fail "vite's dev server exited"; }
  sleep 0.1
done
MYAPP_DEV_URL="http://127.0.0.1:$port" "$myapp" test --no-build --timeout 120 >"$log" 2>&1 ||
  { cat "$log" "$work/templates/$name.vite.log"; fail "myapp test against vite's dev server"; }
expect_grep "^# pass 2$" "$log"
kill $vite && wait $vite 2>/dev/null || true
trap - EXIT

npm test >"$log" 2>&1 || { cat "$log"; fail "npm test"; }
plain "$log"
expect_grep "Test Files +2 passed" "$log"
expect_grep "Tests +4 passed" "$log"
echo "$tmpl: new, build, smoke, bindings, type check, myapp test (built and dev server) and npm test passed"
