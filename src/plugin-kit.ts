/**
 * Building blocks mode plugins share: option schemas and their mapping to
 * networkd keys and iproute2 arguments. Exported for third-party plugins too.
 */
import type {
  CompanionNetdev,
  Family,
  IfupdownLink,
  InnerAddress,
  JsonSchema,
  KeyValues,
  ModePlugin,
  OptionSchemas,
  Reporter,
  TunnelEnd,
  VerifyProbe,
} from './contract.js';
import { ipv4Schema } from './schema/patterns.js';

export { cidrSchema, ipSchema, ipv4Schema } from './schema/patterns.js';
export { canonical, familyOf, fromBigInt, networkCidr, parseCidr, toBigInt } from './model/ip.js';

export const ttlOption: JsonSchema = {
  oneOf: [{ type: 'integer', minimum: 1, maximum: 255 }, { const: 'inherit' }],
  'x-expect': 'a TTL 1-255 or "inherit"',
  description: 'TTL of outer packets; "inherit" copies the inner TTL',
};

export const tosOption: JsonSchema = {
  oneOf: [{ type: 'integer', minimum: 0, maximum: 255 }, { const: 'inherit' }],
  'x-expect': 'a TOS byte 0-255 or "inherit"',
  description: 'TOS of outer packets; "inherit" copies the inner TOS',
};

export const pmtuDiscoveryOption: JsonSchema = {
  type: 'boolean',
  description: 'Path MTU discovery on the outer packets (sets DF); off needs ttl "inherit"',
};

/** The outer-packet options of the IPv4-underlay kinds, as ttlOption, tosOption and pmtuDiscoveryOption admit them. */
export interface OuterPacketOptions {
  ttl?: number | 'inherit';
  tos?: number | 'inherit';
  pmtuDiscovery?: boolean;
}

/** Options every IPv4-underlay tunnel of the ip_tunnel family accepts. */
export const outerPacketOptions: OptionSchemas<OuterPacketOptions> = {
  ttl: ttlOption,
  tos: tosOption,
  pmtuDiscovery: pmtuDiscoveryOption,
};

const keyExpect = 'a key: an integer 1-4294967295 or a dotted quad other than 0.0.0.0';

/**
 * A 32-bit GRE/VTI key: a number or dotted quad, as iproute2 and networkd accept.
 * Not 0: networkd takes Key=0 for "no key" while iproute2's `ikey 0` sets a key
 * of 0, so the two targets would build different tunnels.
 * Each branch says what it expects too: a value of one branch's type is
 * reported by that branch alone, which otherwise shows its raw pattern.
 */
export const keySchema: JsonSchema = {
  oneOf: [
    { type: 'integer', minimum: 1, maximum: 4294967295, 'x-expect': keyExpect },
    { type: 'string', pattern: ipv4Schema['pattern'], not: { const: '0.0.0.0' }, 'x-expect': keyExpect },
  ],
  'x-expect': keyExpect,
};

/** GRE and VTI keys: a number, or four bytes dotted like an IPv4 address. */
export interface KeyOptions {
  key?: string | number;
  inputKey?: string | number;
  outputKey?: string | number;
}

export const keyOptions: OptionSchemas<KeyOptions> = {
  key: { ...keySchema, description: 'Key for both directions' },
  inputKey: {
    ...keySchema,
    description: "Key expected on received packets (the first end's view in the two-ended form)",
  },
  outputKey: { ...keySchema, description: "Key put on sent packets (the first end's view in the two-ended form)" },
};

/** The outer addresses of an end, which is all some building blocks read. */
export type Endpoints = Pick<TunnelEnd, 'local' | 'remote'>;

/** An end as far as a building block reads it: its outer addresses and the options of one kind. */
export type EndWith<Options extends object> = Endpoints & { readonly options: Readonly<Options> };

/** networkd's TTL=: 0 means inherit. */
const ttlNumber = (ttl: number | 'inherit') => (ttl === 'inherit' ? 0 : ttl);
/** The kernel encodes "inherit" as TOS 1, which networkd's TOS= passes through. */
const tosNumber = (tos: number | 'inherit') => (tos === 'inherit' ? 1 : tos);

/** Local=/Remote= and the outer-packet keys that are set. */
export function networkdEndpoints(end: Endpoints): KeyValues {
  const keys: Array<[string, string | number | boolean]> = [['Local', end.local]];
  if (end.remote !== undefined) keys.push(['Remote', end.remote]);
  return keys;
}

