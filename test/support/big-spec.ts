/** A spec of TUNNELS gre tunnels; 1,000 of them print far more than a pipe's buffer (64 KiB) as networkd files. */
export function bigSpec(tunnels: number): string {
  const lines = ['tunnels:'];
  for (let i = 0; i < tunnels; i++)
    lines.push(
      `  - name: tun${i}`,
      '    mode: gre',
      `    local: 10.0.${i >> 8}.${i & 255}`,
      `    remote: 10.64.${i >> 8}.${i & 255}`,
      `    addresses: [172.16.${i >> 6}.${(i & 63) * 4 + 1}/30]`,
    );
  return `${lines.join('\n')}\n`;
}
