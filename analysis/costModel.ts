import { secretPolicyResource, secretSource } from "../core/arns";
import { StrategyItem, splitTasks } from "../core/capacity";
import { runsPerMonth } from "../core/scheduleExpressions";
import { KNOWN_INSTANCE_TYPES, instancesFor, singleInstanceType, tasksPerInstance } from "../core/managedInstances";
import { coverageOf } from "./costCoverage";
import { AWS_PRICES as priceData } from "./data/awsPrices";
import {
    accessLogExpiryDays,
    architectureOf,
    asList,
    containerDefinitions,
    containerInsightsOf,
    desiredTasks,
    loadBalancerZones,
    managedInstancesProviderOf,
    natGateways,
    publicIpv4Addresses,
    queueScaleToZero,
    scheduledScalingOf,
    strategyOf,
    taskDefinitionOf,
    taskSize,
} from "./readers";
import { RunningTime, queueWorkerRunningTime, scheduledRunningTime } from "./runningHours";
import { StackGraph, StackResource, T, jsonInput } from "./stackResources";

/**
 * The monthly cost of a stack, line by line, from its resources, the prices in
 * data/awsPrices.ts and assumptions about usage, every one of which is printed and can be
 * changed. It answers "what will this cost at this traffic", not what AWS will bill to the cent.
 * Every resource type the stack holds is either priced here, free, or listed as not priced with
 * the reason (costCoverage.ts).
 */

export interface CostAssumptions {
    /** Hours in a month. */
    hoursPerMonth: number;
    /** How much cheaper Fargate Spot is than on-demand (AWS: "up to 70%"). */
    spotDiscount: number;
    /** Average requests per second through each load balancer. */
    requestsPerSecond: number;
    /** Average response size, in KB. */
    averageResponseKb: number;
    /** How long a client connection to the load balancer stays open, in seconds (active-connection LCUs). */
    connectionSeconds: number;
    /** Data through the NAT gateways each month, in GB (image pulls, third-party APIs). */
    natDataGbPerMonth: number;
    /** Logs each running task writes each month, in GB. */
    logGbPerTaskMonth: number;
    /** Months of logs stored when a log group never expires them. */
    neverExpireMonths: number;
    /** Image storage per ECR repository after its lifecycle policy, in GB. */
    ecrGbPerRepository: number;
    /** Data through the interface VPC endpoints each month, in GB. */
    vpcEndpointDataGbPerMonth: number;
    /** Files stored on each EFS file system the stack makes, in GB (and backed up, where backups are on). */
    efsGbPerFileSystem: number;
    /** Messages through each queue worker's queue each month. */
    queueMessagesPerMonth: number;
    /** How long one run of a scheduled or event-driven task lasts, in minutes. */
    taskRunMinutes: number;
    /** Runs of each event-driven task per month. */
    eventRunsPerMonth: number;
    /** Alarm notifications sent each month. */
    notificationsPerMonth: number;
    /** Container Insights metrics per dimension set (the cluster, each service, each task family). */
    containerInsightsMetrics: number;
    /** Container Insights performance-log events each running task writes a month, in GB. */
    containerInsightsLogGbPerTaskMonth: number;
    /** Bytes each request adds to the load balancer's access logs (gzip-compressed). */
    accessLogBytesPerRequest: number;
    /** New connections (flows) per second through each Network Load Balancer. */
    networkConnectionsPerSecond: number;
    /** Data through each Network Load Balancer each month, in GB (all of it sent out when internet-facing). */
    networkGbPerMonth: number;
    /** Share of the account's monthly free tiers this stack may use: 1 all of them, 0 none (other stacks use them). */
    freeTierShare: number;
}

export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
    hoursPerMonth: priceData.hoursPerMonth,
    spotDiscount: 0.7,
    requestsPerSecond: 5,
    averageResponseKb: 20,
    connectionSeconds: 10,
    natDataGbPerMonth: 50,
    logGbPerTaskMonth: 1,
    neverExpireMonths: 12,
    ecrGbPerRepository: 2,
    vpcEndpointDataGbPerMonth: 20,
    efsGbPerFileSystem: 10,
    queueMessagesPerMonth: 1_000_000,
    taskRunMinutes: 5,
    eventRunsPerMonth: 1000,
    notificationsPerMonth: 100,
    containerInsightsMetrics: 12,
    containerInsightsLogGbPerTaskMonth: 0.1,
    accessLogBytesPerRequest: 150,
    networkConnectionsPerSecond: 1,
    networkGbPerMonth: 10,
    freeTierShare: 1,
};

