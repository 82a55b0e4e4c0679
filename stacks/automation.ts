/**
 * The Automation API for portals: plan, preview, deploy, refresh and destroy an environment from
 * a config object of the stack files' schema, read its outputs, list environments, and create or
 * destroy ephemeral ones (pr-123). The config is judged before the CLI is touched, the inline
 * program is `environmentProgram` itself (what index.ts exports), progress comes as events a UI can
 * show, one operation runs at a time per stack in this process, and failures come back as typed
 * errors that say what to do.
 *
 * Everything but `planEnvironment` drives the Pulumi CLI, which must be on the PATH.
 *
 * @module @fargate-service/automation
 */

// The published entry: each job lives in a file of its own under automation/ (options, outcomes,
// judging a config, the offline plan, the policy pack, the workspace, running on a stack, the
// operations, ephemeral environments); this file only says what is public.
export type {
    WorkspaceOptions,
    OperationOptions,
    ConfigOperationOptions,
    DeployEnvironmentOptions,
    EphemeralEnvironmentOptions,
    DestroyEnvironmentOptions,
    PlanEnvironmentOptions,
} from "../automation/options";
export type { PreviewOutcome, DeployOutcome, RefreshOutcome, DestroyOutcome, EnvironmentSummary } from "../automation/outcomes";
export { SECRET_OUTPUT } from "../automation/outcomes";
export { validateEnvironment } from "../automation/judge";
export { planEnvironment } from "../automation/planning";
export { previewEnvironment, deployEnvironment, refreshEnvironment, destroyEnvironment, environmentOutputs, listEnvironments } from "../automation/operations";
export { createEphemeralEnvironment, destroyEphemeralEnvironment } from "../automation/ephemeral";
export { promoteImage, pinnedStackFile, PromotionError } from "../automation/promotion";
export type { CommandRunner, PromoteImageOptions, PromotionOutcome } from "../automation/promotion";
export { promotionProblems, promotionPlan, PROMOTABLE_KINDS } from "../core/promotion";
export type { PromotionRequest, PromotionPlan, PromotableKind } from "../core/promotion";
export * from "../automation/errors";
export { OperationProgress } from "../automation/events";
export type { ChangeOperation, OperationEvent, ProgressContext, ResourceProgress } from "../automation/events";
export { localWorkspaces } from "../automation/pulumiWorkspaces";
export { remoteWorkspaces, remoteSourceProblems, remoteStackArgs } from "../automation/remote";
export type { RemoteSource, RemoteWorkspaceSdk } from "../automation/remote";
export type { EnvironmentStack, PulumiWorkspaces } from "../automation/pulumiWorkspaces";
export { checkEnvironmentName, checkEphemeralName, ephemeralEnvironmentConfig, readStackFileEnvironment, EPHEMERAL_TEMPLATE } from "../automation/config";
export { applyEphemeralOverrides, MAX_TTL_HOURS } from "../automation/ephemeralOverrides";
export type { EphemeralOverrides, EphemeralServiceOverrides } from "../automation/ephemeralOverrideTypes";
export { normalizeBackendUrl } from "../automation/backendUrl";
export type { AwsSettings, StackFileEnvironment } from "../automation/config";
export { KeyedLock } from "../automation/environmentLock";
export type { LockWaitOptions } from "../automation/environmentLock";
