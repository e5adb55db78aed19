import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, readdir, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { headerMarker, type RenderedFile } from '../render/render.js';

/** A rendered file placed under an output folder. */
export interface PlacedFile extends RenderedFile {
  /** Path relative to the output folder: NAME, or HOST/NAME when several hosts are emitted. */
  path: string;
}

/** Emitting several hosts at once puts each in its own folder; one host writes straight into the folder. */
export function placeFiles(files: readonly RenderedFile[], perHost: boolean): PlacedFile[] {
  return files.map((file) => ({
    ...file,
    path: perHost && file.host !== undefined ? `${file.host}/${file.name}` : file.name,
  }));
}

// node:crypto (and the stream modules it pulls in) only for --json manifests, not on every start.
let crypto: typeof import('node:crypto') | undefined;

export function sha256(text: string): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
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

/** Runs `task` over `items` with at most `limit` in flight: thousands of files, without thousands of open descriptors. */
export async function inBatches<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
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

/** Generated files in the folders `files` go to that `files` no longer contains. */
export async function staleFiles(dir: string, files: readonly PlacedFile[]): Promise<string[]> {
  const wanted = new Set(files.map((f) => f.path));
  const folders = new Set(files.map((f) => dirname(f.path)));
  if (folders.size === 0) folders.add('.');
  const stale: string[] = [];
  for (const folder of folders) {
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

/**
 * Writes the files and removes tungen's stale ones; files with unchanged content
 * are left untouched, so their mtime says when they last really changed.
 *
 * Plain synchronous calls: a generated file is a few hundred bytes, and each
 * asynchronous call would pay a thread-pool round trip (open, write, close)
 * that costs more than the write itself.
 */
export async function writeFiles(
  dir: string,
  files: readonly PlacedFile[],
): Promise<{ written: string[]; removed: string[] }> {
  const places = destinations(dir, files, true);
  const written: string[] = [];
  files.forEach((file, i) => {
    const place = places[i]!;
    if (currentText(place) === file.contents) return;
    writeFileSync(place.path, file.contents);
    written.push(file.path);
  });
  const removed = await staleFiles(dir, files);
  await Promise.all(removed.map((path) => unlink(join(dir, path))));
  return { written: written.sort(), removed };
}

export interface Drift {
  missing: string[];
  changed: string[];
  stale: string[];
}

/** What differs between the folder and the files that would be written. */
export async function driftOf(dir: string, files: readonly PlacedFile[]): Promise<Drift> {
  const drift: Drift = { missing: [], changed: [], stale: [] };
  const places = destinations(dir, files, false);
  files.forEach((file, i) => {
    const current = currentText(places[i]!);
    if (current === undefined) drift.missing.push(file.path);
    else if (current !== file.contents) drift.changed.push(file.path);
  });
  drift.stale = await staleFiles(dir, files);
  drift.missing.sort();
  drift.changed.sort();
  return drift;
}
