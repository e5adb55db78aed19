/**
 * A FOU receive port is no link: networkd never removes or changes one, and a
 * link taken down without ifdown leaves its port. apply must still converge:
 * the kernel ends with exactly the ports the spec asks for.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { applySpec } from '../../src/host/apply.js';
import { FakeHost, greOnly, specFrom, tempDir } from './fake-host.js';

let root: string;
let specDir: string;
let host: FakeHost;

beforeEach(async () => {
  root = await tempDir();
  specDir = await tempDir('tungen-spec-');
  host = new FakeHost();
  await mkdir(join(root, 'etc/network'), { recursive: true });
  await writeFile(join(root, 'etc/network/interfaces'), 'source /etc/network/interfaces.d/*\n');
});

/** greOnly plus an IPv4 tunnel of `mode` in UDP to `port`. */
const withFou = (port: number, mode = 'ipip') => `${greOnly}
  - name: ipf
    mode: ${mode}
    encapsulation: { type: fou, port: ${port} }
    ends:
      - { host: a, addresses: [192.168.30.1/30] }
      - { host: b, addresses: [192.168.30.2/30] }
`;

const apply = async (yaml: string, target: string) => {
  host.calls.length = 0;
  const result = await applySpec(await specFrom(yaml, specDir), { target, host: 'a' }, host.context(root));
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  return result;
};
const ports = () => Object.fromEntries(host.fouPorts);
const fouCommands = () => host.changing().filter((argv) => argv[1] === 'fou' || argv[0] === 'networkctl');

describe('FOU receive ports with networkd', () => {
  const target = 'networkd';

  it('a changed port replaces the old one; the new one is added before the reload', async () => {
    await apply(withFou(5555), target);
    expect(ports()).toEqual({ 5555: 'ipproto 4' });
    await apply(withFou(5556), target);
    expect(ports()).toEqual({ 5556: 'ipproto 4' });
    expect(fouCommands()).toEqual([
      ['networkctl', 'delete', '--', 'ipf'],
      ['ip', 'fou', 'del', 'port', '5555'],
      ['ip', 'fou', 'add', 'port', '5556', 'ipproto', '4'],
      ['networkctl', 'reload'],
    ]);
    await apply(withFou(5556), target);
    expect(host.changing()).toEqual([]);
  });

  it('a port changed back is there again, although networkd remembers its netdev name', async () => {
    await apply(withFou(5555), target);
    await apply(withFou(5556), target);
    await apply(withFou(5555), target);
    expect(ports()).toEqual({ 5555: 'ipproto 4' });
  });

  it('a tunnel that changes mode on the same port changes what the port hands packets to', async () => {
    await apply(withFou(5555), target);
    await apply(withFou(5555, 'gre'), target);
    expect(ports()).toEqual({ 5555: 'ipproto 47' });
  });

  it('a tunnel that leaves the spec takes its port with it', async () => {
    await apply(withFou(5555), target);
    await apply(greOnly, target);
    expect(ports()).toEqual({});
    expect(fouCommands()).toContainEqual(['ip', 'fou', 'del', 'port', '5555']);
  });

  it('a port already gone from the kernel is not deleted again', async () => {
    await apply(withFou(5555), target);
    host.fouPorts.clear();
    await apply(withFou(5556), target);
    expect(ports()).toEqual({ 5556: 'ipproto 4' });
    expect(fouCommands()).not.toContainEqual(['ip', 'fou', 'del', 'port', '5555']);
  });
});

describe('FOU receive ports with ifupdown', () => {
  const target = 'ifupdown';

  it('a changed port replaces the old one: ifdown runs the old stanza, ifup the new one', async () => {
    await apply(withFou(5555), target);
    expect(ports()).toEqual({ 5555: 'ipproto 4' });
    await apply(withFou(5556), target);
    expect(ports()).toEqual({ 5556: 'ipproto 4' });
  });

  it('a link ifupdown does not count as up is restarted without its old port in the way', async () => {
    await apply(withFou(5555), target);
    // What a killed ifup or a lost state file leaves: the link and its port, unknown to ifupdown.
    host.ifstate.delete('ipf');
    await apply(withFou(5555), target);
    expect(fouCommands()).toEqual([['ip', 'fou', 'del', 'port', '5555']]);
    expect(ports()).toEqual({ 5555: 'ipproto 4' });
  });

  it('a tunnel that leaves the spec while not counted as up takes its port with it', async () => {
    await apply(withFou(5555), target);
    host.ifstate.delete('ipf');
    await apply(greOnly, target);
    expect(ports()).toEqual({});
  });
});
