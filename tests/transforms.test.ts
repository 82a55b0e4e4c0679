import * as assert from "node:assert/strict";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { cloudwatch16 } from "../analysis/controls/securityHub";
import { runControl } from "../analysis/controls";
import { estimateCost } from "../analysis/costModel";
import { StackGraph } from "../analysis/stackResources";
import { childTransforms } from "../components/childTransforms";
import { FargateService } from "../components/fargateService";
import type { FargateServiceArgs } from "../components/fargateServiceArgs";
import { runProgram } from "../plan/engine";
import { readStackConfig } from "../stacks/stackConfig";
import { environmentProgram } from "../stacks/program";
import { TASK_TYPES, json, ofType, one, run } from "./helpers";
import { projectRoot } from "./planFixtures";

/**
 * The offline engine runs registered transforms as the Pulumi engine does (own, then each
 * ancestor's, then the stack's; undefined leaves a resource alone; returned options replace the
 * old ones), so the plan, its cost and its controls describe what `pulumi up` deploys.
 */

const SERVICE_ARGS: FargateServiceArgs = {
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    loadBalancer: { enabled: false },
};

function planDev(extra?: () => void) {
    const { project, stack, config, secretKeys } = readStackConfig(projectRoot, "dev");
    return runProgram(
        () => {
            extra?.();
            return environmentProgram();
        },
        { project, stack, config, secretKeys },
    );
}

