/**
 * Application Auto Scaling's rules for the steps of a step scaling policy. Bounds are relative to
 * the alarm's threshold (metric − threshold). Above the threshold a step covers
 * [lower, upper); below it, (lower, upper]. Null is unbounded.
 *
 * Rules (StepAdjustment, API reference): steps must not overlap or leave a gap; at most one step
 * has a null lower bound, at most one a null upper bound, never both in one step; a negative lower
 * bound needs a step with a null lower bound, a positive upper bound one with a null upper bound.
 * https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html
 *
 * And the one that stops a policy silently: when the alarm fires, the metric must fall in a step,
 * or the scaling activity fails with "No step adjustment found for metric value"
 * (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html).
 * So every value the alarm fires on must be in exactly one step.
 */

export type AlarmComparison = "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanOrEqualToThreshold" | "LessThanThreshold";

export interface StepBounds {
    /** metric − threshold at which the step starts; undefined is −∞. */
    lower?: number;
    /** metric − threshold at which the step ends; undefined is +∞. */
    upper?: number;
}

export const STEP_ADJUSTMENT_SOURCE = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_StepAdjustment.html";

const isAbove = (comparison: AlarmComparison) => comparison.startsWith("Greater");

/** Whether a metric at `offset` (metric − threshold) falls in the step, as Application Auto Scaling matches it. */
export function stepMatches(step: StepBounds, offset: number, comparison: AlarmComparison): boolean {
    const lower = step.lower ?? -Infinity;
    const upper = step.upper ?? Infinity;
    return isAbove(comparison) ? offset >= lower && offset < upper : offset > lower && offset <= upper;
}

/** Whether the alarm fires with the metric at `offset` from its threshold. */
export function alarmFires(comparison: AlarmComparison, offset: number): boolean {
    switch (comparison) {
        case "GreaterThanOrEqualToThreshold":
            return offset >= 0;
        case "GreaterThanThreshold":
            return offset > 0;
        case "LessThanOrEqualToThreshold":
            return offset <= 0;
        case "LessThanThreshold":
            return offset < 0;
    }
}

/**
 * What is wrong with `steps` for an alarm with this comparison: AWS's rules, then any value the
 * alarm fires on that no step takes. Empty when every such value falls in exactly one step.
 */
export function stepAdjustmentProblems(steps: StepBounds[], comparison: AlarmComparison): string[] {
    const problems: string[] = [];
    if (steps.length === 0) return ["has no step adjustment"];
    const shown = (s: StepBounds) => `[${s.lower ?? "null"}, ${s.upper ?? "null"}]`;
    for (const s of steps) {
        if (s.lower === undefined && s.upper === undefined) problems.push(`step ${shown(s)} has neither bound: AWS refuses it`);
        else if (s.lower !== undefined && s.upper !== undefined && !(s.lower < s.upper)) problems.push(`step ${shown(s)} has a lower bound not below its upper bound`);
    }
    if (steps.filter((s) => s.lower === undefined).length > 1) problems.push("more than one step has a null lower bound");
    if (steps.filter((s) => s.upper === undefined).length > 1) problems.push("more than one step has a null upper bound");
    if (steps.some((s) => s.lower !== undefined && s.lower < 0) && !steps.some((s) => s.lower === undefined)) {
        problems.push("a step has a negative lower bound but none has a null lower bound");
    }
    if (steps.some((s) => s.upper !== undefined && s.upper > 0) && !steps.some((s) => s.upper === undefined)) {
        problems.push("a step has a positive upper bound but none has a null upper bound");
    }
    if (problems.length > 0) return problems;

    const sorted = [...steps].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity));
    for (let i = 1; i < sorted.length; i++) {
        const before = sorted[i - 1].upper ?? Infinity;
        const after = sorted[i].lower ?? -Infinity;
        if (before < after) problems.push(`a gap between ${before} and ${after}: no step takes a metric there`);
        if (before > after) problems.push(`steps ${shown(sorted[i - 1])} and ${shown(sorted[i])} overlap`);
    }
    if (problems.length > 0) return problems;

    // Contiguous steps cover one interval: [lowest, highest) above the threshold, (lowest, highest] below.
    // It must hold every value the alarm fires on.
    const lowest = sorted[0].lower ?? -Infinity;
    const highest = sorted[sorted.length - 1].upper ?? Infinity;
    if (isAbove(comparison)) {
        if (lowest > 0) problems.push(`the alarm fires from the threshold up, but the first step starts ${lowest} above it`);
        if (highest !== Infinity) problems.push(`the alarm fires at any value above the threshold, but the last step ends ${highest} above it (it needs a null upper bound)`);
    } else {
        if (highest < 0) problems.push(`the alarm fires up to the threshold, but the last step ends ${-highest} below it`);
        if (lowest !== -Infinity) {
            problems.push(`the alarm fires at any value below the threshold${comparison === "LessThanOrEqualToThreshold" ? " and at it" : ""}, but no step takes a value at or below ${lowest} (the first step needs a null lower bound)`);
        }
    }
    return problems;
}

/**
 * The one step that takes every value an alarm with this comparison fires on: from the threshold
 * up for an alarm above it, from the threshold down for one below it. (A lower bound of 0 on a
 * `<=` alarm takes nothing at the threshold: the step of a scale-in to zero never ran.)
 */
export function wholeRangeStep(comparison: AlarmComparison): StepBounds {
    return isAbove(comparison) ? { lower: 0 } : { upper: 0 };
}
