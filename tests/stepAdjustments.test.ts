import * as assert from "node:assert/strict";
import fc from "fast-check";
import {
    AlarmComparison,
    StepBounds,
    alarmFires,
    stepAdjustmentProblems,
    stepMatches,
    wholeRangeStep,
} from "../core/aws/stepAdjustments";
import type { PlanDocument } from "../plan/plan";
import { projectRoot, stackDirectory } from "./planFixtures";

const COMPARISONS: AlarmComparison[] = ["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanOrEqualToThreshold", "LessThanThreshold"];

/** Offsets worth probing for a step set: every bound, just beside it, between bounds, far out. */
function probes(steps: StepBounds[]): number[] {
    const bounds = steps.flatMap((s) => [s.lower, s.upper]).filter((b): b is number => b !== undefined);
    const points = new Set<number>([0, 1e-6, -1e-6, 1e9, -1e9]);
    for (const b of bounds) for (const d of [0, 1e-6, -1e-6]) points.add(b + d);
    const sorted = [...bounds].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) points.add((sorted[i - 1] + sorted[i]) / 2);
    return [...points];
}

/** The steps and alarms of a planned step policy, paired through the alarm's action. */
type Planned = PlanDocument["resources"][number];

/** The offline engine's placeholder ARN of a resource ends with its name and a random suffix. */
const isArnOf = (arn: string, resource: Planned) => (arn.split(":").pop() ?? "").startsWith(`${resource.name}-`);

function stepPolicies(plan: PlanDocument): { policy: Planned; comparison: AlarmComparison; steps: StepBounds[] }[] {
    const policies = plan.resources.filter((r) => r.type === "aws:appautoscaling/policy:Policy" && r.inputs.policyType === "StepScaling");
    const alarms = plan.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    return policies.map((policy) => {
        const alarm = alarms.find((a) => ((a.inputs.alarmActions as string[] | undefined) ?? []).some((arn) => isArnOf(arn, policy)));
        assert.ok(alarm, `no alarm drives ${policy.name}`);
        const config = policy.inputs.stepScalingPolicyConfiguration as { stepAdjustments: { metricIntervalLowerBound?: string; metricIntervalUpperBound?: string }[] };
        return {
            policy,
            comparison: alarm.inputs.comparisonOperator as AlarmComparison,
            steps: config.stepAdjustments.map((s) => ({
                lower: s.metricIntervalLowerBound === undefined ? undefined : Number(s.metricIntervalLowerBound),
                upper: s.metricIntervalUpperBound === undefined ? undefined : Number(s.metricIntervalUpperBound),
            })),
        };
    });
}

const bound = fc.option(fc.integer({ min: -20, max: 20 }), { nil: undefined });
const stepSets = fc.array(fc.record({ lower: bound, upper: bound }), { minLength: 1, maxLength: 5 });

