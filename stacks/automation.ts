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
 * @module pulumi-fargate-service/automation
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { Deployment, EngineEvent, LocalWorkspaceOptions, OpMap, OutputMap } from "@pulumi/pulumi/automation";
import type { CostAssumptions } from "../analysis/costModel";
import type { DeployAssumptions } from "../analysis/deployModel";
import { ValidationError } from "../core/validation";
import { PlanDocument, mandatoryFailures, planConfig } from "../plan/plan";
import { listStacks } from "./stackConfig";
import { policyPackConfig } from "./policyPackConfig";
import {
    AwsSettings,
    ProjectInfo,
    anchorBuildContexts,
    checkEnvironmentName,
    checkEphemeralName,
    ephemeralEnvironmentConfig,
    flatPulumiConfig,
    pulumiConfigMap,
    readProject,
    readStackFileEnvironment,
    staleConfigKeys,
} from "./automationConfig";
import { applyEphemeralOverrides } from "./ephemeralOverrides";
import {
    ConfigInvalidError,
    ConfirmationRequiredError,
    EnvironmentBusyError,
    OperationCancelledError,
    PolicyViolationError,
    QueueFullError,
    toEnvironmentError,
} from "./automationErrors";
import { ChangeOperation, OperationEvent, OperationProgress } from "./automationEvents";
import { EnvironmentStack, PulumiWorkspaces, localWorkspaces } from "./automationWorkspaces";
import { EnvironmentSpec, resolveEnvironment } from "./environment";
import { BackendLockHeldError, acquireBackendLock } from "./backendLock";
import { buildContextProblems } from "./buildContexts";
import { checkWorkDir, removeStackSettings } from "./workspaceDir";
import { normalizeBackendUrl } from "./backendUrl";
import { KeyedLock, LockQueueFullError } from "./environmentLock";
import { environmentProgram } from "./program";

export * from "./automationErrors";
export { OperationProgress } from "./automationEvents";
export type { ChangeOperation, OperationEvent, ProgressContext, ResourceProgress } from "./automationEvents";
export { localWorkspaces } from "./automationWorkspaces";
export { remoteWorkspaces, remoteSourceProblems, remoteStackArgs } from "./automationRemote";
export type { RemoteSource, RemoteWorkspaceSdk } from "./automationRemote";
export type { EnvironmentStack, PulumiWorkspaces } from "./automationWorkspaces";
export { checkEnvironmentName, checkEphemeralName, ephemeralEnvironmentConfig, readStackFileEnvironment, EPHEMERAL_TEMPLATE } from "./automationConfig";
export { applyEphemeralOverrides, ephemeralOverridesSchema, MAX_TTL_HOURS } from "./ephemeralOverrides";
export type { EphemeralOverrides } from "./ephemeralOverrides";
export { normalizeBackendUrl } from "./backendUrl";
export type { AwsSettings, StackFileEnvironment } from "./automationConfig";
export { KeyedLock } from "./environmentLock";
export type { LockWaitOptions } from "./environmentLock";

/** Where the project lives and which backend holds its stacks: what every CLI call needs. */
export interface WorkspaceOptions {
    /**
     * The project's directory: its `Pulumi.yaml` names the project (the config namespace), its
     * stack files are the long-lived environments, relative build contexts start there.
     * @default process.cwd()
     */
    projectDir?: string;
    /**
     * Where stacks and their state live: `https://api.pulumi.com` (Pulumi Cloud), or a
     * self-managed backend such as `file:///var/lib/pulumi` or `s3://bucket/prefix?region=us-east-1`.
     * @default the CLI's own choice: PULUMI_BACKEND_URL, else the backend it is logged in to
     */
    backendUrl?: string;
    /**
     * How a new stack's secrets are encrypted: `passphrase` (set PULUMI_CONFIG_PASSPHRASE in
     * `envVars`), `awskms://alias/pulumi?region=us-east-1`, ... Used when the stack is created.
     * @default the backend's default: Pulumi Cloud's own encryption, passphrase on self-managed backends
     */
    secretsProvider?: string;
    /**
     * A profile of ~/.aws/config: set as the stack's `aws:profile`, and as AWS_PROFILE for the CLI
     * (an S3 backend reads its credentials through it).
     * @default none: the AWS SDK's default chain (environment variables, SSO, instance or task role)
     */
    profile?: string;
    /**
     * More environment variables for the CLI, such as PULUMI_ACCESS_TOKEN or PULUMI_CONFIG_PASSPHRASE.
     * @default none: the CLI inherits this process's environment
     */
    envVars?: Record<string, string>;
    /**
     * Where the per-stack workspaces live (each holds a `Pulumi.yaml` and the stack's settings file).
     * Keep it on a persistent disk with a passphrase secrets provider: the settings file keeps the
     * stack's encryption salt. Never the project's directory: the stack files there stay untouched.
     * @default a directory per project and backend under the OS's temporary directory
     */
    workspaceDir?: string;
    /**
     * The Pulumi side: the CLI through LocalWorkspace, or a stand-in.
     * @default localWorkspaces
     */
    workspaces?: PulumiWorkspaces;
}

