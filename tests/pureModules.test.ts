import * as assert from "node:assert/strict";
import { defaultArchitecture } from "../core/architecture";
import { ecrImage, ecrRepositoryArn, parseArn, secretPolicyResource, secretSource } from "../core/arns";
import { containerDefinition, ContainerSpec, volumeName, writableVolumes } from "../core/containerDefinitions";
import { FARGATE_CPU_SIZES, defaultMemoryFor, describeMemoryFor, isFargateCpu, isFargateSize, taskResources } from "../core/fargateSizes";
import { lifecyclePolicy } from "../core/lifecyclePolicy";
import { DEFAULT_SSL_POLICY, isRecommendedSslPolicy } from "../core/tlsPolicies";

/** Small pure modules of core/, each rule as it reads. */

describe("ARNs and image URIs", () => {
    it("reads the parts of an ARN, including AWS-owned and account-less ones", () => {
        assert.deepEqual(parseArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"), {
            partition: "aws",
            service: "secretsmanager",
            region: "eu-west-1",
            account: "123456789012",
            resource: "secret:db-AbCdEf",
        });
        assert.deepEqual(parseArn("arn:aws:iam::aws:policy/AdministratorAccess"), { partition: "aws", service: "iam", region: "", account: "aws", resource: "policy/AdministratorAccess" });
        assert.equal(parseArn("arn:aws:s3:::bucket/key")?.account, "");
        assert.equal(parseArn("arn:aws-cn:ecr:cn-north-1:123456789012:repository/x")?.partition, "aws-cn");
    });

    it("refuses what is not an ARN: a short account, no resource, text around it, another prefix", () => {
        for (const text of ["arn:aws:ec2:eu-west-1:12345:instance/i-1", "arn:aws:ec2:eu-west-1:123456789012:", "xarn:aws:s3:::b", "arn:azure:s3:::b", "arn:aws:S3:::b", "arn:aws:s3:EU:123456789012:b"]) {
            assert.equal(parseArn(text), undefined, text);
        }
    });

    it("knows a Secrets Manager secret and an SSM parameter, and nothing else, as a container secret", () => {
        assert.equal(secretSource("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"), "secretsmanager");
        assert.equal(secretSource("arn:aws:ssm:eu-west-1:123456789012:parameter/app/db"), "ssm");
        assert.equal(secretSource("arn:aws:secretsmanager:eu-west-1:123456789012:db-AbCdEf"), undefined);
        assert.equal(secretSource("arn:aws:ssm:eu-west-1:123456789012:document/x"), undefined);
        assert.equal(secretSource("arn:aws:s3:::bucket/secret:x"), undefined);
        assert.equal(secretSource("not an arn"), undefined);
    });

    it("grants IAM on the secret itself when a reference selects a JSON key or a version", () => {
        assert.equal(secretPolicyResource("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::"), "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf");
        assert.equal(secretPolicyResource("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf"), "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf");
        assert.equal(secretPolicyResource("arn:aws:ssm:eu-west-1:123456789012:parameter/app/db"), "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db");
    });

    it("grants IAM on a secret reference that is not an ARN as it was written, without failing on it", () => {
        assert.equal(secretPolicyResource("db-password"), "db-password");
    });

    it("finds the private ECR repository of an image by tag or digest, in any partition and FIPS", () => {
        assert.deepEqual(ecrImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:1.2"), { account: "123456789012", region: "eu-west-1", repository: "team/api" });
        assert.deepEqual(ecrImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:abc"), { account: "123456789012", region: "eu-west-1", repository: "api" });
        assert.deepEqual(ecrImage("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api"), { account: "123456789012", region: "eu-west-1", repository: "api" });
        assert.equal(ecrImage("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/api:1")?.region, "us-east-1");
        assert.equal(ecrImage("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:1")?.region, "cn-north-1");
    });

    it("sees no private repository in a public image or a look-alike host", () => {
        for (const uri of ["public.ecr.aws/nginx/nginx:1.27", "nginx:1.27", "x123456789012.dkr.ecr.eu-west-1.amazonaws.com/api", "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.com/api"]) {
            assert.equal(ecrImage(uri), undefined, uri);
        }
    });

    it("writes a repository ARN in the given partition, aws by default", () => {
        const image = { account: "123456789012", region: "eu-west-1", repository: "team/api" };
        assert.equal(ecrRepositoryArn(image), "arn:aws:ecr:eu-west-1:123456789012:repository/team/api");
        assert.equal(ecrRepositoryArn(image, "aws-cn"), "arn:aws-cn:ecr:eu-west-1:123456789012:repository/team/api");
    });
});

describe("default CPU architecture", () => {
    it("runs an image built here on ARM64, and an image given by URI, or none, on X86_64", () => {
        assert.equal(defaultArchitecture({ build: { context: "app" } }), "ARM64");
        assert.equal(defaultArchitecture({}), "X86_64");
        assert.equal(defaultArchitecture(undefined), "X86_64");
    });
});

describe("Fargate task sizes", () => {
    it("offers the seven CPU sizes AWS lists", () => {
        assert.deepEqual(FARGATE_CPU_SIZES, [256, 512, 1024, 2048, 4096, 8192, 16384]);
        assert.equal(isFargateCpu(1024), true);
        assert.equal(isFargateCpu(1000), false);
    });

    it("accepts each CPU size with its memory range, ends included, and nothing in between steps", () => {
        const ok: [number, number][] = [[256, 512], [256, 2048], [512, 1024], [512, 4096], [1024, 8192], [2048, 16384], [4096, 30720], [8192, 16384], [8192, 20480], [8192, 61440], [16384, 32768], [16384, 122880]];
        const refused: [number, number][] = [[256, 4096], [256, 1536], [512, 5120], [4096, 31744], [8192, 18432], [8192, 65536], [16384, 36864], [1000, 2048]];
        for (const [cpu, memory] of ok) assert.equal(isFargateSize(cpu, memory), true, `${cpu}/${memory}`);
        for (const [cpu, memory] of refused) assert.equal(isFargateSize(cpu, memory), false, `${cpu}/${memory}`);
    });

    it("describes the memory a CPU size takes: a list when short, a range with its step when long", () => {
        assert.equal(describeMemoryFor(256), "512, 1024, 2048");
        assert.equal(describeMemoryFor(512), "1024, 2048, 3072, 4096");
        assert.equal(describeMemoryFor(1024), "2048 to 8192 in steps of 1024");
        assert.equal(describeMemoryFor(8192), "16384 to 61440 in steps of 4096");
        assert.equal(describeMemoryFor(1000), "none");
    });

    it("defaults memory to the smallest the CPU size allows: twice the CPU units", () => {
        for (const cpu of FARGATE_CPU_SIZES) assert.equal(defaultMemoryFor(cpu), 2 * cpu);
        assert.equal(defaultMemoryFor(300), 600);
    });

    it("bills in vCPUs and GB", () => {
        assert.deepEqual(taskResources(512, 1536), { vcpu: 0.5, memoryGb: 1.5 });
    });
});

describe("ECR lifecycle policy", () => {
    it("expires untagged images after the given days, then keeps the given number of images", () => {
        assert.deepEqual(lifecyclePolicy({ untaggedExpiryDays: 7, keepTaggedImages: 20 }), {
            rules: [
                {
                    rulePriority: 1,
                    description: "Expire untagged images after 7 days",
                    selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                    action: { type: "expire" },
                },
                { rulePriority: 2, description: "Keep the last 20 images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 20 }, action: { type: "expire" } },
            ],
        });
    });
});

describe("TLS policies", () => {
    it("recommends the default policy and none of the old ones", () => {
        assert.equal(isRecommendedSslPolicy(DEFAULT_SSL_POLICY), true);
        assert.equal(isRecommendedSslPolicy("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"), true);
        assert.equal(isRecommendedSslPolicy("ELBSecurityPolicy-2016-08"), false);
        assert.equal(isRecommendedSslPolicy(undefined), false);
    });
});

describe("container definitions", () => {
    const spec: ContainerSpec = {
        name: "app",
        image: "nginx:1.27",
        essential: true,
        environment: { B: "2", A: "1" },
        secrets: { Z: "arn:aws:ssm:eu-west-1:123456789012:parameter/z", Y: "arn:aws:ssm:eu-west-1:123456789012:parameter/y" },
        stopTimeout: 30,
        readonlyRootFilesystem: true,
        writablePaths: ["/tmp", "/var/cache/nginx/"],
        logGroup: "/ecs/app",
        region: "eu-west-1",
    };

    it("writes the minimal definition: sorted variables and secrets, a volume per writable path, an init process, non-blocking logs", () => {
        assert.deepEqual(containerDefinition(spec), {
            name: "app",
            image: "nginx:1.27",
            essential: true,
            environment: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
            ],
            secrets: [
                { name: "Y", valueFrom: "arn:aws:ssm:eu-west-1:123456789012:parameter/y" },
                { name: "Z", valueFrom: "arn:aws:ssm:eu-west-1:123456789012:parameter/z" },
            ],
            stopTimeout: 30,
            readonlyRootFilesystem: true,
            mountPoints: [
                { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
                { sourceVolume: "var-cache-nginx", containerPath: "/var/cache/nginx/", readOnly: false },
            ],
            linuxParameters: { initProcessEnabled: true },
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": "/ecs/app", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app", mode: "non-blocking", "max-buffer-size": "25m" },
            },
        });
    });

    it("adds the optional settings only when given", () => {
        const healthCheck = { command: ["CMD", "true"], interval: 30, timeout: 5, retries: 3, startPeriod: 10 };
        const full = containerDefinition({ ...spec, cpu: 256, memoryReservation: 512, port: 8080, command: ["run"], entryPoint: ["/bin/sh"], healthCheck, user: "1000", dependsOnHealthy: ["db"] });
        assert.equal(full.cpu, 256);
        assert.equal(full.memoryReservation, 512);
        assert.deepEqual(full.portMappings, [{ containerPort: 8080, protocol: "tcp", name: "app-8080" }]);
        assert.deepEqual(full.command, ["run"]);
        assert.deepEqual(full.entryPoint, ["/bin/sh"]);
        assert.deepEqual(full.healthCheck, healthCheck);
        assert.equal(full.user, "1000");
        assert.deepEqual(full.dependsOn, [{ containerName: "db", condition: "HEALTHY" }]);
        assert.equal(containerDefinition({ ...spec, dependsOnHealthy: [] }).dependsOn, undefined);
        assert.equal(containerDefinition({ ...spec, cpu: 0 }).cpu, 0);
    });

    it("names a volume after its path, with anything but letters, digits, _ and - as one dash", () => {
        assert.equal(volumeName("/var/cache/nginx"), "var-cache-nginx");
        assert.equal(volumeName("//data//"), "data");
        assert.equal(volumeName("/a b.c/d_e"), "a-b-c-d_e");
        assert.equal(volumeName("/"), "root");
        assert.equal(volumeName("/var//cache/.nginx"), "var-cache-nginx", "a run of such characters is one dash");
    });

    it("gives each distinct writable path of a task one volume, sorted", () => {
        const a = containerDefinition({ ...spec, writablePaths: ["/tmp", "/z"] });
        const b = containerDefinition({ ...spec, name: "side", writablePaths: ["/tmp", "/a"] });
        assert.deepEqual(writableVolumes([a, b]), [{ name: "a" }, { name: "tmp" }, { name: "z" }]);
    });
});
