import * as fs from "node:fs";
import * as path from "node:path";
import type { Problem } from "../core/validation";

/**
 * Build contexts and Dockerfiles stay inside the project's directory: a config that reaches the
 * Automation API (from a portal's request, say) names what the machine running it reads, hashes
 * and sends to Docker. So a context is a relative path without `..`, a Dockerfile too (relative to
 * its context), and neither leads outside the project through a symbolic link.
 */

/** Every `image.build` of the config that leaves the project, as problems (none when all stay inside). */
export function buildContextProblems(config: unknown, projectDir: string): Problem[] {
    const problems: Problem[] = [];
    let project: string;
    try {
        project = fs.realpathSync(projectDir);
    } catch {
        return [{ path: "projectDir", message: `${projectDir} does not exist` }];
    }
    for (const { at, build } of builds(config, [])) {
        const context = build.context;
        if (typeof context !== "string") continue; // the schema says what is wrong with it
        const contextProblem = relativeProblem(context, "the project's directory");
        if (contextProblem) {
            problems.push({ path: `${at}.context`, message: contextProblem });
            continue;
        }
        const resolvedContext = inside(project, path.join(project, context));
        if (typeof resolvedContext !== "string") {
            problems.push({ path: `${at}.context`, message: `${JSON.stringify(context)} ${resolvedContext.problem}` });
            continue;
        }
        const dockerfile = build.dockerfile ?? "Dockerfile";
        if (typeof dockerfile !== "string") continue;
        const dockerfileProblem = relativeProblem(dockerfile, "the context");
        if (dockerfileProblem) {
            problems.push({ path: `${at}.dockerfile`, message: dockerfileProblem });
            continue;
        }
        const resolvedDockerfile = inside(project, path.join(resolvedContext, dockerfile));
        if (typeof resolvedDockerfile !== "string") problems.push({ path: `${at}.dockerfile`, message: `${JSON.stringify(dockerfile)} ${resolvedDockerfile.problem}` });
    }
    return problems;
}

/** What is wrong with a path that must be relative and stay below its base, lexically. */
function relativeProblem(given: string, base: string): string | undefined {
    if (given.includes("\0")) return "contains a NUL character";
    if (path.isAbsolute(given) || path.win32.isAbsolute(given)) return `${JSON.stringify(given)} is absolute: give a path relative to ${base}, inside the project (such as examples/app)`;
    if (given.split(/[\\/]+/).includes("..")) return `${JSON.stringify(given)} goes up with "..": give a path inside the project (such as examples/app)`;
    return undefined;
}

/** The real path of `target` if it exists and lies inside `project` (symbolic links followed), else the problem. */
function inside(project: string, target: string): string | { problem: string } {
    let real: string;
    try {
        real = fs.realpathSync(target);
    } catch {
        return { problem: "does not exist in the project" };
    }
    if (real !== project && !real.startsWith(project + path.sep)) return { problem: `leads outside the project (to ${real}) through a symbolic link` };
    return real;
}

interface FoundBuild {
    /** The key path, such as `services.api.image.build`. */
    at: string;
    build: { context?: unknown; dockerfile?: unknown };
}

function* builds(value: unknown, at: string[]): Generator<FoundBuild> {
    if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) yield* builds(item, [...at, String(index)]);
        return;
    }
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
        const build = key === "image" ? (child as { build?: unknown } | null)?.build : undefined;
        if (typeof build === "object" && build !== null) yield { at: [...at, key, "build"].join("."), build: build as FoundBuild["build"] };
        else yield* builds(child, [...at, key]);
    }
}