/** Options of the operations that run the engine on a stack. */
export interface OperationOptions extends WorkspaceOptions {
    /** Progress events, mapped from the engine's. An error thrown here is ignored: progress must not stop an update. */
    onEvent?: (event: OperationEvent) => void;
    /** The CLI's text output, as it comes (no colours). */
    onOutput?: (text: string) => void;
    /** Cancels the operation: Pulumi receives SIGINT and stops cleanly; the call rejects with OperationCancelledError. */
    signal?: AbortSignal;
    /**
     * When another operation of this process is running on the stack: `wait` for it (the
     * operation is queued), or `fail` at once with EnvironmentBusyError.
     * @default "wait"
     */
    whenBusy?: "wait" | "fail";
    /**
     * Stops waiting in the queue when aborted: the operation never starts, and the call rejects
     * with OperationCancelledError. Unlike `signal`, an operation already running goes on. A
     * portal passes a signal that fires when its caller disconnects.
     * @default none
     */
    queueSignal?: AbortSignal;
    /**
     * How many operations may wait for the stack in this process; one more fails at once with
     * QueueFullError (a portal answers 429).
     * @default Infinity
     */
    maxWaiting?: number;
}

/** Options of the operations that take a config (preview and deploy). */
export interface ConfigOperationOptions extends OperationOptions {
    /**
     * The AWS region (`aws:region`).
     * @default the stack's current aws:region, else the AWS_REGION of the CLI's environment
     */
    region?: string;
    /**
     * A CrossGuard policy pack directory: it runs with the environment's policy config
     * (enforcement from the preset, waivers, budget), so prod's mandatory controls block. Whatever
     * this says, a deploy whose offline plan fails a mandatory control is refused before the CLI
     * runs (PolicyViolationError).
     * @default the project's `policy/` directory, when it holds a PulumiPolicy.yaml
     */
    policyPack?: string;
}

export interface DeployEnvironmentOptions extends ConfigOperationOptions {
    /** A message recorded with the update in the stack's history. @default none */
    message?: string;
}

export interface EphemeralEnvironmentOptions extends DeployEnvironmentOptions {
    /**
     * Changes to the template (dev's stack file), from an allowlist: images, environment
     * variables and desired counts of its services, and `ttlHours`. See ephemeralOverridesSchema.
     * @default none: the template as it is
     * @example
     * ```ts
     * { services: { api: { image: { uri: "ghcr.io/acme/api:pr-123" }, environment: { FEATURE_X: "on" } } }, ttlHours: 48 }
     * ```
     */
    overrides?: unknown;
}

export interface DestroyEnvironmentOptions extends OperationOptions {
    /**
     * Also remove the stack (its history and config) once its resources are gone, and the
     * settings files this API wrote for it in the workspace directory (nothing else there).
     * @default false
     */
    removeStack?: boolean;
    /**
     * The environment's name again: needed to destroy a protected environment, one whose stack
     * file has the prod preset (ConfirmationRequiredError otherwise).
     * @default none
     */
    confirm?: string;
}

