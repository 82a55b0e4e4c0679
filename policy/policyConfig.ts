import type { ControlSettings } from "../analysis/controls/types";

/**
 * The policy pack's side of its config: which policy carries which setting, and how a policy reads
 * its own config back. The config of an environment is derived from its stack config in
 * stacks/policyPackConfig.ts, so the pack needs nothing of the environments program and can be
 * published alone.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/**
 * The policy that runs the AWS preflight (core/preflight) on the stack the engine is about to
 * deploy. Mandatory in every environment and never waived: what it finds, AWS would refuse.
 */
export const PREFLIGHT_POLICY = "aws-preflight";

export type PolicyPackConfig = Record<string, { enforcementLevel: EnforcementLevel; waiver?: string; waiverExpires?: string; waiverApprovedBy?: string } & Record<string, unknown>>;

/** Which policy carries which setting: the pack gives each policy its own config only. */
const SETTING_OF: Record<string, (s: ControlSettings) => Record<string, unknown> | undefined> = {
    "spot-on-demand-base": (s) => ({ required: s.requireOnDemandBase }),
    "stateful-protection": (s) => ({ required: s.requireProtection === true }),
    "rolling-update-time": (s) => (s.rollingUpdateMinutes !== undefined ? { minutes: s.rollingUpdateMinutes } : undefined),
    "cost-budget": (s) => (s.monthlyBudgetUsd !== undefined ? { monthlyUsd: s.monthlyBudgetUsd, assumptions: s.costAssumptions } : undefined),
    "nat-gateway-count": (s) => (s.expectedNatGateways !== undefined ? { expected: s.expectedNatGateways } : undefined),
};

/** The settings one policy's config carries, for its control. */
export function policySettings(id: string, settings: ControlSettings): Record<string, unknown> {
    return SETTING_OF[id]?.(settings) ?? {};
}

/** A policy's own config back to the settings its control reads (the pack's side of the contract). */
export function settingsFromPolicyConfig(config: Record<string, any>): ControlSettings {
    return {
        requireOnDemandBase: config.required === true,
        requireProtection: config.required === true,
        rollingUpdateMinutes: config.minutes,
        monthlyBudgetUsd: config.monthlyUsd,
        costAssumptions: config.assumptions,
        expectedNatGateways: config.expected,
    };
}
