import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { headerMarker, type RenderedFile } from '../render/render.js';

/** A rendered file placed under an output folder. */
export interface PlacedFile extends RenderedFile {
  /** Path relative to the output folder: NAME, or HOST/NAME when several hosts are emitted. */
  path: string;
}

/** Emitting several hosts at once puts each in its own folder; one host writes straight into the folder. */
export function placeFiles(files: readonly RenderedFile[], perHost: boolean): PlacedFile[] {
  return files.map((file) => ({ ...file, path: perHost && file.host !== undefined ? `${file.host}/${file.name}` : file.name }));
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export interface ManifestEntry {
  path: string;
  sha256: string;
  tunnel: string;
  host: string | null;
  target: string;
}

export function manifest(files: readonly PlacedFile[]): ManifestEntry[] {
  return files.map((f) => ({ path: f.path, sha256: sha256(f.contents), tunnel: f.tunnel, host: f.host ?? null, target: f.target }));
}

/** Runs `task` over `items` with at most `limit` in flight: thousands of files, without thousands of open descriptors. */
export async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
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

/** Writes the files and removes tungen's stale ones; files with unchanged content are left untouched. */
export async function writeFiles(dir: string, files: readonly PlacedFile[]): Promise<{ written: string[]; removed: string[] }> {
  const folders = [...new Set(files.map((f) => dirname(join(dir, f.path))))];
  await Promise.all(folders.map((folder) => mkdir(folder, { recursive: true })));
  const written: string[] = [];
  await inBatches(files, 64, async (file) => {
    const path = join(dir, file.path);
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === file.contents) return;
    await writeFile(path, file.contents);
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
  await inBatches(files, 64, async (file) => {
    const current = await readFile(join(dir, file.path), 'utf8').catch(() => undefined);
    if (current === undefined) drift.missing.push(file.path);
    else if (current !== file.contents) drift.changed.push(file.path);
  });
  drift.stale = await staleFiles(dir, files);
  drift.missing.sort();
  drift.changed.sort();
  return drift;
}
