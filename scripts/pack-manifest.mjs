// npm pack and npm publish run `prepack` before reading the files to pack and
// `postpack` after. The package.json in the tarball must not name `prepare`:
// npm lists a packed package's `prepare` among the install scripts of whoever
// installs it (a warning on every install), and it runs scripts/build.mjs,
// which is not shipped. A clone still needs `prepare`, though: npm runs it
// when it installs from a git URL, and `npm install` in a clone builds dist/
// that way. So `strip` keeps the checkout's package.json aside and writes the
// one to pack, without the scripts (none of them is for users); `restore`
// puts the original back. `strip` restores first, so a pack that was
// interrupted leaves nothing behind at the next one.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'package.json');
const kept = join(root, '.cache/pack/package.json');

async function restore() {
  if (existsSync(kept)) await rename(kept, manifest);
  await rm(dirname(kept), { recursive: true, force: true });
}

async function strip() {
  await restore();
  const text = await readFile(manifest, 'utf8');
  const packed = JSON.parse(text);
  delete packed.scripts;
  await mkdir(dirname(kept), { recursive: true });
  await writeFile(kept, text);
  await writeFile(manifest, `${JSON.stringify(packed, null, 2)}\n`);
}

const mode = process.argv[2];
if (mode === 'strip') await strip();
else if (mode === 'restore') await restore();
else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exitCode = 2;
}
