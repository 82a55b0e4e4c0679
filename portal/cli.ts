#!/usr/bin/env node
import "./startFast";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { Command } from "commander";
import { ValidationError } from "../core/validation";
import { AccessConfig, LOCAL_ACCESS, readAccessConfig } from "./access";
import { AuditStore, embeddedAuditStore, missingAuditDriver, postgresAuditStore } from "./audit";
import { Authenticator, localTokenAuthenticator, oidcAuthenticator, unsafeNoAuthenticator } from "./auth";
import { LOOPBACK_HOSTS } from "./requestGuards";
import { createPortal } from "./server";

/**
 * `npm run portal -- [options]`: the portal on 127.0.0.1:3000.
 * - with an access file that has `oidc:`: behind the organisation's SSO (any address);
 * - without: local mode, a random token printed at start, loopback only;
 * - `--unsafe-no-auth`: no authentication at all, loopback only.
 */

export interface StartChoice {
    host: string;
    access: AccessConfig;
    unsafeNoAuth: boolean;
    /** A fixed local token (PORTAL_TOKEN), else a random one. */
    localToken?: string;
}

/** Whether `host` is one of the loopback names the portal answers to: only this machine can connect. */
export function isLoopback(host: string): boolean {
    return LOOPBACK_HOSTS.includes(host.replace(/^\[|\]$/g, "").toLowerCase());
}

/**
 * The authenticator for the start options, or an Error saying why the portal refuses to start:
 * the local modes never listen beyond loopback, and nothing is ever unauthenticated unless asked
 * for by name.
 */
export function chooseAuthenticator(choice: StartChoice): Authenticator {
    if (choice.unsafeNoAuth) {
        if (!isLoopback(choice.host)) throw new Error(`--unsafe-no-auth is refused on ${choice.host}: without authentication the portal listens on loopback only (127.0.0.1 or ::1).`);
        return unsafeNoAuthenticator();
    }
    if (choice.access.oidc) return oidcAuthenticator(choice.access.oidc);
    if (!isLoopback(choice.host)) {
        throw new Error(`Local mode (no oidc in the access file) listens on loopback only, not ${choice.host}: configure oidc (issuer, audience) in the access file to serve other machines.`);
    }
    return localTokenAuthenticator(choice.localToken);
}

export async function main(argv: string[]): Promise<void> {
    const program = new Command("portal")
        .description("The environments portal: plan, preview, deploy, refresh and destroy, behind authentication")
        .option("--host <address>", "address to listen on", process.env.HOST ?? "127.0.0.1")
        .option("--port <port>", "port to listen on", process.env.PORT ?? "3000")
        .option("--access <file>", "the access file (roles, oidc, hosts); see portal/access.example.yaml", process.env.PORTAL_ACCESS_FILE)
        .option("--project-dir <dir>", "the Pulumi project's directory", process.cwd())
        .option("--backend-url <url>", "the Pulumi backend (file://, s3://, https://api.pulumi.com)", process.env.PULUMI_BACKEND_URL)
        .option("--audit-dir <dir>", "where the embedded audit log lives", path.join(process.cwd(), ".portal", "audit"))
        .option("--audit-database-url <url>", "the organisation's PostgreSQL for the audit log, instead of the embedded one", process.env.PORTAL_AUDIT_DATABASE_URL)
        .option("--unsafe-no-auth", "UNSAFE: no authentication at all; everyone who reaches the port is an admin (loopback only)", false);
    program.parse(argv);
    const flags = program.opts<{ host: string; port: string; access?: string; projectDir: string; backendUrl?: string; auditDir: string; auditDatabaseUrl?: string; unsafeNoAuth: boolean }>();

    let access: AccessConfig = LOCAL_ACCESS;
    let auth: Authenticator;
    try {
        if (flags.access) access = readAccessConfig(flags.access);
        else if (fs.existsSync(path.join(flags.projectDir, "portal", "access.yaml"))) access = readAccessConfig(path.join(flags.projectDir, "portal", "access.yaml"));
        auth = chooseAuthenticator({ host: flags.host, access, unsafeNoAuth: flags.unsafeNoAuth, localToken: process.env.PORTAL_TOKEN });
    } catch (error) {
        console.error(error instanceof ValidationError || error instanceof Error ? error.message : String(error));
        process.exitCode = 2;
        return;
    }
    const missingDriver = missingAuditDriver(flags.auditDatabaseUrl ? "postgres" : "embedded");
    if (missingDriver) {
        console.error(missingDriver);
        process.exitCode = 2;
        return;
    }
    // The embedded store's first start creates its database (seconds): the portal answers meanwhile.
    const audit = whenOpen(flags.auditDatabaseUrl ? postgresAuditStore(flags.auditDatabaseUrl) : embeddedAuditStore(flags.auditDir));
    const app = createPortal({ auth, access, audit, projectDir: flags.projectDir, ...(flags.backendUrl ? { backendUrl: flags.backendUrl } : {}) });
    const server = app.listen(Number(flags.port), flags.host, () => {
        const address = flags.host.includes(":") ? `[${flags.host}]` : flags.host;
        console.log(`Portal on http://${address}:${(server.address() as net.AddressInfo).port}/?env=dev (${auth.mode})`);
        if ("token" in auth) console.log(`Sign in with this token${process.env.PORTAL_TOKEN ? " (PORTAL_TOKEN)" : " (a new one at every start; PORTAL_TOKEN fixes it)"}:\n  ${(auth as { token: string }).token}`);
        if (auth.mode === "unsafe-no-auth") console.warn("WARNING: --unsafe-no-auth: anyone who can reach this port can deploy and destroy.");
    });
    const stop = () => server.close(() => void audit.close());
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
}

/** A store still opening: calls wait for it; a store that failed to open fails them with its reason. */
function whenOpen(opening: Promise<AuditStore>): AuditStore {
    opening.catch((error) => console.error(`The audit log could not be opened: ${(error as Error).message}`));
    return {
        record: async (entry) => (await opening).record(entry),
        query: async (query) => (await opening).query(query),
        close: async () => (await opening).close(),
    };
}

if (require.main === module) void main(process.argv);
