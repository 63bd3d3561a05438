# Shared helpers for the end-to-end CLI tests (sourced, not run).
set -u
GS="$1"
SRC="$2"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_exit CODE CMD...: runs CMD, stores stdout/stderr in $WORK/out, $WORK/err.
expect_exit() {
  local want=$1; shift
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "exit $got (want $want): $*"
    sed 's/^/  stderr: /' "$WORK/err" | head -20 >&2
  fi
}

expect_grep() {  # expect_grep PATTERN FILE
  grep -q -- "$1" "$2" || fail "'$1' not found in $(basename "$2")"
}

# json QUERY FILE: evaluates a Python expression on the parsed JSON `d`.
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[2])); print(eval(sys.argv[1]))" "$1" "$2"; }

finish() {
  if [ "$failures" -gt 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
  echo "ok"
}