export interface PlanEnvironmentOptions {
    /** @default process.cwd() */
    projectDir?: string;
    /** The AWS region the plan prices and names. @default us-east-1 */
    region?: string;
    /** Where the config came from, for messages. @default "config" */
    source?: string;
    /** Changes to the cost assumptions, over the preset's and the config's. @default none */
    costAssumptions?: Partial<CostAssumptions>;
    /** Changes to the deploy-time assumptions. @default none */
    deployAssumptions?: Partial<DeployAssumptions>;
}

export interface PreviewOutcome {
    environment: string;
    /** How many resources each operation would touch: `{ create: 40, same: 2 }`. */
    changes: OpMap;
}

export interface DeployOutcome {
    environment: string;
    changes: OpMap;
    /** The stack's outputs; secret values read `[secret]`. */
    outputs: Record<string, unknown>;
}

export interface RefreshOutcome {
    environment: string;
    changes: OpMap;
}

export interface DestroyOutcome {
    environment: string;
    changes: OpMap;
    /** Whether the stack itself was removed too. */
    stackRemoved: boolean;
}

export interface EnvironmentSummary {
    name: string;
    /** When it was last updated (ISO 8601), if ever. */
    lastUpdate?: string;
    updateInProgress: boolean;
    resourceCount?: number;
    /** Its page in Pulumi Cloud, on that backend. */
    url?: string;
}

/** Stands in for secret output values. */
export const SECRET_OUTPUT = "[secret]";

// One operation per stack in this process (the offline engine queues its own runs).
const stackLocks = new KeyedLock();

/**
 * Judges an environment's config exactly as the stack files are judged, with the preset's defaults
 * filled in. Throws ConfigInvalidError listing every problem. Offline.
 */
export function validateEnvironment(name: string, config: unknown, options: Pick<PlanEnvironmentOptions, "projectDir" | "region" | "source"> = {}): EnvironmentSpec {
    return judge(name, config, options).spec;
}

/** A config judged for an environment of the project: what every operation on it starts from. */
interface JudgedConfig {
    projectDir: string;
    project: ProjectInfo;
    spec: EnvironmentSpec;
    /** The config as given, relative build contexts anchored to the project's directory. */
    config: Record<string, unknown>;
}

function judge(name: string, config: unknown, options: Pick<PlanEnvironmentOptions, "projectDir" | "region" | "source">): JudgedConfig {
    checkEnvironmentName(name);
    const projectDir = projectDirOf(options);
    const project = readProject(projectDir);
    const source = options.source ?? "config";
    // Checked before anything reads a context: what a request names must stay in the project.
    const contexts = buildContextProblems(config, projectDir).map((problem) => ({ ...problem, path: `${project.name}:${problem.path}` }));
    let spec: EnvironmentSpec;
    try {
        spec = resolveEnvironment(config, { project: project.name, stack: name, source, region: options.region });
    } catch (error) {
        throw error instanceof ValidationError ? new ConfigInvalidError(error.source, [...error.problems, ...contexts]) : error;
    }
    if (contexts.length > 0) throw new ConfigInvalidError(source, contexts);
    return { projectDir, project, spec, config: anchorBuildContexts(config as Record<string, unknown>, projectDir) };
}

/**
 * The offline plan of an environment: resources, monthly cost, controls, deploy time and diagram,
 * from the real program on Pulumi's mock engine. Needs no CLI and no AWS account.
 */
export async function planEnvironment(name: string, config: unknown, options: PlanEnvironmentOptions = {}): Promise<PlanDocument> {
    // A copy: callers may change their document without changing the one kept.
    return structuredClone(await planJudged(name, judge(name, config, options), options));
}

/** The plan of a judged config, shared with every caller of the same config (see recentPlans). */
async function planJudged(name: string, judged: JudgedConfig, options: PlanEnvironmentOptions): Promise<PlanDocument> {
    const flat = flatPulumiConfig(judged.project.name, judged.config, { region: options.region });
    const assumptions = { costAssumptions: options.costAssumptions, deployAssumptions: options.deployAssumptions };
    const key = JSON.stringify([judged.projectDir, name, flat, assumptions]);
    let planned = recentPlans.get(key);
    if (!planned) {
        planned = planConfig({ project: judged.project.name, stack: name, file: options.source ?? "config", config: flat, secretKeys: [] }, assumptions);
        remember(key, planned);
    }
    try {
        return await planned;
    } catch (error) {
        throw error instanceof ValidationError ? ConfigInvalidError.from(error) : error;
    }
}

