import { join } from 'node:path';
import { kernelModules, renderSpec, type ValidSpec } from '../api.js';
import { headerFor } from '../render/render.js';
import { targets } from '../targets/index.js';

/** A file tungen wants on the host, by host path; contents null when it must not exist. */
export interface DesiredFile {
  path: string;
  contents: string | null;
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
}

/** systemd-modules-load reads it at boot, so the modules survive a reboot. */
export const modulesFile = '/etc/modules-load.d/tungen.conf';

export function desiredState(spec: ValidSpec, target: string, host: string | undefined): DesiredState {
  const configDir = targetOf(target).configDir;
  const rendered = renderSpec(spec, target, { host });
  const modules = kernelModules(spec, host);
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
  };
}

export function targetOf(name: string) {
  const target = targets[name];
  if (!target) throw new Error(`unknown target ${JSON.stringify(name)}; targets: ${Object.keys(targets).join(', ')}`);
  return target;
}
