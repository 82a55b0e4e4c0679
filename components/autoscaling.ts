import * as pulumi from "@pulumi/pulumi";
import { Policy } from "@pulumi/aws/appautoscaling/policy";
import { ScheduledAction } from "@pulumi/aws/appautoscaling/scheduledAction";
import { Target } from "@pulumi/aws/appautoscaling/target";
import type * as types from "@pulumi/aws/types";
import { awsName } from "../core/names";

/** Autoscaling of a service's task count. */
export interface ScalingArgs {
    /**
     * Scale the task count automatically.
     * @default true
     * @example
     * ```ts
     * { enabled: false }
     * ```
     */
    enabled?: boolean;
    /**
     * The fewest tasks. 0 lets a schedule stop the service entirely (a dev environment at night).
     * @default `desiredCount`
     * @example
     * ```ts
     * { min: 3 }
     * ```
     */
    min?: number;
    /**
     * The most tasks: the cap on what a traffic spike can cost.
     * @default twice `desiredCount` (at least 2)
     * @example
     * ```ts
     * { max: 20 }
     * ```
     */
    max?: number;
    /**
     * Average CPU utilisation (percent) to hold. Set 0 to not scale on CPU.
     * @default 70
     * @example
     * ```ts
     * { cpuTarget: 60 }
     * ```
     */
    cpuTarget?: number;
    /**
     * Average memory utilisation (percent) to hold.
     * @default none
     * @example
     * ```ts
     * { memoryTarget: 75 }
     * ```
     */
    memoryTarget?: number;
    /**
     * Requests per task per minute to hold, from the load balancer (load-balanced services only).
     * Reacts to traffic before CPU rises.
     * @default none
     * @example
     * ```ts
     * { requestsPerTarget: 1000 }
     * ```
     */
    requestsPerTarget?: number;
    /**
     * Seconds after a scale-in before another: slow, so a dip does not drop capacity a spike needs.
     * @default 300
     * @example
     * ```ts
     * { scaleInCooldown: 600 }
     * ```
     */
    scaleInCooldown?: number;
    /**
     * Seconds after a scale-out before another: fast, so capacity follows a spike.
     * @default 60
     * @example
     * ```ts
     * { scaleOutCooldown: 30 }
     * ```
     */
    scaleOutCooldown?: number;
    /**
     * Changes of `min` and `max` on a schedule, for example to stop a dev service at night. With
     * schedules, the schedules own the range: `min` and `max` set it when the scalable target is
     * created, and later deploys leave the range the last schedule set (a deploy at night must not
     * wake a stopped service). Change the range through the schedules.
     * @default []
     * @example
     * ```ts
     * { schedules: [
     *     { name: "night", schedule: "cron(0 20 ? * MON-FRI *)", timezone: "Europe/Paris", min: 0, max: 0 },
     *     { name: "morning", schedule: "cron(0 7 ? * MON-FRI *)", timezone: "Europe/Paris", min: 1, max: 2 },
     * ] }
     * ```
     */
    schedules?: ScheduledScalingArgs[];
}

/** A scheduled change of the scaling range. */
export interface ScheduledScalingArgs {
    /**
     * A name, unique among the service's schedules.
     * @example
     * ```ts
     * { name: "night" }
     * ```
     */
    name: string;
    /**
     * When: `cron(minutes hours day-of-month month day-of-week year)`, `rate(...)` or `at(...)`.
     * @example
     * ```ts
     * { schedule: "cron(0 20 ? * MON-FRI *)" }
     * ```
     */
    schedule: string;
    /**
     * The IANA time zone of the schedule.
     * @default "UTC"
     * @example
     * ```ts
     * { timezone: "America/New_York" }
     * ```
     */
    timezone?: string;
    /**
     * The new minimum.
     * @example
     * ```ts
     * { min: 0 }
     * ```
     */
    min: number;
    /**
     * The new maximum.
     * @example
     * ```ts
     * { max: 0 }
     * ```
     */
    max: number;
}

export const SCALING_DEFAULTS = { cpuTarget: 70, scaleInCooldown: 300, scaleOutCooldown: 60 } as const;

/** Scaling with every default filled in. */
export interface ResolvedScaling {
    min: number;
    max: number;
    cpuTarget: number;
    memoryTarget?: number;
    requestsPerTarget?: number;
    scaleInCooldown: number;
    scaleOutCooldown: number;
    schedules: ScheduledScalingArgs[];
}

export function resolveScaling(scaling: ScalingArgs | undefined, desiredCount: number): ResolvedScaling | undefined {
    if (scaling?.enabled === false) return undefined;
    const min = scaling?.min ?? desiredCount;
    return {
        min,
        max: scaling?.max ?? Math.max(2, desiredCount * 2, min),
        cpuTarget: scaling?.cpuTarget ?? SCALING_DEFAULTS.cpuTarget,
        memoryTarget: scaling?.memoryTarget,
        requestsPerTarget: scaling?.requestsPerTarget,
        scaleInCooldown: scaling?.scaleInCooldown ?? SCALING_DEFAULTS.scaleInCooldown,
        scaleOutCooldown: scaling?.scaleOutCooldown ?? SCALING_DEFAULTS.scaleOutCooldown,
        schedules: scaling?.schedules ?? [],
    };
}

