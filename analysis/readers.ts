import { FARGATE, StrategyItem } from "../core/capacity";
import type { ContainerDefinition } from "../core/containerDefinitions";
import { AWS_DEFAULTS } from "../core/aws/awsDefaults";
import { DEFAULT_TASK_CPU, defaultMemoryFor, taskResources } from "../core/fargateSizes";
import { StackGraph, StackResource, T, jsonInput } from "./stackResources";

/**
 * What the analyses need to read out of resources, written once: a service's task definition,
 * its capacity strategy (its own or its cluster's default), its target groups, its container
 * settings, the NAT gateways of the stack.
 */

/** The containers of a task definition, from its inputs. */
export function containerDefinitions(inputs: Record<string, any> | undefined): Partial<ContainerDefinition & { privileged: boolean }>[] {
    const parsed = jsonInput<Partial<ContainerDefinition>[]>(inputs?.containerDefinitions);
    return Array.isArray(parsed) ? parsed : [];
}

/** A cluster's Container Insights setting (`enabled`, `enhanced`, `disabled`), undefined when unset. */
export function containerInsightsOf(inputs: Record<string, any>): string | undefined {
    return (inputs.settings as { name: string; value: string }[] | undefined)?.find((s) => s.name === "containerInsights")?.value;
}

export function taskDefinitionOf(graph: StackGraph, service: StackResource): StackResource | undefined {
    return graph.referencedBy(service, "taskDefinition", T.taskDefinition)[0];
}

/**
 * The strategy that places a service's tasks: its own, or its cluster's default (ECS uses the
 * default when a service has neither a strategy nor a launch type). Empty means launch type FARGATE.
 */
export function strategyOf(graph: StackGraph, service: StackResource): StrategyItem[] {
    const own = service.inputs.capacityProviderStrategies as StrategyItem[] | undefined;
    if (own && own.length > 0) return own;
    if (service.inputs.launchType) return [];
    // Stryker disable next-line ArrayDeclaration: a URN no resource has matches no capacity providers' URN
    const clusterUrns = new Set(service.propertyDependencies.cluster ?? []);
    // Stryker disable next-line ArrayDeclaration: a URN no resource has is not among the cluster's URNs
    const servesCluster = (cp: StackResource) => clusterUrns.has(cp.urn) || (cp.propertyDependencies.clusterName ?? []).some((u) => clusterUrns.has(u));
    const defaults = graph.ofType(T.clusterCapacityProviders).find(servesCluster);
    return (defaults?.inputs.defaultCapacityProviderStrategies as StrategyItem[] | undefined) ?? [];
}

/**
 * The ECS Managed Instances capacity provider a service's strategy names, if any: the tasks then
 * run on its EC2 instances, not on Fargate.
 */
export function managedInstancesProviderOf(graph: StackGraph, service: StackResource): StackResource | undefined {
    // Stryker disable next-line ArrayDeclaration: a URN no resource has is no capacity provider's URN
    const urns = new Set(service.propertyDependencies.capacityProviderStrategies ?? []);
    return graph.ofType(T.capacityProvider).find((p) => urns.has(p.urn) && p.inputs.managedInstancesProvider !== undefined);
}

/** The on-demand base a strategy guarantees. */
export function onDemandBase(strategy: StrategyItem[]): number {
    return strategy.filter((s) => s.capacityProvider === FARGATE).reduce((sum, s) => sum + (s.base ?? 0), 0);
}

export function targetGroupsOf(graph: StackGraph, service: StackResource): StackResource[] {
    return graph.referencedBy(service, "loadBalancers", T.targetGroup);
}

/** The container the load balancer sends traffic to, or the first essential one. */
export function mainContainerOf(service: StackResource, taskDefinition: StackResource | undefined): Partial<ContainerDefinition> | undefined {
    const containers = containerDefinitions(taskDefinition?.inputs);
    const balanced = (service.inputs.loadBalancers as { containerName?: string }[] | undefined)?.[0]?.containerName;
    return containers.find((c) => c.name === balanced) ?? containers.find((c) => c.essential !== false) ?? containers[0];
}

/** Tasks a service runs in the steady state the estimates assume: its desired count. */
export function desiredTasks(service: StackResource): number {
    const desired = service.inputs.desiredCount;
    return typeof desired === "number" ? desired : 1;
}

export function architectureOf(taskDefinition: StackResource | undefined): "X86_64" | "ARM64" {
    return taskDefinition?.inputs.runtimePlatform?.cpuArchitecture === "ARM64" ? "ARM64" : "X86_64";
}

/** vCPUs and GB of a task definition. */
export function taskSize(taskDefinition: StackResource | undefined): { vcpu: number; memoryGb: number } {
    const cpu = Number(taskDefinition?.inputs.cpu ?? DEFAULT_TASK_CPU);
    return taskResources(cpu, Number(taskDefinition?.inputs.memory ?? defaultMemoryFor(cpu)));
}

