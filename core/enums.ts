/**
 * The string enums of the arguments. Each is a constant object plus a type of its values, so
 * TypeScript users may write either `"ARM64"` or `Architecture.ARM64`, YAML and JSON users write
 * the string, and Pulumi's schema inference turns each into an enum for other languages.
 */

/** The CPU architecture of the task. Fargate Spot runs both (ARM64 on platform version 1.4.0 or later). */
export const Architecture = {
    /** Intel or AMD: runs any linux/amd64 image. */
    X86_64: "X86_64",
    /** AWS Graviton: about 20% cheaper per vCPU-hour and per GB-hour, on-demand and Spot; needs a linux/arm64 image. */
    ARM64: "ARM64",
} as const;
export type Architecture = (typeof Architecture)[keyof typeof Architecture];

/** CloudWatch Container Insights for a cluster (Security Hub ECS.12 wants it on). */
export const ContainerInsights = {
    /** Task- and service-level metrics: the standard mode. */
    Enabled: "enabled",
    /** Adds container-level metrics and curated dashboards; billed per observation. */
    Enhanced: "enhanced",
    /** No Container Insights metrics: the cheapest, for disposable environments. */
    Disabled: "disabled",
} as const;
export type ContainerInsights = (typeof ContainerInsights)[keyof typeof ContainerInsights];

/** What the tasks may reach on the network. */
export const OutboundTraffic = {
    /** Any destination, any port: what most apps need (databases, third-party APIs). */
    All: "all",
    /** HTTPS (TCP 443) only: enough for AWS APIs and image pulls. */
    Https: "https",
} as const;
export type OutboundTraffic = (typeof OutboundTraffic)[keyof typeof OutboundTraffic];

/** How a queue worker's task count follows its queue. */
export const QueueScalingPolicy = {
    /** Target tracking on visible messages per running task (AWS's recommended metric); needs Container Insights on the cluster for RunningTaskCount. */
    BacklogPerTask: "backlogPerTask",
    /** Step scaling on queue depth alone: all tasks up while messages wait, down to the minimum after the queue idles. No Container Insights needed. */
    QueueDepth: "queueDepth",
} as const;
export type QueueScalingPolicy = (typeof QueueScalingPolicy)[keyof typeof QueueScalingPolicy];

export function enumValues<T extends Record<string, string>>(e: T): [T[keyof T], ...T[keyof T][]] {
    return Object.values(e) as [T[keyof T], ...T[keyof T][]];
}
