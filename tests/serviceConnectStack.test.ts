import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { PlanDocument } from "../plan/plan";
import { resolveEnvironment } from "../stacks/environment";
import { SERVICE_NAME } from "../stacks/environmentSchema";
import { CLIENT_ALIAS_DNS_NAME, DISCOVERY_NAME, PRIVATE_CA_ARN, callProblems, creationOrder, serviceConnectEdges } from "../core/serviceConnect";
import { stackDirectory } from "./planFixtures";
import { settingsSummary } from "../plan/settings";

/** ECS Service Connect from a stack file: who calls whom, the namespace, the rules, the plan. */

const CA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const image = "      uri: public.ecr.aws/nginx/nginx-unprivileged:1.27";

/** web (load-balanced) calls orders; orders and payments call each other; payments calls itself. */
const shop = (extra = "") => `aws:region: us-east-1
fargate-service:preset: dev
fargate-service:dashboard: false
${extra}
fargate-service:services:
  web:
    image:
${image}
    calls: [orders]
  orders:
    image:
${image}
    loadBalancer: { enabled: false }
    container: { port: 8081 }
    calls: [payments]
  payments:
    image:
${image}
    loadBalancer: { enabled: false }
    container: { port: 9000 }
    serviceConnect: { appProtocol: grpc }
    calls: [orders, payments]`;

let planStack: typeof import("../plan/plan").planStack;
before(async () => {
    ({ planStack } = await import("../plan/plan"));
});

const T = {
    namespace: "aws:servicediscovery/httpNamespace:HttpNamespace",
    cluster: "aws:ecs/cluster:Cluster",
    service: "aws:ecs/service:Service",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    role: "aws:iam/role:Role",
};
const ofType = (p: PlanDocument, type: string): { name: string; inputs: any }[] => p.resources.filter((r) => r.type === type);
const serviceNamed = (p: PlanDocument, name: string) => ofType(p, T.service).find((r) => r.name === `dev-${name}`)!;

