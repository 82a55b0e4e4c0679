import * as pulumi from "@pulumi/pulumi";
import { ScalingArgs } from "./autoscaling";
import { EfsVolumeArgs } from "./efsVolumes";
import { ServiceLoadBalancerArgs } from "./loadBalancer";
import { NetworkLoadBalancerArgs } from "./networkLoadBalancer";
import type { ServiceConnectArgs } from "./serviceConnect";
import { FargateTaskArgs } from "./task";
import type { ServicePlacementArgs } from "./workloadArgs";
import type { ManagedInstancesArgs } from "./managedInstances";

/**
 * Everything a {@link FargateService} needs. Plain data only (no callbacks, no unions of shapes), so
 * the same object can be written in a stack's YAML, sent as JSON by a portal, or passed from
 * another Pulumi language. Adjust any child beyond these arguments with Pulumi's `transforms`
 * resource option (see `childTransforms`).
 */
export interface FargateServiceArgs extends FargateTaskArgs, ServicePlacementArgs {
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
     * A Network Load Balancer in front of the service instead of the Application Load Balancer:
     * TCP or TLS listeners for a service that is not HTTP (a broker, a game server, gRPC without
     * HTTP routing). Its own security group admits `allowedCidrs` on the listener ports, and the
     * tasks admit that group only. Leave `loadBalancer` out with it. Rolling deployments only.
     * @default none (the Application Load Balancer path, `loadBalancer`)
     * @example
     * ```ts
     * networkLoadBalancer: { subnetIds: vpc.publicSubnetIds, listeners: [{ port: 5671, protocol: "TLS" }], certificateArn: cert.arn }
     * ```
     */
    networkLoadBalancer?: NetworkLoadBalancerArgs;
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
     * Autoscaling of the task count.
     * @default from `desiredCount` to twice that, tracking 70% CPU
     * @example
     * ```ts
     * scaling: { min: 3, max: 20, cpuTarget: 60, requestsPerTarget: 500 }
     * ```
     */
    scaling?: ScalingArgs;
    /**
     * Run on EC2 capacity through ECS Managed Instances instead of Fargate: GPUs, or instance types
     * of your choosing. The service gets its own capacity provider in its cluster; AWS launches and
     * patches the instances, billed at the EC2 price of the types it picks. Not with `capacity`
     * (Fargate's split) or `assignPublicIp` (tasks on EC2 get no public IP).
     * @default Fargate
     * @example
     * ```ts
     * managedInstances: { gpu: { count: 1 }, instanceTypes: ["g5.xlarge"] }
     * ```
     */
    managedInstances?: ManagedInstancesArgs;
    /**
     * ECS Service Connect: publish this service in the environment's Cloud Map namespace under a
     * name (`http://payments:8080` for its callers), and call other services by theirs. Each callee's
     * tasks admit the callers' security groups only. Service Connect itself costs nothing; its proxy
     * runs inside each task (AWS suggests leaving it 256 CPU units and 64 MiB of the task's size).
     * @default none
     * @example
     * ```ts
     * serviceConnect: { namespace: cluster.serviceConnectNamespaceArn, name: "orders", calls: [payments.serviceConnectEndpoint!] }
     * ```
     */
    serviceConnect?: ServiceConnectArgs;
    /**
     * EFS volumes mounted in the main container, each through an access point of its own: TLS
     * between task and file system and IAM authorisation always on, and the task role granted
     * mount (and write, unless `readOnly`) through that access point only. Storage about $0.30 a
     * GB-month (Standard), elastic throughput $0.03 a GB read and $0.06 a GB written.
     * @default []
     * @example
     * ```ts
     * volumes: [{ name: "uploads", containerPath: "/data", fileSystemId: files.fileSystemId, securityGroupId: files.securityGroupId }]
     * ```
     */
    volumes?: EfsVolumeArgs[];
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
     * @default `{ path: "/", matcher: "200-399", interval: 5, timeout: 4, healthyThreshold: 2, unhealthyThreshold: 3 }`
     * @example
     * ```ts
     * { healthCheck: { path: "/health", interval: 5 } }
     * ```
     */
    healthCheck?: TargetHealthCheckArgs;
    /**
     * Seconds the load balancer lets in-flight requests finish on a task being stopped; the app then
     * finishes what is left within its `stopTimeout`. Short keeps deploys fast (AWS's default is
     * 300): set it to your longest request if that is over 10 s (uploads, streaming, long polling).
     * With Fargate Spot it must be under 120 (the interruption notice), and no longer than the
     * container's `stopTimeout`.
     * @default 10
     * @example
     * ```ts
     * { deregistrationDelay: 60 }
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
     * so a short interval speeds every deploy (and takes a failing task out sooner).
     * @default 5
     * @example
     * ```ts
     * { interval: 10 }
     * ```
     */
    interval?: number;
    /**
     * Seconds to wait for an answer (2 to 120, less than `interval`).
     * @default 4
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
