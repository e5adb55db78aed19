/**
 * The plugin contract is typed: a mode's options type, its option schemas and
 * what its functions read must agree, or `npm run typecheck` fails. The
 * `@ts-expect-error` lines below are the checks: each fails the type check
 * as soon as the mistake under it stops being an error.
 */
import { pluginKit, validateSpec, type IfupdownLink, type ModePlugin, type TunnelEnd } from 'tungen';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { gre } from '../plugins/gre/index.js';
import { ipip } from '../plugins/ipip/index.js';

const { ipLinkEndpoints, networkdKeys, networkdOuterPacket, ttlOption } = pluginKit;

interface TtlOnly {
  ttl?: pluginKit.OuterPacketOptions['ttl'];
}

/** What a mode needs besides its options, written for any options type. */
const common = {
  name: 'ttl-only',
  description: 'a mode with one option',
  kind: 'ipip',
  outer: 'ipv4',
  inner: ['ipv4'],
  remote: 'required',
  kernelModules: ['ipip'],
  fallbackDevices: ['tunl0'],
  identity: pluginKit.endpointIdentity,
  networkd: (end: pluginKit.Endpoints) => ({ tunnel: pluginKit.networkdEndpoints(end) }),
  ifupdown: (end: pluginKit.Endpoints): IfupdownLink => ({
    method: 'manual',
    ipLinkAdd: ['type', 'ipip', ...ipLinkEndpoints(end)],
  }),
  expect: (end: pluginKit.Endpoints) => ({ data: pluginKit.expectedEndpoints(end) }),
} as const;

describe('typed plugin contract', () => {
  it('types each option from its schema and the end from its mode', () => {
    type GreEnd = Parameters<typeof gre.networkd>[0];
    expectTypeOf<GreEnd['options']['ttl']>().toEqualTypeOf<number | 'inherit' | undefined>();
    expectTypeOf<GreEnd['options']['key']>().toEqualTypeOf<string | number | undefined>();
    expectTypeOf<GreEnd['local']>().toEqualTypeOf<string>();
    expectTypeOf<GreEnd['plugin']>().toEqualTypeOf<typeof gre>();

    // @ts-expect-error -- an option of the type without a schema
    const missingSchema: ModePlugin<TtlOnly & { colour?: string }> = { ...common, options: { ttl: ttlOption } };
    const extraSchema: ModePlugin<TtlOnly> = {
      ...common,
      // @ts-expect-error -- a schema for an option the type does not have
      options: { ttl: ttlOption, colour: { type: 'string' } },
    };
    const wrongRead: ModePlugin<TtlOnly> = {
      ...common,
      options: { ttl: ttlOption },
      check(end) {
        // @ts-expect-error -- the mode has no key option
        void end.options.key;
        // @ts-expect-error -- ttl may be "inherit", not only a number
        const ttl: number | undefined = end.options.ttl;
        void ttl;
      },
    };
    const kitMismatch: ModePlugin<TtlOnly> = {
      ...common,
      options: { ttl: ttlOption },
      // @ts-expect-error -- the kit's GRE keys need key options, which this mode lacks
      networkd: (end) => ({ tunnel: networkdKeys(end.options) }),
    };
    // @ts-expect-error -- the schema of a typed option must be given, not left out
    const noOptions: ModePlugin<TtlOnly> = { ...common, options: {} };
    // Typed right, the same parts compile: each mistake above is the only one in its case.
    const right: ModePlugin<TtlOnly> = {
      ...common,
      options: { ttl: ttlOption },
      check(end) {
        void end.options.ttl;
      },
      networkd: (end) => ({ tunnel: [...pluginKit.networkdEndpoints(end), ...networkdOuterPacket(end.options)] }),
    };
    expect([missingSchema, extraSchema, wrongRead, kitMismatch, noOptions, right].map((m) => m.name)).toEqual(
      Array(6).fill('ttl-only'),
    );
  });

  it('renders typed options without casts: "inherit" is 0 for TTL and 1 for TOS in networkd', () => {
    expect(networkdOuterPacket({ ttl: 'inherit', tos: 'inherit', pmtuDiscovery: false })).toEqual([
      ['TTL', 0],
      ['TOS', 1],
      ['DiscoverPathMTU', 'no'],
    ]);
    expect(networkdKeys({ key: '0.0.0.7', inputKey: 5 })).toEqual([
      ['Key', '0.0.0.7'],
      ['InputKey', 5],
    ]);
  });

  it('resolves each end with its outer address and the plugin of its mode', async () => {
    const spec = await validateSpec({
      file: 'spec.json',
      pathPrefix: [],
      data: {
        tunnels: [
          { name: 'g1', mode: 'gre', local: '192.0.2.1', remote: '192.0.2.2', key: 7 },
          { name: 'i1', mode: 'ipip', local: '192.0.2.1', remote: '192.0.2.3' },
        ],
      },
    });
    const [g1, i1] = spec.ends as [TunnelEnd, TunnelEnd];
    expect(g1.plugin).toBe(gre);
    expect(i1.plugin).toBe(ipip);
    expect([g1.local, i1.local]).toEqual(['192.0.2.1', '192.0.2.1']);
    expect(g1.options).toEqual({ key: 7 });
  });
});
