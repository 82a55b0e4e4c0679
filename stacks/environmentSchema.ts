import { z } from "zod";
import { ContainerInsights, EfsThroughputMode, enumValues } from "../core/enums";
import { FILE_SYSTEM_ID } from "../core/aws/efsRules";
import {
    capacitySchema,
    certificateName,
    checkNetworkLoadBalancer,
    checkService,
    checkTask,
    dnsName,
    isCidr,
    loadBalancerShape,
    networkLoadBalancerShape,
    serviceShape,
    tagsSchema,
    targetShape,
    volumeSchema,
} from "../core/serviceSchema";
import { alarmThresholdsShape, emailList } from "../core/componentSchemas";
import { ALWAYS, closestKey, describeValue, integer } from "../core/validation";
import { checkEventPattern, checkQueueWorker, eventTaskShape, queueWorkerShape, scheduledTaskShape } from "../core/workloadSchemas";
import { CONTROL_IDS } from "../analysis/controlIds";
import { AppProtocol, privateCaArnProblem } from "../core/serviceConnect";
import { ENVIRONMENT_NAME, NatGateways, NetworkMode, Preset, SERVICE_NAME, TaskSubnets } from "./environmentEnums";

/**
 * What an environment is: the schema of a stack's config (`Pulumi.<stack>.yaml`), which a portal
 * may also send as JSON. Every key is checked, unknown keys included. Defaults come from the preset
 * (see presets.ts), so a stack file holds only what differs.
 */

export { ENVIRONMENT_NAME, NatGateways, NetworkMode, Preset, SERVICE_NAME, TaskSubnets } from "./environmentEnums";

/**
 * Tags the environment puts on every resource (stacks/program.ts): which environment and project
 * it belongs to, and which workload. A stack file may not set them, or a service could claim to
 * be prod from a dev stack.
 */
export const RESERVED_TAG_KEYS = ["environment", "project", "service", "task"] as const;



export const networkSchema = z.strictObject({
    mode: z.enum(enumValues(NetworkMode)).optional(),
    availabilityZones: integer(2, 6).optional(),
    cidr: z.string().refine((v) => isCidr(v) && !v.includes(":") && Number(v.split("/")[1]) >= 16 && Number(v.split("/")[1]) <= 24, { message: "is not an IPv4 CIDR block from /16 to /24" }).optional(),
    natGateways: z.enum(enumValues(NatGateways)).optional(),
    taskSubnets: z.enum(enumValues(TaskSubnets)).optional(),
    /** A dual-stack VPC: an Amazon-provided IPv6 /56, a /64 in every subnet (see stacks/dualStackVpc.ts). */
    ipv6: z.boolean().optional(),
    vpcEndpoints: z.boolean().optional(),
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, { message: "is not a VPC ID" }).optional(),
    publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, { message: "is not a subnet ID" })).min(2).optional(),
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, { message: "is not a subnet ID" })).min(2).optional(),
});

export const environmentClusterSchema = z.strictObject({
    containerInsights: z.enum(enumValues(ContainerInsights)).optional(),
    capacity: capacitySchema.optional(),
});

// Subnets come from the network, HTTPS and the domain from the top-level `domain` key.
const { subnetIds: _subnets, https: _https, domain: _domain, ...sharedLoadBalancerShape } = loadBalancerShape;

/**
 * An existing load balancer many environments share (dev, ephemeral): its HTTPS listener and the
 * security group its nodes use. Each environment adds its services' host rules and target groups
 * only, instead of paying for a load balancer of its own. Listener ARN form per
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Listener.html.
 */
export const sharedLoadBalancerSchema = z.strictObject({
    listenerArn: z.string().regex(/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:listener\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+\/[0-9a-f]+$/, {
        message: "is not an Application Load Balancer listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>)",
    }),
    securityGroupId: z.string().regex(/^sg-[0-9a-f]+$/, { message: "is not a security group ID (sg-…): the group of the shared load balancer, which the tasks admit" }),
});

export const environmentLoadBalancerSchema = z.strictObject({ ...sharedLoadBalancerShape, shared: sharedLoadBalancerSchema.optional() });

