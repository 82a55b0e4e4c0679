import * as pulumi from "@pulumi/pulumi";
import { FargateCluster } from "../components/cluster";
import { createEnvironmentDashboard } from "../components/environmentDashboard";
import { EnvironmentAlerts } from "../components/environmentAlerts";
import { EventTask } from "../components/eventTask";
import { FargateService } from "../components/fargateService";
import { QueueWorker } from "../components/queueWorker";
import { ScheduledTask } from "../components/scheduledTask";
import { ServiceAlarms } from "../components/serviceAlarms";
import type { EventTaskArgs } from "../components/eventTask";
import type { FargateServiceArgs, ListenerRuleArgs } from "../components/fargateServiceArgs";
import type { EfsVolumeArgs } from "../components/efsVolumes";
import type { QueueWorkerArgs } from "../components/queueWorker";
import type { ScheduledTaskArgs } from "../components/scheduledTask";
import { ServiceLoadBalancer } from "../components/loadBalancer";
import { SharedFileSystem } from "../components/fileSystem";
import { registerPreflight } from "../components/preflight";
import { EnvironmentSpec, ServiceSpec, callsOf, environmentConfigFromPulumi, resolveEnvironment } from "./environment";
import { allowServiceConnectCall } from "../components/serviceConnect";
import { creationOrder, serviceConnectEdges } from "../core/serviceConnect";
import { createNetwork } from "./network";
import { CATCH_ALL_PRIORITY } from "../core/routing";

/**
 * The Pulumi program of an environment. `index.ts` exports it for `pulumi up`, the offline plan
 * runs it on the mock engine, and the Automation API runs it as its inline program: one program.
 */
export async function environmentProgram(): Promise<Record<string, unknown>> {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const env = resolveEnvironment(environmentConfigFromPulumi(pulumi.runtime.allConfig(), project), {
        project,
        stack,
        source: `Pulumi.${stack}.yaml`,
        region: new pulumi.Config("aws").get("region"),
    });
    return buildEnvironment(env);
}

/**
 * The mark the plan knows the environment program by, when a project's program exports it: by a
 * mark, not by identity, because the program may load its own copy of this module (the plan run
 * as one bundled file planning this project's index.ts, or installed apart from the component).
 */
const ENVIRONMENT_PROGRAM = Symbol.for("fargate-service.environmentProgram");
Object.defineProperty(environmentProgram, ENVIRONMENT_PROGRAM, { value: true });

/** Whether a program's export is the environment program, whichever copy of this module made it. */
export function isEnvironmentProgram(exported: unknown): boolean {
    return typeof exported === "function" && (exported as unknown as Record<symbol, unknown>)[ENVIRONMENT_PROGRAM] === true;
}

/** Every host the services' listener rules route, in order, once each. */
function routedHosts(services: ServiceSpec[]): string[] {
    return [...new Set(services.flatMap((s) => (s.loadBalancer?.rule?.hostHeaders as string[] | undefined) ?? []))];
}

/** The rule of a service that has the load balancer to itself: everything. */
/** Where a service's rule goes: the environment's own load balancer, or a shared one's listener. */
type ServiceListener = Pick<ServiceLoadBalancer, "listenerArn" | "securityGroupId">;

const CATCH_ALL: ListenerRuleArgs = { priority: CATCH_ALL_PRIORITY, pathPatterns: ["/*"] };

