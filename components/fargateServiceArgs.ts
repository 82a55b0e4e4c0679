import * as pulumi from "@pulumi/pulumi";
import { ContainerInsights, OutboundTraffic } from "../core/enums";
import { ScalingArgs } from "./autoscaling";
import { CapacityArgs } from "./cluster";
import { ServiceLoadBalancerArgs } from "./loadBalancer";
import { FargateTaskArgs } from "./task";

/**
 * Everything a {@link FargateService} needs. Plain data only (no callbacks, no unions of shapes), so
 * the same object can be written in a stack's YAML, sent as JSON by a portal, or passed from
 * another Pulumi language. Adjust any child beyond these arguments with Pulumi's `transforms`
 * resource option (see `childTransforms`).
 */
export interface FargateServiceArgs extends FargateTaskArgs {
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
     * default strategy (X86_64 only).
     * @default `{ fargateBase: 1, fargateWeight: 1, spotWeight: 1 }` (X86_64); on-demand only (ARM64)
     * @example
     * ```ts
     * capacity: { fargateBase: 2, fargateWeight: 1, spotWeight: 3 }
     * ```
     */
    capacity?: CapacityArgs;
    /**
     * The Application Load Balancer in front of the service: a new one (give `subnetIds`), a rule
     * on an existing listener (give `listenerArn`, `securityGroupId` and `rule`), or none
     * (`enabled: false`, for workers).
     * @example
     * ```ts
     * loadBalancer: { subnetIds: vpc.publicSubnetIds, certificateArn: cert.arn }
     * loadBalancer: { enabled: false }
     * ```
     */
    loadBalancer?: ServiceLoadBalancingArgs;
    /**
     * Tasks to run. With autoscaling on, this is only the starting count: later deployments leave
     * the running count to the scaler.
     * @default 2 (one per Availability Zone of two)
     * @example
     * ```ts
     * desiredCount: 3
     * ```
     */
    desiredCount?: number;
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
    /**
     * Autoscaling of the task count.
     * @default from `desiredCount` to twice that, tracking 70% CPU
     * @example
     * ```ts
     * scaling: { min: 3, max: 20, cpuTarget: 60, requestsPerTarget: 500 }
     * ```
     */
    scaling?: ScalingArgs;
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

/** The service's load balancer: new, shared or none. */
export interface ServiceLoadBalancingArgs extends ServiceLoadBalancerArgs {
    /**
     * Put the service behind a load balancer. Set `false` for workers that serve no traffic.
     * @default true
     * @example
     * ```ts
     * { enabled: false }
     * ```
     */
    enabled?: boolean;
    /**
     * A listener of an existing load balancer to add this service to, with `rule`.
     * @default a new load balancer
     * @example
     * ```ts
     * { listenerArn: alb.listenerArn, securityGroupId: alb.securityGroupId, rule: { priority: 10, pathPatterns: ["/api/*"] } }
     * ```
     */
    listenerArn?: pulumi.Input<string>;
    /**
     * The security group of that existing load balancer: the tasks admit traffic from it only.
     * @default the new load balancer's group
     * @example
     * ```ts
     * { securityGroupId: alb.securityGroupId }
     * ```
     */
    securityGroupId?: pulumi.Input<string>;
    /**
     * Which requests on the shared listener go to this service.
     * @default none (required with `listenerArn`)
     * @example
     * ```ts
     * { rule: { priority: 20, hostHeaders: ["api.example.com"] } }
     * ```
     */
    rule?: ListenerRuleArgs;
    /**
     * The target group's health check: how the load balancer decides a task may take traffic.
     * @default `{ path: "/", matcher: "200-399", interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 }`
     * @example
     * ```ts
     * { healthCheck: { path: "/health", interval: 5 } }
     * ```
     */
    healthCheck?: TargetHealthCheckArgs;
    /**
     * Seconds the load balancer lets in-flight requests finish on a task being stopped. Short keeps
     * deploys fast (AWS's default is 300). With Fargate Spot it must be under 120 (the interruption
     * notice), and no longer than the container's `stopTimeout`.
     * @default 30
     * @example
     * ```ts
     * { deregistrationDelay: 5 }
     * ```
     */
    deregistrationDelay?: number;
}

/** A rule on a shared listener. At least one of `hostHeaders` and `pathPatterns`. */
export interface ListenerRuleArgs {
    /**
     * The rule's priority on the listener (1 to 50000, lower first); unique per listener.
     * @example
     * ```ts
     * { priority: 100 }
     * ```
     */
    priority: number;
    /**
     * Host names to match (wildcards `*` and `?` allowed).
     * @default any host
     * @example
     * ```ts
     * { hostHeaders: ["api.example.com"] }
     * ```
     */
    hostHeaders?: string[];
    /**
     * Paths to match (wildcards `*` and `?` allowed, case-sensitive, 128 characters at most).
     * @default any path
     * @example
     * ```ts
     * { pathPatterns: ["/api/*"] }
     * ```
     */
    pathPatterns?: string[];
}

/** The target group health check. */
export interface TargetHealthCheckArgs {
    /**
     * The path the load balancer requests.
     * @default "/"
     * @example
     * ```ts
     * { path: "/health" }
     * ```
     */
    path?: string;
    /**
     * HTTP codes that mean healthy.
     * @default "200-399"
     * @example
     * ```ts
     * { matcher: "200" }
     * ```
     */
    matcher?: string;
    /**
     * Seconds between checks (5 to 300). A new task takes traffic after its first passing check,
     * so a short interval speeds every deploy.
     * @default 10
     * @example
     * ```ts
     * { interval: 5 }
     * ```
     */
    interval?: number;
    /**
     * Seconds to wait for an answer (2 to 120, less than `interval`).
     * @default 5
     * @example
     * ```ts
     * { timeout: 3 }
     * ```
     */
    timeout?: number;
    /**
     * Passing checks in a row that make an unhealthy target healthy again (2 to 10).
     * @default 2
     * @example
     * ```ts
     * { healthyThreshold: 3 }
     * ```
     */
    healthyThreshold?: number;
    /**
     * Failing checks in a row that take a target out (2 to 10).
     * @default 3
     * @example
     * ```ts
     * { unhealthyThreshold: 2 }
     * ```
     */
    unhealthyThreshold?: number;
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
