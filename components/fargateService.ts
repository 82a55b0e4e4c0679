import * as pulumi from "@pulumi/pulumi";
import type { Target } from "@pulumi/aws/appautoscaling/target";
import type { MetricAlarm } from "@pulumi/aws/cloudwatch/metricAlarm";
import type { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
import type { SecurityGroup } from "@pulumi/aws/ec2/securityGroup";
import type { Repository } from "@pulumi/aws/ecr/repository";
import type { Cluster } from "@pulumi/aws/ecs/cluster";
import type { Service } from "@pulumi/aws/ecs/service";
import type { TaskDefinition } from "@pulumi/aws/ecs/taskDefinition";
import type { AccessPoint } from "@pulumi/aws/efs/accessPoint";
import type { Role } from "@pulumi/aws/iam/role";
import type { Listener } from "@pulumi/aws/lb/listener";
import type { ListenerRule } from "@pulumi/aws/lb/listenerRule";
import type { LoadBalancer } from "@pulumi/aws/lb/loadBalancer";
import type { TargetGroup } from "@pulumi/aws/lb/targetGroup";
import { STRATEGY_DEFAULTS, ecsStrategyConfiguration, keepsAlternateTargetGroup, shiftsTraffic } from "../core/deploymentStrategy";
import { IpAddressType, IpStack, OutboundTraffic } from "../core/enums";
import { CATCH_ALL_PRIORITY } from "../core/routing";
import { fargateServiceArgsSchema } from "../core/serviceSchema";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { createServiceAutoscaling, resolveScaling } from "./autoscaling";
import { serviceCluster } from "./cluster";
import { componentType, withFormerTypeAlias } from "./componentType";
import { withPreflight } from "./preflight";
import { createDeploymentAlarms } from "./deploymentAlarms";
import { TrafficShift, createTrafficShift, lifecycleHooks } from "./deploymentTraffic";
import { createEcsService } from "./ecsService";
import { createManagedInstancesCapacity } from "./managedInstances";
import type { CapacityProvider } from "@pulumi/aws/ecs/capacityProvider";
import { DEFAULT_TASK_CPU, defaultMemoryFor } from "../core/fargateSizes";
import { connectFileSystems } from "./efsVolumes";
import { FargateServiceArgs, ListenerRuleArgs } from "./fargateServiceArgs";
import { ALARM_DEFAULTS } from "./serviceAlarms";
import { ServiceLoadBalancer } from "./loadBalancer";
import { createNetworkLoadBalancer } from "./networkLoadBalancer";
import { claimListenerRule } from "./listenerClaims";
import { connectLoadBalancer, createListenerRule, createTargetGroup, loadBalancerSuffixOfListener } from "./serviceTarget";
import { CONTAINER_DEFAULTS, createFargateTask } from "./task";
import { createTaskSecurityGroup } from "./taskSecurityGroup";
import { ServiceConnectEndpoint, allowServiceConnectCall, serviceConnectConfiguration } from "./serviceConnect";
import { DEPLOYMENT_DEFAULTS } from "./workloadArgs";

export const SERVICE_DEFAULTS = { desiredCount: 2, ...DEPLOYMENT_DEFAULTS } as const;

/**
 * A containerised service on ECS Fargate, load-balanced or not, with everything it needs:
 * ECR repository (for tags and builds), cluster with Fargate and Fargate Spot capacity, an
 * Application Load Balancer, security groups that admit only the load balancer, least-privilege
 * execution and task roles, a log group with retention, and autoscaling.
 *
 * Every child is reachable through a typed property. Invalid arguments fail at construction,
 * before any resource is registered, with every problem listed.
 *
 * Cost at the defaults (us-east-1, x86, 730 hours): two 0.25 vCPU / 0.5 GB tasks, one on-demand
 * and on average half of the other on Spot, about $13 a month; the load balancer about $16 a
 * month plus traffic. `npm run plan` prints the estimate for any configuration.
 *
 * @example
 * ```ts
 * const web = new FargateService("web", {
 *     vpcId: vpc.vpcId,
 *     subnetIds: vpc.privateSubnetIds,
 *     image: { uri: "public.ecr.aws/nginx/nginx-unprivileged:1.27" },
 *     container: { writablePaths: ["/tmp", "/var/cache/nginx"] },
 *     loadBalancer: { subnetIds: vpc.publicSubnetIds },
 * });
 * export const url = web.url;
 * ```
 */
export class FargateService extends pulumi.ComponentResource {
    /** The ECR repository, when the image is a tag or a build. */
    public readonly repository?: Repository;
    /** The cluster the service created (absent when attached to an existing one). */
    public readonly cluster?: Cluster;
    /** The load balancer the service created: its Application Load Balancer, or its Network Load Balancer with `networkLoadBalancer` (absent when shared or disabled). */
    public readonly loadBalancer?: LoadBalancer;
    /** The listeners of the service's Network Load Balancer, one per port. */
    public readonly networkListeners?: Listener[];
    /** The security group of the service's Network Load Balancer: in from `allowedCidrs` on the listener ports, out to the tasks. */
    public readonly networkLoadBalancerSecurityGroup?: SecurityGroup;
    /** The log group the containers write to. */
    public readonly logGroup: LogGroup;
    /** The role ECS uses to start tasks: image pull, logs, secrets. */
    public readonly executionRole: Role;
    /** The application's own role. */
    public readonly taskRole: Role;
    /** The task definition of the current version. */
    public readonly taskDefinition: TaskDefinition;
    /** The tasks' security group: in from the load balancer only. */
    public readonly securityGroup: SecurityGroup;
    /** The target group, when load-balanced. */
    public readonly targetGroup?: TargetGroup;
    /** The rule on a shared listener, when attached to one; with blue/green, linear or canary, the production rule ECS moves. */
    public readonly listenerRule?: ListenerRule;
    /** The second target group of a blue/green, linear or canary service: production traffic moves between the two. */
    public readonly alternateTargetGroup?: TargetGroup;
    /** The test listener rule of a blue/green, linear or canary service with `deployment.testTraffic`. */
    public readonly testListenerRule?: ListenerRule;
    /** The role ECS assumes to move traffic between the target groups during deployments. */
    public readonly trafficRole?: Role;
    /** The alarm on 5xx answers that fails a deployment, when `deployment.alarms.loadBalancerAlarms` is set. */
    public readonly deployment5xxAlarm?: MetricAlarm;
    /** The alarm on unhealthy targets that fails a deployment, when `deployment.alarms.loadBalancerAlarms` is set. */
    public readonly deploymentUnhealthyAlarm?: MetricAlarm;
    /** The ECS service. */
    public readonly service: Service;
    /** The autoscaling target, when autoscaling is on. */
    public readonly scalableTarget?: Target;
    /** The ECS Managed Instances capacity provider, with `managedInstances`. */
    public readonly capacityProvider?: CapacityProvider;
    /** The role ECS launches and stops the Managed Instances with, with `managedInstances`. */
    public readonly infrastructureRole?: Role;
    /** The role of the Managed Instances themselves (the ECS agent), with `managedInstances`. */
    public readonly instanceRole?: Role;
    /** This service as its Service Connect callers name it (give it in their `serviceConnect.calls`), when it has `serviceConnect.name`. */
    public readonly serviceConnectEndpoint?: ServiceConnectEndpoint;
    /** One EFS access point per volume, in the order of `volumes`. */
    public readonly accessPoints: AccessPoint[];

    /** `https://...` with a certificate, `http://...` without; undefined without an own load balancer. */
    public readonly url: pulumi.Output<string | undefined>;
    /** The ECR repository's URL, when the image is a tag or a build. */
    public readonly repositoryUrl: pulumi.Output<string | undefined>;
    /** The name of the cluster the service runs in. */
    public readonly clusterName: pulumi.Output<string>;
    /** The ARN of the cluster the service runs in. */
    public readonly clusterArn: pulumi.Output<string>;
    /** The ECS service's name. */
    public readonly serviceName: pulumi.Output<string>;
    /** The DNS name of the service's own load balancer, when it has one. */
    public readonly loadBalancerDnsName: pulumi.Output<string | undefined>;
    /** The log group's name, for `aws logs tail`. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The ARN of the application's role, to grant it access elsewhere. */
    public readonly taskRoleArn: pulumi.Output<string>;
    /** The image the main container runs (digest-pinned when built). */
    public readonly imageRef: pulumi.Output<string>;

    constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before registering anything: a mistake must not leave half a service behind.
        parseOrThrow(fargateServiceArgsSchema, args, `FargateService "${name}"`, "args");
        // Rules on a shared listener are judged against the other services' rules on it (AWS would
        // refuse a duplicate priority; a duplicate route or a catch-all would silently starve a service).
        if (args.loadBalancer?.enabled !== false && args.loadBalancer?.listenerArn !== undefined && args.loadBalancer.rule) {
            claimListenerRule(args.loadBalancer.listenerArn, `FargateService "${name}"`, args.loadBalancer.rule, `FargateService "${name}"`);
            // A deployment's test rule takes a priority on the same listener too.
            const test = shiftsTraffic(args.deployment?.strategy) ? args.deployment?.testTraffic : undefined;
            if (test) {
                const rule = args.loadBalancer.rule;
                const testRule = { ...rule, priority: test.priority ?? rule.priority - 1, httpHeader: test.header ?? STRATEGY_DEFAULTS.testTrafficHeader };
                claimListenerRule(args.loadBalancer.listenerArn, `FargateService "${name}" (its test rule)`, testRule, `FargateService "${name}"`, "args.deployment.testTraffic");
            }
        }
        super(componentType("FargateService"), name, args, withPreflight(withFormerTypeAlias("FargateService", opts)));

        const tags = args.tags;
        const lbArgs = args.loadBalancer ?? {};
        const nlbArgs = args.networkLoadBalancer;
        // The Application Load Balancer's path; a service behind a Network Load Balancer takes the other one below.
        const balanced = lbArgs.enabled !== false && nlbArgs === undefined;
        const shared = balanced && lbArgs.listenerArn !== undefined;
        const desiredCount = args.desiredCount ?? SERVICE_DEFAULTS.desiredCount;
        const deployment = { ...SERVICE_DEFAULTS, ...args.deployment };

        const task = createFargateTask(name, args, this, balanced || nlbArgs ? CONTAINER_DEFAULTS.port : undefined, args.serviceConnect?.name !== undefined ? args.serviceConnect.appProtocol : undefined);
        this.repository = task.repository?.repository;
        this.logGroup = task.logGroup;
        this.executionRole = task.executionRole.role;
        this.taskRole = task.taskRole.role;
        this.taskDefinition = task.taskDefinition;

        const placement = serviceCluster(name, args, this);
        this.cluster = placement.created?.cluster;
        const { arn: clusterArn, name: clusterName } = placement;
        let capacityStrategy: { capacityProvider: pulumi.Input<string>; base?: number; weight?: number }[] | undefined = placement.strategy;
        const shifting = balanced && shiftsTraffic(deployment.strategy);
        // Under rolling too when asked: a service back from blue/green keeps the group ECS may serve from.
        const alternate = balanced && keepsAlternateTargetGroup(deployment);
        let shift: TrafficShift | undefined;
        let loadBalancerSuffix: pulumi.Output<string> | undefined;

        const tasks = createTaskSecurityGroup(`${name}-tasks`, args.vpcId, args.outboundTraffic ?? OutboundTraffic.All, this, tags, args.ipStack);
        this.securityGroup = tasks.securityGroup;

        const serviceDependsOn: pulumi.Resource[] = [];
        if (args.managedInstances) {
            const cpu = args.cpu ?? DEFAULT_TASK_CPU;
            const instances = createManagedInstancesCapacity(
                name,
                {
                    managedInstances: args.managedInstances,
                    task: { cpu, memory: args.memory ?? defaultMemoryFor(cpu) },
                    // The cluster's name resolves after its own capacity provider association: the two never race.
                    clusterName,
                    subnetIds: args.subnetIds,
                    securityGroupIds: [tasks.securityGroup.id],
                    account: task.account,
                },
                this,
                tags,
            );
            this.capacityProvider = instances.provider;
            this.infrastructureRole = instances.infrastructureRole;
            this.instanceRole = instances.instanceRole;
            // The service names the provider, so it is created after it and deleted before it.
            capacityStrategy = [{ capacityProvider: instances.provider.name, base: 0, weight: 1 }];
            serviceDependsOn.push(instances.provider);
        }

        let loadBalancer: ServiceLoadBalancer | undefined;
        this.accessPoints = task.efs?.accessPoints ?? [];
        // Tasks that start before NFS is let through fail to mount and stop.
        if (args.volumes && args.volumes.length > 0) {
            const restricted = (args.outboundTraffic ?? OutboundTraffic.All) === OutboundTraffic.Https;
            serviceDependsOn.push(...connectFileSystems(name, args.volumes, tasks.securityGroup.id, restricted, this, tags));
        }
        if (balanced) {
            const port = task.port ?? CONTAINER_DEFAULTS.port;
            this.targetGroup = createTargetGroup(
                name,
                { vpcId: args.vpcId, port, healthCheck: lbArgs.healthCheck, deregistrationDelay: lbArgs.deregistrationDelay, ipv6Targets: args.ipStack === IpStack.Ipv6 },
                this,
                tags,
            );
            let lbSecurityGroupId: pulumi.Input<string>;
            const trafficShift = (listenerArn: pulumi.Input<string>, rule: ListenerRuleArgs) =>
                createTrafficShift(
                    name,
                    {
                        vpcId: args.vpcId,
                        port,
                        healthCheck: lbArgs.healthCheck,
                        deregistrationDelay: lbArgs.deregistrationDelay,
                        ipv6Targets: args.ipStack === IpStack.Ipv6,
                        listenerArn,
                        rule,
                        targetGroup: this.targetGroup!,
                        testTraffic: shifting ? deployment.testTraffic : undefined,
                    },
                    this,
                    tags,
                );
            if (shared) {
                if (alternate) shift = trafficShift(lbArgs.listenerArn!, lbArgs.rule!);
                this.listenerRule = shift ? shift.productionRule : createListenerRule(name, lbArgs.listenerArn!, lbArgs.rule!, this.targetGroup.arn, this, tags);
                lbSecurityGroupId = lbArgs.securityGroupId!;
                serviceDependsOn.push(this.listenerRule);
                loadBalancerSuffix = pulumi.output(lbArgs.listenerArn!).apply(loadBalancerSuffixOfListener);
            } else {
                loadBalancer = new ServiceLoadBalancer(
                    name,
                    {
                        vpcId: args.vpcId,
                        // The service's schema refused a new load balancer without subnets.
                        subnetIds: lbArgs.subnetIds!,
                        internal: lbArgs.internal,
                        allowedCidrs: lbArgs.allowedCidrs,
                        certificateArn: lbArgs.certificateArn,
                        domain: lbArgs.domain,
                        https: lbArgs.https,
                        sslPolicy: lbArgs.sslPolicy,
                        accessLogs: lbArgs.accessLogs,
                        deletionProtection: lbArgs.deletionProtection,
                        idleTimeout: lbArgs.idleTimeout,
                        // IPv6 targets need a dual-stack load balancer (the schema refused "ipv4" with them).
                        ipAddressType: lbArgs.ipAddressType ?? (args.ipStack === IpStack.Ipv6 ? IpAddressType.Dualstack : undefined),
                        defaultTargetGroupArn: this.targetGroup.arn,
                        protectStatefulResources: args.protectStatefulResources,
                        tags,
                    },
                    { parent: this },
                );
                this.loadBalancer = loadBalancer.loadBalancer;
                lbSecurityGroupId = loadBalancer.securityGroupId;
                // ECS refuses a target group that no listener uses yet.
                serviceDependsOn.push(loadBalancer.httpListener, ...(loadBalancer.httpsListener ? [loadBalancer.httpsListener] : []));
                loadBalancerSuffix = loadBalancer.arnSuffix;
                // ECS moves traffic through a listener rule, not a listener's default action: the service takes all of its own listener's traffic through one.
                if (alternate) {
                    shift = trafficShift(loadBalancer.listenerArn, { priority: CATCH_ALL_PRIORITY, pathPatterns: ["/*"] });
                    this.listenerRule = shift.productionRule;
                    serviceDependsOn.push(shift.productionRule);
                }
            }
            if (shift) {
                this.alternateTargetGroup = shift.alternateTargetGroup;
                this.testListenerRule = shift.testRule;
                this.trafficRole = shift.role;
                // ECS checks the role's permissions when the service is created or updated.
                serviceDependsOn.push(shift.rolePolicy, ...(shift.testRule ? [shift.testRule] : []));
            }
            connectLoadBalancer(name, lbSecurityGroupId, tasks.securityGroup.id, port, this, tags);
        } else if (nlbArgs) {
            const port = task.port ?? CONTAINER_DEFAULTS.port;
            const nlb = createNetworkLoadBalancer(name, { ...nlbArgs, vpcId: args.vpcId, port, ipv6Targets: args.ipStack === IpStack.Ipv6 }, this, tags);
            this.loadBalancer = nlb.loadBalancer;
            this.targetGroup = nlb.targetGroup;
            this.networkListeners = nlb.listeners;
            this.networkLoadBalancerSecurityGroup = nlb.securityGroup;
            // ECS refuses a target group that no listener uses yet.
            serviceDependsOn.push(...nlb.listeners);
            // The tasks admit the load balancer's group only, on the container port, with client IP preservation on or off.
            connectLoadBalancer(name, nlb.securityGroup.id, tasks.securityGroup.id, port, this, tags);
        }

        const hooks = shifting && deployment.lifecycleHooks ? lifecycleHooks(name, deployment.lifecycleHooks, this, tags) : undefined;
        if (hooks?.policy) serviceDependsOn.push(hooks.policy);
        const alarmNames: pulumi.Input<string>[] = [...(deployment.alarms?.alarmNames ?? [])];
        if (deployment.alarms?.loadBalancerAlarms && this.targetGroup && loadBalancerSuffix) {
            const targets = [this.targetGroup, ...(this.alternateTargetGroup ? [this.alternateTargetGroup] : [])].map((tg) => ({ LoadBalancer: loadBalancerSuffix!, TargetGroup: tg.arnSuffix }));
            const gates = createDeploymentAlarms(name, targets, deployment.alarms.error5xxPercent ?? ALARM_DEFAULTS.error5xxPercent, this, tags);
            this.deployment5xxAlarm = gates.errors;
            this.deploymentUnhealthyAlarm = gates.unhealthy;
            alarmNames.push(gates.errors.name, gates.unhealthy.name);
        }

        // The main port (given, or the load balancer's default): what Service Connect publishes.
        const containerPort = task.port;
        const connect = args.serviceConnect;
        for (const callee of connect?.calls ?? []) {
            const rules = allowServiceConnectCall(`${name}-calls-${callee.name}`, { securityGroup: tasks.securityGroup, name: connect?.name ?? name, outboundTraffic: args.outboundTraffic }, callee, this, tags);
            // ECS gives a task only the endpoints that exist when it starts: the caller's service
            // waits for the rule, which waits for the callee's service (its endpoint, below).
            serviceDependsOn.push(rules.ingress, ...(rules.egress ? [rules.egress] : []));
        }

        const scaling = resolveScaling(args.scaling, desiredCount);
        this.service = createEcsService(
            name,
            {
                clusterArn,
                taskDefinitionArn: task.taskDefinition.arn,
                desiredCount,
                capacityStrategy,
                strategy: ecsStrategyConfiguration(shifting ? deployment : { ...deployment, strategy: undefined }),
                advancedConfiguration: shift?.advancedConfiguration,
                lifecycleHooks: hooks?.hooks,
                alarms: alarmNames.length > 0 ? { alarmNames, rollback: deployment.alarms?.rollback ?? true } : undefined,
                subnetIds: args.subnetIds,
                securityGroupIds: [tasks.securityGroup.id],
                assignPublicIp: args.assignPublicIp ?? false,
                target: this.targetGroup
                    ? { targetGroupArn: this.targetGroup.arn, port: task.port ?? CONTAINER_DEFAULTS.port, healthCheckGracePeriod: deployment.healthCheckGracePeriod }
                    : undefined,
                minHealthyPercent: deployment.minHealthyPercent,
                maxPercent: deployment.maxPercent,
                waitForSteadyState: deployment.waitForSteadyState,
                enableExecuteCommand: args.enableExecuteCommand ?? false,
                scaled: scaling !== undefined,
                serviceConnect: connect ? serviceConnectConfiguration(connect, containerPort, task.logGroup.name, task.account.region) : undefined,
                tags,
            },
            this,
            serviceDependsOn,
        );

        if (connect?.name !== undefined && containerPort !== undefined) {
            // The group's ID, known once the service (and so its endpoint in the namespace) exists:
            // what a caller's rule is made from, so callers start after their callees
            // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html).
            const securityGroupId = pulumi.all([tasks.securityGroup.id, this.service.id]).apply(([id]) => id);
            this.serviceConnectEndpoint = { name: connect.name, securityGroupId, port: containerPort };
        }

        if (scaling) {
            const autoscaling = createServiceAutoscaling(
                name,
                scaling,
                { clusterName, serviceName: this.service.name },
                this.targetGroup && loadBalancerSuffix
                    ? { loadBalancer: loadBalancerSuffix, targetGroups: [this.targetGroup, ...(this.alternateTargetGroup ? [this.alternateTargetGroup] : [])].map((tg) => tg.arnSuffix) }
                    : undefined,
                this,
                tags,
            );
            this.scalableTarget = autoscaling.target;
        }

        this.url = loadBalancer ? loadBalancer.url : pulumi.output(undefined);
        this.repositoryUrl = task.repository ? task.repository.repositoryUrl : pulumi.output(undefined);
        this.clusterName = clusterName;
        this.clusterArn = clusterArn;
        this.serviceName = this.service.name;
        this.loadBalancerDnsName = this.loadBalancer ? this.loadBalancer.dnsName : pulumi.output(undefined);
        this.logGroupName = task.logGroup.name;
        this.taskRoleArn = task.taskRole.role.arn;
        this.imageRef = task.imageRef;
        this.registerOutputs({
            url: this.url,
            repositoryUrl: this.repositoryUrl,
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            serviceName: this.serviceName,
            loadBalancerDnsName: this.loadBalancerDnsName,
            logGroupName: this.logGroupName,
            taskRoleArn: this.taskRoleArn,
            imageRef: this.imageRef,
        });
    }
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const fargateServiceArgsChecked: EveryArgumentChecked<FargateServiceArgs, typeof fargateServiceArgsSchema.shape> = true;