export const domainSchema = z.strictObject({
    name: certificateName,
    zoneName: dnsName.optional(),
    zoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, { message: "is not a Route 53 hosted zone ID" }).optional(),
});

/** A service entry: the FargateService arguments an environment does not decide itself. */
export const environmentServiceSchema = z
    .strictObject({
        ...serviceShape,
        loadBalancer: z.strictObject(targetShape).optional(),
        /** The services of this environment it calls through ECS Service Connect, by name. */
        calls: z.array(z.string()).optional(),
        /** How the proxy treats the service's port when others call it. */
        serviceConnect: z.strictObject({ appProtocol: z.enum(enumValues(AppProtocol)).optional() }).optional(),
        // Subnets, deletion protection and access logs are the environment's (its public subnets, its preset).
        networkLoadBalancer: z
            .strictObject(networkLoadBalancerShape)
            .superRefine((nlb, ctx) => checkNetworkLoadBalancer(nlb, ctx), ALWAYS)
            .optional(),
        /** EFS volumes on the environment's file system (`fileSystem`), each through an access point of its own. */
        volumes: z.array(volumeSchema).optional(),
    })
    .superRefine(checkService, ALWAYS);

/**
 * The environment's EFS file system, made when a service has `volumes` (components/fileSystem.ts),
 * or one you bring by ID with the security group of its mount targets.
 */
export const environmentFileSystemSchema = z.strictObject({
    fileSystemId: z.string().regex(FILE_SYSTEM_ID, { message: "is not an EFS file system ID (fs- and 8 to 40 hexadecimal digits)" }).optional(),
    securityGroupId: z.string().regex(/^sg-[0-9a-f]+$/, { message: "is not a security group ID (sg-…): the group of the file system's mount targets, which the tasks are admitted to" }).optional(),
    throughputMode: z.enum(enumValues(EfsThroughputMode)).optional(),
    infrequentAccess: z.boolean().optional(),
    backup: z.boolean().optional(),
});

/** Service Connect across the environment: TLS between the proxies, from a Private CA you bring. */
export const environmentServiceConnectSchema = z.strictObject({
    tls: z
        .strictObject({
            privateCaArn: z.string().refine((v) => privateCaArnProblem(v) === undefined, { error: (issue) => privateCaArnProblem(String(issue.input)) }),
            kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, { message: "is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)" }).optional(),
        })
        .optional(),
});

const workloadName = z.string().regex(SERVICE_NAME, { message: "is not a name (lower-case letters, digits and -, at most 20)" });

export const environmentQueueWorkerSchema = z.strictObject({ ...queueWorkerShape, desiredCount: integer(0, 5000).optional() }).superRefine(checkQueueWorker, ALWAYS);

export const environmentScheduledTaskSchema = z.strictObject(scheduledTaskShape).superRefine(checkTask, ALWAYS);

export const environmentEventTaskSchema = z
    .strictObject({ ...eventTaskShape, eventPattern: z.record(z.string(), z.unknown()) })
    .superRefine((task, ctx) => {
        checkTask(task, ctx);
        if (task !== null && typeof task === "object") checkEventPattern(task.eventPattern, ctx, ["eventPattern"]);
    }, ALWAYS);

export const alarmsSchema = z.strictObject({
    enabled: z.boolean().optional(),
    email: emailList.optional(),
    ...alarmThresholdsShape,
});

/** The longest a waiver may run: a risk accepted once is looked at again within a year. */
export const MAX_WAIVER_DAYS = 366;

const WAIVER_FORM = 'a waiver is { reason, expires, approvedBy }, such as { reason: "dev has no domain, so HTTP only", expires: 2027-06-30, approvedBy: "platform-team" }';

/** A calendar date written YYYY-MM-DD that exists (no 2027-02-30). */
export const isoDateSchema = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
    message: "is not a date written YYYY-MM-DD",
});

/** Why a control knowingly fails here, who accepted it and until when (see Waiver). */
export const waiverSchema = z.strictObject(
    {
        reason: z.string().min(20, { message: "must say why in at least 20 characters: what fails, why it is acceptable here, what limits the risk" }),
        expires: isoDateSchema,
        approvedBy: z.string().min(2, { message: "must name who accepted the risk (a person or a team)" }),
    },
    { error: (issue) => (issue.code === "invalid_type" ? `${WAIVER_FORM}; got ${describeValue(issue.input)}` : undefined) },
);

