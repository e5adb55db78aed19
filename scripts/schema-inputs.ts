// What scripts/build.mjs needs to write the schema and compile its validators;
// bundled by esbuild and run at build time, never shipped.
export { assembleSchema } from '../src/schema/assemble.js';
export { createAjv } from '../src/schema/compile.js';
export { builtinModes } from '../plugins/index.js';
export { publishedSchema } from '../src/schema/publish.js';
