import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { ProgramRun } from "../plan/engine";
import type { FargateServiceArgs } from "../components";
import { runPreflight, PreflightResource } from "../core/preflight";
import { HIGH_RISK_PORTS } from "../core/aws/internetPorts";
import { networkLoadBalancerProblems } from "../core/networkLoadBalancer";
import { fargateServiceArgsSchema } from "../core/serviceSchema";
import { TASK_TYPES as T, ofType, one, run, throwsProblems } from "./helpers";

/**
 * A service behind a Network Load Balancer (issue 16, item 3): what the component creates, what it
 * refuses before anything is created, and AWS's rules on the resources that come out.
 */

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";
const broker = (extra: Partial<NonNullable<FargateServiceArgs["networkLoadBalancer"]>> = {}, service: Partial<FargateServiceArgs> = {}): FargateServiceArgs => ({
    vpcId: "vpc-0abc",
    subnetIds: ["subnet-private-a", "subnet-private-b"],
    image: { uri: "public.ecr.aws/docker/library/rabbitmq:4" },
    container: { port: 5672 },
    networkLoadBalancer: { subnetIds: ["subnet-public-a", "subnet-public-b"], listeners: [{ port: 5671, protocol: "TLS" }, { port: 5672 }], certificateArn, allowedCidrs: ["203.0.113.0/24"], ...extra },
    ...service,
});

async function service(args: FargateServiceArgs): Promise<ProgramRun> {
    return run(() => {
        new components.FargateService("mq", args);
    });
}

