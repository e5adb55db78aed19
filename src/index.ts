/** tungen's library API: load, validate and render tunnel specs. */
export type * from './contract.js';
export {
  checkSpec,
  emitFiles,
  kernelModules,
  renderSpec,
  validateSpec,
  type RenderOptions,
  type ValidSpec,
} from './api.js';
export { formatPath, formatProblem, SpecError, SpecMissingError, type Problem, type Severity } from './diagnostics.js';
export { coreRules, type CoreRule } from './rules.js';
export { loadSpec, readSpecFile, searchPlaces, type LoadedSpec } from './spec/load.js';
export { headerFor, headerMarker, type RenderedFile } from './render/render.js';
// Writing an output folder and checking it for drift, as `emit --out` and `emit --check` do.
export {
  driftOf,
  isGenerated,
  manifest,
  placeFiles,
  writeFiles,
  type Drift as FolderDrift,
  type ManifestEntry,
  type PlacedFile,
} from './output/files.js';
export { targets, targetNames, type Target } from './targets/index.js';
export { builtinPlugins, type PluginSet } from './plugins/registry.js';
export * as pluginKit from './plugin-kit.js';
export type { RawSpec, RawTunnel, RawEnd, RawHost } from './spec/types.js';
/*
 * Applying, verifying and trying a spec on the machine it describes: what a caller of
 * apply, verify and try needs, with the context to run them in, their results, their
 * errors and the CLI's way of printing them. How they work inside (plans, commits,
 * kernel state, locks, pending tries) stays internal and may change in any release.
 */
export {
  applyPlan,
  applySpec,
  formatApplied,
  formatPlan,
  formatVerify,
  hostContext,
  HostError,
  HostSystemError,
  HostUsageError,
  LockHeldError,
  planSpec,
  rollbackPendingTry,
  trySpec,
  verifySpec,
  type ApplyPlan,
  type ApplyResult,
  type ApplySpecOptions,
  type CheckResult,
  type CheckStatus,
  type CommandResult,
  type CommandRunner,
  type ConfirmBy,
  type FileOps,
  type FileStat,
  type FilesStatus,
  type HostContext,
  type Owner,
  type RunOptions,
  type StepResult,
  type TryOptions,
  type TryResult,
  type TunnelReport,
  type VerifyOptions,
  type VerifyReport,
} from './host/index.js';
