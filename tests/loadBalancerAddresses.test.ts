import * as assert from "node:assert/strict";
import { estimateCost } from "../analysis/costModel";
import { StackGraph } from "../analysis/stackResources";
import { stackDirectory } from "./planFixtures";
import { ofType, one, run, throwsProblems } from "./helpers";

/** A dual-stack load balancer: IPv6 for clients, and without public IPv4 addresses when they come over IPv6 or a CDN. */

let components: typeof import("../components");
let planStack: typeof import("../plan/plan").planStack;
before(async () => {
    components = await import("../components");
    ({ planStack } = await import("../plan/plan"));
});

const LB = "aws:lb/loadBalancer:LoadBalancer";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const balancer = (extra: Record<string, unknown>) => () => new components.ServiceLoadBalancer("web", { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"], ...extra });

describe("load balancer IP address types", () => {
    it("creates a dual-stack load balancer that admits IPv6 clients as well as IPv4 ones", async () => {
        const r = await run(balancer({ ipAddressType: "dualstack" }));
        assert.equal(one(r, LB).inputs.ipAddressType, "dualstack");
        assert.deepEqual(ofType(r, INGRESS).map((i) => i.inputs.cidrIpv4 ?? i.inputs.cidrIpv6), ["0.0.0.0/0", "::/0"]);
    });

    it("sends ipv4 by default, so a load balancer set back from dualstack returns to ipv4, admitting IPv4 only", async () => {
        const r = await run(balancer({}));
        assert.equal(one(r, LB).inputs.ipAddressType, "ipv4");
        assert.deepEqual(ofType(r, INGRESS).map((i) => i.inputs.cidrIpv4 ?? i.inputs.cidrIpv6), ["0.0.0.0/0"]);
    });

    it("prices no public IPv4 address for a load balancer without public IPv4, two for a dual-stack one", async () => {
        const addresses = async (ipAddressType: string) => {
            const cost = estimateCost(new StackGraph((await run(balancer({ ipAddressType }))).resources));
            return cost.lines.find((l) => l.priceKey === "publicIpv4.hour")?.quantity ?? 0;
        };
        assert.equal(await addresses("dualstack-without-public-ipv4"), 0);
        assert.equal(await addresses("dualstack"), 2 * 730);
    });

    it("points an AAAA alias at a dual-stack load balancer beside the A alias", async () => {
        const r = await run(balancer({ ipAddressType: "dualstack", domain: { name: "app.example.com", zoneName: "example.com" } }));
        assert.deepEqual(ofType(r, "aws:route53/record:Record").filter((x) => x.inputs.name === "app.example.com").map((x) => x.inputs.type).sort(), ["A", "AAAA"]);
    });

    it("refuses a dual-stack type on an internal load balancer, as AWS does", () => {
        throwsProblems(() => new components.ServiceLoadBalancer("web", { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"], internal: true, ipAddressType: "dualstack" }), 'args.ipAddressType: "dualstack" is for internet-facing load balancers: an internal one must use "ipv4"');
    });
});

describe("load balancer IP address types in a stack file", () => {
    const stack = (network: string) => `aws:region: us-east-1
fargate-service:preset: dev
${network}
fargate-service:loadBalancer:
  ipAddressType: dualstack-without-public-ipv4
fargate-service:services:
  web:
    image:
      uri: public.ecr.aws/nginx/nginx-unprivileged:1.27`;
    const existing = "fargate-service:network:\n  mode: existing\n  vpcId: vpc-0abc1234\n  publicSubnetIds: [subnet-0a1, subnet-0b2]";

    it("plans a load balancer without public IPv4 in dual-stack subnets of an existing VPC, and prices none of its addresses", async () => {
        const plan = await planStack(stackDirectory("v6", stack(existing)), "v6");
        assert.equal(plan.resources.find((r) => r.type === LB)?.inputs.ipAddressType, "dualstack-without-public-ipv4");
        assert.ok(plan.cost.lines.some((l) => l.item.startsWith("Public IPv4 addresses (0 load balancer")), plan.cost.lines.map((l) => l.item).join("\n"));
    });

    it("refuses a dual-stack type in a VPC the stack creates without IPv6 (awsx), naming network.ipv6", async () => {
        const ipv4Only = "fargate-service:network:\n  ipv6: false\n  taskSubnets: public";
        await assert.rejects(planStack(stackDirectory("v6", stack(ipv4Only)), "v6"), /loadBalancer\.ipAddressType: "dualstack-without-public-ipv4" needs public subnets with IPv6 CIDR blocks.*set network\.ipv6 true/);
    });

    it("plans it in the dual-stack VPC the dev preset creates", async () => {
        const plan = await planStack(stackDirectory("v6", stack("")), "v6");
        assert.equal(plan.resources.find((r) => r.type === LB)?.inputs.ipAddressType, "dualstack-without-public-ipv4");
        assert.ok(plan.resources.some((r) => r.type === "aws:ec2/vpc:Vpc" && r.inputs.assignGeneratedIpv6CidrBlock === true));
    });
});
