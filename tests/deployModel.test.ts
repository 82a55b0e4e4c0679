import * as assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_DEPLOY_ASSUMPTIONS, FORMULA, estimateDeploy, rollingUpdate } from "../analysis/deployModel";
import { StackGraph, StackResource, T } from "../analysis/stackResources";
import { rollingUpdateTime } from "../analysis/controls/reliability";
import { graphResource } from "./helpers";

/** The deploy-time model worked out by hand on small graphs. */

function resource(type: string, inputs: Record<string, any> = {}, links: { deps?: StackResource[]; props?: Record<string, StackResource[]>; custom?: boolean; parent?: StackResource } = {}): StackResource {
    return graphResource(type, inputs, links);
}

const containers = (defs: Record<string, unknown>[]) => ({ containerDefinitions: JSON.stringify(defs) });
const a = DEFAULT_DEPLOY_ASSUMPTIONS;

/** A load-balanced service: target group health check every 15 s, 60 s of draining, a 30 s stopTimeout. */
function balanced(serviceInputs: Record<string, any>) {
    const taskDefinition = resource(T.taskDefinition, containers([{ name: "app", essential: true, stopTimeout: 30 }]));
    const targetGroup = resource(T.targetGroup, { healthCheck: { interval: 15 }, deregistrationDelay: 60 });
    const service = resource(T.service, serviceInputs, { props: { taskDefinition: [taskDefinition], loadBalancers: [targetGroup] } });
    return { graph: new StackGraph([taskDefinition, targetGroup, service]), service };
}

