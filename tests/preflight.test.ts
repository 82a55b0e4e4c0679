import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import type { FargateServiceArgs } from "../components";
import { AUTONAME_SUFFIX_EXAMPLE, AWS_NAMES, NameKind, awsName, nameProblem } from "../core/names";
import { PREFLIGHT_RULES, PreflightResource, PreflightRule, describeFinding, preflightRuleTable, runPreflight } from "../core/preflight";
import { isTimeZone } from "../core/scheduleExpressions";
import type { ProgramRun } from "../plan/engine";
import { resolveEnvironment } from "../stacks/environment";
import { TASK_TYPES as T, ofType, run, throwsProblems } from "./helpers";
import { projectRoot } from "./planFixtures";

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const nginx = { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" };
const listenerArn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shared/50dc6c495c0c9188/0467ef3c8400ae65";

function onListener(rule: { priority: number; hostHeaders?: string[]; pathPatterns?: string[] }, listener: unknown = listenerArn): FargateServiceArgs {
    return { ...network, image: nginx, loadBalancer: { listenerArn: listener as string, securityGroupId: "sg-0abc", rule } };
}

/** A stack file's config with these services, resolved as the program resolves it. */
function environment(services: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    return () => resolveEnvironment({ preset: "dev", services, ...extra }, { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml" });
}
const routed = (rule: Record<string, unknown>) => ({ image: { uri: "nginx:1" }, loadBalancer: { rule } });

/** A resource as the engine records it, for rules tried on their own. */
function record(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PreflightResource> = {}): PreflightResource {
    return { urn: `urn:pulumi:test::proj::${type}::${name}`, type, name, inputs, ...extra };
}

describe("AWS preflight", () => {
    describe("the rules", () => {
        it("each carry a unique id, a resource type and https sources", () => {
            const ids = PREFLIGHT_RULES.map((r) => r.id);
            assert.equal(new Set(ids).size, ids.length);
            for (const rule of PREFLIGHT_RULES) {
                assert.match(rule.type, /^(\*|aws:[a-z0-9]+\/[A-Za-z]+:[A-Za-z]+)$/, rule.id);
                assert.ok(rule.sources.length > 0 && rule.sources.every((s) => s.startsWith("https://")), rule.id);
            }
        });

        it("are listed in the README exactly as the rule data says", () => {
            const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
            assert.ok(readme.includes(preflightRuleTable()), "README.md's preflight table is out of date: paste the output of `npm run -s preflight:rules`");
        });

        it("refuses a security group description with an apostrophe", () => {
            const findings = runPreflight([record("aws:ec2/securityGroup:SecurityGroup", "lb", { description: "out to its services' tasks" })]);
            assert.deepEqual(findings.map((f) => [f.rule, f.key]), [["ec2.securityGroup.description", "description"]]);
            assert.match(findings[0].message, /"'"/);
        });

        it("refuses a load balancer auto-named from a name with _ and .", () => {
            const [finding] = runPreflight([record("aws:lb/loadBalancer:LoadBalancer", "My_Api.Service", { subnets: ["a", "b"] })]);
            assert.equal(finding.rule, "elbv2.loadBalancer.name");
            assert.match(finding.message, /"_" "\."/);
            assert.match(describeFinding(finding), /API_CreateLoadBalancer\.html/);
        });

        it("refuses a listener rule with six condition values", () => {
            const conditions = [{ pathPattern: { values: ["/a", "/b", "/c", "/d", "/e", "/f"] } }];
            const findings = runPreflight([record("aws:lb/listenerRule:ListenerRule", "api", { priority: 1, conditions })]);
            assert.ok(findings.some((f) => f.rule === "elbv2.listenerRule.conditions" && /6 condition values/.test(f.message)));
        });

        it("refuses two rules with one priority on a listener, naming both", () => {
            const rule = (name: string, path: string) => record("aws:lb/listenerRule:ListenerRule", name, { priority: 10, conditions: [{ pathPattern: { values: [path] } }] }, { propertyDependencies: { listenerArn: ["urn:listener"] } });
            const findings = runPreflight([rule("api", "/api/*"), rule("admin", "/admin/*")]);
            assert.equal(findings.length, 1);
            assert.equal(findings[0].resource, "admin");
            assert.match(findings[0].message, /10 is already used by listener rule api/);
        });

        it("refuses a 101st listener rule on one load balancer", () => {
            const listeners = ["http", "https"].map((n) => record("aws:lb/listener:Listener", n, { port: n === "http" ? 80 : 443 }, { urn: `urn:${n}`, propertyDependencies: { loadBalancerArn: ["urn:lb"] } }));
            const rules = Array.from({ length: 101 }, (_, i) =>
                record("aws:lb/listenerRule:ListenerRule", `r${i}`, { priority: i + 1, conditions: [{ hostHeader: { values: [`h${i}.example.com`] } }] }, { propertyDependencies: { listenerArn: [i % 2 ? "urn:http" : "urn:https"] } }),
            );
            const findings = runPreflight([...listeners, ...rules]);
            assert.deepEqual(findings.map((f) => f.rule), ["elbv2.loadBalancer.rules"]);
        });

        it("refuses a scheduled action in the time zone IST", () => {
            const findings = runPreflight([record("aws:appautoscaling/scheduledAction:ScheduledAction", "night", { schedule: "cron(0 20 * * ? *)", timezone: "IST" })]);
            assert.deepEqual(findings.map((f) => f.key), ["timezone"]);
        });

        it("refuses an HTTPS listener whose certificate is not an ACM or IAM server certificate", () => {
            const findings = runPreflight([record("aws:lb/listener:Listener", "https", { protocol: "HTTPS", port: 443, certificateArn: "arn:aws:s3:::my-bucket" })]);
            assert.deepEqual(findings.map((f) => [f.rule, f.key]), [["elbv2.listener.arns", "certificateArn"]]);
        });

        it("refuses an HTTPS listener without a certificate", () => {
            const findings = runPreflight([record("aws:lb/listener:Listener", "https", { protocol: "HTTPS", port: 443 })]);
            assert.deepEqual(findings.map((f) => [f.rule, f.key]), [["elbv2.listener.certificate", "certificateArn"]]);
        });

        it("refuses a Fargate service whose target group registers instances", () => {
            const tg = record("aws:lb/targetGroup:TargetGroup", "api", { targetType: "instance", protocol: "HTTP", port: 80 }, { urn: "urn:tg" });
            const service = record("aws:ecs/service:Service", "api", { loadBalancers: [{ targetGroupArn: "x" }] }, { propertyDependencies: { loadBalancers: ["urn:tg"] } });
            assert.deepEqual(runPreflight([tg, service]).map((f) => [f.rule, f.resource]), [["ecs.service.targetGroupType", "api"]]);
        });

        it("refuses a tag propagation AWS does not know", () => {
            assert.deepEqual(runPreflight([record("aws:ecs/service:Service", "api", { propagateTags: "TASK" })]).map((f) => f.key), ["propagateTags"]);
        });

        it("refuses tag keys starting with aws: in any case", () => {
            const findings = runPreflight([record("aws:sqs/queue:Queue", "jobs", { tags: { "AWS:team": "a" } })]);
            assert.deepEqual(findings.map((f) => f.rule), ["tagging.tags"]);
        });
    });

    it("refuses a tag key AWS:team in a stack file, as AWS reserves the prefix in any case", () => {
        throwsProblems(environment({}, { tags: { "AWS:team": "payments" } }), 'fargate-service:tags.AWS:team: tag keys starting with "aws:" (in any case) are reserved by AWS');
    });

    it("answers a workload entry written as null with a configuration error, not a crash", () => {
        for (const kind of ["services", "queueWorkers", "scheduledTasks", "eventTasks"]) {
            throwsProblems(environment({}, { [kind]: { job: null } }), `Pulumi.dev.yaml: fargate-service:${kind}.job:`);
        }
    });

    describe("time zones", () => {
        it("takes IANA names and refuses abbreviations, lower-case spellings and unknown places", () => {
            for (const zone of ["Europe/Paris", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+9"]) assert.ok(isTimeZone(zone), zone);
            for (const zone of ["IST", "EST", "GMT", "europe/paris", "Europe/Nowhere", "US/Eastern", "+05:30"]) assert.ok(!isTimeZone(zone), zone);
        });

        it("refuses a service's scaling schedule in IST", () => {
            throwsProblems(
                () => new components.FargateService("api", { ...network, image: nginx, loadBalancer: { enabled: false }, scaling: { schedules: [{ name: "night", schedule: "cron(0 20 * * ? *)", timezone: "IST", min: 0, max: 0 }] } }),
                "args.scaling.schedules[0].timezone: is not an IANA time zone",
            );
        });

        it("refuses a scheduled task in IST in a stack file", () => {
            throwsProblems(
                environment({}, { scheduledTasks: { nightly: { image: { uri: "nginx:1" }, schedule: "cron(0 3 * * ? *)", timezone: "IST" } } }),
                "Pulumi.dev.yaml: fargate-service:scheduledTasks.nightly.timezone: is not an IANA time zone",
            );
        });
    });

    describe("names of child resources", () => {
        it("fit every AWS naming rule once auto-named, whatever the component is called", () => {
            const kinds = Object.keys(AWS_NAMES) as NameKind[];
            fc.assert(
                fc.property(fc.string({ maxLength: 300, unit: "binary" }), fc.constantFrom(...kinds), (name, kind) => {
                    const logical = awsName(kind, name);
                    const physical = AWS_NAMES[kind].autonamed ? `${logical}${AUTONAME_SUFFIX_EXAMPLE}` : logical;
                    assert.equal(nameProblem(kind, physical), undefined, `${kind} ${JSON.stringify(name)} → ${physical}`);
                    assert.equal(awsName(kind, name), logical, "the same name every time");
                }),
                { numRuns: 2000 },
            );
        });

        it("leave a name that already works unchanged", () => {
            fc.assert(
                fc.property(fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6}){0,2}$/), (name) => {
                    for (const kind of Object.keys(AWS_NAMES) as NameKind[]) {
                        if (/^(sg-|xn--|internal-)/.test(name)) continue;
                        assert.equal(awsName(kind, name), name, kind);
                    }
                }),
                { numRuns: 300 },
            );
        });

        it("keep two names that differ only in refused characters apart", () => {
            assert.notEqual(awsName("loadBalancer", "a_b"), awsName("loadBalancer", "a.b"));
        });

        describe("of a component named My_Api.Service", () => {
            let r: ProgramRun;
            before(async () => {
                r = await run(() => {
                    new components.FargateService("My_Api.Service", { ...network, image: nginx, loadBalancer: { subnetIds: ["subnet-a", "subnet-b"] } });
                });
            });

            it("give the load balancer and target group names of letters, digits and hyphens", () => {
                for (const type of [T.loadBalancer, T.targetGroup]) {
                    const [resource] = ofType(r, type);
                    assert.match(resource.name, /^[A-Za-z0-9-]+$/, type);
                }
            });

            it("pass every preflight rule", () => {
                assert.deepEqual(runPreflight(r.resources).map(describeFinding), []);
            });
        });

        describe("of a component with a 60-character name", () => {
            const name = `${"payments-reconciliation-".repeat(2)}service-api-v2`.slice(0, 60);
            let r: ProgramRun;
            before(async () => {
                r = await run(() => {
                    new components.FargateService(name, { ...network, image: { tag: "v1" }, loadBalancer: { subnetIds: ["subnet-a", "subnet-b"] } });
                });
            });

            it("give IAM roles names of at most 64 characters once auto-named, keeping what each role is", () => {
                const roles = ofType(r, T.role);
                assert.equal(roles.length, 2);
                for (const role of roles) assert.ok(role.name.length + AUTONAME_SUFFIX_EXAMPLE.length <= 64, `${role.name} is too long`);
                assert.deepEqual(roles.map((x) => x.name.split("-").pop()).sort(), ["execution", "task"]);
            });

            it("pass every preflight rule", () => {
                assert.deepEqual(runPreflight(r.resources).map(describeFinding), []);
            });
        });
    });

    describe("the plan", () => {
        it("exits 1 when a resource breaks a rule, with the finding in its JSON and on stderr", async () => {
            const { main } = await import("../plan/cli");
            // A rule every load balancer breaks stands in for a mistake the schemas would have caught first.
            const rules = PREFLIGHT_RULES as PreflightRule[];
            rules.push({ id: "test.loadBalancer.never", type: T.loadBalancer, title: "never", sources: ["https://example.com/rule"], check: () => [{ key: "name", message: "is refused" }] });
            let stdout = "";
            let stderr = "";
            const [out, err] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
            process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
            process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
            let code: number;
            try {
                code = await main(["dev", "--dir", projectRoot, "--json"]);
            } finally {
                process.stdout.write = out;
                process.stderr.write = err;
                rules.pop();
            }
            assert.equal(code, 1);
            const plan = JSON.parse(stdout);
            assert.deepEqual(plan.preflight.findings.map((f: { rule: string; resource: string; key: string }) => [f.rule, f.resource, f.key]), [["test.loadBalancer.never", "dev", "name"]]);
            assert.match(stderr, /1 resource setting AWS would refuse \(preflight\):\n {2}dev \(aws:lb\/loadBalancer:LoadBalancer\) name: is refused \[test\.loadBalancer\.never, https:\/\/example\.com\/rule\]/);
        });

        it("names the stack-file entry a finding came from", async () => {
            const { planStack } = await import("../plan/plan");
            const rules = PREFLIGHT_RULES as PreflightRule[];
            rules.push({ id: "test.taskDefinition.never", type: T.taskDefinition, title: "never", sources: ["https://example.com/rule"], check: () => [{ key: "family", message: "is refused" }] });
            try {
                const plan = await planStack(projectRoot, "dev");
                const origins = plan.preflight.findings.map((f) => f.origin);
                assert.ok(origins.length >= 3);
                for (const origin of origins) assert.match(origin ?? "", /^Pulumi\.dev\.yaml: fargate-service:(services|queueWorkers|scheduledTasks)\.[a-z]+$/);
                assert.ok(origins.includes("Pulumi.dev.yaml: fargate-service:services.api"));
            } finally {
                rules.pop();
            }
        });

        for (const stack of ["dev", "prod"]) {
            it(`of ${stack} passes every rule and says so in its document`, async () => {
                const { planStack } = await import("../plan/plan");
                const plan = await planStack(projectRoot, stack);
                assert.equal(plan.preflight.rules, PREFLIGHT_RULES.length);
                assert.ok(plan.preflight.rules >= 55, `ran ${plan.preflight.rules} rules; the preflight has at least 55`);
                assert.deepEqual(plan.preflight.findings.map(describeFinding), []);
            });
        }
    });
});

describe("the policy pack's preflight", () => {
    it("is mandatory in every environment, waivers or not", async () => {
        const [{ policyPackConfig }, { PREFLIGHT_POLICY }] = await Promise.all([import("../stacks/policyPackConfig"), import("../policy/policyConfig")]);
        for (const preset of ["dev", "prod"] as const) {
            const env = resolveEnvironment({ preset, services: { api: { image: { uri: "nginx:1" }, loadBalancer: { enabled: false } } } }, { project: "fargate-service", stack: "x", source: "config" });
            assert.deepEqual(policyPackConfig(env)[PREFLIGHT_POLICY], { enforcementLevel: "mandatory" });
        }
    });

    it("reports what AWS would refuse in the stack the engine is about to deploy, on the resource", async () => {
        const { runPolicy, toPolicyResources } = await import("./policyHarness");
        const r = await run(() => {
            new components.FargateService("api", onListener({ priority: 10, pathPatterns: ["/api/*"] }));
        });
        assert.deepEqual(await runPolicy("aws-preflight", toPolicyResources(r.resources), {}), []);
        // The engine's view carries provider-checked inputs: a name AWS refuses, as a transform could have set it.
        const tampered = r.resources.map((x) => (x.type === T.targetGroup ? { ...x, inputs: { ...x.inputs, name: "api_tg" } } : x));
        const [message, ...rest] = await runPolicy("aws-preflight", toPolicyResources(tampered), {});
        assert.equal(rest.length, 0);
        assert.match(message, /^api \(aws:lb\/targetGroup:TargetGroup\) name: "api_tg" has characters AWS refuses \("_"\).*\[elbv2\.targetGroup\.name, https:\/\/docs\.aws\.amazon\.com\//);
    });
});

describe("routing", () => {
    describe("of services composed in TypeScript", () => {
        it("refuses a second service on the same listener priority, naming both", async () => {
            let message = "";
            await run(() => {
                new components.FargateService("api", onListener({ priority: 10, pathPatterns: ["/api/*"] }));
                message = throwsProblems(() => new components.FargateService("admin", onListener({ priority: 10, pathPatterns: ["/admin/*"] })), 'FargateService "admin": args.loadBalancer.rule.priority: 10 is already used by FargateService "api"');
            });
            assert.ok(message);
        });

        it("recognises one listener passed as the same Output to each service", async () => {
            await run(() => {
                const alb = new components.ServiceLoadBalancer("shared", { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"] });
                new components.FargateService("api", onListener({ priority: 10, hostHeaders: ["API.example.com"] }, alb.listenerArn));
                throwsProblems(() => new components.FargateService("www", onListener({ priority: 20, hostHeaders: ["api.example.com"] }, alb.listenerArn)), 'routes host api.example.com like FargateService "api"');
            });
        });

        it("accepts the same priority on two different listeners", async () => {
            const r = await run(() => {
                new components.FargateService("api", onListener({ priority: 10, pathPatterns: ["/api/*"] }));
                new components.FargateService("other", onListener({ priority: 10, pathPatterns: ["/api/*"] }, `${listenerArn}0`));
            });
            assert.equal(ofType(r, T.listenerRule).length, 2);
        });

        it("refuses a rule with six condition values", () => {
            throwsProblems(
                () => new components.FargateService("api", onListener({ priority: 1, hostHeaders: ["a.example.com", "b.example.com"], pathPatterns: ["/a", "/b", "/c", "/d"] })),
                "args.loadBalancer.rule: has 6 condition values",
            );
        });

        it("refuses a path pattern without a leading slash", () => {
            throwsProblems(() => new components.FargateService("api", onListener({ priority: 1, pathPatterns: ["api/*"] })), 'args.loadBalancer.rule.pathPatterns[0]: "api/*" must start with "/"');
        });
    });

    describe("in a stack file", () => {
        it("refuses two services on /api/*, naming the key and both services", () => {
            throwsProblems(
                environment({ a: routed({ priority: 1, pathPatterns: ["/api/*"] }), b: routed({ priority: 2, pathPatterns: ["/api/*"] }) }),
                "fargate-service:services.b.loadBalancer.rule: routes path /api/* like service a",
            );
        });

        it("compares hosts without case", () => {
            throwsProblems(
                environment({ a: routed({ priority: 1, hostHeaders: ["Shop.example.com"] }), b: routed({ priority: 2, hostHeaders: ["shop.EXAMPLE.com"] }) }),
                "services.b.loadBalancer.rule: routes host shop.example.com like service a",
            );
        });

        it("refuses a /* rule at priority 5 ahead of other rules", () => {
            throwsProblems(
                environment({ all: routed({ priority: 5, pathPatterns: ["/*"] }), api: routed({ priority: 10, pathPatterns: ["/api/*"] }) }),
                "services.api.loadBalancer.rule.priority: service api (priority 10) is shadowed by service all (priority 5)",
            );
        });

        it("accepts a catch-all behind the other rules", () => {
            const env = environment({ api: routed({ priority: 10, pathPatterns: ["/api/*"] }), all: routed({ priority: 50000, pathPatterns: ["/*"] }) })();
            assert.deepEqual(Object.keys(env.services), ["api", "all"]);
        });

        it("refuses a path without a leading slash", () => {
            throwsProblems(environment({ a: routed({ priority: 1, pathPatterns: ["api"] }) }), 'services.a.loadBalancer.rule.pathPatterns[0]: "api" must start with "/"');
        });

        it("refuses more than 5 condition values in a rule", () => {
            throwsProblems(environment({ a: routed({ priority: 1, pathPatterns: ["/1", "/2", "/3", "/4", "/5", "/6"] }) }), "services.a.loadBalancer.rule: has 6 condition values");
        });

        it("refuses a host with refused characters or no dot", () => {
            throwsProblems(environment({ a: routed({ priority: 1, hostHeaders: ["localhost"] }) }), 'services.a.loadBalancer.rule.hostHeaders[0]: "localhost" needs at least one "."');
            throwsProblems(environment({ a: routed({ priority: 1, hostHeaders: ["api_v2.example.com"] }) }), "services.a.loadBalancer.rule.hostHeaders[0]: \"api_v2.example.com\" has characters a host condition refuses");
        });

        it("answers pathPatterns written as false with a configuration error, not a crash", () => {
            throwsProblems(environment({ a: routed({ priority: 1, pathPatterns: false }) }), "services.a.loadBalancer.rule.pathPatterns: expected a list");
        });

        it("refuses 101 services on one listener", () => {
            const services = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`s${i}`, routed({ priority: i + 1, hostHeaders: [`s${i}.example.com`] })]));
            throwsProblems(environment(services), "services.s100.loadBalancer.rule: is rule 101 on one load balancer; AWS allows 100");
        });
    });
});
