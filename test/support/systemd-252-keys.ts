/**
 * What systemd-networkd 252 (Debian 12) accepts in the sections a tunnel's
 * files can use. Source: systemd.netdev(5) and systemd.network(5) as shipped
 * with systemd 252.39 ("The following keys are accepted" of each section), and
 * for [Tunnel] the systemd version that added each key. networkd logs an
 * unknown key and ignores it, so a key outside these lists is a silent no-op
 * on the target: tungen must never write one.
 */

/** [Tunnel] keys and the systemd version that added them; only those <= 252 are accepted. */
export const tunnelKeySince: Readonly<Record<string, number>> = {
  Local: 215,
  Remote: 215,
  TOS: 215,
  TTL: 215,
  DiscoverPathMTU: 215,
  Mode: 219,
  IPv6FlowLabel: 223,
  CopyDSCP: 223,
  EncapsulationLimit: 226,
  Key: 231,
  InputKey: 231,
  OutputKey: 231,
  Independent: 235,
  AllowLocalRemote: 237,
  FooOverUDP: 240,
  FOUDestinationPort: 240,
  FOUSourcePort: 240,
  Encapsulation: 240,
  IPv6RapidDeploymentPrefix: 240,
  ISATAP: 240,
  SerializeTunneledPackets: 240,
  ERSPANIndex: 240,
  AssignToLoopback: 243,
  External: 251,
  ERSPANVersion: 252,
  ERSPANDirection: 252,
  ERSPANHardwareId: 252,
  // Listed so the cut-off is explicit: networkd 252 ignores it.
  IgnoreDontFragment: 254,
};

export const targetSystemd = 252;

/** Kinds with a [Tunnel] section. */
export const tunnelKinds = ['ipip', 'sit', 'gre', 'gretap', 'ip6gre', 'ip6gretap', 'vti', 'vti6', 'ip6tnl', 'erspan'] as const;

/** [Tunnel] keys that only some kinds use ("It is only used for ..." in systemd.netdev(5)). */
export const tunnelKeyKinds: Readonly<Record<string, readonly string[]>> = {
  Key: ['vti', 'vti6', 'gre', 'gretap', 'ip6gre', 'erspan'],
  InputKey: ['vti', 'vti6', 'gre', 'gretap', 'ip6gre', 'erspan'],
  OutputKey: ['vti', 'vti6', 'gre', 'gretap', 'ip6gre', 'erspan'],
  Mode: ['ip6tnl'],
  AllowLocalRemote: ['ip6tnl'],
  IPv6FlowLabel: ['ip6gre', 'ip6gretap', 'ip6tnl', 'vti6'],
  CopyDSCP: ['ip6gre', 'ip6gretap', 'ip6tnl', 'vti6'],
  EncapsulationLimit: ['ip6gre', 'ip6gretap', 'ip6tnl', 'vti6'],
  FooOverUDP: ['ipip', 'sit', 'gre', 'gretap'],
  FOUDestinationPort: ['ipip', 'sit', 'gre', 'gretap'],
  FOUSourcePort: ['ipip', 'sit', 'gre', 'gretap'],
  Encapsulation: ['ipip', 'sit', 'gre', 'gretap'],
  IPv6RapidDeploymentPrefix: ['sit'],
  ISATAP: ['sit'],
  SerializeTunneledPackets: ['gre', 'gretap', 'erspan'],
  ERSPANVersion: ['erspan'],
  ERSPANIndex: ['erspan'],
  ERSPANDirection: ['erspan'],
  ERSPANHardwareId: ['erspan'],
};

const tunnelKeys = Object.keys(tunnelKeySince).filter((key) => tunnelKeySince[key]! <= targetSystemd);

/** Sections and keys of a .netdev file. */
export const netdevKeys: Readonly<Record<string, readonly string[]>> = {
  Match: ['Host', 'Virtualization', 'KernelCommandLine', 'KernelVersion', 'Credential', 'Architecture', 'Firmware'],
  NetDev: ['Description', 'Name', 'Kind', 'MTUBytes', 'MACAddress'],
  Tunnel: tunnelKeys,
};