/** What each assumption means, for printing beside its value. */
export const ASSUMPTION_NOTES: Record<keyof CostAssumptions, string> = {
    hoursPerMonth: "hours in a month",
    spotDiscount: "Fargate Spot discount on the on-demand price (AWS says up to 70%; the rate floats)",
    requestsPerSecond: "average requests per second through each load balancer",
    averageResponseKb: "average response size, KB (also the data sent to the internet)",
    connectionSeconds: "seconds a client connection stays open (active-connection LCUs)",
    natDataGbPerMonth: "GB a month through the NAT gateways",
    logGbPerTaskMonth: "GB of logs each running task writes a month",
    neverExpireMonths: "months of logs stored where logs never expire",
    ecrGbPerRepository: "GB stored per ECR repository after its lifecycle policy",
    vpcEndpointDataGbPerMonth: "GB a month through interface VPC endpoints",
    efsGbPerFileSystem: "GB stored on each EFS file system (all in Standard: files moved to Infrequent Access cost less)",
    queueMessagesPerMonth: "messages a month through each worker queue",
    taskRunMinutes: "minutes one scheduled or event-driven task run lasts",
    eventRunsPerMonth: "runs a month of each event-driven task",
    notificationsPerMonth: "alarm notifications a month",
    containerInsightsMetrics: "Container Insights metrics for the cluster, each service and each task family",
    containerInsightsLogGbPerTaskMonth: "GB of Container Insights performance logs per running task a month",
    accessLogBytesPerRequest: "bytes of compressed access log per request",
    networkConnectionsPerSecond: "new connections a second through each Network Load Balancer (NLCUs)",
    networkGbPerMonth: "GB a month through each Network Load Balancer (NLCUs; all sent to the internet when internet-facing)",
    freeTierShare: "share of the account's monthly free tiers this stack uses (0 to 1)",
};

export type PriceKey = keyof typeof priceData.prices;

export interface CostLine {
    category: string;
    item: string;
    /** The resource the line is for, when it is for one. */
    resource?: string;
    quantity: number;
    unit: string;
    unitPriceUsd: number;
    monthlyUsd: number;
    priceKey: PriceKey;
}

export interface CostEstimate {
    monthlyUsd: number;
    lines: CostLine[];
    assumptions: CostAssumptions;
    /** What costs money but has no amount here, and why. */
    notPriced: { item: string; reason: string }[];
    /** Resource types in the stack that AWS does not charge for, with the reason. */
    free: { type: string; count: number; reason: string }[];
    prices: { region: string; note: string };
}

interface PriceEntry {
    usd: number;
    unit: string;
    url: string;
    source: string;
    date: string;
    freePerMonth?: number;
}

const PRICES = priceData.prices as Record<PriceKey, PriceEntry>;

export function price(key: PriceKey): number {
    return PRICES[key].usd;
}

export function priceSource(key: PriceKey): { url: string; source: string; date: string } {
    const { url, source, date } = PRICES[key];
    return { url, source, date };
}

/** The account's monthly free allowance for a price, in the price's own unit; 0 when there is none. */
export function freeTier(key: PriceKey): number {
    return PRICES[key].freePerMonth ?? 0;
}

/** The load balancer capacity unit's four dimensions (https://aws.amazon.com/elasticloadbalancing/pricing/). */
export const LCU = priceData.prices["alb.lcuHour"].lcu;

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

type AddLine = (category: string, item: string, quantity: number, unit: string, key: PriceKey, resource?: string, unitPrice?: number) => void;

export function estimateCost(graph: StackGraph, overrides: Partial<CostAssumptions> = {}): CostEstimate {
    const a: CostAssumptions = { ...DEFAULT_COST_ASSUMPTIONS, ...overrides };
    const lines: CostLine[] = [];
    const add: AddLine = (category, item, quantity, unit, key, resource, unitPrice = price(key)) => {
        if (quantity <= 0) return;
        lines.push({ category, item, resource, quantity: round(quantity, 3), unit, unitPriceUsd: unitPrice, monthlyUsd: round(quantity * unitPrice, 4), priceKey: key });
    };
    const notPriced: CostEstimate["notPriced"] = [];

    const running = new Map<StackResource, RunningTime>();
    for (const service of graph.ofType(T.service)) running.set(service, runningTime(graph, service, a));

    addFargateLines(graph, a, add, running);
    addManagedInstanceLines(graph, a, add, running, notPriced);
    addNetworkLines(graph, a, add, running);
    addLogLines(graph, a, add, running);
    addStorageLines(graph, a, add, notPriced);
    addWorkloadLines(graph, a, add, running);
    addMonitoringLines(graph, a, add, running, notPriced);
    addFreeTierLines(lines, a);
    notPriced.push(...sharedCosts(graph, lines), ...privateCaCosts(graph));

    const covered = new Map<string, number>();
    for (const r of graph.resources.filter((r) => r.custom)) covered.set(r.type, (covered.get(r.type) ?? 0) + 1);
    const free: CostEstimate["free"] = [];
    for (const [type, count] of covered) {
        const coverage = coverageOf(type);
        if (coverage.kind === "free") free.push({ type, count, reason: coverage.reason });
        if (coverage.kind === "notPriced") notPriced.push({ item: `${type} (${count})`, reason: coverage.reason });
    }

    const monthlyUsd = round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0));
    return { monthlyUsd, lines, assumptions: a, notPriced, free, prices: { region: priceData.region, note: priceData.note } };
}

