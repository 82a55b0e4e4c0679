/**
 * The task sizes Fargate accepts. A task's `cpu` (CPU units, 1024 = 1 vCPU) and `memory` (MiB)
 * must be one of these pairs, or `RegisterTaskDefinition` fails at deploy time: we check before.
 *
 * Source: AWS ECS developer guide, "Task CPU and memory" (Linux, platform 1.4.0); 8 and 16 vCPU
 * need platform 1.4.0 or later, which `LATEST` is.
 */

const GiB = 1024;

/** Memory sizes (MiB) from `from` to `to` GiB in `step` GiB increments. */
function range(fromGiB: number, toGiB: number, stepGiB: number): number[] {
    const sizes: number[] = [];
    for (let gib = fromGiB; gib <= toGiB; gib += stepGiB) sizes.push(gib * GiB);
    return sizes;
}

/** Valid memory sizes (MiB) for each CPU size. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1, 4, 1),
    1024: range(2, 8, 1),
    2048: range(4, 16, 1),
    4096: range(8, 30, 1),
    8192: range(16, 60, 4),
    16384: range(32, 120, 8),
};

/** A task's CPU when none is given: the smallest size Fargate runs (0.25 vCPU). */
export const DEFAULT_TASK_CPU = 256;

export const FARGATE_CPU_SIZES: readonly number[] = Object.keys(FARGATE_SIZES).map(Number);

export function isFargateCpu(cpu: number): boolean {
    return FARGATE_SIZES[cpu] !== undefined;
}

export function isFargateSize(cpu: number, memory: number): boolean {
    return FARGATE_SIZES[cpu]?.includes(memory) ?? false;
}

/** The memory sizes valid for a CPU size, written compactly for an error message. */
export function describeMemoryFor(cpu: number): string {
    const sizes = FARGATE_SIZES[cpu];
    if (!sizes) return "none";
    if (sizes.length <= 4) return sizes.join(", ");
    const step = sizes[1] - sizes[0];
    return `${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${step}`;
}

/** The smallest memory a CPU size allows (always twice the CPU units): the default when memory is unset. */
export function defaultMemoryFor(cpu: number): number {
    return FARGATE_SIZES[cpu]?.[0] ?? 2 * cpu;
}

/** vCPUs and GB for pricing: Fargate bills per vCPU-hour and per GB-hour. */
export function taskResources(cpu: number, memory: number): { vcpu: number; memoryGb: number } {
    return { vcpu: cpu / 1024, memoryGb: memory / 1024 };
}
