/**
 * What a caller may change in an ephemeral environment, as the published API types it. Written
 * out rather than inferred from the zod schema (ephemeralOverrides.ts, which checks at compile
 * time that the two agree) so that the Automation API's declarations do not pull in zod's, which
 * do not compile without `esModuleInterop` (Pulumi's TypeScript template).
 */

/** The changes to one of the template's services. */
export interface EphemeralServiceOverrides {
    /** The image to run instead of the template's: a URI, or a tag of the service's repository. Never a build. @default the template's image @example { tag: "pr-42" } */
    image?: { uri: string } | { tag: string };
    /** Variables added to (or replacing) the template's `container.environment`. @default none @example { FEATURE_FLAG: "on" } */
    environment?: Record<string, string>;
    /** Tasks to run. @default the template's @example 1 */
    desiredCount?: number;
}

export interface EphemeralOverrides {
    /** Overrides by service name; each service must be one of the template's. @default none @example { api: { image: { tag: "pr-42" } } } */
    services?: Record<string, EphemeralServiceOverrides>;
    /** Hours until the environment may be destroyed (1 to 168); recorded as its `expires-at` tag. @default none @example 24 */
    ttlHours?: number;
}
