import { join } from 'node:path';
import { renderSpec, type ValidSpec } from '../api.js';
import { desiredKernelState, type DesiredLink } from './kernel-state.js';
import { headerFor } from '../render/render.js';
import { targets } from '../targets/index.js';
import type { FileMeta } from './commit.js';

/** A file tungen wants on the host, by host path; contents null when it must not exist. */
export interface DesiredFile {
  path: string;
  contents: string | null;
  /** Mode and owner to give it (a restored file keeps its own); otherwise a replaced file keeps its mode, a new one gets 0644. */
  meta?: FileMeta;
}

/** What one host's config should look like after apply. */
export interface DesiredState {
  target: string;
  host: string | undefined;
  files: DesiredFile[];
  /** Folders whose generated files that are not in `files` are stale and removed. */
  owned: string[];
  /** Kernel modules the tunnels need loaded now. */
  modules: string[];
  /**
   * The links the kernel should have, compared with its view of them; absent
   * when old files are put back (a rollback), where the files say what is wanted.
   */
  links?: DesiredLink[];
}

/** systemd-modules-load reads it at boot, so the modules survive a reboot. */
export const modulesFile = '/etc/modules-load.d/tungen.conf';

export function desiredState(spec: ValidSpec, target: string, host: string | undefined): DesiredState {
  const configDir = targetOf(target).configDir;
  const rendered = renderSpec(spec, target, { host });
  const kernel = desiredKernelState(spec, host);
  const modules = kernel.modules;
  const modulesContents = modules.length ? [headerFor(spec.file, host), ...modules, ''].join('\n') : null;
  return {
    target,
    host,
    files: [
      ...rendered.map((file) => ({ path: join(configDir, file.name), contents: file.contents })),
      { path: modulesFile, contents: modulesContents },
    ],
    owned: [configDir],
    modules,
    links: kernel.links,
  };
}

export function targetOf(name: string) {
  const target = Object.hasOwn(targets, name) ? targets[name] : undefined;
  if (!target) throw new Error(`unknown target ${JSON.stringify(name)}; targets: ${Object.keys(targets).join(', ')}`);
  return target;
}
