/**
 * ECS Managed Instances: EC2 capacity that AWS launches, patches and stops for a cluster, chosen by
 * instance requirements, GPUs included. Pure rules and builders: what a service's
 * `managedInstances` argument becomes (the capacity provider's instance requirements, the
 * container's GPU reservation), what AWS refuses of it, and the instance types the plan can price.
 */

import { AcceleratorManufacturer, Burstable } from "./enums";

const API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference";

/** Where the rules below come from. */
export const MANAGED_INSTANCES_SOURCES = {
    requirements: `${API}/API_InstanceRequirementsRequest.html`,
    provider: `${API}/API_CreateCapacityProvider.html`,
    terraform: "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ecs/capacity_provider.go",
    resourceRequirement: `${API}/API_ResourceRequirement.html`,
    taskCpu: `${API}/API_RegisterTaskDefinition.html`,
    acceleratedTypes: "https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html",
    instanceProfile: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-instances-instance-profile.html",
    infrastructureRole: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/infrastructure_IAM_role.html",
    // PutClusterCapacityProviders refuses a Managed Instances provider: it belongs to the cluster named at its creation.
    clusterScoped: "https://github.com/hashicorp/terraform-provider-aws/issues/44783",
    notActive: "https://github.com/pulumi/pulumi-aws/issues/6061",
} as const;

/** The `requiresCompatibilities` value of a task definition for Managed Instances (ECS's own name). */
export const MANAGED_INSTANCES = "MANAGED_INSTANCES";

/**
 * The AWS managed policies the two roles take. The infrastructure role's policy lets ECS pass only
 * roles named `ecsInstanceRole*` to the instances, so the instance role's name must start so
 * (MANAGED_INSTANCES_SOURCES.instanceProfile).
 */
export const INFRASTRUCTURE_POLICY = "AmazonECSInfrastructureRolePolicyForManagedInstances";
export const INSTANCE_POLICY = "AmazonECSInstanceRolePolicyForManagedInstances";
export const INSTANCE_ROLE_PREFIX = "ecsInstanceRole";

/** GPUs one task may reserve: no EC2 instance type has more than 8 (MANAGED_INSTANCES_SOURCES.acceleratedTypes). */
export const MAX_GPUS_PER_TASK = 8;
/** allowedInstanceTypes: at most 400 names of 1 to 30 letters, digits, `.`, `*` and `-` (the Terraform provider). */
export const MAX_INSTANCE_TYPES = 400;
export const INSTANCE_TYPE_PATTERN = /^[a-zA-Z0-9.*-]{1,30}$/;
/** Task-level CPU on EC2 capacity, Managed Instances included: 128 to 196608 units (RegisterTaskDefinition). */
export const EC2_TASK_CPU = { min: 128, max: 196608 } as const;
/** The root volume of each instance when `storageGiB` is not given. */
export const DEFAULT_STORAGE_GIB = 30;

/**
 * Families with GPUs, from EC2's accelerated computing instance types
 * (MANAGED_INSTANCES_SOURCES.acceleratedTypes, read 2026-11-23). A family added since then is
 * refused with GPUs until it is added here; the message says so.
 */
export const GPU_FAMILIES: readonly string[] = ["g4ad", "g4dn", "g5", "g5g", "g6", "g6e", "gr6", "p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en"];

/** What the plan knows of an instance type: its size and its GPUs (MANAGED_INSTANCES_SOURCES.acceleratedTypes). */
export interface InstanceTypeSpec {
    vcpus: number;
    memoryMiB: number;
    gpus: number;
    gpuName?: string;
}

/** The instance types the plan prices (analysis/data/awsPrices.ts `ec2.<type>.hour`). */
export const KNOWN_INSTANCE_TYPES: Readonly<Record<string, InstanceTypeSpec>> = {
    "g4dn.xlarge": { vcpus: 4, memoryMiB: 16384, gpus: 1, gpuName: "NVIDIA T4" },
    "g5.xlarge": { vcpus: 4, memoryMiB: 16384, gpus: 1, gpuName: "NVIDIA A10G" },
    "g6.xlarge": { vcpus: 4, memoryMiB: 16384, gpus: 1, gpuName: "NVIDIA L4" },
};

/** A minimum and an optional maximum, as AWS's range requests take them. */
export interface Range {
    min: number;
    max?: number;
}

/** A service's `managedInstances`, as the rules read it (numbers and strings only). */
export interface ManagedInstancesSpec {
    gpu?: { count: number; manufacturers?: string[]; names?: string[] };
    vcpu?: Range;
    memoryMiB?: Range;
    instanceTypes?: string[];
    burstable?: string;
    storageGiB?: number;
}

/** The task a capacity provider must fit: CPU units and MiB. */
export interface TaskShape {
    cpu: number;
    memory: number;
}

/** The instance requirements ECS receives (the shape of @pulumi/aws's `instanceRequirements`). */
export interface InstanceRequirements {
    vcpuCount: Range;
    memoryMib: Range;
    acceleratorTypes?: string[];
    acceleratorCount?: Range;
    acceleratorManufacturers?: string[];
    acceleratorNames?: string[];
    allowedInstanceTypes?: string[];
    burstablePerformance?: string;
}

/**
 * The requirements for a service: at least the task's vCPUs and memory unless given, and with GPUs,
 * instance types that have at least the task's GPUs, NVIDIA's unless other makers are named (the
 * container's GPU reservation is NVIDIA's: MANAGED_INSTANCES_SOURCES.resourceRequirement).
 */
