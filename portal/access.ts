import * as fs from "node:fs";
import * as YAML from "yaml";
import { z } from "zod";
import { parseOrThrow } from "../core/validation";
import { RemoteSource, remoteSourceProblems } from "../stacks/automation";
import type { Principal } from "./auth";
import { HttpError } from "./httpErrors";

/**
 * Who may do what, from one file (access.yaml, see access.example.yaml): the identity provider, the
 * roles each group of the token gives, the environments that are protected, and the hosts and
 * origins the portal answers. Roles nest: an admin may do what a deployer may, a deployer what a
 * viewer may.
 * - viewer: plan, diagram, outputs, history;
 * - deployer: preview, deploy and refresh outside protected environments; ephemeral environments
 *   (create, update, destroy);
 * - admin: everything on protected environments, and every destroy of a stack file's environment.
 *   Destroying a protected environment also needs its name sent back as `confirm`.
 */

export const ROLES = ["viewer", "deployer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const OPERATIONS = ["plan", "diagram", "outputs", "history", "preview", "deploy", "refresh", "destroy"] as const;
export type PortalOperation = (typeof OPERATIONS)[number];

const READS: readonly PortalOperation[] = ["plan", "diagram", "outputs", "history"];

const groupList = z.array(z.string().min(1, "a group name cannot be empty")).default([]);
const hostPattern = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

const environmentRules = z.strictObject(Object.fromEntries(OPERATIONS.map((operation) => [operation, z.enum(ROLES).optional()])) as Record<PortalOperation, z.ZodOptional<z.ZodEnum<{ [K in Role]: K }>>>);

/** An environment run on Pulumi Deployments: its Git source; secrets are named, read from the portal's own environment. */
const remoteEnvironment = z
    .strictObject({
        organization: z.string(),
        url: z.string(),
        branch: z.string().optional(),
        commitHash: z.string().optional(),
        projectPath: z.string().optional(),
        /** Plain variables of the remote run. */
        envVars: z.record(z.string(), z.string()).default({}),
        /** Names of this process's variables passed to the remote run as secrets (AWS_SECRET_ACCESS_KEY...): values never sit in the file. */
        secretEnvVars: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name")).default([]),
    })
    .superRefine((source, ctx) => {
        for (const problem of remoteSourceProblems(source as RemoteSource)) ctx.addIssue({ code: "custom", path: [problem.path], message: problem.message });
    });

export const accessSchema = z.strictObject({
    /** The identity provider. Without it the portal runs in local mode (a token printed at start, loopback only). */
    oidc: z
        .strictObject({
            issuer: z.url({ protocol: /^https?$/, error: "expected the issuer's URL, such as https://login.example.com/realms/platform" }),
            audience: z.string().min(1, "expected the portal's client id at the identity provider"),
            groupsClaim: z.string().min(1).default("groups"),
            jwksUri: z.url({ protocol: /^https?$/ }).optional(),
        })
        .optional(),
    /** Groups of the token, per role. A principal has the highest role any of its groups gives. */
    roles: z.strictObject({ viewer: groupList, deployer: groupList, admin: groupList }).default({ viewer: [], deployer: [], admin: [] }),
    /** Environments where preview, deploy and refresh need an admin and destroy a confirmation. Stack files with the prod preset always are. */
    protectedEnvironments: z.array(z.string().min(1)).default([]),
    /** Stricter roles per environment and operation (`staging: { deploy: admin }`); never laxer than the defaults. */
    environments: z.record(z.string().min(1), environmentRules).default({}),
    /** Host headers answered, besides loopback on the portal's own port: the name the portal is reached by. */
    allowedHosts: z.array(z.string().regex(hostPattern, "expected a host name, with its port when not 80 or 443 (portal.example.com, portal.example.com:8443)")).default([]),
    /** Environments whose operations run on Pulumi Deployments, by name; the others run on the portal's machine. */
    remoteEnvironments: z.record(z.string().min(1), remoteEnvironment).default({}),
    /** Origins whose pages may call the API, besides the portal's own: `https://portal.example.com`. */
    allowedOrigins: z.array(z.url({ error: "expected an origin such as https://portal.example.com" }).transform((url) => new URL(url).origin)).default([]),
});

export type AccessConfig = z.output<typeof accessSchema>;

/** The config when there is no file: local mode, the one user an admin. */
export const LOCAL_ACCESS: AccessConfig = accessSchema.parse({});

/** Reads and validates an access file: every problem at once, naming the file and the key. */
export function readAccessConfig(file: string): AccessConfig {
    let document: unknown;
    try {
        document = YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
    } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
    }
    return parseOrThrow(accessSchema, document, file);
}

/** The remote source of an environment, its secrets read from `env`; undefined when it runs locally. */
export function remoteSourceOf(access: AccessConfig, environment: string, env: NodeJS.ProcessEnv = process.env): RemoteSource | undefined {
    const remote = access.remoteEnvironments[environment];
    if (!remote) return undefined;
    const { secretEnvVars, envVars, ...source } = remote;
    const secrets = Object.fromEntries(secretEnvVars.map((name) => [name, { secret: env[name] ?? "" }]));
    return { ...source, envVars: { ...envVars, ...secrets } };
}

/** What an environment is, as far as access goes. */
export interface EnvironmentKind {
    name: string;
    /** Protected: listed in protectedEnvironments, or a stack file with the prod preset. */
    protected: boolean;
    /** Has no stack file: an ephemeral environment made from the template. */
    ephemeral: boolean;
}

/** The role an operation on an environment needs: the default, or the access file's stricter one. */
export function requiredRole(access: AccessConfig, environment: EnvironmentKind, operation: PortalOperation): Role {
    let role: Role;
    if (READS.includes(operation)) role = "viewer";
    else if (environment.protected) role = "admin";
    else if (operation === "destroy") role = environment.ephemeral ? "deployer" : "admin";
    else role = "deployer";
    const stricter = access.environments[environment.name]?.[operation];
    return stricter && rank(stricter) > rank(role) ? stricter : role;
}

/** The highest role a principal's groups give; the local modes' one user is an admin. */
export function roleOf(access: AccessConfig, principal: Principal): Role | undefined {
    if (principal.via !== "oidc") return "admin";
    const held = ROLES.filter((role) => access.roles[role].some((group) => principal.groups.includes(group)));
    return held.at(-1);
}

/** Throws HttpError 403 unless the principal may run `operation` on the environment. */
export function authorise(access: AccessConfig, principal: Principal, environment: EnvironmentKind, operation: PortalOperation): Role {
    const needed = requiredRole(access, environment, operation);
    const held = roleOf(access, principal);
    if (!held || rank(held) < rank(needed)) {
        throw new HttpError(
            403,
            "forbidden",
            `${principal.subject} may not ${operation} ${environment.name}: it needs the ${needed} role, and ${held ? `${principal.subject} is a ${held}` : `no group of ${principal.subject}'s token (${principal.groups.join(", ") || "none"}) gives a role`}.`,
        );
    }
    return held;
}

function rank(role: Role): number {
    return ROLES.indexOf(role);
}
