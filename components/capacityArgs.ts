/**
 * How tasks are spread over FARGATE and FARGATE_SPOT: read by the cluster (its default strategy)
 * and by every workload (its own strategy). A file of its own so that neither imports the other.
 */

/** How tasks split between Fargate on-demand and Fargate Spot. */
export interface CapacityArgs {
    /**
     * Tasks that always run on on-demand FARGATE before the weights apply: capacity that a Spot
     * shortage cannot take away (Spot tasks are not replaced by on-demand ones when Spot runs out).
     * @default 1
     * @example
     * ```ts
     * { fargateBase: 2 }
     * ```
     */
    fargateBase?: number;
    /**
     * The share of tasks above the base that run on on-demand FARGATE (0 to 1000).
     * @default 1
     * @example
     * ```ts
     * { fargateWeight: 0 }
     * ```
     */
    fargateWeight?: number;
    /**
     * The share of tasks above the base that run on FARGATE_SPOT (0 to 1000): up to 70% cheaper,
     * stopped with two minutes' notice when AWS needs the capacity back. X86_64, and ARM64 on platform 1.4.0+.
     * @default 1
     * @example
     * ```ts
     * { spotWeight: 3 }
     * ```
     */
    spotWeight?: number;
}
