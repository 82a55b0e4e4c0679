import * as pulumi from "@pulumi/pulumi";
import type { ContainerInsights, OutboundTraffic } from "../core/enums";
import type { CapacityArgs } from "./capacityArgs";

/**
 * Where workloads run: the network every task needs, then what a long-running service adds
 * (cluster, capacity, deployment) and what a task started by a schedule or an event adds.
 */

/** The network a task runs in. */
export interface NetworkPlacementArgs {
    /**
     * The VPC the tasks (and a load balancer created for them) live in.
     * @example
     * ```ts
     * vpcId: vpc.vpcId
     * ```
     */
    vpcId: pulumi.Input<string>;
    /**
     * Subnets for the tasks, in two or more Availability Zones so a zone outage leaves tasks running.
     * Private subnets with a NAT gateway (or VPC endpoints) keep tasks off the internet.
     * @example
     * ```ts
     * subnetIds: vpc.privateSubnetIds
     * ```
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Give each task a public IP. Only for tasks in public subnets with no NAT gateway, where it
     * is how they reach ECR and CloudWatch; the task security group still admits only the load
     * balancer. Each public IPv4 address costs $0.005 an hour (Security Hub ECS.2 flags it).
     * @default false
     * @example
     * ```ts
     * assignPublicIp: true
     * ```
     */
    assignPublicIp?: boolean;
    /**
     * What the tasks may reach.
     * @default "all"
     * @example
     * ```ts
     * outboundTraffic: "https"
     * ```
     */
    outboundTraffic?: OutboundTraffic;
}

/** Where a long-running service runs, and how it rolls out. */
export interface ServicePlacementArgs extends NetworkPlacementArgs {
    /**
     * The ECS cluster: an existing one to share (give `arn` and `name`), or a new one with FARGATE
     * and FARGATE_SPOT capacity providers.
     * @default a new cluster with Container Insights enabled
     * @example
     * ```ts
     * cluster: { arn: cluster.arn, name: cluster.name }
     * ```
     */
    cluster?: ClusterAttachmentArgs;
    /**
     * How tasks split between Fargate on-demand and Fargate Spot (up to 70% cheaper, but tasks can be
     * stopped with two minutes' notice). Unset on a shared cluster, the service follows the cluster's
     * default strategy.
     * @default `{ fargateBase: 1, fargateWeight: 1, spotWeight: 1 }`
     * @example
     * ```ts
     * capacity: { fargateBase: 2, fargateWeight: 1, spotWeight: 3 }
     * ```
     */
    capacity?: CapacityArgs;
    /**
     * How new versions roll out. The deployment circuit breaker with rollback is always on: a
     * version that cannot become healthy is rolled back instead of hanging the deploy.
     * @default `{ minHealthyPercent: 100, maxPercent: 200, healthCheckGracePeriod: 60, waitForSteadyState: true }`
     * @example
     * ```ts
     * deployment: { minHealthyPercent: 50, waitForSteadyState: false }
     * ```
     */
    deployment?: DeploymentArgs;
}

/** An existing cluster to run in, or settings for the one the service creates. */
export interface ClusterAttachmentArgs {
    /**
     * The ARN of an existing cluster. Give `name` too.
     * @default a new cluster
     * @example
     * ```ts
     * { arn: cluster.arn, name: cluster.name }
     * ```
     */
    arn?: pulumi.Input<string>;
    /**
     * The name of the existing cluster (autoscaling addresses services by cluster name).
     * @default a new cluster
     * @example
     * ```ts
     * { arn: cluster.arn, name: cluster.name }
     * ```
     */
    name?: pulumi.Input<string>;
    /**
     * Container Insights on the new cluster. Not allowed with `arn`: an existing cluster keeps its setting.
     * @default "enabled"
     * @example
     * ```ts
     * { containerInsights: "disabled" }
     * ```
     */
    containerInsights?: ContainerInsights;
}

/** How a new version replaces the running one. */
export interface DeploymentArgs {
    /**
     * Running tasks kept during a deployment, as a percentage of `desiredCount` (0 to 100).
     * 100 replaces tasks without ever dropping below the desired count.
     * @default 100
     * @example
     * ```ts
     * { minHealthyPercent: 50 }
     * ```
     */
    minHealthyPercent?: number;
    /**
     * Tasks allowed during a deployment, as a percentage of `desiredCount` (100 to 200).
     * 200 starts a full new set at once: the fastest rollout.
     * @default 200
     * @example
     * ```ts
     * { maxPercent: 150 }
     * ```
     */
    maxPercent?: number;
    /**
     * Seconds after a task starts during which failing load balancer health checks are ignored.
     * Set it above your app's cold start; it does not slow deploys of apps that start faster.
     * @default 60
     * @example
     * ```ts
     * { healthCheckGracePeriod: 120 }
     * ```
     */
    healthCheckGracePeriod?: number;
    /**
     * Make `pulumi up` wait until the new version is running and healthy, so a failed rollout
     * fails the deploy (the circuit breaker then rolls back).
     * @default true
     * @example
     * ```ts
     * { waitForSteadyState: false }
     * ```
     */
    waitForSteadyState?: boolean;
}

export { DEPLOYMENT_DEFAULTS } from "../core/serviceDefaults";

/** Where a task that runs now and then (on a schedule, on an event) runs. */
export interface TaskPlacementArgs extends NetworkPlacementArgs {
    /**
     * The cluster to run in, by ARN.
     * @example
     * ```ts
     * { clusterArn: cluster.arn }
     * ```
     */
    clusterArn: pulumi.Input<string>;
    /**
     * How runs split between Fargate on-demand and Spot. A job that can be retried suits Spot.
     * @default on-demand only
     * @example
     * ```ts
     * { capacity: { fargateBase: 0, fargateWeight: 0, spotWeight: 1 } }
     * ```
     */
    capacity?: CapacityArgs;
    /**
     * Retries of a run that could not start (EventBridge's delivery, not the task's own exit code).
     * @default `{ maximumAttempts: 2, maximumEventAgeSeconds: 3600 }`
     * @example
     * ```ts
     * { retry: { maximumAttempts: 5 } }
     * ```
     */
    retry?: RetryArgs;
}

/** How EventBridge retries starting a task. */
export interface RetryArgs {
    /**
     * Retries before the invocation goes to the dead-letter queue (0 to 185).
     * @default 2
     * @example
     * ```ts
     * { maximumAttempts: 5 }
     * ```
     */
    maximumAttempts?: number;
    /**
     * Seconds after which an invocation is no longer retried (60 to 86400).
     * @default 3600
     * @example
     * ```ts
     * { maximumEventAgeSeconds: 600 }
     * ```
     */
    maximumEventAgeSeconds?: number;
}

export const RETRY_DEFAULTS = { maximumAttempts: 2, maximumEventAgeSeconds: 3600 } as const;
