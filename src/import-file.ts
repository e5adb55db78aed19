/**
 * import() of a user's JavaScript file (a spec, a plugin package), in a module of its own: the
 * command line runs its bundle through node:vm to start from V8's code cache, and code compiled
 * that way cannot import() on Node 18 and 20, so the CLI's build swaps this module for one that
 * asks bin/tungen.js to import the file (see scripts/build.mjs). The library keeps this one.
 */
export function importFile(url: string): Promise<unknown> {
  return import(url);
}
