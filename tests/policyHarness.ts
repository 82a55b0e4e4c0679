import type { PolicyResource, ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { StackResource } from "../analysis/stackResources";
import { POLICIES } from "../policy/policies";

/** Resources as CrossGuard hands them to a policy: parents, dependencies and property dependencies as resources. */
export function toPolicyResources(resources: readonly StackResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    for (const r of resources) {
        byUrn.set(r.urn, { type: r.type, props: r.inputs, urn: r.urn, name: r.name, opts: r.options as PolicyResource["opts"], dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined });
    }
    const linked = (urns: string[]) => urns.map((u) => byUrn.get(u)).filter((p): p is PolicyResource => p !== undefined);
    for (const r of resources) {
        const p = byUrn.get(r.urn)!;
        p.parent = r.parent ? byUrn.get(r.parent) : undefined;
        p.dependencies = linked(r.dependencies);
        for (const [key, urns] of Object.entries(r.propertyDependencies)) p.propertyDependencies[key] = linked(urns);
    }
    return [...byUrn.values()];
}

/**
 * Runs the pack's policy named `id` over resources as the engine does (each resource, or the
 * whole stack) with `config` as the policy's own config; returns what it reports.
 */
export async function runPolicy(id: string, resources: PolicyResource[], config: Record<string, unknown>, notApplicable: (reason?: string) => void = () => undefined): Promise<string[]> {
    const policy = POLICIES.find((p) => p.name === id);
    if (!policy) throw new Error(`no policy ${id}`);
    const reported: string[] = [];
    const report = (message: string) => void reported.push(message);
    const common = { stackTags: new Map(), getConfig: () => config, notApplicable };
    if ("validateResource" in policy) {
        for (const r of resources) await ((policy as ResourceValidationPolicy).validateResource as ResourceValidation)({ ...r, ...common } as never, report);
    } else {
        await (policy as StackValidationPolicy).validateStack({ resources, ...common } as never, report);
    }
    return reported;
}
