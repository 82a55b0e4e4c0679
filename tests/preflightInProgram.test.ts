import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import { TargetGroup } from "@pulumi/aws/lb/targetGroup";
import { unknown } from "@pulumi/pulumi/output";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import fc from "fast-check";
import { childTransforms } from "../components/childTransforms";
import { FargateService } from "../components/fargateService";
import type { FargateServiceArgs } from "../components/fargateServiceArgs";
import { componentType } from "../components/componentType";
import { knownInputs, preflightTransform, registerPreflight, restoreRefusal } from "../components/preflight";
import { PreflightResource, RESOURCE_RULES, checkResource, runPreflight } from "../core/preflight";
import { PreflightError } from "../core/preflight/error";
import { PlannedResource, runProgram } from "../plan/engine";
import { readStackConfig } from "../stacks/stackConfig";
import { environmentProgram } from "../stacks/program";
import { TASK_TYPES as T, ofType } from "./helpers";
import { projectRoot } from "./planFixtures";

/**
 * The preflight a program runs itself (components/preflight.ts): the resource rules of
 * core/preflight as a transform, run by the engine as each resource registers. Offline,
 * `enforcePreflight` runs it as `pulumi up` does; without it the plan reports the same findings.
 */

const SERVICE_ARGS: FargateServiceArgs = {
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
    loadBalancer: { subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] },
};

const LONG_NAME = "a-target-group-name-of-40-characters-xyz";

const up = (program: () => unknown) => runProgram(program, { project: "proj", stack: "test", config: { "aws:region": "eu-west-1" }, enforcePreflight: true });
const plan = (program: () => unknown) => runProgram(program, { project: "proj", stack: "test", config: { "aws:region": "eu-west-1" } });

/** What the engine hands a transform, as its callback server deserialises it. */
function transformArgs(type: string, name: string, props: Record<string, unknown>): pulumi.ResourceTransformArgs {
    return { type, name, custom: true, props, opts: {} };
}

/** An Output whose value is not known yet, as during a preview. */
function unknownOutput<T>(): pulumi.Output<T> {
    const Ctor = pulumi.Output as unknown as new (...args: unknown[]) => pulumi.Output<T>;
    return new Ctor(new Set(), Promise.resolve(undefined), Promise.resolve(false), Promise.resolve(false), Promise.resolve(new Set()));
}

async function rejection(run: Promise<unknown>): Promise<Error> {
    try {
        await run;
    } catch (error) {
        return error as Error;
    }
    assert.fail("expected the program to fail");
}

