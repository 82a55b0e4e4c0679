import { z } from "zod";
import { integer, parseOrThrow } from "../core/validation";
import { ValidationError } from "../core/validationError";
import { ConfigInvalidError } from "./errors";
import type { EphemeralOverrides } from "./ephemeralOverrideTypes";

/**
 * What a caller may change in an ephemeral environment, on top of its template (dev's stack file):
 * images, environment variables and desired counts of the template's own services, and how long
 * it lives. Nothing else: no role, no network, no preset, no new service. The result is then judged
 * by the environment schema, like any stack file.
 */

/** The longest an ephemeral environment may be asked to live: a week. */
export const MAX_TTL_HOURS = 168;

const serviceOverrides = z.strictObject({
    /** The image to run instead of the template's: a URI, or a tag of the service's repository. Never a build (a build context is a path on the portal's machine). */
    image: z.union([z.strictObject({ uri: z.string() }), z.strictObject({ tag: z.string() })], { error: "expected { uri } or { tag }" }).optional(),
    /** Variables added to (or replacing) the template's `container.environment`. */
    environment: z.record(z.string(), z.string()).optional(),
    desiredCount: z.number().optional(),
});

const ephemeralOverridesSchema = z.strictObject({
    services: z.record(z.string(), serviceOverrides).optional(),
    /** Hours until the environment may be destroyed; recorded as its `expires-at` tag. @default none */
    ttlHours: integer(1, MAX_TTL_HOURS).optional(),
});

export type { EphemeralOverrides };

/** The written-out type and the schema agree, both ways: a key added to one and not the other fails to compile. */
type Agrees<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Agrees<z.output<typeof ephemeralOverridesSchema>, EphemeralOverrides> = true;
void schemaMatchesType;

/**
 * The template's config with the overrides applied. Throws ConfigInvalidError for a key outside
 * the allowlist or a service the template does not have; `now` dates the `expires-at` tag.
 */
export function applyEphemeralOverrides(template: Record<string, unknown>, overrides: unknown, now: Date = new Date()): Record<string, unknown> {
    let parsed: EphemeralOverrides;
    try {
        parsed = parseOrThrow(ephemeralOverridesSchema, overrides ?? {}, "overrides");
    } catch (error) {
        throw error instanceof ValidationError ? ConfigInvalidError.from(error) : error;
    }
    const services = structuredClone((template.services ?? {}) as Record<string, Record<string, any>>);
    const unknown = Object.keys(parsed.services ?? {}).filter((name) => !(name in services));
    if (unknown.length > 0) {
        throw new ConfigInvalidError(
            "overrides",
            unknown.map((name) => ({ path: `services.${name}`, message: `the template has no service "${name}"; its services: ${Object.keys(services).join(", ") || "none"}` })),
        );
    }
    for (const [name, change] of Object.entries(parsed.services ?? {})) {
        const service = services[name];
        if (change.image) service.image = change.image;
        if (change.environment) service.container = { ...service.container, environment: { ...service.container?.environment, ...change.environment } };
        if (change.desiredCount !== undefined) service.desiredCount = change.desiredCount;
    }
    const tags = { ...((template.tags as Record<string, string> | undefined) ?? {}) };
    if (parsed.ttlHours !== undefined) tags["expires-at"] = new Date(now.getTime() + parsed.ttlHours * 3_600_000).toISOString();
    return { ...template, services, tags };
}
