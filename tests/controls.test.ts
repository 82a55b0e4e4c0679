import * as assert from "node:assert/strict";
import { CONTROL_IDS } from "../analysis/controlIds";
import { CONTROLS, ControlSettings, runControl } from "../analysis/controls";
import { StackGraph, StackResource, T } from "../analysis/stackResources";
import { POLICIES } from "../policy/policies";
import { PREFLIGHT_POLICY, policySettings } from "../policy/policyConfig";
import { runPolicy, toPolicyResources } from "./policyHarness";
import { pullPolicyDocument } from "../core/repositoryPolicy";

/**
 * Every control, judged twice on a resource that passes and one that fails: by the function the
 * offline plan runs, and by the CrossGuard policy the pack serves. Both must give the same reason.
 */

let serial = 0;
function resource(type: string, inputs: Record<string, any>, extra: Partial<StackResource> = {}): StackResource {
    const name = extra.name ?? `r${++serial}`;
    return { urn: `urn:pulumi:test::proj::${type}::${name}`, type, name, custom: true, inputs, propertyDependencies: {}, dependencies: [], options: {}, ...extra };
}

const containers = (c: Record<string, unknown>) => ({ containerDefinitions: JSON.stringify([{ name: "app", image: "x", essential: true, readonlyRootFilesystem: true, logConfiguration: { logDriver: "awslogs" }, environment: [], ...c }]) });
const document = (statement: Record<string, unknown>) => ({ policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Resource: ["arn:aws:s3:::b/*"], ...statement }] }) });
const openRule = (port: number) => ({ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: port, toPort: port });

interface ResourceCase {
    type: string;
    pass: Record<string, any>;
    fail: Record<string, any>;
    reason: string;
}

