import { describe, expect, it } from 'vitest';
import type { ValidSpec } from '../../src/api.js';
import { verifySpec } from '../../src/host/verify.js';
import { formatVerify } from '../../src/host/verify-report.js';
import { FakeHost, failed, fixture, ok, recordedLink, specFrom, twoTunnels } from './fake-host.js';

const ipsecAndIsatap = `
version: 1
hosts:
  a: { underlay: 10.0.0.1 }
  b: { underlay: 10.0.0.2 }
tunnels:
  # A VTI takes IPv6-in-IPv4 packets from its remote, which an ISATAP on the same local would miss.
  - name: vti1
    mode: vti
    key: 42
    host: a
    local: 10.0.0.5
    remote: 10.0.0.9
    addresses: [{ address: 172.16.0.1/30, peer: 172.16.0.2 }]
  - name: isa1
    mode: isatap
    prefix: "fd00:4::/64"
    ends:
      - { host: a }
      - { host: b }
`;

async function healthyHost(): Promise<FakeHost> {
  const host = new FakeHost();
  host.links.set('gre1', await recordedLink('gre1'));
  host.links.set('sit1', await recordedLink('sit1'));
  host.pings.set('192.168.10.2', [ok(await fixture('ping-ok.txt'))]);
  host.pings.set('fd00:1::2', [ok((await fixture('ping-ok.txt')).replaceAll('192.168.10.2', 'fd00:1::2'))]);
  return host;
}

const verify = (spec: ValidSpec, host: FakeHost, timeoutSeconds = 10) =>
  verifySpec(spec, { host: 'a', count: 3, timeoutSeconds }, host.context('/'));
const failures = (report: Awaited<ReturnType<typeof verify>>) =>
  report.tunnels.flatMap((t) =>
    t.checks
      .filter((c) => c.status === 'fail')
      .map((c) => `${t.name} ${c.check}: expected ${c.expected}, found ${c.found}`),
  );

