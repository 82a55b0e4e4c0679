import { createHash } from "node:crypto";

/**
 * Names of child resources. Physical names are left to Pulumi's auto-naming (logical name plus a
 * random suffix of 8 characters), which never collides between stacks and survives replacements.
 * What we control is the logical name: it must leave room for that suffix inside AWS limits.
 */

/** Pulumi's auto-naming appends "-" and 7 random characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** AWS limits on physical names that matter for the children we create. */
export const NAME_LIMITS = {
    /** Application Load Balancer and target group names: 32 characters. */
    loadBalancer: 32,
    targetGroup: 32,
    /** IAM role names: 64 characters. */
    iamRole: 64,
    /** ECS task definition family: 255 characters of letters, digits, "-" and "_". */
    taskFamily: 255,
    /** Security group names: 255 characters. */
    securityGroup: 255,
} as const;

export function shortHash(text: string, length = 4): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/**
 * A logical name whose auto-named physical name fits `limit`. Long names keep their start (which
 * carries the environment) and end with a short hash of the full name, so they stay unique.
 */
export function fitName(name: string, limit: number): string {
    const room = limit - AUTONAME_SUFFIX_LENGTH;
    if (name.length <= room) return name;
    const hash = shortHash(name);
    return `${name.slice(0, room - hash.length - 1).replace(/-+$/, "")}-${hash}`;
}

/** A task definition family: explicit (families are not auto-named), so it carries project and stack. */
export function taskFamily(project: string, stack: string, name: string): string {
    const family = `${project}-${stack}-${name}`.replace(/[^A-Za-z0-9_-]/g, "-");
    return family.length <= NAME_LIMITS.taskFamily ? family : fitName(family, NAME_LIMITS.taskFamily + AUTONAME_SUFFIX_LENGTH);
}

/** The prefix of a log group name; AWS appends a unique suffix. Readable in the console, unique per stack. */
export function logGroupPrefix(project: string, stack: string, name: string): string {
    return `/ecs/${project}/${stack}/${name}-`;
}
