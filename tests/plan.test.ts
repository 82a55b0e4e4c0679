import * as assert from "node:assert/strict";
import * as YAML from "yaml";
import * as fs from "node:fs";
import * as path from "node:path";
import { SECURITY_HUB_CONTROLS } from "../analysis/controlIds";
import type { PlanDocument } from "../plan/plan";
import { renderDeploy } from "../plan/report";
import { projectRoot, stackDirectory } from "./planFixtures";

let planStack: typeof import("../plan/plan").planStack;
let dev: PlanDocument;
let prod: PlanDocument;
before(async () => {
    ({ planStack } = await import("../plan/plan"));
    dev = await planStack(projectRoot, "dev");
    prod = await planStack(projectRoot, "prod");
});

function countsByType(plan: PlanDocument): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of plan.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
}

function declaredWaivers(stack: string): string[] {
    const doc = YAML.parse(fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8"));
    return Object.keys(doc.config["fargate-service:waivers"] ?? {}).sort();
}

describe("offline plan", () => {
    describe("resources", () => {
        // dev: api and worker services, the jobs queue worker, the cleanup scheduled task; no HTTPS, no alarms.
        it("counts what dev creates, by type", () => {
            const counts = countsByType(dev);
            assert.deepEqual(
                {
                    services: counts["aws:ecs/service:Service"],
                    taskDefinitions: counts["aws:ecs/taskDefinition:TaskDefinition"],
                    clusters: counts["aws:ecs/cluster:Cluster"],
                    loadBalancers: counts["aws:lb/loadBalancer:LoadBalancer"],
                    listeners: counts["aws:lb/listener:Listener"],
                    targetGroups: counts["aws:lb/targetGroup:TargetGroup"],
                    repositories: counts["aws:ecr/repository:Repository"],
                    images: counts["docker-build:index:Image"],
                    roles: counts["aws:iam/role:Role"],
                    buckets: counts["aws:s3/bucket:Bucket"],
                    certificates: counts["aws:acm/certificate:Certificate"],
                    vpcs: counts["aws:ec2/vpc:Vpc"],
                    awsxVpcs: counts["awsx:ec2:Vpc"],
                    subnets: counts["aws:ec2/subnet:Subnet"],
                },
                // 4 workloads × (execution + task role) + the scheduler's role = 9. The dual-stack VPC's two
                // public subnets hold the tasks too: its ECR Public images keep them off IPv6-only subnets.
                { services: 3, taskDefinitions: 4, clusters: 1, loadBalancers: 1, listeners: 1, targetGroups: 1, repositories: 1, images: 1, roles: 9, buckets: undefined, certificates: undefined, vpcs: 1, awsxVpcs: undefined, subnets: 2 },
            );
        });

        // prod adds HTTPS (certificate, validation and alias records), access logs and alarms to a topic; it creates no
        // repository: its tags are read from the release repositories CI pushes to.
        it("counts what prod creates, by type", () => {
            const counts = countsByType(prod);
            assert.deepEqual(
                {
                    services: counts["aws:ecs/service:Service"],
                    listeners: counts["aws:lb/listener:Listener"],
                    repositories: counts["aws:ecr/repository:Repository"],
                    images: counts["docker-build:index:Image"],
                    buckets: counts["aws:s3/bucket:Bucket"],
                    certificates: counts["aws:acm/certificate:Certificate"],
                    records: counts["aws:route53/record:Record"],
                    scalingPolicies: counts["aws:appautoscaling/policy:Policy"],
                    alarms: counts["aws:cloudwatch/metricAlarm:MetricAlarm"],
                    topics: counts["aws:sns/topic:Topic"],
                    schedules: counts["aws:scheduler/schedule:Schedule"],
                    queues: counts["aws:sqs/queue:Queue"],
                },
                // Scaling: api on CPU and requests, worker on CPU, jobs on backlog per task. Alarms: 6 for the
                // load-balanced api and its 2 deployment gates (5xx, unhealthy targets), 3 each for worker and jobs. Queues: jobs, its dead letters, cleanup's dead letters.
                { services: 3, listeners: 2, repositories: undefined, images: undefined, buckets: 1, certificates: 1, records: 2, scalingPolicies: 4, alarms: 14, topics: 1, schedules: 1, queues: 3 },
            );
        });

        it("keeps each resource's urn, type, name, parent and inputs", () => {
            const service = dev.resources.find((r) => r.type === "aws:ecs/service:Service" && r.name === "dev-api")!;
            assert.match(service.urn, /^urn:pulumi:dev::fargate-service::.*aws:ecs\/service:Service::dev-api$/);
            assert.ok(dev.resources.some((r) => r.urn === service.parent && r.type === "fargate-service:index:FargateService"));
            assert.equal(service.inputs.desiredCount, 1);
        });

        it("marks protected resources", () => {
            assert.ok(prod.resources.filter((r) => r.protect).length >= 5);
            assert.equal(dev.resources.filter((r) => r.protect).length, 0);
        });
    });

    describe("controls", () => {
        it("reports every Security Hub control of the list, with a status", () => {
            for (const id of SECURITY_HUB_CONTROLS) assert.ok(dev.controls.some((c) => c.id === id), id);
        });

        it("passes every control in prod; the ECR controls do not apply, as prod creates no repository and no repository policy, nor network-listener-tls, as it has no Network Load Balancer", () => {
            const notPassing = prod.controls.filter((c) => c.status !== "pass");
            assert.deepEqual(
                notPassing.map((c) => `${c.id}: ${c.status}`),
                ["ECR.1: not-applicable", "ECR.2: not-applicable", "ECR.3: not-applicable", "ecr-lifecycle-rules: not-applicable", "ecr-pull-only: not-applicable", "service-connect-callers: not-applicable", "network-listener-tls: not-applicable"],
            );
        });

        it("fails in dev exactly the controls dev's stack file waives, each with its reason", () => {
            assert.deepEqual(dev.controls.filter((c) => c.status === "fail").map((c) => c.id), []);
            const waived = dev.controls.filter((c) => c.status === "waived");
            assert.deepEqual(waived.map((c) => c.id).sort(), declaredWaivers("dev"));
            for (const c of waived) assert.ok(c.waiver && c.waiver.length >= 10 && c.reason, c.id);
            assert.deepEqual(dev.controls.filter((c) => c.unusedWaiver), []);
        });

        it("names the failing resource and the reason", async () => {
            const dir = stackDirectory("qa", ["fargate-service:preset: dev", "fargate-service:services:", "  web:", "    image:", "      uri: nginx:1", "    logs:", "      retentionDays: 14"].join("\n"));
            const plan = await planStack(dir, "qa");
            const retention = plan.controls.find((c) => c.id === "CloudWatch.16")!;
            assert.equal(retention.status, "fail");
            assert.equal(retention.resource, "qa-web");
            assert.equal(retention.reason, "keeps events 14 days");
        });
    });

    describe("deploy time", () => {
        it("estimates prod's rolling update of the API by the formula", () => {
            // 3 tasks at 200%: one wave. 45 s start + 10 s app + 5 s health interval + 10 s drain + 5 s stop, + the
            // deployment alarms' bake (prod watches the 5xx and unhealthy gates: 2 × 60 s), + 15 s steady state.
            const api = prod.deploy.rollingUpdates.find((u) => u.service === "prod-api")!;
            assert.deepEqual([api.desired, api.batch, api.waves], [3, 3, 1]);
            assert.equal(api.seconds, 45 + 10 + 5 + 10 + 5 + 120 + 15);
            assert.equal(api.waits.alarms, 120, "read from the two gates the stack makes: 60 s × 2 evaluation periods");
        });

        it("brings prod's API rollout to 90 s, and says the alarms' bake is what keeps the update above it", () => {
            const api = prod.deploy.rollingUpdates.find((u) => u.service === "prod-api")!;
            assert.equal(api.rolloutSeconds + prod.deploy.assumptions.steadyStateCheckSeconds, 90, "115 s before: 10 s checks and 30 s drain");
            const safeLeft = api.levers.filter((l) => l.safe && !l.upTo);
            assert.deepEqual(safeLeft, [], "no counted safe lever is left: health check at ALB's minimum, drain at its floor, one wave");
            const bake = api.levers.find((l) => l.id === "alarm-bake")!;
            assert.deepEqual([bake.seconds, bake.safe], [60, false]);
            const text = renderDeploy(prod);
            assert.match(text, /prod-api\s+3 min 30 s/);
            assert.match(text, /rollout 1 min 30 s with its steady-state check, then 2 min 00 s of alarm bake/);
            assert.match(text, /deployment alarms on 1 datapoint instead of 2 −60 s \(not taken: weakens the gate\)/);
            assert.match(text, /image start, every service: zstd image layers \(made in the release flow\), up to −12 s a deploy; AWS measured task start up to 27% shorter/);
        });

        it("needs more waves when the maximum percent leaves less room", async () => {
            const dir = stackDirectory("qa", ["fargate-service:preset: dev", "fargate-service:services:", "  web:", "    image:", "      uri: nginx:1", "    desiredCount: 4", "    scaling:", "      min: 4", "      max: 8", "    deployment:", "      minHealthyPercent: 100", "      maxPercent: 150"].join("\n"));
            const web = (await planStack(dir, "qa")).deploy.rollingUpdates[0];
            // 150% of 4 allows 2 extra tasks: two waves of 45 + 10 + 5 (dev's 5 s interval) + 5 (dev's drain) + 5.
            assert.deepEqual([web.batch, web.waves], [2, 2]);
            assert.equal(web.seconds, 2 * (45 + 10 + 5 + 5 + 5) + 15);
        });

        it("follows the longest chain of the first deploy: NAT gateways, then the load balancer, then the service", () => {
            const path = prod.deploy.criticalPath.map((s) => s.type);
            assert.equal(path[0], "awsx:ec2:Vpc");
            assert.ok(path.includes("aws:lb/loadBalancer:LoadBalancer"));
            assert.ok(path.includes("aws:ecs/service:Service"));
            const finish = prod.deploy.criticalPath[prod.deploy.criticalPath.length - 1].finishesAt;
            assert.equal(prod.deploy.firstDeploySeconds, finish);
            assert.ok(prod.deploy.firstDeploySeconds > dev.deploy.firstDeploySeconds, "prod waits for its NAT gateways; dev has none");
        });
    });

    describe("diagram", () => {
        it("draws the network, the load balancer, the services, their images and roles", () => {
            const m = prod.diagram.mermaid;
            assert.match(m, /^flowchart LR/);
            for (const text of ["VPC 10.0.0.0/16", "private subnets", "NAT gateway × 3", "Application Load Balancer", "prod-api", "prod-worker", "ECR", "IAM role", "HTTPS 443"]) {
                assert.ok(m.includes(text), text);
            }
            assert.match(prod.diagram.dot, /^digraph environment \{/);
        });
    });
});
