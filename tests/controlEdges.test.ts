import * as assert from "node:assert/strict";
import { estimateCost } from "../analysis/costModel";
import { diagramModel } from "../analysis/diagram";
import { evaluateControls } from "../analysis/controls";
import { circuitBreaker, natGatewayCount, rollingUpdateTime, statefulProtection } from "../analysis/controls/reliability";
import { ec218, ec219, ecr2, elb13 } from "../analysis/controls/securityHub";
import type { ControlSettings, Waiver } from "../analysis/controls/types";
import { natGateways, strategyOf } from "../analysis/readers";
import { StackGraph, StackResource, T } from "../analysis/stackResources";
import { graphResource } from "./helpers";

/** The edges of the controls, the cost lines, the diagram and the readers that other tests leave out. */

function r(type: string, inputs: Record<string, any> = {}, props: Record<string, StackResource[]> = {}, extra: Partial<StackResource> = {}): StackResource {
    return graphResource(type, inputs, { props }, extra);
}

const settings: ControlSettings = { requireOnDemandBase: false };
const waiver: Waiver = { reason: "accepted for the trial", expires: "2099-12-31", approvedBy: "platform team" };

describe("control results", () => {
    const result = (graph: StackGraph, waivers: Record<string, Waiver> = {}) => evaluateControls(graph, settings, waivers, "2026-11-23").find((c) => c.id === "ECR.2")!;

    it("marks a waiver of a control that does not apply, or passes, as unused, with no findings", () => {
        assert.deepEqual(result(new StackGraph([]), { "ECR.2": waiver }), { id: "ECR.2", title: ecr2.title, findings: [], status: "not-applicable", waiver, unusedWaiver: true });
        assert.deepEqual(result(new StackGraph([r(T.repository, { imageTagMutability: "IMMUTABLE" })]), { "ECR.2": waiver }), { id: "ECR.2", title: ecr2.title, findings: [], status: "pass", waiver, unusedWaiver: true });
    });

    it("carries no waiver on a control without one", () => {
        assert.deepEqual(result(new StackGraph([])), { id: "ECR.2", title: ecr2.title, findings: [], status: "not-applicable" });
        assert.deepEqual(result(new StackGraph([r(T.repository, { imageTagMutability: "IMMUTABLE" })])), { id: "ECR.2", title: ecr2.title, findings: [], status: "pass" });
    });
});

