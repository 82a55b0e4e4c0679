import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { FargateServiceArgs } from "../components";
import { STRATEGY_DEFAULTS, STRATEGY_SOURCES, ecsStrategyConfiguration, isTenth, keepsAlternateTargetGroup, linearBakedSteps, providerWaitMinutes, strategyProblems, strategyWaits } from "../core/deploymentStrategy";
import { fargateServiceArgsSchema } from "../core/serviceSchema";
import { queueWorkerArgsSchema } from "../core/workloadSchemas";
import type { ProgramRun } from "../plan/engine";
import { DEFAULT_DEPLOY_ASSUMPTIONS, rollingUpdate } from "../analysis/deployModel";
import { StackGraph, StackResource } from "../analysis/stackResources";
import { DeploymentRolledBackError, PulumiOperationError, toEnvironmentError } from "../automation/errors";
import { TASK_TYPES as T, json, ofType, one, run, throwsProblems, graphResource } from "./helpers";
import { stackDirectory } from "./planFixtures";
import { cliFailure } from "./pulumiCli";

/**
 * Deployment strategies with ECS's own controller: what the arguments allow (AWS's ranges and the
 * combinations it refuses), what the provider is given, and what a deploy costs in time.
 */

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const nginx = { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" };
const listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/0123456789abcdef/fedcba9876543210";
const lambdaArn = "arn:aws:lambda:eu-west-1:123456789012:function:smoke-test";

function web(deployment: FargateServiceArgs["deployment"], extra: Partial<FargateServiceArgs> = {}): FargateServiceArgs {
    return { ...network, image: nginx, loadBalancer: { subnetIds: ["subnet-public-a", "subnet-public-b"] }, deployment, ...extra };
}

function rejects(args: FargateServiceArgs, ...fragments: string[]): string {
    return throwsProblems(() => new components.FargateService("api", args), ...fragments);
}

/** Whether the service schema accepts a deployment (on a load-balanced service). */
function accepts(deployment: unknown): boolean {
    return fargateServiceArgsSchema.safeParse(web(deployment as FargateServiceArgs["deployment"])).success;
}

describe("deployment strategies: the arguments", () => {
    it("accepts each strategy on a load-balanced service with AWS's defaults", () => {
        for (const strategy of ["rolling", "blueGreen", "linear", "canary"]) assert.ok(accepts({ strategy }), strategy);
    });

    it("refuses a strategy that shifts traffic on a service without a load balancer, naming the key", () => {
        rejects(
            web({ strategy: "blueGreen" }, { loadBalancer: { enabled: false } }),
            "args.deployment.strategy: blueGreen needs a load balancer: ECS moves traffic between two target groups through a listener rule",
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-implementation.html",
        );
        rejects(web({ strategy: "canary" }, { loadBalancer: { enabled: false } }), "args.deployment.strategy: canary needs a load balancer");
    });

    it("refuses a queue worker's strategy other than rolling: it has no load balancer", () => {
        const parsed = queueWorkerArgsSchema.safeParse({ ...network, clusterArn: "arn:aws:ecs:eu-west-1:123456789012:cluster/c", image: nginx, deployment: { strategy: "linear" } });
        assert.equal(parsed.success, false);
        assert.match(JSON.stringify(parsed.error?.issues), /linear needs a load balancer/);
    });

    it("refuses the settings of one strategy under another", () => {
        rejects(web({ strategy: "blueGreen", linear: { stepPercent: 20 } }), "args.deployment.linear: is only for strategy linear (got blueGreen)");
        rejects(web({ strategy: "linear", canary: { percent: 10 } }), "args.deployment.canary: is only for strategy canary (got linear)");
        rejects(web({ canary: { percent: 10 } }), "args.deployment.canary: is only for strategy canary (got rolling)");
    });

    it("refuses what only a traffic-shifting deployment has on a rolling update", () => {
        rejects(web({ bakeTimeMinutes: 5 }), "args.deployment.bakeTimeMinutes: has no effect with strategy rolling");
        rejects(web({ testTraffic: { value: "green" } }), "args.deployment.testTraffic: has no effect with strategy rolling");
        rejects(web({ lifecycleHooks: [{ functionArn: lambdaArn, stages: ["POST_SCALE_UP"] }] }), "args.deployment.lifecycleHooks: has no effect with strategy rolling");
    });

    it("refuses the rolling percentages under blue/green, linear and canary", () => {
        rejects(web({ strategy: "blueGreen", minHealthyPercent: 50 }), "args.deployment.minHealthyPercent: has no effect with strategy blueGreen: ECS starts a full set of new tasks");
        rejects(web({ strategy: "linear", maxPercent: 150 }), "args.deployment.maxPercent: has no effect with strategy linear");
    });

    it("refuses a test rule that would not be matched before the production rule", () => {
        const shared = { listenerArn, securityGroupId: "sg-0abc", rule: { priority: 10, pathPatterns: ["/api/*"] } };
        rejects(web({ strategy: "blueGreen", testTraffic: { value: "green", priority: 10 } }, { loadBalancer: shared }), "args.deployment.testTraffic.priority: 10 must be lower than the production rule's priority (10)");
        rejects(
            web({ strategy: "blueGreen", testTraffic: { value: "green" } }, { loadBalancer: { ...shared, rule: { priority: 1, pathPatterns: ["/api/*"] } } }),
            "args.deployment.testTraffic.priority: is required: the production rule has priority 1",
        );
    });

    it("claims the test rule's priority on a shared listener, so another service cannot take it", async () => {
        const shared = (priority: number) => ({ listenerArn, securityGroupId: "sg-0abc", rule: { priority, pathPatterns: [`/p${priority}/*`] } });
        let message = "";
        await run(() => {
            new components.FargateService("a", web({ strategy: "blueGreen", testTraffic: { value: "green" } }, { loadBalancer: shared(10) }));
            message = throwsProblems(() => new components.FargateService("b", web(undefined, { loadBalancer: shared(9) })));
        });
        assert.match(message, /args\.loadBalancer\.rule\.priority: 9 is already used by FargateService "a" \(its test rule\)/);
    });

    it("refuses deployment alarms that watch nothing, or load balancer alarms without a load balancer", () => {
        rejects(web({ alarms: { rollback: true } }), "args.deployment.alarms: watches no alarm");
        rejects(web({ alarms: { loadBalancerAlarms: true } }, { loadBalancer: { enabled: false } }), "args.deployment.alarms.loadBalancerAlarms: needs a load balancer");
        rejects(web({ alarms: { alarmNames: ["a"], error5xxPercent: 2 } }), "args.deployment.alarms.error5xxPercent: has no effect without loadBalancerAlarms: true");
    });

    it("refuses a hook that is not a Lambda function, a role that is not a role, and a stage AWS does not have", () => {
        rejects(
            web({ strategy: "blueGreen", lifecycleHooks: [{ functionArn: "arn:aws:sqs:eu-west-1:123456789012:q", stages: ["POST_SCALE_UP"], roleArn: "arn:aws:iam::123456789012:user/u" }] }),
            "args.deployment.lifecycleHooks[0].functionArn: \"arn:aws:sqs:eu-west-1:123456789012:q\" is not a Lambda function ARN",
            "args.deployment.lifecycleHooks[0].roleArn: \"arn:aws:iam::123456789012:user/u\" is not an IAM role ARN",
        );
        rejects(web({ strategy: "blueGreen", lifecycleHooks: [{ functionArn: lambdaArn, stages: ["AFTER_LUNCH" as never] }] }), "args.deployment.lifecycleHooks[0].stages[0]");
        rejects(web({ strategy: "blueGreen", lifecycleHooks: [{ functionArn: lambdaArn, stages: ["POST_SCALE_UP", "POST_SCALE_UP"] }] }), "lists a stage twice");
    });

    it("refuses a test header that is not an HTTP header name", () => {
        rejects(web({ strategy: "blueGreen", testTraffic: { header: "x test", value: "green" } }), "args.deployment.testTraffic.header: is not an HTTP header name");
    });

    // AWS's ranges: API_LinearConfiguration, API_CanaryConfiguration, API_DeploymentConfiguration.
    it("accepts a linear step exactly when it is a multiple of 0.1 from 3 to 100 (generated)", () => {
        fc.assert(
            fc.property(fc.integer({ min: -50, max: 1100 }), (tenths) => {
                const stepPercent = tenths / 10;
                return accepts({ strategy: "linear", linear: { stepPercent } }) === (tenths >= 30 && tenths <= 1000);
            }),
            { numRuns: 300 },
        );
        assert.equal(accepts({ strategy: "linear", linear: { stepPercent: 10.05 } }), false, "not a multiple of 0.1");
    });

    it("accepts a canary share exactly when it is a multiple of 0.1 from 0.1 to 100 (generated)", () => {
        fc.assert(
            fc.property(fc.integer({ min: -20, max: 1020 }), (tenths) => accepts({ strategy: "canary", canary: { percent: tenths / 10 } }) === (tenths >= 1 && tenths <= 1000)),
            { numRuns: 300 },
        );
    });

    it("accepts bake times exactly when they are whole minutes from 0 to 1440 (generated)", () => {
        fc.assert(
            fc.property(fc.oneof(fc.integer({ min: -100, max: 1600 }), fc.double({ min: 0, max: 1440, noNaN: true })), (minutes) => {
                const inRange = Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440;
                return (
                    accepts({ strategy: "blueGreen", bakeTimeMinutes: minutes }) === inRange &&
                    accepts({ strategy: "linear", linear: { stepBakeTimeMinutes: minutes } }) === inRange &&
                    accepts({ strategy: "canary", canary: { bakeTimeMinutes: minutes } }) === inRange
                );
            }),
            { numRuns: 300 },
        );
    });
});

describe("deployment strategies: what the provider gets", () => {
    let r: ProgramRun;
    before(async () => {
        r = await run(() => {
            new components.FargateService(
                "api",
                web(
                    { strategy: "blueGreen", bakeTimeMinutes: 30, testTraffic: { value: "green" }, lifecycleHooks: [{ functionArn: lambdaArn, stages: ["POST_TEST_TRAFFIC_SHIFT"] }], alarms: { loadBalancerAlarms: true } },
                    { loadBalancer: { listenerArn, securityGroupId: "sg-0abc", rule: { priority: 10, hostHeaders: ["api.example.com"] } } },
                ),
            );
        });
    });

    const service = () => one(r, T.service);
    const rule = (name: string) => one(r, T.listenerRule, name);

    it("tells ECS the strategy, the bake time as a string, and the hook with a role made for it", () => {
        const config = service().inputs.deploymentConfiguration;
        assert.equal(config.strategy, "BLUE_GREEN");
        assert.equal(config.bakeTimeInMinutes, "30");
        assert.equal(config.lifecycleHooks.length, 1);
        assert.deepEqual(config.lifecycleHooks[0].lifecycleStages, ["POST_TEST_TRAFFIC_SHIFT"]);
        assert.equal(config.lifecycleHooks[0].hookTargetArn, lambdaArn);
        assert.match(config.lifecycleHooks[0].roleArn, /:role\/api-hooks/);
        assert.deepEqual(json(one(r, T.rolePolicy, "api-hooks").inputs.policy).Statement, [{ Sid: "InvokeHooks", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [lambdaArn] }]);
    });

    it("gives the load balancer block the alternate target group, both rules and the traffic role", () => {
        const [lb] = service().inputs.loadBalancers;
        const groups = ofType(r, T.targetGroup);
        assert.deepEqual(groups.map((g) => g.name).sort(), ["api", "api-alt"]);
        assert.equal(lb.targetGroupArn, groups.find((g) => g.name === "api")!.outputs.arn);
        assert.equal(lb.advancedConfiguration.alternateTargetGroupArn, groups.find((g) => g.name === "api-alt")!.outputs.arn);
        assert.equal(lb.advancedConfiguration.productionListenerRule, rule("api").outputs.arn);
        assert.equal(lb.advancedConfiguration.testListenerRule, rule("api-test").outputs.arn);
        assert.match(lb.advancedConfiguration.roleArn, /:role\/api-traffic/);
    });

    it("forwards both rules to both target groups, 100 and 0, and leaves their forward target (only) to ECS afterwards", () => {
        for (const name of ["api", "api-test"]) {
            const forward = rule(name).inputs.actions[0].forward.targetGroups;
            assert.deepEqual(forward.map((t: { weight: number }) => t.weight), [100, 0], name);
            assert.deepEqual(rule(name).options.ignoreChanges, ["actions[0].forward", "actions[0].targetGroupArn"], name);
            assert.equal(rule(name).options.deleteBeforeReplace, undefined, `${name} is never deleted first`);
            assert.equal(rule(name).options.replaceOnChanges, undefined, `${name} is never replaced for a strategy change`);
        }
        assert.equal(rule("api-test").inputs.priority, 9, "one below the production rule");
        assert.deepEqual(rule("api-test").inputs.conditions.at(-1), { httpHeader: { httpHeaderName: "x-deployment-test", values: ["green"] } });
    });

    it("lets ECS move this service's traffic and nothing else's", () => {
        const statements = json(one(r, T.rolePolicy, "api-traffic").inputs.policy).Statement as { Sid: string; Action: string[]; Resource: string[] }[];
        const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
        assert.deepEqual(bySid.ShiftTraffic.Resource.sort(), [rule("api").outputs.arn, rule("api-test").outputs.arn].sort());
        assert.deepEqual(bySid.RegisterTasks.Resource.sort(), ofType(r, T.targetGroup).map((g) => g.outputs.arn).sort());
        assert.ok(bySid.ReadLoadBalancing.Action.every((a) => a.startsWith("elasticloadbalancing:Describe")), "only Describe actions take *");
        const trust = json(one(r, T.role, "api-traffic").inputs.assumeRolePolicy);
        assert.equal(trust.Statement[0].Principal.Service, "ecs.amazonaws.com");
    });

    it("watches the service's 5xx and unhealthy alarms over both target groups, rolling back, with the circuit breaker still on", () => {
        const alarms = ofType(r, "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepEqual(alarms.map((a) => a.name).sort(), ["api-deploy-5xx", "api-deploy-unhealthy"]);
        const fiveXx = alarms.find((a) => a.name === "api-deploy-5xx")!;
        const groups = fiveXx.inputs.metricQueries.filter((q: { metric?: unknown }) => q.metric).map((q: { metric: { dimensions: { TargetGroup: string } } }) => q.metric.dimensions.TargetGroup);
        assert.equal(new Set(groups).size, 2, "both target groups count");
        const watched = service().inputs.alarms;
        assert.deepEqual([watched.enable, watched.rollback], [true, true]);
        assert.ok(alarms.every((a) => typeof a.outputs.name === "string"));
        assert.deepEqual([...watched.alarmNames].sort(), alarms.map((a) => a.outputs.name).sort());
        assert.deepEqual(service().inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
    });

    it("gives the provider long enough to wait through a 30-minute bake", () => {
        // 30 min bake + 10 min for tasks + 2 min of alarm periods, above the provider's 20 minutes.
        assert.equal(service().options.updateTimeout, "42m");
    });

    it("sends strategy ROLLING for a rolling update, so going back from blue/green reaches ECS", async () => {
        const rolling = await run(() => {
            new components.FargateService("web", web(undefined));
        });
        assert.deepEqual(one(rolling, T.service).inputs.deploymentConfiguration, { strategy: "ROLLING" });
        assert.equal(one(rolling, T.service).inputs.alarms, undefined);
        assert.equal(one(rolling, T.service).options.updateTimeout, undefined, "the provider's 20 minutes are enough");
        assert.equal(ofType(rolling, T.targetGroup).length, 1);
    });

    it("puts a catch-all production rule on the service's own load balancer, which ECS needs to move traffic", async () => {
        const own = await run(() => {
            new components.FargateService("web", web({ strategy: "canary", canary: { percent: 10, bakeTimeMinutes: 3 } }));
        });
        const production = one(own, T.listenerRule);
        assert.equal(production.inputs.priority, 50000);
        assert.deepEqual(production.inputs.conditions, [{ pathPattern: { values: ["/*"] } }]);
        assert.deepEqual(one(own, T.service).inputs.deploymentConfiguration, { strategy: "CANARY", bakeTimeInMinutes: "5", canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "3" } });
    });
});

describe("deployment strategies: the waits", () => {
    it("counts the linear steps followed by a bake as AWS does: none after the step that reaches 100%", () => {
        assert.equal(linearBakedSteps(10), 9);
        assert.equal(linearBakedSteps(25), 3);
        assert.equal(linearBakedSteps(11), 9);
        assert.equal(linearBakedSteps(100), 0);
        assert.equal(linearBakedSteps(3), 33);
    });

    it("waits each strategy's bake times, and gives the provider at least its own 20 minutes", () => {
        assert.deepEqual(strategyWaits({ strategy: "ROLLING" }), { strategy: "ROLLING", shifting: 0, bake: 0, detail: "" });
        assert.deepEqual(strategyWaits({ strategy: "BLUE_GREEN", bakeTimeInMinutes: "5" }), { strategy: "BLUE_GREEN", shifting: 0, bake: 300, detail: "" });
        assert.equal(strategyWaits({ strategy: "LINEAR", bakeTimeInMinutes: "5", linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: "2" } }).shifting, 3 * 120);
        assert.equal(strategyWaits({ strategy: "CANARY", bakeTimeInMinutes: "0", canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: "10" } }).shifting, 600);
        assert.equal(providerWaitMinutes({ strategy: "ROLLING" }), 20);
        assert.equal(providerWaitMinutes({ strategy: "LINEAR", bakeTimeInMinutes: "5", linearConfiguration: { stepPercent: 10, stepBakeTimeInMinutes: "6" } }), 5 + 54 + 10);
    });
});

