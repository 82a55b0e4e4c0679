import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { ProgramRun } from "../plan/engine";
import type { FargateServiceArgs } from "../components";
import { TASK_TYPES as T, json, ofType, one, run, throwsProblems } from "./helpers";

// Components are imported after the engine has loaded @pulumi/pulumi, like a program would.
let components: typeof import("../components");
before(async () => {
    components = await import("../components");
});

const network = { vpcId: "vpc-0abc", subnetIds: ["subnet-private-a", "subnet-private-b"] };
const publicSubnets = ["subnet-public-a", "subnet-public-b"];
const nginx = { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" };
const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
const parameterArn = "arn:aws:ssm:eu-west-1:123456789012:parameter/api/key";

function web(extra: Partial<FargateServiceArgs> = {}): FargateServiceArgs {
    return { ...network, image: nginx, loadBalancer: { subnetIds: publicSubnets }, ...extra };
}

async function service(args: FargateServiceArgs, name = "web"): Promise<ProgramRun> {
    return run(() => {
        const svc = new components.FargateService(name, args);
        const outputs = { url: svc.url, repositoryUrl: svc.repositoryUrl, clusterName: svc.clusterName, serviceName: svc.serviceName, logGroupName: svc.logGroupName, taskRoleArn: svc.taskRoleArn, imageRef: svc.imageRef };
        // Absent outputs come back as null: Pulumi warns about undefined stack outputs.
        return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, (v as pulumi.Output<unknown>).apply((x) => x ?? null)]));
    });
}

function containers(r: ProgramRun): any[] {
    return json(one(r, T.taskDefinition).inputs.containerDefinitions);
}

function policyOf(r: ProgramRun, roleName: string): any {
    return json(one(r, T.rolePolicy, roleName).inputs.policy);
}

