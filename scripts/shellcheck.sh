#!/usr/bin/env bash
# ShellCheck over every shell script in the repository: infra/, scripts/, .ci/run and the stand-in gcloud the
# infra tests use. `npm test` runs it before the tests (scripts/test.sh) and any finding fails the run. ShellCheck
# is Debian's package (scripts/setup-shellcheck.sh, which .ci/run runs); without it this fails, never skips.
set -euo pipefail
cd "$(dirname "$0")/.." || exit 1

if ! command -v shellcheck >/dev/null; then
  echo "shellcheck is not installed; scripts/setup-shellcheck.sh installs it" >&2
  exit 1
fi
mapfile -t scripts < <(find infra scripts test .ci -type f \( -name '*.sh' -o -path .ci/run \) | sort)
# --external-sources: follow the `# shellcheck source=` directives, so a sourced file's variables count as set.
shellcheck --external-sources "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts, no findings"
