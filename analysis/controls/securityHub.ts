import { isRecommendedSslPolicy } from "../../core/tlsPolicies";
import { AUTHORIZED_PORTS, HIGH_RISK_PORTS } from "../../core/aws/internetPorts";
import { adminManagedPolicy, isEveryAction } from "../../core/adminPolicies";
import { secretLook, secretsForm } from "../../core/secretLooks";
import { asList, containerDefinitions, containerInsightsOf, IamStatement, loadBalancerZones, policyDocuments } from "../readers";
import { StackGraph, T } from "../stackResources";
import type { ResourceControl, StackControl } from "./types";

/**
 * AWS Security Hub (Foundational Security Best Practices) controls, as this project checks them
 * before anything is deployed. What satisfies each, in AWS's words:
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html,
 * https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html and the list of all
 * controls, https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html.
 */

const perContainer = (inputs: Record<string, any>, failing: (c: ReturnType<typeof containerDefinitions>[number]) => string | undefined): string[] =>
    containerDefinitions(inputs).map(failing).filter((r): r is string => r !== undefined);

/** ECS.2 names services; tasks that schedules and rules start get public IPs the same way, so they are judged alike. */
export const ecs2: ResourceControl = {
    id: "ECS.2",
    title: "ECS services should not have public IP addresses assigned to them automatically",
    kind: "resource",
    resourceTypes: [T.service, T.schedule, T.eventTarget],
    check: (type, inputs) => {
        const network = type === T.service ? inputs.networkConfiguration : type === T.schedule ? inputs.target?.ecsParameters?.networkConfiguration : inputs.ecsTarget?.networkConfiguration;
        if (network === undefined) return undefined;
        return network.assignPublicIp === true ? ["assigns a public IP to every task"] : [];
    },
};

export const ecs4: ResourceControl = {
    id: "ECS.4",
    title: "ECS containers should run as non-privileged",
    kind: "resource",
    resourceTypes: [T.taskDefinition],
    check: (_, inputs) => perContainer(inputs, (c) => (c.privileged === true ? `container ${c.name} is privileged` : undefined)),
};

export const ecs5: ResourceControl = {
    id: "ECS.5",
    title: "ECS containers should be limited to read-only access to root filesystems",
    kind: "resource",
    resourceTypes: [T.taskDefinition],
    check: (_, inputs) => perContainer(inputs, (c) => (c.readonlyRootFilesystem !== true ? `container ${c.name} has a writable root filesystem` : undefined)),
};

export const ecs8: ResourceControl = {
    id: "ECS.8",
    title: "Secrets should not be passed as container environment variables",
    kind: "resource",
    resourceTypes: [T.taskDefinition],
    check: (_, inputs) =>
        perContainer(inputs, (c) => {
            const found = (c.environment ?? []).flatMap((e) => {
                const why = secretLook(e.name, e.value);
                return why ? [{ name: e.name, why }] : [];
            });
            if (found.length === 0) return undefined;
            const named = found.map((f) => `${f.name} (${f.why})`).join(", ");
            return `container ${c.name} has what looks like a secret in plain environment variables: ${named}; use container secrets instead: ${secretsForm(found.map((f) => f.name))}`;
        }),
};

export const ecs9: ResourceControl = {
    id: "ECS.9",
    title: "ECS task definitions should have a logging configuration",
    kind: "resource",
    resourceTypes: [T.taskDefinition],
    check: (_, inputs) => perContainer(inputs, (c) => (!c.logConfiguration?.logDriver ? `container ${c.name} has no logging configuration` : undefined)),
};

export const ecs10: ResourceControl = {
    id: "ECS.10",
    title: "ECS Fargate services should run on the latest Fargate platform version",
    kind: "resource",
    resourceTypes: [T.service],
    check: (_, inputs) =>
        inputs.platformVersion === undefined || inputs.platformVersion === "LATEST" ? [] : [`pins platform version ${inputs.platformVersion}`],
};

export const ecs12: ResourceControl = {
    id: "ECS.12",
    title: "ECS clusters should use Container Insights",
    kind: "resource",
    resourceTypes: [T.cluster],
    check: (_, inputs) => {
        const setting = containerInsightsOf(inputs);
        if (setting === "enabled" || setting === "enhanced") return [];
        return [setting ? `Container Insights is ${setting}` : "Container Insights is not set (the account default applies)"];
    },
};

export const ecr1: ResourceControl = {
    id: "ECR.1",
    title: "ECR private repositories should have image scanning configured",
    kind: "resource",
    resourceTypes: [T.repository],
    check: (_, inputs) => (inputs.imageScanningConfiguration?.scanOnPush === true ? [] : ["does not scan images on push"]),
};

export const ecr2: ResourceControl = {
    id: "ECR.2",
    title: "ECR private repositories should have tag immutability configured",
    kind: "resource",
    resourceTypes: [T.repository],
    check: (_, inputs) =>
        inputs.imageTagMutability === "IMMUTABLE" || inputs.imageTagMutability === "IMMUTABLE_WITH_EXCLUSION" ? [] : [`image tags are ${inputs.imageTagMutability ?? "MUTABLE"}`],
};

