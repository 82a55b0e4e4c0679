import * as pulumi from "@pulumi/pulumi";
import { CapacityProvider } from "@pulumi/aws/ecs/capacityProvider";
import { InstanceProfile } from "@pulumi/aws/iam/instanceProfile";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import type { AcceleratorManufacturer, AcceleratorName, Burstable } from "../core/enums";
import { ecsServiceTrustPolicy } from "../core/iamDocuments";
import { DEFAULT_STORAGE_GIB, INFRASTRUCTURE_POLICY, INSTANCE_POLICY, INSTANCE_ROLE_PREFIX, TaskShape, instanceRequirements } from "../core/managedInstances";
import { awsName } from "../core/names";
import type { AccountContext } from "../core/iamDocuments";

/** GPUs for each task: how many, and of which make and model. */
export interface GpuArgs {
    /**
     * GPUs reserved for each task's main container (1 to 8); only instance types with at least this
     * many are launched.
     * @example
     * ```ts
     * gpu: { count: 1 }
     * ```
     */
    count: number;
    /**
     * The GPU makers allowed.
     * @default ["nvidia"] (the container's GPU reservation is NVIDIA's)
     * @example
     * ```ts
     * gpu: { count: 1, manufacturers: ["nvidia"] }
     * ```
     */
    manufacturers?: AcceleratorManufacturer[];
    /**
     * The GPU models allowed (AWS's names: `t4`, `a10g`, `a100`, `h100`...).
     * @default any model of the allowed makers
     * @example
     * ```ts
     * gpu: { count: 1, names: ["a10g", "t4"] }
     * ```
     */
    names?: AcceleratorName[];
}

/** A minimum and an optional maximum. */
export interface RangeArgs {
    /**
     * The least allowed.
     * @example
     * ```ts
     * { min: 4 }
     * ```
     */
    min: number;
    /**
     * The most allowed.
     * @default no maximum
     * @example
     * ```ts
     * { min: 4, max: 16 }
     * ```
     */
    max?: number;
}

/**
 * EC2 capacity through ECS Managed Instances: AWS launches, patches and replaces the instances
 * (Bottlerocket, no SSH) in the service's subnets and security group, chosen by these requirements.
 */
export interface ManagedInstancesArgs {
    /**
     * GPUs for each task. The main container reserves them; the instances are GPU instances.
     * @default no GPUs
     * @example
     * ```ts
     * gpu: { count: 1, names: ["a10g"] }
     * ```
     */
    gpu?: GpuArgs;
    /**
     * vCPUs of the instance types allowed.
     * @default at least the task's vCPUs
     * @example
     * ```ts
     * vcpu: { min: 4, max: 8 }
     * ```
     */
    vcpu?: RangeArgs;
    /**
     * Memory (MiB) of the instance types allowed.
     * @default at least the task's memory
     * @example
     * ```ts
     * memoryMiB: { min: 16384 }
     * ```
     */
    memoryMiB?: RangeArgs;
    /**
     * The instance types allowed, by name or with wildcards (`g5.*`); at most 400. Name exactly
     * one type to have the plan price it.
     * @default any type that meets the other requirements
     * @example
     * ```ts
     * instanceTypes: ["g5.xlarge"]
     * ```
     */
    instanceTypes?: string[];
    /**
     * Burstable (T-family) instance types: `"included"`, `"excluded"` or `"required"`.
     * @default AWS's default (excluded)
     * @example
     * ```ts
     * burstable: "excluded"
     * ```
     */
    burstable?: Burstable;
    /**
     * The size of each instance's task volume, in GiB (images and container storage).
     * @default 30
     * @example
     * ```ts
     * storageGiB: 100
     * ```
     */
    storageGiB?: number;
}

/** The capacity provider of one service, with the roles ECS and its instances use. */
export interface ManagedInstancesCapacity {
    provider: CapacityProvider;
    infrastructureRole: Role;
    instanceRole: Role;
    instanceProfile: InstanceProfile;
}

/**
 * Creates the infrastructure role (ECS launches and stops instances with it), the instance role and
 * profile (the ECS agent registers with it), and the capacity provider in `clusterName`.
 *
 * The provider is made with `cluster` and is never listed in the cluster's
 * ClusterCapacityProviders: ECS ties a Managed Instances provider to the cluster named at its
 * creation, and PutClusterCapacityProviders refuses one, outright or while it is not yet ACTIVE
 * (hashicorp/terraform-provider-aws#44783, pulumi/pulumi-aws#6061). `clusterName` must be an output
 * that resolves after the cluster's own association (FargateCluster's `name` does), so the two
 * updates of the cluster never race.
 */
export function createManagedInstancesCapacity(
    name: string,
    args: { managedInstances: ManagedInstancesArgs; task: TaskShape; clusterName: pulumi.Input<string>; subnetIds: pulumi.Input<pulumi.Input<string>[]>; securityGroupIds: pulumi.Input<string>[]; account: pulumi.Output<AccountContext> },
    parent: pulumi.Resource,
    tags?: Record<string, string>,
): ManagedInstancesCapacity {
    const policyArn = (policy: string) => args.account.apply((a) => `arn:${a.partition}:iam::aws:policy/${policy}`);
    const infrastructureRole = new Role(
        awsName("iamRole", `${name}-instances-infra`),
        { assumeRolePolicy: JSON.stringify(ecsServiceTrustPolicy()), description: "ECS launches and stops this service's Managed Instances", tags },
        { parent },
    );
    const infrastructurePolicy = new RolePolicyAttachment(`${name}-instances-infra`, { role: infrastructureRole.name, policyArn: policyArn(INFRASTRUCTURE_POLICY) }, { parent });
    // The managed infrastructure policy passes only roles named ecsInstanceRole* to the instances.
    const instanceRole = new Role(
        awsName("iamRole", `${INSTANCE_ROLE_PREFIX}-${name}`),
        {
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] }] }),
            description: "The ECS agent on this service's Managed Instances",
            tags,
        },
        { parent },
    );
    const instancePolicy = new RolePolicyAttachment(`${name}-instances`, { role: instanceRole.name, policyArn: policyArn(INSTANCE_POLICY) }, { parent });
    const instanceProfile = new InstanceProfile(awsName("iamRole", `${INSTANCE_ROLE_PREFIX}-${name}`), { role: instanceRole.name, tags }, { parent });

    const mi = args.managedInstances;
    const provider = new CapacityProvider(
        `${name}-instances`,
        {
            cluster: args.clusterName,
            managedInstancesProvider: {
                infrastructureRoleArn: infrastructureRole.arn,
                propagateTags: "CAPACITY_PROVIDER",
                instanceLaunchTemplate: {
                    ec2InstanceProfileArn: instanceProfile.arn,
                    networkConfiguration: { subnets: args.subnetIds, securityGroups: args.securityGroupIds },
                    storageConfiguration: { storageSizeGib: mi.storageGiB ?? DEFAULT_STORAGE_GIB },
                    instanceRequirements: instanceRequirements(mi, args.task),
                },
            },
            tags,
        },
        // ECS checks the roles' permissions when it creates the provider.
        { parent, dependsOn: [infrastructurePolicy, instancePolicy] },
    );
    return { provider, infrastructureRole, instanceRole, instanceProfile };
}
