import type { GraphRule, PreflightResource, ResourceRule, RuleViolation } from "./types";

/** Values AWS takes from a fixed list, and what Fargate requires of the task and its target group. */

const ECS = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference";
const ELB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference";

function oneOf(inputs: Record<string, any>, key: string, allowed: readonly string[]): RuleViolation[] {
    const value = key.split(".").reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), inputs);
    return value === undefined || allowed.includes(value) ? [] : [{ key, message: `${JSON.stringify(value)} is not one of ${allowed.join(", ")}` }];
}

export const ENUM_RULES: ResourceRule[] = [
    {
        id: "ecs.taskDefinition.fargate",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        title: "a Fargate task uses network mode awsvpc, a CPU architecture of X86_64 or ARM64 and a Linux or Windows family",
        sources: [`${ECS}/API_RegisterTaskDefinition.html`, `${ECS}/API_RuntimePlatform.html`],
        check(r) {
            const out = [...oneOf(r.inputs, "runtimePlatform.cpuArchitecture", ["X86_64", "ARM64"]), ...oneOf(r.inputs, "runtimePlatform.operatingSystemFamily", ["LINUX", "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_2025_CORE"])];
            // Stryker disable next-line ArrayDeclaration: equivalent, any list without FARGATE reads the same
            if ((r.inputs.requiresCompatibilities ?? []).includes("FARGATE") && r.inputs.networkMode !== undefined && r.inputs.networkMode !== "awsvpc") {
                out.push({ key: "networkMode", message: `${JSON.stringify(r.inputs.networkMode)}: Fargate tasks use "awsvpc"` });
            }
            return out;
        },
    },
    {
        id: "ecs.service.enums",
        type: "aws:ecs/service:Service",
        title: "launch type, tag propagation and scheduling strategy from AWS's lists",
        sources: [`${ECS}/API_CreateService.html`],
        check: (r) => [
            ...oneOf(r.inputs, "launchType", ["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"]),
            ...oneOf(r.inputs, "propagateTags", ["SERVICE", "TASK_DEFINITION", "NONE"]),
            ...oneOf(r.inputs, "schedulingStrategy", ["REPLICA", "DAEMON"]),
        ],
    },
    {
        id: "elbv2.enums",
        type: "aws:lb/targetGroup:TargetGroup",
        title: "target type and protocols from AWS's lists",
        sources: [`${ELB}/API_CreateTargetGroup.html`],
        check: (r) => [
            ...oneOf(r.inputs, "targetType", ["instance", "ip", "lambda", "alb"]),
            ...oneOf(r.inputs, "protocol", ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"]),
            ...oneOf(r.inputs, "healthCheck.protocol", ["HTTP", "HTTPS", "TCP"]),
        ],
    },
    {
        id: "elbv2.listener.protocol",
        type: "aws:lb/listener:Listener",
        title: "a protocol from AWS's list",
        sources: [`${ELB}/API_CreateListener.html`],
        check: (r) => oneOf(r.inputs, "protocol", ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "QUIC", "TCP_QUIC"]),
    },
];

/** The resources an input came from, by URN. */
// Stryker disable next-line ArrayDeclaration: equivalent, a URN of no registered resource is dropped by the filter
const referenced = (r: PreflightResource, key: string, byUrn: Map<string, PreflightResource>) => (r.propertyDependencies?.[key] ?? []).map((u) => byUrn.get(u)).filter((x): x is PreflightResource => x !== undefined);

export const ENUM_GRAPH_RULES: GraphRule[] = [
    {
        id: "ecs.service.targetGroupType",
        type: "aws:ecs/service:Service",
        title: 'a Fargate service registers its tasks in target groups of target type "ip"',
        sources: ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/alb.html", `${ELB}/API_CreateTargetGroup.html`],
        checkAll(resources) {
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            return resources
                .filter((r) => r.type === "aws:ecs/service:Service")
                .flatMap((service) =>
                    referenced(service, "loadBalancers", byUrn)
                        .filter((tg) => tg.type === "aws:lb/targetGroup:TargetGroup" && tg.inputs.targetType !== undefined && tg.inputs.targetType !== "ip")
                        .map((tg) => ({ resource: service, key: "loadBalancers", message: `target group ${tg.name} has target type ${JSON.stringify(tg.inputs.targetType)}; awsvpc tasks register by IP ("ip")` })),
                );
        },
    },
];
