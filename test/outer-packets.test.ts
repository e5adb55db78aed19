import { describe, expect, it } from 'vitest';
import { checkSpec, formatProblem } from '../src/index.js';

/** Specs that share outer packets between tunnels of different kinds, as measured in a guest. */
async function problemsOf(source: string): Promise<string[]> {
  const { parse } = await import('yaml');
  const { problems } = await checkSpec({ file: 'spec.yaml', data: parse(source), source, pathPrefix: [] });
  return problems.map(formatProblem);
}

const hosts = `hosts:
  a: {underlay: 10.0.0.1}
  b: {underlay: 10.0.0.2}
`;

describe("tunnels that would take each other's packets", () => {
  it('refuses a vti beside an ipip tunnel between the same hosts, once per pair', async () => {
    const problems = await problemsOf(`${hosts}tunnels:
  - {name: ip1, mode: ipip, ends: [{host: a}, {host: b}]}
  - {name: vti1, mode: vti, key: 5, ends: [{host: a}, {host: b}]}
`);
    expect(problems).toEqual([
      'spec.yaml:6:5: tunnel vti1 (tunnels[1]) and tunnel ip1 (tunnels[0]) on host a both take IP protocol 4 from 10.0.0.2 to 10.0.0.1; the kernel gives those packets to one of them only (use another local or remote address for one) (tunnels[1])',
    ]);
  });

  it('refuses an isatap (any remote) on the local address of a vti', async () => {
    const problems = await problemsOf(`${hosts}tunnels:
  - {name: vti1, mode: vti, key: 5, host: a, remote: 10.0.0.9}
  - {name: isa1, mode: isatap, host: a}
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      'tunnel isa1 (tunnels[1]) and tunnel vti1 (tunnels[0]) on host a both take IP protocol 41 from 10.0.0.9 to 10.0.0.1',
    );
  });

  // Measured in a guest: isatap alone pinged its peer; with a sit to that peer beside it, the sit took the packets.
  it('refuses a sit beside an isatap on the same local: the sit takes the packets from its remote', async () => {
    const problems = await problemsOf(`${hosts}tunnels:
  - {name: sit1, mode: sit, ends: [{host: a}, {host: b}]}
  - {name: isa1, mode: isatap, ends: [{host: a}, {host: b}]}
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      'tunnel isa1 (tunnels[1]) and tunnel sit1 (tunnels[0]) on host a both take IP protocol 41 from 10.0.0.2 to 10.0.0.1',
    );
  });

  it('accepts gre, ipip, sit and keyed gre between the same hosts, and vti and isatap on other addresses', async () => {
    expect(
      await problemsOf(`${hosts}tunnels:
  - {name: gre1, mode: gre, ends: [{host: a}, {host: b}]}
  - {name: gre2, mode: gre, key: 7, ends: [{host: a}, {host: b}]}
  - {name: ip1, mode: ipip, ends: [{host: a}, {host: b}]}
  - {name: sit1, mode: sit, ends: [{host: a}, {host: b}]}
  - {name: isa1, mode: isatap, local: 10.0.0.5, host: a}
  - {name: vti1, mode: vti, key: 5, local: 10.0.0.3, remote: 10.0.0.4, host: a}
`),
    ).toEqual([]);
  });
});