function rejects(config: Record<string, unknown>, ...fragments: string[]): void {
    assert.throws(
        () => resolveEnvironment(config, { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml" }),
        (error: Error) => {
            assert.equal(error.name, "ValidationError");
            for (const f of fragments) assert.ok(error.message.includes(f), `expected "${f}" in:\n${error.message}`);
            return true;
        },
    );
}

const svc = (extra: Record<string, unknown> = {}) => ({ image: { uri: "nginx:1" }, ...extra });

describe("ECS Service Connect from a stack file", () => {
    describe("a shop of three services calling one another", () => {
        let p: PlanDocument;
        before(async () => {
            p = await planStack(stackDirectory("dev", shop()), "dev");
        });

        it("creates one HTTP namespace named after the project and environment, the cluster's default", () => {
            const [ns] = ofType(p, T.namespace);
            assert.equal(ofType(p, T.namespace).length, 1);
            assert.equal(ns.inputs.name, "fargate-service-dev");
            assert.ok(ofType(p, T.cluster)[0].inputs.serviceConnectDefaults?.namespace);
        });

        it("publishes each called service under its name and port, and leaves web a client", () => {
            const published = (name: string) => serviceNamed(p, name).inputs.serviceConnectConfiguration?.services?.map((s: any) => `${s.discoveryName} ${s.clientAlias[0].dnsName}:${s.clientAlias[0].port}`);
            assert.deepEqual(published("orders"), ["orders orders:8081"]);
            assert.deepEqual(published("payments"), ["payments payments:9000"]);
            assert.equal(published("web"), undefined);
            assert.equal(serviceNamed(p, "web").inputs.serviceConnectConfiguration.enabled, true);
        });

        it("admits, on each callee, exactly its callers' security groups on its port, a self-call and a cycle included", () => {
            const groupOf = (name: string): string => serviceNamed(p, name).inputs.networkConfiguration.securityGroups[0];
            const admitted = (callee: string) =>
                ofType(p, T.ingress)
                    .filter((r) => r.inputs.securityGroupId === groupOf(callee) && r.inputs.referencedSecurityGroupId !== undefined)
                    .map((r) => {
                        const caller = ["web", "orders", "payments"].find((n) => groupOf(n) === r.inputs.referencedSecurityGroupId);
                        return `${caller}:${r.inputs.fromPort}-${r.inputs.toPort}${r.inputs.cidrIpv4 ?? ""}`;
                    })
                    .sort();
            assert.deepEqual(admitted("orders"), ["payments:8081-8081", "web:8081-8081"]);
            assert.deepEqual(admitted("payments"), ["orders:9000-9000", "payments:9000-9000"]);
        });

        it("creates each service after the services it calls, except along a cycle", () => {
            // web → orders and orders → payments wait; payments → orders closes the cycle, payments → payments calls itself.
            const order = p.resources.filter((r) => r.type === T.service).map((r) => r.name);
            assert.deepEqual(order, ["dev-payments", "dev-orders", "dev-web"]);
        });

        it("draws who calls whom in the diagram, one edge per call with the address the caller dials", () => {
            const labels = [...p.diagram.mermaid.matchAll(/-->\|"(Service Connect[^"]*)"\|/g)].map((m) => m[1]);
            assert.deepEqual(labels.sort(), [
                "Service Connect http://orders:8081",
                "Service Connect http://orders:8081",
                "Service Connect http://payments:9000 (grpc)",
                "Service Connect http://payments:9000 (grpc)",
            ]);
        });

        it("passes the control that every call is restricted to its caller's security group", () => {
            const control = p.controls.find((c) => c.id === "service-connect-callers");
            assert.equal(control?.status, "pass", JSON.stringify(control));
        });

        it("says in the tree who a service publishes and whom it calls", () => {
            assert.match(settingsSummary(T.service, serviceNamed(p, "payments").inputs), /Service Connect http:\/\/payments:9000/);
            assert.match(settingsSummary(T.service, serviceNamed(p, "web").inputs), /Service Connect client/);
        });

        it("says what Cloud Map and Service Connect cost, and that the namespace itself is not billed", () => {
            const item = p.cost.notPriced.find((n) => n.item.includes("HttpNamespace")) ?? p.cost.free.find((f) => f.type === T.namespace);
            assert.ok(item, JSON.stringify(p.cost.free.map((f) => f.type)));
        });
    });

    it("creates no namespace when no service calls another", async () => {
        const p = await planStack(stackDirectory("dev", shop().replace(/\n\s+calls: \[[^\]]*\]/g, "").replace(/\n\s+serviceConnect:[^\n]*/, "")), "dev");
        assert.equal(ofType(p, T.namespace).length, 0);
        assert.equal(ofType(p, T.service).filter((s) => s.inputs.serviceConnectConfiguration !== undefined).length, 0);
    });

    it("with a Private CA, has every published endpoint use TLS through the environment's one infrastructure role", async () => {
        const p = await planStack(stackDirectory("dev", shop(`fargate-service:serviceConnect:\n  tls:\n    privateCaArn: ${CA}`)), "dev");
        const roles = ofType(p, T.role).filter((r) => r.name.endsWith("service-connect-tls"));
        assert.equal(roles.length, 1);
        for (const name of ["orders", "payments"]) {
            assert.equal(serviceNamed(p, name).inputs.serviceConnectConfiguration.services[0].tls.issuerCertAuthority.awsPcaAuthorityArn, CA);
        }
        assert.ok(p.cost.notPriced.some((n) => n.item.includes("Private CA") && n.reason.includes("$50")), JSON.stringify(p.cost.notPriced));
    });

    describe("refuses, naming the key, the value and what is allowed", () => {
        it("a call to a service the environment does not have, listing those it has", () => {
            rejects({ preset: "dev", services: { web: svc({ calls: ["payment"] }), payments: svc() } }, 'fargate-service:services.web.calls[0]: "payment" is not a service of this environment; the services are "web", "payments"');
        });

        it("a callee with no port for the proxy to reach", () => {
            rejects({ preset: "dev", services: { web: svc({ calls: ["worker"] }), worker: svc({ loadBalancer: { enabled: false } }) } }, "services.web.calls[0]", '"worker" has no container.port');
        });

        it("a name listed twice", () => {
            rejects({ preset: "dev", services: { web: svc({ calls: ["api", "api"] }), api: svc() } }, "services.web.calls[1]", "listed twice");
        });

        it("serviceConnect settings on a service nobody calls, and TLS where nobody calls", () => {
            rejects({ preset: "dev", services: { web: svc({ serviceConnect: { appProtocol: "http" } }) } }, "services.web.serviceConnect: has no effect");
            rejects({ preset: "dev", serviceConnect: { tls: { privateCaArn: CA } }, services: { web: svc() } }, "fargate-service:serviceConnect.tls: has no effect");
        });

        it("a Private CA ARN of another shape", () => {
            rejects({ preset: "dev", serviceConnect: { tls: { privateCaArn: "arn:aws:acm:us-east-1:123456789012:certificate/x" } }, services: { web: svc() } }, "serviceConnect.tls.privateCaArn", "certificate-authority/<uuid>");
        });

        it("more tasks than Service Connect allows on a service that takes part", () => {
            rejects({ preset: "dev", services: { web: svc({ calls: ["api"], scaling: { min: 1, max: 2000 } }), api: svc() } }, "services.web.scaling.max: 2000 is over 1000");
        });

        it("an app protocol ECS does not know", () => {
            rejects({ preset: "dev", services: { web: svc({ calls: ["api"] }), api: svc({ serviceConnect: { appProtocol: "tcp" } }) } }, "services.api.serviceConnect.appProtocol");
        });
    });
});

describe("Service Connect's rules, for all inputs", () => {
    it("every environment service name is a valid Service Connect discovery name and client alias", () => {
        fc.assert(
            fc.property(fc.stringMatching(SERVICE_NAME), (name) => DISCOVERY_NAME.test(name) && CLIENT_ALIAS_DNS_NAME.test(name)),
        );
    });

    it("a discovery name never starts with a hyphen nor holds an upper-case letter", () => {
        fc.assert(fc.property(fc.string({ maxLength: 70 }), (name) => !DISCOVERY_NAME.test(name) || (!name.startsWith("-") && name === name.toLowerCase() && name.length <= 64)));
    });

    it("a Private CA ARN is one only with the acm-pca service and a certificate-authority UUID", () => {
        fc.assert(
            fc.property(fc.uuid(), fc.constantFrom("acm-pca", "acm", "kms"), (id, service) => PRIVATE_CA_ARN.test(`arn:aws:${service}:us-east-1:123456789012:certificate-authority/${id}`) === (service === "acm-pca")),
        );
    });

    it("creates every callee before its callers, defers only the calls that close a cycle, and keeps the written order otherwise", () => {
        const names = ["a", "b", "c", "d"];
        fc.assert(
            fc.property(fc.uniqueArray(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names)), { maxLength: 8 }), (pairs) => {
                const edges = pairs.map(([caller, callee]) => ({ caller, callee }));
                const { order, deferred } = creationOrder(names, edges);
                assert.deepEqual([...order].sort(), names);
                const kept = edges.filter((e) => !deferred.includes(e));
                for (const e of kept) assert.ok(order.indexOf(e.callee) < order.indexOf(e.caller), `${e.caller} → ${e.callee} in ${order}`);
                // A deferred call closes a cycle: its callee already reaches its caller through kept calls, or is itself.
                const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
                    from === to || kept.filter((k) => k.caller === from && !seen.has(k.callee)).some((k) => (seen.add(k.callee), reaches(k.callee, to, seen)));
                for (const d of deferred) assert.ok(reaches(d.callee, d.caller), `${d.caller} → ${d.callee} deferred without a cycle`);
                if (edges.length === 0) assert.deepEqual(order, names);
            }),
        );
    });

    it("edges are exactly the calls to known services, once each, and calls to known names raise no problem", () => {
        const names = ["a", "b", "c"];
        fc.assert(
            fc.property(fc.dictionary(fc.constantFrom(...names), fc.uniqueArray(fc.constantFrom(...names), { maxLength: 3 })), (calls) => {
                const edges = serviceConnectEdges(calls);
                const expected = Object.entries(calls).flatMap(([caller, callees]) => callees.map((callee) => `${caller}>${callee}`));
                const services = Object.fromEntries(names.map((n) => [n, { calls: calls[n], port: 80 }]));
                return JSON.stringify(edges.map((e) => `${e.caller}>${e.callee}`)) === JSON.stringify(expected) && callProblems(services).length === 0;
            }),
        );
    });
});
