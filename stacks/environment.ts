import { z } from "zod";
import { shiftsTraffic } from "../core/deploymentStrategy";
import type { Waiver } from "../analysis/controls/types";
import type { CostAssumptions } from "../analysis/costModel";
import { isoDate } from "../analysis/waivers";
import { adminManagedPolicy } from "../core/adminPolicies";
import { AWS_REGION } from "../core/arns";
import { secretAdvice, secretLook } from "../core/secretLooks";
import { unkeptKeys } from "../core/unkeptKeys";
import { Capacity } from "../core/capacity";
import { ContainerInsights, EfsThroughputMode } from "../core/enums";
import { checkService, checkTask } from "../core/serviceSchema";
import { ecrImage } from "../core/arns";
import { RouteRule, routingConflicts } from "../core/routing";
import { certificateNameProblems } from "../core/aws/certificateNames";
import { ipAddressTypeProblem } from "../core/aws/loadBalancerAddresses";
import { ALB_MIN_SUBNET_PREFIX, subnetBits } from "../core/aws/subnetCidrs";
import { checkQueueWorker } from "../core/workloadSchemas";
import { callProblems, serviceConnectEdges } from "../core/serviceConnect";
import { serviceConnectProblems } from "../core/serviceConnectSchema";
import { mainContainerPort } from "../core/serviceDefaults";
import { RELEASES_SEGMENT, environmentRepositoryName, releaseRepositoryName } from "../core/ecrNames";
import { ALWAYS, Problem, ValidationError, describeValue, problemsFrom } from "../core/validation";
import { NETWORK_TLS_CONTROL, NON_WAIVABLE_IN_PROD } from "../analysis/controlIds";
import { Preset } from "./environmentEnums";
import { ENVIRONMENT_NAME, EnvironmentConfig, MAX_WAIVER_DAYS, RESERVED_TAG_KEYS, environmentSchema, environmentShape } from "./environmentSchema";
import { NetworkDefaults, PRESETS } from "./presets";

/**
 * From a stack's raw config to a complete environment: validated, with the preset's defaults
 * filled in. Pure: the program, the offline plan and the portal API all call it, so a config is
 * judged the same way everywhere, before anything is created or the CLI is touched.
 */

export interface ResolvedNetwork extends NetworkDefaults {
    vpcId?: string;
    publicSubnetIds?: string[];
    privateSubnetIds?: string[];
}

/** A service entry after the preset's defaults: FargateService arguments without the wiring. */
export type ServiceSpec = Record<string, any> & { loadBalancer?: Record<string, any> };

export interface EnvironmentSpec {
    project: string;
    /** The environment's name: the stack name. It prefixes every physical name. */
    name: string;
    preset: Preset;
    network: ResolvedNetwork;
    cluster: { containerInsights: ContainerInsights; capacity: Capacity };
    loadBalancer: Record<string, any> & { deletionProtection: boolean; accessLogs: { enabled: boolean; expireAfterDays: number } };
    domain?: { name: string; zoneName?: string; zoneId?: string };
    services: Record<string, ServiceSpec>;
    queueWorkers: Record<string, ServiceSpec>;
    scheduledTasks: Record<string, ServiceSpec>;
    /** Event-driven tasks; `eventPattern` is the pattern object, as written in the stack file. */
    eventTasks: Record<string, ServiceSpec>;
    /** Service Connect across the services: TLS from a Private CA, when the stack file gives one. */
    serviceConnect: { tls?: { privateCaArn: string; kmsKeyArn?: string } };
    /** The EFS file system the services' volumes are on: brought (`fileSystemId`) or made with these settings. */
    fileSystem: { fileSystemId?: string; securityGroupId?: string; throughputMode?: EfsThroughputMode; infrequentAccess?: boolean; backup?: boolean };
    alarms: { enabled: boolean; email: string[]; cpuPercent?: number; memoryPercent?: number; error5xxPercent?: number; responseTimeSeconds?: number };
    dashboard: boolean;
    waivers: Record<string, Waiver>;
    budget?: { monthlyUsd: number };
    deployTarget: { rollingUpdateMinutes: number };
    /** The preset's usage assumptions with the stack's own over them. */
    costAssumptions: Partial<CostAssumptions>;
    tags: Record<string, string>;
}

export interface ResolveOptions {
    project: string;
    stack: string;
    /** Where the config came from, for messages: `Pulumi.prod.yaml`, or `config` for the API. */
    source: string;
    /** The region the stack deploys to (`aws:region`), when known: existing queues must be there. */
    region?: string;
    /** The day waivers are judged on (YYYY-MM-DD, UTC); today by default. */
    today?: string;
}

/** Whether a config key (without namespace) belongs to an environment. */
export function isEnvironmentKey(key: string): boolean {
    return key in environmentShape;
}

/**
 * Reads the project's keys out of Pulumi's flat config map (`project:key` to a string, objects as
 * JSON). Keys of other namespaces (aws:region) are not ours and are left alone.
 */