const controlIdSchema = z.string().superRefine((id, ctx) => {
    if ((CONTROL_IDS as readonly string[]).includes(id)) return;
    const guess = closestKey(id, CONTROL_IDS);
    ctx.addIssue({ code: "custom", message: `"${id}" is not a control this project checks${guess ? `; did you mean "${guess}"?` : ` (${CONTROL_IDS.join(", ")})`}` });
});

export const budgetSchema = z.strictObject({
    monthlyUsd: z.number().positive(),
});

export const costAssumptionsSchema = z.strictObject({
    hoursPerMonth: z.number().positive().max(744).optional(),
    spotDiscount: z.number().min(0).max(0.95).optional(),
    requestsPerSecond: z.number().min(0).optional(),
    averageResponseKb: z.number().min(0).optional(),
    natDataGbPerMonth: z.number().min(0).optional(),
    logGbPerTaskMonth: z.number().min(0).optional(),
    neverExpireMonths: z.number().min(0).optional(),
    ecrGbPerRepository: z.number().min(0).optional(),
    efsGbPerFileSystem: z.number().min(0).optional(),
    vpcEndpointDataGbPerMonth: z.number().min(0).optional(),
    queueMessagesPerMonth: z.number().min(0).optional(),
    taskRunMinutes: z.number().min(0).optional(),
    eventRunsPerMonth: z.number().min(0).optional(),
    notificationsPerMonth: z.number().min(0).optional(),
    connectionSeconds: z.number().min(0).optional(),
    containerInsightsMetrics: z.number().min(0).optional(),
    containerInsightsLogGbPerTaskMonth: z.number().min(0).optional(),
    accessLogBytesPerRequest: z.number().min(0).optional(),
    networkConnectionsPerSecond: z.number().min(0).optional(),
    networkGbPerMonth: z.number().min(0).optional(),
    freeTierShare: z.number().min(0).max(1).optional(),
});

/** The deploy-time model's assumptions (analysis/deployModel.ts), in seconds; an hour at most each. */
export const deployAssumptionsSchema = z.strictObject({
    taskStartSeconds: z.number().min(0).max(3600).optional(),
    appStartSeconds: z.number().min(0).max(3600).optional(),
    appStopSeconds: z.number().min(0).max(3600).optional(),
    steadyStateCheckSeconds: z.number().min(0).max(3600).optional(),
    alarmBakeSeconds: z.number().min(0).max(3600).optional(),
    instanceLaunchSeconds: z.number().min(0).max(3600).optional(),
    networkRegistrationSeconds: z.number().min(0).max(3600).optional(),
});

export const deployTargetSchema = z.strictObject({
    rollingUpdateMinutes: z.number().positive().max(180),
});

/** Every key an environment's config may hold, under the project's namespace. */
export const environmentShape = {
    preset: z.enum(enumValues(Preset)),
    network: networkSchema.optional(),
    cluster: environmentClusterSchema.optional(),
    loadBalancer: environmentLoadBalancerSchema.optional(),
    domain: domainSchema.optional(),
    services: z.record(workloadName, environmentServiceSchema).optional(),
    queueWorkers: z.record(workloadName, environmentQueueWorkerSchema).optional(),
    scheduledTasks: z.record(workloadName, environmentScheduledTaskSchema).optional(),
    eventTasks: z.record(workloadName, environmentEventTaskSchema).optional(),
    serviceConnect: environmentServiceConnectSchema.optional(),
    fileSystem: environmentFileSystemSchema.optional(),
    alarms: alarmsSchema.optional(),
    dashboard: z.boolean().optional(),
    waivers: z.record(controlIdSchema, waiverSchema).optional(),
    budget: budgetSchema.optional(),
    deployTarget: deployTargetSchema.optional(),
    costAssumptions: costAssumptionsSchema.optional(),
    tags: tagsSchema.optional(),
};

export const environmentSchema = z.strictObject(environmentShape);
export type EnvironmentConfig = z.input<typeof environmentSchema>;
