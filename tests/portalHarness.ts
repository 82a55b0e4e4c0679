import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import type { EnvironmentStack, PulumiWorkspaces } from "../stacks/automation";
import type { PortalOptions } from "../portal/server";
import { projectRoot } from "./planFixtures";

/**
 * What the portal's tests share: an identity provider on 127.0.0.1 (a JWKS and a discovery
 * document, keys made with jose), a stand-in for the Pulumi CLI that logs each operation, and a
 * portal on a free loopback port.
 */

export const ISSUER_PATH = "/realms/platform";
export const AUDIENCE = "fargate-portal";

export interface IdentityProvider {
    issuer: string;
    /** A signed token for `subject` in `groups`; `claims` overrides any claim (iss, aud, exp...). */
    token(subject: string, groups: string[], claims?: Record<string, unknown>): Promise<string>;
    /** A token signed by a key the provider never published. */
    forgedToken(subject: string, groups: string[]): Promise<string>;
    close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const stranger = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    let issuer = "";
    const server = http.createServer((req, res) => {
        res.setHeader("Content-Type", "application/json");
        if (req.url === `${ISSUER_PATH}/.well-known/openid-configuration`) return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
        if (req.url === `${ISSUER_PATH}/keys`) return res.end(JSON.stringify({ keys: [jwk] }));
        res.statusCode = 404;
        res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ISSUER_PATH}`;
    const sign = (key: Parameters<SignJWT["sign"]>[0], subject: string, groups: string[], claims: Record<string, unknown> = {}) =>
        new SignJWT({ groups, email: `${subject}@example.com`, ...claims })
            .setProtectedHeader({ alg: "ES256", kid: "k1" })
            .setSubject(subject)
            .setIssuer((claims.iss as string) ?? issuer)
            .setAudience((claims.aud as string) ?? AUDIENCE)
            .setIssuedAt()
            .setExpirationTime((claims.exp as number) ?? "10m")
            .sign(key);
    return {
        issuer,
        token: (subject, groups, claims) => sign(privateKey, subject, groups, claims),
        forgedToken: (subject, groups) => sign(stranger.privateKey, subject, groups),
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}

/** The access file the tests use: three groups, one per role. */
export function testAccess(issuer: string) {
    return {
        oidc: { issuer, audience: AUDIENCE },
        roles: { viewer: ["staff"], deployer: ["developers"], admin: ["platform-admins"] },
    };
}

export interface LoggedOperation {
    operation: "preview" | "up" | "refresh" | "destroy" | "removeStack";
    stack: string;
    options: Record<string, any>;
    config: Record<string, { value: string }>;
}

/**
 * The Pulumi CLI as the attacker's log saw it: each operation is logged, then waits `hold()` (a
 * promise the test controls) before it ends. Nothing is deployed anywhere.
 */
export function loggingBackend(hold: (operation: string, stack: string) => Promise<void> = async () => undefined): { workspaces: PulumiWorkspaces; log: LoggedOperation[] } {
    const log: LoggedOperation[] = [];
    const stacks = new Map<string, Record<string, { value: string }>>();
    const stackOf = (name: string): EnvironmentStack => {
        const config = stacks.get(name) ?? {};
        stacks.set(name, config);
        const run = async (operation: LoggedOperation["operation"], options: Record<string, any> = {}) => {
            log.push({ operation, stack: name, options, config: { ...config } });
            await hold(operation, name);
        };
        return {
            getAllConfig: async () => ({ ...config }),
            setAllConfig: async (next) => void Object.assign(config, next),
            removeAllConfig: async (keys) => keys.forEach((key) => delete config[key]),
            preview: async (options) => (await run("preview", options), { stdout: "", stderr: "", changeSummary: { create: 1 } }),
            up: async (options) => (await run("up", options), { stdout: "", stderr: "", outputs: {}, summary: { resourceChanges: { create: 1 } } as never }),
            refresh: async (options) => (await run("refresh", options), { stdout: "", stderr: "", summary: { resourceChanges: { same: 1 } } as never }),
            destroy: async (options) => (await run("destroy", options), { stdout: "", stderr: "", summary: { resourceChanges: { delete: 1 } } as never }),
            outputs: async () => ({}),
            exportStack: async () => ({ version: 3, deployment: { resources: [] } }),
        };
    };
    return {
        log,
        workspaces: {
            createOrSelectStack: async (args) => stackOf(args.stackName),
            selectStack: async (args) => stackOf(args.stackName),
            removeStack: async (name) => void log.push({ operation: "removeStack", stack: name, options: {}, config: {} }),
            listStacks: async () => [...stacks.keys()].map((name) => ({ name, current: false, updateInProgress: false })) as never,
        },
    };
}

export interface RunningPortal {
    url: string;
    port: number;
    close(): Promise<void>;
}

/** A portal on a free loopback port, its workspaces in a fresh temporary directory. */
export async function startPortal(options: Omit<PortalOptions, "projectDir"> & { projectDir?: string }): Promise<RunningPortal> {
    const { createPortal } = await import("../portal/server");
    const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), "portal-workspaces-"));
    const server = createPortal({ projectDir: projectRoot, workspaceDir, policyPack: path.join(projectRoot, "policy"), ...options }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
            new Promise((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
                fs.rmSync(workspaceDir, { recursive: true, force: true });
            }),
    };
}

/** A POST with a JSON body and the token. */
export function post(url: string, token: string | undefined, body: unknown = {}, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    return fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
        ...(signal ? { signal } : {}),
    });
}

export function get(url: string, token?: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(url, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
}

export async function errorOf(response: Response): Promise<{ code: string; message: string } & Record<string, any>> {
    return ((await response.json()) as { error: { code: string; message: string } }).error;
}
