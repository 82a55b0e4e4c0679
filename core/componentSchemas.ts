import { z } from "zod";
import { AWS_REGION } from "./arns";
import { DEFAULT_CAPACITY } from "./capacity";
import { ContainerInsights, enumValues } from "./enums";
import { capacitySchema, isObject, loadBalancerShape, repositorySchema, tagsSchema } from "./serviceSchema";
import { ALWAYS, inputArray, inputString, integer } from "./validation";

/**
 * The schemas of the parts usable alone (FargateCluster, ServiceLoadBalancer, ServiceRepository,
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

/** ECS needs one provider with a weight above 0 (CapacityProviderStrategyItem, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html). */
function checkCapacity(capacity: unknown, ctx: z.RefinementCtx, path: PropertyKey[]): void {
    if (!isObject(capacity)) return;
    if ((capacity.fargateWeight ?? DEFAULT_CAPACITY.fargateWeight) === 0 && (capacity.spotWeight ?? DEFAULT_CAPACITY.spotWeight) === 0) {
        ctx.addIssue({ code: "custom", path, message: "fargateWeight and spotWeight are both 0: ECS needs at least one provider with a weight above 0" });
    }
}

export const fargateClusterArgsSchema = z
    .strictObject({
        containerInsights: z.enum(enumValues(ContainerInsights)).optional(),
        capacity: capacitySchema.optional(),
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
            ctx.addIssue({ code: "custom", path: ["https"], message: "is true but certificateArn is not set: HTTPS needs an ACM certificate (or a domain to create one for)" });
        }
        if (isObject(args.domain) && args.domain.zoneName === undefined && args.domain.zoneId === undefined) {
            ctx.addIssue({ code: "custom", path: ["domain"], message: "needs zoneName or zoneId: the Route 53 zone where the certificate is validated" });
        }
    }, ALWAYS);

export const serviceRepositoryArgsSchema = z.strictObject({
    ...repositorySchema.shape,
    receivesBuilds: z.boolean().optional(),
    protect: z.boolean().optional(),
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
