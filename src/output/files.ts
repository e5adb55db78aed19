import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { open, readdir, unlink } from 'node:fs/promises';
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { headerMarker, type RenderedFile } from '../render/render.js';

/** A rendered file placed under an output folder. */
export interface PlacedFile extends RenderedFile {
  /** Path relative to the output folder: NAME, or HOST/NAME when several hosts are emitted. */
  path: string;
}

/**
 * Emitting several hosts at once puts each in its own folder; one host writes straight into the
 * folder. The fields are copied by name: copying by spread cost several times as much for the
 * thousands of files of a big spec.
 */
export function placeFiles(files: readonly RenderedFile[], perHost: boolean): PlacedFile[] {
  return files.map(({ host, tunnel, target, name, contents }) => ({
    host,
    tunnel,
    target,
    name,
    contents,
    path: perHost && host !== undefined ? `${host}/${name}` : name,
  }));
}

// node:crypto (and the stream modules it pulls in) only for --json manifests, not on every start.
let crypto: typeof NodeCrypto | undefined;

function sha256(text: string): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  return crypto.createHash('sha256').update(text).digest('hex');
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  tunnel: string;
  host: string | null;
  target: string;
}

export function manifest(files: readonly PlacedFile[]): ManifestEntry[] {
  return files.map((f) => ({
    path: f.path,
    sha256: sha256(f.contents),
    tunnel: f.tunnel,
    host: f.host ?? null,
    target: f.target,
  }));
}

/** Whether a file starts with tungen's header, i.e. is one tungen may replace or remove. */
export async function isGenerated(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(headerMarker.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8') === headerMarker;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/**
 * Generated files that `files` no longer contains: in the folders `files` go
 * to, in the output folder itself, and, when each host has its own folder
 * (`perHost`), in every folder of a host the spec no longer has.
 */
async function staleFiles(dir: string, files: readonly PlacedFile[], perHost = false): Promise<string[]> {
  const wanted = new Set(files.map((f) => f.path));
  const folders = new Set(files.map((f) => dirname(f.path)));
  folders.add('.');
  if (perHost) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) folders.add(entry.name);
  }
  const stale: string[] = [];
  for (const folder of [...folders].sort()) {
    let names: string[];
    try {
      names = await readdir(join(dir, folder));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const path = folder === '.' ? name : `${folder}/${name}`;
      if (!wanted.has(path) && (await isGenerated(join(dir, path)))) stale.push(path);
    }
  }
  return stale;
}

interface Destination {
  /** join(dir, file.path) */
  path: string;
  /** Names already in the file's folder; undefined when the folder could not be listed. */
  listing: ReadonlySet<string> | undefined;
  name: string;
}

/**
 * Where each file goes, with the names already in its folder, so only files
 * that exist are read: a fresh folder costs no reads. Each folder is joined,
 * created (with `create`) and listed once; a plain file name is appended to
 * it, which gives the same string as join(dir, file.path) without normalising
 * every path again. A folder that cannot be listed lists nothing, and its
 * files are simply tried.
 */