/**
 * Plans of the last few configs: a portal plans the same config to show it, then to preview and
 * to deploy it (the progress total). Same program, same config, same plan.
 */
const recentPlans = new Map<string, Promise<PlanDocument>>();
const RECENT_PLANS_KEPT = 16;

function remember(key: string, planned: Promise<PlanDocument>): void {
    recentPlans.set(key, planned);
    if (recentPlans.size > RECENT_PLANS_KEPT) recentPlans.delete(recentPlans.keys().next().value!);
    // A failed plan is not kept: the next call tries again.
    planned.catch(() => recentPlans.delete(key));
}

/** What `pulumi preview` would change. The stack is created (empty) when the backend has none. */
export async function previewEnvironment(name: string, config: unknown, options: ConfigOperationOptions = {}): Promise<PreviewOutcome> {
    const judged = judgeForOperation(name, "preview", config, options);
    return onStack("preview", name, options, { create: true, prepare: () => prepare(name, "preview", judged, options) }, async (stack, engine, _workspace, target) => {
        if (!workspacesOf(options).remote) await applyConfig(stack, target.project.name, target.flat);
        return withPolicyPack(policyPackOf(options), target.spec, async (policy) => {
            const result = await stack.preview({ ...engine, ...policy });
            return { environment: name, changes: result.changeSummary ?? {} };
        });
    });
}

/** `pulumi up`: creates or updates the environment, and returns its outputs. */
export async function deployEnvironment(name: string, config: unknown, options: DeployEnvironmentOptions = {}): Promise<DeployOutcome> {
    const judged = judgeForOperation(name, "deploy", config, options);
    return onStack("deploy", name, options, { create: true, prepare: () => prepare(name, "deploy", judged, options) }, async (stack, engine, _workspace, target) => {
        if (!workspacesOf(options).remote) await applyConfig(stack, target.project.name, target.flat);
        return withPolicyPack(policyPackOf(options), target.spec, async (policy) => {
            const result = await stack.up({ ...engine, ...policy, ...(options.message ? { message: options.message } : {}) });
            return { environment: name, changes: result.summary?.resourceChanges ?? {}, outputs: plainOutputs(result.outputs) };
        });
    });
}

/** `pulumi refresh`: reads the real state of the environment's resources into the stack. */
export async function refreshEnvironment(name: string, options: OperationOptions = {}): Promise<RefreshOutcome> {
    checkEnvironmentName(name);
    return onStack("refresh", name, options, { create: false }, async (stack, engine) => {
        const result = await stack.refresh(engine);
        return { environment: name, changes: result.summary?.resourceChanges ?? {} };
    });
}

/** `pulumi destroy`: deletes the environment's resources (and, with `removeStack`, the stack). */
export async function destroyEnvironment(name: string, options: DestroyEnvironmentOptions = {}): Promise<DestroyOutcome> {
    checkEnvironmentName(name);
    if (isProtectedEnvironment(name, projectDirOf(options)) && options.confirm !== name) throw new ConfirmationRequiredError(name, options.confirm);
    return onStack("destroy", name, options, { create: false }, async (stack, engine, workspace) => {
        const result = await stack.destroy(engine);
        if (options.removeStack) {
            await workspacesOf(options).removeStack(name, workspace);
            removeStackSettings(workspace.workDir!, name);
        }
        return { environment: name, changes: result.summary?.resourceChanges ?? {}, stackRemoved: options.removeStack === true };
    });
}

/** The environment's stack outputs (URL, cluster, services...); secret values read `[secret]`. */
export async function environmentOutputs(name: string, options: WorkspaceOptions = {}): Promise<Record<string, unknown>> {
    checkEnvironmentName(name);
    try {
        const project = readProject(projectDirOf(options));
        const stack = await workspacesOf(options).selectStack(inlineProgram(name, project), workspaceOptions(options, project, name));
        return plainOutputs(await stack.outputs());
    } catch (error) {
        throw toEnvironmentError(error, { environment: name, operation: "outputs", backendUrl: options.backendUrl });
    }
}

