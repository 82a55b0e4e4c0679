import { ELB_SOURCES, LISTENER_RULE_LIMITS, RouteClaim, RouteRule, routingConflicts, ruleProblems } from "../routing";
import { GraphRule, PreflightResource, ResourceRule, RuleViolation, isUnknown, rangeViolation } from "./types";

/** Elastic Load Balancing (application load balancers): listeners, listener rules, target groups. */

const TYPE = {
    loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
} as const;

const API = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference";
const TF = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/elbv2";

/** The host and path conditions of a listener rule as registered. */
export function routeOf(resource: PreflightResource): RouteRule {
    // Stryker disable next-line ArrayDeclaration: equivalent, an item that is not an object has no host or path values
    const conditions: Record<string, any>[] = Array.isArray(resource.inputs.conditions) ? resource.inputs.conditions : [];
    const values = (key: "hostHeader" | "pathPattern") => conditions.flatMap((c) => (Array.isArray(c?.[key]?.values) ? (c[key].values as string[]) : []));
    const hosts = values("hostHeader");
    const paths = values("pathPattern");
    return { priority: resource.inputs.priority, ...(hosts.length ? { hostHeaders: hosts } : {}), ...(paths.length ? { pathPatterns: paths } : {}) };
}

/** Whether any part of a listener rule's priority or conditions is not known yet: it is judged once it is. */
export function routeUnknown(resource: PreflightResource): boolean {
    const { inputs } = resource;
    if (isUnknown(inputs, "priority") || isUnknown(inputs, "conditions")) return true;
    const conditions: unknown[] = Array.isArray(inputs.conditions) ? inputs.conditions : [];
    return conditions.some((c) => {
        if (c === undefined || c === null) return true;
        return Object.entries(c as Record<string, any>).some(([, v]) => v === undefined || (v !== null && typeof v === "object" && (isUnknown(v, "values") || (Array.isArray(v.values) && v.values.some((x: unknown) => x === undefined)))));
    });
}

/** Where a rule's problem sits in the registered inputs. */
function inputKey(resource: PreflightResource, field: string): string | undefined {
    // Stryker disable next-line Regex: the anchors are equivalent, ruleProblems names fields exactly hostHeaders[i] or pathPatterns[i]
    const match = /^(hostHeaders|pathPatterns)\[(\d+)\]$/.exec(field);
    if (!match) return field || "conditions";
    const key = match[1] === "hostHeaders" ? "hostHeader" : "pathPattern";
    // Stryker disable next-line ArrayDeclaration: equivalent and unreachable, a host or path field comes from a condition, so conditions is set
    const conditions: Record<string, any>[] = resource.inputs.conditions ?? [];
    const index = conditions.findIndex((c) => c?.[key]);
    return `conditions[${index}].${key}.values[${match[2]}]`;
}

/** The URN of the resource an input came from (the listener of a rule, the load balancer of a listener). */
function source(resource: PreflightResource, property: string): string {
    return resource.propertyDependencies?.[property]?.[0] ?? String(resource.inputs[property] ?? resource.urn);
}

