/** tungen's library API: load, validate and render tunnel specs. */
export type * from './contract.js';
export { checkSpec, kernelModules, renderSpec, validateSpec, type RenderOptions, type ValidSpec } from './api.js';
export { formatPath, formatProblem, SpecError, SpecMissingError, type Problem, type Severity } from './diagnostics.js';
export { coreRules, type CoreRule } from './rules.js';
export { loadSpec, readSpecFile, searchPlaces, type LoadedSpec } from './spec/load.js';
export { headerFor, headerMarker, type RenderedFile } from './render/render.js';
export { targets, targetNames, type Target } from './targets/index.js';
export { builtinPlugins, type PluginSet } from './plugins/registry.js';
export * as pluginKit from './plugin-kit.js';
export type { RawSpec, RawTunnel, RawEnd, RawHost } from './spec/types.js';
// Applying, verifying and trying a spec on the machine it describes.
export * from './host/index.js';