const node = (type: string, inputs: Record<string, any>, props: Record<string, StackResource[]> = {}): StackResource => graphResource(type, inputs, { props });
/** A load-balanced service of 4 tasks: health check every 15 s, 60 s of draining, a 30 s stopTimeout. */
function update(serviceInputs: Record<string, any>) {
    const taskDefinition = node(T.taskDefinition, { containerDefinitions: JSON.stringify([{ name: "app", essential: true, stopTimeout: 30 }]) });
    const targetGroup = node(T.targetGroup, { healthCheck: { interval: 15 }, deregistrationDelay: 60 });
    const service = node(T.service, { desiredCount: 4, ...serviceInputs }, { taskDefinition: [taskDefinition], loadBalancers: [targetGroup] });
    return rollingUpdate(new StackGraph([taskDefinition, targetGroup, service]), service, DEFAULT_DEPLOY_ASSUMPTIONS);
}

describe("deployment strategies: the rules of core/deploymentStrategy.ts, one by one", () => {
    const balanced = { balanced: true, productionPriority: 10 };
    /** [path, message] of each problem. */
    const problems = (deployment: unknown, service: { balanced: boolean; productionPriority?: number } = balanced) => strategyProblems(deployment, service).map((p) => [p.path.join("."), p.message]);
    const paths = (deployment: unknown, service: { balanced: boolean; productionPriority?: number } = balanced) => problems(deployment, service).map(([path]) => path);

    it("keeps a second target group for every strategy that shifts traffic, and under rolling only when told to", () => {
        assert.deepEqual(
            [undefined, {}, { strategy: "rolling" }, { strategy: "blueGreen" }, { strategy: "CANARY" }, { strategy: "rolling", alternateTargetGroup: true }, { alternateTargetGroup: true }, { strategy: "rolling", alternateTargetGroup: false }].map(keepsAlternateTargetGroup),
            [false, false, false, true, true, true, true, false],
        );
    });

    it("knows a multiple of 0.1 within float noise, and nothing that is not a finite number", () => {
        assert.deepEqual([0.1, 0.3, 12.5, 100, 0.1 + 0.2].map(isTenth), [true, true, true, true, true]);
        assert.deepEqual([0.15, 0.0000001, 12.55, NaN, Infinity, -Infinity].map(isTenth), [false, false, false, false, false, false]);
    });

    it("counts no baked linear steps for a step of zero or less, which AWS refuses anyway", () => {
        assert.deepEqual([0, 0.04, -5].map(linearBakedSteps), [0, 0, 0]);
    });

    it("gives ECS each strategy's configuration with AWS's defaults filled in, and nothing another strategy takes", () => {
        const bake = String(STRATEGY_DEFAULTS.bakeTimeMinutes);
        assert.deepEqual(ecsStrategyConfiguration({}), { strategy: "ROLLING" });
        assert.deepEqual(ecsStrategyConfiguration({ strategy: "rolling", bakeTimeMinutes: 9 }), { strategy: "ROLLING" });
        assert.deepEqual(ecsStrategyConfiguration({ strategy: "blueGreen" }), { strategy: "BLUE_GREEN", bakeTimeInMinutes: bake });
        assert.deepEqual(ecsStrategyConfiguration({ strategy: "blueGreen", bakeTimeMinutes: 0 }), { strategy: "BLUE_GREEN", bakeTimeInMinutes: "0" });
        assert.deepEqual(ecsStrategyConfiguration({ strategy: "linear" }), {
            strategy: "LINEAR",
            bakeTimeInMinutes: bake,
            linearConfiguration: { stepPercent: STRATEGY_DEFAULTS.linear.stepPercent, stepBakeTimeInMinutes: String(STRATEGY_DEFAULTS.linear.stepBakeTimeMinutes) },
        });
        assert.deepEqual(ecsStrategyConfiguration({ strategy: "linear", linear: { stepPercent: 25 } }).linearConfiguration, { stepPercent: 25, stepBakeTimeInMinutes: String(STRATEGY_DEFAULTS.linear.stepBakeTimeMinutes) });
        assert.deepEqual(ecsStrategyConfiguration({ strategy: "canary", canary: { bakeTimeMinutes: 3 } }), {
            strategy: "CANARY",
            bakeTimeInMinutes: bake,
            canaryConfiguration: { canaryPercent: STRATEGY_DEFAULTS.canary.percent, canaryBakeTimeInMinutes: "3" },
        });
    });

    it("reads the waits of a configuration without its optional parts, and says how the shifting wait is made up", () => {
        assert.deepEqual(strategyWaits(undefined), { strategy: "ROLLING", shifting: 0, bake: 0, detail: "" });
        assert.deepEqual(strategyWaits({ strategy: "ROLLING", bakeTimeInMinutes: "5" }), { strategy: "ROLLING", shifting: 0, bake: 0, detail: "" }, "a rolling update has no bake time");
        assert.deepEqual(strategyWaits({ strategy: "LINEAR" }), { strategy: "LINEAR", shifting: 9 * 360, bake: 0, detail: "9 steps of 10% × 360 s" });
        assert.deepEqual(strategyWaits({ strategy: "LINEAR", bakeTimeInMinutes: "1", linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: "2" } }), { strategy: "LINEAR", shifting: 3 * 120, bake: 60, detail: "3 steps of 25% × 120 s" });
        assert.deepEqual(strategyWaits({ strategy: "CANARY" }), { strategy: "CANARY", shifting: 600, bake: 0, detail: "5% canary × 600 s" });
        assert.deepEqual(strategyWaits({ strategy: "CANARY", canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: "3" } }), { strategy: "CANARY", shifting: 180, bake: 0, detail: "20% canary × 180 s" });
    });

    it("wants a load balancer for a second target group, and that group for a strategy that shifts traffic", () => {
        assert.deepEqual(problems({ alternateTargetGroup: true }, { balanced: false }), [["deployment.alternateTargetGroup", "needs a load balancer: it keeps the second target group and the listener rule ECS moves traffic with"]]);
        assert.deepEqual(problems({ alternateTargetGroup: true }), []);
        assert.deepEqual(problems({ strategy: "blueGreen", alternateTargetGroup: false }), [
            ["deployment.alternateTargetGroup", `cannot be false with strategy blueGreen: ECS moves traffic between the two target groups (${STRATEGY_SOURCES.loadBalancer})`],
        ]);
        assert.deepEqual(problems({ strategy: "rolling", alternateTargetGroup: false }), []);
        assert.deepEqual(problems({ strategy: "blueGreen", alternateTargetGroup: true }), []);
    });

    it("wants the test rule before the production rule: a lower priority given, or room below the production rule's", () => {
        const test = (priority: unknown, productionPriority: number | undefined) => paths({ strategy: "blueGreen", testTraffic: priority === undefined ? {} : { priority } }, { balanced: true, productionPriority });
        assert.deepEqual(test(undefined, 1), ["deployment.testTraffic.priority"]);
        assert.deepEqual(test(undefined, 5), [], "left out, it takes 4");
        assert.deepEqual(test(9, 10), []);
        assert.deepEqual(test(10, 10), ["deployment.testTraffic.priority"]);
        assert.deepEqual(test(11, 10), ["deployment.testTraffic.priority"]);
        assert.deepEqual(problems({ strategy: "blueGreen", testTraffic: { priority: 3 } }, { balanced: true, productionPriority: 1 }), [
            ["deployment.testTraffic.priority", "3 must be lower than the production rule's priority (1): the test rule matches a subset of its requests and must be evaluated first"],
        ]);
        assert.deepEqual(test(50, undefined), [], "no production priority to compare with");
        assert.deepEqual(test("11", 10), [], "a priority that is not a number is the schema's to name, once");
        assert.deepEqual(test(null, 10), []);
        assert.deepEqual(problems({ strategy: "blueGreen", testTraffic: { priority: 12 } }, { balanced: false, productionPriority: 10 }).map(([path]) => path), ["deployment.strategy"], "without a load balancer, only that");
    });

    it("wants deployment alarms to watch something, load balancer alarms a load balancer, and a 5xx threshold those alarms", () => {
        assert.deepEqual(paths({ alarms: { loadBalancerAlarms: true } }), []);
        assert.deepEqual(paths({ alarms: { loadBalancerAlarms: true } }, { balanced: false }), ["deployment.alarms.loadBalancerAlarms"]);
        assert.deepEqual(paths({ alarms: { alarmNames: ["mine"] } }), []);
        assert.deepEqual(paths({ alarms: { alarmNames: ["mine"] } }, { balanced: false }), [], "alarms by name need no load balancer");
        assert.deepEqual(paths({ alarms: {} }), ["deployment.alarms"]);
        assert.deepEqual(paths({ alarms: { alarmNames: "mine" } }), ["deployment.alarms"], "names that are not a list name nothing");
        assert.deepEqual(paths({ alarms: { loadBalancerAlarms: true, error5xxPercent: 5 } }), []);
        assert.deepEqual(paths({ alarms: { alarmNames: ["mine"], error5xxPercent: 5 } }), ["deployment.alarms.error5xxPercent"]);
        assert.deepEqual(paths({ alarms: { alarmNames: ["mine"], loadBalancerAlarms: false } }), []);
    });

    it("judges no field of a deployment, alarms or test traffic that is not an object: its type is the schema's to name", () => {
        for (const deployment of [undefined, null, "blueGreen", ["blueGreen"]]) assert.deepEqual(problems(deployment), [], JSON.stringify(deployment));
        assert.deepEqual(problems({ strategy: "blueGreen", alarms: [], testTraffic: [] }, { balanced: true, productionPriority: 1 }), []);
        assert.deepEqual(problems({ strategy: 42, bakeTimeMinutes: 5 }).map(([path]) => path), ["deployment.bakeTimeMinutes"], "a strategy that is not text counts as the default, rolling");
    });
});

