import * as fs from "node:fs";
import * as path from "node:path";
import type {
    ConfigMap,
    Deployment,
    DestroyOptions,
    DestroyResult,
    InlineProgramArgs,
    LocalWorkspaceOptions,
    OutputMap,
    PreviewOptions,
    PreviewResult,
    RefreshOptions,
    RefreshResult,
    StackSummary,
    UpOptions,
    UpResult,
} from "@pulumi/pulumi/automation";
import { PulumiCliMissingError } from "./errors";

/**
 * The part of Pulumi's Automation API the environment operations use, as an interface: the real
 * one drives the `pulumi` CLI through `LocalWorkspace`; tests put a recording stand-in in its place
 * to check what would be asked of the CLI (the inline program, the config, the options) without it.
 */

/** A selected stack: what an operation does with it. Pulumi's own `Stack` has this shape. */
export interface EnvironmentStack {
    getAllConfig(): Promise<ConfigMap>;
    setAllConfig(config: ConfigMap): Promise<void>;
    removeAllConfig(keys: string[]): Promise<void>;
    preview(options?: PreviewOptions): Promise<PreviewResult>;
    up(options?: UpOptions): Promise<UpResult>;
    refresh(options?: RefreshOptions): Promise<RefreshResult>;
    destroy(options?: DestroyOptions): Promise<DestroyResult>;
    outputs(): Promise<OutputMap>;
    exportStack(): Promise<Deployment>;
}

/** How stacks are created, selected, listed and removed. */
export interface PulumiWorkspaces {
    /**
     * The stacks run elsewhere (Pulumi Deployments) from a Git source, with that source's stack
     * files: no config is set on them, and only a stack file's own config may be deployed.
     * @default false
     */
    readonly remote?: boolean;
    /**
     * Throws PulumiCliMissingError when the operations cannot start at all (no CLI): checked
     * before an operation queues, so a caller hears it at once instead of after its turn.
     * @default no check
     */
    checkAvailable?(envVars?: Record<string, string>): void;
    createOrSelectStack(args: InlineProgramArgs, options: LocalWorkspaceOptions): Promise<EnvironmentStack>;
    /** Fails with the SDK's StackNotFoundError when the backend has no such stack. */
    selectStack(args: InlineProgramArgs, options: LocalWorkspaceOptions): Promise<EnvironmentStack>;
    removeStack(stackName: string, options: LocalWorkspaceOptions): Promise<void>;
    listStacks(options: LocalWorkspaceOptions): Promise<StackSummary[]>;
}

/**
 * The `pulumi` CLI on the PATH, through LocalWorkspace. The automation module (gRPC server, CLI
 * wrapper) is loaded on first use, so the offline plan and a portal's start do not pay for it.
 */
export const localWorkspaces: PulumiWorkspaces = {
    checkAvailable: (envVars) => {
        // The SDK spawns `pulumi` from the PATH (PulumiCommand.get without a root).
        if (!onPath("pulumi", envVars?.PATH ?? process.env.PATH ?? "")) throw new PulumiCliMissingError("not-found");
    },
    createOrSelectStack: async (args, options) => (await automation()).LocalWorkspace.createOrSelectStack(args, options),
    selectStack: async (args, options) => (await automation()).LocalWorkspace.selectStack(args, options),
    removeStack: async (stackName, options) => (await (await automation()).LocalWorkspace.create(options)).removeStack(stackName),
    listStacks: async (options) => (await (await automation()).LocalWorkspace.create(options)).listStacks(),
};

/** Whether an executable `command` is in one of the PATH's directories. */
function onPath(command: string, pathVariable: string): boolean {
    const names = process.platform === "win32" ? [`${command}.exe`, `${command}.cmd`] : [command];
    return pathVariable
        .split(path.delimiter)
        .filter((dir) => dir !== "")
        .some((dir) =>
            names.some((name) => {
                try {
                    fs.accessSync(path.join(dir, name), fs.constants.X_OK);
                    return fs.statSync(path.join(dir, name)).isFile();
                } catch {
                    return false;
                }
            }),
        );
}

async function automation(): Promise<typeof import("@pulumi/pulumi/automation")> {
    return import("@pulumi/pulumi/automation");
}
