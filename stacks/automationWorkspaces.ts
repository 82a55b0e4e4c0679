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
    createOrSelectStack: async (args, options) => (await automation()).LocalWorkspace.createOrSelectStack(args, options),
    selectStack: async (args, options) => (await automation()).LocalWorkspace.selectStack(args, options),
    removeStack: async (stackName, options) => (await (await automation()).LocalWorkspace.create(options)).removeStack(stackName),
    listStacks: async (options) => (await (await automation()).LocalWorkspace.create(options)).listStacks(),
};

async function automation(): Promise<typeof import("@pulumi/pulumi/automation")> {
    return import("@pulumi/pulumi/automation");
}
