# Helpers of the shell tests (tests/cli/*.sh, tests/bindings/run.sh), sourced by each:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
#
# They expect `set -euo pipefail`, and end the test with "FAIL: ..." on stderr when a check fails.

fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() {  # expect_exit <code> <log> <command...>
  local want="$1" log="$2"; shift 2
  set +e; "$@" >"$log" 2>&1; local got=$?; set -e
  [[ "$got" == "$want" ]] || { cat "$log" >&2; fail "expected exit $want, got $got: $*"; }
}
expect_grep() {  # expect_grep <pattern> <file>
  grep -qE -- "$1" "$2" || { cat "$2" >&2; fail "no line matching /$1/ in $2"; }
}
