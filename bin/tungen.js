#!/usr/bin/env node
'use strict';
/*
 * Runs the command line, dist/cli.cjs, compiled from the V8 code cache the build writes beside
 * it (cli.cjs.cache, and one per validator in dist/validators): a start then skips parsing and
 * compiling the code that runs, which is most of what checking a small spec costs. V8 refuses a
 * cache made by another V8 version, for another source or under other V8 flags, and the file
 * is then compiled from its source as usual. This file is CommonJS (bin/package.json): Node
 * starts a CommonJS entry faster than an ES module, and code compiled through node:vm cannot
 * import(), so the bundle's import() of a user's file (a JavaScript spec, a plugin) is made here.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

// Rendering and writing a file leaves several times its size in garbage, and V8 lets the heap
// grow far past what is live before it collects: over 200 MiB of peak memory for 20,000
// tunnels. A smaller growth step keeps that near 170 MiB for about the same time; a small
// spec never collects enough for it to matter. Set before anything is compiled: V8 accepts a
// code cache only under the flags it was written with, and the build writes it through here.
setFlagsFromString('--heap-growing-percent=50');
// V8 hands a function to its optimizing compiler (TurboFan, on a background thread) once its
// calls and loops have used up a budget of bytecode. A run of tungen is over in tens to hundreds
// of milliseconds, mostly before such code would pay back its compiling, and on a machine with
// two cores the compiler threads take the core the main thread needs: with Node 20's budget
// (67584) a 50-tunnel validate had js-yaml's scalar reader compiled for its last few calls, and
// emit --out of 2,000 tunnels waited about 20 ms for a core. Sixteen times that budget: emit
// --out of 2,000 tunnels 15-30 ms faster than with twice it (the value before; 137-141 against
// 152-170 ms), validate of 50 the same, 20,000 tunnels 5-10% slower (their loops reach TurboFan
// later).
setFlagsFromString('--interrupt-budget=1081344');
// V8's young generation starts at 1 MiB a semi-space and doubles whenever most of it survives
// a scavenge, up to 16 MiB. A spec's parsed data and expanded tunnels survive until the process
// ends, so it grew to the top: 20-40 MiB of pages touched to copy them back and forth. Kept at
// its first size, it hands them to the old generation early: 20,000 tunnels peak at 124-133 MiB
// instead of 154-162, and 2,000 cost the main thread 3 ms less (fewer page faults).
setFlagsFromString('--semi-space-growth-factor=1');

const cliFile = path.join(__dirname, '../dist/cli.cjs');
const nodeRequire = createRequire(cliFile);
/** @type {Map<string, { exports: any, script: import('node:vm').Script, cached: 'accepted' | 'rejected' | 'none' }>} */
const loaded = new Map();

const importFile = (/** @type {string} */ url) => import(url);

/** require() inside dist/: the bundle's own files through load, anything else (Node's built-ins) through Node. */
function requireFrom(/** @type {string} */ dir) {
  return (/** @type {string} */ id) =>
    id.startsWith('./') && id.endsWith('.cjs') ? load(path.join(dir, id)) : nodeRequire(id);
}

/** Runs a CommonJS file of dist/ as Node would, compiled from its code cache when V8 accepts it. */
function load(/** @type {string} */ file) {
  const done = loaded.get(file);
  if (done) return done.exports;
  const source = readFileSync(file, 'utf8');
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache (a build that wrote none): compiled from source.
  }
  // The build writes the bundle as this function already; a validator is wrapped here, on its
  // first line, so line numbers in stack traces stay right.
  const wrapped =
    file === cliFile
      ? source
      : `(function (exports, require, module, __filename, __dirname, __tungenImportFile) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const cached = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const module = { exports: {}, script, cached };
  loaded.set(file, module);
  const dir = path.dirname(file);
  script.runInThisContext().call(module.exports, module.exports, requireFrom(dir), module, file, dir, importFile);
  return module.exports;
}

/**
 * For the build: runs the command line once per argument list, in this process, then writes the
 * code cache of every file it compiled, holding the code of every function that ran.
 */
async function writeCodeCaches(/** @type {string[][]} */ runs) {
  const { main } = load(cliFile);
  for (const argv of runs) {
    const code = await main(argv);
    if (code !== 0) throw new Error(`tungen ${argv.join(' ')} exited with ${code}`);
  }
  for (const [file, { script }] of loaded) writeFileSync(`${file}.cache`, script.createCachedData());
}

/** For tests: runs the command line in this process; returns its exit code and what V8 did with each cache. */
async function runWithCacheReport(/** @type {string[]} */ argv) {
  const code = await load(cliFile).main(argv);
  return { code, caches: Object.fromEntries([...loaded].map(([file, { cached }]) => [file, cached])) };
}

if (require.main === module) {
  load(cliFile)
    .main(process.argv.slice(2))
    .then((/** @type {number} */ code) => {
      process.exitCode = code;
    });
} else {
  module.exports = { writeCodeCaches, runWithCacheReport };
}