describe("transforms in the offline plan", () => {
    it("records the task size a component's childTransforms set, and prices it", async () => {
        const plain = await run(() => {
            new FargateService("api", { ...SERVICE_ARGS });
        });
        const bigger = await run(() => {
            new FargateService("api", { ...SERVICE_ARGS }, { transforms: childTransforms({ taskDefinition: (props) => ({ ...props, cpu: "1024", memory: "2048" }) }) });
        });
        assert.equal(one(plain, TASK_TYPES.taskDefinition).inputs.cpu, "256");
        assert.equal(one(bigger, TASK_TYPES.taskDefinition).inputs.cpu, "1024");
        assert.equal(one(bigger, TASK_TYPES.taskDefinition).inputs.memory, "2048");
        const cost = (r: typeof plain) => estimateCost(new StackGraph(r.resources)).monthlyUsd;
        assert.ok(cost(bigger) > cost(plain), `expected the larger task to cost more: ${cost(bigger)} against ${cost(plain)}`);
    });

    it("applies a stack transform to every resource of the environment: dev's log groups kept a year pass CloudWatch.16", async () => {
        const before = await planDev();
        const after = await planDev(() =>
            pulumi.runtime.registerResourceTransform((args) =>
                args.type === TASK_TYPES.logGroup ? { props: { ...args.props, retentionInDays: 365 }, opts: args.opts } : undefined,
            ),
        );
        const groups = ofType(after, TASK_TYPES.logGroup);
        assert.ok(groups.length >= 3, "dev has a log group per workload");
        for (const group of groups) assert.equal(group.inputs.retentionInDays, 365, group.name);
        const settings = { requireOnDemandBase: false };
        assert.ok((runControl(cloudwatch16, new StackGraph(before.resources), settings) ?? []).length > 0, "dev's 7-day logs fail CloudWatch.16 without the transform");
        assert.deepEqual(runControl(cloudwatch16, new StackGraph(after.resources), settings), []);
        assert.ok(estimateCost(new StackGraph(after.resources)).monthlyUsd > estimateCost(new StackGraph(before.resources)).monthlyUsd, "a year of logs costs more to keep than a week");
        // The rest of the environment is untouched: the same resources, with the same inputs.
        const others = (r: typeof before) =>
            Object.fromEntries(r.resources.filter((x) => x.type !== TASK_TYPES.logGroup).map((x) => [x.urn, x.inputs]));
        assert.deepEqual(others(after), others(before));
    });

    it("runs the resource's own transforms, then its parent's, then the stack's, each on the previous result", async () => {
        const calls: string[] = [];
        const tag = (who: string): pulumi.ResourceTransform => (args) => {
            if (args.type !== TASK_TYPES.logGroup) return undefined;
            calls.push(who);
            return { props: { ...args.props, tags: { ...(args.props.tags ?? {}), order: `${args.props.tags?.order ?? ""}${who}` } }, opts: args.opts };
        };
        const result = await run(() => {
            pulumi.runtime.registerResourceTransform(tag("stack."));
            class Outer extends pulumi.ComponentResource {
                constructor(opts: pulumi.ComponentResourceOptions) {
                    super("test:index:Outer", "outer", {}, opts);
                    new LogGroup("logs", { retentionInDays: 30 }, { parent: this, transforms: [tag("own.")] });
                }
            }
            new Outer({ transforms: [tag("parent.")] });
        });
        assert.deepEqual(calls, ["own.", "parent.", "stack."]);
        assert.equal(one(result, TASK_TYPES.logGroup).inputs.tags.order, "own.parent.stack.");
    });

    it("orders transforms as the engine does at any depth: own, each ancestor's from the nearest, then the stack's in registration order", async () => {
        class Level extends pulumi.ComponentResource {
            constructor(name: string, opts: pulumi.ComponentResourceOptions, inside: (parent: pulumi.Resource) => void) {
                super("test:index:Level", name, {}, opts);
                inside(this);
            }
        }
        await fc.assert(
            fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 0, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), async (levels, stackCount, own) => {
                const calls: string[] = [];
                const mark = (who: string): pulumi.ResourceTransform => (args) => {
                    if (args.type === TASK_TYPES.logGroup) calls.push(who);
                    return undefined;
                };
                const marks = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => mark(`${prefix}${i}`));
                await run(() => {
                    for (let i = 0; i < stackCount; i++) pulumi.runtime.registerResourceTransform(mark(`stack${i}`));
                    // levels[0] is the outermost component; each has levels[d] transforms of its own.
                    const nest = (depth: number, parent?: pulumi.Resource): void => {
                        if (depth === levels.length) {
                            new LogGroup("logs", {}, { parent, transforms: marks("own", own) });
                            return;
                        }
                        new Level(`level${depth}`, { parent, transforms: marks(`level${depth}.`, levels[depth]) }, (self) => nest(depth + 1, self));
                    };
                    nest(0);
                });
                const expected = [
                    ...Array.from({ length: own }, (_, i) => `own${i}`),
                    ...levels.flatMap((count, depth) => ({ depth, count })).reverse().flatMap(({ depth, count }) => Array.from({ length: count }, (_, i) => `level${depth}.${i}`)),
                    ...Array.from({ length: stackCount }, (_, i) => `stack${i}`),
                ];
                assert.deepEqual(calls, expected);
            }),
            { numRuns: 25 },
        );
    });

    it("leaves a resource unchanged when a transform returns undefined", async () => {
        const plain = await run(() => { new LogGroup("logs", { retentionInDays: 30 }); });
        const ignored = await run(() => { new LogGroup("logs", { retentionInDays: 30 }, { transforms: [() => undefined] }); });
        assert.deepEqual(one(ignored, TASK_TYPES.logGroup).inputs, one(plain, TASK_TYPES.logGroup).inputs);
        assert.deepEqual(one(ignored, TASK_TYPES.logGroup).options, one(plain, TASK_TYPES.logGroup).options);
    });

    it("records the options a transform returns: protect and ignoreChanges reach the plan", async () => {
        const result = await run(() => { new LogGroup("logs", { retentionInDays: 30 }, { transforms: [(args) => ({ props: args.props, opts: { ...args.opts, protect: true, ignoreChanges: ["tags"] } })] }); });
        assert.deepEqual(one(result, TASK_TYPES.logGroup).options, { protect: true, retainOnDelete: undefined, ignoreChanges: ["tags"] });
    });

    it("reports a transform that throws as the program's error, naming the resource", async () => {
        await assert.rejects(
            run(() => {
                new LogGroup("logs", {}, { transforms: [() => { throw new Error("no log groups here"); }] });
            }),
            /transform of aws:cloudwatch\/logGroup:LogGroup logs failed: no log groups here/,
        );
    });

    it("transforms the container definitions a service's childTransforms rewrite", async () => {
        const result = await run(() => {
            new FargateService("api", { ...SERVICE_ARGS }, {
                transforms: childTransforms({ taskDefinition: (props) => ({ ...props, containerDefinitions: pulumi.output(props.containerDefinitions).apply((d) => JSON.stringify(json(d).map((c: any) => ({ ...c, stopTimeout: 90 })))) }) }),
            });
        });
        assert.equal(json(one(result, TASK_TYPES.taskDefinition).inputs.containerDefinitions)[0].stopTimeout, 90);
    });
});
