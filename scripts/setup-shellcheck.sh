#!/usr/bin/env bash
# Installs ShellCheck, which `npm test` runs over the shell scripts (scripts/shellcheck.sh): Debian's own package,
# through apt-get, like the browser (setup-browser.sh). Runs as root in CI (.ci/run); elsewhere it uses sudo when
# it must. A shellcheck already installed is kept.
set -euo pipefail
# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"

if ! command -v shellcheck >/dev/null; then
  apt_install shellcheck
fi
echo "shellcheck: $(shellcheck --version | sed -n 's/^version: //p')"
