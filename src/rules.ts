/**
 * The core's rules: every problem tungen reports names one of these ids (or a
 * mode's own, `<mode>/<id>`), so tests, filters and SARIF output can rely on an
 * id instead of a sentence. Ids are stable: rename one only with a major version.
 */
export const coreRules = {
  'spec/syntax': 'The spec file is not valid YAML or JSON',
  'spec/limit': 'The spec is too large, too deeply nested, or grows too much through aliases',
  'spec/script': 'A JavaScript spec that throws while loading or has no default export',
  'spec/missing': 'No spec was found, or the spec file cannot be read',
  'schema/type': 'A value has the wrong type (a string where a number belongs, a mapping where a list belongs)',
  'schema/unknown-key': 'A key the spec format does not define, or not for this mode',
  'schema/missing-key': 'A key the spec format requires is missing',
  'schema/unknown-mode': 'A tunnel names a mode that neither tungen nor a listed plugin provides',
  'schema/range': 'A number, or the length of a list or text, is outside its bounds',
  'schema/format': 'A text value does not have the expected shape',
  'schema/value': 'A value is not one of those allowed',
  'name/invalid': 'An interface name that the targets cannot carry safely',
  'name/duplicate': 'Two interfaces on one host with the same name',
  'name/case-collision':
    'Two interface names on one host that differ only in case: their files are one file on a case-insensitive file system',
  'name/file-collision':
    "An interface name that gives one of its files the name of another tunnel's file on the host (e.g. of a FOU port's netdev)",
  'name/reserved': 'An interface name the kernel keeps for a fallback device or a /proc/sys entry',
  'name/keyword':
    'An interface name iproute2 reads as one of its keywords or their abbreviations (dev, up, mode, a, h)',
  'name/option': "An interface name starting with '-', which ifup, ifdown, networkctl and ip read as an option",
  'name/numeric': 'An all-digit interface name, which systemd-networkd ignores',
  'host/invalid-name': 'A host name that cannot be a folder name under --out',
  'host/case-collision':
    'Two host names that differ only in case: their output folders are one folder on a case-insensitive file system',
  'host/unknown': 'A tunnel names a host the spec does not list',
  'host/missing': 'A one-ended tunnel in a spec that lists hosts does not say which host it belongs to',
  'tunnel/mixed-forms': 'A two-ended tunnel (with "ends") also has keys of the one-ended form',
  'tunnel/same-host': 'Both ends of a tunnel are on the same host',
  'tunnel/duplicate-identity':
    'Two tunnels on one host that the kernel cannot tell apart (same kind, endpoints and keys)',
  'tunnel/outer-packets':
    'Two tunnels of different kinds take the same outer packets, which the kernel gives to one only',
  'address/invalid': 'An address or network that does not parse',
  'address/family': 'An address of a family the mode does not run over or carry',
  'address/missing': 'An outer address the mode needs (local or remote) is missing',
  'address/unexpected-remote': 'A remote address for a mode that has none',
  'address/local-is-remote': 'The local and remote outer addresses of a tunnel are the same',
  'address/peer-mismatch': "A peer given by hand is not the other end's address",
  'address/own-peer': 'An address is its own peer',
  'address/peer-subnet': 'A peer outside the subnet of its address',
  'address/duplicate': 'One inner address on two interfaces of one host',
  'address/outer-unusable':
    'An outer address that cannot carry a tunnel: unspecified, broadcast, loopback, multicast or link-local',
  'address/inner-unusable':
    'An inner address networkd or the kernel ignores or refuses: unspecified, IPv6 loopback or IPv6 multicast',
  'address/repeated': 'One inner address listed twice for one interface (in any notation or with any prefix length)',
  'address/underlay-unknown': 'A tunnel end names an underlay address its host does not list',
  'address/neighbour-subnet':
    "An address on an Ethernet tunnel whose prefix leaves no subnet to share with the other end's",
  'route/host-bits': 'A route whose network has host bits set',
  'route/duplicate':
    'The same route twice for one interface (same network, table and metric); the kernel refuses the second',
  'route/connected':
    "A route the kernel already adds for one of the interface's own addresses (same network, table and metric)",
  'route/gateway-unreachable':
    "A route's gateway is neither a peer of nor on a subnet of the tunnel's addresses, and not onLink",
  'route/gateway-self': "A route's gateway is an address of the tunnel itself",
  'route/on-link': 'A route says onLink but has no gateway',
  'route/scope': 'A route scope the kernel refuses or ignores (link or host with a gateway, any scope on IPv6)',
  'route/table': "A route in the kernel's local table (255)",
  'route/source': "A route's preferred source that is not an address of the tunnel",
  'tunnel/shared-companion': 'Two tunnels on one host that need the same extra netdev (a FOU receive port)',
  'mtu/ipv6-minimum': 'An MTU below 1280 on an interface that carries IPv6',
  'plugin/load': 'A plugin package the spec names cannot be loaded',
  'plugin/contract': 'A plugin package does not export a valid mode plugin',
} as const satisfies Readonly<Record<string, string>>;

export type CoreRule = keyof typeof coreRules;
