import type { ValidSpec } from '../api.js';
import type { InnerAddress, InnerRoute, Scalar, VerifyProbe } from '../contract.js';
import { desiredState, targetOf, type DesiredFile } from '../host/desired.js';
import { desiredKernelState } from '../host/kernel-state.js';
import { pingCommand } from '../host/verify-checks.js';
import { verifyDefaults } from '../host/verify.js';
import { headerMarker } from '../render/render.js';

/** Identifies the layout below; a consumer refuses a bundle whose format it does not know. */
export const bundleFormat = 'tungen-bundle/1';

/** A link one host should have, as `ip -details -json link show` reports it. */
export interface BundleLink {
  name: string;
  mode: string;
  /** Host at the other end, in the two-ended form. */
  peerHost: string | null;
  /** linkinfo.info_kind */
  kind: string;
  /** Entries of linkinfo.info_data that must match. */
  data: Readonly<Record<string, Scalar>>;
  mtu: number | null;
  addresses: InnerAddress[];
  routes: InnerRoute[];
  /** Commands whose success shows the tunnel carries traffic: pings to each peer, then the mode's own probes. */
  probes: VerifyProbe[];
}

/** Everything a machine needs to converge on its part of the spec without tungen installed. */
export interface HostBundle {
  target: string;
  /** The target's config folder; generated files in it that are not in `files` are stale. */
  configDir: string;
  /** Files by host path; contents null when the file must not exist. */
  files: DesiredFile[];
  /** Kernel modules to load now (the modules-load.d file in `files` loads them at boot). */
  modules: string[];
  links: BundleLink[];
}

export interface Bundle {
  format: typeof bundleFormat;
  spec: string;
  /** First words of every generated file: only files starting with them are replaced or removed. */
  header: string;
  hosts: Record<string, HostBundle>;
}

export interface BundleOptions {
  /** Target of hosts not named in `targets`. */
  target: string;
  /** Target per host, overriding `target`. */
  targets?: Readonly<Record<string, string>>;
  /** Only these hosts (default: every host of the spec). */
  hosts?: readonly string[];
  /** Pings per peer address in each probe. */
  count?: number;
}

/** Renders each host's files, modules, links and probes, for an engine that carries them to the hosts. */
export function buildBundle(spec: ValidSpec, options: BundleOptions): Bundle {
  const hosts: Record<string, HostBundle> = {};
  const count = options.count ?? verifyDefaults.count;
  for (const host of options.hosts ?? spec.hosts) {
    const target = options.targets?.[host] ?? options.target;
    const desired = desiredState(spec, target, host);
    const ends = new Map(spec.ends.filter((end) => end.host === host).map((end) => [end.name, end]));
    // The links are the kernel state apply converges on; the bundle adds the peer and verify's probes.
    const links = desiredKernelState(spec, host).links.map((link): BundleLink => {
      const end = ends.get(link.name)!;
      const pings = end.addresses
        .filter((a) => a.peer !== undefined)
        .map((a): VerifyProbe => ({
          label: `ping ${a.peer}`,
          command: pingCommand(end, a, count, 2),
          failure: `no reply from ${a.peer} through ${end.name}`,
        }));
      return {
        name: link.name,
        mode: link.mode,
        peerHost: end.peerHost ?? null,
        kind: link.kind,
        data: link.data,
        mtu: link.mtu ?? null,
        addresses: link.addresses,
        routes: link.routes,
        probes: [...pings, ...(end.plugin.expect(end).probes ?? [])],
      };
    });
    hosts[host] = {
      target,
      configDir: targetOf(target).configDir,
      files: desired.files,
      modules: desired.modules,
      links,
    };
  }
  return { format: bundleFormat, spec: spec.file, header: headerMarker, hosts };
}
