import { z } from "zod";
import { AWS_REGION } from "./arns";
import { pullAccessProblems } from "./repositoryPolicy";
import { DEFAULT_CAPACITY } from "./capacity";
import { ContainerInsights, EfsThroughputMode, enumValues } from "./enums";
import { capacitySchema, isObject, loadBalancerShape, repositorySchema, tagsSchema } from "./serviceSchema";
import { ALWAYS, inputArray, inputString, integer } from "./validation";
import { clusterServiceConnectSchema } from "./serviceConnectSchema";

/**
 * The schemas of the parts usable alone (FargateCluster, ServiceLoadBalancer, ServiceRepository, ReleaseRepository,
 * ServiceAlarms, EnvironmentAlerts, the dashboard): each component parses its arguments with its
 * schema before it registers anything, so a wrong argument is a message naming it, not an error
 * from AWS halfway through a deploy.
 */

/** Alarm thresholds: shared by ServiceAlarms and a stack file's `alarms`. */
export const alarmThresholdsShape = {
    cpuPercent: integer(1, 100).optional(),
    memoryPercent: integer(1, 100).optional(),
    error5xxPercent: z.number().min(0.1).max(100).optional(),
    responseTimeSeconds: z.number().min(0.01).max(60).optional(),
};

export const emailList = z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { message: "is not an e-mail address" }));

/** A problem a refinement finds, at `path` under the arguments. */
function addProblem(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
    ctx.addIssue({
        // Stryker disable next-line StringLiteral: problemsFrom (core/validation.ts) reads a code only to tell zod's unknown and invalid keys apart; any other is reported by its message
        code: "custom",
        path,
        message,
    });
}

/** ECS needs one provider with a weight above 0 (CapacityProviderStrategyItem, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html). */
function checkCapacity(capacity: unknown, ctx: z.RefinementCtx, path: PropertyKey[]): void {
    if (!isObject(capacity)) return;
    // Stryker disable next-line LogicalOperator: the default weights are 1, so `weight && default` is 0 exactly when `weight ?? default` is: when the weight given is 0
    if ((capacity.fargateWeight ?? DEFAULT_CAPACITY.fargateWeight) === 0 && (capacity.spotWeight ?? DEFAULT_CAPACITY.spotWeight) === 0) {
        addProblem(ctx, path, "fargateWeight and spotWeight are both 0: ECS needs at least one provider with a weight above 0");
    }
}

export const fargateClusterArgsSchema = z
    .strictObject({
        containerInsights: z.enum(enumValues(ContainerInsights)).optional(),
        capacity: capacitySchema.optional(),
        serviceConnect: clusterServiceConnectSchema.optional(),
        tags: tagsSchema.optional(),
    })
    .superRefine((args, ctx) => checkCapacity(args?.capacity, ctx, ["capacity"]), ALWAYS);

export const serviceLoadBalancerArgsSchema = z
    .strictObject({
        ...loadBalancerShape,
        vpcId: inputString(),
        // An Application Load Balancer needs subnets in at least two Availability Zones.
        subnetIds: inputArray(2),
        defaultTargetGroupArn: inputString().optional(),
        protectStatefulResources: z.boolean().optional(),
        tags: tagsSchema.optional(),
    })
    .superRefine((args, ctx) => {
        if (!isObject(args)) return;
        if (args.https === true && args.certificateArn === undefined && args.domain === undefined) {
            addProblem(ctx, ["https"], "is true but certificateArn is not set: HTTPS needs an ACM certificate (or a domain to create one for)");
        }
        if (isObject(args.domain) && args.domain.zoneName === undefined && args.domain.zoneId === undefined) {
            addProblem(ctx, ["domain"], "needs zoneName or zoneId: the Route 53 zone where the certificate is validated");
        }
    }, ALWAYS);

export const serviceRepositoryArgsSchema = z.strictObject({
    ...repositorySchema.shape,
    receivesBuilds: z.boolean().optional(),
    protect: z.boolean().optional(),
    tags: tagsSchema.optional(),
});