/**
 * The task count of an ECS service, as Application Auto Scaling addresses it, between min and max.
 * `scheduled`: scheduled actions change min and max, so Pulumi sets them at creation only; otherwise
 * a `pulumi up` after a refresh would put back the daytime range at night.
 */
export function createScalableTarget(
    name: string,
    service: { clusterName: pulumi.Input<string>; serviceName: pulumi.Input<string>; min: number; max: number; scheduled?: boolean },
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): Target {
    return new Target(
        name,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${service.clusterName}/${service.serviceName}`,
            minCapacity: service.min,
            maxCapacity: service.max,
            tags,
        },
        { parent, ignoreChanges: service.scheduled ? ["minCapacity", "maxCapacity"] : [] },
    );
}

export interface ServiceAutoscaling {
    target: Target;
    policies: Policy[];
    scheduledActions: ScheduledAction[];
}

type PolicyMetric = types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetric;

/** The load balancer and target groups whose requests a service scales on, by ARN suffix. */
export interface RequestMetrics {
    loadBalancer: pulumi.Input<string>;
    targetGroups: pulumi.Input<string>[];
}

/**
 * ALBRequestCountPerTarget over several target groups: their requests in a minute over their
 * healthy targets (what AWS's predefined metric divides by), as target tracking's metric math.
 */
function requestsPerHealthyTarget(r: RequestMetrics): PolicyMetric[] {
    const metric = (name: string, stat: string, tg: pulumi.Input<string>, id: string) => ({
        id,
        metricStat: {
            metric: { namespace: "AWS/ApplicationELB", metricName: name, dimensions: [{ name: "LoadBalancer", value: r.loadBalancer }, { name: "TargetGroup", value: tg }] },
            stat,
        },
        returnData: false,
    });
    const ids = r.targetGroups.map((_, i) => i);
    return [
        ...r.targetGroups.flatMap((tg, i) => [metric("RequestCount", "Sum", tg, `requests${i}`), metric("HealthyHostCount", "Average", tg, `healthy${i}`)]),
        {
            id: "perTarget",
            label: "requests per healthy target",
            expression: `(${ids.map((i) => `FILL(requests${i}, 0)`).join(" + ")}) / (${ids.map((i) => `FILL(healthy${i}, 0)`).join(" + ")})`,
            returnData: true,
        },
    ];
}

/**
 * The scalable target, one target-tracking policy per metric, and the scheduled actions.
 * `requests` names the load balancer and the service's target groups (their ARN suffixes), for
 * request-based scaling: one target group takes AWS's ALBRequestCountPerTarget; the two of a
 * blue/green, linear or canary service take the same ratio over both (requests of both groups per
 * healthy target of both), since production traffic moves from one to the other at each deploy.
 */
export function createServiceAutoscaling(
    name: string,
    scaling: ResolvedScaling,
    service: { clusterName: pulumi.Input<string>; serviceName: pulumi.Input<string> },
    requests: RequestMetrics | undefined,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): ServiceAutoscaling {
    const target = createScalableTarget(name, { ...service, min: scaling.min, max: scaling.max, scheduled: scaling.schedules.length > 0 }, parent, tags);
    const tracking = (suffix: string, metric: string | PolicyMetric[], value: number, resourceLabel?: pulumi.Input<string>) =>
        new Policy(
            awsName("scalingPolicy", `${name}-${suffix}`),
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    targetValue: value,
                    ...(typeof metric === "string"
                        ? { predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel } }
                        : { customizedMetricSpecification: { metrics: metric } }),
                    scaleInCooldown: scaling.scaleInCooldown,
                    scaleOutCooldown: scaling.scaleOutCooldown,
                },
            },
            { parent },
        );
    const policies: Policy[] = [];
    if (scaling.cpuTarget > 0) policies.push(tracking("cpu", "ECSServiceAverageCPUUtilization", scaling.cpuTarget));
    if (scaling.memoryTarget) policies.push(tracking("memory", "ECSServiceAverageMemoryUtilization", scaling.memoryTarget));
    if (scaling.requestsPerTarget && requests) {
        const [only, ...others] = requests.targetGroups;
        policies.push(
            others.length === 0
                ? tracking("requests", "ALBRequestCountPerTarget", scaling.requestsPerTarget, pulumi.interpolate`${requests.loadBalancer}/${only}`)
                : tracking("requests", requestsPerHealthyTarget(requests), scaling.requestsPerTarget),
        );
    }
    const scheduledActions = scaling.schedules.map(
        (s) =>
            new ScheduledAction(
                awsName("scheduledAction", `${name}-${s.name}`),
                {
                    serviceNamespace: target.serviceNamespace,
                    scalableDimension: target.scalableDimension,
                    resourceId: target.resourceId,
                    schedule: s.schedule,
                    timezone: s.timezone ?? "UTC",
                    scalableTargetAction: { minCapacity: s.min, maxCapacity: s.max },
                },
                { parent },
            ),
    );
    return { target, policies, scheduledActions };
}
