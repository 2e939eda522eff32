#!/usr/bin/env bash
# Installs the browser the connect flow's browser tests drive: Debian's own chromium package, through apt-get.
# Nothing downloads a browser build of its own (playwright-core is used without its browser download). Runs as
# root in CI (.ci/run); elsewhere it uses sudo when it must. A chromium already installed is kept.
set -euo pipefail
# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"

if [[ -x /usr/bin/chromium ]]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'installed')"
  exit 0
fi

apt_install chromium fonts-dejavu-core
echo "chromium: $(/usr/bin/chromium --version)"
