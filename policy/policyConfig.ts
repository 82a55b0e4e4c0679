import { CONTROL_IDS } from "../analysis/controlIds";
import type { ControlSettings } from "../analysis/controls/types";
import type { EnvironmentSpec } from "../stacks/environment";
import { PRESETS } from "../stacks/presets";
import { controlSettings } from "../plan/plan";

/**
 * The policy pack's config for an environment, derived from its stack config so the pack and
 * the offline plan judge alike: enforcement from the preset (prod mandatory, dev advisory), each
 * waiver as that policy's `waiver` (the policy then only advises), and the settings the stack
 * rules need. Pass it with `pulumi preview --policy-pack policy --policy-pack-config <file>`.
 */

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

export interface PolicyEntry {
    enforcementLevel: EnforcementLevel;
    waiver?: string;
}

/** The settings stack rules read, carried in the config of the policy that needs each. */
export interface PolicySettingsConfig {
    "spot-on-demand-base"?: { required: boolean };
    "rolling-update-time"?: { minutes: number };
    "cost-budget"?: { monthlyUsd: number; assumptions?: ControlSettings["costAssumptions"] };
    "nat-gateway-count"?: { expected: number };
}

export type PolicyPackConfig = Record<string, PolicyEntry & Record<string, unknown>>;

export function policyPackConfig(env: EnvironmentSpec): PolicyPackConfig {
    const level = PRESETS[env.preset].enforcement;
    const settings = controlSettings(env);
    const extra: Record<string, Record<string, unknown>> = {
        "spot-on-demand-base": { required: settings.requireOnDemandBase },
        "rolling-update-time": { minutes: settings.rollingUpdateMinutes },
        ...(settings.monthlyBudgetUsd !== undefined ? { "cost-budget": { monthlyUsd: settings.monthlyBudgetUsd, assumptions: settings.costAssumptions } } : {}),
        ...(settings.expectedNatGateways !== undefined ? { "nat-gateway-count": { expected: settings.expectedNatGateways } } : {}),
    };
    const config: PolicyPackConfig = {};
    for (const id of CONTROL_IDS) {
        const waiver = env.waivers[id];
        // A waived control still reports, but never blocks.
        config[id] = { enforcementLevel: waiver ? "advisory" : level, ...(waiver ? { waiver } : {}), ...extra[id] };
    }
    return config;
}

/** Reads the stack rules' settings back from a policy's config (the pack's side of the same contract). */
export function settingsFromPolicyConfig(read: (policy: string) => Record<string, any>): ControlSettings {
    return {
        requireOnDemandBase: read("spot-on-demand-base").required === true,
        rollingUpdateMinutes: read("rolling-update-time").minutes,
        monthlyBudgetUsd: read("cost-budget").monthlyUsd,
        costAssumptions: read("cost-budget").assumptions,
        expectedNatGateways: read("nat-gateway-count").expected,
    };
}
