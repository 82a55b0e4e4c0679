import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { Problem, ValidationError } from "../core/validation";

/**
 * A stack's config read from disk the way the Pulumi CLI reads it: the project name from
 * `Pulumi.yaml`, the values from `Pulumi.<stack>.yaml`, each turned into the string Pulumi hands
 * to a program (structured values as JSON). Encrypted values cannot be read offline: they become
 * a placeholder and are reported as secret.
 */
export interface StackConfig {
    project: string;
    stack: string;
    /** The file the values came from, for messages. */
    file: string;
    config: Record<string, string>;
    secretKeys: string[];
}

export const SECRET_PLACEHOLDER = "[secret: encrypted in the stack file]";

export function readStackConfig(directory: string, stack: string): StackConfig {
    const projectFile = path.join(directory, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        throw new ValidationError(directory, [{ path: "Pulumi.yaml", message: "not found: run from the project's directory, or give it with --dir" }]);
    }
    const project = (YAML.parse(fs.readFileSync(projectFile, "utf8")) as { name?: unknown })?.name;
    if (typeof project !== "string") throw new ValidationError("Pulumi.yaml", [{ path: "name", message: "is required" }]);

    const file = `Pulumi.${stack}.yaml`;
    const stackFile = path.join(directory, file);
    if (!fs.existsSync(stackFile)) {
        const known = listStacks(directory);
        throw new ValidationError(file, [{ path: "stack", message: `no stack "${stack}" here${known.length ? `; stacks: ${known.join(", ")}` : ""}` }]);
    }
    let document: { config?: Record<string, unknown> } | null;
    try {
        document = YAML.parse(fs.readFileSync(stackFile, "utf8"));
    } catch (error) {
        throw new ValidationError(file, [{ path: "(file)", message: `is not valid YAML: ${(error as Error).message.split("\n")[0]}` }]);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const problems: Problem[] = [];
    for (const [key, value] of Object.entries(document?.config ?? {})) {
        if (!key.includes(":")) {
            problems.push({ path: key, message: `config keys need a namespace: "${project}:${key}"` });
            continue;
        }
        if (isSecure(value)) {
            config[key] = SECRET_PLACEHOLDER;
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    if (problems.length > 0) throw new ValidationError(file, problems);
    return { project, stack, file, config, secretKeys };
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** The stacks that have a config file in `directory`. */
export function listStacks(directory: string): string[] {
    return fs
        .readdirSync(directory)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
