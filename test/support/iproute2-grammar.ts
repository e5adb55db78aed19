/**
 * How iproute2 (6.1) reads the words of the `ip` commands tungen's ifupdown
 * output runs, written from its argument loops: iplink_parse (ip link), parse_args
 * of ip/iptunnel.c and ip/ip6tunnel.c (ip tunnel), ipaddr_modify (ip addr),
 * iproute_modify (ip route), ipaddr_list_flush_or_save (ip link show, ip addr show),
 * ip fou and the `ip xfrm state list` a probe runs. A word is tried against the keywords in
 * the order iproute2 tries them; some compare exactly (strcmp), others accept any
 * leading part (matches(): `a` is `address`). A word that is no keyword is the
 * command's free argument (the device, the tunnel's name, the address, the
 * route's destination); a second free word is an error, as in iproute2.
 */

/** A keyword, how many words it takes, and whether a leading part of it counts (matches()). */
interface Keyword {
  word: string;
  takes: number;
  abbreviated?: boolean;
  /** The name the value is recorded under, when it is not the keyword itself. */
  as?: string;
}

const exact = (takes: number, ...words: string[]): Keyword[] => words.map((word) => ({ word, takes }));
const prefix = (takes: number, ...words: string[]): Keyword[] =>
  words.map((word) => ({ word, takes, abbreviated: true }));

/** The loop of iplink_parse, up to "type": the rest belongs to the kind. */
const linkKeywords: Keyword[] = [
  { word: 'name', takes: 1 },
  ...exact(1, 'index'),
  ...prefix(1, 'link'),
  ...prefix(1, 'address'),
  ...prefix(1, 'broadcast'),
  ...exact(1, 'brd'),
  ...exact(1, 'mtu'),
  ...exact(1, 'xdpgeneric', 'xdpdrv', 'xdpoffload', 'xdp'),
  ...exact(1, 'netns'),
  ...exact(1, 'multicast', 'allmulticast', 'promisc', 'trailers', 'arp', 'carrier'),
  ...prefix(1, 'txqueuelen', 'txqlen'),
  ...exact(1, 'qlen'),
  ...exact(1, 'vf'),
  ...exact(1, 'vrf'),
  ...prefix(1, 'master'),
  ...prefix(0, 'nomaster'),
  ...prefix(1, 'dynamic'),
  ...prefix(1, 'alias'),
  ...exact(1, 'group', 'mode', 'state'),
  ...prefix(1, 'numtxqueues', 'numrxqueues'),
  ...prefix(1, 'addrgenmode'),
  ...prefix(1, 'link-netns', 'link-netnsid'),
  ...exact(1, 'protodown', 'protodown_reason'),
  ...exact(1, 'gso_max_size', 'gso_max_segs', 'gso_ipv4_max_size', 'gro_max_size', 'parentdev'),
  ...exact(0, 'up', 'down'),
  // "dev NAME" is the free word said explicitly; a second one is a duplicate.
  { word: 'dev', takes: 1, as: 'free' },
];

/** Arguments after `type KIND` for the tunnel kinds (link_iptnl.c, link_gre.c, link_gre6.c, link_ip6tnl.c, link_vti*.c). */
const kindKeywords: Keyword[] = [
  ...exact(1, 'remote', 'local', 'dev'),
  ...exact(1, 'ttl', 'hoplimit', 'hlim'),
  ...exact(1, 'tos', 'tclass'),
  ...prefix(1, 'dsfield'),
  ...exact(0, 'pmtudisc', 'nopmtudisc', 'isatap', 'seq', 'iseq', 'oseq', 'csum', 'icsum', 'ocsum'),
  ...exact(1, 'key', 'ikey', 'okey'),
  ...exact(1, 'encap', 'encap-sport', 'encap-dport', 'encaplimit', 'flowlabel', 'mode', 'external'),
  ...exact(0, 'encap-csum', 'noencap-csum', 'encap-udp6-csum', 'encap-remcsum', 'noencap-remcsum'),
  ...exact(0, 'ignore-df', 'noignore-df', 'allow-localremote', 'noallow-localremote'),
];

/** parse_args of ip tunnel (IPv4 and IPv6). */
const tunnelKeywords: Keyword[] = [
  ...exact(1, 'mode'),
  ...exact(1, 'key', 'ikey', 'okey'),
  ...exact(0, 'seq', 'iseq', 'oseq', 'csum', 'icsum', 'ocsum', 'nopmtudisc', 'pmtudisc'),
  ...exact(1, 'remote', 'local', 'dev'),
  ...exact(1, 'ttl', 'hoplimit', 'hlim'),
  ...exact(1, 'tos', 'tclass'),
  ...prefix(1, 'dsfield'),
  ...exact(1, 'encaplimit', 'flowlabel', 'dscp'),
  ...exact(1, '6rd-prefix', '6rd-relay_prefix'),
  ...exact(0, '6rd-reset', 'allow-localremote', 'noallow-localremote'),
  // "name NAME" is the free word said explicitly; "dev" above is the underlying device.
  { word: 'name', takes: 1, as: 'free' },
];

