#!/usr/bin/env bash
# The README's test command (`npm test`): lint and format check (Biome), type check, ShellCheck, build the bundles (the end-to-end test runs
# them), run ava, and end with one line "N passed, M failed" that counts what really ran (scripts/ava-run.ts).
# That line is the last line of output on every path, green or red, and the exit code is 0 only for a green run.
#
# `--tests-only` (`npm run test:only`), as the first argument, runs ava alone: for a pipeline that type-checks,
# runs ShellCheck and builds the bundles in steps of its own (cloudbuild.yaml), so each happens once there and
# the tests run the very bundles it deploys. Every other argument goes to ava.
set -uo pipefail
cd "$(dirname "$0")/.." || { echo "0 passed, 1 failed"; exit 1; }
export METADATA_SERVER_DETECTION=none

tests_only=false
if [[ ${1:-} == --tests-only ]]; then
  tests_only=true
  shift
fi

# prepare DESCRIPTION COMMAND...: runs one step before the tests; a failure ends the run as one failed test.
prepare() {
  local what=$1
  shift
  if ! "$@"; then
    echo "$what failed"
    echo "0 passed, 1 failed"
    exit 1
  fi
}
if ! $tests_only; then
  prepare "lint and format check (npm run format fixes what it can)" npx biome check .
  prepare "type check" npx tsc -p tsconfig.json
  prepare "shellcheck" bash scripts/shellcheck.sh
  prepare "build" npm run --silent build
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# tee ignores the signals of an interrupt, so the runner can still print its summary through it.
node --import=tsx scripts/ava-run.ts "$@" | (trap '' INT TERM HUP && exec tee "$log")
rc=${PIPESTATUS[0]}
if [[ ! $(tail -n 1 "$log") =~ ^[0-9]+\ passed,\ [0-9]+\ failed$ ]]; then
  # The runner itself died before its summary: count the TAP lines it passed on, and the runner as a failure.
  echo "# problem: the test runner stopped (exit $rc) before its summary"
  echo "$(grep -c '^ok ' "$log") passed, $(($(grep -c '^not ok ' "$log") + 1)) failed"
  exit 1
fi
exit "$rc"
