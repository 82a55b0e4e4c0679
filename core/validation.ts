import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { Problem, ValidationError } from "./validationError";

/**
 * Validation shared by the component arguments, the stack config and the portal API: schemas
 * built with zod, and one way of reporting problems: `<where>: <key path>: <what is wrong>`, one
 * line per problem, every problem at once.
 */

export { ValidationError };
export type { Problem };

/** A Pulumi Output or a Promise: a value known only at deploy time, so not checked here. */
export function isDeferred(value: unknown): boolean {
    if (typeof value !== "object" || value === null) return false;
    const candidate = value as { __pulumiOutput?: unknown; then?: unknown };
    return candidate.__pulumiOutput === true || typeof candidate.then === "function";
}

/** Shows a given value in a message: short, and unambiguous about its type. */
export function describeValue(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
    if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
    if (Array.isArray(value)) return `a list of ${value.length}`;
    return "an object";
}

/**
 * A string that may also be a Pulumi Input resolved at deploy time. Plain strings are checked with
 * `check`, which returns what is wrong or undefined.
 */
export function inputString(check?: (value: string) => string | undefined) {
    return z.any().superRefine((value, ctx) => {
        if (isDeferred(value)) return;
        if (typeof value !== "string" || value.length === 0) {
            ctx.addIssue({ code: "custom", message: value === undefined ? "is required" : `expected a non-empty string, got ${describeValue(value)}` });
            return;
        }
        const problem = check?.(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

/**
 * A list of strings that may itself be a Pulumi Input (an output of another resource); plain
 * lists are checked item by item.
 */
export function inputArray(min = 0, check?: (value: string) => string | undefined) {
    return z.any().superRefine((value, ctx) => {
        if (isDeferred(value)) return;
        if (!Array.isArray(value)) {
            ctx.addIssue({ code: "custom", message: value === undefined ? "is required" : `expected a list, got ${describeValue(value)}` });
            return;
        }
        if (value.length < min) ctx.addIssue({ code: "custom", message: `needs at least ${min} item${min === 1 ? "" : "s"}` });
        value.forEach((item, index) => {
            if (isDeferred(item)) return;
            const problem = typeof item !== "string" || item.length === 0 ? `expected a non-empty string, got ${describeValue(item)}` : check?.(item);
            if (problem) ctx.addIssue({ code: "custom", path: [index], message: problem });
        });
    });
}

/** An integer in [min, max]. */
export function integer(min: number, max: number) {
    return z.number().int().min(min).max(max);
}

/** Runs cross-field checks even when some fields failed, so every problem shows at once. */
export const ALWAYS = { when: () => true } as const;

export function closestKey(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of known) {
        // Case does not count: `CPU` for `cpu` is a near miss, not a stranger.
        const d = distance(key.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [candidate, d];
    }
    // Stryker disable next-line ConditionalExpression: best is unset only when no key is known, and then bestDistance is Infinity, which fails the bound anyway
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** The keys an object schema allows at `path`, following records, arrays, optionals and defaults. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let current: z.ZodType | undefined = schema;
    for (const segment of [...path, undefined]) {
        // Unwrap optional, default, pipes and refinements until an object, record or array shows.
        // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: the guard only bounds a malformed schema; real ones wrap a type a few times at most
        for (let guard = 0; current && guard < 10; guard++) {
            const def: Record<string, unknown> = (current as unknown as { def: Record<string, unknown> }).def;
            if (def.type === "optional" || def.type === "nullable" || def.type === "default" || def.type === "prefault") {
                current = def.innerType as z.ZodType;
            } else if (def.type === "pipe") {
                current = def.in as z.ZodType;
            } else {
                break;
            }
        }
        if (!current) return [];
        const def: Record<string, unknown> = (current as unknown as { def: Record<string, unknown> }).def;
        if (segment === undefined) return def.type === "object" ? Object.keys(def.shape as object) : [];
        if (def.type === "object") current = (def.shape as Record<string, z.ZodType>)[String(segment)];
        else if (def.type === "record") current = def.valueType as z.ZodType;
        else if (def.type === "array") current = def.element as z.ZodType;
        else return [];
    }
    return [];
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
    let result = prefix;
    for (const segment of path) {
        if (typeof segment === "number") result += `[${segment}]`;
        else result += result && !result.endsWith(":") ? `.${String(segment)}` : String(segment);
    }
    return result;
}

function article(type: string): string {
    const names: Record<string, string> = { int: "an integer", number: "a number", string: "a string", boolean: "true or false", array: "a list", object: "a map of keys", record: "a map of keys" };
    return names[type] ?? type;
}

/** Turns zod's issues into problems with key paths under `prefix`. */
export function problemsFrom(error: z.ZodError, schema: z.ZodType, prefix = ""): Problem[] {
    const problems: Problem[] = [];
    for (const issue of error.issues) {
        const input = (issue as { input?: unknown }).input;
        const path = joinPath(prefix, issue.path);
        // A message the schema wrote itself wins over the generic wording below.
        if (issue.code !== "unrecognized_keys" && issue.code !== "invalid_key" && !/^(Too small|Too big|Invalid)/.test(issue.message)) {
            problems.push({ path, message: issue.message });
            continue;
        }
        switch (issue.code) {
            case "unrecognized_keys": {
                const known = knownKeysAt(schema, issue.path);
                for (const key of issue.keys) {
                    const guess = closestKey(key, known);
                    problems.push({
                        path: joinPath(prefix, [...issue.path, key]),
                        message: guess ? `unknown key; did you mean "${guess}"?` : `unknown key; allowed here: ${known.join(", ")}`,
                    });
                }
                break;
            }
            case "invalid_type":
                problems.push({
                    path,
                    message: input === undefined ? `is required (${article(issue.expected)})` : `expected ${article(issue.expected)}, got ${describeValue(input)}`,
                });
                break;
            case "too_small":
                problems.push({
                    path,
                    message:
                        issue.origin === "array"
                            ? `needs at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}`
                            : issue.origin === "string"
                              ? `must have at least ${issue.minimum} character${issue.minimum === 1 ? "" : "s"}`
                              : `${describeValue(input)} is below the minimum of ${issue.minimum}`,
                });
                break;
            case "too_big":
                problems.push({
                    path,
                    message:
                        issue.origin === "array"
                            ? `has more than ${issue.maximum} items`
                            : issue.origin === "string"
                              ? `is longer than ${issue.maximum} characters`
                              : `${describeValue(input)} is above the maximum of ${issue.maximum}`,
                });
                break;
            case "invalid_value": {
                const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
                problems.push({ path, message: input === undefined ? `is required (one of ${allowed})` : `${describeValue(input)} is not one of ${allowed}` });
                break;
            }
            case "invalid_key":
                // A map key that breaks the key's rule: report the rule's own messages.
                for (const inner of issue.issues) problems.push({ path, message: inner.message });
                break;
            default:
                problems.push({ path, message: issue.message });
        }
    }
    return problems;
}

/** Parses `value` with `schema`, or throws one ValidationError that lists every problem. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, source: string, prefix = ""): z.output<T> {
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) return result.data;
    throw new ValidationError(source, problemsFrom(result.error, schema, prefix), prefix || undefined);
}

/**
 * The arguments of `Args` that `shape` has no rule for: a component states
 * `const checked: EveryArgumentChecked<Args, typeof schema.shape> = true;` so that adding an
 * argument without its rule fails to compile instead of being refused at run time as unknown.
 */
export type EveryArgumentChecked<Args, Shape> = [Exclude<keyof Args, keyof Shape>] extends [never] ? true : { unchecked: Exclude<keyof Args, keyof Shape> };
