import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import * as YAML from "yaml";
import type { Problem } from "../core/validationError";
import { listStacks, readStackConfig } from "../stacks/stackConfig";
import { ConfigInvalidError } from "./errors";
import { environmentConfigFromPulumi } from "../stacks/environment";
import { ENVIRONMENT_NAME } from "../stacks/environmentSchema";

/**
 * An environment's config on its way to Pulumi: the object a portal sends (the schema of a stack
 * file, keys without the project's namespace) becomes the flat `project:key` map Pulumi stores,
 * and a stack file becomes that object again. Pure, offline.
 */

/** The project name used when a directory has no Pulumi.yaml: the one this repository declares. */
export const DEFAULT_PROJECT = "fargate-service";

export interface ProjectInfo {
    name: string;
    description?: string;
}

/** The project's name and description from `Pulumi.yaml` in `projectDir`. */
export function readProject(projectDir: string): ProjectInfo {
    const file = path.join(projectDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) return { name: DEFAULT_PROJECT };
    const document = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { name?: unknown; description?: unknown };
    return {
        name: typeof document.name === "string" ? document.name : DEFAULT_PROJECT,
        ...(typeof document.description === "string" ? { description: document.description } : {}),
    };
}

/** What is wrong with an environment's name, as problems (none when it is fine). */
export function environmentNameProblems(name: unknown): Problem[] {
    if (typeof name === "string" && ENVIRONMENT_NAME.test(name)) return [];
    return [
        {
            path: "name",
            message: `${JSON.stringify(name)} cannot name an environment: its name prefixes AWS resource names, so use lower-case letters, digits and -, starting with a letter, at most 16 characters (such as pr-123)`,
        },
    ];
}

/** Throws ConfigInvalidError when `name` cannot name an environment. */
export function checkEnvironmentName(name: unknown): asserts name is string {
    const problems = environmentNameProblems(name);
    if (problems.length > 0) throw new ConfigInvalidError("environment", problems);
}

export interface AwsSettings {
    /** `aws:region`, when given. */
    region?: string;
    /** `aws:profile`, when given. */
    profile?: string;
}

/**
 * The config as Pulumi holds it: `project:key` to a string, structured values as JSON, as the CLI
 * hands them to a program (and as the offline plan's engine takes them).
 */
export function flatPulumiConfig(project: string, config: Record<string, unknown>, aws: AwsSettings = {}): Record<string, string> {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (value === undefined) continue;
        flat[`${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    if (aws.region) flat["aws:region"] = aws.region;
    if (aws.profile) flat["aws:profile"] = aws.profile;
    return flat;
}

/** The same, in the shape `Stack.setAllConfig` takes. */
export function pulumiConfigMap(flat: Record<string, string>): ConfigMap {
    return Object.fromEntries(Object.entries(flat).map(([key, value]) => [key, { value }]));
}

/**
 * Keys the stack holds that the new config no longer has, and that this API owns: the project's
 * namespace (a key removed from the config must not live on in the stack). Other namespaces
 * (aws:region set by hand, say) are left alone.
 */
export function staleConfigKeys(project: string, current: Record<string, unknown>, next: Record<string, string>): string[] {
    return Object.keys(current).filter((key) => key.startsWith(`${project}:`) && !(key in next));
}

/**
 * The config with every relative `image.build.context` made absolute against the project's
 * directory. The CLI runs plugins in the workspace's own directory and the inline program runs in
 * this process, whatever its working directory: neither is the project's directory, where the
 * stack files' relative contexts (`examples/app`) point.
 */
export function anchorBuildContexts(config: Record<string, unknown>, projectDir: string): Record<string, unknown> {
    return anchor(config, projectDir) as Record<string, unknown>;
}

function anchor(value: unknown, projectDir: string): unknown {
    if (Array.isArray(value)) return value.map((item) => anchor(item, projectDir));
    if (typeof value !== "object" || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
        out[key] = key === "image" ? anchorImage(child, projectDir) : anchor(child, projectDir);
    }
    return out;
}

function anchorImage(image: unknown, projectDir: string): unknown {
    const build = (image as { build?: { context?: unknown } } | null)?.build;
    if (typeof build?.context !== "string" || path.isAbsolute(build.context)) return image;
    return { ...(image as object), build: { ...build, context: path.resolve(projectDir, build.context) } };
}

export interface StackFileEnvironment {
    /** `Pulumi.<stack>.yaml`. */
    file: string;
    /** The environment's config, keys without the project's namespace. */
    config: Record<string, unknown>;
    /** `aws:region` and `aws:profile` from the file. */
    aws: AwsSettings;
    /** Keys encrypted in the file (their values cannot be read offline). */
    secretKeys: string[];
}

/** An environment's config read from its stack file in `projectDir`. Throws ConfigInvalidError when it has none. */
export function readStackFileEnvironment(projectDir: string, stack: string): StackFileEnvironment {
    checkEnvironmentName(stack);
    if (!fs.existsSync(path.join(projectDir, `Pulumi.${stack}.yaml`))) {
        const known = listStacks(projectDir);
        throw new ConfigInvalidError("environment", [{ path: "name", message: `no stack file Pulumi.${stack}.yaml${known.length ? `; stack files: ${known.join(", ")}` : ""}` }]);
    }
    const stackConfig = readStackConfig(projectDir, stack);
    return {
        file: stackConfig.file,
        config: environmentConfigFromPulumi(stackConfig.config, stackConfig.project),
        aws: {
            ...(stackConfig.config["aws:region"] ? { region: stackConfig.config["aws:region"] } : {}),
            ...(stackConfig.config["aws:profile"] ? { profile: stackConfig.config["aws:profile"] } : {}),
        },
        secretKeys: stackConfig.secretKeys,
    };
}

/** The stack whose config an ephemeral environment copies. */
export const EPHEMERAL_TEMPLATE = "dev";

/**
 * The config of an ephemeral environment: dev's stack file (same services, same waivers, same
 * budget) with the dev preset, tagged `lifecycle: ephemeral` so leftovers are easy to find and
 * cost reports can tell them apart.
 */
export function ephemeralEnvironmentConfig(projectDir: string): { config: Record<string, unknown>; aws: AwsSettings } {
    const template = readStackFileEnvironment(projectDir, EPHEMERAL_TEMPLATE);
    if (template.secretKeys.length > 0) {
        throw new ConfigInvalidError(
            template.file,
            template.secretKeys.map((key) => ({ path: key, message: "is encrypted; an ephemeral environment cannot copy it (give it in the config instead)" })),
        );
    }
    const tags = { ...((template.config.tags as Record<string, string> | undefined) ?? {}), lifecycle: "ephemeral" };
    return { config: { ...template.config, preset: "dev", tags }, aws: template.aws };
}

/** Throws ConfigInvalidError unless `name` may name an ephemeral environment: a valid name that no stack file uses. */
export function checkEphemeralName(name: unknown, projectDir: string): asserts name is string {
    checkEnvironmentName(name);
    if (listStacks(projectDir).includes(name)) {
        throw new ConfigInvalidError("environment", [
            {
                path: "name",
                message: `"${name}" is a long-lived environment (Pulumi.${name}.yaml): an ephemeral environment needs a name of its own, such as pr-123, so destroying it can never destroy ${name}`,
            },
        ]);
    }
}