describe("deploy model: a rolling update", () => {
    it("replaces every task in one wave with the defaults (200% maximum, 100% healthy minimum)", () => {
        const { graph, service } = balanced({ desiredCount: 4 });
        const update = rollingUpdate(graph, service, a);
        assert.deepEqual(update.wave, { taskStart: 45, appStart: 10, healthy: 15, drain: 60, appStop: 5 });
        assert.deepEqual([update.desired, update.batch, update.waves, update.seconds], [4, 4, 1, 45 + 10 + 15 + 60 + 5 + 15]);
        assert.equal(update.service, service.name);
        assert.equal(update.urn, service.urn);
    });

    it("counts the extra tasks a rolling update runs and for how long: up to the desired count, none without room above 100%", () => {
        const update = (desiredCount: number, max: number, min: number) => {
            const { graph, service } = balanced({ desiredCount, deploymentMaximumPercent: max, deploymentMinimumHealthyPercent: min });
            return rollingUpdate(graph, service, a);
        };
        const perWave = 45 + 10 + 15 + 60 + 5;
        assert.deepEqual(update(2, 300, 100).extraTasks, { count: 2, seconds: perWave }, "a 300% maximum still replaces only the desired count");
        assert.deepEqual(update(4, 150, 100).extraTasks, { count: 2, seconds: 2 * perWave });
        assert.deepEqual(update(4, 100, 50).extraTasks, { count: 0, seconds: 0 }, "stopping before starting runs nothing extra");
        assert.deepEqual(update(4, 100, 50).waits, { shifting: 0, bake: 0, alarms: 0, detail: "" });
    });

    it("starts extra tasks up to the maximum and stops tasks down to the healthy minimum in each wave", () => {
        const batch = (desiredCount: number, max: number, min: number) => {
            const { graph, service } = balanced({ desiredCount, deploymentMaximumPercent: max, deploymentMinimumHealthyPercent: min });
            const u = rollingUpdate(graph, service, a);
            return [u.batch, u.waves];
        };
        assert.deepEqual(batch(5, 120, 100), [1, 5]);
        assert.deepEqual(batch(4, 150, 50), [4, 1]);
        assert.deepEqual(batch(6, 150, 100), [3, 2]);
        assert.deepEqual(batch(6, 100, 50), [3, 2]);
        assert.deepEqual(batch(7, 100, 90), [1, 7]);
        assert.deepEqual(batch(3, 100, 100), [1, 3], "never less than one task a wave");
        assert.deepEqual(batch(10, 200, 0), [10, 1], "never more than the desired count");
    });

    it("counts a service scaled to 0, or with no number, as one task", () => {
        for (const desiredCount of [0, undefined, "2"]) {
            const { graph, service } = balanced({ desiredCount });
            assert.equal(rollingUpdate(graph, service, a).desired, 1, String(desiredCount));
        }
    });

    it("takes the waves × wave time, plus the steady-state check (generated settings)", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 100, max: 200 }), fc.integer({ min: 0, max: 100 }), (desiredCount, max, min) => {
                const { graph, service } = balanced({ desiredCount, deploymentMaximumPercent: max, deploymentMinimumHealthyPercent: min });
                const u = rollingUpdate(graph, service, a);
                const perWave = 45 + 10 + 15 + 60 + 5;
                return u.batch >= 1 && u.batch <= desiredCount && u.waves === Math.ceil(desiredCount / u.batch) && u.seconds === u.waves * perWave + 15;
            }),
        );
    });

    it("uses AWS's defaults for a target group without a health check interval or a deregistration delay", () => {
        const taskDefinition = resource(T.taskDefinition, containers([{ name: "app", essential: true }]));
        const targetGroup = resource(T.targetGroup, {});
        const service = resource(T.service, { desiredCount: 1 }, { props: { taskDefinition: [taskDefinition], loadBalancers: [targetGroup] } });
        const wave = rollingUpdate(new StackGraph([taskDefinition, targetGroup, service]), service, a).wave;
        assert.deepEqual([wave.healthy, wave.drain, wave.appStop], [30, 300, 5]);
    });

    it("waits for the container health check when there is no load balancer, and for nothing without one", () => {
        const worker = (def: Record<string, unknown>) => {
            const taskDefinition = resource(T.taskDefinition, containers([def]));
            const service = resource(T.service, { desiredCount: 1 }, { props: { taskDefinition: [taskDefinition] } });
            return rollingUpdate(new StackGraph([taskDefinition, service]), service, a).wave;
        };
        assert.deepEqual(worker({ name: "w", healthCheck: { startPeriod: 20, interval: 10 } }), { taskStart: 45, appStart: 10, healthy: 30, drain: 0, appStop: 5 });
        assert.equal(worker({ name: "w", healthCheck: {} }).healthy, 30);
        assert.equal(worker({ name: "w" }).healthy, 0);
    });

    it("stops the app within its stopTimeout when that is shorter than the app takes", () => {
        const taskDefinition = resource(T.taskDefinition, containers([{ name: "app", stopTimeout: 2 }]));
        const service = resource(T.service, {}, { props: { taskDefinition: [taskDefinition] } });
        assert.equal(rollingUpdate(new StackGraph([taskDefinition, service]), service, a).wave.appStop, 2);
        assert.equal(rollingUpdate(new StackGraph([taskDefinition, service]), service, { ...a, appStopSeconds: 60 }).wave.appStop, 2);
        const bare = resource(T.service, {});
        assert.equal(rollingUpdate(new StackGraph([bare]), bare, { ...a, appStopSeconds: 60 }).wave.appStop, 30, "ECS's default stopTimeout");
    });

    it("reads the container the load balancer names, not the first one", () => {
        const taskDefinition = resource(T.taskDefinition, containers([{ name: "sidecar", essential: true, healthCheck: { startPeriod: 100, interval: 100 } }, { name: "app", essential: true, healthCheck: { startPeriod: 1, interval: 1 } }]));
        const service = resource(T.service, { loadBalancers: [{ containerName: "app" }] }, { props: { taskDefinition: [taskDefinition] } });
        assert.equal(rollingUpdate(new StackGraph([taskDefinition, service]), service, a).wave.healthy, 2);
    });
});