/** The project's stacks on the backend, deployed or not. */
export async function listEnvironments(options: WorkspaceOptions = {}): Promise<EnvironmentSummary[]> {
    try {
        const stacks = await workspacesOf(options).listStacks(workspaceOptions(options, readProject(projectDirOf(options))));
        return stacks.map((s) => ({
            name: s.name,
            ...(s.lastUpdate ? { lastUpdate: s.lastUpdate } : {}),
            updateInProgress: s.updateInProgress === true,
            ...(s.resourceCount !== undefined ? { resourceCount: s.resourceCount } : {}),
            ...(s.url ? { url: s.url } : {}),
        }));
    } catch (error) {
        throw toEnvironmentError(error, { environment: "", operation: "list", backendUrl: options.backendUrl });
    }
}

/**
 * Deploys an ephemeral environment, such as `pr-123`: dev's config (same services) with the dev
 * preset, in a stack of its own. The name must be valid and must not be a stack file's (dev, prod).
 */
export async function createEphemeralEnvironment(name: string, options: EphemeralEnvironmentOptions = {}): Promise<DeployOutcome> {
    const projectDir = projectDirOf(options);
    checkEphemeralName(name, projectDir);
    const { config, aws } = ephemeralEnvironmentConfig(projectDir);
    return deployEnvironment(name, applyEphemeralOverrides(config, options.overrides), { ...options, region: options.region ?? aws.region, profile: options.profile ?? aws.profile });
}

/** Destroys an ephemeral environment's resources, then removes its stack. Refuses the stack files' names. */
export async function destroyEphemeralEnvironment(name: string, options: OperationOptions = {}): Promise<DestroyOutcome> {
    checkEphemeralName(name, projectDirOf(options));
    return destroyEnvironment(name, { ...options, removeStack: true });
}

interface PreparedConfig {
    project: ProjectInfo;
    spec: EnvironmentSpec;
    flat: Record<string, string>;
    plannedResources: number;
}

/** Judges the config at once (synchronously: a bad config never takes a place in the queue). */
function judgeForOperation(name: string, operation: ChangeOperation, config: unknown, options: ConfigOperationOptions): JudgedConfig {
    if (options.signal?.aborted || options.queueSignal?.aborted) throw new OperationCancelledError(name, operation);
    if (workspacesOf(options).remote) checkRemoteConfig(name, config, projectDirOf(options));
    return judge(name, config, options);
}

/** A remote run reads the Git source's stack file: only that config can be deployed there. */
function checkRemoteConfig(name: string, config: unknown, projectDir: string): void {
    const file = listStacks(projectDir).includes(name) ? readStackFileEnvironment(projectDir, name) : undefined;
    if (!file || !isDeepStrictEqual(config, file.config)) {
        throw new ConfigInvalidError("config", [
            {
                path: "workspaces",
                message: file
                    ? `${name} runs on Pulumi Deployments from its stack file in the Git source: deploy Pulumi.${name}.yaml as it is (change it through the repository)`
                    : `${name} has no stack file: an environment on Pulumi Deployments runs its stack file from the Git source (ephemeral environments run locally)`,
            },
        ]);
    }
}

/**
 * Plans the judged config offline, in its turn: the plan's resource count is the progress total,
 * and a deploy that fails a mandatory control stops here, before the CLI runs.
 */
async function prepare(name: string, operation: ChangeOperation, judged: JudgedConfig, options: ConfigOperationOptions): Promise<PreparedConfig> {
    const aws: AwsSettings = { region: options.region, profile: options.profile };
    const plan = await planJudged(name, judged, { region: options.region });
    const failures = mandatoryFailures(plan);
    if (operation === "deploy" && failures.length > 0) {
        throw new PolicyViolationError(name, failures.map((c) => ({ id: c.id, title: c.title, ...(c.reason ? { reason: c.reason } : {}) })));
    }
    return { project: judged.project, spec: judged.spec, flat: flatPulumiConfig(judged.project.name, judged.config, aws), plannedResources: plan.resources.length };
}

/** The policy pack to run: the one asked for, else the project's own `policy/` when it has one. */
function policyPackOf(options: ConfigOperationOptions): string | undefined {
    if (options.policyPack) return options.policyPack;
    const own = path.join(projectDirOf(options), "policy");
    return fs.existsSync(path.join(own, "PulumiPolicy.yaml")) ? own : undefined;
}

