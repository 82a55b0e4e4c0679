import * as assert from "node:assert/strict";
import { estimateCost } from "../analysis/costModel";
import { diagramModel } from "../analysis/diagram";
import { evaluateControls } from "../analysis/controls";
import { circuitBreaker, costBudget, deregistrationDelay, ecrLifecycleRules, natGatewayCount, rollingUpdateTime, spotOnDemandBase, statefulProtection } from "../analysis/controls/reliability";
import { cloudwatch16, ec218, ec219, ecr2, ecr3, ecs10, ecs12, ecs2, elb1, elb12, elb13, elb17, iam1, iam21 } from "../analysis/controls/securityHub";
import type { ControlSettings, Waiver } from "../analysis/controls/types";
import { estimateDeploy } from "../analysis/deployModel";
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

describe("when the reliability controls apply, and their boundaries", () => {
    const service = (inputs: Record<string, any> = {}, props: Record<string, StackResource[]> = {}) => r(T.service, { desiredCount: 1, ...inputs }, props);

    it("asks for an on-demand base only where the environment requires one", () => {
        const spot = service({ capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] });
        assert.equal(spotOnDemandBase.check(new StackGraph([spot]), { requireOnDemandBase: false }), undefined);
        assert.equal(spotOnDemandBase.check(new StackGraph([spot]), { requireOnDemandBase: true })?.length, 1);
    });

    it("judges draining only for services behind a load balancer", () => {
        assert.equal(deregistrationDelay.check(new StackGraph([service()]), settings), undefined);
        const group = r(T.targetGroup, { deregistrationDelay: 20 });
        assert.deepEqual(deregistrationDelay.check(new StackGraph([group, service({}, { loadBalancers: [group] })]), settings), []);
    });

    it("holds draining to AWS's default stopTimeout of 30 s when the service has no task definition to read", () => {
        const group = r(T.targetGroup, { deregistrationDelay: 31 });
        const api = service({}, { loadBalancers: [group] });
        assert.deepEqual(deregistrationDelay.check(new StackGraph([group, api]), settings), [{ resource: group, reason: `drains for 31 s but ${api.name}'s container is killed 30 s after SIGTERM` }]);
    });

    it("judges rolling updates only with a target and a service, and passes one that takes exactly the target", () => {
        const one = new StackGraph([service()]);
        assert.equal(rollingUpdateTime.check(one, settings), undefined);
        assert.equal(rollingUpdateTime.check(new StackGraph([]), { ...settings, rollingUpdateMinutes: 1 }), undefined);
        const seconds = estimateDeploy(one).rollingUpdates[0].seconds;
        assert.deepEqual(rollingUpdateTime.check(one, { ...settings, rollingUpdateMinutes: seconds / 60 }), []);
        assert.equal(rollingUpdateTime.check(one, { ...settings, rollingUpdateMinutes: (seconds - 1) / 60 })?.length, 1);
    });

    it("says a rolling update of several waves in the plural", () => {
        const graph = new StackGraph([service({ desiredCount: 4, deploymentMaximumPercent: 100, deploymentMinimumHealthyPercent: 50 })]);
        assert.equal(estimateDeploy(graph).rollingUpdates[0].waves, 2);
        const findings = rollingUpdateTime.check(graph, { ...settings, rollingUpdateMinutes: 1 }) ?? [];
        assert.match(findings[0]?.reason ?? "", /\(2 waves of /);
    });

    it("reads each lifecycle policy for an untagged expiry and a count cap, whatever its shape", () => {
        const check = (policy: unknown) => ecrLifecycleRules.check(new StackGraph([r(T.lifecyclePolicy, { policy })]), settings)?.map((f) => f.reason);
        assert.equal(ecrLifecycleRules.check(new StackGraph([]), settings), undefined);
        const both = ["never expires untagged images", "keeps an unbounded number of images"];
        assert.deepEqual(check("not json"), both);
        assert.deepEqual(check(JSON.stringify({})), both);
        assert.deepEqual(check(JSON.stringify({ rules: [{ rulePriority: 1 }] })), both);
        assert.deepEqual(check({ rules: [{ selection: { tagStatus: "any", countType: "imageCountMoreThan" } }] }), ["never expires untagged images"]);
        assert.deepEqual(check({ rules: [{ selection: { tagStatus: "untagged", countType: "sinceImagePushed" } }] }), ["keeps an unbounded number of images"]);
    });

    it("judges the cost only against a budget, and passes an estimate exactly at it", () => {
        const graph = new StackGraph([r(T.natGateway)]);
        assert.equal(costBudget.check(graph, settings), undefined);
        const monthly = estimateCost(graph).monthlyUsd;
        assert.deepEqual(costBudget.check(graph, { ...settings, monthlyBudgetUsd: monthly }), []);
        assert.equal(costBudget.check(graph, { ...settings, monthlyBudgetUsd: monthly - 0.01 })?.length, 1);
    });

    it("counts NAT gateways in the singular and the plural", () => {
        assert.deepEqual(natGatewayCount.check(new StackGraph([r(T.natGateway)]), { ...settings, expectedNatGateways: 0 }), [{ reason: "creates 1 NAT gateway; the environment asked for 0" }]);
        assert.deepEqual(natGatewayCount.check(new StackGraph([r(T.natGateway), r(T.natGateway)]), { ...settings, expectedNatGateways: 1 }), [{ reason: "creates 2 NAT gateways; the environment asked for 1" }]);
    });

    it("does not apply the stateful control to a stack without stateful resources", () => {
        assert.equal(statefulProtection.check(new StackGraph([service()]), { ...settings, requireProtection: true }), undefined);
    });
});

