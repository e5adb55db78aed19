#!/usr/bin/env bash
# Debian 12's own Node.js 18 beside whatever node this machine runs, for the tests that run tungen
# the way a Debian 12 server does. Nothing of it is installed system-wide but the JavaScript files
# Debian's node loads at start from fixed paths under /usr/share/nodejs (acorn, cjs-module-lexer,
# undici: pure data packages, installed through apt-get); the node binary, libnode and the shared
# libraries this machine lacks are unpacked from their .deb files into the cache.
#
# Prints the path of a wrapper that runs that node (with the cache's libraries) on stdout.
# Idempotent: a second run checks the wrapper and reuses it.
# Exit 0: ready. Exit 3: the packages are missing and there is no apt-get (the tests skip and say
# so). Anything else: the download or unpacking failed (the tests fail with the reason).
#
# Cache: ${TUNGEN_NODE18_CACHE:-<repo>/.cache/node18}
#   debs/        the downloaded packages
#   root/        their files (usr/bin/node, usr/lib/x86_64-linux-gnu/...)
#   node         the wrapper
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$script_dir/../.." && pwd -P)"
cache_dir="${TUNGEN_NODE18_CACHE:-$repo_root/.cache/node18}"
wrapper="$cache_dir/node"

die() { printf 'install-debian-node18: %s\n' "$*" >&2; exit 1; }

# The externalized built-ins Debian's libnode reads at start: without them it aborts.
bash "$script_dir/install-debian-packages.sh" node-acorn node-cjs-module-lexer node-undici

if [[ -x "$wrapper" ]] && [[ "$("$wrapper" --version 2>/dev/null)" == v18.* ]]; then
  printf '%s\n' "$wrapper"
  exit 0
fi

command -v apt-get >/dev/null || { echo 'install-debian-node18: no apt-get to download Node.js 18 with' >&2; exit 3; }

# The newest 18.x of the archive (bookworm's; a security update moves the version), whatever node
# apt would pick as its candidate here.
newest_18() {
  apt-cache show nodejs 2>/dev/null | awk '$1 == "Version:" && $2 ~ /^18\./ { print $2 }' | sort -V | tail -n 1
}
version="$(newest_18)"
if [[ -z "$version" ]]; then
  apt-get update -qq >&2 || die 'apt-get update failed'
  version="$(newest_18)"
fi
[[ -n "$version" ]] || die 'no Node.js 18 in the apt sources (Debian 12 "bookworm" main has 18.20.x)'

libnode="$(apt-cache show "nodejs=$version" | awk -F'[ ,]+' '$1 == "Depends:" { for (i = 2; i <= NF; i++) if ($i ~ /^libnode[0-9]+$/) print $i; exit }')"
[[ -n "$libnode" ]] || die "nodejs $version names no libnode package"

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]; }

# libnode's shared libraries that this machine does not have (libc-ares2 on a machine without
# Debian's node): unpacked beside it.
missing_libraries=()
while read -r dependency; do
  [[ "$dependency" == lib* ]] && ! installed "$dependency" && missing_libraries+=("$dependency")
done < <(apt-cache show "$libnode=$version" |
  awk '$1 == "Depends:" { sub(/^Depends: /, ""); n = split($0, parts, /, */); for (i = 1; i <= n; i++) { split(parts[i], words, / /); print words[1] } exit }')

rm -rf "$cache_dir/debs" "$cache_dir/root" "$wrapper"
mkdir -p "$cache_dir/debs" "$cache_dir/root"
(
  cd "$cache_dir/debs"
  # As root apt downloads as its own user, who may not write here: download as root, quietly.
  apt-get download -q -o APT::Sandbox::User=root "nodejs=$version" "$libnode=$version" "${missing_libraries[@]}" \
    >"$cache_dir/apt.log" 2>&1
) || {
  tail -n 20 "$cache_dir/apt.log" >&2
  die "apt-get download of nodejs $version failed"
}
for deb in "$cache_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$cache_dir/root"; done

libraries="$cache_dir/root/usr/lib/x86_64-linux-gnu"
[[ -d "$libraries" ]] || libraries="$(dirname "$(find "$cache_dir/root/usr/lib" -name 'libnode.so.*' -print -quit)")"
unresolved="$(LD_LIBRARY_PATH="$libraries" ldd "$cache_dir/root/usr/bin/node" | awk '/not found/ { print $1 }')"
[[ -z "$unresolved" ]] || die "Node.js $version needs libraries found nowhere: $(echo $unresolved)"

cat >"$wrapper" <<EOF
#!/bin/sh
# Debian's Node.js $version, unpacked by test/pipelines/install-debian-node18.sh.
LD_LIBRARY_PATH="$libraries\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$cache_dir/root/usr/bin/node" "\$@"
EOF
chmod +x "$wrapper"
[[ "$("$wrapper" --version)" == v18.* ]] || die "the unpacked node does not run: $("$wrapper" --version 2>&1 | head -n 3)"
printf '%s\n' "$wrapper"
