import * as fs from "node:fs";
import * as path from "node:path";
import type { ReadmeExample } from "../readmeBlocks";

/**
 * The files of a user's Pulumi project, as `pulumi new aws-typescript` lays it out, that installs
 * packed packages from their tarballs beside its own @pulumi/pulumi, @pulumi/aws and @pulumi/awsx.
 */

/** The file a README example is compiled from. */
export function exampleFile(index: number): string {
    return `readme-example-${index + 1}.ts`;
}

/** The compiler options of Pulumi's aws-typescript template: no skipLibCheck, no esModuleInterop. */
export const PULUMI_TEMPLATE_OPTIONS = {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: false,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
};

/**
 * The user's program: the component on the default VPC, reaching a child through its typed
 * property, with a queue worker and a scheduled task on its cluster.
 */
const PROGRAM = `import * as aws from "@pulumi/aws";
import { Architecture, FargateService, QueueScalingPolicy, QueueWorker, ScheduledTask } from "@fargate-service/components";

const vpc = aws.ec2.getVpcOutput({ default: true });
const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] });

const api = new FargateService("api", {
    vpcId: vpc.id,
    subnetIds: subnets.ids,
    assignPublicIp: true,
    image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
    architecture: Architecture.ARM64,
    container: { writablePaths: ["/tmp", "/var/cache/nginx"] },
    loadBalancer: { subnetIds: subnets.ids },
});

// The component's children are instances of this program's own @pulumi/aws classes.
const service: aws.ecs.Service = api.service;

const network = { vpcId: vpc.id, subnetIds: subnets.ids, assignPublicIp: true };
const busybox = { uri: "public.ecr.aws/docker/library/busybox:1.37" };

const jobs = new QueueWorker("jobs", {
    ...network,
    cluster: { arn: api.clusterArn, name: api.clusterName },
    image: busybox,
    scaling: { min: 0, max: 2, policy: QueueScalingPolicy.QueueDepth },
});

new ScheduledTask("nightly", { ...network, clusterArn: api.clusterArn, image: busybox, schedule: "cron(0 3 * * ? *)" });

export const url = api.url;
export const serviceName = service.name;
export const queueUrl = jobs.queueUrl;
`;

/** A unit-test style run of the program on the user's own mocks; prints what registered as JSON. */
const MOCKED_RUN = `import * as pulumi from "@pulumi/pulumi";

const registered: { type: string; name: string }[] = [];

pulumi.runtime.setMocks(
    {
        newResource(args) {
            registered.push({ type: args.type, name: args.name });
            const arn = \`arn:aws:mock:eu-west-1:123456789012:\${args.name}\`;
            return { id: \`\${args.name}-id\`, state: { ...args.inputs, arn, dnsName: \`\${args.name}.eu-west-1.elb.amazonaws.com\` } };
        },
        call(args) {
            switch (args.token) {
                // The component asks who and where it is, for ARNs in its IAM policies.
                case "aws:index/getCallerIdentity:getCallerIdentity":
                    return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/test", userId: "AIDATEST", id: "123456789012" };
                case "aws:index/getRegion:getRegion":
                    return { name: "eu-west-1", region: "eu-west-1", id: "eu-west-1" };
                case "aws:ec2/getVpc:getVpc":
                    return { id: "vpc-default" };
                case "aws:ec2/getSubnets:getSubnets":
                    return { ids: ["subnet-a", "subnet-b"], id: "eu-west-1" };
                default:
                    throw new Error(\`no mock for \${args.token}\`);
            }
        },
    },
    "consumer",
    "test",
);

async function main(): Promise<void> {
    const program = await import("./index");
    const url = await new Promise((resolve) => program.url.apply(resolve));
    // Waits until every registration has reached the mocks.
    await pulumi.runtime.disconnect();
    console.log(JSON.stringify({ url, registered }));
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
`;

/** A stack for the plan command: one web service on the dev preset. */
export const STACK = {
    "Pulumi.yaml": "name: shop\nruntime: nodejs\n",
    "Pulumi.test.yaml": `config:
  aws:region: eu-west-1
  shop:preset: dev
  shop:services:
    web:
      image:
        uri: public.ecr.aws/nginx/nginx-unprivileged:1.27
      container:
        writablePaths: ["/tmp", "/var/cache/nginx"]
`,
};

/** The project files of a consumer that depends on `dependencies` and compiles `files` under Pulumi's template settings. */
export function consumerFiles(dependencies: Record<string, string>, devDependencies: Record<string, string>, files: string[]): Record<string, string> {
    return {
        "package.json": json({ name: "consumer", private: true, dependencies, devDependencies }),
        "tsconfig.json": json({ compilerOptions: PULUMI_TEMPLATE_OPTIONS, files }),
    };
}

/** Writes a project's files, directories included. */
export function writeFiles(directory: string, files: Record<string, string>): void {
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
        fs.writeFileSync(path.join(directory, name), text);
    }
}

/** A user's program on the component, its mocked run and every README example, as files. */
export function componentProgramFiles(examples: ReadmeExample[]): Record<string, string> {
    const files: Record<string, string> = { "index.ts": PROGRAM, "mocked.ts": MOCKED_RUN };
    examples.forEach((example, i) => {
        files[exampleFile(i)] = `${example.code}\n`;
    });
    return files;
}

/**
 * The consumer program of the plan's tests (tests/fixtures/consumer-program), as a user has it:
 * importing the package by its name instead of the repository's path.
 */
export function consumerProgramFiles(fixture: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(fixture)) {
        const text = fs.readFileSync(path.join(fixture, name), "utf8");
        files[name] = name.endsWith(".ts") ? text.replace(/from "(\.\.\/)+components"/g, 'from "@fargate-service/components"') : text;
    }
    return files;
}

/** The lowest version a peer range admits: `^3.142.0` and `>=0.0.14 <1.0.0` give 3.142.0 and 0.0.14. */
export function rangeFloor(range: string): string {
    const floor = /\d+\.\d+\.\d+/.exec(range)?.[0];
    if (!floor) throw new Error(`no version in the peer range ${range}`);
    return floor;
}

export function json(value: unknown): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}
