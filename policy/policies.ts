import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CONTROLS, Control } from "../analysis/controls";
import { StackGraph, StackResource } from "../analysis/stackResources";
import { describeWaiver } from "../analysis/waivers";
import { PREFLIGHT_RULES, describeFinding, runPreflight } from "../core/preflight";
import { PREFLIGHT_POLICY, settingsFromPolicyConfig } from "./policyConfig";

/**
 * The controls as CrossGuard policies: one policy per control, named by its ID, running the very
 * function the offline plan runs. A waived control (its config carries `waiver`) still reports,
 * with the reason, at the level the config gives it (advisory).
 */

const CONFIG_SCHEMA = {
    properties: {
        waiver: { type: "string" as const, description: "Why this control knowingly fails in this environment." },
        waiverExpires: { type: "string" as const, description: "The waiver's last day (YYYY-MM-DD)." },
        waiverApprovedBy: { type: "string" as const, description: "Who accepted the risk." },
        required: { type: "boolean" as const },
        minutes: { type: "number" as const },
        monthlyUsd: { type: "number" as const },
        assumptions: { type: "object" as const },
        expected: { type: "number" as const },
    },
};

type WaiverConfig = { waiver?: string; waiverExpires?: string; waiverApprovedBy?: string };

/** A finding, with the waiver that makes it advisory: its reason, its approver and its last day. */
export function message(reason: string, config: WaiverConfig): string {
    if (!config.waiver) return reason;
    return `${reason} (waived ${describeWaiver({ reason: config.waiver, expires: config.waiverExpires ?? "?", approvedBy: config.waiverApprovedBy ?? "?" })})`;
}

/** CrossGuard's view of a resource, as the controls read resources. */
export function toStackResource(r: PolicyResource): StackResource {
    const urns = (list: PolicyResource[] | undefined) => (list ?? []).map((d) => d.urn);
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, deps] of Object.entries(r.propertyDependencies ?? {})) propertyDependencies[key] = urns(deps);
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        // Components carry our package's type or Pulumi's own, both "pulumi..."; everything else is a cloud resource.
        custom: !r.type.startsWith("pulumi"),
        parent: r.parent?.urn,
        inputs: r.props,
        propertyDependencies,
        dependencies: urns(r.dependencies),
        options: { protect: r.opts?.protect, ignoreChanges: r.opts?.ignoreChanges, retainOnDeleteUnseen: true },
    };
}

export function toPolicy(control: Control): ResourceValidationPolicy | StackValidationPolicy {
    const base = { name: control.id, description: control.title, configSchema: CONFIG_SCHEMA };
    if (control.kind === "resource") {
        return {
            ...base,
            validateResource: (args, report) => {
                if (!control.resourceTypes.includes(args.type)) return;
                const config = args.getConfig<WaiverConfig>();
                for (const reason of control.check(args.type, args.props) ?? []) report(message(reason, config));
            },
        };
    }
    return {
        ...base,
        validateStack: (args, report) => {
            const config = args.getConfig<Record<string, any>>();
            const graph = new StackGraph(args.resources.map(toStackResource));
            const findings = control.check(graph, settingsFromPolicyConfig(config));
            if (findings === undefined) args.notApplicable("nothing in this stack for this control to judge");
            for (const finding of findings ?? []) report(message(finding.reason, config), finding.resource?.urn);
        },
    };
}

/**
 * AWS's own rules on the whole stack, from CrossGuard's view during `pulumi preview` and before
 * `pulumi up` changes anything (its preview fails on a mandatory violation). The view holds the
 * inputs after the provider's check, so auto-named resources carry their real names.
 */
export const preflightPolicy: StackValidationPolicy = {
    name: PREFLIGHT_POLICY,
    description: `AWS's own rules (${PREFLIGHT_RULES.length}: names, descriptions, ranges, listener-rule limits, time zones, ARNs) on every resource, each with its source`,
    validateStack: (args, report) => {
        for (const finding of runPreflight(args.resources.map(toStackResource))) report(describeFinding(finding), finding.urn);
    },
};

export const POLICIES: (ResourceValidationPolicy | StackValidationPolicy)[] = [...CONTROLS.map(toPolicy), preflightPolicy];
