import { posix } from 'node:path';
import { headerMarker } from '../render/render.js';
import { activationOf } from './activations.js';
import { interfaceOfChange, type Activation, type LinkAction, type LinkSituation, type Step } from './activation.js';
import { kernelDrift, observeLinks, type DesiredLink, type Drift } from './kernel-state.js';
import type { FileChange, FileMeta } from './commit.js';
import { isTempName } from './file-ops.js';
import { systemFailure } from './system-errors.js';
import { underRoot, type HostContext } from './context.js';
import { targetOf, type DesiredFile, type DesiredState } from './desired.js';

/** Everything an apply would do, computed without changing anything. */
export interface ApplyPlan {
  target: string;
  host: string | undefined;
  root: string;
  changes: FileChange[];
  /** Host paths of files already as wanted. */
  unchanged: string[];
  links: LinkAction[];
  /** Commands in the order they run. */
  steps: Step[];
  /** Worth knowing, not in the way. */
  notes: string[];
  /** Reasons apply refuses to run; nothing is changed while there are any. */
  problems: string[];
  /** Where the kernel differs from the spec before the plan runs. */
  drift: Drift[];
  /** Links whose files are as wanted but whose kernel state is not: what only a kernel check finds. */
  kernelOnly: string[];
  /** The links as the kernel should show them afterwards (none when the plan restores old files). */
  expected: DesiredLink[];
}

const isGenerated = (contents: string) => contents.startsWith(headerMarker);

/** A file as it is on the host: its text and mode when it is a regular file. */
interface Found {
  contents: string | null;
  meta?: FileMeta;
  /** What is there instead of a regular file. */
  other?: string;
}

async function readTarget(context: HostContext, path: string): Promise<Found> {
  const target = underRoot(context, path);
  try {
    const stat = await context.files.lstat(target);
    if (stat === null) return { contents: null };
    if (stat.kind !== 'file')
      return {
        contents: null,
        other:
          stat.kind === 'other'
            ? 'a device, socket or pipe'
            : `a ${stat.kind === 'symlink' ? 'symbolic link' : 'directory'}`,
      };
    return { contents: await context.files.readFile(target), meta: { mode: stat.mode, uid: stat.uid, gid: stat.gid } };
  } catch (error) {
    throw systemFailure(error, { doing: 'reading the current files', path: target, changed: false });
  }
}

export async function planApply(context: HostContext, desired: DesiredState): Promise<ApplyPlan> {
  const { changes, unchanged, problems } = await fileChanges(context, desired);
  const configDir = targetOf(desired.target).configDir;
  const activation = activationOf(desired.target);
  const { links: situations, drift, others } = await linkSituations(context, desired, activation, changes, configDir);
  const plan = await activation.plan(situations, others, context);
  const modprobe = await modulesToLoad(context, desired.modules);
  const steps = [
    ...modprobe.map((m): Step => ({ argv: ['modprobe', m], phase: 'before', required: true })),
    ...plan.steps,
  ];
  return {
    target: desired.target,
    host: desired.host,
    root: context.root,
    changes,
    unchanged,
    drift,
    kernelOnly: situations.filter((l) => l.drift.length && !l.changes.length).map((l) => l.name),
    links: plan.links,
    steps: [...steps.filter((s) => s.phase === 'before'), ...steps.filter((s) => s.phase === 'after')],
    notes: plan.notes,
    problems: [...problems, ...plan.problems],
    expected: desired.links ?? [],
  };
}

/**
 * Every link the plan is about: the spec's tunnels (compared with the
 * kernel's view of them) and the links of files that change or go away.
 */
