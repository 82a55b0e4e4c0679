import * as path from "node:path";
import { ControlResult, evaluateControls } from "../analysis/controls";
import type { ControlSettings } from "../analysis/controls/types";
import { CostAssumptions, CostEstimate, estimateCost } from "../analysis/costModel";
import { DeployAssumptions, DeployEstimate, estimateDeploy } from "../analysis/deployModel";
import { diagramModel, toDot, toMermaid } from "../analysis/diagram";
import { StackGraph } from "../analysis/stackResources";
import { buildContextProblem } from "../core/buildContextHash";
import { Problem, ValidationError } from "../core/validation";
import { UnrecognisedType, unrecognisedTypes } from "../analysis/coverage";
import { PREFLIGHT_RULES, PreflightFinding, runPreflight } from "../core/preflight";
import { controlSettings } from "../stacks/policyPackConfig";
import { EnvironmentSpec, environmentConfigFromPulumi, resolveEnvironment } from "../stacks/environment";
import { PRESETS } from "../stacks/presets";
import { environmentProgram, isEnvironmentProgram } from "../stacks/program";
import { CheaperOption, EgressChoice, cheaperOptions, egressChoice } from "./cheaperOptions";
import { PlannedResource, ProgramRun, runProgram } from "./engine";
import { programFunction, readProjectProgram } from "./program";
import { StackConfig, readStackConfig } from "../stacks/stackConfig";
import { isComponentType } from "../components/componentType";
import { Prerequisite, prerequisitesOf } from "../analysis/prerequisites";

/**
 * The offline plan of an environment: what it creates, what it costs, which controls it passes,
 * how long it takes to deploy. One document, printed by the CLI, returned by the portal API.
 */

export const OFFLINE_NOTE =
    "Offline plan: the real program ran on Pulumi's mock engine. IDs and ARNs are placeholders, provider-side defaults are not shown, awsx components appear as one resource each, and image tags are taken as pushed (a deploy stops on a tag that is not).";

export interface PlanControl {
    id: string;
    title: string;
    status: ControlResult["status"];
    /** The failing resources' names, when it fails or is waived. */
    resource?: string;
    /** Why it fails, or the waiver's reason. */
    reason?: string;
    findings: ControlResult["findings"];
    /** The waiver's reason, when the stack file waives the control. */
    waiver?: string;
    /** The waiver's last day (YYYY-MM-DD) and who approved it. */
    waiverExpires?: string;
    waiverApprovedBy?: string;
    /** The waiver's last day has passed: the control fails again. */
    expiredWaiver?: boolean;
    unusedWaiver?: boolean;
}

export interface PlanDocument {
    stack: string;
    project: string;
    /** The program planned: `built-in` (this package's environment program) or its entry file. */
    program: string;
    /** The environment's preset, when the program is the environment program. */
    preset?: string;
    region: string;
    note: string;
    resources: { urn: string; type: string; name: string; parent?: string; inputs: Record<string, unknown>; protect?: boolean; retainOnDelete?: boolean; ignoreChanges?: string[] }[];
    outputs: Record<string, unknown>;
    cost: CostEstimate & { budgetUsd?: number };
    controls: PlanControl[];
    enforcement: "mandatory" | "advisory";
    /** The rolling-update-time control's limit, when the environment sets one. */
    deploy: DeployEstimate & { rollingUpdateTargetMinutes?: number };
    /**
     * AWS's own rules checked on every registered resource (core/preflight): a finding is a
     * resource AWS would refuse, so the plan fails (exit 1) while any is listed.
     */
    preflight: { rules: number; findings: PreflightFinding[] };
    /** The images the deploy reads by tag: CI pushes them first, or the deploy stops (README, "Releasing an image"). */
    images: { repository: string; tag: string; registryId?: string }[];
    /** The environment drawn as Mermaid (for Markdown and portals) and as Graphviz DOT. */
    diagram: { mermaid: string; dot: string };
    /** What this stack could cost less with (an environment's only: the options are stack-file settings), largest saving first, each with what it gives up. */
    cheaperOptions: CheaperOption[];
    /** NAT gateways against interface endpoints for private tasks, priced for this stack (a VPC it creates). */
    egress?: EgressChoice;
    /** Resource types the cost or deploy model does not know: their cost is missing, or their time is a guess. */
    unrecognised: UnrecognisedType[];
    /** Account settings a deploy needs that no stack creates (analysis/prerequisites.ts). */
    prerequisites: Prerequisite[];
}

