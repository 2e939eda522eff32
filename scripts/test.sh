#!/usr/bin/env bash
# The README's test command (`npm test`): type check, ShellCheck, build the bundles (the end-to-end test runs
# them), run ava, and end with one line "N passed, M failed" that counts what really ran (scripts/ava-run.ts).
# That line is the last line of output on every path, green or red, and the exit code is 0 only for a green run.
set -uo pipefail
cd "$(dirname "$0")/.." || { echo "0 passed, 1 failed"; exit 1; }
export METADATA_SERVER_DETECTION=none

if ! npx tsc -p tsconfig.json; then
  echo "type check failed"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! bash scripts/shellcheck.sh; then
  echo "shellcheck found problems"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! npm run --silent build; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
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