/** Task-hours of a service: all month, by its scheduled actions, or, for a queue worker at zero, by its messages. */
function runningTime(graph: StackGraph, service: StackResource, a: CostAssumptions): RunningTime {
    const desired = desiredTasks(service);
    const scaling = scheduledScalingOf(graph, service);
    const zero = queueScaleToZero(graph, service);
    if (zero && scaling.range.min === 0) {
        const messages = a.queueMessagesPerMonth * zero.queues;
        return queueWorkerRunningTime(messages, zero.idleMinutes, zero.runningTasks, a.hoursPerMonth);
    }
    if (scaling.actions.length > 0) return scheduledRunningTime(desired, scaling.range, scaling.actions, a.hoursPerMonth);
    return { taskHours: desired * a.hoursPerMonth, runningHours: desired > 0 ? a.hoursPerMonth : 0 };
}

const family = (taskDefinition: StackResource | undefined) => (architectureOf(taskDefinition) === "ARM64" ? "arm" : "x86");

/** Fargate: each service's task-hours, split between on-demand and Spot by its strategy. */
function addFargateLines(graph: StackGraph, a: CostAssumptions, add: AddLine, running: Map<StackResource, RunningTime>): void {
    for (const [service, time] of running) {
        if (managedInstancesProviderOf(graph, service)) continue;
        const taskDefinition = taskDefinitionOf(graph, service);
        const { vcpu, memoryGb } = taskSize(taskDefinition);
        const arch = family(taskDefinition);
        // The split applies to the tasks running at a time; an average of them gives the same expected value.
        const average = time.taskHours / a.hoursPerMonth;
        const split = splitTasks(strategyOf(graph, service), Math.max(desiredTasks(service), average));
        const total = split.onDemand + split.spot;
        const when = time.note ? `, ${time.note}` : "";
        for (const [kind, share, factor] of [
            ["Fargate on-demand", total > 0 ? split.onDemand / total : 1, 1],
            ["Fargate Spot", total > 0 ? split.spot / total : 0, 1 - a.spotDiscount],
        ] as const) {
            const hours = time.taskHours * share;
            const tasks = round(hours / a.hoursPerMonth, 2);
            const label = `${kind} ${arch === "arm" ? "ARM64" : "x86"}: ${tasks} task${tasks === 1 ? "" : "s"} × ${vcpu} vCPU${when}`;
            add("Fargate", `${label} (vCPU)`, hours * vcpu, "vCPU-hours", `fargate.${arch}.vcpuHour`, service.name, price(`fargate.${arch}.vcpuHour`) * factor);
            add("Fargate", `${label} (${memoryGb} GB memory)`, hours * memoryGb, "GB-hours", `fargate.${arch}.gbHour`, service.name, price(`fargate.${arch}.gbHour`) * factor);
        }
    }
}

/**
 * ECS Managed Instances: the EC2 hours of the instances a service's tasks need, when its capacity
 * provider allows one instance type the price list has. ECS places whole tasks on whole instances,
 * so the count is rounded up; the management fee and the instances' volumes are listed as not priced.
 */
