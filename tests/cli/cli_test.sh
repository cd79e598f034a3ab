#!/usr/bin/env bash
# The myapp CLI end to end, as a user runs it. One step per ctest test:
#
#   cli_test.sh <step> <myapp binary> <build tree> <work dir>
#
# Steps: install, new-build-smoke, bundle, dev, errors, vite-ts, completions.
# new-build-smoke, bundle and dev share one scaffolded app in <work dir>/app (ctest fixtures).
set -euo pipefail

step="$1"
myapp="$2"
build_tree="$3"
work="$4"
prefix="$work/prefix"
app="$work/app"
export CMAKE_PREFIX_PATH="$prefix"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
if [[ $(id -u) -eq 0 ]]; then export QTWEBENGINE_DISABLE_SANDBOX=1; fi
unset MYAPP_DEV_URL MYAPP_DEV_FRONTEND MYAPP_SMOKE_TEST

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

case "$step" in
install)
  rm -rf "$work"
  mkdir -p "$work"
  cmake --install "$build_tree" --prefix "$prefix" >/dev/null
  [[ -x "$prefix/bin/myapp" ]] || fail "the CLI was not installed"
  [[ -f "$prefix/share/myapp/schemas/myapp.conf.schema.json" ]] || fail "the schema was not installed"
  [[ -f "$prefix/share/myapp/runtime-js/package.json" ]] || fail "runtime-js was not installed"
  echo "installed into $prefix"
  ;;

new-build-smoke)
  rm -rf "$app"
  cd "$work"
  "$myapp" new app --yes --no-install --dir "$app" </dev/null | tee "$work/new.log"
  expect_grep "Next steps" "$work/new.log"
  for f in CMakeLists.txt main.cpp myapp.conf.json capabilities/default.json frontend/index.html \
           frontend/style.css frontend/main.js README.md .gitignore; do
    [[ -f "$app/$f" ]] || fail "myapp new did not write $f"
  done
  grep -q 'CONFIG myapp.conf.json' "$app/CMakeLists.txt" || fail "CMakeLists.txt lacks CONFIG"
  grep -q '"allow-greet"' "$app/capabilities/default.json" || fail "capabilities/default.json"
  grep -q 'app.command("greet"' "$app/main.cpp" || fail "main.cpp has no greet command"
  cd "$app"
  "$myapp" check
  "$myapp" build | tee "$work/build.log"
  expect_grep "^built build/app \([0-9.]+ (KiB|MiB), Release\)" "$work/build.log"
  [[ -x "$app/build/app" ]] || fail "no binary"
  MYAPP_SMOKE_TEST=1 ./build/app >"$work/smoke.log" 2>"$work/smoke.err" || { cat "$work/smoke.err"; fail "smoke check failed"; }
  expect_grep "^myapp: smoke ok url=myapp://localhost/index.html" "$work/smoke.log"
  # Built, the app tells check its commands and plugins: misspelled command names and plugin
  # permissions are found before the app runs.
  "$myapp" check >"$work/check-built.log" 2>&1 || { cat "$work/check-built.log"; fail "check of the built app"; }
  expect_grep "1 capability ok, against the [0-9]+ commands of build/app$" "$work/check-built.log"
  echo '{"identifier":"typos","windows":["main"],"permissions":["allow-gret","core:window:allow-clse","core:dialog:allow-open"]}' >capabilities/typos.json
  expect_exit 1 "$work/check-typos.log" "$myapp" check
  expect_grep '^capabilities/typos.json:permissions\[0\]: unknown permission `allow-gret` .*; did you mean `allow-greet`\?$' "$work/check-typos.log"
  expect_grep '^capabilities/typos.json:permissions\[1\]: unknown permission `core:window:allow-clse`.*did you mean `core:window:allow-close`\?' "$work/check-typos.log"
  # The dialog plugin is not installed in this app: its permissions are unknown here.
  expect_grep '^capabilities/typos.json:permissions\[2\]: unknown permission `core:dialog:allow-open` \(no plugin `core:dialog` is registered\)' "$work/check-typos.log"
  rm capabilities/typos.json
  "$myapp" info >"$work/info.log"
  expect_grep "product +App 0.1.0" "$work/info.log"
  expect_grep "Qt +6\." "$work/info.log"
  expect_grep "problems +none" "$work/info.log"
  # --prefix-path works as well as the environment.
  CMAKE_PREFIX_PATH= "$myapp" build --debug --prefix-path "$prefix" >"$work/debug.log" 2>&1 || { cat "$work/debug.log"; fail "--debug --prefix-path build"; }
  expect_grep "Debug" "$work/debug.log"
  "$myapp" build >/dev/null  # back to Release for the next steps
  # TypeScript bindings: the built app describes its commands (no window) and they are written
  # once; an unchanged description rewrites nothing.
  "$myapp" bindings --out web/api.ts >"$work/bindings.log" 2>&1 || { cat "$work/bindings.log"; fail "myapp bindings"; }
  expect_grep "^wrote web/api.ts \(1 command, 0 events, 0 types\)$" "$work/bindings.log"
  grep -q "greet(args: { name: string }, options?: InvokeOptions): Promise<string> {" web/api.ts || { cat web/api.ts; fail "no typed greet in web/api.ts"; }
  "$myapp" bindings --out web/api.ts --check >"$work/bindings.log" 2>&1 || { cat "$work/bindings.log"; fail "myapp bindings --check"; }
  expect_grep "^web/api.ts is up to date" "$work/bindings.log"
  rm -r web
  ;;