describe("control edges", () => {
    it("takes IMMUTABLE_WITH_EXCLUSION as immutable, and an unset mutability as AWS's default MUTABLE (ECR.2)", () => {
        assert.deepEqual(ecr2.check(T.repository, { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" }), []);
        assert.deepEqual(ecr2.check(T.repository, {}), ["image tags are MUTABLE"]);
    });

    it("needs two zones for a load balancer (ELB.13)", () => {
        assert.deepEqual(elb13.check(T.loadBalancer, { subnets: ["a"] }), ["spans 1 subnet; two Availability Zones at least"]);
        assert.deepEqual(elb13.check(T.loadBalancer, { subnets: ["a", "b"] }), []);
    });

    it("names a port range open to the internet, and all ports only for 0-65535 (EC2.18)", () => {
        const open = (fromPort: number, toPort: number) => ec218.check(T.ingressRule, { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort, toPort });
        assert.deepEqual(open(1000, 2000), ["ports 1000-2000 open to the internet"]);
        assert.deepEqual(open(0, 100), ["ports 0-100 open to the internet"]);
        assert.deepEqual(open(100, 65535), ["ports 100-65535 open to the internet"]);
        assert.deepEqual(open(0, 65535), ["all ports open to the internet"]);
        assert.deepEqual(open(443, 443), []);
    });

    it("judges only ingress rules, and only those open to the world, in security groups and their rules (EC2.18, EC2.19)", () => {
        assert.equal(ec218.check(T.securityGroupRule, { type: "egress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }), undefined);
        assert.deepEqual(ec218.check(T.securityGroupRule, { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }), ["port 22 open to the internet"]);
        assert.deepEqual(ec219.check(T.securityGroup, { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] }), []);
        assert.deepEqual(ec219.check(T.securityGroup, { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }] }), ["high-risk port 22 open to the internet"]);
        assert.equal(ec219.check(T.securityGroup, {}), undefined);
    });

    it("says a service without a circuit breaker hangs the deploy", () => {
        assert.deepEqual(circuitBreaker.check(T.service, {}), ["no deployment circuit breaker: a bad version hangs the deploy"]);
        assert.deepEqual(circuitBreaker.check(T.service, { deploymentCircuitBreaker: { enable: true, rollback: false } }), ["the circuit breaker stops a bad deployment but does not roll it back"]);
    });

    it("says a rolling update of one wave in the singular", () => {
        const service = r(T.service, { desiredCount: 1 });
        const findings = rollingUpdateTime.check(new StackGraph([service]), { ...settings, rollingUpdateMinutes: 0.1 }) ?? [];
        assert.equal(findings.length, 1);
        assert.match(findings[0].reason, /\(1 wave[^s]/);
    });

    it("passes a stack with the NAT gateways it asked for", () => {
        assert.deepEqual(natGatewayCount.check(new StackGraph([r(T.natGateway)]), { ...settings, expectedNatGateways: 1 }), []);
        assert.equal(natGatewayCount.check(new StackGraph([r(T.natGateway)]), { ...settings, expectedNatGateways: 2 })?.length, 1);
    });

    it("names both protections a stateful resource lacks", () => {
        const queue = r(T.queue);
        assert.deepEqual(statefulProtection.check(new StackGraph([queue]), { ...settings, requireProtection: true }), [{ resource: queue, reason: "lacks protect and retainOnDelete: a destroy or a rename would delete its data" }]);
    });
});

describe("cost, diagram and reader edges", () => {
    it("prices custom events when any source of the rule is not AWS's, and none for a target without a rule", () => {
        const td = r(T.taskDefinition);
        const custom = (pattern: unknown) => {
            const rule = r(T.eventRule, { eventPattern: pattern });
            const target = r(T.eventTarget, { ecsTarget: {} }, { ecsTarget: [td], rule: [rule] });
            return estimateCost(new StackGraph([td, rule, target])).lines.some((l) => l.item === "EventBridge custom events");
        };
        assert.equal(custom({ source: ["aws.s3", "myapp.orders"] }), true);
        assert.equal(custom({ source: ["aws.s3"] }), false);
        assert.equal(custom({}), false);
        const orphan = r(T.eventTarget, { ecsTarget: {} }, { ecsTarget: [td] });
        assert.equal(estimateCost(new StackGraph([td, orphan])).lines.some((l) => l.item === "EventBridge custom events"), false);
    });

    it("draws the Internet for the NAT gateway even when the only load balancer is internal", () => {
        const vpc = r(T.awsxVpc, { natGateways: { strategy: "Single" } }, {}, { custom: false });
        const lb = r(T.loadBalancer, { internal: true });
        const nodes = diagramModel(new StackGraph([vpc, lb])).nodes.map((n) => n.id);
        assert.ok(nodes.includes("internet"), nodes.join(", "));
        assert.ok(!diagramModel(new StackGraph([lb])).nodes.some((n) => n.id === "internet"));
    });

    it("draws an alert topic without e-mail subscribers", () => {
        const topic = r(T.topic);
        assert.deepEqual(diagramModel(new StackGraph([topic])).nodes.find((n) => n.label.startsWith("SNS topic"))?.label, "SNS topic\n0 alarms, failed tasks");
    });

    it("finds the cluster's default strategy when the cluster is one of several names it came from", () => {
        const cluster = r(T.cluster);
        const other = r(T.cluster);
        const defaults = [{ capacityProvider: "FARGATE", weight: 1 }];
        const providers = r(T.clusterCapacityProviders, { defaultCapacityProviderStrategies: defaults }, { clusterName: [other, cluster] });
        const service = r(T.service, {}, { cluster: [cluster] });
        assert.deepEqual(strategyOf(new StackGraph([cluster, other, providers, service]), service), defaults);
    });

    it("counts only the NAT gateways among an awsx VPC's children", () => {
        const vpc = r(T.awsxVpc, { natGateways: { strategy: "OnePerAz" } }, {}, { custom: false });
        const subnets = [r("aws:ec2/subnet:Subnet", {}, {}, { parent: vpc.urn }), r("aws:ec2/subnet:Subnet", {}, {}, { parent: vpc.urn })];
        const nat = r(T.natGateway, {}, {}, { parent: subnets[0].urn });
        assert.equal(natGateways(new StackGraph([vpc, ...subnets, nat])).byVpc[0].natGateways, 1);
    });
});
