import * as assert from "node:assert/strict";
import type { PlanDocument } from "../plan/plan";
import { readStackConfig } from "../stacks/stackConfig";
import { stackDirectory } from "./planFixtures";

/**
 * A TCP service on a Network Load Balancer from a stack file (issue 16, item 3): what the
 * environment gives it, what the plan says of it (cost, controls, deploy time, diagram), and what a
 * prod stack refuses.
 */

let plan: typeof import("../plan/plan");
before(async () => {
    plan = await import("../plan/plan");
});

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A prod environment: a web service on the HTTPS load balancer and a broker on its own Network Load Balancer. */
function prodStack(broker: string, extra = ""): string {
    return `aws:region: us-east-1
fargate-service:preset: prod
fargate-service:domain:
  name: api.example.com
  zoneName: example.com
fargate-service:services:
  web:
    image:
      uri: public.ecr.aws/nginx/nginx-unprivileged:1.27
  broker:
    image:
      uri: public.ecr.aws/docker/library/rabbitmq:4
    container:
      port: 5672
    networkLoadBalancer:
${broker.replace(/^/gm, "      ")}
${extra}`;
}

const TLS_BROKER = `listeners:
  - port: 5671
    protocol: TLS
certificateArn: ${CERTIFICATE}
alpnPolicy: None
allowedCidrs: ["203.0.113.0/24"]`;

const resolve = (yaml: string) => plan.resolveStackEnvironment(readStackConfig(stackDirectory("prod", yaml), "prod"));
const refusal = (yaml: string): string => {
    try {
        resolve(yaml);
    } catch (error) {
        return (error as Error).message;
    }
    return "";
};

describe("Network Load Balancer services from a stack file", () => {
    describe("a prod environment with a TLS broker", () => {
        let doc: PlanDocument;
        before(async () => {
            doc = await plan.planStack(stackDirectory("prod", prodStack(TLS_BROKER)), "prod");
        });
        const nlb = () => doc.resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer" && r.inputs.loadBalancerType === "network")!;

        it("gives the broker its own Network Load Balancer in the public subnets, protected from deletion, beside the web services' Application Load Balancer", () => {
            const types = doc.resources.filter((r) => r.type === "aws:lb/loadBalancer:LoadBalancer").map((r) => r.inputs.loadBalancerType).sort();
            assert.deepEqual(types, ["application", "network"]);
            assert.equal(nlb().inputs.enableDeletionProtection, true);
            assert.equal((nlb().inputs.securityGroups as unknown[]).length, 1);
        });

        it("finds nothing AWS would refuse, and fails no control on the broker's load balancer", () => {
            assert.deepEqual(doc.preflight.findings, []);
            const failing = doc.controls.filter((c) => c.status === "fail").flatMap((c) => c.findings.map((f) => `${c.id} ${f.name}: ${f.reason}`));
            assert.deepEqual(failing.filter((f) => f.includes("broker")), []);
            assert.equal(doc.controls.find((c) => c.id === "network-listener-tls")?.status, "pass");
            assert.equal(doc.controls.find((c) => c.id === "ELB.17")?.status, "pass");
        });

        it("prices the Network Load Balancer's hours and capacity units at the TLS dimensions", () => {
            const lines = doc.cost.lines.filter((l) => l.resource === nlb().name);
            const hours = lines.find((l) => l.priceKey === "nlb.hour")!;
            assert.deepEqual([hours.quantity, hours.unitPriceUsd, hours.monthlyUsd], [730, 0.0225, 16.425]);
            const nlcu = lines.find((l) => l.priceKey === "nlb.nlcuHour")!;
            // 1 new TLS connection a second over the 50 an NLCU holds: 0.02 NLCU, 730 hours a month.
            assert.deepEqual([nlcu.quantity, nlcu.unitPriceUsd], [14.6, 0.006]);
        });

        it("adds the Network Load Balancer's registration delay to the broker's health-check wait in a rolling update", () => {
            const update = doc.deploy.rollingUpdates.find((u) => u.service === "prod-broker")!;
            assert.equal(update.wave.healthy, 10 + 120);
        });

        it("draws the Network Load Balancer with its listener and its connections to the broker", () => {
            assert.match(doc.diagram.mermaid, /Network Load Balancer/);
            assert.match(doc.diagram.mermaid, /TLS 5671/);
            assert.match(doc.diagram.mermaid, /all connections → :5672/);
        });
    });

    it("refuses, in prod, a TCP listener open to the internet, naming the listener and the ways out", () => {
        const message = refusal(prodStack("listeners:\n  - port: 5672\nallowedCidrs: [\"203.0.113.0/24\"]"));
        assert.match(message, /fargate-service:services\.broker\.networkLoadBalancer\.listeners\.0\.protocol: "TCP" passes connections from the internet without TLS/);
        assert.match(message, /waive network-listener-tls/);
    });

    it("accepts that TCP listener with a waiver, and the plan reports the control as waived", async () => {
        const waiver = `fargate-service:waivers:
  network-listener-tls:
    reason: the broker speaks AMQPS itself; the load balancer passes TLS through
    expires: 2027-06-30
    approvedBy: platform-team`;
        const yaml = prodStack("listeners:\n  - port: 5672\nallowedCidrs: [\"203.0.113.0/24\"]", waiver);
        const doc = await plan.planStack(stackDirectory("prod", yaml), "prod", { today: "2026-11-23" });
        assert.equal(doc.controls.find((c) => c.id === "network-listener-tls")?.status, "waived");
    });

    it("accepts an internal TCP listener in prod without a waiver", () => {
        assert.equal(refusal(prodStack("listeners:\n  - port: 5672\ninternal: true\nallowedCidrs: [\"10.0.0.0/16\"]")), "");
    });

    it("refuses a loadBalancer key beside networkLoadBalancer, and a stack-file key only the environment decides", () => {
        const message = refusal(prodStack(`${TLS_BROKER}\nsubnetIds: ["subnet-1", "subnet-2"]`, "").replace("    networkLoadBalancer:", "    loadBalancer:\n      deregistrationDelay: 5\n    networkLoadBalancer:"));
        assert.match(message, /services\.broker\.loadBalancer: applies to the Application Load Balancer/);
        assert.match(message, /services\.broker\.networkLoadBalancer\.subnetIds/);
    });

    it("gives a dev service in IPv6-only subnets a dual-stack Network Load Balancer with an IPv6 target group", async () => {
        const yaml = `aws:region: us-east-1
fargate-service:preset: dev
fargate-service:services:
  game:
    image:
      build:
        context: examples/app
    container:
      port: 7777
    networkLoadBalancer:
      listeners:
        - port: 7777`;
        const directory = stackDirectory("dev", yaml);
        const doc = await plan.planConfig({ ...readStackConfig(directory, "dev") });
        const lb = doc.resources.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")!;
        const tg = doc.resources.find((r) => r.type === "aws:lb/targetGroup:TargetGroup")!;
        assert.deepEqual([lb.inputs.loadBalancerType, lb.inputs.ipAddressType, tg.inputs.ipAddressType], ["network", "dualstack", "ipv6"]);
        assert.equal(doc.controls.find((c) => c.id === "network-listener-tls")?.status, "fail");
    });
});