/** Creates an environment: network, one cluster, one load balancer shared by its web services, the services. */
export function buildEnvironment(env: EnvironmentSpec): Record<string, unknown> {
    // AWS's own rules on every resource of the stack as it registers, the network's and the
    // dashboard's too, after any transform: a setting AWS would refuse stops the deploy before it is sent.
    registerPreflight();
    const tags = { ...env.tags, environment: env.name, project: env.project };
    const region = new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? "us-east-1";
    const network = createNetwork(env, region, tags);
    // One Service Connect namespace for the environment, only when some service calls another.
    const edges = serviceConnectEdges(callsOf(env));
    const cluster = new FargateCluster(env.name, {
        containerInsights: env.cluster.containerInsights,
        capacity: env.cluster.capacity,
        serviceConnect: edges.length > 0 ? { namespaceName: `${env.project}-${env.name}`, tls: env.serviceConnect.tls } : undefined,
        tags,
    });

    const balanced = Object.entries(env.services).filter(([, s]) => s.loadBalancer?.enabled !== false);
    const { deletionProtection, accessLogs, shared, ...loadBalancerSettings } = env.loadBalancer;
    // A shared load balancer (another stack's) takes this environment's rules; none is created here.
    const listener: ServiceListener | undefined = shared ? { listenerArn: pulumi.output(shared.listenerArn as string), securityGroupId: pulumi.output(shared.securityGroupId as string) } : undefined;
    const loadBalancer =
        balanced.length > 0 && !shared
            ? new ServiceLoadBalancer(env.name, {
                  ...loadBalancerSettings,
                  vpcId: network.vpcId,
                  subnetIds: network.publicSubnetIds,
                  // The certificate covers, and Route 53 points at the load balancer, every host the rules route.
                  domain: env.domain ? { ...env.domain, alternativeNames: routedHosts(balanced.map(([, s]) => s)) } : undefined,
                  deletionProtection,
                  accessLogs: accessLogs.enabled ? { enabled: true, prefix: env.name, expireAfterDays: accessLogs.expireAfterDays } : undefined,
                  protectStatefulResources: Object.values(env.services).some((s) => s.protectStatefulResources === true),
                  tags,
              })
            : undefined;

    const placement = { vpcId: network.vpcId, subnetIds: network.taskSubnetIds, assignPublicIp: network.assignPublicIp, ipStack: network.ipStack };
    const fileSystem = environmentFileSystem(env, network, tags);
    const services: Record<string, Record<string, pulumi.Output<unknown>>> = {};
    // Each service with its load balancer's and target group's ARN suffixes (what CloudWatch's ALB metrics are keyed by).
    const web: { name: string; service: FargateService; loadBalancer?: { arnSuffix: pulumi.Output<string>; targetGroupArnSuffix: pulumi.Output<string> } }[] = [];
    const built: Record<string, FargateService> = {};
    // Callees before their callers: a caller's rule (and so its service) waits for the callee's endpoint.
    const { order, deferred } = creationOrder(Object.keys(env.services), edges);
    const later = (e: { caller: string; callee: string }) => deferred.some((d) => d.caller === e.caller && d.callee === e.callee);
    for (const name of order) {
        const spec = env.services[name];
        const connect = serviceConnectArgs(name, spec, edges, cluster, edges.filter((e) => e.caller === name && !later(e)).map((e) => built[e.callee].serviceConnectEndpoint!));
        const volumes = fileSystem && spec.volumes ? { volumes: (spec.volumes as Omit<EfsVolumeArgs, "fileSystemId">[]).map((v) => ({ ...v, ...fileSystem })) } : {};
        const service = new FargateService(`${env.name}-${name}`, { ...serviceArgs(env, name, spec, network, cluster, listener ?? loadBalancer, balanced.length, tags), ...(connect ? { serviceConnect: connect } : {}), ...volumes });
        built[name] = service;
        const metrics =
            loadBalancer && service.targetGroup && !spec.networkLoadBalancer
                ? { arnSuffix: loadBalancer.arnSuffix, targetGroupArnSuffix: service.targetGroup.arnSuffix, alternateTargetGroupArnSuffix: service.alternateTargetGroup?.arnSuffix }
                : undefined;
        web.push({ name, service, loadBalancer: metrics });
        services[name] = {
            serviceName: service.serviceName,
            logGroupName: service.logGroupName,
            taskRoleArn: service.taskRoleArn,
            image: service.imageRef,
            ...(service.repository ? { repositoryUrl: service.repository.repositoryUrl } : {}),
        };
    }

    // The calls that close a cycle (a service calling itself, two calling each other), once every
    // service exists: their callers reach the callee from their next deployment on. The rule belongs to the caller.
    for (const { caller, callee } of deferred) {
        const from = built[caller];
        allowServiceConnectCall(`${env.name}-${caller}-calls-${callee}`, { securityGroup: from.securityGroup, name: caller, outboundTraffic: env.services[caller].outboundTraffic }, built[callee].serviceConnectEndpoint!, from, { ...tags, service: caller });
    }

    const queueWorkers: Record<string, Record<string, pulumi.Output<unknown>>> = {};
    const workers: [string, QueueWorker][] = [];
    for (const [name, spec] of Object.entries(env.queueWorkers)) {
        const worker = new QueueWorker(`${env.name}-${name}`, {
            ...(spec as Omit<QueueWorkerArgs, "vpcId" | "subnetIds">),
            ...placement,
            cluster: { arn: cluster.arn, name: cluster.name },
            capacity: spec.capacity ?? env.cluster.capacity,
            tags: { ...tags, ...spec.tags, service: name },
        });
        workers.push([name, worker]);
        queueWorkers[name] = { queueUrl: worker.queueUrl, serviceName: worker.serviceName };
    }

    const scheduledTasks: Record<string, pulumi.Output<unknown>> = {};
    for (const [name, spec] of Object.entries(env.scheduledTasks)) {
        const task = new ScheduledTask(`${env.name}-${name}`, {
            ...(spec as Omit<ScheduledTaskArgs, "vpcId" | "subnetIds" | "clusterArn">),
            ...placement,
            clusterArn: cluster.arn,
            tags: { ...tags, ...spec.tags, task: name },
        });
        scheduledTasks[name] = task.schedule.name;
    }
    for (const [name, spec] of Object.entries(env.eventTasks)) {
        const { eventPattern, ...rest } = spec;
        new EventTask(`${env.name}-${name}`, {
            ...(rest as Omit<EventTaskArgs, "vpcId" | "subnetIds" | "clusterArn" | "eventPattern">),
            ...placement,
            clusterArn: cluster.arn,
            eventPattern: JSON.stringify(eventPattern),
            tags: { ...tags, ...spec.tags, task: name },
        });
    }

    let alertsTopicArn: pulumi.Output<string> | undefined;
    if (env.alarms.enabled) {
        const { enabled: _enabled, email, ...thresholds } = env.alarms;
        const alerts = new EnvironmentAlerts(env.name, { clusterArn: cluster.arn, email, tags });
        alertsTopicArn = alerts.topicArn;
        const insights = env.cluster.containerInsights !== "disabled";
        for (const { name, service, loadBalancer: metrics } of web) {
            new ServiceAlarms(`${env.name}-${name}`, {
                ...thresholds,
                topicArn: alerts.topicArn,
                clusterName: cluster.name,
                serviceName: service.serviceName,
                containerInsights: insights,
                loadBalancer: metrics,
                tags,
            });
        }
        for (const [name, worker] of workers) {
            new ServiceAlarms(`${env.name}-${name}`, { ...thresholds, topicArn: alerts.topicArn, clusterName: cluster.name, serviceName: worker.serviceName, containerInsights: insights, tags });
        }
    }
    const dashboard = env.dashboard
        ? createEnvironmentDashboard(`${env.project}-${env.name}`, {
              region,
              clusterName: cluster.name,
              containerInsights: env.cluster.containerInsights !== "disabled",
              services: [
                  // The dashboard graphs the first target group (a blue/green service's traffic may sit in the other).
                  ...web.map(({ name, service, loadBalancer: metrics }) => ({
                      label: name,
                      serviceName: service.serviceName,
                      loadBalancer: metrics ? { arnSuffix: metrics.arnSuffix, targetGroupArnSuffix: metrics.targetGroupArnSuffix } : undefined,
                  })),
                  ...workers.map(([name, worker]) => ({ label: name, serviceName: worker.serviceName })),
              ],
              queues: workers.map(([name, worker]) => ({ label: name, queueName: worker.queueName })),
          })
        : undefined;

    return {
        environment: env.name,
        preset: env.preset,
        vpcId: network.vpcId,
        clusterName: cluster.name,
        clusterArn: cluster.arn,
        ...(loadBalancer ? { url: loadBalancer.url, loadBalancerDnsName: loadBalancer.dnsName } : {}),
        services,
        ...(workers.length ? { queueWorkers } : {}),
        ...(Object.keys(scheduledTasks).length ? { scheduledTasks } : {}),
        ...(alertsTopicArn ? { alertsTopicArn } : {}),
        ...(dashboard ? { dashboardName: dashboard.dashboardName } : {}),
    };
}