export function environmentConfigFromPulumi(config: Record<string, string>, project: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (!key.startsWith(`${project}:`)) continue;
        out[key.slice(project.length + 1)] = parseConfigValue(value);
    }
    return out;
}

/** Pulumi hands every value over as a string; structured values and numbers are JSON. */
export function parseConfigValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** Validates and completes an environment's config, or throws one ValidationError listing every problem. */
export function resolveEnvironment(raw: unknown, options: ResolveOptions): EnvironmentSpec {
    const prefix = `${options.project}:`;
    const problems: Problem[] = [];
    if (!ENVIRONMENT_NAME.test(options.stack)) {
        problems.push({
            path: "stack",
            message: `"${options.stack}" cannot name AWS resources: use lower-case letters, digits and -, starting with a letter, at most 16 characters`,
        });
    } else if (options.stack === RELEASES_SEGMENT) {
        problems.push({
            path: "stack",
            message: `"${RELEASES_SEGMENT}" names the release repositories (<project>/${RELEASES_SEGMENT}/<workload>); an environment of that name would build into them: choose another stack name`,
        });
    }
    if (options.region !== undefined && !AWS_REGION.test(options.region)) {
        problems.push({ path: "aws:region", message: `${describeValue(options.region)} is not an AWS Region such as us-east-1 or eu-west-1` });
    }
    const unkept = unkeptKeys(raw, prefix);
    problems.push(...unkept);
    const parsed = environmentSchema.safeParse(raw, { reportInput: true });
    // A key already named as one objects cannot keep is not named again as unknown.
    const named = new Set(unkept.map((problem) => problem.path));
    if (!parsed.success) problems.push(...problemsFrom(parsed.error, environmentSchema, prefix).filter((problem) => !named.has(problem.path)));
    if (problems.length > 0 || !parsed.success) throw new ValidationError(options.source, problems);

    const config = parsed.data as EnvironmentConfig;
    const preset = PRESETS[config.preset];
    const network: ResolvedNetwork = { ...preset.network, ...config.network };
    if (network.mode !== "vpc") {
        // A VPC this stack does not create keeps its owner's addressing: the preset's IPv6 choices
        // are for the VPC it creates. What the stack file sets itself is judged below.
        if (config.network?.ipv6 === undefined) network.ipv6 = false;
        if (config.network?.taskSubnets === undefined && network.taskSubnets === "ipv6Only") network.taskSubnets = "public";
    }
    const services: Record<string, ServiceSpec> = {};
    for (const [name, service] of Object.entries(config.services ?? {})) {
        // A service behind its own Network Load Balancer takes no part in the environment's Application Load Balancer.
        const network = service.networkLoadBalancer !== undefined;
        const balanced = !network && (service.loadBalancer as { enabled?: boolean } | undefined)?.enabled !== false;
        services[name] = withDefaults(deepMerge(preset.service, balanced ? preset.loadBalancedService : {}), network ? { loadBalancer: { enabled: false }, ...service } : service);
    }
    const each = (entries: Record<string, Record<string, unknown>> | undefined, defaults: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(entries ?? {}).map(([name, entry]) => [name, withDefaults(defaults, entry)]));
    const spec: EnvironmentSpec = {
        project: options.project,
        name: options.stack,
        preset: config.preset,
        network,
        cluster: {
            containerInsights: config.cluster?.containerInsights ?? preset.cluster.containerInsights,
            capacity: { ...preset.cluster.capacity, ...config.cluster?.capacity },
        },
        loadBalancer: deepMerge(preset.loadBalancer, (config.loadBalancer ?? {}) as Record<string, unknown>) as EnvironmentSpec["loadBalancer"],
        domain: config.domain,
        services,
        queueWorkers: each(config.queueWorkers as Record<string, Record<string, unknown>> | undefined, preset.queueWorker),
        scheduledTasks: each(config.scheduledTasks as Record<string, Record<string, unknown>> | undefined, preset.task),
        eventTasks: each(config.eventTasks as Record<string, Record<string, unknown>> | undefined, preset.task),
        serviceConnect: config.serviceConnect ?? {},
        fileSystem: config.fileSystem ?? {},
        alarms: { ...preset.alarms, email: [], ...config.alarms },
        dashboard: config.dashboard ?? preset.dashboard,
        waivers: (config.waivers ?? {}) as Record<string, Waiver>,
        budget: config.budget,
        deployTarget: config.deployTarget ?? { rollingUpdateMinutes: preset.rollingUpdateMinutes },
        costAssumptions: { ...preset.costAssumptions, ...config.costAssumptions },
        tags: config.tags ?? {},
    };

    // A preset's IPv6-only task subnets, when the stack file does not choose: only where every image
    // can be pulled over IPv6 (this Region's private ECR), or NAT64 reaches the rest. Otherwise the
    // tasks take the public subnets, as they would without IPv6, and the plan's cheaper options
    // price the switch. What a stack file chooses itself is judged, never changed.
    if (config.network?.taskSubnets === undefined && network.taskSubnets === "ipv6Only" && network.natGateways === "none" && imagesOutsideRegionalEcr(spec, options.region).length > 0) {
        network.taskSubnets = "public";
    }
    // A dual-stack VPC gets a dual-stack load balancer unless the stack file says otherwise: IPv4 and
    // IPv6 clients both reach it, and IPv6-only tasks need it (their target groups hold IPv6 addresses).
    if (spec.loadBalancer.ipAddressType === undefined && !spec.loadBalancer.shared && network.mode === "vpc" && network.ipv6 && spec.loadBalancer.internal !== true) {
        spec.loadBalancer.ipAddressType = "dualstack";
    }
    problems.push(...environmentProblems(spec, config, prefix, options.region), ...waiverProblems(spec, prefix, options.today ?? isoDate()), ...lockedControlProblems(spec, prefix));
    problems.push(...imageProblems(config, prefix), ...serviceConnectConfigProblems(spec, prefix), ...fileSystemProblems(spec, prefix));
    if (problems.length > 0) throw new ValidationError(options.source, problems);
    placeImages(spec);
    return spec;
}

