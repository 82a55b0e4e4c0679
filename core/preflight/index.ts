import { ARN_RULES } from "./arns";
import { ECS_RULES } from "./ecs";
import { ELBV2_GRAPH_RULES, ELBV2_RULES } from "./elbv2";
import { ENUM_GRAPH_RULES, ENUM_RULES } from "./enums";
import { IAM_RULES } from "./iam";
import { LOGS_RULES, SQS_RULES } from "./logsQueues";
import { MISC_RULES } from "./misc";
import { NAME_RULES } from "./names";
import { SCHEDULE_RULES } from "./schedules";
import type { GraphRule, PreflightFinding, PreflightResource, PreflightRule, ResourceRule } from "./types";

export type { GraphRule, PreflightFinding, PreflightResource, PreflightRule, ResourceRule } from "./types";

/** Every rule of the preflight, one list: the plan, the tests and the README's table read it. */
export const PREFLIGHT_RULES: readonly PreflightRule[] = [
    ...NAME_RULES,
    ...ELBV2_RULES,
    ...ELBV2_GRAPH_RULES,
    ...IAM_RULES,
    ...ECS_RULES,
    ...LOGS_RULES,
    ...SQS_RULES,
    ...SCHEDULE_RULES,
    ...MISC_RULES,
    ...ARN_RULES,
    ...ENUM_RULES,
    ...ENUM_GRAPH_RULES,
];

const isGraphRule = (rule: PreflightRule): rule is GraphRule => "checkAll" in rule;

export interface PreflightOptions {
    /** Where a resource's values came from (a stack-file key, a component's arguments), for messages. */
    origin?: (resource: PreflightResource) => string | undefined;
}

/** Applies every rule to the registered resources; an empty list means AWS should accept them all. */
export function runPreflight(resources: readonly PreflightResource[], options: PreflightOptions = {}): PreflightFinding[] {
    const findings: PreflightFinding[] = [];
    const add = (rule: PreflightRule, resource: PreflightResource, v: { key?: string; message: string }) => {
        const origin = options.origin?.(resource);
        findings.push({
            rule: rule.id,
            title: rule.title,
            source: rule.sources[0],
            type: resource.type,
            resource: resource.name,
            urn: resource.urn,
            ...(v.key ? { key: v.key } : {}),
            ...(origin ? { origin } : {}),
            message: v.message,
        });
    };
    const byType = new Map<string, ResourceRule[]>();
    for (const rule of PREFLIGHT_RULES) {
        if (isGraphRule(rule)) continue;
        byType.set(rule.type, [...(byType.get(rule.type) ?? []), rule]);
    }
    for (const resource of resources) {
        for (const rule of [...(byType.get(resource.type) ?? []), ...(byType.get("*") ?? [])]) {
            for (const v of rule.check(resource)) add(rule, resource, v);
        }
    }
    for (const rule of PREFLIGHT_RULES.filter(isGraphRule)) {
        for (const v of rule.checkAll(resources)) add(rule, v.resource, v);
    }
    return findings;
}

/** One line per finding: which resource, which input, what AWS would answer, and the rule's source. */
export function describeFinding(f: PreflightFinding): string {
    return `${f.origin ? `${f.origin}: ` : ""}${f.resource} (${f.type})${f.key ? ` ${f.key}` : ""}: ${f.message} [${f.rule}, ${f.source}]`;
}

/** The rules as a Markdown table, for the README (generated, so it cannot drift from the rules). */
export function preflightRuleTable(): string {
    const rows = PREFLIGHT_RULES.map((r) => `| \`${r.id}\` | \`${r.type}\` | ${r.title.replace(/\|/g, "\\|")} | ${r.sources.map((s, i) => `[${i + 1}](${s})`).join(" ")} |`);
    return ["| rule | resource type | what AWS requires | sources |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