/** Protected: the stack file says preset prod. Its destroy needs a confirmation. */
function isProtectedEnvironment(name: string, projectDir: string): boolean {
    if (!listStacks(projectDir).includes(name)) return false;
    return readStackFileEnvironment(projectDir, name).config.preset === "prod";
}

type EngineOptions = {
    color: "never";
    signal?: AbortSignal;
    onOutput?: (text: string) => void;
    onEvent: (event: EngineEvent) => void;
};

/**
 * Runs `body` on the selected (or created) stack, in turn with the other operations of this
 * process on the same stack, with the engine's events mapped to progress and any failure mapped
 * to a typed error.
 */
async function onStack<T, P = undefined>(
    operation: ChangeOperation,
    name: string,
    options: OperationOptions,
    setup: { create: boolean; prepare?: () => Promise<P & { plannedResources: number }> },
    body: (stack: EnvironmentStack, engine: EngineOptions, workspace: LocalWorkspaceOptions, prepared: P) => Promise<T>,
): Promise<T> {
    // A stack is known by backend, project and name: two portals on one backend share its stacks,
    // and two spellings of one backend are one backend.
    const project = readProject(projectDirOf(options));
    // The backend the CLI will use: the option, else PULUMI_BACKEND_URL as given to the CLI or as inherited.
    const backendUrl = options.backendUrl ?? options.envVars?.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL;
    const key = `${normalizeBackendUrl(backendUrl, projectDirOf(options))}\u0000${project.name}\u0000${name}`;
    let progress: OperationProgress | undefined;
    const waitSignal = anySignal(options.signal, options.queueSignal);
    try {
        if (options.whenBusy === "fail" && stackLocks.isBusy(key)) throw new EnvironmentBusyError(name, undefined, { inThisProcess: true });
        workspacesOf(options).checkAvailable?.(options.envVars);
        // Called before any await: the operation's place in the queue is the order it was asked for.
        return await stackLocks.run(
            key,
            async () => {
                const prepared = await setup.prepare?.();
                // Then the backend's lock: other processes on the same backend wait for it too.
                const release = await acquireBackendLock({
                    backendUrl,
                    cwd: projectDirOf(options),
                    project: project.name,
                    stack: name,
                    operation,
                    signal: waitSignal,
                    failIfHeld: options.whenBusy === "fail",
                    onHeld: (holder) => emit(options, { type: "waiting-for-lock", environment: name, operation, holder: new BackendLockHeldError(holder).message }),
                });
                try {
                    const workspace = workspaceOptions(options, project, name);
                    const workspaces = workspacesOf(options);
                    const program = inlineProgram(name, project);
                    const stack = setup.create ? await workspaces.createOrSelectStack(program, workspace) : await workspaces.selectStack(program, workspace);
                    const estimatedTotal = prepared?.plannedResources ?? stateResourceCount(await stack.exportStack());
                    const tracker = (progress = new OperationProgress({ environment: name, operation, estimatedTotal }));
                    const engine: EngineOptions = {
                        color: "never",
                        ...(options.signal ? { signal: options.signal } : {}),
                        ...(options.onOutput ? { onOutput: options.onOutput } : {}),
                        onEvent: (event) => tracker.map(event).forEach((e) => emit(options, e)),
                    };
                    return await body(stack, engine, workspace, prepared as P);
                } finally {
                    release();
                }
            },
            { signal: waitSignal, maxWaiting: options.maxWaiting, onQueued: (ahead) => emit(options, { type: "queued", environment: name, operation, ahead }) },
        );
    } catch (error) {
        if (error instanceof LockQueueFullError) throw new QueueFullError(name, error.waiting, RETRY_AFTER_SECONDS[operation]);
        if (error instanceof BackendLockHeldError) throw new EnvironmentBusyError(name, error.message, { cause: error });
        if (options.queueSignal?.aborted && !options.signal?.aborted && error === options.queueSignal.reason) throw new OperationCancelledError(name, operation, { cause: error });
        throw toEnvironmentError(error, {
            environment: name,
            operation,
            backendUrl: options.backendUrl,
            signal: options.signal,
            diagnostics: progress ? [...progress.errors] : undefined,
        });
    }
}

