import type { RemoteGitProgramArgs, RemoteStack, RemoteWorkspaceOptions } from "@pulumi/pulumi/automation";
import type { Problem } from "../core/validationError";
import { ConfigInvalidError } from "./errors";
import type { EnvironmentStack, PulumiWorkspaces } from "./pulumiWorkspaces";

/**
 * Operations on Pulumi Deployments: the Automation API's RemoteWorkspace runs preview, up,
 * refresh and destroy on Pulumi Cloud's runners, from a Git source, with the same engine events,
 * so the portal's machine is not the limit. Chosen per environment: pass
 * `workspaces: remoteWorkspaces(source)` to the operations of the environments that run there.
 *
 * The remote run reads the program and the stack file from the Git source at the branch or commit
 * given; this API still judges and plans the project's own copy first (and refuses a deploy that
 * fails a mandatory control), so keep the two the same: pin `commitHash` to the checkout the
 * portal runs from. Config cannot be sent with a remote run, so a remote environment is a stack
 * file's environment: no request body, no ephemeral overrides. The policy pack runs as Pulumi
 * Cloud's policy group for the organisation (Deployments take no local pack).
 * See https://www.pulumi.com/docs/pulumi-cloud/deployments/ and
 * https://www.pulumi.com/docs/iac/packages-and-automation/automation-api/ (remote workspaces).
 */

export interface RemoteSource {
    /** The Pulumi Cloud organisation that owns the stacks (`acme`): stacks are `acme/<project>/<stack>` there. */
    organization: string;
    /** The repository, cloned by the Deployments runner: `https://github.com/acme/infra.git` or `git@github.com:acme/infra.git`. */
    url: string;
    /** The branch to run (`main`). Exactly one of `branch` and `commitHash`. */
    branch?: string;
    /** The commit to run (40 hexadecimal digits). Exactly one of `branch` and `commitHash`. */
    commitHash?: string;
    /** The project's directory inside the repository (`infra/fargate`). @default the repository's root */
    projectPath?: string;
    /** Credentials for a private repository (a token, or an SSH key), passed to the SDK as they are. */
    auth?: RemoteGitProgramArgs["auth"];
    /** Environment variables of the remote run: `{ AWS_REGION: "eu-west-1", AWS_SECRET_ACCESS_KEY: { secret: "..." } }`. */
    envVars?: RemoteWorkspaceOptions["envVars"];
    /** Commands run before the operation (`npm ci` is run already unless skipInstallDependencies). */
    preRunCommands?: string[];
    skipInstallDependencies?: boolean;
}

/** What the SDK's RemoteWorkspace offers; tests put a recording stand-in in its place. */
export interface RemoteWorkspaceSdk {
    createOrSelectStack(args: RemoteGitProgramArgs, options?: RemoteWorkspaceOptions): Promise<RemoteStack>;
    selectStack(args: RemoteGitProgramArgs, options?: RemoteWorkspaceOptions): Promise<RemoteStack>;
}