/** ipaddr_modify. */
const addrKeywords: Keyword[] = [
  ...exact(1, 'peer', 'remote'),
  ...prefix(1, 'broadcast'),
  ...exact(1, 'brd', 'anycast', 'scope', 'dev', 'label', 'proto'),
  ...prefix(1, 'metric', 'priority', 'preference'),
  ...prefix(1, 'valid_lft', 'preferred_lft'),
  ...exact(0, 'home', 'nodad', 'noprefixroute', 'mngtmpaddr', 'autojoin'),
  { word: 'local', takes: 1, as: 'free' },
];

/** iproute_modify, for the parts tungen writes and those a name could be taken for. */
const routeKeywords: Keyword[] = [
  ...exact(1, 'src', 'as', 'via', 'from', 'tos'),
  ...prefix(1, 'dsfield'),
  ...exact(1, 'expires'),
  ...prefix(1, 'metric', 'priority', 'preference'),
  ...exact(1, 'scope', 'dev', 'oif', 'pref', 'vrf', 'mtu', 'hoplimit', 'advmss', 'rtt', 'rttvar'),
  ...exact(1, 'rto_min', 'nhid', 'encap', 'ttl-propagate'),
  ...prefix(1, 'table', 'protocol', 'realms', 'reordering', 'window', 'cwnd', 'initcwnd', 'initrwnd'),
  ...prefix(1, 'ssthresh', 'features', 'quickack', 'congctl', 'fastopen_no_cookie'),
  ...exact(0, 'onlink'),
  ...exact(1, 'nexthop'),
  { word: 'to', takes: 1, as: 'free' },
];

const routeTypes = [
  'unicast',
  'local',
  'broadcast',
  'multicast',
  'throw',
  'unreachable',
  'prohibit',
  'blackhole',
  'nat',
];

/**
 * ipaddr_list_flush_or_save, which reads `ip link show` and `ip addr show`: a word that is
 * no keyword is the device, like the one after "dev" (a second one is a duplicate).
 */
const showKeywords: Keyword[] = [
  ...exact(1, 'to', 'scope'),
  ...exact(0, 'up'),
  // get_filter(): address flags, also negated with a leading '-'.
  ...exact(0, 'dynamic', 'permanent', 'secondary', 'primary', 'tentative', 'deprecated', 'dadfailed', 'temporary'),
  ...exact(0, '-dynamic', '-permanent', '-secondary', '-primary', '-tentative', '-deprecated', '-dadfailed'),
  ...exact(0, '-temporary', 'home', 'nodad', 'mngtmpaddr', 'noprefixroute', 'autojoin'),
  ...exact(1, 'label', 'master', 'vrf', 'type', 'proto'),
  ...exact(0, 'nomaster'),
  { word: 'dev', takes: 1, as: 'free' },
];

/** ip fou add/del. */
const fouKeywords: Keyword[] = [
  ...exact(1, 'port', 'ipproto', 'local', 'peer', 'peer_port', 'dev'),
  ...exact(0, 'gue'),
];

/** What iproute2 calls the free word in its messages. */
const freeName = { link: 'dev', tunnel: 'name', addr: 'local', route: 'to', fou: 'port', xfrm: 'state' } as const;

/** Output options of `ip` that change only how it prints (-json, -details). */
const outputOptions = ['-j', '-json', '-d', '-details'];

/** One `ip` command as iproute2 reads it. */
export interface IpCommand {
  family?: '-4' | '-6';
  object: 'link' | 'tunnel' | 'addr' | 'route' | 'fou' | 'xfrm';
  action: string;
  /** The free word: link/tunnel device or name, the address, the route's destination. */
  free?: string;
  /** Where the free word is among the words parsed. */
  freeAt?: number;
  /** Keyword -> values, in order; flags have an empty list. */
  args: Map<string, string[]>;
  /** Keyword -> where its first value is among the words parsed. */
  at: Map<string, number>;
  /** For `ip link ... type KIND ...`: the kind and its arguments. */
  kind?: { name: string; args: Map<string, string[]> };
}

export class IpParseError extends Error {}

function findKeyword(keywords: readonly Keyword[], word: string): Keyword | undefined {
  return keywords.find((k) =>
    k.abbreviated ? word.length > 0 && word.length <= k.word.length && k.word.startsWith(word) : k.word === word,
  );
}

const isHelp = (word: string) => word.length > 0 && 'help'.startsWith(word);

