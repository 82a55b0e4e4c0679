import * as assert from "node:assert/strict";
import type { ProgramRun } from "../plan/engine";
import type { FargateServiceArgs } from "../components";
import { json, ofType, one, run, throwsProblems } from "./helpers";

/** ECS Service Connect from TypeScript: the namespace, the services' settings and who may call whom. */

let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const nginx = { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" };
const CA = "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const T = {
    namespace: "aws:servicediscovery/httpNamespace:HttpNamespace",
    cluster: "aws:ecs/cluster:Cluster",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

/** orders calls payments; both in one cluster with a namespace (and TLS when asked). */
function platform(options: { tls?: boolean; outboundTraffic?: "all" | "https"; payments?: Partial<FargateServiceArgs> } = {}): Promise<ProgramRun> {
    return run(() => {
        const cluster = new components.FargateCluster("shop", { serviceConnect: options.tls ? { tls: { privateCaArn: CA } } : {} });
        const placement = { ...network, cluster: { arn: cluster.arn, name: cluster.name } };
        const payments = new components.FargateService("payments", {
            ...placement,
            image: nginx,
            loadBalancer: { enabled: false },
            container: { port: 9000 },
            serviceConnect: { namespace: cluster.serviceConnectNamespaceArn!, name: "payments", appProtocol: "grpc", tls: cluster.serviceConnectTls },
            ...options.payments,
        });
        new components.FargateService("orders", {
            ...placement,
            image: nginx,
            loadBalancer: { enabled: false },
            outboundTraffic: options.outboundTraffic,
            serviceConnect: { namespace: cluster.serviceConnectNamespaceArn!, calls: [payments.serviceConnectEndpoint!] },
        });
        return {};
    });
}

const named = (r: ProgramRun, type: string, fragment: string) => ofType(r, type).filter((x) => x.name.includes(fragment));

describe("ECS Service Connect in TypeScript", () => {
    describe("a cluster with a namespace and two services, orders calling payments", () => {
        let r: ProgramRun;
        before(async () => {
            r = await platform();
        });

        it("creates one HTTP namespace, named after the cluster, and makes it the cluster's default", () => {
            const ns = one(r, T.namespace);
            assert.equal(ns.inputs.name, "shop");
            assert.ok(ns.outputs.arn, "the mock engine gives the namespace an ARN");
            assert.equal(one(r, T.cluster).inputs.serviceConnectDefaults.namespace, ns.outputs.arn);
        });

        it("publishes payments under its name at its container port, with a client alias and the proxy's logs in its log group", () => {
            const svc = named(r, T.service, "payments")[0];
            const sc = svc.inputs.serviceConnectConfiguration;
            assert.equal(sc.enabled, true);
            assert.deepEqual(sc.services.map((s: any) => ({ portName: s.portName, discoveryName: s.discoveryName, clientAlias: s.clientAlias })), [
                { portName: "app-9000", discoveryName: "payments", clientAlias: [{ dnsName: "payments", port: 9000 }] },
            ]);
            assert.equal(sc.logConfiguration.logDriver, "awslogs");
            assert.equal(sc.logConfiguration.options["awslogs-stream-prefix"], "service-connect");
            assert.match(sc.logConfiguration.options["awslogs-group"], /payments/);
        });

        it("names the port mapping the service publishes, with the protocol given", () => {
            const td = named(r, T.taskDefinition, "payments")[0];
            assert.deepEqual(json(td.inputs.containerDefinitions)[0].portMappings, [{ containerPort: 9000, protocol: "tcp", name: "app-9000", appProtocol: "grpc" }]);
        });

        it("makes orders a client only: it joins the namespace and publishes nothing", () => {
            const sc = named(r, T.service, "orders")[0].inputs.serviceConnectConfiguration;
            assert.equal(sc.enabled, true);
            assert.equal(sc.services, undefined);
        });

        it("lets payments' tasks admit orders' security group on port 9000 and nothing else", () => {
            const ordersGroup = named(r, T.securityGroup, "orders")[0];
            const paymentsGroup = named(r, T.securityGroup, "payments")[0];
            const rules = ofType(r, T.ingress).filter((x) => x.inputs.securityGroupId === paymentsGroup.outputs.id);
            assert.equal(rules.length, 1, JSON.stringify(rules.map((x) => x.inputs)));
            const [rule] = rules;
            assert.equal(rule.inputs.referencedSecurityGroupId, ordersGroup.outputs.id);
            assert.equal(rule.inputs.cidrIpv4, undefined);
            assert.equal(rule.inputs.cidrIpv6, undefined);
            assert.deepEqual([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort], ["tcp", 9000, 9000]);
        });

        it("adds no egress rule for a caller whose outbound traffic is already open", () => {
            assert.equal(ofType(r, T.egress).filter((x) => x.inputs.referencedSecurityGroupId !== undefined).length, 0);
        });

        it("creates orders' service after its rule into payments, and that rule after payments' service: orders' tasks start knowing payments' endpoint", () => {
            const orders = named(r, T.service, "orders")[0];
            const payments = named(r, T.service, "payments")[0];
            const rule = named(r, T.ingress, "orders-calls-payments")[0];
            assert.ok(orders.dependencies.includes(rule.urn), JSON.stringify(orders.dependencies));
            assert.ok((rule.propertyDependencies.securityGroupId ?? []).includes(payments.urn), JSON.stringify(rule.propertyDependencies));
        });

        it("sets no TLS without a Private CA", () => {
            assert.equal(named(r, T.service, "payments")[0].inputs.serviceConnectConfiguration.services[0].tls, undefined);
            assert.equal(named(r, T.role, "service-connect-tls").length, 0);
        });
    });

    it("gives a caller limited to HTTPS out a way to its callee's port, to the callee's group only", async () => {
        const r = await platform({ outboundTraffic: "https" });
        const paymentsGroup = named(r, T.securityGroup, "payments")[0];
        const rules = ofType(r, T.egress).filter((x) => x.inputs.referencedSecurityGroupId === paymentsGroup.outputs.id);
        assert.deepEqual(rules.map((x) => [x.inputs.fromPort, x.inputs.toPort]), [[9000, 9000]]);
    });

    describe("with TLS from a Private CA", () => {
        let r: ProgramRun;
        before(async () => {
            r = await platform({ tls: true });
        });

        it("creates the ECS infrastructure role, trusted by ecs.amazonaws.com, with AWS's Service Connect TLS policy", () => {
            const [role] = named(r, T.role, "service-connect-tls");
            assert.deepEqual(json(role.inputs.assumeRolePolicy).Statement.map((s: any) => s.Principal.Service), ["ecs.amazonaws.com"]);
            const [attachment] = named(r, T.attachment, "service-connect-tls");
            assert.equal(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity");
        });

        it("has the server's endpoint use the Private CA and the role", () => {
            const tls = named(r, T.service, "payments")[0].inputs.serviceConnectConfiguration.services[0].tls;
            assert.equal(tls.issuerCertAuthority.awsPcaAuthorityArn, CA);
            assert.equal(tls.roleArn, named(r, T.role, "service-connect-tls")[0].outputs.arn);
        });
    });

    describe("refuses, before anything is created", () => {
        const base = (serviceConnect: any, extra: Partial<FargateServiceArgs> = {}): FargateServiceArgs => ({ ...network, image: nginx, loadBalancer: { enabled: false }, serviceConnect, ...extra });
        const construct = (args: FargateServiceArgs) => () => new components.FargateService("svc", args);

        it("a name AWS would refuse, quoting it and the rule", () => {
            throwsProblems(construct(base({ namespace: "ns", name: "Payments" }, { container: { port: 80 } })), "serviceConnect.name", '"Payments"', "lower-case");
        });

        it("a name on a service with no port to publish", () => {
            throwsProblems(construct(base({ namespace: "ns", name: "worker" })), "serviceConnect.name", "container.port");
        });

        it("TLS on a service that publishes nothing", () => {
            throwsProblems(construct(base({ namespace: "ns", tls: { privateCaArn: CA, roleArn: "arn:aws:iam::123456789012:role/x" } })), "serviceConnect.tls", "without serviceConnect.name");
        });

        it("a Private CA ARN of the wrong shape, with the form expected", () => {
            throwsProblems(
                construct(base({ namespace: "ns", name: "api", tls: { privateCaArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc", roleArn: "r" } }, { container: { port: 80 } })),
                "serviceConnect.tls.privateCaArn",
                "certificate-authority/<uuid>",
            );
        });

        it("more than 1,000 tasks, in desiredCount and in scaling.max", () => {
            throwsProblems(construct(base({ namespace: "ns" }, { desiredCount: 1001 })), "desiredCount", "1001 is over 1000");
            throwsProblems(construct(base({ namespace: "ns" }, { scaling: { min: 2, max: 1500 } })), "scaling.max", "1500 is over 1000");
        });

        it("a client alias port outside 1 to 65535", () => {
            throwsProblems(construct(base({ namespace: "ns", name: "api", port: 70000 }, { container: { port: 80 } })), "serviceConnect.port");
        });

        it("a namespace name a cluster cannot use", () => {
            throwsProblems(() => new components.FargateCluster("c", { serviceConnect: { namespaceName: "a/b" } }), "serviceConnect.namespaceName", '"a/b"');
        });
    });
});
