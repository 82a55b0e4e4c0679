import { Problem, ValidationError } from "../core/validationError";

/**
 * The errors of the Automation API, and how a failure of the Pulumi CLI becomes one of them.
 *
 * The CLI reports everything as text on stderr, wrapped by the SDK in a `CommandError` whose
 * message is a dump of the command's result. A portal needs a reason and what to do about it, so
 * the texts the CLI and the AWS provider really print are recognised here and turned into typed
 * errors, each with a `code` a client can switch on and a message a person can act on.
 */

export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";
export const PULUMI_INSTALL_COMMAND = "curl -fsSL https://get.pulumi.com | sh";

export type EnvironmentErrorCode =
    | "config-invalid"
    | "cli-missing"
    | "environment-not-found"
    | "environment-busy"
    | "aws-credentials"
    | "cancelled"
    | "operation-failed"
    | "queue-full"
    | "policy-violation"
    | "confirmation-required"
    | "deployment-rolled-back";

/** The operations that run the Pulumi CLI. */
export type OperationKind = "preview" | "deploy" | "refresh" | "destroy" | "outputs" | "list";

/** A failure of an Automation API call, explained. */
export abstract class EnvironmentOperationError extends Error {
    abstract readonly code: EnvironmentErrorCode;

    constructor(
        message: string,
        /** The environment (stack) the call was about, when there is one. */
        public readonly environment?: string,
        options?: { cause?: unknown },
    ) {
        super(message, options);
    }
}

/**
 * The config (or the environment's name) is not valid: every problem is listed, one per line,
 * as `<source>: <key path>: <what is wrong>`. Raised before the CLI is touched. A ValidationError,
 * so code that already handles the stack files' errors handles these too.
 */
export class ConfigInvalidError extends ValidationError {
    readonly code = "config-invalid" as const;

    constructor(source: string, problems: Problem[]) {
        super(source, problems);
        this.name = "ConfigInvalidError";
    }

    static from(error: ValidationError): ConfigInvalidError {
        return error instanceof ConfigInvalidError ? error : new ConfigInvalidError(error.source, error.problems);
    }
}

/** The `pulumi` command is not on the PATH, or is older than the SDK accepts. */
export class PulumiCliMissingError extends EnvironmentOperationError {
    readonly code = "cli-missing" as const;
    readonly installUrl = PULUMI_INSTALL_URL;
    readonly installCommand = PULUMI_INSTALL_COMMAND;

    constructor(
        public readonly reason: "not-found" | "outdated",
        detail?: string,
        options?: { cause?: unknown },
    ) {
        super(
            reason === "not-found"
                ? `Pulumi CLI not found: "pulumi" is not on the PATH of this process. Preview, deploy, refresh, destroy and outputs drive the CLI (the offline plan does not). Install it with \`${PULUMI_INSTALL_COMMAND}\` (or see ${PULUMI_INSTALL_URL}), then restart this process so it sees the new PATH.`
                : `Pulumi CLI too old: ${detail ?? "its version is below what the SDK accepts"} Upgrade it with \`${PULUMI_INSTALL_COMMAND}\` (or see ${PULUMI_INSTALL_URL}).`,
            undefined,
            options,
        );
        this.name = "PulumiCliMissingError";
    }
}

/** The backend has no stack of this name: it was never deployed, or was destroyed and removed. */
export class EnvironmentNotFoundError extends EnvironmentOperationError {
    readonly code = "environment-not-found" as const;

    constructor(environment: string, backend: string | undefined, options?: { cause?: unknown }) {
        super(`Environment "${environment}" not found: ${backendLabel(backend)} has no stack named "${environment}". Deploy it first.`, environment, options);
        this.name = "EnvironmentNotFoundError";
    }
}

/** Another update holds the stack: in another process, on another machine, or a crashed one's lock. */
export class EnvironmentBusyError extends EnvironmentOperationError {
    readonly code = "environment-busy" as const;