// git check-ref-format's rules: https://git-scm.com/docs/git-check-ref-format
const BAD_REF = [/\.\./, /[\x00-\x20\x7f~^:?*[\\]/, /@\{/, /\/\//, /(^|\/)\./, /\.lock(\/|$)/, /^\/|\/$|\.$/, /^@$/];
const GIT_URL = [/^https:\/\/[^\s/@]+(@[^\s/]+)?\/[^\s]+$/, /^ssh:\/\/[^\s/]+\/[^\s]+$/, /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+$/];
// Pulumi Cloud organisation names: letters, digits, -, _ and . (https://www.pulumi.com/docs/pulumi-cloud/admin/organizations/).
const ORGANIZATION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** What is wrong with a remote source, as problems (none when the SDK and the runner can use it). */
export function remoteSourceProblems(source: RemoteSource): Problem[] {
    const problems: Problem[] = [];
    if (!ORGANIZATION.test(source.organization ?? "")) problems.push({ path: "organization", message: `${JSON.stringify(source.organization)} is not a Pulumi Cloud organisation name (letters, digits, -, _ and .)` });
    if (!GIT_URL.some((pattern) => pattern.test(source.url ?? ""))) {
        problems.push({
            path: "url",
            message: `${JSON.stringify(source.url)} is not a Git URL the Deployments runner can clone: use https://host/owner/repo.git, ssh://host/owner/repo.git or git@host:owner/repo.git (never a local path or file://)`,
        });
    }
    if ((source.branch === undefined) === (source.commitHash === undefined)) {
        problems.push({ path: "branch", message: "give exactly one of branch (such as main) and commitHash" });
    }
    if (source.branch !== undefined && (source.branch === "" || BAD_REF.some((pattern) => pattern.test(source.branch!.replace(/^refs\/heads\//, ""))))) {
        problems.push({ path: "branch", message: `${JSON.stringify(source.branch)} is not a valid branch name (git check-ref-format: no .., spaces, ~^:?*[\\, @{, no leading dot or trailing / or .lock)` });
    }
    if (source.commitHash !== undefined && !/^[0-9a-f]{40}$/.test(source.commitHash)) problems.push({ path: "commitHash", message: `${JSON.stringify(source.commitHash)} is not a full commit hash (40 lower-case hexadecimal digits)` });
    if (source.projectPath !== undefined && (source.projectPath.startsWith("/") || source.projectPath.split("/").includes(".."))) {
        problems.push({ path: "projectPath", message: `${JSON.stringify(source.projectPath)} must be a path inside the repository, without a leading / or ..` });
    }
    if (source.auth?.sshPrivateKey && source.auth.sshPrivateKeyPath) problems.push({ path: "auth", message: "give sshPrivateKey or sshPrivateKeyPath, not both" });
    return problems;
}

/** The SDK's arguments for one stack of the source: a fully qualified name, the Git source, the runner's options. */
export function remoteStackArgs(source: RemoteSource, project: string, stack: string): { args: RemoteGitProgramArgs; options: RemoteWorkspaceOptions } {
    const problems = remoteSourceProblems(source);
    if (problems.length > 0) throw new ConfigInvalidError("remote source", problems);
    return {
        args: {
            stackName: `${source.organization}/${project}/${stack}`,
            url: source.url,
            ...(source.branch !== undefined ? { branch: source.branch } : { commitHash: source.commitHash }),
            ...(source.projectPath ? { projectPath: source.projectPath } : {}),
            ...(source.auth ? { auth: source.auth } : {}),
        },
        options: {
            ...(source.envVars ? { envVars: source.envVars } : {}),
            ...(source.preRunCommands ? { preRunCommands: source.preRunCommands } : {}),
            ...(source.skipInstallDependencies !== undefined ? { skipInstallDependencies: source.skipInstallDependencies } : {}),
        },
    };
}

/**
 * Stacks that run on Pulumi Deployments, from `source`. Checked at once: a bad URL or branch is
 * a ConfigInvalidError here, not a failed run later.
 */
export function remoteWorkspaces(source: RemoteSource, sdk?: RemoteWorkspaceSdk): PulumiWorkspaces {
    const problems = remoteSourceProblems(source);
    if (problems.length > 0) throw new ConfigInvalidError("remote source", problems);
    const remote = async () => sdk ?? (await import("@pulumi/pulumi/automation")).RemoteWorkspace;
    const open = async (how: "createOrSelectStack" | "selectStack", projectName: string, stackName: string) => {
        const { args, options } = remoteStackArgs(source, projectName, stackName);
        return remoteEnvironmentStack(await (await remote())[how](args, options));
    };
    return {
        remote: true,
        createOrSelectStack: (args) => open("createOrSelectStack", args.projectName, args.stackName),
        selectStack: (args) => open("selectStack", args.projectName, args.stackName),
        removeStack: async () => {
            throw new ConfigInvalidError("remote source", [{ path: "removeStack", message: "a stack on Pulumi Deployments is removed in Pulumi Cloud (pulumi stack rm), not by a remote run" }]);
        },
        listStacks: async () => {
            throw new ConfigInvalidError("remote source", [{ path: "listStacks", message: "list the organisation's stacks in Pulumi Cloud; a remote workspace has no local list" }]);
        },
    };
}

/**
 * A RemoteStack as an EnvironmentStack. Config comes from the Git source's stack file, so there
 * is none to read or set here (the operations skip it for remote workspaces); a signal cancels
 * the remote run (`pulumi cancel`), the one way to stop it.
 */
function remoteEnvironmentStack(stack: RemoteStack): EnvironmentStack {
    const events = (options: { onOutput?: (out: string) => void; onEvent?: (event: any) => void; signal?: AbortSignal } = {}) => {
        options.signal?.addEventListener("abort", () => void stack.cancel().catch(() => undefined), { once: true });
        return { ...(options.onOutput ? { onOutput: options.onOutput } : {}), ...(options.onEvent ? { onEvent: options.onEvent } : {}) };
    };
    const noConfig = async () => {
        throw new Error("a remote stack's config comes from its Git source");
    };
    return {
        getAllConfig: noConfig,
        setAllConfig: noConfig,
        removeAllConfig: noConfig,
        preview: (options) => stack.preview(events(options)),
        up: (options) => stack.up(events(options)),
        refresh: (options) => stack.refresh(events(options)),
        destroy: (options) => stack.destroy(events(options)),
        outputs: () => stack.outputs(),
        exportStack: () => stack.exportStack(),
    };
}