describe("FargateService", () => {
    describe("the component tree", () => {
        let r: ProgramRun;
        before(async () => {
            r = await service(web({ image: { tag: "v1" } }));
        });

        it("parents every child to the component, directly or through its parts", () => {
            const component = one(r, "fargate-service:index:FargateService");
            const urns = new Set(r.resources.map((x) => x.urn));
            for (const child of r.resources.filter((x) => x.type !== "pulumi:pulumi:Stack" && x !== component)) {
                assert.ok(child.parent && urns.has(child.parent), `${child.type} ${child.name} has no registered parent`);
                let ancestor = r.resources.find((x) => x.urn === child.parent);
                while (ancestor && ancestor !== component) ancestor = r.resources.find((x) => x.urn === ancestor!.parent);
                assert.equal(ancestor, component, `${child.type} ${child.name} is not under the FargateService`);
            }
        });

        it("creates each part of a load-balanced service once", () => {
            for (const type of [T.repository, T.lifecyclePolicy, T.cluster, T.capacityProviders, T.logGroup, T.taskDefinition, T.service, T.loadBalancer, T.targetGroup, T.scalableTarget]) {
                assert.equal(ofType(r, type).length, 1, type);
            }
            assert.equal(ofType(r, T.role).length, 2, "an execution role and a task role");
            assert.equal(ofType(r, T.securityGroup).length, 2, "one for the load balancer, one for the tasks");
        });

        it("exports the URL, repository, cluster, service, log group and task role", () => {
            assert.match(String(r.outputs.url), /^http:\/\/web-.*\.elb\.amazonaws\.com$/);
            // Named <project>/<stack>/<name>, known before the first deploy.
            assert.match(String(r.outputs.repositoryUrl), /\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/proj\/test\/web$/);
            assert.match(String(r.outputs.clusterName), /^web-/);
            assert.match(String(r.outputs.serviceName), /^web-/);
            assert.match(String(r.outputs.logGroupName), /^\/ecs\/proj\/test\/web-/);
            assert.match(String(r.outputs.taskRoleArn), /^arn:aws:iam::123456789012:role\/web-task-/);
        });

        it("runs the digest the tag names in its own repository, read at deploy", () => {
            assert.match(String(r.outputs.imageRef), /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/proj\/test\/web@sha256:[0-9a-f]{64}$/);
            assert.equal(containers(r)[0].image, r.outputs.imageRef);
        });
    });

    describe("ECR repository", () => {
        it("scans on push, keeps tags immutable, encrypts, and refuses to be deleted with images", async () => {
            const r = await service(web({ image: { tag: "v1" } }));
            const repo = one(r, T.repository).inputs;
            assert.deepEqual(repo.imageScanningConfiguration, { scanOnPush: true });
            assert.equal(repo.imageTagMutability, "IMMUTABLE");
            assert.deepEqual(repo.encryptionConfigurations, [{ encryptionType: "AES256" }]);
            assert.equal(repo.forceDelete, false);
        });

        it("expires untagged images and keeps only the last tagged ones", async () => {
            const r = await service(web({ image: { tag: "v1" }, repository: { untaggedExpiryDays: 3, keepTaggedImages: 12 } }));
            const rules = json(one(r, T.lifecyclePolicy).inputs.policy).rules;
            assert.deepEqual(
                rules.map((rule: any) => [rule.selection.tagStatus, rule.selection.countType, rule.selection.countNumber]),
                [
                    ["untagged", "sinceImagePushed", 3],
                    ["any", "imageCountMoreThan", 12],
                ],
            );
        });

        it("makes tags mutable, force-deletes and uses a KMS key only when asked", async () => {
            const key = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
            const r = await service(web({ image: { tag: "v1" }, repository: { mutableTags: true, forceDelete: true, kmsKeyArn: key } }));
            const repo = one(r, T.repository).inputs;
            assert.equal(repo.imageTagMutability, "MUTABLE");
            assert.equal(repo.forceDelete, true);
            assert.deepEqual(repo.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: key }]);
        });

        it("creates no repository for an image given by URI", async () => {
            const r = await service(web());
            assert.equal(ofType(r, T.repository).length, 0);
            assert.equal(r.outputs.repositoryUrl, null);
        });

        it("protects and retains the repository and log group when asked", async () => {
            const r = await service(web({ image: { tag: "v1" }, protectStatefulResources: true }));
            for (const type of [T.repository, T.logGroup]) {
                assert.equal(one(r, type).options.protect, true, type);
                assert.equal(one(r, type).options.retainOnDelete, true, type);
            }
            assert.equal(one(r, T.service).options.protect, undefined, "the service itself stays replaceable");
        });
    });

    describe("image build", () => {
        let context: string;
        before(() => {
            context = fs.mkdtempSync(path.join(os.tmpdir(), "build-"));
            fs.writeFileSync(path.join(context, "Dockerfile"), "FROM public.ecr.aws/docker/library/node:22-alpine\nCOPY . .\n");
            fs.writeFileSync(path.join(context, "server.js"), "console.log('hi')\n");
        });

        it("builds for the task's platform, pushes to its repository and runs the image by digest", async () => {
            const r = await service(web({ image: { build: { context } }, architecture: "ARM64", capacity: { spotWeight: 0 } }));
            const image = one(r, T.image).inputs;
            assert.deepEqual(image.platforms, ["linux/arm64"]);
            assert.equal(image.push, true);
            assert.match(image.tags[0], /\/proj\/test\/web:build-[0-9a-f]{16}$/);
            assert.match(containers(r)[0].image, /\/proj\/test\/web@sha256:[0-9a-f]{64}$/);
        });

        it("pushes zstd layers through the registry exporter when asked, and gzip through push otherwise", async () => {
            const zstd = one(await service(web({ image: { build: { context, compression: "zstd" } } })), T.image).inputs;
            assert.equal(zstd.push, false, "the registry exporter pushes");
            assert.deepEqual(zstd.exports, [{ registry: { compression: "zstd", forceCompression: true, ociMediaTypes: true } }]);
            const gzip = one(await service(web({ image: { build: { context } } })), T.image).inputs;
            assert.equal(gzip.push, true);
            assert.equal(gzip.exports, undefined);
            assert.notEqual(zstd.tags[0], gzip.tags[0], "another image, another tag");
            const explicitGzip = one(await service(web({ image: { build: { context, compression: "gzip" } } })), T.image).inputs;
            assert.equal(explicitGzip.tags[0], gzip.tags[0], "gzip written out keeps the tag it had");
        });

        it("refuses a compression docker-build cannot push, naming the key", () => {
            throwsProblems(() => new components.FargateService("web", web({ image: { build: { context, compression: "lz4" as never } } })), "args.image.build.compression");
        });

        it("builds an image of its own for ARM64 and runs it there when no architecture is given (about 20% cheaper)", async () => {
            const r = await service(web({ image: { build: { context } } }));
            assert.deepEqual(one(r, T.image).inputs.platforms, ["linux/arm64"]);
            assert.equal(one(r, T.taskDefinition).inputs.runtimePlatform.cpuArchitecture, "ARM64");
        });

        it("keeps an image given by URI on X86_64, and builds for X86_64 when asked", async () => {
            assert.equal(one(await service(web()), T.taskDefinition).inputs.runtimePlatform.cpuArchitecture, "X86_64");
            const x86 = await service(web({ image: { build: { context } }, architecture: "X86_64" }));
            assert.deepEqual(one(x86, T.image).inputs.platforms, ["linux/amd64"]);
            assert.equal(one(x86, T.taskDefinition).inputs.runtimePlatform.cpuArchitecture, "X86_64");
        });

        it("tags a build by its content, so an unchanged context keeps its tag and a change gets a new one", async () => {
            const tagOf = async () => one(await service(web({ image: { build: { context } } })), T.image).inputs.tags[0];
            const first = await tagOf();
            assert.equal(await tagOf(), first);
            fs.writeFileSync(path.join(context, "server.js"), "console.log('changed')\n");
            assert.notEqual(await tagOf(), first);
        });
    });

    describe("cluster and capacity", () => {
        it("creates a cluster with Container Insights and both Fargate capacity providers", async () => {
            const r = await service(web());
            assert.deepEqual(one(r, T.cluster).inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
            const providers = one(r, T.capacityProviders).inputs;
            assert.deepEqual(providers.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
            assert.deepEqual(providers.defaultCapacityProviderStrategies, [
                { capacityProvider: "FARGATE", base: 1, weight: 1 },
                { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
            ]);
        });

        it("turns Container Insights off when asked", async () => {
            const r = await service(web({ cluster: { containerInsights: "disabled" } }));
            assert.deepEqual(one(r, T.cluster).inputs.settings, [{ name: "containerInsights", value: "disabled" }]);
        });

        it("gives the service its own strategy with the on-demand base, and forces a deployment when it changes", async () => {
            const r = await service(web({ capacity: { fargateBase: 2, fargateWeight: 1, spotWeight: 3 } }));
            const svc = one(r, T.service).inputs;
            assert.deepEqual(svc.capacityProviderStrategies, [
                { capacityProvider: "FARGATE", base: 2, weight: 1 },
                { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
            ]);
            assert.equal(svc.forceNewDeployment, true);
            assert.equal(svc.launchType, undefined, "a launch type would override the capacity providers");
        });

        it("leaves out a provider with nothing to place", async () => {
            const r = await service(web({ capacity: { fargateBase: 0, fargateWeight: 0, spotWeight: 1 } }));
            assert.deepEqual(one(r, T.service).inputs.capacityProviderStrategies, [{ capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 }]);
        });

        it("runs ARM64 tasks on the same default strategy as x86: an on-demand base, then half on Spot", async () => {
            const r = await service(web({ architecture: "ARM64" }));
            assert.deepEqual(one(r, T.service).inputs.capacityProviderStrategies, [
                { capacityProvider: "FARGATE", base: 1, weight: 1 },
                { capacityProvider: "FARGATE_SPOT", base: 0, weight: 1 },
            ]);
            assert.deepEqual(one(r, T.taskDefinition).inputs.runtimePlatform, { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" });
        });

        it("attaches to an existing cluster without creating one, following its default strategy", async () => {
            const arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/shared";
            const r = await service(web({ cluster: { arn, name: "shared" } }));
            assert.equal(ofType(r, T.cluster).length, 0);
            const svc = one(r, T.service).inputs;
            assert.equal(svc.cluster, arn);
            assert.equal(svc.capacityProviderStrategies, undefined);
            assert.equal(one(r, T.scalableTarget).inputs.resourceId, `service/shared/${one(r, T.service).outputs.name}`);
        });

        it("creates the service only after the capacity providers are associated with its cluster", async () => {
            const r = await service(web());
            const providers = one(r, T.capacityProviders);
            assert.ok(one(r, T.service).propertyDependencies.cluster.includes(providers.urn));
        });
    });

    describe("task definition", () => {
        it("sizes the task and runs it on Fargate with awsvpc networking", async () => {
            const r = await service(web({ cpu: 1024, memory: 3072 }));
            const td = one(r, T.taskDefinition).inputs;
            assert.equal(td.cpu, "1024");
            assert.equal(td.memory, "3072");
            assert.equal(td.networkMode, "awsvpc");
            assert.deepEqual(td.requiresCompatibilities, ["FARGATE"]);
            assert.equal(td.family, "proj-test-web");
        });

        it("defaults memory to the smallest size the CPU allows", async () => {
            const r = await service(web({ cpu: 2048 }));
            assert.equal(one(r, T.taskDefinition).inputs.memory, "4096");
        });

        it("puts secrets in `secrets` and plain values in `environment`, both sorted", async () => {
            const r = await service(
                web({ container: { environment: { ZED: "1", ALPHA: "2" }, secrets: { DB_PASSWORD: `${secretArn}:password::`, API_KEY: parameterArn } } }),
            );
            const app = containers(r)[0];
            assert.deepEqual(app.environment, [
                { name: "ALPHA", value: "2" },
                { name: "ZED", value: "1" },
            ]);
            assert.deepEqual(app.secrets, [
                { name: "API_KEY", valueFrom: parameterArn },
                { name: "DB_PASSWORD", valueFrom: `${secretArn}:password::` },
            ]);
            assert.ok(!JSON.stringify(app.environment).includes("secretsmanager"));
        });

        it("logs to its own log group through awslogs without blocking the app", async () => {
            const r = await service(web());
            const options = containers(r)[0].logConfiguration.options;
            assert.equal(containers(r)[0].logConfiguration.logDriver, "awslogs");
            assert.equal(options["awslogs-group"], one(r, T.logGroup).outputs.name);
            assert.equal(options["awslogs-region"], "eu-west-1");
            assert.equal(options.mode, "non-blocking");
        });

        it("keeps logs 30 days unless told otherwise", async () => {
            assert.equal(one(await service(web()), T.logGroup).inputs.retentionInDays, 30);
            assert.equal(one(await service(web({ logs: { retentionDays: 365 } })), T.logGroup).inputs.retentionInDays, 365);
        });

        it("mounts the root filesystem read-only with writable volumes for the listed paths", async () => {
            const r = await service(web({ container: { writablePaths: ["/tmp", "/var/cache/nginx"] } }));
            const app = containers(r)[0];
            assert.equal(app.readonlyRootFilesystem, true);
            assert.deepEqual(app.mountPoints.map((m: any) => m.containerPath), ["/tmp", "/var/cache/nginx"]);
            assert.deepEqual(one(r, T.taskDefinition).inputs.volumes, [{ name: "tmp" }, { name: "var-cache-nginx" }]);
        });

        it("adds the SSM agent's directories when ECS Exec meets a read-only root filesystem", async () => {
            const r = await service(web({ enableExecuteCommand: true }));
            const paths = containers(r)[0].mountPoints.map((m: any) => m.containerPath);
            assert.deepEqual(paths, ["/tmp", "/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"]);
        });

        it("sets the health check, stop timeout, user and port of the container", async () => {
            const r = await service(
                web({ container: { port: 3000, user: "1000:1000", stopTimeout: 60, healthCheck: { command: ["CMD-SHELL", "wget -qO- localhost:3000/health"], interval: 20 } } }),
            );
            const app = containers(r)[0];
            assert.deepEqual(app.portMappings, [{ containerPort: 3000, protocol: "tcp", name: "app-3000" }]);
            assert.equal(app.user, "1000:1000");
            assert.equal(app.stopTimeout, 60);
            assert.deepEqual(app.healthCheck, { command: ["CMD-SHELL", "wget -qO- localhost:3000/health"], interval: 20, timeout: 5, retries: 3, startPeriod: 10 });
            assert.equal(app.linuxParameters.initProcessEnabled, true);
        });

        it("adds sidecars with their reservations, and makes the main container wait for one that must start first", async () => {
            const r = await service(
                web({
                    sidecars: [
                        { name: "proxy", image: "public.ecr.aws/envoy:v1", cpu: 64, memory: 128, startBeforeMain: true, container: { healthCheck: { command: ["CMD", "/health"] } } },
                        { name: "agent", image: "public.ecr.aws/agent:v2" },
                    ],
                }),
            );
            const defs = containers(r);
            assert.deepEqual(defs.map((d) => [d.name, d.essential]), [["app", true], ["proxy", false], ["agent", false]]);
            assert.equal(defs[1].cpu, 64);
            assert.equal(defs[1].memoryReservation, 128);
            assert.deepEqual(defs[0].dependsOn, [{ containerName: "proxy", condition: "HEALTHY" }]);
            assert.ok(defs.every((d) => d.logConfiguration.logDriver === "awslogs"));
        });
    });

    describe("IAM", () => {
        it("trusts only ECS tasks of this account and region, for both roles", async () => {
            const r = await service(web());
            for (const role of ofType(r, T.role)) {
                const statement = json(role.inputs.assumeRolePolicy).Statement[0];
                assert.deepEqual(statement.Principal, { Service: "ecs-tasks.amazonaws.com" });
                assert.deepEqual(statement.Condition.StringEquals, { "aws:SourceAccount": "123456789012" });
                assert.deepEqual(statement.Condition.ArnLike, { "aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:*" });
            }
        });

        it("lets the execution role pull from its own repository and write to its own log group, nothing more", async () => {
            const r = await service(web({ image: { tag: "v1" } }));
            const statements = policyOf(r, "web-execution").Statement;
            const repoArn = one(r, T.repository).outputs.arn;
            const logArn = one(r, T.logGroup).outputs.arn;
            assert.deepEqual(
                statements.map((s: any) => [s.Sid, s.Resource]),
                [
                    ["EcrAuthorizationToken", ["*"]],
                    ["PullImages", [repoArn]],
                    ["WriteLogs", [`${logArn}:log-stream:*`]],
                ],
            );
            const wildcards = statements.filter((s: any) => s.Resource.includes("*"));
            assert.deepEqual(wildcards.map((s: any) => s.Action), [["ecr:GetAuthorizationToken"]], "only the token call takes Resource *");
        });

        it("needs no ECR permission for a public image", async () => {
            const statements = policyOf(await service(web()), "web-execution").Statement;
            assert.deepEqual(statements.map((s: any) => s.Sid), ["WriteLogs"]);
        });

        it("reads exactly the listed secrets and parameters, and decrypts only through those services", async () => {
            const key = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
            const r = await service(web({ container: { secrets: { A: `${secretArn}:password::`, B: parameterArn }, secretKmsKeyArns: [key] } }));
            const bySid = Object.fromEntries(policyOf(r, "web-execution").Statement.map((s: any) => [s.Sid, s]));
            assert.deepEqual(bySid.ReadSecrets.Resource, [secretArn]);
            assert.deepEqual(bySid.ReadSecrets.Action, ["secretsmanager:GetSecretValue"]);
            assert.deepEqual(bySid.ReadParameters.Resource, [parameterArn]);
            assert.deepEqual(bySid.DecryptSecrets.Resource, [key]);
            assert.deepEqual(bySid.DecryptSecrets.Condition.StringEquals["kms:ViaService"], ["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"]);
        });

        it("gives the task role no permission by default", async () => {
            const r = await service(web());
            assert.equal(ofType(r, T.rolePolicy).filter((p) => p.name === "web-task").length, 0);
            assert.equal(ofType(r, T.rolePolicyAttachment).length, 0);
        });

        it("adds the user's statements and managed policies to the task role", async () => {
            const r = await service(
                web({
                    taskRole: {
                        statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"], conditions: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-west-1"] }] }],
                        managedPolicyArns: ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"],
                    },
                }),
            );
            assert.deepEqual(policyOf(r, "web-task").Statement, [
                { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::assets/*"], Condition: { StringEquals: { "aws:RequestedRegion": ["eu-west-1"] } } },
            ]);
            assert.equal(one(r, T.rolePolicyAttachment).inputs.policyArn, "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
        });

        it("grants the ssmmessages channels only when ECS Exec is on", async () => {
            const r = await service(web({ enableExecuteCommand: true }));
            const statement = policyOf(r, "web-task").Statement[0];
            assert.deepEqual(statement.Action, ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]);
            assert.equal(one(r, T.service).inputs.enableExecuteCommand, true);
        });
    });

    describe("load balancer", () => {
        it("admits HTTP from anywhere by default, and lets the load balancer reach only the tasks' port", async () => {
            const r = await service(web());
            const lbGroup = one(r, T.securityGroup, "web-lb");
            const ingress = ofType(r, T.ingress).filter((i) => i.inputs.securityGroupId === lbGroup.outputs.id);
            assert.deepEqual(ingress.map((i) => [i.inputs.fromPort, i.inputs.cidrIpv4]), [[80, "0.0.0.0/0"]]);
            const egress = ofType(r, T.egress).filter((e) => e.inputs.securityGroupId === lbGroup.outputs.id);
            assert.deepEqual(egress.map((e) => [e.inputs.fromPort, e.inputs.toPort, e.inputs.referencedSecurityGroupId]), [[8080, 8080, one(r, T.securityGroup, "web-tasks").outputs.id]]);
        });

        it("admits the tasks' port from the load balancer's group only, never from a CIDR", async () => {
            const r = await service(web());
            const tasksGroup = one(r, T.securityGroup, "web-tasks");
            const ingress = ofType(r, T.ingress).filter((i) => i.inputs.securityGroupId === tasksGroup.outputs.id);
            assert.equal(ingress.length, 1);
            assert.equal(ingress[0].inputs.referencedSecurityGroupId, one(r, T.securityGroup, "web-lb").outputs.id);
            assert.equal(ingress[0].inputs.cidrIpv4, undefined);
            assert.equal(ingress[0].inputs.fromPort, 8080);
        });

        it("hardens the load balancer: invalid headers dropped, defensive desync mitigation", async () => {
            const lb = one(await service(web()), T.loadBalancer).inputs;
            assert.equal(lb.dropInvalidHeaderFields, true);
            assert.equal(lb.desyncMitigationMode, "defensive");
            assert.equal(lb.internal, false);
            assert.equal(lb.enableDeletionProtection, false);
            assert.deepEqual(lb.subnets, publicSubnets);
        });

        it("forwards HTTP to the service when there is no certificate", async () => {
            const r = await service(web());
            const listener = one(r, T.listener).inputs;
            assert.equal(listener.port, 80);
            assert.deepEqual(listener.defaultActions, [{ type: "forward", targetGroupArn: one(r, T.targetGroup).outputs.arn }]);
        });

        it("redirects HTTP to HTTPS and serves TLS 1.3 with a certificate", async () => {
            const cert = "arn:aws:acm:eu-west-1:123456789012:certificate/abcd";
            const r = await service(web({ loadBalancer: { subnetIds: publicSubnets, certificateArn: cert, allowedCidrs: ["203.0.113.0/24", "2001:db8::/32"] } }));
            const http = one(r, T.listener, "web-http").inputs;
            assert.deepEqual(http.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            const https = one(r, T.listener, "web-https").inputs;
            assert.equal(https.protocol, "HTTPS");
            assert.equal(https.certificateArn, cert);
            assert.equal(https.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            assert.match(https.routingHttpResponseStrictTransportSecurityHeaderValue, /max-age=/);
            const lbGroup = one(r, T.securityGroup, "web-lb").outputs.id;
            const ingress = ofType(r, T.ingress).filter((i) => i.inputs.securityGroupId === lbGroup);
            assert.deepEqual(ingress.map((i) => [i.inputs.fromPort, i.inputs.cidrIpv4 ?? i.inputs.cidrIpv6]).sort(), [
                [443, "2001:db8::/32"],
                [443, "203.0.113.0/24"],
                [80, "2001:db8::/32"],
                [80, "203.0.113.0/24"],
            ]);
            assert.match(String(r.outputs.url), /^https:\/\//);
        });

        it("writes access logs to a private, TLS-only bucket ELB may write to, and turns on deletion protection", async () => {
            const r = await service(web({ loadBalancer: { subnetIds: publicSubnets, accessLogs: { enabled: true, prefix: "web" }, deletionProtection: true } }));
            const lb = one(r, T.loadBalancer).inputs;
            assert.deepEqual(lb.accessLogs, { enabled: true, bucket: one(r, T.bucket).outputs.bucket, prefix: "web" });
            assert.equal(lb.enableDeletionProtection, true);
            const policy = json(one(r, T.bucketPolicy).inputs.policy);
            const deliver = policy.Statement.find((s: any) => s.Sid === "ElbServiceDelivers");
            assert.deepEqual(deliver.Resource, [`${one(r, T.bucket).outputs.arn}/web/AWSLogs/123456789012/*`]);
            assert.ok(policy.Statement.some((s: any) => s.Effect === "Deny" && s.Condition.Bool["aws:SecureTransport"] === "false"));
            const block = one(r, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
            assert.ok(block.blockPublicAcls && block.blockPublicPolicy && block.ignorePublicAcls && block.restrictPublicBuckets);
            assert.ok(one(r, T.loadBalancer).dependencies.includes(one(r, T.bucketPolicy).urn), "the policy exists before the load balancer checks it");
        });

        it("sends traffic to IP targets with a fast health check and a short deregistration delay", async () => {
            const tg = one(await service(web()), T.targetGroup).inputs;
            assert.equal(tg.targetType, "ip");
            assert.equal(tg.port, 8080);
            assert.equal(tg.deregistrationDelay, 10);
            assert.deepEqual(tg.healthCheck, { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/", matcher: "200-399", interval: 5, timeout: 4, healthyThreshold: 2, unhealthyThreshold: 3 });
        });

        it("waits for the listener before creating the service (ECS refuses an unattached target group)", async () => {
            const r = await service(web());
            assert.ok(one(r, T.service).dependencies.includes(one(r, T.listener).urn));
        });
    });

    describe("service", () => {
        it("runs tasks privately, with the circuit breaker rolling back and zero-downtime deployment", async () => {
            const svc = one(await service(web()), T.service).inputs;
            assert.deepEqual(svc.networkConfiguration.subnets, network.subnetIds);
            assert.equal(svc.networkConfiguration.assignPublicIp, false);
            assert.deepEqual(svc.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.equal(svc.deploymentMinimumHealthyPercent, 100);
            assert.equal(svc.deploymentMaximumPercent, 200);
            assert.equal(svc.healthCheckGracePeriodSeconds, 60);
            assert.equal(svc.platformVersion, "LATEST");
            assert.equal(svc.availabilityZoneRebalancing, "ENABLED");
            assert.equal(svc.propagateTags, "SERVICE");
            assert.equal(svc.waitForSteadyState, true);
            assert.equal(svc.desiredCount, 2);
        });

        it("gives tasks a public IP and changes deployment settings when asked", async () => {
            const svc = one(await service(web({ assignPublicIp: true, deployment: { minHealthyPercent: 50, maxPercent: 150, waitForSteadyState: false } })), T.service).inputs;
            assert.equal(svc.networkConfiguration.assignPublicIp, true);
            assert.equal(svc.deploymentMinimumHealthyPercent, 50);
            assert.equal(svc.deploymentMaximumPercent, 150);
            assert.equal(svc.waitForSteadyState, false);
        });

        it("lets the autoscaler own the task count, so a later deploy does not reset it", async () => {
            assert.deepEqual(one(await service(web()), T.service).options.ignoreChanges, ["desiredCount"]);
            assert.equal(one(await service(web({ scaling: { enabled: false } })), T.service).options.ignoreChanges, undefined);
        });

        it("restricts outbound traffic to HTTPS when asked", async () => {
            const r = await service(web({ outboundTraffic: "https" }));
            const out = one(r, T.egress, "web-tasks-out").inputs;
            assert.deepEqual([out.ipProtocol, out.fromPort, out.toPort, out.cidrIpv4], ["tcp", 443, 443, "0.0.0.0/0"]);
        });
    });

    describe("autoscaling", () => {
        it("scales from the desired count to twice that on CPU by default", async () => {
            const r = await service(web({ desiredCount: 3 }));
            const target = one(r, T.scalableTarget).inputs;
            assert.deepEqual([target.minCapacity, target.maxCapacity, target.scalableDimension], [3, 6, "ecs:service:DesiredCount"]);
            const policies = ofType(r, T.scalingPolicy);
            assert.deepEqual(policies.map((p) => p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType), ["ECSServiceAverageCPUUtilization"]);
            const config = policies[0].inputs.targetTrackingScalingPolicyConfiguration;
            assert.deepEqual([config.targetValue, config.scaleInCooldown, config.scaleOutCooldown], [70, 300, 60]);
        });

        it("tracks CPU, memory and requests per target, and runs schedules", async () => {
            const r = await service(
                web({
                    desiredCount: 3,
                    scaling: {
                        min: 3, max: 20, cpuTarget: 60, memoryTarget: 75, requestsPerTarget: 500, scaleInCooldown: 600, scaleOutCooldown: 30,
                        schedules: [{ name: "night", schedule: "cron(0 20 ? * MON-FRI *)", timezone: "Europe/Paris", min: 0, max: 0 }],
                    },
                }),
            );
            const byMetric = Object.fromEntries(
                ofType(r, T.scalingPolicy).map((p) => [p.inputs.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType, p.inputs.targetTrackingScalingPolicyConfiguration]),
            );
            assert.deepEqual(Object.keys(byMetric).sort(), ["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"]);
            assert.equal(byMetric.ECSServiceAverageMemoryUtilization.targetValue, 75);
            assert.equal(byMetric.ALBRequestCountPerTarget.targetValue, 500);
            assert.equal(byMetric.ALBRequestCountPerTarget.predefinedMetricSpecification.resourceLabel, `${one(r, T.loadBalancer).outputs.arnSuffix}/${one(r, T.targetGroup).outputs.arnSuffix}`);
            assert.equal(byMetric.ECSServiceAverageCPUUtilization.scaleInCooldown, 600);
            const action = one(r, T.scheduledAction).inputs;
            assert.deepEqual([action.schedule, action.timezone, action.scalableTargetAction], ["cron(0 20 ? * MON-FRI *)", "Europe/Paris", { minCapacity: 0, maxCapacity: 0 }]);
        });
    });

    describe("tags and names", () => {
        it("tags every child that takes tags", async () => {
            const r = await service(web({ image: { tag: "v1" }, tags: { team: "payments" }, loadBalancer: { subnetIds: publicSubnets, accessLogs: {} } }));
            const untaggable = new Set([
                T.rolePolicy, T.lifecyclePolicy, T.capacityProviders, T.scalingPolicy, T.scheduledAction, T.bucketPolicy,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            ]);
            const custom = r.resources.filter((x) => x.custom && !untaggable.has(x.type as any));
            assert.ok(custom.length >= 15);
            for (const resource of custom) assert.deepEqual(resource.inputs.tags, { team: "payments" }, `${resource.type} ${resource.name}`);
        });

        it("keeps load balancer and target group names inside AWS's 32 characters after auto-naming", async () => {
            const r = await service(web(), "a-very-long-service-name-for-production");
            for (const type of [T.loadBalancer, T.targetGroup]) {
                const resource = one(r, type);
                assert.ok(resource.name.length + 8 <= 32, `${resource.name} leaves no room for the suffix`);
                assert.ok(resource.name.startsWith("a-very-long-service"), "the start of the name, which carries the environment, is kept");
            }
        });
    });

    describe("without a load balancer, or with a shared one", () => {
        it("runs a worker with no load balancer, target group or inbound rule", async () => {
            const r = await service({ ...network, image: nginx, loadBalancer: { enabled: false } }, "worker");
            for (const type of [T.loadBalancer, T.targetGroup, T.listener, T.ingress]) assert.equal(ofType(r, type).length, 0, type);
            const svc = one(r, T.service).inputs;
            assert.equal(svc.loadBalancers, undefined);
            assert.equal(svc.healthCheckGracePeriodSeconds, undefined);
            assert.equal(containers(r)[0].portMappings, undefined);
            assert.equal(r.outputs.url, null);
        });

        it("lets two services share one cluster and one load balancer, each on its own rule", async () => {
            const r = await run(() => {
                const cluster = new components.FargateCluster("shared", {});
                const alb = new components.ServiceLoadBalancer("shared", { vpcId: network.vpcId, subnetIds: publicSubnets });
                const attach = (priority: number, pathPatterns: string[]) => ({
                    listenerArn: alb.listenerArn,
                    securityGroupId: alb.securityGroupId,
                    rule: { priority, pathPatterns },
                });
                new components.FargateService("api", { ...network, image: nginx, cluster: { arn: cluster.arn, name: cluster.name }, loadBalancer: attach(10, ["/api/*"]) });
                new components.FargateService("admin", { ...network, image: nginx, cluster: { arn: cluster.arn, name: cluster.name }, loadBalancer: attach(20, ["/admin/*"]) });
                return {};
            });
            assert.equal(ofType(r, T.cluster).length, 1);
            assert.equal(ofType(r, T.loadBalancer).length, 1);
            const clusterArn = one(r, T.cluster).outputs.arn;
            assert.deepEqual(ofType(r, T.service).map((s) => s.inputs.cluster), [clusterArn, clusterArn]);
            const listener = one(r, T.listener).outputs.arn;
            const rules = ofType(r, T.listenerRule).map((x) => x.inputs);
            assert.deepEqual(rules.map((x) => [x.listenerArn, x.priority, x.conditions[0].pathPattern.values[0]]), [[listener, 10, "/api/*"], [listener, 20, "/admin/*"]]);
            assert.deepEqual(one(r, T.listener).inputs.defaultActions[0].fixedResponse.statusCode, "404");
            const albGroup = one(r, T.securityGroup, "shared-lb").outputs.id;
            const fromAlb = ofType(r, T.ingress).filter((i) => i.inputs.referencedSecurityGroupId === albGroup);
            assert.equal(fromAlb.length, 2, "each service's tasks admit the shared load balancer");
            for (const svc of ofType(r, T.service)) {
                const rule = ofType(r, T.listenerRule).find((x) => x.parent === svc.parent)!;
                assert.ok(svc.dependencies.includes(rule.urn), "each service waits for its rule");
            }
        });
    });

    describe("childTransforms", () => {
        it("applies each hook to its kind of child only", () => {
            const [transform] = components.childTransforms({ targetGroup: (props) => ({ ...props, slowStart: 30 }), taskRole: (props) => ({ ...props, maxSessionDuration: 7200 }) });
            const call = (type: string, name: string) => transform({ type, name, props: { a: 1 }, opts: {}, custom: true }) as any;
            assert.deepEqual(call(T.targetGroup, "web").props, { a: 1, slowStart: 30 });
            assert.deepEqual(call(T.role, "web-task").props, { a: 1, maxSessionDuration: 7200 });
            assert.equal(call(T.role, "web-execution"), undefined);
            assert.equal(call(T.service, "web"), undefined);
        });
    });
});
