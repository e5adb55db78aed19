/**
 * Every spec under examples/ is valid and renders, for both targets, files
 * each target accepts; the five-mode lab is the spec the real-kernel suite
 * applies to its guests (less the IPv6 underlays the suite adds).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { load } from 'js-yaml';
import { checkSpec, renderSpec } from '../src/api.js';
import { formatProblem } from '../src/diagnostics.js';
import { loadSpec } from '../src/spec/load.js';
import { parseStanzas } from '../src/testing/ifupdown-stanza.js';
import { ifupProblems } from '../src/testing/ifup-dry-run.js';
import { lintNetworkdFile } from '../src/testing/networkd-lint.js';
import { repoRoot } from './support/run-cli.js';

/** The real-kernel suite's specs: plain JavaScript, typed here for what this test reads. */
const suiteSpecs = (await import(join(repoRoot, 'test/e2e/guest/specs.mjs'))) as {
  allModes: () => { hosts: Record<string, { underlay: string[] }> };
  ipv6Underlay: { a: string[]; b: string[] };
};

const dir = join(repoRoot, 'examples');
const examples = readdirSync(dir).filter((name) => name.endsWith('.yaml'));

describe('examples', () => {
  it('include one spec per family of modes', () => {
    expect(examples).toEqual(
      expect.arrayContaining([
        'seed.yaml',
        'lab-five-modes.yaml',
        'ipv6-underlay.yaml',
        'ethernet.yaml',
        'udp-encapsulation.yaml',
        'routes.yaml',
      ]),
    );
  });

  it.each(examples)('%s is valid and renders what both targets accept', async (name) => {
    const { problems, spec } = await checkSpec(await loadSpec(join(dir, name)));
    expect(problems.map(formatProblem)).toEqual([]);
    const networkd = renderSpec(spec!, 'networkd');
    const ifupdown = renderSpec(spec!, 'ifupdown');
    expect(networkd.length).toBeGreaterThanOrEqual(2 * spec!.ends.length);
    expect(ifupdown).toHaveLength(spec!.ends.length);
    for (const file of networkd) expect(lintNetworkdFile(file.name, file.contents), file.name).toEqual([]);
    for (const file of ifupdown) {
      expect(parseStanzas(file.contents).problems, file.name).toEqual([]);
      expect(ifupProblems(file.contents, file.tunnel), file.name).toEqual([]);
    }
  });

  it('lab-five-modes.yaml is the all-modes spec of the real-kernel suite', () => {
    const lab = load(readFileSync(join(dir, 'lab-five-modes.yaml'), 'utf8')) as { hosts: Record<string, unknown> };
    const suite = suiteSpecs.allModes();
    const { ipv6Underlay } = suiteSpecs;
    const withoutIpv6 = Object.fromEntries(
      Object.entries(suite.hosts).map(([host, { underlay }]) => [
        host,
        { underlay: underlay.filter((u) => ![...ipv6Underlay.a, ...ipv6Underlay.b].includes(u)) },
      ]),
    );
    expect(lab).toEqual({ ...suite, hosts: withoutIpv6 });
  });
});
