import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { ProgramRun, runProgram } from "../plan/engine";
import { TASK_TYPES as T, json, ofType, one } from "./helpers";
import { ReadmeExample, readmeExamples } from "./readmeBlocks";

/**
 * The README's examples are programs users copy: each must run and register what its text says.
 * They are type-checked under `strict` by the package suite (tests/package), against the packed
 * package as a user installs it: that compile reads all of @pulumi/aws and @pulumi/awsx (about
 * 7 s), too slow for this suite.
 */

const ROOT = path.join(__dirname, "..");
const FARGATE_SERVICE = "fargate-service:index:FargateService";
const examples = readmeExamples();

/** What `pulumi config set` would hold for the bring-your-own-VPC example. */
const CONFIG = {
    "aws:region": "eu-west-1",
    "readme:vpcId": "vpc-0123456789abcdef0",
    "readme:privateSubnetIds": JSON.stringify(["subnet-private-a", "subnet-private-b"]),
    "readme:publicSubnetIds": JSON.stringify(["subnet-public-a", "subnet-public-b"]),
    "readme:smokeTestFunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:api-smoke-test",
};

let components: typeof import("../components");

/** Runs an example as a program: its imports of the package resolve to our sources, its exports are the stack outputs. */
function runExample(example: ReadmeExample): Promise<ProgramRun> {
    const js = ts.transpileModule(example.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText;
    const load = (id: string) => (id === "@fargate-service/components" ? components : require(id));
    return runProgram(
        () => {
            const module = { exports: {} as Record<string, unknown> };
            new Function("exports", "require", "module", js)(module.exports, load, module);
            return module.exports;
        },
        { project: "readme", stack: "example", config: CONFIG },
    );
}

/** Runs `fn` with the working directory set to a project holding ./app/Dockerfile, for the build example. */
async function inProjectWithApp<R>(fn: () => Promise<R>): Promise<R> {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "readme-"));
    fs.mkdirSync(path.join(project, "app"));
    fs.writeFileSync(path.join(project, "app", "Dockerfile"), "FROM public.ecr.aws/docker/library/node:22-alpine\nCOPY . .\nCMD [\"node\", \"server.js\"]\n");
    fs.writeFileSync(path.join(project, "app", "server.js"), "require('node:http').createServer((_, res) => res.end('ok')).listen(3000);\n");
    const cwd = process.cwd();
    process.chdir(project);
    try {
        return await fn();
    } finally {
        process.chdir(cwd);
        fs.rmSync(project, { recursive: true, force: true });
    }
}