describe("the preflight in the program", () => {
    describe("under pulumi up (the offline engine running the preflight's transform)", () => {
        it("stops at a security group description with an apostrophe, naming the resource, the input, the characters and the source", async () => {
            const error = await rejection(
                up(() => {
                    registerPreflight();
                    new SecurityGroup("lb", { vpcId: "vpc-0abc", description: "out to its services' tasks" });
                }),
            );
            assert.ok(error instanceof PreflightError, `${error.name}: ${error.message}`);
            assert.equal((error as unknown as { __pulumiRunError: boolean }).__pulumiRunError, true, "shown as a user's mistake, without a stack trace");
            assert.match(error.message, /lb \(aws:ec2\/securityGroup:SecurityGroup\) description: .*"'".*\[ec2\.securityGroup\.description, https:\/\/docs\.aws\.amazon\.com\/AWSEC2\/latest\/APIReference\/API_CreateSecurityGroup\.html\]/);
            assert.deepEqual((error as PreflightError).problems.map((p) => p.path), ["description"]);
        });

        it("stops at a target group name over 32 characters that a childTransforms hook gave a service", async () => {
            const error = await rejection(
                up(() => new FargateService("api", SERVICE_ARGS, { transforms: childTransforms({ targetGroup: (props) => ({ ...props, name: LONG_NAME }) }) })),
            );
            assert.ok(error instanceof PreflightError, `${error.name}: ${error.message}`);
            assert.match(error.message, new RegExp(`api \\(aws:lb/targetGroup:TargetGroup\\) name: "a-target-group-name-of-40-characters-xyz" has 40 characters; AWS allows 1 to 32 \\[elbv2\\.targetGroup\\.name, https://`));
        });

        it("stops the dev stack at a target group name a stack transform registered before the program made too long", async () => {
            const { project, config, secretKeys } = readStackConfig(projectRoot, "dev");
            const program = () => {
                pulumi.runtime.registerResourceTransform((args) => (args.type === T.targetGroup ? { props: { ...args.props, name: LONG_NAME }, opts: args.opts } : undefined));
                return environmentProgram();
            };
            const error = await rejection(runProgram(program, { project, stack: "dev", config, secretKeys, enforcePreflight: true }));
            assert.ok(error instanceof PreflightError, `${error.name}: ${error.message}`);
            assert.match(error.message, /dev-api \(aws:lb\/targetGroup:TargetGroup\) name: "a-target-group-name-of-40-characters-xyz" has 40 characters; AWS allows 1 to 32 \[elbv2\.targetGroup\.name/);
        });

        it("judges a child of a component inside another of ours once, after the outer component's transforms", async () => {
            // The outer transform shortens the name the inner component's child was given: judged before it, the child would fail.
            const shorten: pulumi.ResourceTransform = (args) => (args.type === T.targetGroup ? { props: { ...args.props, name: "short" }, opts: args.opts } : undefined);
            class Outer extends pulumi.ComponentResource {
                constructor() {
                    super(componentType("Outer"), "outer", {}, { transforms: [shorten] });
                    new FargateService("api", SERVICE_ARGS, { parent: this, transforms: childTransforms({ targetGroup: (props) => ({ ...props, name: LONG_NAME }) }) });
                }
            }
            const run = await up(() => new Outer());
            assert.equal(ofType(run, T.targetGroup)[0].inputs.name, "short");
        });

        it("during a preview, passes a name another resource makes, not known yet, and judges it at up once known", async () => {
            // The logical name is too long to be auto-named; the name given decides, once it is known.
            const logical = "x".repeat(40);
            const program = (name: pulumi.Output<string>) => () => {
                registerPreflight();
                new TargetGroup(logical, { name, port: 80, targetType: "ip" });
            };
            const options = { project: "proj", stack: "test", config: { "aws:region": "eu-west-1" }, enforcePreflight: true };
            const preview = await runProgram(program(unknownOutput<string>()), { ...options, preview: true });
            assert.equal(ofType(preview, T.targetGroup).length, 1);
            // The same preview without the name: auto-named from the logical name, refused there and then.
            const unnamed = () => {
                registerPreflight();
                new TargetGroup(logical, { port: 80, targetType: "ip" });
            };
            assert.match((await rejection(runProgram(unnamed, { ...options, preview: true }))).message, /auto-named from the logical name/);
            const error = await rejection(runProgram(program(pulumi.output(LONG_NAME)), options));
            assert.match(error.message, /elbv2\.targetGroup\.name/);
        });

        for (const stack of ["dev", "prod"]) {
            for (const preview of [true, false]) {
                it(`passes the ${stack} stack as its stack file gives it (${preview ? "preview" : "up"})`, async () => {
                    const { project, config, secretKeys } = readStackConfig(projectRoot, stack);
                    const run = await runProgram(environmentProgram, { project, stack, config, secretKeys, enforcePreflight: true, preview });
                    assert.ok(run.resources.length > 50);
                });
            }
        }
    });

    describe("in the plan (the same rules, reported instead of thrown)", () => {
        it("completes the run and reports the target group name a hook made too long", async () => {
            const run = await plan(() => new FargateService("api", SERVICE_ARGS, { transforms: childTransforms({ targetGroup: (props) => ({ ...props, name: LONG_NAME }) }) }));
            const findings = runPreflight(run.resources).filter((f) => f.rule === "elbv2.targetGroup.name");
            assert.deepEqual(findings.map((f) => [f.resource, f.key]), [["api", "name"]]);
        });
    });

    describe("the transform", () => {
        it("throws before it returns props, so the engine never registers the resource", async () => {
            await assert.rejects(async () => preflightTransform(transformArgs(T.targetGroup, "api", { name: LONG_NAME, port: 80 })), PreflightError);
        });

        it("never quotes a secret's value in its message, whether the secret is an Output or a value the engine marked secret", async () => {
            for (const name of [pulumi.secret(LONG_NAME), { [specialSigKey]: specialSecretSig, value: LONG_NAME }]) {
                const refusal = await rejection(Promise.resolve(preflightTransform(transformArgs(T.targetGroup, "api", { name, port: 80 }))));
                assert.ok(refusal instanceof PreflightError, String(refusal));
                assert.ok(!refusal.message.includes(LONG_NAME), refusal.message);
                assert.match(refusal.message, /api \(aws:lb\/targetGroup:TargetGroup\) name: "\[secret\]" has \d+ characters/);
            }
            const plain = await rejection(Promise.resolve(preflightTransform(transformArgs(T.targetGroup, "api", { name: LONG_NAME, port: 80 }))));
            assert.ok(plain.message.includes(`"${LONG_NAME}"`), "a value that is not secret is quoted as given");
        });

        it("comes back from the engine as its own message, marked to be shown without a stack trace", async () => {
            const refusal = await rejection(Promise.resolve(preflightTransform(transformArgs(T.securityGroup, "edge", { description: "the edge's group" }))));
            // What the SDK rejects with when the engine refuses the registration (runtime/resource.js, cmd/run/run.js prints it with its stack).
            const wrapped = new Error(`failed to register new resource edge [${T.securityGroup}]: 2 UNKNOWN: invoke transform: rpc error: code = Unknown desc = ${refusal.message}`);
            assert.equal(restoreRefusal(wrapped), true);
            assert.equal(wrapped.message, refusal.message);
            assert.equal((wrapped as unknown as { __pulumiRunError: boolean }).__pulumiRunError, true);
            assert.ok(pulumi.RunError.isInstance(wrapped));
            // Any other error is left as it is.
            const other = new Error("failed to register new resource x [aws:s3/bucket:Bucket]: 2 UNKNOWN: something else");
            assert.equal(restoreRefusal(other), false);
            assert.equal(pulumi.RunError.isInstance(other), false);
        });

        it("changes nothing on a resource AWS accepts", async () => {
            assert.equal(await preflightTransform(transformArgs(T.targetGroup, "api", { name: "api", port: 80, targetType: "ip" })), undefined);
        });

        it("leaves alone a name not known yet during a preview, given as an unknown Output or the engine's unknown marker", async () => {
            // The logical name is too long to be auto-named; the given name, once known, decides.
            const logical = "x".repeat(40);
            assert.equal(await preflightTransform(transformArgs(T.targetGroup, logical, { name: unknownOutput<string>() })), undefined);
            assert.equal(await preflightTransform(transformArgs(T.targetGroup, logical, { name: unknown })), undefined);
            await assert.rejects(async () => preflightTransform(transformArgs(T.targetGroup, logical, {})), /auto-named/);
        });

        it("leaves alone a Fargate task whose CPU and memory are not known yet", async () => {
            const props = { requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu: unknownOutput<string>(), memory: unknown, containerDefinitions: unknownOutput<string>() };
            assert.equal(await preflightTransform(transformArgs(T.taskDefinition, "api", props)), undefined);
        });

        it("judges a secret's value and a known Output's value", async () => {
            const secret = { [specialSigKey]: specialSecretSig, value: "it's" };
            await assert.rejects(async () => preflightTransform(transformArgs(T.securityGroup, "lb", { description: secret })), /ec2\.securityGroup\.description/);
            await assert.rejects(async () => preflightTransform(transformArgs(T.securityGroup, "lb", { description: pulumi.output("it's") })), /ec2\.securityGroup\.description/);
        });

        it("skips components: their children are judged", async () => {
            assert.equal(await preflightTransform({ ...transformArgs(componentType("FargateService"), LONG_NAME, { description: "it's" }), custom: false }), undefined);
        });

        it("reads inputs as the rules do: unknowns undefined with their keys kept, secrets unwrapped", async () => {
            const inputs = await knownInputs({ a: unknown, b: [1, unknownOutput()], c: { [specialSigKey]: specialSecretSig, value: { d: pulumi.output(2) } }, e: Promise.resolve("e") });
            assert.deepEqual(inputs, { a: undefined, b: [1, undefined], c: { d: 2 }, e: "e" });
            assert.ok("a" in inputs);
        });
    });

    describe("never fails on a value it does not know", () => {
        let resources: PlannedResource[] = [];
        before(async () => {
            for (const stack of ["dev", "prod"]) {
                const { project, config, secretKeys } = readStackConfig(projectRoot, stack);
                resources = resources.concat((await runProgram(environmentProgram, { project, stack, config, secretKeys })).resources);
            }
            // Resources AWS refuses, so that a rule's findings can be seen to shrink and never grow.
            const bad = await plan(() => {
                new SecurityGroup("lb", { vpcId: "vpc-0abc", description: "it's" });
                new TargetGroup("tg", { name: LONG_NAME, port: 80, healthCheck: { interval: 5, timeout: 10 } });
                new TaskDefinition("td", { family: "f", requiresCompatibilities: ["FARGATE"], networkMode: "bridge", cpu: "256", memory: "4096", containerDefinitions: "[]" });
            });
            resources = resources.concat(bad.resources);
        });

        /** The resource with some of its values, at any depth, replaced by "not known yet". */
        function withUnknowns(resource: PreflightResource, seed: number): PreflightResource {
            let state = seed;
            const coin = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 16) % 3 === 0;
            const blur = (value: unknown): unknown => {
                if (coin()) return undefined;
                if (Array.isArray(value)) return value.map(blur);
                if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blur(v)]));
                return value;
            };
            return { ...resource, inputs: Object.fromEntries(Object.entries(resource.inputs).map(([k, v]) => [k, blur(v)])) };
        }

        it("finds with some values unknown only what it finds with all of them known (dev, prod and refused resources)", () => {
            const custom = resources.filter((r) => r.custom);
            const key = (f: { rule: string; resource: string; key?: string }) => `${f.rule} ${f.resource} ${f.key ?? ""}`;
            fc.assert(
                fc.property(fc.constantFrom(...custom), fc.integer({ min: 1, max: 2 ** 30 }), (resource, seed) => {
                    const known = new Set(checkResource(resource).map(key));
                    const blurred = checkResource(withUnknowns(resource, seed)).map(key);
                    assert.deepEqual(blurred.filter((k) => !known.has(k)), [], `${resource.type} ${resource.name}`);
                }),
                { numRuns: Number(process.env.PREFLIGHT_RUNS ?? 2000) },
            );
        });

        it("accepts the ARNs AWS hands back on a second run, refreshed from any partition, as inputs of the resources that take them", () => {
            // On a second `pulumi up` the values one resource takes from another come from state, as AWS wrote them.
            const arn = fc.record({
                partition: fc.constantFrom("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-eusc"),
                region: fc.constantFrom("us-east-1", "cn-north-1", "us-gov-west-1", "eu-central-2", "me-central-1", "mx-central-1"),
                account: fc.stringMatching(/^\d{12}$/),
                id: fc.stringMatching(/^[0-9a-f]{16}$/),
                name: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,30}$/),
            });
            fc.assert(
                fc.property(arn, ({ partition, region, account, id, name }) => {
                    const elb = `arn:${partition}:elasticloadbalancing:${region}:${account}`;
                    const resources: PreflightResource[] = [
                        { urn: "urn:l", type: T.listener, name: "l", inputs: { loadBalancerArn: `${elb}:loadbalancer/app/${name}/${id}`, port: 443, protocol: "HTTPS", certificateArn: `arn:${partition}:acm:${region}:${account}:certificate/${id}`, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } },
                        { urn: "urn:r", type: T.listenerRule, name: "r", inputs: { listenerArn: `${elb}:listener/app/${name}/${id}/${id}`, priority: 1, actions: [{ type: "forward", targetGroupArn: `${elb}:targetgroup/${name}/${id}` }], conditions: [{ pathPattern: { values: ["/*"] } }] } },
                    ];
                    assert.deepEqual(resources.flatMap((r) => checkResource(r)), []);
                }),
            );
        });

        it(`runs ${RESOURCE_RULES.length} resource rules in the program`, () => {
            // 52, the dual-stack VPC's subnet and route-table rules, the Network Load Balancer's health-check and security-group rules,
            // the Managed Instances capacity provider's and task definition's, Service Connect's six, and ECR's repository policy.
            assert.equal(RESOURCE_RULES.length, 65);
        });
    });
});