const WORKLOAD_KINDS = ["services", "queueWorkers", "scheduledTasks", "eventTasks"] as const;
type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/**
 * Where each workload's image lives, decided by the environment and known before any deploy:
 * a tag is read from the workload's release repository (`<project>/releases/<name>`, which CI
 * creates and pushes to, and no stack deletes); a build goes to the environment's own repository
 * (`<project>/<environment>/<name>`, created by this stack).
 */
function placeImages(spec: EnvironmentSpec): void {
    for (const kind of WORKLOAD_KINDS) {
        for (const [name, entry] of Object.entries(spec[kind])) {
            const image = entry.image as { tag?: string; build?: unknown; repository?: string } | undefined;
            if (image?.tag !== undefined) {
                entry.image = { ...image, repository: image.repository ?? releaseRepositoryName(spec.project, name) };
            } else if (image?.build !== undefined) {
                entry.repository = { ...entry.repository, name: environmentRepositoryName(spec.project, spec.name, name) };
            }
        }
    }
}

/**
 * Who calls whom: every name in a `calls` list is a service of the environment with a port; a
 * service's `serviceConnect` and the environment's have an effect only where someone calls; and a
 * service that takes part runs at most Service Connect's 1,000 tasks.
 */
/**
 * The file system serves the services' volumes: it is judged only where one mounts it, a brought
 * one takes none of the settings of one the stack makes, and prod's is backed up. Its mount targets
 * go in the task subnets, one per Availability Zone, so their count must be known: a VPC this stack
 * creates, or subnets given by ID.
 */
function fileSystemProblems(spec: EnvironmentSpec, prefix: string): Problem[] {
    const problems: Problem[] = [];
    const at = (path: string, message: string) => problems.push({ path: `${prefix}${path}`, message });
    const mounting = Object.entries(spec.services).filter(([, s]) => Array.isArray(s.volumes) && s.volumes.length > 0);
    const fs = spec.fileSystem;
    if (mounting.length === 0) {
        if (Object.keys(fs).length > 0) at("fileSystem", "has no effect: no service has volumes (give a service volumes: [{ name, containerPath }])");
        return problems;
    }
    if (fs.fileSystemId === undefined) {
        if (fs.securityGroupId !== undefined) at("fileSystem.securityGroupId", "is the security group of a file system you bring: give fileSystem.fileSystemId too, or remove it to have the environment make one");
        if (spec.network.mode === "default") at("fileSystem", "needs subnets this stack knows, to put one mount target in each: network.mode vpc, or existing with its subnet IDs, or bring a file system with fileSystem.fileSystemId");
        if (fs.backup === false && spec.preset === "prod") at("fileSystem.backup", "cannot be false in prod: a shared file system is stateful and is backed up (AWS Backup's daily plan, kept 35 days)");
    } else {
        for (const key of ["throughputMode", "infrequentAccess", "backup"] as const) {
            if (fs[key] !== undefined) at(`fileSystem.${key}`, `has no effect with fileSystemId: it configures a file system the environment makes; set it on ${fs.fileSystemId} itself`);
        }
    }
    for (const [name] of mounting) {
        if (spec.network.taskSubnets === "ipv6Only") at(`services.${name}.volumes`, "cannot be mounted from IPv6-only task subnets (not verified for EFS on Fargate): set network.taskSubnets to private or public");
    }
    return problems;
}