const RESOURCE_CASES: Record<string, ResourceCase> = {
    "ECS.2": { type: T.service, pass: { networkConfiguration: { assignPublicIp: false } }, fail: { networkConfiguration: { assignPublicIp: true } }, reason: "assigns a public IP to every task" },
    "ECS.4": { type: T.taskDefinition, pass: containers({ privileged: false }), fail: containers({ privileged: true }), reason: "container app is privileged" },
    "ECS.5": { type: T.taskDefinition, pass: containers({}), fail: containers({ readonlyRootFilesystem: false }), reason: "container app has a writable root filesystem" },
    "ECS.8": {
        type: T.taskDefinition,
        pass: containers({ environment: [{ name: "LOG_LEVEL", value: "info" }] }),
        fail: containers({ environment: [{ name: "AWS_SECRET_ACCESS_KEY", value: "x" }] }),
        reason:
            'container app has what looks like a secret in plain environment variables: AWS_SECRET_ACCESS_KEY (its name says SECRET); use container secrets instead: container.secrets: { AWS_SECRET_ACCESS_KEY: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" }',
    },
    "ECS.9": { type: T.taskDefinition, pass: containers({}), fail: containers({ logConfiguration: undefined }), reason: "container app has no logging configuration" },
    "ECS.10": { type: T.service, pass: { platformVersion: "LATEST" }, fail: { platformVersion: "1.3.0" }, reason: "pins platform version 1.3.0" },
    "ECS.12": {
        type: T.cluster,
        pass: { settings: [{ name: "containerInsights", value: "enhanced" }] },
        fail: { settings: [{ name: "containerInsights", value: "disabled" }] },
        reason: "Container Insights is disabled",
    },
    "ECR.1": { type: T.repository, pass: { imageScanningConfiguration: { scanOnPush: true } }, fail: {}, reason: "does not scan images on push" },
    "ecr-pull-only": {
        type: T.repositoryPolicy,
        pass: { policy: JSON.stringify(pullPolicyDocument({ accounts: ["111122223333"] })) },
        fail: { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Share", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["ecr:BatchGetImage", "ecr:PutImage"] }] }) },
        reason: "statement Share allows ecr:PutImage to 111122223333: other accounts may only pull (ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:DescribeImages, ecr:DescribeRepositories)",
    },
    "ECR.2": { type: T.repository, pass: { imageTagMutability: "IMMUTABLE" }, fail: { imageTagMutability: "MUTABLE" }, reason: "image tags are MUTABLE" },
    "ELB.1": {
        type: T.listener,
        pass: { protocol: "HTTP", port: 80, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }] },
        fail: { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward" }] },
        reason: "HTTP listener on port 80 serves traffic instead of redirecting to HTTPS",
    },
    "ELB.4": { type: T.loadBalancer, pass: { dropInvalidHeaderFields: true }, fail: { dropInvalidHeaderFields: false }, reason: "keeps invalid HTTP header fields" },
    "ELB.5": { type: T.loadBalancer, pass: { accessLogs: { enabled: true, bucket: "b" } }, fail: {}, reason: "does not write access logs" },
    "ELB.6": { type: T.loadBalancer, pass: { enableDeletionProtection: true }, fail: { enableDeletionProtection: false }, reason: "has no deletion protection" },
    "ELB.12": { type: T.loadBalancer, pass: { desyncMitigationMode: "strictest" }, fail: { desyncMitigationMode: "monitor" }, reason: "desync mitigation is monitor" },
    "ELB.13": { type: T.loadBalancer, pass: { subnets: ["a", "b"] }, fail: { subnets: ["a"] }, reason: "spans 1 subnet; two Availability Zones at least" },
    "ELB.17": {
        type: T.listener,
        pass: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09" },
        fail: { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" },
        reason: "uses ELBSecurityPolicy-2016-08",
    },
    "IAM.1": { type: T.rolePolicy, pass: document({ Action: ["s3:GetObject"] }), fail: document({ Action: "*", Resource: "*" }), reason: 'allows Action "*" on Resource "*"' },
    "IAM.21": { type: T.policy, pass: document({ Action: ["s3:GetObject"] }), fail: document({ Action: ["s3:*"] }), reason: 'allows "s3:*"' },
    "EC2.18": { type: T.ingressRule, pass: openRule(443), fail: openRule(8443), reason: "port 8443 open to the internet" },
    "EC2.19": { type: T.ingressRule, pass: openRule(443), fail: openRule(22), reason: "high-risk port 22 open to the internet" },
    "CloudWatch.16": { type: T.logGroup, pass: { retentionInDays: 365 }, fail: { retentionInDays: 30 }, reason: "keeps events 30 days" },
    "circuit-breaker": {
        type: T.service,
        pass: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        fail: { deploymentCircuitBreaker: { enable: true, rollback: false } },
        reason: "the circuit breaker stops a bad deployment but does not roll it back",
    },
};

/** A service behind a target group, with its task definition, for the stack controls. */
function webStack(options: { strategy: object[]; delay: number; stopTimeout?: number; desired?: number }): StackResource[] {
    const group = resource(T.targetGroup, { deregistrationDelay: options.delay, healthCheck: { interval: 10 } }, { name: "web-tg" });
    const td = resource(T.taskDefinition, { ...containers({ stopTimeout: options.stopTimeout ?? 30 }), cpu: "256", memory: "512" }, { name: "web-td" });
    const service = resource(
        T.service,
        { desiredCount: options.desired ?? 2, capacityProviderStrategies: options.strategy, loadBalancers: [{ containerName: "app" }] },
        { name: "web", propertyDependencies: { loadBalancers: [group.urn], taskDefinition: [td.urn] } },
    );
    return [group, td, service];
}

/** An internet-facing network load balancer with one listener on 5671. */
function networkStack(protocol: string): StackResource[] {
    const lb = resource(T.loadBalancer, { loadBalancerType: "network", internal: false, securityGroups: ["sg-1"] }, { name: "nlb" });
    return [lb, resource(T.listener, { protocol, port: 5671 }, { name: "nlb-5671", propertyDependencies: { loadBalancerArn: [lb.urn] } })];
}

const spotWithBase = [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 1 }];
const spotOnly = [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];
const lifecycle = (rules: object[]) => JSON.stringify({ rules });

interface StackCase {
    settings: Partial<ControlSettings>;
    pass: () => StackResource[];
    fail: () => StackResource[];
    reason: string;
}

