/**
 * The preflight: AWS's own rules (names, lengths, characters, ranges, enums, limits, combinations
 * AWS refuses), checked on the resources a program registers, before anything is created. Each
 * rule is data: an id, the resource type it reads, the sources it was taken from, and a pure check.
 */

/** A registered resource as the rules read it: the offline engine's records and the policy pack's view alike. */
export interface PreflightResource {
    urn: string;
    type: string;
    /** The logical name. */
    name: string;
    /**
     * Inputs with values resolved. A value unknown at preview time is undefined with its key kept
     * (`key in inputs` tells it from an input left out), at any depth; a rule never judges it.
     */
    inputs: Record<string, any>;
    parent?: string;
    /** For each input, the URNs of the resources its value came from. */
    propertyDependencies?: Record<string, string[]>;
}

/** What a check found: the input key it concerns (below the resource) and what is wrong. */
export interface RuleViolation {
    key?: string;
    message: string;
}

/** A rule on one resource of a type. */
export interface ResourceRule {
    id: string;
    /** The resource type token it applies to; "*" for every resource with the inputs it reads. */
    type: string;
    /** What AWS requires, in a few words. */
    title: string;
    /** Where the rule comes from: the AWS API reference and the Terraform AWS provider. */
    sources: readonly string[];
    check(resource: PreflightResource): RuleViolation[];
}

/** A rule across resources (rules of one listener, rules of one load balancer). */
export interface GraphRule {
    id: string;
    /** The resource type the findings are reported on. */
    type: string;
    title: string;
    sources: readonly string[];
    checkAll(resources: readonly PreflightResource[]): (RuleViolation & { resource: PreflightResource })[];
}

export type PreflightRule = ResourceRule | GraphRule;

export interface PreflightFinding {
    rule: string;
    title: string;
    /** The first source of the rule. */
    source: string;
    type: string;
    /** The logical name of the resource. */
    resource: string;
    urn: string;
    /** The input concerned, below the resource (`conditions[0].pathPattern.values[1]`). */
    key?: string;
    /** Where the value came from, when known: a stack-file key or a component's argument. */
    origin?: string;
    message: string;
}

/** An input given, but not known yet (a preview, a value another resource makes): a rule leaves it alone. */
export const isUnknown = (inputs: Record<string, any>, key: string): boolean => key in inputs && inputs[key] === undefined;

/** Rule helpers: a range, a length, a set of allowed values. */
export const inRange = (value: unknown, min: number, max: number): boolean => typeof value !== "number" || (Number.isInteger(value) && value >= min && value <= max);

export function rangeViolation(inputs: Record<string, any>, key: string, min: number, max: number, unit = ""): RuleViolation[] {
    const value = key.split(".").reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), inputs);
    return inRange(value, min, max) ? [] : [{ key, message: `${value}${unit} is outside ${min}–${max}${unit}` }];
}

/** A text input: at most `max` characters, each matching `char` (a one-character class) when given. */
export function textViolation(inputs: Record<string, any>, key: string, max: number, char?: RegExp, allowedText?: string): RuleViolation[] {
    const value = inputs[key];
    if (typeof value !== "string") return [];
    if (value.length > max) return [{ key, message: `has ${value.length} characters; AWS allows ${max}` }];
    const bad = char ? [...new Set([...value].filter((c) => !char.test(c)))] : [];
    if (bad.length > 0) {
        const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
        return [{ key, message: `${shown} has characters AWS refuses (${bad.map((c) => JSON.stringify(c)).join(" ")}); allowed: ${allowedText}` }];
    }
    return [];
}

/** Parses a JSON string input, or returns the value when it is already an object. */
export function jsonValue<T>(value: unknown): T | undefined {
    if (typeof value !== "string") return (value ?? undefined) as T | undefined;
    try {
        return JSON.parse(value) as T;
    // Stryker disable next-line BlockStatement: equivalent, an empty catch also returns undefined
    } catch {
        return undefined;
    }
}

/** One line per finding: which resource, which input, what AWS would answer, and the rule's source. */
export function describeFinding(f: PreflightFinding): string {
    return `${f.origin ? `${f.origin}: ` : ""}${f.resource} (${f.type})${f.key ? ` ${f.key}` : ""}: ${f.message} [${f.rule}, ${f.source}]`;
}
