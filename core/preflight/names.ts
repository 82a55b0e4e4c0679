import { AUTONAME_SUFFIX_EXAMPLE, AWS_NAMES, NAME_PREFIX_SUFFIX_LENGTH, NameKind, NameRule, nameProblem } from "../names";
import { PreflightResource, ResourceRule, isUnknown } from "./types";

/**
 * One rule per kind of name, from the naming table in core/names.ts (the table the components
 * fit their names to): the name as AWS will see it, that is the explicit name, or a name prefix
 * plus Terraform's 26-character suffix, or the logical name plus Pulumi's auto-naming suffix.
 */

/** The physical name a resource will have, as far as it is known before it is created. */
export function physicalName(resource: PreflightResource, rule: NameRule): string | undefined {
    const explicit = resource.inputs[rule.property];
    if (typeof explicit === "string") return explicit;
    // A name given but not known yet (isUnknown) is judged when it is known, not replaced by the auto-name.
    if (explicit !== undefined || isUnknown(resource.inputs, rule.property) || !rule.autonamed) return undefined;
    const prefix = resource.inputs.namePrefix;
    if (isUnknown(resource.inputs, "namePrefix")) return undefined;
    if (typeof prefix === "string") return `${prefix}${"0".repeat(NAME_PREFIX_SUFFIX_LENGTH)}`;
    return `${resource.name}${AUTONAME_SUFFIX_EXAMPLE}`;
}

export const NAME_RULES: ResourceRule[] = (Object.keys(AWS_NAMES) as NameKind[]).map((kind) => {
    const rule: NameRule = AWS_NAMES[kind];
    // Ids follow the type token: aws:lb/loadBalancer:LoadBalancer → elbv2.loadBalancer.name.
    const [module, typeName] = rule.type.split(":").slice(1);
    const service = module.split("/")[0] === "lb" ? "elbv2" : module.split("/")[0];
    return {
        id: `${service}.${typeName[0].toLowerCase()}${typeName.slice(1)}.name`,
        type: rule.type,
        title: `${rule.property}: ${rule.min}–${rule.max} characters, ${rule.allowed}${rule.shape ? `; ${rule.shape.map((s) => s.message).join("; ")}` : ""}`,
        sources: rule.sources,
        check(resource) {
            const name = physicalName(resource, rule);
            const problem = name === undefined ? undefined : nameProblem(kind, name);
            const given = typeof resource.inputs[rule.property] === "string";
            const key = given ? rule.property : typeof resource.inputs.namePrefix === "string" ? "namePrefix" : undefined;
            return problem ? [{ key, message: given || key ? problem : `${problem} (auto-named from the logical name "${resource.name}")` }] : [];
        },
    };
});
