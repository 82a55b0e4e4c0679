import * as assert from "node:assert/strict";
import type { PlanDocument } from "../plan/plan";
import { stackDirectory } from "./planFixtures";

/** Ephemeral and dev environments on one load balancer another stack owns: each adds host rules only. */

const LISTENER = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared-dev/0123456789abcdef/fedcba9876543210";

const ephemeral = (extra = "", service = "    loadBalancer:\n      rule:\n        priority: 4201\n        hostHeaders: [pr-42.dev.example.com]") => `aws:region: us-east-1
fargate-service:preset: dev
fargate-service:network:
  mode: existing
  vpcId: vpc-0abc1234
  publicSubnetIds: [subnet-0a1, subnet-0b2]
  privateSubnetIds: [subnet-0c3, subnet-0d4]
  taskSubnets: private
fargate-service:loadBalancer:
  shared:
    listenerArn: ${LISTENER}
    securityGroupId: sg-0123456789abcdef0
fargate-service:dashboard: false
${extra}
fargate-service:services:
  web:
    image:
      uri: public.ecr.aws/nginx/nginx-unprivileged:1.27
    architecture: ARM64
${service}`;

let planStack: typeof import("../plan/plan").planStack;
before(async () => {
    ({ planStack } = await import("../plan/plan"));
});

const plan = (yaml: string) => planStack(stackDirectory("pr-42", yaml), "pr-42");
const ofType = (p: PlanDocument, type: string) => p.resources.filter((r) => r.type === type);

describe("an environment on a shared load balancer", () => {
    let p: PlanDocument;
    before(async () => {
        p = await plan(ephemeral());
    });

    it("creates no load balancer, listener or certificate, only its host rule on the shared listener", () => {
        assert.equal(ofType(p, "aws:lb/loadBalancer:LoadBalancer").length, 0);
        assert.equal(ofType(p, "aws:lb/listener:Listener").length, 0);
        const [rule] = ofType(p, "aws:lb/listenerRule:ListenerRule");
        assert.equal(rule.inputs.listenerArn, LISTENER);
        assert.deepEqual((rule.inputs.conditions as { hostHeader?: { values: string[] } }[]).flatMap((c) => c.hostHeader?.values ?? []), ["pr-42.dev.example.com"]);
    });

    it("lets the tasks admit the shared load balancer's security group", () => {
        const ingress = ofType(p, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.ok(ingress.some((r) => r.inputs.referencedSecurityGroupId === "sg-0123456789abcdef0"), JSON.stringify(ingress.map((r) => r.inputs)));
    });

    it("costs less than $5 a month for one small task, and says what the shared stacks pay", () => {
        assert.ok(p.cost.monthlyUsd <= 5, String(p.cost.monthlyUsd));
        assert.equal(p.cost.lines.filter((l) => l.priceKey === "alb.hour").length, 0);
        assert.ok(p.cost.notPriced.some((n) => n.item.startsWith("A shared load balancer (1 rule")));
        assert.ok(p.cost.notPriced.some((n) => n.item.startsWith("Egress of private tasks through the existing VPC")));
    });

    const refuses = async (yaml: string, ...fragments: string[]) => {
        await assert.rejects(plan(yaml), (e: Error) => {
            for (const f of fragments) assert.ok(e.message.includes(f), `${f}\nin: ${e.message}`);
            return true;
        });
    };

    it("refuses a service without a host name: other environments share the listener", async () => {
        await refuses(ephemeral("", "    loadBalancer:\n      rule:\n        priority: 4201\n        pathPatterns: [/web/*]"), "services.web.loadBalancer.rule.hostHeaders: is required with loadBalancer.shared");
    });

    it("refuses a new VPC: the load balancer reaches only targets in its own VPC", async () => {
        const yaml = ephemeral().replace(/fargate-service:network:[\s\S]*?taskSubnets: private\n/, "");
        await refuses(yaml, 'network.mode: "vpc" creates a new VPC');
    });

    it("refuses settings that belong to the shared load balancer's own stack, and a domain", async () => {
        await refuses(ephemeral().replace("  shared:", "  deletionProtection: true\n  shared:"), "loadBalancer.deletionProtection: has no effect with loadBalancer.shared");
        await refuses(ephemeral("fargate-service:domain:\n  name: pr-42.dev.example.com\n  zoneName: dev.example.com"), "domain: cannot be used with loadBalancer.shared");
    });

    it("refuses a listener ARN that is not an Application Load Balancer's, or of another Region", async () => {
        await refuses(ephemeral().replace(LISTENER, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shared-dev/0123456789abcdef"), "loadBalancer.shared.listenerArn", "is not an Application Load Balancer listener ARN");
        await refuses(ephemeral().replace(LISTENER, LISTENER.replace("us-east-1", "eu-west-1")), "loadBalancer.shared.listenerArn: is in eu-west-1 but the stack deploys to us-east-1");
    });
});