function serviceConnectConfigProblems(spec: EnvironmentSpec, prefix: string): Problem[] {
    const problems: Problem[] = [];
    const ports = Object.fromEntries(Object.entries(spec.services).map(([name, s]) => [name, { calls: s.calls as unknown[] | undefined, port: mainContainerPort(s) }]));
    for (const p of callProblems(ports)) problems.push({ path: `${prefix}services.${p.caller}.calls[${p.index}]`, message: p.message });
    const edges = serviceConnectEdges(callsOf(spec));
    const called = new Set(edges.map((e) => e.callee));
    for (const [name, s] of Object.entries(spec.services)) {
        if (s.serviceConnect !== undefined && !called.has(name)) {
            problems.push({ path: `${prefix}services.${name}.serviceConnect`, message: `has no effect: no service calls ${name}; list it in another service's calls` });
        }
        const connected = called.has(name) || edges.some((e) => e.caller === name);
        if (connected) {
            for (const p of serviceConnectProblems({ ...s, serviceConnect: {} }, mainContainerPort(s))) problems.push({ path: `${prefix}services.${name}.${p.path.join(".")}`, message: p.message });
        }
    }
    if (spec.serviceConnect.tls && called.size === 0) {
        problems.push({ path: `${prefix}serviceConnect.tls`, message: "has no effect: no service calls another (give a service calls: [<name>])" });
    }
    return problems;
}

/** Each service's `calls`, the names known to be services (the rest are refused above). */
export function callsOf(spec: Pick<EnvironmentSpec, "services">): Record<string, string[]> {
    return Object.fromEntries(
        Object.entries(spec.services).map(([name, s]) => [name, (Array.isArray(s.calls) ? s.calls : []).filter((c: unknown): c is string => typeof c === "string" && c in spec.services)]),
    );
}

/** Repository settings a stack file may not give: the environment names its repositories. */
function imageProblems(config: EnvironmentConfig, prefix: string): Problem[] {
    const problems: Problem[] = [];
    for (const kind of WORKLOAD_KINDS) {
        for (const [name, entry] of Object.entries((config[kind] ?? {}) as Record<string, { image?: { tag?: string }; repository?: { name?: string } }>)) {
            if (entry.repository?.name !== undefined) {
                problems.push({ path: `${prefix}${kind}.${name}.repository.name`, message: "is decided by the environment (<project>/<environment>/<workload>), so CI and other stacks can find it: remove the key" });
            }
            if (entry.image?.tag !== undefined && entry.repository !== undefined) {
                problems.push({
                    path: `${prefix}${kind}.${name}.repository`,
                    message: `has no effect with image.tag: tags are read from the release repository, which this stack does not create (README, "Releasing an image")`,
                });
            }
        }
    }
    return problems;
}

/**
 * A workload entry over the preset's defaults; repository settings only where the stack creates a
 * repository (builds), and no preset scaling where the entry turns scaling off (its min and max
 * would have no effect). A blue/green, linear or canary service takes none of the preset's
 * rolling-update percentages (they size rolling updates only): the entry may still set them, and
 * is then told why not.
 */
function withDefaults(defaults: Record<string, unknown>, entry: Record<string, unknown>): ServiceSpec {
    const base = { ...defaults };
    if ((entry.image as { build?: unknown } | undefined)?.build === undefined) delete base.repository;
    if ((entry.scaling as { enabled?: unknown } | undefined)?.enabled === false) delete base.scaling;
    if (shiftsTraffic((entry.deployment as { strategy?: string } | undefined)?.strategy)) {
        const { minHealthyPercent: _min, maxPercent: _max, ...deployment } = (base.deployment ?? {}) as Record<string, unknown>;
        base.deployment = deployment;
    }
    return deepMerge(base, entry);
}

const mergedChecks = {
    services: z.any().superRefine(checkService, ALWAYS),
    queueWorkers: z.any().superRefine(checkQueueWorker, ALWAYS),
    scheduledTasks: z.any().superRefine(checkTask, ALWAYS),
    eventTasks: z.any().superRefine(checkTask, ALWAYS),
};

/**
 * The images (by key path) that are not in this Region's private ECR: what tasks cannot pull
 * through VPC endpoints, nor over IPv6 without NAT64. Builds and release tags always are.
 */
function imagesOutsideRegionalEcr(spec: Pick<EnvironmentSpec, WorkloadKind>, region: string | undefined): { path: string; uri: string }[] {
    const out: { path: string; uri: string }[] = [];
    for (const kind of WORKLOAD_KINDS) {
        for (const [name, entry] of Object.entries(spec[kind])) {
            const images: [string, unknown][] = [
                [`${kind}.${name}.image.uri`, entry.image?.uri],
                ...((entry.sidecars as { image?: string }[] | undefined) ?? []).map((s, i): [string, unknown] => [`${kind}.${name}.sidecars.${i}.image`, s.image]),
            ];
            for (const [path, uri] of images) {
                if (typeof uri !== "string") continue;
                const ecr = ecrImage(uri);
                if (!ecr || (region && ecr.region !== region)) out.push({ path, uri });
            }
        }
    }
    return out;
}