export function networkdOuterPacket(options: Readonly<OuterPacketOptions>): KeyValues {
  const keys: Array<[string, string | number | boolean]> = [];
  if (options.ttl !== undefined) keys.push(['TTL', ttlNumber(options.ttl)]);
  if (options.tos !== undefined) keys.push(['TOS', tosNumber(options.tos)]);
  if (options.pmtuDiscovery !== undefined) keys.push(['DiscoverPathMTU', options.pmtuDiscovery ? 'yes' : 'no']);
  return keys;
}

export function networkdKeys(options: Readonly<KeyOptions>): KeyValues {
  const keys: Array<[string, string | number]> = [];
  if (options.key !== undefined) keys.push(['Key', options.key]);
  if (options.inputKey !== undefined) keys.push(['InputKey', options.inputKey]);
  if (options.outputKey !== undefined) keys.push(['OutputKey', options.outputKey]);
  return keys;
}

/** `local A remote B`, as iproute2 takes them. */
export function ipLinkEndpoints(end: Endpoints): string[] {
  return ['local', end.local, ...(end.remote === undefined ? [] : ['remote', end.remote])];
}

export function ipLinkOuterPacket(options: Readonly<OuterPacketOptions>): string[] {
  const args: string[] = [];
  const { ttl, tos, pmtuDiscovery } = options;
  if (ttl !== undefined) args.push('ttl', String(ttl));
  if (tos !== undefined) args.push('tos', String(tos));
  if (pmtuDiscovery !== undefined) args.push(pmtuDiscovery ? 'pmtudisc' : 'nopmtudisc');
  return args;
}

export function ipLinkKeys(options: Readonly<KeyOptions>): string[] {
  const { input, output } = effectiveKeys(options);
  return [...(input === undefined ? [] : ['ikey', input]), ...(output === undefined ? [] : ['okey', output])];
}

/** Whether any key option is set. */
export const hasKeys = (options: Readonly<KeyOptions>) =>
  options.key !== undefined || options.inputKey !== undefined || options.outputKey !== undefined;

/** Input and output keys in dotted-quad form (as `ip -d -j link` prints them), `key` filling both. */
export function effectiveKeys(options: Readonly<KeyOptions>): { input?: string; output?: string } {
  const output = options.outputKey ?? options.key;
  return { input: effectiveInputKey(options), output: output === undefined ? undefined : dottedKey(output) };
}

/** effectiveKeys' input key alone: the identity checks ask it of every end. */
function effectiveInputKey(options: Readonly<KeyOptions>): string | undefined {
  const input = options.inputKey ?? options.key;
  return input === undefined ? undefined : dottedKey(input);
}

export function dottedKey(key: string | number): string {
  if (typeof key === 'string') return key;
  return `${key >>> 24}.${(key >>> 16) & 255}.${(key >>> 8) & 255}.${key & 255}`;
}

/** The second end of a two-ended tunnel receives what the first sends. */
export function swapKeys<Options extends KeyOptions>(options: Readonly<Options>): Options {
  const { inputKey, outputKey, ...rest } = options;
  return {
    ...rest,
    ...(outputKey !== undefined && { inputKey: outputKey }),
    ...(inputKey !== undefined && { outputKey: inputKey }),
  } as Options;
}

/** The rule of checkKeyOptions, for a mode's `rules`. */
export const keyRules = {
  'key-conflict': '"key" sets both directions, so it cannot stand beside inputKey or outputKey',
} as const;

/** The rule of checkPmtuWithTtl, for a mode's `rules`. */
export const pmtuRules = {
  'pmtu-needs-ttl-inherit': 'pmtuDiscovery: false with a fixed TTL, which the kernel refuses',
} as const;

/**
 * `key` sets both directions; giving it together with inputKey/outputKey is ambiguous.
 * Reported at `key` in words true for either end: the second end of a two-ended
 * tunnel sees inputKey and outputKey swapped, so naming one would point at a
 * field the spec does not have.
 */
export function checkKeyOptions(end: { readonly options: Readonly<KeyOptions> }, report: Reporter): void {
  if (end.options.key === undefined) return;
  if (end.options.inputKey !== undefined || end.options.outputKey !== undefined) {
    report.error('key-conflict', '"key" sets both directions; give either key or inputKey/outputKey, not both', [
      'key',
    ]);
  }
}

