/**
 * The mode plugin contract. Everything the core knows about a tunnel mode
 * comes through these types; the core never names a mode.
 */

/** Address family of an outer (underlay) or inner (tunnelled) address. */
export type Family = 'ipv4' | 'ipv6';

/** A JSON Schema fragment (draft 2019-09 subset understood by ajv). */
export type JsonSchema = Record<string, unknown>;

/** A value a plugin may hand to a target; the core checks it is safe before rendering. */
export type Scalar = string | number | boolean;

/** An ordered list of key/value pairs, rendered in the order given. */
export type KeyValues = Array<readonly [key: string, value: Scalar]>;

/** An inner address of one tunnel end, with its peer when the other end is known. */
export interface InnerAddress {
  family: Family;
  /** Address without prefix, in canonical text form. */
  address: string;
  prefix: number;
  /** The other end's address on the same subnet, if any. */
  peer?: string;
  /**
   * The peer is a neighbour on a shared subnet (an Ethernet tunnel), not a
   * point-to-point peer: targets configure the address alone, verify pings the peer.
   */
  peerIsNeighbour?: boolean;
}

/** A destination routed through the tunnel. */
export interface InnerRoute {
  family: Family;
  /** Network in CIDR form, canonical. */
  destination: string;
  /** Gateway, canonical; on a subnet of the end's addresses unless onLink. */
  via?: string;
  onLink?: boolean;
  metric?: number;
  /** Routing table number; the main table when undefined. */
  table?: number;
  scope?: 'global' | 'link' | 'host';
  /** Preferred source address, canonical: one of the end's own addresses. */
  source?: string;
}

/** Location of a value in the spec, as object keys and array indexes. */
export type SpecPath = ReadonlyArray<string | number>;

/**
 * One end of a tunnel as seen from one host, resolved: the two-ended form of
 * the spec is expanded into two of these, mirrored, before plugins see it, and
 * an end whose outer address could not be resolved is refused, never built.
 */
export interface TunnelEnd<Options extends object = object> {
  /** Host this end is rendered for; undefined in a single-machine spec. */
  host: string | undefined;
  /** Interface name on this host. */
  name: string;
  /** Mode name, as written in the spec (the plugin's name). */
  mode: string;
  /** The mode this end belongs to. */
  plugin: ModePlugin<Options>;
  /** This end's outer address. */
  local: string;
  /** The other end's outer address; undefined for peerless modes. */
  remote: string | undefined;
  addresses: InnerAddress[];
  routes: InnerRoute[];
  mtu: number | undefined;
  /** Mode options for this end (already mirrored for the second end), as the mode's schema admitted them. */
  options: Readonly<Options>;
  /** Host at the other end, in the two-ended form. */
  peerHost: string | undefined;
  /** Where the tunnel is in the spec, for messages. */
  path: SpecPath;
  /** Where this end's own interface name is written, when it is not the tunnel's `name` (an end's `name`). */
  namePath?: SpecPath;
}

/**
 * A netdev a tunnel needs besides its own that makes no link, e.g. a FOU
 * receive port. Its Name= must be unique per host: two tunnels needing the
 * same one are refused.
 */
export interface CompanionNetdev {
  /** [NetDev] Name=, also the file name's last part. */
  name: string;
  /** [NetDev] Kind=. */
  kind: string;
  /** The kind's own section, e.g. 'FooOverUDP', and its keys in order. */
  section: string;
  keys: KeyValues;
  /** What it is, for messages, e.g. "the FOU receive port 5555". */
  purpose: string;
}

/** What the networkd target needs from a mode; [NetDev] Kind= is the mode's `kind`. */
export interface NetworkdNetdev {
  /** Keys of the [Tunnel] section, in order; the core adds Independent=. */
  tunnel: KeyValues;
  /** Further netdevs the tunnel needs, written to files of their own. */
  companions?: CompanionNetdev[];
}

/**
 * What the ifupdown target needs from a mode: either one of ifupdown's own
 * methods with its options, or `manual` with the `ip link add` arguments the
 * core wraps in pre-up/post-down.
 */
export type IfupdownLink =
  | {
      method: 'manual';
      /** Arguments after `ip link add NAME`, e.g. ['type', 'gre', 'local', '10.0.0.1']. */
      ipLinkAdd: string[];
      /** Commands run before the link is added (pre-up), e.g. `ip fou add ...`. */
      setup?: string[][];
      /** Commands that undo setup, run after the link is deleted (post-down). */
      teardown?: string[][];
    }
  | {
      method: string;
      family: 'inet' | 'inet6';
      /**
       * The address the method configures itself (its `address` option); the
       * core adds the others with `up ip addr add`. Leave it out when the
       * method cannot express the address fully (e.g. no peer option).
       */
      primary?: InnerAddress;
      /** Method options besides address and mtu, in order. */
      options: KeyValues;
    };

