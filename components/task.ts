import * as pulumi from "@pulumi/pulumi";
import type { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import { ecrImage, ecrRepositoryArn, secretPolicyResource, secretSource } from "../core/arns";
import { ContainerDefinition, ContainerSpec, EXEC_AGENT_PATHS, containerDefinition, writableVolumes } from "../core/containerDefinitions";
import { Architecture, IpStack } from "../core/enums";
import { defaultArchitecture } from "../core/architecture";
import { DEFAULT_TASK_CPU, defaultMemoryFor } from "../core/fargateSizes";
import { AccountContext, ExecutionRoleGrants } from "../core/iamDocuments";
import { taskFamily } from "../core/names";
import { MAIN_CONTAINER } from "../core/serviceSchema";
import { DEFAULT_CONTAINER_PORT } from "../core/serviceDefaults";
import { accountContext } from "./accountContext";
import { ContainerArgs, SidecarArgs } from "./containerArgs";
import { BuiltImage, ImageArgs, buildAndPushImage, resolveImageTag } from "./image";
import { LogArgs, containerLogGroup } from "./logGroup";
import { RepositoryArgs, ServiceRepository } from "./repository";
import { ExecutionRole, TaskRole, TaskRoleArgs, createExecutionRole, createTaskRole } from "./taskRoles";
import { dualStackImageUri } from "../core/imageReference";
import { releaseRepositoryName } from "../core/ecrNames";
import type { NetworkPlacementArgs } from "./workloadArgs";
import type { ManagedInstancesArgs } from "./managedInstances";
import { MANAGED_INSTANCES } from "../core/managedInstances";
import { EfsVolumeArgs, EfsVolumes, createEfsVolumes } from "./efsVolumes";

/** What runs in a Fargate task: shared by services, scheduled tasks and event-driven tasks. */
export interface FargateTaskArgs {
    /**
     * The image to run: an existing image by URI, a tag pushed to the task's own ECR repository,
     * or a build from a Docker context, pushed and pinned by digest. Set exactly one of `uri`,
     * `tag` and `build`.
     * @example
     * ```ts
     * image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" }
     * image: { tag: "v1.4.2" }
     * image: { build: { context: "./app" } }
     * ```
     */
    image: ImageArgs;
    /**
     * The ECR repository created when `image.build` is used, or `image.tag` without `image.repository`.
     * @default named `<project>/<stack>/<name>`; scan on push, immutable tags (but `build-*`), untagged images expire after 7 days, the last 30 images kept
     * @example
     * ```ts
     * repository: { forceDelete: true, keepTaggedImages: 10 }
     * ```
     */
    repository?: RepositoryArgs;
    /**
     * CPU units for the task (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
     * @default 256
     * @example
     * ```ts
     * cpu: 1024
     * ```
     */
    cpu?: number;
    /**
     * Memory (MiB) for the task; each `cpu` allows a range (256: 512, 1024 or 2048; 512: 1024 to
     * 4096; 1024: 2048 to 8192; and so on).
     * @default twice `cpu`
     * @example
     * ```ts
     * memory: 2048
     * ```
     */
    memory?: number;
    /**
     * The CPU architecture. ARM64 (Graviton) is about 20% cheaper, on-demand and on Fargate Spot;
     * the image must run there. An image built here (`image.build`) is built for this architecture
     * (building linux/arm64 on an x86 machine needs QEMU, `docker run --privileged --rm
     * tonistiigi/binfmt --install arm64`, or an ARM builder); an image by URI or tag cannot be
     * known to be ARM64, so it stays X86_64 unless you say so.
     * @default "ARM64" with `image.build`; "X86_64" with `image.uri` or `image.tag`
     * @example
     * ```ts
     * architecture: "ARM64"
     * ```
     */
    architecture?: Architecture;
    /**
     * The main container: port, command, environment, secrets, health check, user, filesystem.
     * @default read-only root filesystem with a writable /tmp; port 8080 behind a load balancer
     * @example
     * ```ts
     * container: { port: 3000, environment: { NODE_ENV: "production" } }
     * ```
     */
    container?: ContainerArgs;
    /**
     * More containers in the same task.
     * @default []
     * @example
     * ```ts
     * sidecars: [{ name: "envoy", image: "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.12.1-prod", cpu: 64, memory: 128 }]
     * ```
     */
    sidecars?: SidecarArgs[];
    /**
     * Permissions of the application itself (the task role). Empty unless given.
     * @default no permissions
     * @example
     * ```ts
     * taskRole: { statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::my-bucket/*"] }] }
     * ```
     */
    taskRole?: TaskRoleArgs;
    /**
     * Allow `aws ecs execute-command` into running containers (ECS Exec). Adds the four
     * `ssmmessages` permissions to the task role and, with a read-only root filesystem, writable
     * directories for the SSM agent.
     * @default false
     * @example
     * ```ts
     * enableExecuteCommand: true
     * ```
     */
    enableExecuteCommand?: boolean;
    /**
     * The CloudWatch log group of the containers.
     * @default kept 30 days
     * @example
     * ```ts
     * logs: { retentionDays: 365 }
     * ```
     */
    logs?: LogArgs;
    /**
     * Protect the stateful children (ECR repository, log group, access-log bucket, and the queues of
     * queue workers and scheduled or event tasks): Pulumi refuses to
     * delete them, and removing them from the program leaves them in AWS (`protect` and
     * `retainOnDelete`).
     * @default false
     * @example
     * ```ts
     * protectStatefulResources: true
     * ```
     */
    protectStatefulResources?: boolean;
    /**
     * Tags for every child that takes tags.
     * @default {}
     * @example
     * ```ts
     * tags: { team: "payments", environment: "prod" }
     * ```
     */
    tags?: Record<string, string>;
}

export const CONTAINER_DEFAULTS = {
    port: DEFAULT_CONTAINER_PORT,
    stopTimeout: 30,
    writablePaths: ["/tmp"],
    healthCheck: { interval: 15, timeout: 5, retries: 3, startPeriod: 10 },
} as const;

/** The pieces of a task definition, created under `parent`. */
export interface FargateTaskParts {
    repository?: ServiceRepository;
    builtImage?: BuiltImage;
    /** The image the main container runs. */
    imageRef: pulumi.Output<string>;
    logGroup: LogGroup;
    executionRole: ExecutionRole;
    taskRole: TaskRole;
    taskDefinition: TaskDefinition;
    account: pulumi.Output<AccountContext>;
    /** The main container's port, if it has one. */
    port?: number;
    /** The EFS volumes' access points, when the task mounts any. */
    efs?: EfsVolumes;
}

/**
 * Creates the repository (when the image is ours), the log group, the two roles and the task
 * definition. `defaultPort` is the main container's port when the arguments give none.
 */
export function createFargateTask(
    name: string,
    args: FargateTaskArgs & Pick<NetworkPlacementArgs, "ipStack"> & { managedInstances?: ManagedInstancesArgs; volumes?: EfsVolumeArgs[] },
    parent: pulumi.Resource,
    defaultPort?: number,
    /** The main port's protocol, for Service Connect's proxy. */
    appProtocol?: string,
): FargateTaskParts {
    const architecture = args.architecture ?? defaultArchitecture(args.image);
    const cpu = args.cpu ?? DEFAULT_TASK_CPU;
    const memory = args.memory ?? defaultMemoryFor(cpu);
    const protect = args.protectStatefulResources ?? false;
    const tags = args.tags;
    const account = accountContext(parent);

    let repository: ServiceRepository | undefined;
    let builtImage: BuiltImage | undefined;
    let imageRef: pulumi.Output<string>;
    if (args.image.uri !== undefined) {
        imageRef = pulumi.output(args.image.uri);
    } else if (args.image.tag !== undefined && (args.image.repository !== undefined || args.image.registryId !== undefined)) {
        // A repository someone else owns (a release repository, maybe in another account): read, never created here.
        const repositoryName = args.image.repository ?? releaseRepositoryName(pulumi.getProject(), name);
        imageRef = resolveImageTag(args.image.tag, repositoryName, account, parent, args.image.digest, args.image.registryId);
    } else {
        const building = args.image.build !== undefined;
        repository = new ServiceRepository(
            name,
            { ...args.repository, receivesBuilds: building, protect, tags },
            { parent },
        );
        if (args.image.build) {
            builtImage = buildAndPushImage(name, args.image.build, architecture, repository.repository, parent);
            imageRef = builtImage.ref;
        } else {
            imageRef = resolveImageTag(args.image.tag as string, repository.repository.name, account, parent, args.image.digest);
        }
    }

    const efs = args.volumes && args.volumes.length > 0 ? createEfsVolumes(name, args.volumes, account, parent, tags) : undefined;
    const logGroup = containerLogGroup(name, { ...args.logs, project: pulumi.getProject(), stack: pulumi.getStack(), tags, protect }, parent);
    const container = args.container ?? {};
    const port = container.port ?? defaultPort;
    const exec = args.enableExecuteCommand ?? false;
    const sidecars = args.sidecars ?? [];

    const resolvedSidecars = pulumi.all(
        sidecars.map((s) => pulumi.all([pulumi.output(s.image), resolveContainer(s.container ?? {})]).apply(([image, c]) => ({ image: args.ipStack === IpStack.Ipv6 ? dualStackImageUri(image) : image, container: c }))),
    );
    // Tasks in IPv6-only subnets reach ECR only through its dual-stack endpoint.
    const pulledRef = args.ipStack === IpStack.Ipv6 ? imageRef.apply(dualStackImageUri) : imageRef;
    const resolved = pulumi.all([pulledRef, logGroup.name, account, resolveContainer(container), resolvedSidecars]);
    const definitions = resolved.apply(([image, group, acct, main, sides]) => {
        const specOf = (c: ResolvedContainer, base: Pick<ContainerSpec, "name" | "image" | "essential">): ContainerSpec => {
            const readonly = c.readonlyRootFilesystem ?? true;
            const writable = [...(c.writablePaths ?? CONTAINER_DEFAULTS.writablePaths)];
            if (exec && readonly) writable.push(...EXEC_AGENT_PATHS.filter((p) => !writable.includes(p)));
            return {
                ...base,
                command: c.command,
                entryPoint: c.entryPoint,
                environment: c.environment,
                secrets: c.secrets,
                healthCheck: c.healthCheck ? { ...CONTAINER_DEFAULTS.healthCheck, ...c.healthCheck } : undefined,
                stopTimeout: c.stopTimeout ?? CONTAINER_DEFAULTS.stopTimeout,
                readonlyRootFilesystem: readonly,
                writablePaths: writable,
                user: c.user,
                logGroup: group,
                region: acct.region,
            };
        };
        const mainSpec: ContainerSpec = {
            ...specOf(main as ResolvedContainer, { name: MAIN_CONTAINER, image, essential: true }),
            port,
            appProtocol,
            dependsOnHealthy: sidecars.filter((s) => s.startBeforeMain).map((s) => s.name),
            gpus: args.managedInstances?.gpu?.count,
            volumeMounts: efs?.mountPoints,
        };
        const sideSpecs = sidecars.map((s, i): ContainerSpec => ({
            ...specOf(sides[i].container as ResolvedContainer, { name: s.name, image: sides[i].image, essential: s.essential ?? false }),
            port: sides[i].container.port,
            cpu: s.cpu,
            memoryReservation: s.memory,
        }));
        return [mainSpec, ...sideSpecs].map(containerDefinition);
    });

    const grants = pulumi.all([definitions, logGroup.arn, pulumi.all([container, ...sidecars.map((s) => s.container ?? {})].map((c) => pulumi.output(c.secretKmsKeyArns ?? [])))])
        .apply(([defs, logGroupArn, kmsKeys]) => executionGrants(defs, logGroupArn, kmsKeys.flat()));
    const executionRole = createExecutionRole(`${name}-execution`, grants, account, parent, tags);
    const taskRole = createTaskRole(`${name}-task`, args.taskRole ?? {}, exec, account, parent, tags, efs?.statements);

    const taskDefinition = new TaskDefinition(
        name,
        {
            family: taskFamily(pulumi.getProject(), pulumi.getStack(), name),
            cpu: String(cpu),
            memory: String(memory),
            networkMode: "awsvpc",
            // One or the other: a GPU reservation is refused on Fargate, so a task for Managed Instances says only that.
            requiresCompatibilities: [args.managedInstances ? MANAGED_INSTANCES : "FARGATE"],
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: architecture },
            executionRoleArn: executionRole.role.arn,
            taskRoleArn: taskRole.role.arn,
            containerDefinitions: definitions.apply((defs) => JSON.stringify(defs)),
            volumes: efs
                ? pulumi.all([definitions, efs.volumes]).apply(([defs, shared]) => [...writableVolumes(defs, shared.map((v) => v.name)), ...shared])
                : definitions.apply((defs) => writableVolumes(defs)),
            tags,
        },
        // The execution role's policy must exist before a task can start with it.
        { parent, dependsOn: [executionRole.policy] },
    );

    return { repository, builtImage, imageRef, logGroup, executionRole, taskRole, taskDefinition, account, port, efs };
}