describe("deploy model: the first deploy", () => {
    it("adds up the longest chain of dependencies and lists it, without zero-time steps", () => {
        const component = resource("fargate:index:FargateService", {}, { custom: false });
        const cluster = resource(T.cluster, {}, { parent: component });
        const lb = resource(T.loadBalancer);
        const role = resource(T.role, {}, { deps: [component] });
        const listener = resource(T.listener, {}, { props: { loadBalancerArn: [lb] } });
        const service = resource(T.service, { waitForSteadyState: false }, { deps: [cluster, role], props: { loadBalancers: [listener] } });
        const estimate = estimateDeploy(new StackGraph([component, cluster, lb, role, listener, service]));
        assert.equal(estimate.firstDeploySeconds, 180 + 3 + 3);
        assert.deepEqual(
            estimate.criticalPath.map((s) => [s.name, s.seconds, s.finishesAt]),
            [
                [lb.name, 180, 180],
                [listener.name, 3, 183],
                [service.name, 3, 186],
            ],
        );
        assert.equal(estimate.criticalPath[0].type, T.loadBalancer);
        assert.equal(estimate.criticalPath[0].urn, lb.urn);
        assert.equal(estimate.formula, FORMULA);
        assert.deepEqual(estimate.rollingUpdates.map((u) => u.service), [service.name]);
    });

    it("waits for a service's first tasks to be healthy when it waits for steady state", () => {
        const taskDefinition = resource(T.taskDefinition, containers([{ name: "app", healthCheck: { startPeriod: 5, interval: 10 } }]));
        const service = resource(T.service, {}, { props: { taskDefinition: [taskDefinition] } });
        const estimate = estimateDeploy(new StackGraph([taskDefinition, service]));
        assert.equal(estimate.firstDeploySeconds, 3 + 45 + 10 + 15 + 15);
    });

    it("gives a component resource no time of its own, and leaves it out of the critical path", () => {
        const lb = resource(T.loadBalancer);
        const component = resource("fargate:index:FargateService", {}, { custom: false, deps: [lb] });
        const role = resource(T.role, {}, { deps: [component] });
        const estimate = estimateDeploy(new StackGraph([lb, component, role]), { provisioningSeconds: { [T.loadBalancer]: 100, [T.role]: 10, default: 5 } });
        assert.equal(estimate.firstDeploySeconds, 110);
        assert.deepEqual(estimate.criticalPath.map((s) => [s.name, s.seconds, s.finishesAt]), [
            [lb.name, 100, 100],
            [role.name, 10, 110],
        ]);
    });

    it("names the first of two chains that finish at the same time", () => {
        const first = resource(T.role);
        const second = resource(T.role);
        assert.deepEqual(estimateDeploy(new StackGraph([first, second])).criticalPath.map((s) => s.name), [first.name]);
    });

    it("costs each resource once however many paths reach it: forty layers, each resource depending on both of the layer before", () => {
        let layer = [resource(T.role), resource(T.role)];
        const all = [...layer];
        for (let i = 1; i < 40; i++) {
            layer = [resource(T.role, {}, { deps: layer }), resource(T.role, {}, { deps: layer })];
            all.push(...layer);
        }
        const estimate = estimateDeploy(new StackGraph(all), { provisioningSeconds: { [T.role]: 2 } });
        assert.equal(estimate.firstDeploySeconds, 80);
        assert.equal(estimate.criticalPath.length, 40);
    });

    it("counts an awsx VPC with the NAT gateways its strategy creates inside it", () => {
        const seconds = (natGateways?: { strategy: string }) => estimateDeploy(new StackGraph([resource(T.awsxVpc, natGateways ? { natGateways } : {}, { custom: false })])).firstDeploySeconds;
        assert.equal(seconds(), 30 + 120);
        assert.equal(seconds({ strategy: "Single" }), 30 + 120);
        assert.equal(seconds({ strategy: "None" }), 30);
    });

    it("takes provisioning times from the assumptions over the data file, and keeps the defaults otherwise", () => {
        const lb = resource(T.loadBalancer);
        const estimate = estimateDeploy(new StackGraph([lb]), { provisioningSeconds: { [T.loadBalancer]: 7 }, taskStartSeconds: 1 });
        assert.equal(estimate.firstDeploySeconds, 7);
        assert.equal(estimate.assumptions.taskStartSeconds, 1);
        assert.equal(estimate.assumptions.appStartSeconds, 10);
        assert.deepEqual(estimateDeploy(new StackGraph([lb])).assumptions, DEFAULT_DEPLOY_ASSUMPTIONS);
    });

    it("takes no time for an empty stack, and stays finite on a dependency cycle", () => {
        assert.equal(estimateDeploy(new StackGraph([])).firstDeploySeconds, 0);
        const first = resource(T.role);
        const second = resource(T.role, {}, { deps: [first] });
        first.dependencies.push(second.urn, first.urn, "urn:missing");
        assert.equal(estimateDeploy(new StackGraph([first, second])).firstDeploySeconds, 16);
    });
});