/** What `verify` expects to find in `ip -details -json link show`; linkinfo.info_kind is the mode's `kind`. */
export interface LinkExpectation {
  /** Entries of linkinfo.info_data that must match. */
  data: Readonly<Record<string, Scalar>>;
  /** Extra probes a mode needs, e.g. IPsec state a VTI depends on. */
  probes?: VerifyProbe[];
}

/** A command run on the host whose success `verify` reports beside the link checks. */
export interface VerifyProbe {
  /** Short label for the report, e.g. "ipsec state". */
  label: string;
  /** argv to run. */
  command: string[];
  /** Text the output must contain; without it, any non-empty output passes. */
  match?: string;
  /** What is wrong when the probe fails. */
  failure: string;
}

/** Where plugins report semantic problems. */
export interface Reporter {
  /**
   * Reports a problem found by `rule`, one of the ids the mode declares in `rules`,
   * at a path relative to the tunnel (e.g. ['ttl']). Users see it as `<mode>/<rule>`.
   */
  error(rule: string, message: string, at?: SpecPath): void;
}

/**
 * The JSON Schema of each option of a mode, one per key of its options type:
 * an option without a schema, or a schema without an option, does not compile.
 */
export type OptionSchemas<Options extends object> = { readonly [K in keyof Options]-?: JsonSchema };

/**
 * A tunnel mode. Built-in modes live in plugins/<name>/; third-party ones are npm packages.
 * `Options` is the type of the mode's own tunnel options, as its `options` schemas admit them.
 */
export interface ModePlugin<Options extends object = object> {
  /** Value of `mode:` in the spec. */
  name: string;
  /** One line for `--help` and the schema. */
  description: string;
  /**
   * The kernel's link kind: `ip link add ... type KIND`, networkd's [NetDev] Kind=,
   * and linkinfo.info_kind in `ip -details link show`.
   */
  kind: string;
  /** Outer address family. */
  outer: Family;
  /** Inner families this mode carries. */
  inner: readonly Family[];
  /** Whether the mode has a remote endpoint ('none' for ISATAP-like modes). */
  remote: 'required' | 'none';
  /**
   * The tunnel carries Ethernet frames (gretap): its addresses share a subnet
   * with the other end's, like on any Ethernet link, instead of naming a peer.
   */
  ethernet?: boolean;
  /** Kernel modules `apply` loads. */
  kernelModules: readonly string[];
  /**
   * Devices the kernel creates by itself once kernelModules are loaded (gre0 for
   * ip_gre, with those of the modules they pull in): a tunnel cannot take their names.
   */
  fallbackDevices: readonly string[];
  /** Modules a particular end needs besides kernelModules, e.g. fou for UDP encapsulation. */
  modulesFor?(end: TunnelEnd<Options>): readonly string[];
  /** JSON Schema of each of the mode's own tunnel options. */
  options: OptionSchemas<Options>;
  /** Options that must be present. */
  requiredOptions?: readonly string[];
  /** Returns the options as the second end of a two-ended tunnel sees them (e.g. swapped keys). */
  mirrorOptions?(options: Readonly<Options>): Options;
  /** Adds what the mode derives, e.g. addresses from a prefix; runs before peers are paired. */
  completeEnd?(end: TunnelEnd<Options>): TunnelEnd<Options>;
  /**
   * The rules `check` reports under: id (lowercase words joined by '-') to one line
   * saying what the rule refuses. Ids are stable; users and tools see them as `<mode>/<id>`.
   */
  rules?: Readonly<Record<string, string>>;
  /** Semantic checks beyond the schema, each reported under one of `rules`. */
  check?(end: TunnelEnd<Options>, report: Reporter): void;
  /**
   * What the kernel compares to tell two tunnels of this kind apart; two ends
   * on one host with the same identity cannot both exist.
   */
  identity(end: TunnelEnd<Options>): string;
  /**
   * IP protocol numbers of the outer packets this tunnel takes in. Two tunnels
   * of different kinds between the same addresses that take the same protocol
   * fight over those packets, and the kernel gives them to one only.
   */
  receives?(end: TunnelEnd<Options>): readonly number[];
  networkd(end: TunnelEnd<Options>): NetworkdNetdev;
  ifupdown(end: TunnelEnd<Options>): IfupdownLink;
  expect(end: TunnelEnd<Options>): LinkExpectation;
}

/** A plugin package's default export: one or more modes. */
export type PluginModule = ModePlugin | { modes: ModePlugin[] };