function destinations(dir: string, files: readonly PlacedFile[], create: boolean): Destination[] {
  const folders = new Map<string, { path: string; listing: Set<string> | undefined }>();
  return files.map((file) => {
    const slash = file.path.lastIndexOf('/');
    const name = file.path.slice(slash + 1);
    if (name === '' || name === '.' || name === '..') {
      const path = join(dir, file.path);
      if (create) mkdirSync(dirname(path), { recursive: true });
      return { path, listing: undefined, name };
    }
    const key = slash < 0 ? '' : file.path.slice(0, slash);
    let folder = folders.get(key);
    if (!folder) {
      const path = dirname(join(dir, file.path));
      if (create) mkdirSync(path, { recursive: true });
      let listing: Set<string> | undefined;
      try {
        listing = new Set(readdirSync(path));
      } catch (error) {
        listing = (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Set() : undefined;
      }
      folders.set(key, (folder = { path, listing }));
    }
    const path = folder.path === '.' ? name : folder.path === '/' ? `/${name}` : `${folder.path}/${name}`;
    return { path, listing: folder.listing, name };
  });
}

/** A file's text, or undefined when it is absent or cannot be read. */
function currentText({ path, listing, name }: Destination): string | undefined {
  if (listing && !listing.has(name)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The output folder cannot be used or written; nothing was changed. One line for the user. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** File systems where writing hangs, fails oddly or changes the kernel rather than storing a file. */
const specialRoots = ['/proc', '/sys', '/dev'];

/** What a synchronous file call returned, or the error it threw. */
function resultOrError<T>(call: () => T): T | NodeJS.ErrnoException {
  try {
    return call();
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

/**
 * Checks that `dir` can take the files before anything is written: it is a
 * folder (or can be made in one), writable, and not on /proc, /sys or /dev.
 * Only to read it (`write` false), it must be a folder or not exist yet.
 * Returns whether `dir` itself exists already.
 *
 * Synchronous, like the writes: a few calls on paths, where the first asynchronous
 * file call of a process would load node:fs/promises and start the thread pool.
 */
function checkOutputFolder(dir: string, write = true): boolean {
  const absolute = resolve(dir);
  let existing = absolute;
  // The nearest folder that exists: the rest is created.
  for (;;) {
    const found = resultOrError(() => lstatSync(existing));
    if (!(found instanceof Error)) {
      if (found.isSymbolicLink() && resultOrError(() => statSync(existing)) instanceof Error)
        throw new OutputError(`--out ${dir}: ${existing} is a symbolic link to nothing`);
      break;
    }
    if (found.code !== 'ENOENT')
      throw new OutputError(`--out ${dir}: cannot use ${existing}: ${found.code ?? found.message}`);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  const realOrError = resultOrError(() => realpathSync(existing));
  const real = realOrError instanceof Error ? existing : realOrError;
  if (specialRoots.some((root) => real === root || real.startsWith(`${root}/`))) {
    throw new OutputError(
      `--out ${dir}: ${real} is on a special file system (${specialRoots.join(', ')}); choose a folder for files`,
    );
  }
  const info = statSync(existing);
  if (!write && existing !== absolute) return false;
  if (!info.isDirectory()) {
    throw new OutputError(
      existing === absolute
        ? `--out ${dir}: not a folder`
        : `--out ${dir}: ${existing} is not a folder, so the folder cannot be made in it`,
    );
  }
  if (!write) return true;
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new OutputError(`--out ${dir}: ${existing} is not writable`);
  }
  return existing === absolute;
}

let tempCounter = 0;

/**
 * Writes the files and removes tungen's stale ones, all or nothing: the
 * folder is checked, every changed file is first written beside its target
 * under a temporary name (which neither networkd nor ifupdown reads), and only
 * when all of them are there are they renamed into place. When staging fails,
 * the temporary files and the folders made for them are removed and the
 * folder is as before; when a rename fails, the files already renamed get
 * their previous contents back. Files with unchanged content are not touched,
 * so their mtime says when they last really changed.
 *
 * Plain synchronous calls: a generated file is a few hundred bytes, and each
 * asynchronous call would pay a thread-pool round trip (open, write, close)
 * that costs more than the write itself.
 */
export async function writeFiles(
  dir: string,
  files: readonly PlacedFile[],
  perHost = false,
): Promise<{ written: string[]; removed: string[] }> {
  if (!checkOutputFolder(dir) && files.every((f) => plainPath.test(f.path))) return writeNewFolder(dir, files);
  const places = destinations(dir, files, false);
  const changes: Array<{
    file: PlacedFile;
    target: string;
    before: string | undefined;
    /** The name was in its folder's listing (or the folder could not be listed): it may be anything. */
    listed: boolean;
    temp?: string;
  }> = [];
  files.forEach((file, i) => {
    const place = places[i]!;
    const before = currentText(place);
    if (before === file.contents) return;
    changes.push({ file, target: place.path, before, listed: !place.listing || place.listing.has(place.name) });
  });
  const removed = await staleFiles(dir, files, perHost);

  const madeFolders: string[] = [];
  try {
    const folders = new Set(changes.map((c) => dirname(c.target)));
    for (const folder of folders) {
      let made;
      try {
        made = mkdirSync(folder, { recursive: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTDIR')
          throw new Error(`${folder} cannot be a folder: a file is in the way`);
        throw error;
      }
      if (made !== undefined) madeFolders.push(made);
    }
    for (const change of changes) {
      // A name its folder did not list is new: nothing there to look at. Should something
      // appear there before the rename, the rename fails and every file goes back.
      const existing = change.listed ? lstatOrUndefined(change.target) : undefined;
      if (existing && !existing.isFile())
        throw new Error(`${change.file.path} is ${existing.isDirectory() ? 'a folder' : 'not a file'}`);
      change.temp = join(
        dirname(change.target),
        `.${basename(change.target)}.tungen-${process.pid}-${tempCounter++}.tmp`,
      );
      writeFileSync(change.temp, change.file.contents, { flag: 'wx' });
    }
  } catch (error) {
    for (const change of changes) if (change.temp) rmSync(change.temp, { force: true });
    for (const folder of madeFolders.reverse()) rmSync(folder, { recursive: true, force: true });
    throw new OutputError(`nothing was written to ${dir}: ${describeError(error)}`);
  }

  const done: typeof changes = [];
  try {
    for (const change of changes) {
      renameSync(change.temp!, change.target);
      done.push(change);
    }
  } catch (error) {
    for (const change of changes) if (!done.includes(change)) rmSync(change.temp!, { force: true });
    for (const change of done.reverse()) {
      if (change.before === undefined) rmSync(change.target, { force: true });
      else writeFileSync(change.target, change.before);
    }
    throw new OutputError(`nothing was written to ${dir} (the files changed so far are back): ${describeError(error)}`);
  }
  const failed: string[] = [];
  for (const path of removed) await unlink(join(dir, path)).catch(() => failed.push(path));
  if (failed.length) throw new OutputError(`wrote ${dir}, but could not remove stale ${failed.join(', ')}`);
  return { written: changes.map((c) => c.file.path).sort(), removed };
}

/** NAME or FOLDER/.../NAME, with no empty, "." or ".." part: it stays inside the folder it is joined to. */
const plainPath = /^(?!\.\.?(?:\/|$))[^/]+(?:\/(?!\.\.?(?:\/|$))[^/]+)*$/;

/**
 * Writes a folder that does not exist yet, all or nothing: the whole tree is made
 * beside it under a temporary name (our own fresh folder, so no file in it needs a
 * look before it is written or a rename of its own) and renamed into place at once.
 * When anything fails, the temporary tree and the parent folders made for it go,
 * and nothing is left.
 */
function writeNewFolder(dir: string, files: readonly PlacedFile[]): { written: string[]; removed: string[] } {
  const absolute = resolve(dir);
  const parent = dirname(absolute);
  let madeParent: string | undefined;
  let stage: string | undefined;
  try {
    madeParent = mkdirSync(parent, { recursive: true });
    stage = join(parent, `.${basename(absolute)}.tungen-${process.pid}-${tempCounter++}.tmp`);
    mkdirSync(stage);
    const folders = new Map<string, string>();
    for (const file of files) {
      const slash = file.path.lastIndexOf('/');
      const key = slash < 0 ? '' : file.path.slice(0, slash);
      let folder = folders.get(key);
      if (folder === undefined) {
        folder = join(stage, key);
        if (key !== '') mkdirSync(folder, { recursive: true });
        folders.set(key, folder);
      }
      writeFileSync(`${folder}/${file.path.slice(slash + 1)}`, file.contents);
    }
    renameSync(stage, absolute);
  } catch (error) {
    if (stage !== undefined) rmSync(stage, { recursive: true, force: true });
    if (madeParent !== undefined) rmSync(madeParent, { recursive: true, force: true });
    throw new OutputError(`nothing was written to ${dir}: ${describeError(error)}`);
  }
  return { written: files.map((f) => f.path).sort(), removed: [] };
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** An error's code and path, the way a user reads it, without a stack. */
function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code && e.path) return `${e.code} on ${e.path}`;
  return e.message ?? String(error);
}

export interface Drift {
  missing: string[];
  changed: string[];
  stale: string[];
}

/** What differs between the folder and the files that would be written. */
export async function driftOf(dir: string, files: readonly PlacedFile[], perHost = false): Promise<Drift> {
  checkOutputFolder(dir, false);
  const drift: Drift = { missing: [], changed: [], stale: [] };
  const places = destinations(dir, files, false);
  files.forEach((file, i) => {
    const current = currentText(places[i]!);
    if (current === undefined) drift.missing.push(file.path);
    else if (current !== file.contents) drift.changed.push(file.path);
  });
  drift.stale = await staleFiles(dir, files, perHost);
  drift.missing.sort();
  drift.changed.sort();
  return drift;
}