const STACK_CASES: Record<string, StackCase> = {
    "ECR.3": {
        settings: {},
        pass: () => {
            const repo = resource(T.repository, {}, { name: "repo" });
            return [repo, resource(T.lifecyclePolicy, { policy: "{}" }, { propertyDependencies: { repository: [repo.urn] } })];
        },
        fail: () => [resource(T.repository, {}, { name: "repo" })],
        reason: "has no lifecycle policy: images accumulate forever",
    },
    "spot-on-demand-base": {
        settings: { requireOnDemandBase: true },
        pass: () => webStack({ strategy: spotWithBase, delay: 30 }),
        fail: () => webStack({ strategy: spotOnly, delay: 30 }),
        reason: "runs on FARGATE_SPOT with no FARGATE base: a Spot shortage can stop every task",
    },
    "deregistration-delay": {
        settings: {},
        pass: () => webStack({ strategy: spotWithBase, delay: 30 }),
        fail: () => webStack({ strategy: spotWithBase, delay: 120, stopTimeout: 120 }),
        reason: "drains for 120 s, which does not fit in the 120 s Spot notice of web",
    },
    "rolling-update-time": {
        settings: { rollingUpdateMinutes: 5 },
        pass: () => webStack({ strategy: spotWithBase, delay: 30 }),
        fail: () => webStack({ strategy: [], delay: 300, stopTimeout: 120 }),
        reason: "a rolling update takes about 385 s (1 wave of 10 s health check + 300 s drain), over the 5 min target",
    },
    "ecr-lifecycle-rules": {
        settings: {},
        pass: () => [resource(T.lifecyclePolicy, { policy: lifecycle([{ selection: { tagStatus: "untagged" } }, { selection: { countType: "imageCountMoreThan" } }]) })],
        fail: () => [resource(T.lifecyclePolicy, { policy: lifecycle([{ selection: { tagStatus: "untagged" } }]) })],
        reason: "keeps an unbounded number of images",
    },
    "cost-budget": {
        settings: { monthlyBudgetUsd: 100, costAssumptions: { requestsPerSecond: 0 } },
        pass: () => [resource(T.loadBalancer, { internal: true })],
        fail: () => Array.from({ length: 7 }, () => resource(T.loadBalancer, { internal: true })),
        reason: "estimated $114.98 a month, over the $100 budget",
    },
    "stateful-protection": {
        settings: { requireProtection: true },
        pass: () => [resource(T.queue, {}, { options: { protect: true, retainOnDelete: true } }), resource(T.service, {})],
        // The pack sees `protect` only; retainOnDelete is judged in the plan (tested below).
        fail: () => [resource(T.queue, {}, { name: "jobs", options: { protect: false, retainOnDelete: true } })],
        reason: "lacks protect: a destroy or a rename would delete its data",
    },
    "network-listener-tls": {
        settings: {},
        pass: () => networkStack("TLS"),
        fail: () => networkStack("TCP"),
        reason: "TCP listener on port 5671 takes connections from the internet without TLS at the load balancer",
    },
    "nat-gateway-count": {
        settings: { expectedNatGateways: 1 },
        pass: () => [resource(T.awsxVpc, { numberOfAvailabilityZones: 3, natGateways: { strategy: "Single" } })],
        fail: () => [resource(T.awsxVpc, { numberOfAvailabilityZones: 3, natGateways: { strategy: "OnePerAz" } })],
        reason: "creates 3 NAT gateways; the environment asked for 1",
    },
    "service-connect-callers": {
        settings: {},
        pass: () => serviceConnectStack({ referencedSecurityGroupId: "sg-caller" }),
        fail: () => serviceConnectStack({ cidrIpv4: "10.0.0.0/16" }),
        reason: "admits 10.0.0.0/16 to the Service Connect port 9000 of payments: admit the callers' security groups instead",
    },
};

/** A service published through Service Connect on port 9000, its task security group, and one ingress rule on that port. */
function serviceConnectStack(source: Record<string, string>): StackResource[] {
    const group = resource(T.securityGroup, {}, { name: "payments-tasks" });
    const taskDefinition = resource(T.taskDefinition, { containerDefinitions: JSON.stringify([{ name: "app", portMappings: [{ containerPort: 9000, name: "app-9000" }] }]) }, { name: "payments" });
    const service = resource(
        T.service,
        { serviceConnectConfiguration: { enabled: true, services: [{ portName: "app-9000", discoveryName: "payments" }] } },
        { name: "payments", propertyDependencies: { networkConfiguration: [group.urn], taskDefinition: [taskDefinition.urn] } },
    );
    const rule = resource(T.ingressRule, { ipProtocol: "tcp", fromPort: 9000, toPort: 9000, ...source }, { name: "in", propertyDependencies: { securityGroupId: [group.urn] } });
    return [group, taskDefinition, service, rule];
}

const noSettings: ControlSettings = { requireOnDemandBase: false };

/** The pack's policy for control `id`, run over the same resources with the given config. */
function viaPolicy(id: string, resources: StackResource[], config: Record<string, unknown>): Promise<string[]> {
    return runPolicy(id, toPolicyResources(resources), config, (reason) => {
        throw new Error(`not applicable: ${reason}`);
    });
}

