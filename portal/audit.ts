import type { AuthMode } from "./auth";

/**
 * The audit log: every operation asked of the portal (who, what, when, from where, result,
 * duration), kept across restarts and read back per environment. One SQL schema, two stores:
 * PGlite (PostgreSQL compiled to WebAssembly, in this process, persisted to a directory: the
 * default, no server) and the organisation's PostgreSQL (several portal processes share one log).
 * The drivers are loaded only by the store that needs them, and are optional peer dependencies of
 * @fargate-service/automation: PGlite is about 27 MB of WebAssembly that a user of the Automation API
 * alone, or a portal on PostgreSQL, never loads, so each portal installs the one it uses.
 */

/** Each store's driver, as npm names it. */
export const AUDIT_DRIVERS = { embedded: "@electric-sql/pglite", postgres: "pg" } as const;

/**
 * Why the store cannot open for want of its driver, said before the portal starts; undefined when
 * the driver is installed. Resolved from this file, as the store's import will be.
 */
export function missingAuditDriver(store: keyof typeof AUDIT_DRIVERS): string | undefined {
    const driver = AUDIT_DRIVERS[store];
    try {
        require.resolve(driver);
        return undefined;
    } catch {
        return store === "embedded"
            ? `the embedded audit log (the default, in --audit-dir) needs ${driver}, which is not installed: npm install ${driver}, or keep the log in PostgreSQL with --audit-database-url and npm install pg`
            : `--audit-database-url needs the PostgreSQL driver ${driver}, which is not installed: npm install ${driver}`;
    }
}

export interface AuditEntry {
    /** When it was asked for (ISO 8601). */
    at: string;
    /** Who: the token's subject. */
    subject: string;
    via: AuthMode;
    environment: string;
    operation: string;
    /** The caller's address. */
    from: string;
    result: "succeeded" | "failed" | "refused" | "cancelled";
    /** The HTTP status answered. */
    status: number;
    durationMs: number;
    /** The error code, when it did not succeed. */
    detail?: string;
}

export interface AuditQuery {
    environment: string;
    /** The newest entries first, at most this many. @default 50 */
    limit?: number;
}

export interface AuditStore {
    record(entry: AuditEntry): Promise<void>;
    query(query: AuditQuery): Promise<AuditEntry[]>;
    close(): Promise<void>;
}

/** What both drivers can do, in the shape they share (`$1` parameters, `rows`). */
export interface SqlClient {
    query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
    exec(sql: string): Promise<unknown>;
    close(): Promise<void>;
}

// An advisory lock around the schema: two processes starting at once on one database would
// otherwise race on CREATE TABLE IF NOT EXISTS (a unique violation in pg_type).
export const AUDIT_SCHEMA = `
BEGIN;
SELECT pg_advisory_xact_lock(7311001);
CREATE TABLE IF NOT EXISTS portal_audit (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    subject TEXT NOT NULL,
    via TEXT NOT NULL,
    environment TEXT NOT NULL,
    operation TEXT NOT NULL,
    source_address TEXT NOT NULL,
    result TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS portal_audit_environment_at ON portal_audit (environment, at DESC, id DESC);
COMMIT;
`;

interface AuditRow {
    at: Date | string;
    subject: string;
    via: AuthMode;
    environment: string;
    operation: string;
    source_address: string;
    result: AuditEntry["result"];
    status: number;
    duration_ms: number;
    detail: string | null;
}

/** The audit log in any SQL client that speaks PostgreSQL. */
export async function sqlAuditStore(client: SqlClient): Promise<AuditStore> {
    await client.exec(AUDIT_SCHEMA);
    return {
        async record(entry) {
            await client.query(
                "INSERT INTO portal_audit (at, subject, via, environment, operation, source_address, result, status, duration_ms, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                [entry.at, entry.subject, entry.via, entry.environment, entry.operation, entry.from, entry.result, entry.status, Math.round(entry.durationMs), entry.detail ?? null],
            );
        },
        async query({ environment, limit = 50 }) {
            const { rows } = await client.query<AuditRow>("SELECT * FROM portal_audit WHERE environment = $1 ORDER BY at DESC, id DESC LIMIT $2", [environment, limit]);
            return rows.map((row) => ({
                at: new Date(row.at).toISOString(),
                subject: row.subject,
                via: row.via,
                environment: row.environment,
                operation: row.operation,
                from: row.source_address,
                result: row.result,
                status: row.status,
                durationMs: row.duration_ms,
                ...(row.detail ? { detail: row.detail } : {}),
            }));
        },
        close: () => client.close(),
    };
}

/** The embedded default: PGlite persisted in `dir` (created if missing). One process at a time per directory. */
export async function embeddedAuditStore(dir: string): Promise<AuditStore> {
    const { PGlite } = await import("@electric-sql/pglite");
    const db = await PGlite.create(dir);
    return sqlAuditStore({ query: (sql, params) => db.query(sql, params), exec: (sql) => db.exec(sql), close: () => db.close() });
}

/** The organisation's PostgreSQL, shared by every portal process: `postgres://user@host/db`, or pg's PG* variables. */
export async function postgresAuditStore(connectionString?: string): Promise<AuditStore> {
    const { Pool } = await import("pg");
    const pool = new Pool({ ...(connectionString ? { connectionString } : {}), max: 4 });
    return sqlAuditStore({ query: (sql, params) => pool.query(sql, params) as never, exec: (sql) => pool.query(sql), close: () => pool.end() });
}
