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
import type { HttpNamespace } from "@pulumi/aws/servicediscovery/httpNamespace";
import type { Role } from "@pulumi/aws/iam/role";
import { ServiceConnectTlsArgs, createNamespace, createTlsRole } from "./serviceConnect";

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
     * ECS Service Connect for the cluster's services: one Cloud Map HTTP namespace (named after the
     * cluster, or `namespaceName`), set as the cluster's default, and optionally the role ECS
     * issues TLS certificates with from your AWS Private CA. Cloud Map's HTTP namespace and Service
     * Connect cost nothing by themselves; a Private CA costs $50 a month in short-lived certificate
     * mode ($400 general-purpose), billed where it lives.
     * @default none
     * @example
     * ```ts
     * { serviceConnect: {} }
     * { serviceConnect: { tls: { privateCaArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" } } }
     * ```
     */
    serviceConnect?: ClusterServiceConnectArgs;
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

/** The namespace a cluster creates for Service Connect, and its TLS. */
export interface ClusterServiceConnectArgs {
    /**
     * The namespace's name: 1 to 1024 printable characters, no spaces, no > < " /.
     * @default the cluster component's name
     * @example
     * ```ts
     * { namespaceName: "shop-prod" }
     * ```
     */
    namespaceName?: string;
    /**
     * TLS between the services' proxies, from your AWS Private CA (its ARN); the cluster creates the
     * role ECS issues certificates with. A KMS key of your own wraps their private keys, if given.
     * @default none
     * @example
     * ```ts
     * { tls: { privateCaArn: ca.arn, kmsKeyArn: key.arn } }
     * ```
     */
    tls?: ClusterServiceConnectTlsArgs;
}

/** The Private CA a cluster's Service Connect TLS signs with, and the key that wraps the certificates' keys. */
export interface ClusterServiceConnectTlsArgs {
    /**
     * The AWS Private CA's ARN: `arn:aws:acm-pca:<region>:<account>:certificate-authority/<uuid>`.
     * @example
     * ```ts
     * { privateCaArn: "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0" }
     * ```
     */
    privateCaArn: pulumi.Input<string>;
    /**
     * A customer managed KMS key for the certificates' private keys.
     * @default the AWS managed key
     * @example
     * ```ts
     * { kmsKeyArn: key.arn }
     * ```
     */
    kmsKeyArn?: pulumi.Input<string>;
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
    /** The Service Connect namespace, with `serviceConnect`. */
    public readonly namespace?: HttpNamespace;
    /** The namespace's ARN, for services' `serviceConnect.namespace`, with `serviceConnect`. */
    public readonly serviceConnectNamespaceArn?: pulumi.Output<string>;
    /** The role ECS issues Service Connect certificates with, with `serviceConnect.tls`. */
    public readonly serviceConnectTlsRole?: Role;
    /** What a service's `serviceConnect.tls` takes, with `serviceConnect.tls`. */
    public readonly serviceConnectTls?: ServiceConnectTlsArgs;

    constructor(name: string, args: FargateClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        parseOrThrow(fargateClusterArgsSchema, args, `FargateCluster "${name}"`, "args");
        super(componentType("FargateCluster"), name, args, withPreflight(withFormerTypeAlias("FargateCluster", opts)));
        const connect = args.serviceConnect;
        this.namespace = connect ? createNamespace(name, connect.namespaceName ?? name, this, args.tags) : undefined;
        this.cluster = new Cluster(
            awsName("ecsCluster", name),
            {
                settings: [{ name: "containerInsights", value: args.containerInsights ?? ContainerInsights.Enabled }],
                // Services created without a namespace of their own join this one.
                serviceConnectDefaults: this.namespace ? { namespace: this.namespace.arn } : undefined,
                tags: args.tags,
            },
            { parent: this },
        );
        if (connect?.tls) {
            const tls = createTlsRole(`${name}-service-connect-tls`, this, args.tags);
            this.serviceConnectTlsRole = tls.role;
            // The ARN waits for the policy: ECS checks the role's permissions when a service is created.
            const roleArn = pulumi.all([tls.role.arn, tls.attachment.id]).apply(([arn]) => arn);
            this.serviceConnectTls = { privateCaArn: connect.tls.privateCaArn, roleArn, kmsKeyArn: connect.tls.kmsKeyArn };
        }
        this.serviceConnectNamespaceArn = this.namespace?.arn;
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
        this.registerOutputs({ arn: this.arn, name: this.name, ...(this.namespace ? { serviceConnectNamespaceArn: this.namespace.arn } : {}) });
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
