#!/usr/bin/env bash
# Smoke test of the real-kernel harness: two guests, a hand-written systemd-networkd GRE
# tunnel between them, a ping through it each way. Passes only if both pings get answers.
#
# Usage: smoke.sh [TIMEOUT_S]
# The guests' folders (run.log, journal.log, console.log) are kept in a temporary folder when
# the test fails or TUNGEN_E2E_KEEP=1.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

say() { printf 'smoke: %s\n' "$*"; }

# write_guest_script FILE UNDERLAY_ADDR PEER_UNDERLAY TUNNEL_ADDR TUNNEL_PEER
write_guest_script() {
  local file="$1" self="$2" peer="$3" inner_self="$4" inner_peer="$5"
  {
    printf '#!/bin/bash\n'
    printf 'self=%s peer=%s inner_self=%s inner_peer=%s\n' \
      "$self" "$peer" "$inner_self" "$inner_peer"
    cat <<'EOF'
set -euo pipefail
tunnel=gre-smoke

# poll_until SECONDS COMMAND...: a TCG guest settles slowly, so poll instead of sleeping.
poll_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

tunnel_configured() {
  local state
  state="$(networkctl list --no-legend "$tunnel" 2>/dev/null | awk '{ print $5 }')"
  [[ "$state" != failed ]] || { echo "networkd: $tunnel failed"; exit 1; }
  [[ "$state" == configured ]]
}

peer_answers() { ping -c 1 -W 1 -I "$tunnel" "$inner_peer" >/dev/null 2>&1; }

# Echo requests this guest has answered: the peer's ping got through to us.
peer_pinged_us() {
  awk '$1 == "Icmp:" && !seen++ { for (i = 2; i <= NF; i++) col[$i] = i; next }
       $1 == "Icmp:" { exit ($col["InEchos"] > 0 ? 0 : 1) }' /proc/net/snmp
}

echo "underlay $UNDERLAY_IF: $self/24"
ip link set "$UNDERLAY_IF" up
ip addr add "$self/24" dev "$UNDERLAY_IF"
modprobe ip_gre

mkdir -p /etc/systemd/network
cat >/etc/systemd/network/50-smoke.netdev <<NETDEV
[NetDev]
Name=$tunnel
Kind=gre

[Tunnel]
Local=$self
Remote=$peer
Independent=yes
NETDEV
cat >/etc/systemd/network/50-smoke.network <<NETWORK
[Match]
Name=$tunnel

[Address]
Address=$inner_self/24
Peer=$inner_peer/24
NETWORK
networkctl reload

poll_until 120 tunnel_configured || { echo "$tunnel not configured in time"; exit 1; }
networkctl status --no-pager "$tunnel" | sed -n '1,12p'
ip -4 addr show dev "$tunnel"

poll_until 180 peer_answers || { echo "no answer from $inner_peer"; exit 1; }
echo "ping $inner_peer through $tunnel: ok"
ping -c 3 -i 0.3 -I "$tunnel" "$inner_peer"

# Stay up until the peer has reached us too, or it would ping a guest that powered off.
poll_until 180 peer_pinged_us || { echo "the peer never pinged us"; exit 1; }
echo "pinged by the peer: ok"
journalctl -b -u systemd-networkd --no-pager -p warning | grep -v '^-- ' || true
EOF
  } >"$file"
  chmod +x "$file"
}

main() {
  local timeout_s="${1:-600}" work started
  "$script_dir/prepare.sh"
  work="$(mktemp -d "${TMPDIR:-/tmp}/tungen-smoke.XXXXXX")"
  mkdir -p "$work/a" "$work/b"
  echo smoke-a >"$work/a/hostname"
  echo smoke-b >"$work/b/hostname"
  write_guest_script "$work/a/run.sh" 10.0.4.1 10.0.4.2 192.168.10.1 192.168.10.2
  write_guest_script "$work/b/run.sh" 10.0.4.2 10.0.4.1 192.168.10.2 192.168.10.1

  started=$SECONDS
  if "$script_dir/boot-pair.sh" "$work/a" "$work/b" "$timeout_s"; then
    say "pass: GRE tunnel carried ping both ways ($((SECONDS - started))s)"
    if [[ "${TUNGEN_E2E_KEEP:-}" == 1 ]]; then say "logs kept in $work"; else rm -rf "$work"; fi
  else
    say "FAIL after $((SECONDS - started))s; logs kept in $work"
    tail -n 20 "$work/a/run.log" "$work/b/run.log" 2>/dev/null || true
    exit 1
  fi
}

main "$@"
