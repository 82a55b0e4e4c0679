import * as assert from "node:assert/strict";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import * as components from "../components";
import { runProgram } from "../plan/engine";

/**
 * Every exported component, given arguments assembled at random from its argument names and
 * plausible or wrong values, either builds or throws a ValidationError: never a TypeError from
 * halfway through its construction. The count of each outcome is printed (a figure, not a check).
 */

const CLASSES = Object.entries(components).filter(([, value]) => typeof value === "function" && value.prototype instanceof pulumi.ComponentResource) as [string, new (name: string, args: unknown) => unknown][];

const KEYS = [
    "vpcId", "subnetIds", "image", "clusterArn", "schedule", "eventPattern", "topicArn", "clusterName", "serviceName", "capacity", "loadBalancer", "cpu",
    "memory", "desiredCount", "tags", "idleTimeout", "email", "containerInsights", "mutableTags", "queue", "scaling", "cluster", "https", "domain",
    "certificateArn", "retry", "architecture",
];

const VALUE = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.integer({ min: -10, max: 100000 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    fc.constantFrom("vpc-1", ["subnet-a", "subnet-b"], "arn:aws:ecs:us-east-1:123456789012:cluster/c", { uri: "nginx:1" }, { enabled: false }, { fargateBase: 1 }, "rate(1 day)", "{}"),
);

describe("component arguments, generated", function () {
    this.timeout(60000);
    it("builds every exported component or refuses its arguments with a ValidationError, never a crash (300 cases)", async () => {
        const outcomes: Record<string, number> = {};
        await fc.assert(
            fc.asyncProperty(fc.constantFrom(...CLASSES), fc.dictionary(fc.constantFrom(...KEYS), VALUE, { maxKeys: 6 }), async ([name, Component], args) => {
                let outcome = "built";
                try {
                    await runProgram(() => void new Component("x", args), { project: "p", stack: "s", config: { "aws:region": "us-east-1" } });
                } catch (error) {
                    outcome = (error as Error).name;
                    assert.equal(outcome, "ValidationError", `${name} ${JSON.stringify(args)}: ${(error as Error).stack}`);
                }
                outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
            }),
            { numRuns: 300 },
        );
        console.log(`      ${JSON.stringify(outcomes)}`);
    });
});
