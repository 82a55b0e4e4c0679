import { ValidationError } from "../core/validation";
import { PlanDocument, mandatoryFailures, planConfig } from "../plan/plan";
import { AwsSettings, ProjectInfo, flatPulumiConfig } from "./config";
import { ConfigInvalidError, PolicyViolationError } from "./errors";
import type { ChangeOperation } from "./events";
import type { EnvironmentSpec } from "../stacks/environment";
import { JudgedConfig, judge } from "./judge";
import type { ConfigOperationOptions, PlanEnvironmentOptions } from "./options";

/**
 * The offline plan of a judged config: what `planEnvironment` returns, the progress total of an
 * operation, and the gate that stops a deploy failing a mandatory control before the CLI runs.
 */

/**
 * The offline plan of an environment: resources, monthly cost, controls, deploy time and diagram,
 * from the real program on Pulumi's mock engine. Needs no CLI and no AWS account.
 */
export async function planEnvironment(name: string, config: unknown, options: PlanEnvironmentOptions = {}): Promise<PlanDocument> {
    // A copy: callers may change their document without changing the one kept.
    return structuredClone(await planJudged(name, judge(name, config, options), options));
}

/** The plan of a judged config, shared with every caller of the same config (see recentPlans). */
export async function planJudged(name: string, judged: JudgedConfig, options: PlanEnvironmentOptions): Promise<PlanDocument> {
    const flat = flatPulumiConfig(judged.project.name, judged.config, { region: options.region });
    const assumptions = { costAssumptions: options.costAssumptions, deployAssumptions: options.deployAssumptions };
    const key = JSON.stringify([judged.projectDir, name, flat, assumptions]);
    let planned = recentPlans.get(key);
    if (!planned) {
        planned = planConfig({ project: judged.project.name, stack: name, file: options.source ?? "config", config: flat, secretKeys: [] }, assumptions);
        remember(key, planned);
    }
    try {
        return await planned;
    } catch (error) {
        throw error instanceof ValidationError ? ConfigInvalidError.from(error) : error;
    }
}

/**
 * Plans of the last few configs: a portal plans the same config to show it, then to preview and
 * to deploy it (the progress total). Same program, same config, same plan.
 */
export const recentPlans = new Map<string, Promise<PlanDocument>>();
export const RECENT_PLANS_KEPT = 16;

export function remember(key: string, planned: Promise<PlanDocument>): void {
    recentPlans.set(key, planned);
    if (recentPlans.size > RECENT_PLANS_KEPT) recentPlans.delete(recentPlans.keys().next().value!);
    // A failed plan is not kept: the next call tries again.
    planned.catch(() => recentPlans.delete(key));
}

export interface PreparedConfig {
    project: ProjectInfo;
    spec: EnvironmentSpec;
    flat: Record<string, string>;
    plannedResources: number;
}

/**
 * Plans the judged config offline, in its turn: the plan's resource count is the progress total,
 * and a deploy that fails a mandatory control stops here, before the CLI runs.
 */
export async function prepare(name: string, operation: ChangeOperation, judged: JudgedConfig, options: ConfigOperationOptions): Promise<PreparedConfig> {
    const aws: AwsSettings = { region: options.region, profile: options.profile };
    const plan = await planJudged(name, judged, { region: options.region });
    const failures = mandatoryFailures(plan);
    if (operation === "deploy" && failures.length > 0) {
        throw new PolicyViolationError(name, failures.map((c) => ({ id: c.id, title: c.title, ...(c.reason ? { reason: c.reason } : {}) })));
    }
    return { project: judged.project, spec: judged.spec, flat: flatPulumiConfig(judged.project.name, judged.config, aws), plannedResources: plan.resources.length };
}