bundle)
  cd "$app"
  "$myapp" bundle --format deb,tar | tee "$work/bundle.log"
  deb=$(ls build/bundle/deb/*.deb)
  tarball=$(ls build/bundle/tar/*.tar.gz)
  dpkg-deb -I "$deb" >"$work/deb-info.txt"
  for field in "Package: app" "Version: 0.1.0" "Architecture: $(dpkg --print-architecture)" \
               "Maintainer: " "Description: App, a myapp desktop app"; do
    grep -q "^ $field" "$work/deb-info.txt" || { cat "$work/deb-info.txt"; fail "control lacks $field"; }
  done
  expect_grep "^ Depends: libqt6webenginewidgets6, libqt6webchannel6" "$work/deb-info.txt"
  dpkg-deb -c "$deb" >"$work/deb-files.txt"
  expect_grep " ./usr/bin/app$" "$work/deb-files.txt"
  expect_grep " ./usr/share/applications/app.desktop$" "$work/deb-files.txt"
  expect_grep "^-rwxr-xr-x root/root .* ./usr/bin/app$" "$work/deb-files.txt"
  rm -rf "$work/root" && mkdir -p "$work/root"
  dpkg-deb -x "$deb" "$work/root"
  # The packaged binary is the built one without its symbols (build/app keeps them).
  strip --strip-unneeded -o "$work/app.stripped" build/app
  cmp "$work/root/usr/bin/app" "$work/app.stripped" || fail "the packaged binary is not the built one, stripped"
  readelf -S build/app | grep -q '\.symtab' || fail "build/app lost its symbols"
  grep -q "^Exec=app$" "$work/root/usr/share/applications/app.desktop" || fail "desktop file"
  MYAPP_SMOKE_TEST=1 "$work/root/usr/bin/app" 2>/dev/null | grep -q "smoke ok" || fail "the packaged binary fails its smoke check"
  tar tzf "$tarball" >"$work/tar-files.txt"
  for f in app-0.1.0/app app-0.1.0/app.desktop app-0.1.0/README.md; do
    grep -qx "$f" "$work/tar-files.txt" || { cat "$work/tar-files.txt"; fail "tarball lacks $f"; }
  done
  "$myapp" bundle --format rpm >"$work/rpm.log" 2>&1
  if command -v rpmbuild >/dev/null; then
    rpm -qpl build/bundle/rpm/*/app-0.1.0-1.*.rpm >"$work/rpm-files.txt"
    expect_grep "^/usr/bin/app$" "$work/rpm-files.txt"
    expect_grep "^/usr/share/applications/app.desktop$" "$work/rpm-files.txt"
  else
    expect_grep "rpm: skipped: .rpmbuild. is not installed" "$work/rpm.log"
  fi
  expect_exit 2 "$work/bad-format.log" "$myapp" bundle --format msi
  ;;

dev)
  cd "$app"
  log="$work/dev.log"
  # build.bindings: dev writes the bindings after building, and again only when they change.
  node -e 'const f="myapp.conf.json", c=JSON.parse(require("fs").readFileSync(f)); c.build.bindings="src/bindings.ts"; require("fs").writeFileSync(f, JSON.stringify(c, null, 2))'
  MYAPP_LOG=debug "$myapp" dev >"$log" 2>&1 &
  dev_pid=$!
  trap 'kill -TERM $dev_pid 2>/dev/null || true' EXIT
  wait_for() {  # wait_for <count> <pattern> <seconds>
    local n="$1" pattern="$2" limit=$(( $3 * 10 ))
    for ((i = 0; i < limit; i++)); do
      (( $(grep -cE -- "$pattern" "$log" || true) >= n )) && return 0
      kill -0 "$dev_pid" 2>/dev/null || { cat "$log" >&2; fail "myapp dev exited early"; }
      sleep 0.1
    done
    cat "$log" >&2
    fail "timed out waiting for $n x /$pattern/"
  }
  wait_for 1 "^\[app\] .*handshake complete" 120
  grep -q "MYAPP_DEV_FRONTEND\|dev: serving $app/frontend" "$log" || fail "the app does not serve the folder"

  # A frontend edit reloads the page, without a rebuild or a restart.
  echo "/* edited */" >>frontend/style.css
  wait_for 1 "^\[app\] .*dev: style.css changed; page reloaded" 20
  wait_for 2 "^\[app\] .*handshake complete" 20
  (( $(grep -c "starting $app/build/app" "$log") == 1 )) || fail "a frontend edit restarted the app"

  # A C++ edit rebuilds and restarts.
  sed -i 's/greeted from C++/greeted from C++ (dev edit)/' main.cpp
  wait_for 1 "main.cpp changed; rebuilding" 10
  wait_for 1 "^\[build\] .*Linking CXX executable app" 150
  wait_for 1 "restarting the app" 30
  wait_for 2 "starting $app/build/app" 10
  wait_for 3 "^\[app\] .*handshake complete" 60

  # A broken build keeps the last good app running.
  echo "this is not C++" >>main.cpp
  wait_for 1 "the build failed; the last good app keeps running" 150
  expect_grep "^\[build\] .*error" "$log"
  kill -0 "$dev_pid" || fail "myapp dev died on a failed build"
  (( $(grep -c "starting $app/build/app" "$log") == 2 )) || fail "the app was restarted after a failed build"
  (( $(grep -c "wrote src/bindings.ts (1 command" "$log") == 1 )) || fail "dev should write src/bindings.ts once (unchanged after the rebuild)"
  grep -q "greet(args: { name: string }" src/bindings.ts || fail "dev wrote no typed greet"

  # Everything it started, and their children, end with it.
  descendants() {
    for s in /proc/[0-9]*/stat; do
      read -r pid _ < "$s" 2>/dev/null || continue
      ppid=$(sed 's/.*) //' "$s" 2>/dev/null | cut -d' ' -f2) || continue
      echo "$pid $ppid"
    done | awk -v root="$1" '{ parent[$1] = $2 } END {
      for (p in parent) { q = p; while ((q in parent) && q > 1) { q = parent[q]; if (q == root) { print p; break } } } }'
  }
  before=$(descendants "$dev_pid")
  [[ -n "$before" ]] || fail "no process under myapp dev"
  echo "processes under myapp dev: $(echo $before)"
  kill -TERM "$dev_pid"
  set +e; wait "$dev_pid"; code=$?; set -e
  trap - EXIT
  echo "myapp dev exited with $code"
  [[ $code == 130 ]] || { tail -20 "$log"; fail "myapp dev should exit 130 after SIGTERM, got $code"; }
  left=""
  for p in $before; do
    if [[ -e /proc/$p ]] && [[ $(sed 's/.*) //' /proc/$p/stat | cut -d' ' -f1) != Z ]]; then left="$left $p"; fi
  done
  [[ -z "$left" ]] || { ps -o pid,ppid,cmd -p $left; fail "processes left behind:$left"; }
  # Put the scaffold back as it was.
  sed -i '$d' main.cpp
  sed -i 's/ (dev edit)//' main.cpp
  node -e 'const f="myapp.conf.json", c=JSON.parse(require("fs").readFileSync(f)); delete c.build.bindings; require("fs").writeFileSync(f, JSON.stringify(c, null, 2))'
  rm -r src
  ;;