function addManagedInstanceLines(graph: StackGraph, a: CostAssumptions, add: AddLine, running: Map<StackResource, RunningTime>, notPriced: CostEstimate["notPriced"]): void {
    let any = false;
    for (const [service, time] of running) {
        const provider = managedInstancesProviderOf(graph, service);
        if (!provider) continue;
        any = true;
        const requirements = provider.inputs.managedInstancesProvider?.instanceLaunchTemplate?.instanceRequirements ?? {};
        const type = singleInstanceType(requirements.allowedInstanceTypes);
        const key = `ec2.${type}.hour` as PriceKey;
        const spec = type !== undefined ? KNOWN_INSTANCE_TYPES[type] : undefined;
        if (!spec || !(key in PRICES)) {
            notPriced.push({ item: `EC2 instances of ${service.name} (ECS Managed Instances${type ? `, ${type}` : ""})`, reason: priceData.notPriced.managedInstancesUnresolved });
            continue;
        }
        const taskDefinition = taskDefinitionOf(graph, service);
        const { vcpu, memoryGb } = taskSize(taskDefinition);
        const gpus = containerDefinitions(taskDefinition?.inputs ?? {}).reduce((sum, c) => sum + Number(c.resourceRequirements?.find((r) => r.type === "GPU")?.value ?? 0), 0);
        const perInstance = tasksPerInstance(spec, { cpu: vcpu * 1024, memory: memoryGb * 1024 }, gpus);
        const tasks = Math.ceil(Math.max(desiredTasks(service), time.taskHours / a.hoursPerMonth));
        const instances = instancesFor(tasks, perInstance);
        add(
            "EC2 (Managed Instances)",
            `${type} on-demand: ${instances} instance${instances === 1 ? "" : "s"} for ${tasks} task${tasks === 1 ? "" : "s"} (${perInstance} per instance${gpus > 0 ? `, ${gpus} GPU each` : ""})${time.note ? `, ${time.note}` : ""}`,
            instances * time.runningHours,
            "instance-hours",
            key,
            service.name,
        );
    }
    if (any) {
        notPriced.push({ item: "ECS Managed Instances management fee", reason: priceData.notPriced.managedInstancesFee });
        notPriced.push({ item: "ECS Managed Instances task volumes (EBS)", reason: priceData.notPriced.managedInstancesStorage });
    }
}