export const ecr3: StackControl = {
    id: "ECR.3",
    title: "ECR repositories should have at least one lifecycle policy configured",
    kind: "stack",
    check: (graph: StackGraph) => {
        const repositories = graph.ofType(T.repository);
        if (repositories.length === 0) return undefined;
        const covered = (repo: (typeof repositories)[number]) => graph.referencing(repo, "repository", T.lifecyclePolicy).length > 0 || repo.inputs.lifecyclePolicy !== undefined;
        return repositories.filter((r) => !covered(r)).map((resource) => ({ resource, reason: "has no lifecycle policy: images accumulate forever" }));
    },
};

/** Whether a load balancer's inputs are a network load balancer's (ELB.4, ELB.5 and ELB.12 judge application ones). */
const isNetwork = (inputs: Record<string, any>): boolean => inputs.loadBalancerType === "network";

export const elb1: ResourceControl = {
    id: "ELB.1",
    title: "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS",
    kind: "resource",
    resourceTypes: [T.listener],
    check: (_, inputs) => {
        if (inputs.protocol !== "HTTP") return undefined;
        const action = (inputs.defaultActions as { type: string; redirect?: { protocol?: string } }[] | undefined)?.[0];
        return action?.type === "redirect" && action.redirect?.protocol === "HTTPS" ? [] : [`HTTP listener on port ${inputs.port} serves traffic instead of redirecting to HTTPS`];
    },
};

export const elb4: ResourceControl = {
    id: "ELB.4",
    title: "Application Load Balancer should be configured to drop invalid HTTP headers",
    kind: "resource",
    resourceTypes: [T.loadBalancer],
    // An application load balancer's settings: a network load balancer reads no HTTP.
    check: (_, inputs) => (isNetwork(inputs) ? undefined : inputs.dropInvalidHeaderFields === true ? [] : ["keeps invalid HTTP header fields"]),
};

export const elb5: ResourceControl = {
    id: "ELB.5",
    title: "Application and Classic Load Balancers logging should be enabled",
    kind: "resource",
    resourceTypes: [T.loadBalancer],
    // Security Hub's ELB.5 judges Application and Classic Load Balancers; a network one logs TLS listeners only.
    check: (_, inputs) => (isNetwork(inputs) ? undefined : inputs.accessLogs?.enabled === true ? [] : ["does not write access logs"]),
};

export const elb6: ResourceControl = {
    id: "ELB.6",
    title: "Application, Gateway, and Network Load Balancers should have deletion protection enabled",
    kind: "resource",
    resourceTypes: [T.loadBalancer],
    check: (_, inputs) => (inputs.enableDeletionProtection === true ? [] : ["has no deletion protection"]),
};

export const elb12: ResourceControl = {
    id: "ELB.12",
    title: "Application Load Balancer should be configured with defensive or strictest desync mitigation mode",
    kind: "resource",
    resourceTypes: [T.loadBalancer],
    check: (_, inputs) =>
        isNetwork(inputs) ? undefined : inputs.desyncMitigationMode === undefined || ["defensive", "strictest"].includes(inputs.desyncMitigationMode) ? [] : [`desync mitigation is ${inputs.desyncMitigationMode}`],
};

export const elb13: ResourceControl = {
    id: "ELB.13",
    title: "Application, Network and Gateway Load Balancers should span multiple Availability Zones",
    kind: "resource",
    resourceTypes: [T.loadBalancer],
    check: (_, inputs) => {
        const zones = loadBalancerZones(inputs);
        if (zones === undefined) return undefined;
        return zones >= 2 ? [] : [`spans ${zones} subnet${zones === 1 ? "" : "s"}; two Availability Zones at least`];
    },
};

export const elb17: ResourceControl = {
    id: "ELB.17",
    title: "Application and Network Load Balancers with listeners should use recommended security policies",
    kind: "resource",
    resourceTypes: [T.listener],
    check: (_, inputs) => {
        if (inputs.protocol !== "HTTPS" && inputs.protocol !== "TLS") return undefined;
        return isRecommendedSslPolicy(inputs.sslPolicy) ? [] : [`uses ${inputs.sslPolicy ?? "no explicit policy (ELBSecurityPolicy-2016-08, which allows TLS 1.0)"}`];
    },
};

const IAM_TYPES = [T.role, T.rolePolicy, T.policy, T.rolePolicyAttachment, T.policyAttachment] as const;

/** The managed policies a resource attaches: a role's managedPolicyArns, an attachment's policyArn. */
function attachedPolicies(type: string, inputs: Record<string, any>): unknown[] {
    if (type === T.role) return asList(inputs.managedPolicyArns);
    if (type === T.rolePolicyAttachment || type === T.policyAttachment) return [inputs.policyArn];
    return [];
}

function allowStatements(inputs: Record<string, any>, type: string): { policy: string; statement: IamStatement }[] {
    return policyDocuments({ type, name: "policy", inputs } as never).flatMap((doc) =>
        doc.statements.filter((s) => s.Effect === "Allow").map((statement) => ({ policy: doc.name, statement })),
    );
}

