import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../plan/engine";

type WithCallsites = { callsites(): unknown[] };
const resourceClass = pulumi.Resource as unknown as WithCallsites;
const options = { project: "engine-test", stack: "dev" };

describe("the offline engine", () => {
    it("skips the SDK's source positions while a program runs, and puts the SDK back afterwards, also when the program throws", async () => {
        const [callsites, limit] = [resourceClass.callsites, Error.stackTraceLimit];
        let during: unknown[] | undefined;
        const run = await runProgram(() => {
            during = resourceClass.callsites();
            new pulumi.ComponentResource("test:index:Thing", "thing");
            return {};
        }, options);
        assert.deepEqual(during, [], "no trace is taken for a resource's position");
        assert.ok(run.resources.some((r) => r.type === "test:index:Thing"), "the resource is still registered");
        assert.equal(resourceClass.callsites, callsites);
        assert.equal(Error.stackTraceLimit, limit);
        await assert.rejects(
            runProgram(() => {
                throw new Error("the program's own mistake");
            }, options),
            /the program's own mistake/,
        );
        assert.equal(resourceClass.callsites, callsites);
        assert.equal(Error.stackTraceLimit, limit);
    });

    it("keeps source positions with stackTraces (--debug)", async () => {
        let during: unknown[] | undefined;
        await runProgram(() => {
            during = resourceClass.callsites();
            return {};
        }, { ...options, stackTraces: true });
        assert.ok(during && during.length > 0);
    });
});