/** A service's place in Service Connect: published under its name when called, a client when it calls. */
function serviceConnectArgs(
    name: string,
    spec: ServiceSpec,
    edges: { caller: string; callee: string }[],
    cluster: FargateCluster,
    calls: NonNullable<FargateServiceArgs["serviceConnect"]>["calls"],
): FargateServiceArgs["serviceConnect"] {
    const called = edges.some((e) => e.callee === name);
    if (!called && !edges.some((e) => e.caller === name)) return undefined;
    return {
        namespace: cluster.serviceConnectNamespaceArn!,
        ...(calls && calls.length > 0 ? { calls } : {}),
        ...(called ? { name, appProtocol: spec.serviceConnect?.appProtocol, tls: cluster.serviceConnectTls } : {}),
    };
}

/**
 * The file system the services' volumes are on, when any has one: the stack file's own
 * (`fileSystem.fileSystemId`), or one made for the environment with a mount target in each task
 * subnet (one per Availability Zone), protected, retained and backed up where the preset protects
 * stateful resources.
 */
function environmentFileSystem(env: EnvironmentSpec, network: ReturnType<typeof createNetwork>, tags: Record<string, string>): { fileSystemId: pulumi.Input<string>; securityGroupId?: pulumi.Input<string> } | undefined {
    if (!Object.values(env.services).some((s) => Array.isArray(s.volumes) && s.volumes.length > 0)) return undefined;
    const { fileSystemId, securityGroupId, ...settings } = env.fileSystem;
    if (fileSystemId !== undefined) return { fileSystemId, ...(securityGroupId ? { securityGroupId } : {}) };
    // The mount targets' count must be known now: the VPC's zones, or the subnets the stack file names
    // (the environment refuses volumes in the default VPC, whose subnets it learns only at deploy).
    const n = env.network;
    const count = n.mode === "vpc" ? n.availabilityZones : (network.assignPublicIp ? n.publicSubnetIds : n.privateSubnetIds)?.length ?? 0;
    const subnetIds = Array.from({ length: count }, (_, i) => network.taskSubnetIds.apply((ids) => ids[i]));
    const protect = Object.values(env.services).some((s) => s.protectStatefulResources === true);
    const shared = new SharedFileSystem(env.name, { vpcId: network.vpcId, subnetIds, ...settings, protectStatefulResources: protect, tags });
    return { fileSystemId: shared.fileSystemId, securityGroupId: shared.securityGroupId };
}

