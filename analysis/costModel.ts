import { secretPolicyResource, secretSource } from "../core/arns";
import { StrategyItem, splitTasks } from "../core/capacity";
import { runsPerMonth } from "../core/scheduleExpressions";
import priceData from "./data/aws-prices.json";
import {
    architectureOf,
    asList,
    containerDefinitions,
    containerInsightsOf,
    desiredTasks,
    loadBalancerZones,
    natGateways,
    strategyOf,
    taskDefinitionOf,
    taskSize,
} from "./readers";
import { StackGraph, StackResource, T, jsonInput } from "./stackResources";

/**
 * The monthly cost of a stack, line by line, from its resources, the prices in
 * data/aws-prices.json and assumptions about usage, every one of which is printed and can be
 * changed. It answers "what will this cost at this traffic", not what AWS will bill to the cent.
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
    /** Messages through each queue worker's queue each month. */
    queueMessagesPerMonth: number;
    /** How long one run of a scheduled or event-driven task lasts, in minutes. */
    taskRunMinutes: number;
    /** Runs of each event-driven task per month. */
    eventRunsPerMonth: number;
    /** Alarm notifications sent each month. */
    notificationsPerMonth: number;
}

export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
    hoursPerMonth: priceData.hoursPerMonth,
    spotDiscount: 0.7,
    requestsPerSecond: 5,
    averageResponseKb: 20,
    natDataGbPerMonth: 50,
    logGbPerTaskMonth: 1,
    neverExpireMonths: 12,
    ecrGbPerRepository: 2,
    vpcEndpointDataGbPerMonth: 20,
    queueMessagesPerMonth: 1_000_000,
    taskRunMinutes: 5,
    eventRunsPerMonth: 1000,
    notificationsPerMonth: 100,
};

/** What each assumption means, for printing beside its value. */
export const ASSUMPTION_NOTES: Record<keyof CostAssumptions, string> = {
    hoursPerMonth: "hours in a month",
    spotDiscount: "Fargate Spot discount on the on-demand price (AWS says up to 70%; the rate floats)",
    requestsPerSecond: "average requests per second through each load balancer",
    averageResponseKb: "average response size, KB",
    natDataGbPerMonth: "GB a month through the NAT gateways",
    logGbPerTaskMonth: "GB of logs each running task writes a month",
    neverExpireMonths: "months of logs stored where logs never expire",
    ecrGbPerRepository: "GB stored per ECR repository after its lifecycle policy",
    vpcEndpointDataGbPerMonth: "GB a month through interface VPC endpoints",
    queueMessagesPerMonth: "messages a month through each worker queue",
    taskRunMinutes: "minutes one scheduled or event-driven task run lasts",
    eventRunsPerMonth: "runs a month of each event-driven task",
    notificationsPerMonth: "alarm notifications a month",
};

type PriceKey = keyof typeof priceData.prices;

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
    notPriced: { item: string; reason: string }[];
    prices: { region: string; note: string };
}

export function price(key: PriceKey): number {
    return priceData.prices[key].usd;
}

