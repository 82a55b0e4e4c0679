import * as assert from "node:assert/strict";
import fc from "fast-check";
import { price } from "../analysis/costModel";
import { estimateCost } from "../analysis/costModel";
import { spotOnDemandBase } from "../analysis/controls/reliability";
import { ec218, ec219, iam1, iam21 } from "../analysis/controls/securityHub";
import type { ControlSettings } from "../analysis/controls/types";
import { StackGraph, StackResource, T } from "../analysis/stackResources";
import { DEFAULT_CAPACITY, FARGATE, FARGATE_SPOT, ON_DEMAND_ONLY, capacityStrategy, splitTasks, strategyUsesSpot } from "../core/capacity";
import { ecsTasksTrustPolicy, executionRolePolicy, serviceTrustPolicy } from "../core/iamDocuments";

/**
 * Guards that no other test reached: each test here fails when its guard is removed.
 */

const account = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };
const noGrants = { repositoryArns: [], logGroupArns: [], secretArns: [], parameterArns: [], kmsKeyArns: [] };

let serial = 0;
function resource(type: string, inputs: Record<string, any>, propertyDependencies: Record<string, string[]> = {}): StackResource {
    const name = `r${++serial}`;
    return { urn: `urn:pulumi:test::proj::${type}::${name}`, type, name, custom: true, inputs, propertyDependencies, dependencies: [], options: {} };
}

