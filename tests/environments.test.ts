import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PlannedResource, ProgramRun, runProgram } from "../plan/engine";
import { readStackConfig } from "../stacks/stackConfig";
import { TASK_TYPES as T, json, ofType, one } from "./helpers";

const root = path.join(__dirname, "..");
let program: typeof import("../stacks/program");
before(async () => {
    program = await import("../stacks/program");
});

/** Runs the real program with a stack file from `directory` (the project's own by default). */
async function plan(stack: string, directory = root): Promise<ProgramRun> {
    const { project, config, secretKeys } = readStackConfig(directory, stack);
    return runProgram(program.environmentProgram, { project, stack, config, secretKeys });
}

/** Runs the program with config given inline, as a stack file would give it. */
async function planConfig(stack: string, config: Record<string, unknown>): Promise<ProgramRun> {
    const flat: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) flat[`fargate-service:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return runProgram(program.environmentProgram, { project: "fargate-service", stack, config: flat });
}

const service = (r: ProgramRun, name: string) => ofType(r, T.service).find((s) => s.name === `${r.stack}-${name}`)!;
const targetOf = (r: ProgramRun, name: string) => ofType(r, T.scalableTarget).find((t) => t.parent === service(r, name).parent)!;
const logGroupOf = (r: ProgramRun, name: string) => ofType(r, T.logGroup).find((t) => t.parent === service(r, name).parent)!;
const vpc = (r: ProgramRun) => one(r, "awsx:ec2:Vpc").inputs;

/**
 * The names AWS will know a resource by (offline: the placeholders auto-naming would produce).
 * DNS records are named after the domain, which the stack file chooses.
 */
function physicalName(r: PlannedResource): string | undefined {
    if (r.type === "aws:route53/record:Record") return undefined;
    const o = r.outputs as Record<string, unknown>;
    return (r.type === T.taskDefinition ? r.inputs.family : undefined) ?? (o.bucket as string) ?? (o.name as string) ?? undefined;
}

describe("environments", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    before(async () => {
        dev = await plan("dev");
        prod = await plan("prod");
    });

    describe("dev: cheap, fast, disposable", () => {
        it("runs every task on Fargate Spot", () => {
            for (const name of ["api", "worker"]) {
                assert.deepEqual(service(dev, name).inputs.capacityProviderStrategies, [{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }]);
            }
        });

        it("runs one task, scaling between 1 and 2", () => {
            assert.equal(service(dev, "api").inputs.desiredCount, 1);
            assert.deepEqual([targetOf(dev, "api").inputs.minCapacity, targetOf(dev, "api").inputs.maxCapacity], [1, 2]);
        });

        it("keeps logs 7 days, force-deletes its repository and has no deletion protection", () => {
            assert.equal(logGroupOf(dev, "api").inputs.retentionInDays, 7);
            assert.equal(one(dev, T.repository).inputs.forceDelete, true);
            assert.equal(one(dev, T.loadBalancer).inputs.enableDeletionProtection, false);
            assert.equal(one(dev, T.repository).options.protect, undefined);
        });

        it("turns Container Insights off", () => {
            assert.deepEqual(one(dev, T.cluster).inputs.settings, [{ name: "containerInsights", value: "disabled" }]);
        });

        it("deploys fast: a 5-second health check and a 5-second drain", () => {
            const tg = one(dev, T.targetGroup).inputs;
            assert.equal(tg.deregistrationDelay, 5);
            assert.equal(tg.healthCheck.interval, 5);
            assert.equal(tg.healthCheck.path, "/health");
        });

        it("has no NAT gateway: tasks whose images are outside its ECR sit in the dual-stack public subnets with public IPs, reachable only through the load balancer", () => {
            // Pulumi.dev.yaml runs ECR Public images, which IPv6-only tasks without NAT64 could not pull.
            assert.equal(ofType(dev, "awsx:ec2:Vpc").length, 0);
            assert.equal(one(dev, "aws:ec2/vpc:Vpc").inputs.assignGeneratedIpv6CidrBlock, true);
            assert.equal(ofType(dev, "aws:ec2/natGateway:NatGateway").length, 0);
            assert.equal(ofType(dev, "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway").length, 0);
            const publicSubnets = ofType(dev, "aws:ec2/subnet:Subnet");
            assert.deepEqual(publicSubnets.map((s) => s.name), ["dev-public-1", "dev-public-2"]);
            const api = service(dev, "api").inputs.networkConfiguration;
            assert.equal(api.assignPublicIp, true);
            assert.deepEqual(api.subnets, publicSubnets.map((s) => s.outputs.id));
            assert.equal(one(dev, T.loadBalancer).inputs.ipAddressType, "dualstack");
            const tasksGroup = ofType(dev, T.securityGroup).find((g) => g.name === "dev-api-tasks")!;
            const inbound = ofType(dev, T.ingress).filter((i) => i.inputs.securityGroupId === tasksGroup.outputs.id);
            assert.deepEqual(inbound.map((i) => [i.inputs.referencedSecurityGroupId, i.inputs.cidrIpv4]), [[ofType(dev, T.securityGroup).find((g) => g.name === "dev-lb")!.outputs.id, undefined]]);
        });

        it("serves HTTP only, with no access logs", () => {
            assert.deepEqual(ofType(dev, T.listener).map((l) => l.inputs.protocol), ["HTTP"]);
            assert.equal(one(dev, T.loadBalancer).inputs.accessLogs, undefined);
            assert.equal(ofType(dev, T.bucket).length, 0);
        });
    });

    describe("prod: highly available, safe", () => {
        it("keeps an on-demand base of 2 tasks with Spot beside it", () => {
            assert.deepEqual(service(prod, "api").inputs.capacityProviderStrategies, [
                { capacityProvider: "FARGATE", base: 2, weight: 1 },
                { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
            ]);
        });

        it("runs at least 3 API tasks over 3 Availability Zones, scaling 3 to 20 on CPU and requests", () => {
            assert.equal(service(prod, "api").inputs.desiredCount, 3);
            assert.equal(vpc(prod).numberOfAvailabilityZones, 3);
            assert.equal(service(prod, "api").inputs.networkConfiguration.subnets.length, 3);
            assert.deepEqual([targetOf(prod, "api").inputs.minCapacity, targetOf(prod, "api").inputs.maxCapacity], [3, 20]);
            const metrics = ofType(prod, T.scalingPolicy)
                .filter((p) => p.parent === service(prod, "api").parent)
                .map((p) => p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType);
            assert.deepEqual(metrics.sort(), ["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization"]);
        });

        it("serves HTTPS with a DNS-validated certificate for its domain and redirects HTTP", () => {
            const cert = one(prod, "aws:acm/certificate:Certificate").inputs;
            assert.deepEqual([cert.domainName, cert.validationMethod], ["app.example.com", "DNS"]);
            const validation = one(prod, "aws:acm/certificateValidation:CertificateValidation");
            const https = one(prod, T.listener, "prod-https").inputs;
            assert.equal(https.certificateArn, validation.outputs.certificateArn, "the listener waits for the validated certificate");
            assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            assert.equal(one(prod, T.listener, "prod-http").inputs.defaultActions[0].redirect.protocol, "HTTPS");
            const alias = ofType(prod, "aws:route53/record:Record").find((rec) => rec.name === "prod-alias")!.inputs;
            assert.deepEqual([alias.name, alias.type, alias.aliases[0].name], ["app.example.com", "A", one(prod, T.loadBalancer).outputs.dnsName]);
            assert.equal(prod.outputs.url, "https://app.example.com");
        });

        it("protects the load balancer from deletion and the stateful resources from Pulumi", () => {
            assert.equal(one(prod, T.loadBalancer).inputs.enableDeletionProtection, true);
            for (const r of [...ofType(prod, T.repository), ...ofType(prod, T.logGroup), ...ofType(prod, T.bucket)]) {
                assert.deepEqual([r.options.protect, r.options.retainOnDelete], [true, true], `${r.type} ${r.name}`);
            }
        });

        it("keeps logs 365 days, writes access logs, turns Container Insights on and keeps image tags immutable", () => {
            assert.ok(ofType(prod, T.logGroup).every((g) => g.inputs.retentionInDays === 365));
            assert.equal(one(prod, T.loadBalancer).inputs.accessLogs.enabled, true);
            assert.deepEqual(one(prod, T.cluster).inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
            assert.ok(ofType(prod, T.repository).every((r) => r.inputs.imageTagMutability === "IMMUTABLE" && r.inputs.forceDelete === false));
        });

        it("puts tasks in private subnets without public IPs, behind one NAT gateway per zone", () => {
            assert.deepEqual(vpc(prod).natGateways, { strategy: "OnePerAz" });
            for (const name of ["api", "worker"]) {
                const net = service(prod, name).inputs.networkConfiguration;
                assert.equal(net.assignPublicIp, false);
                assert.deepEqual(net.subnets, one(prod, "awsx:ec2:Vpc").outputs.privateSubnetIds);
            }
        });
    });

    describe("isolation", () => {
        it("gives each environment its own cluster", () => {
            assert.notEqual(one(dev, T.cluster).outputs.name, one(prod, T.cluster).outputs.name);
        });

        it("puts the environment in every physical name, and no name of one environment appears in the other", () => {
            const names = (r: ProgramRun) => r.resources.filter((x) => x.custom).map(physicalName).filter((n): n is string => typeof n === "string");
            const devNames = names(dev);
            const prodNames = names(prod);
            assert.ok(devNames.length > 15 && prodNames.length > 15);
            for (const name of devNames) assert.ok(name.includes("dev"), `dev resource named ${name}`);
            for (const name of prodNames) assert.ok(name.includes("prod"), `prod resource named ${name}`);
            const shared = devNames.filter((n) => prodNames.includes(n));
            assert.deepEqual(shared, []);
        });

        it("tags every taggable resource with its environment and project", () => {
            for (const r of [dev, prod]) {
                // docker-build's `tags` name the image; every other `tags` input is AWS tags.
                const taggable = r.resources.filter((x) => "tags" in x.inputs && x.type !== "docker-build:index:Image");
                assert.ok(taggable.length > 20);
                for (const x of taggable) {
                    assert.equal(x.inputs.tags.environment, r.stack, `${x.type} ${x.name}`);
                    assert.equal(x.inputs.tags.project, "fargate-service", `${x.type} ${x.name}`);
                }
            }
        });
    });

    describe("services of an environment", () => {
        it("shares one cluster and one load balancer, and keeps the worker off it", () => {
            assert.equal(ofType(dev, T.cluster).length, 1);
            assert.equal(ofType(dev, T.loadBalancer).length, 1);
            const cluster = one(dev, T.cluster);
            for (const s of ofType(dev, T.service)) assert.ok(s.propertyDependencies.cluster.includes(cluster.urn));
            assert.equal(service(dev, "worker").inputs.loadBalancers, undefined);
            assert.equal(ofType(dev, T.targetGroup).length, 1);
        });

        it("routes several web services through one load balancer by host and path rules", async () => {
            const r = await planConfig("dev", {
                preset: "dev",
                services: {
                    web: { image: { uri: "nginx:1" }, loadBalancer: { rule: { priority: 20, pathPatterns: ["/*"] } } },
                    api: { image: { uri: "nginx:1" }, loadBalancer: { rule: { priority: 10, hostHeaders: ["api.example.com"] } } },
                },
            });
            assert.equal(ofType(r, T.loadBalancer).length, 1);
            const rules = ofType(r, T.listenerRule).map((x) => [x.inputs.priority, x.inputs.conditions]);
            assert.deepEqual(rules.sort(), [
                [10, [{ hostHeader: { values: ["api.example.com"] } }]],
                [20, [{ pathPattern: { values: ["/*"] } }]],
            ]);
        });

        it("builds the dev API from its Docker context and pins the image by digest", () => {
            const image = one(dev, "docker-build:index:Image").inputs;
            assert.equal(image.context.location, "examples/app");
            assert.match(json(ofType(dev, T.taskDefinition).find((t) => t.name === "dev-api")!.inputs.containerDefinitions)[0].image, /@sha256:/);
        });
    });

    describe("workers, scheduled tasks and alarms", () => {
        it("runs dev's queue worker on queue depth, down to zero, and prod's on backlog per task", () => {
            const devDepth = ofType(dev, T.scalingPolicy).filter((p) => p.name.startsWith("dev-jobs-"));
            assert.deepEqual(devDepth.map((p) => p.inputs.stepScalingPolicyConfiguration?.adjustmentType), ["ExactCapacity", "ExactCapacity"]);
            const devTarget = ofType(dev, T.scalableTarget).find((t) => t.name === "dev-jobs")!;
            assert.equal(devTarget.inputs.minCapacity, 0);
            const prodBacklog = ofType(prod, T.scalingPolicy).find((p) => p.name === "prod-jobs-backlog")!;
            assert.equal(prodBacklog.inputs.targetTrackingScalingPolicyConfiguration.targetValue, 50);
        });

        it("runs the nightly job on Spot in dev and on-demand in prod", () => {
            const strategy = (r: ProgramRun) => one(r, "aws:scheduler/schedule:Schedule").inputs.target.ecsParameters.capacityProviderStrategies;
            assert.deepEqual(strategy(dev), [{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }]);
            assert.deepEqual(strategy(prod), [{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
        });

        it("alarms in prod only, to one topic that e-mails on-call; both have a dashboard", () => {
            assert.equal(ofType(dev, "aws:sns/topic:Topic").length, 0);
            assert.ok(ofType(dev, "aws:cloudwatch/metricAlarm:MetricAlarm").every((a) => a.name.startsWith("dev-jobs-")), "dev has only its worker's scaling alarms");
            const topic = one(prod, "aws:sns/topic:Topic");
            const alarms = ofType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => (a.inputs.alarmActions ?? []).includes(topic.outputs.arn));
            assert.equal(alarms.length, 12);
            assert.equal(one(prod, "aws:sns/topicSubscription:TopicSubscription").inputs.endpoint, "oncall@example.com");
            for (const r of [dev, prod]) assert.equal(one(r, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardName, `fargate-service-${r.stack}`);
        });
    });

    describe("a new environment", () => {
        it("works from a stack file with only the required keys", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "staging-"));
            fs.copyFileSync(path.join(root, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            fs.writeFileSync(
                path.join(dir, "Pulumi.staging.yaml"),
                ["config:", "  fargate-service:preset: dev", "  fargate-service:services:", "    web:", "      image:", "        uri: public.ecr.aws/nginx/nginx-unprivileged:1.27"].join("\n"),
            );
            const r = await plan("staging", dir);
            assert.equal(ofType(r, T.service).length, 1);
            assert.equal(one(r, T.service).name, "staging-web");
            assert.match(String(r.outputs.url), /^http:\/\/staging-/);
        });
    });
});