/** The kernel refuses nopmtudisc with a fixed TTL ("ttl != 0 and nopmtudisc are incompatible"). */
export function checkPmtuWithTtl(end: { readonly options: Readonly<OuterPacketOptions> }, report: Reporter): void {
  const { ttl, pmtuDiscovery } = end.options;
  if (pmtuDiscovery === false && ttl !== undefined && ttl !== 'inherit') {
    report.error(
      'pmtu-needs-ttl-inherit',
      `pmtuDiscovery: false needs ttl "inherit"; the kernel refuses it with ttl ${String(ttl)}`,
      ['pmtuDiscovery'],
    );
  }
}

/** Expected `ip -d -j link` info_data for the outer-packet options that are set. */
export function expectedOuterPacket(end: EndWith<OuterPacketOptions>): Record<string, string | number | boolean> {
  const data = expectedEndpoints(end);
  const { ttl, pmtuDiscovery } = end.options;
  if (ttl !== undefined) data['ttl'] = ttlNumber(ttl);
  if (pmtuDiscovery !== undefined) data['pmtudisc'] = pmtuDiscovery;
  return data;
}

/** Expected `ip -d -j link` info_data for the outer addresses. */
export function expectedEndpoints(end: Endpoints): Record<string, string | number | boolean> {
  return { local: end.local, ...(end.remote !== undefined && { remote: end.remote }) };
}

/** Expected `ip -d -j link` info_data for the keys that are set, in dotted-quad form. */
export function expectedKeys(options: Readonly<KeyOptions>): Record<string, string> {
  const { input, output } = effectiveKeys(options);
  return { ...(input && { ikey: input }), ...(output && { okey: output }) };
}

/** First address of a family, which ifupdown's own methods configure. */
export function firstAddress(
  end: Pick<TunnelEnd, 'addresses'>,
  family: InnerAddress['family'],
): InnerAddress | undefined {
  return end.addresses.find((a) => a.family === family);
}

/** endpoint, local and ttl: the outer options ifupdown's own tunnel methods (tunnel, v4tunnel) know. */
export function ifupdownEndpoints(end: EndWith<OuterPacketOptions>): KeyValues {
  const { ttl } = end.options;
  return [
    ...(end.remote === undefined ? [] : ([['endpoint', end.remote]] as const)),
    ['local', end.local],
    ...(ttl === undefined ? [] : ([['ttl', String(ttl)]] as const)),
  ];
}

/** ifupdown's own tunnel methods have no TOS or PMTU option: with either, a mode falls back to manual. */
export const ifupdownNeedsManual = (options: Readonly<OuterPacketOptions>) =>
  options.tos !== undefined || options.pmtuDiscovery !== undefined;

/**
 * ifupdown's inet tunnel method has `dstaddr` for the peer; with the prefix on
 * it, `ip addr add A/N peer P/N` gives the same address as networkd's Peer=.
 */
export function ifupdownPeer(primary: InnerAddress): Array<readonly [string, string]> {
  return primary.peer === undefined ? [] : [['dstaddr', `${primary.peer}/${primary.prefix}`]];
}

/** One of ifupdown's own tunnel methods, as an ip_tunnel kind (ipip, sit, gre) uses it. */
export interface IfupdownTunnelMethod {
  /** The method: `tunnel` for inet, `v4tunnel` for IPv6 over IPv4. */
  method: string;
  family: 'inet' | 'inet6';
  /** Options before the endpoints, e.g. `mode gre`. */
  options?: KeyValues;
  /**
   * Whether the method can name the peer (inet's `dstaddr`); without, an
   * address with a peer is left to an `up` line.
   */
  peer: boolean;
}

/**
 * The ifupdown stanza of an ip_tunnel kind: its own method when that can say
 * everything, else `manual` with `ip link add` arguments. ifupdown's methods
 * know no TOS, PMTU discovery, keys or UDP encapsulation, and configure an
 * address of their family only. `protocol` is the IP protocol a UDP receive
 * port hands the packets to.
 */