export const iam1: ResourceControl = {
    id: "IAM.1",
    title: 'IAM policies should not allow full "*" administrative privileges',
    kind: "resource",
    resourceTypes: IAM_TYPES,
    check: (type, inputs) => {
        const statements = allowStatements(inputs, type);
        const attached = attachedPolicies(type, inputs);
        if (statements.length === 0 && attached.length === 0) return undefined;
        return [
            ...attached.map(adminManagedPolicy).filter((n): n is string => n !== undefined).map((n) => `attaches the AWS managed policy ${n}, which grants administrator access`),
            ...statements
                .filter(({ statement }) => asList(statement.Action).some(isEveryAction) && asList(statement.Resource).includes("*"))
                .map(({ statement }) => `allows Action "${asList(statement.Action).find(isEveryAction)}" on Resource "*"`),
        ];
    },
};

export const iam21: ResourceControl = {
    id: "IAM.21",
    title: "IAM customer managed policies that you create should not allow wildcard actions for services",
    kind: "resource",
    resourceTypes: IAM_TYPES,
    check: (type, inputs) => {
        const statements = allowStatements(inputs, type);
        if (statements.length === 0) return undefined;
        // IAM reads action names without case ("S3:*" is "s3:*"):
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
        return statements.flatMap(({ statement }) => asList(statement.Action).filter((a) => /^[a-z0-9-]+:\*$/i.test(a)).map((a) => `allows "${a}"`));
    },
};

export { AUTHORIZED_PORTS, HIGH_RISK_PORTS };

interface OpenRule {
    from: number;
    to: number;
}

/** The inbound rules of a resource that are open to the whole internet, as port ranges. */
function openIngress(type: string, inputs: Record<string, any>): OpenRule[] | undefined {
    const world = (cidrs: unknown[]) => cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0");
    const range = (protocol: unknown, from: unknown, to: unknown): OpenRule =>
        protocol === "-1" || protocol === -1 || protocol === "all" ? { from: 0, to: 65535 } : { from: Number(from ?? 0), to: Number(to ?? from ?? 65535) };
    if (type === T.ingressRule) {
        return world([inputs.cidrIpv4, inputs.cidrIpv6]) ? [range(inputs.ipProtocol, inputs.fromPort, inputs.toPort)] : [];
    }
    if (type === T.securityGroupRule) {
        if (inputs.type !== "ingress") return undefined;
        return world([...(inputs.cidrBlocks ?? []), ...(inputs.ipv6CidrBlocks ?? [])]) ? [range(inputs.protocol, inputs.fromPort, inputs.toPort)] : [];
    }
    const ingress = (inputs.ingress as Record<string, any>[] | undefined) ?? [];
    if (ingress.length === 0) return undefined;
    return ingress.filter((r) => world([...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])])).map((r) => range(r.protocol, r.fromPort, r.toPort));
}

const SG_TYPES = [T.ingressRule, T.securityGroupRule, T.securityGroup] as const;
const describe = (r: OpenRule) => (r.from === r.to ? `port ${r.from}` : r.from === 0 && r.to === 65535 ? "all ports" : `ports ${r.from}-${r.to}`);

export const ec218: ResourceControl = {
    id: "EC2.18",
    title: "Security groups should only allow unrestricted incoming traffic for authorized ports",
    kind: "resource",
    resourceTypes: SG_TYPES,
    check: (type, inputs) => {
        const open = openIngress(type, inputs);
        if (open === undefined) return undefined;
        return open.filter((r) => !(r.from === r.to && AUTHORIZED_PORTS.includes(r.from))).map((r) => `${describe(r)} open to the internet`);
    },
};

export const ec219: ResourceControl = {
    id: "EC2.19",
    title: "Security groups should not allow unrestricted access to ports with high risk",
    kind: "resource",
    resourceTypes: SG_TYPES,
    check: (type, inputs) => {
        const open = openIngress(type, inputs);
        if (open === undefined) return undefined;
        return open.flatMap((r) => HIGH_RISK_PORTS.filter((p) => p >= r.from && p <= r.to).map((p) => `high-risk port ${p} open to the internet`));
    },
};

export const cloudwatch16: ResourceControl = {
    id: "CloudWatch.16",
    title: "CloudWatch log groups should be retained for a specified time period (at least 365 days)",
    kind: "resource",
    resourceTypes: [T.logGroup],
    check: (_, inputs) => {
        const days = inputs.retentionInDays;
        // No retention (or 0) keeps events forever, which the control accepts.
        return days === undefined || days === 0 || days >= 365 ? [] : [`keeps events ${days} days`];
    },
};

export const SECURITY_HUB: (ResourceControl | StackControl)[] = [
    ecs2, ecs4, ecs5, ecs8, ecs9, ecs10, ecs12, ecr1, ecr2, ecr3, elb1, elb4, elb5, elb6, elb12, elb13, elb17, iam1, iam21, ec218, ec219, cloudwatch16,
];
