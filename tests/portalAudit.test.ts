import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AuditEntry, AuditStore, embeddedAuditStore, postgresAuditStore } from "../portal/audit";
import { localTokenAuthenticator } from "../portal/auth";
import { get, loggingBackend, post, startPortal } from "./portalHarness";

function entry(environment: string, operation: string, minute: number, result: AuditEntry["result"] = "succeeded"): AuditEntry {
    return {
        at: `2026-11-23T10:${String(minute).padStart(2, "0")}:00.000Z`,
        subject: "ada@example.com",
        via: "oidc",
        environment,
        operation,
        from: "10.0.0.7",
        result,
        status: result === "succeeded" ? 200 : 403,
        durationMs: 1234,
        ...(result === "succeeded" ? {} : { detail: "forbidden" }),
    };
}

/** What every store must do, whichever database is behind it. */
async function checkStore(store: AuditStore): Promise<void> {
    await store.record(entry("dev", "deploy", 1));
    await store.record(entry("prod", "destroy", 2, "refused"));
    await store.record(entry("dev", "refresh", 3));
    const dev = await store.query({ environment: "dev" });
    assert.deepEqual(
        dev.map((e) => `${e.operation} ${e.at}`),
        ["refresh 2026-11-23T10:03:00.000Z", "deploy 2026-11-23T10:01:00.000Z"],
        "this environment's entries, newest first",
    );
    assert.deepEqual(dev[1], entry("dev", "deploy", 1), "who, what, when, from where, result and duration come back as written");
    assert.deepEqual(await store.query({ environment: "prod" }), [entry("prod", "destroy", 2, "refused")]);
    assert.equal((await store.query({ environment: "dev", limit: 1 })).length, 1);
}

describe("audit log", () => {
    it("keeps the embedded log (PGlite) across a restart, queryable by environment", async function () {
        this.timeout(120_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-embedded-"));
        try {
            const store = await embeddedAuditStore(dir);
            await checkStore(store);
            await store.close();
            const reopened = await embeddedAuditStore(dir);
            assert.equal((await reopened.query({ environment: "dev" })).length, 2, "the entries survived the restart");
            await reopened.close();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("records every operation asked of the portal, refused ones too, and serves them as the history", async () => {
        const entries: AuditEntry[] = [];
        const audit: AuditStore = {
            record: async (e) => void entries.push(e),
            query: async ({ environment }) => entries.filter((e) => e.environment === environment).reverse(),
            close: async () => undefined,
        };
        const auth = localTokenAuthenticator();
        const portal = await startPortal({ auth, audit, workspaces: loggingBackend().workspaces });
        try {
            await (await post(`${portal.url}/api/environments/dev/refresh`, auth.token)).text();
            await (await post(`${portal.url}/api/environments/prod/destroy`, auth.token, { confirm: "nope" })).text();
            const history = (await (await get(`${portal.url}/api/environments/prod/history`, auth.token)).json()) as { entries: AuditEntry[] };
            assert.equal(history.entries.length, 1);
            const [refused] = history.entries;
            assert.equal(refused.subject, "local");
            assert.equal(refused.operation, "destroy");
            assert.equal(refused.result, "refused");
            assert.equal(refused.status, 400);
            assert.equal(refused.detail, "confirmation-required");
            assert.equal(refused.from, "127.0.0.1");
            assert.ok(refused.durationMs >= 0);
            for (const limit of ["-5", "0", "1.5", "nope"]) {
                const some = await get(`${portal.url}/api/environments/prod/history?limit=${limit}`, auth.token);
                assert.equal(some.status, 200, `limit=${limit}: a viewer's query string never reaches the database as it is`);
            }
            const dev = entries.find((e) => e.environment === "dev")!;
            assert.equal(dev.result, "succeeded");
            assert.equal(dev.status, 200);
        } finally {
            await portal.close();
        }
    });

    describe("in the organisation's PostgreSQL", function () {
        this.timeout(120_000);
        let cluster: { dir: string; stop: () => void } | undefined;

        before(function () {
            const bin = postgresBinDir();
            if (!bin) {
                const reason = "PostgreSQL's server binaries are missing (apt-get install -y postgresql)";
                if (process.env.REQUIRE_POSTGRES === "1") throw new Error(`REQUIRE_POSTGRES=1 but ${reason}`);
                console.log(`    Skipped: the PostgreSQL store is tested on a real server, and ${reason}.`);
                this.skip();
            }
            cluster = startCluster(bin!);
        });
        after(() => cluster?.stop());

        it("shares one log between two portal processes' stores, created at the same time", async () => {
            const url = `postgresql://postgres@/postgres?host=${encodeURIComponent(cluster!.dir)}&port=${PORT}`;
            const [a, b] = await Promise.all([postgresAuditStore(url), postgresAuditStore(url)]);
            try {
                await checkStore(a);
                await b.record(entry("dev", "preview", 4));
                assert.deepEqual(
                    (await a.query({ environment: "dev" })).map((e) => e.operation),
                    ["preview", "refresh", "deploy"],
                    "what one process records, the other reads",
                );
            } finally {
                await Promise.all([a.close(), b.close()]);
            }
        });
    });
});

/** A unix socket in the cluster's own directory: no TCP port, so the number may be fixed. */
const PORT = 54329;

function postgresBinDir(): string | undefined {
    const root = "/usr/lib/postgresql";
    if (!fs.existsSync(root)) return undefined;
    const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
    return versions.length ? path.join(root, versions[0], "bin") : undefined;
}

/**
 * A throwaway cluster in a temporary directory, listening on a unix socket there only. PostgreSQL
 * refuses to run as root, so as root it runs as the `postgres` user Debian's package creates.
 */
function startCluster(bin: string): { dir: string; stop: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-postgres-"));
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync("chown", ["postgres", dir]);
    const run = (command: string, args: string[]) => {
        const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, command), ...args]] : [path.join(bin, command), args];
        const result = spawnSync(file, argv, { encoding: "utf8" });
        if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
    };
    const data = path.join(dir, "data");
    run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync"]);
    run("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", `-k ${dir} -p ${PORT} -c listen_addresses='' -c fsync=off`, "start"]);
    return {
        dir,
        stop: () => {
            try {
                run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
    };
}
