import { ELB_SOURCES, LISTENER_RULE_LIMITS, RouteClaim, RouteRule, routingConflicts, ruleProblems } from "../routing";
import { NLB_SOURCES } from "../networkLoadBalancer";
import { GraphRule, PreflightResource, ResourceRule, RuleViolation, isUnknown, rangeViolation } from "./types";

/** Elastic Load Balancing (application and network load balancers): load balancers, listeners, listener rules, target groups. */

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
    // A header condition (a blue/green deployment's test rule) narrows the rule to the requests
    // that carry it: it shares routes with the production rule without starving it.
    const header = conditions.find((c) => typeof c?.httpHeader?.httpHeaderName === "string")?.httpHeader.httpHeaderName as string | undefined;
    return { priority: resource.inputs.priority, ...(header !== undefined ? { httpHeader: header } : {}), ...(hosts.length ? { hostHeaders: hosts } : {}), ...(paths.length ? { pathPatterns: paths } : {}) };
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
        title: "an HTTPS or TLS listener has a certificate; an HTTP, TCP, UDP or TCP_UDP listener has no certificate or security policy; an ALPN policy only on a TLS listener",
        sources: [`${API}/API_CreateListener.html`, `${TF}/listener.go`, NLB_SOURCES.tlsListener],
        check(r) {
            const { protocol, certificateArn, sslPolicy, alpnPolicy } = r.inputs;
            const out: RuleViolation[] = [];
            const secure = protocol === "HTTPS" || protocol === "TLS";
            // Stryker disable next-line ConditionalExpression: equivalent, a defined certificateArn is also "in" the inputs
            if (secure && certificateArn === undefined && !("certificateArn" in r.inputs)) out.push({ key: "certificateArn", message: `is required for ${protocol === "TLS" ? "a TLS" : "an HTTPS"} listener` });
            if (typeof protocol === "string" && !secure && (certificateArn !== undefined || sslPolicy !== undefined)) {
                out.push({ key: certificateArn !== undefined ? "certificateArn" : "sslPolicy", message: `applies to HTTPS and TLS listeners only, not ${protocol}` });
            }
            if (alpnPolicy !== undefined && typeof protocol === "string" && protocol !== "TLS") out.push({ key: "alpnPolicy", message: `applies to TLS listeners only, not ${protocol}` });
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
    {
        id: "elbv2.targetGroup.tcpHealthCheck",
        type: TYPE.targetGroup,
        title: "a TCP health check has no path or matcher; an HTTP or HTTPS target group takes no TCP health check",
        sources: [`${API}/API_CreateTargetGroup.html`, `${TF}/target_group.go`],
        check(r) {
            const hc: Record<string, any> = r.inputs.healthCheck ?? {};
            const out: RuleViolation[] = [];
            if (hc.protocol === "TCP") {
                for (const key of ["path", "matcher"]) {
                    if (hc[key] !== undefined && hc[key] !== null) out.push({ key: `healthCheck.${key}`, message: "applies to HTTP and HTTPS health checks only: AWS refuses it with protocol TCP" });
                }
                if (r.inputs.protocol === "HTTP" || r.inputs.protocol === "HTTPS") {
                    out.push({ key: "healthCheck.protocol", message: `TCP checks only TCP, TLS, UDP and TCP_UDP target groups, not ${r.inputs.protocol}` });
                }
            }
            return out;
        },
    },
    {
        id: "elbv2.loadBalancer.networkSecurityGroups",
        type: TYPE.loadBalancer,
        title: "a network load balancer is created with at least one security group (AWS cannot add one later, and the provider replaces the load balancer when its groups go from none to some or back)",
        sources: [NLB_SOURCES.securityGroups, NLB_SOURCES.terraformLoadBalancer],
        check(r) {
            if (r.inputs.loadBalancerType !== "network" || isUnknown(r.inputs, "securityGroups")) return [];
            const groups = r.inputs.securityGroups;
            return Array.isArray(groups) && groups.length > 0
                ? []
                : [{ key: "securityGroups", message: "is empty: a network load balancer without security groups admits every client on its listeners and can never be given a group; create it with one" }];
        },
    },
];

/** Listener protocols by load balancer type (API_CreateListener, Protocol). */
const LISTENER_PROTOCOLS: Record<string, readonly string[]> = {
    application: ["HTTP", "HTTPS"],
    network: ["TCP", "TLS", "UDP", "TCP_UDP"],
};

export const ELBV2_GRAPH_RULES: GraphRule[] = [
    {
        id: "elbv2.listener.protocolForType",
        type: TYPE.listener,
        title: "an application load balancer's listeners are HTTP or HTTPS, a network load balancer's TCP, TLS, UDP or TCP_UDP; one listener per port on a load balancer",
        sources: [`${API}/API_CreateListener.html`, NLB_SOURCES.listeners],
        checkAll(resources) {
            const byUrn = new Map(resources.filter((x) => x.type === TYPE.loadBalancer).map((lb) => [lb.urn, lb]));
            const out: (RuleViolation & { resource: PreflightResource })[] = [];
            const ports = new Map<string, Set<number>>();
            for (const listener of resources.filter((x) => x.type === TYPE.listener)) {
                const owner = source(listener, "loadBalancerArn");
                const lb = byUrn.get(owner);
                const kind = lb ? (lb.inputs.loadBalancerType ?? "application") : undefined;
                const allowed = kind ? LISTENER_PROTOCOLS[kind] : undefined;
                const { protocol, port } = listener.inputs;
                if (allowed && typeof protocol === "string" && !allowed.includes(protocol)) {
                    out.push({ resource: listener, key: "protocol", message: `${protocol} is not a protocol of a ${kind} load balancer's listener (${allowed.join(", ")})` });
                }
                if (typeof port !== "number") continue;
                const taken = ports.get(owner) ?? new Set<number>();
                if (taken.has(port)) out.push({ resource: listener, key: "port", message: `${port} is taken by another listener of the same load balancer` });
                taken.add(port);
                ports.set(owner, taken);
            }
            return out;
        },
    },
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
