#!/bin/busybox sh
# shellcheck shell=sh
# /init of the test guests' initramfs (packed by prepare.sh, booted by boot-pair.sh).
#
# The guest has no disk: it mounts the host's root read-only over 9p, puts a tmpfs overlay on
# top so the guest can write, mounts the kernel's modules and the per-guest folder, installs a
# oneshot unit that runs /e2e/run.sh, and hands over to the host's own systemd.
#
# Kernel command line read here:
#   e2e.env.NAME=VALUE   exported to run.sh as NAME=VALUE (values without spaces)
set -eu

newroot=/newroot
p9_opts=trans=virtio,version=9p2000.L,msize=262144

log() { echo "e2e-init: $*"; }

# Without this the kernel would panic on our exit; powering off lets the host see it at once.
fail() {
  log "error: $*"
  poweroff -f
}

mount_pseudo_filesystems() {
  mount -t devtmpfs devtmpfs /dev
  exec </dev/console >/dev/console 2>&1
  mount -t proc proc /proc
  mount -t sysfs sysfs /sys
}

load_modules() {
  while read -r name; do
    insmod "/modules/$name.ko" || fail "insmod $name"
  done </modules/order
}

mount_root() {
  mkdir -p /lower /rw
  mount -t 9p -o "$p9_opts,ro" hostroot /lower || fail "mount hostroot"
  mount -t tmpfs -o mode=0755 tmpfs /rw
  mkdir -p /rw/upper /rw/work
  mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work "$newroot" ||
    fail "mount overlay"
  # /lib is a relative symlink on merged-/usr hosts, so this lands inside the new root.
  mkdir -p "$newroot/lib/modules" "$newroot/e2e"
  mount -t 9p -o "$p9_opts,ro" modules "$newroot/lib/modules" || fail "mount modules"
  mount -t 9p -o "$p9_opts" e2e "$newroot/e2e" || fail "mount e2e"
}

set_identity() {
  if [ -s "$newroot/e2e/hostname" ]; then
    head -n 1 "$newroot/e2e/hostname" >"$newroot/etc/hostname"
  else
    echo e2e-guest >"$newroot/etc/hostname"
  fi
  # A fresh id per boot: the two guests share the host's files but must not share an identity.
  head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$newroot/etc/machine-id"
  echo >>"$newroot/etc/machine-id"
}

# A host that is itself a container carries a marker (/.dockerenv) that would make systemd
# believe the guest is a container too, and then ignore the kernel command line (systemd.unit=,
# net.ifnames=) and skip units meant for real machines. The guest is a machine.
drop_container_marker() {
  rm -f "$newroot/.dockerenv"
}

# Services the host's administrator enabled (databases, timers, gettys) have nothing to do
# with a test and slow the boot down; keep the distribution's static units, add networkd.
enable_units() {
  units="$newroot/etc/systemd/system"
  rm -rf "$units"/*.wants
  mkdir -p "$units/multi-user.target.wants" "$units/sockets.target.wants"
  ln -sf /lib/systemd/system/systemd-networkd.service "$units/multi-user.target.wants/"
  ln -sf /lib/systemd/system/systemd-networkd.socket "$units/sockets.target.wants/"
  ln -sf /lib/systemd/system/systemd-networkd.service \
    "$units/dbus-org.freedesktop.network1.service"
  ln -sf /etc/systemd/system/e2e-run.service "$units/multi-user.target.wants/"
}

# The host's own networkd files (DHCP on e*, renames) would configure the test's NIC behind
# its back: every test starts from an empty /etc/systemd/network.
clear_network_config() {
  rm -rf "$newroot/etc/systemd/network"
  mkdir -p "$newroot/etc/systemd/network"
}

# systemd-tmpfiles empties /tmp at boot ("D /tmp"); here /tmp is the host's, seen through the
# overlay, and whiting out a busy host /tmp file by file took minutes. Keep it as it is.
keep_tmp() {
  mkdir -p "$newroot/etc/tmpfiles.d"
  echo 'd /tmp 1777 root root -' >"$newroot/etc/tmpfiles.d/tmp.conf"
}

# Prints the e2e.env.NAME=VALUE words of the kernel command line as NAME=VALUE.
cmdline_env() {
  # shellcheck disable=SC2013 # the command line is one line of words
  for arg in $(cat /proc/cmdline); do
    case "$arg" in
      e2e.env.*=*) echo "${arg#e2e.env.}" ;;
    esac
  done
}

# udev renames the NIC to a slot-based name (ens5...) that depends on QEMU's PCI layout; a .link
# file for its MAC gives callers the fixed name they were promised.
name_underlay() {
  name="$(cmdline_env | sed -n 's/^UNDERLAY_IF=//p')"
  [ -n "$name" ] || return 0
  for dev in /sys/class/net/*; do
    [ "${dev##*/}" != lo ] || continue
    links="$newroot/usr/local/lib/systemd/network"
    mkdir -p "$links"
    printf '[Match]\nMACAddress=%s\n\n[Link]\nName=%s\n' "$(cat "$dev/address")" "$name" \
      >"$links/10-e2e-underlay.link"
    return 0
  done
  fail "no network interface"
}

install_runner() {
  mkdir -p "$newroot/usr/local/libexec"
  cat >"$newroot/usr/local/libexec/e2e-run" <<'EOF'
#!/bin/bash
# Runs /e2e/run.sh once, keeps its output and exit code in /e2e, then powers the guest off.
set -uo pipefail
cd /e2e || exit 1
rm -f rc run.log journal.log
if [[ -x run.sh ]]; then
  ./run.sh 2>&1 | tee run.log
  rc=$?
elif [[ -f run.sh ]]; then
  bash run.sh 2>&1 | tee run.log
  rc=$?
else
  echo "e2e: no /e2e/run.sh" | tee run.log
  rc=127
fi
echo "e2e: run.sh exited with $rc"
echo "$rc" >rc
journalctl -b --no-pager >journal.log 2>&1
sync
systemctl poweroff --no-block
EOF
  chmod 0755 "$newroot/usr/local/libexec/e2e-run"

  {
    echo "[Unit]"
    echo "Description=End-to-end test script /e2e/run.sh"
    echo "After=multi-user.target"
    echo "[Service]"
    echo "Type=oneshot"
    echo "ExecStart=/usr/local/libexec/e2e-run"
    echo "StandardOutput=journal+console"
    echo "StandardError=journal+console"
    echo "TimeoutStartSec=infinity"
    cmdline_env | sed 's/^/Environment=/'
  } >"$newroot/etc/systemd/system/e2e-run.service"
}

main() {
  /bin/busybox --install -s
  export PATH=/bin:/sbin:/usr/bin:/usr/sbin
  mount_pseudo_filesystems
  log "loading modules"
  load_modules
  log "mounting the host's root"
  mount_root
  set_identity
  drop_container_marker
  name_underlay
  enable_units
  keep_tmp
  clear_network_config
  install_runner
  log "switching to systemd"
  exec switch_root "$newroot" /lib/systemd/systemd
}

main "$@"