const problems = (args: unknown) => {
    const parsed = fargateServiceArgsSchema.safeParse(args);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("Network Load Balancer services", () => {
    describe("what a service behind a Network Load Balancer creates", () => {
        let r: ProgramRun;
        before(async () => {
            r = await service(broker());
        });

        it("creates one network load balancer, created with its own security group, and no application load balancer", () => {
            const lb = one(r, T.loadBalancer);
            assert.equal(lb.inputs.loadBalancerType, "network");
            assert.equal(lb.inputs.securityGroups.length, 1);
            assert.equal(lb.inputs.enableCrossZoneLoadBalancing, true);
            assert.equal(lb.inputs.internal, false);
        });

        it("sends both listeners to one ip target group on the container port, checked by TCP connections without path or matcher", () => {
            const tg = one(r, T.targetGroup);
            assert.deepEqual([tg.inputs.targetType, tg.inputs.protocol, tg.inputs.port], ["ip", "TCP", 5672]);
            assert.equal(tg.inputs.healthCheck.protocol, "TCP");
            assert.equal(tg.inputs.healthCheck.path, undefined);
            assert.equal(tg.inputs.healthCheck.matcher, undefined);
            assert.equal(tg.inputs.preserveClientIp, "false");
            assert.equal(tg.inputs.deregistrationDelay, 30);
            const forwards = ofType(r, T.listener).map((l) => l.inputs.defaultActions[0].targetGroupArn);
            assert.equal(forwards.length, 2);
        });

        it("terminates TLS with the certificate and an explicit TLS 1.3 policy, and passes the TCP listener through without one", () => {
            const byPort = new Map(ofType(r, T.listener).map((l) => [l.inputs.port, l.inputs]));
            assert.deepEqual([byPort.get(5671)!.protocol, byPort.get(5671)!.certificateArn, byPort.get(5671)!.sslPolicy], ["TLS", certificateArn, "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
            assert.deepEqual([byPort.get(5672)!.protocol, byPort.get(5672)!.certificateArn, byPort.get(5672)!.sslPolicy], ["TCP", undefined, undefined]);
        });

        it("lets the tasks admit the load balancer's group only, on the container port, and the group admit the allowed networks on the listener ports only", () => {
            const lbGroup = one(r, T.loadBalancer).inputs.securityGroups[0];
            const ingress = ofType(r, T.ingress);
            const toTasks = ingress.filter((i) => i.inputs.referencedSecurityGroupId !== undefined);
            assert.equal(toTasks.length, 1);
            assert.deepEqual([toTasks[0].inputs.referencedSecurityGroupId, toTasks[0].inputs.fromPort, toTasks[0].inputs.toPort], [lbGroup, 5672, 5672]);
            const fromClients = ingress.filter((i) => i.inputs.securityGroupId === lbGroup);
            assert.deepEqual(fromClients.map((i) => [i.inputs.cidrIpv4, i.inputs.fromPort]).sort(), [["203.0.113.0/24", 5671], ["203.0.113.0/24", 5672]]);
            const fromLb = ofType(r, T.egress).filter((e) => e.inputs.securityGroupId === lbGroup);
            assert.deepEqual(fromLb.map((e) => [e.inputs.fromPort, e.inputs.toPort]), [[5672, 5672]]);
        });

        it("registers the ECS service with the target group once the listeners exist", () => {
            const svc = one(r, T.service);
            assert.deepEqual(svc.inputs.loadBalancers.map((l: { containerPort: number }) => l.containerPort), [5672]);
            const listeners = new Set(ofType(r, T.listener).map((l) => l.urn));
            assert.ok([...listeners].every((urn) => svc.dependencies?.includes(urn)), "the service waits for every listener");
        });

        it("passes every preflight rule of AWS", () => {
            assert.deepEqual(runPreflight(r.resources).map((f) => `${f.rule} ${f.key}: ${f.message}`), []);
        });
    });

    it("makes an HTTP health check ask for / with 200-399 when the service says only protocol HTTP", async () => {
        const r = await service(broker({ healthCheck: { protocol: "HTTP" } }));
        const check = one(r, T.targetGroup).inputs.healthCheck;
        assert.deepEqual([check.protocol, check.path, check.matcher], ["HTTP", "/", "200-399"]);
    });

    it("gives tasks in IPv6-only subnets a dual-stack load balancer and an IPv6 target group", async () => {
        const r = await service(broker({}, { ipStack: "ipv6" }));
        assert.equal(one(r, T.loadBalancer).inputs.ipAddressType, "dualstack");
        assert.equal(one(r, T.targetGroup).inputs.ipAddressType, "ipv6");
    });

    describe("what is refused before anything is created", () => {
        it("refuses a TLS listener without a certificate, naming the listener", () => {
            throwsProblems(() => new components.FargateService("mq", broker({ certificateArn: undefined })), "networkLoadBalancer.listeners[0].protocol", "needs certificateArn");
        });

        it("refuses a path or matcher on a TCP health check, as AWS does", () => {
            assert.deepEqual(problems(broker({ healthCheck: { path: "/health", matcher: "200" } })).map((p) => p.split(":")[0]), ["networkLoadBalancer.healthCheck.path", "networkLoadBalancer.healthCheck.matcher"]);
        });

        it("refuses TLS settings and access logs on a load balancer without a TLS listener", () => {
            const found = problems(broker({ listeners: [{ port: 7000 }], alpnPolicy: "HTTP2Preferred", accessLogs: { bucket: "logs" } }));
            assert.deepEqual(found.map((p) => p.split(":")[0]).sort(), ["networkLoadBalancer.accessLogs", "networkLoadBalancer.alpnPolicy", "networkLoadBalancer.certificateArn"]);
        });

        it("refuses two listeners on one port", () => {
            assert.deepEqual(problems(broker({ listeners: [{ port: 7000 }, { port: 7000, protocol: "TLS" }] })), [
                "networkLoadBalancer.listeners.1.port: 7000 is also listeners[0]'s port: a load balancer has one listener per port (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html)",
            ]);
        });

        it("refuses a high-risk port open to the whole internet when allowedCidrs is left out, and accepts it for named networks", () => {
            const open = problems(broker({ listeners: [{ port: 5432 }], certificateArn: undefined, allowedCidrs: undefined }));
            assert.equal(open.length, 1);
            assert.match(open[0], /^networkLoadBalancer\.listeners\.0\.port: 5432 is a high-risk port \(Security Hub EC2\.19/);
            assert.deepEqual(problems(broker({ listeners: [{ port: 5432 }], certificateArn: undefined, allowedCidrs: ["10.0.0.0/8"] })), []);
        });

        it("refuses an Application Load Balancer argument beside the Network Load Balancer", () => {
            assert.deepEqual(problems(broker({}, { loadBalancer: { subnetIds: ["subnet-a", "subnet-b"] } })).map((p) => p.split(":")[0]), ["loadBalancer"]);
            assert.deepEqual(problems(broker({}, { loadBalancer: { enabled: false } })), []);
        });

        it("refuses blue/green, request-count scaling and 5xx deployment alarms, which need the Application Load Balancer", () => {
            const found = problems(broker({}, { deployment: { strategy: "blueGreen", alarms: { loadBalancerAlarms: true } }, scaling: { requestsPerTarget: 100 } }));
            assert.deepEqual(found.map((p) => p.split(":")[0]).sort(), ["deployment.alarms.loadBalancerAlarms", "deployment.strategy", "scaling.requestsPerTarget"]);
            assert.ok(found.some((p) => p.includes("blueGreen is offered behind the Application Load Balancer only")));
        });

        it("refuses a drain that outlasts the Fargate Spot notice", () => {
            assert.deepEqual(problems(broker({ deregistrationDelay: 120 })).map((p) => p.split(":")[0]), ["networkLoadBalancer.deregistrationDelay"]);
        });

        it("refuses an IPv4-only load balancer for tasks in IPv6-only subnets", () => {
            assert.deepEqual(problems(broker({ ipAddressType: "ipv4" }, { ipStack: "ipv6" })).map((p) => p.split(":")[0]), ["networkLoadBalancer.ipAddressType"]);
        });
    });

    describe("the rules as properties", () => {
        const port = fc.integer({ min: 1, max: 65535 });

        it("refuses every high-risk listener port open to the internet, and only those, whatever the other ports", () => {
            fc.assert(
                fc.property(fc.uniqueArray(port, { minLength: 1, maxLength: 8 }), fc.boolean(), (ports, dualstack) => {
                    const nlb = { listeners: ports.map((p) => ({ port: p })) };
                    const flagged = networkLoadBalancerProblems(nlb, dualstack ? ["0.0.0.0/0", "::/0"] : ["0.0.0.0/0"]).map((p) => p.path[1]);
                    const risky = ports.flatMap((p, i) => (HIGH_RISK_PORTS.includes(p) ? [i] : []));
                    assert.deepEqual(flagged, risky);
                }),
            );
        });

        it("never refuses a port when the allowed networks leave out the whole internet", () => {
            fc.assert(
                fc.property(fc.uniqueArray(port, { minLength: 1, maxLength: 8 }), (ports) => {
                    assert.deepEqual(networkLoadBalancerProblems({ listeners: ports.map((p) => ({ port: p })), allowedCidrs: ["10.0.0.0/8", "2001:db8::/32"] }, ["0.0.0.0/0"]), []);
                }),
            );
        });

        it("reports each repeated listener port once per repetition, at the repetition", () => {
            fc.assert(
                fc.property(fc.array(fc.constantFrom(7000, 7001, 7002), { minLength: 1, maxLength: 8 }), (ports) => {
                    const flagged = networkLoadBalancerProblems({ listeners: ports.map((p) => ({ port: p })), allowedCidrs: ["10.0.0.0/8"] }, []).map((p) => p.path[1]);
                    const repeats = ports.flatMap((p, i) => (ports.indexOf(p) < i ? [i] : []));
                    assert.deepEqual(flagged, repeats);
                }),
            );
        });
    });

    describe("AWS's rules on the resources (preflight)", () => {
        const urn = (name: string) => `urn:pulumi:test::proj::x::${name}`;
        const record = (type: string, name: string, inputs: Record<string, unknown>, extra: Partial<PreflightResource> = {}): PreflightResource => ({ urn: urn(name), type, name, inputs, ...extra });
        const rules = (resources: PreflightResource[]) => runPreflight(resources).map((f) => `${f.rule} ${f.key}`);

        it("refuses a network load balancer created without a security group, which AWS could never give one later", () => {
            assert.deepEqual(rules([record(T.loadBalancer, "nlb", { loadBalancerType: "network", securityGroups: [] })]), ["elbv2.loadBalancer.networkSecurityGroups securityGroups"]);
            assert.deepEqual(rules([record(T.loadBalancer, "nlb", { loadBalancerType: "network", securityGroups: ["sg-1"] })]), []);
            assert.deepEqual(rules([record(T.loadBalancer, "alb", { loadBalancerType: "application", subnets: ["a", "b"] })]), []);
        });

        it("refuses a path or matcher on a TCP health check, and a TCP check of an HTTP target group", () => {
            assert.deepEqual(rules([record(T.targetGroup, "tg", { protocol: "TCP", healthCheck: { protocol: "TCP", path: "/", matcher: "200" } })]), [
                "elbv2.targetGroup.tcpHealthCheck healthCheck.path",
                "elbv2.targetGroup.tcpHealthCheck healthCheck.matcher",
            ]);
            assert.deepEqual(rules([record(T.targetGroup, "tg", { protocol: "HTTP", healthCheck: { protocol: "TCP" } })]), ["elbv2.targetGroup.tcpHealthCheck healthCheck.protocol"]);
        });

        it("refuses a TLS listener without a certificate, and an ALPN policy or a security policy on a TCP listener", () => {
            assert.deepEqual(rules([record(T.listener, "l", { protocol: "TLS", port: 443 })]), ["elbv2.listener.certificate certificateArn"]);
            assert.deepEqual(rules([record(T.listener, "l", { protocol: "TCP", port: 7000, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", alpnPolicy: "HTTP2Only" })]), [
                "elbv2.listener.certificate sslPolicy",
                "elbv2.listener.certificate alpnPolicy",
            ]);
        });

        it("refuses a listener protocol its load balancer's type does not have, and two listeners on one port", () => {
            const nlb = record(T.loadBalancer, "nlb", { loadBalancerType: "network", securityGroups: ["sg-1"] });
            const listener = (name: string, protocol: string, port: number) => record(T.listener, name, { protocol, port, loadBalancerArn: undefined }, { propertyDependencies: { loadBalancerArn: [nlb.urn] } });
            assert.deepEqual(rules([nlb, listener("a", "HTTP", 80), listener("b", "TCP", 80)]), ["elbv2.listener.protocolForType protocol", "elbv2.listener.protocolForType port"]);
        });
    });
});