describe("deploy model: the deployment alarms' bake", () => {
    const alarm = (inputs: Record<string, any>) => resource(T.metricAlarm, inputs);
    function gated(alarms: StackResource[], names: string[]) {
        const { graph, service } = balanced({ desiredCount: 2, alarms: { enable: true, rollback: true, alarmNames: names } });
        const linked = { ...service, propertyDependencies: { ...service.propertyDependencies, alarms: alarms.map((a) => a.urn) } };
        return rollingUpdate(new StackGraph([...graph.resources.filter((r) => r !== service), ...alarms, linked]), linked, a);
    }

    it("takes the longest period × evaluation periods of the alarms the stack makes (metric math periods too)", () => {
        const twoMinutes = alarm({ period: 60, evaluationPeriods: 2 });
        const threeMinutes = alarm({ evaluationPeriods: 3, metricQueries: [{ id: "e", expression: "m1" }, { id: "m1", metric: { period: 60 } }] });
        const u = gated([twoMinutes, threeMinutes], ["a", "b"]);
        assert.equal(u.waits.alarms, 180);
        assert.equal(u.seconds, u.rolloutSeconds + 180 + a.steadyStateCheckSeconds);
        assert.equal(gated([alarm({ period: 300, evaluationPeriods: 1 })], ["slow"]).waits.alarms, 300, "a five-minute alarm bakes five minutes");
    });

    it("takes the assumption for alarms it only knows by name, and the longer of the two when both are watched", () => {
        assert.equal(gated([], ["other-stacks-alarm"]).waits.alarms, a.alarmBakeSeconds);
        assert.equal(gated([alarm({ period: 60, evaluationPeriods: 1 })], ["mine", "theirs"]).waits.alarms, Math.max(60, a.alarmBakeSeconds));
        assert.equal(gated([alarm({ period: 60, evaluationPeriods: 5 })], ["mine"]).waits.alarms, 300, "no assumption when every alarm is known");
    });

    it("offers one datapoint instead of several only as a lever that weakens the gate, at the alarms' own period", () => {
        const bake = gated([alarm({ period: 60, evaluationPeriods: 2 })], ["a"]).levers.find((l) => l.id === "alarm-bake")!;
        assert.deepEqual([bake.seconds, bake.safe], [60, false]);
        assert.equal(gated([alarm({ period: 60, evaluationPeriods: 1 })], ["a"]).levers.find((l) => l.id === "alarm-bake"), undefined, "nothing left to shorten");
    });
});

