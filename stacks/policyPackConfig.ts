import { CONTROL_IDS } from "../analysis/controlIds";
import { isoDate, waiverApplies } from "../analysis/waivers";
import type { ControlSettings } from "../analysis/controls/types";
import type { CostAssumptions } from "../analysis/costModel";
import type { DeployAssumptions } from "../analysis/deployModel";
import { PREFLIGHT_POLICY, PolicyPackConfig, policySettings } from "../policy/policyConfig";
import type { EnvironmentSpec } from "./environment";
import { PRESETS } from "./presets";

/**
 * The policy pack's config for an environment, derived from its stack config so the pack and
 * the offline plan judge alike: enforcement from the preset (prod mandatory, dev advisory), each
 * waiver as that policy's `waiver` (the policy then only advises), and the settings the stack
 * rules need, each in the config of the policy that reads it. Pass it to
 * `pulumi preview --policy-pack policy --policy-pack-config <file>`.
 */

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