export interface PlanOptions {
    /** Changes to the cost assumptions, over the preset's and the stack file's. */
    costAssumptions?: Partial<CostAssumptions>;
    deployAssumptions?: Partial<DeployAssumptions>;
    stackTraces?: boolean;
    /** The day waivers are judged on (YYYY-MM-DD, UTC); today by default. */
    today?: string;
}

/** Plans the environment program (the built-in one) with the stack whose config lives in `directory` (Pulumi.yaml and Pulumi.<stack>.yaml). */
export async function planStack(directory: string, stack: string, options: PlanOptions = {}): Promise<PlanDocument> {
    return planConfig(readStackConfig(directory, stack), options);
}

/** The environment a stack's config describes, judged as the program judges it; a mistake is reported from its file. */
export function resolveStackEnvironment(stackConfig: StackConfig): EnvironmentSpec {
    const { project, stack, config, file } = stackConfig;
    return resolveEnvironment(environmentConfigFromPulumi(config, project), { project, stack, source: file, region: config["aws:region"] });
}

/** Plans the environment program from its config, as read from a stack file or sent by a portal. */
export async function planConfig(stackConfig: StackConfig, options: PlanOptions = {}): Promise<PlanDocument> {
    // Judge the config first: a mistake is reported from the file, before the engine starts.
    const env = resolveStackEnvironment(stackConfig);
    // The program reads build contexts from the working directory: one that is missing is the stack file's mistake.
    const missing = missingBuildContexts(env);
    if (missing.length > 0) throw new ValidationError(stackConfig.file, missing);
    const run = await runProgram(environmentProgram, runOptions(stackConfig, options));
    return analyse(stackConfig, run, "built-in", env, options);
}

/**
 * Plans any Pulumi program in TypeScript or JavaScript: the project in `directory` (its
 * Pulumi.yaml `main`) with its stack file, offline. What the analyses recognise is reported like
 * the built-in program's; the rest is listed in `unrecognised`. A project whose program is the
 * environment program (as this package's index.ts) is planned as the built-in one, preset and all.
 */
export async function planProgram(directory: string, stack: string, options: PlanOptions = {}): Promise<PlanDocument> {
    const program = readProjectProgram(directory);
    const stackConfig = readStackConfig(program.directory, stack);
    let env: EnvironmentSpec | undefined;
    const run = await runProgram(
        programFunction(program, (exported) => {
            if (!isEnvironmentProgram(exported)) return;
            env = resolveStackEnvironment(stackConfig);
            const missing = missingBuildContexts(env);
            if (missing.length > 0) throw new ValidationError(stackConfig.file, missing);
        }),
        runOptions(stackConfig, options),
    );
    return analyse(stackConfig, run, path.relative(process.cwd(), program.entry) || program.entry, env, options);
}

function runOptions(stackConfig: StackConfig, options: PlanOptions): Parameters<typeof runProgram>[1] {
    const { project, stack, config, secretKeys } = stackConfig;
    return { project, stack, config, secretKeys, stackTraces: options.stackTraces };
}

/**
 * Every analysis of a run, whatever the program: cost, controls, deploy time, preflight, diagram.
 * `env` is the environment when the program is the environment program: its preset decides the
 * enforcement, and its stack file the waivers, budget and limits. Without it, controls advise.
 */
function analyse(stackConfig: StackConfig, run: ProgramRun, program: string, env: EnvironmentSpec | undefined, options: PlanOptions): PlanDocument {
    const { project, stack, config } = stackConfig;
    const graph = new StackGraph(run.resources);
    const costAssumptions = { ...env?.costAssumptions, ...options.costAssumptions };
    const settings: ControlSettings = env
        ? controlSettings(env, costAssumptions, options.deployAssumptions)
        : { requireOnDemandBase: false, costAssumptions, deployAssumptions: options.deployAssumptions };
    const cost = estimateCost(graph, costAssumptions);
    return {
        stack,
        project,
        program,
        ...(env ? { preset: env.preset } : {}),
        region: config["aws:region"] ?? "us-east-1",
        note: OFFLINE_NOTE,
        resources: run.resources.map(summarise),
        outputs: run.outputs,
        cost: { ...cost, budgetUsd: env?.budget?.monthlyUsd },
        controls: evaluateControls(graph, settings, env?.waivers ?? {}, options.today).map(toPlanControl),
        enforcement: env ? PRESETS[env.preset].enforcement : "advisory",
        deploy: { ...estimateDeploy(graph, options.deployAssumptions), ...(env ? { rollingUpdateTargetMinutes: env.deployTarget.rollingUpdateMinutes } : {}) },
        preflight: { rules: PREFLIGHT_RULES.length, findings: runPreflight(run.resources, { origin: stackFileOrigin(stackConfig, graph) }) },
        images: [...run.imageLookups].sort((a, b) => `${a.repository}:${a.tag}`.localeCompare(`${b.repository}:${b.tag}`)),
        diagram: drawings(graph),
        cheaperOptions: env ? cheaperOptions(graph, env, cost) : [],
        ...(env && egressChoice(env, cost) ? { egress: egressChoice(env, cost) } : {}),
        unrecognised: unrecognisedTypes(graph),
        prerequisites: prerequisitesOf(graph, config["aws:region"] ?? "us-east-1"),
    };
}

