/**
 * Capacity provider strategies: how ECS splits a service's tasks between Fargate on-demand and
 * Fargate Spot. Used to build the strategy and, from any strategy, to estimate the split for cost.
 */

export const FARGATE = "FARGATE";
export const FARGATE_SPOT = "FARGATE_SPOT";

export interface Capacity {
    /** Tasks placed on FARGATE (on-demand) before the weights apply. */
    fargateBase: number;
    /** Share of the tasks above the base that go to FARGATE. */
    fargateWeight: number;
    /** Share of the tasks above the base that go to FARGATE_SPOT. */
    spotWeight: number;
}

/** One on-demand task always, then half on Spot: survives a Spot shortage, saves on the rest. */
export const DEFAULT_CAPACITY: Capacity = { fargateBase: 1, fargateWeight: 1, spotWeight: 1 };

/** On-demand only: scheduled and event-driven tasks by default, where an interruption costs a run. */
export const ON_DEMAND_ONLY: Capacity = { fargateBase: 0, fargateWeight: 1, spotWeight: 0 };

export interface StrategyItem {
    capacityProvider: string;
    base?: number;
    weight?: number;
}

/**
 * The strategy ECS receives. Providers that would place nothing are left out: ECS rejects a
 * strategy whose listed providers all have weight 0, and a weight-0 provider beside others is unused.
 */
export function capacityStrategy(capacity: Capacity): StrategyItem[] {
    const items: StrategyItem[] = [];
    if (capacity.fargateBase > 0 || capacity.fargateWeight > 0) {
        items.push({ capacityProvider: FARGATE, base: capacity.fargateBase, weight: capacity.fargateWeight });
    }
    if (capacity.spotWeight > 0) {
        items.push({ capacityProvider: FARGATE_SPOT, base: 0, weight: capacity.spotWeight });
    }
    return items;
}

export function strategyUsesSpot(strategy: readonly StrategyItem[]): boolean {
    return strategy.some((item) => item.capacityProvider === FARGATE_SPOT && ((item.weight ?? 0) > 0 || (item.base ?? 0) > 0));
}

export interface TaskSplit {
    onDemand: number;
    spot: number;
}

/**
 * The expected number of tasks on each provider for `tasks` running tasks: bases first, then the
 * rest in proportion to the weights. Fractions are expected values (ECS rounds per placement).
 */
export function splitTasks(strategy: readonly StrategyItem[], tasks: number): TaskSplit {
    const split: TaskSplit = { onDemand: 0, spot: 0 };
    const add = (provider: string, count: number) => {
        if (provider === FARGATE_SPOT) split.spot += count;
        else split.onDemand += count;
    };
    let remaining = tasks;
    for (const item of strategy) {
        const base = Math.min(item.base ?? 0, remaining);
        add(item.capacityProvider, base);
        remaining -= base;
    }
    // What the bases leave goes by weight; with no weight at all (an empty strategy among them), on demand.
    const totalWeight = strategy.reduce((sum, item) => sum + (item.weight ?? 0), 0);
    if (totalWeight > 0) {
        for (const item of strategy) add(item.capacityProvider, (remaining * (item.weight ?? 0)) / totalWeight);
    } else {
        add(FARGATE, remaining);
    }
    return split;
}
