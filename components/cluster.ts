import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "@pulumi/aws/ecs/cluster";
import { ClusterCapacityProviders } from "@pulumi/aws/ecs/clusterCapacityProviders";
import { Capacity, DEFAULT_CAPACITY, FARGATE, FARGATE_SPOT, StrategyItem, capacityStrategy } from "../core/capacity";
import { Architecture, ContainerInsights } from "../core/enums";
import { fargateClusterArgsSchema } from "../core/componentSchemas";
import { EveryArgumentChecked, parseOrThrow } from "../core/validation";
import { componentType, withFormerTypeAlias } from "./componentType";
import type { CapacityArgs } from "./capacityArgs";
import { withPreflight } from "./preflight";
import type { ClusterAttachmentArgs } from "./workloadArgs";
import { awsName } from "../core/names";

export function resolveCapacity(args: CapacityArgs | undefined, fallback: Capacity = DEFAULT_CAPACITY): Capacity {
    return {
        fargateBase: args?.fargateBase ?? fallback.fargateBase,
        fargateWeight: args?.fargateWeight ?? fallback.fargateWeight,
        spotWeight: args?.spotWeight ?? fallback.spotWeight,
    };
}

/** A cluster for Fargate services and tasks. */
export interface FargateClusterArgs {
    /**
     * CloudWatch Container Insights (Security Hub ECS.12). Its metrics are billed as CloudWatch custom metrics.
     * @default "enabled"
     * @example
     * ```ts
     * { containerInsights: "disabled" }
     * ```
     */
    containerInsights?: ContainerInsights;
    /**
     * The default capacity provider strategy, for tasks and services that do not set their own.
     * @default `{ fargateBase: 1, fargateWeight: 1, spotWeight: 1 }`
     * @example
     * ```ts
     * { capacity: { fargateBase: 0, fargateWeight: 0, spotWeight: 1 } }
     * ```
     */
    capacity?: CapacityArgs;
    /**
     * Tags for the cluster.
     * @default {}
     * @example
     * ```ts
     * { tags: { environment: "prod" } }
     * ```
     */
    tags?: Record<string, string>;
}

/**
 * An ECS cluster with both Fargate capacity providers registered and a default strategy, so
 * services can use Spot without anything else to set up. Share one between services.
 */
export class FargateCluster extends pulumi.ComponentResource {
    public readonly cluster: Cluster;
    public readonly capacityProviders: ClusterCapacityProviders;
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: FargateClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(fargateClusterArgsSchema, args, `FargateCluster "${name}"`, "args");
        super(componentType("FargateCluster"), name, args, withPreflight(withFormerTypeAlias("FargateCluster", opts)));
        this.cluster = new Cluster(
            awsName("ecsCluster", name),
            {
                settings: [{ name: "containerInsights", value: args.containerInsights ?? ContainerInsights.Enabled }],
                tags: args.tags,
            },
            { parent: this },
        );
        const strategy = capacityStrategy(resolveCapacity(args.capacity));
        this.capacityProviders = new ClusterCapacityProviders(
            name,
            {
                clusterName: this.cluster.name,
                capacityProviders: [FARGATE, FARGATE_SPOT],
                defaultCapacityProviderStrategies: strategy,
            },
            { parent: this },
        );
        // The cluster's ARN and name as outputs that also depend on the capacity provider association:
        // a service using them is created after the association (or a Spot strategy is refused) and
        // deleted before it (or ECS answers "capacity provider is in use").
        const associated = <T>(value: pulumi.Output<T>) => pulumi.all([value, this.capacityProviders.id]).apply(([v]) => v);
        this.arn = associated(this.cluster.arn);
        this.name = associated(this.cluster.name);
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}

/** Where a service runs: its cluster (attached or created) and its own strategy, if it has one. */
export interface ServiceCluster {
    arn: pulumi.Output<string>;
    name: pulumi.Output<string>;
    /** The service's own strategy; undefined follows the cluster's default. */
    strategy?: StrategyItem[];
    /** The cluster created for the service, when it was not given one. */
    created?: FargateCluster;
}

/**
 * Attaches a service to the given cluster, or creates one for it. ARM64 and X86_64 tasks alike may
 * follow a cluster's default strategy, Spot included: FARGATE_SPOT runs ARM64 on platform 1.4.0+
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html).
 */
export function serviceCluster(
    name: string,
    args: { architecture?: Architecture; capacity?: CapacityArgs; cluster?: ClusterAttachmentArgs; tags?: Record<string, string> },
    parent: pulumi.Resource,
): ServiceCluster {
    const capacity = args.capacity !== undefined || args.cluster?.arn === undefined ? resolveCapacity(args.capacity, DEFAULT_CAPACITY) : undefined;
    const strategy = capacity ? capacityStrategy(capacity) : undefined;
    if (args.cluster?.arn !== undefined && args.cluster.name !== undefined) {
        return { arn: pulumi.output(args.cluster.arn), name: pulumi.output(args.cluster.name), strategy };
    }
    const created = new FargateCluster(name, { containerInsights: args.cluster?.containerInsights ?? ContainerInsights.Enabled, capacity, tags: args.tags }, { parent });
    return { arn: created.arn, name: created.name, strategy, created };
}

/** Every argument has its rule in the schema: adding one without it does not compile. */
const fargateClusterArgsChecked: EveryArgumentChecked<FargateClusterArgs, typeof fargateClusterArgsSchema.shape> = true;