describe("deployment strategies: the deploy model", () => {
    // One green set: 45 s start + 10 s app + 15 s health; then the strategy's waits; then 60 s drain + 5 s stop + 15 s steady state.
    const start = 45 + 10 + 15;
    const end = 60 + 5;

    it("models a rolling update as before, plus the alarms' bake when the service has deployment alarms", () => {
        const plain = update({});
        assert.equal(plain.seconds, start + end + 15);
        assert.deepEqual(plain.extraTasks, { count: 4, seconds: start + end });
        const gated = update({ alarms: { enable: true, rollback: true, alarmNames: ["a"] } });
        assert.equal(gated.seconds, plain.seconds + 120);
        assert.equal(gated.waits.alarms, 120);
    });

    it("models blue/green as a full second set, the bake time, then the old set draining", () => {
        const u = update({ deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: "5" } });
        assert.equal(u.strategy, "BLUE_GREEN");
        assert.deepEqual([u.batch, u.waves], [4, 1]);
        assert.equal(u.seconds, start + 300 + end + 15);
        assert.deepEqual(u.extraTasks, { count: 4, seconds: start + 300 + end }, "the whole desired count again, for the deploy only");
    });

    it("models linear as its baked steps plus the bake time", () => {
        const u = update({ deploymentConfiguration: { strategy: "LINEAR", bakeTimeInMinutes: "2", linearConfiguration: { stepPercent: 20, stepBakeTimeInMinutes: "3" } } });
        // 100 / 20 = 5 shifts, a 3-minute wait after each but the last.
        assert.equal(u.waits.shifting, 4 * 180);
        assert.equal(u.seconds, start + 4 * 180 + 120 + end + 15);
    });

    it("models canary as the canary's bake, then the rest, then the bake time", () => {
        const u = update({ deploymentConfiguration: { strategy: "CANARY", bakeTimeInMinutes: "1", canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: "10" } } });
        assert.equal(u.seconds, start + 600 + 60 + end + 15);
    });

    it("never takes less time with a traffic-shifting strategy than the same green set with no waits (generated)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 30, max: 1000 }), fc.integer({ min: 0, max: 60 }), (bake, tenths, stepBake) => {
                const linear = update({ deploymentConfiguration: { strategy: "LINEAR", bakeTimeInMinutes: String(bake), linearConfiguration: { stepPercent: tenths / 10, stepBakeTimeInMinutes: String(stepBake) } } });
                return linear.seconds === start + end + 15 + bake * 60 + linearBakedSteps(tenths / 10) * stepBake * 60 && linear.seconds >= start + end + 15;
            }),
        );
    });
});

