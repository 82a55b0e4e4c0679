import { desiredTasks, isIpv6OnlySubnet, managedInstancesProviderOf, natGateways, strategyOf, taskDefinitionOf, taskSize, taskSubnetsOf } from "./readers";
import { ecrImage } from "../core/arns";
import { splitTasks } from "../core/capacity";
import { StackGraph, StackResource, T } from "./stackResources";

/**
 * A picture of an environment: the network and its subnets, the load balancer, the services and
 * their tasks, images and roles. One model, drawn as Mermaid (for Markdown and portals) and as
 * Graphviz DOT (rendered to SVG by the plan).
 */

export interface DiagramNode {
    id: string;
    label: string;
    group?: string;
    shape?: "box" | "round" | "cylinder" | "cloud";
}

export interface DiagramGroup {
    id: string;
    label: string;
    parent?: string;
}

export interface DiagramEdge {
    from: string;
    to: string;
    label?: string;
    dashed?: boolean;
}

export interface DiagramModel {
    groups: DiagramGroup[];
    nodes: DiagramNode[];
    edges: DiagramEdge[];
}

export function diagramModel(graph: StackGraph): DiagramModel {
    // Short, stable node IDs (n1, n2, ...) in the order resources were registered.
    const ids = new Map<string, string>();
    const id = (urn: string) => {
        if (!ids.has(urn)) ids.set(urn, `n${ids.size + 1}`);
        return ids.get(urn)!;
    };
    const groups: DiagramGroup[] = [];
    const nodes: DiagramNode[] = [];
    const edges: DiagramEdge[] = [];
    const services = graph.ofType(T.service);
    const loadBalancers = graph.ofType(T.loadBalancer);

    const vpc = graph.ofType(T.awsxVpc, T.vpc)[0];
    const nat = natGateways(graph);
    const zones = nat.byVpc[0]?.availabilityZones;
    const ipv6 = vpc?.inputs.assignGeneratedIpv6CidrBlock === true ? " + IPv6 /56" : "";
    groups.push({ id: "vpc", label: vpc ? `VPC ${vpc.inputs.cidrBlock ?? ""}${ipv6} · ${zones} AZs` : "VPC" });
    const anyPublicTasks = services.some((s) => s.inputs.networkConfiguration?.assignPublicIp === true);
    const ipv6OnlyTasks = services.filter((s) => taskSubnetsOf(graph, s).some(isIpv6OnlySubnet));
    groups.push({ id: "public", label: ipv6 ? "public subnets (dual-stack)" : "public subnets", parent: "vpc" });
    if (!anyPublicTasks || services.length === 0) groups.push({ id: "private", label: ipv6OnlyTasks.length > 0 ? "IPv6-only subnets" : ipv6 ? "private subnets (dual-stack)" : "private subnets", parent: "vpc" });
    const egressOnly = graph.ofType(T.egressOnlyGateway).length > 0 && ipv6OnlyTasks.length > 0;
    if (egressOnly) {
        nodes.push({ id: "eigw", label: "Egress-only internet gateway\nIPv6 out, nothing in (free)", group: "vpc", shape: "round" });
        edges.push({ from: "eigw", to: "internet", label: "outbound IPv6" });
        for (const service of ipv6OnlyTasks) edges.push({ from: id(service.urn), to: "eigw", dashed: true });
    }

    if (loadBalancers.some((lb) => lb.inputs.internal !== true) || nat.total > 0 || egressOnly) nodes.push({ id: "internet", label: "Internet", shape: "cloud" });
    if (nat.total > 0) {
        nodes.push({ id: "nat", label: `NAT gateway × ${nat.total}`, group: "public", shape: "round" });
        edges.push({ from: "nat", to: "internet", label: "outbound" });
    }

    for (const lb of loadBalancers) {
        const ports = graph
            .referencing(lb, "loadBalancerArn", T.listener)
            .map((l) => `${l.inputs.protocol} ${l.inputs.port}${l.inputs.defaultActions?.[0]?.type === "redirect" ? "→443" : ""}`)
            .sort()
            .join(", ");
        const kind = lb.inputs.loadBalancerType === "network" ? `Network Load Balancer${lb.inputs.internal === true ? " (internal)" : ""}` : "Application Load Balancer";
        nodes.push({ id: id(lb.urn), label: `${kind}\n${ports}`, group: "public" });
        if (lb.inputs.internal !== true) edges.push({ from: "internet", to: id(lb.urn), label: ports });
    }

    groups.push({ id: "cluster", label: `ECS cluster ${graph.ofType(T.cluster)[0]?.name ?? ""}`.trim(), parent: anyPublicTasks || services.length === 0 ? "public" : "private" });
    for (const service of services) {
        const taskDefinition = taskDefinitionOf(graph, service);
        const { vcpu, memoryGb } = taskSize(taskDefinition);
        const split = splitTasks(strategyOf(graph, service), desiredTasks(service));
        const fargate = [split.onDemand > 0 ? `${round(split.onDemand)} on-demand` : "", split.spot > 0 ? `${round(split.spot)} Spot` : ""].filter(Boolean).join(" + ");
        const instances = managedInstancesProviderOf(graph, service)?.inputs.managedInstancesProvider?.instanceLaunchTemplate?.instanceRequirements;
        // On Managed Instances the tasks run on the service's own EC2 instances, not on Fargate.
        const capacity = instances
            ? `Managed Instances${instances.acceleratorCount?.min ? ` · ${instances.acceleratorCount.min}+ GPU` : ""}${instances.allowedInstanceTypes ? ` · ${(instances.allowedInstanceTypes as string[]).join(", ")}` : ""}`
            : fargate;
        const sid = id(service.urn);
        nodes.push({ id: sid, label: `${service.name}\n${desiredTasks(service)} × ${vcpu} vCPU / ${memoryGb} GB\n${capacity}`, group: "cluster" });
        linkTraffic(graph, service, sid, edges, id);
        linkImage(graph, taskDefinition, sid, nodes, edges, id);
        for (const role of graph.referencedBy(taskDefinition ?? service, "executionRoleArn", T.role).concat(graph.referencedBy(taskDefinition ?? service, "taskRoleArn", T.role))) {
            nodes.push({ id: id(role.urn), label: `IAM role\n${role.name}`, shape: "round" });
            edges.push({ from: sid, to: id(role.urn), dashed: true });
        }
        if (nat.total > 0 && service.inputs.networkConfiguration?.assignPublicIp !== true) edges.push({ from: sid, to: "nat", dashed: true });
        // EFS: the file system each volume's access point opens, once per file system however many mount it.
        for (const accessPoint of taskDefinition ? graph.referencedBy(taskDefinition, "volumes", T.accessPoint) : []) {
            for (const fs of graph.referencedBy(accessPoint, "fileSystemId", T.fileSystem)) {
                if (!nodes.some((n) => n.id === id(fs.urn))) nodes.push({ id: id(fs.urn), label: `EFS file system\n${fs.name} (TLS + IAM)`, shape: "cylinder" });
                edges.push({ from: sid, to: id(fs.urn), label: `mounts ${String(accessPoint.inputs.rootDirectory?.path ?? "")}`.trim() });
            }
        }
        for (const queue of taskDefinition ? graph.referencedBy(taskDefinition, "containerDefinitions", T.queue) : []) {
            nodes.push({ id: id(queue.urn), label: `SQS queue\n${queue.name} (+ dead-letter queue)`, shape: "cylinder" });
            edges.push({ from: id(queue.urn), to: sid, label: "messages" });
        }
    }

    linkServiceConnect(graph, services, edges, id);

    // Tasks that run now and then: started by a schedule or by an event rule.
    const runs: [StackResource, StackResource | undefined, string][] = [
        ...graph.ofType(T.schedule).map((s): [StackResource, StackResource | undefined, string] => [s, graph.referencedBy(s, "target", T.taskDefinition)[0], `Scheduler\n${s.inputs.scheduleExpression} ${s.inputs.scheduleExpressionTimezone ?? ""}`.trim()]),
        ...graph
            .ofType(T.eventTarget)
            .filter((t) => t.inputs.ecsTarget)
            .map((t): [StackResource, StackResource | undefined, string] => [t, graph.referencedBy(t, "ecsTarget", T.taskDefinition)[0], "EventBridge rule"]),
    ];
    for (const [trigger, taskDefinition, label] of runs) {
        if (!taskDefinition) continue;
        const { vcpu, memoryGb } = taskSize(taskDefinition);
        nodes.push({ id: id(trigger.urn), label, shape: "round" });
        nodes.push({ id: id(taskDefinition.urn), label: `task ${trigger.name}\n${vcpu} vCPU / ${memoryGb} GB`, group: "cluster" });
        edges.push({ from: id(trigger.urn), to: id(taskDefinition.urn), label: "runs" });
        linkImage(graph, taskDefinition, id(taskDefinition.urn), nodes, edges, id);
    }

    const alarms = graph.ofType(T.metricAlarm).filter((a) => a.inputs.alarmActions?.length && graph.referencedBy(a, "alarmActions", T.topic).length > 0);
    for (const topic of graph.ofType(T.topic)) {
        const emails = graph.referencing(topic, "topic", T.topicSubscription).length;
        nodes.push({ id: id(topic.urn), label: `SNS topic\n${alarms.length} alarms, failed tasks${emails ? ` → ${emails} e-mail` : ""}`, shape: "round" });
        edges.push({ from: "cluster_alarms", to: id(topic.urn), dashed: true });
    }
    if (graph.ofType(T.topic).length > 0) nodes.push({ id: "cluster_alarms", label: "CloudWatch alarms\nECS task state changes", shape: "round" });
    return { groups, nodes, edges };
}