describe("deploy model: the levers", () => {
    /** A rolling update with these settings, 45 s task start, 10 s app start. */
    function update(settings: { interval: number; drain: number; desired: number; max: number; min: number }) {
        const taskDefinition = resource(T.taskDefinition, containers([{ name: "app", essential: true, stopTimeout: 120 }]));
        const targetGroup = resource(T.targetGroup, { protocol: "HTTP", healthCheck: { interval: settings.interval }, deregistrationDelay: settings.drain });
        const service = resource(T.service, { desiredCount: settings.desired, deploymentMaximumPercent: settings.max, deploymentMinimumHealthyPercent: settings.min }, { props: { taskDefinition: [taskDefinition], loadBalancers: [targetGroup] } });
        return rollingUpdate(new StackGraph([taskDefinition, targetGroup, service]), service, a);
    }
    const lever = (u: ReturnType<typeof update>, id: string) => u.levers.find((l) => l.id === id)?.seconds ?? 0;

    it("buys on prod's API as it was (10 s checks, 30 s drain): 5 s, 20 s, nothing from the batch, up to 12 s from zstd layers", () => {
        const before = update({ interval: 10, drain: 30, desired: 3, max: 200, min: 100 });
        assert.equal(before.rolloutSeconds + a.steadyStateCheckSeconds, 115);
        assert.deepEqual(
            before.levers.map((l) => [l.id, l.seconds, l.safe, l.upTo ?? false]),
            [
                ["health-check", 5, true, false],
                ["drain", 20, true, false],
                ["image-start", 12, true, true],
            ],
        );
        const after = update({ interval: 5, drain: 10, desired: 3, max: 200, min: 100 });
        assert.equal(after.rolloutSeconds + a.steadyStateCheckSeconds, 90);
        assert.deepEqual(after.levers.map((l) => l.id), ["image-start"]);
    });

    it("saves exactly what taking the lever saves in the model: health check, drain and batch (generated settings)", () => {
        fc.assert(
            fc.property(
                fc.record({ interval: fc.integer({ min: 5, max: 60 }), drain: fc.integer({ min: 0, max: 119 }), desired: fc.integer({ min: 1, max: 20 }), max: fc.integer({ min: 100, max: 200 }), min: fc.integer({ min: 0, max: 100 }) }),
                (s) => {
                    const u = update(s);
                    const health = u.seconds - update({ ...s, interval: 5 }).seconds;
                    const drain = u.seconds - update({ ...s, drain: Math.min(s.drain, 10) }).seconds;
                    const batch = update({ ...s, interval: 5, drain: Math.min(s.drain, 10) }).seconds - update({ ...s, interval: 5, drain: Math.min(s.drain, 10), max: 200, min: 100 }).seconds;
                    const batchLever = update({ ...s, interval: 5, drain: Math.min(s.drain, 10) });
                    return lever(u, "health-check") === health && lever(u, "drain") === drain && lever(batchLever, "batch") === batch && u.levers.every((l) => l.seconds > 0);
                },
            ),
        );
    });

    it("never offers a drain below the floor or a check faster than ALB's 5 s", () => {
        const fast = update({ interval: 5, drain: 5, desired: 2, max: 200, min: 100 });
        assert.deepEqual(fast.levers.map((l) => l.id), ["image-start"]);
    });
});

describe("deploy model: the rolling-update-time control", () => {
    it("counts the alarms' bake in the update it judges, and says so in its reason", () => {
        const made = resource(T.metricAlarm, { period: 60, evaluationPeriods: 2 });
        const { graph, service } = balanced({ desiredCount: 2, alarms: { enable: true, rollback: true, alarmNames: ["gate"] } });
        const linked = { ...service, propertyDependencies: { ...service.propertyDependencies, alarms: [made.urn] } };
        const stack = new StackGraph([...graph.resources.filter((r) => r !== service), made, linked]);
        // 45 + 10 + 15 + 60 + 5 = 135 s of rollout, 120 s of bake, 15 s steady state: 270 s, over a 4-minute target.
        const findings = rollingUpdateTime.check(stack, { requireOnDemandBase: false, rollingUpdateMinutes: 4 }) ?? [];
        assert.equal(findings.length, 1);
        assert.equal(findings[0].reason, "a rolling update takes about 270 s (1 wave of 15 s health check + 60 s drain + 120 s alarm bake), over the 4 min target");
        assert.deepEqual(rollingUpdateTime.check(stack, { requireOnDemandBase: false, rollingUpdateMinutes: 5 }), [], "within 5 minutes");
    });
});