describe("deployment strategies: a deploy ECS rolled back", () => {
    const context = { environment: "prod", operation: "deploy" as const };
    // How the bridged provider reports its wait's error (service.go: "waiting for ECS Service (%s) update: %s"
    // with ECS's status reason), as the engine prints a provider error.
    const failure = (phase: string, reason: string) =>
        cliFailure(
            [
                "Diagnostics:",
                "  aws:ecs:Service (prod-api):",
                `    error:   sdk-v2/provider2.go:572: sdk.helper_schema: waiting for ECS Service (arn:aws:ecs:us-east-1:123456789012:service/prod-5c1d2e3/prod-api-7a8b9c0) ${phase}: ${reason}: provider=aws@7.48.0`,
                "  pulumi:pulumi:Stack (fargate-service-prod):",
                "    error: update failed",
            ].join("\n"),
        );

    it("is a deployment-rolled-back error naming the service and ECS's reason", () => {
        const error = toEnvironmentError(failure("update", "ECS deployment circuit breaker: tasks failed to start."), context);
        assert.ok(error instanceof DeploymentRolledBackError, error.name);
        assert.equal(error.code, "deployment-rolled-back");
        assert.equal(error.service, "prod-api-7a8b9c0");
        assert.equal(error.reason, "ECS deployment circuit breaker: tasks failed to start.");
        assert.equal(error.phase, "update");
        assert.match(error.message, /^The deploy of environment "prod" failed: ECS did not complete the new deployment of service prod-api-7a8b9c0 and rolled back to the last completed one: ECS deployment circuit breaker: tasks failed to start\. The previous version is still serving/);
        assert.ok(error.output.includes("Diagnostics:"), "the whole output is kept for logs");
    });

    it("keeps an alarm's reason, and says a new service has nothing to roll back to", () => {
        const alarm = toEnvironmentError(failure("update", "Service deployment rolled back because of CloudWatch alarm prod-api-deploy-5xx-1f2e3d4"), context) as DeploymentRolledBackError;
        assert.equal(alarm.reason, "Service deployment rolled back because of CloudWatch alarm prod-api-deploy-5xx-1f2e3d4");
        const created = toEnvironmentError(failure("create", "Deployment failed"), context) as DeploymentRolledBackError;
        assert.equal(created.phase, "create");
        assert.match(created.message, /has no earlier deployment to roll back to: Deployment failed\./);
    });

    it("does not take the same wait's timeout for a rollback", () => {
        const error = toEnvironmentError(failure("update", "timeout while waiting for state to become 'tfSTABLE' (last state: 'tfPENDING', timeout: 20m0s)"), context);
        assert.ok(error instanceof PulumiOperationError, error.name);
    });
});