/** The workload kinds of a stack file, by the component each entry builds. */
const WORKLOAD_KEYS: Record<string, string> = { FargateService: "services", QueueWorker: "queueWorkers", ScheduledTask: "scheduledTasks", EventTask: "eventTasks" };

/** The stack-file entry a resource was built from (`Pulumi.dev.yaml: fargate-service:services.api`), when it was built from one. */
function stackFileOrigin(stackConfig: StackConfig, graph: StackGraph): (resource: { parent?: string }) => string | undefined {
    return (resource) => {
        for (let urn = resource.parent; urn; urn = graph.get(urn)?.parent) {
            const owner = graph.get(urn);
            const kind = owner && isComponentType(owner.type) ? WORKLOAD_KEYS[owner.type.split(":").pop() ?? ""] : undefined;
            if (owner && kind && owner.name.startsWith(`${stackConfig.stack}-`)) {
                return `${stackConfig.file}: ${stackConfig.project}:${kind}.${owner.name.slice(stackConfig.stack.length + 1)}`;
            }
        }
        return undefined;
    };
}

function drawings(graph: StackGraph): PlanDocument["diagram"] {
    const model = diagramModel(graph);
    return { mermaid: toMermaid(model), dot: toDot(model) };
}

function summarise(r: PlannedResource): PlanDocument["resources"][number] {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        ...(r.parent ? { parent: r.parent } : {}),
        inputs: r.inputs,
        ...(r.options.protect ? { protect: true } : {}),
        ...(r.options.retainOnDelete ? { retainOnDelete: true } : {}),
        // Fields another AWS actor owns (an autoscaler, a schedule): what a deploy leaves alone.
        ...(r.options.ignoreChanges ? { ignoreChanges: r.options.ignoreChanges } : {}),
    };
}

function toPlanControl(result: ControlResult): PlanControl {
    const names = [...new Set(result.findings.map((f) => f.name).filter((n): n is string => n !== undefined))];
    return {
        id: result.id,
        title: result.title,
        status: result.status,
        ...(names.length ? { resource: names.join(", ") } : {}),
        ...(result.findings.length ? { reason: [...new Set(result.findings.map((f) => f.reason))].join("; ") } : {}),
        findings: result.findings,
        ...(result.waiver ? { waiver: result.waiver.reason, waiverExpires: result.waiver.expires, waiverApprovedBy: result.waiver.approvedBy } : {}),
        ...(result.expiredWaiver ? { expiredWaiver: true } : {}),
        ...(result.unusedWaiver ? { unusedWaiver: true } : {}),
    };
}

/** The build contexts and Dockerfiles of an environment that are not there, as problems at their stack-file keys. */
function missingBuildContexts(env: EnvironmentSpec): Problem[] {
    const problems: Problem[] = [];
    for (const kind of ["services", "queueWorkers", "scheduledTasks", "eventTasks"] as const) {
        for (const [name, entry] of Object.entries(env[kind])) {
            const build = entry.image?.build;
            if (typeof build?.context !== "string") continue;
            const problem = buildContextProblem(build.context, build.dockerfile);
            if (problem) problems.push({ path: `${env.project}:${kind}.${name}.image.build.${problem.key}`, message: problem.message });
        }
    }
    return problems;
}

/** Whether the plan should block: a failing control in an environment whose controls are mandatory. */
export function mandatoryFailures(plan: PlanDocument): PlanControl[] {
    return plan.enforcement === "mandatory" ? plan.controls.filter((c) => c.status === "fail") : [];
}
