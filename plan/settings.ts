import { AWS_DEFAULTS } from "../core/aws/awsDefaults";
import { containerInsightsOf } from "../analysis/readers";
import { jsonInput } from "../analysis/stackResources";
import { PULL_ACTIONS, principalAccounts } from "../core/repositoryPolicy";

/**
 * The settings that matter of each kind of resource, in a few words for the plan's tree. What
 * is not listed here is shown by type and name only (the JSON output has every input).
 */

type Inputs = Record<string, any>;

const yesNo = (value: unknown, yes: string, no: string) => (value ? yes : no);

/** The deployment strategy in a few words: the rolling percentages, or what ECS waits while it shifts traffic. */
function strategySummary(i: Inputs): string {
    const config = i.deploymentConfiguration as Inputs | undefined;
    const bake = `bake ${config?.bakeTimeInMinutes ?? 0} min`;
    switch (config?.strategy) {
        case "BLUE_GREEN":
            return `blue/green · ${bake}${i.loadBalancers?.[0]?.advancedConfiguration?.testListenerRule ? " · test rule" : ""}`;
        case "LINEAR":
            return `linear ${config.linearConfiguration?.stepPercent}% every ${config.linearConfiguration?.stepBakeTimeInMinutes} min · ${bake}`;
        case "CANARY":
            return `canary ${config.canaryConfiguration?.canaryPercent}% for ${config.canaryConfiguration?.canaryBakeTimeInMinutes} min · ${bake}`;
        default:
            return `rolling ${i.deploymentMinimumHealthyPercent}%–${i.deploymentMaximumPercent}%`;
    }
}

