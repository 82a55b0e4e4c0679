import { ControlId, NON_WAIVABLE_IN_PROD } from "../analysis/controlIds";
import type { CostAssumptions } from "../analysis/costModel";
import type { Capacity } from "../core/capacity";
import type { ContainerInsights } from "../core/enums";
import type { NatGateways, NetworkMode, Preset, TaskSubnets } from "./environmentEnums";
import { DEPLOYMENT_DEFAULTS, TARGET_DEFAULTS } from "../core/serviceDefaults";

/**
 * What each preset decides when a stack file says nothing. A stack file overrides any of it.
 *
 * dev is cheap, fast and disposable; prod is highly available and safe. The dev relaxations are
 * deliberate, each listed in DEV_RELAXATIONS with its reason, and waived by name in Pulumi.dev.yaml
 * so the plan and the policy pack report them as waived, not hidden.
 */

export interface NetworkDefaults {
    mode: NetworkMode;
    availabilityZones: number;
    cidr: string;
    natGateways: NatGateways;
    taskSubnets: TaskSubnets;
    vpcEndpoints: boolean;
    /** The VPC this stack creates is dual-stack (an Amazon-provided IPv6 /56). */
    ipv6: boolean;
}

export interface PresetDefaults {
    network: NetworkDefaults;
    cluster: { containerInsights: ContainerInsights; capacity: Capacity };
    loadBalancer: { deletionProtection: boolean; accessLogs: { enabled: boolean; expireAfterDays: number } };
    /** Service settings, before the service's own; the load balancer part applies to load-balanced services only. */
    service: Record<string, unknown>;
    /** Extra settings for load-balanced services. */
    loadBalancedService: Record<string, unknown>;
    /** Queue worker settings, before the worker's own. */
    queueWorker: Record<string, unknown>;
    /** Scheduled and event-driven task settings, before the task's own. */
    task: Record<string, unknown>;
    /** Alarms and their notifications. */
    alarms: { enabled: boolean };
    /** A CloudWatch dashboard for the environment. */
    dashboard: boolean;
    /** The longest a rolling update of one service may take, in minutes (the deploy-time rule). */
    rollingUpdateMinutes: number;
    /** Whether HTTPS is required: an environment without a domain or certificate is refused. */
    requiresHttps: boolean;
    /** Whether failing controls block (the policy pack's mandatory level; `plan --strict` exits 2) or only warn. */
    enforcement: "mandatory" | "advisory";
    /** Wherever Spot is used, an on-demand base must exist. */
    requireOnDemandBase: boolean;
    /** Every stateful resource must be protected and retained on delete (the stateful-protection control). */
    requireProtection: boolean;
    /** Controls no stack of this preset may waive; any other waiver needs a reason, an expiry and an approver. */
    nonWaivable: readonly ControlId[];
    /** The usage the cost estimate assumes, over the general defaults. */
    costAssumptions: Partial<CostAssumptions>;
}

/** What every workload of an environment keeps, and for how long: its logs, its images, its protection. */
const DEV_STORAGE = { logs: { retentionDays: 7 }, repository: { forceDelete: true, keepTaggedImages: 10 }, protectStatefulResources: false };
const PROD_STORAGE = { logs: { retentionDays: 365 }, repository: { forceDelete: false, keepTaggedImages: 50 }, protectStatefulResources: true };