/** Problems that only show once the preset's defaults are in, or that relate several keys. */
function environmentProblems(spec: EnvironmentSpec, config: EnvironmentConfig, prefix: string, region: string | undefined): Problem[] {
    const problems: Problem[] = [];
    const at = (path: string, message: string) => problems.push({ path: `${prefix}${path}`, message });
    const { network } = spec;

    const seen = new Map<string, string>();
    for (const kind of WORKLOAD_KINDS) {
        for (const [name, entry] of Object.entries(spec[kind])) {
            const other = seen.get(name);
            if (other) at(`${kind}.${name}`, `the name is also used in ${other}: names are unique in an environment (they name its AWS resources)`);
            seen.set(name, kind);
            const merged = mergedChecks[kind].safeParse(entry, { reportInput: true });
            if (!merged.success) {
                for (const p of problemsFrom(merged.error, mergedChecks[kind], `${prefix}${kind}.${name}`)) {
                    problems.push({ ...p, message: `${p.message} (with the ${spec.preset} preset's defaults)` });
                }
            }
        }
    }
    if (seen.size === 0) at("services", "needs at least one service, queue worker, scheduled task or event task");
    // Tasks on EC2 capacity get no public IP (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_AwsVpcConfiguration.html):
    // in public task subnets without NAT they could pull no image.
    if (network.taskSubnets === "public") {
        for (const [name, entry] of Object.entries(spec.services)) {
            if (entry.managedInstances !== undefined) {
                at(`services.${name}.managedInstances`, 'runs tasks on EC2, which get no public IP, but this environment puts tasks in public subnets (network.taskSubnets "public"): set network.taskSubnets: private with natGateways, or vpcEndpoints');
            }
        }
    }

    const reserved = (tags: unknown, path: string) => {
        for (const key of Object.keys(isPlainObject(tags) ? (tags as object) : {})) {
            if ((RESERVED_TAG_KEYS as readonly string[]).includes(key)) {
                at(`${path}.${key}`, `is a tag the environment sets itself (${RESERVED_TAG_KEYS.join(", ")}) so every resource says where it belongs; use another key`);
            }
        }
    };
    reserved(config.tags, "tags");
    for (const kind of WORKLOAD_KINDS) {
        for (const [name, entry] of Object.entries((config[kind] ?? {}) as Record<string, { tags?: unknown }>)) reserved(entry?.tags, `${kind}.${name}.tags`);
    }

    for (const [name, worker] of Object.entries(spec.queueWorkers)) {
        if (worker.scaling?.policy !== "queueDepth" && spec.cluster.containerInsights === "disabled") {
            at(
                `queueWorkers.${name}.scaling.policy`,
                '"backlogPerTask" divides the backlog by RunningTaskCount, which only Container Insights publishes, and cluster.containerInsights is "disabled"; enable it or use "queueDepth"',
            );
        }
        const arn = worker.queue?.arn;
        if (typeof arn === "string" && region && arn.split(":")[3] !== region) {
            at(`queueWorkers.${name}.queue.arn`, `is in ${arn.split(":")[3]} but the stack deploys to ${region}: ECS tasks and their scaling alarms read queues of their own region`);
        }
    }
    if (!spec.alarms.enabled) {
        for (const key of ["email", "cpuPercent", "memoryPercent", "error5xxPercent", "responseTimeSeconds"] as const) {
            if (config.alarms?.[key] !== undefined) at(`alarms.${key}`, "has no effect: alarms.enabled is false");
        }
    }

    if (network.mode !== "existing") {
        for (const key of ["vpcId", "publicSubnetIds", "privateSubnetIds"] as const) {
            if (config.network?.[key] !== undefined) at(`network.${key}`, `is only used with network.mode "existing" (mode is "${network.mode}")`);
        }
    }
    if (network.mode === "existing") {
        if (!network.vpcId) at("network.vpcId", 'is required with network.mode "existing"');
        if (!network.publicSubnetIds) at("network.publicSubnetIds", 'is required with network.mode "existing": the load balancer lives there');
        if (network.taskSubnets === "private" && !network.privateSubnetIds) at("network.privateSubnetIds", 'is required with network.mode "existing" and taskSubnets "private"');
    }
    if (network.mode === "default" && network.taskSubnets === "private") {
        at("network.taskSubnets", 'must be "public" with network.mode "default": the default VPC has public subnets only');
    }
    if (network.taskSubnets === "ipv6Only" && (network.mode !== "vpc" || !network.ipv6)) {
        at(
            "network.taskSubnets",
            network.mode !== "vpc"
                ? `"ipv6Only" needs IPv6-only subnets this stack creates (network.mode "vpc" with network.ipv6 true); with network.mode "${network.mode}" use "public" or "private"`
                : '"ipv6Only" needs a dual-stack VPC: set network.ipv6 true (an Amazon-provided IPv6 /56 and IPv6-only subnets for the tasks), or use "public" or "private"',
        );
    }
    if (network.taskSubnets === "ipv6Only" && network.vpcEndpoints) {
        at(
            "network.vpcEndpoints",
            'is true but network.taskSubnets is "ipv6Only": ECR serves PrivateLink over IPv4 only (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-requests.html), and IPv6-only tasks reach AWS\'s dual-stack endpoints through the egress-only internet gateway for free; remove vpcEndpoints',
        );
    }
    if (network.mode === "vpc" && network.ipv6) {
        // The dual-stack VPC splits its IPv4 block evenly between its IPv4 subnets; each load balancer subnet must be a /27 or larger.
        const subnets = network.availabilityZones * (network.taskSubnets === "private" ? 2 : 1);
        const size = Number(network.cidr.split("/")[1]) + subnetBits(subnets);
        if (size > ALB_MIN_SUBNET_PREFIX) {
            at("network.cidr", `${network.cidr} split into ${subnets} subnets gives /${size}s, but a load balancer needs subnets of /${ALB_MIN_SUBNET_PREFIX} or larger (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer); use a larger block or fewer availabilityZones`);
        }
    }
    if (network.mode !== "vpc") {
        for (const key of ["natGateways", "availabilityZones", "cidr", "vpcEndpoints", "ipv6"] as const) {
            if (config.network?.[key] !== undefined) at(`network.${key}`, `applies to a VPC this stack creates (network.mode "vpc"), not to mode "${network.mode}"`);
        }
    } else if (network.taskSubnets === "private" && network.natGateways === "none" && !network.vpcEndpoints) {
        at(
            "network.natGateways",
            '"none" with network.taskSubnets "private" and network.vpcEndpoints false: tasks could not reach ECR, CloudWatch Logs or any AWS API, so none would start; set network.natGateways "single" or "onePerAz", network.vpcEndpoints true, or network.taskSubnets "public"',
        );
    } else if (network.taskSubnets === "public" && network.vpcEndpoints) {
        at("network.vpcEndpoints", 'is true but network.taskSubnets is "public": interface endpoints live in private subnets, and tasks with public IPs reach AWS without them; set network.taskSubnets "private", or remove vpcEndpoints');
    } else if (network.taskSubnets === "public" && network.natGateways !== "none") {
        at("network.natGateways", `"${network.natGateways}" costs money for nothing: tasks in public subnets do not use a NAT gateway; set "none", or taskSubnets "private"`);
    }

    const ipv6OnlyWithoutNat = network.taskSubnets === "ipv6Only" && network.natGateways === "none";
    if ((network.mode === "vpc" && network.taskSubnets === "private" && network.natGateways === "none") || ipv6OnlyWithoutNat) {
        // Private tasks without NAT reach only what the VPC endpoints serve: this Region's private ECR.
        // IPv6-only tasks without NAT64 reach only IPv6 hosts: of registries, ECR's dual-stack endpoint
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html).
        const why = ipv6OnlyWithoutNat
            ? `tasks sit in IPv6-only subnets without a NAT gateway (network.taskSubnets "ipv6Only", network.natGateways "none"), and of registries they reach only the private ECR of ${region ?? "the stack's Region"} (through its dual-stack endpoint); copy the image into ECR, use image.tag or image.build, set network.taskSubnets "public", or add a NAT gateway (DNS64 and NAT64)`
            : `tasks sit in private subnets without a NAT gateway (network.natGateways "none"), and the VPC endpoints reach only the private ECR of ${region ?? "the stack's Region"}; copy the image into ECR, use image.tag or image.build, or add a NAT gateway`;
        for (const { path, uri } of imagesOutsideRegionalEcr(spec, region)) at(path, `"${uri}" cannot be pulled: ${why}`);
    }

    const balanced = Object.entries(spec.services).filter(([, s]) => s.loadBalancer?.enabled !== false);
    const withoutRule = balanced.filter(([, s]) => !s.loadBalancer?.rule);
    if (balanced.length > 1 && withoutRule.length > 0) {
        for (const [name] of withoutRule) {
            at(`services.${name}.loadBalancer.rule`, `is required: ${balanced.length} services share the load balancer, so each needs hostHeaders or pathPatterns and a priority`);
        }
    }
    // Every service's rule sits on the environment's one listener: judge them together (core/routing.ts).
    const claims = balanced
        .filter(([, s]) => s.loadBalancer?.rule)
        .map(([name, s]) => ({ owner: `service ${name}`, name, rule: s.loadBalancer!.rule as RouteRule }));
    for (const conflict of routingConflicts(claims)) {
        const { name } = conflict.claim as (typeof claims)[number];
        at(`services.${name}.loadBalancer.rule${conflict.field ? `.${conflict.field}` : ""}`, conflict.message);
    }

    if (spec.domain) {
        // The certificate covers every host the rules route, and each gets a record in the zone.
        const hosts = balanced.flatMap(([name, s]) =>
            ((s.loadBalancer?.rule?.hostHeaders as string[] | undefined) ?? []).map((host, i) => ({ host, path: `services.${name}.loadBalancer.rule.hostHeaders.${i}` })),
        );
        for (const problem of certificateNameProblems(spec.domain.name, hosts.map((h) => h.host), spec.domain.zoneName)) {
            at(problem.host === undefined ? "domain" : hosts[problem.host].path, problem.message);
        }
    }
    if (spec.domain && !spec.domain.zoneName && !spec.domain.zoneId) {
        at("domain", "needs zoneName or zoneId: the Route 53 zone where the certificate is validated and the name points to the load balancer");
    }
    const ipAddressType = spec.loadBalancer.ipAddressType as string | undefined;
    const addressProblem = ipAddressTypeProblem(ipAddressType, spec.loadBalancer.internal);
    if (addressProblem) at("loadBalancer.ipAddressType", addressProblem);
    // awsx's Vpc (network.ipv6 false) creates its subnets with an IPv4 CIDR only and routes only
    // 0.0.0.0/0 (https://github.com/pulumi/pulumi-awsx/blob/master/awsx/ec2/vpc.ts), and the default
    // VPC's subnets have no IPv6 unless someone added it: a dual-stack load balancer needs the
    // dual-stack VPC (network.ipv6) or an existing VPC with dual-stack public subnets.
    else if (ipAddressType && ipAddressType !== "ipv4" && network.mode !== "existing" && !(network.mode === "vpc" && network.ipv6)) {
        at(
            "loadBalancer.ipAddressType",
            `"${ipAddressType}" needs public subnets with IPv6 CIDR blocks, and the ${network.mode === "vpc" ? "VPC this stack creates with network.ipv6 false (awsx Vpc) gives its subnets none" : "default VPC's subnets have none unless you added them"}: ${network.mode === "vpc" ? "set network.ipv6 true, " : ""}use network.mode "existing" with dual-stack public subnets, or "ipv4"`,
        );
    } else if ((ipAddressType ?? "ipv4") === "ipv4" && network.taskSubnets === "ipv6Only" && !spec.loadBalancer.shared && balanced.length > 0) {
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html
        at("loadBalancer.ipAddressType", '"ipv4" cannot reach tasks in IPv6-only subnets (network.taskSubnets "ipv6Only"): their target groups hold IPv6 addresses, which only a dual-stack load balancer serves; use "dualstack" or "dualstack-without-public-ipv4", or network.taskSubnets "public"');
    }
    const shared = spec.loadBalancer.shared as { listenerArn: string } | undefined;
    if (shared) {
        // The shared listener is another stack's: this one adds rules to it and nothing else.
        for (const key of Object.keys(config.loadBalancer ?? {}).filter((k) => k !== "shared")) {
            at(`loadBalancer.${key}`, "has no effect with loadBalancer.shared: the shared load balancer's own stack sets it");
        }
        if (spec.domain) at("domain", "cannot be used with loadBalancer.shared: the shared listener holds the certificate; point the hosts at the shared load balancer in its own stack");
        if (network.mode === "vpc") {
            at("network.mode", '"vpc" creates a new VPC, but a load balancer sends traffic only to targets in its own VPC: with loadBalancer.shared, use network.mode "existing" with the shared load balancer\'s VPC and subnets (or "default" if it lives in the default VPC)');
        }
        const arnRegion = shared.listenerArn.split(":")[3];
        if (region && arnRegion !== region) at("loadBalancer.shared.listenerArn", `is in ${arnRegion} but the stack deploys to ${region}: a listener forwards only to target groups of its own Region`);
        for (const [name, s] of balanced) {
            if (!(s.loadBalancer?.rule?.hostHeaders as string[] | undefined)?.length) {
                at(`services.${name}.loadBalancer.rule.hostHeaders`, "is required with loadBalancer.shared: other environments share the listener, so each service needs its own host name and a priority no other environment uses");
            }
        }
    }
    // The Network Load Balancer's counterpart of HTTPS: a listener open to the internet terminates TLS,
    // unless the stack waives it with a reason (a service that speaks TLS itself, a game's own protocol).
    if (PRESETS[spec.preset].requiresHttps && !spec.waivers[NETWORK_TLS_CONTROL]) {
        for (const [name, s] of Object.entries(spec.services)) {
            const nlb = s.networkLoadBalancer as { internal?: boolean; listeners?: { port: number; protocol?: string }[] } | undefined;
            if (!nlb || nlb.internal === true) continue;
            (nlb.listeners ?? []).forEach((listener, i) => {
                if ((listener.protocol ?? "TCP") === "TCP") {
                    at(
                        `services.${name}.networkLoadBalancer.listeners.${i}.protocol`,
                        `"TCP" passes connections from the internet without TLS, which the ${spec.preset} preset refuses: use "TLS" with networkLoadBalancer.certificateArn, make the load balancer internal, or waive ${NETWORK_TLS_CONTROL} with a reason (for a service that speaks TLS itself)`,
                    );
                }
            });
        }
    }
    const https = spec.domain !== undefined || spec.loadBalancer.certificateArn !== undefined || shared !== undefined;
    const waivable = !(PRESETS[spec.preset].nonWaivable as readonly string[]).includes("ELB.1");
    if (PRESETS[spec.preset].requiresHttps && !https && balanced.length > 0 && !(waivable && spec.waivers["ELB.1"])) {
        at("domain", `is required by the ${spec.preset} preset: serve HTTPS with a domain in Route 53 (or loadBalancer.certificateArn)${waivable ? ", or waive ELB.1 with a reason" : ""}`);
    }
    if (spec.domain && spec.loadBalancer.certificateArn) {
        at("loadBalancer.certificateArn", "and domain both give a certificate; keep one (domain creates and validates one for domain.name)");
    }
    return problems;
}

