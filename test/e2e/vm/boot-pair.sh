#!/usr/bin/env bash
# Boots two throw-away guests joined by one virtual wire and runs a test script in each.
#
# Usage: boot-pair.sh DIR_A DIR_B [TIMEOUT_S]
#
# Each DIR is shared read-write with its guest at /e2e. The caller writes:
#   DIR/run.sh      the test (run once, as root, after multi-user.target; bash if not executable)
#   DIR/hostname    optional: the guest's hostname (default e2e-guest)
# and gets back:
#   DIR/run.log     run.sh's stdout and stderr
#   DIR/rc          run.sh's exit code
#   DIR/journal.log journalctl -b of the guest
#   DIR/console.log the guest's serial console (kernel, init, systemd, run.sh)
#   DIR/qemu.log    QEMU's own messages
#
# Inside the guest: the host's root file system (read-only, with a tmpfs overlay, so writes are
# allowed and vanish at power-off), the repository at the same absolute path as on the host,
# the kernel's modules at /lib/modules, systemd-networkd and udev running, /etc/systemd/network
# empty (the host's own files there are hidden) and none of the host's enabled services
# started. run.sh sees:
#   UNDERLAY_IF   the NIC on the wire: always eth0 (a .link file pins the name)
#   TUNGEN_REPO   the repository's absolute path
#   E2E_DIR       /e2e
# Guest A's NIC has MAC 52:54:00:e2:e0:01, guest B's 52:54:00:e2:e0:02; nothing else is
# networked: the wire is a QEMU socket on 127.0.0.1 between the two.
#
# Exit status: 0 both run.sh exited 0; 1 a run.sh failed; 2 usage error, missing
# kernel (run prepare.sh), a guest timed out (default 600 s) or left no rc file.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$script_dir/../../.." && pwd -P)"
cache_dir="${TUNGEN_E2E_CACHE:-$repo_root/.cache/e2e}"
underlay_if=eth0

declare -A qemu_pid=()

say() { printf 'boot-pair: %s\n' "$*"; }
usage_error() {
  printf 'boot-pair: %s\nusage: boot-pair.sh DIR_A DIR_B [TIMEOUT_S]\n' "$*" >&2
  exit 2
}

# QEMU splits its options on commas, and the kernel command line on spaces.
check_path() {
  [[ "$1" != *[,[:space:]]* ]] || usage_error "path must not contain commas or spaces: $1"
}

resolve_dir() {
  [[ -d "$1" ]] || usage_error "not a directory: $1"
  (cd "$1" && pwd -P)
}

find_kernel() {
  if ! command -v qemu-system-x86_64 >/dev/null; then
    printf 'boot-pair: qemu-system-x86_64 missing; run %s/prepare.sh first\n' "$script_dir" >&2
    exit 2
  fi
  kernel="$(compgen -G "$cache_dir/current/boot/vmlinuz-*" | head -n 1 || true)"
  initrd="$cache_dir/current/initramfs.gz"
  modules="$cache_dir/current/lib/modules"
  if [[ -z "$kernel" || ! -f "$initrd" ]]; then
    printf 'boot-pair: no kernel in %s; run %s/prepare.sh first\n' "$cache_dir" "$script_dir" >&2
    exit 2
  fi
}

clear_results() {
  rm -f "$1/run.log" "$1/rc" "$1/journal.log" "$1/console.log" "$1/qemu.log"
}

pick_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if [[ -z "$(ss -Htln "sport = :$port")" ]]; then
      printf '%s\n' "$port"
      return
    fi
  done
}

# start_guest NAME DIR MAC NETDEV_ADDRESS: runs QEMU in the background.
start_guest() {
  local name="$1" dir="$2" mac="$3" wire="$4"
  local append=(
    console=ttyS0 panic=1 systemd.unit=multi-user.target
    "e2e.env.UNDERLAY_IF=$underlay_if" "e2e.env.TUNGEN_REPO=$repo_root" e2e.env.E2E_DIR=/e2e
  )
  qemu-system-x86_64 \
    -accel tcg -m 1024 -smp 1 \
    -nodefaults -no-user-config -display none -no-reboot \
    -kernel "$kernel" -initrd "$initrd" -append "${append[*]}" \
    -serial "file:$dir/console.log" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$modules,mount_tag=modules,security_model=none,readonly=on" \
    -virtfs "local,path=$dir,mount_tag=e2e,security_model=none" \
    -nic none \
    -netdev "socket,id=wire,$wire" -device "virtio-net-pci,netdev=wire,mac=$mac" \
    >"$dir/qemu.log" 2>&1 &
  qemu_pid[$name]=$!
}