/** What each example's text promises, beyond registering a FargateService. */
const PROMISES: Record<string, (r: ProgramRun) => void> = {
    "GPU capacity through ECS Managed Instances": (r) => {
        const td = one(r, T.taskDefinition).inputs;
        assert.deepEqual(td.requiresCompatibilities, ["MANAGED_INSTANCES"]);
        assert.deepEqual(json(td.containerDefinitions)[0].resourceRequirements, [{ type: "GPU", value: "1" }]);
        const requirements = one(r, "aws:ecs/capacityProvider:CapacityProvider").inputs.managedInstancesProvider.instanceLaunchTemplate.instanceRequirements;
        assert.deepEqual([requirements.acceleratorNames, requirements.allowedInstanceTypes], [["a10g"], ["g5.xlarge"]]);
    },
    "A minimal web service": (r) => {
        const service = one(r, T.service).inputs;
        assert.equal(service.networkConfiguration.assignPublicIp, true);
        assert.deepEqual(one(r, T.loadBalancer).inputs.subnets, service.networkConfiguration.subnets, "the default VPC's subnets, for both");
        assert.match(String(r.outputs.url), /^http:\/\/web-/);
    },
    "A worker with no load balancer": (r) => {
        assert.equal(ofType(r, T.loadBalancer).length + ofType(r, T.targetGroup).length, 0);
        const queueArn = one(r, "aws:sqs/queue:Queue").outputs.arn;
        const statements = json(one(r, T.rolePolicy, "worker-task").inputs.policy).Statement;
        assert.ok(statements.some((s: { Resource: unknown }) => JSON.stringify(s.Resource).includes(String(queueArn))), "the task role may use the queue");
        assert.deepEqual([one(r, T.scalableTarget).inputs.minCapacity, one(r, T.scalableTarget).inputs.maxCapacity], [1, 10]);
    },
    "Two services sharing a cluster and a load balancer": (r) => {
        assert.equal(ofType(r, FARGATE_SERVICE).length, 2);
        assert.equal(ofType(r, T.cluster).length, 1);
        assert.equal(ofType(r, T.loadBalancer).length, 1);
        assert.deepEqual(ofType(r, T.listenerRule).map((rule) => rule.inputs.priority).sort(), [10, 20]);
    },
    "Bring your own VPC": (r) => {
        assert.deepEqual(one(r, T.service).inputs.networkConfiguration.subnets, JSON.parse(CONFIG["readme:privateSubnetIds"]));
        assert.deepEqual(one(r, T.loadBalancer).inputs.subnets, JSON.parse(CONFIG["readme:publicSubnetIds"]));
        for (const group of ofType(r, T.securityGroup)) assert.equal(group.inputs.vpcId, CONFIG["readme:vpcId"]);
    },
    "An existing image, and an image built from a Dockerfile": (r) => {
        assert.equal(ofType(r, T.repository).length, 1, "a repository for the build only");
        assert.equal(one(r, T.image).inputs.context.location, "./app");
        assert.match(String(r.outputs.appImage), /\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/readme\/example\/app@sha256:[0-9a-f]{64}$/);
        assert.match(String(r.outputs.shopImage), /\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/example\/releases\/shop@sha256:[0-9a-f]{64}$/);
    },
    "HTTPS with a domain": (r) => {
        assert.equal(r.outputs.url, "https://shop.example.com");
        assert.equal(one(r, "aws:acm/certificate:Certificate").inputs.domainName, "shop.example.com");
        assert.ok(ofType(r, T.listener).some((l) => l.inputs.port === 443 && l.inputs.protocol === "HTTPS"));
    },
    "Blue/green, linear and canary deploys": (r) => {
        const service = one(r, T.service).inputs;
        assert.equal(service.deploymentConfiguration.strategy, "BLUE_GREEN");
        assert.equal(service.deploymentConfiguration.bakeTimeInMinutes, "10");
        assert.equal(service.deploymentConfiguration.lifecycleHooks[0].lifecycleStages[0], "POST_TEST_TRAFFIC_SHIFT");
        assert.equal(ofType(r, T.targetGroup).length, 2, "the alternate target group");
        assert.deepEqual(ofType(r, T.listenerRule).map((rule) => rule.inputs.priority).sort(), [49999, 50000], "the production rule and the test rule above it");
        assert.equal(service.alarms.alarmNames.length, 2);
    },
    "Services calling each other (Service Connect)": (r) => {
        assert.equal(one(r, "aws:servicediscovery/httpNamespace:HttpNamespace").inputs.name, "shop");
        const payments = ofType(r, T.service).find((s) => s.name.includes("payments"))!.inputs;
        assert.equal(payments.serviceConnectConfiguration.services[0].clientAlias[0].dnsName, "payments");
        const paymentsGroup = payments.networkConfiguration.securityGroups[0];
        const rules = ofType(r, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((x) => x.inputs.securityGroupId === paymentsGroup);
        assert.deepEqual(rules.map((x) => [x.inputs.fromPort, x.inputs.cidrIpv4, typeof x.inputs.referencedSecurityGroupId]), [[9000, undefined, "string"]], "payments admits orders' group only");
    },
    "A TCP service on a Network Load Balancer": (r) => {
        const lb = one(r, T.loadBalancer).inputs;
        assert.deepEqual([lb.loadBalancerType, lb.securityGroups.length], ["network", 1]);
        const listener = one(r, T.listener).inputs;
        assert.deepEqual([listener.port, listener.protocol, listener.sslPolicy], [5671, "TLS", "ELBSecurityPolicy-TLS13-1-2-2021-06"]);
        const tg = one(r, T.targetGroup).inputs;
        assert.deepEqual([tg.protocol, tg.port, tg.healthCheck.protocol, tg.deregistrationDelay], ["TCP", 5672, "TCP", 60]);
    },
    "EFS volumes": (r) => {
        const fs = one(r, "aws:efs/fileSystem:FileSystem");
        assert.equal(fs.inputs.encrypted, true);
        assert.equal(ofType(r, "aws:efs/mountTarget:MountTarget").length, 2);
        assert.equal(ofType(r, "aws:efs/accessPoint:AccessPoint").length, 2);
        const volumes = (one(r, T.taskDefinition).inputs.volumes as { efsVolumeConfiguration?: { transitEncryption: string; authorizationConfig: { iam: string } } }[]).filter((v) => v.efsVolumeConfiguration);
        assert.deepEqual(volumes.map((v) => [v.efsVolumeConfiguration!.transitEncryption, v.efsVolumeConfiguration!.authorizationConfig.iam]), [["ENABLED", "ENABLED"], ["ENABLED", "ENABLED"]]);
    },
    Upgrading: (r) => {
        one(r, FARGATE_SERVICE, "api");
    },
};

describe("README examples", () => {
    before(async () => {
        components = await import("../components");
    });

    it("cover a web service, a worker, shared cluster and load balancer, your own VPC, images, HTTPS, deployment strategies, Service Connect, a TCP service and EFS volumes", () => {
        for (const title of Object.keys(PROMISES)) assert.ok(examples.some((e) => e.title === title), `no example titled "${title}"`);
        assert.equal(examples.length, Object.keys(PROMISES).length, "an example without promises to check: add it to PROMISES");
    });

    for (const example of examples) {
        it(`run: ${example.title}`, async () => {
            const r = example.code.includes('context: "./app"') ? await inProjectWithApp(() => runExample(example)) : await runExample(example);
            assert.ok(ofType(r, FARGATE_SERVICE).length >= 1, "registers a FargateService");
            PROMISES[example.title]?.(r);
        });
    }
});
