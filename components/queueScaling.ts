import * as pulumi from "@pulumi/pulumi";
import { Policy } from "@pulumi/aws/appautoscaling/policy";
import type { Target } from "@pulumi/aws/appautoscaling/target";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { AlarmComparison, wholeRangeStep } from "../core/aws/stepAdjustments";
import { QueueScalingPolicy } from "../core/enums";
import { createScalableTarget } from "./autoscaling";
import { awsName } from "../core/names";

/** How a queue worker's task count follows its queue. */
export interface QueueScalingArgs {
    /**
     * The fewest tasks. 0 stops the worker while the queue is empty (it wakes within about a
     * minute of the next message).
     * @default 1
     * @example
     * ```ts
     * { min: 0 }
     * ```
     */
    min?: number;
    /**
     * The most tasks.
     * @default 10
     * @example
     * ```ts
     * { max: 50 }
     * ```
     */
    max?: number;
    /**
     * `"backlogPerTask"`: target tracking on visible messages per running task, the metric AWS
     * recommends (needs Container Insights on the cluster, which publishes RunningTaskCount).
     * `"queueDepth"`: every task up while messages wait, down to `min` once the queue has been
     * empty for `idleMinutes`; works without Container Insights.
     * @default "backlogPerTask"
     * @example
     * ```ts
     * { policy: "queueDepth" }
     * ```
     */
    policy?: QueueScalingPolicy;
    /**
     * Visible messages one task should have waiting for it: how many it works through in the
     * latency you accept (messages per second per task × seconds).
     * @default 100
     * @example
     * ```ts
     * { backlogPerTask: 20 }
     * ```
     */
    backlogPerTask?: number;
    /**
     * Minutes the queue must stay empty before the worker scales down to `min` ("queueDepth" policy).
     * @default 15
     * @example
     * ```ts
     * { idleMinutes: 5 }
     * ```
     */
    idleMinutes?: number;
    /**
     * Seconds after a scale-in before another.
     * @default 300
     * @example
     * ```ts
     * { scaleInCooldown: 600 }
     * ```
     */
    scaleInCooldown?: number;
    /**
     * Seconds after a scale-out before another.
     * @default 60
     * @example
     * ```ts
     * { scaleOutCooldown: 30 }
     * ```
     */
    scaleOutCooldown?: number;
}

export const QUEUE_SCALING_DEFAULTS = {
    min: 1,
    max: 10,
    policy: QueueScalingPolicy.BacklogPerTask,
    backlogPerTask: 100,
    idleMinutes: 15,
    scaleInCooldown: 300,
    scaleOutCooldown: 60,
} as const;

export interface QueueScalingTargets {
    queueName: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    serviceName: pulumi.Input<string>;
}

export interface QueueScaling {
    target: Target;
    policies: Policy[];
    alarms: MetricAlarm[];
}

const visibleMessages = (queueName: pulumi.Input<string>) => ({
    id: "visible",
    label: "messages waiting",
    metricStat: { metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: [{ name: "QueueName", value: queueName }] }, stat: "Sum" },
    returnData: false,
});

const runningTasks = (t: QueueScalingTargets) => ({
    id: "running",
    label: "running tasks",
    metricStat: {
        metric: {
            namespace: "ECS/ContainerInsights",
            metricName: "RunningTaskCount",
            dimensions: [
                { name: "ClusterName", value: t.clusterName },
                { name: "ServiceName", value: t.serviceName },
            ],
        },
        stat: "Average",
    },
    returnData: false,
});

/** One minute of an SQS metric of the queue, as an alarm's metric query. */
const queueQuery = (id: string, metricName: string, queueName: pulumi.Input<string>, stat: string) => ({
    id,
    metric: { namespace: "AWS/SQS", metricName, dimensions: { QueueName: queueName }, stat, period: 60 },
});

