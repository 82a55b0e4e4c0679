import * as assert from "node:assert/strict";
import fc from "fast-check";
import type { PlanDocument } from "../plan/plan";
import { resolveEnvironment } from "../stacks/environment";
import { ALWAYS_NEEDED_ENDPOINTS, EndpointUse, endpointUseOf, interfaceEndpointServices } from "../stacks/vpcEndpoints";
import { projectRoot, stackDirectory } from "./planFixtures";

const ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0.0";
const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
const PARAMETER = "arn:aws:ssm:eu-west-1:123456789012:parameter/api/key";

/** Private tasks, no NAT gateway, endpoints on; `extra` adds to the stack file. */
const privateStack = (extra: string, exec = false) => `aws:region: eu-west-1
fargate-service:preset: dev
fargate-service:network:
  natGateways: none
  taskSubnets: private
  vpcEndpoints: true
fargate-service:services:
  api:
    image: { uri: "${ECR_IMAGE}" }
    enableExecuteCommand: ${exec}
${extra}`;

const interfaceEndpoints = (plan: PlanDocument) =>
    plan.resources
        .filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface")
        .map((r) => String(r.inputs.serviceName).replace("com.amazonaws.eu-west-1.", ""))
        .sort();

const vpcOf = (plan: PlanDocument) => plan.resources.find((r) => r.type === "awsx:ec2:Vpc")!;

async function plan(yaml: string): Promise<PlanDocument> {
    const { planStack } = await import("../plan/plan");
    return planStack(stackDirectory("endpoints", yaml), "endpoints");
}