export function ifupdownTunnel(
  end: EndWith<OuterPacketOptions & KeyOptions & UdpEncapsulationOptions> & Pick<TunnelEnd, 'addresses' | 'plugin'>,
  own: IfupdownTunnelMethod,
  protocol: number,
): IfupdownLink {
  const { options } = end;
  const primary = firstAddress(end, own.family === 'inet' ? 'ipv4' : 'ipv6');
  if (!primary || hasKeys(options) || ifupdownNeedsManual(options) || hasUdpEncapsulation(options)) {
    return {
      method: 'manual',
      ipLinkAdd: [
        'type',
        end.plugin.kind,
        ...ipLinkEndpoints(end),
        ...ipLinkOuterPacket(options),
        ...ipLinkKeys(options),
        ...ipLinkUdpEncapsulation(options),
      ],
      ...ifupdownUdpEncapsulation(options, protocol),
    };
  }
  return {
    method: own.method,
    family: own.family,
    primary: own.peer || primary.peer === undefined ? primary : undefined,
    options: [...(own.options ?? []), ...ifupdownEndpoints(end), ...(own.peer ? ifupdownPeer(primary) : [])],
  };
}

/** Kernel identity of a kind that tells tunnels apart by their endpoints: kind, local and remote. */
export function endpointIdentity(end: Endpoints & Pick<TunnelEnd, 'plugin'>): string {
  return `${end.plugin.kind}|${end.local}|${end.remote ?? 'any'}|`;
}

/** Kernel identity of a keyed kind (GRE, VTI): kind, endpoints and the input key. */
export function keyedIdentity(end: EndWith<KeyOptions> & Pick<TunnelEnd, 'plugin'>): string {
  return `${end.plugin.kind}|${end.local}|${end.remote ?? 'any'}|${effectiveInputKey(end.options) ?? '0.0.0.0'}`;
}

/* ---- IPv6 underlays (ip6_tunnel, ip6_gre, ip6_vti) ---- */

/** Outer-packet options of the IPv6-underlay kinds, as ip6OuterOptions admits them. */
export interface Ip6OuterOptions {
  /** Hop limit. */
  ttl?: number;
  flowLabel?: number | 'inherit';
  encapsulationLimit?: number | 'none';
}

/** Outer-packet options of the IPv6-underlay kinds: hop limit, flow label, encapsulation limit. */
export const ip6OuterOptions: OptionSchemas<Ip6OuterOptions> = {
  ttl: {
    type: 'integer',
    minimum: 1,
    maximum: 255,
    'x-expect': 'a hop limit 1-255',
    description: 'Hop limit of outer packets',
  },
  flowLabel: {
    oneOf: [{ type: 'integer', minimum: 0, maximum: 1048575 }, { const: 'inherit' }],
    'x-expect': 'a flow label 0-1048575 or "inherit"',
    description: 'IPv6 flow label of outer packets; "inherit" copies the inner one',
  },
  encapsulationLimit: {
    oneOf: [{ type: 'integer', minimum: 0, maximum: 255 }, { const: 'none' }],
    'x-expect': 'an encapsulation limit 0-255 or "none"',
    description: 'Tunnel encapsulation limit option of outer packets (RFC 2473); "none" leaves it out',
  },
};

export function networkdIp6Outer(options: Readonly<Ip6OuterOptions>): KeyValues {
  const keys: Array<[string, string | number]> = [];
  if (options.ttl !== undefined) keys.push(['TTL', options.ttl]);
  if (options.flowLabel !== undefined) keys.push(['IPv6FlowLabel', options.flowLabel]);
  if (options.encapsulationLimit !== undefined) keys.push(['EncapsulationLimit', options.encapsulationLimit]);
  return keys;
}

export function ipLinkIp6Outer(options: Readonly<Ip6OuterOptions>): string[] {
  const args: string[] = [];
  if (options.ttl !== undefined) args.push('hoplimit', String(options.ttl));
  if (options.flowLabel !== undefined) args.push('flowlabel', String(options.flowLabel));
  if (options.encapsulationLimit !== undefined) args.push('encaplimit', String(options.encapsulationLimit));
  return args;
}

/* ---- IPsec tunnel interfaces (vti, vti6) ---- */

const hexMark = (dotted: string) =>
  `0x${dotted
    .split('.')
    .reduce((acc, octet) => acc * 256 + Number(octet), 0)
    .toString(16)}`;

