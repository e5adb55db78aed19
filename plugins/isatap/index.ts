import type { InnerAddress, ModePlugin, TunnelEnd } from '../../src/contract.js';
import {
  checkPmtuWithTtl,
  pmtuRules,
  cidrSchema,
  endpointIdentity,
  expectedOuterPacket,
  fromBigInt,
  ipLinkEndpoints,
  ipLinkOuterPacket,
  networkCidr,
  networkdEndpoints,
  networkdOuterPacket,
  outerPacketOptions,
  type OuterPacketOptions,
  parseCidr,
  toBigInt,
} from '../../src/plugin-kit.js';

/** ISATAP interface identifiers are 64 bits, so the prefix is a /64 (RFC 5214). */
function validPrefix(text: unknown): InnerAddress | string {
  const cidr = parseCidr(String(text));
  if (typeof cidr === 'string') return cidr;
  if (cidr.family !== 'ipv6') return 'an IPv6 prefix is needed';
  if (cidr.prefix !== 64) return 'ISATAP addresses need a /64 prefix';
  const network = networkCidr(cidr.address, 64, 'ipv6');
  if (network !== `${cidr.address}/64`) return `host bits are set; the prefix is ${network}`;
  return cidr;
}

/** prefix::5efe:a.b.c.d, the ISATAP address of an IPv4 endpoint in a /64. */
function isatapAddress(prefix: string, ipv4: string): string {
  const id = (0x5efen << 32n) | toBigInt(ipv4, 'ipv4');
  return fromBigInt(toBigInt(prefix, 'ipv6') | id, 'ipv6');
}

interface IsatapOptions extends OuterPacketOptions {
  prefix?: string;
}

/** ISATAP: IPv6 over an IPv4 site network, no fixed remote. */
export const isatap: ModePlugin<IsatapOptions> = {
  name: 'isatap',
  kind: 'sit',
  description:
    'ISATAP (sit with ISATAP=yes): IPv6 over IPv4 without a fixed remote; addresses can be derived from a /64 prefix',
  outer: 'ipv4',
  inner: ['ipv6'],
  remote: 'none',
  kernelModules: ['sit'],
  fallbackDevices: ['sit0'],
  options: {
    ...outerPacketOptions,
    prefix: { ...cidrSchema, description: 'IPv6 /64; the address prefix::5efe:LOCAL-IPv4 is added to the addresses' },
  },
  completeEnd(end: TunnelEnd<IsatapOptions>): TunnelEnd<IsatapOptions> {
    const prefix = end.options.prefix === undefined ? undefined : validPrefix(end.options.prefix);
    if (!prefix || typeof prefix === 'string') return end;
    const derived: InnerAddress = { family: 'ipv6', address: isatapAddress(prefix.address, end.local), prefix: 64 };
    return { ...end, addresses: [derived, ...end.addresses] };
  },
  rules: {
    ...pmtuRules,
    'invalid-prefix': 'prefix is not an IPv6 /64 network without host bits',
    'derived-address-listed': 'addresses lists the address ISATAP derives from prefix and the local address',
  },
  check(end, report) {
    checkPmtuWithTtl(end, report);
    if (end.options.prefix !== undefined) {
      const prefix = validPrefix(end.options.prefix);
      if (typeof prefix === 'string')
        report.error('invalid-prefix', `prefix ${JSON.stringify(end.options.prefix)}: ${prefix}`, ['prefix']);
      else {
        // completeEnd put the derived address first; a second one came from "addresses",
        // and the kernel refuses an address twice ("already assigned").
        const derived = isatapAddress(prefix.address, end.local);
        const listed = end.addresses.slice(1).find((a) => a.address === derived);
        if (listed)
          report.error(
            'derived-address-listed',
            `addresses lists ${listed.address}/${listed.prefix}${end.host === undefined ? '' : ` on host ${end.host}`}, which ISATAP derives from prefix ${prefix.address}/64 and local ${end.local} and adds itself; remove it from addresses`,
            ['prefix'],
          );
      }
    }
  },
  identity: endpointIdentity,
  receives: () => [41],
  networkd: (end) => ({
    tunnel: [...networkdEndpoints(end), ...networkdOuterPacket(end.options), ['ISATAP', 'yes']],
  }),
  // ifupdown has no ISATAP method.
  ifupdown: (end) => ({
    method: 'manual',
    ipLinkAdd: ['type', 'sit', ...ipLinkEndpoints(end), ...ipLinkOuterPacket(end.options), 'isatap'],
  }),
  expect: (end) => ({ data: { ...expectedOuterPacket(end), isatap: true } }),
};