describe("step scaling adjustments (Application Auto Scaling's rules)", () => {
    it("finds no step for the metric at the threshold of a <= alarm with a lower bound of 0", () => {
        const problems = stepAdjustmentProblems([{ lower: 0 }], "LessThanOrEqualToThreshold");
        assert.ok(problems.length > 0);
        assert.equal(stepMatches({ lower: 0 }, 0, "LessThanOrEqualToThreshold"), false, "AWS: below the threshold the lower bound is exclusive");
    });

    it("accepts the examples of AWS's StepAdjustment reference", () => {
        // Threshold 50: [50, 60) is lower 0, upper 10; (40, 50] is lower -10, upper 0.
        assert.ok(stepMatches({ lower: 0, upper: 10 }, 0, "GreaterThanOrEqualToThreshold"));
        assert.ok(!stepMatches({ lower: 0, upper: 10 }, 10, "GreaterThanOrEqualToThreshold"));
        assert.ok(stepMatches({ lower: -10, upper: 0 }, 0, "LessThanOrEqualToThreshold"));
        assert.ok(!stepMatches({ lower: -10, upper: 0 }, -10, "LessThanOrEqualToThreshold"));
        assert.deepEqual(stepAdjustmentProblems([{ lower: 0, upper: 10 }, { lower: 10 }], "GreaterThanOrEqualToThreshold"), []);
        assert.deepEqual(stepAdjustmentProblems([{ upper: -10 }, { lower: -10, upper: 0 }], "LessThanOrEqualToThreshold"), []);
    });

    it("refuses gaps, overlaps, two open ends on one side and a step with no bound", () => {
        const above = "GreaterThanOrEqualToThreshold";
        assert.match(stepAdjustmentProblems([{ lower: 0, upper: 5 }, { lower: 10 }], above).join(), /gap/);
        assert.match(stepAdjustmentProblems([{ lower: 0, upper: 10 }, { lower: 5 }], above).join(), /overlap/);
        assert.match(stepAdjustmentProblems([{ lower: 0 }, { lower: 5 }], above).join(), /null upper bound/);
        assert.match(stepAdjustmentProblems([{}], above).join(), /neither bound/);
        assert.match(stepAdjustmentProblems([{ lower: 0, upper: 10 }], above).join(), /null upper bound/);
    });

    for (const comparison of COMPARISONS) {
        it(`gives a ${comparison} alarm one step that takes every value it fires on`, () => {
            const step = wholeRangeStep(comparison);
            assert.deepEqual(stepAdjustmentProblems([step], comparison), []);
            fc.assert(
                fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (offset) => {
                    if (alarmFires(comparison, offset)) assert.ok(stepMatches(step, offset, comparison), `offset ${offset}`);
                }),
            );
            for (const offset of [0, 1e-9, -1e-9]) if (alarmFires(comparison, offset)) assert.ok(stepMatches(step, offset, comparison), `offset ${offset}`);
        });
    }

    it("passes a step set exactly when every value the alarm fires on falls in exactly one step (generated step sets)", () => {
        fc.assert(
            fc.property(stepSets, fc.constantFrom(...COMPARISONS), (steps, comparison) => {
                const problems = stepAdjustmentProblems(steps, comparison);
                const firing = probes(steps).filter((offset) => alarmFires(comparison, offset));
                const exactlyOne = firing.every((offset) => steps.filter((s) => stepMatches(s, offset, comparison)).length === 1);
                const wellFormed = steps.every((s) => (s.lower !== undefined || s.upper !== undefined) && (s.lower === undefined || s.upper === undefined || s.lower < s.upper));
                if (problems.length === 0) assert.ok(exactlyOne && wellFormed, `accepted ${JSON.stringify(steps)} for ${comparison}`);
                // Every firing value covered once by well-formed steps: only AWS's structural rules (which also
                // hold outside the firing range) may still object.
                if (exactlyOne && wellFormed && problems.length > 0) {
                    assert.ok(problems.every((p) => /null (lower|upper) bound|gap|overlap/.test(p)), `refused ${JSON.stringify(steps)} for ${comparison}: ${problems}`);
                }
                // A firing value in no step or in two is always refused.
                if (!exactlyOne) assert.ok(problems.length > 0, `accepted ${JSON.stringify(steps)} for ${comparison}`);
            }),
            { numRuns: 2000 },
        );
    });

    for (const [label, make] of [
        ["the dev plan", (planStack: typeof import("../plan/plan").planStack) => planStack(projectRoot, "dev")],
        [
            "a plan with a backlog worker that stops at zero",
            (planStack: typeof import("../plan/plan").planStack) =>
                planStack(
                    stackDirectory("zero", `aws:region: eu-west-1
fargate-service:preset: dev
fargate-service:cluster:
  containerInsights: enabled
fargate-service:queueWorkers:
  jobs:
    image: { uri: "public.ecr.aws/docker/library/busybox:1.37" }
    scaling: { min: 0, max: 3, policy: backlogPerTask }`),
                    "zero",
                ),
        ],
    ] as const) {
        it(`gives every step policy of ${label} a step for every value its alarm fires on`, async () => {
            const { planStack } = await import("../plan/plan");
            const found = stepPolicies(await make(planStack));
            assert.ok(found.length >= 1, "the plan has step policies");
            for (const { policy, comparison, steps } of found) assert.deepEqual(stepAdjustmentProblems(steps, comparison), [], `${policy.name} (${comparison})`);
        });
    }
});