async function linkSituations(
  context: HostContext,
  desired: DesiredState,
  activation: Activation,
  changes: readonly FileChange[],
  configDir: string,
): Promise<{ links: LinkSituation[]; drift: Drift[]; others: FileChange[] }> {
  const byName = new Map<string, LinkSituation>();
  const others: FileChange[] = [];
  const situation = (name: string) => {
    let found = byName.get(name);
    if (!found) byName.set(name, (found = { name, wanted: false, exists: false, drift: [], changes: [] }));
    return found;
  };
  for (const change of changes) {
    if (posix.dirname(change.path) !== configDir) continue;
    const name = interfaceOfChange(activation, change);
    if (name === undefined) {
      others.push(change);
      continue;
    }
    situation(name).changes.push(change);
    // Restoring old files (a rollback): what the files say is what is wanted.
    if (desired.links === undefined && change.after !== null) situation(name).wanted = true;
  }
  for (const link of desired.links ?? []) situation(link.name).wanted = true;
  const wantedLinks = new Map((desired.links ?? []).map((l) => [l.name, l]));
  const drift: Drift[] = [];
  const kernel = await observeLinks(context);
  for (const link of byName.values()) {
    const observed = kernel.get(link.name) ?? null;
    link.exists = observed !== null;
    const want = wantedLinks.get(link.name);
    if (want) link.drift = kernelDrift(want, observed);
    else if (!link.wanted && observed !== null && desired.links !== undefined)
      link.drift = [{ link: link.name, level: 'netdev', detail: 'link: expected none, found one' }];
    drift.push(...link.drift);
  }
  return { links: [...byName.values()], drift, others };
}

/** Compares the wanted files with the host's; files tungen did not generate, and anything but regular files, are never changed. */
async function fileChanges(context: HostContext, desired: DesiredState) {
  const changes: FileChange[] = [];
  const unchanged: string[] = [];
  const problems: string[] = [];
  const wanted = [...desired.files, ...(await staleFiles(context, desired))];
  for (const file of wanted) {
    const found = await readTarget(context, file.path);
    const meta = file.meta ?? found.meta;
    if (found.other !== undefined) {
      if (file.contents !== null) problems.push(notAFile(context, file.path, found.other));
    } else if (found.contents === file.contents && (file.meta === undefined || sameMeta(file.meta, found.meta))) {
      if (found.contents !== null) unchanged.push(file.path);
    } else if (found.contents !== null && !isGenerated(found.contents)) {
      // A file of the same name that someone else wrote: leave it, and say so when tungen needs the name.
      if (file.contents !== null) problems.push(notOurs(context, file.path));
    } else {
      changes.push({
        path: file.path,
        action: found.contents === null ? 'add' : file.contents === null ? 'remove' : 'change',
        before: found.contents,
        after: file.contents,
        ...(found.meta && { beforeMeta: found.meta }),
        ...(meta && file.contents !== null && { afterMeta: meta }),
      });
    }
  }
  return { changes, unchanged, problems };
}

const sameMeta = (a: FileMeta, b: FileMeta | undefined) =>
  b !== undefined && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid;

function notOurs(context: HostContext, path: string): string {
  return `${underRoot(context, path)} exists and was not generated by tungen (it does not start with "${headerMarker}"); tungen will not overwrite it: move it away, then apply again`;
}

function notAFile(context: HostContext, path: string, what: string): string {
  return `${underRoot(context, path)} is ${what}, not a file tungen generated; tungen only replaces its own regular files and changed nothing: move it away, then apply again`;
}

/** Generated regular files in the owned folders that the desired state no longer lists. */
async function staleFiles(context: HostContext, desired: DesiredState): Promise<DesiredFile[]> {
  const listed = new Set(desired.files.map((f) => f.path));
  const stale: DesiredFile[] = [];
  for (const dir of desired.owned) {
    let names: string[];
    try {
      names = await context.files.readdir(underRoot(context, dir));
    } catch (error) {
      throw systemFailure(error, { doing: 'listing the current files', path: underRoot(context, dir), changed: false });
    }
    for (const name of names.sort()) {
      const path = posix.join(dir, name);
      if (listed.has(path) || isTempName(name)) continue;
      const found = await readTarget(context, path);
      if (found.contents !== null && isGenerated(found.contents)) stale.push({ path, contents: null });
    }
  }
  return stale;
}

async function modulesToLoad(context: HostContext, modules: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of modules) if (!(await context.moduleLoaded(name))) missing.push(name);
  return missing;
}
