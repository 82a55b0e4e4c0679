import { z } from "zod";
import { parseArn } from "./arns";
import { strategyProblems } from "./deploymentStrategy";
import { OutboundTraffic, QueueScalingPolicy, enumValues } from "./enums";
import { isTimeZone, scheduleExpressionProblem } from "./scheduleExpressions";
import { capacitySchema, checkBuildContext, checkIpStack, checkTask, clusterAttachmentSchema, deploymentSchema, ipStackSchema, isObject, taskShape } from "./serviceSchema";
import { ALWAYS, describeValue, inputArray, inputString, integer } from "./validation";

/**
 * The schemas of the workloads beside web services: queue workers, scheduled tasks and
 * event-driven tasks, for their components and for their entries in a stack file.
 */

const sqsArn = inputString((v) => (parseArn(v)?.service === "sqs" ? undefined : `${describeValue(v)} is not an SQS queue ARN`));

export const queueSchema = z.strictObject({
    arn: sqsArn.optional(),
    visibilityTimeout: integer(0, 43200).optional(),
    retentionDays: integer(1, 14).optional(),
    maxReceiveCount: integer(1, 1000).optional(),
});

export const queueScalingSchema = z.strictObject({
    min: integer(0, 5000).optional(),
    max: integer(1, 5000).optional(),
    policy: z.enum(enumValues(QueueScalingPolicy)).optional(),
    backlogPerTask: integer(1, 1000000).optional(),
    idleMinutes: integer(1, 1440).optional(),
    scaleInCooldown: integer(0, 3600).optional(),
    scaleOutCooldown: integer(0, 3600).optional(),
});

export const retrySchema = z.strictObject({
    maximumAttempts: integer(0, 185).optional(),
    maximumEventAgeSeconds: integer(60, 86400).optional(),
});

const schedule = z.string().superRefine((value, ctx) => {
    const problem = scheduleExpressionProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
});
const timezone = z.string().refine(isTimeZone, { message: "is not an IANA time zone such as Europe/Paris" });
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "is not a valid environment variable name" });
const eventPath = z.string().regex(/^\$(\.[A-Za-z0-9_-]+|\[\d+\])+$/, { message: 'is not a JSON path into the event such as "$.detail.object.key"' });

/** What every workload beside a web service has: a task, its outbound traffic, its capacity split. */
const workloadShape = {
    ...taskShape,
    outboundTraffic: z.enum(enumValues(OutboundTraffic)).optional(),
    capacity: capacitySchema.optional(),
};

/** Fields every queue worker has, in a component or a stack file. */
export const queueWorkerShape = {
    ...workloadShape,
    deployment: deploymentSchema.optional(),
    queue: queueSchema.optional(),
    scaling: queueScalingSchema.optional(),
};

export const scheduledTaskShape = {
    ...workloadShape,
    schedule,
    timezone: timezone.optional(),
    enabled: z.boolean().optional(),
    retry: retrySchema.optional(),
};

export const eventTaskShape = {
    ...workloadShape,
    environmentFromEvent: z.record(envName, eventPath).optional(),
    retry: retrySchema.optional(),
};

/** Where a component-level workload runs, when it is not given by an environment. */
const placementShape = {
    vpcId: inputString(),
    subnetIds: inputArray(1),
    assignPublicIp: z.boolean().optional(),
    ipStack: ipStackSchema.optional(),
};

type Loose = Record<string, any>;

export function checkQueueWorker(args: Loose, ctx: z.RefinementCtx): void {
    if (!isObject(args)) return;
    checkTask(args, ctx);
    const scaling = isObject(args.scaling) ? args.scaling : {};
    if (typeof scaling.min === "number" && typeof scaling.max === "number" && scaling.min > scaling.max) {
        ctx.addIssue({ code: "custom", path: ["scaling", "min"], message: `${scaling.min} is above scaling.max (${scaling.max})` });
    }
    if (scaling.policy === QueueScalingPolicy.QueueDepth && scaling.backlogPerTask !== undefined) {
        ctx.addIssue({ code: "custom", path: ["scaling", "backlogPerTask"], message: 'has no effect with scaling.policy "queueDepth"' });
    }
    // A queue worker has no load balancer: only rolling updates, and only alarms it is given by name.
    for (const problem of strategyProblems(args.deployment, { balanced: false })) ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    const queue = isObject(args.queue) ? args.queue : {};
    if (queue.arn !== undefined) {
        for (const key of ["visibilityTimeout", "retentionDays", "maxReceiveCount"]) {
            if (queue[key] !== undefined) ctx.addIssue({ code: "custom", path: ["queue", key], message: "has no effect on an existing queue (queue.arn), which keeps its own settings" });
        }
    }
}

export function checkEventPattern(pattern: unknown, ctx: z.RefinementCtx, path: PropertyKey[]): void {
    let parsed: unknown = pattern;
    if (typeof pattern === "string") {
        try {
            parsed = JSON.parse(pattern);
        } catch {
            ctx.addIssue({ code: "custom", path, message: "is not valid JSON" });
            return;
        }
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || Object.keys(parsed).length === 0) {
        ctx.addIssue({ code: "custom", path, message: 'must be an EventBridge event pattern: an object such as { "source": ["aws.s3"], "detail-type": ["Object Created"] }' });
    }
}

export const queueWorkerArgsSchema = z
    .strictObject({ ...queueWorkerShape, ...placementShape, cluster: clusterAttachmentSchema.optional(), desiredCount: integer(0, 5000).optional() })
    .superRefine((args, ctx) => {
        checkQueueWorker(args, ctx);
        checkBuildContext(args, ctx);
        checkIpStack(args, ctx);
    }, ALWAYS);

export const scheduledTaskArgsSchema = z.strictObject({ ...scheduledTaskShape, ...placementShape, clusterArn: inputString() }).superRefine((args, ctx) => {
    checkTask(args, ctx);
    checkBuildContext(args, ctx);
    checkIpStack(args, ctx);
}, ALWAYS);

export const eventTaskArgsSchema = z
    .strictObject({ ...eventTaskShape, ...placementShape, clusterArn: inputString(), eventPattern: z.string() })
    .superRefine((args, ctx) => {
        checkTask(args, ctx);
        checkEventPattern(args?.eventPattern, ctx, ["eventPattern"]);
        checkBuildContext(args, ctx);
        checkIpStack(args, ctx);
    }, ALWAYS);
