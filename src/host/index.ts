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
export { type FileAction, type FileChange, type FileMeta } from './commit.js';
export { hostContext, type HostContext } from './context.js';
export { type DesiredFile, type DesiredState } from './desired.js';
export { HostError, HostUsageError } from './errors.js';
export { type FileOps, type FileStat, type Owner } from './file-ops.js';
export {
  type DesiredKernelState,
  type DesiredLink,
  type Drift,
  type IpRoute,
  type ObservedLink,
} from './kernel-state.js';
export { type PendingTry } from './pending-try.js';
export { HostSystemError } from './system-errors.js';
export { LockHeldError, type LockHolder } from './lock.js';
export { type ApplyPlan } from './plan.js';
export { formatApplied, formatPlan } from './plan-report.js';
export { type CommandResult, type CommandRunner, type RunOptions } from './runner.js';
export { rollbackPendingTry, trySpec, type ConfirmBy, type TryOptions, type TryResult } from './try.js';
export { verifySpec, type TunnelReport, type VerifyOptions, type VerifyReport } from './verify.js';
export type { CheckResult, CheckStatus } from './verify-checks.js';
export { formatVerify } from './verify-report.js';
