import * as assert from "node:assert/strict";
import type { FargateServiceArgs } from "../components";
import type { PlannedResource, ProgramRun } from "../plan/engine";
import { TASK_TYPES as T, ofType, one, run, throwsProblems } from "./helpers";

/**
 * Changing a live service's deployment strategy, and the deploys after ECS has moved its traffic:
 * two runs of the same program on the offline engine stand for two `pulumi up`s, and the engine's
 * own ignoreChanges rule (below) gives what the second one would send to AWS.
 */

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const nginx = { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" };
const listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/0123456789abcdef/fedcba9876543210";
const shared = { listenerArn, securityGroupId: "sg-0abc", rule: { priority: 10, hostHeaders: ["api.example.com"] } };

function onShared(deployment: FargateServiceArgs["deployment"]): Promise<ProgramRun> {
    return run(() => {
        new components.FargateService("api", { ...network, image: nginx, loadBalancer: shared, deployment });
    });
}

type Value = unknown;
const isObject = (v: Value): v is Record<string, Value> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Pulumi's ignoreChanges, as the engine applies it before diffing (sdk/go/common/resource/properties_path.go,
 * PropertyPath.Reset): at each ignored path the new inputs take the old value, or lose the key when
 * the old inputs have none. Paths here are `a[0].b` (keys and array indices).
 */
function withIgnoredChanges(oldInputs: Record<string, Value>, newInputs: Record<string, Value>, paths: string[]): Record<string, Value> {
    const result = structuredClone(newInputs);
    for (const path of paths) {
        const keys = path.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== "");
        let from: Value = oldInputs;
        let to: Value = result;
        for (const [i, raw] of keys.entries()) {
            const key = /^\d+$/.test(raw) ? Number(raw) : raw;
            const last = i === keys.length - 1;
            const has = (v: Value) => (typeof key === "number" ? Array.isArray(v) && key < v.length : isObject(v) && key in v);
            if (last) {
                if (has(from)) (to as Record<string | number, Value>)[key] = structuredClone((from as Record<string | number, Value>)[key]);
                else if (isObject(to)) delete to[key as string];
                break;
            }
            if (!has(from) || !has(to)) break;
            from = (from as Record<string | number, Value>)[key];
            to = (to as Record<string | number, Value>)[key];
        }
    }
    return result;
}

/** What the second run sends for a resource the first run made: its inputs after ignoreChanges. */
const sent = (before: PlannedResource, after: PlannedResource) => withIgnoredChanges(before.inputs, after.inputs, after.options.ignoreChanges ?? []);

describe("strategy transitions: the engine's ignoreChanges rule, as the tests apply it", () => {
    it("keeps the old value at an ignored path, drops a key the old inputs lack, and changes nothing else", () => {
        const old = { actions: [{ type: "forward", targetGroupArn: "blue" }], priority: 1 };
        const next = { actions: [{ type: "forward", forward: { targetGroups: [] } }], priority: 2 };
        assert.deepEqual(withIgnoredChanges(old, next, ["actions[0].forward", "actions[0].targetGroupArn"]), { actions: [{ type: "forward", targetGroupArn: "blue" }], priority: 2 });
        assert.deepEqual(withIgnoredChanges(old, next, []), next);
    });
});

describe("strategy transitions: rolling to blue/green on a shared listener", () => {
    let rolling: ProgramRun;
    let blueGreen: ProgramRun;
    before(async () => {
        rolling = await onShared(undefined);
        blueGreen = await onShared({ strategy: "blueGreen" });
    });

    it("keeps the production rule: the same resource, updated in place, never deleted first", () => {
        const [before, after] = [one(rolling, T.listenerRule), one(blueGreen, T.listenerRule, "api")];
        assert.equal(after.urn, before.urn, "same URN: Pulumi updates the rule instead of replacing it");
        assert.equal(after.options.deleteBeforeReplace, undefined);
        assert.equal(after.options.replaceOnChanges, undefined);
        assert.equal(after.inputs.priority, before.inputs.priority);
        assert.deepEqual(after.inputs.conditions, before.inputs.conditions);
    });

    it("sends the rule's forward to the first target group unchanged, so no request goes unrouted during the switch", () => {
        const [before, after] = [one(rolling, T.listenerRule), one(blueGreen, T.listenerRule, "api")];
        const actions = sent(before, after).actions as { type: string; targetGroupArn?: string; forward?: unknown }[];
        assert.deepEqual(actions, before.inputs.actions, "the forward action is what the rolling service had");
        assert.equal(actions[0].targetGroupArn, one(rolling, T.targetGroup).outputs.arn);
        assert.equal(after.inputs.tags["ecs-deployment"], "traffic-shifting", "only the marker tag changes");
    });

    it("keeps the first target group the service registers in, and adds the second one beside it", () => {
        const firstGroup = one(rolling, T.targetGroup);
        const groups = ofType(blueGreen, T.targetGroup);
        assert.equal(groups.find((g) => g.name === "api")!.urn, firstGroup.urn);
        assert.equal(one(blueGreen, T.service).inputs.loadBalancers[0].targetGroupArn, firstGroup.outputs.arn);
        assert.deepEqual(groups.map((g) => g.name).sort(), ["api", "api-alt"]);
    });
});

