/**
 * A stack's resources as the rules, the cost estimate and the deploy-time model read them: type,
 * inputs, parent and which resources each input came from. The offline plan fills it from Pulumi's
 * mock runtime; the policy pack from the engine's own view during `pulumi preview`.
 */

export interface ResourceOptionsSeen {
    protect?: boolean;
    retainOnDelete?: boolean;
    /** True where the view cannot see retainOnDelete: CrossGuard's resource options do not carry it. */
    retainOnDeleteUnseen?: boolean;
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
    deleteBeforeReplace?: boolean;
    /** How long the provider may take to update the resource, as Pulumi's option says it ("45m"). */
    updateTimeout?: string;
}

export interface StackResource {
    urn: string;
    type: string;
    /** The logical name. */
    name: string;
    /** True for provider resources, false for components. */
    custom: boolean;
    parent?: string;
    /** Input properties, with values resolved (placeholders offline; unknown values are undefined in a preview). */
    inputs: Record<string, any>;
    /** For each input property, the URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
    /** Every resource this one waits for. */
    dependencies: string[];
    options: ResourceOptionsSeen;
}

export class StackGraph {
    private readonly byUrn = new Map<string, StackResource>();
    private readonly childrenOf = new Map<string, StackResource[]>();

    constructor(public readonly resources: readonly StackResource[]) {
        for (const r of resources) this.byUrn.set(r.urn, r);
        for (const r of resources) {
            if (!r.parent) continue;
            const list = this.childrenOf.get(r.parent) ?? [];
            list.push(r);
            this.childrenOf.set(r.parent, list);
        }
    }

    get(urn: string): StackResource | undefined {
        return this.byUrn.get(urn);
    }

    ofType(...types: string[]): StackResource[] {
        return this.resources.filter((r) => types.includes(r.type));
    }

    children(resource: StackResource): StackResource[] {
        return this.childrenOf.get(resource.urn) ?? [];
    }

    /** Every resource below `resource` in the component tree. */
    descendants(resource: StackResource): StackResource[] {
        const out: StackResource[] = [];
        const walk = (r: StackResource) => {
            for (const c of this.children(r)) {
                out.push(c);
                walk(c);
            }
        };
        walk(resource);
        return out;
    }

    /** The resources an input property's value came from, of the given types when types are given. */
    referencedBy(resource: StackResource, property: string, ...types: string[]): StackResource[] {
        const urns = resource.propertyDependencies[property] ?? [];
        return urns.map((u) => this.byUrn.get(u)).filter((r): r is StackResource => r !== undefined && (types.length === 0 || types.includes(r.type)));
    }

    /** The resources whose `property` came from `resource`. */
    referencing(resource: StackResource, property: string, ...types: string[]): StackResource[] {
        return this.resources.filter((r) => (types.length === 0 || types.includes(r.type)) && (r.propertyDependencies[property] ?? []).includes(resource.urn));
    }
}

/** Resource type tokens the analyses read. */
export const T = {
    service: "aws:ecs/service:Service",
    fileSystem: "aws:efs/fileSystem:FileSystem",
    mountTarget: "aws:efs/mountTarget:MountTarget",
    accessPoint: "aws:efs/accessPoint:AccessPoint",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    cluster: "aws:ecs/cluster:Cluster",
    clusterCapacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    capacityProvider: "aws:ecs/capacityProvider:CapacityProvider",
    repository: "aws:ecr/repository:Repository",
    lifecyclePolicy: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    repositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    scalableTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    scheduledAction: "aws:appautoscaling/scheduledAction:ScheduledAction",
    natGateway: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    awsxVpc: "awsx:ec2:Vpc",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    egressOnlyGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    bucket: "aws:s3/bucket:Bucket",
    certificate: "aws:acm/certificate:Certificate",
    certificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    image: "docker-build:index:Image",
    queue: "aws:sqs/queue:Queue",
    schedule: "aws:scheduler/schedule:Schedule",
    eventRule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
} as const;

/** Parses a JSON string input, or returns the value when it is already an object. */
export function jsonInput<T>(value: unknown): T | undefined {
    if (typeof value === "string") {
        try {
            return JSON.parse(value) as T;
        } catch {
            return undefined;
        }
    }
    return (value ?? undefined) as T | undefined;
}
