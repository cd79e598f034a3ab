#!/usr/bin/env bash
# The myapp CLI end to end, as a user runs it. One step per ctest test:
#
#   cli_test.sh <step> <myapp binary> <build tree> <work dir>
#
# Steps: install, new-build-smoke, bundle, portable, dev, errors, vite-ts, completions, plugins.
# new-build-smoke, bundle, portable and dev share one scaffolded app in <work dir>/app (ctest
# fixtures).
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
unset MYAPP_DEV_URL MYAPP_DEV_FRONTEND MYAPP_SMOKE_TEST MYAPP_LOG MYAPP_REMOTE_DEBUGGING

source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

case "$step" in
install)
  rm -rf "$work"
  mkdir -p "$work"
  cmake --install "$build_tree" --prefix "$prefix" >/dev/null
  [[ -x "$prefix/bin/myapp" ]] || fail "the CLI was not installed"
  [[ -f "$prefix/share/myapp/schemas/myapp.conf.schema.json" ]] || fail "the schema was not installed"
  [[ -f "$prefix/share/myapp/runtime-js/package.json" ]] || fail "runtime-js was not installed"
  [[ -x "$prefix/libexec/myapp/myapp-image" ]] || fail "the image helper was not installed"
  echo "installed into $prefix"
  ;;

new-build-smoke)
  rm -rf "$app"
  cd "$work"
  "$myapp" new app --yes --no-install --dir "$app" </dev/null | tee "$work/new.log"
  expect_grep "Next steps" "$work/new.log"
  for f in CMakeLists.txt main.cpp myapp.conf.json capabilities/default.json frontend/index.html \
           frontend/style.css frontend/main.js README.md .gitignore icons/icon.svg icons/256x256.png; do
    [[ -f "$app/$f" ]] || fail "myapp new did not write $f"
  done
  grep -q 'CONFIG myapp.conf.json' "$app/CMakeLists.txt" || fail "CMakeLists.txt lacks CONFIG"
  grep -q '"allow-greet"' "$app/capabilities/default.json" || fail "capabilities/default.json"
  grep -q 'app.command("greet"' "$app/main.cpp" || fail "main.cpp has no greet command"
  grep -q '"icon": "icons"' "$app/myapp.conf.json" || fail "the template's config names no icon"
  cd "$app"
  "$myapp" check
  "$myapp" build | tee "$work/build.log"
  expect_grep "^built build/release/app \([0-9.]+ (KiB|MiB), Release; build/app points to it\)" "$work/build.log"
  [[ -x "$app/build/app" && -x "$app/build/release/app" ]] || fail "no binary"
  # The README's command, and quiet by default: the smoke check's first output is its own line,
  # not Qt's 15-line qt.webenginecontext dump (MYAPP_LOG=qt=debug asks for it).
  MYAPP_SMOKE_TEST=1 ./build/app >"$work/smoke.log" 2>"$work/smoke.err" || { cat "$work/smoke.err"; fail "smoke check failed"; }
  expect_grep "^myapp: smoke ok url=myapp://localhost/index.html" "$work/smoke.log"
  if grep -qE "webenginecontext|GL Type|No suitable graphics backend|XDG_RUNTIME_DIR" "$work/smoke.err"; then
    cat "$work/smoke.err"; fail "Qt's information is printed by default"
  fi
  MYAPP_SMOKE_TEST=1 MYAPP_LOG=qt=debug ./build/app >/dev/null 2>"$work/smoke-qt.err"
  expect_grep "\[myapp.qt\] \[debug\] qt.webenginecontext:" "$work/smoke-qt.err"
  # Started by hand without a display, the app says how to run headless instead of Qt's abort.
  expect_exit 1 "$work/no-display.log" env -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY ./build/app
  expect_grep "no display: DISPLAY and WAYLAND_DISPLAY are not set.*QT_QPA_PLATFORM=offscreen" "$work/no-display.log"
  if grep -q "could not connect to display\|Aborted" "$work/no-display.log"; then fail "Qt aborted"; fi
  # Remote debugging on a port another program holds: an error, never "the protocol is on".
  python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)' >"$work/holder.port" &
  holder=$!
  for _ in $(seq 50); do [[ -s "$work/holder.port" ]] && break; sleep 0.1; done
  MYAPP_SMOKE_TEST=1 MYAPP_REMOTE_DEBUGGING="$(cat "$work/holder.port")" ./build/app >/dev/null 2>"$work/devtools.err" || true
  kill "$holder"
  expect_grep "remote debugging: 127.0.0.1:$(cat "$work/holder.port") cannot be used \(Address already in use\)" "$work/devtools.err"
  if grep -q "the Chrome DevTools Protocol on" "$work/devtools.err"; then fail "it says DevTools are on"; fi
  # Built, the app tells check its commands and plugins: misspelled command names and plugin
  # permissions are found before the app runs.
  "$myapp" check >"$work/check-built.log" 2>&1 || { cat "$work/check-built.log"; fail "check of the built app"; }
  expect_grep "1 capability ok, against the [0-9]+ commands of build/release/app$" "$work/check-built.log"
  echo '{"identifier":"typos","windows":["main"],"permissions":["allow-gret","core:window:allow-clse","core:dialog:allow-open"]}' >capabilities/typos.json
  expect_exit 1 "$work/check-typos.log" "$myapp" check
  expect_grep '^capabilities/typos.json:1:57: permissions\[0\]: unknown permission `allow-gret` .*; did you mean `allow-greet`\?$' "$work/check-typos.log"
  expect_grep '^capabilities/typos.json:1:70: permissions\[1\]: unknown permission `core:window:allow-clse`.*did you mean `core:window:allow-close`\?' "$work/check-typos.log"
  # The dialog plugin is not installed in this app: its permissions are unknown here.
  expect_grep '^capabilities/typos.json:1:95: permissions\[2\]: unknown permission `core:dialog:allow-open` \(no plugin `core:dialog` is registered\)' "$work/check-typos.log"
  # build and bundle run the same check and stop: the app would exit at start.
  expect_exit 1 "$work/build-typos.log" "$myapp" build
  expect_grep '^capabilities/typos.json:1:57: permissions\[0\]: unknown permission `allow-gret`' "$work/build-typos.log"
  expect_grep "build/release/app is built, but it would exit at start: its capabilities have 3 problems" "$work/build-typos.log"
  expect_exit 1 "$work/bundle-typos.log" "$myapp" bundle --format tar
  expect_grep "unknown permission \`allow-gret\`" "$work/bundle-typos.log"
  [[ ! -e build/bundle/tar ]] || fail "bundle packaged an app that would not start"
  rm capabilities/typos.json
  "$myapp" info >"$work/info.log"
  expect_grep "product +App 0.1.0" "$work/info.log"
  expect_grep "Qt +6\." "$work/info.log"
  expect_grep "problems +none" "$work/info.log"
  expect_grep "display +QT_QPA_PLATFORM=offscreen" "$work/info.log"
  expect_grep "dpkg-deb +/" "$work/info.log"
  expect_grep "myapp-image +/" "$work/info.log"
  expect_grep "icon +icons$" "$work/info.log"
  expect_grep "node_modules +missing: run .npm install." "$work/info.log"
  expect_grep "build/release +stale: capabilities/typos.json changed|build/release +up to date" "$work/info.log"
  touch main.cpp
  "$myapp" info >"$work/info-stale.log"
  expect_grep "build/release +stale: main.cpp changed since it was built; .myapp build. rebuilds it" "$work/info-stale.log"
  # Debug and Release have folders of their own: going back and forth rebuilds nothing.
  "$myapp" build >/dev/null 2>&1
  CMAKE_PREFIX_PATH= "$myapp" build --debug --prefix-path "$prefix" >"$work/debug.log" 2>&1 || { cat "$work/debug.log"; fail "--debug --prefix-path build"; }
  expect_grep "^built build/debug/app .*Debug; build/app points to it" "$work/debug.log"
  [[ $(readlink build/app) == debug/app ]] || fail "build/app does not point at the Debug build"
  "$myapp" build >"$work/release-again.log" 2>&1
  "$myapp" build --debug >"$work/debug-again.log" 2>&1
  for f in release-again debug-again; do
    if grep -q "Building CXX\|Linking CXX" "$work/$f.log"; then cat "$work/$f.log"; fail "$f rebuilt: Debug and Release share a folder"; fi
  done
  "$myapp" build >/dev/null 2>&1  # back to Release for the next steps
  # TypeScript bindings: the built app describes its commands (no window) and they are written
  # once; an unchanged description rewrites nothing.
  "$myapp" bindings --out web/api.ts >"$work/bindings.log" 2>&1 || { cat "$work/bindings.log"; fail "myapp bindings"; }
  expect_grep "^wrote web/api.ts \(1 command, 1 event, 1 type\)$" "$work/bindings.log"
  grep -q "'greeted': Greeted;" web/api.ts || { cat web/api.ts; fail "no typed greeted event in web/api.ts"; }
  grep -q "greet(args: { name: string }, options?: InvokeOptions): Promise<string> {" web/api.ts || { cat web/api.ts; fail "no typed greet in web/api.ts"; }
  "$myapp" bindings --out web/api.ts --check >"$work/bindings.log" 2>&1 || { cat "$work/bindings.log"; fail "myapp bindings --check"; }
  expect_grep "^web/api.ts is up to date" "$work/bindings.log"
  rm -r web
  ;;

