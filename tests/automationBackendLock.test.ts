import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EnvironmentBusyError, OperationEvent, destroyEnvironment } from "../stacks/automation";
import { STALE_AFTER_MS, acquireBackendLock, lockFilePath } from "../automation/backendLock";
import { projectRoot } from "./planFixtures";
import { loggingBackend } from "./portalHarness";

/** Runs tests/fixtures/lockingProcess.ts in a Node process of its own; resolves with its exit code. */
function lockingProcess(backendDir: string, logFile: string, count: number, pauseMs: number): Promise<number> {
    const child = spawn(process.execPath, ["-r", "ts-node/register", path.join(__dirname, "fixtures", "lockingProcess.ts"), backendDir, logFile, String(count), String(pauseMs)], {
        cwd: projectRoot,
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
        stdio: ["ignore", "inherit", "inherit"],
    });
    return new Promise((resolve, reject) => {
        child.on("error", reject);
        child.on("exit", (code) => resolve(code ?? -1));
    });
}

describe("the backend's lock across processes", () => {
    let backendDir: string;
    beforeEach(() => (backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "file-backend-"))));
    afterEach(() => fs.rmSync(backendDir, { recursive: true, force: true }));

    it("never runs two operations on one environment at once from two Node processes on one file backend", async function () {
        this.timeout(90_000);
        const log = path.join(backendDir, "operations.log");
        const codes = await Promise.all([lockingProcess(backendDir, log, 3, 150), lockingProcess(backendDir, log, 3, 150)]);
        assert.deepEqual(codes, [0, 0]);
        const lines = fs.readFileSync(log, "utf8").trim().split("\n");
        assert.equal(lines.length, 12, "six operations, each started and ended");
        const pids = new Set<string>();
        for (let i = 0; i < lines.length; i += 2) {
            const [start, end] = [lines[i].split(" "), lines[i + 1].split(" ")];
            assert.deepEqual([start[0], end[0], end[1]], ["start", "end", start[1]], `operation ${i / 2} ended before another started:\n${lines.join("\n")}`);
            pids.add(start[1]);
        }
        assert.equal(pids.size, 2, "both processes ran operations");
        assert.deepEqual(fs.readdirSync(path.dirname(lockFilePath(`file://${backendDir}`, projectRoot, "fargate-service", "dev"))), [], "the lock was released");
    });

    it("makes an operation wait for a lock another process holds, saying who holds it", async () => {
        const backend = loggingBackend();
        const file = lockFilePath(`file://${backendDir}`, projectRoot, "fargate-service", "dev");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        // This test's own pid: alive, so the lock is not stale.
        fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString(), operation: "deploy", nonce: "other" }));
        const events: OperationEvent[] = [];
        const options = { projectDir: projectRoot, backendUrl: `file://${backendDir}`, workspaceDir: path.join(backendDir, "ws"), workspaces: backend.workspaces };
        await assert.rejects(destroyEnvironment("dev", { ...options, whenBusy: "fail" }), (error: unknown) => {
            assert.ok(error instanceof EnvironmentBusyError);
            assert.match(error.message, new RegExp(`pid ${process.pid} on ${os.hostname()}`));
            return true;
        });
        const waiting = destroyEnvironment("dev", { ...options, onEvent: (e) => events.push(e) });
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(backend.log.length, 0, "nothing ran while the lock was held");
        assert.equal(events[0]?.type, "waiting-for-lock");
        fs.rmSync(file);
        await waiting;
        assert.equal(backend.log.length, 1);
    });

    it("breaks a lock whose holder died on this host", async () => {
        const file = lockFilePath(`file://${backendDir}`, projectRoot, "p", "dev");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const dead = spawn(process.execPath, ["-e", ""]);
        const deadPid = await new Promise<number>((resolve) => dead.on("exit", () => resolve(dead.pid!)));
        fs.writeFileSync(file, JSON.stringify({ pid: deadPid, host: os.hostname(), since: new Date().toISOString(), operation: "deploy", nonce: "dead" }));
        const release = await acquireBackendLock({ backendUrl: `file://${backendDir}`, cwd: projectRoot, project: "p", stack: "dev", operation: "deploy", failIfHeld: true });
        assert.equal(JSON.parse(fs.readFileSync(file, "utf8")).pid, process.pid);
        release();
        assert.equal(fs.existsSync(file), false);
    });

    it("breaks a lock of another host that nobody touched for longer than the stale delay, and keeps a fresh one", async () => {
        const file = lockFilePath(`file://${backendDir}`, projectRoot, "p", "dev");
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify({ pid: 1, host: "another-host", since: "2026-01-01T00:00:00.000Z", operation: "deploy", nonce: "far" }));
        const request = { backendUrl: `file://${backendDir}`, cwd: projectRoot, project: "p", stack: "dev", operation: "deploy", failIfHeld: true };
        await assert.rejects(acquireBackendLock(request), /held by pid 1 on another-host/);
        const old = new Date(Date.now() - STALE_AFTER_MS - 1000);
        fs.utimesSync(file, old, old);
        const release = await acquireBackendLock(request);
        release();
    });
});