/** A target group's deregistration delay, AWS's default when unset. */
export function deregistrationDelayOf(targetGroup: StackResource): number {
    const value = targetGroup.inputs.deregistrationDelay;
    return value === undefined ? AWS_DEFAULTS.targetGroup.deregistrationDelay : Number(value);
}

export interface VpcNat {
    vpc: StackResource;
    natGateways: number;
    availabilityZones: number;
}

const AWSX_DEFAULT_AZS = 3;

/**
 * NAT gateways of the stack: NatGateway resources where the engine shows them, and for an awsx
 * Vpc whose children it does not show (offline, awsx is a remote component) what its strategy creates.
 */
export function natGateways(graph: StackGraph): { total: number; byVpc: VpcNat[] } {
    const byVpc: VpcNat[] = [];
    const explicit = graph.ofType(T.natGateway);
    let counted = explicit.length;
    for (const vpc of graph.ofType(T.awsxVpc)) {
        const zones = (vpc.inputs.availabilityZoneNames as string[] | undefined)?.length ?? (vpc.inputs.numberOfAvailabilityZones as number | undefined) ?? AWSX_DEFAULT_AZS;
        const children = graph.descendants(vpc).filter((d) => d.type === T.natGateway).length;
        // awsx's default strategy, OnePerAz, is what anything but None and Single gives.
        const strategy = (vpc.inputs.natGateways as { strategy?: string } | undefined)?.strategy;
        const fromStrategy = strategy === "None" ? 0 : strategy === "Single" ? 1 : zones;
        const count = children > 0 ? children : fromStrategy;
        if (children === 0) counted += fromStrategy;
        byVpc.push({ vpc, natGateways: count, availabilityZones: zones });
    }
    // A VPC from aws.ec2 resources (the dual-stack one): its zones are its subnets' zones.
    for (const vpc of graph.ofType(T.vpc)) {
        const subnets = graph.referencing(vpc, "vpcId", T.subnet);
        const zones = new Set(subnets.map((s) => String(s.inputs.availabilityZone))).size;
        const ids = new Set(subnets.map((s) => s.urn));
        // Stryker disable next-line ArrayDeclaration: a URN no resource has is not among the VPC's subnets
        const own = explicit.filter((n) => (n.propertyDependencies.subnetId ?? []).some((u) => ids.has(u))).length;
        byVpc.push({ vpc, natGateways: own, availabilityZones: zones });
    }
    return { total: counted, byVpc };
}

/** How many subnets (so Availability Zones) a load balancer spans, from its inputs, when known. */
export function loadBalancerZones(inputs: Record<string, any>): number | undefined {
    const subnets = inputs.subnets as unknown[] | undefined;
    const mappings = inputs.subnetMappings as unknown[] | undefined;
    if (Array.isArray(subnets)) return subnets.length;
    if (Array.isArray(mappings)) return mappings.length;
    return undefined;
}

/** An IAM policy statement, as far as the controls read it. */
export interface IamStatement {
    Effect?: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
}