/**
 * Waivers a preset does not allow (its non-waivable controls), and waivers that run for more than
 * MAX_WAIVER_DAYS. An expired waiver is not an error here: the control it waived fails again.
 */
function waiverProblems(spec: EnvironmentSpec, prefix: string, today: string): Problem[] {
    const problems: Problem[] = [];
    const locked = PRESETS[spec.preset].nonWaivable;
    const latest = isoDate(new Date(Date.parse(`${today}T00:00:00Z`) + MAX_WAIVER_DAYS * 86_400_000));
    for (const [id, waiver] of Object.entries(spec.waivers)) {
        if ((locked as readonly string[]).includes(id)) {
            const why = NON_WAIVABLE_IN_PROD.find((c) => c.id === id)?.why;
            problems.push({ path: `${prefix}waivers.${id}`, message: `cannot be waived in ${spec.preset}: ${why}. Fix what fails instead (see the plan's controls); the non-waivable controls are ${locked.join(", ")}` });
        } else if (waiver.expires > latest) {
            problems.push({ path: `${prefix}waivers.${id}.expires`, message: `${waiver.expires} is more than ${MAX_WAIVER_DAYS} days away (latest ${latest}): a waiver is looked at again at least once a year` });
        }
    }
    return problems;
}

/** Each workload's containers, with the key path of each: the main container and the sidecars'. */
function containersOf(spec: EnvironmentSpec): { path: string; container: Record<string, any> }[] {
    const out: { path: string; container: Record<string, any> }[] = [];
    for (const kind of WORKLOAD_KINDS) {
        for (const [name, entry] of Object.entries(spec[kind])) {
            out.push({ path: `${kind}.${name}.container`, container: entry.container ?? {} });
            (Array.isArray(entry.sidecars) ? entry.sidecars : []).forEach((sidecar: Record<string, any>, i: number) =>
                out.push({ path: `${kind}.${name}.sidecars[${i}].container`, container: sidecar?.container ?? {} }),
            );
        }
    }
    return out;
}