bundle)
  cd "$app"
  # What is packaged is what is on disk, built in Release by bundle itself: after a Debug build
  # and edits to the code and the version, the package holds the new code and version.
  "$myapp" build --debug >/dev/null 2>&1
  cp main.cpp "$work/main.cpp.orig" && cp myapp.conf.json "$work/conf.orig"
  sed -i 's/greeted from C++/greeted from C++ (bundled edit)/' main.cpp
  sed -i 's/"version": "0.1.0"/"version": "0.2.0"/' myapp.conf.json
  "$myapp" bundle --format deb >"$work/bundle-edit.log" 2>&1 || { cat "$work/bundle-edit.log"; fail "bundle after an edit"; }
  expect_grep "building in build/release" "$work/bundle-edit.log"
  expect_grep "built App 0.2.0 from the current sources \(Release, build/release/app\)" "$work/bundle-edit.log"
  expect_grep "^deb: build/bundle/deb/app_0.2.0_amd64.deb" "$work/bundle-edit.log"
  rm -rf "$work/edited" && dpkg-deb -x build/bundle/deb/app_0.2.0_amd64.deb "$work/edited"
  grep -q "(bundled edit)" "$work/edited/usr/bin/app" || fail "the package holds the old code"
  [[ $(dpkg-deb -f build/bundle/deb/app_0.2.0_amd64.deb Version) == 0.2.0 ]] || fail "the package's version"
  expect_grep "Running rcc for resource app_config" "$work/bundle-edit.log"  # the new myapp.conf.json compiled in
  grep -q "CMAKE_BUILD_TYPE:STRING=Release" build/release/CMakeCache.txt || fail "bundle did not build in Release"
  cp "$work/main.cpp.orig" main.cpp && cp "$work/conf.orig" myapp.conf.json
  rm -rf build/bundle

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
  # The template's icon, in every size folder the hicolor theme lists, and as an SVG.
  for size in 16 24 32 48 64 128 256 512; do
    expect_grep " ./usr/share/icons/hicolor/${size}x${size}/apps/app.png$" "$work/deb-files.txt"
  done
  expect_grep " ./usr/share/icons/hicolor/scalable/apps/app.svg$" "$work/deb-files.txt"
  rm -rf "$work/root" && mkdir -p "$work/root"
  dpkg-deb -x "$deb" "$work/root"
  # The packaged binary is the built one without its symbols (build/release/app keeps them).
  strip --strip-unneeded -o "$work/app.stripped" build/release/app
  cmp "$work/root/usr/bin/app" "$work/app.stripped" || fail "the packaged binary is not the built one, stripped"
  readelf -S build/release/app | grep -q '\.symtab' || fail "build/release/app lost its symbols"
  grep -q "^Exec=app$" "$work/root/usr/share/applications/app.desktop" || fail "desktop file"
  grep -q "^Icon=app$" "$work/root/usr/share/applications/app.desktop" || fail "desktop file's icon"
  MYAPP_SMOKE_TEST=1 "$work/root/usr/bin/app" 2>/dev/null | grep -q "smoke ok" || fail "the packaged binary fails its smoke check"
  tar tzf "$tarball" >"$work/tar-files.txt"
  for f in app-0.1.0/app app-0.1.0/app.desktop app-0.1.0/README.md app-0.1.0/icons/hicolor/256x256/apps/app.png; do
    grep -qx "$f" "$work/tar-files.txt" || { cat "$work/tar-files.txt"; fail "tarball lacks $f"; }
  done

  # A format whose tool is missing fails, before building, with what to install.
  if command -v rpmbuild >/dev/null; then
    "$myapp" bundle --format rpm >"$work/rpm.log" 2>&1
    rpm -qpl build/bundle/rpm/*/app-0.1.0-1.*.rpm >"$work/rpm-files.txt"
    expect_grep "^/usr/bin/app$" "$work/rpm-files.txt"
    expect_grep "^/usr/share/applications/app.desktop$" "$work/rpm-files.txt"
    expect_grep "^/usr/share/icons/hicolor/256x256/apps/app.png$" "$work/rpm-files.txt"
  else
    expect_exit 5 "$work/rpm.log" "$myapp" bundle --format rpm
    expect_grep "the rpm format needs .rpmbuild., which is not installed: on Debian and Ubuntu: apt-get install rpm" "$work/rpm.log"
    [[ ! -e build/bundle/rpm ]] || fail "an rpm folder without rpmbuild"
  fi
  if ! command -v appimagetool >/dev/null; then
    expect_exit 5 "$work/appimage.log" "$myapp" bundle --format appimage
    expect_grep "the appimage format needs .appimagetool." "$work/appimage.log"
  fi
  expect_exit 2 "$work/bad-format.log" "$myapp" bundle --format msi
  expect_exit 2 "$work/bad-format.log" "$myapp" bundle --format deb,tra
  expect_grep 'unknown bundle format "tra" in --format \(available: deb, rpm, tar, portable, appimage\); did you mean "tar"\?' "$work/bad-format.log"

  # Icons: a non-square one is refused, by check and by bundle; a missing one too.
  cp myapp.conf.json "$work/conf.orig"
  python3 -c 'import zlib,struct; w,h=100,60; raw=b"".join(b"\0"+b"\x30\x60\xc0\xff"*w for _ in range(h)); c=lambda t,d: struct.pack(">I",len(d))+t+d+struct.pack(">I",zlib.crc32(t+d)); open("wide.png","wb").write(b"\x89PNG\r\n\x1a\n"+c(b"IHDR",struct.pack(">IIBBBBB",w,h,8,6,0,0,0))+c(b"IDAT",zlib.compress(raw))+c(b"IEND",b""))'
  sed -i 's/"icon": "icons"/"icon": "wide.png"/' myapp.conf.json
  expect_exit 1 "$work/icon-check.log" "$myapp" check
  expect_grep '^myapp.conf.json:[0-9]+:[0-9]+: bundle.icon: "wide.png" is 100x60: an icon must be square' "$work/icon-check.log"
  expect_exit 1 "$work/icon-bundle.log" "$myapp" bundle --format tar
  expect_grep "bundle.icon: \"wide.png\" is 100x60: an icon must be square" "$work/icon-bundle.log"
  expect_exit 2 "$work/icon-cmd.log" "$myapp" icon wide.png
  expect_grep "wide.png is 100x60: an icon must be square" "$work/icon-cmd.log"
  sed -i 's/"icon": "wide.png"/"icon": "icons\/missing.png"/' myapp.conf.json
  expect_exit 1 "$work/icon-check.log" "$myapp" check
  expect_grep 'bundle.icon: "icons/missing.png" does not exist' "$work/icon-check.log"
  # myapp icon writes the sizes from a square source; an SVG is kept as the scalable one.
  "$myapp" icon icons/icon.svg --out "$work/icons" >"$work/icon.log" 2>&1 || { cat "$work/icon.log"; fail "myapp icon"; }
  for size in 16 24 32 48 64 128 256 512; do [[ -s "$work/icons/${size}x${size}.png" ]] || fail "myapp icon wrote no ${size}x${size}.png"; done
  [[ -s "$work/icons/icon.svg" ]] || fail "myapp icon wrote no icon.svg"
  "$prefix/libexec/myapp/myapp-image" info "$work/icons/48x48.png" | grep -qx "png 48 48" || fail "48x48.png is not 48x48"
  cp "$work/conf.orig" myapp.conf.json && rm wide.png
  ;;

portable)
  cd "$app"
  # A folder that runs where Qt is not installed: its tarball, unpacked elsewhere, passes the
  # smoke check with the system's Qt libraries, plugins, QtWebEngineProcess and resources
  # hidden in a private mount namespace.
  "$myapp" bundle --format portable >"$work/portable.log" 2>&1 || { cat "$work/portable.log"; fail "bundle --format portable"; }
  cat "$work/portable.log"
  expect_grep "^portable: build/bundle/portable/app-0.1.0-$(uname -m).tar.gz \([0-9.]+ MiB\)" "$work/portable.log"
  dir=build/bundle/portable/app-0.1.0-$(uname -m)
  for f in AppRun app.desktop app.png usr/bin/app usr/bin/qt.conf usr/libexec/QtWebEngineProcess \
           usr/libexec/qt.conf usr/lib/libQt6WebEngineCore.so.6 usr/lib/libQt6Core.so.6 \
           usr/plugins/platforms/libqxcb.so usr/plugins/platforms/libqoffscreen.so \
           usr/resources/qtwebengine_resources.pak usr/translations/qtwebengine_locales/en-US.pak \
           usr/share/icons/hicolor/256x256/apps/app.png; do
    [[ -e "$dir/$f" ]] || fail "the portable folder lacks $f"
  done
  [[ ! -e "$dir/usr/lib/libc.so.6" ]] || fail "the C library is bundled"
  [[ $(ls "$dir/usr/translations/qtwebengine_locales" | wc -l) == 1 ]] || fail "locales the app does not need are bundled"
  readelf -d "$dir/usr/bin/app" | grep -q 'RUNPATH.*\$ORIGIN/../lib' || fail "the app does not look in ../lib"
  rm -rf "$work/unpacked" && mkdir -p "$work/unpacked"
  tar -C "$work/unpacked" -xzf "build/bundle/portable/app-0.1.0-$(uname -m).tar.gz"
  unpacked="$work/unpacked/app-0.1.0-$(uname -m)"
  cat >"$work/hide-qt.sh" <<'EOS'
#!/bin/bash
# Runs "$@" with the system's Qt hidden: its library folders and files, QtWebEngineProcess and
# Qt's data (resources, locales) replaced by empty ones in this mount namespace only.
set -euo pipefail
empty=$(mktemp -d)
for d in /usr/lib/x86_64-linux-gnu/qt6 /usr/lib/aarch64-linux-gnu/qt6 /usr/lib/qt6 /usr/share/qt6; do
  [[ -d $d ]] && mount --bind "$empty" "$d"
done
for f in /usr/lib/*-linux-gnu/libQt6*.so.*; do
  [[ -L $f ]] || mount --bind /dev/null "$f"
done
exec "$@"
EOS
  chmod +x "$work/hide-qt.sh"
  if ! unshare -m true 2>/dev/null; then
    fail "unshare -m is not allowed here: the portable test needs a private mount namespace (root)"
  fi
  # The control: the plain build cannot start with Qt hidden, so hiding works.
  if MYAPP_SMOKE_TEST=1 unshare -m "$work/hide-qt.sh" ./build/release/app >"$work/control.log" 2>&1; then
    fail "build/release/app ran with the system's Qt hidden: the test hides nothing"
  fi
  MYAPP_SMOKE_TEST=1 unshare -m "$work/hide-qt.sh" "$unpacked/AppRun" >"$work/portable-smoke.log" 2>&1 || { cat "$work/portable-smoke.log"; fail "the portable app fails with Qt hidden"; }
  expect_grep "^myapp: smoke ok url=myapp://localhost/index.html" "$work/portable-smoke.log"
  # Run normally, with the system's Qt in place, the app and its Chromium processes (the
  # zygotes, and the renderer a zygote forks) map the bundled Qt and none of the system's.
  "$unpacked/AppRun" >"$work/portable-run.log" 2>&1 &
  run_pid=$!
  engine="$unpacked/usr/libexec/QtWebEngineProcess"
  renderer=""
  for _ in $(seq 300); do
    for pid in $(pgrep -f -- "^$engine " || true); do
      parent=$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null || true)
      if [[ -n $parent ]] && tr '\0' ' ' <"/proc/$parent/cmdline" 2>/dev/null | grep -q "^$engine "; then
        renderer=$pid
      fi
    done
    [[ -n $renderer ]] && break
    sleep 0.1
  done
  checked=0
  for pid in "$run_pid" $(pgrep -f -- "^$engine " || true); do
    maps=$(cat "/proc/$pid/maps" 2>/dev/null || true)
    [[ -n $maps ]] || continue
    grep -q "$unpacked/usr/lib/libQt6Core.so.6" <<<"$maps" || fail "process $pid does not map the bundled Qt"
    if grep -E "/usr/lib/[^ ]*-linux-gnu/libQt6" <<<"$maps"; then fail "process $pid maps the system's Qt"; fi
    checked=$((checked + 1))
  done
  kill "$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  [[ -n $renderer ]] || { cat "$work/portable-run.log"; fail "no renderer process came up"; }
  ((checked >= 3)) || fail "checked the maps of $checked processes only"
  echo "portable: $(du -sh "$dir" | cut -f1) folder, $(du -h "build/bundle/portable/app-0.1.0-$(uname -m).tar.gz" | cut -f1) compressed"
  rm -rf "$work/unpacked"  # 260 MB
  ;;

dev)
  cd "$app"
  log="$work/dev.log"
  # build.bindings: dev writes the bindings after building, and again only when they change.
  node -e 'const f="myapp.conf.json", c=JSON.parse(require("fs").readFileSync(f)); c.build.bindings="src/bindings.ts"; require("fs").writeFileSync(f, JSON.stringify(c, null, 2))'
  MYAPP_LOG=debug "$myapp" dev --inspect >"$log" 2>&1 &
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
  # --inspect: the IPC inspector's window opens with the app.
  wait_for 1 "^\[app\] .*IPC inspector open" 20

  # A frontend edit reloads the page, without a rebuild or a restart.
  echo "/* edited */" >>frontend/style.css
  wait_for 1 "^\[app\] .*dev: style.css changed; page reloaded" 20
  wait_for 2 "^\[app\] .*handshake complete" 20
  (( $(grep -c "starting $app/build/dev/app" "$log") == 1 )) || fail "a frontend edit restarted the app"
  grep -q "configuring (Debug) in build/dev" "$log" || fail "dev does not build in build/dev"

  # A C++ edit rebuilds and restarts.
  sed -i 's/greeted from C++/greeted from C++ (dev edit)/' main.cpp
  wait_for 1 "main.cpp changed; rebuilding" 10
  wait_for 1 "^\[build\] .*Linking CXX executable app" 150
  wait_for 1 "restarting the app" 30
  wait_for 2 "starting $app/build/dev/app" 10
  wait_for 3 "^\[app\] .*handshake complete" 60

  # A capability the app would refuse: the new build is not started (the last good app keeps
  # running), and the next change starts it.
  echo '{"identifier":"typo","windows":["main"],"permissions":["allow-gret"]}' >capabilities/typo.json
  wait_for 1 "the new build is not started: its capabilities have 1 problem .*the last good app keeps running" 150
  expect_grep "capabilities/typo.json:1:56: permissions\[0\]: unknown permission .allow-gret." "$log"
  rm capabilities/typo.json
  wait_for 3 "starting $app/build/dev/app" 150
  wait_for 4 "^\[app\] .*handshake complete" 60
  # An app that exits at start (its window's page is missing): the session, and whatever the
  # dev server is, goes on; fixing it starts the app again.
  sed -i 's/"url": "index.html"/"url": "missing.html"/' myapp.conf.json
  wait_for 1 "the app exited \(code 1\); fix the problem above and save" 150
  expect_grep "^\[app\] .*could not load .*missing.html" "$log"
  kill -0 "$dev_pid" || fail "myapp dev ended with the app"
  sed -i 's/"url": "missing.html"/"url": "index.html"/' myapp.conf.json
  wait_for 5 "starting $app/build/dev/app" 150
  wait_for 5 "^\[app\] .*handshake complete" 60

  # A broken build keeps the last good app running.
  echo "this is not C++" >>main.cpp
  wait_for 1 "the build failed; the last good app keeps running" 150
  expect_grep "^\[build\] .*error" "$log"
  kill -0 "$dev_pid" || fail "myapp dev died on a failed build"
  (( $(grep -c "starting $app/build/dev/app" "$log") == 5 )) || fail "the app was restarted after a failed build"
  (( $(grep -c "wrote src/bindings.ts (1 command" "$log") == 1 )) || fail "dev should write src/bindings.ts once (unchanged after the rebuilds)"
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
  expect_grep 'unknown template "nope" \(available: vanilla, react-ts, svelte-ts, vite-ts, vue-ts\)' out.log
  expect_exit 2 out.log "$myapp" new ok-name --yes --template vue
  expect_grep 'unknown template "vue" \(available: .*\); did you mean "vue-ts"\?' out.log
  expect_exit 2 out.log "$myapp" new ok-name --yes --template svelte-js
  expect_grep 'unknown template "svelte-js" \(available: .*\); did you mean "svelte-ts"\?' out.log
  [[ ! -e ok-name ]] || fail "myapp new with an unknown template wrote a project"
  expect_exit 0 out.log "$myapp" new --help
  expect_grep "react-ts \(React \+ TypeScript, built by Vite\), svelte-ts \(Svelte" out.log
  expect_exit 2 out.log "$myapp" new ok-name --yes --identifier nodots
  # Names CMake reserves, and the folders myapp keeps in build/, are refused at once (they used
  # to fail at build time with a hint about installing myapp).
  for name in all install help clean test package release dev; do
    expect_exit 2 out.log "$myapp" new "$name" --yes --no-install
    expect_grep "invalid app name: \"$name\" is (a target name CMake reserves|the name of a folder myapp keeps in build/)" out.log
    [[ ! -e "$name" ]] || fail "myapp new $name wrote a project"
  done
  # No name: an error when nothing can be asked; on a terminal it asks, and asks again after a
  # wrong answer instead of giving up.
  expect_exit 2 out.log "$myapp" new --yes
  expect_grep "the app's name is missing" out.log
  printf 'Bad_Name\nall\nasked\nnope\n\nnodots\norg.acme.asked\n' |
    script -qec "$myapp new --no-install --dir $work/errors/asked" /dev/null >asked.log 2>&1 || { cat asked.log; fail "myapp new on a terminal"; }
  expect_grep 'invalid app name "Bad_Name"' asked.log
  expect_grep 'invalid app name: "all" is a target name CMake reserves' asked.log
  expect_grep 'unknown template "nope"' asked.log
  for t in vanilla react-ts svelte-ts vite-ts vue-ts; do expect_grep "^    $t +[A-Za-z]" asked.log; done
  expect_grep 'invalid identifier "nodots"' asked.log
  expect_grep "created asked \(vanilla template" asked.log
  grep -q '"identifier": "org.acme.asked"' asked/myapp.conf.json || fail "the answers were not used"
  mkdir -p taken && touch taken/file
  expect_exit 4 out.log "$myapp" new taken --yes --no-install
  expect_grep "exists and is not empty" out.log
  [[ ! -e taken/myapp.conf.json ]] || fail "wrote into a non-empty folder"
  expect_exit 0 out.log "$myapp" new taken --yes --force --no-install
  [[ -f taken/file && -f taken/myapp.conf.json ]] || fail "--force"
  # A malformed configuration, with its line, column and key path, from check and from build.
  cd taken
  sed -i 's/"width": 800/"widht": 800/' myapp.conf.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^myapp.conf.json:10:65: app.windows\[0\].widht: unknown key \(did you mean "width"\?\)$' check.log
  expect_exit 1 build.log "$myapp" build
  expect_grep '^myapp.conf.json:10:65: app.windows\[0\].widht: unknown key' build.log
  printf '{\n  "productName": "x",\n' >myapp.conf.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^myapp.conf.json:3:1: invalid JSON: the file ends inside an object: `}` is missing$' check.log
  # A capability with one missing comma: one problem, where the comma is missing.
  cd ..
  expect_exit 0 out.log "$myapp" new caps-check --yes --no-install
  cd caps-check
  expect_exit 0 check.log "$myapp" check
  printf '{\n  "identifier": "default",\n  "windows": ["main"]\n  "permissions": ["core:default", "allow-greet"]\n}\n' >capabilities/default.json
  expect_exit 1 check.log "$myapp" check
  [[ $(grep -c "^capabilities/\|^myapp.conf.json" check.log) == 1 ]] || { cat check.log; fail "one missing comma gives more than one problem"; }
  expect_grep '^capabilities/default.json:3:22: not valid JSON: a comma is missing after this member' check.log
  printf '{\n  "identifier": "default",\n  "windows": ["main"],\n  "permissions": ["core:default", "allow-greet"]\n}\n' >capabilities/default.json
  echo '{"identifier":"x","windows":["main"],"permisions":["allow-greet"]}' >capabilities/x.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^capabilities/x.json:1:38: permisions: unknown key \(did you mean "permissions"\?\)' check.log
  expect_grep '^capabilities/x.json:1:1: permissions: a capability needs a `permissions` array$' check.log
  # app.security.capabilities names the capabilities in force: a name no file has is reported.
  rm capabilities/x.json
  sed -i 's/"capabilities": \["default"\]/"capabilities": ["defualt"]/' myapp.conf.json
  expect_exit 1 check.log "$myapp" check
  expect_grep '^myapp.conf.json:[0-9]+:[0-9]+: app.security.capabilities\[0\]: no capability file has the identifier `defualt`; did you mean `default`\?$' check.log
  sed -i 's/"capabilities": \["defualt"\]/"capabilities": ["default"]/' myapp.conf.json
  # dev: no display, said before anything starts; a dev server port another program holds.
  expect_exit 9 dev.log env -u QT_QPA_PLATFORM -u DISPLAY -u WAYLAND_DISPLAY "$myapp" dev
  expect_grep "there is no display: DISPLAY and WAYLAND_DISPLAY are not set.*QT_QPA_PLATFORM=offscreen myapp dev" dev.log
  python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(60)' >holder.port &
  holder=$!
  for _ in $(seq 50); do [[ -s holder.port ]] && break; sleep 0.1; done
  port=$(cat holder.port)
  node -e "const f='myapp.conf.json', c=JSON.parse(require('fs').readFileSync(f)); c.build.devUrl='http://127.0.0.1:$port'; c.build.beforeDevCommand='python3 -m http.server $port'; require('fs').writeFileSync(f, JSON.stringify(c, null, 2))"
  expect_exit 8 dev.log "$myapp" dev
  kill "$holder"
  expect_grep "port $port of build.devUrl \(http://127.0.0.1:$port\) is already taken by pid $holder \([^ ]*python3 -c import socket" dev.log
  if grep -q "answers\|starting " dev.log; then cat dev.log; fail "dev went on with a stranger's server"; fi
  cd ..
  mkdir -p empty && cd empty
  expect_exit 3 out.log "$myapp" build
  expect_grep "no myapp.conf.json" out.log
  expect_exit 3 out.log "$myapp" check
  expect_exit 2 out.log "$myapp"
  expect_exit 2 out.log "$myapp" frobnicate
  expect_exit 2 out.log "$myapp" biuld
  expect_grep "unknown command .biuld. \(did you mean .build.\?\); the commands are: new, build, bundle" out.log
  expect_exit 0 out.log "$myapp" help
  expect_grep "^Usage: myapp" out.log
  expect_exit 0 out.log "$myapp" --version
  expect_grep "^myapp 0\." out.log
  for cmd in new build bundle icon info check dev bindings completions add remove permission capability; do
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
  # @myapp/api is the project's own copy, by a relative path: the project builds on a machine
  # where myapp is installed in another prefix.
  grep -q '"@myapp/api": "file:vendor/myapp-api"' package.json || { cat package.json; fail "@myapp/api is not the project's own copy"; }
  if grep -q "$prefix" package.json; then fail "package.json names the install prefix"; fi
  cmp vendor/myapp-api/package.json "$prefix/share/myapp/runtime-js/package.json" || fail "vendor/myapp-api is not the installed client"
  [[ -f vendor/myapp-api/index.js && -f vendor/myapp-api/index.d.ts ]] || fail "vendor/myapp-api is incomplete"
  # Without npm install, the scripts and the commands that need it say so.
  expect_exit 1 npm-dev.log npm run dev
  expect_grep "vite is not installed in this project: run npm install first" npm-dev.log
  expect_exit 5 build-npm.log "$myapp" build
  expect_grep "needs the project's npm packages, and .* has no node_modules/ yet: run .npm install. there first" build-npm.log
  expect_exit 5 dev-npm.log "$myapp" dev
  expect_grep "run .npm install. there first" dev-npm.log
  grep -q '"vite": "5\.' package.json || fail "vite is not pinned to 5.x"
  grep -q 'FRONTEND dist' CMakeLists.txt || fail "CMakeLists.txt should compile dist/ in"
  "$myapp" check
  "$myapp" info >info.log
  expect_grep "dev URL +http://localhost:5173" info.log
  expect_grep "before build +npm run build" info.log
  expect_grep "@myapp/api +0\.[0-9.]+ in vendor/myapp-api \(the CLI's version\)" info.log
  sed -i 's/"version": "[^"]*"/"version": "0.0.1"/' vendor/myapp-api/package.json
  "$myapp" info >info.log
  expect_grep "@myapp/api +0.0.1 in vendor/myapp-api, but this CLI is .*: the page's client and the app must match; .rm -rf vendor/myapp-api && cp -r $prefix/share/myapp/runtime-js vendor/myapp-api && npm install." info.log
  cp "$prefix/share/myapp/runtime-js/package.json" vendor/myapp-api/package.json
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
  grep -q "vanilla react-ts svelte-ts vite-ts vue-ts" "$work/completion.bash" || fail "bash completion lacks templates"
  grep -q "^#compdef myapp" "$work/completion.zsh" || fail "zsh completion"
  grep -q "__fish_seen_subcommand_from new' -l template" "$work/completion.fish" || fail "fish completion"
  if command -v zsh >/dev/null; then zsh -n "$work/completion.zsh"; fi
  if command -v fish >/dev/null; then fish -n "$work/completion.fish"; fi
  # Completing the word after `myapp bu` with bash's own machinery.
  out=$(bash -c "source '$work/completion.bash'; COMP_WORDS=(myapp bu); COMP_CWORD=1; _myapp; echo \${COMPREPLY[*]}")
  [[ "$out" == "build bundle" ]] || fail "bash completes 'bu' to '$out'"
  # Subcommands of a command, their options, and the plugins `add` knows.
  out=$(bash -c "source '$work/completion.bash'; COMP_WORDS=(myapp permission a); COMP_CWORD=2; _myapp; echo \${COMPREPLY[*]}")
  [[ "$out" == "add" ]] || fail "bash completes 'permission a' to '$out'"
  out=$(bash -c "source '$work/completion.bash'; COMP_WORDS=(myapp permission add x --cap); COMP_CWORD=4; _myapp; echo \${COMPREPLY[*]}")
  [[ "$out" == "--capability" ]] || fail "bash completes 'permission add x --cap' to '$out'"
  out=$(bash -c "source '$work/completion.bash'; COMP_WORDS=(myapp add di); COMP_CWORD=2; _myapp; echo \${COMPREPLY[*]}")
  [[ "$out" == "dialog" ]] || fail "bash completes 'add di' to '$out'"
  grep -q "__fish_seen_subcommand_from capability' -a 'new ls'" "$work/completion.fish" || fail "fish completion of capability"
  grep -q "'1:argument:(ls add rm)'" "$work/completion.zsh" || fail "zsh completion of permission"
  expect_exit 2 "$work/completion.err" "$myapp" completions powershell
  ;;

