import * as path from "node:path";
import type { CostAssumptions } from "../analysis/costModel";
import type { DeployAssumptions } from "../analysis/deployModel";
import type { OperationEvent } from "./events";
import { PulumiWorkspaces, localWorkspaces } from "./pulumiWorkspaces";

/** The options of the Automation API's calls, each documented where a caller reads it. */

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
     * variables and desired counts of its services, and `ttlHours`. See EphemeralOverrides.
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

export function projectDirOf(options: { projectDir?: string }): string {
    return path.resolve(options.projectDir ?? process.cwd());
}

export function workspacesOf(options: WorkspaceOptions): PulumiWorkspaces {
    return options.workspaces ?? localWorkspaces;
}