/** A service's place in Service Connect: the address its callers dial, or a client only. */
function serviceConnectSummary(config: Inputs | undefined): string | undefined {
    if (!config?.enabled) return undefined;
    const published = ((config.services as Inputs[] | undefined) ?? []).map((s) => `${s.clientAlias?.[0] ? `http://${s.clientAlias[0].dnsName}:${s.clientAlias[0].port}` : s.portName}${s.tls ? " TLS" : ""}`);
    return published.length > 0 ? `Service Connect ${published.join(", ")}` : "Service Connect client";
}

const SUMMARIES: Record<string, (i: Inputs) => (string | undefined)[]> = {
    "awsx:ec2:Vpc": (i) => [
        i.cidrBlock,
        `${i.numberOfAvailabilityZones ?? 3} AZs`,
        `NAT ${i.natGateways?.strategy ?? "OnePerAz"}`,
        `subnets ${(i.subnetSpecs as { type: string }[] | undefined)?.map((s) => s.type).join("+") ?? "Public+Private"}`,
        ...((i.vpcEndpointSpecs as { serviceName: string; vpcEndpointType?: string }[] | undefined) ?? []).map(
            (e) => `${e.serviceName.split(".").pop()} ${e.vpcEndpointType?.toLowerCase() ?? ""} endpoint${i.vpcEndpointStrategy === "Auto" && e.vpcEndpointType === "Gateway" ? " on every route table" : ""}`,
        ),
    ],
    "aws:ec2/vpc:Vpc": (i) => [i.cidrBlock, yesNo(i.assignGeneratedIpv6CidrBlock, "Amazon-provided IPv6 /56", "IPv4 only")],
    "aws:ec2/subnet:Subnet": (i) => [
        i.ipv6Native ? "IPv6-only" : i.cidrBlock,
        yesNo(i.ipv6CidrBlock, "IPv6 /64", undefined as never),
        yesNo(i.assignIpv6AddressOnCreation, "auto-assign IPv6", undefined as never),
        yesNo(i.mapPublicIpOnLaunch, "public IPv4 on launch", undefined as never),
        yesNo(i.enableDns64, "DNS64", undefined as never),
    ],
    "aws:ec2/routeTable:RouteTable": (i) =>
        ((i.routes as Record<string, string>[] | undefined) ?? []).map((r) => {
            const to = r.cidrBlock ?? r.ipv6CidrBlock;
            const via = r.egressOnlyGatewayId ? "egress-only gateway" : r.natGatewayId ? "NAT" : r.gatewayId ? "internet gateway" : "?";
            return `${to} → ${via}`;
        }),
    "aws:ecs/cluster:Cluster": (i) => [`Container Insights ${containerInsightsOf(i) ?? "account default"}`],
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": (i) => [`default ${strategy(i.defaultCapacityProviderStrategies)}`],
    "aws:ecs/capacityProvider:CapacityProvider": (i) => {
        const template = i.managedInstancesProvider?.instanceLaunchTemplate;
        const req = template?.instanceRequirements;
        if (!req) return ["Auto Scaling group"];
        return [
            "ECS Managed Instances",
            req.acceleratorCount?.min ? `${req.acceleratorCount.min}+ GPU${req.acceleratorCount.min === 1 ? "" : "s"} (${(req.acceleratorManufacturers ?? ["any"]).join("/")}${req.acceleratorNames ? ` ${req.acceleratorNames.join("/")}` : ""})` : undefined,
            req.allowedInstanceTypes ? (req.allowedInstanceTypes as string[]).join(", ") : `${req.vcpuCount?.min}+ vCPU, ${req.memoryMib?.min}+ MiB`,
            template.storageConfiguration?.storageSizeGib ? `${template.storageConfiguration.storageSizeGib} GiB volume` : undefined,
            template.capacityOptionType?.toLowerCase() ?? "on-demand",
        ];
    },
    "aws:ecs/service:Service": (i) => [
        `${i.desiredCount} task${i.desiredCount === 1 ? "" : "s"}`,
        i.capacityProviderStrategies ? strategy(i.capacityProviderStrategies) : "cluster default strategy",
        yesNo(i.networkConfiguration?.assignPublicIp, "public IPs", "no public IP"),
        strategySummary(i),
        yesNo(i.deploymentCircuitBreaker?.rollback, "circuit breaker + rollback", "no rollback"),
        i.alarms?.enable ? `${i.alarms.rollback ? "rollback" : "fail"} on ${(i.alarms.alarmNames as unknown[] | undefined)?.length ?? 0} alarm${(i.alarms.alarmNames as unknown[] | undefined)?.length === 1 ? "" : "s"}` : undefined,
        (i.deploymentConfiguration?.lifecycleHooks as unknown[] | undefined)?.length ? `${i.deploymentConfiguration.lifecycleHooks.length} lifecycle hook${i.deploymentConfiguration.lifecycleHooks.length === 1 ? "" : "s"}` : undefined,
        yesNo(i.enableExecuteCommand, "ECS Exec", undefined as never),
        serviceConnectSummary(i.serviceConnectConfiguration),
    ],
    "aws:servicediscovery/httpNamespace:HttpNamespace": (i) => [`Cloud Map HTTP namespace ${i.name}`, "Service Connect"],
    "aws:ecs/taskDefinition:TaskDefinition": (i) => {
        const containers = jsonInput<{ name: string; image: string; readonlyRootFilesystem?: boolean; user?: string; resourceRequirements?: { type: string; value: string }[] }[]>(i.containerDefinitions) ?? [];
        const gpus = containers.flatMap((c) => (c.resourceRequirements ?? []).filter((r) => r.type === "GPU").map((r) => `${c.name}: ${r.value} GPU`));
        return [
            `${Number(i.cpu) / 1024} vCPU / ${Number(i.memory) / 1024} GB`,
            i.runtimePlatform?.cpuArchitecture,
            (i.requiresCompatibilities as string[] | undefined)?.includes("MANAGED_INSTANCES") ? "Managed Instances" : undefined,
            ...gpus,
            ...containers.map((c) => `${c.name}: ${shortImage(c.image)}${c.readonlyRootFilesystem ? " read-only" : ""}${c.user ? ` user ${c.user}` : ""}`),
        ];
    },
    "aws:ecr/repository:Repository": (i) => [
        yesNo(i.imageScanningConfiguration?.scanOnPush, "scan on push", "no scan"),
        i.imageTagMutability?.toLowerCase(),
        yesNo(i.forceDelete, "force delete", undefined as never),
    ],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": (i) => repositoryAccessSummary(i.policy),
    "aws:cloudwatch/logGroup:LogGroup": (i) => [i.retentionInDays ? `kept ${i.retentionInDays} days` : "kept forever"],
    "aws:lb/loadBalancer:LoadBalancer": (i) => [
        yesNo(i.internal, "internal", "internet-facing"),
        i.ipAddressType,
        `${(i.subnets as unknown[] | undefined)?.length ?? "?"} subnets`,
        yesNo(i.enableDeletionProtection, "deletion protection", "no deletion protection"),
        yesNo(i.accessLogs?.enabled, "access logs", "no access logs"),
        yesNo(i.dropInvalidHeaderFields, "invalid headers dropped", undefined as never),
    ],
    "aws:lb/listener:Listener": (i) => {
        const action = i.defaultActions?.[0];
        const does = action?.type === "redirect" ? `redirect to ${action.redirect?.protocol}` : action?.type === "forward" ? "forward" : action?.type;
        return [`${i.protocol} ${i.port}`, does, i.sslPolicy];
    },
    "aws:lb/listenerRule:ListenerRule": (i) => [
        `priority ${i.priority}`,
        ...((i.conditions as Inputs[] | undefined) ?? []).map((c) =>
            c.httpHeader ? `header ${c.httpHeader.httpHeaderName}: ${(c.httpHeader.values ?? []).join(",")}` : [...(c.hostHeader?.values ?? []), ...(c.pathPattern?.values ?? [])].join(" "),
        ),
        (i.actions?.[0]?.forward?.targetGroups as unknown[] | undefined)?.length === 2 ? "forward to 2 target groups, weights moved by ECS" : undefined,
    ],
    "aws:lb/targetGroup:TargetGroup": (i) => [
        `${i.ipAddressType === "ipv6" ? "IPv6 " : ""}${i.targetType} targets :${i.port}${i.protocol && !["HTTP", "HTTPS"].includes(i.protocol) ? ` ${i.protocol}` : ""}`,
        // A TCP check opens a connection; an HTTP(S) one asks for a path.
        `health ${i.healthCheck?.path ?? (i.healthCheck?.protocol ?? "TCP").toLowerCase()} every ${i.healthCheck?.interval ?? AWS_DEFAULTS.targetGroup.healthCheckInterval}s`,
        `drain ${i.deregistrationDelay ?? AWS_DEFAULTS.targetGroup.deregistrationDelay}s`,
    ],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (i) => [
        `in ${port(i)} from ${i.cidrIpv4 ?? i.cidrIpv6 ?? "a security group"}`,
        typeof i.description === "string" && i.description.startsWith("Service Connect") ? i.description : undefined,
    ],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (i) => [`out ${port(i)} to ${i.cidrIpv4 ?? i.cidrIpv6 ?? "a security group"}`],
    "aws:iam/role:Role": (i) => [`assumed by ${jsonInput<{ Statement: { Principal: { Service: string } }[] }>(i.assumeRolePolicy)?.Statement?.[0]?.Principal?.Service}`],
    "aws:iam/rolePolicy:RolePolicy": (i) => [
        ((jsonInput<{ Statement: { Sid?: string; Action: string[] }[] }>(i.policy)?.Statement ?? []).map((s) => s.Sid ?? s.Action.join(",")).join(", ")) || "no statements",
    ],
    "aws:appautoscaling/target:Target": (i) => [`${i.minCapacity}–${i.maxCapacity} tasks`],
    "aws:appautoscaling/policy:Policy": (i) => {
        const tracking = i.targetTrackingScalingPolicyConfiguration;
        if (tracking) {
            const metric = tracking.predefinedMetricSpecification?.predefinedMetricType ?? tracking.customizedMetricSpecification?.metrics?.find((m: { returnData?: boolean }) => m.returnData)?.label;
            return [`${metric} → ${tracking.targetValue}`];
        }
        const step = i.stepScalingPolicyConfiguration;
        return [`step: ${step?.adjustmentType === "ExactCapacity" ? "set to" : "add"} ${step?.stepAdjustments?.[0]?.scalingAdjustment} tasks`];
    },
    "aws:appautoscaling/scheduledAction:ScheduledAction": (i) => [`${i.schedule} ${i.timezone ?? ""}`.trim(), `${i.scalableTargetAction?.minCapacity}–${i.scalableTargetAction?.maxCapacity}`],
    "docker-build:index:Image": (i) => [`build ${i.context?.location}`, (i.platforms as string[] | undefined)?.join(","), yesNo(i.push, "push", "no push")],
    "aws:acm/certificate:Certificate": (i) => [i.domainName, `${i.validationMethod} validation`],
    "aws:route53/record:Record": (i) => [`${i.name} ${i.type}`],
    "aws:s3/bucket:Bucket": (i) => [yesNo(i.forceDestroy, "force destroy", undefined as never)],
    "aws:ec2/vpcEndpoint:VpcEndpoint": (i) => [`${i.vpcEndpointType} ${i.serviceName}`],
    "aws:sqs/queue:Queue": (i) => [
        i.visibilityTimeoutSeconds !== undefined ? `visibility ${i.visibilityTimeoutSeconds}s` : undefined,
        `kept ${Math.round(Number(i.messageRetentionSeconds ?? 345600) / 86400)} days`,
        i.redrivePolicy ? `dead letters after ${jsonInput<{ maxReceiveCount: number }>(i.redrivePolicy)?.maxReceiveCount} receives` : undefined,
        yesNo(i.sqsManagedSseEnabled, "encrypted", undefined as never),
    ],
    "aws:scheduler/schedule:Schedule": (i) => [
        `${i.scheduleExpression} ${i.scheduleExpressionTimezone ?? ""}`.trim(),
        i.state === "DISABLED" ? "paused" : undefined,
        strategy(i.target?.ecsParameters?.capacityProviderStrategies),
        `retry ${i.target?.retryPolicy?.maximumRetryAttempts}`,
    ],
    "aws:cloudwatch/eventRule:EventRule": (i) => [`source ${(jsonInput<{ source?: string[] }>(i.eventPattern)?.source ?? []).join(",")}`],
    "aws:cloudwatch/eventTarget:EventTarget": (i) => [i.ecsTarget ? `run task · ${strategy(i.ecsTarget.capacityProviderStrategies)}` : "notify"],
    "aws:cloudwatch/metricAlarm:MetricAlarm": (i) => [i.alarmDescription],
    "aws:cloudwatch/dashboard:Dashboard": (i) => [`${(jsonInput<{ widgets: unknown[] }>(i.dashboardBody)?.widgets ?? []).length} charts`],
    "aws:sns/topicSubscription:TopicSubscription": (i) => [`${i.protocol} ${i.endpoint}`],
};

function strategy(items: { capacityProvider?: string; base?: number; weight?: number }[] | undefined): string {
    // A provider the stack creates (Managed Instances) has a name only once it exists.
    return (items ?? []).map((s) => `${s.capacityProvider ?? "its own capacity provider"}${s.base ? ` base ${s.base}` : ""} w${s.weight ?? 0}`).join(" + ") || "launch type";
}

function port(i: Inputs): string {
    if (i.ipProtocol === "-1") return "all traffic";
    return i.fromPort === i.toPort ? `tcp ${i.fromPort}` : `tcp ${i.fromPort}-${i.toPort}`;
}

function shortImage(image: string): string {
    const last = image.split("/").pop() ?? image;
    return last.replace(/@sha256:([0-9a-f]{8})[0-9a-f]+$/, "@sha256:$1…");
}

export function settingsSummary(type: string, inputs: Inputs): string {
    const summary = SUMMARIES[type];
    if (!summary) return "";
    return summary(inputs)
        .filter((s): s is string => typeof s === "string" && s.length > 0)
        .join(" · ");
}

/**
 * Who may do what with a repository, read from its policy: `pull: 111122223333, 444455556666 ·
 * only organization o-… · only arn:…`, so a reviewer sees the accounts without reading JSON.
 */
function repositoryAccessSummary(policy: unknown): string[] {
    type Statement = { Effect?: string; Principal?: unknown; Action?: string | string[]; Condition?: Record<string, Record<string, string | string[]>> };
    const document = jsonInput<{ Statement?: Statement[] }>(policy);
    if (!document) return [];
    const allows = (document.Statement ?? []).filter((s) => s.Effect === "Allow");
    const pulling = allows.filter((s) => ([] as string[]).concat(s.Action ?? []).some((a) => (PULL_ACTIONS as readonly string[]).includes(a)));
    const accounts = [...new Set(pulling.flatMap((s) => principalAccounts(s.Principal)))];
    const condition = pulling[0]?.Condition;
    const organization = condition?.StringEquals?.["aws:PrincipalOrgID"];
    const principals = ([] as string[]).concat(condition?.ArnLike?.["aws:PrincipalArn"] ?? []);
    return [
        accounts.length > 0 ? `pull: ${accounts.join(", ")}` : "no pull grant",
        organization ? `only organization ${organization}` : undefined,
        principals.length > 0 ? `only ${principals.join(", ")}` : undefined,
    ].filter((p): p is string => p !== undefined);
}
