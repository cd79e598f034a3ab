#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with Clang, ASan and UBSan in build-fuzz/, replays
# their committed corpora and regression inputs (ctest -L fuzz), then fuzzes each target for a
# while. Fails on the first crash, leak, timeout or sanitizer report, printing the input that
# caused it.
#
#   bash scripts/fuzz.sh            # 30 s per target
#   bash scripts/fuzz.sh 300        # 5 minutes per target
#   bash scripts/fuzz.sh 0          # build and replay the corpora only
#
# The committed corpus (tests/fuzz/corpus/<target>/) is not modified: each run fuzzes a scratch
# copy of it. Crash inputs are kept in build-fuzz/artifacts/. Core only: the Qt runtime is not
# built. See docs/testing.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${MYAPP_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-30}"
if ! [[ $seconds =~ ^[0-9]+$ ]]; then
  echo "usage: bash scripts/fuzz.sh [seconds-per-target]" >&2
  exit 2
fi
say() { printf 'fuzz: %s\n' "$*"; }

cxx="${MYAPP_FUZZ_CXX:-clang++}"
if ! command -v "$cxx" >/dev/null 2>&1; then
  say "$cxx not found: install clang and libclang-rt-14-dev (bash scripts/setup.sh does)" >&2
  exit 1
fi

generator=()
[[ -f "$build/CMakeCache.txt" ]] || generator=(-G Ninja)
# Configured every time: a new tests/fuzz/regressions/<target>/ directory is picked up here.
cmake -S "$root" -B "$build" "${generator[@]}" \
  -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMYAPP_FUZZ=ON \
  -DMYAPP_SANITIZE=address,undefined \
  -DMYAPP_BUILD_RUNTIME=OFF \
  -DMYAPP_BUILD_TESTS=ON -DMYAPP_BUILD_EXAMPLES=OFF -DMYAPP_BUILD_BENCH=OFF \
  -DMYAPP_INSTALL=OFF >/dev/null
cmake --build "$build" --target myapp_fuzz

targets=()
for f in "$root"/tests/fuzz/fuzz_*.cpp; do
  t="$(basename "$f" .cpp)"
  [[ -x "$build/tests/fuzz/$t" ]] && targets+=("$t")
done
say "targets: ${targets[*]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# 1. Replay: every committed corpus and regression input once.
say "replaying the corpora and regressions"
rm -f "$build"/artifacts/replay-*
if ! (cd "$build" && ctest --output-on-failure -L fuzz); then
  # libFuzzer names what it wrote after the input's SHA-1: find the committed file it came from.
  for a in "$build"/artifacts/replay-*; do
    [[ -e $a ]] || continue
    sum="$(sha1sum <"$a" | cut -d' ' -f1)"
    src="$(find "$root/tests/fuzz/corpus" "$root/tests/fuzz/regressions" -type f -exec sha1sum {} + 2>/dev/null |
      awk -v s="$sum" '$1 == s { print $2; exit }')"
    say "replay failed on: ${src:-$a} (copy: $a)"
  done
  say "FAILED: the replay of the committed inputs"
  exit 1
fi

((seconds > 0)) || exit 0

# 2. Fuzz each target for $seconds, on a scratch copy of its corpus.
artifacts="$build/artifacts"
scratch="$build/scratch"
mkdir -p "$artifacts"
failed=0
for t in "${targets[@]}"; do
  rm -rf "${scratch:?}/$t"
  mkdir -p "$scratch/$t"
  cp -R "$root/tests/fuzz/corpus/$t/." "$scratch/$t/"
  dirs=("$scratch/$t")
  [[ -d "$root/tests/fuzz/regressions/$t" ]] && dirs+=("$root/tests/fuzz/regressions/$t")
  log="$build/$t.log"
  say "$t: fuzzing for ${seconds}s (log: $log)"
  status=0
  "$build/tests/fuzz/$t" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 -timeout=25 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
    "${dirs[@]}" >"$log" 2>&1 || status=$?
  grep -E '^stat::number_of_executed_units|^stat::new_units_added|^stat::peak_rss_mb' "$log" |
    sed "s/^/fuzz: $t: /" || true
  if ((status != 0)); then
    failed=1
    say "$t: FAILED (exit $status); the end of its log:"
    tail -n 60 "$log" | sed 's/^/    /'
    grep -Eo '(Test unit|artifact) written to [^ ]+' "$log" | sed "s/^/fuzz: $t: crash input: /" || true
    say "$t: reproduce with: $build/tests/fuzz/$t <crash input>"
  fi
done
rm -rf "$scratch"
if ((failed)); then
  say "FAILED: see above; copy a crash input into tests/fuzz/regressions/<target>/ to keep it"
  exit 1
fi
say "ok: no crash in ${#targets[@]} targets, ${seconds}s each"
