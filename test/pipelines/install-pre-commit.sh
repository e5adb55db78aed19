#!/usr/bin/env bash
# Installs Debian's pre-commit for the pre-commit hook test when it is missing.
# Exit 0: pre-commit is on PATH. Exit 3: it is missing and this machine has no
# apt-get to install it with (the test then skips and says so). Anything else:
# the installation failed.
set -euo pipefail

command -v pre-commit >/dev/null && exit 0
if ! command -v apt-get >/dev/null; then
  echo 'install-pre-commit: pre-commit is not installed and there is no apt-get to install it' >&2
  exit 3
fi
as_root=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || { echo 'install-pre-commit: apt-get needs root, and there is no sudo' >&2; exit 1; }
  as_root=(sudo -n)
fi
echo 'install-pre-commit: installing pre-commit through apt-get' >&2
"${as_root[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends pre-commit git >&2
command -v pre-commit >/dev/null