plugins)
  # myapp add / remove, permission ls|add|rm, capability new|ls on an app of its own: each edit
  # against golden text, formatting kept, idempotent, undone byte for byte; then bad input; then
  # the app built with every plugin added, checked against what it registered.
  src_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  dir="$work/plugins"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  "$myapp" new papp --yes --no-install --dir app >/dev/null 2>&1
  cd app
  cp -r . ../orig
  # A capability laid out one entry per line, with tabs: the layout stays.
  printf '{\n\t"identifier": "default",\n\t"windows": ["main"],\n\t"permissions": [\n\t\t"core:default",\n\t\t"allow-greet"\n\t]\n}\n' >capabilities/default.json
  cp capabilities/default.json ../orig/capabilities/default.json
  expect_exit 0 add.log "$myapp" add dialog
  expect_grep "^myapp: main.cpp: registers it: app.plugin\(myapp::plugins::dialog\(\)\);" add.log
  expect_grep "pages reach it as __MYAPP__.dialog" add.log
  printf '{\n\t"identifier": "default",\n\t"windows": ["main"],\n\t"permissions": [\n\t\t"core:default",\n\t\t"allow-greet",\n\t\t"core:dialog:allow-open",\n\t\t"core:dialog:allow-save",\n\t\t"core:dialog:allow-message",\n\t\t"core:dialog:allow-ask",\n\t\t"core:dialog:allow-confirm"\n\t]\n}\n' >want.json
  cmp capabilities/default.json want.json || { diff capabilities/default.json want.json; fail "add dialog: capability text"; }
  diff ../orig/main.cpp main.cpp >main.diff || true
  [[ "$(grep -c '^[<>]' main.diff)" == 2 ]] || { cat main.diff; fail "add dialog changed more than two lines of main.cpp"; }
  expect_grep '^> #include <myapp/plugins.hpp>$' main.diff
  expect_grep '^>   app.plugin\(myapp::plugins::dialog\(\)\);$' main.diff
  grep -B1 'return app.run();' main.cpp | grep -q 'app.plugin(myapp::plugins::dialog());' || fail "the registration is not just before app.run()"
  cp main.cpp main.once && cp capabilities/default.json default.once
  expect_exit 0 again.log "$myapp" add dialog
  expect_grep "the dialog plugin is already added \(main.cpp, capabilities/default.json\); nothing changed" again.log
  cmp main.cpp main.once && cmp capabilities/default.json default.once || fail "a second add changed files"
  expect_exit 0 rm.log "$myapp" remove dialog
  for f in main.cpp capabilities/default.json CMakeLists.txt myapp.conf.json; do
    cmp "$f" "../orig/$f" || fail "remove dialog did not undo add byte for byte: $f"
  done
  expect_exit 0 rm.log "$myapp" remove dialog
  expect_grep "the dialog plugin is not added; nothing changed" rm.log
  # A plugin of the project: kv_plugin.hpp and .cpp beside main.cpp.
  cp "$src_root"/examples/plugin/kv_plugin.hpp "$src_root"/examples/plugin/kv_plugin.cpp .
  expect_exit 0 kv.log "$myapp" add kv
  expect_grep "main.cpp: registers it: app.plugin\(kv::plugin\(\)\);" kv.log
  expect_grep '^myapp: main.cpp: #include "kv_plugin.hpp"$' kv.log
  expect_grep "SOURCES main.cpp kv_plugin.cpp$" CMakeLists.txt
  expect_grep $'^\t\t"kv:default"$' capabilities/default.json
  expect_exit 0 kv.log "$myapp" remove kv
  for f in main.cpp capabilities/default.json CMakeLists.txt; do
    cmp "$f" "../orig/$f" || fail "remove kv did not undo add byte for byte: $f"
  done
  # One in a folder, in a nested namespace, without a default set: included by its path, its
  # factory by its full name, nothing granted.
  mkdir -p plugins
  printf '#pragma once\n#include <myapp/plugin.hpp>\nnamespace papp::notes {\nmyapp::plugin make();\n}\n' >plugins/notes_plugin.hpp
  printf '#include "notes_plugin.hpp"\nnamespace papp::notes {\nmyapp::plugin make() { myapp::plugin p("memo"); return p; }\n}\n' >plugins/notes_plugin.cpp
  expect_exit 0 notes.log "$myapp" add notes
  expect_grep 'main.cpp: registers it: app.plugin\(papp::notes::make\(\)\);' notes.log
  expect_grep '^#include "plugins/notes_plugin.hpp"$' main.cpp
  expect_grep "SOURCES main.cpp plugins/notes_plugin.cpp$" CMakeLists.txt
  expect_grep "the notes plugin grants nothing by default: grant what the pages need with .myapp permission add memo:allow-<command>." notes.log
  cmp capabilities/default.json ../orig/capabilities/default.json || fail "add notes granted something"
  expect_exit 0 notes.log "$myapp" remove notes
  for f in main.cpp CMakeLists.txt; do cmp "$f" "../orig/$f" || fail "remove notes: $f"; done
  rm -r plugins
  # Built-in to every app: nothing to add, nothing to remove.
  expect_exit 0 w.log "$myapp" add window
  expect_grep "built into every app" w.log
  expect_exit 2 w.log "$myapp" remove window
  # permission add / rm, on the inline layout of a second capability.
  expect_exit 0 cap.log "$myapp" capability new editor --windows editor,tool-* --permissions core:default
  printf '{\n  "identifier": "editor",\n  "description": "What the editor, tool-* windows may do.",\n  "windows": ["editor", "tool-*"],\n  "permissions": ["core:default"]\n}\n' >want.json
  cmp capabilities/editor.json want.json || { diff capabilities/editor.json want.json; fail "capability new: text"; }
  expect_grep '"capabilities": \["default", "editor"\]' myapp.conf.json
  diff ../orig/myapp.conf.json myapp.conf.json >conf.diff || true
  [[ "$(grep -c '^[<>]' conf.diff)" == 2 ]] || { cat conf.diff; fail "capability new changed more of myapp.conf.json"; }
  expect_exit 0 ls.log "$myapp" capability ls
  expect_grep "^editor  capabilities/editor.json$" ls.log
  expect_grep "^  windows: editor, tool-\*$" ls.log
  expect_grep "^  permissions: core:default, allow-greet$" ls.log
  cp capabilities/editor.json editor.before
  expect_exit 0 p.log "$myapp" permission add allow-greet --capability editor
  expect_grep '"permissions": \["core:default", "allow-greet"\]' capabilities/editor.json
  expect_exit 0 p.log "$myapp" permission add allow-greet -c capabilities/editor.json
  expect_grep "already in capability .editor." p.log
  expect_exit 0 p.log "$myapp" permission rm allow-greet --capability editor
  cmp capabilities/editor.json editor.before || fail "permission rm did not undo permission add"
  # A capability myapp.conf.json leaves out of force is edited, and said to be out of force.
  cp myapp.conf.json conf.keep && sed -i 's/"capabilities": \["default", "editor"\]/"capabilities": ["default"]/' myapp.conf.json
  expect_exit 0 p.log "$myapp" permission add allow-greet --capability editor
  expect_grep "warning: capability .editor. is not in force: myapp.conf.json's app.security.capabilities does not list it" p.log
  expect_exit 0 ls.log "$myapp" capability ls
  expect_grep "^editor  capabilities/editor.json  \(not in force: app.security.capabilities does not list it\)$" ls.log
  expect_exit 0 p.log "$myapp" permission rm allow-greet --capability editor
  cp conf.keep myapp.conf.json
  # rm without --capability: from every capability that has it; a pattern matches many.
  "$myapp" permission add core:event:allow-emit -c editor >/dev/null 2>&1
  "$myapp" permission add core:event:allow-listen -c default >/dev/null 2>&1
  expect_exit 0 p.log "$myapp" permission rm 'core:event:allow-*'
  expect_grep "removed .core:event:allow-emit. from capability .editor." p.log
  expect_grep "removed .core:event:allow-listen. from capability .default." p.log
  cmp capabilities/editor.json editor.before && cmp capabilities/default.json ../orig/capabilities/default.json || fail "permission rm of a pattern"
  # Bad input: each says what is wrong and where, and changes nothing.
  cp -r capabilities caps.before && cp main.cpp main.before
  expect_exit 2 bad.log "$myapp" add dialgo
  expect_grep "unknown plugin .dialgo. \(did you mean .dialog.\?\); the plugins are:" bad.log
  expect_grep "^  opener +opening URLs" bad.log
  expect_exit 2 bad.log "$myapp" permission add allow-gret
  expect_grep "unknown permission .allow-gret.; did you mean .allow-greet.\?" bad.log
  expect_exit 2 bad.log "$myapp" permission add allow-greet --capability edtor
  expect_grep "no capability .edtor. \(did you mean .editor.\?\); the capabilities are: default \(capabilities/default.json\), editor" bad.log
  expect_exit 2 bad.log "$myapp" permission rm allow-gret
  expect_grep "no capability grants .allow-gret. \(did you mean .allow-greet.\?\)" bad.log
  expect_exit 2 bad.log "$myapp" permission add 'Not An Id'
  expect_grep "nothing was changed, since the capabilities would then have 1 problem" bad.log
  expect_exit 4 bad.log "$myapp" capability new editor
  expect_grep "capability .editor. already exists \(capabilities/editor.json\)" bad.log
  expect_exit 2 bad.log "$myapp" capability new ../evil
  expect_exit 2 bad.log "$myapp" capability new x --permissions core:evnt:default
  expect_grep "did you mean .core:event:default.\?" bad.log
  [[ ! -e capabilities/x.json && ! -e evil.json ]] || fail "a refused capability was written"
  expect_exit 2 bad.log "$myapp" permission
  diff -r capabilities caps.before && cmp main.cpp main.before || fail "bad input changed files"
  printf '{\n  "identifier": "default",\n  "windows": ["main"]\n  "permissions": []\n}\n' >capabilities/default.json
  expect_exit 1 bad.log "$myapp" add dialog
  expect_grep "^myapp: error: capabilities/default.json:3:22: a comma is missing after this member" bad.log
  cmp main.cpp main.before || fail "add changed main.cpp although the capability is broken"
  expect_exit 1 bad.log "$myapp" capability ls
  expect_grep "^capabilities/default.json:3:22: " bad.log
  expect_grep "^editor  capabilities/editor.json$" bad.log
  # rm goes on with the files it can read, and says which it left.
  expect_exit 0 bad.log "$myapp" permission rm core:event:allow-emit
  expect_grep "^myapp: warning: capabilities/default.json:3:22: .*; left as it is$" bad.log
  cp caps.before/default.json capabilities/default.json
  rm capabilities/*.json
  expect_exit 2 bad.log "$myapp" permission add allow-greet
  expect_grep "the app has no capability in force" bad.log
  cp caps.before/*.json capabilities/
  # Missing files and a broken myapp.conf.json.
  mv main.cpp main.away
  expect_exit 3 bad.log "$myapp" add dialog
  expect_grep "cannot read main.cpp, where the app is created" bad.log
  mv main.away main.cpp
  sed 's/return app.run();/return 0;/' main.cpp >main.norun && cp main.cpp main.keep && cp main.norun main.cpp
  expect_exit 1 bad.log "$myapp" add dialog
  expect_grep "main.cpp: cannot find .app.run\(\).; add .app.plugin\(myapp::plugins::dialog\(\)\);. before it" bad.log
  cmp main.cpp main.norun && cmp capabilities/default.json caps.before/default.json || fail "a refused add changed files"
  cp main.keep main.cpp
  cp myapp.conf.json conf.keep && sed -i 's/"identifier": "com/"identifer": "com/' myapp.conf.json
  for cmd in "add dialog" "permission ls" "permission add allow-greet" "capability new y" "capability ls"; do
    expect_exit 1 bad.log "$myapp" $cmd
    expect_grep "^myapp.conf.json:[0-9]+:[0-9]+: identifer: unknown key \(did you mean \"identifier\"\?\)" bad.log
  done
  cp conf.keep myapp.conf.json
  [[ ! -e capabilities/y.json ]] || fail "capability new wrote a file with a broken myapp.conf.json"
  mkdir -p ../none && cd ../none
  expect_exit 3 bad.log "$myapp" add dialog
  expect_exit 3 bad.log "$myapp" permission ls
  expect_exit 3 bad.log "$myapp" capability ls
  cd ../app
  # A bundled frontend gets the page API as an export of src/plugins.ts.
  "$myapp" new vapp --template vite-ts --yes --no-install --dir ../vite >/dev/null 2>&1
  (cd ../vite && cp src/main.ts ../main.ts.orig
   expect_exit 0 v.log "$myapp" add opener
   expect_grep "src/plugins.ts: exports opener: import \{ opener \} from './plugins'" v.log
   printf "%s\n%s\n" "// The page APIs of the plugins \`myapp add\` wired in: import { <name> } from './plugins'." \
     "export * as opener from '@myapp/api/opener';" >want.ts
   cmp src/plugins.ts want.ts || { diff src/plugins.ts want.ts; fail "src/plugins.ts"; }
   expect_grep '"core:opener:allow-open-web-urls"\]' capabilities/default.json
   expect_exit 0 v.log "$myapp" remove opener
   [[ ! -e src/plugins.ts ]] || fail "remove left src/plugins.ts"
   cmp src/main.ts ../main.ts.orig || fail "src/main.ts changed")
  # Built with every plugin: the names add grants are the runtime's (myapp check runs the app).
  for p in dialog clipboard opener tray menu kv; do "$myapp" add "$p" >/dev/null 2>&1 || fail "add $p"; done
  expect_exit 0 clip.log "$myapp" remove clipboard
  expect_exit 0 clip.log "$myapp" add clipboard
  expect_grep "the clipboard plugin grants nothing by default: grant what the pages need with .myapp permission add core:clipboard:allow-<command>." clip.log
  "$myapp" build >build.log 2>&1 || { cat build.log; fail "the app with every plugin does not build"; }
  expect_exit 0 check.log "$myapp" check
  expect_grep "ok; 2 capabilities ok, against the [0-9]+ commands of build/release/papp" check.log
  expect_exit 0 ls.log "$myapp" permission ls
  expect_grep "^allow-greet +Allows the .greet. command$" ls.log
  expect_grep "^core:dialog:allow-open +Allows the .plugin:dialog\|open. command$" ls.log
  expect_grep "^core:opener:allow-open-web-urls +open_url for http, https and mailto URLs of any host; allows plugin:opener\|open_url$" ls.log
  expect_grep "^kv:default +.*set of kv:read$" ls.log
  expect_grep "^core:window:default " ls.log
  expect_exit 0 ls.log "$myapp" permission ls kv
  if grep -v "^kv:" ls.log | grep -qv "^myapp: "; then cat ls.log; fail "permission ls kv lists others"; fi
  expect_exit 0 ls.log "$myapp" permission ls app --filter greet
  [[ "$(grep -vc '^myapp: ' ls.log)" == 2 ]] || { cat ls.log; fail "permission ls app --filter greet"; }
  expect_exit 2 ls.log "$myapp" permission ls dialgo
  expect_grep "no plugin .dialgo. defines permissions here \(did you mean .dialog.\?\)" ls.log
  # With the app built, names are checked against what it registered.
  expect_exit 2 bad.log "$myapp" permission add core:dialog:allow-opn
  expect_grep "unknown permission .core:dialog:allow-opn. \(the plugin has no command .opn.\); did you mean .core:dialog:allow-open.\?" bad.log
  expect_exit 0 p.log "$myapp" permission add core:clipboard:allow-read-text
  for p in dialog clipboard opener tray menu kv; do "$myapp" remove "$p" >/dev/null 2>&1 || fail "remove $p"; done
  for f in main.cpp capabilities/default.json CMakeLists.txt; do
    cmp "$f" "../orig/$f" || { diff "../orig/$f" "$f"; fail "removing every plugin did not restore $f"; }
  done
  ;;

*)
  fail "unknown step $step"
  ;;
esac
echo "cli $step: ok"