errors)
  rm -rf "$work/errors" && mkdir -p "$work/errors" && cd "$work/errors"
  expect_exit 2 out.log "$myapp" new Bad_Name --yes
  expect_grep 'invalid app name "Bad_Name"' out.log
  expect_exit 2 out.log "$myapp" new -x --yes
  expect_exit 2 out.log "$myapp" new ok-name --yes --template nope
  expect_grep 'unknown template "nope" \(available: vanilla, vite-ts\)' out.log
  expect_exit 2 out.log "$myapp" new ok-name --yes --identifier nodots
  mkdir -p taken && touch taken/file
  expect_exit 4 out.log "$myapp" new taken --yes --no-install
  expect_grep "exists and is not empty" out.log
  [[ ! -e taken/myapp.conf.json ]] || fail "wrote into a non-empty folder"
  expect_exit 0 out.log "$myapp" new taken --yes --force --no-install
  [[ -f taken/file && -f taken/myapp.conf.json ]] || fail "--force"
  # A malformed configuration, with its key path, from check and from build.
  cd taken
  sed -i 's/"width": 800/"widht": 800/' myapp.conf.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^myapp.conf.json:app.windows\[0\].widht: unknown key \(did you mean "width"\?\)$' check.log
  expect_exit 1 build.log "$myapp" build
  expect_grep 'app.windows\[0\].widht: unknown key' build.log
  echo '{"productName": "x",' >myapp.conf.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^myapp.conf.json: invalid JSON' check.log
  # A malformed capability, with its file and key path.
  cd ..
  expect_exit 0 out.log "$myapp" new caps-check --yes --no-install
  cd caps-check
  expect_exit 0 check.log "$myapp" check
  echo '{"identifier":"x","windows":["main"],"permisions":["allow-greet"]}' >capabilities/x.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^capabilities/x.json:permisions: unknown key \(did you mean "permissions"\?\)' check.log
  expect_grep '^capabilities/x.json:permissions: a capability needs a `permissions` array$' check.log
  # app.security.capabilities names the capabilities in force: a name no file has is reported.
  rm capabilities/x.json
  sed -i 's/"capabilities": \["default"\]/"capabilities": ["defualt"]/' myapp.conf.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^myapp.conf.json:app.security.capabilities\[0\]: no capability file has the identifier `defualt`; did you mean `default`\?$' check.log
  cd ..
  mkdir -p empty && cd empty
  expect_exit 3 out.log "$myapp" build
  expect_grep "no myapp.conf.json" out.log
  expect_exit 3 out.log "$myapp" check
  expect_exit 2 out.log "$myapp"
  expect_exit 2 out.log "$myapp" frobnicate
  expect_exit 0 out.log "$myapp" --version
  expect_grep "^myapp 0\." out.log
  for cmd in new build bundle info check dev bindings completions; do
    expect_exit 0 help.log "$myapp" "$cmd" --help
    expect_grep "^Example" help.log
  done
  ;;

