import type { TunnelEnd } from '../contract.js';

/** A file a target produces for one tunnel end, before templating. */
export interface FilePlan {
  /** File name inside the target's config folder. */
  name: string;
  /** Template name, e.g. 'networkd/netdev'. */
  template: string;
  /** Template context; every leaf value is checked by assertSafe before rendering. */
  context: Record<string, unknown>;
}

/** How one output format lays out a tunnel. Targets know formats, never modes. */
export interface Target {
  name: string;
  /** Where the files go on a host. */
  configDir: string;
  plan(end: TunnelEnd): FilePlan[];
}