/**
 * Reads `words` (after "ip", options such as -6 included) the way iproute2 does;
 * throws IpParseError where iproute2 would stop with a usage error, a duplicate
 * argument or a missing value.
 */
export function parseIp(words: readonly string[]): IpCommand {
  const rest = [...words];
  // Where the next word of `rest` is among `words`.
  const index = () => words.length - rest.length;
  let family: IpCommand['family'];
  while (rest[0]?.startsWith('-')) {
    const option = rest.shift()!;
    if (option === '-4' || option === '-6') family = option;
    else if (!outputOptions.includes(option)) throw new IpParseError(`unexpected option ${option}`);
  }
  const objectWord = rest.shift() ?? '';
  const object = (['link', 'tunnel', 'addr', 'route', 'fou', 'xfrm'] as const).find((o) =>
    o === 'addr' ? 'address'.startsWith(objectWord) && objectWord.length > 0 : o === objectWord,
  );
  if (!object) throw new IpParseError(`unknown object ${JSON.stringify(objectWord)}`);
  if (object === 'xfrm') {
    // Only the listing a probe runs: it takes no word from the spec.
    const [what, action, ...more] = rest;
    if (what !== 'state' || (action !== 'list' && action !== 'show') || more.length)
      throw new IpParseError(`"ip xfrm ${rest.join(' ')}" is not a listing of the states`);
    return { family, object, action, args: new Map(), at: new Map() };
  }
  const action = rest.shift() ?? '';
  const listing = (object === 'link' || object === 'addr') && (action === 'show' || action === 'list');
  const keywords = listing
    ? showKeywords
    : { link: linkKeywords, tunnel: tunnelKeywords, addr: addrKeywords, route: routeKeywords, fou: fouKeywords }[
        object
      ];
  const command: IpCommand = { family, object, action, args: new Map(), at: new Map() };
  const take = (keyword: Keyword, into: Map<string, string[]>) => {
    const at = index();
    const values = rest.splice(0, keyword.takes);
    if (values.length < keyword.takes) throw new IpParseError(`"${keyword.word}" needs a value`);
    const key = keyword.as ?? keyword.word;
    if (key === 'free') setFree(values[0]!, at);
    // A flag may come twice (`up up`); a value given twice is a rendering bug either way.
    else if (into.has(key) && keyword.takes > 0) throw new IpParseError(`"${key}" given twice`);
    else {
      into.set(key, values);
      if (into === command.args) command.at.set(key, at);
    }
  };
  const setFree = (word: string, at: number) => {
    if (command.free !== undefined)
      throw new IpParseError(`either "${freeName[object]}" is duplicate, or "${word}" is garbage`);
    command.free = word;
    command.freeAt = at;
  };
  while (rest.length) {
    const at = index();
    const word = rest.shift()!;
    if (object === 'link' && word.length > 0 && 'type'.startsWith(word)) {
      const kind = rest.shift();
      if (kind === undefined) throw new IpParseError('"type" needs a kind');
      command.kind = { name: kind, args: new Map() };
      while (rest.length) {
        const kindWord = rest.shift()!;
        const keyword = findKeyword(kindKeywords, kindWord);
        if (!keyword) throw new IpParseError(`"${kindWord}" is not an argument of type ${kind}`);
        take(keyword, command.kind.args);
      }
      break;
    }
    const keyword = findKeyword(keywords, word);
    if (keyword) {
      take(keyword, command.args);
      continue;
    }
    if (isHelp(word)) throw new IpParseError(`"${word}" asks for help`);
    if (object === 'route' && routeTypes.includes(word)) {
      command.args.set('type', [word]);
      continue;
    }
    if (object === 'fou') throw new IpParseError(`"${word}" is garbage`);
    setFree(word, at);
  }
  return command;
}

/**
 * The interface a command is about: `dev NAME` where given, else the free word
 * (`ip link set NAME up`, `ip tunnel add NAME ...`), and for `ip link add` its
 * `name` (iplink_modify: the name, else the device).
 */
export function deviceOf(command: IpCommand): string | undefined {
  if (command.object === 'link' && command.action === 'add') return command.args.get('name')?.[0] ?? command.free;
  if (command.object === 'link' || command.object === 'tunnel' || isListing(command)) return command.free;
  return command.args.get('dev')?.[0];
}

/** Where among the words parsed deviceOf's name is; undefined when the command names no interface. */
export function devicePosition(command: IpCommand): number | undefined {
  if (command.object === 'link' && command.action === 'add') return command.at.get('name') ?? command.freeAt;
  if (command.object === 'link' || command.object === 'tunnel' || isListing(command)) return command.freeAt;
  return command.at.get('dev');
}

const isListing = (command: IpCommand) =>
  command.object === 'addr' && (command.action === 'show' || command.action === 'list');
