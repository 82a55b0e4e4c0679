import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalWorkspaceOptions } from "@pulumi/pulumi/automation";
import { ProjectInfo, pulumiConfigMap, staleConfigKeys } from "./config";
import type { EnvironmentStack } from "./pulumiWorkspaces";
import { environmentProgram } from "../stacks/program";
import { checkWorkDir } from "./workspaceDir";
import { WorkspaceOptions, projectDirOf } from "./options";

/** The workspace a stack runs in: its directory, settings, environment variables, program and config. */

/** The inline program: the very function index.ts exports, never a copy or a wrapper. */
export function inlineProgram(name: string, project: ProjectInfo) {
    return { stackName: name, projectName: project.name, program: environmentProgram };
}

/** Sets the stack's config to exactly `flat`: the project's keys it no longer has are removed. */
export async function applyConfig(stack: EnvironmentStack, project: string, flat: Record<string, string>): Promise<void> {
    const stale = staleConfigKeys(project, await stack.getAllConfig(), flat);
    if (stale.length > 0) await stack.removeAllConfig(stale);
    await stack.setAllConfig(pulumiConfigMap(flat));
}

export function workspaceOptions(options: WorkspaceOptions, project: ProjectInfo, stack?: string): LocalWorkspaceOptions {
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
export function defaultWorkspaceRoot(projectDir: string, backendUrl: string | undefined): string {
    const id = createHash("sha256").update(`${path.resolve(projectDir)}\u0000${backendUrl ?? ""}`).digest("hex").slice(0, 12);
    return path.join(os.tmpdir(), "fargate-service-automation", id);
}