export function asList<T>(value: T | T[] | undefined): T[] {
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every IAM policy document a resource carries: a policy's own, or a role's inline ones. */
export function policyDocuments(resource: StackResource): { name: string; statements: IamStatement[] }[] {
    const docs: { name: string; statements: IamStatement[] }[] = [];
    const read = (name: string, value: unknown) => {
        const doc = jsonInput<{ Statement?: IamStatement | IamStatement[] }>(value);
        if (doc && typeof doc === "object") docs.push({ name, statements: asList(doc.Statement) });
    };
    if (resource.type === T.role) {
        // Stryker disable next-line ArrayDeclaration: an item that is not an object has no policy to read
        for (const inline of (resource.inputs.inlinePolicies as { name?: string; policy?: unknown }[] | undefined) ?? []) read(inline.name ?? "inline", inline.policy);
    } else {
        read(resource.name, resource.inputs.policy);
    }
    return docs;
}

/** The service name at the end of an Application Auto Scaling resource ID (`service/<cluster>/<service>`). */
function scalingResourceMatches(resourceId: unknown, service: StackResource): boolean {
    if (typeof resourceId !== "string") return false;
    const last = resourceId.slice(resourceId.lastIndexOf("/") + 1);
    // Pulumi auto-names a service `<logical name>-<7 hex>`; a given name is in the inputs.
    return last === service.inputs.name || last === service.name || (last.startsWith(`${service.name}-`) && /^[0-9a-f]{7}$/.test(last.slice(service.name.length + 1)));
}

/** A service's scalable range and the scheduled actions that change it. */
export function scheduledScalingOf(graph: StackGraph, service: StackResource): { range: { min: number; max: number }; actions: { schedule: string; timezone?: string; min?: number; max?: number }[] } {
    const desired = desiredTasks(service);
    const target = graph.ofType(T.scalableTarget).find((t) => scalingResourceMatches(t.inputs.resourceId, service));
    const range = { min: Number(target?.inputs.minCapacity ?? desired), max: Number(target?.inputs.maxCapacity ?? desired) };
    const actions = graph
        .ofType(T.scheduledAction)
        .filter((s) => scalingResourceMatches(s.inputs.resourceId, service))
        .map((s) => ({ schedule: String(s.inputs.schedule ?? ""), timezone: s.inputs.timezone as string | undefined, min: s.inputs.scalableTargetAction?.minCapacity as number | undefined, max: s.inputs.scalableTargetAction?.maxCapacity as number | undefined }));
    return { range, actions };
}

/**
 * For a queue worker that scales to zero: how many queues it reads, how long its queue must stay
 * empty before it stops (the idle alarm's periods), and how many tasks run once a message waits
 * (the scale-out step's exact capacity). Undefined for a service that reads no queue.
 */
export function queueScaleToZero(graph: StackGraph, service: StackResource): { queues: number; idleMinutes: number; runningTasks: number } | undefined {
    const taskDefinition = taskDefinitionOf(graph, service);
    const queues = taskDefinition ? graph.referencedBy(taskDefinition, "containerDefinitions", T.queue).length : 0;
    if (queues === 0) return undefined;
    const policies = graph.ofType(T.scalingPolicy).filter((p) => scalingResourceMatches(p.inputs.resourceId, service) && p.inputs.policyType === "StepScaling");
    const adjustment = (p: StackResource) => Number(p.inputs.stepScalingPolicyConfiguration?.stepAdjustments?.[0]?.scalingAdjustment ?? 0);
    const up = policies.find((p) => adjustment(p) > 0);
    const down = policies.find((p) => adjustment(p) === 0);
    // Without a step that wakes it and one that stops it, the worker runs its desired count.
    if (!up || !down) return undefined;
    const alarm = graph.ofType(T.metricAlarm).find((m) => asList<string>(m.inputs.alarmActions).some((arn) => typeof arn === "string" && arn.includes(`:${down.name}-`))) ?? graph.referencing(down, "alarmActions", T.metricAlarm)[0];
    const period = Number(alarm?.inputs.period ?? alarm?.inputs.metricQueries?.find((q: { metric?: { period?: number } }): q is { metric: { period?: number } } => Boolean(q.metric))?.metric.period ?? 60);
    const idleMinutes = alarm ? (Number(alarm.inputs.evaluationPeriods ?? 1) * period) / 60 : 15;
    return { queues, idleMinutes, runningTasks: adjustment(up) };
}

/** Days the access-log bucket keeps objects (its lifecycle expiration), undefined when it never expires them. */
export function accessLogExpiryDays(graph: StackGraph): number | undefined {
    const lifecycle = graph.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0];
    type Rule = { expiration?: { days?: number } };
    const days = (lifecycle?.inputs.rules as Rule[] | undefined)?.find((r): r is Rule & { expiration: { days: number } } => Boolean(r.expiration?.days))?.expiration.days;
    return days === undefined ? undefined : Number(days);
}

/** Whether a subnet is IPv6-only: no IPv4 block, so nothing in it has an IPv4 address (https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html). */
export function isIpv6OnlySubnet(subnet: StackResource): boolean {
    return subnet.inputs.ipv6Native === true;
}

/** The subnets a service's tasks run in, where the stack creates them. */
export function taskSubnetsOf(graph: StackGraph, service: StackResource): StackResource[] {
    return graph.referencedBy(service, "networkConfiguration", T.subnet);
}

/** IP address types of a load balancer that give it public IPv4 addresses (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetIpAddressType.html). */
export function hasPublicIpv4(lb: StackResource): boolean {
    return lb.inputs.internal !== true && lb.inputs.ipAddressType !== "dualstack-without-public-ipv4";
}

/**
 * Public IPv4 addresses of the stack, each billed by the hour: one per zone of each internet-facing
 * load balancer, one per NAT gateway, one per running task that asks for a public IP.
 */
export function publicIpv4Addresses(graph: StackGraph, nat: number, averageTasks: (service: StackResource) => number): { loadBalancer: number; nat: number; tasks: number } {
    const loadBalancer = graph.ofType(T.loadBalancer).filter(hasPublicIpv4).reduce((sum, lb) => sum + (loadBalancerZones(lb.inputs) ?? 2), 0);
    const tasks = graph
        .ofType(T.service)
        .filter((s) => s.inputs.networkConfiguration?.assignPublicIp === true)
        .reduce((sum, s) => sum + averageTasks(s), 0);
    return { loadBalancer, nat, tasks };
}