describe("guard: kms:Decrypt for secrets under customer-managed keys", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    it("lets the execution role decrypt with the customer keys, only through Secrets Manager or SSM in the region", () => {
        const policy = executionRolePolicy({ ...noGrants, secretArns: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"], kmsKeyArns: [key, key] }, account);
        const decrypt = policy.Statement.find((s) => s.Action.includes("kms:Decrypt"));
        assert.deepEqual(decrypt, {
            Sid: "DecryptSecrets",
            Effect: "Allow",
            Action: ["kms:Decrypt"],
            Resource: [key],
            Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"] } },
        });
    });

    it("grants no kms action when the secrets use AWS-managed keys", () => {
        const policy = executionRolePolicy({ ...noGrants, secretArns: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"] }, account);
        assert.ok(!policy.Statement.some((s) => s.Action.some((a) => a.startsWith("kms:"))), JSON.stringify(policy));
    });

    it("grants nothing at all to a task that pulls nothing, logs nowhere and reads no secret", () => {
        assert.deepEqual(executionRolePolicy(noGrants, account), { Version: "2012-10-17", Statement: [] });
    });
});

describe("guard: a trust policy without a source ARN", () => {
    it("limits a service's trust to this account and adds no ArnLike condition when no source ARN is given", () => {
        const trust = serviceTrustPolicy("scheduler.amazonaws.com", account);
        assert.deepEqual(trust.Statement, [
            { Effect: "Allow", Principal: { Service: "scheduler.amazonaws.com" }, Action: ["sts:AssumeRole"], Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
        ]);
        assert.equal(JSON.stringify(trust).includes("ArnLike"), false);
    });

    it("adds the source ARN pattern beside the account when one is given", () => {
        const trust = serviceTrustPolicy("events.amazonaws.com", account, "arn:aws:events:eu-west-1:123456789012:rule/*");
        assert.deepEqual(trust.Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:events:eu-west-1:123456789012:rule/*" },
        });
    });

    it("limits ECS task roles to ECS in this account and region", () => {
        assert.deepEqual(ecsTasksTrustPolicy(account).Statement[0].Condition?.ArnLike, { "aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:*" });
    });
});

describe("guard: Deny statements in the IAM controls", () => {
    const policy = (Effect: string, Action: string | string[], Resource: string | string[] = "*") => ({ policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect, Action, Resource }] }) });

    it("does not take a Deny of every action on every resource for an administrator grant (IAM.1)", () => {
        assert.deepEqual(iam1.check(T.policy, policy("Deny", "*")), undefined);
        assert.deepEqual(iam1.check(T.policy, policy("Allow", "*")), ['allows Action "*" on Resource "*"']);
    });

    it("does not take a Deny of a whole service for a wildcard grant (IAM.21)", () => {
        assert.deepEqual(iam21.check(T.policy, policy("Deny", ["s3:*", "iam:*"])), undefined);
        assert.deepEqual(iam21.check(T.policy, policy("Allow", ["s3:*"])), ['allows "s3:*"']);
    });

    it("judges the Allow statements of a policy that mixes Allow and Deny", () => {
        const mixed = {
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Deny", Action: "*", Resource: "*" },
                    { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" },
                ],
            }),
        };
        assert.deepEqual(iam1.check(T.policy, mixed), []);
        assert.deepEqual(iam21.check(T.policy, mixed), []);
    });
});

describe("guard: protocol -1 open to the world in the security-group controls", () => {
    const everything = (ipProtocol: unknown) => ({ cidrIpv4: "0.0.0.0/0", ipProtocol, fromPort: 0, toPort: 0 });

    it("reads protocol -1 (every protocol) as every port open, whatever the ports say (EC2.18)", () => {
        assert.deepEqual(ec218.check(T.ingressRule, everything("-1")), ["all ports open to the internet"]);
        assert.deepEqual(ec218.check(T.ingressRule, everything(-1)), ["all ports open to the internet"]);
        assert.deepEqual(ec218.check(T.ingressRule, { cidrIpv6: "::/0", ipProtocol: "all" }), ["all ports open to the internet"]);
    });

    it("finds every high-risk port behind protocol -1 (EC2.19)", () => {
        const reasons = ec219.check(T.ingressRule, everything("-1")) ?? [];
        assert.ok(reasons.includes("high-risk port 22 open to the internet"), reasons.join("; "));
        assert.ok(reasons.includes("high-risk port 3389 open to the internet"), reasons.join("; "));
        assert.ok(reasons.includes("high-risk port 9300 open to the internet"), reasons.join("; "));
    });

    it("reads protocol -1 the same in a security group's inline rules and in a security group rule", () => {
        assert.deepEqual(ec218.check(T.securityGroup, { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }), ["all ports open to the internet"]);
        assert.deepEqual(ec218.check(T.securityGroupRule, { type: "ingress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }), ["all ports open to the internet"]);
    });

    it("does not flag protocol -1 when it is open only inside the VPC", () => {
        assert.deepEqual(ec218.check(T.ingressRule, { cidrIpv4: "10.0.0.0/16", ipProtocol: "-1" }), []);
    });
});

describe("guard: Spot detection for on-demand-only strategies", () => {
    const settings = { requireOnDemandBase: true } as ControlSettings;

    it("sees no Spot in the on-demand-only strategy scheduled tasks get by default", () => {
        assert.equal(strategyUsesSpot(capacityStrategy(ON_DEMAND_ONLY)), false);
        assert.equal(strategyUsesSpot(capacityStrategy(DEFAULT_CAPACITY)), true);
    });

    it("sees no Spot in a FARGATE_SPOT entry that places nothing (weight 0, base 0)", () => {
        assert.equal(strategyUsesSpot([{ capacityProvider: FARGATE, weight: 1 }, { capacityProvider: FARGATE_SPOT, weight: 0, base: 0 }]), false);
        assert.equal(strategyUsesSpot([{ capacityProvider: FARGATE, weight: 1 }, { capacityProvider: FARGATE_SPOT }]), false);
        assert.equal(strategyUsesSpot([{ capacityProvider: FARGATE_SPOT, weight: 0, base: 1 }]), true);
    });

    it("asks no on-demand base of a service that runs on demand only", () => {
        const service = resource(T.service, { capacityProviderStrategies: capacityStrategy(ON_DEMAND_ONLY) });
        assert.deepEqual(spotOnDemandBase.check(new StackGraph([service]), settings), []);
        const spot = resource(T.service, { capacityProviderStrategies: [{ capacityProvider: FARGATE_SPOT, base: 0, weight: 1 }] });
        assert.equal(spotOnDemandBase.check(new StackGraph([spot]), settings)?.length, 1);
    });

    it("keeps an on-demand base in the strategy when only Spot has a weight", () => {
        assert.deepEqual(capacityStrategy({ fargateBase: 1, fargateWeight: 0, spotWeight: 1 }), [
            { capacityProvider: FARGATE, base: 1, weight: 0 },
            { capacityProvider: FARGATE_SPOT, base: 0, weight: 1 },
        ]);
        assert.deepEqual(capacityStrategy({ fargateBase: 0, fargateWeight: 0, spotWeight: 1 }), [{ capacityProvider: FARGATE_SPOT, base: 0, weight: 1 }]);
    });

    it("counts every task on demand when the strategy is empty or gives no provider a weight", () => {
        assert.deepEqual(splitTasks([], 3), { onDemand: 3, spot: 0 });
        assert.deepEqual(splitTasks([{ capacityProvider: FARGATE_SPOT, base: 1, weight: 0 }], 3), { onDemand: 2, spot: 1 });
        assert.deepEqual(splitTasks([{ capacityProvider: FARGATE, base: 2 }], 0), { onDemand: 0, spot: 0 });
    });

    it("sees Spot exactly when the strategy puts some tasks on Spot (generated capacities)", () => {
        const capacity = fc.record({ fargateBase: fc.integer({ min: 0, max: 5 }), fargateWeight: fc.integer({ min: 0, max: 5 }), spotWeight: fc.integer({ min: 0, max: 5 }) });
        fc.assert(
            fc.property(capacity, fc.integer({ min: 1, max: 50 }), (c, tasks) => {
                const strategy = capacityStrategy(c);
                const split = splitTasks(strategy, tasks);
                const tasksAboveBase = tasks > c.fargateBase;
                return strategyUsesSpot(strategy) === c.spotWeight > 0 && (split.spot > 0) === (c.spotWeight > 0 && tasksAboveBase) && Math.abs(split.spot + split.onDemand - tasks) < 1e-9;
            }),
        );
    });
});

describe("guard: ARM64 scheduled-task pricing", () => {
    function scheduledTask(cpuArchitecture: "ARM64" | "X86_64"): StackGraph {
        const taskDefinition = resource(T.taskDefinition, { cpu: "1024", memory: "2048", runtimePlatform: { cpuArchitecture, operatingSystemFamily: "LINUX" } });
        const schedule = resource(T.schedule, { scheduleExpression: "rate(1 hour)", target: { ecsParameters: {} } }, { target: [taskDefinition.urn] });
        return new StackGraph([taskDefinition, schedule]);
    }
    const runLine = (graph: StackGraph) => {
        const line = estimateCost(graph).lines.find((l) => l.item.startsWith("Fargate on-demand runs"));
        assert.ok(line, "a line for the scheduled runs");
        return line;
    };

    it("prices an ARM64 scheduled task at the ARM64 Fargate rates", () => {
        const line = runLine(scheduledTask("ARM64"));
        assert.equal(line.priceKey, "fargate.arm.vcpuHour");
        assert.equal(line.unitPriceUsd, 1 * price("fargate.arm.vcpuHour") + 2 * price("fargate.arm.gbHour"));
        // 730 runs of 5 minutes.
        assert.ok(Math.abs(line.quantity - (730 * 5) / 60) < 0.001, String(line.quantity));
    });

    it("prices an x86 scheduled task at the x86 rates, which cost more than ARM64", () => {
        const x86 = runLine(scheduledTask("X86_64"));
        assert.equal(x86.priceKey, "fargate.x86.vcpuHour");
        assert.equal(x86.unitPriceUsd, 1 * price("fargate.x86.vcpuHour") + 2 * price("fargate.x86.gbHour"));
        assert.ok(x86.unitPriceUsd > runLine(scheduledTask("ARM64")).unitPriceUsd);
    });
});