/** Sections and keys of a .network file, limited to the sections a tunnel can use. */
export const networkKeys: Readonly<Record<string, readonly string[]>> = {
  Match: [
    'MACAddress', 'PermanentMACAddress', 'Path', 'Driver', 'Type', 'Kind', 'Property', 'Name', 'WLANInterfaceType', 'SSID',
    'BSSID', 'Host', 'Virtualization', 'KernelCommandLine', 'KernelVersion', 'Credential', 'Architecture', 'Firmware',
  ],
  Link: [
    'MACAddress', 'MTUBytes', 'ARP', 'Multicast', 'AllMulticast', 'Promiscuous', 'Unmanaged', 'Group', 'RequiredForOnline',
    'RequiredFamilyForOnline', 'ActivationPolicy', 'VirtualFunction', 'VLANId', 'QualityOfService', 'VLANProtocol',
    'MACSpoofCheck', 'QueryReceiveSideScaling', 'Trust', 'LinkState',
  ],
  Network: [
    'Description', 'DHCP', 'DHCPServer', 'LinkLocalAddressing', 'IPv6LinkLocalAddressGenerationMode', 'IPv6StableSecretAddress',
    'IPv4LLStartAddress', 'IPv4LLRoute', 'DefaultRouteOnDevice', 'LLMNR', 'MulticastDNS', 'DNSOverTLS', 'DNSSEC',
    'DNSSECNegativeTrustAnchors', 'LLDP', 'EmitLLDP', 'BindCarrier', 'Address', 'Gateway', 'DNS', 'Domains', 'DNSDefaultRoute',
    'NTP', 'IPForward', 'IPMasquerade', 'IPv6PrivacyExtensions', 'IPv6AcceptRA', 'IPv6DuplicateAddressDetection', 'IPv6HopLimit',
    'IPv4AcceptLocal', 'IPv4RouteLocalnet', 'IPv4ProxyARP', 'IPv6ProxyNDP', 'IPv6ProxyNDPAddress', 'IPv6SendRA',
    'DHCPPrefixDelegation', 'IPv6MTUBytes', 'KeepMaster', 'BatmanAdvanced', 'Bond', 'Bridge', 'VRF', 'IPoIB', 'IPVLAN', 'IPVTAP',
    'MACsec', 'MACVLAN', 'MACVTAP', 'Tunnel', 'VLAN', 'VXLAN', 'Xfrm', 'ActiveSlave', 'PrimarySlave', 'ConfigureWithoutCarrier',
    'IgnoreCarrierLoss', 'KeepConfiguration',
  ],
  Address: [
    'Address', 'Peer', 'Broadcast', 'Label', 'PreferredLifetime', 'Scope', 'RouteMetric', 'HomeAddress',
    'DuplicateAddressDetection', 'ManageTemporaryAddress', 'AddPrefixRoute', 'AutoJoin', 'NetLabel',
  ],
  Route: [
    'Gateway', 'GatewayOnLink', 'Destination', 'Source', 'Metric', 'IPv6Preference', 'Scope', 'PreferredSource', 'Table',
    'Protocol', 'Type', 'InitialCongestionWindow', 'InitialAdvertisedReceiveWindow', 'QuickAck', 'FastOpenNoCookie',
    'TTLPropagate', 'MTUBytes', 'TCPAdvertisedMaximumSegmentSize', 'TCPCongestionControlAlgorithm', 'MultiPathRoute', 'NextHop',
  ],
};

/** Keys each file must set: networkd refuses a .netdev without Name/Kind and never matches a .network without [Match]. */
export const requiredKeys = {
  netdev: { NetDev: ['Name', 'Kind'] },
  network: { Match: ['Name'] },
} as const;