export function priceSource(key: PriceKey): { source: string; date: string } {
    const { source, date } = priceData.prices[key];
    return { source, date };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function estimateCost(graph: StackGraph, overrides: Partial<CostAssumptions> = {}): CostEstimate {
    const a: CostAssumptions = { ...DEFAULT_COST_ASSUMPTIONS, ...overrides };
    const lines: CostLine[] = [];
    const notPriced: CostEstimate["notPriced"] = [];
    const add: AddLine = (category, item, quantity, unit, key, resource, unitPrice = price(key), keepZero = false) => {
        // A line of nothing says nothing, except where a free tier covers real use.
        if (quantity <= 0 && !keepZero) return;
        lines.push({ category, item, resource, quantity: round(quantity, 3), unit, unitPriceUsd: unitPrice, monthlyUsd: round(quantity * unitPrice, 4), priceKey: key });
    };

    // Fargate: each service's tasks, split between on-demand and Spot by its strategy.
    for (const service of graph.ofType(T.service)) {
        const taskDefinition = taskDefinitionOf(graph, service);
        const { vcpu, memoryGb } = taskSize(taskDefinition);
        const arm = architectureOf(taskDefinition) === "ARM64";
        const split = splitTasks(strategyOf(graph, service), desiredTasks(service));
        const family = arm ? "arm" : "x86";
        const hours = (tasks: number) => tasks * a.hoursPerMonth;
        const label = (kind: string, tasks: number) => `${kind} ${arm ? "ARM64" : "x86"}: ${round(tasks, 2)} task${tasks === 1 ? "" : "s"} × ${vcpu} vCPU`;
        for (const [kind, tasks, factor] of [
            ["Fargate on-demand", split.onDemand, 1],
            ["Fargate Spot", split.spot, 1 - a.spotDiscount],
        ] as const) {
            add("Fargate", `${label(kind, tasks)} (vCPU)`, hours(tasks) * vcpu, "vCPU-hours", `fargate.${family}.vcpuHour`, service.name, price(`fargate.${family}.vcpuHour`) * factor);
            add("Fargate", `${label(kind, tasks)} (${memoryGb} GB memory)`, hours(tasks) * memoryGb, "GB-hours", `fargate.${family}.gbHour`, service.name, price(`fargate.${family}.gbHour`) * factor);
        }
    }

    // Load balancers: hours, and capacity units from the traffic assumption.
    for (const lb of graph.ofType(T.loadBalancer)) {
        add("Load balancing", "Application Load Balancer hours", a.hoursPerMonth, "hours", "alb.hour", lb.name);
        const ruleCount = graph.referencing(lb, "loadBalancerArn", T.listener).flatMap((l) => graph.referencing(l, "listenerArn", T.listenerRule)).length;
        add("Load balancing", `Load balancer capacity units (${a.requestsPerSecond} req/s, ${a.averageResponseKb} KB, ${ruleCount} rules)`, lcus(a, ruleCount) * a.hoursPerMonth, "LCU-hours", "alb.lcuHour", lb.name);
    }

    // NAT gateways: hours and processed data.
    const nat = natGateways(graph);
    add("Network", `NAT gateway hours (${nat.total})`, nat.total * a.hoursPerMonth, "hours", "nat.hour");
    if (nat.total > 0) add("Network", "NAT gateway data processed", a.natDataGbPerMonth, "GB", "nat.gb");

    // Public IPv4 addresses: internet-facing load balancer nodes, NAT gateway EIPs, tasks with public IPs.
    const lbAddresses = graph.ofType(T.loadBalancer).filter((lb) => lb.inputs.internal !== true).reduce((sum, lb) => sum + (loadBalancerZones(lb.inputs) ?? 2), 0);
    const taskAddresses = graph
        .ofType(T.service)
        .filter((s) => s.inputs.networkConfiguration?.assignPublicIp === true)
        .reduce((sum, s) => sum + desiredTasks(s), 0);
    const addresses = lbAddresses + nat.total + taskAddresses;
    add("Network", `Public IPv4 addresses (${lbAddresses} load balancer, ${nat.total} NAT, ${taskAddresses} task)`, addresses * a.hoursPerMonth, "address-hours", "publicIpv4.hour");

    // Interface VPC endpoints: per endpoint per Availability Zone, plus data.
    const endpoints = graph.ofType(T.vpcEndpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
    const endpointZones = endpoints.reduce((sum, e) => sum + ((e.inputs.subnetIds as unknown[] | undefined)?.length ?? 2), 0);
    add("Network", `Interface VPC endpoints (${endpoints.length} × their zones)`, endpointZones * a.hoursPerMonth, "endpoint-AZ-hours", "vpcEndpoint.azHour");
    if (endpoints.length > 0) add("Network", "VPC endpoint data processed", a.vpcEndpointDataGbPerMonth, "GB", "vpcEndpoint.gb");

    // Logs: ingestion by running tasks, storage by each group's retention.
    for (const service of graph.ofType(T.service)) {
        const ingest = desiredTasks(service) * a.logGbPerTaskMonth;
        const tasks = desiredTasks(service);
        add("Logs", `CloudWatch Logs ingestion (${tasks} task${tasks === 1 ? "" : "s"} × ${a.logGbPerTaskMonth} GB)`, ingest, "GB", "logs.ingestGb", service.name);
        const group = logGroupOf(graph, service);
        const days = Number(group?.inputs.retentionInDays ?? 0);
        const months = days === 0 ? a.neverExpireMonths : days / 30.4;
        add("Logs", `CloudWatch Logs storage (${days === 0 ? "never expire" : `${days} days`} kept)`, ingest * months, "GB-months", "logs.storageGbMonth", service.name);
    }

    // ECR storage.
    const repositories = graph.ofType(T.repository);
    add("Images", `ECR storage (${repositories.length} repositor${repositories.length === 1 ? "y" : "ies"})`, repositories.length * a.ecrGbPerRepository, "GB-months", "ecr.storageGbMonth");

    // Secrets Manager: each distinct secret the tasks read.
    const secrets = new Set<string>();
    for (const td of graph.ofType(T.taskDefinition)) {
        for (const c of containerDefinitions(td.inputs)) {
            for (const s of c.secrets ?? []) if (secretSource(s.valueFrom) === "secretsmanager") secrets.add(secretPolicyResource(s.valueFrom));
        }
    }
    add("Secrets", `Secrets Manager secrets read by tasks (${secrets.size})`, secrets.size, "secret-months", "secretsManager.secretMonth");

    addWorkloadLines(graph, a, add);
    addMonitoringLines(graph, a, add);

    for (const cluster of graph.ofType(T.cluster)) {
        const insights = containerInsightsOf(cluster.inputs);
        if (insights === "enabled" || insights === "enhanced") notPriced.push({ item: `Container Insights (${insights}) on ${cluster.name}`, reason: priceData.notPriced.containerInsights });
    }
    notPriced.push({ item: "Internet data transfer out", reason: priceData.notPriced.dataTransferOut });

    const monthlyUsd = round(lines.reduce((sum, l) => sum + l.monthlyUsd, 0));
    return { monthlyUsd, lines, assumptions: a, notPriced, prices: { region: priceData.region, note: priceData.note } };
}

type AddLine = (category: string, item: string, quantity: number, unit: string, key: PriceKey, resource?: string, unitPrice?: number, keepZero?: boolean) => void;

const freeTier = (key: PriceKey): number => (priceData.prices[key] as { freePerMonth?: number }).freePerMonth ?? 0;

/** Fargate time of a task that runs now and then, split by its strategy. */
function addRunLines(graph: StackGraph, a: CostAssumptions, add: AddLine, name: string, runs: number, taskDefinition: StackResource | undefined, strategy: StrategyItem[]): void {
    if (!taskDefinition || runs <= 0) return;
    const { vcpu, memoryGb } = taskSize(taskDefinition);
    const family = architectureOf(taskDefinition) === "ARM64" ? "arm" : "x86";
    const share = splitTasks(strategy, 1);
    const hours = (runs * a.taskRunMinutes) / 60;
    for (const [kind, fraction, factor] of [
        ["on-demand", share.onDemand, 1],
        ["Spot", share.spot, 1 - a.spotDiscount],
    ] as const) {
        const perHour = vcpu * price(`fargate.${family}.vcpuHour`) + memoryGb * price(`fargate.${family}.gbHour`);
        add("Fargate", `Fargate ${kind} runs: ${Math.round(runs)} a month × ${a.taskRunMinutes} min × ${vcpu} vCPU / ${memoryGb} GB`, hours * fraction, "task-hours", `fargate.${family}.vcpuHour`, name, perHour * factor);
    }
}

/** Queue workers' requests, scheduled and event-driven runs. */
function addWorkloadLines(graph: StackGraph, a: CostAssumptions, add: AddLine): void {
    // Each message is sent, received and deleted; each running worker also long-polls (20 s) when idle.
    let requests = 0;
    for (const service of graph.ofType(T.service)) {
        const taskDefinition = taskDefinitionOf(graph, service);
        const queues = taskDefinition ? graph.referencedBy(taskDefinition, "containerDefinitions", T.queue) : [];
        for (const _queue of queues) requests += a.queueMessagesPerMonth * 3 + desiredTasks(service) * 3 * 60 * a.hoursPerMonth;
    }
    const billable = Math.max(0, requests - freeTier("sqs.millionRequests"));
    if (requests > 0) add("Queues", `SQS requests (${(requests / 1e6).toFixed(2)} million, the first million free)`, billable / 1e6, "million requests", "sqs.millionRequests", undefined, undefined, true);

    let invocations = 0;
    for (const schedule of graph.ofType(T.schedule)) {
        const runs = schedule.inputs.state === "DISABLED" ? 0 : runsPerMonth(String(schedule.inputs.scheduleExpression ?? ""));
        invocations += runs;
        const target = schedule.inputs.target?.ecsParameters;
        addRunLines(graph, a, add, schedule.name, runs, graph.referencedBy(schedule, "target", T.taskDefinition)[0], target?.capacityProviderStrategies ?? []);
    }
    if (invocations > 0) {
        add("Events", `EventBridge Scheduler invocations (${Math.round(invocations)} a month, 14 million free)`, Math.max(0, invocations - freeTier("scheduler.millionInvocations")) / 1e6, "million invocations", "scheduler.millionInvocations", undefined, undefined, true);
    }

    for (const target of graph.ofType(T.eventTarget).filter((t) => t.inputs.ecsTarget)) {
        addRunLines(graph, a, add, target.name, a.eventRunsPerMonth, graph.referencedBy(target, "ecsTarget", T.taskDefinition)[0], target.inputs.ecsTarget.capacityProviderStrategies ?? []);
        const rule = graph.referencedBy(target, "rule", T.eventRule)[0];
        const sources = asList(jsonInput<{ source?: string | string[] }>(rule?.inputs.eventPattern)?.source);
        // Events from AWS services on the default bus are free; custom events are not.
        if (sources.some((s) => !s.startsWith("aws."))) add("Events", "EventBridge custom events", a.eventRunsPerMonth / 1e6, "million events", "eventbridge.millionCustomEvents", target.name);
    }
}

/** Alarms, dashboards and notifications. */
function addMonitoringLines(graph: StackGraph, a: CostAssumptions, add: AddLine): void {
    const defined = graph.ofType(T.metricAlarm).length;
    // Each target-tracking policy makes AWS create two alarms of its own, billed like any other.
    const tracking = 2 * graph.ofType(T.scalingPolicy).filter((p) => p.inputs.policyType === "TargetTrackingScaling").length;
    add("Monitoring", `CloudWatch alarms (${defined} defined + ${tracking} created by target tracking)`, defined + tracking, "alarm-months", "cloudwatch.alarmMonth");
    const dashboards = graph.ofType(T.dashboard).length;
    add("Monitoring", `CloudWatch dashboards (${dashboards}; an account's first 3 are free, not counted here)`, dashboards, "dashboard-months", "cloudwatch.dashboardMonth");
    const topics = graph.ofType(T.topic).length;
    if (topics > 0) {
        const publishes = topics * a.notificationsPerMonth;
        add("Monitoring", `SNS publishes (${publishes} a month, 1 million free)`, Math.max(0, publishes - freeTier("sns.millionPublishes")) / 1e6, "million publishes", "sns.millionPublishes", undefined, undefined, true);
        const emails = graph.ofType(T.topicSubscription).filter((s) => s.inputs.protocol === "email").length * a.notificationsPerMonth;
        add("Monitoring", `SNS e-mail notifications (${emails} a month, 1,000 free)`, Math.max(0, emails - freeTier("sns.email100k")) / 1e5, "100,000 e-mails", "sns.email100k", undefined, undefined, true);
    }
}

/**
 * Load balancer capacity units an hour: the largest of new connections (25 a second per LCU),
 * processed bytes (1 GB an hour per LCU) and rule evaluations beyond the 10 free (1,000 a second
 * per LCU). Each request is counted as a new connection: conservative for clients with keep-alive.
 */
export function lcus(a: Pick<CostAssumptions, "requestsPerSecond" | "averageResponseKb">, rules: number): number {
    const connections = a.requestsPerSecond / 25;
    const gbPerHour = (a.requestsPerSecond * a.averageResponseKb * 3600) / (1024 * 1024);
    const ruleEvaluations = (a.requestsPerSecond * Math.max(0, rules - 10)) / 1000;
    return Math.max(connections, gbPerHour, ruleEvaluations);
}

function logGroupOf(graph: StackGraph, service: StackResource): StackResource | undefined {
    const taskDefinition = taskDefinitionOf(graph, service);
    return taskDefinition ? graph.referencedBy(taskDefinition, "containerDefinitions", T.logGroup)[0] : undefined;
}
