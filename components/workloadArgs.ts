import * as pulumi from "@pulumi/pulumi";
import type { OutboundTraffic } from "../core/enums";
import type { CapacityArgs } from "./cluster";

/** Where a task that runs now and then (on a schedule, on an event) runs. */
export interface TaskPlacementArgs {
    /**
     * The cluster to run in, by ARN.
     * @example
     * ```ts
     * { clusterArn: cluster.arn }
     * ```
     */
    clusterArn: pulumi.Input<string>;
    /**
     * The VPC of the tasks.
     * @example
     * ```ts
     * { vpcId: vpc.vpcId }
     * ```
     */
    vpcId: pulumi.Input<string>;
    /**
     * Subnets for the tasks.
     * @example
     * ```ts
     * { subnetIds: vpc.privateSubnetIds }
     * ```
     */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Give the task a public IP (public subnets without NAT only).
     * @default false
     * @example
     * ```ts
     * { assignPublicIp: true }
     * ```
     */
    assignPublicIp?: boolean;
    /**
     * What the task may reach.
     * @default "all"
     * @example
     * ```ts
     * { outboundTraffic: "https" }
     * ```
     */
    outboundTraffic?: OutboundTraffic;
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