/** The scalable target and the policies (and their alarms) of a queue worker. */
export function createQueueScaling(name: string, args: QueueScalingArgs, on: QueueScalingTargets, parent: pulumi.Resource, tags: Record<string, string> | undefined): QueueScaling {
    const s = { ...QUEUE_SCALING_DEFAULTS, ...args };
    const target = createScalableTarget(name, { clusterName: on.clusterName, serviceName: on.serviceName, min: s.min, max: s.max }, parent, tags);
    // Each step policy is driven by one alarm: the step takes every value that alarm fires on.
    const step = (suffix: string, adjustmentType: string, scalingAdjustment: number, cooldown: number, comparison: AlarmComparison) => {
        const bounds = wholeRangeStep(comparison);
        return new Policy(
            awsName("scalingPolicy", `${name}-${suffix}`),
            {
                policyType: "StepScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                stepScalingPolicyConfiguration: {
                    adjustmentType,
                    cooldown,
                    metricAggregationType: "Maximum",
                    stepAdjustments: [
                        {
                            ...(bounds.lower !== undefined ? { metricIntervalLowerBound: String(bounds.lower) } : {}),
                            ...(bounds.upper !== undefined ? { metricIntervalUpperBound: String(bounds.upper) } : {}),
                            scalingAdjustment,
                        },
                    ],
                },
            },
            { parent },
        );
    };
    const alarm = (suffix: string, description: string, comparisonOperator: AlarmComparison, props: Record<string, unknown>, action: Policy) =>
        new MetricAlarm(
            awsName("metricAlarm", `${name}-${suffix}`),
            { alarmDescription: description, comparisonOperator, threshold: 1, alarmActions: [action.arn], tags, ...props },
            { parent },
        );

    const policies: Policy[] = [];
    const alarms: MetricAlarm[] = [];
    if (s.policy === QueueScalingPolicy.BacklogPerTask) {
        policies.push(
            new Policy(
                awsName("scalingPolicy", `${name}-backlog`),
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    targetTrackingScalingPolicyConfiguration: {
                        targetValue: s.backlogPerTask,
                        scaleInCooldown: s.scaleInCooldown,
                        scaleOutCooldown: s.scaleOutCooldown,
                        customizedMetricSpecification: {
                            metrics: [visibleMessages(on.queueName), runningTasks(on), { id: "backlog", label: "messages per task", expression: "visible / running", returnData: true }],
                        },
                    },
                },
                { parent },
            ),
        );
        if (s.min === 0) {
            // Backlog per task has no value at zero tasks (nothing to divide by): a separate alarm wakes
            // the worker when messages wait and nothing runs.
            const wake = step("wake", "ChangeInCapacity", 1, s.scaleOutCooldown, "GreaterThanOrEqualToThreshold");
            policies.push(wake);
            alarms.push(
                alarm(
                    "wake",
                    "Messages wait and no task runs: start one",
                    "GreaterThanOrEqualToThreshold",
                    {
                        evaluationPeriods: 1,
                        treatMissingData: "notBreaching",
                        metricQueries: [
                            queueQuery("visible", "ApproximateNumberOfMessagesVisible", on.queueName, "Sum"),
                            {
                                id: "running",
                                metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: { ClusterName: on.clusterName, ServiceName: on.serviceName }, stat: "Average", period: 60 },
                            },
                            { id: "stalled", expression: "IF(visible > 0 AND FILL(running, 0) == 0, 1, 0)", label: "messages waiting with no task", returnData: true },
                        ],
                    },
                    wake,
                ),
            );
        }
    } else {
        const up = step("up", "ExactCapacity", s.max, s.scaleOutCooldown, "GreaterThanOrEqualToThreshold");
        const down = step("down", "ExactCapacity", s.min, s.scaleInCooldown, "LessThanOrEqualToThreshold");
        policies.push(up, down);
        alarms.push(
            alarm(
                "busy",
                "Messages wait: run every task",
                "GreaterThanOrEqualToThreshold",
                { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: on.queueName }, statistic: "Maximum", period: 60, evaluationPeriods: 1, treatMissingData: "notBreaching" },
                up,
            ),
            alarm(
                "idle",
                `The queue has been empty for ${s.idleMinutes} minutes: scale down to ${s.min}`,
                "LessThanOrEqualToThreshold",
                {
                    threshold: 0,
                    evaluationPeriods: s.idleMinutes,
                    // An idle queue stops publishing metrics after a while: missing data means empty.
                    treatMissingData: "breaching",
                    metricQueries: [
                        queueQuery("visible", "ApproximateNumberOfMessagesVisible", on.queueName, "Maximum"),
                        queueQuery("inflight", "ApproximateNumberOfMessagesNotVisible", on.queueName, "Maximum"),
                        { id: "pending", expression: "visible + inflight", label: "messages waiting or in flight", returnData: true },
                    ],
                },
                down,
            ),
        );
    }
    return { target, policies, alarms };
}
