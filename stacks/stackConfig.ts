import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { Problem, ValidationError, closestKey, describeValue } from "../core/validation";
import { unrepresentableValues } from "./yamlValues";

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

/**
 * Pulumi's rule for a stack name: letters, digits, `-`, `_` and `.`, at most 100, no slash
 * (https://www.pulumi.com/docs/iac/concepts/stacks/#create-stack). It also keeps the stack file
 * inside the project directory.
 */
export const PULUMI_STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The top-level keys of a stack settings file (https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/). */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/** Namespaces a stack file of this project may hold besides its own, for "did you mean". */
const KNOWN_NAMESPACES = ["aws", "pulumi", "awsx", "docker-build"];

export function readStackConfig(directory: string, stack: string): StackConfig {
    const projectFile = path.join(directory, "Pulumi.yaml");
    if (!fs.existsSync(projectFile)) {
        throw new ValidationError(directory, [{ path: "Pulumi.yaml", message: "not found: run from the project's directory, or give it with --dir" }]);
    }
    const project = (readYamlFile(projectFile, "Pulumi.yaml") as { name?: unknown } | null)?.name;
    if (typeof project !== "string") throw new ValidationError("Pulumi.yaml", [{ path: "name", message: "is required" }]);

    if (!PULUMI_STACK_NAME.test(stack) || stack === "." || stack === "..") {
        throw new ValidationError("stack", [
            { path: JSON.stringify(stack), message: "is not a stack name: letters, digits, -, _ and . only (at most 100), no slashes; the stack file is Pulumi.<stack>.yaml in the project directory" },
        ]);
    }
    const file = `Pulumi.${stack}.yaml`;
    const stackFile = path.join(directory, file);
    if (!fs.existsSync(stackFile)) {
        if (fs.existsSync(path.join(directory, `Pulumi.${stack}.yml`))) {
            throw new ValidationError(`Pulumi.${stack}.yml`, [
                { path: "(file)", message: `Pulumi reads a stack's settings from Pulumi.<stack>.yaml only, never .yml (https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/): rename it to ${file}` },
            ]);
        }
        const known = listStacks(directory);
        throw new ValidationError(file, [{ path: "stack", message: `no stack "${stack}" here${known.length ? `; stacks: ${known.join(", ")}` : ""}` }]);
    }
    const document = readYamlFile(stackFile, file);
    if (document === null || document === undefined) return { project, stack, file, config: {}, secretKeys: [] };
    if (!isMap(document)) throw new ValidationError(file, [{ path: "(file)", message: `must be a map with a config key, got ${describeValue(document)}` }]);
    const problems: Problem[] = [];
    for (const key of Object.keys(document).filter((k) => !STACK_FILE_KEYS.includes(k))) {
        const guess = closestKey(key, STACK_FILE_KEYS);
        problems.push({ path: key, message: `is not a stack file key${guess ? `; did you mean "${guess}"?` : `; allowed: ${STACK_FILE_KEYS.join(", ")}`}` });
    }
    const values = document.config ?? {};
    if (!isMap(values)) {
        throw new ValidationError(file, [...problems, { path: "config", message: `must be a map of config keys such as ${project}:preset, got ${describeValue(values)}` }]);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(values)) {
        if (!key.includes(":")) {
            problems.push({ path: key, message: `config keys need a namespace: "${project}:${key}"` });
            continue;
        }
        const namespace = key.slice(0, key.indexOf(":"));
        if (namespace !== project && !KNOWN_NAMESPACES.includes(namespace)) {
            const guess = closestKey(namespace, [project, ...KNOWN_NAMESPACES]);
            problems.push({
                path: key,
                message: guess
                    ? `"${namespace}" is not a namespace this project reads; did you mean "${guess}:${key.slice(namespace.length + 1)}"?`
                    : `"${namespace}" is not a namespace this project reads (${[project, ...KNOWN_NAMESPACES].join(", ")}), so nothing would read this key`,
            });
            continue;
        }
        const unrepresentable = unrepresentableValues(value, key);
        if (unrepresentable.length > 0) {
            problems.push(...unrepresentable);
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

/** A YAML file's value; a file that cannot be read or parsed is the user's to fix, reported as such. */
function readYamlFile(file: string, name: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new ValidationError(name, [{ path: "(file)", message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }]);
    }
    try {
        return YAML.parse(text);
    } catch (error) {
        throw new ValidationError(name, [{ path: "(file)", message: `is not valid YAML: ${(error as Error).message.split("\n")[0]}` }]);
    }
}

function isMap(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSecure(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** The stacks that have a settings file in `directory` (Pulumi.<stack>.yaml: Pulumi reads no .yml). */
export function listStacks(directory: string): string[] {
    return fs
        .readdirSync(directory)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}
