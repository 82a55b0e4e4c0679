import * as assert from "node:assert/strict";
import * as path from "node:path";
import type { PlanDocument } from "../plan/plan";
import { projectRoot } from "./planFixtures";

/**
 * The README's platform example (examples/platform/Pulumi.platform.yaml), planned as a user plans
 * it: every piece issue 16 asks for is in the resources, AWS would refuse nothing, and no
 * mandatory control fails.
 */

type Resource = PlanDocument["resources"][number];

describe("the platform example stack", () => {
    let plan: PlanDocument;
    const of = (type: string) => plan.resources.filter((r) => r.type === type);
    const named = (type: string, name: string): Resource => {
        const found = of(type).find((r) => r.name === name);
        assert.ok(found, `${type} ${name} is not in the plan: ${of(type).map((r) => r.name).join(", ")}`);
        return found;
    };

    before(async () => {
        const { planStack } = await import("../plan/plan");
        plan = await planStack(path.join(projectRoot, "examples", "platform"), "platform");
    });

    it("plans with no resource AWS would refuse and no failing control, in prod's mandatory enforcement", () => {
        assert.deepEqual(plan.preflight.findings, []);
        assert.equal(plan.enforcement, "mandatory");
        assert.deepEqual(plan.controls.filter((c) => c.status === "fail").map((c) => `${c.id} ${c.resource}: ${c.reason}`), []);
        assert.deepEqual(plan.controls.filter((c) => c.status === "waived"), [], "the example waives nothing");
    });

    it("puts five web services behind one HTTPS load balancer, each on its own rule of the one listener", () => {
        assert.equal(of("aws:lb/loadBalancer:LoadBalancer").filter((lb) => (lb.inputs.loadBalancerType ?? "application") === "application").length, 1);
        const https = of("aws:lb/listener:Listener").filter((l) => l.inputs.protocol === "HTTPS");
        assert.equal(https.length, 1);
        const web = ["web", "api", "orders", "payments", "recommend"];
        for (const service of web) named("aws:lb/listenerRule:ListenerRule", `platform-${service}`);
    });

    it("lets the services call each other through Service Connect, each callee admitting only its callers", () => {
        assert.equal(of("aws:servicediscovery/httpNamespace:HttpNamespace").length, 1);
        const calls: [string, string][] = [["web", "api"], ["web", "recommend"], ["api", "orders"], ["api", "payments"], ["orders", "payments"]];
        const ingress = of("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        for (const [caller, callee] of calls) {
            const rule = ingress.find((r) => r.name === `platform-${caller}-calls-${callee}-in`);
            assert.ok(rule, `no rule admits ${caller} into ${callee}: ${ingress.map((r) => r.name).join(", ")}`);
            assert.equal(rule.inputs.cidrIpv4, undefined, "by security group, never an address range");
        }
        for (const callee of ["api", "orders", "payments", "recommend"]) {
            const service = named("aws:ecs/service:Service", `platform-${callee}`);
            const config = service.inputs.serviceConnectConfiguration as { enabled: boolean; services?: { clientAlias: { dnsName: string }[] }[] };
            assert.equal(config.enabled, true);
            assert.equal(config.services?.[0].clientAlias[0].dnsName, callee);
        }
    });

    it("runs the recommendations on GPU capacity from ECS Managed Instances", async () => {
        const provider = named("aws:ecs/capacityProvider:CapacityProvider", "platform-recommend-instances");
        assert.ok(provider.inputs.managedInstancesProvider);
        const task = named("aws:ecs/taskDefinition:TaskDefinition", "platform-recommend");
        assert.deepEqual(task.inputs.requiresCompatibilities, ["MANAGED_INSTANCES"]);
        const [app] = JSON.parse(String(task.inputs.containerDefinitions)) as { resourceRequirements?: { type: string; value: string }[] }[];
        assert.deepEqual(app.resourceRequirements, [{ type: "GPU", value: "1" }]);
        assert.ok(plan.cost.lines.some((line) => line.item.includes("g5.xlarge")), "the instances are priced");
        const { settingsSummary } = await import("../plan/settings");
        const summary = settingsSummary("aws:ecs/service:Service", named("aws:ecs/service:Service", "platform-recommend").inputs);
        assert.match(summary, /its own capacity provider w1/);
        assert.doesNotMatch(summary, /undefined/);
    });

    it("serves the TCP service from a Network Load Balancer of its own, over TLS, to the allowed network only", () => {
        const nlb = named("aws:lb/loadBalancer:LoadBalancer", "platform-ingest-nlb");
        assert.equal(nlb.inputs.loadBalancerType, "network");
        assert.equal((nlb.inputs.securityGroups as unknown[]).length, 1, "a security group from its creation");
        const listener = named("aws:lb/listener:Listener", "platform-ingest-nlb-6514");
        assert.deepEqual([listener.inputs.protocol, listener.inputs.sslPolicy], ["TLS", "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
        const open = of("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.startsWith("platform-ingest-nlb-"));
        assert.deepEqual(open.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4]), [[6514, "203.0.113.0/24"]]);
    });

    it("mounts the web service's media from the environment's EFS file system, protected and backed up", () => {
        const fs = of("aws:efs/fileSystem:FileSystem");
        assert.equal(fs.length, 1);
        assert.ok(fs[0].protect && fs[0].retainOnDelete);
        assert.deepEqual(of("aws:efs/backupPolicy:BackupPolicy").map((b) => b.inputs.backupPolicy), [{ status: "ENABLED" }]);
        const task = named("aws:ecs/taskDefinition:TaskDefinition", "platform-web");
        const efs = (task.inputs.volumes as { name: string; efsVolumeConfiguration?: { transitEncryption: string } }[]).filter((v) => v.efsVolumeConfiguration);
        assert.deepEqual(efs.map((v) => [v.name, v.efsVolumeConfiguration!.transitEncryption]), [["media", "ENABLED"]]);
        assert.match(plan.diagram.mermaid, /EFS file system<br\/>platform \(TLS \+ IAM\)/, "the diagram draws the file system");
        assert.match(plan.diagram.mermaid, /-->\|"mounts \/platform-web\/media"\|/, "and who mounts which directory of it");
    });

    it("deploys the main API blue/green, with a test rule for the new version", () => {
        const service = named("aws:ecs/service:Service", "platform-api");
        assert.equal((service.inputs.deploymentConfiguration as { strategy?: string }).strategy, "BLUE_GREEN");
        named("aws:lb/listenerRule:ListenerRule", "platform-api-test");
    });
});

describe("the plan's one-line summary of a target group", () => {
    it("names the health check's path over HTTP, and the protocol of a TCP check, never 'undefined'", async () => {
        const { settingsSummary } = await import("../plan/settings");
        const type = "aws:lb/targetGroup:TargetGroup";
        assert.equal(settingsSummary(type, { targetType: "ip", port: 8080, protocol: "HTTP", healthCheck: { path: "/health", interval: 5 }, deregistrationDelay: 10 }), "ip targets :8080 · health /health every 5s · drain 10s");
        assert.equal(settingsSummary(type, { targetType: "ip", port: 5672, protocol: "TCP", healthCheck: { protocol: "TCP", interval: 10 } }), "ip targets :5672 TCP · health tcp every 10s · drain 300s");
        assert.equal(settingsSummary(type, { targetType: "ip", port: 5672, protocol: "TCP" }), "ip targets :5672 TCP · health tcp every 30s · drain 300s");
    });
});
