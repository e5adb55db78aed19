/** Applying, verifying and trying a spec on the machine it describes. */
export {
  applyPlan,
  applySpec,
  planSpec,
  type ApplyResult,
  type ApplySpecOptions,
  type FilesStatus,
  type StepResult,
} from './apply.js';
export type { LinkAction, LinkSituation, Step } from './activation.js';
export { commitChanges, CommitError, type FileAction, type FileChange, type FileMeta } from './commit.js';
export { hostContext, type HostContext } from './context.js';
export { desiredState, modulesFile, type DesiredFile, type DesiredState } from './desired.js';
export { unifiedDiff } from './diff.js';
export { HostError, HostUsageError } from './errors.js';
export { nodeFileOps, type FileOps, type FileStat, type Owner } from './file-ops.js';
export {
  desiredKernelState,
  kernelDrift,
  observeLink,
  observeLinks,
  routeChecks,
  type DesiredKernelState,
  type DesiredLink,
  type Drift,
  type IpRoute,
  type ObservedLink,
} from './kernel-state.js';
export { pendingTryFile, readPendingTry, type PendingTry } from './pending-try.js';
export { HostSystemError, systemFailure } from './system-errors.js';
export { acquireLock, lockFile, LockHeldError, type LockHolder } from './lock.js';
export { planApply, type ApplyPlan } from './plan.js';
export { appliedData, formatApplied, formatCheck, formatPlan, outOfSync, planData } from './plan-report.js';
export { showCommand, systemRunner, type CommandResult, type CommandRunner, type RunOptions } from './runner.js';
export { selectHost } from './select-host.js';
export { previousState, rollbackPendingTry, trySpec, type ConfirmBy, type TryOptions, type TryResult } from './try.js';
export {
  verifyDefaults,
  verifyEnds,
  verifySpec,
  type TunnelReport,
  type VerifyOptions,
  type VerifyReport,
} from './verify.js';
export type { CheckResult, CheckStatus } from './verify-checks.js';
export { formatVerify } from './verify-report.js';