describe("deployment strategies: a stack with a blue/green API", () => {
    let plan: import("../plan/plan").PlanDocument;
    before(async () => {
        const { planStack } = await import("../plan/plan");
        const config = [
            "fargate-service:preset: prod",
            "fargate-service:domain:",
            "  name: app.example.com",
            "  zoneName: example.com",
            "fargate-service:services:",
            "  api:",
            "    image:",
            "      uri: 123456789012.dkr.ecr.us-east-1.amazonaws.com/api@sha256:" + "a".repeat(64),
            "    container:",
            "      user: '1000:1000'",
            "    deployment:",
            "      strategy: blueGreen",
            "      testTraffic:",
            "        value: green",
            "fargate-service:alarms:",
            "  email: [oncall@example.com]",
        ].join("\n");
        plan = await planStack(stackDirectory("bg", config), "bg");
    });

    it("takes none of the preset's rolling percentages, and passes every control", () => {
        const resources = plan.resources as { type: string; inputs: Record<string, any> }[];
        const service = resources.find((r) => r.type === T.service)!;
        assert.equal(service.inputs.deploymentConfiguration.strategy, "BLUE_GREEN");
        assert.deepEqual(plan.controls.filter((c) => c.status === "fail").map((c) => c.id), []);
    });

    it("scales on requests per healthy target over both target groups, not on AWS's one-group metric", () => {
        const resources = plan.resources as { type: string; name: string; inputs: Record<string, any> }[];
        const tracking = resources.find((r) => r.type === T.scalingPolicy && r.name === "bg-api-requests")!.inputs.targetTrackingScalingPolicyConfiguration;
        assert.equal(tracking.predefinedMetricSpecification, undefined);
        assert.equal(tracking.targetValue, 1000, "the preset's requests per target");
        const metrics = tracking.customizedMetricSpecification.metrics as { id: string; expression?: string; metricStat?: { metric: { metricName: string; dimensions: { name: string; value: string }[] } } }[];
        const groups = new Set(metrics.filter((m) => m.metricStat).map((m) => m.metricStat!.metric.dimensions.find((d) => d.name === "TargetGroup")!.value));
        assert.equal(groups.size, 2, "both target groups");
        assert.ok([...groups].every((g) => /^targetgroup\/bg-api(-alt)?/.test(g)), [...groups].join(", "));
        assert.equal(metrics.find((m) => m.expression)!.expression, "(FILL(requests0, 0) + FILL(requests1, 0)) / (FILL(healthy0, 0) + FILL(healthy1, 0))");
    });

    it("pages on 5xx, unhealthy targets and latency over both target groups: production traffic may sit in either", () => {
        const resources = plan.resources as { type: string; name: string; inputs: Record<string, any> }[];
        for (const name of ["bg-api-5xx", "bg-api-unhealthy", "bg-api-latency"]) {
            const alarm = resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name === name)!;
            const groups = new Set((alarm.inputs.metricQueries as { metric?: { dimensions: { TargetGroup: string } } }[]).filter((q) => q.metric).map((q) => q.metric!.dimensions.TargetGroup));
            assert.equal(groups.size, 2, name);
        }
    });

    it("models the update as blue/green with the default 5-minute bake, within prod's 10-minute target", () => {
        const api = plan.deploy.rollingUpdates.find((u) => u.service === "bg-api")!;
        assert.equal(api.strategy, "BLUE_GREEN");
        assert.equal(api.waits.bake, 300);
        assert.ok(api.seconds < 600, String(api.seconds));
    });

    it("draws the test rule and both target groups in the diagram", () => {
        assert.ok(plan.diagram.mermaid.includes("/* → :8080 · blue/green across 2 target groups"), plan.diagram.mermaid);
        assert.ok(plan.diagram.mermaid.includes("-.->|\"test traffic: x-deployment-test: green → new tasks\"|"), plan.diagram.mermaid);
    });
});
