import { describe, expect, it } from 'vitest';
import { HostUsageError } from '../../src/host/errors.js';
import { selectHost } from '../../src/host/select-host.js';
import { FakeHost, fixture, specFrom, twoTunnels } from './fake-host.js';

const oneMachine = `
version: 1
tunnels:
  - { name: gre9, mode: gre, local: 10.0.0.1, remote: 10.0.0.2, addresses: [192.168.9.1/30] }
`;

describe('selectHost', () => {
  it('takes --host when the spec has it', async () => {
    const host = new FakeHost();
    expect(await selectHost(await specFrom(twoTunnels), host.context('/'), 'b')).toBe('b');
    expect(host.calls).toEqual([]);
  });

  it('refuses an unknown --host and lists the hosts', async () => {
    await expect(selectHost(await specFrom(twoTunnels), new FakeHost().context('/'), 'c')).rejects.toThrow(
      /unknown host "c"; hosts in .*: a, b/,
    );
  });

  it('needs no host for a single-machine spec, and refuses --host there', async () => {
    const spec = await specFrom(oneMachine);
    expect(await selectHost(spec, new FakeHost().context('/'))).toBeUndefined();
    await expect(selectHost(spec, new FakeHost().context('/'), 'a')).rejects.toThrow(
      /lists no hosts .* leave out --host/,
    );
  });

  it("picks the host named like this machine's short name", async () => {
    const host = new FakeHost();
    expect(await selectHost(await specFrom(twoTunnels), host.context('/', { hostname: () => 'b.example.net' }))).toBe(
      'b',
    );
  });

  it('otherwise picks the host whose underlay address is configured here', async () => {
    const host = new FakeHost();
    host.hostAddresses = await fixture('host-a-addrs.json');
    expect(await selectHost(await specFrom(twoTunnels), host.context('/'))).toBe('a');
    expect(host.calls).toEqual([['ip', '-json', 'addr']]);
  });

  it('is a usage error when nothing matches', async () => {
    const attempt = selectHost(await specFrom(twoTunnels), new FakeHost().context('/'));
    await expect(attempt).rejects.toThrow(HostUsageError);
    await expect(attempt).rejects.toThrow(
      /this machine \(testbox\) is not a host of the spec .* give --host NAME; hosts in .*: a, b/,
    );
  });
});