/** verify's probe for the IPsec state a VTI's output key (its xfrm mark) needs. */
export function ipsecStateProbe(output: string): VerifyProbe {
  return {
    label: 'ipsec state',
    command: ['ip', 'xfrm', 'state', 'list'],
    match: `mark ${hexMark(output)}/`,
    failure: `no IPsec state with mark ${hexMark(output)}: without it the tunnel carries nothing`,
  };
}

/** What sets one IPsec tunnel interface kind apart from the other (vti over IPv4, vti6 over IPv6). */
export interface IpsecTunnelKind {
  /** Mode name, which is also the kernel's link kind. */
  name: string;
  description: string;
  outer: Family;
  inner: readonly Family[];
  kernelModules: readonly string[];
  fallbackDevices: readonly string[];
  /** ESP, plus the IP-in-IP protocols the module's IPcomp handlers take ahead of ipip, sit and ip6tnl. */
  receives: readonly number[];
}

/** An IPsec tunnel interface mode: its keys are the marks the xfrm policies match. */
export function ipsecTunnelMode(kind: IpsecTunnelKind): ModePlugin<KeyOptions> {
  const { name } = kind;
  return {
    ...kind,
    kind: name,
    remote: 'required',
    options: keyOptions,
    mirrorOptions: swapKeys,
    rules: {
      ...keyRules,
      'missing-key': 'a VTI without a key in both directions, which would match IPsec policies meant for other traffic',
    },
    check(end, report) {
      checkKeyOptions(end, report);
      // Both directions need a mark: a missing one is 0, which matches IPsec policies meant for other traffic.
      const { input, output } = effectiveKeys(end.options);
      if (input === undefined || output === undefined) {
        report.error(
          'missing-key',
          `mode ${name} needs "key" (or inputKey and outputKey): the key is the mark that ties the interface to its IPsec policies`,
        );
      }
    },
    identity: keyedIdentity,
    receives: () => kind.receives,
    networkd: (end) => ({ tunnel: [...networkdEndpoints(end), ...networkdKeys(end.options)] }),
    // ifupdown has no VTI method and its tunnel method takes no keys.
    ifupdown: (end) => ({
      method: 'manual',
      ipLinkAdd: ['type', name, ...ipLinkEndpoints(end), ...ipLinkKeys(end.options)],
    }),
    expect(end) {
      const { output } = effectiveKeys(end.options);
      return {
        data: { ...expectedEndpoints(end), ...expectedKeys(end.options) },
        probes: output ? [ipsecStateProbe(output)] : [],
      };
    },
  };
}

/* ---- UDP encapsulation (fou) for ipip, sit and gre ---- */

/** Encapsulation of the outer packets in UDP, as udpEncapsulationOption admits it. */
export interface UdpEncapsulation {
  type: 'fou';
  port: number;
  sourcePort?: number;
}

/** The `encapsulation` option of the kinds that can be carried in UDP (ipip, sit, gre). */
export interface UdpEncapsulationOptions {
  encapsulation?: UdpEncapsulation;
}

export const udpEncapsulationOption: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'port'],
  properties: {
    type: {
      // GUE is not offered: systemd-networkd 252 failed to create its receive
      // port in the real-kernel suite ("Numerical result out of range").
      enum: ['fou'],
      'x-expect': 'an encapsulation type',
      description: 'fou: the bare inner packet in UDP',
    },
    port: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      'x-expect': 'a UDP port 1-65535',
      description: 'UDP port both ends receive on and send to',
    },
    sourcePort: {
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      'x-expect': 'a UDP port 1-65535',
      description: 'Fixed UDP source port of sent packets (default: chosen per flow by the kernel)',
    },
  },
  description: 'Encapsulate the outer packets in UDP (for NATs and firewalls that drop the tunnel protocol)',
};

/** The `encapsulation` option's schema, to spread into a mode's options. */
export const udpEncapsulationOptions: OptionSchemas<UdpEncapsulationOptions> = {
  encapsulation: udpEncapsulationOption,
};

/**
 * networkd's [Tunnel] keys for UDP encapsulation, and the Kind=fou netdev that
 * receives on the port and hands the inner packets to `protocol`.
 */