/**
 * A release repository's arguments. The account rules (12 digits, each once, principals inside the
 * named accounts, ECR's policy length) are core/repositoryPolicy.ts's, so a stack file and the
 * component report the same problems.
 */
export const releaseRepositoryShape = {
    name: repositorySchema.shape.name,
    pullAccounts: z.array(z.string()).optional(),
    organizationId: z.string().optional(),
    principalArns: z.array(z.string()).min(1).optional(),
    untaggedExpiryDays: repositorySchema.shape.untaggedExpiryDays,
    kmsKeyArn: repositorySchema.shape.kmsKeyArn,
    tags: tagsSchema.optional(),
};

/** The account rules over pullAccounts, organizationId and principalArns: a release stack file's `releases` shares them. */
export function checkPullAccess(args: unknown, ctx: z.RefinementCtx): void {
    if (!isObject(args)) return;
    const accounts = Array.isArray(args.pullAccounts) ? (args.pullAccounts as string[]) : undefined;
    for (const key of ["organizationId", "principalArns"] as const) {
        if (args[key] !== undefined && accounts === undefined) ctx.addIssue({ code: "custom", path: [key], message: "narrows pullAccounts, which is not set: name the accounts first" });
    }
    // A value of the wrong type has its type's message from the shape; the rules judge text only.
    const texts = (list: unknown) => list === undefined || (Array.isArray(list) && list.every((item) => typeof item === "string"));
    if (accounts === undefined || !texts(accounts) || !texts(args.principalArns) || !(args.organizationId === undefined || typeof args.organizationId === "string")) return;
    const problems = pullAccessProblems({ accounts, organizationId: args.organizationId as string | undefined, principalArns: args.principalArns as string[] | undefined });
    for (const problem of problems) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
}

export const releaseRepositoryArgsSchema = z.strictObject(releaseRepositoryShape).superRefine(checkPullAccess, ALWAYS);

/** A file system shared by the tasks of an environment (components/fileSystem.ts). */
export const sharedFileSystemArgsSchema = z.strictObject({
    vpcId: inputString(),
    // One mount target per subnet: the count must be known when the program runs, so a list, not an output of one.
    subnetIds: z.array(inputString()).min(1, { message: "needs at least one subnet: a mount target is made in each (one per Availability Zone)" }),
    throughputMode: z.enum(enumValues(EfsThroughputMode)).optional(),
    infrequentAccess: z.boolean().optional(),
    kmsKeyArn: inputString((v) => (/^arn:aws[a-z-]*:kms:/.test(v) ? undefined : `${JSON.stringify(v)} is not a KMS key ARN`)).optional(),
    backup: z.boolean().optional(),
    protectStatefulResources: z.boolean().optional(),
    tags: tagsSchema.optional(),
});

const loadBalancerMetrics = z.strictObject({ arnSuffix: inputString(), targetGroupArnSuffix: inputString() });

export const serviceAlarmsArgsSchema = z.strictObject({
    ...alarmThresholdsShape,
    topicArn: inputString(),
    clusterName: inputString(),
    serviceName: inputString(),
    loadBalancer: loadBalancerMetrics.extend({ alternateTargetGroupArnSuffix: inputString().optional() }).optional(),
    containerInsights: z.boolean().optional(),
    tags: tagsSchema.optional(),
});

export const environmentAlertsArgsSchema = z.strictObject({
    clusterArn: inputString(),
    email: emailList.optional(),
    tags: tagsSchema.optional(),
});

const label = z.string().min(1).max(100);

export const dashboardSourceSchema = z.strictObject({
    region: z.string().regex(AWS_REGION, { message: "is not an AWS Region such as eu-west-1" }),
    clusterName: inputString(),
    containerInsights: z.boolean(),
    services: z.array(z.strictObject({ label, serviceName: inputString(), loadBalancer: loadBalancerMetrics.optional() })),
    queues: z.array(z.strictObject({ label, queueName: inputString() })),
});