describe("controls", () => {
    it("covers every control ID with a test case and a policy", () => {
        assert.deepEqual([...Object.keys(RESOURCE_CASES), ...Object.keys(STACK_CASES)].sort(), [...CONTROL_IDS].sort());
        assert.deepEqual(POLICIES.map((p) => p.name), [...CONTROL_IDS, PREFLIGHT_POLICY]);
        assert.deepEqual(CONTROLS.map((c) => c.id), [...CONTROL_IDS]);
    });

    for (const [id, c] of Object.entries(RESOURCE_CASES)) {
        describe(id, () => {
            const control = CONTROLS.find((x) => x.id === id)!;
            it("passes a compliant resource, in the plan and in the pack", async () => {
                const pass = resource(c.type, c.pass);
                assert.deepEqual(runControl(control, new StackGraph([pass]), noSettings), []);
                assert.deepEqual(await viaPolicy(id, [pass], {}), []);
            });
            it(`fails "${c.reason}", in the plan and in the pack`, async () => {
                const fail = resource(c.type, c.fail);
                assert.deepEqual(runControl(control, new StackGraph([fail]), noSettings)?.map((f) => f.reason), [c.reason]);
                assert.deepEqual(await viaPolicy(id, [fail], {}), [c.reason]);
            });
        });
    }

    for (const [id, c] of Object.entries(STACK_CASES)) {
        describe(id, () => {
            const control = CONTROLS.find((x) => x.id === id)!;
            const settings = { ...noSettings, ...c.settings };
            it("passes a compliant stack, in the plan and in the pack", async () => {
                const resources = c.pass();
                assert.deepEqual(runControl(control, new StackGraph(resources), settings), []);
                assert.deepEqual(await viaPolicy(id, resources, policySettings(id, settings)), []);
            });
            it(`fails "${c.reason}", in the plan and in the pack`, async () => {
                const resources = c.fail();
                assert.deepEqual(runControl(control, new StackGraph(resources), settings)?.map((f) => f.reason), [c.reason]);
                assert.deepEqual(await viaPolicy(id, resources, policySettings(id, settings)), [c.reason]);
            });
        });
    }

    it("leaves a network load balancer to the controls that judge it: not ELB.4, ELB.5 or ELB.12, which read HTTP settings", () => {
        const graph = new StackGraph([resource(T.loadBalancer, { loadBalancerType: "network", enableDeletionProtection: true, subnets: ["a", "b"] })]);
        const applies = (id: string) => runControl(CONTROLS.find((x) => x.id === id)!, graph, noSettings) !== undefined;
        assert.deepEqual(["ELB.4", "ELB.5", "ELB.6", "ELB.12", "ELB.13"].filter(applies), ["ELB.6", "ELB.13"]);
    });

    it("leaves internal network load balancers to their network: network-listener-tls does not apply", () => {
        const graph = new StackGraph([resource(T.loadBalancer, { loadBalancerType: "network", internal: true })]);
        assert.equal(runControl(CONTROLS.find((x) => x.id === "network-listener-tls")!, graph, noSettings), undefined);
    });

    it("fails a drain longer than the container's stop timeout, without Spot too", () => {
        const control = CONTROLS.find((x) => x.id === "deregistration-delay")!;
        const findings = runControl(control, new StackGraph(webStack({ strategy: [], delay: 60, stopTimeout: 30 })), noSettings);
        assert.deepEqual(findings?.map((f) => f.reason), ["drains for 60 s but web's container is killed 30 s after SIGTERM"]);
    });

    it("reports a waived control with its reason, its approver and its last day", async () => {
        const reported = await viaPolicy("ELB.6", [resource(T.loadBalancer, {})], { waiver: "dev is disposable", waiverExpires: "2027-01-31", waiverApprovedBy: "platform-team" });
        assert.deepEqual(reported, ["has no deletion protection (waived until 2027-01-31, approved by platform-team: dev is disposable)"]);
    });

    it("fails a stateful resource that is protected but not retained on delete, in the plan", () => {
        const control = CONTROLS.find((x) => x.id === "stateful-protection")!;
        const queue = resource(T.queue, {}, { options: { protect: true, retainOnDelete: false } });
        assert.deepEqual(runControl(control, new StackGraph([queue]), { ...noSettings, requireProtection: true })?.map((f) => f.reason), [
            "lacks retainOnDelete: a destroy or a rename would delete its data",
        ]);
        assert.equal(runControl(control, new StackGraph([queue]), noSettings), undefined, "not judged where the preset does not require it");
    });

    it("leaves a stack control out when the stack gives it nothing to judge", async () => {
        await assert.rejects(viaPolicy("nat-gateway-count", [resource(T.service, {})], {}), /not applicable/);
        assert.equal(runControl(CONTROLS.find((x) => x.id === "ECR.3")!, new StackGraph([resource(T.service, {})]), noSettings), undefined);
    });
});
