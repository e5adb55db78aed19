#!/usr/bin/env bash
# Prepares everything the real-kernel tests need: host packages, a Debian kernel with its
# modules, and a small busybox initramfs that boots into the host's own systemd (see
# guest-init.sh). Idempotent: a second run only checks and reuses the cache.
#
# Cache: ${TUNGEN_E2E_CACHE:-<repo>/.cache/e2e}
#   debs/                      downloaded kernel packages
#   kernel/<release>/          extracted kernel (boot/vmlinuz-<release>, lib/modules/<release>)
#   kernel/<release>/initramfs.gz
#   current -> kernel/<release>
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$script_dir/../../.." && pwd -P)"
cache_dir="${TUNGEN_E2E_CACHE:-$repo_root/.cache/e2e}"

# Host packages the harness uses, either on the host (qemu, busybox, cpio, kmod) or inside
# the guests, which run the host's own root file system.
host_packages=(
  qemu-system-x86 busybox-static cpio kmod udev iproute2 ifupdown iputils-ping tcpdump systemd
  # The fleet suite: this machine is the Ansible controller; the guests run its sshd.
  ansible-core ansible-lint openssh-server openssh-client python3
)

# Modules the initramfs loads, in dependency order, to reach the 9p shares and the NIC.
initramfs_modules=(
  virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
  failover net_failover virtio_net netfs fscache 9pnet 9pnet_virtio 9p overlay
)

step() { printf 'prepare: %s\n' "$*"; }
die() { printf 'prepare: error: %s\n' "$*" >&2; exit 1; }

is_installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

install_missing_packages() {
  local missing=() pkg
  for pkg in "${host_packages[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    step "host packages present (${#host_packages[@]})"
    return
  fi
  [[ $EUID -eq 0 ]] || die "need root to install: ${missing[*]}"
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  mkdir -p "$cache_dir"
  # apt is chatty; keep its output for when it fails.
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$cache_dir/apt.log" 2>&1; then
    tail -n 20 "$cache_dir/apt.log" >&2
    die "apt-get failed (log: $cache_dir/apt.log)"
  fi
}

# linux-image-amd64 is a meta package; the versioned package it depends on moves with each ABI
# bump, so ask apt every time instead of hard-coding it.
resolve_kernel_package() {
  local name
  name="$(apt-cache depends linux-image-amd64 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ { print $2; exit }')"
  if [[ -z "$name" ]]; then
    apt-get update -qq >/dev/null
    name="$(apt-cache depends linux-image-amd64 |
      awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ { print $2; exit }')"
  fi
  [[ -n "$name" ]] || die "cannot resolve the package behind linux-image-amd64"
  printf '%s\n' "$name"
}

# Sets kernel_deb to the cached package file, downloading it when missing.
download_kernel() {
  local pkg="$1" debs="$cache_dir/debs" version pattern
  version="$(apt-cache policy "$pkg" | awk '$1 == "Candidate:" { print $2 }')"
  pattern="$debs/${pkg}_${version//:/%3a}_amd64.deb"
  kernel_deb="$(compgen -G "$pattern" || true)"
  if [[ -n "$kernel_deb" ]]; then
    step "kernel package cached: ${kernel_deb##*/}"
    return
  fi
  step "downloading $pkg $version"
  mkdir -p "$debs"
  # apt's _apt user cannot write into the checkout; download as the caller instead.
  (cd "$debs" && apt-get download -qq -o APT::Sandbox::User="$(id -un)" "$pkg=$version")
  kernel_deb="$(compgen -G "$pattern")" || die "download of $pkg failed"
}

# Extracts into a temporary folder first so an interrupted run never leaves a half tree.
extract_kernel() {
  local deb="$1" dest="$2" tmp
  if [[ -f "$dest/.extracted" ]] && [[ "$(cat "$dest/.extracted")" == "${deb##*/}" ]]; then
    step "kernel tree cached: $dest"
    return
  fi
  step "extracting ${deb##*/}"
  tmp="$(mktemp -d "$cache_dir/kernel/.extract.XXXXXX")"
  dpkg-deb -x "$deb" "$tmp"
  rm -rf "$dest"
  mv "$tmp" "$dest"
  printf '%s\n' "${deb##*/}" >"$dest/.extracted"
}

index_modules() {
  local tree="$1" release="$2"
  if [[ "$tree/lib/modules/$release/modules.dep" -nt "$tree/.extracted" ]]; then
    step "module index cached"
    return
  fi
  step "depmod for $release"
  depmod -b "$tree" "$release"
}

# Returns the module's file, or nothing when it is built into the kernel.
module_file() {
  local moddir="$1" name="$2" file
  file="$(find "$moddir/kernel" -name "$name.ko" -o -name "$name.ko.xz" -o -name "$name.ko.zst" |
    head -n 1)"
  if [[ -z "$file" ]]; then
    grep -q "/$name.ko\$" "$moddir/modules.builtin" || die "module $name not found"
  fi
  printf '%s' "$file"
}

# The stamp covers everything the image is made of, so editing guest-init.sh or the module
# list rebuilds it and nothing else does.
initramfs_stamp() {
  local release="$1"
  {
    printf '%s\n' "$release" "${initramfs_modules[@]}"
    dpkg-query -W -f='${Version}\n' busybox-static
    cat "$script_dir/guest-init.sh"
  } | sha256sum | cut -d' ' -f1
}

build_initramfs() {
  local tree="$1" release="$2" out="$1/initramfs.gz" stamp staging name file
  stamp="$(initramfs_stamp "$release")"
  if [[ -f "$out" && "$(cat "$out.stamp" 2>/dev/null)" == "$stamp" ]]; then
    step "initramfs cached: $out"
    return
  fi
  step "building initramfs (busybox + ${#initramfs_modules[@]} modules)"
  staging="$(mktemp -d "$cache_dir/.staging.XXXXXX")"
  mkdir -p "$staging"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,newroot,modules}
  cp /bin/busybox "$staging/bin/busybox"
  install -m 0755 "$script_dir/guest-init.sh" "$staging/init"
  for name in "${initramfs_modules[@]}"; do
    file="$(module_file "$tree/lib/modules/$release" "$name")"
    [[ -n "$file" ]] || continue
    case "$file" in
      *.xz) xz -dc "$file" >"$staging/modules/$name.ko" ;;
      *.zst) zstd -qdc "$file" >"$staging/modules/$name.ko" ;;
      *) cp "$file" "$staging/modules/$name.ko" ;;
    esac
    printf '%s\n' "$name" >>"$staging/modules/order"
  done
  (cd "$staging" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -9 >"$out.tmp"
  mv "$out.tmp" "$out"
  printf '%s\n' "$stamp" >"$out.stamp"
  rm -rf "$staging"
}

main() {
  local pkg release tree
  step "cache: $cache_dir"
  install_missing_packages
  pkg="$(resolve_kernel_package)"
  release="${pkg#linux-image-}"
  step "kernel: $pkg"
  mkdir -p "$cache_dir/kernel"
  # Leftovers of an interrupted run.
  rm -rf "$cache_dir"/.staging.* "$cache_dir"/kernel/.extract.*
  download_kernel "$pkg"
  tree="$cache_dir/kernel/$release"
  extract_kernel "$kernel_deb" "$tree"
  [[ -f "$tree/boot/vmlinuz-$release" ]] || die "no vmlinuz in $kernel_deb"
  index_modules "$tree" "$release"
  build_initramfs "$tree" "$release"
  ln -sfn "kernel/$release" "$cache_dir/current"
  step "ready: $cache_dir/current"
}

main "$@"
