import type { Problem } from "./validationError";

/**
 * Keys a JavaScript object cannot keep as data. `__proto__` sets an object's prototype rather than
 * a key: zod's records and objects skip it, so a workload or variable written under that name would
 * be dropped without a word. Pulumi hands structured config to the program as JSON, and JSON.parse
 * does keep it as an own key, so it is found here, before the schema sees the value.
 */
const UNKEPT_KEYS = ["__proto__"];

/** A problem for each key of `value`, at any depth, that an object cannot keep; `prefix` starts each path. */
export function unkeptKeys(value: unknown, prefix: string): Problem[] {
    const problems: Problem[] = [];
    const seen = new Set<unknown>();
    const walk = (v: unknown, at: string[]) => {
        if (typeof v !== "object" || v === null || seen.has(v)) return;
        seen.add(v);
        if (Array.isArray(v)) {
            v.forEach((item, i) => walk(item, [...at.slice(0, -1), `${at.at(-1) ?? ""}[${i}]`]));
            return;
        }
        for (const key of Object.keys(v)) {
            const path = [...at, key];
            if (UNKEPT_KEYS.includes(key)) {
                problems.push({ path: `${prefix}${path.join(".")}`, message: `is a key JavaScript objects cannot keep (${key} sets an object's prototype, so it would be ignored): rename it` });
            } else {
                walk((v as Record<string, unknown>)[key], path);
            }
        }
    };
    walk(value, []);
    return problems;
}
