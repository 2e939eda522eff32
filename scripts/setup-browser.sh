#!/usr/bin/env bash
# Installs the browser the connect flow's browser tests drive: Debian's own chromium package, through apt-get.
# Nothing downloads a browser build of its own (playwright-core is used without its browser download). Runs as
# root in CI (.ci/run); elsewhere it uses sudo when it must. A chromium already installed is kept.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'installed')"
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup-browser: installing chromium needs root (or sudo)" >&2; exit 1; }
  as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: $(/usr/bin/chromium --version)"