    constructor(
        environment: string,
        /** Who holds the lock, when the backend says (`user@host (pid 42) at <time>`). */
        public readonly holder?: string,
        options?: { cause?: unknown; inThisProcess?: boolean },
    ) {
        super(
            options?.inThisProcess
                ? `Environment "${environment}" is busy: another operation of this process is running on it. Try again when it has finished.`
                : `Environment "${environment}" is busy: another update is in progress${holder ? ` (lock ${holder})` : ""}. Wait for it to finish; if its process died, release the stack with \`pulumi cancel --stack ${environment}\`.`,
            environment,
            options,
        );
        this.name = "EnvironmentBusyError";
    }
}

/** The AWS provider found no usable credentials (none, expired, or invalid). */
export class AwsCredentialsError extends EnvironmentOperationError {
    readonly code = "aws-credentials" as const;

    constructor(
        environment: string,
        /** What the provider said. */
        public readonly detail: string,
        options?: { cause?: unknown },
    ) {
        super(
            `AWS credentials missing or invalid for environment "${environment}": ${detail} Give this process credentials: AWS_PROFILE (or the profile option) naming a profile of ~/.aws/config, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance or task role; run \`aws sso login\` when an SSO session has expired.`,
            environment,
            options,
        );
        this.name = "AwsCredentialsError";
    }
}

/** The caller's AbortSignal stopped the operation (Pulumi received SIGINT and stopped cleanly). */
export class OperationCancelledError extends EnvironmentOperationError {
    readonly code = "cancelled" as const;

    constructor(environment: string, operation: OperationKind, options?: { cause?: unknown }) {
        super(`${describeOperation(operation, environment)} was cancelled.`, environment, options);
        this.name = "OperationCancelledError";
    }
}

/** Any other failure of the CLI or the engine; `output` keeps everything it printed, for logs. */
export class PulumiOperationError extends EnvironmentOperationError {
    readonly code = "operation-failed" as const;

    constructor(
        environment: string,
        public readonly operation: OperationKind,
        summary: string,
        public readonly output: string,
        options?: { cause?: unknown },
    ) {
        super(`${describeOperation(operation, environment)} failed: ${summary}`, environment, options);
        this.name = "PulumiOperationError";
    }
}

/**
 * ECS did not complete a service's new deployment: the circuit breaker (tasks that do not start or
 * stay unhealthy), a deployment alarm or a lifecycle hook failed it, and ECS rolled back to the
 * last completed deployment (or, rarely, stopped it or failed to roll back: the reason says).
 *
 * The AWS provider reports it itself when the service waits for steady state (the default): it
 * follows the service deployment that the update started (ecs:DescribeServiceDeployments) and
 * fails on ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED and STOPPED with ECS's status reason, as
 * `waiting for ECS Service (<arn>) update: <reason>` (terraform-provider-aws,
 * internal/service/ecs/service.go, waitServiceStable and findDeploymentStatus). So `pulumi up`
 * fails, and this names the service and the reason.
 */
export class DeploymentRolledBackError extends EnvironmentOperationError {
    readonly code = "deployment-rolled-back" as const;

    constructor(
        environment: string,
        /** The ECS service's name, from its ARN. */
        public readonly service: string,
        /** ECS's status reason for the failed deployment. */
        public readonly reason: string,
        /** Whether the service was being created (its first deployment) or updated. */
        public readonly phase: "create" | "update",
        public readonly output: string,
        options?: { cause?: unknown },
    ) {
        super(
            `The deploy of environment "${environment}" failed: ECS did not complete the new deployment of service ${service} and ${phase === "update" ? "rolled back to the last completed one" : "has no earlier deployment to roll back to"}: ${sentence(reason)} ${phase === "update" ? "The previous version is still serving; fix" : "Fix"} the version (its logs and the service's events say why) and deploy again.`,
            environment,
            options,
        );
        this.name = "DeploymentRolledBackError";
    }
}

/** Too many operations already wait for the environment in this process: try again later. */
export class QueueFullError extends EnvironmentOperationError {
    readonly code = "queue-full" as const;

