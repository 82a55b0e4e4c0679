import * as assert from "node:assert/strict";
import fc from "fast-check";
import { EC2_DESCRIPTION_RULE, ec2Description, ec2DescriptionProblem } from "../core/aws/ec2Rules";
import type { PlanDocument } from "../plan/plan";
import { projectRoot, stackDirectory } from "./planFixtures";

const ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/()#,@[]+=&;{}!$*";

/** A stack with every kind of security group this project writes: services, a worker, tasks, endpoints, IPv6 sources. */
const EVERY_GROUP = `aws:region: eu-west-1
fargate-service:preset: dev
fargate-service:network:
  natGateways: single
  taskSubnets: private
  vpcEndpoints: true
fargate-service:loadBalancer:
  allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"]
fargate-service:services:
  api:
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" }
    outboundTraffic: https
    loadBalancer:
      rule: { priority: 10, pathPatterns: ["/api/*"] }
  web:
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" }
    loadBalancer:
      rule: { priority: 20, pathPatterns: ["/*"] }
fargate-service:queueWorkers:
  jobs:
    image: { uri: "public.ecr.aws/docker/library/busybox:1.37" }
fargate-service:eventTasks:
  on-upload:
    image: { uri: "public.ecr.aws/docker/library/busybox:1.37" }
    eventPattern: { source: ["aws.s3"] }`;

/** Every security group description and rule description a plan would send to EC2. */
function descriptions(plan: PlanDocument): { where: string; kind: "group" | "rule"; text: string }[] {
    const found: { where: string; kind: "group" | "rule"; text: string }[] = [];
    for (const r of plan.resources) {
        const where = `${r.type} ${r.name}`;
        if (r.type === "aws:ec2/securityGroup:SecurityGroup") {
            found.push({ where, kind: "group", text: String(r.inputs.description ?? "") });
            for (const inline of [...((r.inputs.ingress as { description?: string }[]) ?? []), ...((r.inputs.egress as { description?: string }[]) ?? [])]) {
                if (inline.description !== undefined) found.push({ where, kind: "rule", text: inline.description });
            }
        }
        if (/^aws:(vpc\/securityGroup(Ingress|Egress)Rule|ec2\/securityGroupRule):/.test(r.type) && r.inputs.description !== undefined) {
            found.push({ where, kind: "rule", text: String(r.inputs.description) });
        }
    }
    return found;
}

describe("security group descriptions (EC2's character set)", () => {
    it("refuses a security group description with an apostrophe", () => {
        assert.match(ec2DescriptionProblem("out to its services' tasks only", "group") ?? "", /"'"/);
    });

    it("refuses an empty group description and one over 255 characters", () => {
        assert.ok(ec2DescriptionProblem("", "group"));
        assert.equal(ec2DescriptionProblem("", "rule"), undefined, "a rule may have no description");
        assert.ok(ec2DescriptionProblem("a".repeat(256)));
        assert.equal(ec2DescriptionProblem("a".repeat(255)), undefined);
    });

    it("accepts exactly the characters EC2 lists, whatever string they form", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom(...ALLOWED, "'", '"', "é", "\n", "<", ">", "?", "%", "~", "|", "\\") }), (text) => {
                const expected = text.length <= EC2_DESCRIPTION_RULE.maxLength && [...text].every((c) => ALLOWED.includes(c));
                assert.equal(ec2DescriptionProblem(text) === undefined, expected, JSON.stringify(text));
            }),
            { numRuns: 500 },
        );
    });

    it("turns any text into a description EC2 accepts, keeping allowed text as it is", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 400, unit: "grapheme" }), (text) => {
                assert.equal(ec2DescriptionProblem(ec2Description(text)), undefined, JSON.stringify(text));
            }),
            { numRuns: 500 },
        );
        assert.equal(ec2Description("To the tasks of api on port 80"), "To the tasks of api on port 80");
    });

    for (const [label, stack] of [
        ["the dev plan", "dev"],
        ["the prod plan", "prod"],
        ["the plan of a stack with every kind of security group", "every"],
    ] as const) {
        it(`writes only descriptions EC2 accepts in ${label}`, async () => {
            const { planStack } = await import("../plan/plan");
            const plan = stack === "every" ? await planStack(stackDirectory("every", EVERY_GROUP), "every") : await planStack(projectRoot, stack);
            const found = descriptions(plan);
            assert.ok(found.filter((d) => d.kind === "group").length >= 3, "the plan has security groups");
            const problems = found.flatMap((d) => {
                const problem = ec2DescriptionProblem(d.text, d.kind);
                return problem ? [`${d.where}: ${JSON.stringify(d.text)} ${problem}`] : [];
            });
            assert.deepEqual(problems, []);
        });
    }

    it("keeps a component name EC2 would refuse out of the rule descriptions", async () => {
        const { run } = await import("./helpers");
        const components = await import("../components");
        const r = await run(() => {
            new components.FargateService("Team's API", {
                vpcId: "vpc-0abc",
                subnetIds: ["subnet-a", "subnet-b"],
                image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
                loadBalancer: { listenerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/abc/def", securityGroupId: "sg-0abc", rule: { priority: 5, pathPatterns: ["/*"] } },
            });
        });
        const rules = r.resources.filter((x) => /securityGroup(Ingress|Egress)Rule/.test(x.type));
        assert.ok(rules.length >= 2);
        for (const rule of rules) assert.equal(ec2DescriptionProblem(String(rule.inputs.description ?? "")), undefined, String(rule.inputs.description));
    });
});