/** How long to come back after a full queue: about one operation of the kind, from the deploy model's scale. */
const RETRY_AFTER_SECONDS: Record<ChangeOperation, number> = { preview: 30, deploy: 120, refresh: 30, destroy: 120 };

/** A signal that fires when any of the given ones does. */
function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
    const given = signals.filter((signal): signal is AbortSignal => signal !== undefined);
    return given.length <= 1 ? given[0] : AbortSignal.any(given);
}

/** The inline program: the very function index.ts exports, never a copy or a wrapper. */
function inlineProgram(name: string, project: ProjectInfo) {
    return { stackName: name, projectName: project.name, program: environmentProgram };
}

/** Sets the stack's config to exactly `flat`: the project's keys it no longer has are removed. */
async function applyConfig(stack: EnvironmentStack, project: string, flat: Record<string, string>): Promise<void> {
    const stale = staleConfigKeys(project, await stack.getAllConfig(), flat);
    if (stale.length > 0) await stack.removeAllConfig(stale);
    await stack.setAllConfig(pulumiConfigMap(flat));
}

/** Runs `body` with the policy pack's arguments, its config written to a file the CLI reads. */
async function withPolicyPack<T>(policyPack: string | undefined, spec: EnvironmentSpec, body: (args: { policyPacks?: string[]; policyPackConfigs?: string[] }) => Promise<T>): Promise<T> {
    if (!policyPack) return body({});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fargate-service-policy-"));
    const configFile = path.join(dir, "policy-config.json");
    fs.writeFileSync(configFile, JSON.stringify(policyPackConfig(spec), null, 2));
    try {
        return await body({ policyPacks: [path.resolve(policyPack)], policyPackConfigs: [configFile] });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function workspaceOptions(options: WorkspaceOptions, project: ProjectInfo, stack?: string): LocalWorkspaceOptions {
    const projectDir = projectDirOf(options);
    const root = options.workspaceDir ?? defaultWorkspaceRoot(projectDir, options.backendUrl);
    const workDir = stack ? path.join(root, stack) : root;
    checkWorkDir(workDir, projectDir);
    fs.mkdirSync(workDir, { recursive: true });
    return {
        workDir,
        projectSettings: { name: project.name, runtime: "nodejs", ...(project.description ? { description: project.description } : {}) },
        ...(options.secretsProvider ? { secretsProvider: options.secretsProvider } : {}),
        envVars: {
            PULUMI_SKIP_UPDATE_CHECK: "true",
            ...(options.backendUrl ? { PULUMI_BACKEND_URL: options.backendUrl } : {}),
            ...(options.profile ? { AWS_PROFILE: options.profile } : {}),
            ...options.envVars,
        },
    };
}

/** One directory per project and backend: stacks of two backends may share a name, not settings. */
function defaultWorkspaceRoot(projectDir: string, backendUrl: string | undefined): string {
    const id = createHash("sha256").update(`${path.resolve(projectDir)}\u0000${backendUrl ?? ""}`).digest("hex").slice(0, 12);
    return path.join(os.tmpdir(), "fargate-service-automation", id);
}

function projectDirOf(options: { projectDir?: string }): string {
    return path.resolve(options.projectDir ?? process.cwd());
}

function workspacesOf(options: WorkspaceOptions): PulumiWorkspaces {
    return options.workspaces ?? localWorkspaces;
}

/** The resources a stack's state holds, providers aside: the progress total of refresh and destroy. */
function stateResourceCount(deployment: Deployment): number {
    const resources = (deployment.deployment as { resources?: { type: string }[] } | undefined)?.resources ?? [];
    return resources.filter((r) => !r.type.startsWith("pulumi:providers:")).length;
}

function plainOutputs(outputs: OutputMap): Record<string, unknown> {
    return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.secret ? SECRET_OUTPUT : output.value]));
}

function emit(options: OperationOptions, event: OperationEvent): void {
    try {
        options.onEvent?.(event);
    } catch {
        // A UI's failure to show progress must not stop the update.
    }
}
