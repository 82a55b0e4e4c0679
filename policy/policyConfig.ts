import { CONTROL_IDS } from "../analysis/controlIds";
import { isoDate, waiverApplies } from "../analysis/waivers";
import type { ControlSettings } from "../analysis/controls/types";
import type { CostAssumptions } from "../analysis/costModel";
import type { DeployAssumptions } from "../analysis/deployModel";
import type { EnvironmentSpec } from "../stacks/environment";
import { PRESETS } from "../stacks/presets";

/**
 * The policy pack's config for an environment, derived from its stack config so the pack and
 * the offline plan judge alike: enforcement from the preset (prod mandatory, dev advisory), each
 * waiver as that policy's `waiver` (the policy then only advises), and the settings the stack
 * rules need, each in the config of the policy that reads it. Pass it to
 * `pulumi preview --policy-pack policy --policy-pack-config <file>`.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/**
 * The policy that runs the AWS preflight (core/preflight) on the stack the engine is about to
 * deploy. Mandatory in every environment and never waived: what it finds, AWS would refuse.
 */
export const PREFLIGHT_POLICY = "aws-preflight";

export type PolicyPackConfig = Record<string, { enforcementLevel: EnforcementLevel; waiver?: string; waiverExpires?: string; waiverApprovedBy?: string } & Record<string, unknown>>;

/** The control settings an environment implies: what the plan uses and the pack's config carries. */
export function controlSettings(
    env: EnvironmentSpec,
    costAssumptions: Partial<CostAssumptions> = env.costAssumptions,
    deployAssumptions?: Partial<DeployAssumptions>,
): ControlSettings {
    const preset = PRESETS[env.preset];
    const network = env.network;
    return {
        requireOnDemandBase: preset.requireOnDemandBase,
        requireProtection: preset.requireProtection,
        rollingUpdateMinutes: env.deployTarget.rollingUpdateMinutes,
        monthlyBudgetUsd: env.budget?.monthlyUsd,
        expectedNatGateways:
            network.mode !== "vpc" ? undefined : network.natGateways === "none" ? 0 : network.natGateways === "single" ? 1 : network.availabilityZones,
        costAssumptions,
        deployAssumptions,
    };
}

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

/**
 * The pack's config on `today` (YYYY-MM-DD): a waiver that has not expired makes its policy
 * advisory and carries its reason, approver and last day; an expired one is left out, so its
 * policy blocks again where the preset's controls are mandatory.
 */
export function policyPackConfig(env: EnvironmentSpec, today: string = isoDate()): PolicyPackConfig {
    const level = PRESETS[env.preset].enforcement;
    const settings = controlSettings(env);
    const config: PolicyPackConfig = {};
    for (const id of CONTROL_IDS) {
        const waiver = env.waivers[id] && waiverApplies(env.waivers[id], today) ? env.waivers[id] : undefined;
        // A waived control still reports, but never blocks.
        config[id] = {
            enforcementLevel: waiver ? "advisory" : level,
            ...(waiver ? { waiver: waiver.reason, waiverExpires: waiver.expires, waiverApprovedBy: waiver.approvedBy } : {}),
            ...policySettings(id, settings),
        };
    }
    config[PREFLIGHT_POLICY] = { enforcementLevel: "mandatory" };
    return config;
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