vite-ts)
  rm -rf "$work/vite" && cd "$work"
  "$myapp" new vite-app --template vite-ts --yes --no-install --dir "$work/vite" >"$work/vite.log" 2>&1
  cd "$work/vite"
  for f in package.json index.html src/main.ts src/style.css tsconfig.json vite.config.ts \
           main.cpp CMakeLists.txt myapp.conf.json capabilities/default.json .gitignore README.md; do
    [[ -f "$f" ]] || fail "vite-ts lacks $f"
  done
  grep -q "\"@myapp/api\": \"file:$prefix/share/myapp/runtime-js\"" package.json || { cat package.json; fail "@myapp/api is not the installed runtime-js"; }
  grep -q '"vite": "5\.' package.json || fail "vite is not pinned to 5.x"
  grep -q 'FRONTEND dist' CMakeLists.txt || fail "CMakeLists.txt should compile dist/ in"
  "$myapp" check
  "$myapp" info >info.log
  expect_grep "dev URL +http://localhost:5173" info.log
  expect_grep "before build +npm run build" info.log
  expect_grep "skipped .npm install." "$work/vite.log"
  expect_grep "^  npm install$" "$work/vite.log"
  node -e 'JSON.parse(require("fs").readFileSync("package.json"))'
  # A full build when npm can install without the network (packages already in npm's cache).
  if npm install --offline --no-audit --no-fund >npm.log 2>&1; then
    "$myapp" build
    MYAPP_SMOKE_TEST=1 ./build/vite-app | grep -q "smoke ok" || fail "vite-ts app smoke check"
    echo "vite-ts: built and smoke-tested"
  else
    echo "vite-ts: npm packages not in the offline cache; scaffold checked, build skipped"
  fi
  ;;

completions)
  work="$work-completions"   # not under the fixture's folder, which cli.install recreates
  rm -rf "$work" && mkdir -p "$work"
  for sh in bash zsh fish; do "$myapp" completions "$sh" >"$work/completion.$sh"; done
  bash -n "$work/completion.bash"
  grep -q "complete -F _myapp myapp" "$work/completion.bash" || fail "bash completion"
  grep -q "vanilla vite-ts" "$work/completion.bash" || fail "bash completion lacks templates"
  grep -q "^#compdef myapp" "$work/completion.zsh" || fail "zsh completion"
  grep -q "__fish_seen_subcommand_from new' -l template" "$work/completion.fish" || fail "fish completion"
  if command -v zsh >/dev/null; then zsh -n "$work/completion.zsh"; fi
  if command -v fish >/dev/null; then fish -n "$work/completion.fish"; fi
  # Completing the word after `myapp bu` with bash's own machinery.
  out=$(bash -c "source '$work/completion.bash'; COMP_WORDS=(myapp bu); COMP_CWORD=1; _myapp; echo \${COMPREPLY[*]}")
  [[ "$out" == "build bundle" ]] || fail "bash completes 'bu' to '$out'"
  expect_exit 2 "$work/completion.err" "$myapp" completions powershell
  ;;

*)
  fail "unknown step $step"
  ;;
esac
echo "cli $step: ok"