function serviceArgs(
    env: EnvironmentSpec,
    name: string,
    spec: ServiceSpec,
    network: ReturnType<typeof createNetwork>,
    cluster: FargateCluster,
    loadBalancer: ServiceListener | undefined,
    balancedCount: number,
    tags: Record<string, string>,
): FargateServiceArgs {
    // calls and serviceConnect are the stack file's words for Service Connect; the component takes its own (serviceConnectArgs).
    // volumes are the stack file's without their file system; the environment adds it (environmentFileSystem).
    const { loadBalancer: target, capacity, calls: _calls, serviceConnect: _connect, volumes: _volumes, ...rest } = spec;
    const balanced = target?.enabled !== false && loadBalancer !== undefined;
    // With alarms on (the prod preset), a deployment that makes the service answer 5xx or fail its
    // health checks is rolled back, not only one whose tasks cannot start.
    const deployment =
        env.alarms.enabled && balanced && spec.deployment?.alarms === undefined
            ? { ...spec.deployment, alarms: { loadBalancerAlarms: true, error5xxPercent: env.alarms.error5xxPercent } }
            : spec.deployment;
    return {
        ...(rest as Omit<FargateServiceArgs, "vpcId" | "subnetIds">),
        ...(deployment ? { deployment: deployment as FargateServiceArgs["deployment"] } : {}),
        vpcId: network.vpcId,
        subnetIds: network.taskSubnetIds,
        assignPublicIp: network.assignPublicIp,
        ipStack: network.ipStack,
        cluster: { arn: cluster.arn, name: cluster.name },
        // Each service states its strategy: ECS reads a cluster's default only when a service is created.
        // A service on Managed Instances has its own provider instead (components/managedInstances.ts).
        capacity: spec.managedInstances ? undefined : (capacity ?? env.cluster.capacity),
        ...(spec.networkLoadBalancer
            ? {
                  networkLoadBalancer: {
                      ...(spec.networkLoadBalancer as Omit<NonNullable<FargateServiceArgs["networkLoadBalancer"]>, "subnetIds">),
                      // Public subnets, internal or not: the same subnets the Application Load Balancer uses.
                      subnetIds: network.publicSubnetIds,
                      deletionProtection: env.loadBalancer.deletionProtection,
                  },
              }
            : {}),
        loadBalancer: balanced
            ? {
                  listenerArn: loadBalancer.listenerArn,
                  securityGroupId: loadBalancer.securityGroupId,
                  rule: target?.rule ?? (balancedCount === 1 ? CATCH_ALL : undefined),
                  healthCheck: target?.healthCheck,
                  deregistrationDelay: target?.deregistrationDelay,
              }
            : { enabled: false },
        tags: { ...tags, ...spec.tags, service: name },
    };
}