export const PRESETS: Record<Preset, PresetDefaults> = {
    dev: {
        // Tasks without any IPv4 address: no public IPv4 to pay for, no NAT gateway, nothing can reach them
        // from the internet (egress-only gateway); the load balancer is dual-stack, so IPv4 clients still reach it.
        // Where an image lives outside this Region's private ECR, the tasks take the public subnets
        // instead (resolveEnvironment), since IPv6-only tasks without NAT64 could not pull it.
        network: { mode: "vpc", availabilityZones: 2, cidr: "10.0.0.0/16", natGateways: "none", taskSubnets: "ipv6Only", vpcEndpoints: false, ipv6: true },
        cluster: { containerInsights: "disabled", capacity: { fargateBase: 0, fargateWeight: 0, spotWeight: 1 } },
        loadBalancer: { deletionProtection: false, accessLogs: { enabled: false, expireAfterDays: 30 } },
        service: {
            ...DEV_STORAGE,
            desiredCount: 1,
            scaling: { min: 1, max: 2 },
            enableExecuteCommand: true,
            deployment: { minHealthyPercent: 50, maxPercent: 200, healthCheckGracePeriod: 30 },
        },
        loadBalancedService: {
            // Fast deploys: a task takes traffic after one 5-second check and drains in 5 seconds.
            loadBalancer: { deregistrationDelay: 5, healthCheck: { interval: 5, timeout: 3, healthyThreshold: 2, unhealthyThreshold: 2 } },
        },
        // Idle queues cost nothing: workers stop when their queue empties and wake on the next message.
        // Queue depth, not backlog per task, because dev has no Container Insights to count tasks.
        queueWorker: {
            ...DEV_STORAGE,
            enableExecuteCommand: true,
            scaling: { min: 0, max: 2, policy: "queueDepth", idleMinutes: 15 },
        },
        task: {
            ...DEV_STORAGE,
            capacity: { fargateBase: 0, fargateWeight: 0, spotWeight: 1 },
        },
        alarms: { enabled: false },
        dashboard: true,
        rollingUpdateMinutes: 5,
        requiresHttps: false,
        enforcement: "advisory",
        requireOnDemandBase: false,
        requireProtection: false,
        nonWaivable: [],
        costAssumptions: { requestsPerSecond: 1, averageResponseKb: 20, logGbPerTaskMonth: 0.2, natDataGbPerMonth: 0, ecrGbPerRepository: 1, queueMessagesPerMonth: 10_000, eventRunsPerMonth: 100, notificationsPerMonth: 20 },
    },
    prod: {
        network: { mode: "vpc", availabilityZones: 3, cidr: "10.0.0.0/16", natGateways: "onePerAz", taskSubnets: "private", vpcEndpoints: false, ipv6: false },
        cluster: { containerInsights: "enabled", capacity: { fargateBase: 2, fargateWeight: 1, spotWeight: 1 } },
        loadBalancer: { deletionProtection: true, accessLogs: { enabled: true, expireAfterDays: 400 } },
        service: {
            ...PROD_STORAGE,
            desiredCount: 3,
            scaling: { min: 3, max: 20, cpuTarget: 60 },
            enableExecuteCommand: false,
            // Prod rolls out and checks health as the component does when left alone (core/serviceDefaults.ts).
            deployment: { minHealthyPercent: DEPLOYMENT_DEFAULTS.minHealthyPercent, maxPercent: DEPLOYMENT_DEFAULTS.maxPercent, healthCheckGracePeriod: DEPLOYMENT_DEFAULTS.healthCheckGracePeriod },
        },
        loadBalancedService: {
            scaling: { requestsPerTarget: 1000 },
            loadBalancer: {
                deregistrationDelay: TARGET_DEFAULTS.deregistrationDelay,
                healthCheck: {
                    interval: TARGET_DEFAULTS.healthCheck.interval,
                    timeout: TARGET_DEFAULTS.healthCheck.timeout,
                    healthyThreshold: TARGET_DEFAULTS.healthCheck.healthyThreshold,
                    unhealthyThreshold: TARGET_DEFAULTS.healthCheck.unhealthyThreshold,
                },
            },
        },
        queueWorker: {
            ...PROD_STORAGE,
            enableExecuteCommand: false,
            scaling: { min: 1, max: 10, policy: "backlogPerTask", backlogPerTask: 100 },
        },
        // Scheduled jobs run on-demand in prod: a Spot interruption would cost a missed run.
        task: {
            ...PROD_STORAGE,
            capacity: { fargateBase: 0, fargateWeight: 1, spotWeight: 0 },
        },
        alarms: { enabled: true },
        dashboard: true,
        rollingUpdateMinutes: 10,
        requiresHttps: true,
        enforcement: "mandatory",
        requireOnDemandBase: true,
        requireProtection: true,
        nonWaivable: NON_WAIVABLE_IN_PROD.map((c) => c.id),
        costAssumptions: { requestsPerSecond: 50, averageResponseKb: 20, logGbPerTaskMonth: 2, natDataGbPerMonth: 100, ecrGbPerRepository: 5, notificationsPerMonth: 200 },
    },
};

/** Each way dev is less strict than prod, and why; the stack file waives the controls it fails. */
export const DEV_RELAXATIONS: { setting: string; control?: string; reason: string }[] = [
    {
        setting: "no NAT gateway; tasks in IPv6-only subnets, out through an egress-only internet gateway",
        reason: "a NAT gateway costs about $33 a month before traffic, a public IPv4 address per task $3.65; tasks reach IPv6 and dual-stack hosts (AWS's dual-stack endpoints, ECR's among them) but not IPv4-only ones, and pull only from this Region's private ECR",
    },
    { setting: "HTTP only, no certificate", control: "ELB.1", reason: "a dev environment has no domain of its own; use a domain and certificate to test HTTPS" },
    { setting: "no load balancer access logs", control: "ELB.5", reason: "nobody audits dev traffic; the bucket and its storage are saved" },
    { setting: "no deletion protection on the load balancer", control: "ELB.6", reason: "dev is disposable: `pulumi destroy` must succeed without a manual step" },
    { setting: "Container Insights off", control: "ECS.12", reason: "its metrics are billed as custom metrics; dev needs no fleet dashboards" },
    { setting: "logs kept 7 days", control: "CloudWatch.16", reason: "dev logs are for debugging today, not for audit" },
    { setting: "all tasks on Fargate Spot, no on-demand base", reason: "up to 70% cheaper; an interruption in dev costs nothing" },
    { setting: "ECR repository force-deleted with its images", reason: "destroying dev must not fail on leftover images" },
];
