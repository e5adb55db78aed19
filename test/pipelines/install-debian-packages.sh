#!/usr/bin/env bash
# Installs the Debian packages named as arguments (for the pipeline tests:
# pre-commit, python3-jsonschema) when they are missing.
# Exit 0: all installed. Exit 3: some are missing and this machine has no
# apt-get to install them with (the tests then skip and say so). Anything
# else: the installation failed.
set -euo pipefail

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

missing=()
if command -v dpkg-query >/dev/null; then
  for package in "$@"; do installed "$package" || missing+=("$package"); done
else
  missing=("$@")
fi
((${#missing[@]} == 0)) && exit 0
if ! command -v apt-get >/dev/null; then
  echo "install-debian-packages: ${missing[*]} not installed, and there is no apt-get to install them" >&2
  exit 3
fi
as_root=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || { echo 'install-debian-packages: apt-get needs root, and there is no sudo' >&2; exit 1; }
  as_root=(sudo -n)
fi
echo "install-debian-packages: installing ${missing[*]} through apt-get" >&2
"${as_root[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