function round(n: number): string {
    return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

type RuleCondition = { hostHeader?: { values: string[] }; pathPattern?: { values: string[] }; httpHeader?: { httpHeaderName: string; values: string[] } };

/**
 * The load balancer's traffic to a service: one edge per rule. A blue/green, linear or canary
 * service has two target groups that its rules forward to alike (ECS moves the weights), drawn as
 * one edge saying so, and a test rule (on a request header) drawn dashed.
 */
function linkTraffic(graph: StackGraph, service: StackResource, sid: string, edges: DiagramEdge[], id: (urn: string) => string): void {
    const groups = graph.referencedBy(service, "loadBalancers", T.targetGroup);
    const strategy = service.inputs.deploymentConfiguration?.strategy as string | undefined;
    const shifted = groups.length > 1 && strategy !== undefined && strategy !== "ROLLING";
    const drawn = new Set<string>();
    for (const group of groups) {
        const rules = graph.referencing(group, "actions", T.listenerRule);
        const routes: (StackResource | undefined)[] = rules.length > 0 ? rules : [undefined];
        for (const rule of routes) {
            if (rule && drawn.has(rule.urn)) continue;
            if (rule) drawn.add(rule.urn);
            const listeners = rule ? graph.referencedBy(rule, "listenerArn", T.listener) : graph.referencing(group, "defaultActions", T.listener);
            const lb = listeners.flatMap((l) => graph.referencedBy(l, "loadBalancerArn", T.loadBalancer))[0];
            if (!lb) continue;
            const conditions = (rule?.inputs.conditions as RuleCondition[] | undefined) ?? [];
            const header = conditions.find((c) => c.httpHeader)?.httpHeader;
            const label = conditions.flatMap((c) => [...(c.hostHeader?.values ?? []), ...(c.pathPattern?.values ?? [])]).join(" ") || (lb.inputs.loadBalancerType === "network" ? "all connections" : "all requests");
            if (header) {
                edges.push({ from: id(lb.urn), to: sid, label: `test traffic: ${header.httpHeaderName}: ${header.values.join(",")} → new tasks`, dashed: true });
            } else {
                const how = shifted ? ` · ${STRATEGY_NAMES[strategy!] ?? strategy} across 2 target groups` : "";
                edges.push({ from: id(lb.urn), to: sid, label: `${label} → :${group.inputs.port}${how}` });
            }
        }
        if (shifted && rules.length > 0) break;
    }
}

/**
 * Who calls whom through Service Connect: one edge per caller and callee, read from the rules that
 * let a callee's task security group admit a caller's (what the call needs, and all it opens),
 * labelled with the address the caller dials.
 */
function linkServiceConnect(graph: StackGraph, services: StackResource[], edges: DiagramEdge[], id: (urn: string) => string): void {
    const byGroup = new Map<string, StackResource>();
    for (const service of services) for (const group of graph.referencedBy(service, "networkConfiguration", T.securityGroup)) byGroup.set(group.urn, service);
    const drawn = new Set<string>();
    for (const rule of graph.ofType(T.ingressRule)) {
        const callee = graph.referencedBy(rule, "securityGroupId", T.securityGroup).map((g) => byGroup.get(g.urn))[0];
        const caller = graph.referencedBy(rule, "referencedSecurityGroupId", T.securityGroup).map((g) => byGroup.get(g.urn))[0];
        const published = (callee?.inputs.serviceConnectConfiguration?.services as { clientAlias?: { dnsName: string; port: number }[]; tls?: unknown }[] | undefined)?.[0];
        const alias = published?.clientAlias?.[0];
        if (!caller || !callee || !alias || drawn.has(`${caller.urn} ${callee.urn}`)) continue;
        drawn.add(`${caller.urn} ${callee.urn}`);
        const protocol = appProtocolOf(graph, callee);
        edges.push({ from: id(caller.urn), to: id(callee.urn), label: `Service Connect http://${alias.dnsName}:${alias.port}${protocol ? ` (${protocol})` : ""}${published.tls ? " · TLS" : ""}` });
    }
}

/** The protocol the callee's main port declares for the Service Connect proxy, if any. */
function appProtocolOf(graph: StackGraph, service: StackResource): string | undefined {
    const definitions = taskDefinitionOf(graph, service)?.inputs.containerDefinitions;
    const parsed = typeof definitions === "string" ? (JSON.parse(definitions) as { portMappings?: { appProtocol?: string }[] }[]) : [];
    return parsed[0]?.portMappings?.[0]?.appProtocol;
}

const STRATEGY_NAMES: Record<string, string> = { BLUE_GREEN: "blue/green", LINEAR: "linear", CANARY: "canary" };

function linkImage(
    graph: StackGraph,
    taskDefinition: StackResource | undefined,
    sid: string,
    nodes: DiagramNode[],
    edges: DiagramEdge[],
    id: (urn: string) => string,
): void {
    if (!taskDefinition) return;
    const repositories = graph.referencedBy(taskDefinition, "containerDefinitions", T.repository);
    for (const repository of repositories) {
        if (!nodes.some((n) => n.id === id(repository.urn))) nodes.push({ id: id(repository.urn), label: `ECR\n${repository.name}`, shape: "cylinder" });
        edges.push({ from: sid, to: id(repository.urn), label: "pulls", dashed: true });
    }
    if (repositories.length > 0) return;
    // A repository the stack reads but does not create (a release repository): named by the image.
    const definitions = taskDefinition.inputs.containerDefinitions;
    const images = typeof definitions === "string" ? (JSON.parse(definitions) as { image?: string }[]).map((d) => d.image ?? "") : [];
    for (const repository of new Set(images.map((image) => ecrImage(image)?.repository).filter((r): r is string => r !== undefined))) {
        const node = id(`ecr:${repository}`);
        if (!nodes.some((n) => n.id === node)) nodes.push({ id: node, label: `ECR\n${repository}`, shape: "cylinder" });
        edges.push({ from: sid, to: node, label: "pulls", dashed: true });
    }
}

const quote = (text: string) => `"${text.replace(/"/g, "'").replace(/\n/g, "<br/>")}"`;

export function toMermaid(model: DiagramModel): string {
    const lines = ["flowchart LR"];
    const shape = (n: DiagramNode) =>
        n.shape === "cloud" ? `${n.id}((${quote(n.label)}))` : n.shape === "cylinder" ? `${n.id}[(${quote(n.label)})]` : n.shape === "round" ? `${n.id}(${quote(n.label)})` : `${n.id}[${quote(n.label)}]`;
    const writeGroup = (group: DiagramGroup, indent: string) => {
        lines.push(`${indent}subgraph ${group.id}[${quote(group.label)}]`);
        for (const child of model.groups.filter((g) => g.parent === group.id)) writeGroup(child, `${indent}  `);
        for (const node of model.nodes.filter((n) => n.group === group.id)) lines.push(`${indent}  ${shape(node)}`);
        lines.push(`${indent}end`);
    };
    for (const group of model.groups.filter((g) => !g.parent)) writeGroup(group, "  ");
    for (const node of model.nodes.filter((n) => !n.group)) lines.push(`  ${shape(node)}`);
    for (const e of model.edges) lines.push(`  ${e.from} ${e.dashed ? "-.->" : "-->"}${e.label ? `|${quote(e.label)}|` : ""} ${e.to}`);
    return lines.join("\n");
}

const dotString = (text: string) => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

export function toDot(model: DiagramModel): string {
    const lines = ["digraph environment {", '  rankdir=LR; fontname="Helvetica"; node [fontname="Helvetica", fontsize=10, shape=box, style="rounded"]; edge [fontname="Helvetica", fontsize=9];'];
    const shape = (n: DiagramNode) => (n.shape === "cloud" ? "ellipse" : n.shape === "cylinder" ? "cylinder" : n.shape === "round" ? "oval" : "box");
    const writeGroup = (group: DiagramGroup, indent: string) => {
        lines.push(`${indent}subgraph cluster_${group.id} { label=${dotString(group.label)}; style="rounded"; color="#7a8ca3";`);
        for (const child of model.groups.filter((g) => g.parent === group.id)) writeGroup(child, `${indent}  `);
        for (const node of model.nodes.filter((n) => n.group === group.id)) lines.push(`${indent}  ${node.id} [label=${dotString(node.label)}, shape=${shape(node)}];`);
        lines.push(`${indent}}`);
    };
    for (const group of model.groups.filter((g) => !g.parent)) writeGroup(group, "  ");
    for (const node of model.nodes.filter((n) => !n.group)) lines.push(`  ${node.id} [label=${dotString(node.label)}, shape=${shape(node)}];`);
    for (const e of model.edges) lines.push(`  ${e.from} -> ${e.to} [${e.label ? `label=${dotString(e.label)}` : ""}${e.dashed ? `${e.label ? ", " : ""}style=dashed` : ""}];`);
    lines.push("}");
    return lines.join("\n");
}
