import { ARN_RULES } from "./arns";
import { ECR_RULES } from "./ecr";
import { ECS_RULES } from "./ecs";
import { ELBV2_GRAPH_RULES, ELBV2_RULES } from "./elbv2";
import { ENUM_GRAPH_RULES, ENUM_RULES } from "./enums";
import { IAM_RULES } from "./iam";
import { LOGS_RULES, SQS_RULES } from "./logsQueues";
import { MISC_RULES } from "./misc";
import { NAME_RULES } from "./names";
import { SCHEDULE_RULES } from "./schedules";
import { SERVICE_CONNECT_RULES } from "./serviceConnect";
import { VPC_GRAPH_RULES, VPC_RULES } from "./vpc";
import type { GraphRule, PreflightFinding, PreflightResource, PreflightRule, ResourceRule } from "./types";

export type { GraphRule, PreflightFinding, PreflightResource, PreflightRule, ResourceRule } from "./types";
export { describeFinding } from "./types";
export { PreflightError } from "./error";

/** Every rule of the preflight, one list: the plan, the tests and the README's table read it. */
export const PREFLIGHT_RULES: readonly PreflightRule[] = [
    ...NAME_RULES,
    ...ELBV2_RULES,
    ...ELBV2_GRAPH_RULES,
    ...IAM_RULES,
    ...ECR_RULES,
    ...ECS_RULES,
    ...SERVICE_CONNECT_RULES,
    ...LOGS_RULES,
    ...SQS_RULES,
    ...SCHEDULE_RULES,
    ...MISC_RULES,
    ...ARN_RULES,
    ...ENUM_RULES,
    ...ENUM_GRAPH_RULES,
    ...VPC_RULES,
    ...VPC_GRAPH_RULES,
];

const isGraphRule = (rule: PreflightRule): rule is GraphRule => "checkAll" in rule;

export interface PreflightOptions {
    /** Where a resource's values came from (a stack-file key, a component's arguments), for messages. */
    origin?: (resource: PreflightResource) => string | undefined;
}

/**
 * The rules that judge one resource on its own inputs: what a program checks as each resource
 * registers (components/preflight.ts). The rules across resources (GRAPH_RULES) need the whole
 * stack and run in the plan and the policy pack.
 */
export const RESOURCE_RULES: readonly ResourceRule[] = PREFLIGHT_RULES.filter((r): r is ResourceRule => !isGraphRule(r));
export const GRAPH_RULES: readonly GraphRule[] = PREFLIGHT_RULES.filter(isGraphRule);

function finding(rule: PreflightRule, resource: PreflightResource, v: { key?: string; message: string }, options: PreflightOptions): PreflightFinding {
    const origin = options.origin?.(resource);
    return {
        rule: rule.id,
        title: rule.title,
        source: rule.sources[0],
        type: resource.type,
        resource: resource.name,
        urn: resource.urn,
        ...(v.key ? { key: v.key } : {}),
        ...(origin ? { origin } : {}),
        message: v.message,
    };
}

/** The resource rules of one resource: the check a program runs as the resource registers. */
export function checkResource(resource: PreflightResource, options: PreflightOptions = {}): PreflightFinding[] {
    // Read from the list at each call, not indexed once: the list is the one place the rules live.
    const rules = PREFLIGHT_RULES.filter((r): r is ResourceRule => !isGraphRule(r) && r.type === resource.type);
    rules.push(...PREFLIGHT_RULES.filter((r): r is ResourceRule => !isGraphRule(r) && r.type === "*"));
    return rules.flatMap((rule) => rule.check(resource).map((v) => finding(rule, resource, v, options)));
}

/** Applies every rule to the registered resources; an empty list means AWS should accept them all. */
export function runPreflight(resources: readonly PreflightResource[], options: PreflightOptions = {}): PreflightFinding[] {
    const findings = resources.flatMap((resource) => checkResource(resource, options));
    for (const rule of PREFLIGHT_RULES.filter(isGraphRule)) {
        for (const v of rule.checkAll(resources)) findings.push(finding(rule, v.resource, v, options));
    }
    return findings;
}

/** The rules as a Markdown table, for the README (generated, so it cannot drift from the rules). */
export function preflightRuleTable(): string {
    const rows = PREFLIGHT_RULES.map((r) => `| \`${r.id}\` | \`${r.type}\` | ${r.title.replace(/\|/g, "\\|")} | ${r.sources.map((s, i) => `[${i + 1}](${s})`).join(" ")} |`);
    return ["| rule | resource type | what AWS requires | sources |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