interface ResolvedContainer extends Omit<ContainerArgs, "environment" | "secrets" | "secretKmsKeyArns"> {
    environment: Record<string, string>;
    secrets: Record<string, string>;
}

function resolveContainer(container: ContainerArgs): pulumi.Output<ResolvedContainer> {
    return pulumi.all([pulumi.output(container.environment ?? {}), pulumi.output(container.secrets ?? {})]).apply(([environment, secrets]) => ({
        ...container,
        environment: environment as Record<string, string>,
        secrets: secrets as Record<string, string>,
    }));
}

/** What the execution role may touch, read from the finished container definitions. */
export function executionGrants(definitions: ContainerDefinition[], logGroupArn: string, kmsKeyArns: string[]): ExecutionRoleGrants {
    const repositoryArns: string[] = [];
    const secretArns: string[] = [];
    const parameterArns: string[] = [];
    for (const d of definitions) {
        const ecr = ecrImage(d.image);
        if (ecr) repositoryArns.push(ecrRepositoryArn(ecr));
        for (const s of d.secrets) {
            if (secretSource(s.valueFrom) === "ssm") parameterArns.push(s.valueFrom);
            else secretArns.push(secretPolicyResource(s.valueFrom));
        }
    }
    return { repositoryArns, logGroupArns: [logGroupArn], secretArns, parameterArns, kmsKeyArns };
}
