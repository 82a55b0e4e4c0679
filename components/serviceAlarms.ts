import * as pulumi from "@pulumi/pulumi";
import { serviceAlarmsArgsSchema } from "../core/componentSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import { awsName } from "../core/names";

/** The thresholds of a service's alarms. */
export interface AlarmThresholdsArgs {
    /**
     * Average CPU (percent) above which the service is alarmed, for 3 minutes.
     * @default 80
     * @example
     * ```ts
     * { cpuPercent: 90 }
     * ```
     */
    cpuPercent?: number;
    /**
     * Average memory (percent) above which the service is alarmed, for 3 minutes.
     * @default 80
     * @example
     * ```ts
     * { memoryPercent: 85 }
     * ```
     */
    memoryPercent?: number;
    /**
     * Share of requests answered with a 5xx by the tasks (percent), for 3 minutes.
     * @default 5
     * @example
     * ```ts
     * { error5xxPercent: 1 }
     * ```
     */
    error5xxPercent?: number;
    /**
     * 95th percentile of the tasks' response time (seconds), for 5 minutes.
     * @default 1
     * @example
     * ```ts
     * { responseTimeSeconds: 0.5 }
     * ```
     */
    responseTimeSeconds?: number;
}

export const ALARM_DEFAULTS = { cpuPercent: 80, memoryPercent: 80, error5xxPercent: 5, responseTimeSeconds: 1 } as const;

/**
 * The load balancer and target group a service's request alarms watch, by the ARN suffixes that
 * CloudWatch's `AWS/ApplicationELB` dimensions take.
 */
export interface AlarmLoadBalancerArgs {
    /**
     * The load balancer's ARN suffix (`app/<name>/<id>`), its `LoadBalancer` dimension.
     * @example
     * ```ts
     * { arnSuffix: alb.arnSuffix }
     * ```
     */
    arnSuffix: pulumi.Input<string>;
    /**
     * The target group's ARN suffix (`targetgroup/<name>/<id>`), its `TargetGroup` dimension.
     * @example
     * ```ts
     * { targetGroupArnSuffix: service.targetGroup!.arnSuffix }
     * ```
     */
    targetGroupArnSuffix: pulumi.Input<string>;
    /**
     * The second target group of a blue/green, linear or canary service: production traffic
     * moves between the two, so the alarms count both.
     * @default none
     * @example
     * ```ts
     * { alternateTargetGroupArnSuffix: service.alternateTargetGroup!.arnSuffix }
     * ```
     */
    alternateTargetGroupArnSuffix?: pulumi.Input<string>;
}

export interface ServiceAlarmsArgs extends AlarmThresholdsArgs {
    /**
     * The SNS topic alarms notify (when they fire and when they clear).
     * @example
     * ```ts
     * { topicArn: alerts.topicArn }
     * ```
     */
    topicArn: pulumi.Input<string>;
    /**
     * The cluster's name.
     * @example
     * ```ts
     * { clusterName: cluster.name }
     * ```
     */
    clusterName: pulumi.Input<string>;
    /**
     * The service's name.
     * @example
     * ```ts
     * { serviceName: service.serviceName }
     * ```
     */
    serviceName: pulumi.Input<string>;
    /**
     * The service's load balancer and target group (their ARN suffixes), for the 5xx, unhealthy-target
     * and response-time alarms.
     * @default none (no load balancer alarms)
     * @example
     * ```ts
     * { loadBalancer: { arnSuffix: alb.arnSuffix, targetGroupArnSuffix: service.targetGroup!.arnSuffix } }
     * ```
     */
    loadBalancer?: AlarmLoadBalancerArgs;
    /**
     * Whether the cluster has Container Insights, which publishes running and desired task counts
     * (the "fewer tasks than desired" alarm needs them).
     * @default true
     * @example
     * ```ts
     * { containerInsights: false }
     * ```
     */
    containerInsights?: boolean;
    /**
     * Tags for the alarms.
     * @default {}
     * @example
     * ```ts
     * { tags: { environment: "prod" } }
     * ```
     */
    tags?: Record<string, string>;
}

/**
 * The alarms that say a service is in trouble: CPU and memory high, fewer tasks running than
 * desired, 5xx answers, unhealthy targets, slow responses. Each notifies the topic when it fires
 * and when it clears.
 */
export class ServiceAlarms extends pulumi.ComponentResource {
    public readonly alarms: MetricAlarm[] = [];

