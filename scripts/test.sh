#!/usr/bin/env bash
# The README's test command (`npm test`): type check, build the bundles (the end-to-end test runs them), run ava,
# and end with one line "N passed, N failed" (ava prints none itself; local-stack.md §9).
set -uo pipefail
cd "$(dirname "$0")/.."
export METADATA_SERVER_DETECTION=none

if ! npx tsc -p tsconfig.json; then
  echo "type check failed"
  echo "0 passed, 1 failed"
  exit 1
fi
if ! npm run --silent build; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
npx ava --tap "$@" | tee "$tap"
rc=${PIPESTATUS[0]}
awk '/^# pass/{p=$3} /^# fail/{f=$3} /^# skip/{s=$3} /^# todo/{d=$3}
     END{ line=sprintf("%d passed, %d failed", p, f); if (s+d>0) line=line sprintf(", %d skipped", s+d); print line }' "$tap"
exit "$rc"
