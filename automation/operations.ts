import { isDeepStrictEqual } from "node:util";
import { checkEnvironmentName, readProject, readStackFileEnvironment } from "./config";
import { ConfigInvalidError, ConfirmationRequiredError, OperationCancelledError, toEnvironmentError } from "./errors";
import type { ChangeOperation } from "./events";
import { listStacks } from "../stacks/stackConfig";
import { removeStackSettings } from "./workspaceDir";
import { JudgedConfig, judge } from "./judge";
import { onStack } from "./onStack";
import { ConfigOperationOptions, DeployEnvironmentOptions, DestroyEnvironmentOptions, OperationOptions, WorkspaceOptions, projectDirOf, workspacesOf } from "./options";
import { DeployOutcome, DestroyOutcome, EnvironmentSummary, PreviewOutcome, RefreshOutcome, plainOutputs } from "./outcomes";
import { prepare } from "./planning";
import { policyPackOf, withPolicyPack } from "./policyPack";
import { applyConfig, inlineProgram, workspaceOptions } from "./stackWorkspace";

/** The operations on an environment's stack, each through the Pulumi CLI. */

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

/** Judges the config at once (synchronously: a bad config never takes a place in the queue). */
export function judgeForOperation(name: string, operation: ChangeOperation, config: unknown, options: ConfigOperationOptions): JudgedConfig {
    if (options.signal?.aborted || options.queueSignal?.aborted) throw new OperationCancelledError(name, operation);
    if (workspacesOf(options).remote) checkRemoteConfig(name, config, projectDirOf(options));
    return judge(name, config, options);
}

/** A remote run reads the Git source's stack file: only that config can be deployed there. */
export function checkRemoteConfig(name: string, config: unknown, projectDir: string): void {
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

/** Protected: the stack file says preset prod. Its destroy needs a confirmation. */
export function isProtectedEnvironment(name: string, projectDir: string): boolean {
    if (!listStacks(projectDir).includes(name)) return false;
    return readStackFileEnvironment(projectDir, name).config.preset === "prod";
}