/**
 * In a preset whose ECS.8 and IAM.1 cannot be waived (prod), what those controls would fail is
 * refused before anything is planned: secrets in environment variables and administrator
 * policies on task roles. Elsewhere (dev) the controls report them as warnings.
 */
function lockedControlProblems(spec: EnvironmentSpec, prefix: string): Problem[] {
    const locked = PRESETS[spec.preset].nonWaivable as readonly string[];
    const problems: Problem[] = [];
    if (locked.includes("ECS.8")) {
        for (const { path, container } of containersOf(spec)) {
            for (const [name, value] of Object.entries((container.environment ?? {}) as Record<string, unknown>)) {
                const why = secretLook(name, value);
                if (why) problems.push({ path: `${prefix}${path}.environment.${name}`, message: `${secretAdvice(name, why)} (refused in ${spec.preset})` });
            }
        }
    }
    if (locked.includes("IAM.1")) {
        for (const kind of WORKLOAD_KINDS) {
            for (const [name, entry] of Object.entries(spec[kind])) {
                const arns: unknown[] = Array.isArray(entry.taskRole?.managedPolicyArns) ? entry.taskRole.managedPolicyArns : [];
                arns.forEach((arn, i) => {
                    const admin = adminManagedPolicy(arn);
                    if (admin) {
                        problems.push({
                            path: `${prefix}${kind}.${name}.taskRole.managedPolicyArns[${i}]`,
                            message: `${admin} grants administrator access (Security Hub IAM.1), refused in ${spec.preset}: list the actions the application calls in taskRole.statements`,
                        });
                    }
                });
            }
        }
    }
    return problems;
}

/** Merges `over` onto `base`: objects key by key, anything else (lists included) replaced. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, any> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) {
        const current = out[key];
        out[key] =
            isPlainObject(current) && isPlainObject(value) ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>) : value;
    }
    return out;
}

function isPlainObject(value: unknown): boolean {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