describe("strategy transitions: deploys after ECS moved the traffic", () => {
    it("leaves the forward action where ECS put it (green at 100) after a refresh, on both rules", async () => {
        const blueGreen = await onShared({ strategy: "blueGreen", testTraffic: { value: "green" } });
        for (const name of ["api", "api-test"]) {
            const rule = one(blueGreen, T.listenerRule, name);
            const [blue, green] = (rule.inputs.actions[0].forward.targetGroups as { arn: string }[]).map((t) => t.arn);
            // What `pulumi refresh` reads back once ECS has finished a deployment: the weights swapped.
            const live = { ...rule.inputs, actions: [{ type: "forward", forward: { targetGroups: [{ arn: blue, weight: 0 }, { arn: green, weight: 100 }] } }] };
            const next = await onShared({ strategy: "blueGreen", testTraffic: { value: "green" } });
            assert.deepEqual(sent({ ...rule, inputs: live }, one(next, T.listenerRule, name)).actions, live.actions, `${name}: Pulumi does not switch traffic back to blue`);
        }
    });

    it("still applies the rule's own settings (priority, hosts) that ECS does not own", async () => {
        const before = one(await onShared({ strategy: "blueGreen" }), T.listenerRule, "api");
        const moved = await run(() => {
            new components.FargateService("api", { ...network, image: nginx, loadBalancer: { ...shared, rule: { priority: 12, hostHeaders: ["api2.example.com"] } }, deployment: { strategy: "blueGreen" } });
        });
        const after = sent(before, one(moved, T.listenerRule, "api"));
        assert.equal(after.priority, 12);
        assert.deepEqual(after.conditions, [{ hostHeader: { values: ["api2.example.com"] } }]);
    });
});

describe("strategy transitions: blue/green back to rolling", () => {
    let blueGreen: ProgramRun;
    let back: ProgramRun;
    before(async () => {
        blueGreen = await onShared({ strategy: "blueGreen", testTraffic: { value: "green" } });
        back = await onShared({ strategy: "rolling", alternateTargetGroup: true });
    });

    it("with alternateTargetGroup, keeps both target groups, the ECS-owned production rule and the traffic role", () => {
        for (const type of [T.targetGroup, T.role]) {
            const kept = new Set(ofType(back, type).map((r) => r.urn));
            for (const r of ofType(blueGreen, type).filter((r) => !r.name.endsWith("-hooks"))) assert.ok(kept.has(r.urn), `${r.name} is kept`);
        }
        const [before, after] = [one(blueGreen, T.listenerRule, "api"), one(back, T.listenerRule, "api")];
        assert.equal(after.urn, before.urn);
        assert.deepEqual(after.options.ignoreChanges, before.options.ignoreChanges, "ECS still owns the forward action");
    });

    it("tells ECS to roll out from now on, into whichever group is live: ROLLING with the advanced configuration kept", () => {
        const service = one(back, T.service);
        assert.equal(service.inputs.deploymentConfiguration.strategy, "ROLLING");
        const advanced = service.inputs.loadBalancers[0].advancedConfiguration;
        assert.equal(advanced.alternateTargetGroupArn, one(back, T.targetGroup, "api-alt").outputs.arn);
        assert.equal(advanced.productionListenerRule, one(back, T.listenerRule, "api").outputs.arn);
        assert.equal(advanced.testListenerRule, undefined, "test traffic belongs to the traffic-shifting strategies");
        assert.deepEqual(
            ofType(back, T.listenerRule).map((r) => r.name),
            ["api"],
            "the test rule goes: deleting it moves no production traffic",
        );
    });

    it("refuses alternateTargetGroup without a load balancer, and false under a traffic-shifting strategy, naming the key", () => {
        throwsProblems(
            () => new components.FargateService("w", { ...network, image: nginx, loadBalancer: { enabled: false }, deployment: { alternateTargetGroup: true } }),
            "args.deployment.alternateTargetGroup: needs a load balancer",
        );
        throwsProblems(
            () => new components.FargateService("w", { ...network, image: nginx, loadBalancer: shared, deployment: { strategy: "linear", alternateTargetGroup: false } }),
            "args.deployment.alternateTargetGroup: cannot be false with strategy linear",
        );
    });
});