describe('verify', () => {
  it('passes healthy tunnels: link, settings, state, addresses and pings through each', async () => {
    const host = await healthyHost();
    const report = await verify(await specFrom(twoTunnels), host);
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.tunnels.map((t) => [t.name, t.attempts])).toEqual([
      ['gre1', 1],
      ['sit1', 1],
    ]);
    expect(report.tunnels[0]!.checks.map((c) => `${c.check} ${c.status}`)).toEqual([
      'link pass',
      'kind pass',
      'local pass',
      'remote pass',
      'ikey pass',
      'okey pass',
      'state pass',
      'address 192.168.10.1 pass',
      'ping 192.168.10.2 pass',
    ]);
    expect(host.calls).toContainEqual(['ip', '-details', '-json', 'link', 'show', 'dev', 'gre1']);
    expect(host.calls).toContainEqual(['ip', '-json', 'addr', 'show', 'dev', 'sit1']);
    expect(host.calls).toContainEqual(['ping', '-c', '3', '-W', '3', '-I', 'gre1', '192.168.10.2']);
    expect(host.calls).toContainEqual(['ping', '-6', '-c', '3', '-W', '3', '-I', 'sit1', 'fd00:1::2']);
  });

  it('says which info_data value differs', async () => {
    const host = await healthyHost();
    host.links.get('gre1')!.link = host.links.get('gre1')!.link.replace('"ikey":"0.0.0.42"', '"ikey":"0.0.0.7"');
    const report = await verify(await specFrom(twoTunnels), host, 0);
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual(['gre1 ikey: expected 0.0.0.42, found 0.0.0.7']);
    expect(report.tunnels[0]!.failures).toEqual(['ikey: expected 0.0.0.42, found 0.0.0.7']);
    expect(report.tunnels[1]!.ok).toBe(true);
  });

  it('checks the options the spec sets, e.g. ttl and pmtudisc', async () => {
    const host = await healthyHost();
    const report = await verify(await specFrom(twoTunnels.replace('key: 42', 'key: 42\n    ttl: 64')), host, 0);
    expect(failures(report)).toEqual(['gre1 ttl: expected 64, found 0']);
  });

  it('reports a missing link with what ip said', async () => {
    const host = await healthyHost();
    host.links.delete('sit1');
    const report = await verify(await specFrom(twoTunnels), host, 0);
    expect(failures(report)).toEqual([
      'sit1 link: expected sit link sit1, found none: Device "sit1" does not exist. (exit 1)',
    ]);
  });

  it('fails a link that is down, without pinging through it', async () => {
    const host = await healthyHost();
    const gre = host.links.get('gre1')!;
    gre.link = gre.link
      .replace('"flags":["POINTOPOINT","NOARP","UP","LOWER_UP"]', '"flags":["POINTOPOINT","NOARP"]')
      .replace('"operstate":"UNKNOWN"', '"operstate":"DOWN"');
    const report = await verify(await specFrom(twoTunnels), host, 0);
    expect(failures(report)).toEqual([
      'gre1 state: expected flag UP, operstate UP or UNKNOWN, found operstate DOWN, flags POINTOPOINT,NOARP',
    ]);
    expect(report.tunnels[0]!.checks.at(-1)).toEqual(
      expect.objectContaining({ check: 'ping 192.168.10.2', status: 'skip' }),
    );
    expect(host.calls.filter((c) => c[0] === 'ping' && c.includes('gre1'))).toEqual([]);
  });

  it('fails an address with the wrong peer or prefix, listing what is configured', async () => {
    const host = await healthyHost();
    const gre = host.links.get('gre1')!;
    gre.addr = gre.addr.replace('"address":"192.168.10.2","prefixlen":24', '"address":"192.168.10.3","prefixlen":24');
    const sit = host.links.get('sit1')!;
    sit.addr = sit.addr.replace('"local":"fd00:1::1"', '"local":"fd00:1::9"');
    const report = await verify(await specFrom(twoTunnels), host, 0);
    expect(failures(report)).toEqual([
      'gre1 address 192.168.10.1: expected 192.168.10.1/24 peer 192.168.10.2, found 192.168.10.1/24 peer 192.168.10.3',
      'sit1 address fd00:1::1: expected fd00:1::1/64 peer fd00:1::2, found not configured (fd00:1::9/64 peer fd00:1::2)',
    ]);
  });

  it('retries until the tunnel settles, within the timeout', async () => {
    const host = await healthyHost();
    host.pings.set('192.168.10.2', [
      failed(1, '', await fixture('ping-lost.txt')),
      failed(1, '', await fixture('ping-lost.txt')),
      ok(await fixture('ping-ok.txt')),
    ]);
    const report = await verify(await specFrom(twoTunnels), host, 30);
    expect(report.ok).toBe(true);
    expect(report.tunnels[0]!.attempts).toBe(3);
  });

  it('gives up at the timeout and reports the last round', async () => {
    const host = await healthyHost();
    host.pings.set('192.168.10.2', [failed(1, '', await fixture('ping-lost.txt'))]);
    const start = host.clock;
    const report = await verify(await specFrom(twoTunnels), host, 5);
    expect(report.ok).toBe(false);
    expect(failures(report)).toEqual([
      'gre1 ping 192.168.10.2: expected replies from 192.168.10.2, found 3 sent, 0 received',
    ]);
    expect(host.clock - start).toBe(5000);
    expect(report.tunnels[0]!.attempts).toBe(6);
  });

  async function ipsecHost(): Promise<FakeHost> {
    const host = new FakeHost();
    host.links.set('vti1', await recordedLink('vti1'));
    host.links.set('isa1', await recordedLink('isa1'));
    host.pings.set('172.16.0.2', [ok((await fixture('ping-ok.txt')).replaceAll('192.168.10.2', '172.16.0.2'))]);
    host.pings.set('fd00:4::5efe:a00:2', [
      ok((await fixture('ping-ok.txt')).replaceAll('192.168.10.2', 'fd00:4::5efe:a00:2')),
    ]);
    return host;
  }

  it('runs the vti IPsec probe, and checks an ISATAP end as sit with isatap set', async () => {
    const host = await ipsecHost();
    host.hooks.push(async (argv) =>
      argv.join(' ') === 'ip xfrm state list' ? ok(await fixture('xfrm-state.txt')) : undefined,
    );
    const report = await verify(await specFrom(ipsecAndIsatap), host);
    expect(failures(report)).toEqual([]);
    expect(report.tunnels[0]!.checks.at(-1)).toEqual({
      check: 'ipsec state',
      status: 'pass',
      expected: '"mark 0x2a/" in the output of ip xfrm state list',
      found: 'present',
    });
    expect(report.tunnels[1]!.checks.map((c) => `${c.check} ${c.status}`)).toEqual([
      'link pass',
      'kind pass',
      'local pass',
      'isatap pass',
      'state pass',
      'address fd00:4::5efe:a00:1 pass',
      'ping fd00:4::5efe:a00:2 pass',
    ]);
  });

  it('fails a vti without IPsec state and says why it matters', async () => {
    const host = await ipsecHost();
    const report = await verify(await specFrom(ipsecAndIsatap), host, 0);
    expect(failures(report)).toEqual([
      'vti1 ipsec state: expected "mark 0x2a/" in the output of ip xfrm state list, found not there: no IPsec state with mark 0x2a: without it the tunnel carries nothing',
    ]);
  });

  it('skips the ping, saying so, when no address has a peer', async () => {
    const host = new FakeHost();
    const gre = await recordedLink('gre1');
    host.links.set('gre9', {
      link: gre.link,
      addr: gre.addr
        .replace('"address":"192.168.10.2",', '')
        .replace('"local":"192.168.10.1","prefixlen":24', '"local":"192.168.9.1","prefixlen":30'),
    });
    const spec = await specFrom(
      'version: 1\ntunnels:\n  - { name: gre9, mode: gre, local: 10.0.0.1, remote: 10.0.0.2, key: 42, addresses: [192.168.9.1/30] }\n',
    );
    const report = await verifySpec(spec, {}, host.context('/'));
    expect(report).toEqual(expect.objectContaining({ host: null, ok: true }));
    expect(report.tunnels[0]!.checks.at(-1)).toEqual({
      check: 'ping',
      status: 'skip',
      expected: 'a peer address to ping',
      found: 'no address has a peer',
    });
  });

  it('prints an aligned table with the failures spelled out', async () => {
    const host = await healthyHost();
    host.links.delete('sit1');
    const text = formatVerify(await verify(await specFrom(twoTunnels), host, 0));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^TUNNEL +MODE +CHECK +RESULT +DETAIL$/);
    expect(lines).toContainEqual(expect.stringMatching(/^gre1 +gre +ping 192\.168\.10\.2 +ok +3 sent, 3 received$/));
    expect(lines).toContainEqual(expect.stringMatching(/^sit1 +sit +link +FAIL +expected sit link sit1, found none/));
    expect(lines.at(-1)).toBe('1 of 2 tunnel(s) on host a failed: sit1');
    const column = lines[0]!.indexOf('RESULT');
    expect(lines.slice(1, -2).every((line) => /^(ok|FAIL|skip) /.test(line.slice(column)))).toBe(true);
  });
});