export const ELBV2_RULES: ResourceRule[] = [
    {
        id: "elbv2.listenerRule.conditions",
        type: TYPE.listenerRule,
        title: `priority 1–50000; at least one condition; at most ${LISTENER_RULE_LIMITS.conditionValues} condition values and ${LISTENER_RULE_LIMITS.wildcards} wildcards; paths start with "/", 128 characters of the allowed set; host names 128 characters of the allowed set with a "." and a letters-only last label`,
        sources: [ELB_SOURCES.limits, ELB_SOURCES.conditions, ELB_SOURCES.createRule, ELB_SOURCES.terraformListenerRule],
        check: (r) => (routeUnknown(r) ? [] : ruleProblems(routeOf(r))).map((p) => ({ key: inputKey(r, p.field), message: p.message })),
    },
    {
        id: "elbv2.listener.certificate",
        type: TYPE.listener,
        title: "an HTTPS listener has a certificate and a security policy; an HTTP listener has neither",
        sources: [`${API}/API_CreateListener.html`, `${TF}/listener.go`],
        check(r) {
            const { protocol, certificateArn, sslPolicy } = r.inputs;
            const out: RuleViolation[] = [];
            // Stryker disable next-line ConditionalExpression: equivalent, a defined certificateArn is also "in" the inputs
            if (protocol === "HTTPS" && certificateArn === undefined && !("certificateArn" in r.inputs)) out.push({ key: "certificateArn", message: "is required for an HTTPS listener" });
            if (protocol === "HTTP" && (certificateArn !== undefined || sslPolicy !== undefined)) out.push({ key: certificateArn !== undefined ? "certificateArn" : "sslPolicy", message: "applies to HTTPS listeners only" });
            return out;
        },
    },
    {
        id: "elbv2.listener.port",
        type: TYPE.listener,
        title: "port 1–65535",
        sources: [`${API}/API_CreateListener.html`],
        check: (r) => rangeViolation(r.inputs, "port", 1, 65535),
    },
    {
        id: "elbv2.loadBalancer.settings",
        type: TYPE.loadBalancer,
        title: "an application load balancer has subnets in at least two Availability Zones and an idle timeout of 1–4000 s",
        sources: [`${API}/API_CreateLoadBalancer.html`, `${API}/API_LoadBalancerAttribute.html`, `${TF}/load_balancer.go`],
        check(r) {
            const out = rangeViolation(r.inputs, "idleTimeout", 1, 4000, " s");
            const subnets = r.inputs.subnets;
            if ((r.inputs.loadBalancerType ?? "application") === "application" && Array.isArray(subnets) && subnets.length < 2) {
                out.push({ key: "subnets", message: `has ${subnets.length}; an application load balancer needs subnets in at least two Availability Zones` });
            }
            return out;
        },
    },
    {
        id: "elbv2.targetGroup.healthCheck",
        type: TYPE.targetGroup,
        title: "health check interval 5–300 s, timeout 2–120 s and shorter than the interval, thresholds 2–10, path starting with / (1024 characters), deregistration delay 0–3600 s",
        sources: [`${API}/API_CreateTargetGroup.html`, `${TF}/target_group.go`],
        check(r) {
            const hc: Record<string, any> = r.inputs.healthCheck ?? {};
            const at = (v: RuleViolation[]) => v.map((x) => ({ ...x, key: `healthCheck.${x.key}` }));
            const out = [
                ...at(rangeViolation(hc, "interval", 5, 300, " s")),
                ...at(rangeViolation(hc, "timeout", 2, 120, " s")),
                ...at(rangeViolation(hc, "healthyThreshold", 2, 10)),
                ...at(rangeViolation(hc, "unhealthyThreshold", 2, 10)),
                ...rangeViolation(r.inputs, "deregistrationDelay", 0, 3600, " s"),
            ];
            if (typeof hc.timeout === "number" && typeof hc.interval === "number" && hc.timeout >= hc.interval) {
                out.push({ key: "healthCheck.timeout", message: `${hc.timeout} s must be shorter than the interval (${hc.interval} s)` });
            }
            if (typeof hc.path === "string" && (!hc.path.startsWith("/") || hc.path.length > 1024)) {
                out.push({ key: "healthCheck.path", message: `${JSON.stringify(hc.path)} must start with "/" and have at most 1024 characters` });
            }
            return out;
        },
    },
];

export const ELBV2_GRAPH_RULES: GraphRule[] = [
    {
        id: "elbv2.listener.routing",
        type: TYPE.listenerRule,
        title: "on one listener: unique priorities, no two rules for the same host and path (hosts without case), no catch-all ahead of other rules",
        sources: [ELB_SOURCES.listenerRules, ELB_SOURCES.createRule, ELB_SOURCES.conditions],
        checkAll(resources) {
            const byListener = new Map<string, PreflightResource[]>();
            for (const r of resources.filter((x) => x.type === TYPE.listenerRule)) {
                const listener = source(r, "listenerArn");
                byListener.set(listener, [...(byListener.get(listener) ?? []), r]);
            }
            const out: (RuleViolation & { resource: PreflightResource })[] = [];
            for (const rules of byListener.values()) {
                const claims: (RouteClaim & { resource: PreflightResource })[] = rules.map((r) => ({ owner: `listener rule ${r.name}`, rule: routeOf(r), resource: r }));
                // The per-load-balancer count is its own rule below.
                for (const c of routingConflicts(claims).filter((c) => !c.message.includes("on one load balancer"))) {
                    out.push({ resource: (c.claim as (typeof claims)[number]).resource, key: c.field || "conditions", message: c.message });
                }
            }
            return out;
        },
    },
    {
        id: "elbv2.loadBalancer.rules",
        type: TYPE.listenerRule,
        title: `at most ${LISTENER_RULE_LIMITS.rulesPerLoadBalancer} listener rules per load balancer (default quota)`,
        sources: [ELB_SOURCES.limits],
        checkAll(resources) {
            // Stryker disable next-line MethodExpression,ConditionalExpression: equivalent, only a listener's URN is ever looked up (a rule's listener), and any other resource maps to its own URN as a missing entry does
            const listenerOwner = new Map(resources.filter((r) => r.type === TYPE.listener).map((l) => [l.urn, source(l, "loadBalancerArn")]));
            const byLoadBalancer = new Map<string, PreflightResource[]>();
            for (const r of resources.filter((x) => x.type === TYPE.listenerRule)) {
                const listener = source(r, "listenerArn");
                const owner = listenerOwner.get(listener) ?? listener;
                byLoadBalancer.set(owner, [...(byLoadBalancer.get(owner) ?? []), r]);
            }
            const max = LISTENER_RULE_LIMITS.rulesPerLoadBalancer;
            return [...byLoadBalancer.values()]
                .filter((rules) => rules.length > max)
                .map((rules) => ({ resource: rules[max], message: `is rule ${rules.length > max + 1 ? `${max + 1} of ${rules.length}` : max + 1} on one load balancer; AWS allows ${max} (quota "Rules per Application Load Balancer")` }));
        },
    },
];
