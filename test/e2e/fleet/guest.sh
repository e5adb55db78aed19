#!/bin/bash
# Runs inside each guest of the fleet suite (started by fleet/suite.mjs through guest-init.sh's
# runner). Sets up the underlay and SSH, then waits until the host writes /e2e/stop.
#
# /e2e/fleet.env gives:
#   UNDERLAY      this guest's underlay address (put on lo, reached through the point-to-point links)
#   LINKS         "MAC=PEER_UNDERLAY ...": the NIC on each link and the peer's underlay behind it
#   MGMT_MAC      the NIC of QEMU's user-mode network, which forwards a loopback port of the host to port 22
# /e2e/authorized_keys and /e2e/ssh_host_ed25519_key are made per run by the host.
set -euo pipefail
# shellcheck source=/dev/null
source /e2e/fleet.env

nic_of() {
  local dev
  for dev in /sys/class/net/*; do
    if [[ "$(cat "$dev/address")" == "$1" ]]; then
      printf '%s\n' "${dev##*/}"
      return
    fi
  done
  echo "fleet-guest: no NIC with MAC $1" >&2
  return 1
}

ip link set lo up
ip addr add "$UNDERLAY/32" dev lo
for entry in $LINKS; do
  nic="$(nic_of "${entry%%=*}")"
  ip link set "$nic" up
  ip route add "${entry#*=}/32" dev "$nic" src "$UNDERLAY"
done
mgmt="$(nic_of "$MGMT_MAC")"
ip link set "$mgmt" up
ip addr add 10.0.2.15/24 dev "$mgmt"

install -d -m 0700 /root/.ssh
install -m 0600 /e2e/authorized_keys /root/.ssh/authorized_keys
install -m 0600 /e2e/ssh_host_ed25519_key /etc/ssh/e2e_host_ed25519_key
mkdir -p /run/sshd
# The host's own sshd_config is not read (-f /dev/null): only what the test needs.
/usr/sbin/sshd -f /dev/null -h /etc/ssh/e2e_host_ed25519_key -E /e2e/sshd.log \
  -o UsePAM=no -o PermitRootLogin=prohibit-password -o ListenAddress=10.0.2.15 \
  -o "Subsystem sftp internal-sftp" -o PidFile=/run/e2e-sshd.pid
ip -br addr
echo "fleet-guest: ready"
touch /e2e/ready
while [[ ! -e /e2e/stop ]]; do sleep 1; done
echo "fleet-guest: stop requested"
