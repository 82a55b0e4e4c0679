import * as assert from "node:assert/strict";
import { KeyedLock } from "../automation/environmentLock";
import { gate } from "./gate";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("per-stack lock", () => {
    it("runs operations on one stack one after the other, in the order they came", async () => {
        const lock = new KeyedLock();
        const log: string[] = [];
        const first = gate();
        const a = lock.run("dev", async () => {
            log.push("a starts");
            await first.promise;
            log.push("a ends");
        });
        const b = lock.run("dev", async () => void log.push("b runs"));
        const c = lock.run("dev", async () => void log.push("c runs"));
        await tick();
        assert.deepEqual(log, ["a starts"], "b and c wait while a holds the stack");
        first.open();
        await Promise.all([a, b, c]);
        assert.deepEqual(log, ["a starts", "a ends", "b runs", "c runs"]);
    });

    it("runs operations on different stacks at the same time", async () => {
        const lock = new KeyedLock();
        const running: string[] = [];
        const dev = gate();
        const a = lock.run("dev", async () => {
            running.push("dev");
            await dev.promise;
        });
        const b = lock.run("pr-1", async () => void running.push("pr-1"));
        await b;
        assert.deepEqual(running, ["dev", "pr-1"], "pr-1 finished while dev was still running");
        dev.open();
        await a;
    });

    it("tells a queued operation how many are ahead of it", async () => {
        const lock = new KeyedLock();
        const holder = gate();
        const ahead: number[] = [];
        const a = lock.run("dev", () => holder.promise, { onQueued: (n) => ahead.push(n) });
        const b = lock.run("dev", async () => undefined, { onQueued: (n) => ahead.push(n) });
        const c = lock.run("dev", async () => undefined, { onQueued: (n) => ahead.push(n) });
        assert.deepEqual(ahead, [1, 2], "the first runs at once; the next two wait behind 1 and 2");
        assert.equal(lock.isBusy("dev"), true);
        holder.open();
        await Promise.all([a, b, c]);
        assert.equal(lock.isBusy("dev"), false, "the stack is free once everything finished");
    });

    it("lets the next operation run after one fails", async () => {
        const lock = new KeyedLock();
        await assert.rejects(lock.run("dev", async () => Promise.reject(new Error("update failed"))), /update failed/);
        assert.equal(await lock.run("dev", async () => "next ran"), "next ran");
    });

    it("stops waiting when the caller aborts, without running the task or letting later ones overtake", async () => {
        const lock = new KeyedLock();
        const holder = gate();
        const log: string[] = [];
        const a = lock.run("dev", async () => {
            await holder.promise;
            log.push("a");
        });
        const controller = new AbortController();
        const b = lock.run("dev", async () => void log.push("b"), { signal: controller.signal });
        const c = lock.run("dev", async () => void log.push("c"));
        controller.abort(new Error("user cancelled"));
        await assert.rejects(b, /user cancelled/);
        await tick();
        assert.deepEqual(log, [], "c still waits for a, which still holds the stack");
        holder.open();
        await Promise.all([a, c]);
        assert.deepEqual(log, ["a", "c"], "b never ran");
    });
});
