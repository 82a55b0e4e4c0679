import * as pulumi from "@pulumi/pulumi";
import type { ContainerInsights, DeploymentStrategy, IpStack, LifecycleStage, OutboundTraffic } from "../core/enums";
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
     * The IP addresses of `subnetIds`. `"dualstack"` lets the tasks send IPv6 as well as IPv4;
     * `"ipv6"` (IPv6-only subnets) gives them no IPv4 address at all, so no public IPv4 to pay
     * for: images are pulled through ECR's dual-stack endpoint, the target group registers IPv6
     * addresses (a new load balancer is made `"dualstack"`), and `assignPublicIp` is refused.
     * Tasks receive IPv6 addresses where the ECS account setting `dualStackIPv6` is enabled
     * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html).
     * @default "ipv4"
     * @example
     * ```ts
     * ipStack: "ipv6"
     * ```
     */
    ipStack?: IpStack;
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
     * How new versions roll out: a rolling update, or a blue/green, linear or canary deployment
     * with ECS's own controller. The deployment circuit breaker with rollback is always on: a
     * version that cannot become healthy is rolled back, and `pulumi up` fails with ECS's reason.
     * @default `{ strategy: "rolling", minHealthyPercent: 100, maxPercent: 200, healthCheckGracePeriod: 60, waitForSteadyState: true }`
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
     * How ECS replaces the running version. `rolling` replaces tasks in batches; `blueGreen`,
     * `linear` and `canary` start a full new set of tasks behind a second target group and move
     * the load balancer's traffic to it (all at once, in equal steps, or a share first), keeping
     * the old set for `bakeTimeMinutes` so a rollback is instant. They need a load balancer, run
     * twice the tasks during a deploy, and are refused for services without one.
     * @default "rolling"
     * @example
     * ```ts
     * { strategy: "blueGreen", bakeTimeMinutes: 10 }
     * ```
     */
    strategy?: DeploymentStrategy;
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
    /**
     * Minutes the old tasks keep running after all production traffic has moved to the new ones
     * (0 to 1440), during which a failing alarm rolls back at once. Blue/green, linear and canary only.
     * @default 5
     * @example
     * ```ts
     * { strategy: "blueGreen", bakeTimeMinutes: 15 }
     * ```
     */
    bakeTimeMinutes?: number;
    /**
     * The steps of a linear deployment.
     * @default `{ stepPercent: 10, stepBakeTimeMinutes: 6 }` (AWS's defaults)
     * @example
     * ```ts
     * { strategy: "linear", linear: { stepPercent: 25, stepBakeTimeMinutes: 2 } }
     * ```
     */
    linear?: LinearDeploymentArgs;
    /**
     * The canary of a canary deployment.
     * @default `{ percent: 5, bakeTimeMinutes: 10 }` (AWS's defaults)
     * @example
     * ```ts
     * { strategy: "canary", canary: { percent: 10, bakeTimeMinutes: 5 } }
     * ```
     */
    canary?: CanaryDeploymentArgs;
    /**
     * A test listener rule: requests carrying this header reach the new tasks before production
     * traffic does, for smoke tests (a lifecycle hook at POST_TEST_TRAFFIC_SHIFT, or by hand).
     * @default none
     * @example
     * ```ts
     * { strategy: "blueGreen", testTraffic: { header: "x-deployment-test", value: "green" } }
     * ```
     */
    testTraffic?: TestTrafficArgs;
    /**
     * Lambda functions ECS calls at stages of a blue/green, linear or canary deployment; a hook
     * that answers FAILED rolls the deployment back.
     * @default none
     * @example
     * ```ts
     * { lifecycleHooks: [{ functionArn: smokeTest.arn, stages: ["POST_TEST_TRAFFIC_SHIFT"] }] }
     * ```
     */
    lifecycleHooks?: LifecycleHookArgs[];
    /**
     * CloudWatch alarms that fail (and roll back) a deployment when they go into ALARM, beside
     * the circuit breaker. ECS also watches them for a bake time after a rolling update.
     * @default none (the prod preset of a stack watches the service's 5xx and unhealthy-target alarms)
     * @example
     * ```ts
     * { alarms: { loadBalancerAlarms: true, alarmNames: ["checkout-errors"] } }
     * ```
     */
    alarms?: DeploymentAlarmsArgs;
    /**
     * Keep the second target group, the production listener rule ECS moves and ECS's traffic role
     * under a rolling update. Set it when a service goes back from `blueGreen`, `linear` or
     * `canary` to `rolling`: after a deployment ECS may serve production from the second group,
     * and without it the rule would be pointed back at the first one, which may hold no tasks
     * (503s). With it, ECS keeps serving from the live group and rolls out into it. Always on
     * (and `false` refused) with the other three strategies.
     * @default false under rolling; true under blueGreen, linear and canary
     * @example
     * ```ts
     * { strategy: "rolling", alternateTargetGroup: true }
     * ```
     */
    alternateTargetGroup?: boolean;
}