    constructor(
        environment: string,
        public readonly waiting: number,
        /** A fair guess of when a place frees up, in seconds. */
        public readonly retryAfterSeconds: number,
        options?: { cause?: unknown },
    ) {
        super(`Environment "${environment}" has ${waiting} operations waiting already, the most this process queues. Try again in ${retryAfterSeconds} s.`, environment, options);
        this.name = "QueueFullError";
    }
}

/** A mandatory control of the policy pack fails: the deploy is refused before the CLI runs. */
export class PolicyViolationError extends EnvironmentOperationError {
    readonly code = "policy-violation" as const;

    constructor(
        environment: string,
        /** The failing controls: id, title and why. */
        public readonly violations: { id: string; title: string; reason?: string }[],
    ) {
        super(
            `Environment "${environment}" fails ${violations.length} mandatory control${violations.length === 1 ? "" : "s"} (${violations.map((v) => v.id).join(", ")}): fix the stack file, or waive a control that may be waived, then deploy again.`,
            environment,
        );
        this.name = "PolicyViolationError";
    }
}

/** Destroying a protected environment needs its name sent back (`confirm`), so a slip cannot do it. */
export class ConfirmationRequiredError extends EnvironmentOperationError {
    readonly code = "confirmation-required" as const;

    constructor(environment: string, given: unknown) {
        super(
            `Destroying "${environment}" needs its name as confirmation: set confirm to "${environment}"${given === undefined ? "" : ` (got ${JSON.stringify(given)})`}.`,
            environment,
        );
        this.name = "ConfirmationRequiredError";
    }
}

export type EnvironmentError = ConfigInvalidError | EnvironmentOperationError;

/** Whether `error` is one of this API's explained errors (it has a `code`). */
export function isEnvironmentError(error: unknown): error is EnvironmentError {
    return error instanceof ConfigInvalidError || error instanceof EnvironmentOperationError;
}

export interface FailureContext {
    environment: string;
    operation: OperationKind;
    /** The backend URL in use, for messages. */
    backendUrl?: string;
    /** The caller's signal: a failure after it fired is a cancellation. */
    signal?: AbortSignal;
    /** Error diagnostics the engine reported during the operation (they name the root cause). */
    diagnostics?: string[];
}

