import provisioning from "./data/provisioning-times.json";
import { COST_COVERAGE } from "./costCoverage";
import { StackGraph, StackResource, T } from "./stackResources";

/**
 * What the analyses do not know in a program: the cloud resource types the cost model has no
 * entry for (costCoverage.ts), and those the deploy model has no provisioning time for (it counts
 * them at its default time). Components and Pulumi's own resources are structure, not cloud
 * resources: their children are what is judged.
 */

export interface UnrecognisedType {
    type: string;
    /** The logical names of the program's resources of that type. */
    resources: string[];
    /** Its cost is not in the estimate. */
    notPriced: boolean;
    /** The first deploy counts it at the default provisioning time. */
    defaultDeployTime: boolean;
}

/** The resource types the analyses read (controls, cost, deploy, diagram): known to the deploy model at least at its default time. */
const ANALYSED_TYPES: ReadonlySet<string> = new Set([...Object.values(T), ...Object.keys(provisioning.seconds)]);

/** Cloud resources, and components another plugin implements (offline they stand for what they create). */
function bearsCost(resource: StackResource & { remote?: boolean }): boolean {
    return (resource.custom || resource.remote === true) && !resource.type.startsWith("pulumi:");
}

export function unrecognisedTypes(graph: StackGraph): UnrecognisedType[] {
    const byType = new Map<string, string[]>();
    for (const resource of graph.resources) {
        if (!bearsCost(resource)) continue;
        const known = COST_COVERAGE[resource.type] !== undefined && ANALYSED_TYPES.has(resource.type);
        if (known) continue;
        byType.set(resource.type, [...(byType.get(resource.type) ?? []), resource.name]);
    }
    return [...byType]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, resources]) => ({ type, resources, notPriced: COST_COVERAGE[type] === undefined, defaultDeployTime: !ANALYSED_TYPES.has(type) }));
}
