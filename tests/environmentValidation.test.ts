import * as assert from "node:assert/strict";
import { runProgram } from "../plan/engine";
import { resolveEnvironment } from "../stacks/environment";

const valid = { preset: "dev", services: { api: { image: { uri: "nginx:1" } } } };

/** Resolves a config as the prod stack file would hold it, expecting each fragment in the error. */
function rejects(config: Record<string, unknown>, stack: string, ...fragments: string[]): string {
    try {
        resolveEnvironment(config, { project: "fargate-service", stack, source: `Pulumi.${stack}.yaml` });
    } catch (error) {
        const message = (error as Error).message;
        assert.equal((error as Error).name, "ValidationError");
        for (const fragment of fragments) assert.ok(message.includes(fragment), `expected "${fragment}" in:\n${message}`);
        return message;
    }
    assert.fail("expected a ValidationError");
}

describe("environment config validation", () => {
    it("names the file, the key and the allowed values for an invalid value", () => {
        rejects(
            { ...valid, preset: "prod", domain: { name: "a.example.com", zoneName: "example.com" }, services: { api: { image: { uri: "nginx:1" }, cpu: 300 } } },
            "prod",
            "Pulumi.prod.yaml: fargate-service:services.api.cpu: 300 is not a Fargate CPU size (256, 512, 1024, 2048, 4096, 8192, 16384)",
        );
    });

    it("catches a misspelt key and suggests the right one, at any depth", () => {
        rejects({ ...valid, netwrok: {} }, "dev", 'Pulumi.dev.yaml: fargate-service:netwrok: unknown key; did you mean "network"?');
        rejects({ ...valid, services: { api: { image: { uri: "nginx:1" }, desiredCont: 2 } } }, "dev", 'fargate-service:services.api.desiredCont: unknown key; did you mean "desiredCount"?');
        rejects({ ...valid, network: { natGateway: "single" } }, "dev", 'fargate-service:network.natGateway: unknown key; did you mean "natGateways"?');
    });

    it("refuses a key named __proto__, which JavaScript objects drop, instead of silently ignoring what it holds", () => {
        // Pulumi hands structured config to the program as JSON: JSON.parse keeps __proto__ as a key, and the schema would drop it.
        const service = JSON.parse('{ "api": { "image": { "uri": "nginx:1" } }, "__proto__": { "image": { "uri": "evil:1" } } }');
        rejects({ ...valid, services: service }, "dev", "fargate-service:services.__proto__: is a key JavaScript objects cannot keep");
        const environment = JSON.parse('{ "LOG_LEVEL": "info", "__proto__": "x" }');
        rejects({ ...valid, services: { api: { image: { uri: "nginx:1" }, container: { environment } } } }, "dev", "fargate-service:services.api.container.environment.__proto__: is a key");
        const sidecars = [{ name: "agent", image: "busybox:1", container: { environment } }];
        const message = rejects({ ...valid, services: { api: { image: { uri: "nginx:1" }, sidecars } } }, "dev", "fargate-service:services.api.sidecars[0].container.environment.__proto__: is a key");
        assert.doesNotMatch(message, /LOG_LEVEL/, "only the key that cannot be kept is named");
    });

    it("names a __proto__ key where the schema allows no such key once, as a key objects cannot keep, not again as unknown", () => {
        const api = JSON.parse('{ "image": { "uri": "nginx:1" }, "__proto__": { "cpu": 512 } }');
        const message = rejects({ ...valid, services: { api } }, "dev", "fargate-service:services.api.__proto__: is a key JavaScript objects cannot keep");
        assert.equal(message.split("services.api.__proto__").length - 1, 1, `named more than once:\n${message}`);
        assert.doesNotMatch(message, /unknown key/);
    });

    it("reports a wrong type with what was given", () => {
        rejects({ ...valid, services: { api: { image: { uri: "nginx:1" }, desiredCount: "three" } } }, "dev", 'fargate-service:services.api.desiredCount: expected a number, got "three"');
        rejects({ ...valid, services: "api" }, "dev", 'fargate-service:services: expected a map of keys, got "api"');
    });

    it("requires a preset, and at least one workload", () => {
        rejects({ services: valid.services }, "dev", 'fargate-service:preset: is required (one of "dev", "prod")');
        rejects({ preset: "dev", services: {} }, "dev", "fargate-service:services: needs at least one service, queue worker, scheduled task or event task");
    });

    it("rejects a waiver for a control that does not exist, and a waiver without a reason", () => {
        const waiver = { reason: "a long enough reason for the test", expires: "2026-12-31", approvedBy: "platform-team" };
        rejects({ ...valid, waivers: { "ECS.22": waiver } }, "dev", 'fargate-service:waivers.ECS.22: "ECS.22" is not a control this project checks; did you mean "ECS.2"?');
        rejects({ ...valid, waivers: { "ECS.2": { ...waiver, reason: "no" } } }, "dev", "fargate-service:waivers.ECS.2.reason: must say why in at least 20 characters");
    });

    it("requires HTTPS in prod, and no waiver lifts it", () => {
        rejects({ ...valid, preset: "prod" }, "prod", "fargate-service:domain: is required by the prod preset");
        rejects(
            { ...valid, preset: "prod", waivers: { "ELB.1": { reason: "internal tool behind a VPN, HTTP is terminated upstream", expires: "2026-12-31", approvedBy: "ciso" } } },
            "prod",
            "fargate-service:waivers.ELB.1: cannot be waived in prod",
            "fargate-service:domain: is required by the prod preset",
        );
    });

    it("refuses private tasks that could not reach ECR, and NAT gateways nobody uses", () => {
        rejects({ ...valid, network: { taskSubnets: "private" } }, "dev", 'fargate-service:network.natGateways: "none" with network.taskSubnets "private" and network.vpcEndpoints false');
        rejects({ ...valid, network: { natGateways: "single", taskSubnets: "public" } }, "dev", 'fargate-service:network.natGateways: "single" costs money for nothing');
    });

    it("refuses network keys that the chosen mode would ignore", () => {
        rejects({ ...valid, network: { mode: "default", availabilityZones: 3 } }, "dev", 'fargate-service:network.availabilityZones: applies to a VPC this stack creates');
        rejects({ ...valid, network: { vpcId: "vpc-0123abcd" } }, "dev", 'fargate-service:network.vpcId: is only used with network.mode "existing"');
        rejects({ ...valid, network: { mode: "existing" } }, "dev", 'fargate-service:network.vpcId: is required with network.mode "existing"');
    });

    it("needs a rule per web service when several share the load balancer, with unique priorities", () => {
        rejects(
            { preset: "dev", services: { a: { image: { uri: "x" } }, b: { image: { uri: "y" } } } },
            "dev",
            "fargate-service:services.a.loadBalancer.rule: is required: 2 services share the load balancer",
        );
        rejects(
            {
                preset: "dev",
                services: {
                    a: { image: { uri: "x" }, loadBalancer: { rule: { priority: 5, pathPatterns: ["/a/*"] } } },
                    b: { image: { uri: "y" }, loadBalancer: { rule: { priority: 5, pathPatterns: ["/b/*"] } } },
                },
            },
            "dev",
            "fargate-service:services.b.loadBalancer.rule.priority: 5 is already used by service a",
        );
    });

    it("says when a problem comes from combining the service with the preset's defaults", () => {
        rejects({ ...valid, services: { api: { image: { uri: "x" }, desiredCount: 5 } } }, "dev", "fargate-service:services.api.desiredCount: 5 is above scaling.max (2) (with the dev preset's defaults)");
    });

    it("needs Container Insights for backlog-per-task scaling, and queues in the stack's region", () => {
        rejects(
            { ...valid, queueWorkers: { jobs: { image: { uri: "x" }, scaling: { policy: "backlogPerTask" } } } },
            "dev",
            'fargate-service:queueWorkers.jobs.scaling.policy: "backlogPerTask" divides the backlog by RunningTaskCount, which only Container Insights publishes',
        );
        assert.throws(
            () =>
                resolveEnvironment(
                    { ...valid, queueWorkers: { jobs: { image: { uri: "x" }, queue: { arn: "arn:aws:sqs:eu-west-1:123456789012:orders" } } } },
                    { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml", region: "us-east-1" },
                ),
            /queueWorkers\.jobs\.queue\.arn: is in eu-west-1 but the stack deploys to us-east-1/,
        );
    });

    it("refuses a name used by two workloads, a cron that does not parse, and alarm settings with alarms off", () => {
        rejects(
            { ...valid, scheduledTasks: { api: { image: { uri: "x" }, schedule: "cron(0 3 * * ? *)" } } },
            "dev",
            "fargate-service:scheduledTasks.api: the name is also used in services",
        );
        rejects({ ...valid, scheduledTasks: { nightly: { image: { uri: "x" }, schedule: "cron(0 3 * * *)" } } }, "dev", "fargate-service:scheduledTasks.nightly.schedule: cron(0 3 * * *) has 5 fields");
        rejects({ ...valid, alarms: { email: ["a@example.com"] } }, "dev", "fargate-service:alarms.email: has no effect: alarms.enabled is false");
        rejects({ ...valid, alarms: { enabled: true, email: ["not-an-address"] } }, "dev", "fargate-service:alarms.email[0]: is not an e-mail address");
    });

    it("refuses a stack name that cannot name AWS resources", () => {
        rejects(valid, "Dev_1", 'Pulumi.Dev_1.yaml: stack: "Dev_1" cannot name AWS resources');
    });

    it("lists every problem at once, one line each", () => {
        const message = rejects({ preset: "qa", services: { api: { image: { uri: "x" }, cpu: 1 } }, extra: true }, "dev", "preset", "cpu", "extra");
        assert.equal(message.split("\n").length, 3);
    });

    it("stops the program before any resource is registered", async () => {
        const { environmentProgram } = await import("../stacks/program");
        const config = { "fargate-service:preset": "dev", "fargate-service:services": JSON.stringify({ api: { image: { uri: "x" }, cpu: 300 } }) };
        let failure: Error | undefined;
        const r = await runProgram(
            async () => {
                try {
                    return await environmentProgram();
                } catch (error) {
                    failure = error as Error;
                    return {};
                }
            },
            { project: "fargate-service", stack: "dev", config },
        );
        assert.equal(failure?.name, "ValidationError");
        assert.ok(failure?.message.startsWith("Pulumi.dev.yaml: fargate-service:services.api.cpu: 300"));
        assert.deepEqual(r.resources.filter((x) => x.type !== "pulumi:pulumi:Stack"), []);
    });
});