/** A linear deployment: production traffic moves in equal steps. */
export interface LinearDeploymentArgs {
    /**
     * Percent of production traffic moved at each step: a multiple of 0.1 from 3 to 100.
     * @default 10
     * @example
     * ```ts
     * { stepPercent: 25 }
     * ```
     */
    stepPercent?: number;
    /**
     * Minutes between two steps (0 to 1440); none after the last.
     * @default 6
     * @example
     * ```ts
     * { stepBakeTimeMinutes: 2 }
     * ```
     */
    stepBakeTimeMinutes?: number;
}

/** A canary deployment: a share of production traffic first, the rest after a wait. */
export interface CanaryDeploymentArgs {
    /**
     * Percent of production traffic the canary takes: a multiple of 0.1 from 0.1 to 100.
     * @default 5
     * @example
     * ```ts
     * { percent: 10 }
     * ```
     */
    percent?: number;
    /**
     * Minutes the canary runs before the rest of the traffic moves (0 to 1440).
     * @default 10
     * @example
     * ```ts
     * { bakeTimeMinutes: 5 }
     * ```
     */
    bakeTimeMinutes?: number;
}

/** Test traffic of a blue/green, linear or canary deployment: a listener rule on a request header. */
export interface TestTrafficArgs {
    /**
     * The request header that marks test traffic (at most 40 characters).
     * @default "x-deployment-test"
     * @example
     * ```ts
     * { header: "x-canary" }
     * ```
     */
    header?: string;
    /**
     * The header's value (at most 128 characters; `*` and `?` are wildcards). Anyone who sends it
     * reaches the new version while it is tested, so treat it as a name, not a secret.
     * @example
     * ```ts
     * { value: "green" }
     * ```
     */
    value: string;
    /**
     * The test rule's priority on the listener: lower than the production rule's, which it must precede.
     * @default the production rule's priority minus 1
     * @example
     * ```ts
     * { priority: 9 }
     * ```
     */
    priority?: number;
}

/** A Lambda function ECS calls during a deployment. */
export interface LifecycleHookArgs {
    /**
     * The function's ARN.
     * @example
     * ```ts
     * { functionArn: smokeTest.arn }
     * ```
     */
    functionArn: pulumi.Input<string>;
    /**
     * The stages at which ECS calls it.
     * @example
     * ```ts
     * { stages: ["POST_TEST_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"] }
     * ```
     */
    stages: LifecycleStage[];
    /**
     * A role ECS assumes to invoke the function.
     * @default a role for this service that may invoke its hooks' functions and nothing else
     * @example
     * ```ts
     * { roleArn: hookRole.arn }
     * ```
     */
    roleArn?: pulumi.Input<string>;
}

/** CloudWatch alarms that fail a deployment. */
export interface DeploymentAlarmsArgs {
    /**
     * Names of alarms of your own to watch.
     * @default none
     * @example
     * ```ts
     * { alarmNames: ["checkout-errors"] }
     * ```
     */
    alarmNames?: pulumi.Input<string>[];
    /**
     * Create and watch two alarms on the service's target group: 5xx answers above
     * `error5xxPercent`, and any unhealthy target, each over two one-minute periods. Needs a load balancer.
     * @default false
     * @example
     * ```ts
     * { loadBalancerAlarms: true }
     * ```
     */
    loadBalancerAlarms?: boolean;
    /**
     * The share of 5xx answers (percent) that fails a deployment, with `loadBalancerAlarms`.
     * @default 5
     * @example
     * ```ts
     * { error5xxPercent: 2 }
     * ```
     */
    error5xxPercent?: number;
    /**
     * Roll back to the last completed deployment when an alarm fires (otherwise the deployment
     * only fails).
     * @default true
     * @example
     * ```ts
     * { rollback: false }
     * ```
     */
    rollback?: boolean;
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
