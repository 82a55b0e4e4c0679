import { ValidationError } from "../core/validation";
import { ProjectInfo, anchorBuildContexts, checkEnvironmentName, readProject } from "./config";
import { ConfigInvalidError } from "./errors";
import { buildContextProblems } from "./buildContexts";
import { EnvironmentSpec, resolveEnvironment } from "../stacks/environment";
import { PlanEnvironmentOptions, projectDirOf } from "./options";

/** Judging a config for an environment of the project: what every operation starts from. */

/**
 * Judges an environment's config exactly as the stack files are judged, with the preset's defaults
 * filled in. Throws ConfigInvalidError listing every problem. Offline.
 */
export function validateEnvironment(name: string, config: unknown, options: Pick<PlanEnvironmentOptions, "projectDir" | "region" | "source"> = {}): EnvironmentSpec {
    return judge(name, config, options).spec;
}

/** A config judged for an environment of the project: what every operation on it starts from. */
export interface JudgedConfig {
    projectDir: string;
    project: ProjectInfo;
    spec: EnvironmentSpec;
    /** The config as given, relative build contexts anchored to the project's directory. */
    config: Record<string, unknown>;
}

export function judge(name: string, config: unknown, options: Pick<PlanEnvironmentOptions, "projectDir" | "region" | "source">): JudgedConfig {
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