# Guest B connects at start-up, so guest A must be listening first. If another process took
# the port in between, A's QEMU exits at once: try another port.
start_pair() {
  local attempt port
  for attempt in 1 2 3 4 5; do
    port="$(pick_port)"
    start_guest a "$dir_a" 52:54:00:e2:e0:01 "listen=127.0.0.1:$port"
    while kill -0 "${qemu_pid[a]}" 2>/dev/null; do
      if [[ "$(ss -Htlnp "sport = :$port")" == *"pid=${qemu_pid[a]},"* ]]; then
        say "wire on 127.0.0.1:$port"
        start_guest b "$dir_b" 52:54:00:e2:e0:02 "connect=127.0.0.1:$port"
        return
      fi
      sleep 0.1
    done
    wait "${qemu_pid[a]}" || true
    unset 'qemu_pid[a]'
    say "port $port unusable (attempt $attempt): $(tail -n 1 "$dir_a/qemu.log")"
  done
  say "could not start guest a"
  exit 2
}

stop_guests() {
  local name
  for name in "${!qemu_pid[@]}"; do
    kill "${qemu_pid[$name]}" 2>/dev/null || true
  done
}

# Waits for both QEMUs to exit. A guest that stops without an rc file breaks the pair, so the
# other one is stopped at once instead of waiting for a peer that is gone. Returns 1 on timeout.
wait_for_guests() {
  local deadline=$((SECONDS + timeout_s)) name dir running stopping=0
  while :; do
    running=0
    for name in "${!qemu_pid[@]}"; do
      if kill -0 "${qemu_pid[$name]}" 2>/dev/null; then
        running=1
        continue
      fi
      [[ $name == a ]] && dir="$dir_a" || dir="$dir_b"
      if [[ ! -s "$dir/rc" ]] && ((!stopping)); then
        say "guest $name stopped without an rc file, stopping the other"
        stopping=1
        stop_guests
      fi
      unset "qemu_pid[$name]"
    done
    ((running)) || break
    if ((SECONDS >= deadline)); then
      say "timeout after ${timeout_s}s, killing the guests"
      stop_guests
      wait || true
      return 1
    fi
    sleep 1
  done
  wait || true
}

# Prints one line per guest and returns the pair's exit status.
report() {
  local timed_out="$1" status=0 name dir rc
  for name in a b; do
    [[ $name == a ]] && dir="$dir_a" || dir="$dir_b"
    if [[ -s "$dir/rc" ]]; then
      rc="$(cat "$dir/rc")"
      say "guest $name: run.sh exited $rc ($dir)"
      if [[ "$rc" != 0 ]] && ((status < 1)); then status=1; fi
    else
      say "guest $name: no rc file$( ((timed_out)) && echo ", timed out") (see $dir/console.log)"
      status=2
    fi
  done
  if ((timed_out)); then status=2; fi
  return "$status"
}

main() {
  (($# == 2 || $# == 3)) || usage_error "expected 2 or 3 arguments"
  timeout_s="${3:-600}"
  [[ "$timeout_s" =~ ^[1-9][0-9]*$ ]] || usage_error "TIMEOUT_S must be a positive integer"
  dir_a="$(resolve_dir "$1")"
  dir_b="$(resolve_dir "$2")"
  [[ "$dir_a" != "$dir_b" ]] || usage_error "DIR_A and DIR_B must differ"
  check_path "$dir_a"
  check_path "$dir_b"
  check_path "$repo_root"
  find_kernel
  check_path "$modules"
  clear_results "$dir_a"
  clear_results "$dir_b"

  trap stop_guests EXIT
  trap 'exit 2' INT TERM
  local started=$SECONDS timed_out=0 status=0
  start_pair
  say "booting a ($dir_a) and b ($dir_b), timeout ${timeout_s}s"
  wait_for_guests || timed_out=1
  report "$timed_out" || status=$?
  say "done in $((SECONDS - started))s"
  return "$status"
}

main "$@"