// What the CLI and the AWS provider print, as seen in their output and in issue reports.
const CLI_NOT_FOUND = [/spawn \S*pulumi(\.exe)? ENOENT/, /Command failed with ENOENT: \S*pulumi/, /pulumi: (command )?not found/];
const CLI_OUTDATED = /(Minimum version requirement failed\.[^\n]*|Major version mismatch\.[^\n]*)/;
const BUSY = [/\[409\] Conflict: Another update is currently in progress/, /the stack is currently locked by/];
const LOCK_HOLDER = /created by (\S+ \(pid \d+\) at \S+)/;
const NOT_FOUND = /no stack named '([^']*)' found/;
const AWS_CREDENTIALS = [
    /No valid credential sources found[^\n]*/,
    /no valid credential sources for [^\n]*/,
    /Invalid credentials configured[^\n]*/,
    /NoCredentialProviders: no valid providers in chain[^\n]*/,
    /failed to refresh cached credentials[^\n]*/,
    /ExpiredToken(Exception)?: [^\n]*/,
    /InvalidClientTokenId: [^\n]*/,
    /The security token included in the request is (expired|invalid)[^\n]*/,
    /the SSO session has expired or is invalid[^\n]*/,
];
const MISSING_REGION = /missing region information/;
// The provider's wait for a service's deployment (service.go: "waiting for ECS Service (%s) update: %s"),
// whose reason is ECS's status reason, then the engine's ": provider=aws@<version>" suffix.
const DEPLOYMENT_FAILED = /waiting for ECS Service \((arn:[^)\s]+)\) (create|update): ([^\n]+)/;
// The same wait ending on its own timeout or on a missing service is not a rolled-back deployment.
const NOT_A_ROLLBACK = /^(timeout while waiting for state|unexpected state|couldn't find resource|.*NotFoundException)/i;
// Lines that only say that something failed, not what: never the summary when a better line exists.
const GENERIC_ERROR = /^(update|preview|refresh|destroy) failed$|^an error occurred|^\d+ errors? occurred/i;

/** Turns whatever an operation threw into the API's explained error (or returns it unchanged if it already is one). */
export function toEnvironmentError(error: unknown, context: FailureContext): Error {
    if (isEnvironmentError(error)) return error;
    if (error instanceof ValidationError) return ConfigInvalidError.from(error);
    const { environment, operation } = context;
    const text = [failureText(error), ...(context.diagnostics ?? [])].join("\n");
    const cause = { cause: error };

    if (CLI_NOT_FOUND.some((pattern) => pattern.test(text))) return new PulumiCliMissingError("not-found", undefined, cause);
    const outdated = CLI_OUTDATED.exec(text);
    if (outdated) return new PulumiCliMissingError("outdated", outdated[1], cause);
    if (context.signal?.aborted) return new OperationCancelledError(environment, operation, cause);
    if (errorName(error) === "ConcurrentUpdateError" || BUSY.some((pattern) => pattern.test(text))) {
        return new EnvironmentBusyError(environment, LOCK_HOLDER.exec(text)?.[1], cause);
    }
    if (errorName(error) === "StackNotFoundError" || NOT_FOUND.test(text)) return new EnvironmentNotFoundError(environment, context.backendUrl, cause);
    for (const pattern of AWS_CREDENTIALS) {
        const match = pattern.exec(text);
        if (match) return new AwsCredentialsError(environment, sentence(match[0]), cause);
    }
    const deployment = DEPLOYMENT_FAILED.exec(text);
    if (deployment) {
        const reason = deployment[3].replace(/:? ?provider=aws@[\w.-]+\s*$/, "").trim();
        if (!NOT_A_ROLLBACK.test(reason)) {
            const service = deployment[1].split("/").pop() ?? deployment[1];
            return new DeploymentRolledBackError(environment, service, reason, deployment[2] as "create" | "update", text, cause);
        }
    }
    if (MISSING_REGION.test(text)) {
        return new ConfigInvalidError("options", [{ path: "region", message: "is not set, and the AWS provider found no region of its own (AWS_REGION, or the profile's region): pass the region option" }]);
    }
    return new PulumiOperationError(environment, operation, summarise(error, text, context.diagnostics ?? []), text, cause);
}

/** Everything an error says: its message and, for a CommandError, what the command printed. */
function failureText(error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    // CommandError keeps the command's result in a field its type declares private.
    const result = (error as unknown as { commandResult?: { stdout?: string; stderr?: string; err?: Error } }).commandResult;
    return [error.message, result?.stderr, result?.stdout, result?.err?.message].filter((part): part is string => !!part).join("\n");
}

function errorName(error: unknown): string | undefined {
    return error instanceof Error ? error.name : undefined;
}

/** The most specific `error:` line the CLI printed or error the engine reported, else the error's first line. */
function summarise(error: unknown, text: string, diagnostics: string[]): string {
    const printed = [...text.matchAll(/^\s*error: (.+)$/gm)].map((m) => m[1].trim());
    const lines = [...printed, ...diagnostics.map((d) => d.split("\n")[0].trim())].filter((line) => line.length > 0);
    const specific = lines.find((line) => !GENERIC_ERROR.test(line)) ?? lines[0];
    if (specific) return sentence(specific);
    const first = error instanceof Error ? error.message.split("\n").find((line) => line.trim().length > 0) : undefined;
    return sentence(first?.trim() ?? String(error));
}

function sentence(text: string): string {
    const trimmed = text.trim();
    return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function describeOperation(operation: OperationKind, environment: string): string {
    return operation === "list" ? "Listing the environments" : `The ${operation} of environment "${environment}"`;
}

function backendLabel(backend: string | undefined): string {
    return backend ? `the backend ${backend}` : "the current backend";
}