/** Load balancers, data to the internet, NAT gateways, public IPv4 addresses, interface endpoints. */
function addNetworkLines(graph: StackGraph, a: CostAssumptions, add: AddLine, running: Map<StackResource, RunningTime>): void {
    const monthSeconds = a.hoursPerMonth * 3600;
    for (const lb of graph.ofType(T.loadBalancer)) {
        if (lb.inputs.loadBalancerType === "network") {
            addNetworkLoadBalancerLines(graph, lb, a, add);
            continue;
        }
        add("Load balancing", "Application Load Balancer hours", a.hoursPerMonth, "hours", "alb.hour", lb.name);
        const ruleCount = graph.referencing(lb, "loadBalancerArn", T.listener).flatMap((l) => graph.referencing(l, "listenerArn", T.listenerRule)).length;
        add(
            "Load balancing",
            `Load balancer capacity units (${a.requestsPerSecond} req/s, ${a.averageResponseKb} KB, ${a.connectionSeconds} s connections, ${ruleCount} rules)`,
            lcus(a, ruleCount) * a.hoursPerMonth,
            "LCU-hours",
            "alb.lcuHour",
            lb.name,
        );
        // Responses leave AWS through an internet-facing load balancer; requests coming in are free.
        if (lb.inputs.internal !== true) add("Data transfer", `Internet data transfer out (${a.requestsPerSecond} req/s × ${a.averageResponseKb} KB)`, (a.requestsPerSecond * a.averageResponseKb * monthSeconds) / (1024 * 1024), "GB", "dataTransfer.internetOutGb", lb.name);
    }

    const nat = natGateways(graph);
    add("Network", `NAT gateway hours (${nat.total})`, nat.total * a.hoursPerMonth, "hours", "nat.hour");
    if (nat.total > 0) add("Network", "NAT gateway data processed", a.natDataGbPerMonth, "GB", "nat.gb");

    const v4 = publicIpv4Addresses(graph, nat.total, (service) => (running.get(service)?.taskHours ?? 0) / a.hoursPerMonth);
    add("Network", `Public IPv4 addresses (${v4.loadBalancer} load balancer, ${v4.nat} NAT, ${round(v4.tasks, 2)} task)`, (v4.loadBalancer + v4.nat + v4.tasks) * a.hoursPerMonth, "address-hours", "publicIpv4.hour");

    // Interface VPC endpoints: per endpoint per Availability Zone, plus data.
    const endpoints = graph.ofType(T.vpcEndpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
    const endpointZones = endpoints.reduce((sum, e) => sum + ((e.inputs.subnetIds as unknown[] | undefined)?.length ?? 2), 0);
    add("Network", `Interface VPC endpoints (${endpoints.length} × their zones)`, endpointZones * a.hoursPerMonth, "endpoint-AZ-hours", "vpcEndpoint.azHour");
    if (endpoints.length > 0) add("Network", "VPC endpoint data processed", a.vpcEndpointDataGbPerMonth, "GB", "vpcEndpoint.gb");
}

/** The Network Load Balancer capacity unit's dimensions, for TCP and for TLS (https://aws.amazon.com/elasticloadbalancing/pricing/). */
export const NLCU = priceData.prices["nlb.nlcuHour"].nlcu;

/**
 * NLCUs an hour: the largest of new flows, active flows and processed bytes, each over its
 * dimension; TLS flows cost more NLCUs than TCP ones, so a load balancer with a TLS listener is
 * priced at the TLS dimensions (the assumptions do not split traffic between listeners).
 */
export function nlcus(a: Pick<CostAssumptions, "networkConnectionsPerSecond" | "connectionSeconds" | "networkGbPerMonth" | "hoursPerMonth">, tls: boolean): number {
    const d = tls ? NLCU.tls : NLCU.tcp;
    const newFlows = a.networkConnectionsPerSecond / d.newFlowsPerSecond;
    const active = (a.networkConnectionsPerSecond * a.connectionSeconds) / d.activeFlows;
    const gbPerHour = a.networkGbPerMonth / a.hoursPerMonth / d.processedGbPerHour;
    return Math.max(newFlows, active, gbPerHour);
}

/** A Network Load Balancer: its hours, its NLCUs, and what it sends to the internet. */
function addNetworkLoadBalancerLines(graph: StackGraph, lb: StackResource, a: CostAssumptions, add: AddLine): void {
    const tls = graph.referencing(lb, "loadBalancerArn", T.listener).some((l) => l.inputs.protocol === "TLS");
    add("Load balancing", "Network Load Balancer hours", a.hoursPerMonth, "hours", "nlb.hour", lb.name);
    add(
        "Load balancing",
        `Network load balancer capacity units (${a.networkConnectionsPerSecond} new ${tls ? "TLS" : "TCP"} connections/s, ${a.connectionSeconds} s each, ${a.networkGbPerMonth} GB a month)`,
        nlcus(a, tls) * a.hoursPerMonth,
        "NLCU-hours",
        "nlb.nlcuHour",
        lb.name,
    );
    if (lb.inputs.internal !== true) add("Data transfer", `Internet data transfer out (${a.networkGbPerMonth} GB through the Network Load Balancer)`, a.networkGbPerMonth, "GB", "dataTransfer.internetOutGb", lb.name);
}

/** Logs: ingestion by running tasks, storage by each group's retention. */
function addLogLines(graph: StackGraph, a: CostAssumptions, add: AddLine, running: Map<StackResource, RunningTime>): void {
    for (const [service, time] of running) {
        const tasks = time.taskHours / a.hoursPerMonth;
        const ingest = tasks * a.logGbPerTaskMonth;
        add("Logs", `CloudWatch Logs ingestion (${round(tasks, 2)} task${tasks === 1 ? "" : "s"} × ${a.logGbPerTaskMonth} GB)`, ingest, "GB", "logs.ingestGb", service.name);
        const group = logGroupOf(graph, service);
        const days = Number(group?.inputs.retentionInDays ?? 0);
        const months = days === 0 ? a.neverExpireMonths : days / 30.4;
        add("Logs", `CloudWatch Logs storage (${days === 0 ? "never expire" : `${days} days`} kept)`, ingest * months, "GB-months", "logs.storageGbMonth", service.name);
    }
}

/** Images, access logs and secrets. */
function addStorageLines(graph: StackGraph, a: CostAssumptions, add: AddLine, notPriced: CostEstimate["notPriced"]): void {
    // EFS: storage at Standard's rate (an upper bound: lifecycle moves files unread for 30 days to
    // Infrequent Access), and AWS Backup's warm storage for a file system with a backup policy on.
    // Elastic throughput bills each GB read and written; no assumption here says how many.
    for (const fs of graph.ofType(T.fileSystem)) {
        add("Storage", "EFS storage (Standard)", a.efsGbPerFileSystem, "GB-months", "efs.standardGbMonth", fs.name);
        const backedUp = graph.referencing(fs, "fileSystemId", "aws:efs/backupPolicy:BackupPolicy").some((b) => b.inputs.backupPolicy?.status === "ENABLED");
        if (backedUp) add("Storage", "EFS backups (AWS Backup warm storage)", a.efsGbPerFileSystem, "GB-months", "backup.efsWarmGbMonth", fs.name);
        if ((fs.inputs.throughputMode ?? "elastic") === "elastic") {
            notPriced.push({ item: `EFS elastic throughput (${fs.name})`, reason: "each GB read ($0.03) and written ($0.06) is billed (https://aws.amazon.com/efs/pricing/); no assumption here says how many" });
        }
    }

    const repositories = graph.ofType(T.repository);
    add("Storage", `ECR storage (${repositories.length} repositor${repositories.length === 1 ? "y" : "ies"})`, repositories.length * a.ecrGbPerRepository, "GB-months", "ecr.storageGbMonth");

    // The access-log bucket: what the load balancer writes, kept until the bucket's lifecycle expires it,
    // in one object per load balancer node every 5 minutes
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
    for (const lb of graph.ofType(T.loadBalancer).filter((l) => l.inputs.accessLogs?.enabled === true)) {
        const gbPerMonth = (a.requestsPerSecond * a.hoursPerMonth * 3600 * a.accessLogBytesPerRequest) / 1024 ** 3;
        const days = accessLogExpiryDays(graph);
        const months = days === undefined ? a.neverExpireMonths : days / 30.4;
        add("Storage", `S3 access-log storage (${a.requestsPerSecond} req/s × ${a.accessLogBytesPerRequest} B, ${days === undefined ? "never expire" : `${days} days`} kept)`, gbPerMonth * months, "GB-months", "s3.storageGbMonth", lb.name);
        const nodes = loadBalancerZones(lb.inputs) ?? 2;
        add("Storage", `S3 access-log PUTs (${nodes} nodes × 12 an hour)`, (nodes * 12 * a.hoursPerMonth) / 1000, "1,000 PUTs", "s3.thousandPuts", lb.name);
    }

    const secrets = new Set<string>();
    for (const td of graph.ofType(T.taskDefinition)) {
        for (const c of containerDefinitions(td.inputs)) {
            for (const s of c.secrets ?? []) if (secretSource(s.valueFrom) === "secretsmanager") secrets.add(secretPolicyResource(s.valueFrom));
        }
    }
    add("Secrets", `Secrets Manager secrets read by tasks (${secrets.size})`, secrets.size, "secret-months", "secretsManager.secretMonth");
    if (secrets.size > 0) notPriced.push({ item: "Secrets Manager API calls", reason: priceData.notPriced.secretsManagerApiCalls });
}

/** Fargate time of a task that runs now and then, split by its strategy. */
function addRunLines(a: CostAssumptions, add: AddLine, name: string, runs: number, taskDefinition: StackResource | undefined, strategy: StrategyItem[]): void {
    if (!taskDefinition || runs <= 0) return;
    const { vcpu, memoryGb } = taskSize(taskDefinition);
    const arch = family(taskDefinition);
    const share = splitTasks(strategy, 1);
    const hours = (runs * a.taskRunMinutes) / 60;
    for (const [kind, fraction, factor] of [
        ["on-demand", share.onDemand, 1],
        ["Spot", share.spot, 1 - a.spotDiscount],
    ] as const) {
        const perHour = vcpu * price(`fargate.${arch}.vcpuHour`) + memoryGb * price(`fargate.${arch}.gbHour`);
        add("Fargate", `Fargate ${kind} runs: ${Math.round(runs)} a month × ${a.taskRunMinutes} min × ${vcpu} vCPU / ${memoryGb} GB`, hours * fraction, "task-hours", `fargate.${arch}.vcpuHour`, name, perHour * factor);
    }
}

/** Queue requests, scheduled and event-driven runs. */
function addWorkloadLines(graph: StackGraph, a: CostAssumptions, add: AddLine, running: Map<StackResource, RunningTime>): void {
    // Each message is sent, received and deleted; each running worker also long-polls (20 s) when idle.
    let requests = 0;
    for (const [service, time] of running) {
        const taskDefinition = taskDefinitionOf(graph, service);
        const queues = taskDefinition ? graph.referencedBy(taskDefinition, "containerDefinitions", T.queue) : [];
        requests += queues.length * (a.queueMessagesPerMonth * 3 + time.taskHours * 3 * 60);
    }
    add("Queues", `SQS requests (${(requests / 1e6).toFixed(2)} million)`, requests / 1e6, "million requests", "sqs.millionRequests");

    let invocations = 0;
    for (const schedule of graph.ofType(T.schedule)) {
        const runs = schedule.inputs.state === "DISABLED" ? 0 : runsPerMonth(String(schedule.inputs.scheduleExpression ?? ""));
        invocations += runs;
        const target = schedule.inputs.target?.ecsParameters;
        addRunLines(a, add, schedule.name, runs, graph.referencedBy(schedule, "target", T.taskDefinition)[0], target?.capacityProviderStrategies ?? []);
    }
    add("Events", `EventBridge Scheduler invocations (${Math.round(invocations)} a month)`, invocations / 1e6, "million invocations", "scheduler.millionInvocations");

    for (const target of graph.ofType(T.eventTarget).filter((t) => t.inputs.ecsTarget)) {
        addRunLines(a, add, target.name, a.eventRunsPerMonth, graph.referencedBy(target, "ecsTarget", T.taskDefinition)[0], target.inputs.ecsTarget.capacityProviderStrategies ?? []);
        const rule = graph.referencedBy(target, "rule", T.eventRule)[0];
        const sources = asList(jsonInput<{ source?: string | string[] }>(rule?.inputs.eventPattern)?.source);
        // Events from AWS services on the default bus are free; custom events are not.
        if (sources.some((s) => !s.startsWith("aws."))) add("Events", "EventBridge custom events", a.eventRunsPerMonth / 1e6, "million events", "eventbridge.millionCustomEvents", target.name);
    }
}

/** Alarms, dashboards, notifications and Container Insights. */
function addMonitoringLines(graph: StackGraph, a: CostAssumptions, add: AddLine, running: Map<StackResource, RunningTime>, notPriced: CostEstimate["notPriced"]): void {
    const defined = graph.ofType(T.metricAlarm).length;
    // Each target-tracking policy makes AWS create two alarms of its own, billed like any other.
    const tracking = 2 * graph.ofType(T.scalingPolicy).filter((p) => p.inputs.policyType === "TargetTrackingScaling").length;
    add("Monitoring", `CloudWatch alarms (${defined} defined + ${tracking} created by target tracking)`, defined + tracking, "alarm-months", "cloudwatch.alarmMonth");
    const dashboards = graph.ofType(T.dashboard).length;
    add("Monitoring", `CloudWatch dashboards (${dashboards})`, dashboards, "dashboard-months", "cloudwatch.dashboardMonth");
    const topics = graph.ofType(T.topic).length;
    if (topics > 0) {
        const publishes = topics * a.notificationsPerMonth;
        add("Monitoring", `SNS publishes (${publishes} a month)`, publishes / 1e6, "million publishes", "sns.millionPublishes");
        const emails = graph.ofType(T.topicSubscription).filter((s) => s.inputs.protocol === "email").length * a.notificationsPerMonth;
        add("Monitoring", `SNS e-mail notifications (${emails} a month)`, emails / 1000, "1,000 e-mails", "sns.emailThousand");
    }

    // Container Insights (https://aws.amazon.com/cloudwatch/pricing/): custom metrics for the cluster,
    // each service and each task family, and performance-log events ingested like any log.
    for (const cluster of graph.ofType(T.cluster)) {
        const insights = containerInsightsOf(cluster.inputs);
        if (insights !== "enabled" && insights !== "enhanced") continue;
        const services = running.size;
        const families = graph.ofType(T.taskDefinition).length;
        const metrics = a.containerInsightsMetrics * (1 + services + families);
        add("Monitoring", `Container Insights metrics (${a.containerInsightsMetrics} × (1 cluster + ${services} services + ${families} task families))`, metrics, "metric-months", "cloudwatch.metricMonth", cluster.name);
        const tasks = [...running.values()].reduce((sum, t) => sum + t.taskHours, 0) / a.hoursPerMonth;
        add("Monitoring", `Container Insights performance logs (${round(tasks, 2)} tasks × ${a.containerInsightsLogGbPerTaskMonth} GB)`, tasks * a.containerInsightsLogGbPerTaskMonth, "GB", "logs.ingestGb", cluster.name);
        if (insights === "enhanced") notPriced.push({ item: `Container Insights enhanced observability on ${cluster.name}`, reason: priceData.notPriced.containerInsightsEnhanced });
    }
}

/**
 * What other stacks pay for and this one uses: a shared load balancer its rules sit on, the NAT
 * gateways or endpoints of an existing VPC its private tasks go out through.
 */
function sharedCosts(graph: StackGraph, lines: CostLine[]): CostEstimate["notPriced"] {
    const out: CostEstimate["notPriced"] = [];
    const ownListeners = new Set(graph.ofType(T.listener).map((l) => l.urn));
    const foreignRules = graph.ofType(T.listenerRule).filter((r) => !(r.propertyDependencies.listenerArn ?? []).some((u) => ownListeners.has(u)));
    if (foreignRules.length > 0 && graph.ofType(T.loadBalancer).length === 0) {
        out.push({ item: `A shared load balancer (${foreignRules.length} rule${foreignRules.length === 1 ? "" : "s"} on its listener)`, reason: "its hours, LCUs and addresses are billed to the stack that owns it; this stack adds rule evaluations and traffic to them" });
    }
    const privateTasks = graph.ofType(T.service).some((s) => s.inputs.networkConfiguration?.assignPublicIp !== true);
    const ownEgress = lines.some((l) => l.priceKey === "nat.hour" || l.priceKey === "vpcEndpoint.azHour");
    if (privateTasks && !ownEgress && graph.ofType(T.awsxVpc, T.vpc).length === 0) {
        out.push({ item: "Egress of private tasks through the existing VPC", reason: "its NAT gateways or VPC endpoints are billed to the stack that owns the VPC; this stack adds NAT data (about $0.045 a GB)" });
    }
    return out;
}

/** The Private CAs Service Connect TLS signs with: priced in words, billed where they live. */
function privateCaCosts(graph: StackGraph): CostEstimate["notPriced"] {
    const arns = new Set<string>();
    for (const service of graph.ofType(T.service)) {
        for (const published of (service.inputs.serviceConnectConfiguration?.services as { tls?: { issuerCertAuthority?: { awsPcaAuthorityArn?: string } } }[] | undefined) ?? []) {
            const arn = published.tls?.issuerCertAuthority?.awsPcaAuthorityArn;
            if (typeof arn === "string") arns.add(arn);
        }
    }
    return [...arns].map((arn) => ({
        item: `AWS Private CA ${arn.split("/").pop()} (Service Connect TLS)`,
        reason: `$${price("privateCa.shortLivedMonth")} a month in short-lived certificate mode, $${price("privateCa.generalPurposeMonth")} general-purpose (${priceSource("privateCa.shortLivedMonth").url}, read ${priceSource("privateCa.shortLivedMonth").date}): ${priceData.notPriced.privateCa}`,
    }));
}

/**
 * One rule for every free tier: an account's monthly allowance of a price, of which this stack
 * takes `freeTierShare`, is subtracted once from the sum of that price's lines, as its own line.
 */
function addFreeTierLines(lines: CostLine[], a: CostAssumptions): void {
    const byKey = new Map<PriceKey, number>();
    for (const line of lines) if (freeTier(line.priceKey) > 0) byKey.set(line.priceKey, (byKey.get(line.priceKey) ?? 0) + line.quantity * (line.unitPriceUsd / price(line.priceKey)));
    for (const [key, quantity] of byKey) {
        const free = Math.min(quantity, freeTierAllowance(key) * a.freeTierShare);
        if (free <= 0) continue;
        const { unit } = PRICES[key];
        lines.push({
            category: "Free tier",
            item: `Free tier of ${unit.split(" (")[0]}: ${/after ([^)]*)\)/.exec(unit)?.[1] ?? "free a month"}${a.freeTierShare < 1 ? `, ${a.freeTierShare} of it for this stack` : ""} (${round(quantity, 3)} used)`,
            quantity: -round(free, 3),
            unit: unit.split(" (")[0],
            unitPriceUsd: price(key),
            monthlyUsd: -round(free * price(key), 4),
            priceKey: key,
        });
    }
}

/** A free tier in the unit its lines count: millions of requests, thousands of e-mails. */
export function freeTierAllowance(key: PriceKey): number {
    const free = freeTier(key);
    if (key === "sqs.millionRequests" || key === "scheduler.millionInvocations" || key === "sns.millionPublishes") return free / 1e6;
    if (key === "sns.emailThousand") return free / 1000;
    return free;
}

/**
 * Load balancer capacity units an hour: the largest of its four dimensions
 * (https://aws.amazon.com/elasticloadbalancing/pricing/): new connections (25 a second per LCU),
 * active connections (3,000 a minute per LCU), processed bytes (1 GB an hour per LCU for targets
 * that are IP addresses) and rule evaluations beyond the 10 free (1,000 a second per LCU). Each
 * request is counted as a new connection: conservative for clients with keep-alive.
 */
export function lcus(a: Pick<CostAssumptions, "requestsPerSecond" | "averageResponseKb"> & { connectionSeconds?: number }, rules: number): number {
    const connections = a.requestsPerSecond / LCU.newConnectionsPerSecond;
    const active = (a.requestsPerSecond * (a.connectionSeconds ?? 0)) / LCU.activeConnectionsPerMinute;
    const gbPerHour = (a.requestsPerSecond * a.averageResponseKb * 3600) / (1024 * 1024) / LCU.processedGbPerHour;
    const ruleEvaluations = (a.requestsPerSecond * Math.max(0, rules - LCU.freeRules)) / LCU.ruleEvaluationsPerSecond;
    return Math.max(connections, active, gbPerHour, ruleEvaluations);
}

function logGroupOf(graph: StackGraph, service: StackResource): StackResource | undefined {
    const taskDefinition = taskDefinitionOf(graph, service);
    return taskDefinition ? graph.referencedBy(taskDefinition, "containerDefinitions", T.logGroup)[0] : undefined;
}

export { coverageOf };
