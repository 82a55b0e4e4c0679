import type { Problem } from "../core/validationError";

/**
 * What YAML can say that JSON, and so a Pulumi config value, cannot: an anchor used inside its
 * own value (`&a [*a]`, an endless value) and numbers beyond a double (`1e400` reads as Infinity,
 * which JSON writes as null, so the schema would see "null"). Each becomes a plain problem at its
 * key path instead of a crash or a misleading message.
 */
export function unrepresentableValues(value: unknown, path: string): Problem[] {
    const problems: Problem[] = [];
    const ancestors = new Map<unknown, string>();
    const walk = (v: unknown, at: string) => {
        if (typeof v === "number" && !Number.isFinite(v)) {
            problems.push({
                path: at,
                message: Number.isNaN(v) ? "is not a number (.nan); write a number" : `is a number beyond the largest a config value can hold (about ${v > 0 ? "" : "-"}1.8e308)`,
            });
            return;
        }
        if (typeof v !== "object" || v === null) return;
        if (ancestors.has(v)) {
            problems.push({ path: ancestors.get(v)!, message: "contains itself: a YAML anchor is used inside its own value (such as &a [*a]); write the value out" });
            return;
        }
        ancestors.set(v, at);
        if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${at}[${i}]`));
        else for (const [key, item] of Object.entries(v)) walk(item, `${at}.${key}`);
        ancestors.delete(v);
    };
    walk(value, path);
    return problems;
}
