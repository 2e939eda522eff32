# shellcheck shell=bash
# Sourced by the setup scripts: installs Debian packages with apt-get, as root in CI (.ci/run) and through sudo
# elsewhere. Nothing is downloaded from anywhere but the machine's own Debian archive.

# apt_install PACKAGE...
apt_install() {
  local as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "installing $* needs root (or sudo)" >&2; return 1; }
    as_root=(sudo)
  fi
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
