import type { Deployment, EngineEvent, LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import { readProject } from "./config";
import { EnvironmentBusyError, OperationCancelledError, QueueFullError, toEnvironmentError } from "./errors";
import { ChangeOperation, OperationEvent, OperationProgress } from "./events";
import type { EnvironmentStack } from "./pulumiWorkspaces";
import { BackendLockHeldError, acquireBackendLock } from "./backendLock";
import { normalizeBackendUrl } from "./backendUrl";
import { KeyedLock, LockQueueFullError } from "./environmentLock";
import { OperationOptions, projectDirOf, workspacesOf } from "./options";
import { inlineProgram, workspaceOptions } from "./stackWorkspace";

/**
 * Running an operation on a stack: one at a time per stack in this process, then the backend's
 * lock, the engine's events mapped to progress, any failure mapped to a typed error.
 */

// One operation per stack in this process (the offline engine queues its own runs).
const stackLocks = new KeyedLock();

export type EngineOptions = {
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
export async function onStack<T, P = undefined>(
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
export const RETRY_AFTER_SECONDS: Record<ChangeOperation, number> = { preview: 30, deploy: 120, refresh: 30, destroy: 120 };

/** A signal that fires when any of the given ones does. */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
    const given = signals.filter((signal): signal is AbortSignal => signal !== undefined);
    return given.length <= 1 ? given[0] : AbortSignal.any(given);
}

/** The resources a stack's state holds, providers aside: the progress total of refresh and destroy. */
export function stateResourceCount(deployment: Deployment): number {
    const resources = (deployment.deployment as { resources?: { type: string }[] } | undefined)?.resources ?? [];
    return resources.filter((r) => !r.type.startsWith("pulumi:providers:")).length;
}

export function emit(options: OperationOptions, event: OperationEvent): void {
    try {
        options.onEvent?.(event);
    } catch {
        // A UI's failure to show progress must not stop the update.
    }
}
