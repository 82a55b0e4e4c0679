import * as assert from "node:assert/strict";
import fc from "fast-check";
import { PreflightResource, runPreflight } from "../core/preflight";

/** The preflight's Service Connect rules at AWS's bounds, on resources however they were built. */

const SERVICE = "aws:ecs/service:Service";
const record = (type: string, inputs: Record<string, unknown>): PreflightResource => ({ urn: `urn:pulumi:test::proj::${type}::r`, type, name: "r", inputs });
const found = (type: string, inputs: Record<string, unknown>) => runPreflight([record(type, inputs)]).filter((f) => f.rule.includes("serviceConnect") || f.rule.includes("portNames") || f.rule.includes("httpNamespace")).map((f) => [f.rule, f.key, f.message]);
const published = (service: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ desiredCount: 2, serviceConnectConfiguration: { enabled: true, namespace: "ns", services: [{ portName: "app-8080", ...service }] }, ...extra });
const CA = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

describe("the preflight's Service Connect rules", () => {
    it("accepts a published service at AWS's bounds: a 64-character discovery name, a 127-character alias, ports 1 and 65535", () => {
        const name = `a${"-".repeat(63)}`;
        assert.deepEqual(found(SERVICE, published({ discoveryName: name, clientAlias: [{ dnsName: `a${".".repeat(126)}`, port: 65535 }], ingressPortOverride: 1, tls: { issuerCertAuthority: { awsPcaAuthorityArn: CA } } })), []);
    });

    it("refuses a discovery name of 65 characters, one starting with a hyphen, and one with capitals, on the key that holds it", () => {
        for (const bad of [`a${"b".repeat(64)}`, "-api", "Api"]) {
            const [f] = found(SERVICE, published({ discoveryName: bad }));
            assert.deepEqual(f.slice(0, 2), ["ecs.service.serviceConnect.names", "serviceConnectConfiguration.services[0].discoveryName"], bad);
            assert.match(String(f[2]), /up to 64 lower-case letters/);
        }
    });

    it("refuses two client aliases, and a dnsName of 128 characters", () => {
        assert.deepEqual(found(SERVICE, published({ clientAlias: [{ port: 80 }, { port: 81 }] })).map((f) => f[1]), ["serviceConnectConfiguration.services[0].clientAlias"]);
        assert.deepEqual(found(SERVICE, published({ clientAlias: [{ dnsName: "a".repeat(128), port: 80 }] })).map((f) => f[1]), ["serviceConnectConfiguration.services[0].clientAlias[0].dnsName"]);
    });

    it("refuses a client alias port of 0 or 65536, and an ingress port override out of range", () => {
        for (const port of [0, 65536]) assert.deepEqual(found(SERVICE, published({ clientAlias: [{ port }] })).map((f) => f[1]), ["serviceConnectConfiguration.services[0].clientAlias[0].port"]);
        assert.deepEqual(found(SERVICE, published({ ingressPortOverride: 70000 })).map((f) => f[1]), ["serviceConnectConfiguration.services[0].ingressPortOverride"]);
    });

    it("refuses a TLS issuer that is not a Private CA", () => {
        const [f] = found(SERVICE, published({ tls: { issuerCertAuthority: { awsPcaAuthorityArn: "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" } } }));
        assert.equal(f[0], "ecs.service.serviceConnect.tls");
    });

    it("refuses 1,001 tasks with Service Connect, and allows them without", () => {
        assert.deepEqual(found(SERVICE, published({}, { desiredCount: 1000 })), []);
        assert.deepEqual(found(SERVICE, published({}, { desiredCount: 1001 })).map((f) => f[0]), ["ecs.service.serviceConnect.tasks"]);
        assert.deepEqual(found(SERVICE, { desiredCount: 1001 }), []);
    });

    it("refuses a port mapping name used twice in a task, and an appProtocol ECS does not know", () => {
        const containerDefinitions = JSON.stringify([
            { name: "app", portMappings: [{ containerPort: 80, name: "web", appProtocol: "tcp" }] },
            { name: "side", portMappings: [{ containerPort: 81, name: "web" }] },
        ]);
        assert.deepEqual(found("aws:ecs/taskDefinition:TaskDefinition", { containerDefinitions }).map((f) => f[1]), ["containerDefinitions[0].portMappings[0].appProtocol", "containerDefinitions[1].portMappings[0].name"]);
    });

    it("refuses a namespace name with a slash or a space, or written as an ARN", () => {
        for (const name of ["a/b", "a b", "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-1"]) {
            assert.deepEqual(found("aws:servicediscovery/httpNamespace:HttpNamespace", { name }).map((f) => f[1]), ["name"], name);
        }
    });

    it("never reports a service that does not use Service Connect, whatever its desired count", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 5000 }), (desiredCount) => found(SERVICE, { desiredCount }).length === 0));
    });
});
