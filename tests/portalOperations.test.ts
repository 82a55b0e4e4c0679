import * as assert from "node:assert/strict";
import { localTokenAuthenticator } from "../portal/auth";
import { EnvironmentBusyError, localWorkspaces } from "../stacks/automation";
import { LoggedOperation, RunningPortal, errorOf, loggingBackend, post, startPortal } from "./portalHarness";
import { gate } from "./gate";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, looking every 20 ms, for at most `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
        if (Date.now() > end) throw new Error("timed out waiting");
        await pause(20);
    }
}

describe("portal operations: order, bounds and answers", () => {
    const auth = localTokenAuthenticator();
    let portal: RunningPortal | undefined;
    afterEach(async () => {
        await portal?.close();
        portal = undefined;
    });

    const operations = (log: LoggedOperation[]) => log.map((entry) => `${entry.operation} ${entry.stack}`);

    it("runs a destroy requested after a deploy after it, though the deploy has a config to plan first", async () => {
        const backend = loggingBackend();
        portal = await startPortal({ auth, workspaces: backend.workspaces });
        // A fresh config (its expires-at tag is new): the deploy plans it, the destroy plans nothing.
        const deploy = post(`${portal.url}/api/environments/pr-90/deploy`, auth.token, { ttlHours: 5 });
        await pause(100);
        const destroy = post(`${portal.url}/api/environments/pr-90/destroy`, auth.token, {});
        await Promise.all([(await deploy).text(), (await destroy).text()]);
        assert.deepEqual(operations(backend.log), ["up pr-90", "destroy pr-90", "removeStack pr-90"]);
    });

    it("answers 429 with Retry-After when the environment's queue is full, and runs what it accepted", async () => {
        const held = gate();
        const backend = loggingBackend(() => held.promise);
        portal = await startPortal({ auth, workspaces: backend.workspaces, maxWaiting: 1 });
        const first = post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        await until(() => backend.log.length === 1);
        const second = post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        await pause(200);
        const third = await post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        assert.equal(third.status, 429);
        assert.equal(third.headers.get("retry-after"), "30");
        const error = await errorOf(third);
        assert.equal(error.code, "queue-full");
        assert.equal(error.retryAfterSeconds, 30);
        held.open();
        await Promise.all([(await first).text(), (await second).text()]);
        assert.equal(backend.log.length, 2);
    });

    it("never starts a queued operation whose caller disconnected", async () => {
        const held = gate();
        const backend = loggingBackend(() => held.promise);
        portal = await startPortal({ auth, workspaces: backend.workspaces });
        const first = post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        await until(() => backend.log.length === 1);
        const leaving = new AbortController();
        const second = post(`${portal.url}/api/environments/dev/deploy`, auth.token, {}, {}, leaving.signal).catch(() => undefined);
        await pause(300);
        leaving.abort();
        await second;
        await pause(100);
        held.open();
        await (await first).text();
        await pause(300);
        assert.deepEqual(operations(backend.log), ["refresh dev"], "the deploy never ran");
    });

    it("answers 409 with Retry-After when another process updates the environment", async () => {
        const backend = loggingBackend(() => Promise.reject(new EnvironmentBusyError("dev", "alice@host (pid 7) at 2026-11-23T17:00:00Z")));
        const { workspaces } = backend;
        portal = await startPortal({ auth, workspaces: { ...workspaces, selectStack: () => Promise.reject(new EnvironmentBusyError("dev")) } });
        const response = await post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        assert.equal(response.status, 409);
        assert.equal(response.headers.get("retry-after"), "60");
        assert.equal((await errorOf(response)).code, "environment-busy");
    });

    it("answers 503 at once to a request that would queue behind another when the CLI is gone, not 200 and a late event", async () => {
        const held = gate();
        const backend = loggingBackend(() => held.promise);
        let cliGone = false;
        const workspaces = { ...backend.workspaces, checkAvailable: () => (cliGone ? localWorkspaces.checkAvailable!({ PATH: "/nonexistent" }) : undefined) };
        portal = await startPortal({ auth, workspaces });
        const first = post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        await until(() => backend.log.length === 1);
        cliGone = true;
        const second = await post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        assert.equal(second.status, 503);
        assert.equal((await errorOf(second)).code, "cli-missing");
        held.open();
        await (await first).text();
    });

    it("answers 503 with a JSON body when the Pulumi CLI cannot start, not 200 and an event", async () => {
        portal = await startPortal({ auth });
        const PATH = process.env.PATH;
        process.env.PATH = "/nonexistent";
        let response: Response;
        try {
            response = await post(`${portal.url}/api/environments/dev/refresh`, auth.token);
        } finally {
            process.env.PATH = PATH;
        }
        assert.equal(response.status, 503);
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        assert.equal((await errorOf(response)).code, "cli-missing");
    });
});