describe("what each Security Hub control reads, case by case", () => {
    it("reads the network of a scheduled task and of an event rule's target for public IPs (ECS.2)", () => {
        const network = (assignPublicIp: boolean) => ({ networkConfiguration: { assignPublicIp, subnets: ["s"] } });
        assert.deepEqual(ecs2.check(T.schedule, { target: { ecsParameters: network(true) } }), ["assigns a public IP to every task"]);
        assert.deepEqual(ecs2.check(T.schedule, { target: { ecsParameters: network(false) } }), []);
        assert.deepEqual(ecs2.check(T.eventTarget, { ecsTarget: network(true) }), ["assigns a public IP to every task"]);
        assert.deepEqual(ecs2.check(T.service, network(true)), ["assigns a public IP to every task"]);
        // A target that is not an ECS task (a schedule that invokes something else) is not judged.
        assert.equal(ecs2.check(T.schedule, {}), undefined);
        assert.equal(ecs2.check(T.schedule, { target: { arn: "arn:aws:lambda:::function:f" } }), undefined);
        assert.equal(ecs2.check(T.eventTarget, { target: { ecsParameters: network(true) } }), undefined);
    });

    it("takes an unset platform version as LATEST (ECS.10)", () => {
        assert.deepEqual(ecs10.check(T.service, {}), []);
        assert.deepEqual(ecs10.check(T.service, { platformVersion: "1.3.0" }), ["pins platform version 1.3.0"]);
    });

    it("says when Container Insights is not set at all (ECS.12)", () => {
        assert.deepEqual(ecs12.check(T.cluster, {}), ["Container Insights is not set (the account default applies)"]);
        assert.deepEqual(ecs12.check(T.cluster, { settings: [{ name: "containerInsights", value: "disabled" }] }), ["Container Insights is disabled"]);
    });

    it("takes a repository's own lifecycle policy input as a lifecycle policy (ECR.3)", () => {
        const repository = r(T.repository, { lifecyclePolicy: JSON.stringify({ rules: [] }) });
        assert.deepEqual(ecr3.check(new StackGraph([repository]), settings), []);
        assert.equal(ecr3.check(new StackGraph([r(T.repository)]), settings)?.length, 1);
    });

    it("passes an HTTP listener only when its first action redirects to HTTPS (ELB.1)", () => {
        const failing = ["HTTP listener on port 80 serves traffic instead of redirecting to HTTPS"];
        const listener = (defaultActions: unknown) => elb1.check(T.listener, { protocol: "HTTP", port: 80, defaultActions });
        assert.deepEqual(listener([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }]), []);
        assert.deepEqual(listener([{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }]), failing);
        assert.deepEqual(listener([{ type: "redirect" }]), failing);
        assert.deepEqual(listener([{ type: "forward", targetGroupArn: "tg", redirect: { protocol: "HTTPS" } }]), failing);
        assert.deepEqual(listener([]), failing);
        assert.deepEqual(listener(undefined), failing);
        assert.equal(elb1.check(T.listener, { protocol: "HTTPS", port: 443 }), undefined);
    });

    it("takes an unset desync mitigation mode as AWS's default, defensive (ELB.12)", () => {
        assert.deepEqual(elb12.check(T.loadBalancer, {}), []);
        assert.deepEqual(elb12.check(T.loadBalancer, { desyncMitigationMode: "monitor" }), ["desync mitigation is monitor"]);
    });

    it("does not judge the zones of a load balancer whose subnets it cannot see, and counts none as none (ELB.13)", () => {
        assert.equal(elb13.check(T.loadBalancer, {}), undefined);
        assert.deepEqual(elb13.check(T.loadBalancer, { subnets: [] }), ["spans 0 subnets; two Availability Zones at least"]);
        assert.deepEqual(elb13.check(T.loadBalancer, { subnetMappings: [{ subnetId: "a" }, { subnetId: "b" }, { subnetId: "c" }] }), []);
    });

    it("judges the TLS policy of Network Load Balancer TLS listeners too, and names the default a listener gets without one (ELB.17)", () => {
        assert.deepEqual(elb17.check(T.listener, { protocol: "TLS", sslPolicy: "ELBSecurityPolicy-2016-08" }), ["uses ELBSecurityPolicy-2016-08"]);
        assert.deepEqual(elb17.check(T.listener, { protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }), []);
        assert.deepEqual(elb17.check(T.listener, { protocol: "HTTPS" }), ["uses no explicit policy (ELBSecurityPolicy-2016-08, which allows TLS 1.0)"]);
        assert.equal(elb17.check(T.listener, { protocol: "TCP" }), undefined);
    });

    it("finds every action among others in a statement on every resource (IAM.1)", () => {
        const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "*"], Resource: "*" }] });
        assert.deepEqual(iam1.check(T.policy, { policy }), ['allows Action "*" on Resource "*"']);
    });

    it("finds a wildcard over a whole service in any letter case, and not a wildcard within one (IAM.21)", () => {
        // IAM reads action names without case: "S3:*" is "s3:*"
        // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
        const actions = (Action: string[]) => iam21.check(T.policy, { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource: "*" }] }) });
        assert.deepEqual(actions(["s3:*", "SQS:*", "ec2:Describe*", "ec2:*Instances"]), ['allows "s3:*"', 'allows "SQS:*"']);
    });

    it("reads protocol all as every port, and a rule open only inside the VPC as nothing open (EC2.18)", () => {
        assert.deepEqual(ec218.check(T.securityGroupRule, { type: "ingress", protocol: "all", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }), ["all ports open to the internet"]);
        assert.deepEqual(ec218.check(T.securityGroupRule, { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }), []);
    });

    it("allows an authorized port open to the internet alone, not a range that starts at it (EC2.18)", () => {
        const open = (fromPort: number, toPort: number) => ec218.check(T.ingressRule, { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort, toPort });
        assert.deepEqual(open(80, 80), []);
        assert.deepEqual(open(443, 444), ["ports 443-444 open to the internet"]);
    });

    it("accepts log groups that keep events forever, unset or 0 (CloudWatch.16)", () => {
        assert.deepEqual(cloudwatch16.check(T.logGroup, {}), []);
        assert.deepEqual(cloudwatch16.check(T.logGroup, { retentionInDays: 0 }), []);
        assert.deepEqual(cloudwatch16.check(T.logGroup, { retentionInDays: 365 }), []);
        assert.deepEqual(cloudwatch16.check(T.logGroup, { retentionInDays: 30 }), ["keeps events 30 days"]);
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