export function instanceRequirements(mi: ManagedInstancesSpec, task: TaskShape): InstanceRequirements {
    const requirements: InstanceRequirements = {
        vcpuCount: mi.vcpu ?? { min: Math.max(1, Math.ceil(task.cpu / 1024)) },
        memoryMib: mi.memoryMiB ?? { min: task.memory },
    };
    if (mi.gpu) {
        requirements.acceleratorTypes = ["gpu"];
        requirements.acceleratorCount = { min: mi.gpu.count };
        requirements.acceleratorManufacturers = mi.gpu.manufacturers ?? [AcceleratorManufacturer.Nvidia];
        if (mi.gpu.names) requirements.acceleratorNames = mi.gpu.names;
    }
    if (mi.instanceTypes) requirements.allowedInstanceTypes = mi.instanceTypes;
    if (mi.burstable) requirements.burstablePerformance = mi.burstable;
    return requirements;
}

/** The one instance type the requirements allow, when they name exactly one and no wildcard. */
export function singleInstanceType(allowed: readonly string[] | undefined): string | undefined {
    return allowed?.length === 1 && !allowed[0].includes("*") ? allowed[0] : undefined;
}

/** The family of an instance type name (`g5` of `g5.xlarge`); undefined when it has a wildcard. */
export function instanceFamily(type: string): string | undefined {
    const family = type.split(".")[0];
    return family.includes("*") ? undefined : family;
}

/** How many tasks fit on one instance of a type: by vCPUs, memory and GPUs, whichever runs out first. */
export function tasksPerInstance(spec: InstanceTypeSpec, task: TaskShape, gpus = 0): number {
    const byCpu = Math.floor((spec.vcpus * 1024) / task.cpu);
    const byMemory = Math.floor(spec.memoryMiB / task.memory);
    const byGpu = gpus > 0 ? Math.floor(spec.gpus / gpus) : Infinity;
    return Math.max(0, Math.min(byCpu, byMemory, byGpu));
}

/** Instances needed for `tasks` tasks, `perInstance` on each: ECS places whole tasks on whole instances. */
export function instancesFor(tasks: number, perInstance: number): number {
    return perInstance > 0 ? Math.ceil(tasks / perInstance) : 0;
}

export interface RuleProblem {
    /** Below `managedInstances`. */
    path: (string | number)[];
    message: string;
}

function rangeProblems(range: Range | undefined, key: string): RuleProblem[] {
    // Stryker disable next-line ConditionalExpression: equivalent for the two typeof tests, a comparison with a missing end is false
    if (!range || typeof range.min !== "number" || typeof range.max !== "number") return [];
    return range.min > range.max ? [{ path: [key, "min"], message: `${range.min} is above ${key}.max (${range.max}): AWS needs min ≤ max` }] : [];
}

/**
 * What AWS would refuse, or what could never place the task: ranges upside down, a task larger than
 * the largest instance allowed, GPUs on a family that has none, more GPUs than the one allowed type has.
 */
export function managedInstancesProblems(mi: ManagedInstancesSpec, task: TaskShape): RuleProblem[] {
    const problems = [...rangeProblems(mi.vcpu, "vcpu"), ...rangeProblems(mi.memoryMiB, "memoryMiB")];
    if (typeof mi.vcpu?.max === "number" && task.cpu > mi.vcpu.max * 1024) {
        problems.push({ path: ["vcpu", "max"], message: `${mi.vcpu.max} vCPUs cannot hold the task's ${task.cpu} CPU units (${task.cpu / 1024} vCPU): raise vcpu.max or lower cpu` });
    }
    if (typeof mi.memoryMiB?.max === "number" && task.memory > mi.memoryMiB.max) {
        problems.push({ path: ["memoryMiB", "max"], message: `${mi.memoryMiB.max} MiB cannot hold the task's ${task.memory} MiB: raise memoryMiB.max or lower memory` });
    }
    const types = Array.isArray(mi.instanceTypes) ? mi.instanceTypes : [];
    if (mi.gpu) {
        types.forEach((type, i) => {
            const family = typeof type === "string" ? instanceFamily(type) : undefined;
            if (family !== undefined && !GPU_FAMILIES.includes(family)) {
                problems.push({ path: ["instanceTypes", i], message: `"${type}" has no GPUs (GPU families as of 2026-11-23: ${GPU_FAMILIES.join(", ")}); name a GPU type or leave instanceTypes out` });
            }
        });
    }
    const only = singleInstanceType(types.filter((t) => typeof t === "string"));
    const spec: InstanceTypeSpec | undefined = KNOWN_INSTANCE_TYPES[String(only)];
    if (spec) {
        const gpus = mi.gpu?.count ?? 0;
        if (gpus > spec.gpus) problems.push({ path: ["gpu", "count"], message: `${gpus} is more than the GPUs of ${only} (${spec.gpus})` });
        else if (tasksPerInstance(spec, task, gpus) === 0) {
            problems.push({ path: ["instanceTypes", 0], message: `${only} (${spec.vcpus} vCPU, ${spec.memoryMiB} MiB) is too small for the task's ${task.cpu} CPU units and ${task.memory} MiB` });
        }
    }
    return problems;
}

/** The values a `burstable` argument may take, for messages and schemas. */
export const BURSTABLE_VALUES = Object.values(Burstable);
