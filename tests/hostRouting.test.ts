import * as assert from "node:assert/strict";
import fc from "fast-check";
import { ACM_RULES, certificateNameProblems, isCertificateName } from "../core/aws/certificateNames";
import type { PlanDocument } from "../plan/plan";
import { resolveEnvironment } from "../stacks/environment";
import { stackDirectory } from "./planFixtures";

const IMAGE = "public.ecr.aws/nginx/nginx-unprivileged:1.27";

const HOST_ROUTED = `aws:region: eu-west-1
fargate-service:preset: dev
fargate-service:domain:
  name: app.example.com
  zoneName: example.com
fargate-service:services:
  api:
    image: { uri: "${IMAGE}" }
    loadBalancer:
      rule: { priority: 10, hostHeaders: ["api.example.com"] }
  tenants:
    image: { uri: "${IMAGE}" }
    loadBalancer:
      rule: { priority: 20, hostHeaders: ["*.tenants.example.com", "tenants.example.com"] }
  app:
    image: { uri: "${IMAGE}" }
    loadBalancer:
      rule: { priority: 30, hostHeaders: ["app.example.com"], pathPatterns: ["/*"] }`;

const ofType = (plan: PlanDocument, type: string) => plan.resources.filter((r) => r.type === type);

function rejects(config: Record<string, unknown>, ...fragments: string[]): void {
    assert.throws(
        () => resolveEnvironment(config, { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml" }),
        (error: Error) => {
            assert.equal(error.name, "ValidationError", error.message);
            for (const fragment of fragments) assert.ok(error.message.includes(fragment), `expected "${fragment}" in:\n${error.message}`);
            return true;
        },
    );
}

const routed = (hosts: string[][]) => ({
    preset: "dev",
    domain: { name: "app.example.com", zoneName: "example.com" },
    services: Object.fromEntries(hosts.map((h, i) => [`s${i}`, { image: { uri: IMAGE }, loadBalancer: { rule: { priority: i + 1, hostHeaders: h } } }])),
});

describe("host-header routing over HTTPS", () => {
    describe("the names a certificate may cover (ACM and Route 53)", () => {
        it("accepts DNS names and a wildcard as the whole first label", () => {
            for (const name of ["example.com", "api.example.com", "*.example.com", "*.api.example.com", "a-1.b2.example.co.uk"]) assert.ok(isCertificateName(name), name);
        });

        it("refuses wildcards ACM does not take, and anything that is not a DNS name", () => {
            for (const name of ["api-?.example.com", "*.*.example.com", "api.*.example.com", "ap*.example.com", "*", "Api.Example.com", "-a.example.com", "example", "a..example.com"]) {
                assert.ok(!isCertificateName(name), name);
            }
        });

        it("refuses a host outside the zone, and more names than ACM's 10 per certificate", () => {
            assert.match(certificateNameProblems("app.example.com", ["api.example.org"], "example.com")[0].message, /not in the Route 53 zone example\.com/);
            assert.equal(certificateNameProblems("app.example.com", ["notexample.com"], "example.com").length, 1, "a suffix that is not a label boundary is outside");
            const nine = Array.from({ length: 9 }, (_, i) => `h${i}.example.com`);
            assert.deepEqual(certificateNameProblems("app.example.com", nine, "example.com"), []);
            assert.match(certificateNameProblems("app.example.com", [...nine, "h9.example.com"], "example.com")[0].message, /11 names.*ACM allows 10/);
            assert.match(certificateNameProblems(`${"a".repeat(60)}.example.com`, [], "example.com")[0].message, /at most 64/);
        });

        it("finds a problem exactly when a name is malformed, outside the zone, or one too many (generated hosts)", () => {
            const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
            const host = fc.tuple(fc.boolean(), fc.array(label, { minLength: 0, maxLength: 2 }), fc.constantFrom("example.com", "other.org")).map(
                ([wild, labels, zone]) => [...(wild ? ["*"] : []), ...labels, zone].join("."),
            );
            fc.assert(
                fc.property(fc.array(host, { maxLength: 14 }), (hosts) => {
                    const problems = certificateNameProblems("app.example.com", hosts, "example.com");
                    const outside = hosts.filter((h) => !(h === "example.com" || h.endsWith(".example.com"))).length;
                    const names = new Set(["app.example.com", ...hosts]).size;
                    assert.equal(problems.length, outside + (names > ACM_RULES.namesPerCertificate ? 1 : 0), JSON.stringify(hosts));
                }),
                { numRuns: 300 },
            );
        });
    });

    describe("in the plan", () => {
        let plan: PlanDocument;
        before(async () => {
            const { planStack } = await import("../plan/plan");
            plan = await planStack(stackDirectory("hosts", HOST_ROUTED), "hosts");
        });

        it("covers every routed host with the certificate", () => {
            const [certificate] = ofType(plan, "aws:acm/certificate:Certificate");
            assert.equal(certificate.inputs.domainName, "app.example.com");
            assert.deepEqual(certificate.inputs.subjectAlternativeNames, ["api.example.com", "*.tenants.example.com", "tenants.example.com"]);
        });

        it("points every routed host at the load balancer with an alias record in the zone", () => {
            const aliases = ofType(plan, "aws:route53/record:Record").filter((r) => r.inputs.type === "A");
            assert.deepEqual(aliases.map((r) => r.inputs.name).sort(), ["*.tenants.example.com", "api.example.com", "app.example.com", "tenants.example.com"]);
            for (const alias of aliases) assert.ok((alias.inputs.aliases as unknown[]).length === 1);
        });

        it("validates every name, with one record for a wildcard and its base name", () => {
            const validations = ofType(plan, "aws:route53/record:Record").filter((r) => r.inputs.type === "CNAME");
            assert.equal(validations.length, 3, "app, api and tenants (shared with *.tenants)");
            assert.equal(new Set(validations.map((r) => r.inputs.name)).size, 3);
            const [validation] = ofType(plan, "aws:acm/certificateValidation:CertificateValidation");
            assert.equal((validation.inputs.validationRecordFqdns as string[]).length, 3);
        });
    });

    describe("stack files it refuses, naming the key", () => {
        it("refuses a routed host outside the domain's zone", () => {
            rejects(routed([["api.example.org"]]), "fargate-service:services.s0.loadBalancer.rule.hostHeaders.0", '"api.example.org" is not in the Route 53 zone example.com');
        });

        it("refuses a host a certificate cannot hold", () => {
            rejects(routed([["api-?.example.com"]]), "fargate-service:services.s0.loadBalancer.rule.hostHeaders.0", "cannot be on a certificate");
        });

        it("refuses more hosts than fit on one certificate", () => {
            rejects(routed([Array.from({ length: 5 }, (_, i) => `a${i}.example.com`), Array.from({ length: 5 }, (_, i) => `b${i}.example.com`)]), "fargate-service:domain: the certificate would need 11 names");
        });

        it("accepts a wildcard domain name and wildcard hosts in the zone", () => {
            assert.doesNotThrow(() =>
                resolveEnvironment(
                    { ...routed([["*.api.example.com"], ["www.example.com"]]), domain: { name: "*.example.com", zoneName: "example.com" } },
                    { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml" },
                ),
            );
        });
    });

    describe("a FargateService with its own load balancer", () => {
        it("covers and points its alternative names, and refuses one outside the zone", async () => {
            const { run } = await import("./helpers");
            const components = await import("../components");
            const args = (alternativeNames: string[]) => ({
                vpcId: "vpc-0abc",
                subnetIds: ["subnet-a", "subnet-b"],
                image: { uri: IMAGE },
                loadBalancer: { subnetIds: ["subnet-c", "subnet-d"], domain: { name: "example.com", zoneName: "example.com", alternativeNames } },
            });
            const r = await run(() => {
                new components.FargateService("web", args(["www.example.com"]));
            });
            assert.deepEqual(r.resources.find((x) => x.type === "aws:acm/certificate:Certificate")!.inputs.subjectAlternativeNames, ["www.example.com"]);
            assert.deepEqual(r.resources.filter((x) => x.type === "aws:route53/record:Record" && x.inputs.type === "A").map((x) => x.inputs.name), ["example.com", "www.example.com"]);
            assert.throws(() => new components.FargateService("bad", args(["www.example.org"])), /loadBalancer\.domain\.alternativeNames\[0\]: "www\.example\.org" is not in the Route 53 zone example\.com \(loadBalancer\.domain\.zoneName\)/);
        });

        it("refuses, in a shared ServiceLoadBalancer, more names than fit on one certificate", async () => {
            const components = await import("../components");
            const alternativeNames = Array.from({ length: 10 }, (_, i) => `h${i}.example.com`);
            assert.throws(
                () => new components.ServiceLoadBalancer("shared", { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"], domain: { name: "example.com", zoneName: "example.com", alternativeNames } }),
                (error: Error) => error.name === "ValidationError" && /ServiceLoadBalancer "shared": args\.domain: the certificate would need 11 names/.test(error.message),
            );
        });
    });
});