export function networkdUdpEncapsulation(
  options: Readonly<UdpEncapsulationOptions>,
  protocol: number,
): { tunnel: KeyValues; companions: CompanionNetdev[] } {
  const encap = options.encapsulation;
  if (!encap) return { tunnel: [], companions: [] };
  const tunnel: KeyValues = [
    ['FooOverUDP', 'yes'],
    ['FOUDestinationPort', encap.port],
    ...(encap.sourcePort === undefined ? [] : ([['FOUSourcePort', encap.sourcePort]] as const)),
    ['Encapsulation', 'FooOverUDP'],
  ];
  // FOU carries no header naming the inner protocol: the receive port has to.
  const keys: KeyValues = [
    ['Encapsulation', 'FooOverUDP'],
    ['Port', encap.port],
    ['Protocol', protocol],
  ];
  return {
    tunnel,
    companions: [
      { name: `fou${encap.port}`, kind: 'fou', section: 'FooOverUDP', keys, purpose: `UDP port ${encap.port} (FOU)` },
    ],
  };
}

/** `encap fou ...` arguments of ip link add. */
export function ipLinkUdpEncapsulation(options: Readonly<UdpEncapsulationOptions>): string[] {
  const encap = options.encapsulation;
  if (!encap) return [];
  return [
    'encap',
    encap.type,
    'encap-sport',
    encap.sourcePort === undefined ? 'auto' : String(encap.sourcePort),
    'encap-dport',
    String(encap.port),
  ];
}

/** `ip fou add` before the link and `ip fou del` after it, for ifupdown's manual method. */
export function ifupdownUdpEncapsulation(
  options: Readonly<UdpEncapsulationOptions>,
  protocol: number,
): { setup: string[][]; teardown: string[][] } {
  const encap = options.encapsulation;
  if (!encap) return { setup: [], teardown: [] };
  const port = String(encap.port);
  return {
    setup: [['ip', 'fou', 'add', 'port', port, 'ipproto', String(protocol)]],
    teardown: [['ip', 'fou', 'del', 'port', port]],
  };
}

/** verify's probe for the receive port; the kernel module is `fou` either way. */
export function udpEncapsulationProbes(options: Readonly<UdpEncapsulationOptions>): VerifyProbe[] {
  const encap = options.encapsulation;
  if (!encap) return [];
  return [
    {
      label: `${encap.type} port`,
      command: ['ip', 'fou', 'show'],
      match: `port ${encap.port}`,
      failure: `nothing receives UDP port ${encap.port}: the other end's packets are dropped`,
    },
  ];
}

export const hasUdpEncapsulation = (options: Readonly<UdpEncapsulationOptions>) => options.encapsulation !== undefined;

/**
 * The fou module receives on the port. Neither `ip fou add` nor networkd loads it on
 * demand (measured on Linux 6.1: ENOENT from ip fou, and networkd never
 * created the tunnel), so apply loads it.
 */
export const udpEncapsulationModules = (options: Readonly<UdpEncapsulationOptions>): readonly string[] =>
  hasUdpEncapsulation(options) ? ['fou'] : [];

/* ---- MTU caps ---- */

export const mtuMaximumRules = {
  'mtu-maximum': 'an MTU larger than the kernel keeps once the outer headers are added',
} as const;

/**
 * GRE's header as the kernel counts it against a link's MTU: 4 bytes, 4 more
 * when the packets it sends carry a key (an input key alone changes nothing).
 */
export const greHeaderBytes = (options: Readonly<KeyOptions>): number =>
  4 + (effectiveKeys(options).output === undefined ? 0 : 4);

/**
 * Refuses an MTU above the kernel's cap, `from` minus `headers` (bytes and what
 * they are, named in the message). Both targets set the MTU when they create
 * the link, and above the cap the kernel does not fail: it gives the link its
 * default MTU instead, which apply would then find differing from the spec.
 */
export function checkMtuMaximum(
  end: Pick<TunnelEnd, 'mtu' | 'mode'>,
  report: Reporter,
  from: number,
  headers: ReadonlyArray<readonly [number, string]>,
): void {
  if (end.mtu === undefined) return;
  const max = headers.reduce((left, [bytes]) => left - bytes, from);
  if (end.mtu <= max) return;
  const named = headers.map(([bytes, what], i) => (i === 0 ? `${bytes} bytes of ${what}` : `${bytes} of ${what}`));
  const listed = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named.join('');
  report.error(
    'mtu-maximum',
    `mtu ${end.mtu} is larger than ${max}, the most the kernel allows for mode ${end.mode} (${from} minus ${listed})`,
    ['mtu'],
  );
}