describe("step scaling adjustments: each of AWS's rules in its own words", () => {
    const G = "GreaterThanOrEqualToThreshold" as const;
    const L = "LessThanOrEqualToThreshold" as const;
    const cases: [string, Parameters<typeof stepAdjustmentProblems>[0], Parameters<typeof stepAdjustmentProblems>[1], string[]][] = [
        ["no step", [], G, ["has no step adjustment"]],
        ["a step whose bounds are equal", [{ lower: 5, upper: 5 }, { lower: 5 }], G, ["step [5, 5] has a lower bound not below its upper bound"]],
        ["a step upside down", [{ lower: 6, upper: 5 }], G, ["step [6, 5] has a lower bound not below its upper bound", "a step has a positive upper bound but none has a null upper bound"]],
        ["a step without bounds", [{}], G, ["step [null, null] has neither bound: AWS refuses it"]],
        ["two open lower ends", [{ upper: 0 }, { upper: 5 }], L, ["more than one step has a null lower bound", "a step has a positive upper bound but none has a null upper bound"]],
        ["two open upper ends", [{ lower: 0 }, { lower: 5 }], G, ["more than one step has a null upper bound"]],
        ["a negative lower bound with no open lower end", [{ lower: -5, upper: 0 }], L, ["a step has a negative lower bound but none has a null lower bound"]],
        ["a positive upper bound with no open upper end", [{ lower: 0, upper: 5 }], G, ["a step has a positive upper bound but none has a null upper bound"]],
        ["a gap", [{ lower: 0, upper: 5 }, { lower: 10 }], G, ["a gap between 5 and 10: no step takes a metric there"]],
        ["an overlap", [{ lower: 0, upper: 10 }, { lower: 5 }], G, ["steps [0, 10] and [5, null] overlap"]],
        ["a first step above the threshold", [{ lower: 5 }], G, ["the alarm fires from the threshold up, but the first step starts 5 above it"]],
        ["a last step below the threshold", [{ upper: -5 }], L, ["the alarm fires up to the threshold, but the last step ends 5 below it"]],
        ["a <= alarm whose steps start at the threshold", [{ lower: 0 }], L, ["the alarm fires at any value below the threshold and at it, but no step takes a value at or below 0 (the first step needs a null lower bound)"]],
        ["a < alarm whose steps start at the threshold", [{ lower: 0 }], "LessThanThreshold", ["the alarm fires at any value below the threshold, but no step takes a value at or below 0 (the first step needs a null lower bound)"]],
        ["steps given out of order", [{ lower: 10 }, { lower: 0, upper: 10 }], G, []],
        ["three steps around the threshold, out of order", [{ lower: -1, upper: 0 }, { upper: -1 }, { lower: 0 }], G, []],
        ["steps below the threshold, out of order", [{ lower: -3, upper: 0 }, { upper: -3 }], L, []],
    ];
    for (const [what, steps, comparison, problems] of cases) {
        it(`answers ${what} (${comparison})`, () => assert.deepEqual(stepAdjustmentProblems(steps, comparison), problems));
    }

    it("fires each alarm on its side of the threshold, at the threshold only for the -OrEqualTo comparisons", () => {
        assert.deepEqual([-1, 0, 1].map((o) => alarmFires("GreaterThanOrEqualToThreshold", o)), [false, true, true]);
        assert.deepEqual([-1, 0, 1].map((o) => alarmFires("GreaterThanThreshold", o)), [false, false, true]);
        assert.deepEqual([-1, 0, 1].map((o) => alarmFires("LessThanOrEqualToThreshold", o)), [true, true, false]);
        assert.deepEqual([-1, 0, 1].map((o) => alarmFires("LessThanThreshold", o)), [true, false, false]);
    });
});