    constructor(name: string, args: ServiceAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(serviceAlarmsArgsSchema, args, `ServiceAlarms "${name}"`, "args");
        super(componentType("ServiceAlarms"), name, args, withPreflight(withFormerTypeAlias("ServiceAlarms", opts)));
        const t = { ...ALARM_DEFAULTS, ...args };
        const service = { ClusterName: args.clusterName, ServiceName: args.serviceName };
        const alarm = (suffix: string, description: string, props: Record<string, unknown>) =>
            this.alarms.push(
                new MetricAlarm(
                    awsName("metricAlarm", `${name}-${suffix}`),
                    {
                        alarmDescription: description,
                        alarmActions: [args.topicArn],
                        okActions: [args.topicArn],
                        comparisonOperator: "GreaterThanThreshold",
                        treatMissingData: "notBreaching",
                        tags: args.tags,
                        ...props,
                    },
                    { parent: this },
                ),
            );

        alarm("cpu", `CPU above ${t.cpuPercent}% for 3 minutes`, { namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions: service, statistic: "Average", period: 60, evaluationPeriods: 3, threshold: t.cpuPercent });
        alarm("memory", `Memory above ${t.memoryPercent}% for 3 minutes`, { namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions: service, statistic: "Average", period: 60, evaluationPeriods: 3, threshold: t.memoryPercent });
        if (args.containerInsights !== false) {
            alarm("tasks", "Fewer tasks running than desired for 5 minutes", {
                evaluationPeriods: 5,
                threshold: 0,
                metricQueries: [
                    { id: "running", metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: service, stat: "Average", period: 60 } },
                    { id: "desired", metric: { namespace: "ECS/ContainerInsights", metricName: "DesiredTaskCount", dimensions: service, stat: "Average", period: 60 } },
                    { id: "missing", expression: "desired - running", label: "tasks missing", returnData: true },
                ],
            });
        }
        if (args.loadBalancer) {
            const targets = serviceTargets(args.loadBalancer);
            const target = targets[0];
            alarm("5xx", `More than ${t.error5xxPercent}% of requests answered 5xx for 3 minutes`, { evaluationPeriods: 3, threshold: t.error5xxPercent, metricQueries: error5xxQueries(targets, 60) });
            alarm("unhealthy", "Unhealthy targets for 3 minutes", { ...unhealthyTargetsMetric(targets, 60), evaluationPeriods: 3, threshold: 0 });
            const latency =
                targets.length === 1
                    ? { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: dimensionsOf(target), extendedStatistic: "p95", period: 60 }
                    : {
                          // Percentiles do not add up: the slower target group's p95 stands for the service.
                          metricQueries: [
                              ...targets.map((tg, i) => ({ id: `p95_${i}`, metric: { namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions: dimensionsOf(tg), stat: "p95", period: 60 } })),
                              { id: "slowest", expression: `MAX([${targets.map((_, i) => `FILL(p95_${i}, 0)`).join(", ")}])`, label: "p95 response time", returnData: true },
                          ],
                      };
            alarm("latency", `95th percentile response time above ${t.responseTimeSeconds} s for 5 minutes`, { ...latency, evaluationPeriods: 5, threshold: t.responseTimeSeconds });
        }
        this.registerOutputs({});
    }
}

/** CloudWatch's dimensions map of a target group. */
function dimensionsOf(target: TargetDimensions): Record<string, pulumi.Input<string>> {
    return { LoadBalancer: target.LoadBalancer, TargetGroup: target.TargetGroup };
}

/** The target groups of a service's load balancer, as CloudWatch names them. */
export function serviceTargets(lb: { arnSuffix: pulumi.Input<string>; targetGroupArnSuffix: pulumi.Input<string>; alternateTargetGroupArnSuffix?: pulumi.Input<string> }): TargetDimensions[] {
    return [lb.targetGroupArnSuffix, ...(lb.alternateTargetGroupArnSuffix !== undefined ? [lb.alternateTargetGroupArnSuffix] : [])].map((tg) => ({ LoadBalancer: lb.arnSuffix, TargetGroup: tg }));
}

/** A target group's CloudWatch dimensions. */
export interface TargetDimensions {
    LoadBalancer: pulumi.Input<string>;
    TargetGroup: pulumi.Input<string>;
}

/**
 * The share of the requests a service's tasks answered with a 5xx, percent (no requests: 0).
 * A blue/green service has two target groups, and production traffic sits in either: both count.
 */
export function error5xxQueries(targets: TargetDimensions[], period: number) {
    const metric = (name: string, target: TargetDimensions) => ({ namespace: "AWS/ApplicationELB", metricName: name, dimensions: dimensionsOf(target), stat: "Sum", period });
    if (targets.length === 1) {
        return [
            { id: "errors", metric: metric("HTTPCode_Target_5XX_Count", targets[0]) },
            { id: "requests", metric: metric("RequestCount", targets[0]) },
            { id: "rate", expression: "100 * FILL(errors, 0) / requests", label: "5xx %", returnData: true },
        ];
    }
    return [
        ...targets.flatMap((target, i) => [
            { id: `errors${i}`, metric: metric("HTTPCode_Target_5XX_Count", target) },
            { id: `requests${i}`, metric: metric("RequestCount", target) },
        ]),
        {
            id: "rate",
            expression: `100 * (${targets.map((_, i) => `FILL(errors${i}, 0)`).join(" + ")}) / (${targets.map((_, i) => `FILL(requests${i}, 0)`).join(" + ")})`,
            label: "5xx %",
            returnData: true,
        },
    ];
}

/** The most unhealthy targets in a period, over the service's target groups. */
export function unhealthyTargetsMetric(targets: TargetDimensions[], period: number): Record<string, unknown> {
    const metric = (target: TargetDimensions) => ({ namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: dimensionsOf(target), period });
    if (targets.length === 1) return { ...metric(targets[0]), statistic: "Maximum" };
    return {
        metricQueries: [
            ...targets.map((target, i) => ({ id: `unhealthy${i}`, metric: { ...metric(target), stat: "Maximum" } })),
            { id: "most", expression: `MAX([${targets.map((_, i) => `FILL(unhealthy${i}, 0)`).join(", ")}])`, label: "unhealthy targets", returnData: true },
        ],
    };
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const serviceAlarmsArgsChecked: EveryArgumentChecked<ServiceAlarmsArgs, typeof serviceAlarmsArgsSchema.shape> = true;