function rejects(config: Record<string, unknown>, ...fragments: string[]): void {
    assert.throws(
        () => resolveEnvironment(config, { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml", region: "eu-west-1" }),
        (error: Error) => {
            assert.equal(error.name, "ValidationError");
            for (const fragment of fragments) assert.ok(error.message.includes(fragment), `expected "${fragment}" in:\n${error.message}`);
            return true;
        },
    );
}

describe("VPC endpoints", () => {
    describe("which interface endpoints an environment needs", () => {
        it("always has ECR's API and registry and CloudWatch Logs, and each other endpoint exactly when it is used", () => {
            fc.assert(
                fc.property(fc.record({ queueWorkers: fc.boolean(), secretsManagerSecrets: fc.boolean(), ssmParameters: fc.boolean(), ecsExec: fc.boolean() }), (use: EndpointUse) => {
                    const services = interfaceEndpointServices(use);
                    for (const always of ALWAYS_NEEDED_ENDPOINTS) assert.ok(services.includes(always));
                    assert.equal(services.includes("sqs"), use.queueWorkers);
                    assert.equal(services.includes("secretsmanager"), use.secretsManagerSecrets);
                    assert.equal(services.includes("ssm"), use.ssmParameters);
                    assert.equal(services.includes("ssmmessages"), use.ecsExec);
                    assert.equal(new Set(services).size, services.length);
                }),
            );
        });

        it("reads secrets of main containers and sidecars, ECS Exec and queue workers from the environment", () => {
            const base = { services: {}, queueWorkers: {}, scheduledTasks: {}, eventTasks: {} };
            assert.deepEqual(endpointUseOf(base), { queueWorkers: false, secretsManagerSecrets: false, ssmParameters: false, ecsExec: false });
            assert.deepEqual(
                endpointUseOf({
                    ...base,
                    services: { api: { sidecars: [{ container: { secrets: { KEY: PARAMETER } } }] } },
                    scheduledTasks: { job: { container: { secrets: { DB: `${SECRET}:password::` } } } },
                    queueWorkers: { jobs: { enableExecuteCommand: true } },
                }),
                { queueWorkers: true, secretsManagerSecrets: true, ssmParameters: true, ecsExec: true },
            );
        });
    });

    describe("in the plan", () => {
        it("creates only ECR and Logs endpoints for a service that uses nothing else", async () => {
            assert.deepEqual(interfaceEndpoints(await plan(privateStack(""))), ["ecr.api", "ecr.dkr", "logs"]);
        });

        it("adds SQS for queue workers, Secrets Manager and SSM for their secrets, SSM Messages for ECS Exec", async () => {
            const p = await plan(
                privateStack(
                    `    container:
      secrets:
        DB_PASSWORD: "${SECRET}"
        API_KEY: ${PARAMETER}
fargate-service:queueWorkers:
  jobs:
    image: { uri: "${ECR_IMAGE}" }`,
                    true,
                ),
            );
            assert.deepEqual(interfaceEndpoints(p), ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "sqs", "ssm", "ssmmessages"]);
            const cost = p.cost.lines.find((i) => i.item.startsWith("Interface VPC endpoints"));
            assert.ok(cost, "the cost estimate counts the endpoints");
            assert.match(cost.item, /\(7 × their zones\)/);
        });

        it("attaches the S3 gateway endpoint to the VPC's route tables, so private tasks can pull image layers", async () => {
            // dev's dual-stack VPC (aws.ec2): its gateway endpoint names every route table it creates.
            const dual = await plan(privateStack(""));
            const gateway = dual.resources.filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Gateway");
            assert.deepEqual(gateway.map((g) => g.inputs.serviceName), ["com.amazonaws.eu-west-1.s3"]);
            assert.equal((gateway[0].inputs.routeTableIds as string[]).length, dual.resources.filter((r) => r.type === "aws:ec2/routeTable:RouteTable").length);
            // awsx's IPv4 VPC (network.ipv6 false, and prod's).
            const ipv4 = privateStack("").replace("  natGateways: none", "  ipv6: false\n  natGateways: none");
            for (const p of [await plan(ipv4), await (await import("../plan/plan")).planStack(projectRoot, "prod")]) {
                const vpc = vpcOf(p);
                // awsx's default strategy ("Legacy") attaches a gateway endpoint without routeTableIds to no route table.
                assert.equal(vpc.inputs.vpcEndpointStrategy, "Auto");
                const specs = vpc.inputs.vpcEndpointSpecs as { serviceName: string; vpcEndpointType: string; routeTableIds?: unknown }[];
                const s3 = specs.find((s) => /\.s3$/.test(s.serviceName));
                assert.ok(s3, "an S3 endpoint");
                assert.equal(s3.vpcEndpointType, "Gateway");
                assert.equal(s3.routeTableIds, undefined, "left for Auto to fill with every generated route table");
            }
        });
    });

    describe("settings under which tasks could not start", () => {
        const base = { preset: "dev", services: { api: { image: { uri: ECR_IMAGE } } } };

        it("refuses private tasks with no NAT gateway and no endpoints, naming the three keys", () => {
            rejects({ ...base, network: { taskSubnets: "private", natGateways: "none" } }, "network.natGateways", 'network.taskSubnets "private"', "network.vpcEndpoints false");
        });

        it("refuses endpoints that would be ignored because tasks run in public subnets", () => {
            rejects({ ...base, network: { taskSubnets: "public", vpcEndpoints: true } }, "fargate-service:network.vpcEndpoints: is true but network.taskSubnets is \"public\"");
        });

        it("refuses an image from outside the Region's private ECR when only endpoints lead out", () => {
            const network = { taskSubnets: "private", natGateways: "none", vpcEndpoints: true };
            rejects({ ...base, network, services: { api: { image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" } } } }, "fargate-service:services.api.image.uri", "cannot be pulled");
            rejects({ ...base, network, services: { api: { image: { uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1" } } } }, "services.api.image.uri", "eu-west-1");
            rejects(
                { ...base, network, services: { api: { image: { uri: ECR_IMAGE }, sidecars: [{ name: "proxy", image: "envoyproxy/envoy:v1.31" }] } } },
                "fargate-service:services.api.sidecars.0.image",
            );
            assert.doesNotThrow(() => resolveEnvironment({ ...base, network }, { project: "fargate-service", stack: "dev", source: "Pulumi.dev.yaml", region: "eu-west-1" }));
        });
    });
});
