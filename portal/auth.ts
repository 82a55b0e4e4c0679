import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { HttpError } from "./httpErrors";

/**
 * Who is calling: a bearer token checked on every API request. Three modes, chosen when the portal
 * starts, never per request:
 * - `oidc`: a JWT from the organisation's identity provider, verified against its published keys
 *   (JWKS), issuer and audience; the groups claim gives the roles (see access.ts).
 * - `local-token`: one person on a laptop. A random token printed at start; loopback only.
 * - `unsafe-no-auth`: everyone is an admin. Only with an explicit flag, only on loopback.
 */

export type AuthMode = "oidc" | "local-token" | "unsafe-no-auth";

export interface Principal {
    /** Who: the token's subject (or its email or preferred_username when it has one), `local` or `anonymous`. */
    subject: string;
    /** The token's groups: access.yaml maps them to roles. The local modes have none: their one user is an admin. */
    groups: string[];
    via: AuthMode;
}

export interface Authenticator {
    readonly mode: AuthMode;
    /** The principal of an `Authorization` header, or HttpError 401 naming what is wrong. */
    authenticate(authorization: string | undefined): Promise<Principal>;
}

export interface OidcSettings {
    /** The issuer URL, exactly as the tokens' `iss` claim says (`https://login.example.com/realms/platform`). */
    issuer: string;
    /** The audience the tokens must name (`aud`): the portal's client id at the identity provider. */
    audience: string;
    /** The claim holding the groups, a dotted path for nested claims (`realm_access.roles`). @default "groups" */
    groupsClaim?: string;
    /** Where the keys are. @default the `jwks_uri` of the issuer's `/.well-known/openid-configuration` */
    jwksUri?: string;
    /** Accepted clock difference, in seconds. @default 30 */
    clockToleranceSeconds?: number;
}

/** Verifies OIDC bearer tokens (RS256, ES256, EdDSA...) with jose against the issuer's JWKS. */
export function oidcAuthenticator(settings: OidcSettings): Authenticator {
    const groupsClaim = settings.groupsClaim ?? "groups";
    let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
    const keySet = () => {
        if (!keys) {
            keys = jwksUri(settings).then((uri) => createRemoteJWKSet(new URL(uri)));
            // A discovery that failed (the provider was down) is tried again by the next request.
            keys.catch(() => (keys = undefined));
        }
        return keys;
    };
    return {
        mode: "oidc",
        async authenticate(authorization) {
            const token = bearer(authorization);
            let payload: JWTPayload;
            try {
                ({ payload } = await jwtVerify(token, await keySet(), {
                    issuer: settings.issuer,
                    audience: settings.audience,
                    clockTolerance: settings.clockToleranceSeconds ?? 30,
                }));
            } catch (error) {
                throw new HttpError(401, "token-invalid", `The bearer token was refused: ${(error as Error).message}. Sign in again.`);
            }
            return { subject: subjectOf(payload), groups: groupsOf(payload, groupsClaim), via: "oidc" };
        },
    };
}

async function jwksUri(settings: OidcSettings): Promise<string> {
    if (settings.jwksUri) return settings.jwksUri;
    const discovery = `${settings.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(discovery, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
    const document = (await response.json()) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== "string") throw new Error(`${discovery} has no jwks_uri`);
    return document.jwks_uri;
}

function subjectOf(payload: JWTPayload): string {
    for (const claim of ["email", "preferred_username", "sub"]) {
        if (typeof payload[claim] === "string" && payload[claim]) return payload[claim] as string;
    }
    return "unknown";
}

/** The groups claim as a list of strings; a missing claim is no group, anything else no group either. */
export function groupsOf(payload: Record<string, unknown>, claim: string): string[] {
    let value: unknown = payload;
    for (const part of claim.split(".")) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    if (typeof value === "string") return [value];
    return Array.isArray(value) ? value.filter((group): group is string => typeof group === "string") : [];
}

/** One token, compared in constant time: whoever has it is the laptop's owner, an admin. */
export function localTokenAuthenticator(token: string = randomBytes(24).toString("base64url")): Authenticator & { token: string } {
    if (token.length < 16) throw new Error("The local token must have at least 16 characters.");
    const expected = digest(token);
    return {
        mode: "local-token",
        token,
        async authenticate(authorization) {
            // Hashing both sides first makes the comparison constant-time whatever the lengths.
            if (!timingSafeEqual(digest(bearer(authorization)), expected)) {
                throw new HttpError(401, "token-invalid", "The bearer token is not the one this portal printed when it started.");
            }
            return { subject: "local", groups: [], via: "local-token" };
        },
    };
}

/** Everyone is an admin: only behind `--unsafe-no-auth`, only on loopback (see isLoopback in cli.ts). */
export function unsafeNoAuthenticator(): Authenticator {
    return { mode: "unsafe-no-auth", authenticate: async () => ({ subject: "anonymous", groups: [], via: "unsafe-no-auth" }) };
}

function bearer(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match) throw new HttpError(401, "unauthenticated", "Sign in: this API needs an `Authorization: Bearer <token>` header.");
    return match[1];
}

function digest(text: string): Buffer {
    return createHash("sha256").update(text).digest();
}
